//! psephos' own phase 1 (powers of tau) in snarkjs' `.ptau` format: `new`,
//! `contribute`, `prepare` (Lagrange sections) and the verification of its
//! contribution chain (docs/spec/ceremony.md §"psephos phase 1").
//!
//! Each contribution multiplies τ, α, β by fresh secrets and records, for each
//! secret `x`, a proof of knowledge `(s, x·s, x·r)` with
//! `r = hashToG2(BLAKE2b-512(label ‖ i ‖ challenge ‖ U(s) ‖ U(x·s)))`, where
//! `challenge` is [`PHASE1_CHALLENGE_LABEL`]-hash of the power and all previous
//! records. The chain is psephos' own: `snarkjs powersoftau verify` does not
//! check it (snarkjs' `zkey new`/`zkey verify` read these files normally).

use ark_bn254::{Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::{AffineRepr, CurveGroup, PrimeGroup};
use ark_ff::{FftField, UniformRand, Zero};
use blake2::{Blake2b512, Digest};
use rand_core::{CryptoRng, RngCore};
use zeroize::Zeroize;

use crate::{
    encoding::{g1_from_lem, g1_u, g2_from_lem, put_g1_lem, put_g2_lem},
    error::{CheckFailure, Error},
    fft::{g1_times, g2_times, group_ifft},
    hash_to_curve::hash_to_g2,
    ptau::{same_ratio, Lagrange, Ptau, PtauContribution, MAX_POWER},
};

pub use crate::labels::{PHASE1_CHALLENGE as PHASE1_CHALLENGE_LABEL, PHASE1_POK as PHASE1_POK_LABEL};

/// A fresh phase 1 of `2^power` powers with τ = α = β = 1 (every point a
/// generator) and no contribution: useless until contributed to.
pub fn new(power: u32) -> Result<Ptau, Error> {
    if power == 0 || power > MAX_POWER {
        return Err(Error::Usage(format!("power must be 1 to {MAX_POWER}")));
    }
    let n = 1usize << power;
    let g1 = G1Affine::generator();
    let g2 = G2Affine::generator();
    Ok(Ptau {
        power,
        ceremony_power: power,
        tau_g1: vec![g1; 2 * n - 1],
        tau_g2: vec![g2; n],
        alpha_tau_g1: vec![g1; n],
        beta_tau_g1: vec![g1; n],
        beta_g2: g2,
        contributions: Vec::new(),
        lagrange: None,
    })
}

fn challenge(ptau: &Ptau, upto: usize) -> [u8; 64] {
    let mut h = Blake2b512::new();
    h.update(PHASE1_CHALLENGE_LABEL);
    h.update(ptau.power.to_le_bytes());
    for c in &ptau.contributions[..upto] {
        let mut rec = Vec::new();
        put_g1_lem(&c.tau_g1, &mut rec);
        put_g2_lem(&c.tau_g2, &mut rec);
        put_g1_lem(&c.alpha_g1, &mut rec);
        put_g1_lem(&c.beta_g1, &mut rec);
        put_g2_lem(&c.beta_g2, &mut rec);
        h.update(&rec);
        h.update(&c.pubkey);
    }
    h.finalize().into()
}

fn pok_base(which: u8, challenge: &[u8; 64], s: &G1Affine, sx: &G1Affine) -> G2Affine {
    let mut h = Blake2b512::new();
    h.update(PHASE1_POK_LABEL);
    h.update([which]);
    h.update(challenge);
    h.update(g1_u(s, false));
    h.update(g1_u(sx, false));
    hash_to_g2(&h.finalize().into())
}

struct Secrets([Fr; 3]);

impl Drop for Secrets {
    fn drop(&mut self) {
        self.0.iter_mut().for_each(Zeroize::zeroize);
    }
}

fn nonzero(rng: &mut (impl RngCore + CryptoRng)) -> Fr {
    loop {
        let x = Fr::rand(rng);
        if !x.is_zero() {
            return x;
        }
    }
}

/// Adds a contribution with fresh secrets τ', α', β' from `rng`; the Lagrange
/// sections are dropped (run [`prepare`] after the last contribution). Returns
/// the new file and the contribution's hash (BLAKE2b-512 of its record).
pub fn contribute(ptau: &Ptau, rng: &mut (impl RngCore + CryptoRng)) -> Result<(Ptau, [u8; 64]), Error> {
    let secrets = Secrets([nonzero(rng), nonzero(rng), nonzero(rng)]);
    let [tau, alpha, beta] = secrets.0;
    let ch = challenge(ptau, ptau.contributions.len());
    let mut pubkey = Vec::with_capacity(768);
    let mut g2s = Vec::with_capacity(3);
    for (which, x) in [(0u8, tau), (1, alpha), (2, beta)] {
        let mut k = nonzero(rng);
        let s = (G1Projective::generator() * k).into_affine();
        k.zeroize();
        let sx = (s * x).into_affine();
        let r = pok_base(which, &ch, &s, &sx);
        put_g1_lem(&s, &mut pubkey);
        put_g1_lem(&sx, &mut pubkey);
        g2s.push((r * x).into_affine());
    }
    g2s.iter().for_each(|p| put_g2_lem(p, &mut pubkey));

    let scale_g1 = |v: &[G1Affine], first: Fr| -> Vec<G1Affine> {
        let mut f = first;
        let p: Vec<G1Projective> = v
            .iter()
            .map(|p| {
                let q = *p * f;
                f *= tau;
                q
            })
            .collect();
        G1Projective::normalize_batch(&p)
    };
    let one = Fr::from(1u64);
    let mut f = one;
    let tau_g2: Vec<G2Projective> = ptau
        .tau_g2
        .iter()
        .map(|p| {
            let q = *p * f;
            f *= tau;
            q
        })
        .collect();
    let next = Ptau {
        power: ptau.power,
        ceremony_power: ptau.ceremony_power,
        tau_g1: scale_g1(&ptau.tau_g1, one),
        tau_g2: G2Projective::normalize_batch(&tau_g2),
        alpha_tau_g1: scale_g1(&ptau.alpha_tau_g1, alpha),
        beta_tau_g1: scale_g1(&ptau.beta_tau_g1, beta),
        beta_g2: (ptau.beta_g2 * beta).into_affine(),
        contributions: ptau.contributions.clone(),
        lagrange: None,
    };
    let mut hashes = vec![0u8; 216];
    hashes.extend_from_slice(&ch);
    let c = PtauContribution {
        tau_g1: next.tau_g1[1],
        tau_g2: next.tau_g2[1],
        alpha_g1: next.alpha_tau_g1[0],
        beta_g1: next.beta_tau_g1[0],
        beta_g2: next.beta_g2,
        pubkey,
        hashes,
        kind: 0,
        params: Vec::new(),
    };
    let mut next = next;
    next.contributions.push(c);
    let hash = challenge(&next, next.contributions.len());
    Ok((next, hash))
}

/// Verifies a psephos phase-1 contribution chain: each record's challenge, the
/// three proofs of knowledge, and that each record's τ, α, β are the previous
/// ones times the proven secrets (starting from the generators). Together with
/// [`Ptau::verify`] (the file's powers are those of the last record) this shows
/// the file is the product of every listed contribution.
pub fn verify_chain(ptau: &Ptau) -> Result<(), CheckFailure> {
    if ptau.contributions.is_empty() {
        return Err(CheckFailure::PtauContributions("no contribution".into()));
    }
    let g1 = G1Affine::generator();
    let g2 = G2Affine::generator();
    let (mut tau, mut alpha, mut beta) = (g1, g1, g1);
    for (i, c) in ptau.contributions.iter().enumerate() {
        let fail = |what: &str| CheckFailure::PtauContributions(format!("contribution {}: {what}", i + 1));
        let ch = challenge(ptau, i);
        if c.hashes.len() != 280 || c.hashes[216..] != ch[..] {
            return Err(fail("challenge hash does not match the chain"));
        }
        let pt = |j: usize| g1_from_lem(&c.pubkey[64 * j..64 * j + 64], "ptau", &|| "public key".into());
        let pt2 =
            |j: usize| g2_from_lem(&c.pubkey[384 + 128 * j..512 + 128 * j], "ptau", &|| "public key".into());
        for (which, prev, cur) in [(0u8, tau, c.tau_g1), (1, alpha, c.alpha_g1), (2, beta, c.beta_g1)] {
            let j = which as usize;
            let (s, sx, rx) = match (pt(2 * j), pt(2 * j + 1), pt2(j)) {
                (Ok(s), Ok(sx), Ok(rx)) => (s, sx, rx),
                _ => return Err(fail("malformed public key")),
            };
            let r = pok_base(which, &ch, &s, &sx);
            if !same_ratio(&s, &sx, &r, &rx) {
                return Err(fail("proof of knowledge fails"));
            }
            if !same_ratio(&prev, &cur, &r, &rx) {
                return Err(fail("powers do not follow from the previous contribution"));
            }
        }
        if !same_ratio(&g1, &c.tau_g1, &g2, &c.tau_g2) || !same_ratio(&g1, &c.beta_g1, &g2, &c.beta_g2) {
            return Err(fail("G1 and G2 points disagree"));
        }
        (tau, alpha, beta) = (c.tau_g1, c.alpha_g1, c.beta_g1);
    }
    Ok(())
}

fn ifft_levels<G: CurveGroup<ScalarField = Fr> + Send>(
    mono: &[G::Affine],
    top: u32,
    times: &impl crate::fft::Times<G>,
) -> Vec<G::Affine> {
    let mut out = Vec::with_capacity((1usize << (top + 1)) - 1);
    for k in 0..=top {
        let n = 1usize << k;
        let mut a: Vec<G> = (0..n).map(|i| mono.get(i).map_or(G::zero(), |p| (*p).into())).collect();
        let omega = Fr::get_root_of_unity(n as u64).expect("k <= 28");
        group_ifft(&mut a, omega, times);
        out.extend(G::normalize_batch(&a));
    }
    out
}

/// Computes the Lagrange sections 12–15 (`snarkjs powersoftau prepare phase2`):
/// level `k` is the inverse FFT of the first `2^k` monomials; the top level of
/// section 12 takes the missing `τ^{2^{p+1}−1}` as 0, as snarkjs does.
pub fn prepare(ptau: &Ptau) -> Ptau {
    let p = ptau.power;
    let mut out = ptau.clone();
    let ((tau_g1, tau_g2), (alpha_tau_g1, beta_tau_g1)) = rayon::join(
        || {
            rayon::join(
                || ifft_levels::<G1Projective>(&ptau.tau_g1, p + 1, &g1_times),
                || ifft_levels::<G2Projective>(&ptau.tau_g2, p, &g2_times),
            )
        },
        || {
            rayon::join(
                || ifft_levels::<G1Projective>(&ptau.alpha_tau_g1, p, &g1_times),
                || ifft_levels::<G1Projective>(&ptau.beta_tau_g1, p, &g1_times),
            )
        },
    );
    out.lagrange = Some(Lagrange { tau_g1, tau_g2, alpha_tau_g1, beta_tau_g1 });
    out
}
