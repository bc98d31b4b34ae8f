//! What every page shares: who is looking, how a page is rendered and how a fault becomes a
//! page, the error summary, and times and numbers as people read them.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use rules::numbers::NumberError;

use crate::edge::i18n::Tr;

/// Who is looking at a page: the header shows their name, home and logout form.
pub(crate) struct Who {
    pub(crate) user: Option<store::User>,
    pub(crate) csrf: String,
    pub(crate) home: &'static str,
    /// Staff see the reports in the navigation.
    pub(crate) staff: bool,
}

impl From<Option<crate::edge::session::Session>> for Who {
    fn from(s: Option<crate::edge::session::Session>) -> Who {
        match s {
            Some(s) => Who {
                home: crate::edge::auth::home_of(s.user.role),
                staff: s.user.role != rules::Role::Applicant,
                csrf: s.csrf,
                user: Some(s.user),
            },
            None => Who { user: None, csrf: String::new(), home: "/", staff: false },
        }
    }
}

impl Who {
    /// Nobody logged in, with the token the CSRF guard gave this page's forms.
    pub(crate) fn anonymous(csrf: String) -> Who {
        Who { user: None, csrf, home: "/", staff: false }
    }

    /// Whether this person may apply: an applicant, or someone not yet logged in (the form
    /// asks them to). Staff never file, so no page offers them the form.
    pub(crate) fn may_apply(&self) -> bool {
        self.user.as_ref().is_none_or(|u| u.role == rules::Role::Applicant)
    }
}

/// An event's instant on the wall clock of the akimat it belongs to (`02.03.2026 10:15`).
pub(crate) fn local_time(store: &store::Store, akimat: &str, at_ms: i64) -> String {
    let at = jiff::Timestamp::from_millisecond(at_ms).unwrap_or_default();
    match store.reference().hours.get(akimat) {
        Some(h) => h.zone.to_datetime(at).strftime("%d.%m.%Y %H:%M").to_string(),
        None => at.to_string(),
    }
}

/// One refusal as an error summary (`error_summary.html`): its message, linked to `focus`.
pub(crate) fn summary_of(error: Option<&str>, focus: Option<&str>) -> Vec<(String, String)> {
    error.map(|e| (focus.unwrap_or_default().to_owned(), e.to_owned())).into_iter().collect()
}

pub(crate) fn render(page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => crate::edge::error::PageError::from(e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    t: Tr,
    who: Who,
    path: &'static str,
    heading: String,
    message: String,
    id: Option<String>,
}

/// A fault as a page: its message, and the error id when the fault is ours.
pub(crate) fn error_page(fault: &crate::edge::error::Fault, t: Tr) -> Response {
    let heading = if fault.status == StatusCode::NOT_FOUND { t.t("error-not-found") } else { t.t("error-title") };
    let page =
        ErrorPage { message: fault.message(&t), heading, id: fault.id.clone(), who: Who::from(None), path: "/", t };
    match page.render() {
        Ok(html) => Html(html).into_response(),
        // The error page itself failed: plain words, still without the cause.
        Err(_) => "error".into_response(),
    }
}

/// A number typed by a person, explained in their language when it does not parse.
pub(crate) fn number_error(t: &Tr, e: &NumberError, example: &str) -> String {
    match e {
        NumberError::Format(..) => t.ta("error-number-format", &[("example", example.to_owned())]),
        NumberError::Check { .. } => t.t("error-number-check"),
    }
}

/// An identifier error in the person's language: which check failed.
pub(crate) fn id_error(t: &Tr, e: &rules::ids::IdError) -> String {
    let args: Vec<(&'static str, String)> = match e {
        rules::ids::IdError::Length { found } => vec![("found", found.to_string())],
        rules::ids::IdError::NotDigit { position, found } => {
            vec![("position", position.to_string()), ("found", found.to_string())]
        }
        rules::ids::IdError::CheckDigit { expected, found } => {
            vec![("expected", expected.to_string()), ("found", found.to_string())]
        }
        rules::ids::IdError::CenturyDigit { digit }
        | rules::ids::IdError::EntityType { digit }
        | rules::ids::IdError::Attribute { digit } => {
            vec![("digit", digit.to_string())]
        }
        _ => vec![],
    };
    t.ta(e.code(), &args)
}
