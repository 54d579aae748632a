//! The ballot statement: an anonymous member casts a quadratic-voting ballot,
//! encrypted under the election keys (docs/circuits.md §4; docs/spec/ballot.md
//! §1–§2; docs/decisions/0004 and 0005).
//!
//! **Parameters:** the tree depth `D = max_depth ∈ 1..=32`, the number of options
//! `k ∈ 1..=`[`MAX_OPTIONS`], and a [`PublicInputMode`].
//!
//! **Public inputs, in this order** ([`BallotPublic::to_vec`]):
//!
//! - [`PublicInputMode::Explicit`]: `[merkle_root, nullifier, poll_id, budget,
//!   bound, PK₁.x, PK₁.y, …, PK_k.x, PK_k.y, c1.x, c1.y, c2₁.x, c2₁.y, …, c2_k.x,
//!   c2_k.y]` (`4k + 7` inputs);
//! - [`PublicInputMode::Hashed`]: `[merkle_root, nullifier, poll_id, budget, bound,
//!   keys_digest, ciphertext_digest]` (7 inputs), the digests being the Poseidon
//!   sponges of [`digest`] over the same coordinate lists.
//!
//! **Private inputs** ([`BallotPrivate`]): the membership witness (`secret`,
//! `proof_length`, `index`, `siblings`, exactly as [`crate::MembershipCircuit`]),
//! the votes `v₁ … v_k` (signed, as field elements: `−3` is `r − 3`; see
//! [`vote_to_field`]) and the encryption randomness `ρ`.
//!
//! **Statement:**
//!
//! ```text
//! membership (docs/circuits.md §1.2) with scope = poll_id:
//!     secret < l, Poseidon(secret·B) is a leaf of the tree with root merkle_root,
//!     nullifier = Poseidon(poll_id, secret)
//! V < 2^15                                      (15-bit decomposition of bound)
//! B < 2^64                                      (64-bit decomposition of budget)
//! for each option i:
//!     vᵢ + V ∈ [0, 2^16),  V − vᵢ ∈ [0, 2^16)   (16-bit decompositions: vᵢ ∈ [−V, V])
//! B − Σ vᵢ² ∈ [0, 2^64)                         (64-bit decomposition: Σ vᵢ² ≤ B)
//! ρ < l                                         (251-bit decomposition + comparison)
//! c1   = ρ·B                                    (B = Base8; fixed base)
//! c2ᵢ  = (vᵢ + V)·B − V·B + ρ·PKᵢ               (fixed base, then the ρ·PKᵢ ladder)
//! ```
//!
//! Why the ranges cannot alias (docs/circuits.md §4.4): every decomposed value has
//! at most 64 bits, `|vᵢ| ≤ V < 2^15` as integers, so `Σ vᵢ² < k·2^30 ≤ 2^36`
//! is computed without wrapping, and `B − Σ vᵢ²` is either an integer in
//! `[0, 2^64)` or a field element `≥ r − 2^36 > 2^64`, which has no 64-bit
//! decomposition.
//!
//! [`check_ballot_relation`] is the same relation computed natively; the tests
//! check that both always agree.

use std::fmt;

use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, Field, PrimeField};
use ark_r1cs_std::{alloc::AllocVar, fields::fp::FpVar};
use ark_relations::{
    gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError},
    ns,
};
use num_bigint::BigUint;
use psephos_primitives::{
    babyjubjub::{Point, Scalar},
    field::modulus,
};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::{
    babyjubjub::{
        montgomery::{
            is_exceptional_randomness, ladder_bits, LadderScalarVar, LADDER_BITS, LADDER_SCALAR_CONSTRAINTS,
            MUL_LADDER_CONSTRAINTS,
        },
        mul_base8_constraints, PointVar,
    },
    error::RelationError,
    lean_imt::{self, is_valid_max_depth},
    membership::{
        check_membership, enforce_membership, CircuitShape, MembershipPrivate, RawMembershipWitness,
    },
    r1cs::{enforce_equal, square},
    range::{
        alloc_raw, enforce_booleanity, enforce_less_than_constant_unchecked_bits, enforce_packing,
        LESS_THAN_L_CONSTRAINTS, SCALAR_BITS,
    },
};

pub mod digest;

pub use digest::KeysDigest;
use digest::{digest_constraints, digest_var, key_coordinates, DigestKind};

/// The largest number of options.
pub const MAX_OPTIONS: usize = 64;
/// Bits of each vote range check: `vᵢ + V` and `V − vᵢ` are decomposed into 16 bits.
pub const VOTE_BITS: usize = 16;
/// Bits of the per-option bound: `V < 2^15`, so `2V < 2^16` and `|vᵢ| ≤ V < 2^15`.
pub const BOUND_BITS: usize = VOTE_BITS - 1;
/// Bits of the budget and of the budget slack: `B < 2^64`, `B − Σ vᵢ² ∈ [0, 2^64)`.
pub const BUDGET_BITS: usize = 64;

/// Constraints of the membership gadget outside the Merkle path.
const MEMBERSHIP_FIXED: usize = 1736;

