//! Server-rendered pages for anyone, without login: the self-assessment calculator, the
//! status of an application (what the 1411 operator looks up), certificate verification.
//! Forms work without JavaScript and keep what was typed.

use askama::Template;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rules::assessment::{Answer, Answers, Scale, assess};
use rules::numbers::{CaseNumber, CertificateNumber};
use serde::Deserialize;

use crate::edge::AppState;
use crate::edge::auth::MaybeSession;
use crate::edge::error::PageError;
use crate::edge::forms::DataFields;
use crate::edge::i18n::Tr;
use crate::edge::view::{Who, number_error, render};
use crate::shared::documents::SignatureCheck;
use crate::shared::lookup;

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    t: Tr,
    who: Who,
    path: &'static str,
}

pub(crate) async fn home(t: Tr, MaybeSession(s): MaybeSession) -> Result<Response, PageError> {
    Ok(render(&Home { t, who: s.into(), path: "/" }))
}

struct OptionView {
    id: String,
    label: String,
    checked: bool,
}

struct CriterionView {
    id: String,
    question: String,
    citation: String,
    kind: &'static str,
    options: Vec<OptionView>,
    value: String,
    error: Option<String>,
}

struct LineView {
    question: String,
    answer: String,
    points: u32,
    max: u32,
    citation: String,
}

struct ResultView {
    total_line: String,
    verdict: String,
    passed: bool,
    incomplete: bool,
    lines: Vec<LineView>,
    raises: Vec<String>,
}

#[derive(Template)]
#[template(path = "calculator.html")]
struct Calculator {
    t: Tr,
    who: Who,
    path: &'static str,
    lead: String,
    in_force: String,
    sample: bool,
    criteria: Vec<CriterionView>,
    result: Option<ResultView>,
    /// The refused answers, as (field id, question: what is wrong), for the summary.
    summary: Vec<(String, String)>,
}

pub(crate) async fn calculator(
    State(state): State<AppState>,
    t: Tr,
    MaybeSession(s): MaybeSession,
) -> Result<Response, PageError> {
    Ok(calculator_page(&state, t, s.into(), None))
}

pub(crate) async fn calculator_post(
    State(state): State<AppState>,
    t: Tr,
    MaybeSession(s): MaybeSession,
    Form(form): Form<DataFields>,
) -> Result<Response, PageError> {
    Ok(calculator_page(&state, t, s.into(), Some(form)))
}

fn answer_label(t: &Tr, scale: &Scale, answer: Option<&Answer>) -> String {
    match (scale, answer) {
        (_, None) => t.t("calc-no-answer"),
        (Scale::Choice { options }, Some(Answer::Choice(id))) => {
            options.iter().find(|o| &o.id == id).map_or(id.clone(), |o| o.label.get(t.lang).to_owned())
        }
        (_, Some(Answer::YesNo(true))) => t.t("calc-yes"),
        (_, Some(Answer::YesNo(false))) => t.t("calc-no"),
        (_, Some(Answer::Years(y))) => format!("{y}"),
        (_, Some(Answer::Choice(c))) => c.clone(),
    }
}

