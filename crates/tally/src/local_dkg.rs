//! The whole DKG run in one process, every message through its JSON form — for
//! tests, benches and demos where all trustees are simulated on one machine. Real
//! trustees run the rounds on their own machines (`psephos trustee …`).

use psephos_primitives::Point;
use psephos_threshold::{
    DkgPublicOutput, DkgTranscript, ParticipantKey, Round1, Round1Message, Round2Message, SecretShare,
    Session,
};
use rand_core::{CryptoRng, RngCore};

use crate::TallyError;

/// A finished local DKG: the public transcript, its public output and every
/// trustee's secret share (index `i` at position `i − 1`).
pub struct LocalDkg {
    /// The transcript (what goes into the record).
    pub transcript: DkgTranscript<Point>,
    /// The public output (keys and verification shares).
    pub public: DkgPublicOutput<Point>,
    /// The secret shares, trustee `i` at `i − 1`.
    pub shares: Vec<SecretShare<Point>>,
}

fn err(e: impl std::fmt::Display) -> TallyError {
    TallyError::Malformed { what: "DKG", reason: e.to_string() }
}

/// Runs a `t`-of-`n` DKG with one secret per option, bound to `context`.
pub fn run(
    threshold: u32,
    trustees: u32,
    options: u32,
    context: &[u8],
    rng: &mut (impl RngCore + CryptoRng),
) -> Result<LocalDkg, TallyError> {
    let keys: Vec<ParticipantKey<Point>> = (0..trustees).map(|_| ParticipantKey::generate(rng)).collect();
    let session =
        Session::new(threshold, options, context, keys.iter().map(|k| k.public()).collect()).map_err(err)?;
    let mut states = Vec::new();
    let mut r1 = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        let (st, m) = Round1::start(session.clone(), i as u32 + 1, key.clone(), rng).map_err(err)?;
        states.push(st);
        r1.push(Round1Message::from_json(&m.to_json()).map_err(err)?);
    }
    let mut nexts = Vec::new();
    let mut r2 = Vec::new();
    for st in states {
        let (next, m) = st.receive(&r1, rng).map_err(err)?;
        nexts.push(next);
        r2.push(Round2Message::from_json(&m.to_json()).map_err(err)?);
    }
    let mut shares = Vec::new();
    let mut public = None;
    for next in nexts {
        let out = next.finish(&r2).map_err(err)?;
        public = Some(out.public);
        shares.push(out.share);
    }
    let public = public.ok_or_else(|| err("no trustees"))?;
    Ok(LocalDkg { transcript: DkgTranscript { session, round1: r1, round2: r2 }, public, shares })
}
