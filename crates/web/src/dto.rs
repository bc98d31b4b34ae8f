//! The API's own request and response types, apart from the events and snapshots of `rules`.
//!
//! Events are stored forever and decoded by their serde shape; the API is a contract with
//! other programs. Keeping the two apart means a renamed domain field changes neither what
//! old events decode to nor what an API client sees: only a `From` here changes. Each type
//! derives `ToSchema`, so the OpenAPI document (`openapi`) is generated from the very types
//! the handlers read and write.
//!
//! Text arrives as [`Line`] (one line, at most 300 characters) or [`Text`] (several lines, at
//! most 10,000): the limits of the page forms, checked while the body is read and published in
//! the schema, so a request the schema allows is never refused for its length.
//! [`ApiJson`] reads a body and [`ApiQuery`] a query string; each names the field that failed,
//! in the caller's language.

use std::borrow::Cow;
use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use jiff::civil::Date;
use rules::assessment::Answer;
use rules::case::{self, CaseAction};
use rules::certificate::{self, CertificateCommand};
use rules::complaint::{self, ComplaintCommand};
use rules::documents::{self, DocumentKind};
use rules::ids::{IdError, Iin, TaxpayerId};
use rules::numbers::{CaseNumber, CertificateNumber, NumberError};
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
fn checked<'de, D: Deserializer<'de>>(d: D, multiline: bool) -> Result<String, D::Error> {
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
fn invalid(field: &str) -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
        Said::Field { key: "error-json-field-invalid", field: field.to_owned(), limit: None },
    )
}

/// A number in a body: one not of its shape is unreadable (the schema says the shape); one of
/// the right shape whose check character fails names nothing, and says so.
fn mistyped(field: &str, e: &NumberError) -> ApiError {
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
fn no_such_id(field: &str, e: &IdError) -> ApiError {
    match e {
        IdError::Length { .. } | IdError::NotDigit { .. } => invalid(field),
        _ => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "mistyped-id",
            Said::Field { key: "error-json-id-mistyped", field: field.to_owned(), limit: None },
        ),
    }
}

fn iin(field: &str, value: &str) -> Result<Iin, ApiError> {
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
    StateBody = case::State { Submitted, Registered, WithCommission, Decided, Completed, Refused, NotAccepted }
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

/// The service asked for, with its ground where it has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "service", rename_all = "kebab-case", deny_unknown_fields)]
pub enum ServiceBody {
    /// A first certificate (R3.1).
    Issue,
    /// An extension (R5.1).
    Extend,
    /// A re-issue (Rules §22).
    Reissue {
        /// Why.
        ground: ReissueGroundBody,
    },
    /// A duplicate (R9.1).
    Duplicate {
        /// Why.
        ground: DuplicateGroundBody,
    },
}

impl From<ServiceBody> for case::Service {
    fn from(s: ServiceBody) -> case::Service {
        match s {
            ServiceBody::Issue => case::Service::Issue,
            ServiceBody::Extend => case::Service::Extend,
            ServiceBody::Reissue { ground } => case::Service::Reissue { ground: ground.into() },
            ServiceBody::Duplicate { ground } => case::Service::Duplicate { ground: ground.into() },
        }
    }
}

impl From<case::Service> for ServiceBody {
    fn from(s: case::Service) -> ServiceBody {
        match s {
            case::Service::Issue => ServiceBody::Issue,
            case::Service::Extend => ServiceBody::Extend,
            case::Service::Reissue { ground } => ServiceBody::Reissue { ground: ground.into() },
            case::Service::Duplicate { ground } => ServiceBody::Duplicate { ground: ground.into() },
        }
    }
}

/// The applicant, or the holder named on a certificate.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HolderBody {
    /// Individual identification number: 12 digits, the last a check digit.
    #[schema(pattern = "^[0-9]{12}$", format = "iin")]
    pub iin: String,
    /// Surname.
    pub surname: Line,
    /// Given name.
    pub given_name: Line,
    /// Patronymic, if any.
    pub patronymic: Option<Line>,
    /// The identity document's number.
    pub document_number: Line,
    /// The identity document's day of issue.
    #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub document_issued_on: Date,
    /// Who issued the identity document.
    pub document_issued_by: Line,
}

impl HolderBody {
    fn into_domain(self, at: &str) -> Result<certificate::Holder, ApiError> {
        Ok(certificate::Holder {
            iin: iin(&format!("{at}.iin"), &self.iin)?,
            surname: self.surname.0,
            given_name: self.given_name.0,
            patronymic: self.patronymic.map(String::from),
            document_number: self.document_number.0,
            document_issued_on: self.document_issued_on,
            document_issued_by: self.document_issued_by.0,
        })
    }
}

impl From<&certificate::Holder> for HolderBody {
    fn from(h: &certificate::Holder) -> HolderBody {
        HolderBody {
            iin: h.iin.to_string(),
            surname: h.surname.clone().into(),
            given_name: h.given_name.clone().into(),
            patronymic: h.patronymic.clone().map(Line),
            document_number: h.document_number.clone().into(),
            document_issued_on: h.document_issued_on,
            document_issued_by: h.document_issued_by.clone().into(),
        }
    }
}

/// A representative filing for the applicant (Rules §3).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RepresentativeBody {
    /// Full name.
    pub name: Line,
    /// IIN.
    #[schema(pattern = "^[0-9]{12}$", format = "iin")]
    pub iin: String,
}

