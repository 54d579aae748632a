//! # psephos-election
//!
//! The public record of an election and its offline audit (docs/record.md,
//! docs/spec/tally.md §Audit).
//!
//! - [`ballot_log`]: `ballots.jsonl`, the durable, canonical log of every submission
//!   and its outcome; torn last lines are truncated on open, corruption refuses to open.
//! - [`ballot_box`]: [`DurableBallotBox`], psephos-ballot's rules with every
//!   submission `fsync`ed to the log before it is acknowledged.
//! - [`record`]: the record directory's files, the trustee-side decryption and the
//!   all-or-nothing publication of the tally.
//! - [`mod@audit`]: [`audit()`] re-verifies a whole record and names the first bad item.
//! - [`error`]: the error type, [`ElectionError`].

pub mod audit;
pub mod ballot_box;
pub mod ballot_log;
pub mod error;
pub mod record;

pub use audit::{audit, AuditError, AuditOptions, AuditReport};
pub use ballot_box::DurableBallotBox;
pub use ballot_log::{BallotLog, LogEntry};
pub use error::ElectionError;
