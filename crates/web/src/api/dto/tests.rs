//! The API's reading of bodies and queries.

use super::*;
use crate::edge::error::Said;
use axum::http::StatusCode;

fn refusal(body: &str) -> (StatusCode, String) {
    let Err(e) = read::<FilingBody>(body.as_bytes()) else { panic!("{body} must be refused") };
    let field = match &e.0.said {
        Said::Field { field, .. } => field.clone(),
        other => format!("{other:?}"),
    };
    (e.0.status, field)
}

#[test]
fn a_refused_body_names_the_field_by_its_path() {
    let f =
        r#"{"akimat":"astana","complainant":"900305401113","case":null,"target":"inaction","route":ROUTE,"text":"x"}"#;
    assert_eq!(refusal(&f.replace("ROUTE", "null")), (StatusCode::UNPROCESSABLE_ENTITY, "route".to_owned()));
    assert_eq!(refusal(&f.replace("ROUTE", "\"sideways\"")), (StatusCode::UNPROCESSABLE_ENTITY, "route".to_owned()));
    assert_eq!(
        refusal(&f.replace("ROUTE", "\"to-akimat\",\"x\":1")),
        (StatusCode::UNPROCESSABLE_ENTITY, "x".to_owned())
    );
    assert_eq!(refusal(&f.replace("ROUTE", "")).0, StatusCode::BAD_REQUEST);
    // Issue 30: an unknown field in a tagged body (an act on a case) is refused by name too.
    let Err(e) = read::<CaseActionBody>(br#"{"action":"issue","valid_to":null,"sneaky":true}"#) else {
        panic!("an unknown field must be refused")
    };
    assert_eq!(e.0.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(matches!(&e.0.said, Said::Field { field, .. } if field == "sneaky"), "{:?}", e.0.said);
    let years: AnswersBody = serde_json::from_str(r#"{"experience-years": 26.0}"#).expect("26.0 is a whole number");
    assert_eq!(years.0.get("experience-years"), Some(&AnswerBody::Years(26)));
    assert!(serde_json::from_str::<AnswersBody>(r#"{"experience-years": 2.5}"#).is_err());
}
