//! psephos' own phase 1: new → contribute ×2 → prepare → verify, against the
//! Hermez file's Lagrange convention, and refusals.
#![allow(clippy::unwrap_used)]

mod support;

use ark_bn254::G1Affine;
use ark_ec::{AffineRepr, CurveGroup};
use psephos_ceremony::{phase1, ptau, CheckFailure, Ptau};
use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};

#[test]
fn own_phase1_round_trip() {
    let mut rng = ChaCha20Rng::from_seed([5u8; 32]);
    let p0 = phase1::new(5).unwrap();
    let (p1, _) = phase1::contribute(&p0, &mut rng).unwrap();
    let (p2, h2) = phase1::contribute(&p1, &mut rng).unwrap();
    let p = phase1::prepare(&p2);
    let bytes = p.to_bytes();
    let p = Ptau::from_bytes(&bytes).unwrap();
    p.verify(&mut rng).unwrap();
    phase1::verify_chain(&p).unwrap();
    assert_eq!(h2.len(), 64);
    // Pinning: refused unless pinned explicitly.
    assert!(matches!(
        ptau::load_verified(&bytes, &[], &mut rng),
        Err(psephos_ceremony::Error::Check(CheckFailure::UnpinnedPtau { .. }))
    ));
    let pin = hex::encode(ptau::b2sum(&bytes));
    ptau::load_verified(&bytes, &[pin], &mut rng).unwrap();
    // The uncontributed file is refused.
    assert!(phase1::verify_chain(&p0).is_err());
    // A tampered contribution record is refused.
    let mut t = p.clone();
    t.contributions[0].tau_g1 = (t.contributions[0].tau_g1 + G1Affine::generator()).into_affine();
    assert!(matches!(phase1::verify_chain(&t), Err(CheckFailure::PtauContributions(_))));
    // A record whose secret is not the one proven (powers replaced by another τ).
    let (other, _) = phase1::contribute(&p0, &mut rng).unwrap();
    let mut t = p.clone();
    t.contributions[1].tau_g1 = other.contributions[0].tau_g1;
    assert!(phase1::verify_chain(&t).is_err());
}

#[test]
fn prepare_matches_the_hermez_lagrange_sections_below_the_top_level() {
    // Recompute the Lagrange sections of the Hermez power-8 file from its monomials:
    // every level the file computed from its own powers must agree.
    let mut hermez = Ptau::from_bytes(&support::hermez8()).unwrap();
    let theirs = hermez.lagrange.take().unwrap();
    let ours = phase1::prepare(&hermez).lagrange.unwrap();
    assert_eq!(ours.tau_g2, theirs.tau_g2);
    assert_eq!(ours.alpha_tau_g1, theirs.alpha_tau_g1);
    assert_eq!(ours.beta_tau_g1, theirs.beta_tau_g1);
    let below_top = (1 << 9) - 1;
    assert_eq!(ours.tau_g1[..below_top], theirs.tau_g1[..below_top]);
}
