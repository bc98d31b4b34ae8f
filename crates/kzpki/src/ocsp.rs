//! OCSP (RFC 6960): asking whether a certificate is revoked now, and reading the signed
//! answer. Requests and responses are the `x509-ocsp` crate's structures; the responder's
//! signature is checked with this crate's GOST over the response's own bytes.
//!
//! The NCA's responder (`http://ocsp.pki.gov.kz`) cannot be reached from here, so the network
//! hop is the [`OcspResponder`] trait: production plugs an HTTP client in; [`LocalResponder`]
//! answers for a CA whose key we hold (the development CA, and the tests).

use der::asn1::{BitString, GeneralizedTime, ObjectIdentifier, OctetString};
use der::{Decode, Encode};
use jiff::Timestamp;
use spki::AlgorithmIdentifierOwned;
use x509_cert::ext::Extension;
use x509_cert::serial_number::SerialNumber;
use x509_ocsp::{
    BasicOcspResponse, CertId, CertStatus, OcspGeneralizedTime, OcspRequest, OcspResponse, OcspResponseStatus, Request,
    ResponderId, ResponseData, RevokedInfo, SingleResponse, TbsRequest, Version,
};

use crate::Error;
use crate::alg::{self, HashAlg, oid};
use crate::der::{Reader, tag};
use crate::gost::PrivateKey;
use crate::x509::{self, Certificate};

/// Sends a DER OCSPRequest and returns the DER OCSPResponse (over HTTP in production).
pub trait OcspResponder: Send + Sync {
    /// The responder's answer to `request`.
    fn respond(&self, request: &[u8]) -> Result<Vec<u8>, Error>;
}

/// What a responder said of one certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OcspStatus {
    /// Not revoked, as of `this_update`.
    Good {
        /// When the responder knew it to be so.
        this_update: Timestamp,
    },
    /// Revoked at `time`.
    Revoked {
        /// When.
        time: Timestamp,
        /// RFC 5280 reason code, when given.
        reason: Option<u8>,
    },
    /// The responder does not know the certificate.
    Unknown,
}

const ID_PKIX_OCSP_BASIC: &str = "1.3.6.1.5.5.7.48.1.1";
const ID_PKIX_OCSP_NONCE: &str = "1.3.6.1.5.5.7.48.1.2";

fn oid_of(dotted: &str) -> Result<ObjectIdentifier, Error> {
    ObjectIdentifier::new(dotted).map_err(|e| Error::Malformed(format!("OID {dotted}: {e}")))
}

fn der_err(what: &str) -> impl Fn(der::Error) -> Error + '_ {
    move |e| Error::Malformed(format!("{what}: {e}"))
}

fn time_of(t: &OcspGeneralizedTime) -> Result<Timestamp, Error> {
    let d = t.0.to_unix_duration();
    Timestamp::from_second(d.as_secs() as i64).map_err(|e| Error::Malformed(format!("OCSP time: {e}")))
}

fn ocsp_time(t: Timestamp) -> Result<OcspGeneralizedTime, Error> {
    let secs = u64::try_from(t.as_second()).map_err(|_| Error::Malformed("time before 1970".into()))?;
    let g = GeneralizedTime::from_unix_duration(std::time::Duration::from_secs(secs)).map_err(der_err("time"))?;
    Ok(OcspGeneralizedTime(g))
}

/// The issuer's public key as RFC 6960 hashes it: the BIT STRING's bytes.
fn key_bits(cert: &Certificate) -> Result<Vec<u8>, Error> {
    let spki = Reader::new(&cert.spki_der).expect(tag::SEQUENCE, "subjectPublicKeyInfo")?;
    let mut r = spki.children();
    r.expect(tag::SEQUENCE, "algorithm")?;
    Ok(r.expect(tag::BIT_STRING, "subjectPublicKey")?.bits()?.to_vec())
}

/// The CertID of `cert` (SHA-1 of the issuer's name and key, as responders expect).
fn cert_id(cert: &Certificate, issuer: &Certificate) -> Result<CertId, Error> {
    Ok(CertId {
        hash_algorithm: AlgorithmIdentifierOwned { oid: oid_of(oid::SHA1)?, parameters: Some(der::asn1::Null.into()) },
        issuer_name_hash: OctetString::new(HashAlg::Sha1.digest(&issuer.subject.der)).map_err(der_err("CertID"))?,
        issuer_key_hash: OctetString::new(HashAlg::Sha1.digest(&key_bits(issuer)?)).map_err(der_err("CertID"))?,
        serial_number: SerialNumber::new(&crate::der::write::uint_content(&cert.serial)).map_err(der_err("serial"))?,
    })
}

