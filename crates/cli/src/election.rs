//! `psephos election new`, `psephos ballot cast`, `psephos verify ballot`
//! (docs/cli.md §Elections and ballots).
//!
//! Until the trustees' DKG lands, `election new` creates one development election
//! key (one scalar per option) kept beside the manifest in
//! `election_secret_key.INSECURE.json`: whoever reads that file can decrypt every
//! ballot.

use std::path::PathBuf;

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
    /// The ballot circuit's maximum voter-roll depth (1 to 32).
    #[arg(long, default_value_t = 20)]
    depth: usize,
    /// What a second ballot from the same voter does.
    #[arg(long, default_value = "reject", value_parser = ["reject", "last-wins"])]
    revote: String,
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
}

/// Arguments of `verify ballot`.
#[derive(Args)]
pub struct VerifyBallotArgs {
    /// The election directory.
    #[arg(long)]
    election: PathBuf,
    /// The ballot JSON.
    ballot: PathBuf,
}

/// `election new`.
pub fn new(args: NewArgs) -> Result<String, Failure> {
    let group = load_group(&args.group)?;
    if group.size() == 0 {
        return Err(Failure::Input(format!("{}: the voter roll is empty", args.group)));
    }
    let poll_id = semaphore_hash_str(&args.scope)?;
    let circuit = BallotCircuit::blank(args.depth, args.options, BALLOT_MODE)
        .map_err(|e| Failure::Input(e.to_string()))?;
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
        max_depth: args.depth,
        accepted_roots: vec![group.root()],
        election_key: secret.public_key(),
        verifying_key_id: String::new(),
        revote_policy: if args.revote == "last-wins" { RevotePolicy::LastWins } else { RevotePolicy::Reject },
    };
    manifest.validate().map_err(|e| Failure::Input(e.to_string()))?;
    if group.depth() > args.depth {
        return Err(Failure::Input(format!(
            "the voter roll has depth {} > --depth {}",
            group.depth(),
            args.depth
        )));
    }
    let (pk, vk) = dev_setup(circuit, &crate::membership::seed_or_os(&args.seed, "ballot-setup"))
        .map_err(|e| Failure::Input(format!("setup failed: {e}")))?;
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
    eprintln!("psephos: warning: INSECURE development setup and election key (see docs/security.md)");
    Ok(format!(
        "{}\n",
        json!({
            "pollId": field::to_decimal(&poll_id),
            "options": args.options,
            "budget": args.budget,
            "bound": bound,
            "acceptedRoot": field::to_decimal(&group.root()),
            "verifyingKeyId": manifest.verifying_key_id,
            "constraints": constraint_count(args.depth, args.options, BALLOT_MODE),
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
    // Development elections use development keys; the manifest pins the key id.
    let pvk = vk
        .prepare(
            &VkPolicy::development().with_pin(
                psephos_snark::VkId::from_hex(&manifest.verifying_key_id)
                    .map_err(|e| Failure::Input(format!("manifest verifyingKeyId: {e}")))?,
            ),
        )
        .map_err(|e| Failure::Check(e.to_string()))?;
    verify_ballot_proof(&manifest, &pvk, &ballot).map_err(|e| Failure::Check(format!("bad proof: {e}")))?;
    Ok(format!("{}\n", json!({ "valid": true, "nullifier": field::to_decimal(&ballot.nullifier) })))
}
