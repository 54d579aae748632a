//! `psephos tally DIR` and `psephos submit DIR BALLOT…` (docs/cli.md §Tally).
//!
//! - `submit DIR BALLOT…`: the ballot box — each ballot is checked (poll, root,
//!   options, replay, nullifier, re-vote policy, proof) and appended with its outcome
//!   to `DIR/ballots.jsonl`, `fsync`ed, before its outcome is printed.
//! - `tally DIR --secret-share SHARE --out FILE`: trustee side — recompute the
//!   aggregate from the ballot log and write this trustee's decryption share.
//! - `tally DIR --share FILE…`: verify the offered shares (refused ones are named),
//!   combine any `t`, and publish `aggregate.json`, `shares/` and `result.json` —
//!   or, with fewer than `t` valid shares, exit 1 and publish nothing.

use std::path::PathBuf;

use clap::Args;
use psephos_ballot::{statement::verify_ballot_proof, Ballot, Manifest, Outcome};
use psephos_election::{
    record::{self, files, TallyFailure},
    DurableBallotBox,
};
use psephos_primitives::{field, Point};
use psephos_snark::{json, VkId};
use psephos_tally::DecryptionShare;
use psephos_threshold::SecretShare;
use serde_json::json;

use crate::{read_limited, Failure};

const MAX_FILE: u64 = record::MAX_FILE_BYTES;

/// Arguments of `tally`.
#[derive(Args)]
pub struct TallyArgs {
    /// The record directory.
    dir: PathBuf,
    /// Trustee side: this trustee's secret share file (from `trustee finish`).
    #[arg(long = "secret-share", requires = "out", conflicts_with = "shares")]
    secret_share: Option<PathBuf>,
    /// Trustee side: where to write the decryption share.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Combination: the trustees' decryption share files.
    #[arg(long = "share", num_args = 1..)]
    shares: Vec<PathBuf>,
}

/// Arguments of `trustee decrypt` (the trustee side of `tally`).
#[derive(Args)]
pub struct ShareArgs {
    /// The record directory.
    dir: PathBuf,
    /// This trustee's secret share file.
    #[arg(long = "secret-share")]
    secret_share: PathBuf,
    /// Where to write the decryption share.
    #[arg(long)]
    out: PathBuf,
}

/// Arguments of `submit`.
#[derive(Args)]
pub struct SubmitArgs {
    /// The record directory.
    dir: PathBuf,
    /// Ballot files, submitted in order.
    #[arg(required = true)]
    ballots: Vec<PathBuf>,
    /// Accept a development (INSECURE) ballot verifying key.
    #[arg(long = "insecure-dev-setup", alias = "dev")]
    insecure_dev_setup: bool,
}

fn election_err(e: psephos_election::ElectionError) -> Failure {
    use psephos_election::ElectionError as E;
    match e {
        E::CorruptLog { .. } | E::Poisoned => Failure::Check(e.to_string()),
        other => Failure::Input(other.to_string()),
    }
}

/// `tally DIR …`.
pub fn run(args: TallyArgs) -> Result<String, Failure> {
    match (args.secret_share, args.out) {
        (Some(secret_share), Some(out)) => share(ShareArgs { dir: args.dir, secret_share, out }),
        (None, None) if !args.shares.is_empty() => combine(args.dir, &args.shares),
        _ => Err(Failure::Input("give either --secret-share and --out, or --share FILE…".into())),
    }
}

