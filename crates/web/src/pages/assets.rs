//! The service's own static files: the stylesheet, the vendored htmx, the page scripts and the
//! icon, compiled into the binary so that a single file is the whole service.

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// A file compiled into the binary: its media type, how long a browser may keep it, and its
/// bytes. Serving one cannot fail, so its handlers answer this rather than a `Result`.
pub(super) struct Asset {
    media: &'static str,
    max_age: u32,
    body: &'static str,
}

impl IntoResponse for Asset {
    fn into_response(self) -> Response {
        let cache = format!("public, max-age={}", self.max_age);
        ([(header::CONTENT_TYPE, self.media.to_owned()), (header::CACHE_CONTROL, cache)], self.body).into_response()
    }
}

/// One of our own page scripts (no framework; every page works without them).
fn script(body: &'static str) -> Asset {
    Asset { media: "text/javascript; charset=utf-8", max_age: 3600, body }
}

pub(super) async fn stylesheet() -> Asset {
    Asset { media: "text/css; charset=utf-8", max_age: 3600, body: include_str!("../../static/app.css") }
}

/// htmx 2 (0BSD), vendored: pages work without it; with it, forms update in place.
pub(super) async fn htmx() -> Asset {
    Asset { media: "text/javascript; charset=utf-8", max_age: 86400, body: include_str!("../../static/htmx.min.js") }
}

/// The site's icon, also under the address browsers ask for unprompted.
pub(super) async fn favicon() -> Asset {
    Asset { media: "image/svg+xml", max_age: 86400, body: include_str!("../../static/favicon.svg") }
}

/// The page script that talks to NCALayer and eGov mobile.
pub(super) async fn eds_script() -> Asset {
    script(include_str!("../../static/eds.js"))
}

/// The page script that checks file sizes and shows an upload's progress.
pub(super) async fn upload_script() -> Asset {
    script(include_str!("../../static/upload.js"))
}

/// The page script that folds the header's links into a menu on a phone.
pub(super) async fn menu_script() -> Asset {
    script(include_str!("../../static/menu.js"))
}
