//! Read models a migration cannot fill with SQL, because they need the rules and the
//! calendar: the reports' cells, the holder's windows, and each running case's allowance and
//! alert day. A migration asks for them by a row in `rebuilds`; the store, when it opens and
//! before its writer starts, folds the event log once in order through the same functions
//! the writer uses (`reports::facts`, `obligations::ops_for`, `escalation::first_alert`), in
//! one transaction, and removes the row. A database that never had events rebuilds nothing.

use std::collections::HashMap;

use jiff::Timestamp;
use jiff::civil::Date;
use rules::case::{Case, Event, EventKind, Service};
use rules::certificate::{Certificate, CertificateEvent, Window};
use sqlx::{AnyConnection, Connection, Row};

use crate::obligations::Op;
use crate::reports::CellKey;
use crate::{Reference, StoreError};

/// What the rebuild did, for the log.
#[derive(Debug, Default)]
pub(crate) struct Rebuilt {
    pub(crate) events: u64,
    pub(crate) cells: usize,
    pub(crate) windows: usize,
    pub(crate) running: usize,
}

/// The waiting cases' escalation and stage columns, and the count of open cases by stage
/// allowance, made again from the cases replayed; how many cases are still running.
async fn running_cases(
    tx: &mut AnyConnection,
    cases: &HashMap<String, Case>,
    calendar: &rules::calendar::Calendar,
) -> Result<usize, StoreError> {
    let mut running = 0;
    for case in cases.values().filter(|c| !c.state.is_terminal()) {
        let due = case.binding_due();
        sqlx::query("UPDATE cases SET escalate_on = $1, due_from = $2, due_days = $3 WHERE number = $4")
            .bind(crate::escalation::first_alert(calendar, case).map(|d| d.to_string()))
            .bind(due.map(|d| d.from.to_string()))
            .bind(due.map(|d| i64::from(d.working_days)))
            .bind(case.number.to_string())
            .execute(&mut *tx)
            .await?;
        running += 1;
    }
    sqlx::query("DELETE FROM open_stages").execute(&mut *tx).await?;
    let mut open: HashMap<crate::reports::OpenKey, i64> = HashMap::new();
    for key in cases.values().filter_map(crate::reports::open_key) {
        *open.entry(key).or_default() += 1;
    }
    for ((akimat, from, on, days), n) in open {
        sqlx::query("INSERT INTO open_stages (akimat, due_from, due_on, due_days, count) VALUES ($1, $2, $3, $4, $5)")
            .bind(akimat)
            .bind(from)
            .bind(on)
            .bind(days)
            .bind(n)
            .execute(&mut *tx)
            .await?;
    }
    Ok(running)
}

/// Runs the rebuild a migration asked for, if any.
pub(crate) async fn pending(
    conn: &mut AnyConnection,
    reference: &Reference,
    hours: &HashMap<rules::AkimatCode, rules::WorkingHours>,
) -> Result<Option<Rebuilt>, StoreError> {
    let asked =
        sqlx::query("SELECT name FROM rebuilds WHERE name = 'reports-windows'").fetch_optional(&mut *conn).await?;
    if asked.is_none() {
        return Ok(None);
    }
    let mut tx = conn.begin().await?;
    let rows = sqlx::query("SELECT stream, payload, at_ms FROM events ORDER BY global_seq").fetch_all(&mut *tx).await?;
    let calendar = &reference.calendar;
    let day = |akimat: &str, at_ms: i64| -> Date {
        let zone = hours.get(akimat).map_or(jiff::tz::TimeZone::UTC, |h| h.zone.clone());
        zone.to_datetime(Timestamp::from_millisecond(at_ms).unwrap_or_default()).date()
    };
    let mut cases: HashMap<String, Case> = HashMap::new();
    let mut certificates: HashMap<String, Certificate> = HashMap::new();
    let mut cells: HashMap<CellKey, i64> = HashMap::new();
    let mut ops: Vec<Op> = Vec::new();
    let mut out = Rebuilt::default();
    let count = |cells: &mut HashMap<CellKey, i64>, case: &Case, on: Date, fact: &crate::reports::Fact| {
        for key in crate::reports::keys(case, on, fact) {
            *cells.entry(key).or_default() += 1;
        }
    };
    for r in &rows {
        let (stream, payload, at_ms): (String, String, i64) = (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
        out.events += 1;
        let Some((kind, number)) = stream.split_once('/') else { continue };
        match kind {
            "case" => {
                let e: Event = crate::codec::parse(&payload)?;
                match cases.get_mut(number) {
                    None => {
                        let Some(case) = Case::from_events([&e]) else { continue };
                        let on = day(case.application.akimat.as_str(), at_ms);
                        count(&mut cells, &case, on, &crate::reports::filed(&case));
                        let window = match case.application.service {
                            Service::Extend => Some(Window::Extension),
                            Service::Reissue { .. } => Some(Window::Reissue),
                            _ => None,
                        };
                        if let (Some(window), Some(certificate)) = (window, &case.application.certificate) {
                            ops.push(Op::Met { certificate: certificate.to_string(), window, by: number.to_owned() });
                        }
                        cases.insert(number.to_owned(), case);
                    }
                    Some(case) => {
                        let on = day(case.application.akimat.as_str(), at_ms);
                        let (before, stage) = (case.state, case.due.clone());
                        case.apply(&e);
                        let kind: &EventKind = &e.kind;
                        for fact in crate::reports::facts(calendar, before, stage.as_ref(), case, kind, on) {
                            count(&mut cells, case, on, &fact);
                        }
                    }
                }
            }
            "certificate" => {
                let e: CertificateEvent = crate::codec::parse(&payload)?;
                let mut slot = certificates.remove(number);
                e.apply(&mut slot);
                if let Some(cert) = slot {
                    let on = day(cert.akimat.as_str(), at_ms);
                    ops.extend(crate::obligations::ops_for(calendar, &reference.law, &cert, &e, on));
                    certificates.insert(number.to_owned(), cert);
                }
            }
            _ => {}
        }
    }
    sqlx::query("DELETE FROM report_cells").execute(&mut *tx).await?;
    sqlx::query("DELETE FROM obligations").execute(&mut *tx).await?;
    let cells: Vec<(CellKey, i64)> = cells.into_iter().collect();
    crate::writer::rows::add_cells(&mut tx, &cells).await?;
    out.cells = cells.len();
    out.windows = ops.iter().filter(|o| matches!(o, Op::Open { .. })).count();
    crate::obligations::apply(&mut tx, &ops, Timestamp::now().as_millisecond()).await?;
    out.running = running_cases(&mut tx, &cases, calendar).await?;
    sqlx::query("DELETE FROM rebuilds WHERE name = 'reports-windows'").execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(Some(out))
}
