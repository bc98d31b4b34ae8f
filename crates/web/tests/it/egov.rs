//! Issue 31: signing with eGov mobile. A stand-in for the phone app signs an entry and an
//! application through the service's side of the apps' QR protocol; a signature by another
//! IIN, over other bytes, twice, or after the request expired is refused; another browser
//! never gets the signature.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use base64::Engine;
use serde_json::Value;

use crate::flow::{Client, Reply, csrf_of_box, eds_box};

/// A stand-in for eGov mobile (and eGov Business), the phone apps of egov.kz, which cannot
/// run here: a phone app with its own key storage and camera. It does what the app does with
/// the address a QR code or a deep link gives it: reads the description ("API 1"), then the
/// documents with the bearer token the description hands out ("API 2"), signs each document
/// with the key the test gives it (as the person picks theirs in the app), and sends them back
/// with `PUT`. Everything it talks to is the real service.
pub(crate) struct Phone<'a> {
    client: Client<'a>,
}

impl<'a> Phone<'a> {
    pub(crate) fn new(app: &'a crate::App) -> Phone<'a> {
        Phone { client: Client { app, cookie: None, csrf_cookie: None, lang: "ru" } }
    }

    /// The path of one of the service's addresses (the phone reaches the same service).
    fn path(url: &str) -> String {
        let rest = url.split_once("://").map_or(url, |(_, r)| r);
        rest.find('/').map_or_else(|| "/".to_owned(), |i| rest[i..].to_owned())
    }

    /// Reads the description at `url`; the documents' address and token, or the answer.
    async fn describe(&mut self, url: &str) -> Result<(String, String), Reply> {
        let r = self.client.get(&Phone::path(url)).await;
        if r.status != StatusCode::OK {
            return Err(r);
        }
        let v: Value = serde_json::from_str(&r.body).expect("API 1 answers JSON");
        assert!(v["expiry_date"].as_str().is_some() && v["description"].as_str().is_some(), "{v}");
        assert_eq!(v["document"]["auth_type"], "Token", "{v}");
        let uri = v["document"]["uri"].as_str().expect("the documents' address").to_owned();
        Ok((uri, v["document"]["auth_token"].as_str().expect("a token").to_owned()))
    }

    /// Signs the request at `url` with `key`; `other_bytes` signs those instead of what was
    /// asked (a tampering app). The answer to the `PUT`.
    pub(crate) async fn sign(&mut self, url: &str, key: &docs::Signer, other_bytes: Option<&[u8]>) -> Reply {
        let (uri, token) = match self.describe(url).await {
            Ok(found) => found,
            Err(r) => return r,
        };
        let get = Request::get(Phone::path(&uri))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .expect("req");
        let r = self.client.send(get).await;
        assert_eq!(r.status, StatusCode::OK, "API 2: {}", r.body);
        let mut documents: Value = serde_json::from_str(&r.body).expect("API 2 answers JSON");
        assert_eq!(documents["signMethod"], "CMS_SIGN_ONLY");
        let b64 = base64::engine::general_purpose::STANDARD;
        for d in documents["documentsToSign"].as_array_mut().expect("documents") {
            let data = b64.decode(d["document"]["file"]["data"].as_str().expect("data")).expect("base64");
            let cms = key.sign(other_bytes.unwrap_or(&data)).expect("sign");
            d["document"]["file"]["data"] = Value::String(b64.encode(cms));
        }
        let put = Request::put(Phone::path(&uri))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(documents.to_string()))
            .expect("req");
        self.client.send(put).await
    }
}

