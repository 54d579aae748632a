//! Strict hex encodings and `serde` helpers for group elements and proofs.
//!
//! Hex is lowercase, without `0x`, of the exact byte length; anything else is
//! refused (`Malformed`, `WrongLength`), so every value has one text encoding.
//! Use the modules with `#[serde(with = "psephos_sigma::encoding::element_hex")]`
//! on a field of type `G: PrimeGroup`, or `elements_hex` on a `Vec<G>`.

use psephos_primitives::{EncodingError, PrimeGroup};

/// Lowercase hex of `bytes`.
pub fn to_hex(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

/// Strict lowercase hex of exactly `len` bytes.
pub fn from_hex(s: &str, len: usize, what: &'static str) -> Result<Vec<u8>, EncodingError> {
    if s.len() != 2 * len {
        return Err(EncodingError::WrongLength { what, expected: len, got: s.len() / 2 });
    }
    if !s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return Err(EncodingError::Malformed { what, reason: "not lowercase hex" });
    }
    hex::decode(s).map_err(|_| EncodingError::Malformed { what, reason: "not lowercase hex" })
}

/// Decodes a group element from strict hex (identity accepted, see [`PrimeGroup::decode`]).
pub fn element_from_hex<G: PrimeGroup>(s: &str, what: &'static str) -> Result<G, EncodingError> {
    G::decode(&from_hex(s, psephos_primitives::group::ENCODED_LEN, what)?, what)
}

/// Encodes a group element as hex.
pub fn element_to_hex<G: PrimeGroup>(p: &G) -> String {
    to_hex(&p.encode())
}

/// Encodes a scalar as hex (32 bytes, canonical).
pub fn scalar_to_hex<G: PrimeGroup>(k: &G::Scalar) -> String {
    to_hex(&G::encode_scalar(k))
}

/// Decodes a scalar from strict hex (exact length, value `< q`).
pub fn scalar_from_hex<G: PrimeGroup>(s: &str, what: &'static str) -> Result<G::Scalar, EncodingError> {
    G::decode_scalar(&from_hex(s, psephos_primitives::group::ENCODED_LEN, what)?, what)
}

/// `serde` for one group element as strict hex (identity accepted).
pub mod element_hex {
    use psephos_primitives::PrimeGroup;
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    /// Serializes `p` as lowercase hex.
    pub fn serialize<G: PrimeGroup, S: Serializer>(p: &G, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::element_to_hex(p))
    }

    /// Deserializes strict hex into a validated element.
    pub fn deserialize<'de, G: PrimeGroup, D: Deserializer<'de>>(d: D) -> Result<G, D::Error> {
        let s = String::deserialize(d)?;
        super::element_from_hex(&s, "group element").map_err(D::Error::custom)
    }
}

/// `serde` for a list of group elements as a JSON array of strict hex strings.
pub mod elements_hex {
    use psephos_primitives::PrimeGroup;
    use serde::{de::Error, ser::SerializeSeq, Deserialize, Deserializer, Serializer};

    /// Serializes every element as lowercase hex.
    pub fn serialize<G: PrimeGroup, S: Serializer>(ps: &[G], s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(ps.len()))?;
        for p in ps {
            seq.serialize_element(&super::element_to_hex(p))?;
        }
        seq.end()
    }

    /// Deserializes an array of strict hex strings into validated elements.
    pub fn deserialize<'de, G: PrimeGroup, D: Deserializer<'de>>(d: D) -> Result<Vec<G>, D::Error> {
        let v = Vec::<String>::deserialize(d)?;
        v.iter().map(|s| super::element_from_hex(s, "group element").map_err(D::Error::custom)).collect()
    }
}

/// Implements `Serialize`/`Deserialize` as strict hex of `to_bytes`/`from_bytes`.
macro_rules! serde_via_bytes {
    ($ty:ident, $len:expr, $what:expr) => {
        impl<G: PrimeGroup> serde::Serialize for $ty<G> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&$crate::encoding::to_hex(&self.to_bytes()))
            }
        }

        impl<'de, G: PrimeGroup> serde::Deserialize<'de> for $ty<G> {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                use serde::de::Error;
                let s = String::deserialize(d)?;
                let bytes = $crate::encoding::from_hex(&s, $len, $what).map_err(D::Error::custom)?;
                Self::from_bytes(&bytes).map_err(D::Error::custom)
            }
        }
    };
}
pub(crate) use serde_via_bytes;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_strict() {
        assert_eq!(from_hex("00ff", 2, "x"), Ok(vec![0, 255]));
        assert!(from_hex("00FF", 2, "x").is_err());
        assert!(from_hex("0xff", 2, "x").is_err());
        assert!(from_hex("00ff00", 2, "x").is_err());
        assert!(from_hex("0g", 1, "x").is_err());
    }

    #[test]
    fn scalar_hex_is_canonical() {
        use psephos_primitives::RistrettoPoint as G;
        let k = G::scalar_from_u64(7);
        assert_eq!(scalar_from_hex::<G>(&scalar_to_hex::<G>(&k), "k"), Ok(k));
        // ℓ = 2^252 + 27742317777372353535851937790883648493 (RFC 9496) is refused.
        let l = "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010";
        assert!(scalar_from_hex::<G>(l, "k").is_err());
        assert!(scalar_from_hex::<G>(&"ff".repeat(32), "k").is_err());
    }
}
