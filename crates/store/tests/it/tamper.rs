//! Tamper evidence: a row changed behind the store's back breaks the chain at that event.

use sqlx::{Connection, Executor};

use crate::*;

async fn tampering_is_detected(db: TestDb) {
    let s = &db.store;
    for i in 0..5 {
        s.execute(applicant(200 + i), at("2026-03-02T05:00:00Z"), submit(s, 200 + i).await, None).await.expect("filed");
    }
    assert_eq!(s.verify(&|_| {}).await.expect("verify").broken, None);
    let mut conn = sqlx::AnyConnection::connect(&db.url).await.expect("connect");
    edit_stored(&mut conn, "events", "payload", "global_seq = 3", ("Applicant", "Impostor")).await;
    let v = s.verify(&|_| {}).await.expect("verify");
    let broken = v.broken.expect("detected");
    assert_eq!((broken.global_seq, v.events), (3, 2));
    assert!(broken.problem.contains("changed"), "{}", broken.problem);

    // Removing the last event is caught by the chain head.
    let db2 = open(None).await.expect("fresh");
    for i in 0..3 {
        db2.store
            .execute(applicant(300 + i), at("2026-03-02T05:00:00Z"), submit(&db2.store, 300 + i).await, None)
            .await
            .expect("filed");
    }
    let mut conn = sqlx::AnyConnection::connect(&db2.url).await.expect("connect");
    conn.execute("DELETE FROM events WHERE global_seq = 3").await.expect("delete");
    let v = db2.store.verify(&|_| {}).await.expect("verify");
    assert!(v.broken.expect("detected").problem.contains("removed"));
}
on_both!(audit_verify_names_the_first_broken_link, super::tampering_is_detected);

/// Issue 35: a database that lost its newest commits (recent events deleted and the chain
/// head moved back, as a cut log or an older copy leaves it) does not start: the error names
/// the missing range and what to do. `recover --accept-loss` records the loss as an event,
/// and no number given out before is given again.
async fn a_database_behind_its_witness_does_not_start(db: TestDb) {
    let s = &db.store;
    let mut numbers = Vec::new();
    for i in 0..5 {
        let a = s.execute(applicant(400 + i), at("2026-03-02T05:00:00Z"), submit(s, 400 + i).await, None).await;
        numbers.push(a.expect("filed").number);
    }
    let head: i64 = s.event_count().await.expect("count") as i64;
    let mut conn = sqlx::AnyConnection::connect(&db.url).await.expect("connect");
    // The last two filings' events are lost, and the chain head is put back to match.
    let keep = head - 2;
    conn.execute(sqlx::AssertSqlSafe(format!("DELETE FROM events WHERE global_seq > {keep}"))).await.expect("cut");
    conn.execute(sqlx::AssertSqlSafe(format!(
        "UPDATE chain SET seq = {keep}, hash = (SELECT hash FROM events WHERE global_seq = {keep}) WHERE id = 1"
    )))
    .await
    .expect("head moved back");
    let config = Config::with_url(&db.url, db.dir.path());
    let refused = Store::open(config.clone(), Reference::embedded().expect("reference")).await.err().expect("refused");
    let told = refused.to_string();
    assert!(matches!(refused, store::StoreError::Lost(_)), "{refused:?}");
    assert!(
        told.contains(&format!("events {}–{head} are missing", keep + 1))
            && told.contains("qualcert recover --accept-loss"),
        "{told}"
    );
    // The operator accepts the loss: it is an event of the chain, which verifies.
    let loss = store::recover::accept_loss(&config, 1).await.expect("accepted");
    assert_eq!((loss.from, loss.to, loss.recorded_as), (keep + 1, head, keep + 1));
    let reopened = Store::open(config, Reference::embedded().expect("reference")).await.expect("starts again");
    assert_eq!(reopened.verify(&|_| {}).await.expect("verify").broken, None);
    let kinds: Vec<String> = reopened.stream("store").await.expect("stream").into_iter().map(|e| e.kind).collect();
    assert_eq!(kinds, ["loss-accepted"]);
    // The lost filings' numbers stay theirs: a new filing takes the next.
    let next = reopened
        .execute(applicant(499), at("2026-03-02T06:00:00Z"), submit(&reopened, 499).await, None)
        .await
        .expect("filed")
        .number;
    assert!(!numbers.contains(&next), "{next} was given before: {numbers:?}");
}
on_both!(a_database_behind_its_witness_does_not_start, super::a_database_behind_its_witness_does_not_start);

