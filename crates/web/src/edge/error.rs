//! What goes wrong at the edge, and what each person is told.
//!
//! There is one error type per surface: [`PageError`] for the HTML pages and [`ApiError`]
//! for `/api/v1`. Handlers return `Result<_, PageError>` or `Result<_, ApiError>` and use
//! `?` on store calls. Neither type renders text itself. It leaves a [`Fault`] in the
//! response, and the [`speak`] middleware turns it into a page or an RFC 9457 problem in the
//! language of the request. This is why a `?` deep in a handler still answers in Kazakh.
//!
//! Which error goes where:
//! - **The person's own input** (a missing field, a number that does not exist) is not an
//!   error of this module. The handler shows the form again with the message next to the
//!   field and keeps what was typed (422). A body that cannot be read at all (an unknown
//!   `action`, a field that is missing) is a 400 or 422 from the typed extractors in
//!   `forms`, naming the field.
//! - **The law refuses** (`StoreError::Refused`), with the refusal's own message and the
//!   paragraph applied: 403 when the law says someone else acts (another role, akimat or
//!   holder), 409 when the record is not at a stage where this can be done, 422 when what was
//!   sent is what the law refuses.
//! - **Someone else got there first** (`Conflict`, `Duplicate`): 409 on pages ("reload"); the
//!   API says 412 for a stale `If-Match` and 409 for a taken name.
//! - **Not there, or not yours**: 404 and 403. A page never says which of the two it is when
//!   the person may not know that the thing exists.
//! - **Our fault** (`Database`, `Migration`, `Config`, `Corrupt`, a file system error): 503
//!   with `Retry-After` when it may pass (the database is away, the disk is full), 500 when it
//!   will not. The person sees an error id and a sentence in their language. The cause goes
//!   to the log with the same id and never to the person: database text is English and may
//!   name tables.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rules::Refusal;
use rules::refusal::Reason;
use store::{BlobError, StoreError};

use crate::edge::i18n::Tr;

/// What a fault says to the person.
#[derive(Debug, Clone)]
pub(crate) enum Said {
    /// A message of `locales/*/main.ftl`.
    Key(&'static str),
    /// A refusal of the law, in the person's language when spoken.
    Refusal(Refusal),
    /// A message already in the person's language.
    Text(String),
    /// A problem with one field of a form: `key` names the field by its label, or by its
    /// name where the page has no label for it.
    Field { key: &'static str, field: String, limit: Option<u32> },
    /// A message of `locales/*/main.ftl` with its arguments.
    KeyWith(&'static str, Vec<(&'static str, String)>),
    /// A message (with its arguments) that applies a paragraph of the law, said after it in
    /// the person's language.
    Cited(&'static str, Vec<(&'static str, String)>, rules::Citation),
}

/// Which surface answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Surface {
    Page,
    Api,
}

/// A failed request, before it is put into words.
#[derive(Debug, Clone)]
pub(crate) struct Fault {
    pub(crate) status: StatusCode,
    /// The problem type, the last part of `/problems/{kind}`.
    pub(crate) kind: &'static str,
    pub(crate) said: Said,
    /// Set for server faults: the id the person can quote, also in the log line.
    pub(crate) id: Option<String>,
    pub(crate) surface: Surface,
    /// Seconds after which the same request may succeed, sent as `Retry-After`.
    pub(crate) retry_after: Option<u64>,
}

impl Fault {
    pub(crate) fn new(status: StatusCode, kind: &'static str, said: Said) -> Fault {
        Fault { status, kind, said, id: None, surface: Surface::Page, retry_after: None }
    }

    /// Too many passwords tried on one login: how long to wait, in minutes for the person and
    /// in seconds for `Retry-After`.
    pub(crate) fn throttled(wait_seconds: u64) -> Fault {
        let said = Said::KeyWith("login-throttled", vec![("minutes", wait_seconds.div_ceil(60).to_string())]);
        Fault { retry_after: Some(wait_seconds), ..Fault::new(StatusCode::TOO_MANY_REQUESTS, "rate-limited", said) }
    }

    /// A fault of ours: logged with a fresh id, shown only as that id.
    pub(crate) fn ours(status: StatusCode, cause: &dyn std::fmt::Display) -> Fault {
        let id = crate::edge::random::token().map_or_else(|_| "unknown".to_owned(), |t| t[..12].to_owned());
        tracing::error!(error_id = %id, status = status.as_u16(), cause = %cause, "request failed");
        let (kind, key) = if status == StatusCode::SERVICE_UNAVAILABLE {
            ("unavailable", "error-unavailable")
        } else {
            ("internal", "error-internal")
        };
        Fault { status, kind, said: Said::Key(key), id: Some(id), surface: Surface::Page, retry_after: None }
    }

