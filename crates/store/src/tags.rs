//! The names serde gives values (`"issue"`, `"registered"`): how kinds and states are kept in
//! the query tables, so SQL can filter on them.

use serde::Serialize;

/// The serde tag of a value (`"event"`, `"state"` …) or the value itself when it is a string.
pub(crate) fn tag_of(value: &impl Serialize, field: &str) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(v) => v.get(field).and_then(|t| t.as_str()).unwrap_or("").to_owned(),
        Err(_) => String::new(),
    }
}
