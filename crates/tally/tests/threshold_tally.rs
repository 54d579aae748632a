//! Threshold tally over a real 3-of-5 DKG: every 3-subset gives the same result
//! (byte for byte), fewer than 3 is refused, bad shares are detected and
//! attributed (checklist G1–G7).

#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use psephos_ballot::{elgamal::encrypt, Ciphertext, ElectionPublicKey};
use psephos_primitives::{Fr, Point, Scalar};
use psephos_tally::{combine, local_dkg, verify_shares, Aggregate, DecryptionShare, TallyError};
use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};

const OPTIONS: usize = 3;
const V: u64 = 3;

struct Fixture {
    dkg: local_dkg::LocalDkg,
    aggregate: Aggregate,
    expected: Vec<i64>,
    shares: Vec<DecryptionShare>,
}

fn fixture() -> Fixture {
    let mut rng = ChaCha20Rng::seed_from_u64(42);
    let dkg = local_dkg::run(3, 5, OPTIONS as u32, b"tally test", &mut rng).unwrap();
    let pk = ElectionPublicKey::new(dkg.public.public_keys.clone()).unwrap();
    let votes: Vec<[i64; OPTIONS]> = vec![[3, -1, 0], [-2, -3, 1], [1, 0, -1], [3, 3, 0], [0, -2, 2]];
    let cts: Vec<Ciphertext> = votes
        .iter()
        .enumerate()
        .map(|(i, v)| encrypt(&pk, v, &Scalar::from(1000 + i as u64)).unwrap())
        .collect();
    let aggregate = Aggregate::new(Fr::from(77u64), OPTIONS, &cts.iter().collect::<Vec<_>>()).unwrap();
    let expected = (0..OPTIONS).map(|j| votes.iter().map(|v| v[j]).sum()).collect();
    let shares = dkg
        .shares
        .iter()
        .map(|s| DecryptionShare::create(&aggregate, &dkg.public, s, &mut rng).unwrap())
        .collect();
    Fixture { dkg, aggregate, expected, shares }
}

fn verified(f: &Fixture, shares: Vec<DecryptionShare>) -> (Vec<DecryptionShare>, Vec<(u32, TallyError)>) {
    let mut rng = ChaCha20Rng::seed_from_u64(7);
    let unverified =
        shares.iter().map(|s| DecryptionShare::from_json(s.to_json().as_bytes()).unwrap()).collect();
    verify_shares(&f.aggregate, &f.dkg.public, unverified, &mut rng)
}

#[test]
fn every_three_subset_gives_the_same_result_byte_for_byte() {
    let f = fixture();
    let (valid, invalid) = verified(&f, f.shares.clone());
    assert!(invalid.is_empty());
    let mut texts = Vec::new();
    for a in 0..5 {
        for b in a + 1..5 {
            for c in b + 1..5 {
                let subset = vec![valid[a].clone(), valid[b].clone(), valid[c].clone()];
                let r = combine(&f.aggregate, &f.dkg.public, &subset, V).unwrap();
                assert_eq!(r.totals, f.expected, "subset {a},{b},{c}");
                texts.push(r.to_json());
            }
        }
    }
    assert_eq!(texts.len(), 10);
    assert!(texts.iter().all(|t| *t == texts[0]));
    // All five at once: the lowest three are used, same bytes.
    assert_eq!(combine(&f.aggregate, &f.dkg.public, &valid, V).unwrap().to_json(), texts[0]);
}

#[test]
fn fewer_than_t_is_refused_and_duplicates_do_not_count() {
    let f = fixture();
    let (valid, _) = verified(&f, f.shares.clone());
    for n in 0..3 {
        assert_eq!(
            combine(&f.aggregate, &f.dkg.public, &valid[..n], V),
            Err(TallyError::InsufficientShares { valid: n, threshold: 3 })
        );
    }
    let dup = vec![valid[0].clone(), valid[0].clone(), valid[1].clone()];
    assert_eq!(combine(&f.aggregate, &f.dkg.public, &dup, V), Err(TallyError::DuplicateShare { trustee: 1 }));
}

#[test]
fn bad_shares_are_detected_and_attributed() {
    let f = fixture();
    // Trustee 2: a wrong partial (another point) with its original proof.
    let mut wrong_value = f.shares[1].clone();
    wrong_value.partials[1] = wrong_value.partials[1] + Point::BASE8;
    // Trustee 4: a proof copied from trustee 5 (another trustee's statement).
    let mut wrong_proof = f.shares[3].clone();
    wrong_proof.proofs[2] = f.shares[4].proofs[2];
    // Trustee 5: a share made for another aggregate (one ballot fewer).
    let mut rng = ChaCha20Rng::seed_from_u64(9);
    let other = Aggregate { ballots: 4, ..f.aggregate.clone() };
    let other_share = DecryptionShare::create(&other, &f.dkg.public, &f.dkg.shares[4], &mut rng).unwrap();
    let offered = vec![f.shares[0].clone(), wrong_value, f.shares[2].clone(), wrong_proof, other_share];
    let (valid, invalid) = verified(&f, offered);
    let blamed: Vec<u32> = invalid.iter().map(|(i, _)| *i).collect();
    assert_eq!(blamed, vec![2, 4, 5]);
    assert!(matches!(invalid[0].1, TallyError::InvalidShare { trustee: 2, option: 1, .. }));
    assert!(matches!(invalid[1].1, TallyError::InvalidShare { trustee: 4, option: 2, .. }));
    assert!(matches!(invalid[2].1, TallyError::ContextMismatch { .. }));
    // Two valid shares remain: not enough, nothing is produced.
    assert_eq!(
        combine(&f.aggregate, &f.dkg.public, &valid, V),
        Err(TallyError::InsufficientShares { valid: 2, threshold: 3 })
    );
    // A re-labelled share (trustee 1's partials claimed by trustee 3) fails the proof.
    let mut relabelled = f.shares[0].clone();
    relabelled.trustee = 3;
    let (_, invalid) = verified(&f, vec![relabelled]);
    assert!(matches!(invalid[0].1, TallyError::InvalidShare { trustee: 3, option: 0, .. }));
    // Trustee index 0 and n + 1.
    for t in [0, 6] {
        let mut s = f.shares[0].clone();
        s.trustee = t;
        let (_, invalid) = verified(&f, vec![s]);
        assert!(matches!(invalid[0].1, TallyError::UnknownTrustee { .. }));
    }
}

#[test]
fn share_files_are_strict() {
    let f = fixture();
    let text = f.shares[0].to_json();
    assert!(DecryptionShare::from_json(text.replace("\"version\": 1", "\"version\": 2").as_bytes()).is_err());
    assert!(DecryptionShare::from_json(text.replacen('{', "{\"extra\": 0,", 1).as_bytes()).is_err());
    assert!(DecryptionShare::from_json(format!("{text}x").as_bytes()).is_err());
    // The identity as a partial share.
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["partials"][0]["share"] = serde_json::json!(["0", "1"]);
    assert!(DecryptionShare::from_json(v.to_string().as_bytes()).is_err());
    // A response ≥ l in the proof.
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let proof = v["partials"][0]["proof"].as_str().unwrap().to_string();
    v["partials"][0]["proof"] = serde_json::json!(format!("{}{}", &proof[..128], "ff".repeat(32)));
    assert!(DecryptionShare::from_json(v.to_string().as_bytes()).is_err());
}
