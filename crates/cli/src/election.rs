//! `psephos election new`, `psephos ballot cast`, `psephos verify ballot`
//! (docs/cli.md §Elections and ballots).
//!
//! `election new --keys DIR` takes the ballot circuit's keys from a ceremony
//! (`psephos ceremony export-keys ballot:DEPTH:OPTIONS …`); without `--keys` it
//! makes a development (INSECURE) setup, and only with `--insecure-dev-setup`.
//! `ballot cast` and `verify ballot` refuse development keys unless given
//! `--insecure-dev-setup` (docs/ceremony.md §Keys in use).
//!
//! `election new` also creates one development election key (one scalar per
//! option) kept beside the manifest in `election_secret_key.INSECURE.json`: whoever
//! reads that file can decrypt every ballot. `trustee publish` replaces it with the
//! trustees' DKG key in the election record.

use std::path::{Path, PathBuf};

use clap::Args;
use psephos_ballot::{
    statement::{cast, check_votes, verify_ballot_proof, BALLOT_MODE},
    Ballot, ElectionSecretKey, Manifest, RevotePolicy,
};
use psephos_circuits::ballot::{constraint_count, BallotCircuit};
use psephos_identity::hash::semaphore_hash_str;
use psephos_primitives::field;
use psephos_snark::{dev_setup, json, ProvingKey, VkPolicy};
use serde_json::json;

use crate::{keys, load_group, load_identity, read_limited, write_files, Failure, KeyArgs};

const MAX_JSON: u64 = psephos_ballot::encoding::MAX_JSON_BYTES as u64;

/// File names inside an election directory.
pub mod files {
    /// The manifest.
    pub const MANIFEST: &str = "manifest.json";
    /// The development election secret key.
    pub const DEV_SECRET_KEY: &str = "election_secret_key.INSECURE.json";
    /// The ballot circuit's verifying key (snarkjs JSON).
    pub const BALLOT_VK: &str = "ballot_verification_key.json";
    /// The ballot circuit's proving key.
    pub const BALLOT_PK: &str = "ballot_proving_key.bin";
}

/// Arguments of `election new`.
#[derive(Args)]
pub struct NewArgs {
    /// Number of options k (1 to 64).
    #[arg(long)]
    options: usize,
    /// Voice-credit budget B.
    #[arg(long)]
    budget: u64,
    /// Per-option bound V (default ⌊√B⌋).
    #[arg(long)]
    bound: Option<u64>,
    /// The voter roll (one decimal commitment per line); its root is the accepted root.
    #[arg(long)]
    group: String,
    /// The poll name; the poll id (scope) is Semaphore's hash of it.
    #[arg(long, allow_hyphen_values = true)]
    scope: String,
    /// The ballot circuit's maximum voter-roll depth (1 to 32; default: the keys' depth, else 20).
    #[arg(long)]
    depth: Option<usize>,
    /// What a second ballot from the same voter does.
    #[arg(long, default_value = "reject", value_parser = ["reject", "last-wins"])]
    revote: String,
    /// The ballot circuit's keys: a directory written by
    /// `psephos ceremony export-keys ballot:DEPTH:OPTIONS …`.
    #[arg(long)]
    keys: Option<PathBuf>,
    /// Without --keys: make a development setup of the ballot circuit (INSECURE:
    /// whoever knows its seed can forge ballots).
    #[arg(long = "insecure-dev-setup", alias = "dev")]
    insecure_dev_setup: bool,
    /// Derive the development setup and election key from this text (reproducible, INSECURE).
    #[arg(long)]
    seed: Option<String>,
    /// The election directory to create.
    #[arg(long)]
    out: PathBuf,
}

