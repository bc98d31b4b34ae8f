//! The escalation sweep and the reports over a million cases, as ratios to a full scan of
//! the same table in the same process (the machine is shared and noisy).
//!
//! Run with `cargo bench -p store --bench scale` (set `QUALCERT_TEST_PG` to include
//! PostgreSQL; `QUALCERT_SCALE_CASES` to change the million). The data set: a real demo run
//! through the service (so due cases carry real snapshots and alert days), then synthetic
//! rows in the writer's shapes up to the count: cases (90% finished, with no alert day; 10%
//! open, their alert day ahead) and the report cells such cases add, spread over two years
//! and every akimat. `qualcert demo --cases N` builds real ones, slower.
//!
//! Targets (issue 15): the sweep under 1 s of database time, by the index on the alert day;
//! the report page's figures at p99 within 200 ms, from the cells, not the events.

#![expect(clippy::print_stdout, reason = "a benchmark reports to the terminal")]

use std::collections::HashMap;
use std::time::{Duration, Instant};

use jiff::civil::{Date, date};
use sqlx::{AnyConnection, Connection, Executor};
use store::{Config, Reference, Store};

const SERVICES: [&str; 4] = ["issue", "extend", "reissue", "duplicate"];
const STAGES: [(&str, i64); 4] = [("submitted", 0), ("registered", 2), ("with-commission", 3), ("decided", 5)];
const OUTCOMES: [&str; 4] = ["issued", "refused", "not-accepted", "extended"];

/// A report cell's key: `grain|period`, akimat, service, measure, label, working days, late.
type CellKey = (String, String, String, String, String, i64, i64);

/// A small deterministic generator, so both backends get the same data.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

async fn insert_many(c: &mut AnyConnection, table: &str, cols: &str, rows: &[String], tail: &str) {
    for chunk in rows.chunks(500) {
        let sql = format!("INSERT INTO {table} ({cols}) VALUES {} {tail}", chunk.join(","));
        c.execute(sqlx::AssertSqlSafe(sql)).await.expect("insert");
    }
}

