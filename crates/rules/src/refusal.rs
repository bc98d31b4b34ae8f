//! Refusals: the law saying no to a command. Not an error of the program but a value that
//! carries its citation and the facts, shown to the person in their language.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::actor::Role;
use crate::citation::Citation;
use crate::facts::{Act, Field, LawData, Problem, Proceeding, Stage};
use crate::speech::Arg;
use crate::text::{Lang, Localized};
use crate::vocab::Ground;
use crate::vocab::Status;

/// Why a command is refused, with the facts a person needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
pub enum Reason {
    /// The command is not possible at this stage of the case.
    NotAtThisStage {
        /// The command.
        command: Act,
        /// The current state.
        state: Stage,
    },
    /// The command does not exist for this kind of service.
    NotForThisService {
        /// The command.
        command: Act,
        /// The service.
        service: Proceeding,
    },
    /// The case is finished; nothing more can be done on it.
    Finished {
        /// The final state.
        state: Stage,
    },
    /// Someone in another role must do this.
    WrongRole {
        /// The role that may.
        needed: Role,
        /// The role that tried.
        actual: Role,
    },
    /// The case belongs to another akimat.
    OtherAkimat {
        /// The case's akimat (its code; named in the reader's language when shown).
        akimat: crate::akimat::AkimatCode,
    },
    /// The certificate is not the applicant's.
    NotTheHolder,
    /// No consent to the processing of personal data (App.1).
    NoConsent,
    /// A field the form requires for this service is missing or wrong.
    Field {
        /// The field.
        field: Field,
        /// What is wrong.
        problem: Problem,
    },
    /// The profession is not on the list in force (App.2 item 9.1).
    ProfessionNotListed {
        /// The code given.
        code: String,
        /// The date the list was consulted for.
        date: Date,
        /// The list version.
        list: String,
    },
    /// A complaint names a case that is not the complainant's, or no case at all: a complaint
    /// is about one's own case (Rules §24).
    CaseNotTheComplainants {
        /// The number given.
        number: String,
    },
    /// The certificate is not known.
    CertificateUnknown {
        /// The number given.
        number: String,
    },
    /// The certificate is not valid, so the service cannot apply to it.
    CertificateNotValid {
        /// The number.
        number: String,
        /// Its status.
        status: Box<Status>,
    },
    /// Fewer members present than the quorum.
    NoQuorum {
        /// Present.
        present: usize,
        /// Members of the Commission.
        members: usize,
        /// Needed.
        needed: usize,
    },
    /// Someone marked present is not a member.
    NotAMember {
        /// The id.
        who: String,
    },
    /// Not every criterion was answered.
    AssessmentIncomplete {
        /// The questions without an answer.
        unanswered: Vec<Localized>,
    },
    /// An answer does not fit the criteria.
    AssessmentInvalid {
        /// The question whose answer does not fit; `None` for an answer to no criterion of
        /// the table.
        question: Option<Localized>,
    },
    /// Issue cannot be recommended below the pass mark.
    BelowPassMark {
        /// The score.
        total: u32,
        /// The pass mark.
        pass_mark: u32,
    },
    /// "Below six points" cannot be a ground when the score reaches the pass mark.
    PassMarkReached {
        /// The score.
        total: u32,
        /// The pass mark.
        pass_mark: u32,
    },
    /// A refusal needs at least one ground.
    NoGrounds,
    /// A refusal needs its reasoning written out.
    NoReasoning,
    /// The Commission's decision names no recommendation (to issue or to refuse).
    NoRecommendation,
    /// The ground does not apply to this service.
    GroundNotForService {
        /// The ground.
        ground: Ground,
    },
    /// The result must follow the Commission's recommendation.
    AgainstRecommendation {
        /// The Commission recommended issue (else refusal).
        recommended_issue: bool,
    },
    /// The validity asked for exceeds the maximum.
    ValidityTooLong {
        /// Asked.
        requested: Date,
        /// The latest allowed.
        latest: Date,
    },
    /// The validity would end before it starts.
    ValidityBeforeStart {
        /// Asked.
        requested: Date,
        /// The start.
        start: Date,
    },
    /// The certificate number does not belong to this akimat and year.
    NumberMismatch {
        /// The number given.
        number: String,
    },
    /// Not accepting needs the reason written out.
    NoNotAcceptReason,
    /// A document called expired whose recorded validity reaches past the day it was submitted.
    DocumentNotExpired {
        /// The kind of document.
        kind: crate::documents::DocumentKind,
        /// Its recorded last day of validity.
        valid_until: Date,
    },
    /// Closing a case for its certificate while that certificate is still in force.
    CertificateStillInForce {
        /// The certificate.
        number: String,
    },
    /// A ground of refusal the Commission did not recommend (Rules §9: the akimat decides on
    /// the Commission's recommendation).
    GroundNotRecommended {
        /// The ground.
        ground: Ground,
    },
    /// The 3-working-day window to satisfy a complaint instead of forwarding it has passed.
    SatisfactionWindowPassed {
        /// Its last day.
        due: Date,
        /// Its length in working days (Rules §24 para 2); refusals recorded before it was
        /// kept were made under the 3 of order No. 426.
        #[serde(default = "three")]
        days: u32,
    },
    /// Revocation needs the control body's act.
    NoControlAct,
    /// A reminder of a window that has already closed.
    WindowClosed {
        /// Its last day.
        due: Date,
    },
    /// A window recorded as missed before it has closed.
    WindowStillOpen {
        /// Its last day.
        due: Date,
    },
    /// The calendar has no data for a year the question reaches.
    CalendarData {
        /// The year.
        year: i16,
    },
    /// No rule set, criteria table or list is in force on the date.
    NoRulesInForce {
        /// The date.
        date: Date,
        /// Which data is missing.
        what: LawData,
    },
}

