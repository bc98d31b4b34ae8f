//! A case as recorded: its events and their fold into its state, due dates and status.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::application::Application;
use super::commands::Step;
use super::kind::EventKind;
use super::outcome::CommissionDecision;
use super::outcome::Outcome;
use crate::actor::Actor;
use crate::citation::Citation;
use crate::deadline::{DueDate, Lateness};
use crate::documents::Completeness;
use crate::env::Env;
use crate::facts::{Field, Problem};
use crate::ids::Iin;
use crate::numbers::CaseNumber;
use crate::params::RuleSet;
use crate::refusal::{Reason, Refusal};
use crate::text::Lang;
use crate::vocab::{Ground, ServiceKind, State};

/// A recorded event of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// When.
    pub at: Timestamp,
    /// Who, in which role.
    pub actor: Actor,
    /// The paragraph it acts under.
    pub citation: Citation,
    /// What. Read tag first ([`super::wire`]): a log is read far more often than written.
    #[serde(deserialize_with = "super::wire::event_kind")]
    pub kind: EventKind,
}

/// A case: the fold of its events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    /// Its number.
    pub number: CaseNumber,
    /// The application.
    pub application: Application,
    /// The state.
    pub state: State,
    /// How many events it has: the optimistic-concurrency version.
    pub version: u64,
    /// The instant it was filed, the "date of filing" of App.1; it may precede
    /// `received_on` (filed after hours or on a day off). Snapshots kept before it was
    /// recorded read as the Unix epoch; [`Case::filed_on`] then answers `received_on`.
    #[serde(default)]
    pub filed_at: Timestamp,
    /// The day it counts as received, which is the day it is registered (App.2 item 7).
    pub received_on: Date,
    /// The rule set it is judged by.
    pub rule_set: String,
    /// The criteria table it is assessed by.
    pub criteria: String,
    /// The list version its profession is checked against.
    pub catalogue: String,
    /// The current stage's due date; `None` only in a final state.
    pub due: Option<DueDate>,
    /// The whole service's due date, once registered.
    pub service_due: Option<DueDate>,
    /// A late filing's flag.
    pub late: Option<Lateness>,
    /// The Commission's decision.
    pub decision: Option<CommissionDecision>,
    /// The result.
    pub outcome: Option<Outcome>,
    /// The officer's reasoning (refused) or note (not accepted), in their words.
    pub reasons: Option<String>,
    /// What was missing or expired when not accepted (App.2 item 9), said in the reader's
    /// language by [`Case::reasons_in`].
    #[serde(default)]
    pub not_accepted: Option<Completeness>,
    /// Refusal grounds.
    pub grounds: Vec<Ground>,
}

