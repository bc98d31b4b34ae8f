//! The administrator's page: accounts and roles (staff accounts are created here, applicants
//! register themselves), and the 20 akimats with their time zones and working hours.
//! Imports of the rules, the list of professions and the calendar are done with
//! `qualcert rules import` and `qualcert calendar import` on the server.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use rules::Role;
use serde::Deserialize;
use store::{StoreError, User};

use crate::edge::AppState;
use crate::edge::auth::{self, Admin};
use crate::edge::error::PageError;
use crate::edge::forms::{Form, FormSpec, choice};
use crate::edge::i18n::Tr;
use crate::edge::passwords;
use crate::edge::session::{Client, Session};
use crate::edge::view::{Who, render};

/// Applicants' accounts listed on one page of `/admin`.
const APPLICANTS_PER_PAGE: usize = 50;

/// One account as the administrator's list shows it.
struct UserRow {
    id: String,
    login: String,
    role: String,
    akimat: String,
    name: String,
    disabled: bool,
    /// The administrator's own account (not disabled from here).
    me: bool,
    /// Staff, whose password may be reset.
    resettable: bool,
}

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage {
    t: Tr,
    who: Who,
    path: &'static str,
    /// (id, login, role, akimat, name, disabled, the administrator themself)
    /// Staff accounts.
    users: Vec<UserRow>,
    /// One page of applicants' accounts.
    applicant_rows: Vec<UserRow>,
    /// The pages before and after this one, and where this one stands, in words.
    applicants_nav: (Option<usize>, Option<usize>, String),
    akimats: Vec<(String, String, String, String)>,
    roles: Vec<(&'static str, String)>,
    /// Per akimat (code, name): who signs its results.
    signing: Vec<(String, String, String)>,
    /// Officers who may be named an akimat's authorised person: (id, "name — akimat").
    officers: Vec<(String, String)>,
    error: Option<String>,
    message: Option<String>,
    imports: bool,
    min_chars: usize,
    /// What was typed into the new account's form, kept when it is refused.
    typed: Typed,
    /// Why an imported file was refused, as the parser or checker said it (line, column,
    /// field): shown apart from the sentence in the person's language, marked as English.
    import_detail: Option<String>,
    /// Per akimat (code, name, the head's address for alerts).
    heads: Vec<(String, String, String)>,
    /// Background work: how many jobs in each state, in words.
    job_totals: Vec<(String, i64)>,
    /// Deliveries that failed, as (what, attempts, next try or "given up", the error).
    troubled: Vec<(String, i64, String, String)>,
    /// What the store's checks found and still stands (issue 35), as (when, what, what to do).
    findings: Vec<(String, String, String)>,
}

/// What one rendering of `/admin` says besides the lists: the outcome of what was just done,
/// a refused form as typed, and which page of applicants.
#[derive(Default)]
struct View {
    error: Option<String>,
    message: Option<String>,
    typed: Typed,
    /// Why an imported file was refused, in the checker's (English) words.
    import_detail: Option<String>,
    applicants_page: usize,
}

/// The new account's form as typed (never the password).
#[derive(Default)]
struct Typed {
    login: String,
    name: String,
    role: String,
    akimat: String,
}

async fn show(state: &AppState, t: Tr, s: Session, error: Option<String>) -> Response {
    show_with(state, t, s, error, None).await
}

async fn show_with(state: &AppState, t: Tr, s: Session, error: Option<String>, message: Option<String>) -> Response {
    render_page(state, t, s, View { error, message, ..View::default() }).await
}

async fn render_page(state: &AppState, t: Tr, s: Session, view: View) -> Response {
    admin_view(state, t, s, view).await.unwrap_or_else(IntoResponse::into_response)
}

/// The administrator's page, or the fault that stops it.
async fn admin_view(
    state: &AppState,
    t: Tr,
    s: Session,
    View { error, message, typed, import_detail, applicants_page }: View,
) -> Result<Response, PageError> {
    let accounts = state.store.accounts().await?;
    let all: Vec<&User> = accounts.iter().map(|a| &a.user).collect();
    let law = &state.store.reference().law;
    let officers = all
        .iter()
        .filter(|u| u.role == Role::Officer && u.iin.is_some())
        .filter_map(|u| {
            let akimat = u.akimat.as_ref()?;
            Some((u.id.clone(), format!("{} — {}", u.name, law.akimat_name(akimat, t.lang))))
        })
        .collect();
    let signing = signing_lines(state, &t).await?;
    let (staff, applicants): (Vec<&store::Account>, Vec<&store::Account>) =
        accounts.iter().partition(|a| a.user.role != Role::Applicant);
    let applicants_total = applicants.len();
    let row = |a: &&store::Account| {
        let u = &a.user;
        let akimat = u.akimat.as_ref().map(|c| law.akimat_name(c, t.lang)).unwrap_or_default();
        let role = u.role.name(t.lang).to_owned();
        UserRow {
            id: u.id.clone(),
            login: u.login.clone(),
            role,
            akimat,
            name: u.name.clone(),
            disabled: a.disabled_ms.is_some(),
            me: u.id == s.user.id,
            // Applicants enter by EDS: there is no password of theirs to reset.
            resettable: u.role != Role::Applicant,
        }
    };
    // Staff first, apart from applicants, who are many and are listed a page at a time.
    let users: Vec<UserRow> = staff.iter().map(row).collect();
    let applicant_rows: Vec<UserRow> =
        applicants.iter().skip(applicants_page * APPLICANTS_PER_PAGE).take(APPLICANTS_PER_PAGE).map(row).collect();
    let pages = applicants_total.div_ceil(APPLICANTS_PER_PAGE).max(1);
    let applicants_nav = (
        applicants_page.checked_sub(1),
        (applicants_page + 1 < pages).then_some(applicants_page + 1),
        t.ta(
            "admin-applicants-page",
            &[
                ("page", (applicants_page + 1).to_string()),
                ("pages", pages.to_string()),
                ("count", applicants_total.to_string()),
            ],
        ),
    );
    let akimats = akimat_lines(state, &t);
    let roles = role_choices(&t);
    let code = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let imports = state.data_dir.is_some();
    let heads = head_lines(state, &t).await?;
    let (job_totals, troubled) = job_lines(state, &t).await?;
    Ok((
        code,
        render(&AdminPage {
            users,
            applicant_rows,
            applicants_nav,
            akimats,
            roles,
            signing,
            officers,
            error,
            message,
            imports,
            min_chars: passwords::MIN_CHARS,
            typed,
            import_detail,
            heads,
            job_totals,
            troubled,
            findings: finding_lines(state, &t),
            who: Some(s).into(),
            path: "/admin",
            t,
        }),
    )
        .into_response())
}

/// The store's findings in the administrator's words: what was found, about what, when, and
/// what the README's operations section says to do about it.
fn finding_lines(state: &AppState, t: &Tr) -> Vec<(String, String, String)> {
    state
        .store
        .findings()
        .iter()
        .rev()
        .map(|f| {
            let when = crate::edge::audit_log::kz_time(f.at_ms);
            let kind = f.kind.name();
            let what = t.ta(&format!("admin-finding-{kind}"), &[("subject", f.subject.clone())]);
            // The commands to run are the same in every language: arguments, not words.
            let commands = [
                ("verify", "`qualcert audit verify`".to_owned()),
                ("deep", "`qualcert audit verify --deep`".to_owned()),
                ("restore", "`qualcert restore DIR`".to_owned()),
            ];
            (when, what, t.ta(&format!("admin-finding-{kind}-todo"), &commands))
        })
        .collect()
}

/// `?applicants=N`: which page of applicants' accounts to list.
#[derive(Deserialize)]
pub(crate) struct AdminQuery {
    #[serde(default)]
    applicants: usize,
}

pub(crate) async fn page(
    State(state): State<AppState>,
    t: Tr,
    Admin(s): Admin,
    Query(q): Query<AdminQuery>,
) -> Result<Response, PageError> {
    Ok(render_page(&state, t, s, View { applicants_page: q.applicants, ..View::default() }).await)
}

choice!(
    /// The roles an administrator can give a staff account.
    StaffRole => Role { Officer = "officer", Commission = "commission", Reviewer = "reviewer", Administrator = "administrator" }
);

/// A new staff account.
#[derive(Deserialize)]
pub(crate) struct UserForm {
    role: StaffRole,
    #[serde(default)]
    akimat: String,
    #[serde(default)]
    login: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
}

impl FormSpec for UserForm {}

pub(crate) async fn create_user(
    State(state): State<AppState>,
    t: Tr,
    client: Client,
    Admin(s): Admin,
    Form(form): Form<UserForm>,
) -> Result<Response, PageError> {
    let typed = Typed {
        login: form.login.clone(),
        name: form.name.clone(),
        role: serde_json::to_value(Role::from(form.role))
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
        akimat: form.akimat.clone(),
    };
    let (role, akimat, login, name) = match checked_account(&state, &t, &form) {
        Ok(checked) => checked,
        Err(message) => {
            return Ok(render_page(&state, t, s, View { error: Some(message), typed, ..View::default() }).await);
        }
    };
    let id = format!(
        "u-{}",
        &crate::edge::random::token().map_err(|e| PageError::ours(StatusCode::SERVICE_UNAVAILABLE, &e))?[..16]
    );
    let hash = auth::hash_password_blocking(form.password).await?;
    let user = User { id, login, role, akimat, iin: None, name };
    let detail = [typed.role.clone(), user.akimat.as_ref().map(ToString::to_string).unwrap_or_default()].join(" ");
    let e = crate::edge::audit_log::entry(Some(&s.user), "account-created", Some(&user.id), detail.trim(), &client)?;
    match state.store.create_account(&user, &hash, &e).await {
        Ok(()) => {
            let said = t.ta("admin-user-created", &[("name", user.name.clone()), ("login", user.login.clone())]);
            Ok(show_with(&state, t, s, None, Some(said)).await)
        }
        Err(StoreError::Duplicate(_)) => {
            Ok(render_page(&state, t.clone(), s, View { error: Some(t.t("register-taken")), typed, ..View::default() })
                .await)
        }
        Err(e) => Err(e.into()),
    }
}

/// The new account's role, akimat (for the akimat's staff), login and name, or what is wrong
/// with the form in the administrator's words.
fn checked_account(
    state: &AppState,
    t: &Tr,
    form: &UserForm,
) -> Result<(Role, Option<rules::akimat::AkimatCode>, String, String), String> {
    let role = Role::from(form.role);
    let akimat = if matches!(role, Role::Officer | Role::Commission) {
        let a = state.store.reference().law.akimat(form.akimat.trim()).ok_or_else(|| t.t("admin-akimat-required"))?;
        Some(a.code.clone())
    } else {
        None
    };
    let (login, name) = (form.login.trim().to_owned(), form.name.trim().to_owned());
    if login.is_empty() || name.is_empty() {
        return Err(t.t("admin-fields-required"));
    }
    if let Some(key) = passwords::problem(&form.password, &login, None, &name) {
        return Err(t.ta(key, &[("min", passwords::MIN_CHARS.to_string())]));
    }
    Ok((role, akimat, login, name))
}

/// What the administrator does to an account.
#[derive(Deserialize)]
#[serde(tag = "do", rename_all = "kebab-case")]
pub(crate) enum AccountAct {
    /// No more logins; every session ends now.
    Disable {
        /// "on" once the administrator confirmed it (`/admin/users/{id}/confirm`).
        #[serde(default)]
        confirm: String,
    },
    /// Logins again.
    Enable,
    /// A new random password, shown once to the administrator to hand over in person; every
    /// session of the account ends.
    ResetPassword {
        /// "on" once the administrator confirmed it.
        #[serde(default)]
        confirm: String,
    },
}

impl FormSpec for AccountAct {}

/// `POST /admin/users/{id}`: disables, enables or resets the password of an account. An
/// administrator cannot disable themself (nobody would be left to enable them), nor reset an
/// applicant's password (applicants enter by EDS; the refusal is audited).
pub(crate) async fn account_act(
    State(state): State<AppState>,
    t: Tr,
    client: Client,
    Admin(s): Admin,
    Path(id): Path<String>,
    Form(act): Form<AccountAct>,
) -> Result<Response, PageError> {
    let Some(account) = state.store.account(&id).await? else { return Err(PageError::not_found()) };
    let them = &account.user;
    let now = jiff::Timestamp::now().as_millisecond();
    // Disabling and resetting end the person's sessions: asked once more before (issue 31).
    match &act {
        AccountAct::Disable { confirm } if confirm != "on" && them.id != s.user.id => {
            return Ok(Redirect::to(&format!("/admin/users/{id}/confirm?do=disable")).into_response());
        }
        AccountAct::ResetPassword { confirm } if confirm != "on" && them.role != rules::Role::Applicant => {
            return Ok(Redirect::to(&format!("/admin/users/{id}/confirm?do=reset-password")).into_response());
        }
        _ => {}
    }
    let said = match act {
        AccountAct::Disable { .. } if them.id == s.user.id => {
            return Ok(show(&state, t.clone(), s, Some(t.t("admin-not-yourself"))).await);
        }
        AccountAct::Disable { .. } | AccountAct::Enable => {
            let (action, at, key) = match act {
                AccountAct::Disable { .. } => ("account-disabled", Some(now), "admin-user-disabled"),
                _ => ("account-enabled", None, "admin-user-enabled"),
            };
            let e = crate::edge::audit_log::entry(Some(&s.user), action, Some(&them.id), "", &client)?;
            state.store.set_disabled(&them.id, at, &e).await?;
            t.ta(key, &[("name", them.name.clone())])
        }
        // Applicants enter by EDS only: a password the administrator sets would let the
        // administrator in as them. Staff passwords alone are reset.
        AccountAct::ResetPassword { .. } if them.role == rules::Role::Applicant => {
            crate::edge::audit_log::note(
                &state,
                Some(&s.user),
                "password-reset-refused",
                Some(&them.id),
                "eds-only",
                &client,
            )
            .await?;
            let message = t.ta("admin-reset-eds-only", &[("name", them.name.clone())]);
            return Ok((StatusCode::FORBIDDEN, show(&state, t.clone(), s, Some(message)).await).into_response());
        }
        AccountAct::ResetPassword { .. } => reset_password(&state, &t, &client, &s, them).await?,
    };
    Ok(show_with(&state, t, s, None, Some(said)).await)
}

/// Gives a staff account a new random password and says it, once, to the administrator.
async fn reset_password(
    state: &AppState,
    t: &Tr,
    client: &Client,
    s: &Session,
    them: &User,
) -> Result<String, PageError> {
    let password = passwords::generated().map_err(|e| PageError::ours(StatusCode::SERVICE_UNAVAILABLE, &e))?;
    let hash = auth::hash_password_blocking(password.clone()).await?;
    let e = crate::edge::audit_log::entry(Some(&s.user), "password-reset", Some(&them.id), "", client)?;
    state.store.set_password(&them.id, &hash, None, &e).await?;
    Ok(t.ta(
        "admin-password-reset",
        &[("name", them.name.clone()), ("login", them.login.clone()), ("password", password)],
    ))
}

/// The act a confirmation page asks about.
#[derive(Deserialize)]
pub(crate) struct ConfirmQuery {
    #[serde(rename = "do", default)]
    act: String,
}

#[derive(Template)]
#[template(path = "admin_confirm.html")]
struct ConfirmPage {
    t: Tr,
    who: Who,
    path: &'static str,
    id: String,
    act: &'static str,
    question: String,
    yes: String,
}

/// `GET /admin/users/{id}/confirm?do=disable|reset-password`: the question before an act that
/// ends the person's sessions, with the button that does it.
pub(crate) async fn confirm_page(
    State(state): State<AppState>,
    t: Tr,
    Admin(s): Admin,
    Path(id): Path<String>,
    Query(q): Query<ConfirmQuery>,
) -> Result<Response, PageError> {
    let Some(account) = state.store.account(&id).await? else { return Err(PageError::not_found()) };
    let (act, question, yes) = match q.act.as_str() {
        "disable" => ("disable", "admin-confirm-disable", "admin-disable"),
        "reset-password" => ("reset-password", "admin-confirm-reset", "admin-reset"),
        _ => return Err(PageError::not_found()),
    };
    let name = format!("{} ({})", account.user.name, account.user.login);
    let page = ConfirmPage {
        id,
        act,
        question: t.ta(question, &[("name", name)]),
        yes: t.t(yes),
        who: Some(s).into(),
        path: "/admin",
        t,
    };
    Ok(render(&page).into_response())
}

/// An akimat's working hours.
#[derive(Deserialize)]
pub(crate) struct HoursForm {
    #[serde(default)]
    akimat: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    end: String,
}

impl FormSpec for HoursForm {}

/// Sets an akimat's working hours (what counts as received when, App.2 item 7).
pub(crate) async fn set_hours(
    State(state): State<AppState>,
    t: Tr,
    client: Client,
    Admin(s): Admin,
    Form(form): Form<HoursForm>,
) -> Result<Response, PageError> {
    let (Ok(start), Ok(end)) =
        (form.start.trim().parse::<jiff::civil::Time>(), form.end.trim().parse::<jiff::civil::Time>())
    else {
        return Ok(show(&state, t.clone(), s, Some(t.t("admin-hours-invalid"))).await);
    };
    match state.store.set_hours(form.akimat.trim(), start, end, jiff::Timestamp::now().as_millisecond()).await {
        Ok(()) => {
            crate::edge::audit_log::note(&state, Some(&s.user), "hours-changed", None, form.akimat.trim(), &client)
                .await?;
            Ok(Redirect::to("/admin").into_response())
        }
        Err(StoreError::Config(_) | StoreError::NotFound(_)) => {
            Ok(show(&state, t.clone(), s, Some(t.t("admin-hours-invalid"))).await)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub(crate) struct HeadForm {
    #[serde(default)]
    akimat: String,
    #[serde(default)]
    email: String,
    lang: rules::Lang,
}

impl FormSpec for HeadForm {}

/// Where an akimat's head gets escalation alerts (most of a stage's time used, a breach):
/// an address and a language; empty stops the mail.
pub(crate) async fn set_head(
    State(state): State<AppState>,
    t: Tr,
    client: Client,
    Admin(s): Admin,
    Form(form): Form<HeadForm>,
) -> Result<Response, PageError> {
    let akimat = form.akimat.trim();
    if state.store.reference().law.akimat(akimat).is_none() {
        return Ok(show(&state, t.clone(), s, Some(t.t("admin-akimat-required"))).await);
    }
    let Ok(email) = crate::edge::forms::email(&form.email) else {
        return Ok(show(&state, t.clone(), s, Some(t.t("account-notices-bad-email"))).await);
    };
    let key = crate::shared::notices::head_contact(akimat);
    state.store.set_contact(&key, email, form.lang.tag()).await?;
    crate::edge::audit_log::note(&state, Some(&s.user), "head-contact", None, akimat, &client).await?;
    Ok(Redirect::to("/admin#heads").into_response())
}

/// Who signs an akimat's results: an officer's id, or empty for the information system key.
#[derive(Deserialize)]
pub(crate) struct SigningForm {
    #[serde(default)]
    akimat: String,
    #[serde(default)]
    authorised: String,
}

impl FormSpec for SigningForm {}

/// Names an akimat's authorised person, who signs its results from now on with their own
/// EDS, or returns it to its information system key (Rules §13). The person must be an
/// officer of that akimat whose account has proven their IIN by EDS, so they can sign.
pub(crate) async fn set_signing(
    State(state): State<AppState>,
    t: Tr,
    client: Client,
    Admin(s): Admin,
    Form(form): Form<SigningForm>,
) -> Result<Response, PageError> {
    let law = &state.store.reference().law;
    let Some(akimat) = law.akimat(form.akimat.trim()).map(|a| a.code.clone()) else {
        return Ok(show(&state, t.clone(), s, Some(t.t("admin-akimat-required"))).await);
    };
    let wanted = form.authorised.trim();
    let signer = if wanted.is_empty() {
        None
    } else {
        let users = state.store.users().await?;
        match users.into_iter().find(|u| u.id == wanted) {
            Some(u) if u.role == Role::Officer && u.akimat.as_ref() == Some(&akimat) && u.iin.is_some() => Some(u),
            _ => return Ok(show(&state, t.clone(), s, Some(t.t("admin-signing-needs-eds"))).await),
        }
    };
    let now = jiff::Timestamp::now().as_millisecond();
    state.store.set_authorised_signer(&akimat, signer.as_ref().map(|u| u.id.as_str()), &s.user.id, now).await?;
    let subject = signer.as_ref().map(|u| u.id.as_str());
    crate::edge::audit_log::note(&state, Some(&s.user), "signing-authority", subject, &akimat, &client).await?;
    let who = signer.map_or_else(|| t.t("admin-signing-system"), |u| u.name);
    let said = t.ta("admin-signing-saved", &[("akimat", law.akimat_name(&akimat, t.lang)), ("signer", who)]);
    Ok(show_with(&state, t, s, None, Some(said)).await)
}

/// Imports a data file (calendar year, holiday law, rule sets, criteria, list of professions)
/// into the data directory; it takes effect when the service restarts.
pub(crate) async fn import(
    State(state): State<AppState>,
    t: Tr,
    Admin(s): Admin,
    mut multipart: axum::extract::Multipart,
) -> Result<Response, PageError> {
    let Some(data_dir) = state.data_dir.clone() else {
        return Ok(show(&state, t.clone(), s, Some(t.t("admin-import-unavailable"))).await);
    };
    let (mut text, mut name) = (None, String::from("import"));
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("file") {
            name = field
                .file_name()
                .and_then(|f| f.rsplit_once('.').map(|(stem, _)| stem.to_owned()).or(Some(f.to_owned())))
                .unwrap_or(name);
            text = field.bytes().await.ok().and_then(|b| String::from_utf8(b.to_vec()).ok());
        }
    }
    let Some(text) = text else { return Ok(show(&state, t.clone(), s, Some(t.t("admin-import-text"))).await) };
    Ok(match store::imports::import(&data_dir, &text, &name) {
        Ok(imported) => {
            let message = t.ta("admin-imported", &[("path", imported.path.display().to_string())]);
            show_with(&state, t, s, None, Some(message)).await
        }
        Err(e) => {
            let detail = match e {
                store::StoreError::Config(text) => text,
                other => return Err(other.into()),
            };
            let said = t.t("admin-import-refused");
            render_page(&state, t, s, View { error: Some(said), import_detail: Some(detail), ..View::default() }).await
        }
    })
}

/// An akimat's clock as people read it: its offset from UTC today ("UTC+5"). The tz database's
/// name (`Asia/Qostanay`) is ours, not a word of Kazakh or Russian, so only English shows it.
fn clock_of(zone: &str, lang: rules::Lang) -> String {
    let Ok(tz) = jiff::tz::TimeZone::get(zone) else { return zone.to_owned() };
    let seconds = tz.to_offset(jiff::Timestamp::now()).seconds();
    let (sign, hours, minutes) = (if seconds < 0 { '−' } else { '+' }, seconds.abs() / 3600, seconds.abs() % 3600 / 60);
    let offset = if minutes == 0 { format!("UTC{sign}{hours}") } else { format!("UTC{sign}{hours}:{minutes:02}") };
    if lang == rules::Lang::En { format!("{offset} ({zone})") } else { offset }
}

/// Who signs each akimat's results: its authorised person, or the information system.
async fn signing_lines(state: &AppState, t: &Tr) -> Result<Vec<(String, String, String)>, PageError> {
    let mut signing = Vec::new();
    for a in &state.store.reference().law.akimats {
        let signer = match state.store.authorised_signer(&a.code).await? {
            Some(s) => s.user.name,
            None => t.t("admin-signing-system"),
        };
        signing.push((a.code.to_string(), a.names.get(t.lang).to_owned(), signer));
    }
    Ok(signing)
}

/// Each akimat with its clock and working hours.
fn akimat_lines(state: &AppState, t: &Tr) -> Vec<(String, String, String, String)> {
    state
        .store
        .reference()
        .law
        .akimats
        .iter()
        .map(|a| {
            let h = state.store.hours_of(&a.code).ok();
            let span =
                h.map(|h| format!("{}–{}", h.start.strftime("%H:%M"), h.end.strftime("%H:%M"))).unwrap_or_default();
            (a.code.to_string(), a.names.get(t.lang).to_owned(), clock_of(&a.zone, t.lang), span)
        })
        .collect()
}

/// The staff roles an account may be made with.
fn role_choices(t: &Tr) -> Vec<(&'static str, String)> {
    [
        ("officer", Role::Officer),
        ("commission", Role::Commission),
        ("reviewer", Role::Reviewer),
        ("administrator", Role::Administrator),
    ]
    .into_iter()
    .map(|(v, r)| (v, r.name(t.lang).to_owned()))
    .collect()
}

/// Where each akimat's head is warned before a breach.
async fn head_lines(state: &AppState, t: &Tr) -> Result<Vec<(String, String, String)>, PageError> {
    let mut heads = Vec::new();
    for a in &state.store.reference().law.akimats {
        let email = state.store.contact(&crate::shared::notices::head_contact(&a.code)).await?.and_then(|(e, _)| e);
        heads.push((a.code.to_string(), a.names.get(t.lang).to_owned(), email.unwrap_or_default()));
    }
    Ok(heads)
}

/// A job that failed or waits to be tried again: its id, tries, when next and the last error.
type TroubledJob = (String, i64, String, String);

/// The background work: how many jobs in each state, and the ones that failed or wait to be
/// tried again, with when and why.
async fn job_lines(state: &AppState, t: &Tr) -> Result<(Vec<(String, i64)>, Vec<TroubledJob>), PageError> {
    // Without a mail server no delivery goes out: waiting ones are said to wait for one.
    let label = |st: &str| match st {
        "pending" if !state.mail => t.t("admin-job-pending-no-mail"),
        _ => t.t(&format!("admin-job-{st}")),
    };
    let totals = state.store.job_totals().await?.into_iter().map(|(st, n)| (label(&st), n)).collect();
    let troubled = state
        .store
        .troubled_jobs(50)
        .await?
        .into_iter()
        .map(|j| {
            let next = if j.state == "failed" {
                t.t("admin-job-given-up")
            } else {
                crate::edge::audit_log::kz_time(j.run_after_ms)
            };
            (j.id, j.attempts, next, j.last_error.unwrap_or_default())
        })
        .collect();
    Ok((totals, troubled))
}
