//! The application form (App.1) for every service, its check page, drafts, and filing.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::civil::Date;
use rules::RuleSet;
use rules::case::{Application, Contact, DuplicateGround, ReissueGround, Service};
use rules::certificate::{Employer, Holder};
use rules::documents::{Document, DocumentKind, check};
use rules::ids::TaxpayerId;
use store::{Request, StoreError};

use crate::edge::AppState;
use crate::edge::auth::Applicant;
use crate::edge::error::PageError;
use crate::edge::forms::parse_date;
use crate::edge::i18n::Tr;
use crate::edge::session::Session;
use crate::edge::view::id_error;
use crate::edge::view::{Who, render};

use super::app1::{Answers, Intent, Posted};
use super::common::name_of;

// ---------------------------------------------------------------- application form

/// What a saved draft holds: the typed values and the uploaded documents.
/// Its answers by the form's field names, so that a draft outlives a change of the type.
#[derive(serde::Serialize, serde::Deserialize, Default)]
pub(crate) struct Draft {
    pub(crate) values: BTreeMap<String, String>,
    pub(crate) documents: Vec<(DocumentKind, String, String)>,
}

pub(crate) struct Choice {
    pub(crate) value: String,
    pub(crate) label: String,
    pub(crate) selected: bool,
}

pub(crate) struct Group {
    pub(crate) label: String,
    pub(crate) choices: Vec<Choice>,
}

pub(crate) struct DocField {
    pub(crate) name: String,
    pub(crate) label: String,
    pub(crate) kept: Option<(String, String)>,
    pub(crate) kept_label: String,
    pub(crate) error: Option<String>,
    /// Said instead of asking for the file, when the service attaches its own copy.
    pub(crate) own: Option<String>,
}

#[derive(Template)]
#[template(path = "apply.html")]
pub(crate) struct ApplyPage {
    pub(crate) t: Tr,
    pub(crate) who: Who,
    pub(crate) path: &'static str,
    pub(crate) service: &'static str,
    pub(crate) services: Vec<Choice>,
    pub(crate) akimats: Vec<Choice>,
    pub(crate) professions: Vec<Group>,
    pub(crate) certificates: Vec<Choice>,
    pub(crate) grounds: Vec<Choice>,
    pub(crate) docs: Vec<DocField>,
    pub(crate) answers: Answers,
    pub(crate) draft_saved: bool,
    pub(crate) draft_resumed: bool,
    pub(crate) errors: HashMap<String, String>,
    pub(crate) missing: Vec<String>,
    pub(crate) refusal: Option<String>,
    pub(crate) form_token: String,
    pub(crate) checklist_citation: String,
    pub(crate) person: Vec<(&'static str, String)>,
    /// What the service needs (App.2 item 8), line by line, said before the form.
    pub(crate) needs: Vec<String>,
    /// The errors in the order of the form, as (field id, message), for the error summary.
    pub(crate) summary: Vec<(String, String)>,
    /// The certificate an extension, re-issue or duplicate is about, in words.
    pub(crate) about: Option<String>,
}

impl ApplyPage {
    /// The largest document, in bytes (the form's script checks it before sending).
    pub(crate) fn file_bytes(&self) -> usize {
        crate::edge::limits::FILE_BYTES
    }

    /// The same in MB, as people read it.
    pub(crate) fn file_mb(&self) -> usize {
        crate::edge::limits::FILE_BYTES / (1024 * 1024)
    }

    pub(crate) fn v(&self, name: &str) -> &str {
        self.answers.shown(name)
    }

    pub(crate) fn e(&self, name: &str) -> Option<&str> {
        self.errors.get(name).map(String::as_str)
    }

