//! Certificate revocation lists, full and delta, as the NCA publishes them.

use jiff::Timestamp;

use crate::Error;
use crate::alg::oid;
use crate::der::{DerError, Reader, tag};
use crate::x509::{self, Certificate, Name};

/// One revoked certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revoked {
    /// Serial number, big-endian.
    pub serial: Vec<u8>,
    /// When it was revoked.
    pub date: Timestamp,
    /// The reason code (RFC 5280 §5.3.1), when given.
    pub reason: Option<u8>,
}

/// A parsed CRL with its original bytes.
#[derive(Clone, Debug)]
pub struct Crl {
    /// The whole CRL as received.
    pub der: Vec<u8>,
    tbs: std::ops::Range<usize>,
    sig_alg_oid: String,
    signature: Vec<u8>,
    /// Who issued it.
    pub issuer: Name,
    /// When it was made.
    pub this_update: Timestamp,
    /// When the next is due.
    pub next_update: Option<Timestamp>,
    /// The revoked certificates.
    pub revoked: Vec<Revoked>,
    /// The CRL number.
    pub number: Option<Vec<u8>>,
    /// For a delta CRL, the number of the base CRL it completes.
    pub delta_of: Option<Vec<u8>>,
}

impl Crl {
    /// Parses DER, PEM (`X509 CRL`) or base64.
    pub fn parse(input: &[u8]) -> Result<Crl, Error> {
        let der = crate::pem::decode_one(input, "X509 CRL")?;
        parse(&der).map_err(|e| Error::Malformed(format!("CRL: {}", e.0)))
    }

    /// Whether `issuer` signed this CRL.
    pub fn verify_signed_by(&self, issuer: &Certificate) -> Result<(), Error> {
        if self.issuer.der != issuer.subject.der {
            return Err(Error::Invalid("the CRL's issuer is not this CA".into()));
        }
        x509::verify_with_key(issuer, &self.sig_alg_oid, &self.der[self.tbs.clone()], &self.signature)
    }

    /// The entry for a serial number, if revoked.
    pub fn find(&self, serial: &[u8]) -> Option<&Revoked> {
        self.revoked.iter().find(|r| r.serial == serial)
    }

    /// "full" or "delta".
    pub fn kind(&self) -> &'static str {
        if self.delta_of.is_some() { "delta" } else { "full" }
    }
}

fn parse(der: &[u8]) -> Result<Crl, DerError> {
    let mut top = Reader::new(der);
    let crl = top.expect(tag::SEQUENCE, "CRL")?;
    top.finish("CRL")?;
    let mut c = crl.children();
    let tbs = c.expect(tag::SEQUENCE, "tbsCertList")?;
    let sig_alg = x509::algorithm_oid(&c.expect(tag::SEQUENCE, "signatureAlgorithm")?)?;
    let signature = c.expect(tag::BIT_STRING, "signature")?.bits()?.to_vec();
    let start = tbs.raw.as_ptr() as usize - der.as_ptr() as usize;
    let mut t = tbs.children();
    t.optional(tag::INTEGER)?;
    t.expect(tag::SEQUENCE, "signature")?;
    let issuer_tlv = t.expect(tag::SEQUENCE, "issuer")?;
    let issuer = name_of(&issuer_tlv)?;
    let this_update = t.any()?.time()?;
    let next_update = match t.peek_tag() {
        Some(tag::UTC_TIME | tag::GENERALIZED_TIME) => Some(t.any()?.time()?),
        _ => None,
    };
    let mut revoked = Vec::new();
    if let Some(list) = t.optional(tag::SEQUENCE)? {
        let mut l = list.children();
        while !l.is_empty() {
            let entry = l.expect(tag::SEQUENCE, "revoked certificate")?;
            let mut e = entry.children();
            let serial = e.expect(tag::INTEGER, "serial")?.integer_bytes()?.to_vec();
            let date = e.any()?.time()?;
            let mut reason = None;
            if let Some(exts) = e.optional(tag::SEQUENCE)? {
                let mut x = exts.children();
                while !x.is_empty() {
                    let ext = x.expect(tag::SEQUENCE, "entry extension")?;
                    let mut xr = ext.children();
                    let id = xr.expect(tag::OID, "extnID")?.oid()?;
                    xr.optional(tag::BOOLEAN)?;
                    let v = xr.expect(tag::OCTET_STRING, "extnValue")?;
                    if id == oid::CRL_REASON {
                        let r = Reader::new(v.value).expect(tag::ENUMERATED, "reason")?;
                        reason = r.value.first().copied();
                    }
                }
            }
            revoked.push(Revoked { serial, date, reason });
        }
    }
    let (mut number, mut delta_of) = (None, None);
    if let Some(exts) = t.optional(tag::ctx(0))? {
        let list = exts.children().expect(tag::SEQUENCE, "crlExtensions")?;
        let mut x = list.children();
        while !x.is_empty() {
            let ext = x.expect(tag::SEQUENCE, "CRL extension")?;
            let mut xr = ext.children();
            let id = xr.expect(tag::OID, "extnID")?.oid()?;
            xr.optional(tag::BOOLEAN)?;
            let v = xr.expect(tag::OCTET_STRING, "extnValue")?;
            let int = || -> Result<Vec<u8>, DerError> {
                Ok(Reader::new(v.value).expect(tag::INTEGER, "CRL number")?.integer_bytes()?.to_vec())
            };
            match id.as_str() {
                oid::CRL_NUMBER => number = Some(int()?),
                oid::DELTA_CRL => delta_of = Some(int()?),
                _ => {}
            }
        }
    }
    Ok(Crl {
        der: der.to_vec(),
        tbs: start..start + tbs.raw.len(),
        sig_alg_oid: sig_alg,
        signature,
        issuer,
        this_update,
        next_update,
        revoked,
        number,
        delta_of,
    })
}

fn name_of(t: &crate::der::Tlv<'_>) -> Result<Name, DerError> {
    // Names parse the same in CRLs as in certificates.
    let fake = Certificate::name_from_tlv(t)?;
    Ok(fake)
}
