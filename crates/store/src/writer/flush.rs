//! The end of a batch: everything its commands wrote, in a few multi-row statements, in named
//! steps, the chain head last. The steps gather their statements into two scripts
//! (`rows::Script`), each one round trip on SQLite.

use std::collections::HashMap;

use jiff::Timestamp;
use rules::case::Case;
use rules::certificate::Certificate;
use rules::complaint::Complaint;

use super::cx::Cx;
use super::cx::EventRow;
use super::cx::KeptAnswer;
use super::cx::concerned;
use super::rows::Script;
use super::rows::script_cells;
use crate::tags::tag_of;
use crate::{Reference, StoreError};

/// Writes everything the batch kept in memory, the chain head last.
///
/// The events' payloads and the cases' snapshots are encoded (JSON, zstd, base64) on the
/// blocking pool while the writer gathers the rows and the first script runs: encoding in
/// line took a third of the batch's time (issue 34).
pub(crate) async fn flush(cx: &mut Cx<'_>) -> Result<(), StoreError> {
    let events = std::mem::take(&mut cx.events);
    // Who is told of each event, while the batch's cases are still at hand.
    let notices: Vec<(i64, String, usize)> = events
        .iter()
        .enumerate()
        .flat_map(|(i, e)| concerned(cx, &e.stream).into_iter().map(move |iin| (e.global_seq, iin, i)))
        .collect();
    let cases: Vec<Case> = std::mem::take(&mut cx.cases).into_values().collect();
    // One thread encodes both, events first: with a second encoder the driver's thread, which
    // runs the statements meanwhile, found no core free on a machine of two.
    let (payloads_tx, payloads) = tokio::sync::oneshot::channel();
    let (snapshots_tx, snapshots) = tokio::sync::oneshot::channel();
    tokio::task::spawn_blocking(move || {
        let encoded = events.iter().map(|e| crate::codec::encode(&e.payload)).collect::<Result<Vec<_>, _>>();
        let _ = payloads_tx.send((events, encoded));
        let encoded = cases.iter().map(crate::codec::encode_value).collect::<Result<Vec<_>, _>>();
        let _ = snapshots_tx.send((cases, encoded));
    });
    let lost = |_| StoreError::Unavailable("the encoding thread stopped".into());
    // Two scripts (rows::Script), one round trip each on SQLite: the first runs while the
    // cases' snapshots are encoded.
    let (events, payloads) = payloads.await.map_err(lost)?;
    let payloads = payloads?;
    let mut first = Script::new(cx.conn);
    counters_and_blobs(cx, &mut first);
    side_rows(cx, &mut first)?;
    notices_and_mail(&mut first, &events, &notices)?;
    insert_events(&mut first, &events, &payloads);
    first.run(cx.conn).await?;
    let (cases, snapshots) = snapshots.await.map_err(lost)?;
    let snapshots = snapshots?;
    let mut second = Script::new(cx.conn);
    open_stages(cx, &cases, &mut second);
    write_cases(cx, &cases, &snapshots, &mut second);
    certificates(cx, &mut second);
    complaints(cx, &mut second);
    reports_and_head(cx, &mut second);
    second.run(cx.conn).await?;
    // Its statements are numbered and few: only certificates' acts open or close windows.
    let ops = std::mem::take(&mut cx.obligations);
    crate::obligations::apply(cx.conn, &ops, Timestamp::now().as_millisecond()).await
}

/// The batch's counters that moved, and the documents its filings named.
fn counters_and_blobs(cx: &mut Cx<'_>, script: &mut Script<'_>) {
    let counters: Vec<(String, i64)> =
        cx.counters.iter().filter(|(_, (_, dirty))| *dirty).map(|(n, (v, _))| (n.clone(), *v)).collect();
    script.rows(
        "counters",
        &["name", "value"],
        "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        counters,
        |q, (name, value)| Ok(q.bind(name.clone()).bind(*value)),
    );
    let mut blob_rows = std::mem::take(&mut cx.blobs_seen);
    blob_rows.sort_by(|a, b| a.sha256.cmp(&b.sha256));
    blob_rows.dedup_by(|a, b| a.sha256 == b.sha256);
    let blob_cols = ["sha256", "size", "media_type", "created_ms"];
    script.rows("blobs", &blob_cols, "ON CONFLICT (sha256) DO NOTHING", blob_rows, |q, b| {
        Ok(q.bind(b.sha256.clone()).bind(b.size as i64).bind(b.media_type).bind(b.created_ms))
    });
}

