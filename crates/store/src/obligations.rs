//! The holder's windows: the last working day to apply for an extension while the
//! certificate is valid (Rules §16), and the 5 working days to apply for re-issue after a
//! new employment contract notified under Rules §18 (§22 para 2). The writer opens, meets and
//! voids them with the events that do so, in the same transaction; the sweep (the worker,
//! each minute) reads only the windows whose day has come (indexed `act_on`) and acts
//! through the rules like anyone else: the service's `Remind` and `RecordMissedWindow`
//! commands, whose events reach the holder's inbox and mail as every event does. A missed
//! window is a fact with its paragraph; no sanction is applied, because the order sets none.

use jiff::Timestamp;
use jiff::civil::Date;
use rules::certificate::{Certificate, CertificateCommand, CertificateEvent, Window};
use rules::numbers::CertificateNumber;
use sqlx::Row;

use crate::{Request, Store, StoreError};

/// A change to the windows, made by the writer with the event that causes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Op {
    /// A window opens (kept if it is already there).
    Open { certificate: String, holder_iin: String, akimat: String, obligation: rules::certificate::Obligation },
    /// The holder applied: the certificate's open windows of this kind are met.
    Met { certificate: String, window: Window, by: String },
    /// The certificate's open windows (of one kind, or all) no longer apply: it was
    /// superseded, revoked or extended to a new end.
    Void { certificate: String, window: Option<Window>, except: Option<String> },
    /// The holder was reminded.
    Reminded { certificate: String, window: Window, due_on: Date },
    /// The window closed without the application.
    Missed { certificate: String, window: Window, due_on: Date },
}

/// A window's identity.
pub fn id(window: Window, certificate: &str, due_on: Date) -> String {
    format!("{}:{certificate}:{due_on}", window.tag())
}

/// The windows a certificate event opens, closes or records, `cert` being the certificate
/// after it and `day` its day on the akimat's clock. A window the calendar cannot place (no
/// data for its year) is not opened rather than guessed.
pub(crate) fn ops_for(
    calendar: &rules::Calendar,
    law: &rules::law::Law,
    cert: &Certificate,
    event: &CertificateEvent,
    day: Date,
) -> Vec<Op> {
    use rules::certificate::Notice;
    let certificate = cert.number.to_string();
    let open = |o: rules::certificate::Obligation| Op::Open {
        certificate: certificate.clone(),
        holder_iin: cert.holder.iin.to_string(),
        akimat: cert.akimat.to_string(),
        obligation: o,
    };
    match event {
        CertificateEvent::Issued { .. } => {
            rules::certificate::extension_obligation(calendar, cert.valid_to).ok().map(open).into_iter().collect()
        }
        CertificateEvent::Extended { valid_to, .. } => {
            match rules::certificate::extension_obligation(calendar, *valid_to) {
                Ok(o) => vec![
                    Op::Void {
                        certificate: certificate.clone(),
                        window: Some(Window::Extension),
                        except: Some(id(Window::Extension, &certificate, o.due_on)),
                    },
                    open(o),
                ],
                Err(_) => Vec::new(),
            }
        }
        CertificateEvent::Superseded { .. } | CertificateEvent::Revoked { .. } => {
            vec![Op::Void { certificate: certificate.clone(), window: None, except: None }]
        }
        CertificateEvent::Noticed { notice: Notice::NewEmployer { contract_date, .. } } => {
            rules::certificate::reissue_obligation(calendar, law.set_on(day), *contract_date)
                .ok()
                .map(open)
                .into_iter()
                .collect()
        }
        CertificateEvent::Reminded { window, due_on, .. } => {
            vec![Op::Reminded { certificate: certificate.clone(), window: *window, due_on: *due_on }]
        }
        CertificateEvent::WindowMissed { window, due_on, .. } => {
            vec![Op::Missed { certificate: certificate.clone(), window: *window, due_on: *due_on }]
        }
        CertificateEvent::DuplicateIssued { .. } | CertificateEvent::Noticed { .. } => Vec::new(),
    }
}

