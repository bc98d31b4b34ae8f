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
    /// The due date the recorded event set (`due.on`), where it set one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded_due: Option<String>,
    /// The due date the replay set, where it set one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replayed_due: Option<String>,
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

/// The first field where two events' contents differ, `None` when they agree. `as_if` (a
/// rule set tried on the caseload) leaves out which set's id the filing names.
fn difference(recorded: &EventKind, replayed: &EventKind, as_if: bool) -> Option<String> {
    // Most steps agree: equal events need no field named, and no JSON made of them.
    if recorded == replayed {
        return None;
    }
    let (mut a, mut b) = (serde_json::to_value(recorded).ok()?, serde_json::to_value(replayed).ok()?);
    if as_if {
        for v in [&mut a, &mut b] {
            if let Some(o) = v.as_object_mut() {
                o.remove("rule_set");
            }
        }
    }
    crate::health::first_difference(&a, &b).map(|f| if f.is_empty() { "the event".to_owned() } else { f })
}

/// The certificate whose events are `stream` (parsed once, with their global positions), as
/// it stood before global position `before`; `None` before it was issued (or with no stream).
fn certificate_in(stream: &[(i64, CertificateEvent)], before: i64) -> Option<Certificate> {
    let mut cert = None;
    for (_, e) in stream.iter().take_while(|(seq, _)| *seq < before) {
        e.apply(&mut cert);
    }
    cert
}

/// A case's stored events parsed.
fn parse_events(stored: &[crate::StoredEvent]) -> Result<Vec<Event>, StoreError> {
    Ok(stored.iter().map(|e| serde_json::from_str(&e.payload)).collect::<Result<_, _>>()?)
}

/// A certificate's stored events parsed, with their global positions.
fn parse_certificate(stored: &[crate::StoredEvent]) -> Result<Vec<(i64, CertificateEvent)>, StoreError> {
    stored.iter().map(|e| Ok((e.global_seq, serde_json::from_str(&e.payload)?))).collect()
}

/// The certificate a case's filing names (an extension, re-issue or duplicate), if any.
fn certificate_of(events: &[Event]) -> Option<&rules::numbers::CertificateNumber> {
    match &events.first()?.kind {
        EventKind::Submitted { application, .. } => application.certificate.as_ref(),
        _ => None,
    }
}

/// The `due.on` an event sets, if any: read from the event itself, not from its JSON (a
/// filing's JSON carries the whole application).
fn due_of(kind: &EventKind) -> Option<String> {
    match kind {
        EventKind::Submitted { due, .. } | EventKind::Registered { due, .. } | EventKind::Forwarded { due, .. } => {
            Some(due.on.to_string())
        }
        _ => None,
    }
}

impl Store {
    /// Case `number` replayed step by step; `None` when there is no such case.
    pub async fn replay_case(&self, number: &str) -> Result<Option<Replay>, StoreError> {
        self.replay_case_under(number, &self.reference().law, false).await
    }

    /// Case `number` replayed under `law`. With `as_if`, as if `law`'s rule set in force on the
    /// day of receipt had been the case's (a proposed change tried on the caseload,
    /// `rules impact`); without, under the set the case recorded.
    pub async fn replay_case_under(
        &self,
        number: &str,
        law: &rules::law::Law,
        as_if: bool,
    ) -> Result<Option<Replay>, StoreError> {
        let stored = self.stream(&format!("case/{number}")).await?;
        let events = parse_events(&stored)?;
        let cert_stream = match certificate_of(&events) {
            Some(n) => parse_certificate(&self.stream(&format!("certificate/{n}")).await?)?,
            None => Vec::new(),
        };
        self.replay_parsed(number, &stored, &events, &cert_stream, law, as_if)
    }

