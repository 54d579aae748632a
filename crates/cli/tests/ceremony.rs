//! `psephos ceremony`: a three-contributor ceremony with a beacon on the Hermez
//! power-8 phase 1, checked by psephos and by `snarkjs zkey verify`, and the exit
//! codes of every refusal (1 = a named check failed, 2 = malformed input or usage).
//! Needs snarkjs (`bash interop/setup.sh`); fails, never skips, without it.

use std::path::PathBuf;
use std::process::Command;

use psephos_ceremony::r1cs::{Constraint, R1cs};

mod support;
use support::{fails, json, ok, psephos, s};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// x·x = y, y·x = z with public z (wires: 1, z, x, y).
fn tiny() -> R1cs {
    let one = ark_bn254::Fr::from(1u64);
    R1cs {
        n_wires: 4,
        n_pub_out: 0,
        n_pub_in: 1,
        n_prv_in: 0,
        n_labels: 4,
        constraints: vec![
            Constraint { a: vec![(2, one)], b: vec![(2, one)], c: vec![(3, one)] },
            Constraint { a: vec![(3, one)], b: vec![(2, one)], c: vec![(1, one)] },
        ],
        wire_to_label: vec![0, 1, 2, 3],
    }
}

#[test]
fn three_contributors_and_a_beacon_then_refusals() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let ptau = repo().join("test-vectors/ceremony/powersOfTau28_hez_final_08.ptau");
    let r1cs = d.join("tiny.r1cs");
    std::fs::write(&r1cs, tiny().to_bytes()).expect("write");
    let p = |n: &str| d.join(n);

    let v = json(&ok(&psephos(&["ceremony", "ptau-verify", s(&ptau)])));
    assert_eq!((v["power"].as_u64(), v["pinned"].as_str()), (Some(8), Some("hermez")));

    ok(&psephos(&["ceremony", "init", s(&r1cs), "--ptau", s(&ptau), "--out", s(&p("c0.zkey"))]));
    let mut hashes = Vec::new();
    for (i, name) in ["alice", "bob", "carol"].iter().enumerate() {
        let out = ok(&psephos(&[
            "ceremony",
            "contribute",
            s(&p(&format!("c{i}.zkey"))),
            s(&p(&format!("c{}.zkey", i + 1))),
            "--name",
            name,
        ]));
        hashes.push(json(&out)["contributionHash"].as_str().expect("hash").to_owned());
    }
    let beacon = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    ok(&psephos(&[
        "ceremony",
        "beacon",
        s(&p("c3.zkey")),
        s(&p("final.zkey")),
        "--beacon",
        beacon,
        "--iter-exp",
        "10",
    ]));

    let verify = |zkey: &str, extra: &[&str]| {
        let mut args = vec!["ceremony", "verify", s(&r1cs), zkey, "--ptau", s(&ptau)];
        args.extend_from_slice(extra);
        psephos(&args)
    };
    let report = json(&ok(&verify(s(&p("final.zkey")), &["--min-contributions", "3", "--beacon", beacon])));
    let listed: Vec<&str> = report["contributions"]
        .as_array()
        .expect("list")
        .iter()
        .map(|c| c["hash"].as_str().expect("hash"))
        .collect();
    assert_eq!(listed[..3], hashes.iter().map(String::as_str).collect::<Vec<_>>()[..]);

    // snarkjs agrees.
    let node = std::env::var("PSEPHOS_NODE").unwrap_or_else(|_| "node".to_owned());
    let cli = repo().join("interop/node_modules/snarkjs/build/cli.cjs");
    assert!(cli.is_file(), "snarkjs missing: run `bash interop/setup.sh`");
    let out = Command::new(&node)
        .arg(&cli)
        .args(["zkey", "verify", s(&r1cs), s(&ptau), s(&p("final.zkey"))])
        .output()
        .expect("node runs");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("ZKey Ok!"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    // Verifying key out.
    ok(&psephos(&["ceremony", "export-vk", s(&p("final.zkey")), "--out", s(&p("vk.json"))]));
    fails(&psephos(&["ceremony", "export-vk", s(&p("c0.zkey")), "--out", s(&p("vk0.json"))]), 1, "gamma");

    // Refusals, each naming its check.
    fails(&verify(s(&p("c0.zkey")), &[]), 1, "0 real contribution(s)");
    fails(&verify(s(&p("final.zkey")), &["--min-contributions", "4"]), 1, "at least 4 required");
    fails(&verify(s(&p("final.zkey")), &["--beacon", "01"]), 1, "announced");
    fails(
        &psephos(&["ceremony", "contribute", s(&p("final.zkey")), s(&p("after.zkey"))]),
        2,
        "no contribution may follow",
    );
    // Tampered transcript (the first contribution's transcript is in section 10, the last 64+… bytes region).
    let mut bytes = std::fs::read(p("c1.zkey")).expect("read");
    let n = bytes.len();
    bytes[n - 20] ^= 1; // inside the only contribution's transcript
    std::fs::write(p("t.zkey"), &bytes).expect("write");
    fails(&verify(s(&p("t.zkey")), &[]), 1, "transcript");
    // Trailing data and truncation: malformed (2).
    let mut bytes = std::fs::read(p("final.zkey")).expect("read");
    bytes.push(0);
    std::fs::write(p("x.zkey"), &bytes).expect("write");
    fails(&verify(s(&p("x.zkey")), &[]), 2, "zkey");
    std::fs::write(p("y.zkey"), &bytes[..bytes.len() / 2]).expect("write");
    fails(&verify(s(&p("y.zkey")), &[]), 2, "truncated");
    // A key for another circuit.
    let mut other = tiny();
    other.constraints[0].c = vec![(1, ark_bn254::Fr::from(1u64))];
    other.constraints[1].c = vec![(3, ark_bn254::Fr::from(1u64))];
    std::fs::write(p("other.r1cs"), other.to_bytes()).expect("write");
    fails(
        &psephos(&["ceremony", "verify", s(&p("other.r1cs")), s(&p("final.zkey")), "--ptau", s(&ptau)]),
        1,
        "another circuit",
    );
    // A ptau that is not pinned.
    let mut pt = std::fs::read(&ptau).expect("read");
    let n = pt.len();
    pt[n - 1] ^= 1;
    std::fs::write(p("bad.ptau"), &pt).expect("write");
    fails(
        &psephos(&["ceremony", "init", s(&r1cs), "--ptau", s(&p("bad.ptau")), "--out", s(&p("z.zkey"))]),
        1,
        "not a pinned",
    );
}

