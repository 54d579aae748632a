//! Multi-scalar multiplication for the prover (docs/snark.md §"Proving performance").
//!
//! Pippenger's bucket method, computed with fewer field multiplications than
//! arkworks' `VariableBaseMSM::msm_bigint`:
//!
//! - **GLV.** Each scalar `k` is split as `k = k₁ + λ·k₂ mod r` with `|k₁|, |k₂| <
//!   2¹²⁸`, and `k·P = k₁·P + k₂·φ(P)` where `φ(x, y) = (β·x, y)` is the curve's
//!   endomorphism: twice the points, half the windows. (`φ(P) = λ·P` holds in the
//!   prime-order subgroup, where a key's points are when it is read with
//!   validation; a key with other points only makes proofs that fail the
//!   self-check.)
//! - **Signed digits**: `2^(c-1)` buckets per window of `c` bits.
//! - **Batched affine additions.** In each window the points are sorted by bucket
//!   (counting sort) and added pairwise, in rounds, in affine coordinates; the
//!   additions of a round share one field inversion (Montgomery's trick), so an
//!   addition costs about 6 field multiplications instead of the 10 of a mixed
//!   extended-Jacobian addition.
//!
//! The bucket sums `Σ_b b·B_b` and the windows are combined in extended Jacobian
//! coordinates. Several MSMs with independent scalars can be computed as one
//! ([`msm`] takes a list of parts), which lets Pippenger use wider windows.
//!
//! The result is `Σ scalars[i]·bases[i]`, as arkworks computes it: the tests
//! compare the two on random and structured inputs (identity bases, zero, small,
//! negative and repeated scalars, repeated bases), the prover's tests compare its
//! proofs with arkworks' for the same blinding, and every proof is verified before
//! it is returned.

use ark_ec::{
    scalar_mul::glv::GLVConfig,
    short_weierstrass::{Affine, Projective},
    AdditiveGroup, AffineRepr, CurveConfig, VariableBaseMSM,
};
use ark_ff::{BigInt, BigInteger, Field, PrimeField, Zero};
use num_bigint::BigUint;

#[cfg(feature = "parallel")]
use rayon::prelude::*;

type BucketOf<P> = <Projective<P> as VariableBaseMSM>::Bucket;

/// Bases and their scalars.
pub(crate) type Part<'a, P> = (&'a [Affine<P>], &'a [<P as CurveConfig>::ScalarField]);

/// Where [`glv_split`] writes the two halves of a term: bases, magnitudes, signs.
type HalvesOut<'a, P> = ((&'a mut [Affine<P>], &'a mut [[u64; 4]]), &'a mut [bool]);

/// Below this many non-trivial terms, arkworks' MSM is used.
const SMALL: usize = 64;

/// The windows a task processes with one scratch buffer.
const WINDOWS_PER_TASK: usize = 3;

