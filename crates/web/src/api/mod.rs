//! The JSON API under `/api/v1`, one module per resource, with its request and response types
//! in `dto` and its OpenAPI description generated from both. Errors are
//! `application/problem+json`. It stands on `shared` and `edge` and imports no page.

use axum::Router;
use axum::routing::{delete, get, post, put};

use crate::edge::AppState;

pub(crate) mod cases;
pub(crate) mod certificates;
pub(crate) mod complaints;
pub mod dto;
pub mod openapi;
pub(crate) mod public;
pub(crate) mod reports;
pub(crate) mod sessions;
pub(crate) mod signatures;

/// The API's routes, with the operations probes (`/healthz`, `/readyz`, `/metrics`).
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/certificates/{number}", get(public::certificate))
        .route("/api/v1/status", post(public::status))
        .route("/api/v1/calculator", post(public::calculator))
        .route(
            "/api/v1/sessions",
            post(sessions::create_session).get(sessions::list_sessions).delete(sessions::end_all_sessions),
        )
        .route("/api/v1/sessions/{handle}", delete(sessions::end_session))
        .route("/api/v1/me/access", get(sessions::my_access))
        .route("/api/v1/documents", post(cases::upload))
        .route("/api/v1/applications", post(cases::submit))
        .route("/api/v1/cases/{number}", get(cases::get_case))
        .route("/api/v1/cases/{number}/actions", post(cases::act))
        .route("/api/v1/cases/{number}/replay", get(cases::replay))
        .route("/api/v1/cases/{number}/application", get(signatures::api_application))
        .route("/api/v1/cases/{number}/minutes", get(signatures::minutes_status))
        .route("/api/v1/cases/{number}/minutes/signature", put(signatures::sign_minutes))
        .route("/api/v1/cases/{number}/application/signature", put(signatures::api_sign_application))
        .route("/api/v1/cases/{number}/result", get(signatures::api_result))
        .route("/api/v1/cases/{number}/result/{lang}/signature", put(signatures::sign_result))
        .route("/api/v1/queue", get(cases::queue))
        .route("/api/v1/reports/sla", get(reports::api))
        .route("/api/v1/certificates/{number}/actions", post(certificates::certificate_act))
        .route("/api/v1/certificates/{number}/files/{name}", get(certificates::api_certificate_file))
        .route("/api/v1/complaints", post(complaints::file_complaint))
        .route("/api/v1/complaints/{number}", get(complaints::get_complaint))
        .route("/api/v1/complaints/{number}/actions", post(complaints::complaint_act))
        .route("/api/v1/signatures/verify", post(signatures::api_verify))
        .route("/api/v1/openapi.json", get(openapi::document))
        .route("/healthz", get(public::healthz))
        .route("/metrics", get(public::metrics))
        .route("/readyz", get(public::readyz))
}
