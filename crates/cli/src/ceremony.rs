//! `psephos ceremony …`: phase 1 (ptau), R1CS export and the phase-2 Groth16
//! ceremony, interoperable with snarkjs (docs/ceremony.md, docs/cli.md).
//!
//! Exit codes as everywhere: 0 ok, 1 a ceremony check failed (the reason names
//! the check), 2 bad usage or a malformed file.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use psephos_ballot::statement::BALLOT_MODE;
use psephos_ceremony::{
    export, phase1, phase2, ptau, r1cs::R1cs, zkey::Zkey, CheckFailure, Error, Ptau, VerifyPolicy,
};
use psephos_circuits::ballot::{constraint_count, BallotCircuit};
use psephos_circuits::membership::MembershipCircuit;
use serde_json::json;

use crate::{keys, read_limited, Failure};

/// Largest ptau/zkey/r1cs file read (a power-28 ptau is about 300 GB; psephos
/// reads files up to 64 GiB).
const MAX_FILE: u64 = 1 << 36;

/// `psephos ceremony` subcommands.
#[derive(Subcommand)]
pub enum CeremonyCommand {
    /// Phase 1: a fresh, uncontributed powers-of-tau file (2^power powers).
    PtauNew {
        /// log2 of the number of powers (1 to 28).
        #[arg(long)]
        power: u32,
        /// The output .ptau.
        #[arg(long)]
        out: PathBuf,
    },
    /// Phase 1: adds a contribution with fresh OS randomness; prints its hash.
    PtauContribute {
        /// The input .ptau.
        input: PathBuf,
        /// The output .ptau.
        output: PathBuf,
    },
    /// Phase 1: computes the Lagrange sections (as `snarkjs powersoftau prepare phase2`).
    PtauPrepare {
        /// The input .ptau.
        input: PathBuf,
        /// The output .ptau.
        output: PathBuf,
    },
    /// Verifies a .ptau: pinned hash (Hermez or --pin), powers, Lagrange sections, psephos chain.
    PtauVerify {
        /// The .ptau file.
        file: PathBuf,
        #[command(flatten)]
        pins: PinArgs,
    },
    /// Exports a circuit's constraint system as an iden3 .r1cs; prints its BLAKE2b-512.
    R1csExport {
        /// `membership:DEPTH`, `ballot:DEPTH:OPTIONS` or a .r1cs file.
        circuit: String,
        /// The output .r1cs.
        #[arg(long)]
        out: PathBuf,
    },
    /// Phase 2: the initial key (identical to `snarkjs zkey new`); prints the circuit hash.
    Init {
        /// `membership:DEPTH`, `ballot:DEPTH:OPTIONS` or a .r1cs file.
        circuit: String,
        /// The phase-1 file (verified first).
        #[arg(long)]
        ptau: PathBuf,
        #[command(flatten)]
        pins: PinArgs,
        /// The output .zkey.
        #[arg(long)]
        out: PathBuf,
    },
    /// Phase 2: adds a contribution (OS randomness, never printed); prints the contribution hash.
    Contribute {
        /// The input .zkey.
        input: PathBuf,
        /// The output .zkey.
        output: PathBuf,
        /// The contributor's name (at most 64 bytes are kept).
        #[arg(long)]
        name: Option<String>,
    },
    /// Phase 2: the final beacon contribution from a pre-announced public value.
    Beacon {
        /// The input .zkey.
        input: PathBuf,
        /// The output .zkey.
        output: PathBuf,
        /// The beacon value (hex).
        #[arg(long)]
        beacon: String,
        /// SHA-256 is iterated 2^E times on the beacon (10 to 32).
        #[arg(long, default_value_t = 10)]
        iter_exp: u8,
        /// A name for the beacon contribution.
        #[arg(long)]
        name: Option<String>,
    },
    /// Phase 2: verifies a key against the circuit and the phase 1; prints every contribution hash.
    Verify(VerifyArgs),
    /// Writes snarkjs' verification_key.json of a key.
    ExportVk {
        /// The .zkey.
        zkey: PathBuf,
        /// The output JSON file.
        #[arg(long)]
        out: PathBuf,
    },
    /// Verifies a ceremony, then writes a key directory: for `psephos prove membership`
    /// (`membership:DEPTH`) or `psephos election new --keys` (`ballot:DEPTH:OPTIONS`).
    ExportKeys {
        #[command(flatten)]
        verify: VerifyArgs,
        /// The output directory.
        #[arg(long)]
        out: PathBuf,
    },
}

