//! Soundness tests of the ballot circuit (docs/circuits.md §4.7; SECURITY-CHECKLIST
//! section F and "Testing arkworks circuits for under-constraint"):
//!
//! 1. differential: `check_ballot_relation` and the circuit (both public-input
//!    modes) agree on valid ballots, on each targeted invalid statement, and on
//!    boundary-biased random ones (proptest);
//! 2. mutation sweep: every single-variable change of an honest assignment breaks it;
//! 3. malicious provers: hand-made witnesses (non-Boolean bits, wrapped squares,
//!    aliased ladder digits, a low-order key, substituted key witnesses) fail in the
//!    named constraint;
//! 4. pinned shapes: constraint counts and matrix digests for D = 20.

#![allow(clippy::unwrap_used)]

use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{AdditiveGroup, Field, PrimeField, UniformRand};
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystem, OptimizationGoal};
use num_bigint::BigUint;
use proptest::prelude::*;
use psephos_circuits::{
    babyjubjub::montgomery::is_exceptional_randomness,
    ballot::{
        self,
        digest::{ciphertext_digest, keys_digest},
        vote_to_field, RawBallotInstance, RawBallotWitness, BOUND_BITS, BUDGET_BITS, PINNED_SHAPES,
        VOTE_BITS,
    },
    check_ballot_relation,
    membership::shape_of,
    BallotCiphertext, BallotCircuit, BallotPrivate, BallotPublic, MembershipPrivate, PublicInputMode,
    RelationError,
};
use psephos_primitives::{
    babyjubjub::{BabyJubjubAffine, Point, Scalar, GENERATOR_X, GENERATOR_Y},
    field::modulus,
    poseidon, Fr,
};
use rand_chacha::ChaCha20Rng;
use rand_core::{RngCore, SeedableRng};

#[path = "support/r1cs.rs"]
mod support;
#[path = "../src/lean_imt/test_tree.rs"]
mod test_tree;
use support::{assert_caught, failures};
use test_tree::TestTree;

const MODES: [PublicInputMode; 2] = [PublicInputMode::Explicit, PublicInputMode::Hashed];

// ---------------------------------------------------------------------------
// Statements
// ---------------------------------------------------------------------------

fn l() -> BigUint {
    modulus::<Scalar>()
}

fn r() -> BigUint {
    modulus::<Fr>()
}

fn int(x: Fr) -> BigUint {
    x.into_bigint().into()
}

fn fr(x: &BigUint) -> Fr {
    assert!(x < &r(), "test bug: {x} is not a field element");
    Fr::from(x.clone())
}

fn scalar(x: Fr) -> Scalar {
    Scalar::from(int(x))
}

fn random_key(rng: &mut ChaCha20Rng) -> Point {
    loop {
        let p = Point::mul_base8(&Scalar::rand(rng));
        if !p.is_identity() {
            return p;
        }
    }
}

/// A random non-exceptional randomness below l.
fn random_rho(rng: &mut ChaCha20Rng) -> Fr {
    loop {
        let s = Scalar::rand(rng);
        if !is_exceptional_randomness(&s) {
            return fr(&s.into_bigint().into());
        }
    }
}

/// A ballot built as an honest voter would: a random LeanIMT with the voter's
/// commitment, random election keys, the votes encrypted with a random ρ.
#[derive(Clone, Debug)]
struct Ballot {
    max_depth: usize,
    public: BallotPublic,
    private: BallotPrivate,
}

impl Ballot {
    fn build(rng: &mut ChaCha20Rng, max_depth: usize, votes: &[i64], bound: u64, budget: u64) -> Self {
        let secret = fr(&Scalar::rand(rng).into_bigint().into());
        let n = 1 + (rng.next_u32() as usize) % (1 << max_depth);
        let member = (rng.next_u32() as usize) % n;
        let mut leaves: Vec<Fr> = (0..n).map(|_| Fr::rand(rng)).collect();
        let pk = Point::mul_base8(&scalar(secret));
        leaves[member] = poseidon::hash2(pk.x(), pk.y());
        let tree = TestTree::new(&leaves);
        let (mut siblings, index) = tree.proof(member);
        let proof_length = siblings.len();
        siblings.resize(max_depth, Fr::ZERO);
        let poll_id = Fr::rand(rng);
        let keys: Vec<Point> = votes.iter().map(|_| random_key(rng)).collect();
        let votes: Vec<Fr> = votes.iter().map(|v| vote_to_field(*v)).collect();
        let randomness = random_rho(rng);
        let ciphertext = BallotCiphertext::encrypt(&keys, &votes, &scalar(randomness)).unwrap();
        Self {
            max_depth,
            public: BallotPublic {
                merkle_root: tree.root(),
                nullifier: poseidon::hash2(poll_id, secret),
                poll_id,
                budget: Fr::from(budget),
                bound: Fr::from(bound),
                keys,
                ciphertext,
            },
            private: BallotPrivate {
                membership: MembershipPrivate { secret, proof_length, index: Fr::from(index), siblings },
                votes,
                randomness,
            },
        }
    }

    fn options(&self) -> usize {
        self.private.votes.len()
    }

    /// Re-encrypts the current votes with the current randomness (after a change
    /// to the votes, the keys or ρ that should keep the ciphertext consistent).
    fn reencrypt(&mut self) {
        let rho = Scalar::from(int(self.private.randomness));
        self.public.ciphertext =
            BallotCiphertext::encrypt(&self.public.keys, &self.private.votes, &rho).unwrap();
    }

    fn native(&self) -> Result<(), RelationError> {
        check_ballot_relation(self.max_depth, self.options(), &self.public, &self.private)
    }

    fn circuit(&self, mode: PublicInputMode) -> BallotCircuit {
        BallotCircuit::new(self.max_depth, self.options(), mode, &self.public, &self.private).unwrap()
    }

    fn circuit_ok(&self, mode: PublicInputMode) -> bool {
        circuit_ok(self.circuit(mode))
    }

