//! Arithmetic modulo an odd prime, over [`crypto_bigint::Uint`] limbs.
//!
//! One type serves the curve's field (mod p) and the scalars (mod q). Every operation runs the
//! same instructions whatever the values (no branch on them), so signing may use it on the
//! private key; only the comparisons, used on public data, are variable-time.

#![allow(clippy::needless_range_loop, reason = "carry chains over limbs read clearest with one index")]

use crypto_bigint::{NonZero, Odd, Uint, Word};

const _: () = assert!(Word::BITS == 64, "the field arithmetic is written for 64-bit limbs");

/// The modulus and the constants of its reduction.
///
/// A modulus of the form 2^(64·L) − c with a small c (every curve the NCA uses: p = 2⁵¹² − 569
/// and 2²⁵⁶ − 617) is reduced by folding the high half times c, about half the work of a
/// Montgomery reduction, and its residues are kept as plain integers. Any other odd modulus
/// (the standard's example curves, the group orders q) uses Montgomery form.
///
/// In the special form, reduction is lazy: a residue is any integer below 2^(64·L), so x and
/// x + p (for x < c) both stand for x. Whether a result is below p is the one comparison each
/// product, sum and difference would otherwise end with, and a verification makes some 10,000
/// of them; only equality and [`Field::to_uint`] need the canonical value, and they take it.
#[derive(Clone, Debug)]
pub(crate) struct Field<const L: usize> {
    /// The modulus, odd.
    pub(crate) p: Uint<L>,
    /// For p = 2^(64·L) − c, that c; zero for Montgomery arithmetic.
    c: u64,
    /// −p⁻¹ mod 2⁶⁴.
    n0: u64,
    /// R² mod p, R = 2^(64·L): how an integer enters Montgomery form (R itself for the
    /// special form, where it is 1).
    r2: Uint<L>,
    /// 1 in the field's representation.
    one: Uint<L>,
}

/// A residue in the field's representation: Montgomery form a·R mod p, fully reduced, or for
/// the special form a itself, below 2^(64·L) but not always below p. Compare with
/// [`Field::eq`], which knows the difference, never with the words.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fe<const L: usize>(Uint<L>);

/// `a + b + carry` with the carry out (0 or 1). `carrying_add` keeps the carry in the flag,
/// one `adc` per word, where the same sum in `u128` took four instructions.
#[inline(always)]
fn adc(a: u64, b: u64, carry: u64) -> (u64, u64) {
    let (s, c) = a.carrying_add(b, carry != 0);
    (s, u64::from(c))
}

/// `a + b·c + carry` with the carry out (never overflows 128 bits).
#[inline(always)]
fn mac(a: u64, b: u64, c: u64, carry: u64) -> (u64, u64) {
    b.carrying_mul_add(c, a, carry)
}

/// `a − b − borrow` with the borrow out (0 or 1).
#[inline(always)]
fn sbb(a: u64, b: u64, borrow: u64) -> (u64, u64) {
    let (d, c) = a.borrowing_sub(b, borrow != 0);
    (d, u64::from(c))
}

/// `row(0)` … `row(7)`, written out rather than looped over: unrolled, every index into a
/// product's words is a constant and the compiler keeps them in registers (a 512-bit product
/// took 65 ns as a loop, 53 written out). Rows at or past the width do nothing.
#[inline(always)]
fn each_row(mut row: impl FnMut(usize)) {
    row(0);
    row(1);
    row(2);
    row(3);
    row(4);
    row(5);
    row(6);
    row(7);
}

