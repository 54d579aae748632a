//! LeanIMT membership paths in R1CS: Semaphore v4's `BinaryMerkleRoot`, hardened
//! (docs/circuits.md §"Merkle path").
//!
//! A LeanIMT proof (`@zk-kit/lean-imt`) lists only the siblings that exist, so its
//! length `ℓ` can be smaller than the tree depth; bit `i` of `index` says whether
//! the node at level `i` is the **right** child:
//!
//! ```text
//! node₀ = leaf
//! nodeᵢ₊₁ = Poseidon(siblingᵢ, nodeᵢ)  if bitᵢ(index) = 1
//!         = Poseidon(nodeᵢ, siblingᵢ)  if bitᵢ(index) = 0        (i < ℓ)
//! root = node_ℓ                        (ℓ = 0: root = leaf)
//! ```
//!
//! The circuit has a fixed `max_depth = D` (`1..=`[`MAX_DEPTH`]) and `D` sibling
//! slots. It enforces:
//!
//! - `index` decomposed into `D` Boolean bits (no aliasing: `D ≤ 32`);
//! - `ℓ ∈ 0..=D` through a one-hot selector `s₀..s_D`: each `sⱼ` Boolean,
//!   `Σ sⱼ = 1`, `Σ j·sⱼ = ℓ`. Semaphore's `IsEqual` chain instead lets
//!   `ℓ > D` through with root 0;
//! - padding: for every level `i ≥ ℓ` (`doneᵢ = Σ_{j≤i} sⱼ = 1`),
//!   `siblingᵢ · doneᵢ = 0` and `bitᵢ · doneᵢ = 0`. Semaphore pads with zero siblings
//!   and `index < 2^ℓ`, so honest witnesses pass, and no witness variable is left
//!   free above the proof length;
//! - the levels: `t = bitᵢ·(siblingᵢ − nodeᵢ)`, `left = nodeᵢ + t`,
//!   `right = siblingᵢ − t`, `h = Poseidon(left, right)`, and
//!   `nodeᵢ₊₁ = nodeᵢ + activeᵢ·(h − nodeᵢ)` with `activeᵢ = 1 − doneᵢ`.
//!
//! # Cost
//!
//! `(D + 3)` selector + `(D + 1)` index + `2D` padding + `D·(1 + 240 + 1)` levels
//! `= 246·D + 4` constraints ([`constraint_count`]).

use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, Field, PrimeField};
use ark_r1cs_std::{fields::fp::FpVar, GR1CSVar};
use ark_relations::{
    gr1cs::{ConstraintSystemRef, SynthesisError},
    ns,
};
use num_bigint::BigUint;
use psephos_primitives::poseidon;

use crate::{
    poseidon::poseidon_hash2_var,
    r1cs::{enforce_equal, enforce_product_is_zero, mul},
    range::{alloc_raw, enforce_booleanity, enforce_packing},
};

#[cfg(test)]
pub(crate) mod test_tree;

/// The largest supported `max_depth` (Semaphore v4's `MAX_DEPTH`).
pub const MAX_DEPTH: usize = 32;

/// The number of constraints of a path of depth `max_depth`: `246·D + 4`.
pub const fn constraint_count(max_depth: usize) -> usize {
    246 * max_depth + 4
}

/// Whether `max_depth` is a supported circuit depth (`1..=MAX_DEPTH`).
pub const fn is_valid_max_depth(max_depth: usize) -> bool {
    max_depth >= 1 && max_depth <= MAX_DEPTH
}

/// The native root of a LeanIMT proof: `siblings` are the `ℓ` real siblings and bit
/// `i` of `index` the direction at level `i` (bits `≥ ℓ` are ignored). The twin of
/// [`MerklePathVar::root`] and of `@semaphore-protocol/proof`'s verification.
pub fn merkle_root(leaf: Fr, index: &BigUint, siblings: &[Fr]) -> Fr {
    siblings.iter().enumerate().fold(leaf, |node, (i, sibling)| {
        if index.bit(i as u64) {
            poseidon::hash2(*sibling, node)
        } else {
            poseidon::hash2(node, *sibling)
        }
    })
}

