//! PKCS #12 key stores as the NCA issues them: a PBE-SHA1-3DES shrouded key bag and an
//! RC2-40 encrypted certificate bag, with an HMAC-SHA1 integrity check (RFC 7292). Only
//! reading is needed: keys are issued by the CA, never made here into PKCS #12.

use des::cipher::{BlockCipherDecrypt, KeyInit};
use hmac::Mac;
use sha1::{Digest, Sha1};

use crate::Error;
use crate::alg::{self, oid};
use crate::der::{DerError, Reader, Tlv, tag};
use crate::gost::PrivateKey;
use crate::x509::Certificate;

/// A key with its certificate and the other certificates of the file.
#[derive(Debug)]
pub struct KeyStore {
    /// The private key.
    pub key: PrivateKey,
    /// The key's certificate.
    pub certificate: Certificate,
    /// Other certificates in the file (a chain, if the CA put one).
    pub others: Vec<Certificate>,
}

/// The password as PKCS #12 wants it: UTF-16BE with a terminating zero.
fn bmp_password(password: &str) -> Vec<u8> {
    let mut out: Vec<u8> = password.encode_utf16().flat_map(u16::to_be_bytes).collect();
    out.extend([0, 0]);
    out
}

/// RFC 7292 appendix B.2 with SHA-1: `n` bytes of key material of purpose `id` (1 key,
/// 2 IV, 3 MAC key).
fn kdf(password: &[u8], salt: &[u8], iterations: u64, id: u8, n: usize) -> Vec<u8> {
    const U: usize = 20;
    const V: usize = 64;
    let fill = |src: &[u8]| -> Vec<u8> {
        if src.is_empty() {
            return Vec::new();
        }
        let len = V * src.len().div_ceil(V);
        src.iter().cycle().take(len).copied().collect()
    };
    let d = [id; V];
    let mut i: Vec<u8> = fill(salt);
    i.extend(fill(password));
    let mut out = Vec::with_capacity(n + U);
    while out.len() < n {
        let mut a: Vec<u8> = Sha1::new().chain_update(d).chain_update(&i).finalize().to_vec();
        for _ in 1..iterations {
            a = Sha1::digest(&a).to_vec();
        }
        out.extend_from_slice(&a);
        let b: Vec<u8> = a.iter().cycle().take(V).copied().collect();
        for block in i.chunks_mut(V) {
            // block = (block + b + 1) mod 2^(8V)
            let mut carry: u16 = 1;
            for k in (0..V).rev() {
                let s = u16::from(block[k]) + u16::from(b[k]) + carry;
                block[k] = s as u8;
                carry = s >> 8;
            }
        }
    }
    out.truncate(n);
    out
}

/// CBC decryption with PKCS #7 padding removed; `None` when the padding is wrong (the
/// usual sign of a wrong password).
fn cbc_decrypt<C: BlockCipherDecrypt>(cipher: &C, iv: &[u8], data: &[u8]) -> Option<Vec<u8>> {
    let bs = iv.len();
    if data.is_empty() || !data.len().is_multiple_of(bs) {
        return None;
    }
    let mut prev = iv.to_vec();
    let mut out = Vec::with_capacity(data.len());
    for chunk in data.chunks(bs) {
        let mut block = des::cipher::Block::<C>::try_from(chunk).ok()?;
        cipher.decrypt_block(&mut block);
        out.extend(block.iter().zip(&prev).map(|(a, b)| a ^ b));
        prev = chunk.to_vec();
    }
    let pad = usize::from(*out.last()?);
    if pad == 0 || pad > bs || out.len() < pad || !out[out.len() - pad..].iter().all(|b| usize::from(*b) == pad) {
        return None;
    }
    out.truncate(out.len() - pad);
    Some(out)
}

