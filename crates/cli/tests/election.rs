//! `psephos election new` → `ballot cast` → `verify ballot`, and `psephos demo`:
//! happy paths, refusals (exit 1, nothing written) and malformed input (exit 2).

use std::path::Path;

mod support;
use support::{commitment, fails, ok, psephos, s};

#[test]
fn election_ballot_round_trip_and_refusals() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let group = d.join("group.txt");
    std::fs::write(&group, format!("{}\n{}\n{}\n", commitment("ann"), commitment("ben"), commitment("cat")))
        .expect("write");
    let el = d.join("el");
    let el2 = d.join("el2");
    let summary = ok(&psephos(&[
        "election",
        "new",
        "--options",
        "3",
        "--budget",
        "9",
        "--group",
        s(&group),
        "--scope",
        "poll-A",
        "--depth",
        "3",
        "--insecure-dev-setup",
        "--seed",
        "t",
        "--out",
        s(&el),
    ]));
    let v: serde_json::Value = serde_json::from_str(&summary).expect("json");
    assert_eq!(v["bound"], 3, "default bound is floor(sqrt(9))");
    ok(&psephos(&[
        "election",
        "new",
        "--options",
        "3",
        "--budget",
        "9",
        "--group",
        s(&group),
        "--scope",
        "poll-B",
        "--depth",
        "3",
        "--insecure-dev-setup",
        "--seed",
        "t",
        "--out",
        s(&el2),
    ]));
    for f in ["manifest.json", "ballot_verification_key.json", "ballot_proving_key.bin"] {
        assert!(el.join(f).exists(), "{f}");
    }
    let cast = |key: &str, votes: &[&str], out: &Path, election: &Path| {
        let mut args =
            vec!["ballot", "cast", "--election", s(election), "--private-key", key, "--group", s(&group)];
        args.extend_from_slice(votes);
        args.extend_from_slice(&["--out", s(out), "--insecure-dev-setup"]);
        psephos(&args)
    };
    // Negative votes work with and without '='; exactly at the budget (2² + 2² + 1² = 9).
    let b1 = d.join("b1.json");
    ok(&cast("ann", &["--votes", "-2,2,1"], &b1, &el));
    let b2 = d.join("b2.json");
    ok(&cast("ben", &["--votes=-1,0,-2"], &b2, &el));
    // The development keys are refused without the flag (exit 1, naming it).
    fails(&psephos(&["verify", "ballot", "--election", s(&el), s(&b1)]), 1, "--insecure-dev-setup");
    ok(&psephos(&["verify", "ballot", "--insecure-dev-setup", "--election", s(&el), s(&b1)]));
    ok(&psephos(&["verify", "ballot", "--dev", "--election", s(&el), s(&b2)]));
    let b4 = d.join("b4.json");
    let mut refused =
        vec!["ballot", "cast", "--election", s(&el), "--private-key", "cat", "--group", s(&group)];
    refused.extend_from_slice(&["--votes", "1,1,1", "--out", s(&b4)]);
    fails(&psephos(&refused), 1, "--insecure-dev-setup");
    assert!(!b4.exists());

    // Over budget and out of range: exit 1, no file written.
    let b3 = d.join("b3.json");
    fails(&cast("cat", &["--votes", "2,2,2"], &b3, &el), 1, "over the budget");
    fails(&cast("cat", &["--votes=-4,0,0"], &b3, &el), 1, "outside");
    fails(&cast("cat", &["--votes", "1,1"], &b3, &el), 1, "expected 3 votes");
    fails(&cast("stranger", &["--votes", "1,1,1"], &b3, &el), 1, "not a member");
    assert!(!b3.exists());
    fails(&cast("cat", &["--votes", "1,x,1"], &b3, &el), 2, "invalid");

    // A ballot for poll A checked against poll B: wrong poll (exit 1).
    fails(
        &psephos(&["verify", "ballot", "--insecure-dev-setup", "--election", s(&el2), s(&b1)]),
        1,
        "wrong poll",
    );
    // Tampered ciphertext: bad proof (exit 1).
    let mut ballot: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&b1).expect("read")).expect("json");
    let c2 = ballot["ciphertext"]["c2"].as_array_mut().expect("c2");
    c2.swap(0, 1);
    let tampered = d.join("tampered.json");
    std::fs::write(&tampered, ballot.to_string()).expect("write");
    fails(
        &psephos(&["verify", "ballot", "--insecure-dev-setup", "--election", s(&el), s(&tampered)]),
        1,
        "bad proof",
    );
    // Malformed: a point off the curve, an unknown field, garbage (exit 2).
    let mut ballot: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&b1).expect("read")).expect("json");
    ballot["ciphertext"]["c1"] = serde_json::json!(["1", "1"]);
    std::fs::write(&tampered, ballot.to_string()).expect("write");
    fails(
        &psephos(&["verify", "ballot", "--insecure-dev-setup", "--election", s(&el), s(&tampered)]),
        2,
        "not on the Baby Jubjub curve",
    );
    let mut ballot: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&b1).expect("read")).expect("json");
    ballot["extra"] = serde_json::json!(1);
    std::fs::write(&tampered, ballot.to_string()).expect("write");
    fails(
        &psephos(&["verify", "ballot", "--insecure-dev-setup", "--election", s(&el), s(&tampered)]),
        2,
        "unknown field",
    );
    std::fs::write(&tampered, "{").expect("write");
    fails(
        &psephos(&["verify", "ballot", "--insecure-dev-setup", "--election", s(&el), s(&tampered)]),
        2,
        "malformed",
    );
    // Bad election parameters: exit 2, nothing written.
    let bad = d.join("bad");
    fails(
        &psephos(&[
            "election",
            "new",
            "--options",
            "0",
            "--budget",
            "9",
            "--group",
            s(&group),
            "--scope",
            "p",
            "--insecure-dev-setup",
            "--out",
            s(&bad),
        ]),
        2,
        "option",
    );
    // Neither ceremony keys nor the flag: refused (exit 2, naming both), nothing written.
    fails(
        &psephos(&[
            "election",
            "new",
            "--options",
            "3",
            "--budget",
            "9",
            "--group",
            s(&group),
            "--scope",
            "p",
            "--out",
            s(&bad),
        ]),
        2,
        "give --keys DIR",
    );
    fails(
        &psephos(&[
            "election",
            "new",
            "--options",
            "3",
            "--budget",
            "9",
            "--group",
            s(&group),
            "--scope",
            "p",
            "--out",
            s(&bad),
        ]),
        2,
        "--insecure-dev-setup",
    );
    // Development keys offered as ceremony keys: refused (exit 1), and a directory
    // that is not a ballot key directory (exit 2).
    let fake = d.join("fake-keys");
    std::fs::create_dir(&fake).expect("mkdir");
    std::fs::copy(el.join("ballot_proving_key.bin"), fake.join("proving_key.bin")).expect("copy");
    std::fs::copy(el.join("ballot_verification_key.json"), fake.join("verification_key.json")).expect("copy");
    let vk_id = serde_json::from_str::<serde_json::Value>(&summary).expect("json")["verifyingKeyId"].clone();
    let meta =
        serde_json::json!({ "version": 1, "circuit": "ballot", "maxDepth": 3, "options": 3, "vkId": vk_id });
    std::fs::write(fake.join("setup.json"), meta.to_string()).expect("write");
    let with_keys = |keys: &Path| {
        psephos(&[
            "election",
            "new",
            "--options",
            "3",
            "--budget",
            "9",
            "--group",
            s(&group),
            "--scope",
            "p",
            "--keys",
            s(keys),
            "--out",
            s(&bad),
        ])
    };
    fails(&with_keys(&fake), 1, "insecure verifying key");
    fails(
        &psephos(&[
            "election",
            "new",
            "--options",
            "3",
            "--budget",
            "9",
            "--group",
            s(&group),
            "--scope",
            "p",
            "--keys",
            s(&el),
            "--out",
            s(&bad),
        ]),
        2,
        "setup.json",
    );
    std::fs::write(fake.join("setup.json"), meta.to_string().replace("ballot", "membership")).expect("write");
    fails(&with_keys(&fake), 2, "not a version-1 ballot-circuit key directory");
    assert!(!bad.exists());
}

