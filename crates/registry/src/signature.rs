//! Registrar keys and Schnorr signatures on Ristretto255 over merlin transcripts
//! (docs/spec/registry.md §2).
//!
//! A registrar's secret key is a scalar `x ≠ 0`, its public key `X = x·G` with `G`
//! the Ristretto basepoint. To sign a message `m` under a label `L`:
//!
//! ```text
//! T = Transcript(L); T.append("registrar", X); m.absorb(T)
//! r ← T.build_rng().rekey_with_witness("x", x).finalize(rng)   (hedged nonce)
//! R = r·G; T.append("R", R); c = T.challenge_scalar("c")      (64 bytes, reduced mod ℓ)
//! s = r + c·x;  signature = R ‖ s                             (64 bytes)
//! ```
//!
//! Verification recomputes `c` and checks `s·G = R + c·X`; `R` must be a
//! canonical non-identity point and `s` a canonical scalar. Batches are checked
//! with one multiscalar multiplication using random 128-bit weights, grouping the
//! terms of each public key ([`verify_many`]).

use std::fmt;

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_TABLE;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{IsIdentity, VartimeMultiscalarMul};
use merlin::Transcript;
use rand_core::{CryptoRng, RngCore};
use rayon::prelude::*;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::encoding::{hex_bytes, nonidentity_point_from_bytes, scalar_from_bytes};
use crate::RegistryError;

/// A message that a registrar signs: it names its transcript label and absorbs
/// every public value it depends on.
pub trait SignedMessage {
    /// The transcript label (a `labels::*` constant).
    const LABEL: &'static [u8];
    /// Appends the message to the transcript.
    fn absorb(&self, t: &mut Transcript);
}

/// A registrar's secret signing key. Zeroized on drop; `Debug` is redacted.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct RegistrarSecretKey {
    x: Scalar,
}

impl fmt::Debug for RegistrarSecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RegistrarSecretKey(<redacted>)")
    }
}

impl RegistrarSecretKey {
    /// A fresh random key.
    pub fn generate(rng: &mut (impl RngCore + CryptoRng)) -> Self {
        loop {
            let x = Scalar::random(rng);
            if x != Scalar::ZERO {
                return RegistrarSecretKey { x };
            }
        }
    }

    /// Decodes 32 canonical little-endian bytes; 0 is refused.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, RegistryError> {
        let x = scalar_from_bytes(bytes, "registrar secret key")?;
        if x == Scalar::ZERO {
            return Err(RegistryError::malformed("registrar secret key", "zero"));
        }
        Ok(RegistrarSecretKey { x })
    }

    /// The canonical 32 bytes (zeroized when dropped).
    pub fn to_bytes(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.x.to_bytes())
    }

    /// The public key `x·G`.
    pub fn public_key(&self) -> RegistrarPublicKey {
        RegistrarPublicKey::from_point(&self.x * RISTRETTO_BASEPOINT_TABLE)
    }

    /// Signs `msg` (hedged nonce: transcript, secret key and `rng`).
    pub fn sign<M: SignedMessage>(&self, msg: &M, rng: &mut (impl RngCore + CryptoRng)) -> Signature {
        let pk = self.public_key();
        let mut t = message_transcript(&pk, msg);
        let mut nonce_rng = t.build_rng().rekey_with_witness_bytes(b"x", self.x.as_bytes()).finalize(rng);
        let mut r = Scalar::random(&mut nonce_rng);
        let big_r = (&r * RISTRETTO_BASEPOINT_TABLE).compress().to_bytes();
        let c = challenge(&mut t, &big_r);
        let s = r + c * self.x;
        r.zeroize();
        Signature { r: big_r, s }
    }
}

impl ConstantTimeEq for RegistrarSecretKey {
    fn ct_eq(&self, other: &Self) -> subtle::Choice {
        self.x.ct_eq(&other.x)
    }
}

/// A registrar's public key: a canonical, non-identity Ristretto point.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct RegistrarPublicKey {
    point: RistrettoPoint,
    bytes: [u8; 32],
}

impl fmt::Debug for RegistrarPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RegistrarPublicKey({})", hex::encode(self.bytes))
    }
}

impl RegistrarPublicKey {
    fn from_point(point: RistrettoPoint) -> Self {
        RegistrarPublicKey { point, bytes: point.compress().to_bytes() }
    }

