//! The crate's errors: malformed input ([`DecodeError`]), a failed ceremony check
//! ([`CheckFailure`]), both wrapped in [`Error`](enum@Error).

use thiserror::Error;

/// A file that is not a well-formed, canonical snarkjs/iden3 file of the expected
/// kind. Nothing in it was trusted.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DecodeError {
    /// The file does not start with the expected 4-byte magic.
    #[error("{file}: not a .{file} file (bad magic)")]
    BadMagic {
        /// The expected kind (`ptau`, `zkey`, `r1cs`).
        file: &'static str,
    },
    /// An unsupported container or protocol version.
    #[error("{file}: unsupported version {version}")]
    BadVersion {
        /// The file kind.
        file: &'static str,
        /// The version found.
        version: u32,
    },
    /// The file ends before a declared field or section.
    #[error("{file}: truncated ({what})")]
    Truncated {
        /// The file kind.
        file: &'static str,
        /// What was being read.
        what: String,
    },
    /// Bytes after the last section, or after the last field of a section.
    #[error("{file}: trailing data after {what}")]
    TrailingData {
        /// The file kind.
        file: &'static str,
        /// Where.
        what: String,
    },
    /// A section that is missing, duplicated or not allowed in this file.
    #[error("{file}: section {id}: {problem}")]
    Section {
        /// The file kind.
        file: &'static str,
        /// The section id.
        id: u32,
        /// `missing`, `duplicated` or `unknown`.
        problem: &'static str,
    },
    /// A section whose size is not the one its header implies (extra or missing elements).
    #[error("{file}: section {id} ({what}) has {found} bytes, expected exactly {expected}")]
    SectionSize {
        /// The file kind.
        file: &'static str,
        /// The section id.
        id: u32,
        /// The section's content.
        what: &'static str,
        /// Expected size in bytes.
        expected: u64,
        /// Size found.
        found: u64,
    },
    /// A header field outside what psephos supports (curve, sizes, limits).
    #[error("{file}: {what}")]
    Header {
        /// The file kind.
        file: &'static str,
        /// The problem.
        what: String,
    },
    /// A field element or coordinate that is not `< modulus`.
    #[error("{file}: non-canonical field element in {what}")]
    NonCanonical {
        /// The file kind.
        file: &'static str,
        /// Where.
        what: String,
    },
    /// A point that is not on the curve.
    #[error("{file}: point not on the curve in {what}")]
    NotOnCurve {
        /// The file kind.
        file: &'static str,
        /// Where.
        what: String,
    },
    /// A G2 point on the curve but outside the prime-order subgroup.
    #[error("{file}: G2 point outside the prime-order subgroup in {what}")]
    NotInSubgroup {
        /// The file kind.
        file: &'static str,
        /// Where.
        what: String,
    },
}

