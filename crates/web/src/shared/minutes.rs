//! The Commission's minutes while its members sign them (Rules §9, R4.4).
//!
//! A member records the minutes: the number, the answers scored and the recommendation. The
//! server adds the Commission's roster as the administrator keeps it for the akimat (never a
//! list the client sends) and keeps the record as a draft: compact JSON, the exact bytes each
//! member signs with their own EDS. Each signature is verified against the national CA's
//! roots, and its certificate must name the IIN bound to the member's account. The members
//! present are the members who signed. When they make a quorum of the roster (the rule set's
//! reading), the decision is recorded in the case with that roster and those signers, so a
//! decision can neither be made by invented members nor take effect before the quorum signed.
//! Signatures arriving after the decision are kept with the minutes too.

use axum::http::StatusCode;
use rules::Refusal;
use rules::assessment::Answers;
use rules::case::{CaseAction, Command, Recommendation};
use rules::refusal::Reason;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use store::minutes::{Kept, MinutesDraft};
use store::{Request, StoreError, User};

use utoipa::ToSchema;

use crate::edge::AppState;
use crate::edge::error::{Fault, PageError, Said};

/// A member of the Commission as the roster stood when the minutes were recorded.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct RosterMember {
    /// The member's account.
    pub id: String,
    /// Their name.
    pub name: String,
    /// The IIN their EDS named, in minutes recorded before issue 30. No longer written: an
    /// applicant may download the record, and who signed is decided from the server's
    /// accounts, not from this copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iin: Option<String>,
}

/// The minutes as the members sign them. Serialized compactly in this field order; the
/// bytes kept are the bytes signed, so a later change of this type never breaks an old
/// signature.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct MinutesRecord {
    /// The case.
    pub case: String,
    /// The akimat whose Commission met.
    pub akimat: String,
    /// The minutes' number.
    pub minutes: String,
    /// The Commission's roster.
    pub members: Vec<RosterMember>,
    /// The answers scored (Rules §10).
    pub answers: Answers,
    /// The recommendation.
    pub recommendation: Recommendation,
    /// The member who recorded it.
    pub recorded_by: String,
    /// When, as an RFC 3339 instant.
    pub recorded_at: String,
}

/// What a member sends to record the minutes; the roster and the members present are the
/// server's to add.
#[derive(Debug, Clone)]
pub(crate) struct Proposal {
    pub(crate) minutes: String,
    pub(crate) answers: Answers,
    /// `None` when the form's member chose none: the rules then say so beside every other
    /// problem of the form.
    pub(crate) recommendation: Option<Recommendation>,
}

/// An action from a case's form or the API: an act the store decides at once, or the minutes,
/// which wait for the members' signatures.
#[derive(Debug, Clone)]
pub(crate) enum Act {
    Case(CaseAction),
    Minutes(Proposal),
}

/// One member's place on the minutes.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct MemberPlace {
    /// The member's account.
    pub id: String,
    /// Their name.
    pub name: String,
    /// Whether they have signed.
    pub signed: bool,
    /// Who signed, as their certificate names them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signer: Option<String>,
    /// SHA-256 of their signature, hex.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

/// The minutes of a case and who has signed them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct MinutesStatus {
    /// The case.
    pub case: String,
    /// The minutes' number.
    pub minutes: String,
    /// The exact bytes each member signs (compact JSON, UTF-8).
    pub content: String,
    /// The roster, each with their signature if any.
    pub members: Vec<MemberPlace>,
    /// Signatures received.
    pub signed: usize,
    /// Signatures a quorum needs (Rules §9, the rule set's reading).
    pub needed: usize,
    /// Whether the decision has been recorded in the case.
    pub decided: bool,
}

fn problem(status: StatusCode, kind: &'static str, key: &'static str) -> PageError {
    PageError::of(Fault::new(status, kind, Said::Cited(key, vec![], rules::Citation::new("Rules §9"))))
}

fn not_a_member(user: &User) -> PageError {
    PageError::from(StoreError::Refused(Refusal::new(Reason::NotAMember { who: user.name.clone() }, "Rules §9")))
}

