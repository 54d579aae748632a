//! The two error types of this crate.
//!
//! - [`VerifyError`]: everything that can be wrong with data that crosses a trust
//!   boundary — an encoded proof, verifying key or public input, a proof that does
//!   not verify, a key that the [`VkPolicy`](crate::VkPolicy) refuses. Decoding
//!   errors, invalid proofs and caller misuse are different variants.
//! - [`Error`](enum@Error): why [`dev_setup`](crate::setup::dev_setup) or
//!   [`prove`](crate::prover::prove) failed on the caller's own circuit.
//!
//! They are two enums rather than one because their audiences differ: a verifier
//! reports a [`VerifyError`] to whoever sent the artifact, while an [`Error`](enum@Error) is a bug
//! or a wrong witness on the prover's own side.
//!
//! Error messages name the offending value (`what`) and never contain secrets: a
//! proof, a key and a public input are all public.

use ark_relations::gr1cs::SynthesisError;
use psephos_primitives::EncodingError;
use thiserror::Error;

/// Why a proof, verifying key or public input was refused.
///
/// The variants follow the project's security checklist (sections A, B, D): a
/// decoder says *how* the encoding is wrong, the verifier says whether the
/// statement failed ([`InvalidProof`](Self::InvalidProof)), and the key policy says
/// why a key is not acceptable ([`InsecureVk`](Self::InsecureVk),
/// [`VkMismatch`](Self::VkMismatch)).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VerifyError {
    /// Not a well-formed encoding: wrong length, unknown version byte, trailing
    /// bytes, invalid JSON, an unknown or missing field, a JSON number where a
    /// decimal string is required, a projective `z` other than `"1"`, an unknown
    /// `protocol` or `curve`, `IC.len() ≠ nPublic + 1`.
    #[error("malformed {what}: {reason}")]
    Malformed {
        /// The value being decoded.
        what: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// A well-formed number that is not below its field's modulus (a public input
    /// `≥ r`, a coordinate `≥ q`). Never reduced.
    #[error("{what} is not in the field: it is not below the modulus")]
    NotInField {
        /// The value being decoded.
        what: &'static str,
    },
    /// A byte encoding that is not the canonical one for its value (a little-endian
    /// integer `≥` the modulus, a point encoding that does not re-encode to itself).
    #[error("non-canonical encoding of {what}")]
    NonCanonical {
        /// The value being decoded.
        what: &'static str,
    },
    /// Coordinates that do not satisfy the curve equation (for a compressed point:
    /// an `x` with no matching `y`).
    #[error("{what} is not on the curve")]
    NotOnCurve {
        /// The value being decoded.
        what: &'static str,
    },
    /// A point on the curve (for G2: on the twist) but outside the subgroup of prime
    /// order `r`.
    #[error("{what} is not in the prime-order subgroup")]
    NotInSubgroup {
        /// The value being decoded.
        what: &'static str,
    },
    /// The point at infinity where a proof or key element must be a proper point.
    #[error("{what} is the identity point")]
    IdentityPoint {
        /// The value being decoded.
        what: &'static str,
    },
    /// The number of public inputs differs from the verifying key's.
    #[error("wrong number of public inputs: expected {expected}, got {got}")]
    InputCountMismatch {
        /// The verifying key's number of public inputs (`IC.len() - 1`).
        expected: usize,
        /// The number supplied.
        got: usize,
    },
    /// A well-formed proof that does not verify for these public inputs under this
    /// verifying key.
    #[error("the proof does not verify")]
    InvalidProof,
    /// The verifying key's id differs from the pinned id.
    #[error("verifying key mismatch: pinned id {expected}, got {got}")]
    VkMismatch {
        /// The pinned id (hex).
        expected: String,
        /// The id of the key supplied (hex).
        got: String,
    },
    /// The verifying key is forgeable or made by the insecure development setup,
    /// and the [`VkPolicy`](crate::VkPolicy) does not allow development keys.
    #[error("insecure verifying key: {reason}")]
    InsecureVk {
        /// Which condition was met.
        reason: &'static str,
    },
    /// An input larger than the documented limit, refused before allocation.
    #[error("{what} exceeds the limit of {limit}")]
    LimitExceeded {
        /// The value being decoded.
        what: &'static str,
        /// The limit.
        limit: usize,
    },
    /// Item `index` of a batch failed; `source` says how.
    #[error("batch item {index} failed: {source}")]
    Batch {
        /// Position of the first failing item in the batch.
        index: usize,
        /// Why it failed.
        source: Box<VerifyError>,
    },
}

