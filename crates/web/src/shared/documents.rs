//! Signed documents on the web: the certificate (App.3) as a PDF with its detached CMS
//! signature for the holder and the akimat's staff, the trust roots for anyone, and the check
//! of an uploaded document and signature, on the verification page and in the API.
//!
//! A certificate's PDF is typeset from the registry when asked for, in Kazakh or Russian. The
//! same registry state always gives the same bytes, so the PDF and its `.p7s`, fetched one
//! after the other, belong together; after an extension both show the new validity.

use std::sync::Arc;

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use docs::pdf::{CertificateDoc, Lang as FormLang};

use crate::edge::AppState;
use crate::edge::error::{Fault, PageError, Said};
use crate::edge::i18n::Tr;

/// What a file name under `/certificates/{number}/files/` asks for: `kk.pdf`, `ru.pdf.p7s`,
/// `duplicate-kk.pdf` and so on.
#[derive(Debug, PartialEq, Eq)]
struct FileName {
    lang: FormLang,
    duplicate: bool,
    signature: bool,
}

impl FileName {
    fn parse(name: &str) -> Option<FileName> {
        let (name, signature) = match name.strip_suffix(".p7s") {
            Some(n) => (n, true),
            None => (name, false),
        };
        let name = name.strip_suffix(".pdf")?;
        let (name, duplicate) = match name.strip_prefix("duplicate-") {
            Some(n) => (n, true),
            None => (name, false),
        };
        Some(FileName { lang: FormLang::from_tag(name)?, duplicate, signature })
    }
}

/// A certificate's file for `user`, or why not.
pub(crate) async fn certificate_download(
    state: &AppState,
    user: &store::User,
    number: &str,
    name: &str,
) -> Result<Response, PageError> {
    let office =
        state.office.clone().ok_or_else(|| PageError::with(StatusCode::SERVICE_UNAVAILABLE, "signed-unavailable"))?;
    let not_found = || PageError::of(Fault::new(StatusCode::NOT_FOUND, "no-document", Said::Key("verify-not-genuine")));
    let file = FileName::parse(name).ok_or_else(not_found)?;
    let number: rules::numbers::CertificateNumber = number.parse().map_err(|_| not_found())?;
    let c = match state.store.certificate(&number).await? {
        Some(c) if crate::edge::access::certificate(user, &c) => c,
        _ => return Err(not_found()),
    };
    crate::edge::access::seen(&state.store, user, &format!("certificate/{number}"), &[c.holder.iin.to_string()]);
    if file.duplicate && c.duplicates.is_empty() {
        let basis = rules::Citation::new("Rules §22-1");
        return Err(PageError::of(Fault::new(
            StatusCode::NOT_FOUND,
            "no-document",
            Said::Cited("signed-no-duplicate", vec![], basis),
        )));
    }
    let want = if file.signature { Some(0) } else { None };
    let made =
        certificate_document(&state.store, &office, &state.public_url, &c, file.lang, file.duplicate, want).await;
    serve(made, want, &format!("{}-{name}", c.number), user.role == rules::Role::Applicant)
}

/// A certificate's signed PDF (App.3) in `lang`, the original or the duplicate, as kept: made,
/// signed by the akimat's authorised person and kept the first time it is asked for, by the
/// service or by `qualcert certificate export`, so both hand out the same bytes.
pub async fn certificate_document(
    store: &store::Store,
    office: &Arc<docs::Office>,
    public_url: &str,
    c: &rules::certificate::Certificate,
    lang: FormLang,
    duplicate: bool,
    want: Option<usize>,
) -> Result<store::SignedDocument, DocumentError> {
    let number = c.number.to_string();
    // The result this document shows was given at the certificate's last issue, extension
    // or duplicate: who signs it is decided by what was in force then.
    let kinds: &[&str] = if duplicate { &["duplicate-issued"] } else { &["issued", "extended"] };
    let at = last_event_at(store, &format!("certificate/{number}"), kinds).await?;
    let (person, name) = who_signs(store, office, &c.akimat, at).await?;
    let url = office.verify_url(public_url, &number);
    let with = if person { docs::SignedWith::Person } else { docs::SignedWith::System };
    let doc = CertificateDoc::of(c, &store.reference().law, lang, name.clone(), with, url, duplicate);
    let variant = if duplicate { "duplicate" } else { "original" };
    let subject = format!("certificate/{number}/{variant}-{}", lang.tag());
    let (office, akimat) = (Arc::clone(office), c.akimat.clone());
    keep_or_make(store, subject, doc.fingerprint(lang), want.unwrap_or(0), move || {
        let pdf = doc.render(lang)?;
        let signature = result_signature(&office, &akimat, person, name, &pdf)?;
        Ok((pdf, vec![signature]))
    })
    .await
}

