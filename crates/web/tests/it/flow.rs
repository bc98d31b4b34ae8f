//! One application from registration to the certificate, through the pages, as its people
//! would click it: the applicant, the officer, a Commission member; and who may see what.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;

use crate::App;

pub(crate) struct Client<'a> {
    pub(crate) app: &'a App,
    pub(crate) cookie: Option<String>,
    /// The CSRF cookie given before login.
    pub(crate) csrf_cookie: Option<String>,
    pub(crate) lang: &'static str,
}

pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) location: Option<String>,
    pub(crate) body: String,
    pub(crate) bytes: Vec<u8>,
    pub(crate) set_cookie: Option<String>,
}

impl Client<'_> {
    pub(crate) async fn send(&mut self, mut req: Request<Body>) -> Reply {
        req.headers_mut().insert(header::ACCEPT_LANGUAGE, self.lang.parse().expect("header"));
        if let Some(c) = &self.cookie {
            req.headers_mut().insert(header::COOKIE, c.parse().expect("header"));
        }
        if let Some(c) = &self.csrf_cookie {
            req.headers_mut().append(header::COOKIE, c.parse().expect("header"));
        }
        let options = web::Options {
            data_dir: Some(self.app.dir.path().to_path_buf()),
            office: Some(self.app.office.clone()),
            public_url: "https://qualcert.example.kz".to_owned(),
            demo: true,
            ..web::Options::default()
        };
        let res = web::router_with(self.app.store.clone(), &options).oneshot(req).await.expect("response");
        let status = res.status();
        let location = res.headers().get(header::LOCATION).map(|v| v.to_str().unwrap_or("").to_owned());
        let set_cookie = res
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("qc_session="))
            .map(|v| v.split(';').next().unwrap_or("").to_owned());
        if let Some(c) = &set_cookie {
            self.cookie = Some(c.clone());
        }
        if let Some(c) = res
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("qc_csrf="))
        {
            self.csrf_cookie = Some(c.split(';').next().unwrap_or("").to_owned());
        }
        let bytes = axum::body::to_bytes(res.into_body(), 8 * 1024 * 1024).await.expect("body");
        Reply {
            status,
            location,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
            set_cookie,
        }
    }

    pub(crate) async fn get(&mut self, uri: &str) -> Reply {
        self.send(Request::get(uri).body(Body::empty()).expect("req")).await
    }

    pub(crate) async fn post(&mut self, uri: &str, form: &[(&str, &str)]) -> Reply {
        let body: String = form.iter().map(|(k, v)| format!("{}={}", k, web_encode(v))).collect::<Vec<_>>().join("&");
        let req = Request::post(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .expect("req");
        self.send(req).await
    }

    /// Opens the page `page`, then posts its form to `uri` with the page's CSRF token, as
    /// a browser would.
    pub(crate) async fn post_from(&mut self, page: &str, uri: &str, form: &[(&str, &str)]) -> Reply {
        let token = csrf(&self.get(page).await.body);
        let mut with: Vec<(&str, &str)> = vec![("csrf", &token)];
        with.extend_from_slice(form);
        self.post(uri, &with).await
    }

    /// Enters by EDS as the page script does: signs the challenge of `/register` with a
    /// development key whose certificate names `iin` and posts the CMS (base64) with the CSRF
    /// header. Returns the answer: the address to go to, with the session cookie.
    /// Enters by EDS with a development key whose certificate names `iin` and the name's
    /// parts (surname, given names) as the national CA lays them out.
    pub(crate) async fn enter_by_eds(&mut self, iin: &str, (surname, given_names): (&str, &str)) -> Reply {
        let page = self.get("/register").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let (post, content) = eds_box(&page.body);
        let name = docs::PersonName { surname: surname.into(), given_names: given_names.into(), patronymic: None };
        let key = self.app.office.person_named(&name, Some(iin)).expect("a development key");
        let cms = key.sign(&content).expect("sign");
        self.post_signature(&post, &csrf_of_box(&page.body), &cms).await
    }

    /// Posts a CMS to a signing box's address, as `static/eds.js` does.
    pub(crate) async fn post_signature(&mut self, post: &str, csrf: &str, cms: &[u8]) -> Reply {
        use base64::Engine;
        let req = Request::post(post)
            .header(header::CONTENT_TYPE, "text/plain")
            .header("x-csrf-token", csrf)
            .body(Body::from(base64::engine::general_purpose::STANDARD.encode(cms)))
            .expect("req");
        self.send(req).await
    }

    pub(crate) async fn login(&mut self, login: &str, password: &str) {
        let r = self.post_from("/login", "/login", &[("login", login), ("password", password), ("next", "")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{login}: {}", r.body);
        assert!(r.set_cookie.is_some());
    }
}

fn web_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub(crate) fn csrf(html: &str) -> String {
    let at = html.find(r#"name="csrf" value=""#).expect("a CSRF field") + r#"name="csrf" value=""#.len();
    html[at..at + 64].to_owned()
}

/// The address and the decoded bytes of the first signing box on a page.
pub(crate) fn eds_box(html: &str) -> (String, Vec<u8>) {
    use base64::Engine;
    let attr = |name: &str| {
        let at = html.find(&format!("{name}=\"")).unwrap_or_else(|| panic!("no {name} in {html}")) + name.len() + 2;
        html[at..].split('"').next().unwrap_or("").replace("&#x3d;", "=").replace("&#61;", "=").replace("&amp;", "&")
    };
    let content = base64::engine::general_purpose::STANDARD.decode(attr("data-content")).expect("base64");
    (attr("data-post"), content)
}

pub(crate) fn csrf_of_box(html: &str) -> String {
    let at = html.find("data-csrf=\"").expect("a signing box") + "data-csrf=\"".len();
    html[at..at + 64].to_owned()
}

pub(crate) fn version(html: &str) -> String {
    let at = html.find(r#"name="version" value=""#).expect("a version field") + r#"name="version" value=""#.len();
    html[at..].split('"').next().unwrap_or("").to_owned()
}

/// The hidden inputs of a page's forms, as (name, value), entities decoded.
fn hidden_fields(page: &str) -> Vec<(String, String)> {
    page.split(r#"<input type="hidden" name=""#)
        .skip(1)
        .filter_map(|rest| {
            let (name, rest) = rest.split_once('"')?;
            let value = rest.split_once(r#"value=""#)?.1.split('"').next()?;
            let value =
                value.replace("&#x7c;", "|").replace("&#x2b;", "+").replace("&#x20;", " ").replace("&amp;", "&");
            Some((name.to_owned(), value))
        })
        .collect()
}

pub(crate) fn multipart(fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "qualcertBOUNDARY7f3a";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes());
    }
    for (k, file, bytes) in files {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"; filename=\"{file}\"\r\nContent-Type: application/pdf\r\n\r\n")
                .as_bytes(),
        );
        body.extend(*bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// R3.1, R3.4, R4.1, R4.4, R4.8: an application walks from the applicant's form to a certificate.
#[tokio::test]
async fn r4_8_application_to_certificate_through_the_pages() {
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let iin = "900305401113";
    let mut applicant = Client { app: &app, cookie: None, csrf_cookie: None, lang: "ru" };

    // Registration by EDS (App.2 item 10.2): the IIN and the name come from the certificate.
    let r = applicant.enter_by_eds(iin, ("Ivanova", "Maria")).await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "/cabinet"), "{}", r.body);
    assert!(r.set_cookie.is_some(), "a session");
    let account = applicant.get("/account").await;
    assert!(account.body.contains(iin) && account.body.contains("Ivanova Maria"), "{}", account.body);

    // The form: missing documents are shown before anything is filed; uploads are kept.
    let form = applicant.get("/apply").await;
    assert_eq!(form.status, StatusCode::OK);
    let token_at =
        form.body.find(r#"name="form_token" value=""#).expect("token") + r#"name="form_token" value=""#.len();
    let token = form.body[token_at..token_at + 64].to_owned();
    let page_csrf = csrf(&form.body);
    let fields = [
        ("service", "issue"),
        ("csrf", page_csrf.as_str()),
        ("form_token", token.as_str()),
        ("akimat", "astana"),
        ("profession", "2512-1"),
        ("surname", "Ivanova"),
        ("given_name", "Maria"),
        ("patronymic", ""),
        ("document_number", "N0012345"),
        ("document_issued_on", "2022-05-01"),
        ("document_issued_by", "MVD"),
        ("address", "Astana, Abay 1"),
        ("phone", "+7 700 000 00 00"),
        ("fax", ""),
        ("home_address", "Tashkent"),
        ("home_phone", "+998 00 000 00 00"),
        ("consent", "on"),
    ];
    let pdf = b"%PDF-1.4\n% passport scan\n%%EOF\n";
    let (ct, body) = multipart(&fields, &[("doc-identity-document", "passport.pdf", pdf)]);
    let r = applicant
        .send(Request::post("/apply").header(header::CONTENT_TYPE, ct).body(Body::from(body)).expect("req"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("Ещё не хватает документов") && r.body.contains("подп. 1) п. 8 прил. 2 к Правилам"),
        "{}",
        r.body
    );
    assert!(r.body.contains("Загружено: passport.pdf"), "the upload is kept");
    let kept_at = r.body.find(r#"name="kept-identity-document" value=""#).expect("kept")
        + r#"name="kept-identity-document" value=""#.len();
    let kept = r.body[kept_at..].split('"').next().unwrap_or("").to_owned();
    let mut with_kept = fields.to_vec();
    with_kept.push(("kept-identity-document", kept.as_str()));
    // Issue 14: "check your answers" reads the application back before anything is filed.
    let mut checking = with_kept.clone();
    checking.push(("step", "check"));
    let (ct, body) = multipart(
        &checking,
        &[
            ("doc-education-translation", "diploma.pdf", b"%PDF-1.4\n% diploma\n%%EOF\n"),
            ("doc-labour-activity-record", "work.pdf", b"%PDF-1.4\n% work record\n%%EOF\n"),
        ],
    );
    let check = applicant
        .send(Request::post("/apply").header(header::CONTENT_TYPE, ct).body(Body::from(body)).expect("req"))
        .await;
    assert_eq!(check.status, StatusCode::OK, "{}", check.body);
    assert!(check.body.contains("Проверьте ответы перед подачей"), "{}", check.body);
    assert!(!check.body.contains("У вас это уже есть"), "nothing open yet");
    for shown in ["Ivanova", "N0012345", "passport.pdf", "diploma.pdf", "work.pdf", "Астана"] {
        assert!(check.body.contains(shown), "{shown} read back: {}", check.body);
    }
    assert!(applicant.get("/cabinet").await.body.contains("У вас пока нет заявлений."), "nothing filed yet");
    let answers = hidden_fields(&check.body);
    assert!(answers.iter().any(|(k, _)| k == "kept-labour-activity-record"), "the uploads ride along");
    // "Change" goes back to the form with every answer and upload kept.
    let mut change: Vec<(&str, &str)> = answers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    change.push(("step", "change"));
    let (ct, body) = multipart(&change, &[]);
    let back = applicant
        .send(Request::post("/apply").header(header::CONTENT_TYPE, ct).body(Body::from(body)).expect("req"))
        .await;
    assert_eq!(back.status, StatusCode::OK, "{}", back.body);
    assert!(
        back.body.contains(r#"value="Astana, Abay 1""#) && back.body.contains("Загружено: work.pdf"),
        "{}",
        back.body
    );
    let mut filing: Vec<(&str, &str)> = answers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    filing.push(("step", "file"));
    let (ct, body) = multipart(&filing, &[]);
    let r = applicant
        .send(
            Request::post("/apply")
                .header(header::CONTENT_TYPE, ct.clone())
                .body(Body::from(body.clone()))
                .expect("req"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let case_url = r.location.clone().expect("to the case");
    assert!(case_url.starts_with("/cases/Z-AST-") && case_url.ends_with("?new=1"));
    // A double click files nothing new.
    let again = applicant
        .send(Request::post("/apply").header(header::CONTENT_TYPE, ct).body(Body::from(body)).expect("req"))
        .await;
    assert_eq!(again.location, r.location, "idempotent");
    let number = case_url.trim_start_matches("/cases/").trim_end_matches("?new=1").to_owned();
    // Issue 36: checking the same application again says the open one, and still lets file.
    let mut again_check: Vec<(&str, &str)> = answers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    again_check.push(("step", "check"));
    let (ct, body) = multipart(&again_check, &[]);
    let twice = applicant
        .send(Request::post("/apply").header(header::CONTENT_TYPE, ct).body(Body::from(body)).expect("req"))
        .await;
    assert!(
        twice.body.contains("У вас это уже есть") && twice.body.contains(&format!("/cases/{number}")),
        "{}",
        twice.body
    );
    let page = applicant.get(&case_url).await;
    // Issue 31: "received" only once signed; before that, what is left to do.
    assert!(page.body.contains("Остался один шаг: подпишите заявление") && page.body.contains(&number));
    assert!(!page.body.contains("Ваше заявление получено"), "not before it is signed");
    // The next steps, each with the latest day the law allows and its paragraph.
    assert!(
        page.body.contains("Что будет дальше") && page.body.contains("Акимат регистрирует ваше заявление: не позднее"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Заявление подано"), "history in Russian");
    assert!(
        !page.body.contains("case-actions") && !page.body.contains("Зарегистрировать"),
        "the applicant has no officer actions"
    );

    // App.1 signed at filing (App.2 item 10.2): the page offers the EDS box; until it is used,
    // the application's PDF says it is not signed. Another key than the filer's is refused.
    let dir = app.dir.path().join("application-files");
    std::fs::create_dir_all(&dir).expect("dir");
    let unsigned = applicant.get(&format!("/cases/{number}/files/application-ru.pdf")).await;
    assert_eq!(unsigned.status, StatusCode::OK);
    if let Some(text) = pdf_text(&dir, &unsigned.bytes) {
        assert!(text.contains("не подписано ЭЦП"), "{text}");
    }
    let (post, content) = eds_box(&page.body);
    assert_eq!(post, format!("/cases/{number}/application/signature"));
    assert_eq!(
        content,
        web::canonical_application(
            &app.store.case(&number.parse().expect("a case number")).await.expect("read").expect("filed")
        )
        .into_bytes()
    );
    let stranger = app.office.person("Someone Else", Some("900101300017")).expect("key");
    let r = applicant.post_signature(&post, &csrf_of_box(&page.body), &stranger.sign(&content).expect("sign")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("ИИН"), "said in Russian: {}", r.body);
    let own = app.office.person("Ivanova Maria", Some(iin)).expect("key");
    let r = applicant.post_signature(&post, &csrf_of_box(&page.body), &own.sign(&content).expect("sign")).await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, format!("/cases/{number}?application-signed=1").as_str()));
    let page = applicant.get(&r.body).await;
    assert!(page.body.contains("Ваше заявление подписано") && !page.body.contains("data-content"), "{}", page.body);
    let signed = applicant.get(&format!("/cases/{number}/files/application-ru.pdf")).await;
    assert_ne!(signed.bytes, unsigned.bytes, "a new document once signed");
    if let Some(text) = pdf_text(&dir, &signed.bytes) {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(text.contains("подписано ЭЦП: Ivanova Maria"), "{text}");
    }

    // The officer: the queue, then register and forward.
    let mut officer = Client { app: &app, cookie: None, csrf_cookie: None, lang: "kk" };
    officer.login("officer.astana", "demo-officer").await;
    let queue = officer.get("/officer").await;
    assert!(queue.body.contains(&number), "in the queue");
    let mut complaint_url = String::new();
    // Not accepting ends the case: without the confirming tick nothing is done, and the
    // page says so in Kazakh, at the box, with the ticks kept.
    let page = officer.get(&format!("/cases/{number}")).await;
    let r = officer
        .post(
            &format!("/cases/{number}"),
            &[
                ("csrf", &csrf(&page.body)),
                ("version", &version(&page.body)),
                ("action", "not-accept"),
                ("missing-identity-document", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("ештеңе жасалмады") && r.body.contains(r##"href="#confirm-not-accept""##), "{}", r.body);
    assert!(r.body.contains(r#"id="missing-identity-document" name="missing-identity-document" checked"#), "kept");
    assert_eq!(
        app.store.case(&number.parse().expect("a case number")).await.expect("read").expect("case").state,
        rules::case::State::Submitted
    );
    for action in ["register", "forward"] {
        let page = officer.get(&format!("/cases/{number}")).await;
        let r = officer
            .post(
                &format!("/cases/{number}/act"),
                &[("csrf", &csrf(&page.body)), ("version", &version(&page.body)), ("action", action)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{action}: {}", r.body);
        let done = officer.get(r.location.as_deref().expect("back to the case")).await;
        let said = if action == "register" {
            "Өтініш тіркелді."
        } else {
            "Құжаттар Комиссияға жіберілді."
        };
        assert!(done.body.contains(said), "{action} is said in words: {}", done.body);
        if action == "register" {
            // The applicant complains while the case is registered (Rules §24). The form came
            // from the case, so the akimat is the case's; the complaint keeps the case file as
            // it stands now, whatever happens to the case later.
            let form = applicant.get(&format!("/complaints/new?case={number}")).await;
            assert!(form.body.contains(&format!(r#"<option value="{number}" selected>"#)), "{}", form.body);
            let filing = |text: &'static str| {
                [
                    ("csrf", csrf(&form.body)),
                    ("akimat", String::new()),
                    ("case", number.clone()),
                    ("target", "action".into()),
                    ("route", "to-akimat".into()),
                    ("text", text.into()),
                ]
            };
            // Without words: refused, the field named as the form labels it, the choices kept.
            let pairs = filing("");
            let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let r = applicant.post("/complaints/new", &pairs).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
            assert!(
                r.body.contains("Напишите, на что вы жалуетесь") && r.body.contains(r##"href="#text""##),
                "{}",
                r.body
            );
            assert!(r.body.contains(r#"value="action" checked"#), "the target stays chosen: {}", r.body);
            let pairs = filing("The officer asked me for a paper not on the list");
            let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let r = applicant.post("/complaints/new", &pairs).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
            complaint_url = r.location.expect("to the complaint").trim_end_matches("?new=1").to_owned();
        }
    }
    // A stale version is a conflict, not a lost update.
    let page = officer.get(&format!("/cases/{number}")).await;
    let r = officer
        .post(&format!("/cases/{number}/act"), &[("csrf", &csrf(&page.body)), ("version", "1"), ("action", "register")])
        .await;
    assert!(r.status == StatusCode::CONFLICT || r.status == StatusCode::UNPROCESSABLE_ENTITY, "{}", r.status);
    // Without the CSRF token nothing happens.
    let r = officer.post(&format!("/cases/{number}/act"), &[("action", "issue")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // The Commission: the agenda, then the decision with the members present.
    let mut member = Client { app: &app, cookie: None, csrf_cookie: None, lang: "en" };
    member.login("member1.astana", "demo-member").await;
    let agenda = member.get("/commission").await.body;
    assert!(agenda.contains(&number) && agenda.contains("Score the applicant and record the decision"), "{agenda}");
    let page = member.get(&format!("/cases/{number}")).await;
    assert!(page.body.contains("Record the Commission"), "{}", page.body);
    assert!(page.body.contains("SAMPLE"), "the scoring form says its criteria are a sample: {}", page.body);
    let decision = [
        ("csrf", csrf(&page.body)),
        ("version", version(&page.body)),
        ("action", "record-decision".into()),
        ("minutes", "12".into()),
        ("c-education-level", "higher".into()),
        ("c-education-matches-profession", "yes".into()),
        ("c-experience-years", "4".into()),
        ("c-professional-certificate", "no".into()),
        ("c-state-or-russian-language", "yes".into()),
        ("recommend", "issue".into()),
    ];
    // A refused form keeps every answer, says what is wrong in the page's language, links to
    // the field, and stays at the case's address (it posts to the page itself).
    let without = |leave: &str| -> Vec<(&str, &str)> {
        decision.iter().filter(|(k, _)| *k != leave).map(|(k, v)| (*k, v.as_str())).collect()
    };
    let r = member.post(&format!("/cases/{number}"), &without("minutes")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains(r#"class="error-summary""#) && r.body.contains(r##"href="#minutes""##), "{}", r.body);
    assert!(r.body.contains("There is a problem") && !r.body.contains("minutes:"), "{}", r.body);
    for kept in [
        r#"id="c-education-level-higher" name="c-education-level" value="higher" checked"#,
        r#"name="c-experience-years" inputmode="numeric" value="4""#,
        r#"name="recommend" value="issue" checked"#,
    ] {
        assert!(r.body.contains(kept), "{kept} was lost: {}", r.body);
    }
    assert!(r.body.contains(&format!(r#"action="/cases/{number}""#)), "{}", r.body);
    let r = member.post(&format!("/cases/{number}"), &without("recommend")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains(r##"href="#recommend-issue""##) && r.body.contains(r#"value="12""#), "{}", r.body);
    // Issue 31: the Commission's form says every problem at once, each linked to its field.
    let bare: Vec<(&str, &str)> = decision[..3].iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = member.post(&format!("/cases/{number}"), &bare).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let summary = r.body.split("error-summary").nth(1).unwrap_or_default().split("</div>").next().unwrap_or_default();
    for field in [r##"href="#minutes""##, r##"href="#c-education-level-"##, r##"href="#recommend-issue""##] {
        assert!(summary.contains(field), "{field} in {summary}");
    }
    assert!(summary.contains("Required") || summary.contains("required"), "{summary}");
    assert!(summary.contains("The Commission must recommend"), "a sentence: {summary}");
    // The score preview refuses an answer that is not on the scale, in words.
    let r = member
        .post(&format!("/cases/{number}/score"), &[("csrf", &csrf(&page.body)), ("c-education-level", "astrology")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("class=\"bad\"") && !r.body.contains("is not"), "{}", r.body);
    // The member's reasons for issuing are kept with the decision (Rules §9).
    let mut pairs = without("");
    pairs.push(("reasoning", "Strong practical record in the profession"));
    let r = member.post(&format!("/cases/{number}"), &pairs).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // Rules §9: the members present sign the minutes, here with the demo's keys; the decision
    // is recorded when two of the three have signed.
    let page = member.get(&format!("/cases/{number}")).await;
    assert!(
        page.body.contains("Signed: 0; a quorum needs 2") && page.body.contains("Sign with a demo key"),
        "{}",
        page.body
    );
    let r = member.post(&format!("/cases/{number}/minutes/demo-sign"), &[("csrf", &csrf(&page.body))]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        app.store.case(&number.parse().expect("a case number")).await.expect("case").expect("there").decision.is_none(),
        "one is no quorum"
    );
    // The agenda says what the case needs from each member now.
    let agenda = member.get("/commission").await.body;
    assert!(agenda.contains("Waiting for the other members: 1 of 2 needed signatures on minutes 12"), "{agenda}");
    let mut member2 = Client { app: &app, cookie: None, csrf_cookie: None, lang: "en" };
    member2.login("member2.astana", "demo-member").await;
    let agenda = member2.get("/commission").await.body;
    assert!(agenda.contains("Your signature on minutes 12 (1 of 2 needed have signed)"), "{agenda}");
    let page = member2.get(&format!("/cases/{number}")).await;
    assert!(page.body.contains("Serik Member") && page.body.contains("not signed yet"), "{}", page.body);
    let r = member2.post(&format!("/cases/{number}/minutes/demo-sign"), &[("csrf", &csrf(&page.body))]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = member2.get(&format!("/cases/{number}")).await;
    assert!(page.body.contains("The decision is recorded."), "{}", page.body);
    let json = member2.get(&format!("/cases/{number}/minutes/record.json")).await;
    assert!(json.body.contains("\"minutes\":\"12\""), "{}", json.body);
    assert!(
        page.body.contains("The Commission&#39;s reasons") || page.body.contains("The Commission's reasons"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Strong practical record in the profession"), "{}", page.body);

    // The officer issues; the applicant finds the certificate; anyone can verify it.
    let page = officer.get(&format!("/cases/{number}")).await;
    let r = officer
        .post(
            &format!("/cases/{number}/act"),
            &[("csrf", &csrf(&page.body)), ("version", &version(&page.body)), ("action", "issue")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // Rules §13: Astana's authorised person (the demo names its officer) signs the result,
    // each language's PDF, with their demo key.
    for lang in ["kk", "ru"] {
        let page = officer.get(&format!("/cases/{number}")).await;
        assert!(page.body.contains(&format!("/result/{lang}/demo-sign")), "{}", page.body);
        let r = officer.post(&format!("/cases/{number}/result/{lang}/demo-sign"), &[("csrf", &csrf(&page.body))]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let cabinet = applicant.get("/cabinet").await;
    // Issue 14, bug 9: the title is words, not the complaints list's markup.
    let title = cabinet.body.split("<title>").nth(1).and_then(|t| t.split("</title>").next()).unwrap_or_default();
    assert!(!title.contains('<') && !title.contains("&lt;"), "{title}");
    let cert_at = cabinet.body.find("/verify?number=").expect("a certificate in the cabinet") + "/verify?number=".len();
    let cert = cabinet.body[cert_at..].split('"').next().unwrap_or("").to_owned();
    assert!(cert.starts_with("AST-"));
    let mut public = Client { app: &app, cookie: None, csrf_cookie: None, lang: "en" };
    let v = public.get(&format!("/verify?number={cert}")).await;
    assert!(v.body.contains("Genuine") && v.body.contains("I****** M."), "{}", v.body);
    // Issue 36: the certificate is tied to the Commission's signed minutes.
    assert!(v.body.contains("Commission&#39;s decision") && v.body.contains("Minutes No."), "{}", v.body);
    assert!(v.body.contains("SHA-256 of the signed record"), "{}", v.body);

    let (qr_page, cert_pdf, cert_sig) = signed_certificate_checks(&app, &mut applicant, &mut public, &cert).await;

    // The complaint filed while the case was registered is reviewed on the case file as it
    // stood then (Rules §26): registered, without the Commission's decision or the certificate
    // that came later, its documents still downloadable from there.
    let evidence = applicant.get(&format!("{complaint_url}/case")).await;
    assert_eq!(evidence.status, StatusCode::OK, "{}", evidence.body);
    // Issue 36: the case's steps replayed under the law and calendar of their day.
    assert!(evidence.body.contains("совпадают с записанным"), "{}", evidence.body);
    assert!(
        evidence.body.contains("зарегистрировано") && evidence.body.contains("Зарегистрировано"),
        "{}",
        evidence.body
    );
    for later in ["Направлено в Комиссию", "Комиссия приняла решение", "Strong practical record", &cert]
    {
        assert!(!evidence.body.contains(later), "{later} happened after the filing: {}", evidence.body);
    }
    let doc_at = evidence.body.find(&format!("{complaint_url}/case/documents/")).expect("a document link");
    let doc_link = evidence.body[doc_at..].split('"').next().expect("link").to_owned();
    assert_eq!(applicant.get(&doc_link).await.status, StatusCode::OK);
    let mut stranger = Client { app: &app, cookie: None, csrf_cookie: None, lang: "ru" };
    stranger.login(&sim::demo::demo_iin(1).to_string(), "demo-applicant").await;
    assert_eq!(stranger.get(&format!("{complaint_url}/case")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(stranger.get(&doc_link).await.status, StatusCode::NOT_FOUND);

    // R6.2, R7.1: the holder notifies the end of the contract; the officer revokes under an act.
    let cert_page = applicant.get(&format!("/certificates/{cert}")).await;
    assert_eq!(cert_page.status, StatusCode::OK, "{}", cert_page.body);
    assert!(cert_page.body.contains("Ivanova Maria"), "the holder sees the name in full");
    let today = jiff::Timestamp::now().to_string()[..10].to_owned();
    let r = applicant
        .post(
            &format!("/certificates/{cert}/act"),
            &[("csrf", &csrf(&cert_page.body)), ("action", "contract-end"), ("end_date", &today)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(applicant.get(&format!("/certificates/{cert}")).await.body.contains("Получено уведомление"));
    // Issue 11, item 13: a new employer's notice (Rules §18) leads to the re-issue of Rules §19
    // and §22: the holder is told and starts it from the notice, the form filled in.
    let cert_page = applicant.get(&format!("/certificates/{cert}")).await;
    assert!(!cert_page.body.contains("ground=employer-change"), "no prompt before a notice");
    // Issue 14: the holder starts an extension, re-issue or duplicate from the certificate,
    // and the form names it.
    let extend_at = cert_page.body.find("/apply?service=extend").expect("an extension link");
    let link = cert_page.body[extend_at..].split('"').next().expect("link").replace("&#38;", "&").replace("&amp;", "&");
    let form = applicant.get(&link).await;
    assert!(form.body.contains(&format!("Заявление касается справки {cert}")), "{}", form.body);
    let r = applicant
        .post(
            &format!("/certificates/{cert}/act"),
            &[
                ("csrf", &csrf(&cert_page.body)),
                ("action", "new-employer"),
                ("contract_date", &today),
                ("employer_name", "Astana Build LLP"),
                ("employer_id", "050140000656"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let cert_page = applicant.get(&format!("/certificates/{cert}")).await;
    assert!(cert_page.body.contains("п. 19 Правил"), "{}", cert_page.body);
    let at = cert_page.body.find("/apply?service=reissue&#38;ground").expect("the re-issue link");
    let link = cert_page.body[at..].split('"').next().expect("link").replace("&#38;", "&").replace("&amp;", "&");
    let form = applicant.get(&link).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains(&format!(r#"value="{cert}" selected"#)), "{}", form.body);
    assert!(form.body.contains(r#"value="050140000656""#) && form.body.contains("Astana Build LLP"), "{}", form.body);
    let cert_page = officer.get(&format!("/certificates/{cert}")).await;
    let r = officer
        .post(
            &format!("/certificates/{cert}/act"),
            &[
                ("csrf", &csrf(&cert_page.body)),
                ("action", "revoke"),
                ("confirm", "on"),
                ("act_body", "Labour inspectorate"),
                ("act_number", ""),
                ("act_date", &today),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "an act needs its number");
    let unconfirmed = officer
        .post(
            &format!("/certificates/{cert}/act"),
            &[
                ("csrf", &csrf(&cert_page.body)),
                ("action", "revoke"),
                ("act_body", "LI"),
                ("act_number", "1"),
                ("act_date", &today),
            ],
        )
        .await;
    assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY, "a revocation is confirmed first");
    assert!(unconfirmed.body.contains("ештеңе жасалмады"), "{}", unconfirmed.body);
    // Issue 31: what was typed is kept for the second try.
    assert!(
        unconfirmed.body.contains(r#"id="act_number" name="act_number" value="1""#)
            && unconfirmed.body.contains(&format!(r#"id="act_date" name="act_date" value="{today}""#)),
        "{}",
        unconfirmed.body
    );
    assert!(r.body.contains("21"), "the refusal names Rules §21: {}", r.body);
    let r = officer
        .post(
            &format!("/certificates/{cert}/act"),
            &[
                ("csrf", &csrf(&cert_page.body)),
                ("action", "revoke"),
                ("confirm", "on"),
                ("act_body", "Labour inspectorate"),
                ("act_number", "LI-7"),
                ("act_date", &today),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(officer.get(r.location.as_deref().expect("back")).await.body.contains("Анықтама кері қайтарылды"));
    let v = public.get(&format!("/verify?number={cert}&lang=en")).await;
    assert!(v.body.contains("revoked on"), "{}", v.body);
    // Issue 31: the headline is the revocation, never "genuine".
    let headline = v.body.split(r#"<h2 id="verify-result""#).nth(1).and_then(|h| h.split("</h2>").next()).unwrap_or("");
    assert!(headline.contains("Not in force: revoked on") && !headline.contains("Genuine"), "{headline}");
    if let Some(qr_page) = qr_page {
        let v = public.get(&format!("{qr_page}&lang=en")).await;
        assert!(v.body.contains("revoked on") && v.body.contains("LI-7"), "the QR's page says revoked: {}", v.body);
    }
    // The paper is still genuinely signed, and the check of it says the certificate is revoked.
    let (ctype, body) = multipart(&[], &[("document", "c.pdf", &cert_pdf), ("signature", "c.pdf.p7s", &cert_sig)]);
    let r = public
        .send(Request::post("/verify").header(header::CONTENT_TYPE, ctype).body(Body::from(body)).expect("req"))
        .await;
    assert!(r.body.contains("Genuine: the signature is valid") && r.body.contains("revoked on"), "{}", r.body);

    // Who may see what: another applicant, another akimat, nobody.
    let mut other = Client { app: &app, cookie: None, csrf_cookie: None, lang: "en" };
    other.login(&sim::demo::demo_iin(0).to_string(), "demo-applicant").await;
    assert_eq!(other.get(&format!("/cases/{number}")).await.status, StatusCode::NOT_FOUND);
    let doc = page
        .body
        .split(&format!("/cases/{number}/documents/"))
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a document link")
        .to_owned();
    assert_eq!(other.get(&format!("/cases/{number}/documents/{doc}")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(officer.get(&format!("/cases/{number}/documents/{doc}")).await.status, StatusCode::OK);
    let r = public.get(&format!("/cases/{number}")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "anonymous people are sent to log in");
    assert!(r.location.unwrap_or_default().starts_with("/login?next="));
    assert_eq!(public.get("/officer").await.status, StatusCode::SEE_OTHER);
    assert_eq!(other.get("/officer").await.status, StatusCode::FORBIDDEN, "an applicant is not an officer");
}

#[tokio::test]
async fn wrong_password_is_refused_without_saying_which_part() {
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let mut c = Client { app: &app, cookie: None, csrf_cookie: None, lang: "en" };
    let r = c.post_from("/login", "/login", &[("login", "officer.astana"), ("password", "guess"), ("next", "")]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.body.contains("The login or the password is wrong."));
    let r = c
        .post_from(
            "/login",
            "/login",
            &[("login", "officer.astana"), ("password", "demo-officer"), ("next", "https://evil.example/")],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/officer"), "never redirected off-site");
}

/// R10.1, R10.2: a complaint for the reviewing body goes through the akimat's queue to the
/// reviewer, who decides; the applicant reads the outcome.
#[tokio::test]
async fn r10_1_complaint_through_akimat_to_reviewer() {
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let mut applicant = Client { app: &app, cookie: None, csrf_cookie: None, lang: "ru" };
    applicant.login(&sim::demo::demo_iin(0).to_string(), "demo-applicant").await;
    let form = applicant.get("/complaints/new").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    // Issue 31: the three reviewing bodies in plain words, one recommended and chosen.
    assert!(form.body.contains("(рекомендуется)"), "{}", form.body);
    assert!(form.body.contains(r#"value="quality-authority" aria-describedby="body-quality-authority-about" checked"#));
    assert_eq!(form.body.matches(r#"name="body""#).count(), 3, "three bodies to choose from");
    let token = csrf(&form.body);
    let r = applicant
        .post(
            "/complaints/new",
            &[
                ("csrf", &token),
                ("akimat", "astana"),
                ("case", ""),
                ("target", "inaction"),
                ("route", "to-reviewing-body"),
                ("text", "Nobody answers my calls"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let receipt_url = r.location.expect("to the complaint");
    let page = applicant.get(&receipt_url).await;
    assert!(page.body.contains("ожидает направления"), "{}", page.body);
    // Issue 14: the complainant gets a receipt with the number to keep.
    assert!(page.body.contains("Ваша жалоба получена") && page.body.contains("Сохраните её номер"), "{}", page.body);
    let url = receipt_url.trim_end_matches("?new=1").to_owned();
    assert!(!applicant.get(&url).await.body.contains("Ваша жалоба получена"), "the receipt only after filing");
    assert!(!page.body.contains(r#"name="action" value="forward""#), "the applicant cannot forward");

    let mut officer = Client { app: &app, cookie: None, csrf_cookie: None, lang: "en" };
    officer.login("officer.astana", "demo-officer").await;
    let number = url.trim_start_matches("/complaints/").to_owned();
    assert!(officer.get("/officer").await.body.contains(&number), "in the officer's queue");
    let page = officer.get(&url).await;
    let r = officer
        .post(
            &format!("{url}/act"),
            &[("csrf", &csrf(&page.body)), ("version", &version(&page.body)), ("action", "forward")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    let mut reviewer = Client { app: &app, cookie: None, csrf_cookie: None, lang: "en" };
    reviewer.login("reviewer", "demo-reviewer").await;
    let queue = reviewer.get("/reviewer").await.body;
    assert!(queue.contains(&number));
    // Issue 31: the reviewer's queue is headed as complaints are.
    assert!(queue.contains(r#"<th scope="col">Complaint</th><th scope="col">Addressed to</th>"#), "{queue}");
    let page = reviewer.get(&url).await;
    let r = reviewer
        .post(
            &format!("{url}/act"),
            &[
                ("csrf", &csrf(&page.body)),
                ("version", &version(&page.body)),
                ("action", "decide"),
                ("verdict", "upheld"),
                ("text", "The akimat must answer within 5 working days"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // Issue 31: the reviewer is told it is done.
    let done = reviewer.get(r.location.as_deref().expect("back to the complaint")).await;
    assert!(done.body.contains("Your decision is recorded"), "{}", done.body);
    let page = applicant.get(&url).await;
    assert!(page.body.contains("Удовлетворена") && page.body.contains("The akimat must answer"), "{}", page.body);
    // Issue 31: an upheld complaint says what happens next.
    assert!(page.body.contains("Что дальше") && page.body.contains("рассматривается заново"), "{}", page.body);
}

/// The administrator creates a staff account bound to an akimat; nobody else may.
#[tokio::test]
async fn administrator_creates_staff_accounts() {
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let mut admin = Client { app: &app, cookie: None, csrf_cookie: None, lang: "en" };
    admin.login("admin", "demo-admin").await;
    let page = admin.get("/admin").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Asia/Qostanay") && page.body.contains("09:00–18:30"), "akimats with zones and hours");
    let token = csrf(&page.body);
    let r = admin
        .post(
            "/admin/users",
            &[
                ("csrf", &token),
                ("login", "officer.kostanay"),
                ("name", "New Officer"),
                ("role", "officer"),
                ("akimat", ""),
                ("password", "long-enough"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "an officer needs an akimat");
    let r = admin
        .post(
            "/admin/users",
            &[
                ("csrf", &token),
                ("login", "officer.kostanay"),
                ("name", "New Officer"),
                ("role", "officer"),
                ("akimat", "kostanay"),
                ("password", "long-enough"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a guessable password");
    assert!(r.body.contains("too easy to guess"), "{}", r.body);
    assert!(
        r.body.contains(r#"value="officer.kostanay""#) && r.body.contains(r#"value="New Officer""#),
        "kept as typed"
    );
    assert!(r.body.contains(r#"<option value="kostanay" selected>"#), "the akimat kept");
    let r = admin
        .post(
            "/admin/users",
            &[
                ("csrf", &token),
                ("login", "officer.kostanay"),
                ("name", "New Officer"),
                ("role", "officer"),
                ("akimat", "kostanay"),
                ("password", "tulip-Kestrel-41-margin"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("The account of New Officer (officer.kostanay) is created."), "{}", r.body);
    let r = admin
        .post("/admin/hours", &[("csrf", &token), ("akimat", "kostanay"), ("start", "08:30"), ("end", "17:30")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(admin.get("/admin").await.body.contains("08:30–17:30"), "the new hours are shown");
    let r = admin
        .post("/admin/hours", &[("csrf", &token), ("akimat", "kostanay"), ("start", "18:00"), ("end", "09:00")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut officer = Client { app: &app, cookie: None, csrf_cookie: None, lang: "en" };
    officer.login("officer.kostanay", "tulip-Kestrel-41-margin").await;
    assert_eq!(officer.get("/officer").await.status, StatusCode::OK);
    assert_eq!(officer.get("/admin").await.status, StatusCode::FORBIDDEN);
}

async fn change_password(c: &mut Client<'_>, token: &str, current: &str, new: &str, repeat: &str) -> Reply {
    c.post("/account/password", &[("csrf", token), ("current", current), ("new", new), ("repeat", repeat)]).await
}

/// Issue 13 item 5: passwords follow the rules, a person changes theirs and ends their
/// sessions, the administrator disables, enables and resets an account, and each change is in
/// the audit log, which the administrator filters by person.
#[tokio::test]
async fn accounts_passwords_sessions_disabling_and_the_audit_log() {
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let mut officer = Client { app: &app, cookie: None, csrf_cookie: None, lang: "ru" };
    officer.login("officer.astana", "demo-officer").await;
    let mut elsewhere = Client { app: &app, cookie: None, csrf_cookie: None, lang: "en" };
    elsewhere.login("officer.astana", "demo-officer").await;
    let page = officer.get("/account").await;
    assert!(
        page.body.contains("Где выполнен вход") && page.body.matches("браузер").count() >= 2,
        "two sessions listed"
    );
    let token = csrf(&page.body);
    let r = change_password(&mut officer, &token, "wrong", "tulip-Kestrel-41-margin", "tulip-Kestrel-41-margin").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Текущий пароль неверен."), "{}", r.body);
    let r = change_password(&mut officer, &token, "demo-officer", "Qwerty123!", "Qwerty123!").await;
    assert!(r.status == StatusCode::UNPROCESSABLE_ENTITY && r.body.contains("слишком легко угадать"), "{}", r.body);
    let r = change_password(&mut officer, &token, "demo-officer", "officer.astana-1", "officer.astana-1").await;
    assert!(r.body.contains("не должен содержать логин"), "{}", r.body);
    let r = change_password(&mut officer, &token, "demo-officer", "short", "short").await;
    assert!(r.body.contains("не менее 10 символов"), "{}", r.body);
    let r = change_password(&mut officer, &token, "demo-officer", "tulip-Kestrel-41-margin", "tulip-Kestrel-41-margiN")
        .await;
    assert!(r.body.contains("не совпадают"), "{}", r.body);
    let r = change_password(&mut officer, &token, "demo-officer", "tulip-Kestrel-41-margin", "tulip-Kestrel-41-margin")
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(officer.get("/account?done=password").await.body.contains("Пароль сохранён"));
    assert_eq!(elsewhere.get("/officer").await.status, StatusCode::SEE_OTHER, "the other session ended");
    let r = elsewhere
        .post_from("/login", "/login", &[("login", "officer.astana"), ("password", "demo-officer"), ("next", "")])
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "the old password opens nothing");
    elsewhere.login("officer.astana", "tulip-Kestrel-41-margin").await;

    // Ending the other session from the page; then logging out everywhere.
    let r = officer.post("/account/sessions", &[("csrf", &token), ("end", "others")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(elsewhere.get("/officer").await.status, StatusCode::SEE_OTHER);
    assert_eq!(officer.get("/officer").await.status, StatusCode::OK, "this one lives");
    let r = officer.post("/account/sessions", &[("csrf", &token), ("end", "all")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(officer.get("/officer").await.status, StatusCode::SEE_OTHER, "logged out everywhere");

    // The administrator disables the account: its sessions end, and the right password says so.
    officer.login("officer.astana", "tulip-Kestrel-41-margin").await;
    let mut admin = Client { app: &app, cookie: None, csrf_cookie: None, lang: "kk" };
    admin.login("admin", "demo-admin").await;
    let page = admin.get("/admin").await;
    let admin_token = csrf(&page.body);
    let id = app.store.account_by_login("officer.astana").await.expect("read").expect("officer").user.id;
    let target = format!("/admin/users/{id}");
    // Asked once more first (issue 31).
    let r = admin.post(&target, &[("csrf", &admin_token), ("do", "disable")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let confirm = admin.get(r.location.as_deref().expect("to the question")).await;
    assert!(
        confirm.body.contains("есептік жазбасын өшіру керек пе?")
            && confirm.body.contains(r#"name="confirm" value="on""#),
        "{}",
        confirm.body
    );
    let r = admin.post(&target, &[("csrf", &admin_token), ("do", "disable"), ("confirm", "on")]).await;
    assert!(r.body.contains("өшірілді"), "{}", r.body);
    assert_eq!(officer.get("/officer").await.status, StatusCode::SEE_OTHER, "its session ended");
    let r = officer
        .post_from(
            "/login",
            "/login",
            &[("login", "officer.astana"), ("password", "tulip-Kestrel-41-margin"), ("next", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("учётная запись отключена"), "{}", r.body);
    let r = officer
        .post_from("/login", "/login", &[("login", "officer.astana"), ("password", "wrong-password"), ("next", "")])
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "a wrong password learns nothing of the state");
    let admin_id = app.store.account_by_login("admin").await.expect("read").expect("admin").user.id;
    let r = admin.post(&format!("/admin/users/{admin_id}"), &[("csrf", &admin_token), ("do", "disable")]).await;
    assert!(r.body.contains("Өз есептік жазбаңызды өшіруге болмайды"), "{}", r.body);
    let r = admin.post(&target, &[("csrf", &admin_token), ("do", "enable")]).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = admin.post(&target, &[("csrf", &admin_token), ("do", "reset-password"), ("confirm", "on")]).await;
    let shown = r
        .body
        .split("жаңа құпиясөзі: ")
        .nth(1)
        .expect("the new password shown")
        .split(' ')
        .next()
        .expect("a word")
        .to_owned();
    assert_eq!(shown.len(), 23, "{shown}");
    officer.login("officer.astana", &shown).await;
    let r = admin.post(&target, &[("csrf", &admin_token), ("do", "frobnicate")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "an unknown act does nothing");

    // Not an administrator: 403 on every administrator's page and act.
    assert_eq!(officer.get("/admin/audit").await.status, StatusCode::FORBIDDEN);
    let t = csrf(&officer.get("/account").await.body);
    assert_eq!(officer.post(&target, &[("csrf", &t), ("do", "disable")]).await.status, StatusCode::FORBIDDEN);

    // The audit log: every change above, filtered by the person.
    let log = admin.get("/admin/audit?person=officer.astana").await;
    assert_eq!(log.status, StatusCode::OK);
    for line in [
        "Құпиясөз өзгертілді",
        "Қате құпиясөз",
        "Есептік жазба өшірілді",
        "Кіру қабылданбады",
        "Есептік жазба қосылды",
        "Құпиясөзді әкімші қалпына келтірді",
        "Сеанстар аяқталды",
        "Кіру",
    ] {
        assert!(log.body.contains(line), "{line} in the log");
    }
    assert!(!log.body.contains(&shown), "never a password in the log");
    let nobody = admin.get("/admin/audit?person=nobody.here").await;
    assert_eq!(nobody.status, StatusCode::UNPROCESSABLE_ENTITY);
    let bad = admin.get("/admin/audit?from=31.02.2026").await;
    assert!(bad.body.contains("КК.АА.ЖЖЖЖ"), "{}", bad.body);
    let past = admin.get("/admin/audit?to=01.01.2020").await;
    assert!(past.body.contains("Бұл таңдау бойынша ештеңе жазылмаған."), "nothing before 2020");
    // By case: who did what on it, named as on the case's page.
    let today = jiff::civil::date(2026, 12, 1);
    let cases = app.store.search_cases("astana", &store::CaseSearch::default(), today, 500).await.expect("cases");
    let registered = cases.iter().find(|c| c.state != rules::case::State::Submitted).expect("a registered case");
    let log = admin.get(&format!("/admin/audit?case={}", registered.number.to_string().to_lowercase())).await;
    assert_eq!(log.status, StatusCode::OK, "{}", log.body);
    assert!(log.body.contains("Өтініш берілді") && log.body.contains("Тіркелді"), "{}", log.body);
    assert!(!log.body.contains("Есептік жазба өшірілді"), "only that case: {}", log.body);
    // Issue 31: the audit by case includes its signatures, each by its signer's name.
    let number = registered.number.to_string();
    let member = app.store.account_by_login("member1.astana").await.expect("read").expect("member").user.id;
    let now = jiff::Timestamp::now().as_millisecond();
    app.store.add_application_signature(&number, "{}", b"sig-a", "PETROVA ANNA", "", now).await.expect("kept");
    app.store.put_minutes_draft(&number, "minutes", &member, now).await.expect("draft");
    app.store.add_minutes_signature(&number, "minutes", &member, b"sig-m", "MEMBER ONE", now).await.expect("kept");
    let log = admin.get(&format!("/admin/audit?case={number}")).await;
    assert!(log.body.contains("Өтініш қол қойылды (ЭЦҚ)") && log.body.contains("PETROVA ANNA"), "{}", log.body);
    assert!(log.body.contains("Хаттамаға қол қойылды (ЭЦҚ)") && log.body.contains("MEMBER ONE"), "{}", log.body);
    let theirs = admin.get(&format!("/admin/audit?case={number}&person=member1.astana")).await;
    assert!(theirs.body.contains("MEMBER ONE") && !theirs.body.contains("PETROVA ANNA"), "{}", theirs.body);
    let unknown = admin.get("/admin/audit?case=Z-AST-1999-00001").await;
    assert!(unknown.body.contains("Мұндай нөмірлі іс жоқ."), "{}", unknown.body);
}

/// A draft keeps what was typed and uploaded, appears in the cabinet, and comes back.
#[tokio::test]
async fn drafts_are_saved_and_resumed() {
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let mut applicant = Client { app: &app, cookie: None, csrf_cookie: None, lang: "en" };
    applicant.login(&sim::demo::demo_iin(0).to_string(), "demo-applicant").await;
    let page_csrf = csrf(&applicant.get("/apply").await.body);
    let fields = [
        ("service", "issue"),
        ("csrf", page_csrf.as_str()),
        ("form_token", ""),
        ("akimat", "shymkent"),
        ("address", "Shymkent, Tauke Khan 5"),
        ("save", "draft"),
    ];
    let (ct, body) =
        multipart(&fields, &[("doc-identity-document", "passport.pdf", b"%PDF-1.4\n% draft passport\n%%EOF\n")]);
    let r = applicant
        .send(Request::post("/apply").header(header::CONTENT_TYPE, ct).body(Body::from(body)).expect("req"))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Draft saved"), "{}", r.body);
    assert!(applicant.get("/cabinet").await.body.contains("/apply?service=issue"), "the draft is in the cabinet");
    let form = applicant.get("/apply?service=issue").await;
    assert!(form.body.contains("Your saved draft is filled in below."), "{}", form.body);
    assert!(form.body.contains(r#"value="Shymkent, Tauke Khan 5""#));
    assert!(form.body.contains(r#"<option value="shymkent" selected>"#));
    assert!(form.body.contains("Uploaded: passport.pdf"), "the document is kept too");
}

/// Who may see what across akimats: an officer of another akimat sees neither the case nor
/// the certificate, and cannot act.
#[tokio::test]
async fn an_officer_of_another_akimat_sees_nothing() {
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let user = store::User {
        id: "u-shymkent".into(),
        login: "officer.shymkent".into(),
        role: rules::Role::Officer,
        akimat: Some("shymkent".into()),
        iin: None,
        name: "Other Officer".into(),
    };
    app.store.create_user(&user, &web::hash_password("another-pass").expect("hash"), 0).await.expect("created");
    let case =
        app.store.cases_of(&sim::demo::demo_iin(0)).await.expect("cases").into_iter().next().expect("an astana case");
    assert_eq!(case.application.akimat, "astana");
    let cert = app
        .store
        .certificates()
        .await
        .expect("certs")
        .into_iter()
        .find(|c| c.akimat == "astana")
        .expect("an astana certificate");
    let mut other = Client { app: &app, cookie: None, csrf_cookie: None, lang: "en" };
    other.login("officer.shymkent", "another-pass").await;
    assert_eq!(other.get(&format!("/cases/{}", case.number)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(other.get(&format!("/certificates/{}", cert.number)).await.status, StatusCode::NOT_FOUND);
    let queue = other.get("/officer").await;
    assert!(!queue.body.contains(&case.number.to_string()), "not in another akimat's queue");
    let csrf_token = csrf(&queue.body);
    let r = other.post(&format!("/cases/{}/act", case.number), &[("csrf", &csrf_token), ("action", "register")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

/// The administrator imports a calendar year through the page; a bad file is refused with
/// the reason and nothing is written.
#[tokio::test]
async fn administrator_imports_a_calendar_year() {
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let mut admin = Client { app: &app, cookie: None, csrf_cookie: None, lang: "en" };
    admin.login("admin", "demo-admin").await;
    let token = csrf(&admin.get("/admin").await.body);
    let year = b"kind = \"year\"\nyear = 2028\n[[dated]]\nholiday = \"kurban-ait\"\ndate = \"2028-05-05\"\n";
    let (ct, body) = multipart(&[("csrf", token.as_str())], &[("file", "2028.toml", year)]);
    let r = admin
        .send(Request::post("/admin/import").header(header::CONTENT_TYPE, ct).body(Body::from(body)).expect("req"))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("It takes effect when the service restarts"), "{}", r.body);
    assert!(app.dir.path().join("calendar/2028.toml").exists());
    let calendar = store::imports::calendar(app.dir.path()).expect("the calendar with 2028");
    assert!(calendar.years().any(|y| y == 2028));
    let (ct, body) =
        multipart(&[("csrf", token.as_str())], &[("file", "2029.toml", b"kind = \"year\"\nyear = 2029\n")]);
    let r = admin
        .send(Request::post("/admin/import").header(header::CONTENT_TYPE, ct).body(Body::from(body)).expect("req"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("kurban-ait"), "{}", r.body);
    assert!(!app.dir.path().join("calendar/2029.toml").exists());
    // In Russian the refusal is a Russian sentence; the checker's own words stand apart,
    // marked as English, for whoever fixes the file.
    admin.lang = "ru";
    let (ct, body) =
        multipart(&[("csrf", token.as_str())], &[("file", "2029.toml", b"kind = \"year\"\nyear = 2029\n")]);
    let r = admin
        .send(Request::post("/admin/import").header(header::CONTENT_TYPE, ct).body(Body::from(body)).expect("req"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let alert = r.body.split(r#"role="alert">"#).nth(1).and_then(|a| a.split("</p>").next()).unwrap_or_default();
    assert!(alert.starts_with("Файл не импортирован"), "{alert}");
    assert!(!alert.contains("kurban-ait"), "{alert}");
    assert!(r.body.contains(r#"<pre class="detail" lang="en">"#) && r.body.contains("kurban-ait"), "{}", r.body);
}

/// R11.1 and the signed certificate: the holder downloads the PDF and its signature; OpenSSL
/// verifies it against the published root; `pdftotext` finds the name and number; the QR code
/// decodes to the verification page with a code that matches, which says active; the page and
/// the API check an uploaded PDF and signature, and a changed byte fails. Returns the QR's
/// page (path and query) when `zbarimg` could read it.
async fn signed_certificate_checks(
    app: &App,
    holder: &mut Client<'_>,
    public: &mut Client<'_>,
    cert: &str,
) -> (Option<String>, Vec<u8>, Vec<u8>) {
    let page = holder.get(&format!("/certificates/{cert}")).await;
    assert!(page.body.contains(&format!("/certificates/{cert}/files/ru.pdf.p7s")), "{}", page.body);
    let pdf = holder.get(&format!("/certificates/{cert}/files/ru.pdf")).await;
    assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.body);
    assert!(pdf.bytes.starts_with(b"%PDF-"));
    let sig = holder.get(&format!("/certificates/{cert}/files/ru.pdf.p7s")).await;
    assert_eq!(sig.status, StatusCode::OK);
    let again = holder.get(&format!("/certificates/{cert}/files/ru.pdf")).await;
    assert_eq!(again.bytes, pdf.bytes, "the document is kept: the same PDF every time");
    let sig_again = holder.get(&format!("/certificates/{cert}/files/ru.pdf.p7s")).await;
    assert_eq!(sig_again.bytes, sig.bytes, "signed once, the same signature every time");
    let kk = holder.get(&format!("/certificates/{cert}/files/kk.pdf")).await;
    assert_ne!(kk.bytes, pdf.bytes, "the Kazakh form is another document");
    let roots = public.get("/pki/ca.pem").await;
    assert!(roots.body.starts_with("-----BEGIN CERTIFICATE-----"));
    assert_eq!(public.get(&format!("/certificates/{cert}/files/ru.pdf")).await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        holder.get(&format!("/certificates/{cert}/files/duplicate-kk.pdf")).await.status,
        StatusCode::NOT_FOUND,
        "no duplicate was issued"
    );

    let dir = app.dir.path().join("downloads");
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(dir.join("c.pdf"), &pdf.bytes).expect("write");
    std::fs::write(dir.join("c.pdf.p7s"), &sig.bytes).expect("write");
    std::fs::write(dir.join("ca.pem"), &roots.bytes).expect("write");
    let args = ["cms", "-verify", "-binary", "-inform", "DER", "-in", "c.pdf.p7s", "-content", "c.pdf"];
    if let Some(o) = crate::tool("openssl", &[&args[..], &["-CAfile", "ca.pem", "-out", "/dev/null"]].concat(), &dir) {
        assert!(o.status.success(), "openssl: {}", String::from_utf8_lossy(&o.stderr));
    }
    if let Some(o) = crate::tool("pdftotext", &["c.pdf", "-"], &dir) {
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(text.contains(cert) && text.contains("Ivanova Maria"), "{text}");
    }

    // The page and the API check what was downloaded; one changed byte is caught.
    let (ctype, body) = multipart(&[], &[("document", "c.pdf", &pdf.bytes), ("signature", "c.pdf.p7s", &sig.bytes)]);
    let r = public
        .send(Request::post("/verify").header(header::CONTENT_TYPE, ctype).body(Body::from(body)).expect("req"))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Genuine: the signature is valid") && r.body.contains("Aigerim Officer"), "{}", r.body);
    // Issue 31: the demo's development CA is not called the national CA.
    assert!(r.body.contains("development CA, not the National Certification Authority"), "{}", r.body);
    assert!(r.body.contains("<strong>active, valid to"), "the paper's certificate and its status: {}", r.body);
    let mut changed = pdf.bytes.clone();
    let at = changed.len() / 2;
    changed[at] ^= 1;
    let (ctype, body) = multipart(&[], &[("document", "c.pdf", &changed), ("signature", "c.pdf.p7s", &sig.bytes)]);
    let r = public
        .send(Request::post("/verify").header(header::CONTENT_TYPE, ctype).body(Body::from(body)).expect("req"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Issue 14, bug 7: what failed, in words; OpenSSL's own text stays in the log.
    assert!(r.body.contains("Not genuine: this document is not the one that was signed."), "{}", r.body);
    assert!(!r.body.contains("error:") && !r.body.to_lowercase().contains("digest"), "{}", r.body);
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    for (document, genuine) in [(&pdf.bytes, true), (&changed, false)] {
        let body = serde_json::json!({"document": b64.encode(document), "signature": b64.encode(&sig.bytes)});
        let r = public
            .send(
                Request::post("/api/v1/signatures/verify")
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(body.to_string()))
                    .expect("req"),
            )
            .await;
        let answer: serde_json::Value = serde_json::from_str(&r.body).expect("json");
        assert_eq!(answer["genuine"], genuine, "{answer}");
        assert_eq!(answer["certificate"]["number"].as_str(), genuine.then_some(cert), "{answer}");
    }

    // The QR code opens the verification page with the number and a code that matches.
    std::fs::remove_file(dir.join("ca.pem")).ok();
    let Some(png) = crate::tool("pdftoppm", &["-r", "150", "-png", "-singlefile", "c.pdf", "page"], &dir) else {
        return (None, pdf.bytes, sig.bytes);
    };
    assert!(png.status.success(), "{}", String::from_utf8_lossy(&png.stderr));
    let Some(o) = crate::tool("zbarimg", &["--quiet", "--raw", "page.png"], &dir) else {
        return (None, pdf.bytes, sig.bytes);
    };
    let url = String::from_utf8_lossy(&o.stdout).trim().to_owned();
    let path = url.strip_prefix("https://qualcert.example.kz").unwrap_or_else(|| panic!("the public address: {url}"));
    assert!(path.starts_with(&format!("/verify?number={cert}&t=")), "{path}");
    let v = public.get(&format!("{path}&lang=en")).await;
    assert_eq!(v.status, StatusCode::OK);
    assert!(v.body.contains("The code in the link matches"), "{}", v.body);
    assert!(v.body.contains("<strong>active, valid to"), "{}", v.body);
    let forged = public.get(&format!("/verify?number={cert}&t=0123456789abcdef&lang=en")).await;
    assert!(forged.body.contains("does not match this number"), "{}", forged.body);
    // Issue 14, bug 6: no "genuine" heading beside the warning, only the register's record.
    assert!(forged.body.contains(r#"<h2 id="verify-result">What the register holds"#), "{}", forged.body);
    assert!(!forged.body.contains(r#"id="verify-result" class="ok""#), "{}", forged.body);
    (Some(path.to_owned()), pdf.bytes, sig.bytes)
}

/// Runs `openssl cms -verify` on `sig` over `content` against `roots`, in `dir`.
fn openssl_accepts(dir: &std::path::Path, content: &[u8], sig: &[u8], roots: &[u8]) {
    std::fs::write(dir.join("d.pdf"), content).expect("write");
    std::fs::write(dir.join("d.p7s"), sig).expect("write");
    std::fs::write(dir.join("roots.pem"), roots).expect("write");
    let args = ["cms", "-verify", "-binary", "-inform", "DER", "-in", "d.p7s", "-content", "d.pdf"];
    if let Some(o) = crate::tool("openssl", &[&args[..], &["-CAfile", "roots.pem", "-out", "/dev/null"]].concat(), dir)
    {
        assert!(o.status.success(), "openssl: {}", String::from_utf8_lossy(&o.stderr));
    }
}

fn pdf_text(dir: &std::path::Path, pdf: &[u8]) -> Option<String> {
    std::fs::write(dir.join("t.pdf"), pdf).expect("write");
    let o = crate::tool("pdftotext", &["t.pdf", "-"], dir)?;
    assert!(o.status.success());
    Some(String::from_utf8_lossy(&o.stdout).into_owned())
}

/// R4.4, R4.6, R3.2: the application (App.1), the Commission's minutes signed by each member
/// present, and the reasoned refusal with its paragraphs, signed by the akimat's authorised
/// person, as PDFs in Kazakh and Russian that OpenSSL verifies.
#[tokio::test]
async fn r4_6_application_minutes_and_refusal_as_signed_pdfs() {
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let mut refused = None;
    for i in 0..24 {
        for c in app.store.cases_of(&sim::demo::demo_iin(i)).await.expect("cases") {
            if c.state == rules::case::State::Refused && c.decision.is_some() && refused.is_none() {
                refused = Some(c);
            }
        }
    }
    let case = refused.expect("the demo refuses on the Commission's recommendation");
    let number = case.number.to_string();
    let mut admin = Client { app: &app, cookie: None, csrf_cookie: None, lang: "ru" };
    admin.login("admin", "demo-admin").await;
    let page = admin.get(&format!("/cases/{number}")).await;
    // Issue 11, item 10: the grounds of App.2 item 9 with their paragraphs, on the case page
    // and on the public status look-up, not only the officer's reasoning.
    assert!(!case.grounds.is_empty());
    for g in &case.grounds {
        let set = app.store.reference().law.set_of(&case);
        let (name, cited) = (g.name(rules::Lang::Ru, set), g.citation(set).localized(rules::Lang::Ru));
        assert!(page.body.contains(&name) && page.body.contains(&cited), "{name} ({cited}): {}", page.body);
    }
    let doc = case.application.applicant.document_number.clone();
    let status = admin.post("/status", &[("case", number.as_str()), ("document", doc.as_str())]).await;
    for g in &case.grounds {
        assert!(
            status.body.contains(&g.name(rules::Lang::Ru, app.store.reference().law.set_of(&case))),
            "{}",
            status.body
        );
    }
    for link in ["application-kk.pdf", "minutes-ru.pdf", "refusal-kk.pdf.p7s"] {
        assert!(page.body.contains(&format!("/cases/{number}/files/{link}")), "{link}: {}", page.body);
    }
    let dir = app.dir.path().join("case-files");
    std::fs::create_dir_all(&dir).expect("dir");
    let roots = admin.get("/pki/ca.pem").await.bytes;
    let file = |name: &str| format!("/cases/{number}/files/{name}");

    // The refusal: each ground with its paragraph in the reader's language, signed.
    for (lang, title, rules_lang) in [
        ("ru", "Мотивированный отказ", rules::Lang::Ru),
        ("kk", "Мемлекеттік қызмет көрсетуден дәлелді бас тарту", rules::Lang::Kk),
    ] {
        let pdf = admin.get(&file(&format!("refusal-{lang}.pdf"))).await;
        assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.body);
        let sig = admin.get(&file(&format!("refusal-{lang}.pdf.p7s"))).await;
        openssl_accepts(&dir, &pdf.bytes, &sig.bytes, &roots);
        if let Some(text) = pdf_text(&dir, &pdf.bytes) {
            // Lines break anywhere, and pdftotext drops a hyphen at a line's end: compare
            // without spaces and hyphens.
            let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace() && *c != '-').collect::<String>();
            let text = squash(&text);
            assert!(text.contains(&squash(title)) && text.contains(&squash(&number)), "{text}");
            for g in &case.grounds {
                let cited = squash(&g.citation(app.store.reference().law.set_of(&case)).localized(rules_lang));
                assert!(
                    text.contains(&squash(&g.name(rules_lang, app.store.reference().law.set_of(&case))))
                        && text.contains(&cited),
                    "{cited}: {text}"
                );
            }
            assert!(text.contains(&squash(&case.application.applicant.full_name())), "{text}");
            // R10.1: first §25, the complaint to the akimat itself (5 working days), then
            // §24's three reviewing bodies.
            let (days, bodies) = match rules_lang {
                rules::Lang::Kk => ("5жұмыскүні", ["жоғарытұрғанәкімшілікорган", "лауазымдыадам", "уәкілеттіорган"]),
                _ => ("5рабочихдней", ["вышестоящийадминистративныйорган", "должностноелицо", "уполномоченныйорган"]),
            };
            let at = |c: &'static str| text.find(&squash(&rules::Citation::new(c).localized(rules_lang)));
            assert!(at("Rules §25").expect("§25 cited") < at("Rules §24").expect("§24 cited"), "{text}");
            assert!(text.contains(days) && bodies.iter().all(|b| text.contains(b)), "{text}");
        }
    }

    // The minutes: the members sign their record with their own EDS (Rules §9); the PDF is
    // its rendering, and the service signs nothing on their behalf.
    let decision = case.decision.as_ref().expect("decided");
    let minutes = admin.get(&file("minutes-kk.pdf")).await;
    assert_eq!(minutes.status, StatusCode::OK);
    assert!(!page.body.contains(&format!("/cases/{number}/files/minutes-kk.pdf.0.p7s")), "{}", page.body);
    assert_eq!(admin.get(&file("minutes-kk.pdf.0.p7s")).await.status, StatusCode::NOT_FOUND);
    if let Some(text) = pdf_text(&dir, &minutes.bytes) {
        assert!(text.contains("Комиссия отырысының хаттамасы") && text.contains(&decision.minutes), "{text}");
        // Members without an account here show as recorded; long names break across lines.
        let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace() && *c != '-').collect::<String>();
        for m in &decision.present {
            assert!(squash(&text).contains(&squash(m)), "{m}: {text}");
        }
        assert!(text.contains(&format!("{} / {}", decision.assessment.total, decision.assessment.max_total)), "{text}");
    }

    // The application as filed (App.1): the applicant signs it, not the service.
    let application = admin.get(&file("application-kk.pdf")).await;
    assert_eq!(application.status, StatusCode::OK);
    if let Some(text) = pdf_text(&dir, &application.bytes) {
        assert!(text.contains("Өтініш") && text.contains("Қағидаларға 1-қосымша"), "{text}");
        assert!(text.contains(&case.application.applicant.iin.to_string()), "{text}");
        // App.1 closes with the date of filing, on the akimat's clock.
        let filed = case.filed_on(&jiff::tz::TimeZone::get("Asia/Almaty").expect("zone"));
        assert!(text.contains("Өтініш берілген күн") && text.contains(&rules::text::dotted_date(filed)), "{text}");
    }
    assert_eq!(admin.get(&file("application-kk.pdf.p7s")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(admin.get(&file("refusal-en.pdf")).await.status, StatusCode::NOT_FOUND);

    // Another applicant sees none of it.
    let mut other = Client { app: &app, cookie: None, csrf_cookie: None, lang: "en" };
    other.login(&sim::demo::demo_iin(0).to_string(), "demo-applicant").await;
    if case.application.applicant.iin != sim::demo::demo_iin(0) {
        assert_eq!(other.get(&file("refusal-ru.pdf")).await.status, StatusCode::NOT_FOUND);
    }
}

/// R9.2, R11.2: a certificate with a duplicate says so on the public page and in the API, and
/// its holder's staff can download the duplicate, marked as one and signed.
#[tokio::test]
async fn r9_2_duplicate_shown_on_verification_and_downloadable() {
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let certs = app.store.certificates().await.expect("certificates");
    let c = certs.iter().find(|c| !c.duplicates.is_empty()).expect("the demo issues a duplicate");
    let number = c.number.to_string();
    let mut public = Client { app: &app, cookie: None, csrf_cookie: None, lang: "en" };
    let v = public.get(&format!("/verify?number={number}")).await;
    assert!(v.body.contains("A duplicate was issued on") && v.body.contains("Rules §22-1"), "{}", v.body);
    let api = public.get(&format!("/api/v1/certificates/{number}")).await;
    let json: serde_json::Value = serde_json::from_str(&api.body).expect("json");
    assert_eq!(json["duplicates"][0], c.duplicates[0].to_string(), "{json}");
    assert!(json.get("link_matches").is_none(), "no code was given");
    let token = app.office.token(&number);
    let api = public.get(&format!("/api/v1/certificates/{number}?t={token}")).await;
    let json: serde_json::Value = serde_json::from_str(&api.body).expect("json");
    assert_eq!(json["link_matches"], true);

    let mut admin = Client { app: &app, cookie: None, csrf_cookie: None, lang: "kk" };
    admin.login("admin", "demo-admin").await;
    let page = admin.get(&format!("/certificates/{number}")).await;
    assert!(page.body.contains("files/duplicate-kk.pdf.p7s"), "{}", page.body);
    let pdf = admin.get(&format!("/certificates/{number}/files/duplicate-kk.pdf")).await;
    assert_eq!(pdf.status, StatusCode::OK);
    let dir = app.dir.path().join("dup");
    std::fs::create_dir_all(&dir).expect("dir");
    let sig = admin.get(&format!("/certificates/{number}/files/duplicate-kk.pdf.p7s")).await;
    openssl_accepts(&dir, &pdf.bytes, &sig.bytes, app.office.roots_pem());
    if let Some(text) = pdf_text(&dir, &pdf.bytes) {
        assert!(text.contains("ТЕЛНҰСҚА") && text.contains(&number), "{text}");
    }
}

/// App.2 item 9: the page asks for the identity document's last valid day, so an expired
/// document is caught at filing: the application is recorded as not accepted, naming it.
#[tokio::test]
async fn app2_item9_expired_identity_document_from_the_page() {
    let app = crate::app().await;
    let mut applicant = Client { app: &app, cookie: None, csrf_cookie: None, lang: "ru" };
    let (token, form) = register_and_open_form(&mut applicant, "900305401113", "Petrova", "Anna").await;
    assert!(form.contains(r#"name="document_valid_until""#), "the form asks for it");
    let page_csrf = csrf(&form);
    let fields = [
        ("service", "issue"),
        ("csrf", page_csrf.as_str()),
        ("form_token", token.as_str()),
        ("akimat", "astana"),
        ("profession", "2512-1"),
        ("surname", "Petrova"),
        ("given_name", "Anna"),
        ("patronymic", ""),
        ("document_number", "N0054321"),
        ("document_issued_on", "2015-05-01"),
        ("document_valid_until", "2025-05-01"),
        ("document_issued_by", "MVD"),
        ("address", "Astana, Abay 1"),
        ("phone", "+7 700 000 00 00"),
        ("fax", ""),
        ("home_address", "Tashkent"),
        ("home_phone", "+998 00 000 00 00"),
        ("consent", "on"),
    ];
    let (ct, body) = multipart(
        &fields,
        &[
            ("doc-identity-document", "passport.pdf", b"%PDF-1.4\n% passport\n%%EOF\n"),
            ("doc-education-translation", "diploma.pdf", b"%PDF-1.4\n% diploma\n%%EOF\n"),
            ("doc-labour-activity-record", "work.pdf", b"%PDF-1.4\n% work record\n%%EOF\n"),
        ],
    );
    let r = applicant
        .send(Request::post("/apply").header(header::CONTENT_TYPE, ct).body(Body::from(body)).expect("req"))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let number =
        r.location.clone().expect("to the case").trim_start_matches("/cases/").trim_end_matches("?new=1").to_owned();
    let case = app.store.case(&number.parse().expect("a case number")).await.expect("read").expect("filed");
    assert_eq!(case.state, rules::case::State::NotAccepted, "{:?}", case.reasons);
    let why = case.reasons_in(rules::Lang::Ru).unwrap_or_default();
    assert!(why.contains("01.05.2025") && why.contains("срок действия истёк"), "{why}");
}

/// Rules §3: a person the applicant authorised files from the page in the applicant's name,
/// with a power of attorney; without it the page says what is missing and files nothing.
/// The representative then sees the case they filed.
#[tokio::test]
async fn rules_3_representative_files_from_the_page() {
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let mut rep = Client { app: &app, cookie: None, csrf_cookie: None, lang: "kk" };
    let (token, form) = register_and_open_form(&mut rep, "900305401113", "Sapar", "Aigerim").await;
    assert!(form.contains(r#"name="represent""#) && form.contains(r#"name="doc-power-of-attorney""#));
    let page_csrf = csrf(&form);
    let fields = [
        ("service", "issue"),
        ("csrf", page_csrf.as_str()),
        ("form_token", token.as_str()),
        ("represent", "on"),
        ("applicant_iin", "900101400013"),
        ("akimat", "astana"),
        ("profession", "2512-1"),
        ("surname", "Karimov"),
        ("given_name", "Bakhtiyor"),
        ("patronymic", ""),
        ("document_number", "N0054321"),
        ("document_issued_on", "2015-05-01"),
        ("document_valid_until", "2030-05-01"),
        ("document_issued_by", "MVD"),
        ("address", "Astana, Abay 1"),
        ("phone", "+7 700 000 00 00"),
        ("fax", ""),
        ("home_address", "Tashkent"),
        ("home_phone", "+998 00 000 00 00"),
        ("consent", "on"),
    ];
    let docs: [(&str, &str, &[u8]); 3] = [
        ("doc-identity-document", "passport.pdf", b"%PDF-1.4\n% passport\n%%EOF\n"),
        ("doc-education-translation", "diploma.pdf", b"%PDF-1.4\n% diploma\n%%EOF\n"),
        ("doc-labour-activity-record", "work.pdf", b"%PDF-1.4\n% work record\n%%EOF\n"),
    ];
    let (ct, body) = multipart(&fields, &docs);
    let r =
        rep.send(Request::post("/apply").header(header::CONTENT_TYPE, ct).body(Body::from(body)).expect("req")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "no power of attorney: nothing filed");
    assert!(r.body.contains("сенімхаты"), "the missing power of attorney is named in Kazakh");
    assert!(r.body.contains("900101400013"), "what was typed is kept");
    let with_poa: Vec<(&str, &str, &[u8])> =
        docs.iter().copied().chain([("doc-power-of-attorney", "poa.pdf", &b"%PDF-1.4\n% poa\n%%EOF\n"[..])]).collect();
    let (ct, body) = multipart(&fields, &with_poa);
    let r =
        rep.send(Request::post("/apply").header(header::CONTENT_TYPE, ct).body(Body::from(body)).expect("req")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let location = r.location.clone().expect("to the case");
    let number = location.trim_start_matches("/cases/").trim_end_matches("?new=1").to_owned();
    let case = app.store.case(&number.parse().expect("a case number")).await.expect("read").expect("filed");
    assert_eq!(case.state, rules::case::State::Submitted, "{:?}", case.reasons);
    assert_eq!(case.application.applicant.iin.to_string(), "900101400013");
    let rep_iin = case.application.representative.as_ref().map(|r| r.iin.to_string());
    assert_eq!(rep_iin.as_deref(), Some("900305401113"));
    // The representative signs with their own EDS (the demo key names their IIN); the officer
    // sees who filed, the power of attorney and the signature.
    let page = rep.get(&location).await;
    assert_eq!(page.status, StatusCode::OK, "the representative sees the case");
    assert!(page.body.contains("Өтінішке қол қойыңыз"), "{}", page.body);
    let r = rep.post_from(&location, &format!("/cases/{number}/application/demo-sign"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let kept = app.store.application_signatures(&number).await.expect("read");
    assert_eq!(kept.iter().map(|k| k.iins.as_str()).collect::<Vec<_>>(), ["900305401113"], "the representative's own");
    let mut officer = Client { app: &app, cookie: None, csrf_cookie: None, lang: "ru" };
    officer.login("officer.astana", "demo-officer").await;
    let seen = officer.get(&format!("/cases/{number}")).await;
    assert!(
        seen.body.contains("Подано представителем")
            && seen.body.contains("900305401113")
            && seen.body.contains("доверенность приложена")
            && seen.body.contains("Подписано представителем заявителя ЭЦП"),
        "{}",
        seen.body
    );
}

/// Registers an applicant with `iin` and opens the application form: its one-time token.
pub(crate) async fn register_and_open_form(
    client: &mut Client<'_>,
    iin: &str,
    surname: &str,
    given: &str,
) -> (String, String) {
    let r = client.enter_by_eds(iin, (surname, given)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let form = client.get("/apply").await;
    let token_at =
        form.body.find(r#"name="form_token" value=""#).expect("token") + r#"name="form_token" value=""#.len();
    (form.body[token_at..token_at + 64].to_owned(), form.body)
}

/// The application form keeps to the edge's limits like every other form: a field that is
/// too long or holds a control character is said beside the field, what was typed is kept,
/// and nothing is filed. Any script a foreign name is written in passes.
#[tokio::test]
async fn the_application_form_refuses_overlong_and_control_characters_and_files_nothing() {
    let app = crate::app().await;
    let mut applicant = Client { app: &app, cookie: None, csrf_cookie: None, lang: "ru" };
    let (token, form) = register_and_open_form(&mut applicant, "900305401113", "Petrova", "Anna").await;
    let page_csrf = csrf(&form);
    let long = "Я".repeat(301);
    let fields = [
        ("service", "issue"),
        ("csrf", page_csrf.as_str()),
        ("form_token", token.as_str()),
        ("akimat", "astana"),
        ("profession", "2512-1"),
        ("surname", long.as_str()),
        ("given_name", "王伟"),
        ("patronymic", "a\u{0}b"),
        ("document_number", "N0054321"),
        ("document_issued_on", "2015-05-01"),
        ("document_issued_by", "MVD"),
        ("address", "Astana, Abay 1"),
        ("phone", "+7 700 000 00 00"),
        ("home_address", "Tashkent"),
        ("home_phone", "+998 00 000 00 00"),
        ("consent", "on"),
    ];
    let (ct, body) = multipart(&fields, &[("doc-identity-document", "passport.pdf", b"%PDF-1.4\n% p\n%%EOF\n")]);
    let r = applicant
        .send(Request::post("/apply").header(header::CONTENT_TYPE, ct).body(Body::from(body)).expect("req"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("Поле «Фамилия» длиннее 300 символов"), "named as labelled: {}", r.body);
    assert!(r.body.contains("Поле «Отчество (при наличии)» содержит управляющие символы"), "{}", r.body);
    assert!(r.body.contains("王伟"), "what was typed is kept");
    let iin = rules::Iin::parse("900305401113").expect("iin");
    assert!(app.store.cases_of(&iin).await.expect("cases").is_empty(), "nothing filed");
}

/// App.2 item 10.2, the attack of issue 13: an IIN is claimed by registration. Registration is
/// by EDS only: no form takes an IIN, a signature proves only the IIN its certificate names,
/// a challenge is signed once, and a signature over anything else is refused.
#[tokio::test]
async fn app_2_item_10_2_an_iin_is_proven_by_eds_never_typed() {
    let app = crate::app().await;
    let mut attacker = Client { app: &app, cookie: None, csrf_cookie: None, lang: "en" };
    let victim = sim::demo::demo_iin(3).to_string();
    let r =
        attacker.post_from("/register", "/register", &[("iin", victim.as_str()), ("password", "s3cret-pass")]).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED, "no form registers a typed IIN");
    assert!(r.set_cookie.is_none());

    // The attacker's own EDS opens the attacker's own account, whatever they wished.
    let own = "900305401113";
    let r = attacker.enter_by_eds(own, ("Attacker", "Own")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let cabinet = attacker.get("/cabinet").await;
    assert!(!cabinet.body.contains(&victim), "nothing of the victim's");

    // A challenge is signed once; a signature over other bytes proves nothing.
    let mut other = Client { app: &app, cookie: None, csrf_cookie: None, lang: "en" };
    let page = other.get("/register").await;
    let (post, content) = eds_box(&page.body);
    let key = app.office.person("Victim Name", Some(&victim)).expect("key");
    let r = other.post_signature(&post, &csrf_of_box(&page.body), &key.sign(b"something else").expect("sign")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("Not genuine"), "{}", r.body);
    let r = other.post_signature(&post, &csrf_of_box(&page.body), &key.sign(&content).expect("sign")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "the challenge was taken by the failed try: {}", r.body);
    assert!(r.body.contains("expired or was used"), "{}", r.body);
    // Without the CSRF header nothing is read.
    let page = other.get("/register").await;
    let (post, content) = eds_box(&page.body);
    let r = other.post_signature(&post, "0".repeat(64).as_str(), &key.sign(&content).expect("sign")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

/// Rules §13: the result is signed with the EDS of the akimat's authorised person. Astana's
/// administrator named its officer (the demo does); a certificate issued after that awaits
/// the officer's own signature, listed in their queue and offered on the case page; the holder
/// gets the PDF but no signature until then. A key that is not the officer's, and an officer
/// who is not the authorised person, are refused. The signed PDF says which kind of signature
/// it carries, and OpenSSL verifies it; an akimat without an authorised person signs with its
/// information system key, and its PDF says that instead.
#[tokio::test]
async fn rules_13_the_authorised_person_signs_the_certificate_with_their_own_eds() {
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let number = crate::api::forwarded_case(&app).await;
    let case_number = rules::numbers::CaseNumber::parse(&number).expect("number");
    let now = jiff::Timestamp::now();
    let members: Vec<String> = (1..=3).map(|m| format!("demo-member-astana-{m}")).collect();
    let commission = rules::Actor {
        id: members[0].clone(),
        role: rules::Role::Commission,
        akimat: Some("astana".into()),
        iin: None,
    };
    let answers = serde_json::from_value(serde_json::json!({"education-level": "higher",
        "education-matches-profession": true, "experience-years": 4, "professional-certificate": false,
        "state-or-russian-language": true}))
    .expect("answers");
    let decide = rules::case::CaseAction::RecordDecision {
        minutes: "13".into(),
        members: members.clone(),
        present: members[..2].to_vec(),
        answers,
        recommendation: rules::case::Recommendation::issue(),
    };
    let act = |action| store::Request::Case { number: case_number.clone(), expected_version: None, action };
    app.store.execute(commission, now, act(decide), None).await.expect("decided");
    let officer_actor = rules::Actor {
        id: "demo-officer-astana".into(),
        role: rules::Role::Officer,
        akimat: Some("astana".into()),
        iin: None,
    };
    app.store
        .execute(
            officer_actor,
            now,
            act(rules::case::CaseAction::Issue { number: rules::case::Unallocated, valid_to: None }),
            None,
        )
        .await
        .expect("issued");
    let case = app.store.case(&number.parse().expect("a case number")).await.expect("read").expect("case");
    let Some(rules::case::Outcome::Issued { certificate }) = &case.outcome else { panic!("issued: {case:?}") };
    let cert = certificate.number.to_string();

    // The holder: the PDF, but its signature is awaited, named and cited.
    let mut holder = Client { app: &app, cookie: None, csrf_cookie: None, lang: "ru" };
    holder.login(&sim::demo::demo_iin(0).to_string(), "demo-applicant").await;
    let awaiting = holder.get(&format!("/certificates/{cert}/files/ru.pdf.p7s")).await;
    assert_eq!(awaiting.status, StatusCode::NOT_FOUND, "{}", awaiting.body);
    assert!(
        awaiting.body.contains("ожидается ЭЦП уполномоченного лица, Aigerim Officer (п. 13 Правил)"),
        "{}",
        awaiting.body
    );
    // Issue 30: nor the PDF, which says it is signed by the authorised person, until it is.
    let pdf = holder.get(&format!("/certificates/{cert}/files/ru.pdf")).await;
    assert_eq!(pdf.status, StatusCode::NOT_FOUND, "{}", pdf.body);
    assert!(pdf.body.contains("ожидается ЭЦП уполномоченного лица"), "{}", pdf.body);
    let case_page = holder.get(&format!("/cases/{number}")).await;
    assert!(case_page.body.contains("ожидается ЭЦП уполномоченного лица"), "{}", case_page.body);
    assert!(case_page.body.contains("подписывается уполномоченным лицом акимата"), "not yet 'issued'");
    let cert_page = holder.get(&format!("/certificates/{cert}")).await;
    assert!(
        cert_page.body.contains("ещё не подписало эту справку") && !cert_page.body.contains(".pdf.p7s"),
        "no dead links"
    );
    assert!(!case_page.body.contains("/result/kk/signature"), "only the authorised person signs");

    // Another officer of the same akimat is not the authorised person.
    let other = store::User {
        id: "u-other-officer".into(),
        login: "other.astana".into(),
        role: rules::Role::Officer,
        akimat: Some("astana".into()),
        iin: Some(sim::demo::demo_iin(900_200)),
        name: "Other Officer".into(),
    };
    let hash = web::hash_password("other-officer").expect("hash");
    app.store.create_user(&other, &hash, now.as_millisecond()).await.expect("created");
    let mut stranger = Client { app: &app, cookie: None, csrf_cookie: None, lang: "en" };
    stranger.login("other.astana", "other-officer").await;
    let page = stranger.get(&format!("/cases/{number}")).await;
    assert!(!page.body.contains("/result/kk/signature"), "{}", page.body);

    // The authorised person: the queue lists it, the case page offers a box per language.
    let mut officer = Client { app: &app, cookie: None, csrf_cookie: None, lang: "ru" };
    officer.login("officer.astana", "demo-officer").await;
    let queue = officer.get("/officer").await;
    assert!(
        queue.body.contains("Результаты, ожидающие вашей подписи") && queue.body.contains(&number),
        "{}",
        queue.body
    );
    let page = officer.get(&format!("/cases/{number}")).await;
    assert!(page.body.contains("Подпишите результат"), "{}", page.body);
    let (post, pdf) = eds_box(&page.body);
    assert!(post.ends_with("/result/kk/signature") && pdf.starts_with(b"%PDF-"), "{post}");
    let token = csrf_of_box(&page.body);
    let someone = app.office.person("Someone Else", Some(&sim::demo::demo_iin(77).to_string())).expect("key");
    let refused = officer.post_signature(&post, &token, &someone.sign(&pdf).expect("sign")).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("чужой ЭЦП"), "{}", refused.body);
    let other_key = app.office.person("Other Officer", Some(&sim::demo::demo_iin(900_200).to_string())).expect("key");
    let not_theirs =
        stranger.post_signature(&post, &csrf_of_box(&page.body), &other_key.sign(&pdf).expect("sign")).await;
    assert_ne!(not_theirs.status, StatusCode::OK, "{}", not_theirs.body);
    let own = app.office.person("Aigerim Officer", Some(&web::demo::officer_iin().to_string())).expect("key");
    for lang in ["kk", "ru"] {
        let page = officer.get(&format!("/cases/{number}")).await;
        let (post, pdf) = eds_box(&page.body);
        assert!(post.ends_with(&format!("/result/{lang}/signature")), "{post}");
        let signed = officer.post_signature(&post, &csrf_of_box(&page.body), &own.sign(&pdf).expect("sign")).await;
        assert_eq!(signed.status, StatusCode::OK, "{}", signed.body);
        assert_eq!(signed.body, format!("/cases/{number}?result-signed=1"));
    }
    let page = officer.get(&format!("/cases/{number}?result-signed=1")).await;
    assert!(page.body.contains("Документ подписан вашей ЭЦП") && !page.body.contains("data-post"), "{}", page.body);
    assert!(!officer.get("/officer").await.body.contains(&format!("/cases/{number}\"")), "signed: off the list");

    // The holder's signed PDF: OpenSSL verifies it, and it says whose kind of signature.
    let dir = app.dir.path().join("result-files");
    std::fs::create_dir_all(&dir).expect("dir");
    let roots = holder.get("/pki/ca.pem").await.bytes;
    let pdf = holder.get(&format!("/certificates/{cert}/files/ru.pdf")).await;
    let sig = holder.get(&format!("/certificates/{cert}/files/ru.pdf.p7s")).await;
    assert_eq!(sig.status, StatusCode::OK, "{}", sig.body);
    openssl_accepts(&dir, &pdf.bytes, &sig.bytes, &roots);
    let signed = app.office.verify(&sig.bytes, &pdf.bytes).expect("verifies");
    assert!(signed.iins.contains(&web::demo::officer_iin().to_string()), "{:?}", signed.iins);
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    if let Some(text) = pdf_text(&dir, &pdf.bytes) {
        assert!(squash(&text).contains(&squash("Документ подписан ЭЦП уполномоченного лица")), "{text}");
        assert!(text.contains("Aigerim Officer"), "{text}");
    }

    // An akimat without an authorised person: the information system key, and the PDF says so.
    let elsewhere =
        app.store.certificates().await.expect("certificates").into_iter().find(|c| c.akimat.as_str() != "astana");
    let elsewhere = elsewhere.expect("a demo certificate of another akimat");
    let mut admin = Client { app: &app, cookie: None, csrf_cookie: None, lang: "ru" };
    admin.login("admin", "demo-admin").await;
    let pdf = admin.get(&format!("/certificates/{}/files/ru.pdf", elsewhere.number)).await;
    assert_eq!(pdf.status, StatusCode::OK);
    if let Some(text) = pdf_text(&dir, &pdf.bytes) {
        assert!(squash(&text).contains(&squash("Документ подписан ЭЦП информационной системы")), "{text}");
    }
    // The administrator may name only an officer of that akimat who has bound their EDS.
    let wrong = admin
        .post_from("/admin", "/admin/signing", &[("akimat", "almaty-city"), ("authorised", "demo-officer-astana")])
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", wrong.body);
    assert!(wrong.body.contains("привязавший свою ЭЦП"), "{}", wrong.body);
    let back = admin.post_from("/admin", "/admin/signing", &[("akimat", "astana"), ("authorised", "")]).await;
    assert!(back.body.contains("Сохранено") && back.body.contains("Ключ информационной системы"), "{}", back.body);
    assert!(app.store.authorised_signer("astana").await.expect("read").is_none());
}

/// Issue 13, done when: a real NCA-issued signature is accepted where the law expects one.
/// The Kalkan-made CMS of an NCA test individual (GOST 2015) verifies on the public page and
/// through the API of an installation that trusts the NCA's test roots (a file `nca-test` in
/// its key directory), and names the signer; one byte changed in the document fails, in
/// words; an installation without that file (production) does not take a test key.
#[tokio::test]
async fn a_real_nca_signature_verifies_where_the_test_roots_are_trusted() {
    let vectors = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../kzpki/tests/fixtures/cms");
    let document = std::fs::read(vectors.join("individual_document.txt")).expect("the Kalkan vector's document");
    let signature = std::fs::read(vectors.join("individual_detached.der")).expect("the Kalkan vector's CMS");
    let mut app = crate::app().await;
    let staging = app.dir.path().join("pki-staging");
    std::fs::create_dir_all(&staging).expect("dir");
    std::fs::write(staging.join("nca-test"), b"").expect("nca-test");
    let production = app.office.clone();
    app.office = std::sync::Arc::new(docs::Office::development(&staging).expect("a staging office"));
    let mut public = Client { app: &app, cookie: None, csrf_cookie: None, lang: "ru" };
    let (ctype, body) =
        multipart(&[], &[("document", "document.txt", &document), ("signature", "document.txt.p7s", &signature)]);
    let r = public
        .send(Request::post("/verify").header(header::CONTENT_TYPE, ctype).body(Body::from(body)).expect("req"))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Подлинный: подпись верна; подписал(а): ТЕСТОВ ТЕСТ"), "{}", r.body);
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    let ask = |document: &[u8]| {
        let body = serde_json::json!({"document": b64.encode(document), "signature": b64.encode(&signature)});
        Request::post("/api/v1/signatures/verify")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .expect("req")
    };
    let answer: serde_json::Value = serde_json::from_str(&public.send(ask(&document)).await.body).expect("json");
    assert_eq!(answer["genuine"], true, "{answer}");
    assert!(answer["signers"].as_array().is_some_and(|s| !s.is_empty()), "{answer}");
    let mut changed = document.clone();
    changed[0] ^= 1;
    let answer: serde_json::Value = serde_json::from_str(&public.send(ask(&changed)).await.body).expect("json");
    assert_eq!(answer["genuine"], false, "{answer}");
    app.office = production;
    let mut public = Client { app: &app, cookie: None, csrf_cookie: None, lang: "ru" };
    let answer: serde_json::Value = serde_json::from_str(&public.send(ask(&document)).await.body).expect("json");
    assert_eq!(answer["genuine"], false, "a production installation does not trust the NCA's test roots: {answer}");
}

/// Issue 14, bug 1: a name of several words keeps its parts as the person's certificate gives
/// them: "De la Cruz" / "Anna Maria" pre-fills the application and the extension form as
/// surname "De la Cruz", given names "Anna Maria" and no patronymic, never split on spaces.
#[tokio::test]
async fn a_name_of_several_words_prefills_as_registered() {
    let app = crate::app().await;
    let mut applicant = Client { app: &app, cookie: None, csrf_cookie: None, lang: "en" };
    let r = applicant.enter_by_eds("900305401113", ("De la Cruz", "Anna Maria")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let input = |body: &str, id: &str| {
        let at = body.find(&format!(r#"id="{id}" name="{id}" value=""#)).unwrap_or_else(|| panic!("{id}: {body}"));
        let rest = &body[at + format!(r#"id="{id}" name="{id}" value=""#).len()..];
        rest[..rest.find('"').expect("quote")].to_owned()
    };
    for page in ["/apply", "/apply?service=extend"] {
        let form = applicant.get(page).await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.body);
        assert_eq!(
            (input(&form.body, "surname"), input(&form.body, "given_name"), input(&form.body, "patronymic")),
            ("De la Cruz".to_owned(), "Anna Maria".to_owned(), String::new()),
            "{page}"
        );
    }
    // A later certificate with a patronymic replaces the parts kept.
    let mut again = Client { app: &app, cookie: None, csrf_cookie: None, lang: "en" };
    let page = again.get("/register").await;
    let (post, content) = eds_box(&page.body);
    let name = docs::PersonName {
        surname: "De la Cruz".into(),
        given_names: "Anna Maria".into(),
        patronymic: Some("José".into()),
    };
    let cms = app.office.person_named(&name, Some("900305401113")).expect("key").sign(&content).expect("sign");
    let r = again.post_signature(&post, &csrf_of_box(&page.body), &cms).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let form = again.get("/apply").await;
    assert_eq!(input(&form.body, "patronymic"), "José");
}

/// Issue 14: the officer's workspace finds a case by number, IIN or name, keeps the archive
/// of finished cases and the totals; nobody else opens it.
#[tokio::test]
async fn the_officer_finds_any_case_of_the_akimat() {
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let mut officer = Client { app: &app, cookie: None, csrf_cookie: None, lang: "kk" };
    officer.login("officer.astana", "demo-officer").await;
    let queue = officer.get("/officer").await;
    assert!(queue.body.contains(r#"href="/officer/cases""#), "{}", queue.body);
    let today = jiff::civil::date(2026, 12, 1);
    let every = app.store.search_cases("astana", &store::CaseSearch::default(), today, 500).await.expect("all");
    let one = every.first().expect("Astana has cases");
    for q in
        [one.number.to_string(), one.application.applicant.iin.to_string(), one.application.applicant.surname.clone()]
    {
        let page = officer.get(&format!("/officer/cases?q={}", web_encode(&q))).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains(&format!(r#"href="/cases/{}""#, one.number)), "{q}: {}", page.body);
        assert!(page.body.contains("табылды") && page.body.contains("Кезеңдер бойынша істер"), "{}", page.body);
    }
    let archive = officer.get("/officer/cases?stage=finished").await;
    use rules::case::State;
    let finished = every.iter().filter(|c| matches!(c.state, State::Completed | State::Refused | State::NotAccepted));
    let finished = finished.count();
    assert!(finished > 0 && archive.body.contains(&format!("{finished} іс табылды")), "{}", archive.body);
    let bad = officer.get("/officer/cases?from=31.02.2026").await;
    assert!(bad.body.contains("КК.АА.ЖЖЖЖ"), "a date that is no date is said so: {}", bad.body);
    // By profession, chosen by name.
    let issue = every.iter().find(|c| c.application.profession.is_some()).expect("an issue");
    let code = issue.application.profession.clone().expect("a profession");
    let page = officer.get(&format!("/officer/cases?profession={code}")).await;
    assert!(page.body.contains(&format!(r#"href="/cases/{}""#, issue.number)), "{}", page.body);
    assert!(page.body.contains(&format!(r#"<option value="{code}" selected>"#)), "{}", page.body);
    // The register of certificates, searched by the holder's IIN.
    let register = officer.get("/officer/certificates").await;
    assert!(register.body.contains("Астана қаласының әкімдігі берген барлық анықтамалар"), "{}", register.body);
    let cert = app.store.certificate_register("astana", "", 1).await.expect("register").pop().expect("one");
    let found = officer.get(&format!("/officer/certificates?q={}", cert.holder.iin)).await;
    assert!(found.body.contains(&format!(r#"href="/certificates/{}""#, cert.number)), "{}", found.body);
    // Generated phrases decline the akimat's name: "акимата города Астаны".
    assert!(queue.body.contains("Астана қаласының әкімдігінің сізді күтіп тұрған өтініштері"), "{}", queue.body);
    officer.lang = "ru";
    let queue = officer.get("/officer?lang=ru").await;
    assert!(queue.body.contains("Заявления акимата города Астаны, ожидающие вас"), "{}", queue.body);
    let public = officer.get(&format!("/verify?number={}&lang=ru", cert.number)).await;
    assert!(public.body.contains("справку выдал акимат города Астаны"), "{}", public.body);
    let mut applicant = Client { app: &app, cookie: None, csrf_cookie: None, lang: "en" };
    applicant.login(&sim::demo::demo_iin(0).to_string(), "demo-applicant").await;
    assert_eq!(applicant.get("/officer/cases").await.status, StatusCode::FORBIDDEN);
    assert_eq!(applicant.get("/officer/certificates").await.status, StatusCode::FORBIDDEN);
}

/// Issue 15: the cabinet's inbox says each step of the person's cases in their language,
/// links to it, and marks read only what the page showed.
#[tokio::test]
async fn the_inbox_tells_the_applicant_each_step() {
    let app = crate::app().await;
    web::demo::create_demo_users(&app.store).await.expect("demo users");
    let iin = sim::demo::demo_iin(0).to_string();
    let mut applicant = Client { app: &app, cookie: None, csrf_cookie: None, lang: "ru" };
    applicant.login(&iin, "demo-applicant").await;
    let notices = app.store.inbox(&iin.parse().expect("an IIN"), 1000).await.expect("inbox");
    assert!(!notices.is_empty(), "the demo applicant's cases have steps");
    let cabinet = applicant.get("/cabinet").await;
    assert!(cabinet.body.contains(&format!("Уведомления (новых: {})", notices.len())), "{}", cabinet.body);
    let inbox = applicant.get("/inbox").await;
    assert_eq!(inbox.status, StatusCode::OK, "{}", inbox.body);
    let (_, number) = notices.iter().find(|n| n.stream.starts_with("case/")).expect("a case's notice").subject();
    assert!(inbox.body.contains(&format!("Заявление {number}: Заявление подано")), "{}", inbox.body);
    assert!(inbox.body.contains(&format!(r#"href="/cases/{number}""#)));
    // A step taken after the page was shown stays unread when the page's notices are marked.
    let newest = notices[0].global_seq;
    crate::file_sample(&app, jiff::Timestamp::now()).await;
    let r = applicant.post("/inbox", &[("csrf", &csrf(&inbox.body)), ("up_to", &newest.to_string())]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        app.store.unread(&iin.parse().expect("an IIN")).await.expect("unread"),
        1,
        "the new filing's notice stays unread"
    );
    let after = applicant.get("/inbox").await;
    assert!(after.body.contains("1 новое уведомление."), "{}", after.body);
    // Someone else's inbox holds nothing of this person's.
    let other = sim::demo::demo_iin(1).to_string();
    assert!(
        app.store
            .inbox(&other.parse().expect("an IIN"), 1000)
            .await
            .expect("inbox")
            .iter()
            .all(|n| !notices.contains(n))
    );
}