impl VerifyError {
    /// A [`Malformed`](Self::Malformed) error.
    pub(crate) fn malformed(what: &'static str, reason: impl Into<String>) -> Self {
        Self::Malformed { what, reason: reason.into() }
    }
}

impl From<EncodingError> for VerifyError {
    fn from(e: EncodingError) -> Self {
        match e {
            EncodingError::Malformed { what, reason } => Self::malformed(what, reason),
            EncodingError::NotInField { what } => Self::NotInField { what },
            EncodingError::NonCanonical { what } => Self::NonCanonical { what },
            EncodingError::WrongLength { what, expected, got } => {
                Self::malformed(what, format!("expected {expected} bytes, got {got}"))
            }
            EncodingError::NotOnCurve { what } => Self::NotOnCurve { what },
            EncodingError::NotInSubgroup { what } => Self::NotInSubgroup { what },
            EncodingError::IdentityPoint { what } => Self::IdentityPoint { what },
            EncodingError::LimitExceeded { what, limit } => Self::LimitExceeded { what, limit },
        }
    }
}

/// Why a setup or a proof could not be produced.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Error {
    /// The circuit's `generate_constraints` failed.
    #[error("circuit synthesis failed: {0}")]
    Synthesis(SynthesisError),
    /// The witness does not satisfy the circuit; `constraint` names the first
    /// unsatisfied constraint when arkworks can tell.
    #[error("the witness does not satisfy the circuit (first unsatisfied constraint: {constraint:?})")]
    Unsatisfied {
        /// The first unsatisfied constraint's name, if known.
        constraint: Option<String>,
    },
    /// The circuit uses constraint predicates other than R1CS, which Groth16
    /// cannot prove.
    #[error("the circuit uses non-R1CS predicates, which Groth16 cannot prove")]
    UnsupportedPredicate,
    /// The public inputs the caller expects differ from the circuit's instance
    /// assignment (count, or the value at `index`).
    #[error("public inputs differ from the circuit's instance assignment at index {index}")]
    PublicInputMismatch {
        /// The first differing index (the count, if only the lengths differ).
        index: usize,
    },
    /// The circuit has a different number of public inputs than the proving key.
    #[error("the circuit has {got} public inputs but the proving key expects {expected}")]
    KeyMismatch {
        /// The proving key's number of public inputs.
        expected: usize,
        /// The circuit's number of public inputs.
        got: usize,
    },
    /// The circuit's constraint system does not have the proving key's sizes: it
    /// is another circuit (e.g. another tree depth) than the one the key was made for.
    #[error("the circuit does not match the proving key: the key expects {expected} {what}, the circuit has {got}")]
    ShapeMismatch {
        /// What differs: `"variables"`, `"witness variables"` or
        /// `"evaluation domain size"` (constraints plus instance variables,
        /// rounded up to a power of two).
        what: &'static str,
        /// The proving key's number.
        expected: usize,
        /// The circuit's number.
        got: usize,
    },
    /// The circuit has more public inputs than [`MAX_PUBLIC_INPUTS`](crate::MAX_PUBLIC_INPUTS).
    #[error("the circuit has more than {limit} public inputs")]
    TooManyPublicInputs {
        /// The limit.
        limit: usize,
    },
    /// The generated key or proof failed validation or self-verification. This is
    /// a bug (in the circuit, the key or this crate), never expected.
    #[error("self-check failed: {0}")]
    SelfCheck(VerifyError),
}

impl From<SynthesisError> for Error {
    fn from(e: SynthesisError) -> Self {
        Self::Synthesis(e)
    }
}