    pub(crate) fn checked(&self, name: &str) -> bool {
        !self.answers.shown(name).is_empty()
    }
}

pub(crate) fn service_of(name: &str) -> (&'static str, Service) {
    match name {
        "extend" => ("extend", Service::Extend),
        "reissue" => ("reissue", Service::Reissue { ground: ReissueGround::NameChange }),
        "duplicate" => ("duplicate", Service::Duplicate { ground: DuplicateGround::Lost }),
        _ => ("issue", Service::Issue),
    }
}

/// The documents offered for a service: every kind any line of its checklist accepts.
pub(crate) fn doc_kinds(rules: &RuleSet, service: Service) -> Vec<DocumentKind> {
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
pub(crate) fn kinds_in(
    rules: &RuleSet,
    lists: &[rules::documents::Checklist],
    more: &[DocumentKind],
) -> Vec<DocumentKind> {
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
    pub(crate) service: Option<String>,
    /// Prefilled from a new employer's notice (Rules §18 → §19, §22).
    pub(crate) ground: Option<String>,
    pub(crate) certificate: Option<String>,
    pub(crate) event_date: Option<String>,
    pub(crate) employer_name: Option<String>,
    pub(crate) employer_id: Option<String>,
}

pub(crate) async fn apply(
    State(state): State<AppState>,
    t: Tr,
    Applicant(s): Applicant,
    Query(q): Query<ApplyQuery>,
) -> Result<Response, PageError> {
    let service = service_of(&q.service.clone().unwrap_or_default()).0;
    let token = crate::edge::random::token().map_err(|e| PageError::ours(StatusCode::SERVICE_UNAVAILABLE, &e))?;
    let form = match resumed_draft(&state, &s, service).await? {
        Some((answers, kept)) => {
            ApplyForm { service, answers, kept, token, draft_resumed: true, ..ApplyForm::default() }
        }
        None => ApplyForm { service, answers: prefilled(&state, &s, &q).await?, token, ..ApplyForm::default() },
    };
    Ok(apply_page(&state, t, s, form).await)
}

/// A new form's answers: the name's parts from the person's certificate, and for a service
/// about a certificate what the person told the service before and what the link names.
async fn prefilled(state: &AppState, s: &Session, q: &ApplyQuery) -> Result<Answers, PageError> {
    let mut answers = Answers::default();
    // The name's parts as the person's certificate gave them; a name is never split on spaces
    // ("De la Cruz" is one surname), so without parts the fields are left for the person.
    // A fault of the database is ours (5xx), not a form without names.
    if let Some(parts) = state.store.name_parts(&s.user.id).await? {
        answers.surname = parts.surname;
        answers.given_name = parts.given_names;
        answers.patronymic = parts.patronymic.unwrap_or_default();
    }
    // Issue 31: an extension, re-issue or duplicate started from a certificate is pre-filled
    // from the person's last application, with the certificate's akimat chosen: nothing they
    // told the service before is asked again.
    if let (Some(number), Some(iin)) = (&q.certificate, &s.user.iin) {
        let cases = state.store.cases_of(iin).await?;
        if let Some(last) = cases.iter().filter(|c| c.application.applicant.iin == *iin).max_by_key(|c| c.received_on) {
            prefill_from(&mut answers, &last.application);
        }
        if let Ok(number) = number.parse()
            && let Some(c) = state.store.certificate(&number).await?
        {
            answers.akimat = c.akimat.to_string();
            answers.profession.clone_from(&c.profession);
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
            answers.take(k, v);
        }
    }
    Ok(answers)
}

/// The person's draft of `service`, if they saved one: its answers and the documents of it
/// that are still theirs.
async fn resumed_draft(
    state: &AppState,
    s: &Session,
    service: &str,
) -> Result<Option<(Answers, HashMap<DocumentKind, (String, String)>)>, PageError> {
    let Some(content) = state.store.draft(&s.user.id, service).await? else { return Ok(None) };
    // A draft this version cannot read is left aside, as if there were none.
    let Ok(draft) = serde_json::from_str::<Draft>(&content) else { return Ok(None) };
    let answers = Answers::from_pairs(draft.values.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let mut kept = HashMap::new();
    for (kind, sha, file) in draft.documents {
        if state.store.owns_upload(&s.user.id, &sha).await? {
            kept.insert(kind, (sha, file));
        }
    }
    Ok(Some((answers, kept)))
}

/// The answers of an earlier application that a follow-up one asks again: the identity
/// document, the addresses and phones, the employer.
pub(crate) fn prefill_from(answers: &mut Answers, app: &rules::case::Application) {
    let a = &app.applicant;
    let c = &app.contact;
    let mut put = |k: &str, v: String| {
        if !v.trim().is_empty() {
            answers.take(k, &v);
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
pub(crate) struct ApplyForm {
    pub(crate) service: &'static str,
    pub(crate) answers: Answers,
    pub(crate) intent: Intent,
    pub(crate) draft_saved: bool,
    pub(crate) draft_resumed: bool,
    pub(crate) kept: HashMap<DocumentKind, (String, String)>,
    pub(crate) errors: HashMap<String, String>,
    /// Checklist lines no uploaded document meets, with their paragraphs.
    pub(crate) missing: Vec<String>,
    pub(crate) refusal: Option<String>,
    /// The form's idempotency key: the same form posted twice files once.
    pub(crate) token: String,
}

impl ApplyForm {
    pub(crate) fn error(&mut self, k: &str, message: String) {
        self.errors.insert(k.to_owned(), message);
    }

    /// Says "required" beside each of the questions named that has no answer.
    pub(crate) fn require(&mut self, t: &Tr, names: &[&str]) {
        for k in names {
            if self.answers.shown(k).is_empty() {
                self.error(k, t.t("error-required"));
            }
        }
    }

    /// A date field: `None` when empty, and an error beside it when it is not a date.
    pub(crate) fn date(&mut self, t: &Tr, k: &str) -> Option<Date> {
        let typed = self.answers.shown(k).to_owned();
        let date = parse_date(&typed);
        if date.is_none() && !typed.is_empty() {
            self.error(k, t.t("error-date"));
        }
        date
    }
}

/// The list of professions in force on `today`, by priority sector, each by name with its
/// code, `chosen` selected.
pub(crate) fn profession_groups(law: &rules::Law, today: Date, t: &Tr, chosen: &str) -> Vec<Group> {
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
pub(crate) const PERSON: [(&str, &str); 12] = [
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
pub(crate) fn ground_keys(service: Service) -> Vec<(&'static str, &'static str)> {
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

pub(crate) async fn apply_page(state: &AppState, t: Tr, s: Session, form: ApplyForm) -> Response {
    apply_view(state, t, s, form).await.unwrap_or_else(IntoResponse::into_response)
}

/// The application form as posted or new, or the fault that stops it.
async fn apply_view(state: &AppState, t: Tr, s: Session, form: ApplyForm) -> Result<Response, PageError> {
    let ApplyForm {
        service,
        answers,
        draft_saved,
        draft_resumed,
        kept,
        errors,
        missing,
        refusal,
        token: form_token,
        ..
    } = form;
    let (service_name, service_kind) = service_of(service);
    let law = &state.store.reference().law;
    let today = state.today();
    let rules_now = law.set_on(today);
    let services = service_choices(&t, service_name);
    let akimats = akimat_choices(law, &t, &answers.akimat);
    let professions = profession_groups(law, today, &t, &answers.profession);
    let chosen_cert = answers.certificate.clone();
    // A store failure is a fault of ours, said as one, never an empty list.
    let held: Vec<rules::certificate::Certificate> = match &s.user.iin {
        Some(iin) => state.store.certificates_of(iin).await?,
        None => Vec::new(),
    }
    .into_iter()
    .filter(|c| c.status_on(today).is_valid())
    .collect();
    // The form names the certificate it is about, as the holder knows it.
    let about = held.iter().find(|c| c.number.to_string() == chosen_cert).map(|c| about_certificate(law, &t, c));
    // The certificate an extension needs is the one this service issued: it attaches it.
    let own_certificate = state.office.is_some() && !held.is_empty();
    let certificates = certificate_choices(&t, held, today, &chosen_cert);
    let grounds = ground_keys(service_kind)
        .into_iter()
        .map(|(v, k)| Choice { value: v.to_owned(), label: t.t(k), selected: answers.ground == v })
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
    let needs = needs_of(rules_now, service_kind, &t);
    let summary = error_summary(&t, &errors, &person, &docs);
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
        answers,
        draft_saved,
        draft_resumed,
        errors,
        missing,
        refusal,
        form_token,
        checklist_citation,
    };
    Ok((status, render(&page)).into_response())
}

/// App.2 item 8.2 asks an extension for "the certificate issued earlier". This service issued
/// it and keeps it, so the person is not asked to upload it back: the certificate the form
/// names, when the person holds it, is attached as the service's own signed original. Without
/// a signing office there is no such document, and the person uploads their copy as before.
pub(crate) async fn attach_issued_certificate(
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
    let number = form.answers.certificate.clone();
    let held = state.store.certificates_of(iin).await?;
    let Some(c) = held.iter().find(|c| c.number.to_string() == number) else { return Ok(()) };
    let lang = docs::pdf::Lang::for_reader(t.lang);
    let kept =
        crate::shared::documents::certificate_document(&state.store, office, &state.public_url, c, lang, false, None)
            .await
            .map_err(|e| PageError::ours(StatusCode::INTERNAL_SERVER_ERROR, &e))?;
    let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&kept.pdf));
    form.kept.insert(DocumentKind::PreviousCertificate, (sha, format!("{number}.pdf")));
    Ok(())
}

/// The posted form as the page works with it: each file that arrived is stored at once (so
/// that an error elsewhere does not make the person upload it again), a document kept from an
/// earlier post is kept only if this person uploaded it, and what did not arrive whole is said
/// beside its field.
pub(crate) async fn accept(state: &AppState, t: &Tr, user: &store::User, posted: Posted) -> ApplyForm {
    let Posted { answers, intent, token, files, kept, problems } = posted;
    let mut form =
        ApplyForm { service: service_of(&answers.service).0, answers, intent, token, ..ApplyForm::default() };
    let now = jiff::Timestamp::now().as_millisecond();
    for file in files {
        match state.store.upload(&user.id, &file.bytes, now).await {
            Ok(r) => {
                form.kept.insert(file.kind, (r.sha256, file.file_name));
            }
            Err(e) => form.error(&format!("doc-{}", name_of(&file.kind)), blob_error(t, e)),
        }
    }
    for (kind, sha, file) in kept {
        match state.store.owns_upload(&user.id, &sha).await {
            Ok(true) => {
                form.kept.entry(kind).or_insert((sha, file));
            }
            Ok(false) => {}
            // Said beside the document, so the person attaches it again rather than losing it
            // silently.
            Err(e) => form.error(&format!("doc-{}", name_of(&kind)), blob_error(t, e)),
        }
    }
    form.errors.extend(problems);
    form
}

/// Keeps what was typed and uploaded as the person's draft of this service.
pub(crate) async fn save_draft(state: &AppState, t: Tr, s: Session, mut form: ApplyForm) -> Response {
    let mut documents: Vec<(DocumentKind, String, String)> =
        form.kept.iter().map(|(k, (sha, f))| (*k, sha.clone(), f.clone())).collect();
    documents.sort();
    let content = serde_json::to_string(&Draft { values: form.answers.to_map(), documents }).unwrap_or_default();
    let now = jiff::Timestamp::now().as_millisecond();
    if let Err(e) = state.store.save_draft(&s.user.id, form.service, &content, now).await {
        return crate::edge::error::PageError::from(e).into_response();
    }
    form.draft_saved = true;
    apply_page(state, t, s, form).await
}

/// The questions of App.1 every service asks.
const REQUIRED: [&str; 10] = [
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
];

/// The application the form describes, or `None` with every problem said beside its field
/// and every checklist line (App.2 item 8) that no document meets.
pub(crate) fn application_from(state: &AppState, t: &Tr, s: &Session, form: &mut ApplyForm) -> Option<Application> {
    let law = &state.store.reference().law;
    form.require(t, &REQUIRED);
    if !form.answers.akimat.is_empty() && law.akimat(&form.answers.akimat).is_none() {
        form.error("akimat", t.t("error-required"));
    }
    let issued_on = form.date(t, "document_issued_on");
    // App.2 item 9: an expired identity document makes the application not accepted; its
    // last valid day is asked for so that the check can fire.
    let document_valid_until = form.date(t, "document_valid_until");
    if !form.answers.consent {
        form.error("consent", t.t("apply-consent-required"));
    }
    let represented_iin = represented(t, s, form);
    let service = service_details(t, form);
    let employer = employer_of(t, form);
    let contract_end = form.date(t, "contract_end");
    let event_date = form.date(t, "event_date");
    let certificate = rules::numbers::CertificateNumber::parse(&form.answers.certificate).ok();
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
    let represents = form.answers.represent;
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
    let a = &form.answers;
    let profession = (service == Service::Issue).then(|| a.profession.clone());
    let sector = profession
        .as_ref()
        .and_then(|p| law.catalogue.in_force_on(today).and_then(|c| c.find(p)).map(|(s, _)| s.oked.clone()));
    let optional = |v: &String| if v.is_empty() { None } else { Some(v.clone()) };
    Some(Application {
        akimat: a.akimat.as_str().into(),
        service,
        applicant: Holder {
            iin,
            surname: a.surname.clone(),
            given_name: a.given_name.clone(),
            patronymic: optional(&a.patronymic),
            document_number: a.document_number.clone(),
            document_issued_on: issued_on,
            document_issued_by: a.document_issued_by.clone(),
        },
        representative,
        contact: Contact {
            address: a.address.clone(),
            phone: a.phone.clone(),
            fax: optional(&a.fax),
            home_address: a.home_address.clone(),
            home_phone: a.home_phone.clone(),
        },
        profession,
        sector,
        employer,
        contract_end,
        contract_open_ended: a.contract_open_ended,
        certificate,
        event_date,
        consent: true,
        documents,
    })
}

/// Rules §3: a person the applicant authorised files in the applicant's name; the
/// applicant's IIN comes from the form, the representative's from their own login.
pub(crate) fn represented(t: &Tr, s: &Session, form: &mut ApplyForm) -> Option<rules::Iin> {
    if !form.answers.represent {
        return None;
    }
    match rules::ids::Iin::parse(&form.answers.applicant_iin) {
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
pub(crate) fn service_details(t: &Tr, form: &mut ApplyForm) -> Service {
    match service_of(form.service).1 {
        Service::Issue => {
            form.require(t, &["profession"]);
            Service::Issue
        }
        Service::Extend => {
            form.require(t, &["certificate", "employer_name"]);
            // Rules §16: an open-ended contract has no last day; the 3-year cap applies alone.
            if !form.answers.contract_open_ended {
                form.require(t, &["contract_end"]);
            }
            Service::Extend
        }
        Service::Reissue { .. } => {
            form.require(t, &["certificate", "event_date"]);
            let ground = match form.answers.ground.as_str() {
                "identity-document-change" => ReissueGround::IdentityDocumentChange,
                "employer-change" => ReissueGround::EmployerChange,
                _ => ReissueGround::NameChange,
            };
            if ground == ReissueGround::EmployerChange {
                form.require(t, &["employer_name"]);
            }
            Service::Reissue { ground }
        }
        Service::Duplicate { .. } => {
            form.require(t, &["certificate", "event_date"]);
            let ground =
                if form.answers.ground == "damaged" { DuplicateGround::Damaged } else { DuplicateGround::Lost };
            Service::Duplicate { ground }
        }
    }
}

/// The employer named on the form, with a taxpayer number that must be valid.
pub(crate) fn employer_of(t: &Tr, form: &mut ApplyForm) -> Option<Employer> {
    if form.answers.employer_name.is_empty() {
        return None;
    }
    match TaxpayerId::parse(&form.answers.employer_id) {
        Ok(id) => Some(Employer { name: form.answers.employer_name.clone(), id }),
        Err(e) => {
            form.error("employer_id", id_error(t, &e));
            None
        }
    }
}

/// Files the application; a refusal comes back onto the form with everything kept.
pub(crate) async fn file_application(
    state: &AppState,
    t: Tr,
    s: Session,
    mut form: ApplyForm,
    app: Application,
) -> Response {
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
pub(crate) fn blob_error(t: &Tr, e: StoreError) -> String {
    match e {
        StoreError::Blob(store::BlobError::Empty) => t.t("error-required"),
        other => crate::edge::error::PageError::from(other).0.message(t),
    }
}

/// The errors of the form as its summary lists them: in the order the form asks its
/// questions, each linking to its field and naming it as the form labels it ("Akimat:
/// Required."), so a list of nine "Required." says which nine (issue 31).
fn error_summary(
    t: &Tr,
    errors: &HashMap<String, String>,
    person: &[(&'static str, String)],
    docs: &[DocField],
) -> Vec<(String, String)> {
    let order: Vec<String> = ["akimat", "profession", "certificate", "event_date", "employer_name", "employer_id"]
        .into_iter()
        .chain(["contract_end", "applicant_iin"])
        .map(str::to_owned)
        .chain(person.iter().map(|(n, _)| (*n).to_owned()))
        .chain(docs.iter().map(|d| format!("doc-{}", d.name)))
        .chain(["consent".to_owned()])
        .collect();
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
    summary
}

/// The certificate an application is about, as its holder knows it: number, profession, term.
fn about_certificate(law: &rules::Law, t: &Tr, c: &rules::certificate::Certificate) -> String {
    let profession = law
        .profession_name(&c.profession, t.lang)
        .map_or(c.profession.clone(), |name| format!("{name} ({})", c.profession));
    t.ta(
        "apply-for-certificate",
        &[("number", c.number.to_string()), ("profession", profession), ("to", c.valid_to.to_string())],
    )
}

/// What `service` needs (App.2 item 8), line by line with its paragraph.
fn needs_of(rules_now: &RuleSet, service: Service, t: &Tr) -> Vec<String> {
    rules_now
        .checklists
        .requirements(service.checklist(), false)
        .iter()
        .map(|r| {
            let kinds: Vec<&str> = r.any_of.iter().map(|k| k.name(t.lang)).collect();
            format!("{} ({})", kinds.join(rules::speech::word(t.lang, "word-or")), r.citation.localized(t.lang))
        })
        .collect()
}

/// The certificates the person holds, with where each stands, the chosen one selected.
fn certificate_choices(t: &Tr, held: Vec<rules::certificate::Certificate>, today: Date, chosen: &str) -> Vec<Choice> {
    held.into_iter()
        .map(|c| Choice {
            value: c.number.to_string(),
            label: format!("{} · {}", c.number, c.status_on(today).describe(t.lang)),
            selected: c.number.to_string() == chosen,
        })
        .collect()
}

/// The four services, the chosen one selected.
fn service_choices(t: &Tr, chosen: &str) -> Vec<Choice> {
    ["issue", "extend", "reissue", "duplicate"]
        .iter()
        .map(|n| Choice {
            value: (*n).to_owned(),
            label: service_of(n).1.kind().name(t.lang).to_owned(),
            selected: *n == chosen,
        })
        .collect()
}

/// The akimats, the chosen one selected.
fn akimat_choices(law: &rules::Law, t: &Tr, chosen: &str) -> Vec<Choice> {
    law.akimats
        .iter()
        .map(|a| Choice {
            value: a.code.to_string(),
            label: a.names.get(t.lang).to_owned(),
            selected: a.code == chosen,
        })
        .collect()
}