async fn fill(url: &str, akimats: &[String], cases: u64) {
    let mut c = AnyConnection::connect(url).await.expect("connect");
    let mut rng = Lcg(42);
    let first = date(2025, 1, 1);
    let mut cells: HashMap<CellKey, i64> = HashMap::new();
    let mut add = |day: Date, akimat: &str, service: &str, measure: &str, label: &str, wd: i64, late: i64| {
        let part = format!("{}-{}", day.strftime("%Y-%m"), ((day.day() - 1) / 8).min(3) + 1);
        for period in [day.to_string(), part, day.strftime("%Y-%m").to_string(), day.year().to_string()] {
            let grain = match period.len() {
                10 => "d",
                9 => "p",
                7 => "m",
                _ => "y",
            };
            *cells
                .entry((
                    format!("{grain}|{period}"),
                    akimat.to_owned(),
                    service.to_owned(),
                    measure.to_owned(),
                    label.to_owned(),
                    wd,
                    late,
                ))
                .or_default() += 1;
        }
    };
    let mut open_by: HashMap<String, i64> = HashMap::new();
    let mut batch = Vec::with_capacity(50_000);
    let cols = "number, akimat, service, state, applicant_iin, document_no, version, received_on, due_on, late, \
                updated_ms, snapshot, escalate_on, due_from, due_days";
    for i in 0..cases {
        let akimat = &akimats[rng.next(akimats.len() as u64) as usize];
        let service = SERVICES[(rng.next(10).min(3)) as usize];
        let day = first.checked_add(jiff::Span::new().days(rng.next(700) as i64)).expect("day");
        let open = rng.next(10) == 0;
        if open {
            *open_by.entry(akimat.clone()).or_default() += 1;
        }
        // As the writer counts them: a profession for an issue, none for the other services.
        let profession = if service == "issue" { format!("25{:02}-1", rng.next(40)) } else { String::new() };
        add(day, akimat, service, "filed", &profession, 0, 0);
        if !open {
            for (stage, allowance) in STAGES {
                let wd = rng.next(allowance as u64 + 2) as i64;
                add(day, akimat, service, "stage", stage, wd, i64::from(wd > allowance));
            }
            let wd = rng.next(7) as i64;
            add(day, akimat, service, "stage", "service", wd, i64::from(wd > 5));
            let outcome = OUTCOMES[rng.next(4) as usize];
            add(day, akimat, service, "outcome", outcome, 0, 0);
            if outcome == "refused" {
                add(day, akimat, service, "ground", "below-pass-mark", 0, 0);
            }
        }
        // Open cases' alert days lie ahead of the sweep's day; finished ones have none.
        let (state, escalate, due_from, due_on, due_days) = if open {
            ("'registered'", "'2099-01-05'", "'2099-01-01'", "'2099-01-06'", "3")
        } else {
            ("'completed'", "NULL", "NULL", "NULL", "NULL")
        };
        batch.push(format!(
            "('Z-SYN-{i:09}', '{akimat}', '{service}', {state}, '900101300000', 'P{i}', 4, '{day}', {due_on}, 0, 0, '{{}}', \
             {escalate}, {due_from}, {due_days})"
        ));
        if batch.len() == 50_000 {
            let mut tx = c.begin().await.expect("begin");
            insert_many(&mut tx, "cases", cols, &batch, "").await;
            tx.commit().await.expect("commit");
            batch.clear();
        }
    }
    let mut tx = c.begin().await.expect("begin");
    insert_many(&mut tx, "cases", cols, &batch, "").await;
    let rows: Vec<String> = cells
        .into_iter()
        .map(|((gp, akimat, service, measure, label, wd, late), n)| {
            let (grain, period) = gp.split_once('|').expect("grain");
            format!("('{grain}', '{period}', '{akimat}', '{service}', '{measure}', '{label}', {wd}, {late}, {n})")
        })
        .collect();
    println!("  {} report cells", rows.len());
    let open_rows: Vec<String> =
        open_by.iter().map(|(akimat, n)| format!("('{akimat}', '2099-01-01', '2099-01-06', 3, {n})")).collect();
    insert_many(
        &mut tx,
        "open_stages",
        "akimat, due_from, due_on, due_days, count",
        &open_rows,
        "ON CONFLICT (akimat, due_from, due_on, due_days) DO UPDATE SET count = open_stages.count + excluded.count",
    )
    .await;
    insert_many(
        &mut tx,
        "report_cells",
        "grain, period, akimat, service, measure, label, working_days, late, count",
        &rows,
        "ON CONFLICT (grain, period, akimat, service, measure, label, working_days, late) \
         DO UPDATE SET count = report_cells.count + excluded.count",
    )
    .await;
    tx.commit().await.expect("commit");
    c.execute("ANALYZE").await.expect("analyze");
    if url.starts_with("sqlite") {
        // The fill's write-ahead log is folded into the database now, so the first measured
        // write does not pay for a million rows' checkpoint.
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)").await.expect("checkpoint");
    }
}

fn p99(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[(v.len() * 99).div_ceil(100).saturating_sub(1)]
}

