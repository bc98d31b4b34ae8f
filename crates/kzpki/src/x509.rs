//! X.509 certificates as the national CA issues them: parsed once, the original bytes kept,
//! and what the service needs read out of them (IIN, BIN, kind of holder, name).

use jiff::Timestamp;

use crate::Error;
use crate::alg::{self, HashAlg, SigAlg, oid};
use crate::der::{DerError, Reader, Tlv, tag};
use crate::gost::GostCurve;

/// A distinguished name: its bytes (compared as they are) and its attributes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name {
    /// The DER of the Name, for exact comparison of issuer and subject.
    pub der: Vec<u8>,
    /// (attribute OID, value) in order.
    pub attrs: Vec<(String, String)>,
}

impl Name {
    fn parse(t: &Tlv<'_>) -> Result<Name, DerError> {
        let mut attrs = Vec::new();
        let mut rdns = t.children();
        while !rdns.is_empty() {
            let rdn = rdns.expect(tag::SET, "name")?;
            let mut avas = rdn.children();
            while !avas.is_empty() {
                let ava = avas.expect(tag::SEQUENCE, "name attribute")?;
                let mut r = ava.children();
                let o = r.expect(tag::OID, "attribute type")?.oid()?;
                let v = r.any()?;
                attrs.push((o, v.text().unwrap_or_else(|_| crate::hex(v.value))));
            }
        }
        Ok(Name { der: t.raw.to_vec(), attrs })
    }

    /// The first value of an attribute.
    pub fn get(&self, attr: &str) -> Option<&str> {
        self.attrs.iter().find(|(o, _)| o == attr).map(|(_, v)| v.as_str())
    }

    /// The common name, or empty.
    pub fn common_name(&self) -> &str {
        self.get(oid::CN).unwrap_or("")
    }