/// The signature a result's document is kept with: the information system's own, made now;
/// or, when the authorised person signs, an empty place with their name, which their EDS
/// fills (`authorised::sign`).
fn result_signature(
    office: &docs::Office,
    akimat: &str,
    person: bool,
    name: String,
    pdf: &[u8],
) -> Result<(Vec<u8>, String), docs::SignError> {
    if person {
        return Ok((Vec::new(), name));
    }
    let signer = office.signer(akimat);
    Ok((signer.sign(pdf)?, signer.common_name()))
}

/// When the last event of one of `kinds` happened on `stream`, ms since the epoch (0 when
/// none did).
async fn last_event_at(store: &store::Store, stream: &str, kinds: &[&str]) -> Result<i64, store::StoreError> {
    let events = store.stream(stream).await?;
    Ok(events.iter().rev().find(|e| kinds.contains(&e.kind.as_str())).map_or(0, |e| e.at_ms))
}

/// Why a signed document could not be had.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// Typesetting or signing failed.
    #[error("{0}")]
    Make(#[from] docs::SignError),
    /// The store failed.
    #[error("{0}")]
    Store(#[from] store::StoreError),
    /// No such signer of this document.
    #[error("no such signature")]
    NoSuchSigner,
}

/// A typeset PDF and its signatures, one per signer: (DER, signer's name).
type Made = Result<(Vec<u8>, Vec<(Vec<u8>, String)>), docs::SignError>;

/// A document the service made before, or made now (typesetting and signing off the async
/// threads) and kept durably: each document is typeset and signed once, and the same bytes
/// are handed out ever after. Returns the PDF with the signature of signer `index`.
async fn keep_or_make(
    store: &store::Store,
    subject: String,
    fingerprint: String,
    index: usize,
    make: impl FnOnce() -> Made + Send + 'static,
) -> Result<store::SignedDocument, DocumentError> {
    let index = index as i64;
    if let Some(doc) = store.signed_document(&subject, &fingerprint, index).await? {
        return Ok(doc);
    }
    let (pdf, signatures) = tokio::task::spawn_blocking(make)
        .await
        .map_err(|e| docs::SignError::Render(format!("the typesetting task failed: {e}")))??;
    let now = jiff::Timestamp::now().as_millisecond();
    store.keep_signed_document(&subject, &fingerprint, &pdf, &signatures, now).await?;
    // Another request may have kept the same document first: hand out what was kept.
    store.signed_document(&subject, &fingerprint, index).await?.ok_or(DocumentError::NoSuchSigner)
}

/// Answers a download: the PDF (`want` none) or that signature.
pub(crate) fn serve(
    made: Result<store::SignedDocument, DocumentError>,
    want: Option<usize>,
    file_name: &str,
    hold_unsigned: bool,
) -> Result<Response, PageError> {
    let no_document =
        || PageError::of(Fault::new(StatusCode::NOT_FOUND, "no-document", Said::Key("signed-no-document")));
    // A result's PDF says it is signed (`hold_unsigned`: a certificate or a refusal, for the
    // person it is for); until the authorised person has signed it (Rules §13), that person
    // is not handed a paper that says so. Staff may read it.
    match made {
        Ok(doc) => match want {
            None if !(hold_unsigned && doc.signature.is_empty()) => Ok(attachment(file_name, doc.pdf, None)),
            // The authorised person has not signed it yet (Rules §13).
            _ if doc.signature.is_empty() => Err(PageError::of(Fault::new(
                StatusCode::NOT_FOUND,
                "awaiting-signature",
                Said::KeyWith("signed-awaiting-authorised", vec![("signer", doc.signer)]),
            ))),
            Some(_) => Ok(attachment(file_name, doc.pdf, Some(doc.signature))),
            None => Ok(attachment(file_name, doc.pdf, None)),
        },
        Err(DocumentError::NoSuchSigner) => Err(no_document()),
        Err(DocumentError::Store(e)) => Err(e.into()),
        // Typesetting or signing failed: ours, logged under an error id.
        Err(e) => Err(PageError::ours(StatusCode::INTERNAL_SERVER_ERROR, &e)),
    }
}

/// The answer when no signing office is configured.
pub(crate) fn unavailable() -> PageError {
    PageError::with(StatusCode::SERVICE_UNAVAILABLE, "signed-unavailable")
}

/// The documents of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseDoc {
    /// The application (App.1).
    Application,
    /// The Commission's minutes.
    Minutes,
    /// The reasoned refusal.
    Refusal,
}

