//! Legal scenarios: stories a lawyer writes in TOML and anyone runs (`qualcert scenario`).
//!
//! A scenario is a list of steps: who does what, at which instant (RFC 3339, the time is the
//! input), with what data, followed by what must then hold. Each file is played through the
//! real service layer ([`Store::execute`], the same path the pages and the API take) on a
//! scratch database with the law shipped in `crates/rules/data`, so a scenario checks the
//! rules, the store and the calendar together and cannot pass by reaching around them. The
//! format is in `docs/scenarios.md`; every key a file may use is read here, and a key this
//! runner does not know is an error naming the step, so a typo never silently checks nothing.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use jiff::Timestamp;
use jiff::civil::Date;
use rules::assessment::{Answer, Answers, Scale};
use rules::case::{
    Application, Case, CaseAction, Contact, DuplicateGround, Ground, Outcome, Recommendation, ReissueGround,
    Representative, Service,
};
use rules::certificate::{CertificateCommand, ControlAct, Employer, Holder};
use rules::complaint::{Complaint, ComplaintCommand, Filing, ReviewingBody, Route, Target, Verdict};
use rules::documents::{Document, DocumentKind};
use rules::ids::{Iin, TaxpayerId};
use rules::numbers::{CaseNumber, CertificateNumber};
use rules::refusal::Refusal;
use rules::{Actor, Lang, Role};
use toml::{Table, Value};

use crate::demo::demo_iin;
use crate::{Config, Reference, Request, Store, StoreError};

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

/// The people of a scenario.
struct Cast {
    akimat: String,
    applicant: Holder,
    representative: Option<Representative>,
}

impl Cast {
    fn actor(&self, who: &str) -> Result<Actor, String> {
        let person = |id: &str, iin: Iin| Actor { id: id.into(), role: Role::Applicant, akimat: None, iin: Some(iin) };
        let staff = |id: &str, role: Role, akimat: &str| Actor {
            id: id.into(),
            role,
            akimat: (!akimat.is_empty()).then(|| akimat.into()),
            iin: None,
        };
        Ok(match who {
            "applicant" => person("scenario-applicant", self.applicant.iin.clone()),
            "representative" => {
                let r = self.representative.as_ref().ok_or("the application names no representative")?;
                person("scenario-representative", r.iin.clone())
            }
            "someone-else" => person("scenario-someone-else", demo_iin(9_999)),
            "officer" => staff("scenario-officer", Role::Officer, &self.akimat),
            "commission" => staff("scenario-commission", Role::Commission, &self.akimat),
            "reviewer" => staff("scenario-reviewer", Role::Reviewer, ""),
            other => match other.strip_prefix("officer-of-") {
                Some(akimat) => staff("scenario-other-officer", Role::Officer, akimat),
                None => return Err(format!("unknown `who = \"{other}\"`; see docs/scenarios.md")),
            },
        })
    }
}

/// The keys of one step not yet read: whatever remains at the end is a typo.
struct Fields {
    table: Table,
    step: String,
}

impl Fields {
    fn take(&mut self, key: &str) -> Option<Value> {
        self.table.remove(key)
    }

    fn text(&mut self, key: &str) -> Result<Option<String>, String> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(Value::Datetime(d)) => Ok(Some(d.to_string())),
            Some(Value::Integer(i)) => Ok(Some(i.to_string())),
            Some(v) => Err(format!("{}: `{key}` should be text, found {v}", self.step)),
        }
    }

    fn date(&mut self, key: &str) -> Result<Option<Date>, String> {
        let Some(text) = self.text(key)? else { return Ok(None) };
        text.parse().map(Some).map_err(|e| format!("{}: `{key}` = {text:?} is not a date (YYYY-MM-DD): {e}", self.step))
    }

    fn boolean(&mut self, key: &str) -> Result<Option<bool>, String> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::Boolean(b)) => Ok(Some(b)),
            Some(v) => Err(format!("{}: `{key}` should be true or false, found {v}", self.step)),
        }
    }

    fn number(&mut self, key: &str) -> Result<Option<u32>, String> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::Integer(i)) => u32::try_from(i).map(Some).map_err(|_| format!("{}: `{key}` = {i}", self.step)),
            Some(v) => Err(format!("{}: `{key}` should be a whole number, found {v}", self.step)),
        }
    }

    fn list(&mut self, key: &str) -> Result<Option<Vec<String>>, String> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::Array(items)) => items
                .into_iter()
                .map(|v| match v {
                    Value::String(s) => Ok(s),
                    other => Err(format!("{}: `{key}` should list text, found {other}", self.step)),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(Value::String(s)) => Ok(Some(vec![s])),
            Some(v) => Err(format!("{}: `{key}` should be a list, found {v}", self.step)),
        }
    }

    fn table(&mut self, key: &str) -> Result<Option<Fields>, String> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::Table(t)) => Ok(Some(Fields { table: t, step: format!("{} `{key}`", self.step) })),
            Some(v) => Err(format!("{}: `{key}` should be a table, found {v}", self.step)),
        }
    }

    fn finish(self) -> Result<(), String> {
        match self.table.keys().next() {
            None => Ok(()),
            Some(k) => Err(format!("{}: unknown key `{k}`; see docs/scenarios.md", self.step)),
        }
    }
}

