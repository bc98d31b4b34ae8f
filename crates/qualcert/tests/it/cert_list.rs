//! `qualcert certificate list [--status …] [--date …]`: one certificate a line, number first;
//! the filters partition the register; the status is judged on the date asked.

use crate::{data_dir, qualcert, stderr, stdout};

fn list(dir: &std::path::Path, extra: &[&str]) -> Vec<String> {
    let mut args = vec!["certificate", "list"];
    args.extend_from_slice(extra);
    let o = qualcert(dir, &args);
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o).lines().map(str::to_owned).collect()
}

/// R7.1 (revoked), R7.2 (expired), R8.3 (superseded) as the register shows them.
#[test]
fn r7_1_r7_2_r8_3_certificate_list_by_status() {
    let dir = data_dir();
    let d = dir.path();
    let o = qualcert(d, &["demo", "--cases", "30"]);
    assert!(o.status.success(), "{}", stderr(&o));

    let all = list(d, &[]);
    assert!(!all.is_empty());
    for l in &all {
        let number = l.split('\t').next().expect("a number first");
        rules::numbers::CertificateNumber::parse(number).unwrap_or_else(|e| panic!("{number}: {e}"));
    }
    let mut total = 0;
    for (status, word) in
        [("active", "active"), ("expired", "expired"), ("revoked", "revoked"), ("superseded", "superseded")]
    {
        let some = list(d, &["--status", status]);
        assert!(some.iter().all(|l| l.split('\t').nth(1).is_some_and(|s| s.starts_with(word))), "{status}: {some:?}");
        total += some.len();
    }
    assert_eq!(total, all.len(), "every certificate is in exactly one status");
    assert!(!list(d, &["--status", "revoked"]).is_empty(), "the demo revokes some");
    assert!(!list(d, &["--status", "superseded"]).is_empty(), "the demo re-issues some");

    // On the demo's first day nothing had been issued yet; a week later some were, and none
    // had expired or been revoked.
    assert!(list(d, &["--date", "2026-02-02"]).is_empty());
    let early = list(d, &["--date", "2026-02-12"]);
    assert!(!early.is_empty() && early.len() < all.len(), "{early:?}");
    assert!(list(d, &["--status", "revoked", "--date", "2026-02-12"]).is_empty());
    assert!(list(d, &["--status", "expired", "--date", "2026-02-12"]).is_empty());

    let bad = qualcert(d, &["certificate", "list", "--status", "lost"]);
    assert_eq!(bad.status.code(), Some(2));
}
