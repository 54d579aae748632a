//! Canonical encodings of prime-field elements (docs/spec/primitives.md §1).
//!
//! The SNARK field is BN254's scalar field `Fr`, of prime order
//! `r = 21888242871839275222246405745257275088548364400416034343698204186575808495617`.
//! The functions here are generic over [`PrimeField`] so the Baby Jubjub scalar
//! field uses the same rules.
//!
//! | form | rule |
//! | --- | --- |
//! | decimal | ASCII digits only, no sign, no leading zero (except `"0"`), at most 78 digits, value `< modulus` |
//! | hex | exactly 64 hex digits, big-endian, optional `0x` prefix, value `< modulus` |
//! | bytes | exactly 32 bytes, little-endian, value `< modulus` |
//!
//! `ark_ff`'s `from_str` reduces and accepts a leading `-`; it is never used on
//! untrusted data.

use ark_ff::{BigInteger, PrimeField};
use num_bigint::BigUint;

pub use ark_bn254::Fr;

use crate::EncodingError;

/// The BN254 scalar-field modulus `r` in decimal.
pub const FR_MODULUS_DECIMAL: &str =
    "21888242871839275222246405745257275088548364400416034343698204186575808495617";

/// The longest accepted decimal string (2²⁵⁶ has 78 digits).
pub const MAX_DECIMAL_DIGITS: usize = 78;

/// Parses a canonical decimal string into `Fr`. See [`decimal_to_field`].
pub fn from_decimal(s: &str) -> Result<Fr, EncodingError> {
    decimal_to_field(s, "field element")
}

/// Writes `x` as its canonical decimal string (snarkjs style).
pub fn to_decimal<F: PrimeField>(x: &F) -> String {
    let big: BigUint = x.into_bigint().into();
    big.to_str_radix(10)
}

/// Parses a canonical decimal string into a prime-field element; `what` names the
/// value in the error.
///
/// Rejects the empty string, signs, leading zeros, whitespace, non-digits,
/// more than [`MAX_DECIMAL_DIGITS`] digits (`LimitExceeded`, before any big-number
/// work) and values `≥` the modulus (`NotInField`).
pub fn decimal_to_field<F: PrimeField>(s: &str, what: &'static str) -> Result<F, EncodingError> {
    if s.is_empty() {
        return Err(EncodingError::Malformed { what, reason: "empty decimal string" });
    }
    if s.len() > MAX_DECIMAL_DIGITS {
        return Err(EncodingError::LimitExceeded { what, limit: MAX_DECIMAL_DIGITS });
    }
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(EncodingError::Malformed { what, reason: "only the digits 0-9 are allowed" });
    }
    if s.len() > 1 && s.starts_with('0') {
        return Err(EncodingError::Malformed { what, reason: "leading zero" });
    }
    let value = BigUint::parse_bytes(s.as_bytes(), 10)
        .ok_or(EncodingError::Malformed { what, reason: "not a decimal number" })?;
    biguint_to_field(&value, what)
}

/// Converts an integer into a field element, refusing values `≥` the modulus.
pub fn biguint_to_field<F: PrimeField>(value: &BigUint, what: &'static str) -> Result<F, EncodingError> {
    let modulus: BigUint = F::MODULUS.into();
    if value >= &modulus {
        return Err(EncodingError::NotInField { what });
    }
    // Below the modulus, so `from_le_bytes_mod_order` performs no reduction.
    Ok(F::from_le_bytes_mod_order(&value.to_bytes_le()))
}

/// Parses 32 little-endian bytes; `NonCanonical` if the value is `≥` the modulus.
pub fn from_le_bytes<F: PrimeField>(bytes: &[u8], what: &'static str) -> Result<F, EncodingError> {
    if bytes.len() != 32 {
        return Err(EncodingError::WrongLength { what, expected: 32, got: bytes.len() });
    }
    let value = BigUint::from_bytes_le(bytes);
    biguint_to_field(&value, what).map_err(|_| EncodingError::NonCanonical { what })
}

/// The canonical 32 little-endian bytes of `x`.
pub fn to_le_bytes<F: PrimeField>(x: &F) -> [u8; 32] {
    let mut out = [0u8; 32];
    let bytes = x.into_bigint().to_bytes_le();
    out[..bytes.len()].copy_from_slice(&bytes);
    out
}

