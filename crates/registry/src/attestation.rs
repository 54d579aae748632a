//! What a registrar attests: one entry of the enrollment log
//! (docs/spec/registry.md §2.2).
//!
//! The attestation transcript (label [`labels::ATTESTATION`]) absorbs, in order:
//! the registrar's public key, the group id, the entry's position in the log, its
//! kind (add or remove), the identity commitment (32 canonical little-endian bytes
//! of the BN254 field element) and the dedup tag; then the nonce `R`.

use merlin::Transcript;
use psephos_primitives::{field, Fr};
use rand_core::{CryptoRng, RngCore};
use serde::{Deserialize, Serialize};

use crate::encoding::{DedupTag, GroupId};
use crate::labels;
use crate::signature::{RegistrarSecretKey, Signature, SignedMessage};

/// Whether an entry adds a member or removes (revokes) one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    /// Enrollment: the commitment becomes the next leaf of the group.
    Add,
    /// Revocation: the member's leaf is set to 0.
    Remove,
}

impl EntryKind {
    fn byte(self) -> u8 {
        match self {
            EntryKind::Add => 0,
            EntryKind::Remove => 1,
        }
    }
}

/// The statement that registrars sign for one log entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    /// The group (from the policy).
    pub group_id: GroupId,
    /// The entry's position in the log (0-based line number).
    pub position: u64,
    /// Add or remove.
    pub kind: EntryKind,
    /// The identity commitment (Semaphore v4).
    pub commitment: Fr,
    /// The dedup tag of the person.
    pub dedup_tag: DedupTag,
}

impl SignedMessage for Statement {
    const LABEL: &'static [u8] = labels::ATTESTATION;

    fn absorb(&self, t: &mut Transcript) {
        t.append_message(b"group-id", self.group_id.as_str().as_bytes());
        t.append_u64(b"position", self.position);
        t.append_message(b"kind", &[self.kind.byte()]);
        t.append_message(b"commitment", &field::to_le_bytes(&self.commitment));
        t.append_message(b"dedup-tag", &self.dedup_tag.0);
    }
}

/// One registrar's attestation: its 1-based index in the policy and its signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attestation {
    /// The registrar's 1-based index in the group policy.
    pub registrar: u32,
    /// The Schnorr signature on the [`Statement`].
    pub signature: Signature,
}

impl Attestation {
    /// Registrar `registrar` (its 1-based policy index) attests `statement`.
    pub fn sign(
        registrar: u32,
        key: &RegistrarSecretKey,
        statement: &Statement,
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Self {
        Attestation { registrar, signature: key.sign(statement, rng) }
    }
}
