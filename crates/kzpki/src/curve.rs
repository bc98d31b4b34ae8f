//! Short Weierstrass curves y² = x³ + ax + b over a prime field, and the GOST R 34.10
//! signature on them (GOST R 34.10-2012 §6, the same equations as GOST 34.310-2004).
//!
//! Signing works on projective points (X:Y:Z) added with the complete formulas of Renes,
//! Costello and Batina (2016, algorithm 1, any a): one formula for every pair, the neutral
//! element included, so the ladder has no branch on secret data. Verification touches public
//! data only and takes the faster road: Jacobian coordinates (the a = −3 doubling where the
//! curve allows, as TC26 512 paramSetA and CryptoPro-A do), both scalar multiplications
//! interleaved over one chain of doublings, each scalar in width-w non-adjacent form (wNAF)
//! over a table of odd multiples in affine coordinates. The base point's table is made once
//! and is wider (w = 12: 1,024 odd multiples, 140 KB at 512 bits) than the key's (w = 5: 8), since
//! it is reused. The result is compared with r without leaving Jacobian coordinates
//! ([`Curve::x_is`]): an inversion saved. A key that verifies many signatures (a CA's, kept by
//! the trust store) gets a Lim–Lee comb as G has one, and then needs 8L doublings instead of
//! 64L: about three times faster.

use crypto_bigint::{NonZero, Uint};

use crate::field::{Fe, Field};

/// A curve with its base point of prime order q.
#[derive(Debug)]
pub(crate) struct Curve<const L: usize> {
    /// Arithmetic mod p.
    pub(crate) fp: Field<L>,
    /// Arithmetic mod q, the order of the base point.
    pub(crate) fq: Field<L>,
    a: Fe<L>,
    b: Fe<L>,
    b3: Fe<L>,
    g: Point<L>,
    /// a = −3: the cheaper Jacobian doubling applies.
    a_is_minus_3: bool,
    /// G, 3G, … 2047·G in affine coordinates, made on first verification (about 2 ms).
    g_table: std::sync::OnceLock<Vec<Affine<L>>>,
    /// G's comb, made on the first verification under a key with a comb.
    g_comb: std::sync::OnceLock<Comb<L>>,
    /// The combs of the keys kept by [`Curve::keep_comb`], by their bytes.
    combs: std::sync::RwLock<std::collections::HashMap<Vec<u8>, std::sync::Arc<Comb<L>>>>,
}

/// Teeth of a comb: 8 make a table of 256 points (32 KB at 512 bits).
const TEETH: usize = 8;

/// How many keys' combs a process keeps: the NCA's issuing and root CAs are a handful; the
/// bound keeps a store loaded with many CAs from growing without end (8 MB at most).
const COMBS: usize = 256;

/// A fixed point's comb: entry b is Σ 2^(i·d)·P over the bits i of b.
#[derive(Debug)]
pub(crate) struct Comb<const L: usize>(Vec<Affine<L>>);

/// An affine point for the verification tables; `None` is the neutral element.
type Affine<const L: usize> = Option<(Fe<L>, Fe<L>)>;

/// A Jacobian point (X/Z², Y/Z³); Z = 0 is the neutral element. Verification only.
#[derive(Clone, Copy, Debug)]
struct Jac<const L: usize> {
    x: Fe<L>,
    y: Fe<L>,
    z: Fe<L>,
}

/// A projective point; Z = 0 is the neutral element.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Point<const L: usize> {
    x: Fe<L>,
    y: Fe<L>,
    z: Fe<L>,
}

/// Parameters as the standards print them (big-endian hex).
pub(crate) struct CurveHex {
    pub(crate) p: &'static str,
    pub(crate) a: &'static str,
    pub(crate) b: &'static str,
    pub(crate) q: &'static str,
    pub(crate) x: &'static str,
    pub(crate) y: &'static str,
}

/// Big-endian hex of any length up to the width into an integer.
pub(crate) fn uint_from_hex<const L: usize>(hex: &str) -> Uint<L> {
    let mut bytes = Vec::with_capacity(hex.len() / 2 + 1);
    let digits: Vec<u8> = hex.bytes().filter(|c| !c.is_ascii_whitespace()).collect();
    let val = |c: u8| (c as char).to_digit(16).expect("hex digit") as u8;
    let mut i = digits.len() % 2;
    if i == 1 {
        bytes.push(val(digits[0]));
    }
    while i < digits.len() {
        bytes.push(val(digits[i]) << 4 | val(digits[i + 1]));
        i += 2;
    }
    uint_from_be(&bytes).expect("constant fits")
}

