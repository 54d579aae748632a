//! The "optimized" form of the Poseidon permutation (Poseidon paper, Appendix B;
//! the equivalent form of circomlib's `poseidon_opt` and of neptune).
//!
//! The textbook permutation ([`PoseidonParams::permute`]) runs, for every round
//! `r`, `x ← M · S_r(x + c_r)` where `S_r` applies `x⁵` to every element in a full
//! round and to `x_0` only in a partial round. Two algebraic rewrites of the
//! partial rounds give the same function for far fewer multiplications:
//!
//! 1. **Constants.** In a partial round only `x_0` goes through the S-box, so a
//!    constant with a zero first coordinate commutes with `S_r`; and `M · x + c`
//!    equals `M · (x + M⁻¹ · c)`. Walking the partial rounds backwards, each
//!    round's constant vector is pulled through the preceding linear layer: its
//!    first coordinate stays behind as a single scalar added to `x_0` right after
//!    that round's S-box, the rest joins the earlier round's constants. What
//!    reaches the front is one vector `K`, added once after the S-box of the last
//!    full round before the partial rounds.
//! 2. **Matrices.** Any `A = [[a₀₀, w], [v, Â]]` with `Â` invertible factors as
//!    `A = Sp · D`, with `D = diag(1, Â)` and the sparse
//!    `Sp = [[a₀₀, w · Â⁻¹], [v, I]]`. `D` does not touch `x_0`, so it commutes
//!    with the partial-round S-box and with scalars added to `x_0`, and folds into
//!    the previous linear layer (`A ← D · M`). Walking backwards again, every
//!    partial round keeps only a sparse matrix (`2t − 1` multiplications instead of
//!    `t²`), and one dense pre-matrix `P` replaces the MDS of the last full round
//!    before the partial rounds. `Â` is always a power of the lower-right
//!    `(t−1)×(t−1)` block of `M`, which is invertible because every square
//!    submatrix of an MDS (here: Cauchy) matrix is.
//!
//! A third, smaller rewrite makes one coefficient of every sparse matrix one by
//! carrying a scaled `x_0` through the partial rounds (see
//! [`OptimizedPoseidon::new`]). The result, for `h = R_F / 2` and `R = R_F + R_P`:
//!
//! ```text
//! full rounds r = 0 … h−2        x ← M · S(x + c_r)              (unchanged)
//! full round  r = h−1            x ← P · (S(x + c_{h−1}) + K)
//! partial rounds p = 0 … R_P−1   u ← x_0⁵ + k_p;  x ← Sp_p · (u, x_1, …)
//! full rounds r = h+R_P … R−1    x ← M · S(x + c_r)              (unchanged)
//! ```
//!
//! [`Permutation::hash`] needs only the first output, so it computes only the
//! first row of the final `M`.
//!
//! Everything is derived at initialization from a [`PoseidonParams`]; there is no
//! second constant table. The runtime form [`OptimizedPoseidon`] is generic over
//! the width so the state lives in a fixed-size array on the stack, and dense
//! rows use arkworks' lazily-reduced [`Field::sum_of_products`].

use ark_ff::{AdditiveGroup, Field, PrimeField, Zero};
use num_bigint::BigUint;

use super::{sbox, Fr, PoseidonParams};

/// A Poseidon permutation of some width, behind a trait object so that one table
/// can hold every width.
pub(crate) trait Permutation: Send + Sync {
    /// Applies the permutation to `state`.
    ///
    /// # Panics
    /// If `state.len()` differs from the width.
    #[cfg(test)]
    fn permute(&self, state: &mut [Fr]);

    /// circomlib's hash: permutes `[0, inputs…]` and returns the first element.
    ///
    /// # Panics
    /// If `inputs.len() + 1` differs from the width.
    fn hash(&self, inputs: &[Fr]) -> Fr;
}

/// Builds the optimized permutation for `params`, or `None` if its width is
/// outside `2..=17` or [`OptimizedPoseidon::new`] declines it (circomlib's
/// parameters always qualify; the tests check every arity).
pub(crate) fn build(params: &PoseidonParams) -> Option<Box<dyn Permutation>> {
    macro_rules! widths {
        ($($t:literal)*) => {
            match params.width {
                $($t => OptimizedPoseidon::<$t>::new(params)
                    .map(|p| Box::new(p) as Box<dyn Permutation>),)*
                _ => None,
            }
        };
    }
    widths!(2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17)
}

