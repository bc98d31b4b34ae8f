//! Who calls the API: the user of a session token in `Authorization: Bearer`, never a cookie,
//! as extractors, so no API handler can forget to ask.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use store::{StoreError, User};

use crate::edge::AppState;
use crate::edge::error::{ApiError, Said};
use crate::edge::session;

/// The API caller.
pub(crate) struct ApiUser(pub(crate) User);

/// The user of the bearer token in `headers`, if any and valid now.
pub(crate) async fn bearer_user(headers: &HeaderMap, state: &AppState) -> Result<Option<User>, StoreError> {
    Ok(bearer_session(headers, state).await?.map(|(user, _)| user))
}

/// The user and the session key of the bearer token in `headers`, if any and valid now.
async fn bearer_session(headers: &HeaderMap, state: &AppState) -> Result<Option<(User, String)>, StoreError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .unwrap_or("");
    if token.is_empty() {
        return Ok(None);
    }
    let key = session::stored_key(token);
    let found = state.store.session(&key, jiff::Timestamp::now().as_millisecond()).await?;
    Ok(found.map(|(user, _)| (user, key)))
}

fn unauthorized() -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", Said::Key("error-unauthorized"))
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<ApiUser, ApiError> {
        match bearer_user(&parts.headers, state).await? {
            Some(user) => {
                crate::edge::trace::record_user(&user);
                Ok(ApiUser(user))
            }
            None => Err(unauthorized()),
        }
    }
}

/// An API caller on the state's staff (any role but applicant): replays and reports.
pub(crate) struct ApiStaff(pub(crate) User);

impl FromRequestParts<AppState> for ApiStaff {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<ApiStaff, ApiError> {
        let ApiUser(user) = ApiUser::from_request_parts(parts, state).await?;
        if user.role == rules::Role::Applicant {
            return Err(ApiError::forbidden("error-forbidden"));
        }
        Ok(ApiStaff(user))
    }
}

/// An API caller who is an akimat's officer, with the akimat: the queue.
pub(crate) struct ApiOfficer(pub(crate) rules::AkimatCode);

impl FromRequestParts<AppState> for ApiOfficer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<ApiOfficer, ApiError> {
        let ApiUser(user) = ApiUser::from_request_parts(parts, state).await?;
        match (user.role, user.akimat.clone()) {
            (rules::Role::Officer, Some(akimat)) => Ok(ApiOfficer(akimat)),
            _ => Err(ApiError::forbidden("error-forbidden")),
        }
    }
}

/// The API caller with the handle of the token they called with (which of their sessions is
/// this one).
pub(crate) struct ApiSession {
    pub(crate) user: User,
    pub(crate) handle: String,
}

impl FromRequestParts<AppState> for ApiSession {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<ApiSession, ApiError> {
        let Some((user, key)) = bearer_session(&parts.headers, state).await? else { return Err(unauthorized()) };
        crate::edge::trace::record_user(&user);
        Ok(ApiSession { user, handle: store::accounts::session_handle(&key).to_owned() })
    }
}
