//! `psephos setup membership`, `psephos prove membership` and `psephos verify`
//! (docs/cli.md §Membership proofs).

use std::path::{Path, PathBuf};

use clap::Args;
use psephos_circuits::membership::{MembershipCircuit, MembershipPrivate, MembershipPublic};
use psephos_identity::hash::semaphore_hash_str;
use psephos_primitives::{field, poseidon, Fr};
use psephos_snark::{dev_setup, json, prove as groth16_prove, verify as groth16_verify, VerifyError, VkId};
use serde_json::json;
use sha3::{Digest, Sha3_256};
use zeroize::Zeroizing;

use crate::{keys, load_group, load_identity, read_limited, write_files, Failure, KeyArgs};

/// Domain label for turning a `--seed` text into the 32-byte development seed.
pub const DEV_SEED_LABEL: &[u8] = b"psephos/cli/dev-seed/v2";

/// Largest JSON artifact read (proof, key, public signals).
const MAX_JSON: u64 = psephos_snark::MAX_JSON_BYTES as u64;

/// Arguments of `setup membership`.
#[derive(Args)]
pub struct SetupArgs {
    /// The circuit's maximum tree depth (1 to 32).
    #[arg(long)]
    depth: usize,
    /// The output directory (created if needed).
    #[arg(long)]
    out: PathBuf,
    /// Derive the setup from this text (reproducible, INSECURE: anyone who knows it can forge proofs).
    /// Without it, the seed is drawn from the OS and forgotten.
    #[arg(long)]
    seed: Option<String>,
}

/// Arguments of `prove membership`.
#[derive(Args)]
pub struct ProveArgs {
    #[command(flatten)]
    key: KeyArgs,
    /// The group file (one decimal commitment per line; `-` = stdin).
    #[arg(long)]
    group: String,
    /// The message bound into the proof (Semaphore's rules: number or short text).
    #[arg(long, allow_hyphen_values = true)]
    message: String,
    /// The scope (poll id) the nullifier is derived for.
    #[arg(long, allow_hyphen_values = true)]
    scope: String,
    /// The directory written by `ceremony export-keys` (or `setup membership`).
    #[arg(long)]
    keys: PathBuf,
    /// The output directory for proof.json and public.json.
    #[arg(long)]
    out: PathBuf,
    /// Accept a development (INSECURE) proving key, e.g. one from `setup membership`.
    #[arg(long = "insecure-dev-setup", alias = "dev")]
    insecure_dev_setup: bool,
}

/// Arguments of `verify`.
#[derive(Args)]
pub struct VerifyArgs {
    /// snarkjs verification_key.json.
    #[arg(long, required = true)]
    vk: Option<PathBuf>,
    /// snarkjs proof.json.
    #[arg(long, required = true)]
    proof: Option<PathBuf>,
    /// snarkjs public.json (decimal strings).
    #[arg(long, required = true)]
    public: Option<PathBuf>,
    /// Accept development (INSECURE) keys, e.g. from `setup membership`.
    #[arg(long = "insecure-dev-setup", alias = "dev")]
    insecure_dev_setup: bool,
    /// Require the verifying key to have this id (64 hex digits).
    #[arg(long)]
    vk_id: Option<String>,
}

/// The development seed for `purpose` (and item `index`) from `--seed TEXT`:
/// SHA3-256(`DEV_SEED_LABEL` ‖ u64 len(purpose) ‖ purpose ‖ u64 len(text) ‖ text ‖
/// u64 index), lengths and index little-endian. Every reproducible random choice of
/// the CLI (setups, development election keys, the demo's identities and votes) comes
/// from here; the seed is the trapdoor of the setups it makes, hence INSECURE.
pub(crate) fn dev_seed(text: &str, purpose: &str, index: u64) -> Zeroizing<[u8; 32]> {
    let mut h = Sha3_256::new();
    h.update(DEV_SEED_LABEL);
    for part in [purpose.as_bytes(), text.as_bytes()] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part);
    }
    h.update(index.to_le_bytes());
    Zeroizing::new(h.finalize().into())
}

/// [`dev_seed`] with `--seed`, or 32 bytes from the OS without it (then nobody can
/// reproduce the choice).
pub(crate) fn seed_or_os(seed: &Option<String>, purpose: &str) -> Zeroizing<[u8; 32]> {
    match seed {
        Some(text) => dev_seed(text, purpose, 0),
        None => {
            let mut s = Zeroizing::new([0u8; 32]);
            rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut s[..]);
            s
        }
    }
}

/// `setup membership`.
pub fn setup(args: SetupArgs) -> Result<String, Failure> {
    let circuit = MembershipCircuit::blank(args.depth).map_err(|e| Failure::Input(e.to_string()))?;
    let seed = seed_or_os(&args.seed, "membership-setup");
    let (pk, vk) = dev_setup(circuit, &seed).map_err(|e| Failure::Input(format!("setup failed: {e}")))?;
    let pk_bytes = keys::encode(&pk).map_err(Failure::Input)?;
    let constraints = psephos_circuits::membership::constraint_count(args.depth).unwrap_or(0);
    let meta = json!({
        "version": 1,
        "circuit": "membership",
        "maxDepth": args.depth,
        "constraints": constraints,
        "vkId": vk.id().to_hex(),
        "setup": "insecure-development",
        "warning": "development setup: whoever knows the seed can forge proofs",
    });
    write_files(
        &args.out,
        &[
            ("verification_key.json", json::write_verifying_key(&vk).as_bytes()),
            ("proving_key.bin", &pk_bytes),
            ("setup.json", format!("{meta:#}\n").as_bytes()),
        ],
    )?;
    eprintln!("psephos: warning: INSECURE development setup (whoever knows the seed can forge proofs)");
    Ok(format!("{meta}\n"))
}

