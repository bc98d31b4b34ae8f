//! Queries over the read models and the log. Readers use the pool and never block the
//! writer (SQLite WAL readers see the last committed state).

use jiff::civil::Date;
use rules::akimat::AkimatCode;
use rules::certificate::Certificate;
use rules::complaint::Complaint;
use rules::numbers::{CaseNumber, CertificateNumber};
use rules::{Case, Iin};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::chain::{self, Broken, Link, Verification};
use crate::{Store, StoreError};

/// A line of a work queue: a case or complaint with its due date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueueRow {
    /// The number.
    pub number: String,
    /// The service (or the complaint's route).
    pub service: String,
    /// The state.
    pub state: String,
    /// The last day of the current stage.
    pub due_on: Date,
    /// Past its due date on the day asked.
    pub overdue: bool,
    /// Filed late by the applicant (a flag for the officer).
    pub late_filing: bool,
    /// How far the stage is into its working days on the day asked (the officer's queue).
    pub risk: Option<rules::deadline::Risk>,
    /// The same person has another open application for the same service (issue 36; the
    /// officer's queue): marked, never refused, as the law gives no ground for that.
    pub related: bool,
}

/// Where a page of the queue starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueueFrom {
    /// After skipping this many (0: the first page).
    Offset(i64),
    /// After the line with this due date and number: the last line of the page before. Both
    /// are positions in the queue's order (its columns' text, `2026-03-05`), so any pair is a
    /// place to read on from, whether or not a line is there.
    After {
        /// Its due date, as stored (`YYYY-MM-DD`).
        due_on: String,
        /// Its number.
        number: String,
    },
}

/// What an officer looks for among an akimat's cases. Empty fields do not narrow.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseSearch {
    /// A case number (or its beginning), an IIN, an identity document number, or a part of
    /// the applicant's name.
    pub text: String,
    /// The service, as stored (`issue`, `extend`, `reissue`, `duplicate`).
    pub service: Option<String>,
    /// The profession's occupation code (cases that apply for one: issues).
    pub profession: Option<String>,
    /// The states, as stored; empty for any.
    pub states: Vec<String>,
    /// Only cases past their due date on `today`.
    pub overdue: bool,
    /// Received on or after.
    pub from: Option<Date>,
    /// Received on or before.
    pub to: Option<Date>,
}

/// An event as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredEvent {
    /// Position in the global chain.
    pub global_seq: i64,
    /// Stream.
    pub stream: String,
    /// Position in the stream.
    pub stream_seq: i64,
    /// Kind.
    pub kind: String,
    /// JSON payload.
    pub payload: String,
    /// Actor id.
    pub actor: String,
    /// Role.
    pub role: String,
    /// Instant, ms since the epoch.
    pub at_ms: i64,
    /// Citation.
    pub citation: String,
    /// Hash of the previous event, as older versions stored it; empty for events written
    /// since issue 34, whose own hash covers the previous one anyway.
    pub prev_hash: String,
    /// Its hash.
    pub hash: String,
}

fn event(row: &AnyRow) -> Result<StoredEvent, StoreError> {
    Ok(StoredEvent {
        global_seq: row.try_get(0)?,
        stream: row.try_get(1)?,
        stream_seq: row.try_get(2)?,
        kind: row.try_get(3)?,
        payload: crate::codec::decode(&row.try_get::<String, _>(4)?)?,
        actor: row.try_get(5)?,
        role: row.try_get(6)?,
        at_ms: row.try_get(7)?,
        citation: row.try_get(8)?,
        prev_hash: row.try_get(9)?,
        hash: row.try_get(10)?,
    })
}

macro_rules! event_columns {
    () => {
        "global_seq, stream, stream_seq, kind, payload, actor, role, at_ms, citation, prev_hash, hash"
    };
}

fn date(s: &str) -> Result<Date, StoreError> {
    s.parse().map_err(|e: jiff::Error| StoreError::Corrupt(format!("date {s:?}: {e}")))
}

