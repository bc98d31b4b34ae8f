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
    /// Tries a proposed `rule-sets` file on the real caseload: the period's cases replayed as
    /// if it had been in force, counting the outcomes, deadlines and overdue flags that would
    /// change, by service and akimat, with examples. Nothing is written.
    Impact {
        /// The proposed rule-sets file (`kind = "rule-sets"`).
        file: PathBuf,
        #[command(flatten)]
        period: crate::store_cmd::Period,
        /// `table` (lines) or `json` (`cases`, `outcomes_changed`, `deadlines_changed`,
        /// `overdue_changed`, `examples`, …).
        #[arg(long, default_value = "table")]
        format: String,
    },
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::from_tag(s).ok_or_else(|| format!("{s:?} is not a language of the service (kk, ru, en)"))
}

pub(crate) fn run(data_dir: &Path, db: &crate::store_cmd::DatabaseArg, cmd: RulesCommand) -> Result<Outcome> {
    match cmd {
        RulesCommand::Explain { date, lang } => explain(data_dir, date, lang),
        RulesCommand::Import { file } => import(data_dir, &file),
        RulesCommand::Impact { file, period, format } => {
            crate::block_on(crate::store_cmd::impact(data_dir, db, &file, &period, &format))
        }
    }
}

use rules::case::Ground;
use rules::documents::Checklist;
use rules::speech::Arg;

