//! Reading requests: text as the edge's one rule allows it, JSON bodies and query strings
//! read into types with the failing field named, bounded numbers, and the mirrors of the
//! domain's field-less enums.

use std::borrow::Cow;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use rules::case::{self};
use rules::complaint::{self};
use rules::documents::DocumentKind;
use rules::ids::{IdError, Iin};
use rules::numbers::NumberError;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};

use crate::edge::error::{ApiError, Said};
use crate::edge::forms::{LINE_LIMIT, TEXT_LIMIT};

/// Characters a text field may not hold: C0 and C1 controls (a line may not hold line breaks
/// or tabs either).
const NO_CONTROLS: &str = "^[^\\u0000-\\u001F\\u007F-\\u009F]*$";
const NO_CONTROLS_BUT_BREAKS: &str = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$";

/// The edge's one rule for text (`forms::text_problem`), as a deserialization error that
/// [`read`] recognizes by its marker.
pub(crate) fn checked<'de, D: Deserializer<'de>>(d: D, multiline: bool) -> Result<String, D::Error> {
    let s = String::deserialize(d)?;
    match crate::edge::forms::text_problem("", &s, multiline) {
        None => Ok(s),
        Some(Said::Field { key: "error-field-too-long", limit, .. }) => {
            Err(serde::de::Error::custom(format_args!("{TOO_LONG}{}", limit.unwrap_or_default())))
        }
        Some(_) => Err(serde::de::Error::custom(CONTROL)),
    }
}

/// Markers of the two text errors, so that [`ApiJson`] can tell them from a wrong type.
const TOO_LONG: &str = "qualcert:too-long:";
const CONTROL: &str = "qualcert:control";

macro_rules! text_type {
    ($(#[$m:meta])* $name:ident, $limit:expr, $multiline:expr, $pattern:expr) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                checked(d, $multiline).map($name)
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .max_length(Some($limit))
                    .pattern(Some($pattern))
                    .into()
            }
        }

        impl ToSchema for $name {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed(stringify!($name))
            }
        }

        impl From<$name> for String {
            fn from(t: $name) -> String {
                t.0
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> $name {
                $name(s)
            }
        }
    };
}

text_type!(
    /// One line of text: at most 300 characters, no control characters.
    Line, LINE_LIMIT, false, NO_CONTROLS
);
text_type!(
    /// Text of several lines: at most 10,000 characters; line breaks and tabs allowed.
    Text, TEXT_LIMIT, true, NO_CONTROLS_BUT_BREAKS
);

/// The schema of an akimat's code. Which akimats exist is the reference's data, not code:
/// the served document (`openapi::spec_with`) lists the codes, so a client, and a fuzzer,
/// know which values the service accepts.
pub struct AkimatCodeSchema;

impl utoipa::PartialSchema for AkimatCodeSchema {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some("An akimat's code, e.g. `astana`"))
            .max_length(Some(40))
            .pattern(Some("^[a-z0-9-]+$"))
            .into()
    }
}

impl ToSchema for AkimatCodeSchema {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("AkimatCode")
    }
}

/// A JSON body read into `T`. A wrong content type is a 415, JSON that does not parse a 400,
/// and a field that is missing, unknown or of the wrong kind a 422 naming the field by its
/// path (`applicant.iin`), all in the caller's language; the handler never runs.
pub(crate) struct ApiJson<T>(pub(crate) T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<ApiJson<T>, ApiError> {
        let media = request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        let media = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        if media != "application/json" && !(media.starts_with("application/") && media.ends_with("+json")) {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                Said::Key("error-json-type"),
            ));
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|e| ApiError::new(e.status(), "invalid", Said::Key("error-body-unreadable")))?;
        read(&bytes).map(ApiJson)
    }
}

/// A query string read into `T`. A parameter that is unknown, of the wrong kind or out of its
/// published range is a 400 naming it, as a problem in the caller's language; axum's own
/// `Query` would answer in English plain text, which the API documents nowhere.
pub(crate) struct ApiQuery<T>(pub(crate) T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<ApiQuery<T>, ApiError> {
        let query = parts.uri.query().unwrap_or("");
        let parsed = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(parsed).map(ApiQuery).map_err(|e| {
            let field = e.path().to_string();
            tracing::info!(field = %field, "API query refused");
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid",
                Said::Field { key: "error-json-field-invalid", field, limit: None },
            )
        })
    }
}

/// A whole number in `MIN..=MAX`, refused while the request is read, so a handler never
/// clamps silently what the schema says it refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounded<const MIN: i64, const MAX: i64>(pub i64);

impl<'de, const MIN: i64, const MAX: i64> Deserialize<'de> for Bounded<MIN, MAX> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = i64::deserialize(d)?;
        if (MIN..=MAX).contains(&v) {
            Ok(Bounded(v))
        } else {
            Err(serde::de::Error::custom(format_args!("{v} is outside {MIN}..={MAX}")))
        }
    }
}

