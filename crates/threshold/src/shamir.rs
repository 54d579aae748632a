//! Shamir secret sharing over a [`PrimeGroup`]'s scalar field, Lagrange
//! interpolation at zero (on scalars and "in the exponent" on group elements) and
//! Feldman commitments.
//!
//! Participant indices are 1-based `u32`s (`x = index`); `0` is the secret's
//! position and is refused as an index, as are duplicates. See `docs/spec/dkg.md` §1.

use psephos_primitives::PrimeGroup;
use rand_core::{CryptoRng, RngCore};
use zeroize::Zeroize;

use crate::ThresholdError;

/// The most participants a sharing or DKG may have (refused before allocation above).
pub const MAX_PARTICIPANTS: u32 = 1024;

/// One participant's share `(i, f(i))`. Secret: zeroized on drop, `Debug` redacts the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Share<G: PrimeGroup> {
    /// The participant index `i ≥ 1`.
    pub index: u32,
    /// `f(i)`.
    pub value: G::Scalar,
}

impl<G: PrimeGroup> Drop for Share<G> {
    fn drop(&mut self) {
        self.value.zeroize();
    }
}

impl<G: PrimeGroup> core::fmt::Debug for Share<G> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Share {{ index: {}, value: <redacted> }}", self.index)
    }
}

/// A secret polynomial `f(x) = a_0 + a_1 x + … + a_{t−1} x^{t−1}`. Zeroized on drop,
/// `Debug` redacts.
pub struct Polynomial<G: PrimeGroup> {
    coefficients: Vec<G::Scalar>,
}

impl<G: PrimeGroup> Drop for Polynomial<G> {
    fn drop(&mut self) {
        for c in self.coefficients.iter_mut() {
            c.zeroize();
        }
    }
}

impl<G: PrimeGroup> core::fmt::Debug for Polynomial<G> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Polynomial(<{} redacted coefficients>)", self.coefficients.len())
    }
}

impl<G: PrimeGroup> Polynomial<G> {
    /// A uniformly random polynomial of degree `threshold − 1` with constant term `secret`.
    pub fn random(secret: G::Scalar, threshold: u32, rng: &mut (impl RngCore + CryptoRng)) -> Self {
        let mut coefficients = Vec::with_capacity(threshold as usize);
        coefficients.push(secret);
        for _ in 1..threshold.max(1) {
            coefficients.push(G::random_scalar(rng));
        }
        Polynomial { coefficients }
    }

    /// `a_0`, the shared secret.
    pub fn secret(&self) -> &G::Scalar {
        &self.coefficients[0]
    }

    /// `f(x)` (Horner).
    pub fn evaluate(&self, x: u32) -> G::Scalar {
        let x = G::scalar_from_u64(u64::from(x));
        let mut acc = G::scalar_zero();
        for c in self.coefficients.iter().rev() {
            acc = acc * x + *c;
        }
        acc
    }

    /// The share of participant `index`.
    pub fn share(&self, index: u32) -> Share<G> {
        Share { index, value: self.evaluate(index) }
    }

    /// The Feldman commitment `C_k = a_k·g`.
    pub fn commit(&self) -> FeldmanCommitment<G> {
        FeldmanCommitment { coefficients: self.coefficients.iter().map(G::mul_generator).collect() }
    }
}

/// Feldman commitments `C_0 … C_{t−1}` to a polynomial's coefficients (`C_0` commits to
/// the secret). Public.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeldmanCommitment<G: PrimeGroup> {
    coefficients: Vec<G>,
}

impl<G: PrimeGroup> FeldmanCommitment<G> {
    /// Wraps commitments (at least one).
    pub fn new(coefficients: Vec<G>) -> Result<Self, ThresholdError> {
        if coefficients.is_empty() || coefficients.len() > MAX_PARTICIPANTS as usize {
            return Err(ThresholdError::InvalidParameters {
                reason: format!("{} Feldman commitments", coefficients.len()),
            });
        }
        Ok(FeldmanCommitment { coefficients })
    }

    /// The commitments `C_k`.
    pub fn coefficients(&self) -> &[G] {
        &self.coefficients
    }

    /// The threshold `t` (number of coefficients).
    pub fn threshold(&self) -> u32 {
        self.coefficients.len() as u32
    }

    /// `C_0 = a_0·g`, the commitment to the secret.
    pub fn constant(&self) -> G {
        self.coefficients[0]
    }

    /// `Σ_k index^k · C_k = f(index)·g`, the public verification share of `index`.
    pub fn evaluate(&self, index: u32) -> G {
        let x = G::scalar_from_u64(u64::from(index));
        let mut powers = Vec::with_capacity(self.coefficients.len());
        let mut p = G::scalar_one();
        for _ in 0..self.coefficients.len() {
            powers.push(p);
            p = p * x;
        }
        G::vartime_multiscalar_mul(&powers, &self.coefficients).expect("equal lengths by construction")
    }

