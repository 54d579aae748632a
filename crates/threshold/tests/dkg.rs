//! DKG behaviour for both groups: honest runs, bad dealers, false accusers, wrong
//! sessions, too few participants, and strict message files.
#![allow(clippy::unwrap_used)]

use psephos_primitives::{Point, PrimeGroup, RistrettoPoint};
use psephos_sigma::DleqProof;
use psephos_threshold::{
    dkg::{
        Complaint, DkgOutput, DkgTranscript, ParticipantKey, Round1, Round1Message, Round2Message, Session,
    },
    labels, reconstruct, Share, ThresholdError,
};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

fn rng(seed: u64) -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(seed)
}

struct Setup<G: PrimeGroup> {
    keys: Vec<ParticipantKey<G>>,
    session: Session<G>,
}

fn setup<G: PrimeGroup>(t: u32, n: u32, k: u32, seed: u64) -> Setup<G> {
    let mut r = rng(seed);
    let keys: Vec<ParticipantKey<G>> = (0..n).map(|_| ParticipantKey::generate(&mut r)).collect();
    let session = Session::new(t, k, b"election 42", keys.iter().map(|k| k.public()).collect()).unwrap();
    Setup { keys, session }
}

/// Runs round 1 for everybody, passing every message through its JSON file form.
fn round1<G: PrimeGroup>(s: &Setup<G>, r: &mut ChaCha20Rng) -> (Vec<Round1<G>>, Vec<Round1Message<G>>) {
    let mut states = Vec::new();
    let mut msgs = Vec::new();
    for (i, key) in s.keys.iter().enumerate() {
        let (st, m) = Round1::start(s.session.clone(), i as u32 + 1, key.clone(), r).unwrap();
        states.push(st);
        msgs.push(Round1Message::from_json(&m.to_json()).unwrap());
    }
    (states, msgs)
}

type Outcome<G> = Result<DkgOutput<G>, ThresholdError>;

/// Rounds 2 and finish for the given round-1 states and messages; extra round-2
/// messages (forged complaints) may be substituted by `patch`.
fn finish<G: PrimeGroup>(
    states: Vec<Round1<G>>,
    r1: &[Round1Message<G>],
    r: &mut ChaCha20Rng,
    patch: impl FnOnce(&mut Vec<Round2Message<G>>),
) -> (Vec<Outcome<G>>, Vec<Round2Message<G>>) {
    let mut nexts = Vec::new();
    let mut r2 = Vec::new();
    for st in states {
        let (next, m) = st.receive(r1, r).unwrap();
        nexts.push(next);
        r2.push(Round2Message::from_json(&m.to_json()).unwrap());
    }
    patch(&mut r2);
    let outs = nexts.into_iter().map(|n| n.finish(&r2)).collect();
    (outs, r2)
}

/// All subsets of `1..=n` of size `k`.
fn subsets(n: u32, k: u32) -> Vec<Vec<u32>> {
    (0u32..(1 << n))
        .filter(|m| m.count_ones() == k)
        .map(|m| (1..=n).filter(|i| m & (1 << (i - 1)) != 0).collect())
        .collect()
}

/// Every subset of at least `t` outputs reconstructs secrets matching the public keys.
fn check_consistent<G: PrimeGroup>(outs: &[DkgOutput<G>], t: u32, k: u32) {
    let public = &outs[0].public;
    for o in outs {
        assert_eq!(&o.public, public);
        for s in 0..k as usize {
            assert_eq!(
                G::mul_generator(o.share.value(s).unwrap()),
                public.verification_share(o.share.index(), s).unwrap()
            );
        }
    }
    let by_index = |i: u32| outs.iter().find(|o| o.share.index() == i).unwrap();
    let n = outs.iter().map(|o| o.share.index()).max().unwrap();
    for s in 0..k as usize {
        for size in t..=n {
            for subset in subsets(n, size) {
                if !subset.iter().all(|i| outs.iter().any(|o| o.share.index() == *i)) {
                    continue;
                }
                let shares: Vec<Share<G>> =
                    subset.iter().map(|&i| by_index(i).share.share(s).unwrap()).collect();
                assert_eq!(G::mul_generator(&reconstruct(&shares, t).unwrap()), public.public_keys[s]);
            }
        }
        // t − 1 shares are refused.
        let few: Vec<Share<G>> = (1..t).map(|i| by_index(i).share.share(s).unwrap()).collect();
        assert!(matches!(reconstruct(&few, t), Err(ThresholdError::TooFewShares { .. })));
    }
}

