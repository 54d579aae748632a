//! Phase 2 (BGM17 as snarkjs runs it): the initial key from an R1CS and a ptau,
//! contributions, the beacon, and the full verifier (docs/spec/ceremony.md
//! §"Phase 2").

use ark_bn254::{Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::{AffineRepr, CurveGroup, PrimeGroup, VariableBaseMSM};
use ark_ff::{Field, UniformRand, Zero};
use blake2::{Blake2b512, Digest};
use rand_core::{CryptoRng, RngCore};
use zeroize::Zeroize;

use crate::{
    encoding::{g1_u, g2_u},
    error::{CheckFailure, Error},
    hash_to_curve::{beacon_keys, hash_to_g2},
    ptau::{pairing_eq, random_scalars, same_ratio, Ptau},
    r1cs::R1cs,
    zkey::{one, truncate_name, Coef, Contribution, ContributionKind, Zkey},
};

/// The QAP domain's `log2`: the smallest `k` with `2^k ≥ m + nPublic + 1`.
pub fn domain_power(r1cs: &R1cs) -> u32 {
    let need = r1cs.constraints.len() as u64 + u64::from(r1cs.n_public()) + 1;
    let mut k = 0;
    while (1u64 << k) < need {
        k += 1;
    }
    k
}

fn msm_g1(bases: &[G1Affine], terms: &[(usize, Fr)]) -> G1Projective {
    let (b, s): (Vec<G1Affine>, Vec<Fr>) = terms.iter().map(|&(i, c)| (bases[i], c)).unzip();
    G1Projective::msm_unchecked(&b, &s)
}

fn msm_g2(bases: &[G2Affine], terms: &[(usize, Fr)]) -> G2Projective {
    let (b, s): (Vec<G2Affine>, Vec<Fr>) = terms.iter().map(|&(i, c)| (bases[i], c)).unzip();
    G2Projective::msm_unchecked(&b, &s)
}

/// The initial key snarkjs' `zkey new` makes for `r1cs` on `ptau` (byte-identical
/// once encoded): queries from the ptau's Lagrange sections, `γ₂ = δ₂ = [1]₂`,
/// `δ₁ = [1]₁`, no contributions. **Not usable as is**: with `δ = γ` anyone can
/// forge proofs; at least one contribution must follow.
pub fn init(r1cs: &R1cs, ptau: &Ptau) -> Result<Zkey, Error> {
    let lag = ptau.lagrange.as_ref().ok_or(CheckFailure::PtauNotPrepared)?;
    let k = domain_power(r1cs);
    if k > ptau.power {
        return Err(CheckFailure::PtauTooSmall { need: k, have: ptau.power }.into());
    }
    let n = 1usize << k;
    let m = r1cs.constraints.len();
    let n_public = r1cs.n_public() as usize;
    let n_vars = r1cs.n_wires as usize;
    let lt1 = Ptau::level(&lag.tau_g1, k);
    let lt2 = Ptau::level(&lag.tau_g2, k);
    let la1 = Ptau::level(&lag.alpha_tau_g1, k);
    let lb1 = Ptau::level(&lag.beta_tau_g1, k);

    // u, v, w of every signal as sparse Lagrange coordinates; coefficient rows.
    let mut u: Vec<Vec<(usize, Fr)>> = vec![Vec::new(); n_vars];
    let mut v: Vec<Vec<(usize, Fr)>> = vec![Vec::new(); n_vars];
    let mut w: Vec<Vec<(usize, Fr)>> = vec![Vec::new(); n_vars];
    let mut coefs = Vec::new();
    for (c, con) in r1cs.constraints.iter().enumerate() {
        for &(s, x) in &con.a {
            u[s as usize].push((c, x));
            coefs.push(Coef { matrix: 0, constraint: c as u32, signal: s, value: x });
        }
        for &(s, x) in &con.b {
            v[s as usize].push((c, x));
            coefs.push(Coef { matrix: 1, constraint: c as u32, signal: s, value: x });
        }
        for &(s, x) in &con.c {
            w[s as usize].push((c, x));
        }
    }
    for (s, us) in u.iter_mut().enumerate().take(n_public + 1) {
        us.push((m + s, one()));
        coefs.push(Coef { matrix: 0, constraint: (m + s) as u32, signal: s as u32, value: one() });
    }

    let a: Vec<G1Projective> = u.iter().map(|t| msm_g1(lt1, t)).collect();
    let b1: Vec<G1Projective> = v.iter().map(|t| msm_g1(lt1, t)).collect();
    let b2: Vec<G2Projective> = v.iter().map(|t| msm_g2(lt2, t)).collect();
    let c: Vec<G1Projective> =
        (0..n_vars).map(|s| msm_g1(lb1, &u[s]) + msm_g1(la1, &v[s]) + msm_g1(lt1, &w[s])).collect();
    let c = G1Projective::normalize_batch(&c);
    let h: Vec<G1Affine> = Ptau::level(&lag.tau_g1, k + 1).iter().skip(1).step_by(2).copied().collect();
    debug_assert_eq!(h.len(), n);

    let g1 = G1Affine::generator();
    let g2 = G2Affine::generator();
    let mut key = Zkey {
        n_vars: n_vars as u32,
        n_public: n_public as u32,
        domain_size: n as u32,
        alpha_g1: ptau.alpha_tau_g1[0],
        beta_g1: ptau.beta_tau_g1[0],
        beta_g2: ptau.beta_g2,
        gamma_g2: g2,
        delta_g1: g1,
        delta_g2: g2,
        ic: c[..=n_public].to_vec(),
        coefs,
        a: G1Projective::normalize_batch(&a),
        b1: G1Projective::normalize_batch(&b1),
        b2: G2Projective::normalize_batch(&b2),
        l: c[n_public + 1..].to_vec(),
        h,
        cs_hash: [0; 64],
        contributions: Vec::new(),
    };
    key.cs_hash = circuit_hash(&key, ptau);
    Ok(key)
}

/// The circuit hash: BLAKE2b-512 of the bellman `Parameters` serialization of
/// the initial key (U encodings, infinity as zeros, big-endian u32 counts), with
/// the monomial H query `[τ^i·Z(τ)]₁ = [τ^{i+n}]₁ − [τ^i]₁`, `i < n − 1`.
fn circuit_hash(key: &Zkey, ptau: &Ptau) -> [u8; 64] {
    let mut hs = Blake2b512::new();
    hs.update(g1_u(&key.alpha_g1, true));
    hs.update(g1_u(&key.beta_g1, true));
    hs.update(g2_u(&key.beta_g2, true));
    hs.update(g2_u(&key.gamma_g2, true));
    hs.update(g1_u(&key.delta_g1, true));
    hs.update(g2_u(&key.delta_g2, true));
    let g1s = |hs: &mut Blake2b512, v: &[G1Affine]| {
        hs.update((v.len() as u32).to_be_bytes());
        v.iter().for_each(|p| hs.update(g1_u(p, true)));
    };
    g1s(&mut hs, &key.ic);
    let n = key.domain_size as usize;
    let hm: Vec<G1Projective> =
        (0..n - 1).map(|i| ptau.tau_g1[i + n].into_group() - ptau.tau_g1[i].into_group()).collect();
    g1s(&mut hs, &G1Projective::normalize_batch(&hm));
    g1s(&mut hs, &key.l);
    g1s(&mut hs, &key.a);
    g1s(&mut hs, &key.b1);
    hs.update((key.b2.len() as u32).to_be_bytes());
    key.b2.iter().for_each(|p| hs.update(g2_u(p, true)));
    hs.finalize().into()
}

fn hash_pubkey(h: &mut Blake2b512, c: &Contribution) {
    h.update(g1_u(&c.delta_after, false));
    h.update(g1_u(&c.g1_s, false));
    h.update(g1_u(&c.g1_sx, false));
    h.update(g2_u(&c.g2_spx, false));
    h.update(c.transcript);
}

/// The contribution hash snarkjs prints and contributors publish:
/// `BLAKE2b-512(U(δ₁') ‖ U(s) ‖ U(x·s) ‖ U(x·r) ‖ transcript)`.
pub fn contribution_hash(c: &Contribution) -> [u8; 64] {
    let mut h = Blake2b512::new();
    hash_pubkey(&mut h, c);
    h.finalize().into()
}

/// The transcript the next contribution (of public key `s, x·s`) must carry.
fn transcript(key: &Zkey, upto: usize, s: &G1Affine, sx: &G1Affine) -> [u8; 64] {
    let mut h = Blake2b512::new();
    h.update(key.cs_hash);
    for c in &key.contributions[..upto] {
        hash_pubkey(&mut h, c);
    }
    h.update(g1_u(s, false));
    h.update(g1_u(sx, false));
    h.finalize().into()
}

/// A contribution's secret: zeroized on drop, never printed.
struct Secret(Fr);

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

fn apply(
    key: &Zkey,
    x: &Secret,
    s: G1Affine,
    kind: ContributionKind,
    name: Option<&str>,
) -> Result<(Zkey, [u8; 64]), Error> {
    if key.contributions.last().is_some_and(|c| matches!(c.kind, ContributionKind::Beacon { .. })) {
        return Err(Error::Usage("the key already has its beacon: no contribution may follow".into()));
    }
    let mut inv = Secret(x.0.inverse().ok_or_else(|| Error::Usage("zero secret".into()))?);
    let sx = (s * x.0).into_affine();
    let tr = transcript(key, key.contributions.len(), &s, &sx);
    let r = hash_to_g2(&tr);
    let rx = (r * x.0).into_affine();
    let mut next = key.clone();
    next.delta_g1 = (key.delta_g1 * x.0).into_affine();
    next.delta_g2 = (key.delta_g2 * x.0).into_affine();
    let scale = |v: &[G1Affine]| {
        let p: Vec<G1Projective> = v.iter().map(|p| *p * inv.0).collect();
        G1Projective::normalize_batch(&p)
    };
    next.l = scale(&key.l);
    next.h = scale(&key.h);
    inv.0.zeroize();
    let c = Contribution {
        delta_after: next.delta_g1,
        g1_s: s,
        g1_sx: sx,
        g2_spx: rx,
        transcript: tr,
        kind,
        name: name.map(|n| truncate_name(n).to_owned()),
    };
    let hash = contribution_hash(&c);
    next.contributions.push(c);
    Ok((next, hash))
}

/// Adds a contribution with a fresh secret from `rng` (use the OS generator).
/// Returns the new key and the contribution hash to publish. The secret is
/// zeroized before returning and never leaves this function.
pub fn contribute(
    key: &Zkey,
    name: Option<&str>,
    rng: &mut (impl RngCore + CryptoRng),
) -> Result<(Zkey, [u8; 64]), Error> {
    let x = loop {
        let x = Secret(Fr::rand(rng));
        if !x.0.is_zero() {
            break x;
        }
    };
    let s = loop {
        let mut k = Fr::rand(rng);
        if !k.is_zero() {
            let s = (G1Projective::generator() * k).into_affine();
            k.zeroize();
            break s;
        }
    };
    apply(key, &x, s, ContributionKind::Secret, name)
}

/// Beacon iteration exponents accepted: snarkjs allows 10 to 63; psephos caps at 32
/// (2^32 SHA-256 calls, minutes) so that a key cannot make its verifier run for
/// years (a beacon with a higher exponent is refused, `BeaconMismatch`).
pub const BEACON_EXP_RANGE: std::ops::RangeInclusive<u8> = 10..=32;

/// Adds the final beacon contribution (SHA-256 iterated `2^num_iterations_exp`
/// times on `beacon_hash`, snarkjs-compatible). Nothing may follow it.
pub fn beacon(
    key: &Zkey,
    name: Option<&str>,
    beacon_hash: &[u8],
    num_iterations_exp: u8,
) -> Result<(Zkey, [u8; 64]), Error> {
    if beacon_hash.is_empty() || beacon_hash.len() > 255 {
        return Err(Error::Usage("the beacon value must have 1 to 255 bytes".into()));
    }
    if !BEACON_EXP_RANGE.contains(&num_iterations_exp) {
        return Err(Error::Usage("the beacon exponent must be between 10 and 32".into()));
    }
    let (x, s, _) = beacon_keys(beacon_hash, num_iterations_exp);
    let x = Secret(x);
    let kind = ContributionKind::Beacon { hash: beacon_hash.to_vec(), num_iterations_exp };
    apply(key, &x, s, kind, name)
}

/// What the verifier requires beyond validity.
#[derive(Clone, Debug)]
pub struct VerifyPolicy {
    /// At least this many secret (non-beacon) contributions; values below 1 count as 1.
    pub min_contributions: usize,
    /// If set, the key must end with a beacon of exactly this value and exponent.
    pub beacon: Option<(Vec<u8>, u8)>,
}

/// One verified contribution, for the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedContribution {
    /// Its hash (what the contributor published).
    pub hash: [u8; 64],
    /// Its name, if any.
    pub name: Option<String>,
    /// Whether it is the beacon.
    pub beacon: bool,
}

