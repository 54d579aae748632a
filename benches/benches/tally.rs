//! The tally and the audit: aggregation throughput, decryption + combination for
//! 16 options and 5-of-9 trustees, and the audit of a small real record (16 options,
//! real Groth16 ballot proofs). The full-size audit (10k ballots) is
//! `benches/benches/audit.rs`.
//!
//! Run: `cargo bench -p psephos-benches --bench tally -- --warm-up-time 1 --measurement-time 3`

#![allow(missing_docs)] // criterion_group! generates undocumented functions

mod support;

use std::path::PathBuf;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use psephos_ballot::{
    statement::{cast, verify_ballot_proof, BALLOT_MODE},
    Ciphertext, ElectionPublicKey, Manifest,
};
use psephos_circuits::ballot::BallotCircuit;
use psephos_election::{audit, record, AuditOptions, DurableBallotBox};
use psephos_identity::{Group, Identity};
use psephos_primitives::{Fr, Point, Scalar};
use psephos_snark::{dev_setup, VkPolicy};
use psephos_tally::{combine, local_dkg, Aggregate, DecryptionShare};
use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};

const OPTIONS: usize = 16;

/// `n` distinct valid ciphertexts, made by point additions (cheap to build; the
/// aggregation cost does not depend on the values).
fn ciphertexts(n: usize) -> Vec<Ciphertext> {
    let step = Point::mul_base8(&Scalar::from(7u64));
    let mut p = Point::mul_base8(&Scalar::from(3u64));
    (0..n)
        .map(|_| {
            let c1 = p;
            let c2 = (0..OPTIONS)
                .map(|_| {
                    p = p + step;
                    p
                })
                .collect();
            Ciphertext { c1, c2 }
        })
        .collect()
}

fn bench_aggregate(c: &mut Criterion) {
    let n = 10_000;
    let cts = ciphertexts(n);
    let refs: Vec<&Ciphertext> = cts.iter().collect();
    let mut g = c.benchmark_group("tally/aggregate");
    // Point additions: one for c1 and one per option, per ballot.
    g.throughput(Throughput::Elements((n * (OPTIONS + 1)) as u64));
    eprintln!("rayon threads: {}", rayon::current_num_threads());
    g.bench_function(format!("ballots={n}/options={OPTIONS}"), |b| {
        b.iter(|| Aggregate::new(Fr::from(1u64), OPTIONS, &refs).expect("same shape"))
    });
    g.finish();
}

fn bench_decrypt_combine(c: &mut Criterion) {
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let dkg = local_dkg::run(5, 9, OPTIONS as u32, b"bench", &mut rng).expect("dkg");
    let pk = ElectionPublicKey::new(dkg.public.public_keys.clone()).expect("keys");
    // An aggregate of 10k ballots with V = 10: the BSGS range is [-100000, 100000].
    let votes: Vec<i64> = (0..OPTIONS as i64).map(|j| j * 997 - 7000).collect();
    let aggregate = Aggregate {
        poll_id: Fr::from(1u64),
        ballots: 10_000,
        ciphertext: psephos_ballot::elgamal::encrypt(&pk, &votes, &Scalar::from(123456u64)).expect("k"),
    };
    let trustees = [1usize, 3, 4, 7, 9];
    let mut g = c.benchmark_group("tally");
    g.bench_function("share-create/options=16", |b| {
        b.iter(|| DecryptionShare::create(&aggregate, &dkg.public, &dkg.shares[0], &mut rng).expect("share"))
    });
    let shares: Vec<DecryptionShare> = trustees
        .iter()
        .map(|&i| {
            DecryptionShare::create(&aggregate, &dkg.public, &dkg.shares[i - 1], &mut rng).expect("share")
        })
        .collect();
    let texts: Vec<String> = shares.iter().map(|s| s.to_json()).collect();
    g.bench_function("share-verify/options=16", |b| {
        b.iter(|| {
            DecryptionShare::from_json(texts[0].as_bytes())
                .expect("json")
                .verify(&aggregate, &dkg.public, &mut rng)
                .expect("valid")
        })
    });
    g.bench_function("combine/options=16/trustees=5-of-9/N=10000/V=10", |b| {
        b.iter(|| {
            let r = combine(&aggregate, &dkg.public, &shares, 10).expect("combine");
            assert_eq!(r.totals, votes);
        })
    });
    g.bench_function("decrypt+verify+combine/options=16/trustees=5-of-9/N=10000/V=10", |b| {
        b.iter(|| {
            let verified: Vec<DecryptionShare> = trustees
                .iter()
                .map(|&i| {
                    let s = DecryptionShare::create(&aggregate, &dkg.public, &dkg.shares[i - 1], &mut rng)
                        .expect("share");
                    DecryptionShare::from_json(s.to_json().as_bytes())
                        .expect("json")
                        .verify(&aggregate, &dkg.public, &mut rng)
                        .expect("valid")
                })
                .collect();
            combine(&aggregate, &dkg.public, &verified, 10).expect("combine")
        })
    });
    g.finish();
}

