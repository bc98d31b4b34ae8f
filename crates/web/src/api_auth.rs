//! The authenticated part of the API: a session token in `Authorization: Bearer`, never a
//! cookie (so no request can be forged from another site). Writes take `Idempotency-Key`;
//! acting on a case takes `If-Match` with the case's ETag, so two clients never overwrite
//! each other.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rules::Role;
use rules::case::{Application, CaseAction};
use rules::numbers::CaseNumber;
use serde::{Deserialize, Serialize};
use store::{Request, StoreError, User};

use crate::AppState;
use crate::api::problem;
use crate::auth::{self, SESSION_MS};
use crate::error::{ApiError, Said};
use crate::i18n::Tr;

/// The API caller.
pub(crate) struct ApiUser(pub(crate) User);

/// The user of the bearer token in `headers`, if any and valid now.
pub(crate) async fn bearer_user(headers: &HeaderMap, state: &AppState) -> Result<Option<User>, StoreError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .unwrap_or("");
    if token.is_empty() {
        return Ok(None);
    }
    let found = state.store.session(&auth::stored_key(token), jiff::Timestamp::now().as_millisecond()).await?;
    Ok(found.map(|(user, _)| user))
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<ApiUser, ApiError> {
        match bearer_user(&parts.headers, state).await? {
            Some(user) => {
                crate::trace::record_user(&user);
                Ok(ApiUser(user))
            }
            None => Err(ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", Said::Key("error-unauthorized"))),
        }
    }
}

/// Credentials.
#[derive(Debug, Deserialize)]
pub struct Credentials {
    /// Login (an applicant's IIN).
    pub login: String,
    /// Password.
    pub password: String,
}

/// A session token.
#[derive(Debug, Serialize)]
pub struct SessionToken {
    /// Send as `Authorization: Bearer TOKEN`.
    pub token: String,
    /// The role.
    pub role: Role,
    /// Seconds until it expires.
    pub expires_in: i64,
}

pub(crate) async fn create_session(
    State(state): State<AppState>,
    t: Tr,
    Json(c): Json<Credentials>,
) -> Result<Response, ApiError> {
    let Some(user) = auth::authenticate(&state, &c.login, c.password).await? else {
        return Ok(problem(StatusCode::UNAUTHORIZED, "unauthorized", "Unauthorized", t.t("login-failed"), None));
    };
    let (token, _) = auth::open_session(&state, &user).await?;
    Ok((StatusCode::CREATED, Json(SessionToken { token, role: user.role, expires_in: SESSION_MS / 1000 }))
        .into_response())
}

fn idempotency_key(headers: &HeaderMap) -> Option<String> {
    headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty() && s.len() <= 200)
}

/// `"v3"` for version 3: the case's ETag.
fn etag(version: u64) -> String {
    format!("\"v{version}\"")
}

fn if_match(headers: &HeaderMap) -> Result<Option<u64>, ()> {
    let Some(v) = headers.get(header::IF_MATCH).and_then(|v| v.to_str().ok()) else { return Ok(None) };
    v.trim()
        .trim_start_matches("W/")
        .trim_matches('"')
        .strip_prefix('v')
        .and_then(|n| n.parse().ok())
        .map(Some)
        .ok_or(())
}

/// A store error as a problem; a refusal carries its citation.
pub(crate) fn store_problem(t: &Tr, e: StoreError) -> Response {
    match e {
        StoreError::Refused(r) => problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "refused",
            "Refused by the law",
            r.message(t.lang),
            Some(r.citation.to_string()),
        ),
        StoreError::Conflict { stream, expected, actual } => problem(
            StatusCode::PRECONDITION_FAILED,
            "conflict",
            "Changed by someone else",
            format!("{stream} is at version {actual}, not {expected}: fetch it again"),
            None,
        ),
        StoreError::NotFound(what) => problem(StatusCode::NOT_FOUND, "not-found", "Not found", what, None),
        StoreError::IdempotencyMismatch => problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency-mismatch",
            "Idempotency key reused",
            "this Idempotency-Key was used for a different request".into(),
            None,
        ),
        StoreError::Blob(b) => problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "document",
            "Document problem",
            b.to_string(),
            Some("App.2 item 8".into()),
        ),
        other => crate::error::ApiError::from(other).into_response(),
    }
}

/// A stored document.
#[derive(Debug, Serialize)]
pub struct Uploaded {
    /// SHA-256, to reference in an application.
    pub sha256: String,
    /// Size.
    pub size: usize,
    /// Type judged from the content.
    pub media_type: String,
}

