//! Due dates as stored on a waiting state, and lateness of an applicant's filing.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, CalendarError};
use crate::citation::Citation;
use crate::params::Deadline;

/// When a stage is due: computed by the calendar when the stage starts, and stored, so the
/// overdue query is a range scan and a later calendar import does not move a running
/// deadline silently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueDate {
    /// The last day of the stage (the deadline ends at its close).
    pub on: Date,
    /// Counted from this day (not itself counted).
    pub from: Date,
    /// N.
    pub working_days: u32,
    /// The paragraph that sets it.
    pub citation: Citation,
    /// The requirement number.
    pub requirement: String,
}

impl DueDate {
    /// `deadline` counted from `from` (R12.2).
    pub fn compute(calendar: &Calendar, from: Date, deadline: &Deadline) -> Result<DueDate, CalendarError> {
        Ok(DueDate {
            on: calendar.due_on(from, deadline.working_days)?,
            from,
            working_days: deadline.working_days,
            citation: deadline.citation.clone(),
            requirement: deadline.requirement.clone(),
        })
    }

    /// Whether the stage is overdue on `today` (after the due day has closed).
    pub fn overdue_on(&self, today: Date) -> bool {
        today > self.on
    }
}

/// An applicant's filing made after its window (R6.1, R8.2, R9.1): accepted and flagged with
/// the citation, never dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lateness {
    /// The day of the event the window runs from (new contract, change, loss).
    pub event_date: Date,
    /// The local day the applicant filed: their own window runs to it (R12.2), whatever
    /// day the akimat counts the filing as received.
    pub received_on: Date,
    /// Working days after the event up to and including receipt; `None` when the event lies
    /// in a year the calendar has no data for (then it is certainly past the window).
    pub working_days_elapsed: Option<u32>,
    /// The window.
    pub window: u32,
    /// The window's last day: the `window`-th working day after the event. `None` in events
    /// recorded before it was kept, and when the calendar has no data for the event's year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_day: Option<Date>,
    /// The paragraph that sets it.
    pub citation: Citation,
    /// The requirement number.
    pub requirement: String,
}

/// `None` when a filing received on `received_on` is within `deadline` of `event_date`.
///
/// A window of N working days (R12.2) is those N days: it ends with the Nth working day after
/// the event, so a filing on a later date is late even when no working day passed between
/// (a Saturday after the last day, a day of Nauryz). The local date of the filing is what
/// counts, not the akimat's shifted day of receipt (App.2 item 7 moves only the akimat's acts).
pub fn lateness(
    calendar: &Calendar,
    event_date: Date,
    received_on: Date,
    deadline: &Deadline,
) -> Result<Option<Lateness>, CalendarError> {
    let last_day = match calendar.due_on(event_date, deadline.working_days) {
        Ok(last) if received_on <= last => return Ok(None),
        Ok(last) => Some(last),
        // An event in an earlier year than the calendar covers is months before receipt.
        Err(CalendarError::NoData { year }) if year < received_on.year() => None,
        Err(e) => return Err(e),
    };
    let elapsed = calendar.working_days_between(event_date, received_on).ok();
    Ok(Some(Lateness {
        event_date,
        received_on,
        working_days_elapsed: elapsed,
        window: deadline.working_days,
        last_day,
        citation: deadline.citation.clone(),
        requirement: deadline.requirement.clone(),
    }))
}

/// How far a running stage is into its allowance of working days. The service acts before a
/// breach: at half the allowance the case is marked in the officer's queue, at most of it
/// the officer and the akimat's head are told, and the breach itself is recorded and
/// reported. The marks are the service's own practice, not the law's; the allowance and its
/// paragraph are the law's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Risk {
    /// Less than half the working days used.
    OnTrack,
    /// At least half ([`HALF_PERCENT`]).
    Half,
    /// At least [`MOST_PERCENT`].
    Most,
    /// The due day has closed.
    Breached,
}

/// The share of an allowance, in percent, at which a case is marked in the queue.
pub const HALF_PERCENT: u32 = 50;
/// The share at which the officer and the akimat's head are told.
pub const MOST_PERCENT: u32 = 80;

impl Risk {
    /// Its tag, as stored.
    pub fn tag(self) -> &'static str {
        match self {
            Risk::OnTrack => "on-track",
            Risk::Half => "half",
            Risk::Most => "most",
            Risk::Breached => "breached",
        }
    }
}

/// Working days needed to reach `percent` of `n` (rounded up, at least one of a non-empty
/// allowance). A same-day term (registration, App.2 item 7) has used all of it on its day.
fn days_for(n: u32, percent: u32) -> u32 {
    if n == 0 { 0 } else { (n * percent).div_ceil(100).max(1) }
}

/// A stage's allowance as the read model keeps it (its first day, not counted; its due day;
/// its working days), enough to judge its risk without the case's snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allowance {
    /// Counted from this day (not itself counted).
    pub from: Date,
    /// The last day.
    pub on: Date,
    /// N.
    pub working_days: u32,
}

impl Allowance {
    /// The risk on `today`, judged by the close of that day.
    pub fn risk_on(&self, calendar: &Calendar, today: Date) -> Result<Risk, CalendarError> {
        if today > self.on {
            return Ok(Risk::Breached);
        }
        // A same-day term (registration, App.2 item 7) is used on its day, not before: a
        // filing received over a weekend counts from its first working day (issue 31).
        if self.working_days == 0 && today < self.on {
            return Ok(Risk::OnTrack);
        }
        let used = calendar.working_days_between(self.from, today.min(self.on))?.min(self.working_days);
        Ok(if used >= days_for(self.working_days, MOST_PERCENT) {
            Risk::Most
        } else if used >= days_for(self.working_days, HALF_PERCENT) {
            Risk::Half
        } else {
            Risk::OnTrack
        })
    }
}

