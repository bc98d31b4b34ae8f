//! Applying and the issue service: R3.x, R4.x, R11.1.

use rules::case::{Command, Ground, Recommendation, Service, State};
use rules::documents::{Checklist, DocumentKind};
use rules::refusal::Reason;
use rules::{Actor, Lang, Role};

use crate::support::*;

/// R3.1: an application filed online becomes a case with a number, recorded with the actor,
/// role, time and citation.
#[test]
fn r3_1_filing_creates_a_numbered_case() {
    let mut w = World::new();
    let c = w.submit(application(Service::Issue), "2026-03-02T05:00:00Z").expect("accepted for registration");
    assert_eq!(c.state, State::Submitted);
    assert!(c.number.to_string().starts_with("Z-AST-2026-000001-"));
    assert_eq!(c.version, 1);
    assert_eq!(c.rule_set, "order-236-as-amended-by-426");
}

/// R3.2: the form needs consent and the applicant's names; an employer names a BIN or IIN.
#[test]
fn r3_2_form_requires_consent_and_names() {
    let mut w = World::new();
    let mut app = application(Service::Issue);
    app.consent = false;
    let r = w.submit(app, "2026-03-02T05:00:00Z").expect_err("no consent");
    assert_eq!(r.reason, Reason::NoConsent);
    assert_eq!(r.citation.as_str(), "App.1");
    assert!(r.message(Lang::Ru).contains("согласие"));
    let mut app = application(Service::Issue);
    app.applicant.surname = "  ".into();
    let r = w.submit(app, "2026-03-02T05:00:00Z").expect_err("no surname");
    assert!(matches!(r.reason, Reason::Field { field: rules::facts::Field::Surname, .. }));
}

/// R3.3: only the applicant (by IIN) or their representative files.
#[test]
fn r3_3_only_the_applicant_or_representative_files() {
    let mut w = World::new();
    w.applicant.iin = Some(rules::Iin::parse("900305401113").expect("valid"));
    let r = w.submit(application(Service::Issue), "2026-03-02T05:00:00Z").expect_err("another person");
    assert_eq!(r.reason, Reason::NotTheHolder);
    let mut app = application(Service::Issue);
    app.representative = Some(rules::case::Representative {
        name: "Aigerim Representative".into(),
        iin: rules::Iin::parse("900305401113").expect("valid"),
    });
    assert!(w.submit(app, "2026-03-02T05:00:00Z").is_ok(), "a representative may file");
}

/// R3.4: the checklists of App.2 item 8 (education or English-teaching certificate).
#[test]
fn r3_4_checklists_per_service() {
    let mut w = World::new();
    let lists = &w.law.rules.sets()[0].checklists;
    let issue = lists.list(Checklist::Issue);
    assert_eq!(issue.len(), 3);
    assert!(issue.iter().any(|r| r.any_of.contains(&DocumentKind::EnglishTeachingCertificate)));
    assert!(issue.iter().all(|r| r.citation.as_str() == "App.2 item 8.1"));
    assert_eq!(lists.list(Checklist::Extend).len(), 2);
    assert_eq!(lists.list(Checklist::Duplicate)[0].citation.as_str(), "App.2 item 8.4");
    assert_eq!(lists.requirements(Checklist::Issue, true).len(), 4, "a representative adds the power of attorney");
    let mut app = application(Service::Issue);
    app.documents.retain(|d| d.kind != DocumentKind::EducationTranslation);
    app.documents.push(doc(DocumentKind::EnglishTeachingCertificate));
    let c = w.submit(app, "2026-03-02T05:00:00Z").expect("filed");
    assert_eq!(c.state, State::Submitted, "the English-teaching certificate replaces the education documents");
}

