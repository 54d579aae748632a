//! psephos → snarkjs: a proof made by psephos, exported as snarkjs JSON, is
//! accepted by `snarkjs groth16 verify` 0.7.6, and a tampered statement or proof
//! is rejected by it.
//!
//! Needs node and `interop/node_modules` (run `bash interop/setup.sh`). The test
//! fails, never skips, when they are missing. `PSEPHOS_NODE` overrides the node
//! binary (default: `node` on the PATH).

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

#[path = "support/toy_circuit.rs"]
mod toy_circuit;

use std::path::{Path, PathBuf};
use std::process::Command;

use ark_ec::CurveGroup;
use psephos_snark::{dev_setup, json, prove, verify, Fr, Proof, VkPolicy};
use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};
use toy_circuit::Toy;

const SETUP_HINT: &str = "run `bash interop/setup.sh` (installs snarkjs 0.7.6 into interop/node_modules)";

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn node() -> String {
    let node = std::env::var("PSEPHOS_NODE").unwrap_or_else(|_| "node".to_owned());
    match Command::new(&node).arg("--version").output() {
        Ok(out) if out.status.success() => node,
        Ok(out) => {
            panic!("`{node} --version` failed ({}); install node >= 18, then {SETUP_HINT}", out.status)
        }
        Err(e) => {
            panic!("cannot run `{node}` ({e}); install node >= 18 or set PSEPHOS_NODE, then {SETUP_HINT}")
        }
    }
}

fn snarkjs_cli() -> PathBuf {
    let cli = repo_root().join("interop/node_modules/snarkjs/build/cli.cjs");
    assert!(cli.is_file(), "snarkjs is not installed at {}: {SETUP_HINT}", cli.display());
    let pkg = std::fs::read_to_string(repo_root().join("interop/node_modules/snarkjs/package.json"))
        .unwrap_or_else(|e| panic!("cannot read snarkjs' package.json ({e}): {SETUP_HINT}"));
    let pkg: serde_json::Value = serde_json::from_str(&pkg).unwrap();
    assert_eq!(pkg["version"], "0.7.6", "interop/node_modules is stale: {SETUP_HINT}");
    cli
}

/// Runs `snarkjs groth16 verify vk public proof`; returns (exit success, output).
fn snarkjs_verify(node: &str, cli: &Path, dir: &Path, vk: &str, public: &str, proof: &str) -> (bool, String) {
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let (vk, public, proof) =
        (write("vk.json", vk), write("public.json", public), write("proof.json", proof));
    let out = Command::new(node)
        .arg(cli)
        .args(["groth16", "verify"])
        .args([&vk, &public, &proof])
        .output()
        .unwrap_or_else(|e| panic!("cannot run snarkjs: {e}; {SETUP_HINT}"));
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

#[test]
fn psephos_proofs_verify_in_snarkjs_and_tampering_is_detected() {
    let node = node();
    let cli = snarkjs_cli();
    let dir = std::env::temp_dir().join(format!("psephos-snark-interop-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();

    let (pk, vk) = dev_setup(Toy::blank(1), &[42u8; 32]).unwrap();
    let toy = Toy::honest(1234, 5678, 1);
    let inputs = toy.inputs();
    let mut rng = ChaCha20Rng::from_seed([9u8; 32]);
    let proof = prove(&pk, toy, &inputs, &mut rng).unwrap();
    let pvk = vk.prepare(&VkPolicy::development()).unwrap();
    verify(&pvk, &inputs, &proof).unwrap();

    // The key carries psephos' development marker and vk_alphabeta_12; snarkjs
    // ignores the first and does not need the second.
    let vk_json = json::write_verifying_key(&vk);
    assert!(vk_json.contains("psephos_setup") && vk_json.contains("vk_alphabeta_12"));
    let public_json = json::write_public_signals(&inputs);
    let proof_json = json::write_proof(&proof);

    let (ok, out) = snarkjs_verify(&node, &cli, &dir, &vk_json, &public_json, &proof_json);
    assert!(ok && out.contains("OK"), "snarkjs rejected a valid psephos proof:\n{out}");

    // Each public input changed in turn.
    for i in 0..inputs.len() {
        let mut tampered = inputs.clone();
        tampered[i] += Fr::from(1u64);
        let (ok, out) =
            snarkjs_verify(&node, &cli, &dir, &vk_json, &json::write_public_signals(&tampered), &proof_json);
        assert!(!ok && out.contains("Invalid proof"), "snarkjs accepted tampered input {i}:\n{out}");
    }

    // A tampered proof: C replaced by 2C (still a valid point, wrong proof).
    let c2 = (*proof.c() + *proof.c()).into_affine();
    let tampered = Proof::from_points(*proof.a(), *proof.b(), c2).unwrap();
    let (ok, out) = snarkjs_verify(&node, &cli, &dir, &vk_json, &public_json, &json::write_proof(&tampered));
    assert!(!ok && out.contains("Invalid proof"), "snarkjs accepted a tampered proof:\n{out}");

    // Malleability holds across implementations: a re-randomized copy verifies in
    // snarkjs too (checklist A8: deduplicate on the nullifier, not the proof).
    let copy = proof.rerandomize(&vk, &mut rng).unwrap();
    let (ok, out) = snarkjs_verify(&node, &cli, &dir, &vk_json, &public_json, &json::write_proof(&copy));
    assert!(ok, "snarkjs rejected a re-randomized proof:\n{out}");

    std::fs::remove_dir_all(&dir).ok();
}
