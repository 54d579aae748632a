//! `psephos vectors check`: the published vectors pass (exit 0); one flipped
//! expected value fails with the file and tcId named (exit 1); a missing directory or
//! a file that is not JSON is malformed input (exit 2).

#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use std::path::{Path, PathBuf};
use std::process::Output;

mod support;
use support::psephos;

fn published() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test-vectors")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// A scratch copy of the published vector files.
fn copy(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("psephos-vectors-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for f in std::fs::read_dir(published()).unwrap() {
        let path = f.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
        }
    }
    dir
}

#[test]
fn published_vectors_pass() {
    let o = psephos(&["vectors", "check", published().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    for file in [
        "poseidon.json",
        "babyjubjub.json",
        "identity.json",
        "lean_imt.json",
        "nullifier.json",
        "elgamal.json",
        "sigma.json",
        "registry-attestation.json",
        "ballot-proof.json",
        "decryption-share.json",
    ] {
        assert!(out.lines().any(|l| l.starts_with("ok") && l.contains(file)), "{file} not reported: {out}");
    }
    assert!(out.contains("all passed"));
}

#[test]
fn a_flipped_expected_value_fails_naming_file_and_case() {
    let dir = copy("flip");
    let path = dir.join("poseidon.json");
    let mut doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let out = doc["testGroups"][0]["tests"][2]["output"].as_str().unwrap().to_string();
    let flipped = if out.ends_with('1') {
        format!("{}2", &out[..out.len() - 1])
    } else {
        format!("{}1", &out[..out.len() - 1])
    };
    doc["testGroups"][0]["tests"][2]["output"] = flipped.into();
    std::fs::write(&path, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    let o = psephos(&["vectors", "check", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let report = text(&o);
    assert!(report.contains("FAIL poseidon.json"), "{report}");
    assert!(report.contains("tcId 3:"), "{report}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn missing_directory_and_non_json_file_are_malformed_input() {
    let o = psephos(&["vectors", "check", "/nonexistent/psephos-vectors"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let dir = copy("broken");
    std::fs::write(dir.join("broken.json"), "{ not json").unwrap();
    let o = psephos(&["vectors", "check", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    std::fs::remove_dir_all(dir).unwrap();
}