/// Big-endian bytes into an integer; `None` when they do not fit.
pub(crate) fn uint_from_be<const L: usize>(bytes: &[u8]) -> Option<Uint<L>> {
    let mut le: Vec<u8> = bytes.iter().rev().copied().collect();
    uint_from_le(&mut le)
}

/// Little-endian bytes into an integer; `None` when they do not fit.
pub(crate) fn uint_from_le<const L: usize>(bytes: &mut [u8]) -> Option<Uint<L>> {
    let mut words = [0u64; L];
    for (i, b) in bytes.iter().enumerate() {
        if i / 8 >= L {
            if *b != 0 {
                return None;
            }
            continue;
        }
        words[i / 8] |= u64::from(*b) << (8 * (i % 8));
    }
    Some(Uint::from_words(words))
}

/// The integer as `len` little-endian bytes (the GOST wire order).
pub(crate) fn uint_to_le<const L: usize>(x: &Uint<L>, len: usize) -> Vec<u8> {
    let mut out: Vec<u8> = x.as_words().iter().flat_map(|w| w.to_le_bytes()).collect();
    out.truncate(len);
    out
}

/// k in width-w non-adjacent form: digits k = Σ dᵢ·2ⁱ, each zero or odd with |dᵢ| < 2^(w−1),
/// and of any w consecutive digits at most one non-zero, so about one addition per w + 1
/// doublings instead of one per w. One digit more than the width absorbs the last carry.
fn wnaf<const L: usize>(k: &Uint<L>, w: u32) -> Vec<i16> {
    debug_assert!((2..=15).contains(&w), "digits below 2^(w−1) fit an i16");
    let words = k.as_words();
    let bits = 64 * L;
    let bit_window = |pos: usize| -> u64 {
        let (i, b) = (pos / 64, pos % 64);
        let low = words.get(i).map_or(0, |x| x >> b);
        let high = if b == 0 { 0 } else { words.get(i + 1).map_or(0, |x| x << (64 - b)) };
        (low | high) & ((1 << w) - 1)
    };
    let width = 1u64 << w;
    let mut out = vec![0i16; bits + 1];
    let (mut pos, mut carry) = (0, 0u64);
    while pos <= bits {
        let window = carry + bit_window(pos);
        if window & 1 == 0 {
            // An even window: this digit is zero. Bit and carry were both 0 or both 1, so the
            // carry, if any, moves up to the next bit unchanged.
            pos += 1;
            continue;
        }
        if window < width / 2 {
            out[pos] = window as i16;
            carry = 0;
        } else {
            out[pos] = (i64::try_from(window).unwrap_or(0) - i64::try_from(width).unwrap_or(0)) as i16;
            carry = 1;
        }
        pos += w as usize;
    }
    out
}

impl<const L: usize> Curve<L> {
    pub(crate) fn new(h: &CurveHex) -> Curve<L> {
        let fp = Field::new(uint_from_hex(h.p));
        let fq = Field::new(uint_from_hex(h.q));
        let a = fp.reduce(&uint_from_hex(h.a));
        let b = fp.reduce(&uint_from_hex(h.b));
        let b3 = fp.add(&fp.add(&b, &b), &b);
        let g = Point { x: fp.reduce(&uint_from_hex(h.x)), y: fp.reduce(&uint_from_hex(h.y)), z: fp.one() };
        let three = fp.reduce(&Uint::from_u8(3));
        let a_is_minus_3 = fp.is_zero(&fp.add(&a, &three));
        Curve {
            fp,
            fq,
            a,
            b,
            b3,
            g,
            a_is_minus_3,
            g_table: std::sync::OnceLock::new(),
            g_comb: std::sync::OnceLock::new(),
            combs: std::sync::RwLock::default(),
        }
    }

    pub(crate) fn q(&self) -> &Uint<L> {
        &self.fq.p
    }

    fn identity(&self) -> Point<L> {
        Point { x: self.fp.zero(), y: self.fp.one(), z: self.fp.zero() }
    }

