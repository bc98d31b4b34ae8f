//! Signed documents: detached CMS (PKCS #7) SignedData over a document's bytes, with X.509
//! certificates, RSA-SHA256 (the national CA's RSA profile) or ECDSA P-256. Every signature
//! made here verifies with `openssl cms -verify -binary -inform DER -in SIG -content FILE
//! -CAfile CA.pem`. Verification builds the chain to the configured trust roots and checks
//! dates and key usage, behind [`Verifier`], so a GOST-capable provider can be added later.
//!
//! For development and tests, [`Identity::new_ca`] and [`Identity::issue`] make a local CA and
//! keys (`qualcert pki`); production configures the national CA's roots.
//!
//! Built on OpenSSL (Debian's `libssl`) rather than the RustCrypto `cms` release candidate:
//! the same library the verification command uses, so what we sign is what OpenSSL accepts.

mod fonts;
pub mod forms;
pub mod gost;
pub mod office;
pub mod pdf;

pub use gost::{GostIdentity, KzVerifier, Signer};
pub use office::Office;

/// Which kind of signature a result (a certificate, a duplicate, a reasoned refusal) carries,
/// as Rules §13 allows two: the akimat's authorised person's own EDS, made through NCALayer,
/// or the akimat's information system's key on the server. The document says which, so a
/// reader knows whom the signature binds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignedWith {
    /// The authorised person's own EDS.
    Person,
    /// The information system's key.
    System,
}

impl SignedWith {
    /// What the document says about its signature, in `lang`.
    pub fn phrase(self, lang: pdf::Lang) -> String {
        let key = match self {
            SignedWith::Person => "form-56",
            SignedWith::System => "form-57",
        };
        rules::speech::say(lang.text(), key, &[])
    }
}

use std::fs;
use std::path::Path;

use openssl::asn1::{Asn1Integer, Asn1Time};
use openssl::bn::{BigNum, MsbOption};
use openssl::cms::{CMSOptions, CmsContentInfo};
use openssl::ec::{EcGroup, EcKey};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use openssl::stack::Stack;
use openssl::x509::extension::{AuthorityKeyIdentifier, BasicConstraints, KeyUsage, SubjectKeyIdentifier};
use openssl::x509::store::{X509Store, X509StoreBuilder};
use openssl::x509::{X509, X509Builder, X509NameBuilder};

/// What can go wrong with keys, certificates and signatures.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    /// OpenSSL refused; the message says why.
    #[error("{0}")]
    Crypto(String),
    /// A file could not be read or written.
    #[error("{0}")]
    Io(String),
    /// A document could not be typeset.
    #[error("typesetting: {0}")]
    Render(String),
    /// A signature was checked and is not accepted: why, in a word a person can be told, and
    /// the verifier's own words for the log.
    #[error("{detail}")]
    Rejected {
        /// Why, for the person.
        why: Rejection,
        /// The verifier's message.
        detail: String,
    },
}

/// Why a signature is not accepted, as whoever checks a paper needs to hear it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejection {
    /// The file is not a signature (or not one this service can read).
    NotASignature,
    /// The document is not the one signed: changed after signing, or another file.
    Altered,
    /// The signer's certificate does not lead to a root this service trusts.
    Untrusted,
    /// The signer's certificate had expired, or was not yet valid.
    Expired,
    /// The signer's certificate was revoked.
    Revoked,
    /// The certificate is not one for signing.
    NotForSigning,
}

