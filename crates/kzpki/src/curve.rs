//! Short Weierstrass curves y² = x³ + ax + b over a prime field, and the GOST R 34.10
//! signature on them (GOST R 34.10-2012 §6, the same equations as GOST 34.310-2004).
//!
//! Points are projective (X:Y:Z) and added with the complete formulas of Renes, Costello and
//! Batina (2016, algorithm 1, any a): one formula for every pair, the neutral element
//! included, so the signing ladder has no branch on secret data. Verification, on public
//! data only, interleaves both scalar multiplications with 4-bit windows.

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

impl<const L: usize> Curve<L> {
    pub(crate) fn new(h: &CurveHex) -> Curve<L> {
        let fp = Field::new(uint_from_hex(h.p));
        let fq = Field::new(uint_from_hex(h.q));
        let a = fp.from_uint(&uint_from_hex(h.a));
        let b = fp.from_uint(&uint_from_hex(h.b));
        let b3 = fp.add(&fp.add(&b, &b), &b);
        let g = Point { x: fp.from_uint(&uint_from_hex(h.x)), y: fp.from_uint(&uint_from_hex(h.y)), z: fp.one() };
        Curve { fp, fq, a, b, b3, g }
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
        let (x, y) = (f.from_reduced(x), f.from_reduced(y));
        let rhs = f.add(&f.mul(&f.add(&f.square(&x), &self.a), &x), &self.b);
        (f.square(&y) == rhs).then_some(Point { x, y, z: f.one() })
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

    /// The 16 multiples 0·P … 15·P.
    fn window(&self, p: &Point<L>) -> [Point<L>; 16] {
        let mut t = [self.identity(); 16];
        t[1] = *p;
        for i in 2..16 {
            t[i] = if i % 2 == 0 { self.add(&t[i / 2], &t[i / 2]) } else { self.add(&t[i - 1], p) };
        }
        t
    }

    /// u·G + v·P in variable time: public scalars only (verification).
    pub(crate) fn mul2_vartime(&self, u: &Uint<L>, v: &Uint<L>, p: &Point<L>) -> Point<L> {
        let (tg, tp) = (self.window(&self.g), self.window(p));
        let (uw, vw) = (u.as_words(), v.as_words());
        let nibble = |w: &[u64; L], i: usize| ((w[i / 16] >> (4 * (i % 16))) & 15) as usize;
        let mut acc = self.identity();
        let mut started = false;
        for i in (0..L * 16).rev() {
            if started {
                for _ in 0..4 {
                    acc = self.add(&acc, &acc);
                }
            }
            let (a, b) = (nibble(uw, i), nibble(vw, i));
            if a != 0 {
                acc = if started { self.add(&acc, &tg[a]) } else { tg[a] };
                started = true;
            }
            if b != 0 {
                acc = if started { self.add(&acc, &tp[b]) } else { tp[b] };
                started = true;
            }
        }
        acc
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
        let s = fq.add(
            &fq.mul(&fq.from_reduced(&r), &fq.from_reduced(d)),
            &fq.mul(&fq.from_reduced(k), &fq.from_reduced(&e)),
        );
        let s = fq.to_uint(&s);
        (s != Uint::ZERO).then_some((r, s))
    }

    /// Whether (r, s) is a signature of `alpha` under public key `key` (§7).
    pub(crate) fn verify(&self, key: &Point<L>, alpha: &Uint<L>, r: &Uint<L>, s: &Uint<L>) -> bool {
        let q = self.q();
        if *r == Uint::ZERO || *s == Uint::ZERO || r >= q || s >= q {
            return false;
        }
        let fq = &self.fq;
        let e = fq.from_reduced(&self.e_of(alpha));
        let Some(v) = fq.invert_vartime(&e) else { return false };
        let z1 = fq.to_uint(&fq.mul(&fq.from_reduced(s), &v));
        let z2 = fq.to_uint(&fq.neg(&fq.mul(&fq.from_reduced(r), &v)));
        let c = self.mul2_vartime(&z1, &z2, key);
        let Some((x, _)) = self.affine(&c) else { return false };
        let qnz = NonZero::new(*q).expect("q is not zero");
        x.rem_vartime(&qnz) == *r
    }
}
