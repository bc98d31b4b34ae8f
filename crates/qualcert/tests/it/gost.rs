//! `qualcert verify` and `sign` with the national CA's GOST: the Kalkan vectors, the test
//! keys (PKCS #12), the test CRL, a local GOST CA, and unusable input, as a person runs them.

use std::path::PathBuf;

use crate::{data_dir, qualcert, stderr, stdout};

fn fixture(path: &str) -> String {
    let p: PathBuf = [env!("CARGO_MANIFEST_DIR"), "..", "kzpki", "tests", "fixtures", path].iter().collect();
    p.to_str().expect("utf-8 path").to_owned()
}

fn qualcert_env(data: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_qualcert"));
    c.arg("--data")
        .arg(data)
        .args(args)
        .env_remove("QUALCERT_DATA")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C.UTF-8");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("the binary runs")
}

#[test]
fn the_kalkan_vectors_verify_through_the_command() {
    let dir = data_dir();
    let d = dir.path();
    let (doc, detached, attached) = (
        fixture("cms/individual_document.txt"),
        fixture("cms/individual_detached.der"),
        fixture("cms/individual_attached.der"),
    );
    let ok = qualcert(d, &["verify", "--nca-test", &doc, &detached]);
    assert_eq!(ok.status.code(), Some(0), "{}{}", stdout(&ok), stderr(&ok));
    let text = stdout(&ok);
    for want in [
        "genuine",
        "IIN: 123456789011",
        "GOST R 34.10-2015 (512)",
        "time-stamp: 2026-07-20T09:08:07Z (by TIME-STAMPING AUTHORITY)",
        "judged at: 2026-07-20T09:08:07Z (time-stamp)",
    ] {
        assert!(text.contains(want), "{want} missing from {text}");
    }
    let json = qualcert(d, &["verify", "--nca-test", "--json", &attached]);
    assert_eq!(json.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&json)).expect("one JSON object");
    assert_eq!(v["valid"], true);
    assert_eq!(v["attached"], true);
    assert_eq!(v["signers"][0]["iin"], "123456789011");
    assert_eq!(v["signers"][0]["holder"], "individual");
    // Without the test roots the NCA's test keys are not trusted.
    let untrusted = qualcert(d, &["verify", &doc, &detached]);
    assert_eq!(untrusted.status.code(), Some(1));
    assert!(stdout(&untrusted).contains("is not trusted"), "{}", stdout(&untrusted));
    // Trusting the test roots by file works as the flag does.
    // (Kalkan puts only the signer's certificate in; the issuing CA comes from the trust.)
    let (root, ca) = (fixture("test/root_test_gost_2022.cer"), fixture("test/nca_gost2022_test.cer"));
    let by_file = qualcert(d, &["verify", "--trust", &root, "--trust", &ca, &doc, &detached]);
    assert_eq!(by_file.status.code(), Some(0), "{}", stdout(&by_file));
}