fn same_cert(a: &CertId, b: &CertId) -> bool {
    a.issuer_name_hash == b.issuer_name_hash
        && a.issuer_key_hash == b.issuer_key_hash
        && a.serial_number == b.serial_number
}

/// An OCSPRequest for `cert` with a fresh nonce; returns (request DER, nonce).
pub fn request(cert: &Certificate, issuer: &Certificate) -> Result<(Vec<u8>, Vec<u8>), Error> {
    let mut nonce = vec![0u8; 16];
    getrandom::fill(&mut nonce).map_err(|e| Error::Io(e.to_string()))?;
    let ext = Extension {
        extn_id: oid_of(ID_PKIX_OCSP_NONCE)?,
        critical: false,
        extn_value: OctetString::new(crate::der::write::octets(&nonce)).map_err(der_err("nonce"))?,
    };
    let req = OcspRequest {
        tbs_request: TbsRequest {
            version: Version::V1,
            requestor_name: None,
            request_list: vec![Request { req_cert: cert_id(cert, issuer)?, single_request_extensions: None }],
            request_extensions: Some(vec![ext]),
        },
        optional_signature: None,
    };
    Ok((req.to_der().map_err(der_err("OCSP request"))?, nonce))
}

fn nonce_of(exts: Option<&Vec<Extension>>) -> Option<Vec<u8>> {
    let id = ObjectIdentifier::new(ID_PKIX_OCSP_NONCE).ok()?;
    let e = exts?.iter().find(|e| e.extn_id == id)?;
    Reader::new(e.extn_value.as_bytes()).any().ok()?.octets().ok()
}

/// Reads and checks a DER OCSPResponse about `cert`: a successful basic response, signed by
/// the issuer or by a responder the issuer certified for OCSP signing (valid at `at`), whose
/// nonce (if any) is ours, with an answer for this very certificate.
pub fn check_response(
    response: &[u8],
    cert: &Certificate,
    issuer: &Certificate,
    nonce: Option<&[u8]>,
    at: Timestamp,
) -> Result<OcspStatus, Error> {
    let resp = OcspResponse::from_der(response).map_err(der_err("OCSP response"))?;
    if resp.response_status != OcspResponseStatus::Successful {
        return Err(Error::Invalid(format!("the OCSP responder answered {:?}", resp.response_status)));
    }
    let bytes = resp.response_bytes.ok_or_else(|| Error::Malformed("an OCSP response without a body".into()))?;
    if bytes.response_type != oid_of(ID_PKIX_OCSP_BASIC)? {
        return Err(Error::Unsupported(format!("OCSP response type {}", bytes.response_type)));
    }
    let basic_der = bytes.response.as_bytes();
    let basic = BasicOcspResponse::from_der(basic_der).map_err(der_err("BasicOCSPResponse"))?;
    // The signature is over tbsResponseData as received.
    let tbs = Reader::new(basic_der).expect(tag::SEQUENCE, "BasicOCSPResponse")?.children().any()?.raw;
    let sig_oid = basic.signature_algorithm.oid.to_string();
    let signature =
        basic.signature.as_bytes().ok_or_else(|| Error::Malformed("OCSP signature with unused bits".into()))?;
    let mut signed_by_issuer = x509::verify_with_key(issuer, &sig_oid, tbs, signature).is_ok();
    if !signed_by_issuer {
        for c in basic.certs.iter().flatten() {
            let der = c.to_der().map_err(der_err("responder certificate"))?;
            let responder = Certificate::from_der(&der)?;
            let delegated = responder.verify_signed_by(issuer).is_ok()
                && responder.valid_at(at)
                && responder.ext_key_usage.iter().flatten().any(|o| o == oid::KP_OCSP_SIGNING);
            if delegated && x509::verify_with_key(&responder, &sig_oid, tbs, signature).is_ok() {
                signed_by_issuer = true;
                break;
            }
        }
    }
    if !signed_by_issuer {
        return Err(Error::Invalid("the OCSP response is not signed by the issuer or its responder".into()));
    }
    if let (Some(ours), Some(theirs)) = (nonce, nonce_of(basic.tbs_response_data.response_extensions.as_ref()))
        && ours != theirs.as_slice()
    {
        return Err(Error::Invalid("the OCSP response answers another request (nonce differs)".into()));
    }
    let id = cert_id(cert, issuer)?;
    let single = basic
        .tbs_response_data
        .responses
        .iter()
        .find(|s| same_cert(&s.cert_id, &id))
        .ok_or_else(|| Error::Invalid("the OCSP response says nothing of this certificate".into()))?;
    Ok(match &single.cert_status {
        CertStatus::Good(_) => OcspStatus::Good { this_update: time_of(&single.this_update)? },
        CertStatus::Revoked(info) => OcspStatus::Revoked {
            time: time_of(&info.revocation_time)?,
            reason: info.revocation_reason.map(|r| r as u8),
        },
        CertStatus::Unknown(_) => OcspStatus::Unknown,
    })
}

