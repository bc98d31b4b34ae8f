//! Application cases: one application for one service (issue, extend, re-issue, duplicate),
//! as a state machine. A command is checked against the transition table, the role, the
//! akimat and the rules in force, and answers with events or a [`Refusal`] that names its
//! paragraph. A case's state is the fold of its events ([`Case::apply`]).
//!
//! ```text
//! Submitted ─► NotAccepted (incomplete or expired documents, App.2 item 9)
//!     │ register (App.2 item 7: on the day it counts as received)
//!     ▼
//! Registered ──forward ≤2 WD (Rules §7)──► WithCommission ──decide ≤3 WD (Rules §9)──► Decided
//!     │ extend / re-issue / duplicate ≤3 WD (Rules §16, §22, §22-1)                   │ issue / refuse
//!     ▼                                                                               ▼ (≤5 WD, App.2 item 3)
//! Completed | Refused                                                         Completed | Refused
//! ```

mod acts;
mod application;
mod commands;
mod commission;
mod filing;
mod kind;
mod outcome;
mod record;
mod results;
mod wire;

pub use crate::vocab::{CommandKind, Ground, ServiceKind, State};
pub use acts::*;
pub use application::*;
pub use commands::*;
pub use commission::*;
pub use filing::*;
pub use kind::*;
pub use outcome::*;
pub use record::*;
pub use results::*;
