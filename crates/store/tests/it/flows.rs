//! The service layer end to end: submit, act, read models, due dates, idempotency, documents.

use rules::case::{CaseAction, State};
use rules::refusal::Reason;
use store::{Config, Reference, Request, Store, StoreError};

use crate::*;

async fn issue_flow(db: TestDb) {
    let s = &db.store;
    let filed = s.execute(applicant(1), at("2026-03-02T05:00:00Z"), submit(s, 1).await, None).await.expect("filed");
    assert_eq!(filed.events, vec!["submitted"]);
    assert!(filed.number.starts_with("Z-AST-2026-000001-"), "{}", filed.number);
    let number = rules::numbers::CaseNumber::parse(&filed.number).expect("valid");
    let act = |action, v| Request::Case { number: number.clone(), expected_version: v, action };
    s.execute(officer(), at("2026-03-02T06:00:00Z"), act(CaseAction::Register, Some(1)), None)
        .await
        .expect("registered");
    let today = date("2026-03-02");
    let queue = s.queue(&"astana".into(), today, &store::QueueFrom::Offset(0), 50).await.expect("queue");
    assert_eq!(queue.len(), 1);
    assert_eq!((queue[0].due_on, queue[0].overdue), (date("2026-03-04"), false));
    assert!(
        s.overdue(&"astana".into(), date("2026-03-05")).await.expect("overdue").len() == 1,
        "R4.1 passed on the 4th"
    );
    s.execute(officer(), at("2026-03-03T06:00:00Z"), act(CaseAction::Forward, None), None).await.expect("forwarded");
    assert_eq!(s.agenda(&"astana".into(), today).await.expect("agenda").len(), 1);
    let decision = CaseAction::RecordDecision {
        minutes: "1".into(),
        members: vec!["a".into(), "b".into(), "c".into()],
        present: vec!["a".into(), "b".into()],
        answers: [
            ("education-level", rules::assessment::Answer::Choice("higher".into())),
            ("education-matches-profession", rules::assessment::Answer::YesNo(true)),
            ("experience-years", rules::assessment::Answer::Years(5)),
            ("professional-certificate", rules::assessment::Answer::YesNo(false)),
            ("state-or-russian-language", rules::assessment::Answer::YesNo(false)),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect(),
        recommendation: rules::case::Recommendation::issue(),
    };
    s.execute(commission(), at("2026-03-04T06:00:00Z"), act(decision, None), None).await.expect("decided");
    let done = s
        .execute(
            officer(),
            at("2026-03-05T06:00:00Z"),
            act(CaseAction::Issue { number: rules::case::Unallocated, valid_to: None }, None),
            None,
        )
        .await
        .expect("issued");
    assert_eq!(done.version, 5);
    let case = s.case(&filed.number.parse().expect("a case number")).await.expect("read").expect("exists");
    assert_eq!(case.state, State::Completed);
    let certs = s.certificates().await.expect("registry");
    assert_eq!(certs.len(), 1);
    assert!(certs[0].number.to_string().starts_with("AST-2026-00001-"));
    let stream = s.stream(&format!("certificate/{}", certs[0].number)).await.expect("stream");
    assert_eq!(stream[0].citation, "Rules §13; App.3");
    assert!(
        s.queue(&"astana".into(), today, &store::QueueFrom::Offset(0), 50).await.expect("queue").is_empty(),
        "a finished case leaves the queue"
    );
    let report =
        s.report_of(date("2026-01-01"), date("2026-12-31"), None, at("2026-03-05T07:00:00Z")).await.expect("report");
    assert_eq!(report.outcomes.iter().map(|r| r.count).sum::<i64>(), 1);
    assert!(s.verify(&|_| {}).await.expect("verify").broken.is_none());

    // A refusal is answered with its citation, and nothing is written.
    let before = s.event_count().await.expect("count");
    let err = s
        .execute(officer(), at("2026-03-05T07:00:00Z"), act(CaseAction::Forward, None), None)
        .await
        .expect_err("finished");
    let StoreError::Refused(r) = err else { panic!("a refusal") };
    assert!(matches!(r.reason, Reason::Finished { .. }));
    assert_eq!(s.event_count().await.expect("count"), before);
}
on_both!(issue_flow_and_read_models, super::issue_flow);

async fn idempotent_retries(db: TestDb) {
    let s = &db.store;
    let req = submit(s, 2).await;
    let first = s.execute(applicant(2), at("2026-03-02T05:00:00Z"), req.clone(), Some("k-1")).await.expect("filed");
    let again =
        s.execute(applicant(2), at("2026-03-02T05:00:09Z"), req.clone(), Some("k-1")).await.expect("same answer");
    assert_eq!((again.number.as_str(), again.replayed), (first.number.as_str(), true));
    assert_eq!(s.event_count().await.expect("count"), 1, "the retry wrote nothing");
    let other = submit(s, 3).await;
    assert!(matches!(
        s.execute(applicant(2), at("2026-03-02T05:00:10Z"), other, Some("k-1")).await,
        Err(StoreError::IdempotencyMismatch)
    ));
    // A refusal is remembered too.
    let mut bad = application(s, 2).await;
    bad.consent = false;
    let bad = Request::Submit { application: Box::new(bad) };
    let e1 =
        s.execute(applicant(2), at("2026-03-02T05:01:00Z"), bad.clone(), Some("k-2")).await.expect_err("no consent");
    let e2 =
        s.execute(applicant(2), at("2026-03-02T05:01:05Z"), bad.clone(), Some("k-2")).await.expect_err("same refusal");
    assert_eq!(e1.to_string(), e2.to_string());
    // A refusal remembered in the format of an earlier version (English words where typed
    // facts now are) is no server fault: the request, which changed nothing, is decided again.
    use sqlx::{Connection, Executor};
    let mut conn = sqlx::AnyConnection::connect(&db.url).await.expect("connect");
    let old = r#"{"refused":{"reason":{"reason":"not-at-this-stage","command":"forward","state":"registered"},"citation":"Rules §7"}}"#;
    conn.execute(sqlx::AssertSqlSafe(format!("UPDATE idempotency SET response = '{old}' WHERE key = 'k-2'")))
        .await
        .expect("an old-format answer");
    drop(conn);
    let e3 = s.execute(applicant(2), at("2026-03-02T05:01:09Z"), bad, Some("k-2")).await.expect_err("still refused");
    assert!(matches!(&e3, StoreError::Refused(r) if r.reason == Reason::NoConsent), "{e3}");
}
on_both!(idempotency_key_returns_the_first_answer, super::idempotent_retries);

async fn documents_must_be_stored_first(db: TestDb) {
    let s = &db.store;
    let mut app = application(s, 4).await;
    app.documents[0].sha256 = "ab".repeat(32);
    let err =
        s.execute(applicant(4), at("2026-03-02T05:00:00Z"), Request::Submit { application: Box::new(app) }, None).await;
    assert!(matches!(err, Err(StoreError::Blob(store::BlobError::Missing(_)))), "{err:?}");
    assert_eq!(s.event_count().await.expect("count"), 0);
}
on_both!(documents_are_durable_before_the_event, super::documents_must_be_stored_first);

/// Issue 13: a document belongs to its uploader. Another person who knows its hash cannot
/// attach it, and is told the same as for a document never stored; uploads count against a
/// quota until filed; the ones no application took are swept, the filed ones never.
async fn documents_belong_to_their_uploader(db: TestDb) {
    let s = &db.store;
    let theirs = application(s, 8).await;
    let mut stolen = application(s, 9).await;
    stolen.documents[0].sha256.clone_from(&theirs.documents[0].sha256);
    assert!(s.owns_upload(&applicant(8).id, &theirs.documents[0].sha256).await.expect("read"));
    assert!(!s.owns_upload(&applicant(9).id, &theirs.documents[0].sha256).await.expect("read"));
    let err = s
        .execute(applicant(9), at("2026-03-02T05:00:00Z"), Request::Submit { application: Box::new(stolen) }, None)
        .await;
    assert!(matches!(err, Err(StoreError::Blob(store::BlobError::Missing(_)))), "{err:?}");
    assert_eq!(s.event_count().await.expect("count"), 0, "nothing filed");

    // The quota counts what waits to be filed.
    let big = |n: u8| {
        let mut b = b"%PDF-1.4\n".to_vec();
        b.resize(store::blobs::DEFAULT_MAX_BYTES - 1, n);
        b
    };
    let (mut refused, mut first) = (None, None);
    for n in 0..60u8 {
        match s.upload("hoarder", &big(n), 0).await {
            Ok(r) => first = first.or(Some(r.sha256)),
            Err(e) => {
                refused = Some((n, e));
                break;
            }
        }
    }
    let (n, e) = refused.expect("the quota ends the uploads");
    assert_eq!(u64::from(n), store::uploads::QUOTA_BYTES / store::blobs::DEFAULT_MAX_BYTES as u64);
    assert!(matches!(e, StoreError::Blob(store::BlobError::Quota { .. })), "{e:?}");

    // Applicant 8 files; then everything older than the cutoff that no case names is swept.
    let filed = s
        .execute(
            applicant(8),
            at("2026-03-02T05:00:00Z"),
            Request::Submit { application: Box::new(theirs.clone()) },
            None,
        )
        .await
        .expect("filed");
    let swept = s.sweep_uploads(1).await.expect("swept");
    assert!(swept >= usize::from(n), "{swept}");
    assert!(!s.blobs().contains(&first.expect("uploaded")).await, "an unused upload's file is removed");
    for d in &theirs.documents {
        assert!(s.blobs().contains(&d.sha256).await, "a filed document stays");
    }
    assert!(s.upload("hoarder", &big(100), 0).await.is_ok(), "the quota is free again");
    let case = s.case(&filed.number.parse().expect("a case number")).await.expect("read").expect("filed");
    assert_eq!(case.application.documents.len(), 3);
}
on_both!(issue_13_documents_belong_to_their_uploader, super::documents_belong_to_their_uploader);

async fn overdue_uses_the_index(db: TestDb) {
    let mut conn = sqlx::AnyConnection::connect(&db.url).await.expect("connect");
    let plan: Vec<String> = match db.backend {
        store::Backend::Sqlite => {
            let sql = format!(
                "EXPLAIN QUERY PLAN {}",
                store::Store::OVERDUE_SQL.replace("$1", "'astana'").replace("$2", "'2026-03-05'")
            );
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .fetch_all(&mut conn)
                .await
                .expect("plan")
                .iter()
                .map(|r| sqlx::Row::try_get::<String, _>(r, 3).expect("detail"))
                .collect()
        }
        store::Backend::Postgres => {
            conn.execute("SET enable_seqscan = off").await.expect("set");
            let sql = format!(
                "EXPLAIN {}",
                store::Store::OVERDUE_SQL.replace("$1", "'astana'").replace("$2", "'2026-03-05'")
            );
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .fetch_all(&mut conn)
                .await
                .expect("plan")
                .iter()
                .map(|r| sqlx::Row::try_get::<String, _>(r, 0).expect("line"))
                .collect()
        }
    };
    assert!(plan.iter().any(|l| l.contains("cases_queue")), "{plan:?}");
}
on_both!(overdue_query_is_an_index_range_scan, super::overdue_uses_the_index);

async fn demo_lifecycles(db: TestDb) {
    let s = &db.store;
    let summary = sim::demo::run(s, 48, date("2026-02-02"), &store::backup::Quiet).await.expect("demo runs");
    assert_eq!(summary.applications, 48);
    assert!(summary.issued > 0 && summary.refused >= 3 && summary.not_accepted > 0, "{summary:?}");
    assert!(
        summary.extended > 0
            && summary.reissued > 0
            && summary.duplicated > 0
            && summary.revoked > 0
            && summary.complaints > 0,
        "{summary:?}"
    );
    assert!(summary.in_progress > 0, "{summary:?}");
    let v = s.verify(&|_| {}).await.expect("verify");
    assert!(v.broken.is_none() && v.events > 200, "{v:?}");
}
on_both!(demo_runs_every_lifecycle, super::demo_lifecycles);

/// R3.7, App.2 item 7: an administrator moves an akimat's closing time; a filing after it
/// counts on the next working day, and the hours survive a restart.
async fn working_hours_change(db: TestDb) {
    let s = &db.store;
    let (start, end) = ("09:00".parse().expect("time"), "17:00".parse().expect("time"));
    s.set_hours("astana", start, end, 0).await.expect("set");
    // Monday 2 March 2026, 17:30 in Astana: after the new closing time.
    let filed = s.execute(applicant(5), at("2026-03-02T12:30:00Z"), submit(s, 5).await, None).await.expect("filed");
    let case = s.case(&filed.number.parse().expect("a case number")).await.expect("read").expect("exists");
    assert_eq!(case.received_on, date("2026-03-03"));
    let again = Store::open(Config::with_url(&db.url, db.dir.path()), Reference::embedded().expect("ref"))
        .await
        .expect("reopen");
    assert_eq!(again.hours_of("astana").expect("hours").end, end);
    assert!(s.set_hours("astana", end, start, 0).await.is_err(), "a day that ends before it starts");
}
on_both!(administrator_sets_working_hours, super::working_hours_change);

/// A document the service made is kept once: the first keeper's signature stands and a second
/// keeper (a concurrent request) gets it back; an applicant's signature is kept once however
/// often it is sent.
async fn signed_documents_are_kept_once(db: TestDb) {
    let s = &db.store;
    let pdf = b"%PDF-1.7\n% minutes\n%%EOF\n";
    assert!(s.signed_document("case/C/minutes-kk", "fp", 0).await.expect("read").is_none());
    let first = [(vec![1u8, 2, 3], "Member A".to_owned()), (vec![4u8, 5], "Member B".to_owned())];
    s.keep_signed_document("case/C/minutes-kk", "fp", pdf, &first, 10).await.expect("kept");
    let second = [(vec![9u8], "Member A".to_owned()), (vec![9u8], "Member B".to_owned())];
    s.keep_signed_document("case/C/minutes-kk", "fp", pdf, &second, 11).await.expect("no error, nothing changed");
    let b = s.signed_document("case/C/minutes-kk", "fp", 1).await.expect("read").expect("kept");
    assert_eq!((b.pdf.as_slice(), b.signature.as_slice(), b.signer.as_str()), (&pdf[..], &[4u8, 5][..], "Member B"));
    assert!(s.signed_document("case/C/minutes-kk", "other", 0).await.expect("read").is_none(), "another fingerprint");
    assert!(s.keep_signed_document("case/C/x", "fp", b"not a pdf", &first, 12).await.is_err(), "PDFs only");

    assert!(
        s.add_application_signature("Z-1", "{\"a\":1}", &[1, 2], "Applicant", "900101300017", 1).await.expect("kept")
    );
    assert!(
        !s.add_application_signature("Z-1", "{\"a\":1}", &[1, 2], "Applicant", "900101300017", 2).await.expect("again")
    );
    assert!(s.add_application_signature("Z-1", "{\"a\":1}", &[3], "Applicant", "", 3).await.expect("another"));
    let kept = s.application_signatures("Z-1").await.expect("read");
    assert_eq!(kept.iter().map(|k| k.signature.clone()).collect::<Vec<_>>(), vec![vec![1, 2], vec![3]]);
    assert_eq!(kept.iter().map(|k| k.iins.as_str()).collect::<Vec<_>>(), ["900101300017", ""], "the signer's IIN");
}
on_both!(signed_documents, super::signed_documents_are_kept_once);

/// Rules §3: a person the applicant authorised files for them and finds the case in their own
/// list as well as the applicant's; App.1's date of filing is the instant filed, judged on the
/// akimat's clock, which a filing after hours puts before the day it counts as received.
async fn representative_lists(db: TestDb) {
    let s = &db.store;
    // The representative uploads the documents and files.
    let mut app = application_by(s, 1, 2).await;
    app.representative = Some(rules::case::Representative { name: "Aigerim Sapar".into(), iin: iin(2) });
    app.documents.push(document_by(s, 1, rules::documents::DocumentKind::PowerOfAttorney, 2).await);
    let request = Request::Submit { application: Box::new(app) };
    // Friday 20:00 in Astana: filed on the 6th; Monday the 9th is the day off moved from
    // 8 March, a Sunday, so it counts as received on Tuesday the 10th.
    let filed = s.execute(applicant(2), at("2026-03-06T15:00:00Z"), request, None).await.expect("filed");
    let own = s.cases_of(&iin(1)).await.expect("applicant's list");
    let theirs = s.cases_of(&iin(2)).await.expect("representative's list");
    assert_eq!(own.len(), 1);
    assert_eq!(theirs.len(), 1, "the representative sees the case they filed");
    assert_eq!(theirs[0].number.to_string(), filed.number);
    assert!(s.cases_of(&iin(3)).await.expect("a stranger's list").is_empty());
    let zone = jiff::tz::TimeZone::get("Asia/Almaty").expect("zone");
    assert_eq!(theirs[0].filed_on(&zone), date("2026-03-06"));
    assert_eq!(theirs[0].received_on, date("2026-03-10"));
}
on_both!(rules_3_a_representative_lists_the_cases_they_filed, super::representative_lists);

/// A login taken twice is told apart from a database fault by the driver's error kind, on
/// both backends (the message text differs between them and between versions).
async fn a_taken_login_is_a_duplicate(db: TestDb) {
    let user = |id: &str| store::accounts::User {
        id: id.to_owned(),
        login: "taken".to_owned(),
        role: rules::Role::Officer,
        akimat: Some("ALA".into()),
        iin: None,
        name: "Officer".to_owned(),
    };
    db.store.create_user(&user("u-1"), "hash", 1).await.expect("first");
    let again = db.store.create_user(&user("u-2"), "hash", 2).await;
    assert!(matches!(again, Err(StoreError::Duplicate(ref l)) if l == "taken"), "{again:?}");
}
on_both!(a_taken_login_is_a_duplicate_on_both_backends, super::a_taken_login_is_a_duplicate);

/// Two nodes on one database count one client's requests together, per class and window,
/// and old windows are removed.
async fn request_counts_are_shared_between_nodes(db: TestDb) {
    let other = store::Store::open(
        store::Config::with_url(&db.url, db.dir.path()),
        store::Reference::embedded().expect("reference"),
    )
    .await
    .expect("a second node");
    let window = 1_800_000_000_000;
    for n in 1..=3 {
        let node = if n % 2 == 0 { &other } else { &db.store };
        assert_eq!(node.count_request("203.0.113.7", "login", window).await.expect("counted"), n);
    }
    assert_eq!(other.count_request("203.0.113.7", "lookup", window).await.expect("counted"), 1, "per class");
    assert_eq!(other.count_request("198.51.100.1", "login", window).await.expect("counted"), 1, "per client");
    let later = window + 60 * 60 * 1000;
    assert_eq!(db.store.count_request("203.0.113.7", "login", later).await.expect("counted"), 1, "a new window");
    assert_eq!(
        db.store.count_request("203.0.113.7", "login", window).await.expect("counted"),
        1,
        "the old one was removed"
    );
    assert_eq!(db.store.shares_limits(), db.backend == store::db::Backend::Postgres);
}
on_both!(request_counts_are_shared_between_nodes_on_one_database, super::request_counts_are_shared_between_nodes);

/// R4.4, Rules §9: the minutes being signed. A draft nobody signed may be recorded again; once
/// a member has signed, it stands. A signature is kept only over the bytes the draft still
/// has, once per member; members racing to sign are each kept exactly once.
async fn minutes_are_signed_once_per_member_over_the_draft_as_it_stands(db: TestDb) {
    use store::minutes::Kept;
    let s = &db.store;
    s.put_minutes_draft("Z-1", "first", "m-1", 1).await.expect("draft");
    s.put_minutes_draft("Z-1", "second", "m-2", 2).await.expect("an unsigned draft is replaced");
    assert_eq!(s.add_minutes_signature("Z-1", "first", "m-1", b"sig", "A", 3).await.expect("kept"), Kept::Stale);
    assert_eq!(s.add_minutes_signature("Z-2", "second", "m-1", b"sig", "A", 3).await.expect("kept"), Kept::Stale);
    assert_eq!(s.add_minutes_signature("Z-1", "second", "m-1", b"sig-1", "A", 4).await.expect("kept"), Kept::New);
    assert_eq!(
        s.add_minutes_signature("Z-1", "second", "m-1", b"other", "A", 5).await.expect("kept"),
        Kept::AlreadySigned
    );
    let again = s.put_minutes_draft("Z-1", "third", "m-3", 6).await;
    assert!(matches!(again, Err(StoreError::Conflict { .. })), "a signed draft stands: {again:?}");
    let members: Vec<String> = (2..=9).map(|i| format!("m-{i}")).collect();
    let racing: Vec<_> = members
        .iter()
        .map(|m| {
            let (s, m) = (s.clone(), m.clone());
            tokio::spawn(async move { s.add_minutes_signature("Z-1", "second", &m, m.as_bytes(), "B", 7).await })
        })
        .collect();
    for r in racing {
        assert_eq!(r.await.expect("joined").expect("kept"), Kept::New);
    }
    let draft = s.minutes_draft("Z-1").await.expect("read").expect("a draft");
    assert_eq!(draft.content, "second");
    assert_eq!(draft.signatures.len(), 9);
    assert_eq!(draft.signed_by("m-1").map(|x| x.signature.as_slice()), Some(&b"sig-1"[..]));
    assert!(s.minutes_draft("Z-3").await.expect("read").is_none());
}
on_both!(
    r4_4_minutes_are_signed_once_per_member,
    super::minutes_are_signed_once_per_member_over_the_draft_as_it_stands
);

/// Issue 13 item 5, on both backends: a password change ends the other sessions, disabling
/// ends them all and closes the account's sessions to lookups, sessions are listed and ended
/// by handle, and each change has its audit line (filtered by person and period), written in
/// the same transaction.
async fn account_care_is_audited(db: TestDb) {
    use store::{AuditEntry, AuditFilter, Ending};
    let user = store::accounts::User {
        id: "u-1".to_owned(),
        login: "officer".to_owned(),
        role: rules::Role::Officer,
        akimat: Some("astana".into()),
        iin: None,
        name: "Officer".to_owned(),
    };
    let line = |id: &str, at_ms: i64, action: &str| AuditEntry {
        id: id.to_owned(),
        at_ms,
        actor: Some("admin".to_owned()),
        action: action.to_owned(),
        subject: Some("u-1".to_owned()),
        detail: String::new(),
        address: Some("10.0.0.1".to_owned()),
    };
    db.store.create_account(&user, "old-hash", &line("a1", 1_000, "account-created")).await.expect("created");
    let again = db.store.create_account(&user, "x", &line("a1b", 1_001, "account-created")).await;
    assert!(matches!(again, Err(StoreError::Duplicate(_))));
    for (key, at) in [("k-aaaaaaaaaaaaaaaa-1", 2_000), ("k-bbbbbbbbbbbbbbbb-2", 2_001), ("k-cccccccccccccccc-3", 2_002)]
    {
        db.store.create_session(key, "api", "u-1", "csrf", at, 1_000_000).await.expect("session");
    }
    let listed = db.store.sessions_of("u-1", 3_000).await.expect("list");
    assert_eq!(listed.len(), 3);
    assert_eq!(listed[0].handle, "k-cccccccccccccc", "newest first, named by the key's start");
    assert!(
        db.store
            .set_password("u-1", "new-hash", Some("k-aaaaaaaaaaaaaa"), &line("a2", 4_000, "password-changed"))
            .await
            .expect("set")
    );
    let left = db.store.sessions_of("u-1", 5_000).await.expect("list");
    assert_eq!(
        left.iter().map(|s| s.handle.as_str()).collect::<Vec<_>>(),
        ["k-aaaaaaaaaaaaaa"],
        "only the changer's session"
    );
    assert_eq!(db.store.account("u-1").await.expect("read").expect("there").password_hash, "new-hash");
    assert!(db.store.session("k-aaaaaaaaaaaaaaaa-1", 5_000).await.expect("read").is_some());
    assert!(db.store.set_disabled("u-1", Some(6_000), &line("a3", 6_000, "account-disabled")).await.expect("disable"));
    assert!(
        !db.store.set_disabled("u-1", Some(6_001), &line("a3b", 6_001, "account-disabled")).await.expect("again"),
        "already"
    );
    assert!(db.store.session("k-aaaaaaaaaaaaaaaa-1", 6_500).await.expect("read").is_none(), "its sessions ended");
    db.store.create_session("k-dddddddddddddddd-4", "browser", "u-1", "csrf", 6_600, 1_000_000).await.expect("session");
    assert!(
        db.store.session("k-dddddddddddddddd-4", 6_700).await.expect("read").is_none(),
        "a disabled account opens no session"
    );
    assert!(db.store.set_disabled("u-1", None, &line("a4", 7_000, "account-enabled")).await.expect("enable"));
    assert!(db.store.session("k-dddddddddddddddd-4", 7_100).await.expect("read").is_some());
    let ended =
        db.store.end_sessions("u-1", Ending::One("k-dddddddddddddd"), &line("a5", 8_000, "sessions-ended")).await;
    assert_eq!(ended.expect("end"), 1);
    assert_eq!(db.store.end_sessions("u-1", Ending::All, &line("a6", 8_001, "sessions-ended")).await.expect("end"), 0);
    let all = db.store.audit_log(&AuditFilter { limit: 100, ..AuditFilter::default() }).await.expect("log");
    let actions: Vec<&str> = all.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["sessions-ended", "account-enabled", "account-disabled", "password-changed", "account-created"],
        "newest first; nothing for what did not happen"
    );
    assert_eq!(all[0].detail, "1", "how many sessions ended");
    let period = AuditFilter { from_ms: 4_000, to_ms: 7_000, limit: 100, ..AuditFilter::default() };
    assert_eq!(db.store.audit_log(&period).await.expect("log").len(), 2);
    let nobody = AuditFilter { person: "u-2".to_owned(), limit: 100, ..AuditFilter::default() };
    assert!(db.store.audit_log(&nobody).await.expect("log").is_empty());
    let admin = AuditFilter { person: "admin".to_owned(), limit: 2, ..AuditFilter::default() };
    assert_eq!(db.store.audit_log(&admin).await.expect("log").len(), 2, "the limit");
}
on_both!(account_care_is_audited_on_both_backends, super::account_care_is_audited);