fn kebab<T: serde::de::DeserializeOwned>(what: &str, value: &str) -> Result<T, String> {
    serde_json::from_value(serde_json::Value::String(value.into()))
        .map_err(|_| format!("`{value}` is not a {what}; see docs/scenarios.md"))
}

fn ground(text: &str) -> Result<Ground, String> {
    match text.trim_start_matches("App.2 item ") {
        "9.1" => Ok(Ground::QualificationMismatch),
        "9.2" => Ok(Ground::BelowPassMark),
        "9.3" => Ok(Ground::UnreliableDocuments),
        other => kebab("ground of App.2 item 9 (9.1, 9.2, 9.3)", other),
    }
}

/// Answers to the criteria in force that score exactly `points`, found by trying the
/// combinations in order; the scenario says "7 points", not which boxes were ticked.
fn answers_for(criteria: &rules::assessment::CriteriaSet, points: u32) -> Option<Answers> {
    let choices: Vec<Vec<(Answer, u32)>> = criteria
        .criteria
        .iter()
        .map(|c| match &c.scale {
            Scale::Choice { options } => options.iter().map(|o| (Answer::Choice(o.id.clone()), o.points)).collect(),
            Scale::YesNo { yes, no } => vec![(Answer::YesNo(true), *yes), (Answer::YesNo(false), *no)],
            Scale::Years { bands } => bands.iter().map(|b| (Answer::Years(b.min), b.points)).collect(),
        })
        .collect();
    fn search(choices: &[Vec<(Answer, u32)>], left: u32, picked: &mut Vec<Answer>) -> bool {
        let Some((first, rest)) = choices.split_first() else { return left == 0 };
        for (answer, p) in first {
            if *p <= left {
                picked.push(answer.clone());
                if search(rest, left - p, picked) {
                    return true;
                }
                picked.pop();
            }
        }
        false
    }
    let mut picked = Vec::new();
    search(&choices, points, &mut picked).then(|| criteria.criteria.iter().map(|c| c.id.clone()).zip(picked).collect())
}

/// What the scenario remembers between steps.
struct Stage<'a> {
    store: &'a Store,
    cast: Cast,
    case: Option<CaseNumber>,
    certificate: Option<CertificateNumber>,
    complaint: Option<CaseNumber>,
    labels: Vec<(String, CaseNumber)>,
    /// Every certificate number the scenario has seen, in order.
    numbers: Vec<CertificateNumber>,
}

/// What a step did, for expectations.
enum Done {
    Applied,
    Refused(Refusal),
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
                && let Some(c) = stage.store.certificate(&n.to_string()).await.map_err(|e| e.to_string())?
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

impl Stage<'_> {
    async fn current_case(&self) -> Result<Option<Case>, String> {
        match &self.case {
            Some(n) => self.store.case(&n.to_string()).await.map_err(|e| e.to_string()),
            None => Ok(None),
        }
    }

    async fn current_complaint(&self) -> Result<Option<Complaint>, String> {
        match &self.complaint {
            Some(n) => self.store.complaint(&n.to_string()).await.map_err(|e| e.to_string()),
            None => Ok(None),
        }
    }

    async fn complaint_state(&self) -> Result<Option<rules::complaint::ComplaintState>, String> {
        Ok(self.current_complaint().await?.map(|c| c.state))
    }

