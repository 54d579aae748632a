//! RFC 9497 Appendix A.1.1 (`ristretto255-SHA512`, OPRF mode) known answers,
//! through the `voprf` crate, the registry's wrappers and the threshold
//! evaluation with the RFC key Shamir-shared among three registrars.
#![allow(clippy::unwrap_used)]

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_TABLE;
use curve25519_dalek::scalar::Scalar;
use psephos_registry::oprf::{combine, evaluate_with_key, Suite};
use psephos_registry::{BlindedRequest, DedupBlinding, DedupKeyShare, DedupPublicKey, RegistryError};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use serde_json::Value;
use voprf::{BlindedElement, EvaluationElement, OprfClient, OprfServer};

fn vectors() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../test-vectors/oprf-ristretto255-sha512.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn h(v: &Value, k: &str) -> Vec<u8> {
    hex::decode(v[k].as_str().unwrap()).unwrap()
}

fn scalar(bytes: &[u8]) -> Scalar {
    Scalar::from_canonical_bytes(bytes.try_into().unwrap()).unwrap()
}

fn tests(v: &Value) -> Vec<Value> {
    v["testGroups"][0]["tests"].as_array().unwrap().clone()
}

#[test]
fn rfc9497_key_derivation() {
    let v = vectors();
    assert_eq!(v["suite"], "ristretto255-SHA512");
    let server = OprfServer::<Suite>::new_from_seed(&h(&v, "seed"), &h(&v, "keyInfo")).unwrap();
    assert_eq!(server.serialize().to_vec(), h(&v, "skSm"));
}

#[test]
fn rfc9497_oprf_mode_vectors() {
    let v = vectors();
    let sk = h(&v, "skSm");
    let server = OprfServer::<Suite>::new_with_key(&sk).unwrap();
    let ts = tests(&v);
    assert_eq!(ts.len(), 2);
    for t in ts {
        let input = h(&t, "input");
        let blind = scalar(&h(&t, "blind"));
        let res = OprfClient::<Suite>::deterministic_blind_unchecked(&input, blind).unwrap();
        assert_eq!(res.message.serialize().to_vec(), h(&t, "blindedElement"));
        let be = BlindedElement::<Suite>::deserialize(&h(&t, "blindedElement")).unwrap();
        assert_eq!(server.blind_evaluate(&be).serialize().to_vec(), h(&t, "evaluationElement"));
        let ev = EvaluationElement::<Suite>::deserialize(&h(&t, "evaluationElement")).unwrap();
        assert_eq!(res.state.finalize(&input, &ev).unwrap().to_vec(), h(&t, "output"));
        // The registry's single-key reference evaluation.
        assert_eq!(evaluate_with_key(&scalar(&sk), &input).unwrap().0.to_vec(), h(&t, "output"));
    }
}

/// The RFC key `skSm` shared 2-of-3 with a random polynomial; any two registrars'
/// partial evaluations of the RFC's blinded element combine into the RFC's
/// evaluation element, and finalizing gives the RFC's output.
#[test]
fn threshold_evaluation_reproduces_rfc_vectors() {
    let v = vectors();
    let sk = scalar(&h(&v, "skSm"));
    let mut rng = ChaCha20Rng::seed_from_u64(9497);
    let a1 = Scalar::random(&mut rng);
    let shares: Vec<DedupKeyShare> =
        (1..=3u32).map(|i| DedupKeyShare::new(i, sk + a1 * Scalar::from(i)).unwrap()).collect();
    let public = DedupPublicKey {
        threshold: 2,
        key: &sk * RISTRETTO_BASEPOINT_TABLE,
        shares: shares.iter().map(|s| s.public_share()).collect(),
    };
    public.check().unwrap();
    for t in tests(&v) {
        let input = h(&t, "input");
        let request = BlindedRequest::from_bytes(&h(&t, "blindedElement")).unwrap();
        for pair in [[0usize, 1], [0, 2], [2, 1]] {
            let partials: Vec<_> = pair.iter().map(|&i| shares[i].evaluate(&request, &mut rng)).collect();
            let z = combine(&public, &request, &partials).unwrap();
            assert_eq!(z.compress().to_bytes().to_vec(), h(&t, "evaluationElement"));
            let mut state = h(&t, "blind");
            state.extend(h(&t, "blindedElement"));
            let blinding = DedupBlinding::from_bytes(&state).unwrap();
            let tag = blinding.finalize(&input, &public, &partials).unwrap();
            assert_eq!(tag.0.to_vec(), h(&t, "output"));
        }
        // A single partial evaluation is not enough.
        let one = [shares[0].evaluate(&request, &mut rng)];
        assert_eq!(combine(&public, &request, &one), Err(RegistryError::TooFewPartials { got: 1, need: 2 }));
    }
}