/// Issue 14, bug 1: a name's parts are kept as given, words and all, and the latest
/// certificate's replace them.
async fn name_parts_are_kept_whole(db: TestDb) {
    let user = store::User {
        id: "u-9".to_owned(),
        login: "900305401113".to_owned(),
        role: rules::Role::Applicant,
        akimat: None,
        iin: None,
        name: "De la Cruz Anna Maria".to_owned(),
    };
    let line = store::AuditEntry {
        id: "n1".to_owned(),
        at_ms: 1,
        actor: None,
        action: "account-registered".to_owned(),
        subject: Some("u-9".to_owned()),
        detail: String::new(),
        address: None,
    };
    db.store.create_account(&user, "", &line).await.expect("created");
    assert_eq!(db.store.name_parts("u-9").await.expect("read"), None, "none until a certificate gives them");
    let parts = store::NameParts { surname: "De la Cruz".into(), given_names: "Anna Maria".into(), patronymic: None };
    db.store.set_name_parts("u-9", &parts).await.expect("kept");
    assert_eq!(db.store.name_parts("u-9").await.expect("read"), Some(parts));
    let renamed = store::NameParts {
        surname: "Дэ ла Крус".into(),
        given_names: "Анна Мария".into(),
        patronymic: Some("Х".into()),
    };
    db.store.set_name_parts("u-9", &renamed).await.expect("replaced");
    assert_eq!(db.store.name_parts("u-9").await.expect("read"), Some(renamed));
}
on_both!(name_parts_are_kept_whole_on_both_backends, super::name_parts_are_kept_whole);

