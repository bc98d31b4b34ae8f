//! The cabinet's inbox: a notice for every step of the person's cases, certificates and
//! complaints (`store::notifications`), said in the page's language when read, each linking
//! to what it concerns. Reading marks what was shown, not what arrived since.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::edge::AppState;
use crate::edge::auth::LoggedIn;
use crate::edge::error::PageError;
use crate::edge::forms::{Form, FormSpec};
use crate::edge::i18n::Tr;
use crate::edge::view::{Who, render};
use crate::shared::notices::said;

/// How many notices the page shows, newest first.
const SHOWN: i64 = 200;

/// One notice as the page shows it.
struct Line {
    when: String,
    text: String,
    href: String,
    unread: bool,
}

#[derive(Template)]
#[template(path = "inbox.html")]
struct InboxPage {
    t: Tr,
    who: Who,
    path: &'static str,
    lines: Vec<Line>,
    unread: usize,
    /// The newest notice shown: reading marks up to it.
    newest: i64,
}

pub(crate) async fn page(State(state): State<AppState>, t: Tr, LoggedIn(s): LoggedIn) -> Result<Response, PageError> {
    // Notices are addressed to a proven IIN; an account without one has none.
    let notices = match &s.user.iin {
        Some(iin) => state.store.inbox(iin, SHOWN).await?,
        None => Vec::new(),
    };
    let zone = jiff::tz::TimeZone::get("Asia/Almaty").unwrap_or(jiff::tz::TimeZone::UTC);
    let lines: Vec<Line> = notices
        .iter()
        .map(|n| {
            let (text, href) = said(&t, n);
            let at = jiff::Timestamp::from_millisecond(n.at_ms).unwrap_or_default();
            Line {
                when: zone.to_datetime(at).strftime("%d.%m.%Y %H:%M").to_string(),
                text,
                href,
                unread: n.read_ms.is_none(),
            }
        })
        .collect();
    let page = InboxPage {
        unread: lines.iter().filter(|l| l.unread).count(),
        newest: notices.first().map_or(0, |n| n.global_seq),
        lines,
        who: Some(s).into(),
        path: "/inbox",
        t,
    };
    Ok(render(&page))
}

#[derive(Deserialize)]
pub(crate) struct ReadForm {
    /// The newest notice the page showed.
    up_to: i64,
}

impl FormSpec for ReadForm {}

/// Marks the notices the page showed as read.
pub(crate) async fn read(
    State(state): State<AppState>,
    LoggedIn(s): LoggedIn,
    Form(f): Form<ReadForm>,
) -> Result<Response, PageError> {
    if let Some(iin) = &s.user.iin {
        state.store.mark_read(iin, f.up_to, jiff::Timestamp::now().as_millisecond()).await?;
    }
    Ok(Redirect::to("/inbox").into_response())
}

#[derive(Template)]
#[template(path = "access.html")]
struct AccessPage {
    t: Tr,
    who: Who,
    path: &'static str,
    lines: Vec<crate::shared::access_log::AccessLine>,
}

/// `GET /account/access`: who among the state's staff read the person's records, and why.
pub(crate) async fn access(State(state): State<AppState>, t: Tr, LoggedIn(s): LoggedIn) -> Result<Response, PageError> {
    let reads = match &s.user.iin {
        Some(iin) => state.store.access_of(iin, crate::shared::access_log::SHOWN).await?,
        None => Vec::new(),
    };
    let law = &state.store.reference().law;
    let lines = reads.iter().map(|r| crate::shared::access_log::line(&t, law, r)).collect();
    Ok(render(&AccessPage { lines, who: Some(s).into(), path: "/account/access", t }))
}