/// The rows kept beside the commands (`Store::keep`): new rows in one statement per table,
/// changes to existing rows one statement each, all in the batch's transaction.
fn side_rows(cx: &mut Cx<'_>, script: &mut Script<'_>) -> Result<(), StoreError> {
    use crate::side::Side;
    let (mut uploads, mut sessions, mut contacts, mut changes) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut reads = Vec::new();
    for s in std::mem::take(&mut cx.side) {
        match s {
            Side::Upload { owner, sha256, size, created_ms } => uploads.push((owner, sha256, size, created_ms)),
            Side::Session { .. } => sessions.push(s),
            Side::Access(batch) => reads.extend(batch),
            Side::Contact { iin, email, lang } => {
                // The last word of a person in this batch; one row each, as PostgreSQL's
                // ON CONFLICT DO UPDATE touches a row once per statement.
                contacts.retain(|(i, _, _): &(String, Option<String>, String)| *i != iin);
                contacts.push((iin, email, lang));
            }
            other => changes.push(other),
        }
    }
    script.rows(
        "uploads",
        &["owner", "sha256", "size", "created_ms"],
        "ON CONFLICT (owner, sha256) DO NOTHING",
        uploads,
        |q, (owner, sha, size, at)| Ok(q.bind(owner.clone()).bind(sha.clone()).bind(*size).bind(*at)),
    );
    let session_cols = ["id", "handle", "kind", "user_id", "csrf", "created_ms", "expires_ms"];
    script.rows("sessions", &session_cols, "", sessions, |q, s| match s {
        Side::Session { id, handle, kind, user_id, csrf, created_ms, expires_ms } => Ok(q
            .bind(id.clone())
            .bind(handle.clone())
            .bind(kind.clone())
            .bind(user_id.clone())
            .bind(csrf.clone())
            .bind(*created_ms)
            .bind(*expires_ms)),
        _ => Err(StoreError::Corrupt("not a session".into())),
    });
    script.rows(
        "contacts",
        &["iin", "email", "lang"],
        "ON CONFLICT (iin) DO UPDATE SET email = excluded.email, lang = excluded.lang",
        contacts,
        |q, (iin, email, lang)| Ok(q.bind(iin.clone()).bind(email.clone()).bind(lang.clone())),
    );
    insert_reads(script, &reads)?;
    for change in changes {
        side_change(script, change);
    }
    Ok(())
}

/// The batch's reads, in one statement with one parameter: the reads as a JSON array of
/// rows, taken apart by the database. A read is small and there are many (every staff page
/// view), so binding eight values per row cost more than the row's insert.
fn insert_reads(script: &mut Script<'_>, reads: &[crate::side::Read]) -> Result<(), StoreError> {
    if reads.is_empty() {
        return Ok(());
    }
    let rows: Vec<_> = reads
        .iter()
        .map(|r| {
            (
                &r.subject_iin,
                r.at_ms,
                &r.reader_id,
                &r.reader_role,
                r.reader_akimat.as_deref(),
                &r.record,
                &r.route,
                &r.purpose,
            )
        })
        .collect();
    let sql = if script.sqlite() {
        "INSERT INTO access_log (subject_iin, at_ms, reader_id, reader_role, reader_akimat, record, route, purpose) \
         SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, value->>7 \
         FROM json_each($1)"
    } else {
        "INSERT INTO access_log (subject_iin, at_ms, reader_id, reader_role, reader_akimat, record, route, purpose) \
         SELECT e->>0, (e->>1)::BIGINT, e->>2, e->>3, e->>4, e->>5, e->>6, e->>7 FROM json_array_elements($1::json) AS e"
    };
    let json = serde_json::to_string(&rows)?;
    script.statement(sql, move |q| Ok(q.bind(json)));
    Ok(())
}

