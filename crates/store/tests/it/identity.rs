//! Issue 30: identity holes closed in the store. A database from before identity by EDS has
//! its unproven applicant accounts closed (password and sessions ended, audited) by migration
//! 0022, and one person's IIN binds to one account per role and akimat.

use sqlx::{Connection, Executor, Row};
use store::{Config, Reference, Store, StoreError, User};

use crate::{TestDb, iin, on_both};

fn member(id: &str) -> User {
    User {
        id: id.to_owned(),
        login: id.to_owned(),
        role: rules::Role::Commission,
        akimat: Some("astana".into()),
        iin: None,
        name: id.to_owned(),
    }
}

async fn legacy_accounts_are_closed_and_one_person_binds_once(db: TestDb) {
    let s = &db.store;
    let now = jiff::Timestamp::now().as_millisecond();
    // One IIN binds to one Commission account of the akimat; a second is refused.
    s.create_user(&member("m-1"), "x", now).await.expect("m-1");
    s.create_user(&member("m-2"), "x", now).await.expect("m-2");
    let person = iin(900_001);
    s.bind_iin("m-1", &person, now).await.expect("the first binding");
    assert!(matches!(s.bind_iin("m-2", &person, now).await, Err(StoreError::Duplicate(_))), "one person, one vote");
    // An officer's account of the same person is another role: allowed.
    let officer = User { role: rules::Role::Officer, ..member("o-1") };
    s.create_user(&officer, "x", now).await.expect("o-1");
    s.bind_iin("o-1", &person, now).await.expect("another role");

    // A database as it stood before migration 0022: an applicant registered with a typed
    // IIN (never proven) who has a password and an open session, and a pair of accounts
    // bound to one IIN.
    let victim = iin(4242);
    let squatter = User {
        id: "u-squatter".into(),
        login: victim.to_string(),
        role: rules::Role::Applicant,
        akimat: None,
        iin: None,
        name: "Squatter".into(),
    };
    s.create_user(&squatter, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo", now).await.expect("legacy");
    s.create_session("s-squatter", "browser", "u-squatter", "csrf", now, 3_600_000).await.expect("session");
    let mut conn = sqlx::AnyConnection::connect(&db.url).await.expect("connect");
    for sql in [
        "DROP INDEX users_one_person",
        "ALTER TABLE signed_documents DROP COLUMN signed_ms",
        "DELETE FROM schema_migrations WHERE version = 22",
    ] {
        conn.execute(sql).await.expect(sql);
    }
    conn.execute(sqlx::AssertSqlSafe(format!(
        "UPDATE users SET iin = '{person}', iin_proven_ms = {} WHERE id = 'm-2'",
        now + 1
    )))
    .await
    .expect("a second binding, as an old database could hold");
    drop(conn);
    db.store.close().await;
    let reopened = Store::open(Config::with_url(&db.url, db.dir.path()), Reference::embedded().expect("reference"))
        .await
        .expect("migration 0022 applies to the old database");

    let account = reopened.account("u-squatter").await.expect("read").expect("kept");
    assert_eq!(account.password_hash, "", "the squatter's password ended");
    assert!(reopened.session("s-squatter", now).await.expect("read").is_none(), "and their session");
    let m2 = reopened.account("m-2").await.expect("read").expect("kept");
    assert_eq!(m2.user.iin, None, "the later binding of the pair is undone");
    assert_eq!(reopened.account("m-1").await.expect("read").expect("kept").user.iin, Some(person));
    let mut conn = sqlx::AnyConnection::connect(&db.url).await.expect("connect");
    let actions: Vec<String> =
        sqlx::query("SELECT action FROM audit WHERE subject IN ('u-squatter', 'm-2') ORDER BY action")
            .fetch_all(&mut conn)
            .await
            .expect("audit")
            .iter()
            .map(|r| r.try_get::<String, _>(0).expect("action"))
            .collect();
    assert_eq!(actions, ["eds-unbound-duplicate", "legacy-account-closed"], "both recorded");
    // The person's first EDS entry reclaims the account: proven, with nothing of the squatter's.
    reopened.reclaim_unproven("u-squatter", &victim, now).await.expect("reclaimed");
    assert_eq!(reopened.account("u-squatter").await.expect("read").expect("kept").user.iin, Some(victim));
}
on_both!(
    issue_30_legacy_accounts_closed_and_one_person_binds_once,
    super::legacy_accounts_are_closed_and_one_person_binds_once
);

/// Issue 30: filing takes uploads out of the quota of those waiting, but what one account
/// uploads in a day is bounded too, so filing does not free the quota without end.
async fn filing_does_not_free_the_upload_quota_without_end(db: TestDb) {
    let s = &db.store;
    let t0 = 1_000_000_i64;
    let big = |n: u8| {
        let mut b = b"%PDF-1.4\n".to_vec();
        b.resize(store::blobs::DEFAULT_MAX_BYTES - 1, n);
        b
    };
    let fit = store::uploads::DAILY_BYTES / store::blobs::DEFAULT_MAX_BYTES as u64;
    for n in 0..fit {
        s.upload("filer", &big(n as u8), t0).await.expect("within the day's allowance");
    }
    // Each of them taken by an application (as filing does: the document becomes the store's).
    let mut conn = sqlx::AnyConnection::connect(&db.url).await.expect("connect");
    conn.execute(
        "INSERT INTO blobs (sha256, size, media_type, created_ms) \
         SELECT sha256, size, 'application/pdf', 0 FROM uploads WHERE owner = 'filer'",
    )
    .await
    .expect("filed");
    drop(conn);
    let more = s.upload("filer", &big(200), t0 + 60_000).await;
    assert!(matches!(more, Err(StoreError::Blob(store::BlobError::Quota { .. }))), "{more:?}");
    assert!(s.upload("filer", &big(200), t0 + 25 * 3_600_000).await.is_ok(), "the next day");
}
on_both!(
    issue_30_filing_does_not_free_the_upload_quota_without_end,
    super::filing_does_not_free_the_upload_quota_without_end
);
