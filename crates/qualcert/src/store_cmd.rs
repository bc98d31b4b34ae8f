//! Commands on the store: `migrate`, `audit verify`, `backup`, `restore`, `demo`, and the
//! hidden `stress` used by the crash test.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use jiff::civil::Date;
use store::backup::Progress;
use store::{Config, Reference, Request, Store};

use crate::Outcome;

/// Where the database is.
#[derive(Args, Clone)]
pub(crate) struct DatabaseArg {
    /// The database: `postgres://…` or `sqlite://FILE`; the embedded SQLite file in the data
    /// directory when omitted.
    #[arg(long, global = true, env = "QUALCERT_DATABASE")]
    pub(crate) database: Option<String>,
}

#[derive(Subcommand)]
pub(crate) enum AuditCommand {
    /// Replays every case received in a period under the rules and calendar held now and
    /// counts the cases whose steps differ from what was recorded: the check after a rules
    /// change or a data import. Exit 1 when any differs.
    Replay {
        #[command(flatten)]
        period: Period,
        /// JSON instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// Recomputes the hash chain of every event and names the first broken link.
    Verify {
        /// Also checks each case's stored snapshot against a fold of its events (the read
        /// models are not covered by the chain, so an edit there is found only this way).
        #[arg(long)]
        deep: bool,
    },
}

/// A progress bar on stderr (hidden when stderr is not a terminal).
pub(crate) struct Bar(ProgressBar);

impl Bar {
    pub(crate) fn new() -> Bar {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{msg:>20} [{bar:40}] {pos}/{len} {per_sec} eta {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        Bar(bar)
    }

    pub(crate) fn done(&self) {
        self.0.finish_and_clear();
    }
}

impl Progress for Bar {
    fn stage(&self, name: &str, total: u64) {
        self.0.set_message(name.to_owned());
        self.0.set_length(total);
        self.0.set_position(0);
    }

    fn advance(&self, n: u64) {
        self.0.inc(n);
    }
}

pub(crate) fn config(data: &Path, db: &DatabaseArg) -> Config {
    match &db.database {
        Some(url) => Config::with_url(url, data),
        None => Config::in_data_dir(data),
    }
}

pub(crate) async fn open(data: &Path, db: &DatabaseArg) -> Result<Store> {
    let reference = reference_data(data)?;
    Store::open(config(data, db), reference).await.context("opening the store")
}

pub(crate) fn reference_data(data: &Path) -> Result<Reference> {
    store::imports::reference(data).context("reference data")
}

/// `qualcert serve`: the web service; with `--demo`, demo cases first and a guide to them.
/// Forgets, every hour, the uploads no application took within
/// [`store::uploads::UNUSED_FOR_MS`], so abandoned files do not pile up (issue 13).
fn sweep_uploads_hourly(store: store::Store) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(3600));
        // Where the hourly check of the read models stands: a slice each hour, round the store.
        let mut checked_after = String::new();
        // And of the documents: 5,000 re-hashed each hour, round the store.
        let mut documents_after = String::new();
        loop {
            every.tick().await;
            let now = jiff::Timestamp::now().as_millisecond();
            // What was appended since the last checkpoint: a log edited while the node runs is
            // found within the hour, and the node reports itself not ready.
            match store.verify_since_checkpoint(now).await {
                Ok(v) => {
                    if let Some(b) = v.broken {
                        tracing::error!(event = b.global_seq, problem = %b.problem, "the chain of events is broken; run `qualcert audit verify`");
                    }
                }
                Err(e) => tracing::warn!(error = %e, "verifying the chain failed; trying again in an hour"),
            }
            match store.verify_snapshots_after(&checked_after, 2000).await {
                Ok((found, last)) => {
                    for (case, what) in found {
                        tracing::error!(case = %case, what = %what, "a read model differs from its events; run `qualcert audit verify --deep`");
                        store.note_finding(store::findings::FindingKind::ReadModel, &case, &what, now);
                    }
                    checked_after = last.unwrap_or_default();
                }
                Err(e) => tracing::warn!(error = %e, "checking the read models failed; trying again in an hour"),
            }
            match store.check_documents_after(&documents_after, 5_000, now).await {
                Ok((found, last)) => {
                    for (kind, sha) in found {
                        tracing::error!(document = %sha, kind = kind.name(), "a stored document is missing or altered; restore it from a backup");
                    }
                    documents_after = last.unwrap_or_default();
                }
                Err(e) => tracing::warn!(error = %e, "checking the documents failed; trying again in an hour"),
            }
            let cutoff = jiff::Timestamp::now().as_millisecond() - store::uploads::UNUSED_FOR_MS;
            match store.sweep_uploads(cutoff).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(uploads = n, "unused uploads swept"),
                Err(e) => tracing::warn!(error = %e, "sweeping unused uploads failed; trying again in an hour"),
            }
            // Reads of people's records are kept for the retention the operator sets.
            let days = std::env::var("QUALCERT_ACCESS_LOG_DAYS")
                .ok()
                .and_then(|d| d.parse().ok())
                .unwrap_or(store::access::RETENTION_DAYS);
            match store.forget_access_before(jiff::Timestamp::now().as_millisecond(), days).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(reads = n, days, "reads of people's records past their retention removed"),
                Err(e) => tracing::warn!(error = %e, "removing old reads failed; trying again in an hour"),
            }
        }
    });
}

