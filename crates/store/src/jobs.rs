//! Background work as rows of `jobs`. A worker claims a due row by taking a lease on it: on
//! PostgreSQL the row is picked with `FOR UPDATE SKIP LOCKED`, so any number of workers on
//! any number of nodes each get a different one; on SQLite the one writer makes the claim
//! atomic. A worker that dies holding a lease loses it when the lease runs out, and the row
//! is claimed again; work is idempotent by its id. A failure is retried later with backoff
//! and, after [`MAX_ATTEMPTS`], kept as failed with its error for the administrator.

use sqlx::Row;

use crate::db::Backend;
use crate::{Store, StoreError};

/// The kind of the work of delivering a notice (`crate::notifications`).
pub const NOTICE: &str = "notice";

/// Attempts before a job is given up as failed.
pub const MAX_ATTEMPTS: i64 = 8;

/// The id of the work of delivering the notice of event `seq` to `iin`.
pub fn notice_job(seq: i64, iin: &str) -> String {
    format!("{NOTICE}:{seq}:{iin}")
}

/// The notice a delivery job is about, as (event's global position, IIN).
pub fn notice_of(id: &str) -> Option<(i64, &str)> {
    let rest = id.strip_prefix(NOTICE)?.strip_prefix(':')?;
    let (seq, iin) = rest.split_once(':')?;
    Some((seq.parse().ok()?, iin))
}

/// How long after its `attempts`-th failure a job is tried again: 30 s doubling, at most an
/// hour.
pub fn backoff_ms(attempts: i64) -> i64 {
    let step = 30_000_i64.saturating_mul(1_i64 << attempts.clamp(0, 20));
    step.min(3_600_000)
}

/// A job a worker holds the lease of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    /// What the work is (`notice:SEQ:IIN`).
    pub id: String,
    /// Its kind.
    pub kind: String,
    /// Attempts so far, this one included.
    pub attempts: i64,
}

/// A job as the administrator sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobLine {
    /// What the work is.
    pub id: String,
    /// `pending`, `done` or `failed`.
    pub state: String,
    /// Attempts so far.
    pub attempts: i64,
    /// When it is tried next (pending).
    pub run_after_ms: i64,
    /// The last failure, in the worker's words.
    pub last_error: Option<String>,
}

impl Store {
    /// Takes the lease of one due job until `now_ms + lease_ms`; `None` when nothing is due.
    pub async fn claim_job(&self, now_ms: i64, lease_ms: i64) -> Result<Option<Claimed>, StoreError> {
        Ok(self.claim_jobs(now_ms, lease_ms, 1).await?.pop())
    }

