//! Phase 1: snarkjs `.ptau` files (powers of tau), strict decoding, internal
//! verification and the pinned Hermez transcripts (docs/spec/ceremony.md §"ptau").

use ark_bn254::{Bn254, Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::{pairing::Pairing, AffineRepr, CurveGroup, VariableBaseMSM};
use ark_ff::UniformRand;
use ark_ff::Zero;
use ark_poly::{EvaluationDomain, Radix2EvaluationDomain};
use blake2::{Blake2b512, Digest};
use rand_core::{CryptoRng, RngCore};

use crate::{
    binfile::{BinFile, Reader},
    encoding::{g1_from_lem, g2_from_lem, is_bn254_q, put_g1_lem, put_g2_lem, G1_BYTES, G2_BYTES},
    error::{CheckFailure, DecodeError, Error},
};

const FILE: &str = "ptau";

/// Largest power accepted. BN254's scalar field has 2-adicity 28, and a file of
/// power p carries a Lagrange level of size 2^{p+1}; the power-28 file's top level
/// lies outside every radix-2 domain, so psephos reads files up to power 27
/// (ceremonyPower may be 28).
pub const MAX_POWER: u32 = 27;
/// Largest ceremony power recorded in a file header.
pub const MAX_CEREMONY_POWER: u32 = 28;

/// The published BLAKE2b-512 (`b2sum`) of `powersOfTau28_hez_final_NN.ptau`,
/// NN = 8…28 (snarkjs README, "7. Prepare phase 2"). Index = power − 8.
pub const HERMEZ_B2SUMS: [(u32, &str); 21] = [
    (8, "d6a8fb3a04feb600096c3b791f936a578c4e664d262e4aa24beed1b7a9a96aa5eb72864d628db247e9293384b74b36ffb52ca8d148d6e1b8b51e279fdf57b583"),
    (9, "94f108a80e81b5d932d8e8c9e8fd7f46cf32457e31462deeeef37af1b71c2c1b3c71fb0d9b59c654ec266b042735f50311f9fd1d4cadce47ab234ad163157cb5"),
    (10, "6cfeb8cda92453099d20120bdd0e8a5c4e7706c2da9a8f09ccc157ed2464d921fd0437fb70db42104769efd7d6f3c1f964bcf448c455eab6f6c7d863e88a5849"),
    (11, "47c282116b892e5ac92ca238578006e31a47e7c7e70f0baa8b687f0a5203e28ea07bbbec765a98dcd654bad618475d4661bfaec3bd9ad2ed12e7abc251d94d33"),
    (12, "ded2694169b7b08e898f736d5de95af87c3f1a64594013351b1a796dbee393bd825f88f9468c84505ddd11eb0b1465ac9b43b9064aa8ec97f2b73e04758b8a4a"),
    (13, "58efc8bf2834d04768a3d7ffcd8e1e23d461561729beaac4e3e7a47829a1c9066d5320241e124a1a8e8aa6c75be0ba66f65bc8239a0542ed38e11276f6fdb4d9"),
    (14, "eeefbcf7c3803b523c94112023c7ff89558f9b8e0cf5d6cdcba3ade60f168af4a181c9c21774b94fbae6c90411995f7d854d02ebd93fb66043dbb06f17a831c1"),
    (15, "982372c867d229c236091f767e703253249a9b432c1710b4f326306bfa2428a17b06240359606cfe4d580b10a5a1f63fbed499527069c18ae17060472969ae6e"),
    (16, "6a6277a2f74e1073601b4f9fed6e1e55226917efb0f0db8a07d98ab01df1ccf43eb0e8c3159432acd4960e2f29fe84a4198501fa54c8dad9e43297453efec125"),
    (17, "6247a3433948b35fbfae414fa5a9355bfb45f56efa7ab4929e669264a0258976741dfbe3288bfb49828e5df02c2e633df38d2245e30162ae7e3bcca5b8b49345"),
    (18, "7e6a9c2e5f05179ddfc923f38f917c9e6831d16922a902b0b4758b8e79c2ab8a81bb5f29952e16ee6c5067ed044d7857b5de120a90704c1d3b637fd94b95b13e"),
    (19, "bca9d8b04242f175189872c42ceaa21e2951e0f0f272a0cc54fc37193ff6648600eaf1c555c70cdedfaf9fb74927de7aa1d33dc1e2a7f1a50619484989da0887"),
    (20, "89a66eb5590a1c94e3f1ee0e72acf49b1669e050bb5f93c73b066b564dca4e0c7556a52b323178269d64af325d8fdddb33da3a27c34409b821de82aa2bf1a27b"),
    (21, "9aef0573cef4ded9c4a75f148709056bf989f80dad96876aadeb6f1c6d062391f07a394a9e756d16f7eb233198d5b69407cca44594c763ab4a5b67ae73254678"),
    (22, "0d64f63dba1a6f11139df765cb690da69d9b2f469a1ddd0de5e4aa628abb28f787f04c6a5fb84a235ec5ea7f41d0548746653ecab0559add658a83502d1cb21b"),
    (23, "3063a0bd81d68711197c8820a92466d51aeac93e915f5136d74f63c394ee6d88c5e8016231ea6580bec02e25d491f319d92e77f5c7f46a9caa8f3b53c0ea544f"),
    (24, "fa404d140d5819d39984833ca5ec3632cd4995f81e82db402371a4de7c2eae8687c62bc632a95b0c6aadba3fb02680a94e09174b7233ccd26d78baca2647c733"),
    (25, "0377d860cdb09a8a31ea1b0b8c04335614c8206357181573bf294c25d5ca7dff72387224fbd868897e6769f7805b3dab02854aec6d69d7492883b5e4e5f35eeb"),
    (26, "418dee4a74b9592198bd8fd02ad1aea76f9cf3085f206dfd7d594c9e264ae919611b1459a1cc920c2f143417744ba9edd7b8d51e44be9452344a225ff7eead19"),
    (27, "10ffd99837c512ef99752436a54b9810d1ac8878d368fb4b806267bdd664b4abf276c9cd3c4b9039a1fa4315a0c326c0e8e9e8fe0eb588ffd4f9021bf7eae1a1"),
    (28, "55c77ce8562366c91e7cda394cf7b7c15a06c12d8c905e8b36ba9cf5e13eb37d1a429c589e8eaba4c591bc4b88a0e2828745a53e170eac300236f5c1a326f41a"),
];

/// BLAKE2b-512 of a whole file (what `b2sum` prints).
pub fn b2sum(bytes: &[u8]) -> [u8; 64] {
    Blake2b512::digest(bytes).into()
}

/// The Hermez power whose published hash `hash` is, if any.
pub fn pinned_hermez_power(hash: &[u8; 64]) -> Option<u32> {
    let hex = hex::encode(hash);
    HERMEZ_B2SUMS.iter().find(|(_, h)| *h == hex).map(|(p, _)| *p)
}

/// Refuses a file whose BLAKE2b-512 is neither a Hermez hash nor in `extra_pins`
/// (hex strings, e.g. a locally verified PPoT file or a psephos phase 1).
pub fn check_pinned(bytes: &[u8], extra_pins: &[String]) -> Result<[u8; 64], CheckFailure> {
    let h = b2sum(bytes);
    let hex = hex::encode(h);
    if pinned_hermez_power(&h).is_some() || extra_pins.iter().any(|p| p.eq_ignore_ascii_case(&hex)) {
        Ok(h)
    } else {
        Err(CheckFailure::UnpinnedPtau { b2sum: hex })
    }
}

/// One phase-1 contribution record (section 7), validated as points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PtauContribution {
    /// `[τ]₁` after this contribution.
    pub tau_g1: G1Affine,
    /// `[τ]₂` after this contribution.
    pub tau_g2: G2Affine,
    /// `[α]₁` after this contribution.
    pub alpha_g1: G1Affine,
    /// `[β]₁` after this contribution.
    pub beta_g1: G1Affine,
    /// `[β]₂` after this contribution.
    pub beta_g2: G2Affine,
    /// The public key (6 G1 then 3 G2 points, LEM), kept raw.
    pub pubkey: Vec<u8>,
    /// The hash state and next challenge (216 + 64 bytes), kept raw.
    pub hashes: Vec<u8>,
    /// 0 normal, 1 beacon.
    pub kind: u32,
    /// Parameters (TLV), kept raw.
    pub params: Vec<u8>,
}

