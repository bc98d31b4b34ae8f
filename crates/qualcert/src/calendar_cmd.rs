//! `qualcert calendar …`: the working-day calendar from the command line.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Subcommand;
use jiff::Timestamp;
use jiff::civil::Date;
use rules::calendar::{CalendarFile, Day, Derivation, Reason};
use rules::citation::cite;
use rules::hours::{Receipt, received_on};
use rules::{Calendar, Lang};
use serde_json::json;

use crate::Outcome;
use crate::reference;

#[derive(Subcommand)]
pub(crate) enum CalendarCommand {
    /// Working days per month of YEAR, then the year's total.
    Workdays {
        /// The year.
        year: i16,
    },
    /// Each Monday–Friday that is a day off and each Saturday/Sunday that is worked in YEAR,
    /// with its reason.
    Days {
        /// The year.
        year: i16,
        /// Language of the reasons: en, ru or kk.
        #[arg(long, default_value = "en", value_parser = parse_lang)]
        lang: Lang,
    },
    /// When a filing counts as received (App.2 item 7) and when N working days from then end
    /// (R12.2), with the derivation.
    Due {
        /// The instant of filing, RFC 3339 (2026-03-20T18:45:00+05:00).
        #[arg(long, value_parser = parse_instant)]
        received: Timestamp,
        /// N, the working days of the deadline.
        #[arg(long)]
        working_days: u32,
        /// The akimat whose hours and time zone apply (default: 09:00–18:30, Asia/Almaty).
        #[arg(long)]
        akimat: Option<String>,
        /// Language of the explanation: en, ru or kk.
        #[arg(long, default_value = "en", value_parser = parse_lang)]
        lang: Lang,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Checks a calendar file (a year, or the holiday law) and adds it to the data directory,
    /// replacing an earlier import of the same year.
    Import {
        /// The TOML file.
        file: PathBuf,
    },
    /// The years with data, and which are provisional.
    Years,
}

pub(crate) fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::from_tag(s).ok_or_else(|| format!("{s:?} is not a language of the service (kk, ru, en)"))
}

fn parse_instant(s: &str) -> Result<Timestamp, String> {
    s.parse::<Timestamp>()
        .map_err(|e| format!("expected an RFC 3339 instant with an offset, like 2026-03-20T18:45:00+05:00 ({e})"))
}

pub(crate) fn run(data_dir: &Path, cmd: CalendarCommand) -> Result<Outcome> {
    match cmd {
        CalendarCommand::Import { file } => return import(data_dir, &file),
        CalendarCommand::Years => {
            let cal = reference::calendar(data_dir)?;
            for y in cal.years() {
                out!("{y}{}", if cal.is_provisional(y) { " provisional" } else { "" });
            }
            return Ok(Outcome::Ok);
        }
        _ => {}
    }
    let cal = reference::calendar(data_dir)?;
    match cmd {
        CalendarCommand::Workdays { year } => {
            warn_provisional(&cal, year);
            let mut total = 0;
            for m in 1..=12 {
                let n = cal.working_days_in_month(year, m)?;
                total += n;
                out!("{year}-{m:02} {n}");
            }
            out!("{year} total {total}");
        }
        CalendarCommand::Days { year, lang } => {
            warn_provisional(&cal, year);
            for day in cal.exceptions(year)? {
                out!("{} {}", day.date, day_line(&day, lang));
            }
        }
        CalendarCommand::Due { received, working_days, akimat, lang, json } => {
            let (akimat, hours) = reference::working_hours(akimat.as_deref())?;
            let receipt = received_on(&cal, &hours, received)?;
            let derivation = cal.explain_due(receipt.received_on, working_days)?;
            let before = skipped_before_receipt(&cal, &receipt)?;
            if json {
                let out = json!({
                    "received_at": receipt.received_at.to_string(),
                    "akimat": akimat.as_ref().map(|a| a.code.clone()),
                    "zone": hours.zone_name(),
                    "local_time": receipt.local.to_string(),
                    "working_hours": format!("{}-{}", hours.start.strftime("%H:%M"), hours.end.strftime("%H:%M")),
                    "received_on": receipt.received_on.to_string(),
                    "received_why": receipt.why,
                    "received_explanation": receipt.describe(lang, &hours),
                    "received_basis": receipt.basis(),
                    "skipped_before_receipt": before.iter().map(|d| day_json(d, lang)).collect::<Vec<_>>(),
                    "working_days": working_days,
                    "due_on": derivation.due_on.to_string(),
                    "due_basis": cite::PERIOD_FROM_NEXT_DAY,
                    "derivation": derivation.steps.iter().map(|s| json!({
                        "date": s.date.to_string(),
                        "weekday": weekday(s.date),
                        "working_day": s.counted,
                        "reason": s.reason.as_ref().map(|r| r.describe(lang)),
                        "basis": s.reason.as_ref().map(Reason::basis),
                    })).collect::<Vec<_>>(),
                    "warnings": derivation.warnings,
                });
                out!("{}", serde_json::to_string_pretty(&out)?);
            } else {
                print_due(&receipt, &hours, &before, &derivation, lang);
            }
        }
        CalendarCommand::Import { .. } | CalendarCommand::Years => unreachable!("handled above"),
    }
    Ok(Outcome::Ok)
}

