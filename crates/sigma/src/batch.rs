//! Random-linear-combination batch verification (internal).
//!
//! A batch of verification equations `Σ_j s_ij · P_ij = 0` holds for all `i` (except
//! with probability `≤ 2^-128` per batch) iff `Σ_i z_i Σ_j s_ij · P_ij = 0` for
//! independent 128-bit weights `z_i` drawn from the verifier's RNG after the
//! proofs are fixed. Terms on repeated bases (typically the generators) are merged
//! before one multi-scalar multiplication.

use psephos_primitives::PrimeGroup;
use rand_core::{CryptoRng, RngCore};

/// How many distinct repeated bases are merged (a linear scan; small on purpose).
const MERGED_BASES: usize = 4;

pub(crate) struct Combination<G: PrimeGroup> {
    bases: Vec<(G, G::Scalar)>,
    scalars: Vec<G::Scalar>,
    points: Vec<G>,
}

impl<G: PrimeGroup> Combination<G> {
    pub(crate) fn with_capacity(n: usize) -> Self {
        Combination { bases: Vec::new(), scalars: Vec::with_capacity(n), points: Vec::with_capacity(n) }
    }

    /// A 128-bit random weight.
    pub(crate) fn weight(rng: &mut (impl RngCore + CryptoRng)) -> G::Scalar {
        let mut wide = [0u8; 64];
        rng.fill_bytes(&mut wide[..16]);
        G::scalar_from_bytes_wide(&wide)
    }

    /// Adds `s · p` where `p` is likely to repeat (a generator).
    pub(crate) fn push_base(&mut self, s: G::Scalar, p: G) {
        for (base, acc) in self.bases.iter_mut() {
            if *base == p {
                *acc = *acc + s;
                return;
            }
        }
        if self.bases.len() < MERGED_BASES {
            self.bases.push((p, s));
        } else {
            self.push(s, p);
        }
    }

    /// Adds `s · p`.
    pub(crate) fn push(&mut self, s: G::Scalar, p: G) {
        self.scalars.push(s);
        self.points.push(p);
    }

    /// Whether the combination is the identity.
    pub(crate) fn vanishes(mut self) -> bool {
        for (p, s) in self.bases.drain(..) {
            self.scalars.push(s);
            self.points.push(p);
        }
        G::vartime_multiscalar_mul(&self.scalars, &self.points).is_some_and(|r| r.is_identity())
    }
}
