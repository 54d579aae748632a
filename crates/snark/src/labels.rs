//! Every domain-separation label of this crate (listed in docs/snark.md).
//!
//! Format: `psephos/snark/<purpose>/v1`. A label changes only with a new version
//! suffix, and every change changes a pinned value in the tests.

/// Prefix of the verifying-key id: `id = BLAKE2b-256(VK_ID || compressed VK)`.
pub const VK_ID: &[u8] = b"psephos/snark/vk-id/v1";

/// Prefix of the development seed's label:
/// `seed_label = BLAKE2b-256(DEV_SEED_LABEL || seed)[..8]`.
pub const DEV_SEED_LABEL: &[u8] = b"psephos/snark/dev-seed-label/v1";
