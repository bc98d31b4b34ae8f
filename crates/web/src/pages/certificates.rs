//! The certificate page for its holder and the akimat's staff: full details, status, history;
//! the holder's notices (Rules §18, §20) and the officer's revocation under a control body's
//! act (Rules §21).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use rules::Role;
use rules::certificate::{CertificateCommand, ControlAct, Employer};
use rules::ids::TaxpayerId;
use serde::Deserialize;
use store::{Request, StoreError};

use crate::edge::AppState;
use crate::edge::auth::LoggedIn;
use crate::edge::error::PageError;
use crate::edge::forms::{Form, FormSpec};
use crate::edge::i18n::Tr;
use crate::edge::session::Session;
use crate::edge::view::id_error;
use crate::edge::view::{Who, render};

#[derive(Template)]
#[template(path = "certificate.html")]
struct CertificatePage {
    t: Tr,
    who: Who,
    path: String,
    number: String,
    holder: String,
    profession: String,
    akimat: String,
    status: String,
    valid: bool,
    issued_on: String,
    validity: String,
    basis: String,
    history: Vec<(String, String, String)>,
    can_notify: bool,
    can_revoke: bool,
    can_download: bool,
    /// The authorised person has yet to sign (Rules §13): no signature to download yet.
    being_signed: bool,
    has_duplicate: bool,
    /// After a new employer's notice (Rules §18), the re-issue it calls for (Rules §19, §22):
    /// the link to the application form, filled in from the notice.
    reissue: Option<String>,
    /// The holder's applications about this certificate (extension, re-issue, duplicate), as
    /// (link to the form naming it, label).
    apply: Vec<(String, String)>,
    /// The holder's windows for this certificate (Rules §16, §22 para 2): what to apply for
    /// by when, with the paragraph, and where it stands.
    windows: Vec<(String, String)>,
    windows_title: String,
    error: Option<String>,
    /// What the last action did, in words.
    message: Option<String>,
    /// What was typed into a form that was refused, kept (issue 31: a missed confirmation
    /// box keeps the act's number and date).
    kept: std::collections::HashMap<String, String>,
}

impl CertificatePage {
    /// The value typed into field `name` of a refused form.
    fn k(&self, name: &str) -> &str {
        self.kept.get(name).map_or("", String::as_str)
    }
}

/// The re-issue application a new employer's notice calls for (Rules §19: on a change of
/// employer the certificate is re-issued as Rules §22 says), prefilled from the latest notice.
fn reissue_link(c: &rules::certificate::Certificate) -> Option<String> {
    let (contract_date, employer) = c.notices.iter().rev().find_map(|n| match n {
        rules::certificate::Notice::NewEmployer { contract_date, employer, .. } => Some((contract_date, employer)),
        _ => None,
    })?;
    let enc = crate::edge::session::urlencode;
    Some(format!(
        "/apply?service=reissue&ground=employer-change&certificate={}&event_date={contract_date}&employer_name={}&employer_id={}",
        enc(&c.number.to_string()),
        enc(&employer.name),
        enc(&match &employer.id {
            rules::ids::TaxpayerId::Iin(i) => i.to_string(),
            rules::ids::TaxpayerId::Bin(b) => b.to_string(),
        })
    ))
}

async fn show(
    state: &AppState,
    t: Tr,
    s: Session,
    number: &str,
    error: Option<String>,
    message: Option<String>,
) -> Response {
    show_kept(state, t, s, number, error, message, std::collections::HashMap::new()).await
}

