//! GOST R 34.10 signatures as the national CA of Kazakhstan encodes them.
//!
//! The byte order is the one settled by verifying real NCA data (see the fixtures' SOURCES):
//! a public key is x ‖ y, a signature r ‖ s, every number little-endian, and the digest is
//! read as a little-endian integer. RFC 4491's order (s ‖ r, big-endian) is the exact reverse
//! and does not verify.

use std::sync::LazyLock;

use crypto_bigint::{U256, U512, Uint};

use crate::curve::{Curve, CurveHex, uint_from_le, uint_to_le};

/// The curves qualcert knows, by the parameter-set names of the standards.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GostCurve {
    /// `id-tc26-gost-3410-12-512-paramSetA` (RFC 7836): the NCA's 2015 keys, 512-bit.
    Tc26_512A,
    /// `id-tc26-gost-3410-2012-256-paramSetA` (RFC 7836): the 256-bit variant.
    Tc26_256A,
    /// `id-GostR3410-2001-CryptoPro-A-ParamSet` (RFC 4357): the legacy GOST 34.310-2004 keys.
    CryptoProA,
    /// The example curve of GOST R 34.10-2012 appendix A.1 (256-bit), for tests.
    Example256,
    /// The example curve of GOST R 34.10-2012 appendix A.2 (512-bit), for tests.
    Example512,
}

/// Why a GOST operation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GostError {
    /// The public key is not a point of the curve, or has the wrong length.
    #[error("the public key is not a point of the curve {0:?}")]
    BadPublicKey(GostCurve),
    /// The signature has the wrong length.
    #[error("the signature is {got} bytes; {curve:?} signatures are {want}")]
    BadSignatureLength {
        /// The curve.
        curve: GostCurve,
        /// Bytes expected.
        want: usize,
        /// Bytes found.
        got: usize,
    },
    /// The digest has the wrong length.
    #[error("the digest is {got} bytes; {want} expected")]
    BadDigestLength {
        /// Bytes expected.
        want: usize,
        /// Bytes found.
        got: usize,
    },
    /// The signature does not verify.
    #[error("the signature does not verify")]
    Mismatch,
    /// A private key outside 1 … q−1.
    #[error("the private key is out of range")]
    BadPrivateKey,
    /// The system's random source failed.
    #[error("no randomness: {0}")]
    Random(String),
}

const TC26_512A: CurveHex = CurveHex {
    p: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFDC7",
    a: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFDC4",
    b: "E8C2505DEDFC86DDC1BD0B2B6667F1DA34B82574761CB0E879BD081CFD0B6265EE3CB090F30D27614CB4574010DA90DD862EF9D4EBEE4761503190785A71C760",
    q: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF27E69532F48D89116FF22B8D4E0560609B4B38ABFAD2B85DCACDB1411F10B275",
    x: "3",
    y: "7503CFE87A836AE3A61B8816E25450E6CE5E1C93ACF1ABC1778064FDCBEFA921DF1626BE4FD036E93D75E6A50E3A41E98028FE5FC235F5B889A589CB5215F2A4",
};

const TC26_256A: CurveHex = CurveHex {
    p: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFD97",
    a: "C2173F1513981673AF4892C23035A27CE25E2013BF95AA33B22C656F277E7335",
    b: "295F9BAE7428ED9CCC20E7C359A9D41A22FCCD9108E17BF7BA9337A6F8AE9513",
    q: "400000000000000000000000000000000FD8CDDFC87B6635C115AF556C360C67",
    x: "91E38443A5E82C0D880923425712B2BB658B9196932E02C78B2582FE742DAA28",
    y: "32879423AB1A0375895786C4BB46E9565FDE0B5344766740AF268ADB32322E5C",
};

const CRYPTOPRO_A: CurveHex = CurveHex {
    p: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFD97",
    a: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFD94",
    b: "A6",
    q: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF6C611070995AD10045841B09B761B893",
    x: "1",
    y: "8D91E471E0989CDA27DF505A453F2B7635294F2DDF23E3B122ACC99C9E9F1E14",
};

