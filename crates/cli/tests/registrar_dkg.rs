//! Setting up a registrar group without a dealer: three registrars (k = 2), each
//! with its own key files in its own directory, run the dedup-key DKG, sign the
//! policy and assemble the registry through the CLI; a person is then enrolled
//! with the existing commands and the roll replays to the identity crate's root.
//! Refusals: a tampered DKG message, a bad or missing policy signature (exit 1),
//! malformed input (exit 2).
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use psephos_identity::{Group, Identity};
use psephos_primitives::field;
use psephos_registry::{GroupPolicy, RegistrarSecretKey};

mod support;
use support::{fails, json, ok, psephos, s};

const N: usize = 3;

struct Registrar {
    dir: PathBuf,
    signing: PathBuf,
    dkg_key: PathBuf,
    file: PathBuf,
}

impl Registrar {
    fn new(dir: PathBuf) -> Self {
        Registrar {
            signing: dir.join("signing.json"),
            dkg_key: dir.join("dkg-key.json"),
            file: dir.join("registrar.json"),
            dir,
        }
    }
}

fn run(args: &[&str]) -> String {
    ok(&psephos(args))
}

/// Runs `cmd` with `flag` repeated once per path.
fn with_paths<'a>(mut args: Vec<&'a str>, flag: &'a str, paths: &'a [PathBuf]) -> Vec<&'a str> {
    for p in paths {
        args.extend([flag, s(p)]);
    }
    args
}

struct Dkg {
    session: PathBuf,
    round1: Vec<PathBuf>,
    round2: Vec<PathBuf>,
    signing_public: Vec<String>,
}

/// Each registrar makes its keys; the coordinator writes the session; rounds 1 and 2.
fn keys_session_rounds(root: &Path, regs: &[Registrar]) -> Dkg {
    let public = root.join("public");
    std::fs::create_dir_all(&public).unwrap();
    let (mut dkg_public, mut signing_public) = (Vec::new(), Vec::new());
    for r in regs {
        std::fs::create_dir_all(&r.dir).unwrap();
        let out = json(&run(&["registrar", "keygen", "--out", s(&r.signing)]));
        signing_public.push(out["public_key"].as_str().unwrap().to_string());
        let out = json(&run(&["registrar", "dkg-keygen", "--out", s(&r.dkg_key)]));
        dkg_public.push(out["publicKey"].as_str().unwrap().to_string());
    }
    let session = public.join("session.json");
    let mut args = vec!["registry", "dkg-session", "--group-id", "town-hall", "--threshold", "2"];
    for k in &dkg_public {
        args.extend(["--participant", k]);
    }
    args.extend(["--out", s(&session)]);
    let out = json(&run(&args));
    assert_eq!(out["participants"], 3);
    let round1: Vec<PathBuf> = (1..=N).map(|i| public.join(format!("r1-{i}.json"))).collect();
    let round2: Vec<PathBuf> = (1..=N).map(|i| public.join(format!("r2-{i}.json"))).collect();
    for (i, r) in regs.iter().enumerate() {
        let idx = (i + 1).to_string();
        run(&[
            "registrar",
            "dkg-round1",
            "--session",
            s(&session),
            "--index",
            &idx,
            "--key",
            s(&r.dkg_key),
            "--out",
            s(&round1[i]),
        ]);
    }
    for (i, r) in regs.iter().enumerate() {
        let idx = (i + 1).to_string();
        let args = vec!["registrar", "dkg-round2", "--session", s(&session), "--index", &idx];
        let mut args = with_paths(args, "--round1", &round1);
        args.extend(["--key", s(&r.dkg_key), "--out", s(&round2[i])]);
        let out = json(&run(&args));
        assert_eq!(out["complaints"], 0);
    }
    Dkg { session, round1, round2, signing_public }
}

fn finish(dkg: &Dkg, r: &Registrar, index: usize, group: &str) -> std::process::Output {
    let idx = index.to_string();
    let args = vec![
        "registrar",
        "dkg-finish",
        "--session",
        s(&dkg.session),
        "--group-id",
        group,
        "--index",
        &idx,
        "--key",
        s(&r.dkg_key),
        "--signing-key",
        s(&r.signing),
        "--out",
        s(&r.file),
    ];
    let args = with_paths(args, "--round1", &dkg.round1);
    let args = with_paths(args, "--round2", &dkg.round2);
    psephos(&args)
}

fn dkg_policy(dkg: &Dkg, round1: &[PathBuf], out: &Path) -> std::process::Output {
    let args = vec!["registry", "dkg-policy", "--session", s(&dkg.session)];
    let args = with_paths(args, "--round1", round1);
    let mut args = with_paths(args, "--round2", &dkg.round2);
    for k in &dkg.signing_public {
        args.extend(["--registrar", k]);
    }
    args.extend(["--out", s(out)]);
    psephos(&args)
}

