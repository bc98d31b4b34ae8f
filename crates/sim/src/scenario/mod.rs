//! Legal scenarios: stories a lawyer writes in TOML and anyone runs (`qualcert scenario`).
//!
//! A scenario is a list of steps: who does what, at which instant (RFC 3339, the time is the
//! input), with what data, followed by what must then hold. Each file is played through the
//! real service layer ([`Store::execute`], the same path the pages and the API take) on a
//! scratch database with the law shipped in `crates/rules/data`, so a scenario checks the
//! rules, the store and the calendar together and cannot pass by reaching around them. The
//! format is in `docs/scenarios.md`; every key a file may use is read here, and a key this
//! runner does not know is an error naming the step, so a typo never silently checks nothing.

mod build;
mod judge;
mod stage;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use jiff::Timestamp;
use rules::Lang;
use rules::certificate::Holder;
use rules::ids::Iin;
use rules::numbers::CaseNumber;
use toml::{Table, Value};

use crate::demo::demo_iin;
use build::build;
use build::obtain_certificate;
use judge::judge;
use stage::Cast;
use stage::Done;
use stage::Fields;
use stage::Stage;
use store::{Config, Reference, Store, StoreError};

/// The result of one scenario file.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The file.
    pub path: PathBuf,
    /// Its title.
    pub title: String,
    /// One line per step, as printed.
    pub lines: Vec<String>,
    /// Steps played.
    pub steps: usize,
    /// Unmet expectations (or a file that could not be read), each naming its step.
    pub failures: Vec<String>,
}

impl Report {
    /// Every expectation was met.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// What went wrong before any step could be judged: the file itself.
fn bad_file(path: &Path, message: String) -> Report {
    Report {
        path: path.to_owned(),
        title: String::new(),
        lines: vec![format!("  FAIL {message}")],
        steps: 0,
        failures: vec![message],
    }
}

/// Runs one scenario file on its own scratch database under `scratch` (removed afterwards).
pub async fn run_file(path: &Path, scratch: &Path) -> Report {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => return bad_file(path, format!("cannot read {}: {e}", path.display())),
    };
    let table: Table = match text.parse() {
        Ok(t) => t,
        Err(e) => return bad_file(path, format!("{} is not valid TOML: {e}", path.display())),
    };
    static RUN: AtomicU64 = AtomicU64::new(0);
    let dir = scratch.join(format!("scenario-{}-{}", std::process::id(), RUN.fetch_add(1, Ordering::Relaxed)));
    let _ = std::fs::remove_dir_all(&dir);
    let report = match Reference::embedded() {
        Ok(reference) => match Store::open(Config::in_data_dir(&dir), reference).await {
            Ok(store) => play(path, table, &store).await,
            Err(e) => bad_file(path, format!("cannot open a scratch database: {e}")),
        },
        Err(e) => bad_file(path, format!("the shipped law does not load: {e}")),
    };
    let _ = std::fs::remove_dir_all(&dir);
    report
}

/// Every `*.toml` under `paths` (files as given, directories searched), sorted.
pub fn collect(paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found)?;
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
    Ok(())
}

async fn play(path: &Path, mut table: Table, store: &Store) -> Report {
    let mut report = Report { path: path.to_owned(), ..Report::default() };
    let mut top = Fields { table: std::mem::take(&mut table), step: "the file".into() };
    let header = (|| -> Result<(String, Vec<Value>, Cast), String> {
        let title = top.text("title")?.ok_or("the file needs a `title`")?;
        top.list("cites")?.ok_or("the file needs `cites`: the requirements or paragraphs it checks")?;
        let akimat = top.text("akimat")?.unwrap_or_else(|| "astana".into());
        let mut applicant = Holder {
            iin: demo_iin(7),
            surname: "Karimov".into(),
            given_name: "Bakhtiyor".into(),
            patronymic: None,
            document_number: "P1234567".into(),
            document_issued_on: jiff::civil::date(2021, 6, 1),
            document_issued_by: "Ministry of Internal Affairs of Uzbekistan".into(),
        };
        if let Some(mut a) = top.table("applicant")? {
            if let Some(iin) = a.text("iin")? {
                applicant.iin = Iin::parse(&iin).map_err(|e| format!("applicant `iin`: {e}"))?;
            }
            if let Some(s) = a.text("surname")? {
                applicant.surname = s;
            }
            if let Some(s) = a.text("given_name")? {
                applicant.given_name = s;
            }
            a.finish()?;
        }
        let steps = match top.take("step") {
            Some(Value::Array(steps)) if !steps.is_empty() => steps,
            _ => return Err("the file needs at least one `[[step]]`".into()),
        };
        Ok((title, steps, Cast { akimat, applicant, representative: None }))
    })();
    let (title, steps, cast) = match header.and_then(|h| top.finish().map(|()| h)) {
        Ok(h) => h,
        Err(e) => return bad_file(path, e),
    };
    report.title = title;
    let mut stage =
        Stage { store, cast, case: None, certificate: None, complaint: None, labels: Vec::new(), numbers: Vec::new() };
    for (i, step) in steps.into_iter().enumerate() {
        let n = i + 1;
        report.steps = n;
        let Value::Table(table) = step else {
            report.failures.push(format!("step {n}: not a table"));
            break;
        };
        match run_step(&mut stage, n, table).await {
            Ok((line, unmet)) => {
                let mark = if unmet.is_empty() { "ok  " } else { "FAIL" };
                report.lines.push(format!("  {mark} step {n}: {line}"));
                for u in unmet {
                    report.lines.push(format!("       {u}"));
                    report.failures.push(format!("step {n} ({line}): {u}"));
                }
            }
            Err(e) => {
                let e = if e.starts_with(&format!("step {n}")) { e } else { format!("step {n}: {e}") };
                report.lines.push(format!("  FAIL {e}"));
                report.failures.push(e);
                // Later steps build on this one: going on would only report its echo.
                break;
            }
        }
    }
    report
}

