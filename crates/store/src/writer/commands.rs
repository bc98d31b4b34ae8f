//! The commands a batch runs: filings, acts on cases, certificates and complaints. Each loads
//! what it needs through the batch, lets the rules decide, and records in memory.

use jiff::Timestamp;
use jiff::civil::Date;
use rules::Actor;
use rules::case::{self, Case, certificate_effects};
use rules::certificate::{Certificate, CertificateEvent, decide_certificate};
use rules::complaint::{self, Complaint};
use rules::numbers::{CaseNumber, CertificateNumber};
use sqlx::Row;

use super::cx::Cx;
use super::cx::append;
use super::cx::append_case_event;
use super::cx::append_complaint_event;
use super::cx::applied;
use super::cx::env;
use super::cx::next_counter;
use super::cx::prefix;
use super::cx::refused;
use super::cx::register_blob;
use super::prefetch::Ahead;
use crate::blobs::BlobError;
use crate::{Applied, CommandJob as Job, StoreError};

pub(crate) async fn load_case(cx: &mut Cx<'_>, number: &CaseNumber) -> Result<Case, StoreError> {
    if let Some(c) = cx.cases.get(&number.to_string()) {
        return Ok(c.clone());
    }
    let case: Case = match cx.ahead.case(&number.to_string()) {
        Ahead::Known(Some(snapshot)) => crate::codec::parse(snapshot)?,
        Ahead::Known(None) => return Err(StoreError::NotFound(format!("case {number}"))),
        Ahead::NotAsked => {
            let row = sqlx::query("SELECT snapshot FROM cases WHERE number = $1")
                .bind(number.to_string())
                .fetch_optional(&mut *cx.conn)
                .await?
                .ok_or_else(|| StoreError::NotFound(format!("case {number}")))?;
            crate::codec::parse(&row.try_get::<String, _>(0)?)?
        }
    };
    cx.open_before.entry(number.to_string()).or_insert_with(|| crate::reports::open_key(&case));
    Ok(case)
}

pub(crate) async fn load_certificate(
    cx: &mut Cx<'_>,
    number: &CertificateNumber,
) -> Result<Option<(Certificate, u64)>, StoreError> {
    if let Some(c) = cx.certificates.get(&number.to_string()) {
        return Ok(Some(c.clone()));
    }
    let row = sqlx::query("SELECT snapshot, version FROM certificates WHERE number = $1")
        .bind(number.to_string())
        .fetch_optional(&mut *cx.conn)
        .await?;
    match row {
        None => Ok(None),
        Some(row) => Ok(Some((crate::codec::parse(&row.try_get::<String, _>(0)?)?, row.try_get::<i64, _>(1)? as u64))),
    }
}

/// Appends a certificate event to its stream and updates the registry.
pub(crate) async fn certificate_event(
    cx: &mut Cx<'_>,
    number: &CertificateNumber,
    event: CertificateEvent,
    actor: &Actor,
    at: Timestamp,
) -> Result<(), StoreError> {
    let (mut slot, version) = match load_certificate(cx, number).await? {
        Some((c, v)) => (Some(c), v),
        None => (None, 0),
    };
    event.apply(&mut slot);
    let cert = slot.ok_or_else(|| StoreError::NotFound(format!("certificate {number}")))?;
    let payload = serde_json::to_string(&event)?;
    // The paragraph in the numbering of the rule set in force that day on the akimat's clock.
    let zone = cx.hours.get(cert.akimat.as_str()).map_or(jiff::tz::TimeZone::UTC, |h| h.zone.clone());
    let citation = cx.reference.law.set_on(zone.to_datetime(at).date()).cite(&event.citation());
    append(cx, &format!("certificate/{number}"), version + 1, event.name(), payload, actor, at, citation.as_str())?;
    windows(cx, &cert, &event, zone.to_datetime(at).date());
    cx.put_certificate(&cert, version + 1);
    Ok(())
}

/// The holder's windows an event opens, closes or records (crate::obligations).
pub(crate) fn windows(cx: &mut Cx<'_>, cert: &Certificate, event: &CertificateEvent, day: Date) {
    let ops = crate::obligations::ops_for(&cx.reference.calendar, &cx.reference.law, cert, event, day);
    cx.obligations.extend(ops);
}

