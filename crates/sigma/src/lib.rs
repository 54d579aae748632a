//! # psephos-sigma
//!
//! Sigma protocols over merlin transcripts, generic over the
//! [`PrimeGroup`](psephos_primitives::PrimeGroup) trait, so one implementation
//! serves the Baby Jubjub subgroup (trustees, tally) and Ristretto255 (registrars,
//! OPRF). Made non-interactive with Fiat–Shamir; every transcript absorbs the
//! protocol label, a caller-chosen **domain** label, the group's `NAME`, every
//! generator, every public value and caller-supplied **context** bytes, then the
//! prover's commitments.
//!
//! - [`schnorr`]: [`SchnorrProof`] of knowledge of `x` with `X = x·g`
//!   ([`SchnorrStatement`]).
//! - [`dleq`]: [`DleqProof`] (Chaum–Pedersen) that `log_g X = log_h Y`
//!   ([`DleqStatement`]).
//! - Both have `prove`, `verify`, `batch_verify` (random linear combination, one
//!   multi-scalar multiplication; a failing batch names the first bad proof),
//!   `to_bytes` / strict `from_bytes`, and serde as strict lowercase hex.
//! - [`encoding`]: strict hex and serde helpers for group elements.
//! - [`labels`], [`SigmaError`].
//!
//! Specification: `docs/spec/sigma.md`.
//!
//! ```
//! use psephos_primitives::{PrimeGroup, RistrettoPoint};
//! use psephos_sigma::schnorr::{SchnorrProof, SchnorrStatement};
//! use rand_core::OsRng;
//!
//! const DOMAIN: &[u8] = b"psephos/example/pok/v1";
//! let x = RistrettoPoint::random_scalar(&mut OsRng);
//! let statement = SchnorrStatement::new(RistrettoPoint::mul_generator(&x));
//! let proof = SchnorrProof::prove(DOMAIN, &statement, &x, b"session 1", &mut OsRng)?;
//! proof.verify(DOMAIN, &statement, b"session 1")?;
//! assert!(proof.verify(DOMAIN, &statement, b"session 2").is_err());
//! let decoded = SchnorrProof::<RistrettoPoint>::from_bytes(&proof.to_bytes())?;
//! assert_eq!(decoded, proof);
//! # Ok::<(), psephos_sigma::SigmaError>(())
//! ```

mod batch;
pub mod dleq;
pub mod encoding;
mod error;
pub mod labels;
pub mod schnorr;

pub use dleq::{DleqProof, DleqStatement, DLEQ_PROOF_LEN};
pub use error::SigmaError;
pub use schnorr::{SchnorrProof, SchnorrStatement, SCHNORR_PROOF_LEN};

/// `k·g`, through the fixed-base path when `g` is the group's generator.
pub(crate) fn mul_base<G: psephos_primitives::PrimeGroup>(g: &G, k: &G::Scalar) -> G {
    if *g == G::generator() {
        G::mul_generator(k)
    } else {
        g.mul_scalar(k)
    }
}
