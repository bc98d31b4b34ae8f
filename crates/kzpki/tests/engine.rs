//! The independent check: OpenSSL's GOST engine (Debian `libengine-gost-openssl`) verifies
//! signatures qualcert makes, once the key is written with TC26's OIDs and the signature in
//! RFC 4491's byte order, and verifies the Kalkan vector the same way. Outside CI the test is
//! skipped when the engine is missing; with `QUALCERT_REQUIRE_TOOLS` set it must run.

use std::path::Path;
use std::process::Command;

use kzpki::cms::{self, SignOptions, SignedData};
use kzpki::interop;
use kzpki::p12::KeyStore;

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"))).expect("test step")
}

fn engine_present() -> bool {
    let ok = Command::new("openssl").args(["engine", "gost"]).output().map(|o| o.status.success()).unwrap_or(false);
    assert!(ok || std::env::var_os("QUALCERT_REQUIRE_TOOLS").is_none(), "CI must install libengine-gost-openssl");
    ok
}

/// `openssl dgst -engine gost -md_gost12_512 -verify KEY -signature SIG DATA`.
fn engine_verifies(dir: &Path, cert: &kzpki::Certificate, signed: &[u8], nca_signature: &[u8]) -> bool {
    std::fs::write(dir.join("key.pem"), interop::tc26_public_key_pem(cert).expect("test step")).expect("test step");
    std::fs::write(dir.join("sig.bin"), interop::rfc4491_signature(nca_signature)).expect("test step");
    std::fs::write(dir.join("data.bin"), signed).expect("test step");
    let o = Command::new("openssl")
        .current_dir(dir)
        .args(["dgst", "-engine", "gost", "-md_gost12_512", "-verify", "key.pem", "-signature", "sig.bin", "data.bin"])
        .output()
        .expect("test step");
    let out = String::from_utf8_lossy(&o.stdout);
    o.status.success() && out.contains("Verified OK")
}

fn check(sig: &[u8], content: &[u8]) {
    let dir = tempfile::tempdir().expect("test step");
    let sd = SignedData::parse(sig).expect("test step");
    let si = &sd.signers[0];
    let cert = &sd.certificates[0];
    let signed = si.signed_bytes(content);
    assert!(engine_verifies(dir.path(), cert, &signed, &si.signature), "the GOST engine refused the signature");
    // In the NCA's own order the engine must refuse it: the byte order matters.
    let mut as_is = si.signature.clone();
    as_is.reverse();
    assert!(!engine_verifies(dir.path(), cert, &signed, &as_is), "the engine accepted the unreversed order");
    // And one changed byte of what was signed.
    let mut changed = signed.clone();
    let n = changed.len();
    changed[n - 1] ^= 1;
    assert!(!engine_verifies(dir.path(), cert, &changed, &si.signature));
}

#[test]
fn the_gost_engine_verifies_qualcert_signatures() {
    if !engine_present() {
        return;
    }
    let ks = KeyStore::open(&fixture("p12/information_system.p12"), "Qwerty12").expect("test step");
    for content in [&b""[..], b"qualcert", &[0xABu8; 5000][..]] {
        let sig = cms::sign(
            content,
            &ks.key,
            &ks.certificate,
            &[],
            &SignOptions { signing_time: "2025-03-01T10:00:00Z".parse().expect("test step"), attached: false },
        )
        .expect("test step");
        check(&sig, content);
    }
    // A key qualcert generated itself.
    let key = kzpki::issue::new_key().expect("test step");
    let subject = kzpki::issue::Subject { common_name: "engine check".into(), ..Default::default() };
    let cert = kzpki::issue::issue(
        &subject,
        &key,
        None,
        kzpki::issue::Profile::Signing,
        "2026-01-01T00:00:00Z".parse().expect("test step"),
        30,
    )
    .expect("test step");
    let sig = cms::sign(
        b"doc",
        &key,
        &cert,
        &[],
        &SignOptions { signing_time: "2026-01-02T00:00:00Z".parse().expect("test step"), attached: true },
    )
    .expect("test step");
    check(&sig, b"doc");
}

#[test]
fn the_gost_engine_verifies_the_kalkan_vector_the_same_way() {
    if !engine_present() {
        return;
    }
    check(&fixture("cms/individual_detached.der"), &fixture("cms/individual_document.txt"));
}
