//! Semaphore v4's nullifier in R1CS: `nullifier = Poseidon(scope, secret)`
//! (`semaphore.circom`: `nullifier <== Poseidon(2)([scope, secret]);`).
//!
//! `scope` is the field element that enters the circuit (Semaphore hashes the
//! application's scope outside it). The native twin is [`nullifier`] here and
//! `psephos_identity::Nullifier` in the identity crate. Cost: one `Poseidon(2)`,
//! 240 constraints.

use ark_bn254::Fr;
use ark_r1cs_std::fields::fp::FpVar;
use ark_relations::gr1cs::SynthesisError;
use psephos_primitives::poseidon;

use crate::poseidon::poseidon_hash2_var;

/// The native nullifier `Poseidon(scope, secret)`.
pub fn nullifier(scope: Fr, secret: Fr) -> Fr {
    poseidon::hash2(scope, secret)
}

/// The in-circuit nullifier `Poseidon(scope, secret)` (240 constraints).
pub fn nullifier_var(scope: &FpVar<Fr>, secret: &FpVar<Fr>) -> Result<FpVar<Fr>, SynthesisError> {
    poseidon_hash2_var(scope, secret)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_r1cs_std::{alloc::AllocVar, GR1CSVar};
    use ark_relations::gr1cs::ConstraintSystem;
    use psephos_primitives::field::from_decimal;

    #[test]
    fn matches_semaphore_vectors() {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../test-vectors/nullifier.json"))
                .expect("test-vectors/nullifier.json");
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        let mut checked = 0;
        for group in json["testGroups"].as_array().unwrap().iter().filter(|g| g["type"] == "Nullifier") {
            for t in group["tests"].as_array().unwrap() {
                let scope = from_decimal(t["scope"].as_str().unwrap()).unwrap();
                let secret = from_decimal(t["secretScalar"].as_str().unwrap()).unwrap();
                let expected = from_decimal(t["nullifier"].as_str().unwrap()).unwrap();
                assert_eq!(nullifier(scope, secret), expected, "{}", t["comment"]);
                let cs = ConstraintSystem::<Fr>::new_ref();
                let scope_var = FpVar::new_input(cs.clone(), || Ok(scope)).unwrap();
                let secret_var = FpVar::new_witness(cs.clone(), || Ok(secret)).unwrap();
                let n = nullifier_var(&scope_var, &secret_var).unwrap();
                assert_eq!(n.value().unwrap(), expected, "{}", t["comment"]);
                assert!(cs.is_satisfied().unwrap());
                assert_eq!(cs.num_constraints(), 240);
                checked += 1;
            }
        }
        assert_eq!(checked, 20);
    }

    #[test]
    fn scope_and_secret_are_not_interchangeable() {
        let (a, b) = (Fr::from(1u64), Fr::from(2u64));
        assert_ne!(nullifier(a, b), nullifier(b, a));
    }
}
