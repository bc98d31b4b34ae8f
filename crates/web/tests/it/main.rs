//! The web service in process: a real store on a fresh data directory with demo data, and
//! requests through the real router (no network, no mocks).

mod access;
mod api;
mod browser;
mod edge;
mod egov;
mod flow;
mod identity;
mod mail;
mod matrix;
mod ncalayer;
mod operations;
mod queue;
mod smtp;
mod uploads;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;

pub(crate) struct App {
    pub(crate) store: store::Store,
    pub(crate) dir: tempfile::TempDir,
    /// A development signing office in `dir/pki`, as `serve --demo` makes.
    pub(crate) office: std::sync::Arc<docs::Office>,
}

/// Runs a tool in `dir`; `None` when it is missing outside CI (in CI every tool must be there).
pub(crate) fn tool(name: &str, args: &[&str], dir: &std::path::Path) -> Option<std::process::Output> {
    match std::process::Command::new(name).args(args).current_dir(dir).output() {
        Ok(o) => Some(o),
        Err(_) => {
            assert!(std::env::var_os("QUALCERT_REQUIRE_TOOLS").is_none(), "CI must install {name}");
            eprintln!("{name} not found; skipping that check");
            None
        }
    }
}

pub(crate) async fn app() -> App {
    web::install_metrics();
    let dir = tempfile::tempdir().expect("tmp");
    let store =
        store::Store::open(store::Config::in_data_dir(dir.path()), store::Reference::embedded().expect("reference"))
            .await
            .expect("store");
    // Demo cases from a month ago, so certificates are current on the real "today" the web
    // layer judges by (it reads the clock; the rules do not).
    let today = store.today("astana", jiff::Timestamp::now()).expect("today");
    let start = store
        .reference()
        .calendar
        .next_working_day(today.checked_sub(jiff::Span::new().days(30)).expect("date"))
        .expect("calendar data for this year");
    sim::demo::run(&store, 24, start, &store::backup::Quiet).await.expect("demo");
    let office = std::sync::Arc::new(docs::Office::development(&dir.path().join("pki")).expect("signing office"));
    App { store, dir, office }
}

/// Files a sample application for the demo applicant in Astana at `at`, as if from the
/// pages; returns its case number.
pub(crate) async fn file_sample(app: &App, at: jiff::Timestamp) -> String {
    let application =
        sim::demo::sample_application(&app.store, 0, "astana", "demo-applicant").await.expect("a sample filing");
    let actor = rules::Actor {
        id: "demo-applicant".into(),
        role: rules::Role::Applicant,
        akimat: None,
        iin: Some(sim::demo::demo_iin(0)),
    };
    let filing = store::Request::Submit { application: Box::new(application) };
    app.store.execute(actor, at, filing, None).await.expect("filed").number.to_string()
}

async fn send(app: &App, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, String) {
    let res = web::router(app.store.clone()).oneshot(req).await.expect("response");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = axum::body::to_bytes(res.into_body(), 4 * 1024 * 1024).await.expect("body");
    (status, headers, String::from_utf8(bytes.to_vec()).expect("utf-8"))
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).expect("request")
}

fn get_lang(uri: &str, accept: &str) -> Request<Body> {
    Request::get(uri).header(header::ACCEPT_LANGUAGE, accept).body(Body::empty()).expect("request")
}

fn form(uri: &str, body: &str, lang: &str) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT_LANGUAGE, lang)
        .body(Body::from(body.to_owned()))
        .expect("request")
}

fn json(uri: &str, body: &str) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_owned()))
        .expect("request")
}

