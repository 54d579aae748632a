//! Canonical encodings of Ristretto255 points and scalars, group ids and dedup
//! tags (docs/spec/registry.md §1).
//!
//! | value | bytes | text |
//! | --- | --- | --- |
//! | point | 32, RFC 9496 canonical encoding | 64 lowercase hex digits |
//! | scalar | 32, little-endian, `< ℓ` | 64 lowercase hex digits |
//! | dedup tag | 64, the RFC 9497 OPRF output | 128 lowercase hex digits |
//! | group id | 1–64 bytes of `[A-Za-z0-9._-]` | itself |
//!
//! Decoding rejects wrong lengths, upper-case or non-hex digits, non-canonical
//! point encodings (RFC 9496 §4.3.1), scalars `≥ ℓ` and, where a key or nonce is
//! expected, the identity point.

use std::fmt;

use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::IsIdentity;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::RegistryError;

/// Decodes lowercase hex of exactly `N` bytes.
pub(crate) fn hex_bytes<const N: usize>(s: &str, what: &'static str) -> Result<[u8; N], RegistryError> {
    if s.len() != 2 * N {
        return Err(RegistryError::malformed(
            what,
            format!("expected {} hex digits, got {}", 2 * N, s.len()),
        ));
    }
    if !s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return Err(RegistryError::malformed(what, "only lowercase hex digits are allowed"));
    }
    let mut out = [0u8; N];
    hex::decode_to_slice(s, &mut out).map_err(|e| RegistryError::malformed(what, e.to_string()))?;
    Ok(out)
}

/// Decodes a canonical Ristretto point (any point, the identity included).
pub fn point_from_bytes(bytes: &[u8], what: &'static str) -> Result<RistrettoPoint, RegistryError> {
    if bytes.len() != 32 {
        return Err(RegistryError::malformed(what, format!("expected 32 bytes, got {}", bytes.len())));
    }
    CompressedRistretto::from_slice(bytes)
        .map_err(|_| RegistryError::malformed(what, "expected 32 bytes"))?
        .decompress()
        .ok_or(RegistryError::NonCanonical(what))
}

/// Decodes a canonical, non-identity Ristretto point.
pub fn nonidentity_point_from_bytes(
    bytes: &[u8],
    what: &'static str,
) -> Result<RistrettoPoint, RegistryError> {
    let p = point_from_bytes(bytes, what)?;
    if p.is_identity() {
        return Err(RegistryError::IdentityPoint(what));
    }
    Ok(p)
}

/// Decodes a canonical scalar (`< ℓ`).
pub fn scalar_from_bytes(bytes: &[u8], what: &'static str) -> Result<Scalar, RegistryError> {
    let arr: [u8; 32] = bytes
        .try_into()
        .map_err(|_| RegistryError::malformed(what, format!("expected 32 bytes, got {}", bytes.len())))?;
    Option::from(Scalar::from_canonical_bytes(arr)).ok_or(RegistryError::NonCanonical(what))
}

/// Decodes 64 lowercase hex digits into a canonical, non-identity point.
pub fn nonidentity_point_from_hex(s: &str, what: &'static str) -> Result<RistrettoPoint, RegistryError> {
    nonidentity_point_from_bytes(&hex_bytes::<32>(s, what)?, what)
}

/// The hex text of a point.
pub fn point_to_hex(p: &RistrettoPoint) -> String {
    hex::encode(p.compress().as_bytes())
}

/// The longest group id, in bytes.
pub const MAX_GROUP_ID_BYTES: usize = 64;

/// The id of a registry group: 1–64 bytes of `[A-Za-z0-9._-]`. Every attestation
/// and policy signature binds it.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GroupId(String);

impl GroupId {
    /// Validates a group id.
    pub fn new(id: &str) -> Result<Self, RegistryError> {
        if id.is_empty() || id.len() > MAX_GROUP_ID_BYTES {
            return Err(RegistryError::malformed("group id", "must be 1 to 64 bytes"));
        }
        if !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_' || b == b'-') {
            return Err(RegistryError::malformed("group id", "only A-Z a-z 0-9 . _ - are allowed"));
        }
        Ok(GroupId(id.to_owned()))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for GroupId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "GroupId({})", self.0)
    }
}