/// A ceremony check that failed: the input is well formed but not a valid
/// ceremony output. Each variant names the check.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CheckFailure {
    /// The ptau's BLAKE2b-512 is not one of the pinned transcripts.
    #[error("ptau: BLAKE2b-512 {b2sum} is not a pinned phase-1 transcript")]
    UnpinnedPtau {
        /// The file's hash (hex).
        b2sum: String,
    },
    /// A ptau whose first powers are not the generators.
    #[error("ptau: section {section} does not start with the generator")]
    PtauGenerator {
        /// The section.
        section: u32,
    },
    /// A ptau section whose points are not successive powers of one τ.
    #[error("ptau: section {section} is not a sequence of powers of tau")]
    PtauPowers {
        /// The section.
        section: u32,
    },
    /// A Lagrange level that is not the inverse FFT of the monomials.
    #[error("ptau: section {section} level {level} is not the inverse FFT of the monomial powers")]
    PtauLagrange {
        /// The section.
        section: u32,
        /// The level (domain size 2^level).
        level: u32,
    },
    /// The ptau's contribution record is inconsistent with its powers.
    #[error("ptau: contributions: {0}")]
    PtauContributions(String),
    /// The ptau has no Lagrange sections (run `prepare phase2`).
    #[error("ptau: not prepared for phase 2 (no Lagrange sections 12-15)")]
    PtauNotPrepared,
    /// The circuit needs a bigger phase 1.
    #[error("ptau: the circuit needs power {need}, the file has {have}")]
    PtauTooSmall {
        /// Needed power.
        need: u32,
        /// The file's power.
        have: u32,
    },
    /// The key's structure differs from the initial key recomputed from the R1CS and the ptau.
    #[error("zkey: {what} differs from the initial key recomputed from the circuit and the ptau (key for another circuit or tampered)")]
    InitMismatch {
        /// The field or section.
        what: &'static str,
    },
    /// Fewer real (non-beacon) contributions than required.
    #[error("zkey: {found} real contribution(s), at least {required} required")]
    TooFewContributions {
        /// Required.
        required: usize,
        /// Found.
        found: usize,
    },
    /// A contribution after the beacon.
    #[error("zkey: contribution {index} is a beacon but not the last contribution")]
    BeaconNotLast {
        /// 1-based contribution index.
        index: usize,
    },
    /// A contribution whose stored transcript is not the hash of the chain.
    #[error("zkey: contribution {index}: transcript hash does not match the chain")]
    Transcript {
        /// 1-based index.
        index: usize,
    },
    /// e(s, rx) ≠ e(sx, r): no proof of knowledge of the contribution's secret.
    #[error("zkey: contribution {index}: proof of knowledge fails (e(s, r·x) != e(s·x, r))")]
    ProofOfKnowledge {
        /// 1-based index.
        index: usize,
    },
    /// δ_i is not δ_{i−1} times the contribution's secret.
    #[error("zkey: contribution {index}: delta does not follow from the previous delta")]
    DeltaChain {
        /// 1-based index.
        index: usize,
    },
    /// A contribution that leaves δ unchanged (secret 1): it adds no randomness.
    #[error("zkey: contribution {index} leaves delta unchanged (secret 1): not a contribution")]
    UnchangedDelta {
        /// 1-based index.
        index: usize,
    },
    /// A beacon contribution whose keys are not the ones the beacon value derives.
    #[error("zkey: contribution {index}: beacon keys do not match the beacon value")]
    BeaconMismatch {
        /// 1-based index.
        index: usize,
    },
    /// The beacon is not the announced one.
    #[error("zkey: the beacon is not the announced value")]
    BeaconNotAnnounced,
    /// A contribution point that is the identity.
    #[error("zkey: contribution {index}: {what} is the point at infinity")]
    ZeroPoint {
        /// 1-based index.
        index: usize,
        /// Which point.
        what: &'static str,
    },
    /// The header's δ₁ is not the last contribution's, or δ₁, δ₂ disagree.
    #[error("zkey: final delta: {0}")]
    FinalDelta(&'static str),
    /// δ₂ = γ₂: anyone can forge proofs with this key.
    #[error("zkey: delta_2 equals gamma_2 (no phase-2 contribution: proofs are forgeable)")]
    GammaEqualsDelta,
    /// δ is a generator.
    #[error("zkey: delta is the group generator (proofs are forgeable)")]
    DeltaIsGenerator,
    /// The L query is not the initial one divided by δ.
    #[error("zkey: L query (section 8) is not the initial L divided by delta")]
    LQuery,
    /// The H query is not the initial one divided by δ.
    #[error("zkey: H query (section 9) is not the initial H divided by delta")]
    HQuery,
}

/// Any error of this crate.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Error {
    /// Malformed input.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// A failed check.
    #[error(transparent)]
    Check(#[from] CheckFailure),
    /// The caller's arguments are invalid (a beacon exponent out of range, a circuit that fails to synthesize, …).
    #[error("{0}")]
    Usage(String),
}