/// The Lagrange sections 12–15 (`prepare phase2`); level `k` of a section starts at
/// point `2^k − 1`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lagrange {
    /// Section 12: levels 0…p+1.
    pub tau_g1: Vec<G1Affine>,
    /// Section 13: levels 0…p.
    pub tau_g2: Vec<G2Affine>,
    /// Section 14: levels 0…p.
    pub alpha_tau_g1: Vec<G1Affine>,
    /// Section 15: levels 0…p.
    pub beta_tau_g1: Vec<G1Affine>,
}

/// A decoded `.ptau` file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ptau {
    /// `p`: the file holds 2^p powers (2^{p+1} − 1 in G1).
    pub power: u32,
    /// The power of the ceremony it was cut from.
    pub ceremony_power: u32,
    /// Section 2: `[τ^i]₁`, i < 2^{p+1} − 1.
    pub tau_g1: Vec<G1Affine>,
    /// Section 3: `[τ^i]₂`, i < 2^p.
    pub tau_g2: Vec<G2Affine>,
    /// Section 4: `[ατ^i]₁`, i < 2^p.
    pub alpha_tau_g1: Vec<G1Affine>,
    /// Section 5: `[βτ^i]₁`, i < 2^p.
    pub beta_tau_g1: Vec<G1Affine>,
    /// Section 6: `[β]₂`.
    pub beta_g2: G2Affine,
    /// Section 7.
    pub contributions: Vec<PtauContribution>,
    /// Sections 12–15, if prepared.
    pub lagrange: Option<Lagrange>,
}

