//! The law's parameters as data with effective dates (DESIGN principle 1).
//!
//! Deadlines, terms and the pass mark are what a new order is most likely to change. Each
//! lives in a [`RuleSet`] with the day it takes effect; a case is judged by the set in force on
//! its registration date, so a case registered under the old order keeps the old deadlines.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use std::collections::BTreeMap;

use crate::citation::Citation;
use crate::dated::{self, Dated};
use crate::documents::{Checklist, Requirement};
use crate::refusal::Refusal;
use crate::vocab::{Ground, ServiceKind};

/// A deadline counted in working days, with the paragraph that sets it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deadline {
    /// N in "within N working days".
    pub working_days: u32,
    /// The paragraph that sets it.
    pub citation: Citation,
    /// The requirement number in REQUIREMENTS.md.
    pub requirement: String,
}

/// A number the law fixes (a term or a threshold), with the paragraph that sets it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// The number.
    pub value: u32,
    /// The paragraph that sets it.
    pub citation: Citation,
    /// The requirement number in REQUIREMENTS.md.
    pub requirement: String,
}

/// Every deadline of the service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deadlines {
    /// The LEB registers a filing on the day it counts as received (R3.7, App.2 item 7).
    pub registration: Deadline,
    /// The LEB forwards complete documents to the Commission (R4.1, Rules §7).
    pub forward_to_commission: Deadline,
    /// The Commission decides, per applicant (R4.4, Rules §9).
    pub commission_decision: Deadline,
    /// The whole issue service, from registration (R4.7, App.2 item 3).
    pub issue_service: Deadline,
    /// Extension (R5.1, Rules §16).
    pub extension: Deadline,
    /// The holder's notice of a new employer, from the new contract (R6.1, Rules §18).
    pub employer_change_notice: Deadline,
    /// The holder's voluntary notice of the end of a contract (R6.2, Rules §20).
    pub contract_end_notice: Deadline,
    /// The holder applies for re-issue, from the change (R8.2, Rules §22).
    pub reissue_application: Deadline,
    /// The LEB re-issues (R8.3, Rules §22).
    pub reissue: Deadline,
    /// The holder applies for a duplicate, from the loss or damage (R9.1, Rules §22-1).
    pub duplicate_application: Deadline,
    /// The LEB issues the duplicate (R9.2, Rules §22-1).
    pub duplicate: Deadline,
    /// The body complained about forwards the complaint (R10.2, Rules §24).
    pub complaint_forwarding: Deadline,
    /// A complaint to the LEB is reviewed (R10.4, Rules §25).
    pub complaint_review: Deadline,
}

impl Deadlines {
    /// Every deadline with its name in this file format, for listings.
    pub fn all(&self) -> [(&'static str, &Deadline); 13] {
        [
            ("registration", &self.registration),
            ("forward_to_commission", &self.forward_to_commission),
            ("commission_decision", &self.commission_decision),
            ("issue_service", &self.issue_service),
            ("extension", &self.extension),
            ("employer_change_notice", &self.employer_change_notice),
            ("contract_end_notice", &self.contract_end_notice),
            ("reissue_application", &self.reissue_application),
            ("reissue", &self.reissue),
            ("duplicate_application", &self.duplicate_application),
            ("duplicate", &self.duplicate),
            ("complaint_forwarding", &self.complaint_forwarding),
            ("complaint_review", &self.complaint_review),
        ]
    }
}

/// How long a body that reviews a forwarded complaint (Rules §24 para 1) has, counted in
/// working days from the complaint's registration at that body. The order names the bodies
/// but not their terms, which come from the law that governs each; so each is a Reading with
/// its basis, and a change of that law is a new rule set, not code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewTerm {
    /// N in "within N working days".
    pub working_days: u32,
    /// The provision that sets it.
    pub citation: Citation,
    /// The requirement number in REQUIREMENTS.md.
    pub requirement: String,
    /// Why this provision applies: the Reading, shown with the term.
    pub reading: String,
}

impl ReviewTerm {
    /// The term as a deadline, for the calendar.
    pub fn deadline(&self) -> Deadline {
        Deadline {
            working_days: self.working_days,
            citation: self.citation.clone(),
            requirement: self.requirement.clone(),
        }
    }
}