#[test]
fn unusable_input_is_one_line_and_exit_2() {
    let dir = data_dir();
    let d = dir.path();
    let doc = fixture("cms/individual_document.txt");
    let sig = std::fs::read(fixture("cms/individual_detached.der")).expect("fixture");
    let truncated = d.join("truncated.p7s");
    std::fs::write(&truncated, &sig[..sig.len() / 2]).expect("write");
    let garbage = d.join("garbage.p7s");
    std::fs::write(&garbage, b"\x30\x82\xff\xff nonsense").expect("write");
    for bad in [&truncated, &garbage] {
        let o = qualcert(d, &["verify", "--nca-test", &doc, bad.to_str().expect("utf-8")]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"));
    }
    // A detached signature without its file.
    let o = qualcert(d, &["verify", "--nca-test", &fixture("cms/individual_detached.der")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("give the signed file"), "{}", stderr(&o));
    // A wrong password.
    let out = d.join("x.p7s");
    let o = qualcert_env(
        d,
        &["sign", &doc, "--p12", &fixture("p12/individual.p12"), "--out", out.to_str().expect("utf-8")],
        &[("QUALCERT_P12_PASSWORD", "wrong")],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("wrong password"), "{}", stderr(&o));
    let o = qualcert_env(d, &["sign", &doc, "--p12", &fixture("p12/individual.p12")], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("QUALCERT_P12_PASSWORD"), "{}", stderr(&o));
}

/// The NCA's test keys expired in 2024–2025: a signature made today is refused, and an
/// audit as of a day inside their validity accepts it.
#[test]
fn pkcs12_keys_sign_and_verify_at_an_instant_inside_their_validity() {
    let dir = data_dir();
    let d = dir.path();
    let doc = d.join("order.txt");
    std::fs::write(&doc, "Приказ акимата № 1").expect("write");
    let doc = doc.to_str().expect("utf-8").to_owned();
    let sig = d.join("order.txt.p7s");
    let sig = sig.to_str().expect("utf-8").to_owned();
    let p12 = fixture("p12/information_system.p12");
    let o = qualcert_env(
        d,
        &["sign", &doc, "--p12", &p12, "--password-env", "AKIMAT_KEY_PASSWORD"],
        &[("AKIMAT_KEY_PASSWORD", "Qwerty12")],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let today = qualcert(d, &["verify", "--nca-test", &doc, &sig]);
    assert_eq!(today.status.code(), Some(1));
    assert!(stdout(&today).contains("expired"), "{}", stdout(&today));
    let audit = qualcert(d, &["verify", "--nca-test", "--at", "2025-05-01T00:00:00Z", &doc, &sig]);
    assert_eq!(audit.status.code(), Some(0), "{}", stdout(&audit));
    assert!(stdout(&audit).contains("BIN: 123456789021"), "{}", stdout(&audit));
    // Attached.
    let att = d.join("att.p7s");
    let att = att.to_str().expect("utf-8");
    let o = qualcert_env(
        d,
        &["sign", &doc, "--p12", &p12, "--attached", "--out", att],
        &[("QUALCERT_P12_PASSWORD", "Qwerty12")],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = qualcert(d, &["verify", "--nca-test", "--at", "2025-05-01T00:00:00Z", att]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn an_imported_crl_refuses_a_revoked_key() {
    let dir = data_dir();
    let d = dir.path();
    let import = qualcert(d, &["pki", "crl", "import", "--nca-test", &fixture("test/nca_gost2022_test.crl")]);
    assert!(import.status.success(), "{}", stderr(&import));
    assert!(stdout(&import).contains("54 revoked"), "{}", stdout(&import));
    // Not signed by a trusted CA without the test roots.
    let refused = qualcert(data_dir().path(), &["pki", "crl", "import", &fixture("test/nca_gost2022_test.crl")]);
    assert_eq!(refused.status.code(), Some(2));
    let doc = d.join("doc.txt");
    std::fs::write(&doc, "x").expect("write");
    let doc = doc.to_str().expect("utf-8").to_owned();
    let o = qualcert_env(
        d,
        &["sign", &doc, "--p12", &fixture("p12/legal_entity_employee.p12")],
        &[("QUALCERT_P12_PASSWORD", "Qwerty12")],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let sig = format!("{doc}.p7s");
    let v = qualcert(d, &["verify", "--nca-test", "--at", "2025-03-01T00:00:00Z", &doc, &sig]);
    assert_eq!(v.status.code(), Some(1));
    assert!(stdout(&v).contains("revoked on 2024-10-29T11:45:53Z"), "{}", stdout(&v));
}

#[test]
fn a_local_gost_ca_signs_through_the_same_code() {
    let dir = data_dir();
    let d = dir.path();
    let init = qualcert(d, &["pki", "init", "--gost"]);
    assert!(init.status.success(), "{}", stderr(&init));
    let issue = qualcert(d, &["pki", "issue", "Ivanova Maria", "--iin", "900101300017"]);
    assert!(issue.status.success(), "{}", stderr(&issue));
    let with_kind = qualcert(d, &["pki", "issue", "Someone", "--kind", "rsa"]);
    assert_eq!(with_kind.status.code(), Some(2));
    let doc = d.join("application.pdf");
    std::fs::write(&doc, b"%PDF-1.7 application").expect("write");
    let doc = doc.to_str().expect("utf-8").to_owned();
    let key = d.join("pki/ivanova-maria.key.pem");
    let cert = d.join("pki/ivanova-maria.cert.pem");
    let o =
        qualcert(d, &["sign", &doc, "--key", key.to_str().expect("utf-8"), "--cert", cert.to_str().expect("utf-8")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v = qualcert(d, &["verify", &doc, &format!("{doc}.p7s")]);
    assert_eq!(v.status.code(), Some(0), "{}", stdout(&v));
    assert!(stdout(&v).contains("IIN: 900101300017"), "{}", stdout(&v));
    std::fs::write(&doc, b"%PDF-1.7 applicatioN").expect("write");
    let v = qualcert(d, &["verify", &doc, &format!("{doc}.p7s")]);
    assert_eq!(v.status.code(), Some(1));
}

/// Reports and unusable-input lines in the person's language: `--lang`, else the locale.
#[test]
fn verify_speaks_kazakh_and_russian() {
    let dir = data_dir();
    let d = dir.path();
    let changed = d.join("changed.txt");
    let mut bytes = std::fs::read(fixture("cms/individual_document.txt")).expect("fixture");
    bytes[0] ^= 1;
    std::fs::write(&changed, bytes).expect("write");
    let changed = changed.to_str().expect("utf-8").to_owned();
    let sig = fixture("cms/individual_detached.der");
    let ru = qualcert(d, &["verify", "--nca-test", "--lang", "ru", &changed, &sig]);
    assert_eq!(ru.status.code(), Some(1));
    let text = stdout(&ru);
    assert!(text.contains("подпись НЕ подлинная") && text.contains("документ не совпадает с подписанным"), "{text}");
    let ok = qualcert(d, &["verify", "--nca-test", "--lang", "ru", &fixture("cms/individual_document.txt"), &sig]);
    let text = stdout(&ok);
    assert!(text.contains("ИИН: 123456789011") && text.contains("по метке времени"), "{text}");
    assert!(text.contains("владелец: ТЕСТОВ ТЕСТ\n"), "{text}");
    let kk = qualcert_env(
        d,
        &["verify", "--nca-test", &fixture("cms/individual_document.txt"), &sig],
        &[("LANG", "kk_KZ.UTF-8")],
    );
    assert_eq!(kk.status.code(), Some(0));
    assert!(stdout(&kk).contains("қолтаңба түпнұсқа") && stdout(&kk).contains("ЖСН: 123456789011"), "{}", stdout(&kk));
    let garbage = d.join("garbage.p7s");
    std::fs::write(&garbage, b"\x30\x05\x01").expect("write");
    let o = qualcert(d, &["verify", "--lang", "kk", "--nca-test", &changed, garbage.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("бұл оқылатын қолтаңба емес"), "{}", stderr(&o));
    let o = qualcert_env(
        d,
        &[
            "sign",
            &changed,
            "--lang",
            "ru",
            "--p12",
            &fixture("p12/individual.p12"),
            "--out",
            garbage.to_str().expect("utf-8"),
        ],
        &[("QUALCERT_P12_PASSWORD", "nope")],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("неверный пароль"), "{}", stderr(&o));
}
