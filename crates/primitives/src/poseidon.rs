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
//! [`PoseidonParams::permute`] is the textbook permutation, kept as the reference
//! (the in-circuit gadget in `psephos-circuits` reads the same [`PoseidonParams`]).
//! [`hash`] and [`hash2`] run an equivalent optimized form derived from those
//! parameters at initialization (the Poseidon paper's Appendix B: one scalar
//! constant and a sparse matrix per partial round; see `poseidon/optimized.rs`),
//! about twice as fast for two inputs; the tests check that both forms agree for
//! every arity.

use std::sync::OnceLock;

use ark_ff::AdditiveGroup;
use thiserror::Error;

pub use ark_bn254::Fr;

pub mod grain;
mod optimized;

use optimized::{OptimizedPoseidon, Permutation};

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
    // Multiplications rather than `square()`: arkworks' portable (non-asm)
    // squaring is no faster than its no-carry multiplication on x86-64.
    let x2 = x * x;
    let x4 = x2 * x2;
    x4 * x
}

/// One cached width: the public parameters and the optimized permutation derived
/// from them.
struct Entry {
    params: PoseidonParams,
    /// `None` only for shapes [`optimized::build`] does not handle, which
    /// circomlib's parameters never have; [`hash`] then runs the textbook form.
    optimized: Option<Box<dyn Permutation>>,
}

/// The cached entry for `arity` inputs, built on first use.
fn entry(arity: usize) -> Result<&'static Entry, PoseidonError> {
    static TABLE: [OnceLock<Entry>; MAX_ARITY] = [const { OnceLock::new() }; MAX_ARITY];
    let slot =
        arity.checked_sub(1).and_then(|i| TABLE.get(i)).ok_or(PoseidonError::UnsupportedArity(arity))?;
    Ok(slot.get_or_init(|| {
        let params = build_params(arity + 1);
        let optimized = optimized::build(&params);
        Entry { params, optimized }
    }))
}

/// The parameters for `arity` inputs (width `arity + 1`), built once and cached.
pub fn params(arity: usize) -> Result<&'static PoseidonParams, PoseidonError> {
    entry(arity).map(|e| &e.params)
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
///
/// Runs the optimized permutation, which equals the textbook
/// [`PoseidonParams::permute`].
pub fn hash(inputs: &[Fr]) -> Result<Fr, PoseidonError> {
    let e = entry(inputs.len())?;
    Ok(match &e.optimized {
        Some(p) => p.hash(inputs),
        None => textbook_hash(&e.params, inputs),
    })
}

/// `hash` with the textbook permutation.
fn textbook_hash(p: &PoseidonParams, inputs: &[Fr]) -> Fr {
    let mut state = Vec::with_capacity(p.width);
    state.push(Fr::ZERO);
    state.extend_from_slice(inputs);
    p.permute(&mut state);
    state[0]
}

/// `Poseidon(a, b)`, the 2-to-1 compression of the Merkle tree and nullifier.
///
/// The width-3 permutation is cached in its own static, so a call is one atomic
/// load and the permutation on a stack array.
pub fn hash2(a: Fr, b: Fr) -> Fr {
    static WIDTH3: OnceLock<Option<OptimizedPoseidon<3>>> = OnceLock::new();
    let params = || params(2).expect("arity 2 is supported");
    match WIDTH3.get_or_init(|| OptimizedPoseidon::new(params())) {
        Some(p) => p.first_output([Fr::ZERO, a, b]),
        None => textbook_hash(params(), &[a, b]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ff::{Field, PrimeField};
    use light_poseidon::{Poseidon, PoseidonHasher};
    use proptest::prelude::*;
    use rand_chacha::ChaCha20Rng;
    use rand_core::{RngCore, SeedableRng};

    /// The optimized permutation of `arity`, which every supported arity has.
    fn optimized(arity: usize) -> &'static dyn Permutation {
        entry(arity).unwrap().optimized.as_deref().expect("circomlib's parameters are supported")
    }

    /// A pseudo-random field element.
    fn random(rng: &mut ChaCha20Rng) -> Fr {
        let mut bytes = [0u8; 64];
        rng.fill_bytes(&mut bytes);
        Fr::from_le_bytes_mod_order(&bytes)
    }

    /// Textbook and optimized permutations of `state` agree.
    fn check_permutation(arity: usize, state: &[Fr]) {
        let mut textbook = state.to_vec();
        params(arity).unwrap().permute(&mut textbook);
        let mut fast = state.to_vec();
        optimized(arity).permute(&mut fast);
        assert_eq!(fast, textbook, "arity {arity}, state {state:?}");
    }

    #[test]
    fn optimized_permutation_equals_textbook_for_every_arity() {
        let mut rng = ChaCha20Rng::seed_from_u64(0x9e37_79b9);
        let minus_one = -Fr::ONE;
        for arity in 1..=MAX_ARITY {
            let width = arity + 1;
            let mut states = vec![
                vec![Fr::ZERO; width],
                vec![Fr::ONE; width],
                vec![minus_one; width],
                (0..width).map(|i| [Fr::ZERO, Fr::ONE, minus_one][i % 3]).collect(),
            ];
            states.extend((0..4).map(|_| (0..width).map(|_| random(&mut rng)).collect()));
            for state in &states {
                check_permutation(arity, state);
                // hash() only permutes [0, inputs…].
                assert_eq!(hash(&state[1..]).unwrap(), textbook_hash(params(arity).unwrap(), &state[1..]));
            }
        }
    }

    #[test]
    fn hash2_equals_hash_of_two() {
        let mut rng = ChaCha20Rng::seed_from_u64(2);
        for _ in 0..8 {
            let (a, b) = (random(&mut rng), random(&mut rng));
            assert_eq!(hash2(a, b), hash(&[a, b]).unwrap());
            assert_eq!(hash2(a, b), textbook_hash(params(2).unwrap(), &[a, b]));
        }
    }

    #[test]
    fn optimized_form_rejects_a_mismatched_width() {
        assert!(OptimizedPoseidon::<4>::new(params(2).unwrap()).is_none());
        assert!(OptimizedPoseidon::<3>::new(params(2).unwrap()).is_some());
    }

    proptest! {
        #[test]
        fn optimized_equals_textbook_arity_2_and_3(
            arity in 2usize..=3,
            limbs in proptest::collection::vec(any::<[u8; 32]>(), 4),
        ) {
            let state: Vec<Fr> = limbs[..=arity].iter().map(|b| Fr::from_le_bytes_mod_order(b)).collect();
            let mut textbook = state.clone();
            params(arity).unwrap().permute(&mut textbook);
            let mut fast = state.clone();
            optimized(arity).permute(&mut fast);
            prop_assert_eq!(fast, textbook);
        }
    }

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
