//! The Commission's live total while scoring (htmx), by the criteria in force for the case.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::edge::AppState;
use crate::edge::error::PageError;
use crate::edge::i18n::Tr;
use crate::edge::view::render;

use super::act::answers_from;

#[derive(Template)]
#[template(path = "score.html")]
pub(crate) struct ScorePreview {
    pub(crate) total: String,
    pub(crate) verdict: String,
    pub(crate) lines: Vec<(String, u32, u32)>,
}

/// The live breakdown of the Commission's scoring form: the rules' assessment of the answers
/// so far, with the case's own criteria and pass mark. Changes nothing.
pub(crate) async fn score(
    State(state): State<AppState>,
    t: Tr,
    crate::edge::auth::Member(s, _): crate::edge::auth::Member,
    Path(number): Path<String>,
    crate::edge::forms::Form(form): crate::edge::forms::Form<crate::edge::forms::DataFields>,
) -> Result<Response, PageError> {
    let number: rules::numbers::CaseNumber = number.parse().map_err(|_| PageError::forbidden())?;
    let case = match state.store.case(&number).await {
        Ok(Some(c)) if crate::edge::access::case(&s.user, &c) => c,
        Ok(_) => return Err(PageError::forbidden()),
        Err(e) => return Err(e.into()),
    };
    let law = &state.store.reference().law;
    let Ok(in_force) = law.for_case(&case) else { return Err(PageError::forbidden()) };
    let answers = answers_from(&form);
    let pass = &in_force.rules.terms.pass_mark_points;
    Ok(match rules::assessment::assess(&answers, in_force.criteria, pass) {
        Ok(a) => {
            let args = [("points", pass.value.to_string()), ("citation", pass.citation.localized(t.lang))];
            render(&ScorePreview {
                total: t.ta("calc-total", &[("total", a.total.to_string()), ("max", a.max_total.to_string())]),
                verdict: if a.passed() { t.ta("calc-passed", &args) } else { t.ta("calc-failed", &args) },
                lines: a.lines.iter().map(|l| (l.question.get(t.lang).to_owned(), l.points, l.max_points)).collect(),
            })
        }
        // The preview is a fragment of the form: the law's words, in the page's language.
        Err(e) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&ScoreRefused { message: e.refusal(in_force.criteria).sentence(t.lang) }),
        )
            .into_response(),
    })
}

#[derive(Template)]
#[template(source = r#"<p class="bad">{{ message }}</p>"#, ext = "html")]
pub(crate) struct ScoreRefused {
    pub(crate) message: String,
}
