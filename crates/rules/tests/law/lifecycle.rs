//! Whole lifecycles over months on a fake clock: issue, extend, notices, re-issue, duplicate,
//! revocation and a complaint, each event carrying actor, role, time and citation.

use rules::case::{Command, DuplicateGround, ReissueGround, Service, State};
use rules::certificate::{CertificateCommand, ControlAct, Status};
use rules::complaint::{ComplaintCommand, Filing, Route, Target, Verdict};

use crate::support::*;

#[test]
fn a_certificate_through_ten_months() {
    let mut w = World::new();
    let o = w.officer();
    let a = w.applicant.clone();

    // March: issued, valid to 1 June.
    let first = w.issue_certificate("2026-03-02T05:00:00Z");
    assert_eq!(w.certificates[&first].valid_to, date("2026-06-01"));

    // May: extended to the contract's end.
    let mut ext = application(Service::Extend);
    ext.certificate = Some(first.clone());
    ext.contract_end = Some(date("2027-02-28"));
    let mut c = w.submit(ext, "2026-05-25T09:00:00Z").expect("filed"); // 14:00 local
    w.run(&mut c, Command::Register, &o, "2026-05-25T10:00:00Z").expect("registered");
    w.run(&mut c, Command::Extend { valid_to: None }, &o, "2026-05-26T05:00:00Z").expect("extended");
    assert_eq!(w.certificates[&first].status_on(date("2026-07-01")), Status::Extended { valid_to: date("2027-02-28") });

    // August: a new employer, notified in time, then re-issued.
    w.certificate_command(
        &first,
        CertificateCommand::NotifyNewEmployer { contract_date: date("2026-08-03"), employer: employer() },
        &a,
        "2026-08-05T05:00:00Z",
    )
    .expect("noticed");
    let mut re = application(Service::Reissue { ground: ReissueGround::EmployerChange });
    re.certificate = Some(first.clone());
    re.event_date = Some(date("2026-08-03"));
    let mut c = w.submit(re, "2026-08-06T05:00:00Z").expect("filed");
    assert!(c.late.is_none());
    w.run(&mut c, Command::Register, &o, "2026-08-06T06:00:00Z").expect("registered");
    let second = w.next_certificate_number(2026);
    w.run(&mut c, Command::Reissue { number: second.clone() }, &o, "2026-08-07T05:00:00Z").expect("re-issued");
    assert!(matches!(w.certificates[&first].status_on(date("2026-08-07")), Status::Superseded { .. }));
    assert_eq!(w.certificates[&second].valid_to, date("2027-02-28"));

    // October: lost, a duplicate of the new one.
    let mut dup = application(Service::Duplicate { ground: DuplicateGround::Lost });
    dup.certificate = Some(second.clone());
    dup.event_date = Some(date("2026-10-19"));
    let mut c = w.submit(dup, "2026-10-20T05:00:00Z").expect("filed");
    w.run(&mut c, Command::Register, &o, "2026-10-20T06:00:00Z").expect("registered");
    w.run(&mut c, Command::IssueDuplicate, &o, "2026-10-21T05:00:00Z").expect("duplicated");
    assert_eq!(c.state, State::Completed);

    // December: revoked under an inspectorate's act; the holder complains; the akimat answers.
    let act =
        ControlAct { body: "Migration police of Astana".into(), number: "M-2041".into(), date: date("2026-12-01") };
    w.certificate_command(&second, CertificateCommand::Revoke { act }, &o, "2026-12-02T05:00:00Z").expect("revoked");
    assert!(matches!(w.certificates[&second].status_on(date("2026-12-02")), Status::Revoked { .. }));
    let mut complaint = w
        .file_complaint(
            Filing {
                akimat: AKIMAT.into(),
                complainant: iin(),
                case: None,
                target: Target::Decision,
                route: Route::ToAkimat,
                body: rules::complaint::ReviewingBody::default(),
                text: "I work as a developer, as certified".into(),
            },
            "2026-12-03T05:00:00Z",
        )
        .expect("filed");
    w.complaint(
        &mut complaint,
        ComplaintCommand::Decide {
            verdict: Verdict::Rejected,
            reasoning: "The act M-2041 establishes work as a courier".into(),
        },
        &o,
        "2026-12-08T05:00:00Z",
    )
    .expect("decided");

    // And the certificate's stream tells the story, each event with its paragraph.
    let story: Vec<String> = w
        .certificate_events
        .iter()
        .filter(|(n, _)| n == &first || n == &second)
        .map(|(_, e)| e.citation().to_string())
        .collect();
    assert_eq!(
        story,
        vec![
            "Rules §13; App.3",
            "Rules §16",
            "Rules §18",
            "Rules §13; App.3",
            "Rules §22 para 3",
            "Rules §22-1",
            "Rules §21"
        ]
    );
    // After the end of validity it would have expired, but revocation stands.
    assert!(matches!(w.certificates[&second].status_on(date("2027-03-01")), Status::Revoked { .. }));
}
