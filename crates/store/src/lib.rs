//! The durable store: an append-only, hash-chained event log with read models updated in the
//! same transaction, on embedded SQLite (default) or PostgreSQL, through one code path.
//!
//! The service layer lives here: [`Store::execute`] loads a case, lets the `rules` core
//! decide, appends the events, updates the read models and commits, and only then answers.
//! One writer task per process takes the commands that arrive together and commits them in
//! one transaction (group commit). Each command's writes are kept in memory with an undo
//! journal until the batch ends, so a refusal or a conflict in one is undone without touching
//! the others (see `writer`). Nothing here decides what the law allows: that
//! is `rules`; only SQL, files and durability live here.

pub mod access;
pub mod accounts;
pub mod audit;
pub mod backup;
pub mod blobs;
pub mod chain;
pub mod codec;
pub mod db;
pub mod escalation;
pub mod findings;
pub mod health;
pub mod imports;
pub mod jobs;
pub mod limits;
pub mod minutes;
pub mod mobile;
pub mod notifications;
pub mod obligations;
mod read;
mod rebuild;
pub mod recover;
pub mod replay;
pub mod reports;
pub mod results;
mod side;
pub mod signatures;
mod tags;
pub mod uploads;
pub mod witness;
mod writer;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use jiff::Timestamp;
use jiff::civil::Date;
use rules::case::{Application, CaseAction};
use rules::certificate::CertificateCommand;
use rules::complaint::{ComplaintCommand, Filing};
use rules::numbers::{CaseNumber, CertificateNumber};
use rules::{Actor, Calendar, Law, Refusal, WorkingHours};
use serde::{Deserialize, Serialize};
use sqlx::{AnyPool, Row};
use tokio::sync::{mpsc, oneshot};

pub use accounts::{NameParts, User};
pub use audit::{Account, AuditEntry, AuditFilter, Ending, SessionInfo};
pub use blobs::{BlobError, BlobRef, BlobStore};
pub use chain::{Broken, Verification};
pub use db::Backend;
pub use read::{CaseSearch, QueueFrom, QueueRow, StoredEvent};
pub use results::AuthorisedSigner;
pub use signatures::{ApplicationSignature, CaseSignature, SignatureOn, SignedDocument};

/// What can go wrong in the store. A refusal of the law is carried, not turned into an error
/// of the program.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The law refused the command.
    #[error("{0}")]
    Refused(Refusal),
    /// Another writer changed the case first.
    #[error("{stream} is at version {actual}, not {expected}: reload and try again")]
    Conflict {
        /// The stream.
        stream: String,
        /// The version the caller expected.
        expected: u64,
        /// The version it is at.
        actual: u64,
    },
    /// No such case, certificate or complaint.
    #[error("{0} not found")]
    NotFound(String),
    /// The login (or other unique name) is taken.
    #[error("{0} is already taken")]
    Duplicate(String),
    /// The idempotency key was used for another request.
    #[error("the idempotency key was already used for a different request")]
    IdempotencyMismatch,
    /// A document problem.
    #[error(transparent)]
    Blob(#[from] BlobError),
    /// The database cannot be reached or failed the statement (its connection, disk or
    /// server); nothing was acknowledged, and the same request may succeed later.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// The database is busy (a lock held, a serialization failure, no free connection):
    /// nothing was acknowledged, and a retry in a moment is likely to succeed.
    #[error("database busy: {0}")]
    Busy(String),
    /// A migration failed.
    #[error("migration {0}")]
    Migration(String),
    /// Bad configuration.
    #[error("{0}")]
    Config(String),
    /// Stored data could not be read back.
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
    /// The commit was sent but its answer never came (the connection broke during COMMIT, or
    /// the batch outlived its bound): the writes may or may not be durable. A retry with the
    /// same idempotency key answers either way without doing anything twice.
    #[error("the database did not confirm the commit: {0}")]
    FateUnknown(String),
    /// The database lost committed events, or its history is not the one its witness saw
    /// (`witness`): the service does not start on it. The text says what to do.
    #[error("{0}")]
    Lost(String),
}

