//! The Groth16 prover (docs/snark.md §"Proving").
//!
//! [`prove`] synthesizes the circuit once, refuses an unsatisfied witness with the
//! name of the first failing constraint, checks that the circuit's public inputs
//! are the ones the caller expects, proves with arkworks (libsnark's R1CS-to-QAP
//! reduction), and verifies its own proof before returning it.

use ark_bn254::{Bn254, Fr};
use ark_ff::UniformRand;
use ark_groth16::Groth16;
use ark_relations::gr1cs::{
    predicate::polynomial_constraint::R1CS_PREDICATE_LABEL, ConstraintSynthesizer, ConstraintSystem,
    OptimizationGoal, SynthesisMode,
};
use rand_core::{CryptoRng, RngCore};

use crate::{verifier, Error, Proof, ProvingKey};

/// Proves that `circuit`'s witness satisfies its constraints, for the public inputs
/// `public_inputs` (in the circuit's allocation order, without the constant 1).
///
/// The two Groth16 blinding scalars `r, s` are drawn from `rng`; a proof made with
/// a predictable `rng` leaks the witness.
///
/// # Errors
///
/// - [`Error::Synthesis`]: `generate_constraints` failed (e.g. a missing assignment);
/// - [`Error::UnsupportedPredicate`]: the circuit uses non-R1CS gr1cs predicates;
/// - [`Error::Unsatisfied`]: the witness does not satisfy the circuit;
/// - [`Error::KeyMismatch`]: the circuit's public-input count differs from the key's;
/// - [`Error::PublicInputMismatch`]: `public_inputs` differs from the circuit's
///   instance assignment;
/// - [`Error::SelfCheck`]: the proof does not verify against the key (a bug, or a
///   proving key that does not match its verifying key).
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
    cs.finalize();

    for (label, count) in cs.get_all_predicates_num_constraints() {
        if label != R1CS_PREDICATE_LABEL && count > 0 {
            return Err(Error::UnsupportedPredicate);
        }
    }
    if !cs.is_satisfied()? {
        return Err(Error::Unsatisfied { constraint: cs.which_is_unsatisfied()? });
    }

    let instance = cs.instance_assignment()?;
    let witness = cs.witness_assignment()?;
    let num_instance = cs.num_instance_variables();
    let expected = pk.verifying_key().num_public_inputs();
    let got = num_instance.saturating_sub(1);
    if got != expected {
        return Err(Error::KeyMismatch { expected, got });
    }
    let circuit_inputs = instance.get(1..).unwrap_or_default();
    if circuit_inputs != public_inputs {
        let index = circuit_inputs
            .iter()
            .zip(public_inputs)
            .position(|(a, b)| a != b)
            .unwrap_or(circuit_inputs.len().min(public_inputs.len()));
        return Err(Error::PublicInputMismatch { index });
    }

    let matrices = cs.to_matrices()?;
    let r1cs = matrices.get(R1CS_PREDICATE_LABEL).ok_or(Error::UnsupportedPredicate)?;
    let full_assignment = [instance, witness].concat();
    let r = Fr::rand(rng);
    let s = Fr::rand(rng);
    let proof = Groth16::<Bn254>::create_proof_with_reduction_and_matrices(
        pk.as_ark(),
        r,
        s,
        r1cs,
        num_instance,
        cs.num_constraints(),
        &full_assignment,
    )?;
    let proof = Proof::from_ark(&proof).map_err(Error::SelfCheck)?;
    verifier::verify(pk.self_check_key(), public_inputs, &proof).map_err(Error::SelfCheck)?;
    Ok(proof)
}
