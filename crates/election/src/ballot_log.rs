//! The ballot log `ballots.jsonl` (docs/record.md §ballots): one JSON line per
//! submitted ballot, accepted or rejected with the reason, in submission order.
//!
//! ```json
//! {"version":1,"seq":0,"outcome":{"status":"accepted"},"ballot":{…ballot JSON…}}
//! {"version":1,"seq":1,"outcome":{"status":"rejected","reason":"duplicate-nullifier","detail":"…"},"ballot":{…}}
//! ```
//!
//! Lines are canonical: decoding re-encodes the entry and refuses any difference, so
//! one log has exactly one byte representation. Appends are durable: the line (with
//! its `\n`) is written in one call and `fsync`ed before [`BallotLog::append`]
//! returns. On [`BallotLog::open`] a last line without its `\n` is a write that was
//! torn by a crash — never acknowledged — and is truncated; any complete line that
//! does not decode is corruption and the log refuses to open.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use psephos_ballot::{Ballot, Outcome, Rejection};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::ElectionError;

/// The ballot-log entry format version.
pub const LOG_VERSION: u32 = 1;
/// Largest ballot log accepted, in bytes (about 100k ballots of 64 options).
pub const MAX_LOG_BYTES: u64 = 1 << 32;
/// Largest single log line, in bytes.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// One submission and its outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogEntry {
    /// 0-based position in the log.
    pub seq: u64,
    /// The ballot as submitted (decoded and validated).
    pub ballot: Ballot,
    /// What the ballot box decided.
    pub outcome: Outcome,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct OutcomeJson {
    status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryJson {
    version: u32,
    seq: u64,
    outcome: OutcomeJson,
    ballot: Value,
}

/// The stable code of a rejection reason (docs/record.md).
pub fn rejection_code(r: &Rejection) -> &'static str {
    match r {
        Rejection::ScopeMismatch => "scope-mismatch",
        Rejection::UnknownRoot => "unknown-root",
        Rejection::InputCountMismatch { .. } => "input-count-mismatch",
        Rejection::InvalidProof(_) => "invalid-proof",
        Rejection::DuplicateNullifier => "duplicate-nullifier",
        Rejection::Replay => "replay",
    }
}

fn outcome_json(o: &Outcome) -> OutcomeJson {
    match o {
        Outcome::Accepted => OutcomeJson { status: "accepted".into(), reason: None, detail: None },
        Outcome::Replaced => OutcomeJson { status: "replaced".into(), reason: None, detail: None },
        Outcome::Rejected(r) => OutcomeJson {
            status: "rejected".into(),
            reason: Some(rejection_code(r).into()),
            detail: Some(r.to_string()),
        },
    }
}

fn parse_count(detail: &str) -> Option<(usize, usize)> {
    // "expected {e} options, got {g}"
    let rest = detail.strip_prefix("expected ")?;
    let (e, rest) = rest.split_once(" options, got ")?;
    Some((e.parse().ok()?, rest.parse().ok()?))
}

fn outcome_from_json(o: &OutcomeJson) -> Result<Outcome, String> {
    match (o.status.as_str(), o.reason.as_deref(), o.detail.as_deref()) {
        ("accepted", None, None) => Ok(Outcome::Accepted),
        ("replaced", None, None) => Ok(Outcome::Replaced),
        ("rejected", Some(code), Some(detail)) => {
            let r = match code {
                "scope-mismatch" => Rejection::ScopeMismatch,
                "unknown-root" => Rejection::UnknownRoot,
                "input-count-mismatch" => {
                    let (expected, got) = parse_count(detail)
                        .ok_or_else(|| "malformed input-count-mismatch detail".to_string())?;
                    Rejection::InputCountMismatch { expected, got }
                }
                "invalid-proof" => {
                    let inner = detail
                        .strip_prefix("invalid proof: ")
                        .ok_or_else(|| "malformed invalid-proof detail".to_string())?;
                    Rejection::InvalidProof(inner.into())
                }
                "duplicate-nullifier" => Rejection::DuplicateNullifier,
                "replay" => Rejection::Replay,
                other => return Err(format!("unknown rejection reason {other:?}")),
            };
            Ok(Outcome::Rejected(r))
        }
        _ => Err(format!("malformed outcome (status {:?})", o.status)),
    }
}

