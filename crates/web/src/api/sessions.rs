//! Sessions of the API: a login answered with a bearer token, the person's sessions listed,
//! one or all of them ended.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::dto::{ApiJson, Line, RoleBody};
use crate::edge::AppState;
use crate::edge::api_doc::*;
use crate::edge::api_user::{ApiSession, ApiUser};
use crate::edge::auth::{self, SessionKind, Verdict};
use crate::edge::error::{ApiError, Fault};
use crate::edge::i18n::Tr;
use crate::edge::session::{Client, SESSION_MS};
use store::Ending;

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

/// Who among the state's staff read the caller's records (their cases, certificates and
/// complaints), newest first, with what, when and why; staff are named by role and akimat.
#[utoipa::path(get, path = "/api/v1/me/access", tag = "session", operation_id = "my_access", security(("session" = [])), params(Lang),
    responses((status = 200, description = "The reads", body = Vec<crate::shared::access_log::AccessLine>), PROBLEMS_401, PROBLEMS_503))]
pub(crate) async fn my_access(
    State(state): State<AppState>,
    t: Tr,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<crate::shared::access_log::AccessLine>>, ApiError> {
    let reads = match &user.iin {
        Some(iin) => state.store.access_of(iin, crate::shared::access_log::SHOWN).await?,
        None => Vec::new(),
    };
    let law = &state.store.reference().law;
    Ok(Json(reads.iter().map(|r| crate::shared::access_log::line(&t, law, r)).collect()))
}
