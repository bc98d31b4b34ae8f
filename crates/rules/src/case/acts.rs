//! The officer's and the akimat's acts on a case: each checked against the table, the role,
//! the akimat and the rules the case was filed under.

use jiff::civil::Date;

use super::commands::Command;
use super::commands::transition;
use super::commission::record_decision;
use super::filing::extension_end;
use super::filing::officer_completeness;
use super::filing::usable_at_decision;
use super::kind::EventKind;
use super::outcome::Outcome;
use super::outcome::Recommendation;
use super::record::Case;
use super::record::Event;
use super::record::event;
use super::record::field;
use super::results::add_months;
use super::results::check_number;
use super::results::within;
use crate::certificate::{Basis, Certificate};
use crate::citation::Citation;
use crate::deadline::DueDate;
use crate::env::{Env, calendar_refusal};
use crate::facts::{Act, Field, Problem, Proceeding, Stage};
use crate::law::Law;
use crate::numbers::CertificateNumber;
use crate::params::RuleSet;
use crate::refusal::{Reason, Refusal};
use crate::text::Lang;
use crate::vocab::{CommandKind, Ground, ServiceKind, Status};

/// Decides a command on a case. `certificate` is the certificate the case concerns (for
/// extension, re-issue and duplicate), loaded by the caller.
pub fn decide(
    case: &Case,
    cmd: &Command,
    env: &Env<'_>,
    law: &Law,
    certificate: Option<&Certificate>,
) -> Result<Vec<Event>, Refusal> {
    let set = law.rules.sets().iter().find(|s| s.id == case.rule_set);
    crate::params::renumbered(set, decide_numbered(case, cmd, env, law, certificate))
}

pub(crate) fn decide_numbered(
    case: &Case,
    cmd: &Command,
    env: &Env<'_>,
    law: &Law,
    certificate: Option<&Certificate>,
) -> Result<Vec<Event>, Refusal> {
    let service = case.application.service.kind();
    let kind = cmd.kind();
    if let Err((blocked, citation)) = transition(service, case.state, kind) {
        return Err(blocked.refusal(Act::Case(kind), Stage::Case(case.state), Proceeding::Service(service), citation));
    }
    let (role, citation) = kind.role();
    if env.actor.role != role {
        return Err(Refusal::new(Reason::WrongRole { needed: role, actual: env.actor.role }, citation));
    }
    if env.actor.akimat.as_deref() != Some(case.application.akimat.as_str()) {
        return Err(Refusal::new(Reason::OtherAkimat { akimat: case.application.akimat.clone() }, citation));
    }
    let law_now = law.for_case(case)?;
    let at = At { case, env, law, rules: law_now.rules, today: env.today(), citation: &citation };
    let kind_event = match cmd {
        Command::Register => at.register()?,
        Command::NotAccept { missing, expired, note } => EventKind::NotAccepted {
            completeness: officer_completeness(&case.application, at.rules, at.submitted_on(), missing, expired)?,
            note: note.trim().to_owned(),
        },
        Command::Forward => EventKind::Forwarded { due: at.due(at.today, &at.rules.deadlines.commission_decision)? },
        Command::RecordDecision { minutes, members, present, answers, recommendation } => {
            record_decision(minutes, members, present, answers, recommendation, &law_now, at.today)?
        }
        Command::Issue { number, valid_to } => at.issue(number, *valid_to)?,
        Command::Extend { valid_to } => at.extend(certificate, *valid_to)?,
        Command::Reissue { number } => at.reissue(certificate, number)?,
        Command::IssueDuplicate => {
            let cert = usable_at_decision(&case.application, certificate, at.submitted_on(), at.today)?;
            EventKind::Completed { outcome: Outcome::Duplicated { number: cert.number.clone(), on: at.today } }
        }
        Command::Refuse { grounds, reasoning } => at.refuse(grounds, reasoning)?,
        Command::Close => at.close(certificate)?,
    };
    Ok(vec![event(env, citation, kind_event)])
}

/// A command being decided on one case: what each command's own step needs, so that
/// [`decide_numbered`] reads as the table of commands and each step as its paragraph.
pub(crate) struct At<'a> {
    pub(crate) case: &'a Case,
    pub(crate) env: &'a Env<'a>,
    pub(crate) law: &'a Law,
    pub(crate) rules: &'a RuleSet,
    pub(crate) today: Date,
    pub(crate) citation: &'a Citation,
}

