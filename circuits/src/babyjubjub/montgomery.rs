//! Baby Jubjub in Montgomery form, and the variable-base multiplication `ρ·P` of
//! the ballot circuit (docs/decisions/0005-variable-base-multiplication.md,
//! docs/circuits.md §4.5).
//!
//! # Montgomery form
//!
//! The EIP-2494 curve `a·x² + y² = 1 + d·x²·y²` is birationally equivalent to the
//! Montgomery curve `B·v² = u³ + A·u² + u` with `A = 2(a + d)/(a − d) = 168698` and
//! `B = 4/(a − d) = 1` ([`MONT_A`], [`MONT_B`], read from `psephos-primitives`'
//! `MontCurveConfig`), through
//!
//! ```text
//! u = (1 + y)/(1 − y),  v = u/x          x = u/v,  y = (u − 1)/(u + 1)
//! ```
//!
//! Affine Montgomery formulas have no identity and fail on some inputs (they are
//! *incomplete*), but they are cheap: the chord through `A` and `Q` has slope
//! `λ = (v_Q − v_A)/(u_Q − u_A)` and `A + Q = (B·λ² − A − u_A − u_Q, λ·(u_A − u_{A+Q}) − v_A)`.
//!
//! # The ladder (Orchard's incomplete double-and-add, scalar offset)
//!
//! [`PointVar::mul_ladder`] computes `ρ·P` for a point `P` of the prime-order
//! subgroup, `P ≠ O`, and a scalar `ρ < l` given through its **ladder scalar**
//! `S` ([`LadderScalarVar`]): 252 Boolean digits `s₂₅₁ … s₀` with
//!
//! ```text
//! 2·S = ρ + (5 − b₀)·l − 2²⁵² − 1          b₀ = bit 0 of ρ
//! ```
//!
//! (the right side is even and in `[0, 2²⁵³)` for every `ρ < l`). Starting from
//! `acc₀ = 2·P`, each step computes `acc ← 2·acc + (2sᵢ − 1)·P` in one combined
//! double-and-add, `(acc + Q) + acc`, without the `v` coordinate of `acc + Q`
//! (Eisenträger–Lauter–Montgomery): with `Q = (u_P, ±v_P)`,
//!
//! ```text
//! w · (u_P − u_A) = 1                              "denominator_nonzero"
//! λ₁ · (u_P − u_A) = v_Q − v_A                     chord through A and Q
//! u_R = B·λ₁² − A − u_A − u_P                      R = A + Q
//! (λ₁ + λ₂) · (u_R − u_A) = −2·v_A                 chord through R and A
//! u' = B·λ₂² − A − u_A − u_R,  v' = λ₂·(u_A − u') − v_A
//! ```
//!
//! After 252 steps `acc = m·P` with `m = 2²⁵² + 1 + 2S = ρ + (5 − b₀)·l ≡ ρ (mod l)`,
//! converted back to Edwards. The multiplier after `j` steps is an odd integer
//! `mⱼ ∈ [2ʲ + 1, 3·2ʲ − 1]`, so no intermediate is the identity and no addition
//! has equal or opposite inputs until `3·2ʲ` approaches `l`: the formulas are exact
//! for every `P` in the subgroup, and exactly four scalars `ρ ∈ {0, 1, 3, l − 1}`
//! make a step exceptional ([`is_exceptional_randomness`]); for those the system is
//! unsatisfiable and the honest prover must pick another `ρ`.
//!
//! # Costs
//!
//! | operation | constraints |
//! | --- | --- |
//! | [`LadderScalarVar::new`] | [`LADDER_SCALAR_CONSTRAINTS`] = 253 (252 booleanity + 1 packing) |
//! | [`PointVar::mul_ladder`] | [`MUL_LADDER_CONSTRAINTS`] = 1772: 2 (to Montgomery) + 4 (`2·P`) + 252 × 7 + 2 (to Edwards) |
//! | one ladder step | 7: digit select 1, non-zero denominator 1, `λ₁` 1, `λ₁²` 1, `λ₁ + λ₂` 1, `λ₂²` 1, `v'` 1 |

