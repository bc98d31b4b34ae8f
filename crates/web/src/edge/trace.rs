//! What the service tells its operators: one span per request, and the headers every
//! answer carries whatever the handler did.
//!
//! The span has the request id (the client's `X-Request-Id` when it is a plain token, else
//! a fresh one, echoed in the answer), the method, the route *pattern* (`/cases/{number}`,
//! never the number), the status and the time taken. The user's id and role are recorded
//! into it by whoever finds the session (`csrf::guard`, the API's bearer extractor). Names,
//! IINs, documents and form values never go into a log line: ids and patterns only.

use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

/// The header that carries the request id.
pub(crate) const REQUEST_ID: &str = "x-request-id";

/// A request id the client sent, if it is safe to log and echo: up to 64 letters, digits,
/// `-` and `_`.
fn given_id(request: &Request) -> Option<String> {
    let v = request.headers().get(REQUEST_ID)?.to_str().ok()?;
    (!v.is_empty() && v.len() <= 64 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        .then(|| v.to_owned())
}

tokio::task_local! {
    /// The route pattern of the request being answered, for the record of who read what
    /// (`access::seen`): the page or endpoint, never its numbers.
    pub(crate) static ROUTE: String;
}

/// The route pattern of the request being answered, where there is one.
pub(crate) fn current_route() -> String {
    ROUTE.try_with(Clone::clone).unwrap_or_else(|_| "(none)".to_owned())
}

/// Records who is asking into the request's span.
pub(crate) fn record_user(user: &store::User) {
    let span = tracing::Span::current();
    span.record("user", user.id.as_str());
    span.record("role", tracing::field::debug(user.role));
}

/// The middleware: a span per request and the id in the answer.
pub(crate) async fn requests(request: Request, next: Next) -> Response {
    let id = given_id(&request)
        .or_else(|| crate::edge::random::token().ok().map(|t| t[..16].to_owned()))
        .unwrap_or_else(|| "none".to_owned());
    let route = request.extensions().get::<MatchedPath>().map_or("(unmatched)", |p| p.as_str()).to_owned();
    let span = tracing::info_span!(
        "request",
        id = %id,
        method = %request.method(),
        route = %route,
        user = tracing::field::Empty,
        role = tracing::field::Empty,
    );
    let started = std::time::Instant::now();
    let private = !route.starts_with("/static/");
    let mut response = ROUTE.scope(route.clone(), next.run(request).instrument(span.clone())).await;
    let status = response.status().as_u16();
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    span.in_scope(|| {
        if status >= 500 {
            tracing::warn!(status, ms, "answered");
        } else {
            tracing::info!(status, ms, "answered");
        }
    });
    crate::edge::metrics::observe(&route, status, ms / 1000.0);
    if let Ok(v) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, v);
    }
    // Pages and documents are about someone: no shared or browser cache keeps them.
    if private && !response.headers().contains_key(header::CACHE_CONTROL) {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
