//! The queues: the officer's, the Commission's agenda, the reviewer's; the search of an
//! akimat's cases, its register of certificates and its alerts.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use jiff::civil::Date;
use serde::Deserialize;

use crate::edge::AppState;
use crate::edge::auth::{Member, Officer, Reviewer};
use crate::edge::error::PageError;
use crate::edge::forms::parse_date;
use crate::edge::i18n::Tr;
use crate::edge::session::Session;
use crate::edge::view::{Who, render};

use super::apply::Choice;
use super::apply::Group;
use super::apply::profession_groups;

// ---------------------------------------------------------------- queues

pub(crate) struct QueueLine {
    pub(crate) number: String,
    pub(crate) service: String,
    pub(crate) state: String,
    pub(crate) due_on: String,
    pub(crate) overdue: bool,
    pub(crate) late: bool,
    /// The same person has another open application for the same service (issue 36).
    pub(crate) related: bool,
    /// On the Commission's agenda: what the case needs from this member now.
    pub(crate) needs: Option<String>,
    /// In the officer's queue: half or most of the stage's working days used.
    pub(crate) risk: Option<String>,
}

/// What a case on the agenda needs from `member`: the scoring and the decision, their
/// signature on the minutes, or the other members' signatures.
pub(crate) async fn agenda_need(
    state: &AppState,
    t: &Tr,
    member: &store::User,
    number: &str,
) -> Result<String, PageError> {
    let Ok(number) = number.parse::<rules::numbers::CaseNumber>() else { return Ok(String::new()) };
    let Some(case) = state.store.case(&number).await? else { return Ok(String::new()) };
    let Some(m) = crate::shared::minutes::status(state, &case).await? else { return Ok(t.t("agenda-needs-decision")) };
    let args = [("minutes", m.minutes.clone()), ("signed", m.signed.to_string()), ("needed", m.needed.to_string())];
    let mine = m.members.iter().find(|p| p.id == member.id);
    Ok(match mine {
        Some(p) if !p.signed => t.ta("agenda-needs-your-signature", &args),
        _ => t.ta("agenda-needs-others", &args),
    })
}

#[derive(Template)]
#[template(path = "queue.html")]
pub(crate) struct QueuePage {
    pub(crate) t: Tr,
    pub(crate) who: Who,
    pub(crate) path: &'static str,
    pub(crate) title: String,
    pub(crate) lead: String,
    pub(crate) base: &'static str,
    pub(crate) lines: Vec<QueueLine>,
    pub(crate) complaints: Vec<QueueLine>,
    pub(crate) overdue: usize,
    pub(crate) overdue_line: String,
    /// For the akimat's authorised person: the cases whose results await their EDS.
    pub(crate) to_sign: Vec<String>,
    /// For the officer: the open cases escalated at their running stage, in words.
    pub(crate) alerts_line: Option<String>,
    /// The officer's queue is read a page at a time: the next page's address, if there may be
    /// one, and whether this page is past the first.
    pub(crate) next: Option<String>,
    pub(crate) later: bool,
}

pub(crate) fn complaint_lines(t: &Tr, rows: &[store::QueueRow]) -> Vec<QueueLine> {
    rows.iter()
        .map(|r| QueueLine {
            number: r.number.clone(),
            service: t.t(if r.service == "to-akimat" { "complaint-to-akimat" } else { "complaint-to-reviewer" }),
            state: serde_json::from_value::<rules::complaint::ComplaintState>(serde_json::Value::String(
                r.state.clone(),
            ))
            .map_or(r.state.clone(), |k| k.name(t.lang).to_owned()),
            due_on: rules::text::date_for(t.lang, r.due_on),
            overdue: r.overdue,
            late: false,
            related: false,
            needs: None,
            risk: None,
        })
        .collect()
}

pub(crate) async fn reviewer(
    State(state): State<AppState>,
    t: Tr,
    Reviewer(s): Reviewer,
) -> Result<Response, PageError> {
    let rows = match state.store.complaints_under_review(state.today()).await {
        Ok(r) => r,
        Err(e) => return Err(e.into()),
    };
    let lines = complaint_lines(&t, &rows);
    let overdue = lines.iter().filter(|l| l.overdue).count();
    let overdue_line = t.ta("queue-overdue-count", &[("count", overdue.to_string())]);
    let (title, lead) = (t.t("reviewer-title"), t.t("reviewer-lead"));
    Ok(render(&QueuePage {
        t,
        who: Some(s).into(),
        path: "/reviewer",
        title,
        lead,
        base: "/complaints/",
        lines,
        complaints: Vec::new(),
        overdue,
        overdue_line,
        to_sign: Vec::new(),
        alerts_line: None,
        next: None,
        later: false,
    }))
}