/// What a file name under `/cases/{number}/files/` asks for: `application-kk.pdf`,
/// `minutes-ru.pdf`, `minutes-ru.pdf.2.p7s` (the third member present), `refusal-kk.pdf.p7s`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct CaseFile {
    pub(crate) doc: CaseDoc,
    pub(crate) lang: FormLang,
    /// The signature wanted: `Some(0)` for a document with one signer; for the minutes, the
    /// index of the member present.
    pub(crate) signature: Option<usize>,
}

impl CaseFile {
    pub(crate) fn parse(name: &str) -> Option<CaseFile> {
        let (name, signature) = match name.strip_suffix(".p7s") {
            Some(rest) => match rest.rsplit_once('.') {
                Some((head, i)) if i.bytes().all(|b| b.is_ascii_digit()) && !i.is_empty() => {
                    (head, Some(i.parse().ok()?))
                }
                _ => (rest, Some(0)),
            },
            None => (name, None),
        };
        let (doc, lang) = name.strip_suffix(".pdf")?.split_once('-')?;
        let doc = match doc {
            "application" => CaseDoc::Application,
            "minutes" => CaseDoc::Minutes,
            "refusal" => CaseDoc::Refusal,
            _ => return None,
        };
        Some(CaseFile { doc, lang: FormLang::from_tag(lang)?, signature })
    }
}

/// When a case was refused: the moment, and the day on its akimat's calendar.
async fn refused_at(store: &store::Store, case: &rules::Case) -> Option<(i64, jiff::civil::Date)> {
    let events = store.stream(&format!("case/{}", case.number)).await.ok()?;
    let at_ms = events.iter().rev().find(|e| e.kind == "refused")?.at_ms;
    let at = jiff::Timestamp::from_millisecond(at_ms).ok()?;
    let zone = store.reference().hours.get(&case.application.akimat).map(|h| h.zone.clone())?;
    Some((at_ms, zone.to_datetime(at).date()))
}

/// A case's document (the application, the minutes, the refusal) in `lang` as kept, with the
/// signature of signer `index` (the minutes: the member present at that place); made, signed
/// and kept the first time it is asked for. `None` when the case has no such document or
/// signer.
pub async fn case_document(
    store: &store::Store,
    office: &Arc<docs::Office>,
    case: &rules::Case,
    doc: CaseDoc,
    lang: FormLang,
    index: usize,
) -> Result<Option<store::SignedDocument>, DocumentError> {
    let law = &store.reference().law;
    let akimat = case.application.akimat.clone();
    // Decisions record members by account; only the minutes need their names.
    let names = if doc == CaseDoc::Minutes { member_names(store, &akimat).await? } else { Default::default() };
    let mut refusal_signer = None;
    let (record, on) = match doc {
        CaseDoc::Application => {
            let number = case.number.to_string();
            let signed: Vec<(String, String)> = store
                .application_signatures(&number)
                .await?
                .into_iter()
                .map(|s| (s.signer, crate::edge::view::local_time(store, &akimat, s.created_ms)))
                .collect();
            (docs::forms::application(case, law, lang, &signed), case.received_on)
        }
        CaseDoc::Minutes => {
            let Some(d) = &case.decision else { return Ok(None) };
            if index > 0 {
                return Ok(None);
            }
            let Some(record) = docs::forms::minutes(case, law, lang, &names) else { return Ok(None) };
            (record, d.on)
        }
        CaseDoc::Refusal => {
            let Some((at, on)) = refused_at(store, case).await else { return Ok(None) };
            if index > 0 {
                return Ok(None);
            }
            let (person, name) = who_signs(store, office, &akimat, at).await?;
            let with = if person { docs::SignedWith::Person } else { docs::SignedWith::System };
            let Some(record) = docs::forms::refusal(case, law, lang, on, &name, with) else { return Ok(None) };
            refusal_signer = Some((person, name));
            (record, on)
        }
    };
    // The document's identity must not depend on whether its PDF or a signature was asked for.
    let ident = format!("qualcert-{}-{doc:?}-{lang:?}", case.number);
    let subject = format!("case/{}/{ident}", case.number);
    let office = Arc::clone(office);
    keep_or_make(store, subject, record.fingerprint(), index, move || {
        let pdf = record.render(&ident, on)?;
        let signatures = match doc {
            CaseDoc::Application => vec![(Vec::new(), String::new())],
            // The members sign the minutes' record with their own EDS before the decision
            // exists (`minutes`); this PDF is its rendering, signed by nobody on their behalf.
            CaseDoc::Minutes => vec![(Vec::new(), String::new())],
            CaseDoc::Refusal => {
                let (person, name) = refusal_signer.unwrap_or_default();
                vec![result_signature(&office, &akimat, person, name, &pdf)?]
            }
        };
        Ok((pdf, signatures))
    })
    .await
    .map(Some)
}

