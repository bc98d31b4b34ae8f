//! GOST signing and verification for the service, through `kzpki`: an akimat's or a
//! person's NCA key (a PKCS #12 file, or a key and certificate in PEM), the local GOST
//! development CA of `qualcert pki init --gost`, and a verifier that checks GOST signatures
//! with `kzpki` and RSA/EC ones with OpenSSL, each against the national CA's roots and the
//! configured ones.

use std::fs;
use std::path::Path;
use std::sync::Arc;

use kzpki::cms::{self, Failure, SignOptions, VerifyOptions};
use kzpki::issue::{Profile, Subject};
use kzpki::{Certificate, PrivateKey, TrustStore};

use crate::{Identity, PersonName, Rejection, SignError, Signed, Verifier};

impl From<kzpki::Error> for SignError {
    fn from(e: kzpki::Error) -> SignError {
        match e {
            kzpki::Error::Io(m) => SignError::Io(m),
            other => SignError::Crypto(other.to_string()),
        }
    }
}

fn read(p: &Path) -> Result<Vec<u8>, SignError> {
    fs::read(p).map_err(|e| SignError::Io(format!("{}: {e}", p.display())))
}

/// A GOST key with its certificate and the chain up to (not including) the root.
#[derive(Clone)]
pub struct GostIdentity {
    key: Arc<PrivateKey>,
    /// Its certificate.
    pub cert: Certificate,
    /// Intermediate certificates, if any.
    pub chain: Vec<Certificate>,
}

impl std::fmt::Debug for GostIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "GostIdentity({})", self.cert.subject.display())
    }
}

impl GostIdentity {
    /// A key opened from an NCA PKCS #12 file by `kzpki`.
    pub fn from_key_store(ks: kzpki::p12::KeyStore) -> GostIdentity {
        GostIdentity { key: Arc::new(ks.key), cert: ks.certificate, chain: ks.others }
    }

    /// A key in PEM (PKCS #8, `PRIVATE KEY`) and its certificate file (the certificate, then
    /// any intermediates), or `None` when the key is not a GOST key.
    pub fn load(key: &Path, cert: &Path) -> Result<Option<GostIdentity>, SignError> {
        let key_bytes = read(key)?;
        let Ok(der) = kzpki::pem::decode_one(&key_bytes, "PRIVATE KEY") else { return Ok(None) };
        let Ok(private) = kzpki::p12::private_key_from_pkcs8(&der) else { return Ok(None) };
        let mut certs = kzpki::pem::decode_all(&read(cert)?, "CERTIFICATE")?
            .into_iter()
            .map(|d| Certificate::from_der(&d))
            .collect::<Result<Vec<_>, _>>()?;
        if certs.is_empty() {
            return Err(SignError::Crypto(format!("{}: no certificate in the file", cert.display())));
        }
        let leaf = certs.remove(0);
        if leaf.public_key != private.public_key() {
            return Err(SignError::Crypto(format!(
                "{} is not the key of the certificate in {}",
                key.display(),
                cert.display()
            )));
        }
        Ok(Some(GostIdentity { key: Arc::new(private), cert: leaf, chain: certs }))
    }