    /// The affine point (x, y) if it lies on the curve.
    pub(crate) fn point(&self, x: &Uint<L>, y: &Uint<L>) -> Option<Point<L>> {
        if x >= &self.fp.p || y >= &self.fp.p {
            return None;
        }
        let f = &self.fp;
        let (x, y) = (f.enter(x), f.enter(y));
        let rhs = f.add(&f.mul(&f.add(&f.square(&x), &self.a), &x), &self.b);
        f.eq(&f.square(&y), &rhs).then_some(Point { x, y, z: f.one() })
    }

    /// Affine coordinates, `None` for the neutral element.
    pub(crate) fn affine(&self, p: &Point<L>) -> Option<(Uint<L>, Uint<L>)> {
        let zi = self.fp.invert_vartime(&p.z)?;
        Some((self.fp.to_uint(&self.fp.mul(&p.x, &zi)), self.fp.to_uint(&self.fp.mul(&p.y, &zi))))
    }

    /// The affine x in constant time (zero for the neutral element).
    fn affine_x_ct(&self, p: &Point<L>) -> Uint<L> {
        let zi = self.fp.invert(&p.z);
        self.fp.to_uint(&self.fp.mul(&p.x, &zi))
    }

    /// P + Q for any P and Q (RCB 2016, algorithm 1).
    pub(crate) fn add(&self, p: &Point<L>, q: &Point<L>) -> Point<L> {
        let f = &self.fp;
        let (x1, y1, z1, x2, y2, z2) = (&p.x, &p.y, &p.z, &q.x, &q.y, &q.z);
        let mut t0 = f.mul(x1, x2);
        let mut t1 = f.mul(y1, y2);
        let mut t2 = f.mul(z1, z2);
        let mut t3 = f.add(x1, y1);
        let mut t4 = f.add(x2, y2);
        t3 = f.mul(&t3, &t4);
        t4 = f.add(&t0, &t1);
        t3 = f.sub(&t3, &t4);
        t4 = f.add(x1, z1);
        let mut t5 = f.add(x2, z2);
        t4 = f.mul(&t4, &t5);
        t5 = f.add(&t0, &t2);
        t4 = f.sub(&t4, &t5);
        t5 = f.add(y1, z1);
        let mut x3 = f.add(y2, z2);
        t5 = f.mul(&t5, &x3);
        x3 = f.add(&t1, &t2);
        t5 = f.sub(&t5, &x3);
        let mut z3 = f.mul(&self.a, &t4);
        x3 = f.mul(&self.b3, &t2);
        z3 = f.add(&x3, &z3);
        x3 = f.sub(&t1, &z3);
        z3 = f.add(&t1, &z3);
        let mut y3 = f.mul(&x3, &z3);
        t1 = f.add(&t0, &t0);
        t1 = f.add(&t1, &t0);
        t2 = f.mul(&self.a, &t2);
        t4 = f.mul(&self.b3, &t4);
        t1 = f.add(&t1, &t2);
        t2 = f.sub(&t0, &t2);
        t2 = f.mul(&self.a, &t2);
        t4 = f.add(&t4, &t2);
        t0 = f.mul(&t1, &t4);
        y3 = f.add(&y3, &t0);
        t0 = f.mul(&t5, &t4);
        x3 = f.mul(&t3, &x3);
        x3 = f.sub(&x3, &t0);
        t0 = f.mul(&t3, &t1);
        z3 = f.mul(&t5, &z3);
        z3 = f.add(&z3, &t0);
        Point { x: x3, y: y3, z: z3 }
    }

    fn swap(a: &mut Point<L>, b: &mut Point<L>, bit: u64) {
        let na = Point {
            x: Field::select(&a.x, &b.x, bit),
            y: Field::select(&a.y, &b.y, bit),
            z: Field::select(&a.z, &b.z, bit),
        };
        let nb = Point {
            x: Field::select(&b.x, &a.x, bit),
            y: Field::select(&b.y, &a.y, bit),
            z: Field::select(&b.z, &a.z, bit),
        };
        *a = na;
        *b = nb;
    }

