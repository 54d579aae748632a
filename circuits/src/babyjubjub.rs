//! Baby Jubjub (EIP-2494) in R1CS: the in-circuit twin of
//! [`psephos_primitives::babyjubjub`] (docs/spec/primitives.md §3).
//!
//! Coordinates are circomlib's: `a·x² + y² = 1 + d·x²·y²` with `a = 168700`,
//! `d = 168696` ([`COEFF_A`], [`COEFF_D`], imported, never copied). Since `a` is a
//! square and `d` is not, the twisted-Edwards addition law is *complete*: its
//! denominators `1 ± d·x₁x₂y₁y₂` never vanish on curve points, so [`PointVar::add`]
//! has no exceptional cases and each output coordinate is the unique solution of
//! one constraint.
//!
//! # Costs
//!
//! | operation | constraints |
//! | --- | --- |
//! | [`PointVar::add`] (two variable points) | 6 |
//! | [`PointVar::add`] (one constant point) | 3 |
//! | [`PointVar::assert_on_curve`] | 3 |
//! | [`PointVar::mul_base8_le`], `n` bits | 3 per full 3-bit window lookup + 6 per window after the first; 748 for `n = 251` |

use std::sync::OnceLock;

use ark_bn254::Fr;
use ark_ff::Field;
use ark_r1cs_std::{
    alloc::{AllocVar, AllocationMode},
    boolean::Boolean,
    fields::fp::FpVar,
    GR1CSVar,
};
use ark_relations::gr1cs::{Namespace, SynthesisError};
use psephos_primitives::babyjubjub::{Point, Scalar, COEFF_A, COEFF_D};

use crate::r1cs::{div, enforce_product, mul, square};

pub mod montgomery;

/// Bits per window of the fixed-base multiplication.
const WINDOW_BITS: usize = 3;
/// Entries per window table (`2^WINDOW_BITS`).
const WINDOW_SIZE: usize = 1 << WINDOW_BITS;
/// The longest bit string [`PointVar::mul_base8_le`] accepts (86 windows).
pub const MAX_SCALAR_BITS: usize = 258;

/// Constraints of [`PointVar::mul_base8_le`] on `n` variable bits: 3 per full
/// 3-bit window lookup, 1 for a final 2-bit window, and 6 per window after the
/// first (748 for `n = 251`, 45 for 16, 39 for 15).
pub const fn mul_base8_constraints(n: usize) -> usize {
    let windows = n.div_ceil(WINDOW_BITS);
    let lookups = (n / WINDOW_BITS) * 3 + if n % WINDOW_BITS == 2 { 1 } else { 0 };
    lookups + if windows > 1 { (windows - 1) * 6 } else { 0 }
}

/// A Baby Jubjub point in R1CS, in EIP-2494 affine coordinates `(x, y)`.
///
/// A `PointVar` built by [`PointVar::constant`], [`PointVar::add`] of curve points,
/// [`PointVar::mul_base8_le`] or allocation ([`AllocVar`], which enforces the curve
/// equation) lies on the curve. Allocation does **not** check subgroup membership
/// (that needs a scalar multiplication by `l`); validate public points natively with
/// [`Point::from_xy`] instead.
#[derive(Clone, Debug)]
pub struct PointVar {
    x: FpVar<Fr>,
    y: FpVar<Fr>,
}

impl PointVar {
    /// The constant point `p` (no variables, no constraints).
    pub fn constant(p: &Point) -> Self {
        Self { x: FpVar::Constant(p.x()), y: FpVar::Constant(p.y()) }
    }

    /// The identity `(0, 1)` as a constant.
    pub fn identity() -> Self {
        Self::constant(&Point::IDENTITY)
    }

    /// Wraps two coordinates **without any check**: the caller must ensure the
    /// point is on the curve (for example with [`PointVar::assert_on_curve`]).
    pub fn from_coordinates_unchecked(x: FpVar<Fr>, y: FpVar<Fr>) -> Self {
        Self { x, y }
    }

    /// The x coordinate.
    pub fn x(&self) -> &FpVar<Fr> {
        &self.x
    }

    /// The y coordinate.
    pub fn y(&self) -> &FpVar<Fr> {
        &self.y
    }

    /// The native point, if the assignment is known and is a valid subgroup point.
    pub fn value(&self) -> Result<Point, SynthesisError> {
        Point::from_xy(self.x.value()?, self.y.value()?, "PointVar")
            .map_err(|_| SynthesisError::Unsatisfiable)
    }