/// What a successful verification establishes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyReport {
    /// The circuit hash.
    pub cs_hash: [u8; 64],
    /// Every contribution, oldest first.
    pub contributions: Vec<VerifiedContribution>,
}

/// Verifies a ceremony's key against the circuit and the (already verified)
/// phase 1 — everything `snarkjs zkey verify` checks, and also: at least
/// `policy.min_contributions` (≥ 1) secret contributions, a beacon only last,
/// `δ₂ ≠ γ₂` and `δ ≠` the generators, 254-bit random scalars for the L and H
/// checks. Decoding already enforced canonical points, G2 subgroup membership,
/// the exact section set and sizes.
pub fn verify(
    key: &Zkey,
    r1cs: &R1cs,
    ptau: &Ptau,
    policy: &VerifyPolicy,
    rng: &mut (impl RngCore + CryptoRng),
) -> Result<VerifyReport, Error> {
    let init = init(r1cs, ptau)?;
    let mismatch = |what| Err(Error::Check(CheckFailure::InitMismatch { what }));
    if (key.n_vars, key.n_public, key.domain_size) != (init.n_vars, init.n_public, init.domain_size) {
        return mismatch("the header sizes (nVars, nPublic, domainSize)");
    }
    if key.alpha_g1 != init.alpha_g1 || key.beta_g1 != init.beta_g1 || key.beta_g2 != init.beta_g2 {
        return mismatch("alpha/beta");
    }
    if key.gamma_g2 != init.gamma_g2 {
        return mismatch("gamma_2");
    }
    if key.ic != init.ic {
        return mismatch("IC (section 3)");
    }
    if key.coefs != init.coefs {
        return mismatch("the coefficients (section 4)");
    }
    if key.a != init.a {
        return mismatch("A (section 5)");
    }
    if key.b1 != init.b1 {
        return mismatch("B1 (section 6)");
    }
    if key.b2 != init.b2 {
        return mismatch("B2 (section 7)");
    }
    if key.cs_hash != init.cs_hash {
        return mismatch("the circuit hash");
    }

    // Policy on the contribution list.
    let count = key.contributions.len();
    for (i, c) in key.contributions.iter().enumerate() {
        if matches!(c.kind, ContributionKind::Beacon { .. }) && i + 1 != count {
            return Err(CheckFailure::BeaconNotLast { index: i + 1 }.into());
        }
    }
    let secret = key.secret_contributions();
    let required = policy.min_contributions.max(1);
    if secret < required {
        return Err(CheckFailure::TooFewContributions { required, found: secret }.into());
    }
    if let Some((hash, exp)) = &policy.beacon {
        match key.contributions.last().map(|c| &c.kind) {
            Some(ContributionKind::Beacon { hash: h, num_iterations_exp: e }) if h == hash && e == exp => {}
            _ => return Err(CheckFailure::BeaconNotAnnounced.into()),
        }
    }

    // The chain.
    let mut prev_delta = G1Affine::generator();
    let mut report = Vec::with_capacity(count);
    for (i, c) in key.contributions.iter().enumerate() {
        let index = i + 1;
        for (what, zero) in [
            ("delta", c.delta_after.is_zero()),
            ("s", c.g1_s.is_zero()),
            ("x·s", c.g1_sx.is_zero()),
            ("x·r", c.g2_spx.is_zero()),
        ] {
            if zero {
                return Err(CheckFailure::ZeroPoint { index, what }.into());
            }
        }
        if c.delta_after == prev_delta || c.g1_s == c.g1_sx {
            return Err(CheckFailure::UnchangedDelta { index }.into());
        }
        if transcript(key, i, &c.g1_s, &c.g1_sx) != c.transcript {
            return Err(CheckFailure::Transcript { index }.into());
        }
        let r = hash_to_g2(&c.transcript);
        if !same_ratio(&c.g1_s, &c.g1_sx, &r, &c.g2_spx) {
            return Err(CheckFailure::ProofOfKnowledge { index }.into());
        }
        if !same_ratio(&prev_delta, &c.delta_after, &r, &c.g2_spx) {
            return Err(CheckFailure::DeltaChain { index }.into());
        }
        if let ContributionKind::Beacon { hash, num_iterations_exp } = &c.kind {
            if !BEACON_EXP_RANGE.contains(num_iterations_exp) {
                return Err(CheckFailure::BeaconMismatch { index }.into());
            }
            let (x, s, sx) = beacon_keys(hash, *num_iterations_exp);
            if s != c.g1_s || sx != c.g1_sx || (prev_delta * x).into_affine() != c.delta_after {
                return Err(CheckFailure::BeaconMismatch { index }.into());
            }
        }
        report.push(VerifiedContribution {
            hash: contribution_hash(c),
            name: c.name.clone(),
            beacon: matches!(c.kind, ContributionKind::Beacon { .. }),
        });
        prev_delta = c.delta_after;
    }

    // The final δ.
    let g1 = G1Affine::generator();
    let g2 = G2Affine::generator();
    if key.delta_g1 != prev_delta {
        return Err(CheckFailure::FinalDelta("delta_1 is not the last contribution's").into());
    }
    if key.delta_g2 == key.gamma_g2 {
        return Err(CheckFailure::GammaEqualsDelta.into());
    }
    if key.delta_g2 == g2 || key.delta_g1 == g1 {
        return Err(CheckFailure::DeltaIsGenerator.into());
    }
    if !same_ratio(&g1, &key.delta_g1, &g2, &key.delta_g2) {
        return Err(CheckFailure::FinalDelta("delta_1 and delta_2 have different discrete logs").into());
    }

    // L and H: random combinations, e(Σ r·P₀, g₂) = e(Σ r·P, δ₂).
    let rlc_check = |init_pts: &[G1Affine], pts: &[G1Affine], rng: &mut dyn FnMut(usize) -> Vec<Fr>| {
        if init_pts.is_empty() {
            return true;
        }
        let r = rng(init_pts.len());
        let a = G1Projective::msm_unchecked(init_pts, &r).into_affine();
        let b = G1Projective::msm_unchecked(pts, &r).into_affine();
        pairing_eq(&a, &g2, &b, &key.delta_g2)
    };
    let mut draw = |n: usize| random_scalars(n, rng);
    if key.l.len() != init.l.len() || !rlc_check(&init.l, &key.l, &mut draw) {
        return Err(CheckFailure::LQuery.into());
    }
    if key.h.len() != init.h.len() || !rlc_check(&init.h, &key.h, &mut draw) {
        return Err(CheckFailure::HQuery.into());
    }
    Ok(VerifyReport { cs_hash: key.cs_hash, contributions: report })
}
