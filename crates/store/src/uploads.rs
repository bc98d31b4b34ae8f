//! Documents belong to the account that uploaded them. An application may attach only its
//! filer's own uploads (the writer checks it, so no page or API can forget), so knowing a
//! document's hash gives nothing, and the answer for someone else's document is the same as
//! for one never stored. Uploads no application took are swept after [`UNUSED_FOR_MS`]; those
//! still waiting count against [`QUOTA_BYTES`].

use sqlx::Row;

use crate::blobs::{BlobError, BlobRef};
use crate::{Store, StoreError};

/// What one account may hold in uploads no application has taken yet: 50 files of the
/// largest size, more than any filing needs (App.2 item 8 asks for at most five documents).
pub const QUOTA_BYTES: u64 = 50 * crate::blobs::DEFAULT_MAX_BYTES as u64;

/// What one account may upload in a day, filed or not: filing takes uploads out of the quota
/// above, so without this a person could file and upload again without end. Ten full filings
/// a day.
pub const DAILY_BYTES: u64 = QUOTA_BYTES;

const DAY_MS: i64 = 24 * 3600 * 1000;

/// How long an upload no application took is kept: long enough for a draft to be resumed.
pub const UNUSED_FOR_MS: i64 = 30 * 24 * 3600 * 1000;

impl Store {
    /// Stores `bytes` as `owner`'s upload, within their quota. Uploading the same file twice
    /// is one upload.
    pub async fn upload(&self, owner: &str, bytes: &[u8], now_ms: i64) -> Result<BlobRef, StoreError> {
        let row = sqlx::query(
            "SELECT CAST(COALESCE(SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM blobs WHERE blobs.sha256 = uploads.sha256) \
             THEN size ELSE 0 END), 0) AS BIGINT), \
             CAST(COALESCE(SUM(CASE WHEN created_ms > $2 THEN size ELSE 0 END), 0) AS BIGINT) \
             FROM uploads WHERE owner = $1",
        )
        .bind(owner.to_owned())
        .bind(now_ms - DAY_MS)
        .fetch_one(self.pool())
        .await?;
        let (pending, today): (i64, i64) = (row.try_get(0)?, row.try_get(1)?);
        if pending as u64 + bytes.len() as u64 > QUOTA_BYTES || today as u64 + bytes.len() as u64 > DAILY_BYTES {
            return Err(BlobError::Quota { limit: QUOTA_BYTES }.into());
        }
        let stored = self.blobs().put(bytes).await?;
        // The owner's row commits with the writer's next batch (one fsync for many), not as a
        // write transaction of its own that would hold SQLite's write lock between batches.
        self.keep(crate::side::Side::Upload {
            owner: owner.to_owned(),
            sha256: stored.sha256.clone(),
            size: stored.size as i64,
            created_ms: now_ms,
        })
        .await?;
        Ok(stored)
    }

    /// Whether `owner` uploaded the document `sha256`.
    pub async fn owns_upload(&self, owner: &str, sha256: &str) -> Result<bool, StoreError> {
        let row = sqlx::query("SELECT 1 FROM uploads WHERE owner = $1 AND sha256 = $2")
            .bind(owner.to_owned())
            .bind(sha256.to_owned())
            .fetch_optional(self.pool())
            .await?;
        Ok(row.is_some() && self.blobs().contains(sha256).await)
    }

    /// Forgets uploads made before `cutoff_ms` that no application references, and removes
    /// the files nobody else uploaded either. Returns how many uploads were forgotten.
    pub async fn sweep_uploads(&self, cutoff_ms: i64) -> Result<usize, StoreError> {
        let rows = sqlx::query(
            "SELECT DISTINCT sha256 FROM uploads WHERE created_ms < $1 \
             AND NOT EXISTS (SELECT 1 FROM blobs WHERE blobs.sha256 = uploads.sha256)",
        )
        .bind(cutoff_ms)
        .fetch_all(self.pool())
        .await?;
        let done = sqlx::query(
            "DELETE FROM uploads WHERE created_ms < $1 \
             AND NOT EXISTS (SELECT 1 FROM blobs WHERE blobs.sha256 = uploads.sha256)",
        )
        .bind(cutoff_ms)
        .execute(self.pool())
        .await?;
        for row in rows {
            let sha: String = row.try_get(0)?;
            // Kept while anyone still holds it, or an application (filed meanwhile) names it.
            let held =
                sqlx::query("SELECT 1 FROM uploads WHERE sha256 = $1 UNION ALL SELECT 1 FROM blobs WHERE sha256 = $1")
                    .bind(sha.clone())
                    .fetch_optional(self.pool())
                    .await?;
            if held.is_none() {
                self.blobs().remove(&sha).await?;
            }
        }
        Ok(done.rows_affected() as usize)
    }
}
