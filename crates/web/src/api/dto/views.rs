//! What the API shows: cases, complaints, due dates, decisions, results, queues, the status
//! of an application and the verification of a certificate.

use jiff::civil::Date;
use rules::case::{self};
use rules::certificate::{self};
use rules::complaint::{self};
use serde::Serialize;
use utoipa::ToSchema;

use super::acts::ControlActBody;
use super::acts::FilingBody;
use super::assessment::RecommendationBody;
use super::filing::ApplicationBody;
use super::filing::EmployerBody;
use super::filing::HolderBody;
use super::read::*;

/// A due date with the paragraph that sets it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DueBody {
    /// The last day.
    #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub on: Date,
    /// Counted from.
    #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub from: Date,
    /// Working days.
    pub working_days: u32,
    /// The paragraph, e.g. `App.2 item 4`.
    pub citation: String,
    /// The requirement's number (R4.1).
    pub requirement: String,
}

impl From<&rules::deadline::DueDate> for DueBody {
    fn from(d: &rules::deadline::DueDate) -> DueBody {
        DueBody {
            on: d.on,
            from: d.from,
            working_days: d.working_days,
            citation: d.citation.to_string(),
            requirement: d.requirement.clone(),
        }
    }
}

/// A certificate as its case issued it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IssuedBody {
    /// Its number.
    pub number: String,
    /// The akimat's code.
    pub akimat: String,
    /// The holder.
    pub holder: HolderBody,
    /// Occupation code.
    pub profession: String,
    /// OKED code.
    pub sector: String,
    /// The basis for issue.
    pub basis: String,
    /// Date of issue.
    #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub issued_on: Date,
    /// Valid from.
    #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub valid_from: Date,
    /// Valid to (inclusive).
    #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub valid_to: Date,
    /// The employer, when named.
    pub employer: Option<EmployerBody>,
    /// The certificate it replaces (a re-issue).
    pub replaces: Option<String>,
}

impl From<&certificate::Certificate> for IssuedBody {
    fn from(c: &certificate::Certificate) -> IssuedBody {
        IssuedBody {
            number: c.number.to_string(),
            akimat: c.akimat.to_string(),
            holder: (&c.holder).into(),
            profession: c.profession.clone(),
            sector: c.sector.clone(),
            basis: c.basis.clone(),
            issued_on: c.issued_on,
            valid_from: c.valid_from,
            valid_to: c.valid_to,
            employer: c.employer.as_ref().map(EmployerBody::from),
            replaces: c.replaces.as_ref().map(ToString::to_string),
        }
    }
}

/// What a case came to.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(tag = "result", rename_all = "kebab-case", deny_unknown_fields)]
pub enum OutcomeBody {
    /// A certificate was issued.
    Issued {
        /// It.
        certificate: IssuedBody,
    },
    /// A certificate was extended.
    Extended {
        /// Its number.
        number: String,
        /// On.
        #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
        on: Date,
        /// The extension's first day.
        #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
        from: Date,
        /// Its last day.
        #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
        to: Date,
    },
    /// A certificate was re-issued under a new number.
    Reissued {
        /// The new certificate.
        certificate: IssuedBody,
        /// The number it replaces.
        replaces: String,
    },
    /// A duplicate was issued.
    Duplicated {
        /// The certificate's number.
        number: String,
        /// On.
        #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
        on: Date,
    },
}

impl From<&case::Outcome> for OutcomeBody {
    fn from(o: &case::Outcome) -> OutcomeBody {
        match o {
            case::Outcome::Issued { certificate } => OutcomeBody::Issued { certificate: certificate.as_ref().into() },
            case::Outcome::Extended { number, on, from, to } => {
                OutcomeBody::Extended { number: number.to_string(), on: *on, from: *from, to: *to }
            }
            case::Outcome::Reissued { certificate, replaces } => {
                OutcomeBody::Reissued { certificate: certificate.as_ref().into(), replaces: replaces.to_string() }
            }
            case::Outcome::Duplicated { number, on } => OutcomeBody::Duplicated { number: number.to_string(), on: *on },
        }
    }
}

/// The Commission's decision.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DecisionBody {
    /// The day of the sitting.
    #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub on: Date,
    /// The minutes' number.
    pub minutes: String,
    /// The members.
    pub members: Vec<String>,
    /// The members present.
    pub present: Vec<String>,
    /// Points scored (Rules §10).
    pub points: u32,
    /// The pass mark.
    pub pass_mark: u32,
    /// Whether the points reach the pass mark.
    pub passed: bool,
    /// The recommendation.
    pub recommendation: RecommendationBody,
}