impl From<sqlx::Error> for StoreError {
    /// Keeps the kind of the failure, read from the driver's error and the database's code,
    /// so that callers act on the kind and never on the text.
    fn from(e: sqlx::Error) -> StoreError {
        use sqlx::Error as E;
        match &e {
            E::RowNotFound => StoreError::NotFound(e.to_string()),
            E::PoolTimedOut => StoreError::Busy(e.to_string()),
            E::ColumnDecode { .. } | E::Decode(_) | E::ColumnNotFound(_) | E::TypeNotFound { .. } => {
                StoreError::Corrupt(e.to_string())
            }
            E::Database(db) if db.code().is_some_and(|c| BUSY_CODES.contains(&c.as_ref())) => {
                StoreError::Busy(e.to_string())
            }
            // Overwritten pages: said as what they are, with what to do, not as a bare error.
            E::Database(db) if db.code().is_some_and(|c| DAMAGED_CODES.contains(&c.as_ref())) => {
                StoreError::Corrupt(format!(
                    "the database file is damaged ({e}). The service does not serve from it: restore it from a \
                     backup (`qualcert restore DIR` into an empty database); `qualcert audit verify` says what can \
                     still be read"
                ))
            }
            _ => StoreError::Unavailable(e.to_string()),
        }
    }
}

/// The witness of the database on `conn` (`witness`), checked: a database behind it, or on
/// another history, is refused with what to do. A database without one gets one now.
async fn witnessed(conn: &mut sqlx::AnyConnection, path: &std::path::Path) -> Result<witness::Witness, StoreError> {
    let (seq, hash) = chain::head(&mut *conn).await?;
    let mut counters = std::collections::BTreeMap::new();
    for r in sqlx::query("SELECT name, value FROM counters").fetch_all(&mut *conn).await? {
        counters.insert(r.try_get::<String, _>(0)?, r.try_get::<i64, _>(1)?);
    }
    if let Some(w) = witness::read(path)? {
        let at = chain::hash_at(&mut *conn, w.seq).await?;
        if let Some(told) = witness::standing(&w, seq, at.as_deref()).refusal(path) {
            return Err(StoreError::Lost(told));
        }
        // Counters never fall back below what the witness saw given out; only those that did
        // are written, so a sound start writes nothing.
        let behind: std::collections::BTreeMap<String, i64> =
            w.counters.into_iter().filter(|(name, value)| counters.get(name).is_none_or(|db| db < value)).collect();
        recover::raise_counters(conn, &behind).await?;
        counters.extend(behind);
    }
    let now = witness::Witness { seq, hash, counters };
    witness::write(path, &now)
        .map_err(|e| StoreError::Config(format!("writing the witness {}: {e}", path.display())))?;
    Ok(now)
}

/// The codes a database answers when it is busy rather than broken: SQLite's `SQLITE_BUSY`
/// (5) and `SQLITE_LOCKED` (6) with their extended codes, PostgreSQL's serialization failure,
/// deadlock and lock not available (40001, 40P01, 55P03).
const BUSY_CODES: [&str; 9] = ["5", "6", "261", "262", "517", "773", "40001", "40P01", "55P03"];

/// The codes of a damaged database file: SQLite's `SQLITE_CORRUPT` (11, with its extended
/// codes) and `SQLITE_NOTADB` (26); PostgreSQL's data corrupted and index corrupted.
const DAMAGED_CODES: [&str; 7] = ["11", "26", "267", "523", "779", "XX001", "XX002"];

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> StoreError {
        StoreError::Corrupt(e.to_string())
    }
}

/// The data decisions are made against: calendar, law, and each akimat's hours.
#[derive(Debug, Clone)]
pub struct Reference {
    /// The working-day calendar.
    pub calendar: Calendar,
    /// Rule sets, criteria, list, akimats.
    pub law: Law,
    /// Working hours by akimat code.
    pub hours: HashMap<rules::AkimatCode, WorkingHours>,
}

impl Reference {
    /// Every akimat keeps the hours of the rule set in force today (App.2 item 7) in its zone
    /// from the tz database, until the administrator records its own schedule.
    pub fn standard(calendar: Calendar, law: Law) -> Result<Reference, StoreError> {
        let almaty = jiff::tz::TimeZone::get("Asia/Almaty").unwrap_or(jiff::tz::TimeZone::UTC);
        let today = almaty.to_datetime(Timestamp::now()).date();
        let set = law.set_on(today);
        let mut hours = HashMap::new();
        for a in &law.akimats {
            let tz =
                jiff::tz::TimeZone::get(&a.zone).map_err(|e| StoreError::Config(format!("zone {}: {e}", a.zone)))?;
            hours.insert(a.code.clone(), WorkingHours::of(&set.working_hours, tz));
        }
        Ok(Reference { calendar, law, hours })
    }

