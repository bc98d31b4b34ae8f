//! Citations: the paragraph of the law a rule, a deadline or a refusal acts under.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::text::Lang;

/// A reference to the law, written as the order and REQUIREMENTS.md write it:
/// `Rules §7`, `App.2 item 9.2`, `Labour Code art. 85`.
///
/// Kept as text on purpose: citations come from data files as well as from code, and the
/// person reading a refusal needs the paragraph, not a Rust type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Citation(Cow<'static, str>);

impl Citation {
    /// A citation fixed in code.
    pub const fn new(text: &'static str) -> Citation {
        Citation(Cow::Borrowed(text))
    }

    /// A citation read from data.
    pub fn owned(text: impl Into<String>) -> Citation {
        Citation(Cow::Owned(text.into()))
    }

    /// The citation as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The citation as a reader of `lang` expects it: `Rules §22 para 2` is
    /// `п. 22 Правил, ч. 2` in Russian and `Қағидалардың 22-тармағы, 2-тармақша` in Kazakh.
    /// Parts separated by `; ` are rendered one by one; an unknown form keeps its text with
    /// the known words translated.
    pub fn localized(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.0.to_string();
        }
        self.0.split("; ").map(|part| localize_part(part, lang)).collect::<Vec<_>>().join("; ")
    }
}

/// `N` or `N para M` after a prefix.
fn number_and_para(rest: &str) -> Option<(&str, Option<&str>)> {
    let mut words = rest.split(' ');
    let n = words.next()?;
    match (words.next(), words.next(), words.next()) {
        (None, _, _) => Some((n, None)),
        (Some("para"), Some(m), None) => Some((n, Some(m))),
        _ => None,
    }
}

fn localize_part(part: &str, lang: Lang) -> String {
    let ru = lang == Lang::Ru;
    // A note in brackets after a citation ("Rules §10 (sample)"): the citation, then the note.
    if let Some((base, note)) = part.split_once(" (")
        && note.ends_with(')')
    {
        let note = &note[..note.len() - 1];
        let note = match (note, ru) {
            ("sample", true) => "образец",
            ("sample", false) => "үлгі",
            ("sample points", true) => "баллы — образец",
            ("sample points", false) => "балдар — үлгі",
            _ => return localize_words(part, ru),
        };
        return format!("{} ({note})", localize_part(base, lang));
    }
    if let Some((n, para)) = part.strip_prefix("Rules §").and_then(number_and_para)
        && !n.contains('§')
    {
        return match (ru, para) {
            (true, None) => format!("п. {n} Правил"),
            (true, Some(m)) => format!("ч. {m} п. {n} Правил"),
            (false, None) => format!("Қағидалардың {n}-тармағы"),
            (false, Some(m)) => format!("Қағидалардың {n}-тармағының {m}-бөлігі"),
        };
    }
    if let Some((app, rest)) = part.strip_prefix("App.").and_then(|r| r.split_once(' '))
        && let Some(item) = rest.strip_prefix("item ")
    {
        // A sub-item is cited as the act numbers it: "9.2" is sub-item 2) of item 9.
        return match (item.split_once('.'), ru) {
            (Some((n, sub)), true) => format!("подп. {sub}) п. {n} прил. {app} к Правилам"),
            (Some((n, sub)), false) => format!("Қағидаларға {app}-қосымшаның {n}-тармағының {sub}) тармақшасы"),
            (None, true) => format!("п. {item} прил. {app} к Правилам"),
            (None, false) => format!("Қағидаларға {app}-қосымшаның {item}-тармағы"),
        };
    }
    if let Some(app) = part.strip_prefix("App.").filter(|a| a.chars().all(|c| c.is_ascii_digit())) {
        return if ru {
            format!("прил. {app} к Правилам")
        } else {
            format!("Қағидаларға {app}-қосымша")
        };
    }
    for (prefix, ru_name, kk_name) in [
        ("Labour Code art. ", "Трудового кодекса РК", "ҚР Еңбек кодексінің"),
        (
            "Law On holidays art. ",
            "Закона РК «О праздниках в Республике Казахстан»",
            "«Қазақстан Республикасындағы мерекелер туралы» ҚР Заңының",
        ),
        (
            "Law on public services art. ",
            "Закона РК «О государственных услугах»",
            "«Мемлекеттік көрсетілетін қызметтер туралы» ҚР Заңының",
        ),
        (
            "Administrative Procedural Code art. ",
            "Административного процедурно-процессуального кодекса РК",
            "ҚР Әкімшілік рәсімдік-процестік кодексінің",
        ),
    ] {
        if let Some((n, para)) = part.strip_prefix(prefix).and_then(number_and_para) {
            return match (ru, para) {
                (true, None) => format!("ст. {n} {ru_name}"),
                (true, Some(m)) => format!("п. {m} ст. {n} {ru_name}"),
                (false, None) => format!("{kk_name} {n}-бабы"),
                (false, Some(m)) => format!("{kk_name} {n}-бабының {m}-тармағы"),
            };
        }
    }
    localize_words(part, ru)
}

