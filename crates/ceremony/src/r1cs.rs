//! Constraint systems in iden3's `.r1cs` format (circom's output), read and
//! written, and exported from any psephos circuit (docs/spec/ceremony.md §"r1cs").
//!
//! Wire order is arkworks' (`1`, public inputs, witnesses): wire 0 is the constant
//! one, wires `1..=nPubIn` the public inputs (psephos circuits have no circom
//! "outputs": `nPubOut = 0`, `nPrvIn = 0`), and the label map is the identity.

use ark_bn254::Fr;
use ark_ff::Zero;
use ark_relations::gr1cs::{
    predicate::polynomial_constraint::R1CS_PREDICATE_LABEL, ConstraintSynthesizer, ConstraintSystem,
    OptimizationGoal, SynthesisMode,
};

use crate::{
    binfile::{self, BinFile, Reader},
    encoding::{fr_from_le, fr_to_le, is_bn254_r, r_le},
    error::{DecodeError, Error},
};

const FILE: &str = "r1cs";

/// Largest number of wires or constraints accepted (2^28, the largest ptau).
pub const MAX_SIZE: u32 = 1 << 28;

/// A linear combination: `(wire, coefficient)` terms in file order.
pub type Lc = Vec<(u32, Fr)>;

/// One constraint `A·z ∘ B·z = C·z`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Constraint {
    /// `A`.
    pub a: Lc,
    /// `B`.
    pub b: Lc,
    /// `C`.
    pub c: Lc,
}

/// A rank-1 constraint system over BN254's scalar field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct R1cs {
    /// Wires, including the constant one.
    pub n_wires: u32,
    /// Public outputs (circom), wires `1..=nPubOut`.
    pub n_pub_out: u32,
    /// Public inputs, after the outputs.
    pub n_pub_in: u32,
    /// Private inputs (informational).
    pub n_prv_in: u32,
    /// Labels in the circuit (informational).
    pub n_labels: u64,
    /// The constraints.
    pub constraints: Vec<Constraint>,
    /// Label of each wire.
    pub wire_to_label: Vec<u64>,
}

impl R1cs {
    /// Public signals (outputs and public inputs), without the constant one.
    pub fn n_public(&self) -> u32 {
        self.n_pub_out + self.n_pub_in
    }

    /// The constraint system of `circuit` (a blank circuit is enough), as the
    /// psephos prover builds it (arkworks, `Constraints` optimization goal, linear
    /// combinations inlined); zero coefficients are dropped.
    pub fn from_circuit<C: ConstraintSynthesizer<Fr>>(circuit: C) -> Result<Self, Error> {
        let cs = ConstraintSystem::<Fr>::new_ref();
        cs.set_optimization_goal(OptimizationGoal::Constraints);
        cs.set_mode(SynthesisMode::Setup);
        circuit
            .generate_constraints(cs.clone())
            .map_err(|e| Error::Usage(format!("synthesis failed: {e}")))?;
        cs.finalize();
        for (label, count) in cs.get_all_predicates_num_constraints() {
            if label != R1CS_PREDICATE_LABEL && count > 0 {
                return Err(Error::Usage("the circuit uses non-R1CS constraints".into()));
            }
        }
        let matrices = cs.to_matrices().map_err(|e| Error::Usage(format!("synthesis failed: {e}")))?;
        let [a, b, c] = matrices
            .get(R1CS_PREDICATE_LABEL)
            .map(|m| m.as_slice())
            .and_then(|m| <&[_; 3]>::try_from(m).ok())
            .ok_or_else(|| Error::Usage("the circuit has no R1CS matrices".into()))?;
        let n_instance = cs.num_instance_variables();
        let n_wires = n_instance + cs.num_witness_variables();
        let too_big = |n: usize| n > MAX_SIZE as usize;
        if too_big(n_wires) || too_big(cs.num_constraints()) {
            return Err(Error::Usage("the circuit is too large".into()));
        }
        let lc = |row: &Vec<(Fr, usize)>| -> Lc {
            row.iter().filter(|(c, _)| !c.is_zero()).map(|&(c, j)| (j as u32, c)).collect()
        };
        let constraints = (0..cs.num_constraints())
            .map(|i| Constraint { a: lc(&a[i]), b: lc(&b[i]), c: lc(&c[i]) })
            .collect();
        Ok(Self {
            n_wires: n_wires as u32,
            n_pub_out: 0,
            n_pub_in: (n_instance - 1) as u32,
            n_prv_in: 0,
            n_labels: n_wires as u64,
            constraints,
            wire_to_label: (0..n_wires as u64).collect(),
        })
    }

