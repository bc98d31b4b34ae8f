//! An application (App.1) with its service, applicant, representative, contact, employer and
//! documents, both ways.

use jiff::civil::Date;
use rules::case::{self};
use rules::certificate::{self};
use rules::documents::{self};
use rules::ids::TaxpayerId;
use rules::numbers::CertificateNumber;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::read::AkimatCodeSchema;
use super::read::iin;
use super::read::mistyped;
use super::read::no_such_id;
use super::read::*;
use crate::edge::error::ApiError;

/// The service asked for, with its ground where it has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "service", rename_all = "kebab-case", deny_unknown_fields)]
pub enum ServiceBody {
    /// A first certificate (R3.1).
    Issue,
    /// An extension (R5.1).
    Extend,
    /// A re-issue (Rules §22).
    Reissue {
        /// Why.
        ground: ReissueGroundBody,
    },
    /// A duplicate (R9.1).
    Duplicate {
        /// Why.
        ground: DuplicateGroundBody,
    },
}

impl From<ServiceBody> for case::Service {
    fn from(s: ServiceBody) -> case::Service {
        match s {
            ServiceBody::Issue => case::Service::Issue,
            ServiceBody::Extend => case::Service::Extend,
            ServiceBody::Reissue { ground } => case::Service::Reissue { ground: ground.into() },
            ServiceBody::Duplicate { ground } => case::Service::Duplicate { ground: ground.into() },
        }
    }
}

impl From<case::Service> for ServiceBody {
    fn from(s: case::Service) -> ServiceBody {
        match s {
            case::Service::Issue => ServiceBody::Issue,
            case::Service::Extend => ServiceBody::Extend,
            case::Service::Reissue { ground } => ServiceBody::Reissue { ground: ground.into() },
            case::Service::Duplicate { ground } => ServiceBody::Duplicate { ground: ground.into() },
        }
    }
}

/// The applicant, or the holder named on a certificate.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HolderBody {
    /// Individual identification number: 12 digits, the last a check digit.
    #[schema(pattern = "^[0-9]{12}$", format = "iin")]
    pub iin: String,
    /// Surname.
    pub surname: Line,
    /// Given name.
    pub given_name: Line,
    /// Patronymic, if any.
    pub patronymic: Option<Line>,
    /// The identity document's number.
    pub document_number: Line,
    /// The identity document's day of issue.
    #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub document_issued_on: Date,
    /// Who issued the identity document.
    pub document_issued_by: Line,
}

impl HolderBody {
    pub(crate) fn into_domain(self, at: &str) -> Result<certificate::Holder, ApiError> {
        Ok(certificate::Holder {
            iin: iin(&format!("{at}.iin"), &self.iin)?,
            surname: self.surname.0,
            given_name: self.given_name.0,
            patronymic: self.patronymic.map(String::from),
            document_number: self.document_number.0,
            document_issued_on: self.document_issued_on,
            document_issued_by: self.document_issued_by.0,
        })
    }
}

impl From<&certificate::Holder> for HolderBody {
    fn from(h: &certificate::Holder) -> HolderBody {
        HolderBody {
            iin: h.iin.to_string(),
            surname: h.surname.clone().into(),
            given_name: h.given_name.clone().into(),
            patronymic: h.patronymic.clone().map(Line),
            document_number: h.document_number.clone().into(),
            document_issued_on: h.document_issued_on,
            document_issued_by: h.document_issued_by.clone().into(),
        }
    }
}

/// A representative filing for the applicant (Rules §3).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RepresentativeBody {
    /// Full name.
    pub name: Line,
    /// IIN.
    #[schema(pattern = "^[0-9]{12}$", format = "iin")]
    pub iin: String,
}

/// How the applicant is reached (App.1).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactBody {
    /// Address in Kazakhstan.
    pub address: Line,
    /// Phone.
    pub phone: Line,
    /// Fax, if any.
    pub fax: Option<Line>,
    /// Home address.
    pub home_address: Line,
    /// Home phone.
    pub home_phone: Line,
}

/// An employer.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmployerBody {
    /// Name.
    pub name: Line,
    /// Its BIN or IIN: 12 digits.
    #[schema(pattern = "^[0-9]{12}$", format = "iin-or-bin")]
    pub id: String,
}

impl EmployerBody {
    pub(crate) fn into_domain(self, at: &str) -> Result<certificate::Employer, ApiError> {
        let id = TaxpayerId::parse(&self.id).map_err(|e| no_such_id(&format!("{at}.id"), &e))?;
        Ok(certificate::Employer { name: self.name.0, id })
    }
}

pub(crate) fn taxpayer(id: &TaxpayerId) -> String {
    match id {
        TaxpayerId::Iin(i) => i.to_string(),
        TaxpayerId::Bin(b) => b.to_string(),
    }
}

impl From<&certificate::Employer> for EmployerBody {
    fn from(e: &certificate::Employer) -> EmployerBody {
        EmployerBody { name: e.name.clone().into(), id: taxpayer(&e.id) }
    }
}

