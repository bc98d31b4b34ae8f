//! The NCA's PKCS #12 test keys open with their password, sign in Kalkan's layout, and the
//! signatures verify at an instant inside the keys' validity.

use kzpki::cms::{self, SignOptions, VerifyOptions};
use kzpki::p12::KeyStore;
use kzpki::x509::HolderKind;
use kzpki::{Error, TrustStore};

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"))).expect("test step")
}

#[test]
fn nca_test_keys_open_and_sign_and_verify_inside_their_validity() {
    let store = TrustStore::production().with_nca_test();
    for (file, kind) in [
        ("p12/individual.p12", Some(HolderKind::Individual)),
        ("p12/legal_entity_employee.p12", Some(HolderKind::LegalEntityEmployee)),
        ("p12/information_system.p12", Some(HolderKind::LegalEntityEmployee)),
    ] {
        let ks = KeyStore::open(&fixture(file), "Qwerty12").expect("test step");
        let content = b"qualcert: a document to sign";
        // Signed (by the signer's clock) inside the key's validity.
        let signed_at: jiff::Timestamp = "2025-03-01T10:00:00Z".parse().expect("test step");
        for attached in [false, true] {
            let sig =
                cms::sign(content, &ks.key, &ks.certificate, &[], &SignOptions { signing_time: signed_at, attached })
                    .expect("test step");
            let detached = (!attached).then_some(&content[..]);
            // Received then: valid.
            let r =
                cms::verify(&sig, detached, &store, &VerifyOptions { now: signed_at, at: None }).expect("test step");
            assert!(r.is_valid(), "{file}: {:?}", r.signers[0].error);
            assert_eq!(r.signers[0].holder, kind, "{file}");
            // Received today with that claim: the claim is no evidence (issue 30), and the key
            // has expired.
            let now: jiff::Timestamp = "2026-12-01T00:00:00Z".parse().expect("test step");
            let r = cms::verify(&sig, detached, &store, &VerifyOptions { now, at: None }).expect("test step");
            assert!(r.signers[0].error.as_deref().expect("test step").contains("expired"), "{:?}", r.signers[0].error);
            // The same key signing today: its certificate has expired.
            let today = cms::sign(content, &ks.key, &ks.certificate, &[], &SignOptions { signing_time: now, attached })
                .expect("test step");
            let r = cms::verify(&today, detached, &store, &VerifyOptions { now, at: None }).expect("test step");
            assert!(r.signers[0].error.as_deref().expect("test step").contains("expired"), "{:?}", r.signers[0].error);
            // An audit as of an instant inside the validity accepts it.
            let audit = VerifyOptions { now, at: Some("2025-06-01T00:00:00Z".parse().expect("test step")) };
            assert!(cms::verify(&today, detached, &store, &audit).expect("test step").is_valid());
        }
    }
    let legal = KeyStore::open(&fixture("p12/legal_entity_employee.p12"), "Qwerty12").expect("test step");
    assert_eq!(legal.certificate.bin().as_deref(), Some("123456789021"));
    assert_eq!(legal.certificate.iin().as_deref(), Some("123456789011"));
}

#[test]
fn a_wrong_password_is_a_clear_error() {
    let err = KeyStore::open(&fixture("p12/individual.p12"), "qwerty12").expect_err("test step");
    assert_eq!(err, Error::Key("wrong password, or the file is damaged".into()));
    assert!(matches!(KeyStore::open(b"garbage", "x"), Err(Error::Malformed(_))));
    let p12 = fixture("p12/individual.p12");
    assert!(KeyStore::open(&p12[..p12.len() / 2], "Qwerty12").is_err());
}

#[test]
fn a_local_gost_ca_issues_keys_whose_signatures_verify() {
    use kzpki::issue::{self, Profile, Subject};
    let now: jiff::Timestamp = "2026-12-01T00:00:00Z".parse().expect("test step");
    let root_key = issue::new_key().expect("test step");
    let root_subject = Subject { common_name: "qualcert development CA (GOST)".into(), ..Subject::default() };
    let root = issue::issue(&root_subject, &root_key, None, Profile::Ca, now, 3650).expect("test step");
    assert!(root.is_self_signed());
    let key = issue::new_key().expect("test step");
    let person =
        Subject {
            common_name: "Ерболат Сейітов".into(), iin: Some("900101300019".into()), ..Subject::default()
        };
    let cert = issue::issue(&person, &key, Some((&root, &root_key)), Profile::Signing, now, 365).expect("test step");
    assert_eq!(cert.iin().as_deref(), Some("900101300019"));
    assert_eq!(cert.holder_kind(), Some(HolderKind::Individual));
    let mut store = TrustStore::empty();
    store.add(root);
    let sig =
        cms::sign(b"doc", &key, &cert, &[], &SignOptions { signing_time: now, attached: false }).expect("test step");
    let r = cms::verify(&sig, Some(b"doc"), &store, &VerifyOptions { now, at: None }).expect("test step");
    assert!(r.is_valid(), "{:?}", r.signers[0].error);
    // Not trusted by the production store.
    let r = cms::verify(&sig, Some(b"doc"), &TrustStore::production(), &VerifyOptions { now, at: None })
        .expect("test step");
    assert!(!r.is_valid());
}