    /// After a certificate is issued or re-issued, later steps act on the new one.
    async fn remember_certificate(&mut self) -> Result<(), String> {
        if let Some(case) = self.current_case().await?
            && let Some(Outcome::Issued { certificate } | Outcome::Reissued { certificate, .. }) = case.outcome
        {
            if !self.numbers.contains(&certificate.number) {
                self.numbers.push(certificate.number.clone());
            }
            self.certificate = Some(certificate.number.clone());
        }
        Ok(())
    }

    /// What a person is shown after a step: the refusal's message, or the case's status line,
    /// its refusal grounds and the certificate's status, joined by ` | `.
    async fn said(&self, done: &Done, lang: Lang, today: Date) -> Result<String, String> {
        if let Done::Refused(r) = done {
            return Ok(r.message(lang));
        }
        let mut parts = Vec::new();
        if let Some(c) = self.current_case().await? {
            parts.push(c.status(lang));
            let set = self.store.reference().law.set_of(&c);
            parts.extend(
                Ground::lines(&c.grounds, set, lang).into_iter().map(|(name, cited)| format!("{name} [{cited}]")),
            );
        }
        if let Some(n) = &self.certificate
            && let Some(c) = self.store.certificate(&n.to_string()).await.map_err(|e| e.to_string())?
        {
            parts.push(c.status_on(today).describe(lang));
        }
        Ok(parts.join(" | "))
    }

    fn case_number(&self, n: &str) -> Result<CaseNumber, String> {
        self.case.clone().ok_or_else(|| format!("{n}: no application has been filed yet"))
    }

    fn certificate_number(&self, n: &str) -> Result<CertificateNumber, String> {
        self.certificate.clone().ok_or_else(|| format!("{n}: no certificate has been issued yet"))
    }

    fn local_date(&self, at: Timestamp) -> Result<Date, String> {
        self.store.today(&self.cast.akimat, at).map_err(|e| e.to_string())
    }
}

fn employer(f: &mut Fields) -> Result<Employer, String> {
    let id = f.text("employer_bin")?.unwrap_or_else(|| "170440000126".into());
    Ok(Employer {
        name: f.text("employer")?.unwrap_or_else(|| "Sample Employer LLP".into()),
        id: TaxpayerId::parse(&id).map_err(|e| format!("{}: `employer_bin`: {e}", f.step))?,
    })
}