impl Rejection {
    /// A name for messages (`signed-why-…` in the locales) and logs.
    pub fn name(self) -> &'static str {
        match self {
            Rejection::NotASignature => "not-a-signature",
            Rejection::Altered => "altered",
            Rejection::Untrusted => "untrusted",
            Rejection::Expired => "expired",
            Rejection::Revoked => "revoked",
            Rejection::NotForSigning => "not-for-signing",
        }
    }

    /// What a failed check of the signer's chain means, by OpenSSL's verification code
    /// (`X509_V_ERR_*`, `x509_vfy.h`), never by the words of its message, which OpenSSL may
    /// change and which another locale or version spells otherwise.
    fn of_verify_code(code: i32) -> Rejection {
        // The codes are OpenSSL's public, stable ABI.
        const NOT_YET_VALID: i32 = 9;
        const HAS_EXPIRED: i32 = 10;
        const REVOKED: i32 = 23;
        const INVALID_PURPOSE: i32 = 26;
        const KEYUSAGE_NO_DIGITAL_SIGNATURE: i32 = 39;
        match code {
            NOT_YET_VALID | HAS_EXPIRED => Rejection::Expired,
            REVOKED => Rejection::Revoked,
            INVALID_PURPOSE | KEYUSAGE_NO_DIGITAL_SIGNATURE => Rejection::NotForSigning,
            // No issuer found, a self-signed certificate, a chain signature that fails, a CRL
            // that cannot be had: nothing leads to a root this service trusts.
            _ => Rejection::Untrusted,
        }
    }
}

impl From<openssl::error::ErrorStack> for SignError {
    fn from(e: openssl::error::ErrorStack) -> SignError {
        SignError::Crypto(e.to_string())
    }
}

/// The kind of key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// RSA-2048, signatures RSA-SHA256 with PKCS #1 v1.5 (the national CA's RSA profile).
    Rsa2048,
    /// ECDSA on P-256 with SHA-256.
    EcP256,
}

/// A key with its certificate and the chain up to (not including) the root. Cloning shares
/// the key (OpenSSL counts references); it does not copy it.
#[derive(Clone)]
pub struct Identity {
    /// The private key.
    pub key: PKey<Private>,
    /// Its certificate.
    pub cert: X509,
    /// Intermediate certificates, if any.
    pub chain: Vec<X509>,
}

fn new_key(kind: KeyKind) -> Result<PKey<Private>, SignError> {
    Ok(match kind {
        KeyKind::Rsa2048 => PKey::from_rsa(Rsa::generate(2048)?)?,
        KeyKind::EcP256 => {
            let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1)?;
            PKey::from_ec_key(EcKey::generate(&group)?)?
        }
    })
}

fn serial() -> Result<Asn1Integer, SignError> {
    let mut bn = BigNum::new()?;
    bn.rand(127, MsbOption::MAYBE_ZERO, false)?;
    Ok(bn.to_asn1_integer()?)
}

fn name(common_name: &str, organization: &str) -> Result<openssl::x509::X509Name, SignError> {
    person_name(common_name, organization, None)
}

/// A subject name; a person's carries `serialNumber=IIN…` as the national CA's do.
fn person_name(common_name: &str, organization: &str, iin: Option<&str>) -> Result<openssl::x509::X509Name, SignError> {
    named_subject(common_name, None, organization, iin)
}

/// A subject name with the name's parts laid out as the national CA does (`SURNAME`, and the
/// patronymic as `G`).
fn named_subject(
    common_name: &str,
    parts: Option<&PersonName>,
    organization: &str,
    iin: Option<&str>,
) -> Result<openssl::x509::X509Name, SignError> {
    let mut n = X509NameBuilder::new()?;
    n.append_entry_by_nid(Nid::COUNTRYNAME, "KZ")?;
    n.append_entry_by_nid(Nid::ORGANIZATIONNAME, organization)?;
    n.append_entry_by_nid(Nid::COMMONNAME, common_name)?;
    if let Some(p) = parts {
        n.append_entry_by_nid(Nid::SURNAME, &p.surname)?;
        if let Some(patronymic) = &p.patronymic {
            n.append_entry_by_nid(Nid::GIVENNAME, patronymic)?;
        }
    }
    if let Some(iin) = iin {
        n.append_entry_by_nid(Nid::SERIALNUMBER, &format!("IIN{iin}"))?;
    }
    Ok(n.build())
}

/// A person's name in its parts, as the national CA's certificates carry them: `SURNAME`, the
/// common name (surname, then given names), and the patronymic in `G`. A name is never split
/// on spaces: "De la Cruz" is one surname and "Anna Maria" one set of given names.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct PersonName {
    /// Family name, as many words as it has.
    pub surname: String,
    /// Given names (may be empty: some people have none).
    pub given_names: String,
    /// Patronymic, where the person has one.
    pub patronymic: Option<String>,
}

