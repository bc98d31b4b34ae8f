//! The pages of people who log in: the applicant's cabinet, application form and case page;
//! the officer's queue; the Commission's agenda; and the actions on a case, which are exactly
//! the ones the rules allow now to this person (the transition table, the role, the akimat).

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::civil::Date;
use rules::assessment::{Answer, Answers, Scale};
use rules::case::{
    Application, CaseAction, CommandKind, Contact, DuplicateGround, Ground, Outcome, Recommendation, ReissueGround,
    Service, transition,
};
use rules::certificate::{Employer, Holder};
use rules::documents::{Document, DocumentKind, check};
use rules::ids::TaxpayerId;
use rules::numbers::CaseNumber;
use rules::{Role, RuleSet};
use serde::Deserialize;
use store::{Request, StoreError};

use crate::edge::AppState;
use crate::edge::auth::LoggedIn;
use crate::edge::error::PageError;
use crate::edge::forms::{Form, FormSpec, choice};
use crate::edge::i18n::Tr;
use crate::edge::session::Session;
use crate::edge::view::id_error;
use crate::edge::view::{Who, render};
use crate::minutes::{Act, MinutesStatus, Proposal};

fn forbidden() -> Response {
    PageError::forbidden().into_response()
}

/// A multipart body that breaks off or exceeds the limit, in the person's language.
fn unreadable(status: StatusCode) -> Response {
    let said = crate::edge::error::Said::Key("error-body-unreadable");
    PageError::of(crate::edge::error::Fault::new(status, "invalid", said)).into_response()
}

/// The serialized name of a value (`identity-document`).
fn name_of(v: &impl serde::Serialize) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

// ---------------------------------------------------------------- cabinet

struct CaseLine {
    number: String,
    service: String,
    state: String,
    due: Option<String>,
    overdue: bool,
}

struct CertLine {
    number: String,
    status: String,
    profession: String,
}

#[derive(Template)]
#[template(path = "cabinet.html")]
struct CabinetPage {
    t: Tr,
    who: Who,
    path: &'static str,
    cases: Vec<CaseLine>,
    certificates: Vec<CertLine>,
    complaints: Vec<CaseLine>,
    drafts: Vec<(String, String)>,
    /// Notices not read yet, for the inbox's link.
    unread: i64,
}

pub(crate) async fn cabinet(State(state): State<AppState>, t: Tr, LoggedIn(s): LoggedIn) -> Response {
    let Some(iin) = s.user.iin.clone().filter(|_| s.user.role == Role::Applicant) else { return forbidden() };
    let today = state.today();
    let cases = match state.store.cases_of(&iin).await {
        Ok(c) => c,
        Err(e) => return crate::edge::error::PageError::from(e).into_response(),
    };
    let certs = match state.store.certificates_of(&iin).await {
        Ok(c) => c,
        Err(e) => return crate::edge::error::PageError::from(e).into_response(),
    };
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
    let unread = match state.store.unread(&iin.to_string()).await {
        Ok(n) => n,
        Err(e) => return crate::edge::error::PageError::from(e).into_response(),
    };
    render(&CabinetPage { t, who: Some(s).into(), path: "/cabinet", cases, certificates, complaints, drafts, unread })
}

// ---------------------------------------------------------------- application form

/// What a saved draft holds: the typed values and the uploaded documents.
#[derive(serde::Serialize, serde::Deserialize, Default)]
struct Draft {
    values: HashMap<String, String>,
    documents: Vec<(DocumentKind, String, String)>,
}

struct Choice {
    value: String,
    label: String,
    selected: bool,
}

struct Group {
    label: String,
    choices: Vec<Choice>,
}

struct DocField {
    name: String,
    label: String,
    kept: Option<(String, String)>,
    kept_label: String,
    error: Option<String>,
    /// Said instead of asking for the file, when the service attaches its own copy.
    own: Option<String>,
}

#[derive(Template)]
#[template(path = "apply.html")]
struct ApplyPage {
    t: Tr,
    who: Who,
    path: &'static str,
    service: &'static str,
    services: Vec<Choice>,
    akimats: Vec<Choice>,
    professions: Vec<Group>,
    certificates: Vec<Choice>,
    grounds: Vec<Choice>,
    docs: Vec<DocField>,
    values: HashMap<String, String>,
    errors: HashMap<String, String>,
    missing: Vec<String>,
    refusal: Option<String>,
    form_token: String,
    checklist_citation: String,
    person: Vec<(&'static str, String)>,
    /// What the service needs (App.2 item 8), line by line, said before the form.
    needs: Vec<String>,
    /// The errors in the order of the form, as (field id, message), for the error summary.
    summary: Vec<(String, String)>,
    /// The certificate an extension, re-issue or duplicate is about, in words.
    about: Option<String>,
}

impl ApplyPage {
    /// The largest document, in bytes (the form's script checks it before sending).
    fn file_bytes(&self) -> usize {
        crate::edge::limits::FILE_BYTES
    }

    /// The same in MB, as people read it.
    fn file_mb(&self) -> usize {
        crate::edge::limits::FILE_BYTES / (1024 * 1024)
    }

    fn v(&self, name: &str) -> &str {
        self.values.get(name).map_or("", String::as_str)
    }

    fn e(&self, name: &str) -> Option<&str> {
        self.errors.get(name).map(String::as_str)
    }

    fn checked(&self, name: &str) -> bool {
        self.values.get(name).is_some_and(|v| v == "on" || v == "yes")
    }
}

fn service_of(name: &str) -> (&'static str, Service) {
    match name {
        "extend" => ("extend", Service::Extend),
        "reissue" => ("reissue", Service::Reissue { ground: ReissueGround::NameChange }),
        "duplicate" => ("duplicate", Service::Duplicate { ground: DuplicateGround::Lost }),
        _ => ("issue", Service::Issue),
    }
}

/// The documents offered for a service: every kind any line of its checklist accepts.
fn doc_kinds(rules: &RuleSet, service: Service) -> Vec<DocumentKind> {
    let lists = match service {
        Service::Reissue { .. } => {
            vec![rules::documents::Checklist::ReissueChangedData, rules::documents::Checklist::ReissueNewEmployer]
        }
        other => vec![other.checklist()],
    };
    // A person filing for the applicant attaches their power of attorney (Rules §3).
    kinds_in(rules, &lists, &rules.checklists.representative.any_of)
}

/// Every kind the lines of `lists` accept, then `more`, each once, in that order.
fn kinds_in(rules: &RuleSet, lists: &[rules::documents::Checklist], more: &[DocumentKind]) -> Vec<DocumentKind> {
    let mut kinds: Vec<DocumentKind> = Vec::new();
    let listed = lists.iter().flat_map(|l| rules.checklists.list(*l)).flat_map(|r| r.any_of.iter().copied());
    for k in listed.chain(more.iter().copied()) {
        if !kinds.contains(&k) {
            kinds.push(k);
        }
    }
    kinds
}

#[derive(serde::Deserialize)]
pub(crate) struct ApplyQuery {
    service: Option<String>,
    /// Prefilled from a new employer's notice (Rules §18 → §19, §22).
    ground: Option<String>,
    certificate: Option<String>,
    event_date: Option<String>,
    employer_name: Option<String>,
    employer_id: Option<String>,
}

pub(crate) async fn apply(
    State(state): State<AppState>,
    t: Tr,
    LoggedIn(s): LoggedIn,
    Query(q): Query<ApplyQuery>,
) -> Response {
    if s.user.role != Role::Applicant {
        return forbidden();
    }
    let mut values = HashMap::new();
    // The name's parts as the person's certificate gave them; a name is never split on spaces
    // ("De la Cruz" is one surname), so without parts the fields are left for the person.
    match state.store.name_parts(&s.user.id).await {
        Ok(Some(parts)) => {
            values.insert("surname".to_owned(), parts.surname);
            values.insert("given_name".to_owned(), parts.given_names);
            values.insert("patronymic".to_owned(), parts.patronymic.unwrap_or_default());
        }
        Ok(None) => {}
        // A fault of the database is ours (5xx), not a form without names.
        Err(e) => return crate::edge::error::PageError::from(e).into_response(),
    }
    let service = service_of(&q.service.clone().unwrap_or_default()).0.to_owned();
    // Issue 31: an extension, re-issue or duplicate started from a certificate is pre-filled
    // from the person's last application, with the certificate's akimat chosen: nothing they
    // told the service before is asked again.
    if q.certificate.is_some()
        && let Some(iin) = &s.user.iin
    {
        match state.store.cases_of(iin).await {
            Ok(cases) => {
                if let Some(last) =
                    cases.iter().filter(|c| c.application.applicant.iin == *iin).max_by_key(|c| c.received_on)
                {
                    prefill_from(&mut values, &last.application);
                }
            }
            Err(e) => return crate::edge::error::PageError::from(e).into_response(),
        }
        if let Some(number) = &q.certificate
            && let Ok(Some(c)) = state.store.certificate(number.trim()).await
        {
            values.insert("akimat".to_owned(), c.akimat.to_string());
            values.insert("profession".to_owned(), c.profession.clone());
        }
    }
    for (k, v) in [
        ("ground", &q.ground),
        ("certificate", &q.certificate),
        ("event_date", &q.event_date),
        ("employer_name", &q.employer_name),
        ("employer_id", &q.employer_id),
    ] {
        if let Some(v) = v {
            values.insert(k.to_owned(), v.trim().to_owned());
        }
    }
    let token = match crate::edge::random::token() {
        Ok(t) => t,
        Err(e) => return crate::edge::error::PageError::ours(StatusCode::SERVICE_UNAVAILABLE, &e).into_response(),
    };
    let mut kept = HashMap::new();
    if let Ok(Some(content)) = state.store.draft(&s.user.id, &service).await
        && let Ok(draft) = serde_json::from_str::<Draft>(&content)
    {
        values = draft.values;
        values.insert("draft-resumed".into(), "1".into());
        for (kind, sha, file) in draft.documents {
            if state.store.owns_upload(&s.user.id, &sha).await.unwrap_or(false) {
                kept.insert(kind, (sha, file));
            }
        }
    }
    apply_page(&state, t, s, ApplyForm { service: service_of(&service).0, values, kept, token, ..ApplyForm::default() })
        .await
}

/// The answers of an earlier application that a follow-up one asks again: the identity
/// document, the addresses and phones, the employer.
fn prefill_from(values: &mut HashMap<String, String>, app: &rules::case::Application) {
    let a = &app.applicant;
    let c = &app.contact;
    let mut put = |k: &str, v: String| {
        if !v.trim().is_empty() {
            values.insert(k.to_owned(), v);
        }
    };
    put("document_number", a.document_number.clone());
    put("document_issued_on", rules::text::dotted_date(a.document_issued_on));
    put("document_issued_by", a.document_issued_by.clone());
    put("address", c.address.clone());
    put("phone", c.phone.clone());
    put("fax", c.fax.clone().unwrap_or_default());
    put("home_address", c.home_address.clone());
    put("home_phone", c.home_phone.clone());
    if let Some(e) = &app.employer {
        put("employer_name", e.name.clone());
        let id = match &e.id {
            rules::ids::TaxpayerId::Iin(i) => i.to_string(),
            rules::ids::TaxpayerId::Bin(b) => b.to_string(),
        };
        put("employer_id", id);
    }
}

/// One application form as posted, resumed from a draft or pre-filled: what was typed, the
/// documents already uploaded (kept across errors), and what is wrong with it.
#[derive(Default)]
struct ApplyForm {
    service: &'static str,
    values: HashMap<String, String>,
    kept: HashMap<DocumentKind, (String, String)>,
    errors: HashMap<String, String>,
    /// Checklist lines no uploaded document meets, with their paragraphs.
    missing: Vec<String>,
    refusal: Option<String>,
    /// The form's idempotency key: the same form posted twice files once.
    token: String,
}

impl ApplyForm {
    fn v(&self, k: &str) -> String {
        self.values.get(k).map(|s| s.trim().to_owned()).unwrap_or_default()
    }