/// Issue 35: on SQLite, an older copy of the database file put back is refused the same way.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_older_copy_put_back_is_refused() {
    let db = open(None).await.expect("sqlite");
    let s = db.store.clone();
    s.execute(applicant(500), at("2026-03-02T05:00:00Z"), submit(&s, 500).await, None).await.expect("filed");
    let copy = db.dir.path().join("older.db");
    let mut conn = sqlx::AnyConnection::connect(&db.url).await.expect("connect");
    conn.execute(sqlx::AssertSqlSafe(format!("VACUUM INTO '{}'", copy.display()))).await.expect("a copy");
    drop(conn);
    s.execute(applicant(501), at("2026-03-02T05:00:00Z"), submit(&s, 501).await, None).await.expect("filed");
    s.close().await;
    drop(s);
    let TestDb { store, dir, url, .. } = db;
    drop(store);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let file = dir.path().join("qualcert.db");
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
    std::fs::copy(&copy, &file).expect("put back");
    let refused = Store::open(Config::with_url(&url, dir.path()), Reference::embedded().expect("reference")).await;
    let told = refused.err().expect("refused").to_string();
    assert!(told.contains("are missing") && told.contains("qualcert restore"), "{told}");
}

/// Issue 35: overwritten pages are said as a damaged database file with what to do, not as a
/// bare SQLite error.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn overwritten_pages_are_said_clearly() {
    let db = open(None).await.expect("sqlite");
    db.store
        .execute(applicant(600), at("2026-03-02T05:00:00Z"), submit(&db.store, 600).await, None)
        .await
        .expect("filed");
    let TestDb { store, dir, url, .. } = db;
    store.close().await;
    drop(store);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let file = dir.path().join("qualcert.db");
    let mut mangled = sqlx::AnyConnection::connect(&url).await.expect("connect");
    mangled.execute("PRAGMA wal_checkpoint(TRUNCATE)").await.expect("checkpoint");
    drop(mangled);
    let mut bytes = std::fs::read(&file).expect("read");
    let page = 4096.min(bytes.len());
    bytes[..page].fill(0xA5);
    std::fs::write(&file, bytes).expect("overwrite");
    let told = Store::open(Config::with_url(&url, dir.path()), Reference::embedded().expect("reference"))
        .await
        .err()
        .expect("refused")
        .to_string();
    assert!(told.contains("damaged") && told.contains("qualcert restore"), "{told}");
}

/// Issue 35: a case's snapshot edited behind the store's back (the chain does not cover read
/// models) is found by folding its events again, whole or a slice at a time.
async fn an_edited_snapshot_is_found(db: TestDb) {
    let s = &db.store;
    let mut numbers = Vec::new();
    for i in 0..3 {
        let a = s.execute(applicant(700 + i), at("2026-03-02T05:00:00Z"), submit(s, 700 + i).await, None).await;
        numbers.push(a.expect("filed").number);
    }
    assert_eq!(s.verify_snapshots().await.expect("check"), Vec::<(String, String)>::new(), "sound at first");
    let mut conn = sqlx::AnyConnection::connect(&db.url).await.expect("connect");
    let filter = format!("number = '{}'", numbers[1]);
    edit_stored(&mut conn, "cases", "snapshot", &filter, ("\"consent\":true", "\"consent\":false")).await;
    let found = s.verify_snapshots().await.expect("check");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, numbers[1]);
    assert!(found[0].1.contains("application.consent"), "{found:?}");
    // A slice at a time, as the hourly schedule goes through the store.
    let (first, last) = s.verify_snapshots_after("", 1).await.expect("slice");
    assert!(first.is_empty() && last.as_deref() == Some(numbers[0].as_str()));
    let (second, _) = s.verify_snapshots_after(&numbers[0], 1).await.expect("slice");
    assert_eq!(second.len(), 1);
}
on_both!(an_edited_snapshot_is_found, super::an_edited_snapshot_is_found);