impl LogEntry {
    /// The canonical line, without the trailing `\n`.
    pub fn to_line(&self) -> String {
        let outcome = serde_json::to_string(&outcome_json(&self.outcome)).unwrap_or_default();
        format!(
            "{{\"version\":{LOG_VERSION},\"seq\":{},\"outcome\":{outcome},\"ballot\":{}}}",
            self.seq,
            self.ballot.to_json()
        )
    }

    /// Decodes a line (without its `\n`): strict JSON, a known version, a valid
    /// ballot, a known outcome, and the canonical encoding.
    pub fn from_line(line: &str) -> Result<Self, String> {
        let (seq, ballot_text, outcome) = parse_envelope(line)?;
        let ballot = Ballot::from_json(&ballot_text).map_err(|e| e.to_string())?;
        LogEntry { seq, ballot, outcome }.canonical(line)
    }

    /// `self` if `line` is its canonical encoding.
    fn canonical(self, line: &str) -> Result<Self, String> {
        if self.to_line() != line {
            return Err("non-canonical entry encoding".into());
        }
        Ok(self)
    }
}

/// The first half of decoding a line: sequence number, ballot text, outcome.
type Envelope = (u64, Vec<u8>, Outcome);

fn parse_envelope(line: &str) -> Result<Envelope, String> {
    if line.len() > MAX_LINE_BYTES {
        return Err(format!("line longer than {MAX_LINE_BYTES} bytes"));
    }
    let j: EntryJson = serde_json::from_str(line).map_err(|e| format!("malformed entry: {e}"))?;
    if j.version != LOG_VERSION {
        return Err(format!("unknown entry version {}", j.version));
    }
    let ballot_text = serde_json::to_vec(&j.ballot).map_err(|e| e.to_string())?;
    let outcome = outcome_from_json(&j.outcome)?;
    Ok((j.seq, ballot_text, outcome))
}

/// Parses a whole log text (every line complete). Line numbers in errors are 1-based.
pub fn parse_log(text: &str) -> Result<Vec<LogEntry>, ElectionError> {
    let mut entries = Vec::new();
    if text.is_empty() {
        return Ok(entries);
    }
    let body = text.strip_suffix('\n').ok_or(ElectionError::CorruptLog {
        line: text.lines().count(),
        reason: "missing final newline".into(),
    })?;
    // Every line decodes as `LogEntry::from_line` would decode it, in three passes:
    // the envelopes in parallel, the ballots with one batched subgroup check for all
    // their points (`Ballot::from_json_batch`: the points' scalar multiplications
    // by `l` dominated the audit), then the canonical-encoding check in parallel.
    // The first bad line is reported.
    use rayon::prelude::*;
    let lines: Vec<&str> = body.split('\n').collect();
    let envelopes: Vec<Result<Envelope, String>> = lines.par_iter().map(|l| parse_envelope(l)).collect();
    // Lines up to the first bad envelope; the ballots of those lines, in one batch.
    let good = envelopes.iter().position(Result::is_err).unwrap_or(lines.len());
    let texts: Vec<&[u8]> = envelopes[..good].iter().flatten().map(|(_, t, _)| t.as_slice()).collect();
    let mut ballots: Vec<Option<Result<Ballot, _>>> =
        Ballot::from_json_batch(&texts).into_iter().map(Some).collect();
    ballots.resize_with(lines.len(), || None);
    let decoded: Vec<Result<LogEntry, String>> = envelopes
        .into_par_iter()
        .zip(ballots.into_par_iter())
        .zip(lines.par_iter())
        .map(|((envelope, ballot), line)| {
            let (seq, _, outcome) = envelope?;
            match ballot {
                Some(ballot) => {
                    LogEntry { seq, ballot: ballot.map_err(|e| e.to_string())?, outcome }.canonical(line)
                }
                None => Err("not decoded: an earlier line is bad".into()),
            }
        })
        .collect();
    for (i, entry) in decoded.into_iter().enumerate() {
        let entry = entry.map_err(|reason| ElectionError::CorruptLog { line: i + 1, reason })?;
        if entry.seq != i as u64 {
            return Err(ElectionError::CorruptLog {
                line: i + 1,
                reason: format!("sequence number {} where {} was expected", entry.seq, i),
            });
        }
        entries.push(entry);
    }
    Ok(entries)
}

/// An open, append-only ballot log file.
pub struct BallotLog {
    path: PathBuf,
    file: File,
    next_seq: u64,
}

fn sync_parent_dir(path: &Path) -> Result<(), ElectionError> {
    if let Some(dir) = path.parent() {
        let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
        // Directories can be fsynced on Unix; elsewhere opening may fail: ignore that.
        if let Ok(d) = File::open(dir) {
            d.sync_all().map_err(|e| ElectionError::io(dir, e))?;
        }
    }
    Ok(())
}

