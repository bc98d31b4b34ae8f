//! Algorithm identifiers: which hash, which curve, which signature, by OID.
//!
//! The national CA of Kazakhstan has its own arcs under 1.2.398 for the same algorithms that
//! Russia's TC26 names under 1.2.643; both are accepted, so a certificate re-labelled for
//! another tool (the independent check with OpenSSL's GOST engine) still reads.

use digest::Digest;

use crate::gost::GostCurve;

/// Object identifiers qualcert reads or writes.
pub mod oid {
    // Each constant's name is the standard's name for it; a doc line apiece would repeat it.
    #![allow(missing_docs)]
    /// GOST R 34.10-2015 512-bit public key (KZ).
    pub const KZ_GOST_2015_512_KEY: &str = "1.2.398.3.10.1.1.2.2";
    /// Its parameter set: TC26 512 paramSetA (KZ).
    pub const KZ_GOST_2015_512_PARAMSET_A: &str = "1.2.398.3.10.1.1.2.2.1";
    /// GOST R 34.10-2015 256-bit public key (KZ).
    pub const KZ_GOST_2015_256_KEY: &str = "1.2.398.3.10.1.1.2.1";
    /// Its parameter set: TC26 256 paramSetA (KZ).
    pub const KZ_GOST_2015_256_PARAMSET_A: &str = "1.2.398.3.10.1.1.2.1.1";
    /// GOST 34.310-2004 public key (KZ), legacy.
    pub const KZ_GOST_2004_KEY: &str = "1.2.398.3.10.1.1.1.1";
    /// GOST R 34.10-2015 512-bit signature with Streebog-512 (KZ).
    pub const KZ_GOST_2015_512_SIG: &str = "1.2.398.3.10.1.1.2.3.2";
    /// GOST R 34.10-2015 256-bit signature with Streebog-256 (KZ).
    pub const KZ_GOST_2015_256_SIG: &str = "1.2.398.3.10.1.1.2.3.1";
    /// GOST 34.310-2004 signature with GOST 34.311-95 (KZ), legacy.
    pub const KZ_GOST_2004_SIG: &str = "1.2.398.3.10.1.1.1.2";
    /// Streebog-512 (KZ).
    pub const KZ_STREEBOG_512: &str = "1.2.398.3.10.1.3.3";
    /// Streebog-256 (KZ).
    pub const KZ_STREEBOG_256: &str = "1.2.398.3.10.1.3.2";
    /// GOST 34.311-95 (GOST R 34.11-94 with the test S-box) (KZ).
    pub const KZ_GOST94: &str = "1.2.398.3.10.1.3.1";
    /// The same, with its parameter arc, as the legacy certificates name it.
    pub const KZ_GOST94_PARAMS: &str = "1.2.398.3.10.1.3.1.1.0";

    /// TC26 (RU) equivalents.
    pub const RU_GOST_2012_512_KEY: &str = "1.2.643.7.1.1.1.2";
    pub const RU_GOST_2012_256_KEY: &str = "1.2.643.7.1.1.1.1";
    pub const RU_GOST_2001_KEY: &str = "1.2.643.2.2.19";
    pub const RU_TC26_512_A: &str = "1.2.643.7.1.2.1.2.1";
    pub const RU_TC26_256_A: &str = "1.2.643.7.1.2.1.1.1";
    pub const RU_CRYPTOPRO_A: &str = "1.2.643.2.2.35.1";
    pub const RU_GOST_2012_512_SIG: &str = "1.2.643.7.1.1.3.3";
    pub const RU_GOST_2012_256_SIG: &str = "1.2.643.7.1.1.3.2";
    pub const RU_GOST_2001_SIG: &str = "1.2.643.2.2.3";
    pub const RU_STREEBOG_512: &str = "1.2.643.7.1.1.2.3";
    pub const RU_STREEBOG_256: &str = "1.2.643.7.1.1.2.2";
    pub const RU_GOST94: &str = "1.2.643.2.2.9";

    /// SHA-1 and SHA-256.
    pub const SHA1: &str = "1.3.14.3.2.26";
    pub const SHA256: &str = "2.16.840.1.101.3.4.2.1";
    pub const SHA384: &str = "2.16.840.1.101.3.4.2.2";
    pub const SHA512: &str = "2.16.840.1.101.3.4.2.3";

    /// CMS content types and attributes.
    pub const DATA: &str = "1.2.840.113549.1.7.1";
    pub const SIGNED_DATA: &str = "1.2.840.113549.1.7.2";
    pub const CONTENT_TYPE: &str = "1.2.840.113549.1.9.3";
    pub const MESSAGE_DIGEST: &str = "1.2.840.113549.1.9.4";
    pub const SIGNING_TIME: &str = "1.2.840.113549.1.9.5";
    pub const SIGNING_CERTIFICATE: &str = "1.2.840.113549.1.9.16.2.12";
    pub const SIGNING_CERTIFICATE_V2: &str = "1.2.840.113549.1.9.16.2.47";
    pub const TIME_STAMP_TOKEN: &str = "1.2.840.113549.1.9.16.2.14";
    pub const TST_INFO: &str = "1.2.840.113549.1.9.16.1.4";