/// Appends case events, applies their effects on certificates, updates the read models.
pub(crate) async fn record_case_events(
    cx: &mut Cx<'_>,
    job: &Job,
    case: &mut Case,
    events: &[case::Event],
) -> Result<Vec<String>, StoreError> {
    let mut kinds = Vec::new();
    let today = env(cx, job, &case.application.akimat)?.today();
    for e in events {
        let (before, stage) = (case.state, case.due.clone());
        case.apply(e);
        for fact in crate::reports::facts(&cx.reference.calendar, before, stage.as_ref(), case, &e.kind, today) {
            cx.count(case, today, &fact);
        }
        append_case_event(cx, &case.number, case.version, e)?;
        for (number, effect) in certificate_effects(&case.number, e) {
            certificate_event(cx, &number, effect, &e.actor, e.at).await?;
        }
        kinds.push(e.kind.name().to_owned());
    }
    cx.put_case(case);
    Ok(kinds)
}

pub(crate) async fn submit(
    cx: &mut Cx<'_>,
    job: &Job,
    application: &rules::case::Application,
) -> Result<Applied, StoreError> {
    let prefix = prefix(cx, &application.akimat)?;
    for d in &application.documents {
        // Only the filer's own uploads: someone else's document, known by its hash, is
        // answered as one never stored. An upload kept in this very batch counts.
        let pending = cx.side.iter().any(|s| match s {
            crate::side::Side::Upload { owner, sha256, .. } => *owner == job.actor.id && *sha256 == d.sha256,
            _ => false,
        });
        let own = pending
            || match cx.ahead.owns(&job.actor.id, &d.sha256) {
                Ahead::Known(owned) => owned.is_some(),
                Ahead::NotAsked => sqlx::query("SELECT 1 FROM uploads WHERE owner = $1 AND sha256 = $2")
                    .bind(job.actor.id.clone())
                    .bind(d.sha256.clone())
                    .fetch_optional(&mut *cx.conn)
                    .await?
                    .is_some(),
            };
        if !own {
            return Err(StoreError::Blob(BlobError::Missing(d.sha256.clone())));
        }
        // A document not stored is refused as missing; one this batch already found is not
        // looked for again.
        register_blob(cx, &d.sha256, job.now).await?;
    }
    let year = env(cx, job, &application.akimat)?.today().year();
    let seq = next_counter(cx, &format!("case/{prefix}/{year}")).await?;
    let number = CaseNumber::new(&prefix, year as u16, seq).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let certificate = match &application.certificate {
        Some(n) => load_certificate(cx, n).await?.map(|(c, _)| c),
        None => None,
    };
    let events = {
        let env = env(cx, job, &application.akimat)?;
        case::submit(number.clone(), application.clone(), &env, &cx.reference.law, certificate.as_ref())
            .map_err(refused)?
    };
    let (first, rest) = events.split_first().ok_or_else(|| StoreError::Corrupt("no submission event".into()))?;
    let mut case = Case::from_events([first]).ok_or_else(|| StoreError::Corrupt("no submission event".into()))?;
    append_case_event(cx, &number, 1, first)?;
    let today = env(cx, job, &application.akimat)?.today();
    cx.count(&case, today, &crate::reports::filed(&case));
    // Applying is what the holder's window asked for (crate::obligations).
    let window = match application.service {
        rules::case::Service::Extend => Some(rules::certificate::Window::Extension),
        rules::case::Service::Reissue { .. } => Some(rules::certificate::Window::Reissue),
        _ => None,
    };
    if let (Some(window), Some(certificate)) = (window, &application.certificate) {
        cx.obligations.push(crate::obligations::Op::Met {
            certificate: certificate.to_string(),
            window,
            by: number.to_string(),
        });
    }
    let mut kinds = vec![first.kind.name().to_owned()];
    kinds.extend(record_case_events(cx, job, &mut case, rest).await?);
    Ok(applied(cx, format!("case/{number}"), number.to_string(), case.version, kinds))
}

pub(crate) async fn act_on_case(
    cx: &mut Cx<'_>,
    job: &Job,
    number: &CaseNumber,
    expected: Option<u64>,
    action: &rules::case::CaseAction,
) -> Result<Applied, StoreError> {
    let mut case = load_case(cx, number).await?;
    if let Some(expected) = expected
        && expected != case.version
    {
        return Err(StoreError::Conflict { stream: format!("case/{number}"), expected, actual: case.version });
    }
    let akimat = case.application.akimat.clone();
    let new_number = if action.needs_number() {
        let prefix = prefix(cx, &akimat)?;
        let year = env(cx, job, &akimat)?.today().year();
        let seq = next_counter(cx, &format!("certificate/{prefix}/{year}")).await?;
        Some(CertificateNumber::new(&prefix, year as u16, seq).map_err(|e| StoreError::Corrupt(e.to_string()))?)
    } else {
        None
    };
    let command = action.clone().into_command(new_number).ok_or_else(|| StoreError::Corrupt("no number".into()))?;
    let certificate = match &case.application.certificate {
        Some(n) => load_certificate(cx, n).await?.map(|(c, _)| c),
        None => None,
    };
    let events = {
        let env = env(cx, job, &akimat)?;
        case::decide(&case, &command, &env, &cx.reference.law, certificate.as_ref()).map_err(refused)?
    };
    let kinds = record_case_events(cx, job, &mut case, &events).await?;
    Ok(applied(cx, format!("case/{number}"), number.to_string(), case.version, kinds))
}

