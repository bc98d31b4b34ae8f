//! What the Commission recommends and decides, and what a case ends with.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::assessment::Assessment;
use crate::certificate::Certificate;
use crate::numbers::CertificateNumber;
use crate::vocab::Ground;

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
