//! Chaum–Pedersen proof of discrete-log equality on Ristretto255: knowledge of
//! `k` with `K = k·G` and `Z = k·B` (docs/spec/registry.md §5.2).
//!
//! The caller's transcript has already absorbed the statement (`K`, `B`, `Z`
//! and the context). Prover: `A₁ = w·G`, `A₂ = w·B`, `c = H(T, A₁, A₂)`,
//! `s = w + c·k`; proof `(c, s)`. Verifier: `A₁ = s·G − c·K`, `A₂ = s·B − c·Z`,
//! recompute `c` and compare.

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_TABLE;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::VartimeMultiscalarMul;
use merlin::Transcript;
use rand_core::{CryptoRng, RngCore};
use zeroize::Zeroize;

use crate::encoding::scalar_from_bytes;
use crate::RegistryError;

/// A DLEQ proof `(c, s)` (64 bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DleqProof {
    c: Scalar,
    s: Scalar,
}

impl DleqProof {
    /// `c ‖ s`.
    pub fn to_bytes(&self) -> [u8; 64] {
        let mut out = [0u8; 64];
        out[..32].copy_from_slice(self.c.as_bytes());
        out[32..].copy_from_slice(self.s.as_bytes());
        out
    }

    /// Decodes `c ‖ s`; both scalars must be canonical.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, RegistryError> {
        if bytes.len() != 64 {
            return Err(RegistryError::malformed("DLEQ proof", "expected 64 bytes"));
        }
        Ok(DleqProof {
            c: scalar_from_bytes(&bytes[..32], "DLEQ challenge")?,
            s: scalar_from_bytes(&bytes[32..], "DLEQ response")?,
        })
    }
}

fn challenge(t: &mut Transcript, a1: &RistrettoPoint, a2: &RistrettoPoint) -> Scalar {
    t.append_message(b"A1", a1.compress().as_bytes());
    t.append_message(b"A2", a2.compress().as_bytes());
    let mut wide = [0u8; 64];
    t.challenge_bytes(b"c", &mut wide);
    Scalar::from_bytes_mod_order_wide(&wide)
}

/// Proves `log_G (k·G) = log_B (k·B)`.
pub(crate) fn prove(
    t: &mut Transcript,
    k: &Scalar,
    b: &RistrettoPoint,
    rng: &mut (impl RngCore + CryptoRng),
) -> DleqProof {
    let mut nonce_rng = t.build_rng().rekey_with_witness_bytes(b"k", k.as_bytes()).finalize(rng);
    let mut w = Scalar::random(&mut nonce_rng);
    let a1 = &w * RISTRETTO_BASEPOINT_TABLE;
    let a2 = w * b;
    let c = challenge(t, &a1, &a2);
    let s = w + c * k;
    w.zeroize();
    DleqProof { c, s }
}

/// Verifies a proof for `(K, B, Z)`.
pub(crate) fn verify(
    t: &mut Transcript,
    k_pub: &RistrettoPoint,
    b: &RistrettoPoint,
    z: &RistrettoPoint,
    proof: &DleqProof,
) -> Result<(), RegistryError> {
    let a1 = RistrettoPoint::vartime_double_scalar_mul_basepoint(&-proof.c, k_pub, &proof.s);
    let a2 = RistrettoPoint::vartime_multiscalar_mul([proof.s, -proof.c], [*b, *z]);
    if challenge(t, &a1, &a2) == proof.c {
        Ok(())
    } else {
        Err(RegistryError::InvalidPartialEvaluation { registrar: 0 })
    }
}