    /// Checks `share.value·g = Σ_k index^k · C_k`.
    pub fn verify(&self, share: &Share<G>) -> Result<(), ThresholdError> {
        if share.index == 0 {
            return Err(ThresholdError::InvalidIndex { index: 0 });
        }
        if G::mul_generator(&share.value) == self.evaluate(share.index) {
            Ok(())
        } else {
            Err(ThresholdError::ShareMismatch { index: share.index })
        }
    }

    /// Component-wise sum (the commitment to the sum of the polynomials).
    pub fn add(&self, other: &Self) -> Result<Self, ThresholdError> {
        if self.coefficients.len() != other.coefficients.len() {
            return Err(ThresholdError::InvalidParameters { reason: "thresholds differ".into() });
        }
        Ok(FeldmanCommitment {
            coefficients: self.coefficients.iter().zip(&other.coefficients).map(|(a, b)| *a + *b).collect(),
        })
    }
}

/// Splits `secret` into `n` shares (indices `1..=n`), any `threshold` of which
/// reconstruct it, with the Feldman commitment to the polynomial.
pub fn split<G: PrimeGroup>(
    secret: &G::Scalar,
    threshold: u32,
    n: u32,
    rng: &mut (impl RngCore + CryptoRng),
) -> Result<(Vec<Share<G>>, FeldmanCommitment<G>), ThresholdError> {
    check_threshold(threshold, n)?;
    let f = Polynomial::<G>::random(*secret, threshold, rng);
    Ok(((1..=n).map(|i| f.share(i)).collect(), f.commit()))
}

/// Checks `1 ≤ threshold ≤ n ≤ MAX_PARTICIPANTS`.
pub fn check_threshold(threshold: u32, n: u32) -> Result<(), ThresholdError> {
    if threshold == 0 || threshold > n || n > MAX_PARTICIPANTS {
        return Err(ThresholdError::InvalidParameters {
            reason: format!("threshold {threshold} of {n} (need 1 ≤ t ≤ n ≤ {MAX_PARTICIPANTS})"),
        });
    }
    Ok(())
}

/// Checks that `indices` are non-empty, non-zero and distinct.
pub fn check_indices(indices: &[u32]) -> Result<(), ThresholdError> {
    if indices.is_empty() {
        return Err(ThresholdError::TooFewShares { needed: 1, got: 0 });
    }
    if indices.len() > MAX_PARTICIPANTS as usize {
        return Err(ThresholdError::InvalidParameters { reason: "too many indices".into() });
    }
    for (k, &i) in indices.iter().enumerate() {
        if i == 0 {
            return Err(ThresholdError::InvalidIndex { index: 0 });
        }
        if indices[..k].contains(&i) {
            return Err(ThresholdError::DuplicateIndex { index: i });
        }
    }
    Ok(())
}

/// The Lagrange coefficients at `x = 0` for the subset `indices`:
/// `λ_i = Π_{j ≠ i} j / (j − i)`, in the order of `indices`. Refuses an empty
/// subset, index 0 and duplicates.
pub fn lagrange_coefficients_at_zero<G: PrimeGroup>(
    indices: &[u32],
) -> Result<Vec<G::Scalar>, ThresholdError> {
    check_indices(indices)?;
    let xs: Vec<G::Scalar> = indices.iter().map(|&i| G::scalar_from_u64(u64::from(i))).collect();
    let mut out = Vec::with_capacity(xs.len());
    for (k, xi) in xs.iter().enumerate() {
        let mut num = G::scalar_one();
        let mut den = G::scalar_one();
        for (m, xj) in xs.iter().enumerate() {
            if m != k {
                num = num * *xj;
                den = den * (*xj - *xi);
            }
        }
        // Distinct indices below q: the denominator is non-zero.
        let inv = G::scalar_invert(&den).expect("distinct indices give a non-zero denominator");
        out.push(num * inv);
    }
    Ok(out)
}

/// Reconstructs `f(0)` from shares (at least `threshold` of them; any such subset
/// gives the same value).
pub fn reconstruct<G: PrimeGroup>(shares: &[Share<G>], threshold: u32) -> Result<G::Scalar, ThresholdError> {
    if shares.len() < threshold as usize || shares.is_empty() {
        return Err(ThresholdError::TooFewShares { needed: threshold.max(1) as usize, got: shares.len() });
    }
    let indices: Vec<u32> = shares.iter().map(|s| s.index).collect();
    let lambdas = lagrange_coefficients_at_zero::<G>(&indices)?;
    let mut acc = G::scalar_zero();
    for (l, s) in lambdas.iter().zip(shares) {
        acc = acc + *l * s.value;
    }
    Ok(acc)
}

