//! `psephos setup membership` → `prove membership` → `verify` round trips at
//! depths 1, 20 and 32, the snarkjs cross-check, and the exit-code contract for
//! tampered or malformed artifacts.

use std::path::Path;
use std::process::Command;

mod support;
use support::{commitment, fails, ok, psephos, s};

fn round_trip(dir: &Path, depth: usize, members: usize) {
    let group: String = (0..members).map(|i| format!("{}\n", commitment(&format!("member {i}")))).collect();
    let group_file = dir.join("group.txt");
    std::fs::write(&group_file, group).expect("write");
    let keys = dir.join(format!("keys-{depth}"));
    let out = dir.join(format!("proof-{depth}"));
    let d = depth.to_string();
    ok(&psephos(&["setup", "membership", "--depth", &d, "--out", s(&keys), "--seed", "test"]));
    let me = format!("member {}", members - 1);
    let mut prove = vec![
        "prove",
        "membership",
        "--private-key",
        &me,
        "--group",
        s(&group_file),
        "--message",
        "yes",
        "--scope",
        "poll-7",
        "--keys",
        s(&keys),
        "--out",
        s(&out),
    ];
    // The prover refuses the development key (exit 1, naming the flag; nothing written).
    fails(&psephos(&prove), 1, "--insecure-dev-setup");
    assert!(!out.exists());
    prove.push("--insecure-dev-setup");
    let printed = ok(&psephos(&prove));
    let v: serde_json::Value = serde_json::from_str(&printed).expect("json");
    // The nullifier printed is Poseidon(hash(scope), secret), as `psephos nullifier` computes it.
    let nullifier = ok(&psephos(&["nullifier", "--private-key", &me, "--scope", "poll-7"]));
    assert_eq!(v["nullifier"].as_str().expect("nullifier"), nullifier.trim());
    let vk = keys.join("verification_key.json");
    let proof = out.join("proof.json");
    let public = out.join("public.json");
    // Production policy refuses the development key (exit 1, naming the flag);
    // --insecure-dev-setup accepts it, and so does its hidden alias --dev.
    fails(
        &psephos(&["verify", "--vk", s(&vk), "--proof", s(&proof), "--public", s(&public)]),
        1,
        "insecure verifying key: made by the insecure development setup (whoever knows the seed can forge proofs) (pass --insecure-dev-setup",
    );
    ok(&psephos(&[
        "verify",
        "--insecure-dev-setup",
        "--vk",
        s(&vk),
        "--proof",
        s(&proof),
        "--public",
        s(&public),
    ]));
    ok(&psephos(&["verify", "--dev", "--vk", s(&vk), "--proof", s(&proof), "--public", s(&public)]));

    // Every public signal changed in turn: exit 1, invalid proof.
    let signals: Vec<String> =
        serde_json::from_str(&std::fs::read_to_string(&public).expect("read")).expect("json");
    assert_eq!(signals.len(), 4);
    for i in 0..signals.len() {
        let mut bad = signals.clone();
        bad[i] = if bad[i] == "1" { "2".into() } else { "1".into() };
        let f = dir.join(format!("bad-public-{depth}-{i}.json"));
        std::fs::write(&f, serde_json::to_string(&bad).expect("json")).expect("write");
        fails(
            &psephos(&[
                "verify",
                "--insecure-dev-setup",
                "--vk",
                s(&vk),
                "--proof",
                s(&proof),
                "--public",
                s(&f),
            ]),
            1,
            "does not verify",
        );
    }
}

#[test]
fn round_trips_at_depths_1_20_32() {
    let dir = tempfile::tempdir().expect("tempdir");
    round_trip(dir.path(), 1, 2);
    round_trip(dir.path(), 20, 5);
    round_trip(dir.path(), 32, 3);
}

