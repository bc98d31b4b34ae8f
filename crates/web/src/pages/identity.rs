//! Who a person is, proven by their EDS (App.2 item 10.2): entering the service, which
//! registers an applicant the first time, and a staff member binding their EDS to the account
//! the administrator made.
//!
//! The server hands out a one-time challenge; the person signs it in NCALayer; the server
//! takes the challenge (once, before it expires), verifies the CMS against the national CA's
//! roots (valid now, not revoked), and reads the IIN from the signer's certificate. No IIN is
//! ever read from a form. Entering with an IIN that has an account logs into that account, so
//! registering an IIN already registered gives the same answer as a first registration: the
//! proven person's own cabinet.

use askama::Template;
use axum::extract::{Extension, Query, State};
use axum::http::StatusCode;
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Redirect, Response};
use rules::{Iin, Role};
use serde::Deserialize;
use store::{StoreError, User};

use crate::edge::AppState;
use crate::edge::auth::{self, LoggedIn};
use crate::edge::csrf::CsrfToken;
use crate::edge::error::{Fault, PageError, Said, ScriptAnswer};
use crate::edge::forms::{Form, FormSpec};
use crate::edge::i18n::Tr;
use crate::edge::session;
use crate::edge::session::Client;
use crate::edge::view::{Who, render};
use crate::shared::signing::EdsBox;

/// How long a challenge can be signed: long enough to find the token and type its password.
const CHALLENGE_MS: i64 = 10 * 60 * 1000;

/// What a verified signature over a challenge proves.
pub(crate) struct Proven {
    pub(crate) iin: Iin,
    /// The signer as their certificate names them.
    pub(crate) name: String,
    /// The name's parts, when the certificate lays them out as the national CA does.
    pub(crate) parts: Option<store::NameParts>,
}

fn refused(status: StatusCode, kind: &'static str, key: &'static str) -> PageError {
    PageError::of(Fault::new(status, kind, Said::Cited(key, vec![], rules::Citation::new("App.2 item 10.2"))))
}

/// A fresh challenge for `purpose`: its id and the exact bytes to sign.
pub(crate) async fn challenge(state: &AppState, purpose: &str) -> Result<(String, String), PageError> {
    let id = crate::edge::random::token().map_err(|e| PageError::ours(StatusCode::SERVICE_UNAVAILABLE, &e))?;
    let now = jiff::Timestamp::now();
    let content = serde_json::json!({
        "service": state.public_url,
        "purpose": purpose,
        "challenge": id,
        "issued_at": now.to_string(),
    })
    .to_string();
    state
        .store
        .put_challenge(&id, purpose, &content, now.as_millisecond(), now.as_millisecond() + CHALLENGE_MS)
        .await?;
    Ok((id, content))
}

/// The signing box for a challenge, posting to `post` (which gets `?challenge=ID`).
fn eds_box(id: &str, content: &str, post: &str) -> EdsBox {
    EdsBox::new(content.as_bytes(), format!("{post}?challenge={id}"))
}

/// Takes challenge `id` for `purpose` and verifies `signature` over it: the IIN it proves.
pub(crate) async fn prove(state: &AppState, id: &str, purpose: &str, signature: &[u8]) -> Result<Proven, PageError> {
    let office =
        state.office.as_ref().ok_or_else(|| PageError::with(StatusCode::SERVICE_UNAVAILABLE, "signed-unavailable"))?;
    let Some(content) = state.store.take_challenge(id, purpose, jiff::Timestamp::now().as_millisecond()).await? else {
        return Err(refused(StatusCode::UNPROCESSABLE_ENTITY, "challenge-expired", "eds-challenge-expired"));
    };
    let signed = office
        .verify(&crate::shared::signing::der_of(signature), content.as_bytes())
        .map_err(|e| crate::shared::signing::not_genuine(&e))?;
    let [iin] = signed.iins.as_slice() else {
        return Err(refused(StatusCode::UNPROCESSABLE_ENTITY, "no-iin", "eds-no-iin"));
    };
    let iin = Iin::parse(iin).map_err(|_| refused(StatusCode::UNPROCESSABLE_ENTITY, "no-iin", "eds-no-iin"))?;
    let parts = signed.names.first().cloned().flatten().map(|n| store::NameParts {
        surname: n.surname,
        given_names: n.given_names,
        patronymic: n.patronymic,
    });
    Ok(Proven { iin, name: signed.signers.first().cloned().unwrap_or_default(), parts })
}

