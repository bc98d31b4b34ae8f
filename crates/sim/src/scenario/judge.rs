//! Whether what a step came to is what the story expects: its refusal, reason, messages in
//! each language (with no English inside Kazakh or Russian), state, due dates and the rest.

use jiff::Timestamp;
use rules::Lang;
use rules::case::Ground;
use toml::Value;

use super::stage::Done;
use super::stage::Fields;
use super::stage::Stage;
use super::stage::ground;
use super::stage::kebab_name;

/// One unmet expectation: the key, what was expected and what was found.
fn differ(unmet: &mut Vec<String>, key: &str, want: &dyn std::fmt::Display, found: &dyn std::fmt::Display) {
    let (w, f) = (want.to_string(), found.to_string());
    if w != f {
        unmet.push(format!("expected {key} = {w}, found {f}"));
    }
}

/// A due date as the stories write it, or `(none)`.
fn show(d: Option<&rules::deadline::DueDate>) -> String {
    d.map_or("(none)".to_owned(), |d| d.on.to_string())
}

/// Checks a step's expectations; each unmet one is a line naming the key, what was expected
/// and what was found.
pub(crate) async fn judge(stage: &Stage<'_>, mut e: Fields, at: Timestamp, done: &Done) -> Result<Vec<String>, String> {
    let mut unmet = Vec::new();
    let today = stage.local_date(at)?;
    judge_outcome(stage, &mut e, done, today, &mut unmet).await?;
    judge_case(stage, &mut e, today, &mut unmet).await?;
    judge_certificate(stage, &mut e, today, &mut unmet).await?;
    judge_complaint(stage, &mut e, &mut unmet).await?;
    e.finish()?;
    Ok(unmet)
}

/// Whether the step was refused (and why), and what a person is told, in each language.
async fn judge_outcome(
    stage: &Stage<'_>,
    e: &mut Fields,
    done: &Done,
    today: jiff::civil::Date,
    unmet: &mut Vec<String>,
) -> Result<(), String> {
    let step = e.step.clone();
    let refused_want = e.take("refused");
    match (refused_want, done) {
        (None | Some(Value::Boolean(false)), Done::Refused(r)) => {
            differ(unmet, "refused", &false, &format!("refused: {} [{}]", r.reason.message(Lang::En), r.citation));
        }
        (Some(Value::Boolean(true)), Done::Refused(_)) | (None | Some(Value::Boolean(false)), Done::Applied) => {}
        (Some(Value::String(citation)), Done::Refused(r)) => {
            if !r.citation.as_str().contains(citation.as_str()) {
                differ(unmet, "refused (its citation)", &citation, &r.citation);
            }
        }
        (Some(want), Done::Applied) => differ(unmet, "refused", &want, &"applied"),
        (Some(want), Done::Refused(_)) => return Err(format!("{step}: `refused` = {want}: true, false or a citation")),
    }
    if let Some(reason) = e.text("reason")? {
        let found = match done {
            Done::Refused(r) => serde_json::to_value(&r.reason)
                .ok()
                .and_then(|v| v.get("reason").and_then(|r| r.as_str()).map(str::to_owned))
                .unwrap_or_default(),
            Done::Applied => "(applied)".into(),
        };
        differ(unmet, "reason", &reason, &found);
    }
    // Messages: the refusal, else what a person is shown, in the language asked.
    for lang in Lang::ALL {
        let key = format!("says_{}", lang.tag());
        if let Some(want) = e.text(&key)? {
            let said = stage.said(done, lang, today).await?;
            if !said.contains(&want) {
                unmet.push(format!("expected {key} to contain {want:?}, found {said:?}"));
            }
        }
    }
    // What a person reads in Kazakh or Russian has no English in it, in every step unless a
    // story says otherwise (`plain_language = false`, for free text someone typed in English).
    if e.boolean("plain_language")?.unwrap_or(true) {
        for lang in [Lang::Kk, Lang::Ru] {
            let said = stage.said(done, lang, today).await?;
            let latin = rules::text::latin_words(&said);
            if !latin.is_empty() {
                unmet.push(format!("expected no English in the {} message, found {latin:?} in {said:?}", lang.tag()));
            }
        }
    }
    Ok(())
}