/// A refused command: the reason and the paragraph it applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{} [{citation}]", reason.message(Lang::En))]
pub struct Refusal {
    /// Why.
    pub reason: Reason,
    /// The paragraph applied.
    pub citation: Citation,
    /// Other problems found by the same check, each with its paragraph, so that a person
    /// fixes a form once, not once per problem (issue 31). Empty for most refusals.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<Refusal>,
}

impl Refusal {
    /// A refusal under `citation`.
    pub fn new(reason: Reason, citation: impl Into<Citation>) -> Refusal {
        Refusal { reason, citation: citation.into(), also: Vec::new() }
    }

    /// The first of `problems` with the others as [`Refusal::also`]; `None` when there are none.
    pub fn all(problems: Vec<Refusal>) -> Option<Refusal> {
        let mut it = problems.into_iter();
        let mut first = it.next()?;
        first.also.extend(it);
        Some(first)
    }

    /// The message with its citation, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        format!("{} [{}]", self.reason.message(lang), self.citation.localized(lang))
    }

    /// The message as a sentence on a page: a capital letter first and a full stop last
    /// ("A refusal must give its reasons [Rules §9]."). The plain message is a clause, which
    /// other text can take in ("refused: …").
    pub fn sentence(&self, lang: Lang) -> String {
        let message = self.message(lang);
        let mut chars = message.chars();
        let first: String = chars.next().map(|c| c.to_uppercase().collect()).unwrap_or_default();
        format!("{first}{}.", chars.as_str())
    }
}

/// The window of Rules §24 para 2 under order No. 426, for refusals recorded before the
/// number was kept with them.
fn three() -> u32 {
    3
}

