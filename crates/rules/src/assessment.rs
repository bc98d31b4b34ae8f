//! The Commission's assessment (R4.2–R4.5): criteria as data with an effective date, scored
//! with a per-criterion breakdown against the pass mark of the rule set in force.
//!
//! One engine: the public self-assessment calculator and the Commission's scoring form both
//! call [`assess`], so an applicant sees exactly the score the Commission will compute.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::citation::Citation;
use crate::dated::{self, Dated};
use crate::params::Term;
use crate::text::Localized;

/// One option of a choice criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    /// Stable id, what an answer names.
    pub id: String,
    /// Points for it.
    pub points: u32,
    /// What a person reads.
    pub label: Localized,
}

/// A band of a years criterion: `min` years or more give `points`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// Whole years from which the band applies.
    pub min: u32,
    /// Points.
    pub points: u32,
}

/// What a criterion asks for and how it scores.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Scale {
    /// One of several options.
    Choice {
        /// The options.
        options: Vec<ChoiceOption>,
    },
    /// Yes or no.
    YesNo {
        /// Points for yes.
        yes: u32,
        /// Points for no.
        no: u32,
    },
    /// A whole number of years, scored by the highest band reached.
    Years {
        /// Bands, by ascending `min`.
        bands: Vec<Band>,
    },
}

/// One criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    /// Stable id, what answers are keyed by.
    pub id: String,
    /// The provision it applies.
    pub citation: Citation,
    /// The question.
    pub question: Localized,
    /// How it scores.
    #[serde(flatten)]
    pub scale: Scale,
}

impl Criterion {
    /// The most points it can give.
    pub fn max_points(&self) -> u32 {
        match &self.scale {
            Scale::Choice { options } => options.iter().map(|o| o.points).max().unwrap_or(0),
            Scale::YesNo { yes, no } => (*yes).max(*no),
            Scale::Years { bands } => bands.iter().map(|b| b.points).max().unwrap_or(0),
        }
    }

    fn score(&self, answer: &Answer) -> Result<u32, AssessmentError> {
        let invalid = |why: &str| AssessmentError::InvalidAnswer { criterion: self.id.clone(), why: why.to_owned() };
        match (&self.scale, answer) {
            (Scale::Choice { options }, Answer::Choice(id)) => {
                options.iter().find(|o| &o.id == id).map(|o| o.points).ok_or_else(|| invalid("not one of the options"))
            }
            (Scale::YesNo { yes, no }, Answer::YesNo(b)) => Ok(if *b { *yes } else { *no }),
            (Scale::Years { bands }, Answer::Years(y)) => {
                Ok(bands.iter().filter(|b| b.min <= *y).map(|b| b.points).max().unwrap_or(0))
            }
            (Scale::Choice { .. }, _) => Err(invalid("expects one of the options")),
            (Scale::YesNo { .. }, _) => Err(invalid("expects yes or no")),
            (Scale::Years { .. }, _) => Err(invalid("expects a whole number of years")),
        }
    }

    /// The smallest change of answer that gives more points, if any: what would raise the
    /// score.
    fn better(&self, current: u32) -> Option<(Answer, u32)> {
        let candidates: Vec<(Answer, u32)> = match &self.scale {
            Scale::Choice { options } => options.iter().map(|o| (Answer::Choice(o.id.clone()), o.points)).collect(),
            Scale::YesNo { yes, no } => vec![(Answer::YesNo(true), *yes), (Answer::YesNo(false), *no)],
            Scale::Years { bands } => bands.iter().map(|b| (Answer::Years(b.min), b.points)).collect(),
        };
        candidates.into_iter().filter(|(_, p)| *p > current).min_by_key(|(_, p)| *p)
    }
}

/// An answer to a criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Answer {
    /// Yes or no.
    YesNo(bool),
    /// Whole years.
    Years(u32),
    /// An option id.
    Choice(String),
}

/// Answers keyed by criterion id.
pub type Answers = BTreeMap<String, Answer>;

/// A table of criteria in force from a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriteriaSet {
    /// Recorded with every assessment made with it.
    pub id: String,
    /// First day in force.
    pub effective_from: Date,
    /// True for the shipped sample: every place that shows a score says so.
    pub sample: bool,
    /// What it is.
    pub title: String,
    /// The criteria, in the order a form asks them.
    #[serde(rename = "criterion")]
    pub criteria: Vec<Criterion>,
}

impl Dated for CriteriaSet {
    fn id(&self) -> &str {
        &self.id
    }
    fn effective_from(&self) -> Date {
        self.effective_from
    }
}

