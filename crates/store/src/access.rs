//! Who read a person's records (issue 36): every read of a case, certificate or complaint by
//! the state's staff, so that the person can see who looked at their file and why.
//!
//! A read is recorded through the writer's batches (`Side::Access`), never a write of its own
//! per page view; the page does not wait for it. Reads are gathered for [`GATHER`] and
//! committed together with the writer's next batch, well within a second; a graceful stop
//! commits what is gathered (`Store::close`), and a process killed in that moment loses the
//! reads of that moment, which is the one trade made here for the page's speed. Reads for aggregate reports name no person
//! and are not recorded per person.

use sqlx::Row;

use crate::{Store, StoreError};

pub use crate::side::Read;

macro_rules! access_columns {
    () => {
        "subject_iin, at_ms, reader_id, reader_role, reader_akimat, record, route, purpose"
    };
}

/// What an administrator asks of the reads: whose records, by whom, when.
#[derive(Debug, Clone, Default)]
pub struct AccessSearch {
    /// The person whose records were read.
    pub subject: Option<rules::Iin>,
    /// The staff member who read them (account id).
    pub reader_id: Option<String>,
    /// From this instant (ms), inclusive.
    pub from_ms: i64,
    /// To this instant (ms), exclusive; 0 for no end.
    pub to_ms: i64,
    /// At most this many, newest first.
    pub limit: i64,
}

fn read_of(r: &sqlx::any::AnyRow) -> Result<Read, StoreError> {
    Ok(Read {
        subject_iin: r.try_get(0)?,
        at_ms: r.try_get(1)?,
        reader_id: r.try_get(2)?,
        reader_role: r.try_get(3)?,
        reader_akimat: r.try_get(4)?,
        record: r.try_get(5)?,
        route: r.try_get(6)?,
        purpose: r.try_get(7)?,
    })
}

/// How long staff reads are gathered before they go to the writer together.
pub const GATHER: std::time::Duration = std::time::Duration::from_millis(100);

/// How long reads are kept unless the operator says otherwise (`QUALCERT_ACCESS_LOG_DAYS`):
/// two years, the span of a certificate's life with its extension windows and complaints.
pub const RETENTION_DAYS: i64 = 730;

impl Store {
    /// Records `read` without waiting for it: reads are gathered for [`GATHER`] and go to the
    /// writer as one row set, so a busy page costs one vector push per read, not a task, a
    /// message and a place in the writer's batch each (issue 36: 26% of a page's throughput
    /// that way, against the 5% allowed).
    pub fn record_access(&self, read: Read) {
        if !self.inner.access_log.load(std::sync::atomic::Ordering::Relaxed) {
            return;
        }
        let first = {
            let mut reads = self.inner.access_reads.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            reads.push(read);
            reads.len() == 1
        };
        // The read that finds the buffer empty sends it on after the gathering time; the
        // others ride along.
        if first {
            let store = self.clone();
            tokio::spawn(async move {
                tokio::time::sleep(GATHER).await;
                store.flush_access().await;
            });
        }
    }

    /// Sends the gathered reads to the writer and waits for their commit; at shutdown, so
    /// that a graceful stop loses none.
    pub(crate) async fn flush_access(&self) {
        let reads =
            std::mem::take(&mut *self.inner.access_reads.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
        if reads.is_empty() {
            return;
        }
        let n = reads.len();
        if let Err(e) = self.keep(crate::side::Side::Access(reads)).await {
            tracing::warn!(error = %e, reads = n, "reads of persons' records could not be recorded");
        }
    }

    /// Turns the recording of staff reads off and on, for `cargo bench -p web --bench load`
    /// to measure what it costs in the same process. Nothing in the service turns it off: the
    /// person's right to see who read their file has no switch.
    #[doc(hidden)]
    pub fn record_access_for_bench(&self, on: bool) {
        self.inner.access_log.store(on, std::sync::atomic::Ordering::Relaxed);
    }

    /// The reads of the records of the person with `iin`, newest first, at most `limit`.
    pub async fn access_of(&self, iin: &rules::Iin, limit: i64) -> Result<Vec<Read>, StoreError> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            access_columns!(),
            " FROM access_log WHERE subject_iin = $1 ORDER BY at_ms DESC LIMIT $2"
        ))
        .bind(iin.to_string())
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(read_of).collect()
    }

    /// The reads an administrator asks for, newest first: of one person's records, by one
    /// staff member, or all, within `[from_ms, to_ms)`. Each question has its own statement,
    /// so each uses its own index (`access_log_subject`, `access_log_reader`, `access_log_at`).
    pub async fn search_access(&self, q: &AccessSearch) -> Result<Vec<Read>, StoreError> {
        let to_ms = if q.to_ms == 0 { i64::MAX } else { q.to_ms };
        // The keys first, in the order of their placeholders, then the period and the limit.
        let (sql, keys): (&str, Vec<String>) = match (&q.subject, &q.reader_id) {
            (Some(iin), Some(reader)) => (
                concat!(
                    "SELECT ",
                    access_columns!(),
                    " FROM access_log WHERE subject_iin = $1 AND reader_id = $2 AND at_ms >= $3 AND at_ms < $4 \
                     ORDER BY at_ms DESC LIMIT $5"
                ),
                vec![iin.to_string(), reader.clone()],
            ),
            (Some(iin), None) => (
                concat!(
                    "SELECT ",
                    access_columns!(),
                    " FROM access_log WHERE subject_iin = $1 AND at_ms >= $2 AND at_ms < $3 ORDER BY at_ms DESC LIMIT $4"
                ),
                vec![iin.to_string()],
            ),
            (None, Some(reader)) => (
                concat!(
                    "SELECT ",
                    access_columns!(),
                    " FROM access_log WHERE reader_id = $1 AND at_ms >= $2 AND at_ms < $3 ORDER BY at_ms DESC LIMIT $4"
                ),
                vec![reader.clone()],
            ),
            (None, None) => (
                concat!(
                    "SELECT ",
                    access_columns!(),
                    " FROM access_log WHERE at_ms >= $1 AND at_ms < $2 ORDER BY at_ms DESC LIMIT $3"
                ),
                Vec::new(),
            ),
        };
        let mut query = sqlx::query(sql);
        for key in keys {
            query = query.bind(key);
        }
        let rows = query.bind(q.from_ms).bind(to_ms).bind(q.limit).fetch_all(self.pool()).await?;
        rows.iter().map(read_of).collect()
    }

    /// Removes reads older than `days` before `now_ms`; how many.
    pub async fn forget_access_before(&self, now_ms: i64, days: i64) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM access_log WHERE at_ms < $1")
            .bind(now_ms - days * 86_400_000)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected())
    }
}
