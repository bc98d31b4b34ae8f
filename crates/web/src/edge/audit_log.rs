//! The audit log's lines as the edge writes them: a login, a failed password, a change to an
//! account, each with who did it and from where. The administrator's page reads them.

use axum::http::StatusCode;
use store::{AuditEntry, User};

use crate::edge::AppState;
use crate::edge::error::PageError;
use crate::edge::session::Client;

/// Kazakhstan keeps one time zone; the log is read in it.
pub(crate) const ZONE: &str = "Asia/Almaty";

/// An instant as people here read it: `dd.mm.yyyy hh:mm`, Kazakhstan's time.
pub(crate) fn kz_time(at_ms: i64) -> String {
    let zone = jiff::tz::TimeZone::get(ZONE).unwrap_or(jiff::tz::TimeZone::UTC);
    zone.to_datetime(jiff::Timestamp::from_millisecond(at_ms).unwrap_or_default())
        .strftime("%d.%m.%Y %H:%M")
        .to_string()
}

/// A line for the audit log, made now.
pub(crate) fn entry(
    actor: Option<&User>,
    action: &str,
    subject: Option<&str>,
    detail: &str,
    client: &Client,
) -> Result<AuditEntry, PageError> {
    let id = crate::edge::random::token().map_err(|e| PageError::ours(StatusCode::SERVICE_UNAVAILABLE, &e))?;
    Ok(AuditEntry {
        id: id[..24].to_owned(),
        at_ms: jiff::Timestamp::now().as_millisecond(),
        actor: actor.map(|u| u.id.clone()),
        action: action.to_owned(),
        subject: subject.map(str::to_owned),
        detail: detail.to_owned(),
        address: client.0.clone(),
    })
}

/// Records something that changes nothing else (a login, a failed password).
pub(crate) async fn note(
    state: &AppState,
    actor: Option<&User>,
    action: &str,
    subject: Option<&str>,
    detail: &str,
    client: &Client,
) -> Result<(), PageError> {
    state.store.audit(&entry(actor, action, subject, detail, client)?).await?;
    Ok(())
}
