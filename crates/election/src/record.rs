//! The election record: a directory of versioned files that holds everything needed
//! to re-check the election offline (docs/record.md).
//!
//! ```text
//! manifest.json                  the manifest (psephos-ballot)
//! ballot_verification_key.json   the ballot circuit's verifying key (snarkjs JSON; id pinned by the manifest)
//! policy.json                    the registrars' signed group policy (psephos-registry), if the roll is attested
//! enrollment.jsonl               the voter roll: with policy.json, the registry's attested enrollment log
//!                                (replayed: every attestation, dedup tag and rule); without it, a plain
//!                                {"version":1,"commitment":"<dec>"} per line
//! dkg/transcript.json            the trustees' DKG transcript (psephos-threshold)
//! ballots.jsonl                  every submission and its outcome (crate::ballot_log)
//! aggregate.json                 the per-option sum of the counted ballots (psephos-tally)
//! shares/trustee-<i>.json        the verified decryption shares with DLEQ proofs
//! result.json                    the totals
//! ```
//!
//! Every file is written atomically (temporary file, `fsync`, rename, directory
//! `fsync`), so a crash leaves either the old or the new file, never half of one.

use std::path::{Path, PathBuf};

use psephos_ballot::{Ballot, Manifest};
use psephos_identity::Group;
use psephos_primitives::{field, Fr, Point};
use psephos_registry::{Roll, SignedPolicy};
use psephos_tally::{
    combine, verify_shares, Aggregate, DecryptionShare, TallyError, TallyResult, Unverified,
};
use psephos_threshold::{DkgPublicOutput, DkgTranscript, SecretShare};
use rand_core::{CryptoRng, RngCore};
use serde::{Deserialize, Serialize};

use crate::ballot_log::{parse_log, LogEntry};
use crate::ElectionError;

/// File names inside a record directory.
pub mod files {
    /// The manifest.
    pub const MANIFEST: &str = "manifest.json";
    /// The ballot circuit's verifying key.
    pub const BALLOT_VK: &str = "ballot_verification_key.json";
    /// The voter roll.
    pub const ENROLLMENT: &str = "enrollment.jsonl";
    /// The registrars' signed group policy (present when the roll is a registry log).
    pub const POLICY: &str = "policy.json";
    /// The DKG transcript.
    pub const DKG_TRANSCRIPT: &str = "dkg/transcript.json";
    /// The ballot log.
    pub const BALLOTS: &str = "ballots.jsonl";
    /// The aggregate.
    pub const AGGREGATE: &str = "aggregate.json";
    /// The directory of decryption shares.
    pub const SHARES_DIR: &str = "shares";
    /// The result.
    pub const RESULT: &str = "result.json";

    /// `shares/trustee-<i>.json`.
    pub fn share(trustee: u32) -> String {
        format!("{SHARES_DIR}/trustee-{trustee}.json")
    }
}

/// Largest record file read whole (the ballot log has its own limit).
pub const MAX_FILE_BYTES: u64 = 1 << 26;
/// The enrollment-line format version.
pub const ENROLLMENT_VERSION: u32 = 1;

