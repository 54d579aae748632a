//! # psephos-tally
//!
//! The homomorphic tally of a psephos election (docs/spec/tally.md): the trustees
//! of a `t`-of-`n` DKG (psephos-threshold, one key per option) decrypt only the
//! per-option sums of the counted ballots, each with DLEQ proofs, and any `t` valid
//! shares give the totals.
//!
//! - [`aggregate`]: the per-option sum of the counted ballots' ciphertexts.
//! - [`decryption_share`]: a trustee's partial decryptions with DLEQ proofs;
//!   [`Unverified`] until checked against the DKG's verification shares.
//! - [`dlog`]: bounded discrete logs with one shared baby-step table.
//! - [`result`]: Lagrange combination in the exponent, bounded discrete logs, and
//!   the reproducible `result.json`.
//! - [`local_dkg`]: the DKG with every trustee in one process (tests, benches, demos).
//! - [`labels`]: domain-separation labels.
//! - [`error`]: the error type, [`TallyError`].

pub mod aggregate;
pub mod decryption_share;
pub mod dlog;
pub mod error;
pub mod labels;
pub mod local_dkg;
pub mod result;

pub use aggregate::Aggregate;
pub use decryption_share::{DecryptionShare, Unverified};
pub use error::TallyError;
pub use result::{combine, verify_shares, TallyResult};
