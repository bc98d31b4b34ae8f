//! CMS SignedData as NCALayer and KalkanCrypt make it: CAdES-BES, and CAdES-T with a
//! time-stamp token; detached or attached; one or several signers.
//!
//! What is hashed is always the bytes as received: the signed attributes' own encoding with
//! its `[0]` tag read as `SET OF` (RFC 5652 §5.4), never a re-encoding of them.

use jiff::Timestamp;

use crate::Error;
use crate::alg::{HashAlg, oid};
use crate::der::{DerError, Reader, Tlv, tag, write};
use crate::gost::PrivateKey;
use crate::trust::{Revocation, TrustStore};
use crate::x509::{self, Certificate, HolderKind, key_usage};

/// How a signer is named in a SignerInfo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignerId {
    /// issuerAndSerialNumber: the issuer's Name DER and the serial (big-endian).
    IssuerSerial(Vec<u8>, Vec<u8>),
    /// subjectKeyIdentifier.
    KeyId(Vec<u8>),
}

/// One attribute: its type and the DER of each value.
#[derive(Clone, Debug)]
pub struct Attribute {
    /// The attribute's OID.
    pub oid: String,
    /// Each value's DER.
    pub values: Vec<Vec<u8>>,
}

/// One SignerInfo.
#[derive(Clone, Debug)]
pub struct SignerInfo {
    /// Who signed.
    pub sid: SignerId,
    /// The digest algorithm's OID.
    pub digest_alg: String,
    /// The signed attributes as received (tag `[0]`), if any.
    pub signed_attrs_der: Option<Vec<u8>>,
    /// The signed attributes, parsed.
    pub signed_attrs: Vec<Attribute>,
    /// The signature algorithm's OID.
    pub sig_alg: String,
    /// The signature value.
    pub signature: Vec<u8>,
    /// The unsigned attributes (the time-stamp token lives here).
    pub unsigned_attrs: Vec<Attribute>,
}

/// A parsed SignedData.
#[derive(Clone, Debug)]
pub struct SignedData {
    /// The content type of the signed content.
    pub content_type: String,
    /// The content, when attached.
    pub content: Option<Vec<u8>>,
    /// The certificates carried.
    pub certificates: Vec<Certificate>,
    /// The signers.
    pub signers: Vec<SignerInfo>,
}

impl SignedData {
    /// Parses a ContentInfo with SignedData: DER, PEM (`CMS`, `PKCS7`) or base64 (as
    /// NCALayer returns it).
    pub fn parse(input: &[u8]) -> Result<SignedData, Error> {
        let der = crate::pem::decode_one(input, "CMS")?;
        parse(&der).map_err(|e| Error::Malformed(format!("CMS: {}", e.0)))
    }

    /// The certificate a SignerInfo names, among those carried (Kalkan carries the signer's).
    fn signer_certificate(&self, sid: &SignerId) -> Option<Certificate> {
        self.certificates.iter().find(|c| matches_sid(c, sid)).cloned()
    }
}

fn matches_sid(c: &Certificate, sid: &SignerId) -> bool {
    match sid {
        SignerId::IssuerSerial(issuer, serial) => &c.issuer.der == issuer && &c.serial == serial,
        SignerId::KeyId(k) => c.subject_key_id.as_ref() == Some(k),
    }
}

fn attributes(t: &Tlv<'_>) -> Result<Vec<Attribute>, DerError> {
    let mut out = Vec::new();
    let mut r = t.children();
    while !r.is_empty() {
        let a = r.expect(tag::SEQUENCE, "attribute")?;
        let mut ar = a.children();
        let o = ar.expect(tag::OID, "attribute type")?.oid()?;
        let set = ar.expect(tag::SET, "attribute values")?;
        let mut vr = set.children();
        let mut values = Vec::new();
        while !vr.is_empty() {
            values.push(vr.any()?.raw.to_vec());
        }
        out.push(Attribute { oid: o, values });
    }
    Ok(out)
}

