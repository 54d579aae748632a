//! The election manifest (docs/spec/ballot.md §3): everything a voter needs to build
//! a ballot and a ballot box needs to check one.
//!
//! JSON, version 1, unknown fields refused:
//!
//! ```json
//! { "version": 1, "pollName": "text", "pollId": "<dec>", "options": 3, "budget": "100",
//!   "bound": "10", "maxDepth": 20, "acceptedRoots": ["<dec>", …],
//!   "electionKey": [["<x>", "<y>"], …], "verifyingKeyId": "<64 hex>",
//!   "revotePolicy": "reject" | "last-wins" }
//! ```
//!
//! `pollId` is the scope: Semaphore's `hash(pollName)`. `bound` defaults to `⌊√budget⌋`.

use psephos_primitives::{field, Fr, Point};
use serde::{Deserialize, Serialize};

use crate::{
    encoding::{fr_from_json, parse_json, point_from_json, point_to_json},
    BallotError, ElectionPublicKey,
};

/// The manifest format version.
pub const MANIFEST_VERSION: u32 = 1;
/// Most options an election may have (the ballot circuit is pinned up to 64).
pub const MAX_OPTIONS: usize = 64;
/// Largest per-option bound `V` (the circuit's vote range is `VOTE_BITS` bits).
pub const MAX_BOUND: u64 = (1 << 15) - 1;
/// Largest budget `B` (the circuit's budget range).
pub const MAX_BUDGET: u64 = 1 << 40;

/// What happens to a second ballot with the same nullifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RevotePolicy {
    /// The second ballot is refused (`DuplicateNullifier`).
    #[serde(rename = "reject")]
    Reject,
    /// The later ballot replaces the earlier one.
    #[serde(rename = "last-wins")]
    LastWins,
}

/// A validated manifest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Manifest {
    /// Human-readable poll name.
    pub poll_name: String,
    /// The scope: `hash(poll_name)` under Semaphore's rules.
    pub poll_id: Fr,
    /// Number of options `k`.
    pub options: usize,
    /// Voice-credit budget `B`.
    pub budget: u64,
    /// Per-option bound `V`.
    pub bound: u64,
    /// Maximum voter-roll depth of the ballot circuit.
    pub max_depth: usize,
    /// Accepted group roots.
    pub accepted_roots: Vec<Fr>,
    /// One election key per option.
    pub election_key: ElectionPublicKey,
    /// Hex id of the ballot circuit's verifying key.
    pub verifying_key_id: String,
    /// Re-vote policy.
    pub revote_policy: RevotePolicy,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ManifestJson {
    version: u32,
    poll_name: String,
    poll_id: String,
    options: usize,
    budget: String,
    bound: String,
    max_depth: usize,
    accepted_roots: Vec<String>,
    election_key: Vec<[String; 2]>,
    verifying_key_id: String,
    revote_policy: RevotePolicy,
}

fn small_int(s: &str, what: &'static str, max: u64) -> Result<u64, BallotError> {
    let v: Fr = fr_from_json(s, what)?;
    let text = field::to_decimal(&v);
    let n: u64 = text.parse().map_err(|_| BallotError::LimitExceeded { what, limit: max })?;
    if n > max {
        return Err(BallotError::LimitExceeded { what, limit: max });
    }
    Ok(n)
}

impl Manifest {
    /// `⌊√budget⌋`, the default per-option bound.
    pub fn default_bound(budget: u64) -> u64 {
        let mut v = (budget as f64).sqrt() as u64;
        while v * v > budget {
            v -= 1;
        }
        while (v + 1) * (v + 1) <= budget {
            v += 1;
        }
        v
    }

    /// Checks the numeric limits and consistency.
    pub fn validate(&self) -> Result<(), BallotError> {
        if self.options == 0 || self.options > MAX_OPTIONS {
            return Err(BallotError::LimitExceeded { what: "options", limit: MAX_OPTIONS as u64 });
        }
        if self.election_key.options() != self.options {
            return Err(BallotError::OptionCountMismatch {
                expected: self.options,
                got: self.election_key.options(),
            });
        }
        if self.budget > MAX_BUDGET {
            return Err(BallotError::LimitExceeded { what: "budget", limit: MAX_BUDGET });
        }
        if self.bound > MAX_BOUND {
            return Err(BallotError::LimitExceeded { what: "bound", limit: MAX_BOUND });
        }
        if self.max_depth == 0 || self.max_depth > 32 {
            return Err(BallotError::LimitExceeded { what: "maxDepth", limit: 32 });
        }
        if self.accepted_roots.is_empty() {
            return Err(BallotError::Malformed { what: "acceptedRoots", reason: "no accepted root".into() });
        }
        Ok(())
    }

    /// The canonical JSON text.
    pub fn to_json(&self) -> String {
        let j = ManifestJson {
            version: MANIFEST_VERSION,
            poll_name: self.poll_name.clone(),
            poll_id: field::to_decimal(&self.poll_id),
            options: self.options,
            budget: self.budget.to_string(),
            bound: self.bound.to_string(),
            max_depth: self.max_depth,
            accepted_roots: self.accepted_roots.iter().map(field::to_decimal).collect(),
            election_key: self.election_key.keys().iter().map(point_to_json).collect(),
            verifying_key_id: self.verifying_key_id.clone(),
            revote_policy: self.revote_policy,
        };
        serde_json::to_string_pretty(&j).expect("a manifest always serializes") + "\n"
    }

    /// Parses and validates manifest JSON.
    pub fn from_json(bytes: &[u8]) -> Result<Self, BallotError> {
        let j: ManifestJson = parse_json(bytes, "manifest")?;
        if j.version != MANIFEST_VERSION {
            return Err(BallotError::UnknownVersion { what: "manifest", version: j.version });
        }
        if j.election_key.len() > MAX_OPTIONS || j.accepted_roots.len() > 1 << 16 {
            return Err(BallotError::LimitExceeded { what: "manifest lists", limit: MAX_OPTIONS as u64 });
        }
        let keys = j
            .election_key
            .iter()
            .map(|p| point_from_json(p, "election key"))
            .collect::<Result<Vec<Point>, _>>()?;
        let m = Manifest {
            poll_name: j.poll_name,
            poll_id: fr_from_json(&j.poll_id, "pollId")?,
            options: j.options,
            budget: small_int(&j.budget, "budget", MAX_BUDGET)?,
            bound: small_int(&j.bound, "bound", MAX_BOUND)?,
            max_depth: j.max_depth,
            accepted_roots: j
                .accepted_roots
                .iter()
                .map(|r| fr_from_json(r, "accepted root"))
                .collect::<Result<_, _>>()?,
            election_key: ElectionPublicKey::new(keys)?,
            verifying_key_id: j.verifying_key_id,
            revote_policy: j.revote_policy,
        };
        m.validate()?;
        Ok(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_bound_is_floor_sqrt() {
        for (b, v) in [(0u64, 0u64), (1, 1), (3, 1), (4, 2), (99, 9), (100, 10), (MAX_BUDGET, 1 << 20)] {
            assert_eq!(Manifest::default_bound(b), v);
        }
    }
}
