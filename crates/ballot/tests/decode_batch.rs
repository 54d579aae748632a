//! `Ballot::from_json_batch` gives, for every text, exactly what `Ballot::from_json`
//! gives — valid ballots, points outside the subgroup (the batched check's job),
//! points off the curve and malformed texts — in batches above and below the size
//! where the subgroup check is batched.

#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use psephos_ballot::{elgamal::encrypt, Ballot, BallotError, Ciphertext, ElectionPublicKey};
use psephos_primitives::{babyjubjub::BATCH_SUBGROUP_MIN, field, Fr, Point, Scalar};
use serde_json::{json, Value};

const OPTIONS: usize = 16;

fn ballot(i: u64, key: &ElectionPublicKey) -> Value {
    let votes: Vec<i64> = (0..OPTIONS as i64).map(|j| (j + i as i64) % 5 - 2).collect();
    let ciphertext: Ciphertext = encrypt(key, &votes, &Scalar::from(1000 + i)).unwrap();
    let b = Ballot {
        poll_id: Fr::from(7u64),
        merkle_root: Fr::from(11u64),
        nullifier: Fr::from(100 + i),
        ciphertext,
        proof: json!({ "not": "checked by the decoder" }),
    };
    serde_json::from_str(&b.to_json()).unwrap()
}

fn ballots(n: u64) -> Vec<Value> {
    let key = ElectionPublicKey::new(
        (1..=OPTIONS as u64).map(|k| Point::mul_base8(&Scalar::from(k * 31))).collect(),
    )
    .unwrap();
    (0..n).map(|i| ballot(i, &key)).collect()
}

/// `(x, y) ↦ (−x, −y)` adds the point of order two `(0, −1)`: still on the curve,
/// no longer in the subgroup.
fn add_order_two(p: &Value) -> Value {
    let neg = |v: &Value| {
        let x: Fr = field::decimal_to_field(v.as_str().unwrap(), "x").unwrap();
        Value::String(field::to_decimal(&-x))
    };
    json!([neg(&p[0]), neg(&p[1])])
}

fn check(values: &[Value]) -> Vec<Result<Ballot, BallotError>> {
    let texts: Vec<Vec<u8>> = values.iter().map(|v| serde_json::to_vec(v).unwrap()).collect();
    let refs: Vec<&[u8]> = texts.iter().map(Vec::as_slice).collect();
    let batch = Ballot::from_json_batch(&refs);
    let single: Vec<_> = refs.iter().map(|t| Ballot::from_json(t)).collect();
    assert_eq!(batch, single);
    batch
}

#[test]
fn a_batch_of_valid_ballots_decodes_as_one_by_one() {
    // 20 ballots × 17 points: above the batching threshold; 2 ballots: below.
    const { assert!(20 * (OPTIONS + 1) >= BATCH_SUBGROUP_MIN && 2 * (OPTIONS + 1) < BATCH_SUBGROUP_MIN) };
    for n in [20, 2, 0] {
        let out = check(&ballots(n));
        assert_eq!(out.len(), n as usize);
        assert!(out.iter().all(Result::is_ok));
    }
}

#[test]
fn a_point_outside_the_subgroup_fails_its_ballot_only() {
    for (at, point) in [(0usize, None), (7, Some(3usize)), (19, Some(OPTIONS - 1))] {
        let mut values = ballots(20);
        match point {
            None => values[at]["ciphertext"]["c1"] = add_order_two(&values[at]["ciphertext"]["c1"]),
            Some(j) => {
                values[at]["ciphertext"]["c2"][j] = add_order_two(&values[at]["ciphertext"]["c2"][j]);
            }
        }
        let out = check(&values);
        for (i, r) in out.iter().enumerate() {
            assert_eq!(r.is_err(), i == at, "ballot {i}");
        }
        assert!(out[at].as_ref().unwrap_err().to_string().contains("subgroup"), "{:?}", out[at]);
    }
}

#[test]
fn off_curve_points_and_malformed_texts_fail_their_ballots_only() {
    let mut values = ballots(20);
    values[3]["version"] = json!(2);
    values[9]["ciphertext"]["c2"][0] = json!(["1", "1"]);
    values[12]["nullifier"] = json!("01");
    // Two faults in one ballot: the single decoder's first (c1 outside the subgroup
    // comes before a non-canonical c2 decimal).
    values[15]["ciphertext"]["c1"] = add_order_two(&values[15]["ciphertext"]["c1"]);
    values[15]["ciphertext"]["c2"][2] = json!(["007", "1"]);
    let out = check(&values);
    for (i, r) in out.iter().enumerate() {
        assert_eq!(r.is_err(), [3, 9, 12, 15].contains(&i), "ballot {i}");
    }
    assert!(out[15].as_ref().unwrap_err().to_string().contains("subgroup"), "{:?}", out[15]);
}
