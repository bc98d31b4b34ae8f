//! The calendar's data files: the holiday law (dates fixed by law, with effective dates) and
//! one file per year (movable religious dates, the Minister's transfers of days off).
//!
//! These are the formats an administrator imports with `qualcert calendar import FILE`; the
//! files shipped in `crates/rules/data/calendar/` are the examples to copy. Parsing checks
//! everything that can be checked without the other files; [`super::Calendar::build`]
//! checks the rest (an unknown holiday id, a missing movable date, a transfer onto the wrong
//! kind of day).

use jiff::civil::Date;
use serde::Deserialize;

use crate::citation::Citation;
use crate::text::Localized;

/// What went wrong in a calendar data file. Each message names the file's field or date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DataError {
    /// The text is not valid TOML of the expected shape.
    #[error("calendar data: {0}")]
    Syntax(String),
    /// The file declares another kind of data.
    #[error("calendar data: expected kind = \"{expected}\", found \"{found}\"")]
    WrongKind {
        /// The kind this parser reads.
        expected: &'static str,
        /// The kind the file declares.
        found: String,
    },
    /// A value is out of range or inconsistent; the message says which.
    #[error("calendar data: {0}")]
    Invalid(String),
}

/// Whether a holiday is national, state (both moved when on a weekend) or religious (never).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HolidayKind {
    /// A national holiday (Law On holidays art. 1).
    National,
    /// A state holiday (Law On holidays art. 2).
    State,
    /// A religious day off (Labour Code art. 84 para 5).
    Religious,
}

/// One holiday that is a day off by law.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LawHoliday {
    /// A stable identifier year files refer to (`kurban-ait`).
    pub id: String,
    /// Month of a fixed-date holiday; absent when each year names the date.
    pub month: Option<i8>,
    /// Day of a fixed-date holiday.
    pub day: Option<i8>,
    /// National, state or religious.
    pub kind: HolidayKind,
    /// Whether a weekend occurrence moves the day off to the next working day.
    pub moves: bool,
    /// First day this entry is law.
    pub effective_from: Date,
    /// Last day this entry is law, if it has been repealed.
    pub effective_to: Option<Date>,
    /// The provision that makes it a day off.
    pub basis: Citation,
    /// Its name in each language.
    pub names: Localized,
}

impl LawHoliday {
    /// Whether this entry is law on `date`.
    pub fn in_force_on(&self, date: Date) -> bool {
        self.effective_from <= date && self.effective_to.is_none_or(|to| date <= to)
    }

    /// The fixed date in `year`, or `None` for a movable holiday.
    pub fn fixed_date(&self, year: i16) -> Option<Date> {
        Date::new(year, self.month?, self.day?).ok()
    }
}

/// The holiday law: every day off fixed by law, with its period of force.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolidayLaw {
    kind: String,
    /// The holidays, in any order.
    #[serde(rename = "holiday")]
    pub holidays: Vec<LawHoliday>,
}

impl HolidayLaw {
    /// Parses and checks a holiday-law file.
    pub fn parse(text: &str) -> Result<HolidayLaw, DataError> {
        let law: HolidayLaw = toml::from_str(text).map_err(|e| DataError::Syntax(e.to_string()))?;
        expect_kind("holiday-law", &law.kind)?;
        let mut ids = std::collections::HashSet::new();
        for h in &law.holidays {
            if !ids.insert((h.id.as_str(), h.effective_from)) {
                return Err(DataError::Invalid(format!("holiday {} is listed twice", h.id)));
            }
            match (h.month, h.day) {
                (Some(m), Some(d)) => {
                    // 2024 is a leap year, so 29 February is accepted here.
                    if Date::new(2024, m, d).is_err() {
                        return Err(DataError::Invalid(format!("holiday {}: no such day {m}-{d}", h.id)));
                    }
                }
                (None, None) => {}
                _ => {
                    return Err(DataError::Invalid(format!(
                        "holiday {}: give both month and day, or neither for a date each year names",
                        h.id
                    )));
                }
            }
            if h.kind == HolidayKind::Religious && h.moves {
                return Err(DataError::Invalid(format!(
                    "holiday {}: religious days off are not moved (Labour Code art. 84 para 5)",
                    h.id
                )));
            }
            if h.effective_to.is_some_and(|to| to < h.effective_from) {
                return Err(DataError::Invalid(format!("holiday {}: effective_to is before effective_from", h.id)));
            }
        }
        Ok(law)
    }

