//! Pedersen's joint-Feldman DKG with proofs of knowledge, publicly verifiable
//! encrypted shares and evidence-carrying complaints; `k` secrets per session.
//!
//! Rounds are types and every message is a versioned JSON document, so trustees can
//! run the protocol on separate machines exchanging files:
//!
//! ```text
//! Session (public: t, k, context, every participant's long-term key X_j = x_j·g)
//! Round1::start(session, i, key, rng) -> (Round1, Round1Message)   broadcast
//! Round1::receive(self, all Round1Messages) -> (Round2, Round2Message)  broadcast (complaints)
//! Round2::finish(self, all Round2Messages) -> DkgOutput (public output + SecretShare)
//! DkgTranscript { session, round1, round2 }::verify() -> DkgPublicOutput  (anyone)
//! ```
//!
//! Shares travel inside the public round-1 broadcast, encrypted to each recipient's
//! long-term key with a DH-derived pad: dealer `i` picks an ephemeral `e`, publishes
//! `E = e·g`, and for recipient `j` derives pads from `K_ij = e·X_j = x_j·E`. A
//! recipient whose share fails the Feldman check reveals `K_ij` with a DLEQ proof
//! (`log_g X_j = log_E K_ij`); anyone then decrypts the disputed share and checks it:
//! the dealer is disqualified if the evidence holds, the accuser is recorded as a
//! false accuser otherwise. After round 1 a participant needs no state but its
//! long-term key ([`Round1::resume`]). See `docs/spec/dkg.md`.

use merlin::Transcript;
use psephos_primitives::{GroupTranscript, PrimeGroup};
use psephos_sigma::{DleqProof, DleqStatement, SchnorrProof, SchnorrStatement};
use rand_core::{CryptoRng, RngCore};
use serde::{Deserialize, Serialize};
use zeroize::Zeroize;

use crate::encoding::{
    check_header, element_from_hex, element_to_hex, group_name, json_error, non_identity_from_hex,
    scalar_from_hex, scalar_to_hex, VERSION,
};
use crate::shamir::{check_threshold, FeldmanCommitment, Polynomial, Share};
use crate::{labels, ThresholdError};

/// The most secrets (for example ballot options) one session may share.
pub const MAX_SECRETS: u32 = 256;

// ---------------------------------------------------------------------------------
// Long-term keys and the session
// ---------------------------------------------------------------------------------

/// A participant's long-term DH key pair `(x, X = x·g)`. Secret: zeroized on drop,
/// `Debug` shows only the public key.
#[derive(Clone)]
pub struct ParticipantKey<G: PrimeGroup> {
    secret: G::Scalar,
    public: G,
}

impl<G: PrimeGroup> Drop for ParticipantKey<G> {
    fn drop(&mut self) {
        self.secret.zeroize();
    }
}

impl<G: PrimeGroup> core::fmt::Debug for ParticipantKey<G> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "ParticipantKey {{ public: {:?}, secret: <redacted> }}", self.public)
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ParticipantKeyWire {
    version: u32,
    group: String,
    secret: String,
    public: String,
}

impl<G: PrimeGroup> ParticipantKey<G> {
    /// A fresh key pair.
    pub fn generate(rng: &mut (impl RngCore + CryptoRng)) -> Self {
        let secret = G::random_nonzero_scalar(rng);
        ParticipantKey { secret, public: G::mul_generator(&secret) }
    }

    /// The key pair of a non-zero secret scalar.
    pub fn from_secret(secret: G::Scalar) -> Result<Self, ThresholdError> {
        if secret == G::scalar_zero() {
            return Err(ThresholdError::InvalidParameters { reason: "zero long-term secret".into() });
        }
        Ok(ParticipantKey { secret, public: G::mul_generator(&secret) })
    }

    /// `X = x·g`.
    pub fn public(&self) -> G {
        self.public
    }

    /// Secret JSON: `{"version":1,"group":…,"secret":hex,"public":hex}`. Store privately.
    pub fn to_secret_json(&self) -> String {
        let w = ParticipantKeyWire {
            version: VERSION,
            group: group_name::<G>(),
            secret: scalar_to_hex::<G>(&self.secret),
            public: element_to_hex(&self.public),
        };
        serde_json::to_string_pretty(&w).expect("plain struct serializes")
    }

    /// Parses [`Self::to_secret_json`]; the public key must match the secret.
    pub fn from_secret_json(text: &str) -> Result<Self, ThresholdError> {
        let mut w: ParticipantKeyWire = serde_json::from_str(text).map_err(json_error("participant key"))?;
        check_header::<G>("participant key", w.version, &w.group)?;
        let key = Self::from_secret(scalar_from_hex::<G>(&w.secret, "participant secret key")?);
        w.secret.zeroize();
        let key = key?;
        if element_from_hex::<G>(&w.public, "participant public key")? != key.public {
            return Err(ThresholdError::KeyMismatch { index: 0 });
        }
        Ok(key)
    }
}

