#![allow(missing_docs)]
//! DKG 5-of-9 end to end (all nine participants' compute, sequentially) and Sigma
//! prove/verify/batch-verify, for Baby Jubjub and Ristretto255.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use psephos_primitives::{Point, PrimeGroup, RistrettoPoint};
use psephos_sigma::{DleqProof, DleqStatement, SchnorrProof, SchnorrStatement};
use psephos_threshold::dkg::{ParticipantKey, Round1, Session};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

const DOMAIN: &[u8] = b"psephos/bench/sigma/v1";

/// One full honest run: every participant deals, receives and finishes.
fn dkg_run<G: PrimeGroup>(t: u32, n: u32, k: u32, keys: &[ParticipantKey<G>], rng: &mut ChaCha20Rng) {
    let session =
        Session::new(t, k, b"bench", keys.iter().map(|k| k.public()).collect()).expect("valid session");
    let mut states = Vec::new();
    let mut r1 = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        let (s, m) = Round1::start(session.clone(), i as u32 + 1, key.clone(), rng).expect("deal");
        states.push(s);
        r1.push(m);
    }
    let mut next = Vec::new();
    let mut r2 = Vec::new();
    for s in states {
        let (n2, m) = s.receive(&r1, rng).expect("receive");
        next.push(n2);
        r2.push(m);
    }
    for s in next {
        let out = s.finish(&r2).expect("finish");
        assert_eq!(out.public.qualified.len(), n as usize);
    }
}

fn bench_dkg<G: PrimeGroup>(c: &mut Criterion, name: &str, ks: &[u32]) {
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let keys: Vec<ParticipantKey<G>> = (0..9).map(|_| ParticipantKey::generate(&mut rng)).collect();
    let mut group = c.benchmark_group(format!("dkg-5-of-9/{name}"));
    group.sample_size(10);
    for &k in ks {
        group.bench_with_input(BenchmarkId::new("secrets", k), &k, |b, &k| {
            b.iter(|| dkg_run::<G>(5, 9, k, &keys, &mut rng))
        });
    }
    group.finish();
}

fn bench_sigma<G: PrimeGroup>(c: &mut Criterion, name: &str) {
    let mut rng = ChaCha20Rng::seed_from_u64(2);
    let x = G::random_scalar(&mut rng);
    let st = SchnorrStatement::new(G::mul_generator(&x));
    let proof = SchnorrProof::prove(DOMAIN, &st, &x, b"ctx", &mut rng).expect("prove");
    let h = G::mul_generator(&G::random_scalar(&mut rng));
    let dst = DleqStatement::new(G::generator(), h, G::mul_generator(&x), h.mul_scalar(&x));
    let dproof = DleqProof::prove(DOMAIN, &dst, &x, b"ctx", &mut rng).expect("prove");
    let mut group = c.benchmark_group(format!("sigma/{name}"));
    group.bench_function("schnorr-prove", |b| {
        b.iter(|| SchnorrProof::prove(DOMAIN, &st, &x, b"ctx", &mut rng).expect("prove"))
    });
    group.bench_function("schnorr-verify", |b| b.iter(|| proof.verify(DOMAIN, &st, b"ctx").expect("valid")));
    group.bench_function("dleq-prove", |b| {
        b.iter(|| DleqProof::prove(DOMAIN, &dst, &x, b"ctx", &mut rng).expect("prove"))
    });
    group.bench_function("dleq-verify", |b| b.iter(|| dproof.verify(DOMAIN, &dst, b"ctx").expect("valid")));
    // 64 DLEQ proofs with a shared g and distinct h (the tally's decryption-share shape).
    let items: Vec<_> = (0..64u64)
        .map(|i| {
            let w = G::random_scalar(&mut rng);
            let hi = G::mul_generator(&G::scalar_from_u64(i + 7));
            let s = DleqStatement::new(G::generator(), hi, G::mul_generator(&w), hi.mul_scalar(&w));
            let p = DleqProof::prove(DOMAIN, &s, &w, b"ctx", &mut rng).expect("prove");
            (s, &b"ctx"[..], p)
        })
        .collect();
    group.sample_size(20);
    group.bench_function("dleq-batch-verify-64", |b| {
        b.iter(|| DleqProof::batch_verify(DOMAIN, &items, &mut rng).expect("valid"))
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    bench_sigma::<Point>(c, "babyjubjub");
    bench_sigma::<RistrettoPoint>(c, "ristretto255");
    bench_dkg::<Point>(c, "babyjubjub", &[1, 16]);
    bench_dkg::<RistrettoPoint>(c, "ristretto255", &[1]);
}

criterion_group!(dkg, benches);
criterion_main!(dkg);
