//! Replay (issue 36): every recorded step of a case decided again through `rules`, with the
//! rule set, criteria and calendar the store holds now and the clock of the step's own
//! instant, and compared with what was recorded. A step *agrees* when the rules give the same
//! event; it *differs* when they give another (naming the first differing field) or refuse.
//!
//! The command of each step is read back from its event (a registration from `registered`, an
//! issue from the certificate it issued, the Commission's decision from its minutes and
//! answers). The case is folded from the recorded events, not the replayed ones, so each step
//! is judged on what actually happened before it. Nothing is written.

use rules::case::{CaseAction, Command, Event, EventKind, Outcome};
use rules::certificate::{Certificate, CertificateEvent};
use rules::{Case, Env};
use serde::Serialize;

use crate::{Store, StoreError};

/// One step of a case, replayed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// Its position in the global chain.
    pub seq: i64,
    /// The recorded event (`registered`, …).
    pub event: String,
    /// When, ms since the epoch.
    pub at_ms: i64,
    /// `agrees` or `differs`.
    pub verdict: &'static str,
    /// What differs: the first field (`due.on`), or the rules' refusal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub differs: Option<String>,
    /// The paragraph the step acts under.
    pub citation: String,
    /// The rule set the case is decided under.
    pub rule_set: String,
}

/// A case replayed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Replay {
    /// The case.
    pub number: String,
    /// Each recorded step.
    pub steps: Vec<Step>,
    /// How many steps differ.
    pub differs: usize,
}

/// The command a recorded event was the result of; `None` for one the service made itself
/// with the filing (not accepting an incomplete one).
fn command_of(kind: &EventKind) -> Option<Command> {
    Some(match kind {
        EventKind::Registered { .. } => Command::Register,
        EventKind::Forwarded { .. } => Command::Forward,
        EventKind::NotAccepted { completeness, note } => Command::NotAccept {
            missing: completeness.missing.iter().filter_map(|r| r.any_of.first().copied()).collect(),
            expired: completeness.expired.iter().map(|e| e.kind).collect(),
            note: note.clone(),
        },
        EventKind::Decided { decision } => Command::RecordDecision {
            minutes: decision.minutes.clone(),
            members: decision.members.clone(),
            present: decision.present.clone(),
            answers: decision
                .assessment
                .lines
                .iter()
                .filter_map(|l| l.answer.clone().map(|a| (l.criterion.clone(), a)))
                .collect(),
            recommendation: decision.recommendation.clone(),
        },
        EventKind::Completed { outcome } => match outcome {
            Outcome::Issued { certificate } => {
                Command::Issue { number: certificate.number.clone(), valid_to: Some(certificate.valid_to) }
            }
            Outcome::Extended { to, .. } => Command::Extend { valid_to: Some(*to) },
            Outcome::Reissued { certificate, .. } => Command::Reissue { number: certificate.number.clone() },
            Outcome::Duplicated { .. } => Command::IssueDuplicate,
        },
        EventKind::Refused { grounds, reasoning } => {
            Command::Refuse { grounds: grounds.clone(), reasoning: reasoning.clone() }
        }
        EventKind::Closed { .. } => CaseAction::Close.into_command(None)?,
        EventKind::Submitted { .. } => return None,
    })
}

/// The first field where two events' contents differ, `None` when they agree.
fn difference(recorded: &EventKind, replayed: &EventKind) -> Option<String> {
    let (a, b) = (serde_json::to_value(recorded).ok()?, serde_json::to_value(replayed).ok()?);
    crate::health::first_difference(&a, &b).map(|f| if f.is_empty() { "the event".to_owned() } else { f })
}

impl Store {
    /// The certificate `number` as it stood before event `before` of the global chain.
    async fn certificate_before(&self, number: &str, before: i64) -> Result<Option<Certificate>, StoreError> {
        let mut cert = None;
        for e in self.stream(&format!("certificate/{number}")).await? {
            if e.global_seq >= before {
                break;
            }
            serde_json::from_str::<CertificateEvent>(&e.payload)?.apply(&mut cert);
        }
        Ok(cert)
    }

    /// Case `number` replayed step by step; `None` when there is no such case.
    pub async fn replay_case(&self, number: &str) -> Result<Option<Replay>, StoreError> {
        let stored = self.stream(&format!("case/{number}")).await?;
        let events: Vec<Event> = stored.iter().map(|e| serde_json::from_str(&e.payload)).collect::<Result<_, _>>()?;
        let Some(first) = events.first() else { return Ok(None) };
        let EventKind::Submitted { number: case_number, application, rule_set, .. } = &first.kind else {
            return Err(StoreError::Corrupt(format!("case {number} does not begin with its filing")));
        };
        let hours = self.hours_of(&application.akimat)?;
        let (law, calendar) = (&self.reference().law, &self.reference().calendar);
        let certificate = match &application.certificate {
            Some(n) => self.certificate_before(&n.to_string(), stored[0].global_seq).await?,
            None => None,
        };
        let env = Env { now: first.at, actor: &first.actor, calendar, hours: &hours };
        let filed = rules::case::submit(case_number.clone(), (**application).clone(), &env, law, certificate.as_ref());
        let mut steps = Vec::with_capacity(events.len());
        let mut produced_at_filing: Vec<Event> = Vec::new();
        let step = |i: usize, verdict_of: Option<String>| Step {
            seq: stored[i].global_seq,
            event: stored[i].kind.clone(),
            at_ms: stored[i].at_ms,
            verdict: if verdict_of.is_some() { "differs" } else { "agrees" },
            differs: verdict_of,
            citation: stored[i].citation.clone(),
            rule_set: rule_set.clone(),
        };
        match filed {
            Ok(made) => {
                steps.push(step(0, made.first().and_then(|m| difference(&first.kind, &m.kind))));
                produced_at_filing = made.into_iter().skip(1).collect();
            }
            Err(r) => steps.push(step(0, Some(format!("refused: {}", r.message(rules::Lang::En))))),
        }
        let mut case = Case::from_events(&events[..1]).ok_or_else(|| StoreError::Corrupt(number.to_owned()))?;
        for (i, e) in events.iter().enumerate().skip(1) {
            let verdict = match command_of(&e.kind) {
                // Made by the service with the filing (not accepting an incomplete one).
                Some(_) if i == 1 && produced_at_filing.first().is_some_and(|p| p.kind == e.kind) => None,
                Some(cmd) => {
                    let cert = match &case.application.certificate {
                        Some(n) => self.certificate_before(&n.to_string(), stored[i].global_seq).await?,
                        None => None,
                    };
                    let env = Env { now: e.at, actor: &e.actor, calendar, hours: &hours };
                    match rules::case::decide(&case, &cmd, &env, law, cert.as_ref()) {
                        Ok(made) => made.first().and_then(|m| difference(&e.kind, &m.kind)),
                        Err(r) => Some(format!("refused: {}", r.message(rules::Lang::En))),
                    }
                }
                None => Some("an event no command gives".to_owned()),
            };
            steps.push(step(i, verdict));
            case.apply(e);
        }
        let differs = steps.iter().filter(|s| s.verdict == "differs").count();
        Ok(Some(Replay { number: number.to_owned(), steps, differs }))
    }
}
