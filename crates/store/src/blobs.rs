//! The document store: files content-addressed by SHA-256 under `<data>/blobs/aa/bbcc…`,
//! each written, synced and renamed into place before any event may reference it.
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

/// Documents on the file system.
#[derive(Debug, Clone)]
pub struct BlobStore {
    dir: PathBuf,
    max_bytes: usize,
}

impl BlobStore {
    /// A store under `dir` with the default limit.
    pub fn new(dir: impl Into<PathBuf>) -> BlobStore {
        BlobStore { dir: dir.into(), max_bytes: DEFAULT_MAX_BYTES }
    }

    /// The same store with another size limit.
    pub fn with_limit(mut self, max_bytes: usize) -> BlobStore {
        self.max_bytes = max_bytes;
        self
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Removes a document's file; a file already gone is no error.
    pub fn remove(&self, sha256: &str) -> Result<(), BlobError> {
        match fs::remove_file(self.path(sha256)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(BlobError::Io(e.to_string())),
            _ => Ok(()),
        }
    }

    /// Where a document with this hash lives.
    pub fn path(&self, sha256: &str) -> PathBuf {
        let (a, b) = sha256.split_at(2.min(sha256.len()));
        self.dir.join(a).join(b)
    }

    /// Whether the stored bytes of `sha256` still hash to it: `Some(false)` for a document
    /// whose bytes were changed on disk, `None` for one that is not there.
    pub fn intact(&self, sha256: &str) -> Option<bool> {
        use sha2::Digest as _;
        let bytes = fs::read(self.path(sha256)).ok()?;
        Some(hex::encode(sha2::Sha256::digest(&bytes)) == sha256)
    }

    /// Whether a document is stored.
    pub fn contains(&self, sha256: &str) -> bool {
        sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_hexdigit()) && self.path(sha256).is_file()
    }

    /// Checks and stores `bytes` durably: temporary file, fsync, rename, fsync of the
    /// directory. Storing the same content twice is a no-op.
    pub fn put(&self, bytes: &[u8]) -> Result<BlobRef, BlobError> {
        if bytes.is_empty() {
            return Err(BlobError::Empty);
        }
        if bytes.len() > self.max_bytes {
            return Err(BlobError::TooLarge { size: bytes.len(), limit: self.max_bytes });
        }
        let media_type = sniff(bytes).ok_or(BlobError::UnsupportedType)?;
        let sha256 = hex::encode(Sha256::digest(bytes));
        let path = self.path(&sha256);
        if !path.is_file() {
            let io = |e: std::io::Error| BlobError::Io(e.to_string());
            let dir = path.parent().ok_or_else(|| BlobError::Io("no parent directory".into()))?;
            fs::create_dir_all(dir).map_err(io)?;
            // Unique per process and call: concurrent uploads of the same content must not
            // share a temporary file (the rename of one would pull it from under the other).
            static NEXT: AtomicU64 = AtomicU64::new(0);
            let tmp = dir.join(format!(
                ".{}.{}.{}.tmp",
                &sha256[2..],
                std::process::id(),
                NEXT.fetch_add(1, Ordering::Relaxed)
            ));
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
            fs::File::open(dir).and_then(|d| d.sync_all()).map_err(io)?;
        }
        Ok(BlobRef { sha256, size: bytes.len(), media_type: media_type.to_owned() })
    }

    /// Removes temporary files older than an hour that an upload left when its process died
    /// between writing and renaming. Younger ones may belong to another node's upload in
    /// progress on a shared directory. Returns how many were removed.
    pub fn sweep_temporary(&self) -> usize {
        let Ok(dirs) = fs::read_dir(&self.dir) else { return 0 };
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
    pub fn get(&self, sha256: &str) -> Result<Vec<u8>, BlobError> {
        if !self.contains(sha256) {
            return Err(BlobError::Missing(sha256.to_owned()));
        }
        fs::read(self.path(sha256)).map_err(|e| BlobError::Io(e.to_string()))
    }

    /// Size and media type of a stored document, from its metadata and first bytes.
    pub fn describe(&self, sha256: &str) -> Result<(u64, &'static str), BlobError> {
        use std::io::Read;
        if !self.contains(sha256) {
            return Err(BlobError::Missing(sha256.to_owned()));
        }
        let io = |e: std::io::Error| BlobError::Io(e.to_string());
        let mut f = fs::File::open(self.path(sha256)).map_err(io)?;
        let size = f.metadata().map_err(io)?.len();
        let mut head = [0u8; 8];
        let n = f.read(&mut head).map_err(io)?;
        Ok((size, sniff(&head[..n]).ok_or(BlobError::UnsupportedType)?))
    }

    /// Every stored hash.
    pub fn list(&self) -> Result<Vec<String>, BlobError> {
        let mut out = Vec::new();
        let Ok(top) = fs::read_dir(&self.dir) else { return Ok(out) };
        for a in top.flatten() {
            let Ok(inner) = fs::read_dir(a.path()) else { continue };
            for b in inner.flatten() {
                let name = format!("{}{}", a.file_name().to_string_lossy(), b.file_name().to_string_lossy());
                if name.len() == 64 && name.bytes().all(|c| c.is_ascii_hexdigit()) {
                    out.push(name);
                }
            }
        }
        out.sort();
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_by_content_and_checks_type_and_size() {
        let dir = tempfile::tempdir().expect("tmp");
        let store = BlobStore::new(dir.path()).with_limit(64);
        let pdf = b"%PDF-1.7\n% a tiny pdf\n";
        let r = store.put(pdf).expect("stored");
        assert_eq!(r.media_type, "application/pdf");
        assert_eq!(store.put(pdf).expect("again"), r, "idempotent");
        assert_eq!(store.get(&r.sha256).expect("read"), pdf);
        assert_eq!(store.list().expect("list"), vec![r.sha256.clone()]);
        assert_eq!(store.put(b"MZ\x90\x00 an exe named passport.pdf"), Err(BlobError::UnsupportedType));
        assert_eq!(store.put(&[b'%'; 65]), Err(BlobError::TooLarge { size: 65, limit: 64 }));
        assert_eq!(store.put(b""), Err(BlobError::Empty));
        assert!(!store.contains("../../etc/passwd"));
    }
}
