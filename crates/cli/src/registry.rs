//! `psephos registrar …`, `psephos enroll`, `psephos registry …`: pluralistic
//! registrars (docs/registry.md, docs/cli.md §Registrars).
//!
//! Files: a registrar file (`registrar-<i>.json`, secret: signing key and
//! dedup-key share), the signed group policy (`policy.json`) and the
//! append-only enrollment log (`enrollment.jsonl`).
//!
//! Setting up a group without a dealer (each registrar on its own machine; no
//! process ever holds more than one registrar's secrets):
//!
//! ```text
//! registrar keygen      --out SIGNING_i                                  signing key (secret)
//! registrar dkg-keygen  --out DKGKEY_i                                   long-term DKG key (secret)
//! registry  dkg-session --group-id G --threshold k --participant HEX… --out SESSION
//! registrar dkg-round1  --session S --index i --key DKGKEY_i --out R1_i                  broadcast
//! registrar dkg-round2  --session S --index i --key DKGKEY_i --round1 R1… --out R2_i     broadcast
//! registrar dkg-finish  --session S --group-id G --index i --key DKGKEY_i --signing-key SIGNING_i
//!                       --round1 R1… --round2 R2… --out registrar-i.json                 secret
//! registry  dkg-policy  --session S --round1 R1… --round2 R2… --registrar HEX… --out POLICY
//! registrar sign-policy --policy POLICY --registrar registrar-i.json --out SIG_i
//! registry  assemble    --policy POLICY --signature SIG… --out DIR    DIR/policy.json, DIR/enrollment.jsonl
//! ```

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use psephos_primitives::{field, RistrettoPoint};
use psephos_registry::setup::{dedup_dkg_context, dedup_dkg_group, share_dedup_key, simulate_setup};
use psephos_registry::{
    dedup_tag, Attestation, BlindedRequest, DedupBlinding, DedupKeyShare, DedupPublicKey, DedupTag, Entry,
    EntryKind, GroupId, GroupPolicy, PartialEvaluation, Registrar, RegistrarPublicKey, RegistrarSecretKey,
    RegistryError, Roll, Signature, SignedPolicy,
};
use psephos_sigma::encoding::{element_from_hex, element_to_hex};
use psephos_threshold::{DkgPublicOutput, DkgTranscript, ParticipantKey, Round1, Session};
use rand_core::OsRng;
use serde::{Deserialize, Serialize};
use serde_json::json;
use zeroize::Zeroizing;

use crate::trustee::{load_key, load_round1, load_round2, MAX_DKG_FILE};
use crate::{read_limited, write_files, Failure};

/// The largest registrar or policy file read.
const MAX_SMALL_FILE: u64 = 1 << 20;
/// The largest enrollment log read.
const MAX_LOG: u64 = 1 << 30;
/// The longest evidence accepted (RFC 9497 input bound).
const MAX_EVIDENCE: usize = psephos_registry::oprf::MAX_EVIDENCE_BYTES;

/// File names of a registry directory.
pub mod files {
    /// The signed group policy.
    pub const POLICY: &str = "policy.json";
    /// The enrollment log.
    pub const LOG: &str = "enrollment.jsonl";
}

/// `psephos registrar …`.
#[derive(Subcommand)]
pub enum RegistrarCommand {
    /// A fresh registrar signing key (secret file); prints the public key.
    Keygen(KeygenArgs),
    /// Computes a person's dedup tag with the threshold OPRF (this registrar blinds; it and the others evaluate).
    Tag(TagArgs),
    /// Attests the next entry of the log: prints one attestation line (JSON).
    Attest(AttestArgs),
    /// OPRF step 1 (enrolling registrar): blinds the evidence; writes the secret state, prints the request.
    Blind(BlindArgs),
    /// OPRF step 2 (each evaluating registrar): answers a request with a partial evaluation and its DLEQ proof.
    Evaluate(EvaluateArgs),
    /// OPRF step 3 (enrolling registrar): checks the partial evaluations, combines and finalizes: prints the tag.
    Finalize(FinalizeArgs),
    /// A fresh long-term DKG key over Ristretto255 (secret file); prints the public key.
    DkgKeygen(KeygenArgs),
    /// Dedup-key DKG round 1: deal (broadcast message).
    DkgRound1(DkgRoundArgs),
    /// Dedup-key DKG round 2: check the shares dealt to this registrar, complain with evidence (broadcast).
    DkgRound2(DkgRoundArgs),
    /// Dedup-key DKG finish: writes this registrar's secret file (signing key and dedup-key share).
    DkgFinish(DkgFinishArgs),
    /// Signs an unsigned group policy (from `registry dkg-policy`) as this registrar.
    SignPolicy(SignPolicyArgs),
}

/// Arguments of `registrar dkg-round1` and `dkg-round2`.
#[derive(Args)]
pub struct DkgRoundArgs {
    /// The session file (from `registry dkg-session`).
    #[arg(long)]
    session: PathBuf,
    /// This registrar's index (1..n, its place in the session).
    #[arg(long)]
    index: u32,
    /// This registrar's DKG key file (from `registrar dkg-keygen`).
    #[arg(long)]
    key: PathBuf,
    /// Every round-1 message (round 2).
    #[arg(long = "round1", num_args = 1..)]
    round1: Vec<PathBuf>,
    /// Where to write the message.
    #[arg(long)]
    out: PathBuf,
}