pub(crate) fn read_g1s(data: &[u8], section: u32) -> Result<Vec<G1Affine>, DecodeError> {
    data.chunks_exact(G1_BYTES)
        .enumerate()
        .map(|(i, c)| g1_from_lem(c, FILE, &|| format!("section {section} point {i}")))
        .collect()
}

pub(crate) fn read_g2s(data: &[u8], section: u32) -> Result<Vec<G2Affine>, DecodeError> {
    data.chunks_exact(G2_BYTES)
        .enumerate()
        .map(|(i, c)| g2_from_lem(c, FILE, &|| format!("section {section} point {i}")))
        .collect()
}

impl Ptau {
    /// Decodes a `.ptau` file: BN254, `power ≤ ceremonyPower ≤ 28`, exact section
    /// sizes, canonical points on the curve and in the subgroup, no trailing data.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        let bf = BinFile::parse(bytes, b"ptau", FILE, &[1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15])?;
        let mut h = Reader::new(bf.section(1)?, FILE);
        if h.u32("n8")? != 32 || !is_bn254_q(h.bytes(32, "q")?) {
            return Err(DecodeError::Header { file: FILE, what: "not a BN254 file".into() });
        }
        let power = h.u32("power")?;
        let ceremony_power = h.u32("ceremonyPower")?;
        h.finish("the header")?;
        if power == 0 || power > MAX_POWER || ceremony_power < power || ceremony_power > MAX_CEREMONY_POWER {
            return Err(DecodeError::Header {
                file: FILE,
                what: format!("power {power} / ceremony power {ceremony_power} out of range"),
            });
        }
        let n = 1u64 << power;
        let tau_g1 = read_g1s(bf.sized(2, "tauG1", (2 * n - 1) * 64)?, 2)?;
        let tau_g2 = read_g2s(bf.sized(3, "tauG2", n * 128)?, 3)?;
        let alpha_tau_g1 = read_g1s(bf.sized(4, "alphaTauG1", n * 64)?, 4)?;
        let beta_tau_g1 = read_g1s(bf.sized(5, "betaTauG1", n * 64)?, 5)?;
        let beta_g2 = g2_from_lem(bf.sized(6, "betaG2", 128)?, FILE, &|| "section 6".into())?;
        let contributions = read_contributions(bf.section(7)?)?;
        let lag_ids = [12, 13, 14, 15].map(|id| bf.sections.contains_key(&id));
        let lagrange = if lag_ids.iter().all(|&b| b) {
            Some(Lagrange {
                tau_g1: read_g1s(bf.sized(12, "tauG1 Lagrange", (4 * n - 1) * 64)?, 12)?,
                tau_g2: read_g2s(bf.sized(13, "tauG2 Lagrange", (2 * n - 1) * 128)?, 13)?,
                alpha_tau_g1: read_g1s(bf.sized(14, "alphaTauG1 Lagrange", (2 * n - 1) * 64)?, 14)?,
                beta_tau_g1: read_g1s(bf.sized(15, "betaTauG1 Lagrange", (2 * n - 1) * 64)?, 15)?,
            })
        } else if lag_ids.iter().any(|&b| b) {
            let id = [12, 13, 14, 15][lag_ids.iter().position(|&b| !b).unwrap_or(0)];
            return Err(DecodeError::Section { file: FILE, id, problem: "missing" });
        } else {
            None
        };
        Ok(Self {
            power,
            ceremony_power,
            tau_g1,
            tau_g2,
            alpha_tau_g1,
            beta_tau_g1,
            beta_g2,
            contributions,
            lagrange,
        })
    }

    /// Encodes the file (sections in order 1–7, then 12–15 if prepared).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut header = Vec::new();
        header.extend_from_slice(&32u32.to_le_bytes());
        header.extend_from_slice(&crate::encoding::q_le());
        header.extend_from_slice(&self.power.to_le_bytes());
        header.extend_from_slice(&self.ceremony_power.to_le_bytes());
        let g1s = |v: &[G1Affine]| {
            let mut o = Vec::with_capacity(v.len() * 64);
            v.iter().for_each(|p| put_g1_lem(p, &mut o));
            o
        };
        let g2s = |v: &[G2Affine]| {
            let mut o = Vec::with_capacity(v.len() * 128);
            v.iter().for_each(|p| put_g2_lem(p, &mut o));
            o
        };
        let mut c7 = (self.contributions.len() as u32).to_le_bytes().to_vec();
        for c in &self.contributions {
            put_g1_lem(&c.tau_g1, &mut c7);
            put_g2_lem(&c.tau_g2, &mut c7);
            put_g1_lem(&c.alpha_g1, &mut c7);
            put_g1_lem(&c.beta_g1, &mut c7);
            put_g2_lem(&c.beta_g2, &mut c7);
            c7.extend_from_slice(&c.pubkey);
            c7.extend_from_slice(&c.hashes);
            c7.extend_from_slice(&c.kind.to_le_bytes());
            c7.extend_from_slice(&(c.params.len() as u32).to_le_bytes());
            c7.extend_from_slice(&c.params);
        }
        let mut b6 = Vec::new();
        put_g2_lem(&self.beta_g2, &mut b6);
        let s2 = g1s(&self.tau_g1);
        let s3 = g2s(&self.tau_g2);
        let s4 = g1s(&self.alpha_tau_g1);
        let s5 = g1s(&self.beta_tau_g1);
        let mut sections: Vec<(u32, Vec<u8>)> =
            vec![(1, header), (2, s2), (3, s3), (4, s4), (5, s5), (6, b6), (7, c7)];
        if let Some(l) = &self.lagrange {
            sections.push((12, g1s(&l.tau_g1)));
            sections.push((13, g2s(&l.tau_g2)));
            sections.push((14, g1s(&l.alpha_tau_g1)));
            sections.push((15, g1s(&l.beta_tau_g1)));
        }
        let refs: Vec<(u32, &[u8])> = sections.iter().map(|(i, d)| (*i, d.as_slice())).collect();
        crate::binfile::write(b"ptau", &refs)
    }

    /// Level `k` of a Lagrange section (points `2^k − 1 … 2^{k+1} − 2`).
    pub fn level<T>(section: &[T], k: u32) -> &[T] {
        let start = (1usize << k) - 1;
        &section[start..start + (1usize << k)]
    }

    /// Verifies the file internally: generators, the power sequences of sections
    /// 2–5 (random linear combinations with 128-bit-or-more scalars from `rng`, one
    /// pairing check per relation), `[β]₂` against `[β]₁`, section 6/7 consistency
    /// with the last contribution, and, when present, every Lagrange level against
    /// the inverse FFT of the monomials.
    ///
    /// The contribution chain itself (each contributor's proof of knowledge) is
    /// not re-verified: for the Hermez files it starts from a power-28 challenge;
    /// pin the file's hash ([`check_pinned`]) instead.
    pub fn verify(&self, rng: &mut (impl RngCore + CryptoRng)) -> Result<(), CheckFailure> {
        let g1 = G1Affine::generator();
        let g2 = G2Affine::generator();
        if self.tau_g1[0] != g1 {
            return Err(CheckFailure::PtauGenerator { section: 2 });
        }
        if self.tau_g2[0] != g2 {
            return Err(CheckFailure::PtauGenerator { section: 3 });
        }
        let tau1 = self.tau_g1[1];
        let tau2 = self.tau_g2[1];
        let alpha1 = self.alpha_tau_g1[0];
        let beta1 = self.beta_tau_g1[0];
        if tau1.is_zero() || tau2.is_zero() || alpha1.is_zero() || beta1.is_zero() || self.beta_g2.is_zero() {
            return Err(CheckFailure::PtauPowers { section: 2 });
        }
        // [τ]₁ and [τ]₂ share τ; [β]₁ and [β]₂ share β.
        if !same_ratio(&g1, &tau1, &g2, &tau2) {
            return Err(CheckFailure::PtauPowers { section: 3 });
        }
        if !same_ratio(&g1, &beta1, &g2, &self.beta_g2) {
            return Err(CheckFailure::PtauPowers { section: 6 });
        }
        // Σ r_i P_i and Σ r_i P_{i+1} have ratio τ.
        let mut g1_seq = |section: u32, v: &[G1Affine]| -> Result<(), CheckFailure> {
            let (a, b) = shifted_combination_g1(v, rng);
            if pairing_eq(&a, &tau2, &b, &g2) {
                Ok(())
            } else {
                Err(CheckFailure::PtauPowers { section })
            }
        };
        g1_seq(2, &self.tau_g1)?;
        g1_seq(4, &self.alpha_tau_g1)?;
        g1_seq(5, &self.beta_tau_g1)?;
        let (a2, b2) = shifted_combination_g2(&self.tau_g2, rng);
        if !pairing_eq(&tau1, &a2, &g1, &b2) {
            return Err(CheckFailure::PtauPowers { section: 3 });
        }
        // The last contribution is the one these powers come from.
        let last = self
            .contributions
            .last()
            .ok_or_else(|| CheckFailure::PtauContributions("the file records no contribution".into()))?;
        if last.tau_g1 != tau1
            || last.tau_g2 != tau2
            || last.alpha_g1 != alpha1
            || last.beta_g1 != beta1
            || last.beta_g2 != self.beta_g2
        {
            return Err(CheckFailure::PtauContributions(
                "the last contribution's first powers are not the file's".into(),
            ));
        }
        if let Some(l) = &self.lagrange {
            for k in 0..=self.power + 1 {
                check_lagrange_g1(Self::level(&l.tau_g1, k), &self.tau_g1, k, 12, rng)?;
            }
            for k in 0..=self.power {
                check_lagrange_g1(Self::level(&l.alpha_tau_g1, k), &self.alpha_tau_g1, k, 14, rng)?;
                check_lagrange_g1(Self::level(&l.beta_tau_g1, k), &self.beta_tau_g1, k, 15, rng)?;
                check_lagrange_g2(Self::level(&l.tau_g2, k), &self.tau_g2, k, rng)?;
            }
        }
        Ok(())
    }
}

