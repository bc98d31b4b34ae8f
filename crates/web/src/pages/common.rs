//! What the pages of people who log in share: refusals without a page, and the data names of choices.

use axum::http::StatusCode;

use crate::edge::error::PageError;

/// A multipart body that breaks off or exceeds the limit, in the person's language.
pub(crate) fn unreadable(status: StatusCode) -> PageError {
    let said = crate::edge::error::Said::Key("error-body-unreadable");
    PageError::of(crate::edge::error::Fault::new(status, "invalid", said))
}

/// The serialized name of a value (`identity-document`).
pub(crate) fn name_of(v: &impl serde::Serialize) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}
