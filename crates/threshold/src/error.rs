//! The error type of the threshold crate.

use psephos_primitives::EncodingError;
use psephos_sigma::SigmaError;
use thiserror::Error;

/// Why a sharing, interpolation or DKG step was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ThresholdError {
    /// A malformed, non-canonical or invalid encoding.
    #[error(transparent)]
    Encoding(#[from] EncodingError),
    /// A Sigma proof failed or could not be made.
    #[error(transparent)]
    Sigma(#[from] SigmaError),
    /// A JSON document that does not parse (or has unknown fields).
    #[error("malformed JSON {what}: {reason}")]
    Json {
        /// The document.
        what: &'static str,
        /// The parser's message.
        reason: String,
    },
    /// A versioned document with an unsupported version.
    #[error("unsupported {what} version {got}")]
    UnsupportedVersion {
        /// The document.
        what: &'static str,
        /// The version found.
        got: u32,
    },
    /// A document for another group.
    #[error("{what} is for group {got}, expected {expected}")]
    GroupMismatch {
        /// The document.
        what: &'static str,
        /// The expected group name.
        expected: String,
        /// The group name found.
        got: String,
    },
    /// Threshold outside `1 ≤ t ≤ n`, or sizes above the limits.
    #[error("invalid parameters: {reason}")]
    InvalidParameters {
        /// What is wrong.
        reason: String,
    },
    /// A participant index that is 0 or above `n`.
    #[error("invalid participant index {index}")]
    InvalidIndex {
        /// The index.
        index: u32,
    },
    /// The same participant index twice.
    #[error("duplicate participant index {index}")]
    DuplicateIndex {
        /// The index.
        index: u32,
    },
    /// Fewer shares than the threshold.
    #[error("too few shares: need {needed}, got {got}")]
    TooFewShares {
        /// The threshold.
        needed: usize,
        /// The number supplied.
        got: usize,
    },
    /// A message whose shape (counts of commitments, shares, secrets) does not match the session.
    #[error("{what} does not match the session: {reason}")]
    Shape {
        /// The message.
        what: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The long-term key does not match the session's key for this index.
    #[error("the key of participant {index} does not match the session")]
    KeyMismatch {
        /// The index.
        index: u32,
    },
    /// Fewer than `t` dealers survived disqualification.
    #[error("too few qualified dealers: need {needed}, got {got}")]
    TooFewQualified {
        /// The threshold.
        needed: usize,
        /// The number of qualified dealers.
        got: usize,
    },
    /// A share that does not match its commitments (Feldman check).
    #[error("share for participant {index} does not match the dealer's commitments")]
    ShareMismatch {
        /// The recipient.
        index: u32,
    },
}
