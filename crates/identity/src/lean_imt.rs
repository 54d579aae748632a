//! The Lean Incremental Merkle Tree (LeanIMT) with `Poseidon(2)`
//! (docs/spec/identity.md §2), as in `@zk-kit/lean-imt`.
//!
//! Level 0 holds the leaves. A node at level `k + 1` is `Poseidon(left, right)` of
//! its two children at level `k`; a left node without a right sibling is carried
//! up unchanged. The depth is the smallest `d` with `size ≤ 2^d`; the root is the
//! single node at level `d` (for one leaf, the leaf itself). An empty tree has no
//! root; Semaphore's `Group` reports `0` for it.

use psephos_primitives::{poseidon, Fr};
use rayon::prelude::*;

use crate::{IdentityError, MerkleProof};

/// The maximum depth: trees hold at most `2^32` leaves.
pub const MAX_DEPTH: usize = 32;

/// Levels with at least this many new parents are hashed in parallel.
const PARALLEL_THRESHOLD: usize = 1 << 12;

/// A LeanIMT. `nodes[k]` holds the nodes of level `k`; `nodes[0]` are the leaves.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LeanImt {
    nodes: Vec<Vec<Fr>>,
}

impl LeanImt {
    /// An empty tree.
    pub fn new() -> Self {
        LeanImt { nodes: vec![Vec::new()] }
    }

    /// A tree holding `leaves`, built level by level (see [`LeanImt::insert_many`]).
    pub fn from_leaves(leaves: &[Fr]) -> Result<Self, IdentityError> {
        let mut tree = Self::new();
        tree.insert_many(leaves)?;
        Ok(tree)
    }

    /// The number of leaves.
    pub fn size(&self) -> u64 {
        self.nodes[0].len() as u64
    }

    /// The depth: the smallest `d` with `size ≤ 2^d`.
    pub fn depth(&self) -> usize {
        self.nodes.len() - 1
    }

    /// The root, or `None` for an empty tree.
    pub fn root(&self) -> Option<Fr> {
        self.nodes.last().and_then(|level| level.first()).copied()
    }

    /// The leaves, in insertion order.
    pub fn leaves(&self) -> &[Fr] {
        &self.nodes[0]
    }

    /// The leaf at `index`.
    pub fn leaf(&self, index: u64) -> Option<Fr> {
        usize::try_from(index).ok().and_then(|i| self.nodes[0].get(i)).copied()
    }

    /// The position of the first leaf equal to `leaf`.
    pub fn index_of(&self, leaf: &Fr) -> Option<u64> {
        self.nodes[0].iter().position(|l| l == leaf).map(|i| i as u64)
    }

    fn depth_for(size: usize) -> usize {
        // smallest d with size <= 2^d
        let mut d = 0;
        while (1usize << d) < size {
            d += 1;
        }
        d
    }

    /// Appends one leaf and updates its path: `O(depth)` hashes.
    pub fn insert(&mut self, leaf: Fr) -> Result<(), IdentityError> {
        let size = self.nodes[0].len();
        if size as u64 >= 1u64 << MAX_DEPTH {
            return Err(IdentityError::GroupFull(size as u64));
        }
        let depth = Self::depth_for(size + 1);
        while self.nodes.len() < depth + 1 {
            self.nodes.push(Vec::new());
        }
        let mut node = leaf;
        let mut index = size;
        for level in 0..depth {
            set(&mut self.nodes[level], index, node);
            if index & 1 == 1 {
                node = poseidon::hash2(self.nodes[level][index - 1], node);
            }
            index >>= 1;
        }
        self.nodes[depth] = vec![node];
        Ok(())
    }

    /// Appends many leaves at once, hashing each affected level once (in parallel
    /// for large levels). The result equals inserting them one by one.
    pub fn insert_many(&mut self, leaves: &[Fr]) -> Result<(), IdentityError> {
        if leaves.is_empty() {
            return Ok(());
        }
        let old_size = self.nodes[0].len();
        let new_size = old_size + leaves.len();
        if new_size as u64 > 1u64 << MAX_DEPTH {
            return Err(IdentityError::GroupFull(old_size as u64));
        }
        let depth = Self::depth_for(new_size);
        while self.nodes.len() < depth + 1 {
            self.nodes.push(Vec::new());
        }
        self.nodes[0].extend_from_slice(leaves);
        // The first index at each level whose value may change.
        let mut start = old_size;
        for level in 0..depth {
            let parent_start = start >> 1;
            let (lower, upper) = self.nodes.split_at_mut(level + 1);
            let children = &lower[level];
            let parent_len = children.len().div_ceil(2);
            let parents = &mut upper[0];
            parents.truncate(parent_start);
            let compute = |p: usize| -> Fr {
                let left = children[2 * p];
                match children.get(2 * p + 1) {
                    Some(right) => poseidon::hash2(left, *right),
                    None => left,
                }
            };
            if parent_len - parent_start >= PARALLEL_THRESHOLD {
                let fresh: Vec<Fr> = (parent_start..parent_len).into_par_iter().map(compute).collect();
                parents.extend(fresh);
            } else {
                parents.extend((parent_start..parent_len).map(compute));
            }
            start = parent_start;
        }
        Ok(())
    }

