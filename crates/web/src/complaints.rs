//! Complaints (Rules §24, §25): the applicant files one, to the akimat or to the reviewing
//! body; the officer forwards it within 3 working days, satisfies it fully instead, or (when
//! addressed to the akimat) decides it; the reviewing body decides what was forwarded.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use rules::Role;
use rules::complaint::{
    ComplaintCommand, ComplaintCommandKind, Filing, ReviewingBody, Route, Target, Verdict, complaint_transition,
};
use rules::numbers::CaseNumber;
use serde::Deserialize;
use store::{Request, StoreError};

use crate::AppState;
use crate::auth::{LoggedIn, Session};
use crate::error::PageError;
use crate::forms::{Form, FormSpec, choice};
use crate::i18n::Tr;
use crate::pages::{Who, render};

struct Choice {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "complaint_new.html")]
struct NewPage {
    t: Tr,
    who: Who,
    path: &'static str,
    akimats: Vec<Choice>,
    cases: Vec<Choice>,
    bodies: Vec<Choice>,
    text: String,
    error: Option<String>,
}

async fn new_page(state: &AppState, t: Tr, s: Session, form: Option<&FilingForm>, error: Option<String>) -> Response {
    let law = &state.store.reference().law;
    let chosen = form.map_or("", |f| f.akimat.trim());
    let akimats = law
        .akimats
        .iter()
        .map(|a| Choice {
            value: a.code.to_string(),
            label: a.names.get(t.lang).to_owned(),
            selected: a.code == chosen,
        })
        .collect();
    let chosen_case = form.map_or("", |f| f.case.trim());
    let cases = match &s.user.iin {
        Some(iin) => state.store.cases_of(iin).await.unwrap_or_default(),
        None => Vec::new(),
    }
    .into_iter()
    .map(|c| Choice {
        label: format!("{} · {} · {}", c.number, c.application.service.kind().name(t.lang), c.state.name(t.lang)),
        selected: c.number.to_string() == chosen_case,
        value: c.number.to_string(),
    })
    .collect();
    let chosen_body = form.and_then(|f| f.body).map(ReviewingBody::from).unwrap_or_default();
    let bodies = ReviewingBody::ALL
        .into_iter()
        .map(|b| Choice { value: b.as_str().into(), label: b.name(t.lang).into(), selected: b == chosen_body })
        .collect();
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = NewPage {
        akimats,
        cases,
        bodies,
        text: form.map(|f| f.text.clone()).unwrap_or_default(),
        error,
        who: Some(s).into(),
        path: "/complaints/new",
        t,
    };
    (status, render(&page)).into_response()
}

pub(crate) async fn new(State(state): State<AppState>, t: Tr, LoggedIn(s): LoggedIn) -> Response {
    if s.user.role != Role::Applicant {
        return crate::error::PageError::forbidden().into_response();
    }
    new_page(&state, t, s, None, None).await
}

choice!(
    /// What is complained about.
    TargetChoice => Target { Decision = "decision", Action = "action", Inaction = "inaction" }
);
choice!(
    /// Where the complaint goes.
    RouteChoice => Route { ToAkimat = "to-akimat", ToReviewingBody = "to-reviewing-body" }
);
choice!(
    /// The reviewing body chosen (Rules §24 para 1).
    BodyChoice => ReviewingBody { QualityAuthority = "quality-authority", HigherBody = "higher-body", Official = "official" }
);
choice!(
    /// The outcome of a review.
    VerdictChoice => Verdict { Upheld = "upheld", PartlyUpheld = "partly-upheld", Rejected = "rejected" }
);

/// A complaint as the form posts it (Rules §26-§28).
#[derive(Deserialize)]
pub(crate) struct FilingForm {
    #[serde(default)]
    akimat: String,
    #[serde(default)]
    case: String,
    target: TargetChoice,
    route: RouteChoice,
    body: Option<BodyChoice>,
    #[serde(default)]
    text: String,
}

impl FormSpec for FilingForm {
    const MULTILINE: &'static [&'static str] = &["text"];
}

