//! Tamper evidence: every event stores the hash of its predecessor in one global chain.
//! `verify` recomputes the chain from the first event and names the first broken link.

use serde::Serialize;
use sha2::{Digest, Sha256};

/// The hash before the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The fields of an event that the chain covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link<'a> {
    /// Position in the global chain.
    pub global_seq: i64,
    /// The stream.
    pub stream: &'a str,
    /// Position in the stream.
    pub stream_seq: i64,
    /// The kind.
    pub kind: &'a str,
    /// The JSON payload.
    pub payload: &'a str,
    /// Actor id.
    pub actor: &'a str,
    /// Role.
    pub role: &'a str,
    /// Instant in ms.
    pub at_ms: i64,
    /// Citation.
    pub citation: &'a str,
}

/// The hash of an event given its predecessor's: SHA-256 over the fields, each
/// length-prefixed so no two different events hash the same text.
pub fn hash(prev: &str, link: &Link<'_>) -> String {
    let mut h = Sha256::new();
    let mut field = |bytes: &[u8]| {
        h.update((bytes.len() as u64).to_be_bytes());
        h.update(bytes);
    };
    field(prev.as_bytes());
    field(&link.global_seq.to_be_bytes());
    field(link.stream.as_bytes());
    field(&link.stream_seq.to_be_bytes());
    field(link.kind.as_bytes());
    field(link.payload.as_bytes());
    field(link.actor.as_bytes());
    field(link.role.as_bytes());
    field(&link.at_ms.to_be_bytes());
    field(link.citation.as_bytes());
    hex::encode(h.finalize())
}

/// The result of verifying the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    /// Events checked.
    pub events: u64,
    /// The first broken link, if any.
    pub broken: Option<Broken>,
}

/// Where and how the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Broken {
    /// The event's global sequence number.
    pub global_seq: i64,
    /// Its stream.
    pub stream: String,
    /// What is wrong.
    pub problem: String,
}

/// The chain head as the database records it: the last event's position and hash.
pub(crate) async fn head<'c, E>(executor: E) -> Result<(i64, String), crate::StoreError>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let row = sqlx::query("SELECT seq, hash FROM chain WHERE id = 1").fetch_one(executor).await?;
    Ok((sqlx::Row::try_get(&row, 0)?, sqlx::Row::try_get(&row, 1)?))
}

/// The hash event `seq` is stored with, `None` when there is no such event.
pub(crate) async fn hash_at<'c, E>(executor: E, seq: i64) -> Result<Option<String>, crate::StoreError>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let row = sqlx::query("SELECT hash FROM events WHERE global_seq = $1").bind(seq).fetch_optional(executor).await?;
    Ok(row.map(|r| sqlx::Row::try_get(&r, 0)).transpose()?)
}
