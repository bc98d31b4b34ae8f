//! CSRF, checked in one place for every form.
//!
//! [`guard`] runs before every handler outside `/api/` (the API takes a bearer token, never
//! a cookie, so another site cannot borrow it). A request that may change something (a POST:
//! pages take nothing else that writes, and a test keeps it so) must carry the expected token in the `csrf` field of its
//! form (URL-encoded or multipart) or in an `X-CSRF-Token` header. Otherwise it is refused
//! with 403 before any handler runs, so no handler can forget the check.
//!
//! A multipart form (one with files) is not read whole here: its token is its first field,
//! read as the body streams in (the forms put `csrf` first), and the body goes on to the
//! handler unread beyond it, under the one limit of the router (`limits::FORM_BYTES`). So a
//! scan of any size the form accepts reaches the handler, which says what is too large beside
//! the field and keeps every answer.
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
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_TYPE, SET_COOKIE};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::edge::AppState;
use crate::edge::error::PageError;
use crate::edge::session::{self, SeenSession, cookie};

/// The cookie that holds the token before login.
pub(crate) const COOKIE_NAME: &str = "qc_csrf";

/// How much of a multipart body is read to find its first field, the token: far more than
/// a token's part needs, and never a file.
const FIRST_FIELD_LIMIT: usize = 64 * 1024;

/// The token the forms of this page must carry.
#[derive(Debug, Clone)]
pub(crate) struct CsrfToken(pub(crate) String);

/// Whether a POST to `path` only looks something up.
fn read_only(path: &str) -> bool {
    matches!(path, "/calculator" | "/status" | "/verify") || (path.starts_with("/cases/") && path.ends_with("/score"))
}

/// The token of a URL-encoded form: its `csrf` field.
fn posted_field(body: &axum::body::Bytes) -> Option<String> {
    form_urlencoded::parse(body).find_map(|(k, v)| (k == "csrf").then(|| v.into_owned()))
}

/// The `csrf` field of a multipart body, read from the body as it streams in, among the
/// fields before the first file (at most [`FIRST_FIELD_LIMIT`] bytes; the pages' forms put it
/// first); and the body again, whole, for the handler: the bytes read, then the rest of the
/// stream, which nothing here reads.
async fn first_field(body: Body, content_type: &str) -> (Option<String>, Body) {
    use futures_util::StreamExt;
    let Ok(boundary) = multer::parse_boundary(content_type) else { return (None, body) };
    let mut stream = body.into_data_stream();
    let mut seen: Vec<u8> = Vec::new();
    let mut token = None;
    while seen.len() <= FIRST_FIELD_LIMIT {
        match stream.next().await {
            Some(Ok(chunk)) => seen.extend_from_slice(&chunk),
            Some(Err(_)) | None => {
                token = token_before_files(axum::body::Bytes::from(seen.clone()), boundary.clone()).await.flatten();
                break;
            }
        }
        match token_before_files(axum::body::Bytes::from(seen.clone()), boundary.clone()).await {
            Some(found) => {
                token = found;
                break;
            }
            None => continue,
        }
    }
    let head = axum::body::Bytes::from(seen);
    let rest = futures_util::stream::once(async move { Ok::<_, axum::Error>(head) }).chain(stream);
    (token, Body::from_stream(rest))
}

/// In the beginning `head` of a multipart body: `Some(Some(token))` when a `csrf` field
/// comes whole before any file, `Some(None)` when a file (or the end) comes first, and `None`
/// when more of the body is needed to tell.
async fn token_before_files(head: axum::body::Bytes, boundary: String) -> Option<Option<String>> {
    let once = futures_util::stream::once(async move { Ok::<_, std::convert::Infallible>(head) });
    let mut form = multer::Multipart::new(once, boundary);
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => return Some(None),
            Err(_) => return None,
        };
        if field.file_name().is_some() {
            return Some(None);
        }
        let is_token = field.name() == Some("csrf");
        match field.text().await {
            Ok(text) if is_token => return Some(Some(text)),
            Ok(_) => {}
            Err(_) => return None,
        }
    }
}

/// Constant-time equality, so the comparison does not tell how much of a guess was right.
pub(crate) fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn refused() -> Response {
    PageError::with(StatusCode::FORBIDDEN, "error-csrf").into_response()
}

