//! The law as code: everything qualcert decides lives here, once, with its citation.
//!
//! This crate is pure. It never reads the clock (the caller passes `now`), never touches the
//! file system, the network or a database, and knows nothing of HTTP, SQL or PDF. Data that
//! the law may change (holidays, deadlines, the pass mark) enters as text that this crate
//! parses and checks; the binary decides where that text comes from (embedded defaults or
//! the administrator's imports).

pub mod akimat;
pub mod calendar;
pub mod citation;
pub mod hours;
pub mod ids;
pub mod params;
pub mod text;

pub use calendar::{Calendar, CalendarError};
pub use citation::Citation;
pub use hours::{Receipt, WorkingHours};
pub use ids::{Bin, IdError, Iin, TaxpayerId};
pub use params::{RuleBook, RuleSet};
pub use text::{Lang, Localized};