const EXAMPLE_256: CurveHex = CurveHex {
    p: "8000000000000000000000000000000000000000000000000000000000000431",
    a: "7",
    b: "5FBFF498AA938CE739B8E022FBAFEF40563F6E6A3472FC2A514C0CE9DAE23B7E",
    q: "8000000000000000000000000000000150FE8A1892976154C59CFC193ACCF5B3",
    x: "2",
    y: "08E2A8A0E65147D4BD6316030E16D19C85C97F0A9CA267122B96ABBCEA7E8FC8",
};

const EXAMPLE_512: CurveHex = CurveHex {
    p: "4531ACD1FE0023C7550D267B6B2FEE80922B14B2FFB90F04D4EB7C09B5D2D15DF1D852741AF4704A0458047E80E4546D35B8336FAC224DD81664BBF528BE6373",
    a: "7",
    b: "1CFF0806A31116DA29D8CFA54E57EB748BC5F377E49400FDD788B649ECA1AC4361834013B2AD7322480A89CA58E0CF74BC9E540C2ADD6897FAD0A3084F302ADC",
    q: "4531ACD1FE0023C7550D267B6B2FEE80922B14B2FFB90F04D4EB7C09B5D2D15DA82F2D7ECB1DBAC719905C5EECC423F1D86E25EDBE23C595D644AAF187E6E6DF",
    x: "24D19CC64572EE30F396BF6EBBFD7A6C5213B3B3D7057CC825F91093A68CD762FD60611262CD838DC6B60AA7EEE804E28BC849977FAC33B4B530F1B120248A9A",
    y: "2BB312A43BD2CE6E0D020613C857ACDDCFBF061E91E5F2C3F32447C259F39B2C83AB156D77F1496BF7EB3351E1EE4E43DC1A18B91B24640B6DBB92CB1ADD371E",
};

static C_TC26_512A: LazyLock<Curve<{ U512::LIMBS }>> = LazyLock::new(|| Curve::new(&TC26_512A));
static C_EXAMPLE_512: LazyLock<Curve<{ U512::LIMBS }>> = LazyLock::new(|| Curve::new(&EXAMPLE_512));
static C_TC26_256A: LazyLock<Curve<{ U256::LIMBS }>> = LazyLock::new(|| Curve::new(&TC26_256A));
static C_CRYPTOPRO_A: LazyLock<Curve<{ U256::LIMBS }>> = LazyLock::new(|| Curve::new(&CRYPTOPRO_A));
static C_EXAMPLE_256: LazyLock<Curve<{ U256::LIMBS }>> = LazyLock::new(|| Curve::new(&EXAMPLE_256));

