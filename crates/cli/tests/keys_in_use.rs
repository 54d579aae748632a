//! Keys in use (issue 7, item 7): a ceremony for the ballot circuit feeds
//! `psephos election new --keys`, whose ballots are cast and verified without
//! `--insecure-dev-setup`; a development election's ballots are refused without the
//! flag and accepted with it.
//!
//! The full ceremony (phase 1 of power 13, the smallest the ballot circuit fits)
//! takes about 100 s on the 2-core machine: the longest test of the suite, kept
//! because it is the only one that runs a ballot-circuit ceremony end to end. The
//! fast test covers the same wiring with a key directory made by relabelling
//! development keys as ceremony keys — which also shows that psephos cannot tell a
//! ceremony key from any other key by looking at it (hence the pinned id and the
//! published transcript).

use std::path::Path;
use std::process::Output;

mod support;
use support::{commitment, fails, ok, psephos, s};

/// Parses the last line of `text` as JSON (unlike `support::json`, which parses all of it).
fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text.lines().last().expect("a line")).expect("json")
}

fn election_new(group: &Path, out: &Path, extra: &[&str]) -> Output {
    election_new_with(group, out, "2", extra)
}

/// `election new` with `options` options.
fn election_new_with(group: &Path, out: &Path, options: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "election",
        "new",
        "--options",
        options,
        "--budget",
        "4",
        "--group",
        s(group),
        "--scope",
        "poll",
        "--out",
        s(out),
    ];
    args.extend_from_slice(extra);
    psephos(&args)
}

fn cast(election: &Path, group: &Path, key: &str, votes: &str, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "ballot",
        "cast",
        "--election",
        s(election),
        "--private-key",
        key,
        "--group",
        s(group),
        "--votes",
        votes,
        "--out",
        s(out),
    ];
    args.extend_from_slice(extra);
    psephos(&args)
}

fn write_roll(group: &Path) {
    let roll: Vec<String> = ["ann", "ben"].iter().map(|k| commitment(k)).collect();
    std::fs::write(group, format!("{}\n{}\n", roll[0], roll[1])).expect("write");
}

/// A development election (depth 1, 2 options): its ballots are refused without
/// the flag, by the prover and by the verifier, and accepted with it. Returns a
/// ballot cast in it.
fn development_election(group: &Path, dev: &Path, dev_ballot: &Path) -> serde_json::Value {
    fails(&election_new(group, dev, &["--depth", "1"]), 2, "--insecure-dev-setup");
    assert!(!dev.exists());
    let printed =
        json(&ok(&election_new(group, dev, &["--depth", "1", "--insecure-dev-setup", "--seed", "t"])));
    assert_eq!(printed["setup"], "insecure-development");
    fails(&cast(dev, group, "ann", "1,-1", dev_ballot, &[]), 1, "--insecure-dev-setup");
    assert!(!dev_ballot.exists());
    ok(&cast(dev, group, "ann", "1,-1", dev_ballot, &["--insecure-dev-setup"]));
    fails(
        &psephos(&["verify", "ballot", "--election", s(dev), s(dev_ballot)]),
        1,
        "insecure verifying key: made by the insecure development setup",
    );
    fails(
        &psephos(&["verify", "ballot", "--election", s(dev), s(dev_ballot)]),
        1,
        "pass --insecure-dev-setup",
    );
    ok(&psephos(&["verify", "ballot", "--election", s(dev), s(dev_ballot), "--insecure-dev-setup"]));
    printed
}

/// `election new --keys KEYS` into `el`: the wrong option count and the wrong
/// depth are refused (exit 2, nothing written), then the election is made with
/// ceremony keys. Returns what `election new` printed.
fn keys_election(group: &Path, keys: &Path, el: &Path) -> serde_json::Value {
    fails(&election_new_with(group, el, "3", &["--keys", s(keys)]), 2, "options");
    fails(&election_new(group, el, &["--keys", s(keys), "--depth", "2"]), 2, "depth");
    assert!(!el.exists());
    let printed = json(&ok(&election_new(group, el, &["--keys", s(keys)])));
    assert_eq!(printed["setup"], "ceremony");
    printed
}

