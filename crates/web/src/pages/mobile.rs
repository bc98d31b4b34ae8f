//! Signing with eGov mobile (and eGov Business), the phone apps of egov.kz, beside NCALayer:
//! for entering, binding an EDS and every signature a person makes (the application, a
//! member's minutes, the authorised person's result), since most applicants have a phone and
//! not a desktop with NCALayer.
//!
//! The service side of the apps' QR signing protocol, in the version whose documents are
//! signed as CMS without the data (`signMethod: CMS_SIGN_ONLY`):
//! - the signing box asks `POST /mobile` for a request over its exact bytes; the request is
//!   bound to the asking browser (its session, or its form token before login) and, when the
//!   service knows it, to the IIN that must sign; it lives ten minutes and is signed once;
//! - the page shows a QR code of `mobileSign:{public URL}/egov/{id}` for a phone beside the
//!   desktop, and the apps' deep links for the same phone;
//! - the app reads the description, "API 1" (`GET /egov/{id}`: what is asked, until when, by
//!   whom, and where the documents are with their bearer token), then the documents, "API 2"
//!   (`GET /egov/{id}/documents`), and sends them back signed (`PUT` there);
//! - the signature is verified on arrival as every signature is (the national CA's roots, at
//!   the moment it arrived) and against the request: the same bytes, the expected IIN, in time;
//! - the page polls `GET /mobile/{id}/result`, and posts the CMS where the NCALayer signature
//!   would have gone, so the act itself is checked by the same handler whichever app signed.
//!
//! The `/egov/` endpoints are the apps' protocol, not qualcert's API: their shape is the apps',
//! so they are not in the OpenAPI document, and they take the request's bearer token, never a
//! cookie.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Extension, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::Digest;

use crate::edge::AppState;
use crate::edge::auth::MaybeSession;
use crate::edge::csrf::CsrfToken;
use crate::edge::error::PageError;
use crate::edge::i18n::Tr;

/// How long a request can be signed.
const LIFETIME_MS: i64 = 10 * 60 * 1000;

/// The apps' deep links: the first opens eGov mobile, the second eGov Business, on the same
/// phone, with the description's address.
const APP_LINK: &str = "https://mgovsign.page.link/?link=";
const APP_LINK_TAIL: &str = "&isi=1476128386&ibi=kz.egov.mobile&apn=kz.mobile.mgov";
const BUSINESS_LINK: &str = "https://egovbusiness.page.link/?link=";
const BUSINESS_LINK_TAIL: &str = "&isi=1597880144&ibi=kz.mobile.mgov.business&apn=kz.mobile.mgov.business";

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

/// Whose browser asked: the hash of its CSRF token, which is the session's when logged in and
/// the anonymous form cookie's before.
fn owner_of(csrf: &str) -> String {
    hex::encode(sha2::Sha256::digest(format!("mobile:{csrf}").as_bytes()))
}

