//! Exponential ElGamal (per-option keys) vectors.

use psephos_ballot::{
    dlog,
    elgamal::{encrypt, Ciphertext, ElectionPublicKey, ElectionSecretKey},
};
use psephos_primitives::{babyjubjub::scalar_from_decimal, EncodingError, Point};
use serde_json::Value;

use crate::json::{
    array_of, as_str, ensure, expect_eq, fail, flags, get, point, result, str_of, u64_of, CaseError,
};

fn scalar(t: &Value, key: &str) -> Result<psephos_primitives::babyjubjub::Scalar, CaseError> {
    scalar_from_decimal(str_of(t, key)?, "scalar").map_err(|e| CaseError(format!("{key}: {e}")))
}

fn votes(t: &Value) -> Result<Vec<i64>, CaseError> {
    array_of(t, "votes")?
        .iter()
        .map(|v| v.as_i64().ok_or_else(|| CaseError("a vote is not an integer".into())))
        .collect()
}

fn public_key(t: &Value) -> Result<ElectionPublicKey, CaseError> {
    let keys = array_of(t, "publicKeys")?.iter().map(|p| point(p, "public key")).collect::<Result<_, _>>()?;
    ElectionPublicKey::new(keys).map_err(|e| CaseError(e.to_string()))
}

fn secret_key(t: &Value) -> Result<ElectionSecretKey, CaseError> {
    let keys = array_of(t, "secretKeys")?
        .iter()
        .map(|s| {
            scalar_from_decimal(as_str(s, "secret key")?, "secret key").map_err(|e| CaseError(e.to_string()))
        })
        .collect::<Result<_, _>>()?;
    ElectionSecretKey::from_scalars(keys).map_err(|e| CaseError(e.to_string()))
}

/// A ciphertext the vector says is well-formed.
fn ciphertext(v: &Value) -> Result<Ciphertext, CaseError> {
    Ok(Ciphertext {
        c1: point(get(v, "c1")?, "c1")?,
        c2: array_of(v, "c2")?.iter().map(|p| point(p, "c2")).collect::<Result<_, _>>()?,
    })
}

/// Strict decoding of a possibly malformed ciphertext for a key of `options` options.
fn decode(v: &Value, options: usize) -> Result<Ciphertext, EncodingError> {
    let pt = |p: &Value| -> Result<Point, EncodingError> {
        let coord = |k: &str| p.get(k).and_then(Value::as_str).unwrap_or("");
        Point::from_decimal(coord("x"), coord("y"), "ciphertext point")
    };
    let c2 = v.get("c2").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let ct = Ciphertext { c1: pt(&v["c1"])?, c2: c2.iter().map(pt).collect::<Result<_, _>>()? };
    if ct.c2.len() != options {
        return Err(EncodingError::WrongLength { what: "ciphertext", expected: options, got: ct.c2.len() });
    }
    Ok(ct)
}

pub(crate) fn elgamal(_cx: &crate::Ctx<'_>, ty: &str, group: &Value, t: &Value) -> Result<(), CaseError> {
    match ty {
        "Encrypt" => {
            let (sk, pk) = (secret_key(t)?, public_key(t)?);
            expect_eq("public keys", sk.public_key(), pk.clone())?;
            let votes = votes(t)?;
            let ct = encrypt(&pk, &votes, &scalar(t, "randomness")?).map_err(|e| CaseError(e.to_string()))?;
            expect_eq("ciphertext", &ct, &ciphertext(get(t, "ciphertext")?)?)?;
            let points = sk.decrypt_points(&ct).map_err(|e| CaseError(e.to_string()))?;
            let back: Vec<i64> = points
                .iter()
                .map(|p| dlog::solve(p, 65536))
                .collect::<Result<_, _>>()
                .map_err(|e| CaseError(e.to_string()))?;
            expect_eq("decrypted votes", back, votes)
        }
        "Add" => {
            let (a, b) = (ciphertext(get(t, "a")?)?, ciphertext(get(t, "b")?)?);
            let sum = a.add(&b).map_err(|e| CaseError(e.to_string()))?;
            expect_eq("sum", sum, ciphertext(get(t, "sum")?)?)
        }
        "Rerandomize" => {
            let ct = ciphertext(get(t, "ciphertext")?)?;
            let out =
                ct.rerandomize(&public_key(t)?, &scalar(t, "r")?).map_err(|e| CaseError(e.to_string()))?;
            expect_eq("re-randomized ciphertext", out, ciphertext(get(t, "rerandomized")?)?)
        }
        "Decrypt" => {
            let bound = u64_of(group, "bound")?;
            let ct = ciphertext(get(t, "ciphertext")?)?;
            let points = secret_key(t)?.decrypt_points(&ct).map_err(|e| CaseError(e.to_string()))?;
            let got: Vec<i64> = points
                .iter()
                .map(|p| dlog::solve(p, bound))
                .collect::<Result<_, _>>()
                .map_err(|e| CaseError(e.to_string()))?;
            expect_eq("votes", got, votes(t)?)
        }
        "CiphertextDecode" => {
            let options = usize::try_from(u64_of(t, "options")?).map_err(|e| CaseError(e.to_string()))?;
            let got = decode(get(t, "ciphertext")?, options);
            if result(t)? == "valid" {
                return got.map(|_| ()).map_err(|e| CaseError(format!("a valid ciphertext is refused: {e}")));
            }
            let Err(e) = got else { fail!("an invalid ciphertext is accepted") };
            let expected = match flags(t)?.first().copied() {
                Some("NotOnCurve") => matches!(e, EncodingError::NotOnCurve { .. }),
                Some("NotInSubgroup") => matches!(e, EncodingError::NotInSubgroup { .. }),
                Some("NonCanonical") => matches!(e, EncodingError::NotInField { .. }),
                Some("OptionCountMismatch") => matches!(e, EncodingError::WrongLength { .. }),
                f => fail!("unexpected flag {f:?}"),
            };
            ensure(expected, &format!("refused for another reason: {e}"))
        }
        other => fail!("unknown group type {other}"),
    }
}
