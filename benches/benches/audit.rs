//! The audit of a full-size record: 10 000 ballots, 16 options, 5-of-9 trustees
//! (issue target: ≤ 10 s on the 2-core machine).
//!
//! Proving 10 000 real ballots would take hours, so this bench builds the record
//! with **simulated** Groth16 proofs: the bench makes its own insecure setup with
//! known trapdoor scalars (α, β, γ, δ) and uses them to produce, for each ballot's
//! real public inputs, a proof that verifies — the zero-knowledge simulator.
//! Everything else in the record is real: the roll, the 5-of-9 DKG transcript,
//! 10 000 distinct nullifiers, real ElGamal encryptions of in-range votes, the
//! aggregate, five trustees' decryption shares with DLEQ proofs and the result.
//! The auditor's work does not depend on how a proof was made (it decodes,
//! subgroup-checks and batch-verifies every proof, exactly as for a real one), so
//! the measured time is the audit's. The record is audited once, checked, and then
//! timed.
//!
//! Run: `cargo bench -p psephos-benches --bench audit`
//! (`PSEPHOS_BENCH_AUDIT_BALLOTS=N` for another size).

#![allow(missing_docs)] // criterion_group! generates undocumented functions

mod support;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use ark_bn254::{Bn254, Fr as BnFr, G1Projective, G2Projective};
use ark_ec::{CurveGroup, PrimeGroup};
use ark_ff::{Field, UniformRand};
use criterion::{criterion_group, criterion_main, Criterion};
use psephos_ballot::{
    statement::{ballot_public, BALLOT_MODE},
    Ballot, Outcome,
};
use psephos_circuits::ballot::BallotCircuit;
use psephos_election::{audit, ballot_log::LogEntry, record, AuditOptions};
use psephos_identity::Group;
use psephos_primitives::{Fr, Scalar};
use psephos_snark::{json, setup::seed_label, Proof, ProvingKey, SetupKind};
use psephos_tally::local_dkg;
use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};
use rayon::prelude::*;

const OPTIONS: usize = 16;
const BOUND: u64 = 2;

fn ballots() -> usize {
    std::env::var("PSEPHOS_BENCH_AUDIT_BALLOTS").ok().and_then(|s| s.parse().ok()).unwrap_or(10_000)
}

/// The trapdoor of the bench's own (insecure) setup.
struct Trapdoor {
    alpha: BnFr,
    beta: BnFr,
    gamma: BnFr,
    delta: BnFr,
}

/// A proof for `inputs` made with the trapdoor: `A = a·G₁`, `B = b·G₂`,
/// `C = δ⁻¹·((a·b − α·β)·G₁ − γ·PI)` with `PI = IC₀ + Σ xⱼ·ICⱼ`, so that
/// `e(A, B) = e(α, β)·e(PI, γ)·e(C, δ)`.
fn simulate(td: &Trapdoor, ic: &[ark_bn254::G1Affine], inputs: &[Fr], rng: &mut ChaCha20Rng) -> Proof {
    // (A plain sum: ark's parallel MSM nested in the bench's parallel loop overflows
    // rayon's worker stacks.)
    let pi = ic[1..].iter().zip(inputs).fold(G1Projective::from(ic[0]), |acc, (b, x)| acc + *b * x);
    let (a, b) = (BnFr::rand(rng), BnFr::rand(rng));
    let g1 = G1Projective::generator();
    let delta_inv = td.delta.inverse().expect("nonzero");
    let c = (g1 * (a * b - td.alpha * td.beta) - pi * td.gamma) * delta_inv;
    Proof::from_points((g1 * a).into_affine(), (G2Projective::generator() * b).into_affine(), c.into_affine())
        .expect("valid points")
}