/// One partial round, in the scaled representation where the state carries
/// `μ_p · x_0` instead of `x_0` (see [`OptimizedPoseidon::new`]):
/// `u ← x_0⁵ + constant`, then `x_0 ← row · (u, x_1, …)`, `x_1 ← x_1 + u` and
/// `x_i ← x_i + col_i · u` for `i ≥ 2`.
#[derive(Clone, Debug)]
struct SparseRound<const T: usize> {
    /// The scalar added to `x_0` after the S-box.
    constant: Fr,
    /// The dense first row of the sparse matrix.
    row: [Fr; T],
    /// The first column below the diagonal; `col[0]` is unused and `col[1]` is
    /// one by construction (neither is read).
    col: [Fr; T],
}

/// The optimized permutation of width `T`, equal to [`PoseidonParams::permute`]
/// of the parameters it was built from.
#[derive(Clone, Debug)]
pub(crate) struct OptimizedPoseidon<const T: usize> {
    /// Round constants of the full rounds before the partial rounds, except the
    /// last of them.
    first_constants: Vec<[Fr; T]>,
    /// Round constants of the last full round before the partial rounds.
    pre_round_constants: [Fr; T],
    /// `K`: added after the S-box of the last full round before the partial rounds.
    pre_constants: [Fr; T],
    /// `P`: the linear layer of the last full round before the partial rounds
    /// (its first row scaled by `μ_0`).
    pre_matrix: [[Fr; T]; T],
    /// The partial rounds.
    partial: Vec<SparseRound<T>>,
    /// Round constants of the full rounds after the partial rounds, except the
    /// last of them.
    last_constants: Vec<[Fr; T]>,
    /// Round constants of the final round.
    final_constants: [Fr; T],
    /// The MDS matrix, row-major.
    mds: [[Fr; T]; T],
}

