//! The setup → prove → verify flow on a small test circuit: keys and policy,
//! prover errors, batch verification, re-randomization and encodings.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

#[path = "support/toy_circuit.rs"]
mod toy_circuit;

use ark_ec::{AffineRepr, CurveGroup};
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};
use psephos_snark::{
    batch_verify, dev_setup, json, prove,
    setup::seed_label,
    verifier::{public_inputs_from_decimal, public_inputs_from_le_bytes},
    Error, Fr, Proof, SetupKind, VerifyError, VerifyingKey, VkId, VkPolicy,
};
use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};
use toy_circuit::Toy;

const SEED: [u8; 32] = [42u8; 32];

/// The id of `dev_setup(Toy::blank(1), &[42; 32])`, computed with coreutils from
/// the key's compressed bytes (`(printf 'psephos/snark/vk-id/v1'; xxd -r -p
/// vk.hex) | b2sum -l 256`). It changes if the circuit, the order in which
/// arkworks' generator samples from the seed, or the key encoding changes:
/// regenerate on purpose, never to make a test pass.
const TOY_DEV_VK_ID: &str = "9871e55a3f67671565c5345fe3018c83c9fae83194065945a5e4ca0a0704258a";

fn rng(n: u8) -> ChaCha20Rng {
    ChaCha20Rng::from_seed([n; 32])
}

#[test]
fn setup_prove_verify() {
    let (pk, vk) = dev_setup(Toy::blank(1), &SEED).unwrap();
    assert_eq!(vk.num_public_inputs(), 3);
    let toy = Toy::honest(3, 5, 1);
    let inputs = toy.inputs();
    let proof = prove(&pk, toy, &inputs, &mut rng(1)).unwrap();

    let pvk = vk.prepare(&VkPolicy::development()).unwrap();
    assert_eq!(pvk.id(), vk.id());
    assert_eq!(pvk.num_public_inputs(), 3);
    psephos_snark::verify(&pvk, &inputs, &proof).unwrap();
    // Two proofs of one statement differ (fresh blinding) and both verify.
    let proof2 = prove(&pk, Toy::honest(3, 5, 1), &inputs, &mut rng(2)).unwrap();
    assert_ne!(proof, proof2);
    psephos_snark::verify(&pvk, &inputs, &proof2).unwrap();
}

#[test]
fn development_keys_are_refused_outside_development_mode() {
    let (pk, vk) = dev_setup(Toy::blank(1), &SEED).unwrap();
    let expected = SetupKind::InsecureDevelopment { seed_label: seed_label(&SEED) };
    assert_eq!(vk.setup_kind(), &expected);
    assert_eq!(pk.setup_kind(), &expected);
    assert!(vk.setup_kind().is_insecure_development());
    // arkworks samples γ and δ independently: the algebraic check passes ...
    vk.check_secure().unwrap();
    // ... and the provenance check refuses it, with or without a (correct) pin.
    for policy in [VkPolicy::production(), VkPolicy::pinned(vk.id())] {
        assert!(matches!(vk.prepare(&policy), Err(VerifyError::InsecureVk { .. })), "{policy:?}");
    }
    assert!(VkPolicy::development().allows_insecure());
    assert!(!VkPolicy::production().allows_insecure());
    assert_eq!(VkPolicy::development().with_pin(vk.id()).pinned_id(), Some(vk.id()));
    vk.prepare(&VkPolicy::development().with_pin(vk.id())).unwrap();

    // The marker survives both encodings.
    let from_bytes = VerifyingKey::from_bytes(&vk.to_bytes()).unwrap();
    assert_eq!(from_bytes.setup_kind(), &expected);
    assert!(matches!(from_bytes.prepare(&VkPolicy::production()), Err(VerifyError::InsecureVk { .. })));
    let from_json = json::read_verifying_key(json::write_verifying_key(&vk)).unwrap();
    assert_eq!(from_json.setup_kind(), &expected);
    assert!(matches!(from_json.prepare(&VkPolicy::production()), Err(VerifyError::InsecureVk { .. })));
}

