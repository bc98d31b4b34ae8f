//! Citations: the paragraph of the law a rule, a deadline or a refusal acts under.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};

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
    pub const PERIOD_FROM_NEXT_DAY: Citation =
        Citation::new("Civil Code (a period starts on the day after its event); R12.2");
}
