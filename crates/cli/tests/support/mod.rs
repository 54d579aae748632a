//! Helpers shared by the CLI integration tests: run the `psephos` binary and check
//! its exit code, stdout and stderr. Each test crate uses a subset.

#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// Runs the `psephos` binary built for this test with `args`.
pub fn psephos(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_psephos")).args(args).output().expect("the binary runs")
}

/// Asserts exit 0 and returns stdout.
pub fn ok(o: &Output) -> String {
    assert_eq!(o.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout.clone()).expect("utf-8")
}

/// Asserts exit `code`, that stderr contains `needle`, and that nothing panicked.
pub fn fails(o: &Output, code: i32, needle: &str) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(code), "stderr: {err}");
    assert!(err.contains(needle), "expected {needle:?} in {err:?}");
    assert!(!err.contains("panicked"), "{err}");
}

/// A path as a `&str` argument.
pub fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Parses `text` as one JSON value.
pub fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).expect("json")
}

/// The identity commitment of private key `key`, from `psephos identity show`.
pub fn commitment(key: &str) -> String {
    json(&ok(&psephos(&["identity", "show", "--private-key", key])))["commitment"]
        .as_str()
        .expect("commitment")
        .to_string()
}
