//! The web service: server-rendered pages in Kazakh, Russian and English and the JSON API
//! under `/api/v1`. Only this crate knows HTTP and HTML; every decision comes from `rules`
//! through `store`.
//!
//! This first part serves what anyone may use without login: the self-assessment calculator,
//! the status of an application, certificate verification; and `/healthz`, `/readyz`.

// The OpenAPI document is one `json!` literal, deeper than the default limit allows.
#![recursion_limit = "256"]

pub mod api;
mod edge;
pub mod jobs;
mod pages;
mod shared;

use std::net::SocketAddr;

use axum::Router;
use axum::extract::Request;
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use store::Store;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;

pub use api::cases::{Listing, Page, Uploaded};
pub use api::public::StatusQuery;
pub use api::sessions::{Credentials, SessionToken};
pub use api::signatures::{SignatureAnswer, SignatureRequest};
pub use edge::AppState;
pub use edge::auth::{hash_password, verify_password};
pub use edge::i18n::{Tr, negotiate};
pub use edge::limits::Limiter;
pub use edge::problem::{Problem, problem};
pub use pages::reports;
pub use shared::application::{Signed, canonical_application};
pub use shared::demo;
pub use shared::documents::{CaseDoc, DocumentError, case_document, certificate_document};

/// How the service runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Rate-limit logins and public look-ups per client address (on unless measuring load).
    pub rate_limits: bool,
    /// The data directory, for the administrator's imports.
    pub data_dir: Option<std::path::PathBuf>,
    /// The signing office (`DATA/pki`); without one, results are shown but not signed.
    pub office: Option<std::sync::Arc<docs::Office>>,
    /// The service's public address, for the QR codes on certificates.
    pub public_url: String,
    /// `serve --demo`: offer signing with development keys beside NCALayer.
    pub demo: bool,
    /// A mail server is configured for this node.
    pub mail: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            rate_limits: true,
            data_dir: None,
            office: None,
            public_url: "http://127.0.0.1:8080".to_owned(),
            demo: false,
            mail: false,
        }
    }
}

/// An address with nothing behind it: a page in the person's language, or a problem document
/// for the API, never an empty body.
async fn nothing_here(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        edge::error::ApiError::key(axum::http::StatusCode::NOT_FOUND, "not-found", "error-not-found").into_response()
    } else {
        edge::error::PageError::not_found().into_response()
    }
}

/// Remembers a language chosen with `?lang=` in a cookie, so the next page keeps it.
async fn remember_language(request: Request, next: Next) -> Response {
    let chosen = request
        .uri()
        .query()
        .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("lang=")))
        .and_then(rules::Lang::from_tag);
    let mut response = next.run(request).await;
    if let Some(lang) = chosen
        && let Ok(v) =
            HeaderValue::from_str(&format!("lang={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly", lang.tag()))
    {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

fn security_headers(router: Router) -> Router {
    let headers: [(HeaderName, &'static str); 5] = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "same-origin"),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self' wss://127.0.0.1:13579; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
        (HeaderName::from_static("permissions-policy"), "camera=(), microphone=(), geolocation=()"),
    ];
    headers.into_iter().fold(router, |r, (name, value)| {
        r.layer(SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value)))
    })
}

/// Installs the process's metrics recorder. Call it before opening the store, so the
/// writer's first batches are counted too; the router installs it otherwise.
pub fn install_metrics() {
    edge::metrics::install();
}

/// The application: pages, API and middleware.
pub fn router(store: Store) -> Router {
    router_with(store, &Options::default())
}

/// The application with options.
pub fn router_with(store: Store, options: &Options) -> Router {
    let state = AppState {
        store,
        limiter: std::sync::Arc::default(),
        data_dir: options.data_dir.clone(),
        office: options.office.clone(),
        public_url: options.public_url.clone(),
        demo: options.demo,
        mail: options.mail,
    };
    let limited = options.rate_limits;
    edge::metrics::install();
    let app = Router::new()
        .merge(pages::routes())
        .merge(api::routes())
        .fallback(nothing_here)
        .layer(middleware::from_fn_with_state(state.clone(), edge::csrf::guard))
        .layer(middleware::from_fn(edge::speak::speak))
        .layer(middleware::from_fn(remember_language))
        .layer(middleware::from_fn(edge::trace::requests));
    let app = if limited { app.layer(middleware::from_fn_with_state(state.clone(), edge::limits::limit)) } else { app };
    let app = app
        // Every document a form can carry at its largest, and the answers around them.
        .layer(axum::extract::DefaultBodyLimit::max(edge::limits::FORM_BYTES))
        .layer(RequestBodyLimitLayer::new(edge::limits::FORM_BYTES))
        // A body that trickles in is cut off: a slow client holds no handler (and no
        // shutdown) longer than this.
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(std::time::Duration::from_secs(60)))
        .with_state(state);
    security_headers(app)
}

/// Serves until SIGINT (Ctrl-C) or SIGTERM.
pub async fn serve(store: Store, addr: SocketAddr, options: &Options) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    serve_on(listener, router_with(store, options)).await
}

/// Resolves at the first SIGINT or SIGTERM: a service manager stops the service with
/// SIGTERM, a person at a terminal with Ctrl-C, and both get the same graceful stop.
pub async fn stop_signal() {
    #[cfg(unix)]
    {
        let term = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut s) => {
                    s.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            () = term => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// How long the requests in flight are waited for after SIGTERM: a slow or stalled client
/// (one sending its headers or body a byte at a time) never holds the process up longer.
const STOP_GRACE: std::time::Duration = std::time::Duration::from_secs(10);

/// How long a client may take to send a request's headers, and how long a kept-alive
/// connection may sit idle before its next request: a client that stalls or lingers holds a
/// connection no longer than this (the body has its own bound, `RequestBodyTimeoutLayer`).
pub const HEADER_READ: std::time::Duration = std::time::Duration::from_secs(10);

/// Serves a router on a bound listener until SIGINT or SIGTERM, with client addresses for
/// rate limits. Each connection is HTTP/1.1 with a header-read and idle keep-alive bound
/// ([`HEADER_READ`]). On the signal it stops accepting connections and waits for the requests
/// in flight, at most [`STOP_GRACE`]; each of them has its answer from the writer (every
/// acknowledged write is committed before it is acknowledged), so nothing is left to flush
/// when this returns, and a request cut off at the deadline was never acknowledged.
pub async fn serve_on(listener: tokio::net::TcpListener, app: Router) -> std::io::Result<()> {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(hyper_util::rt::TokioTimer::new()).header_read_timeout(HEADER_READ).keep_alive(true);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let stop = stop_signal();
    tokio::pin!(stop);
    loop {
        let (stream, addr) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of file descriptors and the like: the listener itself is fine; wait a
                // moment rather than spin.
                Err(e) => {
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        // The client's address for the rate limits, as `ConnectInfo` gives it to extractors.
        let service = tower::ServiceExt::map_request(app.clone(), move |mut req: axum::extract::Request<_>| {
            req.extensions_mut().insert(axum::extract::ConnectInfo(addr));
            req
        });
        let connection = http.serve_connection(
            hyper_util::rt::TokioIo::new(stream),
            hyper_util::service::TowerToHyperService::new(service),
        );
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "a connection ended with an error");
            }
        });
    }
    drop(listener);
    tracing::info!("stopping: no new connections; finishing the requests in flight");
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(STOP_GRACE) => {
            tracing::warn!(seconds = STOP_GRACE.as_secs(), "stopped with requests still in flight after the grace period");
        }
    }
    tracing::info!("stopped");
    Ok(())
}