/// R3.5: a missing or expired document: not accepted, which is not a refusal of the service.
#[test]
fn r3_5_incomplete_or_expired_is_not_accepted() {
    let mut w = World::new();
    let mut app = application(Service::Issue);
    app.documents.retain(|d| d.kind != DocumentKind::LabourActivityRecord);
    let c = w.submit(app, "2026-03-02T05:00:00Z").expect("recorded, not lost");
    assert_eq!(c.state, State::NotAccepted);
    assert!(c.grounds.is_empty(), "not a refusal of the service");
    let why = c.reasons_in(Lang::Ru).unwrap_or_default();
    assert!(why.contains("трудовой деятельности") && why.contains("прил. 2"), "{why}");
    assert!(c.due.is_none());

    let mut app = application(Service::Issue);
    app.documents[0].valid_until = Some(date("2026-02-28"));
    let c = w.submit(app, "2026-03-02T05:00:00Z").expect("recorded");
    assert_eq!(c.state, State::NotAccepted);

    // App.2 item 9: the officer may not accept a complete-looking filing too, but only by
    // naming the missing or expired checklist items; free text alone is refused.
    let mut c = w.submit(application(Service::Issue), "2026-03-02T05:00:00Z").expect("filed");
    let o = w.officer();
    let note_only =
        Command::NotAccept { missing: vec![], expired: vec![], note: "The passport scan is unreadable".into() };
    let r = w.run(&mut c, note_only, &o, "2026-03-02T06:00:00Z").expect_err("no item named");
    assert_eq!((r.reason, r.citation.as_str()), (Reason::NoNotAcceptReason, "App.2 item 9"));
    let off_list =
        Command::NotAccept { missing: vec![DocumentKind::EmploymentContract], expired: vec![], note: String::new() };
    let r = w.run(&mut c, off_list, &o, "2026-03-02T06:00:00Z").expect_err("not on the issue checklist");
    assert_eq!(r.citation.as_str(), "App.2 item 8");
    let named = Command::NotAccept {
        missing: vec![],
        expired: vec![DocumentKind::IdentityDocument],
        note: "The passport in the scan expired in 2025".into(),
    };
    w.run(&mut c, named, &o, "2026-03-02T06:00:00Z").expect("not accepted");
    assert_eq!(c.state, State::NotAccepted);
    assert!(c.reasons.as_deref().unwrap_or("").contains("expired"), "{:?}", c.reasons);
}

/// R3.6: the service is free: no step of the whole path asks for a payment.
#[test]
fn r3_6_no_payment_step_anywhere() {
    for kind in rules::case::CommandKind::ALL {
        assert!(!kind.name().contains("pay") && !kind.name().contains("fee"), "{}", kind.name());
    }
    let mut w = World::new();
    let n = w.issue_certificate("2026-03-02T05:00:00Z");
    assert!(w.certificates.contains_key(&n), "the certificate came without any payment step");
}

/// R3.7 and App.2 item 7: filed after hours, received on the next working day; that day is
/// the registration day.
#[test]
fn r3_7_after_hours_counts_next_working_day() {
    let mut w = World::new();
    // Friday 20 March 2026, 18:45 in Astana: next working day is Thursday 26 (Nauryz).
    let mut c = w.submit(application(Service::Issue), "2026-03-20T13:45:00Z").expect("filed");
    assert_eq!(c.received_on, date("2026-03-26"));
    assert_eq!(c.due.as_ref().map(|d| d.on), Some(date("2026-03-26")), "registration due that day");
    let o = w.officer();
    w.run(&mut c, Command::Register, &o, "2026-03-26T04:00:00Z").expect("registered");
    assert_eq!(c.due.as_ref().map(|d| d.on), Some(date("2026-03-30")), "R4.1 from 26 March");
}

/// R3.8: a status line an operator of the 1411 contact centre can read out.
#[test]
fn r3_8_status_line_for_the_contact_centre() {
    let mut w = World::new();
    let mut c = w.submit(application(Service::Issue), "2026-03-02T05:00:00Z").expect("filed");
    let o = w.officer();
    w.run(&mut c, Command::Register, &o, "2026-03-02T06:00:00Z").expect("registered");
    let line = c.status(Lang::Ru);
    assert!(line.contains("зарегистрировано") && line.contains("04.03.2026") && line.contains("п. 7 Правил"), "{line}");
}

/// R4.1: forwarded to the Commission within 2 working days of registration.
#[test]
fn r4_1_forward_within_two_working_days() {
    let mut w = World::new();
    let mut c = w.submit(application(Service::Issue), "2026-03-05T05:00:00Z").expect("filed");
    let o = w.officer();
    w.run(&mut c, Command::Register, &o, "2026-03-05T06:00:00Z").expect("registered");
    let due = c.due.clone().expect("due");
    // Thursday 5 March + 2: Friday 6, (Monday 9 is 8 March moved), Tuesday 10.
    assert_eq!((due.on, due.working_days, due.citation.as_str()), (date("2026-03-10"), 2, "Rules §7"));
    assert!(!c.overdue_on(date("2026-03-10")));
    assert!(c.overdue_on(date("2026-03-11")));
    // Only an officer of this akimat forwards.
    let m = w.commission();
    let r = w.run(&mut c, Command::Forward, &m, "2026-03-06T06:00:00Z").expect_err("wrong role");
    assert!(matches!(r.reason, Reason::WrongRole { needed: Role::Officer, .. }));
    let stranger = Actor { akimat: Some("almaty-city".into()), ..w.officer() };
    let r = w.run(&mut c, Command::Forward, &stranger, "2026-03-06T06:00:00Z").expect_err("other akimat");
    assert!(matches!(r.reason, Reason::OtherAkimat { .. }));
}

