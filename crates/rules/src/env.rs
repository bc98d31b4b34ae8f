//! What every decision is given: the instant, the actor, the calendar and the akimat's hours.
//! The rules core never reads the clock; `now` arrives here.

use jiff::Timestamp;
use jiff::civil::Date;

use crate::actor::Actor;
use crate::calendar::{Calendar, CalendarError};
use crate::citation::Citation;
use crate::hours::{Receipt, WorkingHours, received_on};
use crate::refusal::{Reason, Refusal};

/// The inputs of a decision besides the case and the command.
#[derive(Debug, Clone, Copy)]
pub struct Env<'a> {
    /// The instant of the command.
    pub now: Timestamp,
    /// Who issues it.
    pub actor: &'a Actor,
    /// The working-day calendar.
    pub calendar: &'a Calendar,
    /// The akimat's hours and zone.
    pub hours: &'a WorkingHours,
}

impl Env<'_> {
    /// The date on the akimat's wall clock.
    pub fn today(&self) -> Date {
        self.hours.zone.to_datetime(self.now).date()
    }

    /// When a filing made now counts as received (App.2 item 7).
    pub fn receipt(&self) -> Result<Receipt, Refusal> {
        received_on(self.calendar, self.hours, self.now).map_err(|e| calendar_refusal(e, Citation::new("App.2 item 7")))
    }
}

/// A calendar without data, as a refusal under `citation`.
pub fn calendar_refusal(e: CalendarError, citation: Citation) -> Refusal {
    match e {
        CalendarError::NoData { year } => Refusal::new(Reason::CalendarData { year }, citation),
    }
}