    /// The holidays in force on some day of `year`.
    pub fn in_force_in(&self, year: i16) -> impl Iterator<Item = &LawHoliday> {
        self.holidays.iter().filter(move |h| match h.fixed_date(year) {
            Some(d) => h.in_force_on(d),
            None => {
                let (first, last) = (jiff::civil::date(year, 1, 1), jiff::civil::date(year, 12, 31));
                h.effective_from <= last && h.effective_to.is_none_or(|to| to >= first)
            }
        })
    }
}

/// The date a movable holiday falls on in one year.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatedHoliday {
    /// The `id` of a holiday in the holiday law.
    pub holiday: String,
    /// Its date this year.
    pub date: Date,
    /// True while the date is expected but not yet announced.
    #[serde(default)]
    pub provisional: bool,
}

/// A transfer of a day off ordered for the year: the day off moves from `worked` (which
/// becomes a working day) to `off` (which becomes a day off). Either side may stand alone.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transfer {
    /// A weekly day off that becomes a working day.
    pub worked: Option<Date>,
    /// A working day that becomes a day off.
    pub off: Option<Date>,
    /// The order or decree that transfers it.
    pub basis: Citation,
}

/// The facts of one year that the law does not fix.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearData {
    kind: String,
    /// The year.
    pub year: i16,
    /// Dates of the movable holidays.
    #[serde(default)]
    pub dated: Vec<DatedHoliday>,
    /// Transfers of days off.
    #[serde(default, rename = "transfer")]
    pub transfers: Vec<Transfer>,
}

impl YearData {
    /// Parses and checks a year file on its own.
    pub fn parse(text: &str) -> Result<YearData, DataError> {
        let y: YearData = toml::from_str(text).map_err(|e| DataError::Syntax(e.to_string()))?;
        expect_kind("year", &y.kind)?;
        if !(1992..=2200).contains(&y.year) {
            return Err(DataError::Invalid(format!("year {} is out of range", y.year)));
        }
        let in_year = |d: Date, what: &str| {
            if d.year() == y.year {
                Ok(())
            } else {
                Err(DataError::Invalid(format!("{what} {d} is not in {}", y.year)))
            }
        };
        for d in &y.dated {
            in_year(d.date, &format!("the date of {}", d.holiday))?;
        }
        for t in &y.transfers {
            if t.worked.is_none() && t.off.is_none() {
                return Err(DataError::Invalid("a transfer needs `worked`, `off` or both".into()));
            }
            if let Some(w) = t.worked {
                in_year(w, "transfer: worked day")?;
            }
            if let Some(o) = t.off {
                in_year(o, "transfer: day off")?;
            }
        }
        Ok(y)
    }
}

/// Either kind of calendar file, told apart by its `kind`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalendarFile {
    /// A holiday-law file.
    Law(HolidayLaw),
    /// A year file.
    Year(YearData),
}

impl CalendarFile {
    /// Parses a file of either kind.
    pub fn parse(text: &str) -> Result<CalendarFile, DataError> {
        #[derive(Deserialize)]
        struct Head {
            kind: Option<String>,
        }
        let head: Head = toml::from_str(text).map_err(|e| DataError::Syntax(e.to_string()))?;
        match head.kind.as_deref() {
            Some("year") => YearData::parse(text).map(CalendarFile::Year),
            Some("holiday-law") => HolidayLaw::parse(text).map(CalendarFile::Law),
            other => Err(DataError::Invalid(format!(
                "unknown calendar file kind {:?}: expected \"year\" or \"holiday-law\"",
                other.unwrap_or("(missing)")
            ))),
        }
    }
}

fn expect_kind(expected: &'static str, found: &str) -> Result<(), DataError> {
    if found == expected { Ok(()) } else { Err(DataError::WrongKind { expected, found: found.to_owned() }) }
}

/// The holiday law shipped with qualcert.
pub const EMBEDDED_LAW: &str = include_str!("../../data/calendar/holidays.toml");

/// The year files shipped with qualcert (2024–2027; 2027's Kurban Ait is provisional).
pub const EMBEDDED_YEARS: [&str; 4] = [
    include_str!("../../data/calendar/2024.toml"),
    include_str!("../../data/calendar/2025.toml"),
    include_str!("../../data/calendar/2026.toml"),
    include_str!("../../data/calendar/2027.toml"),
];