    /// Enforces the curve equation `a·x² + y² = 1 + d·x²·y²` in 3 constraints:
    /// `x² = x·x`, `y² = y·y`, `(d·x²)·y² = a·x² + y² − 1`.
    pub fn assert_on_curve(&self) -> Result<(), SynthesisError> {
        let x2 = square(&self.x)?;
        let y2 = square(&self.y)?;
        let rhs = &x2 * COEFF_A + &y2 - Fr::ONE;
        enforce_product(&(&x2 * COEFF_D), &y2, &rhs)
    }

    /// The complete twisted-Edwards sum (circomlib's `BabyAdd`):
    ///
    /// ```text
    /// β = x₁·y₂, γ = y₁·x₂, δ = (−a·x₁ + y₁)·(x₂ + y₂), τ = β·γ
    /// x₃·(1 + d·τ) = β + γ
    /// y₃·(1 − d·τ) = δ + a·β − γ          (= y₁y₂ − a·x₁x₂)
    /// ```
    ///
    /// Six constraints for two variable points, three if one is a constant, none
    /// for two constants. Both inputs must be on the curve; then the denominators
    /// are non-zero and `x₃`, `y₃` are uniquely determined.
    pub fn add(&self, other: &Self) -> Result<Self, SynthesisError> {
        let beta = mul(&self.x, &other.y)?;
        let gamma = mul(&self.y, &other.x)?;
        let delta = mul(&(&self.y - &self.x * COEFF_A), &(&other.x + &other.y))?;
        let tau = mul(&beta, &gamma)?;
        let x_num = &beta + &gamma;
        let x_den = &tau * COEFF_D + Fr::ONE;
        let y_num = &delta + &beta * COEFF_A - &gamma;
        let y_den = FpVar::Constant(Fr::ONE) - &tau * COEFF_D;
        Ok(Self { x: div(&x_num, &x_den)?, y: div(&y_num, &y_den)? })
    }

    /// `k · Base8` for the little-endian bits of `k` (any `k < 2^n`, `n ≤`
    /// [`MAX_SCALAR_BITS`]), twin of [`Point::mul_base8`] on `k mod l`.
    ///
    /// Fixed-base windowed method: the bits are cut into 3-bit windows; window `w`
    /// selects `j·2^{3w}·Base8` (`j ∈ 0..8`, precomputed constants) by multilinear
    /// interpolation in its bits — one product `b₀b₁` and one product by `b₂` per
    /// coordinate, 3 constraints (1 for a 2-bit window, 0 for a 1-bit window) — and
    /// the selected points are summed with the complete addition (6 constraints,
    /// none for the first window). For 251 bits (a scalar `< l`): 83 full windows and
    /// one of 2 bits, `83·3 + 1 + 83·6 = 748` constraints.
    ///
    /// Longer bit strings are `ArityMismatch`.
    pub fn mul_base8_le(bits: &[Boolean<Fr>]) -> Result<Self, SynthesisError> {
        let bits: Vec<FpVar<Fr>> = bits.iter().map(|b| FpVar::from(b.clone())).collect();
        Self::mul_base8_le_unchecked_bits(&bits)
    }

    /// [`PointVar::mul_base8_le`] on bits given as field variables.
    ///
    /// **Warning: the bits are not checked.** Each must already be constrained to
    /// `{0, 1}`; a non-Boolean "bit" selects a point off the curve.
    pub(crate) fn mul_base8_le_unchecked_bits(bits: &[FpVar<Fr>]) -> Result<Self, SynthesisError> {
        if bits.len() > MAX_SCALAR_BITS {
            return Err(SynthesisError::ArityMismatch);
        }
        let tables = window_tables();
        let mut acc: Option<PointVar> = None;
        for (window, table) in bits.chunks(WINDOW_BITS).zip(tables) {
            let selected = lookup(window, table)?;
            acc = Some(match acc {
                None => selected,
                Some(acc) => acc.add(&selected)?,
            });
        }
        Ok(acc.unwrap_or_else(Self::identity))
    }
}