/// Writes `bytes` to `dir/name` atomically (creating parent directories).
pub fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), ElectionError> {
    use std::io::Write;
    let path = dir.join(name);
    let parent = path.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
    std::fs::create_dir_all(&parent).map_err(|e| ElectionError::io(&parent, e))?;
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = parent.join(format!(".{file_name}.tmp"));
    let mut f = std::fs::File::create(&tmp).map_err(|e| ElectionError::io(&tmp, e))?;
    f.write_all(bytes).and_then(|_| f.sync_all()).map_err(|e| ElectionError::io(&tmp, e))?;
    drop(f);
    std::fs::rename(&tmp, &path).map_err(|e| ElectionError::io(&path, e))?;
    if let Ok(d) = std::fs::File::open(&parent) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Reads `dir/name` (at most [`MAX_FILE_BYTES`]).
pub fn read(dir: &Path, name: &str) -> Result<Vec<u8>, ElectionError> {
    let path = dir.join(name);
    let meta = std::fs::metadata(&path).map_err(|e| ElectionError::io(&path, e))?;
    let limit = if name == files::BALLOTS { crate::ballot_log::MAX_LOG_BYTES } else { MAX_FILE_BYTES };
    if meta.len() > limit {
        return Err(ElectionError::Malformed {
            file: name.into(),
            reason: format!("larger than {limit} bytes"),
        });
    }
    std::fs::read(&path).map_err(|e| ElectionError::io(&path, e))
}

fn malformed(file: impl Into<String>, reason: impl std::fmt::Display) -> ElectionError {
    ElectionError::Malformed { file: file.into(), reason: reason.to_string() }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EnrollmentJson {
    version: u32,
    commitment: String,
}

/// The enrollment log text for `commitments` (one canonical line each).
pub fn enrollment_text(commitments: &[Fr]) -> String {
    commitments
        .iter()
        .map(|c| {
            format!("{{\"version\":{ENROLLMENT_VERSION},\"commitment\":\"{}\"}}\n", field::to_decimal(c))
        })
        .collect()
}

/// Parses the enrollment log strictly (canonical lines, valid non-zero commitments).
pub fn parse_enrollment(text: &str) -> Result<Vec<Fr>, ElectionError> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let body =
        text.strip_suffix('\n').ok_or_else(|| malformed(files::ENROLLMENT, "missing final newline"))?;
    let mut out = Vec::new();
    for (i, line) in body.split('\n').enumerate() {
        let where_ = format!("{}:{}", files::ENROLLMENT, i + 1);
        let j: EnrollmentJson = serde_json::from_str(line).map_err(|e| malformed(&where_, e))?;
        if j.version != ENROLLMENT_VERSION {
            return Err(malformed(&where_, format!("unknown version {}", j.version)));
        }
        let c: Fr =
            field::decimal_to_field(&j.commitment, "commitment").map_err(|e| malformed(&where_, e))?;
        if enrollment_text(&[c]) != format!("{line}\n") {
            return Err(malformed(&where_, "non-canonical line"));
        }
        out.push(c);
    }
    Ok(out)
}

/// The voter roll of the record in `dir` as a group. With `policy.json`, the
/// enrollment log is the registry's: the policy's signatures, every entry's k-of-n
/// attestations, the dedup-tag and commitment uniqueness rules and removals are
/// replayed (psephos-registry), and the error names the first bad entry. Without it,
/// the log is the plain commitment list.
pub fn load_roll(dir: &Path, rng: &mut (impl RngCore + CryptoRng)) -> Result<Group, ElectionError> {
    let text = String::from_utf8(read(dir, files::ENROLLMENT)?)
        .map_err(|_| malformed(files::ENROLLMENT, "not UTF-8"))?;
    if dir.join(files::POLICY).exists() {
        let policy_text = String::from_utf8(read(dir, files::POLICY)?)
            .map_err(|_| malformed(files::POLICY, "not UTF-8"))?;
        let policy = SignedPolicy::from_json(&policy_text, rng).map_err(|e| malformed(files::POLICY, e))?;
        let roll = Roll::replay(policy, &text, rng)
            .map_err(|e| malformed(format!("{}: entry {}", files::ENROLLMENT, e.position), e.error))?;
        Ok(roll.into_group())
    } else {
        Group::from_members(&parse_enrollment(&text)?).map_err(|e| malformed(files::ENROLLMENT, e))
    }
}

/// Loads and validates `manifest.json`.
pub fn load_manifest(dir: &Path) -> Result<Manifest, ElectionError> {
    Manifest::from_json(&read(dir, files::MANIFEST)?).map_err(|e| malformed(files::MANIFEST, e))
}

/// Loads `dkg/transcript.json`, re-verifies it, and checks that its public keys are
/// the manifest's election key.
pub fn load_dkg(
    dir: &Path,
    manifest: &Manifest,
    rng: &mut (impl RngCore + CryptoRng),
) -> Result<(DkgTranscript<Point>, DkgPublicOutput<Point>), ElectionError> {
    let text = String::from_utf8(read(dir, files::DKG_TRANSCRIPT)?)
        .map_err(|_| malformed(files::DKG_TRANSCRIPT, "not UTF-8"))?;
    let transcript =
        DkgTranscript::<Point>::from_json(&text).map_err(|e| malformed(files::DKG_TRANSCRIPT, e))?;
    let public = transcript.verify(rng).map_err(|e| malformed(files::DKG_TRANSCRIPT, e))?;
    if public.public_keys != manifest.election_key.keys() {
        return Err(malformed(
            files::DKG_TRANSCRIPT,
            "the DKG's public keys are not the manifest's election key",
        ));
    }
    Ok((transcript, public))
}

/// Reads and parses `ballots.jsonl` (every line complete and canonical).
pub fn load_ballots(dir: &Path) -> Result<Vec<LogEntry>, ElectionError> {
    let text =
        String::from_utf8(read(dir, files::BALLOTS)?).map_err(|_| malformed(files::BALLOTS, "not UTF-8"))?;
    parse_log(&text)
}

/// The counted ballots of a log under the manifest's rules (recorded proof verdicts;
/// `audit` re-checks them), ordered by nullifier.
pub fn counted(manifest: &Manifest, entries: &[LogEntry]) -> Result<Vec<Ballot>, ElectionError> {
    let bx = crate::ballot_box::replay(manifest, entries)?;
    Ok(bx.counted().cloned().collect())
}

/// The aggregate of the counted ballots of the record in `dir`, recomputed from the log.
pub fn compute_aggregate(dir: &Path) -> Result<(Manifest, Aggregate), ElectionError> {
    let manifest = load_manifest(dir)?;
    let ballots = counted(&manifest, &load_ballots(dir)?)?;
    let cts: Vec<_> = ballots.iter().map(|b| &b.ciphertext).collect();
    let aggregate =
        Aggregate::new(manifest.poll_id, manifest.options, &cts).map_err(|e| malformed(files::BALLOTS, e))?;
    Ok((manifest, aggregate))
}

/// Trustee side: recomputes the aggregate from the record's ballot log (never
/// trusting `aggregate.json`) and produces this trustee's decryption share.
pub fn trustee_decrypt(
    dir: &Path,
    share: &SecretShare<Point>,
    rng: &mut (impl RngCore + CryptoRng),
) -> Result<DecryptionShare, ElectionError> {
    let (manifest, aggregate) = compute_aggregate(dir)?;
    let (_, public) = load_dkg(dir, &manifest, rng)?;
    DecryptionShare::create(&aggregate, &public, share, rng).map_err(|e| malformed("trustee share", e))
}

/// Why a tally could not be published.
#[derive(Debug)]
pub enum TallyFailure {
    /// The record could not be read.
    Record(ElectionError),
    /// Fewer than `t` valid shares (or another tally error); the invalid shares are
    /// attributed. Nothing was written.
    Tally {
        /// The error.
        error: TallyError,
        /// `(claimed trustee, why)` for every refused share.
        refused: Vec<(u32, TallyError)>,
    },
}

/// Combines the offered shares and publishes `aggregate.json`, the verified shares
/// and `result.json` — all or nothing: if fewer than `t` shares verify, nothing is
/// written. Returns the result and the refused shares (attributed).
pub fn publish_tally(
    dir: &Path,
    offered: Vec<Unverified<DecryptionShare>>,
    rng: &mut (impl RngCore + CryptoRng),
) -> Result<(TallyResult, Vec<(u32, TallyError)>), TallyFailure> {
    let (manifest, aggregate) = compute_aggregate(dir).map_err(TallyFailure::Record)?;
    let (_, public) = load_dkg(dir, &manifest, rng).map_err(TallyFailure::Record)?;
    let (mut valid, refused) = verify_shares(&aggregate, &public, offered, rng);
    valid.sort_by_key(|s| s.trustee);
    let result = match combine(&aggregate, &public, &valid, manifest.bound) {
        Ok(r) => r,
        Err(error) => return Err(TallyFailure::Tally { error, refused }),
    };
    let write = || -> Result<(), ElectionError> {
        write_atomic(dir, files::AGGREGATE, aggregate.to_json().as_bytes())?;
        for s in &valid {
            write_atomic(dir, &files::share(s.trustee), s.to_json().as_bytes())?;
        }
        // The result last: its presence means the tally is complete.
        write_atomic(dir, files::RESULT, result.to_json().as_bytes())
    };
    write().map_err(TallyFailure::Record)?;
    Ok((result, refused))
}