#[test]
fn demo_runs_a_small_election() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("record");
    let args = |out: &Path| -> Vec<String> {
        [
            "demo",
            "--voters",
            "3",
            "--options",
            "2",
            "--budget",
            "6",
            "--depth",
            "3",
            "--trustees",
            "2/3",
            "--out",
        ]
        .iter()
        .map(|a| a.to_string())
        .chain([s(out).to_string()])
        .collect()
    };
    let run = |out: &Path| {
        let a = args(out);
        psephos(&a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let o = run(&out);
    let text = ok(&o);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("duplicate enrollment"), "{err}");
    assert!(err.contains("duplicate nullifier"), "{err}");
    assert!(err.contains("over the budget"), "{err}");
    assert!(text.contains("voters enrolled 3, enrollment refused 1"), "{text}");
    assert!(text.contains("ballots accepted 3, refused 2"), "{text}");
    assert!(text.contains("audit: ok"), "{text}");
    let files = [
        "manifest.json",
        "policy.json",
        "enrollment.jsonl",
        "ballot_verification_key.json",
        "dkg/transcript.json",
        "ballots.jsonl",
        "aggregate.json",
        "shares/trustee-1.json",
        "shares/trustee-2.json",
        "result.json",
    ];
    for f in files {
        assert!(out.join(f).exists(), "{f}");
    }
    assert!(!out.join("shares/trustee-3.json").exists(), "t = 2 shares suffice; trustee 3 stays offline");
    let result: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("result.json")).expect("read")).expect("json");
    assert_eq!(result["countedBallots"], 3);
    // The record audits from the CLI; one changed total is caught and named.
    let audited = ok(&psephos(&["audit", "--dev", s(&out)]));
    assert!(audited.contains("audit: ok"), "{audited}");
    // Same seed, same record, byte for byte: the demo is reproducible.
    let out2 = dir.path().join("record2");
    ok(&run(&out2));
    for f in files {
        assert_eq!(
            std::fs::read(out.join(f)).expect("read"),
            std::fs::read(out2.join(f)).expect("read"),
            "{f}"
        );
    }
    let tampered = std::fs::read_to_string(out2.join("result.json")).expect("read").replacen(
        "\"totals\": [",
        "\"totals\": [1",
        1,
    );
    std::fs::write(out2.join("result.json"), tampered).expect("write");
    fails(&psephos(&["audit", "--dev", s(&out2)]), 1, "result.json");
    // The roll is the registrars' attested log: one altered entry is caught and named.
    let log = std::fs::read_to_string(out.join("enrollment.jsonl")).expect("read");
    let second = log.lines().nth(1).expect("two entries").to_string();
    let altered = second.replacen("\"position\":1", "\"position\":2", 1);
    assert_ne!(altered, second);
    std::fs::write(out.join("enrollment.jsonl"), log.replacen(&second, &altered, 1)).expect("write");
    fails(&psephos(&["audit", "--dev", s(&out)]), 1, "enrollment.jsonl: entry 1");
    // Bad parameters are usage errors.
    fails(&psephos(&["demo", "--trustees", "4/3", "--out", s(&dir.path().join("x"))]), 2, "--trustees");
}