async fn run(name: &str, url: String, dir: &std::path::Path, cases: u64) {
    let store =
        Store::open(Config::with_url(&url, dir), Reference::embedded().expect("reference")).await.expect("store");
    sim::demo::run(&store, 200, date(2026, 11, 2), &store::backup::Quiet).await.expect("demo");
    let akimats: Vec<String> = store.reference().law.akimats.iter().map(|a| a.code.to_string()).collect();
    let t = Instant::now();
    fill(&url, &akimats, cases).await;
    println!("{name}: {cases} cases and their cells written in {:.1} s", t.elapsed().as_secs_f64());
    let mut c = AnyConnection::connect(&url).await.expect("connect");
    // The baseline: one full scan of the cases table, as a report or sweep without its index
    // or cells would need at the least.
    let t = Instant::now();
    let (n,): (i64,) = sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM cases WHERE snapshot <> 'x'")
        .fetch_one(&mut c)
        .await
        .expect("scan");
    let scan = t.elapsed();
    println!("{name}: baseline full scan of {n} cases: {:.1} ms", scan.as_secs_f64() * 1e3);
    // The sweep on the day the demo's running cases are due: only they are read.
    let now: jiff::Timestamp = "2026-12-10T05:00:00Z".parse().expect("instant");
    let t = Instant::now();
    let alerts = store.escalation_sweep(now, 100_000).await.expect("sweep");
    let sweep = t.elapsed();
    let t = Instant::now();
    let again = store.escalation_sweep(now, 100_000).await.expect("sweep");
    let idle = t.elapsed();
    println!(
        "{name}: escalation sweep: {:.1} ms giving {} alerts; again (nothing due) {:.1} ms ({} alerts); sweep / scan = {:.3}; target < 1 s: {}",
        sweep.as_secs_f64() * 1e3,
        alerts.len(),
        idle.as_secs_f64() * 1e3,
        again.len(),
        sweep.as_secs_f64() / scan.as_secs_f64(),
        if sweep < Duration::from_secs(1) { "met" } else { "NOT met" }
    );
    // The report's figures for the periods and places a page is asked for.
    // The page's default (the last 30 days), a month, a quarter, a year from mid-month, and
    // the whole two years.
    let periods = [
        (date(2026, 11, 3), date(2026, 12, 2)),
        (date(2026, 10, 1), date(2026, 10, 31)),
        (date(2026, 7, 1), date(2026, 9, 30)),
        (date(2025, 12, 15), date(2026, 12, 14)),
        (date(2025, 1, 1), date(2026, 12, 31)),
    ];
    let mut times = Vec::new();
    let mut by_period = vec![Duration::ZERO; periods.len()];
    for round in 0..20 {
        for (k, (from, to)) in periods.into_iter().enumerate() {
            let akimat = if round % 2 == 0 { None } else { Some(akimats[round % akimats.len()].as_str()) };
            let t = Instant::now();
            let r = store.report_of(from, to, akimat, now).await.expect("report");
            times.push(t.elapsed());
            by_period[k] = by_period[k].max(t.elapsed());
            std::hint::black_box(r);
        }
    }
    for ((from, to), worst) in periods.iter().zip(&by_period) {
        println!("{name}:   {from} .. {to}: slowest {:.1} ms", worst.as_secs_f64() * 1e3);
    }
    // Where the time goes: the cells of the longest period, and the open cases at risk.
    let t = Instant::now();
    let cells = store.report_cells(periods[4].0, periods[4].1, None).await.expect("cells");
    let cells_time = t.elapsed();
    let t = Instant::now();
    let risk = store.at_risk(None, now).await.expect("at risk");
    let risk_time = t.elapsed();
    println!(
        "{name}: of which two years' cells ({} summed): {:.1} ms; open cases at risk ({} akimats): {:.1} ms",
        cells.len(),
        cells_time.as_secs_f64() * 1e3,
        risk.len(),
        risk_time.as_secs_f64() * 1e3
    );
    let worst = p99(times.clone());
    times.sort();
    println!(
        "{name}: report figures over {} requests: median {:.1} ms, p99 {:.1} ms; p99 / scan = {:.3}; target p99 <= 200 ms: {}",
        times.len(),
        times[times.len() / 2].as_secs_f64() * 1e3,
        worst.as_secs_f64() * 1e3,
        worst.as_secs_f64() / scan.as_secs_f64(),
        if worst <= Duration::from_millis(200) { "met" } else { "NOT met" }
    );
    lookups(name, &store, &mut c, &akimats, scan).await;
    drop(store);
    cold_start(name, &url, dir, scan).await;
}

