//! Application cases: one application for one service (issue, extend, re-issue, duplicate),
//! as a state machine. A command is checked against the transition table, the role, the
//! akimat and the rules in force, and answers with events or a [`Refusal`] that names its
//! paragraph. A case's state is the fold of its events ([`Case::apply`]).
//!
//! ```text
//! Submitted ─► NotAccepted (incomplete or expired documents, App.2 item 9)
//!     │ register (App.2 item 7: on the day it counts as received)
//!     ▼
//! Registered ──forward ≤2 WD (Rules §7)──► WithCommission ──decide ≤3 WD (Rules §9)──► Decided
//!     │ extend / re-issue / duplicate ≤3 WD (Rules §16, §22, §22-1)                   │ issue / refuse
//!     ▼                                                                               ▼ (≤5 WD, App.2 item 3)
//! Completed | Refused                                                         Completed | Refused
//! ```

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::actor::{Actor, Role};
use crate::akimat::AkimatCode;
use crate::assessment::{Answers, Assessment, assess};
use crate::certificate::{Basis, Certificate, CertificateEvent, Employer, Holder};
use crate::citation::Citation;
use crate::deadline::{DueDate, Lateness, lateness};
use crate::documents::{Checklist, Completeness, Document, DocumentKind, Expired, check};
use crate::env::{Env, calendar_refusal};
use crate::facts::{Act, Field, Problem, Proceeding, Stage};
use crate::ids::Iin;
use crate::law::{InForce, Law};
use crate::numbers::{CaseNumber, CertificateNumber};
use crate::params::{ExtensionFrom, RuleSet};
use crate::refusal::{Reason, Refusal};
use crate::text::Lang;
pub use crate::vocab::{CommandKind, Ground, ServiceKind, State};

impl ServiceKind {
    /// Every kind.
    pub const ALL: [ServiceKind; 4] =
        [ServiceKind::Issue, ServiceKind::Extend, ServiceKind::Reissue, ServiceKind::Duplicate];

    /// Its name.
    pub fn name(self, lang: Lang) -> &'static str {
        crate::speech::word(
            lang,
            match self {
                ServiceKind::Issue => "service-kind-issue",
                ServiceKind::Extend => "service-kind-extend",
                ServiceKind::Reissue => "service-kind-reissue",
                ServiceKind::Duplicate => "service-kind-duplicate",
            },
        )
    }

    /// The states a case of this service can reach: only an issue goes to the Commission.
    pub fn states(self) -> &'static [State] {
        match self {
            ServiceKind::Issue => &State::ALL,
            _ => &[State::Submitted, State::Registered, State::Completed, State::Refused, State::NotAccepted],
        }
    }

    /// The paragraph that governs the service.
    pub fn citation(self) -> Citation {
        Citation::new(match self {
            ServiceKind::Issue => "Rules §7-§9, §13",
            ServiceKind::Extend => "Rules §16",
            ServiceKind::Reissue => "Rules §22",
            ServiceKind::Duplicate => "Rules §22-1",
        })
    }
}

/// Why a certificate is re-issued (R8.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReissueGround {
    /// Surname, name or patronymic changed.
    NameChange,
    /// The identity document's number or series changed.
    IdentityDocumentChange,
    /// A new employer (Rules §19, §22).
    EmployerChange,
}

/// Why a duplicate is asked for (R9.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DuplicateGround {
    /// Lost.
    Lost,
    /// Damaged.
    Damaged,
}

/// The service asked for, with its details (App.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "service", rename_all = "kebab-case")]
pub enum Service {
    /// Issue.
    Issue,
    /// Extend.
    Extend,
    /// Re-issue.
    Reissue {
        /// Why.
        ground: ReissueGround,
    },
    /// Duplicate.
    Duplicate {
        /// Why.
        ground: DuplicateGround,
    },
}

impl Service {
    /// The kind.
    pub fn kind(self) -> ServiceKind {
        match self {
            Service::Issue => ServiceKind::Issue,
            Service::Extend => ServiceKind::Extend,
            Service::Reissue { .. } => ServiceKind::Reissue,
            Service::Duplicate { .. } => ServiceKind::Duplicate,
        }
    }

    /// The checklist of App.2 item 8 that applies.
    pub fn checklist(self) -> Checklist {
        match self {
            Service::Issue => Checklist::Issue,
            Service::Extend => Checklist::Extend,
            Service::Reissue { ground: ReissueGround::EmployerChange } => Checklist::ReissueNewEmployer,
            Service::Reissue { .. } => Checklist::ReissueChangedData,
            Service::Duplicate { .. } => Checklist::Duplicate,
        }
    }
}

/// Contact details of App.1.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Contact {
    /// Address in Kazakhstan.
    pub address: String,
    /// Phone.
    pub phone: String,
    /// Fax, if any.
    pub fax: Option<String>,
    /// Address in the country of residence.
    pub home_address: String,
    /// Phone in the country of residence.
    pub home_phone: String,
}

/// A person the applicant authorised (Rules §3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Representative {
    /// Full name.
    pub name: String,
    /// IIN.
    pub iin: Iin,
}

/// The application (App.1) with its documents (App.2 item 8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    /// The akimat addressed (its code).
    pub akimat: AkimatCode,
    /// The service asked for.
    pub service: Service,
    /// The applicant: for a re-issue on a change of data, the new data.
    pub applicant: Holder,
    /// A representative filing for the applicant.
    pub representative: Option<Representative>,
    /// Contacts.
    pub contact: Contact,
    /// Occupation code of the in-demand profession (issue).
    pub profession: Option<String>,
    /// OKED code of the priority sector (issue).
    pub sector: Option<String>,
    /// The employer (extension, R5.2; re-issue for a new employer).
    pub employer: Option<Employer>,
    /// The employment contract's last day (extension, R5.1); `None` with
    /// `contract_open_ended` for a contract without an end date.
    pub contract_end: Option<Date>,
    /// The employment contract has no end date (extension: Rules §16 then caps the term at
    /// 3 years alone).
    #[serde(default)]
    pub contract_open_ended: bool,
    /// The certificate concerned (extension, re-issue, duplicate).
    pub certificate: Option<CertificateNumber>,
    /// The day of the change (re-issue, R8.2) or of the loss or damage (duplicate, R9.1).
    pub event_date: Option<Date>,
    /// Consent to the collection and processing of personal data (App.1).
    pub consent: bool,
    /// The attachments.
    pub documents: Vec<Document>,
}

