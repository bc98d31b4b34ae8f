//! The case page: what the case is, its history and documents, the Commission's scores and
//! minutes, and the forms of the actions the rules allow this person now; the evidence a
//! reviewer sees; a case's documents.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use rules::Role;
use rules::assessment::Scale;
use rules::case::{CommandKind, Ground, Outcome, Recommendation, transition};
use rules::documents::DocumentKind;
use store::StoreError;

use crate::edge::AppState;
use crate::edge::auth::LoggedIn;
use crate::edge::error::PageError;
use crate::edge::i18n::Tr;
use crate::edge::session::Session;
use crate::edge::view::{Who, render};
use crate::shared::minutes::MinutesStatus;

use super::apply::Choice;
use super::case_form::{ActForm, RecommendChoice, action_name, checklist_choices, ground_choices};

// ---------------------------------------------------------------- the case page

pub(crate) struct HistoryLine {
    pub(crate) when: String,
    pub(crate) what: String,
    pub(crate) who: String,
    pub(crate) citation: String,
}

/// One document on the case page: its kind as named in the page's language.
pub(crate) struct DocumentLine {
    pub(crate) kind: String,
    pub(crate) sha256: String,
    pub(crate) file_name: String,
}

/// One line of the Commission's score.
pub(crate) struct ScoreLine {
    pub(crate) question: String,
    pub(crate) points: u32,
    pub(crate) max_points: u32,
}

pub(crate) struct CriterionField {
    pub(crate) id: String,
    pub(crate) question: String,
    pub(crate) kind: &'static str,
    pub(crate) options: Vec<Choice>,
}

pub(crate) struct ActionForm {
    pub(crate) kind: &'static str,
    pub(crate) label: String,
    /// What the officer ticks to confirm an action that ends the case for the applicant.
    pub(crate) confirm: Option<String>,
}

#[derive(Template)]
#[template(path = "case.html")]
pub(crate) struct CasePage {
    pub(crate) t: Tr,
    pub(crate) who: Who,
    pub(crate) path: String,
    pub(crate) title: String,
    pub(crate) new_text: String,
    /// What comes next for an applicant whose filing waits for registration, with dates.
    pub(crate) steps: Vec<String>,
    pub(crate) number: String,
    pub(crate) service: String,
    pub(crate) state: String,
    pub(crate) received_on: String,
    pub(crate) due: Option<String>,
    pub(crate) overdue: bool,
    pub(crate) service_due: Option<String>,
    pub(crate) late: Option<String>,
    /// The banner after filing: received, or what is left to do.
    pub(crate) new_title: String,
    pub(crate) is_new: bool,
    pub(crate) applicant: String,
    pub(crate) applicant_iin: String,
    /// Who filed for the applicant (Rules §3): name, IIN, and whether the power of attorney
    /// is attached and their signature received.
    pub(crate) representative: Option<String>,
    pub(crate) document_number: String,
    pub(crate) akimat: String,
    pub(crate) profession: String,
    pub(crate) reasons: Option<String>,
    /// Refusal grounds as (name, paragraph).
    pub(crate) grounds: Vec<(String, String)>,
    pub(crate) documents: Vec<DocumentLine>,
    pub(crate) assessment: Vec<ScoreLine>,
    pub(crate) assessment_total: Option<String>,
    /// The Commission's recommendation and its words (Rules §9), once decided.
    pub(crate) recommended: Option<(String, String)>,
    pub(crate) outcome: Option<String>,
    pub(crate) certificate: Option<String>,
    pub(crate) files: Vec<crate::shared::documents::FileLink>,
    pub(crate) signed_by: Vec<String>,
    /// An extension or duplicate under a name other than the certificate's (Rules §22).
    pub(crate) name_flag: Option<String>,
    /// Other open applications of the same person for the same service (flagged, not refused).
    pub(crate) related: Option<String>,
    /// For staff: how to reach the applicant (App.1), here and at home.
    pub(crate) contact: Option<String>,
    /// The certificate the application concerns and, for an extension, the new contract's
    /// end (Rules §16).
    pub(crate) concerns: Option<String>,
    /// For the applicant after a refusal or non-acceptance: complain (Rules §24) or apply again.
    pub(crate) complain: bool,
    pub(crate) history: Vec<HistoryLine>,
    pub(crate) actions: Vec<ActionForm>,
    pub(crate) criteria: Vec<CriterionField>,
    /// The criteria in force are a sample, not an approved table: the scoring form says so.
    pub(crate) criteria_sample: bool,
    /// The minutes being signed, and whether this person may sign them now.
    pub(crate) minutes: Option<MinutesView>,
    /// The box to sign the application with, for its filer who has not signed it yet.
    pub(crate) sign_application: Option<crate::shared::signing::EdsBox>,
    /// The result's documents still to sign (Rules §13).
    pub(crate) result: crate::shared::authorised::ResultView,
    /// `serve --demo`: offer the demo key too.
    pub(crate) demo: bool,
    /// The service's checklist items (App.2 item 8), to name what is missing or expired.
    pub(crate) checklist: Vec<(String, String)>,
    /// The grounds of App.2 item 9 this service may be refused on, as (form field, label
    /// with its sub-item), from the case's rule set.
    pub(crate) ground_choices: Vec<(String, String)>,
    pub(crate) version: u64,
    pub(crate) message: Option<String>,
    pub(crate) error: Option<String>,
    /// A refused form's answers, shown again, and the field to fix.
    pub(crate) kept: Kept,
}

