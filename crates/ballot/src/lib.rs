//! # psephos-ballot
//!
//! Encrypted quadratic-voting ballots (docs/spec/ballot.md).
//!
//! - [`elgamal`]: exponential ElGamal on the Baby Jubjub prime-order subgroup with
//!   **one randomness and one key per option**: `c1 = ρ·B`, `c2_i = v_i·B + ρ·PK_i`
//!   (docs/decisions/0004); homomorphic addition, re-randomization, decryption to a
//!   point.
//! - [`ballot`]: the versioned ballot format.
//! - [`ballot_box`]: acceptance rules (poll, root, options, proof, nullifier, re-vote policy).
//! - [`manifest`]: the versioned election manifest.
//! - [`statement`]: casting (prove) and checking (verify) a ballot against a manifest.
//! - [`dlog`]: the bounded discrete logarithm (baby-step giant-step over `[−M, M]`)
//!   that turns a decrypted tally point back into an integer.
//!
//! ```
//! use psephos_ballot::{dlog, elgamal::{ElectionSecretKey, encrypt}};
//! use psephos_primitives::Scalar;
//! use rand_core::SeedableRng;
//!
//! let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(1);
//! let sk = ElectionSecretKey::random(3, &mut rng);
//! let pk = sk.public_key();
//! let a = encrypt(&pk, &[3, -2, 0], &Scalar::from(11u64)).expect("3 options");
//! let b = encrypt(&pk, &[1, 1, -1], &Scalar::from(29u64)).expect("3 options");
//! let sum = a.add(&b).expect("same shape");
//! let totals: Vec<i64> = sk
//!     .decrypt_points(&sum)
//!     .expect("same shape")
//!     .iter()
//!     .map(|p| dlog::solve(p, 10).expect("|total| <= 10"))
//!     .collect();
//! assert_eq!(totals, vec![4, -1, -1]);
//! ```

pub mod ballot;
pub mod ballot_box;
pub mod dlog;
pub mod elgamal;
pub mod encoding;
pub mod error;
pub mod manifest;
pub mod statement;

pub use ballot::Ballot;
pub use ballot_box::{BallotBox, Outcome, Rejection};
pub use elgamal::{Ciphertext, ElectionPublicKey, ElectionSecretKey};
pub use error::BallotError;
pub use manifest::{Manifest, RevotePolicy};
