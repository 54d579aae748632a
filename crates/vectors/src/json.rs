//! Field access for test cases: every missing or ill-typed field is a [`CaseError`].

use num_bigint::BigUint;
use psephos_primitives::{field, Fr, Point};
use serde_json::Value;

/// Why one test case failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CaseError(pub String);

/// `Err(CaseError)` with a formatted message.
macro_rules! fail {
    ($($arg:tt)*) => { return Err($crate::json::CaseError(format!($($arg)*))) };
}
pub(crate) use fail;

/// Fails unless `got == expected`, naming `what`.
pub(crate) fn expect_eq<T: PartialEq + std::fmt::Debug>(
    what: &str,
    got: T,
    expected: T,
) -> Result<(), CaseError> {
    if got == expected {
        Ok(())
    } else {
        Err(CaseError(format!("{what}: computed {got:?}, the vector says {expected:?}")))
    }
}

/// Fails unless `cond`.
pub(crate) fn ensure(cond: bool, what: &str) -> Result<(), CaseError> {
    if cond {
        Ok(())
    } else {
        Err(CaseError(what.to_string()))
    }
}

pub(crate) fn get<'a>(v: &'a Value, key: &str) -> Result<&'a Value, CaseError> {
    v.get(key).ok_or_else(|| CaseError(format!("missing field {key:?}")))
}

pub(crate) fn str_of<'a>(v: &'a Value, key: &str) -> Result<&'a str, CaseError> {
    get(v, key)?.as_str().ok_or_else(|| CaseError(format!("field {key:?} is not a string")))
}

pub(crate) fn u64_of(v: &Value, key: &str) -> Result<u64, CaseError> {
    get(v, key)?.as_u64().ok_or_else(|| CaseError(format!("field {key:?} is not an unsigned integer")))
}

pub(crate) fn array_of<'a>(v: &'a Value, key: &str) -> Result<&'a [Value], CaseError> {
    get(v, key)?
        .as_array()
        .map(Vec::as_slice)
        .ok_or_else(|| CaseError(format!("field {key:?} is not an array")))
}

pub(crate) fn as_str<'a>(v: &'a Value, what: &str) -> Result<&'a str, CaseError> {
    v.as_str().ok_or_else(|| CaseError(format!("{what} is not a string")))
}

/// A canonical decimal field element (a vector's expected value, so it must parse).
pub(crate) fn fr(v: &Value, what: &str) -> Result<Fr, CaseError> {
    field::from_decimal(as_str(v, what)?).map_err(|e| CaseError(format!("{what}: {e}")))
}

pub(crate) fn fr_of(v: &Value, key: &str) -> Result<Fr, CaseError> {
    fr(get(v, key)?, key)
}

pub(crate) fn frs_of(v: &Value, key: &str) -> Result<Vec<Fr>, CaseError> {
    array_of(v, key)?.iter().map(|x| fr(x, key)).collect()
}

pub(crate) fn biguint(v: &Value, what: &str) -> Result<BigUint, CaseError> {
    BigUint::parse_bytes(as_str(v, what)?.as_bytes(), 10)
        .ok_or_else(|| CaseError(format!("{what}: not a decimal")))
}

/// A subgroup point `{x, y}` (a vector's expected value, so it must be valid).
pub(crate) fn point(v: &Value, what: &str) -> Result<Point, CaseError> {
    Point::from_decimal(str_of(v, "x")?, str_of(v, "y")?, "point")
        .map_err(|e| CaseError(format!("{what}: {e}")))
}

pub(crate) fn point_of(v: &Value, key: &str) -> Result<Point, CaseError> {
    point(get(v, key)?, key)
}

pub(crate) fn flags(t: &Value) -> Result<Vec<&str>, CaseError> {
    array_of(t, "flags")?.iter().map(|f| as_str(f, "flag")).collect()
}

pub(crate) fn result(t: &Value) -> Result<&str, CaseError> {
    str_of(t, "result")
}

pub(crate) fn hex_of(v: &Value, key: &str) -> Result<Vec<u8>, CaseError> {
    hex::decode(str_of(v, key)?).map_err(|e| CaseError(format!("{key}: {e}")))
}
