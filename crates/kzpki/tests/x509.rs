//! Real NCA certificates: parsed, their fields read, their GOST signatures verified.

use kzpki::Certificate;
use kzpki::x509::HolderKind;

fn fixture(path: &str) -> Certificate {
    let bytes = std::fs::read(format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"))).expect("test step");
    Certificate::parse(&bytes).expect("test step")
}

#[test]
fn test_chain_individual_signs_under_test_ca_under_test_root() {
    let root = fixture("test/root_test_gost_2022.cer");
    let ca = fixture("test/nca_gost2022_test.cer");
    let person = fixture("cms/individual_signer.cer");
    assert!(root.is_self_signed());
    ca.verify_signed_by(&root).expect("test step");
    person.verify_signed_by(&ca).expect("test step");
    assert!(person.verify_signed_by(&root).is_err());
    assert_eq!(person.iin().as_deref(), Some("123456789011"));
    assert_eq!(person.holder_kind(), Some(HolderKind::Individual));
    assert_eq!(person.subject.common_name(), "ТЕСТОВ ТЕСТ");
}

#[test]
fn production_gost_2022_chain() {
    let root = fixture("prod/root_gost_2022.pem");
    let ca = fixture("prod/nca_gost_2022.pem");
    assert!(root.is_self_signed());
    ca.verify_signed_by(&root).expect("test step");
    assert_eq!(ca.basic_constraints.map(|b| b.0), Some(true));
}

/// The legacy GOST 34.310-2004 root and issuing CA (CryptoPro-A curve, GOST 34.311-95 hash).
#[test]
fn production_legacy_gost_chain() {
    let root = fixture("prod/root_gost.pem");
    let ca = fixture("prod/nca_gost.pem");
    assert!(root.is_self_signed());
    ca.verify_signed_by(&root).expect("test step");
}

#[test]
fn a_changed_byte_in_a_certificate_fails() {
    let ca = fixture("test/nca_gost2022_test.cer");
    let person = fixture("cms/individual_signer.cer");
    let mut der = person.der.clone();
    // A byte inside the subject's common name.
    let at = der.windows(4).position(|w| w == "ТЕ".as_bytes()).expect("test step");
    der[at + 1] ^= 1;
    let changed = Certificate::from_der(&der).expect("test step");
    assert!(changed.verify_signed_by(&ca).is_err());
}