/// A side row that changes an existing one.
fn side_change(script: &mut Script<'_>, change: crate::side::Side) {
    use crate::side::Side;
    match change {
        Side::ReadMark { iin, up_to, read_ms } => script.statement(
            "UPDATE notifications SET read_ms = $1 WHERE recipient_iin = $2 AND global_seq <= $3 AND read_ms IS NULL",
            move |q| Ok(q.bind(read_ms).bind(iin).bind(up_to)),
        ),
        Side::JobDone { id, done_ms } => script
            .statement("UPDATE jobs SET state = 'done', done_ms = $1, last_error = NULL WHERE id = $2", move |q| {
                Ok(q.bind(done_ms).bind(id))
            }),
        Side::JobFailed { id, state, error, run_after_ms } => script.statement(
            "UPDATE jobs SET state = $1, last_error = $2, run_after_ms = $3, leased_until_ms = 0, sending_ms = NULL \
             WHERE id = $4",
            move |q| Ok(q.bind(state).bind(error).bind(run_after_ms).bind(id)),
        ),
        Side::JobSending { id, at_ms } => {
            script.statement("UPDATE jobs SET sending_ms = $1 WHERE id = $2", move |q| Ok(q.bind(at_ms).bind(id)));
        }
        Side::JobReleased { id } => script.statement(
            "UPDATE jobs SET leased_until_ms = 0, attempts = attempts - 1 WHERE id = $1 AND state = 'pending'",
            move |q| Ok(q.bind(id)),
        ),
        Side::Upload { .. } | Side::Session { .. } | Side::Contact { .. } | Side::Access(_) => {}
    }
}

/// A notice for each person concerned by the batch's events, in the same transaction
/// (crate::notifications), and a delivery job for each notice to a person who gave an e-mail
/// address (after the batch's own contacts, earlier in the script), so a crash after the
/// commit loses no delivery. Nobody else gets a job: most people read their notices in the
/// cabinet, and a job per notice was an eighth of the store (issue 34). An address given later
/// applies from then on.
///
/// The database picks the people with an address: asking first was a round trip of its own
/// between two scripts. The job's name is `jobs::notice_job`'s, `notice:SEQ:IIN`, spelled in
/// SQL here; the mail tests read it back with `jobs::notice_of`.
fn notices_and_mail<'a>(
    script: &mut Script<'a>,
    events: &'a [EventRow],
    notices: &'a [(i64, String, usize)],
) -> Result<(), StoreError> {
    if notices.is_empty() {
        return Ok(());
    }
    script.rows(
        "notifications",
        &["global_seq", "recipient_iin", "stream", "kind", "at_ms"],
        "ON CONFLICT (global_seq, recipient_iin) DO NOTHING",
        notices.iter().collect(),
        |q, (seq, iin, i)| {
            let e = &events[*i];
            Ok(q.bind(*seq).bind(iin.clone()).bind(e.stream.clone()).bind(e.kind.clone()).bind(e.at_ms))
        },
    );
    let told: Vec<(i64, &str)> = notices.iter().map(|(seq, iin, _)| (*seq, iin.as_str())).collect();
    let told = serde_json::to_string(&told)?;
    let sql = if script.sqlite() {
        "INSERT INTO jobs (id, kind, state, attempts, run_after_ms, leased_until_ms, created_ms) \
         SELECT $1 || ':' || (n.value->>0) || ':' || c.iin, $2, 'pending', 0, $3, 0, $4 \
         FROM json_each($5) AS n JOIN contacts AS c ON c.iin = n.value->>1 \
         WHERE c.email IS NOT NULL ON CONFLICT (id) DO NOTHING"
    } else {
        "INSERT INTO jobs (id, kind, state, attempts, run_after_ms, leased_until_ms, created_ms) \
         SELECT $1 || ':' || (n->>0) || ':' || c.iin, $2, 'pending', 0, $3, 0, $4 \
         FROM json_array_elements($5::json) AS n JOIN contacts AS c ON c.iin = n->>1 \
         WHERE c.email IS NOT NULL ON CONFLICT (id) DO NOTHING"
    };
    let now_ms = Timestamp::now().as_millisecond();
    script.statement(sql, move |q| {
        Ok(q.bind(crate::jobs::NOTICE).bind(crate::jobs::NOTICE).bind(now_ms).bind(now_ms).bind(told))
    });
    Ok(())
}

