//! Sessions as the edge knows them before anything else runs: the random tokens, the cookie
//! that carries a session and what the database keeps of it, the session of a request, and
//! where a request came from. The database keeps only the SHA-256 of each session token, so a
//! copy of the database opens no session.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header::COOKIE;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use store::User;

use crate::edge::AppState;
use crate::edge::error::PageError;

/// The session cookie's name.
pub(crate) const COOKIE_NAME: &str = "qc_session";
/// How long a session lasts: 8 hours, a working day.
pub(crate) const SESSION_MS: i64 = 8 * 3600 * 1000;

/// What the database keeps of a session token: its SHA-256, hex.
pub(crate) fn stored_key(token: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(token.as_bytes()))
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

impl Session {
    /// Names this session in the list of a person's sessions.
    pub(crate) fn handle(&self) -> &str {
        store::accounts::session_handle(&self.id)
    }
}

fn session_cookie(headers: &HeaderMap) -> Option<String> {
    let header = headers.get(COOKIE)?.to_str().ok()?;
    header.split(';').find_map(|c| c.trim().strip_prefix(&format!("{COOKIE_NAME}=")).map(str::to_owned))
}

/// The session whose token is in the request's cookie, if it is valid now.
pub(crate) async fn session_of(headers: &HeaderMap, state: &AppState) -> Result<Option<Session>, PageError> {
    let Some(token) = session_cookie(headers) else { return Ok(None) };
    let key = stored_key(&token);
    Ok(state.store.session(&key, jiff::Timestamp::now().as_millisecond()).await?.map(|(user, csrf)| Session {
        id: key,
        user,
        csrf,
    }))
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

/// The address a request came from, for the audit log and the rate limits, and the browser's
/// known-device mark when it sent one.
#[derive(Debug, Clone, Default)]
pub(crate) struct Client(pub(crate) Option<String>, pub(crate) Option<String>);

impl Client {
    /// From a request's extensions (the listener puts the peer's address there).
    pub(crate) fn of(extensions: &axum::http::Extensions) -> Client {
        Client(extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string()), None)
    }

    /// The address, or `local` for a request that came from no socket (tests, the CLI).
    pub(crate) fn address(&self) -> &str {
        self.0.as_deref().unwrap_or("local")
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Client, Self::Rejection> {
        let device = cookie(&parts.headers, DEVICE_COOKIE).map(str::to_owned);
        Ok(Client(Client::of(&parts.extensions).0, device))
    }
}

/// The cookie that marks a browser where this account logged in before.
pub(crate) const DEVICE_COOKIE: &str = "qc_device";

/// The session the guard found, so the handler's extractor need not look it up again.
#[derive(Debug, Clone)]
pub(crate) struct SeenSession(pub(crate) Option<Session>);

/// The value of cookie `name` in a request's headers.
pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|h| h.split(';'))
        .find_map(|c| c.trim().strip_prefix(name)?.strip_prefix('='))
        .filter(|v| !v.is_empty())
}