/// The minutes on the case page.
pub(crate) struct MinutesView {
    pub(crate) status: MinutesStatus,
    /// The signing box, when this person is a member who has not signed.
    pub(crate) eds: Option<crate::shared::signing::EdsBox>,
    /// `serve --demo`: offer the demo key too.
    pub(crate) demo: bool,
    /// Whether this person has an EDS bound to their account.
    pub(crate) has_eds: bool,
}

#[derive(serde::Deserialize)]
pub(crate) struct CaseQuery {
    pub(crate) new: Option<String>,
    pub(crate) done: Option<String>,
    pub(crate) minutes: Option<String>,
    pub(crate) signed: Option<String>,
    #[serde(rename = "application-signed")]
    pub(crate) application_signed: Option<String>,
    #[serde(rename = "result-signed")]
    pub(crate) result_signed: Option<String>,
}

pub(crate) async fn case_page(
    State(state): State<AppState>,
    t: Tr,
    LoggedIn(s): LoggedIn,
    Path(number): Path<String>,
    Query(q): Query<CaseQuery>,
) -> Result<Response, PageError> {
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
    Ok(show_case(&state, t, s, &number, q.new.is_some(), message, Kept::default()).await)
}

pub(crate) async fn show_case(
    state: &AppState,
    t: Tr,
    s: Session,
    number: &str,
    is_new: bool,
    message: Option<String>,
    kept: Kept,
) -> Response {
    case_view(state, t, s, number, is_new, message, kept).await.unwrap_or_else(IntoResponse::into_response)
}

