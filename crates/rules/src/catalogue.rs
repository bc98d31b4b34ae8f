//! The list of priority sectors and in-demand professions (Rules §8, annex 2 to order
//! No. 236), as data with effective dates. The shipped list is a marked sample
//! (REQUIREMENTS.md §16); the official one is loaded with `qualcert rules import`.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::citation::Citation;
use crate::dated::{self, Dated};
use crate::text::Localized;

/// An in-demand profession.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profession {
    /// The occupation code.
    pub code: String,
    /// Its name.
    pub names: Localized,
}

/// A priority sector (type of economic activity).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sector {
    /// The OKED code.
    pub oked: String,
    /// Its name.
    pub names: Localized,
    /// The professions in demand in it.
    pub professions: Vec<Profession>,
}

/// One version of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueVersion {
    /// Recorded with every case that used it.
    pub id: String,
    /// First day in force.
    pub effective_from: Date,
    /// True for the shipped sample: every place that shows it says so.
    pub sample: bool,
    /// What it is.
    pub title: String,
    /// The provision that makes it the list.
    pub citation: Citation,
    /// The sectors.
    #[serde(rename = "sector")]
    pub sectors: Vec<Sector>,
}

impl CatalogueVersion {
    /// The sector and profession for a profession code.
    pub fn find(&self, profession: &str) -> Option<(&Sector, &Profession)> {
        self.sectors.iter().find_map(|s| s.professions.iter().find(|p| p.code == profession).map(|p| (s, p)))
    }
}

impl Dated for CatalogueVersion {
    fn id(&self) -> &str {
        &self.id
    }
    fn effective_from(&self) -> Date {
        self.effective_from
    }
}

/// Every version of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalogue {
    versions: Vec<CatalogueVersion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogueFile {
    kind: String,
    #[serde(rename = "version")]
    versions: Vec<CatalogueVersion>,
}

/// The shipped sample.
pub const EMBEDDED_CATALOGUE: &str = include_str!("../data/catalogue.toml");

impl Catalogue {
    /// Parses a catalogue file.
    pub fn parse(text: &str) -> Result<Catalogue, String> {
        let f: CatalogueFile = toml::from_str(text).map_err(|e| e.to_string())?;
        if f.kind != "catalogue" {
            return Err(format!("expected kind = \"catalogue\", found \"{}\"", f.kind));
        }
        Catalogue::from_versions(f.versions)
    }

    /// The shipped sample.
    pub fn embedded() -> Result<Catalogue, String> {
        Catalogue::parse(EMBEDDED_CATALOGUE)
    }

    /// A catalogue from versions; codes must be unique within a version.
    pub fn from_versions(versions: Vec<CatalogueVersion>) -> Result<Catalogue, String> {
        let versions = dated::sorted(versions, "list of professions")?;
        for v in &versions {
            let mut codes = std::collections::HashSet::new();
            if let Some(p) = v.sectors.iter().flat_map(|s| &s.professions).find(|p| !codes.insert(&p.code)) {
                return Err(format!("list {}: profession {} appears twice", v.id, p.code));
            }
        }
        Ok(Catalogue { versions })
    }

    /// Adds or replaces versions (same id replaces).
    pub fn merged(&self, other: Catalogue) -> Result<Catalogue, String> {
        Catalogue::from_versions(dated::merged(&self.versions, other.versions))
    }

    /// The version in force on `date`.
    pub fn in_force_on(&self, date: Date) -> Option<&CatalogueVersion> {
        dated::in_force(&self.versions, date)
    }

    /// Every version, oldest first.
    pub fn versions(&self) -> &[CatalogueVersion] {
        &self.versions
    }
}