impl<const T: usize> OptimizedPoseidon<T> {
    /// Derives the optimized form of `params`.
    ///
    /// Besides the two rewrites of the module documentation, one more saves a
    /// multiplication per partial round: the state may carry `μ · x_0` for any
    /// non-zero `μ`, because `(μ · x_0)⁵ = μ⁵ · x_0⁵` (the constant added after the
    /// S-box is scaled by `μ⁵` too). Choosing the scale `μ_p` in front of partial
    /// round `p` as the fifth root of that round's `col_1` (fifth roots exist and
    /// are unique since `gcd(5, r − 1) = 1`, which is why `x⁵` is a permutation)
    /// makes the coefficient of the S-box output in `x_1`'s update one; the next
    /// scale `μ_{p+1}` is folded into the round's first row, `μ_0` into the first
    /// row of `P`, and the scale after the last partial round is one.
    ///
    /// Returns `None` if `params.width != T`, the tables have the wrong size, there
    /// is no full round before the partial rounds, or some `col_1` is zero (none of
    /// which happens for circomlib's parameters; the tests check every arity).
    pub(crate) fn new(params: &PoseidonParams) -> Option<Self> {
        let t = params.width;
        let half = params.full_rounds / 2;
        let rp = params.partial_rounds;
        let rounds = params.full_rounds + rp;
        if t != T
            || t < 2
            || half == 0
            || params.round_constants.len() != rounds * t
            || params.mds.len() != t
            || params.mds.iter().any(|row| row.len() != t)
        {
            return None;
        }
        let m = &params.mds;
        let m_inv = invert(m).expect("an MDS matrix is invertible");
        let constants = |round: usize| &params.round_constants[round * t..(round + 1) * t];

        // (1) Constants, walking the partial rounds backwards. `carried` holds what
        // has been pulled in front of partial round `q` from the later rounds (its
        // first coordinate is zero, so it commutes with that round's S-box).
        let mut partial_constants = vec![Fr::ZERO; rp];
        let mut carried = vec![Fr::ZERO; t];
        for q in (0..rp).rev() {
            let before_sbox: Vec<Fr> =
                constants(half + q).iter().zip(&carried).map(|(c, k)| *c + k).collect();
            // Move it in front of the preceding linear layer.
            carried = mat_vec(&m_inv, &before_sbox);
            if q > 0 {
                // The first coordinate is added after partial round q−1's S-box.
                partial_constants[q - 1] = carried[0];
                carried[0] = Fr::ZERO;
            }
        }
        let pre_constants = carried;

        // (2) Matrices, walking backwards: `a` is the linear layer still to be
        // factored, starting with the MDS of the last partial round.
        let mut a = m.clone();
        let mut sparse = Vec::with_capacity(rp);
        for _ in 0..rp {
            let hat: Vec<Vec<Fr>> = a[1..].iter().map(|row| row[1..].to_vec()).collect();
            let hat_inv = invert(&hat).expect("the lower-right block is a power of an MDS submatrix");
            let mut row = vec![a[0][0]];
            row.extend((0..t - 1).map(|j| (0..t - 1).map(|i| a[0][i + 1] * hat_inv[i][j]).sum::<Fr>()));
            let col: Vec<Fr> = a.iter().map(|r| r[0]).collect();
            sparse.push((row, col));
            // a ← diag(1, Â) · M
            let mut d = identity(t);
            for (i, hat_row) in hat.into_iter().enumerate() {
                d[i + 1][1..].copy_from_slice(&hat_row);
            }
            a = mat_mul(&d, m);
        }
        sparse.reverse();

        // (3) Scales, walking backwards: `next_scale` is μ_{p+1}, one after the last
        // partial round.
        let mut partial = Vec::with_capacity(rp);
        let mut next_scale = Fr::ONE;
        for ((mut row, mut col), constant) in sparse.into_iter().zip(partial_constants).rev() {
            let pivot = col[1]; // μ_p⁵
            let pivot_inv = pivot.inverse()?;
            let scale = fifth_root(pivot)?; // μ_p
            row[0] *= pivot_inv;
            row.iter_mut().for_each(|r| *r *= next_scale);
            col.iter_mut().for_each(|c| *c *= pivot_inv);
            partial.push(SparseRound { constant: constant * pivot, row: array(&row), col: array(&col) });
            next_scale = scale;
        }
        partial.reverse();
        a[0].iter_mut().for_each(|p| *p *= next_scale);

        Some(Self {
            first_constants: (0..half - 1).map(|r| array(constants(r))).collect(),
            pre_round_constants: array(constants(half - 1)),
            pre_constants: array(&pre_constants),
            pre_matrix: matrix(&a),
            partial,
            last_constants: (half + rp..rounds - 1).map(|r| array(constants(r))).collect(),
            final_constants: array(constants(rounds - 1)),
            mds: matrix(m),
        })
    }

    /// Everything but the final linear layer, whose output the full permutation
    /// needs in full and [`Self::first_output`] only in its first element.
    #[inline(always)]
    fn permute_until_final_linear_layer(&self, x: &mut [Fr; T]) {
        for c in &self.first_constants {
            full_round(x, c, &self.mds);
        }
        add_sbox_all(x, &self.pre_round_constants);
        for (s, k) in x.iter_mut().zip(&self.pre_constants) {
            *s += k;
        }
        *x = mat_mul_vec(&self.pre_matrix, x);
        for round in &self.partial {
            let u = sbox(x[0]) + round.constant;
            x[0] = u;
            x[0] = Fr::sum_of_products(&round.row, x);
            x[1] += u;
            for (s, c) in x.iter_mut().zip(&round.col).skip(2) {
                *s += *c * u;
            }
        }
        for c in &self.last_constants {
            full_round(x, c, &self.mds);
        }
        add_sbox_all(x, &self.final_constants);
    }

    /// The permutation on a fixed-size state.
    #[cfg(test)]
    pub(crate) fn permute_array(&self, x: &mut [Fr; T]) {
        self.permute_until_final_linear_layer(x);
        *x = mat_mul_vec(&self.mds, x);
    }

    /// The first element of the permutation of `x` (circomlib's output).
    #[inline]
    pub(crate) fn first_output(&self, mut x: [Fr; T]) -> Fr {
        self.permute_until_final_linear_layer(&mut x);
        Fr::sum_of_products(&self.mds[0], &x)
    }
}

