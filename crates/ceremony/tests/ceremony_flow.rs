//! Phase 1 fixture, hashToG2 vectors, phase-2 round trip and every refusal.
#![allow(clippy::unwrap_used)]

mod support;

use ark_bn254::{Fq, Fq2, Fr, G1Affine, G2Affine};
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{MontFp, UniformRand};
use psephos_ceremony::{
    beacon, contribute, encoding, export, hash_to_curve, init, ptau, verify, CheckFailure, DecodeError,
    Error, Ptau, R1cs, VerifyPolicy, Zkey,
};
use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};
use support::{hermez8, Cubic};

fn rng() -> ChaCha20Rng {
    ChaCha20Rng::from_seed([9u8; 32])
}

fn policy(k: usize) -> VerifyPolicy {
    VerifyPolicy { min_contributions: k, beacon: None }
}

fn setup() -> (Ptau, R1cs, Zkey) {
    let ptau = ptau::load_verified(&hermez8(), &[], &mut rng()).unwrap();
    let r1cs = R1cs::from_circuit(Cubic { w: None }).unwrap();
    let key = init(&r1cs, &ptau).unwrap();
    (ptau, r1cs, key)
}

fn ceremony(key: &Zkey, n: usize) -> Zkey {
    let mut r = rng();
    let mut k = key.clone();
    for i in 0..n {
        k = contribute(&k, Some(&format!("c{i}")), &mut r).unwrap().0;
    }
    k
}

#[test]
fn hermez_power8_is_pinned_and_verifies() {
    let bytes = hermez8();
    assert_eq!(
        hex::encode(ptau::b2sum(&bytes)),
        // snarkjs README, "powersOfTau28_hez_final_08.ptau".
        "d6a8fb3a04feb600096c3b791f936a578c4e664d262e4aa24beed1b7a9a96aa5eb72864d628db247e9293384b74b36ffb52ca8d148d6e1b8b51e279fdf57b583"
    );
    assert_eq!(ptau::pinned_hermez_power(&ptau::b2sum(&bytes)), Some(8));
    let p = Ptau::from_bytes(&bytes).unwrap();
    assert_eq!((p.power, p.ceremony_power), (8, 28));
    assert_eq!(p.contributions.len(), 55); // 54 PPoT contributions and the beacon
    assert_eq!(p.contributions.last().unwrap().kind, 1);
    p.verify(&mut rng()).unwrap();
    // Re-encoding is the identity.
    assert_eq!(p.to_bytes(), bytes);
}

#[test]
fn ptau_refusals() {
    let bytes = hermez8();
    // Not pinned: one byte changed in a contribution's name.
    let mut t = bytes.clone();
    let last = t.len() - 1;
    t[last] ^= 1;
    assert!(matches!(ptau::check_pinned(&t, &[]), Err(CheckFailure::UnpinnedPtau { .. })));
    assert!(matches!(
        ptau::load_verified(&t, &[], &mut rng()),
        Err(Error::Check(CheckFailure::UnpinnedPtau { .. }))
    ));
    // Trailing data.
    let mut t = bytes.clone();
    t.push(0);
    assert!(matches!(
        Ptau::from_bytes(&t),
        Err(DecodeError::Truncated { .. } | DecodeError::TrailingData { .. })
    ));
    // A tampered Lagrange point (valid point, wrong value) is caught by the FFT check.
    let mut p = Ptau::from_bytes(&bytes).unwrap();
    let l = p.lagrange.as_mut().unwrap();
    l.tau_g1[5] = (l.tau_g1[5] + G1Affine::generator()).into_affine();
    assert!(matches!(p.verify(&mut rng()), Err(CheckFailure::PtauLagrange { section: 12, level: 2 })));
    // A tampered power.
    let mut p = Ptau::from_bytes(&bytes).unwrap();
    p.tau_g1[7] = (p.tau_g1[7] + G1Affine::generator()).into_affine();
    assert!(matches!(p.verify(&mut rng()), Err(CheckFailure::PtauPowers { section: 2 })));
}

#[test]
fn hash_to_g2_matches_snarkjs_vectors() {
    // docs/spec/ceremony.md (checked against snarkjs' keypair.js).
    let p = hash_to_curve::hash_to_g2(&[0u8; 64]);
    let x = Fq2::new(
        MontFp!("35855136299218177983175817670651091219931845799047128344222155838244161316"),
        MontFp!("646069087635397797919938636744693715354528566603017493395115058465377362471"),
    );
    let y = Fq2::new(
        MontFp!("1901684158256603321858309450823703490945049772038664416862771328906397094895"),
        MontFp!("3422840315865726820925947100339987389766207607061923384417058547416974546320"),
    );
    assert_eq!(p, G2Affine::new(x, y));
}

