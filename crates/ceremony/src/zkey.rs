//! Groth16 `.zkey` files (snarkjs protocol 1): strict decoding and encoding
//! (docs/spec/ceremony.md §"zkey").

use ark_bn254::{Fr, G1Affine, G2Affine};
use ark_ff::{Field, One};

use crate::{
    binfile::{self, BinFile, Reader},
    encoding::{
        fr_from_lem, fr_to_lem, g1_from_lem, g2_from_lem, is_bn254_q, is_bn254_r, put_g1_lem, put_g2_lem,
        q_le, r_le, G1_BYTES, G2_BYTES,
    },
    error::DecodeError,
};

const FILE: &str = "zkey";

/// Largest domain (2^28).
pub const MAX_DOMAIN: u32 = 1 << 28;
/// Longest contribution name written (snarkjs truncates names to 64 characters).
pub const MAX_NAME_BYTES: usize = 64;

/// How a contribution was made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContributionKind {
    /// A contributor's secret (type 0).
    Secret,
    /// A public random beacon (type 1), re-derivable by anyone.
    Beacon {
        /// The beacon value.
        hash: Vec<u8>,
        /// SHA-256 is iterated 2^exp times on it.
        num_iterations_exp: u8,
    },
}

/// One phase-2 contribution's public record (section 10).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contribution {
    /// `δ₁` after this contribution.
    pub delta_after: G1Affine,
    /// `s`: a random G1 point.
    pub g1_s: G1Affine,
    /// `x·s`.
    pub g1_sx: G1Affine,
    /// `x·r`, with `r = hashToG2(transcript)`.
    pub g2_spx: G2Affine,
    /// `BLAKE2b-512(csHash ‖ previous public keys ‖ U(s) ‖ U(x·s))`.
    pub transcript: [u8; 64],
    /// Secret or beacon.
    pub kind: ContributionKind,
    /// The contributor's name, if given.
    pub name: Option<String>,
}

/// One entry of the coefficient section: `matrix` 0 = A, 1 = B.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Coef {
    /// 0 = A, 1 = B.
    pub matrix: u32,
    /// The constraint (row of the QAP domain).
    pub constraint: u32,
    /// The signal.
    pub signal: u32,
    /// The coefficient.
    pub value: Fr,
}

/// A decoded Groth16 `.zkey`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Zkey {
    /// Signals including the constant one.
    pub n_vars: u32,
    /// Public signals, without the one.
    pub n_public: u32,
    /// QAP domain size `n` (a power of two).
    pub domain_size: u32,
    /// `[α]₁`.
    pub alpha_g1: G1Affine,
    /// `[β]₁`.
    pub beta_g1: G1Affine,
    /// `[β]₂`.
    pub beta_g2: G2Affine,
    /// `[γ]₂` (the generator in snarkjs).
    pub gamma_g2: G2Affine,
    /// `[δ]₁`.
    pub delta_g1: G1Affine,
    /// `[δ]₂`.
    pub delta_g2: G2Affine,
    /// Section 3: IC, `n_public + 1` points.
    pub ic: Vec<G1Affine>,
    /// Section 4.
    pub coefs: Vec<Coef>,
    /// Section 5: `[u_s(τ)]₁`.
    pub a: Vec<G1Affine>,
    /// Section 6: `[v_s(τ)]₁`.
    pub b1: Vec<G1Affine>,
    /// Section 7: `[v_s(τ)]₂`.
    pub b2: Vec<G2Affine>,
    /// Section 8: L query, `n_vars − n_public − 1` points.
    pub l: Vec<G1Affine>,
    /// Section 9: H query (odd-coset Lagrange form), `domain_size` points.
    pub h: Vec<G1Affine>,
    /// Circuit hash (bellman parameters of the initial key).
    pub cs_hash: [u8; 64],
    /// Section 10 contributions, oldest first.
    pub contributions: Vec<Contribution>,
}

/// `R = 2^256 mod r`: section 4 stores `c·R` in Montgomery form (`c·R²`).
fn mont_r() -> Fr {
    Fr::from(2u64).pow([256u64])
}