/// The browser asks for a request over a signing box's bytes: its description's address.
async fn request(browser: &mut Client<'_>, page: &str) -> (String, String) {
    let (_, content) = eds_box(page);
    let b64 = base64::engine::general_purpose::STANDARD.encode(&content);
    let r = browser
        .send(
            Request::post("/mobile")
                .header("x-csrf-token", csrf_of_box(page))
                .header(header::CONTENT_TYPE, "text/plain")
                .body(Body::from(b64))
                .expect("req"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v: Value = serde_json::from_str(&r.body).expect("json");
    assert!(v["qr"].as_str().is_some_and(|q| q.contains("<svg")), "a QR code");
    let id = v["id"].as_str().expect("id").to_owned();
    let description = format!("https://qualcert.example.kz/egov/{id}");
    let encoded: String = form_urlencoded::byte_serialize(description.as_bytes()).collect();
    assert!(v["app_link"].as_str().is_some_and(|l| l.contains(&encoded)), "the deep link opens the request: {v}");
    (id, description)
}

/// The browser's poll, then its post of the phone's signature where NCALayer's would go.
async fn finish(browser: &mut Client<'_>, page: &str, id: &str) -> Reply {
    let r = browser.get(&format!("/mobile/{id}/result")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let cms = base64::engine::general_purpose::STANDARD.decode(r.body.trim()).expect("base64 CMS");
    let (post, _) = eds_box(page);
    browser.post_signature(&post, &csrf_of_box(page), &cms).await
}

#[tokio::test]
async fn issue_31_a_phone_signs_an_entry_through_the_qr_protocol() {
    let app = crate::app().await;
    let mut browser = Client { app: &app, cookie: None, csrf_cookie: None, lang: "ru" };
    let page = browser.get("/register").await.body;
    assert!(page.contains("eGov mobile"), "offered beside NCALayer");
    let (id, description) = request(&mut browser, &page).await;
    let waiting = browser.get(&format!("/mobile/{id}/result")).await;
    assert_eq!(waiting.status, StatusCode::ACCEPTED, "waiting for the phone");
    let mut phone = Phone::new(&app);
    let key = app.office.person("Seitkali Aigerim", Some("900305401113")).expect("a key");
    let r = phone.sign(&description, &key, None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // Another browser never gets the signature.
    let mut stranger = Client { app: &app, cookie: None, csrf_cookie: None, lang: "ru" };
    let _ = stranger.get("/register").await;
    assert_eq!(stranger.get(&format!("/mobile/{id}/result")).await.status, StatusCode::NOT_FOUND);
    let r = finish(&mut browser, &page, &id).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(browser.get("/cabinet").await.status, StatusCode::OK, "entered");
    // One-time: the same request cannot be signed again.
    let again = phone.sign(&description, &key, None).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
}

#[tokio::test]
async fn issue_31_a_phone_signs_an_application_and_another_iin_other_bytes_or_expiry_are_refused() {
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let number = crate::file_sample(&app, jiff::Timestamp::now()).await;
    let mut applicant = Client { app: &app, cookie: None, csrf_cookie: None, lang: "ru" };
    applicant.login(&sim::demo::demo_iin(0).to_string(), "demo-applicant").await;
    let page = applicant.get(&format!("/cases/{number}")).await.body;
    let (post, content) = eds_box(&page);
    assert_eq!(post, format!("/cases/{number}/application/signature"));
    let (id, description) = request(&mut applicant, &page).await;
    let mut phone = Phone::new(&app);

    let stranger = app.office.person("Someone Else", Some("900101300017")).expect("key");
    let r = phone.sign(&description, &stranger, None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "another IIN: {}", r.body);
    assert!(r.body.contains("не ваша ЭЦП"), "{}", r.body);
    let own = app.office.person("Karimov Bakhtiyor", Some(&sim::demo::demo_iin(0).to_string())).expect("key");
    let r = phone.sign(&description, &own, Some(b"other bytes")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "other bytes: {}", r.body);
    assert_eq!(applicant.get(&format!("/mobile/{id}/result")).await.status, StatusCode::ACCEPTED, "nothing kept");
    let r = phone.sign(&description, &own, None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = finish(&mut applicant, &page, &id).await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, format!("/cases/{number}?application-signed=1").as_str()));
    assert!(!content.is_empty());

    // A request past its ten minutes: the phone is told, nothing is kept.
    let now = jiff::Timestamp::now().as_millisecond();
    let old = store::mobile::MobileSigning {
        id: "f".repeat(32),
        token: "t".repeat(64),
        owner: "nobody".into(),
        iin: None,
        content: base64::engine::general_purpose::STANDARD.encode(b"anything"),
        created_ms: now - 20 * 60 * 1000,
        expires_ms: now - 10 * 60 * 1000,
        signature: None,
    };
    app.store.put_mobile_signing(&old).await.expect("kept");
    let r = phone.sign(&format!("https://qualcert.example.kz/egov/{}", old.id), &own, None).await;
    assert_eq!(r.status, StatusCode::GONE, "{}", r.body);
}

#[tokio::test]
async fn issue_31_a_member_signs_the_minutes_with_a_phone() {
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let number = crate::file_sample(&app, jiff::Timestamp::now()).await;
    let mut officer = Client { app: &app, cookie: None, csrf_cookie: None, lang: "en" };
    officer.login("officer.astana", "demo-officer").await;
    for action in ["register", "forward"] {
        let page = officer.get(&format!("/cases/{number}")).await;
        let form = [
            ("csrf", crate::flow::csrf(&page.body)),
            ("version", crate::flow::version(&page.body)),
            ("action", action.to_owned()),
        ];
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = officer.post(&format!("/cases/{number}/act"), &form).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{action}: {}", r.body);
    }
    let mut member = Client { app: &app, cookie: None, csrf_cookie: None, lang: "en" };
    member.login("member1.astana", "demo-member").await;
    let page = member.get(&format!("/cases/{number}")).await;
    let decision = [
        ("csrf", crate::flow::csrf(&page.body)),
        ("version", crate::flow::version(&page.body)),
        ("action", "record-decision".into()),
        ("minutes", "12".into()),
        ("c-education-level", "higher".into()),
        ("c-education-matches-profession", "yes".into()),
        ("c-experience-years", "4".into()),
        ("c-professional-certificate", "no".into()),
        ("c-state-or-russian-language", "yes".into()),
        ("recommend", "issue".into()),
        ("reasoning", "Strong practical record".into()),
    ];
    let decision: Vec<(&str, &str)> = decision.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = member.post(&format!("/cases/{number}"), &decision).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = member.get(&format!("/cases/{number}")).await.body;
    let (post, _) = eds_box(&page);
    assert_eq!(post, format!("/cases/{number}/minutes/signature"));
    let (id, description) = request(&mut member, &page).await;
    let key = app.office.person("Serik Member", Some(&web::demo::member_iin(0).to_string())).expect("key");
    let r = Phone::new(&app).sign(&description, &key, None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = finish(&mut member, &page, &id).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let after = member.get(&format!("/cases/{number}")).await.body;
    assert!(after.contains("Signed: 1; a quorum needs 2"), "{after}");
}
