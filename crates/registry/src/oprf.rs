//! The dedup tag: RFC 9497 `ristretto255-SHA512` OPRF mode, evaluated by a
//! threshold of registrars (docs/spec/registry.md §5).
//!
//! The dedup key `k` is Shamir-shared among the `n` registrars (registrar `i`
//! holds `kᵢ = f(i)`, `f(0) = k`, degree `t − 1`); the policy publishes
//! `K = k·G` and every `Kᵢ = kᵢ·G`. To tag a person's uniqueness evidence `x`:
//!
//! 1. the enrolling registrar blinds: `B = r·H(x)` (RFC 9497 `Blind`, the
//!    `voprf` crate), and sends only `B` (with the group id) to the others;
//! 2. each of `t` registrars returns `Zᵢ = kᵢ·B` and a DLEQ proof that
//!    `log_G Kᵢ = log_B Zᵢ` (`psephos_sigma`'s Chaum–Pedersen proof, domain
//!    [`labels::OPRF_PARTIAL`], context = suite id and registrar index);
//! 3. the enrolling registrar checks every proof (a bad one is attributed to its
//!    registrar), combines `Z = Σ λᵢ·Zᵢ = k·B` (Lagrange at 0) — the same element
//!    as RFC 9497 `BlindEvaluate` with the whole key — and runs RFC 9497
//!    `Finalize`: tag `= SHA-512(len‖x‖len‖r⁻¹·Z‖"Finalize")`.
//!
//! No registrar holds `k`, and `x` never leaves the enrolling registrar.

use std::fmt;

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_TABLE;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use psephos_primitives::PrimeGroup;
use psephos_threshold::shamir::interpolate_in_exponent;
use rand_core::{CryptoRng, RngCore};
use voprf::{EvaluationElement, OprfClient, OprfServer};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::encoding::{nonidentity_point_from_bytes, DedupTag};
use psephos_sigma::{DleqProof, DleqStatement, DLEQ_PROOF_LEN};

use crate::{labels, RegistryError};

/// The RFC 9497 cipher suite (`ristretto255-SHA512`).
pub type Suite = voprf::Ristretto255;

/// The suite identifier of RFC 9497 §4.1.
pub const SUITE_ID: &str = "ristretto255-SHA512";

/// The longest evidence the OPRF accepts (RFC 9497: the input is length-prefixed
/// with two bytes).
pub const MAX_EVIDENCE_BYTES: usize = u16::MAX as usize;

fn check_evidence(evidence: &[u8]) -> Result<(), RegistryError> {
    if evidence.is_empty() || evidence.len() > MAX_EVIDENCE_BYTES {
        return Err(RegistryError::OprfInput);
    }
    Ok(())
}

fn tag_from_output(out: &[u8]) -> Result<DedupTag, RegistryError> {
    let arr: [u8; 64] = out.try_into().map_err(|_| RegistryError::Misuse("OPRF output is not 64 bytes"))?;
    Ok(DedupTag(arr))
}

/// The single-key RFC 9497 evaluation `Evaluate(k, x)` (the reference the
/// threshold protocol must reproduce; a test and audit helper: in the protocol
/// nobody holds `k`).
pub fn evaluate_with_key(key: &Scalar, evidence: &[u8]) -> Result<DedupTag, RegistryError> {
    check_evidence(evidence)?;
    let server = OprfServer::<Suite>::new_with_key(key.as_bytes())
        .map_err(|_| RegistryError::Misuse("the OPRF key must be a non-zero scalar"))?;
    let out = server.evaluate(evidence).map_err(|_| RegistryError::OprfInput)?;
    tag_from_output(&out)
}

/// Registrar `index`'s Shamir share `kᵢ` of the dedup key. Zeroized on drop;
/// `Debug` is redacted.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct DedupKeyShare {
    #[zeroize(skip)]
    index: u32,
    share: Scalar,
}

impl fmt::Debug for DedupKeyShare {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DedupKeyShare {{ index: {}, share: <redacted> }}", self.index)
    }
}

impl DedupKeyShare {
    /// The share `kᵢ = f(i)` of registrar `index` (1-based); index 0 is refused.
    pub fn new(index: u32, share: Scalar) -> Result<Self, RegistryError> {
        if index == 0 {
            return Err(RegistryError::Misuse("share indices start at 1"));
        }
        Ok(DedupKeyShare { index, share })
    }

