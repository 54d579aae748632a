//! The group policy: the registrar set, the threshold `k` and the public side of
//! the dedup key — a versioned JSON file signed by at least `k` of its own
//! registrars (docs/spec/registry.md §3).
//!
//! ```json
//! {"version":1,"group_id":"town-hall","policy_version":1,"threshold":2,
//!  "registrars":["<hex X₁>","<hex X₂>","<hex X₃>"],
//!  "oprf_public_key":"<hex K>","oprf_public_shares":["<hex K₁>","<hex K₂>","<hex K₃>"],
//!  "signatures":[{"registrar":1,"signature":"<hex R‖s>"},{"registrar":2,"signature":"…"}]}
//! ```
//!
//! The policy signature transcript (label [`labels::POLICY`]) absorbs the group
//! id, the policy version, `k`, `n`, every `Xᵢ`, `K` and every `Kᵢ`.

use curve25519_dalek::ristretto::RistrettoPoint;
use merlin::Transcript;
use rand_core::{CryptoRng, RngCore};
use serde::{Deserialize, Serialize};

use crate::attestation::Attestation;
use crate::encoding::{nonidentity_point_from_hex, point_to_hex, GroupId};
use crate::oprf::DedupPublicKey;
use crate::signature::{verify_batch, RegistrarPublicKey, RegistrarSecretKey, Signature, SignedMessage};
use crate::{labels, RegistryError};

/// The version of the policy file format.
pub const POLICY_FORMAT_VERSION: u64 = 1;

/// The most registrars a policy may list.
pub const MAX_REGISTRARS: usize = 256;

/// The largest policy file accepted, in bytes.
pub const MAX_POLICY_BYTES: usize = 1 << 20;

/// The content of a group policy (what its registrars sign).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupPolicy {
    /// The group id every attestation binds.
    pub group_id: GroupId,
    /// A counter the registrars raise when they change the policy.
    pub policy_version: u64,
    /// `k`: attestations needed per entry, and partial evaluations per dedup tag.
    pub threshold: u32,
    /// `X₁ … Xₙ` (registrar `i` is at index `i − 1`).
    pub registrars: Vec<RegistrarPublicKey>,
    /// `K` and `K₁ … Kₙ` (its threshold equals `threshold`).
    pub dedup: DedupPublicKey,
}

impl GroupPolicy {
    /// Checks the policy's internal consistency: `1 ≤ k ≤ n ≤ 256`, distinct
    /// registrar keys, one OPRF public share per registrar, Feldman-consistent shares.
    pub fn check(&self) -> Result<(), RegistryError> {
        let n = self.registrars.len();
        if n == 0 || n > MAX_REGISTRARS {
            return Err(RegistryError::InvalidPolicy("the policy must list 1 to 256 registrars"));
        }
        if self.threshold == 0 || self.threshold as usize > n {
            return Err(RegistryError::InvalidPolicy(
                "threshold must be between 1 and the number of registrars",
            ));
        }
        for (i, a) in self.registrars.iter().enumerate() {
            if self.registrars[..i].contains(a) {
                return Err(RegistryError::InvalidPolicy("a registrar key is listed twice"));
            }
        }
        if self.dedup.shares.len() != n || self.dedup.threshold != self.threshold {
            return Err(RegistryError::InvalidPolicy("one OPRF public share per registrar, same threshold"));
        }
        self.dedup.check()
    }

    /// The public key of registrar `index` (1-based).
    pub fn registrar(&self, index: u32) -> Result<&RegistrarPublicKey, RegistryError> {
        index
            .checked_sub(1)
            .and_then(|i| self.registrars.get(i as usize))
            .ok_or(RegistryError::UnknownRegistrar(index))
    }

    /// Registrar `index` signs this policy (each registrar on its own machine);
    /// collect `≥ k` of these and call [`SignedPolicy::from_parts`].
    pub fn sign_as(
        &self,
        index: u32,
        key: &RegistrarSecretKey,
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<Attestation, RegistryError> {
        self.check()?;
        if self.registrar(index)? != &key.public_key() {
            return Err(RegistryError::Misuse("signer key does not match the policy index"));
        }
        Ok(Attestation { registrar: index, signature: key.sign(self, rng) })
    }

    /// The 1-based index of a registrar key.
    pub fn index_of(&self, key: &RegistrarPublicKey) -> Option<u32> {
        self.registrars.iter().position(|k| k == key).map(|i| i as u32 + 1)
    }
}

impl SignedMessage for GroupPolicy {
    const LABEL: &'static [u8] = labels::POLICY;

    fn absorb(&self, t: &mut Transcript) {
        t.append_message(b"group-id", self.group_id.as_str().as_bytes());
        t.append_u64(b"policy-version", self.policy_version);
        t.append_u64(b"threshold", u64::from(self.threshold));
        t.append_u64(b"n", self.registrars.len() as u64);
        for x in &self.registrars {
            t.append_message(b"X_i", &x.to_bytes());
        }
        t.append_message(b"K", self.dedup.key.compress().as_bytes());
        t.append_u64(b"n-shares", self.dedup.shares.len() as u64);
        for k in &self.dedup.shares {
            t.append_message(b"K_i", k.compress().as_bytes());
        }
    }
}

/// A group policy with the signatures of at least `k` of its registrars.
/// Obtained only through [`SignedPolicy::sign`] or [`SignedPolicy::from_json`],
/// both of which verify.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedPolicy {
    policy: GroupPolicy,
    signatures: Vec<Attestation>,
}

