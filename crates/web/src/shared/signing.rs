//! What every EDS signature received from a person goes through, whatever it signs: reading
//! it as NCALayer or a client sends it, saying why it failed in the person's words, and the
//! demo's development keys.

use axum::http::StatusCode;
use base64::Engine;

use crate::edge::AppState;
use crate::edge::error::{Fault, PageError, Said};

/// A signing box on a page (`templates/eds_box.html`): what `static/eds.js` asks NCALayer to
/// sign and where it posts the signature.
#[derive(Clone)]
pub(crate) struct EdsBox {
    /// The bytes to sign, base64.
    pub(crate) content: String,
    /// Where the CMS goes.
    pub(crate) post: String,
}

impl EdsBox {
    /// A box that signs `content` and posts the signature to `post`.
    pub(crate) fn new(content: &[u8], post: String) -> EdsBox {
        EdsBox { content: base64::engine::general_purpose::STANDARD.encode(content), post }
    }
}

/// A form with nothing to read but its CSRF token (checked before the handler).
#[derive(Debug, serde::Deserialize)]
pub(crate) struct NoFields {}

impl crate::edge::forms::FormSpec for NoFields {}

/// The DER of a CMS signature sent as DER, as base64 (NCALayer's `result`, line breaks
/// allowed) or as PEM. Anything else is passed on as it is, for the verifier to refuse.
pub(crate) fn der_of(body: &[u8]) -> Vec<u8> {
    if body.first() == Some(&0x30) {
        return body.to_vec();
    }
    let text: String = String::from_utf8_lossy(body)
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .flat_map(|l| l.chars())
        .filter(|c| !c.is_whitespace())
        .collect();
    base64::engine::general_purpose::STANDARD.decode(text.as_bytes()).unwrap_or_else(|_| body.to_vec())
}

/// A signature that did not verify. What the verifier found is English and technical: it goes
/// to the log, and the person is told in their language.
pub(crate) fn not_genuine(e: &docs::SignError) -> PageError {
    tracing::info!(cause = %e, "a signature did not verify");
    // The person hears why, where the verifier knows: an expired or revoked key is not "the
    // wrong document".
    let key = match e {
        docs::SignError::Rejected { why, .. } => match why {
            docs::Rejection::NotASignature => "signed-why-not-a-signature",
            docs::Rejection::Altered => "signed-why-altered",
            docs::Rejection::Untrusted => "signed-why-untrusted",
            docs::Rejection::Expired => "signed-why-expired",
            docs::Rejection::Revoked => "signed-why-revoked",
            docs::Rejection::NotForSigning => "signed-why-not-for-signing",
        },
        _ => "signed-not-genuine",
    };
    PageError::of(Fault::new(StatusCode::UNPROCESSABLE_ENTITY, "not-genuine", Said::Key(key)))
}

/// A detached CMS signature over `content` with `user`'s development key, which names their
/// IIN. Only with `serve --demo` (404 otherwise): it stands in for the person's EDS in
/// NCALayer so the demo can be walked on a machine without one, and the signature it makes
/// goes through the same verification as any other.
pub(crate) fn demo_signature(
    state: &AppState,
    user: &store::User,
    parts: Option<&docs::PersonName>,
    content: &[u8],
) -> Result<Vec<u8>, PageError> {
    let office = state.office.as_ref().filter(|_| state.demo).ok_or_else(PageError::not_found)?;
    let iin = user.iin.as_ref().map(ToString::to_string);
    let key = match parts {
        Some(parts) => office.person_named(parts, iin.as_deref()),
        None => office.person(&user.name, iin.as_deref()),
    }
    .map_err(|e| PageError::ours(StatusCode::INTERNAL_SERVER_ERROR, &e))?;
    key.sign(content).map_err(|e| PageError::ours(StatusCode::INTERNAL_SERVER_ERROR, &e))
}
