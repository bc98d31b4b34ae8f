//! `qualcert rules …`: the law's data in force on a date, and imports of new data.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Subcommand;
use jiff::civil::Date;
use rules::Lang;
use rules::assessment::Scale;

use crate::Outcome;
use crate::reference;

#[derive(Subcommand)]
pub(crate) enum RulesCommand {
    /// Prints what is in force on a date: parameters, deadlines, readings, criteria and the
    /// list of professions, each with its citation.
    Explain {
        /// The date (YYYY-MM-DD); today in Asia/Almaty when omitted.
        #[arg(long)]
        date: Option<Date>,
        /// Language of names: en, ru or kk.
        #[arg(long, default_value = "en", value_parser = parse_lang)]
        lang: Lang,
    },
    /// Checks a rule-sets, criteria or catalogue file and adds it to the data directory; a set,
    /// table or list version with the same id replaces the earlier one.
    Import {
        /// The TOML file.
        file: PathBuf,
    },
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::from_tag(s).ok_or_else(|| format!("{s:?} is not a language of the service (kk, ru, en)"))
}

pub(crate) fn run(data_dir: &Path, cmd: RulesCommand) -> Result<Outcome> {
    match cmd {
        RulesCommand::Explain { date, lang } => explain(data_dir, date, lang),
        RulesCommand::Import { file } => import(data_dir, &file),
    }
}

use rules::case::Ground;
use rules::documents::Checklist;

fn explain(data_dir: &Path, date: Option<Date>, lang: Lang) -> Result<Outcome> {
    let date = match date {
        Some(d) => d,
        None => jiff::tz::TimeZone::get("Asia/Almaty")?.to_datetime(jiff::Timestamp::now()).date(),
    };
    let law = reference::law(data_dir)?;
    let in_force = law.in_force_on(date).map_err(|r| anyhow::anyhow!(r.message(Lang::En)))?;
    let set = in_force.rules;
    out!("rule set in force on {date}: {} (from {})", set.id, set.effective_from);
    out!("  {}", set.title);
    if let Some(note) = &set.note {
        out!("  note: {note}");
    }
    out!("deadlines (working days):");
    for (name, d) in set.deadlines.all() {
        out!("  {name:<28} {:>2}  {} [{}]", d.working_days, d.requirement, d.citation);
    }
    out!("reviewing bodies (Rules §24 para 1), working days from registration there:");
    for (name, b) in set.reviewing_bodies.all() {
        out!("  {name:<28} {:>2}  {} [{}]", b.working_days, b.requirement, b.citation);
        out!("  {:<28}     Reading: {}", "", b.reading);
    }
    out!("terms:");
    for (name, t) in set.terms.all() {
        out!("  {name:<28} {:>2}  {} [{}]", t.value, t.requirement, t.citation);
    }
    out!("documents each service needs (App.2 item 8):");
    let lists = &set.checklists;
    for which in [
        Checklist::Issue,
        Checklist::Extend,
        Checklist::ReissueChangedData,
        Checklist::ReissueNewEmployer,
        Checklist::Duplicate,
    ] {
        out!("  {}:", data_name(&which));
        for r in lists.list(which) {
            out!("    {} [{}]", r.describe(lang), r.citation.localized(lang));
        }
    }
    let rep = &lists.representative;
    out!("  filed by a representative, also: {} [{}]", rep.describe(lang), rep.citation.localized(lang));
    out!("refusal grounds (App.2 item 9) and the services each may end:");
    for g in Ground::ALL {
        let rule = set.grounds.rule(g);
        let services: Vec<String> = rule.services.iter().map(data_name).collect();
        out!("  {} [{}]: {}", g.name(lang, set), rule.citation.localized(lang), services.join(", "));
    }
    let h = &set.working_hours;
    let lunch =
        h.lunch.map(|(a, b)| format!(", lunch {}–{}", a.strftime("%H:%M"), b.strftime("%H:%M"))).unwrap_or_default();
    out!(
        "working hours until an akimat records its own: {}–{}{lunch} [{}]",
        h.start.strftime("%H:%M"),
        h.end.strftime("%H:%M"),
        h.citation
    );
    if set.citations.0.is_empty() {
        out!("paragraph numbers: as the code cites them (order No. 236 as amended by No. 426)");
    } else {
        out!("paragraphs renumbered by this set:");
        for (from, to) in &set.citations.0 {
            out!("  {from} is now {to}");
        }
    }
    let r = &set.readings;
    out!("readings (REQUIREMENTS.md):");
    out!("  commission_quorum            {}  R4.4", data_name(&r.commission_quorum));
    out!("  extension_counted_from       {}  R5.1", data_name(&r.extension_counted_from));
    out!("  reissue_keeps_validity       {}  R8.3, R11.2", r.reissue_keeps_validity);

    print_criteria_and_list(&in_force, lang);
    Ok(Outcome::Ok)
}

/// The criteria and the list of professions in force, as `explain` prints them, each marked
/// when it is the shipped sample.
fn print_criteria_and_list(in_force: &rules::law::InForce<'_>, lang: Lang) {
    let set = in_force.rules;
    let c = in_force.criteria;
    let sample = |s: bool| if s { "  [SAMPLE, not the official text]" } else { "" };
    out!("criteria: {} (from {}){}", c.id, c.effective_from, sample(c.sample));
    out!("  {}", c.title);
    out!("  pass mark: {} points [{}]", set.terms.pass_mark_points.value, set.terms.pass_mark_points.citation);
    for cr in &c.criteria {
        out!("  {} (up to {} points) [{}]", cr.question.get(lang), cr.max_points(), cr.citation);
        match &cr.scale {
            Scale::Choice { options } => {
                for o in options {
                    out!("    {:<12} {} points: {}", o.id, o.points, o.label.get(lang));
                }
            }
            Scale::YesNo { yes, no } => out!("    yes {yes} points, no {no} points"),
            Scale::Years { bands } => {
                for b in bands {
                    out!("    from {} years: {} points", b.min, b.points);
                }
            }
        }
    }
    let l = in_force.catalogue;
    out!("list of priority sectors and professions: {} (from {}){}", l.id, l.effective_from, sample(l.sample));
    out!("  {} [{}]", l.title, l.citation);
    for s in &l.sectors {
        out!("  OKED {}: {}", s.oked, s.names.get(lang));
        for p in &s.professions {
            out!("    {} {}", p.code, p.names.get(lang));
        }
    }
}

/// The data-file spelling of a value (`more-than-half`).
fn data_name<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

fn import(data_dir: &Path, file: &Path) -> Result<Outcome> {
    let text = fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("import");
    let imported =
        store::imports::import(data_dir, &text, stem).with_context(|| format!("{} is not valid", file.display()))?;
    out!("imported {} as {}", file.display(), imported.path.display());
    Ok(Outcome::Ok)
}