/// Decrypts a PBE-protected blob given its AlgorithmIdentifier.
fn pbe_decrypt(alg: &Tlv<'_>, data: &[u8], password: &[u8]) -> Result<Vec<u8>, Error> {
    let mut r = alg.children();
    let scheme = r.expect(tag::OID, "encryption algorithm")?.oid()?;
    let params = r.expect(tag::SEQUENCE, "PBE parameters")?;
    let mut p = params.children();
    let salt = p.expect(tag::OCTET_STRING, "salt")?.value;
    let iterations = p.expect(tag::INTEGER, "iterations")?.small_uint()?;
    if iterations == 0 || iterations > 10_000_000 {
        return Err(Error::Malformed("PKCS #12: implausible iteration count".into()));
    }
    let wrong = || Error::Key("wrong password, or the file is damaged".into());
    match scheme.as_str() {
        oid::PBE_SHA1_3DES => {
            let key = kdf(password, salt, iterations, 1, 24);
            let iv = kdf(password, salt, iterations, 2, 8);
            let cipher = des::TdesEde3::new_from_slice(&key).map_err(|_| wrong())?;
            cbc_decrypt(&cipher, &iv, data).ok_or_else(wrong)
        }
        oid::PBE_SHA1_RC2_40 | oid::PBE_SHA1_RC2_128 => {
            let bits = if scheme == oid::PBE_SHA1_RC2_40 { 40 } else { 128 };
            let key = kdf(password, salt, iterations, 1, bits / 8);
            let iv = kdf(password, salt, iterations, 2, 8);
            let cipher = rc2::Rc2::new_with_eff_key_len(&key, bits);
            cbc_decrypt(&cipher, &iv, data).ok_or_else(wrong)
        }
        other => Err(Error::Unsupported(format!("PKCS #12 encryption {other}"))),
    }
}

impl KeyStore {
    /// Opens an NCA PKCS #12 file with its password.
    pub fn open(p12: &[u8], password: &str) -> Result<KeyStore, Error> {
        let pw = bmp_password(password);
        let pfx = Reader::new(p12).expect(tag::SEQUENCE, "PFX").map_err(not_p12)?;
        let mut r = pfx.children();
        r.expect(tag::INTEGER, "version").map_err(not_p12)?;
        let auth_safe = r.expect(tag::SEQUENCE, "authSafe").map_err(not_p12)?;
        let mut a = auth_safe.children();
        if a.expect(tag::OID, "contentType").map_err(not_p12)?.oid()? != oid::DATA {
            return Err(Error::Unsupported("PKCS #12 with public-key integrity".into()));
        }
        let safe_der = a.expect(tag::ctx(0), "content")?.children().any()?.octets()?;
        if let Some(mac) = r.optional(tag::SEQUENCE)? {
            check_mac(&mac, &safe_der, &pw)?;
        }
        let mut keys: Vec<Vec<u8>> = Vec::new();
        let mut certs: Vec<(Certificate, Option<Vec<u8>>)> = Vec::new();
        let safes = Reader::new(&safe_der).expect(tag::SEQUENCE, "AuthenticatedSafe")?;
        let mut sr = safes.children();
        while !sr.is_empty() {
            let ci = sr.expect(tag::SEQUENCE, "ContentInfo")?;
            let mut c = ci.children();
            let ct = c.expect(tag::OID, "contentType")?.oid()?;
            let body = c.expect(tag::ctx(0), "content")?.children().any()?;
            let contents = match ct.as_str() {
                oid::DATA => body.octets()?,
                oid::PKCS7_ENCRYPTED_DATA => {
                    let mut e = body.children();
                    e.expect(tag::INTEGER, "version")?;
                    let eci = e.expect(tag::SEQUENCE, "encryptedContentInfo")?;
                    let mut er = eci.children();
                    er.expect(tag::OID, "contentType")?;
                    let alg = er.expect(tag::SEQUENCE, "contentEncryptionAlgorithm")?;
                    let enc = er.any()?;
                    // [0] IMPLICIT OCTET STRING: primitive or constructed.
                    let data = if enc.tag == tag::ctx_prim(0) {
                        enc.value.to_vec()
                    } else {
                        let mut pieces = enc.children();
                        let mut v = Vec::new();
                        while !pieces.is_empty() {
                            v.extend(pieces.any()?.octets()?);
                        }
                        v
                    };
                    pbe_decrypt(&alg, &data, &pw)?
                }
                other => return Err(Error::Unsupported(format!("PKCS #12 content {other}"))),
            };
            safe_bags(&contents, &pw, &mut keys, &mut certs)?;
        }
        let pkcs8 = keys.into_iter().next().ok_or_else(|| Error::Key("the file holds no private key".into()))?;
        let key = private_key_from_pkcs8(&pkcs8)?;
        let public = key.public_key();
        let index = certs
            .iter()
            .position(|(c, _)| c.public_key == public)
            .ok_or_else(|| Error::Key("the file holds no certificate for its key".into()))?;
        let (certificate, _) = certs.remove(index);
        Ok(KeyStore { key, certificate, others: certs.into_iter().map(|(c, _)| c).collect() })
    }
}

fn not_p12(e: DerError) -> Error {
    Error::Malformed(format!("not a PKCS #12 file: {}", e.0))
}

