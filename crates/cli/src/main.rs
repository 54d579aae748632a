//! `psephos`: the command-line tool of the psephos toolkit.
//!
//! Exit codes: 0 success; 1 a check failed (with the reason); 2 bad usage or
//! malformed input (with a one-line message naming the problem). No input makes it
//! panic. See README.md for a tour and docs/cli.md for every command.

use std::io::{self, BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod audit;
mod ceremony;
mod demo;
mod election;
mod keys;
mod membership;
mod registry;
mod tally;
mod trustee;
mod vectors;

use clap::{Args, Parser, Subcommand};
use psephos_identity::{hash::semaphore_hash_str, Group, Identity, IdentityError, Nullifier};
use psephos_primitives::{field, poseidon, EncodingError, Fr};
use serde_json::json;

/// Largest private key accepted on the command line, in bytes.
const MAX_KEY_BYTES: usize = 4096;

#[derive(Parser)]
#[command(name = "psephos", version, about = "Sybil-resistant identity and ballot-privacy cryptography")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The main job: a whole quadratic-voting election on embedded defaults (INSECURE dev keys).
    Demo(demo::DemoArgs),
    /// Semaphore v4 identities.
    #[command(subcommand)]
    Identity(IdentityCommand),
    /// Hashes: circomlib Poseidon and Semaphore's message/scope hash.
    #[command(subcommand)]
    Hash(HashCommand),
    /// The nullifier Poseidon(hash(scope), secret) of an identity for a scope.
    Nullifier {
        #[command(flatten)]
        key: KeyArgs,
        /// The scope (poll id): a decimal or 0x-hex number, or text of at most 31 bytes.
        #[arg(long)]
        scope: String,
    },
    /// Semaphore groups (LeanIMT with Poseidon).
    #[command(subcommand)]
    Group(GroupCommand),
    /// Groth16 setups (development setups are INSECURE: see docs/security.md).
    #[command(subcommand)]
    Setup(SetupCommand),
    /// Zero-knowledge proofs.
    #[command(subcommand)]
    Prove(ProveCommand),
    /// Verifies any Groth16 BN254 proof in snarkjs' JSON format, or a ballot (`verify ballot`).
    Verify(VerifyCommand),
    /// Elections (development flow: one insecure election key until the trustee DKG lands).
    #[command(subcommand)]
    Election(ElectionCommand),
    /// Encrypted quadratic-voting ballots.
    #[command(subcommand)]
    Ballot(BallotCommand),
    /// Registrars: signing keys, dedup tags (threshold OPRF), attestations.
    #[command(subcommand)]
    Registrar(registry::RegistrarCommand),
    /// Appends an enrollment (or, with --remove, a removal) attested by k registrars to the log.
    Enroll(registry::EnrollArgs),
    /// Registrar groups: set-up, and replay of an enrollment log.
    #[command(subcommand)]
    Registry(registry::RegistryCommand),
    /// Verifiable multi-party Groth16 trusted setup (phase 1, R1CS export, phase 2), snarkjs-compatible.
    #[command(subcommand)]
    Ceremony(ceremony::CeremonyCommand),
    /// Published test vectors: `vectors check DIR` runs every vector file in DIR.
    #[command(subcommand)]
    Vectors(vectors::VectorsCommand),
    /// Election trustees: the DKG as files in and out, publication into a record, decryption shares.
    #[command(subcommand)]
    Trustee(trustee::TrusteeCommand),
    /// The ballot box: checks ballots and appends them durably to DIR/ballots.jsonl.
    Submit(tally::SubmitArgs),
    /// The threshold tally of a record: a trustee's share (--secret-share) or the combination (--share…).
    Tally(tally::TallyArgs),
    /// Re-verifies a whole election record offline (exit 1 names the first bad item).
    Audit(audit::AuditArgs),
}

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
struct VerifyCommand {
    #[command(subcommand)]
    sub: Option<VerifySub>,
    #[command(flatten)]
    args: membership::VerifyArgs,
}

#[derive(Subcommand)]
enum VerifySub {
    /// Verifies a ballot against an election's manifest and verifying key.
    Ballot(election::VerifyBallotArgs),
}

#[derive(Subcommand)]
enum ElectionCommand {
    /// Creates an election: manifest, ballot-circuit keys and a development election key (INSECURE).
    New(election::NewArgs),
}

#[derive(Subcommand)]
enum BallotCommand {
    /// Encrypts a vote vector and proves it comes from a voter within the budget.
    Cast(election::CastArgs),
}

#[derive(Subcommand)]
enum SetupCommand {
    /// A deterministic development setup of the membership circuit (INSECURE).
    Membership(membership::SetupArgs),
}

#[derive(Subcommand)]
enum ProveCommand {
    /// A Semaphore-v4 membership proof: "I am in this group; this is my nullifier for this scope".
    Membership(membership::ProveArgs),
}

#[derive(Subcommand)]
enum IdentityCommand {
    /// A fresh random identity (32 bytes from the OS): its base64 export and public values.
    New,
    /// The secret scalar, public key and commitment of a private key.
    Show {
        #[command(flatten)]
        key: KeyArgs,
    },
}

