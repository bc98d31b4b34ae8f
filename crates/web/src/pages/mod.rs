//! The top floor for people: server-rendered pages in Kazakh, Russian and English, one module
//! per area. Anyone's (`public`, `documents`), the applicant's (`apply`, `cabinet`,
//! `complaints`, `certificates`, `inbox`), the officer's and the Commission's (`queues`,
//! `case`, `act`, `score`, `signatures`), the reviewer's (the case's evidence in `case`), the
//! administrator's (`admin`, `audit`) and staff reports (`reports`); entering and accounts
//! (`identity`, `account`, `mobile`). Every page stands on `shared` and `edge`.

use axum::Router;
use axum::routing::{get, post};

use crate::edge::AppState;

pub(crate) mod access_search;
pub(crate) mod account;
pub(crate) mod act;
pub(crate) mod admin;
pub(crate) mod app1;
pub(crate) mod apply;
mod assets;
pub(crate) mod audit;
pub(crate) mod cabinet;
pub(crate) mod case;
pub(crate) mod case_form;
pub(crate) mod certificates;
pub(crate) mod common;
pub(crate) mod complaints;
pub(crate) mod demo_signing;
pub(crate) mod documents;
pub(crate) mod filing;
pub(crate) mod identity;
pub(crate) mod inbox;
pub(crate) mod mobile;
pub(crate) mod public;
pub(crate) mod queues;
pub mod reports;
pub(crate) mod score;
pub(crate) mod signatures;

/// The pages' routes, with the static files they use.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(public::home))
        .route("/calculator", get(public::calculator).post(public::calculator_post))
        .route("/status", get(public::status).post(public::status_post))
        .route("/verify", get(public::verify).post(documents::verify_upload))
        .route("/pki/ca.pem", get(documents::roots))
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
        .route("/cabinet", get(cabinet::cabinet))
        .route("/inbox", get(inbox::page).post(inbox::read))
        .route("/account/access", get(inbox::access))
        .route("/apply", get(apply::apply).post(filing::apply_post))
        // The case page's forms post to the page itself, so that a refused form is shown again
        // at the address the person was on; `/act` stays for links and scripts made before.
        .route("/officer/cases", get(queues::cases))
        .route("/officer/certificates", get(queues::register))
        .route("/officer/alerts", get(queues::alerts))
        .route("/reports", get(reports::page))
        .route("/reports/sla.csv", get(reports::csv_file))
        .route("/reports/sla.xlsx", get(reports::xlsx_file))
        .route("/service-levels", get(reports::public))
        .route("/cases/{number}", get(case::case_page).post(act::act))
        .route("/cases/{number}/act", post(act::act))
        .route("/complaints/{number}/case", get(case::evidence))
        .route("/complaints/{number}/case/documents/{sha}", get(case::evidence_document))
        .route("/cases/{number}/score", post(score::score))
        .route("/cases/{number}/documents/{sha}", get(case::document))
        .route("/cases/{number}/files/{name}", get(documents::case_file))
        .route("/cases/{number}/application/signature", post(signatures::application_signature))
        .route("/cases/{number}/application/demo-sign", post(demo_signing::application))
        .route("/cases/{number}/result/{lang}/signature", post(signatures::result_signature))
        .route("/cases/{number}/result/{lang}/demo-sign", post(demo_signing::result))
        .route("/cases/{number}/minutes/signature", post(signatures::minutes_signature))
        .route("/cases/{number}/minutes/demo-sign", post(demo_signing::minutes))
        .route("/cases/{number}/minutes/{file}", get(signatures::minutes_file))
        .route("/officer", get(queues::officer))
        .route("/commission", get(queues::commission))
        .route("/reviewer", get(queues::reviewer))
        .route("/admin", get(admin::page))
        .route("/admin/users", post(admin::create_user))
        .route("/admin/users/{id}", post(admin::account_act))
        .route("/admin/users/{id}/confirm", get(admin::confirm_page))
        .route("/admin/audit", get(audit::page))
        .route("/admin/access", get(access_search::page))
        .route("/admin/hours", post(admin::set_hours))
        .route("/admin/signing", post(admin::set_signing))
        .route("/admin/heads", post(admin::set_head))
        .route("/admin/import", post(admin::import))
        .route("/certificates/{number}", get(certificates::page))
        .route("/certificates/{number}/act", post(certificates::act))
        .route("/certificates/{number}/files/{name}", get(documents::certificate_file))
        .route("/complaints/new", get(complaints::new).post(complaints::file))
        .route("/complaints/{number}", get(complaints::page))
        .route("/complaints/{number}/act", post(complaints::act))
        .route("/mobile", post(mobile::start))
        .route("/mobile/{request}/result", get(mobile::result))
        .route("/egov/{request}", get(mobile::description))
        .route("/egov/{request}/documents", get(mobile::documents).put(mobile::signed))
        .route("/static/app.css", get(assets::stylesheet))
        .route("/static/htmx.min.js", get(assets::htmx))
        .route("/static/eds.js", get(assets::eds_script))
        .route("/static/upload.js", get(assets::upload_script))
        .route("/static/menu.js", get(assets::menu_script))
        .route("/favicon.ico", get(assets::favicon))
        .route("/favicon.svg", get(assets::favicon))
}
