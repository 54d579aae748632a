//! Where the time of a membership proof goes (docs/snark.md §"Proving performance").
//!
//! Run: `cargo run --release -p psephos-benches --example profile_prove -- [depth] [proofs]`
//! (defaults: depth 20, 5 proofs).
//!
//! Prints, for one depth-`depth` membership statement:
//!
//! - the phases of arkworks' own proving pipeline that `psephos_snark::prove` no
//!   longer runs per proof: synthesis with matrices, `finalize` (inlining linear
//!   combinations), `is_satisfied` and `to_matrices`;
//! - `prove` with a key read from a file (`ProvingKey::from_ark`): the first proof
//!   derives and keeps the constraint matrices (exact path), the next ones use them
//!   (fast path); and `verify`.
//!
//! Wall-clock times on a shared machine vary: compare runs made in alternation.

#![allow(missing_docs)]
// A profiling tool: a failed unwrap is a failed run.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystem, OptimizationGoal, SynthesisMode};
use psephos_circuits::membership::{MembershipCircuit, MembershipPrivate, MembershipPublic};
use psephos_identity::{Group, Identity};
use psephos_primitives::{poseidon, Fr};
use psephos_snark::{dev_setup, prove, verify, ProvingKey, SetupKind, VkPolicy};
use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};

fn ms(d: Duration) -> String {
    format!("{:8.2} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let depth: usize = args.next().map_or(20, |s| s.parse().expect("depth"));
    let proofs: usize = args.next().map_or(5, |s| s.parse().expect("number of proofs"));
    println!("rayon threads: {}", rayon::current_num_threads());

    let ids: Vec<Identity> = (0..64u32).map(|i| Identity::from_text(&format!("member {i}"))).collect();
    let group = Group::from_members(&ids.iter().map(|i| i.commitment()).collect::<Vec<_>>()).unwrap();
    let path = group.generate_proof(5).unwrap();
    let scope = Fr::from(1u64);
    let secret = ids[5].secret_scalar().to_field();
    let public = MembershipPublic {
        merkle_root: path.root,
        nullifier: poseidon::hash2(scope, secret),
        message: Fr::from(3u64),
        scope,
    };
    let mut siblings = path.siblings.clone();
    siblings.resize(depth, Fr::from(0u64));
    let private = MembershipPrivate {
        secret,
        proof_length: path.siblings.len(),
        index: Fr::from(path.index),
        siblings,
    };
    let circuit = || MembershipCircuit::new(depth, public, &private).unwrap();

    println!("\narkworks' pipeline (no longer run per proof):");
    let t = Instant::now();
    let cs = ConstraintSystem::<Fr>::new_ref();
    cs.set_optimization_goal(OptimizationGoal::Constraints);
    cs.set_mode(SynthesisMode::Prove { construct_matrices: true, generate_lc_assignments: false });
    circuit().generate_constraints(cs.clone()).unwrap();
    println!("  synthesis with matrices {}", ms(t.elapsed()));
    let t = Instant::now();
    cs.finalize();
    println!("  finalize                {}", ms(t.elapsed()));
    let t = Instant::now();
    assert!(cs.is_satisfied().unwrap());
    println!("  is_satisfied            {}", ms(t.elapsed()));
    let t = Instant::now();
    cs.to_matrices().unwrap();
    println!("  to_matrices             {}", ms(t.elapsed()));
    println!(
        "  ({} constraints, {} instance and {} witness variables)",
        cs.num_constraints(),
        cs.num_instance_variables(),
        cs.num_witness_variables()
    );

    let (dev, _) = dev_setup(MembershipCircuit::blank(depth).unwrap(), &[1u8; 32]).unwrap();
    let pk = ProvingKey::from_ark(dev.as_ark().clone(), SetupKind::Ceremony).unwrap();
    let pvk = pk.verifying_key().prepare(&VkPolicy::development()).unwrap();
    let inputs = public.to_vec();
    let mut rng = ChaCha20Rng::seed_from_u64(2);
    println!("\npsephos_snark::prove, key read from a file:");
    for i in 0..=proofs {
        let t = Instant::now();
        let proof = prove(&pk, circuit(), &inputs, &mut rng).unwrap();
        let label = if i == 0 { "first proof (learns the matrices)" } else { "proof with cached matrices" };
        println!("  {label:34} {}", ms(t.elapsed()));
        if i == proofs {
            let t = Instant::now();
            verify(&pvk, &inputs, &proof).unwrap();
            println!("  {:34} {}", "verify", ms(t.elapsed()));
        }
    }
}