use ark_bn254::Fr;
use ark_ec::twisted_edwards::MontCurveConfig;
use ark_ff::{AdditiveGroup, Field, PrimeField};
use ark_r1cs_std::{boolean::Boolean, fields::fp::FpVar, GR1CSVar};
use ark_relations::{gr1cs::SynthesisError, ns};
use num_bigint::BigUint;
use psephos_primitives::{
    babyjubjub::{BabyJubjubConfig, Scalar},
    field::modulus,
};

use super::PointVar;
use crate::{
    r1cs::{enforce_nonzero, mul, quotient, square},
    range::{alloc_raw, enforce_booleanity, enforce_packing},
};

/// The Montgomery coefficient `A = 168698`.
pub const MONT_A: Fr = <BabyJubjubConfig as MontCurveConfig>::COEFF_A;
/// The Montgomery coefficient `B = 1`.
pub const MONT_B: Fr = <BabyJubjubConfig as MontCurveConfig>::COEFF_B;

/// The number of digits of a ladder scalar, and of ladder steps.
pub const LADDER_BITS: usize = 252;
/// Constraints of one ladder step (digit select and combined double-and-add).
pub const LADDER_STEP_CONSTRAINTS: usize = 7;
/// Constraints of [`LadderScalarVar::new`]: 252 booleanity + 1 packing.
pub const LADDER_SCALAR_CONSTRAINTS: usize = LADDER_BITS + 1;
/// Constraints of [`PointVar::mul_ladder`]: `2 + 4 + 252·7 + 2 = 1772`.
pub const MUL_LADDER_CONSTRAINTS: usize = 2 + 4 + LADDER_BITS * LADDER_STEP_CONSTRAINTS + 2;

/// The constant `5·l − 2²⁵² − 1` of the ladder scalar relation.
fn ladder_offset() -> BigUint {
    modulus::<Scalar>() * 5u8 - (BigUint::from(1u8) << LADDER_BITS) - 1u8
}

/// The ladder digits of `ρ` (native twin of [`LadderScalarVar::new`]): the 252
/// little-endian bits of `S = (ρ + (5 − b₀)·l − 2²⁵² − 1)/2`.
///
/// Meaningful for `ρ < l`; for larger values (which the circuit rejects through
/// `ρ < l`) it returns the low 252 bits of the same expression and never panics.
pub fn ladder_bits(rho: &BigUint) -> Vec<bool> {
    let b0 = rho.bit(0);
    let l = modulus::<Scalar>();
    // ρ + 5l − 2²⁵² − 1 − b₀·l ≥ 4l − 2²⁵² − 1 > 0: no underflow.
    let mut value = rho + ladder_offset();
    if b0 {
        value -= &l;
    }
    let s = value >> 1u8;
    (0..LADDER_BITS).map(|i| s.bit(i as u64)).collect()
}

/// Whether the ladder is exceptional for `ρ` (and every subgroup point `P ≠ O`):
/// some step would add equal or opposite points or reach the identity, so the
/// circuit is unsatisfiable and the prover must choose another `ρ`.
///
/// Computed by running the ladder's multipliers `m₀ = 2`, `mⱼ₊₁ = 2mⱼ ± 1` over
/// the integers and testing each step's conditions modulo `l`
/// (`mⱼ ≡ ±1`: `acc = ±P`; `mⱼ₊₁ ≡ 0`: `2·acc + Q = O`). For `ρ < l` this is
/// exactly `ρ ∈ {0, 1, 3, l − 1}` (docs/decisions/0005), probability `4/l ≈ 2⁻²⁴⁹`
/// for a uniform `ρ`.
pub fn is_exceptional_randomness(rho: &Scalar) -> bool {
    let rho: BigUint = rho.into_bigint().into();
    exceptional_step(&rho).is_some()
}

/// The first exceptional ladder step for `ρ` (`1..=252`), if any.
pub(crate) fn exceptional_step(rho: &BigUint) -> Option<usize> {
    let l = modulus::<Scalar>();
    let digits = ladder_bits(rho);
    let mut m = BigUint::from(2u8);
    for (step, digit) in digits.iter().rev().enumerate() {
        let r = &m % &l;
        if r == BigUint::from(1u8) || r == &l - 1u8 {
            return Some(step + 1);
        }
        m = if *digit { (m << 1u8) + 1u8 } else { (m << 1u8) - 1u8 };
        if (&m % &l) == BigUint::ZERO {
            return Some(step + 1);
        }
    }
    None
}

