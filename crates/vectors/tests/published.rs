//! Every published vector file passes, and changing any value of a valid case, or
//! declaring an invalid case valid, makes its check fail.

#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use std::path::{Path, PathBuf};

use psephos_vectors::{check_document, check_file, vector_files, ALGORITHMS};
use serde_json::Value;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test-vectors")
}

#[test]
fn every_published_file_passes_and_every_algorithm_is_published() {
    let files = vector_files(&dir()).unwrap();
    let mut seen = Vec::new();
    for f in &files {
        let report = check_file(f).unwrap();
        assert!(report.passed(), "{}: {:?}", f.display(), report.failures);
        assert!(report.cases > 0);
        seen.push(report.algorithm);
    }
    for a in ALGORITHMS {
        assert!(seen.iter().any(|s| s == a), "no published file for {a}");
    }
}

/// A copy of `doc` with only test `(group, test)`, renumbered as tcId 1.
fn single(doc: &Value, g: usize, t: usize, test: Value) -> Value {
    let mut out = doc.clone();
    let mut group = doc["testGroups"][g].clone();
    let mut test = test;
    test["tcId"] = 1.into();
    group["tests"] = Value::Array(vec![test]);
    out["testGroups"] = Value::Array(vec![group]);
    out["numberOfTests"] = 1.into();
    let _ = t;
    out
}

/// Every way to change one leaf value of `v` (comments and flags excepted).
fn mutations(v: &Value, path: &mut Vec<String>, out: &mut Vec<(String, Value)>, root: &Value) {
    let set = |new: Value, out: &mut Vec<(String, Value)>| {
        let mut copy = root.clone();
        let mut cur = &mut copy;
        for k in path.iter() {
            cur = match cur {
                Value::Array(a) => &mut a[k.parse::<usize>().unwrap()],
                other => &mut other[k.as_str()],
            };
        }
        *cur = new;
        out.push((path.join("."), copy));
    };
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if matches!(k.as_str(), "comment" | "flags" | "tcId" | "result") {
                    continue;
                }
                path.push(k.clone());
                mutations(x, path, out, root);
                path.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                path.push(i.to_string());
                mutations(x, path, out, root);
                path.pop();
            }
        }
        Value::String(s) => {
            let changed = match s.chars().last() {
                Some(c @ '0'..='8') => format!("{}{}", &s[..s.len() - 1], (c as u8 + 1) as char),
                Some('9') => format!("{}8", &s[..s.len() - 1]),
                Some(c @ 'a'..='e') => format!("{}{}", &s[..s.len() - 1], (c as u8 + 1) as char),
                Some('f') => format!("{}e", &s[..s.len() - 1]),
                _ => format!("{s}x"),
            };
            set(Value::String(changed), out);
        }
        Value::Number(n) => {
            let changed = n.as_i64().map_or(Value::from(0), |x| Value::from(x + 1));
            set(changed, out);
        }
        Value::Bool(b) => set(Value::Bool(!b), out),
        Value::Null => {}
    }
}

#[test]
fn changing_any_value_of_a_valid_case_fails_and_invalid_cases_cannot_be_declared_valid() {
    let mut checked = 0usize;
    for f in vector_files(&dir()).unwrap() {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        for (g, group) in doc["testGroups"].as_array().unwrap().iter().enumerate() {
            for (t, test) in group["tests"].as_array().unwrap().iter().enumerate() {
                let name = format!("{} tcId {}", f.display(), test["tcId"]);
                match test["result"].as_str().unwrap() {
                    "valid" => {
                        let mut muts = Vec::new();
                        mutations(test, &mut Vec::new(), &mut muts, test);
                        for (field, mutated) in muts {
                            let report = check_document(&f, &single(&doc, g, t, mutated)).unwrap();
                            assert!(!report.passed(), "{name}: changing {field} went unnoticed");
                            checked += 1;
                        }
                    }
                    "invalid" => {
                        let mut flipped = test.clone();
                        flipped["result"] = "valid".into();
                        let report = check_document(&f, &single(&doc, g, t, flipped)).unwrap();
                        assert!(!report.passed(), "{name}: an invalid case passes as valid");
                        checked += 1;
                    }
                    _ => {}
                }
            }
        }
    }
    assert!(checked > 1000, "{checked} mutations");
}

#[test]
fn structural_defects_are_errors_not_skips() {
    let f = dir().join("elgamal.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
    let mut unknown = doc.clone();
    unknown["algorithm"] = "no-such-algorithm".into();
    assert!(check_document(&f, &unknown).is_err());
    let mut count = doc.clone();
    count["numberOfTests"] = (doc["numberOfTests"].as_u64().unwrap() + 1).into();
    assert!(check_document(&f, &count).is_err());
    let mut ids = doc.clone();
    ids["testGroups"][0]["tests"][0]["tcId"] = 7.into();
    assert!(check_document(&f, &ids).is_err());
    let mut ty = doc;
    ty["testGroups"][0]["type"] = "NoSuchGroup".into();
    let report = check_document(&f, &ty).unwrap();
    assert!(!report.passed());
}