/// The case the story follows: its state, dates, deadlines, grounds and missing documents.
async fn judge_case(
    stage: &Stage<'_>,
    e: &mut Fields,
    today: jiff::civil::Date,
    unmet: &mut Vec<String>,
) -> Result<(), String> {
    let step = e.step.clone();
    let law = &stage.store.reference().law;
    let case = stage.current_case().await?;
    let need_case = |key: &str| format!("{}: `{key}` needs a case; none has been filed", step);
    if let Some(want) = e.text("state")? {
        let c = case.as_ref().ok_or_else(|| need_case("state"))?;
        let found = kebab_name(&c.state);
        differ(unmet, "state", &want, &found);
    }
    if let Some(want) = e.date("received_on")? {
        let c = case.as_ref().ok_or_else(|| need_case("received_on"))?;
        differ(unmet, "received_on", &want, &c.received_on);
    }
    if let Some(want) = e.text("due")? {
        let c = case.as_ref().ok_or_else(|| need_case("due"))?;
        differ(unmet, "due", &want, &show(c.binding_due()));
    }
    if let Some(want) = e.text("due_cites")? {
        let c = case.as_ref().ok_or_else(|| need_case("due_cites"))?;
        let found = c.binding_due().map(|d| d.citation.to_string()).unwrap_or_default();
        if !found.contains(&want) {
            differ(unmet, "due_cites", &want, &found);
        }
    }
    if let Some(want) = e.text("stage_due")? {
        let c = case.as_ref().ok_or_else(|| need_case("stage_due"))?;
        differ(unmet, "stage_due", &want, &show(c.due.as_ref()));
    }
    if let Some(want) = e.text("service_due")? {
        let c = case.as_ref().ok_or_else(|| need_case("service_due"))?;
        differ(unmet, "service_due", &want, &show(c.service_due.as_ref()));
    }
    if let Some(want) = e.boolean("overdue")? {
        let c = case.as_ref().ok_or_else(|| need_case("overdue"))?;
        differ(unmet, "overdue", &want, &c.overdue_on(today));
    }
    if let Some(want) = e.boolean("late")? {
        let c = case.as_ref().ok_or_else(|| need_case("late"))?;
        differ(unmet, "late", &want, &c.late.is_some());
    }
    if let Some(want) = e.list("grounds")? {
        let c = case.as_ref().ok_or_else(|| need_case("grounds"))?;
        let want: Vec<Ground> = want.iter().map(|g| ground(g)).collect::<Result<_, _>>()?;
        let set = law.set_of(c);
        let cite = |g: &[Ground]| g.iter().map(|g| g.citation(set).to_string()).collect::<Vec<_>>().join(", ");
        differ(unmet, "grounds", &cite(&want), &cite(&c.grounds));
    }
    if let Some(want) = e.text("grounds_cite")? {
        let c = case.as_ref().ok_or_else(|| need_case("grounds_cite"))?;
        let found: Vec<String> = c.grounds.iter().map(|g| g.citation(law.set_of(c)).to_string()).collect();
        if !found.iter().any(|f| f.contains(&want)) {
            differ(unmet, "grounds_cite", &want, &found.join(", "));
        }
    }
    if let Some(want) = e.list("missing")? {
        let c = case.as_ref().ok_or_else(|| need_case("missing"))?;
        let found: Vec<String> = c
            .application
            .requirements(law.set_of(c))
            .into_iter()
            .filter(|r| !c.application.documents.iter().any(|d| r.any_of.contains(&d.kind)))
            .flat_map(|r| r.any_of)
            .map(|k| kebab_name(&k))
            .collect();
        differ(unmet, "missing", &want.join(", "), &found.join(", "));
    }
    Ok(())
}

/// The certificate the story obtained: its status, validity and notices.
async fn judge_certificate(
    stage: &Stage<'_>,
    e: &mut Fields,
    today: jiff::civil::Date,
    unmet: &mut Vec<String>,
) -> Result<(), String> {
    let step = e.step.clone();
    let cert = match &stage.certificate {
        Some(n) => stage.store.certificate(n).await.map_err(|e| e.to_string())?,
        None => None,
    };
    let need_cert = |key: &str| format!("{}: `{key}` needs a certificate; none has been issued", step);
    if let Some(want) = e.text("certificate")? {
        let c = cert.as_ref().ok_or_else(|| need_cert("certificate"))?;
        let found = serde_json::to_value(c.status_on(today))
            .ok()
            .and_then(|v| v.get("status").and_then(|s| s.as_str()).map(str::to_owned))
            .unwrap_or_default();
        differ(unmet, "certificate", &want, &found);
    }
    if let Some(want) = e.date("valid_from")? {
        let c = cert.as_ref().ok_or_else(|| need_cert("valid_from"))?;
        differ(unmet, "valid_from", &want, &c.valid_from);
    }
    if let Some(want) = e.date("valid_to")? {
        let c = cert.as_ref().ok_or_else(|| need_cert("valid_to"))?;
        differ(unmet, "valid_to", &want, &c.valid_to);
    }
    if let Some(want) = e.number("certificates")? {
        differ(unmet, "certificates", &want, &stage.numbers.len());
    }
    if let Some(want) = e.boolean("notice_late")? {
        let c = cert.as_ref().ok_or_else(|| need_cert("notice_late"))?;
        let found = c.notices.last().is_some_and(|n| match n {
            rules::certificate::Notice::NewEmployer { late, .. }
            | rules::certificate::Notice::ContractEnded { late, .. } => late.is_some(),
        });
        differ(unmet, "notice_late", &want, &found);
    }
    Ok(())
}

/// The complaint the story filed: its state and deadline.
async fn judge_complaint(stage: &Stage<'_>, e: &mut Fields, unmet: &mut Vec<String>) -> Result<(), String> {
    let step = e.step.clone();
    let complaint = stage.current_complaint().await?;
    let need_complaint = |key: &str| format!("{}: `{key}` needs a complaint; none has been filed", step);
    if let Some(want) = e.text("complaint_state")? {
        let c = complaint.as_ref().ok_or_else(|| need_complaint("complaint_state"))?;
        let found = kebab_name(&c.state);
        differ(unmet, "complaint_state", &want, &found);
    }
    if let Some(want) = e.text("complaint_due")? {
        let c = complaint.as_ref().ok_or_else(|| need_complaint("complaint_due"))?;
        differ(unmet, "complaint_due", &want, &show(c.due.as_ref()));
    }
    if let Some(want) = e.text("complaint_due_cites")? {
        let c = complaint.as_ref().ok_or_else(|| need_complaint("complaint_due_cites"))?;
        let found = c.due.as_ref().map(|d| d.citation.to_string()).unwrap_or_default();
        if !found.contains(&want) {
            differ(unmet, "complaint_due_cites", &want, &found);
        }
    }
    Ok(())
}
