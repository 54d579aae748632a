//! Membership proofs: Groth16 prove at depth 16 / 20 / 32, single verify, batch
//! verify of 100 and 1000 proofs.
//!
//! Run: `cargo bench -p psephos-benches --bench membership`
//! (docs/benchmarks.md records the figures).

#![allow(missing_docs)] // criterion_group! generates undocumented functions

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use psephos_circuits::membership::{
    constraint_count, MembershipCircuit, MembershipPrivate, MembershipPublic,
};
use psephos_identity::{Group, Identity};
use psephos_primitives::{poseidon, Fr};
use psephos_snark::{batch_verify, dev_setup, prove, verify, Proof, ProvingKey, VkPolicy};
use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};

/// A group of 64 members and the witness of member 5 padded to `depth`.
fn statement(depth: usize, message: u64) -> (MembershipPublic, MembershipPrivate) {
    let ids: Vec<Identity> = (0..64u32).map(|i| Identity::from_text(&format!("bench member {i}"))).collect();
    let group =
        Group::from_members(&ids.iter().map(|i| i.commitment()).collect::<Vec<_>>()).expect("distinct");
    let me = &ids[5];
    let proof = group.generate_proof(5).expect("member");
    let scope = Fr::from(2026u64);
    let secret = me.secret_scalar().to_field();
    let public = MembershipPublic {
        merkle_root: proof.root,
        nullifier: poseidon::hash2(scope, secret),
        message: Fr::from(message),
        scope,
    };
    let mut siblings = proof.siblings.clone();
    siblings.resize(depth, Fr::from(0u64));
    let private = MembershipPrivate {
        secret,
        proof_length: proof.siblings.len(),
        index: Fr::from(proof.index),
        siblings,
    };
    (public, private)
}

fn keys(depth: usize) -> ProvingKey {
    let circuit = MembershipCircuit::blank(depth).expect("valid depth");
    dev_setup(circuit, &[depth as u8; 32]).expect("setup").0
}

fn bench_prove(c: &mut Criterion) {
    let mut g = c.benchmark_group("membership/prove");
    g.sample_size(10);
    println!("rayon threads: {}", rayon::current_num_threads());
    for depth in [16usize, 20, 32] {
        println!("depth {depth}: {} constraints", constraint_count(depth).unwrap_or(0));
        let pk = keys(depth);
        let (public, private) = statement(depth, 1);
        let mut rng = ChaCha20Rng::seed_from_u64(1);
        g.bench_function(BenchmarkId::from_parameter(format!("depth={depth}")), |b| {
            b.iter(|| {
                let circuit = MembershipCircuit::new(depth, public, &private).expect("shape");
                prove(&pk, circuit, &public.to_vec(), &mut rng).expect("honest")
            })
        });
    }
    g.finish();
}

fn bench_verify(c: &mut Criterion) {
    let depth = 20;
    let pk = keys(depth);
    let pvk = pk.verifying_key().prepare(&VkPolicy::development()).expect("dev key");
    let mut rng = ChaCha20Rng::seed_from_u64(2);
    let (public, private) = statement(depth, 1);
    let circuit = MembershipCircuit::new(depth, public, &private).expect("shape");
    let proof = prove(&pk, circuit, &public.to_vec(), &mut rng).expect("honest");
    let inputs = public.to_vec();
    c.bench_function("membership/verify/depth=20", |b| b.iter(|| verify(&pvk, black_box(&inputs), &proof)));

    // Batch: re-randomized copies of proofs for 8 distinct messages.
    let base: Vec<(Vec<Fr>, Proof)> = (0..8u64)
        .map(|m| {
            let (public, private) = statement(depth, m);
            let circuit = MembershipCircuit::new(depth, public, &private).expect("shape");
            (public.to_vec(), prove(&pk, circuit, &public.to_vec(), &mut rng).expect("honest"))
        })
        .collect();
    let mut g = c.benchmark_group("membership/batch_verify/depth=20");
    g.sample_size(10);
    for n in [100usize, 1000] {
        let items: Vec<(Vec<Fr>, Proof)> = (0..n)
            .map(|i| {
                let (inputs, proof) = &base[i % base.len()];
                (inputs.clone(), proof.rerandomize(pk.verifying_key(), &mut rng).expect("valid"))
            })
            .collect();
        g.throughput(Throughput::Elements(n as u64));
        g.bench_function(BenchmarkId::from_parameter(format!("proofs={n}")), |b| {
            b.iter(|| batch_verify(&pvk, &items, &mut rng).expect("all valid"))
        });
    }
    g.finish();
}

criterion_group!(benches, bench_prove, bench_verify);
criterion_main!(benches);