impl BallotLog {
    /// Opens (creating if absent) the log at `path`, truncates a torn last line, and
    /// returns the log with every entry it holds.
    pub fn open(path: &Path) -> Result<(Self, Vec<LogEntry>), ElectionError> {
        let existed = path.exists();
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(|e| ElectionError::io(path, e))?;
        if !existed {
            file.sync_all().map_err(|e| ElectionError::io(path, e))?;
            sync_parent_dir(path)?;
        }
        let len = file.metadata().map_err(|e| ElectionError::io(path, e))?.len();
        if len > MAX_LOG_BYTES {
            return Err(ElectionError::CorruptLog {
                line: 0,
                reason: format!("log larger than {MAX_LOG_BYTES} bytes"),
            });
        }
        let mut bytes = Vec::with_capacity(len as usize);
        file.read_to_end(&mut bytes).map_err(|e| ElectionError::io(path, e))?;
        let complete = bytes.iter().rposition(|b| *b == b'\n').map(|i| i + 1).unwrap_or(0);
        if complete < bytes.len() {
            // A torn last line: written by a crashed process, never acknowledged.
            file.set_len(complete as u64).map_err(|e| ElectionError::io(path, e))?;
            file.sync_all().map_err(|e| ElectionError::io(path, e))?;
            bytes.truncate(complete);
        }
        let text = String::from_utf8(bytes)
            .map_err(|e| ElectionError::CorruptLog { line: 0, reason: format!("not UTF-8: {e}") })?;
        let entries = parse_log(&text)?;
        file.seek(SeekFrom::End(0)).map_err(|e| ElectionError::io(path, e))?;
        let log = BallotLog { path: path.to_path_buf(), file, next_seq: entries.len() as u64 };
        Ok((log, entries))
    }

    /// The sequence number the next entry gets.
    pub fn next_seq(&self) -> u64 {
        self.next_seq
    }

    /// Appends one entry and `fsync`s it; only then is the submission acknowledged.
    pub fn append(&mut self, ballot: &Ballot, outcome: &Outcome) -> Result<LogEntry, ElectionError> {
        let entry = LogEntry { seq: self.next_seq, ballot: ballot.clone(), outcome: outcome.clone() };
        let mut line = entry.to_line();
        line.push('\n');
        self.file.write_all(line.as_bytes()).map_err(|e| ElectionError::io(&self.path, e))?;
        self.file.sync_data().map_err(|e| ElectionError::io(&self.path, e))?;
        self.next_seq += 1;
        Ok(entry)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use psephos_ballot::{elgamal::encrypt, ElectionSecretKey};
    use psephos_primitives::{Fr, Scalar};
    use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};

    fn ballot(n: u64) -> Ballot {
        let mut rng = ChaCha20Rng::seed_from_u64(5);
        let pk = ElectionSecretKey::random(2, &mut rng).public_key();
        Ballot {
            poll_id: Fr::from(1u64),
            merkle_root: Fr::from(2u64),
            nullifier: Fr::from(n),
            ciphertext: encrypt(&pk, &[1, -1], &Scalar::from(n + 10)).unwrap(),
            proof: serde_json::json!({"ok": true}),
        }
    }

    fn outcomes() -> Vec<Outcome> {
        vec![
            Outcome::Accepted,
            Outcome::Replaced,
            Outcome::Rejected(Rejection::ScopeMismatch),
            Outcome::Rejected(Rejection::UnknownRoot),
            Outcome::Rejected(Rejection::InputCountMismatch { expected: 2, got: 3 }),
            Outcome::Rejected(Rejection::InvalidProof("pairing check failed".into())),
            Outcome::Rejected(Rejection::DuplicateNullifier),
            Outcome::Rejected(Rejection::Replay),
        ]
    }

    #[test]
    fn entries_round_trip_canonically() {
        for (i, o) in outcomes().into_iter().enumerate() {
            let e = LogEntry { seq: i as u64, ballot: ballot(i as u64), outcome: o };
            let line = e.to_line();
            assert_eq!(LogEntry::from_line(&line), Ok(e));
            // Whitespace, an unknown field, a wrong version: refused.
            assert!(LogEntry::from_line(&line.replacen(":", ": ", 1)).is_err());
            assert!(LogEntry::from_line(&line.replacen("{", "{\"x\":1,", 1)).is_err());
            assert!(LogEntry::from_line(&line.replacen("\"version\":1", "\"version\":2", 1)).is_err());
        }
    }

