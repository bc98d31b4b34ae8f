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

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use jiff::Timestamp;
use jiff::civil::Date;
use rules::case::{self, Case, certificate_effects};
use rules::certificate::{Certificate, CertificateEvent, decide_certificate};
use rules::complaint::{self, Complaint};
use rules::numbers::{CaseNumber, CertificateNumber};
use rules::refusal::Reason;
use rules::{Actor, Env, Refusal};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, AssertSqlSafe, Executor, Row};
use tokio::sync::mpsc;

use crate::blobs::{BlobError, BlobStore};
use crate::chain::{self, Link};
use crate::db::{self, Backend};
use crate::{Applied, Job, Reference, Request, StoreError, WriterStats};

#[derive(Debug, Clone)]
struct Head {
    seq: i64,
    hash: String,
}

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
}

pub(crate) async fn run(writer: Writer, mut rx: mpsc::Receiver<Job>) {
    let Writer { stats, hours, mut conn, url, backend, reference, blobs, max_batch } = writer;
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
            match db::connection(&url, backend).await {
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
            Err(StoreError::Database("the database is not reachable".into()))
        } else {
            tracing::Instrument::instrument(
                commit_batch(&mut conn, backend, &reference, &hours_now, &blobs, &batch),
                span.clone(),
            )
            .await
        };
        span.record("ms", started.elapsed().as_millis() as u64);
        metrics::histogram!("qualcert_writer_batch_commands").record(batch.len() as f64);
        metrics::histogram!("qualcert_writer_batch_seconds").record(started.elapsed().as_secs_f64());
        let results = match outcome {
            Ok(results) => {
                stats.commits.fetch_add(1, Ordering::Relaxed);
                stats.commands.fetch_add(batch.len() as u64, Ordering::Relaxed);
                span.in_scope(|| tracing::debug!(refused = results.iter().filter(|r| r.is_err()).count(), "committed"));
                results
            }
            Err(e) => {
                span.in_scope(|| tracing::error!(error = %e, "batch failed; nothing in it was acknowledged"));
                metrics::counter!("qualcert_writer_failed_batches_total").increment(1);
                let message = e.to_string();
                broken = true;
                batch.iter().map(|_| Err(StoreError::Database(message.clone()))).collect()
            }
        };
        for (job, result) in batch.into_iter().zip(results) {
            let _ = job.reply.send(result);
        }
    }
}

/// One event row, chained, waiting for the end of the batch.
struct EventRow {
    global_seq: i64,
    stream: String,
    stream_seq: i64,
    kind: String,
    payload: String,
    actor: String,
    role: String,
    at_ms: i64,
    citation: String,
    prev_hash: String,
    hash: String,
}

/// A keyed request's answer, kept for the end of the batch.
struct KeptAnswer {
    request_hash: String,
    response: String,
    created_ms: i64,
}

/// A stored document a command referenced, whose row is written at the end of the batch.
struct BlobRow {
    sha256: String,
    size: u64,
    media_type: &'static str,
    created_ms: i64,
}

/// How to take back one in-memory write of a failed command.
enum Undo {
    Case(String, Option<Box<Case>>),
    Certificate(String, Option<Box<(Certificate, u64)>>),
    Complaint(String, Option<Box<Complaint>>),
    Cell(crate::reports::CellKey, Option<i64>),
    Idempotency(String),
}

struct Cx<'a> {
    conn: &'a mut AnyConnection,
    head: Head,
    /// Counters read in this batch: value and whether it changed.
    counters: HashMap<String, (i64, bool)>,
    events: Vec<EventRow>,
    cases: HashMap<String, Case>,
    certificates: HashMap<String, (Certificate, u64)>,
    complaints: HashMap<String, Complaint>,
    /// The reports' cells this batch adds to (crate::reports).
    cells: HashMap<crate::reports::CellKey, i64>,
    /// Changes to the holder's windows, in order (crate::obligations).
    obligations: Vec<crate::obligations::Op>,
    /// Where each case read from the database stood before this batch, for the count of
    /// open cases by stage (crate::reports::open_key).
    open_before: HashMap<String, Option<crate::reports::OpenKey>>,
    idempotency: HashMap<String, KeptAnswer>,
    blobs_seen: Vec<BlobRow>,
    undo: Vec<Undo>,
    reference: &'a Reference,
    hours: &'a HashMap<rules::AkimatCode, rules::WorkingHours>,
    blobs: &'a BlobStore,
}

/// Where a command started, to undo it.
struct Mark {
    head: Head,
    counters: HashMap<String, (i64, bool)>,
    events: usize,
    blobs_seen: usize,
    obligations: usize,
    undo: usize,
}

