//! Runs psephos' published test vectors (`test-vectors/*.json`), the engine of
//! `psephos vectors check`.
//!
//! A vector file is Wycheproof-style JSON: `algorithm`, `generator`, `reference`
//! (the independent implementations and their versions), `notes` (one per flag),
//! (or `source`, for transcribed published vectors such as RFC 9497's),
//! `numberOfTests` and `testGroups`, each with a `type` and `tests`; every test has a
//! `tcId` (1, 2, … in file order), a `comment`, its inputs and expected outputs, a
//! `result` (`valid`, `invalid` or `acceptable`) and `flags`. The checker for the
//! file's `algorithm` recomputes every expected value with psephos' own code and
//! checks that every `invalid` input is refused; a file whose algorithm has no
//! checker, a group type a checker does not know, or a structural defect is an
//! error, never a skip.

mod ballot;
mod ballot_proof;
mod groth16;
mod json;
mod oprf;
mod primitives;
mod records;
mod registry;
mod semaphore;
mod sigma;
mod tally;

use std::path::{Path, PathBuf};

use serde_json::Value;

pub use json::CaseError;

/// Why a vector file could not be checked at all.
#[derive(Debug, thiserror::Error)]
pub enum VectorError {
    /// The file or directory could not be read.
    #[error("{path}: {reason}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        reason: String,
    },
    /// The file is not a well-formed vector file.
    #[error("{path}: malformed vector file: {reason}")]
    Malformed {
        /// The path.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// No checker exists for the file's `algorithm`.
    #[error("{path}: no checker for algorithm {algorithm:?}")]
    UnknownAlgorithm {
        /// The path.
        path: PathBuf,
        /// The algorithm named by the file.
        algorithm: String,
    },
}

/// The outcome of one vector file.
#[derive(Debug)]
pub struct FileReport {
    /// The file.
    pub path: PathBuf,
    /// Its `algorithm`.
    pub algorithm: String,
    /// The number of test cases checked.
    pub cases: usize,
    /// The failing cases: `tcId` and the reason.
    pub failures: Vec<(u64, CaseError)>,
}

impl FileReport {
    /// Whether every case passed.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// What a checker knows of the file it checks.
pub(crate) struct Ctx<'a> {
    /// The whole document (file-level parameters).
    pub(crate) doc: &'a Value,
    /// The directory of the vector file (files it names are relative to it).
    pub(crate) dir: &'a Path,
}

/// A checker: one test case of a group of the given `type`.
type Checker = fn(cx: &Ctx<'_>, group_type: &str, group: &Value, test: &Value) -> Result<(), CaseError>;

/// The checker for an `algorithm`.
fn checker(algorithm: &str) -> Option<Checker> {
    Some(match algorithm {
        "poseidon-bn254-circomlib" => primitives::poseidon,
        "babyjubjub-eip2494" => primitives::babyjubjub,
        "semaphore-v4-identity" => semaphore::identity,
        "lean-imt-poseidon2" => semaphore::lean_imt,
        "semaphore-v4-nullifier" => semaphore::nullifier,
        "exponential-elgamal-babyjubjub-per-option-keys" => ballot::elgamal,
        "rfc9497-oprf-ristretto255-sha512" => oprf::rfc9497,
        "groth16-bn254-snarkjs-json" => groth16::semaphore,
        "psephos-sigma-merlin" => sigma::sigma,
        "psephos-registry-attestation" => registry::registry,
        "psephos-ballot-groth16-bn254" => ballot_proof::ballot_proof,
        "psephos-tally-decryption-share" => tally::decryption_share,
        "psephos-election-record" => records::record,
        _ => return None,
    })
}

/// Group types whose cases may be `valid` or `invalid` (the checker decides by the
/// case's `result`). Every other group type is all-`valid`, or all-`invalid` when its
/// name ends in `Invalid`, so declaring a case of such a group otherwise is a failure.
const MIXED_GROUPS: &[&str] =
    &["PackUnpack", "SubgroupCheck", "CiphertextDecode", "SemaphoreMessage", "SemaphoreMessageQuirk"];

/// The `result` every case of group type `ty` must have, if fixed.
fn fixed_result(ty: &str) -> Option<&'static str> {
    if MIXED_GROUPS.contains(&ty) {
        None
    } else if ty.ends_with("Invalid") {
        Some("invalid")
    } else {
        Some("valid")
    }
}

