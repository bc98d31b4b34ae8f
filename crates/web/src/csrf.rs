//! CSRF, checked in one place for every form.
//!
//! [`guard`] runs before every handler outside `/api/` (the API takes a bearer token, never
//! a cookie, so another site cannot borrow it). A request that may change something (a POST:
//! pages take nothing else that writes, and a test keeps it so) must carry the expected token in the `csrf` field of its
//! form (URL-encoded or multipart) or in an `X-CSRF-Token` header. Otherwise it is refused
//! with 403 before any handler runs, so no handler can forget the check.
//!
//! The expected token is the session's when the person is logged in. Before login (the
//! login and registration forms) it is a random token in the `qc_csrf` cookie, which the
//! page repeats in its form: the double-submit pattern. Another site can neither read the
//! cookie (`HttpOnly`) nor send it with a cross-site POST (`SameSite=Strict`).
//!
//! POSTs that only look something up and change nothing (the calculator, the status
//! look-up, signature verification, the score preview) are exempt, so they work from a
//! bookmark or a second tab.

use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::header::{CONTENT_TYPE, COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::auth::{self, Session};
use crate::error::PageError;

/// The cookie that holds the token before login.
pub(crate) const COOKIE_NAME: &str = "qc_csrf";

/// The largest form the guard reads to find the token: the body limit of the router.
const BODY_LIMIT: usize = 32 * 1024 * 1024;

/// The token the forms of this page must carry.
#[derive(Debug, Clone)]
pub(crate) struct CsrfToken(pub(crate) String);

/// The session the guard found, so the handler's extractor need not look it up again.
#[derive(Debug, Clone)]
pub(crate) struct SeenSession(pub(crate) Option<Session>);

/// Whether a POST to `path` only looks something up.
fn read_only(path: &str) -> bool {
    matches!(path, "/calculator" | "/status" | "/verify") || (path.starts_with("/cases/") && path.ends_with("/score"))
}

pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|h| h.split(';'))
        .find_map(|c| c.trim().strip_prefix(name)?.strip_prefix('='))
        .filter(|v| !v.is_empty())
}

/// The token posted with a form: the header, else the `csrf` field of the body.
async fn posted(headers: &HeaderMap, body: &axum::body::Bytes) -> Option<String> {
    if let Some(v) = headers.get("x-csrf-token").and_then(|v| v.to_str().ok()) {
        return Some(v.to_owned());
    }
    let kind = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if kind.starts_with("multipart/form-data") {
        let mut copy = Request::new(Body::from(body.clone()));
        copy.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_str(kind).ok()?);
        let mut form = Multipart::from_request(copy, &()).await.ok()?;
        while let Ok(Some(field)) = form.next_field().await {
            if field.name() == Some("csrf") {
                return field.text().await.ok();
            }
        }
        None
    } else {
        form_urlencoded::parse(body).find_map(|(k, v)| (k == "csrf").then(|| v.into_owned()))
    }
}

/// Constant-time equality, so the comparison does not tell how much of a guess was right.
fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn refused() -> Response {
    PageError::with(StatusCode::FORBIDDEN, "error-csrf").into_response()
}

/// The middleware: see the module documentation.
pub(crate) async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if path.starts_with("/api/") || path.starts_with("/static/") || matches!(path, "/healthz" | "/readyz" | "/metrics")
    {
        return next.run(request).await;
    }
    // Pages change things only by POST (a form can send nothing else, and the test below
    // keeps every page route to GET and POST); any other method reaches the router, which
    // answers 405 for a method it does not serve.
    let changes = *request.method() == Method::POST && !read_only(path);
    let session = match auth::session_of(request.headers(), &state).await {
        Ok(s) => s,
        Err(e) => return e.into_response(),
    };
    let anonymous = cookie(request.headers(), COOKIE_NAME).map(str::to_owned);
    let expected = session.as_ref().map(|s| s.csrf.clone()).or(anonymous);
    let (mut parts, body) = request.into_parts();
    let body = if changes {
        let Ok(bytes) = axum::body::to_bytes(body, BODY_LIMIT).await else {
            return StatusCode::PAYLOAD_TOO_LARGE.into_response();
        };
        let token = posted(&parts.headers, &bytes).await;
        if !matches!((&expected, &token), (Some(e), Some(t)) if same(e, t)) {
            tracing::warn!(path = %parts.uri.path(), had_token = token.is_some(), "form refused: CSRF token missing or wrong");
            return refused();
        }
        Body::from(bytes)
    } else {
        body
    };
    let fresh = match &expected {
        Some(_) => None,
        None => match auth::token() {
            Ok(t) => Some(t),
            Err(e) => return PageError::ours(StatusCode::SERVICE_UNAVAILABLE, &e).into_response(),
        },
    };
    let token = expected.or_else(|| fresh.clone()).unwrap_or_default();
    parts.extensions.insert(CsrfToken(token));
    parts.extensions.insert(SeenSession(session));
    let mut response = next.run(Request::from_parts(parts, body)).await;
    if let Some(fresh) = fresh
        && let Ok(v) =
            HeaderValue::from_str(&format!("{COOKIE_NAME}={fresh}; Path=/; HttpOnly; Secure; SameSite=Strict"))
    {
        response.headers_mut().append(SET_COOKIE, v);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The guard checks POST only, which holds while no page route takes PUT, PATCH or DELETE.
    #[test]
    fn page_routes_take_only_get_and_post() {
        for line in include_str!("lib.rs").lines().filter(|l| l.contains(".route(\"/") && !l.contains("\"/api/")) {
            for verb in ["put(", "patch(", "delete("] {
                assert!(!line.contains(verb), "a page route with {verb}: guard it in csrf::guard first: {line}");
            }
        }
    }

    #[test]
    fn only_lookups_are_exempt() {
        for p in ["/calculator", "/status", "/verify", "/cases/Z-1/score"] {
            assert!(read_only(p), "{p}");
        }
        for p in ["/login", "/register", "/logout", "/apply", "/cases/Z-1/act", "/admin/users", "/complaints/new"] {
            assert!(!read_only(p), "{p}");
        }
    }

    #[test]
    fn tokens_compare_whole() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "ab"));
        let mut h = HeaderMap::new();
        h.insert(COOKIE, HeaderValue::from_static("lang=ru; qc_csrf=t0k; qc_session=s"));
        assert_eq!(cookie(&h, COOKIE_NAME), Some("t0k"));
        assert_eq!(cookie(&h, "qc"), None);
    }
}