    /// Case `number` replayed from its events, `stored` and parsed (read by the caller, one
    /// case or a period's worth at once), with its certificate's events, if it names one.
    fn replay_parsed(
        &self,
        number: &str,
        stored: &[crate::StoredEvent],
        events: &[Event],
        cert_stream: &[(i64, CertificateEvent)],
        law: &rules::law::Law,
        as_if: bool,
    ) -> Result<Option<Replay>, StoreError> {
        let Some(first) = events.first() else { return Ok(None) };
        let EventKind::Submitted { number: case_number, application, rule_set, .. } = &first.kind else {
            return Err(StoreError::Corrupt(format!("case {number} does not begin with its filing")));
        };
        let hours = self.hours_of(&application.akimat)?;
        let calendar = &self.reference().calendar;
        // Each step folds the certificate's events up to its own position.
        let certificate = certificate_in(cert_stream, stored[0].global_seq);
        let env = Env { now: first.at, actor: &first.actor, calendar, hours: &hours };
        let filed = rules::case::submit(case_number.clone(), (**application).clone(), &env, law, certificate.as_ref());
        let mut steps = Vec::with_capacity(events.len());
        let mut produced_at_filing: Vec<Event> = Vec::new();
        let step = |i: usize, verdict_of: Option<String>, made: Option<&EventKind>| Step {
            seq: stored[i].global_seq,
            event: stored[i].kind.clone(),
            at_ms: stored[i].at_ms,
            verdict: if verdict_of.is_some() { "differs" } else { "agrees" },
            differs: verdict_of,
            citation: stored[i].citation.clone(),
            rule_set: rule_set.clone(),
            recorded_due: due_of(&events[i].kind),
            replayed_due: made.and_then(due_of),
        };
        match filed {
            Ok(made) => {
                let verdict = made.first().and_then(|m| difference(&first.kind, &m.kind, as_if));
                steps.push(step(0, verdict, made.first().map(|m| &m.kind)));
                produced_at_filing = made.into_iter().skip(1).collect();
            }
            Err(r) => steps.push(step(0, Some(format!("refused: {}", r.message(rules::Lang::En))), None)),
        }
        let mut case = Case::from_events(&events[..1]).ok_or_else(|| StoreError::Corrupt(number.to_owned()))?;
        if as_if && let Ok(set) = law.rules.in_force_on(case.received_on) {
            case.rule_set = set.id.clone();
        }
        for (i, e) in events.iter().enumerate().skip(1) {
            let (verdict, made) = match command_of(&e.kind) {
                // Made by the service with the filing (not accepting an incomplete one).
                Some(_) if i == 1 && produced_at_filing.first().is_some_and(|p| p.kind == e.kind) => (None, None),
                Some(cmd) => {
                    let cert = certificate_in(cert_stream, stored[i].global_seq);
                    let env = Env { now: e.at, actor: &e.actor, calendar, hours: &hours };
                    match rules::case::decide(&case, &cmd, &env, law, cert.as_ref()) {
                        Ok(made) => {
                            let first = made.into_iter().next();
                            (first.as_ref().and_then(|m| difference(&e.kind, &m.kind, as_if)), first.map(|m| m.kind))
                        }
                        Err(r) => (Some(format!("refused: {}", r.message(rules::Lang::En))), None),
                    }
                }
                None => (Some("an event no command gives".to_owned()), None),
            };
            steps.push(step(i, verdict, made.as_ref()));
            case.apply(e);
        }
        let differs = steps.iter().filter(|s| s.verdict == "differs").count();
        Ok(Some(Replay { number: number.to_owned(), steps, differs }))
    }
}

/// How many cases' events a survey reads at once.
const SLICE: usize = 500;

/// The replay of a period's cases, or a proposed rule set tried on them (`rules impact`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Survey {
    /// Cases replayed.
    pub cases: usize,
    /// Steps (recorded commands) decided again.
    pub steps: usize,
    /// Cases with any step that differs.
    pub differing: usize,
    /// Cases whose result (issued, extended, refused, not accepted, closed) would differ.
    pub outcomes_changed: usize,
    /// Cases with a due date that would differ.
    pub deadlines_changed: usize,
    /// Cases whose next step would fall on the other side of its due date.
    pub overdue_changed: usize,
    /// Changed cases by service and by akimat.
    pub by_service: std::collections::BTreeMap<String, usize>,
    /// Changed cases by akimat.
    pub by_akimat: std::collections::BTreeMap<String, usize>,
    /// Up to ten changed cases, with their first difference.
    pub examples: Vec<Example>,
}

/// A changed case and its first difference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Example {
    /// The case.
    pub number: String,
    /// The step's event.
    pub event: String,
    /// What differs.
    pub differs: String,
}