/// Every criteria table loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CriteriaBook {
    sets: Vec<CriteriaSet>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CriteriaFile {
    kind: String,
    #[serde(rename = "set")]
    sets: Vec<CriteriaSet>,
}

/// The shipped sample.
pub const EMBEDDED_CRITERIA: &str = include_str!("../data/criteria.toml");

impl CriteriaBook {
    /// Parses a criteria file and checks each table.
    pub fn parse(text: &str) -> Result<CriteriaBook, String> {
        let f: CriteriaFile = toml::from_str(text).map_err(|e| e.to_string())?;
        if f.kind != "criteria" {
            return Err(format!("expected kind = \"criteria\", found \"{}\"", f.kind));
        }
        CriteriaBook::from_sets(f.sets)
    }

    /// The shipped sample.
    pub fn embedded() -> Result<CriteriaBook, String> {
        CriteriaBook::parse(EMBEDDED_CRITERIA)
    }

    /// A book from tables.
    pub fn from_sets(sets: Vec<CriteriaSet>) -> Result<CriteriaBook, String> {
        let sets = dated::sorted(sets, "criteria table")?;
        for s in &sets {
            let mut ids = std::collections::HashSet::new();
            for c in &s.criteria {
                if !ids.insert(&c.id) {
                    return Err(format!("criteria {}: {} appears twice", s.id, c.id));
                }
                match &c.scale {
                    Scale::Choice { options } if options.is_empty() => {
                        return Err(format!("criteria {}: {} has no options", s.id, c.id));
                    }
                    Scale::Years { bands } if bands.first().is_none_or(|b| b.min != 0) => {
                        return Err(format!("criteria {}: {} needs a band with min = 0", s.id, c.id));
                    }
                    _ => {}
                }
            }
        }
        Ok(CriteriaBook { sets })
    }

    /// Adds or replaces tables (same id replaces).
    pub fn merged(&self, other: CriteriaBook) -> Result<CriteriaBook, String> {
        CriteriaBook::from_sets(dated::merged(&self.sets, other.sets))
    }

    /// The table in force on `date`.
    pub fn in_force_on(&self, date: Date) -> Option<&CriteriaSet> {
        dated::in_force(&self.sets, date)
    }

    /// Every table, oldest first.
    pub fn sets(&self) -> &[CriteriaSet] {
        &self.sets
    }
}

/// Answers that do not fit the criteria.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
pub enum AssessmentError {
    /// An answer names no criterion of the table.
    #[error("{0} is not a criterion of the table in force")]
    UnknownCriterion(String),
    /// An answer does not fit its criterion.
    #[error("the answer to {criterion} {why}")]
    InvalidAnswer {
        /// The criterion.
        criterion: String,
        /// What is wrong.
        why: String,
    },
}

impl AssessmentError {
    /// The refusal a person reads (Rules §10), naming the question as `criteria` ask it.
    pub fn refusal(&self, criteria: &CriteriaSet) -> crate::refusal::Refusal {
        let question = match self {
            AssessmentError::UnknownCriterion(_) => None,
            AssessmentError::InvalidAnswer { criterion, .. } => {
                criteria.criteria.iter().find(|c| &c.id == criterion).map(|c| c.question.clone())
            }
        };
        crate::refusal::Refusal::new(crate::refusal::Reason::AssessmentInvalid { question }, "Rules §10")
    }
}

/// One line of the breakdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    /// The criterion id.
    pub criterion: String,
    /// The question.
    pub question: Localized,
    /// The answer given, if any.
    pub answer: Option<Answer>,
    /// Points given.
    pub points: u32,
    /// Points possible.
    pub max_points: u32,
    /// The provision.
    pub citation: Citation,
    /// The nearest answer that would give more points, and how many.
    pub would_raise: Option<(Answer, u32)>,
}

/// A scored assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    /// The criteria table used.
    pub criteria_set: String,
    /// True when the table is the shipped sample.
    pub sample: bool,
    /// One line per criterion, in the table's order.
    pub lines: Vec<Line>,
    /// The sum of points.
    pub total: u32,
    /// The most points possible.
    pub max_total: u32,
    /// The pass mark with its citation (App.2 item 9.2).
    pub pass_mark: Term,
    /// Whether every criterion was answered.
    pub complete: bool,
}

impl Assessment {
    /// Whether the total reaches the pass mark (R4.5).
    pub fn passed(&self) -> bool {
        self.total >= self.pass_mark.value
    }

    /// Criteria not answered.
    pub fn unanswered(&self) -> impl Iterator<Item = &Line> {
        self.lines.iter().filter(|l| l.answer.is_none())
    }
}