    fn raw(&self) -> (RawBallotInstance, RawBallotWitness) {
        let instance = RawBallotInstance::from(&self.public);
        let witness = RawBallotWitness::honest(self.max_depth, &instance, &self.private);
        (instance, witness)
    }

    fn raw_circuit(
        &self,
        mode: PublicInputMode,
        instance: RawBallotInstance,
        witness: RawBallotWitness,
    ) -> BallotCircuit {
        BallotCircuit::from_raw_witness_unchecked(self.max_depth, self.options(), mode, instance, witness)
            .unwrap()
    }

    fn assert_valid(&self) {
        assert_eq!(self.native(), Ok(()));
        for mode in MODES {
            assert!(self.circuit_ok(mode), "{mode:?}: circuit rejected a valid ballot");
            assert_eq!(self.circuit(mode).public_inputs(), self.public.to_vec(mode).unwrap());
        }
    }

    /// The native check fails with `expected` and the circuit is unsatisfiable in
    /// both modes.
    fn assert_both_reject(&self, expected: RelationError) {
        assert_eq!(self.native(), Err(expected.clone()), "native check");
        for mode in MODES {
            assert!(!self.circuit_ok(mode), "{mode:?}: circuit accepted an invalid ballot ({expected:?})");
        }
    }
}

/// The checklist's `circuit_ok`: new_ref, Constraints goal, generate, finalize,
/// is_satisfied.
fn circuit_ok(circuit: BallotCircuit) -> bool {
    let cs = ConstraintSystem::<Fr>::new_ref();
    cs.set_optimization_goal(OptimizationGoal::Constraints);
    circuit.generate_constraints(cs.clone()).expect("synthesis never fails on a well-shaped witness");
    cs.finalize();
    cs.is_satisfied().expect("prove mode")
}

// ---------------------------------------------------------------------------
// 1. Differential tests: valid ballots
// ---------------------------------------------------------------------------

#[test]
fn valid_ballots_satisfy_both_in_both_modes() {
    let mut rng = ChaCha20Rng::seed_from_u64(100);
    // k = 1..3, random votes within the budget, depths 1–3.
    for (k, depth) in [(1usize, 1usize), (2, 2), (3, 3)] {
        let votes: Vec<i64> = (0..k).map(|_| (rng.next_u32() % 9) as i64 - 4).collect();
        Ballot::build(&mut rng, depth, &votes, 4, 48).assert_valid();
    }
    // Exactly at the budget, with negative votes: 3² + 4² + 0² = 25.
    Ballot::build(&mut rng, 2, &[3, -4, 0], 5, 25).assert_valid();
    // All-zero votes, with a zero budget and a zero bound.
    Ballot::build(&mut rng, 2, &[0, 0], 0, 0).assert_valid();
    // Only negative votes.
    Ballot::build(&mut rng, 1, &[-2, -1, -3], 3, 14).assert_valid();
    // The largest bound and budget: votes ±(2¹⁵ − 1), B = 2⁶⁴ − 1.
    let v = (1i64 << BOUND_BITS) - 1;
    Ballot::build(&mut rng, 1, &[v, -v], v as u64, u64::MAX).assert_valid();
}

#[test]
fn boundary_randomness_satisfies_both() {
    let mut rng = ChaCha20Rng::seed_from_u64(101);
    for rho in [BigUint::from(2u8), BigUint::from(4u8), l() - 2u8, (BigUint::from(1u8) << 250) + 1u8] {
        let mut b = Ballot::build(&mut rng, 1, &[1, -1], 1, 2);
        b.private.randomness = fr(&rho);
        b.reencrypt();
        b.assert_valid();
    }
}

// ---------------------------------------------------------------------------
// 1. Differential tests: targeted invalid statements
// ---------------------------------------------------------------------------

#[test]
fn one_credit_over_budget_fails_both() {
    let mut rng = ChaCha20Rng::seed_from_u64(102);
    // 3² + 4² = 25 > 24 (F1).
    Ballot::build(&mut rng, 2, &[3, -4], 5, 24).assert_both_reject(RelationError::OverBudget);
    // The same ballot with an honest budget, then the budget input tampered down by one.
    let mut b = Ballot::build(&mut rng, 2, &[3, -4], 5, 25);
    b.assert_valid();
    b.public.budget -= Fr::ONE;
    b.assert_both_reject(RelationError::OverBudget);
}

#[test]
fn vote_beyond_the_bound_fails_both() {
    let mut rng = ChaCha20Rng::seed_from_u64(103);
    for v in [4i64, -4] {
        // |v| = V + 1 with a budget that would afford it.
        Ballot::build(&mut rng, 1, &[1, v], 3, 100)
            .assert_both_reject(RelationError::VoteOutOfRange { option: 1 });
    }
    // At the bit-width limit: V = 2¹⁵ − 1, v = ±2¹⁵.
    let big = 1i64 << BOUND_BITS;
    for v in [big, -big] {
        Ballot::build(&mut rng, 1, &[v], (big - 1) as u64, u64::MAX)
            .assert_both_reject(RelationError::VoteOutOfRange { option: 0 });
    }
}

/// In the signed encoding `p − 1` *is* the vote `−1` (its square, 1, is its honest
/// cost, and `(p − 1)·B = −B` decrypts to −1): accepted when `V ≥ 1`, rejected when
/// `V = 0`. The aliasing values of checklist F2/F3 — field elements outside
/// `[−V, V]` with small squares — all fail: `(p + 1)/2 = 1/2`, `√2`, `√−1`.
#[test]
fn field_aliases_of_small_votes_fail_both() {
    let mut rng = ChaCha20Rng::seed_from_u64(104);
    let mut b = Ballot::build(&mut rng, 1, &[0, 1], 1, 2);
    b.private.votes[0] = fr(&(r() - 1u8));
    assert_eq!(b.private.votes[0], vote_to_field(-1));
    b.reencrypt();
    b.assert_valid();
    let mut zero_bound = Ballot::build(&mut rng, 1, &[0, 0], 0, 10);
    zero_bound.private.votes[1] = -Fr::ONE;
    zero_bound.reencrypt();
    zero_bound.assert_both_reject(RelationError::VoteOutOfRange { option: 1 });

    let half = fr(&((r() + 1u8) >> 1));
    assert_eq!(half.double(), Fr::ONE);
    let sqrt2 = Fr::from(2u64).sqrt().expect("2 is a square mod r");
    let sqrt_minus_one = (-Fr::ONE).sqrt().expect("r ≡ 1 mod 4");
    for alias in [half, sqrt2, -sqrt2, sqrt_minus_one] {
        assert!(int(alias) > BigUint::from(1u8 << 4) && int(-alias) > BigUint::from(1u8 << 4));
        let mut t = Ballot::build(&mut rng, 1, &[1, 0], 5, 1000);
        t.private.votes[1] = alias;
        t.reencrypt();
        t.assert_both_reject(RelationError::VoteOutOfRange { option: 1 });
    }
}

