//! Signing with a development key on the case page (`serve --demo` only): the application,
//! the minutes and the result, each through the same verification as an EDS, and the case
//! page again with the failure said when it fails.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};

use crate::edge::AppState;
use crate::edge::auth::LoggedIn;
use crate::edge::error::PageError;
use crate::edge::i18n::Tr;

/// `POST /cases/{n}/application/demo-sign`: with `serve --demo` only, signs with the person's
/// development key through the same verification as an EDS.
pub(crate) async fn application(
    State(state): State<AppState>,
    t: Tr,
    LoggedIn(s): LoggedIn,
    Path(number): Path<String>,
    crate::edge::forms::Form(_): crate::edge::forms::Form<crate::shared::signing::NoFields>,
) -> Result<Response, PageError> {
    let case = crate::edge::access::visible_case(&state.store, &s.user, &number).await?;
    let signature = crate::shared::signing::demo_signature(
        &state,
        &s.user,
        None,
        crate::shared::application::canonical_application(&case).as_bytes(),
    )?;
    let signed = crate::shared::application::sign(&state, &s.user, &number, &signature).await;
    let next = format!("/cases/{number}?application-signed=1");
    Ok(answer(&state, t, s, &number, signed, next).await)
}

/// `POST /cases/{n}/result/{lang}/demo-sign`: with `serve --demo` only, signs with the
/// authorised person's development key through the same verification as an EDS.
pub(crate) async fn result(
    State(state): State<AppState>,
    t: Tr,
    LoggedIn(s): LoggedIn,
    Path((number, lang)): Path<(String, String)>,
    crate::edge::forms::Form(_): crate::edge::forms::Form<crate::shared::signing::NoFields>,
) -> Result<Response, PageError> {
    let case = crate::edge::access::visible_case(&state.store, &s.user, &number).await?;
    let form_lang = docs::pdf::Lang::from_tag(&lang).ok_or_else(PageError::not_found)?;
    let office = crate::shared::authorised::office_of(&state)?;
    let docs = crate::shared::authorised::result_documents(&state, &office, &case).await?;
    let doc = docs.into_iter().find(|d| d.lang == form_lang).ok_or_else(PageError::not_found)?;
    let signature = crate::shared::signing::demo_signature(&state, &s.user, None, &doc.doc.pdf)?;
    let signed = crate::shared::authorised::sign(&state, &s.user, &number, &lang, &signature).await;
    Ok(answer(&state, t, s, &number, signed, format!("/cases/{number}?result-signed=1")).await)
}

/// `POST /cases/{n}/minutes/demo-sign`: with `serve --demo` only, signs with the member's
/// development GOST key (`qualcert pki init --gost`) through the same verification as an EDS.
pub(crate) async fn minutes(
    State(state): State<AppState>,
    t: Tr,
    LoggedIn(s): LoggedIn,
    Path(number): Path<String>,
    crate::edge::forms::Form(_): crate::edge::forms::Form<crate::shared::signing::NoFields>,
) -> Result<Response, PageError> {
    crate::edge::access::visible_case(&state.store, &s.user, &number).await?;
    let (draft, _) = crate::shared::minutes::draft_of(&state, &number).await?;
    let signature = crate::shared::signing::demo_signature(&state, &s.user, None, draft.content.as_bytes())?;
    let signed = crate::shared::minutes::sign(&state, &s.user, &number, &signature).await;
    Ok(answer(&state, t, s, &number, signed, format!("/cases/{number}?signed=1")).await)
}

/// The answer to a demo-key form: on to `next`, or the case page again with the failure said.
async fn answer<T>(
    state: &AppState,
    t: Tr,
    s: crate::edge::session::Session,
    number: &str,
    signed: Result<T, PageError>,
    next: String,
) -> Response {
    match signed {
        Ok(_) => axum::response::Redirect::to(&next).into_response(),
        Err(e) => {
            let message = e.0.message(&t);
            crate::pages::case::show_case(
                state,
                t,
                s,
                number,
                false,
                None,
                crate::pages::case::Kept::default().said(message),
            )
            .await
        }
    }
}