/// A case, with its version (also its ETag).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseBody {
    /// The case number.
    pub number: String,
    /// The application as filed.
    pub application: ApplicationBody,
    /// The stage.
    pub state: StateBody,
    /// The version: send it back as `If-Match: "vN"`.
    pub version: u64,
    /// Received on (App.2 item 7).
    #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub received_on: Date,
    /// The rule set applied.
    pub rule_set: String,
    /// The current stage's due date.
    pub due: Option<DueBody>,
    /// The whole service's due date.
    pub service_due: Option<DueBody>,
    /// The Commission's decision.
    pub decision: Option<DecisionBody>,
    /// What the case came to.
    pub outcome: Option<OutcomeBody>,
    /// Why it was refused or not accepted, in words.
    pub reasons: Option<String>,
    /// The grounds of a refusal.
    pub grounds: Vec<GroundBody>,
    /// The same person's other open applications for the same service (flagged, never
    /// refused: the law gives no ground for it), as their numbers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<String>,
}

impl From<&case::Case> for CaseBody {
    fn from(c: &case::Case) -> CaseBody {
        CaseBody {
            number: c.number.to_string(),
            application: (&c.application).into(),
            state: c.state.into(),
            version: c.version,
            received_on: c.received_on,
            rule_set: c.rule_set.clone(),
            due: c.due.as_ref().map(DueBody::from),
            service_due: c.service_due.as_ref().map(DueBody::from),
            decision: c.decision.as_ref().map(|d| DecisionBody {
                on: d.on,
                minutes: d.minutes.clone(),
                members: d.members.clone(),
                present: d.present.clone(),
                points: d.assessment.total,
                pass_mark: d.assessment.pass_mark.value,
                passed: d.assessment.passed(),
                recommendation: (&d.recommendation).into(),
            }),
            outcome: c.outcome.as_ref().map(OutcomeBody::from),
            reasons: c.reasons.clone(),
            grounds: c.grounds.iter().map(|&g| g.into()).collect(),
            related: Vec::new(),
        }
    }
}

/// A complaint, with its version (also its ETag).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ComplaintBody {
    /// Its number.
    pub number: String,
    /// What was filed.
    pub filing: FilingBody,
    /// The stage.
    pub state: ComplaintStateBody,
    /// The version: send it back as `If-Match: "vN"`.
    pub version: u64,
    /// Received on.
    #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub received_on: Date,
    /// The review's due date.
    pub due: Option<DueBody>,
    /// The akimat's due date to forward it.
    pub forwarding_due: Option<DueBody>,
    /// The verdict.
    pub verdict: Option<VerdictBody>,
    /// The answer given.
    pub answer: Option<String>,
}

impl From<&complaint::Complaint> for ComplaintBody {
    fn from(c: &complaint::Complaint) -> ComplaintBody {
        ComplaintBody {
            number: c.number.to_string(),
            filing: (&c.filing).into(),
            state: c.state.into(),
            version: c.version,
            received_on: c.received_on,
            due: c.due.as_ref().map(DueBody::from),
            forwarding_due: c.forwarding_due.as_ref().map(DueBody::from),
            verdict: c.verdict.map(Into::into),
            answer: c.answer.clone(),
        }
    }
}

/// What a write did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AppliedBody {
    /// The stream written (`case-…`, `certificate-…`, `complaint-…`).
    pub stream: String,
    /// The case, certificate or complaint number.
    pub number: String,
    /// Its version now.
    pub version: u64,
    /// The kinds of the events written.
    pub events: Vec<String>,
    /// The position of the last event in the whole log.
    pub last_seq: i64,
    /// The first answer to this `Idempotency-Key`, given again: nothing new was written.
    pub replayed: bool,
}

impl From<store::Applied> for AppliedBody {
    fn from(a: store::Applied) -> AppliedBody {
        AppliedBody {
            stream: a.stream,
            number: a.number,
            version: a.version,
            events: a.events,
            last_seq: a.last_seq,
            replayed: a.replayed,
        }
    }
}

/// One line of the officer's queue.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QueueRowBody {
    /// The number.
    pub number: String,
    /// The service, or the complaint's route.
    pub service: String,
    /// The stage.
    pub state: String,
    /// The last day of the current stage.
    #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub due_on: Date,
    /// Past its due date today.
    pub overdue: bool,
    /// Filed late by the applicant.
    pub late_filing: bool,
    /// The same person has another open application for the same service (the case view's
    /// `related` names it).
    pub related: bool,
}

impl From<store::QueueRow> for QueueRowBody {
    fn from(r: store::QueueRow) -> QueueRowBody {
        QueueRowBody {
            number: r.number,
            service: r.service,
            state: r.state,
            due_on: r.due_on,
            overdue: r.overdue,
            late_filing: r.late_filing,
            related: r.related,
        }
    }
}