fn parse(der: &[u8]) -> Result<SignedData, DerError> {
    let mut top = Reader::new(der);
    let ci = top.expect(tag::SEQUENCE, "ContentInfo")?;
    let mut c = ci.children();
    let ct = c.expect(tag::OID, "contentType")?.oid()?;
    if ct != oid::SIGNED_DATA {
        return Err(DerError(format!("not SignedData but {ct}")));
    }
    let sd = c.expect(tag::ctx(0), "content")?.children().expect(tag::SEQUENCE, "SignedData")?;
    let mut s = sd.children();
    s.expect(tag::INTEGER, "version")?;
    s.expect(tag::SET, "digestAlgorithms")?;
    let eci = s.expect(tag::SEQUENCE, "encapContentInfo")?;
    let mut e = eci.children();
    let content_type = e.expect(tag::OID, "eContentType")?.oid()?;
    let content = match e.optional(tag::ctx(0))? {
        Some(wrapped) => Some(wrapped.children().any()?.octets()?),
        None => None,
    };
    let mut certificates = Vec::new();
    if let Some(certs) = s.optional(tag::ctx(0))? {
        let mut cr = certs.children();
        while !cr.is_empty() {
            let c = cr.any()?;
            // Only X.509 certificates (SEQUENCE); other choices are skipped.
            if c.tag == tag::SEQUENCE {
                certificates.push(Certificate::from_der(c.raw).map_err(|e| DerError(e.to_string()))?);
            }
        }
    }
    s.optional(tag::ctx(1))?;
    let infos = s.expect(tag::SET, "signerInfos")?;
    let mut signers = Vec::new();
    let mut ir = infos.children();
    while !ir.is_empty() {
        let si = ir.expect(tag::SEQUENCE, "SignerInfo")?;
        let mut r = si.children();
        r.expect(tag::INTEGER, "version")?;
        let sid = match r.peek_tag() {
            Some(tag::SEQUENCE) => {
                let ias = r.any()?;
                let mut ir2 = ias.children();
                let issuer = ir2.expect(tag::SEQUENCE, "issuer")?.raw.to_vec();
                let serial = ir2.expect(tag::INTEGER, "serialNumber")?.integer_bytes()?.to_vec();
                SignerId::IssuerSerial(issuer, serial)
            }
            Some(t) if t == tag::ctx_prim(0) => SignerId::KeyId(r.any()?.value.to_vec()),
            _ => return Err(DerError("SignerInfo: bad signer identifier".into())),
        };
        let digest_alg = x509::algorithm_oid(&r.expect(tag::SEQUENCE, "digestAlgorithm")?)?;
        let (signed_attrs_der, signed_attrs) = match r.optional(tag::ctx(0))? {
            Some(a) => (Some(a.raw.to_vec()), attributes(&a)?),
            None => (None, Vec::new()),
        };
        let sig_alg = x509::algorithm_oid(&r.expect(tag::SEQUENCE, "signatureAlgorithm")?)?;
        let signature = r.expect(tag::OCTET_STRING, "signature")?.value.to_vec();
        let unsigned_attrs = match r.optional(tag::ctx(1))? {
            Some(a) => attributes(&a)?,
            None => Vec::new(),
        };
        signers.push(SignerInfo {
            sid,
            digest_alg,
            signed_attrs_der,
            signed_attrs,
            sig_alg,
            signature,
            unsigned_attrs,
        });
    }
    Ok(SignedData { content_type, content, certificates, signers })
}

/// On what evidence the signer's certificate was judged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeBasis {
    /// A verified time-stamp token (CAdES-T): a trusted third party's evidence.
    TimeStamp,
    /// The instant the caller gave: an audit instant (`--at`), or the moment the server
    /// received the signature, kept in its own records.
    AuditInstant,
    /// The current time: for a signature received online, the moment it arrived. The
    /// signer's own signingTime is never the basis: it is their claim, and a key that has
    /// expired or been revoked could backdate it to pass.
    Now,
}

impl TimeBasis {
    /// How reports name it.
    pub fn describe(self) -> &'static str {
        match self {
            TimeBasis::TimeStamp => "time-stamp",
            TimeBasis::AuditInstant => "the instant given; with no time-stamp the signing time is unproven",
            TimeBasis::Now => "now; with no time-stamp the signing time is unproven",
        }
    }
}

