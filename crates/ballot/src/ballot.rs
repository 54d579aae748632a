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

use psephos_primitives::{field, Fr, Point};
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
        let j = parse_envelope(bytes)?;
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

    /// Decodes many ballots: the result of [`Ballot::from_json`] for each text, with
    /// the subgroup checks of all their points done in one batch
    /// ([`Point::validate_batch`]: about 15× less work for thousands of ballots, a
    /// wrong verdict with probability at most `2⁻¹²⁸`). If the batch finds a bad
    /// point, every text is decoded again by [`Ballot::from_json`], so the errors
    /// are exactly the single decoder's.
    pub fn from_json_batch(texts: &[&[u8]]) -> Vec<Result<Self, BallotError>> {
        use rayon::prelude::*;
        let parsed: Vec<Result<Parsed, BallotError>> = texts.par_iter().map(|t| Parsed::parse(t)).collect();
        let mut coords = Vec::new();
        for p in parsed.iter().flatten() {
            coords.push(p.c1);
            coords.extend_from_slice(&p.c2);
        }
        match Point::validate_batch(&coords, "ciphertext") {
            Ok(points) => {
                let mut at = 0;
                parsed
                    .into_iter()
                    .zip(texts)
                    .map(|(p, text)| match p {
                        Ok(p) => {
                            // The points are in the order they were pushed above.
                            let n = 1 + p.c2.len();
                            at += n;
                            Ok(p.assemble(&points[at - n..at]))
                        }
                        // The single decoder's error (it may name a point before the bad field).
                        Err(_) => Ballot::from_json(text),
                    })
                    .collect()
            }
            Err(_) => texts.par_iter().map(|t| Ballot::from_json(t)).collect(),
        }
    }
}

fn parse_envelope(bytes: &[u8]) -> Result<BallotJson, BallotError> {
    let j: BallotJson = parse_json(bytes, "ballot")?;
    if j.version != BALLOT_VERSION {
        return Err(BallotError::UnknownVersion { what: "ballot", version: j.version });
    }
    if j.ciphertext.c2.len() > MAX_OPTIONS {
        return Err(BallotError::LimitExceeded { what: "ciphertext options", limit: MAX_OPTIONS as u64 });
    }
    Ok(j)
}

/// A ballot decoded but for its points' curve and subgroup checks (the first half
/// of [`Ballot::from_json_batch`]; never leaves this module).
struct Parsed {
    poll_id: Fr,
    merkle_root: Fr,
    nullifier: Fr,
    c1: (Fr, Fr),
    c2: Vec<(Fr, Fr)>,
    proof: serde_json::Value,
}

impl Parsed {
    fn parse(bytes: &[u8]) -> Result<Self, BallotError> {
        let j = parse_envelope(bytes)?;
        let coords = |v: &[String; 2], what| -> Result<(Fr, Fr), BallotError> {
            Ok((fr_from_json(&v[0], what)?, fr_from_json(&v[1], what)?))
        };
        Ok(Parsed {
            poll_id: fr_from_json(&j.poll_id, "pollId")?,
            merkle_root: fr_from_json(&j.merkle_root, "merkleRoot")?,
            nullifier: fr_from_json(&j.nullifier, "nullifier")?,
            c1: coords(&j.ciphertext.c1, "ciphertext c1")?,
            c2: j.ciphertext.c2.iter().map(|p| coords(p, "ciphertext c2")).collect::<Result<_, _>>()?,
            proof: j.proof,
        })
    }

    /// The ballot with its validated points: `c1` then the `c2ᵢ`.
    fn assemble(self, points: &[Point]) -> Ballot {
        Ballot {
            poll_id: self.poll_id,
            merkle_root: self.merkle_root,
            nullifier: self.nullifier,
            ciphertext: Ciphertext { c1: points[0], c2: points[1..].to_vec() },
            proof: self.proof,
        }
    }
}
