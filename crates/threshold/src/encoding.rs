//! Strict hex helpers for scalars and elements in the JSON documents (internal).

use psephos_primitives::{group::ENCODED_LEN, PrimeGroup};
use psephos_sigma::encoding::{from_hex, to_hex};

use crate::ThresholdError;

/// The JSON document version this crate writes and reads.
pub const VERSION: u32 = 1;

pub(crate) fn group_name<G: PrimeGroup>() -> String {
    String::from_utf8_lossy(G::NAME).into_owned()
}

pub(crate) fn check_header<G: PrimeGroup>(
    what: &'static str,
    version: u32,
    group: &str,
) -> Result<(), ThresholdError> {
    if version != VERSION {
        return Err(ThresholdError::UnsupportedVersion { what, got: version });
    }
    if group.as_bytes() != G::NAME {
        return Err(ThresholdError::GroupMismatch {
            what,
            expected: group_name::<G>(),
            got: group.to_owned(),
        });
    }
    Ok(())
}

pub(crate) fn scalar_to_hex<G: PrimeGroup>(k: &G::Scalar) -> String {
    psephos_sigma::encoding::scalar_to_hex::<G>(k)
}

pub(crate) fn scalar_from_hex<G: PrimeGroup>(
    s: &str,
    what: &'static str,
) -> Result<G::Scalar, ThresholdError> {
    Ok(psephos_sigma::encoding::scalar_from_hex::<G>(s, what)?)
}

pub(crate) fn element_to_hex<G: PrimeGroup>(p: &G) -> String {
    to_hex(&p.encode())
}

pub(crate) fn element_from_hex<G: PrimeGroup>(s: &str, what: &'static str) -> Result<G, ThresholdError> {
    Ok(psephos_sigma::encoding::element_from_hex(s, what)?)
}

pub(crate) fn non_identity_from_hex<G: PrimeGroup>(s: &str, what: &'static str) -> Result<G, ThresholdError> {
    Ok(G::decode_non_identity(&from_hex(s, ENCODED_LEN, what)?, what)?)
}

pub(crate) fn json_error(what: &'static str) -> impl Fn(serde_json::Error) -> ThresholdError {
    move |e| ThresholdError::Json { what, reason: e.to_string() }
}
