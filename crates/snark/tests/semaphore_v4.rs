//! Interoperability with Semaphore v4: real proofs made by `@semaphore-protocol/proof`
//! 4.14.3 with the ceremony keys of `@zk-kit/semaphore-artifacts` 4.13.0, committed in
//! `test-vectors/semaphore-v4/` by `interop/make-semaphore-fixture.mjs`.
//!
//! Everything here runs on the production path: the keys are read from snarkjs
//! JSON and prepared with `VkPolicy::pinned`, never with the development policy.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use ark_bn254::{Fq, G1Affine, G2Affine};
use ark_ec::{AffineRepr, CurveGroup};
use psephos_primitives::{
    babyjubjub::{scalar_from_decimal, Point},
    field::{decimal_to_field, from_decimal, to_decimal},
    poseidon,
};
use psephos_snark::{json, verify, Fr, Proof, VerifyError, VerifyingKey, VkId, VkPolicy};
use serde_json::Value;
use sha3::{Digest, Keccak256};

/// The ids of Semaphore v4's verifying keys, `BLAKE2b-256(labels::VK_ID ||
/// arkworks-compressed key)`, computed outside psephos with coreutils from the
/// bytes that `make-semaphore-fixture.mjs` encoded in JavaScript:
///
/// ```text
/// (printf 'psephos/snark/vk-id/v1'; jq -r .vk_compressed_hex encodings.json | xxd -r -p) | b2sum -l 256
/// ```
///
/// `compact_encodings_match_the_independent_js_encoding` checks psephos' bytes
/// against the same `encodings.json`.
const PINNED: [(&str, &str); 2] = [
    ("depth-2", "6ecb9658b080fc13381f392abc7a881003963b0e6c104cf51be6de0c19a2e1c7"),
    ("depth-10", "fd20b630ec08dc709b53dc3751e1fc2100f0bb4534e0858c13fee6161302055e"),
];

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../test-vectors/semaphore-v4")
}