/// R4.2: the profession must be on the list in force, under its sector.
#[test]
fn r4_2_profession_on_the_list_in_force() {
    let mut w = World::new();
    let mut app = application(Service::Issue);
    app.profession = Some("2512-3".into());
    let r = w.submit(app, "2026-03-02T05:00:00Z").expect_err("not listed");
    // Issue 11, item 15: at filing this is App.1 and Rules §8, not refusal ground 9.1.
    assert_eq!(r.citation.as_str(), "App.1; Rules §8");
    assert_eq!(r.reason.message(Lang::En), "the profession 2512-3 is not on the list in force on 2026-03-02");
    let mut app = application(Service::Issue);
    app.sector = Some("F".into());
    let r = w.submit(app, "2026-03-02T05:00:00Z").expect_err("wrong sector");
    assert!(matches!(r.reason, Reason::Field { field: rules::facts::Field::Sector, .. }));
}

fn forwarded(w: &mut World) -> rules::Case {
    let mut c = w.submit(application(Service::Issue), "2026-03-02T05:00:00Z").expect("filed");
    let o = w.officer();
    w.run(&mut c, Command::Register, &o, "2026-03-02T06:00:00Z").expect("registered");
    w.run(&mut c, Command::Forward, &o, "2026-03-03T06:00:00Z").expect("forwarded");
    c
}

/// R4.3: the Commission assesses on the criteria; answers that do not fit are refused.
#[test]
fn r4_3_assessment_on_the_criteria() {
    let mut w = World::new();
    let mut c = forwarded(&mut w);
    let m = w.commission();
    let Command::RecordDecision { minutes, members, present, mut answers, recommendation } = decision(7) else {
        unreachable!("decision() builds RecordDecision")
    };
    answers.remove("experience-years");
    let cmd = Command::RecordDecision { minutes, members, present, answers, recommendation };
    let r = w.run(&mut c, cmd, &m, "2026-03-04T06:00:00Z").expect_err("incomplete");
    assert!(
        matches!(r.reason, Reason::AssessmentIncomplete { ref unanswered } if unanswered.len() == 1 && unanswered[0].en.contains("experience"))
    );
    w.run(&mut c, decision(7), &m, "2026-03-04T06:00:00Z").expect("decided");
    let d = c.decision.as_ref().expect("decision");
    assert_eq!(d.assessment.total, 7);
    assert!(d.assessment.sample, "the sample criteria are marked as such in the decision");
    assert_eq!(d.assessment.lines.len(), 5);
}

/// R4.4: the Commission decides within 3 working days, per applicant, with the members present
/// recorded and a quorum.
#[test]
fn r4_4_commission_decides_with_quorum_within_three_days() {
    let mut w = World::new();
    let mut c = forwarded(&mut w);
    let due = c.due.clone().expect("due");
    assert_eq!((due.on, due.working_days, due.citation.as_str()), (date("2026-03-06"), 3, "Rules §9"));
    let m = w.commission();
    let Command::RecordDecision { minutes, members, answers, recommendation, .. } = decision(7) else { unreachable!() };
    let two = Command::RecordDecision {
        minutes: minutes.clone(),
        members: members.clone(),
        present: vec!["m1".into(), "m2".into()],
        answers: answers.clone(),
        recommendation: recommendation.clone(),
    };
    let r = w.run(&mut c, two, &m, "2026-03-04T06:00:00Z").expect_err("2 of 5 is no quorum");
    assert_eq!(r.reason, Reason::NoQuorum { present: 2, members: 5, needed: 3 });
    let stranger = Command::RecordDecision {
        minutes,
        members,
        present: vec!["m1".into(), "m2".into(), "x9".into()],
        answers,
        recommendation,
    };
    let r = w.run(&mut c, stranger, &m, "2026-03-04T06:00:00Z").expect_err("not a member");
    assert!(matches!(r.reason, Reason::NotAMember { .. }));
    let o = w.officer();
    let r = w.run(&mut c, decision(7), &o, "2026-03-04T06:00:00Z").expect_err("officers do not decide");
    assert!(matches!(r.reason, Reason::WrongRole { needed: Role::Commission, .. }));
    w.run(&mut c, decision(7), &m, "2026-03-04T06:00:00Z").expect("decided");
    assert_eq!(c.decision.as_ref().map(|d| d.present.len()), Some(3));
    assert_eq!(c.state, State::Decided);
}

