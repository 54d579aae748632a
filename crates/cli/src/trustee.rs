//! `psephos trustee …`: the trustees' DKG as files in and out (docs/cli.md §Trustees,
//! docs/spec/dkg.md), and the publication of its transcript into an election record.
//!
//! ```text
//! trustee keygen  --out KEY                                   long-term key (secret file), prints the public key
//! trustee session --threshold t --options k --context TEXT --participant HEX… --out SESSION
//! trustee round1  --session S --index i --key KEY --out R1_i           broadcast
//! trustee round2  --session S --index i --key KEY --round1 R1… --out R2_i   broadcast (complaints)
//! trustee finish  --session S --index i --key KEY --round1 R1… --round2 R2… --out SHARE_i   secret
//! trustee publish --session S --round1 R1… --round2 R2… --election E --group ROLL --record DIR
//! trustee decrypt DIR --secret-share SHARE_i --out PARTIAL_i   (same as `tally DIR --secret-share`)
//! ```
//!
//! Round 2 and finish re-derive the participant's state from its long-term key and
//! the round-1 broadcasts, so nothing but the key has to be kept between rounds.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use psephos_ballot::ElectionPublicKey;
use psephos_election::record::{self, files};
use psephos_primitives::{Point, PrimeGroup};
use psephos_sigma::encoding::{element_from_hex, element_to_hex};
use psephos_threshold::{DkgTranscript, ParticipantKey, Round1, Round1Message, Round2Message, Session};
use serde_json::json;
use zeroize::Zeroizing;

use crate::{read_limited, Failure};

/// Largest DKG message or key file read, in bytes (trustees' and registrars' DKGs).
pub(crate) const MAX_DKG_FILE: u64 = 1 << 24;

/// `trustee` subcommands.
#[derive(Subcommand)]
pub enum TrusteeCommand {
    /// A fresh long-term trustee key (secret file; prints the public key).
    Keygen {
        /// Where to write the secret key file.
        #[arg(long)]
        out: PathBuf,
    },
    /// The DKG session: threshold, one secret per option, context, participants' keys.
    Session {
        /// Threshold t.
        #[arg(long)]
        threshold: u32,
        /// Number of ballot options k (one election key each).
        #[arg(long)]
        options: u32,
        /// Context bound into every proof (unique per election, e.g. the poll name).
        #[arg(long)]
        context: String,
        /// Each participant's public key (hex), in index order 1..n.
        #[arg(long = "participant", required = true)]
        participants: Vec<String>,
        /// Where to write the session.
        #[arg(long)]
        out: PathBuf,
    },
    /// Round 1: deal (broadcast message).
    Round1(RoundArgs),
    /// Round 2: check the shares dealt to this trustee, complain with evidence (broadcast).
    Round2(RoundArgs),
    /// Finish: this trustee's secret share and the public keys.
    Finish(RoundArgs),
    /// Verifies the transcript and writes it, with the manifest under the DKG's keys, into a record.
    Publish(PublishArgs),
    /// Trustee side of the tally: this trustee's decryption share of the record's aggregate.
    Decrypt(crate::tally::ShareArgs),
}

/// Arguments of round1/round2/finish.
#[derive(Args)]
pub struct RoundArgs {
    /// The session file.
    #[arg(long)]
    session: PathBuf,
    /// This trustee's index (1..n).
    #[arg(long)]
    index: u32,
    /// This trustee's secret key file.
    #[arg(long)]
    key: PathBuf,
    /// Every round-1 message (round2, finish).
    #[arg(long = "round1", num_args = 1..)]
    round1: Vec<PathBuf>,
    /// Every round-2 message (finish).
    #[arg(long = "round2", num_args = 1..)]
    round2: Vec<PathBuf>,
    /// Where to write the output.
    #[arg(long)]
    out: PathBuf,
}

/// Arguments of `trustee publish`.
#[derive(Args)]
pub struct PublishArgs {
    /// The session file.
    #[arg(long)]
    session: PathBuf,
    /// Every round-1 message.
    #[arg(long = "round1", num_args = 1.., required = true)]
    round1: Vec<PathBuf>,
    /// Every round-2 message.
    #[arg(long = "round2", num_args = 1.., required = true)]
    round2: Vec<PathBuf>,
    /// The election directory made by `election new` (manifest, ballot keys).
    #[arg(long)]
    election: PathBuf,
    /// The voter roll (one decimal commitment per line).
    #[arg(long)]
    group: String,
    /// The record directory to create.
    #[arg(long)]
    record: PathBuf,
}

fn read_text(path: &Path) -> Result<String, Failure> {
    String::from_utf8(read_limited(path, MAX_DKG_FILE)?)
        .map_err(|_| Failure::Input(format!("{}: not UTF-8", path.display())))
}

fn input<E: std::fmt::Display>(path: &Path) -> impl Fn(E) -> Failure + '_ {
    move |e| Failure::Input(format!("{}: {e}", path.display()))
}

fn write_one(path: &Path, text: &str) -> Result<(), Failure> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name =
        path.file_name().and_then(|n| n.to_str()).ok_or(Failure::Input("--out must name a file".into()))?;
    record::write_atomic(&dir, name, text.as_bytes()).map_err(|e| Failure::Input(e.to_string()))
}

fn load_session(path: &Path) -> Result<Session<Point>, Failure> {
    Session::from_json(&read_text(path)?).map_err(input(path))
}

/// A long-term DKG key file (the text is zeroized after parsing).
pub(crate) fn load_key<G: PrimeGroup>(path: &Path) -> Result<ParticipantKey<G>, Failure> {
    let text = Zeroizing::new(read_text(path)?);
    ParticipantKey::from_secret_json(&text).map_err(input(path))
}

