//! What every handler shares: the store, this node's rate limits, the signing office.

use jiff::civil::Date;
use store::Store;

use crate::edge::limits;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The store.
    pub store: Store,
    /// Rate limits of this node.
    pub limiter: std::sync::Arc<limits::Limiter>,
    /// The data directory, where the administrator's imports go (none: imports unavailable).
    pub data_dir: Option<std::path::PathBuf>,
    /// Who signs results and which roots signatures must chain to (none: no signed documents).
    pub office: Option<std::sync::Arc<docs::Office>>,
    /// The service's public address, printed in QR codes.
    pub public_url: String,
    /// `serve --demo`: pages also offer "sign with a demo key" (development keys, never an EDS).
    pub demo: bool,
    /// This node sends mail (`QUALCERT_SMTP_URL`): else waiting deliveries are said to wait
    /// for a mail server.
    pub mail: bool,
}

impl AppState {
    /// Today in Kazakhstan (one offset nationwide since 1 March 2024), for the rules in force.
    pub fn today(&self) -> Date {
        self.store
            .today("astana", jiff::Timestamp::now())
            .unwrap_or_else(|_| jiff::tz::TimeZone::UTC.to_datetime(jiff::Timestamp::now()).date())
    }
}