/// A real record: `ballots` voters, 16 options, roll depth 2, 5-of-9 DKG.
fn build_record(ballots: usize) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("psephos-bench-record-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    let voters: Vec<Identity> =
        (0..ballots).map(|i| Identity::from_text(&format!("bench voter {i}"))).collect();
    let members: Vec<Fr> = voters.iter().map(|v| v.commitment()).collect();
    let group = Group::from_members(&members).expect("distinct");
    let depth = group.depth().max(1);
    let dkg = local_dkg::run(5, 9, OPTIONS as u32, b"bench record", &mut rng).expect("dkg");
    let (pk, vk) = dev_setup(BallotCircuit::blank(depth, OPTIONS, BALLOT_MODE).expect("shape"), &[9u8; 32])
        .expect("setup");
    let manifest = support::start_record(&dir, "bench", 2, &group, &members, &dkg, &vk);
    use record::files;
    let pvk = vk.prepare(&VkPolicy::development()).expect("vk");
    let mut bx =
        DurableBallotBox::open(&dir.join(files::BALLOTS), manifest.clone(), move |m: &Manifest, b| {
            verify_ballot_proof(m, &pvk, b)
        })
        .expect("box");
    let votes: Vec<i64> = (0..OPTIONS)
        .map(|j| {
            if j % 3 == 0 {
                2
            } else if j % 3 == 1 {
                -1
            } else {
                0
            }
        })
        .collect();
    for v in &voters {
        bx.submit(cast(&manifest, v, &group, &votes, &pk, &mut rng).expect("cast")).expect("submit");
    }
    support::finish_record(&dir, &dkg, &[1, 2, 3, 4, 5], &mut rng);
    dir
}

fn bench_audit(c: &mut Criterion) {
    let n = 16;
    let dir = build_record(n);
    let mut rng = ChaCha20Rng::seed_from_u64(4);
    let opts = AuditOptions { allow_development_keys: true };
    let report = audit(&dir, &opts, &mut rng).expect("the record audits");
    assert_eq!(report.counted, n);
    let mut g = c.benchmark_group("audit");
    g.sample_size(10);
    g.bench_function(format!("record/ballots={n}/options={OPTIONS}/trustees=5-of-9"), |b| {
        b.iter(|| audit(&dir, &opts, &mut rng).expect("ok"))
    });
    let manifest = record::load_manifest(&dir).expect("manifest");
    g.bench_function("dkg-transcript-verify/5-of-9/options=16", |b| {
        b.iter(|| record::load_dkg(&dir, &manifest, &mut rng).expect("dkg"))
    });
    g.bench_function(format!("ballot-log-parse+replay/ballots={n}/options={OPTIONS}"), |b| {
        b.iter(|| {
            let entries = record::load_ballots(&dir).expect("log");
            record::counted(&manifest, &entries).expect("replay")
        })
    });
    g.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = bench_aggregate, bench_decrypt_combine, bench_audit
}
criterion_main!(benches);
