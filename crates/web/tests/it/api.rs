//! The authenticated API: bearer sessions, idempotent filing, ETag / If-Match, refusals as
//! problems with their citation, pagination; and the OpenAPI document.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;

use crate::App;

async fn call(app: &App, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, serde_json::Value) {
    let res = web::router(app.store.clone()).oneshot(req).await.expect("response");
    let (status, headers) = (res.status(), res.headers().clone());
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 22).await.expect("body");
    (status, headers, serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null))
}

fn json_req(
    method: &str,
    uri: &str,
    token: Option<&str>,
    body: &serde_json::Value,
    extra: &[(&str, &str)],
) -> Request<Body> {
    let mut b = Request::builder().method(method).uri(uri).header(header::CONTENT_TYPE, "application/json");
    if let Some(t) = token {
        b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    for (k, v) in extra {
        b = b.header(*k, *v);
    }
    b.body(Body::from(body.to_string())).expect("request")
}

async fn login(app: &App, login: &str, password: &str) -> String {
    let (s, _, v) = call(
        app,
        json_req("POST", "/api/v1/sessions", None, &serde_json::json!({"login": login, "password": password}), &[]),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v["token"].as_str().expect("token").to_owned()
}

#[tokio::test]
async fn api_files_acts_and_refuses_with_citations() {
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let applicant = login(&app, &sim::demo::demo_iin(0).to_string(), "demo-applicant").await;
    let (s, _, _) = call(&app, json_req("POST", "/api/v1/applications", None, &serde_json::json!({}), &[])).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);

    let upload = |bytes: &'static [u8]| {
        Request::post("/api/v1/documents")
            .header(header::AUTHORIZATION, format!("Bearer {applicant}"))
            .header(header::CONTENT_TYPE, "application/octet-stream")
            .body(Body::from(bytes))
            .expect("request")
    };
    let (s, _, v) = call(&app, upload(b"MZ\x90 not a document")).await;
    assert_eq!((s, v["citation"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("App.2 item 8")));
    let (s, _, doc) = call(&app, upload(b"%PDF-1.4\n% api upload\n%%EOF\n")).await;
    assert_eq!(s, StatusCode::CREATED);
    let sha = doc["sha256"].as_str().expect("sha").to_owned();

    let sample = sim::demo::sample_application(&app.store, 0, "astana", "sample").await.expect("sample");
    let mut application = serde_json::to_value(sample).expect("json");
    for d in application["documents"].as_array_mut().expect("documents") {
        d["sha256"] = serde_json::Value::String(sha.clone());
    }
    let (s, h, first) = call(
        &app,
        json_req("POST", "/api/v1/applications", Some(&applicant), &application, &[("Idempotency-Key", "apply-1")]),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{first}");
    assert_eq!(h.get(header::ETAG).and_then(|v| v.to_str().ok()), Some("\"v1\""));
    let (s, _, again) = call(
        &app,
        json_req("POST", "/api/v1/applications", Some(&applicant), &application, &[("Idempotency-Key", "apply-1")]),
    )
    .await;
    assert_eq!(
        (s, again["number"].clone(), again["replayed"].as_bool()),
        (StatusCode::OK, first["number"].clone(), Some(true))
    );
    let number = first["number"].as_str().expect("number").to_owned();

    let officer = login(&app, "officer.astana", "demo-officer").await;
    let act = |action: serde_json::Value, etag: &str| {
        json_req("POST", &format!("/api/v1/cases/{number}/actions"), Some(&officer), &action, &[("If-Match", etag)])
    };
    // App.2 item 9: not accepting needs the missing or expired checklist items named.
    let (s, _, v) = call(&app, act(serde_json::json!({"action": "not-accept", "note": "looks wrong"}), "\"v1\"")).await;
    assert_eq!((s, v["citation"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("App.2 item 9")), "{v}");
    let (s, h, _) = call(&app, act(serde_json::json!({"action": "register"}), "\"v1\"")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h.get(header::ETAG).and_then(|v| v.to_str().ok()), Some("\"v2\""));
    let (s, _, v) = call(&app, act(serde_json::json!({"action": "forward"}), "\"v1\"")).await;
    assert_eq!(s, StatusCode::PRECONDITION_FAILED, "{v}");
    // Not possible at this stage: the record's state, 409, with the paragraph.
    let (s, _, v) = call(&app, act(serde_json::json!({"action": "issue"}), "\"v2\"")).await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert!(v["citation"].as_str().is_some_and(|c| c.contains("Rules §9")), "{v}");
    let (s, _, v) = call(
        &app,
        json_req("GET", &format!("/api/v1/cases/{number}"), Some(&applicant), &serde_json::Value::Null, &[]),
    )
    .await;
    assert_eq!((s, v["version"].as_u64()), (StatusCode::OK, Some(2)));
    let stranger = login(&app, "member1.astana", "demo-member").await;
    let (s, _, _) = call(&app, json_req("GET", "/api/v1/queue", Some(&stranger), &serde_json::Value::Null, &[])).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "only officers have a queue");
    let (s, _, page) =
        call(&app, json_req("GET", "/api/v1/queue?limit=2", Some(&officer), &serde_json::Value::Null, &[])).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(page["limit"].as_i64(), Some(2));
    assert!(page["items"].as_array().is_some_and(|i| i.len() <= 2));
    // A query outside its published bounds is refused as a problem naming the parameter, in
    // the caller's language, never clamped in silence or answered in English plain text.
    for (query, field) in [("offset=9223372036854775808", "offset"), ("limit=500", "limit"), ("limit=two", "limit")] {
        let (s, h, v) = call(
            &app,
            json_req(
                "GET",
                &format!("/api/v1/queue?{query}"),
                Some(&officer),
                &serde_json::Value::Null,
                &[("Accept-Language", "kk")],
            ),
        )
        .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{query}: {v}");
        assert_eq!(h.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()), Some("application/problem+json"));
        assert!(v["detail"].as_str().is_some_and(|d| d.contains(&format!("«{field}» өрісіндегі"))), "{query}: {v}");
    }
    // Who may act is a permission (403); the law's paragraph still comes with it.
    let (s, _, v) = call(
        &app,
        json_req(
            "POST",
            &format!("/api/v1/cases/{number}/actions"),
            Some(&applicant),
            &serde_json::json!({"action": "forward"}),
            &[],
        ),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    assert_eq!(v["type"].as_str(), Some("/problems/refused"), "{v}");
    assert!(v["citation"].as_str().is_some(), "{v}");
}

/// The OpenAPI document, generated from the handlers and their types, is valid OpenAPI 3.1
/// for a standard validator, lists every `/api/v1` route the router serves, and is the one
/// reviewed in `snapshots/` (a change to the API shows up as a change to the snapshot).
#[tokio::test]
async fn openapi_document_is_valid_and_complete() {
    let app = crate::app().await;
    let res = web::router(app.store.clone())
        .oneshot(Request::get("/api/v1/openapi.json").body(Body::empty()).expect("req"))
        .await
        .expect("res");
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.expect("body");
    let spec: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
    let source = include_str!("../../src/lib.rs");
    for line in source.lines().filter(|l| l.contains(".route(\"/api/v1/")) {
        let path = line.split('"').nth(1).expect("a path");
        assert!(spec["paths"].get(path).is_some(), "{path} is not described");
    }
    let answers = &spec["components"]["schemas"]["CalculatorRequest"]["properties"]["answers"];
    assert_eq!(answers["additionalProperties"], false, "the calculator's answers are the criteria in force: {answers}");
    insta::assert_json_snapshot!("openapi", spec);

    let text = spec.to_string();
    let validator = std::process::Command::new("python3")
        .args(["-c", "import json,sys\nfrom openapi_spec_validator import validate\nvalidate(json.load(sys.stdin))\nprint('valid')"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let Ok(mut child) = validator else { panic!("python3 is needed to validate the OpenAPI document") };
    use std::io::Write;
    child.stdin.take().expect("stdin").write_all(text.as_bytes()).expect("write");
    let out = child.wait_with_output().expect("validator ran");
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stderr.contains("No module named 'openapi_spec_validator'") {
        assert!(std::env::var_os("QUALCERT_REQUIRE_TOOLS").is_none(), "CI must install openapi-spec-validator");
        eprintln!("note: openapi-spec-validator is not installed; the document was not validated");
        return;
    }
    assert!(out.status.success(), "{stderr}");
}

/// R10.2, R7.1 through the API: a complaint filed and forwarded; a revocation refused without
/// its act's number, with the paragraph.
#[tokio::test]
async fn api_complaints_and_revocation() {
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let applicant = login(&app, &sim::demo::demo_iin(0).to_string(), "demo-applicant").await;
    let filing = serde_json::json!({"akimat": "astana", "complainant": sim::demo::demo_iin(0).to_string(), "case": null,
        "target": "inaction", "route": "to-reviewing-body", "text": "No answer for a week"});
    let (s, h, v) = call(&app, json_req("POST", "/api/v1/complaints", Some(&applicant), &filing, &[])).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let location = h.get(header::LOCATION).and_then(|l| l.to_str().ok()).expect("location").to_owned();
    let officer = login(&app, "officer.astana", "demo-officer").await;
    let (s, h, _) = call(&app, json_req("GET", &location, Some(&officer), &serde_json::Value::Null, &[])).await;
    assert_eq!(s, StatusCode::OK);
    let etag = h.get(header::ETAG).and_then(|l| l.to_str().ok()).expect("etag").to_owned();
    let (s, _, v) = call(
        &app,
        json_req(
            "POST",
            &format!("{location}/actions"),
            Some(&officer),
            &serde_json::json!({"command": "forward"}),
            &[("If-Match", &etag)],
        ),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let cert = app
        .store
        .certificates()
        .await
        .expect("certs")
        .into_iter()
        .find(|c| c.akimat == "astana" && c.status_on(jiff::civil::date(2026, 9, 20)).is_valid());
    if let Some(cert) = cert {
        let revoke = serde_json::json!({"command": "revoke", "act": {"body": "Labour inspectorate", "number": "", "date": "2026-09-20"}});
        let (s, _, v) = call(
            &app,
            json_req("POST", &format!("/api/v1/certificates/{}/actions", cert.number), Some(&officer), &revoke, &[]),
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert!(v["citation"].as_str().is_some_and(|c| c.contains("21")), "{v}");
    }
}

/// The service with its signing office, as `serve` runs it.
async fn call_signed(app: &App, req: Request<Body>) -> (StatusCode, Vec<u8>) {
    let options = web::Options { office: Some(app.office.clone()), ..web::Options::default() };
    let res = web::router_with(app.store.clone(), &options).oneshot(req).await.expect("response");
    let status = res.status();
    (status, axum::body::to_bytes(res.into_body(), 1 << 22).await.expect("body").to_vec())
}

/// R3.2, R3.3: the applicant signs the application's canonical bytes with their own key (the
/// national EDS client's work); the API keeps a signature that verifies and names their IIN,
/// once however often it is sent, and refuses someone else's or one over other bytes.
#[tokio::test]
async fn r3_3_applicant_signs_the_canonical_application() {
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let iin = sim::demo::demo_iin(0);
    let token = login(&app, &iin.to_string(), "demo-applicant").await;
    let case = app.store.cases_of(&iin).await.expect("cases").into_iter().next().expect("a demo case");
    let number = case.number.to_string();
    let bearer = format!("Bearer {token}");
    let get = Request::get(format!("/api/v1/cases/{number}/application"))
        .header(header::AUTHORIZATION, &bearer)
        .body(Body::empty())
        .expect("request");
    let (s, content) = call_signed(&app, get).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(content, web::canonical_application(&case).into_bytes(), "the canonical bytes");

    let pki = app.dir.path().join("pki");
    let ca = docs::Identity::load(&pki.join("ca.key.pem"), &pki.join("ca.cert.pem")).expect("local CA");
    let put = |sig: Vec<u8>| {
        Request::put(format!("/api/v1/cases/{number}/application/signature"))
            .header(header::AUTHORIZATION, &bearer)
            .header(header::CONTENT_TYPE, "application/pkcs7-signature")
            .header(header::ACCEPT_LANGUAGE, "ru")
            .body(Body::from(sig))
            .expect("request")
    };
    let name = case.application.applicant.full_name();
    let own = ca.issue_for(&name, Some(&iin.to_string()), docs::KeyKind::EcP256, 30).expect("key");
    let sig = own.sign(&content).expect("sign");
    let (s, body) = call_signed(&app, put(sig.clone())).await;
    assert_eq!(s, StatusCode::CREATED, "{}", String::from_utf8_lossy(&body));
    let (s, body) = call_signed(&app, put(sig.clone())).await;
    assert_eq!(s, StatusCode::OK, "a retry keeps nothing new");
    let answer: serde_json::Value = serde_json::from_slice(&body).expect("json");
    assert_eq!((answer["new"].as_bool(), answer["signer"].as_str()), (Some(false), Some(name.as_str())));
    let kept = app.store.application_signatures(&number).await.expect("kept");
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].content.as_bytes(), &content[..]);
    let dir = app.dir.path();
    std::fs::write(dir.join("app.json"), &kept[0].content).expect("write");
    std::fs::write(dir.join("app.json.p7s"), &kept[0].signature).expect("write");
    let args = ["cms", "-verify", "-binary", "-inform", "DER", "-in", "app.json.p7s", "-content", "app.json"];
    if let Some(o) =
        crate::tool("openssl", &[&args[..], &["-CAfile", "pki/ca.cert.pem", "-out", "/dev/null"]].concat(), dir)
    {
        assert!(o.status.success(), "openssl: {}", String::from_utf8_lossy(&o.stderr));
    }

    // Someone else's key, a key naming no IIN, other bytes: refused, nothing kept.
    let other = ca.issue_for("Someone Else", Some("900101300017"), docs::KeyKind::Rsa2048, 30).expect("key");
    let (s, body) = call_signed(&app, put(other.sign(&content).expect("sign"))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let problem: serde_json::Value = serde_json::from_slice(&body).expect("json");
    assert!(problem["detail"].as_str().is_some_and(|d| d.contains("ИИН")), "{problem}");
    assert!(problem["citation"].as_str().is_some_and(|c| c.contains("10.2")), "{problem}");
    let anonymous = ca.issue("No IIN", docs::KeyKind::EcP256, 30).expect("key");
    assert_eq!(
        call_signed(&app, put(anonymous.sign(&content).expect("sign"))).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let (s, _) = call_signed(&app, put(own.sign(b"{\"other\":true}").expect("sign"))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "a signature over other bytes");
    assert_eq!(app.store.application_signatures(&number).await.expect("kept").len(), 1);
}

/// R11.1 through the API: the holder's staff fetch the signed certificate and its signature,
/// the same bytes the pages hand out; anonymous callers and unknown names get problems.
#[tokio::test]
async fn r11_1_api_hands_out_the_signed_certificate() {
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let token = login(&app, "admin", "demo-admin").await;
    let cert = app.store.certificates().await.expect("certificates").into_iter().next().expect("a certificate");
    let get = |name: &str, bearer: bool| {
        let mut b = Request::get(format!("/api/v1/certificates/{}/files/{name}", cert.number));
        if bearer {
            b = b.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        b.body(Body::empty()).expect("request")
    };
    let (s, pdf) = call_signed(&app, get("kk.pdf", true)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(pdf.starts_with(b"%PDF-"));
    let (s, sig) = call_signed(&app, get("kk.pdf.p7s", true)).await;
    assert_eq!(s, StatusCode::OK);
    let signed = app.office.verify(&sig, &pdf).expect("the signature verifies over the PDF");
    assert_eq!(signed.signers, vec![app.office.signer(&cert.akimat).common_name()]);
    assert_eq!(call_signed(&app, get("kk.pdf", false)).await.0, StatusCode::UNAUTHORIZED);
    let (s, body) = call_signed(&app, get("en.pdf", true)).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(String::from_utf8_lossy(&body).contains("/problems/no-document"));
}

/// A case of the demo applicant 0 in Astana, filed, registered and forwarded to the Commission.
pub(crate) async fn forwarded_case(app: &App) -> String {
    let application = sim::demo::sample_application(&app.store, 0, "astana", "demo-applicant").await.expect("sample");
    let iin = sim::demo::demo_iin(0);
    let applicant =
        rules::Actor { id: "demo-applicant".into(), role: rules::Role::Applicant, akimat: None, iin: Some(iin) };
    let now = jiff::Timestamp::now();
    let filed = app
        .store
        .execute(applicant, now, store::Request::Submit { application: Box::new(application) }, None)
        .await
        .expect("filed");
    let officer = rules::Actor {
        id: "demo-officer-astana".into(),
        role: rules::Role::Officer,
        akimat: Some("astana".into()),
        iin: None,
    };
    for action in [rules::case::CaseAction::Register, rules::case::CaseAction::Forward] {
        let number = rules::numbers::CaseNumber::parse(&filed.number).expect("number");
        let request = store::Request::Case { number, expected_version: None, action };
        app.store.execute(officer.clone(), now, request, None).await.expect("acted");
    }
    filed.number
}

/// R4.4, Rules §9: each member present signs the Commission's minutes with their own EDS. The
/// roster is the akimat's, kept by the administrator: a client's list of members or of those
/// present is refused as unknown. The members present are those who signed, each with a
/// certificate naming the IIN bound to their account; the decision is recorded, and the
/// certificate can be issued, only once they make a quorum.
#[tokio::test]
async fn r4_4_members_sign_the_minutes_with_their_own_keys() {
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let number = forwarded_case(&app).await;
    let options = web::Options { office: Some(app.office.clone()), ..web::Options::default() };
    let call = |req: Request<Body>| {
        let router = web::router_with(app.store.clone(), &options);
        async move {
            let res = router.oneshot(req).await.expect("response");
            let status = res.status();
            let bytes = axum::body::to_bytes(res.into_body(), 1 << 22).await.expect("body").to_vec();
            (status, serde_json::from_slice::<serde_json::Value>(&bytes).unwrap_or(serde_json::Value::Null))
        }
    };
    let member1 = login(&app, "member1.astana", "demo-member").await;
    let member2 = login(&app, "member2.astana", "demo-member").await;
    let officer = login(&app, "officer.astana", "demo-officer").await;
    let answers = serde_json::json!({"education-level": "higher", "education-matches-profession": true,
        "experience-years": 4, "professional-certificate": false, "state-or-russian-language": true});
    let record = |members: Option<serde_json::Value>| {
        let mut body = serde_json::json!({"action": "record-decision", "minutes": "12", "answers": answers,
            "recommendation": {"recommend": "issue"}});
        if let Some(m) = members {
            body["members"] = m.clone();
            body["present"] = m;
        }
        json_req("POST", &format!("/api/v1/cases/{number}/actions"), Some(&member1), &body, &[])
    };
    // The attack of the issue: a decision for an invented Commission. A client's lists of
    // members and of those present are refused by name (issue 30: no unknown field is
    // silently ignored); the roster is the akimat's.
    let (s, refused) = call(record(Some(serde_json::json!(["ghost-1", "ghost-2"])))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert!(refused["detail"].as_str().is_some_and(|d| d.contains("members")), "{refused}");
    let (s, minutes) = call(record(None)).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{minutes}");
    let roster: Vec<&str> =
        minutes["members"].as_array().expect("members").iter().filter_map(|m| m["id"].as_str()).collect();
    assert_eq!(roster, ["demo-member-astana-1", "demo-member-astana-2", "demo-member-astana-3"], "the akimat's roster");
    assert_eq!(
        (minutes["signed"].as_u64(), minutes["needed"].as_u64(), minutes["decided"].as_bool()),
        (Some(0), Some(2), Some(false))
    );
    // Recorded again before anyone signed: the later record stands.
    let (s, minutes) = call(record(None)).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{minutes}");
    let content = minutes["content"].as_str().expect("content").to_owned();
    let record_json: serde_json::Value = serde_json::from_str(&content).expect("the record is JSON");
    // Issue 30: the record names the members without their IINs (an applicant may download
    // it); who signed is decided from the server's accounts.
    assert_eq!(record_json["members"][0]["name"].as_str(), Some("Serik Member"));
    assert!(record_json["members"][0].get("iin").is_none(), "{record_json}");

    let put = |token: &str, sig: Vec<u8>| {
        Request::put(format!("/api/v1/cases/{number}/minutes/signature"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/pkcs7-signature")
            .body(Body::from(sig))
            .expect("request")
    };
    let issue = || {
        let body = serde_json::json!({"action": "issue"});
        json_req("POST", &format!("/api/v1/cases/{number}/actions"), Some(&officer), &body, &[])
    };
    let key = |i: usize, name: &str| app.office.person(name, Some(&web::demo::member_iin(i).to_string())).expect("key");
    let serik = key(0, "Serik Member");
    let dana = key(1, "Dana Member");
    let sig1 = serik.sign(content.as_bytes()).expect("sign");
    let (s, v) = call(put(&member2, sig1.clone())).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "Serik's EDS is not Dana's: {v}");
    assert_eq!(v["type"].as_str(), Some("/problems/not-your-key"), "{v}");
    let (s, v) = call(put(&officer, sig1.clone())).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "the officer is no member: {v}");
    let (s, v) = call(put(&member1, serik.sign(b"other bytes").expect("sign"))).await;
    assert_eq!((s, v["type"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("/problems/not-genuine")), "{v}");
    let (s, v) = call(put(&member1, sig1.clone())).await;
    assert_eq!((s, v["signed"].as_u64(), v["decided"].as_bool()), (StatusCode::CREATED, Some(1), Some(false)), "{v}");
    let (s, _) = call(put(&member1, sig1.clone())).await;
    assert_eq!(s, StatusCode::OK, "the same signature again changes nothing");

    // One signature of three is no quorum: no decision, nothing to issue.
    let (s, v) = call(issue()).await;
    assert_eq!(s, StatusCode::CONFLICT, "issuing before the quorum signed: {v}");
    let (s, _) = call(record(None)).await;
    assert_eq!(s, StatusCode::CONFLICT, "signed minutes are not recorded again");

    // The second signature makes the quorum: the decision names the roster and the signers.
    let (s, v) = call(put(&member2, dana.sign(content.as_bytes()).expect("sign"))).await;
    assert_eq!((s, v["signed"].as_u64(), v["decided"].as_bool()), (StatusCode::CREATED, Some(2), Some(true)), "{v}");
    let case = app.store.case(&number.parse().expect("a case number")).await.expect("case").expect("there");
    let decision = case.decision.expect("decided");
    assert_eq!(decision.members.len(), 3);
    assert_eq!(decision.present, ["demo-member-astana-1", "demo-member-astana-2"]);
    let (s, v) = call(issue()).await;
    assert_eq!(s, StatusCode::OK, "{v}");

    // The third member signs after the decision; their signature is kept with the others.
    let timur = key(2, "Timur Member");
    let member3 = login(&app, "member3.astana", "demo-member").await;
    let (s, v) = call(put(&member3, timur.sign(content.as_bytes()).expect("sign"))).await;
    assert_eq!((s, v["signed"].as_u64()), (StatusCode::CREATED, Some(3)), "{v}");
    let status = Request::get(format!("/api/v1/cases/{number}/minutes"))
        .header(header::AUTHORIZATION, format!("Bearer {officer}"))
        .body(Body::empty())
        .expect("request");
    let (s, v) = call(status).await;
    assert_eq!((s, v["content"].as_str()), (StatusCode::OK, Some(content.as_str())), "the officer sees the minutes");
    assert!(v["members"].as_array().expect("members").iter().all(|m| m["signed"].as_bool() == Some(true)), "{v}");

    // Issue 36: anyone verifying the certificate sees the minutes it rests on, the SHA-256 of
    // the record the members signed, and how many signed, the late signer included.
    let case = app.store.case(&number.parse().expect("a case number")).await.expect("case").expect("there");
    let Some(rules::case::Outcome::Issued { certificate }) = case.outcome else { panic!("issued: {:?}", case.outcome) };
    let verify =
        Request::get(format!("/api/v1/certificates/{}", certificate.number)).body(Body::empty()).expect("request");
    let (s, v) = call(verify).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (v["minutes"].as_str(), v["minutes_sha256"].as_str(), v["minutes_signed_by"].as_u64()),
        (Some("12"), Some(docs::sha256_hex(content.as_bytes()).as_str()), Some(3)),
        "{v}"
    );
}

/// Item 1 of the edge: a body that cannot become the API's type is refused before anything
/// happens, naming the field by its path, in the caller's language (kk, ru), with no English
/// inside; a body that is not JSON at all is a 415 or a 400.
#[tokio::test]
async fn api_bodies_are_typed_and_refusals_name_the_field_in_kk_and_ru() {
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let token = login(&app, &sim::demo::demo_iin(0).to_string(), "demo-applicant").await;
    let filing = |patch: serde_json::Value| {
        let mut f = serde_json::json!({"akimat": "astana", "complainant": sim::demo::demo_iin(0).to_string(),
            "case": null, "target": "inaction", "route": "to-reviewing-body", "text": "No answer"});
        for (k, v) in patch.as_object().expect("object") {
            f[k] = v.clone();
        }
        f
    };
    let cases = [
        (filing(serde_json::json!({"target": "everything"})), "target", "ru", "Поле «target»"),
        (filing(serde_json::json!({"route": null})), "route", "kk", "«route» өрісіндегі"),
        (filing(serde_json::json!({"complainant": "123456789012"})), "complainant", "ru", "«complainant» 12 цифр"),
        (filing(serde_json::json!({"mood": "angry"})), "mood", "kk", "«mood» өрісі жоқ"),
        (filing(serde_json::json!({"text": "a\u{0}b"})), "text", "ru", "управляющие символы"),
        (filing(serde_json::json!({"case": "x".repeat(301)})), "case", "ru", "длиннее 300"),
    ];
    for (body, field, lang, said) in cases {
        let (s, _, v) =
            call(&app, json_req("POST", "/api/v1/complaints", Some(&token), &body, &[("Accept-Language", lang)])).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {v}");
        let detail = v["detail"].as_str().unwrap_or_default();
        assert!(detail.contains(said), "{field} in {lang}: {detail}");
        let title = v["title"].as_str().unwrap_or_default();
        assert!(!title.is_empty() && !title.is_ascii(), "the title is in {lang} too: {title}");
    }
    let complainant = sim::demo::demo_iin(0);
    assert!(app.store.complaints_of(&complainant).await.expect("read").is_empty(), "nothing was filed");

    let mut raw = json_req("POST", "/api/v1/complaints", Some(&token), &serde_json::Value::Null, &[]);
    *raw.body_mut() = Body::from("{\"akimat\": ");
    assert_eq!(call(&app, raw).await.0, StatusCode::BAD_REQUEST, "JSON that does not parse");
    let form = Request::post("/api/v1/calculator")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT_LANGUAGE, "ru")
        .body(Body::from("answers=1"))
        .expect("req");
    let (s, _, v) = call(&app, form).await;
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{v}");
    assert!(v["detail"].as_str().unwrap_or_default().contains("JSON"), "{v}");
}

/// Issue 13, the attack: a document is attached by its hash. Another applicant who learns the
/// hash of someone's identity-document scan cannot attach it to their own filing (and so
/// cannot download it from their case); the answer is the one for a document never stored,
/// and the upload answer is the same whether the content was stored before or not.
#[tokio::test]
async fn issue_13_another_persons_document_cannot_be_attached_by_its_hash() {
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let owner = login(&app, &sim::demo::demo_iin(0).to_string(), "demo-applicant").await;
    let thief = login(&app, &sim::demo::demo_iin(1).to_string(), "demo-applicant").await;
    let upload = |token: &str, bytes: &'static [u8]| {
        Request::post("/api/v1/documents")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/octet-stream")
            .body(Body::from(bytes))
            .expect("request")
    };
    let scan: &[u8] = b"%PDF-1.4\n% the owner's passport scan\n%%EOF\n";
    let (s, _, doc) = call(&app, upload(&owner, scan)).await;
    assert_eq!(s, StatusCode::CREATED);
    let sha = doc["sha256"].as_str().expect("sha").to_owned();
    let sample = sim::demo::sample_application(&app.store, 0, "astana", "sample").await.expect("sample");
    let sample = serde_json::to_value(sample).expect("json");
    let file = |token: &str, iin: u64, sha: &str| {
        let mut a = sample.clone();
        a["applicant"]["iin"] = serde_json::json!(sim::demo::demo_iin(iin).to_string());
        for d in a["documents"].as_array_mut().expect("documents") {
            d["sha256"] = serde_json::json!(sha);
        }
        json_req("POST", "/api/v1/applications", Some(token), &a, &[])
    };
    let (stolen, _, said) = call(&app, file(&thief, 1, &sha)).await;
    let (unknown, _, never) = call(&app, file(&thief, 1, &"ab".repeat(32))).await;
    assert_eq!(stolen, StatusCode::UNPROCESSABLE_ENTITY, "{said}");
    assert_eq!((stolen, said["detail"].clone()), (unknown, never["detail"].clone()), "no oracle");
    // The thief uploading the same bytes learns nothing either: the same answer as anyone's.
    let (s, _, again) = call(&app, upload(&thief, scan)).await;
    assert_eq!((s, again["sha256"].as_str()), (StatusCode::CREATED, Some(sha.as_str())));
    // The owner files with their own upload.
    let (s, _, filed) = call(&app, file(&owner, 0, &sha)).await;
    assert_eq!(s, StatusCode::CREATED, "{filed}");
}

/// Issue 13 item 5: API tokens are listed and revocable, and "log out everywhere" ends them
/// all; the logout of a disabled account's token is immediate.
#[tokio::test]
async fn api_tokens_are_listed_and_revoked() {
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let first = login(&app, "officer.astana", "demo-officer").await;
    let second = login(&app, "officer.astana", "demo-officer").await;
    let (s, _, v) = call(&app, json_req("GET", "/api/v1/sessions", Some(&first), &serde_json::Value::Null, &[])).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let list = v.as_array().expect("a list");
    assert_eq!(list.len(), 2, "{v}");
    assert!(list.iter().all(|x| x["kind"] == "api"));
    let current: Vec<_> = list.iter().filter(|x| x["current"] == true).collect();
    assert_eq!(current.len(), 1, "exactly this one is current");
    let other =
        list.iter().find(|x| x["current"] == false).expect("the other")["handle"].as_str().expect("handle").to_owned();
    assert!(!v.to_string().contains(&second) && !v.to_string().contains(&first), "no token in the list");
    let uri = format!("/api/v1/sessions/{other}");
    let (s, _, _) = call(&app, json_req("DELETE", &uri, Some(&first), &serde_json::Value::Null, &[])).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _, _) = call(&app, json_req("GET", "/api/v1/queue", Some(&second), &serde_json::Value::Null, &[])).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "the revoked token opens nothing");
    let (s, _, _) = call(&app, json_req("DELETE", &uri, Some(&first), &serde_json::Value::Null, &[])).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "revoked already");
    // Someone else's handle is not theirs to end.
    let stranger = login(&app, "member1.astana", "demo-member").await;
    let (_, _, v) =
        call(&app, json_req("GET", "/api/v1/sessions", Some(&stranger), &serde_json::Value::Null, &[])).await;
    let theirs = v[0]["handle"].as_str().expect("handle").to_owned();
    let (s, _, _) = call(
        &app,
        json_req("DELETE", &format!("/api/v1/sessions/{theirs}"), Some(&first), &serde_json::Value::Null, &[]),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _, _) =
        call(&app, json_req("GET", "/api/v1/sessions", Some(&stranger), &serde_json::Value::Null, &[])).await;
    assert_eq!(s, StatusCode::OK, "untouched");
    let (s, _, _) =
        call(&app, json_req("DELETE", "/api/v1/sessions", Some(&first), &serde_json::Value::Null, &[])).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _, _) = call(&app, json_req("GET", "/api/v1/sessions", Some(&first), &serde_json::Value::Null, &[])).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "logged out everywhere");
}

/// Issue 13 item 5: passwords tried on one login from many addresses are limited per login:
/// ten, then 429 with Retry-After, even for the right password, and for an unknown login the
/// same way.
#[tokio::test]
async fn password_guesses_on_one_login_are_limited_whatever_the_address() {
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let attempt = |n: u8, login: &'static str, password: &'static str| {
        let mut r = json_req(
            "POST",
            "/api/v1/sessions",
            None,
            &serde_json::json!({"login": login, "password": password}),
            &[("accept-language", "ru")],
        );
        let addr = std::net::SocketAddr::from(([10, 0, 0, n], 40000));
        r.extensions_mut().insert(axum::extract::ConnectInfo(addr));
        r
    };
    // One router, as one node serves: its limits live in memory.
    let node = web::router(app.store.clone());
    let call = |req: Request<Body>| {
        let node = node.clone();
        async move {
            let res = node.oneshot(req).await.expect("response");
            let status = res.status();
            let retry_after = res.headers().get("retry-after").and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
            let bytes = axum::body::to_bytes(res.into_body(), 1 << 20).await.expect("body");
            (status, retry_after, serde_json::from_slice::<serde_json::Value>(&bytes).unwrap_or_default())
        }
    };
    for n in 0..10 {
        let (s, _, _) = call(attempt(n, "officer.astana", "a-wrong-guess")).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "attempt {n}");
    }
    let (s, retry_after, v) = call(attempt(11, "officer.astana", "demo-officer")).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{v}");
    // One attempt per six minutes after the first ten: the header says when, as the API's
    // description of 429 promises.
    assert!(retry_after.is_some_and(|s| (1..=360).contains(&s)), "Retry-After: {retry_after:?}");
    assert!(v["detail"].as_str().is_some_and(|d| d.contains("Повторите через")), "{v}");
    for n in 0..10 {
        let (s, _, _) = call(attempt(20 + n, "nobody.here", "a-wrong-guess")).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
    }
    let (s, _, _) = call(attempt(40, "nobody.here", "a-wrong-guess")).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "unknown logins alike: the limit tells nothing");
    let (s, _, _) = call(attempt(41, "member1.astana", "demo-member")).await;
    assert_eq!(s, StatusCode::CREATED, "another login is not affected");
}

