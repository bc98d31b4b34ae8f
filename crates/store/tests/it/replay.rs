//! Issue 36: a period's replay reads its cases' events (and the certificates they name) a
//! slice at once, gathered by the database into one row per stream. On both backends it must
//! decide every step exactly as the case-by-case replay does.

use crate::{TestDb, on_both};

async fn a_period_replays_as_its_cases_do(db: TestDb) {
    let store = &db.store;
    sim::demo::run(store, 40, jiff::civil::date(2026, 3, 2), &store::backup::Quiet).await.expect("demo");
    let (from, to) = (jiff::civil::date(2020, 1, 1), jiff::civil::date(2030, 12, 31));
    let cases = store.cases_received(from, to, None).await.expect("cases");
    assert!(cases.len() >= 40, "the demo files at least one case each: {}", cases.len());
    let (mut steps, mut differing, mut with_certificate) = (0, 0, 0);
    for (number, _, service) in &cases {
        let r = store.replay_case(number).await.expect("replayed").expect("a case");
        assert!(!r.steps.is_empty(), "{number}");
        steps += r.steps.len();
        differing += usize::from(r.differs > 0);
        with_certificate += usize::from(service != "issue");
    }
    assert!(with_certificate > 0, "the demo has extensions, re-issues or duplicates: they read a certificate");
    let survey = store.survey(from, to, None, &store.reference().law, false).await.expect("survey");
    assert_eq!((survey.cases, survey.steps, survey.differing), (cases.len(), steps, differing));
    assert_eq!(survey.differing, 0, "the demo's decisions agree with the rules: {:?}", survey.examples);
}
on_both!(issue_36_a_period_replays_as_its_cases_do, super::a_period_replays_as_its_cases_do);
