//! The Groth16 prover (docs/snark.md §"Proving").
//!
//! [`prove`] synthesizes the circuit once, refuses an unsatisfied witness with the
//! name of the first failing constraint, checks that the circuit's public inputs
//! are the ones the caller expects, proves (libsnark's R1CS-to-QAP reduction, as
//! `ark-groth16`), and verifies its own proof before returning it.
//!
//! **Fast path.** When the [`ProvingKey`] holds the circuit's constraint matrices
//! and the circuit has their sizes, the witness is checked against those matrices
//! (`A·z ∘ B·z = C·z`) and the proof is made from them: no inlining of linear
//! combinations, no matrix construction, no arkworks satisfaction check (which
//! re-evaluates every linear combination). Anything else — no matrices yet, other
//! sizes, a witness that fails the cached matrices, a proof that fails the
//! self-check — takes the **exact path**: the circuit's own matrices, arkworks'
//! naming of the failing constraint, and the same errors as always. A key without
//! matrices keeps those of its first successful proof.

use ark_bn254::{Bn254, Fr, G1Projective, G2Projective};
use ark_ec::CurveGroup;
use ark_ff::{FftField, Field, UniformRand};
use ark_poly::{EvaluationDomain, GeneralEvaluationDomain};
use ark_relations::gr1cs::{
    predicate::polynomial_constraint::R1CS_PREDICATE_LABEL, ConstraintSynthesizer, ConstraintSystem,
    ConstraintSystemRef, OptimizationGoal, SynthesisError, SynthesisMode,
};
use rand_core::{CryptoRng, RngCore};

use crate::{msm::msm, r1cs::R1csShape, verifier, Error, Proof, ProvingKey};

/// Proves that `circuit`'s witness satisfies its constraints, for the public inputs
/// `public_inputs` (in the circuit's allocation order, without the constant 1).
///
/// The two Groth16 blinding scalars `r, s` are drawn from `rng`; a proof made with
/// a predictable `rng` leaks the witness.
///
/// A key without constraint matrices (read with
/// [`ProvingKey::from_ark`]) takes them from the first proof that succeeds; that
/// proof is slower than the next ones.
///
/// # Errors
///
/// - [`Error::Synthesis`]: `generate_constraints` failed (e.g. a missing assignment);
/// - [`Error::UnsupportedPredicate`]: the circuit uses non-R1CS gr1cs predicates;
/// - [`Error::Unsatisfied`]: the witness does not satisfy the circuit;
/// - [`Error::KeyMismatch`]: the circuit's public-input count differs from the key's;
/// - [`Error::PublicInputMismatch`]: `public_inputs` differs from the circuit's
///   instance assignment;
/// - [`Error::ShapeMismatch`]: the circuit's sizes (variables, constraints) are not
///   the key's;
/// - [`Error::SelfCheck`]: the proof does not verify against the key (a bug, a
///   circuit with the key's sizes but other constraints, or a proving key that
///   does not match its verifying key).
pub fn prove<C: ConstraintSynthesizer<Fr>>(
    pk: &ProvingKey,
    circuit: C,
    public_inputs: &[Fr],
    rng: &mut (impl RngCore + CryptoRng),
) -> Result<Proof, Error> {
    let cs = ConstraintSystem::<Fr>::new_ref();
    cs.set_optimization_goal(OptimizationGoal::Constraints);
    cs.set_mode(SynthesisMode::Prove { construct_matrices: true, generate_lc_assignments: false });
    circuit.generate_constraints(cs.clone())?;
    check_predicates(&cs)?;

    let z = [cs.instance_assignment()?, cs.witness_assignment()?].concat();
    let mut blinding = None;

    // Fast path: the key's matrices.
    if let Some(shape) = pk.shape().filter(|shape| shape.same_sizes(&cs)) {
        let domain = domain(shape)?;
        let evals = shape.evaluate(&z, domain.size());
        if shape.first_unsatisfied(&evals).is_none() {
            check_public_inputs(&z[1..shape.num_instance], public_inputs)?;
            let (r, s) = *blinding.get_or_insert_with(|| (Fr::rand(rng), Fr::rand(rng)));
            if let Ok(proof) = prove_and_check(pk, shape, domain, &z, evals, public_inputs, r, s) {
                return Ok(proof);
            }
        }
    }

    // Exact path: the circuit's own matrices.
    cs.finalize();
    let shape = R1csShape::from_cs(&cs)?;
    let domain = domain(&shape)?;
    let evals = shape.evaluate(&z, domain.size());
    if shape.first_unsatisfied(&evals).is_some() {
        return Err(Error::Unsatisfied { constraint: cs.which_is_unsatisfied()? });
    }
    let expected = pk.verifying_key().num_public_inputs();
    let got = shape.num_instance.saturating_sub(1);
    if got != expected {
        return Err(Error::KeyMismatch { expected, got });
    }
    check_public_inputs(&z[1..shape.num_instance], public_inputs)?;
    pk.check_shape(&shape)?;
    let (r, s) = *blinding.get_or_insert_with(|| (Fr::rand(rng), Fr::rand(rng)));
    let proof = prove_and_check(pk, &shape, domain, &z, evals, public_inputs, r, s)?;
    if pk.shape().is_none() {
        pk.remember_shape(shape);
    }
    Ok(proof)
}

