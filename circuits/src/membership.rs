//! The membership statement: Semaphore v4's circuit, hardened
//! (docs/circuits.md; `semaphore.circom` of `@semaphore-protocol/circuits` 4.x).
//!
//! **Public inputs, in this order:** `[merkle_root, nullifier, message, scope]`
//! ([`MembershipPublic::to_vec`]).
//!
//! **Private inputs:** `secret` (Semaphore's secret scalar), `proof_length`,
//! `index`, `siblings` (`max_depth` slots, zero-padded) ([`MembershipPrivate`]).
//!
//! **Statement** (for a circuit parameter `max_depth = D ∈ 1..=32`):
//!
//! ```text
//! secret < l                                  (251-bit decomposition + comparison)
//! pk          = secret · Base8                (EIP-2494 Baby Jubjub)
//! commitment  = Poseidon(pk.x, pk.y)
//! merkle_root = LeanIMTRoot(commitment, proof_length, index, siblings)
//!               with proof_length ≤ D, index < 2^proof_length, siblings zero above proof_length
//! nullifier   = Poseidon(scope, secret)
//! message · message is computed                (binds `message`, as Semaphore's dummy square)
//! ```
//!
//! [`check_relation`] is the same relation computed natively with
//! `psephos-primitives`; the tests check that both always agree.
//!
//! **Constraints:** `1737 + 246·D` (see [`constraint_count`] and [`PINNED_SHAPES`]):
//!
//! | part | constraints |
//! | --- | --- |
//! | secret: 251 booleanity + 1 packing + 250 `< l` | 502 |
//! | public key, fixed-base `secret·Base8` | 748 |
//! | commitment `Poseidon(2)` | 240 |
//! | Merkle path | `246·D + 4` |
//! | root equality | 1 |
//! | nullifier `Poseidon(2)` + equality | 241 |
//! | message square | 1 |

use std::fmt;

use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, BigInteger, PrimeField, Zero};
use ark_r1cs_std::{alloc::AllocVar, fields::fp::FpVar};
use ark_relations::{
    gr1cs::{
        ConstraintSynthesizer, ConstraintSystem, ConstraintSystemRef, OptimizationGoal, SynthesisError,
        SynthesisMode, R1CS_PREDICATE_LABEL,
    },
    ns,
};
use num_bigint::BigUint;
use psephos_primitives::{
    babyjubjub::{Point, Scalar},
    field::modulus,
    poseidon,
};
use sha3::{Digest, Sha3_256};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::{
    babyjubjub::PointVar,
    error::RelationError,
    labels,
    lean_imt::{self, is_valid_max_depth, MerklePathVar, RawPath},
    nullifier::{nullifier, nullifier_var},
    poseidon::poseidon_hash2_var,
    r1cs::{enforce_equal, square},
    range::{
        alloc_raw, enforce_booleanity, enforce_less_than_constant_unchecked_bits, enforce_packing,
        SCALAR_BITS,
    },
};

/// Constraints outside the Merkle path: `502 + 748 + 240 + 1 + 241 + 1 + 4`.
const FIXED_CONSTRAINTS: usize = 1737;

/// The number of constraints for `max_depth` (`1737 + 246·D`), or `None` if the
/// depth is unsupported.
pub const fn constraint_count(max_depth: usize) -> Option<usize> {
    if is_valid_max_depth(max_depth) {
        Some(FIXED_CONSTRAINTS - 4 + lean_imt::constraint_count(max_depth))
    } else {
        None
    }
}