/// What a replay changes, counted into `s`.
fn count(s: &mut Survey, r: &Replay, service: &str, akimat: &str) {
    s.cases += 1;
    s.steps += r.steps.len();
    let Some(first) = r.steps.iter().find(|x| x.verdict == "differs") else { return };
    s.differing += 1;
    // The Commission's decision decides the outcome of a first issue: a decision that differs is one.
    let results = ["decided", "completed", "refused", "not-accepted", "closed"];
    if r.steps.iter().any(|x| x.verdict == "differs" && results.contains(&x.event.as_str())) {
        s.outcomes_changed += 1;
    }
    if r.steps.iter().any(|x| x.recorded_due != x.replayed_due && x.replayed_due.is_some()) {
        s.deadlines_changed += 1;
    }
    // Whether the step after each due date came after it, then and under the replay.
    let overdue = r.steps.windows(2).any(|w| {
        // Kazakhstan keeps one offset, UTC+5, since 1 March 2024.
        let zone = jiff::tz::TimeZone::fixed(jiff::tz::offset(5));
        let next = jiff::Timestamp::from_millisecond(w[1].at_ms).map(|t| zone.to_datetime(t).date());
        match (next, &w[0].recorded_due, &w[0].replayed_due) {
            (Ok(d), Some(a), Some(b)) => {
                let (a, b): (Option<jiff::civil::Date>, Option<jiff::civil::Date>) = (a.parse().ok(), b.parse().ok());
                a.is_some_and(|a| d > a) != b.is_some_and(|b| d > b)
            }
            _ => false,
        }
    });
    if overdue {
        s.overdue_changed += 1;
    }
    *s.by_service.entry(service.to_owned()).or_default() += 1;
    *s.by_akimat.entry(akimat.to_owned()).or_default() += 1;
    if s.examples.len() < 10 {
        s.examples.push(Example {
            number: r.number.clone(),
            event: first.event.clone(),
            differs: first.differs.clone().unwrap_or_default(),
        });
    }
}

impl Store {
    /// The cases received from `from` to `to` (days, inclusive), of `akimat` when given:
    /// number, akimat and service.
    pub async fn cases_received(
        &self,
        from: jiff::civil::Date,
        to: jiff::civil::Date,
        akimat: Option<&str>,
    ) -> Result<Vec<(String, String, String)>, StoreError> {
        use sqlx::Row as _;
        let rows = sqlx::query(
            "SELECT number, akimat, service FROM cases WHERE received_on >= $1 AND received_on <= $2 \
             AND ($3 = '' OR akimat = $3) ORDER BY number",
        )
        .bind(from.to_string())
        .bind(to.to_string())
        .bind(akimat.unwrap_or("").to_owned())
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?))).collect()
    }

    /// Every case of the period replayed under `law` (`as_if`: as if its rule set had been in
    /// force); nothing is written.
    pub async fn survey(
        &self,
        from: jiff::civil::Date,
        to: jiff::civil::Date,
        akimat: Option<&str>,
        law: &rules::law::Law,
        as_if: bool,
    ) -> Result<Survey, StoreError> {
        let mut s = Survey::default();
        // The events of a slice of cases in one statement, not one per case: the replay itself
        // is in memory, and a round trip per case would be most of its time.
        for slice in self.cases_received(from, to, akimat).await?.chunks(SLICE) {
            let streams: Vec<String> = slice.iter().map(|(n, _, _)| format!("case/{n}")).collect();
            let mut stored = self.streams(&streams).await?;
            let mut parsed = Vec::with_capacity(slice.len());
            for stream in &streams {
                let events = stored.remove(stream).unwrap_or_default();
                let kinds = parse_events(&events)?;
                parsed.push((events, kinds));
            }
            // The certificates the slice's cases name, read together too.
            let certs: Vec<String> = parsed
                .iter()
                .filter_map(|(_, kinds)| certificate_of(kinds))
                .map(|n| format!("certificate/{n}"))
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            let mut cert_streams = std::collections::HashMap::new();
            for (stream, events) in self.streams(&certs).await? {
                cert_streams.insert(stream, parse_certificate(&events)?);
            }
            for ((number, akimat, service), (events, kinds)) in slice.iter().zip(&parsed) {
                let cert = certificate_of(kinds).and_then(|n| cert_streams.get(&format!("certificate/{n}")));
                let cert = cert.map_or(&[][..], Vec::as_slice);
                if let Some(r) = self.replay_parsed(number, events, kinds, cert, law, as_if)? {
                    count(&mut s, &r, service, akimat);
                }
            }
        }
        Ok(s)
    }
}
