//! Black-box tests of the `qualcert` binary: the command forms the issues fix, run as a
//! person or a script would run them, each on a fresh data directory.

mod calendar;
mod cert_list;
mod crash;
mod id;
mod pki;
mod rules_explain;
mod rules_import;
mod store_cli;

use std::path::Path;
use std::process::{Command, Output};

/// Runs `qualcert --data DIR ARGS…`.
pub(crate) fn qualcert(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qualcert"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("QUALCERT_DATA")
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
