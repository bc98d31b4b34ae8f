//! Applicants' electronic signatures over their applications. The national EDS client signs
//! in the applicant's browser; the service receives a detached CMS signature over the
//! application's canonical bytes and keeps both, so the signature can be checked again at any
//! time, whatever later versions of the service serialize.

use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::{Store, StoreError};

/// A signature kept for a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationSignature {
    /// The case.
    pub case_number: String,
    /// SHA-256 of the signature (DER), hex: what makes a second upload of it a no-op.
    pub sha256: String,
    /// The exact bytes signed (the canonical application, UTF-8 JSON).
    pub content: String,
    /// The detached CMS signature, DER.
    pub signature: Vec<u8>,
    /// Who signed, as the signing certificate names them.
    pub signer: String,
    /// When it was received, ms since the epoch.
    pub created_ms: i64,
    /// The IINs the signing certificate names, space-separated (empty for signatures kept
    /// before they were recorded).
    pub iins: String,
}

impl Store {
    /// Keeps a signature (already verified by the caller) durably; `false` when the same
    /// signature was already kept, so a retry changes nothing.
    pub async fn add_application_signature(
        &self,
        case_number: &str,
        content: &str,
        signature: &[u8],
        signer: &str,
        signer_iins: &str,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        let sha = hex::encode(Sha256::digest(signature));
        let done = sqlx::query(
            "INSERT INTO application_signatures (case_number, sha256, content, signature, signer, created_ms, signer_iins) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (case_number, sha256) DO NOTHING",
        )
        .bind(case_number.to_owned())
        .bind(sha)
        .bind(content.to_owned())
        .bind(hex::encode(signature))
        .bind(signer.to_owned())
        .bind(now_ms)
        .bind(signer_iins.to_owned())
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The signatures kept for a case, oldest first.
    pub async fn application_signatures(&self, case_number: &str) -> Result<Vec<ApplicationSignature>, StoreError> {
        let rows = sqlx::query(
            "SELECT case_number, sha256, content, signature, signer, created_ms, signer_iins FROM application_signatures \
             WHERE case_number = $1 ORDER BY created_ms, sha256",
        )
        .bind(case_number.to_owned())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let signature: String = r.try_get(3)?;
                Ok(ApplicationSignature {
                    case_number: r.try_get(0)?,
                    sha256: r.try_get(1)?,
                    content: r.try_get(2)?,
                    signature: hex::decode(&signature).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                    signer: r.try_get(4)?,
                    created_ms: r.try_get(5)?,
                    iins: r.try_get(6)?,
                })
            })
            .collect()
    }
}

/// A document the service made, with one signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedDocument {
    /// What it is about (`certificate/…`, `case/…`).
    pub subject: String,
    /// The fingerprint of what it shows.
    pub fingerprint: String,
    /// Which signer's signature this is.
    pub index: i64,
    /// The PDF.
    pub pdf: Vec<u8>,
    /// The detached CMS signature (DER); empty while the signer has not signed (the applicant
    /// signs the application; a Commission member without a key here signs through the API).
    pub signature: Vec<u8>,
    /// Who signed.
    pub signer: String,
}

