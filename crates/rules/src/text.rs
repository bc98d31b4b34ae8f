//! Languages of the service and text that exists in each of them.

use serde::{Deserialize, Serialize};

/// A language the service speaks: Kazakh (the state language), Russian, English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Қазақ тілі.
    Kk,
    /// Русский язык.
    Ru,
    /// English.
    En,
}

/// A date as Kazakh and Russian forms print it: `05.02.2026`.
pub fn dotted_date(d: jiff::civil::Date) -> String {
    format!("{:02}.{:02}.{}", d.day(), d.month(), d.year())
}

/// A date for a person reading `lang`: ДД.ММ.ГГГГ in Kazakh and Russian, the one format
/// people meet on every page, letter and document of the service (issue 31); ISO in English,
/// which a reader from anywhere reads one way.
pub fn date_for(lang: Lang, d: jiff::civil::Date) -> String {
    if lang == Lang::En { d.to_string() } else { dotted_date(d) }
}

impl Lang {
    /// Every language, Kazakh first as the state language.
    pub const ALL: [Lang; 3] = [Lang::Kk, Lang::Ru, Lang::En];

    /// The BCP 47 tag (`kk`, `ru`, `en`).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Kk => "kk",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    /// Parses a tag such as `kk`, `ru-RU` or `EN`; `None` for a language we do not speak.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "kk" | "kz" => Some(Lang::Kk),
            "ru" => Some(Lang::Ru),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// A name or phrase in all three languages; data files must give all three.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Localized {
    /// Kazakh.
    pub kk: String,
    /// Russian.
    pub ru: String,
    /// English.
    pub en: String,
}

impl Localized {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Kk => &self.kk,
            Lang::Ru => &self.ru,
            Lang::En => &self.en,
        }
    }
}

/// The Latin-script words of `text` that are words, not codes: letters only, two or more.
/// Codes mix letters with digits or hyphens (`Z-AST-2026-000001-K`, `2512-1`, `LI-7`) and
/// pass. A Kazakh or Russian text with any such word has English (or an unrendered value)
/// inside it.
pub fn latin_words(text: &str) -> Vec<String> {
    let separators = |c: char| c.is_whitespace() || ",;:()«»“”\"[]|.!?/".contains(c);
    text.split(separators)
        .filter(|w| {
            w.chars().filter(char::is_ascii_alphabetic).count() >= 2
                && w.chars().all(|c| c.is_ascii_alphabetic() || c == '\'')
        })
        .map(str::to_owned)
        .collect()
}
