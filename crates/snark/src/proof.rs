//! The Groth16 proof `π = (A, B, C)`: a validated value and its binary and
//! Semaphore-packed encodings (docs/snark.md §"Formats").
//!
//! A [`Proof`] only exists with `A, C ∈ G1` and `B ∈ G2`, each on its curve, in the
//! subgroup of order `r` and not the identity ("parse, then trust"). Whether it
//! *verifies* is a separate question for [`verify`](crate::verifier::verify).
//!
//! # Malleability
//!
//! Groth16 proofs are re-randomizable: from a valid `(A, B, C)` anyone can compute
//! another valid proof of the same statement without knowing the witness
//! ([`Proof::rerandomize`], [BKSV20, Fig. 1]). The proof bytes are therefore *not* a
//! unique identifier of a submission: an application that must accept a statement
//! once deduplicates on a public input (Semaphore's nullifier), never on the proof.
//!
//! [BKSV20]: https://eprint.iacr.org/2020/811

use ark_bn254::{Bn254, Fq, Fq2, G1Affine, G2Affine};
use psephos_primitives::field::{decimal_to_field, to_decimal};
use rand_core::{CryptoRng, RngCore};

use crate::point::{
    check_g1, check_g2, g1_from_compressed, g1_from_xy, g1_to_compressed, g2_from_compressed, g2_from_xy,
    g2_to_compressed, G1_COMPRESSED_LEN, G2_COMPRESSED_LEN,
};
use crate::{VerifyError, VerifyingKey};

/// The version byte of the compact proof encoding.
pub const PROOF_VERSION: u8 = 0x01;

/// Length of [`Proof::to_bytes`]: `1 + 32 + 64 + 32`.
pub const PROOF_BYTES_LEN: usize = 1 + G1_COMPRESSED_LEN + G2_COMPRESSED_LEN + G1_COMPRESSED_LEN;

/// Names of the 8 elements of Semaphore's packed proof, in order.
pub const SEMAPHORE_PACKED_NAMES: [&str; 8] =
    ["pi_a.x", "pi_a.y", "pi_b.x.c1", "pi_b.x.c0", "pi_b.y.c1", "pi_b.y.c0", "pi_c.x", "pi_c.y"];

/// A validated Groth16 proof over BN254.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proof {
    /// `A ∈ G1`.
    a: G1Affine,
    /// `B ∈ G2`.
    b: G2Affine,
    /// `C ∈ G1`.
    c: G1Affine,
}

impl Proof {
    /// Builds a proof from its three points, checking each (curve, subgroup,
    /// non-identity).
    pub fn from_points(a: G1Affine, b: G2Affine, c: G1Affine) -> Result<Self, VerifyError> {
        check_g1(&a, "pi_a")?;
        check_g2(&b, "pi_b")?;
        check_g1(&c, "pi_c")?;
        Ok(Self { a, b, c })
    }

    /// Validates an arkworks proof.
    pub fn from_ark(proof: &ark_groth16::Proof<Bn254>) -> Result<Self, VerifyError> {
        Self::from_points(proof.a, proof.b, proof.c)
    }

    /// The arkworks form of this proof.
    pub fn to_ark(&self) -> ark_groth16::Proof<Bn254> {
        ark_groth16::Proof { a: self.a, b: self.b, c: self.c }
    }

    /// `A ∈ G1`.
    pub fn a(&self) -> &G1Affine {
        &self.a
    }

    /// `B ∈ G2`.
    pub fn b(&self) -> &G2Affine {
        &self.b
    }

    /// `C ∈ G1`.
    pub fn c(&self) -> &G1Affine {
        &self.c
    }

    /// The compact encoding, [`PROOF_BYTES_LEN`] = 129 bytes:
    ///
    /// ```text
    /// 0x01 || A (32) || B (64) || C (32)
    /// ```
    ///
    /// each point in arkworks' compressed form: `x` little-endian (for G2: `x.c0`
    /// then `x.c1`), the two top bits of the last byte are flags (bit 7: `y` is
    /// the larger of `±y`; bit 6: infinity, never set here). This equals
    /// `0x01 || CanonicalSerialize::serialize_compressed(ark_groth16::Proof)`.
    pub fn to_bytes(&self) -> [u8; PROOF_BYTES_LEN] {
        let mut out = [0u8; PROOF_BYTES_LEN];
        out[0] = PROOF_VERSION;
        out[1..33].copy_from_slice(&g1_to_compressed(&self.a));
        out[33..97].copy_from_slice(&g2_to_compressed(&self.b));
        out[97..129].copy_from_slice(&g1_to_compressed(&self.c));
        out
    }

