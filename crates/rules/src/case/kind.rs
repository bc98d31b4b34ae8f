//! What can happen to a case: the kinds of its events, apart from the record that holds
//! them, so that [`super::wire`]'s reader can name the type without the record naming it back.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::application::Application;
use super::outcome::{CommissionDecision, Outcome};
use crate::deadline::{DueDate, Lateness};
use crate::documents::Completeness;
use crate::numbers::CaseNumber;
use crate::vocab::Ground;

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
    /// Closed without a result: the certificate is no longer in force (Rules §23).
    Closed {
        /// The certificate.
        certificate: crate::numbers::CertificateNumber,
        /// Its status on the day of closing (revoked or superseded).
        status: Box<crate::vocab::Status>,
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
            EventKind::Closed { .. } => "closed",
        }
    }
}
