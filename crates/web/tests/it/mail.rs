//! Issue 15: notices by mail, against a real SMTP server process (Python's `aiosmtpd`, which
//! keeps what it receives in a Maildir). The message arrives in the person's language with
//! its link; a server that is down delays it, and it is delivered once the server is back; a
//! worker that dies holding a delivery leaves it to another, and the person gets it once.

use std::process::{Command, Stdio};

use axum::http::StatusCode;
use base64::Engine;

use crate::flow::{Client, csrf};
use crate::smtp::{SmtpServer, free_port};

/// Whether `aiosmtpd` can run here; CI must have it (`.ci/run` installs it from PyPI).
fn have_aiosmtpd() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(std::env::var_os("QUALCERT_REQUIRE_TOOLS").is_none(), "CI must install aiosmtpd (pip)");
        eprintln!("note: python3 -m aiosmtpd is not available; the mail tests did not run");
    }
    ok
}

impl SmtpServer {
    /// Every message received, as (headers, decoded text).
    fn messages(&self) -> Vec<(String, String)> {
        let mut all = Vec::new();
        for sub in ["new", "cur"] {
            let Ok(entries) = std::fs::read_dir(self.maildir.join(sub)) else { continue };
            for e in entries.flatten() {
                all.push(decode(&std::fs::read_to_string(e.path()).expect("a message")));
            }
        }
        all
    }
}

/// Splits a message into its headers and its text, undoing the transfer encoding.
fn decode(raw: &str) -> (String, String) {
    let raw = raw.replace("\r\n", "\n");
    let (headers, body) = raw.split_once("\n\n").unwrap_or((&raw, ""));
    let lower = headers.to_lowercase();
    let text = if lower.contains("content-transfer-encoding: base64") {
        let joined: String = body.split_whitespace().collect();
        String::from_utf8(base64::engine::general_purpose::STANDARD.decode(joined).expect("base64")).expect("utf-8")
    } else if lower.contains("content-transfer-encoding: quoted-printable") {
        let soft = body.replace("=\n", "");
        let mut bytes = Vec::new();
        let mut it = soft.bytes();
        while let Some(b) = it.next() {
            if b == b'=' {
                let hex: Vec<u8> = it.by_ref().take(2).collect();
                bytes.push(u8::from_str_radix(std::str::from_utf8(&hex).expect("hex"), 16).expect("a byte"));
            } else {
                bytes.push(b);
            }
        }
        String::from_utf8(bytes).expect("utf-8")
    } else {
        body.to_owned()
    };
    (headers.to_owned(), text)
}

/// Runs `worker` until nothing is due at `now_ms`; returns how many jobs it did.
async fn drain(worker: &web::jobs::Worker, now_ms: i64) -> usize {
    let mut n = 0;
    while worker.run_once(now_ms).await.expect("the store answers").is_some() {
        n += 1;
        assert!(n < 100_000, "the worker never ran out of work");
    }
    n
}

fn mailer(port: u16) -> web::jobs::SmtpMailer {
    web::jobs::SmtpMailer::new(&format!("smtp://127.0.0.1:{port}"), "qualcert <no-reply@qualcert.test>")
        .expect("a mailer")
}

async fn file_one(app: &crate::App) -> String {
    crate::file_sample(app, jiff::Timestamp::now()).await
}

