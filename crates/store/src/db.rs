//! Connections and migrations: the only module that knows SQLite from PostgreSQL.
//!
//! Everything else writes portable SQL (`$1..$N` placeholders, TEXT ids, BIGINT instants,
//! `YYYY-MM-DD` dates, `ON CONFLICT … DO UPDATE`, `RETURNING`), which both accept.

use std::path::Path;
use std::str::FromStr;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyConnection, AnyPool, AssertSqlSafe, ConnectOptions, Connection, Executor, Row};

use crate::StoreError;

/// Which database is behind the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite file (the default).
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Backend {
    /// From a connection URL.
    pub fn of(url: &str) -> Result<Backend, StoreError> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::Config(format!("unsupported database URL {url:?}: use sqlite://FILE or postgres://…")))
        }
    }

    /// `BEGIN` for a writer: SQLite takes the write lock up front so a read-then-write
    /// transaction never fails to upgrade.
    pub(crate) fn begin_write(self) -> &'static str {
        match self {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        }
    }

    /// `BEGIN` for a consistent read of several tables (backups).
    pub(crate) fn begin_snapshot(self) -> &'static str {
        match self {
            Backend::Sqlite => "BEGIN",
            Backend::Postgres => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
        }
    }

    /// Locks the chain head for the batch (PostgreSQL: other app nodes wait; SQLite: the
    /// write lock already serializes writers).
    pub(crate) fn chain_head_query(self) -> &'static str {
        match self {
            Backend::Sqlite => "SELECT seq, hash FROM chain WHERE id = 1",
            Backend::Postgres => "SELECT seq, hash FROM chain WHERE id = 1 FOR UPDATE",
        }
    }
}

/// The SQLite URL for a file in the data directory.
pub fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}

/// The file a SQLite URL names, without its options.
pub fn sqlite_file(url: &str) -> Option<&str> {
    url.strip_prefix("sqlite://").and_then(|p| p.split('?').next())
}

/// `cache_size = -16384`: up to 16 MiB of pages per connection (the eight readers and the
/// writer) instead of SQLite's 2 MiB. A replay reads events by rowid all over the table, and
/// with 2 MiB its page reads went back to the kernel (`pread`), 5–7% of its time; it ran 1–7%
/// faster with the larger cache. `mmap_size` would avoid the copy too, but turns an I/O error
/// or a truncated file into a crash (SIGBUS) instead of an error the service can report.
///
/// `temp_store = MEMORY`: a multi-row statement inside the writer's transaction keeps a
/// statement journal (the pages it changed, to undo it alone), and past 64 KiB SQLite spilled
/// it into a new file in `/var/tmp`. A batch of 32 filings made one or two of 200–300 KiB each,
/// created, written and deleted at every commit. Kept in memory, a batch's journal is a few
/// hundred KiB for a moment; temporary tables and sorts are small here too.
const SQLITE_PRAGMAS: &str = concat!(
    "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 10000; ",
    "PRAGMA foreign_keys = ON; PRAGMA cache_size = -16384; PRAGMA temp_store = MEMORY;"
);

fn options(url: &str) -> Result<AnyConnectOptions, StoreError> {
    sqlx::any::install_default_drivers();
    Ok(AnyConnectOptions::from_str(url)?.disable_statement_logging())
}

/// How long a reader waits for a pooled connection.
pub const ACQUIRE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3);

/// A pool for readers.
pub(crate) async fn pool(url: &str, backend: Backend, max: u32) -> Result<AnyPool, StoreError> {
    let opts = options(url)?;
    let pool = AnyPoolOptions::new()
        .max_connections(max)
        // A request waits at most this long for a connection: when the database is away,
        // people get a 503 with Retry-After quickly rather than after sqlx's 30 s default.
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .after_connect(move |conn, _| {
            Box::pin(async move {
                match backend {
                    Backend::Sqlite => conn.execute(SQLITE_PRAGMAS).await?,
                    Backend::Postgres => conn.execute(POSTGRES_LIMITS).await?,
                };
                Ok(())
            })
        })
        .connect_with(opts)
        .await?;
    Ok(pool)
}

