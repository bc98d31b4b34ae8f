//! Replay (issue 36): a period's recorded commands decided again through `rules` under the
//! law of their day, as `qualcert audit replay` and `qualcert rules impact` do it, in commands
//! per second, against the same replay reading each case's events on its own (the baseline,
//! in the same process: the machine is shared and noisy).
//!
//! Run with `cargo bench -p store --bench replay` (`QUALCERT_REPLAY_CASES` to change the
//! 2,000 demo applications). Target (issue 36): 100,000 commands per second on one core.

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

    let t = Instant::now();
    let survey = store.survey(from, to, None, &law, false).await.expect("survey");
    let took = t.elapsed().as_secs_f64();
    let rate = survey.steps as f64 / took;
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
}

/// The service binary's allocator (`qualcert`), so the bench measures what it runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
