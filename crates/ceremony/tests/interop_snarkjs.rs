//! psephos ↔ snarkjs 0.7.6, both ways, on the Hermez power-8 ptau and a tiny circuit:
//!
//! - psephos' initial key is byte-identical to `snarkjs zkey new`;
//! - `snarkjs zkey verify` accepts a psephos ceremony (two contributions and a beacon);
//! - psephos verifies a ceremony made with `snarkjs zkey contribute` / `zkey beacon`;
//! - a proof made by psephos with the snarkjs ceremony's key verifies in psephos and
//!   in `snarkjs groth16 verify`, and psephos' exported verifying key equals
//!   `snarkjs zkey export verificationkey`'s.
//!
//! Needs node and `interop/node_modules` (run `bash interop/setup.sh`). The test
//! fails, never skips, when they are missing. `PSEPHOS_NODE` overrides the node
//! binary.
#![allow(clippy::unwrap_used)]

mod support;

use std::path::PathBuf;
use std::process::Command;

use ark_bn254::Fr;
use psephos_ceremony::{
    beacon, contribute, export, init, phase1, ptau, verify, Ptau, R1cs, VerifyPolicy, Zkey,
};
use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};
use support::{hermez8, repo_root, Cubic};

const SETUP_HINT: &str = "run `bash interop/setup.sh` (installs snarkjs 0.7.6 into interop/node_modules)";

struct Snarkjs {
    node: String,
    cli: PathBuf,
    dir: PathBuf,
}

