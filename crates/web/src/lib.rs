//! The web service: server-rendered pages in Kazakh, Russian and English and the JSON API
//! under `/api/v1`. Only this crate knows HTTP and HTML; every decision comes from `rules`
//! through `store`.
//!
//! This first part serves what anyone may use without login: the self-assessment calculator,
//! the status of an application, certificate verification; and `/healthz`, `/readyz`.

// The OpenAPI document is one `json!` literal, deeper than the default limit allows.
#![recursion_limit = "256"]

mod account;
mod admin;
mod api;
mod api_auth;
mod application;
mod audit;
mod authorised;
mod certificates;
mod complaints;
pub mod demo;
mod demo_signing;
pub mod dto;
mod edge;
mod identity;
mod inbox;
mod lookup;
pub mod minutes;
mod mobile;
mod office;
pub mod openapi;
mod pages;
pub mod reports;
mod signed;
mod signing;
pub mod worker;

use std::net::SocketAddr;

use axum::Router;
use axum::extract::Request;
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use store::Store;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;

pub use api::StatusQuery;
pub use api_auth::{Credentials, Listing, Page, SessionToken, Uploaded};
pub use application::{Signed, canonical_application};
pub use edge::AppState;
pub use edge::auth::{hash_password, verify_password};
pub use edge::i18n::{Tr, negotiate};
pub use edge::limits::Limiter;
pub use edge::problem::{Problem, problem};
pub use signed::{CaseDoc, DocumentError, SignatureAnswer, SignatureRequest, case_document, certificate_document};

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
}

impl Default for Options {
    fn default() -> Options {
        Options {
            rate_limits: true,
            data_dir: None,
            office: None,
            public_url: "http://127.0.0.1:8080".to_owned(),
            demo: false,
        }
    }
}

async fn stylesheet() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../static/app.css"),
    )
        .into_response()
}

/// htmx 2 (0BSD), vendored: pages work without it; with it, forms update in place.
async fn htmx() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=86400")],
        include_str!("../static/htmx.min.js"),
    )
        .into_response()
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

/// The site's icon, also under the address browsers ask for unprompted.
async fn favicon() -> Response {
    (
        [(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "public, max-age=86400")],
        include_str!("../static/favicon.svg"),
    )
        .into_response()
}

/// One of our own page scripts (no framework; every page works without them).
fn script(body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], body)
        .into_response()
}

/// The page script that talks to NCALayer and eGov mobile.
async fn eds_script() -> Response {
    script(include_str!("../static/eds.js"))
}

/// The page script that checks file sizes and shows an upload's progress.
async fn upload_script() -> Response {
    script(include_str!("../static/upload.js"))
}

