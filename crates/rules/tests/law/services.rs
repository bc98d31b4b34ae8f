//! Extension, re-issue, duplicate, notices, revocation, expiry: R5–R9, R11.2.

use rules::case::{Command, DuplicateGround, Ground, ReissueGround, Service, State};
use rules::certificate::{CertificateCommand, ControlAct, Notice, Status};
use rules::numbers::CertificateNumber;
use rules::refusal::Reason;
use rules::{Case, Role};

use crate::support::*;

fn with_certificate(_w: &mut World, service: Service, cert: &CertificateNumber) -> rules::case::Application {
    let mut app = application(service);
    app.certificate = Some(cert.clone());
    app
}

fn registered(w: &mut World, app: rules::case::Application, filed: &str) -> Case {
    let mut c = w.submit(app, filed).expect("filed");
    assert_eq!(c.state, State::Submitted, "{:?}", c.reasons);
    let o = w.officer();
    w.run(&mut c, Command::Register, &o, filed).expect("registered");
    c
}

/// R5.1: extension within 3 working days, to the contract's end but no more than 3 years.
#[test]
fn r5_1_extension_term_and_deadline() {
    let mut w = World::new();
    let n = w.issue_certificate("2026-03-02T05:00:00Z"); // valid to 2026-06-01
    let app = with_certificate(&mut w, Service::Extend, &n);
    let mut c = registered(&mut w, app, "2026-05-20T05:00:00Z");
    let due = c.due.clone().expect("due");
    assert_eq!((due.on, due.working_days), (date("2026-05-25"), 3));
    assert!(due.citation.as_str().starts_with("Rules §16"));
    let o = w.officer();
    let r = w.run(&mut c, Command::Forward, &o, "2026-05-21T05:00:00Z").expect_err("no Commission for an extension");
    assert!(matches!(r.reason, Reason::NotForThisService { .. }));
    let r = w.run(&mut c, Command::Extend { valid_to: Some(date("2029-01-01")) }, &o, "2026-05-21T05:00:00Z");
    assert_eq!(
        r.expect_err("past the contract").reason,
        Reason::ValidityTooLong { requested: date("2029-01-01"), latest: date("2028-12-31") }
    );
    w.run(&mut c, Command::Extend { valid_to: None }, &o, "2026-05-21T05:00:00Z").expect("extended");
    assert_eq!(c.state, State::Completed);
    assert_eq!(w.certificates[&n].status_on(date("2026-07-01")), Status::Extended { valid_to: date("2028-12-31") });

    // Rules §16: a contract longer than 3 years is capped at 3 years, which run from the day
    // after the current validity ends (2026-06-02): the last day is 2029-06-01.
    let mut w = World::new();
    let n = w.issue_certificate("2026-03-02T05:00:00Z");
    let mut app = with_certificate(&mut w, Service::Extend, &n);
    app.contract_end = Some(date("2035-01-01"));
    let mut c = registered(&mut w, app, "2026-05-20T05:00:00Z");
    let o = w.officer();
    w.run(&mut c, Command::Extend { valid_to: None }, &o, "2026-05-21T05:00:00Z").expect("extended");
    assert_eq!(w.certificates[&n].valid_to, date("2029-06-01"));
}

/// Rules §16: an open-ended employment contract is extended for the 3-year cap alone; an end
/// date is still required unless the applicant says there is none.
#[test]
fn rules_16_open_ended_contract_gets_the_cap() {
    let mut w = World::new();
    let n = w.issue_certificate("2026-03-02T05:00:00Z"); // valid to 2026-06-01
    let mut app = with_certificate(&mut w, Service::Extend, &n);
    app.contract_end = None;
    let r = w.submit(app.clone(), "2026-05-20T05:00:00Z").expect_err("end or open-ended");
    assert!(matches!(r.reason, Reason::Field { field: rules::facts::Field::ContractEnd, .. }));
    assert_eq!(r.citation.as_str(), "Rules §16");
    app.contract_open_ended = true;
    let mut c = registered(&mut w, app, "2026-05-20T05:00:00Z");
    let o = w.officer();
    w.run(&mut c, Command::Extend { valid_to: None }, &o, "2026-05-21T05:00:00Z").expect("extended");
    assert_eq!(w.certificates[&n].valid_to, date("2029-06-01"));
}