fn percent(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// A request made: what the page shows.
#[derive(Debug, Serialize)]
pub(crate) struct Started {
    /// The request's id (the page polls its result).
    id: String,
    /// The QR code, as SVG markup.
    qr: String,
    /// eGov mobile's deep link.
    app_link: String,
    /// eGov Business's deep link.
    business_link: String,
    /// Seconds it can be signed.
    expires_in: i64,
}

/// `POST /mobile`: the body is the signing box's content (base64 of the exact bytes).
pub(crate) async fn start(
    State(state): State<AppState>,
    MaybeSession(s): MaybeSession,
    Extension(CsrfToken(csrf)): Extension<CsrfToken>,
    body: Bytes,
) -> Result<Json<Started>, PageError> {
    let text = String::from_utf8_lossy(&body);
    let content: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if content.is_empty() || b64().decode(content.as_bytes()).is_err() {
        return Err(PageError::with(StatusCode::BAD_REQUEST, "signed-both-files"));
    }
    let now = jiff::Timestamp::now().as_millisecond();
    let random = |n: usize| crate::edge::random::token().map(|t| t[..n].to_owned());
    let (id, token) = match (random(32), random(64)) {
        (Ok(id), Ok(token)) => (id, token),
        (Err(e), _) | (_, Err(e)) => return Err(PageError::ours(StatusCode::SERVICE_UNAVAILABLE, &e)),
    };
    let request = store::mobile::MobileSigning {
        id: id.clone(),
        token,
        owner: owner_of(&csrf),
        iin: s.and_then(|s| s.user.iin).map(|i| i.to_string()),
        content,
        created_ms: now,
        expires_ms: now + LIFETIME_MS,
        signature: None,
    };
    state.store.put_mobile_signing(&request).await?;
    let description = format!("{}/egov/{id}", state.public_url.trim_end_matches('/'));
    let qr = qrcode::QrCode::new(format!("mobileSign:{description}").as_bytes())
        .map_err(|e| PageError::ours(StatusCode::INTERNAL_SERVER_ERROR, &e))?
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(220, 220)
        .build();
    Ok(Json(Started {
        id,
        qr,
        app_link: format!("{APP_LINK}{}{APP_LINK_TAIL}", percent(&description)),
        business_link: format!("{BUSINESS_LINK}{}{BUSINESS_LINK_TAIL}", percent(&description)),
        expires_in: LIFETIME_MS / 1000,
    }))
}

/// `GET /mobile/{request}/result`: for the browser that asked, the CMS once the phone signed
/// (200, base64), 202 while waiting, 410 once expired.
pub(crate) async fn result(
    State(state): State<AppState>,
    t: Tr,
    Extension(CsrfToken(csrf)): Extension<CsrfToken>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let now = jiff::Timestamp::now().as_millisecond();
    let Some(m) = state.store.mobile_signing(&id).await?.filter(|m| m.owner == owner_of(&csrf)) else {
        return Err(PageError::not_found());
    };
    let plain = [(header::CONTENT_TYPE, "text/plain; charset=utf-8"), (header::CACHE_CONTROL, "no-store")];
    Ok(match m.signature {
        Some(cms) => (StatusCode::OK, plain, cms).into_response(),
        None if m.expires_ms < now => (StatusCode::GONE, plain, t.t("mobile-expired")).into_response(),
        None => (StatusCode::ACCEPTED, plain, t.t("mobile-waiting")).into_response(),
    })
}

/// An answer to the app: its protocol's error shape, `{"message": …}`, in the asker's language.
fn refusal(status: StatusCode, t: &Tr, key: &str) -> Response {
    (status, Json(serde_json::json!({ "message": t.t(key) }))).into_response()
}

/// The request `id` while it can be signed, or the app's answer why not.
async fn open(state: &AppState, t: &Tr, id: &str) -> Result<store::mobile::MobileSigning, Response> {
    let now = jiff::Timestamp::now().as_millisecond();
    match state.store.mobile_signing(id).await {
        Ok(Some(m)) if m.signature.is_some() => Err(refusal(StatusCode::CONFLICT, t, "mobile-used")),
        Ok(Some(m)) if m.expires_ms < now => Err(refusal(StatusCode::GONE, t, "mobile-expired")),
        Ok(Some(m)) => Ok(m),
        Ok(None) => Err(refusal(StatusCode::NOT_FOUND, t, "mobile-expired")),
        Err(e) => Err(PageError::from(e).into_response()),
    }
}

/// `GET /egov/{request}`, "API 1": what is asked, until when, by whom, and where the documents
/// are. The QR code and the deep links name this address.
pub(crate) async fn description(
    State(state): State<AppState>,
    t: Tr,
    Path(id): Path<String>,
) -> Result<Response, Response> {
    let m = open(&state, &t, &id).await?;
    let say = |lang| rules::speech::say(lang, "mobile-description", &[]);
    let expiry = jiff::Timestamp::from_millisecond(m.expires_ms).unwrap_or_default();
    Ok(Json(serde_json::json!({
        "description": say(t.lang),
        "expiry_date": expiry.to_string(),
        "organisation": {
            "nameRu": say(rules::Lang::Ru),
            "nameKz": say(rules::Lang::Kk),
            "nameEn": say(rules::Lang::En),
            "bin": "",
        },
        "document": {
            "uri": format!("{}/egov/{id}/documents", state.public_url.trim_end_matches('/')),
            "auth_type": "Token",
            "auth_token": m.token,
        },
    }))
    .into_response())
}

/// The request `id` while it can be signed, when the app presented its bearer token.
async fn open_with_token(
    state: &AppState,
    t: &Tr,
    id: &str,
    headers: &HeaderMap,
) -> Result<store::mobile::MobileSigning, Response> {
    let m = open(state, t, id).await?;
    if authorised(headers, &m) { Ok(m) } else { Err(refusal(StatusCode::UNAUTHORIZED, t, "mobile-expired")) }
}

/// Whether the app presented the request's bearer token (compared in constant time).
fn authorised(headers: &HeaderMap, m: &store::mobile::MobileSigning) -> bool {
    let given =
        headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    given.is_some_and(|g| crate::edge::csrf::same(g, &m.token))
}

/// The documents to sign, as the app reads and returns them.
#[derive(Debug, Deserialize)]
pub(crate) struct Documents {
    #[serde(rename = "documentsToSign")]
    documents_to_sign: Vec<DocumentToSign>,
}

#[derive(Debug, Deserialize)]
struct DocumentToSign {
    document: DocumentBody,
}

#[derive(Debug, Deserialize)]
struct DocumentBody {
    file: FileBody,
}

#[derive(Debug, Deserialize)]
struct FileBody {
    data: String,
}

/// `GET /egov/{request}/documents`, "API 2": the exact bytes to sign, with the request's token.
pub(crate) async fn documents(
    State(state): State<AppState>,
    t: Tr,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, Response> {
    let m = open_with_token(&state, &t, &id, &headers).await?;
    let name = |lang| rules::speech::say(lang, "mobile-document", &[]);
    Ok(Json(serde_json::json!({
        "signMethod": "CMS_SIGN_ONLY",
        "documentsToSign": [{
            "id": 1,
            "nameRu": name(rules::Lang::Ru),
            "nameKz": name(rules::Lang::Kk),
            "nameEn": name(rules::Lang::En),
            "meta": [],
            "document": { "file": { "mime": "", "data": m.content } },
        }],
    }))
    .into_response())
}

/// `PUT /egov/{request}/documents`: the documents signed. The signature is verified now, over
/// the request's bytes, by the IIN the request names (when it names one); kept once.
pub(crate) async fn signed(
    State(state): State<AppState>,
    t: Tr,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, Response> {
    let m = open_with_token(&state, &t, &id, &headers).await?;
    let office =
        state.office.as_ref().ok_or_else(|| refusal(StatusCode::SERVICE_UNAVAILABLE, &t, "signed-unavailable"))?;
    let unreadable = || refusal(StatusCode::BAD_REQUEST, &t, "signed-why-not-a-signature");
    let sent = serde_json::from_slice::<Documents>(&body).map_err(|_| unreadable())?;
    let [one] = sent.documents_to_sign.as_slice() else { return Err(unreadable()) };
    let cms = b64().decode(one.document.file.data.trim()).map_err(|_| unreadable())?;
    let content = b64().decode(m.content.as_bytes()).map_err(|_| unreadable())?;
    let verified = office.verify(&crate::shared::signing::der_of(&cms), &content).map_err(|e| {
        let message = crate::shared::signing::not_genuine(&e).0.message(&t);
        (StatusCode::UNPROCESSABLE_ENTITY, Json(serde_json::json!({ "message": message }))).into_response()
    })?;
    if let Some(iin) = &m.iin
        && !verified.iins.iter().any(|i| i == iin)
    {
        tracing::info!(request = %m.id, "a phone signature by another IIN than the request's");
        return Err(refusal(StatusCode::FORBIDDEN, &t, "mobile-not-your-key"));
    }
    let now = jiff::Timestamp::now().as_millisecond();
    match state.store.sign_mobile(&m.id, &b64().encode(&cms), now).await {
        Ok(store::mobile::Sent::Kept) => Ok(Json(serde_json::json!({})).into_response()),
        Ok(store::mobile::Sent::AlreadySigned) => Err(refusal(StatusCode::CONFLICT, &t, "mobile-used")),
        Ok(store::mobile::Sent::Gone) => Err(refusal(StatusCode::GONE, &t, "mobile-expired")),
        Err(e) => Err(PageError::from(e).into_response()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_owner_is_the_browsers_token_and_nothing_else() {
        assert_eq!(super::owner_of("a"), super::owner_of("a"));
        assert_ne!(super::owner_of("a"), super::owner_of("b"));
        assert_eq!(super::percent("https://x.kz/egov/1?a=b"), "https%3A%2F%2Fx.kz%2Fegov%2F1%3Fa%3Db");
    }
}
