//! A small merlin transcript extension for [`PrimeGroup`] values.
//!
//! Every element and scalar is absorbed in its canonical 32-byte encoding under a
//! caller-chosen label; challenges are 64 transcript bytes reduced mod `q` (wide
//! reduction, bias below `2^-250`). Specification: `docs/spec/sigma.md` §2.

use merlin::Transcript;

use crate::group::PrimeGroup;

/// The label under which [`GroupTranscript::append_group`] absorbs [`PrimeGroup::NAME`].
pub const GROUP_NAME_LABEL: &[u8] = b"group";

/// Typed `append_*` / `challenge_*` for [`PrimeGroup`] values on a merlin [`Transcript`].
pub trait GroupTranscript {
    /// Absorbs `G::NAME` under [`GROUP_NAME_LABEL`].
    fn append_group<G: PrimeGroup>(&mut self);
    /// Absorbs the canonical encoding of `p`.
    fn append_element<G: PrimeGroup>(&mut self, label: &'static [u8], p: &G);
    /// Absorbs the canonical encodings of `ps`, preceded by their count.
    fn append_elements<G: PrimeGroup>(&mut self, label: &'static [u8], ps: &[G]);
    /// Absorbs the canonical encoding of `k`.
    fn append_scalar<G: PrimeGroup>(&mut self, label: &'static [u8], k: &G::Scalar);
    /// Absorbs a `u64` (little-endian).
    fn append_u64_le(&mut self, label: &'static [u8], v: u64);
    /// A challenge scalar: 64 bytes squeezed under `label`, reduced mod `q`.
    fn challenge_scalar<G: PrimeGroup>(&mut self, label: &'static [u8]) -> G::Scalar;
}

impl GroupTranscript for Transcript {
    fn append_group<G: PrimeGroup>(&mut self) {
        self.append_message(GROUP_NAME_LABEL, G::NAME);
    }

    fn append_element<G: PrimeGroup>(&mut self, label: &'static [u8], p: &G) {
        self.append_message(label, &p.encode());
    }

    fn append_elements<G: PrimeGroup>(&mut self, label: &'static [u8], ps: &[G]) {
        self.append_u64(label, ps.len() as u64);
        for p in ps {
            self.append_message(label, &p.encode());
        }
    }

    fn append_scalar<G: PrimeGroup>(&mut self, label: &'static [u8], k: &G::Scalar) {
        self.append_message(label, &G::encode_scalar(k));
    }

    fn append_u64_le(&mut self, label: &'static [u8], v: u64) {
        self.append_message(label, &v.to_le_bytes());
    }

    fn challenge_scalar<G: PrimeGroup>(&mut self, label: &'static [u8]) -> G::Scalar {
        let mut buf = [0u8; 64];
        self.challenge_bytes(label, &mut buf);
        G::scalar_from_bytes_wide(&buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::group::RistrettoPoint;
    use crate::Point;

    fn challenge<G: PrimeGroup>(name_first: bool) -> G::Scalar {
        let mut t = Transcript::new(b"test");
        if name_first {
            t.append_group::<G>();
        }
        t.append_element(b"g", &G::generator());
        t.challenge_scalar::<G>(b"c")
    }

    #[test]
    fn challenges_depend_on_every_absorbed_value() {
        assert_ne!(challenge::<Point>(true), challenge::<Point>(false));
        assert_ne!(challenge::<RistrettoPoint>(true), challenge::<RistrettoPoint>(false));
        assert_eq!(challenge::<Point>(true), challenge::<Point>(true));
    }
}