impl PersonName {
    /// The parts of a certificate's name; `None` when it has no `SURNAME` (a service's or an
    /// organisation's certificate, or one whose layout is not the national CA's).
    pub fn read(common_name: &str, surname: Option<&str>, given: Option<&str>) -> Option<PersonName> {
        let surname = surname.map(str::trim).filter(|s| !s.is_empty())?;
        let cn = common_name.trim();
        let given_names = match cn.get(..surname.len()) {
            Some(head) if head.to_lowercase() == surname.to_lowercase() => cn[surname.len()..].trim(),
            _ => "",
        };
        Some(PersonName {
            surname: surname.to_owned(),
            given_names: given_names.to_owned(),
            patronymic: given.map(str::trim).filter(|g| !g.is_empty()).map(str::to_owned),
        })
    }

    /// The common name the national CA writes: surname, then given names.
    pub fn common_name(&self) -> String {
        format!("{} {}", self.surname.trim(), self.given_names.trim()).trim().to_owned()
    }

    /// The whole name as people write it: surname, given names, patronymic.
    pub fn full(&self) -> String {
        match &self.patronymic {
            Some(p) => format!("{} {p}", self.common_name()),
            None => self.common_name(),
        }
    }
}

fn name_entry(cert: &openssl::x509::X509Ref, nid: Nid) -> Option<String> {
    cert.subject_name().entries_by_nid(nid).next().and_then(|e| e.data().to_string().ok())
}

/// The IIN a certificate names in its subject's `serialNumber` (`IIN` and 12 digits), as the
/// national CA's personal certificates do.
fn subject_iin(cert: &openssl::x509::X509Ref) -> Option<String> {
    cert.subject_name().entries_by_nid(Nid::SERIALNUMBER).find_map(|e| {
        let value = e.data().to_string().ok()?;
        let iin = value.strip_prefix("IIN")?;
        (iin.len() == 12 && iin.bytes().all(|b| b.is_ascii_digit())).then(|| iin.to_owned())
    })
}

impl Identity {
    /// A self-signed root for development and tests (RSA-2048), valid for `days`.
    pub fn new_ca(common_name: &str, days: u32) -> Result<Identity, SignError> {
        let key = new_key(KeyKind::Rsa2048)?;
        let subject = name(common_name, "qualcert development CA")?;
        let mut b = X509Builder::new()?;
        b.set_version(2)?;
        let serial = serial()?;
        b.set_serial_number(&serial)?;
        b.set_subject_name(&subject)?;
        b.set_issuer_name(&subject)?;
        b.set_pubkey(&key)?;
        let (from, until) = (Asn1Time::days_from_now(0)?, Asn1Time::days_from_now(days)?);
        b.set_not_before(&from)?;
        b.set_not_after(&until)?;
        b.append_extension(BasicConstraints::new().critical().ca().build()?)?;
        b.append_extension(KeyUsage::new().critical().key_cert_sign().crl_sign().build()?)?;
        let ski = SubjectKeyIdentifier::new().build(&b.x509v3_context(None, None))?;
        b.append_extension(ski)?;
        b.sign(&key, MessageDigest::sha256())?;
        Ok(Identity { key, cert: b.build(), chain: Vec::new() })
    }

    /// A signing key and certificate issued by this CA: key usage digital signature and
    /// non-repudiation, not a CA.
    pub fn issue(&self, common_name: &str, kind: KeyKind, days: u32) -> Result<Identity, SignError> {
        self.issue_for(common_name, None, kind, days)
    }

    /// As [`Identity::issue`], for a person with an IIN, which the certificate names as the
    /// national CA's do (`serialNumber=IIN…`), so a signature can be tied to an applicant.
    pub fn issue_for(
        &self,
        common_name: &str,
        iin: Option<&str>,
        kind: KeyKind,
        days: u32,
    ) -> Result<Identity, SignError> {
        self.issue_named(common_name, None, iin, kind, days)
    }

