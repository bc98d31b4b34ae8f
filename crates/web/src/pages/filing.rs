//! The application's POST: "check your answers" (the GOV.UK pattern), the application read back
//! before anything is filed with what the person already has open for the same thing, then
//! the filing itself (`apply_post`).

use askama::Template;
use axum::response::{IntoResponse, Response};

use crate::edge::AppState;
use crate::edge::error::PageError;
use crate::edge::i18n::Tr;
use crate::edge::session::Session;
use crate::edge::view::{Who, render};

use axum::extract::{Multipart, State};

use crate::edge::auth::Applicant;

use super::app1::{self, Intent};
use super::apply::{
    ApplyForm, PERSON, accept, application_from, apply_page, attach_issued_certificate, doc_kinds, file_application,
    ground_keys, save_draft, service_of,
};
use super::common::name_of;
use super::common::unreadable;

#[derive(Template)]
#[template(path = "check.html")]
pub(crate) struct CheckPage {
    pub(crate) t: Tr,
    pub(crate) who: Who,
    pub(crate) path: &'static str,
    pub(crate) service: &'static str,
    pub(crate) form_token: String,
    /// The answers as the person will file them, as (label, value).
    pub(crate) rows: Vec<(String, String)>,
    /// The documents, as (kind, file name).
    pub(crate) documents: Vec<(String, String)>,
    /// Every answer again, to post with the filing, as (field, value).
    pub(crate) hidden: Vec<(String, String)>,
    /// The person's open applications for the same service, or certificate in force for the
    /// same profession, said before filing; filing stays open (issue 36).
    pub(crate) already: Vec<(String, String)>,
}

/// "Check your answers" (the GOV.UK pattern): the application as it will be filed, read
/// back before anything is filed; the person files it or goes back to change it, with
/// every answer and upload kept.
/// What the person already has for this: open applications for the same service, and for a
/// first issue a certificate in force for the same profession, as (text, link).
async fn already_open(
    state: &AppState,
    t: &Tr,
    app: &rules::case::Application,
) -> Result<Vec<(String, String)>, PageError> {
    let iin = app.applicant.iin.to_string();
    let service = name_of(&app.service.kind());
    let mut out: Vec<(String, String)> = state
        .store
        .related_open_cases(&iin, &service, "")
        .await?
        .into_iter()
        .map(|(n, _)| (t.ta("check-already-case", &[("number", n.clone())]), format!("/cases/{n}")))
        .collect();
    if app.service.kind() == rules::case::ServiceKind::Issue {
        let today = state.today();
        for c in state.store.certificates_of(&app.applicant.iin).await? {
            if Some(&c.profession) == app.profession.as_ref() && c.status_on(today).is_valid() {
                let n = c.number.to_string();
                out.push((t.ta("check-already-certificate", &[("number", n.clone())]), format!("/certificates/{n}")));
            }
        }
    }
    Ok(out)
}

pub(crate) async fn check_page(
    state: &AppState,
    t: Tr,
    s: Session,
    form: ApplyForm,
    application: &rules::case::Application,
) -> Result<Response, PageError> {
    let already = already_open(state, &t, application).await?;
    let law = &state.store.reference().law;
    let today = state.today();
    let (service, kind) = service_of(form.service);
    let mut rows = vec![(t.t("apply-service"), kind.kind().name(t.lang).to_owned())];
    let mut row = |label: &str, value: String| {
        if !value.is_empty() {
            rows.push((t.t(label), value));
        }
    };
    let a = &form.answers;
    row("apply-akimat", law.akimat_name(&a.akimat, t.lang));
    let profession = &a.profession;
    let profession_name = law
        .catalogue
        .in_force_on(today)
        .and_then(|v| v.sectors.iter().flat_map(|s| &s.professions).find(|p| p.code == *profession))
        .map(|p| format!("{} ({})", p.names.get(t.lang), p.code));
    row("apply-profession", profession_name.unwrap_or_default());
    row("apply-certificate", a.certificate.clone());
    let ground_label = ground_keys(kind).into_iter().find(|(v, _)| *v == a.ground).map(|(_, k)| t.t(k));
    row("apply-ground", ground_label.unwrap_or_default());
    for k in ["event_date", "employer_name", "employer_id", "contract_end"] {
        let label = format!("apply-{}", k.replace('_', "-"));
        row(&label, a.shown(k).to_owned());
    }
    if a.contract_open_ended {
        row("apply-contract-end", t.t("case-contract-open-ended"));
    }
    if a.represent {
        row("apply-represent-iin", a.applicant_iin.clone());
    }
    for (name, label) in PERSON {
        row(label, a.shown(name).to_owned());
    }
    let law_now = law.set_on(today);
    let mut documents: Vec<(String, String)> = doc_kinds(law_now, kind)
        .into_iter()
        .filter_map(|k| form.kept.get(&k).map(|(_, file)| (k.name(t.lang).to_owned(), file.clone())))
        .collect();
    documents.dedup();
    let mut hidden: Vec<(String, String)> = form
        .answers
        .pairs()
        .into_iter()
        .filter(|(k, _)| *k != "service")
        .map(|(k, v)| (k.to_owned(), v))
        .chain(form.kept.iter().map(|(k, (sha, file))| (format!("kept-{}", name_of(k)), format!("{sha}|{file}"))))
        .collect();
    hidden.sort();
    let page = CheckPage {
        t,
        who: Some(s).into(),
        path: "/apply",
        service,
        form_token: form.token,
        rows,
        documents,
        hidden,
        already,
    };
    Ok(render(&page).into_response())
}

/// `POST /apply`: a draft saved, the form again ("change"), the answers read back
/// ("check"), or the application filed.
pub(crate) async fn apply_post(
    State(state): State<AppState>,
    t: Tr,
    Applicant(s): Applicant,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let posted = app1::read(&t, multipart).await.map_err(unreadable)?;
    let mut form = accept(&state, &t, &s.user, posted).await;
    if form.intent == Intent::SaveDraft && form.errors.is_empty() {
        return Ok(save_draft(&state, t, s, form).await);
    }
    // The check page's "change" goes back to the form with every answer and upload kept.
    if form.intent == Intent::Change && form.errors.is_empty() {
        return Ok(apply_page(&state, t, s, form).await);
    }
    attach_issued_certificate(&state, &t, &s, &mut form).await?;
    Ok(match application_from(&state, &t, &s, &mut form) {
        Some(application) if form.intent == Intent::Check => check_page(&state, t, s, form, &application).await?,
        Some(application) => file_application(&state, t, s, form, application).await,
        None => apply_page(&state, t, s, form).await,
    })
}