/// Pinned circuit shapes: `(max_depth, constraints, SHA3-256 of the matrices)`,
/// computed by [`MembershipCircuit::shape`].
///
/// Verifying keys depend on these matrices. They change **only on purpose**: a
/// change to the statement, a gadget, or the allocation order. Regenerate by running
/// `cargo test -p psephos-circuits --test membership_soundness pinned -- --nocapture`
/// and copying the printed table, and say why in the commit.
pub const PINNED_SHAPES: [(usize, usize, &str); 5] = [
    (1, 1983, "edc218223c6c6f482819ba832e574873734785c8b6719e8ad141037df83c3990"),
    (2, 2229, "787d6028d91b9c0f56c8762b331f8a6720dbaf6503e7c73b6f9113110ca699d4"),
    (10, 4197, "83bc7373e18cd7d1378ac490997ec0bbfe204882ef8a1de9f35ddc35fecea809"),
    (20, 6657, "702b0dc5bb5cb4a4a27d0ababf8fac38c35dff483e12e8beed74ab1160f1b57a"),
    (32, 9609, "0700fb4489ad608374c38f0312fec7388e840a2767051a2983b11cc0957ea564"),
];

/// The public inputs, in circuit order `[merkle_root, nullifier, message, scope]`.
///
/// `message` and `scope` are the field elements that enter the circuit (Semaphore
/// hashes the application's values outside it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct MembershipPublic {
    /// The group's LeanIMT root.
    pub merkle_root: Fr,
    /// `Poseidon(scope, secret)`.
    pub nullifier: Fr,
    /// The signal (already hashed).
    pub message: Fr,
    /// The scope (already hashed), e.g. a poll id.
    pub scope: Fr,
}

impl MembershipPublic {
    /// The number of public inputs.
    pub const LEN: usize = 4;

    /// The public inputs in circuit order: `[merkle_root, nullifier, message, scope]`.
    pub fn to_vec(&self) -> Vec<Fr> {
        vec![self.merkle_root, self.nullifier, self.message, self.scope]
    }
}

/// The private inputs. `Debug` redacts them; they are zeroized on drop.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct MembershipPrivate {
    /// Semaphore's secret scalar; the statement requires `secret < l`.
    pub secret: Fr,
    /// The number of real siblings in the LeanIMT proof (`≤ max_depth`).
    pub proof_length: usize,
    /// The LeanIMT proof index (`< 2^proof_length`).
    pub index: Fr,
    /// `max_depth` siblings: the proof's siblings, then zeros.
    pub siblings: Vec<Fr>,
}

impl fmt::Debug for MembershipPrivate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MembershipPrivate").finish_non_exhaustive()
    }
}

/// The raw values of every input-like witness variable, in allocation order.
///
/// **For adversarial tests only** (see [`MembershipCircuit::from_raw_witness_unchecked`]):
/// an honest prover never builds one by hand.
#[doc(hidden)]
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct RawMembershipWitness {
    /// The secret.
    pub secret: Fr,
    /// Its 251 little-endian bits.
    pub secret_bits: Vec<Fr>,
    /// `ℓ`.
    pub proof_length: Fr,
    /// The one-hot selector `s₀..s_D`.
    pub selector: Vec<Fr>,
    /// The index.
    pub index: Fr,
    /// Its `D` low bits.
    pub index_bits: Vec<Fr>,
    /// `D` sibling slots.
    pub siblings: Vec<Fr>,
}

impl RawMembershipWitness {
    /// The witness an honest prover derives from `private` (natively; nothing is
    /// read back from the constraint system). Values that do not fit (a secret
    /// `≥ 2²⁵¹`, a proof length `> D`) get truncated bits or an all-zero selector,
    /// which leaves the system unsatisfied.
    pub fn honest(max_depth: usize, private: &MembershipPrivate) -> Self {
        let secret: BigUint = private.secret.into_bigint().into();
        let path = RawPath::from_proof(max_depth, private.proof_length, private.index, &private.siblings);
        Self {
            secret: private.secret,
            secret_bits: (0..SCALAR_BITS).map(|i| Fr::from(u64::from(secret.bit(i as u64)))).collect(),
            proof_length: path.proof_length,
            selector: path.selector.clone(),
            index: path.index,
            index_bits: path.index_bits.clone(),
            siblings: path.siblings.clone(),
        }
    }