    /// As [`Identity::issue_for`], the name's parts written as the national CA writes them.
    pub fn issue_named(
        &self,
        common_name: &str,
        parts: Option<&PersonName>,
        iin: Option<&str>,
        kind: KeyKind,
        days: u32,
    ) -> Result<Identity, SignError> {
        let key = new_key(kind)?;
        let subject = named_subject(common_name, parts, "qualcert", iin)?;
        let usage = KeyUsage::new().critical().digital_signature().non_repudiation().build()?;
        let cert = self.certify(&key, &subject, days, BasicConstraints::new().critical().build()?, usage)?;
        Ok(Identity { key, cert, chain: self.chain_below() })
    }

    /// A certificate by this CA for `key` under `subject`, valid from now for `days`, with the
    /// given constraints and key usage and the key identifiers.
    fn certify(
        &self,
        key: &PKey<Private>,
        subject: &openssl::x509::X509NameRef,
        days: u32,
        constraints: openssl::x509::X509Extension,
        usage: openssl::x509::X509Extension,
    ) -> Result<X509, SignError> {
        let mut b = X509Builder::new()?;
        b.set_version(2)?;
        let serial = serial()?;
        b.set_serial_number(&serial)?;
        b.set_subject_name(subject)?;
        b.set_issuer_name(self.cert.subject_name())?;
        b.set_pubkey(key)?;
        let (from, until) = (Asn1Time::days_from_now(0)?, Asn1Time::days_from_now(days)?);
        b.set_not_before(&from)?;
        b.set_not_after(&until)?;
        b.append_extension(constraints)?;
        b.append_extension(usage)?;
        let ctx = b.x509v3_context(Some(&self.cert), None);
        let ski = SubjectKeyIdentifier::new().build(&ctx)?;
        let aki = AuthorityKeyIdentifier::new().keyid(true).build(&ctx)?;
        b.append_extension(ski)?;
        b.append_extension(aki)?;
        b.sign(&self.key, MessageDigest::sha256())?;
        Ok(b.build())
    }

    /// Writes `STEM.key.pem` (private, mode 600) and `STEM.cert.pem` into `dir`.
    pub fn save(&self, dir: &Path, stem: &str) -> Result<(), SignError> {
        let io = |e: std::io::Error| SignError::Io(format!("{}: {e}", dir.display()));
        fs::create_dir_all(dir).map_err(io)?;
        let key_path = dir.join(format!("{stem}.key.pem"));
        fs::write(&key_path, self.key.private_key_to_pem_pkcs8()?).map_err(io)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&key_path, fs::Permissions::from_mode(0o600)).map_err(io)?;
        }
        // The certificate, then the intermediates up to the root, as CAs hand them out.
        let mut pem = self.cert.to_pem()?;
        for c in &self.chain {
            pem.extend(c.to_pem()?);
        }
        fs::write(dir.join(format!("{stem}.cert.pem")), pem).map_err(io)?;
        Ok(())
    }

    /// Reads a key and its certificate written by [`Identity::save`], or as a CA hands them
    /// out: the certificate file may go on with the intermediate certificates up to the root,
    /// which every signature then carries. Refuses a key that is not the certificate's.
    pub fn load(key: &Path, cert: &Path) -> Result<Identity, SignError> {
        let read = |p: &Path| fs::read(p).map_err(|e| SignError::Io(format!("{}: {e}", p.display())));
        let key_pem = PKey::private_key_from_pem(&read(key)?)?;
        let mut certs = X509::stack_from_pem(&read(cert)?)?.into_iter();
        let Some(leaf) = certs.next() else {
            return Err(SignError::Crypto(format!("{}: no certificate in the file", cert.display())));
        };
        if !leaf.public_key()?.public_eq(&key_pem) {
            return Err(SignError::Crypto(format!(
                "{} is not the key of the certificate in {}",
                key.display(),
                cert.display()
            )));
        }
        Ok(Identity { key: key_pem, cert: leaf, chain: certs.collect() })
    }

    /// The chain a certificate issued by this one carries: this one's chain and, unless this
    /// is a (self-signed) root, this certificate itself.
    fn chain_below(&self) -> Vec<X509> {
        let mut chain = self.chain.clone();
        let self_signed = self.cert.issued(&self.cert) == openssl::x509::X509VerifyResult::OK;
        if !self_signed {
            chain.insert(0, self.cert.clone());
        }
        chain
    }

    /// An intermediate CA under this one, as national CAs are built (root, then issuing CA):
    /// for development and tests of chains.
    pub fn issue_ca(&self, common_name: &str, days: u32) -> Result<Identity, SignError> {
        let key = new_key(KeyKind::Rsa2048)?;
        let subject = name(common_name, "qualcert development CA")?;
        let constraints = BasicConstraints::new().critical().ca().pathlen(0).build()?;
        let usage = KeyUsage::new().critical().key_cert_sign().crl_sign().build()?;
        let cert = self.certify(&key, &subject, days, constraints, usage)?;
        Ok(Identity { key, cert, chain: self.chain_below() })
    }

    /// The certificate's common name: the signer's name as printed under a signature.
    pub fn common_name(&self) -> String {
        common_name(&self.cert)
    }

    /// A detached CMS SignedData (DER) over `content`, SHA-256, with the signer's certificate.
    pub fn sign(&self, content: &[u8]) -> Result<Vec<u8>, SignError> {
        let mut chain = Stack::new()?;
        for c in &self.chain {
            chain.push(c.clone())?;
        }
        let cms = CmsContentInfo::sign(
            Some(&self.cert),
            Some(&self.key),
            Some(&chain),
            Some(content),
            CMSOptions::DETACHED | CMSOptions::BINARY,
        )?;
        Ok(cms.to_der()?)
    }
}

