//! The service's signing office: who signs results, which roots a signature must chain to,
//! and the secret behind the short codes in QR links. One directory holds it (`DATA/pki`):
//!
//! - `ca.cert.pem`: the trust roots (the local CA in development, the national CA's roots in
//!   production; several certificates may be concatenated);
//! - `signer.key.pem` and `signer.cert.pem`: the authorised person who signs when an akimat has
//!   no key of its own;
//! - `akimat-CODE.key.pem` and `.cert.pem`: an akimat's own authorised person (optional);
//! - or `akimat-CODE.p12`: the akimat's information-system key as the NCA issues it (a
//!   PKCS #12, GOST or RSA), opened with the password in the environment variable
//!   `QUALCERT_P12_PASSWORD_CODE` (the code in capitals, `-` as `_`), else in the file
//!   `akimat-CODE.p12.password` (mode 600). `signer.p12` works the same way for the service's
//!   own key, with `QUALCERT_P12_PASSWORD_SIGNER` or `signer.p12.password`;
//! - `person-HASH.key.pem` and `.cert.pem`: a development key of a demo person, by the hash of
//!   the name and IIN (`qualcert pki issue NAME --person`); made on first use when a local CA
//!   is present;
//! - `token.key`: 32 random bytes; the QR code's token is an HMAC of the certificate number
//!   under it, so a number alone cannot be turned into a link that looks issued.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::{Identity, KeyKind, KzVerifier, PersonName, SignError, Signed, Signer, Verifier};
use openssl::hash::MessageDigest;
use openssl::pkey::PKey;
use openssl::sign::Signer as HmacSigner;

/// The signing keys, trust roots and token secret of one service.
pub struct Office {
    default: Signer,
    akimats: BTreeMap<String, Signer>,
    roots_pem: Vec<u8>,
    verifier: KzVerifier,
    token_key: Vec<u8>,
    dir: PathBuf,
    /// The local CA, present only in development: it issues members' keys on first use.
    local_ca: Option<Signer>,
    persons: Mutex<BTreeMap<String, Signer>>,
}

/// Names who signs; never the keys or the token secret.
impl std::fmt::Debug for Office {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Office")
            .field("signer", &self.default.common_name())
            .field("akimats", &self.akimats.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> SignError + '_ {
    move |e| SignError::Io(format!("{}: {e}", path.display()))
}

/// Writes a private file (mode 600): keys and secrets.
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), SignError> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(io(parent))?;
    }
    fs::write(path, bytes).map_err(io(path))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o600)).map_err(io(path))?;
    }
    Ok(())
}