/// `Σ_parts Σ_i scalars[i]·bases[i]` (each part over the common length of its
/// two slices).
pub(crate) fn msm<P>(parts: &[Part<'_, P>]) -> Projective<P>
where
    P: GLVConfig,
    P::ScalarField: PrimeField<BigInt = BigInt<4>>,
{
    let mut bases = Vec::new();
    let mut scalars = Vec::new();
    for &(b, s) in parts {
        for (base, scalar) in b.iter().zip(s) {
            if !base.is_zero() && !scalar.is_zero() {
                bases.push(*base);
                scalars.push(*scalar);
            }
        }
    }
    if bases.len() < SMALL {
        let scalars: Vec<_> = scalars.iter().map(|s| s.into_bigint()).collect();
        return Projective::<P>::msm_bigint(&bases, &scalars);
    }
    let terms = glv_split::<P>(&bases, &scalars).unwrap_or_else(|| Terms {
        magnitudes: scalars.iter().map(|s| s.into_bigint().0).collect(),
        negative: vec![false; scalars.len()],
        bases,
        bits: P::ScalarField::MODULUS_BIT_SIZE as usize,
    });
    pippenger(&terms)
}

/// Points with signed scalars `(-1)^negative[i]·magnitudes[i] < 2^bits`.
struct Terms<P: GLVConfig> {
    bases: Vec<Affine<P>>,
    magnitudes: Vec<[u64; 4]>,
    negative: Vec<bool>,
    bits: usize,
}

/// The GLV split of term `i` into terms `2i` (`k₁`, `P`) and `2i + 1` (`k₂`,
/// `φ(P)`), or `None` if some scalar does not split into halves below `2^128`
/// (not expected: then the MSM is computed without GLV).
fn glv_split<P>(bases: &[Affine<P>], scalars: &[P::ScalarField]) -> Option<Terms<P>>
where
    P: GLVConfig,
    P::ScalarField: PrimeField<BigInt = BigInt<4>>,
{
    let glv = Glv::<P>::new()?;
    let n = bases.len();
    let mut terms = Terms {
        bases: vec![Affine::identity(); 2 * n],
        magnitudes: vec![[0; 4]; 2 * n],
        negative: vec![false; 2 * n],
        bits: 128,
    };
    let split = |(((out_b, out_m), out_n), (base, k)): (HalvesOut<'_, P>, (&Affine<P>, &P::ScalarField))| {
        let ((neg1, k1), (neg2, k2)) = glv.decompose(k)?;
        out_b[0] = *base;
        out_b[1] = P::endomorphism_affine(base);
        out_m[0] = [k1 as u64, (k1 >> 64) as u64, 0, 0];
        out_m[1] = [k2 as u64, (k2 >> 64) as u64, 0, 0];
        out_n[0] = neg1;
        out_n[1] = neg2;
        Some(())
    };
    #[cfg(feature = "parallel")]
    terms
        .bases
        .par_chunks_mut(2)
        .zip(terms.magnitudes.par_chunks_mut(2))
        .zip(terms.negative.par_chunks_mut(2))
        .zip(bases.par_iter().zip(scalars))
        .try_for_each(split)?;
    #[cfg(not(feature = "parallel"))]
    terms
        .bases
        .chunks_mut(2)
        .zip(terms.magnitudes.chunks_mut(2))
        .zip(terms.negative.chunks_mut(2))
        .zip(bases.iter().zip(scalars))
        .try_for_each(split)?;
    Some(terms)
}

/// The GLV decomposition constants: `k₂ = -(β₁·n₁₂ + β₂·n₂₂)` with
/// `β₁ = round(k·n₂₂/r)`, `β₂ = round(-k·n₁₂/r)` (the rounding done as
/// `(k·g + 2²⁵⁵) >> 256` with `g = ⌊|n|·2²⁵⁶/r⌋`, off by at most one), and
/// `k₁ = k - λ·k₂ mod r`.
struct Glv<P: GLVConfig> {
    lambda: P::ScalarField,
    /// `(negative, |n|)` for `n₁₂`, `n₂₂`.
    n12: (bool, u128),
    n22: (bool, u128),
    /// `⌊|n₂₂|·2²⁵⁶/r⌋`, `⌊|n₁₂|·2²⁵⁶/r⌋`.
    g22: [u64; 4],
    g12: [u64; 4],
}

impl<P> Glv<P>
where
    P: GLVConfig,
    P::ScalarField: PrimeField<BigInt = BigInt<4>>,
{
    fn new() -> Option<Self> {
        let [_, (pos12, n12), _, (pos22, n22)] = P::SCALAR_DECOMP_COEFFS;
        let r = BigUint::from(P::ScalarField::MODULUS);
        let g = |n: &BigInt<4>| -> Option<[u64; 4]> {
            let g: BigUint = (BigUint::from(*n) << 256u32) / &r;
            let digits = g.to_u64_digits();
            (digits.len() <= 4).then(|| {
                let mut out = [0u64; 4];
                out[..digits.len()].copy_from_slice(&digits);
                out
            })
        };
        let small = |n: &BigInt<4>| -> Option<u128> {
            (n.0[2] == 0 && n.0[3] == 0).then(|| u128::from(n.0[0]) | (u128::from(n.0[1]) << 64))
        };
        Some(Self {
            lambda: P::LAMBDA,
            n12: (!pos12, small(&n12)?),
            n22: (!pos22, small(&n22)?),
            g22: g(&n22)?,
            g12: g(&n12)?,
        })
    }

    /// `((k₁ < 0, |k₁|), (k₂ < 0, |k₂|))` with `k = k₁ + λ·k₂ mod r`, or `None` if
    /// a half is not below `2^128`.
    fn decompose(&self, k: &P::ScalarField) -> Option<((bool, u128), (bool, u128))> {
        let int = k.into_bigint().0;
        // |β₁| (β₁ has the sign of n₂₂) and |β₂| (the sign of -n₁₂).
        let b1 = mul_shift_round(&int, &self.g22)?;
        let b2 = mul_shift_round(&int, &self.g12)?;
        // k₂ = -(β₁·n₁₂ + β₂·n₂₂), as signed 256-bit integers.
        let t1 = signed_product(self.n22.0 ^ self.n12.0, b1, self.n12.1);
        let t2 = signed_product(!self.n12.0 ^ self.n22.0, b2, self.n22.1);
        let k2 = to_sign_magnitude(&neg256(&add256(&t1, &t2)))?;
        let k2_field = {
            let m = P::ScalarField::from(k2.1);
            if k2.0 {
                -m
            } else {
                m
            }
        };
        let k1 = *k - self.lambda * k2_field;
        let k1 = k1.into_bigint();
        let k1 = if let Some(m) = fits_u128(&k1.0) {
            (false, m)
        } else {
            let mut neg = P::ScalarField::MODULUS;
            neg.sub_with_borrow(&k1);
            (true, fits_u128(&neg.0)?)
        };
        Some((k1, k2))
    }
}

fn fits_u128(x: &[u64; 4]) -> Option<u128> {
    (x[2] == 0 && x[3] == 0).then(|| u128::from(x[0]) | (u128::from(x[1]) << 64))
}

/// `(k·g + 2²⁵⁵) >> 256`, if below `2^128`.
fn mul_shift_round(k: &[u64; 4], g: &[u64; 4]) -> Option<u128> {
    let mut prod = [0u64; 8];
    for (i, &a) in k.iter().enumerate() {
        let mut carry = 0u128;
        for (j, &b) in g.iter().enumerate() {
            let t = u128::from(a) * u128::from(b) + u128::from(prod[i + j]) + carry;
            prod[i + j] = t as u64;
            carry = t >> 64;
        }
        prod[i + 4] = carry as u64;
    }
    // + 2²⁵⁵
    let (sum, mut carry) = prod[3].overflowing_add(1 << 63);
    prod[3] = sum;
    for limb in &mut prod[4..] {
        let (sum, c) = limb.overflowing_add(u64::from(carry));
        *limb = sum;
        carry = c;
    }
    (prod[6] == 0 && prod[7] == 0).then(|| u128::from(prod[4]) | (u128::from(prod[5]) << 64))
}

/// `(-1)^negative·a·b` in two's complement, 256 bits.
fn signed_product(negative: bool, a: u128, b: u128) -> [u64; 4] {
    let (a0, a1) = (a as u64 as u128, a >> 64);
    let (b0, b1) = (b as u64 as u128, b >> 64);
    let mut out = [0u64; 4];
    let mut acc = |offset: usize, v: u128| {
        let mut carry = 0u128;
        let parts = [v as u64, (v >> 64) as u64];
        for (i, limb) in out.iter_mut().enumerate().skip(offset) {
            let add = parts.get(i - offset).copied().unwrap_or(0);
            let t = u128::from(*limb) + u128::from(add) + carry;
            *limb = t as u64;
            carry = t >> 64;
        }
    };
    acc(0, a0 * b0);
    acc(1, a0 * b1);
    acc(1, a1 * b0);
    acc(2, a1 * b1);
    if negative {
        neg256(&out)
    } else {
        out
    }
}

fn add256(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
    let mut out = [0u64; 4];
    let mut carry = false;
    for i in 0..4 {
        let (s1, c1) = a[i].overflowing_add(b[i]);
        let (s2, c2) = s1.overflowing_add(u64::from(carry));
        out[i] = s2;
        carry = c1 || c2;
    }
    out
}

fn neg256(a: &[u64; 4]) -> [u64; 4] {
    let inverted = [!a[0], !a[1], !a[2], !a[3]];
    add256(&inverted, &[1, 0, 0, 0])
}

/// `(negative, |x|)` for a two's complement 256-bit `x`, if `|x| < 2^128`.
fn to_sign_magnitude(x: &[u64; 4]) -> Option<(bool, u128)> {
    if x[3] >> 63 == 1 {
        fits_u128(&neg256(x)).map(|m| (true, m))
    } else {
        fits_u128(x).map(|m| (false, m))
    }
}

/// The window width minimizing a cost model: about 6 multiplications per point
/// and window (a batched affine addition) and 12 per bucket and window (two
/// batched affine additions in [`weighted_sum`]).
fn window_bits(n: usize, bits: usize) -> usize {
    let n = n as f64;
    (2..=16usize)
        .min_by(|&x, &y| {
            let cost =
                |c: usize| ((bits + 1).div_ceil(c)) as f64 * (6.0 * n + 12.0 * (1u64 << (c - 1)) as f64);
            cost(x).total_cmp(&cost(y))
        })
        .unwrap_or(8)
}

fn pippenger<P: GLVConfig>(terms: &Terms<P>) -> Projective<P> {
    let n = terms.bases.len();
    let c = window_bits(n, terms.bits);
    let windows = (terms.bits + 1).div_ceil(c);
    let digits = signed_digits(&terms.magnitudes, &terms.negative, c, windows);

    let tasks: Vec<(usize, usize)> =
        (0..windows).step_by(WINDOWS_PER_TASK).map(|lo| (lo, (lo + WINDOWS_PER_TASK).min(windows))).collect();
    let job = |&(lo, hi): &(usize, usize)| {
        let mut scratch = Scratch::<P>::default();
        (lo..hi)
            .map(|w| window_sum(&terms.bases, &digits[w * n..(w + 1) * n], c, &mut scratch))
            .collect::<Vec<_>>()
    };
    #[cfg(feature = "parallel")]
    let sums: Vec<BucketOf<P>> = tasks.par_iter().flat_map_iter(job).collect();
    #[cfg(not(feature = "parallel"))]
    let sums: Vec<BucketOf<P>> = tasks.iter().flat_map(job).collect();

    let mut total = <Projective<P> as VariableBaseMSM>::ZERO_BUCKET;
    for s in sums.iter().rev() {
        for _ in 0..c {
            total.double_in_place();
        }
        total += s;
    }
    total.into()
}

/// Signed base-`2^c` digits in `[-2^(c-1), 2^(c-1)]`, window-major:
/// `out[w·n + i]` is digit `w` of term `i`, negated for a negative term.
fn signed_digits(magnitudes: &[[u64; 4]], negative: &[bool], c: usize, windows: usize) -> Vec<i32> {
    let n = magnitudes.len();
    let mut by_term = vec![0i32; n * windows];
    let job = |((row, limbs), &neg): ((&mut [i32], &[u64; 4]), &bool)| {
        let half = 1u64 << (c - 1);
        let mask = (1u64 << c) - 1;
        let mut carry = 0u64;
        for (w, d) in row.iter_mut().enumerate() {
            let raw = extract(limbs, w * c, mask) + carry;
            let digit = if raw > half {
                carry = 1;
                raw as i64 - (1i64 << c)
            } else {
                carry = 0;
                raw as i64
            };
            *d = (if neg { -digit } else { digit }) as i32;
        }
        debug_assert_eq!(carry, 0, "the top window absorbs the carry");
    };
    #[cfg(feature = "parallel")]
    by_term.par_chunks_mut(windows).zip(magnitudes.par_iter()).zip(negative.par_iter()).for_each(job);
    #[cfg(not(feature = "parallel"))]
    by_term.chunks_mut(windows).zip(magnitudes.iter()).zip(negative.iter()).for_each(job);
    let mut out = vec![0i32; n * windows];
    let transpose = |(w, column): (usize, &mut [i32])| {
        for (i, d) in column.iter_mut().enumerate() {
            *d = by_term[i * windows + w];
        }
    };
    #[cfg(feature = "parallel")]
    out.par_chunks_mut(n.max(1)).enumerate().for_each(transpose);
    #[cfg(not(feature = "parallel"))]
    out.chunks_mut(n.max(1)).enumerate().for_each(transpose);
    out
}

/// Bits `[bit, bit + width)` of the little-endian limbs (`mask = 2^width - 1`).
#[inline]
fn extract(limbs: &[u64], bit: usize, mask: u64) -> u64 {
    let (limb, off) = (bit / 64, bit % 64);
    let Some(&lo) = limbs.get(limb) else { return 0 };
    let mut v = lo >> off;
    if off > 0 {
        if let Some(&hi) = limbs.get(limb + 1) {
            v |= hi << (64 - off);
        }
    }
    v & mask
}

/// Sums of points grouped by key, by rounds of batched affine additions; the
/// buffers are reused across the windows of a task.
///
/// Use: [`begin`](Self::begin), [`count`](Self::count) every item's key,
/// [`layout`](Self::layout), [`put`](Self::put) every item,
/// [`add_within_groups`](Self::add_within_groups), then read
/// [`group_sum`](Self::group_sum).
struct GroupSums<P: GLVConfig> {
    /// The points, sorted by group (`starts`, `lens`), as `x`, `y` and identity
    /// flags (set only by cancellations, `P + (-P)`).
    xs: Vec<P::BaseField>,
    ys: Vec<P::BaseField>,
    identity: Vec<bool>,
    any_identity: bool,
    starts: Vec<u32>,
    lens: Vec<u32>,
    denominators: Vec<P::BaseField>,
    prefix: Vec<P::BaseField>,
}

impl<P: GLVConfig> Default for GroupSums<P> {
    fn default() -> Self {
        Self {
            xs: Vec::new(),
            ys: Vec::new(),
            identity: Vec::new(),
            any_identity: false,
            starts: Vec::new(),
            lens: Vec::new(),
            denominators: Vec::new(),
            prefix: Vec::new(),
        }
    }
}

impl<P: GLVConfig> GroupSums<P> {
    fn begin(&mut self, groups: usize) {
        self.lens.clear();
        self.lens.resize(groups, 0);
    }

    #[inline]
    fn count(&mut self, group: usize) {
        self.lens[group] += 1;
    }

    /// Places the groups (counting sort); `lens` becomes the fill cursors.
    fn layout(&mut self) {
        self.starts.clear();
        let mut total = 0u32;
        for len in &mut self.lens {
            self.starts.push(total);
            total += *len;
            *len = 0;
        }
        let total = total as usize;
        self.xs.clear();
        self.xs.resize(total, P::BaseField::ZERO);
        self.ys.clear();
        self.ys.resize(total, P::BaseField::ZERO);
        self.identity.clear();
        self.identity.resize(total, false);
        self.any_identity = false;
    }

    #[inline]
    fn put(&mut self, group: usize, x: P::BaseField, y: P::BaseField) {
        let pos = (self.starts[group] + self.lens[group]) as usize;
        self.lens[group] += 1;
        self.xs[pos] = x;
        self.ys[pos] = y;
    }

    /// Adds the points of each group pairwise, in rounds: the sum of points `2j`
    /// and `2j + 1` goes to position `j`, an odd last point moves down; one field
    /// inversion per round. Until a cancellation happens, the identity flags are
    /// not read.
    fn add_within_groups(&mut self) {
        let s = self;
        loop {
            s.denominators.clear();
            for (&start, &len) in s.starts.iter().zip(&s.lens) {
                let (start, pairs) = (start as usize, len as usize / 2);
                let xs = &s.xs[start..start + 2 * pairs];
                let ys = &s.ys[start..start + 2 * pairs];
                let ids = &s.identity[start..start + 2 * pairs];
                for (j, (x, y)) in xs.chunks_exact(2).zip(ys.chunks_exact(2)).enumerate() {
                    s.denominators.push(if s.any_identity && (ids[2 * j] || ids[2 * j + 1]) {
                        P::BaseField::ONE
                    } else if x[0] != x[1] {
                        x[1] - x[0]
                    } else if y[0] == y[1] && !y[0].is_zero() {
                        y[0].double()
                    } else {
                        P::BaseField::ONE // a = -b: the sum is the identity
                    });
                }
            }
            if s.denominators.is_empty() {
                return;
            }
            batch_invert(&mut s.denominators, &mut s.prefix);
            let mut invs = s.denominators.iter();
            for (&start, len) in s.starts.iter().zip(s.lens.iter_mut()) {
                let (start, n) = (start as usize, *len as usize);
                let half = n / 2;
                let xs = &mut s.xs[start..start + n];
                let ys = &mut s.ys[start..start + n];
                let ids = &mut s.identity[start..start + n];
                for j in 0..half {
                    let (a, b) = (2 * j, 2 * j + 1);
                    let Some(&inv) = invs.next() else { break };
                    if s.any_identity && (ids[a] || ids[b]) {
                        let keep = if ids[a] { b } else { a };
                        ids[j] = ids[keep];
                        xs[j] = xs[keep];
                        ys[j] = ys[keep];
                        continue;
                    }
                    let (x1, y1, x2, y2) = (xs[a], ys[a], xs[b], ys[b]);
                    let lambda = if x1 != x2 {
                        (y2 - y1) * inv
                    } else if y1 == y2 && !y1.is_zero() {
                        let xx = x1.square();
                        (xx.double() + xx + P::COEFF_A) * inv
                    } else {
                        ids[j] = true;
                        s.any_identity = true;
                        continue;
                    };
                    let x3 = lambda.square() - x1 - x2;
                    ys[j] = lambda * (x1 - x3) - y1;
                    xs[j] = x3;
                    if s.any_identity {
                        ids[j] = false;
                    }
                }
                if n % 2 == 1 {
                    xs[half] = xs[n - 1];
                    ys[half] = ys[n - 1];
                    ids[half] = ids[n - 1];
                }
                *len = len.div_ceil(2);
            }
        }
    }

    /// The sum of a group after [`add_within_groups`](Self::add_within_groups),
    /// `None` for the identity.
    fn group_sum(&self, group: usize) -> Option<(P::BaseField, P::BaseField)> {
        let start = self.starts[group] as usize;
        (self.lens[group] == 1 && !self.identity[start]).then(|| (self.xs[start], self.ys[start]))
    }
}

/// Buffers reused across the windows of a task.
struct Scratch<P: GLVConfig> {
    sums: GroupSums<P>,
    /// The window's non-empty buckets: weight `b + 1` and point.
    buckets: Vec<(usize, P::BaseField, P::BaseField)>,
}

impl<P: GLVConfig> Default for Scratch<P> {
    fn default() -> Self {
        Self { sums: GroupSums::default(), buckets: Vec::new() }
    }
}

/// `Σ_i digits[i]·bases[i]` for one window: bucket `|d| - 1` collects `±P`, then
/// `Σ_b (b + 1)·B_b`.
fn window_sum<P: GLVConfig>(
    bases: &[Affine<P>],
    digits: &[i32],
    c: usize,
    s: &mut Scratch<P>,
) -> BucketOf<P> {
    let nb = 1usize << (c - 1);
    let g = &mut s.sums;
    g.begin(nb);
    for &d in digits {
        if d != 0 {
            g.count(d.unsigned_abs() as usize - 1);
        }
    }
    g.layout();
    for (&d, p) in digits.iter().zip(bases) {
        if d != 0 {
            g.put(d.unsigned_abs() as usize - 1, p.x, if d > 0 { p.y } else { -p.y });
        }
    }
    g.add_within_groups();
    s.buckets.clear();
    for b in 0..nb {
        if let Some((x, y)) = g.group_sum(b) {
            s.buckets.push((b + 1, x, y));
        }
    }
    weighted_sum(&s.buckets, nb, g)
}

/// `Σ w·P` over `(w, P)` with weights in `1..=max`: with `w = hi·2^k + lo`,
/// `Σ w·P = Σ_lo lo·U_lo + 2^k·Σ_hi hi·T_hi` where `U_lo` (`T_hi`) sums the
/// points of equal `lo` (`hi`). The `U` and `T` sums are batched affine
/// additions; only the two short weighted sums (about `2^k + max/2^k` terms)
/// need running sums in extended Jacobian coordinates.
fn weighted_sum<P: GLVConfig>(
    points: &[(usize, P::BaseField, P::BaseField)],
    max: usize,
    g: &mut GroupSums<P>,
) -> BucketOf<P> {
    let k = (usize::BITS - max.leading_zeros()) as usize / 2;
    let (lows, highs) = (1usize << k, (max >> k) + 1);
    g.begin(lows + highs);
    for &(w, _, _) in points {
        g.count(w & (lows - 1));
        g.count(lows + (w >> k));
    }
    g.layout();
    for &(w, x, y) in points {
        g.put(w & (lows - 1), x, y);
        g.put(lows + (w >> k), x, y);
    }
    g.add_within_groups();
    let running_sum = |groups: core::ops::Range<usize>| {
        let zero = <Projective<P> as VariableBaseMSM>::ZERO_BUCKET;
        let (mut running, mut sum) = (zero, zero);
        // Σ_{i ≥ 1} i·group[i]: group 0 has weight 0.
        for group in groups.skip(1).rev() {
            if let Some((x, y)) = g.group_sum(group) {
                running += Affine::<P>::new_unchecked(x, y);
            }
            sum += &running;
        }
        sum
    };
    let mut total = running_sum(lows..lows + highs);
    for _ in 0..k {
        total.double_in_place();
    }
    total += &running_sum(0..lows);
    total
}

/// Replaces every element of `v` (all non-zero) by its inverse: Montgomery's
/// trick, one inversion and three multiplications per element.
fn batch_invert<F: Field>(v: &mut [F], prefix: &mut Vec<F>) {
    prefix.clear();
    let mut acc = F::ONE;
    for x in v.iter() {
        prefix.push(acc);
        acc *= x;
    }
    let mut inv = acc.inverse().expect("the denominators are non-zero");
    for (x, before) in v.iter_mut().zip(prefix.iter()).rev() {
        let next = inv * *x;
        *x = inv * before;
        inv = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bn254::{Fr, G1Affine, G2Affine};
    use ark_ec::{short_weierstrass::SWCurveConfig, CurveGroup};
    use ark_ff::UniformRand;
    use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};

    fn ark<P: SWCurveConfig<ScalarField = Fr>>(bases: &[Affine<P>], scalars: &[Fr]) -> Projective<P> {
        let big: Vec<_> = scalars.iter().map(|s| s.into_bigint()).collect();
        Projective::<P>::msm_bigint(bases, &big)
    }

    fn check<P: GLVConfig<ScalarField = Fr>>(bases: &[Affine<P>], scalars: &[Fr]) {
        assert_eq!(msm(&[(bases, scalars)]), ark(bases, scalars));
    }

    fn random_points<P: SWCurveConfig>(n: usize, rng: &mut ChaCha20Rng) -> Vec<Affine<P>> {
        Projective::<P>::normalize_batch(&(0..n).map(|_| Projective::<P>::rand(rng)).collect::<Vec<_>>())
    }

    #[test]
    fn endomorphisms_multiply_by_lambda() {
        let mut rng = ChaCha20Rng::seed_from_u64(6);
        for p in random_points::<ark_bn254::g1::Config>(4, &mut rng) {
            assert_eq!(ark_bn254::g1::Config::endomorphism_affine(&p), p * ark_bn254::g1::Config::LAMBDA);
        }
        for p in random_points::<ark_bn254::g2::Config>(4, &mut rng) {
            assert_eq!(ark_bn254::g2::Config::endomorphism_affine(&p), p * ark_bn254::g2::Config::LAMBDA);
        }
    }

    #[test]
    fn glv_halves_are_short_and_recombine() {
        fn run<P: GLVConfig<ScalarField = Fr>>(rng: &mut ChaCha20Rng) {
            let glv = Glv::<P>::new().expect("constants fit");
            let mut scalars: Vec<Fr> = (0..2000).map(|_| Fr::rand(rng)).collect();
            scalars.extend([0u64, 1, 2, u64::MAX].map(Fr::from));
            scalars.extend([-Fr::from(1u64), -Fr::from(2u64), P::LAMBDA, -P::LAMBDA, Fr::from(u128::MAX)]);
            for k in scalars {
                let ((n1, k1), (n2, k2)) = glv.decompose(&k).expect("splits");
                let signed = |neg: bool, m: u128| if neg { -Fr::from(m) } else { Fr::from(m) };
                assert_eq!(signed(n1, k1) + P::LAMBDA * signed(n2, k2), k);
            }
        }
        let mut rng = ChaCha20Rng::seed_from_u64(5);
        run::<ark_bn254::g1::Config>(&mut rng);
        run::<ark_bn254::g2::Config>(&mut rng);
    }

    #[test]
    fn matches_arkworks_on_random_and_structured_inputs() {
        let mut rng = ChaCha20Rng::seed_from_u64(7);
        for n in [0usize, 1, 5, 63, 64, 65, 300, 1000, 3000] {
            let g1: Vec<G1Affine> = random_points(n, &mut rng);
            let g2: Vec<G2Affine> = random_points(n, &mut rng);
            let random: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
            check(&g1, &random);
            check(&g2, &random);
            // Small, negative, zero and repeated scalars; identity and repeated
            // bases (bucket doublings and cancellations).
            let structured: Vec<Fr> = (0..n)
                .map(|i| match i % 6 {
                    0 => Fr::from(0u64),
                    1 => Fr::from(1u64),
                    2 => -Fr::from(i as u64),
                    3 => Fr::from(u64::MAX),
                    4 => random[0],
                    _ => -random[0],
                })
                .collect();
            let mut g1s = g1.clone();
            for (i, p) in g1s.iter_mut().enumerate() {
                match i % 5 {
                    0 => *p = G1Affine::zero(),
                    1 | 2 => *p = g1.first().copied().unwrap_or(G1Affine::generator()),
                    _ => {}
                }
            }
            check(&g1s, &structured);
            check(&g1, &structured);
            check(&g2, &structured);
        }
    }

    #[test]
    fn parts_add_up() {
        let mut rng = ChaCha20Rng::seed_from_u64(9);
        let (b1, b2): (Vec<G1Affine>, Vec<G1Affine>) =
            (random_points(500, &mut rng), random_points(300, &mut rng));
        let s1: Vec<Fr> = (0..500).map(|_| Fr::rand(&mut rng)).collect();
        let s2: Vec<Fr> = (0..290).map(|_| Fr::rand(&mut rng)).collect();
        // The second part is cut to its 290 scalars.
        assert_eq!(msm(&[(&b1, &s1), (&b2, &s2)]), ark(&b1, &s1) + ark(&b2[..290], &s2));
    }

    #[test]
    fn digits_recompose() {
        let mut rng = ChaCha20Rng::seed_from_u64(8);
        for c in 2..=16usize {
            let windows = (Fr::MODULUS_BIT_SIZE as usize + 1).div_ceil(c);
            let mut scalars: Vec<Fr> = (0..50).map(|_| Fr::rand(&mut rng)).collect();
            scalars.extend([Fr::from(0u64), Fr::from(1u64), -Fr::from(1u64), Fr::from(1u64 << 63)]);
            let mags: Vec<[u64; 4]> = scalars.iter().map(|s| s.into_bigint().0).collect();
            let negative: Vec<bool> = (0..mags.len()).map(|i| i % 3 == 0).collect();
            let digits = signed_digits(&mags, &negative, c, windows);
            for (i, s) in scalars.iter().enumerate() {
                let mut acc = Fr::from(0u64);
                for w in (0..windows).rev() {
                    let d = digits[w * mags.len() + i];
                    assert!(d.unsigned_abs() <= 1 << (c - 1));
                    let d = if d >= 0 { Fr::from(d as u64) } else { -Fr::from(d.unsigned_abs() as u64) };
                    acc = acc * Fr::from(1u64 << c) + d;
                }
                assert_eq!(acc, if negative[i] { -*s } else { *s }, "c = {c}");
            }
        }
    }
}
