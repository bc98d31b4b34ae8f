use crate::{data_dir, qualcert, stderr, stdout};

/// R12.1: `calendar workdays YEAR` prints twelve `YYYY-MM N` lines and `YYYY total N`.
#[test]
fn r12_1_workdays_form() {
    let dir = data_dir();
    let o = qualcert(dir.path(), &["calendar", "workdays", "2026"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 13);
    assert_eq!(lines[0], "2026-01 19");
    assert_eq!(lines[2], "2026-03 18");
    assert_eq!(lines[12], "2026 total 246");
    let sum: u32 =
        lines[..12].iter().map(|l| l.split(' ').nth(1).and_then(|n| n.parse::<u32>().ok()).expect("N")).sum();
    assert_eq!(sum, 246);
}

/// Labour Code art. 85 and the transfers: `calendar days YEAR` lists the exceptions.
#[test]
fn labour_code_art_85_days_form() {
    let dir = data_dir();
    let o = qualcert(dir.path(), &["calendar", "days", "2025"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    for line in out.lines() {
        let date = line.split(' ').next().expect("date");
        assert!(jiff::civil::Date::strptime("%Y-%m-%d", date).is_ok(), "{line}");
        assert!(line.len() > 11, "a reason follows the date: {line}");
    }
    assert!(out.lines().any(|l| l.starts_with("2025-01-05 ") && l.contains("working day")));
    assert!(out.lines().any(|l| l.starts_with("2025-01-03 ")));
    assert!(out.lines().any(|l| l.starts_with("2025-03-24 ") && l.contains("Labour Code art. 85")));
}

/// App.2 item 7 and R12.2 through the CLI, text and JSON.
#[test]
fn app2_item7_due_json_and_text() {
    let dir = data_dir();
    let o = qualcert(
        dir.path(),
        &["calendar", "due", "--received", "2026-03-20T18:45:00+05:00", "--working-days", "2", "--json"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(v["received_on"], "2026-03-26");
    assert_eq!(v["due_on"], "2026-03-30");
    assert_eq!(v["received_basis"], "App.2 item 7");
    let o = qualcert(dir.path(), &["calendar", "due", "--received", "2026-03-02T03:00:00Z", "--working-days", "5"]);
    let out = stdout(&o);
    assert!(out.contains("received on  2026-03-02"), "{out}");
    assert!(out.contains("due on       2026-03-10"), "{out}");
    assert!(out.contains("2026-03-09 Mon  skipped") && out.contains("Labour Code art. 85"), "{out}");
}

#[test]
fn errors_are_one_line_and_never_a_panic() {
    let dir = data_dir();
    let o =
        qualcert(dir.path(), &["calendar", "due", "--received", "2027-12-29T10:00:00+05:00", "--working-days", "5"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("no data for 2028"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let o = qualcert(dir.path(), &["calendar", "workdays", "2019"]);
    assert!(!o.status.success());
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
    let o = qualcert(dir.path(), &["calendar", "due", "--received", "yesterday", "--working-days", "5"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("RFC 3339"));
}

/// A year imported without a rebuild answers questions about it; a bad one is refused and
/// nothing is written.
#[test]
fn import_extends_the_calendar() {
    let dir = data_dir();
    let file = dir.path().join("2028-upload.toml");
    std::fs::write(
        &file,
        "kind = \"year\"\nyear = 2028\n[[dated]]\nholiday = \"kurban-ait\"\ndate = \"2028-05-05\"\nprovisional = false\n",
    )
    .expect("write");
    let before = qualcert(dir.path(), &["calendar", "workdays", "2028"]);
    assert!(!before.status.success());
    let o = qualcert(dir.path(), &["calendar", "import", file.to_str().expect("utf-8 path")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let after = qualcert(dir.path(), &["calendar", "workdays", "2028"]);
    assert!(after.status.success(), "{}", stderr(&after));
    assert!(stdout(&after).lines().last().is_some_and(|l| l.starts_with("2028 total ")));
    let days = stdout(&qualcert(dir.path(), &["calendar", "days", "2028"]));
    assert!(days.contains("2028-05-05 Kurban Ait"), "{days}");
    // 2027 (provisional in the shipped data) is warned about on stderr.
    assert!(stderr(&qualcert(dir.path(), &["calendar", "workdays", "2027"])).contains("provisional"));

    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "kind = \"year\"\nyear = 2029\n").expect("write");
    let o = qualcert(dir.path(), &["calendar", "import", bad.to_str().expect("utf-8 path")]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("kurban-ait"), "{}", stderr(&o));
    assert!(!dir.path().join("calendar/2029.toml").exists());
}