#[test]
fn dev_setup_is_deterministic_and_pinned() {
    let (_, vk1) = dev_setup(Toy::blank(1), &SEED).unwrap();
    let (_, vk2) = dev_setup(Toy::blank(1), &SEED).unwrap();
    assert_eq!(vk1, vk2);
    assert_eq!(vk1.id(), VkId::from_hex(TOY_DEV_VK_ID).unwrap(), "dev key id changed: {}", vk1.id());
    let (_, other_seed) = dev_setup(Toy::blank(1), &[43u8; 32]).unwrap();
    assert_ne!(other_seed.id(), vk1.id());
    let (_, other_circuit) = dev_setup(Toy::blank(2), &SEED).unwrap();
    assert_ne!(other_circuit.id(), vk1.id());
    // The id does not depend on the provenance metadata.
    let relabelled = VerifyingKey::from_ark(vk1.as_ark().clone(), SetupKind::Ceremony).unwrap();
    assert_eq!(relabelled.id(), vk1.id());
    // Display and parsing of ids.
    let id = vk1.id();
    assert_eq!(id.to_string().len(), 64);
    assert_eq!(VkId::from_hex(&id.to_hex()).unwrap(), id);
    assert!(VkId::from_hex(&id.to_hex().to_uppercase()).is_err());
    assert!(VkId::from_hex(&format!("0x{}", id.to_hex())).is_err());
    assert!(VkId::from_hex(&id.to_hex()[..62]).is_err());
    assert_eq!(format!("{id:?}"), format!("VkId({id})"));
}

#[test]
fn pinning_refuses_other_keys() {
    let (_, vk) = dev_setup(Toy::blank(1), &SEED).unwrap();
    let (_, other) = dev_setup(Toy::blank(2), &SEED).unwrap();
    let err = other.prepare(&VkPolicy::development().with_pin(vk.id())).unwrap_err();
    assert_eq!(err, VerifyError::VkMismatch { expected: vk.id().to_hex(), got: other.id().to_hex() });
}

#[test]
fn prover_refuses_bad_witnesses_and_mismatched_inputs() {
    let (pk, _) = dev_setup(Toy::blank(1), &SEED).unwrap();
    // A witness that does not satisfy the circuit.
    let mut bad = Toy::honest(3, 5, 1);
    bad.b = Some(Fr::from(6u64));
    let inputs = bad.inputs();
    assert!(matches!(prove(&pk, bad, &inputs, &mut rng(1)), Err(Error::Unsatisfied { .. })));
    // The caller expects other public inputs than the circuit assigns.
    let toy = Toy::honest(3, 5, 1);
    let mut wrong = toy.inputs();
    wrong[2] += Fr::from(1u64);
    assert_eq!(prove(&pk, toy.clone(), &wrong, &mut rng(1)), Err(Error::PublicInputMismatch { index: 2 }));
    assert_eq!(
        prove(&pk, toy.clone(), &wrong[..2], &mut rng(1)),
        Err(Error::PublicInputMismatch { index: 2 })
    );
    // A missing assignment.
    assert_eq!(
        prove(&pk, Toy::blank(1), &[], &mut rng(1)),
        Err(Error::Synthesis(SynthesisError::AssignmentMissing))
    );
    // A circuit with a different number of public inputs than the key.
    assert_eq!(
        prove(&pk, Square(Fr::from(3u64)), &[Fr::from(9u64)], &mut rng(1)),
        Err(Error::KeyMismatch { expected: 3, got: 1 })
    );
    // A circuit that matches the key's shape but not its constraints (k = 2 vs 1):
    // the self-check catches it.
    let other = Toy::honest(3, 5, 2);
    let inputs = other.inputs();
    assert!(matches!(
        prove(&pk, other, &inputs, &mut rng(1)),
        Err(Error::SelfCheck(VerifyError::InvalidProof))
    ));
}

/// `w·w = x` with one public input.
struct Square(Fr);