impl Store {
    /// A document made before: its PDF and the signature of signer `index`.
    pub async fn signed_document(
        &self,
        subject: &str,
        fingerprint: &str,
        index: i64,
    ) -> Result<Option<SignedDocument>, StoreError> {
        let row = sqlx::query(
            "SELECT pdf_sha256, signature, signer FROM signed_documents \
             WHERE subject = $1 AND fingerprint = $2 AND signer_index = $3",
        )
        .bind(subject.to_owned())
        .bind(fingerprint.to_owned())
        .bind(index)
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let (sha, signature, signer): (String, String, String) = (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
        Ok(Some(SignedDocument {
            subject: subject.to_owned(),
            fingerprint: fingerprint.to_owned(),
            index,
            pdf: self.blobs().get(&sha).await?,
            signature: hex::decode(&signature).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            signer,
        }))
    }

    /// Records signer `index`'s own signature on a kept document that awaited it; `false` when
    /// that place is already signed (by this signature or another), so nothing is overwritten.
    pub async fn sign_kept_document(
        &self,
        doc: &SignedDocument,
        signature: &[u8],
        signer: &str,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE signed_documents SET signature = $1, signer = $2, signed_ms = $6 \
             WHERE subject = $3 AND fingerprint = $4 AND signer_index = $5 AND signature = ''",
        )
        .bind(hex::encode(signature))
        .bind(signer.to_owned())
        .bind(doc.subject.clone())
        .bind(doc.fingerprint.clone())
        .bind(doc.index)
        .bind(now_ms)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Keeps a document the service made with its signatures (one per signer, by index),
    /// durably: the PDF into the documents, then its rows in one transaction. When another
    /// request kept the same document first, theirs stands and is returned for `index`, so
    /// every caller serves the same bytes.
    pub async fn keep_signed_document(
        &self,
        subject: &str,
        fingerprint: &str,
        pdf: &[u8],
        signatures: &[(Vec<u8>, String)],
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let blob = self.blobs().put(pdf).await?;
        let mut tx = self.pool().begin().await?;
        sqlx::query(
            "INSERT INTO blobs (sha256, size, media_type, created_ms) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (sha256) DO NOTHING",
        )
        .bind(blob.sha256.clone())
        .bind(blob.size as i64)
        .bind(blob.media_type.clone())
        .bind(now_ms)
        .execute(&mut *tx)
        .await?;
        for (i, (signature, signer)) in signatures.iter().enumerate() {
            sqlx::query(
                "INSERT INTO signed_documents \
                 (subject, fingerprint, signer_index, pdf_sha256, signature, signer, created_ms, signed_ms) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (subject, fingerprint, signer_index) DO NOTHING",
            )
            .bind(subject.to_owned())
            .bind(fingerprint.to_owned())
            .bind(i as i64)
            .bind(blob.sha256.clone())
            .bind(hex::encode(signature))
            .bind(signer.clone())
            .bind(now_ms)
            .bind((!signature.is_empty()).then_some(now_ms))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

impl Store {
    /// What a PDF the service made is about (`certificate/NUMBER/original-kk`, `case/…`), by
    /// the PDF's SHA-256: how the verification page tells which certificate an uploaded
    /// document is, so it can show that certificate's status today.
    pub async fn signed_subject(&self, pdf_sha256: &str) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT subject FROM signed_documents WHERE pdf_sha256 = $1 ORDER BY created_ms LIMIT 1")
            .bind(pdf_sha256.to_owned())
            .fetch_optional(self.pool())
            .await?;
        Ok(match row {
            Some(r) => Some(r.try_get(0)?),
            None => None,
        })
    }
}

impl Store {
    /// When the service made or received `signature` over the PDF `pdf_sha256`, if it keeps
    /// that signature: the instant a later check judges it at, which the service knows, where
    /// the signer's own signingTime is only their claim (issue 30).
    pub async fn kept_signature_ms(&self, pdf_sha256: &str, signature: &[u8]) -> Result<Option<i64>, StoreError> {
        let row = sqlx::query(
            "SELECT signed_ms FROM signed_documents WHERE pdf_sha256 = $1 AND signature = $2 AND signed_ms IS NOT NULL",
        )
        .bind(pdf_sha256.to_owned())
        .bind(hex::encode(signature))
        .fetch_optional(self.pool())
        .await?;
        Ok(match row {
            Some(r) => r.try_get(0)?,
            None => None,
        })
    }
}

impl Store {
    /// Whether a document about `subject` (`certificate/NUMBER`) was made and still awaits
    /// its signer's signature (the authorised person's, Rules §13): its signature files are
    /// not to be offered yet.
    pub async fn awaits_signature(&self, subject: &str) -> Result<bool, StoreError> {
        // A range of the primary key (subject first), not LIKE, which SQLite would scan.
        let row = sqlx::query(
            "SELECT 1 FROM signed_documents WHERE subject >= $1 AND subject < $2 AND signature = '' LIMIT 1",
        )
        .bind(format!("{subject}/"))
        .bind(format!("{subject}0"))
        .fetch_optional(self.pool())
        .await?;
        Ok(row.is_some())
    }
}

/// Which signature on a case: the audit by case lists them beside its events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureOn {
    /// The applicant's over the application.
    Application,
    /// A Commission member's over the minutes.
    Minutes,
    /// The authorised person's or the system's over a document the service made.
    Document,
}

/// One signature kept for a case, for the audit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseSignature {
    /// When it was received, ms since the epoch.
    pub at_ms: i64,
    /// What it signs.
    pub on: SignatureOn,
    /// The member's account id, for the minutes (the others name their signer only by
    /// certificate).
    pub account: Option<String>,
    /// The signer as the signing certificate names them.
    pub signer: String,
}

impl Store {
    /// Every signature the service keeps for case `number`, oldest first: the application's,
    /// the members' over the minutes, and those over the documents made for the case. A
    /// document's place awaiting its signer is not a signature and is left out.
    pub async fn case_signatures(&self, number: &str) -> Result<Vec<CaseSignature>, StoreError> {
        let mut found = Vec::new();
        let rows = sqlx::query("SELECT created_ms, signer FROM application_signatures WHERE case_number = $1")
            .bind(number.to_owned())
            .fetch_all(self.pool())
            .await?;
        for r in rows {
            found.push(CaseSignature {
                at_ms: r.try_get(0)?,
                on: SignatureOn::Application,
                account: None,
                signer: r.try_get(1)?,
            });
        }
        let rows = sqlx::query("SELECT created_ms, signer, member FROM minutes_signatures WHERE case_number = $1")
            .bind(number.to_owned())
            .fetch_all(self.pool())
            .await?;
        for r in rows {
            let account: String = r.try_get(2)?;
            found.push(CaseSignature {
                at_ms: r.try_get(0)?,
                on: SignatureOn::Minutes,
                account: Some(account),
                signer: r.try_get(1)?,
            });
        }
        // A range of the primary key, as `awaits_signature` reads it.
        let rows = sqlx::query(
            "SELECT COALESCE(signed_ms, created_ms), signer FROM signed_documents \
             WHERE subject >= $1 AND subject < $2 AND signature <> ''",
        )
        .bind(format!("case/{number}/"))
        .bind(format!("case/{number}0"))
        .fetch_all(self.pool())
        .await?;
        for r in rows {
            found.push(CaseSignature {
                at_ms: r.try_get(0)?,
                on: SignatureOn::Document,
                account: None,
                signer: r.try_get(1)?,
            });
        }
        found.sort_by_key(|s| s.at_ms);
        Ok(found)
    }
}
