//! `qualcert pki init|issue`, `sign` and `verify`: a development CA, keys of both kinds, and
//! signatures that the `openssl cms` command accepts and that fail on one changed byte.

use crate::{data_dir, openssl_verifies, qualcert, stderr, stdout};

#[test]
fn pki_sign_verify_round_trip_checked_by_openssl() {
    let dir = data_dir();
    let d = dir.path();
    let init = qualcert(d, &["pki", "init"]);
    assert!(init.status.success(), "{}", stderr(&init));
    let again = qualcert(d, &["pki", "init"]);
    assert_eq!(again.status.code(), Some(2), "a second init must not replace the CA");
    assert!(stderr(&again).contains("already holds a CA"));

    let doc = d.join("certificate.pdf");
    std::fs::write(&doc, b"%PDF-1.7 the certificate's bytes\n").expect("test step");
    for (kind, stem) in [("rsa", "akimat"), ("ec", "commission")] {
        let issue = qualcert(d, &["pki", "issue", "Almaty signer", "--kind", kind, "--stem", stem]);
        assert!(issue.status.success(), "{}", stderr(&issue));
        let key = d.join(format!("pki/{stem}.key.pem"));
        let cert = d.join(format!("pki/{stem}.cert.pem"));
        let sig = d.join(format!("{stem}.p7s"));
        let sign = qualcert(
            d,
            &[
                "sign",
                doc.to_str().expect("utf-8 path"),
                "--key",
                key.to_str().expect("utf-8 path"),
                "--cert",
                cert.to_str().expect("utf-8 path"),
                "--out",
                sig.to_str().expect("utf-8 path"),
            ],
        );
        assert!(sign.status.success(), "{}", stderr(&sign));

        let ok = qualcert(d, &["verify", doc.to_str().expect("utf-8 path"), sig.to_str().expect("utf-8 path")]);
        assert_eq!(ok.status.code(), Some(0), "{kind}: {}{}", stdout(&ok), stderr(&ok));
        assert!(stdout(&ok).contains("genuine"));

        if let Some(o) = openssl_verifies(&sig, &doc, &d.join("pki/ca.cert.pem")) {
            assert!(o.status.success(), "{kind}: openssl: {}", String::from_utf8_lossy(&o.stderr));
        }

        let changed = d.join("changed.pdf");
        let mut bytes = std::fs::read(&doc).expect("test step");
        bytes[5] ^= 1;
        std::fs::write(&changed, bytes).expect("test step");
        let bad = qualcert(d, &["verify", changed.to_str().expect("utf-8 path"), sig.to_str().expect("utf-8 path")]);
        assert_eq!(bad.status.code(), Some(1), "{kind}: a changed byte must fail");
        assert!(stdout(&bad).contains("NOT genuine"), "{}", stdout(&bad));
    }
}

#[test]
fn issue_without_a_ca_says_what_to_do() {
    let dir = data_dir();
    let o = qualcert(dir.path(), &["pki", "issue", "someone"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("qualcert pki init"), "{}", stderr(&o));
}

/// R3.3: an applicant's development key names their IIN as the national CA's do; a mistyped
/// IIN is refused with the failed check; a Commission member's key is found by their name.
#[test]
fn r3_3_pki_issue_for_an_applicant_and_a_member() {
    let dir = data_dir();
    let d = dir.path();
    assert!(qualcert(d, &["pki", "init"]).status.success());
    let bad = qualcert(d, &["pki", "issue", "Ivanova Maria", "--iin", "900101300018"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("--iin 900101300018"), "{}", stderr(&bad));
    let ok = qualcert(d, &["pki", "issue", "Ivanova Maria", "--iin", "900101300017", "--kind", "ec"]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    if let Some(o) = crate::tool(
        std::process::Command::new("openssl")
            .args(["x509", "-noout", "-subject", "-in"])
            .arg(d.join("pki/ivanova-maria.cert.pem")),
    ) {
        let subject = String::from_utf8_lossy(&o.stdout);
        assert!(subject.contains("serialNumber = IIN900101300017"), "{subject}");
    }
    let member = qualcert(d, &["pki", "issue", "Серік Ахметов", "--person"]);
    assert!(member.status.success(), "{}", stderr(&member));
    let stem = docs::Office::person_stem("Серік Ахметов", None);
    assert!(stdout(&member).contains(&format!("{stem}.key.pem")), "{}", stdout(&member));
}
