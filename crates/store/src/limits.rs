//! Request counts shared by every node on one database, for the web edge's rate limits.
//!
//! Each node also limits in memory, which stops one address hammering one node for free. But
//! behind a load balancer the same address reaches every node, and N nodes would admit N
//! times the limit. So on PostgreSQL, the one backend that serves several nodes, each limited
//! request is also counted in the database, per client, class and one-minute window. SQLite is
//! one node's file: its count is the node's own, and no request pays a write for it.

use sqlx::Row;

use crate::db::Backend;
use crate::{Store, StoreError};

/// Windows older than this are removed when a new one starts.
const KEEP_MS: i64 = 10 * 60 * 1000;

impl Store {
    /// Whether other nodes may share this database, so that limits must be counted in it.
    pub fn shares_limits(&self) -> bool {
        self.backend() == Backend::Postgres
    }

    /// Counts one request of `client` in `class` for the minute that starts at `window_ms`,
    /// and answers how many that minute holds across every node, this one included.
    pub async fn count_request(&self, client: &str, class: &str, window_ms: i64) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "INSERT INTO rate_limits (client, class, window_ms, hits) VALUES ($1, $2, $3, 1) \
             ON CONFLICT (client, class, window_ms) DO UPDATE SET hits = rate_limits.hits + 1 RETURNING hits",
        )
        .bind(client.to_owned())
        .bind(class.to_owned())
        .bind(window_ms)
        .fetch_one(self.pool())
        .await?;
        let hits: i64 = row.try_get(0)?;
        if hits == 1 {
            // A new window: the table keeps only the last few minutes.
            sqlx::query("DELETE FROM rate_limits WHERE window_ms < $1")
                .bind(window_ms - KEEP_MS)
                .execute(self.pool())
                .await?;
        }
        Ok(hits)
    }
}