    /// Writes `STEM.key.pem` (PKCS #8, mode 600) and `STEM.cert.pem` (with the chain).
    pub fn save(&self, dir: &Path, stem: &str) -> Result<(), SignError> {
        let io = |e: std::io::Error| SignError::Io(format!("{}: {e}", dir.display()));
        fs::create_dir_all(dir).map_err(io)?;
        let key_path = dir.join(format!("{stem}.key.pem"));
        fs::write(&key_path, kzpki::pem::encode(&kzpki::p12::private_key_to_pkcs8(&self.key), "PRIVATE KEY"))
            .map_err(io)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&key_path, fs::Permissions::from_mode(0o600)).map_err(io)?;
        }
        let mut pem = kzpki::pem::encode(&self.cert.der, "CERTIFICATE");
        for c in &self.chain {
            pem.push_str(&kzpki::pem::encode(&c.der, "CERTIFICATE"));
        }
        fs::write(dir.join(format!("{stem}.cert.pem")), pem).map_err(io)?;
        Ok(())
    }

    /// A self-signed GOST root for development, valid for `days` from now.
    pub fn new_ca(common_name: &str, days: u32) -> Result<GostIdentity, SignError> {
        let key = kzpki::issue::new_key()?;
        let subject = Subject {
            common_name: common_name.to_owned(),
            organization: Some("qualcert development CA".into()),
            ..Subject::default()
        };
        let cert = kzpki::issue::issue(&subject, &key, None, Profile::Ca, jiff::Timestamp::now(), i64::from(days))?;
        Ok(GostIdentity { key: Arc::new(key), cert, chain: Vec::new() })
    }

    /// A signing key issued by this CA; with an IIN, named as the national CA names people.
    pub fn issue_for(&self, common_name: &str, iin: Option<&str>, days: u32) -> Result<GostIdentity, SignError> {
        self.issue_named(common_name, None, iin, days)
    }

    /// As [`GostIdentity::issue_for`], the name's parts written as the national CA writes them.
    pub fn issue_named(
        &self,
        common_name: &str,
        parts: Option<&PersonName>,
        iin: Option<&str>,
        days: u32,
    ) -> Result<GostIdentity, SignError> {
        let key = kzpki::issue::new_key()?;
        let subject = Subject {
            common_name: common_name.to_owned(),
            organization: Some("qualcert".into()),
            iin: iin.map(str::to_owned),
            bin: None,
            surname: parts.map(|p| p.surname.clone()),
            patronymic: parts.and_then(|p| p.patronymic.clone()),
        };
        let cert = kzpki::issue::issue(
            &subject,
            &key,
            Some((&self.cert, &self.key)),
            Profile::Signing,
            jiff::Timestamp::now(),
            i64::from(days),
        )?;
        let mut chain = self.chain.clone();
        if !self.cert.is_self_signed() {
            chain.insert(0, self.cert.clone());
        }
        Ok(GostIdentity { key: Arc::new(key), cert, chain })
    }

    /// The certificate's common name.
    pub fn common_name(&self) -> String {
        self.cert.subject.common_name().to_owned()
    }

    /// A detached CMS in KalkanCrypt's layout, stating the current time as signing time.
    pub fn sign(&self, content: &[u8]) -> Result<Vec<u8>, SignError> {
        self.sign_with(content, false)
    }

    /// As [`GostIdentity::sign`], attached or not.
    pub fn sign_with(&self, content: &[u8], attached: bool) -> Result<Vec<u8>, SignError> {
        let opts = SignOptions { signing_time: jiff::Timestamp::now(), attached };
        Ok(cms::sign(content, &self.key, &self.cert, &self.chain, &opts)?)
    }
}

/// Whoever signs: an OpenSSL key (RSA, EC) or a GOST key. The service signs with either
/// through the same calls.
#[derive(Clone, Debug)]
#[allow(clippy::large_enum_variant, reason = "a handful of signers per process")]
pub enum Signer {
    /// RSA-2048 or ECDSA P-256.
    Openssl(Identity),
    /// GOST R 34.10-2015 (an NCA key, or the local GOST CA's).
    Gost(GostIdentity),
}

impl Signer {
    /// A key and certificate in PEM: GOST when the key is a GOST PKCS #8, else OpenSSL's.
    pub fn load(key: &Path, cert: &Path) -> Result<Signer, SignError> {
        match GostIdentity::load(key, cert)? {
            Some(g) => Ok(Signer::Gost(g)),
            None => Ok(Signer::Openssl(Identity::load(key, cert)?)),
        }
    }

    /// The signer's name as printed under a signature.
    pub fn common_name(&self) -> String {
        match self {
            Signer::Openssl(i) => i.common_name(),
            Signer::Gost(g) => g.common_name(),
        }
    }

    /// A detached CMS signature over `content`.
    pub fn sign(&self, content: &[u8]) -> Result<Vec<u8>, SignError> {
        match self {
            Signer::Openssl(i) => i.sign(content),
            Signer::Gost(g) => g.sign(content),
        }
    }

    /// Whether this is a GOST key.
    pub fn is_gost(&self) -> bool {
        matches!(self, Signer::Gost(_))
    }