    /// Registrar `i`'s share from its `psephos_threshold` DKG output (the first
    /// secret of the session).
    pub fn from_dkg(
        share: &psephos_threshold::dkg::SecretShare<RistrettoPoint>,
    ) -> Result<Self, RegistryError> {
        let value = share.value(0).ok_or(RegistryError::Misuse("DKG output without a share"))?;
        Self::new(share.index(), *value)
    }

    /// Decodes a share from its index and 32 canonical bytes.
    pub fn from_bytes(index: u32, bytes: &[u8]) -> Result<Self, RegistryError> {
        Self::new(index, crate::encoding::scalar_from_bytes(bytes, "dedup key share")?)
    }

    /// The canonical 32 bytes of `kᵢ` (zeroized when dropped).
    pub fn to_bytes(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.share.to_bytes())
    }

    /// The 1-based registrar index `i`.
    pub fn index(&self) -> u32 {
        self.index
    }

    /// `Kᵢ = kᵢ·G`.
    pub fn public_share(&self) -> RistrettoPoint {
        &self.share * RISTRETTO_BASEPOINT_TABLE
    }

    /// Step 2: the partial evaluation `Zᵢ = kᵢ·B` with its DLEQ proof.
    pub fn evaluate(
        &self,
        request: &BlindedRequest,
        rng: &mut (impl RngCore + CryptoRng),
    ) -> PartialEvaluation {
        let public = self.public_share();
        let element = self.share * request.element;
        let statement = partial_statement(request, &public, &element);
        // The witness matches the statement by construction and B is never the
        // identity (BlindedRequest is validated), so proving cannot fail.
        let proof = DleqProof::prove(
            labels::OPRF_PARTIAL,
            &statement,
            &self.share,
            &partial_context(self.index),
            rng,
        )
        .expect("kᵢ is the witness of (G, B, kᵢ·G, kᵢ·B) and B is not the identity");
        PartialEvaluation { registrar: self.index, element, proof }
    }
}

/// The public side of the dedup key: threshold `t`, `K = k·G` and `K₁ … Kₙ`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DedupPublicKey {
    /// The threshold `t` (partial evaluations needed).
    pub threshold: u32,
    /// `K = k·G`.
    pub key: RistrettoPoint,
    /// `Kᵢ = kᵢ·G` for `i = 1 … n` (index `i − 1`).
    pub shares: Vec<RistrettoPoint>,
}

impl DedupPublicKey {
    /// Checks that `1 ≤ t ≤ n`, no value is the identity, and the shares lie on one
    /// polynomial of degree `t − 1` whose value at 0 is `K` (Feldman consistency):
    /// `K₁ … K_t` interpolate to `K`, and for every `j > t` so do
    /// `K₁ … K_{t−1}, K_j` (the degree-`(t − 1)` polynomial through `K` and
    /// `K₁ … K_{t−1}` is unique, so each `K_j` lies on it).
    pub fn check(&self) -> Result<(), RegistryError> {
        let n = self.shares.len();
        let t = self.threshold as usize;
        if t == 0 || t > n {
            return Err(RegistryError::InvalidPolicy("OPRF threshold must be between 1 and n"));
        }
        if self.key.is_identity() || self.shares.iter().any(|s| s.is_identity()) {
            return Err(RegistryError::InvalidPolicy("OPRF public key or share is the identity"));
        }
        let mut points: Vec<(u32, RistrettoPoint)> =
            (1..=t as u32).map(|i| (i, self.shares[i as usize - 1])).collect();
        for j in t..=n {
            points[t - 1] = (j as u32, self.shares[j - 1]);
            let at_zero = interpolate_in_exponent(&points, self.threshold)
                .map_err(|_| RegistryError::InvalidPolicy("OPRF public shares cannot be interpolated"))?;
            if at_zero != self.key {
                return Err(RegistryError::InvalidPolicy(if j == t {
                    "OPRF public shares do not interpolate to the public key"
                } else {
                    "OPRF public shares are not on one polynomial of degree t-1"
                }));
            }
        }
        Ok(())
    }