impl Cx<'_> {
    fn mark(&self) -> Mark {
        Mark {
            head: self.head.clone(),
            counters: self.counters.clone(),
            events: self.events.len(),
            blobs_seen: self.blobs_seen.len(),
            obligations: self.obligations.len(),
            undo: self.undo.len(),
        }
    }

    fn rollback_to(&mut self, m: Mark) {
        self.head = m.head;
        self.counters = m.counters;
        self.events.truncate(m.events);
        self.blobs_seen.truncate(m.blobs_seen);
        self.obligations.truncate(m.obligations);
        while self.undo.len() > m.undo {
            match self.undo.pop() {
                Some(Undo::Case(k, old)) => restore(&mut self.cases, k, old.map(|b| *b)),
                Some(Undo::Certificate(k, old)) => restore(&mut self.certificates, k, old.map(|b| *b)),
                Some(Undo::Complaint(k, old)) => restore(&mut self.complaints, k, old.map(|b| *b)),
                Some(Undo::Cell(k, old)) => restore(&mut self.cells, k, old),
                Some(Undo::Idempotency(k)) => {
                    self.idempotency.remove(&k);
                }
                None => break,
            }
        }
    }

    fn put_case(&mut self, case: &Case) {
        let key = case.number.to_string();
        let old = self.cases.insert(key.clone(), case.clone());
        self.undo.push(Undo::Case(key, old.map(Box::new)));
    }

    fn put_certificate(&mut self, c: &Certificate, version: u64) {
        let key = c.number.to_string();
        let old = self.certificates.insert(key.clone(), (c.clone(), version));
        self.undo.push(Undo::Certificate(key, old.map(Box::new)));
    }

    /// Counts a fact of `case` on `day` in the reports.
    fn count(&mut self, case: &Case, day: Date, fact: &crate::reports::Fact) {
        for key in crate::reports::keys(case, day, fact) {
            let old = self.cells.get(&key).copied();
            self.cells.insert(key.clone(), old.unwrap_or(0) + 1);
            self.undo.push(Undo::Cell(key, old));
        }
    }

    fn put_complaint(&mut self, c: &Complaint) {
        let key = c.number.to_string();
        let old = self.complaints.insert(key.clone(), c.clone());
        self.undo.push(Undo::Complaint(key, old.map(Box::new)));
    }
}

fn restore<K: std::hash::Hash + Eq, V>(map: &mut HashMap<K, V>, key: K, old: Option<V>) {
    match old {
        Some(v) => {
            map.insert(key, v);
        }
        None => {
            map.remove(&key);
        }
    }
}

type Answer = Result<Applied, StoreError>;