#[test]
fn bound_and_budget_beyond_their_widths_fail_both() {
    let mut rng = ChaCha20Rng::seed_from_u64(105);
    let mut b = Ballot::build(&mut rng, 1, &[1], 1, 1);
    b.public.bound = Fr::from(1u64 << BOUND_BITS);
    b.assert_both_reject(RelationError::BoundTooLarge);
    b.public.bound = -Fr::ONE;
    b.assert_both_reject(RelationError::BoundTooLarge);
    let mut b = Ballot::build(&mut rng, 1, &[1], 1, 1);
    b.public.budget = Fr::from(BigUint::from(1u8) << BUDGET_BITS);
    b.assert_both_reject(RelationError::BudgetTooLarge);
    b.public.budget = -Fr::ONE;
    b.assert_both_reject(RelationError::BudgetTooLarge);
}

#[test]
fn ciphertext_under_a_voter_chosen_key_fails_both() {
    let mut rng = ChaCha20Rng::seed_from_u64(106);
    let mut b = Ballot::build(&mut rng, 2, &[2, -1], 2, 5);
    // The voter encrypts option 0 under a key whose secret it knows (F4).
    let own = Point::mul_base8(&Scalar::from(4242u64));
    let rho = scalar(b.private.randomness);
    b.public.ciphertext.c2[0] = Point::mul_base8(&Scalar::from(2u64)) + own.mul(&rho);
    b.assert_both_reject(RelationError::CiphertextMismatch { option: 0 });
}

#[test]
fn ciphertext_not_matching_the_vote_fails_both() {
    let mut rng = ChaCha20Rng::seed_from_u64(107);
    let mut b = Ballot::build(&mut rng, 1, &[2, -1, 0], 2, 5);
    // The ciphertext of (2, −1, 1): the proof claims 0 for option 2.
    let honest_votes = b.private.votes.clone();
    b.private.votes[2] = Fr::ONE;
    b.reencrypt();
    b.private.votes = honest_votes;
    b.assert_both_reject(RelationError::CiphertextMismatch { option: 2 });
    // c1 under another randomness.
    let mut c = Ballot::build(&mut rng, 1, &[1], 1, 1);
    c.public.ciphertext.c1 = Point::mul_base8(&Scalar::from(77u64));
    c.assert_both_reject(RelationError::C1Mismatch);
}

#[test]
fn ciphertexts_swapped_between_options_fail_both() {
    let mut rng = ChaCha20Rng::seed_from_u64(108);
    let mut b = Ballot::build(&mut rng, 1, &[2, -1], 2, 5);
    b.public.ciphertext.c2.swap(0, 1);
    b.assert_both_reject(RelationError::CiphertextMismatch { option: 0 });
    // Keys swapped (the ciphertext no longer matches the key order).
    let mut b = Ballot::build(&mut rng, 1, &[2, -1], 2, 5);
    b.public.keys.swap(0, 1);
    b.assert_both_reject(RelationError::CiphertextMismatch { option: 0 });
}

#[test]
fn nullifier_for_another_poll_fails_both() {
    let mut rng = ChaCha20Rng::seed_from_u64(109);
    let mut b = Ballot::build(&mut rng, 2, &[1], 1, 1);
    b.public.nullifier = poseidon::hash2(b.public.poll_id + Fr::ONE, b.private.membership.secret);
    b.assert_both_reject(RelationError::NullifierMismatch);
    // The ballot replayed into another poll (F6).
    let mut b = Ballot::build(&mut rng, 2, &[1], 1, 1);
    b.public.poll_id += Fr::ONE;
    b.assert_both_reject(RelationError::NullifierMismatch);
}

#[test]
fn membership_failures_fail_both() {
    let mut rng = ChaCha20Rng::seed_from_u64(110);
    let mut b = Ballot::build(&mut rng, 2, &[1], 1, 1);
    b.public.merkle_root += Fr::ONE;
    b.assert_both_reject(RelationError::RootMismatch);
    // secret + l: same commitment and root, another nullifier.
    let mut b = Ballot::build(&mut rng, 2, &[1], 1, 1);
    let aliased = fr(&(int(b.private.membership.secret) + l()));
    b.private.membership.secret = aliased;
    b.public.nullifier = poseidon::hash2(b.public.poll_id, aliased);
    b.assert_both_reject(RelationError::SecretNotBelowSubgroupOrder);
}

#[test]
fn randomness_not_below_l_fails_both() {
    let mut rng = ChaCha20Rng::seed_from_u64(111);
    let mut b = Ballot::build(&mut rng, 1, &[1, -1], 1, 2);
    // ρ + l gives the same ciphertext: a second witness if it were accepted.
    let aliased = fr(&(int(b.private.randomness) + l()));
    assert_eq!(Point::mul_base8(&scalar(aliased)), b.public.ciphertext.c1);
    b.private.randomness = aliased;
    b.assert_both_reject(RelationError::RandomnessNotBelowSubgroupOrder);
    for rho in [l(), r() - 1u8, (BigUint::from(1u8) << 251) - 1u8] {
        let mut t = Ballot::build(&mut rng, 1, &[1], 1, 1);
        t.private.randomness = fr(&rho);
        t.assert_both_reject(RelationError::RandomnessNotBelowSubgroupOrder);
    }
}

