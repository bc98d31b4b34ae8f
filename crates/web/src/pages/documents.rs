//! Signed documents on the pages: a certificate's and a case's PDFs with their signatures, the
//! trust roots, and the verification page's check of an uploaded document and signature.

use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::edge::AppState;
use crate::edge::auth::{LoggedIn, MaybeSession};
use crate::edge::error::{Fault, PageError, Said};
use crate::edge::i18n::Tr;
use crate::edge::view::render;
use crate::pages::common::unreadable;
use crate::pages::public::VerifyPage;
use crate::shared::documents::{
    CaseDoc, CaseFile, case_document, certificate_download, certificate_of, check, serve, unavailable,
};

/// `GET /certificates/{number}/files/{name}`: the certificate's PDF or its signature, for the
/// holder and the akimat's staff (as the certificate page).
pub(crate) async fn certificate_file(
    State(state): State<AppState>,
    LoggedIn(s): LoggedIn,
    Path((number, name)): Path<(String, String)>,
) -> Result<Response, PageError> {
    certificate_download(&state, &s.user, &number, &name).await
}

/// `GET /cases/{number}/files/{name}`: the application, the minutes with a signature per
/// member present, the reasoned refusal with the authorised person's signature; for whoever
/// may see the case.
pub(crate) async fn case_file(
    State(state): State<AppState>,
    LoggedIn(s): LoggedIn,
    Path((number, name)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let office = state.office.clone().ok_or_else(unavailable)?;
    let not_found = |key| PageError::of(Fault::new(StatusCode::NOT_FOUND, "not-found", Said::Key(key)));
    let file = CaseFile::parse(&name).ok_or_else(|| not_found("signed-no-document"))?;
    let number: rules::numbers::CaseNumber = number.parse().map_err(|_| not_found("error-not-found"))?;
    let case = match state.store.case(&number).await? {
        Some(c) if crate::edge::access::case(&s.user, &c) => c,
        _ => return Err(not_found("error-not-found")),
    };
    if file.doc == CaseDoc::Application && file.signature.is_some() {
        return Err(not_found("signed-applicant-signs"));
    }
    let made = case_document(&state.store, &office, &case, file.doc, file.lang, file.signature.unwrap_or(0)).await;
    let hold_unsigned = s.user.role == rules::Role::Applicant && file.doc == CaseDoc::Refusal;
    match made {
        Ok(None) => Err(not_found("signed-no-document")),
        Ok(Some(doc)) if file.signature.is_some() && doc.signature.is_empty() && file.doc == CaseDoc::Minutes => {
            Err(PageError::of(Fault::new(
                StatusCode::NOT_FOUND,
                "not-found",
                Said::KeyWith("signed-awaiting", vec![("member", doc.signer)]),
            )))
        }
        Ok(Some(doc)) => serve(Ok(doc), file.signature, &format!("{}-{name}", case.number), hold_unsigned),
        Err(e) => serve(Err(e), file.signature, &name, hold_unsigned),
    }
}

/// `GET /pki/ca.pem`: the trust roots, so anyone can run `openssl cms -verify` themselves.
pub(crate) async fn roots(State(state): State<AppState>) -> Result<Response, PageError> {
    let office = state.office.as_ref().ok_or_else(unavailable)?;
    Ok(([(header::CONTENT_TYPE, "application/x-pem-file")], office.roots_pem().to_vec()).into_response())
}

/// `POST /verify` (multipart `document`, `signature`): the check of an uploaded PDF and its
/// `.p7s` on the verification page.
pub(crate) async fn verify_upload(
    State(state): State<AppState>,
    t: Tr,
    MaybeSession(s): MaybeSession,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    let (mut document, mut signature) = (Vec::new(), Vec::new());
    // A body that breaks off or is over the limit is said as such, not as files left out.
    while let Some(field) = multipart.next_field().await.map_err(|e| unreadable(e.status()))? {
        let name = field.name().unwrap_or_default().to_owned();
        let bytes = field.bytes().await.map_err(|e| unreadable(e.status()))?;
        match name.as_str() {
            "document" => document = bytes.to_vec(),
            "signature" => signature = bytes.to_vec(),
            _ => {}
        }
    }
    let result = check(&state, &t, &document, &signature).await;
    let code = if result.genuine { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let certificate = if result.genuine { certificate_of(&state, &t, &document).await } else { None };
    let mut page = VerifyPage::new(&state, t, s.into());
    if let Some(c) = certificate {
        page.number.clone_from(&c.number);
        page.result = Some(crate::pages::public::VerifyView::of(&page.t, c, None));
    }
    page.signature = Some(result);
    Ok((code, render(&page)).into_response())
}