impl Application {
    /// The documents it must carry under `rules` (App.2 item 8; Rules §3 for a
    /// representative).
    pub fn requirements(&self, rules: &RuleSet) -> Vec<crate::documents::Requirement> {
        rules.checklists.requirements(self.service.checklist(), self.representative.is_some())
    }
}

impl State {
    /// Every state.
    pub const ALL: [State; 7] = [
        State::Submitted,
        State::Registered,
        State::WithCommission,
        State::Decided,
        State::Completed,
        State::Refused,
        State::NotAccepted,
    ];

    /// No command applies any more.
    pub fn is_terminal(self) -> bool {
        matches!(self, State::Completed | State::Refused | State::NotAccepted)
    }

    /// Its name.
    pub fn name(self, lang: Lang) -> &'static str {
        crate::speech::word(
            lang,
            match self {
                State::Submitted => "state-submitted",
                State::Registered => "state-registered",
                State::WithCommission => "state-with-commission",
                State::Decided => "state-decided",
                State::Completed => "state-completed",
                State::Refused => "state-refused",
                State::NotAccepted => "state-not-accepted",
            },
        )
    }
}

/// A step of the service ahead of the applicant, for the confirmation of a filing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The akimat registers the filing (App.2 item 7).
    Registration,
    /// The akimat forwards the documents to its Commission (Rules §7).
    Forwarding,
    /// The certificate, or a reasoned refusal, reaches the applicant (App.2 item 3).
    Result,
}

impl Step {
    /// What happens, for the applicant.
    pub fn name(self, lang: Lang) -> &'static str {
        crate::speech::word(
            lang,
            match self {
                Step::Registration => "step-registration",
                Step::Forwarding => "step-forwarding",
                Step::Result => "step-result",
            },
        )
    }
}

impl Ground {
    /// Every ground.
    pub const ALL: [Ground; 3] = [Ground::QualificationMismatch, Ground::BelowPassMark, Ground::UnreliableDocuments];

    /// The sub-item of App.2 item 9 under `rules`.
    pub fn citation(self, rules: &RuleSet) -> Citation {
        rules.grounds.rule(self).citation.clone()
    }

    /// For a person, as App.2 item 9 states it under `rules` (the pass mark is the set's).
    pub fn name(self, lang: Lang, rules: &RuleSet) -> String {
        match self {
            Ground::BelowPassMark => crate::speech::say(
                lang,
                "ground-below-pass-mark",
                &[("points", rules.terms.pass_mark_points.value.into())],
            ),
            other => other.label(lang).to_owned(),
        }
    }

    /// A short name without the set's numbers, for a refusal that names a ground.
    pub fn label(self, lang: Lang) -> &'static str {
        crate::speech::word(
            lang,
            match self {
                Ground::QualificationMismatch => "ground-qualification-mismatch",
                Ground::BelowPassMark => "ground-below-the-pass-mark",
                Ground::UnreliableDocuments => "ground-unreliable-documents",
            },
        )
    }

    /// Grounds as a person reads them under `rules`: each with its sub-item of App.2 item 9.
    pub fn lines(grounds: &[Ground], rules: &RuleSet, lang: Lang) -> Vec<(String, String)> {
        grounds.iter().map(|g| (g.name(lang, rules), g.citation(rules).localized(lang))).collect()
    }
}

/// The Commission's recommendation (Rules §9).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "recommend", rename_all = "kebab-case")]
pub enum Recommendation {
    /// Issue the certificate. The Commission may say why in words: its reasons belong in the
    /// minutes whatever it recommends (Rules §9), and are kept, not dropped.
    Issue {
        /// The Commission's words, empty when it gave none.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        reasoning: String,
    },
    /// Refuse, with grounds and reasoning.
    Refuse {
        /// The grounds.
        grounds: Vec<Ground>,
        /// The reasoned justification.
        reasoning: String,
    },
}

impl Recommendation {
    /// To issue, with no words given.
    pub fn issue() -> Recommendation {
        Recommendation::Issue { reasoning: String::new() }
    }

    /// The Commission's words, whatever it recommends.
    pub fn reasoning(&self) -> &str {
        match self {
            Recommendation::Issue { reasoning } | Recommendation::Refuse { reasoning, .. } => reasoning,
        }
    }
}

/// The Commission's decision on one applicant, recorded in minutes (R4.4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommissionDecision {
    /// The day of the sitting.
    pub on: Date,
    /// The minutes' number.
    pub minutes: String,
    /// The Commission's members.
    pub members: Vec<String>,
    /// The members present, who sign the minutes.
    pub present: Vec<String>,
    /// The scored assessment (R4.3, R4.5).
    pub assessment: Assessment,
    /// The recommendation.
    pub recommendation: Recommendation,
}

/// What the service gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "kebab-case")]
pub enum Outcome {
    /// A certificate was issued (App.3).
    Issued {
        /// It.
        certificate: Box<Certificate>,
    },
    /// A certificate was extended.
    Extended {
        /// Its number.
        number: CertificateNumber,
        /// The day of the extension.
        on: Date,
        /// The old end.
        from: Date,
        /// The new end.
        to: Date,
    },
    /// A certificate was re-issued with a new number.
    Reissued {
        /// The new certificate.
        certificate: Box<Certificate>,
        /// The superseded number.
        replaces: CertificateNumber,
    },
    /// A duplicate was issued; it keeps the original's number (R11.2).
    Duplicated {
        /// The number.
        number: CertificateNumber,
        /// The day of issue.
        on: Date,
    },
}

