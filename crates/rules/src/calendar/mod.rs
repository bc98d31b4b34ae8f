//! The Kazakh working-day calendar (R12.1, R12.2; REQUIREMENTS.md §14).
//!
//! Every deadline of the service counts working days: Monday to Friday, except the days off
//! for holidays (Law On holidays), the day off moved when a holiday falls on a weekend
//! (Labour Code art. 85), the religious days off that never move (art. 84 para 5), and the
//! transfers ordered for the year. The facts come from data ([`data`]); this module turns
//! them into one bitset of working days over all loaded years, so a due date is a handful of
//! popcounts, and into a derivation a person can read.
//!
//! It never guesses: a question about a year with no data is [`CalendarError::NoData`].

pub mod data;
mod days;

use std::collections::BTreeMap;

use jiff::civil::{Date, Weekday};
use serde::Serialize;

use crate::citation::{Citation, cite};
use crate::text::{Lang, Localized};
pub use data::{CalendarFile, DataError, HolidayKind, HolidayLaw, LawHoliday, YearData};
use days::{date_of, day_number};

/// A question the calendar cannot answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// The question reaches a year for which no calendar data is loaded.
    #[error(
        "the working-day calendar has no data for {year}: import the year's holidays and transfers with `qualcert calendar import FILE`"
    )]
    NoData {
        /// The first year without data.
        year: i16,
    },
}

/// Why a day is not an ordinary Monday–Friday working day or Saturday/Sunday day off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Reason {
    /// Saturday or Sunday (the five-day week).
    Weekend,
    /// A holiday that is a day off by law.
    Holiday {
        /// The holiday's id in the holiday law.
        holiday: String,
        /// Its name.
        names: Localized,
        /// National, state or religious.
        holiday_kind: HolidayKind,
        /// The provision that makes it a day off.
        basis: Citation,
        /// When it falls on a weekend: the working day the day off moved to.
        moved_to: Option<Date>,
        /// The date is expected, not yet announced.
        provisional: bool,
    },
    /// A day off moved here from a holiday that fell on Saturday or Sunday.
    MovedDayOff {
        /// The holiday's id.
        holiday: String,
        /// Its name.
        names: Localized,
        /// The weekend day the holiday fell on.
        from: Date,
    },
    /// A working day made a day off by a transfer order.
    TransferredDayOff {
        /// The weekend day worked in exchange, if any.
        worked_instead: Option<Date>,
        /// The order.
        basis: Citation,
    },
    /// A Saturday or Sunday made a working day by a transfer order.
    TransferredWorkingDay {
        /// The day off given in exchange, if any.
        day_off_instead: Option<Date>,
        /// The order.
        basis: Citation,
    },
}

impl Reason {
    /// The provision that makes the day what it is.
    pub fn basis(&self) -> Citation {
        match self {
            Reason::Weekend => cite::WEEKLY_DAYS_OFF,
            Reason::Holiday { basis, .. } => basis.clone(),
            Reason::MovedDayOff { .. } => cite::HOLIDAY_MOVE,
            Reason::TransferredDayOff { basis, .. } | Reason::TransferredWorkingDay { basis, .. } => basis.clone(),
        }
    }

    /// One line for a person, in `lang`, without the citation (see [`Reason::basis`]).
    pub fn describe(&self, lang: Lang) -> String {
        let name = |n: &Localized| n.get(lang).to_owned();
        let say = |key: &str, args: &[(&str, crate::speech::Arg<'_>)]| crate::speech::say(lang, key, args);
        let day = |d: &Date| crate::speech::Arg::from(d.to_string());
        match self {
            Reason::Weekend => say("day-weekend", &[]),
            Reason::Holiday { names, moved_to, provisional, .. } => {
                let mut s = name(names);
                if let Some(to) = moved_to {
                    s += &say("day-holiday-moved", &[("to", day(to))]);
                }
                if *provisional {
                    s += &say("day-holiday-provisional", &[]);
                }
                s
            }
            Reason::MovedDayOff { names, from, .. } => {
                say("day-moved-day-off", &[("from", day(from)), ("names", name(names).into())])
            }
            Reason::TransferredDayOff { worked_instead: Some(w), .. } => {
                say("day-transferred-day-off", &[("from", day(w))])
            }
            Reason::TransferredDayOff { worked_instead: None, .. } => say("day-transferred-day-off-by-order", &[]),
            Reason::TransferredWorkingDay { day_off_instead: Some(o), .. } => {
                say("day-transferred-working-day", &[("to", day(o))])
            }
            Reason::TransferredWorkingDay { day_off_instead: None, .. } => {
                say("day-transferred-working-day-by-order", &[])
            }
        }
    }
}

/// One day as the calendar sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Day {
    /// The date.
    pub date: Date,
    /// Whether LEBs work that day.
    pub working: bool,
    /// Why, when it is not an ordinary weekday: `None` for an ordinary Monday–Friday.
    pub reason: Option<Reason>,
}

/// One day of a deadline's derivation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// The day.
    pub date: Date,
    /// Its ordinal among the working days counted (1-based), or `None` when it was skipped.
    pub counted: Option<u32>,
    /// Why it was skipped, or why a weekend day counted.
    pub reason: Option<Reason>,
}

