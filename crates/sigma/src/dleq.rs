//! DLEQ (Chaum–Pedersen): proof that `log_g(X) = log_h(Y)`.
//!
//! Statement: generators `g, h ≠ 0` and publics `X, Y`. Witness: `x` with
//! `X = x·g`, `Y = x·h`. Proof `(A, B, s)`: `A = r·g`, `B = r·h`, `c = H(transcript)`,
//! `s = r + c·x`; verify `s·g = A + c·X` and `s·h = B + c·Y`. Transcript (merlin,
//! label [`crate::labels::DLEQ`]): `domain`, `group`, `g`, `h`, `X`,
//! `Y`, `context`, `A`, `B`, then challenge `c`. The commitment form (rather than
//! `(c, s)`) makes batch verification possible. See `docs/spec/sigma.md` §4.

use merlin::Transcript;
use psephos_primitives::{group::ENCODED_LEN, GroupTranscript, PrimeGroup};
use rand_core::{CryptoRng, RngCore};
use zeroize::Zeroize;

use crate::batch::Combination;
use crate::encoding::serde_via_bytes;
use crate::{labels, SigmaError};

/// Byte length of an encoded [`DleqProof`]: `A ‖ B ‖ s`.
pub const DLEQ_PROOF_LEN: usize = 3 * ENCODED_LEN;

const WHAT: &str = "DLEQ";

/// The public statement `X = x·g ∧ Y = x·h`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DleqStatement<G: PrimeGroup> {
    /// The first generator `g` (not the identity).
    pub g: G,
    /// The second generator `h` (not the identity).
    pub h: G,
    /// `X = x·g`.
    pub x: G,
    /// `Y = x·h`.
    pub y: G,
}

impl<G: PrimeGroup> DleqStatement<G> {
    /// The statement `(g, h, X, Y)`.
    pub fn new(g: G, h: G, x: G, y: G) -> Self {
        DleqStatement { g, h, x, y }
    }

    fn transcript(&self, domain: &'static [u8], context: &[u8]) -> Result<Transcript, SigmaError> {
        if self.g.is_identity() || self.h.is_identity() {
            return Err(SigmaError::IdentityGenerator);
        }
        if self.x.is_identity() || self.y.is_identity() {
            return Err(SigmaError::IdentityPublic);
        }
        let mut t = Transcript::new(labels::DLEQ);
        t.append_message(b"domain", domain);
        t.append_group::<G>();
        t.append_element(b"g", &self.g);
        t.append_element(b"h", &self.h);
        t.append_element(b"X", &self.x);
        t.append_element(b"Y", &self.y);
        t.append_message(b"context", context);
        Ok(t)
    }

    fn challenge(
        &self,
        domain: &'static [u8],
        context: &[u8],
        a: &G,
        b: &G,
    ) -> Result<G::Scalar, SigmaError> {
        let mut t = self.transcript(domain, context)?;
        t.append_element(b"A", a);
        t.append_element(b"B", b);
        Ok(t.challenge_scalar::<G>(b"c"))
    }
}

/// A DLEQ proof `(A, B, s)`. Serializes (serde) as the lowercase hex of
/// [`DleqProof::to_bytes`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DleqProof<G: PrimeGroup> {
    /// `A = r·g`.
    pub a: G,
    /// `B = r·h`.
    pub b: G,
    /// `s = r + c·x`.
    pub response: G::Scalar,
}