/// Scores `answers` against the criteria and the pass mark in force (R4.3, R4.5). Missing
/// answers score 0 and make the assessment incomplete (fine for the public calculator; the
/// Commission's decision requires a complete one).
pub fn assess(answers: &Answers, criteria: &CriteriaSet, pass_mark: &Term) -> Result<Assessment, AssessmentError> {
    if let Some(unknown) = answers.keys().find(|k| !criteria.criteria.iter().any(|c| &c.id == *k)) {
        return Err(AssessmentError::UnknownCriterion(unknown.clone()));
    }
    let mut lines = Vec::with_capacity(criteria.criteria.len());
    for c in &criteria.criteria {
        let answer = answers.get(&c.id);
        let points = match answer {
            Some(a) => c.score(a)?,
            None => 0,
        };
        let would_raise = c.better(points).map(|(a, p)| (a, p - points));
        lines.push(Line {
            criterion: c.id.clone(),
            question: c.question.clone(),
            answer: answer.cloned(),
            points,
            max_points: c.max_points(),
            citation: c.citation.clone(),
            would_raise,
        });
    }
    Ok(Assessment {
        criteria_set: criteria.id.clone(),
        sample: criteria.sample,
        total: lines.iter().map(|l| l.points).sum(),
        max_total: lines.iter().map(|l| l.max_points).sum(),
        complete: lines.iter().all(|l| l.answer.is_some()),
        lines,
        pass_mark: pass_mark.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::RuleBook;
    use jiff::civil::date;

    fn setup() -> (CriteriaSet, Term) {
        let book = CriteriaBook::embedded().expect("sample parses");
        let set = book.in_force_on(date(2026, 3, 2)).expect("in force").clone();
        let rules = RuleBook::embedded().expect("rules");
        (set, rules.in_force_on(date(2026, 3, 2)).expect("in force").terms.pass_mark_points.clone())
    }

    fn answers(pairs: &[(&str, Answer)]) -> Answers {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect()
    }

    /// R4.5: six points pass, five do not; the breakdown adds up.
    #[test]
    fn r4_5_six_points_pass_five_do_not() {
        let (set, pass) = setup();
        assert!(set.sample, "the shipped table is marked as a sample");
        let six = answers(&[
            ("education-level", Answer::Choice("higher".into())),
            ("education-matches-profession", Answer::YesNo(true)),
            ("experience-years", Answer::Years(1)),
            ("professional-certificate", Answer::YesNo(false)),
            ("state-or-russian-language", Answer::YesNo(false)),
        ]);
        let a = assess(&six, &set, &pass).expect("valid answers");
        assert_eq!(a.total, 6);
        assert!(a.passed() && a.complete);
        assert_eq!(a.lines.iter().map(|l| l.points).sum::<u32>(), a.total);
        assert_eq!(a.pass_mark.citation.as_str(), "App.2 item 9.2");
        let mut five = six.clone();
        five.insert("experience-years".into(), Answer::Years(0));
        let b = assess(&five, &set, &pass).expect("valid answers");
        assert_eq!(b.total, 5);
        assert!(!b.passed());
        let raise = b.lines.iter().find(|l| l.criterion == "experience-years").and_then(|l| l.would_raise.clone());
        assert_eq!(raise, Some((Answer::Years(1), 1)), "one year of experience would raise the score by one");
    }

    /// R4.3: the Commission assesses on the criteria; bad answers are named.
    #[test]
    fn r4_3_answers_are_checked_against_the_criteria() {
        let (set, pass) = setup();
        let bad = answers(&[("education-level", Answer::Choice("phd-in-astrology".into()))]);
        assert!(matches!(assess(&bad, &set, &pass), Err(AssessmentError::InvalidAnswer { .. })));
        let unknown = answers(&[("shoe-size", Answer::Years(42))]);
        assert_eq!(assess(&unknown, &set, &pass), Err(AssessmentError::UnknownCriterion("shoe-size".into())));
        let partial =
            assess(&answers(&[("experience-years", Answer::Years(7))]), &set, &pass).expect("partial is fine");
        assert!(!partial.complete);
        assert_eq!(partial.total, 3);
        assert_eq!(partial.unanswered().count(), 4);
    }

    #[test]
    fn answers_read_from_json_as_people_send_them() {
        let a: Answers = serde_json::from_str(
            r#"{"education-level":"vocational","experience-years":4,"professional-certificate":true}"#,
        )
        .expect("json");
        let (set, pass) = setup();
        assert_eq!(assess(&a, &set, &pass).expect("valid").total, 2 + 2 + 1);
    }
}
