//! The offline audit of an election record (docs/spec/tally.md §5, docs/record.md).
//!
//! In order, stopping at the first bad item:
//!
//! 1. `manifest.json` decodes and validates;
//! 2. `enrollment.jsonl` decodes (with `policy.json`: the registry log replays — every
//!    attestation, dedup tag and rule), and its group root is one of the manifest's accepted roots;
//! 3. `ballot_verification_key.json` has the id the manifest pins (development keys
//!    only if allowed);
//! 4. `dkg/transcript.json` re-verifies and its public keys are the election key;
//! 5. `ballots.jsonl`: every line canonical and in sequence; replaying the ballot-box
//!    rules gives every recorded outcome (poll, root, option count, replay,
//!    nullifier uniqueness, re-vote policy); every counted ballot's proof verifies
//!    (one batch); every ballot refused for an invalid proof really has one;
//! 6. `aggregate.json` equals the aggregate recomputed from the counted ballots;
//! 7. every `shares/trustee-<i>.json` verifies (DLEQ) against the aggregate and the
//!    DKG's verification shares, and at least `t` are present;
//! 8. `result.json` equals the result recombined from the shares, byte for byte
//!    (discrete logs included).

use std::path::Path;

use psephos_ballot::{
    statement::{ballot_public, KeysDigest, BALLOT_MODE},
    Outcome, Rejection,
};
use psephos_snark::{json, VkId, VkPolicy};
use psephos_tally::{combine, Aggregate, DecryptionShare, TallyResult};
use rand_core::{CryptoRng, RngCore};

use crate::ballot_log::LogEntry;
use crate::record::{self, files};
use crate::ElectionError;

/// Audit options.
#[derive(Clone, Copy, Debug, Default)]
pub struct AuditOptions {
    /// Accept a development (insecure) ballot verifying key.
    pub allow_development_keys: bool,
}

/// What the audit checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditReport {
    /// Options.
    pub options: usize,
    /// Voters on the roll.
    pub roll_size: usize,
    /// Trustees `n` and threshold `t`.
    pub trustees: (usize, u32),
    /// Submissions in the log.
    pub submissions: usize,
    /// Submissions refused.
    pub rejected: usize,
    /// Ballots counted.
    pub counted: usize,
    /// Ballot proofs verified (counted ballots, batched).
    pub proofs_verified: usize,
    /// Decryption shares verified.
    pub shares_verified: usize,
    /// The totals.
    pub totals: Vec<i64>,
}

impl std::fmt::Display for AuditReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "audit: ok")?;
        writeln!(f, "  roll: {} voters, root accepted by the manifest", self.roll_size)?;
        writeln!(
            f,
            "  DKG: {}-of-{} transcript re-verified; keys are the election key",
            self.trustees.1, self.trustees.0
        )?;
        writeln!(
            f,
            "  ballots: {} submissions, {} refused (reasons re-derived), {} counted; {} proofs verified (batch)",
            self.submissions, self.rejected, self.counted, self.proofs_verified
        )?;
        writeln!(f, "  aggregate: recomputed, equal")?;
        writeln!(f, "  shares: {} verified (DLEQ)", self.shares_verified)?;
        writeln!(f, "  result: recombined, equal byte for byte; totals {:?}", self.totals)
    }
}

/// Why the audit failed.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    /// The record directory itself cannot be read (bad usage, exit 2).
    #[error("cannot read the record: {0}")]
    Unreadable(String),
    /// The first bad item of the record (exit 1).
    #[error("{item}: {reason}")]
    Failed {
        /// The file (and line or entry) at fault.
        item: String,
        /// What is wrong.
        reason: String,
    },
}

/// A counted ballot's Groth16 statement: public inputs and proof.
type Statement = (Vec<psephos_primitives::Fr>, psephos_snark::Proof);

fn fail(item: impl Into<String>, reason: impl std::fmt::Display) -> AuditError {
    AuditError::Failed { item: item.into(), reason: reason.to_string() }
}

fn from_election(file: &str) -> impl Fn(ElectionError) -> AuditError + '_ {
    move |e| match e {
        ElectionError::CorruptLog { line, reason } => fail(format!("{}:{line}", files::BALLOTS), reason),
        ElectionError::Malformed { file, reason } => fail(file, reason),
        ElectionError::Io { source, .. } => fail(file, source),
        other => fail(file, other),
    }
}