fn queue_row(row: &AnyRow, today: Date) -> Result<QueueRow, StoreError> {
    let due_on = date(&row.try_get::<String, _>(3)?)?;
    Ok(QueueRow {
        number: row.try_get(0)?,
        service: row.try_get(1)?,
        state: row.try_get(2)?,
        due_on,
        overdue: today > due_on,
        late_filing: row.try_get::<i64, _>(4)? != 0,
        risk: None,
        related: false,
    })
}

impl Store {
    /// A case by number.
    pub async fn case(&self, number: &CaseNumber) -> Result<Option<Case>, StoreError> {
        let row = sqlx::query("SELECT snapshot FROM cases WHERE number = $1")
            .bind(number.to_string())
            .fetch_optional(self.pool())
            .await?;
        row.map(|r| crate::codec::parse(&r.try_get::<String, _>(0)?)).transpose()
    }

    /// An akimat's cases matching `search`, newest first, at most `limit`. The number, IIN and
    /// document number are matched on their columns; a name is looked for in the record
    /// itself, which reads the akimat's rows (the search is for one akimat, and paged).
    pub async fn search_cases(
        &self,
        akimat: &str,
        search: &CaseSearch,
        today: Date,
        limit: i64,
    ) -> Result<Vec<Case>, StoreError> {
        let mut sql = String::from("SELECT snapshot FROM cases WHERE akimat = $1");
        let mut binds: Vec<String> = vec![akimat.to_owned()];
        let arg = |binds: &mut Vec<String>, v: String| {
            binds.push(v);
            format!("${}", binds.len())
        };
        let text = search.text.trim();
        if !text.is_empty() {
            let exact = arg(&mut binds, text.to_owned());
            let prefix = arg(&mut binds, format!("{}%", text.to_uppercase()));
            let name = arg(&mut binds, format!("%{}%", text.to_lowercase()));
            sql += &format!(
                " AND (number LIKE {prefix} OR applicant_iin = {exact} OR representative_iin = {exact} \
                 OR UPPER(document_no) = UPPER({exact}) OR names LIKE {name} \
                 OR (names IS NULL AND LOWER(snapshot) LIKE {name}))"
            );
        }
        if let Some(service) = &search.service {
            let p = arg(&mut binds, service.clone());
            sql += &format!(" AND service = {p}");
        }
        if let Some(profession) = &search.profession {
            let p = arg(&mut binds, profession.clone());
            sql += &format!(" AND profession = {p}");
        }
        if !search.states.is_empty() {
            let list: Vec<String> = search.states.iter().map(|st| arg(&mut binds, st.clone())).collect();
            sql += &format!(" AND state IN ({})", list.join(", "));
        }
        if search.overdue {
            let p = arg(&mut binds, today.to_string());
            sql += &format!(" AND due_on IS NOT NULL AND due_on < {p}");
        }
        if let Some(from) = search.from {
            let p = arg(&mut binds, from.to_string());
            sql += &format!(" AND received_on >= {p}");
        }
        if let Some(to) = search.to {
            let p = arg(&mut binds, to.to_string());
            sql += &format!(" AND received_on <= {p}");
        }
        sql += &format!(" ORDER BY received_on DESC, number DESC LIMIT {}", limit.clamp(1, 500));
        // Only placeholders and a clamped number are written into the text; every value is bound.
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for b in binds {
            q = q.bind(b);
        }
        let rows = q.fetch_all(self.pool()).await?;
        rows.iter().map(|r| crate::codec::parse(&r.try_get::<String, _>(0)?)).collect()
    }

    /// How many of an akimat's cases are in each state, as stored.
    pub async fn case_totals(&self, akimat: &AkimatCode) -> Result<Vec<(String, i64)>, StoreError> {
        let rows = sqlx::query("SELECT state, COUNT(*) FROM cases WHERE akimat = $1 GROUP BY state ORDER BY state")
            .bind(akimat.to_string())
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect()
    }

