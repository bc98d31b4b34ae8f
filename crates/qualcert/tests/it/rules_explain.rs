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

/// Issue 33: `--lang kk|ru` says the frame and the citations in that language.
#[test]
fn issue_33_rules_explain_speaks_kazakh_and_russian() {
    let dir = data_dir();
    for (lang, frame, citation) in [
        ("ru", "сроки (рабочие дни):", "[п. 7 Правил]"),
        ("kk", "мерзімдер (жұмыс күндері):", "[Қағидалардың 7-тармағы]"),
    ] {
        let o = qualcert(dir.path(), &["rules", "explain", "--date", "2026-03-02", "--lang", lang]);
        assert!(o.status.success(), "{}", stderr(&o));
        let out = stdout(&o);
        assert!(out.lines().any(|l| l == frame), "{lang}: {out}");
        assert!(out.contains(citation), "{lang}: {out}");
        for english in ["deadlines (working days)", "[Rules §", "pass mark:", "refusal grounds", "working hours until"]
        {
            assert!(!out.contains(english), "{lang} keeps {english:?}: {out}");
        }
    }
}
