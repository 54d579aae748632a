//! Where the time of a ballot proof goes (docs/benchmarks.md, ballots).
//!
//! Run: `cargo run --release -p psephos-benches --example profile_ballot -- [options] [ballots]`
//! (defaults: 16 options, 3 ballots), under `perf record --call-graph dwarf` for a profile.
//! Prints the setup time and the time of each `cast` (witness, synthesis, proof, self-check).

#![allow(missing_docs)]
// A profiling tool: a failed unwrap is a failed run.
#![allow(clippy::unwrap_used)]

use std::time::Instant;

use psephos_ballot::{statement::cast, ElectionSecretKey, Manifest, RevotePolicy};
use psephos_circuits::ballot::BallotCircuit;
use psephos_identity::{Group, Identity};
use psephos_primitives::Fr;
use psephos_snark::dev_setup;
use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};

const DEPTH: usize = 20;

fn main() {
    let mut args = std::env::args().skip(1);
    let options: usize = args.next().map_or(16, |s| s.parse().expect("options"));
    let ballots: usize = args.next().map_or(3, |s| s.parse().expect("ballots"));
    println!("rayon threads: {}", rayon::current_num_threads());
    let voters: Vec<Identity> = (0..64u32).map(|i| Identity::from_text(&format!("voter {i}"))).collect();
    let group = Group::from_members(&voters.iter().map(|v| v.commitment()).collect::<Vec<_>>()).unwrap();
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let secret = ElectionSecretKey::random(options, &mut rng);
    let t = Instant::now();
    let (pk, vk) = dev_setup(
        BallotCircuit::blank(DEPTH, options, psephos_ballot::statement::BALLOT_MODE).unwrap(),
        &[3; 32],
    )
    .unwrap();
    println!("setup: {:.2} s", t.elapsed().as_secs_f64());
    let ark = pk.as_ark();
    println!(
        "key queries (MSM sizes): a {} (G1), b {} (G2), b {} (G1), l {} (G1), h {} (G1)",
        ark.a_query.len(),
        ark.b_g2_query.len(),
        ark.b_g1_query.len(),
        ark.l_query.len(),
        ark.h_query.len()
    );
    let manifest = Manifest {
        poll_name: "profile".into(),
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
    let votes: Vec<i64> = (0..options).map(|i| if i % 2 == 0 { 2 } else { -2 }).collect();
    for (i, voter) in voters.iter().take(ballots).enumerate() {
        let t = Instant::now();
        cast(&manifest, voter, &group, &votes, &pk, &mut rng).unwrap();
        println!("cast {i}: {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
    }
}