    fn on(&self, k: &str) -> bool {
        self.values.get(k).is_some_and(|c| c == "on")
    }

    fn error(&mut self, k: &str, message: String) {
        self.errors.insert(k.to_owned(), message);
    }

    fn require(&mut self, t: &Tr, k: &str) {
        if self.v(k).is_empty() {
            self.error(k, t.t("error-required"));
        }
    }

    /// A date field: `None` when empty, and an error beside it when it is not a date.
    fn date(&mut self, t: &Tr, k: &str) -> Option<Date> {
        let typed = self.v(k);
        let date = parse_date(&typed);
        if date.is_none() && !typed.is_empty() {
            self.error(k, t.t("error-date"));
        }
        date
    }
}

/// The list of professions in force on `today`, by priority sector, each by name with its
/// code, `chosen` selected.
fn profession_groups(law: &rules::Law, today: Date, t: &Tr, chosen: &str) -> Vec<Group> {
    law.catalogue
        .in_force_on(today)
        .map(|v| {
            v.sectors
                .iter()
                .map(|s| Group {
                    label: format!("{} ({})", s.names.get(t.lang), s.oked),
                    choices: s
                        .professions
                        .iter()
                        .map(|p| Choice {
                            value: p.code.clone(),
                            label: format!("{} ({})", p.names.get(t.lang), p.code),
                            selected: p.code == chosen,
                        })
                        .collect(),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The questions about the person on the application form (App.1), as (field, label key).
const PERSON: [(&str, &str); 12] = [
    ("surname", "register-surname"),
    ("given_name", "register-given-name"),
    ("patronymic", "register-patronymic"),
    ("document_number", "apply-document-number"),
    ("document_issued_on", "apply-document-issued-on"),
    ("document_valid_until", "apply-document-valid-until"),
    ("document_issued_by", "apply-document-issued-by"),
    ("address", "apply-address"),
    ("phone", "apply-phone"),
    ("fax", "apply-fax"),
    ("home_address", "apply-home-address"),
    ("home_phone", "apply-home-phone"),
];

/// The grounds a service asks for, as (form value, label key).
fn ground_keys(service: Service) -> Vec<(&'static str, &'static str)> {
    match service {
        Service::Reissue { .. } => vec![
            ("name-change", "ground-name-change"),
            ("identity-document-change", "ground-document-change"),
            ("employer-change", "ground-employer-change"),
        ],
        Service::Duplicate { .. } => vec![("lost", "ground-lost"), ("damaged", "ground-damaged")],
        _ => vec![],
    }
}

#[derive(Template)]
#[template(path = "check.html")]
struct CheckPage {
    t: Tr,
    who: Who,
    path: &'static str,
    service: &'static str,
    form_token: String,
    /// The answers as the person will file them, as (label, value).
    rows: Vec<(String, String)>,
    /// The documents, as (kind, file name).
    documents: Vec<(String, String)>,
    /// Every answer again, to post with the filing, as (field, value).
    hidden: Vec<(String, String)>,
}

/// "Check your answers" (the GOV.UK pattern): the application as it will be filed, read
/// back before anything is filed; the person files it or goes back to change it, with
/// every answer and upload kept.
fn check_page(state: &AppState, t: Tr, s: Session, form: ApplyForm) -> Response {
    let law = &state.store.reference().law;
    let today = state.today();
    let (service, kind) = service_of(form.service);
    let mut rows = vec![(t.t("apply-service"), kind.kind().name(t.lang).to_owned())];
    let mut row = |label: &str, value: String| {
        if !value.is_empty() {
            rows.push((t.t(label), value));
        }
    };
    row("apply-akimat", law.akimat_name(&form.v("akimat"), t.lang));
    let profession = form.v("profession");
    let profession_name = law
        .catalogue
        .in_force_on(today)
        .and_then(|v| v.sectors.iter().flat_map(|s| &s.professions).find(|p| p.code == profession))
        .map(|p| format!("{} ({})", p.names.get(t.lang), p.code));
    row("apply-profession", profession_name.unwrap_or_default());
    row("apply-certificate", form.v("certificate"));
    let ground = form.v("ground");
    let ground_label = ground_keys(kind).into_iter().find(|(v, _)| *v == ground).map(|(_, k)| t.t(k));
    row("apply-ground", ground_label.unwrap_or_default());
    for k in ["event_date", "employer_name", "employer_id", "contract_end"] {
        let label = format!("apply-{}", k.replace('_', "-"));
        row(&label, form.v(k));
    }
    if form.on("contract_open_ended") {
        row("apply-contract-end", t.t("case-contract-open-ended"));
    }
    if form.on("represent") {
        row("apply-represent-iin", form.v("applicant_iin"));
    }
    for (name, label) in PERSON {
        row(label, form.v(name));
    }
    let law_now = law.set_on(today);
    let mut documents: Vec<(String, String)> = doc_kinds(law_now, kind)
        .into_iter()
        .filter_map(|k| form.kept.get(&k).map(|(_, file)| (k.name(t.lang).to_owned(), file.clone())))
        .collect();
    documents.dedup();
    let mut hidden: Vec<(String, String)> = form
        .values
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "csrf" | "step" | "save" | "service" | "form_token"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .chain(form.kept.iter().map(|(k, (sha, file))| (format!("kept-{}", name_of(k)), format!("{sha}|{file}"))))
        .collect();
    hidden.sort();
    let page =
        CheckPage { t, who: Some(s).into(), path: "/apply", service, form_token: form.token, rows, documents, hidden };
    render(&page).into_response()
}

async fn apply_page(state: &AppState, t: Tr, s: Session, form: ApplyForm) -> Response {
    let ApplyForm { service, values, kept, errors, missing, refusal, token: form_token } = form;
    let (service_name, service_kind) = service_of(service);
    let law = &state.store.reference().law;
    let today = state.today();
    let rules_now = law.set_on(today);
    let services = ["issue", "extend", "reissue", "duplicate"]
        .iter()
        .map(|n| Choice {
            value: (*n).to_owned(),
            label: service_of(n).1.kind().name(t.lang).to_owned(),
            selected: *n == service_name,
        })
        .collect();
    let chosen_akimat = values.get("akimat").cloned().unwrap_or_default();
    let akimats = law
        .akimats
        .iter()
        .map(|a| Choice {
            value: a.code.to_string(),
            label: a.names.get(t.lang).to_owned(),
            selected: a.code == chosen_akimat,
        })
        .collect();
    let professions = profession_groups(law, today, &t, values.get("profession").map_or("", String::as_str));
    let chosen_cert = values.get("certificate").cloned().unwrap_or_default();
    let held: Vec<rules::certificate::Certificate> = match &s.user.iin {
        Some(iin) => state.store.certificates_of(iin).await.unwrap_or_default(),
        None => Vec::new(),
    }
    .into_iter()
    .filter(|c| c.status_on(today).is_valid())
    .collect();
    // The form names the certificate it is about, as the holder knows it.
    let about = held.iter().find(|c| c.number.to_string() == chosen_cert).map(|c| {
        let profession = law
            .profession_name(&c.profession, t.lang)
            .map_or(c.profession.clone(), |name| format!("{name} ({})", c.profession));
        t.ta(
            "apply-for-certificate",
            &[("number", c.number.to_string()), ("profession", profession), ("to", c.valid_to.to_string())],
        )
    });
    // The certificate an extension needs is the one this service issued: it attaches it.
    let own_certificate = state.office.is_some() && !held.is_empty();
    let certificates = held
        .into_iter()
        .map(|c| Choice {
            value: c.number.to_string(),
            label: format!("{} · {}", c.number, c.status_on(today).describe(t.lang)),
            selected: c.number.to_string() == chosen_cert,
        })
        .collect();
    let chosen_ground = values.get("ground").cloned().unwrap_or_default();
    let grounds = ground_keys(service_kind)
        .into_iter()
        .map(|(v, k)| Choice { value: v.to_owned(), label: t.t(k), selected: chosen_ground == v })
        .collect();
    let docs: Vec<DocField> = doc_kinds(rules_now, service_kind)
        .into_iter()
        .map(|k| DocField {
            name: name_of(&k),
            label: k.name(t.lang).to_owned(),
            kept: kept.get(&k).cloned(),
            kept_label: kept.get(&k).map(|(_, f)| t.ta("apply-uploaded", &[("file", f.clone())])).unwrap_or_default(),
            error: errors.get(&format!("doc-{}", name_of(&k))).cloned(),
            own: (own_certificate && k == DocumentKind::PreviousCertificate).then(|| t.t("apply-own-certificate")),
        })
        .collect();
    let checklist_citation = rules_now
        .checklists
        .list(service_kind.checklist())
        .first()
        .map(|r| r.citation.localized(t.lang))
        .unwrap_or_default();
    let status = if errors.is_empty() && missing.is_empty() && refusal.is_none() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let person = PERSON.into_iter().map(|(n, k)| (n, t.t(k))).collect::<Vec<_>>();
    let needs = rules_now
        .checklists
        .requirements(service_kind.checklist(), false)
        .iter()
        .map(|r| {
            let kinds: Vec<&str> = r.any_of.iter().map(|k| k.name(t.lang)).collect();
            format!("{} ({})", kinds.join(rules::speech::word(t.lang, "word-or")), r.citation.localized(t.lang))
        })
        .collect();
    // The summary lists the errors as the form asks its questions, each linking to its field.
    let order: Vec<String> = ["akimat", "profession", "certificate", "event_date", "employer_name", "employer_id"]
        .into_iter()
        .chain(["contract_end", "applicant_iin"])
        .map(str::to_owned)
        .chain(person.iter().map(|(n, _)| (*n).to_owned()))
        .chain(docs.iter().map(|d| format!("doc-{}", d.name)))
        .chain(["consent".to_owned()])
        .collect();
    // Each line names its field as the form labels it ("Akimat: Required."), so a list of
    // nine "Required." says which nine (issue 31).
    let label_of = |k: &str| -> Option<String> {
        let fixed = [
            ("akimat", "apply-akimat"),
            ("profession", "apply-profession"),
            ("certificate", "apply-certificate"),
            ("event_date", "apply-event-date"),
            ("employer_name", "apply-employer-name"),
            ("employer_id", "apply-employer-id"),
            ("contract_end", "apply-contract-end"),
            ("applicant_iin", "apply-represent-iin"),
        ];
        fixed
            .iter()
            .find(|(id, _)| *id == k)
            .map(|(_, key)| t.t(key))
            .or_else(|| person.iter().find(|(n, _)| *n == k).map(|(_, l)| l.clone()))
            .or_else(|| docs.iter().find(|d| format!("doc-{}", d.name) == k).map(|d| d.label.clone()))
    };
    let mut summary: Vec<(String, String)> = errors
        .iter()
        .map(|(k, v)| match label_of(k) {
            Some(label) if !v.contains(&label) => (k.clone(), format!("{label}: {v}")),
            _ => (k.clone(), v.clone()),
        })
        .collect();
    summary.sort_by_key(|(k, _)| (order.iter().position(|o| o == k).unwrap_or(usize::MAX), k.clone()));
    let page = ApplyPage {
        about,
        needs,
        summary,
        person,
        t,
        who: Some(s).into(),
        path: "/apply",
        service: service_name,
        services,
        akimats,
        professions,
        certificates,
        grounds,
        docs,
        values,
        errors,
        missing,
        refusal,
        form_token,
        checklist_citation,
    };
    (status, render(&page)).into_response()
}

use crate::edge::forms::parse_date;

pub(crate) async fn apply_post(
    State(state): State<AppState>,
    t: Tr,
    LoggedIn(s): LoggedIn,
    multipart: Multipart,
) -> Response {
    if s.user.role != Role::Applicant {
        return forbidden();
    }
    let mut form = match read_apply_form(&state, &t, &s.user, multipart).await {
        Ok(form) => form,
        Err(status) => return unreadable(status),
    };
    if form.values.get("save").is_some_and(|v| v == "draft") && form.errors.is_empty() {
        return save_draft(&state, t, s, form).await;
    }
    // The check page's "change" goes back to the form with every answer and upload kept.
    let step = form.v("step");
    if step == "change" && form.errors.is_empty() {
        return apply_page(&state, t, s, form).await;
    }
    if let Err(e) = attach_issued_certificate(&state, &t, &s, &mut form).await {
        return e.into_response();
    }
    match application_from(&state, &t, &s, &mut form) {
        Some(_) if step == "check" => check_page(&state, t, s, form),
        Some(application) => file_application(&state, t, s, form, application).await,
        None => apply_page(&state, t, s, form).await,
    }
}

/// App.2 item 8.2 asks an extension for "the certificate issued earlier". This service issued
/// it and keeps it, so the person is not asked to upload it back: the certificate the form
/// names, when the person holds it, is attached as the service's own signed original. Without
/// a signing office there is no such document, and the person uploads their copy as before.
async fn attach_issued_certificate(
    state: &AppState,
    t: &Tr,
    s: &Session,
    form: &mut ApplyForm,
) -> Result<(), PageError> {
    let (Some(office), Some(iin)) = (&state.office, &s.user.iin) else { return Ok(()) };
    let service = service_of(form.service).1;
    let today = state.today();
    let needs = state.store.reference().law.set_on(today).checklists.requirements(service.checklist(), false);
    let asked = needs.iter().any(|r| r.any_of.contains(&DocumentKind::PreviousCertificate));
    if !asked || form.kept.contains_key(&DocumentKind::PreviousCertificate) {
        return Ok(());
    }
    let number = form.v("certificate");
    let held = state.store.certificates_of(iin).await?;
    let Some(c) = held.iter().find(|c| c.number.to_string() == number) else { return Ok(()) };
    let lang = docs::pdf::Lang::for_reader(t.lang);
    let kept = crate::signed::certificate_document(&state.store, office, &state.public_url, c, lang, false, None)
        .await
        .map_err(|e| PageError::ours(StatusCode::INTERNAL_SERVER_ERROR, &e))?;
    let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&kept.pdf));
    form.kept.insert(DocumentKind::PreviousCertificate, (sha, format!("{number}.pdf")));
    Ok(())
}

/// Reads the posted form: its fields, each uploaded document (stored at once, so that an
/// error elsewhere does not make the person upload it again) and the documents kept from an
/// earlier post. Every text field passes the edge's one text rule.
async fn read_apply_form(
    state: &AppState,
    t: &Tr,
    user: &store::User,
    mut multipart: Multipart,
) -> Result<ApplyForm, StatusCode> {
    let mut form = ApplyForm::default();
    let by_name = |name: &str| DocumentKind::ALL.iter().copied().find(|k| name_of(k) == name);
    // A body cut short (larger than the router's limit, or the link dropped) keeps what came
    // before the cut: the answers come first in the form, so they are kept, and the document
    // being received is said not to have arrived.
    let cut =
        |t: &Tr| t.ta("error-form-cut", &[("limit", (crate::edge::limits::FORM_BYTES / (1024 * 1024)).to_string())]);
    let mut receiving = "documents".to_owned();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) if form.values.is_empty() => return Err(e.status()),
            Err(_) => {
                form.error(&receiving, cut(t));
                break;
            }
        };
        let name = field.name().unwrap_or("").to_owned();
        if let Some(kind_name) = name.strip_prefix("doc-") {
            receiving.clone_from(&name);
            let file_name = field.file_name().unwrap_or("").to_owned();
            let bytes = match field.bytes().await {
                Ok(b) => b,
                Err(_) => {
                    form.error(&name, cut(t));
                    break;
                }
            };
            let Some(kind) = by_name(kind_name) else { continue };
            if bytes.is_empty() {
                continue;
            }
            match state.store.upload(&user.id, &bytes, jiff::Timestamp::now().as_millisecond()).await {
                Ok(r) => {
                    form.kept.insert(kind, (r.sha256, file_name));
                }
                Err(e) => form.error(&name, blob_error(t, e)),
            }
        } else if let Some(kind_name) = name.strip_prefix("kept-") {
            let v = field.text().await.unwrap_or_default();
            if let (Some(kind), Some((sha, file))) = (by_name(kind_name), v.split_once('|'))
                && state.store.owns_upload(&user.id, sha).await.unwrap_or(false)
            {
                form.kept.entry(kind).or_insert((sha.to_owned(), file.to_owned()));
            }
        } else {
            form.values.insert(name, field.text().await.unwrap_or_default());
        }
    }
    form.service = service_of(&form.v("service")).0;
    form.token = form.values.get("form_token").cloned().unwrap_or_default();
    // The same limits as every other form (drafts too), said beside the field, keeping what was typed.
    let problems: Vec<(String, String)> = form
        .values
        .iter()
        .filter_map(|(k, value)| {
            let problem = crate::edge::forms::text_problem(k, value, false)?;
            Some((
                k.clone(),
                crate::edge::error::Fault::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", problem).message(t),
            ))
        })
        .collect();
    form.errors.extend(problems);
    Ok(form)
}

/// Keeps what was typed and uploaded as the person's draft of this service.
async fn save_draft(state: &AppState, t: Tr, s: Session, mut form: ApplyForm) -> Response {
    let mut documents: Vec<(DocumentKind, String, String)> =
        form.kept.iter().map(|(k, (sha, f))| (*k, sha.clone(), f.clone())).collect();
    documents.sort();
    let mut typed = form.values.clone();
    for k in ["save", "form_token", "csrf", "draft-saved", "draft-resumed"] {
        typed.remove(k);
    }
    let content = serde_json::to_string(&Draft { values: typed, documents }).unwrap_or_default();
    let now = jiff::Timestamp::now().as_millisecond();
    if let Err(e) = state.store.save_draft(&s.user.id, form.service, &content, now).await {
        return crate::edge::error::PageError::from(e).into_response();
    }
    form.values.insert("draft-saved".into(), "1".into());
    apply_page(state, t, s, form).await
}

/// The application the form describes, or `None` with every problem said beside its field
/// and every checklist line (App.2 item 8) that no document meets.
fn application_from(state: &AppState, t: &Tr, s: &Session, form: &mut ApplyForm) -> Option<Application> {
    let law = &state.store.reference().law;
    for k in [
        "akimat",
        "surname",
        "given_name",
        "document_number",
        "document_issued_on",
        "document_issued_by",
        "address",
        "phone",
        "home_address",
        "home_phone",
    ] {
        form.require(t, k);
    }
    if !form.v("akimat").is_empty() && law.akimat(&form.v("akimat")).is_none() {
        form.error("akimat", t.t("error-required"));
    }
    let issued_on = form.date(t, "document_issued_on");
    // App.2 item 9: an expired identity document makes the application not accepted; its
    // last valid day is asked for so that the check can fire.
    let document_valid_until = form.date(t, "document_valid_until");
    if !form.on("consent") {
        form.error("consent", t.t("apply-consent-required"));
    }
    let represented_iin = represented(t, s, form);
    let service = service_details(t, form);
    let employer = employer_of(t, form);
    let contract_end = form.date(t, "contract_end");
    let event_date = form.date(t, "event_date");
    let certificate = rules::numbers::CertificateNumber::parse(&form.v("certificate")).ok();
    // In a fixed order, so the same form posted twice is the same request (idempotency).
    let mut documents: Vec<Document> = form
        .kept
        .iter()
        .map(|(k, (sha, file))| Document {
            kind: *k,
            sha256: sha.clone(),
            file_name: file.clone(),
            valid_until: matches!(k, DocumentKind::IdentityDocument | DocumentKind::ChangedIdentityDocument)
                .then_some(document_valid_until)
                .flatten(),
        })
        .collect();
    documents.sort_by_key(|d| d.kind);
    let today = state.today();
    let represents = form.on("represent");
    let rules_now = law.set_on(today);
    let completeness = check(&rules_now.checklists.requirements(service.checklist(), represents), &documents, today);
    form.missing = completeness
        .missing
        .iter()
        .map(|r| format!("{} [{}]", r.describe(t.lang), r.citation.localized(t.lang)))
        .collect();
    let iin = represented_iin.or_else(|| s.user.iin.clone())?;
    let issued_on = issued_on?;
    if !form.errors.is_empty() || !form.missing.is_empty() {
        return None;
    }
    let representative = match (represents, s.user.iin.clone()) {
        (true, Some(iin)) => Some(rules::case::Representative { name: s.user.name.clone(), iin }),
        _ => None,
    };
    let profession = (service == Service::Issue).then(|| form.v("profession"));
    let sector = profession
        .as_ref()
        .and_then(|p| law.catalogue.in_force_on(today).and_then(|c| c.find(p)).map(|(s, _)| s.oked.clone()));
    let optional = |v: String| if v.is_empty() { None } else { Some(v) };
    Some(Application {
        akimat: form.v("akimat").into(),
        service,
        applicant: Holder {
            iin,
            surname: form.v("surname"),
            given_name: form.v("given_name"),
            patronymic: optional(form.v("patronymic")),
            document_number: form.v("document_number"),
            document_issued_on: issued_on,
            document_issued_by: form.v("document_issued_by"),
        },
        representative,
        contact: Contact {
            address: form.v("address"),
            phone: form.v("phone"),
            fax: optional(form.v("fax")),
            home_address: form.v("home_address"),
            home_phone: form.v("home_phone"),
        },
        profession,
        sector,
        employer,
        contract_end,
        contract_open_ended: form.on("contract_open_ended"),
        certificate,
        event_date,
        consent: true,
        documents,
    })
}

/// Rules §3: a person the applicant authorised files in the applicant's name; the
/// applicant's IIN comes from the form, the representative's from their own login.
fn represented(t: &Tr, s: &Session, form: &mut ApplyForm) -> Option<rules::Iin> {
    if !form.on("represent") {
        return None;
    }
    match rules::ids::Iin::parse(&form.v("applicant_iin")) {
        Ok(iin) if Some(&iin) == s.user.iin.as_ref() => {
            form.error("applicant_iin", t.t("apply-represent-self"));
            None
        }
        Ok(iin) => Some(iin),
        Err(e) => {
            form.error("applicant_iin", id_error(t, &e));
            None
        }
    }
}

/// The service with its ground, and the fields that service needs.
fn service_details(t: &Tr, form: &mut ApplyForm) -> Service {
    match service_of(form.service).1 {
        Service::Issue => {
            form.require(t, "profession");
            Service::Issue
        }
        Service::Extend => {
            form.require(t, "certificate");
            form.require(t, "employer_name");
            // Rules §16: an open-ended contract has no last day; the 3-year cap applies alone.
            if !form.on("contract_open_ended") {
                form.require(t, "contract_end");
            }
            Service::Extend
        }
        Service::Reissue { .. } => {
            form.require(t, "certificate");
            form.require(t, "event_date");
            let ground = match form.v("ground").as_str() {
                "identity-document-change" => ReissueGround::IdentityDocumentChange,
                "employer-change" => ReissueGround::EmployerChange,
                _ => ReissueGround::NameChange,
            };
            if ground == ReissueGround::EmployerChange {
                form.require(t, "employer_name");
            }
            Service::Reissue { ground }
        }
        Service::Duplicate { .. } => {
            form.require(t, "certificate");
            form.require(t, "event_date");
            let ground = if form.v("ground") == "damaged" { DuplicateGround::Damaged } else { DuplicateGround::Lost };
            Service::Duplicate { ground }
        }
    }
}

/// The employer named on the form, with a taxpayer number that must be valid.
fn employer_of(t: &Tr, form: &mut ApplyForm) -> Option<Employer> {
    if form.v("employer_name").is_empty() {
        return None;
    }
    match TaxpayerId::parse(&form.v("employer_id")) {
        Ok(id) => Some(Employer { name: form.v("employer_name"), id }),
        Err(e) => {
            form.error("employer_id", id_error(t, &e));
            None
        }
    }
}

/// Files the application; a refusal comes back onto the form with everything kept.
async fn file_application(state: &AppState, t: Tr, s: Session, mut form: ApplyForm, app: Application) -> Response {
    let request = Request::Submit { application: Box::new(app) };
    let key = if form.token.len() == 64 { Some(form.token.clone()) } else { None };
    match state.store.execute(s.user.actor(), jiff::Timestamp::now(), request, key.as_deref()).await {
        Ok(applied) => {
            let _ = state.store.delete_draft(&s.user.id, form.service).await;
            Redirect::to(&format!("/cases/{}?new=1", applied.number)).into_response()
        }
        Err(StoreError::Refused(r)) => {
            form.missing.clear();
            form.refusal = Some(r.sentence(t.lang));
            apply_page(state, t, s, form).await
        }
        Err(e) => crate::edge::error::PageError::from(e).into_response(),
    }
}

/// Why an upload was not kept, said beside its field in the person's language.
fn blob_error(t: &Tr, e: StoreError) -> String {
    match e {
        StoreError::Blob(store::BlobError::Empty) => t.t("error-required"),
        other => crate::edge::error::PageError::from(other).0.message(t),
    }
}

// ---------------------------------------------------------------- the case page

struct HistoryLine {
    when: String,
    what: String,
    who: String,
    citation: String,
}

/// One document on the case page: its kind as named in the page's language.
struct DocumentLine {
    kind: String,
    sha256: String,
    file_name: String,
}

/// One line of the Commission's score.
struct ScoreLine {
    question: String,
    points: u32,
    max_points: u32,
}

struct CriterionField {
    id: String,
    question: String,
    kind: &'static str,
    options: Vec<Choice>,
}

struct ActionForm {
    kind: &'static str,
    label: String,
    /// What the officer ticks to confirm an action that ends the case for the applicant.
    confirm: Option<String>,
}

#[derive(Template)]
#[template(path = "case.html")]
struct CasePage {
    t: Tr,
    who: Who,
    path: String,
    title: String,
    new_text: String,
    /// What comes next for an applicant whose filing waits for registration, with dates.
    steps: Vec<String>,
    number: String,
    service: String,
    state: String,
    received_on: String,
    due: Option<String>,
    overdue: bool,
    service_due: Option<String>,
    late: Option<String>,
    /// The banner after filing: received, or what is left to do.
    new_title: String,
    is_new: bool,
    applicant: String,
    applicant_iin: String,
    /// Who filed for the applicant (Rules §3): name, IIN, and whether the power of attorney
    /// is attached and their signature received.
    representative: Option<String>,
    document_number: String,
    akimat: String,
    profession: String,
    reasons: Option<String>,
    /// Refusal grounds as (name, paragraph).
    grounds: Vec<(String, String)>,
    documents: Vec<DocumentLine>,
    assessment: Vec<ScoreLine>,
    assessment_total: Option<String>,
    /// The Commission's recommendation and its words (Rules §9), once decided.
    recommended: Option<(String, String)>,
    outcome: Option<String>,
    certificate: Option<String>,
    files: Vec<crate::signed::FileLink>,
    signed_by: Vec<String>,
    /// An extension or duplicate under a name other than the certificate's (Rules §22).
    name_flag: Option<String>,
    /// For staff: how to reach the applicant (App.1), here and at home.
    contact: Option<String>,
    /// The certificate the application concerns and, for an extension, the new contract's
    /// end (Rules §16).
    concerns: Option<String>,
    /// For the applicant after a refusal or non-acceptance: complain (Rules §24) or apply again.
    complain: bool,
    history: Vec<HistoryLine>,
    actions: Vec<ActionForm>,
    criteria: Vec<CriterionField>,
    /// The criteria in force are a sample, not an approved table: the scoring form says so.
    criteria_sample: bool,
    /// The minutes being signed, and whether this person may sign them now.
    minutes: Option<MinutesView>,
    /// The box to sign the application with, for its filer who has not signed it yet.
    sign_application: Option<crate::signing::EdsBox>,
    /// The result's documents still to sign (Rules §13).
    result: crate::authorised::ResultView,
    /// `serve --demo`: offer the demo key too.
    demo: bool,
    /// The service's checklist items (App.2 item 8), to name what is missing or expired.
    checklist: Vec<(String, String)>,
    /// The grounds of App.2 item 9 this service may be refused on, as (form field, label
    /// with its sub-item), from the case's rule set.
    ground_choices: Vec<(String, String)>,
    version: u64,
    message: Option<String>,
    error: Option<String>,
    /// A refused form's answers, shown again, and the field to fix.
    kept: Kept,
}

/// The minutes on the case page.
struct MinutesView {
    status: MinutesStatus,
    /// The signing box, when this person is a member who has not signed.
    eds: Option<crate::signing::EdsBox>,
    /// `serve --demo`: offer the demo key too.
    demo: bool,
    /// Whether this person has an EDS bound to their account.
    has_eds: bool,
}

#[derive(serde::Deserialize)]
pub(crate) struct CaseQuery {
    new: Option<String>,
    done: Option<String>,
    minutes: Option<String>,
    signed: Option<String>,
    #[serde(rename = "application-signed")]
    application_signed: Option<String>,
    #[serde(rename = "result-signed")]
    result_signed: Option<String>,
}

pub(crate) async fn case_page(
    State(state): State<AppState>,
    t: Tr,
    LoggedIn(s): LoggedIn,
    Path(number): Path<String>,
    Query(q): Query<CaseQuery>,
) -> Response {
    let message = match (q.done, q.minutes, q.signed, q.application_signed, q.result_signed) {
        // What was done, said in words; an action name not ours says only that it was done.
        (Some(done), ..) => Some(match CommandKind::ALL.iter().find(|k| action_name(**k) == done) {
            Some(k) => t.t(&format!("done-{}", action_name(*k))),
            None => t.t("case-done"),
        }),
        (_, Some(_), ..) => Some(t.t("minutes-recorded")),
        (_, _, Some(_), ..) => Some(t.t("minutes-signed")),
        (_, _, _, Some(_), _) => Some(t.t("application-signed")),
        (.., Some(_)) => Some(t.t("result-signed")),
        _ => None,
    };
    show_case(&state, t, s, &number, q.new.is_some(), message, Kept::default()).await
}

pub(crate) async fn show_case(
    state: &AppState,
    t: Tr,
    s: Session,
    number: &str,
    is_new: bool,
    message: Option<String>,
    mut kept: Kept,
) -> Response {
    let error = kept.error.take();
    let case = match state.store.case(number).await {
        Ok(Some(c)) if crate::edge::access::case(&s.user, &c) => c,
        Ok(_) => return PageError::not_found().into_response(),
        Err(e) => return crate::edge::error::PageError::from(e).into_response(),
    };
    let law = &state.store.reference().law;
    let today = state.store.today(&case.application.akimat, jiff::Timestamp::now()).unwrap_or_else(|_| state.today());
    let history = match history_lines(state, &t, &case).await {
        Ok(h) => h,
        Err(e) => return crate::edge::error::PageError::from(e).into_response(),
    };
    let service_kind = case.application.service.kind();
    let actions: Vec<ActionForm> = CommandKind::ALL
        .iter()
        .filter(|k| transition(service_kind, case.state, **k).is_ok() && k.role().0 == s.user.role)
        .filter(|_| s.user.akimat.as_deref() == Some(case.application.akimat.as_str()))
        .map(|k| ActionForm {
            kind: action_name(*k),
            label: t.t(&format!("action-{}", action_name(*k))),
            confirm: matches!(k, CommandKind::Refuse | CommandKind::NotAccept)
                .then(|| t.t(&format!("case-confirm-{}", action_name(*k)))),
        })
        .collect();
    let deciding = actions.iter().any(|a| a.kind == "record-decision");
    let (criteria, criteria_sample) = match law.for_case(&case) {
        Ok(in_force) if deciding => (criterion_fields(in_force.criteria, &t), in_force.criteria.sample),
        _ => (Vec::new(), false),
    };
    let minutes = match minutes_view(state, &s, &case).await {
        Ok(m) => m,
        Err(e) => return e.into_response(),
    };
    let signatures = match state.store.application_signatures(&case.number.to_string()).await {
        Ok(s) => s,
        Err(e) => return crate::edge::error::PageError::from(e).into_response(),
    };
    let sign_application =
        (state.office.is_some() && crate::application::awaits_signature(&s.user, &case, &signatures)).then(|| {
            crate::signing::EdsBox::new(
                crate::application::canonical_application(&case).as_bytes(),
                format!("/cases/{}/application/signature", case.number),
            )
        });
    let result = match crate::authorised::view(state, &t, &s.user, &case).await {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    // The minutes are being signed: the form to record them again is not offered.
    let actions: Vec<ActionForm> =
        actions.into_iter().filter(|a| a.kind != "record-decision" || minutes.is_none()).collect();
    let app = &case.application;
    let profession = profession_line(law, app, &t);
    let (assessment, assessment_total) = assessment_lines(&case, &t);
    let outcome = case.outcome.as_ref().map(|o| outcome_line(o, &t));
    let certificate = case.outcome.as_ref().map(|o| match o {
        Outcome::Issued { certificate } | Outcome::Reissued { certificate, .. } => certificate.number.to_string(),
        Outcome::Extended { number, .. } | Outcome::Duplicated { number, .. } => number.to_string(),
    });
    let due_line = |d: &rules::deadline::DueDate| {
        t.ta("status-due", &[("date", d.on.to_string()), ("citation", d.citation.localized(t.lang))])
    };
    let concerned = match &app.certificate {
        Some(n) => match state.store.certificate(&n.to_string()).await {
            Ok(c) => c,
            Err(e) => return crate::edge::error::PageError::from(e).into_response(),
        },
        None => None,
    };
    let name_flag = concerned.as_ref().and_then(|c| {
        let citation = rules::case::name_differs(app, c)?;
        Some(t.ta(
            "case-name-differs",
            &[
                ("filed", app.applicant.full_name()),
                ("certificate", c.holder.full_name()),
                ("citation", citation.localized(t.lang)),
            ],
        ))
    });
    let ground_choices = ground_choices(law.set_of(&case), case.application.service.kind(), t.lang);
    if let Some(reason) = &kept.reason {
        kept.focus = field_for(reason, &kept, &criteria, &ground_choices);
    }
    kept.also_summary = kept
        .also
        .iter()
        .map(|(reason, message)| {
            (field_for(reason, &kept, &criteria, &ground_choices).unwrap_or_default(), message.clone())
        })
        .collect();
    let staff = s.user.role != Role::Applicant;
    let contact = staff.then(|| {
        let c = &app.contact;
        let mut parts = vec![c.address.clone(), c.phone.clone()];
        parts.extend(c.fax.clone());
        format!("{} · {}: {}, {}", parts.join(", "), t.t("case-home-contact"), c.home_address, c.home_phone)
    });
    let concerns = app.certificate.as_ref().map(|n| {
        let end = match (app.contract_end, app.contract_open_ended) {
            (Some(d), _) => t.ta("case-contract-end", &[("date", d.to_string())]),
            (None, true) => t.t("case-contract-open-ended"),
            (None, false) => String::new(),
        };
        let valid = concerned.as_ref().map(|c| t.ta("case-valid-until", &[("date", c.valid_to.to_string())]));
        [Some(n.to_string()), valid, Some(end).filter(|e| !e.is_empty())]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · ")
    });
    let steps = if s.user.role == Role::Applicant {
        case.steps_ahead(&state.store.reference().calendar, law.set_of(&case))
            .into_iter()
            .map(|(step, due)| {
                t.ta(
                    "case-step",
                    &[
                        ("step", step.name(t.lang).to_owned()),
                        ("date", due.on.to_string()),
                        ("citation", due.citation.localized(t.lang)),
                    ],
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let complain = s.user.role == Role::Applicant
        && matches!(case.state, rules::case::State::Refused | rules::case::State::NotAccepted);
    let page = CasePage {
        steps,
        contact,
        concerns,
        complain,
        title: t.ta("status-result", &[("number", case.number.to_string())]),
        // Issue 31: "received" is said once the application is signed; before that, what is
        // left to do.
        new_title: t.t(if sign_application.is_some() { "case-new-sign-title" } else { "case-new-title" }),
        new_text: t.ta(
            if sign_application.is_some() { "case-new-sign-text" } else { "case-new-text" },
            &[("number", case.number.to_string()), ("date", rules::text::date_for(t.lang, case.received_on))],
        ),
        path: format!("/cases/{}", case.number),
        number: case.number.to_string(),
        service: service_kind.name(t.lang).to_owned(),
        // Issue 31: until the authorised person has signed the result, it is "being signed",
        // not yet "issued" (Rules §13).
        state: if result.awaiting.is_some() {
            t.t("case-state-being-signed")
        } else {
            case.status_name(t.lang).to_owned()
        },
        received_on: rules::text::date_for(t.lang, case.received_on),
        due: case.due.as_ref().map(due_line),
        overdue: case.overdue_on(today),
        service_due: case.service_due.as_ref().map(due_line),
        late: case.late.as_ref().map(|l| {
            t.ta("case-late", &[("window", l.window.to_string()), ("citation", l.citation.localized(t.lang))])
        }),
        is_new,
        applicant: app.applicant.full_name(),
        applicant_iin: app.applicant.iin.to_string(),
        representative: app.representative.as_ref().map(|r| {
            let attorney = app.documents.iter().any(|d| d.kind == DocumentKind::PowerOfAttorney);
            let proof = if attorney { "case-attorney-attached" } else { "case-attorney-missing" };
            format!("{} · {} {} · {}", r.name, t.t("case-iin"), r.iin, t.t(proof))
        }),
        document_number: app.applicant.document_number.clone(),
        akimat: law.akimat_name(&app.akimat, t.lang),
        profession,
        reasons: case.reasons_in(t.lang),
        grounds: Ground::lines(&case.grounds, law.set_of(&case), t.lang),
        documents: document_lines(app, &t),
        assessment,
        assessment_total,
        recommended: recommended(&case, &t),
        outcome,
        certificate,
        files: crate::signed::case_links(state, &t, &case),
        signed_by: applicant_signatures(state, &t, &case, &signatures),
        name_flag,
        sign_application,
        result,
        demo: state.demo,
        history,
        actions,
        criteria,
        criteria_sample,
        minutes,
        checklist: checklist_choices(law.set_of(&case), &case.application, t.lang),
        ground_choices,
        version: case.version,
        message,
        error,
        kept,
        who: Some(s).into(),
        t,
    };
    let status = if page.error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    (status, render(&page)).into_response()
}

/// The minutes of a case being signed, for the case page. A member who opens the page when
/// the signatures make a quorum but the decision is not recorded yet (the service stopped in
/// between) records it now.
async fn minutes_view(state: &AppState, s: &Session, case: &rules::Case) -> Result<Option<MinutesView>, PageError> {
    let Some(mut status) = crate::minutes::status(state, case).await? else { return Ok(None) };
    let member = s.user.role == Role::Commission && status.members.iter().any(|m| m.id == s.user.id);
    if member && !status.decided && status.signed >= status.needed {
        crate::minutes::settle(state, &s.user, case).await?;
        if let Some(c) = state.store.case(&case.number.to_string()).await? {
            status = crate::minutes::status(state, &c).await?.unwrap_or(status);
        }
    }
    let signed = status.members.iter().any(|m| m.id == s.user.id && m.signed);
    let eds = (member && !signed).then(|| {
        crate::signing::EdsBox::new(status.content.as_bytes(), format!("/cases/{}/minutes/signature", case.number))
    });
    Ok(Some(MinutesView { status, eds, demo: state.demo && state.office.is_some(), has_eds: s.user.iin.is_some() }))
}

/// The case's events as the page's history: when (on the akimat's clock), what, by which
/// role, under which paragraph.
async fn history_lines(state: &AppState, t: &Tr, case: &rules::Case) -> Result<Vec<HistoryLine>, StoreError> {
    let events = state.store.stream(&format!("case/{}", case.number)).await?;
    Ok(history_of(state, t, case, &events))
}

fn history_of(state: &AppState, t: &Tr, case: &rules::Case, events: &[store::StoredEvent]) -> Vec<HistoryLine> {
    events
        .iter()
        .map(|e| {
            let role = serde_json::from_value::<Role>(serde_json::Value::String(e.role.clone()))
                .map_or_else(|_| e.role.clone(), |r| r.name(t.lang).to_owned());
            HistoryLine {
                when: crate::edge::view::local_time(&state.store, &case.application.akimat, e.at_ms),
                what: t.t(&format!("event-{}", e.kind)),
                who: role,
                citation: rules::Citation::owned(e.citation.clone()).localized(t.lang),
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "evidence.html")]
struct EvidencePage {
    t: Tr,
    who: Who,
    path: String,
    complaint: String,
    filed: String,
    number: String,
    service: String,
    state: String,
    received_on: String,
    applicant: String,
    applicant_iin: String,
    akimat: String,
    profession: String,
    reasons: Option<String>,
    grounds: Vec<(String, String)>,
    documents: Vec<DocumentLine>,
    minutes: Option<String>,
    assessment: Vec<ScoreLine>,
    assessment_total: Option<String>,
    recommended: Option<(String, String)>,
    outcome: Option<String>,
    history: Vec<HistoryLine>,
}

/// A complaint about a case, with the case as its events stood when the complaint was filed.
async fn complained_case(
    state: &AppState,
    s: &Session,
    number: &str,
) -> Result<(rules::complaint::Complaint, i64, rules::Case, Vec<store::StoredEvent>), PageError> {
    let c = state
        .store
        .complaint(number)
        .await?
        .filter(|c| crate::edge::access::complaint(&s.user, c))
        .ok_or_else(PageError::not_found)?;
    let case_number = c.filing.case.as_ref().ok_or_else(PageError::not_found)?.to_string();
    let filed = state
        .store
        .stream(&format!("complaint/{number}"))
        .await?
        .first()
        .map(|e| (e.global_seq, e.at_ms))
        .ok_or_else(PageError::not_found)?;
    let (case, events) = state.store.case_as_of(&case_number, filed.0).await?.ok_or_else(PageError::not_found)?;
    // A complainant sees only a case of their own, even if an early record named another's.
    if s.user.role == Role::Applicant && !crate::edge::access::case(&s.user, &case) {
        return Err(PageError::not_found());
    }
    Ok((c, filed.1, case, events))
}

/// The evidence a complaint is reviewed on (Rules §26): the case file (documents, history,
/// decision and minutes) as it stood when the complaint was filed. It is folded again from
/// the append-only events before the filing, so nothing done on the case later changes it.
pub(crate) async fn evidence(
    State(state): State<AppState>,
    t: Tr,
    LoggedIn(s): LoggedIn,
    Path(number): Path<String>,
) -> Result<Response, PageError> {
    let (complaint, filed_ms, case, events) = complained_case(&state, &s, &number).await?;
    let law = &state.store.reference().law;
    let app = &case.application;
    let (assessment, assessment_total) = assessment_lines(&case, &t);
    let page = EvidencePage {
        path: format!("/complaints/{number}/case"),
        complaint: complaint.number.to_string(),
        filed: crate::edge::view::local_time(&state.store, &complaint.filing.akimat, filed_ms),
        number: case.number.to_string(),
        service: app.service.kind().name(t.lang).to_owned(),
        state: case.state.name(t.lang).to_owned(),
        received_on: rules::text::date_for(t.lang, case.received_on),
        applicant: app.applicant.full_name(),
        applicant_iin: app.applicant.iin.to_string(),
        akimat: law.akimat_name(&app.akimat, t.lang),
        profession: profession_line(law, app, &t),
        reasons: case.reasons_in(t.lang),
        grounds: Ground::lines(&case.grounds, law.set_of(&case), t.lang),
        documents: document_lines(app, &t),
        minutes: case.decision.as_ref().map(|d| d.minutes.clone()),
        assessment,
        assessment_total,
        recommended: recommended(&case, &t),
        outcome: case.outcome.as_ref().map(|o| outcome_line(o, &t)),
        history: history_of(&state, &t, &case, &events),
        who: Some(s).into(),
        t,
    };
    Ok(render(&page).into_response())
}

/// A document of the case file a complaint was filed on, to those who may see the complaint.
pub(crate) async fn evidence_document(
    State(state): State<AppState>,
    LoggedIn(s): LoggedIn,
    Path((number, sha)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let (_, _, case, _) = complained_case(&state, &s, &number).await?;
    let doc = case.application.documents.iter().find(|d| d.sha256 == sha).ok_or_else(PageError::not_found)?;
    document_response(&state, &doc.sha256)
}

/// The application's documents, each by its kind's name.
fn document_lines(app: &rules::case::Application, t: &Tr) -> Vec<DocumentLine> {
    app.documents
        .iter()
        .map(|d| DocumentLine {
            kind: d.kind.name(t.lang).to_owned(),
            sha256: d.sha256.clone(),
            file_name: d.file_name.clone(),
        })
        .collect()
}

/// The profession by its name, its code after it.
fn profession_line(law: &rules::law::Law, app: &rules::case::Application, t: &Tr) -> String {
    app.profession
        .as_ref()
        .map(|p| law.profession_name(p, t.lang).map_or(p.clone(), |name| format!("{name} ({p})")))
        .unwrap_or_default()
}

/// The Commission's recommendation and its words (Rules §9), once decided.
fn recommended(case: &rules::Case, t: &Tr) -> Option<(String, String)> {
    case.decision.as_ref().map(|d| {
        let what = match d.recommendation {
            Recommendation::Issue { .. } => t.t("case-recommend-issue"),
            Recommendation::Refuse { .. } => t.t("case-recommend-refuse"),
        };
        (what, d.recommendation.reasoning().to_owned())
    })
}

/// The Commission's scoring questions of the criteria the case is judged by, each with its
/// answers and their points.
fn criterion_fields(criteria: &rules::assessment::CriteriaSet, t: &Tr) -> Vec<CriterionField> {
    let choice = |value: &str, label: String| Choice { value: value.to_owned(), label, selected: false };
    criteria
        .criteria
        .iter()
        .map(|c| {
            let (kind, options) = match &c.scale {
                Scale::Choice { options } => (
                    "choice",
                    options.iter().map(|o| choice(&o.id, format!("{} ({})", o.label.get(t.lang), o.points))).collect(),
                ),
                Scale::YesNo { yes, no } => (
                    "choice",
                    vec![
                        choice("yes", format!("{} ({yes})", t.t("calc-yes"))),
                        choice("no", format!("{} ({no})", t.t("calc-no"))),
                    ],
                ),
                Scale::Years { .. } => ("years", Vec::new()),
            };
            CriterionField { id: c.id.clone(), question: c.question.get(t.lang).to_owned(), kind, options }
        })
        .collect()
}

/// The Commission's score, line by line, and its total.
fn assessment_lines(case: &rules::Case, t: &Tr) -> (Vec<ScoreLine>, Option<String>) {
    let Some(d) = &case.decision else { return (Vec::new(), None) };
    let lines = d.assessment.lines.iter().map(|l| ScoreLine {
        question: l.question.get(t.lang).to_owned(),
        points: l.points,
        max_points: l.max_points,
    });
    let total =
        t.ta("calc-total", &[("total", d.assessment.total.to_string()), ("max", d.assessment.max_total.to_string())]);
    (lines.collect(), Some(total))
}

/// What the case ended in, in a sentence.
fn outcome_line(outcome: &Outcome, t: &Tr) -> String {
    match outcome {
        Outcome::Issued { certificate } | Outcome::Reissued { certificate, .. } => t.ta(
            "case-certificate",
            &[
                ("number", certificate.number.to_string()),
                ("from", certificate.valid_from.to_string()),
                ("to", certificate.valid_to.to_string()),
            ],
        ),
        Outcome::Extended { number, to, .. } => {
            t.ta("case-extended", &[("number", number.to_string()), ("to", to.to_string())])
        }
        Outcome::Duplicated { number, .. } => t.ta("case-duplicated", &[("number", number.to_string())]),
    }
}

/// Who signed the application with their EDS (the applicant, or the representative who filed),
/// and when.
fn applicant_signatures(
    state: &AppState,
    t: &Tr,
    case: &rules::Case,
    signatures: &[store::ApplicationSignature],
) -> Vec<String> {
    signatures
        .iter()
        .map(|sig| {
            let when = crate::edge::view::local_time(&state.store, &case.application.akimat, sig.created_ms);
            // A representative signs with their own key (App.2 item 9): the line says who.
            let key = if case.application.representative.is_some() {
                "signed-representative-signed"
            } else {
                "signed-applicant-signed"
            };
            t.ta(key, &[("signer", sig.signer.clone()), ("when", when)])
        })
        .collect()
}

fn action_name(k: CommandKind) -> &'static str {
    match k {
        CommandKind::Register => "register",
        CommandKind::NotAccept => "not-accept",
        CommandKind::Forward => "forward",
        CommandKind::RecordDecision => "record-decision",
        CommandKind::Issue => "issue",
        CommandKind::Extend => "extend",
        CommandKind::Reissue => "reissue",
        CommandKind::IssueDuplicate => "issue-duplicate",
        CommandKind::Refuse => "refuse",
    }
}

/// The form field that names each ground.
const GROUND_FIELDS: [(&str, Ground); 3] = [
    ("ground-qualification", Ground::QualificationMismatch),
    ("ground-below", Ground::BelowPassMark),
    ("ground-unreliable", Ground::UnreliableDocuments),
];

fn grounds_from(form: &ActForm) -> Vec<Ground> {
    GROUND_FIELDS.into_iter().filter(|(k, _)| form.fields.contains_key(*k)).map(|(_, g)| g).collect()
}

/// The grounds `service` may be refused on under `rules` (App.2 item 9), each labelled with
/// its sub-item in the reader's language.
fn ground_choices(rules: &RuleSet, service: rules::case::ServiceKind, lang: rules::Lang) -> Vec<(String, String)> {
    GROUND_FIELDS
        .into_iter()
        .filter(|(_, g)| rules.grounds.allowed(*g, service))
        .map(|(field, g)| {
            (field.to_owned(), format!("{} ({})", g.name(lang, rules), g.citation(rules).localized(lang)))
        })
        .collect()
}

/// The document kinds an officer can name when not accepting (App.2 items 8, 9): what the
/// filing needs (with a representative's power of attorney, Rules §3) and whatever is
/// attached, each once, as (form value, label).
fn checklist_choices(rules: &RuleSet, app: &rules::case::Application, lang: rules::Lang) -> Vec<(String, String)> {
    let mut more: Vec<DocumentKind> = app.requirements(rules).into_iter().flat_map(|r| r.any_of).collect();
    more.extend(app.documents.iter().map(|d| d.kind));
    kinds_in(rules, &[app.service.checklist()], &more)
        .into_iter()
        .map(|k| (name_of(&k), k.name(lang).to_owned()))
        .collect()
}

/// The actions the case page offers, as its forms post them.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum ActionChoice {
    Register,
    NotAccept,
    Forward,
    Issue,
    Extend,
    Reissue,
    IssueDuplicate,
    Refuse,
    RecordDecision,
}

choice!(
    /// What the Commission recommends.
    RecommendChoice => RecommendKind { Issue = "issue", Refuse = "refuse" }
);

impl ActionChoice {
    fn kind(self) -> CommandKind {
        match self {
            ActionChoice::Register => CommandKind::Register,
            ActionChoice::NotAccept => CommandKind::NotAccept,
            ActionChoice::Forward => CommandKind::Forward,
            ActionChoice::Issue => CommandKind::Issue,
            ActionChoice::Extend => CommandKind::Extend,
            ActionChoice::Reissue => CommandKind::Reissue,
            ActionChoice::IssueDuplicate => CommandKind::IssueDuplicate,
            ActionChoice::Refuse => CommandKind::Refuse,
            ActionChoice::RecordDecision => CommandKind::RecordDecision,
        }
    }
}

/// What a recommendation is, before its grounds are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RecommendKind {
    Issue,
    Refuse,
}

/// A form of the case page. The action and the recommendation are typed, so an unknown one
/// is refused, not taken for another. The rest are the boxes and answers of that action,
/// whose names come from data (documents `missing-…`, criteria `c-…`, members `present-…`).
#[derive(Debug, Deserialize)]
pub(crate) struct ActForm {
    action: ActionChoice,
    #[serde(default)]
    version: String,
    #[serde(default)]
    token: String,
    recommend: Option<RecommendChoice>,
    #[serde(flatten)]
    fields: HashMap<String, String>,
}

impl FormSpec for ActForm {
    const MULTILINE: &'static [&'static str] = &["reasoning", "note"];
}

impl ActForm {
    fn text(&self, k: &str) -> String {
        self.fields.get(k).map(|v| v.trim().to_owned()).unwrap_or_default()
    }
}

/// A refused form of the case page, shown again as it was posted: the message, the field it
/// is about (the error summary links there) and every answer as typed, so that nobody types
/// a Commission's scoring twice.
#[derive(Default)]
pub(crate) struct Kept {
    /// The action whose form was posted; the other forms show empty.
    action: Option<&'static str>,
    fields: HashMap<String, String>,
    recommend: Option<&'static str>,
    /// Why the rules refused it, when they did.
    reason: Option<rules::refusal::Reason>,
    /// The id of the field to fix, as the page renders it.
    pub(crate) focus: Option<String>,
    /// What the page says went wrong.
    error: Option<String>,
    /// The other problems the rules found in the same form, each with its message.
    also: Vec<(rules::refusal::Reason, String)>,
    /// Those as (field id, message), for the error summary, once the page knows its fields.
    also_summary: Vec<(String, String)>,
}

impl Kept {
    fn of(form: &ActForm) -> Kept {
        Kept {
            action: Some(action_name(form.action.kind())),
            fields: form.fields.clone(),
            recommend: form.recommend.map(RecommendChoice::as_str),
            reason: None,
            focus: None,
            error: None,
            also: Vec::new(),
            also_summary: Vec::new(),
        }
    }

    /// Every problem on the form: the one said first, then the others beside it.
    pub(crate) fn summary(&self, error: Option<&str>) -> Vec<(String, String)> {
        let mut all = crate::edge::view::summary_of(error, self.focus.as_deref());
        all.extend(self.also_summary.iter().cloned());
        all
    }

    /// With every problem of a refusal: its first as the reason, the others beside it.
    fn refused(self, r: &rules::Refusal, lang: rules::Lang) -> Kept {
        let also = r.also.iter().map(|a| (a.reason.clone(), a.sentence(lang))).collect();
        Kept { reason: Some(r.reason.clone()), also, ..self }
    }

    /// With the message that says what is wrong.
    pub(crate) fn said(self, message: String) -> Kept {
        Kept { error: Some(message), ..self }
    }

    fn because(self, reason: rules::refusal::Reason) -> Kept {
        Kept { reason: Some(reason), ..self }
    }

    fn at(self, field: &str) -> Kept {
        Kept { focus: Some(field.to_owned()), ..self }
    }

    fn mine(&self, action: &str) -> bool {
        self.action == Some(action)
    }

    /// What was typed into `name` on the form of `action`.
    pub(crate) fn value(&self, action: &str, name: impl AsRef<str>) -> &str {
        if !self.mine(action) {
            return "";
        }
        self.fields.get(name.as_ref()).map_or("", String::as_str)
    }

    /// Whether the box or radio button `name` = `value` was chosen on the form of `action`.
    pub(crate) fn picked(&self, action: &str, name: impl AsRef<str>, value: impl AsRef<str>) -> bool {
        self.mine(action) && self.fields.get(name.as_ref()).is_some_and(|v| v == value.as_ref())
    }

    /// Whether the recommendation `value` was chosen.
    pub(crate) fn recommends(&self, value: &str) -> bool {
        self.recommend == Some(value)
    }
}

/// The field of the case page a refusal is about, by the id the page gives it, so that the
/// error summary can link to it.
fn field_for(
    reason: &rules::refusal::Reason,
    kept: &Kept,
    criteria: &[CriterionField],
    grounds: &[(String, String)],
) -> Option<String> {
    use rules::refusal::Reason as R;
    let kind = kept.action?;
    let first_unanswered = || {
        let unanswered = criteria.iter().find(|c| kept.value(kind, format!("c-{}", c.id)).trim().is_empty());
        unanswered.or(criteria.first()).map(|c| match c.options.first() {
            Some(o) => format!("c-{}-{}", c.id, o.value),
            None => format!("c-{}", c.id),
        })
    };
    match reason {
        R::Field { field: rules::facts::Field::Minutes, .. } => Some("minutes".into()),
        R::AssessmentIncomplete { .. } | R::AssessmentInvalid { .. } => first_unanswered(),
        R::BelowPassMark { .. } => Some("recommend-issue".into()),
        R::NoGrounds | R::PassMarkReached { .. } => grounds.first().map(|(field, _)| format!("{field}-{kind}")),
        R::NoReasoning => Some(format!("reasoning-{kind}")),
        R::NoRecommendation => Some("recommend-issue".into()),
        _ => None,
    }
}

/// The Commission's answers to the criteria (`c-{criterion}` fields).
fn answers_from(fields: &HashMap<String, String>) -> Answers {
    let mut answers = Answers::new();
    for (k, v) in fields {
        if let Some(id) = k.strip_prefix("c-") {
            let answer = match v.trim() {
                "" => continue,
                "yes" => Answer::YesNo(true),
                "no" => Answer::YesNo(false),
                v => match v.parse::<u32>() {
                    Ok(y) => Answer::Years(y),
                    Err(_) => Answer::Choice(v.to_owned()),
                },
            };
            answers.insert(id.to_owned(), answer);
        }
    }
    answers
}

/// Builds the action from a posted form; `Err` is a message for the person and the id of the
/// field it is about.
fn action_from(t: &Tr, form: &ActForm) -> Result<Act, (String, String)> {
    let kind = action_name(form.action.kind());
    let date = |k: &str| -> Result<Option<Date>, (String, String)> {
        let v = form.text(k);
        if v.is_empty() {
            Ok(None)
        } else {
            parse_date(&v).map(Some).ok_or_else(|| (t.t("error-date"), format!("{k}-{kind}")))
        }
    };
    // Refusing and not accepting end the case for the applicant: the officer confirms first,
    // on the form itself, so that it works without a script.
    if matches!(form.action, ActionChoice::Refuse | ActionChoice::NotAccept) && form.text("confirm") != "on" {
        return Err((t.t(&format!("case-confirm-{kind}-required")), format!("confirm-{kind}")));
    }
    Ok(Act::Case(match form.action {
        ActionChoice::Register => CaseAction::Register,
        ActionChoice::NotAccept => {
            let named = |prefix: &str| -> Vec<DocumentKind> {
                DocumentKind::ALL
                    .iter()
                    .copied()
                    .filter(|k| form.text(&format!("{prefix}-{}", name_of(k))) == "on")
                    .collect()
            };
            CaseAction::NotAccept { missing: named("missing"), expired: named("expired"), note: form.text("note") }
        }
        ActionChoice::Forward => CaseAction::Forward,
        ActionChoice::Issue => CaseAction::Issue { valid_to: date("valid_to")? },
        ActionChoice::Extend => CaseAction::Extend { valid_to: date("valid_to")? },
        ActionChoice::Reissue => CaseAction::Reissue,
        ActionChoice::IssueDuplicate => CaseAction::IssueDuplicate,
        ActionChoice::Refuse => CaseAction::Refuse { grounds: grounds_from(form), reasoning: form.text("reasoning") },
        ActionChoice::RecordDecision => {
            let recommendation = form.recommend.map(RecommendKind::from).map(|kind| match kind {
                RecommendKind::Issue => Recommendation::Issue { reasoning: form.text("reasoning") },
                RecommendKind::Refuse => {
                    Recommendation::Refuse { grounds: grounds_from(form), reasoning: form.text("reasoning") }
                }
            });
            return Ok(Act::Minutes(Proposal {
                minutes: form.text("minutes"),
                answers: answers_from(&form.fields),
                recommendation,
            }));
        }
    }))
}

pub(crate) async fn act(
    State(state): State<AppState>,
    t: Tr,
    LoggedIn(s): LoggedIn,
    Path(number): Path<String>,
    Form(form): Form<ActForm>,
) -> Response {
    let Ok(case_number) = CaseNumber::parse(&number) else {
        return PageError::not_found().into_response();
    };
    let case = match state.store.case(&number).await {
        Ok(Some(c)) if crate::edge::access::case(&s.user, &c) && s.user.role != Role::Applicant => c,
        Ok(_) => return forbidden(),
        Err(e) => return crate::edge::error::PageError::from(e).into_response(),
    };
    let action = match action_from(&t, &form) {
        Ok(Act::Case(a)) => a,
        Ok(Act::Minutes(proposal)) => {
            return match crate::minutes::propose(&state, &s.user, &case, proposal).await {
                Ok(_) => Redirect::to(&format!("/cases/{number}?minutes=1")).into_response(),
                Err(e) => {
                    let (status, message) = (e.0.status, e.0.message(&t));
                    let kept = match e.refusal() {
                        Some(r) => Kept::of(&form).refused(r, t.lang),
                        None => Kept::of(&form),
                    };
                    let mut r = show_case(&state, t, s, &number, false, None, kept.said(message)).await;
                    *r.status_mut() = status;
                    r
                }
            };
        }
        Err((message, field)) => {
            let kept = Kept::of(&form).at(&field);
            return show_case(&state, t, s, &number, false, None, kept.said(message)).await;
        }
    };
    let expected = form.version.trim().parse::<u64>().ok();
    let request = Request::Case { number: case_number, expected_version: expected, action };
    let key = Some(form.token.as_str()).filter(|k| k.len() == 64);
    match state.store.execute(s.user.actor(), jiff::Timestamp::now(), request, key).await {
        Ok(_) => Redirect::to(&format!("/cases/{number}?done={}", action_name(form.action.kind()))).into_response(),
        Err(StoreError::Refused(r)) => {
            let message = r.sentence(t.lang);
            let kept = Kept::of(&form).because(r.reason);
            show_case(&state, t, s, &number, false, None, kept.said(message)).await
        }
        Err(StoreError::Conflict { .. }) => {
            // Another officer acted first: the page shows the case as it is now, and the
            // answers as typed, to re-apply if still right.
            let message = t.t("case-conflict");
            let mut r = show_case(&state, t, s, &number, false, None, Kept::of(&form).said(message)).await;
            *r.status_mut() = StatusCode::CONFLICT;
            r
        }
        Err(e) => crate::edge::error::PageError::from(e).into_response(),
    }
}

/// A document of a case, to its applicant and the staff of its akimat only.
pub(crate) async fn document(
    State(state): State<AppState>,
    LoggedIn(s): LoggedIn,
    Path((number, sha)): Path<(String, String)>,
) -> Response {
    let case = match state.store.case(&number).await {
        Ok(Some(c)) if crate::edge::access::case(&s.user, &c) => c,
        Ok(_) => return forbidden(),
        Err(e) => return crate::edge::error::PageError::from(e).into_response(),
    };
    let Some(doc) = case.application.documents.iter().find(|d| d.sha256 == sha) else { return forbidden() };
    document_response(&state, &doc.sha256).unwrap_or_else(IntoResponse::into_response)
}

/// A stored document named by a case, as a download.
fn document_response(state: &AppState, sha256: &str) -> Result<Response, PageError> {
    match state.store.blobs().get(sha256) {
        Ok(bytes) => {
            let media = store::blobs::sniff(&bytes).unwrap_or("application/octet-stream");
            Ok(([(header::CONTENT_TYPE, media), (header::CONTENT_DISPOSITION, "attachment")], bytes).into_response())
        }
        // The case names it, so the store has lost it: our fault, logged, never shown.
        Err(e) => Err(PageError::ours(StatusCode::INTERNAL_SERVER_ERROR, &e)),
    }
}

// ---------------------------------------------------------------- queues

struct QueueLine {
    number: String,
    service: String,
    state: String,
    due_on: String,
    overdue: bool,
    late: bool,
    /// On the Commission's agenda: what the case needs from this member now.
    needs: Option<String>,
    /// In the officer's queue: half or most of the stage's working days used.
    risk: Option<String>,
}

/// What a case on the agenda needs from `member`: the scoring and the decision, their
/// signature on the minutes, or the other members' signatures.
async fn agenda_need(state: &AppState, t: &Tr, member: &store::User, number: &str) -> Result<String, PageError> {
    let Some(case) = state.store.case(number).await? else { return Ok(String::new()) };
    let Some(m) = crate::minutes::status(state, &case).await? else { return Ok(t.t("agenda-needs-decision")) };
    let args = [("minutes", m.minutes.clone()), ("signed", m.signed.to_string()), ("needed", m.needed.to_string())];
    let mine = m.members.iter().find(|p| p.id == member.id);
    Ok(match mine {
        Some(p) if !p.signed => t.ta("agenda-needs-your-signature", &args),
        _ => t.ta("agenda-needs-others", &args),
    })
}

#[derive(Template)]
#[template(path = "queue.html")]
struct QueuePage {
    t: Tr,
    who: Who,
    path: &'static str,
    title: String,
    lead: String,
    base: &'static str,
    lines: Vec<QueueLine>,
    complaints: Vec<QueueLine>,
    overdue: usize,
    overdue_line: String,
    /// For the akimat's authorised person: the cases whose results await their EDS.
    to_sign: Vec<String>,
    /// For the officer: the open cases escalated at their running stage, in words.
    alerts_line: Option<String>,
}

fn complaint_lines(t: &Tr, rows: &[store::QueueRow]) -> Vec<QueueLine> {
    rows.iter()
        .map(|r| QueueLine {
            number: r.number.clone(),
            service: t.t(if r.service == "to-akimat" { "complaint-to-akimat" } else { "complaint-to-reviewer" }),
            state: serde_json::from_value::<rules::complaint::ComplaintState>(serde_json::Value::String(
                r.state.clone(),
            ))
            .map_or(r.state.clone(), |k| k.name(t.lang).to_owned()),
            due_on: rules::text::date_for(t.lang, r.due_on),
            overdue: r.overdue,
            late: false,
            needs: None,
            risk: None,
        })
        .collect()
}

pub(crate) async fn reviewer(State(state): State<AppState>, t: Tr, LoggedIn(s): LoggedIn) -> Response {
    if s.user.role != Role::Reviewer {
        return forbidden();
    }
    let rows = match state.store.complaints_under_review(state.today()).await {
        Ok(r) => r,
        Err(e) => return crate::edge::error::PageError::from(e).into_response(),
    };
    let lines = complaint_lines(&t, &rows);
    let overdue = lines.iter().filter(|l| l.overdue).count();
    let overdue_line = t.ta("queue-overdue-count", &[("count", overdue.to_string())]);
    let (title, lead) = (t.t("reviewer-title"), t.t("reviewer-lead"));
    render(&QueuePage {
        t,
        who: Some(s).into(),
        path: "/reviewer",
        title,
        lead,
        base: "/complaints/",
        lines,
        complaints: Vec::new(),
        overdue,
        overdue_line,
        to_sign: Vec::new(),
        alerts_line: None,
    })
}

async fn queue_page(state: &AppState, t: Tr, s: Session, commission: bool) -> Response {
    let wanted = if commission { Role::Commission } else { Role::Officer };
    let Some(akimat) = s.user.akimat.clone().filter(|_| s.user.role == wanted) else { return forbidden() };
    let today = state.store.today(&akimat, jiff::Timestamp::now()).unwrap_or_else(|_| state.today());
    let rows = if commission {
        state.store.agenda(&akimat, today).await
    } else {
        state.store.queue(&akimat, today, 500, 0).await
    };
    let rows = match rows {
        Ok(r) => r,
        Err(e) => return crate::edge::error::PageError::from(e).into_response(),
    };
    let name = |v: &str| -> String {
        serde_json::from_value::<rules::case::ServiceKind>(serde_json::Value::String(v.to_owned()))
            .map_or(v.to_owned(), |k| k.name(t.lang).to_owned())
    };
    let state_name = |v: &str| -> String {
        serde_json::from_value::<rules::case::State>(serde_json::Value::String(v.to_owned()))
            .map_or(v.to_owned(), |k| k.name(t.lang).to_owned())
    };
    let mut lines: Vec<QueueLine> = rows
        .iter()
        .map(|r| QueueLine {
            number: r.number.clone(),
            service: name(&r.service),
            state: state_name(&r.state),
            due_on: rules::text::date_for(t.lang, r.due_on),
            overdue: r.overdue,
            late: r.late_filing,
            needs: None,
            risk: match r.risk {
                Some(rules::deadline::Risk::Half) => Some(t.t("queue-risk-half")),
                Some(rules::deadline::Risk::Most) => Some(t.t("queue-risk-most")),
                _ => None,
            },
        })
        .collect();
    if commission {
        for line in &mut lines {
            match agenda_need(state, &t, &s.user, &line.number).await {
                Ok(need) => line.needs = Some(need),
                Err(e) => return e.into_response(),
            }
        }
    }
    let overdue = lines.iter().filter(|l| l.overdue).count();
    let akimat_name = state.store.reference().law.akimat_of(&akimat, t.lang);
    let (title, lead) = if commission {
        (t.t("agenda-title"), t.ta("agenda-lead", &[("akimat", akimat_name)]))
    } else {
        (t.t("queue-title"), t.ta("queue-lead", &[("akimat", akimat_name)]))
    };
    let overdue_line = t.ta("queue-overdue-count", &[("count", overdue.to_string())]);
    let complaints = if commission {
        Vec::new()
    } else {
        complaint_lines(&t, &state.store.complaints(&akimat, today).await.unwrap_or_default())
    };
    let to_sign = match crate::authorised::to_sign(state, &s.user).await {
        Ok(n) => n,
        Err(e) => return crate::edge::error::PageError::from(e).into_response(),
    };
    // The officer is told in their workspace of every case escalated at its running stage.
    let alerts_line = if commission {
        None
    } else {
        match state.store.open_alerts(&akimat).await {
            Ok(0) => None,
            Ok(n) => Some(t.tn("queue-alerts", &[("count", u32::try_from(n).unwrap_or(u32::MAX))])),
            Err(e) => return crate::edge::error::PageError::from(e).into_response(),
        }
    };
    render(&QueuePage {
        alerts_line,
        t,
        who: Some(s).into(),
        path: if commission { "/commission" } else { "/officer" },
        title,
        lead,
        base: "/cases/",
        lines,
        complaints,
        overdue,
        overdue_line,
        to_sign,
    })
}

/// The officer's search over the akimat's cases, as the form of `/officer/cases` sends it.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct CasesQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    service: String,
    #[serde(default)]
    profession: String,
    /// A state, or `finished` for the archive of cases that ended.
    #[serde(default)]
    stage: String,
    #[serde(default)]
    overdue: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

struct FoundLine {
    number: String,
    applicant: String,
    service: String,
    state: String,
    received_on: String,
    due: Option<String>,
    overdue: bool,
}

#[derive(Template)]
#[template(path = "cases.html")]
struct CasesPage {
    t: Tr,
    who: Who,
    path: &'static str,
    totals: Vec<(String, String, i64)>,
    q: String,
    from: String,
    to: String,
    overdue: bool,
    services: Vec<Choice>,
    professions: Vec<Group>,
    stages: Vec<Choice>,
    found_line: String,
    lines: Vec<FoundLine>,
    error: Option<String>,
}

/// The officer's workspace beyond the queue: every case of the akimat, searched by number,
/// IIN, document number or name, filtered by service, profession, stage, overdue and period, with the
/// archive of finished cases and the totals by stage.
pub(crate) async fn cases(
    State(state): State<AppState>,
    t: Tr,
    crate::edge::auth::Officer(s, akimat): crate::edge::auth::Officer,
    Query(q): Query<CasesQuery>,
) -> Result<Response, PageError> {
    let today = state.store.today(&akimat, jiff::Timestamp::now()).unwrap_or_else(|_| state.today());
    let mut error = None;
    let mut day = |typed: &str| -> Option<Date> {
        if typed.trim().is_empty() {
            return None;
        }
        let d = parse_date(typed);
        if d.is_none() {
            error = Some(t.t("error-date"));
        }
        d
    };
    let (from, to) = (day(&q.from), day(&q.to));
    let state_tag = |st: rules::case::State| serde_json::to_value(st).ok().and_then(|v| v.as_str().map(str::to_owned));
    let states: Vec<String> = match q.stage.as_str() {
        "" => Vec::new(),
        // The archive: the cases no command applies to any more.
        "finished" => rules::case::State::ALL.into_iter().filter(|st| st.is_terminal()).filter_map(state_tag).collect(),
        other => vec![other.to_owned()],
    };
    let search = store::CaseSearch {
        text: q.q.clone(),
        service: Some(q.service.clone()).filter(|v| !v.is_empty()),
        profession: Some(q.profession.clone()).filter(|v| !v.is_empty()),
        states,
        overdue: q.overdue == "on",
        from,
        to,
    };
    let found = state.store.search_cases(&akimat, &search, today, 200).await?;
    let lines: Vec<FoundLine> = found
        .iter()
        .map(|c| FoundLine {
            number: c.number.to_string(),
            applicant: c.application.applicant.full_name(),
            service: c.application.service.kind().name(t.lang).to_owned(),
            state: c.status_name(t.lang).to_owned(),
            received_on: rules::text::date_for(t.lang, c.received_on),
            due: c.binding_due().map(|d| rules::text::date_for(t.lang, d.on)),
            overdue: c.overdue_on(today),
        })
        .collect();
    let totals = state
        .store
        .case_totals(&akimat)
        .await?
        .into_iter()
        .map(|(tag, n)| {
            let name = serde_json::from_value::<rules::case::State>(serde_json::Value::String(tag.clone()))
                .map_or(tag.clone(), |st| st.name(t.lang).to_owned());
            (name, tag, n)
        })
        .collect();
    let services = rules::case::ServiceKind::ALL
        .iter()
        .filter_map(|k| {
            let value = serde_json::to_value(k).ok()?.as_str()?.to_owned();
            Some(Choice { selected: value == q.service, label: k.name(t.lang).to_owned(), value })
        })
        .collect();
    let mut stages: Vec<Choice> = rules::case::State::ALL
        .iter()
        .filter_map(|st| {
            let value = state_tag(*st)?;
            Some(Choice { selected: value == q.stage, label: st.name(t.lang).to_owned(), value })
        })
        .collect();
    stages.push(Choice { selected: q.stage == "finished", label: t.t("cases-archive"), value: "finished".into() });
    let professions = profession_groups(&state.store.reference().law, today, &t, &q.profession);
    let page = CasesPage {
        professions,
        found_line: t.ta("cases-found", &[("count", lines.len().to_string())]),
        totals,
        q: q.q,
        from: q.from,
        to: q.to,
        overdue: q.overdue == "on",
        services,
        stages,
        lines,
        error,
        who: Some(s).into(),
        path: "/officer/cases",
        t,
    };
    Ok(render(&page))
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    t: Tr,
    who: Who,
    path: &'static str,
    q: String,
    akimat: String,
    /// (number, holder, profession, status today, valid from–to, valid today).
    lines: Vec<(String, String, String, String, String, bool)>,
    found_line: String,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct RegisterQuery {
    #[serde(default)]
    q: String,
}

/// The akimat's register of certificates (App.3): every certificate it issued with its status
/// today, searched by number, the holder's IIN or name.
pub(crate) async fn register(
    State(state): State<AppState>,
    t: Tr,
    crate::edge::auth::Officer(s, akimat): crate::edge::auth::Officer,
    Query(q): Query<RegisterQuery>,
) -> Result<Response, PageError> {
    let today = state.store.today(&akimat, jiff::Timestamp::now()).unwrap_or_else(|_| state.today());
    let law = &state.store.reference().law;
    let found = state.store.certificate_register(&akimat, &q.q, 200).await?;
    let lines: Vec<_> = found
        .iter()
        .map(|c| {
            let status = c.status_on(today);
            let profession = law
                .profession_name(&c.profession, t.lang)
                .map_or(c.profession.clone(), |name| format!("{name} ({})", c.profession));
            (
                c.number.to_string(),
                format!("{} · {}", c.holder.full_name(), c.holder.iin),
                profession,
                status.describe(t.lang),
                t.ta("verify-valid", &[("from", c.valid_from.to_string()), ("to", c.valid_to.to_string())]),
                status.is_valid(),
            )
        })
        .collect();
    let page = RegisterPage {
        found_line: t.ta("cases-found", &[("count", lines.len().to_string())]),
        akimat: law.akimat_body(&akimat, t.lang),
        lines,
        q: q.q,
        who: Some(s).into(),
        path: "/officer/certificates",
        t,
    };
    Ok(render(&page))
}

#[derive(Template)]
#[template(path = "alerts.html")]
struct AlertsPage {
    t: Tr,
    who: Who,
    path: &'static str,
    akimat: String,
    /// (case number, level, the alert with its derivation)
    lines: Vec<(String, String, String)>,
}

/// The akimat's escalation alerts and breaches, newest first, each with its derivation:
/// the stage's first day, its working days and paragraph, its last day, the day judged.
pub(crate) async fn alerts(
    State(state): State<AppState>,
    t: Tr,
    crate::edge::auth::Officer(s, akimat): crate::edge::auth::Officer,
) -> Result<Response, PageError> {
    let recorded = state.store.escalations(&akimat, 500).await?;
    let lines =
        recorded.iter().map(|r| (r.case_number.clone(), r.level.clone(), crate::worker::alert_line(&t, r))).collect();
    let page = AlertsPage {
        akimat: state.store.reference().law.akimat_body(&akimat, t.lang),
        lines,
        who: Some(s).into(),
        path: "/officer/alerts",
        t,
    };
    Ok(render(&page))
}

pub(crate) async fn officer(State(state): State<AppState>, t: Tr, LoggedIn(s): LoggedIn) -> Response {
    queue_page(&state, t, s, false).await
}

pub(crate) async fn commission(State(state): State<AppState>, t: Tr, LoggedIn(s): LoggedIn) -> Response {
    queue_page(&state, t, s, true).await
}

#[derive(Template)]
#[template(path = "score.html")]
struct ScorePreview {
    total: String,
    verdict: String,
    lines: Vec<(String, u32, u32)>,
}

/// The live breakdown of the Commission's scoring form: the rules' assessment of the answers
/// so far, with the case's own criteria and pass mark. Changes nothing.
pub(crate) async fn score(
    State(state): State<AppState>,
    t: Tr,
    LoggedIn(s): LoggedIn,
    Path(number): Path<String>,
    axum::extract::Form(form): axum::extract::Form<HashMap<String, String>>,
) -> Response {
    let case = match state.store.case(&number).await {
        Ok(Some(c)) if crate::edge::access::case(&s.user, &c) && s.user.role == Role::Commission => c,
        Ok(_) => return forbidden(),
        Err(e) => return crate::edge::error::PageError::from(e).into_response(),
    };
    let law = &state.store.reference().law;
    let Ok(in_force) = law.for_case(&case) else { return forbidden() };
    let answers = answers_from(&form);
    let pass = &in_force.rules.terms.pass_mark_points;
    match rules::assessment::assess(&answers, in_force.criteria, pass) {
        Ok(a) => {
            let args = [("points", pass.value.to_string()), ("citation", pass.citation.localized(t.lang))];
            render(&ScorePreview {
                total: t.ta("calc-total", &[("total", a.total.to_string()), ("max", a.max_total.to_string())]),
                verdict: if a.passed() { t.ta("calc-passed", &args) } else { t.ta("calc-failed", &args) },
                lines: a.lines.iter().map(|l| (l.question.get(t.lang).to_owned(), l.points, l.max_points)).collect(),
            })
        }
        // The preview is a fragment of the form: the law's words, in the page's language.
        Err(e) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&ScoreRefused { message: e.refusal(in_force.criteria).sentence(t.lang) }),
        )
            .into_response(),
    }
}

#[derive(Template)]
#[template(source = r#"<p class="bad">{{ message }}</p>"#, ext = "html")]
struct ScoreRefused {
    message: String,
}
