//! Complaints against a decision, an action or a failure to act of an akimat on the service
//! (Rules ch. 3, §24, §25; R10.1–R10.4).
//!
//! Two routes. A complaint addressed to the akimat itself is reviewed by it within 5 working
//! days of registration (§25). A complaint for the reviewing body goes through the akimat,
//! which forwards it with the case file within 3 working days (§24 para 2), unless within
//! those 3 days it fully satisfies the complaint (§24 para 3); the reviewing body then
//! decides.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::actor::{Actor, Role};
use crate::case::{Blocked, Case};
use crate::citation::Citation;
use crate::deadline::DueDate;
use crate::env::{Env, calendar_refusal};
use crate::facts::{Act, Field, LawData, Problem, Proceeding, Stage};
use crate::ids::Iin;
use crate::law::Law;
use crate::numbers::CaseNumber;
use crate::params::{ReviewTerm, ReviewingBodies};
use crate::refusal::{Reason, Refusal};
use crate::text::Lang;
pub use crate::vocab::{ComplaintCommandKind, ComplaintState};

/// Where the complaint is addressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Route {
    /// To the akimat itself (Rules §25).
    ToAkimat,
    /// To the complaint-reviewing body, through the akimat (Rules §24).
    ToReviewingBody,
}

impl Route {
    /// Both routes.
    pub const ALL: [Route; 2] = [Route::ToAkimat, Route::ToReviewingBody];

    /// The states a complaint on this route can reach.
    pub fn states(self) -> &'static [ComplaintState] {
        match self {
            Route::ToAkimat => &[ComplaintState::UnderAkimatReview, ComplaintState::Resolved],
            Route::ToReviewingBody => &[
                ComplaintState::AwaitingForwarding,
                ComplaintState::UnderReview,
                ComplaintState::Satisfied,
                ComplaintState::Resolved,
            ],
        }
    }
}

/// The bodies that review a complaint the akimat forwards (Rules §24 para 1). Each has its
/// own term in the rule set (`reviewing_bodies`), counted from registration at that body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewingBody {
    /// The authorised body for the assessment and control of the quality of public services.
    #[default]
    QualityAuthority,
    /// The higher administrative body.
    HigherBody,
    /// An official (the head of the akimat, or the official above the one complained about).
    Official,
}

impl ReviewingBody {
    /// Every body, in the order of Rules §24 para 1's list as people read it.
    pub const ALL: [ReviewingBody; 3] =
        [ReviewingBody::HigherBody, ReviewingBody::Official, ReviewingBody::QualityAuthority];

    /// Its data name (`quality-authority`).
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewingBody::QualityAuthority => "quality-authority",
            ReviewingBody::HigherBody => "higher-body",
            ReviewingBody::Official => "official",
        }
    }

    /// Parses [`ReviewingBody::as_str`].
    pub fn parse(s: &str) -> Option<ReviewingBody> {
        ReviewingBody::ALL.into_iter().find(|b| b.as_str() == s)
    }

    /// Its name for a person.
    pub fn name(self, lang: Lang) -> &'static str {
        crate::speech::word(
            lang,
            match self {
                ReviewingBody::QualityAuthority => "reviewing-body-quality-authority",
                ReviewingBody::HigherBody => "reviewing-body-higher-body",
                ReviewingBody::Official => "reviewing-body-official",
            },
        )
    }

    /// Its term in `bodies`.
    pub fn term(self, bodies: &ReviewingBodies) -> &ReviewTerm {
        match self {
            ReviewingBody::QualityAuthority => &bodies.quality_authority,
            ReviewingBody::HigherBody => &bodies.higher_body,
            ReviewingBody::Official => &bodies.official,
        }
    }
}

/// What is complained about (R10.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Target {
    /// A decision.
    Decision,
    /// An action.
    Action,
    /// A failure to act.
    Inaction,
}

