//! Poseidon in R1CS: the in-circuit twin of [`psephos_primitives::poseidon`]
//! (circomlib's parameters, docs/spec/primitives.md §2).
//!
//! The gadget runs the very permutation of the native code, reading the same
//! [`PoseidonParams`]: state `[0, in_1, …, in_n]`, round constants added to every
//! element, the S-box `x⁵` on every element in the `R_F = 8` full rounds (four
//! before, four after the partial rounds) and on element 0 only in the `R_P`
//! partial rounds, then the MDS layer `s'_i = Σ_j M[i][j]·s_j`. The output is
//! element 0.
//!
//! # Cost
//!
//! Additions and multiplications by constants (round constants, MDS) are linear
//! combinations and cost nothing. Each S-box on a variable costs 3 constraints
//! (`x² = x·x`, `x⁴ = x²·x²`, `x⁵ = x⁴·x`). In the first round element 0 is the
//! constant `0 + c₀`, so its S-box is free. With width `t = n + 1`:
//!
//! ```text
//! constraints(n) = 3 · (R_F·t − 1 + R_P)
//! ```
//!
//! For `n = 2` (`t = 3`, `R_P = 57`): `3 · (24 − 1 + 57) = 240` (see
//! [`constraint_count`]).

use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, Field, Zero};
use ark_r1cs_std::{
    fields::{
        fp::{AllocatedFp, FpVar},
        FieldVar,
    },
    GR1CSVar,
};
use ark_relations::gr1cs::{ConstraintSystemRef, LinearCombination, SynthesisError, Variable};
use psephos_primitives::poseidon::{self, PoseidonParams};

/// The S-box `x ↦ x⁵` in three constraints (none if `x` is a constant).
pub fn sbox_var(x: &FpVar<Fr>) -> Result<FpVar<Fr>, SynthesisError> {
    let x2 = x.square()?;
    let x4 = x2.square()?;
    Ok(x4 * x)
}

/// Applies the Poseidon permutation of `params` to `state` (length `params.width`).
///
/// Returns `ArityMismatch` if the state has the wrong length.
///
/// The linear layers are tracked here as *flat* affine combinations of the
/// permutation's own variables (the inputs and the S-box outputs), and only the
/// S-box inputs and the outputs become arkworks linear combinations. Building the
/// same combinations with `FpVar` additions instead nests `t²` symbolic linear
/// combinations per round, which arkworks must inline at `finalize()` — seconds
/// for a few width-17 permutations. The constraints, their order and the witness
/// variables are exactly those of the textbook gadget: per S-box `x² = x·x`,
/// `x⁴ = x²·x²`, `x⁵ = x⁴·x`, with `x` the inlined combination (pinned by the
/// circuits' matrix digests).
pub fn permute_var(params: &PoseidonParams, state: &mut [FpVar<Fr>]) -> Result<(), SynthesisError> {
    if state.len() != params.width {
        return Err(SynthesisError::ArityMismatch);
    }
    let cs = state.cs();
    if cs.is_none() {
        // All constants: the native permutation.
        let mut values = state.iter().map(|s| s.value()).collect::<Result<Vec<_>, _>>()?;
        params.permute(&mut values);
        for (s, v) in state.iter_mut().zip(values) {
            *s = FpVar::Constant(v);
        }
        return Ok(());
    }
    let mut flat = FlatState::new(cs, state);
    let half = params.full_rounds / 2;
    for round in 0..params.full_rounds + params.partial_rounds {
        for i in 0..params.width {
            flat.add_constant(i, params.round_constant(round, i));
        }
        let full = round < half || round >= half + params.partial_rounds;
        if full {
            let first_new = flat.bases.len();
            for i in 0..params.width {
                flat.sbox(i)?;
            }
            // Every element is now constant or a single fresh S-box output.
            flat.rebase(first_new);
        } else {
            flat.sbox(0)?;
        }
        flat.mix(&params.mds);
    }
    for (i, s) in state.iter_mut().enumerate() {
        *s = flat.output(i)?;
    }
    Ok(())
}

