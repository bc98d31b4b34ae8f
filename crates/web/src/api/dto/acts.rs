//! Acts on certificates (with the control act a revocation rests on) and complaints.

use jiff::civil::Date;
use rules::certificate::{self, CertificateCommand};
use rules::complaint::{self, ComplaintCommand};
use rules::numbers::CaseNumber;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::filing::EmployerBody;
use super::read::AkimatCodeSchema;
use super::read::iin;
use super::read::mistyped;
use super::read::*;
use crate::edge::error::ApiError;

/// The control act a revocation rests on (Rules §21).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ControlActBody {
    /// The control body.
    pub body: Line,
    /// The act's number.
    pub number: Line,
    /// The act's date.
    #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub date: Date,
}

/// An action on a certificate.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(tag = "command", rename_all = "kebab-case", deny_unknown_fields)]
pub enum CertificateCommandBody {
    /// The officer revokes under a control act (Rules §21).
    Revoke {
        /// The act.
        act: ControlActBody,
    },
    /// The holder notifies a new employer (Rules §18).
    NotifyNewEmployer {
        /// The new contract's date.
        #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
        contract_date: Date,
        /// The new employer.
        employer: EmployerBody,
    },
    /// The holder notifies the end of the contract (Rules §20).
    NotifyContractEnd {
        /// The contract's last day.
        #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
        end_date: Date,
    },
}

impl CertificateCommandBody {
    pub(crate) fn into_domain(self) -> Result<CertificateCommand, ApiError> {
        Ok(match self {
            CertificateCommandBody::Revoke { act } => CertificateCommand::Revoke {
                act: certificate::ControlAct { body: act.body.0, number: act.number.0, date: act.date },
            },
            CertificateCommandBody::NotifyNewEmployer { contract_date, employer } => {
                CertificateCommand::NotifyNewEmployer { contract_date, employer: employer.into_domain("employer")? }
            }
            CertificateCommandBody::NotifyContractEnd { end_date } => {
                CertificateCommand::NotifyContractEnd { end_date }
            }
        })
    }
}

/// A complaint (Rules §24, §25).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FilingBody {
    /// The akimat complained about (its code).
    #[schema(value_type = AkimatCodeSchema)]
    pub akimat: String,
    /// The complainant's IIN.
    #[schema(pattern = "^[0-9]{12}$", format = "iin")]
    pub complainant: String,
    /// The case concerned, if any.
    #[schema(value_type = Option<String>, pattern = "^[Zz]-[A-Za-z]{3}-[0-9]{4}-[0-9]{6}-[0-9A-Za-z]$")]
    pub case: Option<Line>,
    /// What is complained about.
    pub target: TargetBody,
    /// Where it is filed.
    pub route: RouteBody,
    /// The reviewing body on the route through the akimat; its term is in the rule set.
    #[serde(default = "quality_authority")]
    pub body: ReviewingBodyBody,
    /// The complaint.
    pub text: Text,
}

pub(crate) fn quality_authority() -> ReviewingBodyBody {
    ReviewingBodyBody::QualityAuthority
}

impl FilingBody {
    pub(crate) fn into_domain(self) -> Result<complaint::Filing, ApiError> {
        Ok(complaint::Filing {
            akimat: self.akimat.into(),
            complainant: iin("complainant", &self.complainant)?,
            case: match self.case {
                Some(c) => Some(CaseNumber::parse(&c.0).map_err(|e| mistyped("case", &e))?),
                None => None,
            },
            target: self.target.into(),
            route: self.route.into(),
            body: self.body.into(),
            text: self.text.0,
        })
    }
}

impl From<&complaint::Filing> for FilingBody {
    fn from(f: &complaint::Filing) -> FilingBody {
        FilingBody {
            akimat: f.akimat.to_string(),
            complainant: f.complainant.to_string(),
            case: f.case.as_ref().map(|c| Line(c.to_string())),
            target: f.target.into(),
            route: f.route.into(),
            body: f.body.into(),
            text: Text(f.text.clone()),
        }
    }
}

/// An action on a complaint.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(tag = "command", rename_all = "kebab-case", deny_unknown_fields)]
pub enum ComplaintCommandBody {
    /// The akimat forwards it to the reviewing body (Rules §24).
    Forward,
    /// The akimat satisfies it in full, saying what it did (Rules §24).
    Satisfy {
        /// What was done.
        action: Text,
    },
    /// The reviewer decides.
    Decide {
        /// The verdict.
        verdict: VerdictBody,
        /// Why.
        reasoning: Text,
    },
}

impl From<ComplaintCommandBody> for ComplaintCommand {
    fn from(c: ComplaintCommandBody) -> ComplaintCommand {
        match c {
            ComplaintCommandBody::Forward => ComplaintCommand::Forward,
            ComplaintCommandBody::Satisfy { action } => ComplaintCommand::Satisfy { action: action.0 },
            ComplaintCommandBody::Decide { verdict, reasoning } => {
                ComplaintCommand::Decide { verdict: verdict.into(), reasoning: reasoning.0 }
            }
        }
    }
}