    /// The embedded calendar and law.
    pub fn embedded() -> Result<Reference, StoreError> {
        let calendar = Calendar::embedded().map_err(|e| StoreError::Config(e.to_string()))?;
        let law = Law::embedded().map_err(StoreError::Config)?;
        Reference::standard(calendar, law)
    }

    /// The working hours and time zone of `akimat`, or not found.
    pub fn hours(&self, akimat: &str) -> Result<&WorkingHours, StoreError> {
        self.hours.get(akimat).ok_or_else(|| StoreError::NotFound(format!("akimat {akimat}")))
    }
}

/// A command for the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "request", rename_all = "kebab-case")]
pub enum Request {
    /// File an application; the store allocates the case number.
    Submit {
        /// The application.
        application: Box<Application>,
    },
    /// Act on a case.
    Case {
        /// The case.
        number: CaseNumber,
        /// The version the actor saw (`If-Match`); `None` to act on the current one.
        expected_version: Option<u64>,
        /// What to do.
        action: CaseAction,
    },
    /// Act on a certificate (revoke, notices).
    Certificate {
        /// The certificate.
        number: CertificateNumber,
        /// What to do.
        command: CertificateCommand,
    },
    /// File a complaint.
    FileComplaint {
        /// The complaint.
        filing: Filing,
    },
    /// Act on a complaint.
    Complaint {
        /// The complaint.
        number: CaseNumber,
        /// The version the actor saw.
        expected_version: Option<u64>,
        /// What to do.
        command: ComplaintCommand,
    },
}

/// What a committed command did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applied {
    /// The stream acted on (`case/Z-AST-2026-000001-P`).
    pub stream: String,
    /// The case, certificate or complaint number.
    pub number: String,
    /// Its version after the command.
    pub version: u64,
    /// The kinds of the events appended to it.
    pub events: Vec<String>,
    /// The global sequence number of the last event written.
    pub last_seq: i64,
    /// True when this is the stored answer to an earlier request with the same key.
    pub replayed: bool,
}

/// How to open a store.
#[derive(Debug, Clone)]
pub struct Config {
    /// `sqlite://FILE?mode=rwc` or `postgres://…`.
    pub url: String,
    /// The document directory.
    pub blobs: PathBuf,
    /// Reader connections.
    pub readers: u32,
    /// The most commands one group commit takes.
    pub max_batch: usize,
}

impl Config {
    /// The embedded default: `<data>/qualcert.db` and `<data>/blobs`.
    pub fn in_data_dir(data: &std::path::Path) -> Config {
        Config { url: db::sqlite_url(&data.join("qualcert.db")), blobs: data.join("blobs"), readers: 8, max_batch: 256 }
    }

    /// A database URL with blobs under `data`.
    pub fn with_url(url: &str, data: &std::path::Path) -> Config {
        Config { url: url.to_owned(), ..Config::in_data_dir(data) }
    }
}

/// Work for the writer: a command, or a row kept beside the commands.
pub(crate) enum Job {
    Command(CommandJob),
    Side(SideJob),
}

/// A command for the writer.
pub(crate) struct CommandJob {
    actor: Actor,
    now: Timestamp,
    request: Request,
    key: Option<String>,
    reply: oneshot::Sender<Result<Applied, StoreError>>,
}

/// A row that is not a command but must be durable before its caller is answered (a
/// document's owner, …). It goes through the writer's batches like a command, so no request
/// holds SQLite's one write lock alone and pays an fsync of its own (issue 34): it commits
/// with whatever commands are waiting, and is answered when that commit returns.
pub(crate) struct SideJob {
    row: side::Side,
    reply: oneshot::Sender<Result<(), StoreError>>,
}

/// Counters of the writer, for tests and `/metrics`.
#[derive(Debug, Default)]
pub struct WriterStats {
    /// Transactions committed that carried commands (side rows ride along uncounted).
    pub commits: AtomicU64,
    /// Commands answered from those commits.
    pub commands: AtomicU64,
}

/// The working hours in force per akimat: the defaults, with the administrator's changes.
pub(crate) type Hours = Arc<std::sync::RwLock<HashMap<rules::AkimatCode, WorkingHours>>>;

struct Inner {
    stats: Arc<WriterStats>,
    hours: Hours,
    config: Config,
    backend: Backend,
    pool: AnyPool,
    blobs: BlobStore,
    reference: Arc<Reference>,
    jobs: mpsc::Sender<Job>,
    findings: findings::Findings,
    /// Whether staff reads are recorded (`access`); off only to measure what recording costs.
    access_log: std::sync::atomic::AtomicBool,
    /// Staff reads gathered for the next flush (`access`).
    access_reads: std::sync::Mutex<Vec<side::Read>>,
}

