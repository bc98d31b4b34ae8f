//! A batch in memory: what its commands have loaded and written so far, with the undo
//! journal that takes a refused command back, and the steps every command uses to record
//! (events chained, counters, documents).

use std::collections::HashMap;

use jiff::Timestamp;
use jiff::civil::Date;
use rules::case::{self, Case};
use rules::certificate::Certificate;
use rules::complaint::{self, Complaint};
use rules::numbers::CaseNumber;
use rules::refusal::Reason;
use rules::{Actor, Env, Refusal};
use sqlx::{AnyConnection, Row};

use crate::blobs::BlobStore;
use crate::chain::{self, Link};
use crate::tags::tag_of;
use crate::{Applied, CommandJob as Job, Reference, StoreError};

#[derive(Debug, Clone)]
pub(crate) struct Head {
    pub(crate) seq: i64,
    pub(crate) hash: String,
}

/// One event row, chained, waiting for the end of the batch.
pub(crate) struct EventRow {
    pub(crate) global_seq: i64,
    pub(crate) stream: String,
    pub(crate) stream_seq: i64,
    pub(crate) kind: String,
    pub(crate) payload: String,
    pub(crate) actor: String,
    pub(crate) role: String,
    pub(crate) at_ms: i64,
    pub(crate) citation: String,
    pub(crate) hash: String,
}

/// A keyed request's answer, kept for the end of the batch.
pub(crate) struct KeptAnswer {
    pub(crate) request_hash: String,
    pub(crate) response: String,
    pub(crate) created_ms: i64,
}

/// A stored document a command referenced, whose row is written at the end of the batch.
pub(crate) struct BlobRow {
    pub(crate) sha256: String,
    pub(crate) size: u64,
    pub(crate) media_type: &'static str,
    pub(crate) created_ms: i64,
}

/// How to take back one in-memory write of a failed command.
pub(crate) enum Undo {
    Case(String, Option<Box<Case>>),
    Certificate(String, Option<Box<(Certificate, u64)>>),
    Complaint(String, Option<Box<Complaint>>),
    Cell(crate::reports::CellKey, Option<i64>),
    Idempotency(String),
}

pub(crate) struct Cx<'a> {
    pub(crate) conn: &'a mut AnyConnection,
    /// What the batch's commands read, loaded before the first ran (super::prefetch).
    pub(crate) ahead: super::prefetch::Prefetched,
    pub(crate) head: Head,
    /// Counters read in this batch: value and whether it changed.
    pub(crate) counters: HashMap<String, (i64, bool)>,
    pub(crate) events: Vec<EventRow>,
    pub(crate) cases: HashMap<String, Case>,
    pub(crate) certificates: HashMap<String, (Certificate, u64)>,
    pub(crate) complaints: HashMap<String, Complaint>,
    /// The reports' cells this batch adds to (crate::reports).
    pub(crate) cells: HashMap<crate::reports::CellKey, i64>,
    /// Changes to the holder's windows, in order (crate::obligations).
    pub(crate) obligations: Vec<crate::obligations::Op>,
    /// Where each case read from the database stood before this batch, for the count of
    /// open cases by stage (crate::reports::open_key).
    pub(crate) open_before: HashMap<String, Option<crate::reports::OpenKey>>,
    pub(crate) idempotency: HashMap<String, KeptAnswer>,
    pub(crate) blobs_seen: Vec<BlobRow>,
    /// Rows kept beside the commands (`Store::keep`), written at the end of the batch.
    pub(crate) side: Vec<crate::side::Side>,
    pub(crate) undo: Vec<Undo>,
    pub(crate) reference: &'a Reference,
    pub(crate) hours: &'a HashMap<rules::AkimatCode, rules::WorkingHours>,
    pub(crate) blobs: &'a BlobStore,
}

/// Where a command started, to undo it.
pub(crate) struct Mark {
    pub(crate) head: Head,
    pub(crate) counters: HashMap<String, (i64, bool)>,
    pub(crate) events: usize,
    pub(crate) blobs_seen: usize,
    pub(crate) obligations: usize,
    pub(crate) undo: usize,
}