/// The events, chained.
fn insert_events<'a>(script: &mut Script<'a>, events: &'a [EventRow], payloads: &'a [String]) {
    let cols = [
        "global_seq",
        "stream",
        "stream_seq",
        "kind",
        "payload",
        "actor",
        "role",
        "at_ms",
        "citation",
        "prev_hash",
        "hash",
    ];
    let rows: Vec<(&EventRow, &String)> = events.iter().zip(payloads).collect();
    script.rows("events", &cols, "", rows, |q, (e, payload)| {
        Ok(q.bind(e.global_seq)
            .bind(e.stream.clone())
            .bind(e.stream_seq)
            .bind(e.kind.clone())
            .bind((*payload).clone())
            .bind(e.actor.clone())
            .bind(e.role.clone())
            .bind(e.at_ms)
            .bind(e.citation.clone())
            // Empty: the hash covers the previous hash already (read::link_problem).
            .bind(String::new())
            .bind(e.hash.clone()))
    });
}

/// The count of open cases by stage allowance, moved by each case that changed.
fn open_stages(cx: &mut Cx<'_>, cases: &[Case], script: &mut Script<'_>) {
    // The count of open cases by stage allowance moves with each case that changed.
    let mut open: HashMap<crate::reports::OpenKey, i64> = HashMap::new();
    for case in cases {
        let before = cx.open_before.get(&case.number.to_string()).cloned().flatten();
        let after = crate::reports::open_key(case);
        if before != after {
            if let Some(k) = before {
                *open.entry(k).or_default() -= 1;
            }
            if let Some(k) = after {
                *open.entry(k).or_default() += 1;
            }
        }
    }
    cx.open_before.clear();
    let open: Vec<(crate::reports::OpenKey, i64)> = open.into_iter().filter(|(_, n)| *n != 0).collect();
    if open.is_empty() {
        return;
    }
    script.rows(
        "open_stages",
        &["akimat", "due_from", "due_on", "due_days", "count"],
        "ON CONFLICT (akimat, due_from, due_on, due_days) DO UPDATE SET count = open_stages.count + excluded.count",
        open,
        |q, ((akimat, from, on, days), n)| {
            Ok(q.bind(akimat.clone()).bind(from.clone()).bind(on.clone()).bind(*days).bind(*n))
        },
    );
    script.statement("DELETE FROM open_stages WHERE count = 0", |q| Ok(q));
}

/// The cases' rows: the queues' columns and the snapshot.
fn write_cases<'a>(cx: &Cx<'a>, cases: &'a [Case], snapshots: &'a [String], script: &mut Script<'a>) {
    let reference: &'a Reference = cx.reference;
    let calendar = &reference.calendar;
    let case_cols = [
        "number",
        "akimat",
        "service",
        "state",
        "applicant_iin",
        "document_no",
        "version",
        "received_on",
        "due_on",
        "late",
        "updated_ms",
        "snapshot",
        "representative_iin",
        "profession",
        "escalate_on",
        "due_from",
        "due_days",
        "names",
    ];
    let now_ms = Timestamp::now().as_millisecond();
    let tail = "ON CONFLICT (number) DO UPDATE SET state = excluded.state, version = excluded.version, due_on = excluded.due_on, \
                late = excluded.late, updated_ms = excluded.updated_ms, snapshot = excluded.snapshot, \
                result_signed_ms = NULL, escalate_on = excluded.escalate_on, due_from = excluded.due_from, \
                due_days = excluded.due_days, names = excluded.names";
    let rows: Vec<(&Case, &String)> = cases.iter().zip(snapshots).collect();
    script.rows("cases", &case_cols, tail, rows, move |q, (case, snapshot)| {
        Ok(q.bind(case.number.to_string())
            .bind(case.application.akimat.to_string())
            .bind(tag_of(&case.application.service.kind(), ""))
            .bind(tag_of(&case.state, ""))
            .bind(case.application.applicant.iin.to_string())
            .bind(case.application.applicant.document_number.clone())
            .bind(case.version as i64)
            .bind(case.received_on.to_string())
            // The queue orders and flags by the deadline that binds (App.2 item 3 too).
            .bind(case.binding_due().map(|d| d.on.to_string()))
            .bind(i64::from(case.late.is_some()))
            .bind(now_ms)
            .bind((*snapshot).clone())
            .bind(case.application.representative.as_ref().map(|r| r.iin.to_string()))
            .bind(case.application.profession.clone())
            .bind(crate::escalation::first_alert(calendar, case).map(|d| d.to_string()))
            .bind(case.binding_due().map(|d| d.from.to_string()))
            .bind(case.binding_due().map(|d| i64::from(d.working_days)))
            .bind(case_names(case)))
    });
}