/// Something a person should know about a derivation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Warning {
    /// A day in the period has a date that is expected, not yet announced.
    ProvisionalDate {
        /// The day.
        date: Date,
        /// The holiday.
        names: Localized,
    },
}

/// "Within N working days from day D", computed and explained (R12.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Derivation {
    /// Day D, not itself counted.
    pub from: Date,
    /// N.
    pub working_days: u32,
    /// The Nth working day after D: the deadline ends at its close.
    pub due_on: Date,
    /// Every day after D up to the due date.
    pub steps: Vec<Step>,
    /// Things that may still change the answer.
    pub warnings: Vec<Warning>,
}

#[derive(Debug, Clone)]
struct YearFacts {
    data: YearData,
    notes: BTreeMap<Date, Reason>,
}

/// The working-day calendar over the loaded years.
#[derive(Debug, Clone)]
pub struct Calendar {
    law: HolidayLaw,
    first_year: i16,
    /// Day number of 1 January of `first_year`.
    base: i32,
    /// Bit `i` is set when day `base + i` is a working day.
    words: Vec<u64>,
    /// Per year from `first_year`: its facts, or `None` when no data was loaded.
    years: Vec<Option<YearFacts>>,
    /// Per year: the last year of the unbroken run of loaded years that starts there.
    run_end: Vec<i16>,
}

