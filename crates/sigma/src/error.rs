//! The error type of the Sigma crate.

use psephos_primitives::EncodingError;
use thiserror::Error;

/// Why a proof was refused, could not be decoded, or could not be made.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SigmaError {
    /// A malformed, non-canonical or invalid encoding (of a proof, element or scalar).
    #[error(transparent)]
    Encoding(#[from] EncodingError),
    /// The verification equation does not hold.
    #[error("invalid {what} proof")]
    InvalidProof {
        /// Which proof kind (`"Schnorr"`, `"DLEQ"`).
        what: &'static str,
    },
    /// In a batch, the first proof that fails individual verification.
    #[error("invalid {what} proof at batch index {index}")]
    InvalidProofInBatch {
        /// Which proof kind.
        what: &'static str,
        /// Its position in the batch.
        index: usize,
    },
    /// A statement whose generator is the identity (every such statement is trivial).
    #[error("the statement's generator is the identity")]
    IdentityGenerator,
    /// A statement whose public value is the identity: its only witness is 0, and a
    /// "proof" for it (`s·g = R`) holds for every challenge, so it would bind neither
    /// the domain nor the context. Refused.
    #[error("the statement's public value is the identity")]
    IdentityPublic,
    /// Caller misuse: the prover's witness does not satisfy the statement.
    #[error("the witness does not satisfy the statement")]
    WitnessMismatch,
}