/// Issue 14: the officer's search finds a case by number, IIN, document number or name, and
/// narrows by service, profession, stage, overdue and the day received; the totals count
/// every case.
async fn officers_search(db: TestDb) {
    let s = &db.store;
    sim::demo::run(s, 24, date("2026-02-02"), &store::backup::Quiet).await.expect("demo");
    let today = date("2026-12-01");
    let all =
        |search: store::CaseSearch| async move { s.search_cases("astana", &search, today, 500).await.expect("search") };
    let every = all(store::CaseSearch::default()).await;
    assert!(!every.is_empty() && every.iter().all(|c| c.application.akimat.as_str() == "astana"));
    let totals: i64 = s.case_totals(&"astana".into()).await.expect("totals").iter().map(|(_, n)| n).sum();
    assert_eq!(totals as usize, every.len());
    let one = &every[every.len() / 2];
    let by = |text: String| store::CaseSearch { text, ..Default::default() };
    for text in [
        one.number.to_string(),
        one.number.to_string()[..12].to_lowercase(),
        one.application.applicant.iin.to_string(),
        one.application.applicant.document_number.to_lowercase(),
        one.application.applicant.surname.to_uppercase(),
    ] {
        let found = all(by(text.clone())).await;
        assert!(found.iter().any(|c| c.number == one.number), "{text} finds {}", one.number);
    }
    let stage = serde_json::to_value(one.state).expect("state").as_str().expect("a tag").to_owned();
    let same = all(store::CaseSearch { states: vec![stage], ..Default::default() }).await;
    assert!(same.iter().any(|c| c.number == one.number) && same.iter().all(|c| c.state == one.state));
    let overdue = all(store::CaseSearch { overdue: true, ..Default::default() }).await;
    assert!(overdue.iter().all(|c| c.binding_due().is_some_and(|d| d.on < today)), "{overdue:?}");
    let nothing = all(store::CaseSearch { to: Some(date("2020-01-01")), ..Default::default() }).await;
    assert!(nothing.is_empty());
    // By profession: an issue names the profession it applies for.
    let issue = every.iter().find(|c| c.application.profession.is_some()).expect("an issue in the demo");
    let code = issue.application.profession.clone().expect("named");
    let by_profession = all(store::CaseSearch { profession: Some(code.clone()), ..Default::default() }).await;
    assert!(by_profession.iter().any(|c| c.number == issue.number));
    assert!(by_profession.iter().all(|c| c.application.profession.as_deref() == Some(code.as_str())));
    assert!(all(store::CaseSearch { profession: Some("0000-0".into()), ..Default::default() }).await.is_empty());
    let not_here = all(by("no such person anywhere".into())).await;
    assert!(not_here.is_empty());
    // A quote in the text is a value, not SQL.
    assert!(all(by("' OR 1=1 --".into())).await.is_empty());
    // The register of certificates: all of the akimat's, or by number, holder's IIN or name.
    let register = s.certificate_register("astana", "", 500).await.expect("register");
    assert!(!register.is_empty() && register.iter().all(|c| c.akimat.as_str() == "astana"));
    let cert = &register[register.len() / 2];
    for text in [cert.number.to_string(), cert.holder.iin.to_string(), cert.holder.surname.to_lowercase()] {
        let found = s.certificate_register("astana", &text, 500).await.expect("search");
        assert!(found.iter().any(|c| c.number == cert.number), "{text} finds {}", cert.number);
    }
    assert!(s.certificate_register("almaty", &cert.number.to_string(), 500).await.expect("other").is_empty());
    assert!(s.certificate_register("astana", "' OR 1=1 --", 500).await.expect("quote").is_empty());
}
on_both!(officers_search_on_both_backends, super::officers_search);