/// Names the certificate's holder, never the key.
impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Identity({})", self.common_name())
    }
}

/// SHA-256 of `bytes` in hex: how documents and signatures are named.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&openssl::sha::sha256(bytes))
}

/// Lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks detached signatures: [`OpensslVerifier`] for RSA and EC, [`KzVerifier`] for GOST
/// (and the others through OpenSSL).
pub trait Verifier {
    /// Who signed, when `signature` is a valid signature over `content` by a certificate that
    /// chains to a trusted root, was within its dates and not revoked at `at`, and may sign;
    /// otherwise why not. `at` is an instant the server knows: when it received the
    /// signature (its own records), never the signingTime the signer wrote, which an expired
    /// or revoked key could backdate. A time-stamp token, where present, decides instead.
    fn verify_at(&self, signature: &[u8], content: &[u8], at: jiff::Timestamp) -> Result<Signed, SignError>;

    /// As [`Verifier::verify_at`], judged now: for a signature received online, the moment
    /// it arrived.
    fn verify(&self, signature: &[u8], content: &[u8]) -> Result<Signed, SignError> {
        self.verify_at(signature, content, jiff::Timestamp::now())
    }
}

/// A signature that verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// The signers' names (the certificates' common names), as shown to whoever checks.
    pub signers: Vec<String>,
    /// The IINs the signers' certificates name (`serialNumber=IIN…`), when they do.
    pub iins: Vec<String>,
    /// Each signer's name in its parts, when the certificate gives them.
    pub names: Vec<Option<PersonName>>,
    /// Every signer's chain ends at a root of the national CA (not a development CA).
    pub national: bool,
}

fn common_name(cert: &openssl::x509::X509Ref) -> String {
    cert.subject_name()
        .entries_by_nid(Nid::COMMONNAME)
        .next()
        .and_then(|e| e.data().to_string().ok())
        .unwrap_or_default()
}

/// OpenSSL's own CMS verification against configured trust roots: the independent check the
/// tests hold qualcert's signatures to. The service verifies with [`KzVerifier`], which also
/// honours CRLs.
pub struct OpensslVerifier {
    roots: Vec<X509>,
}

impl OpensslVerifier {
    /// A verifier trusting `roots` (PEM certificates: the national CA's, or the local one).
    pub fn new(roots: &[X509]) -> Result<OpensslVerifier, SignError> {
        Ok(OpensslVerifier { roots: roots.to_vec() })
    }

