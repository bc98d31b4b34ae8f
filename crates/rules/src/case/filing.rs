//! Filing: an application checked against the law in force on the day it counts as received
//! (App.2 item 7), numbered, and either submitted or not accepted (App.2 item 9).

use jiff::civil::Date;

use super::application::Application;
use super::application::ReissueGround;
use super::application::Service;
use super::kind::EventKind;
use super::record::Event;
use super::record::event;
use super::record::field;
use super::results::add_months;
use crate::actor::{Actor, Role};
use crate::certificate::{Certificate, Holder};
use crate::citation::Citation;
use crate::deadline::{DueDate, lateness};
use crate::documents::{Completeness, DocumentKind, Expired, check};
use crate::env::{Env, calendar_refusal};
use crate::facts::{Field, Problem};
use crate::law::Law;
use crate::numbers::CaseNumber;
use crate::params::{ExtensionFrom, RuleSet};
use crate::refusal::{Reason, Refusal};
use crate::vocab::ServiceKind;

/// An extension or a duplicate filed under a name other than the certificate holder's. A
/// change of surname, name or patronymic is a ground for re-issue (Rules §22, R8.1), which
/// neither an extension nor a duplicate makes: the certificate would go on carrying the old
/// name. Not a refusal (the IIN is the holder's, and the name may be transliterated
/// differently); the officer is shown it beside the identity document. `None` when the names
/// agree, ignoring case and spacing, or for another service.
pub fn name_differs(app: &Application, cert: &Certificate) -> Option<Citation> {
    if !matches!(app.service.kind(), ServiceKind::Extend | ServiceKind::Duplicate) {
        return None;
    }
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    let name = |h: &Holder| (norm(&h.surname), norm(&h.given_name), norm(h.patronymic.as_deref().unwrap_or("")));
    (name(&app.applicant) != name(&cert.holder)).then(|| Citation::new("Rules §22"))
}

/// The certificate a service acts on: given, the applicant's, in the same akimat, and in force
/// on `date`, the local day the applicant submitted (Rules §16, §22, §22-1 give the akimat its
/// working days and ask no more: a certificate that expires while the case runs is still
/// extended, re-issued or duplicated). At the decision use [`usable_at_decision`].
pub(crate) fn usable_certificate<'c>(
    app: &Application,
    certificate: Option<&'c Certificate>,
    date: Date,
) -> Result<&'c Certificate, Refusal> {
    let cert = named_certificate(app, certificate)?;
    let status = cert.status_on(date);
    if !status.is_valid() {
        return Err(Refusal::new(
            Reason::CertificateNotValid { number: cert.number.to_string(), status: Box::new(status) },
            app.service.kind().citation(),
        ));
    }
    Ok(cert)
}

/// The certificate an application names, if it is one the applicant may act on: given, the
/// applicant's, of the same akimat. Whether it is still in force is asked separately.
fn named_certificate<'c>(app: &Application, certificate: Option<&'c Certificate>) -> Result<&'c Certificate, Refusal> {
    let citation = app.service.kind().citation();
    let Some(number) = &app.certificate else {
        return Err(Refusal::new(Reason::Field { field: Field::Certificate, problem: Problem::Required }, citation));
    };
    let cert = match certificate {
        Some(c) if &c.number == number => c,
        _ => return Err(Refusal::new(Reason::CertificateUnknown { number: number.to_string() }, citation)),
    };
    if cert.holder.iin != app.applicant.iin {
        return Err(Refusal::new(Reason::NotTheHolder, citation));
    }
    if cert.akimat != app.akimat {
        return Err(Refusal::new(Reason::OtherAkimat { akimat: cert.akimat.clone() }, citation));
    }
    Ok(cert)
}