impl Snarkjs {
    fn new(tag: &str) -> Self {
        let node = std::env::var("PSEPHOS_NODE").unwrap_or_else(|_| "node".to_owned());
        let ok = Command::new(&node).arg("--version").output().map(|o| o.status.success()).unwrap_or(false);
        assert!(ok, "cannot run `{node}`: install node >= 18 or set PSEPHOS_NODE, then {SETUP_HINT}");
        let cli = repo_root().join("interop/node_modules/snarkjs/build/cli.cjs");
        assert!(cli.is_file(), "snarkjs is not installed at {}: {SETUP_HINT}", cli.display());
        let pkg =
            std::fs::read_to_string(repo_root().join("interop/node_modules/snarkjs/package.json")).unwrap();
        let pkg: serde_json::Value = serde_json::from_str(&pkg).unwrap();
        assert_eq!(pkg["version"], "0.7.6", "interop/node_modules is stale: {SETUP_HINT}");
        let dir = std::env::temp_dir().join(format!("psephos-ceremony-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Self { node, cli, dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Runs snarkjs in the work directory; returns (success, stdout + stderr).
    fn run(&self, args: &[&str]) -> (bool, String) {
        let out = Command::new(&self.node).arg(&self.cli).args(args).current_dir(&self.dir).output().unwrap();
        let text =
            format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        (out.status.success(), text)
    }

    fn write(&self, name: &str, bytes: &[u8]) {
        std::fs::write(self.path(name), bytes).unwrap();
    }

    fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.path(name)).unwrap()
    }
}

fn rng() -> ChaCha20Rng {
    ChaCha20Rng::from_seed([3u8; 32])
}

fn prepare(tag: &str) -> (Snarkjs, ptau::Ptau, R1cs) {
    let sj = Snarkjs::new(tag);
    let pbytes = hermez8();
    let ptau = ptau::load_verified(&pbytes, &[], &mut rng()).unwrap();
    let r1cs = R1cs::from_circuit(Cubic { w: None }).unwrap();
    sj.write("pot8.ptau", &pbytes);
    sj.write("c.r1cs", &r1cs.to_bytes());
    (sj, ptau, r1cs)
}

#[test]
fn init_is_byte_identical_and_snarkjs_verifies_a_psephos_ceremony() {
    let (sj, ptau, r1cs) = prepare("a");
    let (ok, out) = sj.run(&["zkey", "new", "c.r1cs", "pot8.ptau", "sj0.zkey"]);
    assert!(ok, "snarkjs zkey new failed:\n{out}");
    let ours = init(&r1cs, &ptau).unwrap();
    assert!(sj.read("sj0.zkey") == ours.to_bytes(), "psephos' initial key differs from snarkjs zkey new");

    let mut r = rng();
    let (k1, _) = contribute(&ours, Some("alice"), &mut r).unwrap();
    let (k2, h2) = contribute(&k1, Some("bob"), &mut r).unwrap();
    let (k3, _) = beacon(&k2, Some("final beacon"), &[0xab; 32], 10).unwrap();
    sj.write("ps3.zkey", &k3.to_bytes());
    let (ok, out) = sj.run(&["zkey", "verify", "c.r1cs", "pot8.ptau", "ps3.zkey"]);
    assert!(ok && out.contains("ZKey Ok!"), "snarkjs rejected a psephos ceremony:\n{out}");
    // snarkjs prints each contribution hash; bob's is ours.
    let hex = hex::encode(h2);
    let printed: String = out.split_whitespace().collect();
    assert!(printed.contains(&hex), "snarkjs did not print bob's contribution hash {hex}:\n{out}");

    // A tampered psephos key is rejected by snarkjs too.
    let mut bad = k3.clone();
    bad.l[0] = bad.l[1];
    sj.write("bad.zkey", &bad.to_bytes());
    let (_, out) = sj.run(&["zkey", "verify", "c.r1cs", "pot8.ptau", "bad.zkey"]);
    assert!(!out.contains("ZKey Ok!"), "snarkjs accepted a tampered key:\n{out}");
    let _ = std::fs::remove_dir_all(&sj.dir);
}

#[test]
fn psephos_verifies_a_snarkjs_ceremony_and_proofs_verify_in_both() {
    let (sj, ptau, r1cs) = prepare("b");
    let (ok, out) = sj.run(&["zkey", "new", "c.r1cs", "pot8.ptau", "sj0.zkey"]);
    assert!(ok, "{out}");
    let (ok, out) = sj.run(&["zkey", "contribute", "sj0.zkey", "sj1.zkey", "--name=one", "-e=first entropy"]);
    assert!(ok, "{out}");
    let (ok, out) =
        sj.run(&["zkey", "contribute", "sj1.zkey", "sj2.zkey", "--name=two", "-e=second entropy"]);
    assert!(ok, "{out}");
    let beacon_hex = "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20";
    let (ok, out) = sj.run(&["zkey", "beacon", "sj2.zkey", "sj3.zkey", beacon_hex, "10", "-n=beacon"]);
    assert!(ok, "{out}");

    let key = Zkey::from_bytes(&sj.read("sj3.zkey")).unwrap();
    // Decoding and re-encoding a snarkjs key gives back its bytes.
    assert!(key.to_bytes() == sj.read("sj3.zkey"), "re-encoding a snarkjs zkey changed it");
    // Mixed chain: a psephos contribution on top of snarkjs' two, accepted by snarkjs.
    let (mixed, _) =
        contribute(&Zkey::from_bytes(&sj.read("sj2.zkey")).unwrap(), Some("psephos"), &mut rng()).unwrap();
    sj.write("mixed.zkey", &mixed.to_bytes());
    let (ok, out) =
        sj.run(&["zkey", "contribute", "mixed.zkey", "mixed2.zkey", "--name=four", "-e=more entropy"]);
    assert!(ok, "{out}");
    let (ok, out) = sj.run(&["zkey", "verify", "c.r1cs", "pot8.ptau", "mixed2.zkey"]);
    assert!(ok && out.contains("ZKey Ok!"), "snarkjs rejected a mixed chain:\n{out}");
    let mixed2 = Zkey::from_bytes(&sj.read("mixed2.zkey")).unwrap();
    verify(&mixed2, &r1cs, &ptau, &VerifyPolicy { min_contributions: 4, beacon: None }, &mut rng()).unwrap();
    let policy = VerifyPolicy { min_contributions: 2, beacon: Some((hex::decode(beacon_hex).unwrap(), 10)) };
    let report = verify(&key, &r1cs, &ptau, &policy, &mut rng()).unwrap();
    assert_eq!(report.contributions.len(), 3);
    assert_eq!(report.contributions[0].name.as_deref(), Some("one"));
    assert!(report.contributions[2].beacon);
    // The intermediate key verifies too, and the contribution hashes agree with snarkjs' printout.
    let k2 = Zkey::from_bytes(&sj.read("sj2.zkey")).unwrap();
    verify(&k2, &r1cs, &ptau, &VerifyPolicy { min_contributions: 2, beacon: None }, &mut rng()).unwrap();
    let (ok, out) = sj.run(&["zkey", "verify", "c.r1cs", "pot8.ptau", "sj3.zkey"]);
    assert!(ok, "{out}");
    let printed: String = out.split_whitespace().collect();
    for c in &report.contributions {
        assert!(
            printed.contains(&hex::encode(c.hash)),
            "hash {} not printed by snarkjs:\n{out}",
            hex::encode(c.hash)
        );
    }

    // Verifying keys agree with snarkjs' export.
    let (ok, out) = sj.run(&["zkey", "export", "verificationkey", "sj3.zkey", "vk_sj.json"]);
    assert!(ok, "{out}");
    let theirs: serde_json::Value = serde_json::from_slice(&sj.read("vk_sj.json")).unwrap();
    let ours: serde_json::Value = serde_json::from_str(&export::verifying_key_json(&key).unwrap()).unwrap();
    for field in ["nPublic", "vk_alpha_1", "vk_beta_2", "vk_gamma_2", "vk_delta_2", "IC"] {
        assert_eq!(ours[field], theirs[field], "verifying key field {field} differs");
    }

    // Prove with psephos on the snarkjs ceremony's key; verify in psephos and snarkjs.
    let pk = export::proving_key(&key).unwrap();
    let w = Fr::from(11u64);
    let publics = Cubic::publics(w);
    let mut r = rng();
    let proof = psephos_snark::prove(&pk, Cubic { w: Some(w) }, &publics, &mut r).unwrap();
    let pvk = export::verifying_key(&key).unwrap().prepare(&psephos_snark::VkPolicy::production()).unwrap();
    psephos_snark::verify(&pvk, &publics, &proof).unwrap();
    sj.write("proof.json", psephos_snark::json::write_proof(&proof).as_bytes());
    sj.write("public.json", psephos_snark::json::write_public_signals(&publics).as_bytes());
    let (ok, out) = sj.run(&["groth16", "verify", "vk_sj.json", "public.json", "proof.json"]);
    assert!(ok && out.contains("OK"), "snarkjs rejected a proof made with the ceremony key:\n{out}");
    let wrong = [publics[0], publics[1] + Fr::from(1u64)];
    sj.write("public.json", psephos_snark::json::write_public_signals(&wrong).as_bytes());
    let (ok, out) = sj.run(&["groth16", "verify", "vk_sj.json", "public.json", "proof.json"]);
    assert!(!ok || out.contains("Invalid"), "snarkjs accepted a wrong statement:\n{out}");
    let _ = std::fs::remove_dir_all(&sj.dir);
}

#[test]
fn prepare_is_byte_identical_to_snarkjs_and_snarkjs_reads_psephos_phase1() {
    let sj = Snarkjs::new("c");
    // snarkjs phase 1 → psephos prepare == snarkjs prepare.
    let (ok, out) = sj.run(&["powersoftau", "new", "bn128", "5", "p0.ptau"]);
    assert!(ok, "{out}");
    let (ok, out) =
        sj.run(&["powersoftau", "contribute", "p0.ptau", "p1.ptau", "--name=x", "-e=some entropy"]);
    assert!(ok, "{out}");
    let (ok, out) = sj.run(&["powersoftau", "prepare", "phase2", "p1.ptau", "pf.ptau"]);
    assert!(ok, "{out}");
    let theirs = sj.read("pf.ptau");
    let ours = phase1::prepare(&Ptau::from_bytes(&sj.read("p1.ptau")).unwrap()).to_bytes();
    assert!(ours == theirs, "psephos prepare differs from snarkjs powersoftau prepare phase2");
    Ptau::from_bytes(&theirs).unwrap().verify(&mut rng()).unwrap();

    // psephos phase 1 → snarkjs zkey new == psephos init, and snarkjs zkey verify accepts a psephos ceremony on it.
    let mut r = rng();
    let (p1, _) = phase1::contribute(&phase1::new(5).unwrap(), &mut r).unwrap();
    let pf = phase1::prepare(&p1);
    sj.write("ours.ptau", &pf.to_bytes());
    let r1cs = R1cs::from_circuit(Cubic { w: None }).unwrap();
    sj.write("c.r1cs", &r1cs.to_bytes());
    let (ok, out) = sj.run(&["zkey", "new", "c.r1cs", "ours.ptau", "k0.zkey"]);
    assert!(ok, "{out}");
    let k0 = init(&r1cs, &pf).unwrap();
    assert!(sj.read("k0.zkey") == k0.to_bytes());
    let (k1, _) = contribute(&k0, Some("x"), &mut r).unwrap();
    sj.write("k1.zkey", &k1.to_bytes());
    let (ok, out) = sj.run(&["zkey", "verify", "c.r1cs", "ours.ptau", "k1.zkey"]);
    assert!(ok && out.contains("ZKey Ok!"), "{out}");
    let _ = std::fs::remove_dir_all(&sj.dir);
}
