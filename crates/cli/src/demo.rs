//! `psephos demo`: a whole quadratic-voting election on embedded defaults
//! (docs/cli.md §Demo).
//!
//! Enrollment → election setup → voting (with one double vote and one over-budget
//! attempt refused) → tally → audit of the written record → summary. Everything is
//! derived from `--seed`, so runs are reproducible. The election key is a single
//! development key and the Groth16 setup is a development setup: both INSECURE, as
//! the output says.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use psephos_ballot::{
    dlog,
    statement::{cast, check_votes, verify_ballot_proof, CastError, BALLOT_MODE},
    Ballot, BallotBox, Ciphertext, ElectionSecretKey, Manifest, Outcome, RevotePolicy,
};
use psephos_circuits::ballot::{constraint_count, BallotCircuit};
use psephos_identity::{hash::semaphore_hash_str, Group, Identity, IdentityError};
use psephos_primitives::field;
use psephos_snark::{dev_setup, json, VkPolicy};
use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};
use rand_core::RngCore;
use serde_json::json;

use crate::{write_files, Failure};

/// Arguments of `demo`.
#[derive(Args)]
pub struct DemoArgs {
    /// Number of voters.
    #[arg(long, default_value_t = 6)]
    voters: usize,
    /// Number of options.
    #[arg(long, default_value_t = 3)]
    options: usize,
    /// Voice-credit budget per voter.
    #[arg(long, default_value_t = 16)]
    budget: u64,
    /// Maximum voter-roll depth of the ballot circuit.
    #[arg(long, default_value_t = 20)]
    depth: usize,
    /// Seed for every random choice (identities, votes, setup, keys).
    #[arg(long, default_value = "psephos-demo")]
    seed: String,
    /// Where to write the public record (default: a fresh directory it names).
    #[arg(long)]
    out: Option<PathBuf>,
}

