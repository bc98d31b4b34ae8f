//! The authenticated part of the API: a session token in `Authorization: Bearer`, never a
//! cookie (so no request can be forged from another site). Writes take `Idempotency-Key`;
//! acting on a case takes `If-Match` with the case's ETag, so two clients never overwrite
//! each other.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rules::Role;
use serde::{Deserialize, Serialize};
use store::Request;
use utoipa::{IntoParams, ToSchema};

use crate::api::dto::{
    ApiJson, ApiQuery, ApplicationBody, AppliedBody, Bounded, CaseActionBody, CaseBody, QueueRowBody,
};
use crate::edge::AppState;
use crate::edge::api_doc::*;
use crate::edge::api_user::ApiUser;
use crate::edge::error::ApiError;

/// The `Idempotency-Key` and `If-Match` headers a write may carry.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code, reason = "read from the headers by hand; declared for the OpenAPI document")]
pub(crate) struct WriteHeaders {
    /// Retrying a request with the same key returns the first answer and writes nothing new.
    #[param(rename = "Idempotency-Key", value_type = String, required = false, max_length = 200, pattern = "^[!-~]+$")]
    idempotency_key: Option<String>,
}

/// The `If-Match` header of a write to a versioned record.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code, reason = "read from the headers by hand; declared for the OpenAPI document")]
pub(crate) struct IfMatch {
    /// The record's ETag (`"v3"`): refused with 412 if someone changed it meanwhile.
    #[param(rename = "If-Match", value_type = String, required = false, pattern = "^(W/)?\"v[0-9]{1,9}\"$")]
    if_match: Option<String>,
}

pub(super) fn idempotency_key(headers: &HeaderMap) -> Option<String> {
    headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty() && s.len() <= 200)
}

/// `"v3"` for version 3: the case's ETag.
pub(super) fn etag(version: u64) -> String {
    format!("\"v{version}\"")
}

pub(super) fn if_match(headers: &HeaderMap) -> Result<Option<u64>, ApiError> {
    let Some(v) = headers.get(header::IF_MATCH) else { return Ok(None) };
    v.to_str()
        .ok()
        .and_then(|v| v.trim().trim_start_matches("W/").trim_matches('"').strip_prefix('v')?.parse().ok())
        .map(Some)
        .ok_or_else(|| ApiError::key(StatusCode::BAD_REQUEST, "if-match", "error-if-match"))
}

/// A stored document.
#[derive(Debug, Serialize, ToSchema)]
pub struct Uploaded {
    /// SHA-256, to reference in an application.
    pub sha256: String,
    /// Size.
    pub size: usize,
    /// Type judged from the content.
    pub media_type: String,
}

/// Upload a document (PDF, PNG or JPEG, judged by its content; App.2 item 8).
#[utoipa::path(post, path = "/api/v1/documents", tag = "applicant", security(("session" = [])), params(Lang),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file's bytes"),
    responses((status = 201, description = "Stored", body = Uploaded), PROBLEMS_401, PROBLEMS_403, PROBLEMS_413, PROBLEMS_422, PROBLEMS_503))]
pub(crate) async fn upload(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    body: Bytes,
) -> Result<(StatusCode, Json<Uploaded>), ApiError> {
    if user.role != Role::Applicant {
        return Err(ApiError::forbidden("error-forbidden"));
    }
    let r = state.store.upload(&user.id, &body, jiff::Timestamp::now().as_millisecond()).await?;
    Ok((StatusCode::CREATED, Json(Uploaded { sha256: r.sha256, size: r.size, media_type: r.media_type })))
}

/// A write's answer: the status, `Location` for a new record, and the new version as `ETag`.
pub(super) fn written(status: StatusCode, location: Option<String>, applied: store::Applied) -> Response {
    let mut response =
        (status, [(header::ETAG, etag(applied.version))], Json(AppliedBody::from(applied))).into_response();
    if let Some(l) = location.and_then(|l| header::HeaderValue::from_str(&l).ok()) {
        response.headers_mut().insert(header::LOCATION, l);
    }
    response
}