/// The public parameters of one DKG run: threshold `t`, number of secrets `k`, a
/// caller-chosen context (must be unique per run, e.g. the election id), and every
/// participant's long-term public key (participant `j` is `keys[j − 1]`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound = "G: PrimeGroup", try_from = "SessionWire", into = "SessionWire")]
pub struct Session<G: PrimeGroup> {
    threshold: u32,
    secrets: u32,
    context: Vec<u8>,
    keys: Vec<G>,
    digest: [u8; 32],
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SessionWire {
    version: u32,
    group: String,
    threshold: u32,
    secrets: u32,
    context: String,
    participants: Vec<String>,
}

impl<G: PrimeGroup> Session<G> {
    /// Validates `1 ≤ t ≤ n`, `1 ≤ k ≤ MAX_SECRETS`, non-identity distinct keys, and
    /// derives the session digest (docs/spec/dkg.md §2).
    pub fn new(threshold: u32, secrets: u32, context: &[u8], keys: Vec<G>) -> Result<Self, ThresholdError> {
        let n = u32::try_from(keys.len())
            .map_err(|_| ThresholdError::InvalidParameters { reason: "too many participants".into() })?;
        check_threshold(threshold, n)?;
        if secrets == 0 || secrets > MAX_SECRETS {
            return Err(ThresholdError::InvalidParameters {
                reason: format!("{secrets} secrets (need 1 ≤ k ≤ {MAX_SECRETS})"),
            });
        }
        for (j, key) in keys.iter().enumerate() {
            if key.is_identity() {
                return Err(ThresholdError::InvalidParameters {
                    reason: format!("participant {} key is the identity", j + 1),
                });
            }
            if keys[..j].contains(key) {
                return Err(ThresholdError::DuplicateIndex { index: j as u32 + 1 });
            }
        }
        let mut t = Transcript::new(labels::DKG_SESSION);
        t.append_group::<G>();
        t.append_u64_le(b"threshold", u64::from(threshold));
        t.append_u64_le(b"secrets", u64::from(secrets));
        t.append_message(b"context", context);
        t.append_elements(b"participants", &keys);
        let mut digest = [0u8; 32];
        t.challenge_bytes(b"digest", &mut digest);
        Ok(Session { threshold, secrets, context: context.to_vec(), keys, digest })
    }

    /// `t`.
    pub fn threshold(&self) -> u32 {
        self.threshold
    }
    /// `n`.
    pub fn participants(&self) -> u32 {
        self.keys.len() as u32
    }
    /// `k`, the number of independent secrets.
    pub fn secrets(&self) -> u32 {
        self.secrets
    }
    /// The caller's context bytes.
    pub fn context(&self) -> &[u8] {
        &self.context
    }
    /// The long-term public keys, participant `j` at `j − 1`.
    pub fn keys(&self) -> &[G] {
        &self.keys
    }
    /// The 32-byte session digest bound into every proof and pad.
    pub fn digest(&self) -> &[u8; 32] {
        &self.digest
    }

    fn key(&self, index: u32) -> Result<G, ThresholdError> {
        self.check_index(index)?;
        Ok(self.keys[(index - 1) as usize])
    }

    fn check_index(&self, index: u32) -> Result<(), ThresholdError> {
        if index == 0 || index > self.participants() {
            Err(ThresholdError::InvalidIndex { index })
        } else {
            Ok(())
        }
    }

    /// Context of the PoK of dealer `dealer`'s constant term for secret `secret`.
    fn pok_context(&self, dealer: u32, secret: u32) -> Vec<u8> {
        let mut c = self.digest.to_vec();
        c.extend_from_slice(&dealer.to_le_bytes());
        c.extend_from_slice(&secret.to_le_bytes());
        c
    }

    /// Context of a complaint's DLEQ proof.
    fn complaint_context(&self, accuser: u32, dealer: u32) -> Vec<u8> {
        let mut c = self.digest.to_vec();
        c.extend_from_slice(&accuser.to_le_bytes());
        c.extend_from_slice(&dealer.to_le_bytes());
        c
    }

    /// The `k` pads for the shares from `dealer` to `recipient` under DH key `dh`.
    fn pads(&self, dealer: u32, recipient: u32, ephemeral: &G, dh: &G) -> Vec<G::Scalar> {
        let mut t = Transcript::new(labels::DKG_SHARE_PAD);
        t.append_message(b"session", &self.digest);
        t.append_u64_le(b"dealer", u64::from(dealer));
        t.append_u64_le(b"recipient", u64::from(recipient));
        t.append_element(b"E", ephemeral);
        t.append_element(b"X", &self.keys[(recipient - 1) as usize]);
        t.append_element(b"K", dh);
        (0..self.secrets).map(|_| t.challenge_scalar::<G>(b"pad")).collect()
    }

    /// Versioned JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("plain struct serializes")
    }

    /// Parses [`Self::to_json`] strictly.
    pub fn from_json(text: &str) -> Result<Self, ThresholdError> {
        let wire: SessionWire = serde_json::from_str(text).map_err(json_error("DKG session"))?;
        Self::try_from(wire)
    }
}

impl<G: PrimeGroup> From<Session<G>> for SessionWire {
    fn from(s: Session<G>) -> Self {
        SessionWire {
            version: VERSION,
            group: group_name::<G>(),
            threshold: s.threshold,
            secrets: s.secrets,
            context: hex::encode(&s.context),
            participants: s.keys.iter().map(element_to_hex).collect(),
        }
    }
}

impl<G: PrimeGroup> TryFrom<SessionWire> for Session<G> {
    type Error = ThresholdError;
    fn try_from(w: SessionWire) -> Result<Self, ThresholdError> {
        check_header::<G>("DKG session", w.version, &w.group)?;
        let context = psephos_sigma::encoding::from_hex(&w.context, w.context.len() / 2, "session context")?;
        if w.participants.len() > crate::shamir::MAX_PARTICIPANTS as usize {
            return Err(ThresholdError::InvalidParameters { reason: "too many participants".into() });
        }
        let keys = w
            .participants
            .iter()
            .map(|k| non_identity_from_hex::<G>(k, "participant public key"))
            .collect::<Result<Vec<_>, _>>()?;
        Session::new(w.threshold, w.secrets, &context, keys)
    }
}