/// The queue's rows as the page lists them, in the reader's language.
fn queue_lines(rows: &[store::QueueRow], t: &Tr) -> Vec<QueueLine> {
    let name = |v: &str| -> String {
        serde_json::from_value::<rules::case::ServiceKind>(serde_json::Value::String(v.to_owned()))
            .map_or(v.to_owned(), |k| k.name(t.lang).to_owned())
    };
    let state_name = |v: &str| -> String {
        serde_json::from_value::<rules::case::State>(serde_json::Value::String(v.to_owned()))
            .map_or(v.to_owned(), |k| k.name(t.lang).to_owned())
    };
    rows.iter()
        .map(|r| QueueLine {
            number: r.number.clone(),
            service: name(&r.service),
            state: state_name(&r.state),
            due_on: rules::text::date_for(t.lang, r.due_on),
            overdue: r.overdue,
            late: r.late_filing,
            related: r.related,
            needs: None,
            risk: match r.risk {
                Some(rules::deadline::Risk::Half) => Some(t.t("queue-risk-half")),
                Some(rules::deadline::Risk::Most) => Some(t.t("queue-risk-most")),
                _ => None,
            },
        })
        .collect()
}

/// How many lines of the officer's queue a page shows.
const QUEUE_PAGE: i64 = 200;

/// The officer's queue or the Commission's agenda of `akimat`; the role is the extractor's.
pub(crate) async fn queue_page(
    state: &AppState,
    t: Tr,
    s: Session,
    akimat: rules::AkimatCode,
    commission: bool,
    after: Option<String>,
) -> Result<Response, PageError> {
    let today = state.store.today(&akimat, jiff::Timestamp::now()).unwrap_or_else(|_| state.today());
    // The officer's queue by pages, each read on from the last line of the one before.
    let from = match after.as_deref().and_then(|a| a.split_once('/')) {
        Some((due_on, number)) => store::QueueFrom::After { due_on: due_on.to_owned(), number: number.to_owned() },
        None => store::QueueFrom::Offset(0),
    };
    let later = matches!(from, store::QueueFrom::After { .. });
    let rows = if commission {
        state.store.agenda(&akimat, today).await
    } else {
        state.store.queue(&akimat, today, &from, QUEUE_PAGE).await
    };
    let rows = rows?;
    let next = (!commission && rows.len() as i64 == QUEUE_PAGE)
        .then(|| {
            rows.last().map(|l| format!("/officer?after={}/{}", l.due_on, crate::edge::session::urlencode(&l.number)))
        })
        .flatten();
    let mut lines = queue_lines(&rows, &t);
    if commission {
        for line in &mut lines {
            match agenda_need(state, &t, &s.user, &line.number).await {
                Ok(need) => line.needs = Some(need),
                Err(e) => return Err(e),
            }
        }
    }
    // The agenda is shown whole; the queue a page at a time, so its overdue cases are counted
    // over all of it (a range scan on the due-date index), not over the page.
    let overdue = if commission {
        lines.iter().filter(|l| l.overdue).count()
    } else {
        state.store.overdue(&akimat, today).await?.len()
    };
    let akimat_name = state.store.reference().law.akimat_of(&akimat, t.lang);
    let (title, lead) = if commission {
        (t.t("agenda-title"), t.ta("agenda-lead", &[("akimat", akimat_name)]))
    } else {
        (t.t("queue-title"), t.ta("queue-lead", &[("akimat", akimat_name)]))
    };
    let overdue_line = t.ta("queue-overdue-count", &[("count", overdue.to_string())]);
    let complaints =
        if commission { Vec::new() } else { complaint_lines(&t, &state.store.complaints(&akimat, today).await?) };
    let to_sign = match crate::shared::authorised::to_sign(state, &s.user).await {
        Ok(n) => n,
        Err(e) => return Err(e.into()),
    };
    // The officer is told in their workspace of every case escalated at its running stage.
    let alerts_line = if commission {
        None
    } else {
        match state.store.open_alerts(&akimat).await {
            Ok(0) => None,
            Ok(n) => Some(t.tn("queue-alerts", &[("count", u32::try_from(n).unwrap_or(u32::MAX))])),
            Err(e) => return Err(e.into()),
        }
    };
    Ok(render(&QueuePage {
        alerts_line,
        t,
        who: Some(s).into(),
        path: if commission { "/commission" } else { "/officer" },
        title,
        lead,
        base: "/cases/",
        lines,
        complaints,
        overdue,
        overdue_line,
        to_sign,
        next,
        later,
    }))
}

/// The officer's search over the akimat's cases, as the form of `/officer/cases` sends it.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct CasesQuery {
    #[serde(default)]
    pub(crate) q: String,
    #[serde(default)]
    pub(crate) service: String,
    #[serde(default)]
    pub(crate) profession: String,
    /// A state, or `finished` for the archive of cases that ended.
    #[serde(default)]
    pub(crate) stage: String,
    #[serde(default)]
    pub(crate) overdue: String,
    #[serde(default)]
    pub(crate) from: String,
    #[serde(default)]
    pub(crate) to: String,
}