/// A verified time-stamp.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeStamp {
    /// genTime.
    pub time: Timestamp,
    /// The TSA's name.
    pub authority: String,
}

/// Why a signer is not valid, in terms a person can be told in their language; the
/// technical detail is in [`SignerReport::error`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The signature cannot be read or uses an algorithm not implemented.
    Unusable,
    /// The signer's certificate is not in the signature.
    MissingCertificate,
    /// The content is not what was signed.
    ContentMismatch,
    /// The signature value does not verify under the certificate's key.
    BadSignature,
    /// The time-stamp is not valid or not over this signature.
    TimeStamp,
    /// The signature (its time-stamp, or the signer's claim) is dated after the present.
    FromTheFuture {
        /// The time claimed.
        claimed: Timestamp,
    },
    /// The certificate's key usage does not allow signing.
    NotForSigning,
    /// The signer's certificate had expired at the instant judged.
    Expired {
        /// Its last valid instant.
        until: Timestamp,
    },
    /// The signer's certificate was not yet valid at the instant judged.
    NotYetValid {
        /// Its first valid instant.
        from: Timestamp,
    },
    /// No valid chain to a trusted root.
    Untrusted,
    /// The certificate was revoked before the instant judged.
    Revoked {
        /// When.
        date: Timestamp,
    },
}

/// What was found about one signer.
#[derive(Clone, Debug)]
pub struct SignerReport {
    /// The signer's certificate, when found.
    pub certificate: Option<Certificate>,
    /// Its subject.
    pub subject: String,
    /// The IIN it names.
    pub iin: Option<String>,
    /// The BIN it names.
    pub bin: Option<String>,
    /// Individual or legal entity's employee.
    pub holder: Option<HolderKind>,
    /// The signature algorithm.
    pub algorithm: String,
    /// signingTime, as claimed.
    pub signing_time: Option<Timestamp>,
    /// The time-stamp, when a valid token is attached.
    pub time_stamp: Option<TimeStamp>,
    /// The instant at which the certificate was judged, and why that one.
    pub judged_at: Timestamp,
    /// Why that instant.
    pub time_basis: TimeBasis,
    /// The chain, leaf first, by subject.
    pub chain: Vec<String>,
    /// The trusted root the chain ends at, when it was built.
    pub root: Option<Certificate>,
    /// Revocation status, when the chain was built.
    pub revocation: Option<Revocation>,
    /// Why it is not valid, technically (English); `None` when it is.
    pub error: Option<String>,
    /// Why it is not valid, as a kind a person can be told in their language.
    pub failure: Option<Failure>,
    /// Whether the failure was unusable input rather than a refusal.
    pub unusable: bool,
    /// Things worth knowing that do not invalidate.
    pub notes: Vec<String>,
}

impl SignerReport {
    /// Valid in every respect checked.
    pub fn is_valid(&self) -> bool {
        self.error.is_none()
    }
}

/// The result of verifying a CMS.
#[derive(Clone, Debug)]
pub struct Report {
    /// One report per SignerInfo, in order.
    pub signers: Vec<SignerReport>,
    /// Whether the content was attached.
    pub attached: bool,
}

impl Report {
    /// At least one signer, and every signer valid.
    pub fn is_valid(&self) -> bool {
        !self.signers.is_empty() && self.signers.iter().all(SignerReport::is_valid)
    }

    /// Some signer failed on unusable input (an unknown algorithm).
    pub fn is_unusable(&self) -> bool {
        self.signers.iter().any(|s| s.unusable)
    }
}

/// When and against what to verify.
#[derive(Clone, Debug)]
pub struct VerifyOptions {
    /// The current time, from the caller: the library never reads the clock.
    pub now: Timestamp,
    /// An audit instant: judge as of then instead of the signature's own claims.
    pub at: Option<Timestamp>,
}

