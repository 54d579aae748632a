//! One line of the enrollment log `enrollment.jsonl` (docs/spec/registry.md §4).
//!
//! ```json
//! {"version":1,"position":0,"kind":"add","commitment":"<decimal>","dedup_tag":"<128 hex>","attestations":[{"registrar":1,"signature":"<128 hex>"},{"registrar":3,"signature":"…"}]}
//! ```
//!
//! A line is accepted only in its canonical form: exactly the bytes
//! [`Entry::to_json_line`] writes (field order, no spaces, decimal commitment
//! without leading zeros, lowercase hex), so every byte of the log is covered by
//! a check.

use psephos_primitives::{field, Fr};
use serde::{Deserialize, Serialize};

use crate::attestation::{Attestation, EntryKind, Statement};
use crate::encoding::{DedupTag, GroupId};
use crate::policy::{AttestationJson, MAX_REGISTRARS};
use crate::RegistryError;

/// The version of the entry format.
pub const ENTRY_FORMAT_VERSION: u64 = 1;

/// The longest accepted log line, in bytes (checked before parsing).
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// An enrollment-log entry: add or remove a commitment, attested by `≥ k` registrars.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Its position in the log (0-based line number).
    pub position: u64,
    /// Add or remove.
    pub kind: EntryKind,
    /// The identity commitment (non-zero BN254 field element).
    pub commitment: Fr,
    /// The person's dedup tag (for a removal: the tag of the member's enrollment).
    pub dedup_tag: DedupTag,
    /// The attestations, sorted by registrar index.
    pub attestations: Vec<Attestation>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryJson {
    version: u64,
    position: u64,
    kind: EntryKind,
    commitment: String,
    dedup_tag: DedupTag,
    attestations: Vec<AttestationJson>,
}

impl Entry {
    /// The statement the registrars sign for this entry.
    pub fn statement(&self, group_id: &GroupId) -> Statement {
        Statement {
            group_id: group_id.clone(),
            position: self.position,
            kind: self.kind,
            commitment: self.commitment,
            dedup_tag: self.dedup_tag,
        }
    }

    /// The canonical JSON line (without the newline).
    pub fn to_json_line(&self) -> String {
        let j = EntryJson {
            version: ENTRY_FORMAT_VERSION,
            position: self.position,
            kind: self.kind,
            commitment: field::to_decimal(&self.commitment),
            dedup_tag: self.dedup_tag,
            attestations: self.attestations.iter().map(AttestationJson::from_attestation).collect(),
        };
        serde_json::to_string(&j).unwrap_or_default()
    }

    /// Parses one line (without its newline); only the canonical form is accepted.
    pub fn from_json_line(line: &str) -> Result<Self, RegistryError> {
        if line.len() > MAX_LINE_BYTES {
            return Err(RegistryError::LimitExceeded { what: "log line", limit: MAX_LINE_BYTES });
        }
        let j: EntryJson =
            serde_json::from_str(line).map_err(|e| RegistryError::malformed("log entry", e.to_string()))?;
        if j.version != ENTRY_FORMAT_VERSION {
            return Err(RegistryError::UnknownVersion { what: "log entry", found: j.version });
        }
        if j.attestations.len() > MAX_REGISTRARS {
            return Err(RegistryError::LimitExceeded { what: "attestations", limit: MAX_REGISTRARS });
        }
        let commitment = field::decimal_to_field(&j.commitment, "commitment")?;
        let attestations =
            j.attestations.iter().map(AttestationJson::decode).collect::<Result<Vec<_>, _>>()?;
        let entry =
            Entry { position: j.position, kind: j.kind, commitment, dedup_tag: j.dedup_tag, attestations };
        if entry.to_json_line() != line {
            return Err(RegistryError::malformed("log entry", "not in canonical form"));
        }
        Ok(entry)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signature::Signature;

    fn sample() -> Entry {
        let mut sig = [0u8; 64];
        sig[..32].copy_from_slice(&[0x11; 32]);
        Entry {
            position: 3,
            kind: EntryKind::Add,
            commitment: Fr::from(12345u64),
            dedup_tag: DedupTag([0xab; 64]),
            attestations: vec![Attestation { registrar: 1, signature: Signature::from_bytes(&sig).unwrap() }],
        }
    }

    #[test]
    fn canonical_round_trip_and_rejections() {
        let e = sample();
        let line = e.to_json_line();
        assert_eq!(Entry::from_json_line(&line).unwrap(), e);
        let r = psephos_primitives::field::FR_MODULUS_DECIMAL;
        let bad = [
            line.replace("\"12345\"", "\"012345\""),              // leading zero
            line.replace("\"12345\"", &format!("\"{r}\"")),       // ≥ r
            line.replace("\"12345\"", "\"-1\""),                  // sign
            line.replace("\"version\":1", "\"version\":2"),       // unknown version
            line.replace("\"kind\":\"add\"", "\"kind\":\"Add\""), // unknown kind
            line.replace("{\"version\":1,", "{\"version\":1,\"x\":0,"), // unknown field
            line.replace("{\"version\":1,", "{\"version\":1,\"version\":1,"), // duplicate key
            line.replace("\"position\":3", "\"position\": 3"),    // not canonical spacing
            line.replace("\"position\":3,\"kind\":\"add\"", "\"kind\":\"add\",\"position\":3"), // field order
            line.replace(&"ab".repeat(64), &"AB".repeat(64)),     // upper-case hex
            line.replace(&"ab".repeat(64), &"ab".repeat(63)),     // short tag
            format!("{line} "),                                   // trailing data
            format!("\u{feff}{line}"),                            // BOM
        ];
        for b in &bad {
            let err = Entry::from_json_line(b).unwrap_err();
            assert!(err.is_malformed(), "{b}: {err:?}");
        }
        assert!(matches!(
            Entry::from_json_line(&"x".repeat(MAX_LINE_BYTES + 1)),
            Err(RegistryError::LimitExceeded { .. })
        ));
    }
}