/// A command on an existing case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "kebab-case")]
pub enum Command {
    /// The officer registers the filing.
    Register,
    /// The officer does not accept it: App.2 item 9 allows that only for an incomplete set
    /// or an expired document, so the officer names the checklist items (App.2 item 8) that
    /// are missing or expired; a note alone is refused.
    NotAccept {
        /// Checklist items found missing (by document kind).
        #[serde(default)]
        missing: Vec<DocumentKind>,
        /// Documents found expired.
        #[serde(default)]
        expired: Vec<DocumentKind>,
        /// Anything more, for the applicant.
        #[serde(default)]
        note: String,
    },
    /// The officer forwards the documents to the Commission (Rules §7).
    Forward,
    /// The Commission records its decision on the applicant (Rules §9).
    RecordDecision {
        /// Minutes number.
        minutes: String,
        /// The Commission's members.
        members: Vec<String>,
        /// Those present.
        present: Vec<String>,
        /// Answers to the criteria.
        answers: Answers,
        /// The recommendation.
        recommendation: Recommendation,
    },
    /// The officer issues the certificate (Rules §13).
    Issue {
        /// Its number, allocated by the store.
        number: CertificateNumber,
        /// Valid to; the longest allowed when absent.
        valid_to: Option<Date>,
    },
    /// The officer extends the certificate (Rules §16).
    Extend {
        /// New end; the longest allowed when absent.
        valid_to: Option<Date>,
    },
    /// The officer re-issues with a new number (Rules §22).
    Reissue {
        /// The new number.
        number: CertificateNumber,
    },
    /// The officer issues a duplicate (Rules §22-1).
    IssueDuplicate,
    /// The officer refuses, with grounds and reasons (App.2 item 5, 9).
    Refuse {
        /// Grounds.
        grounds: Vec<Ground>,
        /// Reasoning.
        reasoning: String,
    },
}

/// A command as a person or the API gives it. It is [`Command`] without the certificate
/// numbers, which only the registry allocates (unique per akimat and year).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum CaseAction {
    /// Register.
    Register,
    /// Not accept: the missing or expired checklist items, and a note.
    NotAccept {
        /// Checklist items found missing.
        #[serde(default)]
        missing: Vec<DocumentKind>,
        /// Documents found expired.
        #[serde(default)]
        expired: Vec<DocumentKind>,
        /// Anything more.
        #[serde(default)]
        note: String,
    },
    /// Forward to the Commission.
    Forward,
    /// Record the Commission's decision.
    RecordDecision {
        /// Minutes number.
        minutes: String,
        /// Members.
        members: Vec<String>,
        /// Present.
        present: Vec<String>,
        /// Answers.
        answers: Answers,
        /// Recommendation.
        recommendation: Recommendation,
    },
    /// Issue the certificate.
    Issue {
        /// Valid to; the longest allowed when absent.
        #[serde(default)]
        valid_to: Option<Date>,
    },
    /// Extend.
    Extend {
        /// New end; the longest allowed when absent.
        #[serde(default)]
        valid_to: Option<Date>,
    },
    /// Re-issue with a new number.
    Reissue,
    /// Issue a duplicate.
    IssueDuplicate,
    /// Refuse.
    Refuse {
        /// Grounds.
        grounds: Vec<Ground>,
        /// Reasoning.
        reasoning: String,
    },
}

impl CaseAction {
    /// Whether the registry must allocate a new certificate number for it.
    pub fn needs_number(&self) -> bool {
        matches!(self, CaseAction::Issue { .. } | CaseAction::Reissue)
    }

    /// The command, with the number the registry allocated when [`CaseAction::needs_number`].
    /// Without one, the command carries no number and the caller gets `None`.
    pub fn into_command(self, number: Option<CertificateNumber>) -> Option<Command> {
        Some(match self {
            CaseAction::Register => Command::Register,
            CaseAction::NotAccept { missing, expired, note } => Command::NotAccept { missing, expired, note },
            CaseAction::Forward => Command::Forward,
            CaseAction::RecordDecision { minutes, members, present, answers, recommendation } => {
                Command::RecordDecision { minutes, members, present, answers, recommendation }
            }
            CaseAction::Issue { valid_to } => Command::Issue { number: number?, valid_to },
            CaseAction::Extend { valid_to } => Command::Extend { valid_to },
            CaseAction::Reissue => Command::Reissue { number: number? },
            CaseAction::IssueDuplicate => Command::IssueDuplicate,
            CaseAction::Refuse { grounds, reasoning } => Command::Refuse { grounds, reasoning },
        })
    }
}

impl CommandKind {
    /// Every kind.
    pub const ALL: [CommandKind; 9] = [
        CommandKind::Register,
        CommandKind::NotAccept,
        CommandKind::Forward,
        CommandKind::RecordDecision,
        CommandKind::Issue,
        CommandKind::Extend,
        CommandKind::Reissue,
        CommandKind::IssueDuplicate,
        CommandKind::Refuse,
    ];

    /// Its name in tables and messages.
    pub fn name(self) -> &'static str {
        match self {
            CommandKind::Register => "register",
            CommandKind::NotAccept => "not accept",
            CommandKind::Forward => "forward",
            CommandKind::RecordDecision => "record decision",
            CommandKind::Issue => "issue",
            CommandKind::Extend => "extend",
            CommandKind::Reissue => "re-issue",
            CommandKind::IssueDuplicate => "issue duplicate",
            CommandKind::Refuse => "refuse",
        }
    }

    /// Its name for a person, in `lang`.
    pub fn title(self, lang: Lang) -> &'static str {
        use CommandKind::*;
        crate::speech::word(
            lang,
            match self {
                Register => "command-kind-register",
                NotAccept => "command-kind-not-accept",
                Forward => "command-kind-forward",
                RecordDecision => "command-kind-record-decision",
                Issue => "command-kind-issue",
                Extend => "command-kind-extend",
                Reissue => "command-kind-reissue",
                IssueDuplicate => "command-kind-issue-duplicate",
                Refuse => "command-kind-refuse",
            },
        )
    }

    /// Who may, and under which paragraph.
    pub fn role(self) -> (Role, Citation) {
        match self {
            CommandKind::Register => (Role::Officer, Citation::new("Rules §7")),
            CommandKind::NotAccept => (Role::Officer, Citation::new("App.2 item 9")),
            CommandKind::Forward => (Role::Officer, Citation::new("Rules §7")),
            CommandKind::RecordDecision => (Role::Commission, Citation::new("Rules §9")),
            CommandKind::Issue => (Role::Officer, Citation::new("Rules §13")),
            CommandKind::Extend => (Role::Officer, Citation::new("Rules §16")),
            CommandKind::Reissue => (Role::Officer, Citation::new("Rules §22")),
            CommandKind::IssueDuplicate => (Role::Officer, Citation::new("Rules §22-1")),
            CommandKind::Refuse => (Role::Officer, Citation::new("Rules §13; App.2 item 5")),
        }
    }
}