/// Pinned circuit shapes `(max_depth, options, mode, constraints, SHA3-256 of the
/// matrices)`, computed by [`BallotCircuit::shape`].
///
/// Verifying keys depend on these matrices; they change **only on purpose**.
/// Regenerate with `cargo test -p psephos-circuits --test ballot_soundness pinned --
/// --nocapture`, copy the printed tables, and say why in the commit.
pub const PINNED_SHAPES: [(usize, usize, PublicInputMode, usize, &str); 8] = [
    (
        20,
        1,
        PublicInputMode::Explicit,
        10212,
        "0802bfc0274d2a69aeaa17189ac6fce870bc6fa1ec37c3d50b086b33bdafeece",
    ),
    (
        20,
        1,
        PublicInputMode::Hashed,
        10786,
        "89176ff59b11639c8588594c8bac2b7aa7f856740d525e3e5e7ddc63eedfe583",
    ),
    (
        20,
        4,
        PublicInputMode::Explicit,
        15810,
        "185503c83e2cc6423e7e104e485455ac402d974c2b26c9368972c1b02875b8a4",
    ),
    (
        20,
        4,
        PublicInputMode::Hashed,
        16678,
        "9d9f3b1567bd89b0867affd282475ce1b390d09633201a33080b2c07f05fc84e",
    ),
    (
        20,
        16,
        PublicInputMode::Explicit,
        38202,
        "38b6fefa0917604e0960d79abe51ac78d9a4cd9173ea73aedf4fbc49a9f61c83",
    ),
    (
        20,
        16,
        PublicInputMode::Hashed,
        41182,
        "25993ea4c2f80eed0e42cd79c399cee667cf2f9c178d73c8527fa7cc7e235b2b",
    ),
    (
        20,
        64,
        PublicInputMode::Explicit,
        127770,
        "c0227c33ba652f538984bedf2b92d2f6c91e417148fa7290f5de82b41f6000d3",
    ),
    (
        20,
        64,
        PublicInputMode::Hashed,
        138262,
        "c387151bd220848c6cee102c1f81d1d64eb8467c5751acc6457c435612552d6a",
    ),
];

/// How the election keys and the ciphertext enter the public inputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PublicInputMode {
    /// Every coordinate is a public input (`4k + 7` inputs).
    Explicit,
    /// Keys and ciphertext are witnesses, bound by two public Poseidon digests
    /// ([`digest::keys_digest`], [`digest::ciphertext_digest`]); 7 inputs.
    Hashed,
}

impl PublicInputMode {
    /// The number of public inputs for `options` options (without the constant 1).
    pub const fn num_public_inputs(self, options: usize) -> usize {
        match self {
            PublicInputMode::Explicit => 4 * options + 7,
            PublicInputMode::Hashed => 7,
        }
    }
}

/// `Ok(k)` if `k ∈ 1..=`[`MAX_OPTIONS`].
pub(crate) fn check_options(options: usize) -> Result<usize, RelationError> {
    if (1..=MAX_OPTIONS).contains(&options) {
        Ok(options)
    } else {
        Err(RelationError::InvalidOptionCount(options))
    }
}

/// The number of constraints of the `(max_depth, options, mode)` circuit, or `None`
/// for unsupported parameters (see docs/circuits.md §4.6 for the breakdown).
pub fn constraint_count(max_depth: usize, options: usize, mode: PublicInputMode) -> Option<usize> {
    if !is_valid_max_depth(max_depth) || check_options(options).is_err() {
        return None;
    }
    let membership = MEMBERSHIP_FIXED - 4 + lean_imt::constraint_count(max_depth);
    let shared = (BOUND_BITS + 1)
        + 2 * (BUDGET_BITS + 1)
        + (SCALAR_BITS + 1 + LESS_THAN_L_CONSTRAINTS)
        + LADDER_SCALAR_CONSTRAINTS
        + mul_base8_constraints(SCALAR_BITS)
        + mul_base8_constraints(BOUND_BITS);
    let per_option =
        2 * (VOTE_BITS + 1) + 1 + mul_base8_constraints(VOTE_BITS) + 6 + MUL_LADDER_CONSTRAINTS + 6;
    let binding = match mode {
        PublicInputMode::Explicit => 2 * (options + 1),
        PublicInputMode::Hashed => digest_constraints(2 * options) + digest_constraints(2 * options + 2) + 2,
    };
    Some(membership + shared + options * per_option + binding)
}

/// A ballot ciphertext `(c1, c2₁ … c2_k)` (docs/spec/ballot.md §2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BallotCiphertext {
    /// `c1 = ρ·B`.
    pub c1: Point,
    /// `c2ᵢ = vᵢ·B + ρ·PKᵢ`, one per option.
    pub c2: Vec<Point>,
}

impl BallotCiphertext {
    /// Encrypts `votes` (signed, as field elements) under `keys` with randomness
    /// `ρ`: the native twin of the circuit's encryption, with `psephos-primitives`'
    /// point arithmetic. A vote is taken as the signed integer it encodes
    /// (`r − n` is `−n`), reduced mod `l`. Different lengths are `WitnessLength`.
    pub fn encrypt(keys: &[Point], votes: &[Fr], randomness: &Scalar) -> Result<Self, RelationError> {
        if keys.len() != votes.len() {
            return Err(RelationError::WitnessLength {
                what: "votes",
                expected: keys.len(),
                got: votes.len(),
            });
        }
        let c1 = Point::mul_base8(randomness);
        let c2 = keys
            .iter()
            .zip(votes)
            .map(|(pk, v)| Point::mul_base8(&vote_scalar(v)) + pk.mul(randomness))
            .collect();
        Ok(Self { c1, c2 })
    }

