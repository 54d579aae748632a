//! The digests of the ballot circuit's hashed public-input mode
//! (docs/circuits.md §4.3): `keys_digest` over the election keys and
//! `ciphertext_digest` over the ciphertext, each a chained Poseidon sponge.
//!
//! ```text
//! h₀       = IV(kind, k) = SHA3-256(label ‖ kind ‖ k as u64 LE) mod r
//!            label = "psephos/circuits/ballot-digest/v1", kind = 0x01 keys, 0x02 ciphertext
//! hⱼ₊₁     = Poseidon(hⱼ, e_{15j+1}, …, e_{15j+15})    (the last chunk may be shorter:
//!                                                        Poseidon of arity 1 + its length)
//! digest   = h_{⌈n/15⌉}
//! keys:        e = PK₁.x, PK₁.y, …, PK_k.x, PK_k.y                    (n = 2k)
//! ciphertext:  e = c1.x, c1.y, c2₁.x, c2₁.y, …, c2_k.x, c2_k.y        (n = 2k + 2)
//! ```
//!
//! The list length is fixed by `k`, which the IV commits to, so no padding is
//! needed. [`keys_digest`] and [`ciphertext_digest`] are the native twins the
//! verifier runs on validated points.

use ark_bn254::Fr;
use ark_ff::PrimeField;
use ark_r1cs_std::fields::fp::FpVar;
use ark_relations::gr1cs::SynthesisError;
use psephos_primitives::{poseidon, Point};
use sha3::{Digest, Sha3_256};

use super::{check_options, BallotCiphertext};
use crate::{error::RelationError, labels, poseidon::poseidon_hash_var};

/// Elements absorbed per Poseidon call (the chaining value takes the 16th input).
pub const DIGEST_RATE: usize = poseidon::MAX_ARITY - 1;

/// Which list a digest covers (the IV's `kind` byte).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DigestKind {
    /// The election keys `PK₁ … PK_k` (byte `0x01`).
    Keys = 1,
    /// The ciphertext `c1, c2₁ … c2_k` (byte `0x02`).
    Ciphertext = 2,
}

/// `IV(kind, k) = SHA3-256(label ‖ kind ‖ k as u64 LE)`, reduced modulo `r`.
pub fn digest_iv(kind: DigestKind, options: usize) -> Fr {
    let mut hasher = Sha3_256::new();
    hasher.update(labels::BALLOT_DIGEST);
    hasher.update([kind as u8]);
    hasher.update((options as u64).to_le_bytes());
    Fr::from_le_bytes_mod_order(&hasher.finalize())
}

/// The sponge over `elements` from `IV(kind, options)` (native).
pub fn digest(kind: DigestKind, options: usize, elements: &[Fr]) -> Fr {
    let mut h = digest_iv(kind, options);
    for chunk in elements.chunks(DIGEST_RATE) {
        let mut input = Vec::with_capacity(chunk.len() + 1);
        input.push(h);
        input.extend_from_slice(chunk);
        // Arity 2..=16 by construction.
        h = poseidon::hash(&input).expect("arity is at most MAX_ARITY");
    }
    h
}

/// The sponge in R1CS (twin of [`digest`]); the IV is a constant.
pub(crate) fn digest_var(
    kind: DigestKind,
    options: usize,
    elements: &[FpVar<Fr>],
) -> Result<FpVar<Fr>, SynthesisError> {
    let mut h = FpVar::Constant(digest_iv(kind, options));
    for chunk in elements.chunks(DIGEST_RATE) {
        let mut input = Vec::with_capacity(chunk.len() + 1);
        input.push(h);
        input.extend_from_slice(chunk);
        h = poseidon_hash_var(&input)?;
    }
    Ok(h)
}

/// Constraints of [`digest_var`] over `n` variable elements: a `Poseidon(1 + c)`
/// per chunk of `c` elements, less 3 for the first call (its chaining input is the
/// constant IV, whose first-round S-box is free).
pub(crate) fn digest_constraints(n: usize) -> usize {
    let mut total = 0;
    let mut remaining = n;
    while remaining > 0 {
        let c = remaining.min(DIGEST_RATE);
        total += crate::poseidon::constraint_count(c + 1).unwrap_or(0);
        remaining -= c;
    }
    total.saturating_sub(3)
}

/// The coordinates `PK₁.x, PK₁.y, …` of the election keys.
pub(crate) fn key_coordinates(keys: &[[Fr; 2]]) -> Vec<Fr> {
    keys.iter().flat_map(|p| p.iter().copied()).collect()
}