/// R4.5: below 6 points the Commission cannot recommend issue; refusing adds ground 9.2.
#[test]
fn r4_5_below_six_points_refused() {
    let mut w = World::new();
    let mut c = forwarded(&mut w);
    let m = w.commission();
    let Command::RecordDecision { minutes, members, present, .. } = decision(5) else { unreachable!() };
    let issue_at_five = Command::RecordDecision {
        minutes,
        members,
        present,
        answers: answers(5),
        recommendation: Recommendation::issue(),
    };
    let r = w.run(&mut c, issue_at_five, &m, "2026-03-04T06:00:00Z").expect_err("5 < 6");
    assert_eq!(r.reason, Reason::BelowPassMark { total: 5, pass_mark: 6 });
    assert_eq!(r.citation.as_str(), "App.2 item 9.2");
    w.run(&mut c, decision(5), &m, "2026-03-04T06:00:00Z").expect("refusal recommended");
    let Some(Recommendation::Refuse { grounds, .. }) = c.decision.as_ref().map(|d| d.recommendation.clone()) else {
        panic!("a refusal")
    };
    assert_eq!(grounds, vec![Ground::BelowPassMark]);
}

/// R4.6: the three grounds, each cited; a refusal names at least one and gives reasons.
#[test]
fn r4_6_refusal_grounds_and_reasons() {
    let mut w = World::new();
    let set = &w.law.rules.sets()[0];
    assert_eq!(Ground::QualificationMismatch.citation(set).as_str(), "App.2 item 9.1");
    assert_eq!(Ground::BelowPassMark.citation(set).as_str(), "App.2 item 9.2");
    assert_eq!(Ground::UnreliableDocuments.citation(set).as_str(), "App.2 item 9.3");
    for service in rules::case::ServiceKind::ALL {
        assert!(set.grounds.allowed(Ground::UnreliableDocuments, service), "9.3 may end {service:?}");
        let assessed = service == rules::case::ServiceKind::Issue;
        assert_eq!(set.grounds.allowed(Ground::BelowPassMark, service), assessed, "9.2 for {service:?}");
        assert_eq!(set.grounds.allowed(Ground::QualificationMismatch, service), assessed, "9.1 for {service:?}");
    }
    let mut c = forwarded(&mut w);
    let m = w.commission();
    let Command::RecordDecision { minutes, members, present, .. } = decision(8) else { unreachable!() };
    let refuse = |grounds: Vec<Ground>, reasoning: &str| Command::RecordDecision {
        minutes: minutes.clone(),
        members: members.clone(),
        present: present.clone(),
        answers: answers(8),
        recommendation: Recommendation::Refuse { grounds, reasoning: reasoning.into() },
    };
    let r = w.run(&mut c, refuse(vec![Ground::BelowPassMark], "x"), &m, "2026-03-04T06:00:00Z").expect_err("8 points");
    assert_eq!(r.reason, Reason::PassMarkReached { total: 8, pass_mark: 6 });
    let r = w
        .run(&mut c, refuse(vec![Ground::UnreliableDocuments], ""), &m, "2026-03-04T06:00:00Z")
        .expect_err("no reasons");
    assert_eq!(r.reason, Reason::NoReasoning);
    let r = w.run(&mut c, refuse(vec![], "x"), &m, "2026-03-04T06:00:00Z").expect_err("no grounds");
    assert_eq!(r.reason, Reason::NoGrounds);
    w.run(
        &mut c,
        refuse(vec![Ground::UnreliableDocuments], "The diploma's number does not exist in the issuing registry"),
        &m,
        "2026-03-04T06:00:00Z",
    )
    .expect("reasoned recommendation");
    let o = w.officer();
    let r = w
        .run(
            &mut c,
            Command::Refuse { grounds: vec![Ground::QualificationMismatch], reasoning: "x".into() },
            &o,
            "2026-03-05T06:00:00Z",
        )
        .expect_err("not a recommended ground");
    // Issue 33: said as what it is, a ground the Commission did not recommend (Rules §9).
    assert!(matches!(r.reason, Reason::GroundNotRecommended { ground: Ground::QualificationMismatch }), "{r:?}");
    assert!(r.message(rules::Lang::Ru).contains("Комиссия не рекомендовала"), "{}", r.message(rules::Lang::Ru));
    w.run(
        &mut c,
        Command::Refuse { grounds: vec![Ground::UnreliableDocuments], reasoning: "The diploma is not genuine".into() },
        &o,
        "2026-03-05T06:00:00Z",
    )
    .expect("refused");
    assert_eq!(c.state, State::Refused);
    assert_eq!(c.grounds, vec![Ground::UnreliableDocuments]);
}

