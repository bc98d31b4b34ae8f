//! Arbitrary and mutated bytes through every parser and the whole verification: an error,
//! never a panic. A bounded sample here; `cargo bench -p kzpki --bench fuzz` runs a million.

use proptest::prelude::*;

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"))).expect("test step")
}

fn seeds() -> Vec<Vec<u8>> {
    [
        "cms/individual_detached.der",
        "cms/individual_attached.der",
        "cms/individual_signer.cer",
        "test/nca_gost2022_d_test.crl",
        "p12/individual.p12",
    ]
    .iter()
    .map(|p| fixture(p))
    .collect()
}

/// Feeds `bytes` to every entry point that takes untrusted input.
fn exercise(bytes: &[u8]) {
    let store = kzpki::TrustStore::production().with_nca_test();
    let opts = kzpki::VerifyOptions { now: "2026-12-01T00:00:00Z".parse().expect("test step"), at: None };
    let _ = kzpki::cms::verify(bytes, Some(b"content"), &store, &opts);
    let _ = kzpki::cms::verify(bytes, None, &store, &opts);
    let _ = kzpki::Certificate::parse(bytes);
    let _ = kzpki::Crl::parse(bytes);
    let _ = kzpki::p12::KeyStore::open(bytes, "Qwerty12");
    let _ = kzpki::p12::private_key_from_pkcs8(bytes);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        exercise(&bytes);
    }

    #[test]
    fn mutated_vectors_never_panic(seed in 0usize..5, edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8), cut in any::<usize>()) {
        let mut bytes = seeds()[seed].clone();
        for (at, value) in edits {
            let n = bytes.len();
            bytes[at % n] = value;
        }
        let n = bytes.len();
        bytes.truncate(n - cut % (n / 4 + 1));
        exercise(&bytes);
    }
}
