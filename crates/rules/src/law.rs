//! The law's data as one value: the dated rule sets, criteria tables, lists of professions and
//! akimats that every decision (cases, certificates, complaints) is judged by, and which of
//! them is in force on a date or for a recorded case.

use jiff::civil::Date;

use crate::akimat::Akimat;
use crate::assessment::{CriteriaBook, CriteriaSet};
use crate::catalogue::{Catalogue, CatalogueVersion};
use crate::facts::LawData;
use crate::params::{RuleBook, RuleSet};
use crate::refusal::{Reason, Refusal};

/// The law's data: rule sets, criteria, the list of professions, the akimats.
#[derive(Debug, Clone)]
pub struct Law {
    /// Rule sets.
    pub rules: RuleBook,
    /// Criteria tables.
    pub criteria: CriteriaBook,
    /// Lists of sectors and professions.
    pub catalogue: Catalogue,
    /// The akimats.
    pub akimats: Vec<Akimat>,
}

/// The rules a case is judged by.
#[derive(Debug, Clone, Copy)]
pub struct InForce<'a> {
    /// The rule set.
    pub rules: &'a RuleSet,
    /// The criteria.
    pub criteria: &'a CriteriaSet,
    /// The list.
    pub catalogue: &'a CatalogueVersion,
}

impl Law {
    /// The data shipped with qualcert.
    pub fn embedded() -> Result<Law, String> {
        Ok(Law {
            rules: RuleBook::embedded().map_err(|e| e.to_string())?,
            criteria: CriteriaBook::embedded()?,
            catalogue: Catalogue::embedded()?,
            akimats: crate::akimat::embedded()?,
        })
    }

    /// What is in force on `date` (a case's registration date).
    pub fn in_force_on(&self, date: Date) -> Result<InForce<'_>, Refusal> {
        let none = |what| Refusal::new(Reason::NoRulesInForce { date, what }, "Rules");
        Ok(InForce {
            rules: self.rules.in_force_on(date).map_err(|_| none(LawData::RuleSet))?,
            criteria: self.criteria.in_force_on(date).ok_or_else(|| none(LawData::Criteria))?,
            catalogue: self.catalogue.in_force_on(date).ok_or_else(|| none(LawData::Catalogue))?,
        })
    }

    /// The rule set a filing made on `date` is judged by, for forms that show what it will
    /// need; the earliest set for a date before every set (such a filing is refused anyway).
    pub fn set_on(&self, date: Date) -> &RuleSet {
        self.rules.in_force_or_earliest(date)
    }

    /// An akimat by code.
    pub fn akimat(&self, code: &str) -> Option<&Akimat> {
        self.akimats.iter().find(|a| a.code == code)
    }

    /// An akimat's name in `lang`; its code when the reference data does not know it, so an
    /// old record still shows something a person can look up.
    pub fn akimat_name(&self, code: &str, lang: crate::text::Lang) -> String {
        self.akimat(code).map_or_else(|| code.to_owned(), |a| a.names.get(lang).to_owned())
    }

    /// The akimat as a body ("акимат города Астаны"), or the code when unknown.
    pub fn akimat_body(&self, code: &str, lang: crate::text::Lang) -> String {
        self.akimat(code).map_or_else(|| code.to_owned(), |a| a.body(lang))
    }

    /// The akimat as a document's heading names it, capitalised: "Акимат города Алматы",
    /// "Алматы қаласының әкімдігі" (the body, as App.1 and App.3 ask, not its territory).
    pub fn akimat_heading(&self, code: &str, lang: crate::text::Lang) -> String {
        let body = self.akimat_body(code, lang);
        let mut chars = body.chars();
        chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
    }

    /// "Of the akimat" ("акимата города Астаны", "Астана қаласы әкімдігінің"), or the code.
    pub fn akimat_of(&self, code: &str, lang: crate::text::Lang) -> String {
        self.akimat(code).map_or_else(|| code.to_owned(), |a| a.of_body(lang))
    }

    /// A sector's (OKED) name in `lang` from the newest list that has it; `None` for a code never
    /// listed.
    pub fn sector_name(&self, oked: &str, lang: crate::text::Lang) -> Option<&str> {
        self.catalogue
            .versions()
            .iter()
            .rev()
            .find_map(|v| v.sectors.iter().find(|s| s.oked == oked))
            .map(|s| s.names.get(lang))
    }

    /// A profession's name in `lang` from the newest list that has its code, so a certificate
    /// still shows its profession after the list drops it; `None` for a code never listed.
    pub fn profession_name(&self, code: &str, lang: crate::text::Lang) -> Option<&str> {
        self.catalogue.versions().iter().rev().find_map(|v| v.find(code)).map(|(_, p)| p.names.get(lang))
    }
}