/// Carries out `ops` in order on the writer's connection.
pub(crate) async fn apply(conn: &mut sqlx::AnyConnection, ops: &[Op], now_ms: i64) -> Result<(), StoreError> {
    for op in ops {
        match op {
            Op::Open { certificate, holder_iin, akimat, obligation: o } => {
                sqlx::query(
                    "INSERT INTO obligations (id, win, certificate, holder_iin, akimat, due_on, remind_on, citation, state, \
                     act_on, met_by, updated_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $7, NULL, $9) \
                     ON CONFLICT (id) DO NOTHING",
                )
                .bind(id(o.window, certificate, o.due_on))
                .bind(o.window.tag())
                .bind(certificate.clone())
                .bind(holder_iin.clone())
                .bind(akimat.clone())
                .bind(o.due_on.to_string())
                .bind(o.remind_on.to_string())
                .bind(o.citation.as_str().to_owned())
                .bind(now_ms)
                .execute(&mut *conn)
                .await?;
            }
            Op::Met { certificate, window, by } => {
                sqlx::query(
                    "UPDATE obligations SET state = 'met', met_by = $1, act_on = NULL, updated_ms = $2 \
                     WHERE certificate = $3 AND win = $4 AND state IN ('open', 'reminded')",
                )
                .bind(by.clone())
                .bind(now_ms)
                .bind(certificate.clone())
                .bind(window.tag())
                .execute(&mut *conn)
                .await?;
            }
            Op::Void { certificate, window, except } => {
                sqlx::query(
                    "UPDATE obligations SET state = 'void', act_on = NULL, updated_ms = $1 \
                     WHERE certificate = $2 AND state IN ('open', 'reminded') AND ($3 = '' OR win = $3) AND id <> $4",
                )
                .bind(now_ms)
                .bind(certificate.clone())
                .bind(window.map_or("", Window::tag))
                .bind(except.clone().unwrap_or_default())
                .execute(&mut *conn)
                .await?;
            }
            Op::Reminded { certificate, window, due_on } => {
                // A re-issue window is looked at again the day after it closes; an extension
                // window ends with the certificate, which is no fault of the holder's.
                let next = match window {
                    Window::Reissue => due_on.tomorrow().ok().map(|d| d.to_string()),
                    Window::Extension => None,
                };
                sqlx::query(
                    "UPDATE obligations SET state = 'reminded', act_on = $1, updated_ms = $2 WHERE id = $3 AND state = 'open'",
                )
                .bind(next)
                .bind(now_ms)
                .bind(id(*window, certificate, *due_on))
                .execute(&mut *conn)
                .await?;
            }
            Op::Missed { certificate, window, due_on } => {
                sqlx::query("UPDATE obligations SET state = 'missed', act_on = NULL, updated_ms = $1 WHERE id = $2")
                    .bind(now_ms)
                    .bind(id(*window, certificate, *due_on))
                    .execute(&mut *conn)
                    .await?;
            }
        }
    }
    Ok(())
}

/// A window as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Obligation {
    /// Its identity.
    pub id: String,
    /// Which window.
    pub window: Window,
    /// The certificate.
    pub certificate: String,
    /// The last day to apply.
    pub due_on: String,
    /// The reminder day.
    pub remind_on: String,
    /// The paragraph.
    pub citation: String,
    /// `open`, `reminded`, `met`, `missed` or `void`.
    pub state: String,
    /// The case that met it.
    pub met_by: Option<String>,
}

const COLUMNS: &str = "id, win, certificate, due_on, remind_on, citation, state, met_by";

fn row(r: &sqlx::any::AnyRow) -> Result<Obligation, StoreError> {
    let win: String = r.try_get(1)?;
    Ok(Obligation {
        id: r.try_get(0)?,
        window: Window::from_tag(&win).ok_or_else(|| StoreError::Corrupt(format!("window {win}")))?,
        certificate: r.try_get(2)?,
        due_on: r.try_get(3)?,
        remind_on: r.try_get(4)?,
        citation: r.try_get(5)?,
        state: r.try_get(6)?,
        met_by: r.try_get(7)?,
    })
}

impl Store {
    /// A certificate's windows, the latest first.
    pub async fn obligations(&self, certificate: &str) -> Result<Vec<Obligation>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM obligations WHERE certificate = $1 ORDER BY due_on DESC, id"
        )))
        .bind(certificate.to_owned())
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(row).collect()
    }

    /// Acts on the windows whose day has come at `now`: reminds the holder of an open one,
    /// records a re-issue window that closed without an application. Returns how many it
    /// acted on. Each act is a service command with an idempotency key, so two workers, or
    /// one retried after a crash, act once.
    pub async fn obligation_sweep(&self, now: Timestamp, limit: i64) -> Result<u64, StoreError> {
        let latest = self.latest_day(now);
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS}, akimat, act_on FROM obligations WHERE act_on IS NOT NULL AND act_on <= $1 \
             ORDER BY act_on, id LIMIT $2"
        )))
        .bind(latest.to_string())
        .bind(limit.clamp(1, 100_000))
        .fetch_all(self.pool())
        .await?;
        let mut acted = 0;
        for r in &rows {
            let o = row(r)?;
            let akimat: String = r.try_get(8)?;
            let act_on: String = r.try_get(9)?;
            let today = self.today(&akimat, now)?;
            if today.to_string() < act_on {
                continue;
            }
            let due_on: Date = o.due_on.parse().map_err(|_| StoreError::Corrupt(format!("due day {}", o.due_on)))?;
            let command = if today <= due_on && o.state == "open" {
                CertificateCommand::Remind { window: o.window, due_on }
            } else if today > due_on && o.window == Window::Reissue {
                CertificateCommand::RecordMissedWindow { window: o.window, due_on }
            } else {
                // An extension window whose reminder day was already past (a short
                // validity): told at the next day it could be, which is none.
                self.close_obligation(&o.id, "void").await?;
                continue;
            };
            let number = CertificateNumber::parse(&o.certificate)
                .map_err(|e| StoreError::Corrupt(format!("certificate {}: {e}", o.certificate)))?;
            let key = format!("obligation:{}:{}", o.id, command.kind().name());
            match self.execute(rules::Actor::system(), now, Request::Certificate { number, command }, Some(&key)).await
            {
                Ok(_) => acted += 1,
                // The certificate is no longer in force (superseded, revoked, expired): its
                // window no longer applies.
                Err(StoreError::Refused(_)) => self.close_obligation(&o.id, "void").await?,
                Err(e) => return Err(e),
            }
        }
        Ok(acted)
    }

    async fn close_obligation(&self, id: &str, state: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE obligations SET state = $1, act_on = NULL, updated_ms = $2 WHERE id = $3")
            .bind(state.to_owned())
            .bind(Timestamp::now().as_millisecond())
            .bind(id.to_owned())
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
