//! Online backup and restore, the same for SQLite and PostgreSQL.
//!
//! A backup reads every table in one consistent snapshot (a read transaction: SQLite WAL
//! or PostgreSQL REPEATABLE READ) while the service keeps running. It writes one JSON-lines
//! file per table and copies the documents the database references, then writes
//! `manifest.json` last with each file's row count and SHA-256. A directory without a
//! manifest is not a backup. Restore checks the manifest, loads an empty database in one
//! transaction, copies the documents and verifies the hash chain. Because the format is the
//! same for both backends, it also moves a service from SQLite to PostgreSQL.

use std::fs;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::{AssertSqlSafe, Executor, Row};

use crate::blobs::{BlobError, BlobStore};
use crate::db::{self, Backend};
use crate::{Config, Reference, Store, StoreError};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Col {
    Int,
    Text,
    OptText,
    OptInt,
}

/// Every table a backup holds, with its columns, in load order. Sessions and EDS challenges
/// are left out on purpose: a restored service asks everyone to log in again.
const TABLES: &[(&str, &[(&str, Col)])] = &[
    (
        "events",
        &[
            ("global_seq", Col::Int),
            ("stream", Col::Text),
            ("stream_seq", Col::Int),
            ("kind", Col::Text),
            ("payload", Col::Text),
            ("actor", Col::Text),
            ("role", Col::Text),
            ("at_ms", Col::Int),
            ("citation", Col::Text),
            ("prev_hash", Col::Text),
            ("hash", Col::Text),
        ],
    ),
    ("chain", &[("id", Col::Int), ("seq", Col::Int), ("hash", Col::Text)]),
    ("counters", &[("name", Col::Text), ("value", Col::Int)]),
    (
        "idempotency",
        &[("key", Col::Text), ("request_hash", Col::Text), ("response", Col::Text), ("created_ms", Col::Int)],
    ),
    (
        "cases",
        &[
            ("number", Col::Text),
            ("akimat", Col::Text),
            ("service", Col::Text),
            ("state", Col::Text),
            ("applicant_iin", Col::Text),
            ("document_no", Col::Text),
            ("version", Col::Int),
            ("received_on", Col::Text),
            ("due_on", Col::OptText),
            ("late", Col::Int),
            ("updated_ms", Col::Int),
            ("snapshot", Col::Text),
            // Last, so a backup made before it existed restores with it empty.
            ("representative_iin", Col::OptText),
            ("result_signed_ms", Col::OptInt),
            ("profession", Col::OptText),
            ("escalate_on", Col::OptText),
            ("due_from", Col::OptText),
            ("due_days", Col::OptInt),
            ("names", Col::OptText),
        ],
    ),
    (
        "certificates",
        &[
            ("number", Col::Text),
            ("akimat", Col::Text),
            ("holder_iin", Col::Text),
            ("valid_from", Col::Text),
            ("valid_to", Col::Text),
            ("revoked_on", Col::OptText),
            ("superseded_by", Col::OptText),
            ("version", Col::Int),
            ("snapshot", Col::Text),
            // Last, so a backup made before it existed restores with it empty.
            ("names", Col::OptText),
        ],
    ),
    (
        "complaints",
        &[
            ("number", Col::Text),
            ("akimat", Col::Text),
            ("route", Col::Text),
            ("state", Col::Text),
            ("due_on", Col::OptText),
            ("version", Col::Int),
            ("snapshot", Col::Text),
            ("complainant_iin", Col::OptText),
        ],
    ),
    ("blobs", &[("sha256", Col::Text), ("size", Col::Int), ("media_type", Col::Text), ("created_ms", Col::Int)]),
    (
        "users",
        &[
            ("id", Col::Text),
            ("login", Col::Text),
            ("password_hash", Col::Text),
            ("role", Col::Text),
            ("akimat", Col::OptText),
            ("iin", Col::OptText),
            ("name", Col::Text),
            ("created_ms", Col::Int),
            ("iin_proven_ms", Col::OptInt),
            ("disabled_ms", Col::OptInt),
        ],
    ),
    (
        "audit",
        &[
            ("id", Col::Text),
            ("at_ms", Col::Int),
            ("actor", Col::OptText),
            ("action", Col::Text),
            ("subject", Col::OptText),
            ("detail", Col::Text),
            ("address", Col::OptText),
        ],
    ),
    (
        "user_names",
        &[("user_id", Col::Text), ("surname", Col::Text), ("given_names", Col::Text), ("patronymic", Col::OptText)],
    ),
    ("drafts", &[("user_id", Col::Text), ("service", Col::Text), ("content", Col::Text), ("updated_ms", Col::Int)]),
    (
        "akimat_hours",
        &[("akimat", Col::Text), ("start_time", Col::Text), ("end_time", Col::Text), ("updated_ms", Col::Int)],
    ),
    (
        "application_signatures",
        &[
            ("case_number", Col::Text),
            ("sha256", Col::Text),
            ("content", Col::Text),
            ("signature", Col::Text),
            ("signer", Col::Text),
            ("created_ms", Col::Int),
            ("signer_iins", Col::Text),
        ],
    ),
    (
        "akimat_signing",
        &[("akimat", Col::Text), ("authorised", Col::Text), ("since_ms", Col::Int), ("changed_by", Col::Text)],
    ),
    ("uploads", &[("owner", Col::Text), ("sha256", Col::Text), ("size", Col::Int), ("created_ms", Col::Int)]),
    (
        "jobs",
        &[
            ("id", Col::Text),
            ("kind", Col::Text),
            ("state", Col::Text),
            ("attempts", Col::Int),
            ("run_after_ms", Col::Int),
            ("leased_until_ms", Col::Int),
            ("last_error", Col::OptText),
            ("created_ms", Col::Int),
            ("done_ms", Col::OptInt),
            ("sending_ms", Col::OptInt),
        ],
    ),
    ("contacts", &[("iin", Col::Text), ("email", Col::OptText), ("lang", Col::Text)]),
    (
        "access_log",
        &[
            ("subject_iin", Col::Text),
            ("at_ms", Col::Int),
            ("reader_id", Col::Text),
            ("reader_role", Col::Text),
            ("reader_akimat", Col::OptText),
            ("record", Col::Text),
            ("route", Col::Text),
            ("purpose", Col::Text),
        ],
    ),
    (
        "obligations",
        &[
            ("id", Col::Text),
            ("win", Col::Text),
            ("certificate", Col::Text),
            ("holder_iin", Col::Text),
            ("akimat", Col::Text),
            ("due_on", Col::Text),
            ("remind_on", Col::Text),
            ("citation", Col::Text),
            ("state", Col::Text),
            ("act_on", Col::OptText),
            ("met_by", Col::OptText),
            ("updated_ms", Col::Int),
        ],
    ),
    (
        "open_stages",
        &[
            ("akimat", Col::Text),
            ("due_from", Col::Text),
            ("due_on", Col::Text),
            ("due_days", Col::Int),
            ("count", Col::Int),
        ],
    ),
    (
        "report_cells",
        &[
            ("grain", Col::Text),
            ("period", Col::Text),
            ("akimat", Col::Text),
            ("service", Col::Text),
            ("measure", Col::Text),
            ("label", Col::Text),
            ("working_days", Col::Int),
            ("late", Col::Int),
            ("count", Col::Int),
        ],
    ),
    (
        "escalations",
        &[
            ("case_number", Col::Text),
            ("akimat", Col::Text),
            ("due_on", Col::Text),
            ("level", Col::Text),
            ("on_day", Col::Text),
            ("from_day", Col::Text),
            ("allowance", Col::Int),
            ("citation", Col::Text),
            ("at_ms", Col::Int),
        ],
    ),
    (
        "notifications",
        &[
            ("global_seq", Col::Int),
            ("recipient_iin", Col::Text),
            ("stream", Col::Text),
            ("kind", Col::Text),
            ("at_ms", Col::Int),
            ("read_ms", Col::OptInt),
        ],
    ),
    (
        "minutes_drafts",
        &[
            ("case_number", Col::Text),
            ("content", Col::Text),
            ("recorded_by", Col::Text),
            ("created_ms", Col::Int),
            ("signatures", Col::Int),
        ],
    ),
    (
        "minutes_signatures",
        &[
            ("case_number", Col::Text),
            ("member", Col::Text),
            ("signature", Col::Text),
            ("signer", Col::Text),
            ("created_ms", Col::Int),
        ],
    ),
    (
        "signed_documents",
        &[
            ("subject", Col::Text),
            ("fingerprint", Col::Text),
            ("signer_index", Col::Int),
            ("pdf_sha256", Col::Text),
            ("signature", Col::Text),
            ("signer", Col::Text),
            ("created_ms", Col::Int),
            ("signed_ms", Col::OptInt),
        ],
    ),
];