/// Issue 13: the time of a refused login does not tell whether the login exists. Known logins
/// with a wrong password, logins registered by EDS without a password, and unknown logins are
/// timed interleaved in one process; their medians stay within 2× of each other.
#[tokio::test]
async fn login_timing_does_not_tell_known_from_unknown_logins() {
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let iin = sim::demo::demo_iin(77);
    let eds_only = store::User {
        id: "u-eds-only".to_owned(),
        login: iin.to_string(),
        role: rules::Role::Applicant,
        akimat: None,
        iin: Some(iin.clone()),
        name: "Registered by EDS".to_owned(),
    };
    app.store.create_user(&eds_only, "", 0).await.expect("an account without a password");
    let node = web::router(app.store.clone());
    let time = |login: String, n: u8| {
        let node = node.clone();
        async move {
            let mut req = json_req(
                "POST",
                "/api/v1/sessions",
                None,
                &serde_json::json!({"login": login, "password": "a-wrong-guess"}),
                &[],
            );
            // Each from its own address, under the per-address limit.
            req.extensions_mut().insert(axum::extract::ConnectInfo(std::net::SocketAddr::from(([10, 1, 0, n], 1))));
            let started = std::time::Instant::now();
            let res = node.oneshot(req).await.expect("response");
            let took = started.elapsed();
            assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
            took
        }
    };
    let (mut known, mut unknown, mut no_password) = (Vec::new(), Vec::new(), Vec::new());
    for n in 0..7 {
        known.push(time("officer.astana".to_owned(), 3 * n).await);
        unknown.push(time(format!("nobody.{n}"), 3 * n + 1).await);
        no_password.push(time(iin.to_string(), 3 * n + 2).await);
    }
    let median = |v: &mut Vec<std::time::Duration>| {
        v.sort();
        v[v.len() / 2].as_secs_f64()
    };
    let (k, u, p) = (median(&mut known), median(&mut unknown), median(&mut no_password));
    for (a, b, what) in [(k, u, "known / unknown"), (p, u, "without a password / unknown")] {
        let ratio = a.max(b) / a.min(b);
        assert!(ratio < 2.0, "{what}: {a:.4}s vs {b:.4}s, {ratio:.2}×");
    }
}