#[test]
fn beacon_keys_match_snarkjs_vectors() {
    // beaconHash = 01 02 … 1f (31 bytes); SHA-256^1024 of it is bbe43775…
    let h: Vec<u8> = (1u8..=31).collect();
    let (x, s, sx) = hash_to_curve::beacon_keys(&h, 10);
    let fq = |s: &str| -> Fq { s.parse().unwrap() };
    assert_eq!(
        x,
        "245419528001706797440158906564465443062649850853982249214041232844358706575".parse::<Fr>().unwrap()
    );
    assert_eq!(
        s,
        G1Affine::new(
            fq("4479198964310915047771313168227329308870517467537789003659707845470163506916"),
            fq("15552833264422697478591749076681310391952599781681295170056107412410042822144")
        )
    );
    assert_eq!(
        sx,
        G1Affine::new(
            fq("16844218476193550112316117893878339833618188932148438567348163798279958315325"),
            fq("1226036948688871999392820375333857949675432030116394321901160616825015407654")
        )
    );
}

#[test]
fn r1cs_round_trips() {
    let r1cs = R1cs::from_circuit(Cubic { w: None }).unwrap();
    assert_eq!((r1cs.n_wires, r1cs.n_pub_in, r1cs.constraints.len()), (6, 2, 4));
    let bytes = r1cs.to_bytes();
    assert_eq!(R1cs::from_bytes(&bytes).unwrap(), r1cs);
    let mut t = bytes.clone();
    t.push(1);
    assert!(R1cs::from_bytes(&t).is_err());
}

#[test]
fn ceremony_round_trip_and_proof() {
    let (ptau, r1cs, key0) = setup();
    let bytes0 = key0.to_bytes();
    assert_eq!(Zkey::from_bytes(&bytes0).unwrap(), key0);
    let key = ceremony(&key0, 2);
    let (key, _) = beacon(&key, Some("beacon"), &[7u8; 32], 10).unwrap();
    let bytes = key.to_bytes();
    let key = Zkey::from_bytes(&bytes).unwrap();
    let report = verify(&key, &r1cs, &ptau, &policy(2), &mut rng()).unwrap();
    assert_eq!(report.contributions.len(), 3);
    assert!(report.contributions[2].beacon);
    // Announced beacon: right value accepted, other refused.
    verify(
        &key,
        &r1cs,
        &ptau,
        &VerifyPolicy { min_contributions: 2, beacon: Some((vec![7u8; 32], 10)) },
        &mut rng(),
    )
    .unwrap();
    assert_eq!(
        verify(
            &key,
            &r1cs,
            &ptau,
            &VerifyPolicy { min_contributions: 2, beacon: Some((vec![8u8; 32], 10)) },
            &mut rng()
        ),
        Err(Error::Check(CheckFailure::BeaconNotAnnounced))
    );
    // Three required, two present.
    assert_eq!(
        verify(&key, &r1cs, &ptau, &policy(3), &mut rng()),
        Err(Error::Check(CheckFailure::TooFewContributions { required: 3, found: 2 }))
    );
    // Prove and verify with the ceremony key through psephos-snark.
    let pk = export::proving_key(&key).unwrap();
    let w = Fr::from(3u64);
    let publics = Cubic::publics(w);
    let mut r = rng();
    let proof = psephos_snark::prove(&pk, Cubic { w: Some(w) }, &publics, &mut r).unwrap();
    let pvk = export::verifying_key(&key).unwrap().prepare(&psephos_snark::VkPolicy::production()).unwrap();
    psephos_snark::verify(&pvk, &publics, &proof).unwrap();
    assert!(psephos_snark::verify(&pvk, &[publics[0], publics[1] + Fr::from(1u64)], &proof).is_err());
}

#[test]
fn zero_contributions_refused() {
    let (ptau, r1cs, key0) = setup();
    assert_eq!(
        verify(&key0, &r1cs, &ptau, &policy(0), &mut rng()),
        Err(Error::Check(CheckFailure::TooFewContributions { required: 1, found: 0 }))
    );
    // And the γ = δ key is refused by the psephos-snark production policy too.
    let vk = export::verifying_key(&key0).unwrap();
    assert!(vk.prepare(&psephos_snark::VkPolicy::production()).is_err());
}

#[test]
fn contribution_after_beacon_refused() {
    let (ptau, r1cs, key0) = setup();
    let key = ceremony(&key0, 1);
    let (key, _) = beacon(&key, None, &[1u8; 8], 10).unwrap();
    // The API refuses to contribute after the beacon ...
    assert!(contribute(&key, None, &mut rng()).is_err());
    // ... and a key built that way anyway (the beacon record moved before a new contribution) is refused.
    let mut forged = key.clone();
    let b = forged.contributions.pop().unwrap();
    let mut k2 = ceremony(&forged, 1);
    k2.contributions.insert(1, b);
    assert!(matches!(
        verify(&k2, &r1cs, &ptau, &policy(1), &mut rng()),
        Err(Error::Check(CheckFailure::BeaconNotLast { index: 2 }))
    ));
}

