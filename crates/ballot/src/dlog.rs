//! Bounded discrete logarithm by baby-step giant-step (docs/spec/ballot.md §5).
//!
//! Finds `t ∈ [−M, M]` with `t·B = P` in `O(√M)` time and memory, or reports
//! `TallyOutOfRange`. `M` is capped at [`MAX_BOUND`] so the search is bounded.

use std::collections::HashMap;

use psephos_primitives::{Point, Scalar};

use crate::{elgamal::vote_scalar, BallotError};

/// The largest searchable bound `M` (`2^44`: about 4.2M baby steps).
pub const MAX_BOUND: u64 = 1 << 44;

/// Solves `t·B = point` for `t ∈ [−bound, bound]`.
pub fn solve(point: &Point, bound: u64) -> Result<i64, BallotError> {
    if bound > MAX_BOUND {
        return Err(BallotError::LimitExceeded { what: "discrete-log bound", limit: MAX_BOUND });
    }
    // Search u = t + bound in [0, 2·bound]: u·B = point + bound·B.
    let width = 2 * bound + 1;
    let m = (width as f64).sqrt().ceil() as u64;
    let target = *point + Point::mul_base8(&Scalar::from(bound));
    let mut baby = HashMap::with_capacity(m as usize);
    let mut acc = Point::IDENTITY;
    for j in 0..m {
        baby.entry(acc.pack()).or_insert(j);
        acc = acc + Point::BASE8;
    }
    // giant step: subtract m·B each time
    let giant = -Point::mul_base8(&Scalar::from(m));
    let mut gamma = target;
    for i in 0..=m {
        if let Some(j) = baby.get(&gamma.pack()) {
            let u = i * m + j;
            if u < width {
                return Ok(u as i64 - bound as i64);
            }
        }
        gamma = gamma + giant;
    }
    Err(BallotError::TallyOutOfRange { bound })
}

/// `t·B` for a signed `t` (for tests and tallies).
pub fn encode(t: i64) -> Point {
    Point::mul_base8(&vote_scalar(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solves_edges_and_refuses_out_of_range() {
        for bound in [0u64, 1, 7, 100] {
            for t in [-(bound as i64), 0, bound as i64] {
                assert_eq!(solve(&encode(t), bound), Ok(t));
            }
            assert_eq!(solve(&encode(bound as i64 + 1), bound), Err(BallotError::TallyOutOfRange { bound }));
            assert_eq!(
                solve(&encode(-(bound as i64) - 1), bound),
                Err(BallotError::TallyOutOfRange { bound })
            );
        }
        assert!(matches!(solve(&encode(1), MAX_BOUND + 1), Err(BallotError::LimitExceeded { .. })));
    }

    proptest::proptest! {
        #[test]
        fn solves_any_value_in_range(t in -5000i64..=5000) {
            proptest::prop_assert_eq!(solve(&encode(t), 5000), Ok(t));
        }
    }
}