/// The case's draft and its record; `None` when no minutes were recorded.
async fn find_draft(state: &AppState, number: &str) -> Result<Option<(MinutesDraft, MinutesRecord)>, PageError> {
    let Some(draft) = state.store.minutes_draft(number).await? else { return Ok(None) };
    let record = serde_json::from_str(&draft.content)
        .map_err(|e| PageError::ours(StatusCode::INTERNAL_SERVER_ERROR, &format!("minutes of {number}: {e}")))?;
    Ok(Some((draft, record)))
}

/// As [`find_draft`], with no minutes a 404 in the person's words.
pub(crate) async fn draft_of(state: &AppState, number: &str) -> Result<(MinutesDraft, MinutesRecord), PageError> {
    find_draft(state, number).await?.ok_or_else(|| problem(StatusCode::NOT_FOUND, "no-minutes", "minutes-none"))
}

/// The proven IINs of an akimat's Commission members, by account, from the server's records.
async fn member_iins(state: &AppState, akimat: &str) -> Result<HashMap<String, String>, PageError> {
    Ok(state
        .store
        .commission_members(akimat)
        .await?
        .into_iter()
        .filter_map(|u| Some((u.id, u.iin?.to_string())))
        .collect())
}

/// The record as `user` may read it: an applicant's copy of minutes recorded before issue 30
/// names the members without their IINs.
pub(crate) fn record_for(user: &User, content: String) -> String {
    if user.role != rules::Role::Applicant || !content.contains("\"iin\"") {
        return content;
    }
    let Ok(mut v) = serde_json::from_str::<serde_json::Value>(&content) else { return content };
    if let Some(members) = v.get_mut("members").and_then(serde_json::Value::as_array_mut) {
        for m in members.iter_mut().filter_map(serde_json::Value::as_object_mut) {
            m.remove("iin");
        }
    }
    v.to_string()
}

fn quorum(state: &AppState, case: &rules::Case) -> rules::params::Quorum {
    state.store.reference().law.set_of(case).readings.commission_quorum
}

/// The minutes of a case and their signatures; `None` when none were recorded.
pub(crate) async fn status(state: &AppState, case: &rules::Case) -> Result<Option<MinutesStatus>, PageError> {
    let number = case.number.to_string();
    let Some((draft, record)) = find_draft(state, &number).await? else { return Ok(None) };
    let signed_ids: Vec<&str> = draft.signatures.iter().map(|s| s.member.as_str()).collect();
    let iins = member_iins(state, &record.akimat).await?;
    let members: Vec<MemberPlace> = record
        .members
        .iter()
        .map(|m| {
            let s = draft.signed_by(&m.id);
            MemberPlace {
                id: m.id.clone(),
                name: m.name.clone(),
                signed: s.is_some(),
                signer: s.map(|s| s.signer.clone()),
                sha256: s.map(|s| docs::sha256_hex(&s.signature)),
            }
        })
        .collect();
    Ok(Some(MinutesStatus {
        case: number,
        minutes: record.minutes,
        content: draft.content,
        signed: persons(&record.members, &iins, &signed_ids).1.len(),
        needed: quorum(state, case).needed(persons(&record.members, &iins, &[]).0.len()),
        members,
        decided: case.decision.is_some(),
    }))
}

