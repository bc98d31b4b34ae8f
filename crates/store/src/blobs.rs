//! The document store, content-addressed by SHA-256, each document durable before any event
//! may reference it: files under `<data>/blobs/aa/bbcc…` (written, synced and renamed into
//! place) with the embedded SQLite database, rows of `documents` with PostgreSQL, so that
//! nodes share nothing on disk (issue 35).
//!
//! The type is judged from the content, not the name: a renamed executable is not a PDF.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The default size limit of one document: 10 MiB.
pub const DEFAULT_MAX_BYTES: usize = 10 * 1024 * 1024;

/// Why a document was not stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum BlobError {
    /// Empty upload.
    #[error("the file is empty")]
    Empty,
    /// Over the size limit.
    #[error("the file is {size} bytes; the limit is {limit} bytes")]
    TooLarge {
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// Not a PDF, PNG or JPEG by its content.
    #[error("the file is not a PDF, PNG or JPEG document (judged by its content, not its name)")]
    UnsupportedType,
    /// A referenced document is not in the store.
    #[error("document {0} was not uploaded")]
    Missing(String),
    /// The uploader's documents not yet attached to an application fill their quota.
    #[error("the documents uploaded and not yet filed exceed {limit} bytes")]
    Quota {
        /// The quota, in bytes.
        limit: u64,
    },
    /// The file system failed.
    #[error("storing the document failed: {0}")]
    Io(String),
}

/// A stored document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlobRef {
    /// SHA-256, hex.
    pub sha256: String,
    /// Size in bytes.
    pub size: usize,
    /// Media type judged from the content.
    pub media_type: String,
}

/// The media type of `bytes` by their first bytes, if accepted.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else {
        None
    }
}

/// The documents: files under a directory (the embedded SQLite store), or rows of the
/// `documents` table of the PostgreSQL database (any number of nodes, nothing shared on disk).
#[derive(Debug, Clone)]
pub struct BlobStore {
    place: Place,
    max_bytes: usize,
}

/// Where the bytes live.
#[derive(Clone)]
enum Place {
    Files(PathBuf),
    Table(sqlx::AnyPool),
}

impl std::fmt::Debug for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Place::Files(dir) => write!(f, "Files({})", dir.display()),
            Place::Table(_) => f.write_str("Table(documents)"),
        }
    }
}

fn db_error(e: sqlx::Error) -> BlobError {
    BlobError::Io(format!("the database: {e}"))
}

fn is_hash(sha256: &str) -> bool {
    sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_hexdigit())
}

impl BlobStore {
    /// A store under `dir` with the default limit.
    pub fn new(dir: impl Into<PathBuf>) -> BlobStore {
        BlobStore { place: Place::Files(dir.into()), max_bytes: DEFAULT_MAX_BYTES }
    }

    /// A store in the `documents` table of the database behind `pool` (PostgreSQL): what
    /// lets any number of nodes serve the same documents with nothing shared on disk.
    pub fn in_database(pool: sqlx::AnyPool) -> BlobStore {
        BlobStore { place: Place::Table(pool), max_bytes: DEFAULT_MAX_BYTES }
    }

    /// The same store with another size limit.
    pub fn with_limit(mut self, max_bytes: usize) -> BlobStore {
        self.max_bytes = max_bytes;
        self
    }

    /// Whether the documents are in the database rather than in files.
    pub fn in_the_database(&self) -> bool {
        matches!(self.place, Place::Table(_))
    }

    /// The file a document with this hash lives in; `None` when documents are in the
    /// database.
    pub fn file(&self, sha256: &str) -> Option<PathBuf> {
        let Place::Files(dir) = &self.place else { return None };
        let (a, b) = sha256.split_at(2.min(sha256.len()));
        Some(dir.join(a).join(b))
    }

    /// Removes a document; one already gone is no error.
    pub async fn remove(&self, sha256: &str) -> Result<(), BlobError> {
        match &self.place {
            Place::Files(_) => match self.file(sha256).map(fs::remove_file) {
                Some(Err(e)) if e.kind() != std::io::ErrorKind::NotFound => Err(BlobError::Io(e.to_string())),
                _ => Ok(()),
            },
            Place::Table(pool) => {
                sqlx::query("DELETE FROM documents WHERE sha256 = $1")
                    .bind(sha256.to_owned())
                    .execute(pool)
                    .await
                    .map_err(db_error)?;
                Ok(())
            }
        }
    }