fn calculator_page(state: &AppState, t: Tr, who: Who, form: Option<DataFields>) -> Response {
    let today = state.today();
    let law = &state.store.reference().law;
    let in_force = match law.in_force_on(today) {
        Ok(f) => f,
        Err(r) => return (StatusCode::SERVICE_UNAVAILABLE, r.message(t.lang)).into_response(),
    };
    let pass = &in_force.rules.terms.pass_mark_points;
    let form = form.unwrap_or_default();
    let mut answers = Answers::new();
    let mut criteria = Vec::new();
    let mut has_error = false;
    for c in &in_force.criteria.criteria {
        let typed = form.get(&c.id).map(|v| v.trim().to_owned()).unwrap_or_default();
        let view = criterion_view(c, typed, &t, &mut answers);
        has_error |= view.error.is_some();
        criteria.push(view);
    }
    let result = if form.is_empty() || has_error {
        None
    } else {
        match assess(&answers, in_force.criteria, pass) {
            Ok(a) => Some(result_view(&a, in_force.criteria, pass, &t)),
            Err(_) => None,
        }
    };
    let summary = criteria
        .iter()
        .filter_map(|c| {
            let e = c.error.as_ref()?;
            let id = match c.options.first() {
                Some(o) => format!("{}-{}", c.id, o.id),
                None => c.id.clone(),
            };
            Some((id, format!("{}: {e}", c.question)))
        })
        .collect();
    let page = Calculator {
        lead: t.tn("calc-lead", &[("points", pass.value)]),
        // Said in words and the reader's date format; the sets' ids are for the API and the
        // command line, not for people (issue 31).
        in_force: t.ta("calc-in-force", &[("date", rules::text::date_for(t.lang, today))]),
        sample: in_force.criteria.sample,
        criteria,
        result,
        t,
        who,
        path: "/calculator",
        summary,
    };
    let status = if has_error { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    (status, render(&page)).into_response()
}

struct StatusView {
    title: String,
    service: String,
    state: String,
    received_on: String,
    due: Option<String>,
    overdue: bool,
    finished: bool,
    reasons: Option<String>,
    /// Refusal grounds as (name, paragraph) in the reader's language.
    grounds: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "status.html")]
struct StatusPage {
    t: Tr,
    who: Who,
    path: &'static str,
    case: String,
    document: String,
    error: Option<String>,
    result: Option<StatusView>,
}

#[derive(Deserialize)]
pub(crate) struct StatusForm {
    #[serde(default)]
    case: String,
    #[serde(default)]
    document: String,
}

pub(crate) async fn status(t: Tr, MaybeSession(s): MaybeSession) -> Result<Response, PageError> {
    Ok(render(&StatusPage {
        t,
        who: s.into(),
        path: "/status",
        case: String::new(),
        document: String::new(),
        error: None,
        result: None,
    }))
}

pub(crate) async fn status_post(
    State(state): State<AppState>,
    t: Tr,
    MaybeSession(s): MaybeSession,
    Form(form): Form<StatusForm>,
) -> Result<Response, PageError> {
    let mut page = StatusPage {
        case: form.case.clone(),
        document: form.document.clone(),
        error: None,
        result: None,
        path: "/status",
        t,
        who: s.into(),
    };
    let number = match CaseNumber::parse(&form.case) {
        Ok(n) => n,
        Err(e) => {
            page.error = Some(number_error(&page.t, &e, "Z-AST-2026-000123-P"));
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response());
        }
    };
    Ok(match lookup::case_status(&state, &number, &form.document, page.t.lang).await {
        Ok(Some(s)) => {
            let t = &page.t;
            page.result = Some(StatusView {
                title: t.ta("status-result", &[("number", s.number.clone())]),
                service: s.service.name(t.lang).to_owned(),
                state: s.status.to_owned(),
                received_on: rules::text::date_for(t.lang, s.received_on),
                due: s.due.as_ref().map(|d| {
                    t.ta("status-due", &[("date", d.on.to_string()), ("citation", d.citation.localized(t.lang))])
                }),
                overdue: s.overdue,
                finished: s.state.is_terminal(),
                reasons: s.reasons,
                grounds: s.grounds,
            });
            render(&page)
        }
        Ok(None) => {
            page.error = Some(page.t.t("status-not-found"));
            (StatusCode::NOT_FOUND, render(&page)).into_response()
        }
        Err(e) => crate::edge::error::PageError::from(e).into_response(),
    })
}

pub(crate) struct VerifyView {
    valid: bool,
    /// The headline: "genuine" only while the certificate is in force; otherwise what ended
    /// it ("revoked on …"), since a genuine paper that no longer permits work must never read
    /// as good news.
    genuine: String,
    /// Who issued it, said apart when the headline is the certificate's end.
    issued_by: Option<String>,
    status: String,
    holder: String,
    profession: String,
    issued_on: String,
    validity: String,
    duplicate: Option<String>,
    /// The Commission's minutes it rests on, with the signed record's fingerprint.
    minutes: Option<String>,
}

