//! Signatures made by `docs` verify with our verifier and with the `openssl cms` command, and
//! fail when a byte of the document changes or the root is not trusted.

use std::path::Path;
use std::process::Command;

use docs::{Identity, KeyKind, OpensslVerifier, Verifier};

const DOCUMENT: &[u8] = b"%PDF-1.7\nCertificate KZ-ALA-2026-000001\n\x00\x01\x02 binary bytes stay as they are\r\n";

/// Runs `openssl cms -verify` as an independent check; `None` when the command is missing
/// outside CI (in CI it must be there).
fn openssl_verifies(dir: &Path, signature: &[u8], content: &[u8], ca: &Identity) -> Option<bool> {
    if Command::new("openssl").arg("version").output().is_err() {
        assert!(std::env::var_os("QUALCERT_REQUIRE_TOOLS").is_none(), "CI must install the openssl command");
        eprintln!("openssl command not found; skipping the independent check");
        return None;
    }
    let (sig, doc, root) = (dir.join("doc.p7s"), dir.join("doc.bin"), dir.join("ca.pem"));
    std::fs::write(&sig, signature).expect("test step");
    std::fs::write(&doc, content).expect("test step");
    std::fs::write(&root, ca.cert.to_pem().expect("test step")).expect("test step");
    let out = Command::new("openssl")
        .args(["cms", "-verify", "-binary", "-inform", "DER", "-in"])
        .arg(&sig)
        .arg("-content")
        .arg(&doc)
        .arg("-CAfile")
        .arg(&root)
        .args(["-out", "/dev/null"])
        .output()
        .expect("test step");
    Some(out.status.success())
}

/// Why a verification failed, or a panic when it did not.
fn rejection(r: Result<docs::Signed, docs::SignError>) -> docs::Rejection {
    match r {
        Err(docs::SignError::Rejected { why, .. }) => why,
        other => panic!("expected a rejection, got {other:?}"),
    }
}

#[test]
fn rsa_and_ec_signatures_verify_here_and_with_openssl() {
    let dir = tempfile::tempdir().expect("test step");
    let ca = Identity::new_ca("qualcert test root", 3650).expect("test step");
    let verifier = OpensslVerifier::new(std::slice::from_ref(&ca.cert)).expect("test step");
    for kind in [KeyKind::Rsa2048, KeyKind::EcP256] {
        let signer = ca.issue("Almaty akimat signer", kind, 365).expect("test step");
        let signature = signer.sign(DOCUMENT).expect("sign");
        let signed = verifier.verify(&signature, DOCUMENT).unwrap_or_else(|e| panic!("{kind:?}: {e}"));
        assert_eq!(signed.signers, vec!["Almaty akimat signer".to_owned()], "{kind:?}: the signer is named");
        if let Some(ok) = openssl_verifies(dir.path(), &signature, DOCUMENT, &ca) {
            assert!(ok, "{kind:?}: openssl cms -verify rejected our signature");
        }

        let mut changed = DOCUMENT.to_vec();
        changed[20] ^= 1;
        assert_eq!(
            rejection(verifier.verify(&signature, &changed)),
            docs::Rejection::Altered,
            "{kind:?}: a changed byte"
        );
        if let Some(ok) = openssl_verifies(dir.path(), &signature, &changed, &ca) {
            assert!(!ok, "{kind:?}: openssl accepted a changed document");
        }
    }
}

#[test]
fn a_signature_from_an_untrusted_root_fails() {
    let ours = Identity::new_ca("qualcert test root", 3650).expect("test step");
    let other = Identity::new_ca("someone else", 3650).expect("test step");
    let signer = other.issue("impostor", KeyKind::EcP256, 365).expect("test step");
    let signature = signer.sign(DOCUMENT).expect("sign");
    let verifier = OpensslVerifier::new(std::slice::from_ref(&ours.cert)).expect("test step");
    // Issue 32: told apart by OpenSSL's verification codes, not by the words of its messages.
    assert_eq!(rejection(verifier.verify(&signature, DOCUMENT)), docs::Rejection::Untrusted);
    assert_eq!(rejection(verifier.verify(b"not a signature", DOCUMENT)), docs::Rejection::NotASignature);
}