/// Issue 35: the start-up check verifies from the last checkpoint, so its work is what was
/// added since; and a history rewritten before the checkpoint with every hash recomputed, which
/// a full `audit verify` takes for intact, no longer has the hash the checkpoint remembers. The
/// finding is kept for `/admin`, and clears once the chain holds again.
async fn a_rewritten_history_is_found_at_the_checkpoint(db: TestDb) {
    use sqlx::Row as _;
    let s = &db.store;
    let now = 1_780_000_000_000;
    for i in 0..3 {
        s.execute(applicant(500 + i), at("2026-03-02T05:00:00Z"), submit(s, 500 + i).await, None).await.expect("filed");
    }
    let first = s.verify_since_checkpoint(now).await.expect("verify");
    assert_eq!(first.broken, None);
    let total = s.event_count().await.expect("count") as u64;
    assert_eq!(first.events, total, "no checkpoint yet: the whole chain");
    s.execute(applicant(503), at("2026-03-02T05:00:00Z"), submit(s, 503).await, None).await.expect("filed");
    let second = s.verify_since_checkpoint(now).await.expect("verify");
    assert_eq!(second.broken, None);
    assert!(second.events >= 1 && second.events < total, "only what was added: {} of {}", second.events, total + 1);

    // Rewrite event 2 and recompute every hash after it, moving the chain head to match.
    let mut conn = sqlx::AnyConnection::connect(&db.url).await.expect("connect");
    edit_stored(&mut conn, "events", "payload", "global_seq = 2", ("Applicant", "Impostor")).await;
    let rows = sqlx::query(
        "SELECT global_seq, stream, stream_seq, kind, payload, actor, role, at_ms, citation FROM events ORDER BY global_seq",
    )
    .fetch_all(&mut conn)
    .await
    .expect("events");
    let mut prev = store::chain::GENESIS.to_owned();
    for r in &rows {
        let (stream, kind, payload, actor, role, citation): (String, String, String, String, String, String) =
            (r.get(1), r.get(3), r.get(4), r.get(5), r.get(6), r.get(8));
        let link = store::chain::Link {
            global_seq: r.get(0),
            stream: &stream,
            stream_seq: r.get(2),
            kind: &kind,
            payload: &store::codec::decode(&payload).expect("decoded"),
            actor: &actor,
            role: &role,
            at_ms: r.get(7),
            citation: &citation,
        };
        let hash = store::chain::hash(&prev, &link);
        sqlx::query("UPDATE events SET prev_hash = $1, hash = $2 WHERE global_seq = $3")
            .bind(prev.clone())
            .bind(hash.clone())
            .bind(link.global_seq)
            .execute(&mut conn)
            .await
            .expect("rehash");
        prev = hash;
    }
    sqlx::query("UPDATE chain SET hash = $1 WHERE id = 1").bind(prev).execute(&mut conn).await.expect("head");
    assert_eq!(s.verify(&|_| {}).await.expect("verify").broken, None, "a full verify alone is fooled");
    let found = s.verify_since_checkpoint(now).await.expect("verify").broken.expect("found at the checkpoint");
    assert!(found.problem.contains("rewritten"), "{}", found.problem);
    assert!(s.chain_broken().is_some(), "kept as a finding: the node is not ready");
    assert!(s.findings().iter().any(|f| f.kind == store::findings::FindingKind::Chain));
}
on_both!(a_rewritten_history_is_found_at_the_checkpoint, super::a_rewritten_history_is_found_at_the_checkpoint);