/// Rules §16: a contract that ends on or before the current validity is caught at filing.
#[test]
fn rules_16_contract_ending_before_validity_is_refused_at_filing() {
    let mut w = World::new();
    let n = w.issue_certificate("2026-03-02T05:00:00Z"); // valid to 2026-06-01
    let mut app = with_certificate(&mut w, Service::Extend, &n);
    app.contract_end = Some(date("2026-06-01"));
    let r = w.submit(app, "2026-05-20T05:00:00Z").expect_err("nothing to extend for");
    assert!(matches!(r.reason, Reason::Field { field: rules::facts::Field::ContractEnd, .. }));
    assert_eq!(r.citation.as_str(), "Rules §16");
}

/// Rules §16 extends *for* the contract's term: the officer does not choose another date.
#[test]
fn rules_16_no_discretion_on_the_extension_term() {
    let mut w = World::new();
    let n = w.issue_certificate("2026-03-02T05:00:00Z");
    let app = with_certificate(&mut w, Service::Extend, &n); // contract to 2028-12-31
    let mut c = registered(&mut w, app, "2026-05-20T05:00:00Z");
    let o = w.officer();
    let r = w
        .run(&mut c, Command::Extend { valid_to: Some(date("2027-06-01")) }, &o, "2026-05-21T05:00:00Z")
        .expect_err("a shorter term is not the officer's choice");
    assert!(matches!(r.reason, Reason::ValidityBeforeStart { .. }));
    w.run(&mut c, Command::Extend { valid_to: Some(date("2028-12-31")) }, &o, "2026-05-21T05:00:00Z")
        .expect("the lawful date itself is fine");
    assert_eq!(w.certificates[&n].valid_to, date("2028-12-31"));
}

/// Rules §16, §22-1: validity is judged on the day the application counts as received; a
/// certificate that expires while the akimat's 3 working days run is still extended or
/// duplicated.
#[test]
fn rules_16_22_1_expiry_during_processing_does_not_block() {
    let mut w = World::new();
    let n = w.issue_certificate("2026-03-02T05:00:00Z"); // valid to 2026-06-01 (a Monday)
    let app = with_certificate(&mut w, Service::Extend, &n);
    let mut c = registered(&mut w, app, "2026-06-01T05:00:00Z");
    let o = w.officer();
    w.run(&mut c, Command::Extend { valid_to: None }, &o, "2026-06-03T05:00:00Z").expect("extended after expiry");
    assert_eq!(c.state, State::Completed);
    assert_eq!(w.certificates[&n].valid_to, date("2028-12-31"));

    let mut w = World::new();
    let n = w.issue_certificate("2026-03-02T05:00:00Z");
    let mut app = with_certificate(&mut w, Service::Duplicate { ground: DuplicateGround::Lost }, &n);
    app.event_date = Some(date("2026-05-29"));
    let mut c = registered(&mut w, app, "2026-06-01T05:00:00Z");
    let o = w.officer();
    w.run(&mut c, Command::IssueDuplicate, &o, "2026-06-02T05:00:00Z").expect("duplicated after expiry");
    assert_eq!(c.state, State::Completed);
}

/// R5.2: an extension names the employer.
#[test]
fn r5_2_extension_names_the_employer() {
    let mut w = World::new();
    let n = w.issue_certificate("2026-03-02T05:00:00Z");
    let mut app = with_certificate(&mut w, Service::Extend, &n);
    app.employer = None;
    let r = w.submit(app, "2026-05-20T05:00:00Z").expect_err("employer required");
    assert!(matches!(r.reason, Reason::Field { field: rules::facts::Field::Employer, .. }));
}

