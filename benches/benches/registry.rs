//! Benches for the registry: attestation signing and (batch) verification,
//! the threshold OPRF (partial evaluation + DLEQ proof, combination), and the
//! replay of large enrollment logs (3 registrars, k = 2).
//!
//! Run: `cargo bench -p psephos-benches --bench registry`
//! (docs/benchmarks.md records the figures). The logs are built in setup:
//! random dedup tags (replay does not evaluate the OPRF), attestations signed
//! in parallel.

#![allow(missing_docs)] // criterion_group! generates undocumented functions

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use psephos_primitives::Fr;
use psephos_registry::setup::simulate_setup;
use psephos_registry::signature::verify_many;
use psephos_registry::{
    dedup_tag, DedupBlinding, DedupTag, Entry, EntryKind, Registrar, Roll, SignedPolicy, Statement,
};
use rand_chacha::ChaCha20Rng;
use rand_core::{RngCore, SeedableRng};
use rayon::prelude::*;

fn setup() -> (SignedPolicy, Vec<Registrar>) {
    simulate_setup("bench-town", 3, 2, &mut ChaCha20Rng::seed_from_u64(1)).expect("valid parameters")
}

fn statement(policy: &SignedPolicy, i: u64) -> Statement {
    let mut tag = [0u8; 64];
    ChaCha20Rng::seed_from_u64(i).fill_bytes(&mut tag);
    Statement {
        group_id: policy.policy().group_id.clone(),
        position: i,
        kind: EntryKind::Add,
        commitment: Fr::from(i + 1) * Fr::from(0x9e37_79b9_7f4a_7c15u64),
        dedup_tag: DedupTag(tag),
    }
}

/// An `n`-entry log: entry i attested by registrars {1,2}, {2,3} or {1,3} in turn.
fn build_log(policy: &SignedPolicy, regs: &[Registrar], n: u64) -> String {
    let lines: Vec<String> = (0..n)
        .into_par_iter()
        .map(|i| {
            let mut rng = ChaCha20Rng::seed_from_u64(1_000_000 + i);
            let st = statement(policy, i);
            let pair = [[0usize, 1], [1, 2], [0, 2]][(i % 3) as usize];
            let attestations = pair.iter().map(|&r| regs[r].attest(&st, &mut rng)).collect();
            let e = Entry {
                position: i,
                kind: st.kind,
                commitment: st.commitment,
                dedup_tag: st.dedup_tag,
                attestations,
            };
            e.to_json_line() + "\n"
        })
        .collect();
    lines.concat()
}

fn bench_attestations(c: &mut Criterion) {
    let (policy, regs) = setup();
    let mut rng = ChaCha20Rng::seed_from_u64(2);
    let st = statement(&policy, 0);
    let mut g = c.benchmark_group("attestation");
    g.bench_function("sign", |b| b.iter(|| regs[0].attest(black_box(&st), &mut rng)));
    let att = regs[0].attest(&st, &mut rng);
    let pk = regs[0].public_key();
    g.bench_function("verify/single", |b| b.iter(|| pk.verify(black_box(&st), &att.signature)));
    for n in [64usize, 1024, 8192] {
        let sts: Vec<Statement> = (0..n as u64).map(|i| statement(&policy, i)).collect();
        let items: Vec<_> = sts
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let r = &regs[i % 3];
                (r.public_key(), s, r.attest(s, &mut rng).signature)
            })
            .collect();
        g.throughput(Throughput::Elements(n as u64));
        g.bench_function(BenchmarkId::new("verify/batch", n), |b| {
            b.iter(|| verify_many(black_box(&items), &mut rng).expect("valid batch"))
        });
    }
    g.finish();
}

fn bench_oprf(c: &mut Criterion) {
    let (policy, regs) = setup();
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    let public = &policy.policy().dedup;
    let (state, request) = DedupBlinding::blind(b"passport:bench", &mut rng).expect("evidence");
    let mut g = c.benchmark_group("oprf");
    g.bench_function("blind", |b| b.iter(|| DedupBlinding::blind(black_box(b"passport:bench"), &mut rng)));
    g.bench_function("partial_evaluation+proof", |b| {
        b.iter(|| regs[1].evaluate(black_box(&request), &mut rng))
    });
    let partials: Vec<_> = regs[..2].iter().map(|r| r.evaluate(&request, &mut rng)).collect();
    g.bench_function("partial_verify", |b| b.iter(|| partials[0].verify(public, black_box(&request))));
    g.bench_function("verify+combine+finalize/t=2", |b| {
        b.iter(|| state.finalize(b"passport:bench", public, black_box(&partials)).expect("valid"))
    });
    g.bench_function("dedup_tag/t=2 (whole protocol)", |b| {
        b.iter(|| {
            dedup_tag(policy.policy(), &[&regs[0], &regs[1]], b"passport:bench", &mut rng).expect("valid")
        })
    });
    g.finish();
}

fn bench_replay(c: &mut Criterion) {
    let (policy, regs) = setup();
    let mut g = c.benchmark_group("replay");
    g.sample_size(10);
    for n in [10_000u64, 100_000] {
        let log = build_log(&policy, &regs, n);
        let mut rng = ChaCha20Rng::seed_from_u64(4);
        g.throughput(Throughput::Elements(n));
        g.bench_function(BenchmarkId::new("log", n), |b| {
            b.iter(|| Roll::replay(policy.clone(), black_box(&log), &mut rng).expect("valid log").root())
        });
    }
    g.finish();
}

criterion_group!(benches, bench_attestations, bench_oprf, bench_replay);
criterion_main!(benches);
