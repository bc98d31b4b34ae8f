//! Issue 30 items 1 and 3: RSA and EC keys are judged as GOST keys are, in one path: at the
//! instant the server gives (never the signer's own signingTime), with CRLs of their own CA
//! imported and honoured.

use std::time::{Duration, SystemTime};

use der::{Decode, Encode};
use docs::{Identity, KeyKind, KzVerifier, Rejection, SignError, Verifier};
use openssl::hash::MessageDigest;
use x509_cert::crl::{CertificateList, RevokedCert, TbsCertList};
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::AlgorithmIdentifierOwned;
use x509_cert::time::Time;

const DOCUMENT: &[u8] = b"minutes of the Commission, No. 12";

/// A CRL of `ca` listing `revoked` as revoked half an hour from now, signed RSA-SHA256 as the
/// NCA's RSA CA signs its lists.
fn crl(ca: &Identity, revoked: &Identity) -> Vec<u8> {
    let sha256_rsa = AlgorithmIdentifierOwned {
        oid: der::oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11"),
        parameters: Some(der::Any::null()),
    };
    let time = |t: SystemTime| {
        let since = t.duration_since(SystemTime::UNIX_EPOCH).expect("after 1970");
        Time::UtcTime(der::asn1::UtcTime::from_unix_duration(since).expect("a time"))
    };
    let now = SystemTime::now();
    let serial = revoked.cert.serial_number().to_bn().expect("serial").to_vec();
    let tbs = TbsCertList {
        version: x509_cert::Version::V2,
        signature: sha256_rsa.clone(),
        issuer: x509_cert::name::Name::from_der(&ca.cert.subject_name().to_der().expect("name")).expect("name"),
        this_update: time(now - Duration::from_secs(600)),
        next_update: Some(time(now + Duration::from_secs(86_400))),
        revoked_certificates: Some(vec![RevokedCert {
            serial_number: SerialNumber::new(&serial).expect("serial"),
            revocation_date: time(now + Duration::from_secs(1_800)),
            crl_entry_extensions: None,
        }]),
        crl_extensions: None,
    };
    let tbs_der = tbs.to_der().expect("tbs");
    let mut signer = openssl::sign::Signer::new(MessageDigest::sha256(), &ca.key).expect("signer");
    signer.update(&tbs_der).expect("update");
    let signature = signer.sign_to_vec().expect("sign");
    CertificateList {
        tbs_cert_list: tbs,
        signature_algorithm: sha256_rsa,
        signature: der::asn1::BitString::from_bytes(&signature).expect("bits"),
    }
    .to_der()
    .expect("crl")
}

fn rejection(r: Result<docs::Signed, SignError>) -> Rejection {
    match r {
        Err(SignError::Rejected { why, .. }) => why,
        other => panic!("must be refused: {other:?}"),
    }
}

#[test]
fn an_rsa_crl_is_imported_and_a_revoked_rsa_or_ec_key_is_refused_whatever_it_claims() {
    let dir = tempfile::tempdir().expect("tmp");
    let ca = Identity::new_ca("Test RSA CA", 30).expect("ca");
    let person = ca.issue_for("Seitkali Aigerim", Some("900305401113"), KeyKind::Rsa2048, 30).expect("rsa");
    let other = ca.issue_for("Other Person", Some("900305401121"), KeyKind::EcP256, 30).expect("ec");
    let roots = ca.cert.to_pem().expect("pem");
    let mut verifier = KzVerifier::new(&roots, false).expect("verifier");
    let signature = person.sign(DOCUMENT).expect("sign");
    let signed = verifier.verify(&signature, DOCUMENT).expect("genuine before the CRL");
    assert_eq!(signed.iins, ["900305401113"]);
    let ec_signature = other.sign(DOCUMENT).expect("sign");
    assert!(verifier.verify(&ec_signature, DOCUMENT).is_ok(), "EC keys go the same way");

    let crl_dir = dir.path().join("crl");
    std::fs::create_dir_all(&crl_dir).expect("dir");
    std::fs::write(crl_dir.join("rsa.crl"), crl(&ca, &person)).expect("crl");
    assert_eq!(verifier.load_crls(&crl_dir).expect("an RSA CRL imports"), 1);
    // Received an hour from now, after the revocation: refused, though the signature claims a
    // signing time before it (its own claim decides nothing).
    let hour = jiff::SignedDuration::from_hours(1);
    let later = jiff::Timestamp::now() + hour;
    assert_eq!(rejection(verifier.verify_at(&signature, DOCUMENT, later)), Rejection::Revoked);
    assert!(verifier.verify_at(&ec_signature, DOCUMENT, later).is_ok(), "a key the CRL does not list stays good");
    // Received before the revocation (the server's record of when), it is genuine.
    assert!(verifier.verify(&signature, DOCUMENT).is_ok());
    assert!(verifier.verify_at(&signature, DOCUMENT, later - hour / 2 - jiff::SignedDuration::from_mins(5)).is_ok());

    // A CRL nobody trusted signed is refused on import.
    let stranger = Identity::new_ca("Stranger CA", 30).expect("ca");
    std::fs::write(crl_dir.join("stranger.crl"), crl(&stranger, &person)).expect("crl");
    let mut fresh = KzVerifier::new(&roots, false).expect("verifier");
    assert!(fresh.load_crls(&crl_dir).is_err(), "an untrusted CRL is refused");
}

#[test]
fn an_rsa_key_is_judged_at_the_instant_received_not_at_its_claim() {
    let ca = Identity::new_ca("Test RSA CA", 30).expect("ca");
    let person = ca.issue_for("Seitkali Aigerim", Some("900305401113"), KeyKind::Rsa2048, 1).expect("rsa");
    let verifier = KzVerifier::new(&ca.cert.to_pem().expect("pem"), false).expect("verifier");
    let signature = person.sign(DOCUMENT).expect("sign");
    assert!(verifier.verify(&signature, DOCUMENT).is_ok());
    // Received three days later, the one-day key has expired, whatever it said of itself.
    let later = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(72);
    assert_eq!(rejection(verifier.verify_at(&signature, DOCUMENT, later)), Rejection::Expired);
}