    /// Decodes a `.r1cs` file (sections 1–3; custom-gate sections are refused):
    /// BN254 field, canonical coefficients, wire ids in range, exact sizes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        let bf = BinFile::parse(bytes, b"r1cs", FILE, &[1, 2, 3])?;
        let mut h = Reader::new(bf.section(1)?, FILE);
        if h.u32("n8")? != 32 || !is_bn254_r(h.bytes(32, "prime")?) {
            return Err(DecodeError::Header { file: FILE, what: "not a BN254 constraint system".into() });
        }
        let n_wires = h.u32("nWires")?;
        let n_pub_out = h.u32("nPubOut")?;
        let n_pub_in = h.u32("nPubIn")?;
        let n_prv_in = h.u32("nPrvIn")?;
        let n_labels = h.u64("nLabels")?;
        let m = h.u32("nConstraints")?;
        h.finish("the header")?;
        let public = u64::from(n_pub_out) + u64::from(n_pub_in) + u64::from(n_prv_in);
        if n_wires == 0 || n_wires > MAX_SIZE || m > MAX_SIZE || public >= u64::from(n_wires) {
            return Err(DecodeError::Header { file: FILE, what: "sizes out of range".into() });
        }
        let mut r = Reader::new(bf.section(2)?, FILE);
        if (m as usize).saturating_mul(12) > r.remaining() {
            return Err(DecodeError::Truncated { file: FILE, what: "constraints".into() });
        }
        let mut constraints = Vec::with_capacity(m as usize);
        for i in 0..m {
            let mut lcs: [Lc; 3] = Default::default();
            for lc in lcs.iter_mut() {
                let n = r.u32("term count")? as usize;
                if n.saturating_mul(36) > r.remaining() {
                    return Err(DecodeError::Truncated { file: FILE, what: format!("constraint {i}") });
                }
                for _ in 0..n {
                    let w = r.u32("wire")?;
                    if w >= n_wires {
                        return Err(DecodeError::Header {
                            file: FILE,
                            what: format!("constraint {i} uses wire {w} of {n_wires}"),
                        });
                    }
                    let c = fr_from_le(r.bytes(32, "coefficient")?, FILE, &|| format!("constraint {i}"))?;
                    lc.push((w, c));
                }
            }
            let [a, b, c] = lcs;
            constraints.push(Constraint { a, b, c });
        }
        r.finish("the constraints")?;
        let map = bf.sized(3, "wire-to-label map", u64::from(n_wires) * 8)?;
        let wire_to_label = map
            .chunks_exact(8)
            .map(|c| {
                let mut b = [0u8; 8];
                b.copy_from_slice(c);
                u64::from_le_bytes(b)
            })
            .collect();
        Ok(Self { n_wires, n_pub_out, n_pub_in, n_prv_in, n_labels, constraints, wire_to_label })
    }

    /// Encodes the system (sections 1, 2, 3).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut h = Vec::with_capacity(64);
        h.extend_from_slice(&32u32.to_le_bytes());
        h.extend_from_slice(&r_le());
        for v in [self.n_wires, self.n_pub_out, self.n_pub_in, self.n_prv_in] {
            h.extend_from_slice(&v.to_le_bytes());
        }
        h.extend_from_slice(&self.n_labels.to_le_bytes());
        h.extend_from_slice(&(self.constraints.len() as u32).to_le_bytes());
        let mut c = Vec::new();
        let mut buf = [0u8; 32];
        for k in &self.constraints {
            for lc in [&k.a, &k.b, &k.c] {
                c.extend_from_slice(&(lc.len() as u32).to_le_bytes());
                for (w, v) in lc {
                    c.extend_from_slice(&w.to_le_bytes());
                    fr_to_le(v, &mut buf);
                    c.extend_from_slice(&buf);
                }
            }
        }
        let mut map = Vec::with_capacity(self.wire_to_label.len() * 8);
        for l in &self.wire_to_label {
            map.extend_from_slice(&l.to_le_bytes());
        }
        binfile::write(b"r1cs", &[(1, &h), (2, &c), (3, &map)])
    }

    /// BLAKE2b-512 of the encoding (what `b2sum` prints for the written file).
    pub fn b2sum(&self) -> [u8; 64] {
        crate::ptau::b2sum(&self.to_bytes())
    }
}
