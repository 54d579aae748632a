//! The error type of the primitives crate.

use thiserror::Error;

/// Why an encoded value was refused. `what` names the value being decoded
/// (for example `"public key"` or `"siblings[3]"`), so the message says what and where.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EncodingError {
    /// Not a well-formed encoding at all (bad characters, sign, leading zeros, …).
    #[error("malformed {what}: {reason}")]
    Malformed {
        /// The value being decoded.
        what: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A well-formed number that is not below the field modulus (never reduced).
    #[error("{what} is not in the field: it is not below the modulus")]
    NotInField {
        /// The value being decoded.
        what: &'static str,
    },
    /// A byte encoding that is not the canonical one for its value.
    #[error("non-canonical encoding of {what}")]
    NonCanonical {
        /// The value being decoded.
        what: &'static str,
    },
    /// A byte string of the wrong length.
    #[error("wrong length for {what}: expected {expected} bytes, got {got}")]
    WrongLength {
        /// The value being decoded.
        what: &'static str,
        /// The required length.
        expected: usize,
        /// The length supplied.
        got: usize,
    },
    /// A point that does not satisfy the curve equation.
    #[error("{what} is not on the Baby Jubjub curve")]
    NotOnCurve {
        /// The value being decoded.
        what: &'static str,
    },
    /// A curve point outside the prime-order subgroup (a torsion component).
    #[error("{what} is not in the prime-order subgroup")]
    NotInSubgroup {
        /// The value being decoded.
        what: &'static str,
    },
    /// The identity point where a non-identity point is required.
    #[error("{what} is the identity point")]
    IdentityPoint {
        /// The value being decoded.
        what: &'static str,
    },
    /// An input larger than the documented limit, refused before allocation.
    #[error("{what} exceeds the limit of {limit}")]
    LimitExceeded {
        /// The value being decoded.
        what: &'static str,
        /// The limit.
        limit: usize,
    },
}
