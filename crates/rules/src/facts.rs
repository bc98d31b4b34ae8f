//! The typed facts a refusal carries: which command, at which stage, on which proceeding,
//! which field and what is wrong with it. A refusal keeps these values, never words, so it is
//! said in the reader's language when it is shown (Kazakh, Russian or English) and an API
//! client can act on it; nothing English is stored and later shown inside Kazakh or Russian.

use serde::{Deserialize, Serialize};

use crate::documents::DocumentKind;
use crate::text::Lang;
use crate::vocab::{CertCommandKind, CertState};
use crate::vocab::{CommandKind, ServiceKind, State};
use crate::vocab::{ComplaintCommandKind, ComplaintState};

/// A command of any kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "on", content = "command", rename_all = "kebab-case")]
pub enum Act {
    /// On a case.
    Case(CommandKind),
    /// On a certificate.
    Certificate(CertCommandKind),
    /// On a complaint.
    Complaint(ComplaintCommandKind),
}

impl Act {
    /// Its name for a person.
    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            Act::Case(k) => k.title(lang),
            Act::Certificate(k) => k.title(lang),
            Act::Complaint(k) => k.title(lang),
        }
    }
}

/// Where a case, a certificate or a complaint stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "of", content = "state", rename_all = "kebab-case")]
pub enum Stage {
    /// A case's state.
    Case(State),
    /// A certificate's.
    Certificate(CertState),
    /// A complaint's.
    Complaint(ComplaintState),
}

impl Stage {
    /// Its name for a person.
    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            Stage::Case(s) => s.name(lang),
            Stage::Certificate(s) => s.name(lang),
            Stage::Complaint(s) => s.name(lang),
        }
    }
}

/// What a command was tried on, when it does not belong there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "service", rename_all = "kebab-case")]
pub enum Proceeding {
    /// One of the four services.
    Service(ServiceKind),
    /// A complaint addressed to the akimat itself (Rules §25).
    ComplaintToAkimat,
}

impl Proceeding {
    /// Its name for a person.
    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            Proceeding::Service(s) => s.name(lang),
            Proceeding::ComplaintToAkimat => crate::speech::word(lang, "proceeding-complaint-to-akimat"),
        }
    }
}

/// A field of a form or a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Field {
    /// The akimat addressed.
    Akimat,
    /// The surname.
    Surname,
    /// The given name.
    GivenName,
    /// The identity document's number.
    DocumentNumber,
    /// The day of the change, loss or damage.
    EventDate,
    /// The profession.
    Profession,
    /// The sector.
    Sector,
    /// The employer.
    Employer,
    /// The employment contract's end.
    ContractEnd,
    /// The certificate concerned.
    Certificate,
    /// A new certificate's number.
    Number,
    /// The minutes' number.
    Minutes,
    /// Documents named missing.
    Missing,
    /// Documents named expired.
    Expired,
    /// The complaint's text.
    ComplaintText,
    /// The decision or action that satisfies a complaint.
    Action,
}

impl Field {
    /// Every field.
    pub const ALL: [Field; 16] = [
        Field::Akimat,
        Field::Surname,
        Field::GivenName,
        Field::DocumentNumber,
        Field::EventDate,
        Field::Profession,
        Field::Sector,
        Field::Employer,
        Field::ContractEnd,
        Field::Certificate,
        Field::Number,
        Field::Minutes,
        Field::Missing,
        Field::Expired,
        Field::ComplaintText,
        Field::Action,
    ];

    /// Its name for a person.
    pub fn name(self, lang: Lang) -> &'static str {
        use Field::*;
        crate::speech::word(
            lang,
            match self {
                Akimat => "field-akimat",
                Surname => "field-surname",
                GivenName => "field-given-name",
                DocumentNumber => "field-document-number",
                EventDate => "field-event-date",
                Profession => "field-profession",
                Sector => "field-sector",
                Employer => "field-employer",
                ContractEnd => "field-contract-end",
                Certificate => "field-certificate",
                Number => "field-number",
                Minutes => "field-minutes",
                Missing => "field-missing",
                Expired => "field-expired",
                ComplaintText => "field-complaint-text",
                Action => "field-action",
            },
        )
    }
}

/// What is wrong with a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "kebab-case")]
pub enum Problem {
    /// It must be given.
    Required,
    /// The end date, or that the contract has none (Rules §16).
    RequiredOrOpenEnded,
    /// No akimat has this code.
    NoSuchAkimat,
    /// A date after the filing.
    InTheFuture,
    /// Not chosen from the list of Rules §8.
    NotFromList,
    /// The profession is listed under another sector.
    OtherSector,
    /// The contract ends on or before the certificate's current end (Rules §16).
    EndsWithinValidity,
    /// A re-issue needs a new number (Rules §22).
    NewNumberNeeded,
    /// A document kind the service's list does not have (App.2 item 8).
    NotOnChecklist {
        /// The kind named.
        kind: DocumentKind,
    },
}

impl Problem {
    /// The problem with `field`, for a person.
    pub fn message(self, field: Field, lang: Lang) -> String {
        let key = match self {
            Problem::Required => "problem-required",
            Problem::RequiredOrOpenEnded => "problem-required-or-open-ended",
            Problem::NoSuchAkimat => "problem-no-such-akimat",
            Problem::InTheFuture => "problem-in-the-future",
            Problem::NotFromList => "problem-not-from-list",
            Problem::OtherSector => "problem-other-sector",
            Problem::EndsWithinValidity => "problem-ends-within-validity",
            Problem::NewNumberNeeded => "problem-new-number-needed",
            Problem::NotOnChecklist { .. } => "problem-not-on-checklist",
        };
        let document = match self {
            Problem::NotOnChecklist { kind } => kind.name(lang),
            _ => "",
        };
        crate::speech::say(lang, key, &[("field", field.name(lang).into()), ("document", document.into())])
    }
}

/// The law's data a date may lack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LawData {
    /// A rule set (deadlines, terms).
    RuleSet,
    /// The assessment criteria of Rules §10.
    Criteria,
    /// The list of priority sectors and in-demand professions.
    Catalogue,
}

impl LawData {
    /// Its name for a person.
    pub fn name(self, lang: Lang) -> &'static str {
        crate::speech::word(
            lang,
            match self {
                LawData::RuleSet => "law-data-rule-set",
                LawData::Criteria => "law-data-criteria",
                LawData::Catalogue => "law-data-catalogue",
            },
        )
    }
}
