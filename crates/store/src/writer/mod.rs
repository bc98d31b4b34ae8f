//! The writer task: group commit.
//!
//! Commands that arrive while a commit is in flight queue up; the next batch takes all of
//! them (up to `max_batch`) into one transaction, and one durable commit (one fsync)
//! acknowledges them all. A command is answered only after its commit returned; if the commit
//! fails, every command of the batch is answered with an error and nothing of it is visible.
//!
//! Within a batch a command only reads and computes: it loads what it needs (through the
//! batch's own pending writes first, so it sees the commands before it), lets the rules
//! decide, and records its events and read-model rows in memory with an undo journal. A
//! refused or failed command is undone in memory; nothing of it reaches the database. At the
//! end of the batch everything is written in a few multi-row statements, the chain head last.
//! So a filing costs no statement of its own, and throughput under concurrency is bounded by
//! neither one fsync nor one round trip per command.

mod commands;
mod cx;
mod durable;
mod flush;
mod prefetch;
pub(crate) mod rows;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use jiff::Timestamp;
use rules::Refusal;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Executor, Row};
use tokio::sync::mpsc;

use crate::blobs::BlobStore;
use crate::db::{self, Backend};
use crate::{Applied, CommandJob, Job, Reference, Request, StoreError, WriterStats};
use commands::act_on_case;
use commands::act_on_certificate;
use commands::act_on_complaint;
use commands::file_complaint;
use commands::submit;
use cx::Cx;
use cx::Head;
use cx::KeptAnswer;
use cx::Undo;
pub(crate) use durable::writer_mode;
use flush::flush;

/// What an idempotency key remembers.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Remembered {
    Applied(Applied),
    Refused(Refusal),
}

/// What the writer task owns.
pub(crate) struct Writer {
    pub(crate) stats: Arc<WriterStats>,
    pub(crate) hours: crate::Hours,
    pub(crate) conn: AnyConnection,
    pub(crate) url: String,
    pub(crate) backend: Backend,
    pub(crate) reference: Arc<Reference>,
    pub(crate) blobs: BlobStore,
    pub(crate) max_batch: usize,
    /// The witness's file, and what it says now.
    pub(crate) witness: (crate::witness::Keeper, crate::witness::Witness),
    /// On SQLite with a write-ahead log, what flushes the log after each commit (`durable`).
    pub(crate) wal: Option<durable::WalFlush>,
}