fn g1s(data: &[u8], section: u32) -> Result<Vec<G1Affine>, DecodeError> {
    data.chunks_exact(G1_BYTES)
        .enumerate()
        .map(|(i, c)| g1_from_lem(c, FILE, &|| format!("section {section} point {i}")))
        .collect()
}

fn g2s(data: &[u8], section: u32) -> Result<Vec<G2Affine>, DecodeError> {
    data.chunks_exact(G2_BYTES)
        .enumerate()
        .map(|(i, c)| g2_from_lem(c, FILE, &|| format!("section {section} point {i}")))
        .collect()
}

impl Zkey {
    /// Decodes a Groth16 zkey: exactly sections 1–10, each once, sizes exactly
    /// those the header implies (no extra or missing elements), BN254, canonical
    /// points on the curve and in the subgroup, no trailing bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        let bf = BinFile::parse(bytes, b"zkey", FILE, &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10])?;
        let protocol = bf.sized(1, "protocol", 4)?;
        if protocol != 1u32.to_le_bytes() {
            return Err(DecodeError::Header { file: FILE, what: "not a Groth16 key".into() });
        }
        let mut h = Reader::new(bf.sized(2, "Groth16 header", 84 + 576)?, FILE);
        if h.u32("n8q")? != 32
            || !is_bn254_q(h.bytes(32, "q")?)
            || h.u32("n8r")? != 32
            || !is_bn254_r(h.bytes(32, "r")?)
        {
            return Err(DecodeError::Header { file: FILE, what: "not a BN254 key".into() });
        }
        let n_vars = h.u32("nVars")?;
        let n_public = h.u32("nPublic")?;
        let domain_size = h.u32("domainSize")?;
        if n_public >= n_vars
            || n_vars > MAX_DOMAIN
            || !domain_size.is_power_of_two()
            || domain_size > MAX_DOMAIN
        {
            return Err(DecodeError::Header { file: FILE, what: "sizes out of range".into() });
        }
        let what = |s: &'static str| move || s.to_owned();
        let alpha_g1 = g1_from_lem(h.bytes(64, "alpha")?, FILE, &what("alpha_1"))?;
        let beta_g1 = g1_from_lem(h.bytes(64, "beta")?, FILE, &what("beta_1"))?;
        let beta_g2 = g2_from_lem(h.bytes(128, "beta")?, FILE, &what("beta_2"))?;
        let gamma_g2 = g2_from_lem(h.bytes(128, "gamma")?, FILE, &what("gamma_2"))?;
        let delta_g1 = g1_from_lem(h.bytes(64, "delta")?, FILE, &what("delta_1"))?;
        let delta_g2 = g2_from_lem(h.bytes(128, "delta")?, FILE, &what("delta_2"))?;
        h.finish("the Groth16 header")?;