/// The request a step makes; `None` for `check`, which only judges.
async fn build(
    stage: &mut Stage<'_>,
    action: &str,
    f: &mut Fields,
    at: Timestamp,
    actor: &Actor,
) -> Result<Option<Request>, String> {
    let step = f.step.clone();
    let case_act = |stage: &Stage<'_>, action: CaseAction| -> Result<Option<Request>, String> {
        Ok(Some(Request::Case { number: stage.case_number(&step)?, expected_version: None, action }))
    };
    let today = stage.local_date(at)?;
    match action {
        "check" => Ok(None),
        "apply" => apply(stage, f, today, &actor.id).await.map(|a| Some(Request::Submit { application: Box::new(a) })),
        "register" => case_act(stage, CaseAction::Register),
        "forward" => case_act(stage, CaseAction::Forward),
        "not-accept" => {
            let kinds = |v: Option<Vec<String>>| -> Result<Vec<DocumentKind>, String> {
                v.unwrap_or_default().iter().map(|k| kebab("document kind", k)).collect()
            };
            let missing = kinds(f.list("missing")?)?;
            let expired = kinds(f.list("expired")?)?;
            let note = f.text("note")?.unwrap_or_default();
            case_act(stage, CaseAction::NotAccept { missing, expired, note })
        }
        "decide" => {
            let points = f.number("points")?.unwrap_or(7);
            let case = stage.current_case().await?.ok_or_else(|| format!("{step}: no application yet"))?;
            let law = &stage.store.reference().law;
            let criteria = law.for_case(&case).map_err(|r| r.message(Lang::En))?.criteria;
            let answers = answers_for(criteria, points)
                .ok_or_else(|| format!("{step}: no answers to the criteria in force give {points} points"))?;
            let pass = law.for_case(&case).map_err(|r| r.message(Lang::En))?.rules.terms.pass_mark_points.value;
            let recommend =
                f.text("recommend")?.unwrap_or_else(|| if points >= pass { "issue" } else { "refuse" }.into());
            let recommendation = match recommend.as_str() {
                "issue" => Recommendation::issue(),
                "refuse" => Recommendation::Refuse {
                    grounds: match f.list("grounds")? {
                        Some(g) => g.iter().map(|g| ground(g)).collect::<Result<_, _>>()?,
                        None => vec![Ground::BelowPassMark],
                    },
                    reasoning: f
                        .text("reasoning")?
                        .unwrap_or_else(|| format!("{points} points of the {pass} required")),
                },
                other => return Err(format!("{step}: `recommend` is issue or refuse, not {other:?}")),
            };
            let members = f.number("members")?.unwrap_or(3);
            let present = f.number("present")?.unwrap_or(members);
            let names: Vec<String> = (1..=members).map(|m| format!("member-{m}")).collect();
            let mut present_names: Vec<String> = names.iter().take(present as usize).cloned().collect();
            if let Some(outsider) = f.text("present_outsider")? {
                present_names.push(outsider);
            }
            case_act(
                stage,
                CaseAction::RecordDecision {
                    minutes: f.text("minutes")?.unwrap_or_else(|| format!("M-{today}")),
                    members: names,
                    present: present_names,
                    answers,
                    recommendation,
                },
            )
        }
        "issue" => {
            let valid_to = f.date("valid_to")?;
            case_act(stage, CaseAction::Issue { valid_to })
        }
        "extend" => {
            let valid_to = f.date("valid_to")?;
            case_act(stage, CaseAction::Extend { valid_to })
        }
        "reissue" => case_act(stage, CaseAction::Reissue),
        "duplicate" => case_act(stage, CaseAction::IssueDuplicate),
        "refuse" => {
            let grounds = f.list("grounds")?.unwrap_or_default().iter().map(|g| ground(g)).collect::<Result<_, _>>()?;
            let reasoning = f.text("reasoning")?.unwrap_or_else(|| "As the Commission found".into());
            case_act(stage, CaseAction::Refuse { grounds, reasoning })
        }
        "revoke" => {
            let act = ControlAct {
                body: f.text("act_body")?.unwrap_or_else(|| "Астана қаласының еңбек инспекциясы".into()),
                number: f.text("act_number")?.unwrap_or_else(|| "ЕИ-1".into()),
                date: f.date("act_date")?.unwrap_or(today),
            };
            let number = stage.certificate_number(&step)?;
            Ok(Some(Request::Certificate { number, command: CertificateCommand::Revoke { act } }))
        }
        "notify-new-employer" => {
            let contract_date = f.date("contract_date")?.ok_or_else(|| format!("{step}: `contract_date` is needed"))?;
            let employer = employer(f)?;
            let number = stage.certificate_number(&step)?;
            Ok(Some(Request::Certificate {
                number,
                command: CertificateCommand::NotifyNewEmployer { contract_date, employer },
            }))
        }
        "notify-contract-end" => {
            let end_date = f.date("end_date")?.ok_or_else(|| format!("{step}: `end_date` is needed"))?;
            let number = stage.certificate_number(&step)?;
            Ok(Some(Request::Certificate { number, command: CertificateCommand::NotifyContractEnd { end_date } }))
        }
        "complain" => {
            let route = match f.text("route")?.as_deref() {
                None | Some("akimat") => Route::ToAkimat,
                Some("reviewing-body") => Route::ToReviewingBody,
                Some(other) => return Err(format!("{step}: `route` is akimat or reviewing-body, not {other:?}")),
            };
            let body = match f.text("body")? {
                Some(b) => ReviewingBody::parse(&b).ok_or_else(|| format!("{step}: no reviewing body {b:?}"))?,
                None => ReviewingBody::default(),
            };
            let target: Target =
                kebab("target (decision, action, inaction)", &f.text("target")?.unwrap_or("decision".into()))?;
            let iin = actor.iin.clone().ok_or_else(|| format!("{step}: only an applicant complains"))?;
            Ok(Some(Request::FileComplaint {
                filing: Filing {
                    akimat: f.text("akimat")?.unwrap_or_else(|| stage.cast.akimat.clone()).into(),
                    complainant: iin,
                    case: stage.case.clone(),
                    target,
                    route,
                    body,
                    text: f.text("text")?.unwrap_or_else(|| "The decision is wrong".into()),
                },
            }))
        }
        "forward-complaint" | "satisfy-complaint" | "decide-complaint" => {
            let number = stage.complaint.clone().ok_or_else(|| format!("{step}: no complaint has been filed yet"))?;
            let command = match action {
                "forward-complaint" => ComplaintCommand::Forward,
                "satisfy-complaint" => ComplaintCommand::Satisfy {
                    action: f.text("action")?.unwrap_or_else(|| "The decision was corrected".into()),
                },
                _ => ComplaintCommand::Decide {
                    verdict: kebab::<Verdict>(
                        "verdict (upheld, partly-upheld, rejected)",
                        &f.text("verdict")?.unwrap_or("rejected".into()),
                    )?,
                    reasoning: f.text("reasoning")?.unwrap_or_else(|| "Reviewed on the case file".into()),
                },
            };
            Ok(Some(Request::Complaint { number, expected_version: None, command }))
        }
        other => Err(format!("{step}: unknown `do = \"{other}\"`; see docs/scenarios.md")),
    }
}

