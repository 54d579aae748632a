//! Key generation: the **insecure** deterministic development setup, the proving
//! key and the provenance every key carries (docs/snark.md §"Setup").
//!
//! Production keys come from a multi-party ceremony (Semaphore v4's keys are in
//! `@zk-kit/semaphore-artifacts`); psephos reads their verifying keys with
//! [`json::read_verifying_key`](crate::json::read_verifying_key). This module only
//! makes development keys, for tests and local runs.

use std::{
    fmt,
    sync::{Arc, OnceLock},
};

use ark_bn254::{Bn254, Fr};
use ark_groth16::Groth16;
use ark_poly::{EvaluationDomain, GeneralEvaluationDomain};
use ark_relations::gr1cs::{
    ConstraintSynthesizer, ConstraintSystem, OptimizationGoal, SynthesisError, SynthesisMode,
};
use blake2::{digest::consts::U32, Blake2b, Digest};
use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};

use crate::{
    labels,
    r1cs::{R1csShape, Recording},
    Error, PreparedVerifyingKey, VerifyingKey, MAX_PUBLIC_INPUTS,
};

/// Where a key came from. Carried by [`ProvingKey`] and [`VerifyingKey`], written
/// into the compact verifying-key encoding and into snarkjs JSON (field
/// `psephos_setup`, only for development keys), and enforced by
/// [`VkPolicy`](crate::VkPolicy).
///
/// This is provenance for honest mistakes (a development key deployed by
/// accident), not a defence against whoever supplies the key: stripping the marker
/// from a file turns a development key into a `Ceremony` one. Against a malicious
/// key supplier, pin the key's [`VkId`](crate::VkId).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum SetupKind {
    /// Not made by [`dev_setup`]: a key read from a ceremony's output (or any file
    /// without a development marker). psephos cannot check a ceremony transcript;
    /// this variant only records that the key is not a known development key.
    Ceremony,
    /// Made by [`dev_setup`]. **Insecure**: whoever knows the seed knows the
    /// trapdoor and can forge proofs.
    InsecureDevelopment {
        /// Identifies the seed without storing it:
        /// `BLAKE2b-256(labels::DEV_SEED_LABEL || seed)[..8]` (see [`seed_label`]).
        seed_label: [u8; 8],
    },
}

impl SetupKind {
    /// Whether this is a development key.
    pub fn is_insecure_development(&self) -> bool {
        matches!(self, Self::InsecureDevelopment { .. })
    }
}

/// The label of a development seed: the first 8 bytes of
/// `BLAKE2b-256(labels::DEV_SEED_LABEL || seed)`.
pub fn seed_label(seed: &[u8; 32]) -> [u8; 8] {
    let mut h = Blake2b::<U32>::new();
    h.update(labels::DEV_SEED_LABEL);
    h.update(seed);
    let digest = h.finalize();
    let mut out = [0u8; 8];
    out.copy_from_slice(&digest[..8]);
    out
}

/// A Groth16 proving key over BN254 with its (validated) verifying key, and the
/// circuit's constraint matrices once they are known.
///
/// Only the embedded verifying key is validated: the proving key's other elements
/// can only hurt the prover, and [`prove`](crate::prover::prove) verifies every proof
/// before returning it.
///
/// **Constraint matrices.** The R1CS matrices depend on the circuit only, not on
/// the witness, so the prover keeps them with the key and then only needs the
/// circuit's assignment (docs/snark.md §"Proving performance"). A key made by
/// [`dev_setup`] has them from the start; a key read from a file
/// ([`from_ark`](Self::from_ark)) gets them from the first successful
/// [`prove`](crate::prover::prove), or ahead of time from
/// [`with_circuit_matrices`](Self::with_circuit_matrices). Clones share them.
#[derive(Clone)]
pub struct ProvingKey {
    inner: ark_groth16::ProvingKey<Bn254>,
    /// The embedded verifying key, prepared for the prover's self-check.
    prepared: PreparedVerifyingKey,
    /// The circuit's constraint matrices, once known.
    shape: Arc<OnceLock<R1csShape>>,
}

