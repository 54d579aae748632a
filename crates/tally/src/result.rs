//! Combination and the result (docs/spec/tally.md §3–§4).
//!
//! From `t` verified shares of distinct trustees `S` (the `t` smallest indices
//! offered: any `t`-subset gives the same points),
//!
//! ```text
//! x_j·A = Σ_{i∈S} λ_i · D_{i,j}        (Lagrange at 0, in the exponent)
//! T_j·B = C_j − x_j·A
//! T_j   = BSGS(T_j·B) over [−N·V, N·V]   (one baby-step table for all options: crate::dlog)
//! ```
//!
//! `result.json`, version 1 — a function of the aggregate and the totals only, so it
//! is byte-for-byte the same whichever `t` trustees decrypted:
//!
//! ```json
//! { "version": 1, "pollId": "<dec>", "options": k, "countedBallots": N, "totals": [T_1, …] }
//! ```

use psephos_ballot::{dlog, encoding::parse_json};
use psephos_primitives::{field, Fr, Point};
use psephos_threshold::{interpolate_in_exponent, DkgPublicOutput};
use rand_core::{CryptoRng, RngCore};
use serde::{Deserialize, Serialize};

use crate::{Aggregate, DecryptionShare, TallyError, Unverified};

/// The result format version.
pub const RESULT_VERSION: u32 = 1;

/// The published result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TallyResult {
    /// The poll.
    pub poll_id: Fr,
    /// The number of counted ballots `N`.
    pub counted_ballots: u64,
    /// The per-option totals.
    pub totals: Vec<i64>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ResultJson {
    version: u32,
    poll_id: String,
    options: usize,
    counted_ballots: u64,
    totals: Vec<i64>,
}

impl TallyResult {
    /// The canonical JSON text.
    pub fn to_json(&self) -> String {
        let j = ResultJson {
            version: RESULT_VERSION,
            poll_id: field::to_decimal(&self.poll_id),
            options: self.totals.len(),
            counted_ballots: self.counted_ballots,
            totals: self.totals.clone(),
        };
        serde_json::to_string_pretty(&j).unwrap_or_default() + "\n"
    }

    /// Parses result JSON strictly.
    pub fn from_json(bytes: &[u8]) -> Result<Self, TallyError> {
        let j: ResultJson = parse_json(bytes, "result")?;
        if j.version != RESULT_VERSION {
            return Err(TallyError::UnknownVersion { what: "result", version: j.version });
        }
        if j.totals.len() != j.options {
            return Err(TallyError::OptionCountMismatch { expected: j.options, got: j.totals.len() });
        }
        Ok(TallyResult {
            poll_id: psephos_ballot::encoding::fr_from_json(&j.poll_id, "pollId")?,
            counted_ballots: j.counted_ballots,
            totals: j.totals,
        })
    }
}

/// The discrete-log bound `N·V` (`LimitExceeded` if it overflows the BSGS cap).
pub fn bound(ballots: u64, vote_bound: u64) -> Result<u64, TallyError> {
    ballots.checked_mul(vote_bound).filter(|b| *b <= dlog::MAX_BOUND).ok_or(TallyError::Ballot(
        psephos_ballot::BallotError::LimitExceeded {
            what: "discrete-log bound N·V", limit: dlog::MAX_BOUND
        },
    ))
}

/// Combines verified shares into the result: the `t` lowest distinct trustee
/// indices among `shares` are used; fewer than `t` is `InsufficientShares` (and
/// nothing is produced); a repeated trustee is `DuplicateShare`.
/// `vote_bound` is the manifest's `V`.
pub fn combine(
    aggregate: &Aggregate,
    keys: &DkgPublicOutput<Point>,
    shares: &[DecryptionShare],
    vote_bound: u64,
) -> Result<TallyResult, TallyError> {
    let k = aggregate.options();
    if keys.public_keys.len() != k {
        return Err(TallyError::OptionCountMismatch { expected: k, got: keys.public_keys.len() });
    }
    let range = bound(aggregate.ballots, vote_bound)?;
    let a = aggregate.ciphertext.c1;
    let decrypted: Vec<Point> = if a.is_identity() {
        // No randomness at all (no ballots): the c2 components are T_j·B already.
        aggregate.ciphertext.c2.clone()
    } else {
        let mut sorted: Vec<&DecryptionShare> = shares.iter().collect();
        sorted.sort_by_key(|s| s.trustee);
        for w in sorted.windows(2) {
            if w[0].trustee == w[1].trustee {
                return Err(TallyError::DuplicateShare { trustee: w[0].trustee });
            }
        }
        let t = keys.threshold as usize;
        if sorted.len() < t || t == 0 {
            return Err(TallyError::InsufficientShares { valid: sorted.len(), threshold: t });
        }
        let chosen = &sorted[..t];
        for s in chosen {
            if s.partials.len() != k || s.poll_id != aggregate.poll_id || s.ballots != aggregate.ballots {
                return Err(TallyError::ContextMismatch { what: "aggregate" });
            }
        }
        (0..k)
            .map(|j| {
                let points: Vec<(u32, Point)> = chosen.iter().map(|s| (s.trustee, s.partials[j])).collect();
                let xa = interpolate_in_exponent(&points, keys.threshold)
                    .map_err(|e| TallyError::Malformed { what: "shares", reason: e.to_string() })?;
                Ok(aggregate.ciphertext.c2[j] - xa)
            })
            .collect::<Result<_, TallyError>>()?
    };
    let table = crate::dlog::Table::new(range)?;
    let totals = decrypted.iter().map(|p| table.solve(p)).collect::<Result<Vec<i64>, _>>()?;
    Ok(TallyResult { poll_id: aggregate.poll_id, counted_ballots: aggregate.ballots, totals })
}

/// Verifies every offered share, keeping the valid ones and attributing each
/// invalid one (by its claimed trustee index) with the reason.
pub fn verify_shares(
    aggregate: &Aggregate,
    keys: &DkgPublicOutput<Point>,
    shares: Vec<Unverified<DecryptionShare>>,
    rng: &mut (impl RngCore + CryptoRng),
) -> (Vec<DecryptionShare>, Vec<(u32, TallyError)>) {
    let mut valid = Vec::new();
    let mut invalid = Vec::new();
    for s in shares {
        let who = s.claimed_trustee();
        match s.verify(aggregate, keys, rng) {
            Ok(v) => valid.push(v),
            Err(e) => invalid.push((who, e)),
        }
    }
    (valid, invalid)
}
