//! Recovery from a database that lost committed events (`witness`): the operator's explicit
//! `qualcert recover --accept-loss`, and the counters a restore must keep past.

use std::collections::BTreeMap;

use serde::Serialize;
use sqlx::{AnyConnection, Executor, Row};

use crate::chain::{Link, hash};
use crate::db::{self, Backend};
use crate::witness::{self, Standing};
use crate::{Config, StoreError};

/// A loss accepted: the events the witness saw committed that the database no longer has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Loss {
    /// The first missing event.
    pub from: i64,
    /// The last one the witness saw.
    pub to: i64,
    /// The event that records the loss.
    pub recorded_as: i64,
}

/// Raises each counter of the database to at least the witness's value, so that numbers given
/// out before a loss or a restore are never given again.
pub(crate) async fn raise_counters(
    conn: &mut AnyConnection,
    counters: &BTreeMap<String, i64>,
) -> Result<(), StoreError> {
    for (name, value) in counters {
        sqlx::query(
            "INSERT INTO counters (name, value) VALUES ($1, $2) \
             ON CONFLICT (name) DO UPDATE SET value = CASE WHEN counters.value < excluded.value \
             THEN excluded.value ELSE counters.value END",
        )
        .bind(name.clone())
        .bind(*value)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Accepts the loss the witness names: appends an event that records it (stream `store`,
/// kind `loss-accepted`, with the missing range), keeps every counter past the witness's, and
/// witnesses the new head. Refused when the database is not behind its witness.
pub async fn accept_loss(config: &Config, now_ms: i64) -> Result<Loss, StoreError> {
    let backend = Backend::of(&config.url)?;
    let mut conn = db::connection(&config.url, backend).await?;
    db::migrate(&mut conn, backend).await?;
    let path = witness::path_of(config, backend);
    let Some(w) = witness::read(&path)? else {
        return Err(StoreError::Config("there is no witness: nothing is known to be lost".into()));
    };
    conn.execute(backend.begin_write()).await?;
    let done = record(&mut conn, backend, &w, now_ms).await;
    match done {
        Ok((loss, head_hash)) => {
            conn.execute("COMMIT").await?;
            let now = witness::Witness { seq: loss.recorded_as, hash: head_hash, counters: w.counters.clone() };
            witness::write(&path, &now)
                .map_err(|e| StoreError::Config(format!("writing the witness {}: {e}", path.display())))?;
            // The checkpoint may name an event that was lost: the chain is verified whole at the
            // next start, and a new checkpoint taken.
            let checkpoint = witness::checkpoint_path(&path);
            if checkpoint.exists() {
                std::fs::remove_file(&checkpoint)
                    .map_err(|e| StoreError::Config(format!("removing {}: {e}", checkpoint.display())))?;
            }
            Ok(loss)
        }
        Err(e) => {
            let _ = conn.execute("ROLLBACK").await;
            Err(e)
        }
    }
}

/// The loss event and the counters, in the caller's transaction.
async fn record(
    conn: &mut AnyConnection,
    backend: Backend,
    w: &witness::Witness,
    now_ms: i64,
) -> Result<(Loss, String), StoreError> {
    let row = sqlx::query(backend.chain_head_query()).fetch_one(&mut *conn).await?;
    let (seq, head_hash): (i64, String) = (row.try_get(0)?, row.try_get(1)?);
    let at = crate::chain::hash_at(&mut *conn, w.seq).await?;
    let (from, to) = match witness::standing(w, seq, at.as_deref()) {
        Standing::Sound => {
            return Err(StoreError::Config("the database is at its witness: there is no loss to accept".into()));
        }
        Standing::Behind { head, witnessed } => (head + 1, witnessed),
        Standing::Diverged { seq } => (seq, seq),
    };
    let stream_seq: i64 =
        sqlx::query("SELECT CAST(COALESCE(MAX(stream_seq), 0) + 1 AS BIGINT) FROM events WHERE stream = 'store'")
            .fetch_one(&mut *conn)
            .await?
            .try_get(0)?;
    let payload = serde_json::json!({
        "missing_from": from,
        "missing_to": to,
        "witnessed_hash": w.hash,
        "database_head": seq,
    })
    .to_string();
    let global_seq = seq + 1;
    let (kind, actor, role, citation) = ("loss-accepted", "operator", "system", "qualcert recover --accept-loss");
    let link =
        Link { global_seq, stream: "store", stream_seq, kind, payload: &payload, actor, role, at_ms: now_ms, citation };
    let new_hash = hash(&head_hash, &link);
    sqlx::query(
        "INSERT INTO events (global_seq, stream, stream_seq, kind, payload, actor, role, at_ms, citation, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(global_seq)
    .bind("store")
    .bind(stream_seq)
    .bind(kind)
    .bind(payload.clone())
    .bind(actor)
    .bind(role)
    .bind(now_ms)
    .bind(citation)
    .bind(head_hash)
    .bind(new_hash.clone())
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE chain SET seq = $1, hash = $2 WHERE id = 1")
        .bind(global_seq)
        .bind(new_hash.clone())
        .execute(&mut *conn)
        .await?;
    raise_counters(conn, &w.counters).await?;
    Ok((Loss { from, to, recorded_as: global_seq }, new_hash))
}