#[test]
fn keys_saved_and_loaded_sign_the_same_way() {
    let dir = tempfile::tempdir().expect("test step");
    let ca = Identity::new_ca("qualcert test root", 3650).expect("test step");
    ca.issue("commission", KeyKind::Rsa2048, 365)
        .expect("test step")
        .save(dir.path(), "commission")
        .expect("test step");
    ca.save(dir.path(), "ca").expect("test step");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("commission.key.pem")).expect("test step").permissions().mode();
        assert_eq!(mode & 0o077, 0, "a private key must not be readable by others");
    }
    let signer = Identity::load(&dir.path().join("commission.key.pem"), &dir.path().join("commission.cert.pem"))
        .expect("test step");
    let verifier = OpensslVerifier::from_pem_file(&dir.path().join("ca.cert.pem")).expect("test step");
    verifier.verify(&signer.sign(DOCUMENT).expect("sign"), DOCUMENT).expect("test step");
}

#[test]
fn the_office_signs_per_akimat_and_its_tokens_are_unguessable_but_stable() {
    let dir = tempfile::tempdir().expect("test step");
    let office = docs::Office::development(dir.path()).expect("development office");
    let again = docs::Office::development(dir.path()).expect("made once, loaded again");
    assert_eq!(office.roots_pem(), again.roots_pem(), "a second start never replaces the CA");

    let number = "AST-2026-00042-K";
    let token = office.token(number);
    assert_eq!(token.len(), 16);
    assert_eq!(token, again.token(number), "the secret is kept in the directory");
    assert!(office.token_matches(number, &token.to_uppercase()));
    assert!(!office.token_matches("AST-2026-00043-K", &token), "another number's code");
    assert!(!office.token_matches(number, "0000000000000000"));
    assert!(!office.token_matches(number, ""));

    let ca = Identity::load(&dir.path().join("ca.key.pem"), &dir.path().join("ca.cert.pem")).expect("test step");
    ca.issue("Akimat of Astana: authorised person", KeyKind::EcP256, 30)
        .expect("test step")
        .save(dir.path(), "akimat-astana")
        .expect("test step");
    let office = docs::Office::load(dir.path()).expect("test step");
    assert_eq!(office.signer("astana").common_name(), "Akimat of Astana: authorised person");
    assert_eq!(office.signer("almaty").common_name(), "Authorised person (development)");
    let signature = office.signer("astana").sign(DOCUMENT).expect("sign");
    let signed = office.verify(&signature, DOCUMENT).expect("genuine");
    assert_eq!(signed.signers, vec!["Akimat of Astana: authorised person".to_owned()]);
    if let Some(ok) = openssl_verifies(dir.path(), &signature, DOCUMENT, &ca) {
        assert!(ok);
    }
}

#[test]
fn a_certificate_not_for_signing_is_refused() {
    // The root may sign certificates, not documents (its key usage is keyCertSign, cRLSign):
    // even though it is trusted, its signature on a document does not verify.
    let ca = Identity::new_ca("qualcert test root", 3650).expect("test step");
    let verifier = OpensslVerifier::new(std::slice::from_ref(&ca.cert)).expect("test step");
    let signature = ca.sign(DOCUMENT).expect("sign");
    let err = verifier.verify(&signature, DOCUMENT).expect_err("key usage is checked");
    assert!(err.to_string().contains("does not verify"), "{err}");
    assert!(matches!(err, docs::SignError::Rejected { why: docs::Rejection::NotForSigning, .. }), "{err}");
}

