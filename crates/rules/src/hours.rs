//! When a filing counts as received (App.2 item 7, R3.7, R12.2).
//!
//! The portal takes applications around the clock, but an LEB works Monday to Friday within
//! its working hours. Something filed after the end of the working day, on a weekend or on a
//! holiday counts as received on the next working day; before the start of a working day it
//! counts that day. The instant is judged in the akimat's own time zone from the tz database.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use serde::Serialize;

use crate::calendar::{Calendar, CalendarError, Reason};
use crate::citation::{Citation, cite};
use crate::params::Schedule;
use crate::text::Lang;

/// An akimat's working hours and the zone they are kept in.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkingHours {
    /// Opening time.
    pub start: Time,
    /// Closing time: a filing at or after it counts on the next working day.
    pub end: Time,
    /// The lunch break. It does not change the day a filing counts on; it is shown to people.
    pub lunch: Option<(Time, Time)>,
    /// The akimat's zone (for example `Asia/Almaty`).
    pub zone: TimeZone,
}

impl WorkingHours {
    /// The hours a rule set gives every akimat until its own schedule is recorded, in
    /// `zone`.
    pub fn of(schedule: &Schedule, zone: TimeZone) -> WorkingHours {
        WorkingHours { start: schedule.start, end: schedule.end, lunch: schedule.lunch, zone }
    }

    /// The zone's IANA name, when it has one.
    pub fn zone_name(&self) -> &str {
        self.zone.iana_name().unwrap_or("(fixed offset)")
    }
}

/// Why a filing counts on the day it does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ReceivedWhy {
    /// Filed during the working day.
    WorkingHours,
    /// Filed before opening on a working day: counts that day.
    BeforeOpening,
    /// Filed at or after closing: counts on the next working day.
    AfterClosing,
    /// Filed on a day off: counts on the next working day.
    DayOff {
        /// Why that day is off.
        reason: Reason,
    },
}

/// The day a filing counts as received, with the why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Receipt {
    /// The instant of filing.
    pub received_at: Timestamp,
    /// The same instant on the akimat's wall clock.
    pub local: DateTime,
    /// The day it counts as received.
    pub received_on: Date,
    /// Why that day.
    pub why: ReceivedWhy,
}

impl Receipt {
    /// The provision applied.
    pub fn basis(&self) -> Citation {
        cite::RECEIVED_NEXT_WORKING_DAY
    }

    /// One line for a person, in `lang`.
    pub fn describe(&self, lang: Lang, hours: &WorkingHours) -> String {
        let (s, e) = (hours.start.strftime("%H:%M"), hours.end.strftime("%H:%M"));
        // The instant in the reader's one date format (ДД.ММ.ГГГГ in Kazakh and Russian).
        let local = format!("{} {}", crate::text::date_for(lang, self.local.date()), self.local.strftime("%H:%M"));
        let (key, why) = match &self.why {
            ReceivedWhy::WorkingHours => ("received-working-hours", String::new()),
            ReceivedWhy::BeforeOpening => ("received-before-opening", String::new()),
            ReceivedWhy::AfterClosing => ("received-after-closing", String::new()),
            ReceivedWhy::DayOff { reason } => ("received-day-off", reason.describe(lang)),
        };
        crate::speech::say(
            lang,
            key,
            &[
                ("local", local.into()),
                ("start", s.to_string().into()),
                ("end", e.to_string().into()),
                ("why", why.into()),
            ],
        )
    }
}

/// The day a filing made at `at` counts as received by an akimat with `hours` (App.2 item 7).
pub fn received_on(calendar: &Calendar, hours: &WorkingHours, at: Timestamp) -> Result<Receipt, CalendarError> {
    let local = hours.zone.to_datetime(at);
    let date = local.date();
    let day = calendar.day(date)?;
    let (received_on, why) = if !day.working {
        let reason = day.reason.unwrap_or(Reason::Weekend);
        (calendar.next_working_day(date)?, ReceivedWhy::DayOff { reason })
    } else if local.time() >= hours.end {
        (calendar.next_working_day(date)?, ReceivedWhy::AfterClosing)
    } else if local.time() < hours.start {
        (date, ReceivedWhy::BeforeOpening)
    } else {
        (date, ReceivedWhy::WorkingHours)
    };
    Ok(Receipt { received_at: at, local, received_on, why })
}