/// Issue 15: the reports. An officer's page opens on their akimat with charts drawn on the
/// server (inline SVG named for screen readers) and every number in a table; the CSV, the
/// XLSX and the API give the same figures; the public page names no person; an applicant
/// has no reports; a period that is no period is refused in the reader's language.
#[tokio::test]
async fn issue_15_reports_page_exports_api_and_public_levels() {
    use crate::flow::Client;
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let mut officer = Client { app: &app, cookie: None, csrf_cookie: None, lang: "ru" };
    officer.login("officer.astana", "demo-officer").await;
    let page = officer.get("/reports").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("акимат города Астаны") || page.body.contains("Акимат города Астаны"), "{}", page.body);
    assert!(page.body.contains(r#"<svg role="img" aria-label="Доля этапов в срок, %""#), "{}", page.body);
    assert!(page.body.contains("Сроки по этапам") && page.body.contains("Отказы по основаниям"), "{}", page.body);
    let today = app.store.today("astana", jiff::Timestamp::now()).expect("today");
    let from = today.checked_sub(jiff::Span::new().days(60)).expect("date");
    let report = app.store.report_of(from, today, Some("astana"), jiff::Timestamp::now()).await.expect("report");
    assert!(report.filed() > 0 && report.overall.ended > 0, "{report:?}");
    let q = format!("from={from}&to={today}&akimat=astana");
    let page = officer.get(&format!("/reports?{q}")).await;
    assert!(page.body.contains(&format!("<dd>{}</dd>", report.filed())), "{}", page.body);
    let csv = officer.get(&format!("/reports/sla.csv?{q}")).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.starts_with(&format!("Период,{from},{today}")), "{}", csv.body);
    let whole = report.overall.percent().expect("a rate");
    assert!(
        csv.body.contains(&format!("Услуга целиком,{},{},{whole:.1}", report.overall.ended, report.overall.on_time)),
        "{}",
        csv.body
    );
    let xlsx = officer.get(&format!("/reports/sla.xlsx?{q}")).await;
    assert_eq!((xlsx.status, &xlsx.bytes[..2]), (StatusCode::OK, &b"PK"[..]), "a zip container");
    // The API, for the country and for Astana.
    let token = login(&app, "officer.astana", "demo-officer").await;
    let get = |uri: String| {
        Request::get(uri).header(header::AUTHORIZATION, format!("Bearer {token}")).body(Body::empty()).expect("request")
    };
    let (s, _, v) = call(&app, get(format!("/api/v1/reports/sla?{q}"))).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["overall"]["ended"], report.overall.ended);
    assert_eq!(v["akimat"], "astana");
    let (s, _, v) = call(&app, get(format!("/api/v1/reports/sla?from={today}&to={from}"))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let applicant = login(&app, &sim::demo::demo_iin(0).to_string(), "demo-applicant").await;
    let (s, _, _) = call(
        &app,
        Request::get("/api/v1/reports/sla")
            .header(header::AUTHORIZATION, format!("Bearer {applicant}"))
            .body(Body::empty())
            .expect("r"),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let bad = officer.get("/reports?from=31.02.2026").await;
    assert!(
        bad.body.contains(r#"class="bad" role="alert""#) && bad.body.contains("31.02.2026"),
        "kept as typed: {}",
        bad.body
    );
    // The holder sees the last day to apply for an extension on their certificate's page.
    let iin = sim::demo::demo_iin(0);
    let cert = app.store.certificates_of(&iin).await.expect("read").pop().expect("applicant 0 holds one");
    let window = app.store.obligations(&cert.number.to_string()).await.expect("windows");
    let window = window.first().expect("its extension window");
    let mut holder = Client { app: &app, cookie: None, csrf_cookie: None, lang: "ru" };
    holder.login(&iin.to_string(), "demo-applicant").await;
    let page = holder.get(&format!("/certificates/{}", cert.number)).await;
    assert!(page.body.contains("Ваши сроки"), "{}", page.body);
    assert!(
        page.body.contains(&format!(
            "о продлении не позднее {}",
            rules::text::dotted_date(window.due_on.parse().expect("a date"))
        )),
        "{}",
        page.body
    );
    // The public page: rates per akimat, in Kazakh, with no IIN or name in it.
    let mut anyone = Client { app: &app, cookie: None, csrf_cookie: None, lang: "kk" };
    let levels = anyone.get("/service-levels").await;
    assert_eq!(levels.status, StatusCode::OK);
    assert!(levels.body.contains("Мерзімдердің сақталуы") && levels.body.contains("Астана"), "{}", levels.body);
    // Issue 31: open cases past their term are counted beside the finished ones.
    assert!(levels.body.contains("Қазір ашық, мерзімі өткен"), "{}", levels.body);
    let holder = sim::demo::demo_iin(0).to_string();
    assert!(!levels.body.contains(&holder), "no person on the public page");
}

/// Issue 36: a case as it stood at an instant, and its steps replayed, through the API.
#[tokio::test]
async fn issue_36_as_of_and_replay() {
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let officer = login(&app, "officer.astana", "demo-officer").await;
    let applicant = login(&app, &sim::demo::demo_iin(0).to_string(), "demo-applicant").await;
    let case = app.store.cases_of(&sim::demo::demo_iin(0)).await.expect("cases").into_iter().next().expect("a case");
    let n = case.number.to_string();
    let (s, _, v) =
        call(&app, json_req("GET", &format!("/api/v1/cases/{n}/replay"), Some(&officer), &serde_json::json!({}), &[]))
            .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["differs"], 0, "{v}");
    assert!(v["steps"].as_array().is_some_and(|a| !a.is_empty() && a.iter().all(|s| s["verdict"] == "agrees")), "{v}");
    let (s, _, _) = call(
        &app,
        json_req("GET", &format!("/api/v1/cases/{n}/replay"), Some(&applicant), &serde_json::json!({}), &[]),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Before it was filed: 404 with a clear message; a malformed instant: 400; just after
    // filing: the case as it stood then.
    let get =
        |q: &str| json_req("GET", &format!("/api/v1/cases/{n}?as_of={q}"), Some(&officer), &serde_json::json!({}), &[]);
    let (s, _, v) = call(&app, get("2000-01-01T00:00:00Z")).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
    let (s, _, _) = call(&app, get("yesterday")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let filed = jiff::Timestamp::from_millisecond(case.filed_at.as_millisecond() + 1).expect("instant");
    let (s, _, v) = call(&app, get(&filed.to_string())).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["state"], "submitted", "{v}");
}

/// Issue 36: a second first-issue application while one is open is flagged, never refused:
/// the case page and the API's case view name the other.
#[tokio::test]
async fn issue_36_a_second_open_application_is_flagged_not_refused() {
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let officer = login(&app, "officer.astana", "demo-officer").await;
    let now = jiff::Timestamp::now();
    let queue = || json_req("GET", "/api/v1/queue?limit=100", Some(&officer), &serde_json::Value::Null, &[]);
    let marked = |v: &serde_json::Value, n: &str| {
        v["items"].as_array().and_then(|items| items.iter().find(|i| i["number"] == n)).map(|i| i["related"] == true)
    };
    let first = crate::file_sample(&app, now).await;
    let (_, _, v) = call(&app, queue()).await;
    assert_eq!(marked(&v, &first), Some(false), "alone, it is not marked: {v}");
    let second = crate::file_sample(&app, now).await;
    let (s, _, v) =
        call(&app, json_req("GET", &format!("/api/v1/cases/{second}"), Some(&officer), &serde_json::json!({}), &[]))
            .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(v["related"].as_array().is_some_and(|r| r.iter().any(|n| n == first.as_str())), "{v}");
    // The queue marks both: each has the other open.
    let (s, _, v) = call(&app, queue()).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!((marked(&v, &first), marked(&v, &second)), (Some(true), Some(true)), "{v}");
}

/// Issue 34: the queue is paged by where the page before ended (`after` = its `next`), read by
/// the index at any depth; the pages so read are the queue in order, each line once, and a
/// cursor that is not one is a 400 naming the field.
#[tokio::test]
async fn issue_34_the_queue_is_paged_by_keyset() {
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let officer = login(&app, "officer.astana", "demo-officer").await;
    let now = jiff::Timestamp::now();
    for _ in 0..7 {
        crate::file_sample(&app, now).await;
    }
    let get = |q: &str| json_req("GET", &format!("/api/v1/queue?{q}"), Some(&officer), &serde_json::Value::Null, &[]);
    let (_, _, whole) = call(&app, get("limit=100")).await;
    let whole: Vec<String> =
        whole["items"].as_array().expect("items").iter().map(|i| i["number"].to_string()).collect();
    assert!(whole.len() >= 7, "{whole:?}");
    let (mut paged, mut query) = (Vec::new(), "limit=3".to_owned());
    loop {
        let (s, _, v) = call(&app, get(&query)).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        paged.extend(v["items"].as_array().expect("items").iter().map(|i| i["number"].to_string()));
        match v["next"].as_str() {
            Some(next) => query = format!("limit=3&after={next}"),
            None => break,
        }
        assert!(paged.len() <= whole.len() + 3, "the pages end");
    }
    assert_eq!(paged, whole, "keyset pages are the queue in order, each line once");
    let (s, _, v) = call(&app, get("after=yesterday")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
}