impl Case {
    /// Folds events into a case; `None` when the first is not a submission.
    pub fn from_events<'a>(events: impl IntoIterator<Item = &'a Event>) -> Option<Case> {
        let mut it = events.into_iter();
        let first = it.next()?;
        let EventKind::Submitted { number, application, received_on, rule_set, criteria, catalogue, due, late } =
            &first.kind
        else {
            return None;
        };
        let mut case = Case {
            number: number.clone(),
            application: (**application).clone(),
            state: State::Submitted,
            version: 1,
            filed_at: first.at,
            received_on: *received_on,
            rule_set: rule_set.clone(),
            criteria: criteria.clone(),
            catalogue: catalogue.clone(),
            due: Some(due.clone()),
            service_due: None,
            late: late.clone(),
            decision: None,
            outcome: None,
            reasons: None,
            not_accepted: None,
            grounds: Vec::new(),
        };
        for e in it {
            case.apply(e);
        }
        Some(case)
    }

    /// Whether the person with `iin` is the applicant, or the representative who filed for
    /// them (Rules §3).
    pub fn concerns(&self, iin: &Iin) -> bool {
        let app = &self.application;
        app.applicant.iin == *iin || app.representative.as_ref().is_some_and(|r| r.iin == *iin)
    }

    /// Folds one more event.
    pub fn apply(&mut self, e: &Event) {
        self.version += 1;
        match &e.kind {
            EventKind::Submitted { .. } => {}
            EventKind::NotAccepted { completeness, note } => {
                self.state = State::NotAccepted;
                self.due = None;
                self.not_accepted = Some(completeness.clone());
                // Only the officer's own words; the automatic step of early records wrote an
                // English sentence that the completeness now says in the reader's language.
                let note = note.trim();
                self.reasons = (!note.is_empty() && note != LEGACY_AUTOMATIC_NOTE).then(|| note.to_owned());
            }
            EventKind::Registered { due, service_due } => {
                self.state = State::Registered;
                self.due = Some(due.clone());
                self.service_due = Some(service_due.clone());
            }
            EventKind::Forwarded { due } => {
                self.state = State::WithCommission;
                self.due = Some(due.clone());
            }
            EventKind::Decided { decision } => {
                self.state = State::Decided;
                self.due = self.service_due.clone();
                self.decision = Some((**decision).clone());
            }
            EventKind::Completed { outcome } => {
                self.state = State::Completed;
                self.due = None;
                self.outcome = Some(outcome.clone());
            }
            EventKind::Refused { grounds, reasoning } => {
                self.state = State::Refused;
                self.due = None;
                self.grounds = grounds.clone();
                self.reasons = Some(reasoning.clone());
            }
            EventKind::Closed { .. } => {
                self.state = State::Closed;
                self.due = None;
            }
        }
    }

    /// Why it was not accepted or refused, in `lang`: what was missing or expired (with its
    /// paragraph) and the officer's words.
    pub fn reasons_in(&self, lang: Lang) -> Option<String> {
        let what = self.not_accepted.as_ref().map(|c| c.describe(lang)).filter(|w| !w.is_empty());
        match (what, &self.reasons) {
            (Some(w), Some(r)) => Some(format!("{w}. {r}")),
            (Some(w), None) => Some(w),
            (None, r) => r.clone(),
        }
    }

    /// One line for the applicant, the public status page and the 1411 operator (R3.8): the
    /// number, the service, the state and, while waiting, the due date with its paragraph.
    pub fn status(&self, lang: Lang) -> String {
        let mut s =
            format!("{}: {}, {}", self.number, self.application.service.kind().name(lang), self.state.name(lang));
        if let Some(d) = &self.due {
            let due = crate::speech::word(lang, "word-due");
            s += &format!("; {due} {} [{}]", crate::text::date_for(lang, d.on), d.citation.localized(lang));
        }
        s
    }

    /// The date of filing on the akimat's clock (App.2 item 7 judges it in `zone`), as App.1
    /// prints it; `received_on` for a record kept before the instant was.
    pub fn filed_on(&self, zone: &jiff::tz::TimeZone) -> Date {
        if self.filed_at == Timestamp::UNIX_EPOCH {
            return self.received_on;
        }
        zone.to_datetime(self.filed_at).date()
    }

    /// The deadline that binds the case while it waits: the stage's due date, or the whole
    /// service's (App.2 item 3) when that comes first, as after a late forward. `None` in a
    /// final state.
    pub fn binding_due(&self) -> Option<&DueDate> {
        let stage = self.due.as_ref()?;
        match &self.service_due {
            Some(service) if service.on < stage.on => Some(service),
            _ => Some(stage),
        }
    }

    /// Its stage in plain words for the person: a finished case says what it ended in
    /// ("certificate issued", "extended"), not the register's "completed".
    pub fn status_name(&self, lang: Lang) -> &'static str {
        let key = match (&self.state, &self.outcome) {
            (State::Completed, Some(Outcome::Issued { .. })) => "status-issued",
            (State::Completed, Some(Outcome::Extended { .. })) => "status-extended",
            (State::Completed, Some(Outcome::Reissued { .. })) => "status-reissued",
            (State::Completed, Some(Outcome::Duplicated { .. })) => "status-duplicated",
            (state, _) => return state.name(lang),
        };
        crate::speech::word(lang, key)
    }

    /// The steps ahead of a case not yet registered, each with the latest day the law allows
    /// and its paragraph, to tell the applicant what comes next. Every term runs from the
    /// received day (App.2 item 7), so the dates are known at filing; the Commission's own
    /// term runs from the forwarding and is covered by the whole service's.
    pub fn steps_ahead(&self, calendar: &crate::calendar::Calendar, rules: &RuleSet) -> Vec<(Step, DueDate)> {
        if self.state != State::Submitted {
            return Vec::new();
        }
        let d = &rules.deadlines;
        let steps: &[(Step, &crate::params::Deadline)] = match self.application.service.kind() {
            ServiceKind::Issue => &[
                (Step::Registration, &d.registration),
                (Step::Forwarding, &d.forward_to_commission),
                (Step::Result, &d.issue_service),
            ],
            ServiceKind::Extend => &[(Step::Registration, &d.registration), (Step::Result, &d.extension)],
            ServiceKind::Reissue => &[(Step::Registration, &d.registration), (Step::Result, &d.reissue)],
            ServiceKind::Duplicate => &[(Step::Registration, &d.registration), (Step::Result, &d.duplicate)],
        };
        steps
            .iter()
            .filter_map(|(step, term)| Some((*step, DueDate::compute(calendar, self.received_on, term).ok()?)))
            .collect()
    }

    /// Whether the case is overdue on `today`: the stage's due date or the whole service's
    /// (App.2 item 3) has passed while it waits. A late forward does not hide the breach of
    /// the service's 5 working days.
    pub fn overdue_on(&self, today: Date) -> bool {
        self.binding_due().is_some_and(|d| d.overdue_on(today))
    }
}

/// The note the automatic not-accepting wrote before notes were the officer's alone.
pub(crate) const LEGACY_AUTOMATIC_NOTE: &str =
    "the documents are incomplete or expired: the application is not accepted";

pub(crate) fn field(field: Field, problem: Problem, citation: &'static str) -> Refusal {
    Refusal::new(Reason::Field { field, problem }, citation)
}

impl crate::params::Cites for Event {
    fn citation_mut(&mut self) -> &mut Citation {
        &mut self.citation
    }
}

pub(crate) fn event(env: &Env<'_>, citation: impl Into<Citation>, kind: EventKind) -> Event {
    Event { at: env.now, actor: env.actor.clone(), citation: citation.into(), kind }
}
