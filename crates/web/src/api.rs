//! The JSON API under `/api/v1`: the same public operations as the pages. Errors are
//! `application/problem+json` (RFC 9457), with the paragraph of the law when the law refuses.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use rules::assessment::{Answers, assess};
use rules::numbers::{CaseNumber, CertificateNumber};
use serde::{Deserialize, Serialize};

use crate::error::{Fault, Said};
use crate::i18n::Tr;
use crate::pages::number_error;
use crate::{AppState, lookup};

/// An RFC 9457 problem.
#[derive(Debug, Serialize)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// For a person, in their language.
    pub detail: String,
    /// The paragraph of the law that refuses, when it is the law.
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

/// A fault as a problem: the detail in the request's language, the paragraph when the law
/// refused, the error id when the fault is ours.
pub(crate) fn problem_of(fault: &Fault, t: &Tr) -> Response {
    let citation = match &fault.said {
        Said::Refusal(r) => Some(r.citation.to_string()),
        _ => None,
    };
    let title = match fault.kind {
        "refused" => "Refused by the law",
        "conflict" => "Changed by someone else",
        "duplicate" => "Already taken",
        "not-found" => "Not found",
        "forbidden" => "Forbidden",
        "unauthorized" => "Not logged in",
        "unavailable" => "Service unavailable",
        "internal" => "Internal error",
        "invalid" => "Invalid request",
        "document" => "Document problem",
        "idempotency-mismatch" => "Idempotency key reused",
        "rate-limited" => "Too many requests",
        _ => "Problem",
    };
    let mut detail = fault.message(t);
    if let Some(id) = &fault.id {
        detail = format!("{detail} {}", t.ta("error-id", &[("id", id.clone())]));
    }
    problem(fault.status, fault.kind, title, detail, citation)
}

/// The code from a certificate's QR link.
#[derive(Debug, Deserialize)]
pub(crate) struct LinkCode {
    t: Option<String>,
}

pub(crate) async fn certificate(
    State(state): State<AppState>,
    t: Tr,
    Path(number): Path<String>,
    axum::extract::Query(link): axum::extract::Query<LinkCode>,
) -> Response {
    let number = match CertificateNumber::parse(&number) {
        Ok(n) => n,
        Err(e) => {
            return problem(
                StatusCode::BAD_REQUEST,
                "mistyped-number",
                "Mistyped number",
                number_error(&t, &e, "AST-2026-00042-K"),
                None,
            );
        }
    };
    match lookup::certificate(&state, &number, t.lang).await {
        Ok(Some(mut v)) => {
            v.link_matches = match (&state.office, link.t.as_deref().map(str::trim)) {
                (Some(office), Some(code)) if !code.is_empty() => Some(office.token_matches(&v.number, code)),
                _ => None,
            };
            Json(v).into_response()
        }
        Ok(None) => problem(StatusCode::NOT_FOUND, "not-genuine", "Not genuine", t.t("verify-not-genuine"), None),
        Err(e) => crate::error::ApiError::from(e).into_response(),
    }
}

/// A status look-up.
#[derive(Debug, Deserialize)]
pub struct StatusQuery {
    /// The case number.
    pub case: String,
    /// The applicant's identity document number.
    pub document: String,
}

pub(crate) async fn status(State(state): State<AppState>, t: Tr, Json(q): Json<StatusQuery>) -> Response {
    let number = match CaseNumber::parse(&q.case) {
        Ok(n) => n,
        Err(e) => {
            return problem(
                StatusCode::BAD_REQUEST,
                "mistyped-number",
                "Mistyped number",
                number_error(&t, &e, "Z-AST-2026-000123-P"),
                None,
            );
        }
    };
    match lookup::case_status(&state, &number, &q.document, t.lang).await {
        Ok(Some(s)) => Json(s).into_response(),
        Ok(None) => problem(StatusCode::NOT_FOUND, "not-found", "Not found", t.t("status-not-found"), None),
        Err(e) => crate::error::ApiError::from(e).into_response(),
    }
}

/// Answers for the calculator.
#[derive(Debug, Deserialize)]
pub struct CalculatorRequest {
    /// Answers keyed by criterion id.
    pub answers: Answers,
}

/// The calculator's answer: the Commission's engine, breakdown included.
#[derive(Debug, Serialize)]
pub struct CalculatorResponse {
    /// The assessment.
    #[serde(flatten)]
    pub assessment: rules::assessment::Assessment,
    /// Whether it reaches the pass mark.
    pub passed: bool,
}

pub(crate) async fn calculator(State(state): State<AppState>, t: Tr, Json(req): Json<CalculatorRequest>) -> Response {
    let law = &state.store.reference().law;
    let in_force = match law.in_force_on(state.today()) {
        Ok(f) => f,
        Err(r) => {
            return problem(
                StatusCode::SERVICE_UNAVAILABLE,
                "no-rules",
                "No rules in force",
                r.message(t.lang),
                Some(r.citation.to_string()),
            );
        }
    };
    match assess(&req.answers, in_force.criteria, &in_force.rules.terms.pass_mark_points) {
        Ok(a) => Json(CalculatorResponse { passed: a.passed(), assessment: a }).into_response(),
        Err(e) => problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid-answers",
            "Invalid answers",
            e.to_string(),
            Some("Rules §10".into()),
        ),
    }
}

pub(crate) async fn healthz() -> &'static str {
    "ok"
}

pub(crate) async fn readyz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => "ready".into_response(),
        Err(e) => crate::error::ApiError::from(e).into_response(),
    }
}
