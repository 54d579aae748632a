//! A small test circuit with three public inputs, written with ark-r1cs-std.
//!
//! Statement (`k ≠ 0` selects one of several circuits with the same shape):
//!
//! ```text
//! public x, y, z; witness a, b:
//!     a·b = x,   a + b = y,   a² + b = k·z
//! ```
//!
//! `k` multiplies a *public* input on purpose: Groth16's verifying key depends on
//! the circuit only through the public inputs' columns (`IC`), so two circuits
//! that differ only in witness terms have identical verifying keys when set up
//! with the same toxic waste.

#![allow(dead_code)]

use ark_r1cs_std::{alloc::AllocVar, eq::EqGadget, fields::fp::FpVar};
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};
use psephos_snark::Fr;

/// The toy statement; `None` values for setup.
#[derive(Clone, Debug)]
pub struct Toy {
    pub a: Option<Fr>,
    pub b: Option<Fr>,
    /// `[x, y, z]`.
    pub public: Option<[Fr; 3]>,
    /// The `k` of `a² + b = k·z` (non-zero).
    pub k: u64,
}

impl Toy {
    /// The circuit without values, for setup.
    pub fn blank(k: u64) -> Self {
        Self { a: None, b: None, public: None, k }
    }

    /// An honest instance for witness `(a, b)`.
    pub fn honest(a: u64, b: u64, k: u64) -> Self {
        let (a, b) = (Fr::from(a), Fr::from(b));
        Self { a: Some(a), b: Some(b), public: Some(Self::statement(a, b, k)), k }
    }

    /// `[a·b, a + b, (a² + b)/k]`.
    pub fn statement(a: Fr, b: Fr, k: u64) -> [Fr; 3] {
        let k_inv = ark_ff::Field::inverse(&Fr::from(k)).expect("k is non-zero");
        [a * b, a + b, (a * a + b) * k_inv]
    }

    /// The public inputs of an honest instance.
    pub fn inputs(&self) -> Vec<Fr> {
        self.public.expect("an instance with values").to_vec()
    }
}

impl ConstraintSynthesizer<Fr> for Toy {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        let missing = || SynthesisError::AssignmentMissing;
        let public = self.public;
        let x = FpVar::new_input(cs.clone(), || public.map(|p| p[0]).ok_or_else(missing))?;
        let y = FpVar::new_input(cs.clone(), || public.map(|p| p[1]).ok_or_else(missing))?;
        let z = FpVar::new_input(cs.clone(), || public.map(|p| p[2]).ok_or_else(missing))?;
        let a = FpVar::new_witness(cs.clone(), || self.a.ok_or_else(missing))?;
        let b = FpVar::new_witness(cs.clone(), || self.b.ok_or_else(missing))?;
        (&a * &b).enforce_equal(&x)?;
        (&a + &b).enforce_equal(&y)?;
        (&a * &a + &b).enforce_equal(&(&z * Fr::from(self.k)))?;
        Ok(())
    }
}
