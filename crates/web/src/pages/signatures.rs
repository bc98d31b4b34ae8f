//! Signatures made on the pages: the page script posts the CMS that NCALayer made over the
//! application, the minutes or a result, and is answered in plain text in the person's
//! language; the minutes' own files for whoever may see the case.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::edge::AppState;
use crate::edge::auth::LoggedIn;
use crate::edge::error::{PageError, ScriptAnswer};
use crate::edge::i18n::Tr;
use crate::shared::{application, authorised, minutes};

/// `POST /cases/{n}/application/signature`: the page script posts the CMS NCALayer made; the
/// answer is plain text for the script: where to go next, or what failed, in the person's
/// language.
pub(crate) async fn application_signature(
    State(state): State<AppState>,
    t: Tr,
    LoggedIn(s): LoggedIn,
    Path(number): Path<String>,
    body: Bytes,
) -> ScriptAnswer {
    let signed = application::sign(&state, &s.user, &number, &body).await;
    ScriptAnswer::of(&t, signed, format!("/cases/{number}?application-signed=1"))
}

/// `POST /cases/{n}/result/{lang}/signature`: the page script posts the CMS NCALayer made over
/// the PDF (base64, with the `X-CSRF-Token` header); the answer is plain text in the person's
/// language.
pub(crate) async fn result_signature(
    State(state): State<AppState>,
    t: Tr,
    LoggedIn(s): LoggedIn,
    Path((number, lang)): Path<(String, String)>,
    body: Bytes,
) -> ScriptAnswer {
    let signed = authorised::sign(&state, &s.user, &number, &lang, &body).await;
    ScriptAnswer::of(&t, signed, format!("/cases/{number}?result-signed=1"))
}

/// `POST /cases/{n}/minutes/signature`: the page script posts the CMS that NCALayer made
/// (base64, with the `X-CSRF-Token` header). The answer is plain text in the person's
/// language, for the script to show: where to go next, or what failed.
pub(crate) async fn minutes_signature(
    State(state): State<AppState>,
    t: Tr,
    LoggedIn(s): LoggedIn,
    Path(number): Path<String>,
    body: Bytes,
) -> ScriptAnswer {
    let signed = minutes::sign(&state, &s.user, &number, &body).await;
    ScriptAnswer::of(&t, signed, format!("/cases/{number}?signed=1"))
}

/// `GET /cases/{n}/minutes/{file}`: `record.json`, the bytes signed, and `{member}.p7s`, a
/// member's signature over them, to whoever may see the case.
pub(crate) async fn minutes_file(
    State(state): State<AppState>,
    LoggedIn(s): LoggedIn,
    Path((number, name)): Path<(String, String)>,
) -> Result<Response, PageError> {
    crate::edge::access::visible_case(&state.store, &s.user, &number).await?;
    let (draft, _) = minutes::draft_of(&state, &number).await?;
    let attachment = |file: String| format!("attachment; filename=\"{file}\"");
    if name == "record.json" {
        let file = attachment(format!("{number}-minutes.json"));
        return Ok((
            [(header::CONTENT_TYPE, "application/json".to_owned()), (header::CONTENT_DISPOSITION, file)],
            minutes::record_for(&s.user, draft.content),
        )
            .into_response());
    }
    let member = name.strip_suffix(".p7s").ok_or_else(PageError::not_found)?;
    let signature = draft.signed_by(member).ok_or_else(PageError::not_found)?;
    let file = attachment(format!("{number}-minutes.json.{member}.p7s"));
    Ok((
        [(header::CONTENT_TYPE, "application/pkcs7-signature".to_owned()), (header::CONTENT_DISPOSITION, file)],
        signature.signature.clone(),
    )
        .into_response())
}