#[test]
fn an_expired_certificate_is_refused() {
    use openssl::asn1::Asn1Time;
    use openssl::hash::MessageDigest;
    use openssl::x509::X509Builder;
    use openssl::x509::extension::KeyUsage;
    let ca = Identity::new_ca("qualcert test root", 3650).expect("test step");
    let fresh = ca.issue("Signer of 2020", KeyKind::EcP256, 365).expect("test step");
    // The same key and name, but valid only during 2020.
    let mut b = X509Builder::new().expect("test step");
    b.set_version(2).expect("test step");
    b.set_serial_number(fresh.cert.serial_number()).expect("test step");
    b.set_subject_name(fresh.cert.subject_name()).expect("test step");
    b.set_issuer_name(ca.cert.subject_name()).expect("test step");
    b.set_pubkey(&fresh.key).expect("test step");
    b.set_not_before(&Asn1Time::from_unix(1_577_836_800).expect("2020-01-01")).expect("test step");
    b.set_not_after(&Asn1Time::from_unix(1_609_372_800).expect("2020-12-31")).expect("test step");
    b.append_extension(KeyUsage::new().critical().digital_signature().build().expect("test step")).expect("test step");
    b.sign(&ca.key, MessageDigest::sha256()).expect("test step");
    let expired = Identity { key: fresh.key.clone(), cert: b.build(), chain: Vec::new() };
    let verifier = OpensslVerifier::new(std::slice::from_ref(&ca.cert)).expect("test step");
    verifier.verify(&fresh.sign(DOCUMENT).expect("sign"), DOCUMENT).expect("the current certificate verifies");
    let err = verifier.verify(&expired.sign(DOCUMENT).expect("sign"), DOCUMENT).expect_err("dates are checked");
    assert!(err.to_string().contains("expired"), "{err}");
    assert!(matches!(err, docs::SignError::Rejected { why: docs::Rejection::Expired, .. }), "{err}");
}

#[test]
fn a_chain_through_an_intermediate_ca_verifies_against_the_root_alone() {
    // As the national CA is built: a root, an issuing CA under it, and the signer's key.
    let dir = tempfile::tempdir().expect("test step");
    let root = Identity::new_ca("qualcert test root", 3650).expect("test step");
    let issuing = root.issue_ca("qualcert issuing CA", 1825).expect("test step");
    let signer = issuing.issue("Akimat of Astana: authorised person", KeyKind::Rsa2048, 365).expect("test step");
    signer.save(dir.path(), "signer").expect("save");
    let pem = std::fs::read_to_string(dir.path().join("signer.cert.pem")).expect("read");
    assert_eq!(pem.matches("BEGIN CERTIFICATE").count(), 2, "the certificate and its issuing CA");
    let loaded = Identity::load(&dir.path().join("signer.key.pem"), &dir.path().join("signer.cert.pem")).expect("load");
    assert_eq!(loaded.chain.len(), 1);
    let signature = loaded.sign(DOCUMENT).expect("sign");
    let verifier = OpensslVerifier::new(std::slice::from_ref(&root.cert)).expect("test step");
    let signed = verifier.verify(&signature, DOCUMENT).expect("the signature carries the issuing CA");
    assert_eq!(signed.signers, vec!["Akimat of Astana: authorised person".to_owned()]);
    if let Some(ok) = openssl_verifies(dir.path(), &signature, DOCUMENT, &root) {
        assert!(ok, "openssl with the root alone");
    }

    // A key that is not the certificate's is refused when loading, not at the first signature.
    let other = root.issue("someone else", KeyKind::EcP256, 30).expect("test step");
    other.save(dir.path(), "other").expect("save");
    let Err(err) = Identity::load(&dir.path().join("other.key.pem"), &dir.path().join("signer.cert.pem")) else {
        panic!("a mismatched key must be refused");
    };
    assert!(err.to_string().contains("is not the key of the certificate"), "{err}");
}

/// With a local GOST CA (`qualcert pki init --gost`), the development office signs with GOST
/// keys through the same calls, and its verifier accepts them and refuses a changed byte.
#[test]
fn a_gost_office_signs_and_verifies_through_the_same_calls() {
    let dir = tempfile::tempdir().expect("temp dir");
    docs::GostIdentity::new_ca("qualcert development CA (GOST)", 365)
        .expect("ca")
        .save(dir.path(), "ca")
        .expect("save");
    let office = docs::Office::development(dir.path()).expect("office");
    let signer = office.signer("ALA");
    assert!(signer.is_gost());
    let pdf = b"%PDF-1.7 a certificate";
    let sig = signer.sign(pdf).expect("sign");
    let signed = office.verify(&sig, pdf).expect("verifies");
    assert_eq!(signed.signers, vec![signer.common_name()]);
    let mut changed = pdf.to_vec();
    changed[3] ^= 1;
    assert!(office.verify(&sig, &changed).is_err());
    let member = office.person("Серік Ахметов", Some("900101300017")).expect("member");
    assert!(member.is_gost());
    let msig = member.sign(pdf).expect("sign");
    assert_eq!(office.verify(&msig, pdf).expect("verifies").signers, vec!["Серік Ахметов".to_owned()]);
}