/// At filing, the certificate named by an extension, re-issue or duplicate, judged on the day
/// the applicant submitted. One that has run out is an expired document the akimat records as
/// not accepted (App.2 item 9), which the applicant may complain about (Rules §24); one revoked
/// (Rules §21) or replaced (Rules §22) is no longer in force (Rules §23): there is nothing to
/// act on, and the filing is refused with that paragraph.
fn certificate_at_filing<'c>(
    app: &Application,
    certificate: Option<&'c Certificate>,
    submitted_on: Date,
) -> Result<(&'c Certificate, Option<Expired>), Refusal> {
    let cert = named_certificate(app, certificate)?;
    match cert.status_on(submitted_on) {
        s if s.is_valid() => Ok((cert, None)),
        crate::vocab::Status::Expired { .. } => {
            Ok((cert, Some(Expired { kind: DocumentKind::PreviousCertificate, valid_until: Some(cert.valid_to) })))
        }
        status => Err(Refusal::new(
            Reason::CertificateNotValid { number: cert.number.to_string(), status: Box::new(status) },
            "Rules §23",
        )),
    }
}

/// At the decision (`today`): valid on the day submitted (`submitted_on`, the akimat's local
/// date of filing), and neither revoked (Rules §21) nor replaced (Rules §22) since; expiry
/// after submission does not matter.
pub(crate) fn usable_at_decision<'c>(
    app: &Application,
    certificate: Option<&'c Certificate>,
    submitted_on: Date,
    today: Date,
) -> Result<&'c Certificate, Refusal> {
    let cert = usable_certificate(app, certificate, submitted_on)?;
    let now = cert.status_on(today);
    if matches!(now, crate::certificate::Status::Revoked { .. } | crate::certificate::Status::Superseded { .. }) {
        return Err(Refusal::new(
            Reason::CertificateNotValid { number: cert.number.to_string(), status: Box::new(now) },
            app.service.kind().citation(),
        ));
    }
    Ok(cert)
}

/// What the officer finds missing or expired, checked against the service's checklist
/// (App.2 item 8) and added to what the automatic check found. App.2 item 9 allows not
/// accepting only for these; a case with nothing named is refused, and so is calling
/// "expired" a document whose recorded validity reaches past the day it was submitted
/// (`submitted_on`). A document whose validity was not recorded is the officer's to judge.
pub(crate) fn officer_completeness(
    app: &Application,
    rules: &RuleSet,
    submitted_on: Date,
    missing: &[DocumentKind],
    expired: &[DocumentKind],
) -> Result<Completeness, Refusal> {
    if missing.is_empty() && expired.is_empty() {
        return Err(Refusal::new(Reason::NoNotAcceptReason, "App.2 item 9"));
    }
    let list = app.requirements(rules);
    let mut found = check(&list, &app.documents, submitted_on);
    for kind in missing {
        let Some(req) = list.iter().find(|r| r.any_of.contains(kind)) else {
            return Err(Refusal::new(
                Reason::Field { field: Field::Missing, problem: Problem::NotOnChecklist { kind: *kind } },
                "App.2 item 8",
            ));
        };
        if !found.missing.contains(req) {
            found.missing.push(req.clone());
        }
    }
    for kind in expired {
        let on_list = list.iter().any(|r| r.any_of.contains(kind));
        let attached = app.documents.iter().find(|d| d.kind == *kind);
        if !on_list && attached.is_none() {
            return Err(Refusal::new(
                Reason::Field { field: Field::Expired, problem: Problem::NotOnChecklist { kind: *kind } },
                "App.2 item 8",
            ));
        }
        if let Some(until) = attached.and_then(|d| d.valid_until)
            && until >= submitted_on
        {
            return Err(Refusal::new(Reason::DocumentNotExpired { kind: *kind, valid_until: until }, "App.2 item 9"));
        }
        if !found.expired.iter().any(|e| e.kind == *kind) {
            found.expired.push(Expired { kind: *kind, valid_until: attached.and_then(|d| d.valid_until) });
        }
    }
    Ok(found)
}

/// The last day of an extension (Rules §16): "for the term of the employment contract, but
/// not more than 3 years", the 3 years running from the day after the current validity ends
/// (or from the decision, as the rule set's Reading says); an open-ended contract gets the
/// cap alone. No one chooses it.
pub(crate) fn extension_end(app: &Application, cert: &Certificate, rules: &RuleSet, today: Date) -> Date {
    let years = rules.terms.extension_max_years.value;
    let start = match rules.readings.extension_counted_from {
        ExtensionFrom::CurrentEnd => cert.valid_to.tomorrow().unwrap_or(cert.valid_to),
        ExtensionFrom::DecisionDate => today,
    };
    let cap = add_months(start, years * 12);
    match app.contract_end {
        Some(end) if !app.contract_open_ended => end.min(cap),
        _ => cap,
    }
}