#[test]
fn exceptional_randomness_fails_both_and_names_the_ladder() {
    let mut rng = ChaCha20Rng::seed_from_u64(112);
    for rho in [BigUint::ZERO, BigUint::from(1u8), BigUint::from(3u8), l() - 1u8] {
        let mut b = Ballot::build(&mut rng, 1, &[1], 1, 1);
        b.private.randomness = fr(&rho);
        b.reencrypt();
        b.assert_both_reject(RelationError::ExceptionalRandomness);
        // The honest prover's system fails in the ladder: 2·acc + Q = O makes the
        // second chord's constraint (λ₁ + λ₂)·0 = −2·v_acc ≠ 0.
        let (first, _) = failures(b.circuit(PublicInputMode::Explicit));
        let first = first.expect("unsatisfiable");
        assert!(first.contains("randomness_times_key") && first.contains("chord_r_a"), "ρ = {rho}: {first}");
    }
}

#[test]
fn identity_election_key_fails_both() {
    let mut rng = ChaCha20Rng::seed_from_u64(113);
    let mut b = Ballot::build(&mut rng, 1, &[1, 0], 1, 1);
    b.public.keys[1] = Point::IDENTITY;
    b.reencrypt();
    b.assert_both_reject(RelationError::IdentityElectionKey { option: 1 });
}

#[test]
fn swapped_public_inputs_fail_both() {
    let mut rng = ChaCha20Rng::seed_from_u64(114);
    let b = Ballot::build(&mut rng, 2, &[3, -2], 5, 13);
    b.assert_valid();
    let swap = |f: &dyn Fn(&mut BallotPublic)| {
        let mut t = b.clone();
        f(&mut t.public);
        t
    };
    let cases: Vec<(Ballot, RelationError)> = vec![
        (swap(&|q| std::mem::swap(&mut q.merkle_root, &mut q.nullifier)), RelationError::RootMismatch),
        (swap(&|q| std::mem::swap(&mut q.nullifier, &mut q.poll_id)), RelationError::NullifierMismatch),
        // budget 13 ↔ bound 5: 3² + 2² = 13 > 5.
        (swap(&|q| std::mem::swap(&mut q.budget, &mut q.bound)), RelationError::OverBudget),
        // The root (a ~254-bit value) as the bound.
        (swap(&|q| std::mem::swap(&mut q.bound, &mut q.merkle_root)), RelationError::RootMismatch),
        (swap(&|q| std::mem::swap(&mut q.ciphertext.c1, &mut q.ciphertext.c2[0])), RelationError::C1Mismatch),
        (swap(&|q| q.keys.swap(0, 1)), RelationError::CiphertextMismatch { option: 0 }),
    ];
    for (t, expected) in cases {
        t.assert_both_reject(expected);
    }
    // Public-input vectors: every transposition of two distinct inputs among the
    // first nine is another statement, and the honest witness does not satisfy it
    // (the inputs are positional).
    for mode in MODES {
        let inputs = b.circuit(mode).public_inputs();
        let cs = support::synthesize(b.circuit(mode));
        assert!(cs.is_satisfied().unwrap());
        let n = inputs.len().min(9);
        for i in 0..n {
            for j in i + 1..n {
                if inputs[i] == inputs[j] {
                    continue;
                }
                // Column 0 is the constant 1; input i is column i + 1.
                support::set_column(&cs, i + 1, inputs[j]);
                support::set_column(&cs, j + 1, inputs[i]);
                assert!(!cs.is_satisfied().unwrap(), "{mode:?}: inputs {i} ↔ {j}");
                support::set_column(&cs, i + 1, inputs[i]);
                support::set_column(&cs, j + 1, inputs[j]);
            }
        }
        assert!(cs.is_satisfied().unwrap(), "restored");
    }
}

#[test]
fn a_precomputed_keys_digest_gives_the_same_inputs_and_only_for_its_keys() {
    let mut rng = ChaCha20Rng::seed_from_u64(116);
    let b = Ballot::build(&mut rng, 2, &[1, -1, 0], 1, 2);
    let digest = ballot::KeysDigest::new(&b.public.keys).unwrap();
    assert_eq!(digest.digest(), keys_digest(&b.public.keys).unwrap());
    for mode in [PublicInputMode::Hashed, PublicInputMode::Explicit] {
        assert_eq!(b.public.to_vec_with_keys(mode, &digest), b.public.to_vec(mode));
    }
    // Another ballot's keys (same count), the keys reordered: refused.
    let other = Ballot::build(&mut rng, 2, &[0, 0, 0], 1, 2);
    let mut swapped = b.public.keys.clone();
    swapped.swap(0, 1);
    for keys in [other.public.keys.clone(), swapped] {
        let wrong = ballot::KeysDigest::new(&keys).unwrap();
        assert_eq!(
            b.public.to_vec_with_keys(PublicInputMode::Hashed, &wrong),
            Err(RelationError::KeysMismatch)
        );
    }
    assert_eq!(ballot::KeysDigest::new(&[]), Err(RelationError::InvalidOptionCount(0)));
}

