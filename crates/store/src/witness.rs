//! The witness of the log: the chain head (sequence and hash) and the counters as they stood
//! after the last commit, kept in a small file beside the database, outside it (issue 35).
//!
//! A database can lose its newest commits without an error of its own: a disk that lied about
//! a flush, a WAL cut short, an older copy put back. Its chain then verifies, because a chain
//! that ends early is still a chain, and new filings would take the lost filings' numbers. The
//! witness is what remembers further than the database. At start a database behind its witness
//! is refused with the missing range and what to do; one that has another event where the
//! witness saw its head (a history rewritten, hashes recomputed) is refused too.
//!
//! The writer updates the witness after each commit, before answering: every acknowledged
//! write is witnessed. The file holds two slots, each a checksummed witness, and a commit
//! overwrites the older slot in place and flushes it (`Keeper`): a torn write leaves the other
//! slot whole, and the reader takes the newest whole one. Overwriting in place keeps the file's
//! size, so the flush is of data alone. Writing a new file and renaming it over at every commit
//! cost a file creation, a directory flush and a journal commit per batch: a seventh of the
//! group commit's time (issue 34). A whole new file (temporary, flushed, renamed) is written
//! only at start, after a restore, and when the witness outgrows its slots. On SQLite it sits beside the database file (`qualcert.db.witness`); on
//! PostgreSQL in the node's data directory, one per database (`witness-<id>.json`): the server
//! may be shared, but a node that saw a commit remembers it, which is what catches a server
//! restored to an older state under a running service.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::StoreError;
use crate::db::Backend;

/// What the witness remembers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Witness {
    /// The global sequence number of the last committed event.
    pub seq: i64,
    /// Its hash.
    pub hash: String,
    /// The highest value of each number counter (case and certificate numbers), so numbers
    /// are never given twice even after a loss is accepted.
    #[serde(default)]
    pub counters: BTreeMap<String, i64>,
}

/// Where the witness of the store `config` describes is kept (the data directory is the one
/// that holds its documents).
pub fn path_of(config: &crate::Config, backend: Backend) -> PathBuf {
    let data_dir = config.blobs.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    path_for(&config.url, backend, &data_dir)
}

/// Where the witness of the database at `url` is kept.
pub fn path_for(url: &str, backend: Backend, data_dir: &Path) -> PathBuf {
    match backend {
        Backend::Sqlite => {
            let file = crate::db::sqlite_file(url).unwrap_or("qualcert.db");
            PathBuf::from(format!("{file}.witness"))
        }
        Backend::Postgres => {
            // The server and database, without the password: one witness per database.
            let id = url.rsplit_once('@').map_or(url, |(_, host)| host);
            let digest = hex::encode(Sha256::digest(id.as_bytes()));
            data_dir.join(format!("witness-{}.json", &digest[..16]))
        }
    }
}

/// The witness at `path`, `None` when there is none yet (a new database, or one from before
/// witnesses were kept).
pub fn read(path: &Path) -> Result<Option<Witness>, StoreError> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(StoreError::Config(format!("reading the witness {}: {e}", path.display()))),
    };
    // A witness of an earlier version is one JSON object.
    if bytes.first() == Some(&b'{') {
        return serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| StoreError::Corrupt(format!("the witness {} is unreadable: {e}", path.display())));
    }
    let half = bytes.len() / 2;
    let whole = [&bytes[..half], &bytes[half..]].into_iter().filter_map(slot_witness).max_by_key(|w| w.seq);
    whole.map(Some).ok_or_else(|| {
        StoreError::Corrupt(format!("the witness {} is unreadable: neither of its slots is whole", path.display()))
    })
}

/// What begins each slot, with the length and SHA-256 of the JSON that follows.
const MAGIC: &str = "qualcert-witness-2";

/// The smallest slot: a witness with a few dozen counters fits in one page.
const SLOT_MIN: usize = 4096;

/// A witness as the text of one slot, before its padding: a line with the magic, the JSON's
/// length and its SHA-256, then the JSON.
fn slot_text(w: &Witness) -> std::io::Result<Vec<u8>> {
    let json = serde_json::to_vec(w).map_err(std::io::Error::other)?;
    let mut bytes = format!("{MAGIC} {} {}\n", json.len(), hex::encode(Sha256::digest(&json))).into_bytes();
    bytes.extend_from_slice(&json);
    bytes.push(b'\n');
    Ok(bytes)
}

/// `w` as one slot of `slot` bytes, spaces to the end; `None` when it does not fit.
fn slot_bytes(w: &Witness, slot: usize) -> std::io::Result<Option<Vec<u8>>> {
    let mut bytes = slot_text(w)?;
    if bytes.len() > slot {
        return Ok(None);
    }
    bytes.resize(slot, b' ');
    Ok(Some(bytes))
}