/// Issue 15: every event of a case, a certificate or a complaint leaves a notice for each
/// person it concerns, written with the event; reading marks only what was seen.
async fn notices_are_written_with_their_events(db: TestDb) {
    let s = &db.store;
    sim::demo::run(s, 24, date("2026-02-02"), &store::backup::Quiet).await.expect("demo");
    let today = date("2026-12-01");
    let cases = s.search_cases("astana", &store::CaseSearch::default(), today, 500).await.expect("cases");
    let mut checked = 0;
    for case in &cases {
        let iin = case.application.applicant.iin.to_string();
        let inbox = s.inbox(&iin.parse().expect("an IIN"), 1000).await.expect("inbox");
        let events = s.stream(&format!("case/{}", case.number)).await.expect("events");
        for e in &events {
            assert!(
                inbox.iter().any(|n| n.global_seq == e.global_seq && n.kind == e.kind),
                "{} {} has its notice for {iin}",
                case.number,
                e.kind
            );
        }
        checked += events.len();
    }
    assert!(checked > 20, "the demo's events were looked at: {checked}");
    // A certificate's events reach its holder; a complaint's, the complainant.
    let cert = s.certificate_register("astana", "", 1).await.expect("register").pop().expect("a certificate");
    let holder = s.inbox(&cert.holder.iin, 1000).await.expect("inbox");
    assert!(holder.iter().any(|n| n.stream == format!("certificate/{}", cert.number) && n.kind == "issued"));
    // Reading marks what was there when the person looked, and no more.
    let iin = cases[0].application.applicant.iin.to_string();
    let inbox = s.inbox(&iin.parse().expect("an IIN"), 1000).await.expect("inbox");
    let unread = s.unread(&iin.parse().expect("an IIN")).await.expect("unread");
    assert_eq!(unread as usize, inbox.len(), "all unread at first");
    let oldest = inbox.last().expect("a notice").global_seq;
    assert_eq!(s.mark_read(&iin.parse().expect("an IIN"), oldest, 1).await.expect("read"), 1);
    assert_eq!(s.unread(&iin.parse().expect("an IIN")).await.expect("unread"), unread - 1);
    assert_eq!(
        s.mark_read(&iin.parse().expect("an IIN"), oldest, 2).await.expect("again"),
        0,
        "reading twice changes nothing"
    );
    assert!(s.inbox(&iin.parse().expect("an IIN"), 1000).await.expect("inbox").last().expect("it").read_ms == Some(1));
}
on_both!(notices_are_written_with_their_events_on_both_backends, super::notices_are_written_with_their_events);