/// How the applicant is reached (App.1).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactBody {
    /// Address in Kazakhstan.
    pub address: Line,
    /// Phone.
    pub phone: Line,
    /// Fax, if any.
    pub fax: Option<Line>,
    /// Home address.
    pub home_address: Line,
    /// Home phone.
    pub home_phone: Line,
}

/// An employer.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmployerBody {
    /// Name.
    pub name: Line,
    /// Its BIN or IIN: 12 digits.
    #[schema(pattern = "^[0-9]{12}$", format = "iin-or-bin")]
    pub id: String,
}

impl EmployerBody {
    fn into_domain(self, at: &str) -> Result<certificate::Employer, ApiError> {
        let id = TaxpayerId::parse(&self.id).map_err(|e| no_such_id(&format!("{at}.id"), &e))?;
        Ok(certificate::Employer { name: self.name.0, id })
    }
}

fn taxpayer(id: &TaxpayerId) -> String {
    match id {
        TaxpayerId::Iin(i) => i.to_string(),
        TaxpayerId::Bin(b) => b.to_string(),
    }
}

impl From<&certificate::Employer> for EmployerBody {
    fn from(e: &certificate::Employer) -> EmployerBody {
        EmployerBody { name: e.name.clone().into(), id: taxpayer(&e.id) }
    }
}

/// An attached document, uploaded first with `POST /api/v1/documents`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentBody {
    /// Which document of the checklist it is.
    pub kind: DocumentKindBody,
    /// The SHA-256 the upload answered.
    #[schema(pattern = "^[0-9a-f]{64}$")]
    pub sha256: String,
    /// The file's name, as shown to the officer.
    pub file_name: Line,
    /// The document's last valid day: an expired identity document makes the application not
    /// accepted (App.2 item 9).
    #[schema(value_type = Option<String>, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub valid_until: Option<Date>,
}

/// An application (App.1) with its documents (App.2 item 8).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicationBody {
    /// The akimat addressed (its code, e.g. `astana`).
    #[schema(value_type = AkimatCodeSchema)]
    pub akimat: String,
    /// The service asked for.
    pub service: ServiceBody,
    /// The applicant: for a re-issue on a change of data, the new data.
    pub applicant: HolderBody,
    /// A representative filing for the applicant.
    pub representative: Option<RepresentativeBody>,
    /// Contacts.
    pub contact: ContactBody,
    /// Occupation code of the in-demand profession (issue).
    pub profession: Option<Line>,
    /// OKED code of the priority sector (issue).
    pub sector: Option<Line>,
    /// The employer (extension; re-issue for a new employer).
    pub employer: Option<EmployerBody>,
    /// The employment contract's last day (extension).
    #[schema(value_type = Option<String>, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub contract_end: Option<Date>,
    /// The employment contract has no end date (Rules §16: the 3-year cap applies alone).
    #[serde(default)]
    pub contract_open_ended: bool,
    /// The certificate concerned (extension, re-issue, duplicate).
    #[schema(value_type = Option<String>, pattern = "^[A-Za-z]{3}-[0-9]{4}-[0-9]{5}-[0-9A-Za-z]$")]
    pub certificate: Option<Line>,
    /// The day of the change (re-issue) or of the loss or damage (duplicate).
    #[schema(value_type = Option<String>, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub event_date: Option<Date>,
    /// Consent to the collection and processing of personal data (App.1).
    pub consent: bool,
    /// The attachments.
    #[schema(max_items = 50)]
    pub documents: Vec<DocumentBody>,
}

impl ApplicationBody {
    /// The domain's application; a field the domain's own checks refuse is named.
    pub(crate) fn into_domain(self) -> Result<case::Application, ApiError> {
        Ok(case::Application {
            akimat: self.akimat.into(),
            service: self.service.into(),
            applicant: self.applicant.into_domain("applicant")?,
            representative: match self.representative {
                Some(r) => Some(case::Representative { name: r.name.0, iin: iin("representative.iin", &r.iin)? }),
                None => None,
            },
            contact: case::Contact {
                address: self.contact.address.0,
                phone: self.contact.phone.0,
                fax: self.contact.fax.map(String::from),
                home_address: self.contact.home_address.0,
                home_phone: self.contact.home_phone.0,
            },
            profession: self.profession.map(String::from),
            sector: self.sector.map(String::from),
            employer: self.employer.map(|e| e.into_domain("employer")).transpose()?,
            contract_end: self.contract_end,
            contract_open_ended: self.contract_open_ended,
            certificate: match self.certificate {
                Some(c) => Some(CertificateNumber::parse(&c.0).map_err(|e| mistyped("certificate", &e))?),
                None => None,
            },
            event_date: self.event_date,
            consent: self.consent,
            documents: self
                .documents
                .into_iter()
                .map(|d| documents::Document {
                    kind: d.kind.into(),
                    sha256: d.sha256,
                    file_name: d.file_name.0,
                    valid_until: d.valid_until,
                })
                .collect(),
        })
    }
}

