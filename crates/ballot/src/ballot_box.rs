//! The ballot box (docs/spec/ballot.md §6): accepts a ballot iff it is for this
//! poll, its root is accepted, its option count matches, its proof verifies under the
//! manifest, and its nullifier is fresh — or, under `last-wins`, replaces that
//! nullifier's earlier ballot. Every submission is recorded with its outcome.
//!
//! Checks run cheapest first; a refused ballot changes nothing but the log.
//! A ballot whose ciphertext was already seen for the same nullifier is a *replay*
//! and is refused under every policy, so an old ballot cannot be re-submitted to undo
//! a later one (a re-randomized Groth16 proof of the same ciphertext is the same
//! replay).

use std::collections::{BTreeMap, BTreeSet};

use psephos_primitives::{field, Fr};
use thiserror::Error;

use crate::{manifest::RevotePolicy, Ballot, Manifest};

/// Why the ballot box refused a ballot.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Rejection {
    /// The ballot is for another poll.
    #[error("the ballot is for another poll")]
    ScopeMismatch,
    /// The root is not one of the poll's accepted roots.
    #[error("unknown voter-roll root")]
    UnknownRoot,
    /// The ciphertext has the wrong number of options.
    #[error("expected {expected} options, got {got}")]
    InputCountMismatch {
        /// Options in the poll.
        expected: usize,
        /// Options in the ballot.
        got: usize,
    },
    /// The proof does not verify (or could not be decoded).
    #[error("invalid proof: {0}")]
    InvalidProof(String),
    /// The nullifier already voted and the policy is `reject`.
    #[error("duplicate nullifier: this voter already voted in this poll")]
    DuplicateNullifier,
    /// This exact encrypted vote was already submitted by this nullifier.
    #[error("replay of an earlier ballot")]
    Replay,
}

/// The outcome of one submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Accepted as this nullifier's first ballot.
    Accepted,
    /// Accepted and replaced this nullifier's earlier ballot (`last-wins`).
    Replaced,
    /// Refused.
    Rejected(Rejection),
}

/// A ballot box for one poll.
pub struct BallotBox<V> {
    manifest: Manifest,
    verify_proof: V,
    /// The counted ballot of each nullifier, with its submission sequence number.
    counted: BTreeMap<Fr, (u64, Ballot)>,
    /// Ciphertexts seen per nullifier (packed c1 ‖ c2…), for replay detection.
    seen: BTreeSet<(Fr, Vec<u8>)>,
    /// Every submission and its outcome, in order.
    log: Vec<(Ballot, Outcome)>,
}

fn ciphertext_key(b: &Ballot) -> Vec<u8> {
    let mut key = b.ciphertext.c1.pack().to_vec();
    for c in &b.ciphertext.c2 {
        key.extend_from_slice(&c.pack());
    }
    key
}

impl<V: Fn(&Manifest, &Ballot) -> Result<(), String>> BallotBox<V> {
    /// An empty box for `manifest`; `verify_proof` checks a ballot's proof against the
    /// manifest (public inputs from the manifest and the ballot, never from the prover).
    pub fn new(manifest: Manifest, verify_proof: V) -> Self {
        BallotBox { manifest, verify_proof, counted: BTreeMap::new(), seen: BTreeSet::new(), log: Vec::new() }
    }

    /// The manifest.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    fn check(&self, ballot: &Ballot) -> Result<Outcome, Rejection> {
        if ballot.poll_id != self.manifest.poll_id {
            return Err(Rejection::ScopeMismatch);
        }
        if !self.manifest.accepted_roots.contains(&ballot.merkle_root) {
            return Err(Rejection::UnknownRoot);
        }
        if ballot.ciphertext.c2.len() != self.manifest.options {
            return Err(Rejection::InputCountMismatch {
                expected: self.manifest.options,
                got: ballot.ciphertext.c2.len(),
            });
        }
        if self.seen.contains(&(ballot.nullifier, ciphertext_key(ballot))) {
            return Err(Rejection::Replay);
        }
        let earlier = self.counted.contains_key(&ballot.nullifier);
        if earlier && self.manifest.revote_policy == RevotePolicy::Reject {
            return Err(Rejection::DuplicateNullifier);
        }
        (self.verify_proof)(&self.manifest, ballot).map_err(Rejection::InvalidProof)?;
        Ok(if earlier { Outcome::Replaced } else { Outcome::Accepted })
    }

    /// Submits a ballot; returns (and logs) the outcome.
    pub fn submit(&mut self, ballot: Ballot) -> Outcome {
        let outcome = match self.check(&ballot) {
            Ok(o) => o,
            Err(r) => Outcome::Rejected(r),
        };
        if !matches!(outcome, Outcome::Rejected(_)) {
            let seq = self.log.len() as u64;
            self.seen.insert((ballot.nullifier, ciphertext_key(&ballot)));
            self.counted.insert(ballot.nullifier, (seq, ballot.clone()));
        }
        self.log.push((ballot, outcome.clone()));
        outcome
    }

    /// The ballots that count, ordered by nullifier.
    pub fn counted(&self) -> impl Iterator<Item = &Ballot> {
        self.counted.values().map(|(_, b)| b)
    }

    /// Every submission with its outcome.
    pub fn log(&self) -> &[(Ballot, Outcome)] {
        &self.log
    }

    /// The number of counted ballots.
    pub fn len(&self) -> usize {
        self.counted.len()
    }

    /// Whether no ballot counts yet.
    pub fn is_empty(&self) -> bool {
        self.counted.is_empty()
    }
}

