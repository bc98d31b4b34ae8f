//! Errors of the API as RFC 9457 problem documents, in the caller's language, with the
//! paragraph of the law when the law refused.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::edge::error::{Fault, Said};
use crate::edge::i18n::Tr;

/// An RFC 9457 problem: every error of the API has this shape.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem, e.g. `/problems/refused`.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind, in the caller's language.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// For a person, in their language; with the error id when the fault is the service's.
    pub detail: String,
    /// The paragraph of the law applied, e.g. `App.2 item 9.2`, when the law refuses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<String>,
}

/// A problem response.
pub fn problem(status: StatusCode, kind: &str, title: &str, detail: String, citation: Option<String>) -> Response {
    let body = Problem {
        kind: format!("/problems/{kind}"),
        title: title.to_owned(),
        status: status.as_u16(),
        detail,
        citation,
    };
    (status, [(header::CONTENT_TYPE, "application/problem+json")], serde_json::to_string(&body).unwrap_or_default())
        .into_response()
}

/// A fault as a problem: the title and detail in the request's language, the paragraph when
/// the law refused, the error id when the fault is ours.
pub(crate) fn problem_of(fault: &Fault, t: &Tr) -> Response {
    let citation = match &fault.said {
        Said::Refusal(r) => Some(r.citation.to_string()),
        Said::Cited(_, _, c) => Some(c.to_string()),
        _ => None,
    };
    let key = format!("problem-{}", fault.kind);
    let title = if rules::speech::has(t.lang, &key) { t.t(&key) } else { t.t("problem-problem") };
    let mut detail = fault.message(t);
    if let Some(id) = &fault.id {
        detail = format!("{detail} {}", t.ta("error-id", &[("id", id.clone())]));
    }
    problem(fault.status, fault.kind, &title, detail, citation)
}
