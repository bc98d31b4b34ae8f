//! On SQLite, a batch's commit made durable beside the next batch rather than inside its own
//! COMMIT.
//!
//! With `synchronous = FULL` SQLite flushes the write-ahead log inside COMMIT, and the writer
//! waited for the disk with nothing else to do: a third of each batch's time (issue 34). The
//! writer's own connection commits with `synchronous = NORMAL` instead, which writes the
//! batch's log frames without flushing them, and this module flushes the log (`fdatasync`)
//! while the writer already runs the next batch. A batch is answered, and its witness
//! written, only after a flush that began after its commit returned: what is acknowledged is
//! as durable as under FULL.
//!
//! - One flush covers every batch committed before it began, so flushes that fall behind
//!   merge instead of queueing.
//! - A crash loses only batches not yet answered. The log is replayed in order and a frame
//!   counts only if every frame before it does, so a later batch never survives an earlier
//!   one. A checkpoint under NORMAL still flushes the log before it copies it into the
//!   database, and the database after.
//! - What a batch wrote is visible to readers from its COMMIT, up to one flush before it is
//!   durable, as a standby's reads are ahead of its primary's flush. Nothing leaves the
//!   service on it (mail, a signature, an answer to a write) before it is durable: each of
//!   those waits for a write of its own, and that write's flush covers this batch too.
//! - Without a write-ahead log (a database opened in another journal mode) the writer keeps
//!   FULL and this module is not used.
//!
//! Checkpoints (copying the log into the database) are moved off the writer too. SQLite runs
//! one inside the COMMIT that takes the log past `wal_autocheckpoint` pages, every 16 batches
//! or so, and those were half of what COMMIT still cost (issue 34). A task of its own, on a
//! connection of its own, runs a PASSIVE checkpoint after commits, at most every
//! [`CHECKPOINT_EVERY`]: PASSIVE copies what it can without taking the write lock, so the
//! writer goes on meanwhile. The writer's own threshold stays, far higher
//! ([`WRITER_PRAGMAS`]): under load the log is never wholly copied between two
//! commits, so it only starts over after a checkpoint by the writer itself, which by then
//! finds little left to copy.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::{AnyConnection, Executor, Row};

use crate::StoreError;
use crate::db::Backend;

/// The writer's log, and how far it is known to be flushed.
pub(crate) struct WalFlush {
    /// The `-wal` file beside the database.
    path: PathBuf,
    /// The ordinal of the last batch committed, counted from one.
    committed: AtomicU64,
    /// The ordinal of the last batch a finished flush covers.
    flushed: AtomicU64,
    /// Wakes the checkpoint task; it ends when this is dropped with the writer.
    checkpoint: tokio::sync::mpsc::Sender<()>,
}

/// The least time between two checkpoints by the checkpoint task.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_millis(100);

/// The writer's connection: commits that do not flush, and its own checkpoint threshold at
/// 16,000 pages of the log (64 MiB; SQLite's is 1,000).
pub(crate) const WRITER_PRAGMAS: &str = "PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 16000";

impl WalFlush {
    /// Counts a commit that just returned; its ordinal.
    pub(crate) fn committed(&self) -> u64 {
        // Full means a wake-up is pending already.
        let _ = self.checkpoint.try_send(());
        self.committed.fetch_add(1, Ordering::AcqRel) + 1
    }

    /// Returns once batch `ordinal` is on disk: at once when a flush that covered it already
    /// finished, otherwise after a flush that covers every batch committed so far.
    pub(crate) async fn flushed(&self, ordinal: u64) -> std::io::Result<()> {
        if self.flushed.load(Ordering::Acquire) >= ordinal {
            return Ok(());
        }
        let upto = self.committed.load(Ordering::Acquire);
        let path = self.path.clone();
        let flush = move || match std::fs::File::open(&path) {
            // Flushing one descriptor flushes the file: fsync works on the file, not on the
            // descriptor it was called through.
            Ok(file) => file.sync_data(),
            // The log is removed only after a checkpoint copied all of it into the database
            // and flushed it there.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e),
        };
        tokio::task::spawn_blocking(flush).await.map_err(std::io::Error::other)??;
        self.flushed.fetch_max(upto, Ordering::AcqRel);
        Ok(())
    }
}

/// Sets the writer's connection to commit without flushing, when the database keeps a
/// write-ahead log; what flushes it then. `None` (and FULL kept) otherwise, and on
/// PostgreSQL, whose server flushes before it answers COMMIT.
pub(crate) async fn writer_mode(
    conn: &mut AnyConnection,
    backend: Backend,
    url: &str,
) -> Result<Option<WalFlush>, StoreError> {
    if backend != Backend::Sqlite {
        return Ok(None);
    }
    let mode: String = sqlx::query("PRAGMA journal_mode").fetch_one(&mut *conn).await?.try_get(0)?;
    let Some(file) = crate::db::sqlite_file(url).filter(|_| mode.eq_ignore_ascii_case("wal")) else {
        return Ok(None);
    };
    conn.execute(WRITER_PRAGMAS).await?;
    let (checkpoint, wake) = tokio::sync::mpsc::channel(1);
    tokio::spawn(checkpoints(url.to_owned(), wake));
    Ok(Some(WalFlush {
        path: PathBuf::from(format!("{file}-wal")),
        committed: AtomicU64::new(0),
        flushed: AtomicU64::new(0),
        checkpoint,
    }))
}

