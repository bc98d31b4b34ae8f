//! Issue 35: nodes on PostgreSQL share nothing on disk. Documents live in the database, so a
//! node with a data folder of its own serves what another node stored; a store that kept its
//! documents as files moves them in when it opens; a lost document is named, and the rest
//! serves.

use store::{Config, Reference, Store};

use crate::{applicant, pg_url};

async fn node(url: &str, data: &std::path::Path) -> Store {
    Store::open(Config::with_url(url, data), Reference::embedded().expect("reference")).await.expect("a node opens")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn issue_35_nodes_on_postgres_share_documents_not_folders() {
    let Some(url) = pg_url().await else { return };
    let (a_dir, b_dir) = (tempfile::tempdir().expect("tmp"), tempfile::tempdir().expect("tmp"));
    let a = node(&url, a_dir.path()).await;
    assert!(a.blobs().in_the_database());
    let pdf = b"%PDF-1.7\n% a passport scan\n";
    let owner = applicant(0).id;
    let stored = a.upload(&owner, pdf, 1_000).await.expect("uploaded on node A");
    assert!(a.blobs().file(&stored.sha256).is_none(), "no file for a document kept in the database");
    let a_blobs = std::fs::read_dir(a_dir.path().join("blobs")).map(Iterator::count).unwrap_or(0);
    assert_eq!(a_blobs, 0, "node A kept no document in its folder");
    // Node B has a folder of its own and never saw the upload: it starts, finds every
    // document, and serves it.
    let b = node(&url, b_dir.path()).await;
    let health = b.check_health(store::health::Depth::Full).await.expect("checked");
    assert!(health.missing_documents.is_empty() && health.altered_documents.is_empty(), "{health:?}");
    assert_eq!(b.blobs().get(&stored.sha256).await.expect("served by node B"), pdf);
    assert!(b.owns_upload(&owner, &stored.sha256).await.expect("read"), "and knows whose it is");
}

/// A store that kept its documents as files (before issue 35) moves them into the database
/// when it opens, losing none; opening again moves nothing twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn issue_35_documents_kept_as_files_move_into_postgres() {
    let Some(url) = pg_url().await else { return };
    let dir = tempfile::tempdir().expect("tmp");
    let files = store::BlobStore::new(dir.path().join("blobs"));
    let old = files.put(b"%PDF-1.7\n% kept as a file\n").await.expect("a file");
    let s = node(&url, dir.path()).await;
    assert_eq!(s.blobs().get(&old.sha256).await.expect("moved in"), b"%PDF-1.7\n% kept as a file\n");
    drop(s);
    let again = node(&url, dir.path()).await;
    assert_eq!(again.blobs().list().await.expect("list"), vec![old.sha256]);
}