    fn from_store(e: StoreError) -> Fault {
        match e {
            StoreError::Refused(r) => Fault::new(refusal_status(&r.reason), "refused", Said::Refusal(r)),
            StoreError::Conflict { .. } => Fault::new(StatusCode::CONFLICT, "conflict", Said::Key("error-conflict")),
            StoreError::Duplicate(_) => Fault::new(StatusCode::CONFLICT, "duplicate", Said::Key("error-duplicate")),
            StoreError::NotFound(_) => Fault::new(StatusCode::NOT_FOUND, "not-found", Said::Key("error-not-found")),
            StoreError::IdempotencyMismatch => Fault::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency-mismatch",
                Said::Key("error-idempotency-mismatch"),
            ),
            StoreError::Blob(BlobError::Io(cause)) => Fault::ours(StatusCode::SERVICE_UNAVAILABLE, &cause),
            StoreError::Blob(b @ BlobError::Quota { .. }) => {
                Fault::new(StatusCode::PAYLOAD_TOO_LARGE, "quota", blob_said(&b))
            }
            StoreError::Blob(b) => Fault::new(StatusCode::UNPROCESSABLE_ENTITY, "document", blob_said(&b)),
            StoreError::Unavailable(_) => Fault::ours(StatusCode::SERVICE_UNAVAILABLE, &e),
            // Not "nothing was recorded": it may have been. The person retries with the same
            // key (the API's Idempotency-Key, the form's token) and is answered either way.
            StoreError::FateUnknown(_) => {
                let mut f = Fault::ours(StatusCode::SERVICE_UNAVAILABLE, &e);
                f.kind = "fate-unknown";
                f.said = Said::Key("error-fate-unknown");
                f.retry_after = Some(2);
                f
            }
            // Busy passes in a moment: said as unavailable, with a short Retry-After.
            StoreError::Busy(_) => {
                let mut f = Fault::ours(StatusCode::SERVICE_UNAVAILABLE, &e);
                f.retry_after = Some(1);
                f
            }
            other => Fault::ours(StatusCode::INTERNAL_SERVER_ERROR, &other),
        }
    }

    fn respond(mut self, surface: Surface) -> Response {
        self.surface = surface;
        let mut r = self.status.into_response();
        r.extensions_mut().insert(self);
        r
    }

    /// The message in the person's language.
    pub(crate) fn message(&self, t: &Tr) -> String {
        match &self.said {
            Said::Key(k) => t.t(k),
            Said::Refusal(r) => r.sentence(t.lang),
            Said::Text(s) => s.clone(),
            Said::KeyWith(k, args) => t.ta(k, args),
            Said::Cited(k, args, c) => format!("{} ({})", t.ta(k, args), c.localized(t.lang)),
            Said::Field { key, field, limit } => {
                // A page names the field by the label the person sees; the API by its path in
                // the JSON, which is what a client's programmer has in front of them.
                let label = format!("form-field-{field}");
                let labelled = self.surface == Surface::Page && rules::speech::has(t.lang, &label);
                let name = if labelled { t.t(&label) } else { field.clone() };
                let mut args = vec![("field", name)];
                if let Some(l) = limit {
                    args.push(("limit", l.to_string()));
                }
                t.ta(key, &args)
            }
        }
    }
}

/// What a refused upload says: the checklist's own words (App.2 item 8), not the store's.
pub(crate) fn blob_said(b: &BlobError) -> Said {
    let citation = rules::Citation::new("App.2 item 8");
    match b {
        BlobError::Empty => Said::Cited("error-file-empty", vec![], citation),
        BlobError::TooLarge { limit, .. } => {
            Said::KeyWith("error-file-too-large", vec![("limit", (limit / (1024 * 1024)).to_string())])
        }
        BlobError::UnsupportedType => Said::Cited("error-file-type", vec![], citation),
        BlobError::Missing(_) => Said::Cited("error-file-missing", vec![], citation),
        BlobError::Quota { limit } => {
            Said::KeyWith("error-upload-quota", vec![("limit", (limit / (1024 * 1024)).to_string())])
        }
        BlobError::Io(_) => Said::Key("error-unavailable"),
    }
}

/// An error of a page handler.
#[derive(Debug)]
pub(crate) struct PageError(pub(crate) Box<Fault>);

/// An error of an API handler.
#[derive(Debug)]
pub(crate) struct ApiError(pub(crate) Box<Fault>);

