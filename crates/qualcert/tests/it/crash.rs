//! Crash safety: SIGKILL a process running 64 concurrent writers; after a restart every
//! acknowledged command is there and the hash chain verifies.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::{data_dir, stdout};

fn crash_and_check(database: Option<String>) {
    let dir = data_dir();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_qualcert"));
    cmd.arg("--data").arg(dir.path());
    if let Some(url) = &database {
        cmd.arg("--database").arg(url);
    }
    let mut child = cmd
        .args(["stress", "--writers", "64", "--seconds", "60"])
        .env_remove("QUALCERT_DATA")
        .env_remove("QUALCERT_DATABASE")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut acked = Vec::new();
    let start = Instant::now();
    while acked.len() < 400 && start.elapsed() < Duration::from_secs(20) {
        match lines.next() {
            Some(Ok(line)) => {
                if let Some(n) = line.strip_prefix("ack ") {
                    acked.push(n.to_owned());
                }
            }
            _ => break,
        }
    }
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");
    // Whatever the child wrote after our last read may also be acknowledged: read it all.
    for line in lines.map_while(Result::ok) {
        if let Some(n) = line.strip_prefix("ack ") {
            acked.push(n.to_owned());
        }
    }
    assert!(acked.len() >= 64, "the writers got going: {} acknowledged", acked.len());

    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let config = match &database {
            Some(url) => store::Config::with_url(url, dir.path()),
            None => store::Config::in_data_dir(dir.path()),
        };
        let s = store::Store::open(config, store::Reference::embedded().expect("ref"))
            .await
            .expect("reopens after the crash");
        for number in &acked {
            assert!(
                s.case(&number.parse().expect("a case number")).await.expect("read").is_some(),
                "acknowledged {number} was lost"
            );
        }
    });
    let mut verify = Command::new(env!("CARGO_BIN_EXE_qualcert"));
    verify.arg("--data").arg(dir.path());
    if let Some(url) = &database {
        verify.arg("--database").arg(url);
    }
    let o = verify.args(["audit", "verify"]).env_remove("QUALCERT_DATABASE").output().expect("runs");
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(stdout(&o).contains("the hash chain is intact"));
}

#[test]
fn sigkill_loses_nothing_acknowledged_sqlite() {
    crash_and_check(None);
}

#[test]
fn sigkill_loses_nothing_acknowledged_postgres() {
    let Some(url) = crate::fresh_pg_database(&format!("qc_crash_{}", std::process::id())) else { return };
    crash_and_check(Some(url));
}