/// R6.1: a new employer's notice, late ones accepted and flagged with Rules §18.
#[test]
fn r6_1_new_employer_notice_flagged_when_late() {
    let mut w = World::new();
    let n = w.issue_certificate("2026-03-02T05:00:00Z");
    let a = w.applicant.clone();
    let notice = |d: &str| CertificateCommand::NotifyNewEmployer { contract_date: date(d), employer: employer() };
    w.certificate_command(&n, notice("2026-03-10"), &a, "2026-03-12T05:00:00Z").expect("in time");
    w.certificate_command(&n, notice("2026-03-10"), &a, "2026-03-27T05:00:00Z").expect("late but accepted");
    let notices = &w.certificates[&n].notices;
    assert_eq!(notices.len(), 2);
    let Notice::NewEmployer { late: None, .. } = &notices[0] else { panic!("first is in time: {:?}", notices[0]) };
    let Notice::NewEmployer { late: Some(l), .. } = &notices[1] else { panic!("second is late") };
    assert_eq!((l.window, l.citation.as_str()), (5, "Rules §18"));
    // 11, 12, 13, 16, 17, 18, 19, 20, 26, 27 March (Nauryz days skipped).
    assert_eq!(l.working_days_elapsed, Some(10));
    let o = w.officer();
    let r = w
        .certificate_command(&n, notice("2026-03-10"), &o, "2026-03-12T05:00:00Z")
        .expect_err("officers do not notify");
    assert!(matches!(r.reason, Reason::WrongRole { needed: Role::Applicant, .. }));
}

/// R6.2: the end of a contract, notified voluntarily.
#[test]
fn r6_2_contract_end_notice() {
    let mut w = World::new();
    let n = w.issue_certificate("2026-03-02T05:00:00Z");
    let a = w.applicant.clone();
    w.certificate_command(
        &n,
        CertificateCommand::NotifyContractEnd { end_date: date("2026-04-01") },
        &a,
        "2026-04-03T05:00:00Z",
    )
    .expect("noticed");
    let Notice::ContractEnded { late: None, received_on, .. } = &w.certificates[&n].notices[0] else {
        panic!("in time")
    };
    assert_eq!(*received_on, date("2026-04-03"));
}

/// R7.1: revocation under a control body's act.
#[test]
fn r7_1_revocation_needs_the_act() {
    let mut w = World::new();
    let n = w.issue_certificate("2026-03-02T05:00:00Z");
    let o = w.officer();
    let act = |number: &str| ControlAct {
        body: "Labour inspectorate of Astana".into(),
        number: number.into(),
        date: date("2026-04-10"),
    };
    let r = w
        .certificate_command(&n, CertificateCommand::Revoke { act: act("") }, &o, "2026-04-13T05:00:00Z")
        .expect_err("no act");
    assert_eq!((r.reason, r.citation.as_str()), (Reason::NoControlAct, "Rules §21"));
    let a = w.applicant.clone();
    assert!(
        w.certificate_command(&n, CertificateCommand::Revoke { act: act("17") }, &a, "2026-04-13T05:00:00Z").is_err()
    );
    w.certificate_command(&n, CertificateCommand::Revoke { act: act("17") }, &o, "2026-04-13T05:00:00Z")
        .expect("revoked");
    assert!(matches!(w.certificates[&n].status_on(date("2026-04-13")), Status::Revoked { .. }));
    assert!(w.certificates[&n].status_on(date("2026-04-12")).is_valid(), "valid before the day of revocation");
    let r = w
        .certificate_command(&n, CertificateCommand::Revoke { act: act("18") }, &o, "2026-04-14T05:00:00Z")
        .expect_err("twice");
    assert_eq!(r.citation.as_str(), "Rules §23");
    let app = with_certificate(&mut w, Service::Extend, &n);
    let r = w.submit(app, "2026-04-20T05:00:00Z").expect_err("a revoked certificate is not extended");
    assert!(matches!(r.reason, Reason::CertificateNotValid { .. }));
}