    /// The cases of an applicant, and those a person filed for others as their representative
    /// (Rules §3), newest first.
    pub async fn cases_of(&self, iin: &Iin) -> Result<Vec<Case>, StoreError> {
        let rows = sqlx::query(
            "SELECT snapshot FROM cases WHERE applicant_iin = $1 OR representative_iin = $1 \
             ORDER BY received_on DESC, number DESC",
        )
        .bind(iin.to_string())
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|r| crate::codec::parse(&r.try_get::<String, _>(0)?)).collect()
    }

    /// An akimat's queue: waiting cases by due date, oldest first (R4.1, R4.4, R4.7), from
    /// where `from` says. [`QueueFrom::After`] reads on from the last line of the page before
    /// by the (akimat, due date) index, so a page deep in the queue costs what the first does;
    /// an offset is kept for callers that still send one, and skips its rows one by one.
    pub async fn queue(
        &self,
        akimat: &AkimatCode,
        today: Date,
        from: &QueueFrom,
        limit: i64,
    ) -> Result<Vec<QueueRow>, StoreError> {
        macro_rules! queue_sql {
            ($after:literal) => {
                concat!(
                    "SELECT number, service, state, due_on, late, snapshot, CAST(CASE WHEN EXISTS (SELECT 1 FROM cases o \
                     WHERE o.applicant_iin = cases.applicant_iin AND o.service = cases.service AND o.number <> cases.number \
                     AND o.state NOT IN ('completed', 'refused', 'not-accepted', 'closed')) THEN 1 ELSE 0 END AS BIGINT) \
                     FROM cases WHERE akimat = $1 AND due_on IS NOT NULL",
                    $after,
                    " ORDER BY due_on, number LIMIT $2 OFFSET $3"
                )
            };
        }
        // Two statements, not one with an `OR` on a parameter: each keeps its index plan.
        let query = match from {
            QueueFrom::Offset(n) => sqlx::query(queue_sql!("")).bind(akimat.to_string()).bind(limit).bind(*n),
            QueueFrom::After { due_on, number } => {
                sqlx::query(queue_sql!(" AND (due_on > $4 OR (due_on = $4 AND number > $5))"))
                    .bind(akimat.to_string())
                    .bind(limit)
                    .bind(0_i64)
                    .bind(due_on.clone())
                    .bind(number.clone())
            }
        };
        let rows = query.fetch_all(self.pool()).await?;
        let calendar = &self.reference().calendar;
        rows.iter()
            .map(|r| {
                let mut line = queue_row(r, today)?;
                // The share of the stage's working days used (issue 15: marked at half).
                let case: Case = crate::codec::parse(&r.try_get::<String, _>(5)?)?;
                line.risk = case.binding_due().and_then(|d| d.risk_on(calendar, today).ok());
                line.related = r.try_get::<i64, _>(6)? != 0;
                Ok(line)
            })
            .collect()
    }

    /// An akimat's overdue cases: a range scan on the (akimat, due_on) index.
    pub async fn overdue(&self, akimat: &AkimatCode, today: Date) -> Result<Vec<QueueRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT number, service, state, due_on, late FROM cases WHERE akimat = $1 AND due_on < $2 ORDER BY due_on, number",
        )
        .bind(akimat.to_string())
        .bind(today.to_string())
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|r| queue_row(r, today)).collect()
    }

    /// The SQL of [`Store::overdue`], for a test that checks the plan uses the index.
    pub const OVERDUE_SQL: &'static str = "SELECT number FROM cases WHERE akimat = $1 AND due_on < $2 ORDER BY due_on";

    /// The Commission's agenda: cases forwarded and not yet decided, by due date.
    pub async fn agenda(&self, akimat: &AkimatCode, today: Date) -> Result<Vec<QueueRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT number, service, state, due_on, late FROM cases WHERE akimat = $1 AND state = 'with-commission' \
             AND due_on IS NOT NULL ORDER BY due_on, number",
        )
        .bind(akimat.to_string())
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|r| queue_row(r, today)).collect()
    }

    /// A certificate by number.
    pub async fn certificate(&self, number: &CertificateNumber) -> Result<Option<Certificate>, StoreError> {
        let row = sqlx::query("SELECT snapshot FROM certificates WHERE number = $1")
            .bind(number.to_string())
            .fetch_optional(self.pool())
            .await?;
        row.map(|r| crate::codec::parse(&r.try_get::<String, _>(0)?)).transpose()
    }

    /// An akimat's register of certificates, newest first: all, or those whose number begins
    /// with `text`, whose holder has that IIN, or whose holder's name contains it.
    pub async fn certificate_register(
        &self,
        akimat: &str,
        text: &str,
        limit: i64,
    ) -> Result<Vec<Certificate>, StoreError> {
        let text = text.trim();
        let limit = limit.clamp(1, 500);
        let rows = if text.is_empty() {
            sqlx::query(
                "SELECT snapshot FROM certificates WHERE akimat = $1 ORDER BY valid_from DESC, number DESC LIMIT $2",
            )
            .bind(akimat.to_string())
            .bind(limit)
            .fetch_all(self.pool())
            .await?
        } else {
            sqlx::query(
                "SELECT snapshot FROM certificates WHERE akimat = $1 AND (number LIKE $2 OR holder_iin = $3 \
                 OR names LIKE $4 OR (names IS NULL AND LOWER(snapshot) LIKE $4)) \
                 ORDER BY valid_from DESC, number DESC LIMIT $5",
            )
            .bind(akimat.to_string())
            .bind(format!("{}%", text.to_uppercase()))
            .bind(text.to_owned())
            .bind(format!("%{}%", text.to_lowercase()))
            .bind(limit)
            .fetch_all(self.pool())
            .await?
        };
        rows.iter().map(|r| crate::codec::parse(&r.try_get::<String, _>(0)?)).collect()
    }

    /// Every certificate, by number.
    pub async fn certificates(&self) -> Result<Vec<Certificate>, StoreError> {
        let rows = sqlx::query("SELECT snapshot FROM certificates ORDER BY number").fetch_all(self.pool()).await?;
        rows.iter().map(|r| crate::codec::parse(&r.try_get::<String, _>(0)?)).collect()
    }

    /// The certificate first in the register's order, without reading the others (the demo's
    /// guide names one; the register may hold many thousands).
    pub async fn first_certificate(&self) -> Result<Option<Certificate>, StoreError> {
        let row = sqlx::query("SELECT snapshot FROM certificates ORDER BY number LIMIT 1")
            .fetch_optional(self.pool())
            .await?;
        row.map(|r| crate::codec::parse(&r.try_get::<String, _>(0)?)).transpose()
    }

    /// A complaint by number.
    pub async fn complaint(&self, number: &CaseNumber) -> Result<Option<Complaint>, StoreError> {
        let row = sqlx::query("SELECT snapshot FROM complaints WHERE number = $1")
            .bind(number.to_string())
            .fetch_optional(self.pool())
            .await?;
        row.map(|r| crate::codec::parse(&r.try_get::<String, _>(0)?)).transpose()
    }

    /// An akimat's open complaints by due date.
    pub async fn complaints(&self, akimat: &AkimatCode, today: Date) -> Result<Vec<QueueRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT number, route, state, due_on, 0 FROM complaints WHERE akimat = $1 AND due_on IS NOT NULL ORDER BY due_on, number",
        )
        .bind(akimat.to_string())
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|r| queue_row(r, today)).collect()
    }

    /// The complaints a person filed, newest first.
    pub async fn complaints_of(&self, iin: &Iin) -> Result<Vec<Complaint>, StoreError> {
        let rows = sqlx::query("SELECT snapshot FROM complaints WHERE complainant_iin = $1 ORDER BY number DESC")
            .bind(iin.to_string())
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(|r| crate::codec::parse(&r.try_get::<String, _>(0)?)).collect()
    }

    /// Complaints forwarded to the reviewing body and not yet decided, by due date.
    pub async fn complaints_under_review(&self, today: Date) -> Result<Vec<QueueRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT number, route, state, due_on, 0 FROM complaints WHERE state = 'under-review' AND due_on IS NOT NULL ORDER BY due_on, number",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|r| queue_row(r, today)).collect()
    }

    /// The events of a stream (`case/…`, `certificate/…`, `complaint/…`), in order.
    pub async fn stream(&self, stream: &str) -> Result<Vec<StoredEvent>, StoreError> {
        let rows =
            sqlx::query(concat!("SELECT ", event_columns!(), " FROM events WHERE stream = $1 ORDER BY stream_seq"))
                .bind(stream.to_owned())
                .fetch_all(self.pool())
                .await?;
        rows.iter().map(event).collect()
    }

    /// The events of each of `streams`, in order, by stream: one statement for them all. For
    /// the replay, which reads a period's log: only what it reads is fetched, so `actor`,
    /// `role` and the hashes are left empty (the payload names the actor).
    ///
    /// Each stream comes back as one row, its events gathered by the database into a JSON
    /// array: a row through the driver costs more than the event it carries (a message
    /// between threads, and a copy into the backend-neutral row), and a case has four or
    /// five events.
    pub(crate) async fn streams(
        &self,
        streams: &[String],
    ) -> Result<std::collections::HashMap<String, Vec<StoredEvent>>, StoreError> {
        /// An event as the database gathers it: global and stream position, kind, stored
        /// payload, instant, citation. The payload is borrowed from the row's text where it
        /// has no escapes (a compressed one never has): it is decoded at once.
        #[derive(serde::Deserialize)]
        struct Gathered<'a>(i64, i64, String, #[serde(borrow)] std::borrow::Cow<'a, str>, i64, String);
        let mut out = std::collections::HashMap::with_capacity(streams.len());
        let mut conn = self.pool().acquire().await?;
        let gather = if conn.backend_name() == "SQLite" {
            "json_group_array(json_array(global_seq, stream_seq, kind, payload, at_ms, citation))"
        } else {
            "json_agg(json_build_array(global_seq, stream_seq, kind, payload, at_ms, citation))::text"
        };
        let head = format!("SELECT stream, {gather} FROM events WHERE stream IN");
        for row in crate::db::select_in_then(&mut conn, &head, streams, " GROUP BY stream").await? {
            let stream: String = row.try_get(0)?;
            let text: String = row.try_get(1)?;
            let gathered: Vec<Gathered<'_>> = serde_json::from_str(&text)?;
            let mut events = gathered
                .into_iter()
                .map(|Gathered(global_seq, stream_seq, kind, payload, at_ms, citation)| {
                    Ok(StoredEvent {
                        global_seq,
                        stream: stream.clone(),
                        stream_seq,
                        kind,
                        payload: crate::codec::decode(&payload)?,
                        actor: String::new(),
                        role: String::new(),
                        at_ms,
                        citation,
                        prev_hash: String::new(),
                        hash: String::new(),
                    })
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            events.sort_by_key(|e| e.stream_seq);
            out.insert(stream, events);
        }
        Ok(out)
    }

    /// A case as it stood before the event at global position `before`, with the events that
    /// made it so: what a complaint filed at that point was about (Rules §26). Events are only
    /// ever appended, so the answer is the same whatever happens to the case later.
    pub async fn case_as_of(
        &self,
        number: &CaseNumber,
        before: i64,
    ) -> Result<Option<(Case, Vec<StoredEvent>)>, StoreError> {
        let events: Vec<StoredEvent> =
            self.stream(&format!("case/{number}")).await?.into_iter().filter(|e| e.global_seq < before).collect();
        let parsed = events
            .iter()
            .map(|e| serde_json::from_str::<rules::case::Event>(&e.payload))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Case::from_events(&parsed).map(|c| (c, events)))
    }

    /// Case `number` as it stood at `at_ms` (its events up to that instant folded); `None`
    /// when it did not exist yet.
    pub async fn case_at(&self, number: &CaseNumber, at_ms: i64) -> Result<Option<Case>, StoreError> {
        let parsed = self
            .stream(&format!("case/{number}"))
            .await?
            .into_iter()
            .filter(|e| e.at_ms <= at_ms)
            .map(|e| serde_json::from_str::<rules::case::Event>(&e.payload))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Case::from_events(&parsed))
    }

    /// The other open cases of the same person for the same service (issue 36): a second
    /// first-issue application while one is open is flagged, never refused (the law gives no
    /// ground for it). As (number, state).
    pub async fn related_open_cases(
        &self,
        iin: &str,
        service: &str,
        except: &str,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let rows = sqlx::query(
            "SELECT number, state FROM cases WHERE applicant_iin = $1 AND service = $2 AND number <> $3 \
             AND state NOT IN ('completed', 'refused', 'not-accepted', 'closed') ORDER BY number",
        )
        .bind(iin.to_owned())
        .bind(service.to_owned())
        .bind(except.to_owned())
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect()
    }

    /// Whether the database answers: one trivial query on a pooled connection, cheap enough
    /// for a load balancer to ask every second.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").fetch_one(self.pool()).await?;
        Ok(())
    }

    /// Whether any event is recorded, without counting them.
    pub async fn has_events(&self) -> Result<bool, StoreError> {
        Ok(sqlx::query("SELECT 1 FROM events LIMIT 1").fetch_optional(self.pool()).await?.is_some())
    }

    /// The number of events recorded.
    pub async fn event_count(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query("SELECT COUNT(*) FROM events").fetch_one(self.pool()).await?.try_get(0)?)
    }

    /// Recomputes the hash chain from the first event and names the first broken link;
    /// `progress` is called with the events checked so far.
    pub async fn verify(&self, progress: &(dyn Fn(u64) + Sync)) -> Result<Verification, StoreError> {
        self.verify_range(1, chain::GENESIS, progress).await
    }

    /// Recomputes the chain from event `from`, whose predecessor's hash is `prev`, to the head
    /// as it stood when the check began: events the writer appends meanwhile are left to the
    /// next check, so a live store is never taken for a cut one.
    pub(crate) async fn verify_range(
        &self,
        from: i64,
        prev: &str,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<Verification, StoreError> {
        let (head_seq, head_hash) = chain::head(self.pool()).await?;
        let mut prev = prev.to_owned();
        let mut expected_seq = from;
        let mut checked = 0u64;
        loop {
            let rows = sqlx::query(concat!(
                "SELECT ",
                event_columns!(),
                " FROM events WHERE global_seq >= $1 AND global_seq <= $2 ORDER BY global_seq LIMIT 5000"
            ))
            .bind(expected_seq)
            .bind(head_seq)
            .fetch_all(self.pool())
            .await?;
            if rows.is_empty() {
                break;
            }
            for row in &rows {
                let e = event(row)?;
                if let Some(problem) = link_problem(&e, expected_seq, &prev) {
                    let broken = Broken { global_seq: e.global_seq, stream: e.stream.clone(), problem };
                    return Ok(Verification { events: checked, broken: Some(broken) });
                }
                prev = e.hash;
                expected_seq += 1;
                checked += 1;
            }
            progress(checked);
        }
        if head_seq != expected_seq - 1 || head_hash != prev {
            return Ok(Verification {
                events: checked,
                broken: Some(Broken {
                    global_seq: head_seq,
                    stream: "(chain head)".into(),
                    problem: format!(
                        "the chain head says {head_seq} events but {} were found: the last events were removed",
                        expected_seq - 1
                    ),
                }),
            });
        }
        Ok(Verification { events: checked, broken: None })
    }
}

/// What is wrong with event `e` as the link after `prev`, expected at `expected_seq`.
fn link_problem(e: &StoredEvent, expected_seq: i64, prev: &str) -> Option<String> {
    if e.global_seq != expected_seq {
        return Some(format!("sequence jumps from {} to {}: events are missing", expected_seq - 1, e.global_seq));
    }
    // Events written since issue 34 leave it empty: it is the hash of the event before, which
    // this event's own hash covers, so keeping it again only took 65 bytes an event.
    if !e.prev_hash.is_empty() && e.prev_hash != prev {
        return Some("its previous-hash does not match the event before it".to_owned());
    }
    let link = Link {
        global_seq: e.global_seq,
        stream: &e.stream,
        stream_seq: e.stream_seq,
        kind: &e.kind,
        payload: &e.payload,
        actor: &e.actor,
        role: &e.role,
        at_ms: e.at_ms,
        citation: &e.citation,
    };
    (chain::hash(prev, &link) != e.hash).then(|| "its content does not match its hash: it was changed".to_owned())
}
