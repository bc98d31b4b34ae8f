//! Who signs an akimat's results (Rules §13), and the results still awaiting that signature.
//!
//! An akimat either has an authorised person who signs each certificate, duplicate and
//! reasoned refusal with their own EDS (through NCALayer), or signs on the server with its
//! information system's key. Which one is data the administrator keeps, with the moment it
//! took effect, so a result is signed the way that was in force when it was given.

use sqlx::Row;

use crate::{Store, StoreError, User};

/// An akimat's authorised person and since when they sign its results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorisedSigner {
    /// Their account.
    pub user: User,
    /// Results given from this moment on are theirs to sign, ms since the epoch.
    pub since_ms: i64,
}

impl Store {
    /// The authorised person who signs `akimat`'s results, if it has one (otherwise its
    /// information system's key signs them).
    pub async fn authorised_signer(&self, akimat: &str) -> Result<Option<AuthorisedSigner>, StoreError> {
        let row = sqlx::query(
            "SELECT u.id AS id, u.login AS login, u.role AS role, u.akimat AS akimat, u.iin AS iin, \
             u.iin_proven_ms AS iin_proven_ms, u.name AS name, s.since_ms AS since_ms \
             FROM akimat_signing s JOIN users u ON u.id = s.authorised WHERE s.akimat = $1",
        )
        .bind(akimat.to_owned())
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(AuthorisedSigner { user: crate::accounts::user(&row)?, since_ms: row.try_get("since_ms")? }))
    }

    /// Makes `authorised` (an officer of `akimat`) the person who signs its results from
    /// `now_ms`, or with `None` returns the akimat to its information system's key. The
    /// caller checks who may do this and that the officer belongs to the akimat.
    pub async fn set_authorised_signer(
        &self,
        akimat: &str,
        authorised: Option<&str>,
        changed_by: &str,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        match authorised {
            Some(user) => {
                sqlx::query(
                    "INSERT INTO akimat_signing (akimat, authorised, since_ms, changed_by) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (akimat) DO UPDATE SET authorised = excluded.authorised, since_ms = excluded.since_ms, \
                     changed_by = excluded.changed_by",
                )
                .bind(akimat.to_owned())
                .bind(user.to_owned())
                .bind(now_ms)
                .bind(changed_by.to_owned())
                .execute(self.pool())
                .await?;
            }
            None => {
                sqlx::query("DELETE FROM akimat_signing WHERE akimat = $1")
                    .bind(akimat.to_owned())
                    .execute(self.pool())
                    .await?;
            }
        }
        Ok(())
    }

    /// The cases of `akimat` with a result given (completed or refused) since `since_ms` whose
    /// documents have not all been found signed, oldest first, at most `limit`.
    pub async fn results_to_sign(&self, akimat: &str, since_ms: i64, limit: i64) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT number FROM cases WHERE akimat = $1 AND updated_ms >= $2 \
             AND result_signed_ms IS NULL AND state IN ('completed', 'refused') ORDER BY updated_ms LIMIT $3",
        )
        .bind(akimat.to_owned())
        .bind(since_ms)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
    }

    /// Records that every document of `number`'s result is signed, until the case changes.
    pub async fn mark_result_signed(&self, number: &str, now_ms: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE cases SET result_signed_ms = $1 WHERE number = $2")
            .bind(now_ms)
            .bind(number.to_owned())
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
