//! The akimat's authorised person signs its results (Rules §13): the certificate (App.3), a
//! duplicate, the reasoned refusal.
//!
//! An akimat whose administrator named an authorised person has each result's documents kept
//! with an empty signature in that person's name; the person signs each PDF with their own
//! EDS through NCALayer (the case page's box) or through the API, and the signature is
//! verified against the national CA's roots and must name the IIN their account proved. An
//! akimat without one signs on the server with its information system's key
//! (`DATA/pki/akimat-CODE.*`, or the service's `signer.*`). The document says which kind it
//! carries ([`docs::SignedWith`]). Which applies to a result is what was in force when the
//! result was given, so naming a person later never leaves old results unsigned.

use std::sync::Arc;

use axum::http::StatusCode;
use docs::pdf::Lang as FormLang;
use rules::case::{Outcome, State as CaseState};
use store::{Store, StoreError, User};

use crate::edge::AppState;
use crate::edge::error::{Fault, PageError, Said};
use crate::edge::i18n::Tr;
use crate::shared::documents::{CaseDoc, DocumentError};

/// One document of a case's result in one language.
pub(crate) struct ResultDoc {
    pub(crate) lang: FormLang,
    pub(crate) doc: store::SignedDocument,
    /// Where the PDF is downloaded.
    pub(crate) href: String,
}

fn document_error(e: DocumentError) -> PageError {
    match e {
        DocumentError::Store(e) => e.into(),
        e => PageError::ours(StatusCode::INTERNAL_SERVER_ERROR, &e),
    }
}

/// The documents of `case`'s result, in Kazakh and Russian, as kept (made now the first time):
/// the refusal, or the certificate (the duplicate) the case gave. Empty while there is none.
pub(crate) async fn result_documents(
    state: &AppState,
    office: &Arc<docs::Office>,
    case: &rules::Case,
) -> Result<Vec<ResultDoc>, PageError> {
    let store = &state.store;
    let mut out = Vec::new();
    for lang in [FormLang::Kk, FormLang::Ru] {
        let made = match (case.state, &case.outcome) {
            (CaseState::Refused, _) => {
                let href = format!("/cases/{}/files/refusal-{}.pdf", case.number, lang.tag());
                crate::shared::documents::case_document(store, office, case, CaseDoc::Refusal, lang, 0)
                    .await
                    .map(|d| d.map(|d| (d, href)))
            }
            (CaseState::Completed, Some(o)) => {
                let (number, duplicate) = match o {
                    Outcome::Issued { certificate } | Outcome::Reissued { certificate, .. } => {
                        (certificate.number.clone(), false)
                    }
                    Outcome::Extended { number, .. } => (number.clone(), false),
                    Outcome::Duplicated { number, .. } => (number.clone(), true),
                };
                let Some(c) = store.certificate(&number).await? else { continue };
                let file = if duplicate { format!("duplicate-{}", lang.tag()) } else { lang.tag().to_owned() };
                let href = format!("/certificates/{number}/files/{file}.pdf");
                crate::shared::documents::certificate_document(
                    store,
                    office,
                    &state.public_url,
                    &c,
                    lang,
                    duplicate,
                    Some(0),
                )
                .await
                .map(|d| Some((d, href)))
            }
            _ => return Ok(Vec::new()),
        };
        if let Some((doc, href)) = made.map_err(document_error)? {
            out.push(ResultDoc { lang, doc, href });
        }
    }
    Ok(out)
}

fn problem(status: StatusCode, kind: &'static str, key: &'static str) -> PageError {
    PageError::of(Fault::new(status, kind, Said::Key(key)))
}

pub(crate) fn office_of(state: &AppState) -> Result<Arc<docs::Office>, PageError> {
    state.office.clone().ok_or_else(|| PageError::with(StatusCode::SERVICE_UNAVAILABLE, "signed-unavailable"))
}

/// Whether `user` is the authorised person of `akimat` now.
async fn is_authorised(store: &Store, user: &User, akimat: &str) -> Result<bool, StoreError> {
    Ok(user.role == rules::Role::Officer
        && user.akimat.as_deref() == Some(akimat)
        && store.authorised_signer(akimat).await?.is_some_and(|a| a.user.id == user.id))
}