/// The names of an akimat's Commission members by account: decisions record accounts, the
/// minutes show names.
async fn member_names(
    store: &store::Store,
    akimat: &str,
) -> Result<std::collections::BTreeMap<String, String>, DocumentError> {
    Ok(store.commission_members(akimat).await?.into_iter().map(|u| (u.id, u.name)).collect())
}

/// A link to a document of a case and to each of its signatures, for the case page.
pub(crate) struct FileLink {
    /// What it is, in the reader's language.
    pub(crate) label: String,
    /// The PDF.
    pub(crate) href: String,
    /// Its signatures: (label, href).
    pub(crate) signatures: Vec<(String, String)>,
}

/// The documents of `case` there are to download, in Kazakh and Russian.
pub(crate) fn case_links(state: &AppState, t: &Tr, case: &rules::Case) -> Vec<FileLink> {
    if state.office.is_none() {
        return Vec::new();
    }
    let base = format!("/cases/{}/files", case.number);
    let mut links = Vec::new();
    for lang in ["kk", "ru"] {
        let l = || vec![("lang", lang.to_owned())];
        links.push(FileLink {
            label: t.ta("signed-application", &l()),
            href: format!("{base}/application-{lang}.pdf"),
            signatures: Vec::new(),
        });
        if case.decision.is_some() {
            links.push(FileLink {
                label: t.ta("signed-minutes", &l()),
                href: format!("{base}/minutes-{lang}.pdf"),
                signatures: Vec::new(),
            });
        }
        if case.state == rules::case::State::Refused {
            links.push(FileLink {
                label: t.ta("signed-refusal", &l()),
                href: format!("{base}/refusal-{lang}.pdf"),
                signatures: vec![(t.t("signed-p7s"), format!("{base}/refusal-{lang}.pdf.p7s"))],
            });
        }
    }
    links
}

/// A download: the signature when one was made, else the PDF.
fn attachment(file_name: &str, pdf: Vec<u8>, signature: Option<Vec<u8>>) -> Response {
    let disposition = format!("attachment; filename=\"{file_name}\"");
    match signature {
        Some(sig) => (
            [
                (header::CONTENT_TYPE, "application/pkcs7-signature".to_owned()),
                (header::CONTENT_DISPOSITION, disposition),
            ],
            sig,
        )
            .into_response(),
        None => {
            ([(header::CONTENT_TYPE, "application/pdf".to_owned()), (header::CONTENT_DISPOSITION, disposition)], pdf)
                .into_response()
        }
    }
}