/// Arguments of `registrar dkg-finish`.
#[derive(Args)]
pub struct DkgFinishArgs {
    /// The session file (from `registry dkg-session`).
    #[arg(long)]
    session: PathBuf,
    /// The group this registrar means to join (the session must name it).
    #[arg(long)]
    group_id: String,
    /// This registrar's index (1..n, its place in the session).
    #[arg(long)]
    index: u32,
    /// This registrar's DKG key file (from `registrar dkg-keygen`).
    #[arg(long)]
    key: PathBuf,
    /// This registrar's signing key file (from `registrar keygen`).
    #[arg(long)]
    signing_key: PathBuf,
    /// Every round-1 message.
    #[arg(long = "round1", num_args = 1.., required = true)]
    round1: Vec<PathBuf>,
    /// Every round-2 message.
    #[arg(long = "round2", num_args = 1.., required = true)]
    round2: Vec<PathBuf>,
    /// Where to write the registrar file (secret; refuses to overwrite).
    #[arg(long)]
    out: PathBuf,
}

/// Arguments of `registrar sign-policy`.
#[derive(Args)]
pub struct SignPolicyArgs {
    /// The unsigned policy (from `registry dkg-policy`).
    #[arg(long)]
    policy: PathBuf,
    /// This registrar's file (from `registrar dkg-finish`).
    #[arg(long)]
    registrar: PathBuf,
    /// Where to write the signature.
    #[arg(long)]
    out: PathBuf,
}

/// Arguments of `registry dkg-session`.
#[derive(Args)]
pub struct DkgSessionArgs {
    /// The group id (1–64 of A-Z a-z 0-9 . _ -).
    #[arg(long)]
    group_id: String,
    /// The threshold k.
    #[arg(long)]
    threshold: u32,
    /// Each registrar's DKG public key (hex, from `registrar dkg-keygen`), in index order 1..n.
    #[arg(long = "participant", num_args = 1.., required = true)]
    participants: Vec<String>,
    /// Where to write the session.
    #[arg(long)]
    out: PathBuf,
}

/// Arguments of `registry dkg-policy`.
#[derive(Args)]
pub struct DkgPolicyArgs {
    /// The session file.
    #[arg(long)]
    session: PathBuf,
    /// Every round-1 message.
    #[arg(long = "round1", num_args = 1.., required = true)]
    round1: Vec<PathBuf>,
    /// Every round-2 message.
    #[arg(long = "round2", num_args = 1.., required = true)]
    round2: Vec<PathBuf>,
    /// Each registrar's signing public key (hex, from `registrar keygen`), in the session's index order.
    #[arg(long = "registrar", num_args = 1.., required = true)]
    registrars: Vec<String>,
    /// Where to write the unsigned policy.
    #[arg(long)]
    out: PathBuf,
}

/// Arguments of `registry assemble`.
#[derive(Args)]
pub struct AssembleArgs {
    /// The unsigned policy (from `registry dkg-policy`).
    #[arg(long)]
    policy: PathBuf,
    /// Signatures from `registrar sign-policy` (at least k).
    #[arg(long = "signature", num_args = 1.., required = true)]
    signatures: Vec<PathBuf>,
    /// The registry directory to create (policy.json, enrollment.jsonl).
    #[arg(long)]
    out: PathBuf,
}

/// Arguments of `registrar blind`.
#[derive(Args)]
pub struct BlindArgs {
    /// The person's uniqueness evidence (text).
    #[arg(long, allow_hyphen_values = true)]
    evidence: String,
    /// Where to write the secret blinding state (refuses to overwrite).
    #[arg(long)]
    state: PathBuf,
}

/// Arguments of `registrar evaluate`.
#[derive(Args)]
pub struct EvaluateArgs {
    /// The signed group policy.
    #[arg(long)]
    policy: PathBuf,
    /// This registrar's file.
    #[arg(long)]
    registrar: PathBuf,
    /// The request from `registrar blind`.
    request: PathBuf,
}

/// Arguments of `registrar finalize`.
#[derive(Args)]
pub struct FinalizeArgs {
    /// The signed group policy.
    #[arg(long)]
    policy: PathBuf,
    /// The secret state from `registrar blind`.
    #[arg(long)]
    state: PathBuf,
    /// The same evidence as given to `registrar blind`.
    #[arg(long, allow_hyphen_values = true)]
    evidence: String,
    /// Partial evaluations from `registrar evaluate` (at least k).
    #[arg(required = true)]
    partials: Vec<PathBuf>,
}

/// `psephos registry …`.
#[derive(Subcommand)]
pub enum RegistryCommand {
    /// Creates a registrar group: dedup-key shares, policy signed by all, empty log (one process: DEVELOPMENT).
    Setup(SetupArgs),
    /// Replays an enrollment log: every attestation, every duplicate rule; prints the group root last.
    Verify(VerifyArgs),
    /// Dedup-key DKG without a dealer: the session (group id, threshold k, registrars' DKG keys).
    DkgSession(DkgSessionArgs),
    /// From the public DKG messages alone: verifies the transcript and writes the unsigned group policy.
    DkgPolicy(DkgPolicyArgs),
    /// Verifies ≥ k registrars' policy signatures and creates the registry (policy.json, empty log).
    Assemble(AssembleArgs),
}

/// Arguments of `registrar keygen`.
#[derive(Args)]
pub struct KeygenArgs {
    /// Where to write the secret key file (refuses to overwrite).
    #[arg(long)]
    out: PathBuf,
}

