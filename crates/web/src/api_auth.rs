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
use store::{Ending, Request};
use utoipa::{IntoParams, ToSchema};

use crate::dto::{
    ApiJson, ApiQuery, ApplicationBody, AppliedBody, Bounded, CaseActionBody, CaseBody, CertificateCommandBody,
    ComplaintBody, ComplaintCommandBody, FilingBody, Line, QueueRowBody, RoleBody,
};
use crate::edge::AppState;
use crate::edge::api_doc::*;
use crate::edge::api_user::{ApiSession, ApiUser};
use crate::edge::auth::{self, SessionKind, Verdict};
use crate::edge::error::{ApiError, Fault};
use crate::edge::session::{Client, SESSION_MS};

/// Credentials.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    /// Login (an applicant's IIN).
    pub login: Line,
    /// Password.
    pub password: Line,
}

/// A session token.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionToken {
    /// Send as `Authorization: Bearer TOKEN`.
    pub token: String,
    /// The role.
    pub role: RoleBody,
    /// Seconds until it expires.
    pub expires_in: i64,
}

/// Log in; the answer is a bearer token.
#[utoipa::path(post, path = "/api/v1/sessions", tag = "session", params(Lang), request_body = Credentials,
    responses((status = 201, description = "A session", body = SessionToken), PROBLEMS_400, PROBLEMS_401, PROBLEMS_415, PROBLEMS_422, PROBLEMS_429, PROBLEMS_503))]
pub(crate) async fn create_session(
    State(state): State<AppState>,
    client: Client,
    ApiJson(c): ApiJson<Credentials>,
) -> Result<(StatusCode, Json<SessionToken>), ApiError> {
    let user = match auth::authenticate(&state, &c.login.0, c.password.0, &client).await? {
        Verdict::Admitted(user) => user,
        Verdict::Refused => return Err(ApiError::key(StatusCode::UNAUTHORIZED, "unauthorized", "login-failed")),
        Verdict::Disabled => return Err(ApiError::key(StatusCode::FORBIDDEN, "disabled", "login-disabled")),
        Verdict::Throttled(wait) => return Err(ApiError::of(Fault::throttled(wait))),
    };
    let (token, _) = auth::open_session(&state, &user, SessionKind::Api, &client).await?;
    Ok((StatusCode::CREATED, Json(SessionToken { token, role: user.role.into(), expires_in: SESSION_MS / 1000 })))
}

/// One of the caller's sessions.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SessionBody {
    /// Names the session, for `DELETE /api/v1/sessions/{handle}`.
    pub handle: String,
    /// `browser` (logged in on the pages) or `api` (a bearer token).
    pub kind: String,
    /// When it started (RFC 3339).
    pub created: String,
    /// When it ends (RFC 3339).
    pub expires: String,
    /// Whether it is the token of this request.
    pub current: bool,
}

fn rfc3339(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms).unwrap_or_default().to_string()
}

/// The caller's live sessions, browser and API, newest first.
#[utoipa::path(get, path = "/api/v1/sessions", tag = "session", operation_id = "list_sessions", security(("session" = [])), params(Lang),
    responses((status = 200, description = "The caller's sessions", body = [SessionBody]), PROBLEMS_401, PROBLEMS_503))]
pub(crate) async fn list_sessions(
    State(state): State<AppState>,
    me: ApiSession,
) -> Result<Json<Vec<SessionBody>>, ApiError> {
    let now = jiff::Timestamp::now().as_millisecond();
    let sessions = state.store.sessions_of(&me.user.id, now).await?;
    Ok(Json(
        sessions
            .into_iter()
            .map(|s| SessionBody {
                current: s.handle == me.handle,
                handle: s.handle,
                kind: s.kind,
                created: rfc3339(s.created_ms),
                expires: rfc3339(s.expires_ms),
            })
            .collect(),
    ))
}

/// A session handle in the path.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub(crate) struct HandlePath {
    /// From `GET /api/v1/sessions`.
    #[param(max_length = 16, pattern = "^[0-9a-f]{16}$")]
    handle: String,
}

/// Ends one of the caller's sessions (revokes an API token); this one too if named.
#[utoipa::path(delete, path = "/api/v1/sessions/{handle}", tag = "session", operation_id = "end_session", security(("session" = [])), params(HandlePath, Lang),
    responses((status = 204, description = "Ended"), PROBLEMS_401, PROBLEMS_404, PROBLEMS_503))]
pub(crate) async fn end_session(
    State(state): State<AppState>,
    client: Client,
    me: ApiSession,
    Path(HandlePath { handle }): Path<HandlePath>,
) -> Result<StatusCode, ApiError> {
    let e = crate::edge::audit_log::entry(Some(&me.user), "sessions-ended", Some(&me.user.id), "", &client)?;
    match state.store.end_sessions(&me.user.id, Ending::One(&handle), &e).await? {
        0 => Err(ApiError::not_found("error-not-found")),
        _ => Ok(StatusCode::NO_CONTENT),
    }
}