    /// k·P by the Montgomery ladder over every bit of the width: the same additions in the
    /// same order for every k.
    pub(crate) fn mul_ct(&self, k: &Uint<L>, p: &Point<L>) -> Point<L> {
        let mut r0 = self.identity();
        let mut r1 = *p;
        let words = k.as_words();
        for i in (0..L * 64).rev() {
            let bit = (words[i / 64] >> (i % 64)) & 1;
            Self::swap(&mut r0, &mut r1, bit);
            r1 = self.add(&r0, &r1);
            r0 = self.add(&r0, &r0);
            Self::swap(&mut r0, &mut r1, bit);
        }
        r0
    }

    fn jac_identity(&self) -> Jac<L> {
        Jac { x: self.fp.one(), y: self.fp.one(), z: self.fp.zero() }
    }

    fn jac_is_identity(&self, p: &Jac<L>) -> bool {
        self.fp.is_zero(&p.z)
    }

    /// 2P in Jacobian coordinates: dbl-2001-b for a = −3 (4M + 4S with Z3 = 2·Y·Z),
    /// dbl-2007-bl otherwise.
    fn jac_double(&self, p: &Jac<L>) -> Jac<L> {
        let f = &self.fp;
        if self.jac_is_identity(p) || f.is_zero(&p.y) {
            return self.jac_identity();
        }
        if self.a_is_minus_3 {
            let delta = f.square(&p.z);
            let gamma = f.square(&p.y);
            let beta = f.mul(&p.x, &gamma);
            let t = f.mul(&f.sub(&p.x, &delta), &f.add(&p.x, &delta));
            let alpha = f.times(&t, 3);
            let beta4 = f.times(&beta, 4);
            let beta8 = f.add(&beta4, &beta4);
            let x3 = f.sub(&f.square(&alpha), &beta8);
            // Z3 = 2·Y·Z: a product and a sum, where (Y + Z)² − γ − δ took a square, a sum and
            // two differences.
            let z3 = f.mul(&f.add(&p.y, &p.y), &p.z);
            let g8 = f.times(&f.square(&gamma), 8);
            let y3 = f.sub(&f.mul(&alpha, &f.sub(&beta4, &x3)), &g8);
            return Jac { x: x3, y: y3, z: z3 };
        }
        let xx = f.square(&p.x);
        let yy = f.square(&p.y);
        let yyyy = f.square(&yy);
        let zz = f.square(&p.z);
        let t = f.sub(&f.sub(&f.square(&f.add(&p.x, &yy)), &xx), &yyyy);
        let s = f.add(&t, &t);
        let m = f.add(&f.times(&xx, 3), &f.mul(&self.a, &f.square(&zz)));
        let x3 = f.sub(&f.square(&m), &f.add(&s, &s));
        let y3 = f.sub(&f.mul(&m, &f.sub(&s, &x3)), &f.times(&yyyy, 8));
        let z3 = f.sub(&f.sub(&f.square(&f.add(&p.y, &p.z)), &yy), &zz);
        Jac { x: x3, y: y3, z: z3 }
    }

    /// P + Q with Q affine (madd-2007-bl, with Z3 = 2·Z1·H as in the doubling: 8M + 3S),
    /// every special case handled.
    fn jac_add_affine(&self, p: &Jac<L>, q: &Affine<L>) -> Jac<L> {
        let f = &self.fp;
        let Some((qx, qy)) = q else { return *p };
        if self.jac_is_identity(p) {
            return Jac { x: *qx, y: *qy, z: f.one() };
        }
        let z1z1 = f.square(&p.z);
        let u2 = f.mul(qx, &z1z1);
        let s2 = f.mul(&f.mul(qy, &p.z), &z1z1);
        let h = f.sub(&u2, &p.x);
        let r0 = f.sub(&s2, &p.y);
        if f.is_zero(&h) {
            return if f.is_zero(&r0) { self.jac_double(p) } else { self.jac_identity() };
        }
        let hh = f.square(&h);
        let i = f.times(&hh, 4);
        let j = f.mul(&h, &i);
        let r = f.add(&r0, &r0);
        let v = f.mul(&p.x, &i);
        let x3 = f.sub(&f.sub(&f.square(&r), &j), &f.add(&v, &v));
        let y1j = f.mul(&p.y, &j);
        let y3 = f.sub(&f.mul(&r, &f.sub(&v, &x3)), &f.add(&y1j, &y1j));
        let z3 = f.mul(&f.add(&p.z, &p.z), &h);
        Jac { x: x3, y: y3, z: z3 }
    }