/// A curve of either width, for code that works on both.
enum Either {
    W256(&'static Curve<{ U256::LIMBS }>),
    W512(&'static Curve<{ U512::LIMBS }>),
}

impl GostCurve {
    fn curve(self) -> Either {
        match self {
            GostCurve::Tc26_512A => Either::W512(&C_TC26_512A),
            GostCurve::Example512 => Either::W512(&C_EXAMPLE_512),
            GostCurve::Tc26_256A => Either::W256(&C_TC26_256A),
            GostCurve::CryptoProA => Either::W256(&C_CRYPTOPRO_A),
            GostCurve::Example256 => Either::W256(&C_EXAMPLE_256),
        }
    }

    /// Bytes in one coordinate, one half of a signature, and a digest.
    pub fn size(self) -> usize {
        match self.curve() {
            Either::W256(_) => 32,
            Either::W512(_) => 64,
        }
    }

    /// Checks `signature` (r ‖ s, little-endian) over `digest` (read little-endian) under
    /// `public_key` (x ‖ y, little-endian).
    pub fn verify(self, public_key: &[u8], digest: &[u8], signature: &[u8]) -> Result<(), GostError> {
        match self.curve() {
            Either::W256(c) => verify_on(self, c, public_key, digest, signature),
            Either::W512(c) => verify_on(self, c, public_key, digest, signature),
        }
    }

    /// Makes a table for `public_key` (x ‖ y, little-endian) that verifies its signatures
    /// about 2.5 times faster, kept for the life of the process: for keys that sign many of
    /// the signatures checked, the CAs of a trust store. Costs about half a millisecond and
    /// 32 KB (512 bits); past a bound, further keys are verified without one.
    pub fn keep_table(self, public_key: &[u8]) -> Result<(), GostError> {
        match self.curve() {
            Either::W256(c) => keep_on(self, c, public_key),
            Either::W512(c) => keep_on(self, c, public_key),
        }
    }
}

/// Splits `bytes` into `n` little-endian integers of equal length.
fn le_halves<const L: usize>(bytes: &[u8]) -> (Uint<L>, Uint<L>) {
    let half = bytes.len() / 2;
    let (mut a, mut b) = (bytes[..half].to_vec(), bytes[half..].to_vec());
    (uint_from_le(&mut a).unwrap_or(Uint::MAX), uint_from_le(&mut b).unwrap_or(Uint::MAX))
}

fn digest_int<const L: usize>(size: usize, digest: &[u8]) -> Result<Uint<L>, GostError> {
    if digest.len() != size {
        return Err(GostError::BadDigestLength { want: size, got: digest.len() });
    }
    Ok(uint_from_le(&mut digest.to_vec()).unwrap_or(Uint::MAX))
}

fn verify_on<const L: usize>(
    id: GostCurve,
    c: &Curve<L>,
    public_key: &[u8],
    digest: &[u8],
    signature: &[u8],
) -> Result<(), GostError> {
    let size = L * 8;
    if public_key.len() != 2 * size {
        return Err(GostError::BadPublicKey(id));
    }
    if signature.len() != 2 * size {
        return Err(GostError::BadSignatureLength { curve: id, want: 2 * size, got: signature.len() });
    }
    let (x, y) = le_halves::<L>(public_key);
    let key = c.point(&x, &y).ok_or(GostError::BadPublicKey(id))?;
    let (r, s) = le_halves::<L>(signature);
    let alpha = digest_int::<L>(size, digest)?;
    let comb = c.comb_of(public_key);
    if c.verify(&key, comb.as_deref(), &alpha, &r, &s) { Ok(()) } else { Err(GostError::Mismatch) }
}

fn keep_on<const L: usize>(id: GostCurve, c: &Curve<L>, public_key: &[u8]) -> Result<(), GostError> {
    if public_key.len() != 2 * L * 8 {
        return Err(GostError::BadPublicKey(id));
    }
    let (x, y) = le_halves::<L>(public_key);
    let key = c.point(&x, &y).ok_or(GostError::BadPublicKey(id))?;
    c.keep_comb(public_key, &key);
    Ok(())
}

/// A GOST private key: the scalar d with its curve. The scalar is wiped when dropped.
pub struct PrivateKey {
    curve: GostCurve,
    /// d, little-endian, `curve.size()` bytes.
    d: Vec<u8>,
}

impl Drop for PrivateKey {
    fn drop(&mut self) {
        for b in self.d.iter_mut() {
            // Volatile-free wipe; the optimiser may not drop it because `d` is read in Drop.
            *b = 0;
        }
        std::hint::black_box(&self.d);
    }
}

impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PrivateKey({:?}, …)", self.curve)
    }
}

/// A uniformly random integer in 1 … q−1, by rejection: each draw keeps q's bit length.
fn random_below<const L: usize>(q: &Uint<L>) -> Result<Uint<L>, GostError> {
    let bits = q.bit_width() as usize;
    loop {
        let mut buf = vec![0u8; L * 8];
        getrandom::fill(&mut buf).map_err(|e| GostError::Random(e.to_string()))?;
        for (i, b) in buf.iter_mut().enumerate() {
            let lo = i * 8;
            if lo >= bits {
                *b = 0;
            } else if lo + 8 > bits {
                *b &= (1u8 << (bits - lo)) - 1;
            }
        }
        let k = uint_from_le::<L>(&mut buf).unwrap_or(Uint::ZERO);
        if k != Uint::ZERO && &k < q {
            return Ok(k);
        }
    }
}

