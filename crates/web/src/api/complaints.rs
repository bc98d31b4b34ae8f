//! Complaints through the API (Rules §24, §25): filed by the applicant, read, and acted on by
//! the akimat and the reviewing body, under the same rules as on the pages.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::cases::{IfMatch, WriteHeaders, etag, idempotency_key, if_match, written};
use crate::api::dto::{ApiJson, AppliedBody, ComplaintBody, ComplaintCommandBody, FilingBody};
use crate::edge::AppState;
use crate::edge::api_doc::*;
use crate::edge::api_user::ApiUser;
use crate::edge::error::ApiError;
use store::Request;

/// File a complaint (Rules §24, §25).
#[utoipa::path(post, path = "/api/v1/complaints", tag = "complaints", security(("session" = [])),
    params(WriteHeaders, Lang), request_body = FilingBody,
    responses((status = 201, description = "Filed", body = AppliedBody), (status = 200, description = "The first answer to this Idempotency-Key", body = AppliedBody),
        PROBLEMS_400, PROBLEMS_401, PROBLEMS_403, PROBLEMS_409, PROBLEMS_415, PROBLEMS_422, PROBLEMS_503))]
pub(crate) async fn file_complaint(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    headers: HeaderMap,
    ApiJson(filing): ApiJson<FilingBody>,
) -> Result<Response, ApiError> {
    let request = Request::FileComplaint { filing: filing.into_domain()? };
    let key = idempotency_key(&headers);
    let applied = state.store.execute(user.actor(), jiff::Timestamp::now(), request, key.as_deref()).await?;
    let location = format!("/api/v1/complaints/{}", applied.number);
    let status = if applied.replayed { StatusCode::OK } else { StatusCode::CREATED };
    Ok(written(status, Some(location), applied))
}

/// A complaint, with its version as ETag.
#[utoipa::path(get, path = "/api/v1/complaints/{number}", tag = "complaints", security(("session" = [])), params(CaseNumberPath, Lang),
    responses((status = 200, description = "The complaint", body = ComplaintBody), PROBLEMS_401, PROBLEMS_404, PROBLEMS_503))]
pub(crate) async fn get_complaint(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(number): Path<String>,
) -> Result<Response, ApiError> {
    let c = crate::edge::access::api_complaint(&state, &user, &number).await?;
    Ok(([(header::ETAG, etag(c.version))], Json(ComplaintBody::from(&c))).into_response())
}

/// Forward, satisfy in full, or decide a complaint.
#[utoipa::path(post, path = "/api/v1/complaints/{number}/actions", tag = "complaints", security(("session" = [])),
    params(CaseNumberPath, IfMatch, WriteHeaders, Lang), request_body = ComplaintCommandBody,
    responses((status = 200, description = "Applied", body = AppliedBody), PROBLEMS_400, PROBLEMS_401, PROBLEMS_403, PROBLEMS_404, PROBLEMS_409, PROBLEMS_412, PROBLEMS_415, PROBLEMS_422, PROBLEMS_503))]
pub(crate) async fn complaint_act(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(number): Path<String>,
    headers: HeaderMap,
    ApiJson(command): ApiJson<ComplaintCommandBody>,
) -> Result<Response, ApiError> {
    let c = crate::edge::access::api_complaint(&state, &user, &number).await?;
    let expected = if_match(&headers)?;
    let key = idempotency_key(&headers);
    let request = Request::Complaint { number: c.number, expected_version: expected, command: command.into() };
    let applied = state.store.execute(user.actor(), jiff::Timestamp::now(), request, key.as_deref()).await?;
    Ok(written(StatusCode::OK, None, applied))
}
