//! Shared test helpers: the Hermez power-8 fixture and a tiny circuit.
#![allow(dead_code, clippy::unwrap_used)]

use ark_bn254::Fr;
use ark_relations::{
    gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError},
    lc,
};
use std::path::PathBuf;

/// The repository root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `powersOfTau28_hez_final_08.ptau` from the crates.io package ppot-rs 0.1.1.
pub fn hermez8() -> Vec<u8> {
    std::fs::read(repo_root().join("test-vectors/ceremony/powersOfTau28_hez_final_08.ptau")).unwrap()
}

/// "I know w with w³ + w + 5 = x" for public x and y = w·x (two public inputs).
pub struct Cubic {
    /// The witness (None for a blank circuit).
    pub w: Option<Fr>,
}

impl Cubic {
    /// The public inputs (x, y) for witness w.
    pub fn publics(w: Fr) -> Vec<Fr> {
        let x = w * w * w + w + Fr::from(5u64);
        vec![x, w * x]
    }
}

impl ConstraintSynthesizer<Fr> for Cubic {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        let w_val = self.w;
        let x_val = w_val.map(|w| w * w * w + w + Fr::from(5u64));
        let x = cs.new_input_variable(|| x_val.ok_or(SynthesisError::AssignmentMissing))?;
        let y = cs.new_input_variable(|| {
            Ok(w_val.ok_or(SynthesisError::AssignmentMissing)?
                * x_val.ok_or(SynthesisError::AssignmentMissing)?)
        })?;
        let w = cs.new_witness_variable(|| w_val.ok_or(SynthesisError::AssignmentMissing))?;
        let w2 = cs.new_witness_variable(|| w_val.map(|w| w * w).ok_or(SynthesisError::AssignmentMissing))?;
        let w3 =
            cs.new_witness_variable(|| w_val.map(|w| w * w * w).ok_or(SynthesisError::AssignmentMissing))?;
        cs.enforce_r1cs_constraint(|| lc!() + w, || lc!() + w, || lc!() + w2)?;
        cs.enforce_r1cs_constraint(|| lc!() + w2, || lc!() + w, || lc!() + w3)?;
        cs.enforce_r1cs_constraint(
            || lc!() + w3 + w + (Fr::from(5u64), ark_relations::gr1cs::Variable::One),
            || lc!() + ark_relations::gr1cs::Variable::One,
            || lc!() + x,
        )?;
        cs.enforce_r1cs_constraint(|| lc!() + w, || lc!() + x, || lc!() + y)?;
        Ok(())
    }
}
