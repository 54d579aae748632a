//! Shared soundness-test machinery (included with `#[path]` by the circuit test
//! files): an exact evaluator of the finalized R1CS matrices, the single-variable
//! mutation sweep, and failure naming through a tracing `ConstraintLayer`
//! (SECURITY-CHECKLIST "Testing arkworks circuits for under-constraint", steps 2–3).

#![allow(dead_code, clippy::unwrap_used)]

use ark_ff::{UniformRand, Zero};
use ark_relations::gr1cs::{
    ConstraintLayer, ConstraintSynthesizer, ConstraintSystem, ConstraintSystemRef, OptimizationGoal,
    TracingMode, R1CS_PREDICATE_LABEL,
};
use psephos_primitives::Fr;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use tracing_subscriber::layer::SubscriberExt;

/// An exact evaluator of the finalized R1CS matrices, with the rows touching each
/// variable, so that a single-variable change is checked in time proportional to
/// the rows it appears in.
pub struct Evaluator {
    abc: Vec<Vec<Vec<(Fr, usize)>>>,
    pub touching: Vec<Vec<usize>>,
}

impl Evaluator {
    pub fn new(cs: &ConstraintSystemRef<Fr>) -> Self {
        let mut matrices = cs.to_matrices().unwrap();
        assert_eq!(matrices.len(), 1, "only the R1CS predicate");
        let abc = matrices.remove(R1CS_PREDICATE_LABEL).unwrap();
        let mut touching = vec![Vec::new(); cs.num_instance_variables() + cs.num_witness_variables()];
        for matrix in &abc {
            for (k, row) in matrix.iter().enumerate() {
                for (_, col) in row {
                    if touching[*col].last() != Some(&k) {
                        touching[*col].push(k);
                    }
                }
            }
        }
        for rows in &mut touching {
            rows.sort_unstable();
            rows.dedup();
        }
        Self { abc, touching }
    }

    pub fn row_ok(&self, k: usize, z: &[Fr]) -> bool {
        let dot = |m: usize| self.abc[m][k].iter().map(|(c, col)| *c * z[*col]).sum::<Fr>();
        dot(0) * dot(1) == dot(2)
    }

    pub fn failing_rows(&self, z: &[Fr]) -> Vec<usize> {
        (0..self.abc[0].len()).filter(|&k| !self.row_ok(k, z)).collect()
    }
}

/// `z = instance ‖ witness` (column 0 is the constant 1).
pub fn full_assignment(cs: &ConstraintSystemRef<Fr>) -> Vec<Fr> {
    let mut z = cs.instance_assignment().unwrap();
    z.extend(cs.witness_assignment().unwrap());
    z
}

/// Writes `value` into column `col` of the live assignment and drops the cached
/// linear-combination values, so `is_satisfied()` re-evaluates from scratch.
pub fn set_column(cs: &ConstraintSystemRef<Fr>, col: usize, value: Fr) {
    let mut inner = cs.borrow_mut().unwrap();
    let n_inst = inner.num_instance_variables();
    if col < n_inst {
        inner.assignments.instance_assignment[col] = value;
    } else {
        inner.assignments.witness_assignment[col - n_inst] = value;
    }
    inner.assignments.lc_assignment.clear();
}

/// A finalized proving-mode system of `circuit` (Constraints goal).
pub fn synthesize(circuit: impl ConstraintSynthesizer<Fr>) -> ConstraintSystemRef<Fr> {
    let cs = ConstraintSystem::<Fr>::new_ref();
    cs.set_optimization_goal(OptimizationGoal::Constraints);
    circuit.generate_constraints(cs.clone()).expect("synthesis");
    cs.finalize();
    cs
}

/// The outcome of a mutation sweep.
pub struct Sweep {
    /// Changes that kept the system satisfied and are not allowlisted: (column, value).
    pub survivors: Vec<(usize, Fr)>,
    /// Columns whose allowlisted change survived.
    pub allowed: Vec<usize>,
    /// Number of changes tried.
    pub checked: usize,
    /// Number of changes cross-checked with arkworks' `is_satisfied()`.
    pub cross_checked: usize,
    /// Number of columns (instance and witness, including the constant).
    pub columns: usize,
}