/// The term of each reviewing body of Rules §24 para 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewingBodies {
    /// The authorised body for the assessment and control of the quality of public services.
    pub quality_authority: ReviewTerm,
    /// The higher administrative body.
    pub higher_body: ReviewTerm,
    /// The official (the head of the akimat or the official above the one complained about).
    pub official: ReviewTerm,
}

impl ReviewingBodies {
    /// Every body's term with its name in this file format, for listings.
    pub fn all(&self) -> [(&'static str, &ReviewTerm); 3] {
        [
            ("quality_authority", &self.quality_authority),
            ("higher_body", &self.higher_body),
            ("official", &self.official),
        ]
    }
}

/// Terms and thresholds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Terms {
    /// Longest validity of a first certificate, in months (R4.7, App.2 item 3).
    pub first_certificate_max_months: Term,
    /// Longest extension, in years (R5.1, Rules §16).
    pub extension_max_years: Term,
    /// Points needed to pass the assessment (R4.5, App.2 item 9.2).
    pub pass_mark_points: Term,
}

impl Terms {
    /// Every term with its name in this file format, for listings.
    pub fn all(&self) -> [(&'static str, &Term); 3] {
        [
            ("first_certificate_max_months", &self.first_certificate_max_months),
            ("extension_max_years", &self.extension_max_years),
            ("pass_mark_points", &self.pass_mark_points),
        ]
    }
}

/// How many of the Commission's members make a quorum (R4.4, Reading).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Quorum {
    /// More than half of the members.
    MoreThanHalf,
    /// At least two thirds.
    TwoThirds,
    /// Every member.
    All,
}

impl Quorum {
    /// Whether `present` of `members` make a quorum.
    pub fn met(self, present: usize, members: usize) -> bool {
        match self {
            Quorum::MoreThanHalf => present * 2 > members,
            Quorum::TwoThirds => present * 3 >= members * 2,
            Quorum::All => present == members,
        }
    }

    /// The smallest number present that makes a quorum of `members`.
    pub fn needed(self, members: usize) -> usize {
        (0..=members).find(|&p| self.met(p, members)).unwrap_or(members)
    }
}

/// Where an extension's up-to-3-years term is counted from (R5.1, Reading).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExtensionFrom {
    /// From the end of the current validity.
    CurrentEnd,
    /// From the day the extension is decided.
    DecisionDate,
}

/// Where a first certificate's term of up to 3 months is counted from (Rules §13, Reading).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FirstTermFrom {
    /// The day of issue is its first day: issued 2 March, valid to 1 June at the latest.
    #[default]
    IssueDate,
    /// The day after issue is its first day: issued 2 March, valid to 2 June at the latest.
    DayAfterIssue,
}

/// Where the akimat's terms after registration are counted from (App.2 item 7, Reading).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TermsFrom {
    /// The day the filing counts as received, whenever the officer registers it.
    #[default]
    ReceivedDay,
    /// The day the officer actually registers it.
    RegistrationDay,
}

/// From which day a revocation takes effect (Rules §21, Reading).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RevokedFrom {
    /// The day the akimat revokes, on its own clock.
    #[default]
    AkimatDay,
    /// The date of the control body's act the revocation is based on.
    ActDate,
}

/// The "Reading" choices of REQUIREMENTS.md, as parameters. The later three have defaults
/// (today's readings), so rule sets written before they were named still load.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Readings {
    /// The Commission's quorum (R4.4).
    pub commission_quorum: Quorum,
    /// Where an extension is counted from (R5.1).
    pub extension_counted_from: ExtensionFrom,
    /// Whether a re-issued certificate keeps the old validity (R8.3, R11.2).
    pub reissue_keeps_validity: bool,
    /// Where a first certificate's term is counted from (R4.7).
    #[serde(default)]
    pub first_term_from: FirstTermFrom,
    /// Where the terms after registration are counted from (R3.7).
    #[serde(default)]
    pub terms_counted_from: TermsFrom,
    /// From which day a revocation takes effect (R7.1).
    #[serde(default)]
    pub revoked_from: RevokedFrom,
}

/// The document checklists of App.2 item 8, one per service (R3.4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checklists {
    /// App.2 item 8.1.
    pub issue: Vec<Requirement>,
    /// App.2 item 8.2.
    pub extend: Vec<Requirement>,
    /// App.2 item 8.3, a changed name or identity document.
    pub reissue_changed_data: Vec<Requirement>,
    /// App.2 item 8.3 with Rules §22: a new employer.
    pub reissue_new_employer: Vec<Requirement>,
    /// App.2 item 8.4.
    pub duplicate: Vec<Requirement>,
    /// What a person filing for the applicant adds (Rules §3).
    pub representative: Requirement,
}

