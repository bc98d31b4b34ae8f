//! Complaints: R10.1–R10.4.

use rules::Role;
use rules::complaint::{ComplaintCommand, ComplaintState, Filing, Route, Target, Verdict};
use rules::refusal::Reason;

use crate::support::*;

fn filing(route: Route) -> Filing {
    Filing {
        akimat: AKIMAT.into(),
        complainant: iin(),
        case: None,
        target: Target::Inaction,
        route,
        body: rules::complaint::ReviewingBody::default(),
        text: "My application has not been registered for a week".into(),
    }
}

/// R10.1: the reviewing body reviews a forwarded complaint and records the outcome.
#[test]
fn r10_1_reviewing_body_decides() {
    let mut w = World::new();
    let mut c = w.file_complaint(filing(Route::ToReviewingBody), "2026-03-02T05:00:00Z").expect("filed");
    let (o, r) = (w.officer(), w.reviewer.clone());
    w.complaint(&mut c, ComplaintCommand::Forward, &o, "2026-03-03T05:00:00Z").expect("forwarded");
    assert_eq!(c.state, ComplaintState::UnderReview);
    assert_eq!(c.due.as_ref().map(|d| d.working_days), Some(15));
    let decide =
        ComplaintCommand::Decide { verdict: Verdict::Upheld, reasoning: "Registered late; officer reprimanded".into() };
    let e =
        w.complaint(&mut c, decide.clone(), &o, "2026-03-10T05:00:00Z").expect_err("the akimat does not judge itself");
    assert!(matches!(e.reason, Reason::WrongRole { needed: Role::Reviewer, .. }));
    w.complaint(&mut c, decide, &r, "2026-03-10T05:00:00Z").expect("decided");
    assert_eq!((c.state, c.verdict), (ComplaintState::Resolved, Some(Verdict::Upheld)));
}

/// R10.2: the akimat forwards within 3 working days.
#[test]
fn r10_2_forwarding_due_in_three_working_days() {
    let mut w = World::new();
    let c = w.file_complaint(filing(Route::ToReviewingBody), "2026-03-05T05:00:00Z").expect("filed");
    let due = c.due.expect("due");
    // Thursday 5 + 3: Friday 6, (Monday 9 off), Tuesday 10, Wednesday 11.
    assert_eq!((due.on, due.citation.as_str()), (date("2026-03-11"), "Rules §24 para 2"));
}

/// R10.3: fully satisfied within the 3 days, it need not be forwarded; after them it must be.
#[test]
fn r10_3_satisfied_within_three_days() {
    let mut w = World::new();
    let o = w.officer();
    let mut c = w.file_complaint(filing(Route::ToReviewingBody), "2026-03-02T05:00:00Z").expect("filed");
    let satisfy = ComplaintCommand::Satisfy { action: "Registered the application on 3 March".into() };
    w.complaint(&mut c, satisfy.clone(), &o, "2026-03-05T05:00:00Z").expect("within the window");
    assert_eq!(c.state, ComplaintState::Satisfied);
    let mut late = w.file_complaint(filing(Route::ToReviewingBody), "2026-03-02T05:00:00Z").expect("filed");
    let e = w.complaint(&mut late, satisfy, &o, "2026-03-06T05:00:00Z").expect_err("window passed");
    assert_eq!(e.reason, Reason::SatisfactionWindowPassed { due: date("2026-03-05"), days: 3 });
    w.complaint(&mut late, ComplaintCommand::Forward, &o, "2026-03-06T05:00:00Z").expect("still forwarded, late");
}