pub(crate) struct FoundLine {
    pub(crate) number: String,
    pub(crate) applicant: String,
    pub(crate) service: String,
    pub(crate) state: String,
    pub(crate) received_on: String,
    pub(crate) due: Option<String>,
    pub(crate) overdue: bool,
}

#[derive(Template)]
#[template(path = "cases.html")]
pub(crate) struct CasesPage {
    pub(crate) t: Tr,
    pub(crate) who: Who,
    pub(crate) path: &'static str,
    pub(crate) totals: Vec<(String, String, i64)>,
    pub(crate) q: String,
    pub(crate) from: String,
    pub(crate) to: String,
    pub(crate) overdue: bool,
    pub(crate) services: Vec<Choice>,
    pub(crate) professions: Vec<Group>,
    pub(crate) stages: Vec<Choice>,
    pub(crate) found_line: String,
    pub(crate) lines: Vec<FoundLine>,
    pub(crate) error: Option<String>,
}

/// The officer's workspace beyond the queue: every case of the akimat, searched by number,
/// IIN, document number or name, filtered by service, profession, stage, overdue and period, with the
/// archive of finished cases and the totals by stage.
pub(crate) async fn cases(
    State(state): State<AppState>,
    t: Tr,
    crate::edge::auth::Officer(s, akimat): crate::edge::auth::Officer,
    Query(q): Query<CasesQuery>,
) -> Result<Response, PageError> {
    let today = state.store.today(&akimat, jiff::Timestamp::now()).unwrap_or_else(|_| state.today());
    let (search, error) = search_of(&q, &t);
    let found = state.store.search_cases(&akimat, &search, today, 200).await?;
    let lines: Vec<FoundLine> = found.iter().map(|c| found_line(c, &t, today)).collect();
    let totals = state
        .store
        .case_totals(&akimat)
        .await?
        .into_iter()
        .map(|(tag, n)| {
            let name = serde_json::from_value::<rules::case::State>(serde_json::Value::String(tag.clone()))
                .map_or(tag.clone(), |st| st.name(t.lang).to_owned());
            (name, tag, n)
        })
        .collect();
    let (services, stages) = filter_choices(&q, &t);
    let professions = profession_groups(&state.store.reference().law, today, &t, &q.profession);
    let page = CasesPage {
        professions,
        found_line: t.ta("cases-found", &[("count", lines.len().to_string())]),
        totals,
        q: q.q,
        from: q.from,
        to: q.to,
        overdue: q.overdue == "on",
        services,
        stages,
        lines,
        error,
        who: Some(s).into(),
        path: "/officer/cases",
        t,
    };
    Ok(render(&page))
}

/// A case's stored state tag (`with-commission`).
fn state_tag(st: rules::case::State) -> Option<String> {
    serde_json::to_value(st).ok().and_then(|v| v.as_str().map(str::to_owned))
}

/// The search the officer's filters ask for, and what is wrong with a date typed into them.
fn search_of(q: &CasesQuery, t: &Tr) -> (store::CaseSearch, Option<String>) {
    let mut error = None;
    let mut day = |typed: &str| -> Option<Date> {
        if typed.trim().is_empty() {
            return None;
        }
        let d = parse_date(typed);
        if d.is_none() {
            error = Some(t.t("error-date"));
        }
        d
    };
    let (from, to) = (day(&q.from), day(&q.to));
    let states: Vec<String> = match q.stage.as_str() {
        "" => Vec::new(),
        // The archive: the cases no command applies to any more.
        "finished" => rules::case::State::ALL.into_iter().filter(|st| st.is_terminal()).filter_map(state_tag).collect(),
        other => vec![other.to_owned()],
    };
    let search = store::CaseSearch {
        text: q.q.clone(),
        service: Some(q.service.clone()).filter(|v| !v.is_empty()),
        profession: Some(q.profession.clone()).filter(|v| !v.is_empty()),
        states,
        overdue: q.overdue == "on",
        from,
        to,
    };
    (search, error)
}

/// One case found, as the list shows it.
fn found_line(c: &rules::Case, t: &Tr, today: Date) -> FoundLine {
    FoundLine {
        number: c.number.to_string(),
        applicant: c.application.applicant.full_name(),
        service: c.application.service.kind().name(t.lang).to_owned(),
        state: c.status_name(t.lang).to_owned(),
        received_on: rules::text::date_for(t.lang, c.received_on),
        due: c.binding_due().map(|d| rules::text::date_for(t.lang, d.on)),
        overdue: c.overdue_on(today),
    }
}

