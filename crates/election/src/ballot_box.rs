//! The durable ballot box: psephos-ballot's [`BallotBox`] rules with every
//! submission appended to `ballots.jsonl` and `fsync`ed before it is acknowledged
//! (docs/record.md §ballots, checklist J1/J3).
//!
//! Opening the box replays the log through the same rules. The recorded proof
//! verdicts are taken from the log (they were checked when the ballot arrived, and
//! `audit` re-checks every proof), everything else — poll, root, option count,
//! replay, nullifier freshness, re-vote policy — is re-derived, and any difference
//! from the recorded outcome is corruption: the box refuses to open.

use std::path::Path;
use std::sync::{Arc, Mutex};

use psephos_ballot::{Ballot, BallotBox, Manifest, Outcome, Rejection};

use crate::ballot_log::{BallotLog, LogEntry};
use crate::ElectionError;

/// A proof verifier: `Ok(())` iff the ballot's proof verifies under the manifest.
pub type ProofVerifier = Box<dyn Fn(&Manifest, &Ballot) -> Result<(), String> + Send>;

type Override = Arc<Mutex<Option<Result<(), String>>>>;

/// A ballot box whose every submission is durable before it is acknowledged.
pub struct DurableBallotBox {
    inner: BallotBox<ProofVerifier>,
    log: BallotLog,
    poisoned: bool,
}

impl std::fmt::Debug for DurableBallotBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DurableBallotBox({} counted, next seq {})", self.inner.len(), self.log.next_seq())
    }
}

/// Replays `entries` through the ballot-box rules for `manifest`, with the recorded
/// proof verdicts. Returns the box state; any disagreement is [`ElectionError::CorruptLog`].
pub fn replay(manifest: &Manifest, entries: &[LogEntry]) -> Result<BallotBox<ProofVerifier>, ElectionError> {
    let verdict: Override = Arc::new(Mutex::new(None));
    let v = verdict.clone();
    let verifier: ProofVerifier = Box::new(move |_: &Manifest, _: &Ballot| {
        v.lock().map(|mut g| g.take().unwrap_or(Ok(()))).unwrap_or(Ok(()))
    });
    let mut bx = BallotBox::new(manifest.clone(), verifier);
    for e in entries {
        replay_one(&mut bx, &verdict, e)?;
    }
    Ok(bx)
}

fn replay_one<V: Fn(&Manifest, &Ballot) -> Result<(), String>>(
    bx: &mut BallotBox<V>,
    verdict: &Override,
    e: &LogEntry,
) -> Result<(), ElectionError> {
    let recorded = match &e.outcome {
        Outcome::Rejected(Rejection::InvalidProof(why)) => Err(why.clone()),
        _ => Ok(()),
    };
    if let Ok(mut g) = verdict.lock() {
        *g = Some(recorded);
    }
    let got = bx.submit(e.ballot.clone());
    if let Ok(mut g) = verdict.lock() {
        *g = None;
    }
    if got != e.outcome {
        return Err(ElectionError::CorruptLog {
            line: e.seq as usize + 1,
            reason: format!("recorded outcome {:?} but the ballot-box rules give {:?}", e.outcome, got),
        });
    }
    Ok(())
}

impl DurableBallotBox {
    /// Opens the box for `manifest` on the log at `path` (created if absent),
    /// truncating a torn last line and replaying the rest. `verify_proof` checks new
    /// ballots' proofs.
    pub fn open(
        path: &Path,
        manifest: Manifest,
        verify_proof: impl Fn(&Manifest, &Ballot) -> Result<(), String> + Send + 'static,
    ) -> Result<Self, ElectionError> {
        manifest.validate()?;
        let (log, entries) = BallotLog::open(path)?;
        let verdict: Override = Arc::new(Mutex::new(None));
        let v = verdict.clone();
        let verifier: ProofVerifier =
            Box::new(move |m: &Manifest, b: &Ballot| match v.lock().ok().and_then(|mut g| g.take()) {
                Some(recorded) => recorded,
                None => verify_proof(m, b),
            });
        let mut inner = BallotBox::new(manifest, verifier);
        for e in &entries {
            replay_one(&mut inner, &verdict, e)?;
        }
        Ok(DurableBallotBox { inner, log, poisoned: false })
    }

    /// Submits a ballot: decides with the ballot-box rules, appends the ballot and
    /// the outcome to the log, `fsync`s, and only then returns the entry (the
    /// acknowledgement). On a write failure the box is poisoned: the submission is
    /// not acknowledged, and every later call fails until the box is reopened.
    pub fn submit(&mut self, ballot: Ballot) -> Result<LogEntry, ElectionError> {
        if self.poisoned {
            return Err(ElectionError::Poisoned);
        }
        // Poisoned until the append succeeds: the in-memory state moves first.
        self.poisoned = true;
        let outcome = self.inner.submit(ballot.clone());
        let entry = self.log.append(&ballot, &outcome)?;
        self.poisoned = false;
        Ok(entry)
    }

    /// The manifest.
    pub fn manifest(&self) -> &Manifest {
        self.inner.manifest()
    }

    /// The ballots that count (one per nullifier, re-vote policy applied), by nullifier.
    pub fn counted(&self) -> impl Iterator<Item = &Ballot> {
        self.inner.counted()
    }

    /// The number of counted ballots.
    pub fn len(&self) -> usize {
        self.inner.len()
    }

    /// Whether no ballot counts yet.
    pub fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }

    /// The number of log entries (every submission).
    pub fn submissions(&self) -> u64 {
        self.log.next_seq()
    }
}
