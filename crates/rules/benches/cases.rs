//! Commands decided per second on an in-memory case, one core (issue: target ≥ 1 million).
//!
//! Run with `cargo bench -p rules --bench cases`. Figures, best of five rounds:
//! - `decide forward`: the rules' answer to one command on a registered case (table, role,
//!   akimat, rule set, calendar due date), events built but not applied;
//! - `decide + apply, whole issue`: submit, register, forward, decide (scoring the
//!   assessment), issue, each decided and folded into the case: five commands per round.

#![expect(clippy::print_stdout, reason = "a benchmark reports to the terminal")]

use std::hint::black_box;
use std::time::Instant;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use rules::assessment::{Answer, Answers};
use rules::case::{self, Application, Case, Command, Contact, Recommendation, Service};
use rules::certificate::Holder;
use rules::documents::{Document, DocumentKind};
use rules::numbers::{CaseNumber, CertificateNumber};
use rules::{Actor, Calendar, Env, Iin, Law, Role, WorkingHours};

fn best(rounds: u32, mut f: impl FnMut() -> u64) -> f64 {
    let mut best = f64::MAX;
    let mut sink = 0;
    for _ in 0..rounds {
        let t = Instant::now();
        sink ^= f();
        best = best.min(t.elapsed().as_secs_f64());
    }
    black_box(sink);
    best
}

fn main() {
    let calendar = Calendar::embedded().expect("calendar");
    let law = Law::embedded().expect("law");
    let hours = WorkingHours::of(
        &rules::RuleBook::embedded().expect("rule sets").sets()[0].working_hours,
        TimeZone::get("Asia/Almaty").expect("zone"),
    );
    let iin = Iin::parse("850101300124").expect("valid");
    let applicant = Actor { id: "a".into(), role: Role::Applicant, akimat: None, iin: Some(iin.clone()) };
    let officer = Actor { id: "o".into(), role: Role::Officer, akimat: Some("astana".into()), iin: None };
    let commission = Actor { id: "c".into(), role: Role::Commission, akimat: Some("astana".into()), iin: None };
    let doc = |kind| Document { kind, sha256: "0".repeat(64), file_name: "f.pdf".into(), valid_until: None };
    let app = Application {
        akimat: "astana".into(),
        service: Service::Issue,
        applicant: Holder {
            iin,
            surname: "Smith".into(),
            given_name: "John".into(),
            patronymic: None,
            document_number: "N1".into(),
            document_issued_on: jiff::civil::date(2020, 1, 1),
            document_issued_by: "HMPO".into(),
        },
        representative: None,
        contact: Contact::default(),
        profession: Some("2512-1".into()),
        sector: Some("J".into()),
        employer: None,
        contract_end: None,
        contract_open_ended: false,
        certificate: None,
        event_date: None,
        consent: true,
        documents: vec![
            doc(DocumentKind::IdentityDocument),
            doc(DocumentKind::EducationTranslation),
            doc(DocumentKind::LabourActivityRecord),
        ],
    };
    let t0: Timestamp = "2026-03-02T05:00:00Z".parse().expect("instant");
    let env = |actor, minutes: i64| Env {
        now: t0.checked_add(jiff::SignedDuration::from_mins(minutes)).expect("in range"),
        actor,
        calendar: &calendar,
        hours: &hours,
    };
    let number = CaseNumber::new("AST", 2026, 1).expect("valid");
    let submitted = case::submit(number.clone(), app.clone(), &env(&applicant, 0), &law, None).expect("lawful");
    let mut registered = Case::from_events(&submitted).expect("case");
    for e in case::decide(&registered, &Command::Register, &env(&officer, 60), &law, None).expect("lawful") {
        registered.apply(&e);
    }
    let answers: Answers = [
        ("education-level", Answer::Choice("higher".into())),
        ("education-matches-profession", Answer::YesNo(true)),
        ("experience-years", Answer::Years(4)),
        ("professional-certificate", Answer::YesNo(false)),
        ("state-or-russian-language", Answer::YesNo(true)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let decision = Command::RecordDecision {
        minutes: "1".into(),
        members: vec!["m1".into(), "m2".into(), "m3".into()],
        present: vec!["m1".into(), "m2".into()],
        answers,
        recommendation: Recommendation::issue(),
    };
    let certificate = CertificateNumber::new("AST", 2026, 1).expect("valid");

    const N: u64 = 200_000;
    let forward_env = env(&officer, 120);
    let t = best(5, || {
        let mut acc = 0;
        for _ in 0..N {
            let events = case::decide(black_box(&registered), black_box(&Command::Forward), &forward_env, &law, None)
                .expect("lawful");
            acc += events.len() as u64;
        }
        acc
    });
    let forward = N as f64 / t;
    println!("decide forward                {:>12.0} commands per second ({:.0} ns each)", forward, t * 1e9 / N as f64);

    const L: u64 = 20_000;
    let issue = Command::Issue { number: certificate, valid_to: None };
    let t = best(5, || {
        let mut acc = 0;
        for _ in 0..L {
            let events = case::submit(number.clone(), app.clone(), &env(&applicant, 0), &law, None).expect("lawful");
            let mut c = Case::from_events(&events).expect("case");
            for (cmd, who, at) in [
                (&Command::Register, &officer, 60),
                (&Command::Forward, &officer, 120),
                (&decision, &commission, 1500),
                (&issue, &officer, 1600),
            ] {
                for e in case::decide(&c, cmd, &env(who, at), &law, None).expect("lawful") {
                    c.apply(&e);
                }
            }
            acc += c.version;
        }
        acc
    });
    let lifecycle = (L * 5) as f64 / t;
    println!(
        "decide + apply, whole issue   {:>12.0} commands per second ({:.0} ns each)",
        lifecycle,
        t * 1e9 / (L * 5) as f64
    );
    println!("target: >= 1 million commands per second (decide): {}", if forward >= 1e6 { "met" } else { "NOT met" });
}