#[derive(Args)]
#[group(required = true, multiple = false)]
pub(crate) struct KeyArgs {
    /// The private key as text (its UTF-8 bytes, even if it looks like hex).
    #[arg(long = "private-key")]
    text: Option<String>,
    /// The private key as hex bytes (optional 0x prefix).
    #[arg(long = "private-key-hex")]
    hex: Option<String>,
    /// The private key as Semaphore's base64 export.
    #[arg(long = "private-key-base64")]
    base64: Option<String>,
}

#[derive(Subcommand)]
enum HashCommand {
    /// circomlib Poseidon of 1 to 16 decimal field elements.
    Poseidon {
        /// The inputs, canonical decimal strings below the BN254 scalar modulus.
        #[arg(required = true, num_args = 1.., allow_hyphen_values = true)]
        inputs: Vec<String>,
    },
    /// Semaphore's hash of a message or scope: keccak256(32-byte big-endian) >> 8.
    Scope {
        /// A decimal or 0x-hex number, or text of at most 31 bytes.
        #[arg(allow_hyphen_values = true)]
        value: String,
    },
}

#[derive(Subcommand)]
enum GroupCommand {
    /// The root of the group whose members are listed in FILE (one decimal per line; `-` = stdin).
    Root {
        /// The member file, or `-` for standard input.
        file: String,
    },
    /// The compact Merkle proof of the member at --index.
    Proof {
        /// The member file, or `-` for standard input.
        file: String,
        /// The member's position (0-based).
        #[arg(long)]
        index: u64,
    },
}

/// How a command failed.
pub(crate) enum Failure {
    /// Exit 1: a check failed.
    Check(String),
    /// Exit 2: bad usage or malformed input.
    Input(String),
}

impl From<EncodingError> for Failure {
    fn from(e: EncodingError) -> Self {
        Failure::Input(e.to_string())
    }
}

