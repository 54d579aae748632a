//! Setting up a registrar group in one process (development and tests): signing
//! keys, the dedup key shared among the registrars, and the policy signed by all
//! of them (docs/spec/registry.md §6).
//!
//! In a deployment each registrar generates its own signing key and the
//! registrars run `psephos_threshold`'s DKG over the network, exchanging its
//! JSON messages; this module runs the same rounds side by side, so one process
//! briefly sees every secret (development and tests only).

use psephos_primitives::RistrettoPoint;
use psephos_threshold::dkg::{ParticipantKey, Round1, Session};
use rand_core::{CryptoRng, RngCore};

use crate::encoding::GroupId;
use crate::labels;
use crate::oprf::{DedupKeyShare, DedupPublicKey};
use crate::policy::{GroupPolicy, SignedPolicy};
use crate::roll::Registrar;
use crate::signature::RegistrarSecretKey;
use crate::RegistryError;

fn dkg_error(e: psephos_threshold::ThresholdError) -> RegistryError {
    RegistryError::Dkg(e.to_string())
}

/// Shares the dedup key among `n` registrars with threshold `t` by running
/// `psephos_threshold`'s joint-Feldman DKG (one secret, fresh long-term DH keys,
/// context = [`labels::DEDUP_DKG`] ‖ group id ‖ 16 random bytes) with all `n`
/// participants in this process. Returns each registrar's share and the public
/// key data (`K` and the verification shares `Kᵢ`).
pub fn share_dedup_key(
    group_id: &GroupId,
    n: u32,
    t: u32,
    rng: &mut (impl RngCore + CryptoRng),
) -> Result<(Vec<DedupKeyShare>, DedupPublicKey), RegistryError> {
    if t == 0 || t > n || n as usize > crate::policy::MAX_REGISTRARS {
        return Err(RegistryError::Misuse("need 1 <= t <= n <= 256"));
    }
    let keys: Vec<ParticipantKey<RistrettoPoint>> = (0..n).map(|_| ParticipantKey::generate(rng)).collect();
    let mut context = labels::DEDUP_DKG.to_vec();
    context.extend_from_slice(group_id.as_str().as_bytes());
    let mut nonce = [0u8; 16];
    rng.fill_bytes(&mut nonce);
    context.extend_from_slice(&nonce);
    let session =
        Session::new(t, 1, &context, keys.iter().map(|k| k.public()).collect()).map_err(dkg_error)?;
    let (mut round1, mut msgs1) = (Vec::new(), Vec::new());
    for (i, key) in keys.into_iter().enumerate() {
        let (state, msg) = Round1::start(session.clone(), i as u32 + 1, key, rng).map_err(dkg_error)?;
        round1.push(state);
        msgs1.push(msg);
    }
    let (mut round2, mut msgs2) = (Vec::new(), Vec::new());
    for state in round1 {
        let (next, msg) = state.receive(&msgs1, rng).map_err(dkg_error)?;
        round2.push(next);
        msgs2.push(msg);
    }
    let mut shares = Vec::with_capacity(n as usize);
    let mut public = None;
    for state in round2 {
        let out = state.finish(&msgs2).map_err(dkg_error)?;
        shares.push(DedupKeyShare::from_dkg(&out.share)?);
        public = Some(out.public);
    }
    let public = public.ok_or(RegistryError::Misuse("DKG without participants"))?;
    if public.qualified.len() != n as usize {
        return Err(RegistryError::Misuse("an in-process DKG participant was disqualified"));
    }
    let dedup = DedupPublicKey::from_dkg(&public)?;
    for s in &shares {
        if dedup.shares.get(s.index() as usize - 1) != Some(&s.public_share()) {
            return Err(RegistryError::Misuse("DKG share does not match its verification share"));
        }
    }
    Ok((shares, dedup))
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
    let (shares, dedup) = share_dedup_key(&group_id, n, k, rng)?;
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
