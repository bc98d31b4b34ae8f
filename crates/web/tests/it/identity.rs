//! Issue 30: the EDS path's holes, each tried as the attack was made. A signature is judged at
//! the moment the server receives it, never at the signingTime the signer wrote; a squatted
//! account is closed at its owner's first EDS entry; one IIN binds to one account per role and
//! akimat; strangers' failed passwords do not lock the owner out; an applicant's account has
//! no password an administrator could reset.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;

use crate::flow::{Client, csrf, csrf_of_box, eds_box};

fn fixture(path: &str) -> Vec<u8> {
    let base = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../kzpki/tests/fixtures");
    std::fs::read(base.join(path)).expect("an NCA test vector")
}

/// An NCA test key whose certificate has expired signs today's challenge with a signingTime
/// inside its validity: entry is refused, in words, and no session is opened.
#[tokio::test]
async fn issue_30_an_expired_gost_key_backdating_its_signing_time_cannot_enter() {
    let mut app = crate::app().await;
    let staging = app.dir.path().join("pki-staging");
    std::fs::create_dir_all(&staging).expect("dir");
    std::fs::write(staging.join("nca-test"), b"").expect("trust the NCA's test roots");
    app.office = std::sync::Arc::new(docs::Office::development(&staging).expect("a staging office"));
    let ks = kzpki::p12::KeyStore::open(&fixture("p12/individual.p12"), "Qwerty12").expect("the NCA test key");
    assert!(ks.certificate.not_after < jiff::Timestamp::now(), "the test key has expired");
    let backdated = ks.certificate.not_before + jiff::SignedDuration::from_hours(24);
    let mut attacker = Client { app: &app, cookie: None, csrf_cookie: None, lang: "en" };
    let page = attacker.get("/register").await;
    let (post, content) = eds_box(&page.body);
    let options = kzpki::cms::SignOptions { signing_time: backdated, attached: false };
    let cms = kzpki::cms::sign(&content, &ks.key, &ks.certificate, &[], &options).expect("sign");
    let r = attacker.post_signature(&post, &csrf_of_box(&page.body), &cms).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("expired"), "{}", r.body);
    assert!(r.set_cookie.is_none(), "no session");

    // Nor can it be bound to a staff account, the path every later signature of theirs takes.
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let mut reviewer = Client { app: &app, cookie: None, csrf_cookie: None, lang: "en" };
    reviewer.login("reviewer", "demo-reviewer").await;
    let page = reviewer.get("/account").await;
    let (post, content) = eds_box(&page.body);
    let cms = kzpki::cms::sign(&content, &ks.key, &ks.certificate, &[], &options).expect("sign");
    let r = reviewer.post_signature(&post, &csrf_of_box(&page.body), &cms).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("expired"), "{}", r.body);
    assert_eq!(app.store.account("demo-reviewer").await.expect("read").expect("kept").user.iin, None);
}

/// A legacy account registered with the victim's typed IIN, with the squatter's password and
/// session, becomes the victim's at their first EDS entry with nothing of the squatter's left.
#[tokio::test]
async fn issue_30_a_squatted_account_is_closed_at_the_owners_first_eds_entry() {
    let app = crate::app().await;
    let victim = "900305401113";
    let squatter = store::User {
        id: "u-legacy".into(),
        login: victim.into(),
        role: rules::Role::Applicant,
        akimat: None,
        iin: None,
        name: "Squatter".into(),
    };
    let hash = web::hash_password("Squatter-pass-2026!").expect("hash");
    app.store.create_user(&squatter, &hash, jiff::Timestamp::now().as_millisecond()).await.expect("legacy account");
    let mut intruder = Client { app: &app, cookie: None, csrf_cookie: None, lang: "en" };
    intruder.login(victim, "Squatter-pass-2026!").await;
    assert_eq!(intruder.get("/account").await.status, StatusCode::OK, "the squatter's session works before");

    let mut owner = Client { app: &app, cookie: None, csrf_cookie: None, lang: "en" };
    let r = owner.enter_by_eds(victim, ("Seitkali", "Aigerim")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(owner.get("/cabinet").await.status, StatusCode::OK);

    assert_ne!(intruder.get("/account").await.status, StatusCode::OK, "the squatter's session ended");
    let again = intruder
        .post_from("/login", "/login", &[("login", victim), ("password", "Squatter-pass-2026!"), ("next", "")])
        .await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED, "and their password");
    let audit = app
        .store
        .audit_log(&store::AuditFilter { person: "u-legacy".into(), limit: 20, ..Default::default() })
        .await
        .expect("audit");
    assert!(audit.iter().any(|e| e.action == "legacy-account-closed"), "recorded: {audit:?}");
}

