//! # psephos-identity
//!
//! Semaphore-v4-compatible identities, groups and nullifiers — native (non-circuit)
//! code, byte-for-byte compatible with `@semaphore-protocol/identity`,
//! `@semaphore-protocol/group` and `@zk-kit/lean-imt`
//! (docs/spec/identity.md).
//!
//! - [`identity`]: private key → secret scalar (BLAKE-512, EdDSA pruning) → public
//!   key `secret·Base8` → commitment `Poseidon(pk.x, pk.y)`; base64 export/import.
//! - [`lean_imt`]: the Lean Incremental Merkle Tree with `Poseidon(2)` — add, bulk
//!   add, update, remove (leaf set to 0), root, depth, size.
//! - [`merkle_proof`]: Semaphore's compact Merkle proofs and their verification.
//! - [`group`]: Semaphore's member rules on top of the tree (no zero members, no
//!   update of a removed member).
//! - [`hash`]: Semaphore's `hash(message)`: `keccak256(32-byte big-endian) >> 8`.
//! - [`nullifier`]: `Poseidon(hash(scope), secret)`.
//!
//! ```
//! use psephos_identity::{Group, Identity, Nullifier, hash::semaphore_hash_str};
//!
//! let alice = Identity::from_text("alice's private key");
//! let mut group = Group::new();
//! group.add_member(alice.commitment()).expect("non-zero commitment");
//! group.add_member(Identity::from_text("bob").commitment()).expect("non-zero commitment");
//! let proof = group.generate_proof(0).expect("member 0 exists");
//! assert!(proof.verify().is_ok());
//! let scope = semaphore_hash_str("poll-2026-11").expect("short text scope");
//! let n = Nullifier::derive(&alice, scope);
//! assert_eq!(n, Nullifier::derive(&Identity::import(&alice.export()).expect("valid export"), scope));
//! ```

pub mod error;
pub mod group;
pub mod hash;
pub mod identity;
pub mod lean_imt;
pub mod merkle_proof;
pub mod nullifier;

pub use error::IdentityError;
pub use group::Group;
pub use identity::Identity;
pub use lean_imt::LeanImt;
pub use merkle_proof::MerkleProof;
pub use nullifier::Nullifier;
pub use psephos_primitives::Fr;
