//! OCSP through the responder trait: answers our local responder makes, signed with GOST,
//! read with `x509-ocsp` and checked; a revoked key refused from its revocation, a forged or
//! misdirected answer refused.

use std::sync::Arc;

use kzpki::cms::{self, SignOptions, VerifyOptions};
use kzpki::issue::{self, Profile, Subject};
use kzpki::ocsp::{self, LocalResponder, OcspResponder, OcspStatus};
use kzpki::{Certificate, PrivateKey, Revocation, TrustStore};

struct Pki {
    root: Certificate,
    root_key: PrivateKey,
    leaf: Certificate,
    leaf_key: PrivateKey,
    other: Certificate,
}

fn t(s: &str) -> jiff::Timestamp {
    s.parse().expect("test step")
}

fn pki() -> Pki {
    let start = t("2026-01-01T00:00:00Z");
    let root_key = issue::new_key().expect("test step");
    let root = issue::issue(
        &Subject { common_name: "OCSP test root".into(), ..Subject::default() },
        &root_key,
        None,
        Profile::Ca,
        start,
        3650,
    )
    .expect("test step");
    let leaf_key = issue::new_key().expect("test step");
    let person =
        Subject {
            common_name: "Айгүл Нұрланова".into(), iin: Some("900101400015".into()), ..Subject::default()
        };
    let leaf =
        issue::issue(&person, &leaf_key, Some((&root, &root_key)), Profile::Signing, start, 365).expect("test step");
    let other_key = issue::new_key().expect("test step");
    let other =
        issue::issue(&person, &other_key, Some((&root, &root_key)), Profile::Signing, start, 365).expect("test step");
    Pki { root, root_key, leaf, leaf_key, other }
}

fn responder(p: &Pki, now: &str) -> LocalResponder {
    let key = PrivateKey::from_le_bytes(p.root_key.curve(), &p.root_key.to_le_bytes()).expect("test step");
    LocalResponder::new(p.root.clone(), key, t(now))
}

#[test]
fn good_and_revoked_answers_are_read_and_checked() {
    let p = pki();
    let mut r = responder(&p, "2026-06-01T00:00:00Z");
    r.revoke(&p.leaf.serial, t("2026-03-01T12:00:00Z"), Some(1));
    let (req, nonce) = ocsp::request(&p.leaf, &p.root).expect("test step");
    let resp = r.respond(&req).expect("test step");
    let status =
        ocsp::check_response(&resp, &p.leaf, &p.root, Some(&nonce), t("2026-06-01T00:00:00Z")).expect("test step");
    assert_eq!(status, OcspStatus::Revoked { time: t("2026-03-01T12:00:00Z"), reason: Some(1) });
    let (req, nonce) = ocsp::request(&p.other, &p.root).expect("test step");
    let resp = r.respond(&req).expect("test step");
    let status =
        ocsp::check_response(&resp, &p.other, &p.root, Some(&nonce), t("2026-06-01T00:00:00Z")).expect("test step");
    assert_eq!(status, OcspStatus::Good { this_update: t("2026-06-01T00:00:00Z") });
}

#[test]
fn forged_or_misdirected_answers_are_refused() {
    let p = pki();
    let r = responder(&p, "2026-06-01T00:00:00Z");
    let (req, nonce) = ocsp::request(&p.leaf, &p.root).expect("test step");
    let resp = r.respond(&req).expect("test step");
    let at = t("2026-06-01T00:00:00Z");
    // One changed byte of the signature (the last bytes of the response).
    let mut forged = resp.clone();
    let n = forged.len();
    forged[n - 3] ^= 1;
    assert!(ocsp::check_response(&forged, &p.leaf, &p.root, Some(&nonce), at).is_err());
    // An answer about another certificate.
    let err = ocsp::check_response(&resp, &p.other, &p.root, Some(&nonce), at).expect_err("test step");
    assert!(err.to_string().contains("says nothing of this certificate"), "{err}");
    // Another request's nonce.
    assert!(ocsp::check_response(&resp, &p.leaf, &p.root, Some(&[1, 2, 3]), at).is_err());
    // Signed by a key that is not the issuer's.
    let stranger = pki();
    let (req2, nonce2) = ocsp::request(&p.leaf, &p.root).expect("test step");
    let theirs = responder(&stranger, "2026-06-01T00:00:00Z").respond(&req2).expect("test step");
    let err = ocsp::check_response(&theirs, &p.leaf, &p.root, Some(&nonce2), at).expect_err("test step");
    assert!(err.to_string().contains("not signed by the issuer"), "{err}");
    // An unreadable request is answered malformedRequest, which is refused.
    let bad = r.respond(b"\x30\x03\x02\x01\x00").expect("test step");
    assert!(
        ocsp::check_response(&bad, &p.leaf, &p.root, None, at)
            .expect_err("test step")
            .to_string()
            .contains("MalformedRequest")
    );
}

#[test]
fn verification_asks_the_responder_and_judges_at_the_instant_received() {
    let p = pki();
    let mut r = responder(&p, "2026-06-01T00:00:00Z");
    r.revoke(&p.leaf.serial, t("2026-03-01T12:00:00Z"), None);
    let mut store = TrustStore::empty();
    store.add(p.root.clone());
    store.set_ocsp(Arc::new(r));
    let now = t("2026-06-01T00:00:00Z");
    let content = b"minutes of the Commission";
    let before = cms::sign(
        content,
        &p.leaf_key,
        &p.leaf,
        &[],
        &SignOptions { signing_time: t("2026-02-01T00:00:00Z"), attached: false },
    )
    .expect("test step");
    // Received before the revocation (the server's record of when, as an audit instant).
    let received = Some(t("2026-02-01T00:00:00Z"));
    let rep = cms::verify(&before, Some(content), &store, &VerifyOptions { now, at: received }).expect("test step");
    assert!(rep.is_valid(), "{:?}", rep.signers[0].error);
    assert!(matches!(rep.signers[0].revocation, Some(Revocation::RevokedLater { .. })));
    // The same signature received now, after the revocation: its backdated claim is no
    // evidence (issue 30).
    let rep = cms::verify(&before, Some(content), &store, &VerifyOptions { now, at: None }).expect("test step");
    assert!(rep.signers[0].error.as_deref().expect("test step").contains("revoked on 2026-03-01T12:00:00Z"));
    let after = cms::sign(
        content,
        &p.leaf_key,
        &p.leaf,
        &[],
        &SignOptions { signing_time: t("2026-04-01T00:00:00Z"), attached: false },
    )
    .expect("test step");
    let rep = cms::verify(&after, Some(content), &store, &VerifyOptions { now, at: None }).expect("test step");
    assert!(rep.signers[0].error.as_deref().expect("test step").contains("revoked on 2026-03-01T12:00:00Z"));
}
