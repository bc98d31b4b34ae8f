//! The middle floor: what a page and the API do alike, so that both answer the same. The public
//! look-ups, every EDS signature a person makes (the application, the minutes, the result) and
//! how it is checked, the signed documents, notices in words, and the demo's accounts. It
//! stands on `edge` and imports nothing from `pages`, `api` or `jobs`.

pub(crate) mod access_log;
pub(crate) mod application;
pub(crate) mod authorised;
pub mod demo;
pub(crate) mod documents;
pub(crate) mod lookup;
pub(crate) mod minutes;
pub(crate) mod notices;
pub(crate) mod period;
pub(crate) mod signing;