async fn commit_batch(
    conn: &mut AnyConnection,
    backend: Backend,
    reference: &Reference,
    hours: &HashMap<rules::AkimatCode, rules::WorkingHours>,
    blobs: &BlobStore,
    batch: &[Job],
) -> Result<Vec<Answer>, StoreError> {
    conn.execute(backend.begin_write()).await?;
    let work = async {
        let row = sqlx::query(backend.chain_head_query()).fetch_one(&mut *conn).await?;
        let head = Head { seq: row.try_get(0)?, hash: row.try_get(1)? };
        let mut cx = Cx {
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
            undo: Vec::new(),
            reference,
            hours,
            blobs,
        };
        let mut answers = Vec::with_capacity(batch.len());
        for job in batch {
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
        flush(&mut cx).await?;
        Ok::<_, StoreError>(answers)
    }
    .await;
    match work {
        Ok(answers) => {
            conn.execute("COMMIT").await?;
            Ok(answers)
        }
        Err(e) => {
            let _ = conn.execute("ROLLBACK").await;
            Err(e)
        }
    }
}

/// A multi-row INSERT of `rows` rows of `cols` columns, with `tail` (an ON CONFLICT clause).
/// Only placeholders are formatted into the statement; every value is bound.
fn multi_insert(table: &str, cols: &[&str], rows: usize, tail: &str) -> AssertSqlSafe<String> {
    let n = cols.len();
    let values: Vec<String> = (0..rows)
        .map(|r| format!("({})", (1..=n).map(|c| format!("${}", r * n + c)).collect::<Vec<_>>().join(", ")))
        .collect();
    AssertSqlSafe(format!("INSERT INTO {table} ({}) VALUES {} {tail}", cols.join(", "), values.join(", ")))
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>;

/// Inserts `rows` into `table`, [`CHUNK`] rows per statement, each row's values bound by
/// `bind` in the order of `cols`. A unique violation (two nodes appending to one stream at
/// once on PostgreSQL) is a conflict the batch's commands are answered with.
async fn insert_rows<T>(
    conn: &mut AnyConnection,
    table: &str,
    cols: &[&str],
    tail: &str,
    rows: &[T],
    bind: impl for<'q> Fn(AnyQuery<'q>, &T) -> Result<AnyQuery<'q>, StoreError>,
) -> Result<(), StoreError> {
    /// 200 rows of the widest table (13 columns) bind 2,600 values, far under SQLite's
    /// 32,766 and PostgreSQL's 65,535.
    const CHUNK: usize = 200;
    for chunk in rows.chunks(CHUNK) {
        let mut q = sqlx::query(multi_insert(table, cols, chunk.len(), tail));
        for row in chunk {
            q = bind(q, row)?;
        }
        match q.execute(&mut *conn).await {
            Ok(_) => {}
            Err(e) if crate::db::is_unique_violation(&e) => {
                return Err(StoreError::Conflict { stream: "(batch)".into(), expected: 0, actual: 0 });
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// Adds counts to the reports' cells.
pub(crate) async fn add_cells(
    conn: &mut AnyConnection,
    cells: &[(crate::reports::CellKey, i64)],
) -> Result<(), StoreError> {
    let cell_cols = ["grain", "period", "akimat", "service", "measure", "label", "working_days", "late", "count"];
    let tail = "ON CONFLICT (grain, period, akimat, service, measure, label, working_days, late) \
                DO UPDATE SET count = report_cells.count + excluded.count";
    insert_rows(conn, "report_cells", &cell_cols, tail, cells, |q, (k, n)| {
        Ok(q.bind(k.grain)
            .bind(k.period.clone())
            .bind(k.akimat.clone())
            .bind(k.service.clone())
            .bind(k.measure)
            .bind(k.label.clone())
            .bind(k.working_days)
            .bind(k.late)
            .bind(*n))
    })
    .await
}

/// Writes everything the batch kept in memory, the chain head last.
async fn flush(cx: &mut Cx<'_>) -> Result<(), StoreError> {
    let counters: Vec<(String, i64)> =
        cx.counters.iter().filter(|(_, (_, dirty))| *dirty).map(|(n, (v, _))| (n.clone(), *v)).collect();
    insert_rows(
        cx.conn,
        "counters",
        &["name", "value"],
        "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        &counters,
        |q, (name, value)| Ok(q.bind(name.clone()).bind(*value)),
    )
    .await?;
    let mut blob_rows = std::mem::take(&mut cx.blobs_seen);
    blob_rows.sort_by(|a, b| a.sha256.cmp(&b.sha256));
    blob_rows.dedup_by(|a, b| a.sha256 == b.sha256);
    let blob_cols = ["sha256", "size", "media_type", "created_ms"];
    insert_rows(cx.conn, "blobs", &blob_cols, "ON CONFLICT (sha256) DO NOTHING", &blob_rows, |q, b| {
        Ok(q.bind(b.sha256.clone()).bind(b.size as i64).bind(b.media_type).bind(b.created_ms))
    })
    .await?;
    let events = std::mem::take(&mut cx.events);
    // The notices of these events, in the same transaction (crate::notifications).
    let notices: Vec<(i64, String, &EventRow)> = events
        .iter()
        .flat_map(|e| concerned(cx, &e.stream).into_iter().map(move |iin| (e.global_seq, iin, e)))
        .collect();
    insert_rows(
        cx.conn,
        "notifications",
        &["global_seq", "recipient_iin", "stream", "kind", "at_ms"],
        "ON CONFLICT (global_seq, recipient_iin) DO NOTHING",
        &notices,
        |q, (seq, iin, e)| Ok(q.bind(*seq).bind(iin.clone()).bind(e.stream.clone()).bind(e.kind.clone()).bind(e.at_ms)),
    )
    .await?;
    // Each notice is also delivered (by mail, where the person asked for it): work for the
    // workers, in the same transaction, so a crash after the commit loses no delivery.
    let now_ms = Timestamp::now().as_millisecond();
    insert_rows(
        cx.conn,
        "jobs",
        &["id", "kind", "state", "attempts", "run_after_ms", "leased_until_ms", "created_ms"],
        "ON CONFLICT (id) DO NOTHING",
        &notices,
        |q, (seq, iin, _)| {
            Ok(q.bind(crate::jobs::notice_job(*seq, iin))
                .bind(crate::jobs::NOTICE)
                .bind("pending")
                .bind(0_i64)
                .bind(now_ms)
                .bind(0_i64)
                .bind(now_ms))
        },
    )
    .await?;
    let cols = [
        "global_seq",
        "stream",
        "stream_seq",
        "kind",
        "payload",
        "actor",
        "role",
        "at_ms",
        "citation",
        "prev_hash",
        "hash",
    ];
    insert_rows(cx.conn, "events", &cols, "", &events, |q, e| {
        Ok(q.bind(e.global_seq)
            .bind(e.stream.clone())
            .bind(e.stream_seq)
            .bind(e.kind.clone())
            .bind(e.payload.clone())
            .bind(e.actor.clone())
            .bind(e.role.clone())
            .bind(e.at_ms)
            .bind(e.citation.clone())
            .bind(e.prev_hash.clone())
            .bind(e.hash.clone()))
    })
    .await?;
    let cases: Vec<Case> = std::mem::take(&mut cx.cases).into_values().collect();
    // The count of open cases by stage allowance moves with each case that changed.
    let mut open: HashMap<crate::reports::OpenKey, i64> = HashMap::new();
    for case in &cases {
        let before = cx.open_before.get(&case.number.to_string()).cloned().flatten();
        let after = crate::reports::open_key(case);
        if before != after {
            if let Some(k) = before {
                *open.entry(k).or_default() -= 1;
            }
            if let Some(k) = after {
                *open.entry(k).or_default() += 1;
            }
        }
    }
    cx.open_before.clear();
    let open: Vec<(crate::reports::OpenKey, i64)> = open.into_iter().filter(|(_, n)| *n != 0).collect();
    insert_rows(
        cx.conn,
        "open_stages",
        &["akimat", "due_from", "due_on", "due_days", "count"],
        "ON CONFLICT (akimat, due_from, due_on, due_days) DO UPDATE SET count = open_stages.count + excluded.count",
        &open,
        |q, ((akimat, from, on, days), n)| {
            Ok(q.bind(akimat.clone()).bind(from.clone()).bind(on.clone()).bind(*days).bind(*n))
        },
    )
    .await?;
    if !open.is_empty() {
        sqlx::query("DELETE FROM open_stages WHERE count = 0").execute(&mut *cx.conn).await?;
    }
    let reference: &Reference = cx.reference;
    let calendar = &reference.calendar;
    let case_cols = [
        "number",
        "akimat",
        "service",
        "state",
        "applicant_iin",
        "document_no",
        "version",
        "received_on",
        "due_on",
        "late",
        "updated_ms",
        "snapshot",
        "representative_iin",
        "profession",
        "escalate_on",
        "due_from",
        "due_days",
    ];
    let now_ms = Timestamp::now().as_millisecond();
    let tail = "ON CONFLICT (number) DO UPDATE SET state = excluded.state, version = excluded.version, due_on = excluded.due_on, \
                late = excluded.late, updated_ms = excluded.updated_ms, snapshot = excluded.snapshot, \
                result_signed_ms = NULL, escalate_on = excluded.escalate_on, due_from = excluded.due_from, \
                due_days = excluded.due_days";
    insert_rows(cx.conn, "cases", &case_cols, tail, &cases, |q, case| {
        Ok(q.bind(case.number.to_string())
            .bind(case.application.akimat.to_string())
            .bind(tag_of(&case.application.service.kind(), ""))
            .bind(tag_of(&case.state, ""))
            .bind(case.application.applicant.iin.to_string())
            .bind(case.application.applicant.document_number.clone())
            .bind(case.version as i64)
            .bind(case.received_on.to_string())
            // The queue orders and flags by the deadline that binds (App.2 item 3 too).
            .bind(case.binding_due().map(|d| d.on.to_string()))
            .bind(i64::from(case.late.is_some()))
            .bind(now_ms)
            .bind(serde_json::to_string(case)?)
            .bind(case.application.representative.as_ref().map(|r| r.iin.to_string()))
            .bind(case.application.profession.clone())
            .bind(crate::escalation::first_alert(calendar, case).map(|d| d.to_string()))
            .bind(case.binding_due().map(|d| d.from.to_string()))
            .bind(case.binding_due().map(|d| i64::from(d.working_days))))
    })
    .await?;
    let certs: Vec<(Certificate, u64)> = std::mem::take(&mut cx.certificates).into_values().collect();
    let cert_cols = [
        "number",
        "akimat",
        "holder_iin",
        "valid_from",
        "valid_to",
        "revoked_on",
        "superseded_by",
        "version",
        "snapshot",
    ];
    let tail = "ON CONFLICT (number) DO UPDATE SET valid_to = excluded.valid_to, revoked_on = excluded.revoked_on, \
                superseded_by = excluded.superseded_by, version = excluded.version, snapshot = excluded.snapshot";
    insert_rows(cx.conn, "certificates", &cert_cols, tail, &certs, |q, (c, version)| {
        Ok(q.bind(c.number.to_string())
            .bind(c.akimat.to_string())
            .bind(c.holder.iin.to_string())
            .bind(c.valid_from.to_string())
            .bind(c.valid_to.to_string())
            .bind(c.revoked.as_ref().map(|(d, _)| d.to_string()))
            .bind(c.superseded.as_ref().map(|(n, _)| n.to_string()))
            .bind(*version as i64)
            .bind(serde_json::to_string(c)?))
    })
    .await?;
    let complaints: Vec<Complaint> = std::mem::take(&mut cx.complaints).into_values().collect();
    let complaint_cols = ["number", "akimat", "route", "state", "due_on", "version", "snapshot", "complainant_iin"];
    let tail = "ON CONFLICT (number) DO UPDATE SET state = excluded.state, due_on = excluded.due_on, version = excluded.version, \
                snapshot = excluded.snapshot";
    insert_rows(cx.conn, "complaints", &complaint_cols, tail, &complaints, |q, c| {
        Ok(q.bind(c.number.to_string())
            .bind(c.filing.akimat.to_string())
            .bind(tag_of(&c.filing.route, ""))
            .bind(tag_of(&c.state, ""))
            .bind(c.due.as_ref().map(|d| d.on.to_string()))
            .bind(c.version as i64)
            .bind(serde_json::to_string(c)?)
            .bind(c.filing.complainant.to_string()))
    })
    .await?;
    let cells: Vec<(crate::reports::CellKey, i64)> = std::mem::take(&mut cx.cells).into_iter().collect();
    add_cells(cx.conn, &cells).await?;
    let ops = std::mem::take(&mut cx.obligations);
    crate::obligations::apply(cx.conn, &ops, now_ms).await?;
    let keys: Vec<(String, KeptAnswer)> = std::mem::take(&mut cx.idempotency).into_iter().collect();
    let key_cols = ["key", "request_hash", "response", "created_ms"];
    insert_rows(cx.conn, "idempotency", &key_cols, "ON CONFLICT (key) DO NOTHING", &keys, |q, (key, a)| {
        Ok(q.bind(key.clone()).bind(a.request_hash.clone()).bind(a.response.clone()).bind(a.created_ms))
    })
    .await?;
    sqlx::query("UPDATE chain SET seq = $1, hash = $2 WHERE id = 1")
        .bind(cx.head.seq)
        .bind(cx.head.hash.clone())
        .execute(&mut *cx.conn)
        .await?;
    Ok(())
}

/// The people an event of `stream` concerns, by IIN: a case's applicant and representative,
/// a certificate's holder, a complainant. Every stream written in a batch has its entity in
/// the batch's context.
fn concerned(cx: &Cx<'_>, stream: &str) -> Vec<String> {
    let Some((kind, number)) = stream.split_once('/') else { return Vec::new() };
    let mut people = match kind {
        "case" => cx.cases.get(number).map_or_else(Vec::new, |c| {
            let app = &c.application;
            std::iter::once(app.applicant.iin.to_string())
                .chain(app.representative.as_ref().map(|r| r.iin.to_string()))
                .collect()
        }),
        "certificate" => cx.certificates.get(number).map(|(c, _)| vec![c.holder.iin.to_string()]).unwrap_or_default(),
        "complaint" => cx.complaints.get(number).map(|c| vec![c.filing.complainant.to_string()]).unwrap_or_default(),
        _ => Vec::new(),
    };
    people.dedup();
    people
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
    let row = sqlx::query("SELECT request_hash, response FROM idempotency WHERE key = $1")
        .bind(key.to_owned())
        .fetch_optional(&mut *cx.conn)
        .await?;
    row.map(|r| Ok((r.try_get::<String, _>(0)?, r.try_get::<String, _>(1)?))).transpose()
}

async fn apply(cx: &mut Cx<'_>, job: &Job) -> Result<Applied, StoreError> {
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

/// The answer to a committed command.
fn applied(cx: &Cx<'_>, stream: String, number: String, version: u64, events: Vec<String>) -> Applied {
    Applied { stream, number, version, events, last_seq: cx.head.seq, replayed: false }
}

fn refused(r: Refusal) -> StoreError {
    StoreError::Refused(r)
}

fn env<'a>(cx: &'a Cx<'_>, job: &'a Job, akimat: &str) -> Result<Env<'a>, StoreError> {
    let hours = cx.hours.get(akimat).ok_or_else(|| StoreError::NotFound(format!("akimat {akimat}")))?;
    Ok(Env { now: job.now, actor: &job.actor, calendar: &cx.reference.calendar, hours })
}

fn prefix(cx: &Cx<'_>, akimat: &str) -> Result<String, StoreError> {
    cx.reference.law.akimat(akimat).map(|a| a.prefix.clone()).ok_or_else(|| {
        refused(Refusal::new(
            Reason::Field { field: rules::facts::Field::Akimat, problem: rules::facts::Problem::NoSuchAkimat },
            "App.1",
        ))
    })
}

/// The next value of a number sequence, kept in memory for the batch (the chain-head lock
/// serializes batches, so no other writer moves it meanwhile) and written by [`flush`].
async fn next_counter(cx: &mut Cx<'_>, name: &str) -> Result<u32, StoreError> {
    if !cx.counters.contains_key(name) {
        let row = sqlx::query("SELECT value FROM counters WHERE name = $1")
            .bind(name.to_owned())
            .fetch_optional(&mut *cx.conn)
            .await?;
        let current = match row {
            Some(r) => r.try_get::<i64, _>(0)?,
            None => 0,
        };
        cx.counters.insert(name.to_owned(), (current, false));
    }
    let entry = cx.counters.get_mut(name).ok_or_else(|| StoreError::Corrupt("counter".into()))?;
    entry.0 += 1;
    entry.1 = true;
    u32::try_from(entry.0).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// The serde tag of a value (`"event"`, `"state"` …) or the value itself when it is a string.
pub(crate) fn tag_of(value: &impl Serialize, field: &str) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(v) => v.get(field).and_then(|t| t.as_str()).unwrap_or("").to_owned(),
        Err(_) => String::new(),
    }
}

/// Chains an event and keeps it for the end of the batch.
#[expect(clippy::too_many_arguments, reason = "the columns of one event row")]
fn append(
    cx: &mut Cx<'_>,
    stream: &str,
    stream_seq: u64,
    kind: &str,
    payload: String,
    actor: &Actor,
    at: Timestamp,
    citation: &str,
) -> Result<(), StoreError> {
    let seq = cx.head.seq + 1;
    let role = tag_of(&actor.role, "");
    let stream_seq = i64::try_from(stream_seq).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let link = Link {
        global_seq: seq,
        stream,
        stream_seq,
        kind,
        payload: &payload,
        actor: &actor.id,
        role: &role,
        at_ms: at.as_millisecond(),
        citation,
    };
    let hash = chain::hash(&cx.head.hash, &link);
    cx.events.push(EventRow {
        global_seq: seq,
        stream: stream.to_owned(),
        stream_seq,
        kind: kind.to_owned(),
        payload,
        actor: actor.id.clone(),
        role,
        at_ms: at.as_millisecond(),
        citation: citation.to_owned(),
        prev_hash: std::mem::replace(&mut cx.head.hash, hash.clone()),
        hash,
    });
    cx.head.seq = seq;
    Ok(())
}

fn append_case_event(cx: &mut Cx<'_>, number: &CaseNumber, version: u64, e: &case::Event) -> Result<(), StoreError> {
    let payload = serde_json::to_string(e)?;
    append(cx, &format!("case/{number}"), version, e.kind.name(), payload, &e.actor, e.at, e.citation.as_str())
}

/// Checks a referenced document is stored and notes its row for the end of the batch.
fn register_blob(cx: &mut Cx<'_>, sha256: &str, now: Timestamp) -> Result<(), StoreError> {
    if cx.blobs_seen.iter().any(|b| b.sha256 == sha256) {
        return Ok(());
    }
    let (size, media) = cx.blobs.describe(sha256)?;
    cx.blobs_seen.push(BlobRow {
        sha256: sha256.to_owned(),
        size,
        media_type: media,
        created_ms: now.as_millisecond(),
    });
    Ok(())
}

async fn load_case(cx: &mut Cx<'_>, number: &CaseNumber) -> Result<Case, StoreError> {
    if let Some(c) = cx.cases.get(&number.to_string()) {
        return Ok(c.clone());
    }
    let row = sqlx::query("SELECT snapshot FROM cases WHERE number = $1")
        .bind(number.to_string())
        .fetch_optional(&mut *cx.conn)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("case {number}")))?;
    let case: Case = serde_json::from_str(&row.try_get::<String, _>(0)?)?;
    cx.open_before.entry(number.to_string()).or_insert_with(|| crate::reports::open_key(&case));
    Ok(case)
}

async fn load_certificate(
    cx: &mut Cx<'_>,
    number: &CertificateNumber,
) -> Result<Option<(Certificate, u64)>, StoreError> {
    if let Some(c) = cx.certificates.get(&number.to_string()) {
        return Ok(Some(c.clone()));
    }
    let row = sqlx::query("SELECT snapshot, version FROM certificates WHERE number = $1")
        .bind(number.to_string())
        .fetch_optional(&mut *cx.conn)
        .await?;
    match row {
        None => Ok(None),
        Some(row) => Ok(Some((serde_json::from_str(&row.try_get::<String, _>(0)?)?, row.try_get::<i64, _>(1)? as u64))),
    }
}

/// Appends a certificate event to its stream and updates the registry.
async fn certificate_event(
    cx: &mut Cx<'_>,
    number: &CertificateNumber,
    event: CertificateEvent,
    actor: &Actor,
    at: Timestamp,
) -> Result<(), StoreError> {
    let (mut slot, version) = match load_certificate(cx, number).await? {
        Some((c, v)) => (Some(c), v),
        None => (None, 0),
    };
    event.apply(&mut slot);
    let cert = slot.ok_or_else(|| StoreError::NotFound(format!("certificate {number}")))?;
    let payload = serde_json::to_string(&event)?;
    // The paragraph in the numbering of the rule set in force that day on the akimat's clock.
    let zone = cx.hours.get(cert.akimat.as_str()).map_or(jiff::tz::TimeZone::UTC, |h| h.zone.clone());
    let citation = cx.reference.law.set_on(zone.to_datetime(at).date()).cite(&event.citation());
    append(cx, &format!("certificate/{number}"), version + 1, event.name(), payload, actor, at, citation.as_str())?;
    windows(cx, &cert, &event, zone.to_datetime(at).date());
    cx.put_certificate(&cert, version + 1);
    Ok(())
}

/// The holder's windows an event opens, closes or records (crate::obligations).
fn windows(cx: &mut Cx<'_>, cert: &Certificate, event: &CertificateEvent, day: Date) {
    let ops = crate::obligations::ops_for(&cx.reference.calendar, &cx.reference.law, cert, event, day);
    cx.obligations.extend(ops);
}

/// Appends case events, applies their effects on certificates, updates the read models.
async fn record_case_events(
    cx: &mut Cx<'_>,
    job: &Job,
    case: &mut Case,
    events: &[case::Event],
) -> Result<Vec<String>, StoreError> {
    let mut kinds = Vec::new();
    let today = env(cx, job, &case.application.akimat)?.today();
    for e in events {
        let (before, stage) = (case.state, case.due.clone());
        case.apply(e);
        for fact in crate::reports::facts(&cx.reference.calendar, before, stage.as_ref(), case, &e.kind, today) {
            cx.count(case, today, &fact);
        }
        append_case_event(cx, &case.number, case.version, e)?;
        for (number, effect) in certificate_effects(&case.number, e) {
            certificate_event(cx, &number, effect, &e.actor, e.at).await?;
        }
        kinds.push(e.kind.name().to_owned());
    }
    cx.put_case(case);
    Ok(kinds)
}

async fn submit(cx: &mut Cx<'_>, job: &Job, application: &rules::case::Application) -> Result<Applied, StoreError> {
    let prefix = prefix(cx, &application.akimat)?;
    for d in &application.documents {
        // Only the filer's own uploads: someone else's document, known by its hash, is
        // answered as one never stored.
        let own = sqlx::query("SELECT 1 FROM uploads WHERE owner = $1 AND sha256 = $2")
            .bind(job.actor.id.clone())
            .bind(d.sha256.clone())
            .fetch_optional(&mut *cx.conn)
            .await?;
        if own.is_none() || !cx.blobs.contains(&d.sha256) {
            return Err(StoreError::Blob(BlobError::Missing(d.sha256.clone())));
        }
        register_blob(cx, &d.sha256, job.now)?;
    }
    let year = env(cx, job, &application.akimat)?.today().year();
    let seq = next_counter(cx, &format!("case/{prefix}/{year}")).await?;
    let number = CaseNumber::new(&prefix, year as u16, seq).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let certificate = match &application.certificate {
        Some(n) => load_certificate(cx, n).await?.map(|(c, _)| c),
        None => None,
    };
    let events = {
        let env = env(cx, job, &application.akimat)?;
        case::submit(number.clone(), application.clone(), &env, &cx.reference.law, certificate.as_ref())
            .map_err(refused)?
    };
    let (first, rest) = events.split_first().ok_or_else(|| StoreError::Corrupt("no submission event".into()))?;
    let mut case = Case::from_events([first]).ok_or_else(|| StoreError::Corrupt("no submission event".into()))?;
    append_case_event(cx, &number, 1, first)?;
    let today = env(cx, job, &application.akimat)?.today();
    cx.count(&case, today, &crate::reports::filed(&case));
    // Applying is what the holder's window asked for (crate::obligations).
    let window = match application.service {
        rules::case::Service::Extend => Some(rules::certificate::Window::Extension),
        rules::case::Service::Reissue { .. } => Some(rules::certificate::Window::Reissue),
        _ => None,
    };
    if let (Some(window), Some(certificate)) = (window, &application.certificate) {
        cx.obligations.push(crate::obligations::Op::Met {
            certificate: certificate.to_string(),
            window,
            by: number.to_string(),
        });
    }
    let mut kinds = vec![first.kind.name().to_owned()];
    kinds.extend(record_case_events(cx, job, &mut case, rest).await?);
    Ok(applied(cx, format!("case/{number}"), number.to_string(), case.version, kinds))
}

async fn act_on_case(
    cx: &mut Cx<'_>,
    job: &Job,
    number: &CaseNumber,
    expected: Option<u64>,
    action: &rules::case::CaseAction,
) -> Result<Applied, StoreError> {
    let mut case = load_case(cx, number).await?;
    if let Some(expected) = expected
        && expected != case.version
    {
        return Err(StoreError::Conflict { stream: format!("case/{number}"), expected, actual: case.version });
    }
    let akimat = case.application.akimat.clone();
    let new_number = if action.needs_number() {
        let prefix = prefix(cx, &akimat)?;
        let year = env(cx, job, &akimat)?.today().year();
        let seq = next_counter(cx, &format!("certificate/{prefix}/{year}")).await?;
        Some(CertificateNumber::new(&prefix, year as u16, seq).map_err(|e| StoreError::Corrupt(e.to_string()))?)
    } else {
        None
    };
    let command = action.clone().into_command(new_number).ok_or_else(|| StoreError::Corrupt("no number".into()))?;
    let certificate = match &case.application.certificate {
        Some(n) => load_certificate(cx, n).await?.map(|(c, _)| c),
        None => None,
    };
    let events = {
        let env = env(cx, job, &akimat)?;
        case::decide(&case, &command, &env, &cx.reference.law, certificate.as_ref()).map_err(refused)?
    };
    let kinds = record_case_events(cx, job, &mut case, &events).await?;
    Ok(applied(cx, format!("case/{number}"), number.to_string(), case.version, kinds))
}

async fn act_on_certificate(
    cx: &mut Cx<'_>,
    job: &Job,
    number: &CertificateNumber,
    command: &rules::certificate::CertificateCommand,
) -> Result<Applied, StoreError> {
    let (cert, version) =
        load_certificate(cx, number).await?.ok_or_else(|| StoreError::NotFound(format!("certificate {number}")))?;
    let events = {
        let env = env(cx, job, &cert.akimat)?;
        let today = env.today();
        let rules = cx.reference.law.in_force_on(today).map_err(refused)?.rules;
        decide_certificate(&cert, command, &env, rules).map_err(refused)?
    };
    let mut kinds = Vec::new();
    for e in events {
        kinds.push(e.name().to_owned());
        certificate_event(cx, number, e, &job.actor, job.now).await?;
    }
    Ok(applied(cx, format!("certificate/{number}"), number.to_string(), version + kinds.len() as u64, kinds))
}

fn append_complaint_event(cx: &mut Cx<'_>, c: &Complaint, e: &complaint::ComplaintEvent) -> Result<String, StoreError> {
    let payload = serde_json::to_string(e)?;
    let kind = e.kind.name().to_owned();
    append(cx, &format!("complaint/{}", c.number), c.version, &kind, payload, &e.actor, e.at, e.citation.as_str())?;
    Ok(kind)
}

async fn file_complaint(cx: &mut Cx<'_>, job: &Job, filing: &complaint::Filing) -> Result<Applied, StoreError> {
    let prefix = prefix(cx, &filing.akimat)?;
    let year = env(cx, job, &filing.akimat)?.today().year();
    let seq = next_counter(cx, &format!("case/{prefix}/{year}")).await?;
    let number = CaseNumber::new(&prefix, year as u16, seq).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let concerned = match &filing.case {
        Some(n) => match load_case(cx, n).await {
            Ok(c) => Some(c),
            Err(StoreError::NotFound(_)) => None,
            Err(e) => return Err(e),
        },
        None => None,
    };
    let events = {
        let env = env(cx, job, &filing.akimat)?;
        complaint::file_complaint(number.clone(), filing.clone(), concerned.as_ref(), &env, &cx.reference.law)
            .map_err(refused)?
    };
    let (first, rest) = events.split_first().ok_or_else(|| StoreError::Corrupt("no filing event".into()))?;
    let mut c = Complaint::from_events([first]).ok_or_else(|| StoreError::Corrupt("no filing event".into()))?;
    let mut kinds = vec![append_complaint_event(cx, &c, first)?];
    for e in rest {
        c.apply(e);
        kinds.push(append_complaint_event(cx, &c, e)?);
    }
    cx.put_complaint(&c);
    Ok(applied(cx, format!("complaint/{number}"), number.to_string(), c.version, kinds))
}

async fn act_on_complaint(
    cx: &mut Cx<'_>,
    job: &Job,
    number: &CaseNumber,
    expected: Option<u64>,
    command: &complaint::ComplaintCommand,
) -> Result<Applied, StoreError> {
    let mut c: Complaint = match cx.complaints.get(&number.to_string()) {
        Some(c) => c.clone(),
        None => {
            let row = sqlx::query("SELECT snapshot FROM complaints WHERE number = $1")
                .bind(number.to_string())
                .fetch_optional(&mut *cx.conn)
                .await?
                .ok_or_else(|| StoreError::NotFound(format!("complaint {number}")))?;
            serde_json::from_str(&row.try_get::<String, _>(0)?)?
        }
    };
    if let Some(expected) = expected
        && expected != c.version
    {
        return Err(StoreError::Conflict { stream: format!("complaint/{number}"), expected, actual: c.version });
    }
    let events = {
        let env = env(cx, job, &c.filing.akimat)?;
        complaint::decide_complaint(&c, command, &env, &cx.reference.law).map_err(refused)?
    };
    let mut kinds = Vec::new();
    for e in &events {
        c.apply(e);
        kinds.push(append_complaint_event(cx, &c, e)?);
    }
    cx.put_complaint(&c);
    Ok(applied(cx, format!("complaint/{number}"), number.to_string(), c.version, kinds))
}