    /// The coordinates `c1.x, c1.y, c2₁.x, c2₁.y, …`, in public-input order.
    pub fn coordinates(&self) -> Vec<Fr> {
        std::iter::once(&self.c1).chain(&self.c2).flat_map(|p| [p.x(), p.y()]).collect()
    }
}

/// The field encoding of a signed vote: `v` for `v ≥ 0`, `r − |v|` for `v < 0`.
pub fn vote_to_field(v: i64) -> Fr {
    let magnitude = Fr::from(v.unsigned_abs());
    if v < 0 {
        -magnitude
    } else {
        magnitude
    }
}

/// The signed integer a field element encodes: `n` if `n ≤ (r − 1)/2`, else `n − r`.
fn signed_magnitude(v: &Fr) -> (bool, BigUint) {
    let n: BigUint = v.into_bigint().into();
    let half: BigUint = Fr::MODULUS_MINUS_ONE_DIV_TWO.into();
    if n <= half {
        (false, n)
    } else {
        (true, modulus::<Fr>() - n)
    }
}

/// The scalar `v mod l` of a signed vote.
fn vote_scalar(v: &Fr) -> Scalar {
    let (negative, magnitude) = signed_magnitude(v);
    let s = Scalar::from(magnitude);
    if negative {
        -s
    } else {
        s
    }
}

/// The public statement of a ballot. Points are validated subgroup points (their
/// type guarantees it); the election keys must also be non-identity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BallotPublic {
    /// The group's LeanIMT root.
    pub merkle_root: Fr,
    /// `Poseidon(poll_id, secret)`.
    pub nullifier: Fr,
    /// The poll id, the nullifier's scope.
    pub poll_id: Fr,
    /// The voice-credit budget `B` (`< 2^64`).
    pub budget: Fr,
    /// The per-option bound `V` (`< 2^15`).
    pub bound: Fr,
    /// The election keys `PK₁ … PK_k`.
    pub keys: Vec<Point>,
    /// The encrypted votes.
    pub ciphertext: BallotCiphertext,
}

impl BallotPublic {
    /// The number of options `k` (the number of keys).
    pub fn options(&self) -> usize {
        self.keys.len()
    }

    /// The public inputs in circuit order for `mode` (see the module
    /// documentation). `InvalidOptionCount` or `WitnessLength` if the keys and
    /// ciphertext do not have `1..=64` matching entries.
    pub fn to_vec(&self, mode: PublicInputMode) -> Result<Vec<Fr>, RelationError> {
        check_public_shape(self.options(), self)?;
        Ok(RawBallotInstance::from(self).to_vec(mode))
    }

    /// [`BallotPublic::to_vec`] with the keys digest taken from `keys` instead of
    /// recomputed — for the many ballots of one election. `KeysMismatch` unless
    /// `keys` holds exactly this statement's keys.
    pub fn to_vec_with_keys(
        &self,
        mode: PublicInputMode,
        keys: &KeysDigest,
    ) -> Result<Vec<Fr>, RelationError> {
        check_public_shape(self.options(), self)?;
        if keys.keys() != self.keys.as_slice() {
            return Err(RelationError::KeysMismatch);
        }
        let raw = RawBallotInstance::from(self);
        Ok(match mode {
            PublicInputMode::Explicit => raw.to_vec(mode),
            PublicInputMode::Hashed => raw.to_vec_hashed(keys.digest()),
        })
    }
}

/// The private inputs. `Debug` redacts them; they are zeroized on drop.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct BallotPrivate {
    /// The membership witness (secret, proof length, index, `D` siblings).
    pub membership: MembershipPrivate,
    /// The votes `v₁ … v_k`, signed, as field elements ([`vote_to_field`]).
    pub votes: Vec<Fr>,
    /// The encryption randomness `ρ`; the statement requires `ρ < l`, and `ρ` must
    /// not be exceptional ([`is_exceptional_randomness`]).
    pub randomness: Fr,
}

impl fmt::Debug for BallotPrivate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BallotPrivate").finish_non_exhaustive()
    }
}

/// The public values with points as raw coordinates, in circuit order.
///
/// **For adversarial tests only** ([`BallotCircuit::from_raw_witness_unchecked`]):
/// it can hold points that are not validated.
#[doc(hidden)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawBallotInstance {
    /// Root.
    pub merkle_root: Fr,
    /// Nullifier.
    pub nullifier: Fr,
    /// Poll id.
    pub poll_id: Fr,
    /// Budget.
    pub budget: Fr,
    /// Bound.
    pub bound: Fr,
    /// Keys `(x, y)`.
    pub keys: Vec<[Fr; 2]>,
    /// `c1`.
    pub c1: [Fr; 2],
    /// `c2ᵢ`.
    pub c2: Vec<[Fr; 2]>,
}