/// R7.2: expiry is derived from the date.
#[test]
fn r7_2_expiry_is_derived() {
    let mut w = World::new();
    let n = w.issue_certificate("2026-03-02T05:00:00Z");
    let c = &w.certificates[&n];
    assert_eq!(c.status_on(date("2026-06-01")), Status::Active { valid_to: date("2026-06-01") });
    assert_eq!(c.status_on(date("2026-06-02")), Status::Expired { on: date("2026-06-01") });
    let app = with_certificate(&mut w, Service::Duplicate { ground: DuplicateGround::Lost }, &n);
    let mut app = app;
    app.event_date = Some(date("2026-06-03"));
    // Issue 33: an expired certificate is an expired document, recorded as not accepted
    // (App.2 item 9), not a filing bounced without a number.
    let c = w.submit(app, "2026-06-04T05:00:00Z").expect("recorded");
    assert_eq!(c.state, rules::case::State::NotAccepted);
    let found = c.not_accepted.as_ref().expect("why");
    assert!(
        found.expired.iter().any(|e| e.kind == rules::documents::DocumentKind::PreviousCertificate
            && e.valid_until == Some(date("2026-06-01"))),
        "{found:?}"
    );
}

/// R8.1: the grounds of re-issue: name, identity document, employer.
#[test]
fn r8_1_reissue_grounds() {
    for ground in [ReissueGround::NameChange, ReissueGround::IdentityDocumentChange, ReissueGround::EmployerChange] {
        let mut w = World::new();
        let n = w.issue_certificate("2026-05-04T05:00:00Z");
        let mut app = with_certificate(&mut w, Service::Reissue { ground }, &n);
        app.event_date = Some(date("2026-05-11"));
        if ground == ReissueGround::NameChange {
            app.applicant.surname = "Smith-Nurlanova".into();
        }
        let mut c = registered(&mut w, app, "2026-05-12T05:00:00Z");
        let new = w.next_certificate_number(2026);
        let o = w.officer();
        w.run(&mut c, Command::Reissue { number: new.clone() }, &o, "2026-05-13T05:00:00Z").expect("re-issued");
        if ground == ReissueGround::NameChange {
            assert_eq!(w.certificates[&new].holder.surname, "Smith-Nurlanova");
        }
        if ground == ReissueGround::EmployerChange {
            assert_eq!(w.certificates[&new].employer, Some(employer()));
        }
    }
}

/// R8.2: a re-issue filed more than 5 working days after the change is accepted and flagged.
#[test]
fn r8_2_late_reissue_flagged() {
    let mut w = World::new();
    let n = w.issue_certificate("2026-05-04T05:00:00Z");
    let mut app = with_certificate(&mut w, Service::Reissue { ground: ReissueGround::NameChange }, &n);
    app.event_date = Some(date("2026-05-04"));
    let c = w.submit(app, "2026-05-20T05:00:00Z").expect("accepted");
    let late = c.late.expect("flagged");
    assert_eq!((late.window, late.citation.as_str(), late.requirement.as_str()), (5, "Rules §22 para 2", "R8.2"));
    let mut app = with_certificate(&mut w, Service::Reissue { ground: ReissueGround::NameChange }, &n);
    app.event_date = None;
    assert!(w.submit(app, "2026-05-20T05:00:00Z").is_err(), "the day of the change is required");
}