/// Answers OCSP requests for the certificates of a CA whose key is at hand: the development
/// CA (`qualcert pki init --gost`) and the tests. The clock is an input (`now`).
pub struct LocalResponder {
    ca: Certificate,
    key: PrivateKey,
    revoked: Vec<(Vec<u8>, Timestamp, Option<u8>)>,
    now: Timestamp,
}

impl LocalResponder {
    /// A responder for `ca` (whose key is `key`) answering as of `now`.
    pub fn new(ca: Certificate, key: PrivateKey, now: Timestamp) -> LocalResponder {
        LocalResponder { ca, key, revoked: Vec::new(), now }
    }

    /// Records `serial` (big-endian) as revoked at `time`.
    pub fn revoke(&mut self, serial: &[u8], time: Timestamp, reason: Option<u8>) {
        self.revoked.push((serial.to_vec(), time, reason));
    }

    fn answer(&self, request: &[u8]) -> Result<Vec<u8>, Error> {
        let req = OcspRequest::from_der(request).map_err(der_err("OCSP request"))?;
        let ours = cert_id(&self.ca, &self.ca)?;
        let now = ocsp_time(self.now)?;
        let mut responses = Vec::new();
        for r in &req.tbs_request.request_list {
            let id = &r.req_cert;
            let known = id.issuer_name_hash == ours.issuer_name_hash && id.issuer_key_hash == ours.issuer_key_hash;
            let serial: Vec<u8> = id.serial_number.as_bytes().iter().copied().skip_while(|b| *b == 0).collect();
            let status = match self.revoked.iter().find(|(s, _, _)| *s == serial) {
                _ if !known => CertStatus::unknown(),
                Some((_, time, reason)) => CertStatus::revoked(RevokedInfo {
                    revocation_time: ocsp_time(*time)?,
                    revocation_reason: reason.and_then(crl_reason),
                }),
                None => CertStatus::good(),
            };
            responses.push(SingleResponse {
                cert_id: id.clone(),
                cert_status: status,
                this_update: now,
                next_update: None,
                single_extensions: None,
            });
        }
        let nonce_ext = req.tbs_request.request_extensions.as_ref().and_then(|exts| {
            let id = ObjectIdentifier::new(ID_PKIX_OCSP_NONCE).ok()?;
            exts.iter().find(|e| e.extn_id == id).cloned()
        });
        let data = ResponseData {
            version: Version::V1,
            responder_id: ResponderId::ByKey(
                OctetString::new(HashAlg::Sha1.digest(&key_bits(&self.ca)?)).map_err(der_err("key hash"))?,
            ),
            produced_at: now,
            responses,
            response_extensions: nonce_ext.map(|e| vec![e]),
        };
        let tbs = data.to_der().map_err(der_err("ResponseData"))?;
        let sig_alg = alg::sig_alg_for(self.key.curve());
        let signature = self.key.sign(&sig_alg.hash().digest(&tbs)).map_err(|e| Error::Key(e.to_string()))?;
        let basic = BasicOcspResponse {
            tbs_response_data: data,
            signature_algorithm: AlgorithmIdentifierOwned { oid: oid_of(sig_alg.oid())?, parameters: None },
            signature: BitString::from_bytes(&signature).map_err(der_err("signature"))?,
            certs: None,
        };
        let resp = OcspResponse::successful(basic).map_err(der_err("OCSP response"))?;
        resp.to_der().map_err(der_err("OCSP response"))
    }
}

fn crl_reason(code: u8) -> Option<x509_cert::ext::pkix::CrlReason> {
    use x509_cert::ext::pkix::CrlReason as R;
    Some(match code {
        0 => R::Unspecified,
        1 => R::KeyCompromise,
        2 => R::CaCompromise,
        3 => R::AffiliationChanged,
        4 => R::Superseded,
        5 => R::CessationOfOperation,
        6 => R::CertificateHold,
        8 => R::RemoveFromCRL,
        9 => R::PrivilegeWithdrawn,
        10 => R::AaCompromise,
        _ => return None,
    })
}

impl OcspResponder for LocalResponder {
    fn respond(&self, request: &[u8]) -> Result<Vec<u8>, Error> {
        // A request the responder cannot read is answered malformedRequest, as RFC 6960 says.
        match self.answer(request) {
            Ok(r) => Ok(r),
            Err(Error::Malformed(_)) => OcspResponse::malformed_request().to_der().map_err(der_err("OCSP response")),
            Err(e) => Err(e),
        }
    }
}