impl From<&BallotPublic> for RawBallotInstance {
    fn from(p: &BallotPublic) -> Self {
        let xy = |q: &Point| [q.x(), q.y()];
        Self {
            merkle_root: p.merkle_root,
            nullifier: p.nullifier,
            poll_id: p.poll_id,
            budget: p.budget,
            bound: p.bound,
            keys: p.keys.iter().map(xy).collect(),
            c1: xy(&p.ciphertext.c1),
            c2: p.ciphertext.c2.iter().map(xy).collect(),
        }
    }
}

impl RawBallotInstance {
    /// The public inputs for `mode` (digests computed natively).
    pub fn to_vec(&self, mode: PublicInputMode) -> Vec<Fr> {
        let mut v = vec![self.merkle_root, self.nullifier, self.poll_id, self.budget, self.bound];
        let keys = key_coordinates(&self.keys);
        let ciphertext = self.ciphertext_coordinates();
        match mode {
            PublicInputMode::Explicit => {
                v.extend(keys);
                v.extend(ciphertext);
            }
            PublicInputMode::Hashed => {
                v.push(digest::digest(DigestKind::Keys, self.keys.len(), &keys));
                v.push(digest::digest(DigestKind::Ciphertext, self.c2.len(), &ciphertext));
            }
        }
        v
    }

    /// The hashed-mode inputs with a precomputed keys digest.
    fn to_vec_hashed(&self, keys_digest: Fr) -> Vec<Fr> {
        let ciphertext =
            digest::digest(DigestKind::Ciphertext, self.c2.len(), &self.ciphertext_coordinates());
        vec![self.merkle_root, self.nullifier, self.poll_id, self.budget, self.bound, keys_digest, ciphertext]
    }

    fn ciphertext_coordinates(&self) -> Vec<Fr> {
        std::iter::once(&self.c1).chain(&self.c2).flat_map(|p| p.iter().copied()).collect()
    }
}

/// The raw values of every input-like witness variable, in allocation order.
///
/// **For adversarial tests only** (see [`BallotCircuit::from_raw_witness_unchecked`]):
/// an honest prover never builds one by hand. Bits are little-endian.
#[doc(hidden)]
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct RawBallotWitness {
    /// The membership witness.
    pub membership: RawMembershipWitness,
    /// The election keys as witnesses (used in the hashed mode only).
    pub keys: Vec<[Fr; 2]>,
    /// The 15 bits of `V`.
    pub bound_bits: Vec<Fr>,
    /// The 64 bits of `B`.
    pub budget_bits: Vec<Fr>,
    /// `v₁ … v_k`.
    pub votes: Vec<Fr>,
    /// For each option, the 16 bits of `vᵢ + V`.
    pub vote_plus_bound_bits: Vec<Vec<Fr>>,
    /// For each option, the 16 bits of `V − vᵢ`.
    pub bound_minus_vote_bits: Vec<Vec<Fr>>,
    /// The 64 bits of `B − Σ vᵢ²`.
    pub slack_bits: Vec<Fr>,
    /// `ρ`.
    pub randomness: Fr,
    /// The 251 bits of `ρ`.
    pub randomness_bits: Vec<Fr>,
    /// The 252 ladder digits of `ρ`.
    pub ladder_bits: Vec<Fr>,
}

impl fmt::Debug for RawBallotWitness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawBallotWitness").finish_non_exhaustive()
    }
}

/// The low `n` bits of a field element's canonical integer, as field elements.
fn low_bits(x: &Fr, n: usize) -> Vec<Fr> {
    let v: BigUint = x.into_bigint().into();
    bits_of(&v, n)
}

fn bits_of(v: &BigUint, n: usize) -> Vec<Fr> {
    (0..n).map(|i| Fr::from(u64::from(v.bit(i as u64)))).collect()
}

impl RawBallotWitness {
    /// The witness an honest prover derives natively from the statement. Values
    /// that do not fit their decompositions get truncated bits, which leaves the
    /// system unsatisfied; nothing here fails or panics.
    pub fn honest(max_depth: usize, instance: &RawBallotInstance, private: &BallotPrivate) -> Self {
        let bound = instance.bound;
        let sum_of_squares: Fr = private.votes.iter().map(|v| v.square()).sum();
        let rho: BigUint = private.randomness.into_bigint().into();
        Self {
            membership: RawMembershipWitness::honest(max_depth, &private.membership),
            keys: instance.keys.clone(),
            bound_bits: low_bits(&bound, BOUND_BITS),
            budget_bits: low_bits(&instance.budget, BUDGET_BITS),
            votes: private.votes.clone(),
            vote_plus_bound_bits: private.votes.iter().map(|v| low_bits(&(*v + bound), VOTE_BITS)).collect(),
            bound_minus_vote_bits: private.votes.iter().map(|v| low_bits(&(bound - v), VOTE_BITS)).collect(),
            slack_bits: low_bits(&(instance.budget - sum_of_squares), BUDGET_BITS),
            randomness: private.randomness,
            randomness_bits: bits_of(&rho, SCALAR_BITS),
            ladder_bits: ladder_bits(&rho).into_iter().map(|b| Fr::from(u64::from(b))).collect(),
        }
    }