/// Records the minutes as a draft for the members to sign, after checking that the law would
/// take this decision from the full roster (role, akimat, stage, scores, pass mark, grounds).
pub(crate) async fn propose(
    state: &AppState,
    user: &User,
    case: &rules::Case,
    Proposal { minutes, answers, recommendation }: Proposal,
) -> Result<MinutesStatus, PageError> {
    let Some(recommendation) = recommendation else {
        let law = state.store.reference().law.for_case(case).map_err(StoreError::Refused)?;
        let problems = rules::case::decision_problems(&minutes, &answers, None, &law);
        let all = rules::Refusal::all(problems)
            .unwrap_or_else(|| rules::Refusal::new(rules::refusal::Reason::NoRecommendation, "Rules §9"));
        return Err(StoreError::Refused(all).into());
    };
    let now = jiff::Timestamp::now();
    let akimat = case.application.akimat.clone();
    let roster = state.store.commission_members(&akimat).await?;
    let ids: Vec<String> = roster.iter().map(|u| u.id.clone()).collect();
    let reference = state.store.reference();
    let hours = reference.hours.get(&akimat).ok_or_else(PageError::not_found)?;
    let actor = user.actor();
    let env = rules::Env { now, actor: &actor, calendar: &reference.calendar, hours };
    let command = Command::RecordDecision {
        minutes: minutes.clone(),
        members: ids.clone(),
        present: ids.clone(),
        answers: answers.clone(),
        recommendation: recommendation.clone(),
    };
    rules::case::decide(case, &command, &env, &reference.law, None).map_err(StoreError::Refused)?;
    if !ids.contains(&user.id) {
        return Err(not_a_member(user));
    }
    let record = MinutesRecord {
        case: case.number.to_string(),
        akimat: akimat.to_string(),
        minutes: minutes.trim().to_owned(),
        members: roster.iter().map(|u| RosterMember { id: u.id.clone(), name: u.name.clone(), iin: None }).collect(),
        answers,
        recommendation,
        recorded_by: user.id.clone(),
        recorded_at: now.to_string(),
    };
    let content = serde_json::to_string(&record)
        .map_err(|e| PageError::ours(StatusCode::INTERNAL_SERVER_ERROR, &format!("minutes record: {e}")))?;
    match state.store.put_minutes_draft(&record.case, &content, &user.id, now.as_millisecond()).await {
        Ok(()) => {}
        Err(StoreError::Conflict { .. }) => {
            return Err(problem(StatusCode::CONFLICT, "minutes-signed", "minutes-being-signed"));
        }
        Err(e) => return Err(e.into()),
    }
    status(state, case).await?.ok_or_else(PageError::not_found)
}

/// Keeps `user`'s signature over the minutes of `number` (DER, PEM or base64), then records
/// the decision if the signatures now make a quorum. `true` when the signature is new.
pub(crate) async fn sign(
    state: &AppState,
    user: &User,
    number: &str,
    signature: &[u8],
) -> Result<(MinutesStatus, bool), PageError> {
    let case = crate::edge::access::visible_case(&state.store, user, number).await?;
    let (draft, record) = draft_of(state, number).await?;
    if user.role != rules::Role::Commission || !record.members.iter().any(|m| m.id == user.id) {
        return Err(not_a_member(user));
    }
    let Some(iin) = &user.iin else {
        return Err(problem(StatusCode::FORBIDDEN, "no-eds", "minutes-bind-eds"));
    };
    let office =
        state.office.as_ref().ok_or_else(|| PageError::with(StatusCode::SERVICE_UNAVAILABLE, "signed-unavailable"))?;
    let der = crate::shared::signing::der_of(signature);
    let signed = office.verify(&der, draft.content.as_bytes()).map_err(|e| crate::shared::signing::not_genuine(&e))?;
    if !signed.iins.iter().any(|i| *i == iin.to_string()) {
        return Err(problem(StatusCode::UNPROCESSABLE_ENTITY, "not-your-key", "minutes-not-your-key"));
    }
    let signer = signed.signers.join(", ");
    let kept = state
        .store
        .add_minutes_signature(number, &draft.content, &user.id, &der, &signer, jiff::Timestamp::now().as_millisecond())
        .await?;
    let new = match kept {
        Kept::New => true,
        Kept::AlreadySigned => false,
        Kept::Stale => return Err(problem(StatusCode::CONFLICT, "minutes-changed", "minutes-changed")),
    };
    settle(state, user, &case).await?;
    let case = crate::edge::access::visible_case(&state.store, user, number).await?;
    Ok((status(state, &case).await?.ok_or_else(PageError::not_found)?, new))
}

