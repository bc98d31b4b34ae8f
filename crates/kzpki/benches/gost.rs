//! GOST R 34.10-2015 (512-bit) signatures verified and made per second on one core by
//! qualcert's own implementation (`kzpki`), against OpenSSL's GOST engine (Debian
//! `libengine-gost-openssl`) verifying the same signature in the same run, as the peer.
//!
//! Run with `taskset -c 0 cargo bench -p kzpki --bench gost` (the issue's target: ≥ 1,000
//! verifications per second). Each figure is the best of five rounds; what is verified is a
//! whole signature as a CMS carries it: Streebog-512 over the ~200 bytes of signed attributes,
//! then the curve check. It is measured twice: under a user's key, seen once, and under a CA's
//! key, for which the trust store keeps a comb table (what every certificate, CRL and OCSP
//! answer is checked under).

#![expect(clippy::print_stdout, reason = "a benchmark reports to the terminal")]

use std::time::Instant;

use kzpki::cms::{self, SignOptions, SignedData};
use kzpki::{GostCurve, PrivateKey};

/// Best-of-five rate of `f` run `n` times a round.
fn rate(n: u32, mut f: impl FnMut(u32)) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        for i in 0..n {
            f(i);
        }
        best = best.min(t.elapsed().as_secs_f64());
    }
    f64::from(n) / best
}

/// OpenSSL's GOST engine verifying the same signature in a loop inside one process
/// (`benches/gost_peer.py`, through ctypes: the engine's code, not a process per signature).
/// `None` when the engine or Python is missing.
fn openssl_rate(cert: &kzpki::Certificate, signed: &[u8], nca_signature: &[u8], n: u32) -> Option<f64> {
    let dir = std::env::temp_dir().join(format!("qualcert-gost-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).ok()?;
    std::fs::write(dir.join("key.pem"), kzpki::interop::tc26_public_key_pem(cert).ok()?).ok()?;
    std::fs::write(dir.join("sig.bin"), kzpki::interop::rfc4491_signature(nca_signature)).ok()?;
    std::fs::write(dir.join("data.bin"), signed).ok()?;
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/gost_peer.py");
    let o = std::process::Command::new("python3")
        .arg(script)
        .args([dir.join("key.pem"), dir.join("sig.bin"), dir.join("data.bin")])
        .arg(n.to_string())
        .output()
        .ok()?;
    let _ = std::fs::remove_dir_all(&dir);
    if !o.status.success() {
        println!("peer: {}", String::from_utf8_lossy(&o.stderr).trim());
        return None;
    }
    String::from_utf8_lossy(&o.stdout).trim().parse().ok()
}

fn main() {
    const N: u32 = 400;
    let now: jiff::Timestamp = "2026-12-01T00:00:00Z".parse().expect("time");
    let root_key = PrivateKey::generate(GostCurve::Tc26_512A).expect("key");
    let root_subject = kzpki::issue::Subject { common_name: "bench root".into(), ..Default::default() };
    let root = kzpki::issue::issue(&root_subject, &root_key, None, kzpki::issue::Profile::Ca, now, 30).expect("root");
    let key = PrivateKey::generate(GostCurve::Tc26_512A).expect("key");
    let subject = kzpki::issue::Subject { common_name: "bench signer".into(), ..Default::default() };
    let cert = kzpki::issue::issue(&subject, &key, Some((&root, &root_key)), kzpki::issue::Profile::Signing, now, 30)
        .expect("certificate");
    let content = b"the certificate's PDF bytes stand here";
    let sig = cms::sign(content, &key, &cert, &[], &SignOptions { signing_time: now, attached: false }).expect("sign");
    let sd = SignedData::parse(&sig).expect("parse");
    let si = &sd.signers[0];
    let signed = si.signed_bytes(content);

    let ours = rate(N, |_| {
        let digest = kzpki::alg::HashAlg::Streebog512.digest(&signed);
        assert!(GostCurve::Tc26_512A.verify(&cert.public_key, &digest, &si.signature).is_ok());
    });
    let verdict = if ours >= 1000.0 { "meets" } else { "MISSES" };
    println!("kzpki GOST-512 verify: {ours:.0}/s, one core ({verdict} target 1,000)");
    match openssl_rate(&cert, &signed, &si.signature, N) {
        Some(peer) => {
            println!("OpenSSL GOST engine verify (same signature): {peer:.0}/s; kzpki / OpenSSL = {:.2}", ours / peer)
        }
        None => println!("OpenSSL's GOST engine is not installed (Debian libengine-gost-openssl): no peer figure"),
    }

    // The same bytes signed by the CA's key, which has a kept table (a trust store makes one
    // for each CA it holds): what checking a user's certificate, a CRL or an OCSP answer costs.
    let digest = kzpki::alg::HashAlg::Streebog512.digest(&signed);
    let ca_sig = root_key.sign(&digest).expect("sign");
    GostCurve::Tc26_512A.keep_table(&root.public_key).expect("a table");
    let ca = rate(N, |_| {
        let digest = kzpki::alg::HashAlg::Streebog512.digest(&signed);
        assert!(GostCurve::Tc26_512A.verify(&root.public_key, &digest, &ca_sig).is_ok());
    });
    println!("kzpki GOST-512 verify under a CA key (kept comb table): {ca:.0}/s, one core");
    match openssl_rate(&root, &signed, &ca_sig, N) {
        Some(peer) => {
            println!("OpenSSL GOST engine verify (same CA signature): {peer:.0}/s; kzpki / OpenSSL = {:.2}", ca / peer)
        }
        None => println!("OpenSSL's GOST engine is not installed: no peer figure"),
    }

    let signing = rate(N / 2, |_| {
        key.sign(&digest).expect("sign");
    });
    println!("kzpki GOST-512 sign (constant-time ladder): {signing:.0}/s, one core");

    let whole = rate(N / 4, |_| {
        let store = {
            let mut s = kzpki::TrustStore::empty();
            s.add(root.clone());
            s
        };
        let r = cms::verify(&sig, Some(content), &store, &kzpki::VerifyOptions { now, at: None }).expect("verify");
        assert!(r.is_valid());
    });
    println!("kzpki whole CMS verify (parse, attributes, signature, chain): {whole:.0}/s, one core");
}