/// File an application (R3.1); acknowledged once durable.
#[utoipa::path(post, path = "/api/v1/applications", tag = "applicant", security(("session" = [])),
    params(WriteHeaders, Lang), request_body = ApplicationBody,
    responses((status = 201, description = "Filed", body = AppliedBody), (status = 200, description = "The first answer to this Idempotency-Key", body = AppliedBody),
        PROBLEMS_400, PROBLEMS_401, PROBLEMS_403, PROBLEMS_409, PROBLEMS_415, PROBLEMS_422, PROBLEMS_503))]
pub(crate) async fn submit(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    headers: HeaderMap,
    ApiJson(app): ApiJson<ApplicationBody>,
) -> Result<Response, ApiError> {
    let request = Request::Submit { application: Box::new(app.into_domain()?) };
    let key = idempotency_key(&headers);
    let applied = state.store.execute(user.actor(), jiff::Timestamp::now(), request, key.as_deref()).await?;
    let location = format!("/api/v1/cases/{}", applied.number);
    let status = if applied.replayed { StatusCode::OK } else { StatusCode::CREATED };
    Ok(written(status, Some(location), applied))
}

/// When to see a case as it stood.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct AsOf {
    /// An instant (RFC 3339, `2026-04-07T10:00:00+05:00`): the case as it stood then, folded
    /// from its events up to it. Absent: as it is now.
    #[param(required = false, max_length = 64)]
    #[serde(default)]
    as_of: Option<String>,
}

/// A case, with its version as ETag; with `as_of`, as it stood at that instant.
#[utoipa::path(get, path = "/api/v1/cases/{number}", tag = "cases", security(("session" = [])), params(CaseNumberPath, AsOf, Lang),
    responses((status = 200, description = "The case", body = CaseBody), PROBLEMS_400, PROBLEMS_401, PROBLEMS_404, PROBLEMS_503))]
pub(crate) async fn get_case(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(number): Path<String>,
    ApiQuery(q): ApiQuery<AsOf>,
) -> Result<Response, ApiError> {
    let case = crate::edge::access::api_case(&state, &user, &number).await?;
    let Some(as_of) = q.as_of else {
        let mut body = CaseBody::from(&case);
        let service = serde_json::to_value(case.application.service.kind())
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let iin = case.application.applicant.iin.to_string();
        body.related =
            state.store.related_open_cases(&iin, &service, &body.number).await?.into_iter().map(|(n, _)| n).collect();
        return Ok(([(header::ETAG, etag(case.version))], Json(body)).into_response());
    };
    let at: jiff::Timestamp =
        as_of.trim().parse().map_err(|_| ApiError::key(StatusCode::BAD_REQUEST, "invalid", "error-as-of"))?;
    let then = state
        .store
        .case_at(&case.number, at.as_millisecond())
        .await?
        .ok_or_else(|| ApiError::not_found("error-as-of-before"))?;
    Ok(Json(CaseBody::from(&then)).into_response())
}

/// Every recorded step of a case decided again through the rules at its own instant, each
/// said to agree or differ with what was recorded (staff and the reviewing body).
#[utoipa::path(get, path = "/api/v1/cases/{number}/replay", tag = "cases", operation_id = "replay_case", security(("session" = [])),
    params(CaseNumberPath, Lang),
    responses((status = 200, description = "The replay: `steps` (each with `verdict`) and `differs`", body = Object), PROBLEMS_401, PROBLEMS_403, PROBLEMS_404, PROBLEMS_503))]
pub(crate) async fn replay(
    State(state): State<AppState>,
    crate::edge::api_user::ApiStaff(user): crate::edge::api_user::ApiStaff,
    Path(number): Path<String>,
) -> Result<Json<store::replay::Replay>, ApiError> {
    let case = crate::edge::access::api_case(&state, &user, &number).await?;
    let replay = state
        .store
        .replay_case(&case.number.to_string())
        .await?
        .ok_or_else(|| ApiError::not_found("status-not-found"))?;
    Ok(Json(replay))
}

/// Act on a case: register, forward, record the decision, issue, refuse…
#[utoipa::path(post, path = "/api/v1/cases/{number}/actions", tag = "cases", security(("session" = [])),
    params(CaseNumberPath, IfMatch, WriteHeaders, Lang), request_body = CaseActionBody,
    responses((status = 200, description = "Applied", body = AppliedBody), PROBLEMS_400, PROBLEMS_401, PROBLEMS_403, PROBLEMS_404, PROBLEMS_409, PROBLEMS_412, PROBLEMS_415, PROBLEMS_422, PROBLEMS_503))]