#[tokio::test]
async fn pages_speak_three_languages_with_security_headers() {
    let app = app().await;
    let (s, h, kk) = send(&app, get("/")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(kk.contains(r#"<html lang="kk">"#) && kk.contains("Анықтаманы тексеру"), "Kazakh by default");
    assert_eq!(h.get("x-content-type-options").map(|v| v.to_str().unwrap_or("")), Some("nosniff"));
    assert!(h.get(header::CONTENT_SECURITY_POLICY).is_some());
    let (_, _, ru) = send(&app, get_lang("/", "ru-RU,ru;q=0.9,en;q=0.8")).await;
    assert!(ru.contains(r#"<html lang="ru">"#) && ru.contains("Проверить справку"));
    let (_, h, en) = send(&app, get("/?lang=en")).await;
    assert!(en.contains(r#"<html lang="en">"#) && en.contains("Verify a certificate"));
    assert!(h.get_all(header::SET_COOKIE).iter().any(|v| v.to_str().unwrap_or("").starts_with("lang=en")));
    let (_, _, again) =
        send(&app, Request::get("/").header(header::COOKIE, "lang=en").body(Body::empty()).expect("req")).await;
    assert!(again.contains(r#"<html lang="en">"#), "the cookie keeps the choice");
    for page in ["/calculator", "/status", "/verify"] {
        let (s, _, body) = send(&app, get(page)).await;
        assert_eq!(s, StatusCode::OK, "{page}");
        assert!(body.contains("<h1>") && body.contains(r#"<main id="main""#), "{page}");
    }
    let (s, h, _) = send(&app, get("/static/app.css")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(h.get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap_or("")).unwrap_or("").starts_with("text/css"));
}

/// R4.5: the calculator scores with the Commission's engine, keeps what was typed, and
/// names the pass mark's paragraph.
#[tokio::test]
async fn r4_5_calculator_page_breakdown_and_errors() {
    let app = app().await;
    let body = "education-level=higher&education-matches-profession=yes&experience-years=0&professional-certificate=no&state-or-russian-language=no";
    let (s, _, html) = send(&app, form("/calculator", body, "en")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Total: 5 of 10 points"), "{html}");
    assert!(html.contains("below the pass mark of 6 points") && html.contains("App.2 item 9.2"));
    assert!(html.contains("would give 1 more"), "what would raise the score");
    assert!(html.contains("SAMPLE"), "sample criteria are marked");
    let (s, _, html) = send(&app, form("/calculator", "education-level=higher&experience-years=three", "ru")).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Введите целое число лет"), "the error is in Russian");
    assert!(html.contains(r#"value="three""#), "what was typed is kept");
    assert!(html.contains(r#"value="higher" checked"#), "the choice is kept");
    assert!(html.contains(r#"aria-invalid="true""#));
    // An answer that is not on the scale is not silently dropped: it is named, in the summary
    // that links to its question.
    let (s, _, html) = send(&app, form("/calculator", "education-level=phd-in-astrology", "kk")).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(html.contains("Берілген жауаптардың бірін таңдаңыз") && html.contains("Қате бар"), "{html}");
    assert!(html.contains(r##"href="#education-level-"##), "{html}");
}

/// Issue 14, bug 8: an address with nothing behind it answers a page in the person's language
/// (the API a problem document), and the site has an icon.
#[tokio::test]
async fn unknown_addresses_get_a_localized_page_and_the_site_an_icon() {
    let app = app().await;
    let (s, _, html) = send(&app, get_lang("/no/such/page", "ru")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(html.contains("По этому адресу ничего нет") && html.contains("<html lang=\"ru\""), "{html}");
    let (s, _, body) = send(&app, get("/api/v1/nothing")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(body.contains("\"status\":404"), "{body}");
    let (s, _, svg) = send(&app, get("/favicon.ico")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(svg.starts_with("<svg"), "{svg}");
}

/// R3.8: the status of an application by number and identity document, as 1411 tells it.
#[tokio::test]
async fn r3_8_status_page_and_api() {
    let app = app().await;
    let case = app.store.cases_of(&sim::demo::demo_iin(0)).await.expect("cases").into_iter().next().expect("a case");
    let number = case.number.to_string();
    let doc = case.application.applicant.document_number.clone();
    let (s, _, html) =
        send(&app, form("/status", &format!("case={number}&document={}", doc.to_lowercase()), "kk")).await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(html.contains(&number) && html.contains("Қызмет"), "{html}");
    let (s, _, html) = send(&app, form("/status", &format!("case={number}&document=WRONG1"), "en")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(html.contains("No application with this case number"));
    assert!(!html.contains("Sample"), "nothing of the applicant shows");
    let mistyped = format!("{}X", &number[..number.len() - 1]);
    let (s, _, html) = send(&app, form("/status", &format!("case={mistyped}&document={doc}"), "en")).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("mistyped"), "{html}");
    let (s, _, body) =
        send(&app, json("/api/v1/status", &format!(r#"{{"case":"{number}","document":"{doc}"}}"#))).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(v["number"], number.as_str());
    let (s, h, _) = send(&app, json("/api/v1/status", &format!(r#"{{"case":"{number}","document":"nope"}}"#))).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(h.get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap_or("")), Some("application/problem+json"));
}

/// R11.1: verification shows the certificate's fields, the holder masked, never in full.
#[tokio::test]
async fn r11_1_verification_masks_the_holder() {
    let app = app().await;
    let cert = app.store.certificates().await.expect("registry").into_iter().next().expect("a certificate");
    let number = cert.number.to_string();
    let (s, _, html) = send(&app, get(&format!("/verify?number={number}&lang=en"))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Genuine") && html.contains(&cert.holder.masked_name()), "{html}");
    assert!(!html.contains(&cert.holder.full_name()), "the public never sees the name in full");
    let (s, _, body) = send(&app, get(&format!("/api/v1/certificates/{number}"))).await;
    assert_eq!(s, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(
        (v["genuine"].as_bool(), v["holder_masked"].as_str()),
        (Some(true), Some(cert.holder.masked_name().as_str()))
    );
    assert!(!body.contains(&cert.holder.given_name), "{body}");
    let fake = rules::numbers::CertificateNumber::new("AST", 2026, 99_999).expect("valid").to_string();
    let (s, _, html) = send(&app, get(&format!("/verify?number={fake}&lang=ru"))).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(html.contains("Не подлинная"));
    let (s, _, body) = send(&app, get("/api/v1/certificates/AST-2026-00001-0")).await;
    assert!(s == StatusCode::BAD_REQUEST || s == StatusCode::NOT_FOUND, "{s} {body}");
}

#[tokio::test]
async fn api_calculator_health_and_readiness() {
    let app = app().await;
    let (s, _, body) =
        send(&app, json("/api/v1/calculator", r#"{"answers":{"education-level":"higher","experience-years":5}}"#))
            .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!((v["total"].as_u64(), v["passed"].as_bool(), v["sample"].as_bool()), (Some(6), Some(true), Some(true)));
    let (s, _, body) = send(&app, json("/api/v1/calculator", r#"{"answers":{"shoe-size":42}}"#)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Rules §10"));
    assert_eq!(send(&app, get("/healthz")).await.0, StatusCode::OK);
    assert_eq!(send(&app, get("/readyz")).await.0, StatusCode::OK);
    // Larger than every document a form can carry, and the answers around them.
    let big = "x".repeat(90 * 1024 * 1024);
    let (s, _, _) = send(&app, form("/calculator", &big, "en")).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "request size is limited");
}

/// Guessing is slowed down: the 11th login attempt in a minute from one address is refused
/// with 429 and Retry-After, in the person's language.
#[tokio::test]
async fn login_attempts_are_rate_limited() {
    let app = app().await;
    let router = web::router(app.store.clone());
    let attempt = || {
        Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT_LANGUAGE, "ru")
            .header(header::COOKIE, "qc_csrf=t0ken")
            .body(Body::from("csrf=t0ken&login=someone&password=guess&next="))
            .expect("request")
    };
    for _ in 0..10 {
        let r = router.clone().oneshot(attempt()).await.expect("response");
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    let r = router.clone().oneshot(attempt()).await.expect("response");
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers().get(header::RETRY_AFTER).is_some());
    let body = axum::body::to_bytes(r.into_body(), 1 << 16).await.expect("body");
    assert!(String::from_utf8_lossy(&body).contains("Слишком много попыток"));
}
