//! Black-box tests of the `qualcert` binary: the command forms the issues fix, run as a
//! person or a script would run them, each on a fresh data directory.

mod api_fuzz;
mod calendar;
mod cert_list;
mod crash;
mod gost;
mod house;
mod id;
mod pki;
mod replay;
mod rules_explain;
mod rules_import;
mod serve;
mod store_cli;

use std::path::Path;
use std::process::{Command, Output};

/// A new, empty database on the PostgreSQL server `QUALCERT_TEST_PG` names, called `name`
/// (dropped first if a run before left it); `None` when no server is given, which CI
/// (`QUALCERT_REQUIRE_PG`) does not allow.
pub(crate) fn fresh_pg_database(name: &str) -> Option<String> {
    let Ok(admin) = std::env::var("QUALCERT_TEST_PG") else {
        assert!(
            std::env::var_os("QUALCERT_REQUIRE_PG").is_none(),
            "QUALCERT_REQUIRE_PG is set but QUALCERT_TEST_PG is not"
        );
        return None;
    };
    tokio::runtime::Runtime::new().expect("runtime").block_on(async {
        use sqlx::{Connection, Executor};
        sqlx::any::install_default_drivers();
        let mut c = sqlx::AnyConnection::connect(&admin).await.expect("server");
        c.execute(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))).await.expect("drop");
        c.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).await.expect("create");
    });
    Some(format!("{}/{name}", admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b)))
}

/// Runs `qualcert --data DIR ARGS…`.
pub(crate) fn qualcert(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qualcert"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("QUALCERT_DATA")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C.UTF-8")
        .output()
        .expect("the binary runs")
}

pub(crate) fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8")
}

pub(crate) fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("utf-8")
}

/// A fresh, empty data directory.
pub(crate) fn data_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// Runs an external tool the tests check with; `None` when it is missing outside CI (in CI,
/// where `QUALCERT_REQUIRE_TOOLS` is set, a missing tool fails the test).
pub(crate) fn tool(cmd: &mut Command) -> Option<Output> {
    match cmd.output() {
        Ok(o) => Some(o),
        Err(e) => {
            let name = cmd.get_program().to_string_lossy().into_owned();
            assert!(std::env::var_os("QUALCERT_REQUIRE_TOOLS").is_none(), "CI must install {name}: {e}");
            eprintln!("{name} not found; skipping that check");
            None
        }
    }
}

/// `openssl cms -verify` of a detached DER signature against a CA file: the independent check
/// every signature qualcert makes must pass; `None` without the command outside CI.
pub(crate) fn openssl_verifies(signature: &Path, content: &Path, ca: &Path) -> Option<Output> {
    tool(
        Command::new("openssl")
            .args(["cms", "-verify", "-binary", "-inform", "DER", "-in"])
            .arg(signature)
            .arg("-content")
            .arg(content)
            .arg("-CAfile")
            .arg(ca)
            .args(["-out", "/dev/null"]),
    )
}