/// The complaint as filed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filing {
    /// The akimat complained about.
    pub akimat: crate::akimat::AkimatCode,
    /// The complainant.
    pub complainant: Iin,
    /// The case concerned, if any.
    pub case: Option<CaseNumber>,
    /// What is complained about.
    pub target: Target,
    /// Where it is addressed.
    pub route: Route,
    /// Which reviewing body, on the route through the akimat (Rules §24 para 1).
    #[serde(default)]
    pub body: ReviewingBody,
    /// The complaint's text.
    pub text: String,
}

impl ComplaintState {
    /// Every state.
    pub const ALL: [ComplaintState; 5] = [
        ComplaintState::AwaitingForwarding,
        ComplaintState::UnderAkimatReview,
        ComplaintState::UnderReview,
        ComplaintState::Satisfied,
        ComplaintState::Resolved,
    ];

    /// Final.
    pub fn is_terminal(self) -> bool {
        matches!(self, ComplaintState::Satisfied | ComplaintState::Resolved)
    }

    /// Its name.
    pub fn name(self, lang: Lang) -> &'static str {
        crate::speech::word(
            lang,
            match self {
                ComplaintState::AwaitingForwarding => "complaint-state-awaiting-forwarding",
                ComplaintState::UnderAkimatReview => "complaint-state-under-akimat-review",
                ComplaintState::UnderReview => "complaint-state-under-review",
                ComplaintState::Satisfied => "complaint-state-satisfied",
                ComplaintState::Resolved => "complaint-state-resolved",
            },
        )
    }
}

/// The outcome of a review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Upheld.
    Upheld,
    /// Partly upheld.
    PartlyUpheld,
    /// Rejected.
    Rejected,
}

/// Commands on a complaint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "kebab-case")]
pub enum ComplaintCommand {
    /// The akimat forwards it with the case file (R10.2).
    Forward,
    /// The akimat fully satisfies it within 3 working days instead (R10.3).
    Satisfy {
        /// The decision or action that satisfies it.
        action: String,
    },
    /// The akimat (route to the akimat) or the reviewing body decides (R10.1, R10.4).
    Decide {
        /// The verdict.
        verdict: Verdict,
        /// The reasoning.
        reasoning: String,
    },
}

impl ComplaintCommandKind {
    /// Every kind.
    pub const ALL: [ComplaintCommandKind; 3] =
        [ComplaintCommandKind::Forward, ComplaintCommandKind::Satisfy, ComplaintCommandKind::Decide];

    /// Its name for a person, in `lang`.
    pub fn title(self, lang: Lang) -> &'static str {
        crate::speech::word(
            lang,
            match self {
                ComplaintCommandKind::Forward => "complaint-command-kind-forward",
                ComplaintCommandKind::Satisfy => "complaint-command-kind-satisfy",
                ComplaintCommandKind::Decide => "complaint-command-kind-decide",
            },
        )
    }

    /// Its name in tables.
    pub fn name(self) -> &'static str {
        match self {
            ComplaintCommandKind::Forward => "forward",
            ComplaintCommandKind::Satisfy => "satisfy fully",
            ComplaintCommandKind::Decide => "decide",
        }
    }
}

impl ComplaintCommand {
    /// Its kind.
    pub fn kind(&self) -> ComplaintCommandKind {
        match self {
            ComplaintCommand::Forward => ComplaintCommandKind::Forward,
            ComplaintCommand::Satisfy { .. } => ComplaintCommandKind::Satisfy,
            ComplaintCommand::Decide { .. } => ComplaintCommandKind::Decide,
        }
    }
}