    /// Decodes [`to_bytes`](Self::to_bytes)' form.
    ///
    /// Refuses: an empty input, an unknown version, any length other than 129
    /// (truncated or trailing bytes) — all `Malformed`; then per point: both flag
    /// bits set (`Malformed`), a coordinate `≥ q` or a non-canonical re-encoding
    /// (`NonCanonical`), no `y` for `x` (`NotOnCurve`), outside the `r`-subgroup
    /// (`NotInSubgroup`), the infinity flag (`IdentityPoint`).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, VerifyError> {
        let Some(&version) = bytes.first() else {
            return Err(VerifyError::malformed("proof", "empty input"));
        };
        if version != PROOF_VERSION {
            return Err(VerifyError::malformed("proof", format!("unknown version byte 0x{version:02x}")));
        }
        if bytes.len() != PROOF_BYTES_LEN {
            return Err(VerifyError::malformed(
                "proof",
                format!("expected {PROOF_BYTES_LEN} bytes, got {}", bytes.len()),
            ));
        }
        let a = g1_from_compressed(&bytes[1..33], "pi_a")?;
        let b = g2_from_compressed(&bytes[33..97], "pi_b")?;
        let c = g1_from_compressed(&bytes[97..129], "pi_c")?;
        Ok(Self { a, b, c })
    }

    /// Semaphore's packed proof (`packGroth16Proof` of `@zk-kit/utils` 1.3.0, the
    /// `points` of a `SemaphoreProof` and the Solidity verifier's calldata order):
    /// eight decimal strings
    ///
    /// ```text
    /// [A.x, A.y, B.x.c1, B.x.c0, B.y.c1, B.y.c0, C.x, C.y]
    /// ```
    ///
    /// Note the G2 coordinates are `[c1, c0]` here but `[c0, c1]` in snarkjs JSON.
    pub fn to_semaphore_packed(&self) -> [String; 8] {
        [
            to_decimal(&self.a.x),
            to_decimal(&self.a.y),
            to_decimal(&self.b.x.c1),
            to_decimal(&self.b.x.c0),
            to_decimal(&self.b.y.c1),
            to_decimal(&self.b.y.c0),
            to_decimal(&self.c.x),
            to_decimal(&self.c.y),
        ]
    }

    /// Parses Semaphore's packed proof (see [`to_semaphore_packed`](Self::to_semaphore_packed)).
    ///
    /// Exactly 8 canonical decimal strings, each `< q` (`NotInField` otherwise,
    /// never reduced); the points are then checked like every other decoder's.
    pub fn from_semaphore_packed<S: AsRef<str>>(packed: &[S]) -> Result<Self, VerifyError> {
        if packed.len() != 8 {
            return Err(VerifyError::malformed(
                "packed proof",
                format!("expected 8 elements, got {}", packed.len()),
            ));
        }
        let mut v = [Fq::from(0u64); 8];
        for (i, (s, name)) in packed.iter().zip(SEMAPHORE_PACKED_NAMES).enumerate() {
            v[i] = decimal_to_field::<Fq>(s.as_ref(), name)?;
        }
        let a = g1_from_xy(v[0], v[1], "pi_a")?;
        let b = g2_from_xy(Fq2::new(v[3], v[2]), Fq2::new(v[5], v[4]), "pi_b")?;
        let c = g1_from_xy(v[6], v[7], "pi_c")?;
        Ok(Self { a, b, c })
    }

    /// A fresh proof of the same statement, computed without the witness:
    /// `A' = A/r₁`, `B' = r₁B + r₁r₂·δ`, `C' = C + r₂A` for random non-zero
    /// `r₁, r₂` ([BKSV20, Fig. 1], arkworks' `Groth16::rerandomize_proof`).
    ///
    /// The result verifies whenever `self` does: Groth16 is malleable by design. It
    /// exists here to document and test that property (see the module docs); it
    /// also lets a holder unlink two presentations of one proof.
    ///
    /// Fails only if a re-randomized point is the identity (probability ≈ 2⁻²⁵⁴).
    ///
    /// [BKSV20]: https://eprint.iacr.org/2020/811
    pub fn rerandomize(
        &self,
        vk: &VerifyingKey,
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<Self, VerifyError> {
        let fresh = ark_groth16::Groth16::<Bn254>::rerandomize_proof(vk.as_ark(), &self.to_ark(), rng);
        Self::from_ark(&fresh)
    }
}
