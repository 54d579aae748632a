//! Domain-separation labels of the Sigma protocols (listed in `docs/spec/labels.md`).

/// merlin protocol label of every Schnorr proof transcript.
pub const SCHNORR: &[u8] = b"psephos/sigma/schnorr/v1";
/// merlin protocol label of every DLEQ (Chaum–Pedersen) proof transcript.
pub const DLEQ: &[u8] = b"psephos/sigma/dleq/v1";