/// Verifies every signer of `cms` over `detached` content (or the attached content).
/// `Err` only when the input is unusable as a whole; each signer's verdict is in the report.
pub fn verify(cms: &[u8], detached: Option<&[u8]>, store: &TrustStore, opts: &VerifyOptions) -> Result<Report, Error> {
    let sd = SignedData::parse(cms)?;
    let (content, attached) = match (detached, &sd.content) {
        (Some(d), Some(a)) if d != a.as_slice() => {
            return Err(Error::Invalid("the file given differs from the content inside the signature".into()));
        }
        (Some(d), _) => (d.to_vec(), sd.content.is_some()),
        (None, Some(a)) => (a.clone(), true),
        (None, None) => {
            return Err(Error::Malformed("the signature is detached: give the signed file too".into()));
        }
    };
    if sd.signers.is_empty() {
        return Err(Error::Malformed("the CMS has no signer".into()));
    }
    let signers = sd.signers.iter().map(|si| verify_signer(&sd, si, &content, store, opts, false)).collect();
    Ok(Report { signers, attached })
}

fn attr<'a>(si: &'a SignerInfo, o: &str) -> Option<&'a [u8]> {
    si.signed_attrs.iter().find(|a| a.oid == o).and_then(|a| a.values.first()).map(Vec::as_slice)
}

impl SignerInfo {
    /// The bytes its signature is over: the signed attributes as received, read as
    /// `SET OF`, or the content when there are none.
    pub fn signed_bytes(&self, content: &[u8]) -> Vec<u8> {
        signed_bytes(self, content)
    }
}

/// What a SignerInfo's own signature is over: the signed attributes as `SET OF`, or the
/// content when there are none.
fn signed_bytes(si: &SignerInfo, content: &[u8]) -> Vec<u8> {
    match &si.signed_attrs_der {
        Some(raw) => {
            let mut b = raw.clone();
            b[0] = tag::SET;
            b
        }
        None => content.to_vec(),
    }
}

/// Checks the signed attributes against the content and the signer's certificate.
fn check_attributes(
    si: &SignerInfo,
    content_type: &str,
    content: &[u8],
    cert: &Certificate,
) -> Result<Option<Timestamp>, Error> {
    if si.signed_attrs_der.is_none() {
        return Ok(None);
    }
    let Some(hash) = HashAlg::from_oid(&si.digest_alg) else {
        return Err(Error::Unsupported(format!("digest algorithm {}", si.digest_alg)));
    };
    let ct = attr(si, oid::CONTENT_TYPE)
        .ok_or_else(|| Error::Invalid("no contentType among the signed attributes".into()))?;
    if Reader::new(ct).any()?.oid()? != content_type {
        return Err(Error::Invalid("the signed contentType is not the content's type".into()));
    }
    let md = attr(si, oid::MESSAGE_DIGEST)
        .ok_or_else(|| Error::Invalid("no messageDigest among the signed attributes".into()))?;
    if Reader::new(md).any()?.octets()? != hash.digest(content) {
        return Err(Error::Invalid("the content does not match the signature (messageDigest differs)".into()));
    }
    if let Some(v2) = attr(si, oid::SIGNING_CERTIFICATE_V2) {
        check_ess_cert_id(v2, cert, HashAlg::Sha256)?;
    } else if let Some(v1) = attr(si, oid::SIGNING_CERTIFICATE) {
        check_ess_cert_id(v1, cert, HashAlg::Sha1)?;
    }
    match attr(si, oid::SIGNING_TIME) {
        Some(t) => Ok(Some(Reader::new(t).any()?.time()?)),
        None => Ok(None),
    }
}

/// SigningCertificate(V2): the first ESSCertID's hash must be the certificate's.
fn check_ess_cert_id(value: &[u8], cert: &Certificate, default: HashAlg) -> Result<(), Error> {
    let sc = Reader::new(value).expect(tag::SEQUENCE, "SigningCertificate")?;
    let certs = sc.children().expect(tag::SEQUENCE, "certs")?;
    let id = certs.children().expect(tag::SEQUENCE, "ESSCertID")?;
    let mut r = id.children();
    let hash = match r.optional(tag::SEQUENCE)? {
        Some(alg) => {
            let o = x509::algorithm_oid(&alg)?;
            HashAlg::from_oid(&o).ok_or_else(|| Error::Unsupported(format!("certificate hash {o}")))?
        }
        None => default,
    };
    let h = r.expect(tag::OCTET_STRING, "certHash")?.value;
    if h != hash.digest(&cert.der).as_slice() {
        return Err(Error::Invalid(
            "the signing certificate named in the signed attributes is not the signer's".into(),
        ));
    }
    Ok(())
}

