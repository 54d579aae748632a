//! Semaphore v4 identity, LeanIMT group and nullifier/message-hash vectors.

use num_bigint::BigUint;
use psephos_identity::{
    hash::{message_to_int, semaphore_hash_bytes, semaphore_hash_int, semaphore_hash_str},
    identity::{verify_signature, Signature},
    Group, Identity, IdentityError, LeanImt, MerkleProof, Nullifier,
};
use psephos_primitives::{babyjubjub::scalar_from_decimal, field, Fr};
use serde_json::Value;

use crate::json::{
    array_of, biguint, ensure, expect_eq, fail, fr_of, frs_of, get, hex_of, point_of, result, str_of, u64_of,
    CaseError,
};

fn identity_of(t: &Value) -> Result<Identity, CaseError> {
    if let Some(text) = t.get("privateKeyText").and_then(Value::as_str) {
        Ok(Identity::from_text(text))
    } else {
        Ok(Identity::from_private_key(&hex_of(t, "privateKeyHex")?))
    }
}

pub(crate) fn identity(_cx: &crate::Ctx<'_>, ty: &str, _group: &Value, t: &Value) -> Result<(), CaseError> {
    if ty == "IdentitySignatureInvalid" {
        // Every one must be refused: at decoding (S >= l, R8 outside the subgroup) or
        // by the verification equation.
        let sig = get(t, "signature")?;
        let decoded = psephos_primitives::Point::from_decimal(
            str_of(get(sig, "R8")?, "x")?,
            str_of(get(sig, "R8")?, "y")?,
            "R8",
        )
        .map_err(|e| e.to_string())
        .and_then(|r8| {
            let s =
                scalar_from_decimal(str_of(sig, "S").map_err(|e| e.0)?, "S").map_err(|e| e.to_string())?;
            Ok(Signature { r8, s })
        });
        return match decoded {
            Err(_) => Ok(()),
            Ok(signature) => {
                let verdict = verify_signature(&point_of(t, "publicKey")?, fr_of(t, "message")?, &signature);
                ensure(verdict.is_err(), "an invalid signature verifies")
            }
        };
    }
    let identity = identity_of(t)?;
    expect_eq("public key", identity.public_key(), point_of(t, "publicKey")?)?;
    match ty {
        "IdentityDerivation" => {
            expect_eq(
                "secret scalar",
                field::to_decimal(identity.secret_scalar().expose()),
                str_of(t, "secretScalar")?.to_string(),
            )?;
            expect_eq("commitment", identity.commitment(), fr_of(t, "commitment")?)?;
            let export = str_of(t, "export")?;
            expect_eq("export", identity.export().as_str(), export)?;
            let back = Identity::import(export).map_err(|e| CaseError(format!("import: {e}")))?;
            expect_eq("imported commitment", back.commitment(), identity.commitment())
        }
        "IdentitySignature" => {
            let sig = get(t, "signature")?;
            let signature = Signature {
                r8: point_of(sig, "R8")?,
                s: scalar_from_decimal(str_of(sig, "S")?, "S").map_err(|e| CaseError(e.to_string()))?,
            };
            let message = fr_of(t, "message")?;
            expect_eq(
                "signature check",
                verify_signature(&identity.public_key(), message, &signature),
                Ok(()),
            )?;
            expect_eq(
                "signature on another message",
                verify_signature(&identity.public_key(), message + Fr::from(1u64), &signature),
                Err(IdentityError::InvalidSignature),
            )
        }
        other => fail!("unknown group type {other}"),
    }
}

fn apply(group: &mut Group, op: &Value) -> Result<(), String> {
    let leaf = |key: &str| fr_of(op, key).map_err(|e| e.0);
    let index = || u64_of(op, "index").map_err(|e| e.0);
    match str_of(op, "op").map_err(|e| e.0)? {
        "add" => group.add_member(leaf("leaf")?).map_err(|e| e.to_string()),
        "update" => group.update_member(index()?, leaf("leaf")?).map_err(|e| e.to_string()),
        "remove" => group.remove_member(index()?).map_err(|e| e.to_string()),
        other => Err(format!("unknown op {other}")),
    }
}

/// Applies all but the last `skip_last` operations, checking each root.
fn replay(t: &Value, skip_last: usize) -> Result<Group, CaseError> {
    let ops = array_of(t, "operations")?;
    let roots = frs_of(t, "roots")?;
    expect_eq("operations vs roots", ops.len(), roots.len() + skip_last)?;
    let mut group = Group::new();
    for (i, (op, root)) in ops.iter().zip(&roots).enumerate() {
        apply(&mut group, op).map_err(|e| CaseError(format!("operation {i}: {e}")))?;
        expect_eq(&format!("root after operation {i}"), group.root(), *root)?;
    }
    Ok(group)
}