/// Issue 13 (Rules §13): an akimat may sign with its information-system key as the NCA issues
/// it, a PKCS #12. The NCA's own test key store (GOST) loads as `akimat-CODE.p12` with its
/// password beside it and signs what verifies against the NCA's test roots at an instant inside
/// its validity; an RSA key store made by OpenSSL loads too; a wrong password is refused with
/// the file named.
#[test]
fn rules_13_an_akimat_signs_with_its_information_system_pkcs12() {
    let tmp = tempfile::tempdir().expect("tmp");
    let pki = tmp.path().join("pki");
    std::fs::create_dir_all(&pki).expect("dir");
    let vectors = Path::new(env!("CARGO_MANIFEST_DIR")).join("../kzpki/tests/fixtures/p12/information_system.p12");
    std::fs::copy(&vectors, pki.join("akimat-astana.p12")).expect("the NCA's test key store");
    std::fs::write(pki.join("akimat-astana.p12.password"), "Qwerty12\n").expect("password");
    let ca = Identity::new_ca("Test CA", 30).expect("ca");
    let rsa = ca.issue("Akimat of Shymkent IS", KeyKind::Rsa2048, 30).expect("rsa");
    let p12 = openssl::pkcs12::Pkcs12::builder()
        .name("akimat")
        .pkey(&rsa.key)
        .cert(&rsa.cert)
        .build2("another-Pass-9")
        .expect("p12");
    std::fs::write(pki.join("akimat-shymkent.p12"), p12.to_der().expect("der")).expect("write");
    std::fs::write(pki.join("akimat-shymkent.p12.password"), "another-Pass-9").expect("password");
    let office = docs::Office::development(&pki).expect("the office loads both key stores");

    let gost = office.signer("astana");
    assert!(gost.is_gost(), "the NCA's key store is GOST");
    assert_ne!(gost.common_name(), office.signer("kostanay").common_name(), "not the service's own key");
    let signature = gost.sign(DOCUMENT).expect("sign");
    let roots = docs::KzVerifier::new(b"", true).expect("the NCA's test roots");
    let at = jiff::Timestamp::from_second(1_746_057_600).expect("2025-05-01");
    // The NCA's test key has expired: the signature is judged at an instant the caller gives,
    // when the key was valid (as the service judges a signature at the moment it received it).
    let opts = kzpki::cms::VerifyOptions { now: jiff::Timestamp::now(), at: Some(at) };
    let report = kzpki::cms::verify(&signature, Some(DOCUMENT), roots.store(), &opts).expect("a CMS");
    assert!(report.is_valid(), "{report:?}");
    let changed = kzpki::cms::verify(&signature, Some(b"another document"), roots.store(), &opts).expect("a CMS");
    assert!(!changed.is_valid(), "bound to the document");

    let rsa_signer = office.signer("shymkent");
    assert!(!rsa_signer.is_gost());
    assert_eq!(rsa_signer.common_name(), "Akimat of Shymkent IS");
    let signature = rsa_signer.sign(DOCUMENT).expect("sign");
    if let Some(ok) = openssl_verifies(tmp.path(), &signature, DOCUMENT, &ca) {
        assert!(ok, "openssl accepts the RSA key store's signature");
    }

    std::fs::write(pki.join("akimat-astana.p12.password"), "wrong").expect("password");
    let refused = docs::Office::load(&pki).expect_err("a wrong password");
    assert!(refused.to_string().contains("akimat-astana.p12"), "{refused}");
    std::fs::remove_file(pki.join("akimat-astana.p12.password")).expect("rm");
    let missing = docs::Office::load(&pki).expect_err("no password");
    assert!(missing.to_string().contains("QUALCERT_P12_PASSWORD_ASTANA"), "{missing}");
}