/// Arguments of `ballot cast`.
#[derive(Args)]
pub struct CastArgs {
    /// The election directory.
    #[arg(long)]
    election: PathBuf,
    #[command(flatten)]
    key: KeyArgs,
    /// The voter roll.
    #[arg(long)]
    group: String,
    /// The votes, comma-separated, one per option (negative = against), e.g. `3,-2,1`.
    #[arg(long, allow_hyphen_values = true, value_delimiter = ',', num_args = 1)]
    votes: Vec<i64>,
    /// Where to write the ballot JSON.
    #[arg(long)]
    out: PathBuf,
    /// Accept the election's development (INSECURE) proving key.
    #[arg(long = "insecure-dev-setup", alias = "dev")]
    insecure_dev_setup: bool,
}

/// Arguments of `verify ballot`.
#[derive(Args)]
pub struct VerifyBallotArgs {
    /// The election directory.
    #[arg(long)]
    election: PathBuf,
    /// The ballot JSON.
    ballot: PathBuf,
    /// Accept the election's development (INSECURE) verifying key.
    #[arg(long = "insecure-dev-setup", alias = "dev")]
    insecure_dev_setup: bool,
}

/// Ballot-circuit keys from a ceremony key directory, checked against each other
/// and against the circuit they claim: (depth, options, proving key).
fn load_ceremony_keys(dir: &Path) -> Result<(usize, usize, ProvingKey), Failure> {
    let meta_path = dir.join("setup.json");
    let meta: serde_json::Value = serde_json::from_slice(&read_limited(&meta_path, MAX_JSON)?)
        .map_err(|e| Failure::Input(format!("malformed {}: {e}", meta_path.display())))?;
    if meta["version"] != 1 || meta["circuit"] != "ballot" {
        return Err(Failure::Input(format!(
            "{}: not a version-1 ballot-circuit key directory (make one with \
             `psephos ceremony export-keys ballot:DEPTH:OPTIONS …`)",
            meta_path.display()
        )));
    }
    let number = |k: &str| {
        meta[k]
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .ok_or(Failure::Input(format!("{}: missing {k}", meta_path.display())))
    };
    let (depth, options) = (number("maxDepth")?, number("options")?);
    let pk = keys::decode(&read_limited(&dir.join("proving_key.bin"), keys::MAX_PROVING_KEY_BYTES)?)
        .map_err(|e| Failure::Input(format!("{}: {e}", dir.join("proving_key.bin").display())))?;
    let vk_path = dir.join("verification_key.json");
    let vk = json::read_verifying_key(read_limited(&vk_path, MAX_JSON)?)
        .map_err(|e| Failure::Input(format!("{}: {e}", vk_path.display())))?;
    let id = vk.id();
    if pk.verifying_key().id() != id || meta["vkId"].as_str() != Some(id.to_hex().as_str()) {
        return Err(Failure::Input(format!(
            "{}: proving_key.bin, verification_key.json and setup.json's vkId do not match",
            dir.display()
        )));
    }
    // Ceremony keys only: the production policy refuses development and forgeable keys.
    vk.prepare(&VkPolicy::production()).map_err(|e| {
        Failure::Check(format!(
            "{}: {e} (election new --keys takes ceremony keys; use --insecure-dev-setup without --keys \
             for a development election)",
            vk_path.display()
        ))
    })?;
    let expected = BALLOT_MODE.num_public_inputs(options);
    if vk.num_public_inputs() != expected {
        return Err(Failure::Input(format!(
            "{}: {} public inputs, but the ballot circuit with {options} options has {expected}",
            vk_path.display(),
            vk.num_public_inputs()
        )));
    }
    Ok((depth, options, pk))
}

