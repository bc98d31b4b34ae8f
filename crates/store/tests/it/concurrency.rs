//! Concurrency: group commit, unique numbers, and no lost update between two officers.

use rules::case::CaseAction;
use store::{Request, StoreError};

use crate::*;

async fn many_writers(db: TestDb) {
    let s = db.store.clone();
    let mut requests = Vec::new();
    for i in 0..64 {
        requests.push(submit(&s, 100 + i).await);
    }
    let mut tasks = Vec::new();
    for (i, req) in requests.into_iter().enumerate() {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            s.execute(applicant(100 + i as u64), at("2026-03-02T05:00:00Z"), req, None).await
        }));
    }
    let mut numbers = Vec::new();
    for t in tasks {
        numbers.push(t.await.expect("task").expect("committed").number);
    }
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 64, "every case has its own number");
    let (commits, commands) = s.writer_stats();
    assert_eq!(commands, 64);
    assert!(commits < commands, "group commit: {commits} commits for {commands} commands");
    assert!(s.verify(&|_| {}).await.expect("verify").broken.is_none());
}
on_both!(concurrent_commands_share_commits, super::many_writers);

async fn two_officers(db: TestDb) {
    let s = db.store.clone();
    let filed = s.execute(applicant(7), at("2026-03-02T05:00:00Z"), submit(&s, 7).await, None).await.expect("filed");
    let number = rules::numbers::CaseNumber::parse(&filed.number).expect("valid");
    // Both saw version 1 and act at once.
    let a = {
        let (s, n) = (s.clone(), number.clone());
        tokio::spawn(async move {
            s.execute(
                officer(),
                at("2026-03-02T06:00:00Z"),
                Request::Case { number: n, expected_version: Some(1), action: CaseAction::Register },
                None,
            )
            .await
        })
    };
    let b = {
        let (s, n) = (s.clone(), number.clone());
        tokio::spawn(async move {
            let note = CaseAction::NotAccept {
                missing: vec![rules::documents::DocumentKind::LabourActivityRecord],
                expired: vec![],
                note: "the scan is unreadable".into(),
            };
            s.execute(
                officer(),
                at("2026-03-02T06:00:00Z"),
                Request::Case { number: n, expected_version: Some(1), action: note },
                None,
            )
            .await
        })
    };
    let (a, b) = (a.await.expect("task"), b.await.expect("task"));
    let conflicts = [&a, &b].iter().filter(|r| matches!(r, Err(StoreError::Conflict { .. }))).count();
    let wins = [&a, &b].iter().filter(|r| r.is_ok()).count();
    assert_eq!((wins, conflicts), (1, 1), "{a:?} {b:?}");
    let case = s.case(&filed.number.parse().expect("a case number")).await.expect("read").expect("exists");
    assert_eq!(case.version, 2, "exactly one of the two was applied");
}
on_both!(second_writer_gets_a_conflict, super::two_officers);

/// Several nodes starting together on an empty PostgreSQL database all come up: the
/// migrations are serialized by an advisory lock, so no node fails creating a table another
/// has just created.
#[tokio::test]
async fn nodes_starting_together_on_an_empty_postgres_all_come_up() {
    let Some(url) = crate::pg_url().await else { return };
    let dirs: Vec<tempfile::TempDir> = (0..4).map(|_| tempfile::tempdir().expect("tmp")).collect();
    let opens = dirs.iter().map(|d| {
        store::Store::open(store::Config::with_url(&url, d.path()), store::Reference::embedded().expect("reference"))
    });
    let stores = futures_join_all(opens).await;
    for (i, s) in stores.iter().enumerate() {
        assert!(s.is_ok(), "node {i}: {:?}", s.as_ref().err());
    }
    let health = stores[0].as_ref().expect("open").check_health(store::health::Depth::Full).await.expect("check");
    assert!(health.is_sound(), "{health:?}");
}

/// Joins futures without another dependency: each on its own task.
async fn futures_join_all<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.expect("task"));
    }
    out
}
