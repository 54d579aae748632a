//! Every domain-separation label of the registry (docs/spec/labels.md).
//!
//! Each is a merlin transcript label (the first message of a fresh transcript)
//! or a message label inside one; none is reused across purposes.

/// Transcript of a registrar's attestation of one enrollment-log entry
/// (docs/spec/registry.md §2).
pub const ATTESTATION: &[u8] = b"psephos/registry/attestation/v1";

/// Transcript of a registrar's signature on a group policy (docs/spec/registry.md §3).
pub const POLICY: &[u8] = b"psephos/registry/policy/v1";

/// Domain of the `psephos_sigma` DLEQ proof attached to a partial OPRF
/// evaluation (docs/spec/registry.md §5).
pub const OPRF_PARTIAL: &[u8] = b"psephos/registry/oprf-partial/v1";

/// Prefix of the DKG session context for the dedup key (followed by the group id
/// and a fresh 16-byte nonce; docs/spec/registry.md §6).
pub const DEDUP_DKG: &[u8] = b"psephos/registry/dedup-dkg/v1";
