//! The API against its own OpenAPI document, by schemathesis (PyPI): a demo service started
//! as operations would, and a bounded number of generated requests per operation, positive
//! and negative, once anonymously and once with a session of each role (most operations
//! answer only 401 without one). Passing means no server error, no status or content type the
//! document does not list, no response that breaks its schema, no request the schema allows
//! refused as unreadable, and no request it forbids accepted.
//!
//! "Refused as unreadable" is the hooks' own check (`tests/schemathesis/hooks.py`), used in
//! place of schemathesis's `positive_data_acceptance`: that one counts every 422 against the
//! schema, but a 422 where the law refuses what was read (a document never uploaded, with
//! its paragraph) is the service's job, and no schema can say which documents exist.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::data_dir;

#[test]
fn the_api_keeps_its_openapi_document_under_schemathesis() {
    let st = Command::new("st").arg("--version").output();
    if st.as_ref().map_or(true, |o| !o.status.success()) {
        assert!(std::env::var_os("QUALCERT_REQUIRE_TOOLS").is_none(), "CI must install schemathesis");
        eprintln!("note: schemathesis (st) is not installed; the API was not fuzzed");
        return;
    }
    let dir = data_dir();
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_qualcert"))
        .arg("--data")
        .arg(dir.path())
        .args(["serve", "--demo", "--port", &port.to_string()])
        .env_remove("QUALCERT_DATA")
        .env_remove("QUALCERT_DATABASE")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts");
    let base = format!("http://127.0.0.1:{port}");
    let agent = ureq::Agent::new_with_config(ureq::Agent::config_builder().http_status_as_error(false).build());
    let start = Instant::now();
    while !agent.get(&format!("{base}/readyz")).call().is_ok_and(|r| r.status() == 200) {
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("the demo service did not come up");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let roles: [Option<(&str, &str)>; 6] = [
        None,
        Some(("700101300005", "demo-applicant")),
        Some(("officer.astana", "demo-officer")),
        Some(("member1.astana", "demo-member")),
        Some(("reviewer", "demo-reviewer")),
        Some(("admin", "demo-admin")),
    ];
    // One process per role, side by side: each runs one worker, because hypothesis's lambda
    // descriptions are not safe across threads on Python 3.11 (an intermittent "AST constructor
    // recursion depth mismatch" runtime error).
    let runs: Vec<_> = roles
        .iter()
        .map(|role| {
            let mut st = schemathesis(&base);
            if let Some((login, password)) = role {
                let token = session(&agent, &base, login, password);
                st.args(["-H", &format!("Authorization: Bearer {token}")]);
            }
            let st = st.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("st starts");
            (role.map_or("anonymous", |r| r.0), st)
        })
        .collect();
    let runs: Vec<_> = runs.into_iter().map(|(who, st)| (who, st.wait_with_output())).collect();
    let _ = child.kill();
    let _ = child.wait();
    let failed: Vec<String> = runs
        .into_iter()
        .filter_map(|(who, run)| {
            let run = run.expect("st ran");
            (!run.status.success()).then(|| {
                format!("as {who}:\n{}\n{}", String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr))
            })
        })
        .collect();
    assert!(failed.is_empty(), "schemathesis found problems:\n{}", failed.join("\n"));
}

fn schemathesis(base: &str) -> Command {
    let hooks = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/schemathesis");
    let mut st = Command::new("st");
    st.args(["run", &format!("{base}/api/v1/openapi.json"), "--checks", "all"])
        .args(["--exclude-checks", "positive_data_acceptance", "--max-examples", "25"])
        .args(["--workers", "1", "--seed", "426", "--no-color"])
        .env("SCHEMATHESIS_HOOKS", "hooks")
        .env("PYTHONPATH", hooks);
    st
}

/// A bearer token for a demo account.
fn session(agent: &ureq::Agent, base: &str, login: &str, password: &str) -> String {
    let mut answer = agent
        .post(&format!("{base}/api/v1/sessions"))
        .header("Content-Type", "application/json")
        .send(serde_json::json!({ "login": login, "password": password }).to_string())
        .expect("logs in");
    assert_eq!(answer.status(), 201, "the demo account {login} logs in");
    let body: serde_json::Value =
        serde_json::from_str(&answer.body_mut().read_to_string().expect("a body")).expect("a session");
    body["token"].as_str().expect("a token").to_owned()
}