/// The page with what was typed into a refused form kept.
async fn show_kept(
    state: &AppState,
    t: Tr,
    s: Session,
    number: &str,
    error: Option<String>,
    message: Option<String>,
    kept: std::collections::HashMap<String, String>,
) -> Response {
    let c = match crate::edge::access::visible_certificate(&state.store, &s.user, number).await {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    let law = &state.store.reference().law;
    let today = state.store.today(&c.akimat, jiff::Timestamp::now()).unwrap_or_else(|_| state.today());
    let being_signed = match state.store.awaits_signature(&format!("certificate/{}", c.number)).await {
        Ok(b) => b,
        Err(e) => return crate::edge::error::PageError::from(e).into_response(),
    };
    let status = c.status_on(today);
    // Its history is part of the page: a store that cannot give it is said as a fault (5xx).
    let events = match state.store.stream(&format!("certificate/{}", c.number)).await {
        Ok(events) => events,
        Err(e) => return crate::edge::error::PageError::from(e).into_response(),
    };
    let history = events
        .iter()
        .map(|e| {
            let when = crate::edge::view::local_time(&state.store, &c.akimat, e.at_ms);
            (when, t.t(&format!("cert-event-{}", e.kind)), rules::Citation::owned(e.citation.clone()).localized(t.lang))
        })
        .collect();
    let windows = match state.store.obligations(&c.number.to_string()).await {
        Ok(w) => w,
        Err(e) => return crate::edge::error::PageError::from(e).into_response(),
    };
    let windows = windows
        .iter()
        .filter(|o| o.state != "void")
        .map(|o| {
            let citation = rules::Citation::owned(o.citation.clone()).localized(t.lang);
            (
                t.ta(&format!("cert-window-{}", o.window.tag()), &[("due", o.due_on.clone()), ("citation", citation)]),
                t.t(&format!("cert-window-state-{}", o.state)),
            )
        })
        .collect();
    let page = CertificatePage {
        windows,
        windows_title: t.t(if s.user.role == Role::Applicant {
            "cert-windows-title"
        } else {
            "cert-windows-title-staff"
        }),
        path: format!("/certificates/{}", c.number),
        number: c.number.to_string(),
        holder: format!("{} · {}", c.holder.full_name(), c.holder.iin),
        profession: law
            .profession_name(&c.profession, t.lang)
            .map_or(c.profession.clone(), |name| format!("{name} ({})", c.profession)),
        akimat: law.akimat_name(&c.akimat, t.lang),
        status: status.describe(t.lang),
        valid: status.is_valid(),
        issued_on: rules::text::date_for(t.lang, c.issued_on),
        validity: t.ta(
            "verify-valid",
            &[("from", rules::text::date_for(t.lang, c.valid_from)), ("to", rules::text::date_for(t.lang, c.valid_to))],
        ),
        basis: c.basis_in(t.lang),
        history,
        can_notify: status.is_valid() && s.user.role == Role::Applicant,
        can_revoke: status.is_valid() && s.user.role == Role::Officer,
        can_download: state.office.is_some(),
        being_signed,
        has_duplicate: !c.duplicates.is_empty(),
        reissue: (status.is_valid() && s.user.role == Role::Applicant).then(|| reissue_link(&c)).flatten(),
        apply: if status.is_valid() && s.user.role == Role::Applicant {
            [
                ("extend", "cert-apply-extend", "Rules §16"),
                ("reissue", "cert-apply-reissue", "Rules §22"),
                ("duplicate", "cert-apply-duplicate", "Rules §22-1"),
            ]
            .into_iter()
            .map(|(service, label, citation)| {
                let citation = rules::Citation::new(citation).localized(t.lang);
                (format!("/apply?service={service}&certificate={}", c.number), t.ta(label, &[("citation", citation)]))
            })
            .collect()
        } else {
            Vec::new()
        },
        error,
        message,
        kept,
        who: Some(s).into(),
        t,
    };
    let code = if page.error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    (code, render(&page)).into_response()
}

pub(crate) async fn page(
    State(state): State<AppState>,
    t: Tr,
    LoggedIn(s): LoggedIn,
    Path(number): Path<String>,
    Query(q): Query<Done>,
) -> Result<Response, PageError> {
    let message = match q.done.as_deref() {
        Some(done @ ("revoke" | "new-employer" | "contract-end")) => Some(t.t(&format!("cert-done-{done}"))),
        _ => None,
    };
    Ok(show(&state, t, s, &number, None, message).await)
}

/// `?done=…`: the page was reached right after an action, and says what was done.
#[derive(Deserialize)]
pub(crate) struct Done {
    done: Option<String>,
}

/// What a holder or an officer does to a certificate, as the page's forms post it.
#[derive(Deserialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub(crate) enum CertificateForm {
    /// The control act that revokes it (Rules §25).
    Revoke {
        /// "on" when the officer ticked that they mean to revoke.
        #[serde(default)]
        confirm: String,
        #[serde(default)]
        act_body: String,
        #[serde(default)]
        act_number: String,
        #[serde(default)]
        act_date: String,
    },
    /// A new employment contract (Rules §18).
    NewEmployer {
        #[serde(default)]
        contract_date: String,
        #[serde(default)]
        employer_id: String,
        #[serde(default)]
        employer_name: String,
    },
    /// The contract ended early (Rules §18).
    ContractEnd {
        #[serde(default)]
        end_date: String,
    },
}