impl AllocVar<Point, Fr> for PointVar {
    /// Allocates both coordinates and enforces the curve equation (3 constraints).
    /// Subgroup membership is not enforced (see [`PointVar`]).
    fn new_variable<T: std::borrow::Borrow<Point>>(
        cs: impl Into<Namespace<Fr>>,
        f: impl FnOnce() -> Result<T, SynthesisError>,
        mode: AllocationMode,
    ) -> Result<Self, SynthesisError> {
        let ns = cs.into();
        let cs = ns.cs();
        let point = f().map(|p| *p.borrow());
        let x = FpVar::new_variable(cs.clone(), || point.map(|p| p.x()), mode)?;
        let y = FpVar::new_variable(cs, || point.map(|p| p.y()), mode)?;
        let p = Self { x, y };
        if mode != AllocationMode::Constant {
            p.assert_on_curve()?;
        }
        Ok(p)
    }
}

/// The constant tables `T_w[j] = j·2^{3w}·Base8`, `j ∈ 0..8`, for every window.
fn window_tables() -> &'static [[Point; WINDOW_SIZE]] {
    static TABLES: OnceLock<Vec<[Point; WINDOW_SIZE]>> = OnceLock::new();
    TABLES.get_or_init(|| {
        let windows = MAX_SCALAR_BITS.div_ceil(WINDOW_BITS);
        let mut base = Point::BASE8;
        let mut tables = Vec::with_capacity(windows);
        for _ in 0..windows {
            let mut row = [Point::IDENTITY; WINDOW_SIZE];
            for j in 1..WINDOW_SIZE {
                row[j] = row[j - 1] + base;
            }
            tables.push(row);
            base = base.mul(&Scalar::from(WINDOW_SIZE as u64));
        }
        tables
    })
}

/// Selects `table[Σ bits_i·2^i]` (1 to 3 Boolean bits) by multilinear interpolation.
fn lookup(bits: &[FpVar<Fr>], table: &[Point; WINDOW_SIZE]) -> Result<PointVar, SynthesisError> {
    let xs: Vec<Fr> = table.iter().map(Point::x).collect();
    let ys: Vec<Fr> = table.iter().map(Point::y).collect();
    match bits {
        [b0] => Ok(PointVar { x: select1(b0, xs[0], xs[1]), y: select1(b0, ys[0], ys[1]) }),
        [b0, b1] => {
            let b01 = mul(b0, b1)?;
            Ok(PointVar { x: select2(b0, b1, &b01, &xs[..4]), y: select2(b0, b1, &b01, &ys[..4]) })
        }
        [b0, b1, b2] => {
            let b01 = mul(b0, b1)?;
            let coordinate = |c: &[Fr]| -> Result<FpVar<Fr>, SynthesisError> {
                let low = select2(b0, b1, &b01, &c[..4]);
                let high = select2(b0, b1, &b01, &c[4..]);
                Ok(&low + mul(b2, &(&high - &low))?)
            };
            Ok(PointVar { x: coordinate(&xs)?, y: coordinate(&ys)? })
        }
        _ => Err(SynthesisError::ArityMismatch),
    }
}

/// `c[b]` for a bit `b`: `c₀ + b·(c₁ − c₀)` (linear).
fn select1(b: &FpVar<Fr>, c0: Fr, c1: Fr) -> FpVar<Fr> {
    b * (c1 - c0) + c0
}

