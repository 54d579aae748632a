//! Threshold decryption shares (`psephos_tally`): each trustee's partial
//! decryptions of an aggregate with DLEQ proofs against its DKG verification
//! shares, and their combination into the totals. Regression pins made by psephos
//! itself (no independent implementation of these transcripts exists).

use psephos_primitives::Point;
use psephos_tally::{combine, Aggregate, DecryptionShare, TallyError};
use psephos_threshold::DkgPublicOutput;
use rand_core::OsRng;
use serde_json::Value;

use crate::json::{array_of, ensure, expect_eq, fail, flags, get, result, u64_of, CaseError};

fn context(group: &Value) -> Result<(Aggregate, DkgPublicOutput<Point>), CaseError> {
    let aggregate = Aggregate::from_json(get(group, "aggregate")?.to_string().as_bytes())
        .map_err(|e| CaseError(format!("aggregate: {e}")))?;
    let keys = DkgPublicOutput::<Point>::from_json(&get(group, "dkgPublicOutput")?.to_string())
        .map_err(|e| CaseError(format!("dkgPublicOutput: {e}")))?;
    Ok((aggregate, keys))
}

/// What happened to a share.
#[derive(Debug)]
enum Verdict {
    /// The share JSON does not decode.
    Decode(TallyError),
    /// Verification refused it.
    Refused(TallyError),
}

impl Verdict {
    fn reason(&self) -> String {
        match self {
            Verdict::Decode(e) => format!("refused while decoding: {e}"),
            Verdict::Refused(e) => format!("refused by verification: {e}"),
        }
    }
}

fn check_share(
    aggregate: &Aggregate,
    keys: &DkgPublicOutput<Point>,
    share: &Value,
) -> Result<DecryptionShare, Verdict> {
    let unverified = DecryptionShare::from_json(share.to_string().as_bytes()).map_err(Verdict::Decode)?;
    unverified.verify(aggregate, keys, &mut OsRng).map_err(Verdict::Refused)
}

pub(crate) fn decryption_share(
    _cx: &crate::Ctx<'_>,
    ty: &str,
    group: &Value,
    t: &Value,
) -> Result<(), CaseError> {
    let (aggregate, keys) = context(group)?;
    match ty {
        "DecryptionShare" | "DecryptionShareInvalid" => {
            match (result(t)?, check_share(&aggregate, &keys, get(t, "share")?)) {
                ("valid", Ok(_)) => Ok(()),
                ("valid", Err(v)) => fail!("a valid share is refused: {}", v.reason()),
                (_, Ok(_)) => fail!("an invalid share is accepted"),
                (_, Err(v)) => {
                    let flag = flags(t)?.first().copied().unwrap_or_default();
                    let ok = match flag {
                        "NonCanonical" | "NotOnCurve" | "NotInSubgroup" | "IdentityShare" | "WrongLength"
                        | "NonCanonicalScalar" | "UnknownVersion" => matches!(v, Verdict::Decode(_)),
                        "WrongProof" | "WrongPartial" | "SwappedProofs" | "OtherTrustee" => {
                            matches!(v, Verdict::Refused(TallyError::InvalidShare { .. }))
                        }
                        "UnknownTrustee" => matches!(v, Verdict::Refused(TallyError::UnknownTrustee { .. })),
                        "OtherPoll" | "OtherBallotCount" => {
                            matches!(v, Verdict::Refused(TallyError::ContextMismatch { .. }))
                        }
                        "OptionCountMismatch" => {
                            matches!(v, Verdict::Refused(TallyError::OptionCountMismatch { .. }))
                        }
                        other => fail!("unknown flag {other}"),
                    };
                    ensure(ok, &format!("refused for another reason than {flag}: {}", v.reason()))
                }
            }
        }
        "Combine" => {
            let shares = array_of(t, "shares")?
                .iter()
                .map(|s| check_share(&aggregate, &keys, s))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|v| CaseError(format!("a valid share is refused: {}", v.reason())))?;
            let result = combine(&aggregate, &keys, &shares, u64_of(group, "voteBound")?)
                .map_err(|e| CaseError(format!("combine: {e}")))?;
            let totals: Vec<i64> = array_of(t, "totals")?
                .iter()
                .map(|v| v.as_i64().ok_or_else(|| CaseError("a total is not an integer".into())))
                .collect::<Result<_, _>>()?;
            expect_eq("totals", result.totals, totals)
        }
        other => fail!("unknown group type {other}"),
    }
}