/// Lagrange interpolation at zero in the exponent: from `(i, f(i)·P)` for at least
/// `threshold` distinct indices, `f(0)·P = Σ λ_i · (f(i)·P)` (combining partial
/// decryptions or partial OPRF evaluations).
pub fn interpolate_in_exponent<G: PrimeGroup>(
    points: &[(u32, G)],
    threshold: u32,
) -> Result<G, ThresholdError> {
    if points.len() < threshold as usize || points.is_empty() {
        return Err(ThresholdError::TooFewShares { needed: threshold.max(1) as usize, got: points.len() });
    }
    let indices: Vec<u32> = points.iter().map(|(i, _)| *i).collect();
    let lambdas = lagrange_coefficients_at_zero::<G>(&indices)?;
    let elements: Vec<G> = points.iter().map(|(_, p)| *p).collect();
    Ok(G::vartime_multiscalar_mul(&lambdas, &elements).expect("equal lengths by construction"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use psephos_primitives::{Point, RistrettoPoint};
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;

    /// All subsets of `1..=n` of size `k`.
    fn subsets(n: u32, k: usize) -> Vec<Vec<u32>> {
        let mut out = Vec::new();
        for mask in 0u32..(1 << n) {
            if mask.count_ones() as usize == k {
                out.push((1..=n).filter(|i| mask & (1 << (i - 1)) != 0).collect());
            }
        }
        out
    }

    fn suite<G: PrimeGroup>() {
        let mut rng = ChaCha20Rng::seed_from_u64(5);
        let secret = G::random_scalar(&mut rng);
        let (shares, commitment) = split::<G>(&secret, 3, 5, &mut rng).unwrap();
        assert_eq!(commitment.constant(), G::mul_generator(&secret));
        for s in &shares {
            commitment.verify(s).unwrap();
        }
        // Every 3-subset (and the 4- and 5-subsets) reconstruct the secret, in any order.
        for k in 3..=5 {
            for subset in subsets(5, k) {
                let mut chosen: Vec<Share<G>> =
                    subset.iter().map(|&i| shares[(i - 1) as usize].clone()).collect();
                chosen.reverse();
                assert_eq!(reconstruct(&chosen, 3).unwrap(), secret);
                let pts: Vec<(u32, G)> =
                    chosen.iter().map(|s| (s.index, G::mul_generator(&s.value))).collect();
                assert_eq!(interpolate_in_exponent(&pts, 3).unwrap(), G::mul_generator(&secret));
            }
        }
        // Two shares are not enough (refused), and do not determine the secret.
        assert_eq!(reconstruct(&shares[..2], 3), Err(ThresholdError::TooFewShares { needed: 3, got: 2 }));
        // A wrong share fails Feldman and breaks reconstruction.
        let mut bad = shares[1].clone();
        bad.value = bad.value + G::scalar_one();
        assert_eq!(commitment.verify(&bad), Err(ThresholdError::ShareMismatch { index: 2 }));
        assert_ne!(reconstruct(&[shares[0].clone(), bad, shares[2].clone()], 3).unwrap(), secret);
        // Index checks.
        assert_eq!(
            lagrange_coefficients_at_zero::<G>(&[1, 0, 2]),
            Err(ThresholdError::InvalidIndex { index: 0 })
        );
        assert_eq!(
            lagrange_coefficients_at_zero::<G>(&[1, 2, 1]),
            Err(ThresholdError::DuplicateIndex { index: 1 })
        );
        assert!(lagrange_coefficients_at_zero::<G>(&[]).is_err());
        // Parameter checks.
        assert!(split::<G>(&secret, 0, 5, &mut rng).is_err());
        assert!(split::<G>(&secret, 6, 5, &mut rng).is_err());
        // Debug redacts.
        assert!(!format!("{:?}", shares[0]).contains(&format!("{:?}", shares[0].value)));
    }

    #[test]
    fn lagrange_known_values() {
        // Independent check: for {1, 2}, λ_1 = 2, λ_2 = −1; for {1, 2, 3}: 3, −3, 1.
        let l = lagrange_coefficients_at_zero::<Point>(&[1, 2]).unwrap();
        assert_eq!(l, vec![Point::scalar_from_u64(2), -Point::scalar_one()]);
        let l = lagrange_coefficients_at_zero::<RistrettoPoint>(&[1, 2, 3]).unwrap();
        let three = RistrettoPoint::scalar_from_u64(3);
        assert_eq!(l, vec![three, -three, RistrettoPoint::scalar_one()]);
    }

    #[test]
    fn babyjubjub() {
        suite::<Point>();
    }

    #[test]
    fn ristretto255() {
        suite::<RistrettoPoint>();
    }
}