/// A dedicated connection (the writer's, a backup's), outside any pool.
pub(crate) async fn connection(url: &str, backend: Backend) -> Result<AnyConnection, StoreError> {
    let mut conn = AnyConnection::connect_with(&options(url)?).await?;
    match backend {
        Backend::Sqlite => conn.execute(SQLITE_PRAGMAS).await?,
        Backend::Postgres => conn.execute(POSTGRES_LIMITS).await?,
    };
    Ok(conn)
}

/// Limits on every PostgreSQL session: no statement runs longer than 30 s, and no transaction
/// sits idle holding locks for more than 60 s (a client that vanished mid-transaction).
/// The writer's own bound on a batch is shorter (10 s); the server's limits free what a dead
/// or partitioned node left behind.
const POSTGRES_LIMITS: &str = "SET statement_timeout = '30s'; SET idle_in_transaction_session_timeout = '60s'";

/// One migration: a version and its SQL for each backend.
pub struct Migration {
    /// Version, ascending.
    pub version: i64,
    /// Name.
    pub name: &'static str,
    /// SQLite SQL.
    pub sqlite: &'static str,
    /// PostgreSQL SQL.
    pub postgres: &'static str,
}

/// Every migration, embedded in the binary.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "init",
        sqlite: include_str!("../../../migrations/sqlite/0001_init.sql"),
        postgres: include_str!("../../../migrations/postgres/0001_init.sql"),
    },
    Migration {
        version: 2,
        name: "accounts",
        sqlite: include_str!("../../../migrations/sqlite/0002_accounts.sql"),
        postgres: include_str!("../../../migrations/postgres/0002_accounts.sql"),
    },
    Migration {
        version: 3,
        name: "complainant",
        sqlite: include_str!("../../../migrations/sqlite/0003_complainant.sql"),
        postgres: include_str!("../../../migrations/postgres/0003_complainant.sql"),
    },
    Migration {
        version: 4,
        name: "drafts",
        sqlite: include_str!("../../../migrations/sqlite/0004_drafts.sql"),
        postgres: include_str!("../../../migrations/postgres/0004_drafts.sql"),
    },
    Migration {
        version: 5,
        name: "akimat hours",
        sqlite: include_str!("../../../migrations/sqlite/0005_akimat_hours.sql"),
        postgres: include_str!("../../../migrations/postgres/0005_akimat_hours.sql"),
    },
    Migration {
        version: 6,
        name: "application signatures",
        sqlite: include_str!("../../../migrations/sqlite/0006_application_signatures.sql"),
        postgres: include_str!("../../../migrations/postgres/0006_application_signatures.sql"),
    },
    Migration {
        version: 7,
        name: "signed documents",
        sqlite: include_str!("../../../migrations/sqlite/0007_signed_documents.sql"),
        postgres: include_str!("../../../migrations/postgres/0007_signed_documents.sql"),
    },
    Migration {
        version: 8,
        name: "representative",
        sqlite: include_str!("../../../migrations/sqlite/0008_representative.sql"),
        postgres: include_str!("../../../migrations/postgres/0008_representative.sql"),
    },
    Migration {
        version: 9,
        name: "rate limits",
        sqlite: include_str!("../../../migrations/sqlite/0009_rate_limits.sql"),
        postgres: include_str!("../../../migrations/postgres/0009_rate_limits.sql"),
    },
    Migration {
        version: 10,
        name: "minutes",
        sqlite: include_str!("../../../migrations/sqlite/0010_minutes.sql"),
        postgres: include_str!("../../../migrations/postgres/0010_minutes.sql"),
    },
    Migration {
        version: 11,
        name: "identity by EDS",
        sqlite: include_str!("../../../migrations/sqlite/0011_identity.sql"),
        postgres: include_str!("../../../migrations/postgres/0011_identity.sql"),
    },
    Migration {
        version: 12,
        name: "uploads and signers",
        sqlite: include_str!("../../../migrations/sqlite/0012_uploads.sql"),
        postgres: include_str!("../../../migrations/postgres/0012_uploads.sql"),
    },
    Migration {
        version: 13,
        name: "result signing",
        sqlite: include_str!("../../../migrations/sqlite/0013_result_signing.sql"),
        postgres: include_str!("../../../migrations/postgres/0013_result_signing.sql"),
    },
    Migration {
        version: 14,
        name: "account care",
        sqlite: include_str!("../../../migrations/sqlite/0014_account_care.sql"),
        postgres: include_str!("../../../migrations/postgres/0014_account_care.sql"),
    },
    Migration {
        version: 15,
        name: "name parts",
        sqlite: include_str!("../../../migrations/sqlite/0015_name_parts.sql"),
        postgres: include_str!("../../../migrations/postgres/0015_name_parts.sql"),
    },
    Migration {
        version: 16,
        name: "case profession",
        sqlite: include_str!("../../../migrations/sqlite/0016_case_profession.sql"),
        postgres: include_str!("../../../migrations/postgres/0016_case_profession.sql"),
    },
    Migration {
        version: 17,
        name: "notifications",
        sqlite: include_str!("../../../migrations/sqlite/0017_notifications.sql"),
        postgres: include_str!("../../../migrations/postgres/0017_notifications.sql"),
    },
    Migration {
        version: 18,
        name: "jobs",
        sqlite: include_str!("../../../migrations/sqlite/0018_jobs.sql"),
        postgres: include_str!("../../../migrations/postgres/0018_jobs.sql"),
    },
    Migration {
        version: 19,
        name: "escalations",
        sqlite: include_str!("../../../migrations/sqlite/0019_escalations.sql"),
        postgres: include_str!("../../../migrations/postgres/0019_escalations.sql"),
    },
    Migration {
        version: 20,
        name: "obligations_reports",
        sqlite: include_str!("../../../migrations/sqlite/0020_obligations_reports.sql"),
        postgres: include_str!("../../../migrations/postgres/0020_obligations_reports.sql"),
    },
    Migration {
        version: 21,
        name: "drop_report_outcomes",
        sqlite: include_str!("../../../migrations/sqlite/0021_drop_report_outcomes.sql"),
        postgres: include_str!("../../../migrations/postgres/0021_drop_report_outcomes.sql"),
    },
    Migration {
        version: 22,
        name: "proven_identity",
        sqlite: include_str!("../../../migrations/sqlite/0022_proven_identity.sql"),
        postgres: include_str!("../../../migrations/postgres/0022_proven_identity.sql"),
    },
    Migration {
        version: 23,
        name: "mobile_signing",
        sqlite: include_str!("../../../migrations/sqlite/0023_mobile_signing.sql"),
        postgres: include_str!("../../../migrations/postgres/0023_mobile_signing.sql"),
    },
    Migration {
        version: 24,
        name: "access_log",
        sqlite: include_str!("../../../migrations/sqlite/0024_access_log.sql"),
        postgres: include_str!("../../../migrations/postgres/0024_access_log.sql"),
    },
    Migration {
        version: 25,
        name: "access_log_reader",
        sqlite: include_str!("../../../migrations/sqlite/0025_access_log_reader.sql"),
        postgres: include_str!("../../../migrations/postgres/0025_access_log_reader.sql"),
    },
    Migration {
        version: 26,
        name: "job_sending",
        sqlite: include_str!("../../../migrations/sqlite/0026_job_sending.sql"),
        postgres: include_str!("../../../migrations/postgres/0026_job_sending.sql"),
    },
    Migration {
        version: 27,
        name: "search_names",
        sqlite: include_str!("../../../migrations/sqlite/0027_search_names.sql"),
        postgres: include_str!("../../../migrations/postgres/0027_search_names.sql"),
    },
    Migration {
        version: 28,
        name: "without_rowid",
        sqlite: include_str!("../../../migrations/sqlite/0028_without_rowid.sql"),
        postgres: include_str!("../../../migrations/postgres/0028_without_rowid.sql"),
    },
    Migration {
        version: 29,
        name: "pending_jobs",
        sqlite: include_str!("../../../migrations/sqlite/0029_pending_jobs.sql"),
        postgres: include_str!("../../../migrations/postgres/0029_pending_jobs.sql"),
    },
    Migration {
        version: 30,
        name: "documents",
        sqlite: include_str!("../../../migrations/sqlite/0030_documents.sql"),
        postgres: include_str!("../../../migrations/postgres/0030_documents.sql"),
    },
];

