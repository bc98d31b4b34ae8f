//! Login by password, logout; entering by EDS is `identity`.

use askama::Template;
use axum::extract::{Extension, Query, State};
use axum::http::StatusCode;
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::edge::AppState;
use crate::edge::auth::{self, LoggedIn, MaybeSession, Verdict};
use crate::edge::csrf::CsrfToken;
use crate::edge::error::PageError;
use crate::edge::forms::{Form, FormSpec};
use crate::edge::i18n::Tr;
use crate::edge::passwords;
use crate::edge::session;
use crate::edge::session::Client;
use crate::edge::view::{Who, render};
use store::Ending;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    t: Tr,
    who: Who,
    path: &'static str,
    login: String,
    next: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct NextQuery {
    next: Option<String>,
}

pub(crate) async fn login(
    t: Tr,
    MaybeSession(s): MaybeSession,
    Extension(CsrfToken(csrf)): Extension<CsrfToken>,
    Query(q): Query<NextQuery>,
) -> Result<Response, PageError> {
    let mut who = Who::from(s);
    who.csrf = csrf;
    Ok(render(&LoginPage {
        t,
        who,
        path: "/login",
        login: String::new(),
        next: q.next.unwrap_or_default(),
        error: None,
    }))
}

#[derive(Deserialize)]
pub(crate) struct LoginForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

impl FormSpec for LoginForm {}

pub(crate) async fn login_post(
    State(state): State<AppState>,
    t: Tr,
    client: Client,
    Extension(CsrfToken(csrf)): Extension<CsrfToken>,
    Form(f): Form<LoginForm>,
) -> Result<Response, PageError> {
    let login = f.login.trim().to_owned();
    let (status, error, wait) = match auth::authenticate(&state, &login, f.password, &client).await? {
        Verdict::Admitted(user) => return auth::start_session(&state, &user, &f.next, &client).await,
        Verdict::Refused => (StatusCode::UNAUTHORIZED, t.t("login-failed"), None),
        Verdict::Disabled => (StatusCode::FORBIDDEN, t.t("login-disabled"), None),
        Verdict::Throttled(wait) => {
            let fault = crate::edge::error::Fault::throttled(wait);
            (fault.status, fault.message(&t), fault.retry_after)
        }
    };
    tracing::info!(status = status.as_u16(), "login refused");
    let who = Who::anonymous(csrf);
    // The form is shown again with what was typed, so the fault is answered here, not by
    // the error page; it still says when to try again.
    let page = LoginPage { error: Some(error), t, who, path: "/login", login, next: f.next };
    let mut response = (status, render(&page)).into_response();
    if let Some(seconds) = wait {
        response.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from(seconds));
    }
    Ok(response)
}

/// Ends the session. The CSRF guard has checked the form's token.
pub(crate) async fn logout(State(state): State<AppState>, LoggedIn(s): LoggedIn) -> Result<Response, PageError> {
    state.store.delete_session(&s.id).await?;
    Ok(logged_out())
}

fn logged_out() -> Response {
    let mut r = Redirect::to("/").into_response();
    r.headers_mut().append(SET_COOKIE, session::session_clear_cookie());
    r
}

// ---------------------------------------------------------------- password and sessions

/// A new password, and the present one if the account has one.
#[derive(Deserialize)]
pub(crate) struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    repeat: String,
}

impl FormSpec for PasswordForm {}