pub(crate) async fn run(writer: Writer, mut rx: mpsc::Receiver<Job>) {
    let Writer { stats, hours, mut conn, url, backend, reference, blobs, max_batch, witness, wal } = writer;
    let wal = wal.map(Arc::new);
    let (keeper, mut witnessed) = witness;
    let keeper = Arc::new(std::sync::Mutex::new(keeper));
    // The batch being witnessed and answered while the next one runs.
    let mut witnessing: Option<tokio::task::JoinHandle<()>> = None;
    let mut broken = false;
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while batch.len() < max_batch {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        // A connection that failed is replaced before the next batch, not after it: so the
        // first write after the database comes back succeeds instead of failing once more.
        if broken {
            match reconnect(&url, backend, wal.is_some()).await {
                Ok(fresh) => {
                    conn = fresh;
                    broken = false;
                    tracing::info!("writer reconnected to the database");
                }
                Err(e) => tracing::warn!(error = %e, "writer cannot reach the database"),
            }
        }
        let span = tracing::debug_span!("writer_batch", commands = batch.len(), ms = tracing::field::Empty);
        let started = std::time::Instant::now();
        // One snapshot of the working hours per batch: a batch never mixes two.
        let hours_now = hours.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
        let outcome = if broken {
            Err(StoreError::Unavailable("the database is not reachable".into()))
        } else {
            let work = tracing::Instrument::instrument(
                commit_batch(&mut conn, backend, &reference, &hours_now, &blobs, &batch),
                span.clone(),
            );
            // A database that stops answering (frozen, partitioned) does not hold the batch's
            // people for the whole freeze: after the bound their fate is unknown, said so.
            match tokio::time::timeout(BATCH_BOUND, work).await {
                Ok(outcome) => outcome,
                Err(_) => Err(StoreError::FateUnknown(format!("no answer within {} s", BATCH_BOUND.as_secs()))),
            }
        };
        span.record("ms", started.elapsed().as_millis() as u64);
        metrics::histogram!("qualcert_writer_batch_commands").record(batch.len() as f64);
        metrics::histogram!("qualcert_writer_batch_seconds").record(started.elapsed().as_secs_f64());
        let commands = batch.iter().filter(|j| matches!(j, Job::Command(_))).count();
        match outcome {
            Ok((results, seen)) => {
                // Commits are counted with the commands they carried: a batch of side rows
                // alone (uploads waiting for no command) is not group commit at work.
                stats.commits.fetch_add(u64::from(commands > 0), Ordering::Relaxed);
                stats.commands.fetch_add(commands as u64, Ordering::Relaxed);
                span.in_scope(|| tracing::debug!(refused = results.iter().filter(|r| r.is_err()).count(), "committed"));
                // The batch is answered once its witness is durable, but the next batch does
                // not wait for that: the witness stays at or behind the database either way,
                // and each batch is answered after the one before it.
                let update = witness_update(&mut witnessed, seen);
                let (previous, keeper) = (witnessing.take(), Arc::clone(&keeper));
                let flush = wal.as_ref().map(|w| (Arc::clone(w), w.committed()));
                let durable = Durable { previous, flush, keeper, update };
                witnessing = Some(tokio::spawn(answer_when_durable(durable, batch, results)));
            }
            Err(e) => {
                span.in_scope(|| tracing::error!(error = %e, "batch failed; nothing in it was acknowledged"));
                metrics::counter!("qualcert_writer_failed_batches_total").increment(1);
                let message = e.to_string();
                broken = true;
                // Each command hears the batch's failure with its kind (busy or unavailable).
                let fail = || match &e {
                    StoreError::Busy(_) => StoreError::Busy(message.clone()),
                    StoreError::FateUnknown(_) => StoreError::FateUnknown(message.clone()),
                    _ => StoreError::Unavailable(message.clone()),
                };
                let results = (0..commands).map(|_| Err(fail())).collect::<Vec<_>>();
                answer(batch, results, Err(fail()));
            }
        }
    }
    if let Some(last) = witnessing {
        let _ = last.await;
    }
}

/// Starts the writer task. On SQLite it gets a thread and a runtime of its own: each of its
/// statements is a round trip to the driver's thread, and on the service's runtime every
/// answer from the driver waited in the run queue behind the requests' tasks (64 of them in
/// the bench) before the writer could send the next statement. The driver's SQLite worker
/// is not tied to a runtime; a PostgreSQL connection and the document pool are, so on
/// PostgreSQL the writer stays a task of the service's runtime.
pub(crate) fn start(
    task: impl std::future::Future<Output = ()> + Send + 'static,
    backend: Backend,
) -> Result<(), StoreError> {
    if backend == Backend::Postgres {
        tokio::spawn(task);
        return Ok(());
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| StoreError::Config(format!("starting the writer: {e}")))?;
    std::thread::Builder::new()
        .name("qualcert-writer".into())
        .spawn(move || runtime.block_on(task))
        .map_err(|e| StoreError::Config(format!("starting the writer: {e}")))?;
    Ok(())
}

/// What a committed batch waits for before its answers.
struct Durable {
    /// The batch before it, answered first.
    previous: Option<tokio::task::JoinHandle<()>>,
    /// The log to flush, and the batch's ordinal in it (`durable`).
    flush: Option<(Arc<durable::WalFlush>, u64)>,
    keeper: Arc<std::sync::Mutex<crate::witness::Keeper>>,
    /// What the witness says after the batch, if it moved.
    update: Option<crate::witness::Witness>,
}

/// Answers a committed batch once the batch before it is answered, its log is flushed and
/// its witness written.
async fn answer_when_durable(d: Durable, batch: Vec<Job>, results: Vec<Answer>) {
    if let Some(previous) = d.previous {
        let _ = previous.await;
    }
    if let Some((wal, ordinal)) = d.flush
        && let Err(e) = wal.flushed(ordinal).await
    {
        // Committed but perhaps not on disk: neither acknowledged nor denied.
        tracing::error!(error = %e, "the write-ahead log could not be flushed");
        let unknown = || StoreError::FateUnknown(format!("the log could not be flushed: {e}"));
        let results = results.into_iter().map(|r| r.and_then(|_| Err(unknown()))).collect();
        return answer(batch, results, Err(unknown()));
    }
    if let Some(w) = d.update {
        witness_commit(d.keeper, w).await;
    }
    answer(batch, results, Ok(()));
}