impl ProvingKey {
    /// Wraps an arkworks proving key, validating its verifying key (see
    /// [`VerifyingKey::from_ark`]).
    ///
    /// The key has no constraint matrices yet: the first successful
    /// [`prove`](crate::prover::prove) derives them from its circuit (and is slower
    /// than the next ones), or [`with_circuit_matrices`](Self::with_circuit_matrices)
    /// derives them now.
    pub fn from_ark(pk: ark_groth16::ProvingKey<Bn254>, setup: SetupKind) -> Result<Self, Error> {
        let vk = VerifyingKey::from_ark(pk.vk.clone(), setup).map_err(Error::SelfCheck)?;
        let id = vk.id();
        let prepared = PreparedVerifyingKey::new(vk, id).map_err(Error::SelfCheck)?;
        Ok(Self { inner: pk, prepared, shape: Arc::default() })
    }

    /// This key with the constraint matrices of `circuit` (a blank circuit is
    /// enough: only its constraints are used), so that even the first proof skips
    /// building them.
    ///
    /// The sizes are checked against the key; that the constraints are the key's
    /// cannot be checked without the setup's secrets. Matrices of another circuit
    /// with the same sizes make no invalid proof: [`prove`](crate::prover::prove)
    /// then falls back to the circuit's own matrices, and its self-check refuses a
    /// circuit that is not the key's.
    ///
    /// # Errors
    ///
    /// [`Error::Synthesis`] if the circuit fails to synthesize,
    /// [`Error::UnsupportedPredicate`] for non-R1CS predicates, and
    /// [`Error::KeyMismatch`] or [`Error::ShapeMismatch`] if the circuit's sizes
    /// are not the key's.
    pub fn with_circuit_matrices<C: ConstraintSynthesizer<Fr>>(self, circuit: C) -> Result<Self, Error> {
        let cs = ConstraintSystem::<Fr>::new_ref();
        cs.set_optimization_goal(OptimizationGoal::Constraints);
        cs.set_mode(SynthesisMode::Setup);
        circuit.generate_constraints(cs.clone())?;
        cs.finalize();
        crate::prover::check_predicates(&cs)?;
        let shape = R1csShape::from_cs(&cs)?;
        self.check_shape(&shape)?;
        Ok(Self { shape: Arc::new(OnceLock::from(shape)), ..self })
    }

    /// Whether the key holds its circuit's constraint matrices (see the type's
    /// documentation).
    pub fn has_circuit_matrices(&self) -> bool {
        self.shape.get().is_some()
    }

    /// The arkworks proving key.
    pub fn as_ark(&self) -> &ark_groth16::ProvingKey<Bn254> {
        &self.inner
    }

    /// The matching verifying key.
    pub fn verifying_key(&self) -> &VerifyingKey {
        self.prepared.verifying_key()
    }

    /// How the key was made.
    pub fn setup_kind(&self) -> &SetupKind {
        self.verifying_key().setup_kind()
    }

    /// The verifying key prepared without any policy: for the prover's self-check
    /// only, never for verifying someone else's proof.
    pub(crate) fn self_check_key(&self) -> &PreparedVerifyingKey {
        &self.prepared
    }

    /// The cached constraint matrices.
    pub(crate) fn shape(&self) -> Option<&R1csShape> {
        self.shape.get()
    }

    /// Caches `shape`, which must have passed [`check_shape`](Self::check_shape),
    /// unless matrices are cached already.
    pub(crate) fn remember_shape(&self, shape: R1csShape) {
        // Already set (by a concurrent proof): keep the first.
        let _ = self.shape.set(shape);
    }