/// The case page, or the fault that stops it (a store failure is a 5xx page, never an empty
/// part of the page).
async fn case_view(
    state: &AppState,
    t: Tr,
    s: Session,
    number: &str,
    is_new: bool,
    message: Option<String>,
    mut kept: Kept,
) -> Result<Response, PageError> {
    let error = kept.error.take();
    let case = crate::edge::access::visible_case(&state.store, &s.user, number).await?;
    let law = &state.store.reference().law;
    let today = state.store.today(&case.application.akimat, jiff::Timestamp::now()).unwrap_or_else(|_| state.today());
    let history = history_lines(state, &t, &case).await?;
    let service_kind = case.application.service.kind();
    let actions = actions_for(&case, &s.user, &t);
    let deciding = actions.iter().any(|a| a.kind == "record-decision");
    let (criteria, criteria_sample) = if deciding { criteria_of(law, &case, &t) } else { (Vec::new(), false) };
    let minutes = minutes_view(state, &s, &case).await?;
    let signatures = state.store.application_signatures(&case.number.to_string()).await?;
    let sign_application = application_to_sign(state, &s.user, &case, &signatures);
    let result = crate::shared::authorised::view(state, &t, &s.user, &case).await?;
    let app = &case.application;
    let profession = profession_line(law, app, &t);
    let (assessment, assessment_total) = assessment_lines(&case, &t);
    let outcome = case.outcome.as_ref().map(|o| outcome_line(o, &t));
    let certificate = case.outcome.as_ref().map(certificate_of);
    let due_line = |d: &rules::deadline::DueDate| due_line(&t, d);
    let concerned = match &app.certificate {
        Some(n) => state.store.certificate(n).await?,
        None => None,
    };
    let actions = offered(actions, minutes.is_some(), concerned.as_ref(), today);
    let name_flag = concerned.as_ref().and_then(|c| name_flag(&t, app, c));
    let related = related_line(state, &t, &case).await?;
    let ground_choices = ground_choices(law.set_of(&case), case.application.service.kind(), t.lang);
    kept.place_errors(&criteria, &ground_choices);
    let staff = s.user.role != Role::Applicant;
    let contact = staff.then(|| contact_line(&t, &app.contact));
    let concerns = app.certificate.as_ref().map(|n| concerns_line(&t, app, n, concerned.as_ref()));
    let steps = if staff { Vec::new() } else { steps_ahead(state, &t, &case) };
    let complain = s.user.role == Role::Applicant
        && matches!(case.state, rules::case::State::Refused | rules::case::State::NotAccepted);
    let (new_title, new_text) = welcome(&t, &case, sign_application.is_some());
    let page = CasePage {
        steps,
        contact,
        concerns,
        complain,
        title: t.ta("status-result", &[("number", case.number.to_string())]),
        new_title,
        new_text,
        path: format!("/cases/{}", case.number),
        number: case.number.to_string(),
        service: service_kind.name(t.lang).to_owned(),
        state: state_name(&t, &case, result.awaiting.is_some()),
        received_on: rules::text::date_for(t.lang, case.received_on),
        due: case.due.as_ref().map(due_line),
        overdue: case.overdue_on(today),
        service_due: case.service_due.as_ref().map(due_line),
        late: case.late.as_ref().map(|l| late_line(&t, l)),
        is_new,
        applicant: app.applicant.full_name(),
        applicant_iin: app.applicant.iin.to_string(),
        representative: app.representative.as_ref().map(|r| representative_line(&t, app, r)),
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
        files: crate::shared::documents::case_links(state, &t, &case),
        signed_by: applicant_signatures(state, &t, &case, &signatures),
        name_flag,
        related,
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
    Ok((status, render(&page)).into_response())
}

/// Right after filing: "received", once the application is signed; before that, what is
/// left to do (issue 31).
fn welcome(t: &Tr, case: &rules::Case, to_sign: bool) -> (String, String) {
    let args = [("number", case.number.to_string()), ("date", rules::text::date_for(t.lang, case.received_on))];
    if to_sign {
        (t.t("case-new-sign-title"), t.ta("case-new-sign-text", &args))
    } else {
        (t.t("case-new-title"), t.ta("case-new-text", &args))
    }
}

/// The criteria a member scores by, the case's own, and whether they are the shipped sample.
fn criteria_of(law: &rules::Law, case: &rules::Case, t: &Tr) -> (Vec<CriterionField>, bool) {
    match law.for_case(case) {
        Ok(in_force) => (criterion_fields(in_force.criteria, t), in_force.criteria.sample),
        Err(_) => (Vec::new(), false),
    }
}

/// The application's signing box, while its applicant has yet to sign it with their EDS.
fn application_to_sign(
    state: &AppState,
    user: &store::User,
    case: &rules::Case,
    signatures: &[store::ApplicationSignature],
) -> Option<crate::shared::signing::EdsBox> {
    let awaits = state.office.is_some() && crate::shared::application::awaits_signature(user, case, signatures);
    awaits.then(|| {
        crate::shared::signing::EdsBox::new(
            crate::shared::application::canonical_application(case).as_bytes(),
            format!("/cases/{}/application/signature", case.number),
        )
    })
}

/// The number of the certificate a case's result gave or acted on.
fn certificate_of(o: &Outcome) -> String {
    match o {
        Outcome::Issued { certificate } | Outcome::Reissued { certificate, .. } => certificate.number.to_string(),
        Outcome::Extended { number, .. } | Outcome::Duplicated { number, .. } => number.to_string(),
    }
}

/// A due date with its paragraph.
fn due_line(t: &Tr, d: &rules::deadline::DueDate) -> String {
    t.ta("status-due", &[("date", d.on.to_string()), ("citation", d.citation.localized(t.lang))])
}

/// The case's state in words; until the authorised person has signed the result, it is
/// "being signed", not yet "issued" (Rules §13, issue 31).
fn state_name(t: &Tr, case: &rules::Case, awaiting_signature: bool) -> String {
    if awaiting_signature { t.t("case-state-being-signed") } else { case.status_name(t.lang).to_owned() }
}

/// A filing after the holder's own window: accepted, and said so with the window's paragraph.
fn late_line(t: &Tr, l: &rules::deadline::Lateness) -> String {
    t.ta("case-late", &[("window", l.window.to_string()), ("citation", l.citation.localized(t.lang))])
}

/// The person filing for the applicant, and whether their power of attorney is attached.
fn representative_line(t: &Tr, app: &rules::case::Application, r: &rules::case::Representative) -> String {
    let attorney = app.documents.iter().any(|d| d.kind == DocumentKind::PowerOfAttorney);
    let proof = if attorney { "case-attorney-attached" } else { "case-attorney-missing" };
    format!("{} · {} {} · {}", r.name, t.t("case-iin"), r.iin, t.t(proof))
}

/// The person's other open applications for the same service, in words with their numbers:
/// a second filing is flagged, never refused (the law gives no ground for it).
async fn related_line(state: &AppState, t: &Tr, case: &rules::Case) -> Result<Option<String>, PageError> {
    let service = super::common::name_of(&case.application.service.kind());
    let related = state
        .store
        .related_open_cases(&case.application.applicant.iin.to_string(), &service, &case.number.to_string())
        .await?;
    Ok((!related.is_empty()).then(|| {
        let list: Vec<String> = related.iter().map(|(n, _)| n.clone()).collect();
        t.ta("case-related", &[("numbers", list.join(", "))])
    }))
}

/// The actions offered of those the rules allow: not the decision's form while the minutes
/// are being signed, and closing only once the certificate is gone (Rules §23).
fn offered(
    actions: Vec<ActionForm>,
    minutes_pending: bool,
    concerned: Option<&rules::certificate::Certificate>,
    today: jiff::civil::Date,
) -> Vec<ActionForm> {
    use rules::certificate::Status;
    let gone =
        concerned.is_some_and(|c| matches!(c.status_on(today), Status::Revoked { .. } | Status::Superseded { .. }));
    actions
        .into_iter()
        .filter(|a| a.kind != "record-decision" || !minutes_pending)
        .filter(|a| a.kind != "close" || gone)
        .collect()
}

/// The actions the rules allow this person on this case now, as forms.
fn actions_for(case: &rules::Case, user: &store::User, t: &Tr) -> Vec<ActionForm> {
    let service_kind = case.application.service.kind();
    CommandKind::ALL
        .iter()
        .filter(|k| transition(service_kind, case.state, **k).is_ok() && k.role().0 == user.role)
        .filter(|_| user.akimat.as_deref() == Some(case.application.akimat.as_str()))
        .map(|k| ActionForm {
            kind: action_name(*k),
            label: t.t(&format!("action-{}", action_name(*k))),
            confirm: matches!(k, CommandKind::Refuse | CommandKind::NotAccept)
                .then(|| t.t(&format!("case-confirm-{}", action_name(*k)))),
        })
        .collect()
}

/// Said when the name filed differs from the certificate's, with the paragraph that asks for
/// a re-issue.
fn name_flag(t: &Tr, app: &rules::case::Application, c: &rules::certificate::Certificate) -> Option<String> {
    let citation = rules::case::name_differs(app, c)?;
    Some(t.ta(
        "case-name-differs",
        &[
            ("filed", app.applicant.full_name()),
            ("certificate", c.holder.full_name()),
            ("citation", citation.localized(t.lang)),
        ],
    ))
}

/// How the applicant is reached, for the staff.
fn contact_line(t: &Tr, c: &rules::case::Contact) -> String {
    let mut parts = vec![c.address.clone(), c.phone.clone()];
    parts.extend(c.fax.clone());
    format!("{} · {}: {}, {}", parts.join(", "), t.t("case-home-contact"), c.home_address, c.home_phone)
}

/// The certificate an extension, re-issue or duplicate is about, with its validity and the
/// contract's end.
fn concerns_line(
    t: &Tr,
    app: &rules::case::Application,
    number: &rules::numbers::CertificateNumber,
    concerned: Option<&rules::certificate::Certificate>,
) -> String {
    let end = match (app.contract_end, app.contract_open_ended) {
        (Some(d), _) => t.ta("case-contract-end", &[("date", d.to_string())]),
        (None, true) => t.t("case-contract-open-ended"),
        (None, false) => String::new(),
    };
    let valid = concerned.map(|c| t.ta("case-valid-until", &[("date", c.valid_to.to_string())]));
    [Some(number.to_string()), valid, Some(end).filter(|e| !e.is_empty())]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ")
}

/// For the applicant: the steps still ahead, each with its last day and paragraph.
fn steps_ahead(state: &AppState, t: &Tr, case: &rules::Case) -> Vec<String> {
    let law = &state.store.reference().law;
    case.steps_ahead(&state.store.reference().calendar, law.set_of(case))
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
}

/// The minutes of a case being signed, for the case page. A member who opens the page when
/// the signatures make a quorum but the decision is not recorded yet (the service stopped in
/// between) records it now.
pub(crate) async fn minutes_view(
    state: &AppState,
    s: &Session,
    case: &rules::Case,
) -> Result<Option<MinutesView>, PageError> {
    let Some(mut status) = crate::shared::minutes::status(state, case).await? else { return Ok(None) };
    let member = s.user.role == Role::Commission && status.members.iter().any(|m| m.id == s.user.id);
    if member && !status.decided && status.signed >= status.needed {
        crate::shared::minutes::settle(state, &s.user, case).await?;
        if let Some(c) = state.store.case(&case.number).await? {
            status = crate::shared::minutes::status(state, &c).await?.unwrap_or(status);
        }
    }
    let signed = status.members.iter().any(|m| m.id == s.user.id && m.signed);
    let eds = (member && !signed).then(|| {
        crate::shared::signing::EdsBox::new(
            status.content.as_bytes(),
            format!("/cases/{}/minutes/signature", case.number),
        )
    });
    Ok(Some(MinutesView { status, eds, demo: state.demo && state.office.is_some(), has_eds: s.user.iin.is_some() }))
}

/// The case's events as the page's history: when (on the akimat's clock), what, by which
/// role, under which paragraph.
pub(crate) async fn history_lines(
    state: &AppState,
    t: &Tr,
    case: &rules::Case,
) -> Result<Vec<HistoryLine>, StoreError> {
    let events = state.store.stream(&format!("case/{}", case.number)).await?;
    Ok(history_of(state, t, case, &events))
}

pub(crate) fn history_of(
    state: &AppState,
    t: &Tr,
    case: &rules::Case,
    events: &[store::StoredEvent],
) -> Vec<HistoryLine> {
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
pub(crate) struct EvidencePage {
    pub(crate) t: Tr,
    pub(crate) who: Who,
    pub(crate) path: String,
    pub(crate) complaint: String,
    pub(crate) filed: String,
    pub(crate) number: String,
    pub(crate) service: String,
    pub(crate) state: String,
    pub(crate) received_on: String,
    pub(crate) applicant: String,
    pub(crate) applicant_iin: String,
    pub(crate) akimat: String,
    pub(crate) profession: String,
    pub(crate) reasons: Option<String>,
    pub(crate) grounds: Vec<(String, String)>,
    pub(crate) documents: Vec<DocumentLine>,
    pub(crate) minutes: Option<String>,
    pub(crate) assessment: Vec<ScoreLine>,
    pub(crate) assessment_total: Option<String>,
    pub(crate) recommended: Option<(String, String)>,
    pub(crate) outcome: Option<String>,
    /// The replay of the case's steps under the law and calendar of their day (issue 36):
    /// what a reviewer weighs beside what was recorded.
    pub(crate) replay: Option<String>,
    pub(crate) history: Vec<HistoryLine>,
}

/// A complaint about a case, with the case as its events stood when the complaint was filed.
pub(crate) async fn complained_case(
    state: &AppState,
    s: &Session,
    number: &str,
) -> Result<(rules::complaint::Complaint, i64, rules::Case, Vec<store::StoredEvent>), PageError> {
    let number: rules::numbers::CaseNumber = number.parse().map_err(|_| PageError::not_found())?;
    let c = state
        .store
        .complaint(&number)
        .await?
        .filter(|c| crate::edge::access::complaint(&s.user, c))
        .ok_or_else(PageError::not_found)?;
    let case_number = c.filing.case.clone().ok_or_else(PageError::not_found)?;
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
        replay: replay_line(&state, &t, &case.number.to_string()).await?,
        history: history_of(&state, &t, &case, &events),
        who: Some(s).into(),
        t,
    };
    Ok(render(&page).into_response())
}

/// The replay's verdict on a case, in words: every step agrees with the rules and calendar
/// of its day, or the first that differs and how.
async fn replay_line(state: &AppState, t: &Tr, number: &str) -> Result<Option<String>, PageError> {
    let Some(r) = state.store.replay_case(number).await? else { return Ok(None) };
    Ok(Some(match r.steps.iter().find(|s| s.verdict == "differs") {
        None => t.ta("replay-agrees", &[("steps", r.steps.len().to_string())]),
        Some(s) => t.ta(
            "replay-differs",
            &[
                ("differs", r.differs.to_string()),
                ("what", t.t(&format!("event-{}", s.event))),
                ("field", s.differs.clone().unwrap_or_default()),
            ],
        ),
    }))
}

/// A document of the case file a complaint was filed on, to those who may see the complaint.
pub(crate) async fn evidence_document(
    State(state): State<AppState>,
    LoggedIn(s): LoggedIn,
    Path((number, sha)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let (_, _, case, _) = complained_case(&state, &s, &number).await?;
    let doc = case.application.documents.iter().find(|d| d.sha256 == sha).ok_or_else(PageError::not_found)?;
    document_response(&state, &doc.sha256).await
}

/// The application's documents, each by its kind's name.
pub(crate) fn document_lines(app: &rules::case::Application, t: &Tr) -> Vec<DocumentLine> {
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
pub(crate) fn profession_line(law: &rules::law::Law, app: &rules::case::Application, t: &Tr) -> String {
    app.profession
        .as_ref()
        .map(|p| law.profession_name(p, t.lang).map_or(p.clone(), |name| format!("{name} ({p})")))
        .unwrap_or_default()
}

/// The Commission's recommendation and its words (Rules §9), once decided.
pub(crate) fn recommended(case: &rules::Case, t: &Tr) -> Option<(String, String)> {
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
pub(crate) fn criterion_fields(criteria: &rules::assessment::CriteriaSet, t: &Tr) -> Vec<CriterionField> {
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
pub(crate) fn assessment_lines(case: &rules::Case, t: &Tr) -> (Vec<ScoreLine>, Option<String>) {
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
pub(crate) fn outcome_line(outcome: &Outcome, t: &Tr) -> String {
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
pub(crate) fn applicant_signatures(
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

/// A refused form of the case page, shown again as it was posted: the message, the field it
/// is about (the error summary links there) and every answer as typed, so that nobody types
/// a Commission's scoring twice.
#[derive(Default)]
pub(crate) struct Kept {
    /// The action whose form was posted; the other forms show empty.
    pub(crate) action: Option<&'static str>,
    pub(crate) fields: crate::edge::forms::DataFields,
    pub(crate) recommend: Option<&'static str>,
    /// Why the rules refused it, when they did.
    pub(crate) reason: Option<rules::refusal::Reason>,
    /// The id of the field to fix, as the page renders it.
    pub(crate) focus: Option<String>,
    /// What the page says went wrong.
    pub(crate) error: Option<String>,
    /// The other problems the rules found in the same form, each with its message.
    pub(crate) also: Vec<(rules::refusal::Reason, String)>,
    /// Those as (field id, message), for the error summary, once the page knows its fields.
    pub(crate) also_summary: Vec<(String, String)>,
}

impl Kept {
    pub(crate) fn of(form: &ActForm) -> Kept {
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

    /// Links the refusal's problems to the fields of the page that shows them.
    pub(crate) fn place_errors(&mut self, criteria: &[CriterionField], grounds: &[(String, String)]) {
        if let Some(reason) = &self.reason {
            self.focus = field_for(reason, self, criteria, grounds);
        }
        self.also_summary = self
            .also
            .iter()
            .map(|(reason, message)| (field_for(reason, self, criteria, grounds).unwrap_or_default(), message.clone()))
            .collect();
    }

    /// Every problem on the form: the one said first, then the others beside it.
    pub(crate) fn summary(&self, error: Option<&str>) -> Vec<(String, String)> {
        let mut all = crate::edge::view::summary_of(error, self.focus.as_deref());
        all.extend(self.also_summary.iter().cloned());
        all
    }

    /// With every problem of a refusal: its first as the reason, the others beside it.
    pub(crate) fn refused(self, r: &rules::Refusal, lang: rules::Lang) -> Kept {
        let also = r.also.iter().map(|a| (a.reason.clone(), a.sentence(lang))).collect();
        Kept { reason: Some(r.reason.clone()), also, ..self }
    }

    /// With the message that says what is wrong.
    pub(crate) fn said(self, message: String) -> Kept {
        Kept { error: Some(message), ..self }
    }

    pub(crate) fn because(self, reason: rules::refusal::Reason) -> Kept {
        Kept { reason: Some(reason), ..self }
    }

    pub(crate) fn at(self, field: &str) -> Kept {
        Kept { focus: Some(field.to_owned()), ..self }
    }

    pub(crate) fn mine(&self, action: &str) -> bool {
        self.action == Some(action)
    }

    /// What was typed into `name` on the form of `action`.
    pub(crate) fn value(&self, action: &str, name: impl AsRef<str>) -> &str {
        if !self.mine(action) {
            return "";
        }
        self.fields.get(name.as_ref()).unwrap_or("")
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
pub(crate) fn field_for(
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

/// A document of a case, to its applicant and the staff of its akimat only.
pub(crate) async fn document(
    State(state): State<AppState>,
    LoggedIn(s): LoggedIn,
    Path((number, sha)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let number: rules::numbers::CaseNumber = number.parse().map_err(|_| PageError::not_found())?;
    let case = match state.store.case(&number).await {
        Ok(Some(c)) if crate::edge::access::case(&s.user, &c) => c,
        Ok(_) => return Err(PageError::forbidden()),
        Err(e) => return Err(e.into()),
    };
    let Some(doc) = case.application.documents.iter().find(|d| d.sha256 == sha) else {
        return Err(PageError::forbidden());
    };
    Ok(document_response(&state, &doc.sha256).await.unwrap_or_else(IntoResponse::into_response))
}

/// A stored document named by a case, as a download.
pub(crate) async fn document_response(state: &AppState, sha256: &str) -> Result<Response, PageError> {
    match state.store.blobs().get(sha256).await {
        Ok(bytes) => {
            let media = store::blobs::sniff(&bytes).unwrap_or("application/octet-stream");
            Ok(([(header::CONTENT_TYPE, media), (header::CONTENT_DISPOSITION, "attachment")], bytes).into_response())
        }
        // The case names it, so the store has lost it: our fault, logged, never shown.
        Err(e) => Err(PageError::ours(StatusCode::INTERNAL_SERVER_ERROR, &e)),
    }
}