/// Files an application (R3.1): checks the form, then records it. A missing or expired
/// document records the case as not accepted at once (R3.5), so nothing filed is lost and the
/// applicant sees why. `certificate` is the one named by an extension, re-issue or duplicate.
pub fn submit(
    number: CaseNumber,
    application: Application,
    env: &Env<'_>,
    law: &Law,
    certificate: Option<&Certificate>,
) -> Result<Vec<Event>, Refusal> {
    let set = env.receipt().ok().and_then(|r| law.rules.in_force_on(r.received_on).ok());
    crate::params::renumbered(set, submit_numbered(number, application, env, law, certificate))
}

pub(crate) fn submit_numbered(
    number: CaseNumber,
    application: Application,
    env: &Env<'_>,
    law: &Law,
    certificate: Option<&Certificate>,
) -> Result<Vec<Event>, Refusal> {
    let app = &application;
    filer_may(app, env)?;
    form_filled(app, law, &number)?;
    let receipt = env.receipt()?;
    let received_on = receipt.received_on;
    // What the applicant submits is judged as it stood when they submitted it, on the akimat's
    // clock (App.2 item 9: "submitted" an expired document); item 7's shift to the next working
    // day moves only the akimat's acceptance and its result.
    let submitted_on = receipt.local.date();
    let in_force = law.in_force_on(received_on)?;
    let rules = in_force.rules;
    let window =
        |event_date: Option<Date>, deadline: &crate::params::Deadline, citation: &'static str| -> Result<_, Refusal> {
            let Some(d) = event_date else { return Err(field(Field::EventDate, Problem::Required, citation)) };
            if d > received_on {
                return Err(field(Field::EventDate, Problem::InTheFuture, citation));
            }
            // The applicant's own window runs to the local day they filed (R12.2); App.2 item 7's
            // shift to the next working day only moves the akimat's acceptance.
            lateness(env.calendar, d, receipt.local.date(), deadline)
                .map_err(|e| calendar_refusal(e, Citation::new(citation)))
        };
    let facts = service_facts(app, certificate, &in_force, received_on, submitted_on, window)?;
    let late = facts.late;
    let due = DueDate::compute(env.calendar, received_on, &rules.deadlines.registration)
        .map_err(|e| calendar_refusal(e, Citation::new("App.2 item 7")))?;
    let mut completeness = check(&app.requirements(rules), &app.documents, submitted_on);
    if let Some(expired) = facts.expired_certificate {
        completeness.expired.retain(|e| e.kind != expired.kind);
        completeness.expired.push(expired);
    }
    let mut events = vec![event(
        env,
        "Rules §3; App.2 item 7",
        EventKind::Submitted {
            number,
            application: Box::new(application.clone()),
            received_on,
            rule_set: rules.id.clone(),
            criteria: in_force.criteria.id.clone(),
            catalogue: in_force.catalogue.id.clone(),
            due,
            late,
        },
    )];
    if !completeness.is_complete() {
        events.push(Event {
            at: env.now,
            actor: Actor::system(),
            citation: Citation::new("App.2 item 9"),
            kind: EventKind::NotAccepted { completeness, note: String::new() },
        });
    }
    Ok(events)
}

/// Who may file: the applicant, or the person they authorised (Rules §3).
fn filer_may(app: &Application, env: &Env<'_>) -> Result<(), Refusal> {
    if env.actor.role != Role::Applicant {
        return Err(Refusal::new(Reason::WrongRole { needed: Role::Applicant, actual: env.actor.role }, "Rules §3"));
    }
    let acting_iin = env.actor.iin.as_ref();
    let own = acting_iin == Some(&app.applicant.iin);
    let represents = app.representative.as_ref().is_some_and(|r| Some(&r.iin) == acting_iin);
    if !own && !represents {
        return Err(Refusal::new(Reason::NotTheHolder, "Rules §3"));
    }
    Ok(())
}

