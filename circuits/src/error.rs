//! The one error type of this crate.

use ark_relations::gr1cs::SynthesisError;
use thiserror::Error;

use crate::lean_imt::MAX_DEPTH;

/// Why a membership statement, or a request to build its circuit, was refused.
///
/// Shape errors (`InvalidMaxDepth`, `WitnessLength`) are caller misuse; the clause
/// variants name the part of the statement that is false; `Unsatisfied` and
/// `Synthesis` come from the constraint system. No message contains a secret.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RelationError {
    /// `max_depth` is outside `1..=32`.
    #[error("max_depth must be in 1..={MAX_DEPTH}, got {0}")]
    InvalidMaxDepth(usize),
    /// A witness vector has the wrong length (e.g. siblings ≠ `max_depth`).
    #[error("{what} has {got} entries, expected {expected}")]
    WitnessLength {
        /// Which vector.
        what: &'static str,
        /// The required length.
        expected: usize,
        /// The supplied length.
        got: usize,
    },
    /// The Merkle proof is longer than the circuit depth.
    #[error("proof length {proof_length} exceeds max_depth {max_depth}")]
    ProofLengthExceedsDepth {
        /// The proof length.
        proof_length: usize,
        /// The circuit depth.
        max_depth: usize,
    },
    /// The index has a bit at or above the proof length (`index ≥ 2^proof_length`).
    #[error("Merkle index is not below 2^proof_length")]
    IndexOutOfRange,
    /// A sibling slot at or above the proof length is not zero.
    #[error("sibling at level {level} (at or above the proof length) is not zero")]
    NonZeroPadding {
        /// The first offending level.
        level: usize,
    },
    /// The secret is not below the Baby Jubjub subgroup order `l`.
    #[error("secret is not below the subgroup order l")]
    SecretNotBelowSubgroupOrder,
    /// The commitment's path does not lead to the public root.
    #[error("the Merkle path does not lead to the public root")]
    RootMismatch,
    /// The public nullifier is not `Poseidon(scope, secret)`.
    #[error("the public nullifier is not Poseidon(scope, secret)")]
    NullifierMismatch,
    /// The circuit is not satisfied; names the first failing constraint.
    #[error("constraint system unsatisfied at: {0}")]
    Unsatisfied(String),
    /// Constraint synthesis failed.
    #[error("constraint synthesis failed: {0}")]
    Synthesis(#[from] SynthesisError),
}
