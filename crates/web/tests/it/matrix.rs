//! The access matrix, generated from the route table: every route of `web::router` (read from
//! its source, so a new route cannot be left out) × every kind of person, each relative to the
//! record the route is about: its owner or another applicant, an officer or Commission member
//! of its akimat or of another, the reviewing body, the administrator, and nobody logged in.
//!
//! The expectation is written from the law, not from the code's access module: an applicant
//! reaches their own records, an akimat's staff their akimat's, the reviewing body complaints
//! and certificates, the administrator everything. Any success outside that fails the test,
//! and so does any server error. A success is a 2xx, or a redirect anywhere but the login page.
//! Form posts carry a valid CSRF token and a plausible form, so an answer of 422 does not hide
//! a missing access check behind a missing field on the routes that matter most.

use std::collections::HashMap;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use rules::{Iin, Role};

use crate::App;
use crate::flow::{Client, Reply, csrf};

/// Who asks, relative to the record in the route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Who {
    Anonymous,
    Owner,
    OtherApplicant,
    OfficerHere,
    OfficerElsewhere,
    MemberHere,
    MemberElsewhere,
    Reviewer,
    Admin,
}

const EVERYONE: [Who; 9] = [
    Who::Anonymous,
    Who::Owner,
    Who::OtherApplicant,
    Who::OfficerHere,
    Who::OfficerElsewhere,
    Who::MemberHere,
    Who::MemberElsewhere,
    Who::Reviewer,
    Who::Admin,
];

/// What a route is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum About {
    Nothing,
    Case,
    Certificate,
    Complaint,
    /// Another person's account or session.
    Account,
}

/// The routes of the router, as (method, path), read from where they are declared: the pages'
/// (`pages/mod.rs`), the API's (`api/mod.rs`) and the application's own (`lib.rs`).
pub(crate) fn route_table() -> Vec<(String, String)> {
    let source = [
        include_str!("../../src/lib.rs"),
        include_str!("../../src/pages/mod.rs"),
        include_str!("../../src/api/mod.rs"),
    ]
    .concat();
    let mut out = Vec::new();
    for chunk in source.split(".route(").skip(1) {
        let end = chunk.find(".layer(").unwrap_or(chunk.len());
        let chunk = &chunk[..end];
        let Some(path) = chunk.split('"').nth(1) else { continue };
        for method in ["get", "post", "put", "delete"] {
            let calls = chunk.matches(&format!("{method}(")).count();
            let calls = calls.saturating_sub(chunk.matches(&format!("_{method}(")).count());
            if calls > 0 {
                out.push((method.to_uppercase(), path.to_owned()));
            }
        }
    }
    out
}

fn about(path: &str) -> About {
    let p = path.trim_start_matches("/api/v1");
    if p.starts_with("/cases/{number}") {
        About::Case
    } else if p.starts_with("/certificates/{number}") {
        About::Certificate
    } else if p.starts_with("/complaints/{number}") {
        About::Complaint
    } else if path.contains("{id}") || path.contains("{handle}") {
        About::Account
    } else {
        About::Nothing
    }
}

fn staff_here(w: Who) -> bool {
    matches!(w, Who::OfficerHere | Who::MemberHere)
}