impl From<&case::Application> for ApplicationBody {
    fn from(a: &case::Application) -> ApplicationBody {
        ApplicationBody {
            akimat: a.akimat.to_string(),
            service: a.service.into(),
            applicant: (&a.applicant).into(),
            representative: a
                .representative
                .as_ref()
                .map(|r| RepresentativeBody { name: r.name.clone().into(), iin: r.iin.to_string() }),
            contact: ContactBody {
                address: a.contact.address.clone().into(),
                phone: a.contact.phone.clone().into(),
                fax: a.contact.fax.clone().map(Line),
                home_address: a.contact.home_address.clone().into(),
                home_phone: a.contact.home_phone.clone().into(),
            },
            profession: a.profession.clone().map(Line),
            sector: a.sector.clone().map(Line),
            employer: a.employer.as_ref().map(EmployerBody::from),
            contract_end: a.contract_end,
            contract_open_ended: a.contract_open_ended,
            certificate: a.certificate.as_ref().map(|c| Line(c.to_string())),
            event_date: a.event_date,
            consent: a.consent,
            documents: a
                .documents
                .iter()
                .map(|d| DocumentBody {
                    kind: d.kind.into(),
                    sha256: d.sha256.clone(),
                    file_name: d.file_name.clone().into(),
                    valid_until: d.valid_until,
                })
                .collect(),
        }
    }
}

/// An answer to a criterion: yes or no, a number of years, or a choice's id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum AnswerBody {
    /// Yes or no.
    YesNo(bool),
    /// Years.
    Years(u32),
    /// A choice.
    Choice(Line),
}

/// By hand rather than `untagged`: JSON Schema counts `26.0` as an integer, so a number of
/// years written with a zero fraction is a number of years here too.
impl<'de> Deserialize<'de> for AnswerBody {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::Bool(b) => Ok(AnswerBody::YesNo(b)),
            serde_json::Value::Number(n) => n
                .as_u64()
                .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0 && *f >= 0.0).map(|f| f as u64))
                .and_then(|y| u32::try_from(y).ok())
                .map(AnswerBody::Years)
                .ok_or_else(|| D::Error::custom("a number of years is a whole number, 0 or more")),
            serde_json::Value::String(s) => {
                Line::deserialize(serde_json::Value::String(s)).map(AnswerBody::Choice).map_err(D::Error::custom)
            }
            _ => Err(D::Error::custom("an answer is true or false, a number of years, or a choice's id")),
        }
    }
}

/// By hand so the schema says what the reader takes: years up to `u32::MAX`, which derived
/// schemas cannot bound on a tuple variant.
impl utoipa::PartialSchema for AnswerBody {
    fn schema() -> RefOr<Schema> {
        let years = ObjectBuilder::new()
            .schema_type(Type::Integer)
            .minimum(Some(0))
            .maximum(Some(u32::MAX))
            .description(Some("Years."));
        utoipa::openapi::schema::OneOfBuilder::new()
            .item(ObjectBuilder::new().schema_type(Type::Boolean).description(Some("Yes or no.")))
            .item(years)
            .item(RefOr::Ref(utoipa::openapi::Ref::from_schema_name("Line")))
            .description(Some("An answer to a criterion: yes or no, a number of years, or a choice's id."))
            .into()
    }
}

impl ToSchema for AnswerBody {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("AnswerBody")
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((Line::name().into_owned(), <Line as utoipa::PartialSchema>::schema()));
    }
}

impl From<AnswerBody> for Answer {
    fn from(a: AnswerBody) -> Answer {
        match a {
            AnswerBody::YesNo(b) => Answer::YesNo(b),
            AnswerBody::Years(y) => Answer::Years(y),
            AnswerBody::Choice(c) => Answer::Choice(c.0),
        }
    }
}

impl From<&Answer> for AnswerBody {
    fn from(a: &Answer) -> AnswerBody {
        match a {
            Answer::YesNo(b) => AnswerBody::YesNo(*b),
            Answer::Years(y) => AnswerBody::Years(*y),
            Answer::Choice(c) => AnswerBody::Choice(Line(c.clone())),
        }
    }
}

/// Answers keyed by criterion id (see the criteria in force).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AnswersBody(pub BTreeMap<String, AnswerBody>);

impl utoipa::PartialSchema for AnswersBody {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .additional_properties(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(AnswerBody::name()))))
            .description(Some("Answers keyed by criterion id (see the criteria in force)."))
            .into()
    }
}

impl ToSchema for AnswersBody {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Answers")
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((AnswerBody::name().into_owned(), <AnswerBody as utoipa::PartialSchema>::schema()));
        AnswerBody::schemas(schemas);
    }
}

fn answers(a: AnswersBody) -> rules::assessment::Answers {
    a.0.into_iter().map(|(k, v)| (k, v.into())).collect()
}

/// The Commission's recommendation.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(tag = "recommend", rename_all = "kebab-case", deny_unknown_fields)]
pub enum RecommendationBody {
    /// Issue the certificate, with the Commission's words if it gave any.
    Issue {
        /// Why, in words; may be left out.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reasoning: Option<Text>,
    },
    /// Refuse, on these grounds (App.2 item 9).
    Refuse {
        /// The grounds.
        grounds: Vec<GroundBody>,
        /// Why, in words.
        reasoning: Text,
    },
}