/// `obtain-certificate`: the whole issue path (apply, register, forward, decide with 7
/// points, issue) a minute apart from `at`, for stories about what comes after. Every step
/// must be applied; a refusal here is the scenario's error, not an expectation.
async fn obtain_certificate(stage: &mut Stage<'_>, f: &mut Fields, at: Timestamp) -> Result<(), String> {
    let step = f.step.clone();
    let valid_to = f.date("valid_to")?;
    let mut apply_fields = Fields { table: Table::new(), step: step.clone() };
    let today = stage.local_date(at)?;
    let applicant = stage.cast.actor("applicant")?;
    let application = apply(stage, &mut apply_fields, today, &applicant.id).await?;
    let officer = stage.cast.actor("officer")?;
    let commission = stage.cast.actor("commission")?;
    let minute = |k: i64| at.checked_add(jiff::SignedDuration::from_mins(k)).map_err(|e| e.to_string());
    let applied = stage
        .store
        .execute(applicant, minute(0)?, Request::Submit { application: Box::new(application) }, None)
        .await
        .map_err(|e| format!("{step}: applying: {e}"))?;
    let number = CaseNumber::parse(&applied.number).map_err(|e| e.to_string())?;
    stage.case = Some(number.clone());
    let mut decision_fields = Fields { table: Table::new(), step: step.clone() };
    let decide = build(stage, "decide", &mut decision_fields, at, &commission).await?;
    let actions = [
        (
            officer.clone(),
            Some(Request::Case { number: number.clone(), expected_version: None, action: CaseAction::Register }),
        ),
        (
            officer.clone(),
            Some(Request::Case { number: number.clone(), expected_version: None, action: CaseAction::Forward }),
        ),
        (commission, decide),
        (officer, Some(Request::Case { number, expected_version: None, action: CaseAction::Issue { valid_to } })),
    ];
    for (k, (actor, request)) in (1i64..).zip(actions) {
        let request = request.ok_or_else(|| format!("{step}: no decision to record"))?;
        stage.store.execute(actor, minute(k)?, request, None).await.map_err(|e| format!("{step}: {e}"))?;
    }
    stage.remember_certificate().await
}

