//! A 3-of-5 election end to end with real Groth16 ballot proofs (2 options, roll
//! depth 2): DKG → durable ballot box → trustee shares → publication → audit; then
//! every single corruption of the record is caught and named (issue 5 §7).

#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use std::path::{Path, PathBuf};

use psephos_ballot::{
    statement::{cast, verify_ballot_proof, BALLOT_MODE},
    Manifest, Outcome, RevotePolicy,
};
use psephos_circuits::ballot::BallotCircuit;
use psephos_election::{
    audit,
    ballot_log::{parse_log, LogEntry},
    record::{self, files, TallyFailure},
    AuditError, AuditOptions, DurableBallotBox,
};
use psephos_identity::{Group, Identity};
use psephos_primitives::{Fr, Point};
use psephos_snark::{dev_setup, json, VkPolicy};
use psephos_tally::{local_dkg, Aggregate, DecryptionShare, TallyError, TallyResult};
use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};

const DEPTH: usize = 2;
const OPTIONS: usize = 2;

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("psephos-record-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

fn opts() -> AuditOptions {
    AuditOptions { allow_development_keys: true }
}

fn run_audit(dir: &Path) -> Result<psephos_election::AuditReport, AuditError> {
    audit(dir, &opts(), &mut ChaCha20Rng::seed_from_u64(99))
}

/// Builds the record; returns its directory and the DKG (for trustee shares).
fn election(dir: &Path) -> (local_dkg::LocalDkg, Vec<i64>) {
    let mut rng = ChaCha20Rng::seed_from_u64(2026);
    let voters: Vec<Identity> = (0..4).map(|i| Identity::from_text(&format!("record voter {i}"))).collect();
    let commitments: Vec<Fr> = voters.iter().map(|v| v.commitment()).collect();
    let group = Group::from_members(&commitments).unwrap();
    let dkg = local_dkg::run(3, 5, OPTIONS as u32, b"record test election", &mut rng).unwrap();
    let (pk, vk) = dev_setup(BallotCircuit::blank(DEPTH, OPTIONS, BALLOT_MODE).unwrap(), &[7u8; 32]).unwrap();
    let manifest = Manifest {
        poll_name: "record".into(),
        poll_id: Fr::from(31337u64),
        options: OPTIONS,
        budget: 9,
        bound: 3,
        max_depth: DEPTH,
        accepted_roots: vec![group.root()],
        election_key: psephos_ballot::ElectionPublicKey::new(dkg.public.public_keys.clone()).unwrap(),
        verifying_key_id: vk.id().to_hex(),
        revote_policy: RevotePolicy::Reject,
    };
    record::write_atomic(dir, files::MANIFEST, manifest.to_json().as_bytes()).unwrap();
    record::write_atomic(dir, files::BALLOT_VK, json::write_verifying_key(&vk).as_bytes()).unwrap();
    record::write_atomic(dir, files::ENROLLMENT, record::enrollment_text(&commitments).as_bytes()).unwrap();
    record::write_atomic(dir, files::DKG_TRANSCRIPT, dkg.transcript.to_json().as_bytes()).unwrap();
    let pvk = vk.prepare(&VkPolicy::development()).unwrap();
    let mut bx =
        DurableBallotBox::open(&dir.join(files::BALLOTS), manifest.clone(), move |m: &Manifest, b| {
            verify_ballot_proof(m, &pvk, b)
        })
        .unwrap();
    let votes = [[3, 0], [-2, 2], [0, -3]];
    for (v, vote) in voters.iter().zip(votes) {
        let b = cast(&manifest, v, &group, &vote, &pk, &mut rng).unwrap();
        assert_eq!(bx.submit(b).unwrap().outcome, Outcome::Accepted);
    }
    // A double vote (refused) and a forged proof (refused).
    let again = cast(&manifest, &voters[0], &group, &[1, 1], &pk, &mut rng).unwrap();
    assert!(matches!(bx.submit(again).unwrap().outcome, Outcome::Rejected(_)));
    let mut forged = cast(&manifest, &voters[3], &group, &[1, -1], &pk, &mut rng).unwrap();
    let other = cast(&manifest, &voters[3], &group, &[2, 2], &pk, &mut rng).unwrap();
    forged.proof = other.proof;
    assert!(matches!(bx.submit(forged).unwrap().outcome, Outcome::Rejected(_)));
    (dkg, vec![1, -1])
}

fn share_files(
    dir: &Path,
    dkg: &local_dkg::LocalDkg,
    trustees: &[u32],
) -> Vec<psephos_tally::Unverified<DecryptionShare>> {
    let mut rng = ChaCha20Rng::seed_from_u64(5);
    trustees
        .iter()
        .map(|&i| {
            let s = record::trustee_decrypt(dir, &dkg.shares[i as usize - 1], &mut rng).unwrap();
            DecryptionShare::from_json(s.to_json().as_bytes()).unwrap()
        })
        .collect()
}

fn rewrite_line(dir: &Path, seq: usize, f: impl FnOnce(&mut LogEntry)) {
    let text = std::fs::read_to_string(dir.join(files::BALLOTS)).unwrap();
    let mut entries = parse_log(&text).unwrap();
    f(&mut entries[seq]);
    let out: String = entries.iter().map(|e| e.to_line() + "\n").collect();
    std::fs::write(dir.join(files::BALLOTS), out).unwrap();
}

fn expect_failure(dir: &Path, item_prefix: &str) {
    match run_audit(dir) {
        Err(AuditError::Failed { item, reason }) => {
            assert!(item.starts_with(item_prefix), "expected {item_prefix}, audit named {item}: {reason}")
        }
        other => panic!("corruption of {item_prefix} not caught: {other:?}"),
    }
}

#[test]
fn three_of_five_election_audits_and_every_single_corruption_is_caught() {
    let dir = tmp("main");
    let (dkg, expected) = election(&dir);

    // Two shares are not enough: an error, and nothing is published.
    let mut rng = ChaCha20Rng::seed_from_u64(6);
    match record::publish_tally(&dir, share_files(&dir, &dkg, &[2, 4]), &mut rng) {
        Err(TallyFailure::Tally {
            error: TallyError::InsufficientShares { valid: 2, threshold: 3 }, ..
        }) => {}
        other => panic!("{other:?}"),
    }
    assert!(!dir.join(files::RESULT).exists() && !dir.join(files::AGGREGATE).exists());

    // Trustees 1, 3, 5 (and a bad share from 2, refused and attributed).
    let mut offered = share_files(&dir, &dkg, &[1, 3, 5]);
    let mut bad = record::trustee_decrypt(&dir, &dkg.shares[1], &mut rng).unwrap();
    bad.partials[0] = bad.partials[0] + Point::BASE8;
    offered.push(DecryptionShare::from_json(bad.to_json().as_bytes()).unwrap());
    let (result, refused) = record::publish_tally(&dir, offered, &mut rng).unwrap();
    assert_eq!(result.totals, expected);
    assert_eq!(refused.len(), 1);
    assert!(matches!(refused[0], (2, TallyError::InvalidShare { trustee: 2, option: 0, .. })));

    let report = run_audit(&dir).unwrap();
    assert_eq!(report.totals, expected);
    assert_eq!((report.submissions, report.rejected, report.counted, report.shares_verified), (5, 2, 3, 3));

    // Any other 3-subset publishes the same result.json, byte for byte.
    let before = std::fs::read(dir.join(files::RESULT)).unwrap();
    let other = tmp("subset");
    copy_dir(&dir, &other);
    std::fs::remove_dir_all(other.join(files::SHARES_DIR)).unwrap();
    record::publish_tally(&other, share_files(&other, &dkg, &[2, 3, 4]), &mut rng).unwrap();
    assert_eq!(std::fs::read(other.join(files::RESULT)).unwrap(), before);
    run_audit(&other).unwrap();

    type Corruption = (&'static str, Box<dyn Fn(&Path)>);
    let corruptions: Vec<Corruption> = vec![
        // One ballot: a counted ballot's ciphertext swapped for its other option's.
        (
            "ballots.jsonl:2",
            Box::new(|d: &Path| {
                rewrite_line(d, 1, |e| e.ballot.ciphertext.c2.swap(0, 1));
            }),
        ),
        // One ballot's outcome: a refused double vote recorded as accepted.
        ("ballots.jsonl:4", Box::new(|d: &Path| rewrite_line(d, 3, |e| e.outcome = Outcome::Accepted))),
        // A ballot dropped from the log.
        (
            "ballots.jsonl:2",
            Box::new(|d: &Path| {
                let text = std::fs::read_to_string(d.join(files::BALLOTS)).unwrap();
                let kept: String = text
                    .lines()
                    .enumerate()
                    .filter(|(i, _)| *i != 1)
                    .map(|(_, l)| format!("{l}\n"))
                    .collect();
                std::fs::write(d.join(files::BALLOTS), kept).unwrap();
            }),
        ),
        // One share.
        (
            "shares/trustee-3.json",
            Box::new(|d: &Path| {
                let p = d.join(files::share(3));
                let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
                let other: serde_json::Value =
                    serde_json::from_slice(&std::fs::read(d.join(files::share(1))).unwrap()).unwrap();
                v["partials"][1]["share"] = other["partials"][1]["share"].clone();
                std::fs::write(&p, serde_json::to_string_pretty(&v).unwrap()).unwrap();
            }),
        ),
        // One aggregate entry.
        (
            "aggregate.json",
            Box::new(|d: &Path| {
                let p = d.join(files::AGGREGATE);
                let mut a = Aggregate::from_json(&std::fs::read(&p).unwrap()).unwrap();
                a.ciphertext.c2[1] = a.ciphertext.c2[1] + Point::BASE8;
                std::fs::write(&p, a.to_json()).unwrap();
            }),
        ),
        // The result.
        (
            "result.json",
            Box::new(|d: &Path| {
                let p = d.join(files::RESULT);
                let mut r = TallyResult::from_json(&std::fs::read(&p).unwrap()).unwrap();
                r.totals[0] += 1;
                std::fs::write(&p, r.to_json()).unwrap();
            }),
        ),
        // The roll: one commitment replaced.
        (
            "enrollment.jsonl",
            Box::new(|d: &Path| {
                let p = d.join(files::ENROLLMENT);
                let mut roll = record::parse_enrollment(&std::fs::read_to_string(&p).unwrap()).unwrap();
                roll[2] = Fr::from(12345u64);
                std::fs::write(&p, record::enrollment_text(&roll)).unwrap();
            }),
        ),
        // The DKG transcript: a different threshold.
        (
            "dkg/transcript.json",
            Box::new(|d: &Path| {
                let p = d.join(files::DKG_TRANSCRIPT);
                let text = std::fs::read_to_string(&p).unwrap();
                std::fs::write(&p, text.replacen("\"threshold\": 3", "\"threshold\": 2", 1)).unwrap();
            }),
        ),
    ];
    for (i, (item, corrupt)) in corruptions.iter().enumerate() {
        let copy = tmp(&format!("corrupt-{i}"));
        copy_dir(&dir, &copy);
        corrupt(&copy);
        expect_failure(&copy, item);
        std::fs::remove_dir_all(&copy).unwrap();
    }
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::remove_dir_all(&other).unwrap();
}