/// Whether the law lets `w` succeed at `method path`: the most a role may reach.
fn may(method: &str, path: &str, w: Who) -> bool {
    let logged_in = w != Who::Anonymous;
    let applicant = matches!(w, Who::Owner | Who::OtherApplicant);
    let officer = matches!(w, Who::OfficerHere | Who::OfficerElsewhere);
    let member = matches!(w, Who::MemberHere | Who::MemberElsewhere);
    match about(path) {
        // Another person's account or session: only the administrator acts on accounts.
        About::Account => path.starts_with("/admin/") && w == Who::Admin,
        About::Case => match (method, path) {
            // The application is signed by its filer only (App.1).
            (_, p) if p.ends_with("/application/signature") || p.ends_with("/application/demo-sign") => w == Who::Owner,
            ("GET", _) => w == Who::Owner || staff_here(w) || w == Who::Admin,
            (_, p) if p.contains("/minutes/") || p.ends_with("/score") => w == Who::MemberHere,
            (_, p) if p.contains("/result/") => w == Who::OfficerHere,
            // Acting on a case: its akimat's officer, or its applicant (withdrawing, answering).
            _ => w == Who::OfficerHere || w == Who::Owner,
        },
        About::Certificate => match method {
            // The public look-up answers anyone, masked.
            "GET" if path == "/api/v1/certificates/{number}" => true,
            "GET" => w == Who::Owner || staff_here(w) || matches!(w, Who::Reviewer | Who::Admin),
            // Extension, duplicate and re-issue by the holder; revocation by the akimat.
            _ => w == Who::Owner || w == Who::OfficerHere,
        },
        About::Complaint => match method {
            "GET" => w == Who::Owner || w == Who::OfficerHere || matches!(w, Who::Reviewer | Who::Admin),
            _ => w == Who::OfficerHere || w == Who::Reviewer,
        },
        About::Nothing => match path {
            "/"
            | "/calculator"
            | "/status"
            | "/verify"
            | "/pki/ca.pem"
            | "/login"
            | "/register"
            | "/eds/enter"
            | "/eds/demo-enter"
            | "/api/v1/status"
            | "/api/v1/calculator"
            | "/api/v1/signatures/verify"
            | "/api/v1/openapi.json"
            | "/healthz"
            | "/favicon.ico"
            | "/favicon.svg"
            | "/readyz"
            | "/service-levels" => true,
            "/api/v1/sessions" if method == "POST" => true,
            // Signing with eGov mobile: a request is bound to the browser that made it (its
            // session or form token) and the phone's calls to the request's bearer token, so
            // anyone may ask, and nobody reaches another's request.
            "/mobile" | "/mobile/{request}/result" | "/egov/{request}" | "/egov/{request}/documents" => true,
            p if p.starts_with("/static/") => true,
            "/logout" | "/account" | "/account/eds" | "/account/demo-bind" | "/account/password"
            | "/account/sessions" | "/api/v1/sessions" | "/inbox" | "/account/notices" | "/account/access"
            | "/api/v1/me/access" => logged_in,
            "/cabinet"
            | "/apply"
            | "/complaints/new"
            | "/api/v1/applications"
            | "/api/v1/documents"
            | "/api/v1/complaints" => applicant,
            "/officer" | "/officer/cases" | "/officer/certificates" | "/officer/alerts" => officer,
            "/commission" => member,
            // Reports are counts and rates with no person in them: every staff role, any akimat.
            "/reports" | "/reports/sla.csv" | "/reports/sla.xlsx" | "/api/v1/reports/sla" => logged_in && !applicant,
            "/reviewer" => w == Who::Reviewer,
            "/api/v1/queue" => officer || member || w == Who::Reviewer,
            p if p.starts_with("/admin") || p == "/metrics" => w == Who::Admin,
            other => panic!("the matrix has no rule for {method} {other}: add one from the law"),
        },
    }
}

const PASSWORD: &str = "matrix-Kestrel-41-margin";

/// The people of the matrix and their logged-in clients.
struct People<'a> {
    app: &'a App,
    clients: HashMap<String, Client<'a>>,
    tokens: HashMap<String, String>,
}

impl<'a> People<'a> {
    async fn account(&mut self, login: &str, role: Role, akimat: Option<&str>, iin: Option<Iin>) {
        if self.app.store.account_by_login(login).await.expect("read").is_none() {
            let user = store::User {
                id: format!("m-{login}"),
                login: login.to_owned(),
                role,
                akimat: akimat.map(Into::into),
                iin,
                name: format!("Matrix {login}"),
            };
            let hash = web::hash_password(PASSWORD).expect("hash");
            self.app.store.create_user(&user, &hash, 0).await.expect("account");
        }
    }

    /// The login of `w` relative to a record of `owner` at `akimat`, and its account made.
    async fn login_of(&mut self, w: Who, owner: &Iin, other: &Iin, akimat: &str, elsewhere: &str) -> Option<String> {
        let (login, role, at, iin) = match w {
            Who::Anonymous => return None,
            Who::Owner => (owner.to_string(), Role::Applicant, None, Some(owner.clone())),
            Who::OtherApplicant => (other.to_string(), Role::Applicant, None, Some(other.clone())),
            Who::OfficerHere => (format!("officer.{akimat}"), Role::Officer, Some(akimat), None),
            Who::OfficerElsewhere => (format!("officer.{elsewhere}"), Role::Officer, Some(elsewhere), None),
            Who::MemberHere => (format!("member.{akimat}"), Role::Commission, Some(akimat), None),
            Who::MemberElsewhere => (format!("member.{elsewhere}"), Role::Commission, Some(elsewhere), None),
            Who::Reviewer => ("matrix.reviewer".to_owned(), Role::Reviewer, None, None),
            Who::Admin => ("matrix.admin".to_owned(), Role::Administrator, None, None),
        };
        self.account(&login, role, at, iin).await;
        Some(login)
    }