/// Issue 15: each notice's delivery by mail is a job, written with it; a job is claimed by one
/// worker at a time (a lease), comes back when its worker dies, is retried with backoff after
/// a failure and given up, visibly, after the last attempt. Issue 34: only a person who gave
/// an e-mail address gets delivery jobs.
async fn jobs_are_claimed_once_and_retried(db: TestDb) {
    let s = &db.store;
    for i in 0..5 {
        s.set_contact(&sim::demo::demo_iin(i).to_string(), Some(&format!("p{i}@example.kz")), "ru").await.expect("set");
    }
    sim::demo::run(s, 6, date("2026-02-02"), &store::backup::Quiet).await.expect("demo");
    let inbox = |i: u64| async move { s.inbox(&sim::demo::demo_iin(i), 1000).await.expect("inbox") };
    let notices = inbox(0).await;
    assert!(!notices.is_empty());
    for n in &notices {
        let id = store::jobs::notice_job(n.global_seq, &sim::demo::demo_iin(0).to_string());
        assert!(s.job(&id).await.expect("read").is_some(), "a delivery for each notice of a person with an address");
    }
    let unmailed = inbox(5).await;
    assert!(!unmailed.is_empty());
    for n in &unmailed {
        let id = store::jobs::notice_job(n.global_seq, &sim::demo::demo_iin(5).to_string());
        assert!(s.job(&id).await.expect("read").is_none(), "no delivery for a person without an address");
    }
    let notices = notices.len() as i64;
    let pending: i64 =
        s.job_totals().await.expect("totals").iter().filter(|(st, _)| st == "pending").map(|(_, n)| n).sum();
    assert!(pending >= notices, "a delivery job per notice: {pending} jobs, {notices} notices of one person");
    let now = 4_000_000_000_000_i64;
    // Two workers claim at once: two different jobs.
    let (a, b) = tokio::join!(s.claim_job(now, 60_000), s.claim_job(now, 60_000));
    let (a, b) = (a.expect("claim").expect("a job"), b.expect("claim").expect("another job"));
    assert_ne!(a.id, b.id, "a job is claimed once");
    assert!(store::jobs::notice_of(&a.id).is_some(), "{}", a.id);
    // Issue 35: a delivery is marked before its SMTP transaction; one cut off there stays
    // marked (shown as "sending") until it is done or fails cleanly.
    let sending = || async move {
        s.job_totals().await.expect("totals").iter().filter(|(st, _)| st == "sending").map(|(_, n)| *n).sum::<i64>()
    };
    s.mark_sending(&a.id, now).await.expect("marked");
    s.mark_sending(&b.id, now).await.expect("marked");
    assert_eq!(sending().await, 2);
    // A worker that dies keeps its lease until it runs out; then the job is claimed again.
    s.finish_job(&b.id, now).await.expect("done");
    assert_eq!(sending().await, 1, "a delivery done is no longer being sent");
    // Issue 34: many at once in one claim, in the order they fell due, never twice.
    let first = s.claim_jobs(now, 60_000, 3).await.expect("claim");
    assert_eq!(first.len(), 3.min(pending as usize - 2), "{first:?}");
    let mut others = first.clone();
    loop {
        let more = s.claim_jobs(now, 60_000, 5).await.expect("claim");
        if more.is_empty() {
            break;
        }
        assert!(more.iter().all(|m| others.iter().all(|o| o.id != m.id)), "a job is claimed once");
        others.extend(more);
    }
    assert!(others.iter().all(|j| j.id != a.id && j.id != b.id), "leased and finished jobs are not claimed");
    assert!(s.claim_job(now + 30_000, 60_000).await.expect("claim").is_none(), "the lease holds");
    let after_lease = s.claim_job(now + 60_001, 60_000).await.expect("claim").expect("back after the lease");
    assert!(after_lease.attempts >= 2, "{after_lease:?}");
    // A failure is retried after the backoff; the last attempt fails for good, with its error.
    s.fail_job(&after_lease, "connection refused", now + 60_001).await.expect("failed once");
    if after_lease.id == a.id {
        assert_eq!(sending().await, 0, "a clean failure is not a delivery cut off");
    }
    let line = s.job(&after_lease.id).await.expect("read").expect("the job");
    assert_eq!((line.state.as_str(), line.last_error.as_deref()), ("pending", Some("connection refused")));
    assert_eq!(line.run_after_ms, now + 60_001 + store::jobs::backoff_ms(after_lease.attempts));
    let last = store::jobs::Claimed { attempts: store::jobs::MAX_ATTEMPTS, ..after_lease.clone() };
    s.fail_job(&last, "still refused", now).await.expect("given up");
    assert_eq!(s.job(&last.id).await.expect("read").expect("the job").state, "failed");
    assert!(s.troubled_jobs(10).await.expect("troubled").iter().any(|j| j.id == last.id));
    // Where a person wants their notices.
    s.set_contact("900305401113", Some("maria@example.kz"), "kk").await.expect("set");
    assert_eq!(s.contact("900305401113").await.expect("read"), Some((Some("maria@example.kz".into()), "kk".into())));
}
on_both!(jobs_are_claimed_once_and_retried_on_both_backends, super::jobs_are_claimed_once_and_retried);