/// Documents a node kept as files before they moved into PostgreSQL (issue 35): each is put
/// in the `documents` table (a no-op for one already there) before the node serves, so a
/// store upgraded in place loses none. The files stay; the table is what is read from now.
async fn move_files_in(files: &BlobStore, table: &BlobStore) -> Result<(), StoreError> {
    let hashes = files.list().await?;
    let mut moved = 0;
    for h in &hashes {
        if !table.contains(h).await {
            table.keep(files.get(h).await?).await?;
            moved += 1;
        }
    }
    if moved > 0 {
        tracing::info!(documents = moved, "documents moved from the data folder into the database");
    }
    Ok(())
}

/// The store: cheap to clone, shared by every request handler.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

impl Store {
    /// Opens (creating if needed) the database, applies migrations and starts the writer.
    pub async fn open(config: Config, reference: Reference) -> Result<Store, StoreError> {
        let backend = Backend::of(&config.url)?;
        if backend == Backend::Sqlite
            && let Some(path) = db::sqlite_file(&config.url)
            && let Some(dir) = std::path::Path::new(path).parent()
        {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Config(format!("creating {}: {e}", dir.display())))?;
        }
        let mut conn = db::connection(&config.url, backend).await?;
        db::migrate(&mut conn, backend).await?;
        let mut current = reference.hours.clone();
        for row in sqlx::query("SELECT akimat, start_time, end_time FROM akimat_hours").fetch_all(&mut conn).await? {
            let (akimat, start, end): (String, String, String) = (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
            if let (Some(h), Ok(s), Ok(e)) = (current.get_mut(akimat.as_str()), start.parse(), end.parse()) {
                h.start = s;
                h.end = e;
            }
        }
        if let Some(r) = rebuild::pending(&mut conn, &reference, &current).await? {
            tracing::info!(
                events = r.events,
                cells = r.cells,
                windows = r.windows,
                running = r.running,
                "read models rebuilt from the event log"
            );
        }
        let witness_path = witness::path_of(&config, backend);
        let witnessed = witnessed(&mut conn, &witness_path).await?;
        let wal = writer::writer_mode(&mut conn, backend, &config.url).await?;
        let hours: Hours = Arc::new(std::sync::RwLock::new(current));
        let pool = db::pool(&config.url, backend, config.readers).await?;
        let files = BlobStore::new(&config.blobs);
        let swept = files.sweep_temporary();
        if swept > 0 {
            tracing::info!(files = swept, "removed temporary files of interrupted uploads");
        }
        let blobs = match backend {
            Backend::Sqlite => files,
            Backend::Postgres => {
                let table = BlobStore::in_database(pool.clone());
                move_files_in(&files, &table).await?;
                table
            }
        };
        let reference = Arc::new(reference);
        let (tx, rx) = mpsc::channel(4096);
        let stats = Arc::new(WriterStats::default());
        let task = writer::run(
            writer::Writer {
                stats: Arc::clone(&stats),
                hours: Arc::clone(&hours),
                conn,
                url: config.url.clone(),
                backend,
                reference: Arc::clone(&reference),
                blobs: blobs.clone(),
                max_batch: config.max_batch.max(1),
                witness: (witness::Keeper::new(witness_path), witnessed),
                wal,
            },
            rx,
        );
        writer::start(task, backend)?;
        Ok(Store {
            inner: Arc::new(Inner {
                stats,
                hours,
                config,
                backend,
                pool,
                blobs,
                reference,
                jobs: tx,
                findings: Default::default(),
                access_log: std::sync::atomic::AtomicBool::new(true),
                access_reads: std::sync::Mutex::default(),
            }),
        })
    }

    /// Runs a command: decided by the rules, appended and committed durably before this
    /// returns. With an idempotency key, a retry returns the first answer.
    pub async fn execute(
        &self,
        actor: Actor,
        now: Timestamp,
        request: Request,
        idempotency_key: Option<&str>,
    ) -> Result<Applied, StoreError> {
        let (reply, rx) = oneshot::channel();
        let key = idempotency_key.map(|k| format!("{}:{k}", actor.id));
        self.inner
            .jobs
            .send(Job::Command(CommandJob { actor, now, request, key, reply }))
            .await
            .map_err(|_| StoreError::Unavailable("the writer has stopped".into()))?;
        rx.await.map_err(|_| StoreError::Unavailable("the writer stopped before answering".into()))?
    }