fn is_weekend(d: Date) -> bool {
    matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

fn next_day(d: Date) -> Date {
    // Calendars cover years 1992..=2200 (checked when parsed), far from jiff's limits.
    date_of(day_number(d) + 1)
}

impl Calendar {
    /// The calendar shipped with qualcert: the holiday law and the years 2024–2027.
    pub fn embedded() -> Result<Calendar, DataError> {
        let law = HolidayLaw::parse(data::EMBEDDED_LAW)?;
        let years = data::EMBEDDED_YEARS.iter().map(|t| YearData::parse(t)).collect::<Result<Vec<_>, _>>()?;
        Calendar::build(law, years)
    }

    /// Builds the calendar from the law and year files. For a year given more than once, the
    /// last one wins, so imported files override the embedded ones.
    pub fn build(law: HolidayLaw, years: Vec<YearData>) -> Result<Calendar, DataError> {
        let mut by_year: BTreeMap<i16, YearData> = BTreeMap::new();
        for y in years {
            by_year.insert(y.year, y);
        }
        let (Some(&first), Some(&last)) = (by_year.keys().next(), by_year.keys().next_back()) else {
            return Err(DataError::Invalid("no year of calendar data".into()));
        };
        let base = day_number(jiff::civil::date(first, 1, 1));
        let end = day_number(jiff::civil::date(last, 12, 31));
        let mut words = vec![0u64; ((end - base + 1) as usize).div_ceil(64)];
        let mut facts: Vec<Option<YearFacts>> = vec![None; (last - first + 1) as usize];
        for (year, data) in by_year {
            let notes = year_notes(&law, &data)?;
            let mut d = jiff::civil::date(year, 1, 1);
            while d.year() == year {
                let working = match notes.get(&d) {
                    Some(Reason::TransferredWorkingDay { .. }) => true,
                    Some(_) => false,
                    None => !is_weekend(d),
                };
                if working {
                    let i = (day_number(d) - base) as usize;
                    words[i >> 6] |= 1 << (i & 63);
                }
                d = next_day(d);
            }
            facts[(year - first) as usize] = Some(YearFacts { data, notes });
        }
        let mut run_end = vec![0i16; facts.len()];
        let mut end_of_run = first - 1;
        for i in (0..facts.len()).rev() {
            let year = first + i as i16;
            if facts[i].is_some() {
                if end_of_run < year {
                    end_of_run = year;
                }
            } else {
                end_of_run = year - 1;
            }
            run_end[i] = end_of_run;
        }
        Ok(Calendar { law, first_year: first, base, words, years: facts, run_end })
    }

    /// The holiday law in use.
    pub fn law(&self) -> &HolidayLaw {
        &self.law
    }

    /// The years with data, in order.
    pub fn years(&self) -> impl Iterator<Item = i16> + '_ {
        self.years.iter().enumerate().filter(|(_, f)| f.is_some()).map(|(i, _)| self.first_year + i as i16)
    }

    /// The year file in use for `year`.
    pub fn year_data(&self, year: i16) -> Option<&YearData> {
        self.facts(year).ok().map(|f| &f.data)
    }

    /// Whether any date of `year` is provisional.
    pub fn is_provisional(&self, year: i16) -> bool {
        self.year_data(year).is_some_and(|y| y.dated.iter().any(|d| d.provisional))
    }

    fn facts(&self, year: i16) -> Result<&YearFacts, CalendarError> {
        if year < self.first_year {
            return Err(CalendarError::NoData { year });
        }
        self.years.get((year - self.first_year) as usize).and_then(Option::as_ref).ok_or(CalendarError::NoData { year })
    }

    fn index(&self, date: Date) -> Result<usize, CalendarError> {
        self.facts(date.year())?;
        Ok((day_number(date) - self.base) as usize)
    }

    fn bit(&self, i: usize) -> bool {
        self.words[i >> 6] >> (i & 63) & 1 == 1
    }

    /// Whether `date` is a working day (R12.1).
    pub fn is_working(&self, date: Date) -> Result<bool, CalendarError> {
        Ok(self.bit(self.index(date)?))
    }

    /// The day with its reason.
    pub fn day(&self, date: Date) -> Result<Day, CalendarError> {
        let facts = self.facts(date.year())?;
        let working = self.is_working(date)?;
        let reason = facts.notes.get(&date).cloned().or_else(|| is_weekend(date).then_some(Reason::Weekend));
        Ok(Day { date, working, reason })
    }

    /// The Nth working day after `from` (`from` not counted), R12.2: a deadline "within N
    /// working days from day D" ends at the close of that day. `n = 0` gives `from`.
    ///
    /// This is the hot path: a few popcounts over the working-day bitset.
    pub fn due_on(&self, from: Date, n: u32) -> Result<Date, CalendarError> {
        let idx = self.index(from)?;
        if n == 0 {
            return Ok(from);
        }
        let run_end = self.run_end[(from.year() - self.first_year) as usize];
        let mut w = idx >> 6;
        let b = idx & 63;
        let mut word = if b == 63 { 0 } else { self.words[w] & (u64::MAX << (b + 1)) };
        let mut left = n;
        loop {
            let count = word.count_ones();
            if count >= left {
                let mut x = word;
                for _ in 1..left {
                    x &= x - 1;
                }
                let due = date_of(self.base + ((w << 6) + x.trailing_zeros() as usize) as i32);
                return if due.year() > run_end { Err(CalendarError::NoData { year: run_end + 1 }) } else { Ok(due) };
            }
            left -= count;
            w += 1;
            if w >= self.words.len() {
                return Err(CalendarError::NoData { year: run_end + 1 });
            }
            word = self.words[w];
        }
    }

    /// The first working day after `date`.
    pub fn next_working_day(&self, date: Date) -> Result<Date, CalendarError> {
        self.due_on(date, 1)
    }

    /// The number of working days after `from` up to and including `to` (0 when `to <= from`):
    /// how many working days have passed since an event, e.g. to tell whether a notice came
    /// within its window.
    pub fn working_days_between(&self, from: Date, to: Date) -> Result<u32, CalendarError> {
        if to <= from {
            return Ok(0);
        }
        let (a, b) = (self.index(from)?, self.index(to)?);
        let run_end = self.run_end[(from.year() - self.first_year) as usize];
        if to.year() > run_end {
            return Err(CalendarError::NoData { year: run_end + 1 });
        }
        let mut count = 0;
        for i in a + 1..=b {
            count += u32::from(self.bit(i));
        }
        Ok(count)
    }

    /// Computes [`Calendar::due_on`] and explains it day by day, with every skipped day's
    /// reason and legal basis, and warnings about provisional dates in the period.
    pub fn explain_due(&self, from: Date, n: u32) -> Result<Derivation, CalendarError> {
        let due_on = self.due_on(from, n)?;
        let mut steps = Vec::new();
        let mut warnings = Vec::new();
        let mut counted = 0;
        let mut d = from;
        while d < due_on {
            d = next_day(d);
            let day = self.day(d)?;
            if let Some(Reason::Holiday { names, provisional: true, .. }) = &day.reason {
                warnings.push(Warning::ProvisionalDate { date: d, names: names.clone() });
            }
            if day.working {
                counted += 1;
            }
            steps.push(Step { date: d, counted: day.working.then_some(counted), reason: day.reason });
        }
        Ok(Derivation { from, working_days: n, due_on, steps, warnings })
    }

    /// Working days in a month.
    pub fn working_days_in_month(&self, year: i16, month: i8) -> Result<u32, CalendarError> {
        let first = Date::new(year, month, 1).map_err(|_| CalendarError::NoData { year })?;
        let a = self.index(first)?;
        let len = usize::try_from(first.days_in_month()).unwrap_or(0);
        Ok((a..a + len).filter(|&i| self.bit(i)).count() as u32)
    }

    /// The exceptions of a year: each Monday–Friday that is not a working day and each
    /// Saturday or Sunday that is, in date order.
    pub fn exceptions(&self, year: i16) -> Result<Vec<Day>, CalendarError> {
        let facts = self.facts(year)?;
        let mut out = Vec::new();
        for (&date, reason) in &facts.notes {
            let working = self.is_working(date)?;
            if working == is_weekend(date) {
                out.push(Day { date, working, reason: Some(reason.clone()) });
            }
        }
        Ok(out)
    }
}