    /// The odd multiples P, 3P, … (2n−1)·P in affine coordinates: the only ones a wNAF digit
    /// names. The even ones are made on the way (each odd one is the even one below plus P,
    /// an addition of an affine point) and are not brought to affine form.
    fn odd_table(&self, x: &Fe<L>, y: &Fe<L>, n: usize) -> Vec<Affine<L>> {
        let p1: Affine<L> = Some((*x, *y));
        let mut jac = vec![self.jac_identity(); 2 * n];
        jac[1] = Jac { x: *x, y: *y, z: self.fp.one() };
        for i in 2..2 * n {
            jac[i] = if i % 2 == 0 { self.jac_double(&jac[i / 2]) } else { self.jac_add_affine(&jac[i - 1], &p1) };
        }
        let odd: Vec<Jac<L>> = jac.into_iter().skip(1).step_by(2).collect();
        self.normalize(&odd)
    }

    /// Jacobian points into affine ones with one inversion for all (Montgomery's trick).
    fn normalize(&self, jac: &[Jac<L>]) -> Vec<Affine<L>> {
        let f = &self.fp;
        let n = jac.len();
        // Prefix products of the non-zero Z, one inversion, then back down.
        let mut prefix = Vec::with_capacity(n);
        let mut acc = f.one();
        for p in jac {
            if !f.is_zero(&p.z) {
                acc = f.mul(&acc, &p.z);
            }
            prefix.push(acc);
        }
        let Some(mut inv) = f.invert_vartime(&acc) else { return vec![None; n] };
        let mut out = vec![None; n];
        for i in (0..n).rev() {
            let p = &jac[i];
            if f.is_zero(&p.z) {
                continue;
            }
            let before = if i == 0 { f.one() } else { prefix[i - 1] };
            let zi = f.mul(&inv, &before);
            inv = f.mul(&inv, &p.z);
            let zi2 = f.square(&zi);
            out[i] = Some((f.mul(&p.x, &zi2), f.mul(&p.y, &f.mul(&zi2, &zi))));
        }
        out
    }

    /// The comb of the affine point (x, y): for every byte b, Σ 2^(i·d)·P over the bits i
    /// of b, with d = 8L columns (Lim and Lee, 1994). About 0.5 ms to make.
    fn comb(&self, x: &Fe<L>, y: &Fe<L>) -> Comb<L> {
        let d = 64 * L / TEETH;
        let mut bases = Vec::with_capacity(TEETH);
        let mut cur = Jac { x: *x, y: *y, z: self.fp.one() };
        for _ in 0..TEETH {
            bases.push(cur);
            for _ in 0..d {
                cur = self.jac_double(&cur);
            }
        }
        let bases = self.normalize(&bases);
        let mut jac = vec![self.jac_identity(); 1 << TEETH];
        for b in 1usize..1 << TEETH {
            let top = b.ilog2() as usize;
            jac[b] = self.jac_add_affine(&jac[b ^ (1 << top)], &bases[top]);
        }
        Comb(self.normalize(&jac))
    }

    /// The comb of a public key, kept for the life of the process (at most [`COMBS`] keys):
    /// what a key verifying many signatures, such as an issuing CA's, is worth a table for.
    pub(crate) fn keep_comb(&self, key: &[u8], p: &Point<L>) {
        let Some((x, y)) = self.affine(p) else { return };
        if self.combs.read().unwrap_or_else(std::sync::PoisonError::into_inner).contains_key(key) {
            return;
        }
        let comb = std::sync::Arc::new(self.comb(&self.fp.enter(&x), &self.fp.enter(&y)));
        let mut combs = self.combs.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        if combs.len() < COMBS {
            combs.insert(key.to_vec(), comb);
        }
    }

    /// The kept comb of a public key, if any.
    pub(crate) fn comb_of(&self, key: &[u8]) -> Option<std::sync::Arc<Comb<L>>> {
        self.combs.read().unwrap_or_else(std::sync::PoisonError::into_inner).get(key).cloned()
    }

