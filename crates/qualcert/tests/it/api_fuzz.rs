//! The API against its own OpenAPI document, by schemathesis (PyPI): a demo service started
//! as operations would, and a bounded number of generated requests per operation, positive
//! and negative. Passing means no server error, no status or content type the document does
//! not list, no response that breaks its schema, no request the schema allows refused as
//! invalid, and no request it forbids accepted.

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
    let hooks = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/schemathesis");
    let run = Command::new("st")
        .args(["run", &format!("{base}/api/v1/openapi.json"), "--checks", "all", "--max-examples", "25"])
        .args(["--workers", "2", "--seed", "426", "--no-color"])
        .env("SCHEMATHESIS_HOOKS", "hooks")
        .env("PYTHONPATH", hooks)
        .output();
    let _ = child.kill();
    let _ = child.wait();
    let run = run.expect("st ran");
    let out = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "schemathesis found problems:\n{out}\n{}", String::from_utf8_lossy(&run.stderr));
}