impl Checklists {
    /// The list for `which`.
    pub fn list(&self, which: Checklist) -> &[Requirement] {
        match which {
            Checklist::Issue => &self.issue,
            Checklist::Extend => &self.extend,
            Checklist::ReissueChangedData => &self.reissue_changed_data,
            Checklist::ReissueNewEmployer => &self.reissue_new_employer,
            Checklist::Duplicate => &self.duplicate,
        }
    }

    /// What a filing must carry: the service's list and, when a person the applicant
    /// authorised files it (Rules §3), the power of attorney.
    pub fn requirements(&self, which: Checklist, represented: bool) -> Vec<Requirement> {
        let mut list = self.list(which).to_vec();
        if represented {
            list.push(self.representative.clone());
        }
        list
    }
}

/// A ground for refusing the service (App.2 item 9) as data: its sub-item and the services
/// it may end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroundRule {
    /// The sub-item.
    pub citation: Citation,
    /// The services a refusal on this ground may end.
    pub services: Vec<ServiceKind>,
}

/// The grounds of App.2 item 9 (R4.6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grounds {
    /// 9.1: the qualification or education does not meet the profession's requirements.
    pub qualification_mismatch: GroundRule,
    /// 9.2: the assessment is below the pass mark.
    pub below_pass_mark: GroundRule,
    /// 9.3: the documents or their data are unreliable.
    pub unreliable_documents: GroundRule,
}

impl Grounds {
    /// The rule for `ground`.
    pub fn rule(&self, ground: Ground) -> &GroundRule {
        match ground {
            Ground::QualificationMismatch => &self.qualification_mismatch,
            Ground::BelowPassMark => &self.below_pass_mark,
            Ground::UnreliableDocuments => &self.unreliable_documents,
        }
    }

    /// Whether a refusal of `service` may rest on `ground`.
    pub fn allowed(&self, ground: Ground, service: ServiceKind) -> bool {
        self.rule(ground).services.contains(&service)
    }
}

/// The working hours an akimat keeps until its own schedule is recorded (App.2 item 7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    /// Opening.
    pub start: jiff::civil::Time,
    /// Closing: a filing at or after it counts on the next working day.
    pub end: jiff::civil::Time,
    /// The lunch break, shown to people.
    #[serde(default)]
    pub lunch: Option<(jiff::civil::Time, jiff::civil::Time)>,
    /// The provision.
    pub citation: Citation,
}

/// How a later order's numbering maps the paragraphs the code cites: the code writes the
/// numbers of order No. 236 as amended by No. 426, and a set that renumbers them says where
/// each now is, so a renumbering is data, not code.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CitationMap(pub BTreeMap<String, String>);

impl CitationMap {
    /// `citation` in this set's numbering: each `; `-separated part the map names is
    /// replaced; the rest is kept.
    pub fn map(&self, citation: &Citation) -> Citation {
        if self.0.is_empty() {
            return citation.clone();
        }
        let parts: Vec<&str> = citation.as_str().split("; ").map(|p| self.0.get(p).map_or(p, String::as_str)).collect();
        Citation::owned(parts.join("; "))
    }
}

/// The parameters in force from one date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSet {
    /// A stable identifier recorded with every case judged by it.
    pub id: String,
    /// First day in force.
    pub effective_from: Date,
    /// The act, as a person would name it.
    pub title: String,
    /// Readings and assumptions, shown wherever the set is explained.
    #[serde(default)]
    pub note: Option<String>,
    /// Deadlines.
    pub deadlines: Deadlines,
    /// The reviewing bodies' terms (Rules §24 para 1).
    pub reviewing_bodies: ReviewingBodies,
    /// Terms and thresholds.
    pub terms: Terms,
    /// The document checklists (App.2 item 8).
    pub checklists: Checklists,
    /// The refusal grounds (App.2 item 9).
    pub grounds: Grounds,
    /// The default working hours (App.2 item 7).
    pub working_hours: Schedule,
    /// Paragraphs renumbered since the numbering the code cites.
    #[serde(default)]
    pub citations: CitationMap,
    /// Readings of ambiguous text.
    pub readings: Readings,
}