pub(crate) async fn upload(State(state): State<AppState>, t: Tr, ApiUser(user): ApiUser, body: Bytes) -> Response {
    if user.role != Role::Applicant {
        return problem(StatusCode::FORBIDDEN, "forbidden", "Forbidden", t.t("error-forbidden"), None);
    }
    match state.store.blobs().put(&body) {
        Ok(r) => (StatusCode::CREATED, Json(Uploaded { sha256: r.sha256, size: r.size, media_type: r.media_type }))
            .into_response(),
        Err(e) => problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "document",
            "Document refused",
            e.to_string(),
            Some("App.2 item 8".into()),
        ),
    }
}

pub(crate) async fn submit(
    State(state): State<AppState>,
    t: Tr,
    ApiUser(user): ApiUser,
    headers: HeaderMap,
    Json(app): Json<Application>,
) -> Response {
    let key = idempotency_key(&headers);
    let request = Request::Submit { application: Box::new(app) };
    match state.store.execute(user.actor(), jiff::Timestamp::now(), request, key.as_deref()).await {
        Ok(applied) => {
            let location = format!("/api/v1/cases/{}", applied.number);
            let status = if applied.replayed { StatusCode::OK } else { StatusCode::CREATED };
            (status, [(header::LOCATION, location), (header::ETAG, etag(applied.version))], Json(applied))
                .into_response()
        }
        Err(e) => store_problem(&t, e),
    }
}

pub(crate) async fn get_case(
    State(state): State<AppState>,
    t: Tr,
    ApiUser(user): ApiUser,
    Path(number): Path<String>,
) -> Response {
    match state.store.case(&number).await {
        Ok(Some(case)) if crate::access::case(&user, &case) => {
            ([(header::ETAG, etag(case.version))], Json(case)).into_response()
        }
        Ok(_) => problem(StatusCode::NOT_FOUND, "not-found", "Not found", t.t("status-not-found"), None),
        Err(e) => store_problem(&t, e),
    }
}

pub(crate) async fn act(
    State(state): State<AppState>,
    t: Tr,
    ApiUser(user): ApiUser,
    Path(number): Path<String>,
    headers: HeaderMap,
    Json(action): Json<CaseAction>,
) -> Response {
    let Ok(case_number) = CaseNumber::parse(&number) else {
        return problem(StatusCode::NOT_FOUND, "not-found", "Not found", t.t("status-not-found"), None);
    };
    match state.store.case(&number).await {
        Ok(Some(case)) if crate::access::case(&user, &case) => {}
        Ok(_) => return problem(StatusCode::NOT_FOUND, "not-found", "Not found", t.t("status-not-found"), None),
        Err(e) => return store_problem(&t, e),
    }
    let Ok(expected) = if_match(&headers) else {
        return problem(
            StatusCode::BAD_REQUEST,
            "if-match",
            "Bad If-Match",
            "If-Match takes the case's ETag, for example \"v3\"".into(),
            None,
        );
    };
    let request = Request::Case { number: case_number, expected_version: expected, action };
    let key = idempotency_key(&headers);
    match state.store.execute(user.actor(), jiff::Timestamp::now(), request, key.as_deref()).await {
        Ok(applied) => ([(header::ETAG, etag(applied.version))], Json(applied)).into_response(),
        Err(e) => store_problem(&t, e),
    }
}

/// Pagination.
#[derive(Debug, Deserialize)]
pub struct Page {
    /// At most this many (1–200, default 50).
    pub limit: Option<i64>,
    /// Skip this many.
    pub offset: Option<i64>,
}

/// A page of a list.
#[derive(Debug, Serialize)]
pub struct Listing<T> {
    /// The items.
    pub items: Vec<T>,
    /// The limit used.
    pub limit: i64,
    /// The offset used.
    pub offset: i64,
    /// The offset of the next page, if there may be one.
    pub next_offset: Option<i64>,
}

pub(crate) async fn queue(
    State(state): State<AppState>,
    t: Tr,
    ApiUser(user): ApiUser,
    Query(p): Query<Page>,
) -> Response {
    let Some(akimat) = user.akimat.clone().filter(|_| user.role == Role::Officer) else {
        return problem(StatusCode::FORBIDDEN, "forbidden", "Forbidden", t.t("error-forbidden"), None);
    };
    let (limit, offset) = (p.limit.unwrap_or(50).clamp(1, 200), p.offset.unwrap_or(0).max(0));
    let today = state.store.today(&akimat, jiff::Timestamp::now()).unwrap_or_else(|_| state.today());
    match state.store.queue(&akimat, today, limit, offset).await {
        Ok(items) => {
            let next_offset = (items.len() as i64 == limit).then_some(offset + limit);
            Json(Listing { items, limit, offset, next_offset }).into_response()
        }
        Err(e) => store_problem(&t, e),
    }
}