/// The raw values of a path's witness variables, before any check. Built from a
/// LeanIMT proof by [`RawPath::from_proof`]; tests may fill it with anything to act
/// as a malicious prover.
#[derive(Clone)]
pub(crate) struct RawPath {
    /// `ℓ` as a field element.
    pub proof_length: Fr,
    /// `s₀..s_D`, one-hot at `ℓ` for an honest prover.
    pub selector: Vec<Fr>,
    /// The index as a field element.
    pub index: Fr,
    /// The `D` low bits of the index.
    pub index_bits: Vec<Fr>,
    /// `D` sibling slots.
    pub siblings: Vec<Fr>,
}

impl RawPath {
    /// The honest witness for a proof. A `proof_length > D` gets the all-zero
    /// selector and an index too large gets its low `D` bits: both leave the system
    /// unsatisfied instead of failing here. `siblings.len()` must be `D`.
    pub fn from_proof(max_depth: usize, proof_length: usize, index: Fr, siblings: &[Fr]) -> Self {
        let selector = (0..=max_depth).map(|j| Fr::from(u64::from(j == proof_length))).collect();
        let index_int: BigUint = index.into_bigint().into();
        let index_bits = (0..max_depth).map(|i| Fr::from(u64::from(index_int.bit(i as u64)))).collect();
        Self {
            proof_length: Fr::from(proof_length as u64),
            selector,
            index,
            index_bits,
            siblings: siblings.to_vec(),
        }
    }

    /// `D`, if the vectors have consistent lengths.
    pub fn max_depth(&self) -> Option<usize> {
        let d = self.siblings.len();
        (self.index_bits.len() == d && self.selector.len() == d + 1).then_some(d)
    }
}

/// A LeanIMT membership path in R1CS with its well-formedness constraints
/// (see the module documentation). `Debug` shows only the depth: the index and
/// siblings locate a member in the group.
#[derive(Clone)]
pub struct MerklePathVar {
    /// `ℓ`, the number of real siblings.
    proof_length: FpVar<Fr>,
    /// The one-hot selector `s₀..s_D` of `ℓ`.
    selector: Vec<FpVar<Fr>>,
    /// The index.
    index: FpVar<Fr>,
    /// The `D` little-endian bits of the index.
    index_bits: Vec<FpVar<Fr>>,
    /// The `D` sibling slots (zero above `ℓ`).
    siblings: Vec<FpVar<Fr>>,
}

impl std::fmt::Debug for MerklePathVar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MerklePathVar").field("max_depth", &self.max_depth()).finish_non_exhaustive()
    }
}

impl MerklePathVar {
    /// Allocates a LeanIMT proof as witnesses — `proof_length` real siblings, then
    /// zero padding up to `siblings.len() = max_depth` — and enforces its
    /// well-formedness (`4D + 4` constraints).
    ///
    /// `siblings.len()` outside `1..=`[`MAX_DEPTH`] is `ArityMismatch`. A malformed
    /// proof (too long, index too large, non-zero padding) leaves the system
    /// unsatisfied.
    pub fn new_witness(
        cs: ConstraintSystemRef<Fr>,
        proof_length: usize,
        index: Fr,
        siblings: &[Fr],
    ) -> Result<Self, SynthesisError> {
        let raw = RawPath::from_proof(siblings.len(), proof_length, index, siblings);
        Self::from_raw(cs, &raw)
    }

    /// Allocates the raw values in the order `ℓ, s₀..s_D, index, bits, siblings`
    /// and enforces well-formedness.
    pub(crate) fn from_raw(cs: ConstraintSystemRef<Fr>, raw: &RawPath) -> Result<Self, SynthesisError> {
        let max_depth = raw.max_depth().ok_or(SynthesisError::ArityMismatch)?;
        if !is_valid_max_depth(max_depth) {
            return Err(SynthesisError::ArityMismatch);
        }
        let proof_length = alloc_raw(&cs, &[raw.proof_length])?.remove(0);
        let selector = alloc_raw(&cs, &raw.selector)?;
        let index = alloc_raw(&cs, &[raw.index])?.remove(0);
        let index_bits = alloc_raw(&cs, &raw.index_bits)?;
        let siblings = alloc_raw(&cs, &raw.siblings)?;
        let path = Self { proof_length, selector, index, index_bits, siblings };
        path.enforce_well_formed()?;
        Ok(path)
    }

