use crate::{data_dir, qualcert, stderr, stdout};

/// R4.5: the official criteria are a data change: imported, in force from their date, the
/// sample marker gone; a bad file is refused and nothing is written.
#[test]
fn r4_5_criteria_import_is_a_data_change() {
    let dir = data_dir();
    let file = dir.path().join("official.toml");
    std::fs::write(
        &file,
        r#"kind = "criteria"
[[set]]
id = "official-2027"
effective_from = "2027-01-01"
sample = false
title = "Criteria of Rules §10"
[[set.criterion]]
id = "experience-years"
citation = "Rules §10 item 1"
question = { kk = "Өтілі", ru = "Стаж", en = "Experience" }
kind = "years"
bands = [ { min = 0, points = 0 }, { min = 2, points = 6 } ]
"#,
    )
    .expect("write");
    let o = qualcert(dir.path(), &["rules", "import", file.to_str().expect("utf-8")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let before = stdout(&qualcert(dir.path(), &["rules", "explain", "--date", "2026-12-31"]));
    assert!(before.contains("criteria: sample-2026") && before.contains("SAMPLE"), "{before}");
    let after = stdout(&qualcert(dir.path(), &["rules", "explain", "--date", "2027-01-01"]));
    assert!(after.contains("criteria: official-2027 (from 2027-01-01)\n"), "{after}");
    assert!(after.contains("from 2 years: 6 points"), "{after}");

    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "kind = \"criteria\"\n[[set]]\nid = \"x\"\n").expect("write");
    let o = qualcert(dir.path(), &["rules", "import", bad.to_str().expect("utf-8")]);
    assert!(!o.status.success());
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
    assert!(!dir.path().join("rules/criteria-bad.toml").exists());
}
