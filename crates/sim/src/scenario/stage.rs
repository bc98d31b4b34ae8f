//! A story's stage: who plays (the cast), a step's fields as the TOML gives them, the store
//! the story plays on, and what the last step came to.

use jiff::Timestamp;
use jiff::civil::Date;
use rules::assessment::{Answer, Answers, Scale};
use rules::case::{Case, Ground, Outcome, Representative};
use rules::certificate::{Employer, Holder};
use rules::complaint::Complaint;
use rules::ids::{Iin, TaxpayerId};
use rules::numbers::{CaseNumber, CertificateNumber};
use rules::refusal::Refusal;
use rules::{Actor, Lang, Role};
use toml::{Table, Value};

use crate::demo::demo_iin;
use store::Store;

/// The people of a scenario.
pub(crate) struct Cast {
    pub(crate) akimat: String,
    pub(crate) applicant: Holder,
    pub(crate) representative: Option<Representative>,
}

impl Cast {
    pub(crate) fn actor(&self, who: &str) -> Result<Actor, String> {
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
pub(crate) struct Fields {
    pub(crate) table: Table,
    pub(crate) step: String,
}

impl Fields {
    pub(crate) fn take(&mut self, key: &str) -> Option<Value> {
        self.table.remove(key)
    }

    pub(crate) fn text(&mut self, key: &str) -> Result<Option<String>, String> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(Value::Datetime(d)) => Ok(Some(d.to_string())),
            Some(Value::Integer(i)) => Ok(Some(i.to_string())),
            Some(v) => Err(format!("{}: `{key}` should be text, found {v}", self.step)),
        }
    }

    pub(crate) fn date(&mut self, key: &str) -> Result<Option<Date>, String> {
        let Some(text) = self.text(key)? else { return Ok(None) };
        text.parse().map(Some).map_err(|e| format!("{}: `{key}` = {text:?} is not a date (YYYY-MM-DD): {e}", self.step))
    }

    pub(crate) fn boolean(&mut self, key: &str) -> Result<Option<bool>, String> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::Boolean(b)) => Ok(Some(b)),
            Some(v) => Err(format!("{}: `{key}` should be true or false, found {v}", self.step)),
        }
    }

    pub(crate) fn number(&mut self, key: &str) -> Result<Option<u32>, String> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::Integer(i)) => u32::try_from(i).map(Some).map_err(|_| format!("{}: `{key}` = {i}", self.step)),
            Some(v) => Err(format!("{}: `{key}` should be a whole number, found {v}", self.step)),
        }
    }

    pub(crate) fn list(&mut self, key: &str) -> Result<Option<Vec<String>>, String> {
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

    pub(crate) fn table(&mut self, key: &str) -> Result<Option<Fields>, String> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::Table(t)) => Ok(Some(Fields { table: t, step: format!("{} `{key}`", self.step) })),
            Some(v) => Err(format!("{}: `{key}` should be a table, found {v}", self.step)),
        }
    }

    pub(crate) fn finish(self) -> Result<(), String> {
        match self.table.keys().next() {
            None => Ok(()),
            Some(k) => Err(format!("{}: unknown key `{k}`; see docs/scenarios.md", self.step)),
        }
    }
}

pub(crate) fn kebab<T: serde::de::DeserializeOwned>(what: &str, value: &str) -> Result<T, String> {
    serde_json::from_value(serde_json::Value::String(value.into()))
        .map_err(|_| format!("`{value}` is not a {what}; see docs/scenarios.md"))
}

pub(crate) fn ground(text: &str) -> Result<Ground, String> {
    match text.trim_start_matches("App.2 item ") {
        "9.1" => Ok(Ground::QualificationMismatch),
        "9.2" => Ok(Ground::BelowPassMark),
        "9.3" => Ok(Ground::UnreliableDocuments),
        other => kebab("ground of App.2 item 9 (9.1, 9.2, 9.3)", other),
    }
}

/// Answers to the criteria in force that score exactly `points`, found by trying the
/// combinations in order; the scenario says "7 points", not which boxes were ticked.
pub(crate) fn answers_for(criteria: &rules::assessment::CriteriaSet, points: u32) -> Option<Answers> {
    let choices: Vec<Vec<(Answer, u32)>> = criteria
        .criteria
        .iter()
        .map(|c| match &c.scale {
            Scale::Choice { options } => options.iter().map(|o| (Answer::Choice(o.id.clone()), o.points)).collect(),
            Scale::YesNo { yes, no } => vec![(Answer::YesNo(true), *yes), (Answer::YesNo(false), *no)],
            Scale::Years { bands } => bands.iter().map(|b| (Answer::Years(b.min), b.points)).collect(),
        })
        .collect();
    pub(crate) fn search(choices: &[Vec<(Answer, u32)>], left: u32, picked: &mut Vec<Answer>) -> bool {
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
pub(crate) struct Stage<'a> {
    pub(crate) store: &'a Store,
    pub(crate) cast: Cast,
    pub(crate) case: Option<CaseNumber>,
    pub(crate) certificate: Option<CertificateNumber>,
    pub(crate) complaint: Option<CaseNumber>,
    pub(crate) labels: Vec<(String, CaseNumber)>,
    /// Every certificate number the scenario has seen, in order.
    pub(crate) numbers: Vec<CertificateNumber>,
}

/// What a step did, for expectations.
pub(crate) enum Done {
    Applied,
    Refused(Refusal),
}

impl Stage<'_> {
    pub(crate) async fn current_case(&self) -> Result<Option<Case>, String> {
        match &self.case {
            Some(n) => self.store.case(n).await.map_err(|e| e.to_string()),
            None => Ok(None),
        }
    }

    pub(crate) async fn current_complaint(&self) -> Result<Option<Complaint>, String> {
        match &self.complaint {
            Some(n) => self.store.complaint(n).await.map_err(|e| e.to_string()),
            None => Ok(None),
        }
    }

    pub(crate) async fn complaint_state(&self) -> Result<Option<rules::complaint::ComplaintState>, String> {
        Ok(self.current_complaint().await?.map(|c| c.state))
    }

    /// After a certificate is issued or re-issued, later steps act on the new one.
    pub(crate) async fn remember_certificate(&mut self) -> Result<(), String> {
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
    pub(crate) async fn said(&self, done: &Done, lang: Lang, today: Date) -> Result<String, String> {
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
            && let Some(c) = self.store.certificate(n).await.map_err(|e| e.to_string())?
        {
            parts.push(c.status_on(today).describe(lang));
        }
        Ok(parts.join(" | "))
    }

    pub(crate) fn case_number(&self, n: &str) -> Result<CaseNumber, String> {
        self.case.clone().ok_or_else(|| format!("{n}: no application has been filed yet"))
    }

    pub(crate) fn certificate_number(&self, n: &str) -> Result<CertificateNumber, String> {
        self.certificate.clone().ok_or_else(|| format!("{n}: no certificate has been issued yet"))
    }

    pub(crate) fn local_date(&self, at: Timestamp) -> Result<Date, String> {
        self.store.today(&self.cast.akimat, at).map_err(|e| e.to_string())
    }
}

pub(crate) fn employer(f: &mut Fields) -> Result<Employer, String> {
    let id = f.text("employer_bin")?.unwrap_or_else(|| "170440000126".into());
    Ok(Employer {
        name: f.text("employer")?.unwrap_or_else(|| "Sample Employer LLP".into()),
        id: TaxpayerId::parse(&id).map_err(|e| format!("{}: `employer_bin`: {e}", f.step))?,
    })
}

pub(crate) fn kebab_name<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}
