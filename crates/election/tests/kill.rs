//! Durability under `kill -9` (checklist J1): a child process runs a durable ballot
//! box and prints an acknowledgement after each submission returns; the parent kills
//! it at a random moment, reopens the log, and checks that every acknowledged ballot
//! is there exactly once, with the acknowledged outcome, and that no ballot counts
//! twice — then starts a new child that resubmits the first unacknowledged ballot.
//!
//! The child is this test binary itself, re-run with `PSEPHOS_KILL_CHILD` set.

#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use psephos_ballot::{elgamal::encrypt, Ballot, ElectionSecretKey, Manifest, Outcome, RevotePolicy};
use psephos_election::{ballot_log::BallotLog, DurableBallotBox};
use psephos_primitives::{Fr, Scalar};
use rand_chacha::{rand_core::RngCore, rand_core::SeedableRng, ChaCha20Rng};

const CHILD_ENV: &str = "PSEPHOS_KILL_CHILD";
const TOTAL: u64 = 400;

fn manifest() -> Manifest {
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    Manifest {
        poll_name: "kill".into(),
        poll_id: Fr::from(7u64),
        options: 2,
        budget: 8,
        bound: 2,
        max_depth: 4,
        accepted_roots: vec![Fr::from(9u64)],
        election_key: ElectionSecretKey::random(2, &mut rng).public_key(),
        verifying_key_id: "00".repeat(32),
        revote_policy: RevotePolicy::LastWins,
    }
}

/// Ballot `i`: voter `i % 150` (so later ballots replace earlier ones), every 7th has
/// a proof the stub refuses.
fn ballot(m: &Manifest, i: u64) -> Ballot {
    Ballot {
        poll_id: m.poll_id,
        merkle_root: m.accepted_roots[0],
        nullifier: Fr::from(1000 + i % 150),
        ciphertext: encrypt(&m.election_key, &[(i % 5) as i64 - 2, 1], &Scalar::from(i + 1)).unwrap(),
        proof: serde_json::json!({"ok": i % 7 != 3}),
    }
}

fn stub(_: &Manifest, b: &Ballot) -> Result<(), String> {
    if b.proof["ok"] == true {
        Ok(())
    } else {
        Err("stub refuses".into())
    }
}

/// The child: open the box, submit ballots from `start`, print `ACK i seq status`.
#[test]
fn kill_child() {
    let Ok(dir) = std::env::var(CHILD_ENV) else { return };
    let start: u64 = std::env::var("PSEPHOS_KILL_START").unwrap().parse().unwrap();
    let m = manifest();
    let mut bx = DurableBallotBox::open(&Path::new(&dir).join("ballots.jsonl"), m.clone(), stub).unwrap();
    let mut out = std::io::stdout().lock();
    writeln!(out, "READY").unwrap();
    out.flush().unwrap();
    let mut stdin = std::io::stdin().lock();
    for i in start..TOTAL {
        // Wait for the parent's go-ahead, so the parent controls how far it runs.
        let mut go = String::new();
        if stdin.read_line(&mut go).unwrap() == 0 {
            return;
        }
        let entry = bx.submit(ballot(&m, i)).unwrap();
        let status = match entry.outcome {
            Outcome::Accepted => "accepted".to_string(),
            Outcome::Replaced => "replaced".to_string(),
            Outcome::Rejected(r) => format!("rejected:{r}"),
        };
        writeln!(out, "ACK {i} {} {status}", entry.seq).unwrap();
        out.flush().unwrap();
    }
}

