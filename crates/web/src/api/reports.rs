//! The reports through the API: `GET /api/v1/reports/sla` for staff, the same figures as the
//! reports page.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::api::dto::ApiQuery;
use crate::edge::AppState;
use crate::edge::api_doc::*;
use crate::edge::error::ApiError;
use crate::edge::i18n::Tr;
use crate::shared::period::{ReportQuery, resolve};
use jiff::civil::Date;
use store::reports::Report;

/// The period and akimat of a report.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ReportParams {
    /// The first day (YYYY-MM-DD); the last 30 days when absent.
    #[param(value_type = String, format = Date, required = false)]
    #[serde(default)]
    pub from: Option<Date>,
    /// The last day (YYYY-MM-DD).
    #[param(value_type = String, format = Date, required = false)]
    #[serde(default)]
    pub to: Option<Date>,
    /// An akimat's code; the whole country when absent.
    #[param(required = false, max_length = 64)]
    #[serde(default)]
    pub akimat: Option<String>,
}

/// The statutory on-time rates, volumes, refusals by ground, processing times and open cases
/// at risk of a period, for an akimat or the country (staff).
#[utoipa::path(get, path = "/api/v1/reports/sla", tag = "reports", security(("session" = [])), params(ReportParams, Lang),
    responses((status = 200, description = "The report", body = Object), PROBLEMS_400, PROBLEMS_401, PROBLEMS_403, PROBLEMS_422, PROBLEMS_503))]
pub(crate) async fn api(
    State(state): State<AppState>,
    t: Tr,
    crate::edge::api_user::ApiStaff(_): crate::edge::api_user::ApiStaff,
    ApiQuery(p): ApiQuery<ReportParams>,
) -> Result<Json<Report>, ApiError> {
    let q = ReportQuery {
        from: p.from.map(|d| d.to_string()).unwrap_or_default(),
        to: p.to.map(|d| d.to_string()).unwrap_or_default(),
        akimat: p.akimat.unwrap_or_default(),
    };
    // Read, but not a report there can be: a period backwards or too long, an akimat that is
    // not one. Not a field the request failed to give ("invalid"), so a "problem".
    let (from, to, akimat) = resolve(&state, &q, &t)
        .map_err(|m| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "problem", crate::edge::error::Said::Text(m)))?;
    Ok(Json(state.store.report_of(from, to, akimat.as_deref(), jiff::Timestamp::now()).await?))
}