/// The application of an `apply` step: a complete sample for the service unless the step says
/// otherwise.
/// Its documents are uploaded by `owner`, who files it.
async fn apply(stage: &mut Stage<'_>, f: &mut Fields, today: Date, owner: &str) -> Result<Application, String> {
    let step = f.step.clone();
    let service_name = f.text("service")?.unwrap_or_else(|| "issue".into());
    let ground_name = f.text("ground")?;
    let service = match service_name.as_str() {
        "issue" => Service::Issue,
        "extension" | "extend" => Service::Extend,
        "reissue" => Service::Reissue {
            ground: kebab::<ReissueGround>("re-issue ground", ground_name.as_deref().unwrap_or("name-change"))?,
        },
        "duplicate" => Service::Duplicate {
            ground: kebab::<DuplicateGround>("duplicate ground", ground_name.as_deref().unwrap_or("lost"))?,
        },
        other => return Err(format!("{step}: `service` is issue, extension, reissue or duplicate, not {other:?}")),
    };
    let mut applicant = stage.cast.applicant.clone();
    if let Some(s) = f.text("new_surname")? {
        applicant.surname = s;
    } else if matches!(service, Service::Reissue { ground: ReissueGround::NameChange }) {
        applicant.surname = format!("{}-Abenova", applicant.surname);
    }
    if let Some(mut r) = f.table("representative")? {
        let name = r.text("name")?.unwrap_or_else(|| "Aigerim Nurlanovna Sapar".into());
        let iin = match r.text("iin")? {
            Some(i) => Iin::parse(&i).map_err(|e| format!("{step}: representative `iin`: {e}"))?,
            None => demo_iin(8_888),
        };
        r.finish()?;
        stage.cast.representative = Some(Representative { name, iin });
    }
    let kinds: Vec<DocumentKind> = match f.list("documents")? {
        Some(list) => list.iter().map(|k| kebab("document kind", k)).collect::<Result<_, _>>()?,
        None => {
            let law = &stage.store.reference().law;
            let set = law.in_force_on(today).map_err(|r| r.message(Lang::En))?.rules;
            let mut k: Vec<DocumentKind> =
                set.checklists.list(service.checklist()).iter().map(|r| r.any_of[0]).collect();
            if stage.cast.representative.is_some() {
                k.push(DocumentKind::PowerOfAttorney);
            }
            k
        }
    };
    let identity_valid_until = f.date("identity_valid_until")?;
    let mut documents = Vec::new();
    for kind in kinds {
        let bytes = format!("%PDF-1.4\n% scenario document {kind:?}\n%%EOF\n");
        let blob = stage.store.upload(owner, bytes.as_bytes(), 0).await.map_err(|e| e.to_string())?;
        let valid_until = match kind {
            DocumentKind::IdentityDocument | DocumentKind::ChangedIdentityDocument => identity_valid_until,
            _ => None,
        };
        documents.push(Document { kind, sha256: blob.sha256, file_name: format!("{kind:?}.pdf"), valid_until });
    }
    let certificate = match f.text("certificate")? {
        Some(n) => Some(CertificateNumber::parse(&n).map_err(|e| format!("{step}: `certificate`: {e}"))?),
        None if service != Service::Issue => stage.certificate.clone(),
        None => None,
    };
    let open_ended = f.boolean("contract_open_ended")?.unwrap_or(false);
    let mut contract_end = f.date("contract_end")?;
    let needs_employer =
        matches!(service, Service::Extend | Service::Reissue { ground: ReissueGround::EmployerChange });
    if service == Service::Extend && contract_end.is_none() && !open_ended {
        // A sample contract running a year past the current validity.
        if let Some(n) = &certificate
            && let Some(c) = stage.store.certificate(&n.to_string()).await.map_err(|e| e.to_string())?
        {
            contract_end = c.valid_to.checked_add(jiff::Span::new().years(1)).ok();
        }
    }
    let employer_given = f.table("employer_details")?;
    let without_employer = f.boolean("without_employer")?.unwrap_or(false);
    let employer = if without_employer {
        None
    } else if needs_employer || employer_given.is_some() {
        let mut e = employer_given.unwrap_or(Fields { table: Table::new(), step: step.clone() });
        let emp = employer(&mut e)?;
        e.finish()?;
        Some(emp)
    } else {
        None
    };
    let event_date = match (f.date("event_date")?, service) {
        (Some(d), _) => Some(d),
        (None, Service::Reissue { .. } | Service::Duplicate { .. }) => Some(today),
        (None, _) => None,
    };
    let (profession, sector) = match service {
        Service::Issue => (
            Some(f.text("profession")?.unwrap_or_else(|| "2512-1".into())),
            Some(f.text("sector")?.unwrap_or_else(|| "J".into())),
        ),
        _ => (f.text("profession")?, f.text("sector")?),
    };
    Ok(Application {
        akimat: f.text("akimat")?.unwrap_or_else(|| stage.cast.akimat.clone()).into(),
        service,
        applicant,
        representative: stage.cast.representative.clone(),
        contact: Contact {
            address: "Astana, Mangilik El avenue 8".into(),
            phone: "+7 701 000 0000".into(),
            fax: None,
            home_address: "Tashkent, Amir Temur street 1".into(),
            home_phone: "+998 71 000 0000".into(),
        },
        profession,
        sector,
        employer,
        contract_end,
        contract_open_ended: open_ended,
        certificate,
        event_date,
        consent: f.boolean("consent")?.unwrap_or(true),
        documents,
    })
}

