//! `psephos registrar …`, `psephos enroll`, `psephos registry …`: a roll built
//! by three registrars (k = 2) through the CLI replays to the root the identity
//! crate computes; refusals exit 1 naming the entry, malformed input exits 2.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::Output;

use psephos_identity::{Group, Identity};
use psephos_primitives::field;

mod support;
use support::{fails, ok, psephos, s};

fn tag(dir: &Path, via: &[u32], evidence: &str) -> String {
    let reg = |i: u32| dir.join(format!("registrar-{i}.json"));
    let policy = dir.join("policy.json");
    let (first, rest) = via.split_first().unwrap();
    let mut args = vec!["registrar".to_string(), "tag".into(), "--policy".into(), s(&policy).into()];
    args.extend(["--registrar".into(), s(&reg(*first)).into(), "--with".into()]);
    args.extend(rest.iter().map(|i| s(&reg(*i)).to_string()));
    args.extend(["--evidence".into(), evidence.into()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    ok(&psephos(&args)).trim().to_string()
}

/// Registrars `by` attest (commitment, tag); then `enroll` appends. Returns enroll's output.
fn enroll(dir: &Path, by: &[u32], commitment: &str, tag: &str, remove: bool) -> Output {
    let log = dir.join("enrollment.jsonl");
    let mut files = Vec::new();
    for i in by {
        let mut args = vec!["registrar", "attest", "--log", s(&log)];
        let reg = dir.join(format!("registrar-{i}.json"));
        args.extend(["--registrar", s(&reg), "--commitment", commitment, "--tag", tag]);
        if remove {
            args.push("--remove");
        }
        let out = ok(&psephos(&args));
        let f = dir.join(format!("att-{i}.json"));
        std::fs::write(&f, out).unwrap();
        files.push(f);
    }
    let mut args = vec!["enroll", "--log", s(&log), "--commitment", commitment, "--tag", tag];
    if remove {
        args.push("--remove");
    }
    args.extend(files.iter().map(|f| s(f)));
    psephos(&args)
}

#[test]
fn three_registrars_build_a_roll_that_replays() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("reg");
    ok(&psephos(&[
        "registry",
        "setup",
        "--group-id",
        "town-hall",
        "--registrars",
        "3",
        "--threshold",
        "2",
        "--out",
        s(&dir),
    ]));
    let log = dir.join("enrollment.jsonl");

    let people: Vec<String> = (0..4)
        .map(|i| field::to_decimal(&Identity::from_text(&format!("cli person {i}")).commitment()))
        .collect();
    let vias: [[u32; 2]; 4] = [[1, 2], [2, 3], [3, 1], [1, 3]];
    let mut tags = Vec::new();
    for (i, p) in people.iter().enumerate() {
        let t = tag(&dir, &vias[i], &format!("passport:{i}"));
        ok(&enroll(&dir, &vias[i], p, &t, false));
        tags.push(t);
    }
    // Remove person 1 (k attestations), then verify.
    ok(&enroll(&dir, &[1, 2], &people[1], &tags[1], true));
    let out = ok(&psephos(&["registry", "verify", s(&log)]));
    let root = out.lines().last().unwrap();
    let mut group = Group::new();
    for p in &people {
        group.add_member(field::from_decimal(p).unwrap()).unwrap();
    }
    group.remove_member(1).unwrap();
    assert_eq!(root, field::to_decimal(&group.root()));

    // Same evidence through other registrars: same tag, enrollment refused (exit 1).
    let again = tag(&dir, &[3, 2], "passport:0");
    assert_eq!(again, tags[0]);
    let other = field::to_decimal(&Identity::from_text("cli person 0, again").commitment());
    let attest = psephos(&[
        "registrar",
        "attest",
        "--log",
        s(&log),
        "--registrar",
        s(&dir.join("registrar-3.json")),
        "--commitment",
        &other,
        "--tag",
        &again,
    ]);
    fails(&attest, 1, "duplicate enrollment");
    assert_ne!(tag(&dir, &[1, 2], "passport:9"), tags[0]);

    // Too few attestations: exit 1, nothing appended.
    let before = std::fs::read_to_string(&log).unwrap();
    let t9 = tag(&dir, &[1, 2], "passport:9");
    fails(&enroll(&dir, &[2], &other, &t9, false), 1, "too few attestations");
    assert_eq!(std::fs::read_to_string(&log).unwrap(), before);

    // A corrupted log: exit 1 naming the entry; malformed: exit 2.
    let lines: Vec<&str> = before.lines().collect();
    let tampered = before.replacen(&people[2], &people[3], 1);
    std::fs::write(&log, &tampered).unwrap();
    let out = psephos(&["registry", "verify", s(&log)]);
    fails(&out, 1, "entry 2");
    std::fs::write(&log, format!("{}\n{}\n", lines[0], &lines[1][..40])).unwrap();
    fails(&psephos(&["registry", "verify", s(&log)]), 2, "entry 1: malformed");
    fails(&psephos(&["registry", "verify", s(&dir.join("missing.jsonl"))]), 2, "cannot read");
    fails(
        &psephos(&[
            "registrar",
            "tag",
            "--policy",
            s(&dir.join("policy.json")),
            "--registrar",
            s(&dir.join("registrar-1.json")),
            "--with",
            s(&dir.join("registrar-1.json")),
            "--evidence",
            "x",
        ]),
        2,
        "given twice",
    );
}

#[test]
fn keygen_and_setup_from_keys() {
    let tmp = tempfile::tempdir().unwrap();
    let mut keys = Vec::new();
    for i in 0..3 {
        let p = tmp.path().join(format!("key-{i}.json"));
        let out = ok(&psephos(&["registrar", "keygen", "--out", s(&p)]));
        assert!(out.contains("public_key"));
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(!out.contains(&text[..20]));
        keys.push(p);
    }
    // Refuses to overwrite a key.
    fails(&psephos(&["registrar", "keygen", "--out", s(&keys[0])]), 2, "cannot write");
    let dir = tmp.path().join("reg");
    let mut args =
        vec!["registry", "setup", "--group-id", "g1", "--threshold", "2", "--out", s(&dir), "--keys"];
    args.extend(keys.iter().map(|k| s(k)));
    ok(&psephos(&args));
    let out = ok(&psephos(&["registry", "verify", s(&dir.join("enrollment.jsonl"))]));
    assert_eq!(out.lines().last().unwrap(), "0");
    // Bad parameters and malformed policies exit 2; a tampered policy exits 1.
    fails(
        &psephos(&[
            "registry",
            "setup",
            "--group-id",
            "g",
            "--registrars",
            "2",
            "--threshold",
            "3",
            "--out",
            s(&tmp.path().join("x")),
        ]),
        2,
        "threshold",
    );
    fails(
        &psephos(&[
            "registry",
            "setup",
            "--group-id",
            "bad id",
            "--registrars",
            "2",
            "--threshold",
            "1",
            "--out",
            s(&tmp.path().join("y")),
        ]),
        2,
        "group id",
    );
    let policy = dir.join("policy.json");
    let text = std::fs::read_to_string(&policy).unwrap();
    std::fs::write(&policy, text.replace("\"g1\"", "\"g2\"")).unwrap();
    fails(&psephos(&["registry", "verify", s(&dir.join("enrollment.jsonl"))]), 1, "invalid signature");
    std::fs::write(&policy, "{}").unwrap();
    fails(&psephos(&["registry", "verify", s(&dir.join("enrollment.jsonl"))]), 2, "malformed policy");
}

/// The OPRF as three file-exchanging steps (the evidence stays with registrar 1):
/// the same tag as `registrar tag`; a partial evaluation passed off as another
/// registrar's is refused and attributed (exit 1).
#[test]
fn oprf_in_three_steps() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("reg");
    ok(&psephos(&[
        "registry",
        "setup",
        "--group-id",
        "g3",
        "--registrars",
        "3",
        "--threshold",
        "2",
        "--out",
        s(&dir),
    ]));
    let policy = dir.join("policy.json");
    let state = tmp.path().join("state.json");
    let request = tmp.path().join("request.json");
    let req = ok(&psephos(&["registrar", "blind", "--evidence", "passport:77", "--state", s(&state)]));
    std::fs::write(&request, req).unwrap();
    let mut partials = Vec::new();
    for i in [2, 3] {
        let reg = dir.join(format!("registrar-{i}.json"));
        let out = ok(&psephos(&[
            "registrar",
            "evaluate",
            "--policy",
            s(&policy),
            "--registrar",
            s(&reg),
            s(&request),
        ]));
        let f = tmp.path().join(format!("partial-{i}.json"));
        std::fs::write(&f, out).unwrap();
        partials.push(f);
    }
    let fin = |files: &[&Path]| {
        let mut args = vec![
            "registrar",
            "finalize",
            "--policy",
            s(&policy),
            "--state",
            s(&state),
            "--evidence",
            "passport:77",
        ];
        args.extend(files.iter().map(|f| s(f)));
        psephos(&args)
    };
    let t = ok(&fin(&[&partials[0], &partials[1]])).trim().to_string();
    assert_eq!(t, tag(&dir, &[1, 3], "passport:77"));
    // Registrar 2's answer relabelled as registrar 3's.
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&partials[0]).unwrap()).unwrap();
    let hexp = v["partial"].as_str().unwrap();
    let forged =
        serde_json::json!({"version": 1, "registrar": 3, "partial": format!("03000000{}", &hexp[8..])});
    let forged_path = tmp.path().join("forged.json");
    std::fs::write(&forged_path, forged.to_string()).unwrap();
    let p1 = dir.join("p1.json");
    let reg1 = dir.join("registrar-1.json");
    std::fs::write(
        &p1,
        ok(&psephos(&[
            "registrar",
            "evaluate",
            "--policy",
            s(&policy),
            "--registrar",
            s(&reg1),
            s(&request),
        ])),
    )
    .unwrap();
    fails(&fin(&[&p1, &forged_path]), 1, "invalid partial evaluation from registrar 3");
    fails(&fin(&[&p1]), 2, "the policy needs 2");
    fails(&psephos(&["registrar", "blind", "--evidence", "x", "--state", s(&state)]), 2, "cannot write");
}