    /// `D`, the number of sibling slots.
    pub fn max_depth(&self) -> usize {
        self.siblings.len()
    }

    /// `ℓ`.
    pub fn proof_length(&self) -> &FpVar<Fr> {
        &self.proof_length
    }

    /// The index.
    pub fn index(&self) -> &FpVar<Fr> {
        &self.index
    }

    /// `doneᵢ = Σ_{j ≤ i} sⱼ`: 1 exactly for the levels `i ≥ ℓ` (linear).
    fn done(&self, level: usize) -> FpVar<Fr> {
        self.selector[..=level].iter().fold(FpVar::Constant(Fr::ZERO), |acc, s| acc + s)
    }

    fn enforce_well_formed(&self) -> Result<(), SynthesisError> {
        let cs = self.index.cs();
        let _path = ns!(cs, "merkle_path");
        {
            let _ns = ns!(cs, "selector");
            enforce_booleanity(&self.selector)?;
            let one_hot = ns!(cs, "selector_one_hot");
            let sum = self.selector.iter().fold(FpVar::Constant(Fr::ZERO), |acc, s| acc + s);
            enforce_equal(&sum, &FpVar::Constant(Fr::ONE))?;
            drop(one_hot);
            let _matches = ns!(cs, "selector_matches_length");
            let weighted = self
                .selector
                .iter()
                .enumerate()
                .fold(FpVar::Constant(Fr::ZERO), |acc, (j, s)| acc + s * Fr::from(j as u64));
            enforce_equal(&weighted, &self.proof_length)?;
        }
        {
            let _ns = ns!(cs, "index_bits");
            enforce_booleanity(&self.index_bits)?;
            enforce_packing(&self.index, &self.index_bits)?;
        }
        let _ns = ns!(cs, "padding");
        for level in 0..self.max_depth() {
            let done = self.done(level);
            let bit = ns!(cs, "index_bit_zero_above_length");
            enforce_product_is_zero(&self.index_bits[level], &done)?;
            drop(bit);
            let _sibling = ns!(cs, "sibling_zero_above_length");
            enforce_product_is_zero(&self.siblings[level], &done)?;
        }
        Ok(())
    }

    /// The root reached from `leaf` (`D·242` constraints).
    pub fn root(&self, leaf: &FpVar<Fr>) -> Result<FpVar<Fr>, SynthesisError> {
        let cs = self.index.cs().or(leaf.cs());
        let _ns = ns!(cs, "merkle_levels");
        let mut node = leaf.clone();
        for level in 0..self.max_depth() {
            let bit = &self.index_bits[level];
            let sibling = &self.siblings[level];
            let t = mul(bit, &(sibling - &node))?;
            let left = &node + &t;
            let right = sibling - &t;
            let h = poseidon_hash2_var(&left, &right)?;
            let active = FpVar::Constant(Fr::ONE) - self.done(level);
            node = &node + mul(&active, &(h - &node))?;
        }
        Ok(node)
    }
}

