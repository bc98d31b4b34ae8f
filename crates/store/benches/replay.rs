//! Replay (issue 36): a period's recorded commands decided again through `rules` under the
//! law of their day, as `qualcert audit replay` and `qualcert rules impact` do it, in commands
//! per second, against the same replay reading each case's events on its own (the baseline,
//! in the same process: the machine is shared and noisy).
//!
//! Run with `taskset -c 0 cargo bench -p store --bench replay` (`QUALCERT_REPLAY_CASES` to
//! change the 2,000 demo applications). Target (issue 36): 100,000 commands per second on one
//! core.
//!
//! `QUALCERT_REPLAY_COPIES=K` then copies every demo case K times (events and case rows, with
//! the global order kept, so each copy reads its certificate as the original did) and times
//! `rules impact`'s survey over them all: with K = 400, about a million cases (issue 36's
//! target: a year of a 1M-case store in 60 s). It needs about 2.5 GB of disk and
//! three minutes to copy.

#![expect(clippy::print_stdout, reason = "a benchmark reports to the terminal")]

use std::time::Instant;

use jiff::civil::date;
use store::{Config, Reference, Store};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    sqlx::any::install_default_drivers();
    let cases: u64 = std::env::var("QUALCERT_REPLAY_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(2_000);
    let dir = tempfile::tempdir().expect("tmp");
    let url = store::db::sqlite_url(&dir.path().join("replay.db"));
    let store = Store::open(Config::with_url(&url, dir.path()), Reference::embedded().expect("reference"))
        .await
        .expect("store");
    let t = Instant::now();
    sim::demo::run(&store, cases, date(2026, 3, 2), &store::backup::Quiet).await.expect("demo");
    println!("sqlite: {cases} demo applications made in {:.1} s", t.elapsed().as_secs_f64());
    let (from, to) = (date(2020, 1, 1), date(2030, 12, 31));
    let law = store.reference().law.clone();

    // The baseline: each case's events read on their own, then replayed.
    let t = Instant::now();
    let mut steps = 0usize;
    for (number, _, _) in store.cases_received(from, to, None).await.expect("cases") {
        steps += store.replay_case(&number).await.expect("replay").map_or(0, |r| r.steps.len());
    }
    let one_by_one = steps as f64 / t.elapsed().as_secs_f64();

    // The best of a few rounds (`QUALCERT_REPLAY_ROUNDS`, 3), as the machine is shared.
    let rounds: u32 = std::env::var("QUALCERT_REPLAY_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(3);
    let mut best = f64::MAX;
    let mut survey = store::replay::Survey::default();
    for _ in 0..rounds.max(1) {
        let t = Instant::now();
        survey = store.survey(from, to, None, &law, false).await.expect("survey");
        best = best.min(t.elapsed().as_secs_f64());
    }
    let rate = survey.steps as f64 / best;
    assert_eq!(survey.steps, steps, "both replay every step");
    println!(
        "sqlite: replay of {} cases, {} commands: {:.0} commands per second ({} differ); case by case {:.0} per second; ratio {:.2}",
        survey.cases,
        survey.steps,
        rate,
        survey.differing,
        one_by_one,
        rate / one_by_one
    );
    println!(
        "sqlite: replay target >= 100000 commands per second: {}",
        if rate >= 100_000.0 { "met" } else { "NOT met" }
    );

    let copies: u64 = std::env::var("QUALCERT_REPLAY_COPIES").ok().and_then(|v| v.parse().ok()).unwrap_or(0);
    if copies > 0 {
        let t = Instant::now();
        copy_cases(&url, copies.min(998)).await;
        println!("sqlite: every case copied {copies} times in {:.0} s", t.elapsed().as_secs_f64());
        let t = Instant::now();
        let impact = store.survey(from, to, None, &law, true).await.expect("impact");
        let took = t.elapsed().as_secs_f64();
        println!(
            "sqlite: rules impact (the shipped set as a proposal) over {} cases, {} commands: {:.1} s, \
             {:.0} commands per second; {} outcomes changed; target <= 60 s for 1M cases: {}",
            impact.cases,
            impact.steps,
            took,
            impact.steps as f64 / took,
            impact.outcomes_changed,
            if impact.cases >= 1_000_000 {
                if took <= 60.0 { "met" } else { "NOT met" }
            } else {
                "not measured (fewer cases)"
            }
        );
    }
}

/// Every case's events and row copied `k` times (`number~i`). Global positions are spread
/// first (×1000) so that copy i of an event sits just after its original: a copy folds its
/// certificate's events up to the same point as the original does.
async fn copy_cases(url: &str, k: u64) {
    use sqlx::{Connection, Executor, Row};
    let mut c = sqlx::AnyConnection::connect(url).await.expect("connect");
    c.execute("PRAGMA synchronous = OFF").await.expect("pragma");
    c.execute("UPDATE events SET global_seq = -global_seq * 1000").await.expect("spread");
    c.execute("UPDATE events SET global_seq = -global_seq").await.expect("spread");
    let columns: Vec<String> = sqlx::query("SELECT name FROM pragma_table_info('cases') WHERE name <> 'number'")
        .fetch_all(&mut c)
        .await
        .expect("columns")
        .iter()
        .map(|r| r.try_get(0).expect("name"))
        .collect();
    let columns = columns.join(", ");
    // The originals, apart: each copy reads them, not the growing tables.
    c.execute(sqlx::AssertSqlSafe(format!(
        "CREATE TEMP TABLE original_events AS SELECT * FROM events WHERE stream LIKE 'case/%'; \
         CREATE TEMP TABLE original_cases AS SELECT number, {columns} FROM cases"
    )))
    .await
    .expect("originals");
    for i in 1..=k {
        let sql = format!(
            "BEGIN; \
             INSERT INTO events (global_seq, stream, stream_seq, kind, payload, actor, role, at_ms, citation, prev_hash, hash) \
             SELECT global_seq + {i}, stream || '~{i}', stream_seq, kind, payload, actor, role, at_ms, citation, prev_hash, hash \
             FROM original_events; \
             INSERT INTO cases (number, {columns}) SELECT number || '~{i}', {columns} FROM original_cases; \
             COMMIT;"
        );
        c.execute(sqlx::AssertSqlSafe(sql)).await.expect("copy");
    }
}

/// The service binary's allocator (`qualcert`), so the bench measures what it runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