/// The permutation state as affine combinations `cᵢ + Σ_k tᵢₖ·bases[offset + k]`,
/// with the native values alongside (when proving).
struct FlatState {
    cs: ConstraintSystemRef<Fr>,
    /// The variables the state is expressed in: inputs, then S-box outputs.
    bases: Vec<Variable>,
    /// No live combination refers to a base below this index.
    offset: usize,
    constants: Vec<Fr>,
    terms: Vec<Vec<Fr>>,
    /// The state's values; `None` in setup mode.
    values: Option<Vec<Fr>>,
}

impl FlatState {
    fn new(cs: ConstraintSystemRef<Fr>, state: &[FpVar<Fr>]) -> Self {
        let mut bases = Vec::new();
        let mut constants = Vec::with_capacity(state.len());
        let mut unit_at = Vec::with_capacity(state.len());
        for s in state {
            match s {
                FpVar::Constant(c) => {
                    constants.push(*c);
                    unit_at.push(None);
                }
                FpVar::Var(v) => {
                    constants.push(Fr::ZERO);
                    unit_at.push(Some(bases.len()));
                    bases.push(v.variable);
                }
            }
        }
        let terms = unit_at
            .iter()
            .map(|at| {
                let mut t = vec![Fr::ZERO; bases.len()];
                if let Some(k) = at {
                    t[*k] = Fr::ONE;
                }
                t
            })
            .collect();
        let values = state.iter().map(|s| s.value().ok()).collect::<Option<Vec<_>>>();
        Self { cs, bases, offset: 0, constants, terms, values }
    }

    fn add_constant(&mut self, i: usize, c: Fr) {
        self.constants[i] += c;
        if let Some(values) = &mut self.values {
            values[i] += c;
        }
    }

    fn is_constant(&self, i: usize) -> bool {
        self.terms[i].iter().all(|t| t.is_zero())
    }

    /// Element `i` as an arkworks linear combination.
    fn lc(&self, i: usize) -> LinearCombination<Fr> {
        let mut lc: Vec<(Fr, Variable)> = self.terms[i]
            .iter()
            .zip(&self.bases[self.offset..])
            .filter(|(t, _)| !t.is_zero())
            .map(|(t, v)| (*t, *v))
            .collect();
        if !self.constants[i].is_zero() {
            lc.push((self.constants[i], Variable::One));
        }
        LinearCombination(lc)
    }

    /// `x ↦ x⁵` on element `i` (3 constraints, none for a constant); the element
    /// becomes the fresh variable `x⁵`.
    fn sbox(&mut self, i: usize) -> Result<(), SynthesisError> {
        let value = self.values.as_ref().map(|v| v[i]);
        if self.is_constant(i) {
            self.constants[i] = poseidon::sbox(self.constants[i]);
            if let Some(values) = &mut self.values {
                values[i] = poseidon::sbox(values[i]);
            }
            return Ok(());
        }
        let x = self.lc(i);
        let power = |e: u64| value.map(|v| v.pow([e])).ok_or(SynthesisError::AssignmentMissing);
        let x2 = self.cs.new_witness_variable(|| power(2))?;
        self.cs.enforce_r1cs_constraint(|| x.clone(), || x.clone(), || x2.into())?;
        let x4 = self.cs.new_witness_variable(|| power(4))?;
        self.cs.enforce_r1cs_constraint(|| x2.into(), || x2.into(), || x4.into())?;
        let x5 = self.cs.new_witness_variable(|| power(5))?;
        self.cs.enforce_r1cs_constraint(|| x4.into(), || x, || x5.into())?;
        self.bases.push(x5);
        let len = self.bases.len() - self.offset;
        self.constants[i] = Fr::ZERO;
        self.terms[i] = vec![Fr::ZERO; len];
        self.terms[i][len - 1] = Fr::ONE;
        if let (Some(values), Some(v)) = (&mut self.values, value) {
            values[i] = poseidon::sbox(v);
        }
        Ok(())
    }

    /// Moves the offset to `first_new` (no live term refers to an earlier base).
    fn rebase(&mut self, first_new: usize) {
        let shift = first_new - self.offset;
        for t in &mut self.terms {
            debug_assert!(t.iter().take(shift).all(|x| x.is_zero()));
            t.drain(..shift.min(t.len()));
        }
        self.offset = first_new;
    }

