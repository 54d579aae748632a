//! `ballot-proof.json`: psephos ballots (Groth16 ballot proofs) at tiny parameters
//! under a seeded, INSECURE development verifying key, and the ways the ballot box
//! must refuse them.

use std::path::Path;

use num_bigint::BigUint;
use psephos_ballot::{
    elgamal::encrypt,
    statement::{cast, BALLOT_MODE},
    Ballot, ElectionSecretKey, Manifest, RevotePolicy,
};
use psephos_circuits::ballot::BallotCircuit;
use psephos_identity::{hash::semaphore_hash_str, Group, Identity};
use psephos_primitives::{field, Fr, Point, Scalar};
use psephos_snark::{dev_setup, json as snark_json};
use serde_json::{json, Value};

use crate::{case, group, rng, write};

const DEPTH: usize = 2;
const OPTIONS: usize = 2;
const BUDGET: u64 = 13;
/// BN254 base field modulus (G1 coordinates).
const BN254_Q: &str = "21888242871839275222246405745257275088696311157297823662689037894645226208583";

fn manifest(name: &str, key: &ElectionSecretKey, roots: Vec<Fr>, vk_id: &str) -> Manifest {
    Manifest {
        poll_name: name.into(),
        poll_id: semaphore_hash_str(name).expect("poll id"),
        options: OPTIONS,
        budget: BUDGET,
        bound: Manifest::default_bound(BUDGET),
        max_depth: DEPTH,
        accepted_roots: roots,
        election_key: key.public_key(),
        verifying_key_id: vk_id.into(),
        revote_policy: RevotePolicy::Reject,
    }
}

fn ballot_value(b: &Ballot) -> Value {
    serde_json::from_str(&b.to_json()).expect("ballot JSON")
}

fn dec_plus(s: &str, modulus: &str) -> String {
    (s.parse::<BigUint>().expect("decimal") + modulus.parse::<BigUint>().expect("modulus")).to_string()
}

