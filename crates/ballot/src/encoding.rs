//! JSON helpers shared by the manifest and ballot formats: decimal strings for
//! field elements, `["x", "y"]` for points, strict decoding.

use psephos_primitives::{field, Fr, Point};

use crate::BallotError;

/// Largest manifest or ballot JSON accepted, in bytes.
pub const MAX_JSON_BYTES: usize = 1 << 20;

/// A point as `["x", "y"]` decimal strings.
pub fn point_to_json(p: &Point) -> [String; 2] {
    [field::to_decimal(&p.x()), field::to_decimal(&p.y())]
}

/// Parses `["x", "y"]` into a subgroup point.
pub fn point_from_json(v: &[String; 2], what: &'static str) -> Result<Point, BallotError> {
    Ok(Point::from_decimal(&v[0], &v[1], what)?)
}

/// Parses a canonical decimal field element.
pub fn fr_from_json(s: &str, what: &'static str) -> Result<Fr, BallotError> {
    Ok(field::decimal_to_field(s, what)?)
}

/// Parses JSON text of bounded size into `T` (unknown fields are refused by `T`).
pub fn parse_json<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
    what: &'static str,
) -> Result<T, BallotError> {
    if bytes.len() > MAX_JSON_BYTES {
        return Err(BallotError::LimitExceeded { what, limit: MAX_JSON_BYTES as u64 });
    }
    serde_json::from_slice(bytes).map_err(|e| BallotError::Malformed { what, reason: e.to_string() })
}