/// The start-up checks: a store whose chain or database is damaged is not served; a missing
/// document is named and the rest serves (a case whose scan is lost is still a case, and
/// whether a random sample met it must not decide whether the service starts).
async fn fit_to_serve(store: &Store, data: &Path) -> Result<()> {
    let health = store.check_health(store::health::Depth::Startup { sample: 200 }).await?;
    let now = jiff::Timestamp::now().as_millisecond();
    for d in &health.missing_documents {
        tracing::error!(document = %d, "a document is missing from the store; run `qualcert audit verify` and restore it from a backup");
        store.note_finding(store::findings::FindingKind::DocumentMissing, d, "missing at start", now);
    }
    if !health.problems.is_empty() {
        anyhow::bail!(
            "the store in {} is damaged and will not be served:\n  {}\nRun `qualcert audit verify` for the full \
             check, then restore the last good backup with `qualcert restore DIR` (see the README).",
            data.display(),
            health.problems.join("\n  ")
        );
    }
    // The chain from the last verified checkpoint to the head: start-up time grows with what
    // was added since, not with the log.
    if let Some(b) = store.verify_since_checkpoint(now).await?.broken {
        anyhow::bail!(
            "the store in {} has a broken chain of events at {} ({}): {}\nRun `qualcert audit verify` for the \
             full check, then restore the last good backup with `qualcert restore DIR` (see the README).",
            data.display(),
            b.global_seq,
            b.stream,
            b.problem
        );
    }
    Ok(())
}