// ---------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------

/// One secret's dealing: Feldman commitments and a Schnorr PoK of the constant term
/// (domain [`labels::DKG_POK`], context `digest ‖ dealer_le32 ‖ secret_le32`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dealing<G: PrimeGroup> {
    /// `C_0 … C_{t−1}`.
    pub commitment: FeldmanCommitment<G>,
    /// PoK of `log_g C_0`.
    pub pok: SchnorrProof<G>,
}

/// Round 1 broadcast of dealer `dealer`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound = "G: PrimeGroup", try_from = "Round1Wire", into = "Round1Wire")]
pub struct Round1Message<G: PrimeGroup> {
    /// The dealer's index.
    pub dealer: u32,
    /// The ephemeral DH key `E = e·g` (not the identity).
    pub ephemeral: G,
    /// One dealing per secret (`k`).
    pub dealings: Vec<Dealing<G>>,
    /// `encrypted_shares[j − 1][s] = f_s(j) + pad_s(K_j)` for every recipient `j`.
    pub encrypted_shares: Vec<Vec<G::Scalar>>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DealingWire {
    commitments: Vec<String>,
    pok: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Round1Wire {
    version: u32,
    group: String,
    dealer: u32,
    ephemeral: String,
    dealings: Vec<DealingWire>,
    encrypted_shares: Vec<Vec<String>>,
}

fn limit<T>(v: &[T], max: u32, what: &'static str) -> Result<(), ThresholdError> {
    if v.len() > max as usize {
        Err(ThresholdError::Shape { what, reason: format!("more than {max} entries") })
    } else {
        Ok(())
    }
}

impl<G: PrimeGroup> From<Round1Message<G>> for Round1Wire {
    fn from(m: Round1Message<G>) -> Self {
        Round1Wire {
            version: VERSION,
            group: group_name::<G>(),
            dealer: m.dealer,
            ephemeral: element_to_hex(&m.ephemeral),
            dealings: m
                .dealings
                .iter()
                .map(|d| DealingWire {
                    commitments: d.commitment.coefficients().iter().map(element_to_hex).collect(),
                    pok: psephos_sigma::encoding::to_hex(&d.pok.to_bytes()),
                })
                .collect(),
            encrypted_shares: m
                .encrypted_shares
                .iter()
                .map(|row| row.iter().map(scalar_to_hex::<G>).collect())
                .collect(),
        }
    }
}

impl<G: PrimeGroup> TryFrom<Round1Wire> for Round1Message<G> {
    type Error = ThresholdError;
    fn try_from(w: Round1Wire) -> Result<Self, ThresholdError> {
        const WHAT: &str = "round-1 message";
        check_header::<G>(WHAT, w.version, &w.group)?;
        limit(&w.dealings, MAX_SECRETS, WHAT)?;
        limit(&w.encrypted_shares, crate::shamir::MAX_PARTICIPANTS, WHAT)?;
        let ephemeral = non_identity_from_hex::<G>(&w.ephemeral, "ephemeral key")?;
        let mut dealings = Vec::with_capacity(w.dealings.len());
        for d in &w.dealings {
            limit(&d.commitments, crate::shamir::MAX_PARTICIPANTS, WHAT)?;
            let cs = d
                .commitments
                .iter()
                .map(|c| element_from_hex::<G>(c, "Feldman commitment"))
                .collect::<Result<Vec<_>, _>>()?;
            let pok_bytes =
                psephos_sigma::encoding::from_hex(&d.pok, psephos_sigma::SCHNORR_PROOF_LEN, "PoK")?;
            dealings.push(Dealing {
                commitment: FeldmanCommitment::new(cs)?,
                pok: SchnorrProof::from_bytes(&pok_bytes)?,
            });
        }
        let mut encrypted_shares = Vec::with_capacity(w.encrypted_shares.len());
        for row in &w.encrypted_shares {
            limit(row, MAX_SECRETS, WHAT)?;
            encrypted_shares.push(
                row.iter()
                    .map(|s| scalar_from_hex::<G>(s, "encrypted share"))
                    .collect::<Result<Vec<_>, _>>()?,
            );
        }
        Ok(Round1Message { dealer: w.dealer, ephemeral, dealings, encrypted_shares })
    }
}

impl<G: PrimeGroup> Round1Message<G> {
    /// Versioned JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("plain struct serializes")
    }
    /// Parses [`Self::to_json`] strictly (shape against a session is checked later).
    pub fn from_json(text: &str) -> Result<Self, ThresholdError> {
        let wire: Round1Wire = serde_json::from_str(text).map_err(json_error("round-1 message"))?;
        Self::try_from(wire)
    }

    /// The public shape checks of this dealing against `session`: counts and a
    /// non-identity ephemeral key. `Err(reason)` disqualifies the dealer.
    fn check_shape(&self, session: &Session<G>) -> Result<(), String> {
        let (k, t, n) =
            (session.secrets as usize, session.threshold as usize, session.participants() as usize);
        if self.dealings.len() != k {
            return Err(format!("{} dealings, expected {k}", self.dealings.len()));
        }
        if self.encrypted_shares.len() != n || self.encrypted_shares.iter().any(|r| r.len() != k) {
            return Err("encrypted shares do not have n rows of k".into());
        }
        if self.ephemeral.is_identity() {
            return Err("identity ephemeral key".into());
        }
        for (s, d) in self.dealings.iter().enumerate() {
            if d.commitment.coefficients().len() != t {
                return Err(format!(
                    "secret {s}: {} commitments, expected {t}",
                    d.commitment.coefficients().len()
                ));
            }
        }
        Ok(())
    }

    /// The PoK statements, contexts and proofs of this dealing (shape already checked).
    fn pok_items(&self, session: &Session<G>) -> Vec<(SchnorrStatement<G>, Vec<u8>, SchnorrProof<G>)> {
        self.dealings
            .iter()
            .enumerate()
            .map(|(s, d)| {
                (
                    SchnorrStatement::new(d.commitment.constant()),
                    session.pok_context(self.dealer, s as u32),
                    d.pok,
                )
            })
            .collect()
    }

    /// Recipient `j`'s decrypted shares under DH key `dh` (no check).
    fn decrypt(&self, session: &Session<G>, recipient: u32, dh: &G) -> Vec<G::Scalar> {
        let pads = session.pads(self.dealer, recipient, &self.ephemeral, dh);
        self.encrypted_shares[(recipient - 1) as usize].iter().zip(pads).map(|(c, p)| *c - p).collect()
    }

    /// Whether every decrypted share matches its commitment.
    fn shares_valid(&self, recipient: u32, shares: &[G::Scalar]) -> bool {
        self.dealings
            .iter()
            .zip(shares)
            .all(|(d, v)| d.commitment.verify(&Share { index: recipient, value: *v }).is_ok())
    }
}

/// The public checks of every dealer `1..=n` (missing message, shape, PoKs), in
/// dealer order. All PoKs are verified in one batch; only if it fails is each
/// dealer's batch re-checked to attribute the failure.
fn public_checks<G: PrimeGroup>(
    session: &Session<G>,
    round1: &[Round1Message<G>],
    rng: &mut (impl RngCore + CryptoRng),
) -> Vec<(u32, Result<(), String>)> {
    let mut out: Vec<(u32, Result<(), String>)> = (1..=session.participants())
        .map(|dealer| match round1.iter().find(|m| m.dealer == dealer) {
            None => (dealer, Err("no round-1 message".to_string())),
            Some(m) => (dealer, m.check_shape(session)),
        })
        .collect();
    let shaped: Vec<(usize, &Round1Message<G>)> = out
        .iter()
        .enumerate()
        .filter(|(_, (_, r))| r.is_ok())
        .filter_map(|(pos, (dealer, _))| round1.iter().find(|m| m.dealer == *dealer).map(|m| (pos, m)))
        .collect();
    let per_dealer: Vec<_> = shaped.iter().map(|(_, m)| m.pok_items(session)).collect();
    let all: Vec<(SchnorrStatement<G>, &[u8], SchnorrProof<G>)> =
        per_dealer.iter().flatten().map(|(st, c, p)| (*st, c.as_slice(), *p)).collect();
    if SchnorrProof::batch_verify(labels::DKG_POK, &all, rng).is_err() {
        for ((pos, _), items) in shaped.iter().zip(&per_dealer) {
            let items: Vec<_> = items.iter().map(|(st, c, p)| (*st, c.as_slice(), *p)).collect();
            if let Err(e) = SchnorrProof::batch_verify(labels::DKG_POK, &items, rng) {
                out[*pos].1 = Err(format!("proof of knowledge of a constant term: {e}"));
            }
        }
    }
    out
}

/// Checks recipient `j`'s decrypted shares from many dealers with one random linear
/// combination of the Feldman equations; returns per-dealer validity.
fn batch_shares_valid<G: PrimeGroup>(
    recipient: u32,
    items: &[(&Round1Message<G>, Vec<G::Scalar>)],
    rng: &mut (impl RngCore + CryptoRng),
) -> Vec<bool> {
    let t =
        items.first().map_or(0, |(m, _)| m.dealings.first().map_or(0, |d| d.commitment.coefficients().len()));
    let x = G::scalar_from_u64(u64::from(recipient));
    let mut powers = Vec::with_capacity(t);
    let mut p = G::scalar_one();
    for _ in 0..t {
        powers.push(p);
        p = p * x;
    }
    // Σ z_{i,s} (v_{i,s}·g − Σ_m j^m C_{i,s,m}) = 0
    let mut scalars = vec![G::scalar_zero()];
    let mut points = vec![G::generator()];
    for (m, shares) in items {
        for (d, v) in m.dealings.iter().zip(shares) {
            let mut wide = [0u8; 64];
            rng.fill_bytes(&mut wide[..16]);
            let z = G::scalar_from_bytes_wide(&wide);
            scalars[0] = scalars[0] + z * *v;
            for (pw, c) in powers.iter().zip(d.commitment.coefficients()) {
                scalars.push(-(z * *pw));
                points.push(*c);
            }
        }
    }
    let ok = G::vartime_multiscalar_mul(&scalars, &points).is_some_and(|r| r.is_identity());
    for s in scalars.iter_mut() {
        s.zeroize();
    }
    if ok {
        vec![true; items.len()]
    } else {
        items.iter().map(|(m, shares)| m.shares_valid(recipient, shares)).collect()
    }
}

/// A complaint by the round-2 message's accuser against `dealer`: the DH key
/// `K = x_accuser·E_dealer` with a DLEQ proof `log_g X_accuser = log_E K` (domain
/// [`labels::DKG_COMPLAINT`], context `digest ‖ accuser_le32 ‖ dealer_le32`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Complaint<G: PrimeGroup> {
    /// The accused dealer.
    pub dealer: u32,
    /// The revealed DH key `K`.
    pub dh_key: G,
    /// The DLEQ proof that `K` is correct.
    pub proof: DleqProof<G>,
}