/// The certificates' rows.
fn certificates(cx: &mut Cx<'_>, script: &mut Script<'_>) {
    let certs: Vec<(Certificate, u64)> = std::mem::take(&mut cx.certificates).into_values().collect();
    let cert_cols = [
        "number",
        "akimat",
        "holder_iin",
        "valid_from",
        "valid_to",
        "revoked_on",
        "superseded_by",
        "version",
        "snapshot",
        "names",
    ];
    let tail = "ON CONFLICT (number) DO UPDATE SET valid_to = excluded.valid_to, revoked_on = excluded.revoked_on, \
                superseded_by = excluded.superseded_by, version = excluded.version, snapshot = excluded.snapshot, \
                names = excluded.names";
    script.rows("certificates", &cert_cols, tail, certs, |q, (c, version)| {
        Ok(q.bind(c.number.to_string())
            .bind(c.akimat.to_string())
            .bind(c.holder.iin.to_string())
            .bind(c.valid_from.to_string())
            .bind(c.valid_to.to_string())
            .bind(c.revoked.as_ref().map(|(d, _)| d.to_string()))
            .bind(c.superseded.as_ref().map(|(n, _)| n.to_string()))
            .bind(*version as i64)
            .bind(crate::codec::encode_value(c)?)
            .bind(names([&c.holder.surname, &c.holder.given_name, c.holder.patronymic.as_deref().unwrap_or_default()])))
    });
}

/// The complaints' rows.
fn complaints(cx: &mut Cx<'_>, script: &mut Script<'_>) {
    let complaints: Vec<Complaint> = std::mem::take(&mut cx.complaints).into_values().collect();
    let complaint_cols = ["number", "akimat", "route", "state", "due_on", "version", "snapshot", "complainant_iin"];
    let tail = "ON CONFLICT (number) DO UPDATE SET state = excluded.state, due_on = excluded.due_on, version = excluded.version, \
                snapshot = excluded.snapshot";
    script.rows("complaints", &complaint_cols, tail, complaints, |q, c| {
        Ok(q.bind(c.number.to_string())
            .bind(c.filing.akimat.to_string())
            .bind(tag_of(&c.filing.route, ""))
            .bind(tag_of(&c.state, ""))
            .bind(c.due.as_ref().map(|d| d.on.to_string()))
            .bind(c.version as i64)
            .bind(crate::codec::encode_value(c)?)
            .bind(c.filing.complainant.to_string()))
    });
}

/// The report cells, the kept answers of idempotent requests, and the chain head, last.
fn reports_and_head(cx: &mut Cx<'_>, script: &mut Script<'_>) {
    script_cells(script, std::mem::take(&mut cx.cells).into_iter().collect());
    let keys: Vec<(String, KeptAnswer)> = std::mem::take(&mut cx.idempotency).into_iter().collect();
    let key_cols = ["key", "request_hash", "response", "created_ms"];
    script.rows("idempotency", &key_cols, "ON CONFLICT (key) DO NOTHING", keys, |q, (key, a)| {
        Ok(q.bind(key.clone()).bind(a.request_hash.clone()).bind(a.response.clone()).bind(a.created_ms))
    });
    let (seq, hash) = (cx.head.seq, cx.head.hash.clone());
    script.statement("UPDATE chain SET seq = $1, hash = $2 WHERE id = 1", move |q| Ok(q.bind(seq).bind(hash)));
}

/// What an officer's search by name looks in (migration 0027): the names, lower-cased, one
/// space apart. Snapshots are compressed (crate::codec), so a search cannot look inside them.
fn names<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let parts: Vec<String> = parts.into_iter().filter(|p| !p.is_empty()).map(str::to_lowercase).collect();
    parts.join(" ")
}

/// The names a case is found by: its applicant's and its representative's.
fn case_names(case: &Case) -> String {
    let a = &case.application.applicant;
    let rep = case.application.representative.as_ref().map_or("", |r| r.name.as_str());
    names([a.surname.as_str(), &a.given_name, a.patronymic.as_deref().unwrap_or_default(), rep])
}