impl RuleSet {
    /// `citation` as this set numbers it.
    pub fn cite(&self, citation: &Citation) -> Citation {
        self.citations.map(citation)
    }

    /// A decision's events, or its refusal, with their citations in this set's numbering.
    /// The one place the map is applied, so no rule has to remember it.
    pub fn renumber<E: Cites>(&self, decided: Result<Vec<E>, Refusal>) -> Result<Vec<E>, Refusal> {
        if self.citations.0.is_empty() {
            return decided;
        }
        match decided {
            Ok(mut events) => {
                for e in &mut events {
                    let c = e.citation_mut();
                    *c = self.cite(c);
                }
                Ok(events)
            }
            Err(mut refusal) => {
                refusal.citation = self.cite(&refusal.citation);
                Err(refusal)
            }
        }
    }
}

/// Something that records the paragraph it acts under.
pub trait Cites {
    /// That paragraph, to renumber.
    fn citation_mut(&mut self) -> &mut Citation;
}

/// A decision renumbered by the set it was judged by, when that set is known.
pub(crate) fn renumbered<E: Cites>(set: Option<&RuleSet>, decided: Result<Vec<E>, Refusal>) -> Result<Vec<E>, Refusal> {
    match set {
        Some(set) => set.renumber(decided),
        None => decided,
    }
}

impl Dated for RuleSet {
    fn id(&self) -> &str {
        &self.id
    }
    fn effective_from(&self) -> Date {
        self.effective_from
    }
}

/// What can be wrong with rule-set data, or with a question put to it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleBookError {
    /// The text is not a valid rule-set file.
    #[error("rule sets: {0}")]
    Data(String),
    /// No set is in force on the date asked (it precedes every set loaded).
    #[error("no rule set is in force on {date}: the earliest loaded takes effect on {earliest}")]
    NoneInForce {
        /// The date asked.
        date: Date,
        /// The earliest `effective_from`.
        earliest: Date,
    },
}

/// Every rule set loaded, ordered by `effective_from`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleBook {
    sets: Vec<RuleSet>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleSetsFile {
    kind: String,
    #[serde(rename = "set")]
    sets: Vec<RuleSet>,
}

/// The rule sets shipped with qualcert.
pub const EMBEDDED_RULE_SETS: &str = include_str!("../data/rule-sets.toml");

impl RuleBook {
    /// Parses a rule-sets file.
    pub fn parse(text: &str) -> Result<RuleBook, RuleBookError> {
        let file: RuleSetsFile = toml::from_str(text).map_err(|e| RuleBookError::Data(e.to_string()))?;
        if file.kind != "rule-sets" {
            return Err(RuleBookError::Data(format!("expected kind = \"rule-sets\", found \"{}\"", file.kind)));
        }
        RuleBook::from_sets(file.sets)
    }

    /// The rule sets shipped with qualcert.
    pub fn embedded() -> Result<RuleBook, RuleBookError> {
        RuleBook::parse(EMBEDDED_RULE_SETS)
    }

    /// A book from sets; two sets may not share an id or an effective date.
    pub fn from_sets(sets: Vec<RuleSet>) -> Result<RuleBook, RuleBookError> {
        let sets = dated::sorted(sets, "rule set").map_err(RuleBookError::Data)?;
        for s in &sets {
            if s.terms.pass_mark_points.value == 0 {
                return Err(RuleBookError::Data(format!("set {}: a pass mark of 0 points", s.id)));
            }
            if s.working_hours.start >= s.working_hours.end {
                return Err(RuleBookError::Data(format!("set {}: the working day ends before it starts", s.id)));
            }
            let c = &s.checklists;
            for (name, list) in [
                ("issue", &c.issue),
                ("extend", &c.extend),
                ("reissue_changed_data", &c.reissue_changed_data),
                ("reissue_new_employer", &c.reissue_new_employer),
                ("duplicate", &c.duplicate),
            ] {
                if list.iter().chain([&c.representative]).any(|r| r.any_of.is_empty()) {
                    return Err(RuleBookError::Data(format!(
                        "set {}: checklist {name} has a line no document satisfies",
                        s.id
                    )));
                }
            }
        }
        Ok(RuleBook { sets })
    }