/// Round 2 broadcast of participant `accuser`: its complaints (usually none).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound = "G: PrimeGroup", try_from = "Round2Wire", into = "Round2Wire")]
pub struct Round2Message<G: PrimeGroup> {
    /// The sender.
    pub accuser: u32,
    /// Its complaints, at most one per dealer.
    pub complaints: Vec<Complaint<G>>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ComplaintWire {
    dealer: u32,
    dh_key: String,
    proof: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Round2Wire {
    version: u32,
    group: String,
    accuser: u32,
    complaints: Vec<ComplaintWire>,
}

impl<G: PrimeGroup> From<Round2Message<G>> for Round2Wire {
    fn from(m: Round2Message<G>) -> Self {
        Round2Wire {
            version: VERSION,
            group: group_name::<G>(),
            accuser: m.accuser,
            complaints: m
                .complaints
                .iter()
                .map(|c| ComplaintWire {
                    dealer: c.dealer,
                    dh_key: element_to_hex(&c.dh_key),
                    proof: psephos_sigma::encoding::to_hex(&c.proof.to_bytes()),
                })
                .collect(),
        }
    }
}

impl<G: PrimeGroup> TryFrom<Round2Wire> for Round2Message<G> {
    type Error = ThresholdError;
    fn try_from(w: Round2Wire) -> Result<Self, ThresholdError> {
        const WHAT: &str = "round-2 message";
        check_header::<G>(WHAT, w.version, &w.group)?;
        limit(&w.complaints, crate::shamir::MAX_PARTICIPANTS, WHAT)?;
        let mut complaints = Vec::with_capacity(w.complaints.len());
        for c in &w.complaints {
            let bytes = psephos_sigma::encoding::from_hex(
                &c.proof,
                psephos_sigma::DLEQ_PROOF_LEN,
                "complaint proof",
            )?;
            complaints.push(Complaint {
                dealer: c.dealer,
                dh_key: element_from_hex::<G>(&c.dh_key, "complaint DH key")?,
                proof: DleqProof::from_bytes(&bytes)?,
            });
        }
        Ok(Round2Message { accuser: w.accuser, complaints })
    }
}

impl<G: PrimeGroup> Round2Message<G> {
    /// Versioned JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("plain struct serializes")
    }
    /// Parses [`Self::to_json`] strictly.
    pub fn from_json(text: &str) -> Result<Self, ThresholdError> {
        let wire: Round2Wire = serde_json::from_str(text).map_err(json_error("round-2 message"))?;
        Self::try_from(wire)
    }
}

// ---------------------------------------------------------------------------------
// Rounds
// ---------------------------------------------------------------------------------

/// Participant state after dealing (or resumed from the long-term key alone).
#[derive(Debug)]
pub struct Round1<G: PrimeGroup> {
    session: Session<G>,
    index: u32,
    key: ParticipantKey<G>,
}

impl<G: PrimeGroup> Round1<G> {
    /// Deals: `k` random polynomials of degree `t − 1`, their Feldman commitments and
    /// PoKs, and every recipient's encrypted shares. Returns the state and the
    /// broadcast message. The polynomials are dropped (zeroized) before returning.
    pub fn start(
        session: Session<G>,
        index: u32,
        key: ParticipantKey<G>,
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<(Self, Round1Message<G>), ThresholdError> {
        let state = Self::resume(session, index, key)?;
        let s = &state.session;
        let polys: Vec<Polynomial<G>> =
            (0..s.secrets).map(|_| Polynomial::random(G::random_scalar(rng), s.threshold, rng)).collect();
        let mut dealings = Vec::with_capacity(polys.len());
        for (k, f) in polys.iter().enumerate() {
            let commitment = f.commit();
            let statement = SchnorrStatement::new(commitment.constant());
            let pok = SchnorrProof::prove(
                labels::DKG_POK,
                &statement,
                f.secret(),
                &s.pok_context(index, k as u32),
                rng,
            )?;
            dealings.push(Dealing { commitment, pok });
        }
        let mut e = G::random_nonzero_scalar(rng);
        let ephemeral = G::mul_generator(&e);
        let mut encrypted_shares = Vec::with_capacity(s.keys.len());
        for j in 1..=s.participants() {
            let dh = s.keys[(j - 1) as usize].mul_scalar(&e);
            let pads = s.pads(index, j, &ephemeral, &dh);
            encrypted_shares.push(polys.iter().zip(pads).map(|(f, p)| f.evaluate(j) + p).collect());
        }
        e.zeroize();
        let msg = Round1Message { dealer: index, ephemeral, dealings, encrypted_shares };
        Ok((state, msg))
    }

    /// The round-1 state of participant `index` without dealing (for example in a new
    /// process after the round-1 message was written): nothing but the long-term key
    /// is needed from here on. Checks that `key` is the session's key for `index`.
    pub fn resume(session: Session<G>, index: u32, key: ParticipantKey<G>) -> Result<Self, ThresholdError> {
        if session.key(index)? != key.public() {
            return Err(ThresholdError::KeyMismatch { index });
        }
        Ok(Round1 { session, index, key })
    }

    /// Consumes every dealer's round-1 message (missing dealers are disqualified
    /// later), decrypts and checks this participant's shares, and complains with
    /// evidence against each publicly valid dealer whose share fails.
    pub fn receive(
        self,
        messages: &[Round1Message<G>],
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<(Round2<G>, Round2Message<G>), ThresholdError> {
        check_dealers(&self.session, messages)?;
        let checks = public_checks(&self.session, messages, rng);
        // Publicly invalid dealers are disqualified by every verifier: no complaint needed.
        let valid: Vec<&Round1Message<G>> =
            messages.iter().filter(|m| checks.iter().any(|(d, r)| *d == m.dealer && r.is_ok())).collect();
        let mut decrypted: Vec<(&Round1Message<G>, Vec<G::Scalar>)> = valid
            .into_iter()
            .map(|m| {
                let dh = m.ephemeral.mul_scalar(&self.key.secret);
                (m, m.decrypt(&self.session, self.index, &dh))
            })
            .collect();
        let validity = batch_shares_valid(self.index, &decrypted, rng);
        let mut complaints = Vec::new();
        let mut received = Vec::new();
        for ((m, shares), ok) in decrypted.iter_mut().zip(validity) {
            if ok {
                received.push((m.dealer, std::mem::take(shares)));
            } else {
                let dh = m.ephemeral.mul_scalar(&self.key.secret);
                let statement = DleqStatement::new(G::generator(), m.ephemeral, self.key.public, dh);
                let context = self.session.complaint_context(self.index, m.dealer);
                let proof =
                    DleqProof::prove(labels::DKG_COMPLAINT, &statement, &self.key.secret, &context, rng)?;
                complaints.push(Complaint { dealer: m.dealer, dh_key: dh, proof });
                for v in shares.iter_mut() {
                    v.zeroize();
                }
            }
        }
        let msg = Round2Message { accuser: self.index, complaints };
        let next = Round2 { round1: self, messages: messages.to_vec(), checks, received };
        Ok((next, msg))
    }

    /// This participant's index.
    pub fn index(&self) -> u32 {
        self.index
    }

    /// The session.
    pub fn session(&self) -> &Session<G> {
        &self.session
    }
}

/// Participant state after round 2: the round-1 messages, their public checks and
/// the shares received from dealers not complained about (secret: zeroized on drop,
/// redacted in `Debug`).
pub struct Round2<G: PrimeGroup> {
    round1: Round1<G>,
    messages: Vec<Round1Message<G>>,
    checks: Vec<(u32, Result<(), String>)>,
    received: Vec<(u32, Vec<G::Scalar>)>,
}

impl<G: PrimeGroup> Drop for Round2<G> {
    fn drop(&mut self) {
        for (_, shares) in self.received.iter_mut() {
            for v in shares.iter_mut() {
                v.zeroize();
            }
        }
    }
}

impl<G: PrimeGroup> core::fmt::Debug for Round2<G> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Round2 {{ index: {}, received: <redacted> }}", self.round1.index)
    }
}

impl<G: PrimeGroup> Round2<G> {
    /// Consumes every participant's round-2 message, judges the complaints (as
    /// [`DkgTranscript::verify`] does), and returns the public result with this
    /// participant's secret share, checked against its verification share.
    pub fn finish(self, messages: &[Round2Message<G>]) -> Result<DkgOutput<G>, ThresholdError> {
        let s = &self.round1.session;
        let public = judge(s, &self.messages, &self.checks, messages)?;
        let j = self.round1.index;
        let mut values = vec![G::scalar_zero(); s.secrets as usize];
        for dealer in &public.qualified {
            // A qualified dealer we complained about would have been disqualified
            // (our evidence holds), so its shares are among those received.
            let Some((_, shares)) = self.received.iter().find(|(d, _)| d == dealer) else {
                return Err(ThresholdError::ShareMismatch { index: j });
            };
            for (acc, v) in values.iter_mut().zip(shares.iter()) {
                *acc = *acc + *v;
            }
        }
        let share = SecretShare { index: j, values };
        for (v, y) in share.values.iter().zip(&public.verification_shares[(j - 1) as usize]) {
            if G::mul_generator(v) != *y {
                return Err(ThresholdError::ShareMismatch { index: j });
            }
        }
        Ok(DkgOutput { public, share })
    }
}

fn check_dealers<G: PrimeGroup>(
    session: &Session<G>,
    messages: &[Round1Message<G>],
) -> Result<(), ThresholdError> {
    for (k, m) in messages.iter().enumerate() {
        session.check_index(m.dealer)?;
        if messages[..k].iter().any(|o| o.dealer == m.dealer) {
            return Err(ThresholdError::DuplicateIndex { index: m.dealer });
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------
// Judging and results
// ---------------------------------------------------------------------------------

/// A dealer removed from the qualified set, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Disqualification {
    /// The dealer.
    pub dealer: u32,
    /// Why (missing message, failed public check, or upheld complaint by whom).
    pub reason: String,
}

/// The public result of a DKG, computable by anyone from the transcript.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound = "G: PrimeGroup", try_from = "PublicWire", into = "PublicWire")]
pub struct DkgPublicOutput<G: PrimeGroup> {
    /// `t`.
    pub threshold: u32,
    /// The qualified dealers `QUAL`, ascending.
    pub qualified: Vec<u32>,
    /// The dealers removed, ascending, with reasons.
    pub disqualified: Vec<Disqualification>,
    /// Participants whose complaints did not hold (ascending).
    pub false_accusers: Vec<u32>,
    /// `PK_s = Σ_{i∈QUAL} C_{i,s,0}`, one per secret.
    pub public_keys: Vec<G>,
    /// `verification_shares[j − 1][s] = Σ_{i∈QUAL} Σ_m j^m C_{i,s,m} = x_{j,s}·g`.
    pub verification_shares: Vec<Vec<G>>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PublicWire {
    version: u32,
    group: String,
    threshold: u32,
    qualified: Vec<u32>,
    disqualified: Vec<Disqualification>,
    false_accusers: Vec<u32>,
    public_keys: Vec<String>,
    verification_shares: Vec<Vec<String>>,
}

impl<G: PrimeGroup> From<DkgPublicOutput<G>> for PublicWire {
    fn from(p: DkgPublicOutput<G>) -> Self {
        PublicWire {
            version: VERSION,
            group: group_name::<G>(),
            threshold: p.threshold,
            qualified: p.qualified,
            disqualified: p.disqualified,
            false_accusers: p.false_accusers,
            public_keys: p.public_keys.iter().map(element_to_hex).collect(),
            verification_shares: p
                .verification_shares
                .iter()
                .map(|row| row.iter().map(element_to_hex).collect())
                .collect(),
        }
    }
}

impl<G: PrimeGroup> TryFrom<PublicWire> for DkgPublicOutput<G> {
    type Error = ThresholdError;
    fn try_from(w: PublicWire) -> Result<Self, ThresholdError> {
        const WHAT: &str = "DKG public output";
        check_header::<G>(WHAT, w.version, &w.group)?;
        limit(&w.public_keys, MAX_SECRETS, WHAT)?;
        limit(&w.verification_shares, crate::shamir::MAX_PARTICIPANTS, WHAT)?;
        let public_keys = w
            .public_keys
            .iter()
            .map(|k| non_identity_from_hex::<G>(k, "DKG public key"))
            .collect::<Result<Vec<_>, _>>()?;
        let mut verification_shares = Vec::with_capacity(w.verification_shares.len());
        for row in &w.verification_shares {
            if row.len() != public_keys.len() {
                return Err(ThresholdError::Shape {
                    what: WHAT,
                    reason: "verification share row length".into(),
                });
            }
            verification_shares.push(
                row.iter()
                    .map(|k| element_from_hex::<G>(k, "verification share"))
                    .collect::<Result<Vec<_>, _>>()?,
            );
        }
        Ok(DkgPublicOutput {
            threshold: w.threshold,
            qualified: w.qualified,
            disqualified: w.disqualified,
            false_accusers: w.false_accusers,
            public_keys,
            verification_shares,
        })
    }
}

impl<G: PrimeGroup> DkgPublicOutput<G> {
    /// The verification share `x_{j,s}·g` of participant `index` for secret `secret`.
    pub fn verification_share(&self, index: u32, secret: usize) -> Option<G> {
        let row = self.verification_shares.get((index as usize).checked_sub(1)?)?;
        row.get(secret).copied()
    }
    /// Versioned JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("plain struct serializes")
    }
    /// Parses [`Self::to_json`] strictly.
    pub fn from_json(text: &str) -> Result<Self, ThresholdError> {
        let wire: PublicWire = serde_json::from_str(text).map_err(json_error("DKG public output"))?;
        Self::try_from(wire)
    }
}

/// A participant's secret shares `x_{j,s}`, one per secret. Zeroized on drop,
/// `Debug` redacts.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretShare<G: PrimeGroup> {
    index: u32,
    values: Vec<G::Scalar>,
}

impl<G: PrimeGroup> Drop for SecretShare<G> {
    fn drop(&mut self) {
        for v in self.values.iter_mut() {
            v.zeroize();
        }
    }
}

impl<G: PrimeGroup> core::fmt::Debug for SecretShare<G> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "SecretShare {{ index: {}, values: <{} redacted> }}", self.index, self.values.len())
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SecretShareWire {
    version: u32,
    group: String,
    index: u32,
    values: Vec<String>,
}

impl<G: PrimeGroup> SecretShare<G> {
    /// Wraps participant `index`'s share values, one per secret (for example from
    /// [`crate::split`] in tests or a trusted-dealer setting).
    pub fn new(index: u32, values: Vec<G::Scalar>) -> Result<Self, ThresholdError> {
        if index == 0 {
            return Err(ThresholdError::InvalidIndex { index });
        }
        limit(&values, MAX_SECRETS, "secret share")?;
        Ok(SecretShare { index, values })
    }