fn honest<G: PrimeGroup>(t: u32, n: u32, k: u32) {
    let s = setup::<G>(t, n, k, 1);
    let mut r = rng(2);
    let (states, r1) = round1(&s, &mut r);
    let (outs, r2) = finish(states, &r1, &mut r, |_| {});
    let outs: Vec<DkgOutput<G>> = outs.into_iter().map(Result::unwrap).collect();
    assert!(r2.iter().all(|m| m.complaints.is_empty()));
    let public = &outs[0].public;
    assert_eq!(public.qualified, (1..=n).collect::<Vec<_>>());
    assert!(public.disqualified.is_empty() && public.false_accusers.is_empty());
    assert_eq!(public.public_keys.len(), k as usize);
    check_consistent(&outs, t, k);
    // Independent secrets: distinct keys.
    if k > 1 {
        assert_ne!(public.public_keys[0], public.public_keys[1]);
    }
    // The public transcript (through JSON) yields the same result for an outsider.
    let transcript = DkgTranscript { session: s.session.clone(), round1: r1, round2: r2 };
    let transcript = DkgTranscript::<G>::from_json(&transcript.to_json()).unwrap();
    assert_eq!(&transcript.verify(&mut r).unwrap(), public);
    // Public output and secret shares survive their files; Debug redacts.
    let p2 = psephos_threshold::DkgPublicOutput::<G>::from_json(&public.to_json()).unwrap();
    assert_eq!(&p2, public);
    let share = &outs[0].share;
    let back = psephos_threshold::SecretShare::<G>::from_secret_json(&share.to_secret_json()).unwrap();
    assert_eq!(&back, share);
    let dbg = format!("{share:?} {:?}", s.keys[0]);
    let secret_hex = psephos_sigma::encoding::to_hex(&G::encode_scalar(share.value(0).unwrap()));
    assert!(!dbg.contains(&secret_hex) && dbg.contains("redacted"));
}

fn bad_dealer<G: PrimeGroup>() {
    let (t, n) = (3, 5);
    let s = setup::<G>(t, n, 2, 3);
    let mut r = rng(4);
    let (states, mut r1) = round1(&s, &mut r);
    // Dealer 2 sends participant 4 a wrong share for secret 1.
    r1[1].encrypted_shares[3][1] = r1[1].encrypted_shares[3][1] + G::scalar_one();
    let (outs, r2) = finish(states, &r1, &mut r, |_| {});
    let outs: Vec<DkgOutput<G>> = outs.into_iter().map(Result::unwrap).collect();
    // Exactly participant 4 complained, against dealer 2, with evidence that holds.
    for m in &r2 {
        if m.accuser == 4 {
            assert_eq!(m.complaints.len(), 1);
            assert_eq!(m.complaints[0].dealer, 2);
        } else {
            assert!(m.complaints.is_empty());
        }
    }
    let public = &outs[0].public;
    assert_eq!(public.qualified, vec![1, 3, 4, 5]);
    assert_eq!(public.disqualified.len(), 1);
    assert_eq!(public.disqualified[0].dealer, 2);
    assert!(public.disqualified[0].reason.contains("participant 4"));
    assert!(public.false_accusers.is_empty());
    check_consistent(&outs, t, 2);
    let transcript = DkgTranscript { session: s.session.clone(), round1: r1, round2: r2 };
    assert_eq!(&transcript.verify(&mut r).unwrap(), public);
}

