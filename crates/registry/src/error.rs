//! The error type of the registry crate.

use psephos_identity::IdentityError;
use psephos_primitives::EncodingError;
use thiserror::Error;

/// Why a registry object was refused or an operation failed.
///
/// Decoding problems (`Encoding`, `Malformed`, `NonCanonical`, `IdentityPoint`,
/// `UnknownVersion`, `LimitExceeded`) are separate from verification failures
/// (every other variant); see [`RegistryError::is_malformed`].
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RegistryError {
    /// A field element was refused by the strict BN254 encodings.
    #[error(transparent)]
    Encoding(#[from] EncodingError),
    /// Not a well-formed encoding at all.
    #[error("malformed {what}: {reason}")]
    Malformed {
        /// The value being decoded.
        what: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// A Ristretto point or scalar whose bytes are not the canonical encoding.
    #[error("non-canonical encoding of {0}")]
    NonCanonical(&'static str),
    /// The identity element where a non-identity point is required.
    #[error("{0} is the identity element")]
    IdentityPoint(&'static str),
    /// An object version this code does not know.
    #[error("unsupported version {found} of {what}")]
    UnknownVersion {
        /// The object.
        what: &'static str,
        /// The version found.
        found: u64,
    },
    /// An input larger than the documented limit (checked before allocation).
    #[error("{what} exceeds the limit of {limit}")]
    LimitExceeded {
        /// The value.
        what: &'static str,
        /// The limit.
        limit: usize,
    },
    /// A Schnorr signature that does not verify.
    #[error("invalid signature by registrar {registrar}")]
    InvalidSignature {
        /// The 1-based registrar index.
        registrar: u32,
    },
    /// A registrar index that the policy does not list.
    #[error("registrar {0} is not in the group policy")]
    UnknownRegistrar(u32),
    /// Two attestations (or partial evaluations) from the same registrar.
    #[error("registrar {0} appears twice")]
    DuplicateSigner(u32),
    /// Attestations not in increasing registrar order.
    #[error("attestations are not sorted by registrar index")]
    UnsortedAttestations,
    /// Fewer attestations than the policy threshold.
    #[error("too few attestations: {got}, the policy needs {need}")]
    TooFewAttestations {
        /// Attestations present.
        got: usize,
        /// The threshold k.
        need: usize,
    },
    /// An entry whose position field is not its place in the log.
    #[error("entry says position {found}, but it is entry {expected} of the log")]
    WrongPosition {
        /// The position the log is at.
        expected: u64,
        /// The position written in the entry.
        found: u64,
    },
    /// The dedup tag was already enrolled: the same person enrolls twice.
    #[error("duplicate enrollment: this dedup tag was enrolled at position {position}")]
    DuplicateEnrollment {
        /// The log position of the earlier enrollment.
        position: u64,
    },
    /// The identity commitment was already enrolled.
    #[error("duplicate commitment: enrolled at position {position}")]
    DuplicateCommitment {
        /// The log position of the earlier enrollment.
        position: u64,
    },
    /// A removal of a commitment that is not a live member.
    #[error("removal of a commitment that is not a live member")]
    NotAMember,
    /// A removal whose dedup tag differs from the member's enrollment.
    #[error("removal names dedup tag that differs from the member's enrollment")]
    TagMismatch,
    /// A partial OPRF evaluation whose DLEQ proof fails: attributed to its registrar.
    #[error("invalid partial evaluation from registrar {registrar}")]
    InvalidPartialEvaluation {
        /// The 1-based registrar index.
        registrar: u32,
    },
    /// Fewer valid partial evaluations than the threshold.
    #[error("too few partial evaluations: {got}, need {need}")]
    TooFewPartials {
        /// Valid partial evaluations present.
        got: usize,
        /// The threshold.
        need: usize,
    },
    /// A group policy that is inconsistent or not signed by k of its registrars.
    #[error("invalid group policy: {0}")]
    InvalidPolicy(&'static str),
    /// The OPRF evidence was refused (empty or longer than 65535 bytes).
    #[error("OPRF input must be 1 to 65535 bytes")]
    OprfInput,
    /// The group refused an operation (identity crate rules).
    #[error(transparent)]
    Group(#[from] IdentityError),
    /// The distributed key generation of the dedup key failed.
    #[error("dedup-key DKG: {0}")]
    Dkg(String),
    /// Caller misuse (a precondition that the API documents).
    #[error("misuse: {0}")]
    Misuse(&'static str),
}

impl RegistryError {
    /// True for decoding problems (malformed input), false for verification failures.
    pub fn is_malformed(&self) -> bool {
        matches!(
            self,
            RegistryError::Encoding(_)
                | RegistryError::Malformed { .. }
                | RegistryError::NonCanonical(_)
                | RegistryError::IdentityPoint(_)
                | RegistryError::UnknownVersion { .. }
                | RegistryError::LimitExceeded { .. }
        )
    }

    pub(crate) fn malformed(what: &'static str, reason: impl Into<String>) -> Self {
        RegistryError::Malformed { what, reason: reason.into() }
    }
}