    /// Decodes 32 bytes: canonical and not the identity (an identity key would let
    /// anyone forge its signatures).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, RegistryError> {
        Ok(Self::from_point(nonidentity_point_from_bytes(bytes, "registrar public key")?))
    }

    /// Decodes 64 lowercase hex digits.
    pub fn from_hex(s: &str) -> Result<Self, RegistryError> {
        Self::from_bytes(&hex_bytes::<32>(s, "registrar public key")?)
    }

    /// The canonical 32 bytes.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.bytes
    }

    /// 64 lowercase hex digits.
    pub fn to_hex(&self) -> String {
        hex::encode(self.bytes)
    }

    /// The point.
    pub fn point(&self) -> &RistrettoPoint {
        &self.point
    }

    /// Verifies one signature on `msg`.
    pub fn verify<M: SignedMessage>(&self, msg: &M, sig: &Signature) -> Result<(), RegistryError> {
        let item = self.prepare(msg, sig, 0)?;
        if item.check() {
            Ok(())
        } else {
            Err(RegistryError::InvalidSignature { registrar: 0 })
        }
    }

    /// Decodes `R`, recomputes the challenge: the work shared by single and batch verification.
    pub(crate) fn prepare<M: SignedMessage>(
        &self,
        msg: &M,
        sig: &Signature,
        registrar: u32,
    ) -> Result<PreparedSignature, RegistryError> {
        let big_r = nonidentity_point_from_bytes(&sig.r, "signature nonce R")
            .map_err(|_| RegistryError::InvalidSignature { registrar })?;
        let mut t = message_transcript(self, msg);
        let c = challenge(&mut t, &sig.r);
        Ok(PreparedSignature { pk: *self, big_r, c, s: sig.s, registrar })
    }
}

fn message_transcript<M: SignedMessage>(pk: &RegistrarPublicKey, msg: &M) -> Transcript {
    let mut t = Transcript::new(M::LABEL);
    t.append_message(b"registrar", &pk.bytes);
    msg.absorb(&mut t);
    t
}

fn challenge(t: &mut Transcript, big_r: &[u8; 32]) -> Scalar {
    t.append_message(b"R", big_r);
    let mut wide = [0u8; 64];
    t.challenge_bytes(b"c", &mut wide);
    Scalar::from_bytes_mod_order_wide(&wide)
}

/// A Schnorr signature `R ‖ s` (64 bytes). Decoding checks that `s` is canonical;
/// `R` is checked (canonical, non-identity) when the signature is verified.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Signature {
    r: [u8; 32],
    s: Scalar,
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Signature({})", self.to_hex())
    }
}

impl Signature {
    /// Decodes `R ‖ s`; a scalar `s ≥ ℓ` is `NonCanonical`.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, RegistryError> {
        if bytes.len() != 64 {
            return Err(RegistryError::malformed(
                "signature",
                format!("expected 64 bytes, got {}", bytes.len()),
            ));
        }
        let mut r = [0u8; 32];
        r.copy_from_slice(&bytes[..32]);
        let s = scalar_from_bytes(&bytes[32..], "signature scalar s")?;
        Ok(Signature { r, s })
    }

    /// Decodes 128 lowercase hex digits.
    pub fn from_hex(s: &str) -> Result<Self, RegistryError> {
        Self::from_bytes(&hex_bytes::<64>(s, "signature")?)
    }

    /// `R ‖ s`.
    pub fn to_bytes(&self) -> [u8; 64] {
        let mut out = [0u8; 64];
        out[..32].copy_from_slice(&self.r);
        out[32..].copy_from_slice(self.s.as_bytes());
        out
    }

    /// 128 lowercase hex digits.
    pub fn to_hex(&self) -> String {
        hex::encode(self.to_bytes())
    }
}

/// A signature with its challenge recomputed, ready for (batch) verification.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PreparedSignature {
    pk: RegistrarPublicKey,
    big_r: RistrettoPoint,
    c: Scalar,
    s: Scalar,
    /// The registrar index the error names.
    pub(crate) registrar: u32,
}

impl PreparedSignature {
    /// `s·G − c·X == R`, variable time (all values public).
    pub(crate) fn check(&self) -> bool {
        RistrettoPoint::vartime_double_scalar_mul_basepoint(&-self.c, &self.pk.point, &self.s) == self.big_r
    }
}

