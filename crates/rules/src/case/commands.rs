//! The commands on a case, the actions people take, and the transition table that says which
//! command each state allows (the table's rows are services, its columns kinds of command).

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::outcome::Recommendation;
use crate::actor::Role;
use crate::assessment::Answers;
use crate::citation::Citation;
use crate::documents::DocumentKind;
use crate::facts::{Act, Proceeding, Stage};
use crate::numbers::CertificateNumber;
use crate::params::RuleSet;
use crate::refusal::{Reason, Refusal};
use crate::text::Lang;
use crate::vocab::{CommandKind, Ground, ServiceKind, State};

impl State {
    /// Every state.
    pub const ALL: [State; 8] = [
        State::Submitted,
        State::Registered,
        State::WithCommission,
        State::Decided,
        State::Completed,
        State::Refused,
        State::NotAccepted,
        State::Closed,
    ];

    /// No command applies any more.
    pub fn is_terminal(self) -> bool {
        matches!(self, State::Completed | State::Refused | State::NotAccepted | State::Closed)
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
                State::Closed => "state-closed",
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

/// A command on an existing case, spelled once for both its forms:
/// - [`CaseAction`] (`Command<Unallocated>`), as a person or the API gives it, without the
///   certificate numbers, which only the registry allocates (unique per akimat and year);
/// - `Command` (`Command<CertificateNumber>`), as the rules decide it, with them.
///
/// Both encode as `{"action": "issue", …}`; an unallocated number is left out, so a request
/// keeps the shape its idempotency hash was taken over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
#[serde(bound(serialize = "N: Numbered + Serialize", deserialize = "N: Numbered + Deserialize<'de>"))]
pub enum Command<N = CertificateNumber> {
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
        #[serde(skip_serializing_if = "Numbered::is_unallocated")]
        number: N,
        /// Valid to; the longest allowed when absent.
        #[serde(default)]
        valid_to: Option<Date>,
    },
    /// The officer extends the certificate (Rules §16).
    Extend {
        /// New end; the longest allowed when absent.
        #[serde(default)]
        valid_to: Option<Date>,
    },
    /// The officer re-issues with a new number (Rules §22).
    Reissue {
        /// The new number, allocated by the store.
        #[serde(skip_serializing_if = "Numbered::is_unallocated")]
        number: N,
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
    /// The officer closes an extension, re-issue or duplicate whose certificate is no longer
    /// in force (Rules §23): revoked (§21) or replaced (§22) while the case ran, so no result
    /// can lawfully be given, and no ground of App.2 item 9 fits a refusal.
    Close,
}

/// A command as a person or the API gives it: no certificate number yet.
pub type CaseAction = Command<Unallocated>;

/// The number of a certificate the registry has not allocated yet. It encodes as nothing (the
/// field is left out) and reads from an absent or null field, so an action's JSON never carries
/// a number; a [`Command`] with a real number missing is refused as a missing field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Unallocated;

impl<'de> Deserialize<'de> for Unallocated {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Unallocated, D::Error> {
        struct Nothing;
        impl<'de> serde::de::Visitor<'de> for Nothing {
            type Value = Unallocated;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("no certificate number (the registry allocates it)")
            }

            fn visit_none<E: serde::de::Error>(self) -> Result<Unallocated, E> {
                Ok(Unallocated)
            }

            fn visit_unit<E: serde::de::Error>(self) -> Result<Unallocated, E> {
                Ok(Unallocated)
            }
        }
        d.deserialize_option(Nothing)
    }
}

/// What may stand where a command names a new certificate's number.
pub trait Numbered {
    /// Whether it is the placeholder of a number not yet allocated (left out when encoded).
    fn is_unallocated(&self) -> bool;
}

impl Numbered for Unallocated {
    fn is_unallocated(&self) -> bool {
        true
    }
}

impl Numbered for CertificateNumber {
    fn is_unallocated(&self) -> bool {
        false
    }
}

impl CaseAction {
    /// Whether the registry must allocate a new certificate number for it.
    pub fn needs_number(&self) -> bool {
        matches!(self, Command::Issue { .. } | Command::Reissue { .. })
    }

    /// The command, with the number the registry allocated when [`CaseAction::needs_number`].
    /// Without one, the command carries no number and the caller gets `None`.
    pub fn into_command(self, number: Option<CertificateNumber>) -> Option<Command> {
        Some(match self {
            Command::Register => Command::Register,
            Command::NotAccept { missing, expired, note } => Command::NotAccept { missing, expired, note },
            Command::Forward => Command::Forward,
            Command::RecordDecision { minutes, members, present, answers, recommendation } => {
                Command::RecordDecision { minutes, members, present, answers, recommendation }
            }
            Command::Issue { valid_to, .. } => Command::Issue { number: number?, valid_to },
            Command::Extend { valid_to } => Command::Extend { valid_to },
            Command::Reissue { .. } => Command::Reissue { number: number? },
            Command::IssueDuplicate => Command::IssueDuplicate,
            Command::Refuse { grounds, reasoning } => Command::Refuse { grounds, reasoning },
            Command::Close => Command::Close,
        })
    }
}

impl CommandKind {
    /// Every kind.
    pub const ALL: [CommandKind; 10] = [
        CommandKind::Register,
        CommandKind::NotAccept,
        CommandKind::Forward,
        CommandKind::RecordDecision,
        CommandKind::Issue,
        CommandKind::Extend,
        CommandKind::Reissue,
        CommandKind::IssueDuplicate,
        CommandKind::Refuse,
        CommandKind::Close,
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
            CommandKind::Close => "close",
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
                Close => "command-kind-close",
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
            CommandKind::Close => (Role::Officer, Citation::new("Rules §23")),
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
            Command::Close => CommandKind::Close,
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
        let c = match state {
            St::NotAccepted => "App.2 item 9",
            St::Closed => "Rules §23",
            _ => "App.2 item 5; Rules §13",
        };
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
        // A first issue has no certificate to lose; the others end here when theirs is gone.
        (C::Close, _) if service == S::Issue => Err((Blocked::Service, Citation::new("Rules §23"))),
        (C::Close, St::Submitted | St::Registered) => Ok(St::Closed),
        (C::Close, _) => stage("Rules §23"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_action_and_its_command_are_one_type_with_one_encoding() {
        // The shape a stored request was hashed over (idempotency) is kept: no number field.
        let issue = CaseAction::Issue { number: Unallocated, valid_to: None };
        assert_eq!(serde_json::to_string(&issue).expect("json"), r#"{"action":"issue","valid_to":null}"#);
        let read: CaseAction = serde_json::from_str(r#"{"action":"reissue"}"#).expect("an action without a number");
        assert!(read.needs_number());
        let number = CertificateNumber::new("AST", 2026, 42).expect("number");
        let command = read.into_command(Some(number.clone())).expect("numbered");
        assert_eq!(command, Command::Reissue { number: number.clone() });
        assert!(CaseAction::Reissue { number: Unallocated }.into_command(None).is_none(), "no number, no command");
        // A command is never read without the number the registry gave it.
        assert!(serde_json::from_str::<Command>(r#"{"action":"reissue"}"#).is_err());
        let back: Command = serde_json::from_str(&serde_json::to_string(&command).expect("json")).expect("read back");
        assert_eq!(back, command);
    }
}