impl ConstraintSynthesizer<Fr> for Square {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        use ark_relations::lc;
        let x = cs.new_input_variable(|| Ok(self.0 * self.0))?;
        let w = cs.new_witness_variable(|| Ok(self.0))?;
        cs.enforce_r1cs_constraint(|| lc!() + w, || lc!() + w, || lc!() + x)
    }
}

#[test]
fn batch_verification() {
    let (pk, vk) = dev_setup(Toy::blank(1), &SEED).unwrap();
    let pvk = vk.prepare(&VkPolicy::development()).unwrap();
    let mut items: Vec<(Vec<Fr>, Proof)> = (0..4u64)
        .map(|i| {
            let toy = Toy::honest(3 + i, 5 + 2 * i, 1);
            let inputs = toy.inputs();
            let proof = prove(&pk, toy, &inputs, &mut rng(10 + i as u8)).unwrap();
            (inputs, proof)
        })
        .collect();
    batch_verify(&pvk, &items, &mut rng(20)).unwrap();
    batch_verify::<Vec<Fr>, Proof>(&pvk, &[], &mut rng(20)).unwrap();
    // References work too.
    let refs: Vec<(&[Fr], &Proof)> = items.iter().map(|(i, p)| (i.as_slice(), p)).collect();
    batch_verify(&pvk, &refs, &mut rng(21)).unwrap();

    // One wrong statement: the batch names it.
    items[2].0[1] += Fr::from(1u64);
    assert_eq!(
        batch_verify(&pvk, &items, &mut rng(22)),
        Err(VerifyError::Batch { index: 2, source: Box::new(VerifyError::InvalidProof) })
    );
    // Two proofs swapped between statements: both wrong, the first is reported.
    items[2].0[1] -= Fr::from(1u64);
    let (p0, p1) = (items[0].1.clone(), items[1].1.clone());
    items[0].1 = p1;
    items[1].1 = p0;
    assert_eq!(
        batch_verify(&pvk, &items, &mut rng(23)),
        Err(VerifyError::Batch { index: 0, source: Box::new(VerifyError::InvalidProof) })
    );
    // Input counts are checked before any pairing.
    items[3].0.pop();
    assert_eq!(
        batch_verify(&pvk, &items, &mut rng(24)),
        Err(VerifyError::Batch {
            index: 3,
            source: Box::new(VerifyError::InputCountMismatch { expected: 3, got: 2 })
        })
    );
}

#[test]
fn batch_verification_is_not_fooled_by_cancelling_errors() {
    // Two invalid proofs whose errors cancel in an unweighted sum: C₀ + Δ and
    // C₁ − Δ. A plain product of the two equations would accept; the random
    // weights do not.
    let (pk, vk) = dev_setup(Toy::blank(1), &SEED).unwrap();
    let pvk = vk.prepare(&VkPolicy::development()).unwrap();
    let toy = Toy::honest(3, 5, 1);
    let inputs = toy.inputs();
    let p0 = prove(&pk, toy.clone(), &inputs, &mut rng(30)).unwrap();
    let p1 = prove(&pk, toy, &inputs, &mut rng(31)).unwrap();
    let d = ark_bn254::G1Affine::generator() * Fr::from(7u64);
    let shift =
        |p: &Proof, c: ark_bn254::G1Projective| Proof::from_points(*p.a(), *p.b(), c.into_affine()).unwrap();
    let (c0, c1) = (*p0.c() + d, *p1.c() - d);
    let items = vec![(inputs.clone(), shift(&p0, c0)), (inputs.clone(), shift(&p1, c1))];
    for seed in 40..45 {
        assert_eq!(
            batch_verify(&pvk, &items, &mut rng(seed)),
            Err(VerifyError::Batch { index: 0, source: Box::new(VerifyError::InvalidProof) })
        );
    }
}