/// Splits a migration into statements: `;` at a line end, comments dropped.
pub(crate) fn statements(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in sql.lines() {
        let code = line.split("--").next().unwrap_or("").trim_end();
        if code.trim().is_empty() {
            continue;
        }
        current.push_str(code);
        current.push('\n');
        if code.ends_with(';') {
            out.push(current.trim().trim_end_matches(';').to_owned());
            current.clear();
        }
    }
    if !current.trim().is_empty() {
        out.push(current.trim().to_owned());
    }
    out
}

/// Applies the migrations not yet applied, each in its own transaction.
pub(crate) async fn migrate(conn: &mut AnyConnection, backend: Backend) -> Result<Vec<i64>, StoreError> {
    if backend == Backend::Sqlite {
        return migrate_locked(conn, backend).await;
    }
    // Nodes starting together on an empty PostgreSQL database take turns: without the lock
    // two of them create the same tables and one fails to start. The lock is the session's,
    // so it is released explicitly whatever happened.
    conn.execute("SELECT pg_advisory_lock(4242426001)").await?;
    let result = migrate_locked(conn, backend).await;
    let unlocked = conn.execute("SELECT pg_advisory_unlock(4242426001)").await;
    let done = result?;
    unlocked?;
    Ok(done)
}

async fn migrate_locked(conn: &mut AnyConnection, backend: Backend) -> Result<Vec<i64>, StoreError> {
    conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_ms BIGINT NOT NULL)")
        .await?;
    let applied: Vec<i64> = sqlx::query("SELECT version FROM schema_migrations")
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| r.try_get::<i64, _>(0))
        .collect::<Result<_, _>>()?;
    let mut done = Vec::new();
    for m in MIGRATIONS.iter().filter(|m| !applied.contains(&m.version)) {
        let sql = match backend {
            Backend::Sqlite => m.sqlite,
            Backend::Postgres => m.postgres,
        };
        conn.execute(backend.begin_write()).await?;
        for stmt in statements(sql) {
            // The statements are the embedded migration files.
            if let Err(e) = sqlx::raw_sql(AssertSqlSafe(stmt)).execute(&mut *conn).await {
                let _ = conn.execute("ROLLBACK").await;
                return Err(StoreError::Migration(format!("{} ({}): {e}", m.version, m.name)));
            }
        }
        sqlx::query("INSERT INTO schema_migrations (version, name, applied_ms) VALUES ($1, $2, $3)")
            .bind(m.version)
            .bind(m.name)
            .bind(jiff::Timestamp::now().as_millisecond())
            .execute(&mut *conn)
            .await?;
        conn.execute("COMMIT").await?;
        done.push(m.version);
    }
    Ok(done)
}

