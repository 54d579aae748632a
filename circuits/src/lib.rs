//! # psephos-circuits
//!
//! The R1CS side of psephos (arkworks 0.6, BN254 scalar field `Fr`): gadgets that
//! are the in-circuit twins of `psephos-primitives`, and the circuits the SNARK
//! crate proves. The only crate of the workspace that touches `ark-relations` and
//! `ark-r1cs-std`. Specification: `docs/circuits.md`.
//!
//! ## The membership circuit (Semaphore v4)
//!
//! [`MembershipCircuit`] proves, for a circuit depth `D = max_depth ∈ 1..=32`:
//! "I know `secret < l` whose identity commitment `Poseidon(secret·Base8)` is a leaf
//! of the LeanIMT with root `merkle_root`, and `nullifier = Poseidon(scope, secret)`",
//! bound to `message`. Public inputs, in order: **`[merkle_root, nullifier,
//! message, scope]`**. It costs `1737 + 246·D` constraints: 1983 at depth 1, 4197
//! at 10, 6657 at 20, 9609 at 32 ([`membership::PINNED_SHAPES`] pins them with a
//! digest of the matrices). [`check_relation`] is the same relation computed
//! natively.
//!
//! It is Semaphore v4's statement with two hardenings: the proof length is a
//! one-hot selector (it cannot exceed `D`), and sibling slots and index bits above
//! the proof length must be zero (no free witness variables).
//!
//! ## The ballot circuit
//!
//! [`BallotCircuit`] proves, for `D`, `k ∈ 1..=64` options and a
//! [`PublicInputMode`]: the membership statement with the poll id as scope, votes
//! `vᵢ ∈ [−V, V]` with `Σ vᵢ² ≤ B` (non-wrapping bit decompositions), and the
//! exponential-ElGamal ciphertext `c1 = ρ·B`, `c2ᵢ = vᵢ·B + ρ·PKᵢ` under the election
//! keys. Public inputs: `[merkle_root, nullifier, poll_id, budget, bound, PK…, c1,
//! c2…]` (explicit) or `[merkle_root, nullifier, poll_id, budget, bound, keys_digest,
//! ciphertext_digest]` (hashed, recommended). `k = 16` at depth 20: 38 202
//! (explicit) / 41 182 (hashed) constraints ([`ballot::PINNED_SHAPES`]).
//! [`check_ballot_relation`] is the native relation. The `ρ·PKᵢ` multiplications use
//! an Orchard-style Montgomery ladder, 7 constraints per bit, exact for every
//! subgroup key and every `ρ` but four ([`babyjubjub::montgomery`],
//! docs/decisions/0005).
//!
//! ## Modules
//!
//! - [`poseidon`]: circomlib Poseidon, arities 1–16 (`Poseidon(2)`: 240 constraints).
//! - [`babyjubjub`]: EIP-2494 points, complete addition (6), curve check (3),
//!   fixed-base `k·Base8` (748 for 251 bits); [`babyjubjub::montgomery`]: the
//!   variable-base ladder `ρ·P` (1772).
//! - [`range`]: non-aliasing bit decompositions, comparison with a constant, and
//!   the `secret < l` check.
//! - [`lean_imt`]: LeanIMT paths (`246·D + 4`).
//! - [`nullifier`]: `Poseidon(scope, secret)`.
//! - [`membership`]: the circuit, its public and private inputs, [`check_relation`].
//! - [`ballot`]: the ballot circuit, its inputs, [`check_ballot_relation`], and the
//!   hashed mode's digests ([`ballot::digest`]).
//! - [`error`]: [`RelationError`], the crate's error type.
//! - [`labels`]: domain-separation labels.
//!
//! ## Example
//!
//! ```
//! use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystem};
//! use psephos_circuits::{check_relation, MembershipCircuit, MembershipPrivate, MembershipPublic};
//! use psephos_primitives::{babyjubjub::{Point, Scalar}, poseidon, Fr};
//!
//! // Two members; we are member 1 (the right child), so the proof has one sibling.
//! let secret = Fr::from(42u64);
//! let pk = Point::mul_base8(&Scalar::from(42u64));
//! let me = poseidon::hash2(pk.x(), pk.y());
//! let other = Fr::from(1234u64);
//! let root = poseidon::hash2(other, me);
//! let scope = Fr::from(2026u64);
//! let public = MembershipPublic {
//!     merkle_root: root,
//!     nullifier: poseidon::hash2(scope, secret),
//!     message: Fr::from(1u64),
//!     scope,
//! };
//! let private = MembershipPrivate {
//!     secret,
//!     proof_length: 1,
//!     index: Fr::from(1u64),
//!     siblings: vec![other, Fr::from(0u64), Fr::from(0u64)],
//! };
//! check_relation(3, &public, &private).expect("a valid statement");
//!
//! let circuit = MembershipCircuit::new(3, public, &private).expect("depth 3 is supported");
//! circuit.check_satisfied().expect("the circuit agrees with check_relation");
//! let cs = ConstraintSystem::<Fr>::new_ref();
//! circuit.generate_constraints(cs.clone()).expect("synthesis");
//! assert_eq!(cs.num_constraints(), 1737 + 246 * 3);
//! ```

pub mod babyjubjub;
pub mod ballot;
pub mod error;
pub mod labels;
pub mod lean_imt;
pub mod membership;
pub mod nullifier;
pub mod poseidon;
pub mod range;

mod r1cs;

pub use ballot::{
    check_ballot_relation, BallotCiphertext, BallotCircuit, BallotPrivate, BallotPublic, PublicInputMode,
};
pub use error::RelationError;
pub use lean_imt::MAX_DEPTH;
pub use membership::{check_relation, MembershipCircuit, MembershipPrivate, MembershipPublic};
