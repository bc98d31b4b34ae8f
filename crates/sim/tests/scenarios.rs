//! The legal scenarios in `scenarios/` (docs/scenarios.md), played through the real service
//! layer: every one must hold, every requirement R3.1–R12.2 and every item of the lawyer's
//! reading (issue 11) has one, and a wrong expectation is reported, not passed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn scenario_files() -> Vec<PathBuf> {
    sim::scenario::collect(&[root().join("scenarios")]).expect("scenarios/")
}

#[tokio::test(flavor = "multi_thread")]
async fn every_scenario_holds() {
    let scratch = tempfile::tempdir().expect("scratch");
    let files = scenario_files();
    assert!(files.len() >= 48, "{} scenario files", files.len());
    let mut failures = Vec::new();
    for file in &files {
        let report = sim::scenario::run_file(file, scratch.path()).await;
        assert!(report.steps > 0, "{} played no step", file.display());
        if !report.passed() {
            failures.push(format!("{}:\n{}", file.display(), report.lines.join("\n")));
        }
    }
    assert!(failures.is_empty(), "unmet scenarios:\n{}", failures.join("\n"));
}

/// Every requirement of REQUIREMENTS.md has a scenario that cites it.
#[test]
fn every_requirement_has_a_scenario() {
    let spec = std::fs::read_to_string(root().join("../shared/spec/REQUIREMENTS.md"));
    let mut cited = BTreeSet::new();
    for file in scenario_files() {
        let table: toml::Table = std::fs::read_to_string(&file).expect("read").parse().expect("TOML");
        for c in table["cites"].as_array().expect("cites") {
            cited.insert(c.as_str().expect("text").to_owned());
        }
    }
    let numbers: BTreeSet<String> = match spec {
        Ok(text) => text
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
            .filter(|w| {
                w.strip_prefix('R').is_some_and(|rest| {
                    let mut parts = rest.trim_end_matches('.').split('.');
                    parts.next().is_some_and(|a| a.parse::<u32>().is_ok())
                        && parts.next().is_some_and(|b| b.parse::<u32>().is_ok())
                })
            })
            .map(|w| w.trim_end_matches('.').to_owned())
            .collect(),
        // Without the spec beside the checkout, the numbers it had when this was written.
        Err(_) => (3..=12)
            .flat_map(|s| {
                let n = [0, 0, 0, 8, 8, 2, 2, 2, 3, 2, 4, 2, 2][s];
                (1..=n).map(move |k| format!("R{s}.{k}"))
            })
            .collect(),
    };
    assert!(numbers.len() >= 35, "{numbers:?}");
    let uncited: Vec<_> = numbers.iter().filter(|n| !cited.contains(*n)).collect();
    assert!(uncited.is_empty(), "requirements without a scenario: {uncited:?}");
}

/// Each of the 15 findings of the lawyer's reading has its scenario file (`item-NN-…`).
#[test]
fn every_item_of_the_reading_has_a_scenario() {
    let names: Vec<String> =
        scenario_files().iter().filter_map(|f| f.file_name()?.to_str().map(str::to_owned)).collect();
    for item in 1..=15 {
        let prefix = format!("item-{item:02}-");
        assert!(names.iter().any(|n| n.starts_with(&prefix)), "no scenario for item {item}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unmet_expectation_names_the_step_and_the_difference() {
    let scratch = tempfile::tempdir().expect("scratch");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/unmet-scenario.toml");
    let report = sim::scenario::run_file(&fixture, scratch.path()).await;
    assert!(!report.passed());
    assert_eq!(report.failures.len(), 1, "{:?}", report.failures);
    let f = &report.failures[0];
    assert!(f.starts_with("step 2 ") && f.contains("expected due = 2026-04-09, found 2026-04-08"), "{f}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_key_is_an_error_not_a_silent_pass() {
    let scratch = tempfile::tempdir().expect("scratch");
    let file = scratch.path().join("typo.toml");
    std::fs::write(
        &file,
        "title = \"t\"\ncites = [\"R3.1\"]\n[[step]]\nat = \"2026-04-06T10:00:00+05:00\"\ndo = \"apply\"\nexpect = { stat = \"submitted\" }\n",
    )
    .expect("write");
    let report = sim::scenario::run_file(&file, scratch.path()).await;
    assert!(!report.passed());
    assert!(report.failures[0].contains("unknown key `stat`"), "{:?}", report.failures);
}