fn read(path: PathBuf) -> Vec<u8> {
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn read_json(path: PathBuf) -> Value {
    serde_json::from_slice(&read(path)).expect("fixture JSON")
}

struct Case {
    name: &'static str,
    vk: VerifyingKey,
    proof: Proof,
    public: Vec<Fr>,
    pinned: VkId,
}

fn case(name: &'static str) -> Case {
    let dir = fixture_dir().join(name);
    let vk = json::read_verifying_key(read(dir.join("verification_key.json"))).expect("Semaphore's vk");
    let proof = json::read_proof(read(dir.join("proof.json"))).expect("Semaphore's proof");
    let public = json::read_public_signals(read(dir.join("public.json"))).expect("public signals");
    let pin = PINNED.iter().find(|(n, _)| *n == name).expect("a pinned id").1;
    Case { name, vk, proof, public, pinned: VkId::from_hex(pin).expect("pinned id") }
}

fn cases() -> Vec<Case> {
    PINNED.iter().map(|(n, _)| case(n)).collect()
}

#[test]
fn semaphore_proofs_verify_on_the_production_path() {
    for c in cases() {
        assert_eq!(c.vk.setup_kind(), &psephos_snark::SetupKind::Ceremony, "{}", c.name);
        assert_eq!(c.vk.num_public_inputs(), 4);
        c.vk.check_secure().expect("a ceremony key with a phase-2 contribution");
        assert_eq!(c.vk.id(), c.pinned, "{}: vk id changed", c.name);
        let pvk = c.vk.prepare(&VkPolicy::pinned(c.pinned)).expect("pinned production key");
        verify(&pvk, &c.public, &c.proof).unwrap_or_else(|e| panic!("{}: {e}", c.name));

        // The same proof in Semaphore's packed form and in psephos' compact bytes.
        let packed: Vec<String> =
            serde_json::from_value(read_json(fixture_dir().join(c.name).join("packed_proof.json"))).unwrap();
        let from_packed = Proof::from_semaphore_packed(&packed).expect("packed proof");
        assert_eq!(from_packed, c.proof);
        assert_eq!(from_packed.to_semaphore_packed().to_vec(), packed);
        assert_eq!(Proof::from_bytes(&c.proof.to_bytes()).unwrap(), c.proof);

        // semaphore_proof.json carries the same points and public values.
        let sp = read_json(fixture_dir().join(c.name).join("semaphore_proof.json"));
        assert_eq!(sp["points"], serde_json::json!(packed));
        assert_eq!(sp["merkleTreeRoot"].as_str().unwrap(), to_decimal(&c.public[0]));
        assert_eq!(sp["nullifier"].as_str().unwrap(), to_decimal(&c.public[1]));

        // Writing the key back gives snarkjs' file byte for byte (modulo whitespace):
        // same fields, same order of F_q² pairs, same e(α, β).
        let ours: Value = serde_json::from_str(&json::write_verifying_key(&c.vk)).unwrap();
        let theirs = read_json(fixture_dir().join(c.name).join("verification_key.json"));
        assert_eq!(ours, theirs, "{}: written vk differs from snarkjs' export", c.name);
        let ours: Value = serde_json::from_str(&json::write_proof(&c.proof)).unwrap();
        assert_eq!(ours, read_json(fixture_dir().join(c.name).join("proof.json")));
    }
}

#[test]
fn compact_encodings_match_the_independent_js_encoding() {
    for c in cases() {
        let enc = read_json(fixture_dir().join(c.name).join("encodings.json"));
        assert_eq!(hex::encode(c.proof.to_bytes()), enc["proof_compact_hex"].as_str().unwrap(), "{}", c.name);
        let vk_bytes = c.vk.to_bytes();
        assert_eq!(
            vk_bytes[..10],
            [0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0],
            "header: version, Ceremony, zero label"
        );
        assert_eq!(hex::encode(&vk_bytes[10..]), enc["vk_compressed_hex"].as_str().unwrap(), "{}", c.name);
        assert_eq!(VerifyingKey::from_bytes(&vk_bytes).unwrap(), c.vk);
        // snarkjs' γ₂ is the G2 generator: this pins the [c0, c1] order of F_q² pairs.
        assert_eq!(*c.vk.gamma_g2(), G2Affine::generator());
    }
}

/// Recomputes the public signals from Semaphore v4's definitions with
/// psephos-primitives: commitment = Poseidon(Base8·secret), the LeanIMT root,
/// nullifier = Poseidon(hash(scope), secret), hash(x) = keccak256(x as bytes32) >> 8.
#[test]
fn public_signals_follow_semaphore_conventions() {
    let inputs = read_json(fixture_dir().join("inputs.json"));
    let strs = |v: &Value| -> Vec<String> { serde_json::from_value(v.clone()).unwrap() };
    let secrets = strs(&inputs["secretScalars"]);
    let commitments = strs(&inputs["commitments"]);
    let leaves: Vec<Fr> = secrets
        .iter()
        .zip(&commitments)
        .map(|(s, c)| {
            let pk = Point::mul_base8(&scalar_from_decimal(s, "secret").unwrap());
            let commitment = poseidon::hash2(pk.x(), pk.y());
            assert_eq!(to_decimal(&commitment), *c);
            commitment
        })
        .collect();
    assert_eq!(leaves.len(), 3);
    // LeanIMT with 3 leaves: the odd node is carried up unchanged.
    let root = poseidon::hash2(poseidon::hash2(leaves[0], leaves[1]), leaves[2]);

    let semaphore_hash = |decimal: &str| -> Fr {
        let v: num_bigint::BigUint = decimal.parse().unwrap();
        let mut word = [0u8; 32];
        let be = v.to_bytes_be();
        word[32 - be.len()..].copy_from_slice(&be);
        let digest = Keccak256::digest(word);
        let shifted = num_bigint::BigUint::from_bytes_be(&digest) >> 8u32;
        from_decimal(&shifted.to_str_radix(10)).unwrap()
    };
    let message_hash = semaphore_hash(inputs["message"].as_str().unwrap());
    let scope_hash = semaphore_hash(inputs["scope"].as_str().unwrap());
    let prover = usize::try_from(inputs["proverIndex"].as_u64().unwrap()).unwrap();
    let secret: Fr = decimal_to_field(&secrets[prover], "secret").unwrap();
    let nullifier = poseidon::hash2(scope_hash, secret);

    for c in cases() {
        assert_eq!(c.public, vec![root, nullifier, message_hash, scope_hash], "{}", c.name);
    }
}

#[test]
fn every_public_input_change_is_invalid() {
    for c in cases() {
        let pvk = c.vk.prepare(&VkPolicy::pinned(c.pinned)).unwrap();
        for i in 0..c.public.len() {
            let mut inputs = c.public.clone();
            inputs[i] += Fr::from(1u64);
            assert_eq!(
                verify(&pvk, &inputs, &c.proof),
                Err(VerifyError::InvalidProof),
                "{} input {i}",
                c.name
            );
        }
        // Swapping two inputs (root ↔ nullifier) is not the same statement either.
        let mut swapped = c.public.clone();
        swapped.swap(0, 1);
        assert_eq!(verify(&pvk, &swapped, &c.proof), Err(VerifyError::InvalidProof));
        // Count: short, long, empty.
        for n in [0, 3, 5] {
            let mut inputs = c.public.clone();
            inputs.resize(n, Fr::from(0u64));
            assert_eq!(
                verify(&pvk, &inputs, &c.proof),
                Err(VerifyError::InputCountMismatch { expected: 4, got: n })
            );
        }
    }
}

#[test]
fn every_tampered_proof_element_is_rejected() {
    for c in cases() {
        let pvk = c.vk.prepare(&VkPolicy::pinned(c.pinned)).unwrap();
        let packed = c.proof.to_semaphore_packed();
        // Each of the 8 packed coordinates + 1: the point leaves its curve.
        for i in 0..8 {
            let mut t = packed.clone();
            let v: Fq = decimal_to_field(&t[i], "coordinate").unwrap();
            t[i] = to_decimal(&(v + Fq::from(1u64)));
            let what = ["pi_a", "pi_a", "pi_b", "pi_b", "pi_b", "pi_b", "pi_c", "pi_c"][i];
            assert_eq!(
                Proof::from_semaphore_packed(&t),
                Err(VerifyError::NotOnCurve { what }),
                "{} elt {i}",
                c.name
            );
        }
        // Valid points in the wrong place: the proof decodes but does not verify.
        let (a, b, cc) = (*c.proof.a(), *c.proof.b(), *c.proof.c());
        let double_g1 = |p: G1Affine| (p + p).into_affine();
        let double_g2 = (b + b).into_affine();
        for (label, forged) in [
            ("2A", Proof::from_points(double_g1(a), b, cc)),
            ("2B", Proof::from_points(a, double_g2, cc)),
            ("2C", Proof::from_points(a, b, double_g1(cc))),
            ("-A", Proof::from_points(-a, b, cc)),
            ("A<->C", Proof::from_points(cc, b, a)),
        ] {
            let forged = forged.unwrap();
            assert_eq!(
                verify(&pvk, &c.public, &forged),
                Err(VerifyError::InvalidProof),
                "{} {label}",
                c.name
            );
        }
    }
}

#[test]
fn swapped_fq2_pairs_are_rejected() {
    for c in cases() {
        let dir = fixture_dir().join(c.name);
        let mut proof = read_json(dir.join("proof.json"));
        for (row, what) in [(0usize, "x"), (1, "y")] {
            let mut p = proof.clone();
            let pair = p["pi_b"][row].as_array_mut().unwrap();
            pair.swap(0, 1);
            let err = json::read_proof(p.to_string()).unwrap_err();
            assert!(
                matches!(err, VerifyError::NotOnCurve { .. } | VerifyError::NotInSubgroup { .. }),
                "{} pi_b.{what} swapped: {err:?}",
                c.name
            );
        }
        // Both pairs swapped.
        for row in 0..2 {
            proof["pi_b"][row].as_array_mut().unwrap().swap(0, 1);
        }
        let err = json::read_proof(proof.to_string()).unwrap_err();
        assert!(matches!(err, VerifyError::NotOnCurve { .. } | VerifyError::NotInSubgroup { .. }), "{err:?}");

        // The same in the verifying key (β₂, γ₂, δ₂).
        let vk = read_json(dir.join("verification_key.json"));
        for field in ["vk_beta_2", "vk_gamma_2", "vk_delta_2"] {
            let mut v = vk.clone();
            v[field][0].as_array_mut().unwrap().swap(0, 1);
            let err = json::read_verifying_key(v.to_string()).unwrap_err();
            assert!(
                matches!(err, VerifyError::NotOnCurve { .. } | VerifyError::NotInSubgroup { .. }),
                "{field}: {err:?}"
            );
        }
    }
}

#[test]
fn a_proof_is_bound_to_its_depth_key() {
    let all = cases();
    let (d2, d10) = (&all[0], &all[1]);
    assert_ne!(d2.vk.id(), d10.vk.id());
    let pvk10 = d10.vk.prepare(&VkPolicy::pinned(d10.pinned)).unwrap();
    assert_eq!(verify(&pvk10, &d2.public, &d2.proof), Err(VerifyError::InvalidProof));
    let pvk2 = d2.vk.prepare(&VkPolicy::pinned(d2.pinned)).unwrap();
    assert_eq!(verify(&pvk2, &d10.public, &d10.proof), Err(VerifyError::InvalidProof));
    // With pinning, the wrong key is refused before any pairing.
    assert!(matches!(d10.vk.prepare(&VkPolicy::pinned(d2.pinned)), Err(VerifyError::VkMismatch { .. })));
}

#[test]
fn rerandomized_semaphore_proof_still_verifies() {
    // Groth16 malleability (checklist A8): a third party re-randomizes a Semaphore
    // proof without any secret; it verifies, with the same nullifier, so the
    // application's nullifier set is what rejects the resubmission.
    use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};
    let c = case("depth-2");
    let pvk = c.vk.prepare(&VkPolicy::pinned(c.pinned)).unwrap();
    let mut rng = ChaCha20Rng::from_seed([5u8; 32]);
    let fresh = c.proof.rerandomize(&c.vk, &mut rng).unwrap();
    assert_ne!(fresh.to_bytes(), c.proof.to_bytes());
    verify(&pvk, &c.public, &fresh).expect("re-randomized proofs verify");
}

#[test]
fn semaphore_key_with_gamma_as_delta_is_insecure() {
    let c = case("depth-2");
    let mut v = read_json(fixture_dir().join("depth-2/verification_key.json"));
    v["vk_delta_2"] = v["vk_gamma_2"].clone();
    let vk = json::read_verifying_key(v.to_string()).expect("structurally valid");
    assert!(matches!(vk.check_secure(), Err(VerifyError::InsecureVk { .. })));
    assert!(matches!(vk.prepare(&VkPolicy::production()), Err(VerifyError::InsecureVk { .. })));
    // The id changes with δ, so a pinned verifier says VkMismatch first.
    assert!(matches!(vk.prepare(&VkPolicy::pinned(c.pinned)), Err(VerifyError::VkMismatch { .. })));
}
