//! # psephos-tally
//!
//! The homomorphic tally of a psephos election (docs/spec/tally.md):
//!
//! - [`aggregate`]: the per-option sum of the counted ballots' ciphertexts.
//! - [`error`]: the error type, [`TallyError`].

pub mod aggregate;
pub mod error;

pub use aggregate::Aggregate;
pub use error::TallyError;