/// A second Commission account cannot bind an EDS already bound in the akimat's Commission:
/// one signature would otherwise count twice toward the quorum.
#[tokio::test]
async fn issue_30_one_iin_binds_to_one_member_account() {
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let second = store::User {
        id: "u-member-4".into(),
        login: "member4.astana".into(),
        role: rules::Role::Commission,
        akimat: Some("astana".into()),
        iin: None,
        name: "Serik Member (again)".into(),
    };
    let hash = web::hash_password("tulip-Kestrel-41-margin").expect("hash");
    app.store.create_user(&second, &hash, jiff::Timestamp::now().as_millisecond()).await.expect("account");
    let mut member = Client { app: &app, cookie: None, csrf_cookie: None, lang: "ru" };
    member.login("member4.astana", "tulip-Kestrel-41-margin").await;
    let page = member.get("/account").await;
    let (post, content) = eds_box(&page.body);
    let first_members_key =
        app.office.person("Serik Member", Some(&web::demo::member_iin(0).to_string())).expect("key");
    let r =
        member.post_signature(&post, &csrf_of_box(&page.body), &first_members_key.sign(&content).expect("sign")).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.contains("уже привязана"), "said in the person's language: {}", r.body);
    let account = app.store.account("u-member-4").await.expect("read").expect("kept");
    assert_eq!(account.user.iin, None, "nothing bound");
}

/// Ten wrong passwords from ten addresses slow down unknown browsers on that login, but the
/// owner's browser, where they logged in before, gets in with the right password; and logging
/// in often is never counted.
#[tokio::test]
async fn issue_30_the_owner_gets_in_after_strangers_failures() {
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let node = web::router(app.store.clone());
    let attempt = |n: u8, password: &str, device: Option<&str>| {
        let cookie = match device {
            Some(d) => format!("qc_csrf=t0ken; qc_device={d}"),
            None => "qc_csrf=t0ken".to_owned(),
        };
        let mut r = Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, cookie)
            .body(Body::from(format!("csrf=t0ken&login=officer.astana&password={password}&next=")))
            .expect("request");
        r.extensions_mut().insert(axum::extract::ConnectInfo(std::net::SocketAddr::from(([10, 0, 0, n], 40000))));
        r
    };
    let send = |req: Request<Body>| {
        let node = node.clone();
        async move { node.oneshot(req).await.expect("response") }
    };
    // The owner logs in from their browser a few times (the edge's per-address limit of ten a
    // minute is another matter): successes are never counted against the login.
    let mut device = None;
    for _ in 0..3 {
        let r = send(attempt(200, "demo-officer", None)).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        device = r
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok()?.strip_prefix("qc_device="))
            .map(|v| v.split(';').next().unwrap_or("").to_owned())
            .next();
    }
    let device = device.expect("the browser is marked as the account's");
    for n in 0..10 {
        assert_eq!(send(attempt(n, "a-wrong-guess", None)).await.status(), StatusCode::UNAUTHORIZED, "stranger {n}");
    }
    let unknown = send(attempt(77, "demo-officer", None)).await;
    assert_eq!(unknown.status(), StatusCode::TOO_MANY_REQUESTS, "an unknown browser waits");
    assert!(unknown.headers().get(header::RETRY_AFTER).is_some());
    let owner = send(attempt(200, "demo-officer", Some(&device))).await;
    assert_eq!(owner.status(), StatusCode::SEE_OTHER, "the owner's browser gets in");
    let forged = send(attempt(78, "demo-officer", Some("00112233445566778899aabbccddeeff"))).await;
    assert_eq!(forged.status(), StatusCode::TOO_MANY_REQUESTS, "a made-up mark is no mark");
}

