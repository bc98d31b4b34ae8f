//! `qualcert`: the service and its administrative commands, one binary.
//!
//! This is the only crate that reads the clock, the environment and the data directory; it
//! hands what it reads to the `rules` core as plain values.

/// `println!` that ends the process quietly when the reader has gone (`qualcert … | head`)
/// instead of panicking on the broken pipe.
macro_rules! out {
    ($($t:tt)*) => { $crate::emit(format_args!($($t)*)) };
}

mod calendar_cmd;
mod id_cmd;
mod reference;
mod rules_cmd;

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

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Calendar(c) => calendar_cmd::run(&cli.data, c),
        Command::Id(c) => id_cmd::run(c),
        Command::Rules(c) => rules_cmd::run(&cli.data, c),
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