pub(crate) async fn act(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(number): Path<String>,
    headers: HeaderMap,
    ApiJson(action): ApiJson<CaseActionBody>,
) -> Result<Response, ApiError> {
    let case = crate::edge::access::api_case(&state, &user, &number).await?;
    let action = match action.into() {
        crate::shared::minutes::Act::Case(a) => a,
        crate::shared::minutes::Act::Minutes(p) => {
            let minutes = crate::shared::minutes::propose(&state, &user, &case, p).await?;
            return Ok((StatusCode::ACCEPTED, Json(minutes)).into_response());
        }
    };
    let expected = if_match(&headers)?;
    let request = Request::Case { number: case.number, expected_version: expected, action };
    let key = idempotency_key(&headers);
    let applied = state.store.execute(user.actor(), jiff::Timestamp::now(), request, key.as_deref()).await?;
    Ok(written(StatusCode::OK, None, applied))
}

/// Pagination.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Page {
    /// At most this many (1–200, default 50).
    #[param(value_type = i64, required = false, minimum = 1, maximum = 200)]
    pub limit: Option<Bounded<1, 200>>,
    /// Skip this many. Prefer `after`: a deep offset reads every row it skips.
    #[param(value_type = i64, required = false, minimum = 0, maximum = 1_000_000_000)]
    pub offset: Option<Bounded<0, 1_000_000_000>>,
    /// The `next` of the page before: the page after its last line, read by the index
    /// whatever the depth (`2026-03-05/Z-AST-2026-000123-P`).
    #[param(required = false, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}/[!-~]{1,40}$")]
    #[serde(default)]
    pub after: Option<String>,
}

/// A page of the queue.
#[derive(Debug, Serialize, ToSchema)]
pub struct Listing {
    /// The items.
    pub items: Vec<QueueRowBody>,
    /// The limit used.
    pub limit: i64,
    /// The offset used.
    pub offset: i64,
    /// The offset of the next page, if there may be one.
    pub next_offset: Option<i64>,
    /// Where the next page starts, for `after`, if there may be one.
    pub next: Option<String>,
}

/// The officer's queue, by due date.
#[utoipa::path(get, path = "/api/v1/queue", tag = "office", security(("session" = [])), params(Page, Lang),
    responses((status = 200, description = "A page", body = Listing), PROBLEMS_400, PROBLEMS_401, PROBLEMS_403, PROBLEMS_503))]
pub(crate) async fn queue(
    State(state): State<AppState>,
    crate::edge::api_user::ApiOfficer(akimat): crate::edge::api_user::ApiOfficer,
    ApiQuery(p): ApiQuery<Page>,
) -> Result<Json<Listing>, ApiError> {
    let (limit, offset) = (p.limit.map_or(50, |l| l.0), p.offset.map_or(0, |o| o.0));
    let from = match p.after.as_deref() {
        Some(after) => {
            // A position, not a record: any date-shaped day and number is a place to read on
            // from; only a value of another shape is refused.
            let bad = || ApiError::key(StatusCode::BAD_REQUEST, "invalid", "error-after");
            let (due_on, number) = after.split_once('/').ok_or_else(bad)?;
            let dated = due_on.len() == 10
                && due_on
                    .bytes()
                    .enumerate()
                    .all(|(i, b)| matches!((i, b), (4 | 7, b'-')) || (i != 4 && i != 7 && b.is_ascii_digit()));
            if !dated || number.is_empty() || number.len() > 40 || !number.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(bad());
            }
            store::QueueFrom::After { due_on: due_on.to_owned(), number: number.to_owned() }
        }
        None => store::QueueFrom::Offset(offset),
    };
    let today = state.store.today(&akimat, jiff::Timestamp::now()).unwrap_or_else(|_| state.today());
    let items = state.store.queue(&akimat, today, &from, limit).await?;
    let full = items.len() as i64 == limit;
    let next_offset = (full && matches!(from, store::QueueFrom::Offset(_))).then_some(offset + limit);
    let next = items.last().filter(|_| full).map(|l| format!("{}/{}", l.due_on, l.number));
    Ok(Json(Listing { items: items.into_iter().map(Into::into).collect(), limit, offset, next_offset, next }))
}