#[test]
fn gamma_equals_delta_refused() {
    let (ptau, r1cs, key0) = setup();
    let mut key = ceremony(&key0, 1);
    // Header δ reset to the generators while keeping the transcript.
    key.delta_g1 = G1Affine::generator();
    key.delta_g2 = G2Affine::generator();
    assert!(matches!(
        verify(&key, &r1cs, &ptau, &policy(1), &mut rng()),
        Err(Error::Check(CheckFailure::FinalDelta(_) | CheckFailure::GammaEqualsDelta))
    ));
    let mut key = ceremony(&key0, 1);
    key.contributions.last_mut().unwrap().delta_after = G1Affine::generator();
    key.delta_g1 = G1Affine::generator();
    key.delta_g2 = G2Affine::generator();
    let e = verify(&key, &r1cs, &ptau, &policy(1), &mut rng()).unwrap_err();
    assert!(
        matches!(
            e,
            Error::Check(
                CheckFailure::DeltaChain { .. }
                    | CheckFailure::UnchangedDelta { .. }
                    | CheckFailure::GammaEqualsDelta
            )
        ),
        "{e}"
    );
}

#[test]
fn tampered_contributions_refused() {
    let (ptau, r1cs, key0) = setup();
    let good = ceremony(&key0, 2);
    let check = |k: &Zkey| verify(k, &r1cs, &ptau, &policy(1), &mut rng());
    // Transcript.
    let mut k = good.clone();
    k.contributions[0].transcript[0] ^= 1;
    assert_eq!(check(&k), Err(Error::Check(CheckFailure::Transcript { index: 1 })));
    // Proof of knowledge (s·x replaced).
    let mut k = good.clone();
    k.contributions[1].g1_sx = (k.contributions[1].g1_sx + G1Affine::generator()).into_affine();
    assert!(matches!(check(&k), Err(Error::Check(CheckFailure::Transcript { index: 2 }))));
    // δ chain.
    let mut k = good.clone();
    let d = (k.contributions[1].delta_after * Fr::from(2u64)).into_affine();
    k.contributions[1].delta_after = d;
    assert!(matches!(check(&k), Err(Error::Check(CheckFailure::DeltaChain { index: 2 }))));
    // L and H.
    let mut k = good.clone();
    k.l[0] = (k.l[0] + G1Affine::generator()).into_affine();
    assert_eq!(check(&k), Err(Error::Check(CheckFailure::LQuery)));
    let mut k = good.clone();
    k.h[3] = (k.h[3] * Fr::from(3u64)).into_affine();
    assert_eq!(check(&k), Err(Error::Check(CheckFailure::HQuery)));
    // A and IC.
    let mut k = good.clone();
    k.a[1] = k.a[2];
    assert!(matches!(check(&k), Err(Error::Check(CheckFailure::InitMismatch { .. }))));
    let mut k = good.clone();
    k.ic[0] = G1Affine::generator();
    assert!(matches!(check(&k), Err(Error::Check(CheckFailure::InitMismatch { .. }))));
}

#[test]
fn key_for_another_circuit_refused() {
    let (ptau, _, key0) = setup();
    let key = ceremony(&key0, 1);
    // Same sizes, one coefficient changed.
    let mut other = R1cs::from_circuit(Cubic { w: None }).unwrap();
    other.constraints[2].a[2].1 = Fr::from(6u64);
    assert!(matches!(
        verify(&key, &other, &ptau, &policy(1), &mut rng()),
        Err(Error::Check(CheckFailure::InitMismatch { .. }))
    ));
}