/// Reads `bytes` as JSON into `T`; see [`ApiJson`].
pub(crate) fn read<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // JSON that does not parse is told apart first: serde_json reports some wrong types (an
    // enum given `null`) as syntax, so the two cannot be told apart in one pass.
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, "invalid", Said::Key("error-json-syntax")))?;
    serde_path_to_error::deserialize(value).map_err(|e| {
        let inner = e.inner();
        let message = inner.to_string();
        let path = e.path().to_string();
        let quoted = |prefix: &str| message.strip_prefix(prefix).and_then(|r| r.split('`').next()).map(str::to_owned);
        let within = |name: String| if path == "." { name } else { format!("{path}.{name}") };
        let (key, field, limit) = if let Some(name) = quoted("missing field `") {
            ("error-field-missing", within(name), None)
        } else if let Some(name) = quoted("unknown field `") {
            // The path ends at the unknown field, except inside a tagged body, whose fields
            // serde reads from a buffer the path does not follow.
            let field = if path.ends_with(name.as_str()) { path } else { within(name) };
            ("error-json-field-unknown", field, None)
        } else if let Some(limit) = message.find(TOO_LONG).and_then(|i| message[i + TOO_LONG.len()..].split(' ').next())
        {
            ("error-field-too-long", path, limit.parse().ok())
        } else if message.contains(CONTROL) {
            ("error-field-control", path, None)
        } else {
            ("error-json-field-invalid", path, None)
        };
        tracing::info!(field = %field, key, "API body refused");
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", Said::Field { key, field, limit })
    })
}

/// A field that failed the domain's own check after the body was read (an IIN's check digit).
pub(crate) fn invalid(field: &str) -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
        Said::Field { key: "error-json-field-invalid", field: field.to_owned(), limit: None },
    )
}

/// A number in a body: one not of its shape is unreadable (the schema says the shape); one of
/// the right shape whose check character fails names nothing, and says so.
pub(crate) fn mistyped(field: &str, e: &NumberError) -> ApiError {
    match e {
        NumberError::Format(..) => invalid(field),
        NumberError::Check { .. } => {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "mistyped-number", Said::Key("error-number-check"))
        }
    }
}

/// An identifier in a body: one not of the shape the schema gives (12 digits) is unreadable;
/// one of that shape that fails the checks no pattern can state (a birth date, the check
/// digit) is an IIN or BIN nobody has: mistyped, and the answer says so.
pub(crate) fn no_such_id(field: &str, e: &IdError) -> ApiError {
    match e {
        IdError::Length { .. } | IdError::NotDigit { .. } => invalid(field),
        _ => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "mistyped-id",
            Said::Field { key: "error-json-id-mistyped", field: field.to_owned(), limit: None },
        ),
    }
}

pub(crate) fn iin(field: &str, value: &str) -> Result<Iin, ApiError> {
    Iin::parse(value).map_err(|e| no_such_id(field, &e))
}

/// Mirrors a field-less domain enum under the same kebab-case names, both ways.
macro_rules! mirror {
    ($(#[$m:meta])* $name:ident = $domain:path { $($(#[$vm:meta])* $v:ident),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "kebab-case")]
        #[allow(missing_docs, reason = "each variant is the domain's variant of the same name, documented there")]
        pub enum $name { $($(#[$vm])* $v),+ }

        impl From<$name> for $domain {
            fn from(v: $name) -> $domain {
                match v { $($name::$v => <$domain>::$v),+ }
            }
        }

        impl From<$domain> for $name {
            fn from(v: $domain) -> $name {
                match v { $(<$domain>::$v => $name::$v),+ }
            }
        }
    };
}

mirror!(
    /// A document of the checklist (App.2 item 8).
    DocumentKindBody = DocumentKind {
        IdentityDocument, EducationTranslation, EnglishTeachingCertificate, LabourActivityRecord,
        PreviousCertificate, EmploymentContract, ChangedIdentityDocument,
        /// Required when a representative files (Rules §3).
        PowerOfAttorney,
    }
);
mirror!(
    /// Why a certificate is re-issued (Rules §22).
    ReissueGroundBody = case::ReissueGround { NameChange, IdentityDocumentChange, EmployerChange }
);
mirror!(
    /// Why a duplicate is asked for (R9.1).
    DuplicateGroundBody = case::DuplicateGround { Lost, Damaged }
);
mirror!(
    /// A ground of refusal (App.2 item 9).
    GroundBody = case::Ground { QualificationMismatch, BelowPassMark, UnreliableDocuments }
);
mirror!(
    /// The stage of a case.
    StateBody = case::State { Submitted, Registered, WithCommission, Decided, Completed, Refused, NotAccepted, Closed }
);
mirror!(
    /// The service of a case.
    ServiceKindBody = case::ServiceKind { Issue, Extend, Reissue, Duplicate }
);
mirror!(
    /// What a complaint is about (Rules §24).
    TargetBody = complaint::Target { Decision, Action, Inaction }
);
mirror!(
    /// Where a complaint is filed (Rules §24, §25).
    RouteBody = complaint::Route { ToAkimat, ToReviewingBody }
);
mirror!(
    /// The body that reviews a complaint through the akimat (Rules §24 para 1).
    ReviewingBodyBody = complaint::ReviewingBody { QualityAuthority, HigherBody, Official }
);
mirror!(
    /// A complaint's verdict.
    VerdictBody = complaint::Verdict { Upheld, PartlyUpheld, Rejected }
);
mirror!(
    /// The stage of a complaint.
    ComplaintStateBody = complaint::ComplaintState {
        AwaitingForwarding, UnderAkimatReview, UnderReview, Satisfied, Resolved
    }
);
mirror!(
    /// A user's role.
    RoleBody = rules::Role { Applicant, Officer, Commission, Reviewer, Administrator, Operator, System }
);