/// The signature value of a SignerInfo checked with the certificate's key; the algorithm's
/// name.
fn check_signature(si: &SignerInfo, cert: &Certificate, content: &[u8]) -> Result<String, Error> {
    x509::verify_any(cert, &si.sig_alg, Some(&si.digest_alg), &signed_bytes(si, content), &si.signature).map_err(|e| {
        match e {
            Error::Invalid(_) => Error::Invalid("the signature does not verify".into()),
            other => other,
        }
    })
}

fn verify_signer(
    sd: &SignedData,
    si: &SignerInfo,
    content: &[u8],
    store: &TrustStore,
    opts: &VerifyOptions,
    is_tsa: bool,
) -> SignerReport {
    let mut rep = SignerReport {
        certificate: None,
        subject: String::new(),
        iin: None,
        bin: None,
        holder: None,
        algorithm: si.sig_alg.clone(),
        signing_time: None,
        time_stamp: None,
        judged_at: opts.at.unwrap_or(opts.now),
        time_basis: if opts.at.is_some() { TimeBasis::AuditInstant } else { TimeBasis::Now },
        chain: Vec::new(),
        root: None,
        revocation: None,
        error: None,
        failure: None,
        unusable: false,
        notes: Vec::new(),
    };
    if let Err((failure, e)) = verify_signer_into(sd, si, content, store, opts, is_tsa, &mut rep) {
        rep.unusable = e.is_unusable();
        rep.failure = Some(if rep.unusable { Failure::Unusable } else { failure });
        rep.error = Some(e.to_string());
    }
    rep
}

