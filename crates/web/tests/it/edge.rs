//! The edge: CSRF on every form, typed forms that refuse what they do not offer, faults in
//! the person's language with an error id and never database text.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;

use crate::App;

/// Every route whose POST may change something: a form of a page, read from the router
/// itself (`matrix::route_table`), so a new form cannot be left out. The JSON API takes bearer
/// tokens and eGov mobile its one-time links, not cookies; the read-only look-ups (calculator,
/// status, verification, score preview) are exempt by design; see `web::edge::csrf`.
fn form_routes() -> Vec<String> {
    let exempt = ["/calculator", "/status", "/verify", "/cases/{number}/score"];
    crate::matrix::route_table()
        .into_iter()
        .filter(|(method, path)| method == "POST" && !path.starts_with("/api/") && !path.starts_with("/egov/"))
        .map(|(_, path)| path)
        .filter(|path| !exempt.contains(&path.as_str()))
        .collect()
}

async fn send(app: &App, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, String) {
    let res = web::router(app.store.clone()).oneshot(req).await.expect("response");
    let (status, headers) = (res.status(), res.headers().clone());
    let bytes = axum::body::to_bytes(res.into_body(), 4 * 1024 * 1024).await.expect("body");
    (status, headers, String::from_utf8_lossy(&bytes).into_owned())
}

fn cookie_of(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap_or("").to_owned())
}

fn csrf_in(html: &str) -> String {
    let at = html.find(r#"name="csrf" value=""#).expect("a CSRF field") + r#"name="csrf" value=""#.len();
    html[at..].split('"').next().unwrap_or("").to_owned()
}

/// Logs in through the login page as a browser would: the session cookie and its token.
async fn login(app: &App, login: &str, password: &str) -> (String, String) {
    let (_, h, page) = send(app, Request::get("/login").body(Body::empty()).expect("req")).await;
    let anon = cookie_of(&h, "qc_csrf").expect("a CSRF cookie before login");
    let body = format!("csrf={}&login={login}&password={password}&next=/", csrf_in(&page));
    let req = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, anon)
        .body(Body::from(body))
        .expect("req");
    let (status, h, _) = send(app, req).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{login} logs in");
    let session = cookie_of(&h, "qc_session").expect("session cookie");
    let (_, _, home) =
        send(app, Request::get("/").header(header::COOKIE, &session).body(Body::empty()).expect("req")).await;
    (session, csrf_in(&home))
}

fn post(uri: &str, cookie: Option<&str>, kind: &str, body: &str) -> Request<Body> {
    let mut r = Request::post(uri).header(header::CONTENT_TYPE, kind).header(header::ACCEPT_LANGUAGE, "ru");
    if let Some(c) = cookie {
        r = r.header(header::COOKIE, c);
    }
    r.body(Body::from(body.to_owned())).expect("req")
}

#[tokio::test]
async fn every_form_route_refuses_a_post_without_its_csrf_token() {
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let case =
        app.store.cases_of(&sim::demo::demo_iin(0)).await.expect("cases").into_iter().next().expect("a case").number;
    let certificate = app.store.certificates().await.expect("certificates").into_iter().next().expect("one").number;
    let applicant = sim::demo::demo_iin(0).to_string();
    let (session, token) = login(&app, &applicant, "demo-applicant").await;
    let urlencoded = "application/x-www-form-urlencoded";
    let multipart = "multipart/form-data; boundary=B";
    let routes = form_routes();
    assert!(routes.len() >= 28, "the router's forms: {routes:?}");
    for route in routes {
        let number = if route.starts_with("/certificates/") { certificate.to_string() } else { case.to_string() };
        let uri = route.replace("{number}", &number).replace("{lang}", "kk").replace("{id}", "demo-admin");
        for (who, cookie) in [("anonymous", None), ("logged in", Some(session.as_str()))] {
            for (kind, body) in [
                (urlencoded, "login=x&password=y".to_owned()),
                (urlencoded, "csrf=forged&action=register".to_owned()),
                (multipart, "--B\r\nContent-Disposition: form-data; name=\"service\"\r\n\r\nissue\r\n--B--\r\n".into()),
            ] {
                let (status, _, text) = send(&app, post(&uri, cookie, kind, &body)).await;
                assert_eq!(status, StatusCode::FORBIDDEN, "{who} POST {uri} ({kind}) without the token");
                assert!(text.contains("Срок действия формы истёк"), "said in the person's language: {text}");
            }
        }
    }
    // The session's token opens the same door: the guard is what refused, not the handler.
    let body = format!("csrf={token}");
    let (status, _, _) = send(&app, post("/logout", Some(&session), urlencoded, &body)).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "with its token, logout works");
    // A token given before login is not the token of a session.
    let (_, h, _) = send(&app, Request::get("/login").body(Body::empty()).expect("req")).await;
    let anon = cookie_of(&h, "qc_csrf").expect("cookie");
    let anon_token = anon.trim_start_matches("qc_csrf=");
    let (session, _) = login(&app, &applicant, "demo-applicant").await;
    let both = format!("{session}; {anon}");
    let (status, _, _) = send(&app, post("/logout", Some(&both), urlencoded, &format!("csrf={anon_token}"))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a logged-in form needs the session's own token");
}

