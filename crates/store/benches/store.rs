//! Store throughput, measured as a ratio in one process so it holds on a noisy machine.
//!
//! Run with `cargo bench -p store --bench store` (set `QUALCERT_TEST_PG` to include a
//! PostgreSQL server, e.g. the one `.ci/postgres start` prints). For each backend:
//! - (a) the raw limit: single-row durable INSERTs, one transaction each, on the same
//!   settings (SQLite: WAL, `synchronous=FULL`; PostgreSQL: defaults, `synchronous_commit=on`);
//! - (b) qualcert commands per second (filing an application: rules, events, chain, read
//!   models, idempotency table untouched) from 1 task and from 64 concurrent tasks;
//! - (c) the raw limit of batching: the same single-row INSERTs, 100 per transaction;
//! - (d) what an applicant does: three documents uploaded, then the filing, from 64 tasks;
//! - (e) a case taken three steps (filed, registered, forwarded) from 64 tasks, the unit a
//!   workflow engine such as SpiffWorkflow reports, so the two compare like for like. On
//!   SQLite, SpiffWorkflow 3.2 then runs the same 3-step process with its state in SQLite FULL
//!   (`benches/spiff_peer.py`, with the Python in `QUALCERT_SPIFF_PYTHON` or `python3`) and
//!   the ratio is printed; without SpiffWorkflow installed, a line says so.
//!
//! (b) is the bare command: its document is uploaded before the clock starts.
//!
//! Targets: (b at 64) ≥ (a), which only group commit makes possible; and (b at 64) ≥ 25% of
//! (c), since a command writes an event, a case row and the chain head and computes its
//! rules, hashes and JSON, where (c) writes one short row.

#![expect(clippy::print_stdout, reason = "a benchmark reports to the terminal")]

use std::time::{Duration, Instant};

use jiff::Timestamp;
use rules::case::{Application, CaseAction};
use rules::{Actor, Role};
use sqlx::{AnyConnection, Connection, Executor};
use store::{Config, Reference, Request, Store};

const PHASE: Duration = Duration::from_secs(3);

/// Rows per second of single-row durable INSERTs, `per_commit` of them per transaction.
async fn raw_inserts(url: &str, sqlite: bool, per_commit: i64) -> f64 {
    let mut c = AnyConnection::connect(url).await.expect("connect");
    if sqlite {
        c.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;").await.expect("pragmas");
    }
    let table = format!("bench_raw_{per_commit}");
    c.execute(sqlx::AssertSqlSafe(format!(
        "CREATE TABLE IF NOT EXISTS {table} (k BIGINT PRIMARY KEY, v TEXT NOT NULL)"
    )))
    .await
    .expect("table");
    let insert = format!("INSERT INTO {table} (k, v) VALUES ($1, $2)");
    let start = Instant::now();
    let mut n: i64 = 0;
    while start.elapsed() < PHASE {
        let mut tx = c.begin().await.expect("begin");
        for _ in 0..per_commit {
            sqlx::query(sqlx::AssertSqlSafe(insert.as_str()))
                .bind(n)
                .bind("a row about as long as a small event payload, to be fair to the baseline")
                .execute(&mut *tx)
                .await
                .expect("insert");
            n += 1;
        }
        tx.commit().await.expect("commit");
    }
    n as f64 / start.elapsed().as_secs_f64()
}

/// What one iteration of a timed phase does.
#[derive(Clone, Copy)]
enum Work {
    /// A bare command: filing an application whose document was uploaded before the clock.
    Bare,
    /// What an applicant does: three documents uploaded, then the filing.
    Filing,
    /// A case taken three steps, as a workflow engine's 3-step process: filed, registered,
    /// forwarded to the Commission.
    ThreeSteps,
}

/// The application of sample applicant `n`, filed by `actor` from `template`.
fn application_of(template: &Application, n: u64) -> Application {
    let mut app = template.clone();
    app.applicant.iin = sim::demo::demo_iin(n);
    app.applicant.given_name = format!("Applicant {n}");
    app.applicant.document_number = format!("S{n:09}");
    app
}

/// Three distinct documents of filing `n`, uploaded by `owner`.
async fn three_uploads(s: &Store, owner: &str, n: u64, template: &Application) -> Application {
    let mut app = application_of(template, n);
    for (i, d) in app.documents.iter_mut().enumerate() {
        let bytes = format!("%PDF-1.4\n% bench document {n}/{i}\n%%EOF\n");
        let stored = s.upload(owner, bytes.as_bytes(), Timestamp::now().as_millisecond()).await.expect("uploaded");
        d.sha256 = stored.sha256;
    }
    app
}

/// Iterations per second of `work` from `tasks` concurrent tasks.
async fn per_second(store: &Store, tasks: u64, offset: u64, work: Work) -> f64 {
    let now: Timestamp = "2026-03-02T05:00:00Z".parse().expect("instant");
    let officer = Actor { id: "bench-officer".into(), role: Role::Officer, akimat: Some("astana".into()), iin: None };
    let mut templates = Vec::new();
    for t in 0..tasks {
        let owner = format!("bench-{offset}-{t}");
        templates.push((
            owner.clone(),
            sim::demo::sample_application(store, offset + t, "astana", &owner).await.expect("stored"),
        ));
    }
    let start = Instant::now();
    let mut handles = Vec::new();
    for (t, (owner, template)) in templates.into_iter().enumerate() {
        let s = store.clone();
        let officer = officer.clone();
        handles.push(tokio::spawn(async move {
            let mut done = 0u64;
            while start.elapsed() < PHASE {
                let n = offset + t as u64 * 1_000_000 + done;
                let actor =
                    Actor { id: owner.clone(), role: Role::Applicant, akimat: None, iin: Some(sim::demo::demo_iin(n)) };
                let app = match work {
                    Work::Filing => three_uploads(&s, &owner, n, &template).await,
                    Work::Bare | Work::ThreeSteps => application_of(&template, n),
                };
                let req = Request::Submit { application: Box::new(app) };
                let filed = s.execute(actor, now, req, None).await.expect("committed");
                if let Work::ThreeSteps = work {
                    let number: rules::numbers::CaseNumber = filed.number.parse().expect("a case number");
                    for action in [CaseAction::Register, CaseAction::Forward] {
                        let req = Request::Case { number: number.clone(), expected_version: None, action };
                        s.execute(officer.clone(), now, req, None).await.expect("committed");
                    }
                }
                done += 1;
            }
            done
        }));
    }
    let mut total = 0;
    for h in handles {
        total += h.await.expect("task");
    }
    total as f64 / start.elapsed().as_secs_f64()
}