/// The trustee side: one decryption share.
pub fn share(a: ShareArgs) -> Result<String, Failure> {
    let text = String::from_utf8(read_limited(&a.secret_share, MAX_FILE)?)
        .map_err(|_| Failure::Input(format!("{}: not UTF-8", a.secret_share.display())))?;
    let secret = SecretShare::<Point>::from_secret_json(&text)
        .map_err(|e| Failure::Input(format!("{}: {e}", a.secret_share.display())))?;
    let share = record::trustee_decrypt(&a.dir, &secret, &mut rand_core::OsRng).map_err(election_err)?;
    let dir = match a.out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name =
        a.out.file_name().and_then(|n| n.to_str()).ok_or(Failure::Input("--out must name a file".into()))?;
    record::write_atomic(&dir, name, share.to_json().as_bytes()).map_err(election_err)?;
    Ok(format!(
        "{}\n",
        json!({ "trustee": share.trustee, "ballots": share.ballots, "options": share.partials.len() })
    ))
}

fn combine(dir: PathBuf, paths: &[PathBuf]) -> Result<String, Failure> {
    let mut offered = Vec::new();
    let mut unreadable = Vec::new();
    for p in paths {
        match DecryptionShare::from_json(&read_limited(p, MAX_FILE)?) {
            Ok(s) => offered.push(s),
            Err(e) => unreadable.push(format!("{}: {e}", p.display())),
        }
    }
    for u in &unreadable {
        eprintln!("psephos: refused share {u}");
    }
    match record::publish_tally(&dir, offered, &mut rand_core::OsRng) {
        Ok((result, refused)) => {
            for (t, e) in &refused {
                eprintln!("psephos: refused the share of trustee {t}: {e}");
            }
            Ok(format!(
                "{}\n",
                json!({
                    "countedBallots": result.counted_ballots,
                    "totals": result.totals,
                    "refusedShares": refused.iter().map(|(t, _)| *t).collect::<Vec<_>>(),
                    "result": dir.join(files::RESULT).display().to_string(),
                })
            ))
        }
        Err(TallyFailure::Record(e)) => Err(election_err(e)),
        Err(TallyFailure::Tally { error, refused }) => {
            let blamed: Vec<String> = refused.iter().map(|(t, e)| format!("trustee {t}: {e}")).collect();
            Err(Failure::Check(format!(
                "{error}; nothing was published{}",
                if blamed.is_empty() { String::new() } else { format!(" (refused: {})", blamed.join("; ")) }
            )))
        }
    }
}

/// `submit DIR BALLOT…`.
pub fn submit(a: SubmitArgs) -> Result<String, Failure> {
    let manifest = record::load_manifest(&a.dir).map_err(election_err)?;
    let vk_path = a.dir.join(files::BALLOT_VK);
    let vk = json::read_verifying_key(read_limited(&vk_path, MAX_FILE)?)
        .map_err(|e| Failure::Input(format!("{}: {e}", vk_path.display())))?;
    let pin = VkId::from_hex(&manifest.verifying_key_id).map_err(|e| Failure::Input(e.to_string()))?;
    let policy = crate::keys::vk_policy(a.insecure_dev_setup);
    let pvk = vk.prepare(&policy.with_pin(pin)).map_err(crate::keys::vk_refused)?;
    let mut bx =
        DurableBallotBox::open(&a.dir.join(files::BALLOTS), manifest, move |m: &Manifest, b: &Ballot| {
            verify_ballot_proof(m, &pvk, b)
        })
        .map_err(election_err)?;
    let mut out = String::new();
    for p in &a.ballots {
        let ballot = Ballot::from_json(&read_limited(p, MAX_FILE)?)
            .map_err(|e| Failure::Input(format!("{}: {e}", p.display())))?;
        let nullifier = field::to_decimal(&ballot.nullifier);
        let entry = bx.submit(ballot).map_err(election_err)?;
        let (status, reason) = match &entry.outcome {
            Outcome::Accepted => ("accepted", None),
            Outcome::Replaced => ("replaced", None),
            Outcome::Rejected(r) => ("rejected", Some(r.to_string())),
        };
        out.push_str(&format!(
            "{}\n",
            json!({ "ballot": p.display().to_string(), "seq": entry.seq, "nullifier": nullifier, "status": status, "reason": reason })
        ));
    }
    Ok(out)
}
