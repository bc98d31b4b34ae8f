//! Issue 35: PostgreSQL frozen (SIGSTOP, as a network partition leaves it) during writes. A
//! command in the writer when the database stops answering is answered within the writer's
//! bound as of unknown fate, not held for the whole freeze; after the database answers again
//! the store recovers by itself, a retry with the same idempotency key does the work at most
//! once, nothing acknowledged is lost, and the chain verifies.
//!
//! The freeze runs on a PostgreSQL cluster of its own (`.ci/postgres` on another port), so the
//! other tests' server is never stopped.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use store::{Config, Reference, Store, StoreError};

use crate::{applicant, at, submit};

/// A throwaway cluster on its own port and folder, stopped and removed when dropped.
struct Cluster {
    dir: PathBuf,
    port: u16,
    url: String,
}

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.ci/postgres")
}

impl Cluster {
    fn start() -> Option<Cluster> {
        // Below Linux's ephemeral range (32768 up): a port there can be taken by any client
        // connection of the suite, and once was ("Address already in use").
        let port = 20_000 + (std::process::id() % 10_000) as u16;
        let dir = std::env::temp_dir().join(format!("qualcert-pg-freeze-{}", std::process::id()));
        let out = Command::new(script())
            .arg("start")
            .env("QUALCERT_PG_PORT", port.to_string())
            .env("QUALCERT_PG_DIR", &dir)
            .output()
            .ok()?;
        if !out.status.success() {
            eprintln!("note: a second PostgreSQL cluster did not start: {}", String::from_utf8_lossy(&out.stderr));
            let _ = std::fs::remove_dir_all(&dir);
            return None;
        }
        let url = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        Some(Cluster { dir, port, url })
    }

    /// The postmaster and every process it started: what a frozen host stops.
    fn processes(&self) -> Vec<u32> {
        let pid_file = std::fs::read_to_string(self.dir.join("postmaster.pid")).expect("postmaster.pid");
        let postmaster: u32 = pid_file.lines().next().and_then(|l| l.trim().parse().ok()).expect("a pid");
        let mut all = vec![postmaster];
        for entry in std::fs::read_dir("/proc").expect("/proc").flatten() {
            let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
            let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
            // The parent's pid is the second field after the parenthesised name.
            let ppid = stat.rsplit_once(')').and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse::<u32>().ok());
            if ppid == Some(postmaster) {
                all.push(pid);
            }
        }
        all
    }

    fn signal(&self, signal: &str) {
        for pid in self.processes() {
            let _ = Command::new("kill").args([signal, &pid.to_string()]).status();
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.signal("-CONT");
        let _ = Command::new(script())
            .arg("stop")
            .env("QUALCERT_PG_PORT", self.port.to_string())
            .env("QUALCERT_PG_DIR", &self.dir)
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn issue_35_a_frozen_postgres_answers_fate_unknown_and_recovers() {
    // Only where the tests have PostgreSQL at all.
    if crate::pg_url().await.is_none() {
        return;
    }
    let cluster = Cluster::start().expect("a cluster of its own (CI has PostgreSQL)");
    let data = tempfile::tempdir().expect("tmp");
    let s = Store::open(Config::with_url(&cluster.url, data.path()), Reference::embedded().expect("reference"))
        .await
        .expect("opens");
    let first = s.execute(applicant(1), at("2026-03-02T05:00:00Z"), submit(&s, 1).await, Some("k1")).await;
    let first = first.expect("filed before the freeze");
    // Frozen while the next filing is in the writer.
    let request = submit(&s, 2).await;
    cluster.signal("-STOP");
    let started = Instant::now();
    let frozen = s.execute(applicant(2), at("2026-03-02T05:01:00Z"), request.clone(), Some("k2")).await;
    let waited = started.elapsed();
    assert!(matches!(frozen, Err(StoreError::FateUnknown(_))), "{frozen:?}");
    assert!(waited < Duration::from_secs(20), "answered within the writer's bound, not after the freeze: {waited:?}");
    cluster.signal("-CONT");
    // The store recovers by itself: the retry with the same key does the work once.
    let mut retried = None;
    for _ in 0..40 {
        let r = s.execute(applicant(2), at("2026-03-02T05:01:00Z"), request.clone(), Some("k2")).await;
        match r {
            Ok(applied) => {
                retried = Some(applied);
                break;
            }
            Err(StoreError::Unavailable(_) | StoreError::FateUnknown(_) | StoreError::Busy(_)) => {
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            Err(e) => panic!("after the freeze: {e}"),
        }
    }
    retried.expect("the store answers again after the freeze");
    assert_eq!(s.cases_of(&crate::iin(2)).await.expect("read").len(), 1, "filed once, whatever the freeze did");
    // Nothing acknowledged is lost, and the chain is whole.
    assert_eq!(s.cases_of(&crate::iin(1)).await.expect("read").len(), 1, "{first:?}");
    let v = s.verify(&|_| {}).await.expect("verified");
    assert!(v.broken.is_none(), "{v:?}");
}
