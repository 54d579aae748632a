//! Benches for the native layer: Poseidon, identity derivation, LeanIMT bulk
//! insert, Merkle proofs. Names follow `operation/size`.
//!
//! Run: `cargo bench -p psephos-benches --bench identity`
//! (docs/benchmarks.md records the figures).

#![allow(missing_docs)] // criterion_group! generates undocumented functions

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use psephos_identity::{Group, Identity, LeanImt};
use psephos_primitives::{poseidon, Fr};

fn leaves(n: u64) -> Vec<Fr> {
    // Distinct non-zero pseudo-random members (Poseidon of the index).
    (0..n).map(|i| Fr::from(i + 1) * Fr::from(0x9e37_79b9_7f4a_7c15u64)).collect()
}

fn bench_poseidon(c: &mut Criterion) {
    let mut g = c.benchmark_group("poseidon");
    for arity in [1usize, 2, 5, 16] {
        let inputs: Vec<Fr> = (0..arity as u64).map(|i| Fr::from(i + 7)).collect();
        g.bench_function(BenchmarkId::new("hash", format!("arity={arity}")), |b| {
            b.iter(|| poseidon::hash(black_box(&inputs)))
        });
    }
    g.finish();
}

fn bench_identity(c: &mut Criterion) {
    c.bench_function("identity/derive", |b| {
        b.iter(|| Identity::from_private_key(black_box(b"an example private key of 32 b.")))
    });
}

fn bench_group(c: &mut Criterion) {
    let mut g = c.benchmark_group("group");
    g.sample_size(10);
    println!("rayon threads: {}", rayon_threads());
    for n in [1_000u64, 100_000, 1_000_000] {
        let members = leaves(n);
        g.throughput(Throughput::Elements(n));
        g.bench_function(BenchmarkId::new("bulk_insert", format!("members={n}")), |b| {
            b.iter(|| Group::from_members(black_box(&members)).expect("distinct non-zero"))
        });
    }
    let tree = LeanImt::from_leaves(&leaves(100_000)).expect("fits");
    g.sample_size(100);
    g.throughput(Throughput::Elements(1));
    g.bench_function("merkle_proof/generate/members=100000", |b| {
        b.iter(|| tree.generate_proof(black_box(54_321)).expect("in range"))
    });
    let proof = tree.generate_proof(54_321).expect("in range");
    g.bench_function("merkle_proof/verify/members=100000", |b| b.iter(|| black_box(&proof).verify()));
    g.finish();
}

fn rayon_threads() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
}

criterion_group!(benches, bench_poseidon, bench_identity, bench_group);
criterion_main!(benches);
