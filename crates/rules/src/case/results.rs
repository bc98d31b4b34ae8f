//! The result: a certificate's number and validity (Rules §16, §22), and what a case's events do
//! to certificates.

use jiff::civil::Date;

use super::application::Application;
use super::kind::EventKind;
use super::outcome::Outcome;
use super::record::Case;
use super::record::Event;
use crate::certificate::CertificateEvent;
use crate::citation::Citation;
use crate::law::{InForce, Law};
use crate::numbers::{CaseNumber, CertificateNumber};
use crate::params::RuleSet;
use crate::refusal::{Reason, Refusal};

/// A certificate number belongs to the case's akimat and to this year.
pub(crate) fn check_number(
    number: &CertificateNumber,
    law: &Law,
    app: &Application,
    today: Date,
) -> Result<(), Refusal> {
    let prefix = law.akimat(&app.akimat).map(|a| a.prefix.as_str());
    if Some(number.prefix()) != prefix || i32::from(number.year()) != i32::from(today.year()) {
        return Err(Refusal::new(Reason::NumberMismatch { number: number.to_string() }, "App.3"));
    }
    Ok(())
}

/// The last day of a term of `months` starting on `from` (from 2 March, 3 months: 1 June).
///
/// Counted as the Civil Code counts a term in months: it ends on the matching day of
/// its last month, counted from the day before the term starts, and on that month's last day
/// where it has no matching day. So a term starting on 29 February 2028 for 36 months ends on
/// 28 February 2031, and terms of 3 months starting on 29 November, 30 November and 1 December
/// all end on 28 February, while one starting on 28 November ends on 27 February. Subtracting a
/// day after adding the months would clamp first and end a day early.
pub fn add_months(from: Date, months: u32) -> Date {
    let span = jiff::Span::new().months(i64::from(months));
    from.yesterday().ok().and_then(|d| d.checked_add(span).ok()).unwrap_or(from)
}

pub(crate) fn within(requested: Date, start: Date, latest: Date, citation: &Citation) -> Result<Date, Refusal> {
    if requested > latest {
        return Err(Refusal::new(Reason::ValidityTooLong { requested, latest }, citation.clone()));
    }
    if requested < start {
        return Err(Refusal::new(Reason::ValidityBeforeStart { requested, start }, citation.clone()));
    }
    Ok(requested)
}

/// What an event of case `case` does to certificates: the service layer appends these to
/// the certificates' own streams in the same transaction.
pub fn certificate_effects(case: &CaseNumber, event: &Event) -> Vec<(CertificateNumber, CertificateEvent)> {
    let EventKind::Completed { outcome } = &event.kind else { return Vec::new() };
    match outcome {
        Outcome::Issued { certificate } => {
            vec![(certificate.number.clone(), CertificateEvent::Issued { certificate: certificate.clone() })]
        }
        Outcome::Extended { number, on, to, .. } => {
            vec![(number.clone(), CertificateEvent::Extended { on: *on, valid_to: *to, case: case.clone() })]
        }
        Outcome::Reissued { certificate, replaces } => vec![
            (certificate.number.clone(), CertificateEvent::Issued { certificate: certificate.clone() }),
            (
                replaces.clone(),
                CertificateEvent::Superseded { on: certificate.issued_on, by: certificate.number.clone() },
            ),
        ],
        Outcome::Duplicated { number, on } => {
            vec![(number.clone(), CertificateEvent::DuplicateIssued { on: *on, case: case.clone() })]
        }
    }
}

/// Which law judges a case: the versions recorded when it was filed. Here rather than in
/// `law`, which knows no case.
impl Law {
    /// What a case is judged by: the versions recorded when it was filed.
    pub fn for_case(&self, case: &Case) -> Result<InForce<'_>, Refusal> {
        let d = case.received_on;
        let none = |what| Refusal::new(Reason::NoRulesInForce { date: d, what }, "Rules");
        Ok(InForce {
            rules: self
                .rules
                .sets()
                .iter()
                .find(|s| s.id == case.rule_set)
                .ok_or_else(|| none(crate::facts::LawData::RuleSet))?,
            criteria: self
                .criteria
                .sets()
                .iter()
                .find(|s| s.id == case.criteria)
                .ok_or_else(|| none(crate::facts::LawData::Criteria))?,
            catalogue: self
                .catalogue
                .versions()
                .iter()
                .find(|v| v.id == case.catalogue)
                .ok_or_else(|| none(crate::facts::LawData::Catalogue))?,
        })
    }

    /// The rule set a case was judged by, for showing it; the newest loaded when the record
    /// names a set this installation no longer has.
    pub fn set_of(&self, case: &Case) -> &RuleSet {
        let sets = self.rules.sets();
        sets.iter().find(|s| s.id == case.rule_set).unwrap_or(&sets[sets.len() - 1])
    }
}
