//! What the store's own checks found while it serves (issue 35): a broken chain, a read model
//! that differs from its events, a document missing or altered. Each is logged where it is
//! found and kept here, so that `/admin` shows it with what to do and `/readyz` fails while
//! the chain itself is broken.
//!
//! Kept in memory: every check runs again at start and on its schedule, so a finding that
//! still holds after a restart is found again, and one that was repaired is not shown.

use std::sync::Mutex;

use serde::Serialize;

use crate::witness::{self, Checkpoint};
use crate::{Store, StoreError, chain};

/// What kind of thing a check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    /// An event does not chain to the one before it, or events are gone: the log was edited.
    Chain,
    /// A read model (a case's snapshot) is not what its events give.
    ReadModel,
    /// A document named by a case is not in the document store.
    DocumentMissing,
    /// A document's bytes no longer have the hash it was stored under.
    DocumentAltered,
}

impl FindingKind {
    /// Its name in message keys (`admin-finding-{name}`).
    pub fn name(self) -> &'static str {
        match self {
            FindingKind::Chain => "chain",
            FindingKind::ReadModel => "read-model",
            FindingKind::DocumentMissing => "document-missing",
            FindingKind::DocumentAltered => "document-altered",
        }
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// When it was found (ms since the epoch).
    pub at_ms: i64,
    /// What kind.
    pub kind: FindingKind,
    /// What it is about: a case number, a document's SHA-256, an event's position.
    pub subject: String,
    /// The check's own words, for the log and the operator (technical, in English).
    pub detail: String,
}

/// The findings, one per (kind, subject), newest kept when there are too many.
#[derive(Debug, Default)]
pub(crate) struct Findings(Mutex<Vec<Finding>>);

/// The most findings kept: past this the oldest go (they are in the log).
const KEPT: usize = 500;

impl Findings {
    fn note(&self, f: Finding) {
        let mut all = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        all.retain(|g| (g.kind, &g.subject) != (f.kind, &f.subject));
        all.push(f);
        if all.len() > KEPT {
            let extra = all.len() - KEPT;
            all.drain(..extra);
        }
    }

    fn clear(&self, kind: FindingKind) {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).retain(|g| g.kind != kind);
    }

    fn first_of(&self, kind: FindingKind) -> Option<Finding> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).iter().find(|f| f.kind == kind).cloned()
    }

    fn all(&self) -> Vec<Finding> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }
}

impl Store {
    /// Keeps a finding for `/admin` (the caller logs it).
    pub fn note_finding(&self, kind: FindingKind, subject: &str, detail: &str, at_ms: i64) {
        self.findings_kept().note(Finding { at_ms, kind, subject: subject.to_owned(), detail: detail.to_owned() });
    }

    /// The findings still standing, oldest first.
    pub fn findings(&self) -> Vec<Finding> {
        self.findings_kept().all()
    }

    /// The chain's finding, while the chain is broken: the store must not be called ready.
    pub fn chain_broken(&self) -> Option<Finding> {
        // Asked by `/readyz` every few seconds: one look, no copy of the rest.
        self.findings_kept().first_of(FindingKind::Chain)
    }

    /// Verifies the chain from the last checkpoint to the head, and moves the checkpoint to the
    /// head when it holds: the start-up check and the schedule verify only what is new. The
    /// event at the checkpoint must still have the hash it had when verified, so a history
    /// rewritten before it, hashes and all, is found too. A broken chain is kept as a finding;
    /// a sound one clears the chain's finding.
    pub async fn verify_since_checkpoint(&self, now_ms: i64) -> Result<chain::Verification, StoreError> {
        let path = witness::checkpoint_path(&witness::path_of(self.config(), self.backend()));
        let from = witness::read_checkpoint(&path)?;
        let verification = match &from {
            Some(c) => match chain::hash_at(self.pool(), c.seq).await? {
                Some(h) if h == c.hash => self.verify_range(c.seq + 1, &c.hash, &|_| {}).await?,
                found => chain::Verification {
                    events: 0,
                    broken: Some(chain::Broken {
                        global_seq: c.seq,
                        stream: "(checkpoint)".into(),
                        problem: if found.is_some() {
                            format!(
                                "event {} no longer has the hash it had when it was verified: the history up to it was rewritten",
                                c.seq
                            )
                        } else {
                            format!("event {}, verified before, is gone", c.seq)
                        },
                    }),
                },
            },
            None => self.verify(&|_| {}).await?,
        };
        match &verification.broken {
            Some(b) => {
                let detail = format!("{}: {}", b.stream, b.problem);
                self.note_finding(FindingKind::Chain, &b.global_seq.to_string(), &detail, now_ms);
            }
            None => {
                self.findings_kept().clear(FindingKind::Chain);
                let (seq, hash) = chain::head(self.pool()).await?;
                if seq > 0 && from.as_ref().is_none_or(|c| c.seq < seq) {
                    witness::write_checkpoint(&path, &Checkpoint { seq, hash })
                        .map_err(|e| StoreError::Config(format!("writing the checkpoint {}: {e}", path.display())))?;
                }
            }
        }
        Ok(verification)
    }

    /// Re-hashes up to `n` stored documents after `after` (by SHA-256), round the store a slice
    /// at a time, and keeps a finding for each one missing or altered; the last checked, to
    /// start the next slice from (`None`: the slice reached the end, start again).
    pub async fn check_documents_after(
        &self,
        after: &str,
        n: i64,
        now_ms: i64,
    ) -> Result<(Vec<(FindingKind, String)>, Option<String>), StoreError> {
        let rows = sqlx::query("SELECT sha256 FROM blobs WHERE sha256 > $1 ORDER BY sha256 LIMIT $2")
            .bind(after.to_owned())
            .bind(n)
            .fetch_all(self.pool())
            .await?;
        let hashes: Vec<String> = rows.iter().map(|r| sqlx::Row::try_get(r, 0)).collect::<Result<_, _>>()?;
        let last = (hashes.len() as i64 == n).then(|| hashes.last().cloned()).flatten();
        let mut found = Vec::new();
        for sha in hashes {
            match self.blobs().intact(&sha).await? {
                None => found.push((FindingKind::DocumentMissing, sha)),
                Some(false) => found.push((FindingKind::DocumentAltered, sha)),
                Some(true) => {}
            }
        }
        for (kind, sha) in &found {
            let detail = if *kind == FindingKind::DocumentMissing { "missing" } else { "its bytes have another hash" };
            self.note_finding(*kind, sha, detail, now_ms);
        }
        Ok((found, last))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finding_is_kept_once_per_subject_and_cleared_by_kind() {
        let f = Findings::default();
        let finding =
            |kind, subject: &str, at_ms| Finding { at_ms, kind, subject: subject.into(), detail: String::new() };
        f.note(finding(FindingKind::ReadModel, "Z-1", 1));
        f.note(finding(FindingKind::ReadModel, "Z-1", 2));
        f.note(finding(FindingKind::Chain, "7", 3));
        assert_eq!(f.all().len(), 2, "the same case found twice is one finding");
        assert_eq!(f.all()[0].at_ms, 2, "the newest kept");
        f.clear(FindingKind::Chain);
        assert!(f.all().iter().all(|g| g.kind != FindingKind::Chain));
        for n in 0..(KEPT + 10) {
            f.note(finding(FindingKind::DocumentMissing, &n.to_string(), 0));
        }
        assert_eq!(f.all().len(), KEPT);
    }
}