impl Command {
    /// Its kind.
    pub fn kind(&self) -> CommandKind {
        match self {
            Command::Register => CommandKind::Register,
            Command::NotAccept { .. } => CommandKind::NotAccept,
            Command::Forward => CommandKind::Forward,
            Command::RecordDecision { .. } => CommandKind::RecordDecision,
            Command::Issue { .. } => CommandKind::Issue,
            Command::Extend { .. } => CommandKind::Extend,
            Command::Reissue { .. } => CommandKind::Reissue,
            Command::IssueDuplicate => CommandKind::IssueDuplicate,
            Command::Refuse { .. } => CommandKind::Refuse,
        }
    }
}

/// Why the table refuses a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blocked {
    /// The command belongs to another stage.
    Stage,
    /// The command is not part of this service.
    Service,
    /// The case is finished.
    Finished,
}

impl Blocked {
    /// The refusal a blocked (state, command) pair gives.
    pub fn refusal(self, command: Act, state: Stage, service: Proceeding, citation: Citation) -> Refusal {
        let reason = match self {
            Blocked::Stage => Reason::NotAtThisStage { command, state },
            Blocked::Service => Reason::NotForThisService { command, service },
            Blocked::Finished => Reason::Finished { state },
        };
        Refusal::new(reason, citation)
    }
}

/// The transition table: for a service, a state and a command, the next state or why not and
/// under which paragraph. [`decide`] consults it first; ARCHITECTURE.md shows it.
pub fn transition(service: ServiceKind, state: State, cmd: CommandKind) -> Result<State, (Blocked, Citation)> {
    use CommandKind as C;
    use ServiceKind as S;
    use State as St;
    if state.is_terminal() {
        let c = if state == St::NotAccepted { "App.2 item 9" } else { "App.2 item 5; Rules §13" };
        return Err((Blocked::Finished, Citation::new(c)));
    }
    let own_result = match service {
        S::Issue => C::Issue,
        S::Extend => C::Extend,
        S::Reissue => C::Reissue,
        S::Duplicate => C::IssueDuplicate,
    };
    let is_result = matches!(cmd, C::Issue | C::Extend | C::Reissue | C::IssueDuplicate);
    if is_result && cmd != own_result {
        return Err((Blocked::Service, service.citation()));
    }
    if service != S::Issue && matches!(cmd, C::Forward | C::RecordDecision) {
        return Err((Blocked::Service, service.citation()));
    }
    let stage = |c: &'static str| Err((Blocked::Stage, Citation::new(c)));
    match (cmd, state) {
        (C::Register, St::Submitted) => Ok(St::Registered),
        (C::Register, _) => stage("App.2 item 7; Rules §7"),
        (C::NotAccept, St::Submitted) => Ok(St::NotAccepted),
        (C::NotAccept, _) => stage("App.2 item 9"),
        (C::Forward, St::Registered) => Ok(St::WithCommission),
        (C::Forward, _) => stage("Rules §7"),
        (C::RecordDecision, St::WithCommission) => Ok(St::Decided),
        (C::RecordDecision, _) => stage("Rules §9"),
        (C::Issue, St::Decided) => Ok(St::Completed),
        (C::Issue, _) => stage("Rules §9; Rules §13"),
        (C::Refuse, St::Decided) if service == S::Issue => Ok(St::Refused),
        (C::Refuse, St::Registered) if service != S::Issue => Ok(St::Refused),
        (C::Refuse, _) if service == S::Issue => stage("Rules §9; Rules §13"),
        (C::Refuse, _) => stage("App.2 item 9"),
        (C::Extend | C::Reissue | C::IssueDuplicate, St::Registered) => Ok(St::Completed),
        (C::Extend | C::Reissue | C::IssueDuplicate, _) => Err((Blocked::Stage, service.citation())),
    }
}

/// A recorded event of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// When.
    pub at: Timestamp,
    /// Who, in which role.
    pub actor: Actor,
    /// The paragraph it acts under.
    pub citation: Citation,
    /// What.
    pub kind: EventKind,
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub enum EventKind {
    /// Filed (R3.1).
    Submitted {
        /// The case number.
        number: CaseNumber,
        /// The application.
        application: Box<Application>,
        /// The day it counts as received (App.2 item 7).
        received_on: Date,
        /// The rule set in force on that day.
        rule_set: String,
        /// The criteria table in force.
        criteria: String,
        /// The list version in force.
        catalogue: String,
        /// Registration due.
        due: DueDate,
        /// Set when filed after the applicant's window (R8.2, R9.1).
        late: Option<Lateness>,
    },
    /// Not accepted (R3.5).
    NotAccepted {
        /// What is missing or expired.
        completeness: Completeness,
        /// The officer's note, or the automatic one.
        note: String,
    },
    /// Registered.
    Registered {
        /// The next stage's due date.
        due: DueDate,
        /// The whole service's due date (App.2 item 3).
        service_due: DueDate,
    },
    /// Forwarded to the Commission (R4.1).
    Forwarded {
        /// The Commission's due date (R4.4).
        due: DueDate,
    },
    /// The Commission decided (R4.4).
    Decided {
        /// The decision.
        decision: Box<CommissionDecision>,
    },
    /// The result was given (R4.8).
    Completed {
        /// What.
        outcome: Outcome,
    },
    /// Refused with reasons (R4.6, R4.8).
    Refused {
        /// Grounds.
        grounds: Vec<Ground>,
        /// Reasoning.
        reasoning: String,
    },
}

impl EventKind {
    /// The event's name, as serialized (`submitted`, `registered`, …).
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::Submitted { .. } => "submitted",
            EventKind::NotAccepted { .. } => "not-accepted",
            EventKind::Registered { .. } => "registered",
            EventKind::Forwarded { .. } => "forwarded",
            EventKind::Decided { .. } => "decided",
            EventKind::Completed { .. } => "completed",
            EventKind::Refused { .. } => "refused",
        }
    }
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
const LEGACY_AUTOMATIC_NOTE: &str = "the documents are incomplete or expired: the application is not accepted";

fn field(field: Field, problem: Problem, citation: &'static str) -> Refusal {
    Refusal::new(Reason::Field { field, problem }, citation)
}

impl crate::params::Cites for Event {
    fn citation_mut(&mut self) -> &mut Citation {
        &mut self.citation
    }
}

fn event(env: &Env<'_>, citation: impl Into<Citation>, kind: EventKind) -> Event {
    Event { at: env.now, actor: env.actor.clone(), citation: citation.into(), kind }
}