fn read_contributions(data: &[u8]) -> Result<Vec<PtauContribution>, DecodeError> {
    let mut r = Reader::new(data, FILE);
    let n = r.u32("contribution count")?;
    // Each record is at least 64·3 + 128·2 + 768 + 280 + 8 bytes.
    if (n as usize).saturating_mul(1504) > r.remaining() {
        return Err(DecodeError::Truncated { file: FILE, what: "contributions".into() });
    }
    let mut out = Vec::with_capacity(n as usize);
    for i in 0..n {
        let what = || format!("section 7 contribution {}", i + 1);
        let tau_g1 = g1_from_lem(r.bytes(64, "contribution")?, FILE, &what)?;
        let tau_g2 = g2_from_lem(r.bytes(128, "contribution")?, FILE, &what)?;
        let alpha_g1 = g1_from_lem(r.bytes(64, "contribution")?, FILE, &what)?;
        let beta_g1 = g1_from_lem(r.bytes(64, "contribution")?, FILE, &what)?;
        let beta_g2 = g2_from_lem(r.bytes(128, "contribution")?, FILE, &what)?;
        let pubkey = r.bytes(768, "contribution public key")?.to_vec();
        for c in pubkey[..384].chunks_exact(64) {
            let _ = g1_from_lem(c, FILE, &what)?;
        }
        for c in pubkey[384..].chunks_exact(128) {
            let _ = g2_from_lem(c, FILE, &what)?;
        }
        let hashes = r.bytes(280, "contribution hashes")?.to_vec();
        let kind = r.u32("contribution type")?;
        if kind > 1 {
            return Err(DecodeError::Header {
                file: FILE,
                what: format!("contribution {} has type {kind}", i + 1),
            });
        }
        let len = r.u32("parameter length")? as usize;
        let params = r.bytes(len, "contribution parameters")?.to_vec();
        out.push(PtauContribution {
            tau_g1,
            tau_g2,
            alpha_g1,
            beta_g1,
            beta_g2,
            pubkey,
            hashes,
            kind,
            params,
        });
    }
    r.finish("section 7")?;
    Ok(out)
}