    async fn client(&mut self, login: Option<&str>) -> &mut Client<'a> {
        let key = login.unwrap_or("").to_owned();
        if !self.clients.contains_key(&key) {
            let mut c = Client { app: self.app, cookie: None, csrf_cookie: None, lang: "ru" };
            if let Some(l) = login {
                c.login(l, PASSWORD).await;
            }
            self.clients.insert(key.clone(), c);
        }
        self.clients.get_mut(&key).expect("just made")
    }

    async fn token(&mut self, login: &str) -> String {
        if let Some(t) = self.tokens.get(login) {
            return t.clone();
        }
        let mut c = Client { app: self.app, cookie: None, csrf_cookie: None, lang: "ru" };
        let body = serde_json::json!({"login": login, "password": PASSWORD}).to_string();
        let req = Request::post("/api/v1/sessions")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .expect("req");
        let r = c.send(req).await;
        assert_eq!(r.status, StatusCode::CREATED, "{login}: {}", r.body);
        let v: serde_json::Value = serde_json::from_str(&r.body).expect("json");
        let t = v["token"].as_str().expect("token").to_owned();
        self.tokens.insert(login.to_owned(), t.clone());
        t
    }
}

/// The records the routes are about, each with its owner and akimat.
struct Subject {
    number: String,
    owner: Iin,
    akimat: String,
}