/// Checks `signature` over `document` and says what was found, in the person's language. A
/// signature the service keeps (one it made, or received from a signer) is judged at the
/// instant its records say it was made or received, so a certificate stays verifiable after
/// the signing key's own expiry; any other is judged now. The signer's own signingTime is
/// never the instant (issue 30).
pub(crate) async fn check(state: &AppState, t: &Tr, document: &[u8], signature: &[u8]) -> SignatureCheck {
    let Some(office) = &state.office else {
        return SignatureCheck { genuine: false, signers: Vec::new(), message: t.t("signed-unavailable") };
    };
    if document.is_empty() || signature.is_empty() {
        return SignatureCheck { genuine: false, signers: Vec::new(), message: t.t("signed-both-files") };
    }
    let kept = match state.store.kept_signature_ms(&docs::sha256_hex(document), signature).await {
        Ok(ms) => ms.and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok()),
        Err(e) => {
            tracing::warn!(error = %e, "the kept signatures could not be read; judging now");
            None
        }
    };
    let verified = match kept {
        Some(at) => office.verify_at(signature, document, at),
        None => office.verify(signature, document),
    };
    match verified {
        Ok(signed) => SignatureCheck {
            genuine: true,
            // Only a key of the national CA is said to be one; a development CA (the demo's)
            // is named as what it is.
            message: t.ta(
                if signed.national { "signed-genuine" } else { "signed-genuine-local" },
                &[("signer", signed.signers.join(", "))],
            ),
            signers: signed.signers,
        },
        Err(e) => {
            // The verifier's own words go to the log; the person hears what failed.
            tracing::info!(cause = %e, "an uploaded signature did not verify");
            let message = match &e {
                docs::SignError::Rejected { why, .. } => t.t(&format!("signed-why-{}", why.name())),
                _ => t.t("signed-not-genuine"),
            };
            SignatureCheck { genuine: false, signers: Vec::new(), message }
        }
    }
}

/// The certificate a genuine PDF is, when the service made it: so whoever checks a paper
/// learns its status today (a genuine signature on a since-revoked certificate is no
/// permission to work).
pub(crate) async fn certificate_of(
    state: &AppState,
    t: &Tr,
    document: &[u8],
) -> Option<crate::shared::lookup::CertificateView> {
    let subject = state.store.signed_subject(&docs::sha256_hex(document)).await.ok()??;
    let number = subject.strip_prefix("certificate/")?.split('/').next()?;
    let number = rules::numbers::CertificateNumber::parse(number).ok()?;
    crate::shared::lookup::certificate(state, &number, t.lang).await.ok()?
}

/// Who signs a result of `akimat` given at `at_ms`: `(true, their name)` for its authorised
/// person when one was named by then, else `(false, the information system key's name)`.
pub(crate) async fn who_signs(
    store: &store::Store,
    office: &docs::Office,
    akimat: &str,
    at_ms: i64,
) -> Result<(bool, String), store::StoreError> {
    Ok(match store.authorised_signer(akimat).await? {
        Some(a) if a.since_ms <= at_ms => (true, a.user.name),
        _ => (false, office.signer(akimat).common_name()),
    })
}

/// What the check of an uploaded document and signature found.
pub(crate) struct SignatureCheck {
    /// Genuine: the signature verifies and chains to the trust roots.
    pub(crate) genuine: bool,
    /// Who signed, when genuine.
    pub(crate) signers: Vec<String>,
    /// What to tell the person, in their language.
    pub(crate) message: String,
}

#[cfg(test)]
mod tests {
    use super::{CaseDoc, CaseFile, FileName, FormLang};

    #[test]
    fn case_file_names_say_document_language_and_signer() {
        let f = |doc, lang, signature| Some(CaseFile { doc, lang, signature });
        assert_eq!(CaseFile::parse("application-kk.pdf"), f(CaseDoc::Application, FormLang::Kk, None));
        assert_eq!(CaseFile::parse("minutes-ru.pdf.2.p7s"), f(CaseDoc::Minutes, FormLang::Ru, Some(2)));
        assert_eq!(CaseFile::parse("refusal-kk.pdf.p7s"), f(CaseDoc::Refusal, FormLang::Kk, Some(0)));
        assert_eq!(CaseFile::parse("refusal-en.pdf"), None);
        assert_eq!(CaseFile::parse("minutes.pdf"), None);
        assert_eq!(CaseFile::parse("other-kk.pdf"), None);
    }

    #[test]
    fn file_names_say_language_copy_and_kind() {
        let f = |lang, duplicate, signature| Some(FileName { lang, duplicate, signature });
        assert_eq!(FileName::parse("kk.pdf"), f(FormLang::Kk, false, false));
        assert_eq!(FileName::parse("ru.pdf.p7s"), f(FormLang::Ru, false, true));
        assert_eq!(FileName::parse("duplicate-kk.pdf.p7s"), f(FormLang::Kk, true, true));
        assert_eq!(FileName::parse("en.pdf"), None);
        assert_eq!(FileName::parse("kk.p7s"), None);
        assert_eq!(FileName::parse("../kk.pdf"), None);
    }
}