    /// Adds or replaces sets (same id replaces), as an import does.
    pub fn merged(&self, other: RuleBook) -> Result<RuleBook, RuleBookError> {
        RuleBook::from_sets(dated::merged(&self.sets, other.sets))
    }

    /// The set in force on `date` (a case's registration date): the latest that took effect
    /// on or before it.
    pub fn in_force_on(&self, date: Date) -> Result<&RuleSet, RuleBookError> {
        dated::in_force(&self.sets, date)
            .ok_or(RuleBookError::NoneInForce { date, earliest: self.sets[0].effective_from })
    }

    /// The set in force on `date`, or the earliest for a date before every set: for showing
    /// what a filing will need and for defaults, where a filing that early is refused anyway.
    pub fn in_force_or_earliest(&self, date: Date) -> &RuleSet {
        self.in_force_on(date).unwrap_or(&self.sets[0])
    }

    /// Every set, oldest first.
    pub fn sets(&self) -> &[RuleSet] {
        &self.sets
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn embedded_set_has_the_orders_numbers() {
        let book = RuleBook::embedded().expect("embedded rule sets parse");
        let set = book.in_force_on(date(2026, 3, 2)).expect("in force");
        let d = &set.deadlines;
        // R4.1, R4.4, R4.7, R5.1, R6.1, R6.2, R8.2, R8.3, R9.1, R9.2, R10.2, R10.4
        assert_eq!(d.forward_to_commission.working_days, 2);
        assert_eq!(d.forward_to_commission.citation.as_str(), "Rules §7");
        assert_eq!(d.commission_decision.working_days, 3);
        assert_eq!(d.issue_service.working_days, 5);
        assert_eq!(d.extension.working_days, 3);
        assert_eq!(d.employer_change_notice.working_days, 5);
        assert_eq!(d.contract_end_notice.working_days, 5);
        assert_eq!(d.reissue_application.working_days, 5);
        assert_eq!(d.reissue.working_days, 3);
        assert_eq!(d.duplicate_application.working_days, 5);
        assert_eq!(d.duplicate.working_days, 3);
        assert_eq!(d.complaint_forwarding.working_days, 3);
        assert_eq!(d.complaint_review.working_days, 5);
        assert_eq!(set.terms.first_certificate_max_months.value, 3);
        assert_eq!(set.terms.extension_max_years.value, 3);
        assert_eq!(set.terms.pass_mark_points.value, 6);
        assert_eq!(set.terms.pass_mark_points.citation.as_str(), "App.2 item 9.2");
        for (name, dl) in d.all() {
            assert!(dl.requirement.starts_with('R'), "{name} names its requirement");
            assert!(!dl.citation.as_str().is_empty(), "{name} has a citation");
        }
    }

    #[test]
    fn a_case_is_judged_by_the_set_in_force_on_its_registration_date() {
        let book = RuleBook::embedded().expect("embedded");
        let mut newer = book.sets()[0].clone();
        newer.id = "hypothetical-2027-order".into();
        newer.effective_from = date(2027, 7, 1);
        newer.deadlines.forward_to_commission.working_days = 1;
        newer.terms.pass_mark_points.value = 7;
        let book = book.merged(RuleBook::from_sets(vec![newer]).expect("valid")).expect("merges");

        let old = book.in_force_on(date(2027, 6, 30)).expect("old in force");
        assert_eq!(old.id, "order-236-as-amended-by-426");
        assert_eq!(old.terms.pass_mark_points.value, 6);
        let new = book.in_force_on(date(2027, 7, 1)).expect("new in force");
        assert_eq!(new.id, "hypothetical-2027-order");
        assert_eq!(new.deadlines.forward_to_commission.working_days, 1);
        assert_eq!(new.terms.pass_mark_points.value, 7);
    }

    #[test]
    fn a_date_before_every_set_is_an_explicit_error() {
        let book = RuleBook::embedded().expect("embedded");
        let err = book.in_force_on(date(2025, 12, 31)).expect_err("nothing in force");
        assert!(matches!(err, RuleBookError::NoneInForce { .. }));
        assert!(err.to_string().contains("2026-01-16"), "{err}");
    }

    #[test]
    fn two_sets_on_one_date_are_refused() {
        let book = RuleBook::embedded().expect("embedded");
        let mut twin = book.sets()[0].clone();
        twin.id = "twin".into();
        assert!(book.merged(RuleBook { sets: vec![twin] }).is_err());
    }
}
