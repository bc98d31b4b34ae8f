//! Who read a person's records (issue 36): every read of a case, certificate or complaint by
//! the state's staff, so that the person can see who looked at their file and why.
//!
//! A read is recorded through the writer's batches (`Side::Access`), never a write of its own
//! per page view; the page does not wait for it. It is committed with the next batch, well
//! within a second; a process killed in that moment loses the reads of that moment, which is
//! the one trade made here for the page's speed. Reads for aggregate reports name no person
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

/// How long reads are kept unless the operator says otherwise (`QUALCERT_ACCESS_LOG_DAYS`):
/// two years, the span of a certificate's life with its extension windows and complaints.
pub const RETENTION_DAYS: i64 = 730;

impl Store {
    /// Records `read` with the writer's next batch, without waiting for it.
    pub fn record_access(&self, read: Read) {
        let store = self.clone();
        tokio::spawn(async move {
            if let Err(e) = store.keep(crate::side::Side::Access(read)).await {
                tracing::warn!(error = %e, "a read of a person's record could not be recorded");
            }
        });
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