impl Reason {
    /// The reason in `lang`, without the citation, from the Fluent files (`reason-*`).
    pub fn message(&self, lang: Lang) -> String {
        use Reason::*;
        let l = lang;
        let say = |key: &str, args: &[(&str, Arg<'_>)]| crate::speech::say(l, key, args);
        let text = |s: &str| Arg::from(s.to_owned());
        let date = |d: &Date| Arg::from(d.to_string());
        match self {
            NotAtThisStage { command, state } => {
                say("reason-not-at-this-stage", &[("command", command.name(l).into()), ("state", state.name(l).into())])
            }
            NotForThisService { command, service } => say(
                "reason-not-for-this-service",
                &[("command", command.name(l).into()), ("service", service.name(l).into())],
            ),
            Finished { state } => say("reason-finished", &[("state", state.name(l).into())]),
            WrongRole { needed, actual } => {
                say("reason-wrong-role", &[("needed", needed.name(l).into()), ("actual", actual.name(l).into())])
            }
            OtherAkimat { akimat } => {
                say("reason-other-akimat", &[("akimat-body", crate::akimat::body(akimat, l).into())])
            }
            NotTheHolder => say("reason-not-the-holder", &[]),
            NoConsent => say("reason-no-consent", &[]),
            Field { field, problem } => problem.message(*field, l),
            ProfessionNotListed { code, date: on, list } => {
                say("reason-profession-not-listed", &[("code", text(code)), ("date", date(on)), ("list", text(list))])
            }
            CertificateUnknown { number } => say("reason-certificate-unknown", &[("number", text(number))]),
            CaseNotTheComplainants { number } => say("reason-case-not-the-complainants", &[("number", text(number))]),
            CertificateNotValid { number, status } => {
                say("reason-certificate-not-valid", &[("number", text(number)), ("status", status.describe(l).into())])
            }
            NoQuorum { present, members, needed } => say(
                "reason-no-quorum",
                &[("present", (*present).into()), ("members", (*members).into()), ("needed", (*needed).into())],
            ),
            NotAMember { who } => say("reason-not-a-member", &[("who", text(who))]),
            AssessmentIncomplete { unanswered } => {
                let questions = unanswered.iter().map(|q| format!("«{}»", q.get(l))).collect::<Vec<_>>().join(", ");
                say("reason-assessment-incomplete", &[("questions", questions.into())])
            }
            AssessmentInvalid { question: Some(q) } => {
                say("reason-assessment-invalid", &[("question", q.get(l).into())])
            }
            AssessmentInvalid { question: None } => say("reason-assessment-invalid-no-criterion", &[]),
            BelowPassMark { total, pass_mark } => {
                say("reason-below-pass-mark", &[("total", (*total).into()), ("pass-mark", (*pass_mark).into())])
            }
            PassMarkReached { total, pass_mark } => {
                say("reason-pass-mark-reached", &[("total", (*total).into()), ("pass-mark", (*pass_mark).into())])
            }
            NoGrounds => say("reason-no-grounds", &[]),
            NoReasoning => say("reason-no-reasoning", &[]),
            NoRecommendation => say("reason-no-recommendation", &[]),
            GroundNotForService { ground } => {
                say("reason-ground-not-for-service", &[("ground", ground.label(l).into())])
            }
            AgainstRecommendation { recommended_issue } => {
                let recommended =
                    crate::speech::word(l, if *recommended_issue { "recommended-issue" } else { "recommended-refuse" });
                say("reason-against-recommendation", &[("recommended", recommended.into())])
            }
            ValidityTooLong { requested, latest } => {
                say("reason-validity-too-long", &[("requested", date(requested)), ("latest", date(latest))])
            }
            ValidityBeforeStart { requested, start } => {
                say("reason-validity-before-start", &[("requested", date(requested)), ("start", date(start))])
            }
            NumberMismatch { number } => say("reason-number-mismatch", &[("number", text(number))]),
            NoNotAcceptReason => say("reason-no-not-accept-reason", &[]),
            DocumentNotExpired { kind, valid_until } => {
                say("reason-document-not-expired", &[("document", kind.name(l).into()), ("date", date(valid_until))])
            }
            CertificateStillInForce { number } => say("reason-certificate-still-in-force", &[("number", text(number))]),
            GroundNotRecommended { ground } => {
                say("reason-ground-not-recommended", &[("ground", ground.label(l).into())])
            }
            SatisfactionWindowPassed { due, days } => {
                say("reason-satisfaction-window-passed", &[("due", date(due)), ("days", (*days).into())])
            }
            NoControlAct => say("reason-no-control-act", &[]),
            WindowClosed { due } => say("reason-window-closed", &[("due", date(due))]),
            WindowStillOpen { due } => say("reason-window-still-open", &[("due", date(due))]),
            CalendarData { year } => say("reason-calendar-data", &[("year", Arg::from(year.to_string()))]),
            NoRulesInForce { date: on, what } => {
                say("reason-no-rules-in-force", &[("date", date(on)), ("what", what.name(l).into())])
            }
        }
    }
}
