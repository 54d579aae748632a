//! Test-only LeanIMT builder (`@zk-kit/lean-imt` semantics with `Poseidon(2)`).
//!
//! Shared by the unit tests and `tests/membership_soundness.rs` (included there by
//! path), so it uses only `psephos_primitives`. It is cross-checked against the
//! JavaScript reference in `test-vectors/lean_imt.json`.
//!
//! LeanIMT: level 0 holds the leaves; node `i` of level `k + 1` is
//! `Poseidon(n_{2i}, n_{2i+1})` when the right child exists and `n_{2i}` itself
//! otherwise. A proof lists only the siblings that exist; the index has one bit per
//! listed sibling (LSB first), so `index < 2^siblings.len()`.

use psephos_primitives::{poseidon, Fr};

/// A LeanIMT held as its full list of levels.
pub struct TestTree {
    levels: Vec<Vec<Fr>>,
}

impl TestTree {
    /// Builds the tree of `leaves` (at least one).
    pub fn new(leaves: &[Fr]) -> Self {
        assert!(!leaves.is_empty(), "a LeanIMT proof needs at least one leaf");
        let mut levels = vec![leaves.to_vec()];
        while levels.last().map_or(0, Vec::len) > 1 {
            let below = levels.last().expect("non-empty");
            let above = below
                .chunks(2)
                .map(|pair| match pair {
                    [left, right] => poseidon::hash2(*left, *right),
                    [single] => *single,
                    _ => unreachable!("chunks(2)"),
                })
                .collect();
            levels.push(above);
        }
        Self { levels }
    }

    /// The root.
    pub fn root(&self) -> Fr {
        self.levels.last().expect("non-empty")[0]
    }

    /// The depth (number of levels above the leaves).
    pub fn depth(&self) -> usize {
        self.levels.len() - 1
    }

    /// Semaphore's proof for leaf `leaf_index`: `(siblings, index)`.
    pub fn proof(&self, leaf_index: usize) -> (Vec<Fr>, u64) {
        let mut position = leaf_index;
        let mut siblings = Vec::new();
        let mut index = 0u64;
        for level in &self.levels[..self.depth()] {
            let is_right = position & 1 == 1;
            let sibling = if is_right { position - 1 } else { position + 1 };
            if let Some(s) = level.get(sibling) {
                if is_right {
                    index |= 1 << siblings.len();
                }
                siblings.push(*s);
            }
            position >>= 1;
        }
        (siblings, index)
    }
}