fn false_accusation<G: PrimeGroup>() {
    let (t, n) = (2, 3);
    let s = setup::<G>(t, n, 1, 5);
    let mut r = rng(6);
    let (states, r1) = round1(&s, &mut r);
    // Participant 3 accuses honest dealer 1: (a) with the true DH key and a valid proof,
    // (b) against dealer 2 with a wrong DH key and a proof for it.
    let x3 = ParticipantKey::<G>::from_secret_json(&s.keys[2].to_secret_json()).unwrap();
    let key3 = x3.public();
    let (outs, r2) = finish(states, &r1, &mut r, |r2| {
        let ctx = |dealer: u32| {
            let mut c = s.session.digest().to_vec();
            c.extend_from_slice(&3u32.to_le_bytes());
            c.extend_from_slice(&dealer.to_le_bytes());
            c
        };
        // The complainant's secret is needed for a valid DLEQ: recover it from the key file.
        let secret_json: serde_json::Value = serde_json::from_str(&x3.to_secret_json()).unwrap();
        let x = G::decode_scalar(&hex_bytes(secret_json["secret"].as_str().unwrap()), "x").unwrap();
        let e1 = r1[0].ephemeral;
        let k1 = e1.mul_scalar(&x);
        let st1 = psephos_sigma::DleqStatement::new(G::generator(), e1, key3, k1);
        let proof1 = DleqProof::prove(labels::DKG_COMPLAINT, &st1, &x, &ctx(1), &mut rng(9)).unwrap();
        let wrong_k = r1[1].ephemeral.mul_scalar(&(x + G::scalar_one()));
        let st2 = psephos_sigma::DleqStatement::new(
            G::generator(),
            r1[1].ephemeral,
            key3,
            r1[1].ephemeral.mul_scalar(&x),
        );
        let proof2 = DleqProof::prove(labels::DKG_COMPLAINT, &st2, &x, &ctx(2), &mut rng(10)).unwrap();
        r2[2].complaints = vec![
            Complaint { dealer: 1, dh_key: k1, proof: proof1 },
            Complaint { dealer: 2, dh_key: wrong_k, proof: proof2 },
        ];
    });
    let outs: Vec<DkgOutput<G>> = outs.into_iter().map(Result::unwrap).collect();
    let public = &outs[0].public;
    assert_eq!(public.qualified, vec![1, 2, 3]);
    assert!(public.disqualified.is_empty());
    assert_eq!(public.false_accusers, vec![3]);
    check_consistent(&outs, t, 1);
    // A complaint copied to another accuser does not verify either (the proof is bound to X_3).
    let mut stolen = r2.clone();
    stolen[1].complaints = stolen[2].complaints.clone();
    let transcript = DkgTranscript { session: s.session.clone(), round1: r1, round2: stolen };
    let p = transcript.verify(&mut r).unwrap();
    assert_eq!(p.false_accusers, vec![2, 3]);
    assert_eq!(p.qualified, vec![1, 2, 3]);
}