    /// Takes the leases of up to `limit` due jobs at once, in the order they fell due: one
    /// write transaction for many, so a busy worker does not take SQLite's write lock once
    /// per notice between the writer's batches (issue 34).
    pub async fn claim_jobs(&self, now_ms: i64, lease_ms: i64, limit: i64) -> Result<Vec<Claimed>, StoreError> {
        let lock = if self.backend() == Backend::Postgres { " FOR UPDATE SKIP LOCKED" } else { "" };
        let sql = format!(
            "UPDATE jobs SET leased_until_ms = $1, attempts = attempts + 1 WHERE id IN (SELECT id FROM jobs \
             WHERE state <> 'done' AND state = 'pending' AND run_after_ms <= $2 AND leased_until_ms <= $2 ORDER BY run_after_ms, id \
             LIMIT $3{lock}) AND leased_until_ms <= $2 RETURNING id, kind, attempts, run_after_ms"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(now_ms + lease_ms)
            .bind(now_ms)
            .bind(limit)
            .fetch_all(self.pool())
            .await?;
        let mut claimed: Vec<(i64, Claimed)> = rows
            .iter()
            .map(|r| Ok((r.try_get(3)?, Claimed { id: r.try_get(0)?, kind: r.try_get(1)?, attempts: r.try_get(2)? })))
            .collect::<Result<_, StoreError>>()?;
        // RETURNING keeps no order: the jobs are done as they fell due.
        claimed.sort_by(|(a, x), (b, y)| a.cmp(b).then_with(|| x.id.cmp(&y.id)));
        Ok(claimed.into_iter().map(|(_, c)| c).collect())
    }

    /// A job claimed and not begun, given back at once (a worker stopping): another worker may
    /// take it now, and the attempt it never made is not counted.
    pub async fn release_job(&self, job: &Claimed) -> Result<(), StoreError> {
        self.keep(crate::side::Side::JobReleased { id: job.id.clone() }).await
    }

    /// The delivery of `id` begins: marked durably before its SMTP transaction, so a job found
    /// still marked after its lease ran out is known to have been cut off mid-delivery (it is
    /// sent again, with the same Message-ID, when claimed again).
    pub async fn mark_sending(&self, id: &str, now_ms: i64) -> Result<(), StoreError> {
        self.keep(crate::side::Side::JobSending { id: id.to_owned(), at_ms: now_ms }).await
    }

    /// The work is done.
    pub async fn finish_job(&self, id: &str, now_ms: i64) -> Result<(), StoreError> {
        self.keep(crate::side::Side::JobDone { id: id.to_owned(), done_ms: now_ms }).await
    }

    /// The work failed this time: tried again after the backoff, or given up after
    /// [`MAX_ATTEMPTS`].
    pub async fn fail_job(&self, job: &Claimed, error: &str, now_ms: i64) -> Result<(), StoreError> {
        let state = if job.attempts >= MAX_ATTEMPTS { "failed" } else { "pending" };
        self.keep(crate::side::Side::JobFailed {
            id: job.id.clone(),
            state,
            error: error.chars().take(500).collect(),
            run_after_ms: now_ms + backoff_ms(job.attempts),
        })
        .await
    }

    /// A job by id.
    pub async fn job(&self, id: &str) -> Result<Option<JobLine>, StoreError> {
        let row = sqlx::query("SELECT id, state, attempts, run_after_ms, last_error FROM jobs WHERE id = $1")
            .bind(id.to_owned())
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(job_line).transpose()
    }

    /// How many jobs are in each state.
    pub async fn job_totals(&self) -> Result<Vec<(String, i64)>, StoreError> {
        // A pending job marked as sending was cut off mid-delivery (or is being sent now).
        let rows = sqlx::query(
            "SELECT CASE WHEN state = 'pending' AND sending_ms IS NOT NULL THEN 'sending' ELSE state END AS st, \
             CAST(COUNT(*) AS BIGINT) FROM jobs GROUP BY st ORDER BY st",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect()
    }

    /// The jobs that failed for good, or are being retried after a failure, newest first.
    pub async fn troubled_jobs(&self, limit: i64) -> Result<Vec<JobLine>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, state, attempts, run_after_ms, last_error FROM jobs WHERE state <> 'done' \
             AND (state = 'failed' OR (state = 'pending' AND last_error IS NOT NULL)) ORDER BY run_after_ms DESC LIMIT $1",
        )
        .bind(limit.clamp(1, 500))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(job_line).collect()
    }

    /// Where and in which language a person wants their notices: (e-mail if any, language tag).
    pub async fn contact(&self, iin: &str) -> Result<Option<(Option<String>, String)>, StoreError> {
        let row = sqlx::query("SELECT email, lang FROM contacts WHERE iin = $1")
            .bind(iin.to_string())
            .fetch_optional(self.pool())
            .await?;
        row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
    }

    /// Sets where and in which language a person wants their notices.
    pub async fn set_contact(&self, iin: &str, email: Option<&str>, lang: &str) -> Result<(), StoreError> {
        let row =
            crate::side::Side::Contact { iin: iin.to_owned(), email: email.map(str::to_owned), lang: lang.to_owned() };
        self.keep(row).await
    }
}

fn job_line(r: &sqlx::any::AnyRow) -> Result<JobLine, StoreError> {
    Ok(JobLine {
        id: r.try_get(0)?,
        state: r.try_get(1)?,
        attempts: r.try_get(2)?,
        run_after_ms: r.try_get(3)?,
        last_error: r.try_get(4)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_to_an_hour() {
        assert_eq!(backoff_ms(0), 30_000);
        assert_eq!(backoff_ms(1), 60_000);
        assert_eq!(backoff_ms(3), 240_000);
        assert_eq!(backoff_ms(12), 3_600_000);
    }

    #[test]
    fn a_notice_job_names_its_notice() {
        let id = notice_job(42, "900305401113");
        assert_eq!(notice_of(&id), Some((42, "900305401113")));
        assert_eq!(notice_of("other:1:2"), None);
    }
}