/// Accepted phase-1 hashes besides the built-in Hermez ones.
#[derive(Args)]
pub struct PinArgs {
    /// Also accept a phase-1 file with this BLAKE2b-512 (hex; repeatable).
    #[arg(long = "pin")]
    pins: Vec<String>,
}

/// Arguments of `ceremony verify`.
#[derive(Args)]
pub struct VerifyArgs {
    /// `membership:DEPTH`, `ballot:DEPTH:OPTIONS` or a .r1cs file.
    circuit: String,
    /// The .zkey to verify.
    zkey: PathBuf,
    /// The phase-1 file.
    #[arg(long)]
    ptau: PathBuf,
    #[command(flatten)]
    pins: PinArgs,
    /// Required number of (non-beacon) contributions (at least 1).
    #[arg(long, default_value_t = 1)]
    min_contributions: usize,
    /// The announced beacon value (hex), if the ceremony ends with one.
    #[arg(long)]
    beacon: Option<String>,
    /// The announced beacon's iteration exponent.
    #[arg(long, default_value_t = 10)]
    iter_exp: u8,
}

fn fail(e: Error) -> Failure {
    match e {
        Error::Check(c) => Failure::Check(c.to_string()),
        Error::Decode(d) => Failure::Input(d.to_string()),
        Error::Usage(u) => Failure::Input(u),
    }
}

fn read(path: &Path) -> Result<Vec<u8>, Failure> {
    read_limited(path, MAX_FILE)
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let tmp = path.with_extension("tmp-psephos");
    std::fs::write(&tmp, bytes)
        .and_then(|_| std::fs::rename(&tmp, path))
        .map_err(|e| Failure::Input(format!("cannot write {}: {e}", path.display())))
}

fn load_ptau(path: &Path, pins: &PinArgs) -> Result<Ptau, Failure> {
    ptau::load_verified(&read(path)?, &pins.pins, &mut rand_core::OsRng).map_err(fail)
}

fn load_zkey(path: &Path) -> Result<Zkey, Failure> {
    Zkey::from_bytes(&read(path)?).map_err(|e| fail(e.into()))
}

/// A built-in circuit named on the command line.
#[derive(Clone, Copy)]
enum Builtin {
    /// `membership:DEPTH`.
    Membership { depth: usize },
    /// `ballot:DEPTH:OPTIONS` (with the ballot statement's public-input mode).
    Ballot { depth: usize, options: usize },
}

fn parse_number(s: &str, what: &str, spec: &str) -> Result<usize, Failure> {
    s.parse().map_err(|_| Failure::Input(format!("bad {what} in {spec}")))
}

/// `membership:DEPTH` or `ballot:DEPTH:OPTIONS` → (its R1CS, Some(builtin)); a path
/// → (the file's R1CS, None).
fn load_circuit(spec: &str) -> Result<(R1cs, Option<Builtin>), Failure> {
    if let Some(depth) = spec.strip_prefix("membership:") {
        let depth = parse_number(depth, "depth", spec)?;
        let circuit = MembershipCircuit::blank(depth).map_err(|e| Failure::Input(e.to_string()))?;
        return Ok((R1cs::from_circuit(circuit).map_err(fail)?, Some(Builtin::Membership { depth })));
    }
    if let Some(rest) = spec.strip_prefix("ballot:") {
        let (depth, options) =
            rest.split_once(':').ok_or(Failure::Input(format!("{spec}: expected ballot:DEPTH:OPTIONS")))?;
        let (depth, options) = (parse_number(depth, "depth", spec)?, parse_number(options, "options", spec)?);
        let circuit =
            BallotCircuit::blank(depth, options, BALLOT_MODE).map_err(|e| Failure::Input(e.to_string()))?;
        return Ok((R1cs::from_circuit(circuit).map_err(fail)?, Some(Builtin::Ballot { depth, options })));
    }
    let r1cs = R1cs::from_bytes(&read(Path::new(spec))?).map_err(|e| fail(e.into()))?;
    Ok((r1cs, None))
}

