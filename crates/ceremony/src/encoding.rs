//! Point and field encodings of snarkjs files.
//!
//! - **LEM** (in `.ptau` / `.zkey`): affine `x‖y`, each coordinate 32 bytes
//!   little-endian in Montgomery form (`v·2²⁵⁶ mod q`); G2 as `x.c0‖x.c1‖y.c0‖y.c1`;
//!   the point at infinity is all zeros.
//! - **U** (hashed): big-endian standard-form `x‖y`; G2 as `x.c1‖x.c0‖y.c1‖y.c0`.
//!   Batch form writes infinity as zeros, single form as `0x40` then zeros.
//! - **Standard LE** (`.r1cs` coefficients, headers): 32 bytes little-endian.
//!
//! Decoders are strict: coordinates `< q`, points on the curve, G2 points in the
//! prime-order subgroup.

use ark_bn254::{Fq, Fq2, Fr, G1Affine, G2Affine};
use ark_ec::AffineRepr;
use ark_ff::{BigInt, BigInteger, PrimeField};

use crate::error::DecodeError;

/// Bytes of a field element.
pub const N8: usize = 32;
/// Bytes of a G1 point in LEM or U form.
pub const G1_BYTES: usize = 64;
/// Bytes of a G2 point in LEM or U form.
pub const G2_BYTES: usize = 128;

fn bigint_le(b: &[u8]) -> BigInt<4> {
    let mut limbs = [0u64; 4];
    for (i, l) in limbs.iter_mut().enumerate() {
        let mut w = [0u8; 8];
        w.copy_from_slice(&b[8 * i..8 * i + 8]);
        *l = u64::from_le_bytes(w);
    }
    BigInt::new(limbs)
}

fn bigint_to_le(v: &BigInt<4>, out: &mut [u8]) {
    for (i, l) in v.0.iter().enumerate() {
        out[8 * i..8 * i + 8].copy_from_slice(&l.to_le_bytes());
    }
}

/// An `Fq` from 32 LE Montgomery bytes, refusing values `≥ q`.
pub fn fq_from_lem(b: &[u8], file: &'static str, what: &dyn Fn() -> String) -> Result<Fq, DecodeError> {
    let v = bigint_le(b);
    if v >= Fq::MODULUS {
        return Err(DecodeError::NonCanonical { file, what: what() });
    }
    Ok(Fq::new_unchecked(v))
}

/// Writes `x` as 32 LE Montgomery bytes.
pub fn fq_to_lem(x: &Fq, out: &mut [u8]) {
    bigint_to_le(&x.0, out);
}

/// An `Fr` from 32 LE standard-form bytes, refusing values `≥ r`.
pub fn fr_from_le(b: &[u8], file: &'static str, what: &dyn Fn() -> String) -> Result<Fr, DecodeError> {
    Fr::from_bigint(bigint_le(b)).ok_or_else(|| DecodeError::NonCanonical { file, what: what() })
}

/// Writes `x` as 32 LE standard-form bytes.
pub fn fr_to_le(x: &Fr, out: &mut [u8]) {
    bigint_to_le(&x.into_bigint(), out);
}

/// An `Fr` from 32 LE Montgomery bytes (`.zkey` coefficients are `c·R²`, i.e. the Montgomery form of `c·R`).
pub fn fr_from_lem(b: &[u8], file: &'static str, what: &dyn Fn() -> String) -> Result<Fr, DecodeError> {
    let v = bigint_le(b);
    if v >= Fr::MODULUS {
        return Err(DecodeError::NonCanonical { file, what: what() });
    }
    Ok(Fr::new_unchecked(v))
}

/// Writes `x` as 32 LE Montgomery bytes.
pub fn fr_to_lem(x: &Fr, out: &mut [u8]) {
    bigint_to_le(&x.0, out);
}

/// A G1 point from LEM bytes (64): canonical, on the curve (G1 has cofactor 1).
pub fn g1_from_lem(b: &[u8], file: &'static str, what: &dyn Fn() -> String) -> Result<G1Affine, DecodeError> {
    if b.iter().all(|&x| x == 0) {
        return Ok(G1Affine::zero());
    }
    let x = fq_from_lem(&b[..32], file, what)?;
    let y = fq_from_lem(&b[32..64], file, what)?;
    let p = G1Affine::new_unchecked(x, y);
    if !p.is_on_curve() {
        return Err(DecodeError::NotOnCurve { file, what: what() });
    }
    Ok(p)
}

