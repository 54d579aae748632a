//! Setting up a registrar group in one process (development and tests): signing
//! keys, the dedup key shared among the registrars, and the policy signed by all
//! of them (docs/spec/registry.md §6).
//!
//! In a deployment each registrar generates its own signing key and the
//! registrars run `psephos_threshold`'s DKG over the network, exchanging its
//! JSON messages; this module runs the same rounds side by side, so one process
//! briefly sees every secret (development and tests only). The session context
//! of both is [`dedup_dkg_context`] (the dealer-free CLI flow, `psephos registry
//! dkg-session`, builds it here too; docs/spec/registry.md §6.1).

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

/// The length of the fresh nonce at the end of a dedup-key DKG context.
pub const DEDUP_DKG_NONCE_BYTES: usize = 16;

/// The context of a dedup-key DKG session for `group_id`:
/// [`labels::DEDUP_DKG`] ‖ group id ‖ 16 fresh random bytes (docs/spec/registry.md §6).
/// Both [`share_dedup_key`] and the multi-machine set-up (`psephos registry
/// dkg-session`) build their session context here.
pub fn dedup_dkg_context(group_id: &GroupId, rng: &mut (impl RngCore + CryptoRng)) -> Vec<u8> {
    let mut context = labels::DEDUP_DKG.to_vec();
    context.extend_from_slice(group_id.as_str().as_bytes());
    let mut nonce = [0u8; DEDUP_DKG_NONCE_BYTES];
    rng.fill_bytes(&mut nonce);
    context.extend_from_slice(&nonce);
    context
}

/// The group id that a dedup-key DKG context (from [`dedup_dkg_context`]) names.
/// Refuses a context without the [`labels::DEDUP_DKG`] prefix, without the
/// 16-byte nonce, or whose middle part is not a valid group id.
pub fn dedup_dkg_group(context: &[u8]) -> Result<GroupId, RegistryError> {
    let rest = context
        .strip_prefix(labels::DEDUP_DKG)
        .ok_or_else(|| RegistryError::malformed("dedup DKG context", "not a dedup-key DKG session"))?;
    let id_len = rest
        .len()
        .checked_sub(DEDUP_DKG_NONCE_BYTES)
        .filter(|l| *l > 0)
        .ok_or_else(|| RegistryError::malformed("dedup DKG context", "too short"))?;
    let id = std::str::from_utf8(&rest[..id_len])
        .map_err(|_| RegistryError::malformed("dedup DKG context", "group id is not UTF-8"))?;
    GroupId::new(id)
}

/// Shares the dedup key among `n` registrars with threshold `t` by running
/// `psephos_threshold`'s joint-Feldman DKG (one secret, fresh long-term DH keys,
/// context = [`dedup_dkg_context`]) with all `n`
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
    let context = dedup_dkg_context(group_id, rng);
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

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;

    #[test]
    fn dedup_dkg_context_names_its_group() {
        let mut rng = ChaCha20Rng::seed_from_u64(8);
        let g = GroupId::new("town-hall").unwrap();
        let c = dedup_dkg_context(&g, &mut rng);
        assert_eq!(c.len(), b"psephos/registry/dedup-dkg/v1".len() + "town-hall".len() + 16);
        assert!(c.starts_with(b"psephos/registry/dedup-dkg/v1town-hall"));
        assert_eq!(dedup_dkg_group(&c).unwrap(), g);
        assert_ne!(dedup_dkg_context(&g, &mut rng), c, "fresh nonce per session");
    }

    /// The multi-machine path (each registrar its own participant, context from
    /// `dedup_dkg_context`, policy signed separately and assembled) and the
    /// in-process path (`simulate_setup`, i.e. `share_dedup_key`) both give
    /// policies that verify.
    #[test]
    fn separate_participants_and_in_process_setup_both_verify() {
        let mut rng = ChaCha20Rng::seed_from_u64(9);
        let g = GroupId::new("town-hall").unwrap();
        let (n, t) = (3u32, 2u32);
        let dkg_keys: Vec<ParticipantKey<RistrettoPoint>> =
            (0..n).map(|_| ParticipantKey::generate(&mut rng)).collect();
        let publics: Vec<RistrettoPoint> = dkg_keys.iter().map(|k| k.public()).collect();
        let session = Session::new(t, 1, &dedup_dkg_context(&g, &mut rng), publics).unwrap();
        let mut r1 = Vec::new();
        for (i, k) in dkg_keys.iter().enumerate() {
            let own = ParticipantKey::from_secret_json(&k.to_secret_json()).unwrap();
            r1.push(Round1::start(session.clone(), i as u32 + 1, own, &mut rng).unwrap().1);
        }
        let mut r2 = Vec::new();
        for (i, k) in dkg_keys.iter().enumerate() {
            let own = ParticipantKey::from_secret_json(&k.to_secret_json()).unwrap();
            let st = Round1::resume(session.clone(), i as u32 + 1, own).unwrap();
            r2.push(st.receive(&r1, &mut rng).unwrap().1);
        }
        let mut shares = Vec::new();
        for (i, k) in dkg_keys.iter().enumerate() {
            let own = ParticipantKey::from_secret_json(&k.to_secret_json()).unwrap();
            let st = Round1::resume(session.clone(), i as u32 + 1, own).unwrap();
            let out = st.receive(&r1, &mut rng).unwrap().0.finish(&r2).unwrap();
            shares.push(DedupKeyShare::from_dkg(&out.share).unwrap());
        }
        let transcript = psephos_threshold::DkgTranscript { session, round1: r1, round2: r2 };
        let public = transcript.verify(&mut rng).unwrap();
        assert_eq!(dedup_dkg_group(transcript.session.context()).unwrap(), g);
        let dedup = DedupPublicKey::from_dkg(&public).unwrap();
        for s in &shares {
            assert_eq!(dedup.shares[s.index() as usize - 1], s.public_share());
        }
        let signing: Vec<RegistrarSecretKey> =
            (0..n).map(|_| RegistrarSecretKey::generate(&mut rng)).collect();
        let policy = GroupPolicy {
            group_id: g.clone(),
            policy_version: 1,
            threshold: t,
            registrars: signing.iter().map(|k| k.public_key()).collect(),
            dedup,
        };
        let policy = GroupPolicy::from_json(&policy.to_json()).unwrap();
        let sigs = vec![
            policy.sign_as(3, &signing[2], &mut rng).unwrap(),
            policy.sign_as(1, &signing[0], &mut rng).unwrap(),
        ];
        let signed = SignedPolicy::from_parts(policy, sigs, &mut rng).unwrap();
        assert!(SignedPolicy::from_json(&signed.to_json(), &mut rng).is_ok());
        let (dev, _) = simulate_setup("town-hall", n, t, &mut rng).unwrap();
        assert!(SignedPolicy::from_json(&dev.to_json(), &mut rng).is_ok());
    }

    #[test]
    fn dedup_dkg_group_refuses_other_contexts() {
        let nonce = [7u8; 16];
        let mk = |prefix: &[u8], id: &[u8]| [prefix, id, &nonce].concat();
        assert!(dedup_dkg_group(&mk(b"psephos/registry/other/v1", b"g")).is_err());
        assert!(dedup_dkg_group(&mk(labels::DEDUP_DKG, b"")).is_err());
        assert!(dedup_dkg_group(&mk(labels::DEDUP_DKG, b"a b")).is_err());
        assert!(dedup_dkg_group(&[labels::DEDUP_DKG, b"short"].concat()).is_err());
        assert_eq!(dedup_dkg_group(&mk(labels::DEDUP_DKG, b"g.1")).unwrap().as_str(), "g.1");
    }
}