impl VerifyView {
    /// A certificate as the verification page shows it; a QR code that does not match turns it
    /// red whatever the status.
    pub(crate) fn of(t: &Tr, v: lookup::CertificateView, link: Option<bool>) -> VerifyView {
        let date = |d: jiff::civil::Date| rules::text::date_for(t.lang, d);
        let in_force = v.status.is_valid();
        let status = v.status.describe(t.lang);
        VerifyView {
            valid: in_force && link != Some(false),
            genuine: if in_force {
                t.ta("verify-genuine", &[("akimat", v.issuer.clone())])
            } else {
                t.ta("verify-not-in-force", &[("status", status.clone())])
            },
            issued_by: (!in_force).then(|| t.ta("verify-issued-by", &[("akimat", v.issuer.clone())])),
            status,
            holder: v.holder_masked,
            profession: format!("{} ({})", v.profession_name, v.profession),
            issued_on: date(v.issued_on),
            validity: t.ta("verify-valid", &[("from", date(v.valid_from)), ("to", date(v.valid_to))]),
            duplicate: (!v.duplicates.is_empty()).then(|| {
                let days: Vec<String> = v.duplicates.iter().map(|d| date(*d)).collect();
                let basis = rules::Citation::new("Rules §22-1").localized(t.lang);
                t.ta("verify-duplicate", &[("dates", days.join(", ")), ("basis", basis)])
            }),
            minutes: v.minutes.map(|m| match m.sha256 {
                Some(sha) => t.ta(
                    "verify-minutes-signed",
                    &[("number", m.number), ("sha", sha), ("signed", m.signed_by.to_string())],
                ),
                None => t.ta("verify-minutes", &[("number", m.number)]),
            }),
        }
    }
}

#[derive(Template)]
#[template(path = "verify.html")]
pub(crate) struct VerifyPage {
    pub(crate) t: Tr,
    pub(crate) who: Who,
    pub(crate) path: &'static str,
    pub(crate) number: String,
    pub(crate) error: Option<String>,
    pub(crate) result: Option<VerifyView>,
    /// The QR link's code: matches (`Some(true)`), does not (`Some(false)`), none given.
    pub(crate) link: Option<bool>,
    pub(crate) signature: Option<SignatureCheck>,
    /// Documents can be checked here (a signing office is configured).
    pub(crate) can_check: bool,
}

