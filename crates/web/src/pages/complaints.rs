//! Complaints (Rules §24, §25): the applicant files one, to the akimat or to the reviewing
//! body; the officer forwards it within 3 working days, satisfies it fully instead, or (when
//! addressed to the akimat) decides it; the reviewing body decides what was forwarded.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use rules::Role;
use rules::complaint::{
    ComplaintCommand, ComplaintCommandKind, Filing, ReviewingBody, Route, Target, Verdict, complaint_transition,
};
use rules::facts::Field;
use rules::numbers::CaseNumber;
use rules::refusal::Reason;
use serde::Deserialize;
use store::{Request, StoreError};

use crate::edge::AppState;
use crate::edge::auth::{Applicant, LoggedIn};
use crate::edge::error::PageError;
use crate::edge::forms::{Form, FormSpec, choice};
use crate::edge::i18n::Tr;
use crate::edge::session::Session;
use crate::edge::view::{Who, render};

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
    bodies: Vec<BodyOffer>,
    text: String,
    /// The choices as posted, or the first of each on a new form.
    target: &'static str,
    route: &'static str,
    error: Option<String>,
    /// The id of the field the error is about, for the error summary's link.
    focus: Option<String>,
}

/// A reviewing body of Rules §24 para 1, offered with what it is in plain words.
struct BodyOffer {
    value: &'static str,
    label: String,
    about: String,
    selected: bool,
    /// The one the form suggests when the person does not know which to choose.
    recommended: bool,
}

/// The form to file a complaint: empty, about `case` when the link came from a case, or as
/// posted with the error that stopped it.
async fn new_page(
    state: &AppState,
    t: Tr,
    s: Session,
    form: Option<&FilingForm>,
    case: Option<&rules::Case>,
    error: Option<(String, Option<String>)>,
) -> Result<Response, PageError> {
    let law = &state.store.reference().law;
    let chosen = form.map_or_else(|| case.map_or("", |c| c.application.akimat.as_str()), |f| f.akimat.trim());
    let akimats = law
        .akimats
        .iter()
        .map(|a| Choice {
            value: a.code.to_string(),
            label: a.names.get(t.lang).to_owned(),
            selected: a.code == chosen,
        })
        .collect();
    let about = case.map(|c| c.number.to_string()).unwrap_or_default();
    let chosen_case = form.map_or(about.as_str(), |f| f.case.trim());
    let cases = match &s.user.iin {
        Some(iin) => state.store.cases_of(iin).await?,
        None => Vec::new(),
    }
    .into_iter()
    .map(|c| Choice {
        label: format!("{} · {} · {}", c.number, c.application.service.kind().name(t.lang), c.status_name(t.lang)),
        selected: c.number.to_string() == chosen_case,
        value: c.number.to_string(),
    })
    .collect();
    let chosen_body = form.and_then(|f| f.body).map(ReviewingBody::from).unwrap_or_default();
    let bodies = ReviewingBody::ALL
        .into_iter()
        .map(|b| BodyOffer {
            value: b.as_str(),
            label: b.name(t.lang).into(),
            about: t.t(&format!("complaint-body-about-{}", b.as_str())),
            selected: b == chosen_body,
            recommended: b == ReviewingBody::default(),
        })
        .collect();
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let (error, focus) = error.map_or((None, None), |(e, f)| (Some(e), f));
    let page = NewPage {
        akimats,
        cases,
        bodies,
        text: form.map(|f| f.text.clone()).unwrap_or_default(),
        target: form.map_or("decision", |f| f.target.as_str()),
        route: form.map_or("to-akimat", |f| f.route.as_str()),
        error,
        focus,
        who: Some(s).into(),
        path: "/complaints/new",
        t,
    };
    Ok((status, render(&page)).into_response())
}

/// `?case=` when the applicant came from a case's page.
#[derive(Deserialize)]
pub(crate) struct About {
    case: Option<String>,
}

pub(crate) async fn new(
    State(state): State<AppState>,
    t: Tr,
    Applicant(s): Applicant,
    Query(about): Query<About>,
) -> Result<Response, PageError> {
    let case = match own_case(&state, &s, about.case.as_deref().unwrap_or("")).await {
        Ok(c) => c,
        Err(e) => return Err(e),
    };
    new_page(&state, t, s, None, case.as_ref(), None).await
}