#[test]
fn shape_errors_are_errors_not_panics() {
    let mut rng = ChaCha20Rng::seed_from_u64(115);
    let b = Ballot::build(&mut rng, 2, &[1, 0], 1, 1);
    for depth in [0, 33, usize::MAX] {
        assert_eq!(
            BallotCircuit::blank(depth, 2, PublicInputMode::Hashed).unwrap_err(),
            RelationError::InvalidMaxDepth(depth)
        );
        assert_eq!(
            check_ballot_relation(depth, 2, &b.public, &b.private),
            Err(RelationError::InvalidMaxDepth(depth))
        );
        assert_eq!(ballot::constraint_count(depth, 2, PublicInputMode::Explicit), None);
    }
    for k in [0, 65, usize::MAX] {
        assert_eq!(
            BallotCircuit::blank(2, k, PublicInputMode::Explicit).unwrap_err(),
            RelationError::InvalidOptionCount(k)
        );
        assert_eq!(
            BallotCircuit::shape(2, k, PublicInputMode::Hashed).unwrap_err(),
            RelationError::InvalidOptionCount(k)
        );
        assert_eq!(
            check_ballot_relation(2, k, &b.public, &b.private),
            Err(RelationError::InvalidOptionCount(k))
        );
        assert_eq!(ballot::constraint_count(2, k, PublicInputMode::Hashed), None);
    }
    // Option count different from the vectors'.
    let expected = RelationError::WitnessLength { what: "keys", expected: 3, got: 2 };
    assert_eq!(check_ballot_relation(2, 3, &b.public, &b.private), Err(expected.clone()));
    assert_eq!(
        BallotCircuit::new(2, 3, PublicInputMode::Explicit, &b.public, &b.private).unwrap_err(),
        expected
    );
    let mut t = b.clone();
    t.private.votes.pop();
    let expected = RelationError::WitnessLength { what: "votes", expected: 2, got: 1 };
    assert_eq!(check_ballot_relation(2, 2, &t.public, &t.private), Err(expected.clone()));
    assert_eq!(
        BallotCircuit::new(2, 2, PublicInputMode::Hashed, &t.public, &t.private).unwrap_err(),
        expected
    );
    let mut t = b.clone();
    t.public.ciphertext.c2.push(Point::BASE8);
    assert!(matches!(t.native(), Err(RelationError::WitnessLength { what: "ciphertext c2", .. })));
    assert!(t.public.to_vec(PublicInputMode::Explicit).is_err());
    let mut t = b.clone();
    t.private.membership.siblings.push(Fr::ZERO);
    assert!(matches!(t.native(), Err(RelationError::WitnessLength { what: "siblings", .. })));
    // Raw witnesses of the wrong shape.
    let (instance, mut witness) = b.raw();
    witness.ladder_bits.pop();
    assert!(matches!(
        BallotCircuit::from_raw_witness_unchecked(2, 2, PublicInputMode::Explicit, instance.clone(), witness),
        Err(RelationError::WitnessLength { what: "ladder_bits", .. })
    ));
    let (_, mut witness) = b.raw();
    witness.bound_minus_vote_bits[1].push(Fr::ZERO);
    assert!(BallotCircuit::from_raw_witness_unchecked(2, 2, PublicInputMode::Explicit, instance, witness)
        .is_err());
    // Digests refuse invalid option counts.
    assert_eq!(keys_digest(&[]), Err(RelationError::InvalidOptionCount(0)));
}

#[test]
fn secrets_are_redacted_in_debug_output() {
    let mut rng = ChaCha20Rng::seed_from_u64(116);
    let mut b = Ballot::build(&mut rng, 1, &[1], 1, 1);
    b.private.randomness = Fr::from(0xdead_beef_u64);
    b.private.membership.secret = Fr::from(0xdead_beef_u64);
    let (_, witness) = b.raw();
    for text in [
        format!("{:?}", b.private),
        format!("{:?}", b.circuit(PublicInputMode::Hashed)),
        format!("{witness:?}"),
    ] {
        assert!(!text.contains("3735928559") && !text.to_lowercase().contains("deadbeef"), "{text}");
    }
}

#[test]
fn hashed_inputs_are_the_native_digests() {
    let mut rng = ChaCha20Rng::seed_from_u64(117);
    let b = Ballot::build(&mut rng, 1, &[1, -1, 0], 1, 2);
    let inputs = b.circuit(PublicInputMode::Hashed).public_inputs();
    let p = &b.public;
    assert_eq!(
        inputs,
        [
            p.merkle_root,
            p.nullifier,
            p.poll_id,
            p.budget,
            p.bound,
            keys_digest(&p.keys).unwrap(),
            ciphertext_digest(&p.ciphertext).unwrap()
        ]
    );
    let explicit = b.circuit(PublicInputMode::Explicit).public_inputs();
    assert_eq!(explicit.len(), PublicInputMode::Explicit.num_public_inputs(3));
    let mut expected = vec![p.merkle_root, p.nullifier, p.poll_id, p.budget, p.bound];
    expected.extend(p.keys.iter().flat_map(|k| [k.x(), k.y()]));
    expected.extend(p.ciphertext.coordinates());
    assert_eq!(explicit, expected);
}

// ---------------------------------------------------------------------------
// Property: the native check and the circuit always agree.
// ---------------------------------------------------------------------------

/// One targeted change (or none) applied to an otherwise consistent ballot.
#[derive(Clone, Debug)]
enum Mutation {
    None,
    Vote(usize, Fr),
    Budget(i64),
    Bound(i64),
    Randomness(Fr),
    RandomnessPlusL,
    SwapCiphertexts,
    NullifierScope,
}

fn boundary_value() -> impl Strategy<Value = Fr> {
    let specials: Vec<BigUint> = vec![
        BigUint::ZERO,
        BigUint::from(1u8),
        BigUint::from(2u8),
        BigUint::from(3u8),
        l() - 1u8,
        l() - 2u8,
        l(),
        (r() - 1u8) >> 1,
        (r() + 1u8) >> 1,
        r() - 2u8,
        r() - 1u8,
        r() - 5u8,
        BigUint::from(1u32 << 15),
        BigUint::from((1u32 << 16) - 1),
    ];
    prop_oneof![
        proptest::sample::select(specials).prop_map(|v| fr(&v)),
        (-8i64..8).prop_map(vote_to_field),
        any::<[u8; 32]>().prop_map(|b| Fr::from_le_bytes_mod_order(&b)),
    ]
}

fn mutation_strategy() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => Just(Mutation::None),
        3 => (0usize..2, boundary_value()).prop_map(|(i, v)| Mutation::Vote(i, v)),
        2 => (-3i64..3).prop_map(Mutation::Budget),
        1 => (-2i64..2).prop_map(Mutation::Bound),
        2 => boundary_value().prop_map(Mutation::Randomness),
        1 => Just(Mutation::RandomnessPlusL),
        1 => Just(Mutation::SwapCiphertexts),
        1 => Just(Mutation::NullifierScope),
    ]
}