/// `POST /account/password`: sets or changes one's own password. Changing it needs the present
/// one (tries count against the login's limit), and ends every other session of the account.
pub(crate) async fn change_password(
    State(state): State<AppState>,
    t: Tr,
    client: Client,
    LoggedIn(s): LoggedIn,
    Form(f): Form<PasswordForm>,
) -> Result<Response, PageError> {
    let Some(account) = state.store.account(&s.user.id).await? else { return Err(PageError::not_found()) };
    let had = !account.password_hash.is_empty();
    let refuse = |status, message| {
        crate::pages::identity::account_page(&state, t.clone(), s.clone(), None, Some(message), status)
    };
    if had {
        // The person is logged in on this browser: only this address's failures slow them.
        let now = jiff::Timestamp::now().as_millisecond();
        if let Err(wait) = state.limiter.guesses.check(client.address(), &s.user.login, true, now) {
            let message = t.ta("login-throttled", &[("minutes", wait.div_ceil(60).to_string())]);
            return refuse(StatusCode::TOO_MANY_REQUESTS, message).await;
        }
        if !auth::check_password(f.current, Some(account.password_hash)).await? {
            state.limiter.guesses.failed(client.address(), &s.user.login, now);
            return refuse(StatusCode::UNPROCESSABLE_ENTITY, t.t("account-password-wrong")).await;
        }
    }
    let iin = s.user.iin.as_ref().map(ToString::to_string);
    if let Some(key) = passwords::problem(&f.new, &s.user.login, iin.as_deref(), &s.user.name) {
        let message = t.ta(key, &[("min", passwords::MIN_CHARS.to_string())]);
        return refuse(StatusCode::UNPROCESSABLE_ENTITY, message).await;
    }
    if f.new != f.repeat {
        return refuse(StatusCode::UNPROCESSABLE_ENTITY, t.t("account-password-mismatch")).await;
    }
    let hash = auth::hash_password_blocking(f.new).await?;
    let action = if had { "password-changed" } else { "password-set" };
    let e = crate::edge::audit_log::entry(Some(&s.user), action, Some(&s.user.id), "", &client)?;
    state.store.set_password(&s.user.id, &hash, Some(s.handle()), &e).await?;
    Ok(Redirect::to("/account?done=password").into_response())
}

/// Which sessions to end.
#[derive(Deserialize)]
#[serde(tag = "end", rename_all = "kebab-case")]
pub(crate) enum EndForm {
    /// One, by its handle (this one logs out).
    One {
        #[serde(default)]
        handle: String,
    },
    /// Every one but this.
    Others,
    /// Every one, this one too: "log out everywhere".
    All,
}

impl FormSpec for EndForm {}

/// `POST /account/sessions`: ends one's own sessions.
pub(crate) async fn end_sessions(
    State(state): State<AppState>,
    client: Client,
    LoggedIn(s): LoggedIn,
    Form(f): Form<EndForm>,
) -> Result<Response, PageError> {
    let own = s.handle().to_owned();
    let (which, out) = match &f {
        EndForm::One { handle } => (Ending::One(handle), *handle == own),
        EndForm::Others => (Ending::AllBut(&own), false),
        EndForm::All => (Ending::All, true),
    };
    let e = crate::edge::audit_log::entry(Some(&s.user), "sessions-ended", Some(&s.user.id), "", &client)?;
    state.store.end_sessions(&s.user.id, which, &e).await?;
    Ok(if out { logged_out() } else { Redirect::to("/account?done=sessions").into_response() })
}

#[derive(Deserialize)]
pub(crate) struct NoticesForm {
    #[serde(default)]
    email: String,
    lang: rules::Lang,
}

impl FormSpec for NoticesForm {}

/// `POST /account/notices`: where a person's notices go by mail (none: the inbox only) and in
/// which language. Only a proven IIN has notices.
pub(crate) async fn set_notices(
    State(state): State<AppState>,
    t: Tr,
    LoggedIn(s): LoggedIn,
    Form(f): Form<NoticesForm>,
) -> Result<Response, PageError> {
    let Some(key) = crate::shared::notices::contact_key(&s.user) else { return Err(PageError::forbidden()) };
    let Ok(email) = crate::edge::forms::email(&f.email) else {
        let message = t.t("account-notices-bad-email");
        return crate::pages::identity::account_page(
            &state,
            t,
            s,
            None,
            Some(message),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    state.store.set_contact(&key, email, f.lang.tag()).await?;
    Ok(Redirect::to("/account?done=notices#notices").into_response())
}
