//! The applicant's cabinet: their cases, certificates, complaints and drafts.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use crate::edge::AppState;
use crate::edge::auth::Applicant;
use crate::edge::error::PageError;
use crate::edge::i18n::Tr;
use crate::edge::view::{Who, render};

use super::apply::service_of;

// ---------------------------------------------------------------- cabinet

pub(crate) struct CaseLine {
    pub(crate) number: String,
    pub(crate) service: String,
    pub(crate) state: String,
    pub(crate) due: Option<String>,
    pub(crate) overdue: bool,
}

pub(crate) struct CertLine {
    pub(crate) number: String,
    pub(crate) status: String,
    pub(crate) profession: String,
}

#[derive(Template)]
#[template(path = "cabinet.html")]
pub(crate) struct CabinetPage {
    pub(crate) t: Tr,
    pub(crate) who: Who,
    pub(crate) path: &'static str,
    pub(crate) cases: Vec<CaseLine>,
    pub(crate) certificates: Vec<CertLine>,
    pub(crate) complaints: Vec<CaseLine>,
    pub(crate) drafts: Vec<(String, String)>,
    /// Notices not read yet, for the inbox's link.
    pub(crate) unread: i64,
}

pub(crate) async fn cabinet(
    State(state): State<AppState>,
    t: Tr,
    Applicant(s): Applicant,
) -> Result<Response, PageError> {
    let Some(iin) = s.user.iin.clone() else { return Err(PageError::forbidden()) };
    let today = state.today();
    let cases = state.store.cases_of(&iin).await?;
    let certs = state.store.certificates_of(&iin).await?;
    let cases = cases
        .iter()
        .map(|c| CaseLine {
            number: c.number.to_string(),
            service: c.application.service.kind().name(t.lang).to_owned(),
            state: c.status_name(t.lang).to_owned(),
            due: c
                .due
                .as_ref()
                .map(|d| t.ta("status-due", &[("date", d.on.to_string()), ("citation", d.citation.localized(t.lang))])),
            overdue: c.overdue_on(today),
        })
        .collect();
    let certificates = certs
        .iter()
        .map(|c| CertLine {
            number: c.number.to_string(),
            status: c.status_on(today).describe(t.lang),
            profession: state
                .store
                .reference()
                .law
                .profession_name(&c.profession, t.lang)
                .map_or(c.profession.clone(), |name| format!("{name} ({})", c.profession)),
        })
        .collect();
    let complaints = state
        .store
        .complaints_of(&iin)
        .await
        .unwrap_or_default()
        .iter()
        .map(|c| CaseLine {
            number: c.number.to_string(),
            service: t.t("complaint-title"),
            state: c.state.name(t.lang).to_owned(),
            due: c
                .due
                .as_ref()
                .map(|d| t.ta("status-due", &[("date", d.on.to_string()), ("citation", d.citation.localized(t.lang))])),
            overdue: c.due.as_ref().is_some_and(|d| d.overdue_on(today)),
        })
        .collect();
    let drafts = state
        .store
        .drafts_of(&s.user.id)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|(service, _)| {
            let label = service_of(&service).1.kind().name(t.lang).to_owned();
            (service, label)
        })
        .collect();
    let unread = state.store.unread(&iin).await?;
    Ok(render(&CabinetPage {
        t,
        who: Some(s).into(),
        path: "/cabinet",
        cases,
        certificates,
        complaints,
        drafts,
        unread,
    }))
}