fn assemble(policy: &Path, sigs: &[PathBuf], out: &Path) -> std::process::Output {
    let args = vec!["registry", "assemble", "--policy", s(policy), "--out", s(out)];
    psephos(&with_paths(args, "--signature", sigs))
}

#[test]
fn three_registrars_set_up_without_a_dealer_and_enroll() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let regs: Vec<Registrar> = (1..=N).map(|i| Registrar::new(root.join(format!("registrar-{i}")))).collect();
    let dkg = keys_session_rounds(root, &regs);

    // A session for another group is refused by the registrar (exit 1).
    fails(&finish(&dkg, &regs[0], 1, "other-group"), 1, "not other-group");
    for (i, r) in regs.iter().enumerate() {
        let out = json(&ok(&finish(&dkg, r, i + 1, "town-hall")));
        assert_eq!(out["registrar"], i as u64 + 1);
        assert_eq!(out["qualified"], serde_json::json!([1, 2, 3]));
        // The registrar file holds no other registrar's secrets and is the `registry setup` format.
        let f = json(&std::fs::read_to_string(&r.file).unwrap());
        let mut keys: Vec<&str> = f.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["dedup_share", "group_id", "public_key", "registrar", "signing_key", "version"]);
        assert_eq!(f["public_key"].as_str().unwrap(), dkg.signing_public[i]);
    }
    // The secret file is not overwritten.
    fails(&finish(&dkg, &regs[0], 1, "town-hall"), 2, "cannot write");

    let public = dkg.session.parent().unwrap().to_path_buf();
    let policy = public.join("policy-unsigned.json");
    let out = json(&ok(&dkg_policy(&dkg, &dkg.round1, &policy)));
    assert_eq!(out["group_id"], "town-hall");
    assert_eq!(out["threshold"], 2);

    // A tampered round-1 message (dealer 2 presents dealer 1's dealings): exit 1 naming it.
    let mut r1_2 = json(&std::fs::read_to_string(&dkg.round1[1]).unwrap());
    let r1_1 = json(&std::fs::read_to_string(&dkg.round1[0]).unwrap());
    r1_2["dealings"] = r1_1["dealings"].clone();
    let tampered = public.join("r1-2-tampered.json");
    std::fs::write(&tampered, r1_2.to_string()).unwrap();
    let round1_bad = vec![dkg.round1[0].clone(), tampered, dkg.round1[2].clone()];
    fails(&dkg_policy(&dkg, &round1_bad, &public.join("bad-policy.json")), 1, "disqualified registrar 2");
    assert!(!public.join("bad-policy.json").exists());
    let bad = Dkg {
        session: dkg.session.clone(),
        round1: round1_bad,
        round2: dkg.round2.clone(),
        signing_public: dkg.signing_public.clone(),
    };
    let other = Registrar::new(root.join("registrar-1-again"));
    std::fs::create_dir_all(&other.dir).unwrap();
    std::fs::copy(&regs[0].signing, &other.signing).unwrap();
    std::fs::copy(&regs[0].dkg_key, &other.dkg_key).unwrap();
    fails(&finish(&bad, &other, 1, "town-hall"), 1, "disqualified registrar 2");
    assert!(!other.file.exists());

    // Each registrar signs on its own.
    let sigs: Vec<PathBuf> = (1..=N).map(|i| public.join(format!("sig-{i}.json"))).collect();
    for (i, r) in regs.iter().enumerate() {
        let out = run(&[
            "registrar",
            "sign-policy",
            "--policy",
            s(&policy),
            "--registrar",
            s(&r.file),
            "--out",
            s(&sigs[i]),
        ]);
        let secret = json(&std::fs::read_to_string(&r.file).unwrap());
        assert!(!out.contains(secret["signing_key"].as_str().unwrap()));
        assert!(!out.contains(secret["dedup_share"].as_str().unwrap()));
        assert_eq!(json(&out)["registrar"], i as u64 + 1);
    }

    // Only one signature with k = 2: exit 1.
    let reg_dir = root.join("registry");
    fails(&assemble(&policy, &sigs[..1], &reg_dir), 1, "too few attestations: 1, the policy needs 2");
    // A signature by a key not in the policy, filed as registrar 1 or as an unknown registrar 4: exit 1.
    let unsigned = GroupPolicy::from_json(std::fs::read_to_string(&policy).unwrap().trim_end()).unwrap();
    let outsider = RegistrarSecretKey::generate(&mut rand_core::OsRng);
    let forged = outsider.sign(&unsigned, &mut rand_core::OsRng).to_hex();
    for (who, needle) in
        [(1, "invalid signature by registrar 1"), (4, "registrar 4 is not in the group policy")]
    {
        let f = public.join(format!("forged-{who}.json"));
        let text =
            serde_json::json!({"version": 1, "group_id": "town-hall", "registrar": who, "signature": forged});
        std::fs::write(&f, text.to_string()).unwrap();
        fails(&assemble(&policy, &[f, sigs[1].clone()], &reg_dir), 1, needle);
    }
    // The same registrar twice: exit 1. A malformed signature file: exit 2.
    fails(&assemble(&policy, &[sigs[1].clone(), sigs[1].clone()], &reg_dir), 1, "appears twice");
    let junk = public.join("junk.json");
    std::fs::write(&junk, "{\"version\":1}").unwrap();
    fails(&assemble(&policy, &[junk, sigs[1].clone()], &reg_dir), 2, "malformed policy signature");
    assert!(!reg_dir.join("policy.json").exists());

    // k of n signatures suffice; the registry is what `registry setup` writes.
    let out = json(&ok(&assemble(&policy, &sigs[1..], &reg_dir)));
    assert_eq!(out["signatures"], 2);
    assert_eq!(std::fs::read_to_string(reg_dir.join("enrollment.jsonl")).unwrap(), "");
    fails(&assemble(&policy, &sigs, &reg_dir), 2, "already holds a registry");
    let policy_json = reg_dir.join("policy.json");
    let log = reg_dir.join("enrollment.jsonl");

    // One person enrolled through registrars 1 and 3 with the existing commands.
    let person = field::to_decimal(&Identity::from_text("dkg person").commitment());
    let tag = run(&[
        "registrar",
        "tag",
        "--policy",
        s(&policy_json),
        "--registrar",
        s(&regs[0].file),
        "--with",
        s(&regs[2].file),
        "--evidence",
        "passport:DKG1",
    ]);
    let tag = tag.trim();
    let mut atts = Vec::new();
    for i in [0usize, 2] {
        let att = run(&[
            "registrar",
            "attest",
            "--log",
            s(&log),
            "--registrar",
            s(&regs[i].file),
            "--commitment",
            &person,
            "--tag",
            tag,
        ]);
        let f = root.join(format!("att-{i}.json"));
        std::fs::write(&f, att).unwrap();
        atts.push(f);
    }
    let mut args = vec!["enroll", "--log", s(&log), "--commitment", &person, "--tag", tag];
    args.extend(atts.iter().map(|f| s(f)));
    run(&args);
    let out = run(&["registry", "verify", s(&log)]);
    let mut group = Group::new();
    group.add_member(field::from_decimal(&person).unwrap()).unwrap();
    assert_eq!(out.lines().last().unwrap(), field::to_decimal(&group.root()));
    // The same evidence through registrars 2 and 3 gives the same tag (one dedup key).
    let again = run(&[
        "registrar",
        "tag",
        "--policy",
        s(&policy_json),
        "--registrar",
        s(&regs[1].file),
        "--with",
        s(&regs[2].file),
        "--evidence",
        "passport:DKG1",
    ]);
    assert_eq!(again.trim(), tag);
}