/// An extension or a duplicate filed under a name other than the certificate holder's. A
/// change of surname, name or patronymic is a ground for re-issue (Rules §22, R8.1), which
/// neither an extension nor a duplicate makes: the certificate would go on carrying the old
/// name. Not a refusal (the IIN is the holder's, and the name may be transliterated
/// differently); the officer is shown it beside the identity document. `None` when the names
/// agree, ignoring case and spacing, or for another service.
pub fn name_differs(app: &Application, cert: &Certificate) -> Option<Citation> {
    if !matches!(app.service.kind(), ServiceKind::Extend | ServiceKind::Duplicate) {
        return None;
    }
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    let name = |h: &Holder| (norm(&h.surname), norm(&h.given_name), norm(h.patronymic.as_deref().unwrap_or("")));
    (name(&app.applicant) != name(&cert.holder)).then(|| Citation::new("Rules §22"))
}

/// The certificate a service acts on: given, the applicant's, in the same akimat, valid on
/// `date`, the day the application counts as received (Rules §16, §22, §22-1 give the akimat
/// its working days and ask no more: a certificate that expires while the case runs is still
/// extended, re-issued or duplicated). At the decision use [`usable_at_decision`].
fn usable_certificate<'c>(
    app: &Application,
    certificate: Option<&'c Certificate>,
    date: Date,
) -> Result<&'c Certificate, Refusal> {
    let citation = app.service.kind().citation();
    let Some(number) = &app.certificate else {
        return Err(Refusal::new(Reason::Field { field: Field::Certificate, problem: Problem::Required }, citation));
    };
    let cert = match certificate {
        Some(c) if &c.number == number => c,
        _ => return Err(Refusal::new(Reason::CertificateUnknown { number: number.to_string() }, citation)),
    };
    if cert.holder.iin != app.applicant.iin {
        return Err(Refusal::new(Reason::NotTheHolder, citation));
    }
    if cert.akimat != app.akimat {
        return Err(Refusal::new(Reason::OtherAkimat { akimat: cert.akimat.clone() }, citation));
    }
    let status = cert.status_on(date);
    if !status.is_valid() {
        return Err(Refusal::new(
            Reason::CertificateNotValid { number: cert.number.to_string(), status: Box::new(status) },
            citation,
        ));
    }
    Ok(cert)
}

/// At the decision (`today`): valid on the day received, and neither revoked (Rules §21) nor
/// replaced (Rules §22) since; expiry after receipt does not matter.
fn usable_at_decision<'c>(
    app: &Application,
    certificate: Option<&'c Certificate>,
    received_on: Date,
    today: Date,
) -> Result<&'c Certificate, Refusal> {
    let cert = usable_certificate(app, certificate, received_on)?;
    let now = cert.status_on(today);
    if matches!(now, crate::certificate::Status::Revoked { .. } | crate::certificate::Status::Superseded { .. }) {
        return Err(Refusal::new(
            Reason::CertificateNotValid { number: cert.number.to_string(), status: Box::new(now) },
            app.service.kind().citation(),
        ));
    }
    Ok(cert)
}

/// What the officer finds missing or expired, checked against the service's checklist
/// (App.2 item 8) and added to what the automatic check found. App.2 item 9 allows not
/// accepting only for these; a case with nothing named is refused.
fn officer_completeness(
    app: &Application,
    rules: &RuleSet,
    received_on: Date,
    missing: &[DocumentKind],
    expired: &[DocumentKind],
) -> Result<Completeness, Refusal> {
    if missing.is_empty() && expired.is_empty() {
        return Err(Refusal::new(Reason::NoNotAcceptReason, "App.2 item 9"));
    }
    let list = app.requirements(rules);
    let mut found = check(&list, &app.documents, received_on);
    for kind in missing {
        let Some(req) = list.iter().find(|r| r.any_of.contains(kind)) else {
            return Err(Refusal::new(
                Reason::Field { field: Field::Missing, problem: Problem::NotOnChecklist { kind: *kind } },
                "App.2 item 8",
            ));
        };
        if !found.missing.contains(req) {
            found.missing.push(req.clone());
        }
    }
    for kind in expired {
        let on_list = list.iter().any(|r| r.any_of.contains(kind));
        let attached = app.documents.iter().find(|d| d.kind == *kind);
        if !on_list && attached.is_none() {
            return Err(Refusal::new(
                Reason::Field { field: Field::Expired, problem: Problem::NotOnChecklist { kind: *kind } },
                "App.2 item 8",
            ));
        }
        if !found.expired.iter().any(|e| e.kind == *kind) {
            found.expired.push(Expired { kind: *kind, valid_until: attached.and_then(|d| d.valid_until) });
        }
    }
    Ok(found)
}

/// The last day of an extension (Rules §16): "for the term of the employment contract, but
/// not more than 3 years", the 3 years running from the day after the current validity ends
/// (or from the decision, as the rule set's Reading says); an open-ended contract gets the
/// cap alone. No one chooses it.
fn extension_end(app: &Application, cert: &Certificate, rules: &RuleSet, today: Date) -> Date {
    let years = rules.terms.extension_max_years.value;
    let start = match rules.readings.extension_counted_from {
        ExtensionFrom::CurrentEnd => cert.valid_to.tomorrow().unwrap_or(cert.valid_to),
        ExtensionFrom::DecisionDate => today,
    };
    let cap = add_months(start, years * 12);
    match app.contract_end {
        Some(end) if !app.contract_open_ended => end.min(cap),
        _ => cap,
    }
}

/// Files an application (R3.1): checks the form, then records it. A missing or expired
/// document records the case as not accepted at once (R3.5), so nothing filed is lost and the
/// applicant sees why. `certificate` is the one named by an extension, re-issue or duplicate.
pub fn submit(
    number: CaseNumber,
    application: Application,
    env: &Env<'_>,
    law: &Law,
    certificate: Option<&Certificate>,
) -> Result<Vec<Event>, Refusal> {
    let set = env.receipt().ok().and_then(|r| law.rules.in_force_on(r.received_on).ok());
    crate::params::renumbered(set, submit_numbered(number, application, env, law, certificate))
}