/// Verifies many signatures `(public key, message, signature)` at once: the
/// challenges are recomputed in parallel, then one batched equation per chunk
/// of 2048 (random 128-bit weights from `rng`). Returns the index of the first
/// invalid signature.
pub fn verify_many<M: SignedMessage + Sync>(
    items: &[(RegistrarPublicKey, &M, Signature)],
    rng: &mut (impl RngCore + CryptoRng),
) -> Result<(), usize> {
    let prepared: Vec<Result<PreparedSignature, usize>> =
        items.par_iter().enumerate().map(|(i, (pk, m, sig))| pk.prepare(*m, sig, 0).map_err(|_| i)).collect();
    let mut ok = Vec::with_capacity(prepared.len());
    for p in prepared {
        ok.push(p?);
    }
    verify_batch(&ok, rng)
}

/// Items per multiscalar multiplication in a batch.
const BATCH_CHUNK: usize = 2048;

/// Batch-verifies prepared signatures: `Σ zᵢRᵢ + Σⱼ (Σ_{i∈j} zᵢcᵢ)Xⱼ − (Σ zᵢsᵢ)G = 0`
/// with random 128-bit weights `zᵢ`, chunked and spread over threads. Returns the
/// index of the first invalid item (found by single verification when a chunk fails).
pub(crate) fn verify_batch(
    items: &[PreparedSignature],
    rng: &mut (impl RngCore + CryptoRng),
) -> Result<(), usize> {
    let mut weights = vec![0u8; 16 * items.len()];
    rng.fill_bytes(&mut weights);
    let failed: Option<usize> = items
        .par_chunks(BATCH_CHUNK)
        .zip(weights.par_chunks(16 * BATCH_CHUNK))
        .enumerate()
        .filter_map(|(ci, (chunk, w))| {
            if chunk_ok(chunk, w) {
                None
            } else {
                chunk.iter().position(|it| !it.check()).map(|p| ci * BATCH_CHUNK + p)
            }
        })
        .min();
    match failed {
        Some(i) => Err(i),
        None => Ok(()),
    }
}

