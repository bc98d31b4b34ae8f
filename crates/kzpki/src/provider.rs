//! Signature algorithms other than GOST (RSA, ECDSA), which the NCA also issues and which
//! kzpki does not implement itself. The application installs a provider once (the service
//! installs OpenSSL's, `docs::gost`), as rustls has its crypto provider installed: then every
//! check kzpki makes (a certificate's issuer, a CRL, an OCSP answer, a CMS signer) covers
//! those algorithms too, so time, trust and revocation are judged in one place for every
//! key. Without a provider such signatures are `Unsupported`.

use std::sync::{Arc, OnceLock};

use crate::Error;

/// A check of one raw signature under a certificate's (non-GOST) public key.
pub trait KeyProvider: Send + Sync {
    /// `Ok(name of the algorithm)` when `signature` over `data` verifies under the key of the
    /// certificate `signer_der` (DER). `sig_alg` is the signature algorithm's OID; where that
    /// names only the key (`rsaEncryption`, as CMS SignerInfos often do), `digest_alg` names
    /// the hash.
    fn verify(
        &self,
        signer_der: &[u8],
        sig_alg: &str,
        digest_alg: Option<&str>,
        data: &[u8],
        signature: &[u8],
    ) -> Result<String, Error>;
}

static PROVIDER: OnceLock<Arc<dyn KeyProvider>> = OnceLock::new();

/// Installs the provider for the whole process; the first one installed stays (a second call
/// is a no-op, as the provider is a property of the build, not of a caller).
pub fn install(provider: Arc<dyn KeyProvider>) {
    let _ = PROVIDER.set(provider);
}

/// The provider installed, if any.
pub(crate) fn installed() -> Option<&'static Arc<dyn KeyProvider>> {
    PROVIDER.get()
}
