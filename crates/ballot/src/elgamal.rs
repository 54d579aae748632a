//! Exponential ElGamal on Baby Jubjub with one randomness and one key per option
//! (docs/spec/ballot.md §2, docs/decisions/0004).
//!
//! For an election with `k` options the key is `k` independent key pairs
//! `PK_i = sk_i·B` (`B` = Base8). A vote vector `v` with randomness `ρ` encrypts to
//!
//! ```text
//! c1   = ρ·B
//! c2_i = v_i·B + ρ·PK_i        (i = 1..k)
//! ```
//!
//! and decrypts to the point `c2_i − sk_i·c1 = v_i·B`. Ciphertexts add component
//! wise, so a tally is decrypted once per option. Reusing `ρ` across options is safe
//! because the keys are independent (multi-recipient ElGamal, Kurosawa 2002;
//! Bellare–Boldyreva–Staddon 2003): `(c1, c2_i)` under `PK_i` is an ordinary ElGamal
//! ciphertext, and the other components are simulatable from `c1` and the other
//! keys' secrets. The saving is in the ballot circuit: one fixed-base `ρ·B` and one
//! bit decomposition of `ρ` for all options.

use psephos_primitives::{Point, Scalar};
use rand_core::{CryptoRng, RngCore};
use zeroize::Zeroize;

use crate::BallotError;

/// The election public key: one subgroup point per option, none the identity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ElectionPublicKey {
    keys: Vec<Point>,
}

impl ElectionPublicKey {
    /// Wraps validated non-identity points (see [`Point::from_xy`], [`Point::non_identity`]).
    pub fn new(keys: Vec<Point>) -> Result<Self, BallotError> {
        for k in &keys {
            k.non_identity("election public key")?;
        }
        Ok(ElectionPublicKey { keys })
    }

    /// The per-option keys.
    pub fn keys(&self) -> &[Point] {
        &self.keys
    }

    /// The number of options.
    pub fn options(&self) -> usize {
        self.keys.len()
    }
}

/// The election secret key (one scalar per option). Zeroized on drop; `Debug` redacts.
#[derive(Clone)]
pub struct ElectionSecretKey {
    keys: Vec<Scalar>,
}

impl Drop for ElectionSecretKey {
    fn drop(&mut self) {
        for k in self.keys.iter_mut() {
            *k = Scalar::from(0u64);
        }
        self.keys.zeroize();
    }
}

impl std::fmt::Debug for ElectionSecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ElectionSecretKey(<{} redacted keys>)", self.keys.len())
    }
}

impl ElectionSecretKey {
    /// A fresh key for `options` options. (Threshold elections use the DKG instead.)
    pub fn random(options: usize, rng: &mut (impl RngCore + CryptoRng)) -> Self {
        let keys = (0..options).map(|_| random_nonzero_scalar(rng)).collect();
        ElectionSecretKey { keys }
    }

    /// Wraps scalars (each must be non-zero).
    pub fn from_scalars(keys: Vec<Scalar>) -> Result<Self, BallotError> {
        if keys.iter().any(|k| *k == Scalar::from(0u64)) {
            return Err(
                psephos_primitives::EncodingError::IdentityPoint { what: "election public key" }.into()
            );
        }
        Ok(ElectionSecretKey { keys })
    }

    /// The scalars. Secret!
    pub fn expose(&self) -> &[Scalar] {
        &self.keys
    }

    /// The matching public key.
    pub fn public_key(&self) -> ElectionPublicKey {
        ElectionPublicKey { keys: self.keys.iter().map(Point::mul_base8).collect() }
    }

    /// `c2_i − sk_i·c1` for every option: the points `v_i·B`.
    pub fn decrypt_points(&self, ct: &Ciphertext) -> Result<Vec<Point>, BallotError> {
        check_len(self.keys.len(), ct.c2.len())?;
        Ok(self.keys.iter().zip(&ct.c2).map(|(sk, c2)| *c2 - ct.c1.mul(sk)).collect())
    }
}