impl PrivateKey {
    /// A key from d as little-endian bytes (the NCA's PKCS #8 order), checked 1 ≤ d < q.
    pub fn from_le_bytes(curve: GostCurve, d: &[u8]) -> Result<PrivateKey, GostError> {
        let size = curve.size();
        let mut le = d.to_vec();
        // Short encodings pad with zeros at the top; longer ones must only carry zeros there.
        if le.len() > size && le[size..].iter().any(|b| *b != 0) {
            return Err(GostError::BadPrivateKey);
        }
        le.resize(size, 0);
        let ok = match curve.curve() {
            Either::W256(c) => in_range(c, &le),
            Either::W512(c) => in_range(c, &le),
        };
        if !ok {
            return Err(GostError::BadPrivateKey);
        }
        Ok(PrivateKey { curve, d: le })
    }

    /// A new random key.
    pub fn generate(curve: GostCurve) -> Result<PrivateKey, GostError> {
        let d = match curve.curve() {
            Either::W256(c) => uint_to_le(&random_below(c.q())?, 32),
            Either::W512(c) => uint_to_le(&random_below(c.q())?, 64),
        };
        Ok(PrivateKey { curve, d })
    }

    /// The curve.
    pub fn curve(&self) -> GostCurve {
        self.curve
    }

    /// d as little-endian bytes.
    pub fn to_le_bytes(&self) -> Vec<u8> {
        self.d.clone()
    }

    /// The public key x ‖ y, little-endian.
    pub fn public_key(&self) -> Vec<u8> {
        match self.curve.curve() {
            Either::W256(c) => public_on(c, &self.d),
            Either::W512(c) => public_on(c, &self.d),
        }
    }

    /// A signature r ‖ s (little-endian) of `digest` with a fresh random nonce.
    pub fn sign(&self, digest: &[u8]) -> Result<Vec<u8>, GostError> {
        match self.curve.curve() {
            Either::W256(c) => sign_on(c, &self.d, digest, None),
            Either::W512(c) => sign_on(c, &self.d, digest, None),
        }
    }

    /// A signature with a given nonce k (little-endian): only to reproduce the standard's
    /// examples; a repeated nonce reveals the key.
    #[doc(hidden)]
    pub fn sign_with_nonce(&self, digest: &[u8], k: &[u8]) -> Result<Vec<u8>, GostError> {
        match self.curve.curve() {
            Either::W256(c) => sign_on(c, &self.d, digest, Some(k)),
            Either::W512(c) => sign_on(c, &self.d, digest, Some(k)),
        }
    }
}

fn in_range<const L: usize>(c: &Curve<L>, d_le: &[u8]) -> bool {
    let d = uint_from_le::<L>(&mut d_le.to_vec()).unwrap_or(Uint::MAX);
    d != Uint::ZERO && &d < c.q()
}

fn public_on<const L: usize>(c: &Curve<L>, d_le: &[u8]) -> Vec<u8> {
    let d = uint_from_le::<L>(&mut d_le.to_vec()).unwrap_or(Uint::ZERO);
    let (x, y) = c.public_key(&d).expect("1 ≤ d < q gives a finite point");
    let mut out = uint_to_le(&x, L * 8);
    out.extend(uint_to_le(&y, L * 8));
    out
}

fn sign_on<const L: usize>(c: &Curve<L>, d_le: &[u8], digest: &[u8], k: Option<&[u8]>) -> Result<Vec<u8>, GostError> {
    let size = L * 8;
    let alpha = digest_int::<L>(size, digest)?;
    let d = uint_from_le::<L>(&mut d_le.to_vec()).ok_or(GostError::BadPrivateKey)?;
    let fixed = k.is_some();
    loop {
        let k = match k {
            Some(k) => uint_from_le::<L>(&mut k.to_vec()).ok_or(GostError::BadPrivateKey)?,
            None => random_below(c.q())?,
        };
        if k == Uint::ZERO || &k >= c.q() {
            return Err(GostError::BadPrivateKey);
        }
        match c.sign(&d, &alpha, &k) {
            Some((r, s)) => {
                let mut out = uint_to_le(&r, size);
                out.extend(uint_to_le(&s, size));
                return Ok(out);
            }
            // A given nonce that gives r or s = 0 cannot be retried with another.
            None if fixed => return Err(GostError::BadPrivateKey),
            None => {}
        }
    }
}

#[cfg(test)]
mod tests;