#[test]
fn malformed_keys_refused() {
    let (_, _, key0) = setup();
    let key = ceremony(&key0, 1);
    let bytes = key.to_bytes();
    // Trailing data.
    let mut t = bytes.clone();
    t.push(0);
    assert!(Zkey::from_bytes(&t).is_err());
    // An extra L element (section 8 grown by one point, header unchanged).
    let mut k = key.clone();
    k.l.push(G1Affine::generator());
    assert!(matches!(Zkey::from_bytes(&k.to_bytes()), Err(DecodeError::SectionSize { id: 8, .. })));
    // An extra H element.
    let mut k = key.clone();
    k.h.push(G1Affine::generator());
    assert!(matches!(Zkey::from_bytes(&k.to_bytes()), Err(DecodeError::SectionSize { id: 9, .. })));
    // An off-subgroup G2 point as δ₂: a point on the twist outside the r-torsion.
    let mut rng = rng();
    let off = loop {
        let x = Fq2::rand(&mut rng);
        if let Some(p) = G2Affine::get_point_from_x_unchecked(x, false) {
            if !p.is_in_correct_subgroup_assuming_on_curve() {
                break p;
            }
        }
    };
    let mut k = key.clone();
    k.delta_g2 = off;
    assert!(matches!(Zkey::from_bytes(&k.to_bytes()), Err(DecodeError::NotInSubgroup { .. })));
    // A non-canonical coordinate (x + q) in δ₁.
    let mut t = key.to_bytes();
    let mut enc = Vec::new();
    encoding::put_g1_lem(&key.delta_g1, &mut enc);
    let pos = t.windows(64).position(|w| w == enc.as_slice()).unwrap();
    let q = encoding::q_le();
    let mut carry = 0u16;
    for i in 0..32 {
        let s = u16::from(t[pos + i]) + u16::from(q[i]) + carry;
        t[pos + i] = s as u8;
        carry = s >> 8;
    }
    assert!(Zkey::from_bytes(&t).is_err());
}

#[test]
fn decoders_never_panic_on_truncations_and_bit_flips() {
    let (_, r1cs, key0) = setup();
    let key = ceremony(&key0, 1);
    let (key, _) = beacon(&key, Some("b"), &[3u8; 4], 10).unwrap();
    let zkey = key.to_bytes();
    let r1 = r1cs.to_bytes();
    let pt = hermez8();
    let mut r = rng();
    use rand_chacha::rand_core::RngCore;
    for _ in 0..300 {
        let cut = (r.next_u32() as usize) % zkey.len();
        assert!(Zkey::from_bytes(&zkey[..cut]).is_err());
        let mut t = zkey.clone();
        let i = (r.next_u32() as usize) % t.len();
        t[i] ^= 1 << (r.next_u32() % 8);
        let _ = Zkey::from_bytes(&t);
        let cut = (r.next_u32() as usize) % r1.len();
        assert!(R1cs::from_bytes(&r1[..cut]).is_err());
        let mut t = r1.clone();
        let i = (r.next_u32() as usize) % t.len();
        t[i] ^= 1 << (r.next_u32() % 8);
        let _ = R1cs::from_bytes(&t);
    }
    for _ in 0..40 {
        let cut = (r.next_u32() as usize) % pt.len();
        assert!(Ptau::from_bytes(&pt[..cut]).is_err());
        let mut t = pt.clone();
        // Flip inside the header and section table region, where sizes live.
        let i = (r.next_u32() as usize) % 200;
        t[i] ^= 1 << (r.next_u32() % 8);
        let _ = Ptau::from_bytes(&t);
    }
    // A beacon exponent above psephos' cap is refused when contributing and when verifying.
    assert!(beacon(&key0, None, &[1u8; 4], 33).is_err());
    let (ptau, r1cs, _) = setup();
    let mut k = key.clone();
    if let psephos_ceremony::zkey::ContributionKind::Beacon { num_iterations_exp, .. } =
        &mut k.contributions[1].kind
    {
        *num_iterations_exp = 60;
    }
    assert_eq!(
        verify(&k, &r1cs, &ptau, &policy(1), &mut rng()),
        Err(Error::Check(CheckFailure::BeaconMismatch { index: 2 }))
    );
}

#[test]
fn identity_contribution_is_refused() {
    // A "contribution" with secret x = 1 passes its proof of knowledge and the δ chain
    // but leaves δ = γ = generator: the key stays forgeable and must be refused.
    use blake2::{Blake2b512, Digest};
    use psephos_ceremony::zkey::{Contribution, ContributionKind};
    let (ptau, r1cs, key0) = setup();
    let s = (G1Affine::generator() * Fr::from(12345u64)).into_affine();
    let mut h = Blake2b512::new();
    h.update(key0.cs_hash);
    h.update(encoding::g1_u(&s, false));
    h.update(encoding::g1_u(&s, false));
    let transcript: [u8; 64] = h.finalize().into();
    let r = hash_to_curve::hash_to_g2(&transcript);
    let mut key = key0.clone();
    key.contributions.push(Contribution {
        delta_after: G1Affine::generator(),
        g1_s: s,
        g1_sx: s,
        g2_spx: r,
        transcript,
        kind: ContributionKind::Secret,
        name: Some("x = 1".into()),
    });
    assert_eq!(
        verify(&key, &r1cs, &ptau, &policy(1), &mut rng()),
        Err(Error::Check(CheckFailure::UnchangedDelta { index: 1 }))
    );
    // snarkjs-style export is refused too (psephos-snark's production policy).
    assert!(export::verifying_key(&key).unwrap().prepare(&psephos_snark::VkPolicy::production()).is_err());
}
