//! Domain-separation labels of the threshold crate (listed in `docs/spec/labels.md`).

/// merlin label of the transcript that derives the DKG session digest.
pub const DKG_SESSION: &[u8] = b"psephos/threshold/dkg-session/v1";
/// Schnorr domain of a dealer's proof of knowledge of a constant term.
pub const DKG_POK: &[u8] = b"psephos/threshold/dkg-pok/v1";
/// merlin label of the transcript that derives a share's encryption pad.
pub const DKG_SHARE_PAD: &[u8] = b"psephos/threshold/dkg-share-pad/v1";
/// DLEQ domain of a complaint's proof that the revealed DH key is correct.
pub const DKG_COMPLAINT: &[u8] = b"psephos/threshold/dkg-complaint/v1";