    /// Replaces the leaf at `index` and recomputes its path.
    pub fn update(&mut self, index: u64, leaf: Fr) -> Result<(), IdentityError> {
        let size = self.size();
        if index >= size {
            return Err(IdentityError::IndexOutOfRange { index, size });
        }
        let mut i = index as usize;
        let mut node = leaf;
        for level in 0..self.depth() {
            self.nodes[level][i] = node;
            if i & 1 == 1 {
                node = poseidon::hash2(self.nodes[level][i - 1], node);
            } else if let Some(right) = self.nodes[level].get(i + 1) {
                node = poseidon::hash2(node, *right);
            }
            i >>= 1;
        }
        let depth = self.depth();
        self.nodes[depth] = vec![node];
        Ok(())
    }

    /// Sets the leaf at `index` to 0 (the tree keeps its size).
    pub fn remove(&mut self, index: u64) -> Result<(), IdentityError> {
        self.update(index, Fr::from(0u64))
    }

    /// Semaphore's compact Merkle proof for the leaf at `index`: a sibling and an
    /// index bit only for the levels where the node has a sibling.
    pub fn generate_proof(&self, index: u64) -> Result<MerkleProof, IdentityError> {
        let size = self.size();
        let (Some(leaf), Some(root)) = (self.leaf(index), self.root()) else {
            return Err(IdentityError::IndexOutOfRange { index, size });
        };
        let mut siblings = Vec::new();
        let mut path_index = 0u64;
        let mut i = index as usize;
        for level in 0..self.depth() {
            let is_right = i & 1 == 1;
            let sibling_index = if is_right { i - 1 } else { i + 1 };
            if let Some(sibling) = self.nodes[level].get(sibling_index) {
                if is_right {
                    path_index |= 1 << siblings.len();
                }
                siblings.push(*sibling);
            }
            i >>= 1;
        }
        Ok(MerkleProof { root, leaf, index: path_index, siblings })
    }
}

fn set(level: &mut Vec<Fr>, index: usize, value: Fr) {
    if index < level.len() {
        level[index] = value;
    } else {
        level.push(value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaves(n: u64) -> Vec<Fr> {
        (1..=n).map(Fr::from).collect()
    }

    #[test]
    fn bulk_equals_incremental() {
        for n in [0u64, 1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 33] {
            let mut one = LeanImt::new();
            for l in leaves(n) {
                one.insert(l).unwrap();
            }
            let bulk = LeanImt::from_leaves(&leaves(n)).unwrap();
            assert_eq!(one, bulk, "n = {n}");
            // and in two batches
            let mut two = LeanImt::from_leaves(&leaves(n)[..(n / 2) as usize]).unwrap();
            two.insert_many(&leaves(n)[(n / 2) as usize..]).unwrap();
            assert_eq!(two, bulk, "n = {n}");
        }
    }

    #[test]
    fn every_proof_verifies_and_updates_move_the_root() {
        let mut tree = LeanImt::from_leaves(&leaves(11)).unwrap();
        for i in 0..11 {
            let p = tree.generate_proof(i).unwrap();
            assert!(p.verify().is_ok(), "leaf {i}");
        }
        let before = tree.root();
        tree.update(4, Fr::from(99u64)).unwrap();
        assert_ne!(tree.root(), before);
        let rebuilt = LeanImt::from_leaves(&{
            let mut l = leaves(11);
            l[4] = Fr::from(99u64);
            l
        })
        .unwrap();
        assert_eq!(tree.root(), rebuilt.root());
        assert!(tree.update(11, Fr::from(1u64)).is_err());
        assert!(tree.generate_proof(11).is_err());
    }

    #[test]
    fn one_leaf_tree_has_empty_proof() {
        let tree = LeanImt::from_leaves(&[Fr::from(5u64)]).unwrap();
        assert_eq!(tree.root(), Some(Fr::from(5u64)));
        let p = tree.generate_proof(0).unwrap();
        assert!(p.siblings.is_empty());
        assert!(p.verify().is_ok());
        assert_eq!(LeanImt::new().root(), None);
    }

    #[test]
    fn large_bulk_insert_is_parallel_and_consistent() {
        let n = (PARALLEL_THRESHOLD * 2 + 3) as u64;
        let bulk = LeanImt::from_leaves(&leaves(n)).unwrap();
        let mut split = LeanImt::from_leaves(&leaves(n)[..100]).unwrap();
        for l in &leaves(n)[100..] {
            split.insert(*l).unwrap();
        }
        assert_eq!(bulk.root(), split.root());
    }
}
