//! The law as code: everything qualcert decides lives here, once, with its citation.
//!
//! This crate is pure. It never reads the clock (the caller passes `now`), never touches the
//! file system, the network or a database, and knows nothing of HTTP, SQL or PDF. Data that
//! the law may change (holidays, deadlines, the pass mark) enters as text that this crate
//! parses and checks; the binary decides where that text comes from (embedded defaults or
//! the administrator's imports).

pub mod actor;
pub mod akimat;
pub mod assessment;
pub mod calendar;
pub mod case;
pub mod catalogue;
pub mod certificate;
pub mod citation;
pub mod complaint;
mod dated;
pub mod deadline;
pub mod documents;
pub mod env;
pub mod facts;
pub mod hours;
pub mod ids;
pub mod law;
pub mod numbers;
pub mod params;
pub mod refusal;
pub mod speech;
pub mod tables;
pub mod text;
pub mod vocab;

pub use actor::{Actor, Role};
pub use akimat::AkimatCode;
pub use calendar::{Calendar, CalendarError};
pub use case::{Case, Command};
pub use citation::Citation;
pub use env::Env;
pub use hours::{Receipt, WorkingHours};
pub use ids::{Bin, IdError, Iin, TaxpayerId};
pub use law::Law;
pub use params::{RuleBook, RuleSet};
pub use refusal::Refusal;
pub use text::{Lang, Localized};
