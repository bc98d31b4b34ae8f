//! Login by password, logout; entering by EDS is `identity`.

use askama::Template;
use axum::extract::{Extension, Form, Query, State};
use axum::http::StatusCode;
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Redirect, Response};
use rules::ids::IdError;
use serde::Deserialize;

use crate::AppState;
use crate::auth::{self, LoggedIn, MaybeSession};
use crate::csrf::CsrfToken;
use crate::error::PageError;
use crate::i18n::Tr;
use crate::pages::{Who, render};

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
) -> Response {
    let mut who = Who::from(s);
    who.csrf = csrf;
    render(&LoginPage { t, who, path: "/login", login: String::new(), next: q.next.unwrap_or_default(), error: None })
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

pub(crate) async fn login_post(
    State(state): State<AppState>,
    t: Tr,
    Extension(CsrfToken(csrf)): Extension<CsrfToken>,
    Form(f): Form<LoginForm>,
) -> Result<Response, PageError> {
    let login = f.login.trim().to_owned();
    if let Some(user) = auth::authenticate(&state, &login, f.password).await? {
        return auth::start_session(&state, &user, &f.next).await;
    }
    tracing::info!("login refused");
    let who = Who::anonymous(csrf);
    let page = LoginPage { error: Some(t.t("login-failed")), t, who, path: "/login", login, next: f.next };
    Ok((StatusCode::UNAUTHORIZED, render(&page)).into_response())
}

/// Ends the session. The CSRF guard has checked the form's token.
pub(crate) async fn logout(State(state): State<AppState>, LoggedIn(s): LoggedIn) -> Result<Response, PageError> {
    state.store.delete_session(&s.id).await?;
    let mut r = Redirect::to("/").into_response();
    r.headers_mut().append(SET_COOKIE, auth::session_clear_cookie());
    Ok(r)
}

/// An identifier error in the person's language: which check failed.
pub(crate) fn id_error(t: &Tr, e: &IdError) -> String {
    let args: Vec<(&'static str, String)> = match e {
        IdError::Length { found } => vec![("found", found.to_string())],
        IdError::NotDigit { position, found } => vec![("position", position.to_string()), ("found", found.to_string())],
        IdError::CheckDigit { expected, found } => {
            vec![("expected", expected.to_string()), ("found", found.to_string())]
        }
        IdError::CenturyDigit { digit } | IdError::EntityType { digit } | IdError::Attribute { digit } => {
            vec![("digit", digit.to_string())]
        }
        _ => vec![],
    };
    t.ta(e.code(), &args)
}
