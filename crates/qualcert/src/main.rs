//! `qualcert`: the service and its administrative commands, one binary.
//!
//! This binary reads the environment and the data directory. The clock is read here and at
//! the edges (`web`, `store`) and handed to the `rules` core as a plain value: the core never
//! reads it.

/// `println!` that ends the process quietly when the reader has gone (`qualcert … | head`)
/// instead of panicking on the broken pipe.
macro_rules! out {
    ($($t:tt)*) => { $crate::emit(format_args!($($t)*)) };
}

/// mimalloc rather than the system's: the service allocates a great deal of short-lived
/// JSON, rows and strings, and a replay of recorded decisions ran a third faster with it
/// (`cargo bench -p store --bench replay`, 41k against 55k commands a second on one core).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod calendar_cmd;
mod case_cmd;
mod cert_cmd;
mod id_cmd;
mod logging;
mod pki_cmd;
mod pki_text;
mod reference;
mod rules_cmd;
mod store_cmd;

use std::fmt;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// qualcert: certificates of qualification conformity for self-employment (Republic of
/// Kazakhstan, order No. 236 as amended by order No. 426).
#[derive(Parser)]
#[command(name = "qualcert", version, about, long_about = None)]
struct Cli {
    /// The data directory: database, documents, imported calendars and rule sets.
    #[arg(long, global = true, env = "QUALCERT_DATA", default_value = "qualcert-data")]
    data: PathBuf,
    #[command(flatten)]
    database: store_cmd::DatabaseArg,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The working-day calendar: working days, days off, deadlines, imports.
    #[command(subcommand)]
    Calendar(calendar_cmd::CalendarCommand),
    /// Identifiers: check an IIN or a BIN.
    #[command(subcommand)]
    Id(id_cmd::IdCommand),
    /// The law's parameters in force.
    #[command(subcommand)]
    Rules(rules_cmd::RulesCommand),
    /// The register of certificates.
    #[command(subcommand)]
    Certificate(cert_cmd::CertificateCommand),
    /// A case's documents.
    #[command(subcommand)]
    Case(case_cmd::CaseCommand),
    /// A local CA and signing keys for development and the demo.
    #[command(subcommand)]
    Pki(pki_cmd::PkiCommand),
    /// Signs FILE: writes a CMS signature (DER). RSA and EC keys make what `openssl cms
    /// -verify` checks; GOST keys (an NCA PKCS #12, or `pki init --gost`) make KalkanCrypt's
    /// layout, which NCALayer and `qualcert verify` check.
    Sign {
        /// The document.
        file: PathBuf,
        /// The private key (PEM): RSA, EC or GOST (PKCS #8).
        #[arg(long, requires = "cert", conflicts_with = "p12")]
        key: Option<PathBuf>,
        /// Its certificate (PEM, then any intermediates).
        #[arg(long, requires = "key")]
        cert: Option<PathBuf>,
        /// An NCA key store (PKCS #12) instead of --key and --cert.
        #[arg(long, required_unless_present = "key")]
        p12: Option<PathBuf>,
        /// The environment variable holding the PKCS #12 password.
        #[arg(long, default_value = "QUALCERT_P12_PASSWORD")]
        password_env: String,
        /// Put the document inside the signature (GOST only).
        #[arg(long)]
        attached: bool,
        /// Where to write the signature; FILE.p7s by default.
        #[arg(long)]
        out: Option<PathBuf>,
        /// The language of messages (kk, ru, en); by default the locale's.
        #[arg(long, value_parser = calendar_cmd::parse_lang)]
        lang: Option<rules::Lang>,
    },
    /// Checks a CMS signature: `verify [FILE] SIG` (FILE absent for an attached signature).
    /// Exit 0 genuine, 1 not genuine, 2 unusable input.
    Verify {
        /// The signed file (omit for an attached signature), then the signature: DER, PEM
        /// (`-----BEGIN CMS-----`) or base64 as NCALayer returns it.
        #[arg(num_args = 1..=2, required = true, value_name = "[FILE] SIG")]
        paths: Vec<PathBuf>,
        /// More trusted certificates: a PEM or DER file, or a directory of them (and of CRLs).
        /// The national CA's production roots and DATA/pki's are always trusted.
        #[arg(long, alias = "ca", value_name = "PEM_OR_DIR")]
        trust: Vec<PathBuf>,
        /// Also trust the national CA's TEST root (test keys; never in production).
        #[arg(long)]
        nca_test: bool,
        /// Judge as of this instant (RFC 3339), for an audit.
        #[arg(long)]
        at: Option<jiff::Timestamp>,
        /// One JSON object instead of lines.
        #[arg(long)]
        json: bool,
        /// The language of the report (kk, ru, en); by default the locale's.
        #[arg(long, value_parser = calendar_cmd::parse_lang)]
        lang: Option<rules::Lang>,
    },
    /// Runs the web service (pages and API) on the data directory's database.
    Serve {
        /// Port.
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Load demo cases first (when the database is empty) and print what to try.
        #[arg(long)]
        demo: bool,
    },
    /// Does the background work (delivering notices by mail) without serving pages.
    Worker,
    /// Creates the database or brings its schema up to date.
    Migrate,
    /// Tamper evidence: verify the hash chain of every event.
    #[command(subcommand)]
    Audit(store_cmd::AuditCommand),
    /// Takes a consistent online backup of the database and the documents into DIR.
    Backup {
        /// An empty or new directory.
        dir: store_cmd::Dir,
    },
    /// Restores a backup from DIR into an empty database (the data directory's, or --database).
    Restore {
        /// The backup.
        dir: store_cmd::Dir,
    },
    /// After the service refused to start on a database behind its witness (it lost committed
    /// events): records the loss as an event and keeps every number already given out of use.
    /// Prefer `restore` from a backup; this is for a loss that is known and accepted.
    Recover {
        /// Required: the missing events are accepted as lost.
        #[arg(long)]
        accept_loss: bool,
    },
    /// Runs synthetic applicants through realistic lifecycles, through the real service layer.
    Demo {
        /// How many applicants.
        #[arg(long, default_value_t = 200)]
        cases: u64,
        /// The first working day of the demo's calendar.
        #[arg(long, default_value = "2026-02-02")]
        start: jiff::civil::Date,
    },
    /// Reports from the pre-aggregated figures.
    #[command(subcommand)]
    Report(store_cmd::ReportCommand),
    /// Plays legal scenario files (docs/scenarios.md), each on its own scratch database with
    /// the shipped law: one line per step, a summary, exit 1 on any unmet expectation.
    Scenario {
        /// Scenario files, or directories searched for `*.toml`.
        #[arg(required = true)]
        paths: Vec<std::path::PathBuf>,
        /// Print only failures and the summary.
        #[arg(long)]
        quiet: bool,
    },
    /// Load for the crash test: concurrent writers printing each acknowledged case.
    #[command(hide = true)]
    Stress {
        /// Concurrent writers.
        #[arg(long, default_value_t = 64)]
        writers: u64,
        /// How long to write.
        #[arg(long, default_value_t = 30)]
        seconds: u64,
    },
}

