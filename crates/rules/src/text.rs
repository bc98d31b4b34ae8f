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

/// The Kazakh case a postposition after a date asks for.
#[derive(Clone, Copy)]
enum KkCase {
    /// "дейін", "дейінгі": to.
    Dative,
    /// "бастап", "бұрын", "кейін": from, before, after.
    Ablative,
}

/// Kazakh text with the case endings its dates need: "05.07.2026 дейін" is read "…алтыға
/// дейін", so it is written `05.07.2026-ға дейін`; "бастап", "бұрын" and "кейін" take the
/// ablative (`-дан бастап`). A message cannot know the ending, which follows the sound of the
/// year's last numeral, so every Kazakh message passes through here once it is made
/// (`speech::say`). A date already carrying an ending is left as it is.
pub fn kk_case_endings(text: &str) -> String {
    const AFTER: [(&str, KkCase); 5] = [
        (" дейін", KkCase::Dative),
        (" дейінгі", KkCase::Dative),
        (" бастап", KkCase::Ablative),
        (" бұрын", KkCase::Ablative),
        (" кейін", KkCase::Ablative),
    ];
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some((at, year)) = next_dotted_date(rest) {
        let end = at + 10;
        out.push_str(&rest[..end]);
        rest = &rest[end..];
        if let Some((_, case)) = AFTER.iter().find(|(word, _)| rest.starts_with(word)) {
            out.push('-');
            out.push_str(kk_ending(year, *case));
        }
    }
    out.push_str(rest);
    out
}

/// The byte offset and year of the first `DD.MM.YYYY` in `text` not followed by a digit.
fn next_dotted_date(text: &str) -> Option<(usize, u32)> {
    let b = text.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    (0..b.len().saturating_sub(9)).find_map(|i| {
        let shaped = [0, 1, 3, 4, 6, 7, 8, 9].iter().all(|k| digit(i + k)) && b[i + 2] == b'.' && b[i + 5] == b'.';
        let alone = (i == 0 || !digit(i - 1)) && !digit(i + 10);
        (shaped && alone).then(|| (i, text[i + 6..i + 10].parse().unwrap_or(0)))
    })
}

/// The ending of a year's last numeral in `case`: the numeral's last sound and its vowels decide
/// (2026 "алты" → -ға/-дан, 2027 "жеті" → -ге/-ден, 2033 "үш" → -ке/-тен, 2030 "отыз" → -ға,
/// 2040 "қырық" → -қа/-тан, 2080 "сексен" → -ге/-нен, 2000 "мың" → -ға/-нан).
fn kk_ending(year: u32, case: KkCase) -> &'static str {
    // (dative, ablative) of the numeral the year is read with last.
    let (units, tens, hundreds) = (year % 10, year / 10 % 10, year / 100 % 10);
    let (dative, ablative) = if units != 0 {
        match units {
            1 | 2 | 7 | 8 => ("ге", "ден"), // бір, екі, жеті, сегіз
            3..=5 => ("ке", "тен"),         // үш, төрт, бес
            _ => ("ға", "дан"),             // алты, тоғыз
        }
    } else if tens != 0 {
        match tens {
            1 => ("ға", "нан"),     // он
            2 | 3 => ("ға", "дан"), // жиырма, отыз
            4 | 6 => ("қа", "тан"), // қырық, алпыс
            5 => ("ге", "ден"),     // елу
            7 => ("ке", "тен"),     // жетпіс
            8 => ("ге", "нен"),     // сексен
            _ => ("ға", "нан"),     // тоқсан
        }
    } else if hundreds != 0 {
        ("ге", "ден") // жүз
    } else {
        ("ға", "нан") // мың
    };
    match case {
        KkCase::Dative => dative,
        KkCase::Ablative => ablative,
    }
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

#[cfg(test)]
mod kk_tests {
    use super::kk_case_endings;

    /// Issue 33: Kazakh dates take the case their postposition asks for.
    #[test]
    fn issue_33_kazakh_dates_take_their_case_endings() {
        assert_eq!(kk_case_endings("05.07.2026 дейін жарамды"), "05.07.2026-ға дейін жарамды");
        assert_eq!(kk_case_endings("01.01.2027 бастап 31.12.2027 дейін"), "01.01.2027-ден бастап 31.12.2027-ге дейін");
        assert_eq!(kk_case_endings("05.03.2033 дейінгі мерзім"), "05.03.2033-ке дейінгі мерзім");
        assert_eq!(kk_case_endings("10.10.2030 бұрын"), "10.10.2030-дан бұрын");
        assert_eq!(kk_case_endings("10.10.2040 дейін, 10.10.2080 кейін"), "10.10.2040-қа дейін, 10.10.2080-нен кейін");
        assert_eq!(kk_case_endings("01.01.2000 бастап"), "01.01.2000-нан бастап");
        // A date without a postposition, or already with its ending, is left alone.
        assert_eq!(kk_case_endings("берілген күні 05.07.2026"), "берілген күні 05.07.2026");
        assert_eq!(kk_case_endings("05.07.2026-ға дейін"), "05.07.2026-ға дейін");
        assert_eq!(kk_case_endings("тек мәтін"), "тек мәтін");
    }
}