    /// `CN=…, O=…` for reports.
    pub fn display(&self) -> String {
        let label = |o: &str| match o {
            oid::CN => "CN",
            oid::SURNAME => "SURNAME",
            oid::SERIAL_NUMBER => "SERIALNUMBER",
            oid::COUNTRY => "C",
            oid::ORGANIZATION => "O",
            oid::ORG_UNIT => "OU",
            oid::GIVEN_NAME => "G",
            "2.5.4.7" => "L",
            "2.5.4.8" => "ST",
            "1.2.840.113549.1.9.1" => "E",
            _ => "",
        };
        self.attrs
            .iter()
            .map(|(o, v)| {
                let l = label(o);
                if l.is_empty() { format!("{o}={v}") } else { format!("{l}={v}") }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Key usage bits (RFC 5280 §4.2.1.3), bit 0 first.
pub mod key_usage {
    /// digitalSignature.
    pub const DIGITAL_SIGNATURE: u32 = 1 << 0;
    /// nonRepudiation (contentCommitment).
    pub const NON_REPUDIATION: u32 = 1 << 1;
    /// keyCertSign.
    pub const KEY_CERT_SIGN: u32 = 1 << 5;
    /// cRLSign.
    pub const CRL_SIGN: u32 = 1 << 6;
}

/// Who a personal certificate belongs to, by the NCA's policy OIDs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HolderKind {
    /// An individual (1.2.398.3.3.4.1.1).
    Individual,
    /// An employee of a legal entity (1.2.398.3.3.4.1.2 and its sub-arcs).
    LegalEntityEmployee,
}

/// A parsed certificate.
#[derive(Clone, Debug)]
pub struct Certificate {
    /// The whole certificate as received.
    pub der: Vec<u8>,
    tbs: std::ops::Range<usize>,
    /// The serial number, big-endian.
    pub serial: Vec<u8>,
    /// The issuer's name.
    pub issuer: Name,
    /// The subject's name.
    pub subject: Name,
    /// Valid from.
    pub not_before: Timestamp,
    /// Valid until.
    pub not_after: Timestamp,
    /// The signature algorithm OID of the issuer's signature.
    pub sig_alg_oid: String,
    signature: Vec<u8>,
    /// The public key's algorithm OID.
    pub key_alg: String,
    /// Its parameter OIDs.
    pub key_params: Vec<String>,
    /// The key's bytes: for GOST, x ‖ y little-endian (the OCTET STRING inside the BIT
    /// STRING); otherwise the BIT STRING's bytes.
    pub public_key: Vec<u8>,
    /// The SubjectPublicKeyInfo's DER (for other verifiers).
    pub spki_der: Vec<u8>,
    /// basicConstraints: (cA, pathLen).
    pub basic_constraints: Option<(bool, Option<u64>)>,
    /// keyUsage bits, when present.
    pub key_usage: Option<u32>,
    /// extendedKeyUsage OIDs, when present.
    pub ext_key_usage: Option<Vec<String>>,
    /// certificatePolicies OIDs.
    pub policies: Vec<String>,
    /// subjectKeyIdentifier.
    pub subject_key_id: Option<Vec<u8>>,
    /// authorityKeyIdentifier's keyIdentifier.
    pub authority_key_id: Option<Vec<u8>>,
    /// Critical extensions this code does not understand (such a certificate is refused).
    pub unknown_critical: Vec<String>,
}

impl Certificate {
    /// Parses DER, or PEM (`-----BEGIN CERTIFICATE-----`), or base64 of DER.
    pub fn parse(input: &[u8]) -> Result<Certificate, Error> {
        let der = crate::pem::decode_one(input, "CERTIFICATE")?;
        Certificate::from_der(&der)
    }

    /// Parses exactly one DER certificate.
    pub fn from_der(der: &[u8]) -> Result<Certificate, Error> {
        parse(der).map_err(|e| Error::Malformed(format!("certificate: {}", e.0)))
    }

    /// The bytes the issuer signed.
    pub fn tbs(&self) -> &[u8] {
        &self.der[self.tbs.clone()]
    }

    /// The issuer's signature value.
    pub fn signature(&self) -> &[u8] {
        &self.signature
    }

    /// The GOST curve of this certificate's key, if it is a GOST key.
    pub fn gost_curve(&self) -> Option<GostCurve> {
        alg::key_curve(&self.key_alg, &self.key_params)
    }

    /// Whether `issuer` signed this certificate (its name, and its key over the TBS bytes).
    pub fn verify_signed_by(&self, issuer: &Certificate) -> Result<(), Error> {
        if self.issuer.der != issuer.subject.der {
            return Err(Error::Invalid("the issuer's name does not match".into()));
        }
        verify_with_key(issuer, &self.sig_alg_oid, self.tbs(), &self.signature)
    }

    /// Self-issued and self-signed.
    pub fn is_self_signed(&self) -> bool {
        self.issuer.der == self.subject.der && self.verify_signed_by(self).is_ok()
    }

    /// The IIN (`serialNumber` `IIN` and 12 digits), as the NCA names individuals.
    pub fn iin(&self) -> Option<String> {
        digits_after(self.subject.get(oid::SERIAL_NUMBER)?, "IIN")
    }

    /// The BIN (`OU` `BIN` and 12 digits) of the holder's organisation.
    pub fn bin(&self) -> Option<String> {
        self.subject.attrs.iter().filter(|(o, _)| o == oid::ORG_UNIT).find_map(|(_, v)| digits_after(v, "BIN"))
    }

    /// Individual or legal entity's employee, from the NCA's OIDs (in extendedKeyUsage or
    /// the policies, where the NCA has put them over the years).
    pub fn holder_kind(&self) -> Option<HolderKind> {
        let all = self.ext_key_usage.iter().flatten().chain(self.policies.iter());
        let mut kind = None;
        for o in all {
            if o == oid::NCA_INDIVIDUAL {
                kind = Some(HolderKind::Individual);
            } else if o == oid::NCA_LEGAL_ENTITY || o.starts_with(&format!("{}.", oid::NCA_LEGAL_ENTITY)) {
                return Some(HolderKind::LegalEntityEmployee);
            }
        }
        kind
    }

    /// Whether `t` falls within the validity period.
    pub fn valid_at(&self, t: Timestamp) -> bool {
        self.not_before <= t && t <= self.not_after
    }

    pub(crate) fn name_from_tlv(t: &Tlv<'_>) -> Result<Name, DerError> {
        Name::parse(t)
    }

    /// SHA-256 of the certificate (as signingCertificateV2 references it).
    pub fn sha256(&self) -> Vec<u8> {
        HashAlg::Sha256.digest(&self.der)
    }
}

fn digits_after(v: &str, prefix: &str) -> Option<String> {
    let d = v.strip_prefix(prefix)?;
    (d.len() == 12 && d.bytes().all(|b| b.is_ascii_digit())).then(|| d.to_owned())
}

/// Verifies `signature` (algorithm `sig_oid`) over `data` with `signer`'s public key: GOST
/// here, any other key through the installed [`crate::provider`].
pub(crate) fn verify_with_key(signer: &Certificate, sig_oid: &str, data: &[u8], signature: &[u8]) -> Result<(), Error> {
    verify_any(signer, sig_oid, None, data, signature).map(|_| ())
}

/// As [`verify_with_key`], with the digest algorithm a CMS SignerInfo names beside its
/// signature algorithm; returns the algorithm's name.
pub(crate) fn verify_any(
    signer: &Certificate,
    sig_oid: &str,
    digest_oid: Option<&str>,
    data: &[u8],
    signature: &[u8],
) -> Result<String, Error> {
    let Some(curve) = signer.gost_curve() else {
        return match crate::provider::installed() {
            Some(p) => p.verify(&signer.der, sig_oid, digest_oid, data, signature),
            None => Err(Error::Unsupported(format!("public key algorithm {} (no provider installed)", signer.key_alg))),
        };
    };
    // Some producers put the key's OID where the signature's belongs; the curve then decides.
    let alg = SigAlg::from_oid(sig_oid)
        .or_else(|| (sig_oid == signer.key_alg).then(|| alg::sig_alg_for(curve)))
        .ok_or_else(|| Error::Unsupported(format!("signature algorithm {sig_oid}")))?;
    if alg::sig_alg_for(curve) != alg {
        return Err(Error::Invalid(format!("a {} signature by a key on {curve:?}", alg.name())));
    }
    let digest = alg.hash().digest(data);
    curve.verify(&signer.public_key, &digest, signature).map_err(|e| Error::Invalid(e.to_string()))?;
    Ok(alg.name().to_owned())
}

/// An AlgorithmIdentifier: its OID and the OIDs among its parameters (GOST keys name their
/// curve and hash there).
pub(crate) fn alg_id(t: &Tlv<'_>) -> Result<(String, Vec<String>), DerError> {
    let mut r = t.children();
    let o = r.expect(tag::OID, "algorithm")?.oid()?;
    let mut params = Vec::new();
    if let Some(p) = r.optional(tag::SEQUENCE)? {
        let mut pr = p.children();
        while !pr.is_empty() {
            let x = pr.any()?;
            if x.tag == tag::OID {
                params.push(x.oid()?);
            }
        }
    } else if let Some(p) = r.optional(tag::OID)? {
        params.push(p.oid()?);
    }
    Ok((o, params))
}

pub(crate) fn algorithm_oid(t: &Tlv<'_>) -> Result<String, DerError> {
    Ok(alg_id(t)?.0)
}

fn parse(der: &[u8]) -> Result<Certificate, DerError> {
    let mut top = Reader::new(der);
    let cert = top.expect(tag::SEQUENCE, "certificate")?;
    top.finish("certificate")?;
    let mut c = cert.children();
    let tbs = c.expect(tag::SEQUENCE, "tbsCertificate")?;
    let sig_alg = c.expect(tag::SEQUENCE, "signatureAlgorithm")?;
    let sig = c.expect(tag::BIT_STRING, "signature")?;
    c.finish("certificate")?;
    let tbs_start = tbs.raw.as_ptr() as usize - der.as_ptr() as usize;
    let tbs_range = tbs_start..tbs_start + tbs.raw.len();

    let mut t = tbs.children();
    if let Some(v) = t.optional(tag::ctx(0))? {
        v.children().expect(tag::INTEGER, "version")?;
    }
    let serial = t.expect(tag::INTEGER, "serialNumber")?.integer_bytes()?.to_vec();
    let inner_alg = t.expect(tag::SEQUENCE, "signature")?;
    let issuer = Name::parse(&t.expect(tag::SEQUENCE, "issuer")?)?;
    let validity = t.expect(tag::SEQUENCE, "validity")?;
    let mut v = validity.children();
    let not_before = v.any()?.time()?;
    let not_after = v.any()?.time()?;
    let subject = Name::parse(&t.expect(tag::SEQUENCE, "subject")?)?;
    let spki = t.expect(tag::SEQUENCE, "subjectPublicKeyInfo")?;
    let mut s = spki.children();
    let (key_alg, key_params) = alg_id(&s.expect(tag::SEQUENCE, "algorithm")?)?;
    let key_bits = s.expect(tag::BIT_STRING, "subjectPublicKey")?;
    let key_bytes = key_bits.bits()?;
    let public_key = if alg::key_curve(&key_alg, &key_params).is_some() {
        // GOST keys are an OCTET STRING inside the BIT STRING.
        let inner = Reader::new(key_bytes).expect(tag::OCTET_STRING, "GOST public key")?;
        inner.value.to_vec()
    } else {
        key_bytes.to_vec()
    };

    let sig_alg_oid = algorithm_oid(&sig_alg)?;
    if algorithm_oid(&inner_alg)? != sig_alg_oid {
        return Err(DerError("the two signature algorithm fields differ".into()));
    }
    let mut cert = Certificate {
        der: der.to_vec(),
        tbs: tbs_range,
        serial,
        issuer,
        subject,
        not_before,
        not_after,
        sig_alg_oid,
        signature: sig.bits()?.to_vec(),
        key_alg,
        key_params,
        public_key,
        spki_der: spki.raw.to_vec(),
        basic_constraints: None,
        key_usage: None,
        ext_key_usage: None,
        policies: Vec::new(),
        subject_key_id: None,
        authority_key_id: None,
        unknown_critical: Vec::new(),
    };
    // issuerUniqueID [1], subjectUniqueID [2] are skipped; extensions are [3].
    while let Some(next) = t.peek_tag() {
        let field = t.any()?;
        if next == tag::ctx(3) {
            extensions(&field.children().expect(tag::SEQUENCE, "extensions")?, &mut cert)?;
        }
    }
    Ok(cert)
}

fn extensions(exts: &Tlv<'_>, cert: &mut Certificate) -> Result<(), DerError> {
    let mut r = exts.children();
    while !r.is_empty() {
        let ext = r.expect(tag::SEQUENCE, "extension")?;
        let mut e = ext.children();
        let id = e.expect(tag::OID, "extnID")?.oid()?;
        let critical = match e.optional(tag::BOOLEAN)? {
            Some(b) => b.boolean()?,
            None => false,
        };
        let value = e.expect(tag::OCTET_STRING, "extnValue")?.value;
        let inner = Reader::new(value).any()?;
        match id.as_str() {
            oid::BASIC_CONSTRAINTS => {
                let mut b = inner.children();
                let ca = match b.optional(tag::BOOLEAN)? {
                    Some(x) => x.boolean()?,
                    None => false,
                };
                let path = match b.optional(tag::INTEGER)? {
                    Some(x) => Some(x.small_uint()?),
                    None => None,
                };
                cert.basic_constraints = Some((ca, path));
            }
            oid::KEY_USAGE => cert.key_usage = Some(inner.flags()?),
            oid::EXT_KEY_USAGE => {
                let mut list = Vec::new();
                let mut k = inner.children();
                while !k.is_empty() {
                    list.push(k.expect(tag::OID, "key purpose")?.oid()?);
                }
                cert.ext_key_usage = Some(list);
            }
            oid::CERT_POLICIES => {
                let mut p = inner.children();
                while !p.is_empty() {
                    let info = p.expect(tag::SEQUENCE, "policy")?;
                    cert.policies.push(info.children().expect(tag::OID, "policy id")?.oid()?);
                }
            }
            oid::SUBJECT_KEY_ID => cert.subject_key_id = Some(inner.octets()?),
            oid::AUTHORITY_KEY_ID => {
                cert.authority_key_id = inner.children().optional(tag::ctx_prim(0))?.map(|k| k.value.to_vec());
            }
            _ if critical => cert.unknown_critical.push(id),
            _ => {}
        }
    }
    Ok(())
}
