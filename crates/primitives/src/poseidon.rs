//! Poseidon over BN254's scalar field with circomlib's parameters
//! (docs/spec/primitives.md §2).
//!
//! circomlib's `Poseidon(n)` for `n` inputs uses width `t = n + 1`, the S-box
//! `x⁵`, `R_F = 8` full rounds and the partial-round count from
//! [`PARTIAL_ROUNDS`]; the state is `[0, in_1, …, in_n]` and the output is the
//! first state element. The round constants and MDS matrices for `t ≤ 13` come
//! from the `light-poseidon` crate (circom-compatible); for `14 ≤ t ≤ 17` they are
//! regenerated here with the Grain LFSR of the Poseidon paper (the same procedure
//! that produced circomlib's tables; see [`grain`]). The tests check that the Grain
//! procedure reproduces every `light-poseidon` table bit for bit, and that all
//! arities match circomlibjs' outputs (`test-vectors/poseidon.json`).
//!
//! One permutation implementation serves every arity; the in-circuit gadget in
//! `psephos-circuits` reads the same [`PoseidonParams`].

use std::sync::OnceLock;

use ark_ff::{AdditiveGroup, Field};
use thiserror::Error;

pub use ark_bn254::Fr;

pub mod grain;

/// The largest supported number of inputs (circomlib's limit).
pub const MAX_ARITY: usize = 16;

/// Number of full rounds, `R_F`, for every width.
pub const FULL_ROUNDS: usize = 8;

/// circomlib's partial-round counts `R_P`, indexed by `t − 2` (widths 2 to 17).
pub const PARTIAL_ROUNDS: [usize; MAX_ARITY] =
    [56, 57, 56, 60, 60, 63, 64, 63, 60, 66, 60, 65, 70, 60, 64, 68];

/// Widest table that `light-poseidon` ships.
const LIGHT_POSEIDON_MAX_WIDTH: usize = 13;

/// Poseidon errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum PoseidonError {
    /// The number of inputs is outside `1..=16`.
    #[error("Poseidon takes 1 to {MAX_ARITY} inputs, got {0}")]
    UnsupportedArity(usize),
}

/// The parameters of one Poseidon width.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoseidonParams {
    /// State width `t` (inputs + 1).
    pub width: usize,
    /// Full rounds `R_F` (half before, half after the partial rounds).
    pub full_rounds: usize,
    /// Partial rounds `R_P`.
    pub partial_rounds: usize,
    /// Round constants, `(R_F + R_P) · t` of them, round-major.
    pub round_constants: Vec<Fr>,
    /// The MDS matrix `M`; the linear layer is `s'_i = Σ_j M[i][j] · s_j`.
    pub mds: Vec<Vec<Fr>>,
}

impl PoseidonParams {
    /// The round constant added to state element `i` in round `round`.
    pub fn round_constant(&self, round: usize, i: usize) -> Fr {
        self.round_constants[round * self.width + i]
    }

    /// Applies the permutation to `state` (whose length must be `width`).
    pub fn permute(&self, state: &mut [Fr]) {
        debug_assert_eq!(state.len(), self.width);
        let half = self.full_rounds / 2;
        let mut next = vec![Fr::ZERO; self.width];
        for round in 0..self.full_rounds + self.partial_rounds {
            for (i, s) in state.iter_mut().enumerate() {
                *s += self.round_constant(round, i);
            }
            let full = round < half || round >= half + self.partial_rounds;
            if full {
                state.iter_mut().for_each(|s| *s = sbox(*s));
            } else {
                state[0] = sbox(state[0]);
            }
            for (n, row) in next.iter_mut().zip(&self.mds) {
                *n = row.iter().zip(state.iter()).fold(Fr::ZERO, |acc, (m, s)| acc + *m * s);
            }
            state.copy_from_slice(&next);
        }
    }
}

/// The S-box `x ↦ x⁵`.
#[inline(always)]
pub fn sbox(x: Fr) -> Fr {
    let x2 = x.square();
    x2.square() * x
}

/// The parameters for `arity` inputs (width `arity + 1`), built once and cached.
pub fn params(arity: usize) -> Result<&'static PoseidonParams, PoseidonError> {
    static TABLE: OnceLock<Vec<OnceLock<PoseidonParams>>> = OnceLock::new();
    if !(1..=MAX_ARITY).contains(&arity) {
        return Err(PoseidonError::UnsupportedArity(arity));
    }
    let table = TABLE.get_or_init(|| (0..MAX_ARITY).map(|_| OnceLock::new()).collect());
    Ok(table[arity - 1].get_or_init(|| build_params(arity + 1)))
}

fn build_params(width: usize) -> PoseidonParams {
    if width <= LIGHT_POSEIDON_MAX_WIDTH {
        let p = light_poseidon::parameters::bn254_x5::get_poseidon_parameters::<Fr>(width as u8)
            .expect("light-poseidon ships every width from 2 to 13");
        PoseidonParams {
            width,
            full_rounds: p.full_rounds,
            partial_rounds: p.partial_rounds,
            round_constants: p.ark,
            mds: p.mds,
        }
    } else {
        grain::generate(width, FULL_ROUNDS, PARTIAL_ROUNDS[width - 2])
    }
}

/// circomlib's `Poseidon(inputs.len())`: 1 to 16 inputs, each already a field element.
pub fn hash(inputs: &[Fr]) -> Result<Fr, PoseidonError> {
    let p = params(inputs.len())?;
    let mut state = Vec::with_capacity(p.width);
    state.push(Fr::ZERO);
    state.extend_from_slice(inputs);
    p.permute(&mut state);
    Ok(state[0])
}

/// `Poseidon(a, b)`, the 2-to-1 compression of the Merkle tree and nullifier.
pub fn hash2(a: Fr, b: Fr) -> Fr {
    hash(&[a, b]).expect("arity 2 is supported")
}

#[cfg(test)]
mod tests {
    use super::*;
    use light_poseidon::{Poseidon, PoseidonHasher};

    #[test]
    fn grain_reproduces_every_light_poseidon_table() {
        for width in 2..=LIGHT_POSEIDON_MAX_WIDTH {
            let ours = grain::generate(width, FULL_ROUNDS, PARTIAL_ROUNDS[width - 2]);
            assert_eq!(&ours, params(width - 1).unwrap(), "width {width}");
        }
    }

    #[test]
    fn matches_light_poseidon_hasher() {
        for arity in 1..=12usize {
            let inputs: Vec<Fr> = (0..arity).map(|i| Fr::from(1000 + i as u64)).collect();
            let mut reference = Poseidon::<Fr>::new_circom(arity).unwrap();
            assert_eq!(hash(&inputs).unwrap(), reference.hash(&inputs).unwrap(), "arity {arity}");
        }
    }

    #[test]
    fn rejects_unsupported_arity() {
        assert_eq!(hash(&[]), Err(PoseidonError::UnsupportedArity(0)));
        assert_eq!(hash(&[Fr::ZERO; 17]), Err(PoseidonError::UnsupportedArity(17)));
    }
}