/// R4.7: the whole service is due in 5 working days; the certificate is valid up to 3 months.
#[test]
fn r4_7_five_days_and_three_months() {
    let mut w = World::new();
    let mut c = forwarded(&mut w);
    assert_eq!(c.service_due.as_ref().map(|d| (d.on, d.citation.as_str())), Some((date("2026-03-10"), "App.2 item 3")));
    let (o, m) = (w.officer(), w.commission());
    w.run(&mut c, decision(6), &m, "2026-03-04T06:00:00Z").expect("decided");
    assert_eq!(c.due.as_ref().map(|d| d.on), Some(date("2026-03-10")), "the issue itself is due with the service");
    let number = w.next_certificate_number(2026);
    let too_long = Command::Issue { number: number.clone(), valid_to: Some(date("2026-06-05")) };
    let r = w.run(&mut c, too_long, &o, "2026-03-05T06:00:00Z").expect_err("over 3 months");
    assert_eq!(r.reason, Reason::ValidityTooLong { requested: date("2026-06-05"), latest: date("2026-06-04") });
    w.run(&mut c, Command::Issue { number: number.clone(), valid_to: None }, &o, "2026-03-05T06:00:00Z")
        .expect("issued");
    let cert = &w.certificates[&number];
    assert_eq!((cert.valid_from, cert.valid_to), (date("2026-03-05"), date("2026-06-04")));
}

/// App.2 item 3: a late forward does not hide the breach of the whole service's 5 working
/// days; the case is overdue once either the stage's or the service's due date has passed.
#[test]
fn app2_item3_late_forward_does_not_hide_the_service_breach() {
    let mut w = World::new();
    let mut c = w.submit(application(Service::Issue), "2026-04-06T05:00:00Z").expect("filed");
    let o = w.officer();
    w.run(&mut c, Command::Register, &o, "2026-04-06T05:00:00Z").expect("registered");
    assert_eq!(c.service_due.as_ref().map(|d| d.on), Some(date("2026-04-13")));
    // Forwarded on the 4th working day, two days late: the Commission's 3 days end 15 April.
    w.run(&mut c, Command::Forward, &o, "2026-04-10T05:00:00Z").expect("forwarded late");
    assert_eq!(c.due.as_ref().map(|d| d.on), Some(date("2026-04-15")));
    assert_eq!(c.binding_due().map(|d| (d.on, d.citation.as_str())), Some((date("2026-04-13"), "App.2 item 3")));
    assert!(!c.overdue_on(date("2026-04-13")));
    assert!(c.overdue_on(date("2026-04-14")), "the service's 5 working days have passed");
}

/// R4.8: the result follows the Commission: issue only when it recommended issue.
#[test]
fn r4_8_result_follows_the_recommendation() {
    let mut w = World::new();
    let mut c = forwarded(&mut w);
    let (o, m) = (w.officer(), w.commission());
    let number = w.next_certificate_number(2026);
    let early = w.run(&mut c, Command::Issue { number: number.clone(), valid_to: None }, &o, "2026-03-04T06:00:00Z");
    assert!(matches!(early.expect_err("not yet decided").reason, Reason::NotAtThisStage { .. }));
    w.run(&mut c, decision(4), &m, "2026-03-04T06:00:00Z").expect("refusal recommended");
    let r = w.run(&mut c, Command::Issue { number, valid_to: None }, &o, "2026-03-05T06:00:00Z").expect_err("against");
    assert!(matches!(r.reason, Reason::AgainstRecommendation { .. }));
    w.run(
        &mut c,
        Command::Refuse { grounds: vec![Ground::BelowPassMark], reasoning: "4 points of 6".into() },
        &o,
        "2026-03-05T06:00:00Z",
    )
    .expect("refused");
    assert_eq!(c.state, State::Refused);
    let r = w.run(&mut c, Command::Register, &o, "2026-03-05T07:00:00Z").expect_err("finished");
    assert!(matches!(r.reason, Reason::Finished { .. }));
}

