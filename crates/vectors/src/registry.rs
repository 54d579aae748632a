//! Registrar attestations (`psephos_registry`): Schnorr signatures on Ristretto255
//! over the attestation transcript, signed group policies and enrollment-log
//! replay. Regression pins made by psephos itself (no independent implementation
//! of these transcripts exists).

use psephos_primitives::field;
use psephos_registry::{
    DedupTag, EntryKind, GroupId, RegistrarPublicKey, RegistrarSecretKey, Roll, Signature, SignedPolicy,
    Statement,
};
use rand_core::OsRng;
use serde_json::Value;

use crate::json::{array_of, as_str, ensure, expect_eq, fail, flags, get, hex_of, result, str_of, CaseError};

/// At which step an input was refused.
#[derive(Debug)]
enum Refusal {
    /// A key, signature, group id, commitment or tag encoding was refused.
    Decode(String),
    /// The signature does not verify.
    Verify(String),
}

impl Refusal {
    fn reason(&self) -> String {
        match self {
            Refusal::Decode(e) => format!("refused while decoding: {e}"),
            Refusal::Verify(e) => format!("refused by verification: {e}"),
        }
    }
}

fn decode<T, E: std::fmt::Display>(r: Result<T, E>) -> Result<T, Refusal> {
    r.map_err(|e| Refusal::Decode(e.to_string()))
}

fn kind(s: &str) -> Result<EntryKind, String> {
    match s {
        "add" => Ok(EntryKind::Add),
        "remove" => Ok(EntryKind::Remove),
        other => Err(format!("unknown entry kind {other:?}")),
    }
}

/// The verdict on one attestation case (`Err(CaseError)` only for a defective vector).
fn attestation_verdict(t: &Value) -> Result<Result<(), Refusal>, CaseError> {
    let (pk, sig) = (str_of(t, "registrarPublicKey")?, str_of(t, "signature")?);
    let (group_id, commitment, tag) =
        (str_of(t, "groupId")?, str_of(t, "commitment")?, str_of(t, "dedupTag")?);
    let (position, kind_text) = (crate::json::u64_of(t, "position")?, str_of(t, "kind")?);
    Ok((|| {
        let pk = decode(RegistrarPublicKey::from_hex(pk))?;
        let statement = Statement {
            group_id: decode(GroupId::new(group_id))?,
            position,
            kind: decode(kind(kind_text))?,
            commitment: decode(field::decimal_to_field(commitment, "commitment"))?,
            dedup_tag: decode(DedupTag::from_hex(tag))?,
        };
        let sig = decode(Signature::from_hex(sig))?;
        pk.verify(&statement, &sig).map_err(|e| Refusal::Verify(e.to_string()))
    })())
}

fn attestation(t: &Value) -> Result<(), CaseError> {
    let verdict = attestation_verdict(t)?;
    match (result(t)?, verdict) {
        ("valid", Ok(())) => {
            // The secret key must give the public key the signature verifies under.
            let sk = RegistrarSecretKey::from_bytes(&hex_of(t, "registrarSecretKey")?)
                .map_err(|e| CaseError(format!("registrarSecretKey: {e}")))?;
            expect_eq(
                "public key of the secret key",
                sk.public_key().to_hex(),
                str_of(t, "registrarPublicKey")?.into(),
            )
        }
        ("valid", Err(r)) => fail!("a valid attestation is refused: {}", r.reason()),
        (_, Ok(())) => fail!("an invalid attestation is accepted"),
        (_, Err(r)) => {
            let flag = flags(t)?.first().copied().unwrap_or_default();
            let ok = match flag {
                "NonCanonicalKey"
                | "IdentityKey"
                | "NonCanonicalScalar"
                | "NonCanonicalCommitment"
                | "WrongLength" => matches!(r, Refusal::Decode(_)),
                "ForgedSignature" | "WrongGroupId" | "WrongPosition" | "WrongKind" | "WrongCommitment"
                | "WrongDedupTag" | "WrongRegistrar" | "NonCanonicalNonce" => matches!(r, Refusal::Verify(_)),
                other => fail!("unknown flag {other}"),
            };
            ensure(ok, &format!("refused for another reason than {flag}: {}", r.reason()))
        }
    }
}

fn policy(v: &Value) -> Result<SignedPolicy, String> {
    SignedPolicy::from_json(&v.to_string(), &mut OsRng).map_err(|e| e.to_string())
}

fn log_text(t: &Value) -> Result<String, CaseError> {
    let lines = array_of(t, "log")?.iter().map(|l| as_str(l, "log line")).collect::<Result<Vec<_>, _>>()?;
    Ok(lines.iter().map(|l| format!("{l}\n")).collect())
}

pub(crate) fn registry(_cx: &crate::Ctx<'_>, ty: &str, _group: &Value, t: &Value) -> Result<(), CaseError> {
    match ty {
        "Attestation" | "AttestationInvalid" => attestation(t),
        "Policy" => {
            let p = policy(get(t, "policy")?)
                .map_err(|e| CaseError(format!("a valid policy is refused: {e}")))?;
            let p = p.policy();
            expect_eq("groupId", p.group_id.as_str(), str_of(t, "groupId")?)?;
            expect_eq("threshold", u64::from(p.threshold), crate::json::u64_of(t, "threshold")?)
        }
        "PolicyInvalid" => match policy(get(t, "policy")?) {
            Ok(_) => fail!("an invalid policy is accepted"),
            Err(_) => Ok(()),
        },
        "Replay" => {
            let p = policy(get(t, "policy")?).map_err(|e| CaseError(format!("policy: {e}")))?;
            let roll = Roll::replay(p, &log_text(t)?, &mut OsRng)
                .map_err(|e| CaseError(format!("a valid log is refused: {e}")))?;
            expect_eq("root", field::to_decimal(&roll.root()), str_of(t, "root")?.into())?;
            expect_eq("group size", roll.group().size(), crate::json::u64_of(t, "groupSize")?)
        }
        "ReplayInvalid" => {
            let p = policy(get(t, "policy")?).map_err(|e| CaseError(format!("policy: {e}")))?;
            match Roll::replay(p, &log_text(t)?, &mut OsRng) {
                Ok(_) => fail!("a corrupted log replays"),
                Err(e) => expect_eq(
                    "the entry the replay error names",
                    e.position,
                    crate::json::u64_of(t, "badPosition")?,
                ),
            }
        }
        other => fail!("unknown group type {other}"),
    }
}