fn explain(data_dir: &Path, date: Option<Date>, lang: Lang) -> Result<Outcome> {
    let date = match date {
        Some(d) => d,
        None => jiff::tz::TimeZone::get("Asia/Almaty")?.to_datetime(jiff::Timestamp::now()).date(),
    };
    let law = reference::law(data_dir)?;
    let in_force = law.in_force_on(date).map_err(|r| anyhow::anyhow!(r.message(lang)))?;
    let set = in_force.rules;
    let say = |key: &str, args: &[(&str, Arg<'_>)]| rules::speech::say(lang, key, args);
    let cite = |c: &rules::Citation| c.localized(lang);
    let day = |d: Date| Arg::from(d.to_string());
    out!(
        "{}",
        say(
            "explain-in-force",
            &[("date", day(date)), ("id", set.id.as_str().into()), ("from", day(set.effective_from))]
        )
    );
    out!("  {}", set.title);
    if let Some(note) = &set.note {
        out!("  {}", say("explain-note", &[("note", note.as_str().into())]));
    }
    out!("{}", say("explain-deadlines", &[]));
    for (name, d) in set.deadlines.all() {
        out!("  {name:<28} {:>2}  {} [{}]", d.working_days, d.requirement, cite(&d.citation));
    }
    out!("{}", say("explain-bodies", &[]));
    for (name, b) in set.reviewing_bodies.all() {
        out!("  {name:<28} {:>2}  {} [{}]", b.working_days, b.requirement, cite(&b.citation));
        out!("  {:<28}     {}", "", say("explain-reading", &[("reading", b.reading.as_str().into())]));
    }
    out!("{}", say("explain-terms", &[]));
    for (name, t) in set.terms.all() {
        out!("  {name:<28} {:>2}  {} [{}]", t.value, t.requirement, cite(&t.citation));
    }
    print_checklists(set, lang);
    out!("{}", say("explain-grounds", &[]));
    for g in Ground::ALL {
        let rule = set.grounds.rule(g);
        let services: Vec<String> = rule.services.iter().map(|s| s.name(lang).to_owned()).collect();
        out!("  {} [{}]: {}", g.name(lang, set), cite(&rule.citation), services.join(", "));
    }
    print_hours_and_numbering(set, lang);
    let r = &set.readings;
    out!("{}", say("explain-readings", &[]));
    out!("  commission_quorum            {}  R4.4", data_name(&r.commission_quorum));
    out!("  extension_counted_from       {}  R5.1", data_name(&r.extension_counted_from));
    out!("  reissue_keeps_validity       {}  R8.3, R11.2", r.reissue_keeps_validity);
    out!("  first_term_from              {}  R4.7", data_name(&r.first_term_from));
    out!("  terms_counted_from           {}  R3.7", data_name(&r.terms_counted_from));
    out!("  revoked_from                 {}  R7.1", data_name(&r.revoked_from));

    print_criteria_and_list(&in_force, lang);
    Ok(Outcome::Ok)
}

/// The documents each service needs (App.2 item 8), as `explain` prints them.
fn print_checklists(set: &rules::RuleSet, lang: Lang) {
    out!("{}", rules::speech::say(lang, "explain-documents", &[]));
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
    let args = [("document", Arg::from(rep.describe(lang))), ("citation", rep.citation.localized(lang).into())];
    out!("  {}", rules::speech::say(lang, "explain-representative", &args));
}

/// The default working hours and the set's paragraph numbering, as `explain` prints them.
fn print_hours_and_numbering(set: &rules::RuleSet, lang: Lang) {
    let say = |key: &str, args: &[(&str, Arg<'_>)]| rules::speech::say(lang, key, args);
    let clock = |t: jiff::civil::Time| Arg::from(t.strftime("%H:%M").to_string());
    let h = &set.working_hours;
    let hours = say(
        "explain-hours",
        &[("start", clock(h.start)), ("end", clock(h.end)), ("citation", h.citation.localized(lang).into())],
    );
    let lunch = h.lunch.map(|(a, b)| format!(" ({})", say("explain-lunch", &[("start", clock(a)), ("end", clock(b))])));
    out!("{hours}{}", lunch.unwrap_or_default());
    if set.citations.0.is_empty() {
        out!("{}", say("explain-numbering-same", &[]));
    } else {
        out!("{}", say("explain-renumbered", &[]));
        for (from, to) in &set.citations.0 {
            out!("  {}", say("explain-renumbered-line", &[("from", from.as_str().into()), ("to", to.as_str().into())]));
        }
    }
}

/// The criteria and the list of professions in force, as `explain` prints them, each marked
/// when it is the shipped sample.
fn print_criteria_and_list(in_force: &rules::law::InForce<'_>, lang: Lang) {
    let say = |key: &str, args: &[(&str, Arg<'_>)]| rules::speech::say(lang, key, args);
    let set = in_force.rules;
    let c = in_force.criteria;
    let sample = |s: bool| if s { format!("  {}", say("explain-sample", &[])) } else { String::new() };
    let from = |d: Date| Arg::from(d.to_string());
    out!(
        "{}{}",
        say("explain-criteria", &[("id", c.id.as_str().into()), ("from", from(c.effective_from))]),
        sample(c.sample)
    );
    out!("  {}", c.title);
    let pass = &set.terms.pass_mark_points;
    out!(
        "  {}",
        say("explain-pass-mark", &[("points", pass.value.into()), ("citation", pass.citation.localized(lang).into())])
    );
    for cr in &c.criteria {
        let args = [
            ("question", Arg::from(cr.question.get(lang))),
            ("points", cr.max_points().into()),
            ("citation", cr.citation.localized(lang).into()),
        ];
        out!("  {}", say("explain-criterion", &args));
        match &cr.scale {
            Scale::Choice { options } => {
                for o in options {
                    let args = [
                        ("id", Arg::from(o.id.as_str())),
                        ("points", o.points.into()),
                        ("label", o.label.get(lang).into()),
                    ];
                    out!("    {}", say("explain-option", &args));
                }
            }
            Scale::YesNo { yes, no } => {
                out!("    {}", say("explain-yes-no", &[("yes", (*yes).into()), ("no", (*no).into())]))
            }
            Scale::Years { bands } => {
                for b in bands {
                    out!("    {}", say("explain-band", &[("years", b.min.into()), ("points", b.points.into())]));
                }
            }
        }
    }
    let l = in_force.catalogue;
    out!(
        "{}{}",
        say("explain-list", &[("id", l.id.as_str().into()), ("from", from(l.effective_from))]),
        sample(l.sample)
    );
    out!("  {} [{}]", l.title, l.citation.localized(lang));
    for s in &l.sectors {
        out!("  {}", say("explain-sector", &[("oked", s.oked.as_str().into()), ("name", s.names.get(lang).into())]));
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
