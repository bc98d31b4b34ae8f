//! The store against real databases: every test runs on a fresh SQLite file and, when
//! `QUALCERT_TEST_PG` names a server (CI starts one with `.ci/postgres`), on a fresh
//! PostgreSQL database. With `QUALCERT_REQUIRE_PG=1` a missing server fails the run.

mod backup;
mod concurrency;
mod flows;
mod freeze;
mod identity;
mod nodes;
mod replay;
mod schema;
mod tamper;

use std::sync::atomic::{AtomicU32, Ordering};

use jiff::Timestamp;
use jiff::civil::Date;
use rules::case::Application;
use rules::documents::{Document, DocumentKind};
use rules::{Actor, Iin, Role};
use sqlx::{Connection, Executor};
use store::{Config, Reference, Store};

pub(crate) struct TestDb {
    pub(crate) store: Store,
    pub(crate) dir: tempfile::TempDir,
    pub(crate) url: String,
    pub(crate) backend: store::Backend,
}

/// A fresh PostgreSQL database URL, or `None` without a server (an error in CI).
pub(crate) async fn pg_url() -> Option<String> {
    static N: AtomicU32 = AtomicU32::new(0);
    let Ok(admin) = std::env::var("QUALCERT_TEST_PG") else {
        assert!(
            std::env::var_os("QUALCERT_REQUIRE_PG").is_none(),
            "QUALCERT_REQUIRE_PG is set but QUALCERT_TEST_PG is not"
        );
        eprintln!("note: QUALCERT_TEST_PG is not set; the PostgreSQL variant of this test did not run");
        return None;
    };
    sqlx::any::install_default_drivers();
    let name = format!(
        "qc_t_{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst),
        Timestamp::now().as_millisecond() % 100_000
    );
    let mut conn = sqlx::AnyConnection::connect(&admin).await.expect("the test PostgreSQL server answers");
    conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).await.expect("create database");
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b).to_owned();
    Some(format!("{base}/{name}"))
}

pub(crate) async fn open(url: Option<String>) -> Option<TestDb> {
    let dir = tempfile::tempdir().expect("tmp");
    let url = match url {
        Some(u) => u,
        None => store::db::sqlite_url(&dir.path().join("qualcert.db")),
    };
    let store = Store::open(Config::with_url(&url, dir.path()), Reference::embedded().expect("reference"))
        .await
        .expect("opens");
    Some(TestDb { backend: store.backend(), store, dir, url })
}

/// Runs `$body(db)` on SQLite and on PostgreSQL.
macro_rules! on_both {
    ($name:ident, $body:path) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                $body(crate::open(None).await.expect("sqlite")).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                if let Some(url) = crate::pg_url().await {
                    $body(crate::open(Some(url)).await.expect("postgres")).await;
                }
            }
        }
    };
}
pub(crate) use on_both;

pub(crate) fn at(s: &str) -> Timestamp {
    s.parse().expect("RFC 3339")
}

pub(crate) fn date(s: &str) -> Date {
    s.parse().expect("date")
}

pub(crate) fn iin(i: u64) -> Iin {
    sim::demo::demo_iin(i)
}

pub(crate) fn applicant(i: u64) -> Actor {
    Actor { id: format!("applicant-{i}"), role: Role::Applicant, akimat: None, iin: Some(iin(i)) }
}

pub(crate) fn officer() -> Actor {
    Actor { id: "officer".into(), role: Role::Officer, akimat: Some("astana".into()), iin: None }
}

pub(crate) fn commission() -> Actor {
    Actor { id: "secretary".into(), role: Role::Commission, akimat: Some("astana".into()), iin: None }
}

/// A document of applicant `i` that applicant `uploader` uploaded (a representative, say).
pub(crate) async fn document_by(store: &Store, i: u64, kind: DocumentKind, uploader: u64) -> Document {
    let bytes = format!("%PDF-1.4\n% test {i} {kind:?}\n");
    let stored = store.upload(&applicant(uploader).id, bytes.as_bytes(), 0).await.expect("stored");
    Document { kind, sha256: stored.sha256, file_name: "scan.pdf".into(), valid_until: None }
}

/// A complete issue application of applicant `i`, with distinct stored documents.
pub(crate) async fn application(store: &Store, i: u64) -> Application {
    application_by(store, i, i).await
}

/// A complete issue application of applicant `i` whose documents applicant `uploader`
/// uploaded.
pub(crate) async fn application_by(store: &Store, i: u64, uploader: u64) -> Application {
    let owner = applicant(uploader).id;
    let mut app = sim::demo::sample_application(store, i, "astana", &owner).await.expect("documents stored");
    app.applicant.surname = "Applicant".into();
    app.documents = vec![
        document_by(store, i, DocumentKind::IdentityDocument, uploader).await,
        document_by(store, i, DocumentKind::EducationTranslation, uploader).await,
        document_by(store, i, DocumentKind::LabourActivityRecord, uploader).await,
    ];
    app
}

pub(crate) async fn submit(store: &Store, i: u64) -> store::Request {
    store::Request::Submit { application: Box::new(application(store, i).await) }
}

/// Replaces `from` by `to` in the stored values of `col` in the rows of `table` that `filter`
/// selects, as someone holding the database file would: decoded, edited, encoded again
/// (`store::codec`), so the edit is what a check must find rather than an unreadable row.
pub(crate) async fn edit_stored(
    conn: &mut sqlx::AnyConnection,
    table: &str,
    col: &str,
    filter: &str,
    (from, to): (&str, &str),
) {
    use sqlx::Row as _;
    let select = format!("SELECT {col} FROM {table} WHERE {filter}");
    let rows = sqlx::query(sqlx::AssertSqlSafe(select)).fetch_all(&mut *conn).await.expect("read");
    assert!(!rows.is_empty(), "no row where {filter}");
    for r in rows {
        let stored: String = r.get(0);
        let json = store::codec::decode(&stored).expect("decoded");
        assert!(json.contains(from), "{from:?} not in {json}");
        let edited = store::codec::encode(&json.replace(from, to)).expect("encoded");
        let update = format!("UPDATE {table} SET {col} = $1 WHERE {col} = $2");
        sqlx::query(sqlx::AssertSqlSafe(update)).bind(edited).bind(stored).execute(&mut *conn).await.expect("edit");
    }
}

/// Loses a stored document where the store keeps it: its file (SQLite), or its row of
/// `documents` (PostgreSQL), as a lost disk or a careless hand would.
pub(crate) async fn lose_document(db: &TestDb, sha256: &str) {
    match db.store.blobs().file(sha256) {
        Some(path) => std::fs::remove_file(path).expect("lose it"),
        None => {
            let mut conn = sqlx::AnyConnection::connect(&db.url).await.expect("connect");
            let q = sqlx::query("DELETE FROM documents WHERE sha256 = $1").bind(sha256.to_owned());
            assert_eq!(q.execute(&mut conn).await.expect("delete").rows_affected(), 1);
        }
    }
}

/// Changes a stored document's bytes where the store keeps them, its hash left as it was.
pub(crate) async fn alter_document(db: &TestDb, sha256: &str, bytes: &[u8]) {
    match db.store.blobs().file(sha256) {
        Some(path) => std::fs::write(path, bytes).expect("alter it"),
        None => {
            let mut conn = sqlx::AnyConnection::connect(&db.url).await.expect("connect");
            let q = sqlx::query("UPDATE documents SET bytes = $1 WHERE sha256 = $2")
                .bind(bytes.to_vec())
                .bind(sha256.to_owned());
            assert_eq!(q.execute(&mut conn).await.expect("update").rows_affected(), 1);
        }
    }
}
