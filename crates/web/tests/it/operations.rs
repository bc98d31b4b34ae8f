//! Issue 35: what the store's checks find reaches the operator: an alert on `/admin` in their
//! language, with what to do, and `/readyz` failing while the chain itself is broken.

use axum::http::StatusCode;

use crate::flow::Client;

#[tokio::test]
async fn issue_35_a_finding_is_an_alert_on_admin_and_a_broken_chain_is_not_ready() {
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let now = jiff::Timestamp::now().as_millisecond();
    assert_eq!(crate::send(&app, crate::get("/readyz")).await.0, StatusCode::OK);
    app.store.note_finding(store::findings::FindingKind::Chain, "7", "its content does not match its hash", now);
    app.store.note_finding(store::findings::FindingKind::DocumentMissing, "ab12", "missing at start", now);
    let (status, _, body) = crate::send(&app, crate::get("/readyz")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(body.contains("chain-broken"), "{body}");

    let mut admin = Client { app: &app, cookie: None, csrf_cookie: None, lang: "en" };
    admin.login("admin", "demo-admin").await;
    let page = admin.get("/admin").await.body;
    assert!(page.contains("The chain of events is broken at position 7"), "{page}");
    assert!(page.contains("Document ab12 is missing") && page.contains("qualcert restore DIR"), "{page}");
    let mut kk = Client { app: &app, cookie: None, csrf_cookie: None, lang: "kk" };
    kk.login("admin", "demo-admin").await;
    let page = kk.get("/admin").await.body;
    assert!(page.contains("Оқиғалар тізбегі 7 позициясында бұзылған"), "said in Kazakh: {page}");
    assert!(!page.contains("The chain of events"), "no English in the Kazakh page");

    // A check that finds the chain sound clears its finding: the node is ready again.
    let v = app.store.verify_since_checkpoint(now).await.expect("verify");
    assert_eq!(v.broken, None);
    assert_eq!(crate::send(&app, crate::get("/readyz")).await.0, StatusCode::OK);
    assert!(app.store.findings().iter().all(|f| f.kind != store::findings::FindingKind::Chain));
}
