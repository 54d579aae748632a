//! Semaphore's compact Merkle proofs (docs/spec/identity.md §3).
//!
//! `siblings` holds one node for each level where the path has a sibling, bottom
//! up; bit `i` of `index` is `1` when the path node at that level is the right
//! child. Verification folds `node = bit ? H(sibling, node) : H(node, sibling)`
//! and compares with `root`. A proof has at most `MAX_DEPTH` siblings and its
//! index has no bits beyond them.

use psephos_primitives::{poseidon, Fr};

use crate::{lean_imt::MAX_DEPTH, IdentityError};

/// A compact LeanIMT Merkle proof.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MerkleProof {
    /// The tree root.
    pub root: Fr,
    /// The proven leaf.
    pub leaf: Fr,
    /// The path bits of the levels that have a sibling (bit 0 = lowest).
    pub index: u64,
    /// The siblings, bottom up.
    pub siblings: Vec<Fr>,
}

impl MerkleProof {
    /// The root computed from the leaf and the path.
    pub fn compute_root(&self) -> Result<Fr, IdentityError> {
        if self.siblings.len() > MAX_DEPTH {
            return Err(IdentityError::MalformedProof("more siblings than MAX_DEPTH"));
        }
        if self.siblings.len() < 64 && self.index >> self.siblings.len() != 0 {
            return Err(IdentityError::MalformedProof("index has bits beyond the proof length"));
        }
        let mut node = self.leaf;
        for (i, sibling) in self.siblings.iter().enumerate() {
            node = if (self.index >> i) & 1 == 1 {
                poseidon::hash2(*sibling, node)
            } else {
                poseidon::hash2(node, *sibling)
            };
        }
        Ok(node)
    }

    /// Checks that the proof leads from `leaf` to `root`.
    pub fn verify(&self) -> Result<(), IdentityError> {
        if self.compute_root()? == self.root {
            Ok(())
        } else {
            Err(IdentityError::ProofMismatch)
        }
    }
}