    /// A log long enough for the batched subgroup check (≥ `BATCH_SUBGROUP_MIN`
    /// points): `parse_log` names the first bad line whatever pass finds it.
    #[test]
    fn parse_log_names_the_first_bad_line_with_the_batched_check() {
        use psephos_primitives::{babyjubjub::BATCH_SUBGROUP_MIN, field};
        let n = BATCH_SUBGROUP_MIN / 3 + 20; // three points per ballot
        let lines: Vec<String> = (0..n as u64)
            .map(|i| LogEntry { seq: i, ballot: ballot(i + 1), outcome: Outcome::Accepted }.to_line())
            .collect();
        let join = |lines: &[String]| lines.join("\n") + "\n";
        assert_eq!(parse_log(&join(&lines)).unwrap().len(), n);
        // c2[1] of line `at` plus the point of order two: (x, y) ↦ (−x, −y).
        let torsion = |lines: &mut Vec<String>, at: usize| {
            let e = LogEntry::from_line(&lines[at]).unwrap();
            let p = e.ballot.ciphertext.c2[1];
            let (x, y) = (field::to_decimal(&p.x()), field::to_decimal(&p.y()));
            let (nx, ny) = (field::to_decimal(&-p.x()), field::to_decimal(&-p.y()));
            lines[at] = lines[at].replace(&format!("[\"{x}\",\"{y}\"]"), &format!("[\"{nx}\",\"{ny}\"]"));
        };
        let line_of = |text: &str| match parse_log(text) {
            Err(ElectionError::CorruptLog { line, reason }) => (line, reason),
            other => panic!("expected a corrupt log, got {other:?}"),
        };
        let mut bad = lines.clone();
        torsion(&mut bad, 60);
        let (line, reason) = line_of(&join(&bad));
        assert_eq!(line, 61);
        assert!(reason.contains("subgroup"), "{reason}");
        // An earlier bad envelope, an earlier non-canonical line, an earlier wrong
        // sequence number: each is named first.
        let mut earlier = bad.clone();
        earlier[10] = earlier[10].replacen("\"version\":1", "\"version\":9", 1);
        assert_eq!(line_of(&join(&earlier)).0, 11);
        let mut earlier = bad.clone();
        earlier[20] = earlier[20].replacen(":", ": ", 1);
        assert_eq!(line_of(&join(&earlier)).0, 21);
        let mut earlier = bad.clone();
        earlier[30] = lines[31].clone();
        assert_eq!(line_of(&join(&earlier)).0, 31);
        // A later bad envelope does not hide it.
        let mut later = bad.clone();
        later[70] = "{}".into();
        assert_eq!(line_of(&join(&later)).0, 61);
    }

    #[test]
    fn torn_last_line_is_truncated_at_every_byte_and_corruption_refused() {
        let dir = std::env::temp_dir().join(format!("psephos-log-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("ballots.jsonl");
        let _ = std::fs::remove_file(&path);
        let (mut log, entries) = BallotLog::open(&path).unwrap();
        assert!(entries.is_empty());
        log.append(&ballot(1), &Outcome::Accepted).unwrap();
        log.append(&ballot(2), &Outcome::Rejected(Rejection::Replay)).unwrap();
        drop(log);
        let full = std::fs::read(&path).unwrap();
        let first_end = full.iter().position(|b| *b == b'\n').unwrap() + 1;
        // Cut the second line at every byte: the first entry survives, the torn one goes.
        for cut in first_end..full.len() {
            std::fs::write(&path, &full[..cut]).unwrap();
            let (log, entries) = BallotLog::open(&path).unwrap();
            assert_eq!(entries.len(), 1, "cut at {cut}");
            assert_eq!(log.next_seq(), 1);
            assert_eq!(std::fs::read(&path).unwrap(), &full[..first_end]);
        }
        // A complete line that does not decode is corruption: refuse to open.
        let mut bad = full.clone();
        bad[first_end + 20] ^= 1;
        std::fs::write(&path, &bad).unwrap();
        assert!(matches!(BallotLog::open(&path), Err(ElectionError::CorruptLog { line: 2, .. })));
        // Out-of-order sequence numbers: corruption.
        let second = String::from_utf8(full[first_end..].to_vec()).unwrap();
        std::fs::write(&path, second.as_bytes()).unwrap();
        assert!(matches!(BallotLog::open(&path), Err(ElectionError::CorruptLog { line: 1, .. })));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