impl From<RecommendationBody> for case::Recommendation {
    fn from(r: RecommendationBody) -> case::Recommendation {
        match r {
            RecommendationBody::Issue { reasoning } => {
                case::Recommendation::Issue { reasoning: reasoning.map(|r| r.0).unwrap_or_default() }
            }
            RecommendationBody::Refuse { grounds, reasoning } => case::Recommendation::Refuse {
                grounds: grounds.into_iter().map(Into::into).collect(),
                reasoning: reasoning.0,
            },
        }
    }
}

impl From<&case::Recommendation> for RecommendationBody {
    fn from(r: &case::Recommendation) -> RecommendationBody {
        match r {
            case::Recommendation::Issue { reasoning } => {
                RecommendationBody::Issue { reasoning: Some(Text(reasoning.clone())).filter(|r| !r.0.is_empty()) }
            }
            case::Recommendation::Refuse { grounds, reasoning } => RecommendationBody::Refuse {
                grounds: grounds.iter().map(|&g| g.into()).collect(),
                reasoning: Text(reasoning.clone()),
            },
        }
    }
}

/// An action on a case.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(tag = "action", rename_all = "kebab-case", deny_unknown_fields)]
pub enum CaseActionBody {
    /// The officer registers the application (App.2 item 7).
    Register,
    /// The officer does not accept an incomplete application (App.2 item 9).
    NotAccept {
        /// The checklist items found missing.
        #[serde(default)]
        missing: Vec<DocumentKindBody>,
        /// The documents found expired.
        #[serde(default)]
        expired: Vec<DocumentKindBody>,
        /// The officer's words.
        #[serde(default)]
        note: Text,
    },
    /// The officer forwards the documents to the Commission (R4.1).
    Forward,
    /// The Commission's minutes (R4.4): kept for the members to sign
    /// (`PUT /api/v1/cases/{number}/minutes/signature`). The roster is the akimat's, and the
    /// members present are those who sign; the decision is recorded when they make a quorum.
    RecordDecision {
        /// The minutes' number.
        minutes: Line,
        /// The answers scored.
        answers: AnswersBody,
        /// The recommendation.
        recommendation: RecommendationBody,
    },
    /// Issue the certificate (R4.6).
    Issue {
        /// Valid to, when not the longest term.
        #[serde(default)]
        #[schema(value_type = Option<String>, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
        valid_to: Option<Date>,
    },
    /// Extend the certificate (R5.3).
    Extend {
        /// Valid to, when not the longest term.
        #[serde(default)]
        #[schema(value_type = Option<String>, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
        valid_to: Option<Date>,
    },
    /// Re-issue the certificate (Rules §22).
    Reissue,
    /// Issue a duplicate (R9.2).
    IssueDuplicate,
    /// Refuse, with grounds (App.2 item 9).
    Refuse {
        /// The grounds.
        grounds: Vec<GroundBody>,
        /// Why, in words.
        reasoning: Text,
    },
}

impl From<CaseActionBody> for crate::minutes::Act {
    fn from(a: CaseActionBody) -> crate::minutes::Act {
        use crate::minutes::{Act, Proposal};
        let kinds = |v: Vec<DocumentKindBody>| v.into_iter().map(Into::into).collect();
        Act::Case(match a {
            CaseActionBody::Register => CaseAction::Register,
            CaseActionBody::NotAccept { missing, expired, note } => {
                CaseAction::NotAccept { missing: kinds(missing), expired: kinds(expired), note: note.0 }
            }
            CaseActionBody::Forward => CaseAction::Forward,
            CaseActionBody::RecordDecision { minutes, answers: a, recommendation } => {
                return Act::Minutes(Proposal {
                    minutes: minutes.0,
                    answers: answers(a),
                    recommendation: Some(recommendation.into()),
                });
            }
            CaseActionBody::Issue { valid_to } => CaseAction::Issue { valid_to },
            CaseActionBody::Extend { valid_to } => CaseAction::Extend { valid_to },
            CaseActionBody::Reissue => CaseAction::Reissue,
            CaseActionBody::IssueDuplicate => CaseAction::IssueDuplicate,
            CaseActionBody::Refuse { grounds, reasoning } => {
                CaseAction::Refuse { grounds: grounds.into_iter().map(Into::into).collect(), reasoning: reasoning.0 }
            }
        })
    }
}

/// A phrase in the three languages.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LocalizedBody {
    /// Kazakh.
    pub kk: String,
    /// Russian.
    pub ru: String,
    /// English.
    pub en: String,
}

/// A term of the law: its value and the paragraph that sets it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TermBody {
    /// The value.
    pub value: u32,
    /// The paragraph.
    pub citation: String,
    /// The requirement's number.
    pub requirement: String,
}

/// One criterion's line of an assessment.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LineBody {
    /// The criterion's id.
    pub criterion: String,
    /// The question.
    pub question: LocalizedBody,
    /// The answer given.
    pub answer: Option<AnswerBody>,
    /// Points scored.
    pub points: u32,
    /// The most points it can give.
    pub max_points: u32,
    /// The paragraph of the criteria.
    pub citation: String,
    /// The answer that would score more, and its points.
    pub would_raise: Option<(AnswerBody, u32)>,
}