/// R8.3 and R11.2: re-issue within 3 working days with a new number; the old is superseded.
#[test]
fn r8_3_reissue_new_number_supersedes_old() {
    let mut w = World::new();
    let n = w.issue_certificate("2026-05-04T05:00:00Z");
    let mut app = with_certificate(&mut w, Service::Reissue { ground: ReissueGround::IdentityDocumentChange }, &n);
    app.event_date = Some(date("2026-05-11"));
    app.applicant.document_number = "N7654321".into();
    let mut c = registered(&mut w, app, "2026-05-12T05:00:00Z");
    assert_eq!(c.due.as_ref().map(|d| (d.on, d.working_days)), Some((date("2026-05-15"), 3)));
    let o = w.officer();
    let r = w.run(&mut c, Command::Reissue { number: n.clone() }, &o, "2026-05-13T05:00:00Z").expect_err("same number");
    assert_eq!(r.citation.as_str(), "Rules §22 para 3");
    let mut w = World::new();
    let n = w.issue_certificate("2026-05-04T05:00:00Z");
    let mut app = with_certificate(&mut w, Service::Reissue { ground: ReissueGround::IdentityDocumentChange }, &n);
    app.event_date = Some(date("2026-05-11"));
    let mut c = registered(&mut w, app, "2026-05-12T05:00:00Z");
    let wrong_akimat = CertificateNumber::new("ALA", 2026, 99).expect("valid");
    let o = w.officer();
    let r =
        w.run(&mut c, Command::Reissue { number: wrong_akimat }, &o, "2026-05-13T05:00:00Z").expect_err("other prefix");
    assert!(matches!(r.reason, Reason::NumberMismatch { .. }));
    let new = w.next_certificate_number(2026);
    w.run(&mut c, Command::Reissue { number: new.clone() }, &o, "2026-05-13T05:00:00Z").expect("re-issued");
    assert_ne!(new, n);
    assert_eq!(
        w.certificates[&n].status_on(date("2026-05-13")),
        Status::Superseded { by: new.clone(), on: date("2026-05-13") }
    );
    let fresh = &w.certificates[&new];
    assert_eq!(fresh.replaces.as_ref(), Some(&n));
    let cited = rules::Citation::new("Rules §22").localized(rules::Lang::Ru);
    assert!(fresh.basis_in(rules::Lang::Ru).starts_with(&format!("Переоформление справки № {n} ({cited})")));
    assert_eq!(fresh.valid_to, w.certificates[&n].valid_to, "re-issue keeps the validity (Reading)");
    assert!(fresh.status_on(date("2026-05-13")).is_valid());
}

/// R9.1: a duplicate asked for more than 5 working days after the loss is flagged.
#[test]
fn r9_1_late_duplicate_flagged() {
    let mut w = World::new();
    let n = w.issue_certificate("2026-05-04T05:00:00Z");
    let mut app = with_certificate(&mut w, Service::Duplicate { ground: DuplicateGround::Damaged }, &n);
    app.event_date = Some(date("2026-05-05"));
    let c = w.submit(app, "2026-05-29T05:00:00Z").expect("accepted");
    assert_eq!(c.late.map(|l| l.citation.to_string()), Some("Rules §22-1 para 2".into()));
}

/// R12.2, Rules §22-1: the applicant's own 5 working days run to the local day they filed;
/// App.2 item 7's shift to the next working day moves only the akimat's acceptance. Filed at
/// 19:00 on the 5th working day after the loss: in time, though received the next day.
#[test]
fn r12_2_applicant_window_judged_by_the_filing_day() {
    let mut w = World::new();
    let n = w.issue_certificate("2026-03-02T05:00:00Z");
    let mut app = with_certificate(&mut w, Service::Duplicate { ground: DuplicateGround::Lost }, &n);
    app.event_date = Some(date("2026-04-06"));
    // 7, 8, 9, 10, 13 April: the 13th is the 5th working day; 19:00 in Astana is after hours.
    let c = w.submit(app, "2026-04-13T14:00:00Z").expect("accepted");
    assert_eq!(c.received_on, date("2026-04-14"), "the akimat counts it received the next working day");
    assert_eq!(c.late, None, "filed within the applicant's 5 working days");
}

/// Rules §20: the notice of a contract's end is voluntary: never late, the working days
/// since the end recorded for information only.
#[test]
fn rules_20_contract_end_notice_is_never_late() {
    let mut w = World::new();
    let n = w.issue_certificate("2026-03-02T05:00:00Z");
    let a = w.applicant.clone();
    w.certificate_command(
        &n,
        CertificateCommand::NotifyContractEnd { end_date: date("2026-04-01") },
        &a,
        "2026-04-20T05:00:00Z",
    )
    .expect("noticed");
    let Notice::ContractEnded { late, working_days_elapsed, .. } = &w.certificates[&n].notices[0] else {
        panic!("a contract-end notice")
    };
    assert_eq!(*late, None);
    // 2, 3, 6, 7, 8, 9, 10, 13, 14, 15, 16, 17, 20 April.
    assert_eq!(*working_days_elapsed, Some(13));
}