/// Copies the log into the database after commits, beside the writer (see the module's
/// doc). A failed checkpoint is logged and tried again after the next commit; the writer's
/// own threshold is there if they keep failing.
async fn checkpoints(url: String, mut wake: tokio::sync::mpsc::Receiver<()>) {
    let mut conn: Option<AnyConnection> = None;
    while wake.recv().await.is_some() {
        if conn.is_none() {
            match crate::db::connection(&url, Backend::Sqlite).await {
                Ok(c) => conn = Some(c),
                Err(e) => tracing::warn!(error = %e, "the checkpoint task cannot open the database"),
            }
        }
        if let Some(c) = conn.as_mut()
            && let Err(e) = c.execute("PRAGMA wal_checkpoint(PASSIVE)").await
        {
            tracing::warn!(error = %e, "a checkpoint of the log failed");
            conn = None;
        }
        tokio::time::sleep(CHECKPOINT_EVERY).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn open(path: &std::path::Path, journal: &str) -> AnyConnection {
        let url = crate::db::sqlite_url(path);
        let mut conn = crate::db::connection(&url, Backend::Sqlite).await.expect("connected");
        conn.execute(sqlx::AssertSqlSafe(format!("PRAGMA journal_mode = {journal}"))).await.expect("journal");
        conn
    }

    /// A WAL database in `dir` set as the writer's, with what flushes its log.
    async fn writer_db(dir: &std::path::Path) -> (std::path::PathBuf, AnyConnection, WalFlush) {
        let path = dir.join("wal.db");
        let mut conn = open(&path, "WAL").await;
        let url = crate::db::sqlite_url(&path);
        let flush = writer_mode(&mut conn, Backend::Sqlite, &url).await.expect("mode").expect("a log to flush");
        (path, conn, flush)
    }

    async fn synchronous(conn: &mut AnyConnection) -> i64 {
        sqlx::query("PRAGMA synchronous").fetch_one(&mut *conn).await.expect("pragma").try_get(0).expect("value")
    }

    #[tokio::test]
    async fn the_writer_leaves_the_flush_to_this_module_only_with_a_write_ahead_log() {
        let dir = tempfile::tempdir().expect("tmp");
        let (_, mut conn, flush) = writer_db(dir.path()).await;
        assert_eq!(synchronous(&mut conn).await, 1, "NORMAL: the commit does not flush");
        assert_eq!(flush.path, dir.path().join("wal.db-wal"));

        // A database in another journal mode keeps FULL: nothing else would flush it.
        let other = dir.path().join("rollback.db");
        let mut conn = open(&other, "DELETE").await;
        let none = writer_mode(&mut conn, Backend::Sqlite, &crate::db::sqlite_url(&other)).await.expect("mode");
        assert!(none.is_none());
        assert_eq!(synchronous(&mut conn).await, 2, "FULL");
    }

    #[tokio::test]
    async fn one_flush_covers_every_batch_committed_before_it_began() {
        let dir = tempfile::tempdir().expect("tmp");
        let (_, mut conn, flush) = writer_db(dir.path()).await;
        conn.execute("CREATE TABLE t (v INTEGER)").await.expect("table");
        conn.execute("INSERT INTO t VALUES (1)").await.expect("first");
        let first = flush.committed();
        conn.execute("INSERT INTO t VALUES (2)").await.expect("second");
        let second = flush.committed();
        assert_eq!((first, second, flush.flushed.load(Ordering::Acquire)), (1, 2, 0));
        flush.flushed(first).await.expect("flushed");
        assert_eq!(flush.flushed.load(Ordering::Acquire), 2, "the second batch was on its way to disk too");
        flush.flushed(second).await.expect("already");
    }

    #[tokio::test]
    async fn the_log_is_copied_into_the_database_beside_the_writer() {
        let dir = tempfile::tempdir().expect("tmp");
        let (path, mut conn, flush) = writer_db(dir.path()).await;
        conn.execute("CREATE TABLE t (v TEXT)").await.expect("table");
        for n in 0..200 {
            sqlx::query("INSERT INTO t VALUES ($1)").bind(format!("{n:0>2000}")).execute(&mut conn).await.expect("row");
        }
        // 200 commits of 2 KB, far under the writer's own threshold: all still in the log.
        let size = || std::fs::metadata(&path).expect("database file").len();
        let before = size();
        assert!(before < 100_000, "{before}");
        flush.committed();
        let started = std::time::Instant::now();
        while size() < 400_000 && started.elapsed() < std::time::Duration::from_secs(10) {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        assert!(size() >= 400_000, "the checkpoint task copied the log: {} bytes", size());
    }
}
