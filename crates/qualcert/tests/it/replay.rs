//! Issue 36: decisions replayed under the law and the calendar of their day. Every step of
//! the demo's cases agrees with what was recorded; after a calendar correction is imported, a
//! registration's due date no longer does, and the replay names the field.

use crate::{data_dir, qualcert, stderr, stdout};

#[test]
fn issue_36_a_replay_finds_a_difference_after_a_calendar_correction() {
    let dir = data_dir();
    let o = qualcert(dir.path(), &["demo", "--cases", "12", "--start", "2026-02-02"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let number = "Z-AST-2026-000001-K";
    let o = qualcert(dir.path(), &["case", "replay", number, "--json"]);
    assert!(o.status.success(), "every step agrees: {}", stdout(&o));
    let r: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(r["differs"], 0, "{r}");
    let steps = r["steps"].as_array().expect("steps");
    assert!(steps.len() >= 2 && steps.iter().all(|s| s["verdict"] == "agrees"), "{r}");
    assert!(steps.iter().any(|s| s["event"] == "registered"), "{r}");
    // The Minister moves a day off onto Tuesday 3 February 2026 (Saturday 7 February worked):
    // every term that ran over it now ends a working day later.
    let shipped = include_str!("../../../rules/data/calendar/2026.toml");
    let corrected = format!(
        "{shipped}\n[[transfer]]\nworked = \"2026-02-07\"\noff = \"2026-02-03\"\nbasis = \"a correction, for the test\"\n"
    );
    let file = dir.path().join("2026-corrected.toml");
    std::fs::write(&file, corrected).expect("write");
    let o = qualcert(dir.path(), &["calendar", "import", file.to_str().expect("utf-8")]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let o = qualcert(dir.path(), &["case", "replay", number]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("differs: due"), "{}", stdout(&o));
}

/// Issue 36: a rule change tried on the real caseload. A copy of the shipped set under a new
/// id changes nothing; a pass mark raised to 9 changes the Commission's decisions.
#[test]
fn issue_36_rules_impact_counts_what_a_change_would_change() {
    let dir = data_dir();
    let o = qualcert(dir.path(), &["demo", "--cases", "24", "--start", "2026-02-02"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let shipped = include_str!("../../../rules/data/rule-sets.toml");
    let copy = shipped.replace("id = \"order-236-as-amended-by-426\"", "id = \"proposal\"");
    let same = dir.path().join("same.toml");
    std::fs::write(&same, &copy).expect("write");
    let o = qualcert(dir.path(), &["rules", "impact", same.to_str().expect("utf-8"), "--format", "json"]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert!(v["cases"].as_u64().is_some_and(|n| n >= 24), "{v}");
    assert_eq!(
        (v["outcomes_changed"].as_u64(), v["deadlines_changed"].as_u64(), v["overdue_changed"].as_u64()),
        (Some(0), Some(0), Some(0)),
        "{v}"
    );
    let raised =
        copy.replace("pass_mark_points             = { value = 6,", "pass_mark_points             = { value = 9,");
    assert_ne!(raised, copy, "the pass mark line was found");
    let file = dir.path().join("raised.toml");
    std::fs::write(&file, raised).expect("write");
    let o = qualcert(dir.path(), &["rules", "impact", file.to_str().expect("utf-8"), "--format", "json"]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert!(v["outcomes_changed"].as_u64().is_some_and(|n| n > 0), "{v}");
    assert!(v["examples"].as_array().is_some_and(|e| !e.is_empty()), "{v}");
    // The audit after a change: the period replayed under what is held now agrees.
    let o = qualcert(dir.path(), &["audit", "replay", "--json"]);
    assert!(o.status.success(), "{}", stdout(&o));
    // A malformed file is one line naming what is wrong, and changes nothing.
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "kind = \"rule-sets\"\n[[set]]\nid = 3\n").expect("write");
    let o = qualcert(dir.path(), &["rules", "impact", bad.to_str().expect("utf-8")]);
    assert!(!o.status.success());
    assert_eq!(stderr(&o).trim().lines().count(), 1, "{}", stderr(&o));
}
