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
    conn.execute("UPDATE events SET payload = REPLACE(payload, 'Applicant', 'Impostor') WHERE global_seq = 3")
        .await
        .expect("tamper");
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