/// `keys_digest`: the hashed-mode public input committing to the election keys
/// (the verifier computes it from the validated keys). `k` = `keys.len()` must be in
/// `1..=64`.
///
/// ```
/// use psephos_circuits::ballot::digest::keys_digest;
/// use psephos_primitives::{Point, Scalar};
///
/// let keys = vec![Point::mul_base8(&Scalar::from(5u64)), Point::mul_base8(&Scalar::from(6u64))];
/// let d = keys_digest(&keys).expect("two options");
/// assert_ne!(d, keys_digest(&[keys[1], keys[0]]).expect("two options"));
/// ```
pub fn keys_digest(keys: &[Point]) -> Result<Fr, RelationError> {
    check_options(keys.len())?;
    let coords: Vec<[Fr; 2]> = keys.iter().map(|p| [p.x(), p.y()]).collect();
    Ok(digest(DigestKind::Keys, keys.len(), &key_coordinates(&coords)))
}

/// The election keys with their [`keys_digest`], computed once for the public
/// inputs of many ballots under the same keys
/// ([`BallotPublic::to_vec_with_keys`](super::BallotPublic::to_vec_with_keys)).
/// It keeps the keys, so it cannot be used for a statement with other keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeysDigest {
    keys: Vec<Point>,
    digest: Fr,
}

impl KeysDigest {
    /// Digests `keys` (`1..=64` of them).
    pub fn new(keys: &[Point]) -> Result<Self, RelationError> {
        Ok(Self { keys: keys.to_vec(), digest: keys_digest(keys)? })
    }

    /// The keys.
    pub fn keys(&self) -> &[Point] {
        &self.keys
    }

    /// The digest, [`keys_digest`] of the keys.
    pub fn digest(&self) -> Fr {
        self.digest
    }
}

/// `ciphertext_digest`: the hashed-mode public input committing to the ciphertext
/// `c1, c2₁ … c2_k` (`k` = `c2.len()` in `1..=64`).
pub fn ciphertext_digest(ciphertext: &BallotCiphertext) -> Result<Fr, RelationError> {
    check_options(ciphertext.c2.len())?;
    Ok(digest(DigestKind::Ciphertext, ciphertext.c2.len(), &ciphertext.coordinates()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_r1cs_std::{alloc::AllocVar, GR1CSVar};
    use ark_relations::gr1cs::{ConstraintSystem, OptimizationGoal};
    use ark_std::UniformRand;
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;

    #[test]
    fn gadget_matches_native_and_its_constraint_count() {
        let mut rng = ChaCha20Rng::seed_from_u64(20);
        for n in [1usize, 2, 14, 15, 16, 30, 31, 34, 130] {
            let values: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
            let cs = ConstraintSystem::<Fr>::new_ref();
            cs.set_optimization_goal(OptimizationGoal::Constraints);
            let vars: Vec<FpVar<Fr>> =
                values.iter().map(|v| FpVar::new_witness(cs.clone(), || Ok(*v)).unwrap()).collect();
            let out = digest_var(DigestKind::Ciphertext, 7, &vars).unwrap();
            assert_eq!(out.value().unwrap(), digest(DigestKind::Ciphertext, 7, &values), "n = {n}");
            assert!(cs.is_satisfied().unwrap());
            assert_eq!(cs.num_constraints(), digest_constraints(n), "n = {n}");
        }
    }

    #[test]
    fn the_iv_separates_kinds_and_option_counts() {
        let e = [Fr::from(1u64), Fr::from(2u64)];
        assert_ne!(digest(DigestKind::Keys, 1, &e), digest(DigestKind::Ciphertext, 1, &e));
        assert_ne!(digest(DigestKind::Keys, 1, &e), digest(DigestKind::Keys, 2, &e));
        assert_ne!(digest_iv(DigestKind::Keys, 1), digest_iv(DigestKind::Keys, 2));
        // The chaining is Poseidon(IV, e₁, …): one call for up to 15 elements.
        let iv = digest_iv(DigestKind::Keys, 1);
        assert_eq!(digest(DigestKind::Keys, 1, &e), poseidon::hash(&[iv, e[0], e[1]]).unwrap());
        let long: Vec<Fr> = (0..16u64).map(Fr::from).collect();
        let h1 = poseidon::hash(&[&[iv][..], &long[..15]].concat()).unwrap();
        assert_eq!(digest(DigestKind::Keys, 1, &long), poseidon::hash(&[h1, long[15]]).unwrap());
    }

    #[test]
    fn invalid_option_counts_are_errors() {
        assert_eq!(keys_digest(&[]), Err(RelationError::InvalidOptionCount(0)));
        let many = vec![Point::BASE8; 65];
        assert_eq!(keys_digest(&many), Err(RelationError::InvalidOptionCount(65)));
        let ct = BallotCiphertext { c1: Point::BASE8, c2: vec![] };
        assert_eq!(ciphertext_digest(&ct), Err(RelationError::InvalidOptionCount(0)));
    }
}