/// The calculator's answer: the Commission's engine, breakdown included (R4.5).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AssessmentBody {
    /// The criteria set applied.
    pub criteria_set: String,
    /// Whether that set is a sample (not the approved one).
    pub sample: bool,
    /// One line per criterion.
    pub lines: Vec<LineBody>,
    /// Points scored.
    pub total: u32,
    /// The most points there are.
    pub max_total: u32,
    /// The pass mark (Rules §10).
    pub pass_mark: TermBody,
    /// Every criterion answered.
    pub complete: bool,
    /// Whether the points reach the pass mark.
    pub passed: bool,
}

impl From<&rules::assessment::Assessment> for AssessmentBody {
    fn from(a: &rules::assessment::Assessment) -> AssessmentBody {
        AssessmentBody {
            criteria_set: a.criteria_set.clone(),
            sample: a.sample,
            lines: a
                .lines
                .iter()
                .map(|l| LineBody {
                    criterion: l.criterion.clone(),
                    question: LocalizedBody {
                        kk: l.question.kk.clone(),
                        ru: l.question.ru.clone(),
                        en: l.question.en.clone(),
                    },
                    answer: l.answer.as_ref().map(AnswerBody::from),
                    points: l.points,
                    max_points: l.max_points,
                    citation: l.citation.to_string(),
                    would_raise: l.would_raise.as_ref().map(|(a, p)| (a.into(), *p)),
                })
                .collect(),
            total: a.total,
            max_total: a.max_total,
            pass_mark: TermBody {
                value: a.pass_mark.value,
                citation: a.pass_mark.citation.to_string(),
                requirement: a.pass_mark.requirement.clone(),
            },
            complete: a.complete,
            passed: a.passed(),
        }
    }
}

/// Answers for the calculator.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CalculatorRequest {
    /// Answers keyed by criterion id.
    pub answers: AnswersBody,
}

impl CalculatorRequest {
    pub(crate) fn answers(self) -> rules::assessment::Answers {
        answers(self.answers)
    }
}

/// The control act a revocation rests on (Rules §21).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ControlActBody {
    /// The control body.
    pub body: Line,
    /// The act's number.
    pub number: Line,
    /// The act's date.
    #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub date: Date,
}

/// An action on a certificate.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(tag = "command", rename_all = "kebab-case", deny_unknown_fields)]
pub enum CertificateCommandBody {
    /// The officer revokes under a control act (Rules §21).
    Revoke {
        /// The act.
        act: ControlActBody,
    },
    /// The holder notifies a new employer (Rules §18).
    NotifyNewEmployer {
        /// The new contract's date.
        #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
        contract_date: Date,
        /// The new employer.
        employer: EmployerBody,
    },
    /// The holder notifies the end of the contract (Rules §20).
    NotifyContractEnd {
        /// The contract's last day.
        #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
        end_date: Date,
    },
}

impl CertificateCommandBody {
    pub(crate) fn into_domain(self) -> Result<CertificateCommand, ApiError> {
        Ok(match self {
            CertificateCommandBody::Revoke { act } => CertificateCommand::Revoke {
                act: certificate::ControlAct { body: act.body.0, number: act.number.0, date: act.date },
            },
            CertificateCommandBody::NotifyNewEmployer { contract_date, employer } => {
                CertificateCommand::NotifyNewEmployer { contract_date, employer: employer.into_domain("employer")? }
            }
            CertificateCommandBody::NotifyContractEnd { end_date } => {
                CertificateCommand::NotifyContractEnd { end_date }
            }
        })
    }
}

/// A complaint (Rules §24, §25).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FilingBody {
    /// The akimat complained about (its code).
    #[schema(value_type = AkimatCodeSchema)]
    pub akimat: String,
    /// The complainant's IIN.
    #[schema(pattern = "^[0-9]{12}$", format = "iin")]
    pub complainant: String,
    /// The case concerned, if any.
    #[schema(value_type = Option<String>, pattern = "^[Zz]-[A-Za-z]{3}-[0-9]{4}-[0-9]{6}-[0-9A-Za-z]$")]
    pub case: Option<Line>,
    /// What is complained about.
    pub target: TargetBody,
    /// Where it is filed.
    pub route: RouteBody,
    /// The reviewing body on the route through the akimat; its term is in the rule set.
    #[serde(default = "quality_authority")]
    pub body: ReviewingBodyBody,
    /// The complaint.
    pub text: Text,
}

fn quality_authority() -> ReviewingBodyBody {
    ReviewingBodyBody::QualityAuthority
}

impl FilingBody {
    pub(crate) fn into_domain(self) -> Result<complaint::Filing, ApiError> {
        Ok(complaint::Filing {
            akimat: self.akimat.into(),
            complainant: iin("complainant", &self.complainant)?,
            case: match self.case {
                Some(c) => Some(CaseNumber::parse(&c.0).map_err(|e| mistyped("case", &e))?),
                None => None,
            },
            target: self.target.into(),
            route: self.route.into(),
            body: self.body.into(),
            text: self.text.0,
        })
    }
}

impl From<&complaint::Filing> for FilingBody {
    fn from(f: &complaint::Filing) -> FilingBody {
        FilingBody {
            akimat: f.akimat.to_string(),
            complainant: f.complainant.to_string(),
            case: f.case.as_ref().map(|c| Line(c.to_string())),
            target: f.target.into(),
            route: f.route.into(),
            body: f.body.into(),
            text: Text(f.text.clone()),
        }
    }
}