pub(crate) async fn serve(
    data: &Path,
    db: &DatabaseArg,
    bind: std::net::IpAddr,
    port: u16,
    demo: bool,
) -> Result<Outcome> {
    crate::logging::init();
    web::install_metrics();
    let store = open(data, db).await?;
    fit_to_serve(&store, data).await?;
    // Whether any event exists, not how many: a count scans every event of a large store.
    if demo && !store.has_events().await? {
        let bar = Bar::new();
        // Start a month ago, so certificates are current and some stages are overdue today.
        let today = store.today("astana", jiff::Timestamp::now())?;
        let month_ago = today.checked_sub(jiff::Span::new().days(30))?;
        let start = store.reference().calendar.next_working_day(month_ago)?;
        let s = sim::demo::run(&store, 200, start, &bar).await?;
        bar.done();
        out!("demo data: {} applications, {} certificates issued", s.applications, s.issued);
    }
    sweep_uploads_hourly(store.clone());
    let pki = data.join("pki");
    let office = if demo {
        Some(docs::Office::development(&pki).context("making the development signing office")?)
    } else if pki.join("ca.key.pem").exists() {
        // The development CA of `qualcert pki init` (or of a demo): the service trusts its
        // root, and whoever reads its key can issue a certificate naming any person's IIN.
        anyhow::bail!(
            "{}: the private key of a CA this service would trust is in its data directory, so \
             anyone who can read it can make a certificate for any person. Outside a demo, keep only \
             ca.cert.pem there (move ca.key.pem off this machine), or run with --demo",
            pki.join("ca.key.pem").display()
        );
    } else if pki.join("signer.key.pem").exists() {
        Some(docs::Office::load(&pki).with_context(|| format!("loading the signing office in {}", pki.display()))?)
    } else {
        eprintln!("no signing office in {}: results are shown but not signed (see `qualcert pki`)", pki.display());
        None
    };
    let base = format!("http://{bind}:{port}");
    let public_url = std::env::var("QUALCERT_PUBLIC_URL").unwrap_or_else(|_| base.clone());
    out!("qualcert is serving {} on {base}", data.display());
    out!("  self-assessment calculator  {base}/calculator");
    out!("  status of an application    {base}/status");
    out!("  certificate verification    {base}/verify");
    if demo {
        out!("  log in at {base}/login as:");
        for l in web::demo::create_demo_users(&store).await? {
            out!("    {:<22} {:<18} password {}", l.role.name(rules::Lang::En), l.login, l.password);
        }
        if let Some(c) = store.first_certificate().await? {
            let link = match &office {
                Some(o) => o.verify_url(&public_url, &c.number.to_string()),
                None => format!("{public_url}/verify?number={}", c.number),
            };
            out!("  try certificate {}, as its QR code opens it: {link}", c.number);
        }
        let iin = sim::demo::demo_iin(0);
        if let Some(case) = store.cases_of(&iin).await?.first() {
            out!("  try case {} with document number {}", case.number, case.application.applicant.document_number);
        }
    }
    if office.is_some() {
        out!("  signed documents by the keys in {}; trust root at {base}/pki/ca.pem", pki.display());
    }
    // The worker delivers notices (and whatever else waits in the job table) beside the pages.
    let mailer = web::jobs::SmtpMailer::from_env().map_err(anyhow::Error::msg)?;
    match &mailer {
        Some(_) => out!("  notices are also sent by e-mail (QUALCERT_SMTP_URL)"),
        None => out!("  mail is off: notices go to the cabinet's inbox; deliveries wait for QUALCERT_SMTP_URL"),
    }
    let mail = mailer.is_some();
    let worker = web::jobs::Worker::new(store.clone(), mailer, &public_url);
    let working = tokio::spawn(worker.clone().run());
    out!("press Ctrl-C to stop (SIGTERM stops it the same way)");
    let options = web::Options {
        data_dir: Some(data.to_path_buf()),
        office: office.map(std::sync::Arc::new),
        public_url,
        demo,
        mail,
        ..web::Options::default()
    };
    let kept = store.clone();
    let served = web::serve(store, std::net::SocketAddr::new(bind, port), &options).await;
    // The deliveries begun are finished and marked, the rest of the claim released.
    worker.stop();
    let _ = tokio::time::timeout(std::time::Duration::from_secs(5), working).await;
    // The staff reads gathered in the last moment are committed before the process ends.
    let _ = tokio::time::timeout(std::time::Duration::from_secs(3), kept.close()).await;
    served.with_context(|| format!("serving on {bind}:{port}"))?;
    Ok(Outcome::Ok)
}

/// `qualcert worker`: does the job table's work (delivering notices) without serving pages;
/// any number may run beside `serve` on the same database.
pub(crate) async fn worker(data: &Path, db: &DatabaseArg) -> Result<Outcome> {
    crate::logging::init();
    let store = open(data, db).await?;
    let mailer = web::jobs::SmtpMailer::from_env().map_err(anyhow::Error::msg)?;
    if mailer.is_none() {
        eprintln!(
            "mail is off (QUALCERT_SMTP_URL is not set): this worker claims no deliveries; they wait for one with a mail server"
        );
    }
    let public_url = std::env::var("QUALCERT_PUBLIC_URL").unwrap_or_else(|_| "http://127.0.0.1:8080".to_owned());
    out!("qualcert worker on {}; press Ctrl-C to stop", data.display());
    let worker = web::jobs::Worker::new(store, mailer, &public_url);
    let mut working = tokio::spawn(worker.clone().run());
    tokio::select! {
        _ = &mut working => {}
        () = web::stop_signal() => {
            // SIGTERM or Ctrl-C: begun deliveries finish and are marked, the rest go back.
            worker.stop();
            let _ = tokio::time::timeout(std::time::Duration::from_secs(10), working).await;
        }
    }
    Ok(Outcome::Ok)
}