/// R9.2 and R11.2: duplicate within 3 working days, keeping the original's number.
#[test]
fn r9_2_duplicate_keeps_the_number() {
    let mut w = World::new();
    let n = w.issue_certificate("2026-05-04T05:00:00Z");
    let mut app = with_certificate(&mut w, Service::Duplicate { ground: DuplicateGround::Lost }, &n);
    app.event_date = Some(date("2026-05-12"));
    let mut c = registered(&mut w, app, "2026-05-13T05:00:00Z");
    assert_eq!(c.due.as_ref().map(|d| d.on), Some(date("2026-05-18")));
    let o = w.officer();
    let r = w.run(
        &mut c,
        Command::Refuse { grounds: vec![Ground::BelowPassMark], reasoning: "x".into() },
        &o,
        "2026-05-14T05:00:00Z",
    );
    assert!(matches!(r.expect_err("9.2 is not a ground for a duplicate").reason, Reason::GroundNotForService { .. }));
    w.run(&mut c, Command::IssueDuplicate, &o, "2026-05-14T05:00:00Z").expect("duplicated");
    let cert = &w.certificates[&n];
    assert_eq!(cert.duplicates, vec![date("2026-05-14")]);
    assert!(cert.status_on(date("2026-05-14")).is_valid());
}

/// R11.2: re-issue gets a new number, a duplicate keeps it.
#[test]
fn r11_2_numbers_of_reissue_and_duplicate() {
    let mut w = World::new();
    let n = w.issue_certificate("2026-05-04T05:00:00Z");
    let mut dup = with_certificate(&mut w, Service::Duplicate { ground: DuplicateGround::Lost }, &n);
    dup.event_date = Some(date("2026-05-12"));
    let mut c = registered(&mut w, dup, "2026-05-13T05:00:00Z");
    let o = w.officer();
    w.run(&mut c, Command::IssueDuplicate, &o, "2026-05-14T05:00:00Z").expect("duplicated");
    let effects: Vec<_> = w.certificate_events.iter().filter(|(num, _)| num == &n).collect();
    assert!(effects.len() >= 2, "issued, then duplicate issued on the same number");
}

/// App.2 item 9.3 and Rules §21 in the order's Kazakh words: the ground is "дәйексіздігі"
/// (unreliable), and a revoked certificate is "кері қайтарып алынды".
#[test]
fn app2_item9_3_and_rules_21_kazakh_wording() {
    assert!(Ground::UnreliableDocuments.label(rules::Lang::Kk).contains("дәйексіздігі"));
    let mut w = World::new();
    let n = w.issue_certificate("2026-03-02T05:00:00Z");
    let o = w.officer();
    let act =
        ControlAct { number: "12".into(), date: date("2026-03-10"), body: "Еңбек инспекциясы".into() };
    w.certificate_command(&n, CertificateCommand::Revoke { act }, &o, "2026-03-11T05:00:00Z").expect("revoked");
    let status = w.certificates[&n].status_on(date("2026-03-12"));
    assert!(status.describe(rules::Lang::Kk).contains("кері қайтарып алынды"), "{}", status.describe(rules::Lang::Kk));
}

/// R8.1 (Rules §22): an extension or duplicate filed under a name other than the
/// certificate's is flagged with the paragraph that makes a change of name a ground for
/// re-issue; case and spacing do not count, a re-issue is not flagged, and the same name of
/// several words is not a difference.
#[test]
fn r8_1_an_extension_under_another_name_is_flagged() {
    let mut w = World::new();
    let n = w.issue_certificate("2026-03-02T05:00:00Z");
    let cert = w.certificates[&n].clone();
    for service in [Service::Extend, Service::Duplicate { ground: DuplicateGround::Lost }] {
        let same = with_certificate(&mut w, service, &n);
        assert_eq!(rules::case::name_differs(&same, &cert), None, "{service:?}");
        let mut spaced = same.clone();
        spaced.applicant.surname = format!("  {}  ", same.applicant.surname.to_uppercase());
        assert_eq!(rules::case::name_differs(&spaced, &cert), None, "{service:?}");
        let mut married = same.clone();
        married.applicant.surname = "De la Cruz".into();
        let flag = rules::case::name_differs(&married, &cert).expect("flagged");
        assert_eq!(flag.as_str(), "Rules §22");
        let mut patronymic = same.clone();
        patronymic.applicant.patronymic = Some("Ивановна".into());
        assert!(rules::case::name_differs(&patronymic, &cert).is_some(), "a patronymic added is a change");
    }
    let mut reissue = with_certificate(&mut w, Service::Reissue { ground: ReissueGround::NameChange }, &n);
    reissue.applicant.surname = "De la Cruz".into();
    assert_eq!(rules::case::name_differs(&reissue, &cert), None, "a re-issue is how a name changes");
}

