//! The one error type of this crate.

use ark_relations::gr1cs::SynthesisError;
use thiserror::Error;

use crate::{ballot::MAX_OPTIONS, lean_imt::MAX_DEPTH};

/// Why a membership or ballot statement, or a request to build its circuit, was
/// refused.
///
/// Shape errors (`InvalidMaxDepth`, `InvalidOptionCount`, `WitnessLength`) are
/// caller misuse; the clause
/// variants name the part of the statement that is false; `Unsatisfied` and
/// `Synthesis` come from the constraint system. No message contains a secret.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RelationError {
    /// `max_depth` is outside `1..=32`.
    #[error("max_depth must be in 1..={MAX_DEPTH}, got {0}")]
    InvalidMaxDepth(usize),
    /// The number of ballot options is outside `1..=64`.
    #[error("the number of options must be in 1..={MAX_OPTIONS}, got {0}")]
    InvalidOptionCount(usize),
    /// An input vector has the wrong length (e.g. siblings ≠ `max_depth`, election
    /// keys or votes ≠ the number of options).
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
    /// A precomputed keys digest is for other keys than the statement's.
    #[error("the keys digest is for other election keys")]
    KeysMismatch,
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
    /// An election key is the identity point (ballot statement; keys are otherwise
    /// validated subgroup points by their type).
    #[error("election key {option} is the identity point")]
    IdentityElectionKey {
        /// The option (0-based).
        option: usize,
    },
    /// The per-option bound `V` is not below `2^15` (`BOUND_BITS`).
    #[error("the per-option bound is not below 2^15")]
    BoundTooLarge,
    /// The credit budget `B` is not below `2^64` (`BUDGET_BITS`).
    #[error("the credit budget is not below 2^64")]
    BudgetTooLarge,
    /// A vote is not in `[−V, V]` (as a signed integer).
    #[error("the vote for option {option} is outside [-V, V]")]
    VoteOutOfRange {
        /// The option (0-based).
        option: usize,
    },
    /// `Σ vᵢ² > B`.
    #[error("the votes cost more credits than the budget")]
    OverBudget,
    /// The encryption randomness is not below the subgroup order `l`.
    #[error("the encryption randomness is not below the subgroup order l")]
    RandomnessNotBelowSubgroupOrder,
    /// The randomness is one of the four scalars for which the circuit's
    /// variable-base ladder is exceptional (`ρ ∈ {0, 1, 3, l − 1}`); choose another.
    #[error("exceptional encryption randomness: choose another")]
    ExceptionalRandomness,
    /// The ciphertext's `c1` is not `ρ·Base8`.
    #[error("ciphertext c1 is not randomness · Base8")]
    C1Mismatch,
    /// The ciphertext's `c2` for an option is not `vᵢ·Base8 + ρ·PKᵢ`.
    #[error("ciphertext c2 of option {option} does not encrypt the vote under the election key")]
    CiphertextMismatch {
        /// The option (0-based).
        option: usize,
    },
    /// The circuit is not satisfied; names the first failing constraint.
    #[error("constraint system unsatisfied at: {0}")]
    Unsatisfied(String),
    /// Constraint synthesis failed.
    #[error("constraint synthesis failed: {0}")]
    Synthesis(#[from] SynthesisError),
}