impl<const L: usize> Field<L> {
    /// The field of integers modulo `p`, which must be odd (the curves' p and q are prime).
    pub(crate) fn new(p: Uint<L>) -> Field<L> {
        let p0 = p.as_words()[0];
        debug_assert!(p0 & 1 == 1);
        // Newton's iteration doubles the correct low bits each step: 1 → 64 in six.
        let mut inv: u64 = 1;
        for _ in 0..6 {
            inv = inv.wrapping_mul(2u64.wrapping_sub(p0.wrapping_mul(inv)));
        }
        let nz = NonZero::new(p).expect("a modulus is not zero");
        // R mod p = (2^(64L) − 1) mod p + 1, reduced once more in case it equals p.
        let one = Uint::<L>::MAX.rem_vartime(&nz).wrapping_add(&Uint::ONE).rem_vartime(&nz);
        let r2 = one.mul_mod_vartime(&one, &nz);
        // c = 2^(64L) − p, when it fits in 32 bits (so c² and c·carry never overflow a word).
        let c_full = p.wrapping_neg();
        let c = if c_full.as_words()[1..].iter().all(|w| *w == 0) && c_full.as_words()[0] < (1 << 32) {
            c_full.as_words()[0]
        } else {
            0
        };
        if c != 0 {
            return Field { p, c, n0: 0, r2: Uint::ONE, one: Uint::ONE };
        }
        Field { p, c, n0: inv.wrapping_neg(), r2, one }
    }

    /// a·b mod p for p = 2^(64L) − c: the 2L-word product, its high half folded in times c,
    /// the carry folded again; no branch on the values.
    #[inline]
    fn special_mul(&self, a: &Uint<L>, b: &Uint<L>) -> Uint<L> {
        debug_assert!(L <= 8, "the product buffer holds 16 words");
        let (a, b) = (a.as_words(), b.as_words());
        let mut t = [0u64; 16];
        each_row(|i| {
            if i < L {
                let mut carry = 0;
                for j in 0..L {
                    (t[i + j], carry) = mac(t[i + j], a[i], b[j], carry);
                }
                t[i + L] = carry;
            }
        });
        Self::fold_words(self.c, &t)
    }

    /// a² mod p for p = 2^(64L) − c. Each cross product a_i·a_j is the same as a_j·a_i, so it
    /// is made once and the sum doubled: L(L−1)/2 + L word products instead of L² (36 instead
    /// of 64 at 512 bits). Verification's doublings are mostly squarings.
    #[inline]
    fn special_square(&self, a: &Uint<L>) -> Uint<L> {
        debug_assert!(L <= 8, "the product buffer holds 16 words");
        let a = a.as_words();
        let mut t = [0u64; 16];
        each_row(|i| {
            if i < L {
                let mut carry = 0;
                for j in i + 1..L {
                    (t[i + j], carry) = mac(t[i + j], a[i], a[j], carry);
                }
                t[i + L] = carry;
            }
        });
        // Doubled: a shift left by one bit over the 2L words; the top bit of the cross sum is
        // clear, as it is below a² / 2 < 2^(128L − 1).
        let mut top = 0;
        for w in t.iter_mut().take(2 * L) {
            let next = *w >> 63;
            *w = (*w << 1) | top;
            top = next;
        }
        // Plus the squares on the diagonal.
        let mut carry = 0;
        for i in 0..L {
            let sq = u128::from(a[i]) * u128::from(a[i]);
            (t[2 * i], carry) = adc(t[2 * i], sq as u64, carry);
            (t[2 * i + 1], carry) = adc(t[2 * i + 1], (sq >> 64) as u64, carry);
        }
        Self::fold_words(self.c, &t)
    }

    /// The 2L-word product t reduced mod p = 2^(64L) − c, using 2^(64L) ≡ c, to below
    /// 2^(64L) (lazily: not always below p).
    #[inline(always)]
    fn fold_words(c: u64, t: &[u64; 16]) -> Uint<L> {
        // low half + high half·c: L words and a top word of at most c.
        let mut r = [0u64; L];
        let mut carry = 0;
        for j in 0..L {
            (r[j], carry) = mac(t[j], t[L + j], c, carry);
        }
        Self::fold_top(r, carry, c)
    }

    /// r + top·2^(64L) reduced to below 2^(64L), for top·c + c ≤ 2⁶⁴ (top ≤ c after a product,
    /// 1 after a sum, below k < 2³² after `times`, with c < 2³²): top·c added in, and a carry
    /// out of that, c more, onto r[0] alone: r is below top·c then, so its other words are
    /// zero and r[0] + c cannot carry.
    #[inline(always)]
    fn fold_top(mut r: [u64; L], top: u64, c: u64) -> Uint<L> {
        let (x, mut cc) = mac(r[0], top, c, 0);
        r[0] = x;
        for w in r.iter_mut().skip(1) {
            (*w, cc) = adc(*w, 0, cc);
        }
        r[0] = r[0].wrapping_add(c & cc.wrapping_neg());
        Uint::from_words(r)
    }