/// Checks a step's expectations; each unmet one is a line naming the key, what was expected
/// and what was found.
async fn judge(stage: &Stage<'_>, mut e: Fields, at: Timestamp, done: &Done) -> Result<Vec<String>, String> {
    let mut unmet = Vec::new();
    fn differ(unmet: &mut Vec<String>, key: &str, want: &dyn std::fmt::Display, found: &dyn std::fmt::Display) {
        let (w, f) = (want.to_string(), found.to_string());
        if w != f {
            unmet.push(format!("expected {key} = {w}, found {f}"));
        }
    }
    let step = e.step.clone();
    let today = stage.local_date(at)?;
    let law = &stage.store.reference().law;
    let refused_want = e.take("refused");
    match (refused_want, done) {
        (None | Some(Value::Boolean(false)), Done::Refused(r)) => {
            differ(&mut unmet, "refused", &false, &format!("refused: {} [{}]", r.reason.message(Lang::En), r.citation));
        }
        (Some(Value::Boolean(true)), Done::Refused(_)) | (None | Some(Value::Boolean(false)), Done::Applied) => {}
        (Some(Value::String(citation)), Done::Refused(r)) => {
            if !r.citation.as_str().contains(citation.as_str()) {
                differ(&mut unmet, "refused (its citation)", &citation, &r.citation);
            }
        }
        (Some(want), Done::Applied) => differ(&mut unmet, "refused", &want, &"applied"),
        (Some(want), Done::Refused(_)) => return Err(format!("{step}: `refused` = {want}: true, false or a citation")),
    }
    if let Some(reason) = e.text("reason")? {
        let found = match done {
            Done::Refused(r) => serde_json::to_value(&r.reason)
                .ok()
                .and_then(|v| v.get("reason").and_then(|r| r.as_str()).map(str::to_owned))
                .unwrap_or_default(),
            Done::Applied => "(applied)".into(),
        };
        differ(&mut unmet, "reason", &reason, &found);
    }
    // Messages: the refusal, else what a person is shown, in the language asked.
    for lang in Lang::ALL {
        let key = format!("says_{}", lang.tag());
        if let Some(want) = e.text(&key)? {
            let said = stage.said(done, lang, today).await?;
            if !said.contains(&want) {
                unmet.push(format!("expected {key} to contain {want:?}, found {said:?}"));
            }
        }
    }
    // What a person reads in Kazakh or Russian has no English in it, in every step unless a
    // story says otherwise (`plain_language = false`, for free text someone typed in English).
    if e.boolean("plain_language")?.unwrap_or(true) {
        for lang in [Lang::Kk, Lang::Ru] {
            let said = stage.said(done, lang, today).await?;
            let latin = rules::text::latin_words(&said);
            if !latin.is_empty() {
                unmet.push(format!("expected no English in the {} message, found {latin:?} in {said:?}", lang.tag()));
            }
        }
    }
    let case = stage.current_case().await?;
    let need_case = |key: &str| format!("{}: `{key}` needs a case; none has been filed", step);
    if let Some(want) = e.text("state")? {
        let c = case.as_ref().ok_or_else(|| need_case("state"))?;
        let found = kebab_name(&c.state);
        differ(&mut unmet, "state", &want, &found);
    }
    if let Some(want) = e.date("received_on")? {
        let c = case.as_ref().ok_or_else(|| need_case("received_on"))?;
        differ(&mut unmet, "received_on", &want, &c.received_on);
    }
    let show = |d: Option<&rules::deadline::DueDate>| d.map_or("(none)".to_owned(), |d| d.on.to_string());
    if let Some(want) = e.text("due")? {
        let c = case.as_ref().ok_or_else(|| need_case("due"))?;
        differ(&mut unmet, "due", &want, &show(c.binding_due()));
    }
    if let Some(want) = e.text("due_cites")? {
        let c = case.as_ref().ok_or_else(|| need_case("due_cites"))?;
        let found = c.binding_due().map(|d| d.citation.to_string()).unwrap_or_default();
        if !found.contains(&want) {
            differ(&mut unmet, "due_cites", &want, &found);
        }
    }
    if let Some(want) = e.text("stage_due")? {
        let c = case.as_ref().ok_or_else(|| need_case("stage_due"))?;
        differ(&mut unmet, "stage_due", &want, &show(c.due.as_ref()));
    }
    if let Some(want) = e.text("service_due")? {
        let c = case.as_ref().ok_or_else(|| need_case("service_due"))?;
        differ(&mut unmet, "service_due", &want, &show(c.service_due.as_ref()));
    }
    if let Some(want) = e.boolean("overdue")? {
        let c = case.as_ref().ok_or_else(|| need_case("overdue"))?;
        differ(&mut unmet, "overdue", &want, &c.overdue_on(today));
    }
    if let Some(want) = e.boolean("late")? {
        let c = case.as_ref().ok_or_else(|| need_case("late"))?;
        differ(&mut unmet, "late", &want, &c.late.is_some());
    }
    if let Some(want) = e.list("grounds")? {
        let c = case.as_ref().ok_or_else(|| need_case("grounds"))?;
        let want: Vec<Ground> = want.iter().map(|g| ground(g)).collect::<Result<_, _>>()?;
        let set = law.set_of(c);
        let cite = |g: &[Ground]| g.iter().map(|g| g.citation(set).to_string()).collect::<Vec<_>>().join(", ");
        differ(&mut unmet, "grounds", &cite(&want), &cite(&c.grounds));
    }
    if let Some(want) = e.text("grounds_cite")? {
        let c = case.as_ref().ok_or_else(|| need_case("grounds_cite"))?;
        let found: Vec<String> = c.grounds.iter().map(|g| g.citation(law.set_of(c)).to_string()).collect();
        if !found.iter().any(|f| f.contains(&want)) {
            differ(&mut unmet, "grounds_cite", &want, &found.join(", "));
        }
    }
    if let Some(want) = e.list("missing")? {
        let c = case.as_ref().ok_or_else(|| need_case("missing"))?;
        let found: Vec<String> = c
            .application
            .requirements(law.set_of(c))
            .into_iter()
            .filter(|r| !c.application.documents.iter().any(|d| r.any_of.contains(&d.kind)))
            .flat_map(|r| r.any_of)
            .map(|k| kebab_name(&k))
            .collect();
        differ(&mut unmet, "missing", &want.join(", "), &found.join(", "));
    }
    let cert = match &stage.certificate {
        Some(n) => stage.store.certificate(&n.to_string()).await.map_err(|e| e.to_string())?,
        None => None,
    };
    let need_cert = |key: &str| format!("{}: `{key}` needs a certificate; none has been issued", step);
    if let Some(want) = e.text("certificate")? {
        let c = cert.as_ref().ok_or_else(|| need_cert("certificate"))?;
        let found = serde_json::to_value(c.status_on(today))
            .ok()
            .and_then(|v| v.get("status").and_then(|s| s.as_str()).map(str::to_owned))
            .unwrap_or_default();
        differ(&mut unmet, "certificate", &want, &found);
    }
    if let Some(want) = e.date("valid_from")? {
        let c = cert.as_ref().ok_or_else(|| need_cert("valid_from"))?;
        differ(&mut unmet, "valid_from", &want, &c.valid_from);
    }
    if let Some(want) = e.date("valid_to")? {
        let c = cert.as_ref().ok_or_else(|| need_cert("valid_to"))?;
        differ(&mut unmet, "valid_to", &want, &c.valid_to);
    }
    if let Some(want) = e.number("certificates")? {
        differ(&mut unmet, "certificates", &want, &stage.numbers.len());
    }
    if let Some(want) = e.boolean("notice_late")? {
        let c = cert.as_ref().ok_or_else(|| need_cert("notice_late"))?;
        let found = c.notices.last().is_some_and(|n| match n {
            rules::certificate::Notice::NewEmployer { late, .. }
            | rules::certificate::Notice::ContractEnded { late, .. } => late.is_some(),
        });
        differ(&mut unmet, "notice_late", &want, &found);
    }
    let complaint = stage.current_complaint().await?;
    let need_complaint = |key: &str| format!("{}: `{key}` needs a complaint; none has been filed", step);
    if let Some(want) = e.text("complaint_state")? {
        let c = complaint.as_ref().ok_or_else(|| need_complaint("complaint_state"))?;
        let found = kebab_name(&c.state);
        differ(&mut unmet, "complaint_state", &want, &found);
    }
    if let Some(want) = e.text("complaint_due")? {
        let c = complaint.as_ref().ok_or_else(|| need_complaint("complaint_due"))?;
        differ(&mut unmet, "complaint_due", &want, &show(c.due.as_ref()));
    }
    if let Some(want) = e.text("complaint_due_cites")? {
        let c = complaint.as_ref().ok_or_else(|| need_complaint("complaint_due_cites"))?;
        let found = c.due.as_ref().map(|d| d.citation.to_string()).unwrap_or_default();
        if !found.contains(&want) {
            differ(&mut unmet, "complaint_due_cites", &want, &found);
        }
    }
    e.finish()?;
    Ok(unmet)
}

fn kebab_name<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}
