//! Whether a store is fit to serve: the checks `qualcert serve` runs before it takes a
//! request, and `qualcert audit verify` runs in full.
//!
//! A damaged store must not serve: answers read from it would be wrong, and writes on top of
//! a broken chain could not be told from tampering later. Cheap checks run at every start:
//! SQLite's `quick_check`, the chain head against the last event, and a sample of the stored
//! documents. The audit runs SQLite's full `integrity_check` and looks for every document.

use sqlx::Row;

use crate::{Backend, Store, StoreError};

/// What the checks found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Health {
    /// Each problem, in words an operator can act on; empty when the store is sound.
    pub problems: Vec<String>,
    /// Documents looked for.
    pub documents_checked: u64,
    /// Documents the database names that are not on disk.
    pub missing_documents: Vec<String>,
    /// Documents whose bytes no longer hash to their name (the audit re-hashes each).
    pub altered_documents: Vec<String>,
}

impl Health {
    /// Whether nothing was found wrong.
    pub fn is_sound(&self) -> bool {
        self.problems.is_empty() && self.missing_documents.is_empty() && self.altered_documents.is_empty()
    }
}

/// The first field (a JSON path) where `a` and `b` differ, `None` when they are equal.
pub(crate) fn first_difference(a: &serde_json::Value, b: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            keys.into_iter().find_map(|k| match (x.get(k), y.get(k)) {
                (Some(p), Some(q)) => {
                    first_difference(p, q).map(|f| if f.is_empty() { k.clone() } else { format!("{k}.{f}") })
                }
                _ => Some(k.clone()),
            })
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            x.iter().zip(y).enumerate().find_map(|(i, (p, q))| {
                first_difference(p, q).map(|f| if f.is_empty() { format!("{i}") } else { format!("{i}.{f}") })
            })
        }
        _ if a == b => None,
        _ => Some(String::new()),
    }
}

/// How thorough a check is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// At start-up: `quick_check`, the chain head, and up to this many documents at random.
    Startup {
        /// Documents to look for.
        sample: u32,
    },
    /// The audit: `integrity_check`, the chain head, and every document.
    Full,
}

impl Store {
    /// The read models checked against their events: each case's stored snapshot against a
    /// fold of its own events. An edit of a snapshot behind the store's back (which the hash
    /// chain does not cover) is named as `(case number, what differs)`.
    pub async fn verify_snapshots(&self) -> Result<Vec<(String, String)>, StoreError> {
        let mut found = Vec::new();
        let mut after = String::new();
        loop {
            let (mut some, last) = self.verify_snapshots_after(&after, 1000).await?;
            found.append(&mut some);
            match last {
                Some(l) => after = l,
                None => return Ok(found),
            }
        }
    }

    /// The snapshots of up to `limit` cases numbered after `after` checked, and the last number
    /// checked (`None` when there were none): the slice a schedule checks at a time, so the
    /// whole store is gone through without a pause that grows with it.
    pub async fn verify_snapshots_after(
        &self,
        after: &str,
        limit: i64,
    ) -> Result<(Vec<(String, String)>, Option<String>), StoreError> {
        let mut found = Vec::new();
        let rows = sqlx::query("SELECT number, snapshot FROM cases WHERE number > $1 ORDER BY number LIMIT $2")
            .bind(after.to_owned())
            .bind(limit)
            .fetch_all(self.pool())
            .await?;
        let mut last = None;
        for row in rows {
            let (number, snapshot): (String, String) = (row.try_get(0)?, row.try_get(1)?);
            last = Some(number.clone());
            let stored: serde_json::Value = match crate::codec::parse(&snapshot) {
                Ok(v) => v,
                Err(e) => {
                    found.push((number, format!("the snapshot is unreadable: {e}")));
                    continue;
                }
            };
            let Ok(parsed) = rules::numbers::CaseNumber::parse(&number) else {
                found.push((number, "the row's number is not a case number".into()));
                continue;
            };
            let Some((folded, _)) = self.case_as_of(&parsed, i64::MAX).await? else {
                found.push((number, "there is a snapshot but no events".into()));
                continue;
            };
            let folded = serde_json::to_value(&folded)?;
            if let Some(field) = first_difference(&stored, &folded) {
                found.push((number, format!("the snapshot's {field} is not what its events give")));
            }
        }
        Ok((found, last))
    }

    /// Runs the checks of `depth`. An `Err` is a database that cannot be asked at all.
    pub async fn check_health(&self, depth: Depth) -> Result<Health, StoreError> {
        let mut health = Health::default();
        if self.backend() == Backend::Sqlite {
            let pragma = match depth {
                Depth::Startup { .. } => "PRAGMA quick_check",
                Depth::Full => "PRAGMA integrity_check",
            };
            for row in sqlx::query(pragma).fetch_all(self.pool()).await? {
                let line: String = row.try_get(0)?;
                if line != "ok" {
                    health.problems.push(format!("SQLite {pragma}: {line}"));
                }
            }
        }
        let head = sqlx::query("SELECT seq, hash FROM chain WHERE id = 1").fetch_optional(self.pool()).await?;
        match head {
            None => health.problems.push("the chain head row is missing".into()),
            Some(head) => {
                let (seq, hash): (i64, String) = (head.try_get(0)?, head.try_get(1)?);
                if seq > 0 {
                    match crate::chain::hash_at(self.pool(), seq).await? {
                        None => health.problems.push(format!("the chain head names event {seq}, which is missing")),
                        Some(stored) if stored != hash => {
                            health.problems.push(format!("event {seq} does not have the hash the chain head records"))
                        }
                        Some(_) => {}
                    }
                }
                let beyond = sqlx::query("SELECT global_seq FROM events WHERE global_seq > $1 LIMIT 1")
                    .bind(seq)
                    .fetch_optional(self.pool())
                    .await?;
                if let Some(r) = beyond {
                    let n: i64 = r.try_get(0)?;
                    health.problems.push(format!("event {n} lies beyond the chain head ({seq})"));
                }
            }
        }
        let documents = match depth {
            Depth::Startup { sample } => {
                sqlx::query("SELECT sha256 FROM blobs ORDER BY RANDOM() LIMIT $1")
                    .bind(i64::from(sample))
                    .fetch_all(self.pool())
                    .await?
            }
            Depth::Full => sqlx::query("SELECT sha256 FROM blobs ORDER BY sha256").fetch_all(self.pool()).await?,
        };
        let hashes: Vec<String> = documents.iter().map(|r| r.try_get(0)).collect::<Result<_, _>>()?;
        // The audit reads every document and hashes it again: one changed where it is kept is
        // named, not served as the original.
        let rehash = depth == Depth::Full;
        let (mut missing, mut altered) = (Vec::new(), Vec::new());
        for sha in hashes {
            if !rehash {
                if !self.blobs().contains(&sha).await {
                    missing.push(sha);
                }
                continue;
            }
            match self.blobs().intact(&sha).await? {
                None => missing.push(sha),
                Some(false) => altered.push(sha),
                Some(true) => {}
            }
        }
        health.documents_checked = documents.len() as u64;
        health.missing_documents = missing;
        health.altered_documents = altered;
        Ok(health)
    }
}
