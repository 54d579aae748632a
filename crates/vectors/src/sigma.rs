//! psephos' Sigma protocols (`psephos_sigma`): Schnorr proofs of knowledge and
//! DLEQ (Chaum–Pedersen) proofs over merlin transcripts, on the Baby Jubjub
//! subgroup and on Ristretto255. Regression pins made by psephos itself (no
//! independent implementation of these transcripts exists).

use std::sync::Mutex;

use psephos_primitives::{Point, PrimeGroup, RistrettoPoint};
use psephos_sigma::{DleqProof, DleqStatement, SchnorrProof, SchnorrStatement, SigmaError};
use serde_json::Value;

use crate::json::{ensure, fail, flags, hex_of, result, str_of, CaseError};

/// The group names a vector group may carry in its `group` parameter.
pub(crate) const BABYJUBJUB: &str = "babyjubjub-eip2494-base8";
/// See [`BABYJUBJUB`].
pub(crate) const RISTRETTO255: &str = "ristretto255";

/// The proof APIs take `&'static` domain labels (they are `pub const`s in
/// psephos); a vector's domain is interned once per distinct label.
pub(crate) fn domain(label: &str) -> &'static [u8] {
    static INTERNED: Mutex<Vec<&'static [u8]>> = Mutex::new(Vec::new());
    let mut seen = INTERNED.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(d) = seen.iter().find(|d| **d == label.as_bytes()) {
        return d;
    }
    let d: &'static [u8] = Box::leak(label.as_bytes().to_vec().into_boxed_slice());
    seen.push(d);
    d
}

/// At which step an input was refused.
#[derive(Debug, PartialEq, Eq)]
enum Refusal {
    /// An element, scalar or proof encoding was refused.
    Decode(String),
    /// The statement's generator is the identity.
    IdentityGenerator,
    /// The verification equation failed.
    Verify,
}

impl Refusal {
    fn reason(&self) -> String {
        match self {
            Refusal::Decode(e) => format!("refused while decoding: {e}"),
            Refusal::IdentityGenerator => "refused: identity generator".into(),
            Refusal::Verify => "refused by verification".into(),
        }
    }
}

impl From<SigmaError> for Refusal {
    fn from(e: SigmaError) -> Self {
        match e {
            SigmaError::IdentityGenerator => Refusal::IdentityGenerator,
            SigmaError::InvalidProof { .. } | SigmaError::InvalidProofInBatch { .. } => Refusal::Verify,
            other => Refusal::Decode(other.to_string()),
        }
    }
}

fn element<G: PrimeGroup>(t: &Value, key: &'static str) -> Result<Result<G, Refusal>, CaseError> {
    Ok(G::decode(&hex_of(t, key)?, key).map_err(|e| Refusal::Decode(e.to_string())))
}

/// The refusal an invalid case's first flag calls for.
fn expected_refusal(flag: &str) -> Result<fn(&Refusal) -> bool, CaseError> {
    Ok(match flag {
        "NonCanonicalScalar" | "NonCanonicalPoint" | "NotOnCurve" | "SmallOrderPoint" | "WrongLength" => {
            |r| matches!(r, Refusal::Decode(_))
        }
        "IdentityGenerator" => |r| *r == Refusal::IdentityGenerator,
        "TamperedResponse" | "TamperedCommitment" | "WrongContext" | "WrongDomain" | "WrongStatement"
        | "IdentityCommitment" => |r| *r == Refusal::Verify,
        other => fail!("unknown flag {other}"),
    })
}

/// Compares a verdict with the case's `result` (and, when invalid, its first flag).
fn judge(t: &Value, verdict: Result<(), Refusal>) -> Result<(), CaseError> {
    match (result(t)?, verdict) {
        ("valid", Ok(())) => Ok(()),
        ("valid", Err(r)) => fail!("a valid proof is refused: {}", r.reason()),
        (_, Ok(())) => fail!("an invalid proof is accepted"),
        (_, Err(r)) => {
            let flag = flags(t)?.first().copied().unwrap_or_default();
            ensure(
                expected_refusal(flag)?(&r),
                &format!("refused for another reason than {flag}: {}", r.reason()),
            )
        }
    }
}

/// A valid case's witness `w` must satisfy `public == w·base` for every pair.
fn check_witness<G: PrimeGroup>(t: &Value, pairs: &[(G, G)]) -> Result<(), CaseError> {
    let w = G::decode_scalar(&hex_of(t, "witness")?, "witness").map_err(|e| CaseError(e.to_string()))?;
    for (base, public) in pairs {
        ensure(base.mul_scalar(&w) == *public, "the witness does not satisfy the statement")?;
    }
    Ok(())
}

fn schnorr<G: PrimeGroup>(t: &Value) -> Result<(), CaseError> {
    let domain = domain(str_of(t, "domain")?);
    let context = hex_of(t, "context")?;
    let (g, x) = (element::<G>(t, "generator")?, element::<G>(t, "public")?);
    let proof = SchnorrProof::<G>::from_bytes(&hex_of(t, "proof")?).map_err(Refusal::from);
    let verdict = (|| {
        let statement = SchnorrStatement::with_generator(g?, x?);
        proof?.verify(domain, &statement, &context)?;
        Ok(statement)
    })();
    if let Ok(s) = &verdict {
        if result(t)? == "valid" {
            check_witness(t, &[(s.generator, s.public)])?;
        }
    }
    judge(t, verdict.map(|_| ()))
}

fn dleq<G: PrimeGroup>(t: &Value) -> Result<(), CaseError> {
    let domain = domain(str_of(t, "domain")?);
    let context = hex_of(t, "context")?;
    let (g, h) = (element::<G>(t, "g")?, element::<G>(t, "h")?);
    let (x, y) = (element::<G>(t, "x")?, element::<G>(t, "y")?);
    let proof = DleqProof::<G>::from_bytes(&hex_of(t, "proof")?).map_err(Refusal::from);
    let verdict = (|| {
        let statement = DleqStatement::new(g?, h?, x?, y?);
        proof?.verify(domain, &statement, &context)?;
        Ok(statement)
    })();
    if let Ok(s) = &verdict {
        if result(t)? == "valid" {
            check_witness(t, &[(s.g, s.x), (s.h, s.y)])?;
        }
    }
    judge(t, verdict.map(|_| ()))
}

fn case<G: PrimeGroup>(ty: &str, t: &Value) -> Result<(), CaseError> {
    match ty {
        "Schnorr" | "SchnorrInvalid" => schnorr::<G>(t),
        "Dleq" | "DleqInvalid" => dleq::<G>(t),
        other => fail!("unknown group type {other}"),
    }
}

pub(crate) fn sigma(_cx: &crate::Ctx<'_>, ty: &str, group: &Value, t: &Value) -> Result<(), CaseError> {
    match str_of(group, "group")? {
        BABYJUBJUB => case::<Point>(ty, t),
        RISTRETTO255 => case::<RistrettoPoint>(ty, t),
        other => fail!("unknown group {other}"),
    }
}