/// The "done when": a three-contributor ceremony for the membership
/// circuit (depth 1, on a psephos phase 1 of power 11), verified by psephos and by
/// snarkjs, whose keys prove membership for `psephos verify` (no `--dev`) and for
/// `snarkjs groth16 verify`.
#[test]
fn membership_ceremony_from_the_cli() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = |n: &str| dir.path().join(n);
    ok(&psephos(&["ceremony", "ptau-new", "--power", "11", "--out", s(&p("p0.ptau"))]));
    ok(&psephos(&["ceremony", "ptau-contribute", s(&p("p0.ptau")), s(&p("p1.ptau"))]));
    let pin = json(&ok(&psephos(&["ceremony", "ptau-prepare", s(&p("p1.ptau")), s(&p("pf.ptau"))])))["b2sum"]
        .as_str()
        .expect("b2sum")
        .to_owned();
    let ptau = p("pf.ptau");
    // Not pinned: refused.
    fails(
        &psephos(&["ceremony", "init", "membership:1", "--ptau", s(&ptau), "--out", s(&p("c0.zkey"))]),
        1,
        "pinned",
    );
    ok(&psephos(&[
        "ceremony",
        "init",
        "membership:1",
        "--ptau",
        s(&ptau),
        "--pin",
        &pin,
        "--out",
        s(&p("c0.zkey")),
    ]));
    for (i, name) in ["alice", "bob", "carol"].iter().enumerate() {
        ok(&psephos(&[
            "ceremony",
            "contribute",
            s(&p(&format!("c{i}.zkey"))),
            s(&p(&format!("c{}.zkey", i + 1))),
            "--name",
            name,
        ]));
    }
    let common = ["--ptau", s(&ptau), "--pin", &pin, "--min-contributions", "3"];
    let (c3, keys) = (p("c3.zkey"), p("keys"));
    let mut args = vec!["ceremony", "verify", "membership:1", s(&c3)];
    args.extend_from_slice(&common);
    let report = json(&ok(&psephos(&args)));
    assert_eq!(report["contributions"].as_array().expect("list").len(), 3);
    let mut args = vec!["ceremony", "export-keys", "membership:1", s(&c3)];
    args.extend_from_slice(&common);
    args.extend_from_slice(&["--out", s(&keys)]);
    ok(&psephos(&args));

    // snarkjs verifies the ceremony.
    let node = std::env::var("PSEPHOS_NODE").unwrap_or_else(|_| "node".to_owned());
    let cli = repo().join("interop/node_modules/snarkjs/build/cli.cjs");
    ok(&psephos(&["ceremony", "r1cs-export", "membership:1", "--out", s(&p("m1.r1cs"))]));
    let out = Command::new(&node)
        .arg(&cli)
        .args(["zkey", "verify", s(&p("m1.r1cs")), s(&ptau), s(&p("c3.zkey"))])
        .output()
        .expect("node runs");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("ZKey Ok!"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    // A membership proof with the ceremony keys verifies in psephos (production policy) and snarkjs.
    let show = json(&ok(&psephos(&["identity", "show", "--private-key", "alice"])));
    std::fs::write(p("group.txt"), format!("{}\n", show["commitment"].as_str().expect("commitment")))
        .expect("write");
    ok(&psephos(&[
        "prove",
        "membership",
        "--private-key",
        "alice",
        "--group",
        s(&p("group.txt")),
        "--message",
        "yes",
        "--scope",
        "poll",
        "--keys",
        s(&p("keys")),
        "--out",
        s(&p("proof")),
    ]));
    let vk = p("keys/verification_key.json");
    let (proof, public) = (p("proof/proof.json"), p("proof/public.json"));
    ok(&psephos(&["verify", "--vk", s(&vk), "--proof", s(&proof), "--public", s(&public)]));
    let out = Command::new(&node)
        .arg(&cli)
        .args(["groth16", "verify", s(&vk), s(&public), s(&proof)])
        .output()
        .expect("node runs");
    assert!(String::from_utf8_lossy(&out.stdout).contains("OK"), "{}", String::from_utf8_lossy(&out.stdout));
}