/// `election new`.
pub fn new(args: NewArgs) -> Result<String, Failure> {
    let group = load_group(&args.group)?;
    if group.size() == 0 {
        return Err(Failure::Input(format!("{}: the voter roll is empty", args.group)));
    }
    let poll_id = semaphore_hash_str(&args.scope)?;
    // The ballot circuit's keys: from a ceremony, or (only when asked) a development setup.
    let ceremony = match &args.keys {
        Some(dir) => {
            let (depth, options, pk) = load_ceremony_keys(dir)?;
            if options != args.options {
                return Err(Failure::Input(format!(
                    "the keys are for {options} options, not --options {}",
                    args.options
                )));
            }
            if args.depth.is_some_and(|d| d != depth) {
                return Err(Failure::Input(format!(
                    "the keys are for depth {depth}, not --depth {}",
                    args.depth.unwrap_or(depth)
                )));
            }
            Some((depth, pk))
        }
        None if !args.insecure_dev_setup => {
            return Err(Failure::Input(format!(
                "give --keys DIR (ceremony keys from `psephos ceremony export-keys ballot:DEPTH:OPTIONS …`), \
                 or {} for an INSECURE development setup",
                keys::DEV_FLAG
            )));
        }
        None => None,
    };
    let depth = match &ceremony {
        Some((depth, _)) => *depth,
        None => args.depth.unwrap_or(20),
    };
    let circuit =
        BallotCircuit::blank(depth, args.options, BALLOT_MODE).map_err(|e| Failure::Input(e.to_string()))?;
    let bound = args.bound.unwrap_or_else(|| Manifest::default_bound(args.budget));
    let key_seed = crate::membership::seed_or_os(&args.seed, "election-key");
    let mut key_rng = <rand_chacha::ChaCha20Rng as rand_core::SeedableRng>::from_seed(*key_seed);
    let secret = ElectionSecretKey::random(args.options, &mut key_rng);
    let mut manifest = Manifest {
        poll_name: args.scope.clone(),
        poll_id,
        options: args.options,
        budget: args.budget,
        bound,
        max_depth: depth,
        accepted_roots: vec![group.root()],
        election_key: secret.public_key(),
        verifying_key_id: String::new(),
        revote_policy: if args.revote == "last-wins" { RevotePolicy::LastWins } else { RevotePolicy::Reject },
    };
    manifest.validate().map_err(|e| Failure::Input(e.to_string()))?;
    if group.depth() > depth {
        return Err(Failure::Input(format!(
            "the voter roll has depth {} > the circuit's depth {depth}",
            group.depth()
        )));
    }
    let (pk, vk) = match ceremony {
        Some((_, pk)) => {
            let vk = pk.verifying_key().clone();
            (pk, vk)
        }
        None => dev_setup(circuit, &crate::membership::seed_or_os(&args.seed, "ballot-setup"))
            .map_err(|e| Failure::Input(format!("setup failed: {e}")))?,
    };
    let dev_keys = pk.setup_kind().is_insecure_development();
    manifest.verifying_key_id = vk.id().to_hex();
    let secret_json = json!({
        "warning": "INSECURE development election key: whoever reads this file can decrypt every ballot",
        "keys": secret.expose().iter().map(field::to_decimal).collect::<Vec<_>>(),
    });
    write_files(
        &args.out,
        &[
            (files::MANIFEST, manifest.to_json().as_bytes()),
            (files::BALLOT_VK, json::write_verifying_key(&vk).as_bytes()),
            (files::BALLOT_PK, &keys::encode(&pk).map_err(Failure::Input)?),
            (files::DEV_SECRET_KEY, format!("{secret_json:#}\n").as_bytes()),
        ],
    )?;
    if dev_keys {
        eprintln!("psephos: warning: INSECURE development setup and election key (see docs/security.md)");
    } else {
        eprintln!(
            "psephos: ceremony keys in use; warning: INSECURE development election key \
             (replace it with the trustees' DKG: `psephos trustee publish`)"
        );
    }
    Ok(format!(
        "{}\n",
        json!({
            "pollId": field::to_decimal(&poll_id),
            "options": args.options,
            "budget": args.budget,
            "bound": bound,
            "acceptedRoot": field::to_decimal(&group.root()),
            "verifyingKeyId": manifest.verifying_key_id,
            "maxDepth": depth,
            "setup": if dev_keys { "insecure-development" } else { "ceremony" },
            "constraints": constraint_count(depth, args.options, BALLOT_MODE),
        })
    ))
}

