//! The local executive bodies (akimats) that provide the service: 17 regions and the cities
//! of republican significance, Astana, Almaty and Shymkent (App.2 item 1), each with its
//! time zone from the tz database.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::text::{Lang, Localized};

/// An akimat's code (`astana`) as it flows past the edge: on an application, an actor, a
/// certificate, a complaint. A type of its own so that a code cannot be passed where a name,
/// an IIN or a case number is meant. It encodes as the bare string, so stored events and the
/// API keep their shape.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AkimatCode(String);

impl AkimatCode {
    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for AkimatCode {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for AkimatCode {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for AkimatCode {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AkimatCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for AkimatCode {
    fn from(s: &str) -> AkimatCode {
        AkimatCode(s.to_owned())
    }
}

impl From<String> for AkimatCode {
    fn from(s: String) -> AkimatCode {
        AkimatCode(s)
    }
}

impl From<AkimatCode> for String {
    fn from(c: AkimatCode) -> String {
        c.0
    }
}

impl PartialEq<str> for AkimatCode {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for AkimatCode {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<String> for AkimatCode {
    fn eq(&self, other: &String) -> bool {
        &self.0 == other
    }
}

impl PartialEq<AkimatCode> for String {
    fn eq(&self, other: &AkimatCode) -> bool {
        *self == other.0
    }
}

/// One akimat as reference data.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Akimat {
    /// A stable short code (`astana`, `almaty-city`, `kostanay`).
    pub code: AkimatCode,
    /// Three capital letters that start its case and certificate numbers (`AST`).
    pub prefix: String,
    /// Its name.
    pub names: Localized,
    /// The IANA zone its deadlines are judged in.
    pub zone: String,
    /// Region or city of republican significance.
    pub kind: AkimatKind,
    /// The Russian name in the genitive ("города Астаны"), for "акимат города Астаны".
    pub ru_genitive: String,
}

impl Akimat {
    /// The akimat itself as a body, in `lang`: "акимат города Астаны", "Астана қаласы
    /// әкімдігі", "the akimat of Astana".
    pub fn body(&self, lang: Lang) -> String {
        crate::speech::say(
            lang,
            "akimat-body",
            &[("akimat", self.names.get(lang).into()), ("akimat-of", self.ru_genitive.as_str().into())],
        )
    }
}

impl Akimat {
    /// "Of the akimat", in `lang`, to stand after a noun: "(заявления) акимата города
    /// Астаны", "Астана қаласы әкімдігінің (өтініштері)", "(applications) of the akimat of
    /// City of Astana".
    pub fn of_body(&self, lang: Lang) -> String {
        crate::speech::say(
            lang,
            "akimat-of-body",
            &[("akimat", self.names.get(lang).into()), ("akimat-of", self.ru_genitive.as_str().into())],
        )
    }
}

/// Region or city.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AkimatKind {
    /// An oblys (region).
    Region,
    /// A city of republican significance or the capital.
    City,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AkimatsFile {
    #[serde(rename = "akimat")]
    akimats: Vec<Akimat>,
}

/// The 20 akimats shipped with qualcert.
pub const EMBEDDED_AKIMATS: &str = include_str!("../data/akimats.toml");

/// Parses an akimats file.
pub fn parse(text: &str) -> Result<Vec<Akimat>, String> {
    let file: AkimatsFile = toml::from_str(text).map_err(|e| e.to_string())?;
    Ok(file.akimats)
}

fn shipped(code: &str) -> Option<&'static Akimat> {
    static SHIPPED: std::sync::OnceLock<Vec<Akimat>> = std::sync::OnceLock::new();
    SHIPPED.get_or_init(|| embedded().unwrap_or_default()).iter().find(|a| a.code == code)
}

/// An akimat's name in `lang` from the shipped list, for messages that carry only its code;
/// the code itself when the list does not have it.
pub fn name(code: &str, lang: Lang) -> String {
    shipped(code).map_or_else(|| code.to_owned(), |a| a.names.get(lang).to_owned())
}

/// The akimat as a body in `lang` ([`Akimat::body`]), from its code; the code itself when the
/// list does not have it.
pub fn body(code: &str, lang: Lang) -> String {
    shipped(code).map_or_else(|| code.to_owned(), |a| a.body(lang))
}

/// The akimats shipped with qualcert.
pub fn embedded() -> Result<Vec<Akimat>, String> {
    parse(EMBEDDED_AKIMATS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twenty_bodies_seventeen_regions_three_cities() {
        let all = embedded().expect("parses");
        assert_eq!(all.len(), 20);
        assert_eq!(all.iter().filter(|a| a.kind == AkimatKind::Region).count(), 17);
        assert_eq!(all.iter().filter(|a| a.kind == AkimatKind::City).count(), 3);
        let mut codes: Vec<_> = all.iter().map(|a| a.code.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 20);
        let mut prefixes: Vec<_> = all.iter().map(|a| a.prefix.as_str()).collect();
        prefixes.sort_unstable();
        prefixes.dedup();
        assert_eq!(prefixes.len(), 20);
        assert!(all.iter().all(|a| crate::numbers::valid_prefix(&a.prefix)));
        for a in &all {
            assert!(jiff::tz::TimeZone::get(&a.zone).is_ok(), "{} has a real zone {}", a.code, a.zone);
        }
    }
}
