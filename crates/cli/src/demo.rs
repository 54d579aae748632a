//! `psephos demo`: a whole quadratic-voting election on embedded defaults
//! (docs/cli.md §Demo).
//!
//! Registrars enroll the voters (k-of-n attestations, threshold-OPRF dedup: one
//! person enrolling twice is refused) → trustees run a t-of-n DKG (one key per
//! option) → election set-up → voting (one double vote and one over-budget attempt
//! refused) → threshold tally (decryption shares with DLEQ proofs) → the public
//! record is written and audited from disk → summary. Everything is derived from
//! `--seed`, so runs are reproducible. The Groth16 setup is a development setup and
//! the trustees and registrars are simulated in one process: INSECURE, as the
//! output says.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use psephos_ballot::{
    statement::{cast, verify_ballot_proof, CastError, BALLOT_MODE},
    ElectionPublicKey, Manifest, Outcome, RevotePolicy,
};
use psephos_circuits::ballot::{constraint_count, BallotCircuit};
use psephos_election::{
    audit,
    record::{self, files},
    AuditOptions, DurableBallotBox,
};
use psephos_identity::{hash::semaphore_hash_str, Identity};
use psephos_primitives::field;
use psephos_registry::{setup::simulate_setup, RegistryError, Roll};
use psephos_snark::{dev_setup, json, VkPolicy};
use psephos_tally::{local_dkg, Unverified};
use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};
use rand_core::RngCore;

use crate::Failure;

/// Arguments of `demo`.
#[derive(Args)]
pub struct DemoArgs {
    /// Number of voters.
    #[arg(long, default_value_t = 8)]
    voters: usize,
    /// Number of options.
    #[arg(long, default_value_t = 3)]
    options: usize,
    /// Voice-credit budget per voter.
    #[arg(long, default_value_t = 16)]
    budget: u64,
    /// Trustees as t/n: any t of the n trustees decrypt the tally.
    #[arg(long, default_value = "3/5")]
    trustees: String,
    /// Registrars as k/n: each enrollment needs k of the n registrars.
    #[arg(long, default_value = "2/3")]
    registrars: String,
    /// Maximum voter-roll depth of the ballot circuit.
    #[arg(long, default_value_t = 20)]
    depth: usize,
    /// Seed for every random choice (identities, votes, setup, trustees, registrars).
    #[arg(long, default_value = "psephos-demo")]
    seed: String,
    /// Where to write the public record (default: a fresh directory it names).
    #[arg(long)]
    out: Option<PathBuf>,
}

fn derive(seed: &str, purpose: &str, i: u64) -> [u8; 32] {
    *crate::membership::dev_seed(seed, &format!("demo/{purpose}"), i)
}

fn rng_for(seed: &str, purpose: &str) -> ChaCha20Rng {
    ChaCha20Rng::from_seed(derive(seed, purpose, 0))
}

/// `t/n` with `1 ≤ t ≤ n ≤ max`.
fn threshold(text: &str, what: &str, max: u32) -> Result<(u32, u32), Failure> {
    let bad = || Failure::Input(format!("--{what} must be t/n with 1 <= t <= n <= {max}, got {text:?}"));
    let (t, n) = text.split_once('/').ok_or_else(bad)?;
    let (t, n): (u32, u32) = (t.parse().map_err(|_| bad())?, n.parse().map_err(|_| bad())?);
    if t == 0 || t > n || n > max {
        return Err(bad());
    }
    Ok((t, n))
}

fn bar(n: u64, what: &str) -> ProgressBar {
    let pb = ProgressBar::new(n);
    if let Ok(style) = ProgressStyle::with_template("  {msg:<22} [{bar:30}] {pos}/{len} {elapsed}") {
        pb.set_style(style.progress_chars("=> "));
    }
    pb.set_message(what.to_string());
    pb
}

/// A random vote vector within the bound and the budget.
fn random_votes(rng: &mut ChaCha20Rng, options: usize, bound: u64, budget: u64) -> Vec<i64> {
    loop {
        let votes: Vec<i64> =
            (0..options).map(|_| (rng.next_u64() % (2 * bound + 1)) as i64 - bound as i64).collect();
        let cost: u64 = votes.iter().map(|v| v.unsigned_abs().pow(2)).sum();
        if cost <= budget {
            return votes;
        }
    }
}