/// Loads `DIR/manifest.json`.
pub fn load_manifest(dir: &std::path::Path) -> Result<Manifest, Failure> {
    let path = dir.join(files::MANIFEST);
    Manifest::from_json(&read_limited(&path, MAX_JSON)?)
        .map_err(|e| Failure::Input(format!("{}: {e}", path.display())))
}

/// Loads the ballot proving key of an election directory.
pub fn load_ballot_pk(dir: &std::path::Path) -> Result<ProvingKey, Failure> {
    keys::decode(&read_limited(&dir.join(files::BALLOT_PK), keys::MAX_PROVING_KEY_BYTES)?)
        .map_err(Failure::Input)
}

/// `ballot cast`.
pub fn cast_ballot(args: CastArgs) -> Result<String, Failure> {
    let manifest = load_manifest(&args.election)?;
    check_votes(&manifest, &args.votes).map_err(|e| Failure::Check(e.to_string()))?;
    let identity = load_identity(&args.key)?;
    let group = load_group(&args.group)?;
    let pk = load_ballot_pk(&args.election)?;
    keys::check_proving_key(&pk, args.insecure_dev_setup, "the election's ballot proving key")?;
    if pk.verifying_key().id().to_hex() != manifest.verifying_key_id {
        return Err(Failure::Input("the ballot proving key does not match the manifest".into()));
    }
    let ballot = cast(&manifest, &identity, &group, &args.votes, &pk, &mut rand_core::OsRng)
        .map_err(|e| Failure::Check(e.to_string()))?;
    let text = ballot.to_json() + "\n";
    let dir = match args.out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = args
        .out
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or(Failure::Input("--out must name a file".into()))?;
    write_files(&dir, &[(name, text.as_bytes())])?;
    Ok(format!(
        "{}\n",
        json!({ "nullifier": field::to_decimal(&ballot.nullifier), "cost": check_votes(&manifest, &args.votes).unwrap_or(0) as u64 })
    ))
}

/// `verify ballot`.
pub fn verify_ballot(args: VerifyBallotArgs) -> Result<String, Failure> {
    let manifest = load_manifest(&args.election)?;
    let vk_path = args.election.join(files::BALLOT_VK);
    let vk = json::read_verifying_key(read_limited(&vk_path, MAX_JSON)?)
        .map_err(|e| Failure::Input(format!("{}: {e}", vk_path.display())))?;
    let ballot = Ballot::from_json(&read_limited(&args.ballot, MAX_JSON)?)
        .map_err(|e| Failure::Input(format!("{}: {e}", args.ballot.display())))?;
    if ballot.poll_id != manifest.poll_id {
        return Err(Failure::Check("wrong poll: the ballot is for another poll".into()));
    }
    if !manifest.accepted_roots.contains(&ballot.merkle_root) {
        return Err(Failure::Check(
            "unknown root: the ballot's voter roll is not accepted by this poll".into(),
        ));
    }
    if ballot.ciphertext.c2.len() != manifest.options {
        return Err(Failure::Check(format!(
            "wrong option count: expected {}, got {}",
            manifest.options,
            ballot.ciphertext.c2.len()
        )));
    }
    // The manifest pins the key id; development keys only with --insecure-dev-setup.
    let pin = psephos_snark::VkId::from_hex(&manifest.verifying_key_id)
        .map_err(|e| Failure::Input(format!("manifest verifyingKeyId: {e}")))?;
    let pvk =
        vk.prepare(&keys::vk_policy(args.insecure_dev_setup).with_pin(pin)).map_err(keys::vk_refused)?;
    verify_ballot_proof(&manifest, &pvk, &ballot).map_err(|e| Failure::Check(format!("bad proof: {e}")))?;
    Ok(format!("{}\n", json!({ "valid": true, "nullifier": field::to_decimal(&ballot.nullifier) })))
}
