//! Setting up a registrar group in one process (development and tests): signing
//! keys, the dedup key shared among the registrars, and the policy signed by all
//! of them (docs/spec/registry.md §6).
//!
//! In a deployment each registrar generates its own signing key and the
//! registrars run the distributed key generation over the network; this module
//! runs the same steps side by side, so one process briefly sees every secret.

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_TABLE;
use curve25519_dalek::scalar::Scalar;
use rand_core::{CryptoRng, RngCore};
use zeroize::Zeroize;

use crate::encoding::GroupId;
use crate::oprf::{DedupKeyShare, DedupPublicKey};
use crate::policy::{GroupPolicy, SignedPolicy};
use crate::roll::Registrar;
use crate::signature::RegistrarSecretKey;
use crate::RegistryError;

/// Shares the dedup key among `n` registrars with threshold `t`: returns the
/// shares and the public key data. Every registrar's share is a sum of the
/// contributions of all `n` (a joint-Feldman DKG run in one process), so the key
/// is random as long as one contribution is.
pub fn share_dedup_key(
    n: u32,
    t: u32,
    rng: &mut (impl RngCore + CryptoRng),
) -> Result<(Vec<DedupKeyShare>, DedupPublicKey), RegistryError> {
    if t == 0 || t > n || n as usize > crate::policy::MAX_REGISTRARS {
        return Err(RegistryError::Misuse("need 1 <= t <= n <= 256"));
    }
    let mut shares = vec![Scalar::ZERO; n as usize];
    let mut key = Scalar::ZERO;
    for _dealer in 0..n {
        let mut coeffs: Vec<Scalar> = (0..t).map(|_| Scalar::random(rng)).collect();
        key += coeffs[0];
        for (i, s) in shares.iter_mut().enumerate() {
            let x = Scalar::from(i as u64 + 1);
            let mut acc = Scalar::ZERO;
            for c in coeffs.iter().rev() {
                acc = acc * x + c;
            }
            *s += acc;
        }
        coeffs.zeroize();
    }
    let public = DedupPublicKey {
        threshold: t,
        key: &key * RISTRETTO_BASEPOINT_TABLE,
        shares: shares.iter().map(|s| s * RISTRETTO_BASEPOINT_TABLE).collect(),
    };
    key.zeroize();
    let out = shares
        .iter()
        .enumerate()
        .map(|(i, s)| DedupKeyShare::new(i as u32 + 1, *s))
        .collect::<Result<Vec<_>, _>>()?;
    shares.zeroize();
    public.check()?;
    Ok((out, public))
}

/// Creates `n` registrars with threshold `k` for `group_id`: keys, dedup-key
/// shares and the policy (version 1) signed by all of them.
pub fn simulate_setup(
    group_id: &str,
    n: u32,
    k: u32,
    rng: &mut (impl RngCore + CryptoRng),
) -> Result<(SignedPolicy, Vec<Registrar>), RegistryError> {
    let group_id = GroupId::new(group_id)?;
    let keys: Vec<RegistrarSecretKey> = (0..n).map(|_| RegistrarSecretKey::generate(rng)).collect();
    let (shares, dedup) = share_dedup_key(n, k, rng)?;
    let policy = GroupPolicy {
        group_id,
        policy_version: 1,
        threshold: k,
        registrars: keys.iter().map(|k| k.public_key()).collect(),
        dedup,
    };
    let signers: Vec<(u32, &RegistrarSecretKey)> =
        keys.iter().enumerate().map(|(i, k)| (i as u32 + 1, k)).collect();
    let signed = SignedPolicy::sign(policy, &signers, rng)?;
    let registrars = keys
        .into_iter()
        .zip(shares)
        .enumerate()
        .map(|(i, (key, share))| Registrar::new(i as u32 + 1, key, share))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((signed, registrars))
}