/// The roster and those who signed, counted in persons rather than accounts: one IIN is one
/// person and one vote (Rules §9), so a person with two accounts can neither sign twice nor
/// swell the roster. Each person is named by the account they signed with, else their first.
/// `iins` are the members' proven IINs from the server's accounts.
fn persons(roster: &[RosterMember], iins: &HashMap<String, String>, signed: &[&str]) -> (Vec<String>, Vec<String>) {
    let key =
        |m: &RosterMember| iins.get(&m.id).or(m.iin.as_ref()).cloned().unwrap_or_else(|| format!("account:{}", m.id));
    let mut members: Vec<(String, String)> = Vec::new();
    for m in roster {
        let k = key(m);
        let signer = signed.contains(&m.id.as_str());
        match members.iter_mut().find(|(pk, _)| *pk == k) {
            Some(slot) if signer && !signed.contains(&slot.1.as_str()) => slot.1 = m.id.clone(),
            Some(_) => {}
            None => members.push((k, m.id.clone())),
        }
    }
    let present = members.iter().filter(|(_, id)| signed.contains(&id.as_str())).map(|(_, id)| id.clone()).collect();
    (members.into_iter().map(|(_, id)| id).collect(), present)
}

/// Records the decision once the members who signed make a quorum of the roster on the
/// minutes; nothing when they do not yet, or when the case is decided already.
pub(crate) async fn settle(state: &AppState, user: &User, case: &rules::Case) -> Result<(), PageError> {
    if case.decision.is_some() {
        return Ok(());
    }
    let number = case.number.to_string();
    let (draft, record) = draft_of(state, &number).await?;
    let signed: Vec<&str> = draft.signatures.iter().map(|s| s.member.as_str()).collect();
    let iins = member_iins(state, &record.akimat).await?;
    let (members, present) = persons(&record.members, &iins, &signed);
    if !quorum(state, case).met(present.len(), members.len()) {
        return Ok(());
    }
    let action = CaseAction::RecordDecision {
        minutes: record.minutes,
        members,
        present,
        answers: record.answers,
        recommendation: record.recommendation,
    };
    let request = Request::Case { number: case.number.clone(), expected_version: None, action };
    match state.store.execute(user.actor(), jiff::Timestamp::now(), request, None).await {
        Ok(_) => Ok(()),
        // Another member's signature completed the quorum at the same moment.
        Err(StoreError::Refused(_)) if state.store.case(&case.number).await?.is_some_and(|c| c.decision.is_some()) => {
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------- pages

// ---------------------------------------------------------------- API

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::{RosterMember, persons};

    fn m(id: &str, iin: Option<&str>) -> RosterMember {
        RosterMember { id: id.to_owned(), name: id.to_owned(), iin: iin.map(str::to_owned) }
    }

    /// Issue 30 item 4, R4.4: the quorum counts persons: two accounts of one IIN are one
    /// member, and one signature is one vote, whichever account made it.
    #[test]
    fn r4_4_one_person_is_one_vote_whatever_their_accounts() {
        let roster = [m("a", Some("1")), m("b", Some("1")), m("c", Some("2")), m("d", Some("3"))];
        let none = HashMap::new();
        let (members, present) = persons(&roster, &none, &["b", "a"]);
        assert_eq!(members, ["a", "c", "d"], "three persons");
        assert_eq!(present, ["a"], "one vote for two accounts' signatures");
        let (members, present) = persons(&roster, &none, &["b"]);
        assert_eq!(
            (members, present),
            (vec!["b".to_owned(), "c".into(), "d".into()], vec!["b".to_owned()]),
            "named by the account that signed"
        );
        let (members, present) = persons(&roster, &none, &["c", "d"]);
        // The server's accounts decide, whatever an old record says.
        let proven = HashMap::from([("c".to_owned(), "1".to_owned())]);
        assert_eq!(persons(&roster, &proven, &["a", "c"]).1.len(), 1, "c is the same person as a");
        assert_eq!((members.len(), present.len()), (3, 2));
        let (_, present) = persons(&[m("x", None), m("y", None)], &none, &["x", "y"]);
        assert_eq!(present.len(), 2, "accounts without a bound EDS are their own persons");
    }
}