impl FormSpec for CertificateForm {}

impl CertificateForm {
    /// What was typed, by field, to show again if the form is refused.
    fn typed(&self) -> std::collections::HashMap<String, String> {
        let pairs: Vec<(&str, &String)> = match self {
            CertificateForm::Revoke { act_body, act_number, act_date, .. } => {
                vec![("act_body", act_body), ("act_number", act_number), ("act_date", act_date)]
            }
            CertificateForm::NewEmployer { contract_date, employer_id, employer_name } => {
                vec![("contract_date", contract_date), ("employer_id", employer_id), ("employer_name", employer_name)]
            }
            CertificateForm::ContractEnd { end_date } => vec![("end_date", end_date)],
        };
        pairs.into_iter().map(|(k, v)| (k.to_owned(), v.clone())).collect()
    }
}

pub(crate) async fn act(
    State(state): State<AppState>,
    t: Tr,
    LoggedIn(s): LoggedIn,
    Path(number): Path<String>,
    Form(form): Form<CertificateForm>,
) -> Result<Response, PageError> {
    let parsed: rules::numbers::CertificateNumber = number.parse().map_err(|_| PageError::forbidden())?;
    match state.store.certificate(&parsed).await? {
        Some(c) if crate::edge::access::certificate(&s.user, &c) => {}
        _ => return Err(PageError::forbidden()),
    }
    let kept = form.typed();
    let done = match &form {
        CertificateForm::Revoke { .. } => "revoke",
        CertificateForm::NewEmployer { .. } => "new-employer",
        CertificateForm::ContractEnd { .. } => "contract-end",
    };
    let command = match command_of(form, &t) {
        Ok(command) => command,
        Err(message) => return Ok(show_kept(&state, t, s, &number, Some(message), None, kept).await),
    };
    match state
        .store
        .execute(s.user.actor(), jiff::Timestamp::now(), Request::Certificate { number: parsed, command }, None)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/certificates/{number}?done={done}")).into_response()),
        Err(StoreError::Refused(r)) => {
            let message = r.sentence(t.lang);
            Ok(show_kept(&state, t, s, &number, Some(message), None, kept).await)
        }
        Err(e) => Err(e.into()),
    }
}

/// The command the form asks for, or what is wrong with it in the person's words.
fn command_of(form: CertificateForm, t: &Tr) -> Result<CertificateCommand, String> {
    let date = |typed: &str| crate::edge::forms::parse_date(typed).ok_or_else(|| t.t("error-date"));
    Ok(match form {
        CertificateForm::Revoke { confirm, .. } if confirm != "on" => {
            return Err(t.t("cert-confirm-revoke-required"));
        }
        CertificateForm::Revoke { act_body, act_number, act_date, .. } => CertificateCommand::Revoke {
            act: ControlAct {
                body: act_body.trim().to_owned(),
                number: act_number.trim().to_owned(),
                date: date(&act_date)?,
            },
        },
        CertificateForm::NewEmployer { contract_date, employer_id, employer_name } => {
            let contract_date = date(&contract_date)?;
            let id = TaxpayerId::parse(employer_id.trim()).map_err(|e| id_error(t, &e))?;
            CertificateCommand::NotifyNewEmployer {
                contract_date,
                employer: Employer { name: employer_name.trim().to_owned(), id },
            }
        }
        CertificateForm::ContractEnd { end_date } => {
            CertificateCommand::NotifyContractEnd { end_date: date(&end_date)? }
        }
    })
}