    /// Whether the stored bytes of `sha256` still hash to it: `Some(false)` for a document
    /// whose bytes were changed where they are kept, `None` for one that is not there; an
    /// error when it could not be read (a database that does not answer is not a finding).
    pub async fn intact(&self, sha256: &str) -> Result<Option<bool>, BlobError> {
        match self.get(sha256).await {
            // Off the async runtime: a document may be megabytes to hash.
            Ok(bytes) => tokio::task::spawn_blocking(move || hex::encode(Sha256::digest(&bytes)))
                .await
                .map(|hash| Some(hash == sha256))
                .map_err(|e| BlobError::Io(e.to_string())),
            Err(BlobError::Missing(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Whether a document is stored.
    pub async fn contains(&self, sha256: &str) -> bool {
        if !is_hash(sha256) {
            return false;
        }
        match &self.place {
            Place::Files(_) => self.file(sha256).is_some_and(|p| p.is_file()),
            Place::Table(pool) => sqlx::query("SELECT 1 FROM documents WHERE sha256 = $1")
                .bind(sha256.to_owned())
                .fetch_optional(pool)
                .await
                .is_ok_and(|r| r.is_some()),
        }
    }

    /// Checks and stores `bytes` durably. Storing the same content twice is a no-op.
    pub async fn put(&self, bytes: &[u8]) -> Result<BlobRef, BlobError> {
        if bytes.is_empty() {
            return Err(BlobError::Empty);
        }
        if bytes.len() > self.max_bytes {
            return Err(BlobError::TooLarge { size: bytes.len(), limit: self.max_bytes });
        }
        let media_type = sniff(bytes).ok_or(BlobError::UnsupportedType)?;
        let sha256 = self.keep(bytes.to_vec()).await?;
        Ok(BlobRef { sha256, size: bytes.len(), media_type: media_type.to_owned() })
    }

    /// Stores bytes already accepted once (a backup being restored, files moved into the
    /// database) without judging them again; returns their hash.
    pub async fn keep(&self, bytes: Vec<u8>) -> Result<String, BlobError> {
        let sha256 = hex::encode(Sha256::digest(&bytes));
        match &self.place {
            Place::Files(dir) => {
                let (dir, sha) = (dir.clone(), sha256.clone());
                tokio::task::spawn_blocking(move || write_file(&dir, &sha, &bytes))
                    .await
                    .map_err(|e| BlobError::Io(e.to_string()))??;
            }
            // Committed before the answer (PostgreSQL's commit is durable), so before any event
            // may name it. Not through the writer: a document is large, written once, and
            // PostgreSQL has no single write lock for it to hold.
            Place::Table(pool) => {
                sqlx::query("INSERT INTO documents (sha256, bytes) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING")
                    .bind(sha256.clone())
                    .bind(bytes)
                    .execute(pool)
                    .await
                    .map_err(db_error)?;
            }
        }
        Ok(sha256)
    }

    /// Removes temporary files older than an hour that an upload left when its process died
    /// between writing and renaming. Younger ones may belong to another node's upload in
    /// progress on a shared directory. Returns how many were removed.
    pub fn sweep_temporary(&self) -> usize {
        let Place::Files(dir) = &self.place else { return 0 };
        let Ok(dirs) = fs::read_dir(dir) else { return 0 };
        let old =
            |m: &fs::Metadata| m.modified().ok().and_then(|t| t.elapsed().ok()).is_some_and(|a| a.as_secs() > 3600);
        let mut removed = 0;
        for dir in dirs.flatten().filter(|d| d.path().is_dir()) {
            let Ok(files) = fs::read_dir(dir.path()) else { continue };
            for f in files.flatten() {
                let name = f.file_name().to_string_lossy().into_owned();
                if name.starts_with('.')
                    && name.ends_with(".tmp")
                    && f.metadata().is_ok_and(|m| old(&m))
                    && fs::remove_file(f.path()).is_ok()
                {
                    removed += 1;
                }
            }
        }
        removed
    }

    /// The bytes of a stored document.
    pub async fn get(&self, sha256: &str) -> Result<Vec<u8>, BlobError> {
        let missing = || BlobError::Missing(sha256.to_owned());
        if !is_hash(sha256) {
            return Err(missing());
        }
        match &self.place {
            Place::Files(_) => {
                let path = self.file(sha256).ok_or_else(missing)?;
                match tokio::task::spawn_blocking(move || fs::read(path)).await {
                    Ok(Ok(bytes)) => Ok(bytes),
                    Ok(Err(e)) if e.kind() == std::io::ErrorKind::NotFound => Err(missing()),
                    Ok(Err(e)) => Err(BlobError::Io(e.to_string())),
                    Err(e) => Err(BlobError::Io(e.to_string())),
                }
            }
            Place::Table(pool) => {
                let row = sqlx::query("SELECT bytes FROM documents WHERE sha256 = $1")
                    .bind(sha256.to_owned())
                    .fetch_optional(pool)
                    .await
                    .map_err(db_error)?;
                let row = row.ok_or_else(missing)?;
                sqlx::Row::try_get(&row, 0).map_err(db_error)
            }
        }
    }

    /// Size and media type of a stored document, from its size and first bytes, in one
    /// look-up: the writer asks it of each document a filing names.
    pub async fn describe(&self, sha256: &str) -> Result<(u64, &'static str), BlobError> {
        use std::io::Read;
        if !is_hash(sha256) {
            return Err(BlobError::Missing(sha256.to_owned()));
        }
        let (size, head) = match &self.place {
            Place::Files(_) => {
                if !self.contains(sha256).await {
                    return Err(BlobError::Missing(sha256.to_owned()));
                }
                let io = |e: std::io::Error| BlobError::Io(e.to_string());
                let path = self.file(sha256).ok_or_else(|| BlobError::Missing(sha256.to_owned()))?;
                let mut f = fs::File::open(path).map_err(io)?;
                let size = f.metadata().map_err(io)?.len();
                let mut head = [0u8; 8];
                let n = f.read(&mut head).map_err(io)?;
                (size, head[..n].to_vec())
            }
            Place::Table(pool) => {
                let row = sqlx::query(
                    "SELECT CAST(OCTET_LENGTH(bytes) AS BIGINT), SUBSTRING(bytes FROM 1 FOR 8) FROM documents \
                     WHERE sha256 = $1",
                )
                .bind(sha256.to_owned())
                .fetch_optional(pool)
                .await
                .map_err(db_error)?
                .ok_or_else(|| BlobError::Missing(sha256.to_owned()))?;
                let size: i64 = sqlx::Row::try_get(&row, 0).map_err(db_error)?;
                (size.unsigned_abs(), sqlx::Row::try_get(&row, 1).map_err(db_error)?)
            }
        };
        Ok((size, sniff(&head).ok_or(BlobError::UnsupportedType)?))
    }

    /// Every stored hash.
    pub async fn list(&self) -> Result<Vec<String>, BlobError> {
        let dir = match &self.place {
            Place::Files(dir) => dir,
            Place::Table(pool) => {
                let rows = sqlx::query("SELECT sha256 FROM documents ORDER BY sha256")
                    .fetch_all(pool)
                    .await
                    .map_err(db_error)?;
                return rows.iter().map(|r| sqlx::Row::try_get(r, 0).map_err(db_error)).collect();
            }
        };
        let mut out = Vec::new();
        let Ok(top) = fs::read_dir(dir) else { return Ok(out) };
        for a in top.flatten() {
            let Ok(inner) = fs::read_dir(a.path()) else { continue };
            for b in inner.flatten() {
                let name = format!("{}{}", a.file_name().to_string_lossy(), b.file_name().to_string_lossy());
                if is_hash(&name) {
                    out.push(name);
                }
            }
        }
        out.sort();
        Ok(out)
    }
}

/// Writes a document's file durably: temporary file, fsync, rename, fsync of the directory.
fn write_file(dir: &Path, sha256: &str, bytes: &[u8]) -> Result<(), BlobError> {
    let (a, b) = sha256.split_at(2);
    let path = dir.join(a).join(b);
    if path.is_file() {
        return Ok(());
    }
    let io = |e: std::io::Error| BlobError::Io(e.to_string());
    let dir = path.parent().ok_or_else(|| BlobError::Io("no parent directory".into()))?;
    fs::create_dir_all(dir).map_err(io)?;
    // Unique per process and call: concurrent uploads of the same content must not share a
    // temporary file (the rename of one would pull it from under the other).
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let tmp = dir.join(format!(".{b}.{}.{}.tmp", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed)));
    let written = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, &path)
    })();
    if let Err(e) = written {
        // A full disk or an I/O error leaves no half-written file behind.
        let _ = fs::remove_file(&tmp);
        return Err(io(e));
    }
    fs::File::open(dir).and_then(|d| d.sync_all()).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn stores_by_content_and_checks_type_and_size() {
        let dir = tempfile::tempdir().expect("tmp");
        let store = BlobStore::new(dir.path()).with_limit(64);
        let pdf = b"%PDF-1.7\n% a tiny pdf\n";
        let r = store.put(pdf).await.expect("stored");
        assert_eq!(r.media_type, "application/pdf");
        assert_eq!(store.put(pdf).await.expect("again"), r, "idempotent");
        assert_eq!(store.get(&r.sha256).await.expect("read"), pdf);
        assert_eq!(store.list().await.expect("list"), vec![r.sha256.clone()]);
        assert_eq!(store.put(b"MZ\x90\x00 an exe named passport.pdf").await, Err(BlobError::UnsupportedType));
        assert_eq!(store.put(&[b'%'; 65]).await, Err(BlobError::TooLarge { size: 65, limit: 64 }));
        assert_eq!(store.put(b"").await, Err(BlobError::Empty));
        assert!(!store.contains("../../etc/passwd").await);
        assert_eq!(store.get("../../etc/passwd").await, Err(BlobError::Missing("../../etc/passwd".into())));
    }
}