fn read_setup_meta(dir: &Path) -> Result<(usize, String), Failure> {
    let bytes = read_limited(&dir.join("setup.json"), MAX_JSON)?;
    let v: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|e| Failure::Input(format!("malformed {}: {e}", dir.join("setup.json").display())))?;
    if v["version"] != 1 || v["circuit"] != "membership" {
        return Err(Failure::Input("setup.json: not a version-1 membership setup".into()));
    }
    let depth = v["maxDepth"].as_u64().ok_or(Failure::Input("setup.json: missing maxDepth".into()))? as usize;
    let id = v["vkId"].as_str().ok_or(Failure::Input("setup.json: missing vkId".into()))?.to_string();
    Ok((depth, id))
}

/// `prove membership`.
pub fn prove(args: ProveArgs) -> Result<String, Failure> {
    let identity = load_identity(&args.key)?;
    let group = load_group(&args.group)?;
    let message = semaphore_hash_str(&args.message)?;
    let scope = semaphore_hash_str(&args.scope)?;
    let (max_depth, vk_id) = read_setup_meta(&args.keys)?;
    let index = group
        .index_of(&identity.commitment())
        .ok_or(Failure::Check("the identity is not a member of the group".into()))?;
    let merkle = group.generate_proof(index)?;
    if merkle.siblings.len() > max_depth {
        return Err(Failure::Check(format!(
            "the group needs depth {} but the keys support at most {max_depth}",
            merkle.siblings.len()
        )));
    }
    let secret = identity.secret_scalar().to_field();
    let public = MembershipPublic {
        merkle_root: merkle.root,
        nullifier: poseidon::hash2(scope, secret),
        message,
        scope,
    };
    let mut siblings = merkle.siblings.clone();
    siblings.resize(max_depth, Fr::from(0u64));
    let private = MembershipPrivate {
        secret,
        proof_length: merkle.siblings.len(),
        index: Fr::from(merkle.index),
        siblings,
    };
    let circuit = MembershipCircuit::new(max_depth, public, &private)
        .map_err(|e| Failure::Input(format!("cannot build the witness: {e}")))?;
    let pk = keys::decode(&read_limited(&args.keys.join("proving_key.bin"), keys::MAX_PROVING_KEY_BYTES)?)
        .map_err(Failure::Input)?;
    keys::check_proving_key(&pk, args.insecure_dev_setup, "the proving key")?;
    if pk.verifying_key().id().to_hex() != vk_id {
        return Err(Failure::Input("proving_key.bin does not match setup.json's vkId".into()));
    }
    let inputs = public.to_vec();
    let proof = groth16_prove(&pk, circuit, &inputs, &mut rand_core::OsRng)
        .map_err(|e| Failure::Check(format!("cannot prove: {e}")))?;
    write_files(
        &args.out,
        &[
            ("proof.json", json::write_proof(&proof).as_bytes()),
            ("public.json", json::write_public_signals(&inputs).as_bytes()),
        ],
    )?;
    Ok(format!(
        "{}\n",
        json!({
            "merkleRoot": field::to_decimal(&public.merkle_root),
            "nullifier": field::to_decimal(&public.nullifier),
            "message": field::to_decimal(&public.message),
            "scope": field::to_decimal(&public.scope),
        })
    ))
}

/// Exit 1 for a verification failure, 2 for malformed input.
fn classify(e: VerifyError) -> Failure {
    match e {
        VerifyError::InvalidProof
        | VerifyError::VkMismatch { .. }
        | VerifyError::InsecureVk { .. }
        | VerifyError::InputCountMismatch { .. } => Failure::Check(e.to_string()),
        other => Failure::Input(other.to_string()),
    }
}

/// `verify`.
pub fn verify(args: VerifyArgs) -> Result<String, Failure> {
    let missing = || Failure::Input("--vk, --proof and --public are required".into());
    let (vk_path, proof_path, public_path) =
        (args.vk.ok_or_else(missing)?, args.proof.ok_or_else(missing)?, args.public.ok_or_else(missing)?);
    let vk = json::read_verifying_key(read_limited(&vk_path, MAX_JSON)?)
        .map_err(|e| Failure::Input(format!("{}: {e}", vk_path.display())))?;
    let proof = json::read_proof(read_limited(&proof_path, MAX_JSON)?)
        .map_err(|e| Failure::Input(format!("{}: {e}", proof_path.display())))?;
    let inputs = json::read_public_signals(read_limited(&public_path, MAX_JSON)?)
        .map_err(|e| Failure::Input(format!("{}: {e}", public_path.display())))?;
    let mut policy = keys::vk_policy(args.insecure_dev_setup);
    if let Some(id) = &args.vk_id {
        policy = policy.with_pin(VkId::from_hex(id).map_err(|e| Failure::Input(format!("--vk-id: {e}")))?);
    }
    let pvk = vk.prepare(&policy).map_err(|e| match e {
        VerifyError::InsecureVk { .. } => keys::vk_refused(e),
        other => classify(other),
    })?;
    groth16_verify(&pvk, &inputs, &proof).map_err(classify)?;
    Ok(format!("{}\n", json!({ "valid": true, "vkId": vk.id().to_hex(), "publicInputs": inputs.len() })))
}
