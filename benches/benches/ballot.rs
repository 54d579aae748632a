//! Ballot proofs: prove for k ∈ {1, 4, 16, 64} options at depth 20 (printing
//! constraint counts), verify, and batch verify.
//!
//! Run: `cargo bench -p psephos-benches --bench ballot`
//! (docs/benchmarks.md records the figures).

#![allow(missing_docs)] // criterion_group! generates undocumented functions

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use psephos_ballot::{
    statement::{ballot_public, cast, BALLOT_MODE},
    Ballot, ElectionSecretKey, Manifest, RevotePolicy,
};
use psephos_circuits::ballot::{constraint_count, BallotCircuit};
use psephos_identity::{Group, Identity};
use psephos_primitives::Fr;
use psephos_snark::{batch_verify, dev_setup, json, verify, Proof, ProvingKey, VkPolicy};
use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};

const DEPTH: usize = 20;

fn election(options: usize) -> (Manifest, ProvingKey, Vec<Identity>, Group) {
    let voters: Vec<Identity> =
        (0..64u32).map(|i| Identity::from_text(&format!("bench voter {i}"))).collect();
    let group =
        Group::from_members(&voters.iter().map(|v| v.commitment()).collect::<Vec<_>>()).expect("distinct");
    let mut rng = ChaCha20Rng::seed_from_u64(options as u64);
    let secret = ElectionSecretKey::random(options, &mut rng);
    let circuit = BallotCircuit::blank(DEPTH, options, BALLOT_MODE).expect("valid parameters");
    let (pk, vk) = dev_setup(circuit, &[options as u8; 32]).expect("setup");
    let manifest = Manifest {
        poll_name: "bench".into(),
        poll_id: Fr::from(7u64),
        options,
        budget: 4 * options as u64,
        bound: 2,
        max_depth: DEPTH,
        accepted_roots: vec![group.root()],
        election_key: secret.public_key(),
        verifying_key_id: vk.id().to_hex(),
        revote_policy: RevotePolicy::Reject,
    };
    (manifest, pk, voters, group)
}

fn votes(options: usize) -> Vec<i64> {
    (0..options).map(|i| if i % 2 == 0 { 2 } else { -2 }).collect()
}

fn bench_prove(c: &mut Criterion) {
    let mut g = c.benchmark_group("ballot/prove");
    g.sample_size(10);
    println!("rayon threads: {}", rayon::current_num_threads());
    for options in [1usize, 4, 16, 64] {
        println!(
            "options {options} depth {DEPTH}: {} constraints",
            constraint_count(DEPTH, options, BALLOT_MODE).unwrap_or(0)
        );
        let (manifest, pk, voters, group) = election(options);
        let mut rng = ChaCha20Rng::seed_from_u64(1);
        let v = votes(options);
        g.bench_function(BenchmarkId::from_parameter(format!("options={options}/depth={DEPTH}")), |b| {
            b.iter(|| cast(&manifest, &voters[3], &group, &v, &pk, &mut rng).expect("honest"))
        });
    }
    g.finish();
}

fn bench_verify(c: &mut Criterion) {
    let options = 16;
    let (manifest, pk, voters, group) = election(options);
    let pvk = pk.verifying_key().prepare(&VkPolicy::development()).expect("dev key");
    let mut rng = ChaCha20Rng::seed_from_u64(2);
    let ballots: Vec<Ballot> = (0..8)
        .map(|i| cast(&manifest, &voters[i], &group, &votes(options), &pk, &mut rng).expect("honest"))
        .collect();
    let items: Vec<(Vec<Fr>, Proof)> = ballots
        .iter()
        .map(|b| {
            let inputs = ballot_public(&manifest, b).to_vec(BALLOT_MODE).expect("shape");
            let proof = json::read_proof(serde_json::to_vec(&b.proof).expect("json")).expect("proof");
            (inputs, proof)
        })
        .collect();
    c.bench_function(&format!("ballot/verify/options={options}/depth={DEPTH}"), |b| {
        b.iter(|| verify(&pvk, &items[0].0, &items[0].1).expect("valid"))
    });
    let mut g = c.benchmark_group(format!("ballot/batch_verify/options={options}/depth={DEPTH}"));
    g.sample_size(10);
    for n in [10usize, 100] {
        let batch: Vec<(Vec<Fr>, Proof)> = (0..n)
            .map(|i| {
                let (inputs, proof) = &items[i % items.len()];
                (inputs.clone(), proof.rerandomize(pk.verifying_key(), &mut rng).expect("valid"))
            })
            .collect();
        g.throughput(Throughput::Elements(n as u64));
        g.bench_function(BenchmarkId::from_parameter(format!("ballots={n}")), |b| {
            b.iter(|| batch_verify(&pvk, &batch, &mut rng).expect("all valid"))
        });
    }
    g.finish();
}

criterion_group!(benches, bench_prove, bench_verify);
criterion_main!(benches);