/// Issue 15: the sweep reads only the cases whose alert day has come, alerts once per stage
/// and mark (most of the working days used, then the breach), with the derivation, and
/// queues the mail to the akimat's head.
async fn escalation_alerts_before_and_at_the_breach(db: TestDb) {
    let s = &db.store;
    sim::demo::run(s, 6, date("2026-02-02"), &store::backup::Quiet).await.expect("demo");
    let far: jiff::Timestamp = "2026-12-01T07:00:00Z".parse().expect("instant");
    let alerts = s.escalation_sweep(far, 100_000).await.expect("sweep");
    for a in &alerts {
        assert_eq!(a.level, rules::deadline::Risk::Breached, "{a:?}");
        assert!(a.due.on < a.on_day);
        let job = store::escalation::alert_job(&a.case_number, &a.due.on.to_string(), "breached");
        assert!(s.job(&job).await.expect("read").is_some(), "the head's mail is queued");
    }
    assert!(s.escalation_sweep(far, 100_000).await.expect("again").is_empty(), "each alert once");
    // A filing on Friday 13 March 2026: registered the day it is received (App.2 item 7).
    let application = sim::demo::sample_application(s, 1, "astana", "someone").await.expect("sample");
    let iin = application.applicant.iin.clone();
    let actor = rules::Actor { id: "someone".into(), role: rules::Role::Applicant, akimat: None, iin: Some(iin) };
    let friday: jiff::Timestamp = "2026-03-13T05:00:00Z".parse().expect("10:00 in Astana");
    let filed = s
        .execute(actor, friday, store::Request::Submit { application: Box::new(application) }, None)
        .await
        .expect("filed");
    let number = filed.number.to_string();
    let mine = |alerts: Vec<store::escalation::Alert>| {
        alerts.into_iter().filter(|a| a.case_number == number).collect::<Vec<_>>()
    };
    let on_the_day = mine(s.escalation_sweep(friday, 100_000).await.expect("sweep"));
    assert_eq!(on_the_day.len(), 1, "its whole same-day allowance is used on the day: {on_the_day:?}");
    assert_eq!(on_the_day[0].level, rules::deadline::Risk::Most);
    assert!(mine(s.escalation_sweep(friday, 100_000).await.expect("again")).is_empty());
    let saturday: jiff::Timestamp = "2026-03-14T05:00:00Z".parse().expect("instant");
    let breached = mine(s.escalation_sweep(saturday, 100_000).await.expect("sweep"));
    assert_eq!(breached.len(), 1);
    assert_eq!(breached[0].level, rules::deadline::Risk::Breached);
    let recorded = s.escalations("astana", 1000).await.expect("recorded");
    let line = recorded.iter().find(|r| r.case_number == number && r.level == "breached").expect("recorded");
    assert_eq!((line.from_day.as_str(), line.due_on.as_str(), line.allowance), ("2026-03-13", "2026-03-13", 0));
    assert_eq!(line.on_day, "2026-03-14");
    assert!(!line.citation.is_empty());
}
on_both!(
    escalation_alerts_before_and_at_the_breach_on_both_backends,
    super::escalation_alerts_before_and_at_the_breach
);