/// A vote vector that costs more than the budget (or leaves the range).
fn over_budget(options: usize, bound: u64, budget: u64) -> Vec<i64> {
    let mut over = vec![0i64; options];
    let mut cost = 0u64;
    for v in over.iter_mut() {
        if cost > budget {
            break;
        }
        *v = bound as i64;
        cost += bound * bound;
    }
    if cost <= budget {
        over[0] = bound as i64 + 1;
    }
    over
}

fn fresh_dir() -> PathBuf {
    let stamp =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    PathBuf::from(format!("psephos-demo-{stamp}"))
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn check<T, E: std::fmt::Display>(r: Result<T, E>, what: &str) -> Result<T, Failure> {
    r.map_err(|e| Failure::Check(format!("{what}: {e}")))
}

/// `demo`.
pub fn run(args: DemoArgs) -> Result<String, Failure> {
    if args.voters < 2 || args.voters > 1000 {
        return Err(Failure::Input("--voters must be between 2 and 1000".into()));
    }
    if args.options == 0 || args.options > 64 {
        return Err(Failure::Input("--options must be between 1 and 64".into()));
    }
    let (t, n) = threshold(&args.trustees, "trustees", 64)?;
    let (k, r) = threshold(&args.registrars, "registrars", 16)?;
    let out = args.out.clone().unwrap_or_else(fresh_dir);
    if out.join(files::BALLOTS).exists() {
        return Err(Failure::Input(format!(
            "{} already holds a record: choose a fresh --out",
            out.display()
        )));
    }
    std::fs::create_dir_all(&out)
        .map_err(|e| Failure::Input(format!("cannot create {}: {e}", out.display())))?;
    let mut phases: Vec<(&str, Duration)> = Vec::new();
    let say = |s: String| eprintln!("{s}");
    say(format!(
        "psephos demo — a quadratic-voting election, seed {:?}, record in {}",
        args.seed,
        out.display()
    ));
    say("  WARNING: development Groth16 setup; trustees and registrars simulated in one process: INSECURE, for demonstration only".into());

    // 1. Registrars enroll the voters.
    let t0 = Instant::now();
    say(format!(
        "[1/6] registry: {r} registrars (any {k} attest an enrollment) enroll {} voters",
        args.voters
    ));
    let mut rng = rng_for(&args.seed, "registry");
    let (policy, registrars) = check(simulate_setup("psephos-demo-roll", r, k, &mut rng), "registry set-up")?;
    let mut roll = Roll::new(policy);
    let voters: Vec<Identity> = (0..args.voters as u64)
        .map(|i| Identity::from_private_key(&derive(&args.seed, "voter", i)))
        .collect();
    let evidence = |i: usize| format!("demo person #{i}: passport P{:07}", 1_000_003 * (i + 1) % 10_000_000);
    let pb = bar(args.voters as u64, "enrolling");
    for (i, v) in voters.iter().enumerate() {
        // Registrar i mod r enrolls (it alone sees the evidence); the next k − 1 attest too.
        let team: Vec<_> = (0..k as usize).map(|j| &registrars[(i + j) % r as usize]).collect();
        check(roll.enroll(&team, v.commitment(), evidence(i).as_bytes(), &mut rng), "enrollment")?;
        pb.inc(1);
    }
    pb.finish();
    // Person 0 comes back with a fresh identity, at another registrar.
    let sybil = Identity::from_private_key(&derive(&args.seed, "sybil", 0));
    let team: Vec<_> = (0..k as usize).map(|j| &registrars[(1 + j) % r as usize]).collect();
    let refused_enrollment = match roll.enroll(&team, sybil.commitment(), evidence(0).as_bytes(), &mut rng) {
        Err(e @ RegistryError::DuplicateEnrollment { .. }) => {
            say(format!(
                "  refused: person #0 tried to enroll again with a new identity at another registrar — {e}"
            ));
            e.to_string()
        }
        other => return Err(Failure::Check(format!("a duplicate enrollment was not refused: {other:?}"))),
    };
    phases.push(("registry", t0.elapsed()));

    // 2. Trustees run the DKG.
    let t0 = Instant::now();
    let poll_name = "psephos demo poll";
    let poll_id = semaphore_hash_str(poll_name)?;
    say(format!("[2/6] trustees: a {t}-of-{n} DKG, one election key per option ({} keys)", args.options));
    let mut rng = rng_for(&args.seed, "trustees");
    // The session context binds the DKG to this poll.
    let context = format!("psephos demo DKG for poll {}", field::to_decimal(&poll_id));
    let dkg = check(local_dkg::run(t, n, args.options as u32, context.as_bytes(), &mut rng), "DKG")?;
    let election_key = check(ElectionPublicKey::new(dkg.public.public_keys.clone()), "election key")?;
    phases.push(("DKG", t0.elapsed()));

    // 3. Election set-up.
    let t0 = Instant::now();
    let bound = Manifest::default_bound(args.budget);
    say(format!(
        "[3/6] election: {} options, budget {} credits, |votes| <= {}, ballot circuit {} constraints (development setup)",
        args.options,
        args.budget,
        bound,
        constraint_count(args.depth, args.options, BALLOT_MODE).unwrap_or(0)
    ));
    let circuit = BallotCircuit::blank(args.depth, args.options, BALLOT_MODE)
        .map_err(|e| Failure::Input(e.to_string()))?;
    let (pk, vk) = dev_setup(circuit, &derive(&args.seed, "setup", 0))
        .map_err(|e| Failure::Input(format!("setup failed: {e}")))?;
    let manifest = Manifest {
        poll_name: poll_name.into(),
        poll_id,
        options: args.options,
        budget: args.budget,
        bound,
        max_depth: args.depth,
        accepted_roots: vec![roll.root()],
        election_key,
        verifying_key_id: vk.id().to_hex(),
        revote_policy: RevotePolicy::Reject,
    };
    manifest.validate().map_err(|e| Failure::Input(e.to_string()))?;
    let pvk = check(vk.prepare(&VkPolicy::development()), "verifying key")?;
    for (name, text) in [
        (files::MANIFEST, manifest.to_json()),
        (files::POLICY, roll.signed_policy().to_json()),
        (files::ENROLLMENT, roll.to_jsonl()),
        (files::BALLOT_VK, json::write_verifying_key(&vk)),
        (files::DKG_TRANSCRIPT, dkg.transcript.to_json()),
    ] {
        check(record::write_atomic(&out, name, text.as_bytes()), "writing the record")?;
    }
    phases.push(("set-up", t0.elapsed()));

    // 4. Voting.
    let t0 = Instant::now();
    say("[4/6] voting: every voter casts an encrypted QV ballot with a zero-knowledge proof".into());
    let mut rng = rng_for(&args.seed, "voting");
    let verifier = {
        let pvk = pvk.clone();
        move |m: &Manifest, b: &psephos_ballot::Ballot| {
            verify_ballot_proof(m, &pvk, b).map_err(|e| e.to_string())
        }
    };
    let mut bx =
        check(DurableBallotBox::open(&out.join(files::BALLOTS), manifest.clone(), verifier), "ballot box")?;
    let group = roll.group().clone();
    let mut cast_votes: Vec<Vec<i64>> = Vec::new();
    let pb = bar(args.voters as u64, "casting + checking");
    for v in &voters {
        let votes = random_votes(&mut rng, args.options, bound, args.budget);
        let ballot = check(cast(&manifest, v, &group, &votes, &pk, &mut rng), "casting")?;
        match check(bx.submit(ballot), "ballot box")?.outcome {
            Outcome::Accepted => cast_votes.push(votes),
            other => return Err(Failure::Check(format!("an honest ballot was refused: {other:?}"))),
        }
        pb.inc(1);
    }
    pb.finish();
    let mut refusals: Vec<String> = Vec::new();
    let again = random_votes(&mut rng, args.options, bound, args.budget);
    let second = check(cast(&manifest, &voters[0], &group, &again, &pk, &mut rng), "casting")?;
    match check(bx.submit(second), "ballot box")?.outcome {
        Outcome::Rejected(reason) => {
            say(format!("  refused: voter 0 voted a second time — {reason}"));
            refusals.push(format!("double vote: {reason}"));
        }
        other => return Err(Failure::Check(format!("a double vote was not refused: {other:?}"))),
    }
    let over = over_budget(args.options, bound, args.budget);
    match cast(&manifest, &voters[1], &group, &over, &pk, &mut rng) {
        Err(e @ (CastError::OverBudget { .. } | CastError::VoteOutOfRange { .. })) => {
            say(format!("  refused: voter 1 tried votes {over:?} — {e} (no proof exists for it)"));
            refusals.push(format!("over budget: {e}"));
        }
        other => return Err(Failure::Check(format!("an over-budget ballot was not refused: {other:?}"))),
    }
    let accepted = bx.len();
    phases.push(("voting", t0.elapsed()));

    // 5. Threshold tally.
    let t0 = Instant::now();
    say(format!(
        "[5/6] tally: ciphertexts added per option; {t} of {n} trustees publish decryption shares with DLEQ proofs"
    ));
    let mut rng = rng_for(&args.seed, "tally");
    drop(bx);
    // Each trustee recomputes the aggregate from the ballot log and decrypts it; trustees
    // t+1..n stay offline: any t suffice.
    let offered: Vec<Unverified<_>> = dkg.shares[..t as usize]
        .iter()
        .map(|s| record::trustee_decrypt(&out, s, &mut rng).map(Unverified::new))
        .collect::<Result<_, _>>()
        .map_err(|e| Failure::Check(format!("decryption share: {e}")))?;
    let result = match record::publish_tally(&out, offered, &mut rng) {
        Ok((result, refused)) if refused.is_empty() => result,
        Ok((_, refused)) => return Err(Failure::Check(format!("shares refused: {refused:?}"))),
        Err(e) => return Err(Failure::Check(format!("tally: {e:?}"))),
    };
    let expected: Vec<i64> = (0..args.options).map(|j| cast_votes.iter().map(|v| v[j]).sum()).collect();
    if result.totals != expected {
        return Err(Failure::Check(format!(
            "tally {:?} differs from the votes cast {expected:?}",
            result.totals
        )));
    }
    phases.push(("tally", t0.elapsed()));

    // 6. Audit, from the files alone.
    let t0 = Instant::now();
    say(format!("[6/6] audit: the public record in {} is re-checked from disk", out.display()));
    let mut rng = rng_for(&args.seed, "audit");
    let report = check(audit(&out, &AuditOptions { allow_development_keys: true }, &mut rng), "audit")?;
    phases.push(("audit", t0.elapsed()));

    // Summary.
    let credits: u64 = cast_votes.iter().flatten().map(|v| v.unsigned_abs().pow(2)).sum();
    let mut s = format!("\n{:<10} {:>8} {:>10}\n", "option", "total", "credits");
    for j in 0..args.options {
        let spent: u64 = cast_votes.iter().map(|v| v[j].unsigned_abs().pow(2)).sum();
        s.push_str(&format!("{:<10} {:>8} {:>10}\n", format!("#{j}"), result.totals[j], spent));
    }
    s.push_str(&format!(
        "\nvoters enrolled {}, enrollment refused 1 ({refused_enrollment})\n",
        roll.group().size()
    ));
    s.push_str(&format!(
        "ballots accepted {accepted}, refused {} ({}); credits spent {credits} of {}\n",
        refusals.len(),
        refusals.join("; "),
        args.budget * args.voters as u64
    ));
    s.push_str(&format!("\n{report}\n{:<10} {:>10}\n", "phase", "time"));
    for (name, d) in &phases {
        s.push_str(&format!("{:<10} {:>10}\n", name, secs(*d)));
    }
    s.push_str(&format!(
        "\nrecord: {}  (re-check it with: psephos audit --insecure-dev-setup {})\n",
        out.display(),
        out.display()
    ));
    Ok(s)
}