/// The witness in `slot`, if it is whole.
fn slot_witness(slot: &[u8]) -> Option<Witness> {
    let end = slot.iter().position(|b| *b == b'\n')?;
    let head = std::str::from_utf8(&slot[..end]).ok()?;
    let mut parts = head.split(' ');
    let (magic, len, digest) = (parts.next()?, parts.next()?.parse::<usize>().ok()?, parts.next()?);
    let json = slot.get(end + 1..end + 1 + len)?;
    if magic != MAGIC || hex::encode(Sha256::digest(json)) != digest {
        return None;
    }
    serde_json::from_slice(json).ok()
}

/// The witness file as the writer keeps it: open, with the slot its next commit overwrites.
pub(crate) struct Keeper {
    path: PathBuf,
    /// The open file and its slot size; `None` until the first record, and after a failed
    /// write, so the next record starts from a whole new file.
    open: Option<(std::fs::File, usize)>,
    next: usize,
}

impl Keeper {
    /// The keeper of the witness at `path`; nothing is opened yet.
    pub(crate) fn new(path: PathBuf) -> Keeper {
        Keeper { path, open: None, next: 0 }
    }

    /// Records `w` durably: over the older slot, or as a whole new file the first time and when
    /// `w` outgrows its slot.
    pub(crate) fn record(&mut self, w: &Witness) -> std::io::Result<()> {
        use std::os::unix::fs::FileExt as _;
        if let Some((file, slot)) = &self.open
            && let Some(bytes) = slot_bytes(w, *slot)?
        {
            let written = file.write_all_at(&bytes, (self.next * *slot) as u64).and_then(|()| file.sync_data());
            if written.is_err() {
                self.open = None;
            }
            self.next = 1 - self.next;
            return written;
        }
        write(&self.path, w)?;
        let file = std::fs::OpenOptions::new().read(true).write(true).open(&self.path)?;
        let slot = usize::try_from(file.metadata()?.len() / 2).map_err(std::io::Error::other)?;
        self.open = Some((file, slot));
        self.next = 0;
        Ok(())
    }
}

/// The JSON file at `path` (the `what` of the store), `None` when there is none.
fn read_json<T: serde::de::DeserializeOwned>(path: &Path, what: &str) -> Result<Option<T>, StoreError> {
    match std::fs::read_to_string(path) {
        Ok(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| StoreError::Corrupt(format!("the {what} {} is unreadable: {e}", path.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(StoreError::Config(format!("reading the {what} {}: {e}", path.display()))),
    }
}

/// Writes `w` to `path` durably and whole, in both slots: a temporary file, flushed, then
/// renamed over. The slots are twice what `w` needs, so a witness can grow (counters of new
/// akimats and years) for long before the file is written whole again.
pub fn write(path: &Path, w: &Witness) -> std::io::Result<()> {
    let mut one = slot_text(w)?;
    let slot = (2 * one.len()).next_power_of_two().max(SLOT_MIN);
    one.resize(slot, b' ');
    write_whole(path, &[one.as_slice(), one.as_slice()].concat())
}

/// A position of the chain verified from the first event (or from the checkpoint before it),
/// kept beside the witness: the start-up check verifies only what was added since, so its
/// time does not grow with the log, and a history rewritten before it (even with its hashes
/// recomputed) no longer has the hash this file remembers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// The global sequence number of the last event verified.
    pub seq: i64,
    /// Its hash.
    pub hash: String,
}

/// Where the checkpoint of the witness at `witness` is kept.
pub fn checkpoint_path(witness: &Path) -> PathBuf {
    witness.with_extension("checkpoint")
}

/// The checkpoint at `path`, `None` when the chain was never verified here.
pub fn read_checkpoint(path: &Path) -> Result<Option<Checkpoint>, StoreError> {
    read_json(path, "checkpoint")
}

/// Writes the checkpoint durably.
pub fn write_checkpoint(path: &Path, c: &Checkpoint) -> std::io::Result<()> {
    write_json(path, c)
}

/// Writes `value` as JSON to `path` (`write_whole`).
fn write_json<T: Serialize>(path: &Path, value: &T) -> std::io::Result<()> {
    write_whole(path, serde_json::to_string(value).map_err(std::io::Error::other)?.as_bytes())
}

/// Writes `bytes` to `path` durably and whole: a temporary file, flushed, then renamed over,
/// and the rename made durable.
fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    // A temporary name of this process's own: nodes sharing a data directory never write
    // into each other's half-written file.
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = path.with_extension(format!("tmp-{}-{n}", std::process::id()));
    {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_data()?;
    }
    std::fs::rename(&tmp, path)?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && let Ok(d) = std::fs::File::open(dir)
    {
        // The rename itself made durable; some file systems refuse to sync a directory.
        let _ = d.sync_all();
    }
    Ok(())
}

/// How the database stands against its witness.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// At or past the witness, on the same history.
    Sound,
    /// Behind it: the events after `head` up to the witness's are gone.
    Behind {
        /// The database's last event.
        head: i64,
        /// The witness's.
        witnessed: i64,
    },
    /// The event the witness saw as the head is not the one the database has there.
    Diverged {
        /// Where.
        seq: i64,
    },
}

