//! Decryption shares (docs/spec/tally.md §2).
//!
//! Trustee `i` holds, from the DKG, one share `x_{i,j}` of each option key `sk_j`
//! and everyone holds its verification share `Y_{i,j} = x_{i,j}·B`. For the
//! aggregate `(A, C_1..C_k)` it publishes, per option `j`,
//!
//! ```text
//! D_{i,j} = x_{i,j}·A     with a DLEQ proof  log_B(Y_{i,j}) = log_A(D_{i,j})
//! ```
//!
//! under the domain [`labels::DECRYPTION_SHARE`] and a context that binds the poll,
//! the trustee, the option, the option count, the ballot count, `C_j` and the
//! option key `PK_j`. A share read from outside is an [`Unverified`]
//! `<DecryptionShare>`; only [`Unverified::verify`] turns it into a
//! [`DecryptionShare`] that [`crate::combine`] accepts.
//!
//! JSON (`shares/trustee-<i>.json`), version 1, unknown fields refused:
//!
//! ```json
//! { "version": 1, "pollId": "<dec>", "trustee": i, "ballots": N,
//!   "partials": [ { "share": ["<x>", "<y>"], "proof": "<192 hex: A ‖ B ‖ s>" }, … ] }
//! ```

use psephos_ballot::encoding::{fr_from_json, parse_json, point_from_json, point_to_json};
use psephos_ballot::manifest::MAX_OPTIONS;
use psephos_primitives::{field, Fr, Point};
use psephos_sigma::{encoding as hexenc, DleqProof, DleqStatement, SigmaError, DLEQ_PROOF_LEN};
use psephos_threshold::{DkgPublicOutput, SecretShare};
use rand_core::{CryptoRng, RngCore};
use serde::{Deserialize, Serialize};

use crate::{labels, Aggregate, TallyError};

/// The decryption-share format version.
pub const SHARE_VERSION: u32 = 1;

/// One trustee's partial decryptions of every option of an aggregate, with proofs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecryptionShare {
    /// The poll.
    pub poll_id: Fr,
    /// The trustee's DKG index `i` (1-based).
    pub trustee: u32,
    /// The number of ballots in the aggregate.
    pub ballots: u64,
    /// `D_{i,j} = x_{i,j}·A`, one per option.
    pub partials: Vec<Point>,
    /// The DLEQ proofs, one per option.
    pub proofs: Vec<DleqProof<Point>>,
}

/// A value read from outside that has not been checked yet. The inner value is
/// reachable only through verification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unverified<T>(T);

