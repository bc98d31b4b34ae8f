//! `qualcert rules …`: the law's parameters in force on a date.

use std::path::Path;

use anyhow::{Context, Result};
use clap::Subcommand;
use jiff::civil::Date;

use crate::Outcome;
use crate::reference;

#[derive(Subcommand)]
pub(crate) enum RulesCommand {
    /// Prints the rule set in force on a date, each value with its citation.
    Explain {
        /// The date (YYYY-MM-DD); today in Asia/Almaty when omitted.
        #[arg(long)]
        date: Option<Date>,
    },
}

pub(crate) fn run(data_dir: &Path, cmd: RulesCommand) -> Result<Outcome> {
    let RulesCommand::Explain { date } = cmd;
    let date = match date {
        Some(d) => d,
        None => jiff::tz::TimeZone::get("Asia/Almaty")?.to_datetime(jiff::Timestamp::now()).date(),
    };
    let book = reference::rule_book(data_dir)?;
    let set = book.in_force_on(date).context("choosing the rule set")?;
    out!("rule set in force on {date}: {} (from {})", set.id, set.effective_from);
    out!("  {}", set.title);
    if let Some(note) = &set.note {
        out!("  note: {note}");
    }
    out!("deadlines (working days):");
    for (name, d) in set.deadlines.all() {
        out!("  {name:<28} {:>2}  {} [{}]", d.working_days, d.requirement, d.citation);
    }
    out!("terms:");
    for (name, t) in set.terms.all() {
        out!("  {name:<28} {:>2}  {} [{}]", t.value, t.requirement, t.citation);
    }
    Ok(Outcome::Ok)
}
