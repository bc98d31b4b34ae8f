//! Kazakhstan's national PKI (NCA RK) in Rust: GOST R 34.10-2015 (512- and 256-bit) and
//! legacy GOST 34.310-2004 signatures, verified and made, in the byte order the NCA uses;
//! X.509 certificates; CMS as NCALayer and KalkanCrypt make it (CAdES-BES and -T); trust
//! stores, path validation at a chosen time, time-stamp tokens, CRLs, OCSP and PKCS #12.

pub mod alg;
pub mod cms;
pub mod crl;
mod curve;
pub mod der;
mod field;
pub mod gost;
pub mod interop;
pub mod issue;
pub mod ocsp;
pub mod p12;
pub mod pem;
pub mod provider;
pub mod trust;
pub mod x509;

pub use cms::{Failure, Report, SignerReport, TimeBasis, VerifyOptions};
pub use crl::Crl;
pub use gost::{GostCurve, GostError, PrivateKey};
pub use trust::{Revocation, TrustStore};
pub use x509::Certificate;

/// What can go wrong, sorted by what the person can do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The input is not what it claims to be (bad DER, truncated, not base64): unusable.
    #[error("{0}")]
    Malformed(String),
    /// Well-formed, but uses something qualcert does not implement (an unknown algorithm).
    #[error("not supported: {0}")]
    Unsupported(String),
    /// Understood and checked, and not genuine or not trusted.
    #[error("{0}")]
    Invalid(String),
    /// A key file's password is wrong, or the file is not a key.
    #[error("{0}")]
    Key(String),
    /// A file could not be read or written.
    #[error("{0}")]
    Io(String),
}

impl From<der::DerError> for Error {
    fn from(e: der::DerError) -> Error {
        Error::Malformed(e.0)
    }
}

impl Error {
    /// Whether the input itself was unusable (exit 2) rather than checked and refused (exit 1).
    pub fn is_unusable(&self) -> bool {
        matches!(self, Error::Malformed(_) | Error::Unsupported(_) | Error::Key(_) | Error::Io(_))
    }
}

/// Lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
