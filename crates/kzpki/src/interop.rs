//! The same signatures in Russia's TC26 encoding, for checking qualcert's GOST with an
//! independent implementation (OpenSSL's GOST engine). Kazakhstan's NCA and TC26 use the same
//! curves and hashes under different OIDs, and the NCA writes a signature as r ‖ s
//! little-endian where RFC 4491 writes s ‖ r big-endian: the exact reverse.

use crate::Error;
use crate::alg::oid;
use crate::der::write;
use crate::gost::GostCurve;
use crate::x509::Certificate;

/// The certificate's public key as a TC26 SubjectPublicKeyInfo in PEM, which OpenSSL's GOST
/// engine reads.
pub fn tc26_public_key_pem(cert: &Certificate) -> Result<String, Error> {
    let (key_oid, params) = match cert.gost_curve() {
        Some(GostCurve::Tc26_512A) => (oid::RU_GOST_2012_512_KEY, vec![oid::RU_TC26_512_A]),
        Some(GostCurve::Tc26_256A) => (oid::RU_GOST_2012_256_KEY, vec![oid::RU_TC26_256_A, oid::RU_STREEBOG_256]),
        Some(GostCurve::CryptoProA) => (oid::RU_GOST_2001_KEY, vec![oid::RU_CRYPTOPRO_A, "1.2.643.2.2.30.1"]),
        _ => return Err(Error::Unsupported("not a GOST key".into())),
    };
    let params: Vec<Vec<u8>> = params.iter().map(|p| write::oid(p)).collect();
    let params_seq = write::seq(&params.iter().map(Vec::as_slice).collect::<Vec<_>>());
    let spki = write::seq(&[
        &write::seq(&[&write::oid(key_oid), &params_seq]),
        &write::bits(&write::octets(&cert.public_key)),
    ]);
    Ok(crate::pem::encode(&spki, "PUBLIC KEY"))
}

/// A signature value in RFC 4491's order (s ‖ r, big-endian) from the NCA's.
pub fn rfc4491_signature(nca: &[u8]) -> Vec<u8> {
    nca.iter().rev().copied().collect()
}