fn apply(b: &mut Ballot, m: &Mutation) {
    let k = b.options();
    match m {
        Mutation::None => {}
        Mutation::Vote(i, v) => {
            b.private.votes[*i % k] = *v;
            b.reencrypt();
        }
        Mutation::Budget(d) => b.public.budget += vote_to_field(*d),
        Mutation::Bound(d) => b.public.bound += vote_to_field(*d),
        Mutation::Randomness(rho) => {
            b.private.randomness = *rho;
            if int(*rho) < l() {
                b.reencrypt();
            }
        }
        Mutation::RandomnessPlusL => b.private.randomness = fr(&(int(b.private.randomness) + l())),
        Mutation::SwapCiphertexts => b.public.ciphertext.c2.swap(0, k - 1),
        Mutation::NullifierScope => b.public.poll_id += Fr::ONE,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn native_check_and_circuit_agree(
        seed in any::<u64>(),
        votes in proptest::collection::vec(-3i64..=3, 1..=2),
        slack in 0u64..3,
        hashed in any::<bool>(),
        mutation in mutation_strategy(),
    ) {
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        let spent: u64 = votes.iter().map(|v| (v * v) as u64).sum();
        let mut b = Ballot::build(&mut rng, 1, &votes, 3, spent + slack);
        apply(&mut b, &mutation);
        let mode = if hashed { PublicInputMode::Hashed } else { PublicInputMode::Explicit };
        prop_assert_eq!(b.native().is_ok(), b.circuit_ok(mode), "{:?} / {:?}", mutation, b.native());
    }
}

// ---------------------------------------------------------------------------
// 2. Mutation sweep
// ---------------------------------------------------------------------------

/// No single-variable change may survive; the allowlist is empty.
fn no_allowance(_col: usize, _original: Fr, _value: Fr) -> Option<&'static str> {
    None
}

fn sweep(b: &Ballot, mode: PublicInputMode, seed: u64) {
    b.assert_valid();
    let cs = support::synthesize(b.circuit(mode));
    let sweep = support::mutation_sweep(&cs, seed, 97, no_allowance);
    assert!(
        sweep.checked > 3 * sweep.columns / 2 && sweep.cross_checked > 20,
        "{} mutations, {} cross-checked",
        sweep.checked,
        sweep.cross_checked
    );
    assert!(sweep.survivors.is_empty(), "free variables (column, value): {:?}", sweep.survivors);
    assert!(sweep.allowed.is_empty());
}

#[test]
fn mutation_sweep_explicit() {
    // Depth 2 with a partial or full path, two options with a positive, a negative
    // and (in the second ballot) a zero vote, slack in the budget.
    let mut rng = ChaCha20Rng::seed_from_u64(120);
    sweep(&Ballot::build(&mut rng, 2, &[2, -1], 3, 6), PublicInputMode::Explicit, 121);
}

#[test]
fn mutation_sweep_hashed() {
    let mut rng = ChaCha20Rng::seed_from_u64(122);
    sweep(&Ballot::build(&mut rng, 1, &[0, -3], 3, 9), PublicInputMode::Hashed, 123);
}

// ---------------------------------------------------------------------------
// 3. Malicious provers
// ---------------------------------------------------------------------------

fn bits(v: &BigUint, n: usize) -> Vec<Fr> {
    (0..n).map(|i| Fr::from(u64::from(v.bit(i as u64)))).collect()
}

#[test]
fn honest_raw_witness_is_consistent() {
    let mut rng = ChaCha20Rng::seed_from_u64(130);
    let b = Ballot::build(&mut rng, 2, &[1, -2], 2, 5);
    for mode in MODES {
        let (instance, witness) = b.raw();
        let (first, all) = failures(b.raw_circuit(mode, instance, witness));
        assert_eq!((first, all.len()), (None, 0));
    }
}

/// A vote of V + 1: `V − v = −1` has no 16-bit decomposition; the "bits"
/// `(−1, 0, …, 0)` pack to −1 and only booleanity catches them.
#[test]
fn non_boolean_vote_range_bits_are_caught() {
    let mut rng = ChaCha20Rng::seed_from_u64(131);
    let mut b = Ballot::build(&mut rng, 1, &[1, 0], 2, 100);
    b.private.votes[1] = Fr::from(3u64);
    b.reencrypt();
    assert_eq!(b.native(), Err(RelationError::VoteOutOfRange { option: 1 }));
    for mode in MODES {
        let (instance, mut witness) = b.raw();
        let mut minus_one = vec![Fr::ZERO; VOTE_BITS];
        minus_one[0] = -Fr::ONE;
        witness.bound_minus_vote_bits[1] = minus_one;
        assert_caught(
            b.raw_circuit(mode, instance, witness),
            &["vote_range", "bound_minus_vote", "booleanity"],
            &[&["bound_minus_vote", "booleanity"]],
        );
    }
    // A vote of −(V + 1): v + V = −1, whose "bits" also feed the vote's point; the
    // first failure is booleanity (the point, off the curve, then fails c2).
    let mut b = Ballot::build(&mut rng, 1, &[1, 0], 2, 100);
    b.private.votes[1] = -Fr::from(3u64);
    b.reencrypt();
    let (instance, mut witness) = b.raw();
    let mut minus_one = vec![Fr::ZERO; VOTE_BITS];
    minus_one[0] = -Fr::ONE;
    witness.vote_plus_bound_bits[1] = minus_one;
    assert_caught(
        b.raw_circuit(PublicInputMode::Explicit, instance, witness),
        &["vote_range", "vote_plus_bound", "booleanity"],
        &[&["vote_plus_bound", "booleanity"], &["c2_matches_public_input"]],
    );
}