/// `c[b₀ + 2b₁]` given `b01 = b₀·b₁`: `c₀ + b₀(c₁−c₀) + b₁(c₂−c₀) + b₀b₁(c₃−c₂−c₁+c₀)` (linear).
fn select2(b0: &FpVar<Fr>, b1: &FpVar<Fr>, b01: &FpVar<Fr>, c: &[Fr]) -> FpVar<Fr> {
    b0 * (c[1] - c[0]) + b1 * (c[2] - c[0]) + b01 * (c[3] - c[2] - c[1] + c[0]) + c[0]
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ff::PrimeField;
    use ark_relations::gr1cs::{ConstraintSystem, ConstraintSystemRef, OptimizationGoal};
    use ark_std::UniformRand;
    use num_bigint::BigUint;
    use psephos_primitives::field::{decimal_to_field, modulus};
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;

    fn cs() -> ConstraintSystemRef<Fr> {
        let cs = ConstraintSystem::<Fr>::new_ref();
        cs.set_optimization_goal(OptimizationGoal::Constraints);
        cs
    }

    fn witness_point(cs: &ConstraintSystemRef<Fr>, x: Fr, y: Fr) -> PointVar {
        PointVar::from_coordinates_unchecked(
            FpVar::new_witness(cs.clone(), || Ok(x)).unwrap(),
            FpVar::new_witness(cs.clone(), || Ok(y)).unwrap(),
        )
    }

    fn bits_of(k: &BigUint, n: usize, cs: &ConstraintSystemRef<Fr>) -> Vec<Boolean<Fr>> {
        (0..n).map(|i| Boolean::new_witness(cs.clone(), || Ok(k.bit(i as u64))).unwrap()).collect()
    }

    fn vectors() -> serde_json::Value {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../test-vectors/babyjubjub.json"))
                .expect("test-vectors/babyjubjub.json");
        serde_json::from_str(&text).unwrap()
    }

    fn xy(v: &serde_json::Value) -> Option<(Fr, Fr)> {
        let x = decimal_to_field(v["x"].as_str()?, "x").ok()?;
        let y = decimal_to_field(v["y"].as_str()?, "y").ok()?;
        Some((x, y))
    }

    #[test]
    fn add_matches_native_including_doubling_and_inverse() {
        let mut rng = ChaCha20Rng::seed_from_u64(2);
        let p = Point::mul_base8(&Scalar::rand(&mut rng));
        let q = Point::mul_base8(&Scalar::rand(&mut rng));
        for (a, b) in [(p, q), (p, p), (p, -p), (Point::IDENTITY, p), (p, Point::IDENTITY)] {
            let cs = cs();
            let sum = witness_point(&cs, a.x(), a.y()).add(&witness_point(&cs, b.x(), b.y())).unwrap();
            assert_eq!(sum.value().unwrap(), a + b);
            assert_eq!(cs.num_constraints(), 6);
            assert!(cs.is_satisfied().unwrap());
            // Variable + constant costs 3 constraints.
            let cs = self::cs();
            let sum = witness_point(&cs, a.x(), a.y()).add(&PointVar::constant(&b)).unwrap();
            assert_eq!(sum.value().unwrap(), a + b);
            assert_eq!(cs.num_constraints(), 3);
            assert!(cs.is_satisfied().unwrap());
        }
        let constant = PointVar::constant(&p).add(&PointVar::constant(&q)).unwrap();
        assert!(matches!(constant.x(), FpVar::Constant(x) if *x == (p + q).x()));
    }

    #[test]
    fn add_matches_circomlibjs_vectors_including_torsion() {
        let json = vectors();
        let mut checked = 0;
        for group in json["testGroups"].as_array().unwrap().iter().filter(|g| g["type"] == "PointAdd") {
            for t in group["tests"].as_array().unwrap() {
                let (px, py) = xy(&t["p"]).unwrap();
                let (qx, qy) = xy(&t["q"]).unwrap();
                let (sx, sy) = xy(&t["sum"]).unwrap();
                let cs = cs();
                let p = witness_point(&cs, px, py);
                let q = witness_point(&cs, qx, qy);
                p.assert_on_curve().unwrap();
                q.assert_on_curve().unwrap();
                let sum = p.add(&q).unwrap();
                assert_eq!(
                    (sum.x().value().unwrap(), sum.y().value().unwrap()),
                    (sx, sy),
                    "{}",
                    t["comment"]
                );
                assert!(cs.is_satisfied().unwrap(), "{}", t["comment"]);
                checked += 1;
            }
        }
        assert_eq!(checked, 16);
    }

    #[test]
    fn assert_on_curve_matches_vectors() {
        let json = vectors();
        let mut checked = 0;
        for group in json["testGroups"].as_array().unwrap().iter().filter(|g| g["type"] == "SubgroupCheck") {
            for t in group["tests"].as_array().unwrap() {
                // Coordinates ≥ p are not field elements at all; the decoders refuse them.
                let Some((x, y)) = xy(&t["point"]) else { continue };
                let cs = cs();
                witness_point(&cs, x, y).assert_on_curve().unwrap();
                assert_eq!(cs.num_constraints(), 3);
                assert_eq!(cs.is_satisfied().unwrap(), t["onCurve"].as_bool().unwrap(), "{}", t["comment"]);
                checked += 1;
            }
        }
        assert!(checked >= 20);
    }

    #[test]
    fn allocation_enforces_the_curve_equation() {
        let cs = cs();
        let p = PointVar::new_witness(cs.clone(), || Ok(Point::BASE8)).unwrap();
        assert_eq!(p.value().unwrap(), Point::BASE8);
        assert_eq!(cs.num_constraints(), 3);
        assert!(cs.is_satisfied().unwrap());
        // Corrupt y in the assignment: the curve equation fails.
        cs.borrow_mut().unwrap().assignments.witness_assignment[1] += Fr::ONE;
        cs.borrow_mut().unwrap().assignments.lc_assignment.clear();
        assert!(!cs.is_satisfied().unwrap());
    }

    #[test]
    fn mul_base8_matches_native() {
        let mut rng = ChaCha20Rng::seed_from_u64(3);
        let l = modulus::<Scalar>();
        let mut scalars: Vec<BigUint> = vec![
            BigUint::from(0u8),
            BigUint::from(1u8),
            BigUint::from(7u8),
            BigUint::from(8u8),
            &l - 1u8,
            (BigUint::from(1u8) << 250) + 1u8,
        ];
        scalars.extend((0..3).map(|_| Scalar::rand(&mut rng).into_bigint().into()));
        for k in scalars {
            let cs = cs();
            let bits = bits_of(&k, 251, &cs);
            let pk = PointVar::mul_base8_le(&bits).unwrap();
            let expected = Point::mul_base8(&Scalar::from(k.clone()));
            assert_eq!(pk.value().unwrap(), expected, "k = {k}");
            assert_eq!(cs.num_constraints(), 251 + 748, "251 booleanity + 748");
            assert!(cs.is_satisfied().unwrap());
        }
    }

    #[test]
    fn mul_base8_matches_circomlibjs_vectors_with_unreduced_scalars() {
        let json = vectors();
        let mut checked = 0;
        for group in json["testGroups"].as_array().unwrap().iter().filter(|g| g["type"] == "ScalarMulBase8") {
            for t in group["tests"].as_array().unwrap() {
                let k = BigUint::parse_bytes(t["scalar"].as_str().unwrap().as_bytes(), 10).unwrap();
                assert!(k.bits() <= 253);
                let (x, y) = xy(&t["point"]).unwrap();
                let cs = cs();
                let pk = PointVar::mul_base8_le(&bits_of(&k, 253, &cs)).unwrap();
                assert_eq!((pk.x().value().unwrap(), pk.y().value().unwrap()), (x, y), "{}", t["comment"]);
                assert!(cs.is_satisfied().unwrap());
                checked += 1;
            }
        }
        assert_eq!(checked, 15);
    }

    #[test]
    fn mul_base8_of_constants_and_short_inputs() {
        let k = BigUint::from(0b1_0110_1101_u32);
        let bits: Vec<Boolean<Fr>> = (0..9).map(|i| Boolean::constant(k.bit(i))).collect();
        let pk = PointVar::mul_base8_le(&bits).unwrap();
        assert!(matches!(pk.x(), FpVar::Constant(_)));
        assert_eq!(pk.value().unwrap(), Point::mul_base8(&Scalar::from(k)));
        assert_eq!(PointVar::mul_base8_le(&[]).unwrap().value().unwrap(), Point::IDENTITY);
        let too_long = vec![Boolean::<Fr>::FALSE; MAX_SCALAR_BITS + 1];
        assert_eq!(PointVar::mul_base8_le(&too_long).unwrap_err(), SynthesisError::ArityMismatch);
        // 1-, 2- and 3-bit tails all interpolate correctly.
        for n in [1usize, 2, 3, 4, 5] {
            for v in 0u32..(1 << n) {
                let cs = cs();
                let k = BigUint::from(v);
                let pk = PointVar::mul_base8_le(&bits_of(&k, n, &cs)).unwrap();
                assert_eq!(pk.value().unwrap(), Point::mul_base8(&Scalar::from(v)));
                assert!(cs.is_satisfied().unwrap());
            }
        }
    }

    #[test]
    fn base8_constants_are_the_primitives_constants() {
        let t = window_tables();
        assert_eq!(t[0][1], Point::BASE8);
        assert_eq!(t[1][1], Point::mul_base8(&Scalar::from(8u64)));
        assert_eq!(t.len(), MAX_SCALAR_BITS.div_ceil(WINDOW_BITS));
        assert_eq!(t[0][1].x(), psephos_primitives::babyjubjub::BASE8_X);
        assert_eq!(t[0][1].y(), psephos_primitives::babyjubjub::BASE8_Y);
    }
}
