//! The voter roll: the enrollment log, its rules and its replay
//! (docs/spec/registry.md §4).
//!
//! Rules, checked on append and on replay, entry by entry:
//!
//! 1. the entry's `position` is its line number;
//! 2. its attestations are sorted, from distinct registrars of the policy, at
//!    least `k` of them, and every signature verifies on the entry's
//!    [`Statement`] (group id, position, kind, commitment, dedup tag);
//! 3. an `add` has a non-zero commitment, a commitment never enrolled before and
//!    a dedup tag never enrolled before (removed members included: a removed
//!    person cannot re-enroll under the same evidence) — it becomes the next leaf;
//! 4. a `remove` names a live member and repeats that member's dedup tag — its
//!    leaf is set to 0 (Semaphore's removal).
//!
//! The group built this way is exactly `psephos_identity::Group` with the same
//! `add_member`/`remove_member` calls, so the root is the LeanIMT root of the
//! identity crate (and of `@semaphore-protocol/group`).

use std::collections::HashMap;
use std::fmt;

use psephos_identity::Group;
use psephos_primitives::Fr;
use rand_core::{CryptoRng, RngCore};
use rayon::prelude::*;

use crate::attestation::{Attestation, EntryKind, Statement};
use crate::encoding::DedupTag;
use crate::entry::Entry;
use crate::oprf::{BlindedRequest, DedupBlinding, DedupKeyShare, PartialEvaluation};
use crate::policy::{check_attestation_set, check_attestations, GroupPolicy, SignedPolicy};
use crate::signature::{verify_batch, PreparedSignature, RegistrarPublicKey, RegistrarSecretKey};
use crate::RegistryError;

/// A registrar as one process holds it: its policy index, signing key and
/// dedup-key share. `Debug` is redacted (through its fields).
#[derive(Clone, Debug)]
pub struct Registrar {
    index: u32,
    key: RegistrarSecretKey,
    share: DedupKeyShare,
}

impl Registrar {
    /// Registrar `index` (1-based) with its keys; the share's index must match.
    pub fn new(index: u32, key: RegistrarSecretKey, share: DedupKeyShare) -> Result<Self, RegistryError> {
        if share.index() != index || index == 0 {
            return Err(RegistryError::Misuse("registrar and share indices differ"));
        }
        Ok(Registrar { index, key, share })
    }

    /// The 1-based index in the policy.
    pub fn index(&self) -> u32 {
        self.index
    }

    /// The public signing key.
    pub fn public_key(&self) -> RegistrarPublicKey {
        self.key.public_key()
    }

    /// The secret signing key.
    pub fn signing_key(&self) -> &RegistrarSecretKey {
        &self.key
    }

    /// The dedup-key share.
    pub fn dedup_share(&self) -> &DedupKeyShare {
        &self.share
    }

    /// Attests a statement.
    pub fn attest(&self, statement: &Statement, rng: &mut (impl RngCore + CryptoRng)) -> Attestation {
        Attestation::sign(self.index, &self.key, statement, rng)
    }

    /// Answers a dedup request with a partial evaluation and its proof.
    pub fn evaluate(
        &self,
        request: &BlindedRequest,
        rng: &mut (impl RngCore + CryptoRng),
    ) -> PartialEvaluation {
        self.share.evaluate(request, rng)
    }
}

/// Runs the threshold OPRF with `registrars[0]` as the enrolling registrar and
/// the first `k` of `registrars` as evaluators: returns the dedup tag of `evidence`.
pub fn dedup_tag(
    policy: &GroupPolicy,
    registrars: &[&Registrar],
    evidence: &[u8],
    rng: &mut (impl RngCore + CryptoRng),
) -> Result<DedupTag, RegistryError> {
    let (state, request) = DedupBlinding::blind(evidence, rng)?;
    let k = policy.threshold as usize;
    if registrars.len() < k {
        return Err(RegistryError::TooFewPartials { got: registrars.len(), need: k });
    }
    let partials: Vec<PartialEvaluation> =
        registrars[..k].iter().map(|r| r.evaluate(&request, rng)).collect();
    state.finalize(evidence, &policy.dedup, &partials)
}

#[derive(Clone, Copy, Debug)]
struct Member {
    position: u64,
    leaf: u64,
    tag: DedupTag,
    live: bool,
}

/// Why a replay failed: the entry (0-based line) and the reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplayError {
    /// The first bad entry's position (line number, 0-based).
    pub position: u64,
    /// What is wrong with it.
    pub error: RegistryError,
}

impl fmt::Display for ReplayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "entry {}: {}", self.position, self.error)
    }
}

impl std::error::Error for ReplayError {}

