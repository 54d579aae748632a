//! Radix-2 FFTs over curve groups (phase-1 `prepare`, the proving-key H query).

use ark_bn254::{g2, Fr, G1Projective, G2Projective};
use ark_ec::{scalar_mul::glv::GLVConfig, CurveGroup};
use ark_ff::Field;
use rayon::prelude::*;

/// Multiplication of a group element by a scalar, as the FFTs use it.
pub trait Times<G>: Fn(&G, &Fr) -> G + Sync {}
impl<G, F: Fn(&G, &Fr) -> G + Sync> Times<G> for F {}

/// `p · s` in G1 (arkworks uses GLV for BN254's G1).
pub fn g1_times(p: &G1Projective, s: &Fr) -> G1Projective {
    *p * s
}

/// `p · s` in G2 with BN254's GLV endomorphism (arkworks' `G2 * Fr` is double-and-add).
pub fn g2_times(p: &G2Projective, s: &Fr) -> G2Projective {
    <g2::Config as GLVConfig>::glv_mul_projective(*p, *s)
}

/// In-place radix-2 DFT over a group: `out_i = Σ_j ω^{ij}·a_j` (`a.len()` a power
/// of two, `ω` a primitive root of that order).
pub fn group_fft<G: CurveGroup<ScalarField = Fr> + Send>(a: &mut [G], omega: Fr, times: &impl Times<G>) {
    let n = a.len();
    if n <= 1 {
        return;
    }
    let log_n = n.trailing_zeros();
    for i in 0..n {
        let j = i.reverse_bits() >> (usize::BITS - log_n);
        if i < j {
            a.swap(i, j);
        }
    }
    let mut m = 1;
    while m < n {
        let w_m = omega.pow([(n / (2 * m)) as u64]);
        let twiddles: Vec<Fr> =
            std::iter::successors(Some(Fr::from(1u64)), |w| Some(*w * w_m)).take(m).collect();
        a.par_chunks_mut(2 * m).for_each(|chunk| {
            let (lo, hi) = chunk.split_at_mut(m);
            lo.par_iter_mut()
                .zip(hi.par_iter_mut())
                .zip(twiddles.par_iter())
                .with_min_len(64)
                .enumerate()
                .for_each(|(j, ((x, y), w))| {
                    let t = if j == 0 { *y } else { times(y, w) };
                    *y = *x - t;
                    *x += t;
                });
        });
        m *= 2;
    }
}

/// Inverse DFT: `out_i = (1/n)·Σ_j ω^{−ij}·a_j`.
pub fn group_ifft<G: CurveGroup<ScalarField = Fr> + Send>(a: &mut [G], omega: Fr, times: &impl Times<G>) {
    let n = a.len();
    let omega_inv = omega.inverse().expect("a root of unity is invertible");
    group_fft(a, omega_inv, times);
    let n_inv = Fr::from(n as u64).inverse().expect("n < r");
    a.par_iter_mut().with_min_len(64).for_each(|p| *p = times(p, &n_inv));
}
