//! psephos ballot proofs (Groth16 over the ballot circuit) through the ballot
//! box's checks, at tiny parameters under an embedded **insecure development**
//! verifying key. Regression pins made by psephos itself (no independent
//! implementation of the psephos ballot statement exists).

use psephos_ballot::{
    dlog,
    statement::{check_votes, verify_ballot_proof},
    Ballot, BallotBox, ElectionSecretKey, Manifest, Outcome, Rejection,
};
use psephos_primitives::babyjubjub::scalar_from_decimal;
use psephos_snark::{json, PreparedVerifyingKey, VkPolicy};
use serde_json::Value;

use crate::json::{array_of, as_str, ensure, expect_eq, fail, flags, get, result, str_of, CaseError};

/// The manifest and the prepared (development-policy) verifying key of a group.
fn setup(group: &Value) -> Result<(Manifest, PreparedVerifyingKey), CaseError> {
    expect_eq("vkPolicy", str_of(group, "vkPolicy")?, "development")?;
    ensure(
        str_of(group, "keyWarning")?.contains("INSECURE"),
        "the group must say that its verifying key is an insecure development key",
    )?;
    let manifest = Manifest::from_json(get(group, "manifest")?.to_string().as_bytes())
        .map_err(|e| CaseError(format!("manifest: {e}")))?;
    let vk = json::read_verifying_key(get(group, "verifyingKey")?.to_string())
        .map_err(|e| CaseError(format!("verifying key: {e}")))?;
    // A development key: production policy refuses it, so it must be prepared under
    // the development policy (psephos never does this outside tests and demos).
    let pvk = vk.prepare(&VkPolicy::development()).map_err(|e| CaseError(format!("verifying key: {e}")))?;
    Ok((manifest, pvk))
}

/// What happened to a submitted ballot.
#[derive(Debug)]
enum Verdict {
    /// Accepted by a fresh ballot box.
    Accepted,
    /// The ballot JSON does not decode.
    Decode(String),
    /// The ballot box refused it.
    Rejected(Rejection),
}

impl Verdict {
    fn reason(&self) -> String {
        match self {
            Verdict::Accepted => "accepted".into(),
            Verdict::Decode(e) => format!("refused while decoding: {e}"),
            Verdict::Rejected(r) => format!("refused by the ballot box: {r}"),
        }
    }
}

fn submit(manifest: &Manifest, pvk: &PreparedVerifyingKey, ballot: &Value) -> (Verdict, Option<Ballot>) {
    let ballot = match Ballot::from_json(ballot.to_string().as_bytes()) {
        Ok(b) => b,
        Err(e) => return (Verdict::Decode(e.to_string()), None),
    };
    let mut bx = BallotBox::new(manifest.clone(), |m: &Manifest, b: &Ballot| verify_ballot_proof(m, pvk, b));
    match bx.submit(ballot.clone()) {
        Outcome::Accepted => (Verdict::Accepted, Some(ballot)),
        Outcome::Rejected(r) => (Verdict::Rejected(r), Some(ballot)),
        Outcome::Replaced => (Verdict::Rejected(Rejection::Replay), Some(ballot)),
    }
}

/// A valid case's votes: the decryption of its ciphertext under the group's
/// (test-only) election secret keys, within the budget.
fn check_votes_of(group: &Value, manifest: &Manifest, ballot: &Ballot, t: &Value) -> Result<(), CaseError> {
    let secret = array_of(group, "electionSecretKeys")?
        .iter()
        .map(|s| {
            scalar_from_decimal(as_str(s, "secret key")?, "secret key").map_err(|e| CaseError(e.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let secret = ElectionSecretKey::from_scalars(secret).map_err(|e| CaseError(e.to_string()))?;
    expect_eq("election public key", &secret.public_key(), &manifest.election_key)?;
    let points = secret.decrypt_points(&ballot.ciphertext).map_err(|e| CaseError(e.to_string()))?;
    let votes: Vec<i64> = points
        .iter()
        .map(|p| dlog::solve(p, manifest.bound))
        .collect::<Result<_, _>>()
        .map_err(|e| CaseError(e.to_string()))?;
    let expected: Vec<i64> = array_of(t, "votes")?
        .iter()
        .map(|v| v.as_i64().ok_or_else(|| CaseError("a vote is not an integer".into())))
        .collect::<Result<_, _>>()?;
    expect_eq("decrypted votes", &votes, &expected)?;
    let cost = check_votes(manifest, &votes).map_err(|e| CaseError(e.to_string()))?;
    expect_eq("credits spent", cost, u128::from(crate::json::u64_of(t, "credits")?))
}

pub(crate) fn ballot_proof(
    _cx: &crate::Ctx<'_>,
    ty: &str,
    group: &Value,
    t: &Value,
) -> Result<(), CaseError> {
    if !matches!(ty, "BallotProof" | "BallotProofInvalid") {
        fail!("unknown group type {ty}");
    }
    let (manifest, pvk) = setup(group)?;
    let (verdict, ballot) = submit(&manifest, &pvk, get(t, "ballot")?);
    match (result(t)?, verdict, ballot) {
        ("valid", Verdict::Accepted, Some(ballot)) => check_votes_of(group, &manifest, &ballot, t),
        ("valid", v, _) => fail!("a valid ballot is refused: {}", v.reason()),
        (_, Verdict::Accepted, _) => fail!("an invalid ballot is accepted"),
        (_, v, _) => {
            let flag = flags(t)?.first().copied().unwrap_or_default();
            let ok = match flag {
                "NonCanonical" | "NotOnCurve" | "NotInSubgroup" | "UnknownVersion" => {
                    matches!(v, Verdict::Decode(_))
                }
                "OtherPoll" => matches!(v, Verdict::Rejected(Rejection::ScopeMismatch)),
                "UnknownRoot" => matches!(v, Verdict::Rejected(Rejection::UnknownRoot)),
                "OptionCountMismatch" => matches!(v, Verdict::Rejected(Rejection::InputCountMismatch { .. })),
                "TamperedProof"
                | "ProofOfAnotherBallot"
                | "Rerandomized"
                | "NullifierChanged"
                | "RelabeledPoll"
                | "OverBudget"
                | "NonCanonicalProof" => {
                    matches!(v, Verdict::Rejected(Rejection::InvalidProof(_)))
                }
                other => fail!("unknown flag {other}"),
            };
            ensure(ok, &format!("refused for another reason than {flag}: {}", v.reason()))
        }
    }
}
