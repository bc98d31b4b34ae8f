//! A million inputs through the CMS, certificate, CRL and PKCS #12 parsers and the whole
//! verification: random bytes and random mutations (byte changes, truncations, splices) of
//! the real NCA vectors. Counts panics, which must be zero.
//!
//! Run with `cargo bench -p kzpki --bench fuzz` (`-- N` for another count).

#![expect(clippy::print_stdout, reason = "a benchmark reports to the terminal")]

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Instant;

/// xorshift64*: a fast deterministic source, so a failing input can be found again.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn main() {
    let n: u64 = std::env::args().filter_map(|a| a.parse().ok()).next().unwrap_or(1_000_000);
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/");
    let seeds: Vec<Vec<u8>> = [
        "cms/individual_detached.der",
        "cms/individual_attached.der",
        "cms/individual_signer.cer",
        "test/nca_gost2022_test.crl",
        "test/nca_gost2022_d_test.crl",
        "p12/individual.p12",
        "prod/root_gost.pem",
    ]
    .iter()
    .map(|p| std::fs::read(format!("{dir}{p}")).expect("fixture"))
    .collect();
    let store = kzpki::TrustStore::production().with_nca_test();
    let opts = kzpki::VerifyOptions { now: "2026-12-01T00:00:00Z".parse().expect("time"), at: None };
    std::panic::set_hook(Box::new(|_| {}));
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut panics, mut accepted) = (0u64, 0u64);
    let t = Instant::now();
    for i in 0..n {
        let mut bytes = if i % 10 == 0 {
            (0..rng.below(400)).map(|_| rng.next() as u8).collect()
        } else {
            seeds[rng.below(seeds.len())].clone()
        };
        if i % 10 != 0 {
            for _ in 0..1 + rng.below(4) {
                let len = bytes.len();
                match rng.below(4) {
                    0 | 1 => bytes[rng.below(len)] = rng.next() as u8,
                    2 => bytes.truncate(rng.below(len) + 1),
                    _ => {
                        let (a, b) = (rng.below(len), rng.below(len));
                        let piece: Vec<u8> = bytes[a.min(b)..a.max(b)].to_vec();
                        let at = rng.below(len);
                        bytes.splice(at..at, piece);
                    }
                }
            }
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let mut ok = false;
            // The expensive whole verification on every 8th input; parsers on all.
            if i % 8 == 0 {
                ok |= kzpki::cms::verify(&bytes, Some(b"content"), &store, &opts).is_ok_and(|r| r.is_valid());
            } else {
                ok |= kzpki::cms::SignedData::parse(&bytes).is_ok();
            }
            ok |= kzpki::Certificate::parse(&bytes).is_ok();
            ok |= kzpki::Crl::parse(&bytes).is_ok();
            if i % 64 == 0 {
                ok |= kzpki::p12::KeyStore::open(&bytes, "Qwerty12").is_ok();
            }
            ok
        }));
        match outcome {
            Err(_) => {
                panics += 1;
                if panics <= 5 {
                    println!("PANIC on input {i} (seed 0x9E3779B97F4A7C15)");
                }
            }
            Ok(true) => accepted += 1,
            Ok(false) => {}
        }
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "fuzz: {n} inputs in {secs:.1} s ({:.0}/s), {panics} panics, {accepted} parsed as something",
        n as f64 / secs
    );
    assert_eq!(panics, 0, "parsers must never panic");
}
