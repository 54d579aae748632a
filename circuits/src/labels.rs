//! Domain-separation labels of this crate (listed in docs/circuits.md).

/// Prefix of the SHA3-256 digest of a circuit's constraint matrices
/// ([`crate::membership::CircuitShape`]).
pub const R1CS_MATRICES: &[u8] = b"psephos/circuits/r1cs-matrices/v1";

/// Domain-separation label of the ballot circuit's public-input digests
/// (`keys_digest`, `ciphertext_digest`; [`crate::ballot::digest`]).
pub const BALLOT_DIGEST: &[u8] = b"psephos/circuits/ballot-digest/v1";