/// Audits the record in `dir`. `rng` draws the batch-verification weights.
pub fn audit(
    dir: &Path,
    options: &AuditOptions,
    rng: &mut (impl RngCore + CryptoRng),
) -> Result<AuditReport, AuditError> {
    if !dir.is_dir() {
        return Err(AuditError::Unreadable(format!("{} is not a directory", dir.display())));
    }
    // 1. manifest
    let manifest = record::load_manifest(dir).map_err(from_election(files::MANIFEST))?;

    // 2. roll
    let group = record::load_roll(dir, rng).map_err(from_election(files::ENROLLMENT))?;
    if !manifest.accepted_roots.contains(&group.root()) {
        return Err(fail(files::ENROLLMENT, "the roll's group root is not an accepted root of the manifest"));
    }

    // 3. verifying key
    let vk = json::read_verifying_key(
        record::read(dir, files::BALLOT_VK).map_err(from_election(files::BALLOT_VK))?,
    )
    .map_err(|e| fail(files::BALLOT_VK, e))?;
    let pin = VkId::from_hex(&manifest.verifying_key_id).map_err(|e| fail(files::MANIFEST, e))?;
    let policy =
        if options.allow_development_keys { VkPolicy::development() } else { VkPolicy::production() };
    let pvk = vk.prepare(&policy.with_pin(pin)).map_err(|e| fail(files::BALLOT_VK, e))?;

    // 4. DKG
    let (_, public) = record::load_dkg(dir, &manifest, rng).map_err(from_election(files::DKG_TRANSCRIPT))?;

    // 5. ballots
    let entries = record::load_ballots(dir).map_err(from_election(files::BALLOTS))?;
    let bx = crate::ballot_box::replay(&manifest, &entries).map_err(from_election(files::BALLOTS))?;
    // Statements (public inputs, decoded proofs) are built in parallel.
    use rayon::prelude::*;
    // Every ballot's inputs hold the keys' digest: computed once.
    let keys = KeysDigest::new(manifest.election_key.keys()).map_err(|e| fail(files::MANIFEST, e))?;
    let statement = |e: &LogEntry| -> Result<Statement, String> {
        let inputs = ballot_public(&manifest, &e.ballot)
            .to_vec_with_keys(BALLOT_MODE, &keys)
            .map_err(|x| x.to_string())?;
        let proof = json::read_proof(serde_json::to_vec(&e.ballot.proof).map_err(|x| x.to_string())?)
            .map_err(|x| x.to_string())?;
        Ok((inputs, proof))
    };
    let checked: Vec<Result<Option<(String, Statement)>, AuditError>> = entries
        .par_iter()
        .map(|e| {
            let line = format!("{}:{}", files::BALLOTS, e.seq + 1);
            match &e.outcome {
                Outcome::Accepted | Outcome::Replaced => statement(e)
                    .map(|s| Some((line.clone(), s)))
                    .map_err(|why| fail(&line, format!("counted ballot: {why}"))),
                Outcome::Rejected(Rejection::InvalidProof(_)) => match statement(e) {
                    Ok((inputs, proof)) if psephos_snark::verify(&pvk, &inputs, &proof).is_ok() => {
                        Err(fail(&line, "refused as an invalid proof, but the proof verifies"))
                    }
                    _ => Ok(None),
                },
                Outcome::Rejected(_) => Ok(None),
            }
        })
        .collect();
    let mut items = Vec::new();
    let mut item_lines = Vec::new();
    for c in checked {
        if let Some((line, item)) = c? {
            items.push(item);
            item_lines.push(line);
        }
    }
    psephos_snark::batch_verify(&pvk, &items, rng).map_err(|e| match e {
        psephos_snark::VerifyError::Batch { index, source } => {
            fail(item_lines.get(index).cloned().unwrap_or_default(), format!("ballot proof: {source}"))
        }
        other => fail(files::BALLOTS, other),
    })?;
    let counted: Vec<_> = bx.counted().map(|b| &b.ciphertext).collect();
    let rejected = entries.iter().filter(|e| matches!(e.outcome, Outcome::Rejected(_))).count();

    // 6. aggregate
    let aggregate =
        Aggregate::new(manifest.poll_id, manifest.options, &counted).map_err(|e| fail(files::BALLOTS, e))?;
    let recorded =
        Aggregate::from_json(&record::read(dir, files::AGGREGATE).map_err(from_election(files::AGGREGATE))?)
            .map_err(|e| fail(files::AGGREGATE, e))?;
    if recorded != aggregate {
        let what = if recorded.ballots != aggregate.ballots {
            "ballot count".to_string()
        } else if recorded.ciphertext.c1 != aggregate.ciphertext.c1 {
            "c1".to_string()
        } else {
            let j = recorded
                .ciphertext
                .c2
                .iter()
                .zip(&aggregate.ciphertext.c2)
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            format!("c2[{j}]")
        };
        return Err(fail(
            files::AGGREGATE,
            format!("{what} differs from the aggregate recomputed from the counted ballots"),
        ));
    }

    // 7. shares
    let shares_dir = dir.join(files::SHARES_DIR);
    let mut names: Vec<String> = std::fs::read_dir(&shares_dir)
        .map_err(|e| fail(files::SHARES_DIR, e))?
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    let mut shares = Vec::new();
    for name in &names {
        let item = format!("{}/{name}", files::SHARES_DIR);
        let unverified = DecryptionShare::from_json(&record::read(dir, &item).map_err(from_election(&item))?)
            .map_err(|e| fail(&item, e))?;
        if format!("trustee-{}.json", unverified.claimed_trustee()) != *name {
            return Err(fail(&item, "the file name does not match the trustee index"));
        }
        shares.push(unverified.verify(&aggregate, &public, rng).map_err(|e| fail(&item, e))?);
    }

    // 8. result
    let result =
        combine(&aggregate, &public, &shares, manifest.bound).map_err(|e| fail(files::SHARES_DIR, e))?;
    let result_bytes = record::read(dir, files::RESULT).map_err(from_election(files::RESULT))?;
    let recorded = TallyResult::from_json(&result_bytes).map_err(|e| fail(files::RESULT, e))?;
    if recorded != result {
        return Err(fail(
            files::RESULT,
            format!("totals {:?} differ from the recombined totals {:?}", recorded.totals, result.totals),
        ));
    }
    if result_bytes != result.to_json().as_bytes() {
        return Err(fail(files::RESULT, "not the canonical encoding of the result"));
    }
    Ok(AuditReport {
        options: manifest.options,
        roll_size: group.size() as usize,
        trustees: (public.verification_shares.len(), public.threshold),
        submissions: entries.len(),
        rejected,
        counted: counted.len(),
        proofs_verified: items.len(),
        shares_verified: shares.len(),
        totals: result.totals,
    })
}