/// Fast: the `--keys` wiring with a key directory whose keys are development keys
/// with the development marker stripped (`proving_key.bin` setup kind 1 → 0, the
/// JSON's `psephos_setup` removed), plus every refusal.
#[test]
fn election_keys_wiring_and_development_keys_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = |n: &str| dir.path().join(n);
    let group = p("group.txt");
    write_roll(&group);
    let (dev, dev_ballot) = (p("dev-el"), p("dev-ballot.json"));
    let printed = development_election(&group, &dev, &dev_ballot);
    let vk_id = printed["verifyingKeyId"].as_str().expect("id").to_owned();

    // The development keys as they are, offered to --keys: refused (exit 1).
    let keys = p("keys");
    std::fs::create_dir(&keys).expect("mkdir");
    let pk = std::fs::read(dev.join("ballot_proving_key.bin")).expect("read");
    std::fs::write(keys.join("proving_key.bin"), &pk).expect("write");
    std::fs::copy(dev.join("ballot_verification_key.json"), keys.join("verification_key.json"))
        .expect("copy");
    let meta =
        serde_json::json!({ "version": 1, "circuit": "ballot", "maxDepth": 1, "options": 2, "vkId": vk_id });
    std::fs::write(keys.join("setup.json"), meta.to_string()).expect("write");
    let el = p("el");
    fails(&election_new(&group, &el, &["--keys", s(&keys)]), 1, "insecure verifying key");
    assert!(!el.exists());

    // Relabelled: accepted, and its ballots need no flag.
    assert_eq!(pk[16], 1, "development setup kind");
    let mut relabelled = pk[..16].to_vec();
    relabelled.push(0);
    relabelled.extend_from_slice(&pk[25..]);
    std::fs::write(keys.join("proving_key.bin"), &relabelled).expect("write");
    let mut vk: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(keys.join("verification_key.json")).expect("read"))
            .expect("json");
    assert!(vk.as_object_mut().expect("object").remove("psephos_setup").is_some());
    std::fs::write(keys.join("verification_key.json"), vk.to_string()).expect("write");
    // Mismatches: key id, then (in `keys_election`) option count and depth.
    let wrong =
        serde_json::json!({ "version": 1, "circuit": "ballot", "maxDepth": 1, "options": 2, "vkId": "00" });
    std::fs::write(keys.join("setup.json"), wrong.to_string()).expect("write");
    fails(&election_new(&group, &el, &["--keys", s(&keys)]), 2, "do not match");
    std::fs::write(keys.join("setup.json"), meta.to_string()).expect("write");

    let printed = keys_election(&group, &keys, &el);
    assert_eq!(printed["verifyingKeyId"], vk_id.as_str());
    let ballot = p("ballot.json");
    ok(&cast(&el, &group, "ben", "-2,0", &ballot, &[]));
    assert_eq!(json(&ok(&psephos(&["verify", "ballot", "--election", s(&el), s(&ballot)])))["valid"], true);
}

/// The real thing: the ballot circuit at depth 1 with 2 options (8,096 constraints)
/// on an own phase 1 of power 13 with one contribution, one phase-2 contribution,
/// `export-keys`, `election new --keys`, `ballot cast`, `verify ballot` without
/// `--insecure-dev-setup`. 100 s on 2 cores (about 5 minutes on a loaded machine).
#[test]
fn ceremony_keys_for_an_election_and_development_keys_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = |n: &str| dir.path().join(n);
    let group = p("group.txt");
    write_roll(&group);
    let (dev, dev_ballot) = (p("dev-el"), p("dev-ballot.json"));
    development_election(&group, &dev, &dev_ballot);

    // The ceremony: own phase 1 with one contribution, phase 2 with one contribution.
    ok(&psephos(&["ceremony", "ptau-new", "--power", "13", "--out", s(&p("p0.ptau"))]));
    ok(&psephos(&["ceremony", "ptau-contribute", s(&p("p0.ptau")), s(&p("p1.ptau"))]));
    let pin = json(&ok(&psephos(&["ceremony", "ptau-prepare", s(&p("p1.ptau")), s(&p("pf.ptau"))])))["b2sum"]
        .as_str()
        .expect("b2sum")
        .to_owned();
    let ptau = p("pf.ptau");
    ok(&psephos(&[
        "ceremony",
        "init",
        "ballot:1:2",
        "--ptau",
        s(&ptau),
        "--pin",
        &pin,
        "--out",
        s(&p("c0.zkey")),
    ]));
    // The initial key (no contribution) is refused by export-keys.
    let verify = |zkey: &Path, keys: &Path| {
        psephos(&[
            "ceremony",
            "export-keys",
            "ballot:1:2",
            s(zkey),
            "--ptau",
            s(&ptau),
            "--pin",
            &pin,
            "--out",
            s(keys),
        ])
    };
    fails(&verify(&p("c0.zkey"), &p("bad-keys")), 1, "contribution");
    assert!(!p("bad-keys").exists());
    ok(&psephos(&["ceremony", "contribute", s(&p("c0.zkey")), s(&p("c1.zkey")), "--name", "alice"]));
    let keys = p("keys");
    let meta = json(&ok(&verify(&p("c1.zkey"), &keys)));
    assert_eq!(meta["circuit"], "ballot");
    assert_eq!(meta["setup"], "ceremony");
    assert_eq!((meta["maxDepth"].as_u64(), meta["options"].as_u64()), (Some(1), Some(2)));

    // election new --keys: the wrong option count or depth is refused.
    let el = p("el");
    let printed = keys_election(&group, &keys, &el);
    assert_eq!(printed["maxDepth"], 1);
    // The manifest pins the ceremony key's id.
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(el.join("manifest.json")).expect("read"))
            .expect("json");
    assert_eq!(manifest["verifyingKeyId"], meta["vkId"]);
    assert_eq!(printed["verifyingKeyId"], meta["vkId"]);

    // Cast and verify with the ceremony keys: no flag needed.
    let ballot = p("ballot.json");
    ok(&cast(&el, &group, "ben", "-2,0", &ballot, &[]));
    let v = json(&ok(&psephos(&["verify", "ballot", "--election", s(&el), s(&ballot)])));
    assert_eq!(v["valid"], true);
    // A ballot of the development election is not a ballot of this one (another key).
    fails(&psephos(&["verify", "ballot", "--election", s(&el), s(&dev_ballot)]), 1, "bad proof");
}