/// R10.4: a complaint addressed to the akimat is reviewed by it within 5 working days.
#[test]
fn r10_4_akimat_reviews_in_five_working_days() {
    let mut w = World::new();
    let o = w.officer();
    let mut c = w.file_complaint(filing(Route::ToAkimat), "2026-03-02T05:00:00Z").expect("filed");
    assert_eq!(c.state, ComplaintState::UnderAkimatReview);
    assert_eq!(c.due.as_ref().map(|d| (d.on, d.citation.as_str())), Some((date("2026-03-10"), "Rules §25")));
    let e = w.complaint(&mut c, ComplaintCommand::Forward, &o, "2026-03-03T05:00:00Z").expect_err("not this route");
    assert!(matches!(e.reason, Reason::NotForThisService { .. }));
    let e = w
        .complaint(
            &mut c,
            ComplaintCommand::Decide { verdict: Verdict::Rejected, reasoning: " ".into() },
            &o,
            "2026-03-03T05:00:00Z",
        )
        .expect_err("reasons");
    assert_eq!(e.reason, Reason::NoReasoning);
    w.complaint(
        &mut c,
        ComplaintCommand::Decide { verdict: Verdict::Rejected, reasoning: "Registered in time on 2 March".into() },
        &o,
        "2026-03-04T05:00:00Z",
    )
    .expect("decided");
    assert_eq!(c.state, ComplaintState::Resolved);
}

/// Issue 11 item 12 (Rules §24 para 1): each reviewing body has its own term, a Reading with
/// its basis, counted from the complaint's registration there (the day it arrives).
#[test]
fn rules_24_para_1_reviewing_body_term_per_body() {
    use rules::complaint::ReviewingBody;
    let expected = [
        (ReviewingBody::QualityAuthority, 15, "Law on public services art. 25", "2026-03-30"),
        (ReviewingBody::HigherBody, 20, "Administrative Procedural Code art. 100", "2026-04-06"),
        (ReviewingBody::Official, 20, "Administrative Procedural Code art. 100", "2026-04-06"),
    ];
    for (body, days, basis, due) in expected {
        let mut w = World::new();
        let o = w.officer();
        let mut f = filing(Route::ToReviewingBody);
        f.body = body;
        let mut c = w.file_complaint(f, "2026-03-02T05:00:00Z").expect("filed");
        // Forwarded on Tuesday 3 March: counted from then, skipping 9 March and 23–25 March.
        w.complaint(&mut c, ComplaintCommand::Forward, &o, "2026-03-03T05:00:00Z").expect("forwarded");
        let d = c.due.expect("the body's term runs");
        assert_eq!((d.from, d.working_days, d.citation.as_str()), (date("2026-03-03"), days, basis), "{body:?}");
        assert_eq!(d.on, date(due), "{body:?}");
    }
    let law = rules::law::Law::embedded().expect("law");
    let set = law.rules.in_force_on(date("2026-03-03")).expect("set");
    for (_, term) in set.reviewing_bodies.all() {
        assert!(term.reading.len() > 40, "each term says why it applies");
    }
}

/// R10.1: a complaint is about the complainant's own case (Rules §24): a case of someone
/// else, or one the records do not hold, is refused, and so is an akimat other than the one
/// that has the case.
#[test]
fn r10_1_a_complaint_names_only_the_complainants_own_case() {
    let mut w = World::new();
    let case = w.submit(application(rules::case::Service::Issue), "2026-03-02T05:00:00Z").expect("filed");
    let about = |c: &rules::case::Case| Filing { case: Some(c.number.clone()), ..filing(Route::ToReviewingBody) };
    w.file_complaint_about(about(&case), Some(&case), "2026-03-03T05:00:00Z").expect("one's own case");

    let e = w.file_complaint_about(about(&case), None, "2026-03-03T05:00:00Z").expect_err("no such case");
    assert!(matches!(e.reason, Reason::CaseNotTheComplainants { .. }), "{e:?}");

    let mut theirs = case.clone();
    theirs.application.applicant.iin = rules::ids::Iin::parse("900101300027").expect("an IIN");
    let e = w.file_complaint_about(about(&theirs), Some(&theirs), "2026-03-03T05:00:00Z").expect_err("another's");
    assert!(matches!(e.reason, Reason::CaseNotTheComplainants { .. }), "{e:?}");
    assert_eq!(e.citation.as_str(), "Rules §24");

    let elsewhere = Filing { akimat: "almaty-city".into(), ..about(&case) };
    let e = w.file_complaint_about(elsewhere, Some(&case), "2026-03-03T05:00:00Z").expect_err("other akimat");
    assert!(matches!(e.reason, Reason::OtherAkimat { .. }), "{e:?}");
}
