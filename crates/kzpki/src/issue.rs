//! Issuing GOST certificates, for a local development CA only (`qualcert pki init --gost`):
//! production keys and certificates come from the national CA. The certificates follow the
//! NCA's profile (GOST R 34.10-2015 512-bit keys under the Kazakh OIDs, `serialNumber=IIN…`
//! for people), so the demo and the tests go through the same verification as real ones.

use jiff::{SignedDuration, Timestamp};

use crate::Error;
use crate::alg::{self, oid};
use crate::der::{tag, write};
use crate::gost::{GostCurve, PrivateKey};
use crate::x509::Certificate;

/// Who a certificate is for.
#[derive(Clone, Debug, Default)]
pub struct Subject {
    /// Common name.
    pub common_name: String,
    /// Organisation.
    pub organization: Option<String>,
    /// The person's IIN (12 digits), written `serialNumber=IIN…`.
    pub iin: Option<String>,
    /// The organisation's BIN, written `OU=BIN…`.
    pub bin: Option<String>,
    /// The person's surname, written `SURNAME=…` as the national CA does.
    pub surname: Option<String>,
    /// The national CA writes a person's patronymic as `G` (givenName); their given names are
    /// the rest of the common name after the surname.
    pub patronymic: Option<String>,
}

fn name(s: &Subject) -> Vec<u8> {
    let rdn = |o: &str, v: Vec<u8>| write::set_of(&[write::seq(&[&write::oid(o), &v])]);
    let mut rdns = vec![rdn(oid::CN, write::utf8(&s.common_name))];
    if let Some(surname) = &s.surname {
        rdns.push(rdn(oid::SURNAME, write::utf8(surname)));
    }
    if let Some(iin) = &s.iin {
        rdns.push(rdn(oid::SERIAL_NUMBER, write::printable(&format!("IIN{iin}"))));
    }
    rdns.push(rdn(oid::COUNTRY, write::printable("KZ")));
    if let Some(patronymic) = &s.patronymic {
        rdns.push(rdn(oid::GIVEN_NAME, write::utf8(patronymic)));
    }
    if let Some(o) = &s.organization {
        rdns.push(rdn(oid::ORGANIZATION, write::utf8(o)));
    }
    if let Some(bin) = &s.bin {
        rdns.push(rdn(oid::ORG_UNIT, write::printable(&format!("BIN{bin}"))));
    }
    write::seq(&rdns.iter().map(Vec::as_slice).collect::<Vec<_>>())
}

fn spki(key: &PrivateKey) -> Vec<u8> {
    let (key_oid, params) = alg::key_oids(key.curve());
    write::seq(&[
        &write::seq(&[&write::oid(key_oid), &write::seq(&[&write::oid(params[0]), &write::oid(params[1])])]),
        &write::bits(&write::octets(&key.public_key())),
    ])
}

fn ext(o: &str, critical: bool, value: &[u8]) -> Vec<u8> {
    if critical {
        write::seq(&[&write::oid(o), &write::boolean(true), &write::octets(value)])
    } else {
        write::seq(&[&write::oid(o), &write::octets(value)])
    }
}

/// The key usage BIT STRING for flags given bit 0 first.
fn key_usage_bits(bits: &[u8]) -> Vec<u8> {
    let mut byte = 0u8;
    let mut last = 0;
    for &b in bits {
        byte |= 0x80 >> b;
        last = last.max(b);
    }
    let unused = 7 - last;
    write::tlv(tag::BIT_STRING, &[unused, byte])
}

fn key_id(key: &PrivateKey) -> Vec<u8> {
    alg::HashAlg::Sha1.digest(&key.public_key())
}

/// What kind of certificate to issue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Profile {
    /// A root or issuing CA (keyCertSign, cRLSign).
    Ca,
    /// A person's or system's signing key (digitalSignature, nonRepudiation), marked as an
    /// individual's by the NCA's OID when it names an IIN without a BIN.
    Signing,
    /// A time-stamping authority (EKU timeStamping, critical).
    TimeStamping,
}

/// Issues a certificate for `subject_key` signed by `issuer_key`; `issuer` is `None` for a
/// self-signed root. Valid from `not_before` for `days`.
pub fn issue(
    subject: &Subject,
    subject_key: &PrivateKey,
    issuer: Option<(&Certificate, &PrivateKey)>,
    profile: Profile,
    not_before: Timestamp,
    days: i64,
) -> Result<Certificate, Error> {
    let issuer_key = issuer.map(|(_, k)| k).unwrap_or(subject_key);
    let issuer_name = match issuer {
        Some((c, _)) => c.subject.der.clone(),
        None => name(subject),
    };
    let sig_alg = alg::sig_alg_for(issuer_key.curve());
    let alg_id = write::seq(&[&write::oid(sig_alg.oid())]);
    let mut serial = [0u8; 16];
    getrandom::fill(&mut serial).map_err(|e| Error::Key(e.to_string()))?;
    serial[0] &= 0x7F;
    serial[0] |= 0x40;
    let not_after = not_before + SignedDuration::from_hours(24 * days);

    let mut exts = Vec::new();
    match profile {
        Profile::Ca => {
            exts.push(ext(oid::BASIC_CONSTRAINTS, true, &write::seq(&[&write::boolean(true)])));
            exts.push(ext(oid::KEY_USAGE, true, &key_usage_bits(&[5, 6])));
        }
        Profile::Signing => {
            exts.push(ext(oid::BASIC_CONSTRAINTS, true, &write::seq(&[])));
            exts.push(ext(oid::KEY_USAGE, true, &key_usage_bits(&[0, 1])));
            let kind = if subject.bin.is_some() { oid::NCA_LEGAL_ENTITY } else { oid::NCA_INDIVIDUAL };
            exts.push(ext(
                oid::EXT_KEY_USAGE,
                false,
                &write::seq(&[&write::oid("1.3.6.1.5.5.7.3.4"), &write::oid(kind)]),
            ));
        }
        Profile::TimeStamping => {
            exts.push(ext(oid::KEY_USAGE, true, &key_usage_bits(&[0])));
            exts.push(ext(oid::EXT_KEY_USAGE, true, &write::seq(&[&write::oid(oid::KP_TIME_STAMPING)])));
        }
    }
    exts.push(ext(oid::SUBJECT_KEY_ID, false, &write::octets(&key_id(subject_key))));
    exts.push(ext(oid::AUTHORITY_KEY_ID, false, &write::seq(&[&write::tlv(tag::ctx_prim(0), &key_id(issuer_key))])));
    let ext_seq = write::seq(&exts.iter().map(Vec::as_slice).collect::<Vec<_>>());

    let tbs = write::seq(&[
        &write::cons(tag::ctx(0), &[&write::small(2)]),
        &write::uint(&serial),
        &alg_id,
        &issuer_name,
        &write::seq(&[&write::time(not_before), &write::time(not_after)]),
        &name(subject),
        &spki(subject_key),
        &write::cons(tag::ctx(3), &[&ext_seq]),
    ]);
    let signature = issuer_key.sign(&sig_alg.hash().digest(&tbs)).map_err(|e| Error::Key(e.to_string()))?;
    let cert = write::seq(&[&tbs, &alg_id, &write::bits(&signature)]);
    Certificate::from_der(&cert)
}

/// A new key on the NCA's current curve (TC26 512 paramSetA).
pub fn new_key() -> Result<PrivateKey, Error> {
    PrivateKey::generate(GostCurve::Tc26_512A).map_err(|e| Error::Key(e.to_string()))
}