#[test]
fn rerandomized_proof_verifies() {
    // Checklist A8: Groth16 is malleable. A re-randomized copy is a different,
    // valid proof of the same statement; applications deduplicate on the
    // nullifier (a public input), never on proof bytes.
    let (pk, vk) = dev_setup(Toy::blank(1), &SEED).unwrap();
    let pvk = vk.prepare(&VkPolicy::development()).unwrap();
    let toy = Toy::honest(3, 5, 1);
    let inputs = toy.inputs();
    let proof = prove(&pk, toy, &inputs, &mut rng(1)).unwrap();
    let copy = proof.rerandomize(&vk, &mut rng(2)).unwrap();
    assert_ne!(copy.to_bytes(), proof.to_bytes());
    psephos_snark::verify(&pvk, &inputs, &copy).unwrap();
    // ... but only for the same statement.
    let mut other = inputs.clone();
    other[0] += Fr::from(1u64);
    assert_eq!(psephos_snark::verify(&pvk, &other, &copy), Err(VerifyError::InvalidProof));
}

#[test]
fn encodings_round_trip() {
    let (pk, vk) = dev_setup(Toy::blank(1), &SEED).unwrap();
    let toy = Toy::honest(3, 5, 1);
    let inputs = toy.inputs();
    let proof = prove(&pk, toy, &inputs, &mut rng(1)).unwrap();

    let bytes = proof.to_bytes();
    assert_eq!(bytes.len(), 129);
    assert_eq!(bytes[0], 0x01);
    assert_eq!(Proof::from_bytes(&bytes).unwrap(), proof);
    // The compact form is 0x01 || arkworks' compressed proof.
    let mut ark = Vec::new();
    ark_serialize::CanonicalSerialize::serialize_compressed(&proof.to_ark(), &mut ark).unwrap();
    assert_eq!(&bytes[1..], &ark[..]);
    assert_eq!(Proof::from_ark(&proof.to_ark()).unwrap(), proof);

    let packed = proof.to_semaphore_packed();
    assert_eq!(Proof::from_semaphore_packed(&packed).unwrap(), proof);

    assert_eq!(json::read_proof(json::write_proof(&proof)).unwrap(), proof);
    let vk2 = json::read_verifying_key(json::write_verifying_key(&vk)).unwrap();
    assert_eq!(vk2, vk);
    assert_eq!(json::read_public_signals(json::write_public_signals(&inputs)).unwrap(), inputs);

    // The VK's compact form: header, then arkworks' compressed key.
    let vk_bytes = vk.to_bytes();
    assert_eq!(vk_bytes[0], 0x01);
    assert_eq!(vk_bytes[1], 0x01, "development tag");
    assert_eq!(vk_bytes[2..10], seed_label(&SEED));
    let mut ark = Vec::new();
    ark_serialize::CanonicalSerialize::serialize_compressed(vk.as_ark(), &mut ark).unwrap();
    assert_eq!(&vk_bytes[10..], &ark[..]);
    assert_eq!(vk_bytes.len(), 10 + 32 + 3 * 64 + 8 + 4 * 32);
    assert_eq!(VerifyingKey::from_bytes(&vk_bytes).unwrap(), vk);
    let ceremony = VerifyingKey::from_ark(vk.as_ark().clone(), SetupKind::Ceremony).unwrap();
    let cb = ceremony.to_bytes();
    assert_eq!(cb[1..10], [0u8; 9]);
    assert_eq!(VerifyingKey::from_bytes(&cb).unwrap(), ceremony);

    // Public inputs as strings and bytes.
    let decimal: Vec<String> = inputs.iter().map(psephos_primitives::field::to_decimal).collect();
    assert_eq!(public_inputs_from_decimal(&decimal).unwrap(), inputs);
    let le: Vec<u8> = inputs.iter().flat_map(psephos_primitives::field::to_le_bytes).collect();
    assert_eq!(public_inputs_from_le_bytes(&le).unwrap(), inputs);

    // The proving key's Debug output is short and names the key.
    let dbg = format!("{pk:?}");
    assert!(dbg.contains(&vk.id().to_hex()) && dbg.len() < 400, "{dbg}");
}
