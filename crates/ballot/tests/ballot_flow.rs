//! The ballot flow with real Groth16 proofs: cast → ballot box, and every way the
//! box must refuse a ballot (checklist F1, F4–F8).

#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use psephos_ballot::{
    statement::{cast, verify_ballot_proof, CastError, BALLOT_MODE},
    Ballot, BallotBox, ElectionSecretKey, Manifest, Outcome, Rejection, RevotePolicy,
};
use psephos_circuits::ballot::BallotCircuit;
use psephos_identity::{Group, Identity};
use psephos_primitives::{Fr, Scalar};
use psephos_snark::{dev_setup, PreparedVerifyingKey, ProvingKey, VkPolicy};
use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};

const DEPTH: usize = 3;
const OPTIONS: usize = 2;

struct Fixture {
    manifest: Manifest,
    pk: ProvingKey,
    pvk: PreparedVerifyingKey,
    voters: Vec<Identity>,
    group: Group,
    secret: ElectionSecretKey,
}

fn fixture(policy: RevotePolicy) -> Fixture {
    let voters: Vec<Identity> = (0..4).map(|i| Identity::from_text(&format!("voter {i}"))).collect();
    let group = Group::from_members(&voters.iter().map(|v| v.commitment()).collect::<Vec<_>>()).unwrap();
    let mut rng = ChaCha20Rng::seed_from_u64(11);
    let secret = ElectionSecretKey::random(OPTIONS, &mut rng);
    let (pk, vk) = dev_setup(BallotCircuit::blank(DEPTH, OPTIONS, BALLOT_MODE).unwrap(), &[3u8; 32]).unwrap();
    let manifest = Manifest {
        poll_name: "flow".into(),
        poll_id: Fr::from(4242u64),
        options: OPTIONS,
        budget: 13,
        bound: 3,
        max_depth: DEPTH,
        accepted_roots: vec![group.root()],
        election_key: secret.public_key(),
        verifying_key_id: vk.id().to_hex(),
        revote_policy: policy,
    };
    let pvk = vk.prepare(&VkPolicy::development()).unwrap();
    Fixture { manifest, pk, pvk, voters, group, secret }
}

fn boxed(f: &Fixture) -> BallotBox<impl Fn(&Manifest, &Ballot) -> Result<(), String> + '_> {
    BallotBox::new(f.manifest.clone(), |m: &Manifest, b: &Ballot| verify_ballot_proof(m, &f.pvk, b))
}

