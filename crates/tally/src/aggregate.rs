//! The homomorphic aggregate (docs/spec/tally.md §1): the component-wise sum of the
//! counted ballots' ciphertexts,
//!
//! ```text
//! A   = Σ_b c1_b          (one point: every ballot has one randomness)
//! C_j = Σ_b c2_{b,j}      (one point per option j)
//! ```
//!
//! which encrypts the per-option totals `T_j = Σ_b v_{b,j}` under the per-option keys.
//! Summation runs in extended twisted-Edwards coordinates (mixed additions, no
//! inversion per step), in parallel chunks, with one batch normalization at the end.
//!
//! JSON (`aggregate.json`), version 1, unknown fields refused:
//!
//! ```json
//! { "version": 1, "pollId": "<dec>", "options": k, "ballots": N,
//!   "c1": ["<x>", "<y>"], "c2": [["<x>", "<y>"], …] }
//! ```

use ark_ec::CurveGroup;
use ark_ff::Zero;
use psephos_ballot::{
    encoding::{parse_json, point_from_json, point_to_json},
    manifest::MAX_OPTIONS,
    Ciphertext,
};
use psephos_primitives::{babyjubjub::BabyJubjubProjective, field, Fr, Point};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::TallyError;

/// The aggregate format version.
pub const AGGREGATE_VERSION: u32 = 1;

/// Ballots per parallel chunk.
const CHUNK: usize = 1024;

/// The sum of the counted ballots' ciphertexts, with the poll and the count.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Aggregate {
    /// The poll (scope).
    pub poll_id: Fr,
    /// The number of ballots summed `N`.
    pub ballots: u64,
    /// The summed ciphertext.
    pub ciphertext: Ciphertext,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct AggregateJson {
    version: u32,
    poll_id: String,
    options: usize,
    ballots: u64,
    c1: [String; 2],
    c2: Vec<[String; 2]>,
}

fn sum_chunk(options: usize, chunk: &[&Ciphertext]) -> Vec<BabyJubjubProjective> {
    let mut acc = vec![BabyJubjubProjective::zero(); options + 1];
    for ct in chunk {
        acc[0] += ct.c1.to_affine();
        for (a, c) in acc[1..].iter_mut().zip(&ct.c2) {
            *a += c.to_affine();
        }
    }
    acc
}

/// Sums ciphertexts that all have `options` options (`OptionCountMismatch` otherwise).
pub fn sum(options: usize, ciphertexts: &[&Ciphertext]) -> Result<Ciphertext, TallyError> {
    if let Some(bad) = ciphertexts.iter().find(|c| c.c2.len() != options) {
        return Err(TallyError::OptionCountMismatch { expected: options, got: bad.c2.len() });
    }
    let total = ciphertexts.par_chunks(CHUNK).map(|chunk| sum_chunk(options, chunk)).reduce(
        || vec![BabyJubjubProjective::zero(); options + 1],
        |mut a, b| {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
            a
        },
    );
    let affine = BabyJubjubProjective::normalize_batch(&total);
    // Sums of subgroup points stay in the subgroup; from_xy re-checks anyway (k+1 points).
    let mut points = affine.iter().map(|p| Point::from_xy(p.x, p.y, "aggregate"));
    let c1 = points.next().unwrap_or(Ok(Point::IDENTITY))?;
    let c2 = points.collect::<Result<Vec<_>, _>>()?;
    Ok(Ciphertext { c1, c2 })
}

impl Aggregate {
    /// Aggregates the counted ballots' ciphertexts for the poll `poll_id`.
    pub fn new(poll_id: Fr, options: usize, ciphertexts: &[&Ciphertext]) -> Result<Self, TallyError> {
        Ok(Aggregate { poll_id, ballots: ciphertexts.len() as u64, ciphertext: sum(options, ciphertexts)? })
    }

    /// The number of options.
    pub fn options(&self) -> usize {
        self.ciphertext.c2.len()
    }

    /// The canonical JSON text.
    pub fn to_json(&self) -> String {
        let j = AggregateJson {
            version: AGGREGATE_VERSION,
            poll_id: field::to_decimal(&self.poll_id),
            options: self.options(),
            ballots: self.ballots,
            c1: point_to_json(&self.ciphertext.c1),
            c2: self.ciphertext.c2.iter().map(point_to_json).collect(),
        };
        serde_json::to_string_pretty(&j).unwrap_or_default() + "\n"
    }

    /// Parses aggregate JSON (strict; every point validated).
    pub fn from_json(bytes: &[u8]) -> Result<Self, TallyError> {
        let j: AggregateJson = parse_json(bytes, "aggregate")?;
        if j.version != AGGREGATE_VERSION {
            return Err(TallyError::UnknownVersion { what: "aggregate", version: j.version });
        }
        if j.c2.len() != j.options || j.options == 0 || j.options > MAX_OPTIONS {
            return Err(TallyError::OptionCountMismatch { expected: j.options, got: j.c2.len() });
        }
        Ok(Aggregate {
            poll_id: psephos_ballot::encoding::fr_from_json(&j.poll_id, "pollId")?,
            ballots: j.ballots,
            ciphertext: Ciphertext {
                c1: point_from_json(&j.c1, "aggregate c1")?,
                c2: j.c2.iter().map(|p| point_from_json(p, "aggregate c2")).collect::<Result<_, _>>()?,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use psephos_ballot::{dlog, elgamal::encrypt, ElectionSecretKey};
    use psephos_primitives::Scalar;
    use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};

    #[test]
    fn sums_match_sequential_addition_and_decrypt_to_totals() {
        let mut rng = ChaCha20Rng::seed_from_u64(1);
        let sk = ElectionSecretKey::random(3, &mut rng);
        let pk = sk.public_key();
        // More than one chunk, so the parallel reduction is exercised.
        let votes: Vec<[i64; 3]> = (0..(CHUNK as i64 + 37)).map(|i| [i % 3 - 1, (i % 5) - 2, 1]).collect();
        let cts: Vec<Ciphertext> = votes
            .iter()
            .enumerate()
            .map(|(i, v)| encrypt(&pk, v, &Scalar::from(i as u64 + 1)).unwrap())
            .collect();
        let refs: Vec<&Ciphertext> = cts.iter().collect();
        let agg = Aggregate::new(Fr::from(5u64), 3, &refs).unwrap();
        let mut seq = Ciphertext::zero(3);
        for c in &cts {
            seq = seq.add(c).unwrap();
        }
        assert_eq!(agg.ciphertext, seq);
        let totals: Vec<i64> = sk
            .decrypt_points(&agg.ciphertext)
            .unwrap()
            .iter()
            .map(|p| dlog::solve(p, 2 * cts.len() as u64).unwrap())
            .collect();
        let expect: Vec<i64> = (0..3).map(|j| votes.iter().map(|v| v[j]).sum()).collect();
        assert_eq!(totals, expect);
        assert_eq!(Aggregate::from_json(agg.to_json().as_bytes()).unwrap(), agg);
        // The empty aggregate is the encryption of zero with identity components.
        assert_eq!(Aggregate::new(Fr::from(5u64), 3, &[]).unwrap().ciphertext, Ciphertext::zero(3));
        let short = Ciphertext::zero(2);
        assert!(matches!(sum(3, &[&short]), Err(TallyError::OptionCountMismatch { .. })));
    }
}
