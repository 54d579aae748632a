//! Bit decompositions and range checks that cannot alias modulo `r`.
//!
//! A decomposition of a field element `v` into `n` bits enforces `bᵢ ∈ {0, 1}` and
//! `Σ bᵢ·2ⁱ = v`. Over `Fr` this pins the bits uniquely only while `2ⁿ − 1 < r`:
//! with `n ≤` [`MAX_BITS`] `= 253` the sum never reaches `r`, so `v` has exactly one
//! decomposition and `v < 2ⁿ` as an integer. (With 254 bits, `v` and `v + r` would
//! both decompose — the classic `Num2Bits(254)` aliasing.)
//!
//! [`enforce_less_than_constant`] then compares the bits with a constant, and
//! [`enforce_below_subgroup_order`] is the `secret < l` check of Semaphore v4
//! (docs/circuits.md §"Secret range").
//!
//! # Costs
//!
//! | gadget | constraints |
//! | --- | --- |
//! | [`to_bits_le`] / [`enforce_bits_le`], `n` bits | `n + 1` (`n` booleanity, 1 packing; `enforce_bits_le` takes already Boolean bits: 1) |
//! | [`enforce_less_than_constant`] against `c` | `k − 1 − z` if `c − 1` has a zero bit (`k` its bit length, `z` the position of its lowest zero bit), none otherwise; plus 1 if the input has more than `k` bits |
//! | [`enforce_below_subgroup_order`] | 251 + 1 + [`LESS_THAN_L_CONSTRAINTS`] |

use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, Field, PrimeField};
use ark_r1cs_std::{alloc::AllocVar, boolean::Boolean, fields::fp::FpVar, GR1CSVar};
use ark_relations::{gr1cs::SynthesisError, ns};
use num_bigint::BigUint;
use psephos_primitives::{babyjubjub::Scalar, field::modulus};

use crate::r1cs::{enforce_boolean, enforce_equal, enforce_product_is_zero, mul};

/// The longest decomposition that cannot wrap around `r`: `2²⁵³ − 1 < r < 2²⁵⁴`.
pub const MAX_BITS: usize = Fr::MODULUS_BIT_SIZE as usize - 1;

/// The bit length of the subgroup order `l` (251): every scalar `< l` fits.
pub const SCALAR_BITS: usize = Scalar::MODULUS_BIT_SIZE as usize;

/// Constraints of [`enforce_less_than_constant`] against `l` on [`SCALAR_BITS`] bits.
pub const LESS_THAN_L_CONSTRAINTS: usize = 250;