pub(crate) async fn file(
    State(state): State<AppState>,
    t: Tr,
    LoggedIn(s): LoggedIn,
    Form(form): Form<FilingForm>,
) -> Result<Response, PageError> {
    let (Some(iin), true) = (s.user.iin.clone(), s.user.role == Role::Applicant) else {
        return Err(PageError::forbidden());
    };
    let filing = Filing {
        akimat: form.akimat.trim().into(),
        complainant: iin,
        case: CaseNumber::parse(form.case.trim()).ok(),
        target: form.target.into(),
        route: form.route.into(),
        body: form.body.map(ReviewingBody::from).unwrap_or_default(),
        text: form.text.trim().to_owned(),
    };
    match state.store.execute(s.user.actor(), jiff::Timestamp::now(), Request::FileComplaint { filing }, None).await {
        Ok(applied) => Ok(Redirect::to(&format!("/complaints/{}", applied.number)).into_response()),
        Err(StoreError::Refused(r)) => {
            let message = r.message(t.lang);
            Ok(new_page(&state, t, s, Some(&form), Some(message)).await)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "complaint.html")]
struct ComplaintPage {
    t: Tr,
    who: Who,
    path: String,
    number: String,
    state: String,
    route: String,
    akimat: String,
    case: Option<String>,
    text: String,
    due: Option<String>,
    overdue: bool,
    answer: Option<String>,
    verdict: Option<String>,
    actions: Vec<(&'static str, String)>,
    version: u64,
    error: Option<String>,
}

fn verdict_name(t: &Tr, v: Verdict) -> String {
    t.t(match v {
        Verdict::Upheld => "verdict-upheld",
        Verdict::PartlyUpheld => "verdict-partly-upheld",
        Verdict::Rejected => "verdict-rejected",
    })
}

async fn show(state: &AppState, t: Tr, s: Session, number: &str, error: Option<String>) -> Response {
    let c = match state.store.complaint(number).await {
        Ok(Some(c)) if crate::access::complaint(&s.user, &c) => c,
        Ok(_) => return (StatusCode::NOT_FOUND, t.t("status-not-found")).into_response(),
        Err(e) => return crate::error::PageError::from(e).into_response(),
    };
    let today = state.store.today(&c.filing.akimat, jiff::Timestamp::now()).unwrap_or_else(|_| state.today());
    let role_may = |k: ComplaintCommandKind| -> bool {
        match (c.state, k, s.user.role) {
            (rules::complaint::ComplaintState::UnderReview, ComplaintCommandKind::Decide, Role::Reviewer) => true,
            (rules::complaint::ComplaintState::UnderReview, _, _) => false,
            (_, _, Role::Officer) => s.user.akimat.as_deref() == Some(c.filing.akimat.as_str()),
            _ => false,
        }
    };
    let actions = ComplaintCommandKind::ALL
        .iter()
        .filter(|k| complaint_transition(c.filing.route, c.state, **k).is_ok() && role_may(**k))
        .map(|k| match k {
            ComplaintCommandKind::Forward => ("forward", t.t("complaint-action-forward")),
            ComplaintCommandKind::Satisfy => ("satisfy", t.t("complaint-action-satisfy")),
            ComplaintCommandKind::Decide => ("decide", t.t("complaint-action-decide")),
        })
        .collect();
    let law = &state.store.reference().law;
    let page = ComplaintPage {
        path: format!("/complaints/{}", c.number),
        number: c.number.to_string(),
        state: c.state.name(t.lang).to_owned(),
        route: match c.filing.route {
            Route::ToAkimat => t.t("complaint-to-akimat"),
            Route::ToReviewingBody => format!("{}: {}", t.t("complaint-to-reviewer"), c.filing.body.name(t.lang)),
        },
        akimat: law.akimat_name(&c.filing.akimat, t.lang),
        case: c.filing.case.as_ref().map(ToString::to_string),
        text: c.filing.text.clone(),
        due: c
            .due
            .as_ref()
            .map(|d| t.ta("status-due", &[("date", d.on.to_string()), ("citation", d.citation.localized(t.lang))])),
        overdue: c.due.as_ref().is_some_and(|d| d.overdue_on(today)),
        answer: c.answer.clone(),
        verdict: c.verdict.map(|v| verdict_name(&t, v)),
        actions,
        version: c.version,
        error,
        who: Some(s).into(),
        t,
    };
    let status = if page.error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    (status, render(&page)).into_response()
}

pub(crate) async fn page(
    State(state): State<AppState>,
    t: Tr,
    LoggedIn(s): LoggedIn,
    Path(number): Path<String>,
) -> Response {
    show(&state, t, s, &number, None).await
}

/// What the akimat or the reviewing body does with a complaint.
#[derive(Deserialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub(crate) enum ComplaintForm {
    /// Sent on to the reviewing body (Rules §28).
    Forward {
        #[serde(default)]
        version: String,
    },
    /// Satisfied by the akimat itself (Rules §27).
    Satisfy {
        #[serde(default)]
        version: String,
        #[serde(default)]
        text: String,
    },
    /// Decided, with a verdict that must be chosen.
    Decide {
        #[serde(default)]
        version: String,
        verdict: VerdictChoice,
        #[serde(default)]
        text: String,
    },
}

impl FormSpec for ComplaintForm {
    const MULTILINE: &'static [&'static str] = &["text"];
}

pub(crate) async fn act(
    State(state): State<AppState>,
    t: Tr,
    LoggedIn(s): LoggedIn,
    Path(number): Path<String>,
    Form(form): Form<ComplaintForm>,
) -> Result<Response, PageError> {
    match state.store.complaint(&number).await? {
        Some(c) if crate::access::complaint(&s.user, &c) && s.user.role != Role::Applicant => {}
        _ => return Err(PageError::forbidden()),
    }
    let Ok(parsed) = CaseNumber::parse(&number) else { return Err(PageError::not_found()) };
    let (version, command) = match form {
        ComplaintForm::Forward { version } => (version, ComplaintCommand::Forward),
        ComplaintForm::Satisfy { version, text } => {
            (version, ComplaintCommand::Satisfy { action: text.trim().to_owned() })
        }
        ComplaintForm::Decide { version, verdict, text } => {
            (version, ComplaintCommand::Decide { verdict: verdict.into(), reasoning: text.trim().to_owned() })
        }
    };
    let request = Request::Complaint { number: parsed, expected_version: version.trim().parse().ok(), command };
    match state.store.execute(s.user.actor(), jiff::Timestamp::now(), request, None).await {
        Ok(_) => Ok(Redirect::to(&format!("/complaints/{number}")).into_response()),
        Err(StoreError::Refused(r)) => {
            let message = r.message(t.lang);
            Ok(show(&state, t, s, &number, Some(message)).await)
        }
        Err(StoreError::Conflict { .. }) => {
            let message = t.t("case-conflict");
            Ok(show(&state, t, s, &number, Some(message)).await)
        }
        Err(e) => Err(e.into()),
    }
}
