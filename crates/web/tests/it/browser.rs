//! End to end in a real browser: headless Chromium (Debian's `chromium` and
//! `chromium-driver`) walks an applicant from registration to the certificate, through the
//! officer and the Commission, in Russian and Kazakh; axe-core checks the main page of each
//! role for serious or critical accessibility violations; screenshots are kept under
//! `target/e2e-screenshots/` as artefacts.
//!
//! The WebDriver protocol is JSON over HTTP on loopback, spoken here directly.

use std::net::TcpListener as StdListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{Value, json};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

struct Driver {
    agent: ureq::Agent,
    base: String,
    session: String,
    child: Child,
    shots: PathBuf,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.agent.delete(format!("{}/session/{}", self.base, self.session)).call();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

impl Driver {
    fn start() -> Option<Driver> {
        let (chromium, chromedriver) = (Path::new("/usr/bin/chromium"), Path::new("/usr/bin/chromedriver"));
        if !chromium.exists() || !chromedriver.exists() {
            assert!(
                std::env::var_os("QUALCERT_REQUIRE_TOOLS").is_none(),
                "CI must install chromium and chromium-driver"
            );
            eprintln!("note: chromium or chromedriver is not installed; the browser test did not run");
            return None;
        }
        let port = free_port();
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        let base = format!("http://127.0.0.1:{port}");
        let start = Instant::now();
        while agent.get(format!("{base}/status")).call().is_err() {
            assert!(start.elapsed() < Duration::from_secs(20), "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().expect("profile dir");
        let caps = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1280,1400",
                     format!("--user-data-dir={}", profile.path().display())]}}}});
        let v = post(&agent, &format!("{base}/session"), &caps);
        let session = v["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {v}")).to_owned();
        let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/e2e-screenshots");
        std::fs::create_dir_all(&shots).expect("screenshot dir");
        let d = Driver { agent, base, session, child, shots, _profile: profile };
        d.cmd("POST", "timeouts", &json!({"script": 60000, "pageLoad": 30000, "implicit": 0}));
        Some(d)
    }

    fn cmd(&self, method: &str, path: &str, body: &Value) -> Value {
        let url = format!("{}/session/{}/{}", self.base, self.session, path);
        let v = match method {
            "GET" => read(self.agent.get(&url).call()),
            _ => post(&self.agent, &url, body),
        };
        if let Some(err) = v.get("error") {
            panic!("WebDriver {path}: {err} {}", v["message"]);
        }
        v
    }

    fn goto(&self, url: &str) {
        self.cmd("POST", "url", &json!({"url": url}));
    }

    fn url(&self) -> String {
        self.cmd("GET", "url", &Value::Null).as_str().unwrap_or("").to_owned()
    }

    fn source(&self) -> String {
        self.cmd("GET", "source", &Value::Null).as_str().unwrap_or("").to_owned()
    }

    fn find(&self, css: &str) -> String {
        let url = format!("{}/session/{}/element", self.base, self.session);
        let v = post(&self.agent, &url, &json!({"using": "css selector", "value": css}));
        match v.get(ELEMENT).and_then(Value::as_str) {
            Some(id) => id.to_owned(),
            None => {
                panic!("no element {css} on {}:\n{}", self.url(), &self.source().chars().take(3000).collect::<String>())
            }
        }
    }

    fn click(&self, css: &str) {
        let e = self.find(css);
        self.cmd("POST", &format!("element/{e}/click"), &json!({}));
    }

    fn type_in(&self, css: &str, text: &str) {
        let e = self.find(css);
        self.cmd("POST", &format!("element/{e}/clear"), &json!({}));
        self.cmd("POST", &format!("element/{e}/value"), &json!({"text": text}));
    }

    /// Submits a form and waits for the next page.
    fn submit(&self, form: &str) {
        self.follow(&format!("{form} button[type=submit]"));
    }

    /// Clicks what leads to another page (a link, a submit button) and waits for that page:
    /// the old document carries a marker the new one does not have.
    fn follow(&self, css: &str) {
        self.cmd("POST", "execute/sync", &json!({"script": "window.__qualcertOld = true; return true;", "args": []}));
        self.click(css);
        let start = Instant::now();
        loop {
            let v = self.cmd(
                "POST",
                "execute/sync",
                &json!({"script": "return window.__qualcertOld === undefined && document.readyState === 'complete';", "args": []}),
            );
            if v.as_bool() == Some(true) {
                return;
            }
            assert!(start.elapsed() < Duration::from_secs(30), "no new page after clicking {css} on {}", self.url());
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn screenshot(&self, name: &str) {
        let v = self.cmd("GET", "screenshot", &Value::Null);
        let png = base64::engine::general_purpose::STANDARD.decode(v.as_str().unwrap_or("")).expect("base64");
        std::fs::write(self.shots.join(format!("{name}.png")), png).expect("write screenshot");
    }

    /// axe-core's serious and critical violations on the current page.
    fn axe(&self, page: &str) {
        let axe = include_str!("../e2e/axe.min.js");
        self.cmd("POST", "execute/sync", &json!({"script": format!("{axe}\nreturn typeof axe;"), "args": []}));
        let script = "const done = arguments[arguments.length - 1];\
            axe.run(document, {resultTypes: ['violations']})\
              .then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')\
                 .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', '))))\
              .catch(e => done(['axe failed: ' + e]));";
        let v = self.cmd("POST", "execute/async", &json!({"script": script, "args": []}));
        let violations: Vec<String> =
            v.as_array().map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect()).unwrap_or_default();
        assert!(violations.is_empty(), "{page}: {violations:#?}");
    }

    /// Waits until the page shows `text` (a part updated in place by htmx).
    fn wait_for_text(&self, text: &str) {
        let start = Instant::now();
        while !self.source().contains(text) {
            assert!(start.elapsed() < Duration::from_secs(10), "{text:?} never appeared on {}", self.url());
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn login(&self, base: &str, login: &str, password: &str) {
        self.goto(&format!("{base}/login"));
        self.type_in("#login", login);
        self.type_in("#password", password);
        self.submit("main form");
    }

    fn logout(&self) {
        self.submit("form[action='/logout']");
    }

    fn act(&self, action: &str) {
        self.submit(&format!("form:has(input[name=action][value='{action}'])"));
    }
}

fn read(r: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Value {
    let mut res = r.expect("WebDriver answers");
    let text = res.body_mut().read_to_string().expect("body");
    let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    v.get("value").cloned().unwrap_or(v)
}

fn post(agent: &ureq::Agent, url: &str, body: &Value) -> Value {
    read(agent.post(url).header("Content-Type", "application/json").send(body.to_string()))
}

/// Starts the real service, with its signing office, on a free loopback port; returns its
/// base URL.
fn serve(app: &crate::App) -> String {
    let listener = StdListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    listener.set_nonblocking(true).expect("nonblocking");
    let base = format!("http://{addr}");
    let options =
        web::Options { office: Some(app.office.clone()), public_url: base.clone(), ..web::Options::default() };
    let store = app.store.clone();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
            let _ = axum::serve(listener, web::router_with(store, &options)).await;
        });
    });
    base
}