/// Writes a complete record with `n` counted ballots; returns its directory.
fn build_record(n: usize) -> PathBuf {
    let started = Instant::now();
    let dir = std::env::temp_dir().join(format!("psephos-bench-audit-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut rng = ChaCha20Rng::seed_from_u64(10);
    let members: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
    let group = Group::from_members(&members).expect("distinct");
    let depth = group.depth().max(1);
    let dkg = local_dkg::run(5, 9, OPTIONS as u32, b"bench audit", &mut rng).expect("dkg");

    let td = Trapdoor {
        alpha: BnFr::rand(&mut rng),
        beta: BnFr::rand(&mut rng),
        gamma: BnFr::rand(&mut rng),
        delta: BnFr::rand(&mut rng),
    };
    let ark_pk = ark_groth16::Groth16::<Bn254>::generate_parameters_with_qap(
        BallotCircuit::blank(depth, OPTIONS, BALLOT_MODE).expect("shape"),
        td.alpha,
        td.beta,
        td.gamma,
        td.delta,
        G1Projective::generator(),
        G2Projective::generator(),
        &mut rng,
    )
    .expect("setup");
    let ic = ark_pk.vk.gamma_abc_g1.clone();
    let pk =
        ProvingKey::from_ark(ark_pk, SetupKind::InsecureDevelopment { seed_label: seed_label(&[10u8; 32]) })
            .expect("key");
    let vk = pk.verifying_key().clone();
    let manifest = support::start_record(&dir, "bench audit", BOUND, &group, &members, &dkg, &vk);
    use record::files;

    // Ballots in parallel, each from its own seeded stream; the log is written in order.
    let lines: Vec<String> = (0..n)
        .into_par_iter()
        .map(|i| {
            let mut rng = ChaCha20Rng::seed_from_u64(1_000_000 + i as u64);
            let votes: Vec<i64> = (0..OPTIONS).map(|j| ((i + j) % 5) as i64 - 2).collect();
            let rho = Scalar::rand(&mut rng);
            let ciphertext =
                psephos_ballot::elgamal::encrypt(&manifest.election_key, &votes, &rho).expect("encrypt");
            let mut ballot = Ballot {
                poll_id: manifest.poll_id,
                merkle_root: group.root(),
                nullifier: Fr::rand(&mut rng),
                ciphertext,
                proof: serde_json::Value::Null,
            };
            let inputs = ballot_public(&manifest, &ballot).to_vec(BALLOT_MODE).expect("shape");
            let proof = simulate(&td, &ic, &inputs, &mut rng);
            ballot.proof = serde_json::from_str(&json::write_proof(&proof)).expect("json");
            LogEntry { seq: i as u64, ballot, outcome: Outcome::Accepted }.to_line()
        })
        .collect();
    let mut log = lines.join("\n");
    log.push('\n');
    record::write_atomic(&dir, files::BALLOTS, log.as_bytes()).expect("write");

    support::finish_record(&dir, &dkg, &[1, 3, 4, 7, 9], &mut rng);
    eprintln!("built a {n}-ballot record (depth {depth}) in {:.1} s", started.elapsed().as_secs_f64());
    dir
}

fn bench_audit(c: &mut Criterion) {
    let n = ballots();
    let dir = build_record(n);
    let mut rng = ChaCha20Rng::seed_from_u64(4);
    let opts = AuditOptions { allow_development_keys: true };
    let report = audit(&dir, &opts, &mut rng).expect("the record audits");
    assert_eq!(report.counted, n);
    assert_eq!(report.proofs_verified, n);
    eprintln!("rayon threads: {}", rayon::current_num_threads());
    let mut g = c.benchmark_group("audit");
    g.sample_size(10);
    g.bench_function(format!("record/ballots={n}/options={OPTIONS}/trustees=5-of-9/simulated-proofs"), |b| {
        b.iter(|| audit(&dir, &opts, &mut rng).expect("ok"))
    });
    // The ballot log's decoding, with the points' subgroup checks batched (what
    // the audit does) and point by point (`LogEntry::from_line` on every line, in
    // parallel: what it did before).
    g.bench_function(format!("ballot-log-decode/ballots={n}/batched-subgroup-check"), |b| {
        b.iter(|| record::load_ballots(&dir).expect("log"))
    });
    g.bench_function(format!("ballot-log-decode/ballots={n}/point-by-point"), |b| {
        b.iter(|| {
            let text = std::fs::read_to_string(dir.join(record::files::BALLOTS)).expect("read");
            let lines: Vec<&str> = text.lines().collect();
            lines.par_iter().map(|l| LogEntry::from_line(l).expect("entry")).collect::<Vec<_>>()
        })
    });
    g.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(20));
    targets = bench_audit
}
criterion_main!(benches);
