//! Low-level R1CS helpers shared by the gadgets (crate-private).
//!
//! arkworks' `FieldVar::mul_equals` accepts three constants without checking them and
//! `square_equals` allocates an *unconstrained* witness for a constant operand; the
//! gadgets here go through [`enforce_product`] instead, which always either emits
//! exactly one constraint or checks the constants natively.

use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, Field, Zero};
use ark_r1cs_std::{fields::fp::FpVar, GR1CSVar};
use ark_relations::gr1cs::{LinearCombination, SynthesisError, Variable};

/// The linear combination that `x` stands for.
pub(crate) fn lc(x: &FpVar<Fr>) -> LinearCombination<Fr> {
    match x {
        FpVar::Constant(c) => LinearCombination::from((*c, Variable::One)),
        FpVar::Var(v) => LinearCombination::from(v.variable),
    }
}

/// Enforces `a · b = c` with exactly one R1CS constraint, or, when all three are
/// constants, checks the equation natively (`Unsatisfiable` if it is false).
pub(crate) fn enforce_product(a: &FpVar<Fr>, b: &FpVar<Fr>, c: &FpVar<Fr>) -> Result<(), SynthesisError> {
    let cs = a.cs().or(b.cs()).or(c.cs());
    if cs.is_none() {
        return match (a, b, c) {
            (FpVar::Constant(a), FpVar::Constant(b), FpVar::Constant(c)) if *a * b == *c => Ok(()),
            _ => Err(SynthesisError::Unsatisfiable),
        };
    }
    cs.enforce_r1cs_constraint(|| lc(a), || lc(b), || lc(c))
}

/// Enforces `x ∈ {0, 1}` as `x · (x − 1) = 0` (one constraint).
pub(crate) fn enforce_boolean(x: &FpVar<Fr>) -> Result<(), SynthesisError> {
    enforce_product(x, &(x - Fr::ONE), &FpVar::Constant(Fr::ZERO))
}

/// Enforces `a = b` with one constraint `(a − b) · 1 = 0`, or natively for constants.
pub(crate) fn enforce_equal(a: &FpVar<Fr>, b: &FpVar<Fr>) -> Result<(), SynthesisError> {
    enforce_product(&(a - b), &FpVar::Constant(Fr::ONE), &FpVar::Constant(Fr::ZERO))
}

/// Allocates a witness whose value is computed by `f` (only called when proving).
pub(crate) fn witness(
    cs: &ark_relations::gr1cs::ConstraintSystemRef<Fr>,
    f: impl FnOnce() -> Result<Fr, SynthesisError>,
) -> Result<FpVar<Fr>, SynthesisError> {
    use ark_r1cs_std::alloc::AllocVar;
    FpVar::new_witness(cs.clone(), f)
}

/// `a · b` as a new variable (one constraint), or without a constraint when either
/// operand is a constant.
pub(crate) fn mul(a: &FpVar<Fr>, b: &FpVar<Fr>) -> Result<FpVar<Fr>, SynthesisError> {
    if matches!(a, FpVar::Constant(_)) || matches!(b, FpVar::Constant(_)) {
        return Ok(a * b);
    }
    let cs = a.cs().or(b.cs());
    let product = witness(&cs, || Ok(a.value()? * b.value()?))?;
    enforce_product(a, b, &product)?;
    Ok(product)
}

/// `x²` as a new variable (one constraint), free for a constant.
pub(crate) fn square(x: &FpVar<Fr>) -> Result<FpVar<Fr>, SynthesisError> {
    mul(x, x)
}

/// `num / den` as a new variable `q` with the constraint `q · den = num`.
/// The caller guarantees `den ≠ 0` for every satisfying assignment (otherwise `q`
/// would be free); honest witness generation fails with `DivisionByZero`.
pub(crate) fn div(num: &FpVar<Fr>, den: &FpVar<Fr>) -> Result<FpVar<Fr>, SynthesisError> {
    if let (FpVar::Constant(n), FpVar::Constant(d)) = (num, den) {
        let inv = d.inverse().ok_or(SynthesisError::DivisionByZero)?;
        return Ok(FpVar::Constant(*n * inv));
    }
    let cs = num.cs().or(den.cs());
    let q = witness(&cs, || {
        let inv = den.value()?.inverse().ok_or(SynthesisError::DivisionByZero)?;
        Ok(num.value()? * inv)
    })?;
    enforce_product(&q, den, num)?;
    Ok(q)
}

/// `num / den` as a new variable `q` with the constraint `q · den = num`, like
/// [`div`], except that witness generation never fails: a zero denominator assigns
/// `q = 0`, which satisfies the constraint only if `num = 0` too.
///
/// For gadgets whose denominators are non-zero for every valid input but may vanish
/// on adversarial or exceptional ones: the system is then left unsatisfied (or,
/// when `num = 0`, `q` is free), never a synthesis error. The caller must show that
/// `den ≠ 0` is enforced or implied wherever `q` must be unique.
pub(crate) fn quotient(num: &FpVar<Fr>, den: &FpVar<Fr>) -> Result<FpVar<Fr>, SynthesisError> {
    if let (FpVar::Constant(n), FpVar::Constant(d)) = (num, den) {
        let inv = d.inverse().ok_or(SynthesisError::Unsatisfiable)?;
        return Ok(FpVar::Constant(*n * inv));
    }
    let cs = num.cs().or(den.cs());
    let q = witness(&cs, || {
        let (n, d) = (num.value()?, den.value()?);
        Ok(d.inverse().map_or(Fr::ZERO, |inv| n * inv))
    })?;
    enforce_product(&q, den, num)?;
    Ok(q)
}

/// Enforces `x ≠ 0` with an inverse witness `w` and the constraint `w · x = 1`
/// (one constraint; natively for a constant). An honest `x = 0` assigns `w = 0`,
/// which leaves the constraint unsatisfied.
pub(crate) fn enforce_nonzero(x: &FpVar<Fr>) -> Result<(), SynthesisError> {
    if let FpVar::Constant(c) = x {
        return if c.is_zero() { Err(SynthesisError::Unsatisfiable) } else { Ok(()) };
    }
    let inv = witness(&x.cs(), || Ok(x.value()?.inverse().unwrap_or(Fr::ZERO)))?;
    enforce_product(&inv, x, &FpVar::Constant(Fr::ONE))
}

/// Enforces `a · b = 0`: one constraint for two variables, a linear constraint if one
/// operand is a non-zero constant, nothing if one is the constant 0.
pub(crate) fn enforce_product_is_zero(a: &FpVar<Fr>, b: &FpVar<Fr>) -> Result<(), SynthesisError> {
    match (a, b) {
        (FpVar::Var(_), FpVar::Var(_)) => enforce_product(a, b, &FpVar::Constant(Fr::ZERO)),
        _ => {
            let product = a * b;
            match product {
                FpVar::Constant(c) if c.is_zero() => Ok(()),
                _ => enforce_equal(&product, &FpVar::Constant(Fr::ZERO)),
            }
        }
    }
}