/// The public status look-up and verification (a case and its certificate by number, among
/// the million), and a page of the officer's queue deep in it, by offset and by keyset.
async fn lookups(name: &str, store: &Store, c: &mut AnyConnection, akimats: &[String], scan: Duration) {
    let (from, to) = (date(2020, 1, 1), date(2030, 12, 31));
    let real = store.cases_received(from, to, None).await.expect("cases");
    let mut times = Vec::new();
    for _ in 0..5 {
        for (number, _, _) in real.iter().filter(|(n, _, _)| !n.starts_with("Z-SYN")) {
            let n: rules::numbers::CaseNumber = number.parse().expect("a case number");
            let t = Instant::now();
            let case = store.case(&n).await.expect("case").expect("there");
            if let Some(rules::case::Outcome::Issued { certificate }) = &case.outcome {
                std::hint::black_box(store.certificate(&certificate.number).await.expect("certificate"));
            }
            times.push(t.elapsed());
        }
    }
    let worst = p99(times.clone());
    println!(
        "{name}: status look-up and verification over {} requests: p99 {:.2} ms; p99 / scan = {:.4}; target p99 <= 20 ms: {}",
        times.len(),
        worst.as_secs_f64() * 1e3,
        worst.as_secs_f64() / scan.as_secs_f64(),
        if worst <= Duration::from_millis(20) { "met" } else { "NOT met" }
    );
    // The akimat with the most open cases, a page 4,000 lines down.
    let akimat = &akimats[0];
    let depth = 4_000_i64;
    let head = "SELECT number, due_on FROM cases WHERE akimat = $1 AND due_on IS NOT NULL";
    let t = Instant::now();
    let by_offset: Vec<(String, String)> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{head} ORDER BY due_on, number LIMIT 50 OFFSET {depth}")))
            .bind(akimat.clone())
            .fetch_all(&mut *c)
            .await
            .expect("offset");
    let offset_time = t.elapsed();
    let before: Vec<(String, String)> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{head} ORDER BY due_on, number LIMIT 1 OFFSET {}", depth - 1)))
            .bind(akimat.clone())
            .fetch_all(&mut *c)
            .await
            .expect("the line before");
    let Some((number, due_on)) = before.into_iter().next() else {
        println!("{name}: queue page at depth {depth}: the akimat has fewer open cases");
        return;
    };
    let t = Instant::now();
    let by_keyset: Vec<(String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{head} AND (due_on > $2 OR (due_on = $2 AND number > $3)) ORDER BY due_on, number LIMIT 50"
    )))
    .bind(akimat.clone())
    .bind(due_on)
    .bind(number)
    .fetch_all(&mut *c)
    .await
    .expect("keyset");
    let keyset_time = t.elapsed();
    assert_eq!(by_offset, by_keyset, "the same page either way");
    println!(
        "{name}: queue page {depth} lines down: by offset {:.2} ms, by keyset {:.2} ms; target <= 50 ms: {}",
        offset_time.as_secs_f64() * 1e3,
        keyset_time.as_secs_f64() * 1e3,
        if keyset_time <= Duration::from_millis(50) { "met" } else { "NOT met" }
    );
}

/// A cold start: the store opened again and its start-up checks run (the database's own
/// check, a sample of documents, the chain from its checkpoint), the second time with the
/// checkpoint the first left.
async fn cold_start(name: &str, url: &str, dir: &std::path::Path, scan: Duration) {
    for pass in ["first start", "next start"] {
        let t = Instant::now();
        let store =
            Store::open(Config::with_url(url, dir), Reference::embedded().expect("reference")).await.expect("store");
        store.check_health(store::health::Depth::Startup { sample: 200 }).await.expect("health");
        let v = store.verify_since_checkpoint(jiff::Timestamp::now().as_millisecond()).await.expect("chain");
        let took = t.elapsed();
        println!(
            "{name}: cold start ({pass}, {} events verified): {:.2} s; / scan = {:.2}; target <= 3 s: {}",
            v.events,
            took.as_secs_f64(),
            took.as_secs_f64() / scan.as_secs_f64(),
            if took <= Duration::from_secs(3) { "met" } else { "NOT met" }
        );
    }
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    sqlx::any::install_default_drivers();
    let cases: u64 = std::env::var("QUALCERT_SCALE_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let dir = tempfile::tempdir().expect("tmp");
    run("sqlite", store::db::sqlite_url(&dir.path().join("scale.db")), dir.path(), cases).await;
    if let Ok(admin) = std::env::var("QUALCERT_TEST_PG") {
        let name = format!("qc_scale_{}", std::process::id());
        let mut c = AnyConnection::connect(&admin).await.expect("server");
        c.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).await.expect("create");
        let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b).to_owned();
        let pg_dir = tempfile::tempdir().expect("tmp");
        run("postgres", format!("{base}/{name}"), pg_dir.path(), cases).await;
        c.execute(sqlx::AssertSqlSafe(format!("DROP DATABASE {name} WITH (FORCE)"))).await.expect("drop");
    } else {
        println!("postgres: skipped (set QUALCERT_TEST_PG, e.g. to what .ci/postgres start prints)");
    }
}

/// The service binary's allocator (`qualcert`), so the bench measures what it runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