fn submit_numbered(
    number: CaseNumber,
    application: Application,
    env: &Env<'_>,
    law: &Law,
    certificate: Option<&Certificate>,
) -> Result<Vec<Event>, Refusal> {
    let app = &application;
    if env.actor.role != Role::Applicant {
        return Err(Refusal::new(Reason::WrongRole { needed: Role::Applicant, actual: env.actor.role }, "Rules §3"));
    }
    let acting_iin = env.actor.iin.as_ref();
    let own = acting_iin == Some(&app.applicant.iin);
    let represents = app.representative.as_ref().is_some_and(|r| Some(&r.iin) == acting_iin);
    if !own && !represents {
        return Err(Refusal::new(Reason::NotTheHolder, "Rules §3"));
    }
    let Some(akimat) = law.akimat(&app.akimat) else {
        return Err(field(Field::Akimat, Problem::NoSuchAkimat, "App.1"));
    };
    if number.prefix() != akimat.prefix {
        return Err(Refusal::new(Reason::NumberMismatch { number: number.to_string() }, "App.1"));
    }
    if !app.consent {
        return Err(Refusal::new(Reason::NoConsent, "App.1"));
    }
    for (name, value) in [
        (Field::Surname, &app.applicant.surname),
        (Field::GivenName, &app.applicant.given_name),
        (Field::DocumentNumber, &app.applicant.document_number),
    ] {
        if value.trim().is_empty() {
            return Err(field(name, Problem::Required, "App.1"));
        }
    }
    let receipt = env.receipt()?;
    let received_on = receipt.received_on;
    let in_force = law.in_force_on(received_on)?;
    let rules = in_force.rules;
    let mut late = None;
    let window = |event_date: Option<Date>, deadline, citation: &'static str| -> Result<_, Refusal> {
        let Some(d) = event_date else { return Err(field(Field::EventDate, Problem::Required, citation)) };
        if d > received_on {
            return Err(field(Field::EventDate, Problem::InTheFuture, citation));
        }
        // The applicant's own window runs to the local day they filed (R12.2); App.2 item 7's
        // shift to the next working day only moves the akimat's acceptance.
        lateness(env.calendar, d, receipt.local.date(), deadline)
            .map_err(|e| calendar_refusal(e, Citation::new(citation)))
    };
    match app.service {
        Service::Issue => {
            let (Some(profession), Some(sector)) = (&app.profession, &app.sector) else {
                return Err(field(Field::Profession, Problem::NotFromList, "App.1; Rules §8"));
            };
            match in_force.catalogue.find(profession) {
                // At filing an unlisted profession is a wrong form (App.1 asks for one from the
                // list of Rules §8), not yet the refusal ground of App.2 item 9.1.
                None => {
                    return Err(Refusal::new(
                        Reason::ProfessionNotListed {
                            code: profession.clone(),
                            date: received_on,
                            list: in_force.catalogue.id.clone(),
                        },
                        "App.1; Rules §8",
                    ));
                }
                Some((s, _)) if &s.oked != sector => {
                    return Err(field(Field::Sector, Problem::OtherSector, "Rules §8"));
                }
                Some(_) => {}
            }
        }
        Service::Extend => {
            let cert = usable_certificate(app, certificate, received_on)?;
            if app.employer.is_none() {
                return Err(field(Field::Employer, Problem::Required, "App.1; Rules §16"));
            }
            match (app.contract_end, app.contract_open_ended) {
                (None, false) => {
                    return Err(field(Field::ContractEnd, Problem::RequiredOrOpenEnded, "Rules §16"));
                }
                // Nothing to extend for: caught now, not at the decision.
                (Some(end), false) if end <= cert.valid_to => {
                    return Err(field(Field::ContractEnd, Problem::EndsWithinValidity, "Rules §16"));
                }
                _ => {}
            }
        }
        Service::Reissue { ground } => {
            usable_certificate(app, certificate, received_on)?;
            if ground == ReissueGround::EmployerChange && app.employer.is_none() {
                return Err(field(Field::Employer, Problem::Required, "Rules §22"));
            }
            late = window(app.event_date, &rules.deadlines.reissue_application, "Rules §22 para 2")?;
        }
        Service::Duplicate { .. } => {
            usable_certificate(app, certificate, received_on)?;
            late = window(app.event_date, &rules.deadlines.duplicate_application, "Rules §22-1 para 2")?;
        }
    }
    let due = DueDate::compute(env.calendar, received_on, &rules.deadlines.registration)
        .map_err(|e| calendar_refusal(e, Citation::new("App.2 item 7")))?;
    let completeness = check(&app.requirements(rules), &app.documents, received_on);
    let mut events = vec![event(
        env,
        "Rules §3; App.2 item 7",
        EventKind::Submitted {
            number,
            application: Box::new(application.clone()),
            received_on,
            rule_set: rules.id.clone(),
            criteria: in_force.criteria.id.clone(),
            catalogue: in_force.catalogue.id.clone(),
            due,
            late,
        },
    )];
    if !completeness.is_complete() {
        events.push(Event {
            at: env.now,
            actor: Actor::system(),
            citation: Citation::new("App.2 item 9"),
            kind: EventKind::NotAccepted { completeness, note: String::new() },
        });
    }
    Ok(events)
}

/// Decides a command on a case. `certificate` is the certificate the case concerns (for
/// extension, re-issue and duplicate), loaded by the caller.
pub fn decide(
    case: &Case,
    cmd: &Command,
    env: &Env<'_>,
    law: &Law,
    certificate: Option<&Certificate>,
) -> Result<Vec<Event>, Refusal> {
    let set = law.rules.sets().iter().find(|s| s.id == case.rule_set);
    crate::params::renumbered(set, decide_numbered(case, cmd, env, law, certificate))
}