/// The LeanIMT root from variables: `siblings` has `D = siblings.len()` slots
/// (`1..=`[`MAX_DEPTH`], else `ArityMismatch`), the first `proof_length` of them
/// real. Allocates the selector and index bits from the assigned values and enforces
/// everything [`MerklePathVar`] does.
pub fn merkle_root_var(
    leaf: &FpVar<Fr>,
    proof_length: &FpVar<Fr>,
    index: &FpVar<Fr>,
    siblings: &[FpVar<Fr>],
) -> Result<FpVar<Fr>, SynthesisError> {
    let max_depth = siblings.len();
    if !is_valid_max_depth(max_depth) {
        return Err(SynthesisError::ArityMismatch);
    }
    let cs = leaf.cs().or(proof_length.cs()).or(index.cs()).or(siblings.cs());
    if cs.is_none() {
        return Err(SynthesisError::MissingCS);
    }
    // Selector and bits are derived from the assignment (only when proving) and are
    // fully determined by the constraints below.
    let length_value = || -> Result<usize, SynthesisError> {
        let v: BigUint = proof_length.value()?.into_bigint().into();
        Ok(usize::try_from(v).unwrap_or(usize::MAX))
    };
    let selector = (0..=max_depth)
        .map(|j| crate::r1cs::witness(&cs, || Ok(Fr::from(u64::from(length_value()? == j)))))
        .collect::<Result<Vec<_>, _>>()?;
    let index_bits = (0..max_depth)
        .map(|i| {
            crate::r1cs::witness(&cs, || {
                let v: BigUint = index.value()?.into_bigint().into();
                Ok(Fr::from(u64::from(v.bit(i as u64))))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let path = MerklePathVar {
        proof_length: proof_length.clone(),
        selector,
        index: index.clone(),
        index_bits,
        siblings: siblings.to_vec(),
    };
    path.enforce_well_formed()?;
    path.root(leaf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lean_imt::test_tree::TestTree;
    use ark_r1cs_std::alloc::AllocVar;
    use ark_relations::gr1cs::{ConstraintSystem, OptimizationGoal};
    use psephos_primitives::field::from_decimal;

    fn cs() -> ConstraintSystemRef<Fr> {
        let cs = ConstraintSystem::<Fr>::new_ref();
        cs.set_optimization_goal(OptimizationGoal::Constraints);
        cs
    }

    fn leaves(n: u64) -> Vec<Fr> {
        (1..=n).map(|i| Fr::from(1000 + i)).collect()
    }

    fn padded(siblings: &[Fr], d: usize) -> Vec<Fr> {
        let mut s = siblings.to_vec();
        s.resize(d, Fr::ZERO);
        s
    }

    /// Runs the gadget; returns (root value, satisfied, constraints).
    fn run(leaf: Fr, proof_length: usize, index: Fr, siblings: &[Fr]) -> (Fr, bool, usize) {
        let cs = cs();
        let leaf_var = FpVar::new_witness(cs.clone(), || Ok(leaf)).unwrap();
        let path = MerklePathVar::new_witness(cs.clone(), proof_length, index, siblings).unwrap();
        let root = path.root(&leaf_var).unwrap();
        cs.finalize();
        (root.value().unwrap(), cs.is_satisfied().unwrap(), cs.num_constraints())
    }

    #[test]
    fn gadget_matches_native_on_every_leaf_of_small_trees() {
        for n in 1..=9u64 {
            let leaves = leaves(n);
            let tree = TestTree::new(&leaves);
            for d in tree.depth().max(1)..=tree.depth() + 1 {
                for (i, leaf) in leaves.iter().enumerate() {
                    let (siblings, index) = tree.proof(i);
                    assert_eq!(merkle_root(*leaf, &BigUint::from(index), &siblings), tree.root());
                    let (root, ok, count) =
                        run(*leaf, siblings.len(), Fr::from(index), &padded(&siblings, d));
                    assert_eq!(root, tree.root(), "n = {n}, d = {d}, leaf {i}");
                    assert!(ok, "n = {n}, d = {d}, leaf {i}");
                    assert_eq!(count, constraint_count(d));
                }
            }
        }
    }

    #[test]
    fn matches_the_javascript_lean_imt_vectors() {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../test-vectors/lean_imt.json"))
                .expect("test-vectors/lean_imt.json");
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        let dec = |v: &serde_json::Value| from_decimal(v.as_str().unwrap()).unwrap();
        let mut checked = 0;
        for group in json["testGroups"].as_array().unwrap() {
            for t in group["tests"].as_array().unwrap() {
                let leaves: Vec<Fr> = t["leaves"].as_array().map_or(vec![], |l| l.iter().map(dec).collect());
                if group["type"] == "Root" && !leaves.is_empty() {
                    assert_eq!(TestTree::new(&leaves).root(), dec(&t["root"]), "{}", t["comment"]);
                }
                if group["type"] != "MerkleProof" {
                    continue;
                }
                let proof = &t["proof"];
                let siblings: Vec<Fr> = proof["siblings"].as_array().unwrap().iter().map(dec).collect();
                let index = proof["index"].as_u64().unwrap();
                let tree = TestTree::new(&leaves);
                let leaf_index = t["index"].as_u64().unwrap() as usize;
                assert_eq!(tree.proof(leaf_index), (siblings.clone(), index), "{}", t["comment"]);
                let d = siblings.len().max(1) + 1;
                let (root, ok, _) =
                    run(dec(&proof["leaf"]), siblings.len(), Fr::from(index), &padded(&siblings, d));
                assert_eq!(root, dec(&proof["root"]), "{}", t["comment"]);
                assert!(ok, "{}", t["comment"]);
                checked += 1;
            }
        }
        assert_eq!(checked, 16);
    }

    #[test]
    fn empty_proof_gives_the_leaf() {
        let (root, ok, _) = run(Fr::from(42u64), 0, Fr::ZERO, &[Fr::ZERO; 3]);
        assert_eq!(root, Fr::from(42u64));
        assert!(ok);
    }

    #[test]
    fn malformed_proofs_are_unsatisfiable() {
        let leaves = leaves(4);
        let tree = TestTree::new(&leaves);
        let (siblings, index) = tree.proof(2); // 2 siblings, index 2
        let d = 3;
        let good = padded(&siblings, d);
        assert!(run(leaves[2], 2, Fr::from(index), &good).1);
        // proof_length beyond max_depth.
        assert!(!run(leaves[2], d + 1, Fr::from(index), &good).1);
        // index with a bit at or above the proof length.
        assert!(!run(leaves[2], 2, Fr::from(index + 4), &good).1);
        assert!(!run(leaves[2], 2, Fr::from(index + 8), &good).1);
        // non-zero padding sibling.
        let mut bad = good.clone();
        bad[2] = Fr::ONE;
        assert!(!run(leaves[2], 2, Fr::from(index), &bad).1);
        // flipped direction bit.
        assert!(run(leaves[2], 2, Fr::from(index ^ 1), &good).0 != tree.root());
    }

    #[test]
    fn merkle_root_var_derives_the_selector_and_bits() {
        let leaves = leaves(5);
        let tree = TestTree::new(&leaves);
        let (siblings, index) = tree.proof(3);
        let cs = cs();
        let w = |v: Fr| FpVar::new_witness(cs.clone(), || Ok(v)).unwrap();
        let sibling_vars: Vec<FpVar<Fr>> = padded(&siblings, 4).into_iter().map(w).collect();
        let root = merkle_root_var(
            &w(leaves[3]),
            &w(Fr::from(siblings.len() as u64)),
            &w(Fr::from(index)),
            &sibling_vars,
        )
        .unwrap();
        assert_eq!(root.value().unwrap(), tree.root());
        assert!(cs.is_satisfied().unwrap());
        assert_eq!(cs.num_constraints(), constraint_count(4));
        // Too long for the depth: the all-zero selector fails.
        let cs = self::cs();
        let w = |v: Fr| FpVar::new_witness(cs.clone(), || Ok(v)).unwrap();
        let sibling_vars: Vec<FpVar<Fr>> = padded(&siblings, 4).into_iter().map(w).collect();
        let _ = merkle_root_var(&w(leaves[3]), &w(-Fr::ONE), &w(Fr::from(index)), &sibling_vars).unwrap();
        assert!(!cs.is_satisfied().unwrap());
    }

    #[test]
    fn invalid_depths_are_errors() {
        let cs = cs();
        let leaf = FpVar::new_witness(cs.clone(), || Ok(Fr::ONE)).unwrap();
        let zero = FpVar::Constant(Fr::ZERO);
        assert_eq!(merkle_root_var(&leaf, &zero, &zero, &[]).unwrap_err(), SynthesisError::ArityMismatch);
        let too_deep = vec![zero.clone(); MAX_DEPTH + 1];
        assert_eq!(
            merkle_root_var(&leaf, &zero, &zero, &too_deep).unwrap_err(),
            SynthesisError::ArityMismatch
        );
        assert_eq!(
            MerklePathVar::new_witness(cs.clone(), 0, Fr::ZERO, &[]).unwrap_err(),
            SynthesisError::ArityMismatch
        );
        assert!(
            !is_valid_max_depth(0)
                && is_valid_max_depth(1)
                && is_valid_max_depth(32)
                && !is_valid_max_depth(33)
        );
    }
}