#[test]
fn r4_8_applicant_to_certificate_in_chromium_with_axe() {
    let Some(d) = Driver::start() else { return };
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let app = rt.block_on(crate::app());
    rt.block_on(web::demo::create_demo_users(&app.store)).expect("demo users");
    let base = serve(&app);
    let files = tempfile::tempdir().expect("files");
    let pdf = |name: &str| {
        let p = files.path().join(name);
        std::fs::write(&p, format!("%PDF-1.4\n% {name}\n%%EOF\n")).expect("write");
        p.display().to_string()
    };

    // Anyone: the public pages.
    for (page, name) in
        [("/?lang=ru", "home"), ("/calculator", "calculator"), ("/status", "status"), ("/verify", "verify")]
    {
        d.goto(&format!("{base}{page}"));
        d.axe(name);
    }
    d.screenshot("public-home-ru");
    // The calculator updates its breakdown in place as answers change (htmx), in Russian.
    d.goto(&format!("{base}/calculator"));
    d.click("#education-level-higher");
    d.wait_for_text("Итого: 3 из 10 баллов");
    d.click("#education-matches-profession-yes");
    d.wait_for_text("Итого: 5 из 10 баллов");
    d.screenshot("calculator-live-ru");

    // The applicant registers and applies, in Russian.
    d.goto(&format!("{base}/register"));
    d.axe("register");
    d.type_in("#iin", "900305401113");
    d.type_in("#surname", "Ivanova");
    d.type_in("#given_name", "Maria");
    d.type_in("#password", "s3cret-pass");
    d.type_in("#password2", "s3cret-pass");
    d.submit("main form");
    assert!(d.url().ends_with("/cabinet"), "{}", d.url());
    d.goto(&format!("{base}/apply"));
    d.axe("apply");
    d.click("select#akimat option[value='astana']");
    d.click("select#profession option[value='2512-1']");
    for (id, text) in [
        ("#document_number", "N0012345"),
        ("#document_issued_on", "2022-05-01"),
        ("#document_issued_by", "MVD"),
        ("#address", "Astana, Abay 1"),
        ("#phone", "+7 700 000 00 00"),
        ("#home_address", "Tashkent"),
        ("#home_phone", "+998 00 000 00 00"),
    ] {
        d.type_in(id, text);
    }
    d.type_in("#doc-identity-document", &pdf("passport.pdf"));
    d.type_in("#doc-education-translation", &pdf("diploma.pdf"));
    d.type_in("#doc-labour-activity-record", &pdf("work-record.pdf"));
    d.click("#consent");
    d.submit("main form");
    assert!(
        d.url().contains("/cases/Z-AST-"),
        "filed: {}\n{}",
        d.url(),
        d.source().chars().take(4000).collect::<String>()
    );
    assert!(d.source().contains("Ваше заявление получено"));
    d.screenshot("applicant-confirmation-ru");
    d.axe("case (applicant)");
    let number = d.url().split("/cases/").nth(1).unwrap_or("").split('?').next().unwrap_or("").to_owned();
    d.logout();

    // The officer registers and forwards, in Kazakh.
    d.goto(&format!("{base}/?lang=kk"));
    d.login(&base, "officer.astana", "demo-officer");
    assert!(d.url().ends_with("/officer"), "{}", d.url());
    d.axe("officer queue");
    d.screenshot("officer-queue-kk");
    d.follow(&format!("a[href='/cases/{number}']"));
    d.axe("case (officer)");
    d.act("register");
    d.act("forward");
    assert!(d.source().contains("Комиссияның қарауында"), "with the Commission");
    d.logout();

    // A Commission member records the decision.
    d.login(&base, "member1.astana", "demo-member");
    d.axe("commission agenda");
    d.follow(&format!("a[href='/cases/{number}']"));
    d.axe("case (commission)");
    d.type_in("#minutes", "7");
    d.click("#c-education-level-higher");
    d.click("#c-education-matches-profession-yes");
    d.type_in("#c-experience-years", "4");
    d.click("#c-professional-certificate-no");
    d.click("#c-state-or-russian-language-yes");
    d.wait_for_text("Барлығы: 10 балдың 8");
    d.screenshot("commission-decision-kk");
    d.act("record-decision");
    d.logout();

    // The officer issues; the applicant verifies the certificate.
    d.login(&base, "officer.astana", "demo-officer");
    d.goto(&format!("{base}/cases/{number}"));
    d.act("issue");
    d.logout();
    d.goto(&format!("{base}/?lang=ru"));
    d.login(&base, "900305401113", "s3cret-pass");
    d.follow("a[href^='/verify?number=AST-']");
    // A click on a link does not wait for the next page: wait for its words.
    d.wait_for_text("Подлинная");
    assert!(d.source().contains("I****** M."), "verified, the holder masked");
    d.screenshot("certificate-verified-ru");
    d.axe("verify (result, with the document check)");

    // The holder's certificate page offers the signed PDFs; the QR code's link says the code
    // matches.
    let url = d.url();
    let cert = url.split("number=").nth(1).unwrap_or("").split('&').next().unwrap_or("").to_owned();
    d.goto(&format!("{base}/certificates/{cert}"));
    // Under CI load the page can be slow; if it never offers the downloads, say what it was.
    let link = format!("/certificates/{cert}/files/ru.pdf.p7s");
    let start = Instant::now();
    while !d.source().contains(&link) {
        let title =
            d.source().split("<title>").nth(1).and_then(|t| t.split("</title>").next()).unwrap_or("").to_owned();
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "downloads offered at {} ({cert}); the page: {title}",
            d.url()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    d.axe("certificate (holder, downloads)");
    d.goto(&app.office.verify_url(&base, &cert));
    assert!(d.source().contains("Код в ссылке соответствует"), "the QR link's code matches");
}