    /// Certificate extensions and name attributes.
    pub const BASIC_CONSTRAINTS: &str = "2.5.29.19";
    pub const KEY_USAGE: &str = "2.5.29.15";
    pub const EXT_KEY_USAGE: &str = "2.5.29.37";
    pub const CERT_POLICIES: &str = "2.5.29.32";
    pub const SUBJECT_KEY_ID: &str = "2.5.29.14";
    pub const AUTHORITY_KEY_ID: &str = "2.5.29.35";
    pub const CRL_NUMBER: &str = "2.5.29.20";
    pub const DELTA_CRL: &str = "2.5.29.27";
    pub const CRL_REASON: &str = "2.5.29.21";
    pub const KP_TIME_STAMPING: &str = "1.3.6.1.5.5.7.3.8";
    pub const KP_OCSP_SIGNING: &str = "1.3.6.1.5.5.7.3.9";
    pub const CN: &str = "2.5.4.3";
    pub const SURNAME: &str = "2.5.4.4";
    pub const SERIAL_NUMBER: &str = "2.5.4.5";
    pub const COUNTRY: &str = "2.5.4.6";
    pub const ORGANIZATION: &str = "2.5.4.10";
    pub const ORG_UNIT: &str = "2.5.4.11";
    pub const GIVEN_NAME: &str = "2.5.4.42";
    /// NCA: the holder is an individual; a legal entity's employee (and its sub-arcs).
    pub const NCA_INDIVIDUAL: &str = "1.2.398.3.3.4.1.1";
    pub const NCA_LEGAL_ENTITY: &str = "1.2.398.3.3.4.1.2";
    /// PKCS #12 and PKCS #8 pieces.
    pub const PKCS7_ENCRYPTED_DATA: &str = "1.2.840.113549.1.7.6";
    pub const PKCS8_SHROUDED_KEY_BAG: &str = "1.2.840.113549.1.12.10.1.2";
    pub const KEY_BAG: &str = "1.2.840.113549.1.12.10.1.1";
    pub const CERT_BAG: &str = "1.2.840.113549.1.12.10.1.3";
    pub const X509_CERTIFICATE: &str = "1.2.840.113549.1.9.22.1";
    pub const PBE_SHA1_3DES: &str = "1.2.840.113549.1.12.1.3";
    pub const PBE_SHA1_RC2_40: &str = "1.2.840.113549.1.12.1.6";
    pub const PBE_SHA1_RC2_128: &str = "1.2.840.113549.1.12.1.5";
}

/// Hash functions a signature may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HashAlg {
    /// GOST R 34.11-2015 (Streebog), 512-bit.
    Streebog512,
    /// GOST R 34.11-2015 (Streebog), 256-bit.
    Streebog256,
    /// GOST R 34.11-94 with the test parameters (GOST 34.311-95).
    Gost94,
    /// SHA-256.
    Sha256,
    /// SHA-384 (RSA and ECDSA keys).
    Sha384,
    /// SHA-512 (RSA and ECDSA keys).
    Sha512,
    /// SHA-1 (only to check a time-stamp's ESS certificate reference).
    Sha1,
}

impl HashAlg {
    /// The hash named by an AlgorithmIdentifier's OID.
    pub fn from_oid(o: &str) -> Option<HashAlg> {
        Some(match o {
            oid::KZ_STREEBOG_512 | oid::RU_STREEBOG_512 => HashAlg::Streebog512,
            oid::KZ_STREEBOG_256 | oid::RU_STREEBOG_256 => HashAlg::Streebog256,
            oid::KZ_GOST94 | oid::KZ_GOST94_PARAMS | oid::RU_GOST94 => HashAlg::Gost94,
            oid::SHA256 => HashAlg::Sha256,
            oid::SHA384 => HashAlg::Sha384,
            oid::SHA512 => HashAlg::Sha512,
            oid::SHA1 => HashAlg::Sha1,
            _ => return None,
        })
    }

    /// The Kazakh OID (or the standard one for SHA).
    pub fn oid(self) -> &'static str {
        match self {
            HashAlg::Streebog512 => oid::KZ_STREEBOG_512,
            HashAlg::Streebog256 => oid::KZ_STREEBOG_256,
            HashAlg::Gost94 => oid::KZ_GOST94,
            HashAlg::Sha256 => oid::SHA256,
            HashAlg::Sha384 => oid::SHA384,
            HashAlg::Sha512 => oid::SHA512,
            HashAlg::Sha1 => oid::SHA1,
        }
    }

    /// The digest of `data`.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            HashAlg::Streebog512 => streebog::Streebog512::digest(data).to_vec(),
            HashAlg::Streebog256 => streebog::Streebog256::digest(data).to_vec(),
            HashAlg::Gost94 => gost94::Gost94Test::digest(data).to_vec(),
            HashAlg::Sha256 => sha2::Sha256::digest(data).to_vec(),
            HashAlg::Sha384 => sha2::Sha384::digest(data).to_vec(),
            HashAlg::Sha512 => sha2::Sha512::digest(data).to_vec(),
            HashAlg::Sha1 => sha1::Sha1::digest(data).to_vec(),
        }
    }

    /// A short name for people.
    pub fn name(self) -> &'static str {
        match self {
            HashAlg::Streebog512 => "GOST R 34.11-2015 (512)",
            HashAlg::Streebog256 => "GOST R 34.11-2015 (256)",
            HashAlg::Gost94 => "GOST 34.311-95",
            HashAlg::Sha256 => "SHA-256",
            HashAlg::Sha384 => "SHA-384",
            HashAlg::Sha512 => "SHA-512",
            HashAlg::Sha1 => "SHA-1",
        }
    }
}

