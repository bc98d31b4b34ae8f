//! What the API's handlers say of themselves in the OpenAPI document: the problem responses
//! each status stands for, and the header and path parameters the extractors read. The
//! document itself (`openapi.rs`) gathers these from every handler.

use std::collections::BTreeMap;

use utoipa::IntoParams;
use utoipa::openapi::{Content, Ref, RefOr, ResponseBuilder};

macro_rules! problems {
    ($($name:ident = $code:literal, $description:literal;)+) => {$(
        #[doc = $description]
        #[allow(non_camel_case_types, reason = "named after the status, as it reads in `responses(...)`")]
        pub(crate) struct $name;

        impl utoipa::IntoResponses for $name {
            fn responses() -> BTreeMap<String, RefOr<utoipa::openapi::Response>> {
                let content = Content::new(Some(Ref::from_schema_name("Problem")));
                let response = ResponseBuilder::new().description($description).content("application/problem+json", content);
                BTreeMap::from([($code.to_owned(), response.build().into())])
            }
        }
    )+};
}

problems! {
    PROBLEMS_400 = "400", "The request cannot be read: JSON that does not parse, a number not of its shape, a bad If-Match";
    PROBLEMS_401 = "401", "No valid session: log in with POST /api/v1/sessions and send Authorization: Bearer TOKEN";
    PROBLEMS_403 = "403", "The caller may not do this: another role's act, another akimat's record, another person's certificate (the law's paragraph in `citation`)";
    PROBLEMS_404 = "404", "No such record, or not one the caller may see (which of the two is not said); a number whose check character fails says where the typo is";
    PROBLEMS_409 = "409", "Already done differently by someone else (a signed place is never overwritten), or not possible at the record's present stage (the law's paragraph in `citation`)";
    PROBLEMS_412 = "412", "Changed since the ETag sent in If-Match: fetch it again";
    PROBLEMS_413 = "413", "The body is larger than the service accepts";
    PROBLEMS_415 = "415", "The body is not JSON (Content-Type: application/json)";
    PROBLEMS_422 = "422", "Refused: a field is missing, unknown or invalid (its path is named), or the law refuses (with the paragraph in `citation`)";
    PROBLEMS_429 = "429", "Too many requests from this address, or too many passwords tried on this login: retry after Retry-After seconds";
    PROBLEMS_503 = "503", "The service cannot answer now (the database or the disk is away); nothing was written; retry after Retry-After seconds";
}

/// `Accept-Language`: the language of titles and messages.
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code, reason = "read by the `Tr` extractor; declared for the document")]
pub(crate) struct Lang {
    /// kk, ru or en: the first one this header names that the service speaks; any other
    /// value falls back to Kazakh, the state language.
    #[param(rename = "Accept-Language", value_type = String, required = false)]
    accept_language: Option<String>,
}

/// A case's or complaint's number in the path.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code, reason = "read by `Path`; declared for the document")]
pub(crate) struct CaseNumberPath {
    /// The number, e.g. `Z-AST-2026-000123-P`. Its last character is a check character: a
    /// number that fails it is answered 404, saying where the typo is.
    #[param(pattern = "^[Zz]-[A-Za-z]{3}-[0-9]{4}-[0-9]{6}-[0-9A-Za-z]$")]
    number: String,
}

/// A certificate's number in the path.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code, reason = "read by `Path`; declared for the document")]
pub(crate) struct CertificateNumberPath {
    /// The number, e.g. `AST-2026-00042-K`.
    #[param(pattern = "^[A-Za-z]{3}-[0-9]{4}-[0-9]{5}-[0-9A-Za-z]$")]
    number: String,
}

/// A form's language in the path.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code, reason = "read by `Path`; declared for the document")]
pub(crate) struct FormLangPath {
    /// The official forms exist in Kazakh and Russian.
    #[param(pattern = "^(kk|ru)$")]
    lang: String,
}