/// Refuses constraint systems with constraints outside the R1CS predicate.
pub(crate) fn check_predicates(cs: &ConstraintSystemRef<Fr>) -> Result<(), Error> {
    for (label, count) in cs.get_all_predicates_num_constraints() {
        if label != R1CS_PREDICATE_LABEL && count > 0 {
            return Err(Error::UnsupportedPredicate);
        }
    }
    Ok(())
}

/// `PublicInputMismatch` unless the circuit's public inputs are the caller's.
fn check_public_inputs(circuit_inputs: &[Fr], public_inputs: &[Fr]) -> Result<(), Error> {
    if circuit_inputs != public_inputs {
        let index = circuit_inputs
            .iter()
            .zip(public_inputs)
            .position(|(a, b)| a != b)
            .unwrap_or(circuit_inputs.len().min(public_inputs.len()));
        return Err(Error::PublicInputMismatch { index });
    }
    Ok(())
}

/// The evaluation domain of the QAP: constraints plus one row per instance
/// variable, rounded up (arkworks' choice, which the key's `h_query` follows).
fn domain(shape: &R1csShape) -> Result<GeneralEvaluationDomain<Fr>, Error> {
    GeneralEvaluationDomain::new(shape.num_constraints + shape.num_instance)
        .ok_or(Error::Synthesis(SynthesisError::PolynomialDegreeTooLarge))
}

/// Proves with `shape` (which fits `pk`: [`ProvingKey::check_shape`]) and verifies
/// the proof against the key.
#[allow(clippy::too_many_arguments)]
fn prove_and_check(
    pk: &ProvingKey,
    shape: &R1csShape,
    domain: GeneralEvaluationDomain<Fr>,
    z: &[Fr],
    evals: [Vec<Fr>; 3],
    public_inputs: &[Fr],
    r: Fr,
    s: Fr,
) -> Result<Proof, Error> {
    let proof = groth16_proof(pk.as_ark(), shape, domain, z, evals, r, s);
    let proof = Proof::from_ark(&proof).map_err(Error::SelfCheck)?;
    verifier::verify(pk.self_check_key(), public_inputs, &proof).map_err(Error::SelfCheck)?;
    Ok(proof)
}

