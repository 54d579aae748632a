//! The Groth16 verifier: single and batch verification, and strict parsing of
//! public inputs (docs/snark.md §"Verifying").
//!
//! The verification equation, for public inputs `x₁ … xₙ`:
//!
//! ```text
//! PI = IC[0] + Σᵢ xᵢ·IC[i]
//! e(A, B) · e(PI, −γ₂) · e(C, −δ₂) = e(α₁, β₂)
//! ```
//!
//! checked with one multi-Miller loop and one final exponentiation. The number of
//! inputs must equal the key's exactly (arkworks' `prepare_inputs` silently
//! ignores extra inputs and treats missing ones as zero; snarkjs does not check
//! either). Inputs are [`Fr`] values, so they are `< r` by construction; inputs that
//! arrive as text or bytes go through [`public_inputs_from_decimal`] or
//! [`public_inputs_from_le_bytes`], which refuse anything `≥ r` instead of reducing it.

use std::borrow::Borrow;

use ark_bn254::{Bn254, Fr, G1Projective};
use ark_ec::{
    pairing::{Pairing, PairingOutput},
    CurveGroup, VariableBaseMSM,
};
use ark_ff::{Field, PrimeField, Zero};
use psephos_primitives::field::{decimal_to_field, from_le_bytes};
use rand_core::{CryptoRng, RngCore};

use crate::{PreparedVerifyingKey, Proof, VerifyError, MAX_PUBLIC_INPUTS};

type G2Prepared = <Bn254 as Pairing>::G2Prepared;

/// Verifies `proof` for `public_inputs` under `pvk`.
///
/// Returns `Ok(())` only for a valid proof; otherwise
/// [`InputCountMismatch`](VerifyError::InputCountMismatch) when the number of inputs
/// differs from `pvk.num_public_inputs()` (short, long or empty), or
/// [`InvalidProof`](VerifyError::InvalidProof). The proof's points were validated
/// when the [`Proof`] was built, and the key was accepted by a
/// [`VkPolicy`](crate::VkPolicy) when `pvk` was prepared.
///
/// A valid proof has many valid re-randomizations ([`Proof::rerandomize`]): deduplicate
/// on a public input such as a nullifier, not on the proof.
pub fn verify(pvk: &PreparedVerifyingKey, public_inputs: &[Fr], proof: &Proof) -> Result<(), VerifyError> {
    let pi = prepared_inputs(pvk, public_inputs)?;
    let g1 = [*proof.a(), pi.into_affine(), *proof.c()];
    let g2: [G2Prepared; 3] =
        [(*proof.b()).into(), pvk.inner.gamma_g2_neg_pc.clone(), pvk.inner.delta_g2_neg_pc.clone()];
    let lhs =
        Bn254::final_exponentiation(Bn254::multi_miller_loop(g1, g2)).ok_or(VerifyError::InvalidProof)?;
    if lhs.0 == *pvk.alpha_beta() {
        Ok(())
    } else {
        Err(VerifyError::InvalidProof)
    }
}

/// Verifies many proofs under one key with a random linear combination: for
/// independent random 128-bit non-zero scalars `rᵢ` drawn from `rng`,
///
/// ```text
/// Πᵢ e(rᵢ·Aᵢ, Bᵢ) · e(Σᵢ rᵢ·PIᵢ, −γ₂) · e(Σᵢ rᵢ·Cᵢ, −δ₂) = e(α₁, β₂)^(Σᵢ rᵢ)
/// ```
///
/// — one multi-Miller loop of `n + 2` pairs and one final exponentiation. A batch
/// containing an invalid proof passes with probability at most about 2⁻¹²⁸, so
/// `rng` must be unpredictable to whoever chose the proofs.
///
/// If the combined check fails, every item is verified on its own and the first
/// failure is reported as [`VerifyError::Batch`] `{ index, source }`; input-count
/// errors are reported the same way before any pairing. An empty batch is `Ok(())`.
///
/// `items` are `(public_inputs, proof)` pairs, e.g. `&[(Vec<Fr>, Proof)]` or
/// `&[(&[Fr], &Proof)]`.
pub fn batch_verify<I, P>(
    pvk: &PreparedVerifyingKey,
    items: &[(I, P)],
    rng: &mut (impl RngCore + CryptoRng),
) -> Result<(), VerifyError>
where
    I: AsRef<[Fr]> + Sync,
    P: Borrow<Proof> + Sync,
{
    let expected = pvk.num_public_inputs();
    for (index, (inputs, _)) in items.iter().enumerate() {
        let got = inputs.as_ref().len();
        if got != expected {
            return Err(VerifyError::Batch {
                index,
                source: Box::new(VerifyError::InputCountMismatch { expected, got }),
            });
        }
    }
    if items.is_empty() {
        return Ok(());
    }

    // Σᵢ rᵢ·PIᵢ = (Σᵢ rᵢ)·IC[0] + Σⱼ (Σᵢ rᵢ·xᵢⱼ)·IC[j]: one MSM over IC.
    let c_scalars: Vec<Fr> = items.iter().map(|_| random_nonzero_128(rng)).collect();
    let mut ic_scalars = vec![Fr::zero(); expected + 1];
    for ((inputs, _), r) in items.iter().zip(&c_scalars) {
        ic_scalars[0] += r;
        for (acc, x) in ic_scalars[1..].iter_mut().zip(inputs.as_ref()) {
            *acc += *r * x;
        }
    }
    // Per proof: rᵢ·Aᵢ, Bᵢ prepared for the Miller loop, Cᵢ (in parallel).
    let per_proof = |((_, proof), r): (&(I, P), &Fr)| {
        let proof = proof.borrow();
        (*proof.a() * r, G2Prepared::from(*proof.b()), *proof.c())
    };
    #[cfg(feature = "parallel")]
    let prepared: Vec<_> = {
        use rayon::prelude::*;
        items.par_iter().zip(c_scalars.par_iter()).map(per_proof).collect()
    };
    #[cfg(not(feature = "parallel"))]
    let prepared: Vec<_> = items.iter().zip(c_scalars.iter()).map(per_proof).collect();
    let mut a_scaled = Vec::with_capacity(items.len());
    let mut g2: Vec<G2Prepared> = Vec::with_capacity(items.len() + 2);
    let mut c_points = Vec::with_capacity(items.len());
    for (a, b, c) in prepared {
        a_scaled.push(a);
        g2.push(b);
        c_points.push(c);
    }
    let sum_r = ic_scalars[0];
    let pi = msm(pvk.verifying_key().ic(), &ic_scalars, expected)?;
    let c = msm(&c_points, &c_scalars, expected)?;
    let mut g1 = G1Projective::normalize_batch(&a_scaled);
    g1.push(pi.into_affine());
    g2.push(pvk.inner.gamma_g2_neg_pc.clone());
    g1.push(c.into_affine());
    g2.push(pvk.inner.delta_g2_neg_pc.clone());

    let lhs: Option<PairingOutput<Bn254>> = Bn254::final_exponentiation(Bn254::multi_miller_loop(g1, g2));
    let rhs = pvk.alpha_beta().pow(sum_r.into_bigint());
    if lhs.is_some_and(|lhs| lhs.0 == rhs) {
        return Ok(());
    }
    for (index, (inputs, proof)) in items.iter().enumerate() {
        verify(pvk, inputs.as_ref(), proof.borrow())
            .map_err(|e| VerifyError::Batch { index, source: Box::new(e) })?;
    }
    // The combined check failed but every proof verifies on its own: only possible
    // if the combination itself went wrong; the individual checks are authoritative.
    Ok(())
}

