//! The constraint matrices a proving key keeps (docs/snark.md §"Proving
//! performance"): proofs made from them verify, a key read from a file learns them
//! from its first successful proof (or from `with_circuit_matrices`), bad witnesses
//! and circuits of another shape are still refused, and wrong matrices never make
//! an invalid proof.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

#[path = "support/toy_circuit.rs"]
mod toy_circuit;

use ark_r1cs_std::{alloc::AllocVar, eq::EqGadget, fields::fp::FpVar};
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};
use psephos_snark::{dev_setup, prove, verify, Error, Fr, ProvingKey, SetupKind, VerifyError, VkPolicy};
use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};
use toy_circuit::Toy;

const SEED: [u8; 32] = [42u8; 32];

fn rng(n: u8) -> ChaCha20Rng {
    ChaCha20Rng::from_seed([n; 32])
}

/// The key of `dev_setup(Toy::blank(1))` as read from a file: no matrices.
fn key_from_file() -> ProvingKey {
    let (pk, _) = dev_setup(Toy::blank(1), &SEED).unwrap();
    ProvingKey::from_ark(pk.as_ark().clone(), SetupKind::Ceremony).unwrap()
}

fn assert_verifies(pk: &ProvingKey, inputs: &[Fr], proof: &psephos_snark::Proof) {
    let pvk = pk.verifying_key().prepare(&VkPolicy::development()).unwrap();
    verify(&pvk, inputs, proof).unwrap();
}

#[test]
fn dev_keys_carry_their_matrices_and_prove_with_them() {
    let (pk, _) = dev_setup(Toy::blank(1), &SEED).unwrap();
    assert!(pk.has_circuit_matrices());
    assert!(format!("{pk:?}").contains("has_circuit_matrices: true"));
    for (i, (a, b)) in [(3u64, 5u64), (1, 1), (0, 7), (123_456_789, 987_654_321)].into_iter().enumerate() {
        let toy = Toy::honest(a, b, 1);
        let inputs = toy.inputs();
        let proof = prove(&pk, toy, &inputs, &mut rng(i as u8)).unwrap();
        assert_verifies(&pk, &inputs, &proof);
    }
}

#[test]
fn keys_from_files_learn_their_matrices_from_the_first_proof() {
    let pk = key_from_file();
    assert!(!pk.has_circuit_matrices());
    let clone = pk.clone();
    let toy = Toy::honest(3, 5, 1);
    let inputs = toy.inputs();
    // First proof: the circuit's own matrices, then kept (clones share them).
    let first = prove(&pk, toy.clone(), &inputs, &mut rng(1)).unwrap();
    assert!(pk.has_circuit_matrices() && clone.has_circuit_matrices());
    let second = prove(&clone, toy, &inputs, &mut rng(2)).unwrap();
    assert_ne!(first, second);
    assert_verifies(&pk, &inputs, &first);
    assert_verifies(&pk, &inputs, &second);
    // Same blinding, same proof, with or without cached matrices.
    let (fresh, cached) = (key_from_file(), &pk);
    assert_eq!(
        prove(&fresh, Toy::honest(2, 9, 1), &Toy::honest(2, 9, 1).inputs(), &mut rng(3)).unwrap(),
        prove(cached, Toy::honest(2, 9, 1), &Toy::honest(2, 9, 1).inputs(), &mut rng(3)).unwrap()
    );
}

#[test]
fn matrices_can_be_attached_ahead_of_the_first_proof() {
    let pk = key_from_file().with_circuit_matrices(Toy::blank(1)).unwrap();
    assert!(pk.has_circuit_matrices());
    let toy = Toy::honest(4, 6, 1);
    let inputs = toy.inputs();
    let proof = prove(&pk, toy, &inputs, &mut rng(1)).unwrap();
    assert_verifies(&pk, &inputs, &proof);
    // A circuit of another shape is refused.
    assert!(matches!(key_from_file().with_circuit_matrices(Wide::blank()), Err(Error::ShapeMismatch { .. })));
    assert_eq!(
        key_from_file().with_circuit_matrices(Square(None)).unwrap_err(),
        Error::KeyMismatch { expected: 3, got: 1 }
    );
}

#[test]
fn unsatisfied_witnesses_are_still_refused() {
    let learned = key_from_file();
    prove(&learned, Toy::honest(3, 5, 1), &Toy::honest(3, 5, 1).inputs(), &mut rng(1)).unwrap();
    let (dev, _) = dev_setup(Toy::blank(1), &SEED).unwrap();
    for pk in [&dev, &learned, &key_from_file()] {
        let mut bad = Toy::honest(3, 5, 1);
        bad.b = Some(Fr::from(6u64));
        let inputs = bad.inputs();
        let err = prove(pk, bad, &inputs, &mut rng(1)).unwrap_err();
        // Named by arkworks (its index, or its namespace path with a tracing
        // `ConstraintLayer`).
        assert!(matches!(err, Error::Unsatisfied { constraint: Some(_) }), "{err:?}");
        // A wrong public input is a different error.
        let toy = Toy::honest(3, 5, 1);
        let mut wrong = toy.inputs();
        wrong[0] += Fr::from(1u64);
        assert_eq!(prove(pk, toy, &wrong, &mut rng(1)), Err(Error::PublicInputMismatch { index: 0 }));
    }
    // Refusals teach a key nothing.
    let pk = key_from_file();
    let mut bad = Toy::honest(3, 5, 1);
    bad.a = Some(Fr::from(4u64));
    let inputs = bad.inputs();
    assert!(matches!(prove(&pk, bad, &inputs, &mut rng(1)), Err(Error::Unsatisfied { .. })));
    assert!(!pk.has_circuit_matrices());
}