/// The Groth16 proof with blinding `r, s` — the proof `ark-groth16`'s
/// `create_proof_with_reduction_and_matrices` (libsnark's reduction) makes for the
/// same `r, s` (tested) — from the constraint evaluations
/// `evals = (A·z, B·z, C·z)`, with the key's queries `aᵢ, b₁ᵢ, b₂ᵢ, lᵢ, Hᵢ`:
///
/// ```text
/// A  = α₁ + Σ zᵢ·aᵢ + r·δ₁
/// B  = β₂ + Σ zᵢ·b₂ᵢ + s·δ₂
/// C  = s·A + r·B₁ − r·s·δ₁ + Σ_witness zᵢ·lᵢ + Σ hᵢ·Hᵢ,   B₁ = β₁ + Σ zᵢ·b₁ᵢ + s·δ₁
///    = s·A + r·β₁ + (Σ (r·zᵢ)·b₁ᵢ + Σ_witness zᵢ·lᵢ + Σ hᵢ·Hᵢ)
/// ```
///
/// The bracket is one MSM (wider Pippenger windows than three); `A` and `B` are
/// computed while the witness map runs.
fn groth16_proof(
    pk: &ark_groth16::ProvingKey<Bn254>,
    shape: &R1csShape,
    domain: GeneralEvaluationDomain<Fr>,
    z: &[Fr],
    evals: [Vec<Fr>; 3],
    r: Fr,
    s: Fr,
) -> ark_groth16::Proof<Bn254> {
    let witness = &z[shape.num_instance..];
    // `h` is needed by the last MSM only: the others run meanwhile.
    let (rest, (a, b2)) = join(
        || {
            let h = witness_map(shape, domain, &z[..shape.num_instance], evals);
            let rz = scaled(z, r);
            msm(&[(&pk.b_g1_query, &rz), (&pk.l_query, witness), (&pk.h_query, &h)])
        },
        || join(|| msm(&[(&pk.a_query, z)]), || msm(&[(&pk.b_g2_query, z)])),
    );
    let g_a: G1Projective = a + pk.vk.alpha_g1 + pk.delta_g1 * r;
    let g2_b: G2Projective = b2 + pk.vk.beta_g2 + pk.vk.delta_g2 * s;
    let g_c = g_a * s + pk.beta_g1 * r + rest;
    ark_groth16::Proof { a: g_a.into_affine(), b: g2_b.into_affine(), c: g_c.into_affine() }
}

/// The coefficients of `h = (A(X)·B(X) − C(X)) / (Xⁿ − 1)`, where `A, B, C`
/// interpolate the evaluations `(A·z, B·z, C·z)` over the domain, with the
/// instance values appended to `A·z` (libsnark's reduction, as `ark-groth16`'s
/// `LibsnarkReduction::witness_map_from_matrices`).
fn witness_map(
    shape: &R1csShape,
    domain: GeneralEvaluationDomain<Fr>,
    instance: &[Fr],
    [mut a, mut b, mut c]: [Vec<Fr>; 3],
) -> Vec<Fr> {
    let m = shape.num_constraints;
    a[m..m + instance.len()].copy_from_slice(instance);
    let coset = domain.get_coset(Fr::GENERATOR).expect("the multiplicative generator is outside the domain");
    let to_coset = |v: &mut Vec<Fr>| {
        domain.ifft_in_place(v);
        coset.fft_in_place(v);
    };
    join(|| to_coset(&mut a), || join(|| to_coset(&mut b), || to_coset(&mut c)));
    let vanishing_inv = domain
        .evaluate_vanishing_polynomial(Fr::GENERATOR)
        .inverse()
        .expect("the vanishing polynomial is non-zero outside the domain");
    for ((a, b), c) in a.iter_mut().zip(&b).zip(&c) {
        *a = (*a * b - c) * vanishing_inv;
    }
    coset.ifft_in_place(&mut a);
    a
}

/// `factor·v`.
fn scaled(v: &[Fr], factor: Fr) -> Vec<Fr> {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        v.par_iter().map(|x| *x * factor).collect()
    }
    #[cfg(not(feature = "parallel"))]
    v.iter().map(|x| *x * factor).collect()
}

