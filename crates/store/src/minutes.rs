//! The Commission's minutes while its members sign them (Rules §9).
//!
//! A member records the decision as a draft: the exact bytes every member present will sign
//! (the web layer makes them, with the akimat's roster as it stands). Each member signs with
//! their own EDS; the caller verifies the signature and that its certificate is that member's
//! before keeping it here. When the signatures make a quorum, the caller records the decision
//! as a case event with the signers as the members present. Until then nothing about the
//! case changes, so a decision nobody signed never takes effect.
//!
//! Two members may act at once: a draft that has a signature is never replaced, and a
//! signature is kept only over the content the draft still has. Both conditions are decided on
//! the draft's row (its `signatures` count), which PostgreSQL locks and re-reads under
//! concurrent updates and SQLite serializes.

use sqlx::Row;

use crate::{Store, StoreError};

/// A draft of the minutes with the signatures it has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinutesDraft {
    /// The case.
    pub case_number: String,
    /// The exact bytes signed (UTF-8).
    pub content: String,
    /// The member's account that recorded it.
    pub recorded_by: String,
    /// When it was recorded, ms since the epoch.
    pub created_ms: i64,
    /// The signatures, oldest first.
    pub signatures: Vec<MinutesSignature>,
}

impl MinutesDraft {
    /// Whether `member` (an account id) has signed.
    pub fn signed_by(&self, member: &str) -> Option<&MinutesSignature> {
        self.signatures.iter().find(|s| s.member == member)
    }
}

/// One member's signature over a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinutesSignature {
    /// The member's account id.
    pub member: String,
    /// The detached CMS signature, DER.
    pub signature: Vec<u8>,
    /// Who signed, as the signing certificate names them.
    pub signer: String,
    /// When it was received, ms since the epoch.
    pub created_ms: i64,
}

/// What became of a signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept {
    /// Kept now.
    New,
    /// This member had signed already; nothing changed.
    AlreadySigned,
    /// The draft changed (or went) since the bytes were signed.
    Stale,
}

impl Store {
    /// Keeps `content` as the case's draft, replacing an earlier draft nobody has signed.
    /// `Conflict` when the draft already has signatures.
    pub async fn put_minutes_draft(
        &self,
        case_number: &str,
        content: &str,
        recorded_by: &str,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let replaced = sqlx::query(
            "UPDATE minutes_drafts SET content = $2, recorded_by = $3, created_ms = $4 \
             WHERE case_number = $1 AND signatures = 0",
        )
        .bind(case_number.to_owned())
        .bind(content.to_owned())
        .bind(recorded_by.to_owned())
        .bind(now_ms)
        .execute(self.pool())
        .await?;
        if replaced.rows_affected() == 1 {
            return Ok(());
        }
        let inserted = sqlx::query(
            "INSERT INTO minutes_drafts (case_number, content, recorded_by, created_ms, signatures) \
             VALUES ($1, $2, $3, $4, 0) ON CONFLICT (case_number) DO NOTHING",
        )
        .bind(case_number.to_owned())
        .bind(content.to_owned())
        .bind(recorded_by.to_owned())
        .bind(now_ms)
        .execute(self.pool())
        .await?;
        if inserted.rows_affected() == 1 {
            Ok(())
        } else {
            Err(StoreError::Conflict { stream: format!("minutes/{case_number}"), expected: 0, actual: 1 })
        }
    }

    /// The case's draft with its signatures.
    pub async fn minutes_draft(&self, case_number: &str) -> Result<Option<MinutesDraft>, StoreError> {
        let row = sqlx::query("SELECT content, recorded_by, created_ms FROM minutes_drafts WHERE case_number = $1")
            .bind(case_number.to_owned())
            .fetch_optional(self.pool())
            .await?;
        let Some(row) = row else { return Ok(None) };
        let rows = sqlx::query(
            "SELECT member, signature, signer, created_ms FROM minutes_signatures WHERE case_number = $1 \
             ORDER BY created_ms, member",
        )
        .bind(case_number.to_owned())
        .fetch_all(self.pool())
        .await?;
        let signatures = rows
            .iter()
            .map(|r| {
                let signature: String = r.try_get(1)?;
                Ok(MinutesSignature {
                    member: r.try_get(0)?,
                    signature: hex::decode(&signature).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                    signer: r.try_get(2)?,
                    created_ms: r.try_get(3)?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Some(MinutesDraft {
            case_number: case_number.to_owned(),
            content: row.try_get(0)?,
            recorded_by: row.try_get(1)?,
            created_ms: row.try_get(2)?,
            signatures,
        }))
    }

    /// The exact bytes the members of case `case_number`'s sitting signed, and how many
    /// signed, in one statement: what the public verification of a certificate shows (issue
    /// 36), where [`Store::minutes_draft`] would also read every signature (a few KB each).
    pub async fn minutes_signed(&self, case_number: &str) -> Result<Option<(String, usize)>, StoreError> {
        let row = sqlx::query(
            "SELECT d.content, (SELECT COUNT(*) FROM minutes_signatures s WHERE s.case_number = d.case_number) \
             FROM minutes_drafts d WHERE d.case_number = $1",
        )
        .bind(case_number.to_owned())
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let signed: i64 = row.try_get(1)?;
        Ok(Some((row.try_get(0)?, usize::try_from(signed).unwrap_or(0))))
    }

    /// Keeps `member`'s signature (verified by the caller) over `content`, if the draft still
    /// has that content and the member has not signed it yet.
    pub async fn add_minutes_signature(
        &self,
        case_number: &str,
        content: &str,
        member: &str,
        signature: &[u8],
        signer: &str,
        now_ms: i64,
    ) -> Result<Kept, StoreError> {
        let mut tx = self.pool().begin().await?;
        let counted = sqlx::query(
            "UPDATE minutes_drafts SET signatures = signatures + 1 WHERE case_number = $1 AND content = $2",
        )
        .bind(case_number.to_owned())
        .bind(content.to_owned())
        .execute(&mut *tx)
        .await?;
        if counted.rows_affected() != 1 {
            return Ok(Kept::Stale);
        }
        let kept = sqlx::query(
            "INSERT INTO minutes_signatures (case_number, member, signature, signer, created_ms) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (case_number, member) DO NOTHING",
        )
        .bind(case_number.to_owned())
        .bind(member.to_owned())
        .bind(hex::encode(signature))
        .bind(signer.to_owned())
        .bind(now_ms)
        .execute(&mut *tx)
        .await?;
        if kept.rows_affected() != 1 {
            return Ok(Kept::AlreadySigned);
        }
        tx.commit().await?;
        Ok(Kept::New)
    }
}
