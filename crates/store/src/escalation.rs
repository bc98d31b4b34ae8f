//! Escalation before a breach. Each running case carries the day it next needs someone told
//! (`cases.escalate_on`, indexed): the day most of its stage's working days are used, then the
//! day after its due day. The sweep reads only the cases whose day has come, records each
//! alert once as a fact with its derivation (`escalations`: the stage's first day, its
//! allowance, its due day, the paragraph), queues its delivery to the akimat's head, and moves
//! the case's day on. Judged on each akimat's clock, by the working-day calendar.

use jiff::civil::Date;
use rules::Case;
use rules::deadline::Risk;
use sqlx::Row;

use crate::{Store, StoreError};

/// The kind of the work of mailing an alert to the akimat's head.
pub const ALERT: &str = "escalation";

/// The first day a case written now needs someone told; `None` for a case no stage runs on.
pub fn first_alert(calendar: &rules::Calendar, case: &Case) -> Option<Date> {
    if case.state.is_terminal() {
        return None;
    }
    let due = case.binding_due()?;
    due.next_alert(calendar, Risk::OnTrack).ok().flatten().map(|(_, d)| d)
}

/// An alert the sweep gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    /// The case.
    pub case_number: String,
    /// Its akimat.
    pub akimat: String,
    /// Most of the allowance used, or breached.
    pub level: Risk,
    /// The stage's due date with its paragraph.
    pub due: rules::deadline::DueDate,
    /// The day it was judged on.
    pub on_day: Date,
}

/// An alert as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// The case.
    pub case_number: String,
    /// `most` or `breached`.
    pub level: String,
    /// The day judged on.
    pub on_day: String,
    /// The stage's first day (not counted) and its allowance in working days.
    pub from_day: String,
    /// Working days allowed.
    pub allowance: i64,
    /// The stage's last day.
    pub due_on: String,
    /// The paragraph.
    pub citation: String,
    /// When it was recorded.
    pub at_ms: i64,
}

/// The id of the work of mailing an alert to the akimat's head.
pub fn alert_job(case_number: &str, due_on: &str, level: &str) -> String {
    format!("{ALERT}:{case_number}:{due_on}:{level}")
}

/// The id of the work of mailing an alert to one of the akimat's officers (by account id):
/// one job per person, so a retry never mails anyone twice.
pub fn officer_alert_job(case_number: &str, due_on: &str, level: &str, officer: &str) -> String {
    format!("{ALERT}:{case_number}:{due_on}:{level}:user:{officer}")
}

/// Where an officer wants their akimat's alerts: a contact kept under this key.
pub fn officer_contact(user_id: &str) -> String {
    format!("user:{user_id}")
}

