//! The error type of the ballot crate.

use psephos_primitives::EncodingError;
use thiserror::Error;

/// Errors from ballots, manifests and the ballot box.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum BallotError {
    /// An encoded value was refused.
    #[error(transparent)]
    Encoding(#[from] EncodingError),
    /// The number of options does not match.
    #[error("expected {expected} options, got {got}")]
    OptionCountMismatch {
        /// Options in the election.
        expected: usize,
        /// Options supplied.
        got: usize,
    },
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
    /// A discrete logarithm outside the searched range.
    #[error("the tally is outside [-{bound}, {bound}]")]
    TallyOutOfRange {
        /// The bound searched.
        bound: u64,
    },
    /// A bound too large to search in bounded time.
    #[error("{what} exceeds the limit of {limit}")]
    LimitExceeded {
        /// What was too large.
        what: &'static str,
        /// The limit.
        limit: u64,
    },
}