impl Cx<'_> {
    pub(crate) fn mark(&self) -> Mark {
        Mark {
            head: self.head.clone(),
            counters: self.counters.clone(),
            events: self.events.len(),
            blobs_seen: self.blobs_seen.len(),
            obligations: self.obligations.len(),
            undo: self.undo.len(),
        }
    }

    pub(crate) fn rollback_to(&mut self, m: Mark) {
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

    pub(crate) fn put_case(&mut self, case: &Case) {
        let key = case.number.to_string();
        let old = self.cases.insert(key.clone(), case.clone());
        self.undo.push(Undo::Case(key, old.map(Box::new)));
    }

    pub(crate) fn put_certificate(&mut self, c: &Certificate, version: u64) {
        let key = c.number.to_string();
        let old = self.certificates.insert(key.clone(), (c.clone(), version));
        self.undo.push(Undo::Certificate(key, old.map(Box::new)));
    }

    /// Counts a fact of `case` on `day` in the reports.
    pub(crate) fn count(&mut self, case: &Case, day: Date, fact: &crate::reports::Fact) {
        for key in crate::reports::keys(case, day, fact) {
            let old = self.cells.get(&key).copied();
            self.cells.insert(key.clone(), old.unwrap_or(0) + 1);
            self.undo.push(Undo::Cell(key, old));
        }
    }

    pub(crate) fn put_complaint(&mut self, c: &Complaint) {
        let key = c.number.to_string();
        let old = self.complaints.insert(key.clone(), c.clone());
        self.undo.push(Undo::Complaint(key, old.map(Box::new)));
    }
}

pub(crate) fn restore<K: std::hash::Hash + Eq, V>(map: &mut HashMap<K, V>, key: K, old: Option<V>) {
    match old {
        Some(v) => {
            map.insert(key, v);
        }
        None => {
            map.remove(&key);
        }
    }
}

/// The answer to a committed command.
pub(crate) fn applied(cx: &Cx<'_>, stream: String, number: String, version: u64, events: Vec<String>) -> Applied {
    Applied { stream, number, version, events, last_seq: cx.head.seq, replayed: false }
}

pub(crate) fn refused(r: Refusal) -> StoreError {
    StoreError::Refused(r)
}

pub(crate) fn env<'a>(cx: &'a Cx<'_>, job: &'a Job, akimat: &str) -> Result<Env<'a>, StoreError> {
    let hours = cx.hours.get(akimat).ok_or_else(|| StoreError::NotFound(format!("akimat {akimat}")))?;
    Ok(Env { now: job.now, actor: &job.actor, calendar: &cx.reference.calendar, hours })
}

pub(crate) fn prefix(cx: &Cx<'_>, akimat: &str) -> Result<String, StoreError> {
    cx.reference.law.akimat(akimat).map(|a| a.prefix.clone()).ok_or_else(|| {
        refused(Refusal::new(
            Reason::Field { field: rules::facts::Field::Akimat, problem: rules::facts::Problem::NoSuchAkimat },
            "App.1",
        ))
    })
}

/// The next value of a number sequence, kept in memory for the batch (the chain-head lock
/// serializes batches, so no other writer moves it meanwhile) and written by [`flush`].
pub(crate) async fn next_counter(cx: &mut Cx<'_>, name: &str) -> Result<u32, StoreError> {
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

/// Chains an event and keeps it for the end of the batch.
#[expect(clippy::too_many_arguments, reason = "the columns of one event row")]
pub(crate) fn append(
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
        hash: hash.clone(),
    });
    cx.head.seq = seq;
    cx.head.hash = hash;
    Ok(())
}

pub(crate) fn append_case_event(
    cx: &mut Cx<'_>,
    number: &CaseNumber,
    version: u64,
    e: &case::Event,
) -> Result<(), StoreError> {
    let payload = serde_json::to_string(e)?;
    append(cx, &format!("case/{number}"), version, e.kind.name(), payload, &e.actor, e.at, e.citation.as_str())
}

/// Checks a referenced document is stored (`BlobError::Missing` if not) and notes its row
/// for the end of the batch.
pub(crate) async fn register_blob(cx: &mut Cx<'_>, sha256: &str, now: Timestamp) -> Result<(), StoreError> {
    if cx.blobs_seen.iter().any(|b| b.sha256 == sha256) {
        return Ok(());
    }
    let (size, media) = cx.blobs.describe(sha256).await?;
    cx.blobs_seen.push(BlobRow {
        sha256: sha256.to_owned(),
        size,
        media_type: media,
        created_ms: now.as_millisecond(),
    });
    Ok(())
}

pub(crate) fn append_complaint_event(
    cx: &mut Cx<'_>,
    c: &Complaint,
    e: &complaint::ComplaintEvent,
) -> Result<String, StoreError> {
    let payload = serde_json::to_string(e)?;
    let kind = e.kind.name().to_owned();
    append(cx, &format!("complaint/{}", c.number), c.version, &kind, payload, &e.actor, e.at, e.citation.as_str())?;
    Ok(kind)
}

/// The people an event of `stream` concerns, by IIN: a case's applicant and representative,
/// a certificate's holder, a complainant. Every stream written in a batch has its entity in
/// the batch's context.
pub(crate) fn concerned(cx: &Cx<'_>, stream: &str) -> Vec<String> {
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