    /// The linear layer `sᵢ ← Σ_j M[i][j]·s_j`.
    fn mix(&mut self, mds: &[Vec<Fr>]) {
        let len = self.bases.len() - self.offset;
        for t in &mut self.terms {
            t.resize(len, Fr::ZERO);
        }
        let mut constants = vec![Fr::ZERO; mds.len()];
        let mut terms = vec![vec![Fr::ZERO; len]; mds.len()];
        for (i, row) in mds.iter().enumerate() {
            for (j, m) in row.iter().enumerate() {
                constants[i] += *m * self.constants[j];
                for (out, t) in terms[i].iter_mut().zip(&self.terms[j]) {
                    if !t.is_zero() {
                        *out += *m * t;
                    }
                }
            }
        }
        if let Some(values) = &mut self.values {
            let mixed =
                mds.iter().map(|row| row.iter().zip(values.iter()).map(|(m, v)| *m * v).sum()).collect();
            *values = mixed;
        }
        self.constants = constants;
        self.terms = terms;
    }

    /// Element `i` as an `FpVar` (a constant, or one flat linear combination).
    fn output(&self, i: usize) -> Result<FpVar<Fr>, SynthesisError> {
        if self.is_constant(i) {
            return Ok(FpVar::Constant(self.constants[i]));
        }
        let lc = self.lc(i);
        let variable = self.cs.new_lc(|| lc)?;
        let value = self.values.as_ref().map(|v| v[i]);
        Ok(FpVar::Var(AllocatedFp::new(value, variable, self.cs.clone())))
    }
}

/// circomlib's `Poseidon(inputs.len())` in R1CS, equal to
/// [`psephos_primitives::poseidon::hash`] on the same inputs.
///
/// Takes 1 to 16 inputs; any other count is `ArityMismatch` (no panic).
///
/// ```
/// use ark_r1cs_std::{alloc::AllocVar, fields::fp::FpVar, GR1CSVar};
/// use ark_relations::gr1cs::ConstraintSystem;
/// use psephos_circuits::poseidon::poseidon_hash_var;
/// use psephos_primitives::{poseidon, Fr};
///
/// let cs = ConstraintSystem::<Fr>::new_ref();
/// let a = FpVar::new_witness(cs.clone(), || Ok(Fr::from(1u64))).unwrap();
/// let b = FpVar::new_witness(cs.clone(), || Ok(Fr::from(2u64))).unwrap();
/// let h = poseidon_hash_var(&[a, b]).unwrap();
/// assert_eq!(h.value().unwrap(), poseidon::hash2(Fr::from(1u64), Fr::from(2u64)));
/// assert_eq!(cs.num_constraints(), 240);
/// ```
pub fn poseidon_hash_var(inputs: &[FpVar<Fr>]) -> Result<FpVar<Fr>, SynthesisError> {
    let params = poseidon::params(inputs.len()).map_err(|_| SynthesisError::ArityMismatch)?;
    let mut state = Vec::with_capacity(params.width);
    state.push(FpVar::Constant(Fr::ZERO));
    state.extend_from_slice(inputs);
    permute_var(params, &mut state)?;
    Ok(state.swap_remove(0))
}

/// `Poseidon(a, b)`, the twin of [`psephos_primitives::poseidon::hash2`].
pub fn poseidon_hash2_var(a: &FpVar<Fr>, b: &FpVar<Fr>) -> Result<FpVar<Fr>, SynthesisError> {
    poseidon_hash_var(&[a.clone(), b.clone()])
}