    /// The canonical value of a residue: below p. In the special form r ≥ p exactly when
    /// r + c overflows, and r − p is then that sum's low words; branch-free.
    fn canonical(&self, a: &Fe<L>) -> Uint<L> {
        if self.c == 0 {
            return a.0;
        }
        let r = a.0.as_words();
        let mut s = [0u64; L];
        let mut over = 0;
        (s[0], over) = adc(r[0], self.c, over);
        for j in 1..L {
            (s[j], over) = adc(r[j], 0, over);
        }
        let take = over.wrapping_neg();
        let mut out = [0u64; L];
        for j in 0..L {
            out[j] = (s[j] & take) | (r[j] & !take);
        }
        Uint::from_words(out)
    }

    /// Whether a and b are the same residue. Variable-time: public values only.
    pub(crate) fn eq(&self, a: &Fe<L>, b: &Fe<L>) -> bool {
        self.canonical(a).as_words() == self.canonical(b).as_words()
    }

    /// Whether a is zero: its words are all zero, or (special form) they are p. Variable-time,
    /// public values only: the comparison stops at the first word that differs, which for a
    /// value that is not zero is almost always the first.
    pub(crate) fn is_zero(&self, a: &Fe<L>) -> bool {
        let w = a.0.as_words();
        let p = self.p.as_words();
        w.iter().all(|x| *x == 0) || (self.c != 0 && w.iter().zip(p).all(|(x, y)| x == y))
    }

    /// The modulus as crypto-bigint's odd type, for its inversion.
    fn odd(&self) -> Odd<Uint<L>> {
        Odd::new(self.p).expect("the modulus is odd")
    }

    /// `a·b·R⁻¹ mod p` (CIOS), or a·b mod p for the special form (where R = 1).
    #[inline]
    fn redc_mul(&self, a: &Uint<L>, b: &Uint<L>) -> Uint<L> {
        if self.c != 0 {
            return self.special_mul(a, b);
        }
        let a = a.as_words();
        let b = b.as_words();
        let p = self.p.as_words();
        let mut t = [0u64; L];
        let mut t_hi: u64 = 0;
        for &bi in b.iter() {
            let mut carry = 0;
            for j in 0..L {
                (t[j], carry) = mac(t[j], a[j], bi, carry);
            }
            let (s, c2) = adc(t_hi, carry, 0);
            let t_top = c2;
            let m = t[0].wrapping_mul(self.n0);
            let (_, mut carry) = mac(t[0], m, p[0], 0);
            for j in 1..L {
                (t[j - 1], carry) = mac(t[j], m, p[j], carry);
            }
            let (s2, c3) = adc(s, carry, 0);
            t[L - 1] = s2;
            t_hi = t_top + c3;
        }
        self.reduce_once(t, t_hi)
    }

    /// `t − p` if `t ≥ p` (t < 2p, with `hi` its bit above the limbs), branch-free.
    #[inline(always)]
    fn reduce_once(&self, t: [u64; L], hi: u64) -> Uint<L> {
        let p = self.p.as_words();
        let mut d = [0u64; L];
        let mut borrow = 0;
        for j in 0..L {
            (d[j], borrow) = sbb(t[j], p[j], borrow);
        }
        let (_, borrow) = sbb(hi, 0, borrow);
        // borrow = 1: t < p, keep t.
        let keep = borrow.wrapping_neg();
        let mut out = [0u64; L];
        for j in 0..L {
            out[j] = (t[j] & keep) | (d[j] & !keep);
        }
        Uint::from_words(out)
    }

    pub(crate) fn mul(&self, a: &Fe<L>, b: &Fe<L>) -> Fe<L> {
        Fe(self.redc_mul(&a.0, &b.0))
    }

    pub(crate) fn square(&self, a: &Fe<L>) -> Fe<L> {
        if self.c != 0 {
            return Fe(self.special_square(&a.0));
        }
        Fe(self.redc_mul(&a.0, &a.0))
    }