/// `e(a, d) = e(b, c)` with no point zero ("a/b has the ratio of c/d").
pub(crate) fn same_ratio(a: &G1Affine, b: &G1Affine, c: &G2Affine, d: &G2Affine) -> bool {
    if a.is_zero() || b.is_zero() || c.is_zero() || d.is_zero() {
        return false;
    }
    pairing_eq(a, d, b, c)
}

/// `e(a, b) = e(c, d)`.
pub(crate) fn pairing_eq(a: &G1Affine, b: &G2Affine, c: &G1Affine, d: &G2Affine) -> bool {
    let neg_c = (-c.into_group()).into_affine();
    Bn254::multi_pairing([*a, neg_c], [*b, *d]).is_zero()
}

/// Random scalars (full-size `Fr`, i.e. ≥ 128 bits of entropy each).
pub(crate) fn random_scalars(n: usize, rng: &mut (impl RngCore + CryptoRng)) -> Vec<Fr> {
    (0..n).map(|_| Fr::rand(rng)).collect()
}

fn shifted_combination_g1(v: &[G1Affine], rng: &mut (impl RngCore + CryptoRng)) -> (G1Affine, G1Affine) {
    let r = random_scalars(v.len() - 1, rng);
    let a = G1Projective::msm_unchecked(&v[..v.len() - 1], &r).into_affine();
    let b = G1Projective::msm_unchecked(&v[1..], &r).into_affine();
    (a, b)
}