#[tokio::test]
async fn issue_13_access_matrix_from_the_route_table() {
    let app = crate::app().await;
    let store = &app.store;
    // A case, a certificate and a complaint, with their owners and akimats.
    let mut cases = Vec::new();
    for n in 0..60 {
        cases.extend(store.cases_of(&sim::demo::demo_iin(n)).await.expect("cases"));
    }
    let case = cases.first().expect("demo cases");
    let case = Subject {
        number: case.number.to_string(),
        owner: case.application.applicant.iin.clone(),
        akimat: case.application.akimat.to_string(),
    };
    let certificate = store.first_certificate().await.expect("read").expect("a demo certificate");
    let certificate = Subject {
        number: certificate.number.to_string(),
        owner: certificate.holder.iin.clone(),
        akimat: certificate.akimat.to_string(),
    };
    let mut complaint = None;
    for n in 0..60 {
        if let Some(c) = store.complaints_of(&sim::demo::demo_iin(n)).await.expect("complaints").into_iter().next() {
            complaint = Some(Subject {
                number: c.number.to_string(),
                owner: c.filing.complainant.clone(),
                akimat: c.filing.akimat.to_string(),
            });
            break;
        }
    }
    let stranger = sim::demo::demo_iin(59_999);
    let mut people = People { app: &app, clients: HashMap::new(), tokens: HashMap::new() };
    // Another person's session, and the account an administrator acts on.
    people.account("matrix.victim", Role::Officer, Some("astana"), None).await;
    let victim_token = people.token("matrix.victim").await;
    let victim_id = store.account_by_login("matrix.victim").await.expect("read").expect("made").user.id;
    let victim_handle = {
        let mut c = Client { app: &app, cookie: None, csrf_cookie: None, lang: "ru" };
        let req = Request::get("/api/v1/sessions")
            .header(header::AUTHORIZATION, format!("Bearer {victim_token}"))
            .body(Body::empty())
            .expect("req");
        let v: serde_json::Value = serde_json::from_str(&c.send(req).await.body).expect("json");
        v[0]["handle"].as_str().expect("handle").to_owned()
    };

    let mut routes = route_table();
    assert!(routes.len() > 60, "the route table was read: {routes:?}");
    // What logs people out goes last, so it does not end the sessions the others use.
    routes.sort_by_key(|(m, p)| p == "/logout" || (m == "DELETE" && p.starts_with("/api/v1/sessions")));
    let mut failures = Vec::new();
    let mut tried = 0;
    let mut succeeded = std::collections::HashSet::new();
    for (method, template) in &routes {
        let subject = match about(template) {
            About::Case => Some(&case),
            About::Certificate => Some(&certificate),
            About::Complaint => complaint.as_ref(),
            About::Account | About::Nothing => None,
        };
        if about(template) == About::Complaint && subject.is_none() {
            continue;
        }
        let (owner, akimat) =
            subject.map_or((stranger.clone(), "astana".to_owned()), |s| (s.owner.clone(), s.akimat.clone()));
        let elsewhere = if akimat == "shymkent" { "kostanay" } else { "shymkent" };
        let path = template
            .replace("{number}", subject.map_or("X", |s| s.number.as_str()))
            .replace("{lang}", "ru")
            .replace("{name}", if template.starts_with("/cases") { "application-ru.pdf" } else { "ru.pdf" })
            .replace("{file}", "record.json")
            .replace("{sha}", &"0".repeat(64))
            .replace("{id}", &victim_id)
            .replace("{handle}", &victim_handle)
            .replace("{request}", &"0".repeat(32));
        for w in EVERYONE {
            let login = people.login_of(w, &owner, &stranger, &akimat, elsewhere).await;
            let reply = if template.starts_with("/api/") {
                let token = match &login {
                    Some(l) => Some(people.token(l).await),
                    None => None,
                };
                let mut b = Request::builder().method(method.as_str()).uri(&path);
                if let Some(t) = token {
                    b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
                }
                let body = if method == "GET" { Body::empty() } else { Body::from("{}") };
                let req = b
                    .header(header::CONTENT_TYPE, "application/json")
                    .header("idempotency-key", format!("matrix-{tried}"))
                    .body(body)
                    .expect("req");
                let mut c = Client { app: &app, cookie: None, csrf_cookie: None, lang: "ru" };
                c.send(req).await
            } else {
                let client = people.client(login.as_deref()).await;
                match method.as_str() {
                    "GET" => client.get(&path).await,
                    _ => {
                        let page = if login.is_some() { "/account" } else { "/login" };
                        let mut html = client.get(page).await.body;
                        if !html.contains(r#"name="csrf""#) {
                            // Logged out by an earlier row (its session was ended).
                            html = client.get("/login").await.body;
                        }
                        let token = csrf(&html);
                        let form = plausible_form(template, &token);
                        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                        client.post(&path, &pairs).await
                    }
                }
            };
            tried += 1;
            let success = reply.status.is_success()
                || reply.status.is_redirection() && !reply.location.as_deref().unwrap_or("").starts_with("/login");
            if success {
                succeeded.insert((method.clone(), template.clone(), w));
            }
            if reply.status.is_server_error() {
                failures.push(format!("{method} {path} as {w:?}: {} {}", reply.status, short(&reply)));
            } else if success && !may(method, template, w) {
                failures.push(format!(
                    "{method} {path} as {w:?} succeeded ({}) where the law gives no right",
                    reply.status
                ));
            }
        }
    }
    assert!(tried > 500, "{tried} requests");
    // The people were who the matrix says: each reached what is theirs (else every row would
    // pass as a refusal and prove nothing).
    for (method, path, w) in [
        ("GET", "/cases/{number}", Who::Owner),
        ("GET", "/cases/{number}", Who::OfficerHere),
        ("GET", "/cases/{number}", Who::MemberHere),
        ("GET", "/api/v1/cases/{number}", Who::Owner),
        ("GET", "/certificates/{number}", Who::Owner),
        ("GET", "/certificates/{number}", Who::Reviewer),
        ("GET", "/cabinet", Who::OtherApplicant),
        ("GET", "/officer", Who::OfficerElsewhere),
        ("GET", "/commission", Who::MemberElsewhere),
        ("GET", "/reviewer", Who::Reviewer),
        ("GET", "/admin/audit", Who::Admin),
        ("GET", "/api/v1/queue", Who::OfficerHere),
        ("GET", "/api/v1/sessions", Who::Owner),
    ] {
        assert!(
            succeeded.contains(&(method.to_owned(), path.to_owned(), w)),
            "{method} {path} as {w:?} should succeed"
        );
    }
    if complaint.is_some() {
        assert!(succeeded.contains(&("GET".to_owned(), "/complaints/{number}".to_owned(), Who::Reviewer)));
    }
    assert!(failures.is_empty(), "{} of {tried}:\n{}", failures.len(), failures.join("\n"));
}

/// The fields a person acting on the route would send: an act on a case or certificate, a
/// score, a complaint's decision. Unknown fields are ignored by the forms that do not take
/// them.
fn plausible_form(template: &str, token: &str) -> Vec<(&'static str, String)> {
    let mut f = vec![("csrf", token.to_owned())];
    if template.ends_with("/act") {
        f.extend([("action", "register".to_owned()), ("version", "1".to_owned())]);
    }
    if template.ends_with("/score") {
        f.extend([("version", "1".to_owned())]);
    }
    f
}

fn short(r: &Reply) -> String {
    r.body.chars().take(200).collect()
}