    /// u·G + v·P over the combs of G and P: 8L doublings shared by both, and one addition
    /// per column for each (64 doublings and 128 additions at 512 bits, against 512 and about
    /// 150 without P's comb). Variable time: public scalars only.
    fn mul2_comb(&self, u: &Uint<L>, v: &Uint<L>, tp: &Comb<L>) -> Jac<L> {
        let f = &self.fp;
        let tg = self.g_comb.get_or_init(|| {
            let (gx, gy) = self.affine(&self.g).expect("the base point is finite");
            self.comb(&f.enter(&gx), &f.enter(&gy))
        });
        let d = 64 * L / TEETH;
        let column = |k: &[u64; L], col: usize| {
            (0..TEETH).fold(0usize, |b, i| {
                let bit = col + i * d;
                b | (((k[bit / 64] >> (bit % 64)) & 1) as usize) << i
            })
        };
        let (uw, vw) = (u.as_words(), v.as_words());
        let mut acc = self.jac_identity();
        for col in (0..d).rev() {
            if !self.jac_is_identity(&acc) {
                acc = self.jac_double(&acc);
            }
            acc = self.jac_add_affine(&acc, &tg.0[column(uw, col)]);
            acc = self.jac_add_affine(&acc, &tp.0[column(vw, col)]);
        }
        acc
    }

    /// Whether the affine x of a Jacobian point (X/Z²) is r modulo q, without the inversion
    /// that affine x would cost: X = x·Z² for one of x = r, r + q, r + 2q, … below p (one or
    /// two candidates where q is near p, as for the 512-bit curves; four for TC26 256 paramSetA,
    /// whose q is near p/4). False for the neutral element.
    fn x_is(&self, acc: &Jac<L>, r: &Uint<L>) -> bool {
        let f = &self.fp;
        if self.jac_is_identity(acc) {
            return false;
        }
        let zz = f.square(&acc.z);
        let mut x = *r;
        while x < f.p {
            if f.eq(&acc.x, &f.mul(&f.enter(&x), &zz)) {
                return true;
            }
            let (next, carry) = x.carrying_add(self.q(), crypto_bigint::Limb::ZERO);
            if carry != crypto_bigint::Limb::ZERO {
                return false;
            }
            x = next;
        }
        false
    }

    /// acc + d·T in place, for a wNAF digit d (odd, |d| < 2^(w−1), or 0) over T's odd
    /// multiples ([`Curve::odd_table`]): a negative digit adds the negated point (x, −y). In
    /// place because most digits are zero, and a copy of the point for each was 3 % of a
    /// verification.
    fn add_digit(&self, acc: &mut Jac<L>, table: &[Affine<L>], d: i16) {
        if d == 0 {
            return;
        }
        let at = usize::from(d.unsigned_abs() / 2);
        *acc = if d > 0 {
            self.jac_add_affine(acc, &table[at])
        } else {
            let neg = table[at].map(|(x, y)| (x, self.fp.neg(&y)));
            self.jac_add_affine(acc, &neg)
        };
    }

    /// u·G + v·P in variable time, in Jacobian coordinates: public scalars only
    /// (verification).
    fn mul2_vartime(&self, u: &Uint<L>, v: &Uint<L>, p: &Point<L>) -> Option<Jac<L>> {
        const G_WIDTH: u32 = 12;
        const P_WIDTH: u32 = 5;
        let f = &self.fp;
        // A key read from a certificate is affine already (Z = 1): no inversion for it.
        let (px, py) = if f.eq(&p.z, &f.one()) {
            (p.x, p.y)
        } else {
            let (x, y) = self.affine(p)?;
            (f.enter(&x), f.enter(&y))
        };
        let tg = self.g_table.get_or_init(|| {
            let (gx, gy) = self.affine(&self.g).expect("the base point is finite");
            self.odd_table(&f.enter(&gx), &f.enter(&gy), 1 << (G_WIDTH - 2))
        });
        let tp = self.odd_table(&px, &py, 1 << (P_WIDTH - 2));
        let (un, vn) = (wnaf(u, G_WIDTH), wnaf(v, P_WIDTH));
        let mut acc = self.jac_identity();
        for i in (0..un.len()).rev() {
            if !self.jac_is_identity(&acc) {
                acc = self.jac_double(&acc);
            }
            self.add_digit(&mut acc, tg, un[i]);
            self.add_digit(&mut acc, &tp, vn[i]);
        }
        Some(acc)
    }

    /// The public key d·G of a private key d (1 ≤ d < q).
    pub(crate) fn public_key(&self, d: &Uint<L>) -> Option<(Uint<L>, Uint<L>)> {
        self.affine(&self.mul_ct(d, &self.g))
    }