impl<T> Unverified<T> {
    /// Wraps a value that still needs checking.
    pub fn new(value: T) -> Self {
        Unverified(value)
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PartialJson {
    share: [String; 2],
    proof: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ShareJson {
    version: u32,
    poll_id: String,
    trustee: u32,
    ballots: u64,
    partials: Vec<PartialJson>,
}

/// The context bytes of the proof for (`trustee`, `option`) over `aggregate`.
fn context(aggregate: &Aggregate, option_key: &Point, trustee: u32, option: usize) -> Vec<u8> {
    let mut c = Vec::with_capacity(32 * 3 + 24);
    c.extend_from_slice(&field::to_le_bytes(&aggregate.poll_id));
    c.extend_from_slice(&trustee.to_le_bytes());
    c.extend_from_slice(&(option as u32).to_le_bytes());
    c.extend_from_slice(&(aggregate.options() as u32).to_le_bytes());
    c.extend_from_slice(&aggregate.ballots.to_le_bytes());
    c.extend_from_slice(&aggregate.ciphertext.c2[option].pack());
    c.extend_from_slice(&option_key.pack());
    c
}

fn check_keys(aggregate: &Aggregate, keys: &DkgPublicOutput<Point>) -> Result<(), TallyError> {
    if keys.public_keys.len() != aggregate.options() {
        return Err(TallyError::OptionCountMismatch {
            expected: aggregate.options(),
            got: keys.public_keys.len(),
        });
    }
    Ok(())
}

fn nothing_to_decrypt() -> TallyError {
    TallyError::Malformed {
        what: "aggregate",
        reason: "c1 is the identity (no ballots): there is nothing to decrypt".into(),
    }
}

impl DecryptionShare {
    /// Trustee side: the partial decryptions of `aggregate` with `share` (from the
    /// DKG whose public output is `keys`), with DLEQ proofs. Refuses a share that
    /// does not match its verification shares.
    pub fn create(
        aggregate: &Aggregate,
        keys: &DkgPublicOutput<Point>,
        share: &SecretShare<Point>,
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<Self, TallyError> {
        check_keys(aggregate, keys)?;
        if share.secrets() != aggregate.options() {
            return Err(TallyError::OptionCountMismatch {
                expected: aggregate.options(),
                got: share.secrets(),
            });
        }
        let a = aggregate.ciphertext.c1;
        if a.is_identity() {
            return Err(nothing_to_decrypt());
        }
        let trustee = share.index();
        let n = keys.verification_shares.len() as u32;
        let mut partials = Vec::with_capacity(aggregate.options());
        let mut proofs = Vec::with_capacity(aggregate.options());
        for j in 0..aggregate.options() {
            let x = share.value(j).ok_or(TallyError::UnknownTrustee { trustee, n })?;
            let y = keys.verification_share(trustee, j).ok_or(TallyError::UnknownTrustee { trustee, n })?;
            let d = a.mul(x);
            let statement = DleqStatement::new(Point::BASE8, a, y, d);
            let ctx = context(aggregate, &keys.public_keys[j], trustee, j);
            let proof =
                DleqProof::prove(labels::DECRYPTION_SHARE, &statement, x, &ctx, rng).map_err(|e| {
                    TallyError::InvalidShare {
                        trustee,
                        option: j,
                        reason: format!("the secret share does not match its verification share: {e}"),
                    }
                })?;
            partials.push(d);
            proofs.push(proof);
        }
        Ok(DecryptionShare {
            poll_id: aggregate.poll_id,
            trustee,
            ballots: aggregate.ballots,
            partials,
            proofs,
        })
    }

    /// The canonical JSON text.
    pub fn to_json(&self) -> String {
        let j = ShareJson {
            version: SHARE_VERSION,
            poll_id: field::to_decimal(&self.poll_id),
            trustee: self.trustee,
            ballots: self.ballots,
            partials: self
                .partials
                .iter()
                .zip(&self.proofs)
                .map(|(d, p)| PartialJson { share: point_to_json(d), proof: hexenc::to_hex(&p.to_bytes()) })
                .collect(),
        };
        serde_json::to_string_pretty(&j).unwrap_or_default() + "\n"
    }

    /// Parses share JSON strictly (points validated, identity shares refused) into
    /// an [`Unverified`] share.
    pub fn from_json(bytes: &[u8]) -> Result<Unverified<Self>, TallyError> {
        let j: ShareJson = parse_json(bytes, "decryption share")?;
        if j.version != SHARE_VERSION {
            return Err(TallyError::UnknownVersion { what: "decryption share", version: j.version });
        }
        if j.partials.is_empty() || j.partials.len() > MAX_OPTIONS {
            return Err(TallyError::Malformed {
                what: "decryption share",
                reason: format!("{} partials (1 to {MAX_OPTIONS} allowed)", j.partials.len()),
            });
        }
        let mut partials = Vec::with_capacity(j.partials.len());
        let mut proofs = Vec::with_capacity(j.partials.len());
        for p in &j.partials {
            partials.push(point_from_json(&p.share, "decryption share")?.non_identity("decryption share")?);
            let bytes = hexenc::from_hex(&p.proof, DLEQ_PROOF_LEN, "decryption-share proof")?;
            proofs.push(DleqProof::from_bytes(&bytes).map_err(|e| match e {
                SigmaError::Encoding(e) => TallyError::Encoding(e),
                other => TallyError::Malformed { what: "decryption-share proof", reason: other.to_string() },
            })?);
        }
        Ok(Unverified(DecryptionShare {
            poll_id: fr_from_json(&j.poll_id, "pollId")?,
            trustee: j.trustee,
            ballots: j.ballots,
            partials,
            proofs,
        }))
    }
}

impl Unverified<DecryptionShare> {
    /// The claimed trustee index (for attributing a failure; not yet checked).
    pub fn claimed_trustee(&self) -> u32 {
        self.0.trustee
    }

    /// Checks the share against the aggregate and the DKG's verification shares:
    /// the poll and ballot count, the trustee index (`1..=n`), the option count, and
    /// every DLEQ proof (batched, with the first bad option named on failure).
    pub fn verify(
        self,
        aggregate: &Aggregate,
        keys: &DkgPublicOutput<Point>,
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<DecryptionShare, TallyError> {
        check_keys(aggregate, keys)?;
        let s = self.0;
        let n = keys.verification_shares.len() as u32;
        if s.trustee == 0 || s.trustee > n {
            return Err(TallyError::UnknownTrustee { trustee: s.trustee, n });
        }
        if s.poll_id != aggregate.poll_id {
            return Err(TallyError::ContextMismatch { what: "poll" });
        }
        if s.ballots != aggregate.ballots {
            return Err(TallyError::ContextMismatch { what: "aggregate (ballot count)" });
        }
        if s.partials.len() != aggregate.options() || s.proofs.len() != aggregate.options() {
            return Err(TallyError::OptionCountMismatch {
                expected: aggregate.options(),
                got: s.partials.len(),
            });
        }
        let a = aggregate.ciphertext.c1;
        if a.is_identity() {
            return Err(nothing_to_decrypt());
        }
        let mut contexts = Vec::with_capacity(s.partials.len());
        let mut statements = Vec::with_capacity(s.partials.len());
        for j in 0..s.partials.len() {
            let y = keys
                .verification_share(s.trustee, j)
                .ok_or(TallyError::UnknownTrustee { trustee: s.trustee, n })?;
            statements.push(DleqStatement::new(Point::BASE8, a, y, s.partials[j]));
            contexts.push(context(aggregate, &keys.public_keys[j], s.trustee, j));
        }
        let items: Vec<(DleqStatement<Point>, &[u8], DleqProof<Point>)> = statements
            .iter()
            .zip(&contexts)
            .zip(&s.proofs)
            .map(|((st, c), p)| (*st, c.as_slice(), *p))
            .collect();
        DleqProof::batch_verify(labels::DECRYPTION_SHARE, &items, rng).map_err(|e| {
            let option = match e {
                SigmaError::InvalidProofInBatch { index, .. } => index,
                _ => 0,
            };
            TallyError::InvalidShare { trustee: s.trustee, option, reason: e.to_string() }
        })?;
        Ok(s)
    }
}
