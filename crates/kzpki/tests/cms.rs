//! The Kalkan-made CMS of the fixtures, verified as NCALayer users' signatures are, and
//! every way of breaking it refused.

use kzpki::cms::{self, TimeBasis, VerifyOptions};
use kzpki::{Error, TrustStore};

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"))).expect("test step")
}

/// A fixed "now": the tests never read the clock.
fn opts() -> VerifyOptions {
    VerifyOptions { now: "2026-12-01T09:00:00Z".parse().expect("test step"), at: None }
}

fn store() -> TrustStore {
    TrustStore::production().with_nca_test()
}

#[test]
fn kalkan_detached_signature_verifies_with_its_time_stamp() {
    let report = cms::verify(
        &fixture("cms/individual_detached.der"),
        Some(&fixture("cms/individual_document.txt")),
        &store(),
        &opts(),
    )
    .expect("test step");
    assert!(report.is_valid(), "{report:?}");
    let s = &report.signers[0];
    assert_eq!(s.iin.as_deref(), Some("123456789011"));
    assert_eq!(s.algorithm, "GOST R 34.10-2015 (512)");
    assert_eq!(s.time_basis, TimeBasis::TimeStamp);
    let ts = s.time_stamp.as_ref().expect("test step");
    assert_eq!(ts.authority, "TIME-STAMPING AUTHORITY");
    assert_eq!(s.signing_time.expect("test step").to_string(), "2026-07-20T09:08:06Z");
    assert_eq!(s.judged_at, ts.time);
    assert_eq!(s.chain.len(), 3);
}

#[test]
fn kalkan_attached_signature_verifies_without_the_file() {
    let report = cms::verify(&fixture("cms/individual_attached.der"), None, &store(), &opts()).expect("test step");
    assert!(report.is_valid(), "{report:?}");
    assert!(report.attached);
    // And with the same file given, too.
    let with = cms::verify(
        &fixture("cms/individual_attached.der"),
        Some(&fixture("cms/individual_document.txt")),
        &store(),
        &opts(),
    )
    .expect("test step");
    assert!(with.is_valid());
}

#[test]
fn base64_and_pem_inputs_are_the_same_signature() {
    use base64::Engine;
    let der = fixture("cms/individual_detached.der");
    let b64 = base64::engine::general_purpose::STANDARD.encode(&der);
    let pem = kzpki::pem::encode(&der, "CMS");
    for input in [b64.into_bytes(), pem.into_bytes()] {
        let r =
            cms::verify(&input, Some(&fixture("cms/individual_document.txt")), &store(), &opts()).expect("test step");
        assert!(r.is_valid());
    }
}

#[test]
fn test_keys_are_not_trusted_by_default() {
    let report = cms::verify(
        &fixture("cms/individual_detached.der"),
        Some(&fixture("cms/individual_document.txt")),
        &TrustStore::production(),
        &opts(),
    )
    .expect("test step");
    assert!(!report.is_valid());
    assert!(
        report.signers[0].error.as_deref().expect("test step").contains("not trusted"),
        "{:?}",
        report.signers[0].error
    );
}

#[test]
fn a_changed_content_byte_fails() {
    let mut doc = fixture("cms/individual_document.txt");
    doc[0] ^= 1;
    let report =
        cms::verify(&fixture("cms/individual_detached.der"), Some(&doc), &store(), &opts()).expect("test step");
    assert!(report.signers[0].error.as_deref().expect("test step").contains("messageDigest"));
}

/// Flips one bit at the first occurrence of `needle` (+`offset`) in the CMS.
fn flip(cms: &[u8], needle: &[u8], offset: usize) -> Vec<u8> {
    let at = cms.windows(needle.len()).position(|w| w == needle).expect("needle") + offset;
    let mut out = cms.to_vec();
    out[at] ^= 1;
    out
}

#[test]
fn a_changed_signature_or_signed_attribute_fails() {
    let cms_der = fixture("cms/individual_detached.der");
    let doc = fixture("cms/individual_document.txt");
    // The signature value (starts 39 E9 11 B2).
    let bad_sig = flip(&cms_der, &[0x39, 0xE9, 0x11, 0xB2], 10);
    // The signingTime's digits (260720090806Z).
    let bad_attr = flip(&cms_der, b"260720090806Z", 11);
    for bad in [bad_sig, bad_attr] {
        let report = cms::verify(&bad, Some(&doc), &store(), &opts()).expect("test step");
        assert_eq!(report.signers[0].error.as_deref(), Some("the signature does not verify"));
    }
}

#[test]
fn a_time_stamp_over_something_else_fails() {
    // The TSTInfo's imprint begins 19 22 86 D5.
    let bad = flip(&fixture("cms/individual_detached.der"), &[0x19, 0x22, 0x86, 0xD5], 0);
    let report =
        cms::verify(&bad, Some(&fixture("cms/individual_document.txt")), &store(), &opts()).expect("test step");
    assert!(
        report.signers[0].error.as_deref().expect("test step").contains("message imprint"),
        "{:?}",
        report.signers[0].error
    );
}

#[test]
fn a_signature_from_the_future_is_refused() {
    let early = VerifyOptions { now: "2026-01-01T00:00:00Z".parse().expect("test step"), at: None };
    let report = cms::verify(
        &fixture("cms/individual_detached.der"),
        Some(&fixture("cms/individual_document.txt")),
        &store(),
        &early,
    )
    .expect("test step");
    assert!(!report.is_valid());
}

#[test]
fn truncated_and_garbage_inputs_are_unusable_not_panics() {
    let der = fixture("cms/individual_detached.der");
    for cut in [0, 1, 10, 100, 1000, der.len() - 1] {
        let r = cms::verify(&der[..cut], Some(b"x"), &store(), &opts());
        assert!(matches!(r, Err(Error::Malformed(_))), "cut {cut}: {r:?}");
    }
    assert!(matches!(cms::verify(b"not a signature", None, &store(), &opts()), Err(Error::Malformed(_))));
    assert!(matches!(cms::verify(&der, None, &store(), &opts()), Err(Error::Malformed(_))));
}

#[test]
fn failures_are_classified_for_people() {
    use kzpki::Failure;
    let doc = fixture("cms/individual_document.txt");
    let mut changed = doc.clone();
    changed[0] ^= 1;
    let r = cms::verify(&fixture("cms/individual_detached.der"), Some(&changed), &store(), &opts()).expect("test step");
    assert_eq!(r.signers[0].failure, Some(Failure::ContentMismatch));
    let r = cms::verify(&fixture("cms/individual_detached.der"), Some(&doc), &TrustStore::production(), &opts())
        .expect("test step");
    assert_eq!(r.signers[0].failure, Some(Failure::Untrusted));
    let bad_sig = flip(&fixture("cms/individual_detached.der"), &[0x39, 0xE9, 0x11, 0xB2], 10);
    let r = cms::verify(&bad_sig, Some(&doc), &store(), &opts()).expect("test step");
    assert_eq!(r.signers[0].failure, Some(Failure::BadSignature));
    let bad_ts = flip(&fixture("cms/individual_detached.der"), &[0x19, 0x22, 0x86, 0xD5], 0);
    let r = cms::verify(&bad_ts, Some(&doc), &store(), &opts()).expect("test step");
    assert_eq!(r.signers[0].failure, Some(Failure::TimeStamp));
    let ok = cms::verify(&fixture("cms/individual_detached.der"), Some(&doc), &store(), &opts()).expect("test step");
    assert_eq!(ok.signers[0].failure, None);
}
