//! Signatures through the API: the application's bytes and its signature (App.2 item 10.2), the
//! minutes' status and a member's signature (Rules §9), the result's documents and the authorised
//! person's signature (Rules §13), and the check of any document and signature.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::dto::ApiJson;
use crate::edge::AppState;
use crate::edge::api_doc::*;
use crate::edge::error::ApiError;
use crate::edge::i18n::Tr;
use crate::shared::application::{self, Signed, canonical_application};
use crate::shared::authorised;
use crate::shared::authorised::{office_of, result_documents};
use crate::shared::documents::{certificate_of, check};
use crate::shared::minutes::{self, MinutesStatus};
use base64::Engine;

/// The application's canonical bytes (compact JSON of the application as filed), which the
/// applicant signs.
#[utoipa::path(get, path = "/api/v1/cases/{number}/application", tag = "applicant", security(("session" = [])), params(CaseNumberPath, Lang),
    responses((status = 200, description = "The bytes to sign", content_type = "application/json", body = Object), PROBLEMS_401, PROBLEMS_404, PROBLEMS_503))]
pub(crate) async fn api_application(
    State(state): State<AppState>,
    crate::edge::api_user::ApiUser(user): crate::edge::api_user::ApiUser,
    Path(number): Path<String>,
) -> Result<Response, ApiError> {
    let case = crate::edge::access::api_case(&state, &user, &number).await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], canonical_application(&case)).into_response())
}

/// The applicant's detached CMS signature (DER or base64) over the application's canonical
/// bytes; its certificate must name the caller's own IIN, the applicant's or the
/// representative's (App.2 item 10.2).
#[utoipa::path(put, path = "/api/v1/cases/{number}/application/signature", tag = "applicant", security(("session" = [])),
    params(CaseNumberPath, Lang), request_body(content = Vec<u8>, content_type = "application/pkcs7-signature"),
    responses((status = 201, description = "Kept", body = Signed), (status = 200, description = "Received before", body = Signed),
        PROBLEMS_401, PROBLEMS_403, PROBLEMS_404, PROBLEMS_413, PROBLEMS_422, PROBLEMS_503))]
pub(crate) async fn api_sign_application(
    State(state): State<AppState>,
    crate::edge::api_user::ApiUser(user): crate::edge::api_user::ApiUser,
    Path(number): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    crate::edge::access::api_case(&state, &user, &number).await?;
    let signed = application::sign(&state, &user, &number, &body).await?;
    let code = if signed.new { StatusCode::CREATED } else { StatusCode::OK };
    Ok((code, Json(signed)).into_response())
}

/// A document of a case's result and whether it is signed.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ResultDocument {
    /// `kk` or `ru`.
    pub(crate) lang: String,
    /// The PDF to sign (and, once signed, its `.p7s` beside it).
    pub(crate) href: String,
    /// Whether it carries its signature.
    pub(crate) signed: bool,
    /// Who signs it: the authorised person, or the information system's key.
    pub(crate) signer: String,
    /// SHA-256 of the PDF, hex: what the signature covers.
    pub(crate) sha256: String,
}

/// The documents of a case's result (the certificate, the duplicate or the refusal) and
/// whether each carries its signature; the authorised person signs each PDF (Rules §13).
#[utoipa::path(get, path = "/api/v1/cases/{number}/result", tag = "officer", operation_id = "result_documents", security(("session" = [])),
    params(CaseNumberPath, Lang),
    responses((status = 200, description = "The result's documents", body = Vec<ResultDocument>), PROBLEMS_401, PROBLEMS_404, PROBLEMS_503))]
pub(crate) async fn api_result(
    State(state): State<AppState>,
    crate::edge::api_user::ApiUser(user): crate::edge::api_user::ApiUser,
    Path(number): Path<String>,
) -> Result<Json<Vec<ResultDocument>>, ApiError> {
    let case = crate::edge::access::api_case(&state, &user, &number).await?;
    let office = office_of(&state)?;
    let docs = result_documents(&state, &office, &case).await?;
    Ok(Json(
        docs.into_iter()
            .map(|d| ResultDocument {
                lang: d.lang.tag().to_owned(),
                href: d.href,
                signed: !d.doc.signature.is_empty(),
                signer: d.doc.signer,
                sha256: docs::sha256_hex(&d.doc.pdf),
            })
            .collect(),
    ))
}

/// The authorised person's detached CMS signature (DER or base64) over the result's PDF in
/// `lang`; its certificate must name the caller's own IIN, and the caller must be the
/// akimat's authorised person.
#[utoipa::path(put, path = "/api/v1/cases/{number}/result/{lang}/signature", tag = "officer", operation_id = "sign_result", security(("session" = [])),
    params(CaseNumberPath, ("lang" = String, Path, pattern = "^(kk|ru)$", description = "The document's language"), Lang),
    request_body(content = Vec<u8>, content_type = "application/pkcs7-signature"),
    responses((status = 201, description = "Kept"), (status = 200, description = "Signed before"),
        PROBLEMS_401, PROBLEMS_403, PROBLEMS_404, PROBLEMS_422, PROBLEMS_503))]