#[tokio::test]
async fn an_unknown_or_missing_choice_is_refused_naming_the_field_and_changes_nothing() {
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let applicant = sim::demo::demo_iin(0);
    let (session, token) = login(&app, &applicant.to_string(), "demo-applicant").await;
    let before = app.store.complaints_of(&applicant).await.expect("complaints").len();
    let uri = "/complaints/new";
    let kind = "application/x-www-form-urlencoded";
    let filing = |extra: &str| format!("csrf={token}&akimat=astana&text=late{extra}");
    let (status, _, text) =
        send(&app, post(uri, Some(&session), kind, &filing("&target=frobnicate&route=to-akimat"))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
    assert!(text.contains("«На что вы жалуетесь»"), "names the field as the page labels it: {text}");
    let (status, _, text) = send(&app, post(uri, Some(&session), kind, &filing("&target=decision"))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text.contains("Не заполнено поле «Кому адресована»"), "{text}");
    assert!(!text.contains("«route»"), "no internal name: {text}");
    let (status, _, text) =
        send(&app, post(uri, Some(&session), kind, &filing("%00&target=decision&route=to-akimat"))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text.contains("управляющие символы"), "{text}");
    let long = "x".repeat(400);
    let (status, _, text) =
        send(&app, post(uri, Some(&session), kind, &filing(&format!("&target=decision&route=to-akimat&case={long}"))))
            .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text.contains("длиннее 300 символов"), "{text}");
    let (status, _, text) =
        send(&app, post(uri, Some(&session), kind, &filing("%0Asecond line&target=decision&route=to-akimat"))).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "a multi-line complaint with valid choices is filed: {text}");
    let after = app.store.complaints_of(&applicant).await.expect("complaints").len();
    assert_eq!(before + 1, after, "only the valid one was filed");
}

#[tokio::test]
async fn faults_speak_the_persons_language_with_an_error_id_and_no_database_text() {
    let app = crate::app().await;
    // The database goes away under the running service.
    app.store.close().await;
    let req = Request::post("/api/v1/sessions")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT_LANGUAGE, "ru")
        .body(Body::from(r#"{"login":"someone","password":"guess"}"#))
        .expect("r");
    let (status, h, text) = send(&app, req).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{text}");
    assert!(h.get(header::RETRY_AFTER).is_some());
    assert_eq!(h.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()), Some("application/problem+json"));
    assert!(text.contains("Сервис сейчас не может ответить") && text.contains("Номер ошибки"), "{text}");
    for leak in ["database", "sqlite", "pool", "closed", "SELECT"] {
        assert!(!text.to_lowercase().contains(&leak.to_lowercase()), "no database text ({leak}): {text}");
    }
    let req = Request::get("/login").header(header::ACCEPT_LANGUAGE, "kk").header(header::COOKIE, "qc_session=abc");
    let (status, _, text) = send(&app, req.body(Body::empty()).expect("r")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(text.contains(r#"<html lang="kk">"#) && text.contains("Қате нөмірі"), "{text}");
    for leak in ["database", "sqlite", "pool", "closed"] {
        assert!(!text.to_lowercase().contains(leak), "no database text ({leak}): {text}");
    }
}

#[tokio::test]
async fn metrics_are_for_administrators_with_latency_per_route_pattern() {
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let (status, _, _) = send(&app, Request::get("/metrics").body(Body::empty()).expect("req")).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "not public");
    let (applicant, _) = login(&app, &sim::demo::demo_iin(0).to_string(), "demo-applicant").await;
    let req = Request::get("/metrics").header(header::COOKIE, &applicant).body(Body::empty()).expect("req");
    assert_eq!(send(&app, req).await.0, StatusCode::FORBIDDEN, "not for applicants");
    let (admin, _) = login(&app, "admin", "demo-admin").await;
    let req = Request::get("/cases/ABC").header(header::COOKIE, &admin).body(Body::empty()).expect("req");
    let (_, h, _) = send(&app, req).await;
    assert_eq!(h.get(header::CACHE_CONTROL).and_then(|v| v.to_str().ok()), Some("no-store"), "private pages");
    let req = Request::get("/metrics").header(header::COOKIE, &admin).body(Body::empty()).expect("req");
    let (status, _, text) = send(&app, req).await;
    assert_eq!(status, StatusCode::OK);
    assert!(text.contains("qualcert_http_request_seconds_bucket{route=\"/cases/{number}\""), "{text}");
    assert!(text.contains("qualcert_http_responses_total{class=\"4xx\"}"), "{text}");
    assert!(text.contains("qualcert_writer_batch_commands_bucket"), "writer batch sizes: {text}");
    assert!(!text.contains("/cases/ABC"), "patterns, not numbers");
}