    fn check_shape(&self, max_depth: usize, options: usize) -> Result<(), RelationError> {
        let m = &self.membership;
        let mut lengths = vec![
            ("secret_bits", SCALAR_BITS, m.secret_bits.len()),
            ("selector", max_depth + 1, m.selector.len()),
            ("index_bits", max_depth, m.index_bits.len()),
            ("siblings", max_depth, m.siblings.len()),
            ("keys", options, self.keys.len()),
            ("bound_bits", BOUND_BITS, self.bound_bits.len()),
            ("budget_bits", BUDGET_BITS, self.budget_bits.len()),
            ("votes", options, self.votes.len()),
            ("vote_plus_bound_bits", options, self.vote_plus_bound_bits.len()),
            ("bound_minus_vote_bits", options, self.bound_minus_vote_bits.len()),
            ("slack_bits", BUDGET_BITS, self.slack_bits.len()),
            ("randomness_bits", SCALAR_BITS, self.randomness_bits.len()),
            ("ladder_bits", LADDER_BITS, self.ladder_bits.len()),
        ];
        for bits in self.vote_plus_bound_bits.iter().chain(&self.bound_minus_vote_bits) {
            lengths.push(("vote range bits", VOTE_BITS, bits.len()));
        }
        for (what, expected, got) in lengths {
            if expected != got {
                return Err(RelationError::WitnessLength { what, expected, got });
            }
        }
        Ok(())
    }
}

fn check_params(max_depth: usize, options: usize) -> Result<(), RelationError> {
    if !is_valid_max_depth(max_depth) {
        return Err(RelationError::InvalidMaxDepth(max_depth));
    }
    check_options(options)?;
    Ok(())
}

fn check_public_shape(options: usize, public: &BallotPublic) -> Result<(), RelationError> {
    check_options(options)?;
    for (what, got) in [("keys", public.keys.len()), ("ciphertext c2", public.ciphertext.c2.len())] {
        if got != options {
            return Err(RelationError::WitnessLength { what, expected: options, got });
        }
    }
    Ok(())
}

fn check_instance_shape(options: usize, instance: &RawBallotInstance) -> Result<(), RelationError> {
    for (what, got) in [("keys", instance.keys.len()), ("ciphertext c2", instance.c2.len())] {
        if got != options {
            return Err(RelationError::WitnessLength { what, expected: options, got });
        }
    }
    Ok(())
}

fn check_private_shape(
    max_depth: usize,
    options: usize,
    private: &BallotPrivate,
) -> Result<(), RelationError> {
    let siblings = private.membership.siblings.len();
    if siblings != max_depth {
        return Err(RelationError::WitnessLength { what: "siblings", expected: max_depth, got: siblings });
    }
    if private.votes.len() != options {
        return Err(RelationError::WitnessLength {
            what: "votes",
            expected: options,
            got: private.votes.len(),
        });
    }
    Ok(())
}

/// The ballot circuit for fixed `(max_depth, options, mode)` (see the module
/// documentation for the statement).
///
/// ```
/// use psephos_circuits::ballot::{
///     check_ballot_relation, vote_to_field, BallotCiphertext, BallotCircuit, BallotPrivate, BallotPublic,
///     PublicInputMode,
/// };
/// use psephos_circuits::MembershipPrivate;
/// use psephos_primitives::{poseidon, Fr, Point, Scalar};
///
/// // A one-member group (empty Merkle proof) and a two-option poll.
/// let secret = Fr::from(123456789u64);
/// let pk = Point::mul_base8(&Scalar::from(123456789u64));
/// let poll_id = Fr::from(7u64);
/// let keys = vec![Point::mul_base8(&Scalar::from(11u64)), Point::mul_base8(&Scalar::from(12u64))];
/// let votes = vec![vote_to_field(2), vote_to_field(-1)];
/// let rho = Scalar::from(987654321u64);
/// let public = BallotPublic {
///     merkle_root: poseidon::hash2(pk.x(), pk.y()),
///     nullifier: poseidon::hash2(poll_id, secret),
///     poll_id,
///     budget: Fr::from(5u64),
///     bound: Fr::from(2u64),
///     ciphertext: BallotCiphertext::encrypt(&keys, &votes, &rho).expect("two options"),
///     keys,
/// };
/// let private = BallotPrivate {
///     membership: MembershipPrivate { secret, proof_length: 0, index: Fr::from(0u64), siblings: vec![Fr::from(0u64)] },
///     votes,
///     randomness: Fr::from(987654321u64),
/// };
/// check_ballot_relation(1, 2, &public, &private).expect("valid: 2² + 1² ≤ 5");
///
/// let circuit = BallotCircuit::new(1, 2, PublicInputMode::Hashed, &public, &private).expect("supported shape");
/// circuit.check_satisfied().expect("the circuit agrees");
/// assert_eq!(circuit.public_inputs(), public.to_vec(PublicInputMode::Hashed).expect("shape"));
/// let _setup = BallotCircuit::blank(1, 2, PublicInputMode::Hashed).expect("supported shape");
/// ```
#[derive(Clone)]
pub struct BallotCircuit {
    max_depth: usize,
    options: usize,
    mode: PublicInputMode,
    instance: RawBallotInstance,
    inputs: Vec<Fr>,
    witness: RawBallotWitness,
}