/// Issue 35: the documents are re-hashed on a schedule, a slice at a time round the store: a
/// document deleted or whose bytes changed is found and kept as a finding for `/admin`.
async fn documents_are_rehashed_in_slices(db: TestDb) {
    use sha2::Digest as _;
    let s = &db.store;
    let signed = [(vec![0x30, 0x01], "Authorised person".to_owned())];
    for (i, text) in ["first", "second", "third"].iter().enumerate() {
        let pdf = format!("%PDF-1.7\n% {text}\n");
        s.keep_signed_document(&format!("certificate/{i}/original-kk"), "f1", pdf.as_bytes(), &signed, 1)
            .await
            .expect("kept");
    }
    let sha = |text: &str| hex::encode(sha2::Sha256::digest(format!("%PDF-1.7\n% {text}\n").as_bytes()));
    let (gone, changed) = (sha("first"), sha("second"));
    crate::lose_document(&db, &gone).await;
    crate::alter_document(&db, &changed, b"%PDF-1.7\n% forged\n").await;
    // Slices of one: round the store until the slice reaches the end.
    let (mut found, mut after, mut rounds) = (Vec::new(), String::new(), 0);
    loop {
        let (f, last) = s.check_documents_after(&after, 1, 7).await.expect("check");
        found.extend(f);
        rounds += 1;
        match last {
            Some(l) => after = l,
            None => break,
        }
        assert!(rounds < 10, "the slices end");
    }
    found.sort();
    let mut expected = vec![
        (store::findings::FindingKind::DocumentMissing, gone.clone()),
        (store::findings::FindingKind::DocumentAltered, changed.clone()),
    ];
    expected.sort();
    assert_eq!(found, expected);
    let kept: Vec<String> = s.findings().into_iter().map(|f| f.subject).collect();
    assert!(kept.contains(&gone) && kept.contains(&changed), "{kept:?}");
}
on_both!(documents_are_rehashed_in_slices, super::documents_are_rehashed_in_slices);

/// Issue 34: payloads and snapshots are stored compressed, and the chain hashes their JSON,
/// not the stored text. A store written before (plain JSON rows) reads and verifies as it
/// did, and so does one where old and new rows stand side by side.
async fn rows_written_before_compression_read_and_verify(db: TestDb) {
    use sqlx::Row as _;
    let s = &db.store;
    let mut numbers = Vec::new();
    for i in 0..3 {
        let a = s.execute(applicant(800 + i), at("2026-03-02T05:00:00Z"), submit(s, 800 + i).await, None).await;
        numbers.push(a.expect("filed").number);
    }
    let mut conn = sqlx::AnyConnection::connect(&db.url).await.expect("connect");
    let stored: String = sqlx::query("SELECT payload FROM events WHERE global_seq = 1")
        .fetch_one(&mut conn)
        .await
        .expect("an event")
        .get(0);
    assert!(stored.starts_with("z1"), "new rows are compressed: {stored}");
    let before = s.case(&numbers[0].parse().expect("number")).await.expect("read").expect("a case");
    // Rows as an older version wrote them: the JSON itself.
    for (table, col, filter) in [("events", "payload", "global_seq <= 2"), ("cases", "snapshot", "1 = 1")] {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {col} FROM {table} WHERE {filter}")))
            .fetch_all(&mut conn)
            .await
            .expect("rows");
        for r in rows {
            let text: String = r.get(0);
            sqlx::query(sqlx::AssertSqlSafe(format!("UPDATE {table} SET {col} = $1 WHERE {col} = $2")))
                .bind(store::codec::decode(&text).expect("decoded"))
                .bind(text)
                .execute(&mut conn)
                .await
                .expect("rewritten as plain JSON");
        }
    }
    // Nor had they the names column (migration 0027).
    sqlx::query("UPDATE cases SET names = NULL").execute(&mut conn).await.expect("no names");
    assert_eq!(s.verify(&|_| {}).await.expect("verify").broken, None, "the chain hashes the JSON");
    assert_eq!(s.verify_snapshots().await.expect("check"), Vec::<(String, String)>::new());
    let after = s.case(&numbers[0].parse().expect("number")).await.expect("read").expect("a case");
    assert_eq!(before, after);
    let surname = before.application.applicant.surname.to_lowercase();
    let found = s
        .search_cases(
            before.application.akimat.as_str(),
            &store::CaseSearch { text: surname, ..Default::default() },
            date("2026-03-02"),
            10,
        )
        .await
        .expect("search");
    assert!(found.iter().any(|c| c.number == before.number), "an old row is found by name too");
    // And a command on a case whose row is old writes it compressed again.
    let number = numbers[1].parse().expect("number");
    let req = store::Request::Case { number, expected_version: None, action: rules::case::CaseAction::Register };
    s.execute(officer(), at("2026-03-02T06:00:00Z"), req, None).await.expect("registered");
    assert_eq!(s.verify(&|_| {}).await.expect("verify").broken, None);
}
on_both!(rows_written_before_compression_read_and_verify, super::rows_written_before_compression_read_and_verify);