    /// The public side from a `psephos_threshold` DKG's public output (first
    /// secret): `K` = its public key, `Kᵢ` = the verification shares; checked.
    /// Anyone can compute it from the DKG transcript.
    pub fn from_dkg(
        public: &psephos_threshold::dkg::DkgPublicOutput<RistrettoPoint>,
    ) -> Result<Self, RegistryError> {
        let dedup = DedupPublicKey {
            threshold: public.threshold,
            key: *public
                .public_keys
                .first()
                .ok_or(RegistryError::InvalidPolicy("DKG output without a public key"))?,
            shares: public
                .verification_shares
                .iter()
                .map(|row| {
                    row.first()
                        .copied()
                        .ok_or(RegistryError::InvalidPolicy("DKG output without verification shares"))
                })
                .collect::<Result<Vec<_>, _>>()?,
        };
        dedup.check()?;
        Ok(dedup)
    }

    fn share(&self, registrar: u32) -> Result<&RistrettoPoint, RegistryError> {
        registrar
            .checked_sub(1)
            .and_then(|i| self.shares.get(i as usize))
            .ok_or(RegistryError::UnknownRegistrar(registrar))
    }
}

/// Step 1's message: the blinded element `B` for a group (the evidence stays
/// with the enrolling registrar).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlindedRequest {
    /// `B = r·H(x)`, canonical and non-identity.
    pub element: RistrettoPoint,
}

impl BlindedRequest {
    /// Decodes `B` (32 canonical bytes, non-identity).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, RegistryError> {
        Ok(BlindedRequest { element: nonidentity_point_from_bytes(bytes, "blinded element")? })
    }

    /// The 32-byte encoding of `B`.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.element.compress().to_bytes()
    }
}

/// Registrar `i`'s answer: `Zᵢ = kᵢ·B` and the DLEQ proof.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PartialEvaluation {
    /// The 1-based registrar index `i`.
    pub registrar: u32,
    /// `Zᵢ`.
    pub element: RistrettoPoint,
    /// The proof that `log_G Kᵢ = log_B Zᵢ`.
    pub proof: DleqProof<RistrettoPoint>,
}

impl PartialEvaluation {
    /// Checks the DLEQ proof against `Kᵢ` from the policy.
    pub fn verify(&self, public: &DedupPublicKey, request: &BlindedRequest) -> Result<(), RegistryError> {
        let k_i = public.share(self.registrar)?;
        let statement = partial_statement(request, k_i, &self.element);
        self.proof
            .verify(labels::OPRF_PARTIAL, &statement, &partial_context(self.registrar))
            .map_err(|_| RegistryError::InvalidPartialEvaluation { registrar: self.registrar })
    }

    /// The length of [`Self::to_bytes`]: `i ‖ Zᵢ ‖ proof`.
    pub const ENCODED_LEN: usize = 4 + 32 + DLEQ_PROOF_LEN;

    /// `i` (4 bytes, little-endian) `‖ Zᵢ ‖ proof` (`A ‖ B ‖ s`).
    pub fn to_bytes(&self) -> [u8; Self::ENCODED_LEN] {
        let mut out = [0u8; Self::ENCODED_LEN];
        out[..4].copy_from_slice(&self.registrar.to_le_bytes());
        out[4..36].copy_from_slice(self.element.compress().as_bytes());
        out[36..].copy_from_slice(&self.proof.to_bytes());
        out
    }

    /// Decodes [`Self::to_bytes`]; `Zᵢ` must be canonical and non-identity.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, RegistryError> {
        if bytes.len() != Self::ENCODED_LEN {
            return Err(RegistryError::malformed(
                "partial evaluation",
                format!("expected {} bytes", Self::ENCODED_LEN),
            ));
        }
        let mut idx = [0u8; 4];
        idx.copy_from_slice(&bytes[..4]);
        Ok(PartialEvaluation {
            registrar: u32::from_le_bytes(idx),
            element: nonidentity_point_from_bytes(&bytes[4..36], "partial evaluation Z")?,
            proof: DleqProof::from_bytes(&bytes[36..])
                .map_err(|_| RegistryError::NonCanonical("partial evaluation proof"))?,
        })
    }
}

/// The DLEQ statement of a partial evaluation: `(G, B, Kᵢ, Zᵢ)`.
fn partial_statement(
    request: &BlindedRequest,
    k_i: &RistrettoPoint,
    z_i: &RistrettoPoint,
) -> DleqStatement<RistrettoPoint> {
    DleqStatement::new(RistrettoPoint::generator(), request.element, *k_i, *z_i)
}

