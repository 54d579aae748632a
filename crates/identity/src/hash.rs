//! Semaphore's `hash` of messages and scopes (docs/spec/identity.md §4).
//!
//! `hash(x) = keccak256(x as a 32-byte big-endian word) >> 8`, so the result is
//! below `2²⁴⁸ < r`. Input rules follow `@semaphore-protocol/utils`:
//! a decimal string or a `0x`-hex string is a number; any other text is its UTF-8
//! bytes right-padded with zeros to 32 bytes (at most 31 bytes, like ethers'
//! `encodeBytes32String`); raw bytes are a big-endian number. Values `≥ 2²⁵⁶` and
//! negative numbers are errors.

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

/// Hashes raw bytes read as a big-endian number (at most 32 bytes).
pub fn semaphore_hash_bytes(bytes: &[u8]) -> Result<Fr, IdentityError> {
    if bytes.len() > 32 {
        return Err(IdentityError::InvalidMessage("more than 32 bytes"));
    }
    semaphore_hash_int(&BigUint::from_bytes_be(bytes))
}

/// Hashes a string with Semaphore's rules: decimal → number, `0x`-hex → number,
/// other text → UTF-8 right-padded to 32 bytes (≤ 31 bytes).
pub fn semaphore_hash_str(s: &str) -> Result<Fr, IdentityError> {
    semaphore_hash_int(&message_to_int(s)?)
}

/// The integer Semaphore hashes for a string message (see [`semaphore_hash_str`]).
pub fn message_to_int(s: &str) -> Result<BigUint, IdentityError> {
    if let Some(hex) = s.strip_prefix("0x") {
        if hex.is_empty() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(IdentityError::InvalidMessage("malformed 0x-hex number"));
        }
        if hex.len() > 64 && hex.trim_start_matches('0').len() > 64 {
            return Err(IdentityError::InvalidMessage("the value does not fit in 32 bytes"));
        }
        return BigUint::parse_bytes(hex.as_bytes(), 16)
            .ok_or(IdentityError::InvalidMessage("malformed 0x-hex number"));
    }
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        if s.len() > 78 {
            return Err(IdentityError::InvalidMessage("the value does not fit in 32 bytes"));
        }
        return BigUint::parse_bytes(s.as_bytes(), 10)
            .ok_or(IdentityError::InvalidMessage("malformed decimal number"));
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
        assert!(semaphore_hash_str("0x").is_err());
        assert!(semaphore_hash_str("0xzz").is_err());
        assert!(semaphore_hash_bytes(&[1u8; 33]).is_err());
        assert!(semaphore_hash_str(&"a".repeat(31)).is_ok());
    }

    #[test]
    fn decimal_and_hex_agree() {
        assert_eq!(semaphore_hash_str("255").unwrap(), semaphore_hash_str("0xff").unwrap());
        assert_eq!(semaphore_hash_str("255").unwrap(), semaphore_hash_bytes(&[0xff]).unwrap());
    }
}