    /// A signing key for a person issued by this signer acting as a (development) CA, of the
    /// same family: GOST under a GOST CA, ECDSA P-256 under an OpenSSL one.
    pub fn issue_person(&self, common_name: &str, iin: Option<&str>, days: u32) -> Result<Signer, SignError> {
        self.issue_named_person(common_name, None, iin, days)
    }

    /// As [`Signer::issue_person`], with the name's parts in the certificate.
    pub fn issue_named_person(
        &self,
        common_name: &str,
        parts: Option<&PersonName>,
        iin: Option<&str>,
        days: u32,
    ) -> Result<Signer, SignError> {
        match self {
            Signer::Openssl(ca) => {
                Ok(Signer::Openssl(ca.issue_named(common_name, parts, iin, crate::KeyKind::EcP256, days)?))
            }
            Signer::Gost(ca) => Ok(Signer::Gost(ca.issue_named(common_name, parts, iin, days)?)),
        }
    }

    /// Writes the key and certificate as `STEM.key.pem` and `STEM.cert.pem`.
    pub fn save(&self, dir: &Path, stem: &str) -> Result<(), SignError> {
        match self {
            Signer::Openssl(i) => i.save(dir, stem),
            Signer::Gost(g) => g.save(dir, stem),
        }
    }
}

/// Verifies every signature with `kzpki` (GOST in Rust, RSA and ECDSA through OpenSSL as its
/// [`kzpki::provider`]) against the national CA's production roots plus the roots configured
/// (a local development CA, the NCA's test roots when asked for), with the CRLs loaded: one
/// path, so the instant judged, the chain and revocation are decided alike for every key.
pub struct KzVerifier {
    store: TrustStore,
}

/// OpenSSL as kzpki's provider for the NCA's RSA keys and for ECDSA keys.
struct OpensslKeys;

impl kzpki::provider::KeyProvider for OpensslKeys {
    fn verify(
        &self,
        signer_der: &[u8],
        sig_alg: &str,
        digest_alg: Option<&str>,
        data: &[u8],
        signature: &[u8],
    ) -> Result<String, kzpki::Error> {
        use openssl::hash::MessageDigest;
        use openssl::pkey::Id;
        let unsupported = || kzpki::Error::Unsupported(format!("signature algorithm {sig_alg}"));
        let digest_of = |o: Option<&str>| match o {
            Some("2.16.840.1.101.3.4.2.1") => Some((MessageDigest::sha256(), "SHA-256")),
            Some("2.16.840.1.101.3.4.2.2") => Some((MessageDigest::sha384(), "SHA-384")),
            Some("2.16.840.1.101.3.4.2.3") => Some((MessageDigest::sha512(), "SHA-512")),
            _ => None,
        };
        // SHA-1 signatures are refused, as OpenSSL's default security level refuses them.
        let (key_id, digest) = match sig_alg {
            "1.2.840.113549.1.1.11" => (Id::RSA, Some("2.16.840.1.101.3.4.2.1")),
            "1.2.840.113549.1.1.12" => (Id::RSA, Some("2.16.840.1.101.3.4.2.2")),
            "1.2.840.113549.1.1.13" => (Id::RSA, Some("2.16.840.1.101.3.4.2.3")),
            "1.2.840.10045.4.3.2" => (Id::EC, Some("2.16.840.1.101.3.4.2.1")),
            "1.2.840.10045.4.3.3" => (Id::EC, Some("2.16.840.1.101.3.4.2.2")),
            "1.2.840.10045.4.3.4" => (Id::EC, Some("2.16.840.1.101.3.4.2.3")),
            // CMS often names only the key; the SignerInfo's digest algorithm decides.
            "1.2.840.113549.1.1.1" => (Id::RSA, digest_alg),
            "1.2.840.10045.2.1" => (Id::EC, digest_alg),
            _ => return Err(unsupported()),
        };
        let (md, hash) = digest_of(digest).ok_or_else(unsupported)?;
        let cert = openssl::x509::X509::from_der(signer_der)
            .map_err(|e| kzpki::Error::Malformed(format!("certificate: {e}")))?;
        let key = cert.public_key().map_err(|e| kzpki::Error::Unsupported(format!("public key: {e}")))?;
        if key.id() != key_id {
            return Err(kzpki::Error::Invalid(format!("a signature of {sig_alg} by a key of another kind")));
        }
        let name = format!("{} with {hash}", if key_id == Id::RSA { "RSA" } else { "ECDSA" });
        let ok = openssl::sign::Verifier::new(md, &key)
            .and_then(|mut v| {
                v.update(data)?;
                v.verify(signature)
            })
            .unwrap_or(false);
        if ok { Ok(name) } else { Err(kzpki::Error::Invalid("the signature does not verify".into())) }
    }
}

