//! Bounded discrete logarithms for many points at once (docs/spec/tally.md §4).
//!
//! The same baby-step giant-step as psephos-ballot's `dlog::solve`
//! (docs/spec/ballot.md §5) — `t ∈ [−M, M]` with `t·B = P`, searched as
//! `u = t + M ∈ [0, 2M]` — but with one baby-step table shared by all options,
//! built in projective coordinates with one batch normalization, and a table
//! larger than `√(2M+1)` (at least 4096 entries) so that each option needs few giant
//! steps. The answers are those of `psephos_ballot::dlog::solve` (tested).

use std::collections::HashMap;

use ark_ec::CurveGroup;
use ark_ff::Zero;
use psephos_ballot::{dlog::MAX_BOUND, BallotError};
use psephos_primitives::{
    babyjubjub::{is_negative, BabyJubjubProjective},
    field, Fr, Point, Scalar,
};

/// Smallest baby-step table.
const MIN_BABY: u64 = 1 << 12;

/// circomlib's packing of `(x, y)` (the key of the baby-step table).
fn key(x: &Fr, y: &Fr) -> [u8; 32] {
    let mut out = field::to_le_bytes(y);
    if is_negative(x) {
        out[31] |= 0x80;
    }
    out
}

/// A baby-step table for the range `[−bound, bound]`.
pub struct Table {
    bound: u64,
    width: u64,
    baby: u64,
    table: HashMap<[u8; 32], u64>,
    /// `−baby·B`.
    giant: Point,
    /// `bound·B`.
    offset: Point,
}

impl Table {
    /// Builds the table (`LimitExceeded` above `psephos_ballot::dlog::MAX_BOUND`).
    pub fn new(bound: u64) -> Result<Self, BallotError> {
        if bound > MAX_BOUND {
            return Err(BallotError::LimitExceeded { what: "discrete-log bound", limit: MAX_BOUND });
        }
        let width = 2 * bound + 1;
        let sqrt = (width as f64).sqrt().ceil() as u64;
        let baby = width.min(sqrt.max(MIN_BABY));
        let base = Point::BASE8.to_affine();
        let mut acc = BabyJubjubProjective::zero();
        let mut points = Vec::with_capacity(baby as usize);
        for _ in 0..baby {
            points.push(acc);
            acc += base;
        }
        let affine = BabyJubjubProjective::normalize_batch(&points);
        let mut table = HashMap::with_capacity(baby as usize);
        for (j, p) in affine.iter().enumerate() {
            table.entry(key(&p.x, &p.y)).or_insert(j as u64);
        }
        Ok(Table {
            bound,
            width,
            baby,
            table,
            giant: -Point::mul_base8(&Scalar::from(baby)),
            offset: Point::mul_base8(&Scalar::from(bound)),
        })
    }

    /// `t ∈ [−bound, bound]` with `t·B = point`, or `TallyOutOfRange`.
    pub fn solve(&self, point: &Point) -> Result<i64, BallotError> {
        let giants = self.width.div_ceil(self.baby);
        let mut gamma = *point + self.offset;
        for i in 0..giants {
            if let Some(j) = self.table.get(&key(&gamma.x(), &gamma.y())) {
                let u = i * self.baby + j;
                if u < self.width {
                    return Ok(u as i64 - self.bound as i64);
                }
            }
            gamma = gamma + self.giant;
        }
        Err(BallotError::TallyOutOfRange { bound: self.bound })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use psephos_ballot::dlog;

    #[test]
    fn agrees_with_the_ballot_crates_bsgs_and_refuses_out_of_range() {
        for bound in [0u64, 1, 5, 4095, 4096, 10_000, 100_000] {
            let table = Table::new(bound).unwrap();
            let b = bound as i64;
            for t in [-b, -b / 2, -1, 0, 1, b / 3, b - 1, b] {
                if t.unsigned_abs() > bound {
                    continue;
                }
                let p = dlog::encode(t);
                assert_eq!(table.solve(&p), Ok(t), "bound {bound}, t {t}");
                assert_eq!(table.solve(&p), dlog::solve(&p, bound));
            }
            for t in [b + 1, -b - 1, b + 5000] {
                assert_eq!(table.solve(&dlog::encode(t)), Err(BallotError::TallyOutOfRange { bound }));
            }
        }
        assert!(Table::new(MAX_BOUND + 1).is_err());
    }
}