/// Arguments of `registry setup`.
#[derive(Args)]
pub struct SetupArgs {
    /// The group id (1–64 of A-Z a-z 0-9 . _ -).
    #[arg(long)]
    group_id: String,
    /// Number of registrars n (when --keys is not given).
    #[arg(long)]
    registrars: Option<u32>,
    /// Existing registrar key files (from `registrar keygen`), in index order.
    #[arg(long, num_args = 1.., conflicts_with = "registrars")]
    keys: Vec<PathBuf>,
    /// The threshold k (attestations per entry, partial evaluations per tag).
    #[arg(long)]
    threshold: u32,
    /// The registry directory to create (`registrar-<i>.json`, policy.json, enrollment.jsonl).
    #[arg(long)]
    out: PathBuf,
}

/// Arguments of `registrar tag`.
#[derive(Args)]
pub struct TagArgs {
    /// The signed group policy.
    #[arg(long)]
    policy: PathBuf,
    /// The enrolling registrar's file (it alone sees the evidence).
    #[arg(long)]
    registrar: PathBuf,
    /// The other registrars that evaluate (at least k − 1 more).
    #[arg(long = "with", num_args = 1..)]
    others: Vec<PathBuf>,
    /// The person's uniqueness evidence (text).
    #[arg(long, allow_hyphen_values = true)]
    evidence: String,
}

/// Arguments of `registrar attest`.
#[derive(Args)]
pub struct AttestArgs {
    /// The enrollment log (its length is the new entry's position).
    #[arg(long)]
    log: PathBuf,
    /// The signed group policy (default: policy.json beside the log).
    #[arg(long)]
    policy: Option<PathBuf>,
    /// The registrar's file.
    #[arg(long)]
    registrar: PathBuf,
    #[command(flatten)]
    entry: EntryArgs,
}

/// What an entry says.
#[derive(Args)]
pub struct EntryArgs {
    /// The identity commitment (decimal).
    #[arg(long)]
    commitment: String,
    /// The dedup tag (128 hex digits, from `registrar tag`); for --remove, the member's tag.
    #[arg(long)]
    tag: String,
    /// A removal (revocation) instead of an enrollment.
    #[arg(long)]
    remove: bool,
}

/// Arguments of `enroll`.
#[derive(Args)]
pub struct EnrollArgs {
    /// The enrollment log to append to.
    #[arg(long)]
    log: PathBuf,
    /// The signed group policy (default: policy.json beside the log).
    #[arg(long)]
    policy: Option<PathBuf>,
    #[command(flatten)]
    entry: EntryArgs,
    /// Attestation files (each one line from `registrar attest`).
    #[arg(required = true)]
    attestations: Vec<PathBuf>,
}

/// Arguments of `registry verify`.
#[derive(Args)]
pub struct VerifyArgs {
    /// The enrollment log.
    log: PathBuf,
    /// The signed group policy (default: policy.json beside the log).
    #[arg(long)]
    policy: Option<PathBuf>,
}

/// A registrar file.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RegistrarFile {
    version: u64,
    signing_key: String,
    public_key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    group_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    registrar: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    dedup_share: Option<String>,
}

fn input(e: RegistryError) -> Failure {
    if e.is_malformed() {
        Failure::Input(e.to_string())
    } else {
        Failure::Check(e.to_string())
    }
}

fn in_file(path: &Path) -> impl Fn(RegistryError) -> Failure + '_ {
    move |e| Failure::Input(format!("{}: {e}", path.display()))
}

fn read_text(path: &Path, limit: u64) -> Result<String, Failure> {
    String::from_utf8(read_limited(path, limit)?)
        .map_err(|_| Failure::Input(format!("{}: not UTF-8", path.display())))
}

fn secret_file_json(
    key: &RegistrarSecretKey,
    index: Option<(u32, &GroupId, &DedupKeyShare)>,
) -> Zeroizing<String> {
    let f = RegistrarFile {
        version: 1,
        signing_key: hex::encode(*key.to_bytes()),
        public_key: key.public_key().to_hex(),
        group_id: index.map(|(_, g, _)| g.as_str().to_owned()),
        registrar: index.map(|(i, _, _)| i),
        dedup_share: index.map(|(_, _, s)| hex::encode(*s.to_bytes())),
    };
    Zeroizing::new(format!("{}\n", serde_json::to_string(&f).unwrap_or_default()))
}

/// Writes a secret file, refusing to overwrite, readable only by its owner.
fn write_secret(path: &Path, text: &str) -> Result<(), Failure> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(|e| Failure::Input(format!("cannot write {}: {e}", path.display())))
}

fn load_key_file(path: &Path) -> Result<(RegistrarFile, RegistrarSecretKey), Failure> {
    let text = Zeroizing::new(read_text(path, MAX_SMALL_FILE)?);
    let f: RegistrarFile = serde_json::from_str(&text)
        .map_err(|e| Failure::Input(format!("{}: malformed registrar file: {e}", path.display())))?;
    if f.version != 1 {
        return Err(Failure::Input(format!("{}: unsupported version {}", path.display(), f.version)));
    }
    let bytes = Zeroizing::new(
        hex::decode(&f.signing_key)
            .map_err(|e| Failure::Input(format!("{}: malformed signing key: {e}", path.display())))?,
    );
    let key = RegistrarSecretKey::from_bytes(&bytes).map_err(in_file(path))?;
    if key.public_key().to_hex() != f.public_key {
        return Err(Failure::Input(format!("{}: public key does not match the signing key", path.display())));
    }
    Ok((f, key))
}