fn shifted_combination_g2(v: &[G2Affine], rng: &mut (impl RngCore + CryptoRng)) -> (G2Affine, G2Affine) {
    let r = random_scalars(v.len() - 1, rng);
    let a = G2Projective::msm_unchecked(&v[..v.len() - 1], &r).into_affine();
    let b = G2Projective::msm_unchecked(&v[1..], &r).into_affine();
    (a, b)
}

/// A random polynomial of degree `< min(2^k, available)` and its evaluations on
/// the domain of size `2^k`: `Σ_i p(ω^i)·[L_i(τ)] = Σ_j c_j·[τ^j]`.
///
/// The top level of section 12 has one monomial fewer than points
/// (`τ^{2^{p+1}−1}` is not in the file): there the polynomial has degree
/// `≤ 2^{p+1} − 2`, which is all the prover ever evaluates (`deg(h·Z) ≤ 2n − 2`),
/// so the check holds whether the file padded that monomial with 0 (a fresh
/// `prepare phase2`) or used the true power (a truncated bigger ceremony, as the
/// Hermez files).
fn random_poly(k: u32, available: usize, rng: &mut (impl RngCore + CryptoRng)) -> (Vec<Fr>, Vec<Fr>) {
    let n = 1usize << k;
    let mut c = random_scalars(n.min(available), rng);
    c.resize(n, Fr::from(0u64));
    let domain =
        Radix2EvaluationDomain::<Fr>::new(n).expect("k <= MAX_POWER + 1 = 28 fits BN254's 2-adicity");
    let evals = domain.fft(&c);
    c.truncate(n.min(available));
    (c, evals)
}