fn decide_numbered(
    case: &Case,
    cmd: &Command,
    env: &Env<'_>,
    law: &Law,
    certificate: Option<&Certificate>,
) -> Result<Vec<Event>, Refusal> {
    let service = case.application.service.kind();
    let kind = cmd.kind();
    if let Err((blocked, citation)) = transition(service, case.state, kind) {
        return Err(blocked.refusal(Act::Case(kind), Stage::Case(case.state), Proceeding::Service(service), citation));
    }
    let (role, citation) = kind.role();
    if env.actor.role != role {
        return Err(Refusal::new(Reason::WrongRole { needed: role, actual: env.actor.role }, citation));
    }
    if env.actor.akimat.as_deref() != Some(case.application.akimat.as_str()) {
        return Err(Refusal::new(Reason::OtherAkimat { akimat: case.application.akimat.clone() }, citation));
    }
    let law_now = law.for_case(case)?;
    let at = At { case, env, law, rules: law_now.rules, today: env.today(), citation: &citation };
    let kind_event = match cmd {
        Command::Register => at.register()?,
        Command::NotAccept { missing, expired, note } => EventKind::NotAccepted {
            completeness: officer_completeness(&case.application, at.rules, case.received_on, missing, expired)?,
            note: note.trim().to_owned(),
        },
        Command::Forward => EventKind::Forwarded { due: at.due(at.today, &at.rules.deadlines.commission_decision)? },
        Command::RecordDecision { minutes, members, present, answers, recommendation } => {
            record_decision(minutes, members, present, answers, recommendation, &law_now, at.today)?
        }
        Command::Issue { number, valid_to } => at.issue(number, *valid_to)?,
        Command::Extend { valid_to } => at.extend(certificate, *valid_to)?,
        Command::Reissue { number } => at.reissue(certificate, number)?,
        Command::IssueDuplicate => {
            let cert = usable_at_decision(&case.application, certificate, case.received_on, at.today)?;
            EventKind::Completed { outcome: Outcome::Duplicated { number: cert.number.clone(), on: at.today } }
        }
        Command::Refuse { grounds, reasoning } => at.refuse(grounds, reasoning)?,
    };
    Ok(vec![event(env, citation, kind_event)])
}

/// A command being decided on one case: what each command's own step needs, so that
/// [`decide_numbered`] reads as the table of commands and each step as its paragraph.
struct At<'a> {
    case: &'a Case,
    env: &'a Env<'a>,
    law: &'a Law,
    rules: &'a RuleSet,
    today: Date,
    citation: &'a Citation,
}

impl At<'_> {
    fn due(&self, from: Date, term: &crate::params::Deadline) -> Result<DueDate, Refusal> {
        DueDate::compute(self.env.calendar, from, term).map_err(|e| calendar_refusal(e, self.citation.clone()))
    }

    /// App.2 item 7: the registration day is the day the filing counts as received; the
    /// next stage's term and the whole service's term both run from it.
    fn register(&self) -> Result<EventKind, Refusal> {
        let d = &self.rules.deadlines;
        let (next, whole) = match self.case.application.service.kind() {
            ServiceKind::Issue => (&d.forward_to_commission, &d.issue_service),
            ServiceKind::Extend => (&d.extension, &d.extension),
            ServiceKind::Reissue => (&d.reissue, &d.reissue),
            ServiceKind::Duplicate => (&d.duplicate, &d.duplicate),
        };
        let from = self.case.received_on;
        Ok(EventKind::Registered { due: self.due(from, next)?, service_due: self.due(from, whole)? })
    }

    /// Rules §13: the certificate follows a Commission's recommendation to issue, for at
    /// most the first term.
    fn issue(&self, number: &CertificateNumber, valid_to: Option<Date>) -> Result<EventKind, Refusal> {
        let (case, app, rules, today) = (self.case, &self.case.application, self.rules, self.today);
        let Some(decision) = &case.decision else {
            return Err(Refusal::new(
                Reason::NotAtThisStage { command: Act::Case(CommandKind::Issue), state: Stage::Case(case.state) },
                "Rules §9",
            ));
        };
        if !matches!(decision.recommendation, Recommendation::Issue { .. }) {
            return Err(Refusal::new(
                Reason::AgainstRecommendation { recommended_issue: false },
                "Rules §9; Rules §13",
            ));
        }
        check_number(number, self.law, app, today)?;
        let latest = add_months(today, rules.terms.first_certificate_max_months.value);
        let valid_to =
            within(valid_to.unwrap_or(latest), today, latest, &rules.terms.first_certificate_max_months.citation)?;
        let certificate = Certificate {
            number: number.clone(),
            akimat: app.akimat.clone(),
            holder: app.applicant.clone(),
            profession: app.profession.clone().unwrap_or_default(),
            sector: app.sector.clone().unwrap_or_default(),
            basis: Basis::Decision { minutes: decision.minutes.clone(), on: decision.on }.describe(Lang::En),
            basis_of: Some(Basis::Decision { minutes: decision.minutes.clone(), on: decision.on }),
            issued_on: today,
            valid_from: today,
            valid_to,
            employer: app.employer.clone(),
            case: case.number.clone(),
            replaces: None,
            superseded: None,
            revoked: None,
            extensions: Vec::new(),
            duplicates: Vec::new(),
            notices: Vec::new(),
        };
        Ok(EventKind::Completed { outcome: Outcome::Issued { certificate: Box::new(certificate) } })
    }

    /// Rules §16: an extension runs for the new contract's term, capped by the rule set.
    fn extend(&self, certificate: Option<&Certificate>, valid_to: Option<Date>) -> Result<EventKind, Refusal> {
        let (case, app, rules, today) = (self.case, &self.case.application, self.rules, self.today);
        let cert = usable_at_decision(app, certificate, case.received_on, today)?;
        let to = extension_end(app, cert, rules, today);
        if to <= cert.valid_to {
            return Err(field(Field::ContractEnd, Problem::EndsWithinValidity, "Rules §16"));
        }
        // Rules §16 extends *for* the contract's term: a date the officer chose otherwise
        // is refused, not applied.
        if let Some(asked) = valid_to
            && asked != to
        {
            let citation = &rules.terms.extension_max_years.citation;
            return Err(if asked > to {
                Refusal::new(Reason::ValidityTooLong { requested: asked, latest: to }, citation.clone())
            } else {
                Refusal::new(Reason::ValidityBeforeStart { requested: asked, start: to }, citation.clone())
            });
        }
        Ok(EventKind::Completed {
            outcome: Outcome::Extended { number: cert.number.clone(), on: today, from: cert.valid_to, to },
        })
    }

    /// Rules §22: a re-issued certificate has a new number and replaces the old one.
    fn reissue(&self, certificate: Option<&Certificate>, number: &CertificateNumber) -> Result<EventKind, Refusal> {
        let (case, app, rules, today) = (self.case, &self.case.application, self.rules, self.today);
        let old = usable_at_decision(app, certificate, case.received_on, today)?;
        if number == &old.number {
            return Err(field(Field::Number, Problem::NewNumberNeeded, "Rules §22 para 3"));
        }
        check_number(number, self.law, app, today)?;
        let valid_to = if rules.readings.reissue_keeps_validity {
            old.valid_to
        } else {
            add_months(today, rules.terms.first_certificate_max_months.value)
        };
        let mut new = old.clone();
        new.number = number.clone();
        new.holder = app.applicant.clone();
        if let Some(e) = &app.employer {
            new.employer = Some(e.clone());
        }
        let basis = Basis::Reissue { of: old.number.clone(), case: case.number.clone() };
        new.basis = basis.describe(Lang::En);
        new.basis_of = Some(basis);
        new.issued_on = today;
        new.valid_from = today;
        new.valid_to = valid_to;
        new.case = case.number.clone();
        new.replaces = Some(old.number.clone());
        new.superseded = None;
        new.revoked = None;
        new.extensions.clear();
        new.duplicates.clear();
        new.notices.clear();
        Ok(EventKind::Completed {
            outcome: Outcome::Reissued { certificate: Box::new(new), replaces: old.number.clone() },
        })
    }

    /// App.2 items 5 and 9: a refusal names its grounds and reasons; after a Commission's
    /// decision only the grounds it recommended.
    fn refuse(&self, grounds: &[Ground], reasoning: &str) -> Result<EventKind, Refusal> {
        let (case, rules, service) = (self.case, self.rules, self.case.application.service.kind());
        if grounds.is_empty() {
            return Err(Refusal::new(Reason::NoGrounds, "App.2 item 5; App.2 item 9"));
        }
        if reasoning.trim().is_empty() {
            return Err(Refusal::new(Reason::NoReasoning, "App.2 item 5"));
        }
        if let Some(d) = case.decision.as_ref().filter(|_| service == ServiceKind::Issue) {
            match &d.recommendation {
                Recommendation::Issue { .. } => {
                    return Err(Refusal::new(
                        Reason::AgainstRecommendation { recommended_issue: true },
                        "Rules §9; Rules §13",
                    ));
                }
                Recommendation::Refuse { grounds: recommended, .. } => {
                    if let Some(g) = grounds.iter().find(|g| !recommended.contains(g)) {
                        return Err(Refusal::new(Reason::GroundNotForService { ground: *g }, "Rules §9"));
                    }
                }
            }
        }
        if let Some(g) = grounds.iter().find(|g| !rules.grounds.allowed(**g, service)) {
            return Err(Refusal::new(Reason::GroundNotForService { ground: *g }, g.citation(rules)));
        }
        let mut grounds = grounds.to_vec();
        grounds.sort();
        grounds.dedup();
        Ok(EventKind::Refused { grounds, reasoning: reasoning.trim().to_owned() })
    }
}