fn chunk_ok(chunk: &[PreparedSignature], weights: &[u8]) -> bool {
    let mut scalars = Vec::with_capacity(chunk.len() + 8);
    let mut points = Vec::with_capacity(chunk.len() + 8);
    let mut g_coeff = Scalar::ZERO;
    // (public key bytes, accumulated coefficient); few distinct registrars per batch.
    let mut keys: Vec<(RegistrarPublicKey, Scalar)> = Vec::new();
    for (it, w) in chunk.iter().zip(weights.chunks_exact(16)) {
        let mut zb = [0u8; 32];
        zb[..16].copy_from_slice(w);
        let z = Scalar::from_bytes_mod_order(zb);
        scalars.push(z);
        points.push(it.big_r);
        g_coeff -= z * it.s;
        let zc = z * it.c;
        match keys.iter_mut().find(|(k, _)| k.bytes == it.pk.bytes) {
            Some((_, acc)) => *acc += zc,
            None => keys.push((it.pk, zc)),
        }
    }
    for (k, acc) in keys {
        scalars.push(acc);
        points.push(k.point);
    }
    scalars.push(g_coeff);
    points.push(curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT);
    RistrettoPoint::vartime_multiscalar_mul(scalars, points).is_identity()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;

    struct Msg(&'static [u8]);
    impl SignedMessage for Msg {
        const LABEL: &'static [u8] = b"psephos/registry/test/v1";
        fn absorb(&self, t: &mut Transcript) {
            t.append_message(b"m", self.0);
        }
    }
    struct OtherLabel(&'static [u8]);
    impl SignedMessage for OtherLabel {
        const LABEL: &'static [u8] = b"psephos/registry/other/v1";
        fn absorb(&self, t: &mut Transcript) {
            t.append_message(b"m", self.0);
        }
    }

    #[test]
    fn sign_verify_and_rejections() {
        let mut rng = ChaCha20Rng::seed_from_u64(1);
        let sk = RegistrarSecretKey::generate(&mut rng);
        let pk = sk.public_key();
        let sig = sk.sign(&Msg(b"hello"), &mut rng);
        assert!(pk.verify(&Msg(b"hello"), &sig).is_ok());
        assert!(pk.verify(&Msg(b"hellp"), &sig).is_err());
        assert!(pk.verify(&OtherLabel(b"hello"), &sig).is_err());
        let other = RegistrarSecretKey::generate(&mut rng).public_key();
        assert!(other.verify(&Msg(b"hello"), &sig).is_err());
        // s + ℓ is refused at decoding; R = identity is refused at verification.
        let mut bytes = sig.to_bytes();
        let l = hex::decode("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010").unwrap();
        let mut carry = 0u16;
        for i in 0..32 {
            let v = bytes[32 + i] as u16 + l[i] as u16 + carry;
            bytes[32 + i] = v as u8;
            carry = v >> 8;
        }
        if carry == 0 {
            assert_eq!(Signature::from_bytes(&bytes), Err(RegistryError::NonCanonical("signature scalar s")));
        }
        let mut ident = sig.to_bytes();
        ident[..32].copy_from_slice(&[0u8; 32]);
        let ident = Signature::from_bytes(&ident).unwrap();
        assert!(pk.verify(&Msg(b"hello"), &ident).is_err());
        assert!(Signature::from_bytes(&[0u8; 63]).is_err());
        assert!(RegistrarPublicKey::from_bytes(&[0u8; 32]).is_err());
        assert!(RegistrarSecretKey::from_bytes(&[0u8; 32]).is_err());
    }

    #[test]
    fn hedged_nonces_differ_and_debug_redacts() {
        let mut rng = ChaCha20Rng::seed_from_u64(2);
        let sk = RegistrarSecretKey::generate(&mut rng);
        let a = sk.sign(&Msg(b"m"), &mut rng);
        let b = sk.sign(&Msg(b"m"), &mut rng);
        assert_ne!(a.r, b.r, "identical messages must get different R");
        let dbg = format!("{sk:?}");
        assert!(!dbg.contains(&hex::encode(*sk.to_bytes())));
        assert!(dbg.contains("redacted"));
        let back = RegistrarSecretKey::from_bytes(&*sk.to_bytes()).unwrap();
        assert!(bool::from(back.ct_eq(&sk)));
    }

    /// A forced nonce reuse reveals the key (why the nonce is hedged): with
    /// s₁ = r + c₁x and s₂ = r + c₂x, x = (s₁ − s₂)/(c₁ − c₂).
    #[test]
    fn nonce_reuse_extracts_key() {
        let mut rng = ChaCha20Rng::seed_from_u64(3);
        let sk = RegistrarSecretKey::generate(&mut rng);
        let pk = sk.public_key();
        let r = Scalar::random(&mut rng);
        let big_r = (&r * RISTRETTO_BASEPOINT_TABLE).compress().to_bytes();
        let forced = |m: &'static [u8]| {
            let mut t = message_transcript(&pk, &Msg(m));
            let c = challenge(&mut t, &big_r);
            (c, r + c * sk.x)
        };
        let (c1, s1) = forced(b"one");
        let (c2, s2) = forced(b"two");
        let x = (s1 - s2) * (c1 - c2).invert();
        assert_eq!(x, sk.x);
    }

    #[test]
    fn batch_finds_first_bad() {
        let mut rng = ChaCha20Rng::seed_from_u64(4);
        let keys: Vec<_> = (0..3).map(|_| RegistrarSecretKey::generate(&mut rng)).collect();
        let msgs: Vec<&'static [u8]> = vec![b"a", b"b", b"c", b"d", b"e", b"f", b"g"];
        let mut items = Vec::new();
        for (i, m) in msgs.iter().enumerate() {
            let k = &keys[i % 3];
            let sig = k.sign(&Msg(m), &mut rng);
            items.push(k.public_key().prepare(&Msg(m), &sig, (i % 3) as u32 + 1).unwrap());
        }
        assert_eq!(verify_batch(&items, &mut rng), Ok(()));
        assert_eq!(verify_batch(&[], &mut rng), Ok(()));
        let mut bad = items.clone();
        bad[4].s += Scalar::ONE;
        bad[6].c += Scalar::ONE;
        assert_eq!(verify_batch(&bad, &mut rng), Err(4));
    }
}