    /// The participant index `j`.
    pub fn index(&self) -> u32 {
        self.index
    }
    /// The number of secrets `k`.
    pub fn secrets(&self) -> usize {
        self.values.len()
    }
    /// `x_{j,s}`. Secret!
    pub fn value(&self, secret: usize) -> Option<&G::Scalar> {
        self.values.get(secret)
    }
    /// `(j, x_{j,s})` as a Shamir [`Share`].
    pub fn share(&self, secret: usize) -> Option<Share<G>> {
        self.values.get(secret).map(|v| Share { index: self.index, value: *v })
    }
    /// Secret versioned JSON. Store privately.
    pub fn to_secret_json(&self) -> String {
        let w = SecretShareWire {
            version: VERSION,
            group: group_name::<G>(),
            index: self.index,
            values: self.values.iter().map(scalar_to_hex::<G>).collect(),
        };
        serde_json::to_string_pretty(&w).expect("plain struct serializes")
    }
    /// Parses [`Self::to_secret_json`] strictly.
    pub fn from_secret_json(text: &str) -> Result<Self, ThresholdError> {
        let mut w: SecretShareWire = serde_json::from_str(text).map_err(json_error("secret share"))?;
        check_header::<G>("secret share", w.version, &w.group)?;
        if w.index == 0 {
            return Err(ThresholdError::InvalidIndex { index: 0 });
        }
        limit(&w.values, MAX_SECRETS, "secret share")?;
        let values =
            w.values.iter().map(|v| scalar_from_hex::<G>(v, "secret share")).collect::<Result<Vec<_>, _>>();
        for v in w.values.iter_mut() {
            v.zeroize();
        }
        Ok(SecretShare { index: w.index, values: values? })
    }
}

/// A participant's result: the public output and its own secret share.
#[derive(Debug)]
pub struct DkgOutput<G: PrimeGroup> {
    /// The public result.
    pub public: DkgPublicOutput<G>,
    /// This participant's secret share.
    pub share: SecretShare<G>,
}

/// The public record of a run: the session and every message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound = "G: PrimeGroup", deny_unknown_fields)]
pub struct DkgTranscript<G: PrimeGroup> {
    /// The session.
    pub session: Session<G>,
    /// Every round-1 message received.
    pub round1: Vec<Round1Message<G>>,
    /// Every round-2 message received.
    pub round2: Vec<Round2Message<G>>,
}

impl<G: PrimeGroup> DkgTranscript<G> {
    /// Re-derives the public result from the messages alone (what every participant
    /// computes in [`Round2::finish`]).
    pub fn verify(&self, rng: &mut (impl RngCore + CryptoRng)) -> Result<DkgPublicOutput<G>, ThresholdError> {
        check_dealers(&self.session, &self.round1)?;
        let checks = public_checks(&self.session, &self.round1, rng);
        judge(&self.session, &self.round1, &checks, &self.round2)
    }
    /// JSON (each part carries its own version).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("plain struct serializes")
    }
    /// Parses [`Self::to_json`] strictly.
    pub fn from_json(text: &str) -> Result<Self, ThresholdError> {
        serde_json::from_str(text).map_err(json_error("DKG transcript"))
    }
}