#[test]
fn malformed_session_and_keys_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let key = root.join("dkg-key.json");
    run(&["registrar", "dkg-keygen", "--out", s(&key)]);
    fails(&psephos(&["registrar", "dkg-keygen", "--out", s(&key)]), 2, "cannot write");
    let session = root.join("session.json");
    std::fs::write(&session, "{\"version\":1,\"group\":\"ristretto255\"}").unwrap();
    let out = psephos(&[
        "registrar",
        "dkg-round1",
        "--session",
        s(&session),
        "--index",
        "1",
        "--key",
        s(&key),
        "--out",
        s(&root.join("r1.json")),
    ]);
    fails(&out, 2, "session.json");
    assert!(!root.join("r1.json").exists());
    // A bad participant key and a bad group id: exit 2.
    let bad = psephos(&[
        "registry",
        "dkg-session",
        "--group-id",
        "town-hall",
        "--threshold",
        "1",
        "--participant",
        &"ff".repeat(32),
        "--out",
        s(&session),
    ]);
    fails(&bad, 2, "");
    let bad = psephos(&[
        "registry",
        "dkg-session",
        "--group-id",
        "town hall",
        "--threshold",
        "1",
        "--participant",
        &"ff".repeat(32),
        "--out",
        s(&session),
    ]);
    fails(&bad, 2, "group id");
}