/// Installs OpenSSL as kzpki's provider for RSA and ECDSA (once per process; idempotent).
pub fn install_provider() {
    kzpki::provider::install(Arc::new(OpensslKeys));
}

impl KzVerifier {
    /// A verifier trusting the national CA's roots and the certificates of `extra_pem`.
    pub fn new(extra_pem: &[u8], nca_test: bool) -> Result<KzVerifier, SignError> {
        let mut store = TrustStore::production();
        if nca_test {
            store = store.with_nca_test();
        }
        if !extra_pem.trim_ascii().is_empty() {
            for der in kzpki::pem::decode_all(extra_pem, "CERTIFICATE")? {
                store.add(Certificate::from_der(&der)?);
            }
        }
        Ok(KzVerifier::from_store(store))
    }

    /// A verifier over a trust store built elsewhere (the command line's, with `--trust`).
    pub fn from_store(store: TrustStore) -> KzVerifier {
        install_provider();
        KzVerifier { store }
    }

    /// Adds the CRLs (`*.crl`) of a directory, of any algorithm; each must be signed by a
    /// trusted CA.
    pub fn load_crls(&mut self, dir: &Path) -> Result<usize, SignError> {
        Ok(self.store.add_crl_dir(dir)?)
    }

    /// The trust store (for reports that need more than [`Signed`]).
    pub fn store(&self) -> &TrustStore {
        &self.store
    }
}

/// Whether a CMS is signed with GOST (its first signer's certificate has a GOST key).
pub fn is_gost_signature(signature: &[u8]) -> bool {
    kzpki::cms::SignedData::parse(signature)
        .ok()
        .and_then(|sd| sd.certificates.into_iter().find(|c| c.gost_curve().is_some()))
        .is_some()
}

impl Verifier for KzVerifier {
    fn verify_at(&self, signature: &[u8], content: &[u8], at: jiff::Timestamp) -> Result<Signed, SignError> {
        let opts = VerifyOptions { now: jiff::Timestamp::now().max(at), at: Some(at) };
        let report = cms::verify(signature, Some(content), &self.store, &opts).map_err(|e| SignError::Rejected {
            why: Rejection::NotASignature,
            detail: format!("not a CMS signature: {e}"),
        })?;
        if let Some(s) = report.signers.iter().find(|s| s.error.is_some()) {
            let bad = s.error.clone().unwrap_or_default();
            let why = match s.failure.clone().unwrap_or(Failure::Unusable) {
                Failure::Unusable | Failure::MissingCertificate => Rejection::NotASignature,
                Failure::ContentMismatch
                | Failure::BadSignature
                | Failure::TimeStamp
                | Failure::FromTheFuture { .. } => Rejection::Altered,
                Failure::NotForSigning => Rejection::NotForSigning,
                Failure::Expired { .. } | Failure::NotYetValid { .. } => Rejection::Expired,
                Failure::Untrusted => Rejection::Untrusted,
                Failure::Revoked { .. } => Rejection::Revoked,
            };
            return Err(SignError::Rejected { why, detail: format!("the signature does not verify: {bad}") });
        }
        Ok(Signed {
            signers: report
                .signers
                .iter()
                .map(|s| s.certificate.as_ref().map(|c| c.subject.common_name().to_owned()).unwrap_or_default())
                .collect(),
            iins: report.signers.iter().filter_map(|s| s.iin.clone()).collect(),
            names: report
                .signers
                .iter()
                .map(|s| {
                    let subject = &s.certificate.as_ref()?.subject;
                    PersonName::read(
                        subject.common_name(),
                        subject.get(kzpki::alg::oid::SURNAME),
                        subject.get(kzpki::alg::oid::GIVEN_NAME),
                    )
                })
                .collect(),
            national: report.signers.iter().all(|s| s.root.as_ref().is_some_and(TrustStore::is_national)),
        })
    }
}