impl PageError {
    pub(crate) fn of(fault: Fault) -> PageError {
        PageError(Box::new(fault))
    }
    pub(crate) fn forbidden() -> PageError {
        PageError::of(Fault::new(StatusCode::FORBIDDEN, "forbidden", Said::Key("error-forbidden")))
    }
    pub(crate) fn not_found() -> PageError {
        PageError::of(Fault::new(StatusCode::NOT_FOUND, "not-found", Said::Key("error-not-found")))
    }
    pub(crate) fn with(status: StatusCode, key: &'static str) -> PageError {
        PageError::of(Fault::new(status, "problem", Said::Key(key)))
    }
    /// A fault of ours whose cause is logged, never shown.
    pub(crate) fn ours(status: StatusCode, cause: &dyn std::fmt::Display) -> PageError {
        PageError::of(Fault::ours(status, cause))
    }
    /// The law's refusal this is, if it is one: a form shows it beside the field it names.
    pub(crate) fn refusal(&self) -> Option<&Refusal> {
        match &self.0.said {
            Said::Refusal(r) => Some(r),
            _ => None,
        }
    }
}

impl ApiError {
    pub(crate) fn of(fault: Fault) -> ApiError {
        ApiError(Box::new(fault))
    }
    pub(crate) fn new(status: StatusCode, kind: &'static str, said: Said) -> ApiError {
        ApiError::of(Fault::new(status, kind, said))
    }
    /// A message of `main.ftl` under a problem type.
    pub(crate) fn key(status: StatusCode, kind: &'static str, key: &'static str) -> ApiError {
        ApiError::new(status, kind, Said::Key(key))
    }
    /// Not there, or not the caller's: the API does not say which.
    pub(crate) fn not_found(key: &'static str) -> ApiError {
        ApiError::key(StatusCode::NOT_FOUND, "not-found", key)
    }
    pub(crate) fn forbidden(key: &'static str) -> ApiError {
        ApiError::key(StatusCode::FORBIDDEN, "forbidden", key)
    }
    /// The signing office is not configured: documents cannot be made or checked.
    pub(crate) fn no_office() -> ApiError {
        ApiError::key(StatusCode::SERVICE_UNAVAILABLE, "unavailable", "signed-unavailable")
    }
}

impl From<StoreError> for PageError {
    fn from(e: StoreError) -> PageError {
        PageError::of(Fault::from_store(e))
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            // A stale `If-Match` is a failed precondition in HTTP's words.
            StoreError::Conflict { .. } => {
                ApiError::new(StatusCode::PRECONDITION_FAILED, "conflict", Said::Key("error-conflict"))
            }
            other => ApiError::of(Fault::from_store(other)),
        }
    }
}

/// The same fault, answered by the API: helpers shared by both surfaces return `PageError`.
impl From<PageError> for ApiError {
    fn from(e: PageError) -> ApiError {
        ApiError(e.0)
    }
}

impl From<askama::Error> for PageError {
    fn from(e: askama::Error) -> PageError {
        PageError::ours(StatusCode::INTERNAL_SERVER_ERROR, &e)
    }
}

/// The answer to a page script that posted a signature (NCALayer's or eGov mobile's): 200 with
/// the address to go to next, or the failure's status with its message in the person's
/// language as plain text, which the script shows as it is. A handler returns this rather
/// than a page, because the script, not the browser, reads it.
pub(crate) enum ScriptAnswer {
    Next(String),
    Failed(Box<Fault>, String),
}

impl ScriptAnswer {
    /// `next` once `signed` succeeded, else what failed, said in `t`'s language.
    pub(crate) fn of<T>(t: &Tr, signed: Result<T, PageError>, next: String) -> ScriptAnswer {
        match signed {
            Ok(_) => ScriptAnswer::Next(next),
            Err(e) => ScriptAnswer::failed(t, e),
        }
    }

    pub(crate) fn failed(t: &Tr, e: PageError) -> ScriptAnswer {
        let message = e.0.message(t);
        ScriptAnswer::Failed(e.0, message)
    }
}

impl IntoResponse for ScriptAnswer {
    fn into_response(self) -> Response {
        match self {
            ScriptAnswer::Next(next) => (StatusCode::OK, next).into_response(),
            ScriptAnswer::Failed(fault, message) => {
                (fault.status, [(axum::http::header::CONTENT_TYPE, "text/plain; charset=utf-8")], message)
                    .into_response()
            }
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        (*self.0).respond(Surface::Page)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (*self.0).respond(Surface::Api)
    }
}

/// The HTTP status of a refusal: who may act is a matter of permission (403), when is the
/// record's present state (409), and what is the content sent (422). A client can then tell
/// "not mine to do" and "not now" from "fix the request".
fn refusal_status(reason: &Reason) -> StatusCode {
    match reason {
        Reason::WrongRole { .. } | Reason::OtherAkimat { .. } | Reason::NotTheHolder | Reason::NotAMember { .. } => {
            StatusCode::FORBIDDEN
        }
        Reason::NotAtThisStage { .. } | Reason::Finished { .. } => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}