/// Issue 15, R5.1 and R8.2: the holder's windows. An extension must be submitted while the
/// certificate is valid (issue 33: judged at submission, not on the akimat's shifted day), so
/// its last day is the last day of validity, and the holder is reminded 20 working days before; the re-issue window after a
/// §18 notice is 5 working days from the new contract. Only the service reminds and records,
/// a reminder comes only while the window is open, and a miss only after it closed.
#[test]
fn r8_2_the_holders_windows_are_reminded_and_a_miss_is_a_fact() {
    use rules::certificate::{CertificateEvent, Window, extension_obligation, reissue_obligation};
    let calendar = rules::Calendar::embedded().expect("calendar");
    // Valid to Sunday 2026-06-07: an application submitted online that Sunday is in time.
    let o = extension_obligation(&calendar, date("2026-06-07")).expect("in the calendar");
    assert_eq!((o.window, o.due_on, o.citation.as_str()), (Window::Extension, date("2026-06-07"), "Rules §16"));
    assert_eq!(calendar.working_days_between(o.remind_on, o.due_on), Ok(20));
    // A contract of Thursday 2026-03-12: 5 working days run to Thursday 19 March, the
    // reminder goes the working day before.
    let rules_in_force = World::new().law.rules.in_force_on(date("2026-03-12")).expect("in force").clone();
    let o = reissue_obligation(&calendar, &rules_in_force, date("2026-03-12")).expect("in the calendar");
    assert_eq!(
        (o.due_on, o.remind_on, o.citation.as_str()),
        (date("2026-03-19"), date("2026-03-18"), "Rules §22 para 2")
    );

    let mut w = World::new();
    let n = w.issue_certificate("2026-03-02T05:00:00Z");
    let system = rules::Actor::system();
    let remind = CertificateCommand::Remind { window: Window::Reissue, due_on: date("2026-03-19") };
    let missed = CertificateCommand::RecordMissedWindow { window: Window::Reissue, due_on: date("2026-03-19") };
    let a = w.applicant.clone();
    let r = w.certificate_command(&n, remind.clone(), &a, "2026-03-18T05:00:00Z").expect_err("the service reminds");
    assert!(matches!(r.reason, Reason::WrongRole { needed: Role::System, .. }));
    let r = w.certificate_command(&n, missed.clone(), &system, "2026-03-19T05:00:00Z").expect_err("still open");
    assert_eq!(
        (r.reason, r.citation.as_str()),
        (Reason::WindowStillOpen { due: date("2026-03-19") }, "Rules §22 para 2")
    );
    w.certificate_command(&n, remind.clone(), &system, "2026-03-18T05:00:00Z").expect("reminded");
    let r = w.certificate_command(&n, remind, &system, "2026-03-20T05:00:00Z").expect_err("closed");
    assert_eq!(r.reason, Reason::WindowClosed { due: date("2026-03-19") });
    let events = w.certificate_command(&n, missed, &system, "2026-03-20T05:00:00Z").expect("recorded");
    assert_eq!(
        events,
        vec![CertificateEvent::WindowMissed {
            window: Window::Reissue,
            due_on: date("2026-03-19"),
            on: date("2026-03-20")
        }]
    );
    assert_eq!(events[0].citation().as_str(), "Rules §22 para 2");
    assert!(w.certificates[&n].status_on(date("2026-03-20")).is_valid(), "no sanction");
}