#[tokio::test]
async fn issue_15_notices_arrive_by_mail_in_the_persons_language() {
    if !have_aiosmtpd() {
        return;
    }
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let server = SmtpServer::start(free_port());
    let worker = web::jobs::Worker::new(app.store.clone(), Some(mailer(server.port)), "https://qualcert.test/");
    let now = jiff::Timestamp::now().as_millisecond();
    // Before anyone asks for mail, the demo's notices are in the inbox only: nobody gave an
    // address, so there is nothing to deliver (issue 34: no job per notice).
    assert_eq!(drain(&worker, now).await, 0);
    assert!(server.messages().is_empty(), "nobody gave an address");
    // The applicant asks for notices by mail, in Kazakh, on their account page.
    let iin = sim::demo::demo_iin(0).to_string();
    let mut applicant = Client { app: &app, cookie: None, csrf_cookie: None, lang: "ru" };
    applicant.login(&iin, "demo-applicant").await;
    let page = applicant.get("/account").await;
    assert!(page.body.contains("Уведомления по электронной почте"), "{}", page.body);
    let bad = applicant
        .post("/account/notices", &[("csrf", &csrf(&page.body)), ("email", "maria at home"), ("lang", "kk")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let r = applicant
        .post("/account/notices", &[("csrf", &csrf(&page.body)), ("email", "maria@example.kz"), ("lang", "kk")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let number = file_one(&app).await;
    let now = jiff::Timestamp::now().as_millisecond();
    assert_eq!(drain(&worker, now).await, 1, "one notice: the filing");
    let messages = server.messages();
    assert_eq!(messages.len(), 1, "{messages:#?}");
    let (headers, text) = &messages[0];
    assert!(headers.contains("maria@example.kz") && headers.contains("Content-Language: kk"), "{headers}");
    assert!(text.contains(&format!("Өтініш {number}: Өтініш берілді")), "{text}");
    assert!(text.contains("Қазіргі кезең: берілді.") && text.contains("Келесі мерзім:"), "{text}");
    assert!(text.contains(&format!("https://qualcert.test/cases/{number}")), "{text}");
    assert!(headers.contains("Message-ID: <notice-"), "{headers}");
}

/// Asks for the demo applicant's notices by mail, in `lang`, and delivers what was there.
async fn subscribe(app: &crate::App, worker: &web::jobs::Worker, lang: &str, now: i64) {
    drain(worker, now).await;
    app.store.set_contact(&sim::demo::demo_iin(0).to_string(), Some("maria@example.kz"), lang).await.expect("set");
}

#[tokio::test]
async fn issue_15_a_message_waits_while_the_mail_server_is_down() {
    if !have_aiosmtpd() {
        return;
    }
    let app = crate::app().await;
    let port = free_port();
    let worker = web::jobs::Worker::new(app.store.clone(), Some(mailer(port)), "https://qualcert.test");
    let now = jiff::Timestamp::now().as_millisecond();
    subscribe(&app, &worker, "ru", now).await;
    file_one(&app).await;
    let now = jiff::Timestamp::now().as_millisecond();
    // Nothing listens on the port: the delivery fails, is kept with its error, and waits.
    assert_eq!(drain(&worker, now).await, 1);
    let troubled = app.store.troubled_jobs(10).await.expect("jobs");
    let job = troubled.first().expect("the failed delivery is visible");
    assert_eq!((job.state.as_str(), job.attempts), ("pending", 1), "{job:?}");
    assert!(job.last_error.as_deref().is_some_and(|e| e.contains("SMTP")), "{job:?}");
    assert_eq!(drain(&worker, now).await, 0, "not before its backoff");
    // The administrator sees it waiting, with the mail server's words.
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let mut admin = Client { app: &app, cookie: None, csrf_cookie: None, lang: "en" };
    admin.login("admin", "demo-admin").await;
    let page = admin.get("/admin").await.body;
    assert!(page.contains("Deliveries that failed") && page.contains(&job.id), "{page}");
    // The server comes up; after the backoff the message is delivered, once.
    let server = SmtpServer::start(port);
    let later = job.run_after_ms;
    assert_eq!(drain(&worker, later).await, 1);
    assert_eq!(server.messages().len(), 1);
    assert_eq!(app.store.job(&job.id).await.expect("read").expect("the job").state, "done");
    assert_eq!(drain(&worker, later + 3_600_000).await, 0);
    assert_eq!(server.messages().len(), 1, "delivered once");
    let (_, text) = &server.messages()[0];
    assert!(text.contains("Текущий этап: подано."), "{text}");
}

#[tokio::test]
async fn issue_15_a_worker_that_dies_holding_a_delivery_leaves_it_to_another() {
    if !have_aiosmtpd() {
        return;
    }
    let app = crate::app().await;
    let server = SmtpServer::start(free_port());
    let now = jiff::Timestamp::now().as_millisecond();
    let a = web::jobs::Worker::new(app.store.clone(), Some(mailer(server.port)), "https://qualcert.test");
    subscribe(&app, &a, "en", now).await;
    // The filing is committed with its notice and the notice's delivery; the worker that
    // takes the delivery dies before sending (it holds the lease and never finishes).
    file_one(&app).await;
    let now = jiff::Timestamp::now().as_millisecond();
    let held = app.store.claim_job(now, 120_000).await.expect("claim").expect("the delivery");
    assert!(store::jobs::notice_of(&held.id).is_some());
    let b = a.clone();
    assert_eq!(drain(&a, now + 60_000).await, 0, "the dead worker's lease still holds");
    // After the lease, two workers race for it: one delivers, the message arrives once.
    let after = now + 120_001;
    let (x, y) = tokio::join!(a.run_once(after), b.run_once(after));
    let did: Vec<_> = [x.expect("store"), y.expect("store")].into_iter().flatten().collect();
    assert_eq!(did, vec![held.id.clone()], "one of them took it");
    assert_eq!(drain(&a, after + 3_600_000).await, 0);
    let messages = server.messages();
    assert_eq!(messages.len(), 1, "{messages:#?}");
    assert!(messages[0].1.contains("Application Z-AST-"), "{}", messages[0].1);
}

/// Issue 15: before a breach (most of a stage's working days used) and at it, the alert is
/// recorded with its derivation, listed for the officers, and mailed to the akimat's head at
/// the address the administrator gave and to each officer who gave one, in their language.
#[tokio::test]
async fn issue_15_the_akimats_head_is_told_before_and_at_a_breach() {
    if !have_aiosmtpd() {
        return;
    }
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let server = SmtpServer::start(free_port());
    let worker = web::jobs::Worker::new(app.store.clone(), Some(mailer(server.port)), "https://qualcert.test");
    drain(&worker, jiff::Timestamp::now().as_millisecond()).await;
    let mut admin = Client { app: &app, cookie: None, csrf_cookie: None, lang: "ru" };
    admin.login("admin", "demo-admin").await;
    let page = admin.get("/admin").await;
    let r = admin
        .post(
            "/admin/heads",
            &[("csrf", &csrf(&page.body)), ("akimat", "astana"), ("email", "head@astana.kz"), ("lang", "ru")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // Astana's officer asks for the alerts by mail, in Kazakh.
    let mut officer = Client { app: &app, cookie: None, csrf_cookie: None, lang: "kk" };
    officer.login("officer.astana", "demo-officer").await;
    let account = officer.get("/account").await;
    assert!(account.body.contains("Әкімдігіңіздің істері туралы ескертулерді"), "{}", account.body);
    let r = officer
        .post("/account/notices", &[("csrf", &csrf(&account.body)), ("email", "officer@astana.kz"), ("lang", "kk")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // A filing on Friday 13 March 2026, to be registered that day (App.2 item 7).
    let friday: jiff::Timestamp = "2026-03-13T05:00:00Z".parse().expect("10:00 in Astana");
    let number = crate::file_sample(&app, friday).await;
    assert_eq!(worker.sweep(friday).await.expect("sweep"), 1, "its same-day allowance is used up on the day");
    let saturday: jiff::Timestamp = "2026-03-14T05:00:00Z".parse().expect("instant");
    assert_eq!(worker.sweep(saturday).await.expect("sweep"), 1, "then the breach");
    assert_eq!(worker.sweep(saturday).await.expect("again"), 0, "each alert once");
    drain(&worker, jiff::Timestamp::now().as_millisecond()).await;
    let to_head: Vec<_> = server.messages().into_iter().filter(|(h, _)| h.contains("head@astana.kz")).collect();
    assert_eq!(to_head.len(), 2, "{to_head:#?}");
    let breach = to_head.iter().find(|(_, t)| t.contains("срок нарушен")).expect("the breach");
    assert!(
        breach.1.contains(&format!("Дело {number}")) && breach.1.contains("последний день был 13.03.2026"),
        "{}",
        breach.1
    );
    let to_officer: Vec<_> = server.messages().into_iter().filter(|(h, _)| h.contains("officer@astana.kz")).collect();
    assert_eq!(to_officer.len(), 2, "{to_officer:#?}");
    assert!(to_officer.iter().any(|(_, t)| t.contains(&format!("{number} ісі: мерзім бұзылды"))), "{to_officer:#?}");
    // The officers see both alerts, with how they were counted, in Kazakh.
    let alerts = officer.get("/officer/alerts").await;
    assert_eq!(alerts.status, StatusCode::OK, "{}", alerts.body);
    assert!(alerts.body.contains(&format!("{number} ісі: мерзім бұзылды")), "{}", alerts.body);
    assert!(alerts.body.contains(&format!("{number} ісі: жұмыс күндерінің көбі пайдаланылды")), "{}", alerts.body);
    let queue = officer.get("/officer").await.body;
    assert!(queue.contains("/officer/alerts"));
    assert!(
        queue.contains("ашық іс кезеңнің жұмыс күндерінің көп бөлігін пайдаланды"),
        "the officer is told in the queue: {queue}"
    );
}

/// Issue 35: a process without a mail server claims no delivery. The jobs wait, said on
/// `/admin` to wait for a mail server, and go out, once each, when a worker with one runs.
#[tokio::test]
async fn issue_35_deliveries_wait_for_a_mail_server() {
    if !have_aiosmtpd() {
        return;
    }
    let app = crate::app().await;
    let server = SmtpServer::start(free_port());
    let sender = web::jobs::Worker::new(app.store.clone(), Some(mailer(server.port)), "https://qualcert.test");
    let now = jiff::Timestamp::now().as_millisecond();
    subscribe(&app, &sender, "en", now).await;
    file_one(&app).await;
    let now = jiff::Timestamp::now().as_millisecond();
    let off = web::jobs::Worker::new(app.store.clone(), None, "https://qualcert.test");
    assert_eq!(drain(&off, now).await, 0, "a worker without mail claims nothing");
    assert_eq!(off.run_batch(now).await.expect("store"), 0);
    let waiting: i64 =
        app.store.job_totals().await.expect("totals").iter().filter(|(st, _)| st == "pending").map(|(_, n)| n).sum();
    assert!(waiting >= 1, "the delivery waits");
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let mut admin = Client { app: &app, cookie: None, csrf_cookie: None, lang: "en" };
    admin.login("admin", "demo-admin").await;
    let page = admin.get("/admin").await.body;
    assert!(page.contains("waiting for a mail server"), "{page}");
    // A worker with a mail server sends it, once.
    assert!(sender.run_batch(now).await.expect("store") >= 1);
    while sender.run_batch(now).await.expect("store") > 0 {}
    assert_eq!(server.messages().len(), 1, "{:#?}", server.messages());
}
