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
    let law = &state.store.reference().law;
    let cases = state.store.cases_of(&iin).await?.iter().map(|c| case_line(c, &t, today)).collect();
    let certificates = state.store.certificates_of(&iin).await?.iter().map(|c| cert_line(law, c, &t, today)).collect();
    // A store failure is said as one (5xx), never shown as an empty list.
    let complaints = state.store.complaints_of(&iin).await?.iter().map(|c| complaint_line(c, &t, today)).collect();
    let drafts = state
        .store
        .drafts_of(&s.user.id)
        .await?
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

/// When a stage is due, with its paragraph.
fn due_words(t: &Tr, d: &rules::deadline::DueDate) -> String {
    t.ta("status-due", &[("date", d.on.to_string()), ("citation", d.citation.localized(t.lang))])
}

fn case_line(c: &rules::Case, t: &Tr, today: jiff::civil::Date) -> CaseLine {
    CaseLine {
        number: c.number.to_string(),
        service: c.application.service.kind().name(t.lang).to_owned(),
        state: c.status_name(t.lang).to_owned(),
        due: c.due.as_ref().map(|d| due_words(t, d)),
        overdue: c.overdue_on(today),
    }
}

fn complaint_line(c: &rules::complaint::Complaint, t: &Tr, today: jiff::civil::Date) -> CaseLine {
    CaseLine {
        number: c.number.to_string(),
        service: t.t("complaint-title"),
        state: c.state.name(t.lang).to_owned(),
        due: c.due.as_ref().map(|d| due_words(t, d)),
        overdue: c.due.as_ref().is_some_and(|d| d.overdue_on(today)),
    }
}

fn cert_line(law: &rules::Law, c: &rules::certificate::Certificate, t: &Tr, today: jiff::civil::Date) -> CertLine {
    CertLine {
        number: c.number.to_string(),
        status: c.status_on(today).describe(t.lang),
        profession: law
            .profession_name(&c.profession, t.lang)
            .map_or(c.profession.clone(), |name| format!("{name} ({})", c.profession)),
    }
}