/// The algorithms this version of psephos can check.
pub const ALGORITHMS: &[&str] = &[
    "poseidon-bn254-circomlib",
    "babyjubjub-eip2494",
    "semaphore-v4-identity",
    "lean-imt-poseidon2",
    "semaphore-v4-nullifier",
    "exponential-elgamal-babyjubjub-per-option-keys",
    "rfc9497-oprf-ristretto255-sha512",
    "groth16-bn254-snarkjs-json",
    "psephos-sigma-merlin",
    "psephos-registry-attestation",
    "psephos-ballot-groth16-bn254",
    "psephos-tally-decryption-share",
    "psephos-election-record",
];

/// Checks one parsed vector document (`path` only names it in errors).
///
/// # Errors
///
/// [`VectorError::Malformed`] for a structural defect (missing fields, `tcId`s not
/// `1..=numberOfTests` in order, an unknown `result`), [`VectorError::UnknownAlgorithm`].
pub fn check_document(path: &Path, doc: &Value) -> Result<FileReport, VectorError> {
    let malformed = |reason: String| VectorError::Malformed { path: path.to_path_buf(), reason };
    let algorithm = doc["algorithm"].as_str().ok_or_else(|| malformed("no \"algorithm\"".into()))?;
    let check = checker(algorithm).ok_or_else(|| VectorError::UnknownAlgorithm {
        path: path.to_path_buf(),
        algorithm: algorithm.into(),
    })?;
    for key in ["reference", "notes"] {
        if doc.get(key).is_none() {
            return Err(malformed(format!("no {key:?}")));
        }
    }
    if doc.get("generator").is_none() && doc.get("source").is_none() {
        return Err(malformed("neither \"generator\" nor \"source\"".into()));
    }
    let declared = doc["numberOfTests"].as_u64().ok_or_else(|| malformed("no \"numberOfTests\"".into()))?;
    let groups = doc["testGroups"].as_array().ok_or_else(|| malformed("no \"testGroups\"".into()))?;
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let cx = Ctx { doc, dir };
    let mut report =
        FileReport { path: path.to_path_buf(), algorithm: algorithm.into(), cases: 0, failures: Vec::new() };
    for group in groups {
        let ty = group["type"].as_str().ok_or_else(|| malformed("a group without \"type\"".into()))?;
        let tests =
            group["tests"].as_array().ok_or_else(|| malformed(format!("group {ty}: no \"tests\"")))?;
        for test in tests {
            let expected_id = report.cases as u64 + 1;
            if test["tcId"].as_u64() != Some(expected_id) {
                return Err(malformed(format!("expected tcId {expected_id}, found {}", test["tcId"])));
            }
            match test["result"].as_str() {
                Some("valid" | "invalid" | "acceptable") => {}
                _ => return Err(malformed(format!("tcId {expected_id}: unknown result {}", test["result"]))),
            }
            let outcome = match fixed_result(ty) {
                Some(r) if test["result"] != r => {
                    Err(CaseError(format!("a {ty} case must be {r}, the vector says {}", test["result"])))
                }
                _ => check(&cx, ty, group, test),
            };
            if let Err(e) = outcome {
                report.failures.push((expected_id, e));
            }
            report.cases += 1;
        }
    }
    if report.cases as u64 != declared {
        return Err(malformed(format!("numberOfTests is {declared}, the file has {}", report.cases)));
    }
    Ok(report)
}

/// Reads and checks one vector file.
///
/// # Errors
///
/// [`VectorError::Io`] if unreadable; otherwise as [`check_document`].
pub fn check_file(path: &Path) -> Result<FileReport, VectorError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| VectorError::Io { path: path.to_path_buf(), reason: e.to_string() })?;
    let doc: Value = serde_json::from_str(&text)
        .map_err(|e| VectorError::Malformed { path: path.to_path_buf(), reason: e.to_string() })?;
    check_document(path, &doc)
}

/// The vector files of a directory: its `*.json` files that have `testGroups`, sorted by name.
///
/// # Errors
///
/// [`VectorError::Io`] if the directory or a file cannot be read,
/// [`VectorError::Malformed`] for a `*.json` file that is not JSON.
pub fn vector_files(dir: &Path) -> Result<Vec<PathBuf>, VectorError> {
    let io =
        |path: &Path, e: std::io::Error| VectorError::Io { path: path.to_path_buf(), reason: e.to_string() };
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| io(dir, e))? {
        let path = entry.map_err(|e| io(dir, e))?.path();
        if path.extension().is_some_and(|e| e == "json") && path.is_file() {
            let text = std::fs::read_to_string(&path).map_err(|e| io(&path, e))?;
            let doc: Value = serde_json::from_str(&text)
                .map_err(|e| VectorError::Malformed { path: path.clone(), reason: e.to_string() })?;
            if doc.get("testGroups").is_some() {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}