pub fn generate(dir: &Path) {
    let mut r = rng("ballot-proof");
    let (pk, vk) =
        dev_setup(BallotCircuit::blank(DEPTH, OPTIONS, BALLOT_MODE).expect("circuit"), &[0x42; 32])
            .expect("development setup");
    let vk_id = vk.id().to_hex();
    let vk_json: Value = serde_json::from_str(&snark_json::write_verifying_key(&vk)).expect("vk JSON");
    let voters: Vec<Identity> =
        (0..3).map(|i| Identity::from_text(&format!("ballot vector voter {i}"))).collect();
    let group_members =
        Group::from_members(&voters.iter().map(Identity::commitment).collect::<Vec<_>>()).expect("group");
    let secret = ElectionSecretKey::random(OPTIONS, &mut r);
    let m = manifest("test-vectors poll", &secret, vec![group_members.root()], &vk_id);

    let b0 = cast(&m, &voters[0], &group_members, &[3, -2], &pk, &mut r).expect("cast 0");
    let b1 = cast(&m, &voters[1], &group_members, &[1, 0], &pk, &mut r).expect("cast 1");
    let b2 = cast(&m, &voters[2], &group_members, &[0, -3], &pk, &mut r).expect("cast 2");
    let valid = vec![
        case(
            "votes (3, -2): exactly the budget, 13 credits",
            json!({ "ballot": ballot_value(&b0), "votes": [3, -2], "credits": 13 }),
            "valid",
            &[],
        ),
        case(
            "votes (1, 0)",
            json!({ "ballot": ballot_value(&b1), "votes": [1, 0], "credits": 1 }),
            "valid",
            &[],
        ),
        case(
            "votes (0, -3)",
            json!({ "ballot": ballot_value(&b2), "votes": [0, -3], "credits": 9 }),
            "valid",
            &[],
        ),
    ];

    let base = ballot_value(&b0);
    let with = |f: &dyn Fn(&mut Value)| {
        let mut v = base.clone();
        f(&mut v);
        json!({ "ballot": v })
    };
    let mut inv = Vec::new();
    let mut push = |comment: &str, v: Value, flag: &str| inv.push(case(comment, v, "invalid", &[flag]));

    // Tampered proofs.
    push(
        "proof: pi_a negated (a valid curve point, wrong proof)",
        with(&|v| {
            let y = v["proof"]["pi_a"][1].as_str().unwrap_or_default();
            let neg = BN254_Q.parse::<BigUint>().expect("q") - y.parse::<BigUint>().expect("y");
            v["proof"]["pi_a"][1] = neg.to_string().into();
        }),
        "TamperedProof",
    );
    push(
        "proof of ballot 2 attached to ballot 1",
        with(&|v| v["proof"] = ballot_value(&b1)["proof"].clone()),
        "ProofOfAnotherBallot",
    );
    // Re-randomized ciphertext, same proof.
    let rr = b0.ciphertext.rerandomize(&m.election_key, &Scalar::from(7u64)).expect("rerandomize");
    let rerandomized = Ballot { ciphertext: rr, ..b0.clone() };
    push(
        "ciphertext re-randomized (same votes, + 7·PK) without a new proof",
        json!({ "ballot": ballot_value(&rerandomized) }),
        "Rerandomized",
    );
    push(
        "nullifier changed (+1)",
        json!({ "ballot": ballot_value(&Ballot { nullifier: b0.nullifier + Fr::from(1u64), ..b0.clone() }) }),
        "NullifierChanged",
    );
    // Over budget: no proof exists, so take a valid proof and an over-budget ciphertext.
    let over = encrypt(&m.election_key, &[3, 3], &Scalar::from(123_456_789u64)).expect("encrypt");
    push(
        "over budget: votes (3, 3) = 18 credits > 13 cannot be proven; this ballot carries the proof of ballot 1 (votes (3, -2)) with an encryption of (3, 3)",
        json!({ "ballot": ballot_value(&Ballot { ciphertext: over, ..b0.clone() }) }),
        "OverBudget",
    );
    // Another poll.
    let other = manifest("test-vectors other poll", &secret, vec![group_members.root()], &vk_id);
    let b_other = cast(&other, &voters[0], &group_members, &[1, 1], &pk, &mut r).expect("cast other");
    push(
        "a valid ballot of another poll (other poll id)",
        json!({ "ballot": ballot_value(&b_other) }),
        "OtherPoll",
    );
    push(
        "a ballot of another poll relabeled with this poll's id (its proof binds the other poll id and nullifier)",
        json!({ "ballot": ballot_value(&Ballot { poll_id: m.poll_id, ..b_other.clone() }) }),
        "RelabeledPoll",
    );
    // Unknown root.
    let mut bigger = group_members.clone();
    bigger.add_member(Identity::from_text("ballot vector latecomer").commitment()).expect("add");
    let m_bigger = manifest("test-vectors poll", &secret, vec![bigger.root()], &vk_id);
    let b_root = cast(&m_bigger, &voters[1], &bigger, &[2, 2], &pk, &mut r).expect("cast bigger");
    push(
        "a ballot proven against a root the manifest does not accept (the roll with one more member)",
        json!({ "ballot": ballot_value(&b_root) }),
        "UnknownRoot",
    );
    push(
        "ciphertext with 3 options (the poll has 2)",
        with(&|v| {
            let extra = v["ciphertext"]["c2"][0].clone();
            if let Some(a) = v["ciphertext"]["c2"].as_array_mut() {
                a.push(extra);
            }
        }),
        "OptionCountMismatch",
    );
    // Non-canonical encodings.
    let r_dec = field::FR_MODULUS_DECIMAL;
    push(
        "nullifier + r (the same residue, not canonical)",
        with(&|v| v["nullifier"] = dec_plus(v["nullifier"].as_str().unwrap_or_default(), r_dec).into()),
        "NonCanonical",
    );
    push(
        "pollId with a leading zero",
        with(&|v| v["pollId"] = format!("0{}", v["pollId"].as_str().unwrap_or_default()).into()),
        "NonCanonical",
    );
    push(
        "merkleRoot + r",
        with(&|v| v["merkleRoot"] = dec_plus(v["merkleRoot"].as_str().unwrap_or_default(), r_dec).into()),
        "NonCanonical",
    );
    push(
        "ciphertext c1.x + p (Baby Jubjub coordinate >= p)",
        with(&|v| {
            v["ciphertext"]["c1"][0] =
                dec_plus(v["ciphertext"]["c1"][0].as_str().unwrap_or_default(), r_dec).into()
        }),
        "NonCanonical",
    );
    push(
        "ciphertext c2[0] = (1, 1): not on the curve",
        with(&|v| v["ciphertext"]["c2"][0] = json!(["1", "1"])),
        "NotOnCurve",
    );
    let order2 = (r_dec.parse::<BigUint>().expect("p") - 1u8).to_string();
    push(
        "ciphertext c1 = (0, p - 1): the point of order 2",
        with(&|v| v["ciphertext"]["c1"] = json!(["0", order2])),
        "NotInSubgroup",
    );
    push(
        "ciphertext c2[1] = c2[1] + (0, -1): outside the prime-order subgroup",
        {
            let c2 = b0.ciphertext.c2[1];
            let t = torsion_sum(&c2);
            with(&|v| v["ciphertext"]["c2"][1] = json!([t.0, t.1]))
        },
        "NotInSubgroup",
    );
    push(
        "proof: pi_a.x + q (a BN254 coordinate >= q)",
        with(&|v| {
            v["proof"]["pi_a"][0] =
                dec_plus(v["proof"]["pi_a"][0].as_str().unwrap_or_default(), BN254_Q).into()
        }),
        "NonCanonicalProof",
    );
    push("unknown ballot version 2", with(&|v| v["version"] = 2.into()), "UnknownVersion");

    let secret_keys: Vec<String> = secret.expose().iter().map(field::to_decimal).collect();
    let params = json!({
        "manifest": serde_json::from_str::<Value>(&m.to_json()).expect("manifest JSON"),
        "verifyingKey": vk_json,
        "vkPolicy": "development",
        "keyWarning": "INSECURE development key: made by psephos_snark::dev_setup from the public seed 0x42 x 32, so its toxic waste is known and anyone can forge proofs under it. It only pins the format and the statement; verify with VkPolicy::development(), which psephos refuses outside tests and demos.",
        "electionSecretKeys": secret_keys,
    });
    let groups = vec![group("BallotProof", params.clone(), valid), group("BallotProofInvalid", params, inv)];
    let notes = json!({
        "TamperedProof": "A proof element changed to another valid curve point.",
        "ProofOfAnotherBallot": "A valid proof of another ballot.",
        "Rerandomized": "The vote ciphertext re-randomized (same votes) without a new proof: the proof binds the exact ciphertext.",
        "NullifierChanged": "The nullifier changed: the proof binds it.",
        "OverBudget": "Votes over the budget cannot be proven; the ballot pairs a valid proof with an over-budget ciphertext, so the statement does not match.",
        "OtherPoll": "A ballot whose pollId is not the manifest's (ballot box: scope mismatch).",
        "RelabeledPoll": "A ballot of another poll with its pollId rewritten: the proof binds the poll id.",
        "UnknownRoot": "A ballot proven against a voter-roll root the manifest does not accept.",
        "OptionCountMismatch": "A ciphertext with another number of options than the poll.",
        "NonCanonical": "A number that is not a canonical decimal below its modulus. Must be refused, never reduced.",
        "NotOnCurve": "A ciphertext point off the Baby Jubjub curve.",
        "NotInSubgroup": "A ciphertext point on the curve but outside the prime-order subgroup.",
        "NonCanonicalProof": "A proof coordinate >= the BN254 base field modulus: the proof cannot be decoded.",
        "UnknownVersion": "An unknown ballot format version.",
    });
    let extra = json!({
        "statement": "A ballot is accepted iff pollId = manifest pollId, merkleRoot is an accepted root, the ciphertext has one component per option, and the Groth16 proof verifies for the public inputs [merkle_root, nullifier, poll_id, budget, bound, keys_digest, ciphertext_digest] (hashed mode) recomputed from the manifest and the ballot, never taken from the prover. The proof shows: membership of the voter's commitment under merkle_root, nullifier = Poseidon(poll_id, secret), c1 = rho·Base8, c2_i = v_i·Base8 + rho·PK_i, |v_i| <= bound and sum v_i^2 <= budget. Specification: docs/spec/ballot.md, docs/circuits.md.",
        "encodings": "ballot: the ballot JSON (version 1) as an object; manifest: the manifest JSON; verifyingKey: snarkjs verification_key.json. Valid cases: votes = the decryption under electionSecretKeys (test-only secrets) and credits = sum of squares. Circuit: depth 2, 2 options.",
    });
    write(dir, "ballot-proof.json", "psephos-ballot-groth16-bn254", notes, extra, groups);
}

/// `p + (0, −1)` in affine coordinates (decimal strings): `(−x, −y)`.
fn torsion_sum(p: &Point) -> (String, String) {
    let (x, y) = (p.x(), p.y());
    (field::to_decimal(&-x), field::to_decimal(&-y))
}