/// The voter roll of one group policy: the verified log and the group it builds.
#[derive(Clone, Debug)]
pub struct Roll {
    policy: SignedPolicy,
    entries: Vec<Entry>,
    group: Group,
    pending: Vec<Fr>,
    members: HashMap<Fr, Member>,
    tags: HashMap<DedupTag, u64>,
    leaves: u64,
}

impl Roll {
    /// An empty roll under a (verified) policy.
    pub fn new(policy: SignedPolicy) -> Self {
        Roll {
            policy,
            entries: Vec::new(),
            group: Group::new(),
            pending: Vec::new(),
            members: HashMap::new(),
            tags: HashMap::new(),
            leaves: 0,
        }
    }

    /// The policy.
    pub fn policy(&self) -> &GroupPolicy {
        self.policy.policy()
    }

    /// The signed policy.
    pub fn signed_policy(&self) -> &SignedPolicy {
        &self.policy
    }

    /// The entries so far.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The group (a `psephos_identity::Group`).
    pub fn group(&self) -> &Group {
        &self.group
    }

    /// The group, consuming the roll (the tree is moved, not copied).
    pub fn into_group(self) -> Group {
        self.group
    }

    /// The group root (0 for an empty group).
    pub fn root(&self) -> Fr {
        self.group.root()
    }

    /// The position the next entry will have.
    pub fn next_position(&self) -> u64 {
        self.entries.len() as u64
    }

    /// The statement registrars sign for the next entry.
    pub fn next_statement(&self, kind: EntryKind, commitment: Fr, dedup_tag: DedupTag) -> Statement {
        Statement {
            group_id: self.policy().group_id.clone(),
            position: self.next_position(),
            kind,
            commitment,
            dedup_tag,
        }
    }

    /// The log as `enrollment.jsonl` text (one canonical line per entry).
    pub fn to_jsonl(&self) -> String {
        let mut out = String::new();
        for e in &self.entries {
            out.push_str(&e.to_json_line());
            out.push('\n');
        }
        out
    }

    /// The log rules other than signatures (rules 1, 2 without signatures, 3, 4).
    pub fn check_rules(
        &self,
        position: u64,
        kind: EntryKind,
        commitment: Fr,
        tag: &DedupTag,
    ) -> Result<(), RegistryError> {
        if position != self.next_position() {
            return Err(RegistryError::WrongPosition { expected: self.next_position(), found: position });
        }
        match kind {
            EntryKind::Add => {
                if commitment == Fr::from(0u64) {
                    return Err(psephos_identity::IdentityError::ZeroMember.into());
                }
                if let Some(p) = self.tags.get(tag) {
                    return Err(RegistryError::DuplicateEnrollment { position: *p });
                }
                if let Some(m) = self.members.get(&commitment) {
                    return Err(RegistryError::DuplicateCommitment { position: m.position });
                }
            }
            EntryKind::Remove => match self.members.get(&commitment) {
                Some(m) if m.live => {
                    if &m.tag != tag {
                        return Err(RegistryError::TagMismatch);
                    }
                }
                _ => return Err(RegistryError::NotAMember),
            },
        }
        Ok(())
    }

    fn check_entry_structure(&self, e: &Entry) -> Result<(), RegistryError> {
        self.check_rules(e.position, e.kind, e.commitment, &e.dedup_tag)?;
        check_attestation_set(self.policy(), &e.attestations)
    }

    fn apply(&mut self, e: Entry) -> Result<(), RegistryError> {
        match e.kind {
            EntryKind::Add => {
                self.members.insert(
                    e.commitment,
                    Member { position: e.position, leaf: self.leaves, tag: e.dedup_tag, live: true },
                );
                self.tags.insert(e.dedup_tag, e.position);
                self.pending.push(e.commitment);
                self.leaves += 1;
            }
            EntryKind::Remove => {
                self.flush()?;
                let leaf = match self.members.get_mut(&e.commitment) {
                    Some(m) => {
                        m.live = false;
                        m.leaf
                    }
                    None => return Err(RegistryError::NotAMember),
                };
                self.group.remove_member(leaf)?;
            }
        }
        self.entries.push(e);
        Ok(())
    }

    fn flush(&mut self) -> Result<(), RegistryError> {
        if !self.pending.is_empty() {
            let pending = std::mem::take(&mut self.pending);
            self.group.add_members(&pending)?;
        }
        Ok(())
    }