/// Issue 15, R5.1 and R8.2: the holder's windows. Every certificate has its extension window
/// (to its last day of validity, issue 33), reminded once; a §18 notice opens the
/// re-issue window, which a re-issue application meets and which, missed, is recorded as a
/// fact in the certificate's history and told to the holder.
async fn holders_windows(db: TestDb) {
    use rules::certificate::{CertificateCommand, Employer, Window};
    let s = &db.store;
    sim::demo::run(s, 12, date("2026-02-02"), &store::backup::Quiet).await.expect("demo");
    let certs: Vec<_> =
        s.certificates().await.expect("register").into_iter().filter(|c| c.superseded.is_none()).collect();
    assert!(certs.len() >= 3, "{}", certs.len());
    let cert = certs.iter().find(|c| c.revoked.is_none()).expect("one in force");
    let number = cert.number.to_string();
    let windows = s.obligations(&number).await.expect("windows");
    let ext = windows.iter().find(|o| o.window == Window::Extension && o.state == "open").expect("extension window");
    let due: jiff::civil::Date = ext.due_on.parse().expect("date");
    assert!(due <= cert.valid_to && cert.valid_to.since(due).expect("span").get_days() < 4, "{due} {}", cert.valid_to);
    assert_eq!(ext.citation, "Rules §16");

    // On the reminder day the holder is told, once, with the last day in the notice.
    let remind_at: jiff::Timestamp = format!("{}T05:00:00Z", ext.remind_on).parse().expect("instant");
    assert!(s.obligation_sweep(remind_at, 100_000).await.expect("sweep") >= 1);
    assert_eq!(s.obligation_sweep(remind_at, 100_000).await.expect("again"), 0, "each window acted on once");
    let kinds: Vec<String> =
        s.stream(&format!("certificate/{number}")).await.expect("history").into_iter().map(|e| e.kind).collect();
    assert_eq!(kinds.iter().filter(|k| *k == "reminded").count(), 1, "{kinds:?}");
    let inbox = s.inbox(&cert.holder.iin, 100).await.expect("inbox");
    let told = inbox.iter().find(|n| n.kind == "reminded" && n.stream.ends_with(&number)).expect("told");
    assert!(told.payload.as_deref().is_some_and(|p| p.contains(&ext.due_on)), "{told:?}");

    // A new employer on Thursday 2026-03-12 (notified the next day): re-issue by 19 March.
    let holder = rules::Actor {
        id: "holder".into(),
        role: rules::Role::Applicant,
        akimat: None,
        iin: Some(cert.holder.iin.clone()),
    };
    let notify = CertificateCommand::NotifyNewEmployer {
        contract_date: date("2026-03-12"),
        employer: Employer {
            name: "Temir LLP".into(),
            id: rules::ids::TaxpayerId::parse("170440000126").expect("BIN"),
        },
    };
    let friday: jiff::Timestamp = "2026-03-13T05:00:00Z".parse().expect("instant");
    s.execute(holder, friday, store::Request::Certificate { number: cert.number.clone(), command: notify }, None)
        .await
        .expect("noticed");
    let reissue = s
        .obligations(&number)
        .await
        .expect("windows")
        .into_iter()
        .find(|o| o.window == Window::Reissue)
        .expect("re-issue window");
    assert_eq!((reissue.due_on.as_str(), reissue.remind_on.as_str()), ("2026-03-19", "2026-03-18"));
    assert_eq!(reissue.citation, "Rules §22 para 2");
    let after: jiff::Timestamp = "2026-03-20T05:00:00Z".parse().expect("instant");
    // The reminder day passed unswept: the window is recorded as missed, not reminded late.
    assert!(s.obligation_sweep(after, 100_000).await.expect("sweep") >= 1);
    let missed = s.obligations(&number).await.expect("windows").into_iter().find(|o| o.id == reissue.id).expect("kept");
    assert_eq!(missed.state, "missed");
    let history = s.stream(&format!("certificate/{number}")).await.expect("history");
    let fact = history.iter().find(|e| e.kind == "window-missed").expect("a fact in the history");
    assert_eq!(fact.citation, "Rules §22 para 2");
    let now_valid = s.certificate(&number.parse().expect("a certificate number")).await.expect("read").expect("there");
    assert!(
        now_valid.status_on(date("2026-03-20")).is_valid(),
        "no sanction: {:?}",
        now_valid.status_on(date("2026-03-20"))
    );
}
on_both!(r8_2_holders_windows_on_both_backends, super::holders_windows);

/// Issue 15: the reports are counted by the writer with the events. A period read as whole
/// months and partial days gives what the days alone give; outcomes match what the demo
/// did; the whole service's term and each stage are timed; open cases are judged at risk.
async fn reports_from_cells(db: TestDb) {
    let s = &db.store;
    let summary = sim::demo::run(s, 24, date("2026-02-02"), &store::backup::Quiet).await.expect("demo");
    let now: jiff::Timestamp = "2026-12-01T07:00:00Z".parse().expect("instant");
    let r = s.report_of(date("2026-01-01"), date("2026-12-31"), None, now).await.expect("report");
    let filed = |k: &str| r.filed_by_service.iter().find(|c| c.key == k).map_or(0, |c| c.count) as u64;
    assert_eq!(filed("issue"), summary.applications);
    assert_eq!(r.filed() as u64, summary.applications + filed("extend") + filed("reissue") + filed("duplicate"));
    assert!(filed("extend") >= summary.extended);
    let outcome = |k: &str| r.outcomes.iter().find(|c| c.key == k).map_or(0, |c| c.count) as u64;
    assert_eq!(outcome("issued"), summary.issued);
    assert_eq!(outcome("refused"), summary.refused);
    assert_eq!(outcome("not-accepted"), summary.not_accepted);
    assert_eq!(outcome("extended"), summary.extended);
    assert!(r.grounds.iter().map(|g| g.count).sum::<i64>() as u64 >= summary.refused);
    assert!(r.stages.iter().any(|t| t.key == "with-commission" && t.ended > 0), "{:?}", r.stages);
    assert!(r.overall.ended > 0 && r.overall.median_days.is_some() && r.overall.p90_days >= r.overall.median_days);
    assert_eq!(r.filed_by_akimat.len(), sim::demo::DEMO_AKIMATS.len());
    let open: i64 = r.at_risk.iter().map(|a| a.open).sum();
    assert_eq!(open as u64, summary.in_progress, "{:?}", r.at_risk);
    assert!(r.at_risk.iter().all(|a| a.breached == a.open), "long past every due day: {:?}", r.at_risk);
    // A breach told by the sweep is still an open case at risk.
    assert!(!s.escalation_sweep(now, 100_000).await.expect("sweep").is_empty());
    assert_eq!(s.at_risk(None, now).await.expect("after the sweep"), r.at_risk);
    // Months and days agree: 3 Feb .. 17 May by months and edge days, and day by day.
    let (from, to) = (date("2026-02-03"), date("2026-05-17"));
    let mut split: Vec<_> =
        s.report_cells(from, to, Some("astana")).await.expect("cells").into_iter().map(key).collect();
    let mut daily = std::collections::BTreeMap::new();
    let mut d = from;
    while d <= to {
        for c in s.report_cells(d, d, Some("astana")).await.expect("cells") {
            let (k, n) = key(c);
            *daily.entry(k).or_insert(0) += n;
        }
        d = d.tomorrow().expect("day");
    }
    split.sort();
    assert!(!split.is_empty());
    assert_eq!(split, daily.into_iter().collect::<Vec<_>>());
}
fn key(c: store::reports::Cell) -> ((String, String, String, String, i64, bool), i64) {
    ((c.akimat, c.service, c.measure, c.label, c.working_days, c.late), c.count)
}
on_both!(reports_are_counted_with_their_events_on_both_backends, super::reports_from_cells);

