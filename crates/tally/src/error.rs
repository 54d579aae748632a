//! The error type of the tally crate.

use psephos_ballot::BallotError;
use psephos_primitives::EncodingError;
use thiserror::Error;

/// Errors from aggregation, decryption shares, combination and results.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TallyError {
    /// An encoded value was refused.
    #[error(transparent)]
    Encoding(#[from] EncodingError),
    /// A ballot-layer error (option counts, discrete-log range).
    #[error(transparent)]
    Ballot(#[from] BallotError),
    /// Not a well-formed document.
    #[error("malformed {what}: {reason}")]
    Malformed {
        /// The document.
        what: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// A format version this build does not know.
    #[error("unknown {what} version {version}")]
    UnknownVersion {
        /// The document.
        what: &'static str,
        /// The version found.
        version: u32,
    },
    /// The number of options does not match.
    #[error("expected {expected} options, got {got}")]
    OptionCountMismatch {
        /// Options in the election.
        expected: usize,
        /// Options supplied.
        got: usize,
    },
    /// A trustee's decryption share failed verification (checklist G1–G3, G7).
    #[error("invalid decryption share from trustee {trustee} for option {option}: {reason}")]
    InvalidShare {
        /// The trustee's index (1-based).
        trustee: u32,
        /// The option (0-based).
        option: usize,
        /// Why.
        reason: String,
    },
    /// Two shares from the same trustee (checklist G4).
    #[error("duplicate decryption share from trustee {trustee}")]
    DuplicateShare {
        /// The trustee's index.
        trustee: u32,
    },
    /// A trustee index outside `1..=n` (checklist G4).
    #[error("unknown trustee index {trustee} (trustees are 1..={n})")]
    UnknownTrustee {
        /// The index given.
        trustee: u32,
        /// The number of trustees.
        n: u32,
    },
    /// Fewer than `t` valid shares: nothing can be (or is) published (checklist G5).
    #[error("only {valid} valid decryption shares, {threshold} needed")]
    InsufficientShares {
        /// Valid shares available.
        valid: usize,
        /// The threshold `t`.
        threshold: usize,
    },
    /// The share was made for another aggregate, election or trustee.
    #[error("the decryption share is for another {what}")]
    ContextMismatch {
        /// What differs.
        what: &'static str,
    },
}