/// A certificate's status today.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(tag = "status", rename_all = "kebab-case", deny_unknown_fields)]
pub enum StatusBody {
    /// Valid as first issued.
    Active {
        /// Valid to.
        #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
        valid_to: Date,
    },
    /// Valid, extended.
    Extended {
        /// Valid to.
        #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
        valid_to: Date,
    },
    /// Replaced by a re-issued certificate (R8.3).
    Superseded {
        /// The new number.
        by: String,
        /// Since.
        #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
        on: Date,
    },
    /// Revoked (Rules §21).
    Revoked {
        /// Since.
        #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
        on: Date,
        /// The control act.
        act: ControlActBody,
    },
    /// Past its last day.
    Expired {
        /// Since.
        #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
        on: Date,
    },
}

impl From<&certificate::Status> for StatusBody {
    fn from(s: &certificate::Status) -> StatusBody {
        use certificate::Status as S;
        match s {
            S::Active { valid_to } => StatusBody::Active { valid_to: *valid_to },
            S::Extended { valid_to } => StatusBody::Extended { valid_to: *valid_to },
            S::Superseded { by, on } => StatusBody::Superseded { by: by.to_string(), on: *on },
            S::Revoked { on, act } => StatusBody::Revoked {
                on: *on,
                act: ControlActBody {
                    body: act.body.clone().into(),
                    number: act.number.clone().into(),
                    date: act.date,
                },
            },
            S::Expired { on } => StatusBody::Expired { on: *on },
        }
    }
}

/// The status of an application, as anyone with its two numbers may see it (R3.8).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseStatusBody {
    /// The case number.
    pub number: String,
    /// The service.
    pub service: ServiceKindBody,
    /// The stage.
    pub state: StateBody,
    /// Received on (App.2 item 7).
    #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub received_on: Date,
    /// The current stage's due date with its paragraph.
    pub due: Option<DueBody>,
    /// Past the due date today.
    pub overdue: bool,
    /// Why it was refused or not accepted, in the language asked.
    pub reasons: Option<String>,
    /// The grounds of a refusal (App.2 item 9): each as its text and its paragraph.
    pub grounds: Vec<(String, String)>,
}

impl From<crate::shared::lookup::CaseStatus> for CaseStatusBody {
    fn from(s: crate::shared::lookup::CaseStatus) -> CaseStatusBody {
        CaseStatusBody {
            number: s.number,
            service: s.service.into(),
            state: s.state.into(),
            received_on: s.received_on,
            due: s.due.as_ref().map(DueBody::from),
            overdue: s.overdue,
            reasons: s.reasons,
            grounds: s.grounds,
        }
    }
}

/// A certificate as the public may see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CertificateViewBody {
    /// Its number.
    pub number: String,
    /// Genuine: issued by an akimat through this service.
    pub genuine: bool,
    /// The status today.
    pub status: StatusBody,
    /// The status in words, in the language asked.
    pub status_text: String,
    /// The holder's name, masked.
    pub holder_masked: String,
    /// Occupation code.
    pub profession: String,
    /// The profession's name.
    pub profession_name: String,
    /// OKED code of the sector.
    pub sector: String,
    /// The akimat's code.
    pub akimat: String,
    /// The akimat's name.
    pub akimat_name: String,
    /// Date of issue.
    #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub issued_on: Date,
    /// Valid from.
    #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub valid_from: Date,
    /// Valid to.
    #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub valid_to: Date,
    /// Days duplicates were issued (R9.2).
    #[schema(value_type = Vec<String>)]
    pub duplicates: Vec<Date>,
    /// Whether the code from the certificate's QR link (`?t=`) matches its number; absent when
    /// no code was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link_matches: Option<bool>,
    /// The Commission's minutes the certificate rests on: their number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minutes: Option<String>,
    /// SHA-256 (hex) of the minutes' record the members signed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minutes_sha256: Option<String>,
    /// How many members signed the minutes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minutes_signed_by: Option<usize>,
}

impl From<crate::shared::lookup::CertificateView> for CertificateViewBody {
    fn from(v: crate::shared::lookup::CertificateView) -> CertificateViewBody {
        CertificateViewBody {
            status: (&v.status).into(),
            number: v.number,
            genuine: v.genuine,
            status_text: v.status_text,
            holder_masked: v.holder_masked,
            profession: v.profession,
            profession_name: v.profession_name,
            sector: v.sector,
            akimat: v.akimat,
            akimat_name: v.akimat_name,
            issued_on: v.issued_on,
            valid_from: v.valid_from,
            valid_to: v.valid_to,
            duplicates: v.duplicates,
            link_matches: v.link_matches,
            minutes: v.minutes.as_ref().map(|m| m.number.clone()),
            minutes_sha256: v.minutes.as_ref().and_then(|m| m.sha256.clone()),
            minutes_signed_by: v.minutes.as_ref().map(|m| m.signed_by),
        }
    }
}