/// Issue 15: the read models a migration asks the store to rebuild (the reports' cells, the
/// holder's windows, the running cases' allowances) come out of the event log exactly as the
/// writer keeps them, so a database from before migration 0020 reports its past too.
async fn rebuilt_read_models(db: TestDb) {
    let s = &db.store;
    sim::demo::run(s, 24, date("2026-02-02"), &store::backup::Quiet).await.expect("demo");
    let snapshot = |s: store::Store| async move {
        let cells = s.report_cells(date("2026-01-01"), date("2026-12-31"), None).await.expect("cells");
        let mut cells: Vec<_> = cells.into_iter().map(key).collect();
        cells.sort();
        let mut windows = Vec::new();
        for c in s.certificates().await.expect("register") {
            windows.extend(s.obligations(&c.number.to_string()).await.expect("windows"));
        }
        let risk = s.at_risk(None, "2026-12-01T07:00:00Z".parse().expect("instant")).await.expect("risk");
        (cells, windows, risk)
    };
    let kept = snapshot(s.clone()).await;
    assert!(!kept.0.is_empty() && !kept.1.is_empty() && !kept.2.is_empty());
    use sqlx::{Connection, Executor};
    let mut conn = sqlx::AnyConnection::connect(&db.url).await.expect("connect");
    conn.execute(
        "DELETE FROM report_cells; DELETE FROM obligations; \
         UPDATE cases SET due_from = NULL, due_days = NULL, escalate_on = NULL; \
         INSERT INTO rebuilds (name) VALUES ('reports-windows')",
    )
    .await
    .expect("forget them, and ask for them again");
    let reopened = store::Store::open(
        store::Config::with_url(&db.url, db.dir.path()),
        store::Reference::embedded().expect("reference"),
    )
    .await
    .expect("reopen");
    let rebuilt = snapshot(reopened.clone()).await;
    assert_eq!(rebuilt.0, kept.0, "the cells");
    assert_eq!(rebuilt.1, kept.1, "the windows");
    assert_eq!(rebuilt.2, kept.2, "the open cases at risk");
    let again = sqlx::query("SELECT CAST(COUNT(*) AS BIGINT) FROM rebuilds").fetch_one(&mut conn).await.expect("read");
    assert_eq!(sqlx::Row::try_get::<i64, _>(&again, 0).expect("n"), 0, "done once");
}
on_both!(read_models_rebuilt_from_the_log_on_both_backends, super::rebuilt_read_models);

/// Issue 36: the reads of people's records, searched by whose, by whom and by period, each
/// through its own statement, on both backends.
async fn reads_are_searched_by_person_staff_and_period(db: TestDb) {
    use store::access::{AccessSearch, Read};
    let s = &db.store;
    let read = |subject: &str, reader: &str, at_ms: i64| Read {
        subject_iin: subject.to_owned(),
        at_ms,
        reader_id: reader.to_owned(),
        reader_role: "officer".into(),
        reader_akimat: Some("astana".into()),
        record: "case/Z-AST-2026-000001-X".into(),
        route: "/cases/{number}".into(),
        purpose: "processing".into(),
    };
    let (a, b) = (sim::demo::demo_iin(0).to_string(), sim::demo::demo_iin(1).to_string());
    let (a, b) = (a.as_str(), b.as_str());
    for r in [read(a, "u-1", 1_000), read(a, "u-2", 2_000), read(b, "u-1", 3_000)] {
        s.record_access(r);
    }
    let all = AccessSearch { limit: 10, ..AccessSearch::default() };
    for _ in 0..100 {
        if s.search_access(&all).await.expect("all").len() == 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let found = |q: AccessSearch| async move { s.search_access(&q).await.expect("search") };
    let by_person = found(AccessSearch { subject: Some(a.parse().expect("iin")), ..all.clone() }).await;
    assert_eq!(by_person.iter().map(|r| r.at_ms).collect::<Vec<_>>(), vec![2_000, 1_000], "newest first");
    let by_staff = found(AccessSearch { reader_id: Some("u-1".into()), ..all.clone() }).await;
    assert_eq!(by_staff.iter().map(|r| r.subject_iin.as_str()).collect::<Vec<_>>(), vec![b, a]);
    let both =
        found(AccessSearch { subject: Some(a.parse().expect("iin")), reader_id: Some("u-1".into()), ..all.clone() })
            .await;
    assert_eq!(both.len(), 1);
    let period = found(AccessSearch { from_ms: 1_500, to_ms: 3_000, ..all.clone() }).await;
    assert_eq!(period.iter().map(|r| r.at_ms).collect::<Vec<_>>(), vec![2_000], "from inclusive, to exclusive");
}
on_both!(issue_36_reads_are_searched, super::reads_are_searched_by_person_staff_and_period);

/// Issue 36: staff reads are gathered for a moment and committed together; a graceful stop
/// (`Store::close`) commits what is gathered, so the person's list misses none.
async fn gathered_reads_are_committed_at_close(db: TestDb) {
    let read = store::access::Read {
        subject_iin: iin(3).to_string(),
        at_ms: 5_000,
        reader_id: "officer-1".into(),
        reader_role: "officer".into(),
        reader_akimat: Some("astana".into()),
        record: "case/Z-AST-2026-000001".into(),
        route: "/cases/{number}".into(),
        purpose: "processing".into(),
    };
    // An administrator has no akimat: the row keeps the absence, not an empty name.
    let audit = store::access::Read {
        at_ms: 6_000,
        reader_id: "admin".into(),
        reader_role: "administrator".into(),
        reader_akimat: None,
        purpose: "audit".into(),
        ..read.clone()
    };
    db.store.record_access(read.clone());
    db.store.record_access(audit.clone());
    db.store.close().await;
    // Committed when `close` returns, not a gathering time later.
    {
        use sqlx::{Connection as _, Row as _};
        let mut conn = sqlx::AnyConnection::connect(&db.url).await.expect("connect");
        let n: i64 = sqlx::query("SELECT COUNT(*) FROM access_log").fetch_one(&mut conn).await.expect("count").get(0);
        assert_eq!(n, 2, "the gathered reads are committed by the graceful stop");
    }
    let again = store::Store::open(
        store::Config::with_url(&db.url, db.dir.path()),
        store::Reference::embedded().expect("reference"),
    )
    .await
    .expect("opens again");
    assert_eq!(again.access_of(&iin(3), 10).await.expect("reads"), vec![audit, read], "newest first");
}
on_both!(gathered_reads_are_committed_at_close_on_both_backends, super::gathered_reads_are_committed_at_close);
