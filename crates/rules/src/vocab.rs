//! The law's vocabulary: the services, the states of a case, a certificate and a complaint,
//! the kinds of command, the grounds of refusal, a certificate's status. The ground floor of
//! the rules: every other module speaks these words, and this one imports only dates and
//! numbers. What each word does lives with its module (`case`, `certificate`, `complaint`);
//! its name for a person with `speech`.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::numbers::CertificateNumber;

/// The four services (App.2 sub-types) without their details: the table's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ServiceKind {
    /// Issue a certificate (first time).
    Issue,
    /// Extend a certificate.
    Extend,
    /// Re-issue a certificate with a new number.
    Reissue,
    /// Issue a duplicate.
    Duplicate,
}

/// The states of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// Filed, awaiting registration.
    Submitted,
    /// Registered by the akimat.
    Registered,
    /// With the Commission (issue only).
    WithCommission,
    /// The Commission has decided (issue only).
    Decided,
    /// The result was given: certificate issued, extended, re-issued or duplicated.
    Completed,
    /// The service was refused, with reasons.
    Refused,
    /// The application was not accepted (App.2 item 9).
    NotAccepted,
    /// Ended without a result: the certificate it was for is no longer in force (Rules §23),
    /// revoked (Rules §21) or replaced (Rules §22) while the case ran.
    Closed,
}

/// The grounds for refusing the service (App.2 item 9, R4.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ground {
    /// 9.1: qualification or education does not meet the in-demand profession's requirements.
    QualificationMismatch,
    /// 9.2: the assessment is below six points.
    BelowPassMark,
    /// 9.3: the documents or their data are unreliable.
    UnreliableDocuments,
}

/// The kinds of command: the table's columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CommandKind {
    /// Register.
    Register,
    /// Not accept.
    NotAccept,
    /// Forward.
    Forward,
    /// Record decision.
    RecordDecision,
    /// Issue.
    Issue,
    /// Extend.
    Extend,
    /// Re-issue.
    Reissue,
    /// Duplicate.
    IssueDuplicate,
    /// Refuse.
    Refuse,
    /// Close a case whose certificate is no longer in force.
    Close,
}

/// The act of a state body controlling labour or migration law (Rules §21).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ControlAct {
    /// The body.
    pub body: String,
    /// The act's number.
    pub number: String,
    /// Its date.
    pub date: Date,
}

/// A certificate's status on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Status {
    /// Valid as first issued.
    Active {
        /// Valid to.
        valid_to: Date,
    },
    /// Valid, extended to a later date.
    Extended {
        /// Valid to.
        valid_to: Date,
    },
    /// Replaced by a re-issued certificate with a new number (R8.3).
    Superseded {
        /// The new number.
        by: CertificateNumber,
        /// Since.
        on: Date,
    },
    /// Revoked under a control body's act (R7.1).
    Revoked {
        /// Since.
        on: Date,
        /// The act.
        act: ControlAct,
    },
    /// Its term ended (R7.2).
    Expired {
        /// The last valid day.
        on: Date,
    },
}

/// A state of the certificate table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CertState {
    /// Active or extended.
    Valid,
    /// Re-issued under a new number.
    Superseded,
    /// Revoked.
    Revoked,
    /// Expired.
    Expired,
}

/// The kinds of certificate commands, for the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CertCommandKind {
    /// Revoke.
    Revoke,
    /// New employer notice.
    NotifyNewEmployer,
    /// Contract end notice.
    NotifyContractEnd,
    /// A reminder of the holder's window.
    Remind,
    /// A missed window recorded.
    RecordMissedWindow,
}

/// The states of a complaint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ComplaintState {
    /// Received by the akimat, to be forwarded (or satisfied) within 3 working days.
    AwaitingForwarding,
    /// Under review by the akimat itself, within 5 working days.
    UnderAkimatReview,
    /// Under review by the reviewing body.
    UnderReview,
    /// Fully satisfied by the akimat within the 3 days, not forwarded (R10.3).
    Satisfied,
    /// Decided.
    Resolved,
}

/// Kinds of complaint command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ComplaintCommandKind {
    /// Forward.
    Forward,
    /// Satisfy.
    Satisfy,
    /// Decide.
    Decide,
}
