//! Login, registration of applicants, logout.

use askama::Template;
use axum::extract::{Extension, Form, Query, State};
use axum::http::StatusCode;
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Redirect, Response};
use rules::ids::IdError;
use rules::{Iin, Role};
use serde::Deserialize;
use store::{StoreError, User};

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

/// One input of the registration form.
pub(crate) struct FieldView {
    name: &'static str,
    label: String,
    kind: &'static str,
    value: String,
    autocomplete: &'static str,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    t: Tr,
    who: Who,
    path: &'static str,
    fields: Vec<FieldView>,
}

fn register_page(t: Tr, csrf: String, f: &RegisterForm, errors: &[(&'static str, String)]) -> RegisterPage {
    let spec: [(&'static str, &str, &'static str, &str, &'static str); 6] = [
        ("iin", "register-iin", "text", &f.iin, "off"),
        ("surname", "register-surname", "text", &f.surname, "family-name"),
        ("given_name", "register-given-name", "text", &f.given_name, "given-name"),
        ("patronymic", "register-patronymic", "text", &f.patronymic, "additional-name"),
        ("password", "register-password", "password", "", "new-password"),
        ("password2", "register-password2", "password", "", "new-password"),
    ];
    let fields = spec
        .iter()
        .map(|(name, label, kind, value, autocomplete)| FieldView {
            name,
            label: t.t(label),
            kind,
            value: (*value).to_owned(),
            autocomplete,
            error: errors.iter().find(|(n, _)| n == name).map(|(_, e)| e.clone()),
        })
        .collect();
    let who = Who::anonymous(csrf);
    RegisterPage { t, who, path: "/register", fields }
}

#[derive(Deserialize, Default, Clone)]
pub(crate) struct RegisterForm {
    #[serde(default)]
    iin: String,
    #[serde(default)]
    surname: String,
    #[serde(default)]
    given_name: String,
    #[serde(default)]
    patronymic: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password2: String,
}

pub(crate) async fn register(t: Tr, Extension(CsrfToken(csrf)): Extension<CsrfToken>) -> Response {
    render(&register_page(t, csrf, &RegisterForm::default(), &[]))
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

pub(crate) async fn register_post(
    State(state): State<AppState>,
    t: Tr,
    Extension(CsrfToken(csrf)): Extension<CsrfToken>,
    Form(f): Form<RegisterForm>,
) -> Result<Response, PageError> {
    let mut errors = Vec::new();
    let iin = match Iin::parse(&f.iin) {
        Ok(i) => Some(i),
        Err(e) => {
            errors.push(("iin", id_error(&t, &e)));
            None
        }
    };
    if f.surname.trim().is_empty() {
        errors.push(("surname", t.t("error-required")));
    }
    if f.given_name.trim().is_empty() {
        errors.push(("given_name", t.t("error-required")));
    }
    if f.password.chars().count() < 8 {
        errors.push(("password", t.t("register-password-short")));
    } else if f.password != f.password2 {
        errors.push(("password2", t.t("register-password-mismatch")));
    }
    let (Some(iin), true) = (iin, errors.is_empty()) else {
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&register_page(t, csrf, &f, &errors))).into_response());
    };
    let name = [f.surname.trim(), f.given_name.trim(), f.patronymic.trim()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    let id = format!("u-{}", &auth::token().map_err(|e| PageError::ours(StatusCode::SERVICE_UNAVAILABLE, &e))?[..16]);
    let user = User { id, login: iin.to_string(), role: Role::Applicant, akimat: None, iin: Some(iin), name };
    let hash = auth::hash_password_blocking(f.password.clone()).await?;
    match state.store.create_user(&user, &hash, jiff::Timestamp::now().as_millisecond()).await {
        Ok(()) => auth::start_session(&state, &user, "/cabinet").await,
        Err(StoreError::Duplicate(_)) => {
            let errors = vec![("iin", t.t("register-taken"))];
            Ok((StatusCode::CONFLICT, render(&register_page(t, csrf, &f, &errors))).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