/// Opens a PKCS #12 key store: the NCA's GOST format through `kzpki`, else (an RSA or EC key
/// store) through OpenSSL. The password comes from `QUALCERT_P12_PASSWORD_{variable}`, else
/// from the file beside the key store with `.password` added, so it never sits in a command
/// line or a configuration file that is printed.
fn open_p12(path: &Path, variable: &str) -> Result<Signer, SignError> {
    let bytes = fs::read(path).map_err(io(path))?;
    let env = format!("QUALCERT_P12_PASSWORD_{variable}");
    let password = match std::env::var(&env) {
        Ok(p) => p,
        Err(_) => {
            let file = path.with_extension("p12.password");
            let text = fs::read_to_string(&file).map_err(|e| {
                SignError::Io(format!(
                    "{}: its password is neither in {env} nor in {}: {e}",
                    path.display(),
                    file.display()
                ))
            })?;
            text.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    let unusable = |e: &dyn std::fmt::Display| SignError::Io(format!("{}: {e}", path.display()));
    match kzpki::p12::KeyStore::open(&bytes, &password) {
        Ok(ks) => Ok(Signer::Gost(crate::GostIdentity::from_key_store(ks))),
        Err(kzpki::Error::Key(e)) => Err(unusable(&e)),
        Err(gost) => {
            let parsed = openssl::pkcs12::Pkcs12::from_der(&bytes)
                .and_then(|p| p.parse2(&password))
                .map_err(|e| unusable(&format!("{gost}; OpenSSL: {e}")))?;
            let (Some(key), Some(cert)) = (parsed.pkey, parsed.cert) else {
                return Err(unusable(&"the key store holds no key and certificate"));
            };
            let chain = parsed.ca.map(|c| c.into_iter().collect()).unwrap_or_default();
            Ok(Signer::Openssl(Identity { key, cert, chain }))
        }
    }
}

impl Office {
    /// Reads the office from `dir`. The token secret is made on first use if missing; keys and
    /// roots never are (see [`Office::development`]).
    pub fn load(dir: &Path) -> Result<Office, SignError> {
        let default = match dir.join("signer.p12") {
            p12 if p12.exists() => open_p12(&p12, "SIGNER")?,
            _ => Signer::load(&dir.join("signer.key.pem"), &dir.join("signer.cert.pem"))?,
        };
        let roots_path = dir.join("ca.cert.pem");
        let roots_pem = fs::read(&roots_path).map_err(io(&roots_path))?;
        let mut verifier = KzVerifier::new(&roots_pem, Office::trusts_nca_test(dir))?;
        verifier.load_crls(&dir.join("crl"))?;
        let mut akimats = BTreeMap::new();
        for entry in fs::read_dir(dir).map_err(io(dir))? {
            let path = entry.map_err(io(dir))?.path();
            let Some(name) = path.file_name().and_then(|n| n.to_str()).and_then(|n| n.strip_prefix("akimat-")) else {
                continue;
            };
            if let Some(code) = name.strip_suffix(".key.pem") {
                let cert = dir.join(format!("akimat-{code}.cert.pem"));
                akimats.insert(code.to_owned(), Signer::load(&path, &cert)?);
            } else if let Some(code) = name.strip_suffix(".p12") {
                let variable = code.to_uppercase().replace('-', "_");
                akimats.insert(code.to_owned(), open_p12(&path, &variable)?);
            }
        }
        let token_path = dir.join("token.key");
        let token_key = match fs::read(&token_path) {
            Ok(k) if k.len() >= 16 => k,
            Ok(_) => return Err(SignError::Io(format!("{}: shorter than 16 bytes", token_path.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut k = vec![0u8; 32];
                openssl::rand::rand_bytes(&mut k)?;
                write_private(&token_path, &k)?;
                k
            }
            Err(e) => return Err(io(&token_path)(e)),
        };
        let local_ca = Signer::load(&dir.join("ca.key.pem"), &roots_path).ok();
        Ok(Office {
            default,
            akimats,
            roots_pem,
            verifier,
            token_key,
            dir: dir.to_path_buf(),
            local_ca,
            persons: Mutex::default(),
        })
    }

    /// For development and the demo: makes a local CA and a signer in `dir` where there are
    /// none, then loads the office. Never replaces what exists.
    pub fn development(dir: &Path) -> Result<Office, SignError> {
        if !dir.join("ca.key.pem").exists() && !dir.join("ca.cert.pem").exists() {
            Identity::new_ca("qualcert development CA", 3650)?.save(dir, "ca")?;
        }
        if !dir.join("signer.key.pem").exists() {
            // A local GOST CA (`qualcert pki init --gost`) issues a GOST signer; otherwise RSA.
            let name = "Authorised person (development)";
            match Signer::load(&dir.join("ca.key.pem"), &dir.join("ca.cert.pem"))? {
                Signer::Openssl(ca) => ca.issue(name, KeyKind::Rsa2048, 825)?.save(dir, "signer")?,
                gost @ Signer::Gost(_) => gost.issue_person(name, None, 825)?.save(dir, "signer")?,
            }
        }
        Office::load(dir)
    }

    /// Whether the national CA's TEST roots are trusted here: only when the directory holds a
    /// file `nca-test` (a test or staging installation), never by default, so a test key can
    /// never pass for a real person in production.
    pub fn trusts_nca_test(dir: &Path) -> bool {
        dir.join("nca-test").exists()
    }

    /// Who signs for `akimat`: its own authorised person, or the service's.
    pub fn signer(&self, akimat: &str) -> &Signer {
        self.akimats.get(akimat).unwrap_or(&self.default)
    }

    /// The file name stem of a person's key: `person-` and 16 hex digits of SHA-256 of the name
    /// and IIN, since names are in any script and file names should not be.
    pub fn person_stem(name: &str, iin: Option<&str>) -> String {
        let who = match iin {
            Some(iin) => format!("{}|{iin}", name.trim()),
            None => name.trim().to_owned(),
        };
        let digest = openssl::sha::sha256(who.as_bytes());
        format!("person-{}", crate::hex(&digest[..8]))
    }

    /// A named person's development signing identity, whose certificate names their IIN when
    /// one is given: their key in the directory, or, when a local CA is present (development and
    /// `serve --demo`), one issued now and kept. Outside development there is no such key: a
    /// person signs with their own EDS through NCALayer, and this is an error naming them.
    pub fn person(&self, name: &str, iin: Option<&str>) -> Result<Signer, SignError> {
        self.person_key(name, None, iin)
    }

    /// As [`Office::person`], for a person whose name's parts are known: the certificate
    /// carries them as the national CA's do, so whoever reads it learns the parts, not a guess.
    pub fn person_named(&self, name: &PersonName, iin: Option<&str>) -> Result<Signer, SignError> {
        self.person_key(&name.common_name(), Some(name), iin)
    }

    fn person_key(&self, name: &str, parts: Option<&PersonName>, iin: Option<&str>) -> Result<Signer, SignError> {
        let stem = match parts {
            // A different key from the same common name without parts.
            Some(p) => Office::person_stem(&format!("{}|{}", p.full(), p.surname), iin),
            None => Office::person_stem(name, iin),
        };
        let mut persons = self.persons.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(p) = persons.get(&stem) {
            return Ok(p.clone());
        }
        let (key, cert) = (self.dir.join(format!("{stem}.key.pem")), self.dir.join(format!("{stem}.cert.pem")));
        let identity = if key.exists() {
            Signer::load(&key, &cert)?
        } else if let Some(ca) = &self.local_ca {
            let issued = ca.issue_named_person(name.trim(), parts, iin, 825)?;
            issued.save(&self.dir, &stem)?;
            issued
        } else {
            return Err(SignError::Crypto(format!(
                "no signing key for {name}; issue one with `qualcert pki issue \"{name}\" --person`"
            )));
        };
        persons.insert(stem, identity.clone());
        Ok(identity)
    }

    /// The trust roots in PEM, to hand out beside a signature.
    pub fn roots_pem(&self) -> &[u8] {
        &self.roots_pem
    }

    /// Checks a detached signature against the trust roots, judged now: for a signature
    /// received online, the moment it arrived.
    pub fn verify(&self, signature: &[u8], content: &[u8]) -> Result<Signed, SignError> {
        self.verifier.verify(signature, content)
    }

    /// As [`Office::verify`], judged at `at`: an instant the service's own records hold (when
    /// it made or received the signature), never the signer's claim.
    pub fn verify_at(&self, signature: &[u8], content: &[u8], at: jiff::Timestamp) -> Result<Signed, SignError> {
        self.verifier.verify_at(signature, content, at)
    }

    /// The short code printed in a certificate's QR link: 16 hex digits of
    /// HMAC-SHA256(token key, number). 64 bits cannot be guessed through a rate-limited page.
    pub fn token(&self, number: &str) -> String {
        let mac = PKey::hmac(&self.token_key)
            .and_then(|key| {
                let mut s = HmacSigner::new(MessageDigest::sha256(), &key)?;
                s.update(number.as_bytes())?;
                s.sign_to_vec()
            })
            .unwrap_or_default();
        crate::hex(&mac[..mac.len().min(8)])
    }

    /// The address a certificate's QR code opens: the public verification page with the number
    /// and its code, under the service's public address `base`.
    pub fn verify_url(&self, base: &str, number: &str) -> String {
        format!("{}/verify?number={number}&t={}", base.trim_end_matches('/'), self.token(number))
    }

    /// Whether `token` is this number's code (compared in constant time).
    pub fn token_matches(&self, number: &str, token: &str) -> bool {
        let expected = self.token(number);
        let given = token.trim().to_ascii_lowercase();
        expected.len() == given.len() && openssl::memcmp::eq(expected.as_bytes(), given.as_bytes())
    }
}
