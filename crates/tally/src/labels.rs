//! Domain-separation labels of the tally (docs/spec/labels.md).

/// DLEQ domain of a trustee's decryption-share proof (docs/spec/tally.md §2).
pub const DECRYPTION_SHARE: &[u8] = b"psephos/tally/decryption-share/v1";
