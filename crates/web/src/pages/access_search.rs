//! `GET /admin/access`: the administrator searches who among the state's staff read people's
//! records (issue 36): of one person (by IIN), by one staff member (by login), in a period.
//! The person sees their own list on `/account/access`; this is the same record, searched by
//! whoever answers for the service, with staff named by name and login. Each search is itself
//! a line of the audit log, so looking at who looked is looked at too.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::edge::AppState;
use crate::edge::auth::Admin;
use crate::edge::error::PageError;
use crate::edge::i18n::Tr;
use crate::edge::session::Client;
use crate::edge::view::{Who, render};

use super::audit::day_start;

/// The most reads shown at once, newest first.
const SHOWN: i64 = 500;

#[derive(Deserialize)]
pub(crate) struct AccessQuery {
    /// Whose records: an IIN.
    #[serde(default)]
    person: String,
    /// By whom: a staff member's login.
    #[serde(default)]
    staff: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

#[derive(Template)]
#[template(path = "admin_access.html")]
struct AccessSearchPage {
    t: Tr,
    who: Who,
    path: &'static str,
    person: String,
    staff: String,
    from: String,
    to: String,
    error: Option<String>,
    /// (when, staff member, whose, what, its page, why)
    lines: Vec<[String; 6]>,
    more: bool,
}

pub(crate) async fn page(
    State(state): State<AppState>,
    t: Tr,
    client: Client,
    Admin(s): Admin,
    Query(q): Query<AccessQuery>,
) -> Result<Response, PageError> {
    let accounts = state.store.accounts().await?;
    let (search, error) = search_of(&q, &t, &accounts);
    let found = match &error {
        Some(_) => Vec::new(),
        None => state.store.search_access(&search).await?,
    };
    if error.is_none() && (search.subject.is_some() || search.reader_id.is_some()) {
        let detail = [q.person.trim(), q.staff.trim()].join(" ");
        crate::edge::audit_log::note(&state, Some(&s.user), "access-searched", None, detail.trim(), &client).await?;
    }
    let names: HashMap<&str, String> =
        accounts.iter().map(|a| (a.user.id.as_str(), format!("{} ({})", a.user.name, a.user.login))).collect();
    let law = &state.store.reference().law;
    let more = found.len() as i64 > SHOWN;
    let lines = found
        .iter()
        .take(SHOWN as usize)
        .map(|read| {
            let l = crate::shared::access_log::line(&t, law, read);
            let reader = names.get(read.reader_id.as_str()).cloned().unwrap_or_else(|| read.reader_id.clone());
            [l.when, format!("{reader}: {}", l.who), read.subject_iin.clone(), l.what, l.href, l.why]
        })
        .collect();
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = AccessSearchPage {
        person: q.person.trim().to_owned(),
        staff: q.staff.trim().to_owned(),
        from: q.from.trim().to_owned(),
        to: q.to.trim().to_owned(),
        error,
        lines,
        more,
        who: Some(s).into(),
        path: "/admin/access",
        t,
    };
    Ok((status, render(&page)).into_response())
}

/// The search the form asks for, or what is wrong with it in the administrator's words.
fn search_of(q: &AccessQuery, t: &Tr, accounts: &[store::Account]) -> (store::access::AccessSearch, Option<String>) {
    let zone = jiff::tz::TimeZone::get(crate::edge::audit_log::ZONE).unwrap_or(jiff::tz::TimeZone::UTC);
    // One more than is shown, to know whether there are more.
    let mut search = store::access::AccessSearch { limit: SHOWN + 1, ..Default::default() };
    let mut error = None;
    match (day_start(&zone, &q.from, false), day_start(&zone, &q.to, true)) {
        (Some(from), Some(to)) => (search.from_ms, search.to_ms) = (from, to),
        _ => error = Some(t.t("audit-bad-date")),
    }
    let person = q.person.trim();
    if !person.is_empty() {
        match rules::Iin::parse(person) {
            Ok(iin) => search.subject = Some(iin),
            Err(e) => error = Some(crate::edge::view::id_error(t, &e)),
        }
    }
    let staff = q.staff.trim();
    if !staff.is_empty() {
        match accounts.iter().find(|a| a.user.login == staff) {
            Some(a) => search.reader_id = Some(a.user.id.clone()),
            None => error = Some(t.t("audit-no-person")),
        }
    }
    (search, error)
}
