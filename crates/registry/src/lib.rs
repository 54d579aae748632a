//! # psephos-registry
//!
//! Pluralistic registrars (docs/registry.md, docs/spec/registry.md): a person
//! enters the voter roll only when `k` of the group's `n` independent registrars
//! attest it, and a person who enrolls twice — through the same or different
//! registrars — is caught by a dedup tag that no single registrar can compute.
//!
//! - [`signature`]: registrar keys, Schnorr signatures on Ristretto255 over merlin
//!   transcripts, batch verification.
//! - [`attestation`]: the statement a registrar signs for a log entry.
//! - [`policy`]: the registrar set, the threshold and the dedup public key, signed.
//! - [`oprf`]: the dedup tag — RFC 9497 `ristretto255-SHA512` OPRF, evaluated by
//!   `k` registrars holding Shamir shares (from `psephos_threshold`'s DKG), with
//!   `psephos_sigma` DLEQ proofs.
//! - [`entry`]: one line of `enrollment.jsonl`.
//! - [`roll`]: the roll (log + LeanIMT group), its rules, enrollment and replay.
//! - [`setup`]: an in-process set-up of a registrar group (development, tests).
//! - [`encoding`], [`labels`], [`error`].
//!
//! ```
//! use psephos_identity::Identity;
//! use psephos_registry::{setup::simulate_setup, Roll, RegistryError};
//! use rand_core::OsRng;
//!
//! let (policy, regs) = simulate_setup("town-hall", 3, 2, &mut OsRng).expect("valid parameters");
//! let mut roll = Roll::new(policy.clone());
//! let alice = Identity::from_text("alice").commitment();
//! roll.enroll(&[&regs[0], &regs[1]], alice, b"passport:X123", &mut OsRng).expect("first enrollment");
//! // The same evidence through other registrars is refused.
//! let again = Identity::from_text("alice, second identity").commitment();
//! let err = roll.enroll(&[&regs[2], &regs[0]], again, b"passport:X123", &mut OsRng).unwrap_err();
//! assert!(matches!(err, RegistryError::DuplicateEnrollment { position: 0 }));
//! // Anyone can replay the log to the same root.
//! let replayed = Roll::replay(policy, &roll.to_jsonl(), &mut OsRng).expect("valid log");
//! assert_eq!(replayed.root(), roll.root());
//! ```

pub mod attestation;
pub mod encoding;
pub mod entry;
pub mod error;
pub mod labels;
pub mod oprf;
pub mod policy;
pub mod roll;
pub mod setup;
pub mod signature;

pub use attestation::{Attestation, EntryKind, Statement};
pub use encoding::{DedupTag, GroupId};
pub use entry::Entry;
pub use error::RegistryError;
pub use oprf::{BlindedRequest, DedupBlinding, DedupKeyShare, DedupPublicKey, PartialEvaluation};
pub use policy::{GroupPolicy, SignedPolicy};
pub use roll::{dedup_tag, Registrar, ReplayError, Roll};
pub use signature::{RegistrarPublicKey, RegistrarSecretKey, Signature};
