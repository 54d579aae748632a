//! Semaphore's `hash` of messages and scopes (docs/spec/identity.md §4).
//!
//! `hash(x) = keccak256(x as a 32-byte big-endian word) >> 8`, so the result is
//! below `2²⁴⁸ < r`. Input rules follow `@semaphore-protocol/proof` 4.14.3
//! (`toBigInt` then `hash`), see [`message_to_int`]; raw bytes are a big-endian
//! number. Values `≥ 2²⁵⁶` and negative numbers are errors.

use num_bigint::BigUint;
use psephos_primitives::Fr;
use sha3::{Digest, Keccak256};

use crate::IdentityError;

/// Hashes a 32-byte big-endian word: `keccak256(word) >> 8`.
pub fn semaphore_hash_word(word: &[u8; 32]) -> Fr {
    let digest = Keccak256::digest(word);
    let value = BigUint::from_bytes_be(&digest) >> 8u32;
    Fr::from(value)
}

/// Hashes a non-negative integer `< 2²⁵⁶`.
pub fn semaphore_hash_int(value: &BigUint) -> Result<Fr, IdentityError> {
    let bytes = value.to_bytes_be();
    if bytes.len() > 32 {
        return Err(IdentityError::InvalidMessage("the value does not fit in 32 bytes"));
    }
    let mut word = [0u8; 32];
    word[32 - bytes.len()..].copy_from_slice(&bytes);
    Ok(semaphore_hash_word(&word))
}

/// Longest accepted message input (bytes or characters), refused before parsing.
pub const MAX_MESSAGE_LEN: usize = 4096;

/// Hashes raw bytes read as a big-endian number (leading zero bytes do not count
/// towards the 32-byte limit, as in Semaphore).
pub fn semaphore_hash_bytes(bytes: &[u8]) -> Result<Fr, IdentityError> {
    if bytes.len() > MAX_MESSAGE_LEN {
        return Err(IdentityError::InvalidMessage("message longer than 4096 bytes"));
    }
    semaphore_hash_int(&BigUint::from_bytes_be(bytes))
}

/// Hashes a string with Semaphore's rules (see [`message_to_int`]).
pub fn semaphore_hash_str(s: &str) -> Result<Fr, IdentityError> {
    semaphore_hash_int(&message_to_int(s)?)
}

/// JavaScript's `StrWhiteSpaceChar` (what `BigInt(string)` trims).
fn is_js_whitespace(c: char) -> bool {
    matches!(
        c,
        '\u{9}'..='\u{d}'
            | ' '
            | '\u{a0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200a}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}'
            | '\u{feff}'
    )
}

/// Whether JavaScript's `BigInt(s)` would parse `s` as a number.
fn is_js_bigint_literal(s: &str) -> bool {
    let t = s.trim_matches(is_js_whitespace);
    if t.is_empty() {
        return true;
    }
    let radix_digits = |rest: &str, ok: fn(char) -> bool| !rest.is_empty() && rest.chars().all(ok);
    if let Some(rest) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        return radix_digits(rest, |c| c.is_ascii_hexdigit());
    }
    if let Some(rest) = t.strip_prefix("0o").or_else(|| t.strip_prefix("0O")) {
        return radix_digits(rest, |c| ('0'..='7').contains(&c));
    }
    if let Some(rest) = t.strip_prefix("0b").or_else(|| t.strip_prefix("0B")) {
        return radix_digits(rest, |c| c == '0' || c == '1');
    }
    let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
    radix_digits(unsigned, |c| c.is_ascii_digit())
}

/// The integer Semaphore v4 hashes for a string message or scope
/// (`@semaphore-protocol/proof`'s `toBigInt`, pinned by the `SemaphoreMessage*`
/// vectors):
///
/// - decimal digits (leading zeros allowed) or `0x`/`0X` + hex digits: that number;
/// - any other text: its UTF-8 bytes right-padded with zeros to 32 bytes, at most
///   31 bytes (the empty string is 0);
/// - what JavaScript would read as a *negative* number (`-1`, `-0x10`, ` -5`) is an
///   error, as in Semaphore;
/// - strings that JavaScript's `BigInt` syntax alone turns into numbers — padded with
///   whitespace, `+5`, `0b101`, `0o17`, a lone `-` or `-0` — are refused as ambiguous
///   (Semaphore reads them as numbers, a reader would not; psephos never produces a
///   different integer than Semaphore, it only declines).
pub fn message_to_int(s: &str) -> Result<BigUint, IdentityError> {
    if s.len() > MAX_MESSAGE_LEN {
        return Err(IdentityError::InvalidMessage("message longer than 4096 bytes"));
    }
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return BigUint::parse_bytes(s.as_bytes(), 10)
            .ok_or(IdentityError::InvalidMessage("malformed decimal number"));
    }
    if let Some(hex) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return BigUint::parse_bytes(hex.as_bytes(), 16)
                .ok_or(IdentityError::InvalidMessage("malformed hex number"));
        }
    }
    if let Some(rest) = s.strip_prefix('-') {
        if !rest.starts_with('-') && is_js_bigint_literal(rest) {
            return Err(IdentityError::InvalidMessage("negative numbers are not allowed"));
        }
    }
    if !s.is_empty() && is_js_bigint_literal(s) {
        let t = s.trim_matches(is_js_whitespace);
        return Err(if t.starts_with('-') {
            IdentityError::InvalidMessage("negative numbers are not allowed")
        } else {
            IdentityError::InvalidMessage("ambiguous number syntax (whitespace, sign, 0b or 0o)")
        });
    }
    let bytes = s.as_bytes();
    if bytes.len() > 31 {
        return Err(IdentityError::InvalidMessage("text longer than 31 bytes"));
    }
    let mut word = [0u8; 32];
    word[..bytes.len()].copy_from_slice(bytes);
    Ok(BigUint::from_bytes_be(&word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_out_of_range() {
        let too_big = format!("0x1{}", "0".repeat(64));
        assert!(semaphore_hash_str(&too_big).is_err());
        assert!(semaphore_hash_str(&"a".repeat(32)).is_err());
        assert!(semaphore_hash_str("-1").is_err());
        assert!(semaphore_hash_str(" 5").is_err());
        assert!(semaphore_hash_bytes(&[1u8; 33]).is_err());
        assert!(semaphore_hash_bytes(&[0u8; 5000]).is_err());
        assert!(semaphore_hash_str(&"a".repeat(31)).is_ok());
    }

    #[test]
    fn decimal_and_hex_agree() {
        assert_eq!(semaphore_hash_str("255").unwrap(), semaphore_hash_str("0xff").unwrap());
        assert_eq!(semaphore_hash_str("255").unwrap(), semaphore_hash_bytes(&[0xff]).unwrap());
    }
}