/// The page script that folds the header's links into a menu on a phone.
async fn menu_script() -> Response {
    script(include_str!("../static/menu.js"))
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
    };
    let limited = options.rate_limits;
    edge::metrics::install();
    let app = Router::new()
        .route("/", get(pages::home))
        .route("/calculator", get(pages::calculator).post(pages::calculator_post))
        .route("/status", get(pages::status).post(pages::status_post))
        .route("/verify", get(pages::verify).post(signed::verify_upload))
        .route("/pki/ca.pem", get(signed::roots))
        .route("/login", get(account::login).post(account::login_post))
        .route("/logout", post(account::logout))
        .route("/register", get(identity::register))
        .route("/eds/enter", post(identity::enter))
        .route("/eds/demo-enter", post(identity::demo_enter))
        .route("/account", get(identity::account))
        .route("/account/eds", post(identity::bind_eds))
        .route("/account/demo-bind", post(identity::demo_bind))
        .route("/account/password", post(account::change_password))
        .route("/account/sessions", post(account::end_sessions))
        .route("/account/notices", post(account::set_notices))
        .route("/cabinet", get(office::cabinet::cabinet))
        .route("/inbox", get(inbox::page).post(inbox::read))
        .route("/apply", get(office::apply::apply).post(office::apply::apply_post))
        // The case page's forms post to the page itself, so that a refused form is shown again
        // at the address the person was on; `/act` stays for links and scripts made before.
        .route("/officer/cases", get(office::queues::cases))
        .route("/officer/certificates", get(office::queues::register))
        .route("/officer/alerts", get(office::queues::alerts))
        .route("/reports", get(reports::page))
        .route("/reports/sla.csv", get(reports::csv_file))
        .route("/reports/sla.xlsx", get(reports::xlsx_file))
        .route("/service-levels", get(reports::public))
        .route("/cases/{number}", get(office::case::case_page).post(office::act::act))
        .route("/cases/{number}/act", post(office::act::act))
        .route("/complaints/{number}/case", get(office::case::evidence))
        .route("/complaints/{number}/case/documents/{sha}", get(office::case::evidence_document))
        .route("/cases/{number}/score", post(office::score::score))
        .route("/cases/{number}/documents/{sha}", get(office::case::document))
        .route("/cases/{number}/files/{name}", get(signed::case_file))
        .route("/cases/{number}/application/signature", post(application::page_sign))
        .route("/cases/{number}/application/demo-sign", post(demo_signing::application))
        .route("/cases/{number}/result/{lang}/signature", post(authorised::page_sign))
        .route("/cases/{number}/result/{lang}/demo-sign", post(demo_signing::result))
        .route("/cases/{number}/minutes/signature", post(minutes::page_sign))
        .route("/cases/{number}/minutes/demo-sign", post(demo_signing::minutes))
        .route("/cases/{number}/minutes/{file}", get(minutes::file))
        .route("/officer", get(office::queues::officer))
        .route("/commission", get(office::queues::commission))
        .route("/reviewer", get(office::queues::reviewer))
        .route("/admin", get(admin::page))
        .route("/admin/users", post(admin::create_user))
        .route("/admin/users/{id}", post(admin::account_act))
        .route("/admin/users/{id}/confirm", get(admin::confirm_page))
        .route("/admin/audit", get(audit::page))
        .route("/admin/hours", post(admin::set_hours))
        .route("/admin/signing", post(admin::set_signing))
        .route("/admin/heads", post(admin::set_head))
        .route("/admin/import", post(admin::import))
        .route("/certificates/{number}", get(certificates::page))
        .route("/certificates/{number}/act", post(certificates::act))
        .route("/certificates/{number}/files/{name}", get(signed::certificate_file))
        .route("/complaints/new", get(complaints::new).post(complaints::file))
        .route("/complaints/{number}", get(complaints::page))
        .route("/complaints/{number}/act", post(complaints::act))
        .route("/static/app.css", get(stylesheet))
        .route("/static/htmx.min.js", get(htmx))
        .route("/static/eds.js", get(eds_script))
        .route("/static/upload.js", get(upload_script))
        .route("/static/menu.js", get(menu_script))
        .route("/mobile", post(mobile::start))
        .route("/mobile/{request}/result", get(mobile::result))
        .route("/egov/{request}", get(mobile::description))
        .route("/egov/{request}/documents", get(mobile::documents).put(mobile::signed))
        .route("/api/v1/certificates/{number}", get(api::certificate))
        .route("/api/v1/status", post(api::status))
        .route("/api/v1/calculator", post(api::calculator))
        .route(
            "/api/v1/sessions",
            post(api_auth::create_session).get(api_auth::list_sessions).delete(api_auth::end_all_sessions),
        )
        .route("/api/v1/sessions/{handle}", axum::routing::delete(api_auth::end_session))
        .route("/api/v1/documents", post(api_auth::upload))
        .route("/api/v1/applications", post(api_auth::submit))
        .route("/api/v1/cases/{number}", get(api_auth::get_case))
        .route("/api/v1/cases/{number}/actions", post(api_auth::act))
        .route("/api/v1/cases/{number}/application", get(application::api_application))
        .route("/api/v1/cases/{number}/minutes", get(minutes::api_status))
        .route("/api/v1/cases/{number}/minutes/signature", axum::routing::put(minutes::api_sign))
        .route("/api/v1/cases/{number}/application/signature", axum::routing::put(application::api_sign_application))
        .route("/api/v1/cases/{number}/result", get(authorised::api_result))
        .route("/api/v1/cases/{number}/result/{lang}/signature", axum::routing::put(authorised::api_sign))
        .route("/api/v1/queue", get(api_auth::queue))
        .route("/api/v1/reports/sla", get(reports::api))
        .route("/api/v1/certificates/{number}/actions", post(api_auth::certificate_act))
        .route("/api/v1/certificates/{number}/files/{name}", get(signed::api_certificate_file))
        .route("/api/v1/complaints", post(api_auth::file_complaint))
        .route("/api/v1/complaints/{number}", get(api_auth::get_complaint))
        .route("/api/v1/complaints/{number}/actions", post(api_auth::complaint_act))
        .route("/api/v1/signatures/verify", post(signed::api_verify))
        .route("/api/v1/openapi.json", get(openapi::document))
        .route("/healthz", get(api::healthz))
        .route("/metrics", get(api::metrics))
        .route("/readyz", get(api::readyz))
        .route("/favicon.ico", get(favicon))
        .route("/favicon.svg", get(favicon))
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

/// Serves a router on a bound listener until SIGINT or SIGTERM, with client addresses for
/// rate limits. On the signal it stops accepting connections and waits for the requests in
/// flight; each of them has its answer from the writer (every acknowledged write is
/// committed before it is acknowledged), so nothing is left to flush when this returns.
pub async fn serve_on(listener: tokio::net::TcpListener, app: Router) -> std::io::Result<()> {
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async {
            stop_signal().await;
            tracing::info!("stopping: no new connections; finishing the requests in flight");
        })
        .await?;
    tracing::info!("stopped");
    Ok(())
}
