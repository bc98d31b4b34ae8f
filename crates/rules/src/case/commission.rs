//! The Commission's decision (Rules §9, §10): its quorum, its assessment and recommendation,
//! every problem of its form said at once.

use jiff::civil::Date;

use super::kind::EventKind;
use super::outcome::CommissionDecision;
use super::outcome::Recommendation;
use super::record::field;
use crate::assessment::{Answers, assess};
use crate::facts::{Field, Problem};
use crate::law::InForce;
use crate::refusal::{Reason, Refusal};
use crate::vocab::Ground;

pub(crate) fn record_decision(
    minutes: &str,
    members: &[String],
    present: &[String],
    answers: &Answers,
    recommendation: &Recommendation,
    law: &InForce<'_>,
    today: Date,
) -> Result<EventKind, Refusal> {
    if let Some(who) = present.iter().find(|p| !members.contains(p)) {
        return Err(Refusal::new(Reason::NotAMember { who: who.clone() }, "Rules §9"));
    }
    let mut distinct = present.to_vec();
    distinct.sort();
    distinct.dedup();
    let quorum = law.rules.readings.commission_quorum;
    if members.is_empty() || !quorum.met(distinct.len(), members.len()) {
        return Err(Refusal::new(
            Reason::NoQuorum { present: distinct.len(), members: members.len(), needed: quorum.needed(members.len()) },
            "Rules §9",
        ));
    }
    if let Some(all) = Refusal::all(decision_problems(minutes, answers, Some(recommendation), law)) {
        return Err(all);
    }
    let assessment =
        assess(answers, law.criteria, &law.rules.terms.pass_mark_points).map_err(|e| e.refusal(law.criteria))?;
    let recommendation = match recommendation {
        Recommendation::Issue { reasoning } => Recommendation::Issue { reasoning: reasoning.trim().to_owned() },
        Recommendation::Refuse { grounds, reasoning } => {
            let mut grounds = grounds.clone();
            if !assessment.passed() && !grounds.contains(&Ground::BelowPassMark) {
                grounds.push(Ground::BelowPassMark);
            }
            grounds.sort();
            grounds.dedup();
            Recommendation::Refuse { grounds, reasoning: reasoning.trim().to_owned() }
        }
    };
    Ok(EventKind::Decided {
        decision: Box::new(CommissionDecision {
            on: today,
            minutes: minutes.trim().to_owned(),
            members: members.to_vec(),
            present: distinct,
            assessment,
            recommendation,
        }),
    })
}

/// Everything wrong with a Commission's decision as its form gives it (Rules §9, §10; App.2
/// item 9), each with its paragraph, in the order the form asks: the minutes, the answers,
/// the recommendation with its grounds and reasons. All of them, so that a member fixes the
/// form once (issue 31). `None` for a recommendation not chosen.
pub fn decision_problems(
    minutes: &str,
    answers: &Answers,
    recommendation: Option<&Recommendation>,
    law: &InForce<'_>,
) -> Vec<Refusal> {
    let mut problems = Vec::new();
    if minutes.trim().is_empty() {
        problems.push(field(Field::Minutes, Problem::Required, "Rules §9"));
    }
    let pass = &law.rules.terms.pass_mark_points;
    // The total decides the recommendation's checks; an incomplete or invalid one decides none.
    let total = match assess(answers, law.criteria, pass) {
        Err(e) => {
            problems.push(e.refusal(law.criteria));
            None
        }
        Ok(a) if !a.complete => {
            let unanswered = a.unanswered().map(|l| l.question.clone()).collect();
            problems.push(Refusal::new(Reason::AssessmentIncomplete { unanswered }, "Rules §9; Rules §10"));
            None
        }
        Ok(a) => Some((a.passed(), a.total)),
    };
    let pass_mark = pass.value;
    match (recommendation, total) {
        (None, _) => problems.push(Refusal::new(Reason::NoRecommendation, "Rules §9")),
        (Some(Recommendation::Issue { .. }), Some((false, total))) => {
            problems.push(Refusal::new(Reason::BelowPassMark { total, pass_mark }, pass.citation.clone()));
        }
        (Some(Recommendation::Issue { .. }), _) => {}
        (Some(Recommendation::Refuse { grounds, reasoning }), total) => {
            match total {
                Some((true, total)) if grounds.contains(&Ground::BelowPassMark) => {
                    problems.push(Refusal::new(Reason::PassMarkReached { total, pass_mark }, "App.2 item 9.2"));
                }
                // Below the pass mark, App.2 item 9.2 is the ground even when none is ticked.
                Some((true, _)) if grounds.is_empty() => {
                    problems.push(Refusal::new(Reason::NoGrounds, "Rules §9; App.2 item 9"));
                }
                _ => {}
            }
            let needs_words = grounds.iter().any(|g| *g != Ground::BelowPassMark);
            if needs_words && reasoning.trim().is_empty() {
                problems.push(Refusal::new(Reason::NoReasoning, "Rules §9"));
            }
        }
    }
    problems
}