/// The proof context: the suite id and the registrar index (little-endian u32).
fn partial_context(registrar: u32) -> Vec<u8> {
    let mut c = SUITE_ID.as_bytes().to_vec();
    c.extend_from_slice(&registrar.to_le_bytes());
    c
}

/// Step 3: checks every partial evaluation (distinct known registrars, each DLEQ
/// proof; the first bad one is named) and combines the first `t` into
/// `Z = Σ λᵢ·Zᵢ = k·B`.
pub fn combine(
    public: &DedupPublicKey,
    request: &BlindedRequest,
    partials: &[PartialEvaluation],
) -> Result<RistrettoPoint, RegistryError> {
    let mut seen = std::collections::BTreeSet::new();
    for p in partials {
        if !seen.insert(p.registrar) {
            return Err(RegistryError::DuplicateSigner(p.registrar));
        }
        p.verify(public, request)?;
    }
    let t = public.threshold as usize;
    if partials.len() < t {
        return Err(RegistryError::TooFewPartials { got: partials.len(), need: t });
    }
    let points: Vec<(u32, RistrettoPoint)> = partials[..t].iter().map(|p| (p.registrar, p.element)).collect();
    interpolate_in_exponent(&points, public.threshold)
        .map_err(|_| RegistryError::Misuse("Lagrange interpolation of distinct indices failed"))
}

/// The enrolling registrar's secret blinding state (RFC 9497 client state).
/// Zeroized on drop; `Debug` is redacted.
pub struct DedupBlinding {
    client: OprfClient<Suite>,
    request: BlindedRequest,
}

impl fmt::Debug for DedupBlinding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DedupBlinding(<redacted>)")
    }
}

impl DedupBlinding {
    /// Step 1: blinds the evidence (1–65535 bytes). Returns the secret state and
    /// the request to send to the other registrars.
    pub fn blind(
        evidence: &[u8],
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<(Self, BlindedRequest), RegistryError> {
        check_evidence(evidence)?;
        let res = OprfClient::<Suite>::blind(evidence, rng).map_err(|_| RegistryError::OprfInput)?;
        let request = BlindedRequest::from_bytes(&res.message.serialize())?;
        Ok((DedupBlinding { client: res.state, request }, request))
    }

    /// The request this state belongs to.
    pub fn request(&self) -> &BlindedRequest {
        &self.request
    }

    /// Step 3: checks and combines the partial evaluations, then unblinds and
    /// finalizes (RFC 9497 `Finalize`) into the dedup tag.
    pub fn finalize(
        &self,
        evidence: &[u8],
        public: &DedupPublicKey,
        partials: &[PartialEvaluation],
    ) -> Result<DedupTag, RegistryError> {
        check_evidence(evidence)?;
        let z = combine(public, &self.request, partials)?;
        let eval = EvaluationElement::<Suite>::deserialize(z.compress().as_bytes())
            .map_err(|_| RegistryError::IdentityPoint("combined evaluation"))?;
        let out = self.client.finalize(evidence, &eval).map_err(|_| RegistryError::OprfInput)?;
        tag_from_output(&out)
    }

    /// The state bytes `r ‖ B` (64 bytes: the RFC 9497 blind and the request;
    /// secret, zeroized on drop).
    pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        let mut out = Zeroizing::new(self.client.serialize().to_vec());
        out.extend_from_slice(&self.request.to_bytes());
        out
    }

    /// Restores the state from [`Self::to_bytes`]: `r` a canonical non-zero
    /// scalar, `B` a canonical non-identity point.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, RegistryError> {
        if bytes.len() != 64 {
            return Err(RegistryError::malformed("OPRF blinding state", "expected 64 bytes"));
        }
        let blind = crate::encoding::scalar_from_bytes(&bytes[..32], "OPRF blind")?;
        if blind == Scalar::ZERO {
            return Err(RegistryError::malformed("OPRF blind", "zero"));
        }
        let client = OprfClient::<Suite>::deserialize(&bytes[..32])
            .map_err(|_| RegistryError::NonCanonical("OPRF blind"))?;
        let request = BlindedRequest::from_bytes(&bytes[32..])?;
        Ok(DedupBlinding { client, request })
    }
}