/// How an ended stage kept its term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kept {
    /// Working days from the stage's first day (not counted) to the day it ended.
    pub working_days: u32,
    /// Ended after its due day.
    pub late: bool,
}

impl DueDate {
    /// Working days of the allowance used by the close of `today` (at most the allowance).
    pub fn used_on(&self, calendar: &Calendar, today: Date) -> Result<u32, CalendarError> {
        Ok(calendar.working_days_between(self.from, today.min(self.on))?.min(self.working_days))
    }

    /// The risk on `today`, judged by the close of that day.
    pub fn risk_on(&self, calendar: &Calendar, today: Date) -> Result<Risk, CalendarError> {
        Allowance { from: self.from, on: self.on, working_days: self.working_days }.risk_on(calendar, today)
    }

    /// How a stage that ended on `ended_on` kept its term: the working days it took (not
    /// capped at the allowance, so a late stage shows how late) and whether it ended after
    /// its due day. The reports' on-time rate and processing times are these.
    pub fn kept_on(&self, calendar: &Calendar, ended_on: Date) -> Result<Kept, CalendarError> {
        Ok(Kept { working_days: calendar.working_days_between(self.from, ended_on)?, late: self.overdue_on(ended_on) })
    }

    /// The next day someone must be told, after `reached`: the day most of the allowance is
    /// used, then the day after the due day (the breach); `None` after the breach.
    pub fn next_alert(&self, calendar: &Calendar, reached: Risk) -> Result<Option<(Risk, Date)>, CalendarError> {
        Ok(match reached {
            Risk::OnTrack | Risk::Half => {
                Some((Risk::Most, calendar.due_on(self.from, days_for(self.working_days, MOST_PERCENT))?))
            }
            Risk::Most => self.on.tomorrow().ok().map(|d| (Risk::Breached, d)),
            Risk::Breached => None,
        })
    }
}

#[cfg(test)]
mod risk_tests {
    use super::*;
    use jiff::civil::date;

    fn due(from: Date, n: u32, calendar: &Calendar) -> DueDate {
        let term = Deadline { working_days: n, citation: Citation::new("Rules §7"), requirement: "R4.1".into() };
        DueDate::compute(calendar, from, &term).expect("in the calendar")
    }

    /// Issue 15: a stage's risk counts working days by the calendar: a weekend uses none of
    /// the allowance, and the breach is the day after the due day.
    #[test]
    fn r4_1_risk_counts_working_days_and_alerts_before_the_breach() {
        let calendar = crate::Calendar::embedded().expect("calendar");
        // Forwarded on Friday 2026-03-13 with 3 working days (Rules §9): due Wednesday 18th.
        let d = due(date(2026, 3, 13), 3, &calendar);
        assert_eq!(d.on, date(2026, 3, 18));
        let risk = |day| d.risk_on(&calendar, day).expect("risk");
        assert_eq!(risk(date(2026, 3, 13)), Risk::OnTrack);
        assert_eq!(risk(date(2026, 3, 15)), Risk::OnTrack, "the weekend uses nothing");
        assert_eq!(risk(date(2026, 3, 16)), Risk::OnTrack, "1 of 3");
        assert_eq!(risk(date(2026, 3, 17)), Risk::Half, "2 of 3: past half, short of 80%");
        assert_eq!(risk(date(2026, 3, 18)), Risk::Most, "the due day");
        assert_eq!(risk(date(2026, 3, 19)), Risk::Breached);
        assert_eq!(d.next_alert(&calendar, Risk::OnTrack).expect("next"), Some((Risk::Most, date(2026, 3, 18))));
        assert_eq!(d.next_alert(&calendar, Risk::Most).expect("next"), Some((Risk::Breached, date(2026, 3, 19))));
        assert_eq!(d.next_alert(&calendar, Risk::Breached).expect("next"), None);
        // Five working days: half after three, most after four.
        let d = due(date(2026, 3, 2), 5, &calendar);
        assert_eq!(d.risk_on(&calendar, date(2026, 3, 4)).expect("risk"), Risk::OnTrack);
        assert_eq!(d.risk_on(&calendar, date(2026, 3, 5)).expect("risk"), Risk::Half);
        assert_eq!(d.risk_on(&calendar, date(2026, 3, 6)).expect("risk"), Risk::Most);
    }

    /// Issue 31, R4.1: a filing made on a Saturday is received on Monday (App.2 item 7); its
    /// same-day registration is not "most of the working days used" over the weekend.
    #[test]
    fn r4_1_a_weekend_filing_is_on_track_until_its_first_working_day() {
        let calendar = crate::Calendar::embedded().expect("calendar");
        let received = calendar.next_working_day(date(2026, 3, 14)).expect("a working day");
        assert_eq!(received, date(2026, 3, 16), "Saturday's filing is received on Monday");
        let d = due(received, 0, &calendar);
        assert_eq!(d.risk_on(&calendar, date(2026, 3, 14)).expect("risk"), Risk::OnTrack, "Saturday");
        assert_eq!(d.risk_on(&calendar, date(2026, 3, 15)).expect("risk"), Risk::OnTrack, "Sunday");
        assert_eq!(d.risk_on(&calendar, date(2026, 3, 16)).expect("risk"), Risk::Most, "its day");
        assert_eq!(d.risk_on(&calendar, date(2026, 3, 17)).expect("risk"), Risk::Breached);
    }
}
