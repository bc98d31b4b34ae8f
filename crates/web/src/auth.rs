//! Accounts, sessions and CSRF. Passwords are hashed with Argon2id; sessions live in the
//! database (any app node can serve any request) behind an `HttpOnly; Secure; SameSite=Lax`
//! cookie; every form a logged-in person posts carries the session's CSRF token.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::FromRequestParts;
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use rules::Role;
use store::User;

use crate::AppState;

/// The session cookie's name.
pub(crate) const COOKIE_NAME: &str = "qc_session";
/// How long a session lasts: 8 hours, a working day.
pub(crate) const SESSION_MS: i64 = 8 * 3600 * 1000;

/// A random token: 32 bytes from the operating system, hex. No fallback to anything
/// guessable: without the OS source there is no token.
pub(crate) fn token() -> Result<String, String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| format!("the operating system's random source failed: {e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// An Argon2id hash of a password, in PHC format.
pub fn hash_password(password: &str) -> Result<String, String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| e.to_string())?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| e.to_string())
}

/// Whether `password` matches a stored hash.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// The logged-in person, if any.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    /// The session id.
    pub id: String,
    /// The user.
    pub user: User,
    /// The CSRF token of the session.
    pub csrf: String,
}

/// The session of a request, or none.
pub(crate) struct MaybeSession(pub(crate) Option<Session>);

fn session_cookie(parts: &Parts) -> Option<String> {
    let header = parts.headers.get(COOKIE)?.to_str().ok()?;
    header.split(';').find_map(|c| c.trim().strip_prefix(&format!("{COOKIE_NAME}=")).map(str::to_owned))
}

impl FromRequestParts<AppState> for MaybeSession {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<MaybeSession, Response> {
        let Some(id) = session_cookie(parts) else { return Ok(MaybeSession(None)) };
        match state.store.session(&id, jiff::Timestamp::now().as_millisecond()).await {
            Ok(Some((user, csrf))) => Ok(MaybeSession(Some(Session { id, user, csrf }))),
            Ok(None) => Ok(MaybeSession(None)),
            Err(e) => Err((StatusCode::SERVICE_UNAVAILABLE, e.to_string()).into_response()),
        }
    }
}

/// A logged-in person; anyone else is sent to the login page.
pub(crate) struct LoggedIn(pub(crate) Session);

impl FromRequestParts<AppState> for LoggedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<LoggedIn, Response> {
        match MaybeSession::from_request_parts(parts, state).await? {
            MaybeSession(Some(s)) => Ok(LoggedIn(s)),
            MaybeSession(None) => {
                let back = parts.uri.path_and_query().map_or("/", |p| p.as_str());
                let target = format!("/login?next={}", urlencode(back));
                Err(Redirect::to(&target).into_response())
            }
        }
    }
}

/// Percent-encodes a path for a query parameter.
pub(crate) fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The cookie that starts a session.
pub(crate) fn session_set_cookie(id: &str) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{COOKIE_NAME}={id}; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age={}",
        SESSION_MS / 1000
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The cookie that ends it.
pub(crate) fn session_clear_cookie() -> HeaderValue {
    HeaderValue::from_static("qc_session=; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=0")
}

/// Starts a session for `user` and redirects to `next`.
pub(crate) async fn start_session(state: &AppState, user: &User, next: &str) -> Response {
    let (id, csrf) = match (token(), token()) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return (StatusCode::SERVICE_UNAVAILABLE, e).into_response(),
    };
    if let Err(e) =
        state.store.create_session(&id, &user.id, &csrf, jiff::Timestamp::now().as_millisecond(), SESSION_MS).await
    {
        return (StatusCode::SERVICE_UNAVAILABLE, e.to_string()).into_response();
    }
    let mut response = Redirect::to(safe_next(next, user.role)).into_response();
    response.headers_mut().append(SET_COOKIE, session_set_cookie(&id));
    response
}

/// Where a role lands after login.
pub(crate) fn home_of(role: Role) -> &'static str {
    match role {
        Role::Applicant => "/cabinet",
        Role::Officer => "/officer",
        Role::Commission => "/commission",
        Role::Reviewer => "/reviewer",
        Role::Administrator => "/admin",
        Role::Operator | Role::System => "/",
    }
}

/// Only a local path is followed after login, never another site.
fn safe_next(next: &str, role: Role) -> &str {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains("://") { next } else { home_of(role) }
}

/// Whether a posted token matches the session's (constant time).
pub(crate) fn csrf_ok(session: &Session, posted: &str) -> bool {
    let (a, b) = (session.csrf.as_bytes(), posted.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2id_hashes_verify_and_differ() {
        let a = hash_password("correct horse battery").expect("hash");
        let b = hash_password("correct horse battery").expect("hash");
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b, "salted");
        assert!(verify_password("correct horse battery", &a));
        assert!(!verify_password("Correct horse battery", &a));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn next_is_local_only() {
        assert_eq!(safe_next("/cases/Z-1", Role::Applicant), "/cases/Z-1");
        assert_eq!(safe_next("https://evil.example", Role::Applicant), "/cabinet");
        assert_eq!(safe_next("//evil.example", Role::Officer), "/officer");
        assert_eq!(token().map(|t| t.len()), Ok(64));
    }
}
