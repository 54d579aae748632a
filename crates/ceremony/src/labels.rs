//! Domain-separation labels of psephos' own phase 1 (docs/spec/labels.md).
//! Phase 2 uses snarkjs' unlabelled transcript unchanged, for interoperability.

/// BLAKE2b-512 prefix of the phase-1 challenge chain (docs/spec/ceremony.md §3).
pub const PHASE1_CHALLENGE: &[u8] = b"psephos/ceremony/phase1-challenge/v1";
/// BLAKE2b-512 prefix of the hash-to-G2 input of a phase-1 proof of knowledge.
pub const PHASE1_POK: &[u8] = b"psephos/ceremony/phase1-pok/v1";