fn verify_signer_into(
    sd: &SignedData,
    si: &SignerInfo,
    content: &[u8],
    store: &TrustStore,
    opts: &VerifyOptions,
    is_tsa: bool,
    rep: &mut SignerReport,
) -> Result<(), (Failure, Error)> {
    let as_ = |f: Failure| move |e: Error| (f, e);
    let cert = sd.signer_certificate(&si.sid).ok_or_else(|| {
        (Failure::MissingCertificate, Error::Malformed("the signer's certificate is not in the signature".into()))
    })?;
    rep.subject = cert.subject.display();
    rep.iin = cert.iin();
    rep.bin = cert.bin();
    rep.holder = cert.holder_kind();
    rep.certificate = Some(cert.clone());

    rep.signing_time = check_attributes(si, &sd.content_type, content, &cert).map_err(as_(Failure::ContentMismatch))?;
    rep.algorithm = check_signature(si, &cert, content).map_err(as_(Failure::BadSignature))?;

    // The instant to judge the certificate at: a verified time-stamp, else the instant the
    // caller gives (an audit instant, or when the server received it), else now. The
    // signer's signingTime is shown, never trusted (see `TimeBasis::Now`).
    if !is_tsa && let Some(token) = si.unsigned_attrs.iter().find(|a| a.oid == oid::TIME_STAMP_TOKEN) {
        let ts = verify_time_stamp(token, &si.signature, store, opts).map_err(as_(Failure::TimeStamp))?;
        rep.judged_at = ts.time;
        rep.time_basis = TimeBasis::TimeStamp;
        rep.time_stamp = Some(ts);
    }
    let latest = opts.now + jiff::SignedDuration::from_mins(5);
    if let Some(claimed) =
        rep.signing_time.filter(|t| *t > latest).or((rep.judged_at > latest).then_some(rep.judged_at))
    {
        return Err((
            Failure::FromTheFuture { claimed },
            Error::Invalid(format!("the signature claims to be made at {claimed}, after {}", opts.now)),
        ));
    }
    if rep.time_basis != TimeBasis::TimeStamp && !is_tsa {
        let said = rep.signing_time.map(|t| format!(" (the signer's clock said {t})")).unwrap_or_default();
        rep.notes.push(format!("the signing time is unproven: no time-stamp{said}; judged at {}", rep.judged_at));
    }
    if let (Some(claimed), Some(ts)) = (rep.signing_time, &rep.time_stamp)
        && (ts.time - claimed).abs() > jiff::SignedDuration::from_hours(24)
    {
        rep.notes.push(format!("the signer's clock said {claimed}, the time-stamp {}", ts.time));
    }

    // The certificate: may it sign, and does it chain to a trusted root at that instant?
    if let Some(ku) = cert.key_usage
        && ku & (key_usage::DIGITAL_SIGNATURE | key_usage::NON_REPUDIATION) == 0
    {
        return Err((
            Failure::NotForSigning,
            Error::Invalid("the signer's certificate is not for signing (key usage)".into()),
        ));
    }
    if is_tsa && !cert.ext_key_usage.iter().flatten().any(|o| o == oid::KP_TIME_STAMPING) {
        return Err((
            Failure::NotForSigning,
            Error::Invalid("the time-stamp's certificate is not for time-stamping".into()),
        ));
    }
    let chain_failure = if rep.judged_at > cert.not_after {
        Failure::Expired { until: cert.not_after }
    } else if rep.judged_at < cert.not_before {
        Failure::NotYetValid { from: cert.not_before }
    } else {
        Failure::Untrusted
    };
    let path = store.build_path(&cert, &sd.certificates, rep.judged_at).map_err(as_(chain_failure))?;
    rep.chain = path.iter().map(|c| c.subject.common_name().to_owned()).collect();
    rep.root = path.last().cloned();
    if let Some(issuer) = path.get(1) {
        let status = store.revocation(&cert, issuer, rep.judged_at);
        rep.revocation = Some(status.clone());
        if let Revocation::Revoked { date, .. } = status {
            return Err((
                Failure::Revoked { date },
                Error::Invalid(format!("the signer's certificate was revoked on {date}, before the instant judged")),
            ));
        }
    }
    Ok(())
}

/// Verifies an `id-aa-signatureTimeStampToken` over `signature`: a SignedData of TSTInfo by a
/// time-stamping authority trusted at the time it states, whose imprint is the hash of the
/// signature value.
fn verify_time_stamp(
    token: &Attribute,
    signature: &[u8],
    store: &TrustStore,
    opts: &VerifyOptions,
) -> Result<TimeStamp, Error> {
    let der = token.values.first().ok_or_else(|| Error::Malformed("an empty time-stamp attribute".into()))?;
    let tsd = parse(der).map_err(|e| Error::Malformed(format!("time-stamp token: {}", e.0)))?;
    if tsd.content_type != oid::TST_INFO {
        return Err(Error::Malformed("the time-stamp token does not hold a TSTInfo".into()));
    }
    let info = tsd.content.as_deref().ok_or_else(|| Error::Malformed("the time-stamp token has no TSTInfo".into()))?;
    let (hash_oid, imprint, gen_time) = tst_info(info).map_err(|e| Error::Malformed(format!("TSTInfo: {}", e.0)))?;
    let hash = HashAlg::from_oid(&hash_oid).ok_or_else(|| Error::Unsupported(format!("time-stamp hash {hash_oid}")))?;
    if imprint != hash.digest(signature) {
        return Err(Error::Invalid("the time-stamp is not over this signature (message imprint differs)".into()));
    }
    let tsa_opts = VerifyOptions { now: opts.at.unwrap_or(opts.now), at: Some(gen_time) };
    let si = tsd.signers.first().ok_or_else(|| Error::Malformed("the time-stamp token has no signer".into()))?;
    let rep = verify_signer(&tsd, si, info, store, &tsa_opts, true);
    if let Some(e) = rep.error {
        return Err(Error::Invalid(format!("time-stamp: {e}")));
    }
    let authority = rep.certificate.map(|c| c.subject.common_name().to_owned()).unwrap_or_default();
    Ok(TimeStamp { time: gen_time, authority })
}