/// Every round-1 broadcast of a DKG.
pub(crate) fn load_round1<G: PrimeGroup>(paths: &[PathBuf]) -> Result<Vec<Round1Message<G>>, Failure> {
    paths.iter().map(|p| Round1Message::from_json(&read_text(p)?).map_err(input(p))).collect()
}

/// Every round-2 broadcast of a DKG.
pub(crate) fn load_round2<G: PrimeGroup>(paths: &[PathBuf]) -> Result<Vec<Round2Message<G>>, Failure> {
    paths.iter().map(|p| Round2Message::from_json(&read_text(p)?).map_err(input(p))).collect()
}

fn check<E: std::fmt::Display>(e: E) -> Failure {
    Failure::Check(e.to_string())
}

fn keys_json(keys: &[Point]) -> Vec<String> {
    keys.iter().map(element_to_hex).collect()
}

/// Runs a `trustee` subcommand.
pub fn run(cmd: TrusteeCommand) -> Result<String, Failure> {
    let mut rng = rand_core::OsRng;
    match cmd {
        TrusteeCommand::Keygen { out } => {
            let key = ParticipantKey::<Point>::generate(&mut rng);
            write_one(&out, &key.to_secret_json())?;
            Ok(format!("{}\n", json!({ "publicKey": element_to_hex(&key.public()) })))
        }
        TrusteeCommand::Session { threshold, options, context, participants, out } => {
            let keys = participants
                .iter()
                .map(|h| element_from_hex::<Point>(h, "participant key"))
                .collect::<Result<Vec<_>, _>>()?;
            let session = Session::new(threshold, options, context.as_bytes(), keys)
                .map_err(|e| Failure::Input(e.to_string()))?;
            write_one(&out, &session.to_json())?;
            Ok(format!(
                "{}\n",
                json!({ "threshold": threshold, "participants": session.participants(), "options": options })
            ))
        }
        TrusteeCommand::Round1(a) => {
            let (_, msg) = Round1::start(load_session(&a.session)?, a.index, load_key(&a.key)?, &mut rng)
                .map_err(|e| Failure::Input(e.to_string()))?;
            write_one(&a.out, &msg.to_json())?;
            Ok(format!("{}\n", json!({ "round": 1, "index": a.index })))
        }
        TrusteeCommand::Round2(a) => {
            let st = Round1::resume(load_session(&a.session)?, a.index, load_key(&a.key)?)
                .map_err(|e| Failure::Input(e.to_string()))?;
            let (_, msg) = st.receive(&load_round1(&a.round1)?, &mut rng).map_err(check)?;
            write_one(&a.out, &msg.to_json())?;
            Ok(format!("{}\n", json!({ "round": 2, "index": a.index })))
        }
        TrusteeCommand::Finish(a) => {
            let st = Round1::resume(load_session(&a.session)?, a.index, load_key(&a.key)?)
                .map_err(|e| Failure::Input(e.to_string()))?;
            let (next, _) = st.receive(&load_round1(&a.round1)?, &mut rng).map_err(check)?;
            let out = next.finish(&load_round2(&a.round2)?).map_err(check)?;
            write_one(&a.out, &out.share.to_secret_json())?;
            Ok(format!(
                "{}\n",
                json!({
                    "index": a.index,
                    "qualified": out.public.qualified,
                    "electionKey": keys_json(&out.public.public_keys),
                })
            ))
        }
        TrusteeCommand::Publish(a) => publish(a, &mut rng),
        TrusteeCommand::Decrypt(a) => crate::tally::share(a),
    }
}

fn publish(a: PublishArgs, rng: &mut rand_core::OsRng) -> Result<String, Failure> {
    let transcript = DkgTranscript {
        session: load_session(&a.session)?,
        round1: load_round1(&a.round1)?,
        round2: load_round2(&a.round2)?,
    };
    let public = transcript.verify(rng).map_err(check)?;
    let mut manifest = crate::election::load_manifest(&a.election)?;
    if public.public_keys.len() != manifest.options {
        return Err(Failure::Input(format!(
            "the DKG shared {} keys but the election has {} options",
            public.public_keys.len(),
            manifest.options
        )));
    }
    manifest.election_key =
        ElectionPublicKey::new(public.public_keys.clone()).map_err(|e| Failure::Check(e.to_string()))?;
    let group = crate::load_group(&a.group)?;
    if !manifest.accepted_roots.contains(&group.root()) {
        return Err(Failure::Input("the roll's root is not an accepted root of the election".into()));
    }
    let vk = read_limited(&a.election.join(files::BALLOT_VK), record::MAX_FILE_BYTES)?;
    let pk = read_limited(
        &a.election.join(crate::election::files::BALLOT_PK),
        crate::keys::MAX_PROVING_KEY_BYTES,
    )?;
    let w = |name: &str, bytes: &[u8]| {
        record::write_atomic(&a.record, name, bytes).map_err(|e| Failure::Input(e.to_string()))
    };
    w(files::MANIFEST, manifest.to_json().as_bytes())?;
    w(files::BALLOT_VK, &vk)?;
    w(crate::election::files::BALLOT_PK, &pk)?;
    w(files::ENROLLMENT, record::enrollment_text(group.members()).as_bytes())?;
    w(files::DKG_TRANSCRIPT, transcript.to_json().as_bytes())?;
    Ok(format!(
        "{}\n",
        json!({
            "record": a.record.display().to_string(),
            "threshold": public.threshold,
            "qualified": public.qualified,
            "disqualified": public.disqualified.iter().map(|d| d.dealer).collect::<Vec<_>>(),
            "electionKey": keys_json(&public.public_keys),
        })
    ))
}