    fn path(&self) -> RawPath {
        RawPath {
            proof_length: self.proof_length,
            selector: self.selector.clone(),
            index: self.index,
            index_bits: self.index_bits.clone(),
            siblings: self.siblings.clone(),
        }
    }

    fn check_shape(&self, max_depth: usize) -> Result<(), RelationError> {
        let lengths = [
            ("secret_bits", SCALAR_BITS, self.secret_bits.len()),
            ("selector", max_depth + 1, self.selector.len()),
            ("index_bits", max_depth, self.index_bits.len()),
            ("siblings", max_depth, self.siblings.len()),
        ];
        for (what, expected, got) in lengths {
            if expected != got {
                return Err(RelationError::WitnessLength { what, expected, got });
            }
        }
        Ok(())
    }
}

impl fmt::Debug for RawMembershipWitness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawMembershipWitness").finish_non_exhaustive()
    }
}

/// The size and a digest of a circuit's constraint matrices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CircuitShape {
    /// Number of R1CS constraints.
    pub num_constraints: usize,
    /// Instance variables, including the constant `1`.
    pub num_instance_variables: usize,
    /// Witness variables.
    pub num_witness_variables: usize,
    /// SHA3-256 over [`labels::R1CS_MATRICES`] and the canonical encoding of `A`, `B`, `C`
    /// (see [`MembershipCircuit::shape`]).
    pub matrices_sha3: [u8; 32],
}

/// The Semaphore v4 membership circuit for a fixed `max_depth` (see the module
/// documentation for the statement).
///
/// ```
/// use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystem};
/// use psephos_circuits::membership::{
///     check_relation, MembershipCircuit, MembershipPrivate, MembershipPublic,
/// };
/// use psephos_primitives::{babyjubjub::{Point, Scalar}, poseidon, Fr};
///
/// // A one-member group: the root is the member's commitment, the proof is empty.
/// let secret = Fr::from(123456789u64);
/// let pk = Point::mul_base8(&Scalar::from(123456789u64));
/// let commitment = poseidon::hash2(pk.x(), pk.y());
/// let scope = Fr::from(7u64);
/// let public = MembershipPublic {
///     merkle_root: commitment,
///     nullifier: poseidon::hash2(scope, secret),
///     message: Fr::from(1u64),
///     scope,
/// };
/// let private = MembershipPrivate { secret, proof_length: 0, index: Fr::from(0u64), siblings: vec![Fr::from(0u64); 2] };
/// check_relation(2, &public, &private).expect("valid statement");
///
/// let circuit = MembershipCircuit::new(2, public, &private).expect("depth 2 is supported");
/// circuit.check_satisfied().expect("the circuit agrees");
/// assert_eq!(circuit.public_inputs(), public.to_vec());
/// // For a trusted setup: the same shape, no witness.
/// let _setup = MembershipCircuit::blank(2).expect("depth 2 is supported");
/// ```
#[derive(Clone)]
pub struct MembershipCircuit {
    max_depth: usize,
    public: MembershipPublic,
    witness: RawMembershipWitness,
}

impl fmt::Debug for MembershipCircuit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MembershipCircuit")
            .field("max_depth", &self.max_depth)
            .field("public", &self.public)
            .finish_non_exhaustive()
    }
}

impl MembershipCircuit {
    /// A circuit with placeholder (all-zero) values, for the trusted setup. Its
    /// matrices are those of every [`MembershipCircuit::new`] of the same depth.
    pub fn blank(max_depth: usize) -> Result<Self, RelationError> {
        if !is_valid_max_depth(max_depth) {
            return Err(RelationError::InvalidMaxDepth(max_depth));
        }
        let private = MembershipPrivate {
            secret: Fr::ZERO,
            proof_length: 0,
            index: Fr::ZERO,
            siblings: vec![Fr::ZERO; max_depth],
        };
        Self::new(max_depth, MembershipPublic::default(), &private)
    }

