//! The ground floor: what every page and API handler stands on. The state, errors and how they
//! are said, CSRF, sessions and the role extractors, limits, tracing and metrics, typed forms,
//! languages, and how a page is rendered. Nothing here imports from above it.

pub(crate) mod access;
pub(crate) mod api_doc;
pub(crate) mod api_user;
pub(crate) mod audit_log;
pub(crate) mod auth;
pub(crate) mod csrf;
pub(crate) mod error;
pub(crate) mod forms;
pub(crate) mod i18n;
pub(crate) mod limits;
pub(crate) mod metrics;
pub(crate) mod passwords;
pub(crate) mod problem;
pub(crate) mod random;
pub(crate) mod session;
pub(crate) mod speak;
pub(crate) mod state;
pub(crate) mod trace;
pub(crate) mod view;

pub use state::AppState;
