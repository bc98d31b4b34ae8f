//! The rows that are not commands but go through the writer's group commit beside them
//! (`Store::keep`): on the ground floor, so that the modules which keep them (uploads,
//! sessions, jobs, notices) and the writer that writes them both stand on it.

/// A row kept through the writer beside the commands (`Store::keep`).
#[derive(Debug, Clone)]
pub(crate) enum Side {
    /// That `owner` uploaded the document `sha256` (`Store::upload`): what lets them name it
    /// in a filing, and counts against their quota.
    Upload { owner: String, sha256: String, size: i64, created_ms: i64 },
    /// A new session (`Store::create_session`): durable before its cookie is set.
    Session {
        id: String,
        handle: String,
        kind: String,
        user_id: String,
        csrf: String,
        created_ms: i64,
        expires_ms: i64,
    },
    /// Where and in which language a person wants their notices (`Store::set_contact`).
    Contact { iin: String, email: Option<String>, lang: String },
    /// A person's notices up to `up_to` read (`Store::mark_read`).
    ReadMark { iin: String, up_to: i64, read_ms: i64 },
    /// A job done (`Store::finish_job`).
    JobDone { id: String, done_ms: i64 },
    /// A job failed this time (`Store::fail_job`): tried again after `run_after_ms`, or given up.
    JobFailed { id: String, state: &'static str, error: String, run_after_ms: i64 },
    /// A job claimed and not begun, given back (`Store::release_job`).
    JobReleased { id: String },
    /// A delivery begins its SMTP transaction (`jobs.sending_ms`): durable before it starts.
    JobSending { id: String, at_ms: i64 },
    /// Reads of persons' records by staff, gathered for a moment (`Store::record_access`).
    Access(Vec<Read>),
}

/// One read of a person's record.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Read {
    /// Whose record: the person's IIN.
    pub subject_iin: String,
    /// When (ms since the epoch).
    pub at_ms: i64,
    /// The reader's account.
    pub reader_id: String,
    /// Their role (`officer`, `commission`, `reviewer`, `administrator`).
    pub reader_role: String,
    /// Their akimat, for an akimat's staff.
    pub reader_akimat: Option<String>,
    /// The record read (`case/Z-…`, `certificate/…`, `complaint/…`).
    pub record: String,
    /// The page or endpoint (its route pattern, `/cases/{number}`).
    pub route: String,
    /// Why: the route's purpose (`processing`, `review`, `audit`).
    pub purpose: String,
}