impl Standing {
    /// What an operator is told when the database may not serve.
    pub fn refusal(&self, witness_path: &Path) -> Option<String> {
        let how = "Restore the database from a backup (`qualcert restore DIR` into an empty database), or, \
                   if the loss is known and accepted, run `qualcert recover --accept-loss`, which records the \
                   loss as an event and keeps every number already given out of use.";
        match self {
            Standing::Sound => None,
            Standing::Behind { head, witnessed } => Some(format!(
                "the database has lost committed events: it ends at event {head}, but its witness ({}) saw \
                 event {witnessed} committed, so events {}–{witnessed} are missing (a disk that lost writes, \
                 a cut log or an older copy). The service does not start on it. {how}",
                witness_path.display(),
                head + 1
            )),
            Standing::Diverged { seq } => Some(format!(
                "the database's history differs from what its witness ({}) saw: event {seq} is not the event \
                 that was committed there (a history rewritten or another database put in its place). The \
                 service does not start on it. {how}",
                witness_path.display()
            )),
        }
    }
}

/// How a database whose head is `(seq, hash)` and whose event at the witness's position has
/// `hash_at_witness` stands against `w`.
pub fn standing(w: &Witness, head_seq: i64, hash_at_witness: Option<&str>) -> Standing {
    if head_seq < w.seq {
        return Standing::Behind { head: head_seq, witnessed: w.seq };
    }
    // An event missing under a head that still names it is the chain's own check to report
    // (a removed tail); here only another event in its place.
    match hash_at_witness {
        Some(h) if w.seq > 0 && h != w.hash => Standing::Diverged { seq: w.seq },
        _ => Standing::Sound,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_behind_or_beside_its_witness_is_named() {
        let w = Witness { seq: 80, hash: "h80".into(), counters: BTreeMap::new() };
        assert_eq!(standing(&w, 80, Some("h80")), Standing::Sound);
        assert_eq!(standing(&w, 95, Some("h80")), Standing::Sound);
        assert_eq!(standing(&w, 4, None), Standing::Behind { head: 4, witnessed: 80 });
        assert_eq!(standing(&w, 95, Some("other")), Standing::Diverged { seq: 80 });
        let told = standing(&w, 4, None).refusal(Path::new("x.witness")).expect("refused");
        assert!(told.contains("events 5–80 are missing") && told.contains("qualcert recover --accept-loss"), "{told}");
    }

    #[test]
    fn a_witness_is_written_whole_and_read_back() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("db.witness");
        assert_eq!(read(&path).expect("none yet"), None);
        let w = Witness { seq: 3, hash: "abc".into(), counters: BTreeMap::from([("case/AST/2026".into(), 7)]) };
        write(&path, &w).expect("written");
        assert_eq!(read(&path).expect("read"), Some(w));
    }

    #[test]
    fn a_commit_overwrites_the_older_slot_and_a_torn_slot_leaves_the_other() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("db.witness");
        let at = |seq: i64| Witness { seq, hash: format!("h{seq}"), counters: BTreeMap::new() };
        let mut keeper = Keeper::new(path.clone());
        for seq in 1..=5 {
            keeper.record(&at(seq)).expect("recorded");
            assert_eq!(read(&path).expect("read"), Some(at(seq)));
        }
        // The file keeps its size: commits overwrite, they do not grow it.
        let len = std::fs::metadata(&path).expect("meta").len();
        assert_eq!(len, 2 * SLOT_MIN as u64);
        // A crash in the middle of writing event 6's slot (the first, as 5 went to the second:
        // the first record wrote both, then they alternate).
        let mut bytes = std::fs::read(&path).expect("bytes");
        let torn = slot_bytes(&at(6), SLOT_MIN).expect("encoded").expect("fits");
        bytes[..40].copy_from_slice(&torn[..40]);
        std::fs::write(&path, &bytes).expect("torn");
        assert_eq!(read(&path).expect("the whole slot"), Some(at(5)));
        // Both slots torn: refused, not read as an empty witness.
        std::fs::write(&path, vec![b'x'; 2 * SLOT_MIN]).expect("garbage");
        assert!(matches!(read(&path), Err(StoreError::Corrupt(_))));
    }

    #[test]
    fn a_witness_of_the_earlier_format_is_read_and_one_that_outgrows_its_slot_is_rewritten() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("db.witness");
        std::fs::write(&path, r#"{"seq":9,"hash":"h9","counters":{"case/AST/2026":4}}"#).expect("old");
        let old = read(&path).expect("read").expect("some");
        assert_eq!((old.seq, old.counters.get("case/AST/2026")), (9, Some(&4)));
        let mut keeper = Keeper::new(path.clone());
        let mut w = Witness { seq: 10, hash: "h10".into(), counters: BTreeMap::new() };
        keeper.record(&w).expect("recorded");
        for n in 0..400 {
            w.counters.insert(format!("case/A{n:03}/2026"), n);
        }
        w.seq = 11;
        keeper.record(&w).expect("grown");
        assert_eq!(read(&path).expect("read"), Some(w.clone()));
        assert!(std::fs::metadata(&path).expect("meta").len() > 2 * SLOT_MIN as u64);
        w.seq = 12;
        keeper.record(&w).expect("in place again");
        assert_eq!(read(&path).expect("read"), Some(w));
    }
}