impl From<IdentityError> for Failure {
    fn from(e: IdentityError) -> Self {
        Failure::Input(e.to_string())
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run(cli.command) {
        Ok(output) => {
            let mut stdout = io::stdout().lock();
            match stdout.write_all(output.as_bytes()).and_then(|_| stdout.flush()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("psephos: cannot write output: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Err(Failure::Check(msg)) => {
            eprintln!("psephos: check failed: {msg}");
            ExitCode::from(1)
        }
        Err(Failure::Input(msg)) => {
            eprintln!("psephos: error: {msg}");
            ExitCode::from(2)
        }
    }
}

fn run(command: Command) -> Result<String, Failure> {
    match command {
        Command::Identity(IdentityCommand::New) => {
            let identity = Identity::random(&mut rand_core::OsRng);
            let mut value = identity_json(&identity);
            value["export"] = json!(identity.export().as_str());
            Ok(format!("{}\n", value))
        }
        Command::Identity(IdentityCommand::Show { key }) => {
            Ok(format!("{}\n", identity_json(&load_identity(&key)?)))
        }
        Command::Hash(HashCommand::Poseidon { inputs }) => {
            if inputs.len() > poseidon::MAX_ARITY {
                return Err(Failure::Input(format!(
                    "Poseidon takes 1 to {} inputs, got {}",
                    poseidon::MAX_ARITY,
                    inputs.len()
                )));
            }
            let values = inputs
                .iter()
                .map(|s| field::decimal_to_field::<Fr>(s, "Poseidon input"))
                .collect::<Result<Vec<_>, _>>()?;
            let h = poseidon::hash(&values).map_err(|e| Failure::Input(e.to_string()))?;
            Ok(format!("{}\n", field::to_decimal(&h)))
        }
        Command::Hash(HashCommand::Scope { value }) => {
            Ok(format!("{}\n", field::to_decimal(&semaphore_hash_str(&value)?)))
        }
        Command::Nullifier { key, scope } => {
            let identity = load_identity(&key)?;
            let scope = semaphore_hash_str(&scope)?;
            Ok(format!("{}\n", field::to_decimal(&Nullifier::derive(&identity, scope).to_field())))
        }
        Command::Group(GroupCommand::Root { file }) => {
            let group = load_group(&file)?;
            Ok(format!("{}\n", field::to_decimal(&group.root())))
        }
        Command::Group(GroupCommand::Proof { file, index }) => {
            let group = load_group(&file)?;
            let proof = group.generate_proof(index)?;
            let siblings: Vec<String> = proof.siblings.iter().map(field::to_decimal).collect();
            let value = json!({
                "root": field::to_decimal(&proof.root),
                "leaf": field::to_decimal(&proof.leaf),
                "index": proof.index,
                "siblings": siblings,
            });
            Ok(format!("{}\n", value))
        }
        Command::Setup(SetupCommand::Membership(args)) => membership::setup(args),
        Command::Prove(ProveCommand::Membership(args)) => membership::prove(args),
        Command::Verify(VerifyCommand { sub: Some(VerifySub::Ballot(args)), .. }) => {
            election::verify_ballot(args)
        }
        Command::Verify(VerifyCommand { sub: None, args }) => membership::verify(args),
        Command::Election(ElectionCommand::New(args)) => election::new(args),
        Command::Demo(args) => demo::run(args),
        Command::Ballot(BallotCommand::Cast(args)) => election::cast_ballot(args),
        Command::Registrar(cmd) => registry::registrar(cmd),
        Command::Enroll(args) => registry::enroll(args),
        Command::Registry(cmd) => registry::registry(cmd),
        Command::Ceremony(cmd) => ceremony::run(cmd),
        Command::Vectors(cmd) => vectors::run(cmd),
        Command::Trustee(cmd) => trustee::run(cmd),
        Command::Submit(args) => tally::submit(args),
        Command::Tally(args) => tally::run(args),
        Command::Audit(args) => audit::run(args),
    }
}

fn identity_json(identity: &Identity) -> serde_json::Value {
    let pk = identity.public_key();
    json!({
        "secretScalar": field::to_decimal(identity.secret_scalar().expose()),
        "publicKey": [field::to_decimal(&pk.x()), field::to_decimal(&pk.y())],
        "commitment": field::to_decimal(&identity.commitment()),
    })
}

pub(crate) fn load_identity(key: &KeyArgs) -> Result<Identity, Failure> {
    if let Some(text) = &key.text {
        if text.len() > MAX_KEY_BYTES {
            return Err(Failure::Input(format!("private key longer than {MAX_KEY_BYTES} bytes")));
        }
        return Ok(Identity::from_text(text));
    }
    if let Some(h) = &key.hex {
        let digits = h.strip_prefix("0x").unwrap_or(h);
        if digits.len() > 2 * MAX_KEY_BYTES {
            return Err(Failure::Input(format!("private key longer than {MAX_KEY_BYTES} bytes")));
        }
        let bytes =
            hex::decode(digits).map_err(|e| Failure::Input(format!("malformed --private-key-hex: {e}")))?;
        return Ok(Identity::from_private_key(&bytes));
    }
    if let Some(b) = &key.base64 {
        return Ok(Identity::import(b)?);
    }
    Err(Failure::Input("one of --private-key, --private-key-hex, --private-key-base64 is required".into()))
}

pub(crate) fn read_input(file: &str) -> Result<String, Failure> {
    let mut text = String::new();
    let result = if file == "-" {
        io::stdin().lock().read_to_string(&mut text)
    } else {
        std::fs::File::open(file).and_then(|mut f| f.read_to_string(&mut text))
    };
    result.map_err(|e| Failure::Input(format!("cannot read {file}: {e}")))?;
    Ok(text)
}

pub(crate) fn load_group(file: &str) -> Result<Group, Failure> {
    let text = read_input(file)?;
    let mut members = Vec::new();
    for (n, line) in io::Cursor::new(text.as_bytes()).lines().enumerate() {
        let line = line.map_err(|e| Failure::Input(format!("{file}: {e}")))?;
        let line = line.strip_suffix('\r').unwrap_or(&line);
        if line.is_empty() {
            return Err(Failure::Input(format!("{file}:{}: empty line", n + 1)));
        }
        let member = field::decimal_to_field::<Fr>(line, "group member")
            .map_err(|e| Failure::Input(format!("{file}:{}: {e}", n + 1)))?;
        members.push(member);
    }
    if let Some(dup) = first_duplicate(&members) {
        return Err(Failure::Input(format!("{file}:{}: the commitment is already a member", dup + 1)));
    }
    Group::from_members(&members).map_err(|e| match e {
        IdentityError::ZeroMember => {
            let line = members.iter().position(|m| *m == Fr::from(0u64)).unwrap_or(0) + 1;
            Failure::Input(format!("{file}:{line}: a group member cannot be 0"))
        }
        other => Failure::Input(other.to_string()),
    })
}

fn first_duplicate(members: &[Fr]) -> Option<usize> {
    let mut seen = std::collections::HashSet::with_capacity(members.len());
    members.iter().position(|m| !seen.insert(*m))
}

/// Reads a file of at most `limit` bytes (refused before reading it whole).
pub(crate) fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, Failure> {
    let meta = std::fs::metadata(path)
        .map_err(|e| Failure::Input(format!("cannot read {}: {e}", path.display())))?;
    if meta.len() > limit {
        return Err(Failure::Input(format!("{} is larger than {limit} bytes", path.display())));
    }
    std::fs::read(path).map_err(|e| Failure::Input(format!("cannot read {}: {e}", path.display())))
}

/// Writes `files` into `dir` atomically per file (temporary file, then rename),
/// creating `dir` if needed.
pub(crate) fn write_files(dir: &Path, files: &[(&str, &[u8])]) -> Result<(), Failure> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Failure::Input(format!("cannot create {}: {e}", dir.display())))?;
    for (name, bytes) in files {
        let path: PathBuf = dir.join(name);
        let tmp = dir.join(format!(".{name}.tmp"));
        std::fs::write(&tmp, bytes)
            .and_then(|_| std::fs::rename(&tmp, &path))
            .map_err(|e| Failure::Input(format!("cannot write {}: {e}", path.display())))?;
    }
    Ok(())
}