impl fmt::Debug for BallotCircuit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BallotCircuit")
            .field("max_depth", &self.max_depth)
            .field("options", &self.options)
            .field("mode", &self.mode)
            .field("public_inputs", &self.inputs.len())
            .finish_non_exhaustive()
    }
}

impl BallotCircuit {
    /// A circuit with placeholder values, for the trusted setup. Its matrices are
    /// those of every [`BallotCircuit::new`] with the same parameters (tested).
    pub fn blank(max_depth: usize, options: usize, mode: PublicInputMode) -> Result<Self, RelationError> {
        check_params(max_depth, options)?;
        let public = BallotPublic {
            merkle_root: Fr::ZERO,
            nullifier: Fr::ZERO,
            poll_id: Fr::ZERO,
            budget: Fr::ZERO,
            bound: Fr::ZERO,
            keys: vec![Point::BASE8; options],
            ciphertext: BallotCiphertext { c1: Point::IDENTITY, c2: vec![Point::IDENTITY; options] },
        };
        let private = BallotPrivate {
            membership: MembershipPrivate {
                secret: Fr::ZERO,
                proof_length: 0,
                index: Fr::ZERO,
                siblings: vec![Fr::ZERO; max_depth],
            },
            votes: vec![Fr::ZERO; options],
            randomness: Fr::ZERO,
        };
        Self::new(max_depth, options, mode, &public, &private)
    }

    /// The circuit for proving `public` with `private`.
    ///
    /// Only the shape is checked here (`max_depth ∈ 1..=32`, `options ∈ 1..=64`,
    /// vector lengths); an invalid statement builds an unsatisfiable circuit (see
    /// [`BallotCircuit::check_satisfied`] and [`check_ballot_relation`]).
    pub fn new(
        max_depth: usize,
        options: usize,
        mode: PublicInputMode,
        public: &BallotPublic,
        private: &BallotPrivate,
    ) -> Result<Self, RelationError> {
        check_params(max_depth, options)?;
        check_public_shape(options, public)?;
        check_private_shape(max_depth, options, private)?;
        let instance = RawBallotInstance::from(public);
        let witness = RawBallotWitness::honest(max_depth, &instance, private);
        Ok(Self { max_depth, options, mode, inputs: instance.to_vec(mode), instance, witness })
    }

    /// A circuit over a hand-made statement and witness.
    ///
    /// **Warning: for adversarial tests only.** It lets a test act as a malicious
    /// prover that bypasses the native witness derivation (non-Boolean bits,
    /// aliased values, unvalidated points). Only the vector lengths are checked.
    #[doc(hidden)]
    pub fn from_raw_witness_unchecked(
        max_depth: usize,
        options: usize,
        mode: PublicInputMode,
        instance: RawBallotInstance,
        witness: RawBallotWitness,
    ) -> Result<Self, RelationError> {
        check_params(max_depth, options)?;
        check_instance_shape(options, &instance)?;
        witness.check_shape(max_depth, options)?;
        Ok(Self { max_depth, options, mode, inputs: instance.to_vec(mode), instance, witness })
    }

    /// The circuit depth `D`.
    pub fn max_depth(&self) -> usize {
        self.max_depth
    }

    /// The number of options `k`.
    pub fn options(&self) -> usize {
        self.options
    }

    /// The public-input mode.
    pub fn mode(&self) -> PublicInputMode {
        self.mode
    }

    /// The public inputs in circuit order.
    pub fn public_inputs(&self) -> Vec<Fr> {
        self.inputs.clone()
    }

    /// Synthesizes the circuit with its witness and checks every constraint; on
    /// failure names the first unsatisfied constraint (its namespace path when a
    /// tracing `ConstraintLayer` is installed, its index otherwise). Provers should
    /// call it (or [`check_ballot_relation`]) before proving.
    pub fn check_satisfied(&self) -> Result<(), RelationError> {
        crate::membership::check_satisfied(self.clone())
    }

    /// The shape of the `(max_depth, options, mode)` circuit from a setup-mode
    /// synthesis (the digest is [`crate::membership::MembershipCircuit::shape`]'s).
    pub fn shape(
        max_depth: usize,
        options: usize,
        mode: PublicInputMode,
    ) -> Result<CircuitShape, RelationError> {
        crate::membership::shape_of_circuit(Self::blank(max_depth, options, mode)?)
    }
}

/// Allocates a point from raw coordinates as public inputs (no curve check: the
/// verifier validates public points).
fn input_point(cs: &ConstraintSystemRef<Fr>, p: &[Fr; 2]) -> Result<PointVar, SynthesisError> {
    let x = FpVar::new_input(cs.clone(), || Ok(p[0]))?;
    let y = FpVar::new_input(cs.clone(), || Ok(p[1]))?;
    Ok(PointVar::from_coordinates_unchecked(x, y))
}

/// Enforces that two points are equal coordinate-wise (2 constraints).
fn enforce_point_equal(a: &PointVar, b: &PointVar) -> Result<(), SynthesisError> {
    enforce_equal(a.x(), b.x())?;
    enforce_equal(a.y(), b.y())
}