    /// Verifies one entry against the roll (every rule, every signature) and
    /// appends it.
    pub fn append(
        &mut self,
        entry: Entry,
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<&Entry, RegistryError> {
        self.check_entry_structure(&entry)?;
        let statement = entry.statement(&self.policy().group_id);
        check_attestations(self.policy(), &statement, &entry.attestations, rng)?;
        self.apply(entry)?;
        self.flush()?;
        self.entries.last().ok_or(RegistryError::Misuse("empty after append"))
    }

    /// Enrolls a person: `registrars[0]` is the enrolling registrar (it alone sees
    /// `evidence`); the first `k` registrars evaluate the dedup OPRF, all of them
    /// attest. Refuses a person already enrolled (`DuplicateEnrollment`) before
    /// anyone attests.
    pub fn enroll(
        &mut self,
        registrars: &[&Registrar],
        commitment: Fr,
        evidence: &[u8],
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<&Entry, RegistryError> {
        let tag = dedup_tag(self.policy(), registrars, evidence, rng)?;
        self.attest_and_append(registrars, EntryKind::Add, commitment, tag, rng)
    }

    /// Removes (revokes) a live member, attested by `registrars`.
    pub fn remove(
        &mut self,
        registrars: &[&Registrar],
        commitment: Fr,
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<&Entry, RegistryError> {
        let tag = match self.members.get(&commitment) {
            Some(m) if m.live => m.tag,
            _ => return Err(RegistryError::NotAMember),
        };
        self.attest_and_append(registrars, EntryKind::Remove, commitment, tag, rng)
    }

    fn attest_and_append(
        &mut self,
        registrars: &[&Registrar],
        kind: EntryKind,
        commitment: Fr,
        tag: DedupTag,
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<&Entry, RegistryError> {
        self.check_rules(self.next_position(), kind, commitment, &tag)?;
        let statement = self.next_statement(kind, commitment, tag);
        let mut attestations: Vec<Attestation> =
            registrars.iter().map(|r| r.attest(&statement, rng)).collect();
        attestations.sort_by_key(|a| a.registrar);
        let entry = Entry { position: statement.position, kind, commitment, dedup_tag: tag, attestations };
        self.append(entry, rng)
    }

    /// Replays a whole `enrollment.jsonl` text under a policy: every line must be
    /// a canonical entry, every rule hold and every signature verify (batch
    /// verification over all entries, spread over threads). The error names the
    /// first bad entry.
    pub fn replay(
        policy: SignedPolicy,
        text: &str,
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<Self, ReplayError> {
        let mut roll = Roll::new(policy);
        let lines: Vec<&str> = if text.is_empty() {
            Vec::new()
        } else {
            match text.strip_suffix('\n') {
                Some(body) => body.split('\n').collect(),
                None => {
                    let n = text.split('\n').count() as u64 - 1;
                    return Err(ReplayError {
                        position: n,
                        error: RegistryError::malformed("log", "the last line does not end with a newline"),
                    });
                }
            }
        };
        let parsed: Vec<Result<Entry, RegistryError>> =
            lines.par_iter().map(|l| Entry::from_json_line(l)).collect();
        let group_id = roll.policy().group_id.clone();
        let mut first_error: Option<ReplayError> = None;
        for (i, p) in parsed.into_iter().enumerate() {
            let res = p.and_then(|e| roll.check_entry_structure(&e).and_then(|()| roll.apply(e)));
            match res {
                Ok(()) => {}
                Err(error) => {
                    first_error = Some(ReplayError { position: i as u64, error });
                    break;
                }
            }
        }
        // Signatures of every entry before the first rule violation.
        let prepared: Vec<Result<Vec<PreparedSignature>, ReplayError>> = roll
            .entries
            .par_iter()
            .map(|e| {
                let st = e.statement(&group_id);
                e.attestations
                    .iter()
                    .map(|a| {
                        roll.policy()
                            .registrar(a.registrar)
                            .and_then(|pk| pk.prepare(&st, &a.signature, a.registrar))
                            .map_err(|error| ReplayError { position: e.position, error })
                    })
                    .collect()
            })
            .collect();
        let mut items = Vec::new();
        let mut owner = Vec::new();
        for (i, p) in prepared.into_iter().enumerate() {
            match p {
                Ok(v) => {
                    owner.extend(std::iter::repeat_n(i as u64, v.len()));
                    items.extend(v);
                }
                Err(e) => {
                    first_error = Some(e);
                    break;
                }
            }
        }
        if let Err(bad) = verify_batch(&items, rng) {
            return Err(ReplayError {
                position: owner[bad],
                error: RegistryError::InvalidSignature { registrar: items[bad].registrar },
            });
        }
        if let Some(e) = first_error {
            return Err(e);
        }
        roll.flush().map_err(|error| ReplayError { position: roll.next_position(), error })?;
        Ok(roll)
    }
}
