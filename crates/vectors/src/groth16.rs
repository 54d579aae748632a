//! Groth16 (BN254) verification vectors in snarkjs JSON: real Semaphore v4 proofs
//! under the ceremony keys, and tampered, mis-keyed and non-canonical variants.

use psephos_snark::{json, verify, VkPolicy};
use serde_json::Value;

use crate::json::{ensure, fail, get, result, str_of, u64_of, CaseError};

/// `Ok` iff the proof decodes and verifies under the named key (production policy).
fn verdict(group: &Value, t: &Value) -> Result<Result<(), String>, CaseError> {
    let depth = u64_of(t, "vkDepth")?;
    let keys = get(group, "verificationKeys")?;
    let vk_json = get(keys, &depth.to_string())?;
    let vk = json::read_verifying_key(vk_json.to_string())
        .map_err(|e| CaseError(format!("verifying key: {e}")))?;
    let pvk = vk.prepare(&VkPolicy::production()).map_err(|e| CaseError(format!("verifying key: {e}")))?;
    let (proof, signals) = (get(t, "proof")?.to_string(), get(t, "publicSignals")?.to_string());
    let outcome = json::read_proof(proof)
        .and_then(|proof| verify(&pvk, &json::read_public_signals(signals)?, &proof))
        .map_err(|e| e.to_string());
    Ok(outcome)
}

pub(crate) fn semaphore(_cx: &crate::Ctx<'_>, ty: &str, group: &Value, t: &Value) -> Result<(), CaseError> {
    match ty {
        "Verify" | "VerifyInvalid" => {
            // The reference's verdict is recorded; a valid case must be one snarkjs accepts.
            let reference = str_of(t, "snarkjs")?;
            ensure(matches!(reference, "accepts" | "rejects" | "throws"), "unknown snarkjs verdict")?;
            let outcome = verdict(group, t)?;
            match (result(t)?, outcome) {
                ("valid", Ok(())) => ensure(reference == "accepts", "a valid case snarkjs does not accept"),
                ("valid", Err(e)) => fail!("a valid proof is refused: {e}"),
                (_, Ok(())) => fail!("an invalid proof is accepted"),
                (_, Err(_)) => Ok(()),
            }
        }
        other => fail!("unknown group type {other}"),
    }
}