/// The complaint table: the next state, or why not and under which paragraph.
pub fn complaint_transition(
    route: Route,
    state: ComplaintState,
    cmd: ComplaintCommandKind,
) -> Result<ComplaintState, (Blocked, Citation)> {
    use ComplaintCommandKind as C;
    use ComplaintState as S;
    if state.is_terminal() {
        return Err((Blocked::Finished, Citation::new("Rules §24; Rules §25")));
    }
    match (route, state, cmd) {
        (Route::ToReviewingBody, S::AwaitingForwarding, C::Forward) => Ok(S::UnderReview),
        (Route::ToReviewingBody, S::AwaitingForwarding, C::Satisfy) => Ok(S::Satisfied),
        (Route::ToReviewingBody, S::UnderReview, C::Decide) => Ok(S::Resolved),
        (Route::ToAkimat, S::UnderAkimatReview, C::Decide) => Ok(S::Resolved),
        (Route::ToAkimat, _, C::Forward | C::Satisfy) => Err((Blocked::Service, Citation::new("Rules §25"))),
        (_, _, C::Forward | C::Satisfy) => Err((Blocked::Stage, Citation::new("Rules §24 para 2-3"))),
        (_, _, C::Decide) => Err((Blocked::Stage, Citation::new("Rules §24 para 1; Rules §25"))),
    }
}

/// Who acts on a complaint in a state, under which paragraph.
fn role_for(state: ComplaintState, cmd: ComplaintCommandKind) -> (Role, Citation) {
    match (state, cmd) {
        (ComplaintState::UnderReview, ComplaintCommandKind::Decide) => {
            (Role::Reviewer, Citation::new("Rules §24 para 1"))
        }
        (_, ComplaintCommandKind::Decide) => (Role::Officer, Citation::new("Rules §25")),
        (_, ComplaintCommandKind::Forward) => (Role::Officer, Citation::new("Rules §24 para 2")),
        (_, ComplaintCommandKind::Satisfy) => (Role::Officer, Citation::new("Rules §24 para 3")),
    }
}

/// A recorded event of a complaint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintEvent {
    /// When.
    pub at: Timestamp,
    /// Who.
    pub actor: Actor,
    /// Under which paragraph.
    pub citation: Citation,
    /// What.
    pub kind: ComplaintEventKind,
}

/// What happened to a complaint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub enum ComplaintEventKind {
    /// Filed.
    Filed {
        /// Its number.
        number: CaseNumber,
        /// The complaint.
        filing: Filing,
        /// The day it counts as received and registered.
        received_on: Date,
        /// The rule set in force.
        rule_set: String,
        /// The first due date: forwarding (§24) or review (§25).
        due: DueDate,
    },
    /// Forwarded to the reviewing body, which registers it on arrival.
    Forwarded {
        /// The review's due date: the body's term from the registration there.
        due: DueDate,
    },
    /// Satisfied fully by the akimat.
    Satisfied {
        /// How.
        action: String,
    },
    /// Decided.
    Decided {
        /// Verdict.
        verdict: Verdict,
        /// Reasoning.
        reasoning: String,
    },
}

impl ComplaintEventKind {
    /// The event's name, as serialized.
    pub fn name(&self) -> &'static str {
        match self {
            ComplaintEventKind::Filed { .. } => "filed",
            ComplaintEventKind::Forwarded { .. } => "forwarded",
            ComplaintEventKind::Satisfied { .. } => "satisfied",
            ComplaintEventKind::Decided { .. } => "decided",
        }
    }
}

/// A complaint: the fold of its events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Complaint {
    /// Its number.
    pub number: CaseNumber,
    /// The complaint.
    pub filing: Filing,
    /// The state.
    pub state: ComplaintState,
    /// Events so far.
    pub version: u64,
    /// Received and registered on.
    pub received_on: Date,
    /// The rule set.
    pub rule_set: String,
    /// The current due date; `None` once final.
    pub due: Option<DueDate>,
    /// The forwarding window (§24 route), kept after forwarding for the record.
    pub forwarding_due: Option<DueDate>,
    /// The verdict.
    pub verdict: Option<Verdict>,
    /// The reasoning or the satisfying action.
    pub answer: Option<String>,
}