/// Issue 14, bug 1: a name is kept in its parts as the certificate gives them, never split
/// on spaces. A development key for "De la Cruz" / "Anna Maria" carries `SURNAME` and the
/// common name as the national CA lays them out, on both key families, and verification reads
/// the parts back; so does the NCA's own test certificate (`G` holds the patronymic).
#[test]
fn a_signers_name_is_read_in_its_parts() {
    let name = docs::PersonName { surname: "De la Cruz".into(), given_names: "Anna Maria".into(), patronymic: None };
    let gost = gost_ca_dir();
    let rsa = tempfile::tempdir().expect("temp dir");
    for dir in [gost.path(), rsa.path()] {
        let office = docs::Office::development(dir).expect("office");
        let person = office.person_named(&name, Some("900305401113")).expect("a development key");
        let sig = person.sign(DOCUMENT).expect("sign");
        let signed = office.verify(&sig, DOCUMENT).expect("verifies");
        assert_eq!(signed.signers, vec!["De la Cruz Anna Maria".to_owned()]);
        assert_eq!(signed.names, vec![Some(name.clone())], "{}", dir.display());
        let with = docs::PersonName { patronymic: Some("Ивановна".into()), ..name.clone() };
        let sig = office.person_named(&with, None).expect("key").sign(DOCUMENT).expect("sign");
        assert_eq!(office.verify(&sig, DOCUMENT).expect("verifies").names, vec![Some(with)]);
        // A key without parts names no parts: nothing is guessed from the spaces.
        let plain = office.person("De la Cruz Anna Maria", None).expect("key").sign(DOCUMENT).expect("sign");
        assert_eq!(office.verify(&plain, DOCUMENT).expect("verifies").names, vec![None]);
    }
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../kzpki/tests/fixtures/cms");
    let document = std::fs::read(fixtures.join("individual_document.txt")).expect("vector");
    let cms = std::fs::read(fixtures.join("individual_detached.der")).expect("vector");
    let nca = docs::KzVerifier::new(b"", true).expect("the NCA's test roots");
    let signed = nca.verify(&cms, &document).expect("the Kalkan vector verifies");
    let expected =
        docs::PersonName {
            surname: "ТЕСТОВ".into(), given_names: "ТЕСТ".into(), patronymic: Some("ТЕСТОВИЧ".into())
        };
    assert_eq!(signed.names, vec![Some(expected)]);
}

/// Issue 14, bug 7: a signature that is not accepted says why in a word a page can put into
/// the person's language: a changed document, a file that is no signature, an unknown root;
/// on both key families.
#[test]
fn a_rejected_signature_says_why() {
    use docs::{Rejection, SignError};
    let why = |r: Result<docs::Signed, SignError>| match r {
        Err(SignError::Rejected { why, .. }) => why,
        other => panic!("not a rejection: {other:?}"),
    };
    let gost = gost_ca_dir();
    let rsa = tempfile::tempdir().expect("temp dir");
    let stranger = tempfile::tempdir().expect("temp dir");
    let other = docs::Office::development(stranger.path()).expect("another office");
    for dir in [gost.path(), rsa.path()] {
        let office = docs::Office::development(dir).expect("office");
        let sig = office.signer("astana").sign(DOCUMENT).expect("sign");
        let mut changed = DOCUMENT.to_vec();
        changed[5] ^= 1;
        assert_eq!(why(office.verify(&sig, &changed)), Rejection::Altered, "{}", dir.display());
        assert_eq!(why(office.verify(b"not a signature", DOCUMENT)), Rejection::NotASignature);
        assert_eq!(why(other.verify(&sig, DOCUMENT)), Rejection::Untrusted, "{}", dir.display());
    }
}

/// A directory holding a local GOST CA, as `qualcert pki init --gost` leaves it.
fn gost_ca_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    docs::GostIdentity::new_ca("qualcert development CA (GOST)", 365)
        .expect("ca")
        .save(dir.path(), "ca")
        .expect("save");
    dir
}