/// A G2 point from LEM bytes (128): canonical, on the curve, in the prime-order subgroup.
pub fn g2_from_lem(b: &[u8], file: &'static str, what: &dyn Fn() -> String) -> Result<G2Affine, DecodeError> {
    if b.iter().all(|&x| x == 0) {
        return Ok(G2Affine::zero());
    }
    let c = |i: usize| fq_from_lem(&b[32 * i..32 * i + 32], file, what);
    let p = G2Affine::new_unchecked(Fq2::new(c(0)?, c(1)?), Fq2::new(c(2)?, c(3)?));
    if !p.is_on_curve() {
        return Err(DecodeError::NotOnCurve { file, what: what() });
    }
    if !p.is_in_correct_subgroup_assuming_on_curve() {
        return Err(DecodeError::NotInSubgroup { file, what: what() });
    }
    Ok(p)
}

/// Appends the LEM form of a G1 point.
pub fn put_g1_lem(p: &G1Affine, out: &mut Vec<u8>) {
    let mut b = [0u8; G1_BYTES];
    if let Some((x, y)) = p.xy() {
        fq_to_lem(&x, &mut b[..32]);
        fq_to_lem(&y, &mut b[32..]);
    }
    out.extend_from_slice(&b);
}

/// Appends the LEM form of a G2 point.
pub fn put_g2_lem(p: &G2Affine, out: &mut Vec<u8>) {
    let mut b = [0u8; G2_BYTES];
    if let Some((x, y)) = p.xy() {
        fq_to_lem(&x.c0, &mut b[..32]);
        fq_to_lem(&x.c1, &mut b[32..64]);
        fq_to_lem(&y.c0, &mut b[64..96]);
        fq_to_lem(&y.c1, &mut b[96..]);
    }
    out.extend_from_slice(&b);
}

fn fq_be(x: &Fq, out: &mut [u8]) {
    out.copy_from_slice(&x.into_bigint().to_bytes_be());
}

/// U form of a G1 point; infinity as zeros (`batch`) or `0x40‖0…` (single).
pub fn g1_u(p: &G1Affine, batch: bool) -> [u8; G1_BYTES] {
    let mut b = [0u8; G1_BYTES];
    match p.xy() {
        Some((x, y)) => {
            fq_be(&x, &mut b[..32]);
            fq_be(&y, &mut b[32..]);
        }
        None if !batch => b[0] = 0x40,
        None => {}
    }
    b
}

/// U form of a G2 point; infinity as zeros (`batch`) or `0x40‖0…` (single).
pub fn g2_u(p: &G2Affine, batch: bool) -> [u8; G2_BYTES] {
    let mut b = [0u8; G2_BYTES];
    match p.xy() {
        Some((x, y)) => {
            fq_be(&x.c1, &mut b[..32]);
            fq_be(&x.c0, &mut b[32..64]);
            fq_be(&y.c1, &mut b[64..96]);
            fq_be(&y.c0, &mut b[96..]);
        }
        None if !batch => b[0] = 0x40,
        None => {}
    }
    b
}

/// Whether `x` is the modulus of the BN254 base field, as 32 LE bytes.
pub fn is_bn254_q(b: &[u8]) -> bool {
    b.len() == 32 && bigint_le(b) == Fq::MODULUS
}

/// Whether `x` is the modulus of the BN254 scalar field, as 32 LE bytes.
pub fn is_bn254_r(b: &[u8]) -> bool {
    b.len() == 32 && bigint_le(b) == Fr::MODULUS
}

/// The BN254 base-field modulus as 32 LE bytes.
pub fn q_le() -> [u8; 32] {
    let mut b = [0u8; 32];
    bigint_to_le(&Fq::MODULUS, &mut b);
    b
}

/// The BN254 scalar-field modulus as 32 LE bytes.
pub fn r_le() -> [u8; 32] {
    let mut b = [0u8; 32];
    bigint_to_le(&Fr::MODULUS, &mut b);
    b
}

/// Whether a G1 point is zero (used by checks that refuse infinity).
pub fn is_zero_g1(p: &G1Affine) -> bool {
    p.is_zero()
}