fn derive(seed: &str, purpose: &str, i: u64) -> [u8; 32] {
    *crate::membership::dev_seed(seed, &format!("demo/{purpose}"), i)
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

fn fresh_dir() -> PathBuf {
    let stamp =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    PathBuf::from(format!("psephos-demo-{stamp}"))
}

fn ms(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

/// `demo`.
pub fn run(args: DemoArgs) -> Result<String, Failure> {
    if args.voters < 2 || args.voters > 1000 {
        return Err(Failure::Input("--voters must be between 2 and 1000".into()));
    }
    let out = args.out.clone().unwrap_or_else(fresh_dir);
    let mut phases: Vec<(&str, Duration)> = Vec::new();
    let say = |s: String| eprintln!("{s}");
    say(format!(
        "psephos demo — a quadratic-voting election, seed {:?}, record in {}",
        args.seed,
        out.display()
    ));
    say("  WARNING: development setup and a single development election key: INSECURE, for demonstration only".into());

    // 1. Enrollment.
    let t = Instant::now();
    say(format!("[1/5] enrollment: {} voters join the voter roll", args.voters));
    let voters: Vec<Identity> = (0..args.voters as u64)
        .map(|i| Identity::from_private_key(&derive(&args.seed, "voter", i)))
        .collect();
    let mut group = Group::new();
    let pb = bar(args.voters as u64, "enrolling");
    for v in &voters {
        group.add_member(v.commitment())?;
        pb.inc(1);
    }
    pb.finish();
    let duplicate = group.add_member(voters[0].commitment());
    match duplicate {
        Err(IdentityError::DuplicateMember) => {
            say("  refused: voter 0 tried to enroll a second time (the commitment is already a member)"
                .into())
        }
        other => return Err(Failure::Check(format!("a duplicate enrollment was not refused: {other:?}"))),
    }
    phases.push(("enrollment", t.elapsed()));

    // 2. Election setup.
    let t = Instant::now();
    let poll_name = "psephos demo poll";
    let poll_id = semaphore_hash_str(poll_name)?;
    let bound = Manifest::default_bound(args.budget);
    say(format!(
        "[2/5] election: {} options, budget {} credits, |votes| ≤ {}, ballot circuit {} constraints",
        args.options,
        args.budget,
        bound,
        constraint_count(args.depth, args.options, BALLOT_MODE).unwrap_or(0)
    ));
    let circuit = BallotCircuit::blank(args.depth, args.options, BALLOT_MODE)
        .map_err(|e| Failure::Input(e.to_string()))?;
    let (pk, vk) = dev_setup(circuit, &derive(&args.seed, "setup", 0))
        .map_err(|e| Failure::Input(format!("setup failed: {e}")))?;
    let mut key_rng = ChaCha20Rng::from_seed(derive(&args.seed, "election-key", 0));
    let secret = ElectionSecretKey::random(args.options, &mut key_rng);
    let manifest = Manifest {
        poll_name: poll_name.into(),
        poll_id,
        options: args.options,
        budget: args.budget,
        bound,
        max_depth: args.depth,
        accepted_roots: vec![group.root()],
        election_key: secret.public_key(),
        verifying_key_id: vk.id().to_hex(),
        revote_policy: RevotePolicy::Reject,
    };
    manifest.validate().map_err(|e| Failure::Input(e.to_string()))?;
    let pvk = vk.prepare(&VkPolicy::development()).map_err(|e| Failure::Check(e.to_string()))?;
    phases.push(("setup", t.elapsed()));

    // 3. Voting.
    let t = Instant::now();
    say("[3/5] voting: every voter casts an encrypted QV ballot with a zero-knowledge proof".into());
    let mut rng = ChaCha20Rng::from_seed(derive(&args.seed, "voting", 0));
    let mut bx = BallotBox::new(manifest.clone(), |m: &Manifest, b: &Ballot| verify_ballot_proof(m, &pvk, b));
    let mut plaintext_totals = vec![0i64; args.options];
    let mut credits = 0u64;
    let pb = bar(args.voters as u64, "casting + checking");
    for v in &voters {
        let votes = random_votes(&mut rng, args.options, bound, args.budget);
        let ballot =
            cast(&manifest, v, &group, &votes, &pk, &mut rng).map_err(|e| Failure::Check(e.to_string()))?;
        match bx.submit(ballot) {
            Outcome::Accepted => {
                for (t, v) in plaintext_totals.iter_mut().zip(&votes) {
                    *t += v;
                }
                credits += votes.iter().map(|v| v.unsigned_abs().pow(2)).sum::<u64>();
            }
            other => return Err(Failure::Check(format!("an honest ballot was refused: {other:?}"))),
        }
        pb.inc(1);
    }
    pb.finish();
    let mut refused = 0usize;
    // A double vote: voter 0 votes again.
    let again = random_votes(&mut rng, args.options, bound, args.budget);
    let second = cast(&manifest, &voters[0], &group, &again, &pk, &mut rng)
        .map_err(|e| Failure::Check(e.to_string()))?;
    match bx.submit(second) {
        Outcome::Rejected(reason) => {
            refused += 1;
            say(format!("  refused: voter 0 voted a second time — {reason}"));
        }
        other => return Err(Failure::Check(format!("a double vote was not refused: {other:?}"))),
    }
    // An over-budget attempt: no proof can be produced.
    // Fill options with the bound until the cost exceeds the budget; if even that
    // fits, go one past the bound.
    let mut over = vec![0i64; args.options];
    let mut cost = 0u64;
    for v in over.iter_mut() {
        if cost > args.budget {
            break;
        }
        *v = bound as i64;
        cost += bound * bound;
    }
    if cost <= args.budget {
        over[0] = bound as i64 + 1;
    }
    match cast(&manifest, &voters[1], &group, &over, &pk, &mut rng) {
        Err(e @ (CastError::OverBudget { .. } | CastError::VoteOutOfRange { .. })) => {
            refused += 1;
            say(format!("  refused: voter 1 tried votes {over:?} — {e}"));
        }
        other => return Err(Failure::Check(format!("an over-budget ballot was not refused: {other:?}"))),
    }
    phases.push(("voting", t.elapsed()));

    // 4. Tally.
    let t = Instant::now();
    say("[4/5] tally: ciphertexts are added per option, only the sums are decrypted".into());
    let mut aggregate = Ciphertext::zero(args.options);
    for b in bx.counted() {
        aggregate = aggregate.add(&b.ciphertext).map_err(|e| Failure::Check(e.to_string()))?;
    }
    let range = bx.len() as u64 * bound;
    let points = secret.decrypt_points(&aggregate).map_err(|e| Failure::Check(e.to_string()))?;
    let totals: Vec<i64> = points
        .iter()
        .map(|p| dlog::solve(p, range))
        .collect::<Result<_, _>>()
        .map_err(|e| Failure::Check(e.to_string()))?;
    if totals != plaintext_totals {
        return Err(Failure::Check(format!(
            "tally {totals:?} differs from the votes cast {plaintext_totals:?}"
        )));
    }
    phases.push(("tally", t.elapsed()));

    // 5. Record and audit.
    let t = Instant::now();
    say(format!("[5/5] audit: the public record is written to {} and re-checked from disk", out.display()));
    let roll: String = group.members().iter().map(|m| format!("{}\n", field::to_decimal(m))).collect();
    let log: String = bx
        .log()
        .iter()
        .map(|(b, o)| {
            let outcome = match o {
                Outcome::Rejected(r) => json!({"status": "rejected", "reason": r.to_string()}),
                Outcome::Accepted => json!({"status": "accepted"}),
                Outcome::Replaced => json!({"status": "replaced"}),
            };
            format!("{}\n", json!({"ballot": serde_json::from_str::<serde_json::Value>(&b.to_json()).unwrap_or_default(), "outcome": outcome}))
        })
        .collect();
    let result = json!({
        "version": 1,
        "pollId": field::to_decimal(&poll_id),
        "countedBallots": bx.len(),
        "totals": totals,
    });
    write_files(
        &out,
        &[
            ("manifest.json", manifest.to_json().as_bytes()),
            ("voters.txt", roll.as_bytes()),
            ("ballot_verification_key.json", json::write_verifying_key(&vk).as_bytes()),
            ("ballots.jsonl", log.as_bytes()),
            ("result.json", format!("{result:#}\n").as_bytes()),
        ],
    )?;
    let audited = audit(&out, &secret)?;
    phases.push(("audit", t.elapsed()));

    // Summary.
    let mut s = String::new();
    s.push_str(&format!("\n{:<10} {:>8}\n", "option", "total"));
    for (i, t) in totals.iter().enumerate() {
        s.push_str(&format!("{:<10} {:>8}\n", format!("#{i}"), t));
    }
    s.push_str(&format!(
        "\nballots accepted {}, refused {} (double vote, over budget); credits spent {} of {}\n",
        bx.len(),
        refused,
        credits,
        args.budget * args.voters as u64
    ));
    s.push_str(&format!("audit: {audited}\n\n{:<12} {:>10}\n", "phase", "time"));
    for (name, d) in &phases {
        s.push_str(&format!("{:<12} {:>10}\n", name, ms(*d)));
    }
    s.push_str(&format!("\nrecord: {}\n", out.display()));
    Ok(s)
}

/// Re-reads the record from disk and re-checks it: the roll's root, every counted
/// ballot's proof, nullifier uniqueness, the aggregate and the decrypted totals.
fn audit(dir: &Path, secret: &ElectionSecretKey) -> Result<String, Failure> {
    let read = |name: &str| std::fs::read(dir.join(name)).map_err(|e| Failure::Input(format!("{name}: {e}")));
    let manifest =
        Manifest::from_json(&read("manifest.json")?).map_err(|e| Failure::Check(format!("manifest: {e}")))?;
    let roll =
        String::from_utf8(read("voters.txt")?).map_err(|_| Failure::Check("voters.txt: not UTF-8".into()))?;
    let members = roll
        .lines()
        .map(|l| field::decimal_to_field(l, "voter"))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Failure::Check(format!("voters.txt: {e}")))?;
    let root = Group::from_members(&members).map_err(|e| Failure::Check(format!("voters.txt: {e}")))?.root();
    if !manifest.accepted_roots.contains(&root) {
        return Err(Failure::Check("audit: the roll's root is not the manifest's".into()));
    }
    let vk = json::read_verifying_key(read("ballot_verification_key.json")?)
        .map_err(|e| Failure::Check(format!("verifying key: {e}")))?;
    let pvk = vk
        .prepare(
            &VkPolicy::development().with_pin(
                psephos_snark::VkId::from_hex(&manifest.verifying_key_id)
                    .map_err(|e| Failure::Check(e.to_string()))?,
            ),
        )
        .map_err(|e| Failure::Check(format!("verifying key: {e}")))?;
    let log = String::from_utf8(read("ballots.jsonl")?)
        .map_err(|_| Failure::Check("ballots.jsonl: not UTF-8".into()))?;
    let mut nullifiers = std::collections::BTreeSet::new();
    let mut aggregate = Ciphertext::zero(manifest.options);
    let mut counted = 0usize;
    for (n, line) in log.lines().enumerate() {
        let entry: serde_json::Value = serde_json::from_str(line)
            .map_err(|e| Failure::Check(format!("ballots.jsonl:{}: {e}", n + 1)))?;
        if entry["outcome"]["status"] != "accepted" {
            continue;
        }
        let ballot = Ballot::from_json(entry["ballot"].to_string().as_bytes())
            .map_err(|e| Failure::Check(format!("ballots.jsonl:{}: {e}", n + 1)))?;
        verify_ballot_proof(&manifest, &pvk, &ballot)
            .map_err(|e| Failure::Check(format!("ballots.jsonl:{}: {e}", n + 1)))?;
        if !nullifiers.insert(ballot.nullifier) {
            return Err(Failure::Check(format!("ballots.jsonl:{}: a nullifier is counted twice", n + 1)));
        }
        aggregate = aggregate.add(&ballot.ciphertext).map_err(|e| Failure::Check(e.to_string()))?;
        counted += 1;
    }
    let result: serde_json::Value = serde_json::from_slice(&read("result.json")?)
        .map_err(|e| Failure::Check(format!("result.json: {e}")))?;
    let totals: Vec<i64> = secret
        .decrypt_points(&aggregate)
        .map_err(|e| Failure::Check(e.to_string()))?
        .iter()
        .map(|p| dlog::solve(p, counted as u64 * manifest.bound))
        .collect::<Result<_, _>>()
        .map_err(|e| Failure::Check(e.to_string()))?;
    if result["totals"] != json!(totals) || result["countedBallots"] != json!(counted) {
        return Err(Failure::Check("result.json does not match the recomputed tally".into()));
    }
    let _ = check_votes;
    Ok(format!("ok — roll root, {counted} ballot proofs, nullifiers, aggregate and totals re-checked"))
}
