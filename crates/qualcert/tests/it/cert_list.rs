//! `qualcert certificate list [--status …] [--date …]`: one certificate a line, number first;
//! the filters partition the register; the status is judged on the date asked.

use crate::{data_dir, openssl_verifies, qualcert, stderr, stdout, tool};

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

/// R11.1 through the CLI: `certificate export` writes the PDF, its signature and the CA; the
/// PDF names the holder and the number, and `openssl cms -verify` accepts the signature.
#[test]
fn r11_1_certificate_export_checked_by_openssl() {
    let dir = data_dir();
    let d = dir.path();
    let o = qualcert(d, &["demo", "--cases", "8"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let number = list(d, &[])[0].split('\t').next().expect("number").to_owned();

    let out = d.join("export");
    let no_key = qualcert(d, &["certificate", "export", &number, "--out", out.to_str().expect("utf-8")]);
    assert_eq!(no_key.status.code(), Some(2));
    assert!(stderr(&no_key).contains("qualcert pki init"), "{}", stderr(&no_key));

    assert!(qualcert(d, &["pki", "init"]).status.success());
    assert!(qualcert(d, &["pki", "issue", "Almaty authorised person", "--stem", "signer"]).status.success());
    let o = qualcert(d, &["certificate", "export", &number, "--out", out.to_str().expect("utf-8"), "--lang", "ru"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let pdf = out.join(format!("{number}.pdf"));
    let sig = out.join(format!("{number}.pdf.p7s"));
    assert!(std::fs::read(&pdf).expect("pdf").starts_with(b"%PDF-"));

    if let Some(o) = openssl_verifies(&sig, &pdf, &out.join("ca.pem")) {
        assert!(o.status.success(), "openssl: {}", String::from_utf8_lossy(&o.stderr));
    }
    let first = std::fs::read(&sig).expect("signature");
    let again = out.join("again");
    let o = qualcert(d, &["certificate", "export", &number, "--out", again.to_str().expect("utf-8"), "--lang", "ru"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read(again.join(format!("{number}.pdf.p7s"))).expect("signature"), first, "made once, kept");
    if let Some(o) = tool(std::process::Command::new("pdftotext").arg(&pdf).arg("-")) {
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(text.contains(&number), "{text}");
        assert!(text.contains("Справка о соответствии"), "{text}");
        assert!(text.contains("Almaty authorised person"), "the signer is named: {text}");
    }

    let dup = qualcert(d, &["certificate", "export", &number, "--out", out.to_str().expect("utf-8"), "--duplicate"]);
    assert_eq!(dup.status.code(), Some(2), "no duplicate was issued of the first certificate");
    assert!(stderr(&dup).contains("R9.2"), "{}", stderr(&dup));
}

/// R4.4, R4.6 through the CLI: `case export` writes a refused case's application, minutes (a
/// signature per member present) and reasoned refusal, each accepted by `openssl cms`.
#[test]
fn r4_6_case_export_checked_by_openssl() {
    let dir = data_dir();
    let d = dir.path();
    assert!(qualcert(d, &["demo", "--cases", "12"]).status.success());
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let refused = rt.block_on(async {
        let store = store::Store::open(store::Config::in_data_dir(d), store::Reference::embedded().expect("reference"))
            .await
            .expect("store");
        let mut found = None;
        for i in 0..12 {
            for c in store.cases_of(&sim::demo::demo_iin(i)).await.expect("cases") {
                if c.state == rules::case::State::Refused && c.decision.is_some() {
                    found.get_or_insert(c);
                }
            }
        }
        found.expect("the demo refuses on the Commission's recommendation")
    });
    let number = refused.number.to_string();
    let out = d.join("case");
    let no_key = qualcert(d, &["case", "export", &number, "--out", out.to_str().expect("utf-8")]);
    assert_eq!(no_key.status.code(), Some(2));
    assert!(stderr(&no_key).contains("qualcert pki init"), "{}", stderr(&no_key));
    assert!(qualcert(d, &["pki", "init"]).status.success());
    assert!(qualcert(d, &["pki", "issue", "Authorised person", "--stem", "signer"]).status.success());
    let o = qualcert(d, &["case", "export", &number, "--out", out.to_str().expect("utf-8"), "--lang", "ru"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let written = stdout(&o);
    // The members sign the minutes' record with their own EDS (Rules §9): the service signs
    // no PDF on their behalf.
    assert!(written.lines().any(|l| l.ends_with("-minutes-ru.pdf")), "{written}");
    assert!(!written.lines().any(|l| l.contains("-minutes-ru.pdf.") && l.ends_with(".p7s")), "{written}");
    let ca = out.join("ca.pem");
    for (pdf, sig) in [(format!("{number}-refusal-ru.pdf"), format!("{number}-refusal-ru.pdf.p7s"))] {
        if let Some(o) = openssl_verifies(&out.join(&sig), &out.join(&pdf), &ca) {
            assert!(o.status.success(), "{sig}: {}", String::from_utf8_lossy(&o.stderr));
        }
    }
    assert!(out.join(format!("{number}-application-ru.pdf")).is_file());
    let bad = qualcert(d, &["case", "export", "Z-AST-2026-000001-X", "--out", out.to_str().expect("utf-8")]);
    assert_eq!(bad.status.code(), Some(2));
}