/// A uniformly random non-zero scalar.
pub fn random_nonzero_scalar(rng: &mut (impl RngCore + CryptoRng)) -> Scalar {
    use ark_ff::PrimeField;
    loop {
        let mut bytes = [0u8; 64];
        rng.fill_bytes(&mut bytes);
        let s = Scalar::from_le_bytes_mod_order(&bytes);
        bytes.zeroize();
        if s != Scalar::from(0u64) {
            return s;
        }
    }
}

/// An encrypted vote vector: `c1 = ρ·B`, `c2_i = v_i·B + ρ·PK_i`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ciphertext {
    /// `c1 = ρ·B`.
    pub c1: Point,
    /// `c2_i = v_i·B + ρ·PK_i`, one per option.
    pub c2: Vec<Point>,
}

fn check_len(expected: usize, got: usize) -> Result<(), BallotError> {
    if expected == got {
        Ok(())
    } else {
        Err(BallotError::OptionCountMismatch { expected, got })
    }
}

/// `v` as a scalar (negative votes wrap mod `l`).
pub fn vote_scalar(v: i64) -> Scalar {
    let magnitude = Scalar::from(v.unsigned_abs());
    if v < 0 {
        -magnitude
    } else {
        magnitude
    }
}

/// Encrypts `votes` under `pk` with the explicit randomness `rho`.
pub fn encrypt(pk: &ElectionPublicKey, votes: &[i64], rho: &Scalar) -> Result<Ciphertext, BallotError> {
    check_len(pk.options(), votes.len())?;
    let c1 = Point::mul_base8(rho);
    let c2 =
        pk.keys.iter().zip(votes).map(|(k, v)| Point::mul_base8(&vote_scalar(*v)) + k.mul(rho)).collect();
    Ok(Ciphertext { c1, c2 })
}

impl Ciphertext {
    /// The encryption of nothing: `(O, [O; k])`, the neutral element of [`Ciphertext::add`].
    pub fn zero(options: usize) -> Self {
        Ciphertext { c1: Point::IDENTITY, c2: vec![Point::IDENTITY; options] }
    }

    /// Homomorphic addition: encrypts the sum of the votes.
    pub fn add(&self, other: &Ciphertext) -> Result<Ciphertext, BallotError> {
        check_len(self.c2.len(), other.c2.len())?;
        Ok(Ciphertext {
            c1: self.c1 + other.c1,
            c2: self.c2.iter().zip(&other.c2).map(|(a, b)| *a + *b).collect(),
        })
    }

    /// Re-randomization: adds an encryption of zero with randomness `r`.
    pub fn rerandomize(&self, pk: &ElectionPublicKey, r: &Scalar) -> Result<Ciphertext, BallotError> {
        self.add(&encrypt(pk, &vec![0; self.c2.len()], r)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};

    #[test]
    fn decrypts_and_rerandomizes() {
        let mut rng = ChaCha20Rng::seed_from_u64(3);
        let sk = ElectionSecretKey::random(4, &mut rng);
        let pk = sk.public_key();
        let votes = [3, -3, 0, 1];
        let ct = encrypt(&pk, &votes, &random_nonzero_scalar(&mut rng)).unwrap();
        let pts = sk.decrypt_points(&ct).unwrap();
        for (p, v) in pts.iter().zip(votes) {
            assert_eq!(*p, Point::mul_base8(&vote_scalar(v)));
        }
        let re = ct.rerandomize(&pk, &random_nonzero_scalar(&mut rng)).unwrap();
        assert_ne!(re, ct);
        assert_eq!(sk.decrypt_points(&re).unwrap(), pts);
        assert!(matches!(
            encrypt(&pk, &[1, 2], &Scalar::from(5u64)),
            Err(BallotError::OptionCountMismatch { .. })
        ));
    }

    #[test]
    fn debug_redacts() {
        let mut rng = ChaCha20Rng::seed_from_u64(4);
        let sk = ElectionSecretKey::random(1, &mut rng);
        let secret = psephos_primitives::field::to_decimal(&sk.expose()[0]);
        assert!(!format!("{sk:?}").contains(&secret));
    }
}