/// (hash OID, imprint, genTime) of a TSTInfo.
fn tst_info(der: &[u8]) -> Result<(String, Vec<u8>, Timestamp), DerError> {
    let seq = Reader::new(der).expect(tag::SEQUENCE, "TSTInfo")?;
    let mut r = seq.children();
    r.expect(tag::INTEGER, "version")?;
    r.expect(tag::OID, "policy")?;
    let mi = r.expect(tag::SEQUENCE, "messageImprint")?;
    let mut m = mi.children();
    let hash = x509::algorithm_oid(&m.expect(tag::SEQUENCE, "hashAlgorithm")?)?;
    let imprint = m.expect(tag::OCTET_STRING, "hashedMessage")?.value.to_vec();
    r.expect(tag::INTEGER, "serialNumber")?;
    let gen_time = r.expect(tag::GENERALIZED_TIME, "genTime")?.time()?;
    Ok((hash, imprint, gen_time))
}

/// How to make a signature.
#[derive(Clone, Debug)]
pub struct SignOptions {
    /// The signing time to state (from the caller's clock).
    pub signing_time: Timestamp,
    /// Put the content inside the CMS.
    pub attached: bool,
}

/// A CMS SignedData over `content` in KalkanCrypt's layout: version 1, Streebog digest, the
/// signer's certificate (and any chain given), signed attributes contentType, signingTime,
/// signingCertificateV2 and messageDigest.
pub fn sign(
    content: &[u8],
    key: &PrivateKey,
    cert: &Certificate,
    chain: &[Certificate],
    opts: &SignOptions,
) -> Result<Vec<u8>, Error> {
    if cert.gost_curve() != Some(key.curve()) || cert.public_key != key.public_key() {
        return Err(Error::Key("the key is not the certificate's".into()));
    }
    let alg = crate::alg::sig_alg_for(key.curve());
    let hash = alg.hash();
    let digest_alg = write::seq(&[&write::oid(hash.oid()), &write::null()]);
    let attr = |o: &str, value: Vec<u8>| write::seq(&[&write::oid(o), &write::set_of(&[value])]);
    let ess = write::seq(&[&write::seq(&[&write::seq(&[&write::octets(&cert.sha256())])])]);
    let attrs = vec![
        attr(oid::CONTENT_TYPE, write::oid(oid::DATA)),
        attr(oid::SIGNING_TIME, write::time(opts.signing_time)),
        attr(oid::SIGNING_CERTIFICATE_V2, ess),
        attr(oid::MESSAGE_DIGEST, write::octets(&hash.digest(content))),
    ];
    let as_set = write::set_of(&attrs);
    let signature = key.sign(&hash.digest(&as_set)).map_err(|e| Error::Key(e.to_string()))?;
    let mut signed_attrs = as_set.clone();
    signed_attrs[0] = tag::ctx(0);

    let sid = write::seq(&[&cert.issuer.der, &write::uint(&cert.serial)]);
    let signer_info = write::seq(&[
        &write::small(1),
        &sid,
        &digest_alg,
        &signed_attrs,
        &write::seq(&[&write::oid(alg.oid()), &write::null()]),
        &write::octets(&signature),
    ]);
    let econtent = if opts.attached {
        write::seq(&[&write::oid(oid::DATA), &write::cons(tag::ctx(0), &[&write::octets(content)])])
    } else {
        write::seq(&[&write::oid(oid::DATA)])
    };
    let mut certs: Vec<u8> = cert.der.clone();
    for c in chain {
        certs.extend_from_slice(&c.der);
    }
    let signed_data = write::seq(&[
        &write::small(1),
        &write::set_of(std::slice::from_ref(&digest_alg)),
        &econtent,
        &write::tlv(tag::ctx(0), &certs),
        &write::set_of(&[signer_info]),
    ]);
    Ok(write::seq(&[&write::oid(oid::SIGNED_DATA), &write::cons(tag::ctx(0), &[&signed_data])]))
}