/// The administrator cannot reset an applicant's account (applicants enter by EDS): refused,
/// audited, and the account unchanged.
#[tokio::test]
async fn issue_30_an_applicants_account_cannot_be_reset() {
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let mut admin = Client { app: &app, cookie: None, csrf_cookie: None, lang: "ru" };
    admin.login("admin", "demo-admin").await;
    let page = admin.get("/admin").await;
    let token = csrf(&page.body);
    let reset_form = |id: &str| {
        format!(
            r#"action="/admin/users/{id}" class="inline"><input type="hidden" name="csrf" value="{token}"><input type="hidden" name="do" value="reset-password">"#
        )
    };
    assert!(!page.body.contains(&reset_form("demo-applicant")), "no reset is offered for an applicant");
    // Issue 31: the background work and whom to warn render in the page, not in its title.
    let title = page.body.split("<title>").nth(1).and_then(|t| t.split("</title>").next()).unwrap_or("");
    assert!(!title.contains(&token) && !title.contains("<section"), "{title}");
    let main = page.body.split(r#"<main id="main""#).nth(1).unwrap_or("");
    assert!(main.contains(r#"id="jobs-title""#) && main.contains(r#"id="heads""#), "both sections render");
    // Issue 31: applicants are listed apart from staff, a page at a time.
    let (staff, applicants) = main.split_once(r#"id="applicants-title""#).expect("an applicants' section");
    let applicant_login = sim::demo::demo_iin(0).to_string();
    assert!(staff.contains("member1.astana") && !staff.contains(&applicant_login), "staff first, alone");
    assert!(applicants.contains(&sim::demo::demo_iin(0).to_string()) && !applicants.contains("member1.astana"));
    assert!(applicants.contains("Страница 1 из"), "{applicants}");
    let page_2 = admin.get("/admin?applicants=1").await;
    assert_eq!(page_2.status, StatusCode::OK);
    assert!(page.body.contains(&reset_form("demo-member-astana-1")), "staff still have one");
    let before = app.store.account("demo-applicant").await.expect("read").expect("kept").password_hash;
    let r = admin.post("/admin/users/demo-applicant", &[("csrf", &token), ("do", "reset-password")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(r.body.contains("входит по своей ЭЦП"), "{}", r.body);
    let after = app.store.account("demo-applicant").await.expect("read").expect("kept").password_hash;
    assert_eq!(before, after, "unchanged");
    let audit = app
        .store
        .audit_log(&store::AuditFilter { person: "demo-applicant".into(), limit: 20, ..Default::default() })
        .await
        .expect("audit");
    assert!(audit.iter().any(|e| e.action == "password-reset-refused"), "audited: {audit:?}");
    // A staff member's password is still reset.
    let r = admin
        .post("/admin/users/demo-member-astana-1", &[("csrf", &token), ("do", "reset-password"), ("confirm", "on")])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

/// Issue 30: a complaint sent to the akimat alone (Rules §25) is the akimat's to review; the
/// reviewing body sees neither the complaint nor its case file.
#[tokio::test]
async fn issue_30_the_reviewer_does_not_see_a_complaint_sent_to_the_akimat_alone() {
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let mut applicant = Client { app: &app, cookie: None, csrf_cookie: None, lang: "en" };
    applicant.login(&sim::demo::demo_iin(0).to_string(), "demo-applicant").await;
    let case = crate::file_sample(&app, jiff::Timestamp::now()).await;
    let form = applicant.get("/complaints/new").await;
    let token = csrf(&form.body);
    let fields = [
        ("csrf", token.as_str()),
        ("akimat", "astana"),
        ("case", case.as_str()),
        ("target", "inaction"),
        ("route", "to-akimat"),
        ("text", "Nobody answers my calls"),
    ];
    let r = applicant.post("/complaints/new", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let url = r.location.expect("to the complaint").trim_end_matches("?new=1").to_owned();
    let mut officer = Client { app: &app, cookie: None, csrf_cookie: None, lang: "en" };
    officer.login("officer.astana", "demo-officer").await;
    assert_eq!(officer.get(&url).await.status, StatusCode::OK, "the akimat reviews it");
    assert_eq!(officer.get(&format!("{url}/case")).await.status, StatusCode::OK, "with the case file");
    let mut reviewer = Client { app: &app, cookie: None, csrf_cookie: None, lang: "en" };
    reviewer.login("reviewer", "demo-reviewer").await;
    assert_eq!(reviewer.get(&url).await.status, StatusCode::NOT_FOUND);
    assert_eq!(reviewer.get(&format!("{url}/case")).await.status, StatusCode::NOT_FOUND);
}