impl Store {
    /// Gives the alerts due at `now`: reads the cases whose alert day has come (by the index),
    /// records each alert once, queues its mail, and sets the case's next alert day. Returns
    /// the alerts given now (an alert given before is not given again).
    pub async fn escalation_sweep(&self, now: jiff::Timestamp, limit: i64) -> Result<Vec<Alert>, StoreError> {
        let calendar = &self.reference().calendar;
        let latest = self.latest_day(now);
        let rows = sqlx::query(
            "SELECT number, akimat, version, snapshot FROM cases WHERE escalate_on IS NOT NULL AND escalate_on <= $1 \
             ORDER BY escalate_on, number LIMIT $2",
        )
        .bind(latest.to_string())
        .bind(limit.clamp(1, 100_000))
        .fetch_all(self.pool())
        .await?;
        let now_ms = now.as_millisecond();
        let mut given = Vec::new();
        // One transaction for the whole sweep: a day on which many cases fall due costs one
        // commit, not one each; a failure leaves every case for the next sweep.
        let mut tx = self.pool().begin().await?;
        for r in &rows {
            let (number, akimat, version): (String, String, i64) = (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
            let case: Case = crate::codec::parse(&r.try_get::<String, _>(3)?)?;
            let today = self.today(&akimat, now)?;
            let due = case.binding_due().filter(|_| !case.state.is_terminal()).cloned();
            let (next, alert) = match &due {
                None => (None, None),
                Some(due) => {
                    let risk = due.risk_on(calendar, today).map_err(|e| StoreError::Config(e.to_string()))?;
                    let next = due
                        .next_alert(calendar, risk.max(Risk::Half))
                        .map_err(|e| StoreError::Config(e.to_string()))?;
                    let alert = (risk >= Risk::Most).then(|| Alert {
                        case_number: number.clone(),
                        akimat: akimat.clone(),
                        level: risk,
                        due: due.clone(),
                        on_day: today,
                    });
                    (next.map(|(_, d)| d), alert)
                }
            };
            // Only the case as it was read: a step taken meanwhile set its own alert day.
            let moved = sqlx::query("UPDATE cases SET escalate_on = $1 WHERE number = $2 AND version = $3")
                .bind(next.map(|d| d.to_string()))
                .bind(number.clone())
                .bind(version)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if moved == 0 {
                continue;
            }
            if let Some(a) = alert {
                let recorded = sqlx::query(
                    "INSERT INTO escalations (case_number, akimat, due_on, level, on_day, from_day, allowance, citation, at_ms) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (case_number, due_on, level) DO NOTHING",
                )
                .bind(a.case_number.clone())
                .bind(a.akimat.clone())
                .bind(a.due.on.to_string())
                .bind(a.level.tag())
                .bind(a.on_day.to_string())
                .bind(a.due.from.to_string())
                .bind(i64::from(a.due.working_days))
                .bind(a.due.citation.as_str().to_owned())
                .bind(now_ms)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if recorded == 1 {
                    // The head, and each of the akimat's officers in service (Issue 15: at
                    // most of the allowance, the officer and the head are told).
                    let due_on = a.due.on.to_string();
                    let officers = sqlx::query(
                        "SELECT id FROM users WHERE role = 'officer' AND akimat = $1 AND disabled_ms IS NULL",
                    )
                    .bind(a.akimat.clone())
                    .fetch_all(&mut *tx)
                    .await?;
                    let mut ids = vec![alert_job(&a.case_number, &due_on, a.level.tag())];
                    for o in &officers {
                        let id: String = o.try_get(0)?;
                        ids.push(officer_alert_job(&a.case_number, &due_on, a.level.tag(), &id));
                    }
                    for id in ids {
                        sqlx::query(
                            "INSERT INTO jobs (id, kind, state, attempts, run_after_ms, leased_until_ms, created_ms) \
                             VALUES ($1, $2, 'pending', 0, $3, 0, $3) ON CONFLICT (id) DO NOTHING",
                        )
                        .bind(id)
                        .bind(ALERT)
                        .bind(now_ms)
                        .execute(&mut *tx)
                        .await?;
                    }
                    given.push(a);
                }
            }
        }
        tx.commit().await?;
        Ok(given)
    }

    /// One recorded alert: a case's stage (by its due day) at a mark.
    pub async fn escalation(
        &self,
        case_number: &str,
        due_on: &str,
        level: &str,
    ) -> Result<Option<Recorded>, StoreError> {
        let row = sqlx::query(
            "SELECT case_number, level, on_day, from_day, allowance, due_on, citation, at_ms FROM escalations \
             WHERE case_number = $1 AND due_on = $2 AND level = $3",
        )
        .bind(case_number.to_owned())
        .bind(due_on.to_owned())
        .bind(level.to_owned())
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(recorded).transpose()
    }

    /// How many of an akimat's cases are still open with an alert recorded at their stage as
    /// it runs now (most of its days used, or breached): what the officer must look at.
    pub async fn open_alerts(&self, akimat: &str) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "SELECT CAST(COUNT(DISTINCT e.case_number) AS BIGINT) FROM escalations e \
             JOIN cases c ON c.number = e.case_number AND c.due_on = e.due_on \
             WHERE e.akimat = $1 AND c.state NOT IN ('completed', 'refused', 'not-accepted', 'closed')",
        )
        .bind(akimat.to_owned())
        .fetch_one(self.pool())
        .await?;
        Ok(row.try_get(0)?)
    }

    /// An akimat's alerts, newest first.
    pub async fn escalations(&self, akimat: &str, limit: i64) -> Result<Vec<Recorded>, StoreError> {
        let rows = sqlx::query(
            "SELECT case_number, level, on_day, from_day, allowance, due_on, citation, at_ms FROM escalations \
             WHERE akimat = $1 ORDER BY at_ms DESC, case_number LIMIT $2",
        )
        .bind(akimat.to_owned())
        .bind(limit.clamp(1, 1000))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(recorded).collect()
    }
}

/// An alert from its row (case_number, level, on_day, from_day, allowance, due_on, citation,
/// at_ms).
fn recorded(r: &sqlx::any::AnyRow) -> Result<Recorded, StoreError> {
    Ok(Recorded {
        case_number: r.try_get(0)?,
        level: r.try_get(1)?,
        on_day: r.try_get(2)?,
        from_day: r.try_get(3)?,
        allowance: r.try_get(4)?,
        due_on: r.try_get(5)?,
        citation: r.try_get(6)?,
        at_ms: r.try_get(7)?,
    })
}