/// Parses 64 big-endian hex digits (optional `0x` prefix); values `≥` the modulus
/// are `NotInField`.
pub fn from_hex<F: PrimeField>(s: &str, what: &'static str) -> Result<F, EncodingError> {
    let digits = s.strip_prefix("0x").unwrap_or(s);
    if digits.len() != 64 {
        return Err(EncodingError::WrongLength { what, expected: 32, got: digits.len() / 2 });
    }
    if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(EncodingError::Malformed { what, reason: "only hex digits are allowed" });
    }
    let value = BigUint::parse_bytes(digits.as_bytes(), 16)
        .ok_or(EncodingError::Malformed { what, reason: "not a hex number" })?;
    biguint_to_field(&value, what)
}

/// `x` as 64 lowercase big-endian hex digits, without prefix.
pub fn to_hex<F: PrimeField>(x: &F) -> String {
    let mut bytes = to_le_bytes(x);
    bytes.reverse();
    let mut s = String::with_capacity(64);
    for b in bytes {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// The modulus of `F` as an integer.
pub fn modulus<F: PrimeField>() -> BigUint {
    F::MODULUS.into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ff::{Field, One, Zero};

    #[test]
    fn decimal_round_trip_edges() {
        for x in [Fr::zero(), Fr::one(), -Fr::one(), Fr::from(2u64).pow([253u64])] {
            assert_eq!(from_decimal(&to_decimal(&x)), Ok(x));
        }
        assert_eq!(
            to_decimal(&(-Fr::one())),
            "21888242871839275222246405745257275088548364400416034343698204186575808495616"
        );
    }

    #[test]
    fn decimal_rejects_everything_non_canonical() {
        let r = FR_MODULUS_DECIMAL;
        let r_plus_1 = "21888242871839275222246405745257275088548364400416034343698204186575808495618";
        let two_256_minus_1 =
            "115792089237316195423570985008687907853269984665640564039457584007913129639935";
        for s in [r, r_plus_1, two_256_minus_1] {
            assert!(matches!(from_decimal(s), Err(EncodingError::NotInField { .. })), "{s}");
        }
        for s in ["", "-1", "+1", "01", " 1", "1 ", "0x1", "1e3", "1.0", "١"] {
            assert!(matches!(from_decimal(s), Err(EncodingError::Malformed { .. })), "{s:?}");
        }
        let long = "1".repeat(79);
        assert!(matches!(from_decimal(&long), Err(EncodingError::LimitExceeded { .. })));
    }

    #[test]
    fn bytes_reject_modulus_and_wrong_length() {
        let r_bytes = modulus::<Fr>().to_bytes_le();
        assert!(matches!(from_le_bytes::<Fr>(&r_bytes, "x"), Err(EncodingError::NonCanonical { .. })));
        assert!(matches!(from_le_bytes::<Fr>(&[0xff; 32], "x"), Err(EncodingError::NonCanonical { .. })));
        assert!(matches!(from_le_bytes::<Fr>(&[0; 31], "x"), Err(EncodingError::WrongLength { .. })));
        assert!(matches!(from_le_bytes::<Fr>(&[0; 33], "x"), Err(EncodingError::WrongLength { .. })));
        let x = -Fr::from(7u64);
        assert_eq!(from_le_bytes::<Fr>(&to_le_bytes(&x), "x"), Ok(x));
    }

    #[test]
    fn hex_round_trip_and_rejects() {
        let x = -Fr::from(5u64);
        let h = to_hex(&x);
        assert_eq!(h.len(), 64);
        assert_eq!(from_hex::<Fr>(&h, "x"), Ok(x));
        assert_eq!(from_hex::<Fr>(&format!("0x{h}"), "x"), Ok(x));
        assert!(from_hex::<Fr>(&"f".repeat(64), "x").is_err());
        assert!(from_hex::<Fr>(&"0".repeat(63), "x").is_err());
        assert!(from_hex::<Fr>(&format!("{}g", "0".repeat(63)), "x").is_err());
    }

    proptest::proptest! {
        #[test]
        fn decimal_round_trips_any_u256_below_modulus(bytes in proptest::array::uniform32(proptest::num::u8::ANY)) {
            let value = BigUint::from_bytes_le(&bytes);
            let parsed: Result<Fr, _> = decimal_to_field(&value.to_str_radix(10), "x");
            if value < modulus::<Fr>() {
                let x = parsed.expect("below modulus");
                proptest::prop_assert_eq!(to_decimal(&x), value.to_str_radix(10));
            } else {
                proptest::prop_assert!(parsed.is_err());
            }
        }
    }
}