fn check_lagrange_g1(
    lag: &[G1Affine],
    mono: &[G1Affine],
    k: u32,
    section: u32,
    rng: &mut (impl RngCore + CryptoRng),
) -> Result<(), CheckFailure> {
    let (c, r) = random_poly(k, mono.len(), rng);
    let lhs = G1Projective::msm_unchecked(lag, &r);
    let rhs = G1Projective::msm_unchecked(&mono[..c.len()], &c);
    if lhs == rhs {
        Ok(())
    } else {
        Err(CheckFailure::PtauLagrange { section, level: k })
    }
}

fn check_lagrange_g2(
    lag: &[G2Affine],
    mono: &[G2Affine],
    k: u32,
    rng: &mut (impl RngCore + CryptoRng),
) -> Result<(), CheckFailure> {
    let (c, r) = random_poly(k, mono.len(), rng);
    let lhs = G2Projective::msm_unchecked(lag, &r);
    let rhs = G2Projective::msm_unchecked(&mono[..c.len()], &c);
    if lhs == rhs {
        Ok(())
    } else {
        Err(CheckFailure::PtauLagrange { section: 13, level: k })
    }
}

/// Reads and fully checks a ptau: pinned hash (Hermez or `extra_pins`), decoding,
/// internal verification, Lagrange sections present.
pub fn load_verified(
    bytes: &[u8],
    extra_pins: &[String],
    rng: &mut (impl RngCore + CryptoRng),
) -> Result<Ptau, Error> {
    check_pinned(bytes, extra_pins)?;
    let ptau = Ptau::from_bytes(bytes)?;
    ptau.verify(rng)?;
    if ptau.lagrange.is_none() {
        return Err(CheckFailure::PtauNotPrepared.into());
    }
    Ok(ptau)
}