/// An action on a complaint.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(tag = "command", rename_all = "kebab-case", deny_unknown_fields)]
pub enum ComplaintCommandBody {
    /// The akimat forwards it to the reviewing body (Rules §24).
    Forward,
    /// The akimat satisfies it in full, saying what it did (Rules §24).
    Satisfy {
        /// What was done.
        action: Text,
    },
    /// The reviewer decides.
    Decide {
        /// The verdict.
        verdict: VerdictBody,
        /// Why.
        reasoning: Text,
    },
}

impl From<ComplaintCommandBody> for ComplaintCommand {
    fn from(c: ComplaintCommandBody) -> ComplaintCommand {
        match c {
            ComplaintCommandBody::Forward => ComplaintCommand::Forward,
            ComplaintCommandBody::Satisfy { action } => ComplaintCommand::Satisfy { action: action.0 },
            ComplaintCommandBody::Decide { verdict, reasoning } => {
                ComplaintCommand::Decide { verdict: verdict.into(), reasoning: reasoning.0 }
            }
        }
    }
}

/// A due date with the paragraph that sets it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DueBody {
    /// The last day.
    #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub on: Date,
    /// Counted from.
    #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub from: Date,
    /// Working days.
    pub working_days: u32,
    /// The paragraph, e.g. `App.2 item 4`.
    pub citation: String,
    /// The requirement's number (R4.1).
    pub requirement: String,
}

impl From<&rules::deadline::DueDate> for DueBody {
    fn from(d: &rules::deadline::DueDate) -> DueBody {
        DueBody {
            on: d.on,
            from: d.from,
            working_days: d.working_days,
            citation: d.citation.to_string(),
            requirement: d.requirement.clone(),
        }
    }
}

/// A certificate as its case issued it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IssuedBody {
    /// Its number.
    pub number: String,
    /// The akimat's code.
    pub akimat: String,
    /// The holder.
    pub holder: HolderBody,
    /// Occupation code.
    pub profession: String,
    /// OKED code.
    pub sector: String,
    /// The basis for issue.
    pub basis: String,
    /// Date of issue.
    #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub issued_on: Date,
    /// Valid from.
    #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub valid_from: Date,
    /// Valid to (inclusive).
    #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub valid_to: Date,
    /// The employer, when named.
    pub employer: Option<EmployerBody>,
    /// The certificate it replaces (a re-issue).
    pub replaces: Option<String>,
}

impl From<&certificate::Certificate> for IssuedBody {
    fn from(c: &certificate::Certificate) -> IssuedBody {
        IssuedBody {
            number: c.number.to_string(),
            akimat: c.akimat.to_string(),
            holder: (&c.holder).into(),
            profession: c.profession.clone(),
            sector: c.sector.clone(),
            basis: c.basis.clone(),
            issued_on: c.issued_on,
            valid_from: c.valid_from,
            valid_to: c.valid_to,
            employer: c.employer.as_ref().map(EmployerBody::from),
            replaces: c.replaces.as_ref().map(ToString::to_string),
        }
    }
}

/// What a case came to.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(tag = "result", rename_all = "kebab-case", deny_unknown_fields)]
pub enum OutcomeBody {
    /// A certificate was issued.
    Issued {
        /// It.
        certificate: IssuedBody,
    },
    /// A certificate was extended.
    Extended {
        /// Its number.
        number: String,
        /// On.
        #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
        on: Date,
        /// The extension's first day.
        #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
        from: Date,
        /// Its last day.
        #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
        to: Date,
    },
    /// A certificate was re-issued under a new number.
    Reissued {
        /// The new certificate.
        certificate: IssuedBody,
        /// The number it replaces.
        replaces: String,
    },
    /// A duplicate was issued.
    Duplicated {
        /// The certificate's number.
        number: String,
        /// On.
        #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
        on: Date,
    },
}

impl From<&case::Outcome> for OutcomeBody {
    fn from(o: &case::Outcome) -> OutcomeBody {
        match o {
            case::Outcome::Issued { certificate } => OutcomeBody::Issued { certificate: certificate.as_ref().into() },
            case::Outcome::Extended { number, on, from, to } => {
                OutcomeBody::Extended { number: number.to_string(), on: *on, from: *from, to: *to }
            }
            case::Outcome::Reissued { certificate, replaces } => {
                OutcomeBody::Reissued { certificate: certificate.as_ref().into(), replaces: replaces.to_string() }
            }
            case::Outcome::Duplicated { number, on } => OutcomeBody::Duplicated { number: number.to_string(), on: *on },
        }
    }
}

/// The Commission's decision.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DecisionBody {
    /// The day of the sitting.
    #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub on: Date,
    /// The minutes' number.
    pub minutes: String,
    /// The members.
    pub members: Vec<String>,
    /// The members present.
    pub present: Vec<String>,
    /// Points scored (Rules §10).
    pub points: u32,
    /// The pass mark.
    pub pass_mark: u32,
    /// Whether the points reach the pass mark.
    pub passed: bool,
    /// The recommendation.
    pub recommendation: RecommendationBody,
}