fn parse_hex(s: &str, what: &str) -> Result<Vec<u8>, Failure> {
    hex::decode(s.trim_start_matches("0x")).map_err(|_| Failure::Input(format!("{what}: not hex")))
}

fn run_verify(args: &VerifyArgs) -> Result<(phase2::VerifyReport, Zkey, Option<Builtin>), Failure> {
    let (r1cs, builtin) = load_circuit(&args.circuit)?;
    let ptau = load_ptau(&args.ptau, &args.pins)?;
    let key = load_zkey(&args.zkey)?;
    let beacon = match &args.beacon {
        Some(b) => Some((parse_hex(b, "--beacon")?, args.iter_exp)),
        None => None,
    };
    let policy = VerifyPolicy { min_contributions: args.min_contributions, beacon };
    let report = phase2::verify(&key, &r1cs, &ptau, &policy, &mut rand_core::OsRng).map_err(fail)?;
    Ok((report, key, builtin))
}

fn report_json(report: &phase2::VerifyReport) -> serde_json::Value {
    json!({
        "ok": true,
        "circuitHash": hex::encode(report.cs_hash),
        "contributions": report.contributions.iter().map(|c| json!({
            "hash": hex::encode(c.hash),
            "name": c.name,
            "beacon": c.beacon,
        })).collect::<Vec<_>>(),
    })
}