pub(crate) async fn migrate(data: &Path, db: &DatabaseArg) -> Result<Outcome> {
    let store = open(data, db).await?;
    out!("database ready ({:?}), schema version {}", store.backend(), store::db::MIGRATIONS.len());
    Ok(Outcome::Ok)
}

/// A period of receipt and, optionally, one akimat.
#[derive(clap::Args, Debug, Clone)]
pub(crate) struct Period {
    /// The first day of receipt (YYYY-MM-DD); the beginning when omitted.
    #[arg(long)]
    from: Option<Date>,
    /// The last day; today when omitted.
    #[arg(long)]
    to: Option<Date>,
    /// One akimat's code; every akimat when omitted.
    #[arg(long)]
    akimat: Option<String>,
}

impl Period {
    fn days(&self) -> (Date, Date) {
        let today = jiff::tz::TimeZone::fixed(jiff::tz::offset(5)).to_datetime(jiff::Timestamp::now()).date();
        (self.from.unwrap_or(jiff::civil::date(2000, 1, 1)), self.to.unwrap_or(today))
    }
}

/// Prints a survey (`audit replay`, `rules impact`) as lines.
fn print_survey(s: &store::replay::Survey) {
    out!(
        "{} cases: {} differ; outcomes changed {}, deadlines changed {}, overdue flags changed {}",
        s.cases,
        s.differing,
        s.outcomes_changed,
        s.deadlines_changed,
        s.overdue_changed
    );
    for (k, n) in &s.by_service {
        out!("  service {k}: {n}");
    }
    for (k, n) in &s.by_akimat {
        out!("  akimat {k}: {n}");
    }
    for e in &s.examples {
        out!("  e.g. {} at {}: {}", e.number, e.event, e.differs);
    }
}

/// `rules impact FILE`: a proposed rule-sets file tried on the period's cases.
pub(crate) async fn impact(
    data: &Path,
    db: &DatabaseArg,
    file: &Path,
    period: &Period,
    format: &str,
) -> Result<Outcome> {
    let text = std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let proposed = rules::params::RuleBook::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let store = open(data, db).await?;
    let mut law = store.reference().law.clone();
    law.rules = proposed;
    let (from, to) = period.days();
    let s = store.survey(from, to, period.akimat.as_deref(), &law, true).await?;
    if format == "json" {
        out!("{}", serde_json::to_string_pretty(&s)?);
    } else {
        print_survey(&s);
    }
    Ok(Outcome::Ok)
}

pub(crate) async fn audit(data: &Path, db: &DatabaseArg, cmd: AuditCommand) -> Result<Outcome> {
    let deep = match cmd {
        AuditCommand::Verify { deep } => deep,
        AuditCommand::Replay { period, json } => {
            let store = open(data, db).await?;
            let (from, to) = period.days();
            let law = store.reference().law.clone();
            let s = store.survey(from, to, period.akimat.as_deref(), &law, false).await?;
            if json {
                out!("{}", serde_json::to_string_pretty(&s)?);
            } else {
                print_survey(&s);
            }
            return Ok(if s.differing == 0 { Outcome::Ok } else { Outcome::No });
        }
    };
    let store = open(data, db).await?;
    let snapshots = if deep { Some(store.verify_snapshots().await?) } else { None };
    for (number, what) in snapshots.iter().flatten() {
        out!("READ MODEL of case {number}: {what}");
    }
    let read_models_sound = snapshots.as_ref().is_none_or(Vec::is_empty);
    let total = store.event_count().await? as u64;
    let bar = Bar::new();
    bar.stage("verifying events", total);
    let v = store.verify(&|n| bar.0.set_position(n)).await?;
    bar.done();
    let health = store.check_health(store::health::Depth::Full).await?;
    for p in &health.problems {
        out!("DAMAGED: {p}");
    }
    for d in &health.missing_documents {
        out!("MISSING document {d}");
    }
    for d in &health.altered_documents {
        out!("ALTERED document {d}: its bytes no longer hash to its name");
    }
    out!(
        "looked for {} documents: {} missing, {} altered; database integrity check: {}",
        health.documents_checked,
        health.missing_documents.len(),
        health.altered_documents.len(),
        if health.problems.is_empty() { "ok" } else { "problems above" }
    );
    match v.broken {
        None if health.is_sound() && read_models_sound => {
            out!("verified {} events: the hash chain is intact", v.events);
            Ok(Outcome::Ok)
        }
        None => {
            out!("verified {} events: the hash chain is intact, but the store is damaged (above)", v.events);
            Ok(Outcome::No)
        }
        Some(b) => {
            out!(
                "BROKEN at event {} ({}): {}; the {} events before it are intact",
                b.global_seq,
                b.stream,
                b.problem,
                v.events
            );
            Ok(Outcome::No)
        }
    }
}