/// Whether a statement broke a unique constraint, by the driver's error kind (SQLite's
/// extended code 2067/1555, PostgreSQL's SQLSTATE 23505), not by the wording of its message.
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// `head (v1, v2, …)` for every value, 400 values per statement; only placeholders are
/// formatted into the statement. SQLite's are anonymous for the reason
/// `writer::rows::multi_insert` gives.
pub(crate) async fn select_in(
    conn: &mut AnyConnection,
    head: &str,
    values: &[String],
) -> Result<Vec<sqlx::any::AnyRow>, StoreError> {
    select_in_then(conn, head, values, "").await
}

/// [`select_in`] with `tail` after the list (a `GROUP BY`).
pub(crate) async fn select_in_then(
    conn: &mut AnyConnection,
    head: &str,
    values: &[String],
    tail: &str,
) -> Result<Vec<sqlx::any::AnyRow>, StoreError> {
    /// Values bound per statement, far under both backends' limits.
    const CHUNK: usize = 400;
    let numbered = conn.backend_name() != "SQLite";
    let mut out = Vec::new();
    for chunk in values.chunks(CHUNK) {
        let marks: Vec<String> =
            (1..=chunk.len()).map(|i| if numbered { format!("${i}") } else { "?".to_owned() }).collect();
        let mut q = sqlx::query(AssertSqlSafe(format!("{head} ({}){tail}", marks.join(", "))));
        for v in chunk {
            q = q.bind(v.clone());
        }
        out.extend(q.fetch_all(&mut *conn).await?);
    }
    Ok(out)
}
