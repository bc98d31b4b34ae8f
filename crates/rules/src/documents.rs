//! The documents each service needs (App.2 item 8, R3.4) and the completeness check whose
//! failure means the application is *not accepted* (App.2 item 9, R3.5), which is distinct
//! from a refusal of the service.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::citation::Citation;
use crate::text::Lang;

/// A kind of document an applicant attaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocumentKind {
    /// Electronic copy of the identity document.
    IdentityDocument,
    /// Notarised translation into Kazakh or Russian of education documents that went through
    /// recognition or nostrification.
    EducationTranslation,
    /// Notarised translation of a certificate for teaching English (instead of the above).
    EnglishTeachingCertificate,
    /// Notarised copy of the labour-activity document (work record) with its translation.
    LabourActivityRecord,
    /// The certificate issued earlier (extension).
    PreviousCertificate,
    /// A copy of the employment contract (extension; re-issue for a new employer).
    EmploymentContract,
    /// A copy of the identity document showing the changed name or number/series (re-issue).
    ChangedIdentityDocument,
    /// The power of attorney of a person filing for the applicant (Rules §3).
    PowerOfAttorney,
}

impl DocumentKind {
    /// Every kind.
    pub const ALL: [DocumentKind; 8] = [
        DocumentKind::IdentityDocument,
        DocumentKind::EducationTranslation,
        DocumentKind::EnglishTeachingCertificate,
        DocumentKind::LabourActivityRecord,
        DocumentKind::PreviousCertificate,
        DocumentKind::EmploymentContract,
        DocumentKind::ChangedIdentityDocument,
        DocumentKind::PowerOfAttorney,
    ];

    /// Its name for a person.
    pub fn name(self, lang: Lang) -> &'static str {
        use DocumentKind::*;
        crate::speech::word(
            lang,
            match self {
                IdentityDocument => "document-kind-identity-document",
                EducationTranslation => "document-kind-education-translation",
                EnglishTeachingCertificate => "document-kind-english-teaching-certificate",
                LabourActivityRecord => "document-kind-labour-activity-record",
                PreviousCertificate => "document-kind-previous-certificate",
                EmploymentContract => "document-kind-employment-contract",
                ChangedIdentityDocument => "document-kind-changed-identity-document",
                PowerOfAttorney => "document-kind-power-of-attorney",
            },
        )
    }
}

/// A document attached to an application: its kind, the SHA-256 of its bytes in the blob
/// store, and the last day it is valid, if it expires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// What it is.
    pub kind: DocumentKind,
    /// SHA-256 of the content, hex.
    pub sha256: String,
    /// The file name as uploaded.
    pub file_name: String,
    /// Last day of validity (an identity document, a contract), if any.
    pub valid_until: Option<Date>,
}

/// One line of a checklist: any one of `any_of` satisfies it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirement {
    /// The kinds that satisfy it.
    pub any_of: Vec<DocumentKind>,
    /// The provision.
    pub citation: Citation,
}

impl Requirement {
    /// For a person: "A or B".
    pub fn describe(&self, lang: Lang) -> String {
        self.any_of.iter().map(|k| k.name(lang)).collect::<Vec<_>>().join(crate::speech::word(lang, "word-or"))
    }
}

/// Which checklist of App.2 item 8 applies; the lists themselves are data in the rule set
/// ([`crate::params::Checklists`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Checklist {
    /// App.2 item 8.1.
    Issue,
    /// App.2 item 8.2.
    Extend,
    /// App.2 item 8.3, change of name or identity document.
    ReissueChangedData,
    /// App.2 item 8.3 with Rules §22 (Reading): a new employer.
    ReissueNewEmployer,
    /// App.2 item 8.4.
    Duplicate,
}

/// A document that had expired when the application was received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expired {
    /// Which.
    pub kind: DocumentKind,
    /// Its last valid day.
    pub valid_until: Option<Date>,
}

/// What is wrong with a set of documents: if anything, the application is not accepted
/// (App.2 item 9, last sentence).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Completeness {
    /// Requirements no document satisfies.
    pub missing: Vec<Requirement>,
    /// Documents past their validity on the day of receipt.
    pub expired: Vec<Expired>,
}

impl Completeness {
    /// Nothing missing, nothing expired.
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty() && self.expired.is_empty()
    }

    /// A localized summary.
    pub fn describe(&self, lang: Lang) -> String {
        let mut parts: Vec<String> =
            self.missing.iter().map(|r| format!("{} [{}]", r.describe(lang), r.citation.localized(lang))).collect();
        for e in &self.expired {
            let until = e.valid_until.map(|d| d.to_string()).unwrap_or_default();
            parts.push(crate::speech::say(
                lang,
                "document-expired",
                &[("document", e.kind.name(lang).into()), ("until", until.into())],
            ));
        }
        parts.join("; ")
    }
}

/// Checks `documents` against the requirements on the day of receipt (R3.4, R3.5).
pub fn check(requirements: &[Requirement], documents: &[Document], received_on: Date) -> Completeness {
    let valid = |d: &&Document| d.valid_until.is_none_or(|u| u >= received_on);
    let missing =
        requirements.iter().filter(|r| !documents.iter().any(|d| r.any_of.contains(&d.kind))).cloned().collect();
    let expired =
        documents.iter().filter(|d| !valid(d)).map(|d| Expired { kind: d.kind, valid_until: d.valid_until }).collect();
    Completeness { missing, expired }
}
