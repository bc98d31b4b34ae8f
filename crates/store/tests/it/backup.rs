//! Backup and restore, within a backend and from SQLite to PostgreSQL.

use sha2::Digest;

use crate::*;

async fn round_trip(db: TestDb) {
    let s = &db.store;
    sim::demo::run(s, 24, date("2026-02-02"), &store::backup::Quiet).await.expect("demo");
    // A signed document and an applicant's signature travel with the backup.
    let pdf = b"%PDF-1.7\n% a certificate typeset by the service\n%%EOF\n";
    let sigs = [(vec![0x30, 0x82, 0x01], "Authorised person".to_owned())];
    s.keep_signed_document("certificate/X/original-kk", "f1", pdf, &sigs, 1).await.expect("kept");
    s.add_application_signature("Z-AST-2026-000001-S", "{}", &[0x30, 0x01], "Applicant", "900101300017", 2)
        .await
        .expect("kept");
    let out = db.dir.path().join("backup");
    let manifest = s.backup(&out, &store::backup::Quiet).await.expect("backup");
    assert!(manifest.blobs > 0 && manifest.tables.iter().any(|t| t.table == "events" && t.rows > 50));
    assert!(s.backup(&out, &store::backup::Quiet).await.is_err(), "never over an earlier backup");

    let target = tempfile::tempdir().expect("tmp");
    let url = match db.backend {
        store::Backend::Sqlite => store::db::sqlite_url(&target.path().join("qualcert.db")),
        store::Backend::Postgres => pg_url().await.expect("postgres"),
    };
    let restored = store::backup::restore(
        &out,
        Config::with_url(&url, target.path()),
        Reference::embedded().expect("ref"),
        &store::backup::Quiet,
    )
    .await
    .expect("restored");
    assert_eq!(restored.event_count().await.expect("n"), s.event_count().await.expect("n"));
    assert_eq!(restored.certificates().await.expect("c"), s.certificates().await.expect("c"));
    let (from, to) = (jiff::civil::date(2020, 1, 1), jiff::civil::date(2030, 12, 31));
    let cells = |c: Vec<store::reports::Cell>| {
        let mut v: Vec<_> =
            c.into_iter().map(|c| (c.akimat, c.service, c.measure, c.label, c.working_days, c.late, c.count)).collect();
        v.sort();
        v
    };
    assert_eq!(
        cells(restored.report_cells(from, to, None).await.expect("r")),
        cells(s.report_cells(from, to, None).await.expect("r"))
    );
    for c in s.certificates().await.expect("c") {
        let case = restored.case(&c.case).await.expect("read");
        assert!(case.is_some());
    }
    assert!(restored.blobs().list().await.expect("blobs").len() as u64 >= manifest.blobs);
    let kept = restored.signed_document("certificate/X/original-kk", "f1", 0).await.expect("read");
    assert_eq!(kept.map(|d| (d.pdf, d.signature)), Some((pdf.to_vec(), vec![0x30, 0x82, 0x01])));
    assert_eq!(restored.application_signatures("Z-AST-2026-000001-S").await.expect("read").len(), 1);
    // The restored store goes on where the original stopped: numbers continue, the chain holds.
    let next = restored
        .execute(applicant(999), at("2026-06-01T05:00:00Z"), submit(&restored, 999).await, None)
        .await
        .expect("filed");
    assert!(next.last_seq > manifest.tables[0].rows as i64);
    assert!(restored.verify(&|_| {}).await.expect("verify").broken.is_none());

    // A changed byte in the backup is refused.
    let file = out.join("db").join("events.jsonl");
    let mut text = std::fs::read_to_string(&file).expect("read");
    text = text.replacen("submitted", "Submitted", 1);
    std::fs::write(&file, text).expect("write");
    let again = tempfile::tempdir().expect("tmp");
    let err = store::backup::restore(
        &out,
        Config::in_data_dir(again.path()),
        Reference::embedded().expect("ref"),
        &store::backup::Quiet,
    )
    .await;
    assert!(err.is_err());
}
on_both!(backup_then_restore, super::round_trip);

/// A document the store has lost does not leave the rest without a backup: everything else is
/// written, the gap is named in the manifest, and the restored store's check names it too.
async fn lost_document(db: TestDb) {
    let s = &db.store;
    let signed = [(vec![0x30, 0x01], "Authorised person".to_owned())];
    s.keep_signed_document("certificate/A/original-kk", "f1", b"%PDF-1.7\n% first\n", &signed, 1).await.expect("kept");
    s.keep_signed_document("certificate/B/original-kk", "f1", b"%PDF-1.7\n% second\n", &signed, 2).await.expect("kept");
    let lost = s.signed_document("certificate/A/original-kk", "f1", 0).await.expect("read").expect("there");
    let lost = hex::encode(sha2::Sha256::digest(&lost.pdf));
    crate::lose_document(&db, &lost).await;

    let out = db.dir.path().join("backup");
    let manifest = s.backup(&out, &store::backup::Quiet).await.expect("everything else is backed up");
    assert_eq!(manifest.missing, vec![lost.clone()], "the gap is named");
    let written: store::backup::Manifest =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).expect("manifest")).expect("json");
    assert_eq!(written.missing, vec![lost.clone()], "and written down");
    assert_eq!(written.blobs, written_blobs(&out).await, "the count is of documents really copied");

    let target = tempfile::tempdir().expect("tmp");
    let restored = store::backup::restore(
        &out,
        Config::in_data_dir(target.path()),
        Reference::embedded().expect("ref"),
        &store::backup::Quiet,
    )
    .await
    .expect("a backup with a named gap restores");
    let kept = restored.signed_document("certificate/B/original-kk", "f1", 0).await.expect("read").expect("there");
    assert_eq!(kept.pdf, b"%PDF-1.7\n% second\n");
    let health = restored.check_health(store::health::Depth::Full).await.expect("checked");
    assert_eq!(health.missing_documents, vec![lost], "the restored store knows what it lacks");
}
on_both!(a_lost_document_is_named_in_the_backup, super::lost_document);

async fn written_blobs(backup: &std::path::Path) -> u64 {
    store::blobs::BlobStore::new(backup.join("blobs")).list().await.expect("list").len() as u64
}

/// The same backup format moves a service from SQLite to PostgreSQL.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_to_postgres() {
    let Some(url) = pg_url().await else { return };
    let db = open(None).await.expect("sqlite");
    sim::demo::run(&db.store, 12, date("2026-02-02"), &store::backup::Quiet).await.expect("demo");
    let out = db.dir.path().join("backup");
    db.store.backup(&out, &store::backup::Quiet).await.expect("backup");
    let target = tempfile::tempdir().expect("tmp");
    let pg = store::backup::restore(
        &out,
        Config::with_url(&url, target.path()),
        Reference::embedded().expect("ref"),
        &store::backup::Quiet,
    )
    .await
    .expect("restored into PostgreSQL");
    assert_eq!(pg.event_count().await.expect("n"), db.store.event_count().await.expect("n"));
}
