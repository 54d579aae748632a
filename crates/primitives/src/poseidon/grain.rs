//! The Grain LFSR parameter generation of the Poseidon paper (Grassi et al.,
//! "Poseidon: A New Hash Function for Zero-Knowledge Proof Systems", Appendix F),
//! instantiated as circomlib did: prime field, `x^α` S-box, `n = 254` bits.
//!
//! The 80-bit initial state is, most significant first: field type `1` (2 bits),
//! S-box type `0` (4 bits), `n` (12 bits), `t` (12 bits), `R_F` (10 bits), `R_P`
//! (10 bits) and thirty `1` bits. After discarding 160 outputs, bits are produced
//! in pairs: when the first bit of a pair is `1` the second is emitted, otherwise
//! the pair is dropped. Round constants are 254-bit big-endian samples with
//! rejection of values `≥ r`; the MDS matrix is the Cauchy matrix
//! `M[i][j] = 1 / (x_i + y_j)` from `2t` samples reduced mod `r`.

use ark_ff::{Field, PrimeField};
use num_bigint::BigUint;

use super::{Fr, PoseidonParams};

/// Bit length of BN254's scalar field.
const FIELD_BITS: u32 = 254;

struct Grain {
    /// Bit `i` of the register is `state >> i & 1`; bit 0 is the oldest.
    state: u128,
}

impl Grain {
    fn new(width: usize, full_rounds: usize, partial_rounds: usize) -> Self {
        let fields: [(u128, u32); 7] = [
            (1, 2),
            (0, 4),
            (FIELD_BITS as u128, 12),
            (width as u128, 12),
            (full_rounds as u128, 10),
            (partial_rounds as u128, 10),
            ((1 << 30) - 1, 30),
        ];
        let mut state = 0u128;
        let mut pos = 0u32;
        for (value, bits) in fields {
            for k in (0..bits).rev() {
                state |= ((value >> k) & 1) << pos;
                pos += 1;
            }
        }
        let mut g = Grain { state };
        for _ in 0..160 {
            g.step();
        }
        g
    }

    fn step(&mut self) -> bool {
        let s = self.state;
        let bit = ((s >> 62) ^ (s >> 51) ^ (s >> 38) ^ (s >> 23) ^ (s >> 13) ^ s) & 1;
        self.state = (s >> 1) | (bit << 79);
        bit == 1
    }

    fn next_bit(&mut self) -> bool {
        loop {
            let keep = self.step();
            let bit = self.step();
            if keep {
                return bit;
            }
        }
    }

    fn next_integer(&mut self) -> BigUint {
        let mut v = BigUint::default();
        for _ in 0..FIELD_BITS {
            v <<= 1u32;
            if self.next_bit() {
                v += 1u32;
            }
        }
        v
    }
}

/// Generates the parameters of width `width`.
pub fn generate(width: usize, full_rounds: usize, partial_rounds: usize) -> PoseidonParams {
    let mut g = Grain::new(width, full_rounds, partial_rounds);
    let modulus: BigUint = Fr::MODULUS.into();
    let round_constants = (0..(full_rounds + partial_rounds) * width)
        .map(|_| loop {
            let v = g.next_integer();
            if v < modulus {
                break Fr::from_le_bytes_mod_order(&v.to_bytes_le());
            }
        })
        .collect();
    let samples: Vec<Fr> =
        (0..2 * width).map(|_| Fr::from_le_bytes_mod_order(&g.next_integer().to_bytes_le())).collect();
    let (xs, ys) = samples.split_at(width);
    let mds = xs
        .iter()
        .map(|x| {
            ys.iter()
                .map(|y| (*x + y).inverse().expect("circomlib's Cauchy samples have x_i + y_j ≠ 0"))
                .collect()
        })
        .collect();
    PoseidonParams { width, full_rounds, partial_rounds, round_constants, mds }
}
