//! Schnorr proof of knowledge of a discrete logarithm.
//!
//! Statement: generator `g ≠ 0` and public `X` (the identity is allowed: `x = 0`).
//! Witness: `x` with `X = x·g`. Proof `(R, s)`: `R = r·g`, `c = H(transcript)`,
//! `s = r + c·x`; verify `s·g = R + c·X`. Transcript (merlin, label
//! [`crate::labels::SCHNORR`]): `domain`, `group` (= `G::NAME`),
//! `g`, `X`, `context`, `R`, then challenge `c` (64 bytes, wide reduction).
//! See `docs/spec/sigma.md` §3.

use merlin::Transcript;
use psephos_primitives::{group::ENCODED_LEN, GroupTranscript, PrimeGroup};
use rand_core::{CryptoRng, RngCore};
use zeroize::Zeroize;

use crate::batch::Combination;
use crate::encoding::serde_via_bytes;
use crate::{labels, SigmaError};

/// Byte length of an encoded [`SchnorrProof`]: `R ‖ s`.
pub const SCHNORR_PROOF_LEN: usize = 2 * ENCODED_LEN;

const WHAT: &str = "Schnorr";

/// The public statement: `X = x·g` for some `x` known to the prover.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SchnorrStatement<G: PrimeGroup> {
    /// The generator `g` (must not be the identity).
    pub generator: G,
    /// The public value `X`.
    pub public: G,
}

impl<G: PrimeGroup> SchnorrStatement<G> {
    /// `X` with respect to the group's fixed generator.
    pub fn new(public: G) -> Self {
        SchnorrStatement { generator: G::generator(), public }
    }

    /// `X` with respect to an explicit generator `g`.
    pub fn with_generator(generator: G, public: G) -> Self {
        SchnorrStatement { generator, public }
    }

    fn transcript(&self, domain: &'static [u8], context: &[u8]) -> Result<Transcript, SigmaError> {
        if self.generator.is_identity() {
            return Err(SigmaError::IdentityGenerator);
        }
        if self.public.is_identity() {
            return Err(SigmaError::IdentityPublic);
        }
        let mut t = Transcript::new(labels::SCHNORR);
        t.append_message(b"domain", domain);
        t.append_group::<G>();
        t.append_element(b"g", &self.generator);
        t.append_element(b"X", &self.public);
        t.append_message(b"context", context);
        Ok(t)
    }

    fn challenge(&self, domain: &'static [u8], context: &[u8], r: &G) -> Result<G::Scalar, SigmaError> {
        let mut t = self.transcript(domain, context)?;
        t.append_element(b"R", r);
        Ok(t.challenge_scalar::<G>(b"c"))
    }
}

/// A Schnorr proof `(R, s)`. Serializes (serde) as the lowercase hex of
/// [`SchnorrProof::to_bytes`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SchnorrProof<G: PrimeGroup> {
    /// The commitment `R = r·g`.
    pub commitment: G,
    /// The response `s = r + c·x`.
    pub response: G::Scalar,
}

impl<G: PrimeGroup> SchnorrProof<G> {
    /// Proves knowledge of `witness` with `statement.public = witness·statement.generator`,
    /// bound to the caller's `domain` label and `context` bytes. The nonce is derived
    /// from the transcript, the witness and `rng` (merlin's hedged transcript RNG).
    pub fn prove(
        domain: &'static [u8],
        statement: &SchnorrStatement<G>,
        witness: &G::Scalar,
        context: &[u8],
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<Self, SigmaError> {
        let t = statement.transcript(domain, context)?;
        if crate::mul_base(&statement.generator, witness) != statement.public {
            return Err(SigmaError::WitnessMismatch);
        }
        let mut w = G::encode_scalar(witness);
        let mut nonce_rng = t.build_rng().rekey_with_witness_bytes(b"x", &w).finalize(rng);
        w.zeroize();
        let mut r = G::random_scalar(&mut nonce_rng);
        let commitment = crate::mul_base(&statement.generator, &r);
        let c = statement.challenge(domain, context, &commitment)?;
        let response = r + c * *witness;
        r.zeroize();
        Ok(SchnorrProof { commitment, response })
    }

    /// Verifies the proof against `statement`, `domain` and `context`.
    pub fn verify(
        &self,
        domain: &'static [u8],
        statement: &SchnorrStatement<G>,
        context: &[u8],
    ) -> Result<(), SigmaError> {
        let c = statement.challenge(domain, context, &self.commitment)?;
        if crate::mul_base(&statement.generator, &self.response)
            == self.commitment + statement.public.mul_scalar(&c)
        {
            Ok(())
        } else {
            Err(SigmaError::InvalidProof { what: WHAT })
        }
    }

    /// Verifies many proofs under one `domain` with one multi-scalar multiplication
    /// (random linear combination; weights from `rng`). On failure, names the first
    /// proof that fails individually.
    pub fn batch_verify(
        domain: &'static [u8],
        items: &[(SchnorrStatement<G>, &[u8], SchnorrProof<G>)],
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<(), SigmaError> {
        let mut comb = Combination::<G>::with_capacity(2 * items.len());
        for (statement, context, proof) in items {
            let c = statement.challenge(domain, context, &proof.commitment)?;
            let z = Combination::<G>::weight(rng);
            // z·(s·g − R − c·X) = 0
            comb.push_base(z * proof.response, statement.generator);
            comb.push(-z, proof.commitment);
            comb.push(-(z * c), statement.public);
        }
        if comb.vanishes() {
            return Ok(());
        }
        for (index, (statement, context, proof)) in items.iter().enumerate() {
            if proof.verify(domain, statement, context).is_err() {
                return Err(SigmaError::InvalidProofInBatch { what: WHAT, index });
            }
        }
        // Unreachable except with negligible probability; refuse anyway.
        Err(SigmaError::InvalidProof { what: WHAT })
    }

    /// `R ‖ s`, canonical encodings.
    pub fn to_bytes(&self) -> [u8; SCHNORR_PROOF_LEN] {
        let mut out = [0u8; SCHNORR_PROOF_LEN];
        out[..ENCODED_LEN].copy_from_slice(&self.commitment.encode());
        out[ENCODED_LEN..].copy_from_slice(&G::encode_scalar(&self.response));
        out
    }

    /// Strict decoding of [`Self::to_bytes`]: exact length, canonical element (the
    /// identity is accepted as a commitment) and canonical scalar.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, SigmaError> {
        if bytes.len() != SCHNORR_PROOF_LEN {
            return Err(psephos_primitives::EncodingError::WrongLength {
                what: "Schnorr proof",
                expected: SCHNORR_PROOF_LEN,
                got: bytes.len(),
            }
            .into());
        }
        let commitment = G::decode(&bytes[..ENCODED_LEN], "Schnorr proof commitment")?;
        let response = G::decode_scalar(&bytes[ENCODED_LEN..], "Schnorr proof response")?;
        Ok(SchnorrProof { commitment, response })
    }
}

serde_via_bytes!(SchnorrProof, SCHNORR_PROOF_LEN, "Schnorr proof");