/// Reports the progress of a long command (the binary shows it as a bar).
pub trait Progress: Sync {
    /// A stage begins with `total` steps.
    fn stage(&self, name: &str, total: u64);
    /// `n` more steps are done.
    fn advance(&self, n: u64);
}

/// No progress shown.
pub struct Quiet;

impl Progress for Quiet {
    fn stage(&self, _: &str, _: u64) {}
    fn advance(&self, _: u64) {}
}

/// What a backup holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Format version.
    pub format: u32,
    /// When it was taken (ms since the epoch).
    pub created_ms: i64,
    /// The backend it was taken from.
    pub source: String,
    /// Per table: file name, rows, SHA-256 of the file.
    pub tables: Vec<TableFile>,
    /// Documents copied.
    pub blobs: u64,
    /// Documents the database references but the store had lost when the backup was taken
    /// (SHA-256 of each). The backup holds everything else; these are the gap, named so that
    /// nobody believes the backup whole and so the files can be sought elsewhere.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
    /// Documents whose bytes no longer hashed to their name when the backup was taken: left
    /// out, named, as the missing ones are.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub altered: Vec<String>,
}

/// One table's file in a backup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableFile {
    /// Table.
    pub table: String,
    /// Rows.
    pub rows: u64,
    /// SHA-256 of the JSON-lines file.
    pub sha256: String,
}

