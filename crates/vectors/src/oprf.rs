//! RFC 9497 `ristretto255-SHA512` OPRF-mode vectors: the suite implementation
//! psephos uses (`voprf`) and the registry's single-key evaluation.

use curve25519_dalek::Scalar;
use psephos_registry::oprf::{evaluate_with_key, Suite};
use serde_json::Value;
use voprf::{BlindedElement, EvaluationElement, OprfClient, OprfServer};

use crate::json::{expect_eq, fail, hex_of, str_of, CaseError};

fn scalar(bytes: &[u8], what: &str) -> Result<Scalar, CaseError> {
    let arr: [u8; 32] = bytes.try_into().map_err(|_| CaseError(format!("{what}: not 32 bytes")))?;
    Option::from(Scalar::from_canonical_bytes(arr)).ok_or_else(|| CaseError(format!("{what}: not canonical")))
}

pub(crate) fn rfc9497(cx: &crate::Ctx<'_>, ty: &str, _group: &Value, t: &Value) -> Result<(), CaseError> {
    let doc = cx.doc;
    if ty == "BlindedElementInvalid" {
        // A registrar evaluating a blinded request must refuse these encodings.
        let got = psephos_registry::BlindedRequest::from_bytes(&hex_of(t, "blindedElement")?);
        return crate::json::ensure(got.is_err(), "an invalid blinded element is accepted");
    }
    if ty != "OprfModeBatchSize1" {
        fail!("unknown group type {ty}");
    }
    expect_eq("suite", str_of(doc, "suite")?, "ristretto255-SHA512")?;
    let sk = hex_of(doc, "skSm")?;
    let derived = OprfServer::<Suite>::new_from_seed(&hex_of(doc, "seed")?, &hex_of(doc, "keyInfo")?)
        .map_err(|e| CaseError(format!("DeriveKeyPair: {e:?}")))?;
    expect_eq("DeriveKeyPair(seed, info)", derived.serialize().to_vec(), sk.clone())?;
    let server = OprfServer::<Suite>::new_with_key(&sk).map_err(|e| CaseError(format!("skSm: {e:?}")))?;
    let input = hex_of(t, "input")?;
    let blinded =
        OprfClient::<Suite>::deterministic_blind_unchecked(&input, scalar(&hex_of(t, "blind")?, "blind")?)
            .map_err(|e| CaseError(format!("Blind: {e:?}")))?;
    expect_eq("blindedElement", blinded.message.serialize().to_vec(), hex_of(t, "blindedElement")?)?;
    let be = BlindedElement::<Suite>::deserialize(&hex_of(t, "blindedElement")?)
        .map_err(|e| CaseError(format!("blindedElement: {e:?}")))?;
    let evaluated = server.blind_evaluate(&be);
    expect_eq("evaluationElement", evaluated.serialize().to_vec(), hex_of(t, "evaluationElement")?)?;
    let ev = EvaluationElement::<Suite>::deserialize(&hex_of(t, "evaluationElement")?)
        .map_err(|e| CaseError(format!("evaluationElement: {e:?}")))?;
    let output = blinded.state.finalize(&input, &ev).map_err(|e| CaseError(format!("Finalize: {e:?}")))?;
    expect_eq("output", output.to_vec(), hex_of(t, "output")?)?;
    let tag = evaluate_with_key(&scalar(&sk, "skSm")?, &input).map_err(|e| CaseError(e.to_string()))?;
    expect_eq("psephos dedup tag", tag.0.to_vec(), hex_of(t, "output")?)
}
