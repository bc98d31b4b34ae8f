//! `qualcert serve` as operations see it: JSON logs with the request id and no personal
//! data, and SIGTERM stopping it gracefully with exit status 0.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::data_dir;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

/// `qualcert serve` on `port` over the data directory `data`, not yet started.
fn serve_command(data: &std::path::Path, port: u16) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_qualcert"));
    c.arg("--data")
        .arg(data)
        .args(["serve", "--port", &port.to_string()])
        .env_remove("QUALCERT_DATA")
        .env_remove("QUALCERT_DATABASE")
        .stdout(Stdio::null());
    c
}

/// Waits until the service on `port` answers `/readyz`.
fn wait_ready(agent: &ureq::Agent, port: u16) {
    let start = Instant::now();
    while !agent.get(&format!("http://127.0.0.1:{port}/readyz")).call().is_ok_and(|r| r.status() == 200) {
        assert!(start.elapsed() < Duration::from_secs(60), "the service on port {port} came up");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn sigterm_stops_gracefully_and_logs_are_json_with_the_request_id() {
    let dir = data_dir();
    let port = free_port();
    let mut child = serve_command(dir.path(), port)
        .env("QUALCERT_LOG_FORMAT", "json")
        .env("RUST_LOG", "info")
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let base = format!("http://127.0.0.1:{port}");
    let agent = ureq::Agent::new_with_config(ureq::Agent::config_builder().http_status_as_error(false).build());
    wait_ready(&agent, port);
    let r = agent.get(&format!("{base}/status?number=900305401113")).header("X-Request-Id", "ops-check-42").call();
    let r = r.expect("answer");
    assert_eq!(r.headers().get("x-request-id").and_then(|v| v.to_str().ok()), Some("ops-check-42"));
    assert_eq!(r.headers().get("cache-control").and_then(|v| v.to_str().ok()), Some("no-store"));
    let r = agent.get(&format!("{base}/healthz")).header("X-Request-Id", "bad id; /evil").call().expect("answer");
    let id = r.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert!(id.len() == 16 && id.bytes().all(|b| b.is_ascii_hexdigit()), "an unsafe id is replaced: {id}");
    assert_eq!(agent.get(&format!("{base}/metrics")).call().expect("answer").status(), 403, "metrics not public");

    let started = Instant::now();
    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().expect("kill");
    assert!(status.success());
    let mut exited = None;
    while started.elapsed() < Duration::from_secs(20) {
        if let Some(s) = child.try_wait().expect("wait") {
            exited = Some(s);
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let exited = exited.unwrap_or_else(|| {
        let _ = child.kill();
        let _ = child.wait();
        panic!("SIGTERM did not stop the service within 20 s")
    });
    assert!(exited.success(), "exit status 0 after SIGTERM: {exited:?}");
    let mut log = String::new();
    child.stderr.take().expect("stderr").read_to_string(&mut log).expect("log");
    let lines: Vec<serde_json::Value> = log.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    assert!(!lines.is_empty(), "JSON log lines: {log}");
    let answered = lines
        .iter()
        .find(|l| l["span"]["id"] == "ops-check-42")
        .unwrap_or_else(|| panic!("a line of request ops-check-42 in {log}"));
    assert_eq!(answered["span"]["route"], "/status");
    assert!(!log.contains("900305401113"), "no IIN in the log");
    assert!(log.contains("stopped"), "the stop is logged");
}

/// Kills the node when the test ends, whatever happens.
struct Node(std::process::Child);

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Two nodes started together on one empty PostgreSQL database both come up (migrations
/// are serialised), and one client's look-ups are limited across both: 60 a minute in all,
/// not 60 on each.
#[test]
fn two_nodes_on_one_postgres_share_their_rate_limits() {
    let Some(url) = crate::fresh_pg_database(&format!("qc_nodes_{}", std::process::id())) else { return };
    let dir = data_dir();
    let ports = [free_port(), free_port()];
    let _nodes: Vec<Node> = ports
        .iter()
        .map(|port| {
            Node(
                Command::new(env!("CARGO_BIN_EXE_qualcert"))
                    .arg("--data")
                    .arg(dir.path())
                    .args(["--database", &url, "serve", "--port", &port.to_string()])
                    .env_remove("QUALCERT_DATA")
                    .env_remove("QUALCERT_DATABASE")
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .expect("starts"),
            )
        })
        .collect();
    let agent = ureq::Agent::new_with_config(ureq::Agent::config_builder().http_status_as_error(false).build());
    let start = Instant::now();
    for port in ports {
        while !agent.get(&format!("http://127.0.0.1:{port}/readyz")).call().is_ok_and(|r| r.status() == 200) {
            assert!(start.elapsed() < Duration::from_secs(60), "node on port {port} came up");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    // The shared count is per wall-clock minute: start well inside one.
    let second = jiff::Timestamp::now().as_second().rem_euclid(60);
    if second > 45 {
        std::thread::sleep(Duration::from_secs(u64::try_from(61 - second).unwrap_or(15)));
    }
    let lookup = |i: usize| {
        let port = ports[i % 2];
        agent.get(&format!("http://127.0.0.1:{port}/verify?number=AST-2026-00000001")).call().expect("answer")
    };
    for i in 0..60 {
        assert_ne!(lookup(i).status(), 429, "look-up {} of the minute's 60 is admitted", i + 1);
    }
    for i in 60..62 {
        let r = lookup(i);
        assert_eq!(r.status(), 429, "look-up {} is refused on node {}", i + 1, i % 2);
        assert!(r.headers().get("retry-after").is_some(), "and says when to come back");
    }
}

/// Issue 35: a client that sends its headers a byte at a time, or stops halfway, does not keep
/// the process from stopping: SIGTERM ends it within 15 s whatever the clients do.
#[test]
fn a_slow_client_does_not_hold_up_sigterm() {
    use std::io::Write as _;
    let dir = data_dir();
    let port = free_port();
    let mut child = serve_command(dir.path(), port).stderr(Stdio::null()).spawn().expect("starts");
    let agent = ureq::Agent::new_with_config(ureq::Agent::config_builder().http_status_as_error(false).build());
    wait_ready(&agent, port);
    // One client stalls in its headers, another in its body.
    let mut headers = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    headers.write_all(b"GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ").expect("partial headers");
    let mut body = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    body.write_all(b"POST /api/v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
        .expect("partial body");
    std::thread::sleep(Duration::from_millis(300));
    let stopping = Instant::now();
    assert!(Command::new("kill").args(["-TERM", &child.id().to_string()]).status().expect("kill").success());
    let mut exited = None;
    while stopping.elapsed() < Duration::from_secs(20) {
        if let Some(s) = child.try_wait().expect("wait") {
            exited = Some(s);
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let took = stopping.elapsed();
    // Reaped either way: a no-op when it stopped, the end of it when it did not.
    let _ = child.kill();
    let _ = child.wait();
    assert!(exited.is_some() && took < Duration::from_secs(15), "stopped in {took:?}");
    drop((headers, body));
}

/// Issue 35: a client that stalls in its headers, or keeps a connection open without a next
/// request, is cut off after the header-read bound (10 s), not left holding a connection.
#[test]
fn a_stalled_or_idle_connection_is_closed() {
    use std::io::Write as _;
    let dir = data_dir();
    let port = free_port();
    let mut child = serve_command(dir.path(), port).stderr(Stdio::null()).spawn().expect("starts");
    let agent = ureq::Agent::new_with_config(ureq::Agent::config_builder().http_status_as_error(false).build());
    wait_ready(&agent, port);
    let closed_within = |mut stream: std::net::TcpStream| -> Option<Duration> {
        let start = Instant::now();
        stream.set_read_timeout(Some(Duration::from_secs(30))).expect("timeout");
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf) {
                Ok(0) => return Some(start.elapsed()),
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return Some(start.elapsed()),
                Err(_) => return None,
            }
        }
    };
    let mut stalled = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stalled.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ").expect("partial headers");
    let mut idle = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").expect("a whole request");
    let idle_closed = std::thread::spawn(move || closed_within(idle));
    let stalled_closed = closed_within(stalled);
    let idle_closed = idle_closed.join().expect("thread");
    let _ = child.kill();
    let _ = child.wait();
    for (what, closed) in [("stalled in its headers", stalled_closed), ("idle after its answer", idle_closed)] {
        let took = closed.unwrap_or_else(|| panic!("a connection {what} was never closed"));
        assert!(took >= Duration::from_secs(5) && took < Duration::from_secs(20), "{what}: closed after {took:?}");
    }
}