pub(crate) async fn backup(data: &Path, db: &DatabaseArg, dir: &Path) -> Result<Outcome> {
    let store = open(data, db).await?;
    let bar = Bar::new();
    let m = store.backup(dir, &bar).await?;
    bar.done();
    let rows: u64 = m.tables.iter().map(|t| t.rows).sum();
    out!("backup written to {}: {} rows in {} tables, {} documents", dir.display(), rows, m.tables.len(), m.blobs);
    if m.missing.is_empty() && m.altered.is_empty() {
        return Ok(Outcome::Ok);
    }
    // Exit non-zero so that a scheduled backup is noticed; the manifest keeps the same list.
    for d in &m.missing {
        out!("MISSING document {d}: the store had lost it before this backup");
    }
    for d in &m.altered {
        out!("ALTERED document {d}: its bytes changed on disk; left out of this backup");
    }
    out!(
        "{} documents are missing and {} altered in the store, and not in this backup; see `qualcert audit verify`",
        m.missing.len(),
        m.altered.len()
    );
    Ok(Outcome::No)
}

pub(crate) async fn restore(data: &Path, db: &DatabaseArg, dir: &Path) -> Result<Outcome> {
    let bar = Bar::new();
    let store = store::backup::restore(dir, config(data, db), reference_data(data)?, &bar).await?;
    bar.done();
    for d in store::backup::read_manifest(dir)?.missing {
        out!("MISSING document {d}: it was already lost when the backup was taken");
    }
    out!(
        "restored {} events from {} into {}; the hash chain is intact",
        store.event_count().await?,
        dir.display(),
        data.display()
    );
    Ok(Outcome::Ok)
}

/// `recover --accept-loss`: the loss the witness names, recorded as an event.
pub(crate) async fn recover(data: &Path, db: &DatabaseArg, accept_loss: bool) -> Result<Outcome> {
    if !accept_loss {
        anyhow::bail!(
            "recover only accepts a loss the operator names: run `qualcert recover --accept-loss`, or restore a backup"
        );
    }
    let loss = store::recover::accept_loss(&config(data, db), jiff::Timestamp::now().as_millisecond()).await?;
    out!(
        "accepted the loss of events {}–{}; recorded as event {}; numbers given out before stay out of use",
        loss.from,
        loss.to,
        loss.recorded_as
    );
    Ok(Outcome::Ok)
}

pub(crate) async fn demo(data: &Path, db: &DatabaseArg, cases: u64, start: Date) -> Result<Outcome> {
    let store = open(data, db).await?;
    let bar = Bar::new();
    let s = sim::demo::run(&store, cases, start, &bar).await?;
    bar.done();
    out!(
        "demo: {} applications; {} issued, {} not accepted, {} refused, {} extended, {} re-issued, {} duplicates, {} revoked, {} complaints, {} in progress",
        s.applications,
        s.issued,
        s.not_accepted,
        s.refused,
        s.extended,
        s.reissued,
        s.duplicated,
        s.revoked,
        s.complaints,
        s.in_progress
    );
    Ok(Outcome::Ok)
}