/// How a command ended when it did not fail: success, or a clear "no" (exit code 1).
pub(crate) enum Outcome {
    Ok,
    No,
}

/// Writes one line to stdout; a closed pipe ends the process with success, as `head` expects.
pub(crate) fn emit(args: fmt::Arguments<'_>) {
    let mut stdout = io::stdout().lock();
    if let Err(e) = writeln!(stdout, "{args}") {
        if e.kind() == io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("qualcert: error: writing output: {e}");
        std::process::exit(2);
    }
}

/// Runs an async command on a multi-threaded runtime.
fn block_on<F: std::future::Future<Output = anyhow::Result<Outcome>>>(f: F) -> anyhow::Result<Outcome> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build()?.block_on(f)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // RSA and ECDSA keys are checked by OpenSSL inside kzpki's one verification path.
    docs::gost::install_provider();
    let (data, db) = (cli.data.as_path(), &cli.database);
    let result = match cli.command {
        Command::Calendar(c) => calendar_cmd::run(data, c),
        Command::Id(c) => id_cmd::run(c),
        Command::Rules(c) => rules_cmd::run(data, db, c),
        Command::Certificate(c) => block_on(cert_cmd::run(data, db, c)),
        Command::Case(c) => block_on(case_cmd::run(data, db, c)),
        Command::Pki(c) => pki_cmd::run(data, c),
        Command::Sign { file, key, cert, p12, password_env, attached, out, lang } => {
            let lang = lang.unwrap_or_else(pki_text::from_env);
            pki_cmd::sign(&file, pki_cmd::KeySource::new(key, cert, p12, &password_env), attached, out, lang)
        }
        Command::Verify { paths, trust, nca_test, at, json, lang } => {
            let lang = lang.unwrap_or_else(pki_text::from_env);
            pki_cmd::verify(data, &paths, &pki_cmd::TrustArgs { trust, nca_test }, at, json, lang)
        }
        Command::Serve { port, bind, demo } => block_on(store_cmd::serve(data, db, bind, port, demo)),
        Command::Worker => block_on(store_cmd::worker(data, db)),
        Command::Migrate => block_on(store_cmd::migrate(data, db)),
        Command::Audit(c) => block_on(store_cmd::audit(data, db, c)),
        Command::Backup { dir } => block_on(store_cmd::backup(data, db, &dir)),
        Command::Restore { dir } => block_on(store_cmd::restore(data, db, &dir)),
        Command::Recover { accept_loss } => block_on(store_cmd::recover(data, db, accept_loss)),
        Command::Demo { cases, start } => block_on(store_cmd::demo(data, db, cases, start)),
        Command::Report(c) => block_on(store_cmd::report(data, db, c)),
        Command::Scenario { paths, quiet } => block_on(store_cmd::scenarios(paths, quiet)),
        Command::Stress { writers, seconds } => block_on(store_cmd::stress(data, db, writers, seconds)),
    };
    match result {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::No) => ExitCode::from(1),
        Err(e) => {
            // One line: the error and its causes, joined; multi-line messages (a TOML parser's
            // excerpt) are folded so scripts and people read one line.
            let text = format!("{e:#}");
            let one_line: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
            eprintln!("qualcert: error: {}", one_line.join(" "));
            ExitCode::from(2)
        }
    }
}