/// The number of constraints of [`poseidon_hash_var`] on `arity` variable inputs:
/// `3 · (R_F·t − 1 + R_P)` with `t = arity + 1`; `None` for an unsupported arity.
pub fn constraint_count(arity: usize) -> Option<usize> {
    let p = poseidon::params(arity).ok()?;
    Some(3 * (p.full_rounds * p.width - 1 + p.partial_rounds))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ff::Field;
    use ark_r1cs_std::{alloc::AllocVar, GR1CSVar};
    use ark_relations::gr1cs::{ConstraintSystem, OptimizationGoal};
    use ark_std::UniformRand;
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;

    #[test]
    fn equals_native_for_every_arity() {
        let mut rng = ChaCha20Rng::seed_from_u64(1);
        for arity in 1..=poseidon::MAX_ARITY {
            let cs = ConstraintSystem::<Fr>::new_ref();
            cs.set_optimization_goal(OptimizationGoal::Constraints);
            let mut values: Vec<Fr> = (0..arity).map(|_| Fr::rand(&mut rng)).collect();
            values[0] = -Fr::ONE; // a boundary value in every run
            let vars: Vec<FpVar<Fr>> =
                values.iter().map(|v| FpVar::new_witness(cs.clone(), || Ok(*v)).unwrap()).collect();
            let out = poseidon_hash_var(&vars).unwrap();
            assert_eq!(out.value().unwrap(), poseidon::hash(&values).unwrap(), "arity {arity}");
            cs.finalize();
            assert!(cs.is_satisfied().unwrap(), "arity {arity}");
            assert_eq!(Some(cs.num_constraints()), constraint_count(arity), "arity {arity}");
            // The output is bound: a different claimed output is rejected.
            let cs2 = ConstraintSystem::<Fr>::new_ref();
            let vars2: Vec<FpVar<Fr>> =
                values.iter().map(|v| FpVar::new_witness(cs2.clone(), || Ok(*v)).unwrap()).collect();
            let claimed = FpVar::new_input(cs2.clone(), || Ok(out.value().unwrap() + Fr::ONE)).unwrap();
            crate::r1cs::enforce_equal(&poseidon_hash_var(&vars2).unwrap(), &claimed).unwrap();
            assert!(!cs2.is_satisfied().unwrap());
        }
    }

    #[test]
    fn arity_two_costs_240_constraints() {
        // (R_F·t − 1 + R_P)·3 = (8·3 − 1 + 57)·3: the first S-box of element 0 acts on
        // the constant 0 + c₀ and is free.
        assert_eq!(constraint_count(2), Some(240));
        let cs = ConstraintSystem::<Fr>::new_ref();
        let a = FpVar::new_witness(cs.clone(), || Ok(Fr::from(3u64))).unwrap();
        let b = FpVar::new_witness(cs.clone(), || Ok(Fr::from(4u64))).unwrap();
        let _ = poseidon_hash2_var(&a, &b).unwrap();
        assert_eq!(cs.num_constraints(), 240);
    }

    #[test]
    fn constants_hash_to_the_native_constant_without_constraints() {
        let inputs = [Fr::from(7u64), -Fr::ONE];
        let vars = inputs.map(FpVar::Constant);
        let out = poseidon_hash_var(&vars).unwrap();
        assert!(matches!(out, FpVar::Constant(c) if c == poseidon::hash(&inputs).unwrap()));
    }

    #[test]
    fn unsupported_arity_is_an_error_not_a_panic() {
        assert_eq!(poseidon_hash_var(&[]).unwrap_err(), SynthesisError::ArityMismatch);
        let many = vec![FpVar::Constant(Fr::ONE); poseidon::MAX_ARITY + 1];
        assert_eq!(poseidon_hash_var(&many).unwrap_err(), SynthesisError::ArityMismatch);
        assert_eq!(constraint_count(0), None);
        let p = poseidon::params(2).unwrap();
        let mut short = vec![FpVar::Constant(Fr::ONE); 2];
        assert_eq!(permute_var(p, &mut short).unwrap_err(), SynthesisError::ArityMismatch);
    }

    #[test]
    fn matches_circomlibjs_vectors() {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../test-vectors/poseidon.json"))
                .expect("test-vectors/poseidon.json");
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        let mut checked = 0;
        for group in json["testGroups"].as_array().unwrap() {
            for test in group["tests"].as_array().unwrap() {
                if test["result"] != "valid" {
                    continue;
                }
                let (Some(inputs), Some(expected)) = (test["inputs"].as_array(), test["output"].as_str())
                else {
                    continue;
                };
                let inputs: Vec<Fr> = inputs
                    .iter()
                    .map(|v| psephos_primitives::field::from_decimal(v.as_str().unwrap()).unwrap())
                    .collect();
                let cs = ConstraintSystem::<Fr>::new_ref();
                let vars: Vec<FpVar<Fr>> =
                    inputs.iter().map(|v| FpVar::new_witness(cs.clone(), || Ok(*v)).unwrap()).collect();
                let out = poseidon_hash_var(&vars).unwrap();
                assert_eq!(psephos_primitives::field::to_decimal(&out.value().unwrap()), expected);
                assert!(cs.is_satisfied().unwrap());
                checked += 1;
            }
        }
        assert!(checked >= 16, "only {checked} Poseidon vectors checked");
    }
}
