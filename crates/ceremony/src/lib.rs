//! # psephos-ceremony
//!
//! A verifiable multi-party Groth16 trusted setup for psephos' circuits (BN254),
//! interoperable with snarkjs 0.7: phase 1 is a snarkjs `.ptau` (the Hermez
//! transcripts are pinned by hash and verified internally), phase 2 is BGM17 as
//! snarkjs runs it (`.zkey` files a ceremony passes from contributor to
//! contributor), circuits travel as iden3 `.r1cs` files.
//!
//! For: ceremony operators, contributors and auditors (through the `psephos
//! ceremony` commands), and the psephos prover, which takes the resulting keys.
//! The book is `docs/ceremony.md`; formats and checks are in
//! `docs/spec/ceremony.md`.
//!
//! | module | role |
//! | --- | --- |
//! | [`ptau`] | phase-1 files: decoding, pinned hashes, internal verification |
//! | [`phase1`] | psephos' own phase 1: `new`, `contribute`, `prepare`, chain verification |
//! | [`fft`] | group FFTs |
//! | [`r1cs`] | iden3 `.r1cs`: read, write, export of any arkworks circuit |
//! | [`zkey`] | Groth16 `.zkey`: strict decoding and encoding |
//! | [`phase2`] | [`init`], [`contribute`], [`beacon`], [`verify`] |
//! | [`export`] | snarkjs verifying-key JSON and the psephos proving key |
//! | [`hash_to_curve`] | snarkjs' `hashToG2` and beacon derivation, bit-exact |
//! | [`encoding`] | LEM / U point encodings |
//! | [`labels`] | domain-separation labels (phase 1 only) |
//! | [`error`] | [`Error`], [`DecodeError`], [`CheckFailure`] |
//!
//! Trust argument: the final key is sound if **one** contributor's secret stayed
//! secret and the verifier (this crate's [`verify`]) accepts the transcript
//! against the circuit and a verified phase 1.

mod binfile;
pub mod encoding;
pub mod error;
pub mod export;
pub mod fft;
pub mod hash_to_curve;
pub mod labels;
pub mod phase1;
pub mod phase2;
pub mod ptau;
pub mod r1cs;
pub mod zkey;

pub use error::{CheckFailure, DecodeError, Error};
pub use phase2::{beacon, contribute, contribution_hash, init, verify, VerifyPolicy, VerifyReport};
pub use ptau::Ptau;
pub use r1cs::R1cs;
pub use zkey::Zkey;
