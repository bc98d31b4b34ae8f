//! Certificates through the API: the holder's notices and the officer's acts (Rules §18, §20,
//! §21), and the certificate's signed files.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::cases::{WriteHeaders, idempotency_key, written};
use crate::api::dto::{ApiJson, AppliedBody, CertificateCommandBody};
use crate::edge::AppState;
use crate::edge::api_doc::*;
use crate::edge::api_user::ApiUser;
use crate::edge::error::ApiError;
use store::Request;

/// Revoke under a control act (officer, Rules §21), or notify a new employer or the end of the
/// contract (holder, Rules §18, §20).
#[utoipa::path(post, path = "/api/v1/certificates/{number}/actions", tag = "certificates", security(("session" = [])),
    params(CertificateNumberPath, WriteHeaders, Lang), request_body = CertificateCommandBody,
    responses((status = 200, description = "Applied", body = AppliedBody), PROBLEMS_400, PROBLEMS_401, PROBLEMS_403, PROBLEMS_404, PROBLEMS_409, PROBLEMS_415, PROBLEMS_422, PROBLEMS_503))]
pub(crate) async fn certificate_act(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(number): Path<String>,
    headers: HeaderMap,
    ApiJson(command): ApiJson<CertificateCommandBody>,
) -> Result<Response, ApiError> {
    let parsed = rules::numbers::CertificateNumber::parse(&number)
        .map_err(|_| ApiError::key(StatusCode::NOT_FOUND, "not-found", "verify-not-genuine"))?;
    match state.store.certificate(&parsed).await? {
        Some(c) if crate::edge::access::certificate(&user, &c) => {}
        Some(_) => return Err(ApiError::forbidden("error-forbidden")),
        None => return Err(ApiError::key(StatusCode::NOT_FOUND, "not-found", "verify-not-genuine")),
    }
    let request = Request::Certificate { number: parsed, command: command.into_domain()? };
    let key = idempotency_key(&headers);
    let applied = state.store.execute(user.actor(), jiff::Timestamp::now(), request, key.as_deref()).await?;
    Ok(written(StatusCode::OK, None, applied))
}

/// The certificate's signed PDF or its detached signature, for the holder and the akimat's
/// staff.
#[utoipa::path(get, path = "/api/v1/certificates/{number}/files/{name}", tag = "certificates", security(("session" = [])),
    params(CertificateNumberPath, ("name" = String, Path, pattern = "^(duplicate-)?(kk|ru)\\.pdf(\\.p7s)?$",
        description = "kk.pdf, ru.pdf, duplicate-kk.pdf …, with .p7s for the signature (DER)"), Lang),
    responses((status = 200, description = "The PDF or the signature",
        content((Vec<u8> = "application/pdf"), (Vec<u8> = "application/pkcs7-signature"))),
        PROBLEMS_401, PROBLEMS_404, PROBLEMS_503))]
pub(crate) async fn api_certificate_file(
    State(state): State<AppState>,
    crate::edge::api_user::ApiUser(user): crate::edge::api_user::ApiUser,
    Path((number, name)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    Ok(certificate_download(&state, &user, &number, &name).await?)
}

use crate::shared::documents::certificate_download;