#[test]
fn killed_at_random_points_loses_no_acknowledged_ballot_and_counts_none_twice() {
    if std::env::var(CHILD_ENV).is_ok() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("psephos-kill-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let m = manifest();
    let mut rng = ChaCha20Rng::seed_from_u64(std::process::id() as u64);
    // ballot index -> (seq, status) as acknowledged
    let mut acked: BTreeMap<u64, (u64, String)> = BTreeMap::new();
    let mut next = 0u64;
    let mut rounds = 0;
    let (mut torn, mut replays) = (0, 0u64);
    while next < TOTAL {
        rounds += 1;
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "kill_child", "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, &dir)
            .env("PSEPHOS_KILL_START", next.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            let mut acks = Vec::new();
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if line.ends_with("READY") {
                    let _ = tx.send(());
                } else if let Some(rest) = line.strip_prefix("ACK ") {
                    let mut parts = rest.splitn(3, ' ');
                    let i: u64 = parts.next().unwrap().parse().unwrap();
                    let seq: u64 = parts.next().unwrap().parse().unwrap();
                    acks.push((i, seq, parts.next().unwrap().to_string()));
                    let _ = tx.send(());
                }
            }
            acks
        });
        // Let it run K submissions, wait for the (K − j)-th acknowledgement, then kill
        // it after a random pause: the kill lands anywhere in the last j + 1
        // submissions (deciding, writing, syncing, acknowledging) or while it waits.
        let k = 1 + rng.next_u64() % 30;
        let j = rng.next_u64() % 3;
        let _ = stdin.write_all("go\n".repeat(k as usize).as_bytes());
        let _ = stdin.flush();
        let _ = rx.recv_timeout(Duration::from_secs(60)); // READY
        for _ in 0..k.saturating_sub(j) {
            if rx.recv_timeout(Duration::from_secs(60)).is_err() {
                break;
            }
        }
        std::thread::sleep(Duration::from_micros(rng.next_u64() % 400));
        let _ = child.kill();
        let _ = child.wait();
        let acks = reader.join().unwrap();
        for (i, seq, status) in acks {
            assert!(acked.insert(i, (seq, status)).is_none(), "ballot {i} acknowledged twice");
        }
        // Recovery: reopen the log and check every acknowledgement.
        let raw = std::fs::read(dir.join("ballots.jsonl")).unwrap();
        if raw.last().is_some_and(|b| *b != b'\n') {
            torn += 1;
        }
        let (_, entries) = BallotLog::open(&dir.join("ballots.jsonl")).unwrap();
        for (i, (seq, status)) in &acked {
            let e = &entries[*seq as usize];
            assert_eq!(e.ballot, ballot(&m, *i), "acknowledged ballot {i} is not at seq {seq}");
            let got = match &e.outcome {
                Outcome::Accepted => "accepted".to_string(),
                Outcome::Replaced => "replaced".to_string(),
                Outcome::Rejected(r) => format!("rejected:{r}"),
            };
            assert_eq!(&got, status);
        }
        // Every ballot appears as counted (accepted/replaced) at most once.
        let mut counted_once = BTreeSet::new();
        for e in &entries {
            if !matches!(e.outcome, Outcome::Rejected(_)) {
                let key = format!("{:?}", e.ballot.ciphertext);
                assert!(counted_once.insert(key), "a ballot was counted twice");
            }
        }
        // The first unacknowledged ballot is resubmitted by the next child (it may be
        // in the log already: then it must come back as a replay, not count again).
        next = acked.keys().next_back().map(|i| i + 1).unwrap_or(0);
        if entries.len() as u64 > acked.len() as u64 + replays {
            // Logged but killed before the acknowledgement: the next child resubmits it.
            replays += 1;
        }
        assert!(rounds < 2000, "no progress");
    }
    // Final state: the box's counted set is exactly what a crash-free run counts.
    let bx = DurableBallotBox::open(&dir.join("ballots.jsonl"), m.clone(), stub).unwrap();
    let mut clean = psephos_ballot::BallotBox::new(m.clone(), stub);
    for i in 0..TOTAL {
        clean.submit(ballot(&m, i));
    }
    let a: Vec<&Ballot> = bx.counted().collect();
    let b: Vec<&Ballot> = clean.counted().collect();
    assert_eq!(a, b, "crash-interrupted run counts differently from a clean run");
    assert!(rounds > 3, "the child was killed only {rounds} times");
    eprintln!("{rounds} kills: {torn} torn last lines truncated, {replays} logged-but-unacknowledged ballots resubmitted");
    std::fs::remove_dir_all(&dir).unwrap();
}