/// Logs out everywhere: ends every session of the caller, browser and API, this one too.
#[utoipa::path(delete, path = "/api/v1/sessions", tag = "session", operation_id = "end_all_sessions", security(("session" = [])), params(Lang),
    responses((status = 204, description = "Every session ended"), PROBLEMS_401, PROBLEMS_503))]
pub(crate) async fn end_all_sessions(
    State(state): State<AppState>,
    client: Client,
    me: ApiSession,
) -> Result<StatusCode, ApiError> {
    let e = crate::edge::audit_log::entry(Some(&me.user), "sessions-ended", Some(&me.user.id), "", &client)?;
    state.store.end_sessions(&me.user.id, Ending::All, &e).await?;
    Ok(StatusCode::NO_CONTENT)
}

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

fn if_match(headers: &HeaderMap) -> Result<Option<u64>, ApiError> {
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
fn written(status: StatusCode, location: Option<String>, applied: store::Applied) -> Response {
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

/// A case, with its version as ETag.
#[utoipa::path(get, path = "/api/v1/cases/{number}", tag = "cases", security(("session" = [])), params(CaseNumberPath, Lang),
    responses((status = 200, description = "The case", body = CaseBody), PROBLEMS_401, PROBLEMS_404, PROBLEMS_503))]
pub(crate) async fn get_case(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(number): Path<String>,
) -> Result<Response, ApiError> {
    let case = crate::edge::access::api_case(&state, &user, &number).await?;
    Ok(([(header::ETAG, etag(case.version))], Json(CaseBody::from(&case))).into_response())
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
        crate::minutes::Act::Case(a) => a,
        crate::minutes::Act::Minutes(p) => {
            let minutes = crate::minutes::propose(&state, &user, &case, p).await?;
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
    /// Skip this many.
    #[param(value_type = i64, required = false, minimum = 0, maximum = 1_000_000_000)]
    pub offset: Option<Bounded<0, 1_000_000_000>>,
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
}

/// The officer's queue, by due date.
#[utoipa::path(get, path = "/api/v1/queue", tag = "office", security(("session" = [])), params(Page, Lang),
    responses((status = 200, description = "A page", body = Listing), PROBLEMS_400, PROBLEMS_401, PROBLEMS_403, PROBLEMS_503))]
pub(crate) async fn queue(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiQuery(p): ApiQuery<Page>,
) -> Result<Json<Listing>, ApiError> {
    let Some(akimat) = user.akimat.clone().filter(|_| user.role == Role::Officer) else {
        return Err(ApiError::forbidden("error-forbidden"));
    };
    let (limit, offset) = (p.limit.map_or(50, |l| l.0), p.offset.map_or(0, |o| o.0));
    let today = state.store.today(&akimat, jiff::Timestamp::now()).unwrap_or_else(|_| state.today());
    let items = state.store.queue(&akimat, today, limit, offset).await?;
    let next_offset = (items.len() as i64 == limit).then_some(offset + limit);
    Ok(Json(Listing { items: items.into_iter().map(Into::into).collect(), limit, offset, next_offset }))
}

/// Revoke under a control act (officer, Rules §21), or notify a new employer or the end of the
/// contract (holder, Rules §18, §20).
#[utoipa::path(post, path = "/api/v1/certificates/{number}/actions", tag = "certificates", security(("session" = [])),
    params(CertificateNumberPath, WriteHeaders, Lang), request_body = CertificateCommandBody,
    responses((status = 200, description = "Applied", body = AppliedBody), PROBLEMS_400, PROBLEMS_401, PROBLEMS_403, PROBLEMS_404, PROBLEMS_409, PROBLEMS_415, PROBLEMS_422, PROBLEMS_503))]
pub(crate) async fn certificate_act(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(number): Path<String>,
    headers: HeaderMap,
    ApiJson(command): ApiJson<CertificateCommandBody>,
) -> Result<Response, ApiError> {
    let parsed = rules::numbers::CertificateNumber::parse(&number)
        .map_err(|_| ApiError::key(StatusCode::NOT_FOUND, "not-found", "verify-not-genuine"))?;
    match state.store.certificate(&number).await? {
        Some(c) if crate::edge::access::certificate(&user, &c) => {}
        Some(_) => return Err(ApiError::forbidden("error-forbidden")),
        None => return Err(ApiError::key(StatusCode::NOT_FOUND, "not-found", "verify-not-genuine")),
    }
    let request = Request::Certificate { number: parsed, command: command.into_domain()? };
    let key = idempotency_key(&headers);
    let applied = state.store.execute(user.actor(), jiff::Timestamp::now(), request, key.as_deref()).await?;
    Ok(written(StatusCode::OK, None, applied))
}

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
