//! Issue 36: who looked at my file. Every read of a person's case by the state's staff is
//! recorded, and the person sees it on `/account/access` and through `GET /api/v1/me/access`,
//! in their language, with staff named by role and akimat; their own reads are not listed.

use crate::flow::Client;

#[tokio::test]
async fn issue_36_a_person_sees_who_read_their_file() {
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let iin = sim::demo::demo_iin(0);
    let case = app.store.cases_of(&iin).await.expect("cases").into_iter().next().expect("a case").number;
    // The applicant reads their own case: not a read by the state.
    let mut applicant = Client { app: &app, cookie: None, csrf_cookie: None, lang: "ru" };
    applicant.login(&iin.to_string(), "demo-applicant").await;
    applicant.get(&format!("/cases/{case}")).await;
    // An officer of the akimat opens it.
    let mut officer = Client { app: &app, cookie: None, csrf_cookie: None, lang: "ru" };
    officer.login("officer.astana", "demo-officer").await;
    assert_eq!(officer.get(&format!("/cases/{case}")).await.status, axum::http::StatusCode::OK);
    // The read is batched by the writer, not waited for by the page: it lands within moments.
    let mut reads = Vec::new();
    for _ in 0..50 {
        reads = app.store.access_of(&iin, 10).await.expect("reads");
        if !reads.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(reads.len(), 1, "one read, the officer's: {reads:?}");
    let r = &reads[0];
    assert_eq!(
        (r.reader_role.as_str(), r.purpose.as_str(), r.route.as_str()),
        ("officer", "processing", "/cases/{number}")
    );
    assert_eq!(r.record, format!("case/{case}"));
    let page = applicant.get("/account/access").await.body;
    assert!(page.contains("Сотрудник акимата, акимат города Астаны"), "{page}");
    assert!(
        page.contains(&format!("заявление {case}")) && page.contains("для рассмотрения вашего заявления"),
        "{page}"
    );
    let mut kk = Client { app: &app, cookie: applicant.cookie.clone(), csrf_cookie: None, lang: "kk" };
    let page = kk.get("/account/access?lang=kk").await.body;
    assert!(page.contains("Әкімдік қызметкері") && page.contains("өтінішіңізді қарау үшін"), "{page}");
}

/// Issue 36: administrators can search the reads, by the person whose records were read and
/// by the staff member who read them; a person's search shows no one else's reads, the search
/// itself is audited, and nobody but an administrator may search.
#[tokio::test]
async fn issue_36_an_administrator_searches_who_read_whose_records() {
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let (iin, other) = (sim::demo::demo_iin(0), sim::demo::demo_iin(1));
    let case = app.store.cases_of(&iin).await.expect("cases").into_iter().next().expect("a case").number;
    let mut officer = Client { app: &app, cookie: None, csrf_cookie: None, lang: "en" };
    officer.login("officer.astana", "demo-officer").await;
    assert_eq!(officer.get(&format!("/cases/{case}")).await.status, axum::http::StatusCode::OK);
    for _ in 0..50 {
        if !app.store.access_of(&iin, 10).await.expect("reads").is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(officer.get("/admin/access").await.status, axum::http::StatusCode::FORBIDDEN);
    let mut admin = Client { app: &app, cookie: None, csrf_cookie: None, lang: "en" };
    admin.login("admin", "demo-admin").await;
    let page = admin.get(&format!("/admin/access?person={iin}")).await;
    assert_eq!(page.status, axum::http::StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains(&format!("application {case}")) && page.body.contains("(officer.astana)"),
        "{}",
        page.body
    );
    let by_staff = admin.get("/admin/access?staff=officer.astana").await.body;
    assert!(by_staff.contains(&format!("application {case}")), "{by_staff}");
    let theirs = admin.get(&format!("/admin/access?person={other}")).await.body;
    assert!(!theirs.contains(&format!("application {case}")), "another person's search shows no one else's reads");
    let wrong = admin.get("/admin/access?person=123").await;
    assert_eq!(wrong.status, axum::http::StatusCode::UNPROCESSABLE_ENTITY);
    let audit = admin.get("/admin/audit").await.body;
    assert!(audit.contains("Searched who read people"), "the search is itself audited: {audit}");
}