impl<G: PrimeGroup> DleqProof<G> {
    /// Proves `statement` with `witness`, bound to `domain` and `context`.
    pub fn prove(
        domain: &'static [u8],
        statement: &DleqStatement<G>,
        witness: &G::Scalar,
        context: &[u8],
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<Self, SigmaError> {
        let t = statement.transcript(domain, context)?;
        if crate::mul_base(&statement.g, witness) != statement.x
            || statement.h.mul_scalar(witness) != statement.y
        {
            return Err(SigmaError::WitnessMismatch);
        }
        let mut w = G::encode_scalar(witness);
        let mut nonce_rng = t.build_rng().rekey_with_witness_bytes(b"x", &w).finalize(rng);
        w.zeroize();
        let mut r = G::random_scalar(&mut nonce_rng);
        let a = crate::mul_base(&statement.g, &r);
        let b = statement.h.mul_scalar(&r);
        let c = statement.challenge(domain, context, &a, &b)?;
        let response = r + c * *witness;
        r.zeroize();
        Ok(DleqProof { a, b, response })
    }

    /// Verifies the proof against `statement`, `domain` and `context`.
    pub fn verify(
        &self,
        domain: &'static [u8],
        statement: &DleqStatement<G>,
        context: &[u8],
    ) -> Result<(), SigmaError> {
        let c = statement.challenge(domain, context, &self.a, &self.b)?;
        let ok_g = crate::mul_base(&statement.g, &self.response) == self.a + statement.x.mul_scalar(&c);
        let ok_h = statement.h.mul_scalar(&self.response) == self.b + statement.y.mul_scalar(&c);
        if ok_g && ok_h {
            Ok(())
        } else {
            Err(SigmaError::InvalidProof { what: WHAT })
        }
    }

    /// Verifies many proofs under one `domain` with one multi-scalar multiplication
    /// (two independent random weights per proof). On failure, names the first
    /// proof that fails individually.
    pub fn batch_verify(
        domain: &'static [u8],
        items: &[(DleqStatement<G>, &[u8], DleqProof<G>)],
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<(), SigmaError> {
        let mut comb = Combination::<G>::with_capacity(6 * items.len());
        for (st, context, proof) in items {
            let c = st.challenge(domain, context, &proof.a, &proof.b)?;
            let z = Combination::<G>::weight(rng);
            let u = Combination::<G>::weight(rng);
            // z·(s·g − A − c·X) + u·(s·h − B − c·Y) = 0
            comb.push_base(z * proof.response, st.g);
            comb.push(-z, proof.a);
            comb.push(-(z * c), st.x);
            comb.push_base(u * proof.response, st.h);
            comb.push(-u, proof.b);
            comb.push(-(u * c), st.y);
        }
        if comb.vanishes() {
            return Ok(());
        }
        for (index, (st, context, proof)) in items.iter().enumerate() {
            if proof.verify(domain, st, context).is_err() {
                return Err(SigmaError::InvalidProofInBatch { what: WHAT, index });
            }
        }
        Err(SigmaError::InvalidProof { what: WHAT })
    }

    /// `A ‖ B ‖ s`, canonical encodings.
    pub fn to_bytes(&self) -> [u8; DLEQ_PROOF_LEN] {
        let mut out = [0u8; DLEQ_PROOF_LEN];
        out[..ENCODED_LEN].copy_from_slice(&self.a.encode());
        out[ENCODED_LEN..2 * ENCODED_LEN].copy_from_slice(&self.b.encode());
        out[2 * ENCODED_LEN..].copy_from_slice(&G::encode_scalar(&self.response));
        out
    }

    /// Strict decoding of [`Self::to_bytes`] (identity commitments accepted).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, SigmaError> {
        if bytes.len() != DLEQ_PROOF_LEN {
            return Err(psephos_primitives::EncodingError::WrongLength {
                what: "DLEQ proof",
                expected: DLEQ_PROOF_LEN,
                got: bytes.len(),
            }
            .into());
        }
        let a = G::decode(&bytes[..ENCODED_LEN], "DLEQ proof A")?;
        let b = G::decode(&bytes[ENCODED_LEN..2 * ENCODED_LEN], "DLEQ proof B")?;
        let response = G::decode_scalar(&bytes[2 * ENCODED_LEN..], "DLEQ proof response")?;
        Ok(DleqProof { a, b, response })
    }
}

serde_via_bytes!(DleqProof, DLEQ_PROOF_LEN, "DLEQ proof");
