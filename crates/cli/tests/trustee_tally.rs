//! A 3-of-5 election end to end from CLI files: `trustee keygen/session/round1/
//! round2/finish/publish` → `ballot cast` → `submit` → `tally --secret-share` (three
//! trustees) → `tally --share` → `audit`; fewer than t shares publishes nothing
//! (exit 1); a tampered record fails the audit (exit 1, item named); a missing
//! record is exit 2.

use std::path::PathBuf;

mod support;
use support::{commitment, fails, json, ok, psephos, s};

#[test]
fn three_of_five_election_from_cli_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let voters = ["ann", "ben", "cat"];
    let group = d.join("group.txt");
    let roll: String = voters.iter().map(|v| format!("{}\n", commitment(v))).collect();
    std::fs::write(&group, roll).expect("write");
    let el = d.join("el");
    ok(&psephos(&[
        "election",
        "new",
        "--options",
        "2",
        "--budget",
        "9",
        "--group",
        s(&group),
        "--scope",
        "cli poll",
        "--depth",
        "2",
        "--seed",
        "trustee test",
        "--insecure-dev-setup",
        "--out",
        s(&el),
    ]));

    // The DKG, every message a file.
    let p = |name: String| -> PathBuf { d.join(name) };
    let mut publics = Vec::new();
    for i in 1..=5 {
        let out = ok(&psephos(&["trustee", "keygen", "--out", s(&p(format!("t{i}.key")))]));
        publics.push(json(&out)["publicKey"].as_str().expect("pk").to_string());
    }
    let session = p("session.json".into());
    let mut args: Vec<String> =
        ["trustee", "session", "--threshold", "3", "--options", "2", "--context", "cli poll"]
            .map(String::from)
            .to_vec();
    for pk in &publics {
        args.push("--participant".into());
        args.push(pk.clone());
    }
    args.extend(["--out".into(), s(&session).into()]);
    ok(&psephos(&args.iter().map(String::as_str).collect::<Vec<_>>()));
    let r1: Vec<PathBuf> = (1..=5).map(|i| p(format!("r1-{i}.json"))).collect();
    let r2: Vec<PathBuf> = (1..=5).map(|i| p(format!("r2-{i}.json"))).collect();
    for i in 1..=5usize {
        let (idx, key) = (i.to_string(), p(format!("t{i}.key")));
        ok(&psephos(&[
            "trustee",
            "round1",
            "--session",
            s(&session),
            "--index",
            &idx,
            "--key",
            s(&key),
            "--out",
            s(&r1[i - 1]),
        ]));
    }
    let with = |flag: &str, files: &[PathBuf]| -> Vec<String> {
        let mut v = vec![flag.to_string()];
        v.extend(files.iter().map(|f| s(f).to_string()));
        v
    };
    for (round, outs) in [("round2", &r2), ("finish", &r2)] {
        for i in 1..=5usize {
            let mut a: Vec<String> =
                ["trustee", round, "--session", s(&session), "--index", &i.to_string(), "--key"]
                    .map(String::from)
                    .to_vec();
            a.push(s(&p(format!("t{i}.key"))).into());
            a.extend(with("--round1", &r1));
            let out = if round == "finish" {
                a.extend(with("--round2", &r2));
                p(format!("share-{i}.json"))
            } else {
                outs[i - 1].clone()
            };
            a.extend(["--out".into(), s(&out).into()]);
            ok(&psephos(&a.iter().map(String::as_str).collect::<Vec<_>>()));
        }
    }
    let rec = d.join("record");
    let mut a: Vec<String> = ["trustee", "publish", "--session", s(&session)].map(String::from).to_vec();
    a.extend(with("--round1", &r1));
    a.extend(with("--round2", &r2));
    a.extend(["--election", s(&el), "--group", s(&group), "--record", s(&rec)].map(String::from));
    ok(&psephos(&a.iter().map(String::as_str).collect::<Vec<_>>()));

    // Voting: three ballots and a repeat.
    let votes = ["3,0", "-2,2", "0,-3"];
    let mut ballots = Vec::new();
    for (v, vote) in voters.iter().zip(votes) {
        let b = p(format!("ballot-{v}.json"));
        ok(&psephos(&[
            "ballot",
            "cast",
            "--election",
            s(&rec),
            "--private-key",
            v,
            "--group",
            s(&group),
            "--votes",
            vote,
            "--out",
            s(&b),
            "--insecure-dev-setup",
        ]));
        ballots.push(b);
    }
    let out = ok(&psephos(&[
        "submit",
        s(&rec),
        s(&ballots[0]),
        s(&ballots[1]),
        s(&ballots[2]),
        s(&ballots[0]),
        "--dev",
    ]));
    let statuses: Vec<String> =
        out.lines().map(|l| json(l)["status"].as_str().expect("status").to_string()).collect();
    assert_eq!(statuses, ["accepted", "accepted", "accepted", "rejected"]);

    // Trustees 1, 3, 5 decrypt; two shares are not enough and publish nothing.
    let parts: Vec<PathBuf> = [1, 3, 5].iter().map(|i| p(format!("partial-{i}.json"))).collect();
    for (i, part) in [1, 3, 5].iter().zip(&parts) {
        ok(&psephos(&[
            "tally",
            s(&rec),
            "--secret-share",
            s(&p(format!("share-{i}.json"))),
            "--out",
            s(part),
        ]));
    }
    fails(
        &psephos(&["tally", s(&rec), "--share", s(&parts[0]), s(&parts[1])]),
        1,
        "only 2 valid decryption shares",
    );
    assert!(!rec.join("result.json").exists());
    let out = ok(&psephos(&["tally", s(&rec), "--share", s(&parts[0]), s(&parts[1]), s(&parts[2])]));
    assert_eq!(json(&out)["totals"], serde_json::json!([1, -1]));

    let report = ok(&psephos(&["audit", s(&rec), "--dev"]));
    assert!(report.contains("audit: ok"), "{report}");
    // Without --dev the development verifying key is refused.
    fails(&psephos(&["audit", s(&rec)]), 1, "ballot_verification_key.json");
    // Tampering: the result.
    let result = std::fs::read_to_string(rec.join("result.json")).expect("read");
    std::fs::write(rec.join("result.json"), result.replace("-1", "-2")).expect("write");
    fails(&psephos(&["audit", s(&rec), "--dev"]), 1, "result.json");
    fails(&psephos(&["audit", s(&d.join("missing")), "--dev"]), 2, "not a directory");
}