async fn run(name: &str, url: String, dir: &std::path::Path) {
    let sqlite = url.starts_with("sqlite");
    let raw = raw_inserts(&url, sqlite, 1).await;
    let batched = raw_inserts(&url, sqlite, 100).await;
    let store =
        Store::open(Config::with_url(&url, dir), Reference::embedded().expect("reference")).await.expect("store");
    let one = per_second(&store, 1, 10_000_000, Work::Bare).await;
    let (c0, n0) = store.writer_stats();
    let many = per_second(&store, 64, 20_000_000, Work::Bare).await;
    let (c1, n1) = store.writer_stats();
    let filings = per_second(&store, 64, 30_000_000, Work::Filing).await;
    let (c2, n2) = store.writer_stats();
    let cases = per_second(&store, 64, 40_000_000, Work::ThreeSteps).await;
    let (c3, n3) = store.writer_stats();
    let per_commit = |c: u64, n: u64, c0: u64, n0: u64| (n - n0) as f64 / (c - c0).max(1) as f64;
    println!("{name}: (a) raw durable single-row inserts   {raw:>9.0} per second");
    println!("{name}: (b) qualcert commands, 1 task         {one:>9.0} per second");
    println!(
        "{name}: (b) qualcert commands, 64 tasks       {many:>9.0} per second ({:.1} commands per commit)",
        per_commit(c1, n1, c0, n0)
    );
    println!("{name}: (c) raw inserts, 100 rows per commit  {batched:>9.0} per second");
    println!(
        "{name}: (d) filings with 3 uploads, 64 tasks  {filings:>9.0} per second ({:.1} commands per commit)",
        per_commit(c2, n2, c1, n1)
    );
    println!(
        "{name}: (e) 3-step cases, 64 tasks           {cases:>9.0} per second ({:.0} steps per second, {:.1} commands per commit)",
        3.0 * cases,
        per_commit(c3, n3, c2, n2)
    );
    let met = |ok: bool| if ok { "met" } else { "NOT met" };
    println!("{name}: (b at 64) / (a) = {:.2}  target >= 1: {}", many / raw, met(many >= raw));
    println!("{name}: (b at 64) / (c) = {:.2}  target >= 0.25: {}", many / batched, met(many >= 0.25 * batched));
    if name == "sqlite" {
        match spiff_steps() {
            Some(peer) => println!(
                "{name}: (e) steps / SpiffWorkflow steps = {:.1}  target >= 10: {} (peer, same run: {peer:.0} steps per second)",
                3.0 * cases / peer,
                met(3.0 * cases >= 10.0 * peer)
            ),
            None => println!(
                "{name}: SpiffWorkflow is not installed for {}: no peer figure (pip install SpiffWorkflow==3.2.0)",
                spiff_python()
            ),
        }
    }
}

/// The Python that runs the SpiffWorkflow peer: `QUALCERT_SPIFF_PYTHON`, else `python3`.
fn spiff_python() -> String {
    std::env::var("QUALCERT_SPIFF_PYTHON").ok().filter(|v| !v.is_empty()).unwrap_or_else(|| "python3".into())
}

/// SpiffWorkflow's durable steps per second on the same settings (`benches/spiff_peer.py`),
/// the better of 1 and 64 threads, so the ratio is against its best; `None` when it is not
/// installed.
fn spiff_steps() -> Option<f64> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/spiff_peer.py");
    let run = |tasks: &str| -> Option<f64> {
        let o = std::process::Command::new(spiff_python()).args([script, "3", tasks]).output().ok()?;
        if !o.status.success() {
            return None;
        }
        let text = String::from_utf8_lossy(&o.stdout);
        text.split(':').nth(1)?.split_whitespace().next()?.parse().ok()
    };
    let one = run("1")?;
    Some(run("64").map_or(one, |many| one.max(many)))
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    sqlx::any::install_default_drivers();
    let dir = tempfile::tempdir().expect("tmp");
    run("sqlite", store::db::sqlite_url(&dir.path().join("bench.db")), dir.path()).await;
    if let Some(admin) = std::env::var("QUALCERT_TEST_PG").ok().filter(|v| !v.is_empty()) {
        let name = format!("qc_bench_{}", std::process::id());
        let mut c = AnyConnection::connect(&admin).await.expect("server");
        c.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).await.expect("create");
        let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b).to_owned();
        let pg_dir = tempfile::tempdir().expect("tmp");
        run("postgres", format!("{base}/{name}"), pg_dir.path()).await;
        c.execute(sqlx::AssertSqlSafe(format!("DROP DATABASE {name} WITH (FORCE)"))).await.expect("drop");
    } else {
        println!("postgres: skipped (set QUALCERT_TEST_PG, e.g. to what .ci/postgres start prints)");
    }
}

/// The service binary's allocator (`qualcert`), so the bench measures what it runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