/// A fresh connection for the writer, set as the first was (`durable::writer_mode`).
async fn reconnect(url: &str, backend: Backend, unflushed: bool) -> Result<AnyConnection, StoreError> {
    let mut conn = db::connection(url, backend).await?;
    if unflushed {
        conn.execute(durable::WRITER_PRAGMAS).await?;
    }
    Ok(conn)
}

/// What a committed batch leaves for the witness: the chain head and the counters it moved.
pub(crate) struct Seen {
    head: Head,
    counters: Vec<(String, i64)>,
}

/// What the witness says after a batch that left `seen`; `None` when the batch moved neither
/// the chain nor a counter.
fn witness_update(w: &mut crate::witness::Witness, seen: Seen) -> Option<crate::witness::Witness> {
    if seen.head.seq == w.seq && seen.counters.is_empty() {
        return None;
    }
    w.seq = seen.head.seq;
    w.hash = seen.head.hash;
    for (name, value) in seen.counters {
        let v = w.counters.entry(name).or_insert(value);
        *v = (*v).max(value);
    }
    Some(w.clone())
}

/// Records a commit in the witness before its callers are answered, so every acknowledged
/// write is witnessed. A witness that cannot be written is logged, not a failed commit: the
/// data is committed, only the check at the next start is weaker.
async fn witness_commit(keeper: Arc<std::sync::Mutex<crate::witness::Keeper>>, w: crate::witness::Witness) {
    let record = move || keeper.lock().unwrap_or_else(std::sync::PoisonError::into_inner).record(&w);
    match tokio::task::spawn_blocking(record).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => tracing::error!(error = %e, "the witness of the log could not be written"),
        Err(e) => tracing::error!(error = %e, "the witness task failed"),
    }
}

/// Answers each job of a committed (or failed) batch: a command with its own result, a side
/// row with the batch's.
fn answer(batch: Vec<Job>, results: Vec<Answer>, committed: Result<(), StoreError>) {
    let mut results = results.into_iter();
    for job in batch {
        match job {
            Job::Command(c) => {
                let r = results.next().unwrap_or_else(|| Err(StoreError::Unavailable("no answer".into())));
                let _ = c.reply.send(r);
            }
            Job::Side(s) => {
                let r = match &committed {
                    Ok(()) => Ok(()),
                    Err(StoreError::Busy(m)) => Err(StoreError::Busy(m.clone())),
                    Err(StoreError::FateUnknown(m)) => Err(StoreError::FateUnknown(m.clone())),
                    Err(e) => Err(StoreError::Unavailable(e.to_string())),
                };
                let _ = s.reply.send(r);
            }
        }
    }
}

type Answer = Result<Applied, StoreError>;

/// The longest a batch may take from its first statement to its commit's answer.
const BATCH_BOUND: std::time::Duration = std::time::Duration::from_secs(10);

async fn commit_batch(
    conn: &mut AnyConnection,
    backend: Backend,
    reference: &Reference,
    hours: &HashMap<rules::AkimatCode, rules::WorkingHours>,
    blobs: &BlobStore,
    batch: &[Job],
) -> Result<(Vec<Answer>, Seen), StoreError> {
    conn.execute(backend.begin_write()).await?;
    let work = async {
        let row = sqlx::query(backend.chain_head_query()).fetch_one(&mut *conn).await?;
        let head = Head { seq: row.try_get(0)?, hash: row.try_get(1)? };
        let ahead = prefetch::prefetch(&mut *conn, batch).await?;
        let mut cx = Cx {
            ahead,
            conn: &mut *conn,
            head,
            counters: HashMap::new(),
            events: Vec::new(),
            cases: HashMap::new(),
            certificates: HashMap::new(),
            complaints: HashMap::new(),
            cells: HashMap::new(),
            obligations: Vec::new(),
            open_before: HashMap::new(),
            idempotency: HashMap::new(),
            blobs_seen: Vec::new(),
            side: Vec::new(),
            undo: Vec::new(),
            reference,
            hours,
            blobs,
        };
        let mut answers = Vec::with_capacity(batch.len());
        for job in batch {
            let job = match job {
                Job::Command(c) => c,
                Job::Side(s) => {
                    cx.side.push(s.row.clone());
                    continue;
                }
            };
            let mark = cx.mark();
            match apply(&mut cx, job).await {
                Ok(applied) => answers.push(Ok(applied)),
                Err(e) => {
                    cx.rollback_to(mark);
                    if let (StoreError::Refused(r), Some(key)) = (&e, &job.key) {
                        remember(&mut cx, key, &job.request, &Remembered::Refused(r.clone()), job.now)?;
                    }
                    answers.push(Err(e));
                }
            }
        }
        let counters: Vec<(String, i64)> =
            cx.counters.iter().filter(|(_, (_, dirty))| *dirty).map(|(n, (v, _))| (n.clone(), *v)).collect();
        flush(&mut cx).await?;
        Ok::<_, StoreError>((answers, Seen { head: cx.head.clone(), counters }))
    }
    .await;
    match work {
        Ok(done) => {
            // Once COMMIT is sent, a failure no longer means "nothing was written".
            conn.execute("COMMIT").await.map_err(|e| StoreError::FateUnknown(e.to_string()))?;
            Ok(done)
        }
        Err(e) => {
            let _ = conn.execute("ROLLBACK").await;
            Err(e)
        }
    }
}