/// The crash test's load: `writers` tasks file applications as fast as they are committed;
/// each acknowledged case number is printed at once (`ack NUMBER`), so a test that kills the
/// process knows exactly what was acknowledged.
pub(crate) async fn stress(data: &Path, db: &DatabaseArg, writers: u64, seconds: u64) -> Result<Outcome> {
    if writers == 0 {
        bail!("--writers must be at least 1");
    }
    let store = open(data, db).await?;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for w in 0..writers {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let mut i = 0u64;
            while tokio::time::Instant::now() < deadline {
                let n = w * 1_000_000 + i;
                i += 1;
                let id = format!("stress-{n}");
                let app = sim::demo::sample_application(&store, n, "astana", &id).await?;
                let actor =
                    rules::Actor { id, role: rules::Role::Applicant, akimat: None, iin: Some(sim::demo::demo_iin(n)) };
                let now: jiff::Timestamp = "2026-03-02T05:00:00Z".parse()?;
                let applied = store.execute(actor, now, Request::Submit { application: Box::new(app) }, None).await?;
                out!("ack {}", applied.number);
            }
            Ok::<_, anyhow::Error>(())
        }));
    }
    for t in tasks {
        t.await??;
    }
    Ok(Outcome::Ok)
}

/// A backup directory argument.
pub(crate) type Dir = PathBuf;

/// `qualcert scenario`: plays each file and prints its steps, then a summary; `No` when any
/// expectation is unmet.
pub(crate) async fn scenarios(paths: Vec<PathBuf>, quiet: bool) -> Result<Outcome> {
    let files = sim::scenario::collect(&paths).context("finding scenario files")?;
    if files.is_empty() {
        anyhow::bail!("no scenario files (*.toml) under the paths given");
    }
    let scratch = std::env::temp_dir();
    let (mut failed, mut steps) = (0usize, 0usize);
    for file in &files {
        let report = sim::scenario::run_file(file, &scratch).await;
        steps += report.steps;
        let verdict = if report.passed() { "ok  " } else { "FAIL" };
        if !quiet || !report.passed() {
            out!("{verdict} {}: {}", file.display(), report.title);
            for line in &report.lines {
                if !quiet || line.trim_start().starts_with("FAIL") || line.starts_with("       ") {
                    out!("{line}");
                }
            }
        }
        if !report.passed() {
            failed += 1;
        }
    }
    out!("{} scenarios, {steps} steps: {} passed, {failed} failed", files.len(), files.len() - failed);
    Ok(if failed == 0 { Outcome::Ok } else { Outcome::No })
}

/// The reports.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum ReportCommand {
    /// The statutory on-time rates per stage, service and akimat, volumes, refusals by ground,
    /// median and 90th-percentile working days, and open cases at risk, for a period.
    Sla {
        /// The first day (YYYY-MM-DD).
        #[arg(long)]
        from: jiff::civil::Date,
        /// The last day (YYYY-MM-DD).
        #[arg(long)]
        to: jiff::civil::Date,
        /// One akimat's code; the whole country by default.
        #[arg(long)]
        akimat: Option<String>,
        /// How to print it.
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
        /// The language of the tables (kk, ru, en); by default the locale's.
        #[arg(long, value_parser = crate::calendar_cmd::parse_lang)]
        lang: Option<rules::Lang>,
    },
}

/// How a report is printed.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum ReportFormat {
    /// Aligned tables for a terminal.
    Table,
    /// CSV, one block per table.
    Csv,
    /// The figures as one JSON object (as `GET /api/v1/reports/sla` gives them).
    Json,
}

pub(crate) async fn report(data: &Path, db: &DatabaseArg, c: ReportCommand) -> Result<Outcome> {
    let ReportCommand::Sla { from, to, akimat, format, lang } = c;
    if from > to {
        bail!("--from {from} is after --to {to}");
    }
    let store = open(data, db).await?;
    let law = &store.reference().law;
    if let Some(a) = &akimat
        && law.akimat(a).is_none()
    {
        bail!("there is no akimat {a}");
    }
    let r = store.report_of(from, to, akimat.as_deref(), jiff::Timestamp::now()).await?;
    let lang = lang.unwrap_or_else(crate::pki_text::from_env);
    match format {
        ReportFormat::Table => out!("{}", web::reports::report_text(&r, lang, law)),
        ReportFormat::Csv => out!("{}", web::reports::report_csv(&r, lang, law)),
        ReportFormat::Json => out!("{}", serde_json::to_string_pretty(&r)?),
    }
    Ok(Outcome::Ok)
}
