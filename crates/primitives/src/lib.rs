//! # psephos-primitives
//!
//! The algebra every other psephos crate stands on, byte-for-byte compatible with
//! circomlib / circomlibjs and Semaphore v4:
//!
//! - [`field`]: BN254's scalar field `Fr` (the SNARK field) with strict canonical
//!   encodings — snarkjs-style decimal strings, 32-byte hex and little-endian bytes.
//!   Every decoder rejects values `≥` the modulus instead of reducing them.
//! - [`poseidon`]: the Poseidon hash with circomlib's parameters (x⁵ S-box,
//!   8 full rounds, circomlib's partial-round table), arities 1–16.
//! - [`babyjubjub`]: Baby Jubjub in the EIP-2494 twisted-Edwards form used by
//!   circomlib (`a = 168700`, `d = 168696`, generator `Base8` of the prime-order
//!   subgroup of order `l`), validated points and circomlib's 32-byte packing.
//! - [`group`]: the [`PrimeGroup`] trait (prime-order group with canonical 32-byte
//!   encodings) implemented for the Baby Jubjub subgroup ([`Point`]) and for
//!   Ristretto255 ([`RistrettoPoint`]); the Sigma protocols and the DKG are generic
//!   over it.
//! - [`transcript`]: [`GroupTranscript`], typed merlin transcript appends and
//!   wide-reduced challenge scalars.
//! - [`error`]: the one error type of this crate, [`EncodingError`].
//!
//! Specification: `docs/spec/primitives.md`.
//!
//! ```
//! use psephos_primitives::{babyjubjub::{Point, Scalar}, field, poseidon};
//!
//! let pk = Point::mul_base8(&Scalar::from(42u64));
//! let commitment = poseidon::hash(&[pk.x(), pk.y()]).expect("arity 2 is supported");
//! let text = field::to_decimal(&commitment);
//! assert_eq!(field::from_decimal(&text), Ok(commitment));
//! // Decoders never reduce: the modulus itself is rejected.
//! assert!(field::from_decimal(field::FR_MODULUS_DECIMAL).is_err());
//! ```

pub mod babyjubjub;
pub mod error;
pub mod field;
pub mod group;
pub mod poseidon;
pub mod transcript;

pub use ark_bn254::Fr;
pub use babyjubjub::{Point, Scalar};
pub use error::EncodingError;
pub use group::{PrimeGroup, RistrettoPoint, RistrettoScalar};
pub use transcript::GroupTranscript;