impl VerifyPage {
    /// The empty page.
    pub(crate) fn new(state: &AppState, t: Tr, who: Who) -> VerifyPage {
        VerifyPage {
            t,
            who,
            path: "/verify",
            number: String::new(),
            error: None,
            result: None,
            link: None,
            signature: None,
            can_check: state.office.is_some(),
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct VerifyQuery {
    number: Option<String>,
    /// The code from a certificate's QR link.
    t: Option<String>,
}

pub(crate) async fn verify(
    State(state): State<AppState>,
    t: Tr,
    MaybeSession(s): MaybeSession,
    Query(q): Query<VerifyQuery>,
) -> Result<Response, PageError> {
    let typed = q.number.unwrap_or_default();
    let mut page = VerifyPage::new(&state, t, s.into());
    page.number.clone_from(&typed);
    if typed.trim().is_empty() {
        return Ok(render(&page));
    }
    let number = match CertificateNumber::parse(&typed) {
        Ok(n) => n,
        Err(e) => {
            page.error = Some(number_error(&page.t, &e, "AST-2026-00042-K"));
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response());
        }
    };
    page.link = match (&state.office, q.t.as_deref().map(str::trim)) {
        (Some(office), Some(code)) if !code.is_empty() => Some(office.token_matches(&number.to_string(), code)),
        _ => None,
    };
    Ok(match lookup::certificate(&state, &number, page.t.lang).await {
        Ok(Some(v)) => {
            page.result = Some(VerifyView::of(&page.t, v, page.link));
            render(&page)
        }
        Ok(None) => {
            page.error = Some(page.t.t("verify-not-genuine"));
            (StatusCode::NOT_FOUND, render(&page)).into_response()
        }
        Err(e) => crate::edge::error::PageError::from(e).into_response(),
    })
}

/// One criterion of the calculator as its form shows it, with the answer typed kept; a valid
/// answer goes into `answers`, an invalid one is said beside the field.
fn criterion_view(c: &rules::assessment::Criterion, typed: String, t: &Tr, answers: &mut Answers) -> CriterionView {
    let mut view = CriterionView {
        id: c.id.clone(),
        question: c.question.get(t.lang).to_owned(),
        citation: c.citation.localized(t.lang),
        kind: "choice",
        options: Vec::new(),
        value: typed.clone(),
        error: None,
    };
    match &c.scale {
        Scale::Choice { options } => {
            for o in options {
                view.options.push(OptionView {
                    id: o.id.clone(),
                    label: o.label.get(t.lang).to_owned(),
                    checked: typed == o.id,
                });
            }
            if options.iter().any(|o| o.id == typed) {
                answers.insert(c.id.clone(), Answer::Choice(typed.clone()));
            } else if !typed.is_empty() {
                view.error = Some(t.t("calc-error-choice"));
            }
        }
        Scale::YesNo { .. } => {
            view.options.push(OptionView { id: "yes".into(), label: t.t("calc-yes"), checked: typed == "yes" });
            view.options.push(OptionView { id: "no".into(), label: t.t("calc-no"), checked: typed == "no" });
            if typed == "yes" || typed == "no" {
                answers.insert(c.id.clone(), Answer::YesNo(typed == "yes"));
            } else if !typed.is_empty() {
                view.error = Some(t.t("calc-error-choice"));
            }
        }
        Scale::Years { .. } => {
            view.kind = "years";
            if !typed.is_empty() {
                match typed.parse::<u32>() {
                    Ok(y) if y <= 80 => {
                        answers.insert(c.id.clone(), Answer::Years(y));
                    }
                    _ => view.error = Some(t.t("calc-error-years")),
                }
            }
        }
    }
    view
}

/// The calculator's answer: the breakdown line by line, what would raise the total, and the
/// verdict against the pass mark with its paragraph.
fn result_view(
    a: &rules::assessment::Assessment,
    criteria: &rules::assessment::CriteriaSet,
    pass: &rules::params::Term,
    t: &Tr,
) -> ResultView {
    let lines = a
        .lines
        .iter()
        .zip(&criteria.criteria)
        .map(|(l, c)| LineView {
            question: l.question.get(t.lang).to_owned(),
            answer: answer_label(t, &c.scale, l.answer.as_ref()),
            points: l.points,
            max: l.max_points,
            citation: l.citation.localized(t.lang),
        })
        .collect();
    let raises = a
        .lines
        .iter()
        .zip(&criteria.criteria)
        .filter_map(|(l, c)| {
            let (answer, gain) = l.would_raise.as_ref()?;
            Some(t.ta(
                "calc-raise-line",
                &[
                    ("criterion", l.question.get(t.lang).to_owned()),
                    ("answer", answer_label(t, &c.scale, Some(answer))),
                    ("gain", gain.to_string()),
                ],
            ))
        })
        .collect();
    let args = [("points", pass.value.to_string()), ("citation", pass.citation.localized(t.lang))];
    ResultView {
        total_line: t.ta("calc-total", &[("total", a.total.to_string()), ("max", a.max_total.to_string())]),
        verdict: if a.passed() { t.ta("calc-passed", &args) } else { t.ta("calc-failed", &args) },
        passed: a.passed(),
        incomplete: !a.complete,
        lines,
        raises,
    }
}
