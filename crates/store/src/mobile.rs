//! Requests for a signature by eGov mobile (the phone app of egov.kz), kept until they are
//! signed or expire: what the web layer's `/egov/` endpoints serve to the app and what the
//! person's browser waits for (`web::mobile`).

use sqlx::Row;

use crate::{Store, StoreError};

/// One request, as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MobileSigning {
    /// Its id: the address the QR code names.
    pub id: String,
    /// The app's bearer token for the documents (API 2), handed out with the description.
    pub token: String,
    /// Whose browser asked: a hash of the session, or of the form token before login.
    pub owner: String,
    /// The IIN whose EDS must sign, when the service knows it.
    pub iin: Option<String>,
    /// The exact bytes to sign, base64.
    pub content: String,
    /// When it was made (ms).
    pub created_ms: i64,
    /// When it stops being signable (ms).
    pub expires_ms: i64,
    /// The CMS the app sent (base64), once verified.
    pub signature: Option<String>,
}

/// What became of a signature sent for a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sent {
    /// Kept.
    Kept,
    /// The request was signed already (it is one-time).
    AlreadySigned,
    /// No such request, or it expired.
    Gone,
}

fn of(row: &sqlx::any::AnyRow) -> Result<MobileSigning, StoreError> {
    Ok(MobileSigning {
        id: row.try_get("id")?,
        token: row.try_get("token")?,
        owner: row.try_get("owner")?,
        iin: row.try_get("iin")?,
        content: row.try_get("content")?,
        created_ms: row.try_get("created_ms")?,
        expires_ms: row.try_get("expires_ms")?,
        signature: row.try_get("signature")?,
    })
}

impl Store {
    /// Keeps a new request; expired ones are removed on the way.
    pub async fn put_mobile_signing(&self, m: &MobileSigning) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM mobile_signings WHERE expires_ms < $1")
            .bind(m.created_ms - 3_600_000)
            .execute(self.pool())
            .await?;
        sqlx::query(
            "INSERT INTO mobile_signings (id, token, owner, iin, content, created_ms, expires_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(m.id.clone())
        .bind(m.token.clone())
        .bind(m.owner.clone())
        .bind(m.iin.clone())
        .bind(m.content.clone())
        .bind(m.created_ms)
        .bind(m.expires_ms)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The request `id`, whatever its state.
    pub async fn mobile_signing(&self, id: &str) -> Result<Option<MobileSigning>, StoreError> {
        let row = sqlx::query(
            "SELECT id, token, owner, iin, content, created_ms, expires_ms, signature FROM mobile_signings WHERE id = $1",
        )
        .bind(id.to_owned())
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(of).transpose()
    }

    /// Keeps the verified `signature` for request `id` if it is still open at `now_ms`: once.
    pub async fn sign_mobile(&self, id: &str, signature: &str, now_ms: i64) -> Result<Sent, StoreError> {
        let done = sqlx::query(
            "UPDATE mobile_signings SET signature = $1, signed_ms = $2 \
             WHERE id = $3 AND signature IS NULL AND expires_ms >= $2",
        )
        .bind(signature.to_owned())
        .bind(now_ms)
        .bind(id.to_owned())
        .execute(self.pool())
        .await?;
        if done.rows_affected() == 1 {
            return Ok(Sent::Kept);
        }
        Ok(match self.mobile_signing(id).await? {
            Some(m) if m.signature.is_some() => Sent::AlreadySigned,
            _ => Sent::Gone,
        })
    }
}