impl fmt::Display for GroupId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for GroupId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for GroupId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        GroupId::new(&s).map_err(serde::de::Error::custom)
    }
}

/// A dedup tag: the 64-byte RFC 9497 `ristretto255-SHA512` OPRF output of a
/// person's uniqueness evidence under the group's dedup key.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DedupTag(pub [u8; 64]);

impl DedupTag {
    /// Parses 128 lowercase hex digits.
    pub fn from_hex(s: &str) -> Result<Self, RegistryError> {
        Ok(DedupTag(hex_bytes::<64>(s, "dedup tag")?))
    }

    /// 128 lowercase hex digits.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }
}

impl fmt::Debug for DedupTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DedupTag({})", self.to_hex())
    }
}

impl Serialize for DedupTag {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for DedupTag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        DedupTag::from_hex(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;

    // RFC 9496 Appendix A.2: invalid encodings (a selection of each class).
    const BAD: &[&str] = &[
        // non-canonical field encodings
        "00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "f3ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        // negative field elements
        "0100000000000000000000000000000000000000000000000000000000000000",
        "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "ed57ffd8c914fb201471d1c3d245ce3c746fcbe63a3679d51b6a516ebebe0e20",
        // non-square x^2
        "26948d35ca62e643e26a83177332e6b6afeb9d08e4268b650f1f5bbd8d81d371",
        "4eac077a713c57b4f4397629a4145982c661f48044dd3f96427d40b147d9742f",
        // negative x*y value
        "3eb858e78f5a7254d8c9731174a94f76755fd3941c0ac93735c07ba14579630e",
        "a45fdc55c76448c049a1ab33f17023edfb2be3581e9c7aade8a6125215e04220",
        // s = -1, which causes y = 0
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    ];

    #[test]
    fn rfc9496_invalid_encodings_rejected() {
        for h in BAD {
            let bytes = hex::decode(h).unwrap();
            assert_eq!(point_from_bytes(&bytes, "p"), Err(RegistryError::NonCanonical("p")), "{h}");
        }
    }

    #[test]
    fn lengths_identity_and_scalars() {
        assert!(matches!(point_from_bytes(&[0u8; 31], "p"), Err(RegistryError::Malformed { .. })));
        assert!(matches!(point_from_bytes(&[0u8; 33], "p"), Err(RegistryError::Malformed { .. })));
        assert_eq!(nonidentity_point_from_bytes(&[0u8; 32], "p"), Err(RegistryError::IdentityPoint("p")));
        let g = RISTRETTO_BASEPOINT_POINT.compress();
        assert!(nonidentity_point_from_bytes(g.as_bytes(), "p").is_ok());
        // ℓ itself and ℓ + 1 are non-canonical scalars; ℓ − 1 is fine.
        let l = hex::decode("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010").unwrap();
        assert_eq!(scalar_from_bytes(&l, "s"), Err(RegistryError::NonCanonical("s")));
        let mut l1 = l.clone();
        l1[0] += 1;
        assert_eq!(scalar_from_bytes(&l1, "s"), Err(RegistryError::NonCanonical("s")));
        let mut lm1 = l.clone();
        lm1[0] -= 1;
        assert_eq!(scalar_from_bytes(&lm1, "s").unwrap(), -Scalar::ONE);
        assert_eq!(scalar_from_bytes(&[0xff; 32], "s"), Err(RegistryError::NonCanonical("s")));
    }

    #[test]
    fn hex_and_group_ids() {
        let g = point_to_hex(&RISTRETTO_BASEPOINT_POINT);
        assert_eq!(g, "e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76"); // RFC 9496 A.1, B
        assert!(nonidentity_point_from_hex(&g.to_uppercase(), "p").is_err());
        assert!(nonidentity_point_from_hex(&g[..62], "p").is_err());
        assert!(DedupTag::from_hex(&"ab".repeat(64)).is_ok());
        assert!(DedupTag::from_hex(&"ab".repeat(63)).is_err());
        assert!(GroupId::new("town-hall_2026.v1").is_ok());
        for bad in ["", "a b", "ü", "a/b", &"x".repeat(65)] {
            assert!(GroupId::new(bad).is_err(), "{bad}");
        }
    }
}
