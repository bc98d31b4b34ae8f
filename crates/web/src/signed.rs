//! Signed documents on the web: the certificate (App.3) as a PDF with its detached CMS
//! signature for the holder and the akimat's staff, the trust roots for anyone, and the check
//! of an uploaded document and signature, on the verification page and in the API.
//!
//! A certificate's PDF is typeset from the registry when asked for, in Kazakh or Russian. The
//! same registry state always gives the same bytes, so the PDF and its `.p7s`, fetched one
//! after the other, belong together; after an extension both show the new validity.

use axum::Json;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use docs::pdf::{CertificateDoc, Lang as FormLang};
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::api::problem;
use crate::auth::{LoggedIn, MaybeSession};
use crate::i18n::Tr;
use crate::pages::{SignatureCheck, VerifyPage, render};

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
        let lang = match name {
            "kk" => FormLang::Kk,
            "ru" => FormLang::Ru,
            _ => return None,
        };
        Some(FileName { lang, duplicate, signature })
    }
}

/// `GET /certificates/{number}/files/{name}`: the certificate's PDF or its signature, for the
/// holder and the akimat's staff (as the certificate page).
pub(crate) async fn certificate_file(
    State(state): State<AppState>,
    t: Tr,
    LoggedIn(s): LoggedIn,
    Path((number, name)): Path<(String, String)>,
) -> Response {
    let Some(office) = state.office.clone() else {
        return (StatusCode::SERVICE_UNAVAILABLE, t.t("signed-unavailable")).into_response();
    };
    let Some(file) = FileName::parse(&name) else {
        return (StatusCode::NOT_FOUND, t.t("verify-not-genuine")).into_response();
    };
    let c = match state.store.certificate(&number).await {
        Ok(Some(c)) if crate::access::certificate(&s.user, &c) => c,
        Ok(_) => return (StatusCode::NOT_FOUND, t.t("verify-not-genuine")).into_response(),
        Err(e) => return (StatusCode::SERVICE_UNAVAILABLE, e.to_string()).into_response(),
    };
    if file.duplicate && c.duplicates.is_empty() {
        let basis = rules::Citation::owned("Rules §9".to_owned()).localized(t.lang);
        return (StatusCode::NOT_FOUND, format!("{} ({basis})", t.t("signed-no-duplicate"))).into_response();
    }
    let number = c.number.to_string();
    let signer = office.signer(&c.akimat);
    let url = office.verify_url(&state.public_url, &number);
    let doc =
        CertificateDoc::of(&c, &state.store.reference().law, file.lang, signer.common_name(), url, file.duplicate);
    let lang = file.lang;
    // Typesetting and signing take milliseconds of CPU: off the async threads.
    let made = tokio::task::spawn_blocking(move || {
        let pdf = doc.render(lang)?;
        let signature = if file.signature { Some(office.signer(&c.akimat).sign(&pdf)?) } else { None };
        Ok::<_, docs::SignError>((pdf, signature))
    })
    .await;
    let (pdf, signature) = match made {
        Ok(Ok(made)) => made,
        Ok(Err(e)) => return (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
        Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    };
    let download = format!("attachment; filename=\"{number}-{name}\"");
    match signature {
        Some(sig) => (
            [(header::CONTENT_TYPE, "application/pkcs7-signature".to_owned()), (header::CONTENT_DISPOSITION, download)],
            sig,
        )
            .into_response(),
        None => ([(header::CONTENT_TYPE, "application/pdf".to_owned()), (header::CONTENT_DISPOSITION, download)], pdf)
            .into_response(),
    }
}

/// `GET /pki/ca.pem`: the trust roots, so anyone can run `openssl cms -verify` themselves.
pub(crate) async fn roots(State(state): State<AppState>, t: Tr) -> Response {
    match &state.office {
        Some(office) => {
            ([(header::CONTENT_TYPE, "application/x-pem-file")], office.roots_pem().to_vec()).into_response()
        }
        None => (StatusCode::SERVICE_UNAVAILABLE, t.t("signed-unavailable")).into_response(),
    }
}

/// Checks `signature` over `document` and says what was found, in the person's language.
fn check(state: &AppState, t: &Tr, document: &[u8], signature: &[u8]) -> SignatureCheck {
    let Some(office) = &state.office else {
        return SignatureCheck { genuine: false, signers: Vec::new(), message: t.t("signed-unavailable") };
    };
    if document.is_empty() || signature.is_empty() {
        return SignatureCheck { genuine: false, signers: Vec::new(), message: t.t("signed-both-files") };
    }
    match office.verify(signature, document) {
        Ok(signed) => SignatureCheck {
            genuine: true,
            message: t.ta("signed-genuine", &[("signer", signed.signers.join(", "))]),
            signers: signed.signers,
        },
        Err(e) => SignatureCheck {
            genuine: false,
            signers: Vec::new(),
            message: format!("{} ({e})", t.t("signed-not-genuine")),
        },
    }
}

/// `POST /verify` (multipart `document`, `signature`): the check of an uploaded PDF and its
/// `.p7s` on the verification page.
pub(crate) async fn verify_upload(
    State(state): State<AppState>,
    t: Tr,
    MaybeSession(s): MaybeSession,
    mut multipart: Multipart,
) -> Response {
    let (mut document, mut signature) = (Vec::new(), Vec::new());
    while let Ok(Some(field)) = multipart.next_field().await {
        let name = field.name().unwrap_or_default().to_owned();
        let Ok(bytes) = field.bytes().await else { break };
        match name.as_str() {
            "document" => document = bytes.to_vec(),
            "signature" => signature = bytes.to_vec(),
            _ => {}
        }
    }
    let result = check(&state, &t, &document, &signature);
    let code = if result.genuine { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let mut page = VerifyPage::new(&state, t, s.into());
    page.signature = Some(result);
    (code, render(&page)).into_response()
}

/// A document and its detached signature, base64-encoded, for `POST /api/v1/signatures/verify`.
#[derive(Debug, Deserialize)]
pub struct SignatureRequest {
    /// The document's bytes (e.g. the certificate's PDF), base64.
    pub document: String,
    /// The detached CMS signature (DER, the `.p7s`), base64.
    pub signature: String,
}

/// The answer: genuine or not, who signed, or why not.
#[derive(Debug, Serialize)]
pub struct SignatureAnswer {
    /// The signature verifies over the document and chains to the service's trust roots.
    pub genuine: bool,
    /// The signers' names, when genuine.
    pub signers: Vec<String>,
    /// What was found, in the asker's language.
    pub message: String,
}

/// `POST /api/v1/signatures/verify`.
pub(crate) async fn api_verify(State(state): State<AppState>, t: Tr, Json(req): Json<SignatureRequest>) -> Response {
    let b64 = base64::engine::general_purpose::STANDARD;
    let (Ok(document), Ok(signature)) = (b64.decode(req.document.trim()), b64.decode(req.signature.trim())) else {
        return problem(StatusCode::BAD_REQUEST, "not-base64", "Not base64", t.t("signed-both-files"), None);
    };
    if state.office.is_none() {
        return problem(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "No signing office",
            t.t("signed-unavailable"),
            None,
        );
    }
    let found = check(&state, &t, &document, &signature);
    Json(SignatureAnswer { genuine: found.genuine, signers: found.signers, message: found.message }).into_response()
}

#[cfg(test)]
mod tests {
    use super::{FileName, FormLang};

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