fn check_mac(mac: &Tlv<'_>, data: &[u8], pw: &[u8]) -> Result<(), Error> {
    let mut m = mac.children();
    let digest_info = m.expect(tag::SEQUENCE, "mac")?;
    let salt = m.expect(tag::OCTET_STRING, "macSalt")?.value;
    let iterations = match m.optional(tag::INTEGER)? {
        Some(i) => i.small_uint()?,
        None => 1,
    };
    let mut d = digest_info.children();
    let alg = crate::x509::algorithm_oid(&d.expect(tag::SEQUENCE, "digestAlgorithm")?)?;
    let expected = d.expect(tag::OCTET_STRING, "digest")?.value;
    if alg != oid::SHA1 {
        return Err(Error::Unsupported(format!("PKCS #12 integrity with {alg}")));
    }
    if iterations == 0 || iterations > 10_000_000 {
        return Err(Error::Malformed("PKCS #12: implausible iteration count".into()));
    }
    let key = kdf(pw, salt, iterations, 3, 20);
    let mut h =
        <hmac::Hmac<Sha1> as hmac::KeyInit>::new_from_slice(&key).map_err(|_| Error::Key("bad MAC key".into()))?;
    h.update(data);
    h.verify_slice(expected).map_err(|_| Error::Key("wrong password, or the file is damaged".into()))
}

fn safe_bags(
    contents: &[u8],
    pw: &[u8],
    keys: &mut Vec<Vec<u8>>,
    certs: &mut Vec<(Certificate, Option<Vec<u8>>)>,
) -> Result<(), Error> {
    let bags = Reader::new(contents).expect(tag::SEQUENCE, "SafeContents")?;
    let mut br = bags.children();
    while !br.is_empty() {
        let bag = br.expect(tag::SEQUENCE, "SafeBag")?;
        let mut b = bag.children();
        let kind = b.expect(tag::OID, "bagId")?.oid()?;
        let value = b.expect(tag::ctx(0), "bagValue")?.children().any()?;
        match kind.as_str() {
            oid::PKCS8_SHROUDED_KEY_BAG => {
                let mut e = value.children();
                let alg = e.expect(tag::SEQUENCE, "encryptionAlgorithm")?;
                let data = e.any()?.octets()?;
                keys.push(pbe_decrypt(&alg, &data, pw)?);
            }
            oid::KEY_BAG => keys.push(value.raw.to_vec()),
            oid::CERT_BAG => {
                let mut c = value.children();
                if c.expect(tag::OID, "certId")?.oid()? == oid::X509_CERTIFICATE {
                    let der = c.expect(tag::ctx(0), "certValue")?.children().any()?.octets()?;
                    certs.push((Certificate::from_der(&der)?, None));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// A GOST private key from PKCS #8: algorithm (key OID with curve parameters) and the scalar
/// as an OCTET STRING (little-endian, as the NCA writes it) or an INTEGER.
pub fn private_key_from_pkcs8(der: &[u8]) -> Result<PrivateKey, Error> {
    let pki = Reader::new(der).expect(tag::SEQUENCE, "PrivateKeyInfo")?;
    let mut r = pki.children();
    r.expect(tag::INTEGER, "version")?;
    let (key_oid, params) = crate::x509::alg_id(&r.expect(tag::SEQUENCE, "privateKeyAlgorithm")?)?;
    let curve = alg::key_curve(&key_oid, &params)
        .ok_or_else(|| Error::Unsupported(format!("private key algorithm {key_oid}")))?;
    let wrapped = r.expect(tag::OCTET_STRING, "privateKey")?.value;
    // The scalar: an OCTET STRING or INTEGER inside, or the raw bytes themselves.
    let le = match Reader::new(wrapped).any() {
        Ok(inner) if inner.tag == tag::OCTET_STRING && inner.raw.len() == wrapped.len() => inner.value.to_vec(),
        Ok(inner) if inner.tag == tag::INTEGER && inner.raw.len() == wrapped.len() => {
            inner.integer_bytes()?.iter().rev().copied().collect()
        }
        _ => wrapped.to_vec(),
    };
    PrivateKey::from_le_bytes(curve, &le).map_err(|e| Error::Key(e.to_string()))
}

/// PKCS #8 for a GOST key, as the NCA writes it (scalar little-endian in an OCTET STRING).
pub fn private_key_to_pkcs8(key: &PrivateKey) -> Vec<u8> {
    use crate::der::write;
    let (key_oid, params) = alg::key_oids(key.curve());
    write::seq(&[
        &write::small(0),
        &write::seq(&[&write::oid(key_oid), &write::seq(&[&write::oid(params[0]), &write::oid(params[1])])]),
        &write::octets(&write::octets(&key.to_le_bytes())),
    ])
}