/// Parses public inputs given as canonical decimal strings (snarkjs'
/// `public.json` entries): digits only, no sign, no leading zero, at most 78
/// digits, value `< r` (`NotInField` otherwise — never reduced). At most
/// [`MAX_PUBLIC_INPUTS`] entries (`LimitExceeded`, checked before any parsing).
pub fn public_inputs_from_decimal<S: AsRef<str>>(signals: &[S]) -> Result<Vec<Fr>, VerifyError> {
    if signals.len() > MAX_PUBLIC_INPUTS {
        return Err(VerifyError::LimitExceeded { what: "public inputs", limit: MAX_PUBLIC_INPUTS });
    }
    signals.iter().map(|s| decimal_to_field::<Fr>(s.as_ref(), "public input").map_err(Into::into)).collect()
}

/// Parses public inputs given as concatenated 32-byte little-endian encodings.
/// A length that is not a multiple of 32 is `Malformed`; an encoding of a value
/// `≥ r` is `NonCanonical` (never reduced); more than [`MAX_PUBLIC_INPUTS`]
/// entries is `LimitExceeded`.
pub fn public_inputs_from_le_bytes(bytes: &[u8]) -> Result<Vec<Fr>, VerifyError> {
    if bytes.len() % 32 != 0 {
        return Err(VerifyError::malformed("public inputs", "length is not a multiple of 32 bytes"));
    }
    if bytes.len() / 32 > MAX_PUBLIC_INPUTS {
        return Err(VerifyError::LimitExceeded { what: "public inputs", limit: MAX_PUBLIC_INPUTS });
    }
    bytes.chunks_exact(32).map(|c| from_le_bytes::<Fr>(c, "public input").map_err(Into::into)).collect()
}

/// `PI = IC[0] + Σᵢ xᵢ·IC[i]`, after checking the input count exactly.
fn prepared_inputs(pvk: &PreparedVerifyingKey, public_inputs: &[Fr]) -> Result<G1Projective, VerifyError> {
    let expected = pvk.num_public_inputs();
    if public_inputs.len() != expected {
        return Err(VerifyError::InputCountMismatch { expected, got: public_inputs.len() });
    }
    let ic = pvk.verifying_key().ic();
    let sum = msm(&ic[1..], public_inputs, expected)?;
    Ok(sum + ic[0])
}

/// A multi-scalar multiplication of equal-length slices.
fn msm(bases: &[ark_bn254::G1Affine], scalars: &[Fr], expected: usize) -> Result<G1Projective, VerifyError> {
    G1Projective::msm(bases, scalars)
        .map_err(|got| VerifyError::InputCountMismatch { expected, got: got.min(scalars.len()) })
}

/// A uniformly random scalar in `[1, 2¹²⁸)`.
fn random_nonzero_128(rng: &mut (impl RngCore + CryptoRng)) -> Fr {
    loop {
        let lo = u128::from(rng.next_u64());
        let hi = u128::from(rng.next_u64());
        let v = (hi << 64) | lo;
        if v != 0 {
            return Fr::from(v);
        }
    }
}