/// The single-variable mutation sweep over a satisfied system: every instance
/// variable but the constant and every witness variable is set to `z + δ` (random
/// `δ ≠ 0`), `0`, `1` and `−z` (where different), and must break the system unless
/// `allowlisted(col, original, value)` names a reason. The evaluator is cross-checked
/// against arkworks' `is_satisfied()` on every instance column and every
/// `cross_check_every`-th column.
pub fn mutation_sweep(
    cs: &ConstraintSystemRef<Fr>,
    seed: u64,
    cross_check_every: usize,
    allowlisted: impl Fn(usize, Fr, Fr) -> Option<&'static str>,
) -> Sweep {
    assert!(cs.is_satisfied().unwrap(), "the sweep starts from a satisfied system");
    let eval = Evaluator::new(cs);
    let z = full_assignment(cs);
    assert!(eval.failing_rows(&z).is_empty(), "the evaluator agrees on the honest assignment");
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let mut sweep =
        Sweep { survivors: vec![], allowed: vec![], checked: 0, cross_checked: 0, columns: z.len() };
    for col in 1..z.len() {
        let original = z[col];
        let mut delta = Fr::rand(&mut rng);
        while delta.is_zero() {
            delta = Fr::rand(&mut rng);
        }
        let mut candidates = vec![original + delta, Fr::zero(), Fr::from(1u64), -original];
        candidates.retain(|v| *v != original);
        candidates.dedup();
        for value in candidates {
            let mut mutated = z.clone();
            mutated[col] = value;
            let broken = eval.touching[col].iter().any(|&k| !eval.row_ok(k, &mutated));
            sweep.checked += 1;
            if !broken {
                match allowlisted(col, original, value) {
                    Some(_) => sweep.allowed.push(col),
                    None => sweep.survivors.push((col, value)),
                }
            }
            if col < cs.num_instance_variables() || col % cross_check_every == 0 {
                set_column(cs, col, value);
                assert_eq!(cs.is_satisfied().unwrap(), !broken, "column {col}");
                set_column(cs, col, original);
                sweep.cross_checked += 1;
            }
        }
    }
    assert!(cs.is_satisfied().unwrap(), "assignment restored");
    sweep
}

/// Installs a tracing `ConstraintLayer` as the process-wide subscriber (once), so
/// constraint traces carry their namespace paths. A global subscriber, not a scoped
/// one: tracing caches each callsite's interest globally, and scoped subscribers in
/// parallel tests can see spans registered by another thread as disabled.
pub fn install_constraint_tracing() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let subscriber =
            tracing_subscriber::registry().with(ConstraintLayer::new(TracingMode::OnlyConstraints));
        tracing::subscriber::set_global_default(subscriber).expect("no other global subscriber in tests");
    });
}

/// Synthesizes `circuit` with constraint tracing and returns the name of the first
/// failing constraint and the names of all failing constraints.
pub fn failures(circuit: impl ConstraintSynthesizer<Fr>) -> (Option<String>, Vec<String>) {
    install_constraint_tracing();
    {
        let cs = synthesize(circuit);
        let first = cs.which_is_unsatisfied().unwrap();
        let eval = Evaluator::new(&cs);
        let inner = cs.borrow().unwrap();
        let traces = &inner.predicate_traces[R1CS_PREDICATE_LABEL];
        let all = eval
            .failing_rows(&full_assignment(&cs))
            .into_iter()
            .map(|k| traces[k].as_ref().map_or_else(|| format!("row {k}"), |t| t.to_string()))
            .collect();
        (first, all)
    }
}

/// Asserts that the circuit is unsatisfiable, that the first failing constraint's
/// trace (its namespace path) contains every name in `first`, and that every
/// failing constraint's trace contains all the names of one of the groups in `only`.
pub fn assert_caught(circuit: impl ConstraintSynthesizer<Fr>, first: &[&str], only: &[&[&str]]) {
    let (first_failure, all) = failures(circuit);
    let first_failure = first_failure.expect("the malicious witness must not satisfy the circuit");
    for name in first {
        assert!(first_failure.contains(name), "expected `{name}` in:\n{first_failure}");
    }
    assert!(!all.is_empty());
    for trace in &all {
        assert!(
            only.iter().any(|group| group.iter().all(|name| trace.contains(name))),
            "unexpected failing constraint (not in {only:?}):\n{trace}"
        );
    }
}