impl Complaint {
    /// Folds events; `None` when the first is not a filing.
    pub fn from_events<'a>(events: impl IntoIterator<Item = &'a ComplaintEvent>) -> Option<Complaint> {
        let mut it = events.into_iter();
        let ComplaintEventKind::Filed { number, filing, received_on, rule_set, due } = &it.next()?.kind else {
            return None;
        };
        let state = match filing.route {
            Route::ToAkimat => ComplaintState::UnderAkimatReview,
            Route::ToReviewingBody => ComplaintState::AwaitingForwarding,
        };
        let mut c = Complaint {
            number: number.clone(),
            filing: filing.clone(),
            state,
            version: 1,
            received_on: *received_on,
            rule_set: rule_set.clone(),
            due: Some(due.clone()),
            forwarding_due: (filing.route == Route::ToReviewingBody).then(|| due.clone()),
            verdict: None,
            answer: None,
        };
        for e in it {
            c.apply(e);
        }
        Some(c)
    }

    /// Folds one event.
    pub fn apply(&mut self, e: &ComplaintEvent) {
        self.version += 1;
        match &e.kind {
            ComplaintEventKind::Filed { .. } => {}
            ComplaintEventKind::Forwarded { due } => {
                self.state = ComplaintState::UnderReview;
                self.due = Some(due.clone());
            }
            ComplaintEventKind::Satisfied { action } => {
                self.state = ComplaintState::Satisfied;
                self.due = None;
                self.answer = Some(action.clone());
            }
            ComplaintEventKind::Decided { verdict, reasoning } => {
                self.state = ComplaintState::Resolved;
                self.due = None;
                self.verdict = Some(*verdict);
                self.answer = Some(reasoning.clone());
            }
        }
    }
}

/// Files a complaint (R10.1). `concerned` is the case the filing names, as the records hold
/// it (`None` when there is no such case).
pub fn file_complaint(
    number: CaseNumber,
    filing: Filing,
    concerned: Option<&Case>,
    env: &Env<'_>,
    law: &Law,
) -> Result<Vec<ComplaintEvent>, Refusal> {
    let set = env.receipt().ok().and_then(|r| law.rules.in_force_on(r.received_on).ok());
    crate::params::renumbered(set, file_numbered(number, filing, concerned, env, law))
}

impl crate::params::Cites for ComplaintEvent {
    fn citation_mut(&mut self) -> &mut Citation {
        &mut self.citation
    }
}

fn file_numbered(
    number: CaseNumber,
    filing: Filing,
    concerned: Option<&Case>,
    env: &Env<'_>,
    law: &Law,
) -> Result<Vec<ComplaintEvent>, Refusal> {
    if env.actor.role != Role::Applicant {
        return Err(Refusal::new(Reason::WrongRole { needed: Role::Applicant, actual: env.actor.role }, "Rules §24"));
    }
    if env.actor.iin.as_ref() != Some(&filing.complainant) {
        return Err(Refusal::new(Reason::NotTheHolder, "Rules §24"));
    }
    if law.akimat(&filing.akimat).is_none() {
        return Err(Refusal::new(Reason::Field { field: Field::Akimat, problem: Problem::NoSuchAkimat }, "Rules §24"));
    }
    // A person complains of the decisions, actions or inaction towards them (Rules §24): the
    // case named must be theirs, filed by them or for them, and the akimat the one that has it.
    if let Some(named) = &filing.case {
        let Some(case) = concerned.filter(|c| c.number == *named && c.concerns(&filing.complainant)) else {
            return Err(Refusal::new(Reason::CaseNotTheComplainants { number: named.to_string() }, "Rules §24"));
        };
        if case.application.akimat != filing.akimat {
            return Err(Refusal::new(Reason::OtherAkimat { akimat: case.application.akimat.clone() }, "Rules §24"));
        }
    }
    if filing.text.trim().is_empty() {
        return Err(Refusal::new(
            Reason::Field { field: Field::ComplaintText, problem: Problem::Required },
            "Rules §24",
        ));
    }
    let received_on = env.receipt()?.received_on;
    let rules = law.in_force_on(received_on)?.rules;
    let (deadline, citation) = match filing.route {
        Route::ToAkimat => (&rules.deadlines.complaint_review, "Rules §25"),
        Route::ToReviewingBody => (&rules.deadlines.complaint_forwarding, "Rules §24 para 2"),
    };
    let due = DueDate::compute(env.calendar, received_on, deadline)
        .map_err(|e| calendar_refusal(e, Citation::new(citation)))?;
    Ok(vec![ComplaintEvent {
        at: env.now,
        actor: env.actor.clone(),
        citation: Citation::new("Rules §24"),
        kind: ComplaintEventKind::Filed { number, filing, received_on, rule_set: rules.id.clone(), due },
    }])
}

