//! The ballot format (docs/spec/ballot.md §4).
//!
//! JSON, version 1, unknown fields refused:
//!
//! ```json
//! { "version": 1, "pollId": "<dec>", "merkleRoot": "<dec>", "nullifier": "<dec>",
//!   "ciphertext": { "c1": ["<x>", "<y>"], "c2": [["<x>", "<y>"], …] },
//!   "proof": { …snarkjs proof.json… } }
//! ```
//!
//! Every point is validated (curve, subgroup) while decoding; every number is a
//! canonical decimal below its modulus.

use psephos_primitives::{field, Fr};
use serde::{Deserialize, Serialize};

use crate::{
    encoding::{fr_from_json, parse_json, point_from_json, point_to_json},
    manifest::MAX_OPTIONS,
    BallotError, Ciphertext,
};

/// The ballot format version.
pub const BALLOT_VERSION: u32 = 1;

/// A decoded ballot. The proof stays in its snarkjs JSON form here; the ballot box
/// decodes and verifies it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ballot {
    /// The poll the ballot is for (the scope).
    pub poll_id: Fr,
    /// The voter-roll root the proof is against.
    pub merkle_root: Fr,
    /// The voter's nullifier for this poll.
    pub nullifier: Fr,
    /// The encrypted votes.
    pub ciphertext: Ciphertext,
    /// The Groth16 proof, snarkjs JSON.
    pub proof: serde_json::Value,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CiphertextJson {
    c1: [String; 2],
    c2: Vec<[String; 2]>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct BallotJson {
    version: u32,
    poll_id: String,
    merkle_root: String,
    nullifier: String,
    ciphertext: CiphertextJson,
    proof: serde_json::Value,
}

impl Ballot {
    /// The canonical JSON text (one line, so ballots can be logged as JSON lines).
    pub fn to_json(&self) -> String {
        let j = BallotJson {
            version: BALLOT_VERSION,
            poll_id: field::to_decimal(&self.poll_id),
            merkle_root: field::to_decimal(&self.merkle_root),
            nullifier: field::to_decimal(&self.nullifier),
            ciphertext: CiphertextJson {
                c1: point_to_json(&self.ciphertext.c1),
                c2: self.ciphertext.c2.iter().map(point_to_json).collect(),
            },
            proof: self.proof.clone(),
        };
        serde_json::to_string(&j).expect("a ballot always serializes")
    }

    /// Parses and validates ballot JSON.
    pub fn from_json(bytes: &[u8]) -> Result<Self, BallotError> {
        let j: BallotJson = parse_json(bytes, "ballot")?;
        if j.version != BALLOT_VERSION {
            return Err(BallotError::UnknownVersion { what: "ballot", version: j.version });
        }
        if j.ciphertext.c2.len() > MAX_OPTIONS {
            return Err(BallotError::LimitExceeded { what: "ciphertext options", limit: MAX_OPTIONS as u64 });
        }
        Ok(Ballot {
            poll_id: fr_from_json(&j.poll_id, "pollId")?,
            merkle_root: fr_from_json(&j.merkle_root, "merkleRoot")?,
            nullifier: fr_from_json(&j.nullifier, "nullifier")?,
            ciphertext: Ciphertext {
                c1: point_from_json(&j.ciphertext.c1, "ciphertext c1")?,
                c2: j
                    .ciphertext
                    .c2
                    .iter()
                    .map(|p| point_from_json(p, "ciphertext c2"))
                    .collect::<Result<_, _>>()?,
            },
            proof: j.proof,
        })
    }
}