fn load_registrar(path: &Path, policy: &GroupPolicy) -> Result<Registrar, Failure> {
    let (f, key) = load_key_file(path)?;
    let (Some(index), Some(share), Some(group)) =
        (f.registrar, f.dedup_share.as_deref(), f.group_id.as_deref())
    else {
        return Err(Failure::Input(format!(
            "{}: no registrar index and dedup share (create it with `registry setup`)",
            path.display()
        )));
    };
    if group != policy.group_id.as_str() {
        return Err(Failure::Input(format!(
            "{}: registrar of group {group}, not {}",
            path.display(),
            policy.group_id
        )));
    }
    let share_bytes =
        Zeroizing::new(hex::decode(share).map_err(|e| Failure::Input(format!("{}: {e}", path.display())))?);
    let share = DedupKeyShare::from_bytes(index, &share_bytes).map_err(in_file(path))?;
    if policy.registrar(index).ok() != Some(&key.public_key()) {
        return Err(Failure::Input(format!("{}: not registrar {index} of the policy", path.display())));
    }
    if policy.dedup.shares.get(index as usize - 1) != Some(&share.public_share()) {
        return Err(Failure::Input(format!("{}: dedup share does not match the policy", path.display())));
    }
    Registrar::new(index, key, share).map_err(in_file(path))
}

fn policy_path(log: &Path, policy: &Option<PathBuf>) -> PathBuf {
    match policy {
        Some(p) => p.clone(),
        None => log.parent().unwrap_or(Path::new(".")).join(files::POLICY),
    }
}

fn load_policy(path: &Path) -> Result<SignedPolicy, Failure> {
    let text = read_text(path, MAX_SMALL_FILE)?;
    SignedPolicy::from_json(text.trim_end_matches('\n'), &mut OsRng).map_err(|e| {
        let msg = format!("{}: {e}", path.display());
        if e.is_malformed() {
            Failure::Input(msg)
        } else {
            Failure::Check(msg)
        }
    })
}

fn load_roll(log: &Path, policy: SignedPolicy) -> Result<Roll, Failure> {
    let text = read_text(log, MAX_LOG)?;
    Roll::replay(policy, &text, &mut OsRng).map_err(|e| {
        let msg = format!("{}: {e}", log.display());
        if e.error.is_malformed() {
            Failure::Input(msg)
        } else {
            Failure::Check(msg)
        }
    })
}

fn parse_entry(args: &EntryArgs) -> Result<(EntryKind, psephos_primitives::Fr, DedupTag), Failure> {
    let commitment = field::decimal_to_field(&args.commitment, "commitment")?;
    let tag = DedupTag::from_hex(&args.tag).map_err(input)?;
    let kind = if args.remove { EntryKind::Remove } else { EntryKind::Add };
    Ok((kind, commitment, tag))
}

/// `registrar keygen`.
pub fn keygen(args: KeygenArgs) -> Result<String, Failure> {
    let key = RegistrarSecretKey::generate(&mut OsRng);
    write_secret(&args.out, &secret_file_json(&key, None))?;
    Ok(format!("{}\n", json!({ "public_key": key.public_key().to_hex() })))
}

/// `registry setup`.
pub fn setup(args: SetupArgs) -> Result<String, Failure> {
    let group_id = GroupId::new(&args.group_id).map_err(input)?;
    let (policy, registrars) = if args.keys.is_empty() {
        let n = args.registrars.ok_or(Failure::Input("one of --registrars or --keys is required".into()))?;
        if n == 0 || n > 256 || args.threshold == 0 || args.threshold > n {
            return Err(Failure::Input("need 1 <= --threshold <= --registrars <= 256".into()));
        }
        simulate_setup(group_id.as_str(), n, args.threshold, &mut OsRng).map_err(input)?
    } else {
        let keys =
            args.keys.iter().map(|p| load_key_file(p).map(|(_, k)| k)).collect::<Result<Vec<_>, _>>()?;
        let n = keys.len() as u32;
        if args.threshold == 0 || args.threshold > n || n > 256 {
            return Err(Failure::Input("need 1 <= --threshold <= number of --keys <= 256".into()));
        }
        let (shares, dedup) = share_dedup_key(&group_id, n, args.threshold, &mut OsRng).map_err(input)?;
        let policy = GroupPolicy {
            group_id: group_id.clone(),
            policy_version: 1,
            threshold: args.threshold,
            registrars: keys.iter().map(|k| k.public_key()).collect(),
            dedup,
        };
        let signers: Vec<(u32, &RegistrarSecretKey)> =
            keys.iter().enumerate().map(|(i, k)| (i as u32 + 1, k)).collect();
        let signed = SignedPolicy::sign(policy, &signers, &mut OsRng).map_err(input)?;
        let regs = keys
            .into_iter()
            .zip(shares)
            .enumerate()
            .map(|(i, (k, s))| Registrar::new(i as u32 + 1, k, s))
            .collect::<Result<Vec<_>, _>>()
            .map_err(input)?;
        (signed, regs)
    };
    if args.out.join(files::POLICY).exists() || args.out.join(files::LOG).exists() {
        return Err(Failure::Input(format!("{} already holds a registry", args.out.display())));
    }
    write_files(&args.out, &[])?;
    for r in &registrars {
        let path = args.out.join(format!("registrar-{}.json", r.index()));
        write_secret(
            &path,
            &secret_file_json(r.signing_key(), Some((r.index(), &group_id, r.dedup_share()))),
        )?;
    }
    let policy_text = format!("{}\n", policy.to_json());
    write_files(&args.out, &[(files::POLICY, policy_text.as_bytes()), (files::LOG, b"")])?;
    Ok(format!(
        "{}\n",
        json!({
            "group_id": group_id.as_str(),
            "registrars": registrars.len(),
            "threshold": args.threshold,
            "policy": args.out.join(files::POLICY).display().to_string(),
            "log": args.out.join(files::LOG).display().to_string(),
            "warning": "development set-up: one process generated every registrar's secrets",
        })
    ))
}

