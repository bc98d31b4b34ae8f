//! Acting on a case from its page: the posted form read into the rules' action, and the
//! answer (the case again, with what was done or what stopped it).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::civil::Date;
use rules::assessment::{Answer, Answers};
use rules::case::{CaseAction, Recommendation};
use rules::documents::DocumentKind;
use rules::numbers::CaseNumber;
use store::{Request, StoreError};

use crate::edge::AppState;
use crate::edge::error::PageError;
use crate::edge::forms::parse_date;
use crate::edge::forms::{DataFields, Form};
use crate::edge::i18n::Tr;
use crate::shared::minutes::{Act, Proposal};

use super::case::Kept;
use super::case::show_case;
use super::case_form::ActForm;
use super::case_form::ActionChoice;
use super::case_form::RecommendKind;
use super::case_form::action_name;
use super::case_form::grounds_from;
use super::common::name_of;

/// The Commission's answers to the criteria (`c-{criterion}` fields).
pub(crate) fn answers_from(fields: &DataFields) -> Answers {
    let mut answers = Answers::new();
    for (k, v) in fields.iter() {
        if let Some(id) = k.strip_prefix("c-") {
            let answer = match v.trim() {
                "" => continue,
                "yes" => Answer::YesNo(true),
                "no" => Answer::YesNo(false),
                v => match v.parse::<u32>() {
                    Ok(y) => Answer::Years(y),
                    Err(_) => Answer::Choice(v.to_owned()),
                },
            };
            answers.insert(id.to_owned(), answer);
        }
    }
    answers
}

/// Builds the action from a posted form; `Err` is a message for the person and the id of the
/// field it is about.
pub(crate) fn action_from(t: &Tr, form: &ActForm) -> Result<Act, (String, String)> {
    let kind = action_name(form.action.kind());
    let date = |k: &str| -> Result<Option<Date>, (String, String)> {
        let v = form.text(k);
        if v.is_empty() {
            Ok(None)
        } else {
            parse_date(&v).map(Some).ok_or_else(|| (t.t("error-date"), format!("{k}-{kind}")))
        }
    };
    // Refusing and not accepting end the case for the applicant: the officer confirms first,
    // on the form itself, so that it works without a script.
    if matches!(form.action, ActionChoice::Refuse | ActionChoice::NotAccept) && form.text("confirm") != "on" {
        return Err((t.t(&format!("case-confirm-{kind}-required")), format!("confirm-{kind}")));
    }
    Ok(Act::Case(match form.action {
        ActionChoice::Register => CaseAction::Register,
        ActionChoice::NotAccept => {
            let named = |prefix: &str| -> Vec<DocumentKind> {
                DocumentKind::ALL
                    .iter()
                    .copied()
                    .filter(|k| form.text(&format!("{prefix}-{}", name_of(k))) == "on")
                    .collect()
            };
            CaseAction::NotAccept { missing: named("missing"), expired: named("expired"), note: form.text("note") }
        }
        ActionChoice::Forward => CaseAction::Forward,
        ActionChoice::Issue => CaseAction::Issue { number: rules::case::Unallocated, valid_to: date("valid_to")? },
        ActionChoice::Extend => CaseAction::Extend { valid_to: date("valid_to")? },
        ActionChoice::Reissue => CaseAction::Reissue { number: rules::case::Unallocated },
        ActionChoice::IssueDuplicate => CaseAction::IssueDuplicate,
        ActionChoice::Close => CaseAction::Close,
        ActionChoice::Refuse => CaseAction::Refuse { grounds: grounds_from(form), reasoning: form.text("reasoning") },
        ActionChoice::RecordDecision => {
            let recommendation = form.recommend.map(RecommendKind::from).map(|kind| match kind {
                RecommendKind::Issue => Recommendation::Issue { reasoning: form.text("reasoning") },
                RecommendKind::Refuse => {
                    Recommendation::Refuse { grounds: grounds_from(form), reasoning: form.text("reasoning") }
                }
            });
            return Ok(Act::Minutes(Proposal {
                minutes: form.text("minutes"),
                answers: answers_from(&form.fields),
                recommendation,
            }));
        }
    }))
}

pub(crate) async fn act(
    State(state): State<AppState>,
    t: Tr,
    crate::edge::auth::Staff(s): crate::edge::auth::Staff,
    Path(number): Path<String>,
    Form(form): Form<ActForm>,
) -> Result<Response, PageError> {
    let Ok(case_number) = CaseNumber::parse(&number) else {
        return Err(PageError::not_found());
    };
    let case = match state.store.case(&case_number).await {
        Ok(Some(c)) if crate::edge::access::case(&s.user, &c) => c,
        Ok(_) => return Err(PageError::forbidden()),
        Err(e) => return Err(e.into()),
    };
    let action = match action_from(&t, &form) {
        Ok(Act::Case(a)) => a,
        Ok(Act::Minutes(proposal)) => {
            return Ok(match crate::shared::minutes::propose(&state, &s.user, &case, proposal).await {
                Ok(_) => Redirect::to(&format!("/cases/{number}?minutes=1")).into_response(),
                Err(e) => {
                    let (status, message) = (e.0.status, e.0.message(&t));
                    let kept = match e.refusal() {
                        Some(r) => Kept::of(&form).refused(r, t.lang),
                        None => Kept::of(&form),
                    };
                    let mut r = show_case(&state, t, s, &number, false, None, kept.said(message)).await;
                    *r.status_mut() = status;
                    r
                }
            });
        }
        Err((message, field)) => {
            let kept = Kept::of(&form).at(&field);
            return Ok(show_case(&state, t, s, &number, false, None, kept.said(message)).await);
        }
    };
    let expected = form.version.trim().parse::<u64>().ok();
    let request = Request::Case { number: case_number, expected_version: expected, action };
    let key = Some(form.token.as_str()).filter(|k| k.len() == 64);
    Ok(match state.store.execute(s.user.actor(), jiff::Timestamp::now(), request, key).await {
        Ok(_) => Redirect::to(&format!("/cases/{number}?done={}", action_name(form.action.kind()))).into_response(),
        Err(StoreError::Refused(r)) => {
            let message = r.sentence(t.lang);
            let kept = Kept::of(&form).because(r.reason);
            show_case(&state, t, s, &number, false, None, kept.said(message)).await
        }
        Err(StoreError::Conflict { .. }) => {
            // Another officer acted first: the page shows the case as it is now, and the
            // answers as typed, to re-apply if still right.
            let message = t.t("case-conflict");
            let mut r = show_case(&state, t, s, &number, false, None, Kept::of(&form).said(message)).await;
            *r.status_mut() = StatusCode::CONFLICT;
            r
        }
        Err(e) => crate::edge::error::PageError::from(e).into_response(),
    })
}