impl At<'_> {
    /// The local day the applicant submitted, on the akimat's clock: what they submitted is
    /// judged as it stood then (App.2 item 9).
    pub(crate) fn submitted_on(&self) -> Date {
        self.case.filed_on(&self.env.hours.zone)
    }

    pub(crate) fn due(&self, from: Date, term: &crate::params::Deadline) -> Result<DueDate, Refusal> {
        DueDate::compute(self.env.calendar, from, term).map_err(|e| calendar_refusal(e, self.citation.clone()))
    }

    /// App.2 item 7: the registration day is the day the filing counts as received; the
    /// next stage's term and the whole service's term both run from it.
    pub(crate) fn register(&self) -> Result<EventKind, Refusal> {
        let d = &self.rules.deadlines;
        let (next, whole) = match self.case.application.service.kind() {
            ServiceKind::Issue => (&d.forward_to_commission, &d.issue_service),
            ServiceKind::Extend => (&d.extension, &d.extension),
            ServiceKind::Reissue => (&d.reissue, &d.reissue),
            ServiceKind::Duplicate => (&d.duplicate, &d.duplicate),
        };
        let from = match self.rules.readings.terms_counted_from {
            crate::params::TermsFrom::ReceivedDay => self.case.received_on,
            crate::params::TermsFrom::RegistrationDay => self.today.max(self.case.received_on),
        };
        Ok(EventKind::Registered { due: self.due(from, next)?, service_due: self.due(from, whole)? })
    }

    /// Rules §13: the certificate follows a Commission's recommendation to issue, for at
    /// most the first term.
    pub(crate) fn issue(&self, number: &CertificateNumber, valid_to: Option<Date>) -> Result<EventKind, Refusal> {
        let (case, app, rules, today) = (self.case, &self.case.application, self.rules, self.today);
        let Some(decision) = &case.decision else {
            return Err(Refusal::new(
                Reason::NotAtThisStage { command: Act::Case(CommandKind::Issue), state: Stage::Case(case.state) },
                "Rules §9",
            ));
        };
        if !matches!(decision.recommendation, Recommendation::Issue { .. }) {
            return Err(Refusal::new(
                Reason::AgainstRecommendation { recommended_issue: false },
                "Rules §9; Rules §13",
            ));
        }
        check_number(number, self.law, app, today)?;
        let first = match rules.readings.first_term_from {
            crate::params::FirstTermFrom::IssueDate => today,
            crate::params::FirstTermFrom::DayAfterIssue => today.tomorrow().unwrap_or(today),
        };
        let latest = add_months(first, rules.terms.first_certificate_max_months.value);
        let valid_to =
            within(valid_to.unwrap_or(latest), today, latest, &rules.terms.first_certificate_max_months.citation)?;
        let certificate = Certificate {
            number: number.clone(),
            akimat: app.akimat.clone(),
            holder: app.applicant.clone(),
            profession: app.profession.clone().unwrap_or_default(),
            sector: app.sector.clone().unwrap_or_default(),
            basis: Basis::Decision { minutes: decision.minutes.clone(), on: decision.on }.describe(Lang::En),
            basis_of: Some(Basis::Decision { minutes: decision.minutes.clone(), on: decision.on }),
            issued_on: today,
            valid_from: today,
            valid_to,
            employer: app.employer.clone(),
            case: case.number.clone(),
            replaces: None,
            superseded: None,
            revoked: None,
            extensions: Vec::new(),
            duplicates: Vec::new(),
            notices: Vec::new(),
        };
        Ok(EventKind::Completed { outcome: Outcome::Issued { certificate: Box::new(certificate) } })
    }

    /// Rules §16: an extension runs for the new contract's term, capped by the rule set.
    pub(crate) fn extend(
        &self,
        certificate: Option<&Certificate>,
        valid_to: Option<Date>,
    ) -> Result<EventKind, Refusal> {
        let (app, rules, today) = (&self.case.application, self.rules, self.today);
        let cert = usable_at_decision(app, certificate, self.submitted_on(), today)?;
        let to = extension_end(app, cert, rules, today);
        if to <= cert.valid_to {
            return Err(field(Field::ContractEnd, Problem::EndsWithinValidity, "Rules §16"));
        }
        // Rules §16 extends *for* the contract's term: a date the officer chose otherwise
        // is refused, not applied.
        if let Some(asked) = valid_to
            && asked != to
        {
            let citation = &rules.terms.extension_max_years.citation;
            return Err(if asked > to {
                Refusal::new(Reason::ValidityTooLong { requested: asked, latest: to }, citation.clone())
            } else {
                Refusal::new(Reason::ValidityBeforeStart { requested: asked, start: to }, citation.clone())
            });
        }
        Ok(EventKind::Completed {
            outcome: Outcome::Extended { number: cert.number.clone(), on: today, from: cert.valid_to, to },
        })
    }

    /// Rules §22: a re-issued certificate has a new number and replaces the old one.
    pub(crate) fn reissue(
        &self,
        certificate: Option<&Certificate>,
        number: &CertificateNumber,
    ) -> Result<EventKind, Refusal> {
        let (case, app, rules, today) = (self.case, &self.case.application, self.rules, self.today);
        let old = usable_at_decision(app, certificate, self.submitted_on(), today)?;
        if number == &old.number {
            return Err(field(Field::Number, Problem::NewNumberNeeded, "Rules §22 para 3"));
        }
        check_number(number, self.law, app, today)?;
        let valid_to = if rules.readings.reissue_keeps_validity {
            old.valid_to
        } else {
            add_months(today, rules.terms.first_certificate_max_months.value)
        };
        let mut new = old.clone();
        new.number = number.clone();
        new.holder = app.applicant.clone();
        if let Some(e) = &app.employer {
            new.employer = Some(e.clone());
        }
        let basis = Basis::Reissue { of: old.number.clone(), case: case.number.clone() };
        new.basis = basis.describe(Lang::En);
        new.basis_of = Some(basis);
        new.issued_on = today;
        new.valid_from = today;
        new.valid_to = valid_to;
        new.case = case.number.clone();
        new.replaces = Some(old.number.clone());
        new.superseded = None;
        new.revoked = None;
        new.extensions.clear();
        new.duplicates.clear();
        new.notices.clear();
        Ok(EventKind::Completed {
            outcome: Outcome::Reissued { certificate: Box::new(new), replaces: old.number.clone() },
        })
    }

    /// Rules §23: a case for a certificate no longer in force ends without a result. Only a
    /// revocation (§21) or a replacement (§22) since filing allows it; expiry after filing
    /// does not, as the case is judged on what was submitted.
    pub(crate) fn close(&self, certificate: Option<&Certificate>) -> Result<EventKind, Refusal> {
        let number = self.case.application.certificate.as_ref();
        let cert = certificate.filter(|c| Some(&c.number) == number).ok_or_else(|| {
            Refusal::new(
                Reason::CertificateUnknown { number: number.map(ToString::to_string).unwrap_or_default() },
                "Rules §23",
            )
        })?;
        match cert.status_on(self.today) {
            status @ (Status::Revoked { .. } | Status::Superseded { .. }) => {
                Ok(EventKind::Closed { certificate: cert.number.clone(), status: Box::new(status) })
            }
            _ => Err(Refusal::new(Reason::CertificateStillInForce { number: cert.number.to_string() }, "Rules §23")),
        }
    }

    /// App.2 items 5 and 9: a refusal names its grounds and reasons; after a Commission's
    /// decision only the grounds it recommended.
    pub(crate) fn refuse(&self, grounds: &[Ground], reasoning: &str) -> Result<EventKind, Refusal> {
        let (case, rules, service) = (self.case, self.rules, self.case.application.service.kind());
        if grounds.is_empty() {
            return Err(Refusal::new(Reason::NoGrounds, "App.2 item 5; App.2 item 9"));
        }
        if reasoning.trim().is_empty() {
            return Err(Refusal::new(Reason::NoReasoning, "App.2 item 5"));
        }
        if let Some(d) = case.decision.as_ref().filter(|_| service == ServiceKind::Issue) {
            match &d.recommendation {
                Recommendation::Issue { .. } => {
                    return Err(Refusal::new(
                        Reason::AgainstRecommendation { recommended_issue: true },
                        "Rules §9; Rules §13",
                    ));
                }
                Recommendation::Refuse { grounds: recommended, .. } => {
                    if let Some(g) = grounds.iter().find(|g| !recommended.contains(g)) {
                        return Err(Refusal::new(Reason::GroundNotRecommended { ground: *g }, "Rules §9"));
                    }
                }
            }
        }
        if let Some(g) = grounds.iter().find(|g| !rules.grounds.allowed(**g, service)) {
            return Err(Refusal::new(Reason::GroundNotForService { ground: *g }, g.citation(rules)));
        }
        let mut grounds = grounds.to_vec();
        grounds.sort();
        grounds.dedup();
        Ok(EventKind::Refused { grounds, reasoning: reasoning.trim().to_owned() })
    }
}
