#![allow(missing_docs)]
//! Ceremony benches: phase-1 `prepare` (vs `snarkjs powersoftau prepare phase2`,
//! docs/benchmarks.md), phase-2 init / contribute / verify on the Hermez power-8
//! file with membership-sized work kept small for CI (`cargo bench --no-run`).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use psephos_ceremony::{contribute, init, phase1, ptau, verify, R1cs, VerifyPolicy};
use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};

fn hermez8() -> Vec<u8> {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    std::fs::read(root.join("test-vectors/ceremony/powersOfTau28_hez_final_08.ptau")).expect("fixture")
}

/// A chain of `n` squarings: n constraints, one public input.
fn chain_r1cs(n: u32) -> R1cs {
    use psephos_ceremony::r1cs::Constraint;
    let one = ark_bn254::Fr::from(1u64);
    // wires: 0 = one, 1 = public out, 2.. = x_0 … x_n
    let mut constraints: Vec<Constraint> = (0..n)
        .map(|i| Constraint { a: vec![(2 + i, one)], b: vec![(2 + i, one)], c: vec![(3 + i, one)] })
        .collect();
    constraints.push(Constraint { a: vec![(2 + n, one)], b: vec![(0, one)], c: vec![(1, one)] });
    let n_wires = 3 + n;
    R1cs {
        n_wires,
        n_pub_out: 0,
        n_pub_in: 1,
        n_prv_in: 0,
        n_labels: u64::from(n_wires),
        constraints,
        wire_to_label: (0..u64::from(n_wires)).collect(),
    }
}

fn bench_prepare(c: &mut Criterion) {
    let mut g = c.benchmark_group("ceremony/ptau-prepare");
    g.sample_size(10);
    let mut rng = ChaCha20Rng::from_seed([1u8; 32]);
    for power in [8u32, 10] {
        let (p, _) = phase1::contribute(&phase1::new(power).expect("power"), &mut rng).expect("contribute");
        g.bench_with_input(BenchmarkId::from_parameter(power), &p, |b, p| b.iter(|| phase1::prepare(p)));
    }
    g.finish();
}

fn bench_phase2(c: &mut Criterion) {
    let mut rng = ChaCha20Rng::from_seed([2u8; 32]);
    let bytes = hermez8();
    let ptau = ptau::load_verified(&bytes, &[], &mut rng).expect("pinned ptau");
    let r1cs = chain_r1cs(250);
    let key0 = init(&r1cs, &ptau).expect("init");
    let (key1, _) = contribute(&key0, Some("bench"), &mut rng).expect("contribute");
    let mut g = c.benchmark_group("ceremony/phase2-256");
    g.sample_size(10);
    g.bench_function("ptau-load-verify-p8", |b| {
        b.iter(|| ptau::load_verified(&bytes, &[], &mut rng.clone()).expect("ok"))
    });
    g.bench_function("init", |b| b.iter(|| init(&r1cs, &ptau).expect("init")));
    g.bench_function("contribute", |b| {
        b.iter(|| contribute(&key1, None, &mut rng.clone()).expect("contribute"))
    });
    let policy = VerifyPolicy { min_contributions: 1, beacon: None };
    g.bench_function("verify-1-contribution", |b| {
        b.iter(|| verify(&key1, &r1cs, &ptau, &policy, &mut rng.clone()).expect("verify"))
    });
    g.finish();
}

criterion_group!(benches, bench_prepare, bench_phase2);
criterion_main!(benches);