fn weekday(d: Date) -> String {
    d.strftime("%a").to_string()
}

fn day_line(day: &Day, lang: Lang) -> String {
    match &day.reason {
        Some(r) => format!("{} [{}]", r.describe(lang), r.basis()),
        None => String::new(),
    }
}

fn day_json(day: &Day, lang: Lang) -> serde_json::Value {
    json!({
        "date": day.date.to_string(),
        "weekday": weekday(day.date),
        "reason": day.reason.as_ref().map(|r| r.describe(lang)),
        "basis": day.reason.as_ref().map(Reason::basis),
    })
}

/// The days off between the filing's local date and the day it counts as received.
fn skipped_before_receipt(cal: &Calendar, receipt: &Receipt) -> Result<Vec<Day>> {
    let mut out = Vec::new();
    let mut d = receipt.local.date();
    while d < receipt.received_on {
        let day = cal.day(d)?;
        if !day.working {
            out.push(day);
        }
        d = d.tomorrow().context("date in range")?;
    }
    Ok(out)
}

fn print_due(receipt: &Receipt, hours: &rules::WorkingHours, before: &[Day], d: &Derivation, lang: Lang) {
    out!("received at  {} ({} {})", receipt.received_at, receipt.local.strftime("%Y-%m-%d %H:%M"), hours.zone_name());
    out!("received on  {}  {} [{}]", receipt.received_on, receipt.describe(lang, hours), receipt.basis());
    for day in before {
        out!("  {} {}  not a working day: {}", day.date, weekday(day.date), day_line(day, lang));
    }
    out!(
        "due on       {}  the close of working day {} after {} (that day not counted) [{}]",
        d.due_on,
        d.working_days,
        d.from,
        cite::PERIOD_FROM_NEXT_DAY
    );
    for s in &d.steps {
        match (s.counted, &s.reason) {
            (Some(k), None) => out!("  {} {}  working day {k}", s.date, weekday(s.date)),
            (Some(k), Some(r)) => {
                out!("  {} {}  working day {k}: {} [{}]", s.date, weekday(s.date), r.describe(lang), r.basis())
            }
            (None, Some(r)) => out!("  {} {}  skipped: {} [{}]", s.date, weekday(s.date), r.describe(lang), r.basis()),
            (None, None) => out!("  {} {}  skipped", s.date, weekday(s.date)),
        }
    }
    for w in &d.warnings {
        let rules::calendar::Warning::ProvisionalDate { date, names } = w;
        out!(
            "warning: {date} ({}) is a provisional date; the deadline may change when it is announced",
            names.get(lang)
        );
    }
}

fn warn_provisional(cal: &Calendar, year: i16) {
    if cal.is_provisional(year) {
        eprintln!(
            "qualcert: warning: {year} has provisional dates (not yet announced); import the announced ones with `qualcert calendar import`"
        );
    }
}

fn import(data_dir: &Path, file: &Path) -> Result<Outcome> {
    let text = fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    if !matches!(store::imports::data_kind(&text).as_deref(), Some("year" | "holiday-law")) {
        CalendarFile::parse(&text).with_context(|| format!("in {}", file.display()))?;
    }
    let imported = store::imports::import(data_dir, &text, "calendar")
        .with_context(|| format!("{} does not fit the calendar", file.display()))?;
    let years: Vec<String> = imported.calendar_years.unwrap_or_default().iter().map(|y| y.to_string()).collect();
    out!("imported {} as {}; the calendar covers {}", file.display(), imported.path.display(), years.join(", "));
    Ok(Outcome::Ok)
}
