//! End to end in a real browser: headless Chromium (Debian's `chromium` and
//! `chromium-driver`) walks an applicant from registration to the certificate, through the
//! officer and the Commission, in Russian and Kazakh; axe-core checks the main page of each
//! role for serious or critical accessibility violations; screenshots are kept under
//! `target/e2e-screenshots/` as artefacts.
//!
//! The browser is driven with `fantoccini`, a WebDriver client, over plain HTTP on loopback.

use std::net::TcpListener as StdListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::wd::TimeoutConfiguration;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::ncalayer::{Choice, NcaLayer};

/// chromedriver and its session; both end with the test, even a failing one.
struct Driver {
    client: Client,
    /// chromedriver's URL and the session, to end it from `Drop` (which cannot await).
    session: String,
    child: Child,
    shots: PathBuf,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        // Ending the session closes Chromium; killing chromedriver alone would leave it running.
        let _ = ureq::delete(&self.session).call();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

impl Driver {
    async fn start() -> Option<Driver> {
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
        let base = format!("http://127.0.0.1:{port}");
        let profile = tempfile::tempdir().expect("profile dir");
        let caps = json!({"browserName": "chrome", "goog:chromeOptions": {
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1280,1400",
                     // The NCALayer stand-in's certificate is self-signed, as NCALayer's own is.
                     "--ignore-certificate-errors",
                     format!("--user-data-dir={}", profile.path().display())]}});
        let Value::Object(caps) = caps else { unreachable!("an object literal") };
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let start = Instant::now();
        let client = loop {
            match ClientBuilder::new(connector.clone()).capabilities(caps.clone()).connect(&base).await {
                Ok(c) => break c,
                Err(e) => {
                    assert!(start.elapsed() < Duration::from_secs(20), "chromedriver did not start: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        };
        let id = client.session_id().await.expect("session id").expect("a session");
        let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/e2e-screenshots");
        std::fs::create_dir_all(&shots).expect("screenshot dir");
        let timeouts = TimeoutConfiguration::new(
            Some(Duration::from_secs(60)),
            Some(Duration::from_secs(30)),
            Some(Duration::ZERO),
        );
        client.update_timeouts(timeouts).await.expect("timeouts");
        Some(Driver { client, session: format!("{base}/session/{id}"), child, shots, _profile: profile })
    }

    async fn goto(&self, url: &str) {
        self.client.goto(url).await.unwrap_or_else(|e| panic!("open {url}: {e}"));
    }

    async fn url(&self) -> String {
        self.client.current_url().await.map(|u| u.to_string()).unwrap_or_default()
    }

    async fn source(&self) -> String {
        self.client.source().await.unwrap_or_default()
    }

    async fn script(&self, script: &str) -> Value {
        match self.client.execute(script, Vec::new()).await {
            Ok(v) => v,
            Err(e) => panic!("script on {}: {e}", self.url().await),
        }
    }

    async fn find(&self, css: &str) -> Element {
        match self.client.find(Locator::Css(css)).await {
            Ok(e) => e,
            Err(e) => panic!(
                "no element {css} ({e}) on {}:\n{}",
                self.url().await,
                self.source().await.chars().take(3000).collect::<String>()
            ),
        }
    }

    async fn click(&self, css: &str) {
        self.find(css).await.click().await.unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    async fn type_in(&self, css: &str, text: &str) {
        let e = self.find(css).await;
        e.clear().await.unwrap_or_else(|e| panic!("clear {css}: {e}"));
        e.send_keys(text).await.unwrap_or_else(|e| panic!("type into {css}: {e}"));
    }

    /// Submits a form and waits for the next page.
    async fn submit(&self, form: &str) {
        self.follow(&format!("{form} button[type=submit]")).await;
    }

    /// Clicks what leads to another page (a link, a submit button) and waits for that page:
    /// the old document's root element carries a marker the new one does not have. (Waiting
    /// for the URL to change would not do: a form may post back to its own page; and a page
    /// written in place by a script, as an upload with progress is, keeps its window.)
    async fn follow(&self, css: &str) {
        self.script("document.documentElement.setAttribute('data-qualcert-old', '1'); return true;").await;
        // A click whose page answers fast (the NCALayer stand-in signs at once, and the page
        // script then opens the next page) may leave the old document before chromedriver
        // has finished its click: it then reports the element stale although the click took
        // effect. The wait below proves a new page came either way.
        if let Err(e) = self.find(css).await.click().await {
            assert!(e.is_stale_element_reference(), "click {css}: {e}");
        }
        let start = Instant::now();
        while self
            .script(
                "return !document.documentElement.hasAttribute('data-qualcert-old') && document.readyState === 'complete';",
            )
            .await
            != Value::Bool(true)
        {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "no new page after clicking {css} on {}",
                self.url().await
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::write(self.shots.join(format!("{name}.png")), png).expect("write screenshot");
    }

    /// axe-core's serious and critical violations on the current page.
    async fn axe(&self, page: &str) {
        let axe = include_str!("../e2e/axe.min.js");
        self.script(&format!("{axe}\nreturn typeof axe;")).await;
        let script = "const done = arguments[arguments.length - 1];\
            axe.run(document, {resultTypes: ['violations']})\
              .then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')\
                 .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', '))))\
              .catch(e => done(['axe failed: ' + e]));";
        let v = self.client.execute_async(script, Vec::new()).await.expect("axe ran");
        let violations: Vec<String> =
            v.as_array().map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect()).unwrap_or_default();
        assert!(violations.is_empty(), "{page}: {violations:#?}");
    }

    /// Sets the window's inner width, as a phone (375) or a desk (1280) shows pages.
    async fn width(&self, width: u32) {
        // The outer window differs from the page by the browser's frame, whatever it is here:
        // asked for, measured, and corrected.
        let mut outer = width;
        for _ in 0..3 {
            self.client.set_window_size(outer, 900).await.expect("resize");
            let inner = self.script("return window.innerWidth;").await.as_i64().unwrap_or(0);
            if inner == i64::from(width) {
                return;
            }
            outer = (i64::from(outer) + i64::from(width) - inner).max(200) as u32;
        }
        panic!("the window would not take an inner width of {width} px");
    }

    /// What every page of every role must meet: no serious or critical axe-core violation and,
    /// at a phone's 375 px, nothing wider than the screen; a screenshot is kept.
    async fn check(&self, page: &str) {
        self.axe(page).await;
        let desk = self.script("return window.innerWidth;").await.as_u64().unwrap_or(0) as u32;
        self.width(375).await;
        let wide = self.script("return document.documentElement.scrollWidth;").await;
        let name: String =
            page.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
        // Issue 31: on a phone the header's links are one "Menu", not six lines before the page.
        let mut folded = serde_json::Value::Null;
        for _ in 0..20 {
            folded = self.script("const m = document.querySelector('details.menu'); return !m || !m.open;").await;
            if folded == serde_json::Value::Bool(true) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(folded, serde_json::Value::Bool(true), "{page}: the header's links fold into a menu at 375 px");
        self.screenshot(&format!("{name}-375")).await;
        if wide.as_u64().unwrap_or(0) > 375 {
            let culprits = self
                .script(
                    "return Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > 376)\
                     .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right));",
                )
                .await;
            panic!("{page} scrolls sideways at 375 px ({wide} px wide): {culprits}");
        }
        self.width(desk).await;
    }

    /// Every page a role reaches by following links from `start`, one page per kind of
    /// address (digits stand for any number), at most `most`: each gets [`Driver::check`].
    /// Downloads, language switches and the API are not pages.
    async fn walk(&self, base: &str, role: &str, start: &[&str], most: usize) -> Vec<String> {
        let mut queue: std::collections::VecDeque<String> = start.iter().map(|s| (*s).to_owned()).collect();
        let mut kinds = std::collections::HashSet::new();
        let mut seen = Vec::new();
        while let Some(path) = queue.pop_front() {
            let kind: String = {
                let (p, query) = path.split_once('?').unwrap_or((&path, ""));
                let mut keys: Vec<&str> = query.split('&').filter_map(|kv| kv.split('=').next()).collect();
                keys.sort();
                let p: String = p.chars().map(|c| if c.is_ascii_digit() { '0' } else { c }).collect();
                format!("{p}?{}", keys.join("&"))
            };
            if seen.len() >= most || !kinds.insert(kind) {
                continue;
            }
            self.goto(&format!("{base}{path}")).await;
            let title = self.script("return document.title;").await;
            // A link a page offers leads somewhere this person may go.
            let error = self.script("return !!document.querySelector('h1.error-page');").await;
            assert_eq!(error, json!(false), "{role}: {path} ({title}) is an error page, linked from a page they saw");
            self.check(&format!("{role} {path}")).await;
            seen.push(format!("{path} ({title})"));
            let links = self
                .script(
                    "return Array.from(document.querySelectorAll('a[href]')).filter(a => !a.hasAttribute('download'))\
                     .map(a => a.getAttribute('href'));",
                )
                .await;
            for link in links.as_array().into_iter().flatten().filter_map(Value::as_str) {
                let skip =
                    ["/files/", "/documents/", "/static/", "/pki/", "/api/", "/minutes/", "lang=", "#", "/metrics"];
                if link.starts_with('/') && !link.starts_with("//") && !skip.iter().any(|s| link.contains(s)) {
                    queue.push_back(link.replace("&amp;", "&"));
                }
            }
        }
        eprintln!("{role}: {} pages checked: {seen:#?}", seen.len());
        seen
    }

    /// Waits until the page shows `text` (a part updated in place by htmx, or a page that is
    /// slow under load).
    async fn wait_for_text(&self, text: &str) {
        let start = Instant::now();
        while !self.source().await.contains(text) {
            assert!(start.elapsed() < Duration::from_secs(10), "{text:?} never appeared on {}", self.url().await);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn login(&self, base: &str, login: &str, password: &str) {
        self.goto(&format!("{base}/login")).await;
        self.type_in("#login", login).await;
        self.type_in("#password", password).await;
        self.submit("main form").await;
    }

    async fn logout(&self) {
        self.submit("form[action='/logout']").await;
    }

    /// Clicks a signing box's button: the page script asks NCALayer (the stand-in) to sign
    /// and posts the CMS; on success the script opens the next page, which this waits for.
    async fn sign_in_ncalayer(&self, within: &str) {
        self.follow(&format!("{within} .eds-sign")).await;
    }

    async fn act(&self, action: &str) {
        self.submit(&format!("form:has(input[name=action][value='{action}'])")).await;
    }
}

/// Starts the real service, with its signing office, on a free loopback port; returns its
/// base URL.
fn serve(app: &crate::App) -> String {
    let listener = StdListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    listener.set_nonblocking(true).expect("nonblocking");
    let base = format!("http://{addr}");
    let options = web::Options {
        office: Some(app.office.clone()),
        public_url: base.clone(),
        demo: true,
        ..web::Options::default()
    };
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn r4_8_applicant_to_certificate_in_chromium_with_axe() {
    let Some(d) = Driver::start().await else { return };
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
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
        d.goto(&format!("{base}{page}")).await;
        d.axe(name).await;
    }
    d.screenshot("public-home-ru").await;
    // The calculator updates its breakdown in place as answers change (htmx), in Russian.
    d.goto(&format!("{base}/calculator")).await;
    d.click("#education-level-higher").await;
    d.wait_for_text("Итого: 3 из 10 баллов").await;
    d.click("#education-matches-profession-yes").await;
    d.wait_for_text("Итого: 5 из 10 баллов").await;
    d.screenshot("calculator-live-ru").await;

    // The applicant registers and applies, in Russian.
    d.goto(&format!("{base}/register")).await;
    d.axe("register").await;
    // Issue 13: registration by EDS through the real page script. First NCALayer is not
    // running, then the person cancels its dialog: each said in Russian, nothing sent.
    d.click(".eds .eds-sign").await;
    d.wait_for_text("NCALayer не запущен").await;
    let ncalayer = NcaLayer::start(Choice::Cancel);
    d.click(".eds .eds-sign").await;
    d.wait_for_text("Подписание отменено. Ничего не отправлено.").await;
    d.screenshot("register-cancelled-ru").await;
    let key =
        |name: &str, iin: &str| Choice::Sign(Box::new(app.office.person(name, Some(iin)).expect("a development key")));
    // The applicant's certificate lays out the name's parts as the national CA does.
    let ivanova = docs::PersonName { surname: "Ivanova".into(), given_names: "Maria".into(), patronymic: None };
    ncalayer.choose(Choice::Sign(Box::new(app.office.person_named(&ivanova, Some("900305401113")).expect("a key"))));
    d.sign_in_ncalayer(".eds").await;
    assert!(d.url().await.ends_with("/cabinet"), "{}", d.url().await);
    let asked = ncalayer.requests();
    let last = asked.last().expect("NCALayer was asked");
    assert_eq!(last["module"], "kz.gov.pki.knca.basics");
    assert_eq!((&last["method"], &last["args"]["format"]), (&json!("sign"), &json!("cms")));
    assert!(last["args"]["signingParams"]["tsaProfile"].is_object(), "the NCA's time-stamp is asked for: {last}");
    assert_eq!(last["args"]["signingParams"]["encapsulate"], false, "detached");
    d.goto(&format!("{base}/apply")).await;
    d.axe("apply").await;
    d.click("select#akimat option[value='astana']").await;
    d.click("select#profession option[value='2512-1']").await;
    // Issue 14, bug 1: the name is pre-filled in its parts as the certificate gave them.
    let prefilled = d.script("return [surname.value, given_name.value, patronymic.value];").await;
    assert_eq!(prefilled, json!(["Ivanova", "Maria", ""]));
    for (id, text) in [
        ("#document_number", "N0012345"),
        ("#document_issued_on", "2022-05-01"),
        ("#document_issued_by", "MVD"),
        ("#address", "Astana, Abay 1"),
        ("#phone", "+7 700 000 00 00"),
        ("#home_address", "Tashkent"),
        ("#home_phone", "+998 00 000 00 00"),
    ] {
        d.type_in(id, text).await;
    }
    d.type_in("#doc-identity-document", &pdf("passport.pdf")).await;
    d.type_in("#doc-education-translation", &pdf("diploma.pdf")).await;
    d.type_in("#doc-labour-activity-record", &pdf("work-record.pdf")).await;
    d.click("#consent").await;
    d.submit("main form").await;
    // Issue 14: the answers are read back before anything is filed.
    d.wait_for_text("Проверьте ответы перед подачей").await;
    assert!(d.source().await.contains("passport.pdf"), "the documents are read back");
    d.check("check your answers (applicant)").await;
    d.follow("button[name=step][value=file]").await;
    assert!(
        d.url().await.contains("/cases/Z-AST-"),
        "filed: {}\n{}",
        d.url().await,
        d.source().await.chars().take(4000).collect::<String>()
    );
    assert!(
        d.source().await.contains("Остался один шаг: подпишите заявление")
            && d.source().await.contains("Что будет дальше")
    );
    d.screenshot("applicant-confirmation-ru").await;
    d.axe("case (applicant)").await;
    // App.2 item 10.2: the applicant signs the application with their EDS.
    d.sign_in_ncalayer(".sign-application").await;
    d.wait_for_text("Ваше заявление подписано.").await;
    let number = d.url().await.split("/cases/").nth(1).unwrap_or("").split('?').next().unwrap_or("").to_owned();
    d.logout().await;

    // The officer registers and forwards, in Kazakh.
    d.goto(&format!("{base}/?lang=kk")).await;
    d.login(&base, "officer.astana", "demo-officer").await;
    assert!(d.url().await.ends_with("/officer"), "{}", d.url().await);
    d.axe("officer queue").await;
    d.screenshot("officer-queue-kk").await;
    d.follow(&format!("a[href='/cases/{number}']")).await;
    d.axe("case (officer)").await;
    d.act("register").await;
    d.act("forward").await;
    assert!(d.source().await.contains("Комиссияның қарауында"), "with the Commission");
    d.logout().await;

    // A Commission member records the decision.
    d.login(&base, "member1.astana", "demo-member").await;
    d.axe("commission agenda").await;
    d.follow(&format!("a[href='/cases/{number}']")).await;
    d.axe("case (commission)").await;
    d.type_in("#minutes", "7").await;
    d.click("#c-education-level-higher").await;
    d.click("#c-education-matches-profession-yes").await;
    d.type_in("#c-experience-years", "4").await;
    d.click("#c-professional-certificate-no").await;
    d.click("#c-state-or-russian-language-yes").await;
    d.wait_for_text("Барлығы: 10 балдың 8").await;
    d.screenshot("commission-decision-kk").await;
    // Nothing is recommended until a member chooses.
    d.click("#recommend-issue").await;
    d.act("record-decision").await;
    // Rules §9: the members present sign the minutes; two of three make the quorum.
    d.wait_for_text("Хаттама сақталды").await;
    d.axe("case (minutes to sign)").await;
    // Each member signs with their own key in NCALayer.
    ncalayer.choose(key("Serik Member", &web::demo::member_iin(0).to_string()));
    d.sign_in_ncalayer(".eds").await;
    d.wait_for_text("Сіздің қолыңыз хаттамада.").await;
    d.logout().await;
    d.login(&base, "member2.astana", "demo-member").await;
    d.goto(&format!("{base}/cases/{number}")).await;
    ncalayer.choose(key("Dana Member", &web::demo::member_iin(1).to_string()));
    d.sign_in_ncalayer(".eds").await;
    d.wait_for_text("Шешім тіркелді").await;
    d.logout().await;
    // The third member present signs after the quorum took effect: the minutes carry all
    // three signatures, and the decision stays as recorded.
    d.login(&base, "member3.astana", "demo-member").await;
    d.goto(&format!("{base}/cases/{number}")).await;
    ncalayer.choose(key("Timur Member", &web::demo::member_iin(2).to_string()));
    d.sign_in_ncalayer(".eds").await;
    d.wait_for_text("Сіздің қолыңыз хаттамада.").await;
    assert!(d.source().await.contains("Қол қойғандар: 3;"), "three of three signed");
    d.logout().await;

    // The officer issues; the applicant verifies the certificate.
    d.login(&base, "officer.astana", "demo-officer").await;
    d.goto(&format!("{base}/cases/{number}")).await;
    d.act("issue").await;
    // Rules §13: Astana's authorised person signs each language's PDF of the certificate.
    d.axe("case (result to sign)").await;
    ncalayer.choose(key("Aigerim Officer", &web::demo::officer_iin().to_string()));
    for _ in ["kk", "ru"] {
        d.sign_in_ncalayer(".sign-result .eds").await;
        d.wait_for_text("Құжатқа сіздің ЭЦҚ-ңызбен қол қойылды.").await;
    }
    assert!(!d.source().await.contains("sign-result"), "both signed");
    d.logout().await;
    d.goto(&format!("{base}/?lang=ru")).await;
    // Entering again with the same IIN opens the same account.
    d.goto(&format!("{base}/register")).await;
    d.type_in("#iin", "900305401113").await;
    d.type_in("#surname", "Ivanova").await;
    d.type_in("#given_names", "Maria").await;
    d.submit("form[action='/eds/demo-enter']").await;
    d.follow("a[href^='/verify?number=AST-']").await;
    // A click on a link does not wait for the next page: wait for its words.
    d.wait_for_text("Подлинная").await;
    assert!(d.source().await.contains("I****** M."), "verified, the holder masked");
    d.screenshot("certificate-verified-ru").await;
    d.axe("verify (result, with the document check)").await;

    // The holder's certificate page offers the signed PDFs; the QR code's link says the code
    // matches.
    let url = d.url().await;
    let cert = url.split("number=").nth(1).unwrap_or("").split('&').next().unwrap_or("").to_owned();
    d.goto(&format!("{base}/certificates/{cert}")).await;
    // Under CI load the page can be slow; if it never offers the downloads, say what it was.
    let link = format!("/certificates/{cert}/files/ru.pdf.p7s");
    let start = Instant::now();
    while !d.source().await.contains(&link) {
        let title =
            d.source().await.split("<title>").nth(1).and_then(|t| t.split("</title>").next()).unwrap_or("").to_owned();
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "downloads offered at {} ({cert}); the page: {title}",
            d.url().await
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    d.axe("certificate (holder, downloads)").await;
    d.goto(&app.office.verify_url(&base, &cert)).await;
    d.wait_for_text("Код в ссылке соответствует").await;
}

/// Issue 14: each role's day in Chromium, in a language of its own (public en, applicant ru,
/// officer kk, member en, reviewer ru, administrator kk). Every page each role reaches by its
/// links is checked with axe-core and at a phone's 375 px (nothing scrolls sideways), and each
/// role walks its error paths: the refused form keeps the answers and says what to fix.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_14_every_role_at_work_in_chromium_on_desk_and_phone() {
    let Some(d) = Driver::start().await else { return };
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let base = serve(&app);
    let today = app.store.today("astana", jiff::Timestamp::now()).expect("today");
    let cases = app.store.search_cases("astana", &store::CaseSearch::default(), today, 500).await.expect("cases");
    let in_state = |st: rules::case::State| cases.iter().find(|c| c.state == st).map(|c| c.number.to_string());
    use rules::case::State;

    // Anyone, in English: the public pages, and a page that does not exist.
    d.goto(&format!("{base}/?lang=en")).await;
    let public = d.walk(&base, "public", &["/", "/calculator", "/status", "/verify", "/register", "/login"], 20).await;
    assert!(public.len() >= 6, "{public:#?}");
    d.goto(&format!("{base}/no/such/page")).await;
    d.check("public not found").await;
    // The status look-up refuses a number that is not one, in words, keeping what was typed.
    d.goto(&format!("{base}/status")).await;
    d.type_in("#case", "nonsense").await;
    d.type_in("#document", "N1").await;
    d.submit("main form").await;
    assert_eq!(d.script("return document.querySelector('#case').value;").await, json!("nonsense"));
    d.check("public status refused").await;

    // The applicant, in Russian.
    d.goto(&format!("{base}/?lang=ru")).await;
    d.login(&base, &sim::demo::demo_iin(0).to_string(), "demo-applicant").await;
    let seen = d
        .walk(&base, "applicant", &["/cabinet", "/apply", "/apply?service=extend", "/complaints/new", "/account"], 30)
        .await;
    assert!(seen.iter().any(|p| p.starts_with("/cases/")), "the applicant's own case: {seen:#?}");
    // An empty application: the summary lists each problem, linked, and takes the focus.
    d.goto(&format!("{base}/apply")).await;
    d.submit("main form").await;
    d.wait_for_text("Есть ошибка").await;
    let focused = d.script("return !!document.activeElement.closest('.error-summary');").await;
    assert_eq!(focused, json!(true), "the focus moves to the error summary");
    d.check("applicant apply refused").await;
    // A complaint without its text keeps what was chosen and says what is missing.
    d.goto(&format!("{base}/complaints/new")).await;
    d.click("select#akimat option[value='astana']").await;
    d.click("#target-inaction").await;
    d.submit("main form").await;
    d.wait_for_text("Напишите, на что вы жалуетесь.").await;
    assert_eq!(d.script("return document.querySelector('#target-inaction').checked;").await, json!(true));
    d.check("applicant complaint refused").await;
    d.logout().await;

    // The officer, in Kazakh.
    d.goto(&format!("{base}/?lang=kk")).await;
    d.login(&base, "officer.astana", "demo-officer").await;
    d.walk(
        &base,
        "officer",
        &["/officer", "/officer/cases", "/officer/cases?stage=finished", "/officer/certificates"],
        30,
    )
    .await;
    for st in State::ALL {
        if let Some(n) = in_state(st) {
            d.goto(&format!("{base}/cases/{n}")).await;
            d.check(&format!("officer case {}", st.name(rules::Lang::En))).await;
        }
    }
    // Not accepting ends the case: without the tick nothing is done; then the officer
    // registers it instead, and the page says what was done.
    // A filing of today, waiting for registration.
    let submitted = crate::file_sample(&app, jiff::Timestamp::now()).await;
    d.goto(&format!("{base}/cases/{submitted}")).await;
    d.act("not-accept").await;
    d.wait_for_text("ештеңе жасалмады").await;
    d.check("officer not-accept unconfirmed").await;
    d.act("register").await;
    d.wait_for_text("Өтініш тіркелді.").await;
    d.act("forward").await;
    d.wait_for_text("Құжаттар Комиссияға жіберілді.").await;
    d.goto(&format!("{base}/officer/cases?from=31.02.2026")).await;
    d.wait_for_text("КК.АА.ЖЖЖЖ").await;
    d.check("officer search refused").await;
    d.logout().await;

    // A Commission member, in English.
    d.goto(&format!("{base}/?lang=en")).await;
    d.login(&base, "member1.astana", "demo-member").await;
    d.walk(&base, "member", &["/commission", "/account"], 15).await;
    // The case the officer forwarded needs scoring; a decision without the minutes' number
    // is refused, and every answer stays.
    d.goto(&format!("{base}/commission")).await;
    // Read once the agenda is drawn: under load the source was once read before it.
    d.wait_for_text("Score the applicant and record the decision").await;
    let agenda = d.source().await;
    assert!(agenda.contains(&submitted) && agenda.contains("Score the applicant and record the decision"), "{agenda}");
    d.goto(&format!("{base}/cases/{submitted}")).await;
    d.click("#c-education-level-higher").await;
    d.click("#recommend-issue").await;
    d.act("record-decision").await;
    d.wait_for_text("There is a problem").await;
    let kept = d
        .script(
            "return ['c-education-level-higher', 'recommend-issue'].map(id => document.getElementById(id).checked);",
        )
        .await;
    assert_eq!(kept, json!([true, true]), "the answers are kept");
    d.check("member decision refused").await;
    d.logout().await;

    // The reviewer, in Russian.
    d.goto(&format!("{base}/?lang=ru")).await;
    d.login(&base, "reviewer", "demo-reviewer").await;
    let seen = d.walk(&base, "reviewer", &["/reviewer"], 15).await;
    let complaint = seen
        .iter()
        .find_map(|p| p.strip_prefix("/complaints/").and_then(|r| r.split(' ').next()).filter(|r| !r.contains('/')))
        .expect("a complaint waits for the reviewing body")
        .to_owned();
    assert!(seen.iter().any(|p| p.contains("/case (")), "the case as it stood: {seen:#?}");
    d.goto(&format!("{base}/complaints/{complaint}")).await;
    d.type_in("#text-decide", "Доводы проверены").await;
    d.act("decide").await;
    d.wait_for_text("Есть ошибка").await;
    assert_eq!(d.script("return document.getElementById('text-decide').value;").await, json!("Доводы проверены"));
    d.check("reviewer decision refused").await;
    d.logout().await;

    // The administrator, in Kazakh.
    d.goto(&format!("{base}/?lang=kk")).await;
    d.login(&base, "admin", "demo-admin").await;
    d.walk(&base, "admin", &["/admin", "/admin/audit"], 10).await;
    d.goto(&format!("{base}/admin/audit?case={submitted}")).await;
    d.wait_for_text("Тіркелді").await;
    d.check("admin audit by case").await;
    d.goto(&format!("{base}/admin")).await;
    d.submit("form[action='/admin/users']").await;
    assert!(d.source().await.contains(r#"class="bad" role="alert""#), "an empty account is refused in words");
    d.check("admin account refused").await;
}

/// Issue 31: scans as large as the form promises, over a slow link, in Chromium. A 2.5 MB and
/// a 9.9 MB scan are sent with the form's progress shown and arrive; a 10.1 MB one is said
/// to be too large beside its field before anything is sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_31_large_scans_upload_with_progress_over_a_slow_link() {
    let Some(d) = Driver::start().await else { return };
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let base = serve(&app);
    let files = tempfile::tempdir().expect("files");
    let scan = |name: &str, bytes: usize| {
        let p = files.path().join(name);
        let mut b = b"%PDF-1.4\n".to_vec();
        b.resize(bytes, b'x');
        std::fs::write(&p, b).expect("write");
        p.display().to_string()
    };
    let mb = |x: f64| (x * 1024.0 * 1024.0) as usize;
    d.goto(&format!("{base}/?lang=en")).await;
    d.login(&base, &sim::demo::demo_iin(0).to_string(), "demo-applicant").await;
    d.goto(&format!("{base}/apply")).await;
    // A slow phone link: 2 MB/s up.
    let throttle = json!({"network_conditions": {"offline": false, "latency": 100,
        "download_throughput": 4_000_000, "upload_throughput": 2_000_000}});
    ureq::post(&format!("{}/chromium/network_conditions", d.session))
        .header("content-type", "application/json")
        .send(throttle.to_string())
        .expect("network conditions");
    d.find("#doc-identity-document").await.send_keys(&scan("passport.pdf", mb(2.5))).await.expect("file");
    d.find("#doc-education-translation").await.send_keys(&scan("diploma.pdf", mb(9.9))).await.expect("file");
    d.script("document.documentElement.setAttribute('data-qualcert-old', '1'); return true;").await;
    d.click("button[name=step]").await;
    let (start, mut progress_seen) = (Instant::now(), false);
    loop {
        let state = d
            .script(
                "var p = document.querySelector('progress.upload-progress'); \
                 return [document.documentElement.hasAttribute('data-qualcert-old'), !!p && !p.hidden && p.value > 0, document.readyState];",
            )
            .await;
        progress_seen |= state[1] == Value::Bool(true);
        if state[0] == Value::Bool(false) && state[2] == "complete" {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(90), "the upload never finished");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(progress_seen, "the upload's progress was shown");
    let page = d.source().await;
    assert!(page.contains("passport.pdf") && page.contains("diploma.pdf"), "both scans arrived");
    d.screenshot("apply-large-scans-en").await;

    // 10.1 MB: said beside its field at once; nothing is sent.
    d.find("#doc-labour-activity-record").await.send_keys(&scan("record.pdf", mb(10.1))).await.expect("file");
    d.script("document.documentElement.setAttribute('data-qualcert-old', '1'); return true;").await;
    d.click("button[name=step]").await;
    d.wait_for_text("The file is larger than 10 MB.").await;
    let still = d.script("return document.documentElement.hasAttribute('data-qualcert-old');").await;
    assert_eq!(still, Value::Bool(true), "the page was not left");
    assert!(d.source().await.contains("passport.pdf"), "what arrived stays");
    d.axe("apply (a file too large)").await;
}

/// Issue 31: entering with eGov mobile through the real page script in Chromium: the QR code
/// and the apps' links are shown, a stand-in phone signs the request, and the page goes on to
/// the cabinet by itself.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_31_entering_with_egov_mobile_in_chromium() {
    let Some(d) = Driver::start().await else { return };
    let app = crate::app().await;
    let base = serve(&app);
    d.goto(&format!("{base}/register?lang=en")).await;
    d.click(".eds .eds-mobile").await;
    let start = Instant::now();
    while d.script("return document.querySelector('.eds-mobile-box').hidden;").await == Value::Bool(true) {
        let status = d.script("return document.querySelector('.eds-status').textContent;").await;
        assert!(start.elapsed() < Duration::from_secs(10), "no QR code shown: {status}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let status = d.script("return document.querySelector('.eds-status').textContent;").await;
    assert_eq!(status, "Waiting for your signature in eGov mobile…");
    let shown = d
        .script(
            "var p = document.querySelector('.eds-mobile-box'); \
             var a = p.querySelector('a.eds-mobile-link'); return [!p.hidden, !!p.querySelector('svg'), a ? a.href : p.outerHTML];",
        )
        .await;
    assert_eq!((&shown[0], &shown[1]), (&Value::Bool(true), &Value::Bool(true)), "{shown}");
    let link = shown[2].as_str().unwrap_or_default().to_owned();
    assert!(link.starts_with("https://mgovsign.page.link/?link="), "{link}");
    d.screenshot("register-egov-mobile-en").await;
    d.axe("register (eGov mobile)").await;
    let encoded = link.split("link=").nth(1).and_then(|l| l.split('&').next()).unwrap_or_default();
    let description: String = form_urlencoded::parse(format!("u={encoded}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    assert!(description.starts_with(&base), "{description}");
    d.script("document.documentElement.setAttribute('data-qualcert-old', '1'); return true;").await;
    let key = app.office.person("Seitkali Aigerim", Some("900305401113")).expect("a key");
    let r = crate::egov::Phone::new(&app).sign(&description, &key, None).await;
    assert_eq!(r.status, axum::http::StatusCode::OK, "{}", r.body);
    let start = Instant::now();
    while !d.url().await.ends_with("/cabinet") {
        assert!(start.elapsed() < Duration::from_secs(20), "the page did not go on: {}", d.url().await);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
