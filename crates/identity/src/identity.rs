//! Semaphore v4 identities (docs/spec/identity.md §1).
//!
//! ```text
//! h       = BLAKE-512(private key bytes)            (the original BLAKE, not BLAKE2)
//! b       = h[0..32];  b[0] &= 0xf8;  b[31] &= 0x7f;  b[31] |= 0x40
//! secret  = (LE(b) >> 3) mod l
//! pk      = secret · Base8
//! commitment = Poseidon(pk.x, pk.y)
//! ```
//!
//! A text private key is its UTF-8 bytes, even when it looks like hex; the empty
//! key is allowed (as in Semaphore). The export is the standard base64 of the key bytes.

use std::fmt;

use base64::Engine as _;
use blake_hash::{Blake512, Digest};
use num_bigint::BigUint;
use psephos_primitives::{babyjubjub::Scalar, poseidon, Fr, Point};
use rand_core::{CryptoRng, RngCore};
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::IdentityError;

/// Largest accepted private key, in bytes (refused before decoding).
pub const MAX_PRIVATE_KEY_BYTES: usize = 4096;

/// A Semaphore v4 identity. Holds the private key; zeroized on drop; `Debug`
/// shows only the commitment.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Identity {
    private_key: Vec<u8>,
    #[zeroize(skip)]
    secret_scalar: SecretScalar,
    #[zeroize(skip)]
    public_key: Point,
    #[zeroize(skip)]
    commitment: Fr,
}

/// The secret scalar `s < l`. Zeroized on drop, redacted in `Debug`, compared in
/// constant time.
#[derive(Clone)]
pub struct SecretScalar(Scalar);

impl SecretScalar {
    /// The scalar, for provers and nullifier derivation. Handle with care.
    pub fn expose(&self) -> &Scalar {
        &self.0
    }

    /// The scalar as an element of the SNARK field (exact: `l < r`).
    pub fn to_field(&self) -> Fr {
        let big: BigUint = ark_ff::PrimeField::into_bigint(self.0).into();
        Fr::from(big)
    }
}

impl Drop for SecretScalar {
    fn drop(&mut self) {
        // Scalar is Copy with no Zeroize impl: overwrite with zero.
        self.0 = Scalar::from(0u64);
        std::hint::black_box(&self.0);
    }
}

impl fmt::Debug for SecretScalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretScalar(<redacted>)")
    }
}

impl ConstantTimeEq for SecretScalar {
    fn ct_eq(&self, other: &Self) -> subtle::Choice {
        psephos_primitives::field::to_le_bytes(&self.0)
            .ct_eq(&psephos_primitives::field::to_le_bytes(&other.0))
    }
}

/// Derives the secret scalar from private-key bytes (Semaphore's `deriveSecretScalar`).
pub fn derive_secret_scalar(private_key: &[u8]) -> SecretScalar {
    let mut digest = Blake512::digest(private_key);
    let mut bytes = Zeroizing::new([0u8; 32]);
    bytes.copy_from_slice(&digest[..32]);
    digest.as_mut_slice().zeroize();
    bytes[0] &= 0xf8;
    bytes[31] &= 0x7f;
    bytes[31] |= 0x40;
    let value = BigUint::from_bytes_le(&bytes[..]) >> 3u32;
    // `Scalar::from(BigUint)` reduces mod l, as Semaphore does.
    SecretScalar(Scalar::from(value))
}

impl Identity {
    /// The identity of the given private-key bytes.
    pub fn from_private_key(private_key: &[u8]) -> Self {
        let secret_scalar = derive_secret_scalar(private_key);
        let public_key = Point::mul_base8(secret_scalar.expose());
        let commitment = poseidon::hash2(public_key.x(), public_key.y());
        Identity { private_key: private_key.to_vec(), secret_scalar, public_key, commitment }
    }

    /// The identity of a text private key (its UTF-8 bytes).
    pub fn from_text(private_key: &str) -> Self {
        Self::from_private_key(private_key.as_bytes())
    }

    /// A fresh identity from 32 random bytes (as `new Identity()` does).
    pub fn random(rng: &mut (impl RngCore + CryptoRng)) -> Self {
        let mut key = Zeroizing::new([0u8; 32]);
        rng.fill_bytes(&mut key[..]);
        Self::from_private_key(&key[..])
    }