    /// e = α mod q, and 1 when that is 0 (GOST R 34.10-2012 §6.1 step 2).
    pub(crate) fn e_of(&self, alpha: &Uint<L>) -> Uint<L> {
        let q = NonZero::new(*self.q()).expect("q is not zero");
        let e = alpha.rem_vartime(&q);
        if e == Uint::ZERO { Uint::ONE } else { e }
    }

    /// The signature (r, s) of digest-integer `alpha` by private key `d` with nonce `k`
    /// (1 ≤ k < q), or `None` when r or s comes out zero and another k must be drawn.
    pub(crate) fn sign(&self, d: &Uint<L>, alpha: &Uint<L>, k: &Uint<L>) -> Option<(Uint<L>, Uint<L>)> {
        let q = NonZero::new(*self.q()).expect("q is not zero");
        let e = self.e_of(alpha);
        let c = self.mul_ct(k, &self.g);
        let r = self.affine_x_ct(&c).rem(&q);
        if r == Uint::ZERO {
            return None;
        }
        let fq = &self.fq;
        let s = fq.add(&fq.mul(&fq.enter(&r), &fq.enter(d)), &fq.mul(&fq.enter(k), &fq.enter(&e)));
        let s = fq.to_uint(&s);
        (s != Uint::ZERO).then_some((r, s))
    }

    /// Whether (r, s) is a signature of `alpha` under public key `key` (§7), over the key's
    /// comb when it has one.
    pub(crate) fn verify(
        &self,
        key: &Point<L>,
        comb: Option<&Comb<L>>,
        alpha: &Uint<L>,
        r: &Uint<L>,
        s: &Uint<L>,
    ) -> bool {
        let q = self.q();
        if *r == Uint::ZERO || *s == Uint::ZERO || r >= q || s >= q {
            return false;
        }
        let fq = &self.fq;
        let e = fq.enter(&self.e_of(alpha));
        let Some(v) = fq.invert_vartime(&e) else { return false };
        let z1 = fq.to_uint(&fq.mul(&fq.enter(s), &v));
        let z2 = fq.to_uint(&fq.neg(&fq.mul(&fq.enter(r), &v)));
        let sum = match comb {
            Some(comb) => Some(self.mul2_comb(&z1, &z2, comb)),
            None => self.mul2_vartime(&z1, &z2, key),
        };
        sum.is_some_and(|sum| self.x_is(&sum, r))
    }
}

#[cfg(test)]
mod tests {
    use crypto_bigint::U512;

    /// The digits add back up to k, each is zero or odd and below 2^(w−1) in size, and any
    /// w in a row hold at most one non-zero: at the width's edge (2⁵¹² − 1, TC26's q − 1)
    /// and on values with long runs of ones, where the carries are.
    #[test]
    fn wnaf_digits_add_up_to_the_scalar() {
        let q = super::uint_from_hex::<8>(
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF27E69532F48D89116FF22B8D4E0560609B4B38ABFAD2B85DCACDB1411F10B275",
        );
        let mut ks = vec![U512::ZERO, U512::ONE, U512::MAX, q.wrapping_sub(&U512::ONE), U512::MAX.shr_vartime(1)];
        let mut x = U512::from_be_hex(&"9e3779b97f4a7c15".repeat(8));
        for _ in 0..100 {
            x = x.wrapping_mul(&x).wrapping_add(&U512::from_u64(0x5851_f42d_4c95_7f2d));
            ks.push(x);
        }
        for w in [5, 7, 8] {
            for k in &ks {
                let d = super::wnaf(k, w);
                let mut back = U512::ZERO;
                for &di in d.iter().rev() {
                    back = back.shl_vartime(1);
                    back = if di >= 0 {
                        back.wrapping_add(&U512::from_u64(di as u64))
                    } else {
                        back.wrapping_sub(&U512::from_u64(u64::from(di.unsigned_abs())))
                    };
                }
                assert_eq!(&back, k, "w = {w}");
                assert!(d.iter().all(|&di| di == 0 || (di % 2 != 0 && i32::from(di).abs() < 1 << (w - 1))));
                for win in d.windows(w as usize) {
                    assert!(win.iter().filter(|&&di| di != 0).count() <= 1, "w = {w}");
                }
            }
        }
    }
}
