//! Keys out of a verified ceremony: snarkjs' `verification_key.json` and the
//! psephos proving key (docs/spec/ceremony.md §"Export").

use ark_bn254::{Fr, G1Affine, G1Projective};
use ark_ec::CurveGroup;
use ark_ff::{FftField, Field};
use psephos_snark::{json, ProvingKey, SetupKind, VerifyingKey};

use crate::{
    error::Error,
    fft::{g1_times, group_fft},
    zkey::Zkey,
};

/// The key's verifying key, validated by psephos-snark (which refuses `δ₂ = γ₂`
/// and `δ₂ = G₂` under a production policy).
pub fn verifying_key(key: &Zkey) -> Result<VerifyingKey, Error> {
    let vk = ark_groth16::VerifyingKey {
        alpha_g1: key.alpha_g1,
        beta_g2: key.beta_g2,
        gamma_g2: key.gamma_g2,
        delta_g2: key.delta_g2,
        gamma_abc_g1: key.ic.clone(),
    };
    VerifyingKey::from_ark(vk, SetupKind::Ceremony)
        .map_err(|e| Error::Usage(format!("invalid verifying key: {e}")))
}

/// snarkjs' `verification_key.json` of the key.
pub fn verifying_key_json(key: &Zkey) -> Result<String, Error> {
    Ok(json::write_verifying_key(&verifying_key(key)?))
}

/// The monomial H query arkworks' prover uses, `[τ^i·Z(τ)/δ]₁` for `i < n − 1`,
/// from the zkey's odd-coset Lagrange H: `−2·ω_{2n}^i·Σ_j ω_n^{ij}·H_j`.
pub fn monomial_h_query(h: &[G1Affine]) -> Result<Vec<G1Affine>, Error> {
    let n = h.len();
    if !n.is_power_of_two() || n < 2 {
        return Err(Error::Usage("H query size is not a power of two".into()));
    }
    let omega_2n =
        Fr::get_root_of_unity(2 * n as u64).ok_or_else(|| Error::Usage("domain too large".into()))?;
    let omega_n = omega_2n.square();
    let mut a: Vec<G1Projective> = h.iter().map(|p| (*p).into()).collect();
    group_fft(&mut a, omega_n, &g1_times);
    let mut f = -Fr::from(2u64);
    let mut out = Vec::with_capacity(n - 1);
    for p in a.iter().take(n - 1) {
        out.push(*p * f);
        f *= omega_2n;
    }
    Ok(G1Projective::normalize_batch(&out))
}

/// The psephos proving key of a (verified) ceremony key, [`SetupKind::Ceremony`].
pub fn proving_key(key: &Zkey) -> Result<ProvingKey, Error> {
    let vk = verifying_key(key)?;
    let pk = ark_groth16::ProvingKey {
        vk: vk.as_ark().clone(),
        beta_g1: key.beta_g1,
        delta_g1: key.delta_g1,
        a_query: key.a.clone(),
        b_g1_query: key.b1.clone(),
        b_g2_query: key.b2.clone(),
        h_query: monomial_h_query(&key.h)?,
        l_query: key.l.clone(),
    };
    ProvingKey::from_ark(pk, SetupKind::Ceremony)
        .map_err(|e| Error::Usage(format!("invalid proving key: {e}")))
}