#[test]
fn ballots_at_the_budget_count_and_forgeries_do_not() {
    let f = fixture(RevotePolicy::Reject);
    let mut rng = ChaCha20Rng::seed_from_u64(12);
    let mut bx = boxed(&f);
    // Exactly at the budget: 3² + 2² = 13.
    let at_budget = cast(&f.manifest, &f.voters[0], &f.group, &[3, -2], &f.pk, &mut rng).unwrap();
    assert_eq!(bx.submit(at_budget.clone()), Outcome::Accepted);
    // The ballot survives its JSON round trip.
    assert_eq!(Ballot::from_json(at_budget.to_json().as_bytes()).unwrap(), at_budget);

    // One credit over (3² + 2² + … is capped by k = 2: use |v| > V and Σv² > B).
    assert!(matches!(
        cast(&f.manifest, &f.voters[1], &f.group, &[3, 3], &f.pk, &mut rng),
        Err(CastError::OverBudget { cost: 18, budget: 13 })
    ));
    assert!(matches!(
        cast(&f.manifest, &f.voters[1], &f.group, &[4, 0], &f.pk, &mut rng),
        Err(CastError::VoteOutOfRange { .. })
    ));
    // Non-member.
    assert!(matches!(
        cast(&f.manifest, &Identity::from_text("stranger"), &f.group, &[1, 1], &f.pk, &mut rng),
        Err(CastError::NotAMember)
    ));

    // Exact copy: duplicate nullifier (and a replay).
    assert!(matches!(bx.submit(at_budget.clone()), Outcome::Rejected(Rejection::Replay)));
    // Victim's ciphertexts under another voter's nullifier: the proof does not verify.
    let mut stolen = at_budget.clone();
    stolen.nullifier = psephos_identity::Nullifier::derive(&f.voters[2], f.manifest.poll_id).to_field();
    assert!(matches!(bx.submit(stolen), Outcome::Rejected(Rejection::InvalidProof(_))));
    // Re-randomized ciphertexts with the old proof: invalid.
    let mut rerandomized = at_budget.clone();
    rerandomized.nullifier = psephos_identity::Nullifier::derive(&f.voters[3], f.manifest.poll_id).to_field();
    rerandomized.ciphertext =
        at_budget.ciphertext.rerandomize(&f.manifest.election_key, &Scalar::from(99u64)).unwrap();
    assert!(matches!(bx.submit(rerandomized), Outcome::Rejected(Rejection::InvalidProof(_))));
    // Options swapped.
    let mut swapped = cast(&f.manifest, &f.voters[1], &f.group, &[1, -1], &f.pk, &mut rng).unwrap();
    swapped.ciphertext.c2.swap(0, 1);
    assert!(matches!(bx.submit(swapped), Outcome::Rejected(Rejection::InvalidProof(_))));
    // A ballot for another poll.
    let mut other_poll = f.manifest.clone();
    other_poll.poll_id = Fr::from(1u64);
    let foreign = cast(&other_poll, &f.voters[2], &f.group, &[1, 1], &f.pk, &mut rng).unwrap();
    assert!(matches!(bx.submit(foreign), Outcome::Rejected(Rejection::ScopeMismatch)));
    // Encrypted under a voter-chosen key: the manifest's keys are public inputs.
    let mut rogue = f.manifest.clone();
    rogue.election_key = ElectionSecretKey::random(OPTIONS, &mut rng).public_key();
    let rogue_ballot = cast(&rogue, &f.voters[2], &f.group, &[1, 1], &f.pk, &mut rng).unwrap();
    assert!(matches!(bx.submit(rogue_ballot), Outcome::Rejected(Rejection::InvalidProof(_))));
    // Verified against a tampered (larger) budget: the proof is bound to B.
    let honest = cast(&f.manifest, &f.voters[2], &f.group, &[2, 2], &f.pk, &mut rng).unwrap();
    let mut generous = f.manifest.clone();
    generous.budget = 100;
    assert!(verify_ballot_proof(&generous, &f.pvk, &honest).is_err());
    assert_eq!(bx.submit(honest), Outcome::Accepted);

    // Only the two honest ballots count, and they decrypt to the votes.
    assert_eq!(bx.len(), 2);
    let mut sum = psephos_ballot::Ciphertext::zero(OPTIONS);
    for b in bx.counted() {
        sum = sum.add(&b.ciphertext).unwrap();
    }
    let totals: Vec<i64> = f
        .secret
        .decrypt_points(&sum)
        .unwrap()
        .iter()
        .map(|p| psephos_ballot::dlog::solve(p, 2 * 3).unwrap())
        .collect();
    assert_eq!(totals, vec![5, 0]);
}

#[test]
fn last_wins_replaces_and_refuses_replays() {
    let f = fixture(RevotePolicy::LastWins);
    let mut rng = ChaCha20Rng::seed_from_u64(13);
    let mut bx = boxed(&f);
    let first = cast(&f.manifest, &f.voters[0], &f.group, &[1, 0], &f.pk, &mut rng).unwrap();
    let second = cast(&f.manifest, &f.voters[0], &f.group, &[0, -3], &f.pk, &mut rng).unwrap();
    assert_eq!(first.nullifier, second.nullifier, "same voter, same poll, same nullifier");
    assert_eq!(bx.submit(first.clone()), Outcome::Accepted);
    assert_eq!(bx.submit(second), Outcome::Replaced);
    assert_eq!(bx.submit(first), Outcome::Rejected(Rejection::Replay));
    assert_eq!(bx.len(), 1);
}