pub(crate) async fn sign_result(
    State(state): State<AppState>,
    crate::edge::api_user::ApiUser(user): crate::edge::api_user::ApiUser,
    Path((number, lang)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let new = authorised::sign(&state, &user, &number, &lang, &body).await?;
    Ok(if new { StatusCode::CREATED } else { StatusCode::OK }.into_response())
}

/// The minutes of a case as recorded, with who has signed them.
#[utoipa::path(get, path = "/api/v1/cases/{number}/minutes", tag = "commission", operation_id = "api_status", security(("session" = [])),
    params(CaseNumberPath, Lang),
    responses((status = 200, description = "The minutes", body = MinutesStatus), PROBLEMS_401, PROBLEMS_404, PROBLEMS_503))]
pub(crate) async fn minutes_status(
    State(state): State<AppState>,
    crate::edge::api_user::ApiUser(user): crate::edge::api_user::ApiUser,
    Path(number): Path<String>,
) -> Result<Json<MinutesStatus>, ApiError> {
    let case = crate::edge::access::api_case(&state, &user, &number).await?;
    let mut minutes = minutes::status(&state, &case).await?.ok_or_else(|| ApiError::not_found("minutes-none"))?;
    minutes.content = minutes::record_for(&user, minutes.content);
    Ok(Json(minutes))
}

/// A Commission member's detached CMS signature (DER or base64) over the minutes' `content`
/// (Rules §9). Its certificate must name the IIN of the member's bound EDS. When the members
/// who signed make a quorum of the roster, the decision is recorded in the case.
#[utoipa::path(put, path = "/api/v1/cases/{number}/minutes/signature", tag = "commission", operation_id = "api_sign", security(("session" = [])),
    params(CaseNumberPath, Lang), request_body(content = Vec<u8>, content_type = "application/pkcs7-signature"),
    responses((status = 201, description = "Kept", body = MinutesStatus), (status = 200, description = "Received before", body = MinutesStatus),
        PROBLEMS_401, PROBLEMS_403, PROBLEMS_404, PROBLEMS_409,
        PROBLEMS_413, PROBLEMS_422, PROBLEMS_503))]
pub(crate) async fn sign_minutes(
    State(state): State<AppState>,
    crate::edge::api_user::ApiUser(user): crate::edge::api_user::ApiUser,
    Path(number): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    crate::edge::access::api_case(&state, &user, &number).await?;
    let (status, new) = minutes::sign(&state, &user, &number, &body).await?;
    let code = if new { StatusCode::CREATED } else { StatusCode::OK };
    Ok((code, Json(status)).into_response())
}

/// A document and its detached signature, base64-encoded, for `POST /api/v1/signatures/verify`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignatureRequest {
    /// The document's bytes (e.g. the certificate's PDF), base64.
    #[schema(content_encoding = "base64", pattern = "^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$")]
    pub document: String,
    /// The detached CMS signature (DER, the `.p7s`), base64.
    #[schema(content_encoding = "base64", pattern = "^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$")]
    pub signature: String,
}

/// The answer: genuine or not, who signed, or why not.
#[derive(Debug, Serialize, ToSchema)]
pub struct SignatureAnswer {
    /// The signature verifies over the document and chains to the service's trust roots.
    pub genuine: bool,
    /// The signers' names, when genuine.
    pub signers: Vec<String>,
    /// What was found, in the asker's language.
    pub message: String,
    /// The certificate the document is, with its status today, when the service made it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate: Option<crate::api::dto::CertificateViewBody>,
}

/// Check a document (e.g. a certificate's PDF) against its detached CMS signature and the
/// service's trust roots. A signature that does not verify is an answer (`genuine: false`),
/// not an error.
#[utoipa::path(post, path = "/api/v1/signatures/verify", tag = "public", params(Lang), request_body = SignatureRequest,
    responses((status = 200, description = "What the check found", body = SignatureAnswer), PROBLEMS_400, PROBLEMS_413, PROBLEMS_415, PROBLEMS_422, PROBLEMS_429, PROBLEMS_503))]
pub(crate) async fn api_verify(
    State(state): State<AppState>,
    t: Tr,
    ApiJson(req): ApiJson<SignatureRequest>,
) -> Result<Json<SignatureAnswer>, ApiError> {
    // Lenient about padding and the unused bits of the last character, as many encoders are.
    let config = base64::engine::GeneralPurposeConfig::new()
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true);
    let b64 = base64::engine::GeneralPurpose::new(&base64::alphabet::STANDARD, config);
    let (Ok(document), Ok(signature)) = (b64.decode(req.document.trim()), b64.decode(req.signature.trim())) else {
        return Err(ApiError::key(StatusCode::BAD_REQUEST, "not-base64", "signed-both-files"));
    };
    if state.office.is_none() {
        return Err(ApiError::no_office());
    }
    let found = check(&state, &t, &document, &signature).await;
    let certificate = if found.genuine { certificate_of(&state, &t, &document).await.map(Into::into) } else { None };
    Ok(Json(SignatureAnswer { genuine: found.genuine, signers: found.signers, message: found.message, certificate }))
}
