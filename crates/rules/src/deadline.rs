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
    /// The paragraph that sets it.
    pub citation: Citation,
    /// The requirement number.
    pub requirement: String,
}

/// `None` when a filing received on `received_on` is within `deadline` of `event_date`.
pub fn lateness(
    calendar: &Calendar,
    event_date: Date,
    received_on: Date,
    deadline: &Deadline,
) -> Result<Option<Lateness>, CalendarError> {
    let elapsed = match calendar.working_days_between(event_date, received_on) {
        Ok(n) if n <= deadline.working_days => return Ok(None),
        Ok(n) => Some(n),
        // An event in an earlier year than the calendar covers is months before receipt.
        Err(CalendarError::NoData { year }) if year < received_on.year() => None,
        Err(e) => return Err(e),
    };
    Ok(Some(Lateness {
        event_date,
        received_on,
        working_days_elapsed: elapsed,
        window: deadline.working_days,
        citation: deadline.citation.clone(),
        requirement: deadline.requirement.clone(),
    }))
}