#[test]
fn malformed_artifacts_exit_2_and_non_members_exit_1() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::write(d.join("group.txt"), format!("{}\n{}\n", commitment("a"), commitment("b")))
        .expect("write");
    let keys = d.join("keys");
    ok(&psephos(&["setup", "membership", "--depth", "2", "--out", s(&keys), "--seed", "x"]));
    fails(&psephos(&["setup", "membership", "--depth", "0", "--out", s(&d.join("k0"))]), 2, "depth");
    fails(&psephos(&["setup", "membership", "--depth", "33", "--out", s(&d.join("k33"))]), 2, "depth");
    assert!(!d.join("k0").exists() && !d.join("k33").exists(), "no output on failure");
    let out = d.join("p");
    let prove = |key: &str| {
        psephos(&[
            "prove",
            "membership",
            "--private-key",
            key,
            "--group",
            s(&d.join("group.txt")),
            "--message",
            "1",
            "--scope",
            "2",
            "--keys",
            s(&keys),
            "--out",
            s(&out),
            "--insecure-dev-setup",
        ])
    };
    fails(&prove("stranger"), 1, "not a member");
    assert!(!out.exists(), "no proof written for a non-member");
    ok(&prove("a"));
    let vk = keys.join("verification_key.json");
    let proof = out.join("proof.json");
    let public = out.join("public.json");
    let text = std::fs::read_to_string(&proof).expect("read");
    for (name, bad) in [
        ("truncated", text[..text.len() / 2].to_string()),
        ("garbage", format!("{text}xx")),
        ("empty", String::new()),
        ("bom", format!("\u{feff}{text}")),
        ("bn254", text.replace("bn128", "bn254")),
        ("protocol", text.replace("groth16", "plonk")),
    ] {
        let f = d.join(format!("proof-{name}.json"));
        std::fs::write(&f, bad).expect("write");
        fails(
            &psephos(&[
                "verify",
                "--insecure-dev-setup",
                "--vk",
                s(&vk),
                "--proof",
                s(&f),
                "--public",
                s(&public),
            ]),
            2,
            "proof",
        );
    }
    let r = "21888242871839275222246405745257275088548364400416034343698204186575808495617";
    let signals: Vec<String> =
        serde_json::from_str(&std::fs::read_to_string(&public).expect("read")).expect("json");
    for (name, bad) in [
        ("modulus", format!("[\"{r}\",\"{}\",\"{}\",\"{}\"]", signals[1], signals[2], signals[3])),
        ("number", format!("[1,\"{}\",\"{}\",\"{}\"]", signals[1], signals[2], signals[3])),
    ] {
        let f = d.join(format!("public-{name}.json"));
        std::fs::write(&f, bad).expect("write");
        fails(
            &psephos(&[
                "verify",
                "--insecure-dev-setup",
                "--vk",
                s(&vk),
                "--proof",
                s(&proof),
                "--public",
                s(&f),
            ]),
            2,
            "public",
        );
    }
    let short = d.join("public-short.json");
    std::fs::write(&short, serde_json::to_string(&signals[..3]).expect("json")).expect("write");
    fails(
        &psephos(&[
            "verify",
            "--insecure-dev-setup",
            "--vk",
            s(&vk),
            "--proof",
            s(&proof),
            "--public",
            s(&short),
        ]),
        1,
        "public inputs",
    );
    fails(
        &psephos(&[
            "verify",
            "--dev",
            "--vk-id",
            &"0".repeat(64),
            "--vk",
            s(&vk),
            "--proof",
            s(&proof),
            "--public",
            s(&public),
        ]),
        1,
        "",
    );
    fails(
        &psephos(&["verify", "--vk", "/nonexistent", "--proof", s(&proof), "--public", s(&public)]),
        2,
        "cannot read",
    );
}

#[test]
fn snarkjs_accepts_a_cli_proof() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let cli = root.join("interop/node_modules/snarkjs/build/cli.cjs");
    assert!(cli.exists(), "snarkjs is missing: run `bash interop/setup.sh` (scripts/test.sh does)");
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::write(
        d.join("group.txt"),
        format!("{}\n{}\n{}\n", commitment("x"), commitment("y"), commitment("z")),
    )
    .expect("write");
    ok(&psephos(&["setup", "membership", "--depth", "4", "--out", s(&d.join("k")), "--seed", "s"]));
    ok(&psephos(&[
        "prove",
        "membership",
        "--private-key",
        "z",
        "--group",
        s(&d.join("group.txt")),
        "--message",
        "m",
        "--scope",
        "s",
        "--keys",
        s(&d.join("k")),
        "--out",
        s(&d.join("p")),
        "--insecure-dev-setup",
    ]));
    let node = std::env::var("PSEPHOS_NODE").unwrap_or_else(|_| "node".into());
    let o = Command::new(node)
        .arg(&cli)
        .args(["groth16", "verify"])
        .arg(d.join("k/verification_key.json"))
        .arg(d.join("p/public.json"))
        .arg(d.join("p/proof.json"))
        .output()
        .expect("node runs");
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success() && text.contains("OK"), "snarkjs said: {text}");
}
