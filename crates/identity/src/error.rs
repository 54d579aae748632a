//! The error type of the identity crate.

use psephos_primitives::EncodingError;
use thiserror::Error;

/// Errors from identities, groups, proofs and hashing.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IdentityError {
    /// An encoded value was refused.
    #[error(transparent)]
    Encoding(#[from] EncodingError),
    /// A private-key export that is not valid base64.
    #[error("malformed private key export: not base64")]
    MalformedExport,
    /// A group member equal to zero (reserved for removed members).
    #[error("a group member cannot be 0")]
    ZeroMember,
    /// An index past the end of the group.
    #[error("index {index} is out of range for a group of size {size}")]
    IndexOutOfRange {
        /// The requested index.
        index: u64,
        /// The group size.
        size: u64,
    },
    /// A commitment that is already a member.
    #[error("the commitment is already a member")]
    DuplicateMember,
    /// Updating or removing a member that was already removed.
    #[error("member {0} has been removed")]
    RemovedMember(u64),
    /// The group would exceed `2^MAX_DEPTH` members.
    #[error("the group is full ({0} members)")]
    GroupFull(u64),
    /// A Merkle proof longer than `MAX_DEPTH`, or an index with bits beyond it.
    #[error("malformed Merkle proof: {0}")]
    MalformedProof(&'static str),
    /// A Merkle proof that does not lead to its root.
    #[error("the Merkle proof does not lead to the root")]
    ProofMismatch,
    /// An EdDSA-Poseidon signature that does not verify.
    #[error("invalid signature")]
    InvalidSignature,
    /// A message or scope that Semaphore's `hash` refuses.
    #[error("invalid message: {0}")]
    InvalidMessage(&'static str),
}