    /// The circuit for proving `public` with `private`.
    ///
    /// Only the shape is checked here (`max_depth ∈ 1..=32`, `max_depth` siblings);
    /// an invalid statement builds a circuit that is unsatisfiable (see
    /// [`MembershipCircuit::check_satisfied`] and [`check_relation`]).
    pub fn new(
        max_depth: usize,
        public: MembershipPublic,
        private: &MembershipPrivate,
    ) -> Result<Self, RelationError> {
        check_shape(max_depth, private)?;
        Ok(Self { max_depth, public, witness: RawMembershipWitness::honest(max_depth, private) })
    }

    /// A circuit over a hand-made witness.
    ///
    /// **Warning: for adversarial tests only.** It lets a test act as a malicious
    /// prover that bypasses the native witness derivation (non-Boolean bits,
    /// aliased decompositions, bad selectors). Only the vector lengths are checked.
    #[doc(hidden)]
    pub fn from_raw_witness_unchecked(
        max_depth: usize,
        public: MembershipPublic,
        witness: RawMembershipWitness,
    ) -> Result<Self, RelationError> {
        if !is_valid_max_depth(max_depth) {
            return Err(RelationError::InvalidMaxDepth(max_depth));
        }
        witness.check_shape(max_depth)?;
        Ok(Self { max_depth, public, witness })
    }

    /// The circuit depth `D`.
    pub fn max_depth(&self) -> usize {
        self.max_depth
    }

    /// The public inputs in circuit order.
    pub fn public_inputs(&self) -> Vec<Fr> {
        self.public.to_vec()
    }

    /// Synthesizes the circuit with its witness and checks every constraint; on
    /// failure names the first unsatisfied constraint (its namespace path when a
    /// tracing `ConstraintLayer` is installed, its index otherwise).
    pub fn check_satisfied(&self) -> Result<(), RelationError> {
        check_satisfied(self.clone())
    }

    /// The shape of the depth-`max_depth` circuit, from a setup-mode synthesis.
    ///
    /// The digest is SHA3-256 of: [`labels::R1CS_MATRICES`]; the numbers of instance
    /// variables, witness variables and constraints (u64 little-endian); then for
    /// each of `A`, `B`, `C` and each row: the number of entries (u64 LE) and each
    /// entry as column (u64 LE, instance variables first, `0` = the constant `1`)
    /// and coefficient (32 bytes little-endian), sorted by column with duplicates
    /// merged and zeros dropped.
    pub fn shape(max_depth: usize) -> Result<CircuitShape, RelationError> {
        shape_of_circuit(Self::blank(max_depth)?)
    }
}

/// Synthesizes `circuit` with its witness and checks every constraint, naming the
/// first unsatisfied one (shared by the membership and ballot circuits).
pub(crate) fn check_satisfied(circuit: impl ConstraintSynthesizer<Fr>) -> Result<(), RelationError> {
    let cs = ConstraintSystem::<Fr>::new_ref();
    cs.set_optimization_goal(OptimizationGoal::Constraints);
    circuit.generate_constraints(cs.clone())?;
    cs.finalize();
    match cs.which_is_unsatisfied()? {
        None => Ok(()),
        Some(constraint) => Err(RelationError::Unsatisfied(constraint)),
    }
}

/// The [`CircuitShape`] of a blank circuit, from a setup-mode synthesis.
pub(crate) fn shape_of_circuit(blank: impl ConstraintSynthesizer<Fr>) -> Result<CircuitShape, RelationError> {
    let cs = ConstraintSystem::<Fr>::new_ref();
    cs.set_optimization_goal(OptimizationGoal::Constraints);
    cs.set_mode(SynthesisMode::Setup);
    blank.generate_constraints(cs.clone())?;
    cs.finalize();
    shape_of(&cs)
}