pub(crate) async fn act_on_certificate(
    cx: &mut Cx<'_>,
    job: &Job,
    number: &CertificateNumber,
    command: &rules::certificate::CertificateCommand,
) -> Result<Applied, StoreError> {
    let (cert, version) =
        load_certificate(cx, number).await?.ok_or_else(|| StoreError::NotFound(format!("certificate {number}")))?;
    let events = {
        let env = env(cx, job, &cert.akimat)?;
        let today = env.today();
        let rules = cx.reference.law.in_force_on(today).map_err(refused)?.rules;
        decide_certificate(&cert, command, &env, rules).map_err(refused)?
    };
    let mut kinds = Vec::new();
    for e in events {
        kinds.push(e.name().to_owned());
        certificate_event(cx, number, e, &job.actor, job.now).await?;
    }
    Ok(applied(cx, format!("certificate/{number}"), number.to_string(), version + kinds.len() as u64, kinds))
}

pub(crate) async fn file_complaint(
    cx: &mut Cx<'_>,
    job: &Job,
    filing: &complaint::Filing,
) -> Result<Applied, StoreError> {
    let prefix = prefix(cx, &filing.akimat)?;
    let year = env(cx, job, &filing.akimat)?.today().year();
    let seq = next_counter(cx, &format!("case/{prefix}/{year}")).await?;
    let number = CaseNumber::new(&prefix, year as u16, seq).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let concerned = match &filing.case {
        Some(n) => match load_case(cx, n).await {
            Ok(c) => Some(c),
            Err(StoreError::NotFound(_)) => None,
            Err(e) => return Err(e),
        },
        None => None,
    };
    let events = {
        let env = env(cx, job, &filing.akimat)?;
        complaint::file_complaint(number.clone(), filing.clone(), concerned.as_ref(), &env, &cx.reference.law)
            .map_err(refused)?
    };
    let (first, rest) = events.split_first().ok_or_else(|| StoreError::Corrupt("no filing event".into()))?;
    let mut c = Complaint::from_events([first]).ok_or_else(|| StoreError::Corrupt("no filing event".into()))?;
    let mut kinds = vec![append_complaint_event(cx, &c, first)?];
    for e in rest {
        c.apply(e);
        kinds.push(append_complaint_event(cx, &c, e)?);
    }
    cx.put_complaint(&c);
    Ok(applied(cx, format!("complaint/{number}"), number.to_string(), c.version, kinds))
}

pub(crate) async fn act_on_complaint(
    cx: &mut Cx<'_>,
    job: &Job,
    number: &CaseNumber,
    expected: Option<u64>,
    command: &complaint::ComplaintCommand,
) -> Result<Applied, StoreError> {
    let mut c: Complaint = match cx.complaints.get(&number.to_string()) {
        Some(c) => c.clone(),
        None => {
            let row = sqlx::query("SELECT snapshot FROM complaints WHERE number = $1")
                .bind(number.to_string())
                .fetch_optional(&mut *cx.conn)
                .await?
                .ok_or_else(|| StoreError::NotFound(format!("complaint {number}")))?;
            crate::codec::parse(&row.try_get::<String, _>(0)?)?
        }
    };
    if let Some(expected) = expected
        && expected != c.version
    {
        return Err(StoreError::Conflict { stream: format!("complaint/{number}"), expected, actual: c.version });
    }
    let events = {
        let env = env(cx, job, &c.filing.akimat)?;
        complaint::decide_complaint(&c, command, &env, &cx.reference.law).map_err(refused)?
    };
    let mut kinds = Vec::new();
    for e in &events {
        c.apply(e);
        kinds.push(append_complaint_event(cx, &c, e)?);
    }
    cx.put_complaint(&c);
    Ok(applied(cx, format!("complaint/{number}"), number.to_string(), c.version, kinds))
}
