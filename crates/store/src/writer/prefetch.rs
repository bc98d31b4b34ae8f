//! What a batch's commands will read, loaded before the first of them runs, one statement
//! per kind for the whole batch.
//!
//! Each statement the writer sends on SQLite is a round trip to the driver's worker thread;
//! three document-ownership look-ups per filing cost more than the filing's rules, its JSON
//! and its share of the commit together (issue 34's profile). Read inside the batch's write
//! transaction, the answers cannot change before the batch commits: the writer is the only
//! one to write uploads, idempotency keys and case snapshots.

use std::collections::{HashMap, HashSet};

use sqlx::{AnyConnection, Row};

use crate::db::select_in;

use crate::{Job, Request, StoreError};

/// The batch's reads, done ahead. A look-up that was asked and not found is an answer too:
/// the key is in `asked`, the value absent.
#[derive(Default)]
pub(crate) struct Prefetched {
    /// Documents the batch's filings name, by (owner, SHA-256), and which of them are stored.
    uploads_asked: HashSet<(String, String)>,
    uploads_owned: HashSet<(String, String)>,
    /// Idempotency keys the batch carries, and the request hash and answer of those known.
    keys_asked: HashSet<String>,
    keys: HashMap<String, (String, String)>,
    /// Cases the batch acts on, and the stored snapshot (JSON) of those that exist.
    cases_asked: HashSet<String>,
    cases: HashMap<String, String>,
}

/// What ahead-of-time look-ups found for one question: known (and the answer), or not asked.
pub(crate) enum Ahead<T> {
    Known(Option<T>),
    NotAsked,
}

impl Prefetched {
    pub(crate) fn owns(&self, owner: &str, sha256: &str) -> Ahead<()> {
        let k = (owner.to_owned(), sha256.to_owned());
        if !self.uploads_asked.contains(&k) {
            return Ahead::NotAsked;
        }
        Ahead::Known(self.uploads_owned.contains(&k).then_some(()))
    }

    pub(crate) fn key(&self, key: &str) -> Ahead<(String, String)> {
        if !self.keys_asked.contains(key) {
            return Ahead::NotAsked;
        }
        Ahead::Known(self.keys.get(key).cloned())
    }

    /// The snapshot of a case as stored before the batch; the batch's own copy, once it has
    /// one, stands before it.
    pub(crate) fn case(&self, number: &str) -> Ahead<&str> {
        if !self.cases_asked.contains(number) {
            return Ahead::NotAsked;
        }
        Ahead::Known(self.cases.get(number).map(String::as_str))
    }
}

/// Reads ahead what `batch` will ask, in one statement per kind (per few hundred values).
pub(crate) async fn prefetch(conn: &mut AnyConnection, batch: &[Job]) -> Result<Prefetched, StoreError> {
    let mut p = Prefetched::default();
    for job in batch {
        let Job::Command(c) = job else { continue };
        if let Some(k) = &c.key {
            p.keys_asked.insert(k.clone());
        }
        match &c.request {
            Request::Submit { application } => {
                for d in &application.documents {
                    p.uploads_asked.insert((c.actor.id.clone(), d.sha256.clone()));
                }
            }
            Request::Case { number, .. } => {
                p.cases_asked.insert(number.to_string());
            }
            _ => {}
        }
    }
    let shas: Vec<String> =
        p.uploads_asked.iter().map(|(_, s)| s.clone()).collect::<HashSet<_>>().into_iter().collect();
    for rows in select_in(conn, "SELECT owner, sha256 FROM uploads WHERE sha256 IN", &shas).await? {
        let k = (rows.try_get::<String, _>(0)?, rows.try_get::<String, _>(1)?);
        if p.uploads_asked.contains(&k) {
            p.uploads_owned.insert(k);
        }
    }
    let keys: Vec<String> = p.keys_asked.iter().cloned().collect();
    for r in select_in(conn, "SELECT key, request_hash, response FROM idempotency WHERE key IN", &keys).await? {
        p.keys.insert(r.try_get(0)?, (r.try_get(1)?, r.try_get(2)?));
    }
    let cases: Vec<String> = p.cases_asked.iter().cloned().collect();
    for r in select_in(conn, "SELECT number, snapshot FROM cases WHERE number IN", &cases).await? {
        p.cases.insert(r.try_get(0)?, r.try_get(1)?);
    }
    Ok(p)
}