/// Runs a `ceremony` subcommand.
pub fn run(cmd: CeremonyCommand) -> Result<String, Failure> {
    match cmd {
        CeremonyCommand::PtauNew { power, out } => {
            let p = phase1::new(power).map_err(fail)?;
            write(&out, &p.to_bytes())?;
            Ok(format!("{}\n", json!({ "power": power, "contributions": 0 })))
        }
        CeremonyCommand::PtauContribute { input, output } => {
            let p = Ptau::from_bytes(&read(&input)?).map_err(|e| fail(e.into()))?;
            if !p.contributions.is_empty() {
                phase1::verify_chain(&p).map_err(|e| fail(e.into()))?;
            }
            let (next, hash) = phase1::contribute(&p, &mut rand_core::OsRng).map_err(fail)?;
            write(&output, &next.to_bytes())?;
            Ok(format!(
                "{}\n",
                json!({ "contributionHash": hex::encode(hash), "contributions": next.contributions.len() })
            ))
        }
        CeremonyCommand::PtauPrepare { input, output } => {
            let p = Ptau::from_bytes(&read(&input)?).map_err(|e| fail(e.into()))?;
            let prepared = phase1::prepare(&p);
            let bytes = prepared.to_bytes();
            write(&output, &bytes)?;
            Ok(format!("{}\n", json!({ "b2sum": hex::encode(ptau::b2sum(&bytes)), "power": p.power })))
        }
        CeremonyCommand::PtauVerify { file, pins } => {
            let bytes = read(&file)?;
            let p = Ptau::from_bytes(&bytes).map_err(|e| fail(e.into()))?;
            let h = ptau::b2sum(&bytes);
            let hermez = ptau::pinned_hermez_power(&h);
            // A psephos phase 1 carries a chain psephos verifies; other files (Hermez,
            // PPoT, snarkjs-made) are trusted through their pinned hash.
            let chain = if p.contributions.is_empty() {
                "none"
            } else if phase1::verify_chain(&p).is_ok() {
                "psephos chain verified"
            } else {
                "not a psephos chain: trusted through the pinned hash"
            };
            if hermez.is_none() {
                ptau::check_pinned(&bytes, &pins.pins).map_err(|e| fail(e.into()))?;
            }
            p.verify(&mut rand_core::OsRng).map_err(|e| fail(e.into()))?;
            Ok(format!(
                "{}\n",
                json!({
                    "ok": true,
                    "b2sum": hex::encode(h),
                    "power": p.power,
                    "pinned": if hermez.is_some() { "hermez" } else { "--pin" },
                    "contributions": p.contributions.len(),
                    "chain": chain,
                    "prepared": p.lagrange.is_some(),
                })
            ))
        }
        CeremonyCommand::R1csExport { circuit, out } => {
            let (r1cs, _) = load_circuit(&circuit)?;
            let bytes = r1cs.to_bytes();
            write(&out, &bytes)?;
            Ok(format!(
                "{}\n",
                json!({
                    "b2sum": hex::encode(ptau::b2sum(&bytes)),
                    "constraints": r1cs.constraints.len(),
                    "wires": r1cs.n_wires,
                    "public": r1cs.n_public(),
                    "power": phase2::domain_power(&r1cs),
                })
            ))
        }
        CeremonyCommand::Init { circuit, ptau, pins, out } => {
            let (r1cs, _) = load_circuit(&circuit)?;
            let p = load_ptau(&ptau, &pins)?;
            let key = phase2::init(&r1cs, &p).map_err(fail)?;
            write(&out, &key.to_bytes())?;
            eprintln!("psephos: the initial key is NOT usable: at least one contribution must follow");
            Ok(format!(
                "{}\n",
                json!({ "circuitHash": hex::encode(key.cs_hash), "domainSize": key.domain_size })
            ))
        }
        CeremonyCommand::Contribute { input, output, name } => {
            let key = load_zkey(&input)?;
            let (next, hash) =
                phase2::contribute(&key, name.as_deref(), &mut rand_core::OsRng).map_err(fail)?;
            write(&output, &next.to_bytes())?;
            Ok(format!(
                "{}\n",
                json!({ "contributionHash": hex::encode(hash), "contributions": next.contributions.len() })
            ))
        }
        CeremonyCommand::Beacon { input, output, beacon, iter_exp, name } => {
            let key = load_zkey(&input)?;
            let value = parse_hex(&beacon, "--beacon")?;
            let (next, hash) = phase2::beacon(&key, name.as_deref(), &value, iter_exp).map_err(fail)?;
            write(&output, &next.to_bytes())?;
            Ok(format!(
                "{}\n",
                json!({ "contributionHash": hex::encode(hash), "contributions": next.contributions.len() })
            ))
        }
        CeremonyCommand::Verify(args) => {
            let (report, key, _) = run_verify(&args)?;
            let mut out = report_json(&report);
            out["vkId"] = json!(export::verifying_key(&key).map_err(fail)?.id().to_hex());
            Ok(format!("{out:#}\n"))
        }
        CeremonyCommand::ExportVk { zkey, out } => {
            let key = load_zkey(&zkey)?;
            if key.contributions.is_empty() || key.delta_g2 == key.gamma_g2 {
                return Err(fail(CheckFailure::GammaEqualsDelta.into()));
            }
            let vk = export::verifying_key(&key).map_err(fail)?;
            write(&out, psephos_snark::json::write_verifying_key(&vk).as_bytes())?;
            Ok(format!("{}\n", json!({ "vkId": vk.id().to_hex() })))
        }
        CeremonyCommand::ExportKeys { verify, out } => {
            let (report, key, builtin) = run_verify(&verify)?;
            let builtin = builtin.ok_or(Failure::Input(
                "export-keys needs a membership:DEPTH or ballot:DEPTH:OPTIONS circuit".into(),
            ))?;
            let pk = export::proving_key(&key).map_err(fail)?;
            let vk = pk.verifying_key().clone();
            let pk_bytes = keys::encode(&pk).map_err(Failure::Input)?;
            let mut meta = json!({
                "version": 1,
                "vkId": vk.id().to_hex(),
                "setup": "ceremony",
                "circuitHash": hex::encode(report.cs_hash),
                "contributions": report.contributions.len(),
            });
            match builtin {
                Builtin::Membership { depth } => {
                    meta["circuit"] = json!("membership");
                    meta["maxDepth"] = json!(depth);
                    meta["constraints"] =
                        json!(psephos_circuits::membership::constraint_count(depth).unwrap_or(0));
                }
                Builtin::Ballot { depth, options } => {
                    meta["circuit"] = json!("ballot");
                    meta["maxDepth"] = json!(depth);
                    meta["options"] = json!(options);
                    meta["constraints"] = json!(constraint_count(depth, options, BALLOT_MODE).unwrap_or(0));
                }
            }
            crate::write_files(
                &out,
                &[
                    ("verification_key.json", psephos_snark::json::write_verifying_key(&vk).as_bytes()),
                    ("proving_key.bin", &pk_bytes),
                    ("setup.json", format!("{meta:#}\n").as_bytes()),
                ],
            )?;
            Ok(format!("{meta}\n"))
        }
    }
}