/// The middleware: see the module documentation.
pub(crate) async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    // The API and eGov mobile's protocol take bearer tokens, never a cookie.
    if path.starts_with("/api/")
        || path.starts_with("/egov/")
        || path.starts_with("/static/")
        || matches!(path, "/healthz" | "/readyz" | "/metrics")
    {
        return next.run(request).await;
    }
    // Pages change things only by POST (a form can send nothing else, and the test below
    // keeps every page route to GET and POST); any other method reaches the router, which
    // answers 405 for a method it does not serve.
    let changes = *request.method() == Method::POST && !read_only(path);
    let session = match session::session_of(request.headers(), &state).await {
        Ok(s) => s,
        Err(e) => return e.into_response(),
    };
    let anonymous = cookie(request.headers(), COOKIE_NAME).map(str::to_owned);
    let expected = session.as_ref().map(|s| s.csrf.clone()).or(anonymous);
    let (mut parts, body) = request.into_parts();
    let body = if changes {
        let header = parts.headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).map(str::to_owned);
        let kind = parts.headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        let (token, body) = match header {
            Some(t) => (Some(t), body),
            None if kind.starts_with("multipart/form-data") => first_field(body, &kind).await,
            None => {
                let Ok(bytes) = axum::body::to_bytes(body, crate::edge::limits::FORM_BYTES).await else {
                    return StatusCode::PAYLOAD_TOO_LARGE.into_response();
                };
                (posted_field(&bytes), Body::from(bytes))
            }
        };
        if !matches!((&expected, &token), (Some(e), Some(t)) if same(e, t)) {
            tracing::warn!(path = %parts.uri.path(), had_token = token.is_some(), "form refused: CSRF token missing or wrong");
            return refused();
        }
        body
    } else {
        body
    };
    let fresh = match &expected {
        Some(_) => None,
        None => match crate::edge::random::token() {
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
    use axum::http::HeaderMap;
    use axum::http::header::COOKIE;

    /// The guard checks POST only, which holds while no page route takes PUT, PATCH or DELETE.
    #[test]
    fn page_routes_take_only_get_and_post() {
        // The API and eGov mobile's protocol (`/egov/`) take bearer tokens, never a cookie.
        let page = |l: &&str| l.contains(".route(\"/") && !l.contains("\"/api/") && !l.contains("\"/egov/");
        for line in include_str!("../lib.rs").lines().filter(page) {
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

    /// Issue 31: the token of a multipart form is its first field, read without reading the
    /// files after it, and the handler gets the whole body back, byte for byte.
    #[tokio::test]
    async fn a_multipart_token_is_read_from_the_first_field_and_the_body_passes_whole() {
        let boundary = "XyZ";
        let file = vec![b'a'; 3 * 1024 * 1024];
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nt0ken\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"a.pdf\"\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(&file);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        // Delivered in small chunks, as a slow link would.
        let chunks: Vec<Result<axum::body::Bytes, std::io::Error>> =
            body.chunks(1000).map(|c| Ok(axum::body::Bytes::copy_from_slice(c))).collect();
        let streamed = Body::from_stream(futures_util::stream::iter(chunks));
        let kind = format!("multipart/form-data; boundary={boundary}");
        let (token, rest) = first_field(streamed, &kind).await;
        assert_eq!(token.as_deref(), Some("t0ken"));
        let again = axum::body::to_bytes(rest, usize::MAX).await.expect("the body");
        assert_eq!(again.as_ref(), body.as_slice(), "the handler gets every byte");
        // A form with no token before its files has none: the files are not read for it.
        let other = String::from_utf8_lossy(&body).replacen("name=\"csrf\"", "name=\"other\"", 1).into_bytes();
        let (token, _) = first_field(Body::from(other), &kind).await;
        assert_eq!(token, None);
        // Another small field may come first.
        let mut second =
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"service\"\r\n\r\nissue\r\n").into_bytes();
        second.extend_from_slice(&body);
        let (token, _) = first_field(Body::from(second), &kind).await;
        assert_eq!(token.as_deref(), Some("t0ken"));
    }
}
