//! The last step of every response: a fault a handler or an extractor left becomes a page or
//! a problem document in the request's language.

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::edge::error::{Fault, Surface};
use crate::edge::i18n::Tr;

/// Puts every [`Fault`] into words: a page or a problem in the request's language. Runs for
/// every route, so a handler cannot answer a fault in English or with database text.
pub(crate) async fn speak(request: Request, next: Next) -> Response {
    let lang = crate::edge::i18n::lang_of(request.headers(), request.uri());
    let response = next.run(request).await;
    let Some(fault) = response.extensions().get::<Fault>().cloned() else { return response };
    let t = Tr::new(lang);
    let mut out = match fault.surface {
        Surface::Api => crate::edge::problem::problem_of(&fault, &t),
        Surface::Page => crate::edge::view::error_page(&fault, t),
    };
    *out.status_mut() = fault.status;
    // The service being away (503) may pass in a few seconds.
    let unavailable = (fault.status == StatusCode::SERVICE_UNAVAILABLE).then_some(5);
    if let Some(seconds) = fault.retry_after.or(unavailable) {
        out.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    for (name, value) in response.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            out.headers_mut().append(name, value.clone());
        }
    }
    out
}