/// Over budget by one: the slack `B − Σ v² = −1` as the "bits" `(−1, 0, …)`; a
/// budget of 2⁶⁴ as `(0, …, 0, 2)`.
#[test]
fn non_boolean_budget_bits_are_caught() {
    let mut rng = ChaCha20Rng::seed_from_u64(132);
    let b = Ballot::build(&mut rng, 1, &[2, -2], 2, 7);
    assert_eq!(b.native(), Err(RelationError::OverBudget));
    for mode in MODES {
        let (instance, mut witness) = b.raw();
        witness.slack_bits = vec![Fr::ZERO; BUDGET_BITS];
        witness.slack_bits[0] = -Fr::ONE;
        assert_caught(
            b.raw_circuit(mode, instance, witness),
            &["within_budget", "booleanity"],
            &[&["within_budget", "booleanity"]],
        );
    }
    let mut b = Ballot::build(&mut rng, 1, &[1], 1, 1);
    b.public.budget = Fr::from(BigUint::from(1u8) << BUDGET_BITS);
    let (instance, mut witness) = b.raw();
    witness.budget_bits = vec![Fr::ZERO; BUDGET_BITS];
    witness.budget_bits[BUDGET_BITS - 1] = Fr::from(2u64);
    witness.slack_bits = bits(&((BigUint::from(1u8) << BUDGET_BITS) - 1u8), BUDGET_BITS);
    assert_caught(
        b.raw_circuit(PublicInputMode::Hashed, instance, witness),
        &["budget_range", "booleanity"],
        &[&["budget_range", "booleanity"]],
    );
}

/// `Σ vᵢ² ≥ p` but `≡ 0`: the votes (1, √−1) cost "0" credits modulo p. Crafted
/// consistently everywhere — the vote's low 16 bits, the point the circuit derives
/// from them, the slack of a zero spend — only the range packing of √−1 fails.
#[test]
fn wrapped_sum_of_squares_is_caught_by_the_vote_range() {
    let mut rng = ChaCha20Rng::seed_from_u64(133);
    let i = (-Fr::ONE).sqrt().unwrap();
    assert_eq!(Fr::ONE + i.square(), Fr::ZERO);
    let mut b = Ballot::build(&mut rng, 1, &[1, 0], 3, 0);
    b.private.votes[1] = i;
    assert_eq!(b.native(), Err(RelationError::VoteOutOfRange { option: 1 }));
    let (mut instance, witness) = b.raw();
    // What the circuit computes for option 1 from the truncated bits of i + V.
    let truncated: BigUint = int(i + Fr::from(3u64)) % (BigUint::from(1u8) << VOTE_BITS);
    let v_point = Point::mul_base8(&(Scalar::from(truncated) - Scalar::from(3u64)));
    let c2 = v_point + b.public.keys[1].mul(&scalar(b.private.randomness));
    instance.c2[1] = [c2.x(), c2.y()];
    assert_eq!(witness.slack_bits, vec![Fr::ZERO; BUDGET_BITS], "Σ v² ≡ 0: zero slack");
    assert_caught(
        b.raw_circuit(PublicInputMode::Explicit, instance, witness),
        &["vote_range", "packing"],
        &[&["vote_range", "vote_plus_bound", "packing"], &["vote_range", "bound_minus_vote", "packing"]],
    );
}

#[test]
fn non_boolean_randomness_and_ladder_bits_are_caught() {
    let mut rng = ChaCha20Rng::seed_from_u64(134);
    let b = Ballot::build(&mut rng, 1, &[1], 1, 1);
    // Move weight between two bits of ρ so the packing still holds.
    let (instance, mut witness) = b.raw();
    let j = (1..251).find(|&j| witness.randomness_bits[j] == Fr::ONE).unwrap();
    witness.randomness_bits[j] = Fr::ZERO;
    witness.randomness_bits[j - 1] += Fr::from(2u64);
    let (first, _) = failures(b.raw_circuit(PublicInputMode::Explicit, instance, witness));
    let first = first.unwrap();
    assert!(first.contains("randomness") && first.contains("booleanity"), "{first}");
    // The same for the ladder digits: only their booleanity fails (they are used
    // only by the ladder, which then computes some other point and fails c2).
    let (instance, mut witness) = b.raw();
    let j = (1..252).find(|&j| witness.ladder_bits[j] == Fr::ONE).unwrap();
    witness.ladder_bits[j] = Fr::ZERO;
    witness.ladder_bits[j - 1] += Fr::from(2u64);
    let (first, _) = failures(b.raw_circuit(PublicInputMode::Hashed, instance, witness));
    let first = first.unwrap();
    assert!(first.contains("ladder_scalar") && first.contains("booleanity"), "{first}");
}

/// The ladder digits of `S + l` (Boolean) would give the same point; the packing
/// `2S = ρ + (5 − b₀)·l − 2²⁵² − 1` pins S.
#[test]
fn aliased_ladder_digits_are_caught_by_the_packing() {
    let mut rng = ChaCha20Rng::seed_from_u64(135);
    let mut b = Ballot::build(&mut rng, 1, &[1], 1, 1);
    // A small ρ keeps S + l below 2²⁵².
    b.private.randomness = Fr::from(1_000_003u64);
    b.reencrypt();
    b.assert_valid();
    let (instance, mut witness) = b.raw();
    let s = witness.ladder_bits.iter().rev().fold(BigUint::ZERO, |acc, x| (acc << 1u8) + int(*x));
    let aliased = s + l();
    assert!(aliased.bits() <= 252);
    witness.ladder_bits = bits(&aliased, 252);
    assert_caught(
        b.raw_circuit(PublicInputMode::Explicit, instance, witness),
        &["ladder_scalar", "packing"],
        &[&["ladder_scalar", "packing"]],
    );
}