/// Plays one step; `Err` when it cannot be played at all (bad data, a server fault).
async fn run_step(stage: &mut Stage<'_>, n: usize, table: Table) -> Result<(String, Vec<String>), String> {
    let mut f = Fields { table, step: format!("step {n}") };
    let at_text = f.text("at")?.ok_or_else(|| format!("step {n} needs `at`, an RFC 3339 instant"))?;
    let at: Timestamp = at_text.parse().map_err(|e| format!("step {n}: `at` = {at_text:?}: {e}"))?;
    let action = f.text("do")?.ok_or_else(|| format!("step {n} needs `do`; see docs/scenarios.md"))?;
    let expect = f.table("expect")?;
    let label = f.text("label")?;
    if let Some(name) = f.text("case")? {
        let found = stage.labels.iter().find(|(l, _)| *l == name).map(|(_, c)| c.clone());
        stage.case = Some(found.ok_or_else(|| format!("step {n}: no case is labelled `{name}`"))?);
    }
    let who_given = f.text("who")?;
    let default_who = match action.as_str() {
        "apply" if stage.cast.representative.is_some() => "representative",
        "apply" | "notify-new-employer" | "notify-contract-end" | "complain" => "applicant",
        "decide" => "commission",
        "decide-complaint" => match stage.complaint_state().await? {
            Some(rules::complaint::ComplaintState::UnderReview) => "reviewer",
            _ => "officer",
        },
        _ => "officer",
    };
    let who = who_given.unwrap_or_else(|| default_who.to_owned());
    let actor = stage.cast.actor(&who).map_err(|e| format!("step {n}: {e}"))?;
    if action == "obtain-certificate" {
        obtain_certificate(stage, &mut f, at).await?;
        f.finish()?;
        let line =
            format!("{at_text} {action} → {}", stage.certificate.as_ref().map(ToString::to_string).unwrap_or_default());
        let expect = expect.unwrap_or_else(|| Fields { table: Table::new(), step: format!("step {n}") });
        return Ok((line, judge(stage, expect, at, &Done::Applied).await?));
    }
    let request = build(stage, &action, &mut f, at, &actor).await?;
    f.finish()?;
    let done = match request {
        None => Done::Applied,
        Some(request) => match stage.store.execute(actor, at, request, None).await {
            Ok(applied) => {
                match action.as_str() {
                    "apply" => {
                        let number = CaseNumber::parse(&applied.number).map_err(|e| e.to_string())?;
                        if let Some(l) = &label {
                            stage.labels.push((l.clone(), number.clone()));
                        }
                        stage.case = Some(number);
                    }
                    "complain" => {
                        stage.complaint = Some(CaseNumber::parse(&applied.number).map_err(|e| e.to_string())?)
                    }
                    _ => {}
                }
                stage.remember_certificate().await?;
                Done::Applied
            }
            Err(StoreError::Refused(r)) => Done::Refused(r),
            Err(e) => return Err(format!("the service failed: {e}")),
        },
    };
    let mut line = format!("{at_text} {who} {action}");
    match &done {
        Done::Refused(r) => {
            let _ = write!(line, " → refused: {}", r.message(Lang::En));
        }
        Done::Applied if action.ends_with("complaint") || action == "complain" => {
            if let Some(c) = stage.current_complaint().await? {
                let due = c.due.as_ref().map(|d| format!("; due {} [{}]", d.on, d.citation)).unwrap_or_default();
                let _ = write!(line, " → complaint {}: {}{due}", c.number, c.state.name(Lang::En));
            }
        }
        Done::Applied
            if matches!(action.as_str(), "revoke" | "notify-new-employer" | "notify-contract-end" | "check") =>
        {
            if let Some(n) = &stage.certificate
                && let Some(c) = stage.store.certificate(n).await.map_err(|e| e.to_string())?
            {
                let _ = write!(line, " → certificate {n}: {}", c.status_on(stage.local_date(at)?).describe(Lang::En));
            }
        }
        Done::Applied => {
            if let Some(case) = stage.current_case().await? {
                let _ = write!(line, " → {}", case.status(Lang::En));
            }
        }
    }
    // Without `expect` a step must simply be accepted, in plain language.
    let expect = expect.unwrap_or_else(|| Fields { table: Table::new(), step: format!("step {n}") });
    let unmet = judge(stage, expect, at, &done).await?;
    Ok((line, unmet))
}