/// The [`CircuitShape`] of a finalized constraint system that has matrices.
pub fn shape_of(cs: &ConstraintSystemRef<Fr>) -> Result<CircuitShape, RelationError> {
    let matrices = cs.to_matrices()?;
    if matrices.len() != 1 {
        return Err(RelationError::Synthesis(SynthesisError::PredicateNotFound));
    }
    let abc = matrices.get(R1CS_PREDICATE_LABEL).ok_or(SynthesisError::PredicateNotFound)?;
    let mut hasher = Sha3_256::new();
    hasher.update(labels::R1CS_MATRICES);
    for n in [cs.num_instance_variables(), cs.num_witness_variables(), cs.num_constraints()] {
        hasher.update((n as u64).to_le_bytes());
    }
    for matrix in abc {
        for row in matrix {
            let mut entries: Vec<(usize, Fr)> = row.iter().map(|(c, col)| (*col, *c)).collect();
            entries.sort_by_key(|(col, _)| *col);
            let mut merged: Vec<(usize, Fr)> = Vec::with_capacity(entries.len());
            for (col, c) in entries {
                match merged.last_mut() {
                    Some((last, sum)) if *last == col => *sum += c,
                    _ => merged.push((col, c)),
                }
            }
            merged.retain(|(_, c)| !c.is_zero());
            hasher.update((merged.len() as u64).to_le_bytes());
            for (col, c) in merged {
                hasher.update((col as u64).to_le_bytes());
                hasher.update(c.into_bigint().to_bytes_le());
            }
        }
    }
    Ok(CircuitShape {
        num_constraints: cs.num_constraints(),
        num_instance_variables: cs.num_instance_variables(),
        num_witness_variables: cs.num_witness_variables(),
        matrices_sha3: hasher.finalize().into(),
    })
}

fn check_shape(max_depth: usize, private: &MembershipPrivate) -> Result<(), RelationError> {
    if !is_valid_max_depth(max_depth) {
        return Err(RelationError::InvalidMaxDepth(max_depth));
    }
    if private.siblings.len() != max_depth {
        return Err(RelationError::WitnessLength {
            what: "siblings",
            expected: max_depth,
            got: private.siblings.len(),
        });
    }
    Ok(())
}

impl ConstraintSynthesizer<Fr> for MembershipCircuit {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        let w = &self.witness;
        let p = &self.public;

        // Public inputs, in the documented order.
        let inputs = ns!(cs, "public_inputs");
        let merkle_root = FpVar::new_input(cs.clone(), || Ok(p.merkle_root))?;
        let nullifier_input = FpVar::new_input(cs.clone(), || Ok(p.nullifier))?;
        let message = FpVar::new_input(cs.clone(), || Ok(p.message))?;
        let scope = FpVar::new_input(cs.clone(), || Ok(p.scope))?;
        drop(inputs);

        // The membership statement proper, shared with the ballot circuit.
        enforce_membership(&cs, &merkle_root, &nullifier_input, &scope, w)?;

        // Bind the message (Semaphore's `dummySquare <== message * message`).
        let _message_ns = ns!(cs, "message_binding");
        let _ = square(&message)?;
        Ok(())
    }
}

