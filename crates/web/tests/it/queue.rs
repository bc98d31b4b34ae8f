//! Issue 34: the officer's queue page is read a page at a time, each page on from the last
//! line of the one before, so an akimat with more waiting cases than a page shows them all.

use axum::http::StatusCode;

use crate::flow::Client;

#[tokio::test]
async fn issue_34_the_officer_reads_the_whole_queue_page_by_page() {
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let now = jiff::Timestamp::now();
    let mut filed = Vec::new();
    for _ in 0..205 {
        filed.push(crate::file_sample(&app, now).await);
    }
    let mut officer = Client { app: &app, cookie: None, csrf_cookie: None, lang: "en" };
    officer.login("officer.astana", "demo-officer").await;
    let first = officer.get("/officer").await;
    assert_eq!(first.status, StatusCode::OK);
    let next = first.body.split("href=\"").find_map(|h| {
        let href = h.split('"').next()?;
        href.starts_with("/officer?after=").then(|| href.replace("&amp;", "&"))
    });
    let next = next.unwrap_or_else(|| panic!("a link to the next page: {}", first.body));
    let second = officer.get(&next).await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.body);
    assert!(second.body.contains("Back to the start of the queue"), "{}", second.body);
    // Every filing is on one of the two pages, and none on both.
    let on = |body: &str, n: &str| body.contains(&format!(">{n}</a>"));
    for n in &filed {
        assert!(on(&first.body, n) != on(&second.body, n), "{n} is on exactly one page");
    }
}