/// A point in Montgomery coordinates `(u, v)` (crate-private: the formulas are
/// incomplete and only [`PointVar::mul_ladder`] uses them, within the ranges
/// proved in the module documentation).
#[derive(Clone, Debug)]
pub(crate) struct MontgomeryPointVar {
    pub(crate) u: FpVar<Fr>,
    pub(crate) v: FpVar<Fr>,
}

impl MontgomeryPointVar {
    /// `u = (1 + y)/(1 − y)`, `v = u/x` (2 constraints). The denominators vanish only
    /// at the identity (`y = 1`: then `u·0 = 2` is unsatisfiable) and at the
    /// order-2 point `(0, −1)` (`x = 0`, outside the subgroup).
    pub(crate) fn from_edwards(p: &PointVar) -> Result<Self, SynthesisError> {
        let one = FpVar::Constant(Fr::ONE);
        let u = quotient(&(&one + p.y()), &(&one - p.y()))?;
        let v = quotient(&u, p.x())?;
        Ok(Self { u, v })
    }

    /// `x = u/v`, `y = (u − 1)/(u + 1)` (2 constraints). `v = 0` only at the order-2
    /// point `(0, 0)`; `u = −1` never: it would need `B·v² = A − 2 = d`, and `d` is
    /// not a square.
    pub(crate) fn to_edwards(&self) -> Result<PointVar, SynthesisError> {
        let one = FpVar::Constant(Fr::ONE);
        let x = quotient(&self.u, &self.v)?;
        let y = quotient(&(&self.u - &one), &(&self.u + &one))?;
        Ok(PointVar::from_coordinates_unchecked(x, y))
    }

    /// `2·self` (4 constraints): `λ·2Bv = 3u² + 2Au + 1`, `u' = Bλ² − A − 2u`,
    /// `v' = λ(u − u') − v`. Requires `v ≠ 0` (not the order-2 point).
    pub(crate) fn double(&self) -> Result<Self, SynthesisError> {
        let u2 = square(&self.u)?;
        let num = &u2 * Fr::from(3u64) + &self.u * MONT_A.double() + Fr::ONE;
        let lambda = quotient(&num, &(&self.v * MONT_B.double()))?;
        let u_out = square(&lambda)? * MONT_B - MONT_A - &self.u * Fr::from(2u64);
        let v_out = mul(&lambda, &(&self.u - &u_out))? - &self.v;
        Ok(Self { u: u_out, v: v_out })
    }

    /// `2·self + q = (self + q) + self` (6 constraints), see the module
    /// documentation. `u_q ≠ u_self` is enforced (`denominator_nonzero`); the second
    /// denominator `u_R − u_self` is then non-zero whenever `v_self ≠ 0`, because
    /// its constraint has the non-zero right side `−2·v_self`.
    pub(crate) fn double_and_add(&self, q: &Self) -> Result<Self, SynthesisError> {
        let cs = self.u.cs().or(q.u.cs());
        let (ua, va) = (&self.u, &self.v);
        let den = &q.u - ua;
        let nonzero = ns!(cs, "denominator_nonzero");
        enforce_nonzero(&den)?;
        drop(nonzero);
        let chord = ns!(cs, "chord_a_q");
        let lambda1 = quotient(&(&q.v - va), &den)?;
        let u_r = square(&lambda1)? * MONT_B - MONT_A - ua - &q.u;
        drop(chord);
        let _second = ns!(cs, "chord_r_a");
        let slope_sum = quotient(&(va * -Fr::from(2u64)), &(&u_r - ua))?;
        let lambda2 = slope_sum - &lambda1;
        let u_out = square(&lambda2)? * MONT_B - MONT_A - ua - &u_r;
        let v_out = mul(&lambda2, &(ua - &u_out))? - va;
        Ok(Self { u: u_out, v: v_out })
    }
}

