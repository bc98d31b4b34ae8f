//! The NCA's test CRLs: signatures checked on import, a revoked key's signatures refused
//! from its revocation on, and accepted when made before.

use kzpki::cms::{self, SignOptions, VerifyOptions};
use kzpki::p12::KeyStore;
use kzpki::{Crl, Revocation, TrustStore};

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"))).expect("test step")
}

fn store_with_crls() -> TrustStore {
    let mut s = TrustStore::production().with_nca_test();
    let full = Crl::parse(&fixture("test/nca_gost2022_test.crl")).expect("test step");
    assert_eq!(full.revoked.len(), 54);
    assert_eq!(full.kind(), "full");
    s.add_crl(full).expect("test step");
    let delta = Crl::parse(&fixture("test/nca_gost2022_d_test.crl")).expect("test step");
    assert_eq!(delta.kind(), "delta");
    s.add_crl(delta).expect("test step");
    s
}

#[test]
fn a_crl_no_trusted_ca_signed_is_refused() {
    let mut s = TrustStore::production();
    assert!(s.add_crl(Crl::parse(&fixture("test/nca_gost2022_test.crl")).expect("test step")).is_err());
    let mut der = fixture("test/nca_gost2022_test.crl");
    let n = der.len();
    der[n - 5] ^= 1;
    let mut t = TrustStore::production().with_nca_test();
    assert!(t.add_crl(Crl::parse(&der).expect("test step")).is_err());
}

#[test]
fn revoked_in_the_test_crl_before_signing_is_invalid_with_the_date() {
    let store = store_with_crls();
    let ks = KeyStore::open(&fixture("p12/legal_entity_employee.p12"), "Qwerty12").expect("test step");
    let content = b"an order of the akimat";
    // Received on 15 January 2025, within the key's dates, after its revocation.
    let received: jiff::Timestamp = "2025-01-15T10:00:00Z".parse().expect("test step");
    let sig =
        cms::sign(content, &ks.key, &ks.certificate, &[], &SignOptions { signing_time: received, attached: false })
            .expect("test step");
    let r = cms::verify(&sig, Some(content), &store, &VerifyOptions { now: received, at: None }).expect("test step");
    let err = r.signers[0].error.clone().expect("test step");
    assert!(err.contains("revoked on 2024-10-29T11:45:53Z"), "{err}");
}

/// Issue 30 item 1: a revoked key that backdates its signingTime to before the revocation is
/// still refused: the claim is shown, never the instant judged. Only an instant the verifier
/// knows (an audit instant from its own records, or a time-stamp) can place it earlier.
#[test]
fn a_revoked_key_backdating_its_signing_time_is_still_refused() {
    let store = store_with_crls();
    let ks = KeyStore::open(&fixture("p12/legal_entity_employee.p12"), "Qwerty12").expect("test step");
    let content = b"an order of the akimat";
    let received: jiff::Timestamp = "2025-01-15T10:00:00Z".parse().expect("test step");
    let backdated: jiff::Timestamp = "2024-10-29T11:44:30Z".parse().expect("test step");
    let sig =
        cms::sign(content, &ks.key, &ks.certificate, &[], &SignOptions { signing_time: backdated, attached: false })
            .expect("test step");
    let r = cms::verify(&sig, Some(content), &store, &VerifyOptions { now: received, at: None }).expect("test step");
    let s = &r.signers[0];
    assert!(matches!(s.failure, Some(kzpki::Failure::Revoked { .. })), "{:?}", s.error);
    assert_eq!(s.signing_time, Some(backdated), "the claim is reported");
    assert_eq!(s.judged_at, received);
    assert!(s.notes.iter().any(|n| n.contains("unproven")), "{:?}", s.notes);
    // Later still, the key has expired as well.
    let now: jiff::Timestamp = "2026-12-01T00:00:00Z".parse().expect("test step");
    let r = cms::verify(&sig, Some(content), &store, &VerifyOptions { now, at: None }).expect("test step");
    assert!(matches!(r.signers[0].failure, Some(kzpki::Failure::Expired { .. })), "{:?}", r.signers[0].error);
    // An auditor who knows it arrived before the revocation asks at that instant.
    let known = Some("2024-10-29T11:44:40Z".parse().expect("test step"));
    let r = cms::verify(&sig, Some(content), &store, &VerifyOptions { now, at: known }).expect("test step");
    assert!(r.is_valid(), "{:?}", r.signers[0].error);
    assert!(matches!(r.signers[0].revocation, Some(Revocation::RevokedLater { .. })));
}

#[test]
fn a_key_not_in_the_crl_is_good() {
    let store = store_with_crls();
    let ks = KeyStore::open(&fixture("p12/individual.p12"), "Qwerty12").expect("test step");
    let at: jiff::Timestamp = "2025-03-01T10:00:00Z".parse().expect("test step");
    let sig = cms::sign(b"x", &ks.key, &ks.certificate, &[], &SignOptions { signing_time: at, attached: true })
        .expect("test step");
    let r = cms::verify(&sig, None, &store, &VerifyOptions { now: at, at: None }).expect("test step");
    assert!(r.is_valid());
    assert!(matches!(r.signers[0].revocation, Some(Revocation::Good { .. })), "{:?}", r.signers[0].revocation);
}