/// The account of a proven person: theirs if they have one (an applicant's, else a staff
/// account bound to this IIN), else a new applicant account without a password.
/// A disabled account is refused here as at the password login.
/// The name's parts the certificate gives are kept (the latest certificate's), so the forms
/// are pre-filled with them as registered.
pub(crate) async fn account_of(state: &AppState, proven: &Proven, client: &Client) -> Result<User, PageError> {
    let user = find_or_register(state, proven, client).await?;
    if let Some(parts) = &proven.parts {
        state.store.set_name_parts(&user.id, parts).await?;
    }
    Ok(user)
}

async fn find_or_register(state: &AppState, proven: &Proven, client: &Client) -> Result<User, PageError> {
    let now = jiff::Timestamp::now().as_millisecond();
    if let Some(user) = state.store.users_by_iin(&proven.iin).await?.into_iter().next() {
        if state.store.account(&user.id).await?.is_some_and(|a| a.disabled_ms.is_some()) {
            crate::edge::audit_log::note(state, None, "login-refused-disabled", Some(&user.id), "", client).await?;
            return Err(refused(StatusCode::FORBIDDEN, "disabled", "login-disabled"));
        }
        return Ok(user);
    }
    let login = proven.iin.to_string();
    // An account registered with a typed IIN before identity by EDS: the EDS proves it now.
    if let Some(legacy) = state.store.account_by_login(&login).await? {
        if legacy.disabled_ms.is_some() {
            return Err(refused(StatusCode::FORBIDDEN, "disabled", "login-disabled"));
        }
        let legacy = legacy.user;
        state.store.reclaim_unproven(&legacy.id, &proven.iin, now).await?;
        crate::edge::audit_log::note(state, None, "legacy-account-closed", Some(&legacy.id), "", client).await?;
        crate::edge::audit_log::note(state, Some(&legacy), "eds-bound", Some(&legacy.id), "", client).await?;
        return Ok(User { iin: Some(proven.iin.clone()), ..legacy });
    }
    let id = format!(
        "u-{}",
        &crate::edge::random::token().map_err(|e| PageError::ours(StatusCode::SERVICE_UNAVAILABLE, &e))?[..16]
    );
    let name = if proven.name.trim().is_empty() { login.clone() } else { proven.name.trim().to_owned() };
    let user = User { id, login, role: Role::Applicant, akimat: None, iin: Some(proven.iin.clone()), name };
    // No password: one may be set later, and logs in only to this proven IIN.
    let e = crate::edge::audit_log::entry(Some(&user), "account-registered", Some(&user.id), "", client)?;
    match state.store.create_account(&user, "", &e).await {
        Ok(()) => {
            tracing::info!(user = %user.id, "applicant registered by EDS");
            Ok(user)
        }
        // The same person entering twice at once.
        Err(StoreError::Duplicate(_)) => {
            state.store.users_by_iin(&proven.iin).await?.into_iter().next().ok_or_else(PageError::not_found)
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------- entering

#[derive(Template)]
#[template(path = "enter.html")]
struct EnterPage {
    t: Tr,
    who: Who,
    path: &'static str,
    eds: EdsBox,
    challenge: String,
    demo: bool,
    demo_iin: String,
    demo_surname: String,
    demo_given_names: String,
    demo_patronymic: String,
    error: Option<String>,
}

async fn enter_page(
    state: &AppState,
    t: Tr,
    csrf: String,
    form: Option<&DemoEnterForm>,
    error: Option<String>,
) -> Result<Response, PageError> {
    let (id, content) = challenge(state, "enter").await?;
    let page = EnterPage {
        eds: eds_box(&id, &content, "/eds/enter"),
        challenge: id,
        demo: state.demo && state.office.is_some(),
        demo_iin: form.map(|f| f.iin.clone()).unwrap_or_default(),
        demo_surname: form.map(|f| f.surname.clone()).unwrap_or_default(),
        demo_given_names: form.map(|f| f.given_names.clone()).unwrap_or_default(),
        demo_patronymic: form.map(|f| f.patronymic.clone()).unwrap_or_default(),
        error,
        who: Who::anonymous(csrf),
        path: "/register",
        t,
    };
    let status = if page.error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok((status, render(&page)).into_response())
}

/// `GET /register`: entering by EDS, which registers a person the first time.
pub(crate) async fn register(
    State(state): State<AppState>,
    t: Tr,
    Extension(CsrfToken(csrf)): Extension<CsrfToken>,
) -> Result<Response, PageError> {
    enter_page(&state, t, csrf, None, None).await
}

#[derive(Deserialize)]
pub(crate) struct ChallengeQuery {
    #[serde(default)]
    challenge: String,
}

/// A session for `user`, answered to the page script: the address to go to, and the cookie.
async fn session_for_script(state: &AppState, user: &User, client: &Client) -> Result<Response, PageError> {
    let (id, _) = auth::open_session(state, user, auth::SessionKind::Browser, client).await?;
    let mut r = (StatusCode::OK, auth::home_of(user.role)).into_response();
    r.headers_mut().append(SET_COOKIE, session::session_set_cookie(&id));
    auth::mark_device(state, user, &mut r).await?;
    Ok(r)
}

/// `POST /eds/enter?challenge=ID`: the page script posts the CMS over the challenge.
pub(crate) async fn enter(
    State(state): State<AppState>,
    t: Tr,
    client: Client,
    Query(q): Query<ChallengeQuery>,
    body: axum::body::Bytes,
) -> Result<Response, ScriptAnswer> {
    let result = async {
        let proven = prove(&state, &q.challenge, "enter", &body).await?;
        let user = account_of(&state, &proven, &client).await?;
        session_for_script(&state, &user, &client).await
    }
    .await;
    result.map_err(|e| ScriptAnswer::failed(&t, e))
}

#[derive(Deserialize)]
pub(crate) struct DemoEnterForm {
    #[serde(default)]
    challenge: String,
    #[serde(default)]
    iin: String,
    /// The name as the demo key's certificate will carry it, in its parts.
    #[serde(default)]
    surname: String,
    #[serde(default)]
    given_names: String,
    #[serde(default)]
    patronymic: String,
    /// A whole name in one field, as the form had it before the parts: a certificate then
    /// names no parts, and the forms are not pre-filled with a guess.
    #[serde(default)]
    name: String,
}

impl DemoEnterForm {
    fn parts(&self) -> Option<docs::PersonName> {
        let surname = self.surname.trim();
        (!surname.is_empty()).then(|| docs::PersonName {
            surname: surname.to_owned(),
            given_names: self.given_names.trim().to_owned(),
            patronymic: Some(self.patronymic.trim()).filter(|p| !p.is_empty()).map(str::to_owned),
        })
    }
}

impl FormSpec for DemoEnterForm {}

/// `POST /eds/demo-enter`: with `serve --demo` only. Signs the challenge with a development key
/// issued for the typed IIN and name, then enters through the same verification as an EDS.
pub(crate) async fn demo_enter(
    State(state): State<AppState>,
    t: Tr,
    client: Client,
    Extension(CsrfToken(csrf)): Extension<CsrfToken>,
    Form(f): Form<DemoEnterForm>,
) -> Result<Response, PageError> {
    if !state.demo {
        return Err(PageError::not_found());
    }
    let iin = match Iin::parse(f.iin.trim()) {
        Ok(iin) => iin,
        Err(e) => {
            let message = crate::edge::view::id_error(&t, &e);
            return enter_page(&state, t, csrf, Some(&f), Some(message)).await;
        }
    };
    let parts = f.parts();
    let name = parts.as_ref().map_or_else(|| f.name.trim().to_owned(), docs::PersonName::common_name);
    if name.is_empty() {
        let message = format!("{}: {}", t.t("form-field-surname"), t.t("error-required"));
        return enter_page(&state, t, csrf, Some(&f), Some(message)).await;
    }
    let now = jiff::Timestamp::now().as_millisecond();
    let Some(content) = state.store.challenge(&f.challenge, "enter", now).await? else {
        let message = t.t("eds-challenge-expired");
        return enter_page(&state, t, csrf, Some(&f), Some(message)).await;
    };
    let person =
        User { id: String::new(), login: String::new(), role: Role::Applicant, akimat: None, iin: Some(iin), name };
    let signature = crate::shared::signing::demo_signature(&state, &person, parts.as_ref(), content.as_bytes())?;
    let proven = prove(&state, &f.challenge, "enter", &signature).await?;
    // A demo key is made for whatever IIN is typed: it opens applicants' accounts only, never
    // a staff member's, whose IIN anyone could type.
    if state.store.users_by_iin(&proven.iin).await?.iter().any(|u| u.role != Role::Applicant) {
        crate::edge::audit_log::note(&state, None, "demo-enter-refused-staff", None, "", &client).await?;
        let message = t.t("eds-demo-applicants-only");
        return enter_page(&state, t, csrf, Some(&f), Some(message)).await;
    }
    let user = account_of(&state, &proven, &client).await?;
    auth::start_session(&state, &user, auth::home_of(user.role), &client).await
}

// ---------------------------------------------------------------- the account

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    t: Tr,
    who: Who,
    path: &'static str,
    name: String,
    login: String,
    role: String,
    iin: Option<String>,
    eds: Option<EdsBox>,
    demo: bool,
    message: Option<String>,
    error: Option<String>,
    has_password: bool,
    min_chars: usize,
    /// (handle, kind, started, ends, this one)
    sessions: Vec<(String, String, String, String, bool)>,
    /// Where notices go by mail, and their language: shown to a person with a proven IIN.
    notices: Option<(String, String)>,
    /// What the mail is for: a person's notices, or an officer's alerts.
    notices_lead: String,
}

#[derive(Deserialize)]
pub(crate) struct AccountQuery {
    bound: Option<String>,
    done: Option<String>,
}

/// `GET /account`: who the person is to the service, binding their EDS, their password and
/// their sessions.
pub(crate) async fn account(
    State(state): State<AppState>,
    t: Tr,
    LoggedIn(s): LoggedIn,
    Query(q): Query<AccountQuery>,
) -> Result<Response, PageError> {
    let message = match (q.bound, q.done.as_deref()) {
        (Some(_), _) => Some(t.t("account-eds-bound")),
        (None, Some("password")) => Some(t.t("account-password-saved")),
        (None, Some("sessions")) => Some(t.t("account-sessions-ended")),
        (None, Some("notices")) => Some(t.t("account-notices-saved")),
        _ => None,
    };
    account_page(&state, t, s, message, None, StatusCode::OK).await
}

/// The account page, with a message or an error.
pub(crate) async fn account_page(
    state: &AppState,
    t: Tr,
    s: crate::edge::session::Session,
    message: Option<String>,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let eds = match &s.user.iin {
        Some(_) => None,
        None => {
            let (id, content) = challenge(state, &format!("bind:{}", s.user.id)).await?;
            Some(eds_box(&id, &content, "/account/eds"))
        }
    };
    let has_password = state.store.account(&s.user.id).await?.is_some_and(|a| !a.password_hash.is_empty());
    let now = jiff::Timestamp::now().as_millisecond();
    let sessions = state
        .store
        .sessions_of(&s.user.id, now)
        .await?
        .into_iter()
        .map(|x| {
            let current = x.handle == s.handle();
            let kind = t.t(&format!("audit-via-{}", x.kind));
            (
                x.handle,
                kind,
                crate::edge::audit_log::kz_time(x.created_ms),
                crate::edge::audit_log::kz_time(x.expires_ms),
                current,
            )
        })
        .collect();
    let notices = match crate::shared::notices::contact_key(&s.user) {
        Some(key) => Some(match state.store.contact(&key).await? {
            Some((email, lang)) => (email.unwrap_or_default(), lang),
            None => (String::new(), t.lang.tag().to_owned()),
        }),
        None => None,
    };
    let notices_lead =
        t.t(if s.user.role == rules::Role::Officer { "account-notices-lead-officer" } else { "account-notices-lead" });
    let page = AccountPage {
        notices,
        notices_lead,
        name: s.user.name.clone(),
        login: s.user.login.clone(),
        role: s.user.role.name(t.lang).to_owned(),
        iin: s.user.iin.as_ref().map(ToString::to_string),
        demo: state.demo && state.office.is_some() && eds.is_some(),
        eds,
        message,
        error,
        has_password,
        min_chars: crate::edge::passwords::MIN_CHARS,
        sessions,
        who: Some(s).into(),
        path: "/account",
        t,
    };
    Ok((status, render(&page)).into_response())
}

/// Binds the proven IIN to `user`'s account. An applicant's account is its IIN already.
async fn bind(state: &AppState, user: &User, proven: &Proven, client: &Client) -> Result<(), PageError> {
    if user.role == Role::Applicant && user.login != proven.iin.to_string() {
        return Err(refused(StatusCode::UNPROCESSABLE_ENTITY, "not-your-key", "account-eds-not-yours"));
    }
    match state.store.bind_iin(&user.id, &proven.iin, jiff::Timestamp::now().as_millisecond()).await {
        Ok(()) => {}
        Err(StoreError::Duplicate(_)) => {
            crate::edge::audit_log::note(state, Some(user), "eds-bind-refused-duplicate", Some(&user.id), "", client)
                .await?;
            return Err(refused(StatusCode::CONFLICT, "eds-taken", "account-eds-taken"));
        }
        Err(e) => return Err(e.into()),
    }
    crate::edge::audit_log::note(state, Some(user), "eds-bound", Some(&user.id), "", client).await?;
    tracing::info!(user = %user.id, "EDS bound");
    Ok(())
}

/// `POST /account/eds?challenge=ID`: the page script posts the CMS over the binding challenge.
pub(crate) async fn bind_eds(
    State(state): State<AppState>,
    t: Tr,
    client: Client,
    LoggedIn(s): LoggedIn,
    Query(q): Query<ChallengeQuery>,
    body: axum::body::Bytes,
) -> ScriptAnswer {
    let result = async {
        let proven = prove(&state, &q.challenge, &format!("bind:{}", s.user.id), &body).await?;
        bind(&state, &s.user, &proven, &client).await
    }
    .await;
    ScriptAnswer::of(&t, result, "/account?bound=1".to_owned())
}

/// `POST /account/demo-bind`: with `serve --demo` only, binds a development key issued for
/// this person, with a demo IIN of their own.
pub(crate) async fn demo_bind(
    State(state): State<AppState>,
    client: Client,
    LoggedIn(s): LoggedIn,
    Form(_): Form<crate::shared::signing::NoFields>,
) -> Result<Response, PageError> {
    if !state.demo {
        return Err(PageError::not_found());
    }
    let purpose = format!("bind:{}", s.user.id);
    let (id, content) = challenge(&state, &purpose).await?;
    let digest = docs::sha256_hex(s.user.id.as_bytes());
    let n = u64::from_str_radix(&digest[..8], 16).unwrap_or(0) % 50_000;
    let person = User { iin: Some(sim::demo::demo_iin(800_000 + n)), ..s.user.clone() };
    let signature = crate::shared::signing::demo_signature(&state, &person, None, content.as_bytes())?;
    let proven = prove(&state, &id, &purpose, &signature).await?;
    bind(&state, &s.user, &proven, &client).await?;
    Ok(Redirect::to("/account?bound=1").into_response())
}