        let nv = u64::from(n_vars);
        let ic = g1s(bf.sized(3, "IC", (u64::from(n_public) + 1) * 64)?, 3)?;
        let coef_data = bf.section(4)?;
        let mut r = Reader::new(coef_data, FILE);
        let n_coefs = r.u32("coefficient count")?;
        let coef_data = bf.sized(4, "coefficients", 4 + u64::from(n_coefs) * 44)?;
        let inv_r = mont_r().inverse().expect("R is invertible");
        let coefs = coef_data[4..]
            .chunks_exact(44)
            .enumerate()
            .map(|(i, c)| {
                let mut rr = Reader::new(c, FILE);
                let matrix = rr.u32("matrix")?;
                let constraint = rr.u32("constraint")?;
                let signal = rr.u32("signal")?;
                let v = fr_from_lem(rr.bytes(32, "value")?, FILE, &|| format!("coefficient {i}"))?;
                if matrix > 1 || signal >= n_vars || constraint >= domain_size {
                    return Err(DecodeError::Header {
                        file: FILE,
                        what: format!("coefficient {i} out of range"),
                    });
                }
                Ok(Coef { matrix, constraint, signal, value: v * inv_r })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let a = g1s(bf.sized(5, "A", nv * 64)?, 5)?;
        let b1 = g1s(bf.sized(6, "B1", nv * 64)?, 6)?;
        let b2 = g2s(bf.sized(7, "B2", nv * 128)?, 7)?;
        let l = g1s(bf.sized(8, "L (C)", (nv - u64::from(n_public) - 1) * 64)?, 8)?;
        let hq = g1s(bf.sized(9, "H", u64::from(domain_size) * 64)?, 9)?;
        let (cs_hash, contributions) = read_mpc(bf.section(10)?)?;
        Ok(Self {
            n_vars,
            n_public,
            domain_size,
            alpha_g1,
            beta_g1,
            beta_g2,
            gamma_g2,
            delta_g1,
            delta_g2,
            ic,
            coefs,
            a,
            b1,
            b2,
            l,
            h: hq,
            cs_hash,
            contributions,
        })
    }

    /// Encodes the key. A key without contributions is written in the section order
    /// of snarkjs' `zkey new` (1, 2, 4, 3, 9, 8, 5, 6, 7, 10), so that psephos'
    /// initial key is byte-identical to snarkjs'; a contributed key in order 1–10,
    /// as `zkey contribute` writes it.
    pub fn to_bytes(&self) -> Vec<u8> {
        let s1 = 1u32.to_le_bytes().to_vec();
        let mut s2 = Vec::with_capacity(660);
        s2.extend_from_slice(&32u32.to_le_bytes());
        s2.extend_from_slice(&q_le());
        s2.extend_from_slice(&32u32.to_le_bytes());
        s2.extend_from_slice(&r_le());
        for v in [self.n_vars, self.n_public, self.domain_size] {
            s2.extend_from_slice(&v.to_le_bytes());
        }
        put_g1_lem(&self.alpha_g1, &mut s2);
        put_g1_lem(&self.beta_g1, &mut s2);
        put_g2_lem(&self.beta_g2, &mut s2);
        put_g2_lem(&self.gamma_g2, &mut s2);
        put_g1_lem(&self.delta_g1, &mut s2);
        put_g2_lem(&self.delta_g2, &mut s2);
        let g1v = |v: &[G1Affine]| {
            let mut o = Vec::with_capacity(v.len() * 64);
            v.iter().for_each(|p| put_g1_lem(p, &mut o));
            o
        };
        let s3 = g1v(&self.ic);
        let mut s4 = Vec::with_capacity(4 + self.coefs.len() * 44);
        s4.extend_from_slice(&(self.coefs.len() as u32).to_le_bytes());
        let r = mont_r();
        let mut buf = [0u8; 32];
        for c in &self.coefs {
            s4.extend_from_slice(&c.matrix.to_le_bytes());
            s4.extend_from_slice(&c.constraint.to_le_bytes());
            s4.extend_from_slice(&c.signal.to_le_bytes());
            fr_to_lem(&(c.value * r), &mut buf);
            s4.extend_from_slice(&buf);
        }
        let s5 = g1v(&self.a);
        let s6 = g1v(&self.b1);
        let mut s7 = Vec::with_capacity(self.b2.len() * 128);
        self.b2.iter().for_each(|p| put_g2_lem(p, &mut s7));
        let s8 = g1v(&self.l);
        let s9 = g1v(&self.h);
        let s10 = write_mpc(&self.cs_hash, &self.contributions);
        let sec: [(u32, &[u8]); 10] = [
            (1, &s1),
            (2, &s2),
            (3, &s3),
            (4, &s4),
            (5, &s5),
            (6, &s6),
            (7, &s7),
            (8, &s8),
            (9, &s9),
            (10, &s10),
        ];
        let order: [usize; 10] = if self.contributions.is_empty() {
            [0, 1, 3, 2, 8, 7, 4, 5, 6, 9]
        } else {
            [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
        };
        let sections: Vec<(u32, &[u8])> = order.iter().map(|&i| sec[i]).collect();
        binfile::write(b"zkey", &sections)
    }

    /// Real (non-beacon) contributions.
    pub fn secret_contributions(&self) -> usize {
        self.contributions.iter().filter(|c| c.kind == ContributionKind::Secret).count()
    }
}

fn read_mpc(data: &[u8]) -> Result<([u8; 64], Vec<Contribution>), DecodeError> {
    let mut r = Reader::new(data, FILE);
    let mut cs_hash = [0u8; 64];
    cs_hash.copy_from_slice(r.bytes(64, "circuit hash")?);
    let n = r.u32("contribution count")? as usize;
    if n.saturating_mul(64 * 3 + 128 + 64 + 8) > r.remaining() {
        return Err(DecodeError::Truncated { file: FILE, what: "contributions".into() });
    }
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let what = || format!("contribution {}", i + 1);
        let delta_after = g1_from_lem(r.bytes(64, "contribution")?, FILE, &what)?;
        let g1_s = g1_from_lem(r.bytes(64, "contribution")?, FILE, &what)?;
        let g1_sx = g1_from_lem(r.bytes(64, "contribution")?, FILE, &what)?;
        let g2_spx = g2_from_lem(r.bytes(128, "contribution")?, FILE, &what)?;
        let mut transcript = [0u8; 64];
        transcript.copy_from_slice(r.bytes(64, "transcript")?);
        let kind = r.u32("contribution type")?;
        let len = r.u32("parameter length")? as usize;
        let mut p = Reader::new(r.bytes(len, "parameters")?, FILE);
        let bad = |m: &str| DecodeError::Header { file: FILE, what: format!("contribution {}: {m}", i + 1) };
        let (mut name, mut exp, mut hash) = (None, None, None);
        let mut last = 0u8;
        while p.remaining() > 0 {
            let t = p.u8("parameter type")?;
            if t <= last {
                return Err(bad("parameters not sorted"));
            }
            last = t;
            match t {
                1 => {
                    let n = p.u8("name length")? as usize;
                    let s = std::str::from_utf8(p.bytes(n, "name")?).map_err(|_| bad("name is not UTF-8"))?;
                    name = Some(s.to_owned());
                }
                2 => exp = Some(p.u8("numIterationsExp")?),
                3 => {
                    let n = p.u8("beacon length")? as usize;
                    hash = Some(p.bytes(n, "beacon hash")?.to_vec());
                }
                _ => return Err(bad("unknown parameter")),
            }
        }
        let kind = match (kind, exp, hash) {
            (0, None, None) => ContributionKind::Secret,
            (1, Some(num_iterations_exp), Some(hash)) => {
                ContributionKind::Beacon { hash, num_iterations_exp }
            }
            _ => return Err(bad("type and parameters disagree")),
        };
        out.push(Contribution { delta_after, g1_s, g1_sx, g2_spx, transcript, kind, name });
    }
    r.finish("section 10")?;
    Ok((cs_hash, out))
}

fn write_mpc(cs_hash: &[u8; 64], contributions: &[Contribution]) -> Vec<u8> {
    let mut o = cs_hash.to_vec();
    o.extend_from_slice(&(contributions.len() as u32).to_le_bytes());
    for c in contributions {
        put_g1_lem(&c.delta_after, &mut o);
        put_g1_lem(&c.g1_s, &mut o);
        put_g1_lem(&c.g1_sx, &mut o);
        put_g2_lem(&c.g2_spx, &mut o);
        o.extend_from_slice(&c.transcript);
        let mut params = Vec::new();
        if let Some(n) = &c.name {
            // Names read from a file (up to 255 bytes) are kept as they are; new ones are cut to 64 bytes.
            let n = truncate_to(n, 255);
            params.push(1);
            params.push(n.len() as u8);
            params.extend_from_slice(n.as_bytes());
        }
        let kind: u32 = match &c.kind {
            ContributionKind::Secret => 0,
            ContributionKind::Beacon { hash, num_iterations_exp } => {
                params.push(2);
                params.push(*num_iterations_exp);
                params.push(3);
                params.push(hash.len() as u8);
                params.extend_from_slice(hash);
                1
            }
        };
        o.extend_from_slice(&kind.to_le_bytes());
        o.extend_from_slice(&(params.len() as u32).to_le_bytes());
        o.extend_from_slice(&params);
    }
    o
}

/// A name cut to at most [`MAX_NAME_BYTES`] bytes on a character boundary.
pub fn truncate_name(name: &str) -> &str {
    truncate_to(name, MAX_NAME_BYTES)
}

fn truncate_to(name: &str, max: usize) -> &str {
    let mut end = name.len().min(max);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    &name[..end]
}

/// `1` as a coefficient (used for the input-constraint rows).
pub(crate) fn one() -> Fr {
    Fr::one()
}