/// The membership statement as a gadget, shared by [`MembershipCircuit`] and the
/// ballot circuit (docs/circuits.md §1.2, without the message binding):
///
/// ```text
/// secret < l,  pk = secret·Base8,  commitment = Poseidon(pk.x, pk.y),
/// merkle_root = LeanIMTRoot(commitment, path),  nullifier = Poseidon(scope, secret)
/// ```
///
/// `merkle_root`, `nullifier` and `scope` are the caller's (public) variables; the
/// witness is allocated from `w` in a fixed order (secret, its 251 bits, then the
/// path: length, selector, index, index bits, siblings), so the circuits that call
/// this gadget keep their pinned shapes. `1736 + 246·D` constraints.
pub(crate) fn enforce_membership(
    cs: &ConstraintSystemRef<Fr>,
    merkle_root: &FpVar<Fr>,
    nullifier: &FpVar<Fr>,
    scope: &FpVar<Fr>,
    w: &RawMembershipWitness,
) -> Result<(), SynthesisError> {
    // secret < l, through its 251-bit decomposition.
    let secret_ns = ns!(cs, "secret");
    let secret = alloc_raw(cs, &[w.secret])?.remove(0);
    let secret_bits = alloc_raw(cs, &w.secret_bits)?;
    enforce_booleanity(&secret_bits)?;
    enforce_packing(&secret, &secret_bits)?;
    let below = ns!(cs, "secret_below_l");
    enforce_less_than_constant_unchecked_bits(&secret_bits, &modulus::<Scalar>())?;
    drop(below);
    drop(secret_ns);

    // The LeanIMT path witness and its well-formedness.
    let path = MerklePathVar::from_raw(cs.clone(), &w.path())?;

    // pk = secret·Base8; commitment = Poseidon(pk.x, pk.y).
    let pk_ns = ns!(cs, "public_key");
    let pk = PointVar::mul_base8_le_unchecked_bits(&secret_bits)?;
    drop(pk_ns);
    let commitment_ns = ns!(cs, "commitment");
    let commitment = poseidon_hash2_var(pk.x(), pk.y())?;
    drop(commitment_ns);

    // The commitment is a leaf of the tree with the public root.
    let root = path.root(&commitment)?;
    let root_ns = ns!(cs, "root_matches_public_input");
    enforce_equal(&root, merkle_root)?;
    drop(root_ns);

    // nullifier = Poseidon(scope, secret).
    let nullifier_ns = ns!(cs, "nullifier");
    let computed = nullifier_var(scope, &secret)?;
    let matches = ns!(cs, "nullifier_matches_public_input");
    enforce_equal(&computed, nullifier)?;
    drop(matches);
    drop(nullifier_ns);

    Ok(())
}

/// The membership relation computed natively: `Ok(())` iff the statement holds,
/// otherwise the first clause that fails. Agrees with the circuit's satisfiability
/// (tested), and never panics.
pub fn check_relation(
    max_depth: usize,
    public: &MembershipPublic,
    private: &MembershipPrivate,
) -> Result<(), RelationError> {
    check_membership(max_depth, public.merkle_root, public.nullifier, public.scope, private)
}

/// The clauses of [`enforce_membership`] computed natively, in the order
/// [`check_relation`] reports them (shared with the ballot relation).
pub(crate) fn check_membership(
    max_depth: usize,
    merkle_root: Fr,
    nullifier_value: Fr,
    scope: Fr,
    private: &MembershipPrivate,
) -> Result<(), RelationError> {
    check_shape(max_depth, private)?;
    let length = private.proof_length;
    if length > max_depth {
        return Err(RelationError::ProofLengthExceedsDepth { proof_length: length, max_depth });
    }
    let index: BigUint = private.index.into_bigint().into();
    if index.bits() > length as u64 {
        return Err(RelationError::IndexOutOfRange);
    }
    if let Some(level) = (length..max_depth).find(|&i| !private.siblings[i].is_zero()) {
        return Err(RelationError::NonZeroPadding { level });
    }
    let secret: BigUint = private.secret.into_bigint().into();
    if secret >= modulus::<Scalar>() {
        return Err(RelationError::SecretNotBelowSubgroupOrder);
    }
    // Below l, so the conversion does not reduce.
    let pk = Point::mul_base8(&Scalar::from(secret));
    let commitment = poseidon::hash2(pk.x(), pk.y());
    if lean_imt::merkle_root(commitment, &index, &private.siblings[..length]) != merkle_root {
        return Err(RelationError::RootMismatch);
    }
    if nullifier(scope, private.secret) != nullifier_value {
        return Err(RelationError::NullifierMismatch);
    }
    Ok(())
}