/// A short, stable description of a nullifier for reports.
pub fn short(x: &Fr) -> String {
    let d = field::to_decimal(x);
    if d.len() > 12 {
        format!("{}…{}", &d[..6], &d[d.len() - 4..])
    } else {
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{elgamal::encrypt, ElectionSecretKey, Manifest, RevotePolicy};
    use psephos_primitives::Scalar;
    use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};

    /// The rules under test are the box's own; the proof check is stubbed by a flag in
    /// the proof JSON (`tests/ballot_flow.rs` uses real Groth16 proofs).
    fn stub(_: &Manifest, b: &Ballot) -> Result<(), String> {
        if b.proof["ok"] == true {
            Ok(())
        } else {
            Err("stub proof says no".into())
        }
    }

    fn setup(policy: RevotePolicy) -> (Manifest, ElectionSecretKey) {
        let mut rng = ChaCha20Rng::seed_from_u64(9);
        let sk = ElectionSecretKey::random(2, &mut rng);
        let m = Manifest {
            poll_name: "p".into(),
            poll_id: Fr::from(77u64),
            options: 2,
            budget: 10,
            bound: 3,
            max_depth: 4,
            accepted_roots: vec![Fr::from(5u64)],
            election_key: sk.public_key(),
            verifying_key_id: "00".repeat(32),
            revote_policy: policy,
        };
        (m, sk)
    }

    fn ballot(m: &Manifest, nullifier: u64, votes: [i64; 2], rho: u64) -> Ballot {
        Ballot {
            poll_id: m.poll_id,
            merkle_root: m.accepted_roots[0],
            nullifier: Fr::from(nullifier),
            ciphertext: encrypt(&m.election_key, &votes, &Scalar::from(rho)).unwrap(),
            proof: serde_json::json!({"ok": true}),
        }
    }

    #[test]
    fn reject_policy() {
        let (m, _) = setup(RevotePolicy::Reject);
        let mut bx = BallotBox::new(m.clone(), stub);
        assert_eq!(bx.submit(ballot(&m, 1, [1, 2], 3)), Outcome::Accepted);
        assert_eq!(bx.submit(ballot(&m, 1, [0, 0], 4)), Outcome::Rejected(Rejection::DuplicateNullifier));
        assert_eq!(bx.submit(ballot(&m, 1, [1, 2], 3)), Outcome::Rejected(Rejection::Replay));
        let mut other = ballot(&m, 2, [1, 1], 5);
        other.poll_id = Fr::from(78u64);
        assert_eq!(bx.submit(other), Outcome::Rejected(Rejection::ScopeMismatch));
        let mut other = ballot(&m, 2, [1, 1], 5);
        other.merkle_root = Fr::from(6u64);
        assert_eq!(bx.submit(other), Outcome::Rejected(Rejection::UnknownRoot));
        let mut other = ballot(&m, 2, [1, 1], 5);
        other.ciphertext.c2.pop();
        assert!(matches!(bx.submit(other), Outcome::Rejected(Rejection::InputCountMismatch { .. })));
        let mut other = ballot(&m, 2, [1, 1], 5);
        other.proof = serde_json::json!({"ok": false});
        assert!(matches!(bx.submit(other), Outcome::Rejected(Rejection::InvalidProof(_))));
        // Refusals changed nothing but the log.
        assert_eq!(bx.len(), 1);
        assert_eq!(bx.log().len(), 7);
        assert_eq!(bx.submit(ballot(&m, 2, [1, 1], 5)), Outcome::Accepted);
        assert_eq!(bx.len(), 2);
    }

    #[test]
    fn last_wins_policy_and_replay() {
        let (m, sk) = setup(RevotePolicy::LastWins);
        let mut bx = BallotBox::new(m.clone(), stub);
        let first = ballot(&m, 1, [3, 0], 3);
        assert_eq!(bx.submit(first.clone()), Outcome::Accepted);
        assert_eq!(bx.submit(ballot(&m, 1, [0, -3], 4)), Outcome::Replaced);
        // Replaying the first ballot cannot undo the update.
        assert_eq!(bx.submit(first), Outcome::Rejected(Rejection::Replay));
        let counted: Vec<&Ballot> = bx.counted().collect();
        assert_eq!(counted.len(), 1);
        let pts = sk.decrypt_points(&counted[0].ciphertext).unwrap();
        assert_eq!(crate::dlog::solve(&pts[1], 3), Ok(-3));
    }
}