/// A scalar `ρ < l` prepared for [`PointVar::mul_ladder`]: the 252 Boolean digits of
/// `S = (ρ + (5 − b₀)·l − 2²⁵² − 1)/2`, where `b₀` is bit 0 of `ρ`.
///
/// Built once per `ρ` and shared by every multiplication by `ρ` (one per ballot
/// option). `Debug` hides the digits (they determine `ρ`).
#[derive(Clone)]
pub struct LadderScalarVar {
    /// `s₀ … s₂₅₁`, little-endian.
    bits: Vec<FpVar<Fr>>,
}

impl std::fmt::Debug for LadderScalarVar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LadderScalarVar").finish_non_exhaustive()
    }
}

impl LadderScalarVar {
    /// Allocates the digits of `ρ` from its assigned value and enforces booleanity
    /// and `2·S = ρ + (5 − b₀)·l − 2²⁵² − 1` ([`LADDER_SCALAR_CONSTRAINTS`]).
    ///
    /// **Preconditions** (the caller's constraints): `ρ < l` and `b₀` is bit 0 of
    /// `ρ`'s decomposition — e.g. the bits returned by
    /// [`crate::range::enforce_below_subgroup_order`]. Then every term is an integer
    /// below `2²⁵³ < r`, so the equation holds over the integers and `S` is unique.
    pub fn new(rho: &FpVar<Fr>, rho_bit0: &Boolean<Fr>) -> Result<Self, SynthesisError> {
        let cs = rho.cs();
        let bits = (0..LADDER_BITS)
            .map(|i| {
                crate::r1cs::witness(&cs, || {
                    let rho: BigUint = rho.value()?.into_bigint().into();
                    Ok(Fr::from(u64::from(ladder_bits(&rho)[i])))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Self::enforce(rho, &FpVar::from(rho_bit0.clone()), bits)
    }

    /// Allocates raw digit values (booleanity is enforced, not assumed).
    pub(crate) fn from_raw(
        rho: &FpVar<Fr>,
        rho_bit0: &FpVar<Fr>,
        digits: &[Fr],
    ) -> Result<Self, SynthesisError> {
        if digits.len() != LADDER_BITS {
            return Err(SynthesisError::ArityMismatch);
        }
        let bits = alloc_raw(&rho.cs().or(rho_bit0.cs()), digits)?;
        Self::enforce(rho, rho_bit0, bits)
    }

    fn enforce(rho: &FpVar<Fr>, rho_bit0: &FpVar<Fr>, bits: Vec<FpVar<Fr>>) -> Result<Self, SynthesisError> {
        enforce_booleanity(&bits)?;
        let l = Fr::from(modulus::<Scalar>());
        let half = Fr::from(2u64).inverse().ok_or(SynthesisError::Unsatisfiable)?;
        // S = (ρ − b₀·l + 5l − 2²⁵² − 1)/2, as a linear combination.
        let target = (rho - rho_bit0 * l + Fr::from(ladder_offset())) * half;
        enforce_packing(&target, &bits)?;
        Ok(Self { bits })
    }
}

impl PointVar {
    /// `ρ·P` for a point `P` of the prime-order subgroup, `P ≠ O`, and the ladder
    /// scalar of `ρ < l` ([`MUL_LADDER_CONSTRAINTS`] = 1772 constraints); see the
    /// module documentation for the method and its proof.
    ///
    /// **Precondition: `P` is a validated subgroup point** (a public input checked
    /// by the verifier with `Point::from_xy`, or a witness bound to one by a hash).
    /// For such `P` every intermediate variable is uniquely determined. The identity
    /// key is unsatisfiable; for `ρ ∈ {0, 1, 3, l − 1}` ([`is_exceptional_randomness`])
    /// the system is unsatisfiable and the prover must choose another `ρ`.
    pub fn mul_ladder(&self, scalar: &LadderScalarVar) -> Result<PointVar, SynthesisError> {
        let cs = self.x().cs().or(self.y().cs());
        let to_mont = ns!(cs, "edwards_to_montgomery");
        let p = MontgomeryPointVar::from_edwards(self)?;
        drop(to_mont);
        let start = ns!(cs, "double_p");
        let mut acc = p.double()?;
        drop(start);
        let two_v = &p.v * Fr::from(2u64);
        for digit in scalar.bits.iter().rev() {
            let _step = ns!(cs, "ladder_step");
            // v_Q = (2s − 1)·v_P: one product s·2v_P.
            let v_q = mul(digit, &two_v)? - &p.v;
            acc = acc.double_and_add(&MontgomeryPointVar { u: p.u.clone(), v: v_q })?;
        }
        let _back = ns!(cs, "montgomery_to_edwards");
        acc.to_edwards()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_r1cs_std::alloc::AllocVar;
    use ark_relations::gr1cs::{ConstraintSystem, ConstraintSystemRef, OptimizationGoal};
    use ark_std::UniformRand;
    use psephos_primitives::babyjubjub::Point;
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;

    fn cs() -> ConstraintSystemRef<Fr> {
        let cs = ConstraintSystem::<Fr>::new_ref();
        cs.set_optimization_goal(OptimizationGoal::Constraints);
        cs
    }

    fn l() -> BigUint {
        modulus::<Scalar>()
    }

    fn int(s: &Scalar) -> BigUint {
        s.into_bigint().into()
    }

    /// Runs the gadget on a witness point and a witness `ρ`; returns the result
    /// value (if the assignment is a valid point), satisfiability and the count of
    /// constraints of the ladder alone.
    fn run(p: Point, rho: &BigUint) -> (Option<Point>, bool, usize) {
        let cs = cs();
        let pv = PointVar::new_witness(cs.clone(), || Ok(p)).unwrap();
        let rho_var = FpVar::new_witness(cs.clone(), || Ok(Fr::from(rho.clone()))).unwrap();
        let b0 = Boolean::new_witness(cs.clone(), || Ok(rho.bit(0))).unwrap();
        let before = cs.num_constraints();
        let scalar = LadderScalarVar::new(&rho_var, &b0).unwrap();
        assert_eq!(cs.num_constraints() - before, LADDER_SCALAR_CONSTRAINTS);
        let before = cs.num_constraints();
        let out = pv.mul_ladder(&scalar).unwrap();
        let count = cs.num_constraints() - before;
        cs.finalize();
        (out.value().ok(), cs.is_satisfied().unwrap(), count)
    }

    #[test]
    fn montgomery_coefficients_are_the_eip2494_ones() {
        use psephos_primitives::babyjubjub::{COEFF_A, COEFF_D};
        let four = Fr::from(4u64);
        assert_eq!(MONT_A, (COEFF_A + COEFF_D).double() * (COEFF_A - COEFF_D).inverse().unwrap());
        assert_eq!(MONT_B, four * (COEFF_A - COEFF_D).inverse().unwrap());
        assert_eq!(MONT_B, Fr::ONE);
        // u = −1 is never on the curve: B·v² = A − 2 = d is not a square.
        assert_eq!(MONT_A - Fr::from(2u64), COEFF_D);
        assert!(COEFF_D.legendre().is_qnr());
    }

    #[test]
    fn ladder_matches_native_on_random_points_and_scalars() {
        let mut rng = ChaCha20Rng::seed_from_u64(7);
        let mut cases: Vec<(Point, BigUint)> = (0..4)
            .map(|_| (Point::mul_base8(&Scalar::rand(&mut rng)), int(&Scalar::rand(&mut rng))))
            .collect();
        let p = Point::mul_base8(&Scalar::rand(&mut rng));
        for rho in [2u64, 4, 5, 6, 7, 255] {
            cases.push((p, BigUint::from(rho)));
        }
        for rho in [l() - 2u8, l() - 3u8, (BigUint::from(1u8) << 250) + 1u8, BigUint::from(1u8) << 249] {
            cases.push((p, rho));
        }
        cases.push((Point::BASE8, l() - 2u8));
        for (p, rho) in cases {
            assert!(exceptional_step(&rho).is_none());
            let (out, ok, count) = run(p, &rho);
            assert!(ok, "ρ = {rho}");
            assert_eq!(out, Some(p.mul(&Scalar::from(rho.clone()))), "ρ = {rho}");
            assert_eq!(count, MUL_LADDER_CONSTRAINTS);
        }
    }

    /// ρ ∈ {0, 1, 3, l − 1} are exactly the exceptional scalars; the honest witness
    /// for them leaves the system unsatisfiable (never a synthesis error).
    #[test]
    fn edge_scalars_zero_one_and_l_minus_one_are_exceptional_and_unsatisfiable() {
        let mut rng = ChaCha20Rng::seed_from_u64(8);
        let p = Point::mul_base8(&Scalar::rand(&mut rng));
        for (rho, step) in
            [(BigUint::ZERO, 252), (BigUint::from(1u8), 250), (BigUint::from(3u8), 250), (l() - 1u8, 251)]
        {
            assert_eq!(exceptional_step(&rho), Some(step), "ρ = {rho}");
            assert!(is_exceptional_randomness(&Scalar::from(rho.clone())));
            let (_, ok, _) = run(p, &rho);
            assert!(!ok, "ρ = {rho} must be unsatisfiable");
        }
    }

    /// The exceptional set is exactly {0, 1, 3, l − 1}: every ρ below 2¹², above
    /// l − 2¹², around the only dangerous prefix (m₂₅₀ = l), and random ones.
    #[test]
    fn exceptional_set_is_exactly_four_scalars() {
        let mut rng = ChaCha20Rng::seed_from_u64(9);
        let expected = [BigUint::ZERO, BigUint::from(1u8), BigUint::from(3u8), l() - 1u8];
        let mut samples: Vec<BigUint> = (0u32..4096).map(BigUint::from).collect();
        samples.extend((1u32..=4096).map(|i| l() - i));
        samples.extend((0..2000).map(|_| int(&Scalar::rand(&mut rng))));
        // ρ whose multiplier m₂₅₀ before the last two steps is within 8 of l or 3l/2
        // (the only places where a step can be exceptional): m₂₅₂ = 4·m₂₅₀ + e with
        // e ∈ {−3, −1, 1, 3} and m₂₅₂ = ρ + t·l, t ∈ {4, 5}.
        for centre in [l(), l() * 3u8 / 2u8] {
            for delta in 0u8..16 {
                let m = &centre + delta - 8u8;
                for e in [-3i8, -1, 1, 3] {
                    let m252 = if e < 0 { &m * 4u8 - e.unsigned_abs() } else { &m * 4u8 + e as u8 };
                    for tl in [l() * 4u8, l() * 5u8] {
                        if m252 >= tl && &m252 - &tl < l() {
                            samples.push(&m252 - &tl);
                        }
                    }
                }
            }
        }
        for rho in samples {
            let exceptional = exceptional_step(&rho).is_some();
            assert_eq!(exceptional, expected.contains(&rho), "ρ = {rho}");
        }
    }

    /// The multiplier after all steps is ρ + (5 − b₀)·l, and each step's
    /// multiplier lies in [2ʲ + 1, 3·2ʲ − 1].
    #[test]
    fn ladder_multiplier_ranges() {
        let mut rng = ChaCha20Rng::seed_from_u64(10);
        for rho in [BigUint::from(2u8), l() - 2u8, int(&Scalar::rand(&mut rng))] {
            let mut m = BigUint::from(2u8);
            for (j, digit) in ladder_bits(&rho).iter().rev().enumerate() {
                m = if *digit { (m << 1u8) + 1u8 } else { (m << 1u8) - 1u8 };
                let j = j as u32 + 1;
                assert!(m > (BigUint::from(1u8) << j) && m < BigUint::from(3u8) << j);
            }
            let t = if rho.bit(0) { 4u8 } else { 5u8 };
            assert_eq!(m, &rho + l() * t);
        }
    }

    /// A malicious prover feeding equal points to the double-and-add could pick the
    /// chord slope freely (`λ₁·0 = 0`); the `denominator_nonzero` constraint is the
    /// one — and the only one — that fails.
    #[test]
    fn equal_inputs_are_caught_by_the_nonzero_denominator() {
        use ark_relations::gr1cs::{ConstraintLayer, TracingMode};
        use tracing_subscriber::layer::SubscriberExt;

        let p = Point::mul_base8(&Scalar::from(5u64));
        // Montgomery coordinates of P.
        let u = (Fr::ONE + p.y()) * (Fr::ONE - p.y()).inverse().unwrap();
        let v = u * p.x().inverse().unwrap();
        // A process-wide subscriber: tracing caches callsite interest globally, so a
        // scoped one can miss spans first hit by a parallel test.
        static TRACING: std::sync::Once = std::sync::Once::new();
        TRACING.call_once(|| {
            let subscriber =
                tracing_subscriber::registry().with(ConstraintLayer::new(TracingMode::OnlyConstraints));
            tracing::subscriber::set_global_default(subscriber).expect("the only global subscriber");
        });
        {
            let cs = cs();
            let w = |x: Fr| FpVar::new_witness(cs.clone(), || Ok(x)).unwrap();
            let a = MontgomeryPointVar { u: w(u), v: w(v) };
            let q = MontgomeryPointVar { u: w(u), v: w(v) };
            let out = a.double_and_add(&q).unwrap();
            // Honest witness generation assigns λ₁ = 0/0 := 0 (any value satisfies
            // λ₁·0 = 0); everything after it is computed consistently from λ₁.
            let _ = out.u.value().unwrap();
            cs.finalize();
            let first = cs.which_is_unsatisfied().unwrap().expect("equal inputs must be refused");
            assert!(first.contains("denominator_nonzero"), "{first}");
            // Only that one row fails: without it, λ₁ would be a free witness.
            let matrices = cs.to_matrices().unwrap();
            let abc = &matrices[ark_relations::gr1cs::R1CS_PREDICATE_LABEL];
            let mut z = cs.instance_assignment().unwrap();
            z.extend(cs.witness_assignment().unwrap());
            let failing: Vec<usize> = (0..abc[0].len())
                .filter(|&k| {
                    let dot = |m: usize| abc[m][k].iter().map(|(c, col)| *c * z[*col]).sum::<Fr>();
                    dot(0) * dot(1) != dot(2)
                })
                .collect();
            assert_eq!(failing, [0], "only the non-zero-denominator row fails");
        }
    }

    /// The baseline of docs/decisions/0005: double-and-add with complete Edwards
    /// additions and a 2-constraint select costs 14 constraints per bit; the
    /// ladder 7.
    #[test]
    fn naive_edwards_double_and_add_costs_about_twice_the_ladder() {
        let mut rng = ChaCha20Rng::seed_from_u64(11);
        let p = Point::mul_base8(&Scalar::rand(&mut rng));
        let rho = int(&Scalar::rand(&mut rng));
        let cs = cs();
        let pv = PointVar::new_witness(cs.clone(), || Ok(p)).unwrap();
        let bits: Vec<FpVar<Fr>> = (0..251)
            .map(|i| FpVar::from(Boolean::new_witness(cs.clone(), || Ok(rho.bit(i))).unwrap()))
            .collect();
        let before = cs.num_constraints();
        let mut acc = PointVar::identity();
        for b in bits.iter().rev() {
            acc = acc.add(&acc).unwrap();
            let sum = acc.add(&pv).unwrap();
            let x = acc.x() + mul(b, &(sum.x() - acc.x())).unwrap();
            let y = acc.y() + mul(b, &(sum.y() - acc.y())).unwrap();
            acc = PointVar::from_coordinates_unchecked(x, y);
        }
        let naive = cs.num_constraints() - before;
        assert_eq!(acc.value().unwrap(), p.mul(&Scalar::from(rho)));
        assert!(cs.is_satisfied().unwrap());
        // The first doubling and addition act on the constant identity (9 saved).
        assert_eq!(naive, 251 * 14 - 9);
        assert!(naive * 10 > MUL_LADDER_CONSTRAINTS * 19, "{naive} vs {MUL_LADDER_CONSTRAINTS}");
    }

    #[test]
    fn identity_key_is_unsatisfiable() {
        let (_, ok, _) = run(Point::IDENTITY, &BigUint::from(12345u32));
        assert!(!ok);
    }

    #[test]
    fn ladder_bits_never_panic_on_large_values() {
        let r = modulus::<Fr>();
        for rho in [l(), l() + 1u8, &r - 1u8, BigUint::from(1u8) << 253] {
            assert_eq!(ladder_bits(&rho).len(), LADDER_BITS);
            let _ = exceptional_step(&rho);
        }
    }
}
