//! The service's own static files: the stylesheet, the vendored htmx, the page scripts and the
//! icon, compiled into the binary so that a single file is the whole service.

use axum::http::header;
use axum::response::{IntoResponse, Response};

pub(super) async fn stylesheet() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../static/app.css"),
    )
        .into_response()
}

/// htmx 2 (0BSD), vendored: pages work without it; with it, forms update in place.
pub(super) async fn htmx() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=86400")],
        include_str!("../../static/htmx.min.js"),
    )
        .into_response()
}

/// The site's icon, also under the address browsers ask for unprompted.
pub(super) async fn favicon() -> Response {
    (
        [(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "public, max-age=86400")],
        include_str!("../../static/favicon.svg"),
    )
        .into_response()
}

/// One of our own page scripts (no framework; every page works without them).
fn script(body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], body)
        .into_response()
}

/// The page script that talks to NCALayer and eGov mobile.
pub(super) async fn eds_script() -> Response {
    script(include_str!("../../static/eds.js"))
}

/// The page script that checks file sizes and shows an upload's progress.
pub(super) async fn upload_script() -> Response {
    script(include_str!("../../static/upload.js"))
}

/// The page script that folds the header's links into a menu on a phone.
pub(super) async fn menu_script() -> Response {
    script(include_str!("../../static/menu.js"))
}