/// A registrar's attestation in JSON: `{"registrar":i,"signature":"<128 hex>"}`.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AttestationJson {
    pub(crate) registrar: u32,
    pub(crate) signature: String,
}

impl AttestationJson {
    pub(crate) fn from_attestation(a: &Attestation) -> Self {
        AttestationJson { registrar: a.registrar, signature: a.signature.to_hex() }
    }

    pub(crate) fn decode(&self) -> Result<Attestation, RegistryError> {
        Ok(Attestation { registrar: self.registrar, signature: Signature::from_hex(&self.signature)? })
    }
}

/// The policy file: the signed one has `signatures`, the unsigned one (what the
/// registrars sign) has not.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyJson {
    version: u64,
    group_id: String,
    policy_version: u64,
    threshold: u32,
    registrars: Vec<String>,
    oprf_public_key: String,
    oprf_public_shares: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    signatures: Option<Vec<AttestationJson>>,
}

/// Parses a policy file strictly (size, JSON, version, encodings; no consistency
/// check) into the policy and its signatures, if it has any.
fn parse_policy(
    text: &str,
    what: &'static str,
) -> Result<(GroupPolicy, Option<Vec<AttestationJson>>), RegistryError> {
    if text.len() > MAX_POLICY_BYTES {
        return Err(RegistryError::LimitExceeded { what: "policy file", limit: MAX_POLICY_BYTES });
    }
    let j: PolicyJson =
        serde_json::from_str(text).map_err(|e| RegistryError::malformed(what, e.to_string()))?;
    if j.version != POLICY_FORMAT_VERSION {
        return Err(RegistryError::UnknownVersion { what: "policy", found: j.version });
    }
    if j.registrars.len() > MAX_REGISTRARS || j.oprf_public_shares.len() > MAX_REGISTRARS {
        return Err(RegistryError::LimitExceeded { what: "registrars", limit: MAX_REGISTRARS });
    }
    let registrars =
        j.registrars.iter().map(|s| RegistrarPublicKey::from_hex(s)).collect::<Result<Vec<_>, _>>()?;
    let shares = j
        .oprf_public_shares
        .iter()
        .map(|s| nonidentity_point_from_hex(s, "OPRF public share"))
        .collect::<Result<Vec<RistrettoPoint>, _>>()?;
    let policy = GroupPolicy {
        group_id: GroupId::new(&j.group_id)?,
        policy_version: j.policy_version,
        threshold: j.threshold,
        registrars,
        dedup: DedupPublicKey {
            threshold: j.threshold,
            key: nonidentity_point_from_hex(&j.oprf_public_key, "OPRF public key")?,
            shares,
        },
    };
    Ok((policy, j.signatures))
}

impl GroupPolicy {
    fn to_policy_json(&self, signatures: Option<Vec<AttestationJson>>) -> String {
        let j = PolicyJson {
            version: POLICY_FORMAT_VERSION,
            group_id: self.group_id.as_str().to_owned(),
            policy_version: self.policy_version,
            threshold: self.threshold,
            registrars: self.registrars.iter().map(|x| x.to_hex()).collect(),
            oprf_public_key: point_to_hex(&self.dedup.key),
            oprf_public_shares: self.dedup.shares.iter().map(point_to_hex).collect(),
            signatures,
        };
        serde_json::to_string(&j).unwrap_or_default()
    }

    /// The canonical JSON text of the unsigned policy (one line): the fields of
    /// the signed file ([`SignedPolicy::to_json`]) without `signatures`. This is
    /// what each registrar reviews and signs ([`GroupPolicy::sign_as`]).
    pub fn to_json(&self) -> String {
        self.to_policy_json(None)
    }

    /// Parses an unsigned policy strictly (unknown fields — `signatures` included —,
    /// duplicate keys and unknown versions refused) and checks its consistency
    /// ([`GroupPolicy::check`]).
    pub fn from_json(text: &str) -> Result<Self, RegistryError> {
        let (policy, signatures) = parse_policy(text, "unsigned policy")?;
        if signatures.is_some() {
            return Err(RegistryError::malformed("unsigned policy", "unknown field `signatures`"));
        }
        policy.check()?;
        Ok(policy)
    }
}

/// Checks a set of attestations on one message: sorted by registrar, distinct,
/// known, at least `k`, every signature valid (batch-verified).
pub(crate) fn check_attestations<M: SignedMessage>(
    policy: &GroupPolicy,
    msg: &M,
    atts: &[Attestation],
    rng: &mut (impl RngCore + CryptoRng),
) -> Result<(), RegistryError> {
    let mut items = Vec::with_capacity(atts.len());
    check_attestation_set(policy, atts)?;
    for a in atts {
        items.push(policy.registrar(a.registrar)?.prepare(msg, &a.signature, a.registrar)?);
    }
    verify_batch(&items, rng).map_err(|i| RegistryError::InvalidSignature { registrar: items[i].registrar })
}

