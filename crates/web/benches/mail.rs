//! Mail out of the worker to a real local SMTP server (Python's `aiosmtpd`, keeping each
//! message in a Maildir), against the same server fed by a bare SMTP client in the same run:
//! issue 34's target is ≥ 200 messages per second.
//!
//! Run with `cargo bench -p web --bench mail`. The store is the real one (embedded SQLite,
//! `synchronous=FULL`) with a demo's notices, each applicant having asked for mail: every delivery
//! is marked as being sent, composed from the store, sent and marked done, as in service.

#![expect(clippy::print_stdout, reason = "a benchmark reports to the terminal")]

use std::process::{Command, Stdio};
use std::time::Instant;

use futures_util::StreamExt as _;
use lettre::AsyncTransport as _;

/// Applicants in the demo: each case gives several notices.
const APPLICANTS: u64 = 120;

#[path = "../tests/it/smtp.rs"]
mod smtp;

/// Messages in the Maildir.
fn received(maildir: &std::path::Path) -> usize {
    std::fs::read_dir(maildir.join("new")).map(|d| d.count()).unwrap_or(0)
}

fn main() {
    let ok = Command::new("python3").args(["-c", "import aiosmtpd"]).stderr(Stdio::null()).status();
    if !ok.is_ok_and(|s| s.success()) {
        println!("mail: skipped (python3 -m aiosmtpd is not available; pip install aiosmtpd)");
        return;
    }
    let dir = tempfile::tempdir().expect("tmp");
    let server = smtp::SmtpServer::start(smtp::free_port());
    let port = server.port;
    let url = format!("smtp://127.0.0.1:{port}");
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let store = rt.block_on(async {
        let store = store::Store::open(
            store::Config::in_data_dir(&dir.path().join("data")),
            store::Reference::embedded().expect("reference"),
        )
        .await
        .expect("store");
        // Addresses first: a notice is delivered by mail only to a person who gave one.
        for i in 0..APPLICANTS {
            let lang = ["kk", "ru", "en"][(i % 3) as usize];
            let iin = sim::demo::demo_iin(i).to_string();
            store.set_contact(&iin, Some(&format!("person{i}@example.kz")), lang).await.expect("contact");
        }
        sim::demo::run(&store, APPLICANTS, jiff::civil::date(2026, 9, 1), &store::backup::Quiet).await.expect("demo");
        store
    });

    // The baseline: the same server fed by a bare client, as many messages, as many at once
    // as the worker sends, each on a pooled connection.
    let pending = rt.block_on(store.job_totals()).expect("totals");
    let jobs = pending.iter().find(|(s, _)| s == "pending").map_or(0, |(_, n)| *n) as usize;
    let bare = rt.block_on(async {
        let transport = lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(&url).expect("url").build();
        let t = Instant::now();
        futures_util::stream::iter(0..jobs)
            .map(|i| {
                let transport = &transport;
                async move {
                    let m = lettre::Message::builder()
                        .from("qualcert <no-reply@qualcert.test>".parse().expect("from"))
                        .to(format!("person{}@example.kz", i % 100).parse().expect("to"))
                        .subject("Өтініш Z-AST-2026-000001: Өтініш берілді")
                        .body("Өтініш берілді.\n\nҚазіргі кезең: берілді.".to_owned())
                        .expect("message");
                    transport.send(m).await.expect("sent");
                }
            })
            .buffer_unordered(web::jobs::mail_parallel())
            .collect::<Vec<()>>()
            .await;
        jobs as f64 / t.elapsed().as_secs_f64()
    });
    let before = received(&server.maildir);

    // The mail transport's pool runs on the runtime.
    let _runtime = rt.enter();
    let mailer = web::jobs::SmtpMailer::new(&url, "qualcert <no-reply@qualcert.test>").expect("mailer");
    let worker = web::jobs::Worker::new(store.clone(), Some(mailer), "https://qualcert.test");
    let t = Instant::now();
    let done = rt.block_on(async {
        let mut done = 0;
        loop {
            let n = worker.run_batch(jiff::Timestamp::now().as_millisecond()).await.expect("the store answers");
            if n == 0 {
                break done;
            }
            done += n;
        }
    });
    let rate = done as f64 / t.elapsed().as_secs_f64();
    let sent = received(&server.maildir) - before;
    drop(server);
    assert_eq!(sent, done, "every job sent one message");
    println!("mail: bare SMTP client, {jobs} messages: {bare:.0} messages per second");
    let verdict = if rate >= 200.0 { "met" } else { "NOT met" };
    println!(
        "mail: worker, {done} notices (claimed, marked, composed, sent, done): {rate:.0} messages per second \
         (target >= 200: {verdict}); worker / bare client = {:.2}",
        rate / bare
    );
}

/// The service binary's allocator (`qualcert`), so the bench measures what it runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