/// A signature algorithm: the curve family and its hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SigAlg {
    /// GOST R 34.10-2015, 512-bit, Streebog-512.
    Gost2015_512,
    /// GOST R 34.10-2015, 256-bit, Streebog-256.
    Gost2015_256,
    /// GOST 34.310-2004 with GOST 34.311-95 (legacy; verification only).
    Gost2004,
}

impl SigAlg {
    /// The algorithm a signatureAlgorithm OID names.
    pub fn from_oid(o: &str) -> Option<SigAlg> {
        Some(match o {
            oid::KZ_GOST_2015_512_SIG | oid::RU_GOST_2012_512_SIG => SigAlg::Gost2015_512,
            oid::KZ_GOST_2015_256_SIG | oid::RU_GOST_2012_256_SIG => SigAlg::Gost2015_256,
            oid::KZ_GOST_2004_SIG | oid::RU_GOST_2001_SIG => SigAlg::Gost2004,
            _ => return None,
        })
    }

    /// The hash this signature is over.
    pub fn hash(self) -> HashAlg {
        match self {
            SigAlg::Gost2015_512 => HashAlg::Streebog512,
            SigAlg::Gost2015_256 => HashAlg::Streebog256,
            SigAlg::Gost2004 => HashAlg::Gost94,
        }
    }

    /// The Kazakh OID.
    pub fn oid(self) -> &'static str {
        match self {
            SigAlg::Gost2015_512 => oid::KZ_GOST_2015_512_SIG,
            SigAlg::Gost2015_256 => oid::KZ_GOST_2015_256_SIG,
            SigAlg::Gost2004 => oid::KZ_GOST_2004_SIG,
        }
    }

    /// How reports name it.
    pub fn name(self) -> &'static str {
        match self {
            SigAlg::Gost2015_512 => "GOST R 34.10-2015 (512)",
            SigAlg::Gost2015_256 => "GOST R 34.10-2015 (256)",
            SigAlg::Gost2004 => "GOST 34.310-2004",
        }
    }
}

/// The curve of a public key, from its algorithm and parameter OIDs.
pub fn key_curve(alg: &str, params: &[String]) -> Option<GostCurve> {
    let has = |o: &str| params.iter().any(|p| p == o);
    match alg {
        oid::KZ_GOST_2015_512_KEY | oid::RU_GOST_2012_512_KEY
            if params.is_empty() || has(oid::KZ_GOST_2015_512_PARAMSET_A) || has(oid::RU_TC26_512_A) =>
        {
            Some(GostCurve::Tc26_512A)
        }
        oid::KZ_GOST_2015_256_KEY | oid::RU_GOST_2012_256_KEY
            if params.is_empty() || has(oid::KZ_GOST_2015_256_PARAMSET_A) || has(oid::RU_TC26_256_A) =>
        {
            Some(GostCurve::Tc26_256A)
        }
        oid::KZ_GOST_2004_KEY | oid::RU_GOST_2001_KEY => Some(GostCurve::CryptoProA),
        _ => None,
    }
}

/// The signature algorithm that signs with a key on `curve`.
pub fn sig_alg_for(curve: GostCurve) -> SigAlg {
    match curve {
        GostCurve::Tc26_512A | GostCurve::Example512 => SigAlg::Gost2015_512,
        GostCurve::Tc26_256A | GostCurve::Example256 => SigAlg::Gost2015_256,
        GostCurve::CryptoProA => SigAlg::Gost2004,
    }
}

/// The (key OID, parameter OIDs) with which a certificate names a key on `curve`.
pub fn key_oids(curve: GostCurve) -> (&'static str, [&'static str; 2]) {
    match curve {
        GostCurve::Tc26_512A | GostCurve::Example512 => {
            (oid::KZ_GOST_2015_512_KEY, [oid::KZ_GOST_2015_512_PARAMSET_A, oid::KZ_STREEBOG_512])
        }
        GostCurve::Tc26_256A | GostCurve::Example256 => {
            (oid::KZ_GOST_2015_256_KEY, [oid::KZ_GOST_2015_256_PARAMSET_A, oid::KZ_STREEBOG_256])
        }
        GostCurve::CryptoProA => (oid::KZ_GOST_2004_KEY, ["1.2.398.3.10.1.1.1.1.1", oid::KZ_GOST94_PARAMS]),
    }
}
