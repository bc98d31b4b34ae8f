//! What a person asks for: the service with its ground, and the application (App.1) with its
//! contact, representative and documents.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::akimat::AkimatCode;
use crate::certificate::{Employer, Holder};
use crate::citation::Citation;
use crate::documents::{Checklist, Document};
use crate::ids::Iin;
use crate::numbers::CertificateNumber;
use crate::params::RuleSet;
use crate::text::Lang;
use crate::vocab::{ServiceKind, State};

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
            _ => &[
                State::Submitted,
                State::Registered,
                State::Completed,
                State::Refused,
                State::NotAccepted,
                State::Closed,
            ],
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