/// Decides a command on a complaint.
pub fn decide_complaint(
    c: &Complaint,
    cmd: &ComplaintCommand,
    env: &Env<'_>,
    law: &Law,
) -> Result<Vec<ComplaintEvent>, Refusal> {
    let set = law.rules.sets().iter().find(|s| s.id == c.rule_set);
    crate::params::renumbered(set, decide_numbered(c, cmd, env, law))
}

fn decide_numbered(
    c: &Complaint,
    cmd: &ComplaintCommand,
    env: &Env<'_>,
    law: &Law,
) -> Result<Vec<ComplaintEvent>, Refusal> {
    let kind = cmd.kind();
    if let Err((blocked, citation)) = complaint_transition(c.filing.route, c.state, kind) {
        let reason = match blocked {
            Blocked::Finished => Reason::Finished { state: Stage::Complaint(c.state) },
            Blocked::Service => {
                Reason::NotForThisService { command: Act::Complaint(kind), service: Proceeding::ComplaintToAkimat }
            }
            Blocked::Stage => {
                Reason::NotAtThisStage { command: Act::Complaint(kind), state: Stage::Complaint(c.state) }
            }
        };
        return Err(Refusal::new(reason, citation));
    }
    let (role, citation) = role_for(c.state, kind);
    if env.actor.role != role {
        return Err(Refusal::new(Reason::WrongRole { needed: role, actual: env.actor.role }, citation));
    }
    if role == Role::Officer && env.actor.akimat.as_deref() != Some(c.filing.akimat.as_str()) {
        return Err(Refusal::new(Reason::OtherAkimat { akimat: c.filing.akimat.clone() }, citation));
    }
    let rules =
        law.rules.sets().iter().find(|s| s.id == c.rule_set).ok_or_else(|| {
            Refusal::new(Reason::NoRulesInForce { date: c.received_on, what: LawData::RuleSet }, "Rules")
        })?;
    let today = env.today();
    let kind = match cmd {
        // The forward goes through the information system, so the body registers the
        // complaint the day it arrives; its term runs from then (counting from a day off
        // starts with the next working day, as registration would).
        ComplaintCommand::Forward => ComplaintEventKind::Forwarded {
            due: DueDate::compute(env.calendar, today, &c.filing.body.term(&rules.reviewing_bodies).deadline())
                .map_err(|e| calendar_refusal(e, citation.clone()))?,
        },
        ComplaintCommand::Satisfy { action } => {
            if let Some(window) = &c.forwarding_due
                && today > window.on
            {
                return Err(Refusal::new(
                    Reason::SatisfactionWindowPassed { due: window.on, days: window.working_days },
                    "Rules §24 para 3",
                ));
            }
            if action.trim().is_empty() {
                return Err(Refusal::new(Reason::Field { field: Field::Action, problem: Problem::Required }, citation));
            }
            ComplaintEventKind::Satisfied { action: action.trim().to_owned() }
        }
        ComplaintCommand::Decide { verdict, reasoning } => {
            if reasoning.trim().is_empty() {
                return Err(Refusal::new(Reason::NoReasoning, citation));
            }
            ComplaintEventKind::Decided { verdict: *verdict, reasoning: reasoning.trim().to_owned() }
        }
    };
    Ok(vec![ComplaintEvent { at: env.now, actor: env.actor.clone(), citation, kind }])
}