/// An attached document, uploaded first with `POST /api/v1/documents`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentBody {
    /// Which document of the checklist it is.
    pub kind: DocumentKindBody,
    /// The SHA-256 the upload answered.
    #[schema(pattern = "^[0-9a-f]{64}$")]
    pub sha256: String,
    /// The file's name, as shown to the officer.
    pub file_name: Line,
    /// The document's last valid day: an expired identity document makes the application not
    /// accepted (App.2 item 9).
    #[schema(value_type = Option<String>, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub valid_until: Option<Date>,
}

/// An application (App.1) with its documents (App.2 item 8).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicationBody {
    /// The akimat addressed (its code, e.g. `astana`).
    #[schema(value_type = AkimatCodeSchema)]
    pub akimat: String,
    /// The service asked for.
    pub service: ServiceBody,
    /// The applicant: for a re-issue on a change of data, the new data.
    pub applicant: HolderBody,
    /// A representative filing for the applicant.
    pub representative: Option<RepresentativeBody>,
    /// Contacts.
    pub contact: ContactBody,
    /// Occupation code of the in-demand profession (issue).
    pub profession: Option<Line>,
    /// OKED code of the priority sector (issue).
    pub sector: Option<Line>,
    /// The employer (extension; re-issue for a new employer).
    pub employer: Option<EmployerBody>,
    /// The employment contract's last day (extension).
    #[schema(value_type = Option<String>, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub contract_end: Option<Date>,
    /// The employment contract has no end date (Rules §16: the 3-year cap applies alone).
    #[serde(default)]
    pub contract_open_ended: bool,
    /// The certificate concerned (extension, re-issue, duplicate).
    #[schema(value_type = Option<String>, pattern = "^[A-Za-z]{3}-[0-9]{4}-[0-9]{5}-[0-9A-Za-z]$")]
    pub certificate: Option<Line>,
    /// The day of the change (re-issue) or of the loss or damage (duplicate).
    #[schema(value_type = Option<String>, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub event_date: Option<Date>,
    /// Consent to the collection and processing of personal data (App.1).
    pub consent: bool,
    /// The attachments.
    #[schema(max_items = 50)]
    pub documents: Vec<DocumentBody>,
}

impl ApplicationBody {
    /// The domain's application; a field the domain's own checks refuse is named.
    pub(crate) fn into_domain(self) -> Result<case::Application, ApiError> {
        Ok(case::Application {
            akimat: self.akimat.into(),
            service: self.service.into(),
            applicant: self.applicant.into_domain("applicant")?,
            representative: match self.representative {
                Some(r) => Some(case::Representative { name: r.name.0, iin: iin("representative.iin", &r.iin)? }),
                None => None,
            },
            contact: case::Contact {
                address: self.contact.address.0,
                phone: self.contact.phone.0,
                fax: self.contact.fax.map(String::from),
                home_address: self.contact.home_address.0,
                home_phone: self.contact.home_phone.0,
            },
            profession: self.profession.map(String::from),
            sector: self.sector.map(String::from),
            employer: self.employer.map(|e| e.into_domain("employer")).transpose()?,
            contract_end: self.contract_end,
            contract_open_ended: self.contract_open_ended,
            certificate: match self.certificate {
                Some(c) => Some(CertificateNumber::parse(&c.0).map_err(|e| mistyped("certificate", &e))?),
                None => None,
            },
            event_date: self.event_date,
            consent: self.consent,
            documents: self
                .documents
                .into_iter()
                .map(|d| documents::Document {
                    kind: d.kind.into(),
                    sha256: d.sha256,
                    file_name: d.file_name.0,
                    valid_until: d.valid_until,
                })
                .collect(),
        })
    }
}

impl From<&case::Application> for ApplicationBody {
    fn from(a: &case::Application) -> ApplicationBody {
        ApplicationBody {
            akimat: a.akimat.to_string(),
            service: a.service.into(),
            applicant: (&a.applicant).into(),
            representative: a
                .representative
                .as_ref()
                .map(|r| RepresentativeBody { name: r.name.clone().into(), iin: r.iin.to_string() }),
            contact: ContactBody {
                address: a.contact.address.clone().into(),
                phone: a.contact.phone.clone().into(),
                fax: a.contact.fax.clone().map(Line),
                home_address: a.contact.home_address.clone().into(),
                home_phone: a.contact.home_phone.clone().into(),
            },
            profession: a.profession.clone().map(Line),
            sector: a.sector.clone().map(Line),
            employer: a.employer.as_ref().map(EmployerBody::from),
            contract_end: a.contract_end,
            contract_open_ended: a.contract_open_ended,
            certificate: a.certificate.as_ref().map(|c| Line(c.to_string())),
            event_date: a.event_date,
            consent: a.consent,
            documents: a
                .documents
                .iter()
                .map(|d| DocumentBody {
                    kind: d.kind.into(),
                    sha256: d.sha256.clone(),
                    file_name: d.file_name.clone().into(),
                    valid_until: d.valid_until,
                })
                .collect(),
        }
    }
}