/// The applicant's own case of that number, if it is theirs; nobody learns of others' cases.
async fn own_case(state: &AppState, s: &Session, number: &str) -> Result<Option<rules::Case>, PageError> {
    // A number that is not one (or none) names no case of theirs.
    let Ok(number) = number.parse::<rules::numbers::CaseNumber>() else { return Ok(None) };
    Ok(state.store.case(&number).await?.filter(|c| crate::edge::access::case(&s.user, c)))
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
    Applicant(s): Applicant,
    Form(form): Form<FilingForm>,
) -> Result<Response, PageError> {
    // Only a person whose IIN their EDS proved complains in their own name.
    let Some(iin) = s.user.iin.clone() else { return Err(PageError::forbidden()) };
    // A complaint about a case is about its akimat: the person need not name it twice.
    let case = own_case(&state, &s, &form.case).await?;
    let akimat = match (form.akimat.trim(), &case) {
        ("", Some(c)) => c.application.akimat.to_string(),
        (a, _) => a.to_owned(),
    };
    let filing = Filing {
        akimat: akimat.as_str().into(),
        complainant: iin,
        case: CaseNumber::parse(form.case.trim()).ok(),
        target: form.target.into(),
        route: form.route.into(),
        body: form.body.map(ReviewingBody::from).unwrap_or_default(),
        text: form.text.trim().to_owned(),
    };
    match state.store.execute(s.user.actor(), jiff::Timestamp::now(), Request::FileComplaint { filing }, None).await {
        Ok(applied) => Ok(Redirect::to(&format!("/complaints/{}?new=1", applied.number)).into_response()),
        Err(StoreError::Refused(r)) => {
            // A field's problem is said with the field as this form labels it.
            let said = match &r.reason {
                Reason::Field { field: Field::Akimat, .. } => (t.t("complaint-akimat-missing"), Some("akimat".into())),
                Reason::Field { field: Field::ComplaintText, .. } => {
                    (t.t("complaint-text-missing"), Some("text".into()))
                }
                Reason::CaseNotTheComplainants { .. } => (r.sentence(t.lang), Some("case".into())),
                _ => (r.sentence(t.lang), None),
            };
            new_page(&state, t, s, Some(&form), case.as_ref(), Some(said)).await
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
    /// For staff: the complainant's other complaints, as (number, state and akimat).
    past: Option<Vec<(String, String)>>,
    kept: ComplaintKept,
    /// Right after filing, for the complainant: the number to keep and the day it counts from.
    receipt: Option<String>,
    /// What the act just done did, in words.
    done: Option<String>,
    /// Once the complaint is answered: what happens next, for the person who filed it.
    next: Option<String>,
}

fn verdict_name(t: &Tr, v: Verdict) -> String {
    t.t(match v {
        Verdict::Upheld => "verdict-upheld",
        Verdict::PartlyUpheld => "verdict-partly-upheld",
        Verdict::Rejected => "verdict-rejected",
    })
}

async fn show(
    state: &AppState,
    t: Tr,
    s: Session,
    number: &str,
    error: Option<String>,
    kept: ComplaintKept,
) -> Response {
    let Ok(number) = number.parse::<rules::numbers::CaseNumber>() else {
        return PageError::not_found().into_response();
    };
    let c = match state.store.complaint(&number).await {
        Ok(Some(c)) if crate::edge::access::complaint(&s.user, &c) => c,
        Ok(_) => return PageError::not_found().into_response(),
        Err(e) => return crate::edge::error::PageError::from(e).into_response(),
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
    let past = if matches!(s.user.role, Role::Reviewer | Role::Officer | Role::Administrator) {
        let others = match state.store.complaints_of(&c.filing.complainant).await {
            Ok(all) => all,
            Err(e) => return PageError::from(e).into_response(),
        };
        Some(
            others
                .into_iter()
                .filter(|o| o.number != c.number && crate::edge::access::complaint(&s.user, o))
                .map(|o| {
                    let line = format!("{} · {}", o.state.name(t.lang), law.akimat_name(&o.filing.akimat, t.lang));
                    (o.number.to_string(), line)
                })
                .collect(),
        )
    } else {
        None
    };
    let receipt = (kept.receipt && s.user.iin.as_ref() == Some(&c.filing.complainant))
        .then(|| t.ta("complaint-receipt", &[("number", c.number.to_string()), ("date", c.received_on.to_string())]));
    let next = match (c.state, c.verdict) {
        (rules::complaint::ComplaintState::Satisfied, _) => Some("complaint-next-satisfied"),
        (_, Some(Verdict::Upheld)) => Some("complaint-next-upheld"),
        (_, Some(Verdict::PartlyUpheld)) => Some("complaint-next-partly-upheld"),
        (_, Some(Verdict::Rejected)) => Some("complaint-next-rejected"),
        _ => None,
    }
    .map(|k| t.t(k));
    let page = ComplaintPage {
        next,
        done: kept.done.map(|act| t.t(&format!("complaint-done-{act}"))),
        receipt,
        past,
        kept,
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
    Query(q): Query<Receipt>,
) -> Result<Response, PageError> {
    let done = match q.done.as_deref() {
        Some("forward") => Some("forward"),
        Some("satisfy") => Some("satisfy"),
        Some("decide") => Some("decide"),
        _ => None,
    };
    let kept = ComplaintKept { receipt: q.new.is_some(), done, ..ComplaintKept::default() };
    Ok(show(&state, t, s, &number, None, kept).await)
}

/// `?new=1`: the page was reached right after filing, and opens with the receipt.
#[derive(Deserialize)]
pub(crate) struct Receipt {
    new: Option<String>,
    /// The act just done (`forward`, `satisfy`, `decide`), said in words (issue 31).
    done: Option<String>,
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
        verdict: Option<VerdictChoice>,
        #[serde(default)]
        text: String,
    },
}

/// A refused complaint form, shown again as posted: which form, the verdict chosen, the words
/// typed, and the field to fix.
#[derive(Default)]
pub(crate) struct ComplaintKept {
    kind: &'static str,
    verdict: Option<&'static str>,
    text: String,
    focus: Option<String>,
    /// Opened right after filing (`?new=1`).
    receipt: bool,
    /// Opened right after an act on it.
    done: Option<&'static str>,
}

impl ComplaintKept {
    fn of(form: &ComplaintForm) -> ComplaintKept {
        match form {
            ComplaintForm::Forward { .. } => ComplaintKept { kind: "forward", ..Default::default() },
            ComplaintForm::Satisfy { text, .. } => {
                ComplaintKept { kind: "satisfy", text: text.clone(), ..Default::default() }
            }
            ComplaintForm::Decide { verdict, text, .. } => ComplaintKept {
                kind: "decide",
                verdict: verdict.map(VerdictChoice::as_str),
                text: text.clone(),
                ..Default::default()
            },
        }
    }

    /// What was typed on the form of `kind`.
    pub(crate) fn text_of(&self, kind: &str) -> &str {
        if self.kind == kind { &self.text } else { "" }
    }
}

impl FormSpec for ComplaintForm {
    const MULTILINE: &'static [&'static str] = &["text"];
}

pub(crate) async fn act(
    State(state): State<AppState>,
    t: Tr,
    crate::edge::auth::Staff(s): crate::edge::auth::Staff,
    Path(number): Path<String>,
    Form(form): Form<ComplaintForm>,
) -> Result<Response, PageError> {
    let parsed: rules::numbers::CaseNumber = number.parse().map_err(|_| PageError::forbidden())?;
    match state.store.complaint(&parsed).await? {
        Some(c) if crate::edge::access::complaint(&s.user, &c) => {}
        _ => return Err(PageError::forbidden()),
    }
    let Ok(parsed) = CaseNumber::parse(&number) else { return Err(PageError::not_found()) };
    let kept = ComplaintKept::of(&form);
    let (version, command) = match form {
        ComplaintForm::Forward { version } => (version, ComplaintCommand::Forward),
        ComplaintForm::Satisfy { version, text } => {
            (version, ComplaintCommand::Satisfy { action: text.trim().to_owned() })
        }
        ComplaintForm::Decide { version, verdict: Some(verdict), text } => {
            (version, ComplaintCommand::Decide { verdict: verdict.into(), reasoning: text.trim().to_owned() })
        }
        ComplaintForm::Decide { verdict: None, .. } => {
            let kept = ComplaintKept { focus: Some("v-upheld".into()), ..kept };
            let message = t.t("complaint-verdict-required");
            return Ok(show(&state, t, s, &number, Some(message), kept).await);
        }
    };
    let request = Request::Complaint { number: parsed, expected_version: version.trim().parse().ok(), command };
    match state.store.execute(s.user.actor(), jiff::Timestamp::now(), request, None).await {
        Ok(_) => Ok(Redirect::to(&format!("/complaints/{number}?done={}", kept.kind)).into_response()),
        Err(StoreError::Refused(r)) => {
            let message = r.sentence(t.lang);
            let focus =
                matches!(r.reason, Reason::NoReasoning | Reason::Field { .. }).then(|| format!("text-{}", kept.kind));
            Ok(show(&state, t, s, &number, Some(message), ComplaintKept { focus, ..kept }).await)
        }
        Err(StoreError::Conflict { .. }) => {
            let message = t.t("case-conflict");
            let mut r = show(&state, t, s, &number, Some(message), kept).await;
            *r.status_mut() = StatusCode::CONFLICT;
            Ok(r)
        }
        Err(e) => Err(e.into()),
    }
}