    pub(crate) fn add(&self, a: &Fe<L>, b: &Fe<L>) -> Fe<L> {
        let (x, y) = (a.0.as_words(), b.0.as_words());
        let mut t = [0u64; L];
        let mut carry = 0;
        for j in 0..L {
            (t[j], carry) = adc(x[j], y[j], carry);
        }
        if self.c == 0 {
            return Fe(self.reduce_once(t, carry));
        }
        // A carry is 2^(64L) ≡ c.
        Fe(Self::fold_top(t, carry, self.c))
    }

    pub(crate) fn sub(&self, a: &Fe<L>, b: &Fe<L>) -> Fe<L> {
        let (x, y) = (a.0.as_words(), b.0.as_words());
        let p = self.p.as_words();
        let mut t = [0u64; L];
        let mut borrow = 0;
        for j in 0..L {
            (t[j], borrow) = sbb(x[j], y[j], borrow);
        }
        if self.c != 0 {
            // A borrow took 2^(64L) ≡ c too little: c less. That may borrow once more (when
            // t < c), and then t is at least 2^(64L) − c: every word but the lowest is all
            // ones, and the lowest, at least 2⁶⁴ − c, takes the second c without a borrow.
            let mut borrow2;
            (t[0], borrow2) = sbb(t[0], self.c & borrow.wrapping_neg(), 0);
            for w in t.iter_mut().skip(1) {
                (*w, borrow2) = sbb(*w, 0, borrow2);
            }
            t[0] = t[0].wrapping_sub(self.c & borrow2.wrapping_neg());
            return Fe(Uint::from_words(t));
        }
        // On borrow add p back, masked.
        let mask = borrow.wrapping_neg();
        let mut carry = 0;
        for j in 0..L {
            (t[j], carry) = adc(t[j], p[j] & mask, carry);
        }
        Fe(Uint::from_words(t))
    }

    /// k·a for a small k (1 ≤ k < 2³²): the doublings of verification multiply by 3, 4 and 8,
    /// one pass over the limbs where additions took two or three. For p = 2^(64L) − c the word
    /// above the limbs is folded in times c, as a product's high half is; a Montgomery field
    /// (no curve the NCA uses) adds k times.
    pub(crate) fn times(&self, a: &Fe<L>, k: u64) -> Fe<L> {
        debug_assert!((1..1 << 32).contains(&k));
        if self.c == 0 {
            let mut acc = *a;
            for _ in 1..k {
                acc = self.add(&acc, a);
            }
            return acc;
        }
        let x = a.0.as_words();
        let mut t = [0u64; L];
        let mut carry = 0;
        for j in 0..L {
            (t[j], carry) = mac(0, x[j], k, carry);
        }
        // carry < k, so carry·c < 2⁶⁴ as fold_top needs.
        Fe(Self::fold_top(t, carry, self.c))
    }

    pub(crate) fn neg(&self, a: &Fe<L>) -> Fe<L> {
        self.sub(&self.zero(), a)
    }

    pub(crate) fn zero(&self) -> Fe<L> {
        Fe(Uint::ZERO)
    }

    pub(crate) fn one(&self) -> Fe<L> {
        Fe(self.one)
    }

    /// An integer (any size below 2^(64L)) into Montgomery form, reduced mod p.
    pub(crate) fn reduce(&self, x: &Uint<L>) -> Fe<L> {
        let nz = NonZero::new(self.p).expect("a modulus is not zero");
        let x = x.rem_vartime(&nz);
        Fe(self.redc_mul(&x, &self.r2))
    }

    /// An integer already below p into Montgomery form, in constant time.
    pub(crate) fn enter(&self, x: &Uint<L>) -> Fe<L> {
        Fe(self.redc_mul(x, &self.r2))
    }

    /// The residue as an integer below p.
    pub(crate) fn to_uint(&self, a: &Fe<L>) -> Uint<L> {
        if self.c != 0 {
            return self.canonical(a);
        }
        self.redc_mul(&a.0, &Uint::ONE)
    }