#[test]
fn circuits_of_another_shape_are_refused() {
    let learned = key_from_file();
    prove(&learned, Toy::honest(3, 5, 1), &Toy::honest(3, 5, 1).inputs(), &mut rng(1)).unwrap();
    let (dev, _) = dev_setup(Toy::blank(1), &SEED).unwrap();
    let fresh = key_from_file();
    for pk in [&dev, &learned, &fresh] {
        // Same public inputs, one more witness and constraint.
        let wide = Wide::honest(3, 5);
        let inputs = wide.inputs();
        let err = prove(pk, wide, &inputs, &mut rng(1)).unwrap_err();
        let Error::ShapeMismatch { what: "variables", expected, got } = err else { panic!("{err:?}") };
        assert_eq!(got, expected + 1);
        // Another number of public inputs.
        let three = Fr::from(3u64);
        assert_eq!(
            prove(pk, Square(Some(three)), &[three * three], &mut rng(1)),
            Err(Error::KeyMismatch { expected: 3, got: 1 })
        );
    }
    // The refused circuit was not learned.
    assert!(!fresh.has_circuit_matrices());
    // The key's own circuit still proves, with a key that saw the wrong one first.
    let toy = Toy::honest(3, 5, 1);
    let inputs = toy.inputs();
    let proof = prove(&fresh, toy, &inputs, &mut rng(2)).unwrap();
    assert_verifies(&fresh, &inputs, &proof);
}

#[test]
fn wrong_matrices_never_make_an_invalid_proof() {
    // Matrices of `k = 2` attached to the key of `k = 1` (same sizes: not detectable
    // without the setup's secrets).
    let pk = key_from_file().with_circuit_matrices(Toy::blank(2)).unwrap();
    // The key's own circuit fails the attached matrices, falls back to its own
    // and proves.
    let toy = Toy::honest(3, 5, 1);
    let inputs = toy.inputs();
    let proof = prove(&pk, toy, &inputs, &mut rng(1)).unwrap();
    assert_verifies(&pk, &inputs, &proof);
    // The `k = 2` circuit satisfies them, but its proof fails the self-check.
    let other = Toy::honest(3, 5, 2);
    let inputs = other.inputs();
    assert_eq!(prove(&pk, other, &inputs, &mut rng(1)), Err(Error::SelfCheck(VerifyError::InvalidProof)));
}

/// The toy statement with one more witness `c = a·b` and constraint: three public
/// inputs like `Toy`, more variables.
struct Wide {
    a: Option<Fr>,
    b: Option<Fr>,
}

impl Wide {
    fn blank() -> Self {
        Self { a: None, b: None }
    }

    fn honest(a: u64, b: u64) -> Self {
        Self { a: Some(Fr::from(a)), b: Some(Fr::from(b)) }
    }

    fn inputs(&self) -> Vec<Fr> {
        Toy::statement(self.a.unwrap(), self.b.unwrap(), 1).to_vec()
    }
}

impl ConstraintSynthesizer<Fr> for Wide {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        let missing = || SynthesisError::AssignmentMissing;
        let public = self.a.zip(self.b).map(|(a, b)| Toy::statement(a, b, 1));
        let x = FpVar::new_input(cs.clone(), || public.map(|p| p[0]).ok_or_else(missing))?;
        let y = FpVar::new_input(cs.clone(), || public.map(|p| p[1]).ok_or_else(missing))?;
        let z = FpVar::new_input(cs.clone(), || public.map(|p| p[2]).ok_or_else(missing))?;
        let a = FpVar::new_witness(cs.clone(), || self.a.ok_or_else(missing))?;
        let b = FpVar::new_witness(cs.clone(), || self.b.ok_or_else(missing))?;
        let c =
            FpVar::new_witness(cs.clone(), || self.a.zip(self.b).map(|(a, b)| a * b).ok_or_else(missing))?;
        (&a * &b).enforce_equal(&c)?;
        c.enforce_equal(&x)?;
        (&a + &b).enforce_equal(&y)?;
        (&a * &a + &b).enforce_equal(&z)?;
        Ok(())
    }
}

/// `w·w = x` with one public input.
struct Square(Option<Fr>);

impl ConstraintSynthesizer<Fr> for Square {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        let w = self.0;
        let x = FpVar::new_input(cs.clone(), || w.map(|w| w * w).ok_or(SynthesisError::AssignmentMissing))?;
        let w = FpVar::new_witness(cs, || w.ok_or(SynthesisError::AssignmentMissing))?;
        (&w * &w).enforce_equal(&x)
    }
}