/// Decomposes `value` into the raw `bits` (booleanity + packing).
fn decompose(
    value: &FpVar<Fr>,
    cs: &ConstraintSystemRef<Fr>,
    bits: &[Fr],
) -> Result<Vec<FpVar<Fr>>, SynthesisError> {
    let bits = alloc_raw(cs, bits)?;
    enforce_booleanity(&bits)?;
    enforce_packing(value, &bits)?;
    Ok(bits)
}

impl ConstraintSynthesizer<Fr> for BallotCircuit {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        let inst = &self.instance;
        let w = &self.witness;
        let k = self.options;

        // Public inputs, in the documented order.
        let inputs = ns!(cs, "public_inputs");
        let merkle_root = FpVar::new_input(cs.clone(), || Ok(inst.merkle_root))?;
        let nullifier = FpVar::new_input(cs.clone(), || Ok(inst.nullifier))?;
        let poll_id = FpVar::new_input(cs.clone(), || Ok(inst.poll_id))?;
        let budget = FpVar::new_input(cs.clone(), || Ok(inst.budget))?;
        let bound = FpVar::new_input(cs.clone(), || Ok(inst.bound))?;
        let (public_keys, public_ciphertext, digests) = match self.mode {
            PublicInputMode::Explicit => {
                let keys = inst.keys.iter().map(|p| input_point(&cs, p)).collect::<Result<Vec<_>, _>>()?;
                let c1 = input_point(&cs, &inst.c1)?;
                let c2 = inst.c2.iter().map(|p| input_point(&cs, p)).collect::<Result<Vec<_>, _>>()?;
                (Some(keys), Some((c1, c2)), None)
            }
            PublicInputMode::Hashed => {
                let keys_digest = FpVar::new_input(cs.clone(), || Ok(self.inputs[5]))?;
                let ciphertext_digest = FpVar::new_input(cs.clone(), || Ok(self.inputs[6]))?;
                (None, None, Some((keys_digest, ciphertext_digest)))
            }
        };
        drop(inputs);

        // 1–2. Membership, with the poll id as the nullifier's scope.
        enforce_membership(&cs, &merkle_root, &nullifier, &poll_id, &w.membership)?;

        // The election keys: public inputs, or witnesses bound by keys_digest below.
        let keys = match public_keys {
            Some(keys) => keys,
            None => {
                let _ns = ns!(cs, "key_witnesses");
                w.keys
                    .iter()
                    .map(|p| {
                        let xy = alloc_raw(&cs, p)?;
                        Ok(PointVar::from_coordinates_unchecked(xy[0].clone(), xy[1].clone()))
                    })
                    .collect::<Result<Vec<_>, SynthesisError>>()?
            }
        };

        // 3. V < 2^15 and B < 2^64.
        let bound_ns = ns!(cs, "bound_range");
        let bound_bits = decompose(&bound, &cs, &w.bound_bits)?;
        drop(bound_ns);
        let budget_ns = ns!(cs, "budget_range");
        decompose(&budget, &cs, &w.budget_bits)?;
        drop(budget_ns);

        // Each vote: vᵢ + V and V − vᵢ in [0, 2^16), then vᵢ².
        let mut vote_bits = Vec::with_capacity(k);
        let mut sum_of_squares = FpVar::Constant(Fr::ZERO);
        for i in 0..k {
            let range = ns!(cs, "vote_range");
            let vote = alloc_raw(&cs, &[w.votes[i]])?.remove(0);
            let low = ns!(cs, "vote_plus_bound");
            vote_bits.push(decompose(&(&vote + &bound), &cs, &w.vote_plus_bound_bits[i])?);
            drop(low);
            let high = ns!(cs, "bound_minus_vote");
            decompose(&(&bound - &vote), &cs, &w.bound_minus_vote_bits[i])?;
            drop(high);
            drop(range);
            let _square = ns!(cs, "vote_square");
            sum_of_squares += square(&vote)?;
        }

        // Σ vᵢ² ≤ B.
        let budget_check = ns!(cs, "within_budget");
        decompose(&(&budget - &sum_of_squares), &cs, &w.slack_bits)?;
        drop(budget_check);

        // ρ < l, and its ladder digits.
        let rho_ns = ns!(cs, "randomness");
        let rho = alloc_raw(&cs, &[w.randomness])?.remove(0);
        let rho_bits = decompose(&rho, &cs, &w.randomness_bits)?;
        let below = ns!(cs, "randomness_below_l");
        enforce_less_than_constant_unchecked_bits(&rho_bits, &modulus::<Scalar>())?;
        drop(below);
        drop(rho_ns);
        let ladder_ns = ns!(cs, "ladder_scalar");
        let ladder = LadderScalarVar::from_raw(&rho, &rho_bits[0], &w.ladder_bits)?;
        drop(ladder_ns);

        // 4. c1 = ρ·B.
        let c1_ns = ns!(cs, "c1");
        let c1 = PointVar::mul_base8_le_unchecked_bits(&rho_bits)?;
        drop(c1_ns);
        if let Some((public_c1, _)) = &public_ciphertext {
            let _ns = ns!(cs, "c1_matches_public_input");
            enforce_point_equal(&c1, public_c1)?;
        }