/// R11.1: the certificate carries App.3's fields.
#[test]
fn r11_1_certificate_fields() {
    let mut w = World::new();
    let n = w.issue_certificate("2026-04-01T05:00:00Z");
    let c = &w.certificates[&n];
    assert_eq!(c.akimat, AKIMAT);
    assert_eq!(c.holder.full_name(), "Smith John");
    assert_eq!((c.profession.as_str(), c.sector.as_str()), ("2512-1", "J"));
    assert!(c.basis.contains("minutes No. 7"), "{}", c.basis);
    // The basis is stated in the form's language, from its parts.
    assert_eq!(c.basis_in(rules::Lang::En), c.basis);
    assert!(
        c.basis_in(rules::Lang::Ru).starts_with("Решение Комиссии, протокол № 7 от "),
        "{}",
        c.basis_in(rules::Lang::Ru)
    );
    assert!(c.basis_in(rules::Lang::Kk).contains("№ 7 хаттамасымен"), "{}", c.basis_in(rules::Lang::Kk));
    let old = rules::certificate::Certificate { basis_of: None, ..c.clone() };
    assert_eq!(old.basis_in(rules::Lang::Kk), c.basis, "a certificate recorded before keeps its words");
    assert_eq!(c.issued_on, date("2026-04-01"));
    assert!(c.valid_from <= c.valid_to);
    assert_eq!(c.holder.masked_name(), "S**** J.");
}

/// App.1 prints the sector (Rules §8's list) by its name, not only its OKED code.
#[test]
fn app1_sector_by_name() {
    let w = World::new();
    let oked = application(Service::Issue).sector.expect("an issue names its sector");
    for lang in [Lang::Kk, Lang::Ru] {
        let name = w.law.sector_name(&oked, lang).expect("listed");
        assert!(!name.is_empty() && name != oked, "{name}");
    }
    assert_eq!(w.law.sector_name("99.99", Lang::Ru), None);
}

/// The law's data, not code (issue 11): a later order that moves a document between lists
/// and renumbers paragraphs is a new rule set. A case filed under it needs its list, and its
/// refusals and events cite its numbers, while a case filed before keeps the old ones.
#[test]
fn r3_4_a_new_order_changes_checklists_and_numbering_as_data() {
    let mut w = World::new();
    let mut newer = w.law.rules.sets()[0].clone();
    newer.id = "hypothetical-renumbering-order".into();
    newer.effective_from = date("2026-06-01");
    newer.checklists.issue.retain(|r| !r.any_of.contains(&DocumentKind::LabourActivityRecord));
    newer.citations.0.insert("App.1".into(), "App.1-1".into());
    w.law.rules = w.law.rules.merged(rules::RuleBook::from_sets(vec![newer]).expect("valid")).expect("merges");

    let mut without_record = application(Service::Issue);
    without_record.documents.retain(|d| d.kind != DocumentKind::LabourActivityRecord);
    let old = w.submit(without_record.clone(), "2026-05-04T05:00:00Z").expect("filed");
    assert_eq!(old.state, State::NotAccepted, "the old list still needs the labour record");
    let new = w.submit(without_record, "2026-06-02T05:00:00Z").expect("filed");
    assert_eq!(new.state, State::Submitted, "the new list does not: {:?}", new.not_accepted);
    assert_eq!(new.rule_set, "hypothetical-renumbering-order");

    let mut no_consent = application(Service::Issue);
    no_consent.consent = false;
    let old = w.submit(no_consent.clone(), "2026-05-04T05:00:00Z").expect_err("no consent");
    assert_eq!(old.citation.as_str(), "App.1");
    let new = w.submit(no_consent, "2026-06-02T05:00:00Z").expect_err("no consent");
    assert_eq!(new.citation.as_str(), "App.1-1", "the new set's numbering");
    assert!(matches!(new.reason, Reason::NoConsent));
}
