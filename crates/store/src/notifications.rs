//! Notices to people, one per event and person it concerns: the applicant (and their
//! representative) of a case, a certificate's holder, a complainant. The writer makes them
//! from the events it commits, in the same transaction (`writer::flush`), so a notice exists
//! exactly when its event does: none lost in a crash, none made twice by a retry. The
//! cabinet's inbox reads them; what a notice says is rendered in the reader's language when
//! read, from the event's kind and the thing it concerns.

use sqlx::Row;

use crate::{Store, StoreError};

/// A notice in a person's inbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// The event's position in the log: the notice's identity and order.
    pub global_seq: i64,
    /// What it concerns: `case/N`, `certificate/N` or `complaint/N`.
    pub stream: String,
    /// The event's kind (`registered`, `revoked`, …).
    pub kind: String,
    /// When the event happened.
    pub at_ms: i64,
    /// When the person read it; `None` while unread.
    pub read_ms: Option<i64>,
    /// The event itself, for the notices whose words need more than its kind (a window's
    /// last day); `None` for the others.
    pub payload: Option<String>,
}

impl Notification {
    /// What it concerns, as (kind of thing, number): `("case", "Z-AST-…")`.
    pub fn subject(&self) -> (&str, &str) {
        self.stream.split_once('/').unwrap_or(("", &self.stream))
    }
}

impl Store {
    /// A person's notices, newest first, at most `limit`.
    pub async fn inbox(&self, iin: &rules::Iin, limit: i64) -> Result<Vec<Notification>, StoreError> {
        let rows = sqlx::query(
            "SELECT n.global_seq, n.stream, n.kind, n.at_ms, n.read_ms, \
             CASE WHEN n.kind IN ('reminded', 'window-missed') THEN e.payload END \
             FROM notifications n JOIN events e ON e.global_seq = n.global_seq WHERE n.recipient_iin = $1 \
             ORDER BY n.global_seq DESC LIMIT $2",
        )
        .bind(iin.to_string())
        .bind(limit.clamp(1, 1000))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(notice).collect()
    }

    /// One notice, by its event and person.
    pub async fn notification(&self, seq: i64, iin: &rules::Iin) -> Result<Option<Notification>, StoreError> {
        let row = sqlx::query(
            "SELECT n.global_seq, n.stream, n.kind, n.at_ms, n.read_ms, \
             CASE WHEN n.kind IN ('reminded', 'window-missed') THEN e.payload END \
             FROM notifications n JOIN events e ON e.global_seq = n.global_seq \
             WHERE n.global_seq = $1 AND n.recipient_iin = $2",
        )
        .bind(seq)
        .bind(iin.to_string())
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(notice).transpose()
    }

    /// How many of a person's notices are unread.
    pub async fn unread(&self, iin: &rules::Iin) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM notifications WHERE recipient_iin = $1 AND read_ms IS NULL",
        )
        .bind(iin.to_string())
        .fetch_one(self.pool())
        .await?;
        Ok(row.try_get(0)?)
    }

    /// Marks a person's notices up to `up_to` (a `global_seq`) read; those that came after the
    /// person looked stay unread. Returns how many changed.
    ///
    /// The mark goes through the writer's group commit, so reading the inbox costs no write
    /// transaction of its own; the count is read just before, so a notice marked by another
    /// tab at the same moment may be counted twice.
    pub async fn mark_read(&self, iin: &rules::Iin, up_to: i64, now_ms: i64) -> Result<u64, StoreError> {
        let unread: i64 = sqlx::query(
            "SELECT COUNT(*) FROM notifications WHERE recipient_iin = $1 AND global_seq <= $2 AND read_ms IS NULL",
        )
        .bind(iin.to_string())
        .bind(up_to)
        .fetch_one(self.pool())
        .await?
        .try_get(0)?;
        if unread > 0 {
            self.keep(crate::side::Side::ReadMark { iin: iin.to_string(), up_to, read_ms: now_ms }).await?;
        }
        Ok(unread as u64)
    }
}

/// A notice from its row (global_seq, stream, kind, at_ms, read_ms, payload).
fn notice(r: &sqlx::any::AnyRow) -> Result<Notification, StoreError> {
    Ok(Notification {
        global_seq: r.try_get(0)?,
        stream: r.try_get(1)?,
        kind: r.try_get(2)?,
        at_ms: r.try_get(3)?,
        read_ms: r.try_get(4)?,
        payload: r.try_get::<Option<String>, _>(5)?.map(|p| crate::codec::decode(&p)).transpose()?,
    })
}