    /// Checks that a circuit of this shape fits the key's sizes, so that the
    /// prover's vectors and the key's queries have the lengths it expects.
    pub(crate) fn check_shape(&self, shape: &R1csShape) -> Result<(), Error> {
        let pk = &self.inner;
        let expected = self.verifying_key().num_public_inputs();
        let got = shape.num_instance.saturating_sub(1);
        if got != expected {
            return Err(Error::KeyMismatch { expected, got });
        }
        let vars = shape.num_instance + shape.num_witness;
        for (what, expected, got) in [
            ("variables", pk.a_query.len(), vars),
            ("variables", pk.b_g1_query.len(), vars),
            ("variables", pk.b_g2_query.len(), vars),
            ("witness variables", pk.l_query.len(), shape.num_witness),
        ] {
            if expected != got {
                return Err(Error::ShapeMismatch { what, expected, got });
            }
        }
        let domain = GeneralEvaluationDomain::<Fr>::new(shape.num_constraints + shape.num_instance)
            .ok_or(Error::Synthesis(SynthesisError::PolynomialDegreeTooLarge))?;
        if pk.h_query.len() + 1 != domain.size() {
            return Err(Error::ShapeMismatch {
                what: "evaluation domain size",
                expected: pk.h_query.len() + 1,
                got: domain.size(),
            });
        }
        Ok(())
    }
}

impl fmt::Debug for ProvingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProvingKey")
            .field("setup", self.setup_kind())
            .field("vk_id", &self.prepared.id())
            .field("num_public_inputs", &self.prepared.num_public_inputs())
            .field("a_query_len", &self.inner.a_query.len())
            .field("h_query_len", &self.inner.h_query.len())
            .field("has_circuit_matrices", &self.has_circuit_matrices())
            .finish_non_exhaustive()
    }
}

/// **INSECURE — development and tests only.** A deterministic Groth16 setup for
/// `circuit`, with every secret (α, β, γ, δ, τ and the group generators) drawn from
/// `ChaCha20Rng::from_seed(*seed)`.
///
/// # Security
///
/// **Whoever knows `seed` can recompute the trapdoor and forge proofs of false
/// statements for these keys.** Treat every key made here as public and
/// forgeable. The keys carry [`SetupKind::InsecureDevelopment`], and
/// [`VkPolicy::production`](crate::VkPolicy::production) refuses them
/// ([`VerifyError::InsecureVk`](crate::VerifyError::InsecureVk)); only
/// [`VkPolicy::development`](crate::VkPolicy::development) accepts them. Production
/// keys come from a ceremony.
///
/// The same `(circuit, seed)` always gives the same keys (as long as arkworks'
/// generator samples in the same order; the tests pin a key id to notice a change).
///
/// The proving key keeps the circuit's constraint matrices from the generator's
/// synthesis (see [`ProvingKey`]).
///
/// # Errors
///
/// [`Error::Synthesis`] if the circuit fails to synthesize,
/// [`Error::TooManyPublicInputs`] above [`MAX_PUBLIC_INPUTS`], and
/// [`Error::SelfCheck`] if the generated verifying key fails validation (never
/// expected).
pub fn dev_setup<C: ConstraintSynthesizer<Fr>>(
    circuit: C,
    seed: &[u8; 32],
) -> Result<(ProvingKey, VerifyingKey), Error> {
    let mut rng = ChaCha20Rng::from_seed(*seed);
    let mut shape = None;
    let pk = Groth16::<Bn254>::generate_random_parameters_with_reduction(
        Recording { circuit, shape: &mut shape },
        &mut rng,
    )?;
    if pk.vk.gamma_abc_g1.len() > MAX_PUBLIC_INPUTS + 1 {
        return Err(Error::TooManyPublicInputs { limit: MAX_PUBLIC_INPUTS });
    }
    let pk = ProvingKey::from_ark(pk, SetupKind::InsecureDevelopment { seed_label: seed_label(seed) })?;
    // A circuit with non-R1CS constraints gets a key as before, but no matrices:
    // `prove` refuses it.
    if let Some(shape) = shape.filter(|shape| pk.check_shape(shape).is_ok()) {
        pk.remember_shape(shape);
    }
    let vk = pk.verifying_key().clone();
    Ok((pk, vk))
}