/// A case, with its version (also its ETag).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseBody {
    /// The case number.
    pub number: String,
    /// The application as filed.
    pub application: ApplicationBody,
    /// The stage.
    pub state: StateBody,
    /// The version: send it back as `If-Match: "vN"`.
    pub version: u64,
    /// Received on (App.2 item 7).
    #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub received_on: Date,
    /// The rule set applied.
    pub rule_set: String,
    /// The current stage's due date.
    pub due: Option<DueBody>,
    /// The whole service's due date.
    pub service_due: Option<DueBody>,
    /// The Commission's decision.
    pub decision: Option<DecisionBody>,
    /// What the case came to.
    pub outcome: Option<OutcomeBody>,
    /// Why it was refused or not accepted, in words.
    pub reasons: Option<String>,
    /// The grounds of a refusal.
    pub grounds: Vec<GroundBody>,
}

impl From<&case::Case> for CaseBody {
    fn from(c: &case::Case) -> CaseBody {
        CaseBody {
            number: c.number.to_string(),
            application: (&c.application).into(),
            state: c.state.into(),
            version: c.version,
            received_on: c.received_on,
            rule_set: c.rule_set.clone(),
            due: c.due.as_ref().map(DueBody::from),
            service_due: c.service_due.as_ref().map(DueBody::from),
            decision: c.decision.as_ref().map(|d| DecisionBody {
                on: d.on,
                minutes: d.minutes.clone(),
                members: d.members.clone(),
                present: d.present.clone(),
                points: d.assessment.total,
                pass_mark: d.assessment.pass_mark.value,
                passed: d.assessment.passed(),
                recommendation: (&d.recommendation).into(),
            }),
            outcome: c.outcome.as_ref().map(OutcomeBody::from),
            reasons: c.reasons.clone(),
            grounds: c.grounds.iter().map(|&g| g.into()).collect(),
        }
    }
}

/// A complaint, with its version (also its ETag).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ComplaintBody {
    /// Its number.
    pub number: String,
    /// What was filed.
    pub filing: FilingBody,
    /// The stage.
    pub state: ComplaintStateBody,
    /// The version: send it back as `If-Match: "vN"`.
    pub version: u64,
    /// Received on.
    #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub received_on: Date,
    /// The review's due date.
    pub due: Option<DueBody>,
    /// The akimat's due date to forward it.
    pub forwarding_due: Option<DueBody>,
    /// The verdict.
    pub verdict: Option<VerdictBody>,
    /// The answer given.
    pub answer: Option<String>,
}

impl From<&complaint::Complaint> for ComplaintBody {
    fn from(c: &complaint::Complaint) -> ComplaintBody {
        ComplaintBody {
            number: c.number.to_string(),
            filing: (&c.filing).into(),
            state: c.state.into(),
            version: c.version,
            received_on: c.received_on,
            due: c.due.as_ref().map(DueBody::from),
            forwarding_due: c.forwarding_due.as_ref().map(DueBody::from),
            verdict: c.verdict.map(Into::into),
            answer: c.answer.clone(),
        }
    }
}

/// What a write did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AppliedBody {
    /// The stream written (`case-…`, `certificate-…`, `complaint-…`).
    pub stream: String,
    /// The case, certificate or complaint number.
    pub number: String,
    /// Its version now.
    pub version: u64,
    /// The kinds of the events written.
    pub events: Vec<String>,
    /// The position of the last event in the whole log.
    pub last_seq: i64,
    /// The first answer to this `Idempotency-Key`, given again: nothing new was written.
    pub replayed: bool,
}

impl From<store::Applied> for AppliedBody {
    fn from(a: store::Applied) -> AppliedBody {
        AppliedBody {
            stream: a.stream,
            number: a.number,
            version: a.version,
            events: a.events,
            last_seq: a.last_seq,
            replayed: a.replayed,
        }
    }
}

/// One line of the officer's queue.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QueueRowBody {
    /// The number.
    pub number: String,
    /// The service, or the complaint's route.
    pub service: String,
    /// The stage.
    pub state: String,
    /// The last day of the current stage.
    #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub due_on: Date,
    /// Past its due date today.
    pub overdue: bool,
    /// Filed late by the applicant.
    pub late_filing: bool,
}

impl From<store::QueueRow> for QueueRowBody {
    fn from(r: store::QueueRow) -> QueueRowBody {
        QueueRowBody {
            number: r.number,
            service: r.service,
            state: r.state,
            due_on: r.due_on,
            overdue: r.overdue,
            late_filing: r.late_filing,
        }
    }
}

/// A certificate's status today.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(tag = "status", rename_all = "kebab-case", deny_unknown_fields)]
pub enum StatusBody {
    /// Valid as first issued.
    Active {
        /// Valid to.
        #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
        valid_to: Date,
    },
    /// Valid, extended.
    Extended {
        /// Valid to.
        #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
        valid_to: Date,
    },
    /// Replaced by a re-issued certificate (R8.3).
    Superseded {
        /// The new number.
        by: String,
        /// Since.
        #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
        on: Date,
    },
    /// Revoked (Rules §21).
    Revoked {
        /// Since.
        #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
        on: Date,
        /// The control act.
        act: ControlActBody,
    },
    /// Past its last day.
    Expired {
        /// Since.
        #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
        on: Date,
    },
}