/// The form of App.1 filled in: an akimat that exists (and the number is its), consent, and
/// the applicant's name and document.
fn form_filled(app: &Application, law: &Law, number: &CaseNumber) -> Result<(), Refusal> {
    let Some(akimat) = law.akimat(&app.akimat) else {
        return Err(field(Field::Akimat, Problem::NoSuchAkimat, "App.1"));
    };
    if number.prefix() != akimat.prefix {
        return Err(Refusal::new(Reason::NumberMismatch { number: number.to_string() }, "App.1"));
    }
    if !app.consent {
        return Err(Refusal::new(Reason::NoConsent, "App.1"));
    }
    for (name, value) in [
        (Field::Surname, &app.applicant.surname),
        (Field::GivenName, &app.applicant.given_name),
        (Field::DocumentNumber, &app.applicant.document_number),
    ] {
        if value.trim().is_empty() {
            return Err(field(name, Problem::Required, "App.1"));
        }
    }
    Ok(())
}

/// What a filing found beside its form: its lateness after the holder's window (accepted and
/// flagged), and a certificate that had run out when submitted (recorded as not accepted).
struct FilingFacts {
    late: Option<crate::deadline::Lateness>,
    expired_certificate: Option<Expired>,
}

/// What each service needs at filing: a listed profession (Rules §8), a certificate to act on
/// (Rules §16, §22, §22-1), an employer and contract, and the holder's own window.
fn service_facts(
    app: &Application,
    certificate: Option<&Certificate>,
    in_force: &crate::law::InForce<'_>,
    received_on: Date,
    submitted_on: Date,
    window: impl Fn(
        Option<Date>,
        &crate::params::Deadline,
        &'static str,
    ) -> Result<Option<crate::deadline::Lateness>, Refusal>,
) -> Result<FilingFacts, Refusal> {
    let rules = in_force.rules;
    let mut facts = FilingFacts { late: None, expired_certificate: None };
    match app.service {
        Service::Issue => {
            let (Some(profession), Some(sector)) = (&app.profession, &app.sector) else {
                return Err(field(Field::Profession, Problem::NotFromList, "App.1; Rules §8"));
            };
            match in_force.catalogue.find(profession) {
                // At filing an unlisted profession is a wrong form (App.1 asks for one from the
                // list of Rules §8), not yet the refusal ground of App.2 item 9.1.
                None => {
                    return Err(Refusal::new(
                        Reason::ProfessionNotListed {
                            code: profession.clone(),
                            date: received_on,
                            list: in_force.catalogue.id.clone(),
                        },
                        "App.1; Rules §8",
                    ));
                }
                Some((s, _)) if &s.oked != sector => {
                    return Err(field(Field::Sector, Problem::OtherSector, "Rules §8"));
                }
                Some(_) => {}
            }
        }
        Service::Extend => {
            let (cert, expired) = certificate_at_filing(app, certificate, submitted_on)?;
            facts.expired_certificate = expired;
            if app.employer.is_none() {
                return Err(field(Field::Employer, Problem::Required, "App.1; Rules §16"));
            }
            match (app.contract_end, app.contract_open_ended) {
                (None, false) => {
                    return Err(field(Field::ContractEnd, Problem::RequiredOrOpenEnded, "Rules §16"));
                }
                // Nothing to extend for: caught now, not at the decision.
                (Some(end), false) if end <= cert.valid_to => {
                    return Err(field(Field::ContractEnd, Problem::EndsWithinValidity, "Rules §16"));
                }
                _ => {}
            }
        }
        Service::Reissue { ground } => {
            facts.expired_certificate = certificate_at_filing(app, certificate, submitted_on)?.1;
            if ground == ReissueGround::EmployerChange && app.employer.is_none() {
                return Err(field(Field::Employer, Problem::Required, "Rules §22"));
            }
            facts.late = window(app.event_date, &rules.deadlines.reissue_application, "Rules §22 para 2")?;
        }
        Service::Duplicate { .. } => {
            facts.expired_certificate = certificate_at_filing(app, certificate, submitted_on)?.1;
            facts.late = window(app.event_date, &rules.deadlines.duplicate_application, "Rules §22-1 para 2")?;
        }
    }
    Ok(facts)
}