        // −V·B, once.
        let vb_ns = ns!(cs, "bound_times_base");
        let vb = PointVar::mul_base8_le_unchecked_bits(&bound_bits)?;
        let minus_vb = PointVar::from_coordinates_unchecked(vb.x() * -Fr::ONE, vb.y().clone());
        drop(vb_ns);

        // c2ᵢ = (vᵢ + V)·B − V·B + ρ·PKᵢ.
        let mut c2 = Vec::with_capacity(k);
        for i in 0..k {
            let option = ns!(cs, "option");
            let vote_ns = ns!(cs, "vote_times_base");
            let vote_point = PointVar::mul_base8_le_unchecked_bits(&vote_bits[i])?.add(&minus_vb)?;
            drop(vote_ns);
            let mask_ns = ns!(cs, "randomness_times_key");
            let mask = keys[i].mul_ladder(&ladder)?;
            drop(mask_ns);
            let sum_ns = ns!(cs, "c2");
            let c2_i = vote_point.add(&mask)?;
            drop(sum_ns);
            if let Some((_, public_c2)) = &public_ciphertext {
                let _ns = ns!(cs, "c2_matches_public_input");
                enforce_point_equal(&c2_i, &public_c2[i])?;
            }
            drop(option);
            c2.push(c2_i);
        }

        // Hashed mode: the digests of the keys and of the computed ciphertext.
        if let Some((keys_digest, ciphertext_digest)) = digests {
            let keys_ns = ns!(cs, "keys_digest");
            let coordinates: Vec<FpVar<Fr>> =
                keys.iter().flat_map(|p| [p.x().clone(), p.y().clone()]).collect();
            let computed = digest_var(DigestKind::Keys, k, &coordinates)?;
            let matches = ns!(cs, "keys_digest_matches_public_input");
            enforce_equal(&computed, &keys_digest)?;
            drop(matches);
            drop(keys_ns);
            let _ct = ns!(cs, "ciphertext_digest");
            let coordinates: Vec<FpVar<Fr>> =
                std::iter::once(&c1).chain(&c2).flat_map(|p| [p.x().clone(), p.y().clone()]).collect();
            let computed = digest_var(DigestKind::Ciphertext, k, &coordinates)?;
            let _matches = ns!(cs, "ciphertext_digest_matches_public_input");
            enforce_equal(&computed, &ciphertext_digest)?;
        }
        Ok(())
    }
}

/// The ballot relation computed natively with `psephos-primitives`: `Ok(())` iff
/// the statement holds (and `ρ` is not exceptional), otherwise the first clause
/// that fails, in this order: shape (`InvalidMaxDepth`, `InvalidOptionCount`,
/// `WitnessLength`), `IdentityElectionKey`, the membership clauses (with
/// `scope = poll_id`), `BoundTooLarge`, `BudgetTooLarge`, `VoteOutOfRange`,
/// `OverBudget`, `RandomnessNotBelowSubgroupOrder`, `ExceptionalRandomness`,
/// `C1Mismatch`, `CiphertextMismatch`. Agrees with the circuit's satisfiability
/// (tested), and never panics.
pub fn check_ballot_relation(
    max_depth: usize,
    options: usize,
    public: &BallotPublic,
    private: &BallotPrivate,
) -> Result<(), RelationError> {
    check_params(max_depth, options)?;
    check_public_shape(options, public)?;
    check_private_shape(max_depth, options, private)?;
    if let Some(option) = public.keys.iter().position(Point::is_identity) {
        return Err(RelationError::IdentityElectionKey { option });
    }
    check_membership(max_depth, public.merkle_root, public.nullifier, public.poll_id, &private.membership)?;
    let bound: BigUint = public.bound.into_bigint().into();
    if bound.bits() > BOUND_BITS as u64 {
        return Err(RelationError::BoundTooLarge);
    }
    let budget: BigUint = public.budget.into_bigint().into();
    if budget.bits() > BUDGET_BITS as u64 {
        return Err(RelationError::BudgetTooLarge);
    }
    let mut spent = BigUint::ZERO;
    for (option, vote) in private.votes.iter().enumerate() {
        let (_, magnitude) = signed_magnitude(vote);
        if magnitude > bound {
            return Err(RelationError::VoteOutOfRange { option });
        }
        spent += &magnitude * &magnitude;
    }
    if spent > budget {
        return Err(RelationError::OverBudget);
    }
    let rho: BigUint = private.randomness.into_bigint().into();
    if rho >= modulus::<Scalar>() {
        return Err(RelationError::RandomnessNotBelowSubgroupOrder);
    }
    // Below l, so the conversion does not reduce.
    let rho = Scalar::from(rho);
    if is_exceptional_randomness(&rho) {
        return Err(RelationError::ExceptionalRandomness);
    }
    let expected = BallotCiphertext::encrypt(&public.keys, &private.votes, &rho)?;
    if expected.c1 != public.ciphertext.c1 {
        return Err(RelationError::C1Mismatch);
    }
    if let Some(option) = expected.c2.iter().zip(&public.ciphertext.c2).position(|(a, b)| a != b) {
        return Err(RelationError::CiphertextMismatch { option });
    }
    Ok(())
}