fn io(e: impl std::fmt::Display) -> StoreError {
    StoreError::Config(format!("backup: {e}"))
}

fn file_sha256(path: &Path) -> Result<String, StoreError> {
    let mut h = Sha256::new();
    let mut f = BufReader::new(fs::File::open(path).map_err(io)?);
    loop {
        let buf = f.fill_buf().map_err(io)?;
        if buf.is_empty() {
            break;
        }
        h.update(buf);
        let n = buf.len();
        f.consume(n);
    }
    Ok(hex::encode(h.finalize()))
}

impl Store {
    /// Takes a consistent online backup into `dir`, which must not exist or be empty.
    pub async fn backup(&self, dir: &Path, progress: &dyn Progress) -> Result<Manifest, StoreError> {
        if dir.exists() && fs::read_dir(dir).map_err(io)?.next().is_some() {
            return Err(StoreError::Config(format!("{} is not empty", dir.display())));
        }
        fs::create_dir_all(dir.join("db")).map_err(io)?;
        let backend = self.backend();
        let mut conn = db::connection(&self.config().url, backend).await?;
        conn.execute(backend.begin_snapshot()).await?;
        let mut tables = Vec::new();
        let mut blob_hashes = Vec::new();
        for (table, cols) in TABLES {
            let total: i64 = sqlx::query(AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
                .fetch_one(&mut conn)
                .await?
                .try_get(0)?;
            progress.stage(&format!("table {table}"), total as u64);
            let names: Vec<&str> = cols.iter().map(|(n, _)| *n).collect();
            let sql = format!("SELECT {} FROM {table} ORDER BY {}", names.join(", "), names[0]);
            // Table and column names come from the TABLES constant, never from input.
            let rows = sqlx::query(AssertSqlSafe(sql)).fetch_all(&mut conn).await?;
            let path = dir.join("db").join(format!("{table}.jsonl"));
            let mut out = BufWriter::new(fs::File::create(&path).map_err(io)?);
            for row in &rows {
                let mut values = Vec::with_capacity(cols.len());
                for (i, (_, col)) in cols.iter().enumerate() {
                    values.push(match col {
                        Col::Int => serde_json::Value::from(row.try_get::<i64, _>(i)?),
                        Col::Text => serde_json::Value::from(row.try_get::<String, _>(i)?),
                        Col::OptText => row
                            .try_get::<Option<String>, _>(i)?
                            .map_or(serde_json::Value::Null, serde_json::Value::from),
                        Col::OptInt => {
                            row.try_get::<Option<i64>, _>(i)?.map_or(serde_json::Value::Null, serde_json::Value::from)
                        }
                    });
                }
                if *table == "blobs" {
                    blob_hashes.push(row.try_get::<String, _>(0)?);
                }
                serde_json::to_writer(&mut out, &values)?;
                out.write_all(b"\n").map_err(io)?;
                progress.advance(1);
            }
            let file = out.into_inner().map_err(io)?;
            file.sync_all().map_err(io)?;
            tables.push(TableFile { table: (*table).to_owned(), rows: rows.len() as u64, sha256: file_sha256(&path)? });
        }
        conn.execute("COMMIT").await?;
        progress.stage("documents", blob_hashes.len() as u64);
        // A backup keeps documents as files, whichever backend they came from.
        let target = BlobStore::new(dir.join("blobs"));
        let (mut missing, mut altered, mut copied) = (Vec::new(), Vec::new(), 0);
        for h in blob_hashes {
            // A lost document is not a reason to leave everything else without a backup; any
            // other failure (the backup's disk full, say) is.
            match self.blobs().get(&h).await {
                Err(BlobError::Missing(_)) => missing.push(h),
                Err(e) => return Err(e.into()),
                // Bytes changed where they are kept are not the document: the backup names
                // them instead of carrying them on as if they were.
                Ok(bytes) if hex::encode(sha2::Sha256::digest(&bytes)) != h => altered.push(h),
                Ok(bytes) => {
                    target.keep(bytes).await?;
                    copied += 1;
                }
            }
            progress.advance(1);
        }
        let manifest = Manifest {
            format: 1,
            created_ms: jiff::Timestamp::now().as_millisecond(),
            source: format!("{backend:?}").to_lowercase(),
            tables,
            blobs: copied,
            missing,
            altered,
        };
        let path = dir.join("manifest.json");
        fs::write(&path, serde_json::to_vec_pretty(&manifest)?).map_err(io)?;
        fs::File::open(&path).and_then(|f| f.sync_all()).map_err(io)?;
        fs::File::open(dir).and_then(|f| f.sync_all()).map_err(io)?;
        Ok(manifest)
    }
}

/// The manifest of the backup in `dir`; a directory without one is not a backup.
pub fn read_manifest(dir: &Path) -> Result<Manifest, StoreError> {
    Ok(serde_json::from_slice(&fs::read(dir.join("manifest.json")).map_err(|e| io(format!("no manifest.json: {e}")))?)?)
}

/// A restore is the operator's answer to a lost database: the old witness, which the empty
/// database is behind, is set aside (its counters are kept, so numbers given out before are
/// never given again). Where the witness is, and what it said.
fn set_aside_witness(
    config: &Config,
    backend: Backend,
) -> Result<(std::path::PathBuf, Option<crate::witness::Witness>), StoreError> {
    let witness_path = crate::witness::path_of(config, backend);
    let before = crate::witness::read(&witness_path)?;
    if before.is_some() {
        fs::rename(&witness_path, witness_path.with_extension("witness-before-restore")).map_err(io)?;
    }
    // The checkpoint vouched for the old database's chain; the restored one is verified whole
    // at its first start.
    let checkpoint = crate::witness::checkpoint_path(&witness_path);
    if checkpoint.exists() {
        fs::rename(&checkpoint, checkpoint.with_extension("checkpoint-before-restore")).map_err(io)?;
    }
    Ok((witness_path, before))
}

/// The restored head is now what the witness remembers, with every counter at its highest.
async fn rebase_witness(
    conn: &mut sqlx::AnyConnection,
    witness_path: &Path,
    before: Option<crate::witness::Witness>,
) -> Result<(), StoreError> {
    let (seq, hash) = crate::chain::head(&mut *conn).await?;
    let mut counters = before.map(|w| w.counters).unwrap_or_default();
    for r in sqlx::query("SELECT name, value FROM counters").fetch_all(&mut *conn).await? {
        let (name, value): (String, i64) = (r.try_get(0)?, r.try_get(1)?);
        let v = counters.entry(name).or_insert(value);
        *v = (*v).max(value);
    }
    let rebased = crate::witness::Witness { seq, hash, counters };
    crate::witness::write(witness_path, &rebased).map_err(io)
}

/// Restores a backup from `dir` into the empty store described by `config`, then verifies the
/// hash chain. Refuses a damaged backup or a database that already holds events.
pub async fn restore(
    dir: &Path,
    config: Config,
    reference: Reference,
    progress: &dyn Progress,
) -> Result<Store, StoreError> {
    let manifest = read_manifest(dir)?;
    for t in &manifest.tables {
        let actual = file_sha256(&dir.join("db").join(format!("{}.jsonl", t.table)))?;
        if actual != t.sha256 {
            return Err(StoreError::Corrupt(format!("backup file {}.jsonl does not match its manifest", t.table)));
        }
    }
    let backend = Backend::of(&config.url)?;
    let (witness_path, before) = set_aside_witness(&config, backend)?;
    let store = Store::open(config.clone(), reference).await?;
    if store.event_count().await? > 0 {
        return Err(StoreError::Config("the target database is not empty; restore into a new data directory".into()));
    }
    let mut conn = db::connection(&config.url, backend).await?;
    conn.execute(backend.begin_write()).await?;
    let load = async {
        conn.execute("DELETE FROM chain").await?;
        for (table, cols) in TABLES {
            let file = dir.join("db").join(format!("{table}.jsonl"));
            // A backup from before a table existed has no file for it: the table stays empty
            // (read models among them are rebuilt from the events when the store opens).
            if !file.exists() && !manifest.tables.iter().any(|t| t.table == *table) {
                continue;
            }
            let expected = manifest.tables.iter().find(|t| t.table == *table).map_or(0, |t| t.rows);
            progress.stage(&format!("table {table}"), expected);
            let names: Vec<&str> = cols.iter().map(|(n, _)| *n).collect();
            let placeholders: Vec<String> = (1..=cols.len()).map(|i| format!("${i}")).collect();
            let sql = format!("INSERT INTO {table} ({}) VALUES ({})", names.join(", "), placeholders.join(", "));
            let reader = BufReader::new(fs::File::open(&file).map_err(io)?);
            for line in reader.lines() {
                let values: Vec<serde_json::Value> = serde_json::from_str(&line.map_err(io)?)?;
                let mut q = sqlx::query(AssertSqlSafe(sql.clone()));
                // A backup from before a column was added has shorter rows: the columns added
                // since (always last and optional) restore as NULL.
                let padded = values.into_iter().chain(std::iter::repeat(serde_json::Value::Null));
                for ((_, col), v) in cols.iter().zip(padded) {
                    q = match col {
                        Col::Int => q.bind(
                            v.as_i64().ok_or_else(|| StoreError::Corrupt(format!("{table}: expected a number")))?,
                        ),
                        Col::Text => q.bind(
                            v.as_str()
                                .map(str::to_owned)
                                .ok_or_else(|| StoreError::Corrupt(format!("{table}: expected text")))?,
                        ),
                        Col::OptText => q.bind(v.as_str().map(str::to_owned)),
                        Col::OptInt => q.bind(v.as_i64()),
                    };
                }
                q.execute(&mut conn).await?;
                progress.advance(1);
            }
        }
        if let Some(w) = &before {
            crate::recover::raise_counters(&mut conn, &w.counters).await?;
        }
        Ok::<_, StoreError>(())
    }
    .await;
    match load {
        Ok(()) => conn.execute("COMMIT").await.map(|_| ())?,
        Err(e) => {
            let _ = conn.execute("ROLLBACK").await;
            return Err(e);
        }
    }
    progress.stage("documents", manifest.blobs);
    let source = BlobStore::new(dir.join("blobs"));
    for h in source.list().await? {
        store.blobs().keep(source.get(&h).await?).await?;
        progress.advance(1);
    }
    let check = store.verify(&|_| {}).await?;
    if let Some(b) = check.broken {
        return Err(StoreError::Corrupt(format!("restored chain is broken at event {}: {}", b.global_seq, b.problem)));
    }
    rebase_witness(&mut conn, &witness_path, before).await?;
    Ok(store)
}