    /// The inverse by Fermat (a^(p−2)), the same steps for every value; zero maps to zero.
    pub(crate) fn invert(&self, a: &Fe<L>) -> Fe<L> {
        let e = self.p.wrapping_sub(&Uint::from_u8(2));
        let mut acc = self.one();
        for i in (0..Uint::<L>::BITS).rev() {
            acc = self.square(&acc);
            let with = self.mul(&acc, a);
            let bit = u64::from(e.bit_vartime(i));
            acc = Self::select(&acc, &with, bit);
        }
        acc
    }

    /// The inverse in variable time (public values only); `None` for zero.
    pub(crate) fn invert_vartime(&self, a: &Fe<L>) -> Option<Fe<L>> {
        let x = self.to_uint(a);
        let inv: Option<Uint<L>> = x.invert_odd_mod_vartime(&self.odd()).into_option();
        inv.map(|i| self.enter(&i))
    }

    /// `b` when `bit` is 1, else `a`, without a branch on the bit.
    #[inline(always)]
    pub(crate) fn select(a: &Fe<L>, b: &Fe<L>, bit: u64) -> Fe<L> {
        let mask = bit.wrapping_neg();
        let (x, y) = (a.0.as_words(), b.0.as_words());
        let mut out = [0u64; L];
        for j in 0..L {
            out[j] = (x[j] & !mask) | (y[j] & mask);
        }
        Fe(Uint::from_words(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crypto_bigint::U256;

    #[test]
    fn the_special_form_matches_schoolbook_at_the_edges() {
        use crypto_bigint::U512;
        let p = U512::MAX.wrapping_sub(&U512::from_u64(568));
        let f = Field::new(p);
        assert_eq!(f.c, 569);
        let nz = NonZero::new(p).expect("nonzero");
        let pm1 = p.wrapping_sub(&U512::ONE);
        let cases = [
            U512::ZERO,
            U512::ONE,
            pm1,
            p.wrapping_sub(&U512::from_u64(2)),
            U512::from_u64(569),
            U512::MAX.shr_vartime(1),
        ];
        for a in &cases {
            for b in &cases {
                let (fa, fb) = (f.reduce(a), f.reduce(b));
                let want = a.rem_vartime(&nz).mul_mod(&b.rem_vartime(&nz), &nz);
                assert_eq!(f.to_uint(&f.mul(&fa, &fb)), want, "{a} · {b}");
            }
            let fa = f.reduce(a);
            assert_eq!(f.to_uint(&f.square(&fa)), f.to_uint(&f.mul(&fa, &fa)), "{a}²");
        }
        // The squaring's doubled cross products and diagonal, over values with every carry.
        let mut x = U512::from_be_hex(&"9e3779b97f4a7c15".repeat(8));
        for _ in 0..200 {
            let fx = f.reduce(&x);
            assert_eq!(f.to_uint(&f.square(&fx)), f.to_uint(&f.mul(&fx, &fx)), "{x}²");
            x = x.wrapping_mul(&x).wrapping_add(&U512::from_u64(0x5851_f42d_4c95_7f2d));
        }
        let x = f.reduce(&pm1);
        assert_eq!(f.to_uint(&f.mul(&f.invert(&x), &x)), U512::ONE);
        // A small multiple, one pass, against as many additions, at the edges and past them.
        for a in &cases {
            let fa = f.reduce(a);
            for k in [1u64, 2, 3, 4, 8, 569, (1 << 32) - 1] {
                let want = a.rem_vartime(&nz).mul_mod(&U512::from_u64(k), &nz);
                assert_eq!(f.to_uint(&f.times(&fa, k)), want, "{k} · {a}");
            }
        }
    }

    /// A residue of the special form may be any integer below 2⁵¹², so x and x + p (x < c)
    /// are the same residue: every operation takes either, equality and `to_uint` see them as
    /// one, and the results agree with schoolbook arithmetic mod p. The values above p are the
    /// ones only lazy reduction makes.
    #[test]
    fn lazy_residues_above_p_are_the_same_residues() {
        use crypto_bigint::U512;
        let p = U512::MAX.wrapping_sub(&U512::from_u64(568));
        let f = Field::new(p);
        let nz = NonZero::new(p).expect("nonzero");
        let smalls = [0u64, 1, 2, 7, 568];
        let big = U512::from_be_hex(&"9e3779b97f4a7c15".repeat(8)).rem_vartime(&nz);
        let pm1 = p.wrapping_sub(&U512::ONE);
        for x in smalls {
            let canonical = U512::from_u64(x);
            let above = Fe(canonical.wrapping_add(&p));
            assert!(f.eq(&above, &Fe(canonical)), "{x} + p = {x}");
            assert_eq!(f.to_uint(&above), canonical);
            assert_eq!(f.is_zero(&above), x == 0);
            for other in [U512::ZERO, U512::from_u64(x), big, pm1] {
                let o = Fe(other);
                let want_mul = canonical.mul_mod(&other, &nz);
                assert_eq!(f.to_uint(&f.mul(&above, &o)), want_mul, "({x} + p)·{other}");
                assert_eq!(f.to_uint(&f.mul(&o, &above)), want_mul);
                assert_eq!(f.to_uint(&f.add(&above, &o)), canonical.add_mod(&other, &nz), "({x} + p) + {other}");
                assert_eq!(f.to_uint(&f.add(&o, &above)), canonical.add_mod(&other, &nz));
                assert_eq!(f.to_uint(&f.sub(&above, &o)), canonical.sub_mod(&other, &nz), "({x} + p) − {other}");
                assert_eq!(f.to_uint(&f.sub(&o, &above)), other.sub_mod(&canonical, &nz), "{other} − ({x} + p)");
            }
            assert_eq!(f.to_uint(&f.square(&above)), canonical.mul_mod(&canonical, &nz));
            for k in [1u64, 3, 4, 8, (1 << 32) - 1] {
                assert_eq!(f.to_uint(&f.times(&above, k)), canonical.mul_mod(&U512::from_u64(k), &nz), "{k}·({x} + p)");
            }
        }
        // Sums and differences whose carries and borrows fold twice: both operands at the top.
        let top = Fe(U512::MAX);
        let top_value = U512::MAX.rem_vartime(&nz);
        assert_eq!(f.to_uint(&f.add(&top, &top)), top_value.add_mod(&top_value, &nz));
        assert_eq!(f.to_uint(&f.sub(&Fe(U512::ZERO), &top)), U512::ZERO.sub_mod(&top_value, &nz));
        assert_eq!(f.to_uint(&f.sub(&Fe(U512::ONE), &top)), U512::ONE.sub_mod(&top_value, &nz));
        assert_eq!(f.to_uint(&f.mul(&top, &top)), top_value.mul_mod(&top_value, &nz));
        assert_eq!(f.to_uint(&f.times(&top, (1 << 32) - 1)), top_value.mul_mod(&U512::from_u64((1 << 32) - 1), &nz));
    }

    #[test]
    fn montgomery_matches_schoolbook() {
        let p = U256::from_be_hex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFD97");
        let f = Field::new(p);
        let nz = NonZero::new(p).expect("nonzero");
        let a = U256::from_be_hex("8D91E471E0989CDA27DF505A453F2B7635294F2DDF23E3B122ACC99C9E9F1E14");
        let b = U256::from_be_hex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF6C611070995AD10045841B09B761B893");
        let (fa, fb) = (f.reduce(&a), f.reduce(&b));
        assert_eq!(f.to_uint(&f.mul(&fa, &fb)), a.mul_mod(&b, &nz));
        assert_eq!(f.to_uint(&f.add(&fa, &fb)), a.add_mod(&b.rem_vartime(&nz), &nz));
        assert_eq!(f.to_uint(&f.sub(&fa, &fb)), a.sub_mod(&b.rem_vartime(&nz), &nz));
        let inv = f.invert(&fa);
        assert_eq!(f.to_uint(&f.mul(&inv, &fa)), U256::ONE);
        assert!(f.invert_vartime(&fa).is_some_and(|i| f.eq(&i, &inv)));
        for k in 1..=8u64 {
            assert_eq!(f.to_uint(&f.times(&fa, k)), a.mul_mod(&U256::from_u64(k), &nz), "{k} · a");
        }
    }
}