/// Keeps `user`'s signature (DER, PEM or base64) over the `lang` document of `number`'s
/// result. `true` when it was new; `false` when that document was signed already.
pub(crate) async fn sign(
    state: &AppState,
    user: &User,
    number: &str,
    lang: &str,
    signature: &[u8],
) -> Result<bool, PageError> {
    let case = crate::edge::access::visible_case(&state.store, user, number).await?;
    let office = office_of(state)?;
    if !is_authorised(&state.store, user, &case.application.akimat).await? {
        return Err(problem(StatusCode::FORBIDDEN, "not-authorised", "result-not-authorised"));
    }
    let Some(iin) = &user.iin else {
        return Err(problem(StatusCode::FORBIDDEN, "no-eds", "result-bind-eds"));
    };
    let lang = FormLang::from_tag(lang).ok_or_else(PageError::not_found)?;
    let docs = result_documents(state, &office, &case).await?;
    let doc = docs.into_iter().find(|d| d.lang == lang).ok_or_else(|| {
        PageError::of(Fault::new(StatusCode::NOT_FOUND, "no-document", Said::Key("signed-no-document")))
    })?;
    if !doc.doc.signature.is_empty() {
        return Ok(false);
    }
    let der = crate::shared::signing::der_of(signature);
    let signed = office.verify(&der, &doc.doc.pdf).map_err(|e| crate::shared::signing::not_genuine(&e))?;
    if !signed.iins.iter().any(|i| *i == iin.to_string()) {
        return Err(problem(StatusCode::UNPROCESSABLE_ENTITY, "not-your-key", "result-not-your-key"));
    }
    let new = state
        .store
        .sign_kept_document(&doc.doc, &der, &signed.signers.join(", "), jiff::Timestamp::now().as_millisecond())
        .await?;
    settle(state, &office, &case).await?;
    Ok(new)
}

/// Marks the case's result signed once every document of it carries a signature, so it
/// leaves the authorised person's list.
async fn settle(state: &AppState, office: &Arc<docs::Office>, case: &rules::Case) -> Result<(), PageError> {
    let docs = result_documents(state, office, case).await?;
    if !docs.is_empty() && docs.iter().all(|d| !d.doc.signature.is_empty()) {
        state.store.mark_result_signed(&case.number.to_string(), jiff::Timestamp::now().as_millisecond()).await?;
    }
    Ok(())
}

/// A result's document for the authorised person to sign on the case page.
pub(crate) struct ResultBox {
    /// Which document, in the reader's language.
    pub(crate) label: String,
    /// Its language's tag, in the form's address.
    pub(crate) lang: &'static str,
    /// Where to read it before signing.
    pub(crate) href: String,
    /// The signing box over its PDF.
    pub(crate) eds: crate::shared::signing::EdsBox,
}

/// What the case page shows of the result's signature: the boxes for the authorised person,
/// and for everyone whose name is awaited while a document is unsigned.
#[derive(Default)]
pub(crate) struct ResultView {
    pub(crate) boxes: Vec<ResultBox>,
    pub(crate) awaiting: Option<String>,
}

/// The result's signature on `case`'s page for `user`.
pub(crate) async fn view(state: &AppState, t: &Tr, user: &User, case: &rules::Case) -> Result<ResultView, PageError> {
    let Some(office) = state.office.clone() else { return Ok(ResultView::default()) };
    if !matches!(case.state, CaseState::Completed | CaseState::Refused) {
        return Ok(ResultView::default());
    }
    // An akimat that signs with its system key has nothing to await: its documents are made
    // and signed when first asked for, not on every view of the case.
    if state.store.authorised_signer(&case.application.akimat).await?.is_none() {
        return Ok(ResultView::default());
    }
    let docs = result_documents(state, &office, case).await?;
    let unsigned: Vec<ResultDoc> = docs.into_iter().filter(|d| d.doc.signature.is_empty()).collect();
    if unsigned.is_empty() {
        settle(state, &office, case).await?;
        return Ok(ResultView::default());
    }
    let awaiting = Some(t.ta("signed-awaiting-authorised", &[("signer", unsigned[0].doc.signer.clone())]));
    if !is_authorised(&state.store, user, &case.application.akimat).await? {
        return Ok(ResultView { boxes: Vec::new(), awaiting });
    }
    let what = if case.state == CaseState::Refused { "signed-refusal" } else { "result-certificate" };
    let boxes = unsigned
        .into_iter()
        .map(|d| ResultBox {
            label: t.ta(what, &[("lang", d.lang.tag().to_owned())]),
            lang: d.lang.tag(),
            href: d.href,
            eds: crate::shared::signing::EdsBox::new(
                &d.doc.pdf,
                format!("/cases/{}/result/{}/signature", case.number, d.lang.tag()),
            ),
        })
        .collect();
    Ok(ResultView { boxes, awaiting })
}

/// The cases whose results `user`, as their akimat's authorised person, has still to sign,
/// oldest first; empty for anyone else.
pub(crate) async fn to_sign(state: &AppState, user: &User) -> Result<Vec<String>, StoreError> {
    let Some(akimat) = user.akimat.as_deref().filter(|_| user.role == rules::Role::Officer) else {
        return Ok(Vec::new());
    };
    match state.store.authorised_signer(akimat).await? {
        Some(a) if a.user.id == user.id => state.store.results_to_sign(akimat, a.since_ms, 100).await,
        _ => Ok(Vec::new()),
    }
}

// ---------------------------------------------------------------- pages

// ---------------------------------------------------------------- API