/// Whether a remembered answer is a refusal, whatever the shape of its reason.
fn is_refusal(response: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(response).is_ok_and(|v| v.get("refused").is_some())
}

fn request_hash(request: &Request) -> Result<String, StoreError> {
    Ok(hex::encode(Sha256::digest(serde_json::to_string(request)?.as_bytes())))
}

/// Keeps the answer to a keyed request for the end of the batch.
fn remember(
    cx: &mut Cx<'_>,
    key: &str,
    request: &Request,
    answer: &Remembered,
    now: Timestamp,
) -> Result<(), StoreError> {
    if cx.idempotency.contains_key(key) {
        return Ok(());
    }
    let kept = KeptAnswer {
        request_hash: request_hash(request)?,
        response: serde_json::to_string(answer)?,
        created_ms: now.as_millisecond(),
    };
    cx.idempotency.insert(key.to_owned(), kept);
    cx.undo.push(Undo::Idempotency(key.to_owned()));
    Ok(())
}

async fn remembered(cx: &mut Cx<'_>, key: &str) -> Result<Option<(String, String)>, StoreError> {
    if let Some(a) = cx.idempotency.get(key) {
        return Ok(Some((a.request_hash.clone(), a.response.clone())));
    }
    if let prefetch::Ahead::Known(known) = cx.ahead.key(key) {
        return Ok(known);
    }
    let row = sqlx::query("SELECT request_hash, response FROM idempotency WHERE key = $1")
        .bind(key.to_owned())
        .fetch_optional(&mut *cx.conn)
        .await?;
    row.map(|r| Ok((r.try_get::<String, _>(0)?, r.try_get::<String, _>(1)?))).transpose()
}

async fn apply(cx: &mut Cx<'_>, job: &CommandJob) -> Result<Applied, StoreError> {
    if let Some(key) = &job.key
        && let Some((hash, response)) = remembered(cx, key).await?
    {
        if hash != request_hash(&job.request)? {
            return Err(StoreError::IdempotencyMismatch);
        }
        match serde_json::from_str::<Remembered>(&response) {
            Ok(Remembered::Applied(mut a)) => {
                a.replayed = true;
                return Ok(a);
            }
            Ok(Remembered::Refused(r)) => return Err(StoreError::Refused(r)),
            // A refusal kept in a format this version no longer reads (refusals once held
            // English words where they now hold typed facts). A refusal changed nothing, so
            // the request is decided again and answered in today's format; an applied answer
            // is only ever replayed, never redone.
            Err(_) if is_refusal(&response) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let applied = match &job.request {
        Request::Submit { application } => submit(cx, job, application).await?,
        Request::Case { number, expected_version, action } => {
            act_on_case(cx, job, number, *expected_version, action).await?
        }
        Request::Certificate { number, command } => act_on_certificate(cx, job, number, command).await?,
        Request::FileComplaint { filing } => file_complaint(cx, job, filing).await?,
        Request::Complaint { number, expected_version, command } => {
            act_on_complaint(cx, job, number, *expected_version, command).await?
        }
    };
    if let Some(key) = &job.key {
        remember(cx, key, &job.request, &Remembered::Applied(applied.clone()), job.now)?;
    }
    Ok(applied)
}