/// The structural rules on an attestation set (no signature checks).
pub(crate) fn check_attestation_set(policy: &GroupPolicy, atts: &[Attestation]) -> Result<(), RegistryError> {
    for (i, a) in atts.iter().enumerate() {
        policy.registrar(a.registrar)?;
        if atts[..i].iter().any(|b| b.registrar == a.registrar) {
            return Err(RegistryError::DuplicateSigner(a.registrar));
        }
        if i > 0 && atts[i - 1].registrar > a.registrar {
            return Err(RegistryError::UnsortedAttestations);
        }
    }
    let need = policy.threshold as usize;
    if atts.len() < need {
        return Err(RegistryError::TooFewAttestations { got: atts.len(), need });
    }
    Ok(())
}

impl SignedPolicy {
    /// Signs `policy` with the given registrars (1-based index, key) and verifies
    /// the result; at least `k` signers are needed.
    pub fn sign(
        policy: GroupPolicy,
        signers: &[(u32, &RegistrarSecretKey)],
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<Self, RegistryError> {
        let signatures = signers
            .iter()
            .map(|(index, key)| policy.sign_as(*index, key, rng))
            .collect::<Result<Vec<_>, _>>()?;
        Self::from_parts(policy, signatures, rng)
    }

    /// Assembles a policy from signatures made separately ([`GroupPolicy::sign_as`]):
    /// sorts them by registrar and verifies the whole (consistency, `≥ k` distinct
    /// valid signatures).
    pub fn from_parts(
        policy: GroupPolicy,
        mut signatures: Vec<Attestation>,
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<Self, RegistryError> {
        policy.check()?;
        signatures.sort_by_key(|a| a.registrar);
        check_attestations(&policy, &policy, &signatures, rng)?;
        Ok(SignedPolicy { policy, signatures })
    }

    /// The verified policy content.
    pub fn policy(&self) -> &GroupPolicy {
        &self.policy
    }

    /// The registrars' signatures.
    pub fn signatures(&self) -> &[Attestation] {
        &self.signatures
    }

    /// The canonical JSON text (one line).
    pub fn to_json(&self) -> String {
        self.policy
            .to_policy_json(Some(self.signatures.iter().map(AttestationJson::from_attestation).collect()))
    }

    /// Parses and verifies a policy file: strict JSON (unknown fields, duplicate
    /// keys, unknown versions refused), consistent content, `≥ k` valid signatures.
    pub fn from_json(text: &str, rng: &mut (impl RngCore + CryptoRng)) -> Result<Self, RegistryError> {
        let (policy, signatures) = parse_policy(text, "policy")?;
        let signatures = signatures
            .ok_or_else(|| RegistryError::malformed("policy", "missing field `signatures`"))?
            .iter()
            .map(AttestationJson::decode)
            .collect::<Result<Vec<_>, _>>()?;
        policy.check()?;
        check_attestations(&policy, &policy, &signatures, rng)?;
        Ok(SignedPolicy { policy, signatures })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;

    #[test]
    fn unsigned_policy_json_is_strict() {
        let mut rng = ChaCha20Rng::seed_from_u64(81);
        let (signed, _) = crate::setup::simulate_setup("town-hall", 3, 2, &mut rng).unwrap();
        let policy = signed.policy().clone();
        let text = policy.to_json();
        assert_eq!(GroupPolicy::from_json(&text).unwrap(), policy);
        // The same fields as the signed file, minus the signatures.
        let mut a: serde_json::Value = serde_json::from_str(&signed.to_json()).unwrap();
        a.as_object_mut().unwrap().remove("signatures");
        assert_eq!(a, serde_json::from_str::<serde_json::Value>(&text).unwrap());
        // A signed file is not an unsigned policy (unknown field).
        assert!(GroupPolicy::from_json(&signed.to_json()).unwrap_err().is_malformed());
        let edit = |f: &dyn Fn(&mut serde_json::Value)| {
            let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
            f(&mut v);
            GroupPolicy::from_json(&v.to_string())
        };
        assert_eq!(
            edit(&|v| v["version"] = 2.into()),
            Err(RegistryError::UnknownVersion { what: "policy", found: 2 })
        );
        assert!(edit(&|v| v["extra"] = 1.into()).unwrap_err().is_malformed());
        assert!(matches!(edit(&|v| v["threshold"] = 4.into()), Err(RegistryError::InvalidPolicy(_))));
        assert!(matches!(
            edit(&|v| v["oprf_public_key"] = v["oprf_public_shares"][0].clone()),
            Err(RegistryError::InvalidPolicy(_))
        ));
        let dup = text.replacen("{\"version\":1,", "{\"version\":1,\"version\":1,", 1);
        assert!(GroupPolicy::from_json(&dup).unwrap_err().is_malformed());
        assert!(GroupPolicy::from_json(&format!("{text}x")).unwrap_err().is_malformed());
    }
}
