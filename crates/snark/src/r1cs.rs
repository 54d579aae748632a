//! The constraint matrices of a circuit, cached in its [`ProvingKey`](crate::ProvingKey)
//! so that proving does not rebuild them (docs/snark.md §"Proving performance").

use ark_bn254::Fr;
use ark_ff::{One, Zero};
use ark_relations::gr1cs::{
    predicate::polynomial_constraint::R1CS_PREDICATE_LABEL, ConstraintSynthesizer, ConstraintSystemRef,
    Matrix, SynthesisError,
};

#[cfg(feature = "parallel")]
use rayon::prelude::*;

use crate::Error;

/// A sparse matrix in compressed-row form; column `j` is variable `j` of the full
/// assignment `z = (1, instance…, witness…)`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Csr {
    /// Row `i` is `entries[starts[i]..starts[i + 1]]`.
    starts: Vec<usize>,
    entries: Vec<(Fr, usize)>,
}

impl Csr {
    fn from_rows(rows: &Matrix<Fr>) -> Self {
        let mut starts = Vec::with_capacity(rows.len() + 1);
        let mut entries = Vec::with_capacity(rows.iter().map(Vec::len).sum());
        starts.push(0);
        for row in rows {
            entries.extend(row.iter().copied());
            starts.push(entries.len());
        }
        Self { starts, entries }
    }

    fn rows(&self) -> usize {
        self.starts.len() - 1
    }

    fn max_column(&self) -> Option<usize> {
        self.entries.iter().map(|&(_, j)| j).max()
    }

    /// `out[i] = Σ_j M[i][j]·z[j]` for every row `i` (`out.len()` = rows).
    fn mul_vec(&self, z: &[Fr], out: &mut [Fr]) {
        let row = |(i, o): (usize, &mut Fr)| {
            let mut sum = Fr::zero();
            for &(coeff, j) in &self.entries[self.starts[i]..self.starts[i + 1]] {
                if coeff.is_one() {
                    sum += z[j];
                } else {
                    sum += coeff * z[j];
                }
            }
            *o = sum;
        };
        #[cfg(feature = "parallel")]
        out.par_iter_mut().with_min_len(256).enumerate().for_each(row);
        #[cfg(not(feature = "parallel"))]
        out.iter_mut().enumerate().for_each(row);
    }
}

/// The R1CS of a circuit as arkworks' prover sees it (`Constraints` optimization
/// goal, linear combinations inlined): sizes and the matrices `A`, `B`, `C`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct R1csShape {
    /// Instance variables, including the constant `1`.
    pub(crate) num_instance: usize,
    pub(crate) num_witness: usize,
    pub(crate) num_constraints: usize,
    a: Csr,
    b: Csr,
    c: Csr,
}

impl R1csShape {
    /// The shape of a synthesized constraint system built with matrices, after
    /// `finalize`.
    pub(crate) fn from_cs(cs: &ConstraintSystemRef<Fr>) -> Result<Self, Error> {
        let matrices = cs.to_matrices()?;
        let r1cs = matrices.get(R1CS_PREDICATE_LABEL).ok_or(Error::UnsupportedPredicate)?;
        let [a, b, c] = r1cs.as_slice() else { return Err(Error::UnsupportedPredicate) };
        let shape = Self {
            num_instance: cs.num_instance_variables(),
            num_witness: cs.num_witness_variables(),
            num_constraints: cs.num_constraints(),
            a: Csr::from_rows(a),
            b: Csr::from_rows(b),
            c: Csr::from_rows(c),
        };
        let num_vars = shape.num_instance + shape.num_witness;
        let consistent = [&shape.a, &shape.b, &shape.c]
            .iter()
            .all(|m| m.rows() == shape.num_constraints && m.max_column().is_none_or(|j| j < num_vars));
        if !consistent {
            // Constraints outside the R1CS predicate, which Groth16 cannot prove.
            return Err(Error::UnsupportedPredicate);
        }
        Ok(shape)
    }

    /// Whether `cs` (synthesized with matrices) has this shape's sizes.
    pub(crate) fn same_sizes(&self, cs: &ConstraintSystemRef<Fr>) -> bool {
        cs.num_instance_variables() == self.num_instance
            && cs.num_witness_variables() == self.num_witness
            && cs.num_constraints() == self.num_constraints
    }

    /// `(A·z, B·z, C·z)`, each written into the first `num_constraints` entries of
    /// a zero vector of length `len ≥ num_constraints`.
    ///
    /// `z` must hold `num_instance + num_witness` values.
    pub(crate) fn evaluate(&self, z: &[Fr], len: usize) -> [Vec<Fr>; 3] {
        debug_assert_eq!(z.len(), self.num_instance + self.num_witness);
        let m = self.num_constraints;
        let job = |matrix: &Csr| {
            let mut out = vec![Fr::zero(); len.max(m)];
            matrix.mul_vec(z, &mut out[..m]);
            out
        };
        #[cfg(feature = "parallel")]
        let (a, (b, c)) = rayon::join(|| job(&self.a), || rayon::join(|| job(&self.b), || job(&self.c)));
        #[cfg(not(feature = "parallel"))]
        let (a, b, c) = (job(&self.a), job(&self.b), job(&self.c));
        [a, b, c]
    }

    /// The index of the first constraint with `(A·z)ᵢ·(B·z)ᵢ ≠ (C·z)ᵢ`.
    pub(crate) fn first_unsatisfied(&self, [a, b, c]: &[Vec<Fr>; 3]) -> Option<usize> {
        (0..self.num_constraints).find(|&i| a[i] * b[i] != c[i])
    }
}

/// Wraps a circuit for arkworks' key generator and keeps the shape of the
/// constraint system the generator synthesizes, so that setup synthesizes once.
///
/// Finalizing inside `generate_constraints` does not change what the generator
/// sees: its own `finalize` finds no linear combination left to inline.
pub(crate) struct Recording<'a, C> {
    pub(crate) circuit: C,
    pub(crate) shape: &'a mut Option<R1csShape>,
}

impl<C: ConstraintSynthesizer<Fr>> ConstraintSynthesizer<Fr> for Recording<'_, C> {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        self.circuit.generate_constraints(cs.clone())?;
        cs.finalize();
        *self.shape = R1csShape::from_cs(&cs).ok();
        Ok(())
    }
}
