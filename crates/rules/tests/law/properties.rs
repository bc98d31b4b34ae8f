//! Random command sequences: never a panic, never a waiting state without a due date or a
//! lawful exit, and the fold of all events equals the case built step by step.

use proptest::prelude::*;
use rules::case::{Command, CommandKind, DuplicateGround, Ground, ReissueGround, Service, transition};
use rules::complaint::{ComplaintCommand, Filing, Route, Target, Verdict};
use rules::{Actor, Case, Role};

use crate::support::*;

fn service(i: u8) -> Service {
    match i % 5 {
        0 | 1 => Service::Issue,
        2 => Service::Extend,
        3 => Service::Reissue { ground: ReissueGround::NameChange },
        _ => Service::Duplicate { ground: DuplicateGround::Lost },
    }
}

fn command(w: &mut World, i: u8, p: u8) -> Command {
    match i % 9 {
        0 => Command::Register,
        1 => Command::NotAccept {
            missing: if p.is_multiple_of(3) {
                vec![]
            } else {
                vec![rules::documents::DocumentKind::LabourActivityRecord]
            },
            expired: vec![],
            note: "unreadable scan".into(),
        },
        2 => Command::Forward,
        3 => decision(u32::from(p % 11)),
        4 => Command::Issue { number: w.next_certificate_number(2026), valid_to: None },
        5 => Command::Extend { valid_to: None },
        6 => Command::Reissue { number: w.next_certificate_number(2026) },
        7 => Command::IssueDuplicate,
        _ => Command::Refuse {
            grounds: match p % 4 {
                0 => vec![],
                1 => vec![Ground::BelowPassMark],
                2 => vec![Ground::UnreliableDocuments],
                _ => vec![Ground::QualificationMismatch, Ground::UnreliableDocuments],
            },
            reasoning: if p.is_multiple_of(5) { String::new() } else { "reasons".into() },
        },
    }
}

fn actor(w: &World, i: u8) -> Actor {
    match i % 5 {
        0 => w.applicant.clone(),
        1 | 2 => w.officer.clone(),
        3 => w.commission.clone(),
        _ => Actor { id: "other".into(), role: Role::Officer, akimat: Some("shymkent".into()), iin: None },
    }
}

fn stamp(hours: u32) -> String {
    let t =
        at("2026-05-04T03:00:00Z").checked_add(jiff::SignedDuration::from_hours(i64::from(hours))).expect("in range");
    t.to_string()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn random_commands_keep_the_case_lawful(
        svc in 0u8..5,
        steps in proptest::collection::vec((0u8..9, 0u8..5, 0u8..40, 1u32..30), 1..14),
    ) {
        let mut w = World::new();
        let mut app = application(service(svc));
        if app.service != Service::Issue {
            let n = w.issue_certificate("2026-05-04T03:00:00Z");
            app.certificate = Some(n);
            app.event_date = Some(date("2026-05-04"));
        }
        let mut case = w.submit(app, "2026-05-04T04:00:00Z").expect("a complete application is recorded");
        let mut events_ok = 0usize;
        let mut hours = 1;
        for (ci, ai, p, dh) in steps {
            hours += dh;
            let cmd = command(&mut w, ci, p);
            let who = actor(&w, ai);
            let before = case.clone();
            if w.run(&mut case, cmd, &who, &stamp(hours)).is_ok() {
                events_ok += 1;
                prop_assert_eq!(case.version, before.version + 1);
            } else {
                prop_assert_eq!(&case, &before, "a refusal changes nothing");
            }
            let service = case.application.service.kind();
            if case.state.is_terminal() {
                prop_assert!(case.due.is_none());
            } else {
                let due = case.due.as_ref().expect("a waiting state has a due date");
                prop_assert!(due.on >= case.received_on);
                prop_assert!(CommandKind::ALL.iter().any(|&c| transition(service, case.state, c).is_ok()));
            }
        }
        prop_assert_eq!(case.version as usize, 1 + events_ok);
    }

    #[test]
    fn random_complaint_commands_keep_it_lawful(
        route in 0u8..2,
        steps in proptest::collection::vec((0u8..3, 0u8..5, 1u32..40), 1..8),
    ) {
        let mut w = World::new();
        let filing = Filing {
            akimat: AKIMAT.into(),
            complainant: iin(),
            case: None,
            target: Target::Decision,
            route: if route == 0 { Route::ToAkimat } else { Route::ToReviewingBody },
            body: rules::complaint::ReviewingBody::default(),
            text: "complaint".into(),
        };
        let mut c = w.file_complaint(filing, "2026-05-04T04:00:00Z").expect("filed");
        let mut hours = 1;
        for (ci, ai, dh) in steps {
            hours += dh;
            let cmd = match ci {
                0 => ComplaintCommand::Forward,
                1 => ComplaintCommand::Satisfy { action: "done".into() },
                _ => ComplaintCommand::Decide { verdict: Verdict::PartlyUpheld, reasoning: "because".into() },
            };
            let who = match ai { 0 => w.applicant.clone(), 1 | 2 => w.officer.clone(), 3 => w.reviewer.clone(), _ => w.commission.clone() };
            let _ = w.complaint(&mut c, cmd, &who, &stamp(hours));
            prop_assert_eq!(c.state.is_terminal(), c.due.is_none());
        }
    }
}

/// The fold of every event equals the case built step by step.
#[test]
fn fold_equals_incremental() {
    let mut w = World::new();
    let mut c = w.submit(application(Service::Issue), "2026-03-02T05:00:00Z").expect("filed");
    let (o, m) = (w.officer(), w.commission());
    let mut events = Vec::new();
    let env_now = |s: &str| at(s);
    let first = rules::case::submit(
        c.number.clone(),
        c.application.clone(),
        &w.env(&w.applicant, env_now("2026-03-02T05:00:00Z")),
        &w.law,
        None,
    )
    .expect("again");
    events.extend(first);
    for (cmd, who, t) in [
        (Command::Register, &o, "2026-03-02T06:00:00Z"),
        (Command::Forward, &o, "2026-03-02T07:00:00Z"),
        (decision(9), &m, "2026-03-03T05:00:00Z"),
    ] {
        let new = rules::case::decide(&c, &cmd, &w.env(who, at(t)), &w.law, None).expect("lawful");
        for e in &new {
            c.apply(e);
        }
        events.extend(new);
    }
    let folded = Case::from_events(&events).expect("fold");
    assert_eq!(folded, c);
}