    /// Keeps `row` durably through the writer's group commit, answered once committed.
    pub(crate) async fn keep(&self, row: side::Side) -> Result<(), StoreError> {
        let (reply, rx) = oneshot::channel();
        self.inner
            .jobs
            .send(Job::Side(SideJob { row, reply }))
            .await
            .map_err(|_| StoreError::Unavailable("the writer has stopped".into()))?;
        rx.await.map_err(|_| StoreError::Unavailable("the writer stopped before answering".into()))?
    }

    /// Commits the staff reads gathered so far (`access`), then closes the readers' pool:
    /// every read after it fails as when the database is away. Used at shutdown, once the
    /// server has stopped taking requests (`qualcert serve`).
    pub async fn close(&self) {
        self.flush_access().await;
        self.inner.pool.close().await;
    }

    /// Commits and commands so far: commands per commit above 1 is group commit at work.
    pub fn writer_stats(&self) -> (u64, u64) {
        (self.inner.stats.commits.load(Ordering::Relaxed), self.inner.stats.commands.load(Ordering::Relaxed))
    }

    /// The backend.
    pub fn backend(&self) -> Backend {
        self.inner.backend
    }

    /// The document store.
    pub fn blobs(&self) -> &BlobStore {
        &self.inner.blobs
    }

    /// The reference data.
    pub fn reference(&self) -> &Reference {
        &self.inner.reference
    }

    /// The configuration it was opened with.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    pub(crate) fn findings_kept(&self) -> &findings::Findings {
        &self.inner.findings
    }

    pub(crate) fn pool(&self) -> &AnyPool {
        &self.inner.pool
    }

    /// The working hours in force at an akimat.
    pub fn hours_of(&self, akimat: &str) -> Result<WorkingHours, StoreError> {
        let map = self.inner.hours.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        map.get(akimat).cloned().ok_or_else(|| StoreError::NotFound(format!("akimat {akimat}")))
    }

    /// Sets an akimat's working hours (App.2 item 7: what counts as received when), durably;
    /// they apply to every filing from the next batch on.
    pub async fn set_hours(
        &self,
        akimat: &str,
        start: jiff::civil::Time,
        end: jiff::civil::Time,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        if start >= end {
            return Err(StoreError::Config("the working day must start before it ends".into()));
        }
        self.hours_of(akimat)?;
        sqlx::query(
            "INSERT INTO akimat_hours (akimat, start_time, end_time, updated_ms) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (akimat) DO UPDATE SET start_time = excluded.start_time, end_time = excluded.end_time, updated_ms = excluded.updated_ms",
        )
        .bind(akimat.to_owned())
        .bind(start.strftime("%H:%M").to_string())
        .bind(end.strftime("%H:%M").to_string())
        .bind(now_ms)
        .execute(self.pool())
        .await?;
        let mut map = self.inner.hours.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(h) = map.get_mut(akimat) {
            h.start = start;
            h.end = end;
        }
        Ok(())
    }

    /// Today in an akimat's zone, for queries like "overdue".
    pub fn today(&self, akimat: &str, now: Timestamp) -> Result<Date, StoreError> {
        Ok(self.inner.reference.hours(akimat)?.zone.to_datetime(now).date())
    }

    /// The latest date any akimat's clock reads at `now`. The clocks agree to within a day:
    /// a sweep asks the index for what is due by this day, then judges each row on its own
    /// akimat's day.
    pub(crate) fn latest_day(&self, now: Timestamp) -> Date {
        self.reference()
            .hours
            .values()
            .map(|h| h.zone.to_datetime(now).date())
            .max()
            .unwrap_or_else(|| jiff::tz::TimeZone::UTC.to_datetime(now).date())
    }
}

#[cfg(test)]
mod tests {
    use super::StoreError;

    /// Issue 32: a store error keeps the kind of the failure, read from the driver, not its
    /// text: what is missing, what is busy (retry in a moment), what is unreadable.
    #[test]
    fn issue_32_a_store_error_keeps_its_kind() {
        assert!(matches!(StoreError::from(sqlx::Error::RowNotFound), StoreError::NotFound(_)));
        assert!(matches!(StoreError::from(sqlx::Error::PoolTimedOut), StoreError::Busy(_)));
        assert!(matches!(StoreError::from(sqlx::Error::ColumnNotFound("x".into())), StoreError::Corrupt(_)));
        assert!(matches!(StoreError::from(sqlx::Error::PoolClosed), StoreError::Unavailable(_)));
    }
}