/// Works out the notes of one year: holidays, moved days off, transfers.
fn year_notes(law: &HolidayLaw, year: &YearData) -> Result<BTreeMap<Date, Reason>, DataError> {
    let y = year.year;
    let invalid = |msg: String| DataError::Invalid(format!("{y}: {msg}"));
    for dated in &year.dated {
        match law.holidays.iter().find(|h| h.id == dated.holiday) {
            None => return Err(invalid(format!("unknown holiday `{}` (not in the holiday law)", dated.holiday))),
            Some(h) if h.month.is_some() => {
                return Err(invalid(format!("holiday `{}` has a fixed date in law; a year file cannot date it", h.id)));
            }
            Some(_) => {}
        }
    }
    let mut holidays: Vec<(Date, &LawHoliday, bool)> = Vec::new();
    for h in law.in_force_in(y) {
        match h.fixed_date(y) {
            Some(d) => holidays.push((d, h, false)),
            None => {
                let dated = year.dated.iter().find(|d| d.holiday == h.id).ok_or_else(|| {
                    invalid(format!(
                        "no date for `{}` ({}): add [[dated]] holiday = \"{}\" date = \"YYYY-MM-DD\"",
                        h.id, h.names.en, h.id
                    ))
                })?;
                if h.in_force_on(dated.date) {
                    holidays.push((dated.date, h, dated.provisional));
                }
            }
        }
    }
    // Holidays that move come first on a shared date, so a coinciding religious day does not
    // swallow a state holiday's moved day off.
    holidays.sort_by_key(|(d, h, _)| (*d, !h.moves));
    let mut notes: BTreeMap<Date, Reason> = BTreeMap::new();
    for (d, h, provisional) in &holidays {
        notes.entry(*d).or_insert_with(|| Reason::Holiday {
            holiday: h.id.clone(),
            names: h.names.clone(),
            holiday_kind: h.kind,
            basis: h.basis.clone(),
            moved_to: None,
            provisional: *provisional,
        });
    }
    // Labour Code art. 85: each national or state holiday on a weekend moves its day off to the
    // next working day after it, in date order, so several in a row each find their own day.
    for (d, h, _) in &holidays {
        if !(h.moves && is_weekend(*d)) {
            continue;
        }
        if !matches!(notes.get(d), Some(Reason::Holiday { holiday, .. }) if *holiday == h.id) {
            continue;
        }
        let mut c = next_day(*d);
        while is_weekend(c) || notes.contains_key(&c) {
            c = next_day(c);
        }
        if c.year() != y {
            return Err(invalid(format!("the day off of {} ({d}) would move into the next year", h.id)));
        }
        notes.insert(c, Reason::MovedDayOff { holiday: h.id.clone(), names: h.names.clone(), from: *d });
        if let Some(Reason::Holiday { moved_to, .. }) = notes.get_mut(d) {
            *moved_to = Some(c);
        }
    }
    for t in &year.transfers {
        if let Some(w) = t.worked {
            if !is_weekend(w) || notes.contains_key(&w) {
                return Err(invalid(format!(
                    "transfer: {w} is not an ordinary Saturday or Sunday, so it cannot be made a working day"
                )));
            }
            notes.insert(w, Reason::TransferredWorkingDay { day_off_instead: t.off, basis: t.basis.clone() });
        }
        if let Some(o) = t.off {
            if is_weekend(o) || notes.contains_key(&o) {
                return Err(invalid(format!(
                    "transfer: {o} is not an ordinary working day, so it cannot be made a day off"
                )));
            }
            notes.insert(o, Reason::TransferredDayOff { worked_instead: t.worked, basis: t.basis.clone() });
        }
    }
    Ok(notes)
}

#[cfg(test)]
mod tests;