pub(crate) fn lean_imt(_cx: &crate::Ctx<'_>, ty: &str, _group: &Value, t: &Value) -> Result<(), CaseError> {
    match ty {
        "Root" => {
            let leaves = frs_of(t, "leaves")?;
            let group = Group::from_members(&leaves).map_err(|e| CaseError(e.to_string()))?;
            expect_eq("root", group.root(), fr_of(t, "root")?)?;
            expect_eq("depth", group.depth() as u64, u64_of(t, "depth")?)?;
            let mut one_by_one = LeanImt::new();
            for l in &leaves {
                one_by_one.insert(*l).map_err(|e| CaseError(e.to_string()))?;
            }
            expect_eq("root, one by one", one_by_one.root().unwrap_or(Fr::from(0u64)), fr_of(t, "root")?)
        }
        "MerkleProof" => {
            let group = Group::from_members(&frs_of(t, "leaves")?).map_err(|e| CaseError(e.to_string()))?;
            let p = get(t, "proof")?;
            let expected = MerkleProof {
                root: fr_of(p, "root")?,
                leaf: fr_of(p, "leaf")?,
                index: u64_of(p, "index")?,
                siblings: frs_of(p, "siblings")?,
            };
            let got = group.generate_proof(u64_of(t, "index")?).map_err(|e| CaseError(e.to_string()))?;
            expect_eq("proof", &got, &expected)?;
            expect_eq("verify", expected.verify(), Ok(()))?;
            if !expected.siblings.is_empty() {
                let mut bad = expected.clone();
                bad.index ^= 1;
                expect_eq(
                    "verify with a flipped index bit",
                    bad.verify(),
                    Err(IdentityError::ProofMismatch),
                )?;
                let mut bad = expected.clone();
                bad.index |= 1 << bad.siblings.len();
                ensure(
                    matches!(bad.verify(), Err(IdentityError::MalformedProof(_))),
                    "an index beyond the proof's depth must be refused",
                )?;
            }
            Ok(())
        }
        "Operations" => {
            let group = replay(t, 0)?;
            expect_eq("final members", group.members().to_vec(), frs_of(t, "finalMembers")?)
        }
        "OperationsInvalid" => {
            let mut group = replay(t, 1)?;
            let ops = array_of(t, "operations")?;
            let before = (group.root(), group.size());
            let last = ops.last().ok_or_else(|| CaseError("no operations".into()))?;
            ensure(apply(&mut group, last).is_err(), "the last operation must be refused")?;
            expect_eq("state after a refused operation", (group.root(), group.size()), before)
        }
        other => fail!("unknown group type {other}"),
    }
}

pub(crate) fn nullifier(_cx: &crate::Ctx<'_>, ty: &str, _group: &Value, t: &Value) -> Result<(), CaseError> {
    match ty {
        "Nullifier" => {
            let identity = Identity::from_text(str_of(t, "privateKeyText")?);
            expect_eq(
                "secret scalar",
                field::to_decimal(identity.secret_scalar().expose()),
                str_of(t, "secretScalar")?.to_string(),
            )?;
            let n = Nullifier::derive(&identity, fr_of(t, "scope")?);
            expect_eq("nullifier", n.to_field(), fr_of(t, "nullifier")?)
        }
        "SemaphoreHash" => {
            let message = str_of(t, "message")?;
            let value = biguint(get(t, "message")?, "message")?;
            let word = hex_of(t, "keccakInputHex")?;
            expect_eq("keccak input", BigUint::from_bytes_be(&word), value.clone())?;
            let hash = fr_of(t, "hash")?;
            expect_eq("hash of the integer", semaphore_hash_int(&value), Ok(hash))?;
            expect_eq("hash of the string", semaphore_hash_str(message), Ok(hash))?;
            let hex_form = format!("0x{}", str_of(t, "keccakInputHex")?);
            expect_eq("hash of the hex string", semaphore_hash_str(&hex_form), Ok(hash))
        }
        "SemaphoreMessage" | "SemaphoreMessageQuirk" | "SemaphoreMessageInvalid" => {
            let message = str_of(t, "message")?;
            let kind = str_of(t, "messageKind")?;
            let got = match kind {
                "string" => semaphore_hash_str(message),
                "bytesHex" => semaphore_hash_bytes(&hex_of(t, "message")?),
                "bigint" => match message.strip_prefix('-') {
                    Some(_) => Err(IdentityError::InvalidMessage("negative")),
                    None => semaphore_hash_int(&biguint(get(t, "message")?, "message")?),
                },
                other => fail!("unknown message kind {other}"),
            };
            match result(t)? {
                "valid" => {
                    let int = match kind {
                        "string" => message_to_int(message).map_err(|e| CaseError(e.to_string()))?,
                        "bytesHex" => BigUint::from_bytes_be(&hex_of(t, "message")?),
                        _ => biguint(get(t, "message")?, "message")?,
                    };
                    expect_eq("message integer", int.to_str_radix(10), str_of(t, "integer")?.to_string())?;
                    expect_eq("message hash", got, Ok(fr_of(t, "hash")?))
                }
                // May be refused, but never hashed to a different value.
                "acceptable" => ensure(
                    got.is_err() || got == Ok(fr_of(t, "hash")?),
                    "an acceptable message hashed to another value",
                ),
                _ => ensure(got.is_err(), "an invalid message must be refused"),
            }
        }
        "SemaphoreHashInvalid" => {
            let message = str_of(t, "message")?;
            ensure(semaphore_hash_str(message).is_err(), "the string must be refused")?;
            let value = biguint(get(t, "message")?, "message")?;
            ensure(semaphore_hash_int(&value).is_err(), "the integer must be refused")
        }
        other => fail!("unknown group type {other}"),
    }
}
