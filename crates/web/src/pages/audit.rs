//! The audit log: every change to an account (created, password set or reset, disabled,
//! EDS bound, sessions ended, signing authority given), every login and every failed
//! password on an existing account, with who did it and from where. The administrator reads
//! it at `/admin/audit`, filtered by person and period.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use store::{AuditEntry, AuditFilter, User};

use crate::edge::AppState;
use crate::edge::auth::Admin;
use crate::edge::error::PageError;
use crate::edge::i18n::Tr;
use crate::edge::view::{Who, render};

const ZONE: &str = crate::edge::audit_log::ZONE;
/// The most lines one page shows.
const PAGE_LINES: i64 = 500;

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    t: Tr,
    who: Who,
    path: &'static str,
    person: String,
    case: String,
    from: String,
    to: String,
    error: Option<String>,
    /// (when, who, what, whom, detail, address)
    lines: Vec<[String; 6]>,
    more: bool,
}

#[derive(Deserialize, Default)]
pub(crate) struct AuditQuery {
    #[serde(default)]
    person: String,
    /// A case number: what was done on that case (its events) and to it (the log's entries).
    #[serde(default)]
    case: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

/// The signatures kept for a case as lines of its audit (issue 31): who signed what, by the
/// name in their certificate, when it was received. A member's signature names their account,
/// so the filter by person keeps it; the others are kept only when no person is asked for.
async fn signatures_on(
    store: &store::Store,
    case: &str,
    person_id: &str,
    from_ms: i64,
    to_ms: i64,
) -> Result<Vec<AuditEntry>, PageError> {
    let signed = store.case_signatures(case).await?;
    Ok(signed
        .into_iter()
        .enumerate()
        .filter(|(_, s)| s.at_ms >= from_ms && s.at_ms < to_ms)
        .filter(|(_, s)| person_id.is_empty() || s.account.as_deref() == Some(person_id))
        .map(|(i, s)| AuditEntry {
            id: format!("signature-{i}"),
            at_ms: s.at_ms,
            action: match s.on {
                store::SignatureOn::Application => "signed-application",
                store::SignatureOn::Minutes => "signed-minutes",
                store::SignatureOn::Document => "signed-document",
            }
            .to_owned(),
            actor: s.account,
            subject: Some(case.to_owned()),
            detail: s.signer,
            address: None,
        })
        .collect())
}

/// `GET /admin/audit?person=LOGIN&from=DATE&to=DATE`.
pub(crate) async fn page(
    State(state): State<AppState>,
    t: Tr,
    Admin(s): Admin,
    Query(q): Query<AuditQuery>,
) -> Result<Response, PageError> {
    let zone = jiff::tz::TimeZone::get(ZONE).unwrap_or(jiff::tz::TimeZone::UTC);
    let accounts = state.store.accounts().await?;
    let by_id: HashMap<&str, &User> = accounts.iter().map(|a| (a.user.id.as_str(), &a.user)).collect();
    let mut error = None;
    let (from_ms, to_ms) = match (day_start(&zone, &q.from, false), day_start(&zone, &q.to, true)) {
        (Some(from), Some(to)) => (from, to),
        _ => {
            error = Some(t.t("audit-bad-date"));
            (0, 0)
        }
    };
    let person = q.person.trim();
    let person_id = match person_id_of(&accounts, person) {
        Some(id) => id,
        None => {
            error = Some(t.t("audit-no-person"));
            "-".to_owned()
        }
    };
    let case = q.case.trim().to_uppercase();
    let events = if case.is_empty() || error.is_some() {
        Vec::new()
    } else {
        let events = state.store.stream(&format!("case/{case}")).await?;
        if events.is_empty() {
            error = Some(t.t("audit-no-case"));
        }
        events
    };
    // With a case, the log is asked for the lines about it (its subject), then narrowed to
    // the person; without, for the person's lines.
    let about = if case.is_empty() { person_id.clone() } else { case.clone() };
    let filter = AuditFilter { person: about, from_ms, to_ms, limit: PAGE_LINES + 1 };
    let mut found = if error.is_some() { Vec::new() } else { state.store.audit_log(&filter).await? };
    if !case.is_empty() {
        found = case_timeline(&state, &t, found, &events, &case, &person_id, (from_ms, to_ms)).await?;
    }
    let more = found.len() > PAGE_LINES as usize;
    let lines = found.iter().take(PAGE_LINES as usize).map(|e| audit_line(&state, &t, &zone, &by_id, e)).collect();
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = AuditPage {
        person: person.to_owned(),
        case,
        from: q.from.trim().to_owned(),
        to: q.to.trim().to_owned(),
        error,
        lines,
        more,
        who: Some(s).into(),
        path: "/admin/audit",
        t,
    };
    Ok((status, render(&page)).into_response())
}

/// A case's timeline, newest first: the log's lines about it (downloads, signatures asked),
/// its own events (who acted on it) and the signatures made on it, narrowed to `person_id`
/// when one is named and to the period `(from_ms, to_ms)`.
async fn case_timeline(
    state: &AppState,
    t: &Tr,
    mut found: Vec<AuditEntry>,
    events: &[store::StoredEvent],
    case: &str,
    person_id: &str,
    (from_ms, to_ms): (i64, i64),
) -> Result<Vec<AuditEntry>, PageError> {
    found.retain(|e| {
        e.subject.as_deref() == Some(case) && (person_id.is_empty() || e.actor.as_deref() == Some(person_id))
    });
    let to = if to_ms == 0 { i64::MAX } else { to_ms };
    found.extend(event_lines(events, case, person_id, from_ms, to, t.lang));
    found.extend(signatures_on(&state.store, case, person_id, from_ms, to).await?);
    found.sort_by(|a, b| b.at_ms.cmp(&a.at_ms).then_with(|| a.id.cmp(&b.id)));
    Ok(found)
}

/// The id of the account whose login is `person`: empty for no one named, `None` for a login
/// no account has.
fn person_id_of(accounts: &[store::Account], person: &str) -> Option<String> {
    if person.is_empty() {
        return Some(String::new());
    }
    accounts.iter().find(|a| a.user.login == person).map(|a| a.user.id.clone())
}

/// One line of the log as the page shows it: when, who, what, about whom or what, the
/// detail, from where.
fn audit_line(
    state: &AppState,
    t: &Tr,
    zone: &jiff::tz::TimeZone,
    by_id: &HashMap<&str, &User>,
    e: &AuditEntry,
) -> [String; 6] {
    let name = |id: &Option<String>| match id {
        Some(id) => by_id.get(id.as_str()).map_or_else(|| id.clone(), |u| format!("{} ({})", u.name, u.login)),
        None => "—".to_owned(),
    };
    let at = jiff::Timestamp::from_millisecond(e.at_ms).unwrap_or_default();
    [
        zone.to_datetime(at).strftime("%d.%m.%Y %H:%M:%S").to_string(),
        name(&e.actor),
        // A case's event is named as on the case's page; the log's own actions as the log.
        if e.action.starts_with("event-") { t.t(&e.action) } else { t.t(&format!("audit-{}", e.action)) },
        name(&e.subject),
        detail_of(state, t, e),
        e.address.clone().unwrap_or_default(),
    ]
}

/// The first instant of the day typed in `text` in the log's zone, or of the day after it
/// (`next_day`), ms since the epoch; 0 for no day typed, `None` for a day that is not one.
pub(crate) fn day_start(zone: &jiff::tz::TimeZone, text: &str, next_day: bool) -> Option<i64> {
    if text.trim().is_empty() {
        return Some(0);
    }
    let d = crate::edge::forms::parse_date(text)?;
    let d = if next_day { d.tomorrow().ok()? } else { d };
    Some(zone.to_timestamp(d.to_datetime(jiff::civil::Time::midnight())).map_or(0, |z| z.as_millisecond()))
}

/// A line's detail in words: how someone logged in, the akimat an act concerned, the role
/// and akimat of a new account; otherwise as recorded.
fn detail_of(state: &AppState, t: &Tr, e: &AuditEntry) -> String {
    match e.action.as_str() {
        "login" => t.t(&format!("audit-via-{}", e.detail)),
        "signing-authority" | "hours-changed" => state.store.reference().law.akimat_name(&e.detail, t.lang),
        "account-created" => {
            let mut parts = e.detail.split(' ');
            let role = parts
                .next()
                .and_then(|r| serde_json::from_value::<rules::Role>(serde_json::Value::String(r.to_owned())).ok());
            let akimat = parts.next().map(|a| state.store.reference().law.akimat_name(a, t.lang));
            [role.map(|r| r.name(t.lang).to_owned()), akimat].into_iter().flatten().collect::<Vec<_>>().join(", ")
        }
        _ => e.detail.clone(),
    }
}

/// A case's events as lines of its audit, named as on the case's page, within the period and
/// of the person asked for.
fn event_lines(
    events: &[store::StoredEvent],
    case: &str,
    person_id: &str,
    from_ms: i64,
    to_ms: i64,
    lang: rules::Lang,
) -> Vec<AuditEntry> {
    events
        .iter()
        .filter(|e| e.at_ms >= from_ms && e.at_ms < to_ms)
        .filter(|e| person_id.is_empty() || e.actor == person_id)
        .map(|e| AuditEntry {
            id: format!("{}-{}", e.stream, e.stream_seq),
            at_ms: e.at_ms,
            actor: Some(e.actor.clone()),
            action: format!("event-{}", e.kind),
            subject: Some(case.to_owned()),
            detail: rules::Citation::owned(e.citation.clone()).localized(lang),
            address: None,
        })
        .collect()
}