fn hex_bytes(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

fn wrong_context<G: PrimeGroup>() {
    let (t, n) = (2, 4);
    let s = setup::<G>(t, n, 1, 7);
    let mut r = rng(8);
    let (states, mut r1) = round1(&s, &mut r);
    // Dealer 3 dealt under another context (same keys): its PoK does not verify here.
    let other = Session::new(t, 1, b"election 43", s.session.keys().to_vec()).unwrap();
    assert_ne!(other.digest(), s.session.digest());
    let (_, m3) = Round1::start(other, 3, s.keys[2].clone(), &mut r).unwrap();
    r1[2] = m3;
    let (outs, _) = finish(states, &r1, &mut r, |_| {});
    let outs: Vec<DkgOutput<G>> = outs.into_iter().map(Result::unwrap).collect();
    assert_eq!(outs[0].public.qualified, vec![1, 2, 4]);
    assert!(outs[0].public.disqualified[0].reason.contains("proof of knowledge"));
    check_consistent(&outs, t, 1);
}

fn too_few<G: PrimeGroup>() {
    let (t, n) = (3, 4);
    let s = setup::<G>(t, n, 1, 11);
    let mut r = rng(12);
    let (states, r1) = round1(&s, &mut r);
    // Only t − 1 dealers published.
    let (outs, _) = finish(states, &r1[..2], &mut r, |_| {});
    for o in outs {
        assert!(matches!(o, Err(ThresholdError::TooFewQualified { needed: 3, got: 2 })));
    }
    // Parameters.
    let keys: Vec<G> = s.keys.iter().map(|k| k.public()).collect();
    assert!(matches!(Session::new(0, 1, b"", keys.clone()), Err(ThresholdError::InvalidParameters { .. })));
    assert!(matches!(Session::new(5, 1, b"", keys.clone()), Err(ThresholdError::InvalidParameters { .. })));
    assert!(matches!(Session::new(2, 0, b"", keys.clone()), Err(ThresholdError::InvalidParameters { .. })));
    let mut dup = keys.clone();
    dup[3] = dup[0];
    assert!(matches!(Session::new(2, 1, b"", dup), Err(ThresholdError::DuplicateIndex { index: 4 })));
    // Index and key checks.
    assert!(matches!(
        Round1::resume(s.session.clone(), 0, s.keys[0].clone()),
        Err(ThresholdError::InvalidIndex { index: 0 })
    ));
    assert!(matches!(
        Round1::resume(s.session.clone(), 5, s.keys[0].clone()),
        Err(ThresholdError::InvalidIndex { index: 5 })
    ));
    assert!(matches!(
        Round1::resume(s.session.clone(), 2, s.keys[0].clone()),
        Err(ThresholdError::KeyMismatch { index: 2 })
    ));
    // Duplicate dealer messages are caller misuse.
    let st = Round1::resume(s.session.clone(), 1, s.keys[0].clone()).unwrap();
    let dup_msgs = vec![r1[0].clone(), r1[0].clone()];
    assert!(matches!(st.receive(&dup_msgs, &mut r), Err(ThresholdError::DuplicateIndex { index: 1 })));
}

fn strict_files<G: PrimeGroup, H: PrimeGroup>() {
    let s = setup::<G>(2, 3, 1, 13);
    let mut r = rng(14);
    let (_, r1) = round1(&s, &mut r);
    let json = r1[0].to_json();
    assert_eq!(Round1Message::<G>::from_json(&json).unwrap(), r1[0]);
    // Another group, another version, unknown fields, upper-case hex, trailing data.
    assert!(matches!(Round1Message::<H>::from_json(&json), Err(ThresholdError::GroupMismatch { .. })));
    let v2 = json.replacen("\"version\": 1", "\"version\": 2", 1);
    assert!(matches!(
        Round1Message::<G>::from_json(&v2),
        Err(ThresholdError::UnsupportedVersion { got: 2, .. })
    ));
    let extra = json.replacen('{', "{\"extra\": 0,", 1);
    assert!(Round1Message::<G>::from_json(&extra).is_err());
    assert!(Round1Message::<G>::from_json(&json.to_uppercase()).is_err());
    assert!(Round1Message::<G>::from_json(&format!("{json} {{}}")).is_err());
    // A non-canonical encrypted share (all ones) is refused.
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    v["encrypted_shares"][0][0] = serde_json::Value::String("ff".repeat(32));
    assert!(Round1Message::<G>::from_json(&v.to_string()).is_err());
    // Sessions round-trip and are group-checked.
    let sj = s.session.to_json();
    assert_eq!(Session::<G>::from_json(&sj).unwrap(), s.session);
    assert!(Session::<H>::from_json(&sj).is_err());
}

fn malformed_dealings<G: PrimeGroup>() {
    let (t, n) = (2, 4);
    let s = setup::<G>(t, n, 2, 15);
    let mut r = rng(16);
    let (states, mut r1) = round1(&s, &mut r);
    // Dealer 1 drops a dealing, dealer 2 a commitment, dealer 3 a recipient row.
    r1[0].dealings.pop();
    let mut cs = r1[1].dealings[0].commitment.coefficients().to_vec();
    cs.pop();
    r1[1].dealings[0].commitment = psephos_threshold::FeldmanCommitment::new(cs).unwrap();
    r1[2].encrypted_shares.pop();
    let (outs, r2) = finish(states, &r1, &mut r, |_| {});
    assert!(r2.iter().all(|m| m.complaints.is_empty()), "public failures need no complaint");
    // Only dealer 4 is left: fewer than t = 2.
    for o in outs {
        assert!(matches!(o, Err(ThresholdError::TooFewQualified { needed: 2, got: 1 })));
    }
}

fn silent_victim_detects_its_bad_share<G: PrimeGroup>() {
    let (t, n) = (2, 3);
    let s = setup::<G>(t, n, 1, 17);
    let mut r = rng(18);
    let (states, mut r1) = round1(&s, &mut r);
    r1[0].encrypted_shares[1][0] = r1[0].encrypted_shares[1][0] + G::scalar_one();
    let (outs, _) = finish(states, &r1, &mut r, |r2| {
        // Participant 2's complaint never reaches the others.
        r2[1].complaints.clear();
    });
    assert!(outs[0].is_ok() && outs[2].is_ok());
    assert_eq!(outs[0].as_ref().unwrap().public.qualified, vec![1, 2, 3]);
    assert!(matches!(outs[1], Err(ThresholdError::ShareMismatch { index: 2 })));
}

macro_rules! dkg_suite {
    ($name:ident, $g:ty, $h:ty) => {
        mod $name {
            use super::*;

            #[test]
            fn honest_2_of_3_and_3_of_5_two_secrets() {
                honest::<$g>(2, 3, 1);
                honest::<$g>(3, 5, 2);
            }
            #[test]
            fn bad_dealer_is_accused_and_disqualified() {
                bad_dealer::<$g>();
            }
            #[test]
            fn false_accusations_are_detected() {
                false_accusation::<$g>();
            }
            #[test]
            fn wrong_session_context_is_disqualified() {
                wrong_context::<$g>();
            }
            #[test]
            fn fewer_than_t_is_refused() {
                too_few::<$g>();
            }
            #[test]
            fn malformed_dealings_are_disqualified_publicly() {
                malformed_dealings::<$g>();
            }
            #[test]
            fn a_victim_whose_complaint_is_lost_refuses_its_share() {
                silent_victim_detects_its_bad_share::<$g>();
            }
            #[test]
            fn message_files_are_strict() {
                strict_files::<$g, $h>();
            }
        }
    };
}

dkg_suite!(babyjubjub, Point, RistrettoPoint);
dkg_suite!(ristretto255, RistrettoPoint, Point);