fn forbidden(t: &Tr) -> Response {
    problem(StatusCode::FORBIDDEN, "forbidden", "Forbidden", t.t("error-forbidden"), None)
}

/// Acts on a certificate: revocation (officer) or a notice (holder).
pub(crate) async fn certificate_act(
    State(state): State<AppState>,
    t: Tr,
    ApiUser(user): ApiUser,
    Path(number): Path<String>,
    headers: HeaderMap,
    Json(command): Json<rules::certificate::CertificateCommand>,
) -> Response {
    let Ok(parsed) = rules::numbers::CertificateNumber::parse(&number) else {
        return problem(StatusCode::NOT_FOUND, "not-found", "Not found", t.t("verify-not-genuine"), None);
    };
    match state.store.certificate(&number).await {
        Ok(Some(c)) if crate::access::certificate(&user, &c) => {}
        Ok(_) => return forbidden(&t),
        Err(e) => return store_problem(&t, e),
    }
    let key = idempotency_key(&headers);
    match state
        .store
        .execute(user.actor(), jiff::Timestamp::now(), Request::Certificate { number: parsed, command }, key.as_deref())
        .await
    {
        Ok(applied) => ([(header::ETAG, etag(applied.version))], Json(applied)).into_response(),
        Err(e) => store_problem(&t, e),
    }
}

/// Files a complaint.
pub(crate) async fn file_complaint(
    State(state): State<AppState>,
    t: Tr,
    ApiUser(user): ApiUser,
    headers: HeaderMap,
    Json(filing): Json<rules::complaint::Filing>,
) -> Response {
    let key = idempotency_key(&headers);
    match state
        .store
        .execute(user.actor(), jiff::Timestamp::now(), Request::FileComplaint { filing }, key.as_deref())
        .await
    {
        Ok(applied) => {
            let location = format!("/api/v1/complaints/{}", applied.number);
            (StatusCode::CREATED, [(header::LOCATION, location), (header::ETAG, etag(applied.version))], Json(applied))
                .into_response()
        }
        Err(e) => store_problem(&t, e),
    }
}

/// A complaint, with its version as ETag.
pub(crate) async fn get_complaint(
    State(state): State<AppState>,
    t: Tr,
    ApiUser(user): ApiUser,
    Path(number): Path<String>,
) -> Response {
    match state.store.complaint(&number).await {
        Ok(Some(c)) if crate::access::complaint(&user, &c) => {
            ([(header::ETAG, etag(c.version))], Json(c)).into_response()
        }
        Ok(_) => problem(StatusCode::NOT_FOUND, "not-found", "Not found", t.t("status-not-found"), None),
        Err(e) => store_problem(&t, e),
    }
}

/// Acts on a complaint: forward, satisfy, decide.
pub(crate) async fn complaint_act(
    State(state): State<AppState>,
    t: Tr,
    ApiUser(user): ApiUser,
    Path(number): Path<String>,
    headers: HeaderMap,
    Json(command): Json<rules::complaint::ComplaintCommand>,
) -> Response {
    let Ok(parsed) = CaseNumber::parse(&number) else {
        return problem(StatusCode::NOT_FOUND, "not-found", "Not found", t.t("status-not-found"), None);
    };
    match state.store.complaint(&number).await {
        Ok(Some(c)) if crate::access::complaint(&user, &c) => {}
        Ok(_) => return problem(StatusCode::NOT_FOUND, "not-found", "Not found", t.t("status-not-found"), None),
        Err(e) => return store_problem(&t, e),
    }
    let Ok(expected) = if_match(&headers) else {
        return problem(
            StatusCode::BAD_REQUEST,
            "if-match",
            "Bad If-Match",
            "If-Match takes the complaint's ETag, for example \"v1\"".into(),
            None,
        );
    };
    let key = idempotency_key(&headers);
    let request = Request::Complaint { number: parsed, expected_version: expected, command };
    match state.store.execute(user.actor(), jiff::Timestamp::now(), request, key.as_deref()).await {
        Ok(applied) => ([(header::ETAG, etag(applied.version))], Json(applied)).into_response(),
        Err(e) => store_problem(&t, e),
    }
}
