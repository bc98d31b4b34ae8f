//! The JSON API under `/api/v1`: the same public operations as the pages. Errors are
//! `application/problem+json` (RFC 9457), with the paragraph of the law when the law refuses.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rules::Citation;
use rules::assessment::{AssessmentError, assess};
use rules::numbers::{CaseNumber, CertificateNumber};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::api::dto::{
    ApiJson, ApiQuery, AssessmentBody, CalculatorRequest, CaseStatusBody, CertificateViewBody, Line,
};
use crate::edge::AppState;
use crate::edge::api_doc::*;
use crate::edge::error::{ApiError, PageError, Said};
use crate::edge::i18n::Tr;
use crate::edge::view::number_error;
use crate::shared::lookup;

/// The code from a certificate's QR link.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct LinkCode {
    /// The code from the certificate's QR link; the answer's `link_matches` says whether it
    /// belongs to this number.
    #[param(value_type = Line, required = false)]
    t: Option<Line>,
}

/// A number that is not of its shape is a bad request; one whose check character fails has
/// the right shape but names nothing, so it is not found, with where the typo is.
fn mistyped(t: &Tr, e: &rules::numbers::NumberError, example: &str) -> ApiError {
    let status = match e {
        rules::numbers::NumberError::Format(..) => StatusCode::BAD_REQUEST,
        rules::numbers::NumberError::Check { .. } => StatusCode::NOT_FOUND,
    };
    ApiError::new(status, "mistyped-number", Said::Text(number_error(t, e, example)))
}

/// Verify a certificate: genuine, its status today, the holder's name masked.
#[utoipa::path(get, path = "/api/v1/certificates/{number}", tag = "public",
    params(CertificateNumberPath, LinkCode, Lang),
    responses((status = 200, description = "The certificate", body = CertificateViewBody), PROBLEMS_400, PROBLEMS_404, PROBLEMS_429, PROBLEMS_503))]
pub(crate) async fn certificate(
    State(state): State<AppState>,
    t: Tr,
    Path(number): Path<String>,
    ApiQuery(link): ApiQuery<LinkCode>,
) -> Result<Json<CertificateViewBody>, ApiError> {
    let number = CertificateNumber::parse(&number).map_err(|e| mistyped(&t, &e, "AST-2026-00042-K"))?;
    let mut v = lookup::certificate(&state, &number, t.lang)
        .await?
        .ok_or_else(|| ApiError::key(StatusCode::NOT_FOUND, "not-genuine", "verify-not-genuine"))?;
    v.link_matches = match (&state.office, link.t.as_ref().map(|t| t.0.trim())) {
        (Some(office), Some(code)) if !code.is_empty() => Some(office.token_matches(&v.number, code)),
        _ => None,
    };
    Ok(Json(v.into()))
}

/// A status look-up.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusQuery {
    /// The case number, e.g. `Z-AST-2026-000123-P`.
    #[schema(pattern = "^[Zz]-[A-Za-z]{3}-[0-9]{4}-[0-9]{6}-[0-9A-Za-z]$")]
    pub case: String,
    /// The applicant's identity document number.
    pub document: Line,
}

/// The status of an application, by case number and identity document number (R3.8).
#[utoipa::path(post, path = "/api/v1/status", tag = "public", params(Lang), request_body = StatusQuery,
    responses((status = 200, description = "The status", body = CaseStatusBody), PROBLEMS_400, PROBLEMS_404, PROBLEMS_415, PROBLEMS_422, PROBLEMS_429, PROBLEMS_503))]
pub(crate) async fn status(
    State(state): State<AppState>,
    t: Tr,
    ApiJson(q): ApiJson<StatusQuery>,
) -> Result<Json<CaseStatusBody>, ApiError> {
    let number = CaseNumber::parse(&q.case).map_err(|e| mistyped(&t, &e, "Z-AST-2026-000123-P"))?;
    let found = lookup::case_status(&state, &number, &q.document.0, t.lang).await?;
    found.map(|s| Json(s.into())).ok_or_else(|| ApiError::not_found("status-not-found"))
}

/// Self-assessment with the Commission's own engine (R4.5): the points, line by line, and
/// whether they reach the pass mark.
#[utoipa::path(post, path = "/api/v1/calculator", tag = "public", params(Lang), request_body = CalculatorRequest,
    responses((status = 200, description = "The breakdown", body = AssessmentBody), PROBLEMS_400, PROBLEMS_415, PROBLEMS_422, PROBLEMS_503))]
pub(crate) async fn calculator(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<CalculatorRequest>,
) -> Result<Json<AssessmentBody>, ApiError> {
    let law = &state.store.reference().law;
    let in_force = law
        .in_force_on(state.today())
        .map_err(|r| ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "no-rules", Said::Refusal(r)))?;
    let a = assess(&req.answers(), in_force.criteria, &in_force.rules.terms.pass_mark_points).map_err(|e| {
        let (AssessmentError::UnknownCriterion(c) | AssessmentError::InvalidAnswer { criterion: c, .. }) = e;
        let field = vec![("field", format!("answers.{c}"))];
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            Said::Cited("error-json-field-invalid", field, Citation::new("Rules §10")),
        )
    })?;
    Ok(Json(AssessmentBody::from(&a)))
}

/// The process answers.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "ok", body = String, content_type = "text/plain")))]
pub(crate) async fn healthz() -> &'static str {
    "ok"
}

/// The database answers (a cheap query), and the chain of events is not found broken: a node
/// whose log was edited is taken out of the balancer until an operator acts (issue 35).
#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses((status = 200, description = "ready", body = String, content_type = "text/plain"), PROBLEMS_503))]
pub(crate) async fn readyz(State(state): State<AppState>) -> Result<&'static str, ApiError> {
    state.store.ping().await?;
    if state.store.chain_broken().is_some() {
        return Err(ApiError::key(StatusCode::SERVICE_UNAVAILABLE, "chain-broken", "readyz-chain-broken"));
    }
    Ok("ready")
}

/// `GET /metrics`, for administrators.
pub(crate) async fn metrics(
    State(state): State<AppState>,
    headers: HeaderMap,
    crate::edge::auth::MaybeSession(session): crate::edge::auth::MaybeSession,
) -> Result<Response, PageError> {
    let by_session = session.is_some_and(|s| s.user.role == rules::Role::Administrator);
    let by_token = match crate::edge::api_user::bearer_user(&headers, &state).await? {
        Some(u) => u.role == rules::Role::Administrator,
        None => false,
    };
    if !(by_session || by_token) {
        return Err(PageError::forbidden());
    }
    let (commits, commands) = state.store.writer_stats();
    metrics::gauge!("qualcert_writer_commits").set(commits as f64);
    metrics::gauge!("qualcert_writer_commands").set(commands as f64);
    let Some(h) = crate::edge::metrics::handle() else {
        return Err(PageError::ours(StatusCode::INTERNAL_SERVER_ERROR, &"the metrics recorder is not installed"));
    };
    Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], h.render()).into_response())
}