/// Decomposes `value` into `n` little-endian Boolean witnesses and enforces
/// `Σ bᵢ·2ⁱ = value` (`n + 1` constraints).
///
/// `n >` [`MAX_BITS`] is `ArityMismatch`: such a decomposition could alias. If the
/// assigned value does not fit in `n` bits the system is left unsatisfied.
pub fn to_bits_le(value: &FpVar<Fr>, n: usize) -> Result<Vec<Boolean<Fr>>, SynthesisError> {
    if n > MAX_BITS {
        return Err(SynthesisError::ArityMismatch);
    }
    if let FpVar::Constant(c) = value {
        let v: BigUint = c.into_bigint().into();
        if v.bits() > n as u64 {
            return Err(SynthesisError::Unsatisfiable);
        }
        return Ok((0..n).map(|i| Boolean::constant(v.bit(i as u64))).collect());
    }
    let cs = value.cs();
    let bits = (0..n)
        .map(|i| {
            Boolean::new_witness(cs.clone(), || {
                let v: BigUint = value.value()?.into_bigint().into();
                Ok(v.bit(i as u64))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    enforce_bits_le(value, &bits)?;
    Ok(bits)
}

/// Enforces `Σ bᵢ·2ⁱ = value` for bits that are already Boolean (1 constraint).
///
/// More than [`MAX_BITS`] bits is `ArityMismatch`.
pub fn enforce_bits_le(value: &FpVar<Fr>, bits: &[Boolean<Fr>]) -> Result<(), SynthesisError> {
    enforce_packing(value, &as_field_vars(bits))
}

/// Enforces `Σ bᵢ·2ⁱ < c` for Boolean `bits` and a constant `c`, as the integer
/// comparison (the sum cannot wrap: at most [`MAX_BITS`] bits, else `ArityMismatch`).
///
/// `c = 0` admits no value and is `Unsatisfiable`.
///
/// Method: with `m = c − 1`, bits above the bit length of `m` must be 0 (their sum
/// is 0); then, scanning from the top, `eq` = "the bits so far equal `m`'s" is a
/// running product over the one-bits of `m`, and at every zero-bit of `m` the
/// constraint `eq · bᵢ = 0` forbids exceeding `m` there. No hint variables: every
/// new witness is a product fixed by its constraint.
pub fn enforce_less_than_constant(bits: &[Boolean<Fr>], c: &BigUint) -> Result<(), SynthesisError> {
    enforce_less_than_constant_unchecked_bits(&as_field_vars(bits), c)
}

/// The `secret < l` check: decomposes `value` into [`SCALAR_BITS`] bits and
/// enforces that they encode an integer below the subgroup order `l`. Returns the
/// bits (little-endian) for the fixed-base multiplication.
///
/// Since `l < 2²⁵¹ < r`, `value` and `value + l` (which give the same public key)
/// cannot both pass: exactly the residues `0..l` do.
pub fn enforce_below_subgroup_order(value: &FpVar<Fr>) -> Result<Vec<Boolean<Fr>>, SynthesisError> {
    let bits = to_bits_le(value, SCALAR_BITS)?;
    enforce_less_than_constant(&bits, &modulus::<Scalar>())?;
    Ok(bits)
}

/// Views Boolean bits as field variables (no constraints).
fn as_field_vars(bits: &[Boolean<Fr>]) -> Vec<FpVar<Fr>> {
    bits.iter().map(|b| FpVar::from(b.clone())).collect()
}

/// Allocates witnesses with the given raw values, **without any constraint**.
/// The caller constrains them (booleanity, packing, …).
pub(crate) fn alloc_raw(
    cs: &ark_relations::gr1cs::ConstraintSystemRef<Fr>,
    values: &[Fr],
) -> Result<Vec<FpVar<Fr>>, SynthesisError> {
    values.iter().map(|v| FpVar::new_witness(cs.clone(), || Ok(*v))).collect()
}

/// Enforces `b ∈ {0, 1}` for every element (one constraint each).
pub(crate) fn enforce_booleanity(bits: &[FpVar<Fr>]) -> Result<(), SynthesisError> {
    let _ns = ns!(bits.cs(), "booleanity");
    bits.iter().try_for_each(enforce_boolean)
}

/// Enforces `Σ bᵢ·2ⁱ = value` (one constraint); the bits must be Boolean.
pub(crate) fn enforce_packing(value: &FpVar<Fr>, bits: &[FpVar<Fr>]) -> Result<(), SynthesisError> {
    if bits.len() > MAX_BITS {
        return Err(SynthesisError::ArityMismatch);
    }
    let _ns = ns!(value.cs().or(bits.cs()), "packing");
    let mut power = Fr::ONE;
    let mut sum = FpVar::Constant(Fr::ZERO);
    for b in bits {
        sum += b * power;
        power.double_in_place();
    }
    enforce_equal(&sum, value)
}

/// [`enforce_less_than_constant`] on field-variable bits.
///
/// **Warning: booleanity is not checked here**; each bit must be constrained to
/// `{0, 1}` elsewhere.
pub(crate) fn enforce_less_than_constant_unchecked_bits(
    bits: &[FpVar<Fr>],
    c: &BigUint,
) -> Result<(), SynthesisError> {
    if bits.len() > MAX_BITS {
        return Err(SynthesisError::ArityMismatch);
    }
    if c == &BigUint::ZERO {
        return Err(SynthesisError::Unsatisfiable);
    }
    let _ns = ns!(bits.cs(), "less_than_constant");
    let m = c - 1u8;
    let k = m.bits() as usize;
    let bit = |i: usize| bits.get(i).cloned().unwrap_or(FpVar::Constant(Fr::ZERO));
    // Bits at or above the bit length of m must all be zero: Σ of Booleans is 0.
    if bits.len() > k {
        let high = bits[k..].iter().fold(FpVar::Constant(Fr::ZERO), |acc, b| acc + b);
        enforce_equal(&high, &FpVar::Constant(Fr::ZERO))?;
    }
    // Below the lowest zero of m nothing can exceed m once the prefix is equal.
    let Some(lowest_zero) = (0..k).find(|&i| !m.bit(i as u64)) else {
        return Ok(());
    };
    // `eq` = [bits k−1..=i equal m's], `None` standing for the constant 1.
    let mut eq: Option<FpVar<Fr>> = None;
    for i in (lowest_zero..k).rev() {
        let b = bit(i);
        if m.bit(i as u64) {
            eq = Some(match eq {
                None => b,
                Some(e) => mul(&e, &b)?,
            });
        } else {
            let e = eq.clone().unwrap_or(FpVar::Constant(Fr::ONE));
            enforce_product_is_zero(&e, &b)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_relations::gr1cs::{ConstraintSystem, ConstraintSystemRef, OptimizationGoal};

    fn cs() -> ConstraintSystemRef<Fr> {
        let cs = ConstraintSystem::<Fr>::new_ref();
        cs.set_optimization_goal(OptimizationGoal::Constraints);
        cs
    }

    fn to_fr(v: &BigUint) -> Fr {
        Fr::from(v.clone())
    }

    #[test]
    fn decomposition_round_trips_and_rejects_values_that_do_not_fit() {
        for (v, n, fits) in [(0u64, 1, true), (1, 1, true), (2, 1, false), (255, 8, true), (256, 8, false)] {
            let cs = cs();
            let var = FpVar::new_witness(cs.clone(), || Ok(Fr::from(v))).unwrap();
            let bits = to_bits_le(&var, n).unwrap();
            assert_eq!(bits.len(), n);
            assert_eq!(cs.num_constraints(), n + 1);
            assert_eq!(cs.is_satisfied().unwrap(), fits, "v = {v}, n = {n}");
        }
        // p − 1 never fits in 253 bits.
        let cs = cs();
        let var = FpVar::new_witness(cs.clone(), || Ok(-Fr::ONE)).unwrap();
        let _ = to_bits_le(&var, MAX_BITS).unwrap();
        assert!(!cs.is_satisfied().unwrap());
    }

    #[test]
    fn decomposition_refuses_aliasing_widths() {
        assert_eq!(MAX_BITS, 253);
        let cs = cs();
        let var = FpVar::new_witness(cs.clone(), || Ok(Fr::ONE)).unwrap();
        assert_eq!(to_bits_le(&var, 254).unwrap_err(), SynthesisError::ArityMismatch);
        let bits = vec![Boolean::FALSE; 254];
        assert_eq!(enforce_bits_le(&var, &bits).unwrap_err(), SynthesisError::ArityMismatch);
        assert_eq!(
            enforce_less_than_constant(&bits, &BigUint::from(5u8)).unwrap_err(),
            SynthesisError::ArityMismatch
        );
    }

    #[test]
    fn constants_decompose_natively() {
        let bits = to_bits_le(&FpVar::Constant(Fr::from(6u64)), 3).unwrap();
        assert_eq!(bits.iter().map(|b| b.value().unwrap()).collect::<Vec<_>>(), [false, true, true]);
        assert_eq!(
            to_bits_le(&FpVar::Constant(Fr::from(8u64)), 3).unwrap_err(),
            SynthesisError::Unsatisfiable
        );
    }

    /// Exhaustive: for every constant `c < 40`, every width `n ≤ 6` and every value
    /// `v < 2ⁿ`, the gadget is satisfied iff `v < c`.
    #[test]
    fn less_than_constant_is_exact_on_small_domains() {
        for c in 0u64..40 {
            for n in 0usize..=6 {
                for v in 0u64..(1 << n) {
                    let cs = cs();
                    let bits: Vec<Boolean<Fr>> = (0..n)
                        .map(|i| Boolean::new_witness(cs.clone(), || Ok((v >> i) & 1 == 1)).unwrap())
                        .collect();
                    let result = enforce_less_than_constant(&bits, &BigUint::from(c));
                    if c == 0 {
                        assert_eq!(result.unwrap_err(), SynthesisError::Unsatisfiable);
                        continue;
                    }
                    result.unwrap();
                    assert_eq!(cs.is_satisfied().unwrap(), v < c, "c = {c}, n = {n}, v = {v}");
                }
            }
        }
    }

    #[test]
    fn less_than_constant_on_constant_bits() {
        let bits = |v: u64| (0..4).map(|i| Boolean::constant((v >> i) & 1 == 1)).collect::<Vec<_>>();
        assert!(enforce_less_than_constant(&bits(5), &BigUint::from(6u8)).is_ok());
        assert_eq!(
            enforce_less_than_constant(&bits(6), &BigUint::from(6u8)).unwrap_err(),
            SynthesisError::Unsatisfiable
        );
    }

    #[test]
    fn below_subgroup_order_accepts_exactly_the_residues() {
        let l = modulus::<Scalar>();
        let r = modulus::<Fr>();
        let cases = [
            (BigUint::ZERO, true),
            (BigUint::from(1u8), true),
            (&l - 1u8, true),
            (l.clone(), false),
            (&l + 1u8, false),
            (&l + 12345u32, false),
            ((BigUint::from(1u8) << 251) - 1u8, false),
            (BigUint::from(1u8) << 251, false),
            (&r - 1u8, false),
            (&r - 2u8, false),
            ((&r - 1u8) >> 1, false),
        ];
        for (v, ok) in cases {
            let cs = cs();
            let var = FpVar::new_witness(cs.clone(), || Ok(to_fr(&v))).unwrap();
            let bits = enforce_below_subgroup_order(&var).unwrap();
            assert_eq!(bits.len(), SCALAR_BITS);
            assert_eq!(cs.num_constraints(), SCALAR_BITS + 1 + LESS_THAN_L_CONSTRAINTS);
            assert_eq!(cs.is_satisfied().unwrap(), ok, "v = {v}");
        }
    }

    #[test]
    fn scalar_bits_is_the_bit_length_of_l() {
        let l = modulus::<Scalar>();
        assert_eq!(l.bits() as usize, SCALAR_BITS);
        assert_eq!(SCALAR_BITS, 251);
        assert_eq!(l.to_str_radix(10), psephos_primitives::babyjubjub::SUBGROUP_ORDER_DECIMAL);
    }
}
