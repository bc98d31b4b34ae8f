use crate::{data_dir, qualcert, stderr, stdout};

/// R4.1, R4.4, R4.5, R4.7: the parameters in force, each with its citation.
#[test]
fn r4_5_rules_explain_names_the_pass_mark_and_citations() {
    let dir = data_dir();
    let o = qualcert(dir.path(), &["rules", "explain", "--date", "2026-03-02"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let line = |name: &str| {
        out.lines()
            .find(|l| l.trim_start().starts_with(name))
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
    };
    assert_eq!(line("forward_to_commission").as_deref(), Some("forward_to_commission 2 R4.1 [Rules §7]"), "{out}");
    assert_eq!(line("pass_mark_points").as_deref(), Some("pass_mark_points 6 R4.5 [App.2 item 9.2]"), "{out}");
    let early = qualcert(dir.path(), &["rules", "explain", "--date", "2025-06-01"]);
    assert!(!early.status.success());
    assert!(stderr(&early).contains("no rule set is in force on 2025-06-01"));
}