/// A point of order 8 as an election key (a key holder skipping validation): the
/// ladder's multiplier reaches ±1 mod 8, so a step would add equal (or opposite)
/// points and leave its slope free. The non-zero-denominator constraint is the
/// first — and, up to the ciphertext binding, the only kind of — failure.
#[test]
fn low_order_key_makes_equal_ladder_inputs_caught_by_the_nonzero_denominator() {
    let mut rng = ChaCha20Rng::seed_from_u64(136);
    let g = BabyJubjubAffine::new_unchecked(GENERATOR_X, GENERATOR_Y);
    let order8 = g.mul_bigint(Scalar::MODULUS).into_affine();
    assert!(order8.is_on_curve() && !order8.is_zero());
    assert!(order8.mul_bigint([8u64]).into_affine().is_zero());
    let b = Ballot::build(&mut rng, 1, &[1], 1, 1);
    let (mut instance, witness) = b.raw();
    instance.keys[0] = [order8.x, order8.y];
    let (first, all) = failures(b.raw_circuit(PublicInputMode::Explicit, instance, witness));
    let first = first.expect("unsatisfiable");
    assert!(first.contains("randomness_times_key") && first.contains("denominator_nonzero"), "{first}");
    for trace in &all {
        assert!(
            [
                "denominator_nonzero",
                "chord_a_q",
                "chord_r_a",
                "montgomery_to_edwards",
                "c2_matches_public_input"
            ]
            .iter()
            .any(|n| trace.contains(n)),
            "{trace}"
        );
    }
}

/// Hashed mode: a prover substituting its own keys as the key witnesses (and
/// encrypting under them) is caught by the keys digest.
#[test]
fn substituted_key_witnesses_are_caught_by_the_keys_digest() {
    let mut rng = ChaCha20Rng::seed_from_u64(137);
    let b = Ballot::build(&mut rng, 1, &[1, -1], 1, 2);
    let own = vec![Point::mul_base8(&Scalar::from(5u64)), Point::mul_base8(&Scalar::from(6u64))];
    let rho = scalar(b.private.randomness);
    let ciphertext = BallotCiphertext::encrypt(&own, &b.private.votes, &rho).unwrap();
    let (mut instance, mut witness) = b.raw();
    instance.c1 = [ciphertext.c1.x(), ciphertext.c1.y()];
    instance.c2 = ciphertext.c2.iter().map(|p| [p.x(), p.y()]).collect();
    witness.keys = own.iter().map(|p| [p.x(), p.y()]).collect();
    assert_caught(
        b.raw_circuit(PublicInputMode::Hashed, instance, witness),
        &["keys_digest_matches_public_input"],
        &[&["keys_digest_matches_public_input"]],
    );
}

// ---------------------------------------------------------------------------
// 4. Pinned shapes
// ---------------------------------------------------------------------------

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn check_pins(filter: impl Fn(usize) -> bool) {
    let mut table = String::new();
    let mut mismatches = Vec::new();
    for (max_depth, options, mode, constraints, digest) in PINNED_SHAPES.into_iter().filter(|p| filter(p.1)) {
        let shape = BallotCircuit::shape(max_depth, options, mode).unwrap();
        let computed = hex(&shape.matrices_sha3);
        table.push_str(&format!(
            "    ({max_depth}, {options}, PublicInputMode::{mode:?}, {}, \"{computed}\"), // {} witness variables\n",
            shape.num_constraints, shape.num_witness_variables
        ));
        assert_eq!(Some(shape.num_constraints), ballot::constraint_count(max_depth, options, mode));
        assert_eq!(shape.num_instance_variables, 1 + mode.num_public_inputs(options));
        if (shape.num_constraints, computed.as_str()) != (constraints, digest) {
            mismatches.push((options, mode));
        }
    }
    println!("PINNED_SHAPES:\n{table}");
    assert!(mismatches.is_empty(), "shapes changed for {mismatches:?}; new table:\n{table}");
}

#[test]
fn pinned_shapes() {
    check_pins(|k| k <= 16);
}

/// k = 64 (about 4 s in the test profile), separate so it runs in parallel.
#[test]
fn pinned_shapes_k64() {
    check_pins(|k| k == 64);
}

#[test]
fn the_performance_target_holds() {
    // k = 16 at D = 20 within 50 000 constraints, in both modes.
    for mode in MODES {
        let n = ballot::constraint_count(20, 16, mode).unwrap();
        assert!(n <= 50_000, "{mode:?}: {n}");
    }
}

#[test]
fn proving_mode_has_the_setup_shape() {
    let mut rng = ChaCha20Rng::seed_from_u64(140);
    let b = Ballot::build(&mut rng, 2, &[1, -1], 1, 2);
    for mode in MODES {
        let setup = BallotCircuit::shape(2, 2, mode).unwrap();
        assert_eq!(shape_of(&support::synthesize(b.circuit(mode))).unwrap(), setup);
        // An invalid statement (over budget, exceptional ρ) has the same shape.
        let mut t = b.clone();
        t.public.budget = Fr::ZERO;
        t.private.randomness = Fr::ONE;
        assert_eq!(shape_of(&support::synthesize(t.circuit(mode))).unwrap(), setup);
    }
}

#[test]
fn encryption_twin_decrypts() {
    // The native twin is exponential ElGamal: c2ᵢ − skᵢ·c1 = vᵢ·B.
    let mut rng = ChaCha20Rng::seed_from_u64(141);
    let sks: Vec<Scalar> = (0..3).map(|_| Scalar::rand(&mut rng)).collect();
    let keys: Vec<Point> = sks.iter().map(Point::mul_base8).collect();
    let votes = [vote_to_field(5), vote_to_field(-7), vote_to_field(0)];
    let ct = BallotCiphertext::encrypt(&keys, &votes, &Scalar::from(99u64)).unwrap();
    for ((sk, c2), v) in sks.iter().zip(&ct.c2).zip([5i64, -7, 0]) {
        let expected = if v < 0 {
            -Point::mul_base8(&Scalar::from(-v as u64))
        } else {
            Point::mul_base8(&Scalar::from(v as u64))
        };
        assert_eq!(*c2 - ct.c1.mul(sk), expected);
    }
    assert!(BallotCiphertext::encrypt(&keys, &votes[..2], &Scalar::from(1u64)).is_err());
}