impl From<&certificate::Status> for StatusBody {
    fn from(s: &certificate::Status) -> StatusBody {
        use certificate::Status as S;
        match s {
            S::Active { valid_to } => StatusBody::Active { valid_to: *valid_to },
            S::Extended { valid_to } => StatusBody::Extended { valid_to: *valid_to },
            S::Superseded { by, on } => StatusBody::Superseded { by: by.to_string(), on: *on },
            S::Revoked { on, act } => StatusBody::Revoked {
                on: *on,
                act: ControlActBody {
                    body: act.body.clone().into(),
                    number: act.number.clone().into(),
                    date: act.date,
                },
            },
            S::Expired { on } => StatusBody::Expired { on: *on },
        }
    }
}

/// The status of an application, as anyone with its two numbers may see it (R3.8).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseStatusBody {
    /// The case number.
    pub number: String,
    /// The service.
    pub service: ServiceKindBody,
    /// The stage.
    pub state: StateBody,
    /// Received on (App.2 item 7).
    #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub received_on: Date,
    /// The current stage's due date with its paragraph.
    pub due: Option<DueBody>,
    /// Past the due date today.
    pub overdue: bool,
    /// Why it was refused or not accepted, in the language asked.
    pub reasons: Option<String>,
    /// The grounds of a refusal (App.2 item 9): each as its text and its paragraph.
    pub grounds: Vec<(String, String)>,
}

impl From<crate::lookup::CaseStatus> for CaseStatusBody {
    fn from(s: crate::lookup::CaseStatus) -> CaseStatusBody {
        CaseStatusBody {
            number: s.number,
            service: s.service.into(),
            state: s.state.into(),
            received_on: s.received_on,
            due: s.due.as_ref().map(DueBody::from),
            overdue: s.overdue,
            reasons: s.reasons,
            grounds: s.grounds,
        }
    }
}

/// A certificate as the public may see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CertificateViewBody {
    /// Its number.
    pub number: String,
    /// Genuine: issued by an akimat through this service.
    pub genuine: bool,
    /// The status today.
    pub status: StatusBody,
    /// The status in words, in the language asked.
    pub status_text: String,
    /// The holder's name, masked.
    pub holder_masked: String,
    /// Occupation code.
    pub profession: String,
    /// The profession's name.
    pub profession_name: String,
    /// OKED code of the sector.
    pub sector: String,
    /// The akimat's code.
    pub akimat: String,
    /// The akimat's name.
    pub akimat_name: String,
    /// Date of issue.
    #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub issued_on: Date,
    /// Valid from.
    #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub valid_from: Date,
    /// Valid to.
    #[schema(value_type = String, format = Date, pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub valid_to: Date,
    /// Days duplicates were issued (R9.2).
    #[schema(value_type = Vec<String>)]
    pub duplicates: Vec<Date>,
    /// Whether the code from the certificate's QR link (`?t=`) matches its number; absent when
    /// no code was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link_matches: Option<bool>,
}

impl From<crate::lookup::CertificateView> for CertificateViewBody {
    fn from(v: crate::lookup::CertificateView) -> CertificateViewBody {
        CertificateViewBody {
            status: (&v.status).into(),
            number: v.number,
            genuine: v.genuine,
            status_text: v.status_text,
            holder_masked: v.holder_masked,
            profession: v.profession,
            profession_name: v.profession_name,
            sector: v.sector,
            akimat: v.akimat,
            akimat_name: v.akimat_name,
            issued_on: v.issued_on,
            valid_from: v.valid_from,
            valid_to: v.valid_to,
            duplicates: v.duplicates,
            link_matches: v.link_matches,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(body: &str) -> (StatusCode, String) {
        let Err(e) = read::<FilingBody>(body.as_bytes()) else { panic!("{body} must be refused") };
        let field = match &e.0.said {
            Said::Field { field, .. } => field.clone(),
            other => format!("{other:?}"),
        };
        (e.0.status, field)
    }

    #[test]
    fn a_refused_body_names_the_field_by_its_path() {
        let f = r#"{"akimat":"astana","complainant":"900305401113","case":null,"target":"inaction","route":ROUTE,"text":"x"}"#;
        assert_eq!(refusal(&f.replace("ROUTE", "null")), (StatusCode::UNPROCESSABLE_ENTITY, "route".to_owned()));
        assert_eq!(
            refusal(&f.replace("ROUTE", "\"sideways\"")),
            (StatusCode::UNPROCESSABLE_ENTITY, "route".to_owned())
        );
        assert_eq!(
            refusal(&f.replace("ROUTE", "\"to-akimat\",\"x\":1")),
            (StatusCode::UNPROCESSABLE_ENTITY, "x".to_owned())
        );
        assert_eq!(refusal(&f.replace("ROUTE", "")).0, StatusCode::BAD_REQUEST);
        // Issue 30: an unknown field in a tagged body (an act on a case) is refused by name too.
        let Err(e) = read::<CaseActionBody>(br#"{"action":"issue","valid_to":null,"sneaky":true}"#) else {
            panic!("an unknown field must be refused")
        };
        assert_eq!(e.0.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(matches!(&e.0.said, Said::Field { field, .. } if field == "sneaky"), "{:?}", e.0.said);
        let years: AnswersBody = serde_json::from_str(r#"{"experience-years": 26.0}"#).expect("26.0 is a whole number");
        assert_eq!(years.0.get("experience-years"), Some(&AnswerBody::Years(26)));
        assert!(serde_json::from_str::<AnswersBody>(r#"{"experience-years": 2.5}"#).is_err());
    }
}