/// The fallback: the known words of a citation translated in place.
fn localize_words(part: &str, ru: bool) -> String {
    let words: &[(&str, &str, &str)] = &[
        ("Rules", "Правила", "Қағидалар"),
        ("App.", "прил. ", "қосымша "),
        ("item", "п.", "тармақ"),
        ("para", "ч.", "бөлік"),
        ("Civil Code", "Гражданский кодекс", "Азаматтық кодекс"),
        (
            "a period starts on the day after its event",
            "срок начинается на следующий день после события",
            "мерзім оқиғадан кейінгі күні басталады",
        ),
        ("(effective dates)", "(даты вступления в силу)", "(күшіне ену күндері)"),
        ("sample points", "баллы — образец", "балдар — үлгі"),
        ("(sample)", "(образец)", "(үлгі)"),
        ("quorum", "кворум", "кворум"),
        ("Reading", "толкование", "түсіндірме"),
    ];
    let mut out = part.to_owned();
    for (en, r, k) in words {
        out = out.replace(en, if ru { r } else { k });
    }
    out
}

impl From<&'static str> for Citation {
    fn from(s: &'static str) -> Citation {
        Citation::new(s)
    }
}

impl fmt::Display for Citation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citations_read_in_each_language() {
        let c = Citation::new("Rules §22 para 2; App.2 item 9.2");
        assert_eq!(c.localized(Lang::En), "Rules §22 para 2; App.2 item 9.2");
        assert_eq!(c.localized(Lang::Ru), "ч. 2 п. 22 Правил; подп. 2) п. 9 прил. 2 к Правилам");
        assert_eq!(
            c.localized(Lang::Kk),
            "Қағидалардың 22-тармағының 2-бөлігі; Қағидаларға 2-қосымшаның 9-тармағының 2) тармақшасы"
        );
        assert_eq!(Citation::new("Labour Code art. 85").localized(Lang::Ru), "ст. 85 Трудового кодекса РК");
        assert_eq!(Citation::new("Rules §7").localized(Lang::Kk), "Қағидалардың 7-тармағы");
        assert_eq!(Citation::new("App.1").localized(Lang::Ru), "прил. 1 к Правилам");
        assert_eq!(Citation::new("Rules §10 (sample)").localized(Lang::Ru), "п. 10 Правил (образец)");
        assert_eq!(
            Citation::new("Rules §8 para 2 (sample points)").localized(Lang::Kk),
            "Қағидалардың 8-тармағының 2-бөлігі (балдар — үлгі)"
        );
    }
}

/// Citations the calendar and the time rules use in code.
pub mod cite {
    use super::Citation;

    /// Saturday and Sunday are weekly days off on the five-day week LEBs work.
    pub const WEEKLY_DAYS_OFF: Citation = Citation::new("Labour Code art. 84");
    /// A national or state holiday on a weekly day off moves the day off.
    pub const HOLIDAY_MOVE: Citation = Citation::new("Labour Code art. 85");
    /// Filed after hours or on a day off: received on the next working day.
    pub const RECEIVED_NEXT_WORKING_DAY: Citation = Citation::new("App.2 item 7");
    /// A period counted from a day ends at the close of the Nth working day after it.
    pub const PERIOD_FROM_NEXT_DAY: Citation = Citation::new("Civil Code (a period starts on the day after its event)");
}
