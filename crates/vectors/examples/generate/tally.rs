//! `decryption-share.json`: trustees' decryption shares with DLEQ proofs, and
//! their combination into the totals.

use std::path::Path;

use num_bigint::BigUint;
use psephos_ballot::{elgamal::encrypt, ElectionPublicKey};
use psephos_primitives::{field, Fr, Point, Scalar};
use psephos_tally::{local_dkg, Aggregate, DecryptionShare};
use serde_json::{json, Value};

use crate::{case, group, rng, write};

const OPTIONS: usize = 2;
const VOTE_BOUND: u64 = 3;

fn share_value(s: &DecryptionShare) -> Value {
    serde_json::from_str(&s.to_json()).expect("share JSON")
}

fn dec_plus(s: &str, m: &str) -> String {
    (s.parse::<BigUint>().expect("dec") + m.parse::<BigUint>().expect("mod")).to_string()
}

pub fn generate(dir: &Path) {
    let mut r = rng("decryption-share");
    let dkg = local_dkg::run(2, 3, OPTIONS as u32, b"psephos/test-vectors/tally-dkg", &mut r).expect("DKG");
    let pk = ElectionPublicKey::new(dkg.public.public_keys.clone()).expect("election key");
    let poll_id = Fr::from(20_260_101u64);
    let votes: [[i64; OPTIONS]; 3] = [[3, -2], [1, 0], [-1, 2]];
    let cts: Vec<_> = votes
        .iter()
        .enumerate()
        .map(|(i, v)| encrypt(&pk, v, &Scalar::from(1000 + i as u64)).expect("encrypt"))
        .collect();
    let aggregate = Aggregate::new(poll_id, OPTIONS, &cts.iter().collect::<Vec<_>>()).expect("aggregate");
    let shares: Vec<DecryptionShare> = dkg
        .shares
        .iter()
        .map(|s| DecryptionShare::create(&aggregate, &dkg.public, s, &mut r).expect("share"))
        .collect();
    let totals: Vec<i64> = (0..OPTIONS).map(|j| votes.iter().map(|v| v[j]).sum()).collect();

    let valid: Vec<Value> = shares
        .iter()
        .map(|s| {
            case(&format!("trustee {}'s share", s.trustee), json!({ "share": share_value(s) }), "valid", &[])
        })
        .collect();
    let combine = vec![
        case(
            "trustees 1 and 2 (t = 2) decrypt the totals",
            json!({ "shares": [share_value(&shares[0]), share_value(&shares[1])], "totals": totals }),
            "valid",
            &[],
        ),
        case(
            "trustees 1 and 3",
            json!({ "shares": [share_value(&shares[0]), share_value(&shares[2])], "totals": totals }),
            "valid",
            &[],
        ),
        case(
            "trustees 2 and 3",
            json!({ "shares": [share_value(&shares[1]), share_value(&shares[2])], "totals": totals }),
            "valid",
            &[],
        ),
    ];

    let s = &shares[1];
    let base = share_value(s);
    let with = |f: &dyn Fn(&mut Value)| {
        let mut v = base.clone();
        f(&mut v);
        json!({ "share": v })
    };
    let p_dec = field::FR_MODULUS_DECIMAL;
    let mut inv = Vec::new();
    let mut push = |comment: &str, v: Value, flag: &str| inv.push(case(comment, v, "invalid", &[flag]));
    let moved = s.partials[0] + Point::BASE8;
    push(
        "partial D_0 + B, same proof",
        with(&|v| {
            v["partials"][0]["share"] = json!([field::to_decimal(&moved.x()), field::to_decimal(&moved.y())])
        }),
        "WrongPartial",
    );
    push(
        "the proof of option 0 replaced by trustee 3's proof of option 0",
        with(&|v| v["partials"][0]["proof"] = share_value(&shares[2])["partials"][0]["proof"].clone()),
        "WrongProof",
    );
    push(
        "the proofs of options 0 and 1 swapped",
        with(&|v| {
            let (a, b) = (v["partials"][0]["proof"].clone(), v["partials"][1]["proof"].clone());
            v["partials"][0]["proof"] = b;
            v["partials"][1]["proof"] = a;
        }),
        "SwappedProofs",
    );
    push("trustee 2's share claimed as trustee 3's", with(&|v| v["trustee"] = 3.into()), "OtherTrustee");
    push("trustee index 0", with(&|v| v["trustee"] = 0.into()), "UnknownTrustee");
    push("trustee index 4 (n = 3)", with(&|v| v["trustee"] = 4.into()), "UnknownTrustee");
    push("pollId of another poll", with(&|v| v["pollId"] = "20260102".into()), "OtherPoll");
    push("ballot count 4 (the aggregate has 3)", with(&|v| v["ballots"] = 4.into()), "OtherBallotCount");
    push(
        "one partial only (2 options)",
        with(&|v| {
            if let Some(a) = v["partials"].as_array_mut() {
                a.truncate(1);
            }
        }),
        "OptionCountMismatch",
    );
    push(
        "partial x + p (a coordinate >= p)",
        with(&|v| {
            v["partials"][0]["share"][0] =
                dec_plus(v["partials"][0]["share"][0].as_str().unwrap_or_default(), p_dec).into()
        }),
        "NonCanonical",
    );
    push(
        "partial (1, 1): not on the curve",
        with(&|v| v["partials"][0]["share"] = json!(["1", "1"])),
        "NotOnCurve",
    );
    let minus_one = (p_dec.parse::<BigUint>().expect("p") - 1u8).to_string();
    push(
        "partial (0, p - 1): the point of order 2",
        with(&|v| v["partials"][0]["share"] = json!(["0", minus_one])),
        "NotInSubgroup",
    );
    push(
        "partial = the identity (0, 1)",
        with(&|v| v["partials"][1]["share"] = json!(["0", "1"])),
        "IdentityShare",
    );
    let proof_hex = base["partials"][0]["proof"].as_str().unwrap_or_default().to_string();
    let mut bytes = hex::decode(&proof_hex).expect("hex");
    let l: BigUint = psephos_primitives::babyjubjub::SUBGROUP_ORDER_DECIMAL.parse().expect("l");
    let mut s_plus = (BigUint::from_bytes_le(&bytes[64..]) + l).to_bytes_le();
    s_plus.resize(32, 0);
    bytes[64..].copy_from_slice(&s_plus);
    push(
        "proof response s + l (the same residue, non-canonical)",
        with(&|v| v["partials"][0]["proof"] = hex::encode(&bytes).into()),
        "NonCanonicalScalar",
    );
    push(
        "proof one byte short",
        with(&|v| v["partials"][0]["proof"] = proof_hex[..proof_hex.len() - 2].into()),
        "WrongLength",
    );
    push("unknown version 2", with(&|v| v["version"] = 2.into()), "UnknownVersion");

    let params = json!({
        "aggregate": serde_json::from_str::<Value>(&aggregate.to_json()).expect("aggregate JSON"),
        "dkgPublicOutput": serde_json::from_str::<Value>(&dkg.public.to_json()).expect("DKG JSON"),
        "voteBound": VOTE_BOUND,
    });
    let groups = vec![
        group("DecryptionShare", params.clone(), valid),
        group("DecryptionShareInvalid", params.clone(), inv),
        group("Combine", params, combine),
    ];
    let notes = json!({
        "WrongPartial": "A partial decryption changed (to another subgroup point) under the original proof.",
        "WrongProof": "A partial with a valid proof of another trustee.",
        "SwappedProofs": "The proofs of two options exchanged: each proof binds its option.",
        "OtherTrustee": "A share claimed for another (existing) trustee index: the proof binds the trustee and its verification share.",
        "UnknownTrustee": "A trustee index outside 1..=n.",
        "OtherPoll": "A share for another poll id.",
        "OtherBallotCount": "A share for an aggregate of another ballot count.",
        "OptionCountMismatch": "Fewer partials than options.",
        "NonCanonical": "A coordinate >= p. Must be refused, never reduced.",
        "NotOnCurve": "A partial off the Baby Jubjub curve.",
        "NotInSubgroup": "A partial outside the prime-order subgroup.",
        "IdentityShare": "A partial equal to the identity (refused while decoding).",
        "NonCanonicalScalar": "A DLEQ response >= the subgroup order l.",
        "WrongLength": "A proof that is not 96 bytes (A || B || s).",
        "UnknownVersion": "An unknown share format version.",
    });
    let extra = json!({
        "statement": "Trustee i publishes, per option j, D_ij = x_ij·A (A = the aggregate's c1) with a psephos DLEQ proof (domain 'psephos/tally/decryption-share/v1') that log_B(Y_ij) = log_A(D_ij), Y_ij = the DKG verification share; the proof context binds poll id, trustee, option, option count, ballot count, C_j and PK_j. Combining t shares by Lagrange interpolation in the exponent gives T_j·B = C_j - sk_j·A, and T_j by bounded discrete log. Specification: docs/spec/tally.md.",
        "encodings": "aggregate, dkgPublicOutput and share are psephos' own JSON files (aggregate.json, the DKG public output, shares/trustee-<i>.json). A 2-of-3 DKG over Baby Jubjub with 2 options, 3 ballots. Combine: totals are the per-option sums the shares decrypt to.",
    });
    write(dir, "decryption-share.json", "psephos-tally-decryption-share", notes, extra, groups);
}