/// `registrar tag`.
pub fn tag(args: TagArgs) -> Result<String, Failure> {
    if args.evidence.is_empty() || args.evidence.len() > MAX_EVIDENCE {
        return Err(Failure::Input(format!("--evidence must be 1 to {MAX_EVIDENCE} bytes")));
    }
    let policy = load_policy(&args.policy)?;
    let mut regs = vec![load_registrar(&args.registrar, policy.policy())?];
    for p in &args.others {
        let r = load_registrar(p, policy.policy())?;
        if regs.iter().any(|q| q.index() == r.index()) {
            return Err(Failure::Input(format!("registrar {} given twice", r.index())));
        }
        regs.push(r);
    }
    let refs: Vec<&Registrar> = regs.iter().collect();
    let tag =
        dedup_tag(policy.policy(), &refs, args.evidence.as_bytes(), &mut OsRng).map_err(|e| match e {
            RegistryError::TooFewPartials { got, need } => {
                Failure::Input(format!("{got} registrars given, the policy needs {need}"))
            }
            other => input(other),
        })?;
    Ok(format!("{}\n", tag.to_hex()))
}

/// `registrar attest`.
pub fn attest(args: AttestArgs) -> Result<String, Failure> {
    let policy = load_policy(&policy_path(&args.log, &args.policy))?;
    let registrar = load_registrar(&args.registrar, policy.policy())?;
    let (kind, commitment, tag) = parse_entry(&args.entry)?;
    let roll = load_roll(&args.log, policy)?;
    roll.check_rules(roll.next_position(), kind, commitment, &tag).map_err(input)?;
    let statement = roll.next_statement(kind, commitment, tag);
    let att = registrar.attest(&statement, &mut OsRng);
    Ok(format!(
        "{}\n",
        json!({ "position": statement.position, "registrar": att.registrar, "signature": att.signature.to_hex() })
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AttestationFile {
    position: u64,
    registrar: u32,
    signature: String,
}

/// `enroll`.
pub fn enroll(args: EnrollArgs) -> Result<String, Failure> {
    let policy = load_policy(&policy_path(&args.log, &args.policy))?;
    let (kind, commitment, tag) = parse_entry(&args.entry)?;
    let mut roll = load_roll(&args.log, policy)?;
    let mut attestations = Vec::with_capacity(args.attestations.len());
    for p in &args.attestations {
        let text = read_text(p, MAX_SMALL_FILE)?;
        let a: AttestationFile = serde_json::from_str(&text)
            .map_err(|e| Failure::Input(format!("{}: malformed attestation: {e}", p.display())))?;
        if a.position != roll.next_position() {
            return Err(Failure::Check(format!(
                "{}: attestation for position {}, the log is at {}",
                p.display(),
                a.position,
                roll.next_position()
            )));
        }
        let signature = Signature::from_hex(&a.signature).map_err(in_file(p))?;
        attestations.push(Attestation { registrar: a.registrar, signature });
    }
    attestations.sort_by_key(|a| a.registrar);
    let entry = Entry { position: roll.next_position(), kind, commitment, dedup_tag: tag, attestations };
    let line = roll.append(entry, &mut OsRng).map_err(input)?.to_json_line();
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&args.log)
        .map_err(|e| Failure::Input(format!("cannot open {}: {e}", args.log.display())))?;
    f.write_all(format!("{line}\n").as_bytes())
        .and_then(|_| f.sync_all())
        .map_err(|e| Failure::Input(format!("cannot append to {}: {e}", args.log.display())))?;
    Ok(format!(
        "{}\n{}\n",
        json!({ "position": roll.next_position() - 1, "entries": roll.entries().len() }),
        field::to_decimal(&roll.root())
    ))
}

/// `registry verify`.
pub fn verify(args: VerifyArgs) -> Result<String, Failure> {
    let policy = load_policy(&policy_path(&args.log, &args.policy))?;
    let roll = load_roll(&args.log, policy)?;
    let live = roll.group().members().iter().filter(|m| **m != psephos_primitives::Fr::from(0u64)).count();
    Ok(format!(
        "{}\n{}\n",
        json!({
            "group_id": roll.policy().group_id.as_str(),
            "entries": roll.entries().len(),
            "members": live,
            "leaves": roll.group().size(),
        }),
        field::to_decimal(&roll.root())
    ))
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RequestFile {
    version: u64,
    blinded_element: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PartialFile {
    version: u64,
    registrar: u32,
    partial: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StateFile {
    version: u64,
    state: String,
}

fn check_evidence(evidence: &str) -> Result<(), Failure> {
    if evidence.is_empty() || evidence.len() > MAX_EVIDENCE {
        return Err(Failure::Input(format!("--evidence must be 1 to {MAX_EVIDENCE} bytes")));
    }
    Ok(())
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path, what: &str) -> Result<T, Failure> {
    let text = Zeroizing::new(read_text(path, MAX_SMALL_FILE)?);
    serde_json::from_str(&text)
        .map_err(|e| Failure::Input(format!("{}: malformed {what}: {e}", path.display())))
}

fn version_1(path: &Path, v: u64) -> Result<(), Failure> {
    if v == 1 {
        Ok(())
    } else {
        Err(Failure::Input(format!("{}: unsupported version {v}", path.display())))
    }
}

fn hex_in(path: &Path, s: &str) -> Result<Zeroizing<Vec<u8>>, Failure> {
    hex::decode(s).map(Zeroizing::new).map_err(|e| Failure::Input(format!("{}: {e}", path.display())))
}

/// `registrar blind`.
pub fn blind(args: BlindArgs) -> Result<String, Failure> {
    check_evidence(&args.evidence)?;
    let (state, request) = DedupBlinding::blind(args.evidence.as_bytes(), &mut OsRng).map_err(input)?;
    let f = StateFile { version: 1, state: hex::encode(&*state.to_bytes()) };
    write_secret(
        &args.state,
        &Zeroizing::new(format!("{}\n", serde_json::to_string(&f).unwrap_or_default())),
    )?;
    let r = RequestFile { version: 1, blinded_element: hex::encode(request.to_bytes()) };
    Ok(format!("{}\n", serde_json::to_string(&r).unwrap_or_default()))
}

/// `registrar evaluate`.
pub fn evaluate(args: EvaluateArgs) -> Result<String, Failure> {
    let policy = load_policy(&args.policy)?;
    let registrar = load_registrar(&args.registrar, policy.policy())?;
    let r: RequestFile = read_json(&args.request, "request")?;
    version_1(&args.request, r.version)?;
    let request = BlindedRequest::from_bytes(&hex_in(&args.request, &r.blinded_element)?)
        .map_err(in_file(&args.request))?;
    let partial = registrar.evaluate(&request, &mut OsRng);
    let f =
        PartialFile { version: 1, registrar: partial.registrar, partial: hex::encode(partial.to_bytes()) };
    Ok(format!("{}\n", serde_json::to_string(&f).unwrap_or_default()))
}

/// `registrar finalize`.
pub fn finalize(args: FinalizeArgs) -> Result<String, Failure> {
    check_evidence(&args.evidence)?;
    let policy = load_policy(&args.policy)?;
    let st: StateFile = read_json(&args.state, "blinding state")?;
    version_1(&args.state, st.version)?;
    let state = DedupBlinding::from_bytes(&hex_in(&args.state, &st.state)?).map_err(in_file(&args.state))?;
    let mut partials = Vec::with_capacity(args.partials.len());
    for p in &args.partials {
        let f: PartialFile = read_json(p, "partial evaluation")?;
        version_1(p, f.version)?;
        let partial = PartialEvaluation::from_bytes(&hex_in(p, &f.partial)?).map_err(in_file(p))?;
        if partial.registrar != f.registrar {
            return Err(Failure::Input(format!(
                "{}: registrar field differs from the encoded index",
                p.display()
            )));
        }
        partials.push(partial);
    }
    let tag =
        state.finalize(args.evidence.as_bytes(), &policy.policy().dedup, &partials).map_err(|e| match e {
            RegistryError::TooFewPartials { got, need } => {
                Failure::Input(format!("{got} partial evaluations given, the policy needs {need}"))
            }
            other => input(other),
        })?;
    Ok(format!("{}\n", tag.to_hex()))
}

/// Dispatches `registrar …`.
pub fn registrar(cmd: RegistrarCommand) -> Result<String, Failure> {
    match cmd {
        RegistrarCommand::Keygen(a) => keygen(a),
        RegistrarCommand::Tag(a) => tag(a),
        RegistrarCommand::Attest(a) => attest(a),
        RegistrarCommand::Blind(a) => blind(a),
        RegistrarCommand::Evaluate(a) => evaluate(a),
        RegistrarCommand::Finalize(a) => finalize(a),
        RegistrarCommand::DkgKeygen(a) => dkg_keygen(a),
        RegistrarCommand::DkgRound1(a) => dkg_round1(a),
        RegistrarCommand::DkgRound2(a) => dkg_round2(a),
        RegistrarCommand::DkgFinish(a) => dkg_finish(a),
        RegistrarCommand::SignPolicy(a) => sign_policy(a),
    }
}

/// Dispatches `registry …`.
pub fn registry(cmd: RegistryCommand) -> Result<String, Failure> {
    match cmd {
        RegistryCommand::Setup(a) => setup(a),
        RegistryCommand::Verify(a) => verify(a),
        RegistryCommand::DkgSession(a) => dkg_session(a),
        RegistryCommand::DkgPolicy(a) => dkg_policy(a),
        RegistryCommand::Assemble(a) => assemble(a),
    }
}

// ---------------------------------------------------------------------------------
// Setting up a group without a dealer (docs/spec/registry.md §6.1)
// ---------------------------------------------------------------------------------

/// A threshold-crate error on input that parsed: a failed check (exit 1).
fn dkg_check(e: psephos_threshold::ThresholdError) -> Failure {
    Failure::Check(format!("dedup-key DKG: {e}"))
}

fn dkg_input(path: &Path) -> impl Fn(psephos_threshold::ThresholdError) -> Failure + '_ {
    move |e| Failure::Input(format!("{}: {e}", path.display()))
}

/// Writes a public file (a DKG message, a session, a policy or a signature).
fn write_public(path: &Path, text: &str) -> Result<(), Failure> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name =
        path.file_name().and_then(|n| n.to_str()).ok_or(Failure::Input("--out must name a file".into()))?;
    write_files(&dir, &[(name, text.as_bytes())])
}

fn load_dkg_session(path: &Path) -> Result<Session<RistrettoPoint>, Failure> {
    let session = Session::from_json(&read_text(path, MAX_DKG_FILE)?).map_err(dkg_input(path))?;
    if session.secrets() != 1 {
        return Err(Failure::Input(format!(
            "{}: a dedup-key session shares one secret, this one {}",
            path.display(),
            session.secrets()
        )));
    }
    dedup_dkg_group(session.context()).map_err(in_file(path))?;
    Ok(session)
}

/// Every registrar must be a qualified dealer: a group whose DKG disqualified a
/// registrar is refused (rerun the DKG without it), as `registry setup` does.
fn all_qualified(public: &DkgPublicOutput<RistrettoPoint>) -> Result<(), Failure> {
    if public.disqualified.is_empty() {
        return Ok(());
    }
    let why: Vec<String> =
        public.disqualified.iter().map(|d| format!("registrar {} ({})", d.dealer, d.reason)).collect();
    Err(Failure::Check(format!("dedup-key DKG disqualified {}", why.join(", "))))
}

fn load_unsigned_policy(path: &Path) -> Result<GroupPolicy, Failure> {
    let text = read_text(path, MAX_SMALL_FILE)?;
    GroupPolicy::from_json(text.trim_end_matches('\n')).map_err(|e| {
        let msg = format!("{}: {e}", path.display());
        if e.is_malformed() {
            Failure::Input(msg)
        } else {
            Failure::Check(msg)
        }
    })
}

/// A registrar's signature on a policy (`registrar sign-policy`).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicySignatureFile {
    version: u64,
    group_id: String,
    registrar: u32,
    signature: String,
}

/// `registrar dkg-keygen`.
pub fn dkg_keygen(args: KeygenArgs) -> Result<String, Failure> {
    let key = ParticipantKey::<RistrettoPoint>::generate(&mut OsRng);
    write_secret(&args.out, &Zeroizing::new(key.to_secret_json()))?;
    Ok(format!("{}\n", json!({ "publicKey": element_to_hex(&key.public()) })))
}

/// `registry dkg-session`.
pub fn dkg_session(args: DkgSessionArgs) -> Result<String, Failure> {
    let group_id = GroupId::new(&args.group_id).map_err(input)?;
    let keys = args
        .participants
        .iter()
        .map(|h| element_from_hex::<RistrettoPoint>(h, "participant key"))
        .collect::<Result<Vec<_>, _>>()?;
    if keys.len() > psephos_registry::policy::MAX_REGISTRARS {
        return Err(Failure::Input("at most 256 registrars".into()));
    }
    let context = dedup_dkg_context(&group_id, &mut OsRng);
    let session =
        Session::new(args.threshold, 1, &context, keys).map_err(|e| Failure::Input(e.to_string()))?;
    write_public(&args.out, &session.to_json())?;
    Ok(format!(
        "{}\n",
        json!({ "group_id": group_id.as_str(), "threshold": args.threshold, "participants": session.participants() })
    ))
}

fn resume(a: &DkgRoundArgs) -> Result<Round1<RistrettoPoint>, Failure> {
    Round1::resume(load_dkg_session(&a.session)?, a.index, load_key(&a.key)?)
        .map_err(|e| Failure::Input(e.to_string()))
}

/// `registrar dkg-round1`.
pub fn dkg_round1(a: DkgRoundArgs) -> Result<String, Failure> {
    let (session, key) = (load_dkg_session(&a.session)?, load_key(&a.key)?);
    let (_, msg) =
        Round1::start(session, a.index, key, &mut OsRng).map_err(|e| Failure::Input(e.to_string()))?;
    write_public(&a.out, &msg.to_json())?;
    Ok(format!("{}\n", json!({ "round": 1, "index": a.index })))
}

/// `registrar dkg-round2`.
pub fn dkg_round2(a: DkgRoundArgs) -> Result<String, Failure> {
    if a.round1.is_empty() {
        return Err(Failure::Input("--round1 is required".into()));
    }
    let st = resume(&a)?;
    let (_, msg) = st.receive(&load_round1(&a.round1)?, &mut OsRng).map_err(dkg_check)?;
    write_public(&a.out, &msg.to_json())?;
    Ok(format!("{}\n", json!({ "round": 2, "index": a.index, "complaints": msg.complaints.len() })))
}

/// `registrar dkg-finish`.
pub fn dkg_finish(a: DkgFinishArgs) -> Result<String, Failure> {
    let group_id = GroupId::new(&a.group_id).map_err(input)?;
    let session = load_dkg_session(&a.session)?;
    let named = dedup_dkg_group(session.context()).map_err(in_file(&a.session))?;
    if named != group_id {
        return Err(Failure::Check(format!(
            "{}: the session is for group {named}, not {group_id}",
            a.session.display()
        )));
    }
    let (_, signing_key) = load_key_file(&a.signing_key)?;
    let st =
        Round1::resume(session, a.index, load_key(&a.key)?).map_err(|e| Failure::Input(e.to_string()))?;
    let (next, _) = st.receive(&load_round1(&a.round1)?, &mut OsRng).map_err(dkg_check)?;
    let out = next.finish(&load_round2(&a.round2)?).map_err(dkg_check)?;
    all_qualified(&out.public)?;
    let share = DedupKeyShare::from_dkg(&out.share).map_err(input)?;
    let dedup = DedupPublicKey::from_dkg(&out.public).map_err(input)?;
    if (a.index as usize).checked_sub(1).and_then(|i| dedup.shares.get(i)) != Some(&share.public_share()) {
        return Err(Failure::Check("the dedup-key share does not match its verification share".into()));
    }
    write_secret(&a.out, &secret_file_json(&signing_key, Some((a.index, &group_id, &share))))?;
    Ok(format!(
        "{}\n",
        json!({
            "group_id": group_id.as_str(),
            "registrar": a.index,
            "public_key": signing_key.public_key().to_hex(),
            "qualified": out.public.qualified,
            "oprf_public_key": hex::encode(dedup.key.compress().as_bytes()),
        })
    ))
}

/// `registry dkg-policy`.
pub fn dkg_policy(a: DkgPolicyArgs) -> Result<String, Failure> {
    let session = load_dkg_session(&a.session)?;
    let group_id = dedup_dkg_group(session.context()).map_err(in_file(&a.session))?;
    let registrars = a
        .registrars
        .iter()
        .map(|h| RegistrarPublicKey::from_hex(h).map_err(|e| Failure::Input(format!("--registrar: {e}"))))
        .collect::<Result<Vec<_>, _>>()?;
    if registrars.len() != session.participants() as usize {
        return Err(Failure::Input(format!(
            "{} --registrar keys for a session of {} registrars",
            registrars.len(),
            session.participants()
        )));
    }
    let threshold = session.threshold();
    let transcript =
        DkgTranscript { session, round1: load_round1(&a.round1)?, round2: load_round2(&a.round2)? };
    let public = transcript.verify(&mut OsRng).map_err(dkg_check)?;
    all_qualified(&public)?;
    let dedup = DedupPublicKey::from_dkg(&public).map_err(input)?;
    let policy = GroupPolicy { group_id, policy_version: 1, threshold, registrars, dedup };
    policy.check().map_err(input)?;
    write_public(&a.out, &format!("{}\n", policy.to_json()))?;
    Ok(format!(
        "{}\n",
        json!({
            "group_id": policy.group_id.as_str(),
            "threshold": threshold,
            "registrars": policy.registrars.len(),
            "false_accusers": public.false_accusers,
            "oprf_public_key": hex::encode(policy.dedup.key.compress().as_bytes()),
        })
    ))
}

/// `registrar sign-policy`.
pub fn sign_policy(a: SignPolicyArgs) -> Result<String, Failure> {
    let policy = load_unsigned_policy(&a.policy)?;
    let registrar = load_registrar(&a.registrar, &policy)?;
    let att = policy.sign_as(registrar.index(), registrar.signing_key(), &mut OsRng).map_err(input)?;
    let f = PolicySignatureFile {
        version: 1,
        group_id: policy.group_id.as_str().to_owned(),
        registrar: att.registrar,
        signature: att.signature.to_hex(),
    };
    write_public(&a.out, &format!("{}\n", serde_json::to_string(&f).unwrap_or_default()))?;
    Ok(format!("{}\n", json!({ "group_id": policy.group_id.as_str(), "registrar": att.registrar })))
}

/// `registry assemble`.
pub fn assemble(a: AssembleArgs) -> Result<String, Failure> {
    let policy = load_unsigned_policy(&a.policy)?;
    let mut signatures = Vec::with_capacity(a.signatures.len());
    for p in &a.signatures {
        let f: PolicySignatureFile = read_json(p, "policy signature")?;
        version_1(p, f.version)?;
        if f.group_id != policy.group_id.as_str() {
            return Err(Failure::Check(format!(
                "{}: a signature for group {}, not {}",
                p.display(),
                f.group_id,
                policy.group_id
            )));
        }
        let signature = Signature::from_hex(&f.signature).map_err(in_file(p))?;
        signatures.push(Attestation { registrar: f.registrar, signature });
    }
    if a.out.join(files::POLICY).exists() || a.out.join(files::LOG).exists() {
        return Err(Failure::Input(format!("{} already holds a registry", a.out.display())));
    }
    let signed = SignedPolicy::from_parts(policy, signatures, &mut OsRng).map_err(input)?;
    let policy_text = format!("{}\n", signed.to_json());
    write_files(&a.out, &[(files::POLICY, policy_text.as_bytes()), (files::LOG, b"")])?;
    Ok(format!(
        "{}\n",
        json!({
            "group_id": signed.policy().group_id.as_str(),
            "registrars": signed.policy().registrars.len(),
            "threshold": signed.policy().threshold,
            "signatures": signed.signatures().len(),
            "policy": a.out.join(files::POLICY).display().to_string(),
            "log": a.out.join(files::LOG).display().to_string(),
        })
    ))
}