fn record_decision(
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

/// A certificate number belongs to the case's akimat and to this year.
fn check_number(number: &CertificateNumber, law: &Law, app: &Application, today: Date) -> Result<(), Refusal> {
    let prefix = law.akimat(&app.akimat).map(|a| a.prefix.as_str());
    if Some(number.prefix()) != prefix || i32::from(number.year()) != i32::from(today.year()) {
        return Err(Refusal::new(Reason::NumberMismatch { number: number.to_string() }, "App.3"));
    }
    Ok(())
}

/// The last day of a term of `months` starting on `from` (from 2 March, 3 months: 1 June).
pub fn add_months(from: Date, months: u32) -> Date {
    let span = jiff::Span::new().months(i64::from(months));
    from.checked_add(span).ok().and_then(|d| d.yesterday().ok()).unwrap_or(from)
}

fn within(requested: Date, start: Date, latest: Date, citation: &Citation) -> Result<Date, Refusal> {
    if requested > latest {
        return Err(Refusal::new(Reason::ValidityTooLong { requested, latest }, citation.clone()));
    }
    if requested < start {
        return Err(Refusal::new(Reason::ValidityBeforeStart { requested, start }, citation.clone()));
    }
    Ok(requested)
}

/// What an event of case `case` does to certificates: the service layer appends these to
/// the certificates' own streams in the same transaction.
pub fn certificate_effects(case: &CaseNumber, event: &Event) -> Vec<(CertificateNumber, CertificateEvent)> {
    let EventKind::Completed { outcome } = &event.kind else { return Vec::new() };
    match outcome {
        Outcome::Issued { certificate } => {
            vec![(certificate.number.clone(), CertificateEvent::Issued { certificate: certificate.clone() })]
        }
        Outcome::Extended { number, on, to, .. } => {
            vec![(number.clone(), CertificateEvent::Extended { on: *on, valid_to: *to, case: case.clone() })]
        }
        Outcome::Reissued { certificate, replaces } => vec![
            (certificate.number.clone(), CertificateEvent::Issued { certificate: certificate.clone() }),
            (
                replaces.clone(),
                CertificateEvent::Superseded { on: certificate.issued_on, by: certificate.number.clone() },
            ),
        ],
        Outcome::Duplicated { number, on } => {
            vec![(number.clone(), CertificateEvent::DuplicateIssued { on: *on, case: case.clone() })]
        }
    }
}

/// Which law judges a case: the versions recorded when it was filed. Here rather than in
/// `law`, which knows no case.
impl Law {
    /// What a case is judged by: the versions recorded when it was filed.
    pub fn for_case(&self, case: &Case) -> Result<InForce<'_>, Refusal> {
        let d = case.received_on;
        let none = |what| Refusal::new(Reason::NoRulesInForce { date: d, what }, "Rules");
        Ok(InForce {
            rules: self
                .rules
                .sets()
                .iter()
                .find(|s| s.id == case.rule_set)
                .ok_or_else(|| none(crate::facts::LawData::RuleSet))?,
            criteria: self
                .criteria
                .sets()
                .iter()
                .find(|s| s.id == case.criteria)
                .ok_or_else(|| none(crate::facts::LawData::Criteria))?,
            catalogue: self
                .catalogue
                .versions()
                .iter()
                .find(|v| v.id == case.catalogue)
                .ok_or_else(|| none(crate::facts::LawData::Catalogue))?,
        })
    }

    /// The rule set a case was judged by, for showing it; the newest loaded when the record
    /// names a set this installation no longer has.
    pub fn set_of(&self, case: &Case) -> &RuleSet {
        let sets = self.rules.sets();
        sets.iter().find(|s| s.id == case.rule_set).unwrap_or(&sets[sets.len() - 1])
    }
}