/// Public judging: public checks, complaints, `QUAL`, keys and verification shares.
fn judge<G: PrimeGroup>(
    session: &Session<G>,
    round1: &[Round1Message<G>],
    checks: &[(u32, Result<(), String>)],
    round2: &[Round2Message<G>],
) -> Result<DkgPublicOutput<G>, ThresholdError> {
    let n = session.participants();
    for (k, m) in round2.iter().enumerate() {
        session.check_index(m.accuser)?;
        if round2[..k].iter().any(|o| o.accuser == m.accuser) {
            return Err(ThresholdError::DuplicateIndex { index: m.accuser });
        }
    }
    let mut disqualified: Vec<Disqualification> = Vec::new();
    let mut valid: Vec<&Round1Message<G>> = Vec::new();
    for (dealer, check) in checks {
        match (check, round1.iter().find(|m| m.dealer == *dealer)) {
            (Ok(()), Some(m)) => valid.push(m),
            (Err(reason), _) => {
                disqualified.push(Disqualification { dealer: *dealer, reason: reason.clone() })
            }
            (Ok(()), None) => {
                disqualified.push(Disqualification { dealer: *dealer, reason: "no round-1 message".into() })
            }
        }
    }
    let mut false_accusers = Vec::new();
    for m in round2 {
        let accuser = m.accuser;
        for c in &m.complaints {
            let Some(dealing) = valid.iter().find(|d| d.dealer == c.dealer) else {
                continue; // against a dealer that is already out (or unknown): moot
            };
            let statement =
                DleqStatement::new(G::generator(), dealing.ephemeral, session.key(accuser)?, c.dh_key);
            let context = session.complaint_context(accuser, c.dealer);
            let evidence_ok = c.proof.verify(labels::DKG_COMPLAINT, &statement, &context).is_ok();
            let upheld = evidence_ok && {
                let mut shares = dealing.decrypt(session, accuser, &c.dh_key);
                let ok = dealing.shares_valid(accuser, &shares);
                for v in shares.iter_mut() {
                    v.zeroize();
                }
                !ok
            };
            if upheld {
                if !disqualified.iter().any(|d| d.dealer == c.dealer) {
                    disqualified.push(Disqualification {
                        dealer: c.dealer,
                        reason: format!(
                            "complaint by participant {accuser} upheld: share fails its commitments"
                        ),
                    });
                }
            } else if !false_accusers.contains(&accuser) {
                false_accusers.push(accuser);
            }
        }
    }
    disqualified.sort_by_key(|d| d.dealer);
    false_accusers.sort_unstable();
    let qual: Vec<&Round1Message<G>> =
        valid.into_iter().filter(|m| !disqualified.iter().any(|d| d.dealer == m.dealer)).collect();
    if qual.len() < session.threshold as usize {
        return Err(ThresholdError::TooFewQualified { needed: session.threshold as usize, got: qual.len() });
    }
    let mut aggregate: Vec<FeldmanCommitment<G>> =
        qual[0].dealings.iter().map(|d| d.commitment.clone()).collect();
    for m in &qual[1..] {
        for (acc, d) in aggregate.iter_mut().zip(&m.dealings) {
            *acc = acc.add(&d.commitment)?;
        }
    }
    let public_keys: Vec<G> = aggregate.iter().map(FeldmanCommitment::constant).collect();
    if public_keys.iter().any(G::is_identity) {
        return Err(ThresholdError::InvalidParameters { reason: "a public key is the identity".into() });
    }
    let verification_shares = (1..=n).map(|j| aggregate.iter().map(|a| a.evaluate(j)).collect()).collect();
    Ok(DkgPublicOutput {
        threshold: session.threshold,
        qualified: qual.iter().map(|m| m.dealer).collect(),
        disqualified,
        false_accusers,
        public_keys,
        verification_shares,
    })
}