/// The services and the stages (with the archive) to filter by, the chosen ones selected.
fn filter_choices(q: &CasesQuery, t: &Tr) -> (Vec<Choice>, Vec<Choice>) {
    let services = rules::case::ServiceKind::ALL
        .iter()
        .filter_map(|k| {
            let value = serde_json::to_value(k).ok()?.as_str()?.to_owned();
            Some(Choice { selected: value == q.service, label: k.name(t.lang).to_owned(), value })
        })
        .collect();
    let mut stages: Vec<Choice> = rules::case::State::ALL
        .iter()
        .filter_map(|st| {
            let value = state_tag(*st)?;
            Some(Choice { selected: value == q.stage, label: st.name(t.lang).to_owned(), value })
        })
        .collect();
    stages.push(Choice { selected: q.stage == "finished", label: t.t("cases-archive"), value: "finished".into() });
    (services, stages)
}

#[derive(Template)]
#[template(path = "register.html")]
pub(crate) struct RegisterPage {
    pub(crate) t: Tr,
    pub(crate) who: Who,
    pub(crate) path: &'static str,
    pub(crate) q: String,
    pub(crate) akimat: String,
    /// (number, holder, profession, status today, valid from–to, valid today).
    pub(crate) lines: Vec<(String, String, String, String, String, bool)>,
    pub(crate) found_line: String,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct RegisterQuery {
    #[serde(default)]
    pub(crate) q: String,
}

/// The akimat's register of certificates (App.3): every certificate it issued with its status
/// today, searched by number, the holder's IIN or name.
pub(crate) async fn register(
    State(state): State<AppState>,
    t: Tr,
    crate::edge::auth::Officer(s, akimat): crate::edge::auth::Officer,
    Query(q): Query<RegisterQuery>,
) -> Result<Response, PageError> {
    let today = state.store.today(&akimat, jiff::Timestamp::now()).unwrap_or_else(|_| state.today());
    let law = &state.store.reference().law;
    let found = state.store.certificate_register(&akimat, &q.q, 200).await?;
    let lines: Vec<_> = found
        .iter()
        .map(|c| {
            let status = c.status_on(today);
            let profession = law
                .profession_name(&c.profession, t.lang)
                .map_or(c.profession.clone(), |name| format!("{name} ({})", c.profession));
            (
                c.number.to_string(),
                format!("{} · {}", c.holder.full_name(), c.holder.iin),
                profession,
                status.describe(t.lang),
                t.ta("verify-valid", &[("from", c.valid_from.to_string()), ("to", c.valid_to.to_string())]),
                status.is_valid(),
            )
        })
        .collect();
    let page = RegisterPage {
        found_line: t.ta("cases-found", &[("count", lines.len().to_string())]),
        akimat: law.akimat_body(&akimat, t.lang),
        lines,
        q: q.q,
        who: Some(s).into(),
        path: "/officer/certificates",
        t,
    };
    Ok(render(&page))
}

#[derive(Template)]
#[template(path = "alerts.html")]
pub(crate) struct AlertsPage {
    pub(crate) t: Tr,
    pub(crate) who: Who,
    pub(crate) path: &'static str,
    pub(crate) akimat: String,
    /// (case number, level, the alert with its derivation)
    pub(crate) lines: Vec<(String, String, String)>,
}

/// The akimat's escalation alerts and breaches, newest first, each with its derivation:
/// the stage's first day, its working days and paragraph, its last day, the day judged.
pub(crate) async fn alerts(
    State(state): State<AppState>,
    t: Tr,
    crate::edge::auth::Officer(s, akimat): crate::edge::auth::Officer,
) -> Result<Response, PageError> {
    let recorded = state.store.escalations(&akimat, 500).await?;
    let lines = recorded
        .iter()
        .map(|r| (r.case_number.clone(), r.level.clone(), crate::shared::notices::alert_line(&t, r)))
        .collect();
    let page = AlertsPage {
        akimat: state.store.reference().law.akimat_body(&akimat, t.lang),
        lines,
        who: Some(s).into(),
        path: "/officer/alerts",
        t,
    };
    Ok(render(&page))
}

pub(crate) async fn officer(
    State(state): State<AppState>,
    t: Tr,
    Officer(s, akimat): Officer,
    Query(q): Query<QueueQuery>,
) -> Result<Response, PageError> {
    queue_page(&state, t, s, akimat, false, q.after).await
}

/// Where a page of the officer's queue starts: after the last line of the page before.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct QueueQuery {
    #[serde(default)]
    after: Option<String>,
}

pub(crate) async fn commission(
    State(state): State<AppState>,
    t: Tr,
    Member(s, akimat): Member,
) -> Result<Response, PageError> {
    queue_page(&state, t, s, akimat, true, None).await
}