/// `rayon::join` with the `parallel` feature, sequential without.
fn join<A: Send, B: Send>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B + Send) -> (A, B) {
    #[cfg(feature = "parallel")]
    return rayon::join(a, b);
    #[cfg(not(feature = "parallel"))]
    (a(), b())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_groth16::Groth16;
    use ark_relations::gr1cs::{ConstraintSystemRef, LinearCombination};
    use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};

    /// `x_{i+1} = x_i² + i·x_0 + w_i` for `n` steps, with `x_0` and `x_n` public and
    /// every `w_i` a witness: enough terms for the prover's own MSM.
    struct Chain {
        n: usize,
        x0: Option<Fr>,
    }

    impl Chain {
        fn output(&self) -> Option<Fr> {
            let x0 = self.x0?;
            Some((0..self.n).fold(x0, |x, i| x * x + Fr::from(i as u64) * x0 + Fr::from(3 * i as u64 + 1)))
        }
    }

    impl ConstraintSynthesizer<Fr> for Chain {
        fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
            let missing = || SynthesisError::AssignmentMissing;
            let x0v = cs.new_input_variable(|| self.x0.ok_or_else(missing))?;
            let out = cs.new_input_variable(|| self.output().ok_or_else(missing))?;
            let (mut x, mut xv) = (self.x0, x0v);
            for i in 0..self.n {
                let w = Fr::from(3 * i as u64 + 1);
                let wv = cs.new_witness_variable(|| Ok(w))?;
                let next = x.map(|x| x * x + Fr::from(i as u64) * self.x0.unwrap_or_default() + w);
                let nv =
                    if i + 1 == self.n { out } else { cs.new_witness_variable(|| next.ok_or_else(missing))? };
                let rhs: LinearCombination<Fr> =
                    LinearCombination::from(nv) - (Fr::from(i as u64), x0v) - (Fr::from(1u64), wv);
                cs.enforce_r1cs_constraint(|| xv.into(), || xv.into(), || rhs)?;
                (x, xv) = (next, nv);
            }
            Ok(())
        }
    }

    #[test]
    fn setup_and_prove_synthesis_give_the_same_matrices() {
        let (pk, _) = crate::dev_setup(Chain { n: 50, x0: None }, &[1; 32]).expect("setup");
        let cs = ConstraintSystem::<Fr>::new_ref();
        cs.set_optimization_goal(OptimizationGoal::Constraints);
        Chain { n: 50, x0: Some(Fr::from(7u64)) }.generate_constraints(cs.clone()).expect("synthesis");
        cs.finalize();
        assert_eq!(pk.shape(), Some(&R1csShape::from_cs(&cs).expect("shape")));
    }

    #[test]
    fn proofs_equal_arkworks_for_the_same_blinding() {
        let mut rng = ChaCha20Rng::seed_from_u64(3);
        for n in [1usize, 40, 700] {
            let pk =
                Groth16::<Bn254>::generate_random_parameters_with_reduction(Chain { n, x0: None }, &mut rng)
                    .expect("setup");
            let circuit = Chain { n, x0: Some(Fr::from(5u64)) };
            let cs = ConstraintSystem::<Fr>::new_ref();
            cs.set_optimization_goal(OptimizationGoal::Constraints);
            circuit.generate_constraints(cs.clone()).expect("synthesis");
            cs.finalize();
            let shape = R1csShape::from_cs(&cs).expect("shape");
            let z = [cs.instance_assignment().expect("instance"), cs.witness_assignment().expect("witness")]
                .concat();
            let domain = domain(&shape).expect("domain");
            let evals = shape.evaluate(&z, domain.size());
            assert_eq!(shape.first_unsatisfied(&evals), None);
            let matrices = cs.to_matrices().expect("matrices");
            for (r, s) in [(Fr::rand(&mut rng), Fr::rand(&mut rng)), (Fr::from(0u64), Fr::from(0u64))] {
                let ours = groth16_proof(&pk, &shape, domain, &z, evals.clone(), r, s);
                let theirs = Groth16::<Bn254>::create_proof_with_reduction_and_matrices(
                    &pk,
                    r,
                    s,
                    &matrices[R1CS_PREDICATE_LABEL],
                    shape.num_instance,
                    shape.num_constraints,
                    &z,
                )
                .expect("arkworks proves");
                assert_eq!(ours, theirs, "n = {n}");
            }
        }
    }
}
