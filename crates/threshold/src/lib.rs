//! # psephos-threshold
//!
//! Threshold key management shared by the trustees (tally, on Baby Jubjub) and the
//! registrars (threshold OPRF, on Ristretto255), generic over
//! [`PrimeGroup`](psephos_primitives::PrimeGroup):
//!
//! - [`shamir`]: Shamir sharing over the scalar field ([`split`], [`reconstruct`]),
//!   Lagrange coefficients at zero for any subset of 1-based indices
//!   ([`lagrange_coefficients_at_zero`]), interpolation in the exponent
//!   ([`interpolate_in_exponent`]) and [`FeldmanCommitment`]s.
//! - [`dkg`]: Pedersen's joint-Feldman DKG (Gennaro–Jarecki–Krawczyk–Rabin's
//!   "JF-DKG" with Schnorr proofs of knowledge of the constant terms) for `n`
//!   participants, threshold `t` and `k` independent secrets per session (one per
//!   ballot option, ADR 0004). Shares are encrypted inside the public round-1
//!   broadcast so that complaints carry verifiable evidence. Rounds are types;
//!   every message is versioned JSON. Result: `k` group public keys, each
//!   participant's [`SecretShare`] and everyone's verification shares.
//! - [`labels`], [`ThresholdError`].
//!
//! Specification: `docs/spec/dkg.md`; why a separate crate: `docs/decisions/0006-threshold-crate.md`.
//!
//! ```
//! use psephos_primitives::{PrimeGroup, RistrettoPoint as G};
//! use psephos_threshold::dkg::{ParticipantKey, Round1, Session};
//! use rand_core::OsRng;
//!
//! let keys: Vec<ParticipantKey<G>> = (0..3).map(|_| ParticipantKey::generate(&mut OsRng)).collect();
//! let session = Session::new(2, 1, b"example", keys.iter().map(|k| k.public()).collect())?;
//! let (mut states, mut r1) = (Vec::new(), Vec::new());
//! for (i, key) in keys.into_iter().enumerate() {
//!     let (state, msg) = Round1::start(session.clone(), i as u32 + 1, key, &mut OsRng)?;
//!     states.push(state);
//!     r1.push(msg);
//! }
//! let (mut round2, mut r2) = (Vec::new(), Vec::new());
//! for state in states {
//!     let (next, msg) = state.receive(&r1, &mut OsRng)?;
//!     round2.push(next);
//!     r2.push(msg);
//! }
//! let outputs = round2.into_iter().map(|s| s.finish(&r2)).collect::<Result<Vec<_>, _>>()?;
//! assert!(outputs.iter().all(|o| o.public == outputs[0].public));
//! # Ok::<(), psephos_threshold::ThresholdError>(())
//! ```

pub mod dkg;
mod encoding;
mod error;
pub mod labels;
pub mod shamir;

pub use dkg::{
    Complaint, Dealing, Disqualification, DkgOutput, DkgPublicOutput, DkgTranscript, ParticipantKey, Round1,
    Round1Message, Round2, Round2Message, SecretShare, Session,
};
pub use encoding::VERSION;
pub use error::ThresholdError;
pub use shamir::{
    interpolate_in_exponent, lagrange_coefficients_at_zero, reconstruct, split, FeldmanCommitment,
    Polynomial, Share,
};