impl<const T: usize> Permutation for OptimizedPoseidon<T> {
    #[cfg(test)]
    fn permute(&self, state: &mut [Fr]) {
        let mut x = [Fr::ZERO; T];
        x.copy_from_slice(state);
        self.permute_array(&mut x);
        state.copy_from_slice(&x);
    }

    fn hash(&self, inputs: &[Fr]) -> Fr {
        let mut x = [Fr::ZERO; T];
        x[1..].copy_from_slice(inputs);
        self.first_output(x)
    }
}

/// The unique `y` with `y⁵ = x`, or `None` if there is none (impossible in BN254's
/// scalar field, where `gcd(5, r − 1) = 1`).
fn fifth_root(x: Fr) -> Option<Fr> {
    let order = BigUint::from(Fr::MODULUS) - 1u32;
    // e = 5⁻¹ mod (r − 1): the k in 1..5 with 5 | k·(r − 1) + 1 gives e = (k·(r − 1) + 1) / 5.
    let e = (1u32..5).map(|k| &order * k + 1u32).find(|n| (n % 5u32).is_zero())? / 5u32;
    let y = x.pow(e.to_u64_digits());
    (sbox(y) == x).then_some(y)
}

/// `x ← M · S(x + c)` with the S-box on every element.
#[inline(always)]
fn full_round<const T: usize>(x: &mut [Fr; T], c: &[Fr; T], m: &[[Fr; T]; T]) {
    add_sbox_all(x, c);
    *x = mat_mul_vec(m, x);
}

/// `x ← S(x + c)` with the S-box on every element.
#[inline(always)]
fn add_sbox_all<const T: usize>(x: &mut [Fr; T], c: &[Fr; T]) {
    for (s, c) in x.iter_mut().zip(c) {
        *s = sbox(*s + c);
    }
}

/// `M · x`, each row a lazily-reduced sum of products.
#[inline(always)]
fn mat_mul_vec<const T: usize>(m: &[[Fr; T]; T], x: &[Fr; T]) -> [Fr; T] {
    core::array::from_fn(|i| Fr::sum_of_products(&m[i], x))
}

/// Copies a slice of length `T` into an array (the derivation only produces such).
fn array<const T: usize>(v: &[Fr]) -> [Fr; T] {
    core::array::from_fn(|i| v[i])
}

/// Copies a `T × T` matrix into arrays.
fn matrix<const T: usize>(m: &[Vec<Fr>]) -> [[Fr; T]; T] {
    core::array::from_fn(|i| array(&m[i]))
}

/// The `n × n` identity.
fn identity(n: usize) -> Vec<Vec<Fr>> {
    (0..n).map(|i| (0..n).map(|j| if i == j { Fr::ONE } else { Fr::ZERO }).collect()).collect()
}

/// `a · b` for square matrices.
fn mat_mul(a: &[Vec<Fr>], b: &[Vec<Fr>]) -> Vec<Vec<Fr>> {
    a.iter()
        .map(|row| (0..b.len()).map(|j| row.iter().zip(b).map(|(x, b_row)| *x * b_row[j]).sum()).collect())
        .collect()
}

/// `m · v`.
fn mat_vec(m: &[Vec<Fr>], v: &[Fr]) -> Vec<Fr> {
    m.iter().map(|row| row.iter().zip(v).map(|(a, b)| *a * b).sum()).collect()
}

/// The inverse of a square matrix by Gauss–Jordan elimination, `None` if singular.
fn invert(m: &[Vec<Fr>]) -> Option<Vec<Vec<Fr>>> {
    let n = m.len();
    let mut a: Vec<Vec<Fr>> = m.to_vec();
    let mut inv = identity(n);
    for col in 0..n {
        let pivot = (col..n).find(|&r| !a[r][col].is_zero())?;
        a.swap(col, pivot);
        inv.swap(col, pivot);
        let scale = a[col][col].inverse()?;
        a[col].iter_mut().for_each(|x| *x *= scale);
        inv[col].iter_mut().for_each(|x| *x *= scale);
        for r in 0..n {
            if r != col && !a[r][col].is_zero() {
                let f = a[r][col];
                for j in 0..n {
                    let (sub_a, sub_inv) = (a[col][j] * f, inv[col][j] * f);
                    a[r][j] -= sub_a;
                    inv[r][j] -= sub_inv;
                }
            }
        }
    }
    Some(inv)
}