    /// The roots, with certificates judged at `at`.
    fn store_at(&self, at: jiff::Timestamp) -> Result<X509Store, SignError> {
        let mut b = X509StoreBuilder::new()?;
        for r in &self.roots {
            b.add_cert(r.clone())?;
        }
        let mut param = openssl::x509::verify::X509VerifyParam::new()?;
        param.set_time(at.as_second() as _);
        b.set_param(&param)?;
        Ok(b.build())
    }

    /// Why a signature that `CMS_verify` refused is not accepted: its signer's chain checked
    /// again on its own, for S/MIME signing at `at`, and judged by the verification code; a
    /// chain that passes means the bytes are not the ones signed.
    fn why_not(&self, signature: &[u8], at: jiff::Timestamp) -> Rejection {
        let checked = (|| -> Result<Option<i32>, openssl::error::ErrorStack> {
            let p7 = openssl::pkcs7::Pkcs7::from_der(signature)?;
            let none = Stack::new()?;
            let signers = p7.signers(&none, openssl::pkcs7::Pkcs7Flags::empty())?;
            let Some(signer) = signers.iter().next() else { return Ok(None) };
            let mut chain = Stack::new()?;
            if let Some(certs) = p7.signed().and_then(|s| s.certificates()) {
                for c in certs {
                    chain.push(c.to_owned())?;
                }
            }
            let mut b = X509StoreBuilder::new()?;
            for r in &self.roots {
                b.add_cert(r.clone())?;
            }
            let mut param = openssl::x509::verify::X509VerifyParam::new()?;
            param.set_time(at.as_second() as _);
            param.set_purpose(openssl::x509::X509PurposeId::SMIME_SIGN)?;
            b.set_param(&param)?;
            let store = b.build();
            let mut ctx = openssl::x509::X509StoreContext::new()?;
            ctx.init(&store, signer, &chain, |c| Ok(if c.verify_cert()? { None } else { Some(c.error().as_raw()) }))
        })();
        match checked {
            Ok(Some(code)) => Rejection::of_verify_code(code),
            Ok(None) => Rejection::Altered,
            Err(_) => Rejection::NotASignature,
        }
    }

    /// A verifier trusting the certificates of a PEM file.
    pub fn from_pem_file(path: &Path) -> Result<OpensslVerifier, SignError> {
        let pem = fs::read(path).map_err(|e| SignError::Io(format!("{}: {e}", path.display())))?;
        OpensslVerifier::new(&X509::stack_from_pem(&pem)?)
    }
}

impl Verifier for OpensslVerifier {
    fn verify_at(&self, signature: &[u8], content: &[u8], at: jiff::Timestamp) -> Result<Signed, SignError> {
        let mut cms = CmsContentInfo::from_der(signature).map_err(|e| SignError::Rejected {
            why: Rejection::NotASignature,
            detail: format!("not a CMS signature: {e}"),
        })?;
        let store = self.store_at(at)?;
        cms.verify(None, Some(&store), Some(content), None, CMSOptions::BINARY).map_err(|e| {
            let detail = format!("the signature does not verify: {e}");
            SignError::Rejected { why: self.why_not(signature, at), detail }
        })?;
        // CMS SignedData and PKCS #7 signedData share their encoding; the PKCS #7 interface
        // names the signers, which the CMS one in the openssl crate does not.
        let certs = openssl::pkcs7::Pkcs7::from_der(signature).and_then(|p| {
            let none = Stack::new()?;
            p.signers(&none, openssl::pkcs7::Pkcs7Flags::empty())
        });
        let (signers, iins, names) = match certs {
            Ok(certs) => (
                certs.iter().map(common_name).collect(),
                certs.iter().filter_map(subject_iin).collect(),
                certs
                    .iter()
                    .map(|c| {
                        let (surname, given) = (name_entry(c, Nid::SURNAME), name_entry(c, Nid::GIVENNAME));
                        PersonName::read(&common_name(c), surname.as_deref(), given.as_deref())
                    })
                    .collect(),
            ),
            Err(_) => (Vec::new(), Vec::new(), Vec::new()),
        };
        Ok(Signed { signers, iins, names, national: false })
    }
}