    /// Imports Semaphore's `export()` string (standard base64 of the key bytes).
    pub fn import(export: &str) -> Result<Self, IdentityError> {
        if export.len() > MAX_PRIVATE_KEY_BYTES * 2 {
            return Err(psephos_primitives::EncodingError::LimitExceeded {
                what: "private key export",
                limit: MAX_PRIVATE_KEY_BYTES * 2,
            }
            .into());
        }
        let bytes = Zeroizing::new(
            base64::engine::general_purpose::STANDARD
                .decode(export.trim_end_matches(['\n', '\r']))
                .map_err(|_| IdentityError::MalformedExport)?,
        );
        Ok(Self::from_private_key(&bytes))
    }

    /// Semaphore's `export()`: standard base64 of the private-key bytes. Secret!
    pub fn export(&self) -> Zeroizing<String> {
        Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(&self.private_key))
    }

    /// The private-key bytes. Secret!
    pub fn private_key(&self) -> &[u8] {
        &self.private_key
    }

    /// The secret scalar `s < l`.
    pub fn secret_scalar(&self) -> &SecretScalar {
        &self.secret_scalar
    }

    /// The public key `s · Base8`.
    pub fn public_key(&self) -> Point {
        self.public_key
    }

    /// The identity commitment `Poseidon(pk.x, pk.y)`.
    pub fn commitment(&self) -> Fr {
        self.commitment
    }
}

impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Identity")
            .field("commitment", &psephos_primitives::field::to_decimal(&self.commitment))
            .finish_non_exhaustive()
    }
}

impl PartialEq for Identity {
    /// Constant-time comparison of the secret scalars.
    fn eq(&self, other: &Self) -> bool {
        self.secret_scalar.ct_eq(&other.secret_scalar).into()
    }
}

impl Eq for Identity {}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::rand_core::SeedableRng;

    #[test]
    fn debug_never_shows_secrets() {
        let id = Identity::from_text("correct horse battery staple");
        let secret = psephos_primitives::field::to_decimal(id.secret_scalar().expose());
        let shown = format!("{id:?} {:?}", id.secret_scalar());
        assert!(!shown.contains(&secret));
        assert!(!shown.contains("correct horse"));
        assert!(!shown.contains(id.export().as_str()));
        assert!(shown.contains("redacted"));
    }

    #[test]
    fn export_import_round_trip() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(7);
        let id = Identity::random(&mut rng);
        let back = Identity::import(&id.export()).unwrap();
        assert_eq!(back, id);
        assert_eq!(back.commitment(), id.commitment());
        assert_eq!(Identity::import("not base64!"), Err(IdentityError::MalformedExport));
    }

    #[test]
    fn secret_is_below_l_and_public_key_matches() {
        let id = Identity::from_text("");
        assert_eq!(id.public_key(), Point::mul_base8(id.secret_scalar().expose()));
        assert_ne!(Identity::from_text("a"), Identity::from_text("b"));
    }
}

/// An EdDSA-Poseidon signature as Semaphore's `signMessage` produces it
/// (circomlib's `signPoseidon`): `(R8, S)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Signature {
    /// The commitment point `R8 = r·Base8`.
    pub r8: Point,
    /// The response `S < l`.
    pub s: Scalar,
}

/// Verifies an EdDSA-Poseidon signature (docs/spec/identity.md §1.1):
/// `S·Base8 = R8 + (8·h)·A` with `h = Poseidon(R8.x, R8.y, A.x, A.y, message)`.
/// The types guarantee `S < l` and that `R8` and `A` are subgroup points.
pub fn verify_signature(public_key: &Point, message: Fr, signature: &Signature) -> Result<(), IdentityError> {
    if public_key.is_identity() {
        return Err(psephos_primitives::EncodingError::IdentityPoint { what: "public key" }.into());
    }
    let h = poseidon::hash(&[signature.r8.x(), signature.r8.y(), public_key.x(), public_key.y(), message])
        .expect("arity 5 is supported");
    let h_big: BigUint = ark_ff::PrimeField::into_bigint(h).into();
    let k = Scalar::from(h_big * 8u32);
    if Point::mul_base8(&signature.s) == signature.r8 + public_key.mul(&k) {
        Ok(())
    } else {
        Err(IdentityError::InvalidSignature)
    }
}
