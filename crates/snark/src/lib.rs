//! # psephos-snark
//!
//! Groth16 over BN254 for psephos: development setup, proving, strict
//! verification (single and batched), verifying-key policy and pinning, and the
//! encodings other tools use — snarkjs' JSON, Semaphore's packed proof and
//! compact versioned bytes. Proofs and keys interoperate with snarkjs 0.7 and
//! Semaphore v4 in both directions (tested against their npm packages).
//!
//! For: the psephos circuits' provers and verifiers, and the CLI. Implements
//! Groth16 ([Gro16](https://eprint.iacr.org/2016/260)) on top of `ark-groth16` 0.6;
//! the book is `docs/snark.md`.
//!
//! | module | role |
//! | --- | --- |
//! | [`setup`] | [`dev_setup`] (**insecure**, deterministic), [`ProvingKey`], [`SetupKind`] |
//! | [`prover`] | [`prove`]: refuses unsatisfied witnesses, verifies its own proof |
//! | [`verifier`] | [`verify`], [`batch_verify`], strict public-input parsing |
//! | [`proof`] | [`Proof`]: validated `(A, B, C)`, 129-byte form, Semaphore's packed form, re-randomization |
//! | [`verifying_key`] | [`VerifyingKey`], [`VkId`], [`VkPolicy`], [`PreparedVerifyingKey`] |
//! | [`json`] | snarkjs `proof.json`, `verification_key.json`, `public.json` |
//! | [`error`] | [`VerifyError`] (untrusted data) and [`Error`] (setup, proving) |
//! | [`labels`] | domain-separation labels |
//!
//! Every decoder validates (canonical encoding, curve, subgroup, non-identity,
//! field elements `< modulus`, size limits) and returns a validated type; a
//! verifying key is accepted only through a [`VkPolicy`], which refuses
//! development keys and forgeable keys (`γ₂ = δ₂`, `δ₂ = G₂`) unless development
//! mode is requested, and can pin a key id.
//!
//! ```
//! use ark_relations::{
//!     gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError},
//!     lc,
//! };
//! use psephos_snark::{dev_setup, json, prove, verify, Fr, VerifyError, VkPolicy};
//! use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};
//!
//! /// "I know w with w·w = x" for public x.
//! struct Square {
//!     x: Option<Fr>,
//!     w: Option<Fr>,
//! }
//!
//! impl ConstraintSynthesizer<Fr> for Square {
//!     fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
//!         let x = cs.new_input_variable(|| self.x.ok_or(SynthesisError::AssignmentMissing))?;
//!         let w = cs.new_witness_variable(|| self.w.ok_or(SynthesisError::AssignmentMissing))?;
//!         cs.enforce_r1cs_constraint(|| lc!() + w, || lc!() + w, || lc!() + x)
//!     }
//! }
//!
//! // Setup. INSECURE: whoever knows the seed can forge proofs.
//! let (pk, vk) = dev_setup(Square { x: None, w: None }, &[7u8; 32])?;
//!
//! // Prove (the prover verifies its own proof before returning it).
//! let mut rng = ChaCha20Rng::from_seed([1u8; 32]); // tests only: use OsRng in real code
//! let (w, x) = (Fr::from(3u64), Fr::from(9u64));
//! let proof = prove(&pk, Square { x: Some(x), w: Some(w) }, &[x], &mut rng)?;
//!
//! // A production verifier refuses the development key ...
//! assert!(matches!(vk.prepare(&VkPolicy::production()), Err(VerifyError::InsecureVk { .. })));
//! // ... a development verifier accepts it.
//! let pvk = vk.prepare(&VkPolicy::development())?;
//! verify(&pvk, &[x], &proof)?;
//! assert_eq!(verify(&pvk, &[Fr::from(10u64)], &proof), Err(VerifyError::InvalidProof));
//!
//! // Round trips through snarkjs' JSON and the compact bytes.
//! let proof2 = json::read_proof(json::write_proof(&proof))?;
//! let vk2 = json::read_verifying_key(json::write_verifying_key(&vk))?;
//! assert_eq!(vk2.id(), vk.id());
//! verify(&vk2.prepare(&VkPolicy::development())?, &[x], &psephos_snark::Proof::from_bytes(&proof2.to_bytes())?)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod error;
pub mod json;
pub mod labels;
mod msm;
mod point;
pub mod proof;
pub mod prover;
mod r1cs;
pub mod setup;
pub mod verifier;
pub mod verifying_key;

pub use ark_bn254::Fr;
pub use error::{Error, VerifyError};
pub use proof::Proof;
pub use prover::prove;
pub use setup::{dev_setup, ProvingKey, SetupKind};
pub use verifier::{batch_verify, verify};
pub use verifying_key::{PreparedVerifyingKey, VerifyingKey, VkId, VkPolicy};

/// The most public inputs a key, a proof's input list or a `public.json` may have
/// (2¹⁶); larger inputs are `LimitExceeded` before allocation.
pub const MAX_PUBLIC_INPUTS: usize = 1 << 16;

/// The largest JSON document the readers in [`json`] accept (1 MiB).
pub const MAX_JSON_BYTES: usize = 1 << 20;
