//! The applicant's EDS signature over their application (App.1, App.2 item 10.2): the bytes
//! they sign, the check that the key is their own, and where it is kept. The case page offers
//! it right after filing, NCALayer or a client through the API makes it, and the application's
//! PDF says "signed" only when one of these exists.

use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

use crate::edge::AppState;
use crate::edge::error::{Fault, PageError, Said};

/// The canonical bytes of an application, the ones an applicant signs: compact JSON of the
/// application as filed (App.1), fields in their fixed order. Kept with each signature, so a
/// later change of format never breaks an old one.
pub fn canonical_application(case: &rules::Case) -> String {
    serde_json::to_string(&case.application).unwrap_or_default()
}

/// What was kept of a signature.
#[derive(Debug, Serialize, ToSchema)]
pub struct Signed {
    /// The case.
    pub case: String,
    /// Who signed, as their certificate names them.
    pub signer: String,
    /// SHA-256 of the signature, hex.
    pub sha256: String,
    /// `false` when this very signature had been received before.
    pub new: bool,
}

/// The IINs that may sign `case`'s application: the applicant's, and the representative's
/// who filed it (Rules §3).
fn filers(case: &rules::Case) -> Vec<rules::Iin> {
    let a = &case.application;
    let mut iins = vec![a.applicant.iin.clone()];
    iins.extend(a.representative.as_ref().map(|r| r.iin.clone()));
    iins
}

/// Whether `user` is one who signs `case`'s application and is not among those who `signed`.
pub(crate) fn awaits_signature(user: &store::User, case: &rules::Case, signed: &[store::ApplicationSignature]) -> bool {
    let Some(iin) = user.iin.as_ref().filter(|i| user.role == rules::Role::Applicant && filers(case).contains(i))
    else {
        return false;
    };
    let iin = iin.to_string();
    !signed.iter().any(|s| s.iins.split(' ').any(|i| i == iin))
}

/// Keeps `user`'s signature (DER, base64 or PEM) over `number`'s canonical application. The
/// signing certificate must name the user's own EDS-proven IIN, and that IIN must be the
/// applicant's or the representative's: each signature is made by its own signer's key.
pub(crate) async fn sign(state: &AppState, user: &store::User, number: &str, body: &[u8]) -> Result<Signed, PageError> {
    let case = crate::edge::access::visible_case(&state.store, user, number).await?;
    if user.role != rules::Role::Applicant {
        return Err(PageError::of(Fault::new(StatusCode::FORBIDDEN, "forbidden", Said::Key("signed-applicant-signs"))));
    }
    let office =
        state.office.as_ref().ok_or_else(|| PageError::with(StatusCode::SERVICE_UNAVAILABLE, "signed-unavailable"))?;
    let content = canonical_application(&case);
    let der = crate::shared::signing::der_of(body);
    let signed = office.verify(&der, content.as_bytes()).map_err(|e| crate::shared::signing::not_genuine(&e))?;
    let own = user.iin.as_ref().filter(|i| filers(&case).contains(i)).map(ToString::to_string);
    let Some(own) = own.filter(|iin| signed.iins.contains(iin)) else {
        let citation = rules::Citation::new("App.2 item 10.2");
        return Err(PageError::of(Fault::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "not-the-applicant",
            Said::Cited("signed-not-applicant", vec![], citation),
        )));
    };
    let signer = signed.signers.join(", ");
    let now = jiff::Timestamp::now().as_millisecond();
    let new = state.store.add_application_signature(number, &content, &der, &signer, &own, now).await?;
    Ok(Signed { case: number.to_owned(), signer, sha256: docs::sha256_hex(&der), new })
}
