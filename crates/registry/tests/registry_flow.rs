//! The registry flow: three registrars with k = 2 build a roll; every rejection
//! case of issue 8 (forged, duplicated-signer, too-few and wrong-group
//! attestations; duplicate enrollment through another registrar; bad partial
//! evaluations; any single corruption of the log) is refused.
#![allow(clippy::unwrap_used)]

use psephos_identity::{Group, Identity};
use psephos_primitives::Fr;
use psephos_registry::setup::simulate_setup;
use psephos_registry::{
    dedup_tag, Attestation, DedupBlinding, Entry, EntryKind, GroupId, Registrar, RegistrarSecretKey,
    RegistryError, Roll, SignedPolicy, Statement,
};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

fn rng(seed: u64) -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(seed)
}

fn commitment(name: &str) -> Fr {
    Identity::from_text(name).commitment()
}

fn setup() -> (SignedPolicy, Vec<Registrar>) {
    simulate_setup("town-hall", 3, 2, &mut rng(1)).unwrap()
}

/// Builds a roll: five people through different registrar pairs, one removal.
fn build(policy: &SignedPolicy, regs: &[Registrar]) -> Roll {
    let mut r = rng(2);
    let mut roll = Roll::new(policy.clone());
    let pairs: [[usize; 2]; 5] = [[0, 1], [1, 2], [2, 0], [0, 2], [1, 0]];
    for (i, p) in pairs.iter().enumerate() {
        let evidence = format!("passport:{i:04}");
        roll.enroll(
            &[&regs[p[0]], &regs[p[1]]],
            commitment(&format!("person {i}")),
            evidence.as_bytes(),
            &mut r,
        )
        .unwrap();
    }
    roll.remove(&[&regs[2], &regs[1]], commitment("person 1"), &mut r).unwrap();
    roll.enroll(&[&regs[0], &regs[1], &regs[2]], commitment("person 9"), b"passport:0009", &mut r).unwrap();
    roll
}

#[test]
fn roll_by_three_registrars_replays_to_identity_group_root() {
    let (policy, regs) = setup();
    let roll = build(&policy, &regs);
    // The identity crate's group with the same operations.
    let mut group = Group::new();
    for i in 0..5 {
        group.add_member(commitment(&format!("person {i}"))).unwrap();
    }
    group.remove_member(1).unwrap();
    group.add_member(commitment("person 9")).unwrap();
    assert_eq!(roll.root(), group.root());
    assert_eq!(roll.group().members(), group.members());
    let replayed = Roll::replay(policy.clone(), &roll.to_jsonl(), &mut rng(3)).unwrap();
    assert_eq!(replayed.root(), group.root());
    assert_eq!(replayed.entries(), roll.entries());
    // The policy survives its own JSON round trip.
    let back = SignedPolicy::from_json(&policy.to_json(), &mut rng(4)).unwrap();
    assert_eq!(back, policy);
    // An empty log replays to the empty root.
    assert_eq!(Roll::replay(policy, "", &mut rng(5)).unwrap().root(), Fr::from(0u64));
}

#[test]
fn same_evidence_same_tag_and_second_enrollment_refused() {
    let (policy, regs) = setup();
    let mut r = rng(6);
    let p = policy.policy();
    let via_a = dedup_tag(p, &[&regs[0], &regs[1]], b"passport:X1", &mut r).unwrap();
    let via_b = dedup_tag(p, &[&regs[2], &regs[1]], b"passport:X1", &mut r).unwrap();
    let via_c = dedup_tag(p, &[&regs[1], &regs[2]], b"passport:X1", &mut r).unwrap();
    assert_eq!(via_a, via_b);
    assert_eq!(via_a, via_c);
    let other = dedup_tag(p, &[&regs[0], &regs[1]], b"passport:X2", &mut r).unwrap();
    assert_ne!(via_a, other);
    // The tag is the single-key RFC 9497 evaluation under the (never assembled)
    // key k = 2·k₁ − k₂ (Lagrange at 0 for indices 1, 2).
    let share = |i: usize| {
        curve25519_dalek::scalar::Scalar::from_canonical_bytes(*regs[i].dedup_share().to_bytes()).unwrap()
    };
    let k = share(0) + share(0) - share(1);
    assert_eq!(psephos_registry::oprf::evaluate_with_key(&k, b"passport:X1").unwrap(), via_a);
    assert_eq!(psephos_registry::oprf::evaluate_with_key(&k, b"passport:X2").unwrap(), other);

    let mut roll = Roll::new(policy.clone());
    roll.enroll(&[&regs[0], &regs[1]], commitment("alice"), b"passport:X1", &mut r).unwrap();
    let err =
        roll.enroll(&[&regs[2], &regs[1]], commitment("alice again"), b"passport:X1", &mut r).unwrap_err();
    assert_eq!(err, RegistryError::DuplicateEnrollment { position: 0 });
    // The same commitment with other evidence is refused too.
    let err = roll.enroll(&[&regs[2], &regs[1]], commitment("alice"), b"passport:X2", &mut r).unwrap_err();
    assert_eq!(err, RegistryError::DuplicateCommitment { position: 0 });
    assert_eq!(roll.entries().len(), 1);
    // A removed person cannot come back with the same evidence.
    roll.remove(&[&regs[0], &regs[2]], commitment("alice"), &mut r).unwrap();
    let err = roll.enroll(&[&regs[1], &regs[2]], commitment("alice 2"), b"passport:X1", &mut r).unwrap_err();
    assert_eq!(err, RegistryError::DuplicateEnrollment { position: 0 });
    assert_eq!(
        roll.remove(&[&regs[0], &regs[2]], commitment("alice"), &mut r).unwrap_err(),
        RegistryError::NotAMember
    );
}

/// Builds the next add entry by hand, with chosen attestations.
fn entry_with(roll: &Roll, atts: Vec<Attestation>, tag_seed: u8) -> Entry {
    Entry {
        position: roll.next_position(),
        kind: EntryKind::Add,
        commitment: commitment("mallory"),
        dedup_tag: psephos_registry::DedupTag([tag_seed; 64]),
        attestations: atts,
    }
}

#[test]
fn attestation_rejections() {
    let (policy, regs) = setup();
    let mut r = rng(7);
    let roll = build(&policy, &regs);
    let tag = psephos_registry::DedupTag([7; 64]);
    let st = roll.next_statement(EntryKind::Add, commitment("mallory"), tag);
    let good = |i: usize, r: &mut ChaCha20Rng| regs[i].attest(&st, r);

    // Valid: two distinct registrars.
    let mut ok_roll = roll.clone();
    ok_roll.append(entry_with(&roll, vec![good(0, &mut r), good(2, &mut r)], 7), &mut r).unwrap();

    // Forged: signed by a key that is not registrar 2's.
    let outsider = RegistrarSecretKey::generate(&mut r);
    let forged = Attestation::sign(2, &outsider, &st, &mut r);
    let e = entry_with(&roll, vec![good(0, &mut r), forged], 7);
    assert_eq!(roll.clone().append(e, &mut r).unwrap_err(), RegistryError::InvalidSignature { registrar: 2 });

    // Duplicated signer: registrar 1 twice.
    let e = entry_with(&roll, vec![good(0, &mut r), good(0, &mut r)], 7);
    assert_eq!(roll.clone().append(e, &mut r).unwrap_err(), RegistryError::DuplicateSigner(1));

    // Too few: one attestation with k = 2.
    let e = entry_with(&roll, vec![good(1, &mut r)], 7);
    assert_eq!(
        roll.clone().append(e, &mut r).unwrap_err(),
        RegistryError::TooFewAttestations { got: 1, need: 2 }
    );

    // Wrong group: attested for another group id.
    let other = Statement { group_id: GroupId::new("other-town").unwrap(), ..st.clone() };
    let e = entry_with(&roll, vec![regs[0].attest(&other, &mut r), good(1, &mut r)], 7);
    assert_eq!(roll.clone().append(e, &mut r).unwrap_err(), RegistryError::InvalidSignature { registrar: 1 });

    // Wrong commitment, tag, position or kind: each is bound.
    let variants = [
        Statement { commitment: commitment("someone else"), ..st.clone() },
        Statement { dedup_tag: psephos_registry::DedupTag([8; 64]), ..st.clone() },
        Statement { position: st.position + 1, ..st.clone() },
        Statement { kind: EntryKind::Remove, ..st.clone() },
    ];
    for v in variants {
        let e = entry_with(&roll, vec![good(0, &mut r), regs[1].attest(&v, &mut r)], 7);
        assert_eq!(
            roll.clone().append(e, &mut r).unwrap_err(),
            RegistryError::InvalidSignature { registrar: 2 }
        );
    }

    // Unknown registrar index, unsorted attestations, wrong position.
    let e = entry_with(&roll, vec![good(0, &mut r), Attestation { registrar: 4, ..good(1, &mut r) }], 7);
    assert_eq!(roll.clone().append(e, &mut r).unwrap_err(), RegistryError::UnknownRegistrar(4));
    let e = entry_with(&roll, vec![good(2, &mut r), good(0, &mut r)], 7);
    assert_eq!(roll.clone().append(e, &mut r).unwrap_err(), RegistryError::UnsortedAttestations);
    let mut e = entry_with(&roll, vec![good(0, &mut r), good(1, &mut r)], 7);
    e.position += 1;
    assert!(matches!(roll.clone().append(e, &mut r).unwrap_err(), RegistryError::WrongPosition { .. }));

    // A removal also needs k valid attestations.
    let victim = commitment("person 0");
    let tag0 = roll.entries()[0].dedup_tag;
    let rst = roll.next_statement(EntryKind::Remove, victim, tag0);
    let e = Entry {
        position: roll.next_position(),
        kind: EntryKind::Remove,
        commitment: victim,
        dedup_tag: tag0,
        attestations: vec![regs[0].attest(&rst, &mut r)],
    };
    assert_eq!(
        roll.clone().append(e, &mut r).unwrap_err(),
        RegistryError::TooFewAttestations { got: 1, need: 2 }
    );
    let e = Entry {
        position: roll.next_position(),
        kind: EntryKind::Remove,
        commitment: victim,
        dedup_tag: tag,
        attestations: vec![],
    };
    assert_eq!(roll.clone().append(e, &mut r).unwrap_err(), RegistryError::TagMismatch);
}

#[test]
fn bad_partial_evaluation_is_caught_and_attributed() {
    let (policy, regs) = setup();
    let mut r = rng(8);
    let public = &policy.policy().dedup;
    let (state, request) = DedupBlinding::blind(b"passport:Z", &mut r).unwrap();
    let good: Vec<_> = regs.iter().map(|g| g.evaluate(&request, &mut r)).collect();
    let tag = state.finalize(b"passport:Z", public, &good[..2]).unwrap();
    assert_eq!(tag, state.finalize(b"passport:Z", public, &[good[2], good[0]]).unwrap());

    // Registrar 2 returns a wrong element with its (now invalid) proof.
    let mut bad = good[1];
    bad.element += curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
    assert_eq!(
        state.finalize(b"passport:Z", public, &[good[0], bad]).unwrap_err(),
        RegistryError::InvalidPartialEvaluation { registrar: 2 }
    );
    // Registrar 3 replays registrar 1's answer under its own index.
    let stolen = psephos_registry::PartialEvaluation { registrar: 3, ..good[0] };
    assert_eq!(
        state.finalize(b"passport:Z", public, &[good[1], stolen]).unwrap_err(),
        RegistryError::InvalidPartialEvaluation { registrar: 3 }
    );
    // An answer to another request.
    let (_, other_request) = DedupBlinding::blind(b"passport:Y", &mut r).unwrap();
    let other = regs[0].evaluate(&other_request, &mut r);
    assert_eq!(
        state.finalize(b"passport:Z", public, &[other, good[1]]).unwrap_err(),
        RegistryError::InvalidPartialEvaluation { registrar: 1 }
    );
    // Duplicates, unknown registrars, too few.
    assert_eq!(
        state.finalize(b"passport:Z", public, &[good[0], good[0]]).unwrap_err(),
        RegistryError::DuplicateSigner(1)
    );
    let unknown = psephos_registry::PartialEvaluation { registrar: 9, ..good[0] };
    assert_eq!(
        state.finalize(b"passport:Z", public, &[unknown, good[1]]).unwrap_err(),
        RegistryError::UnknownRegistrar(9)
    );
    assert!(matches!(
        state.finalize(b"passport:Z", public, &good[..1]).unwrap_err(),
        RegistryError::TooFewPartials { got: 1, need: 2 }
    ));
    // Encodings round-trip; the blinding state never prints.
    let back = psephos_registry::PartialEvaluation::from_bytes(&good[2].to_bytes()).unwrap();
    assert_eq!(back, good[2]);
    assert!(format!("{state:?}").contains("redacted"));
    assert!(format!("{:?}", regs[0]).contains("redacted"));
    assert!(DedupBlinding::blind(b"", &mut r).is_err());
}

#[test]
fn any_single_corruption_fails_replay() {
    let (policy, regs) = setup();
    let roll = build(&policy, &regs);
    let log = roll.to_jsonl();
    let good_root = Roll::replay(policy.clone(), &log, &mut rng(10)).unwrap().root();
    let bytes = log.as_bytes();
    // Flip each byte (a stride keeps the test fast) to another printable byte.
    let mut checked = 0;
    for i in (0..bytes.len()).step_by(5) {
        for delta in [1u8, 7] {
            let mut b = bytes.to_vec();
            b[i] = if b[i] == b'\n' { b'x' } else { b[i] ^ delta };
            let Ok(text) = String::from_utf8(b) else { continue };
            let res = Roll::replay(policy.clone(), &text, &mut rng(11));
            assert!(res.is_err(), "byte {i} ^ {delta} was not detected");
            checked += 1;
        }
    }
    assert!(checked > 1000);
    // Structural corruptions: drop, duplicate or swap an entry; truncate mid-line.
    let lines: Vec<&str> = log.lines().collect();
    let join = |ls: Vec<&str>| ls.iter().map(|l| format!("{l}\n")).collect::<String>();
    let mut dropped = lines.clone();
    dropped.remove(2);
    assert_eq!(Roll::replay(policy.clone(), &join(dropped), &mut rng(12)).unwrap_err().position, 2);
    let mut dup = lines.clone();
    dup.insert(3, lines[2]);
    assert_eq!(Roll::replay(policy.clone(), &join(dup), &mut rng(12)).unwrap_err().position, 3);
    let mut swapped = lines.clone();
    swapped.swap(1, 3);
    assert_eq!(Roll::replay(policy.clone(), &join(swapped), &mut rng(12)).unwrap_err().position, 1);
    assert!(Roll::replay(policy.clone(), &log[..log.len() - 10], &mut rng(12)).is_err());
    assert!(Roll::replay(policy.clone(), &format!("{log}\n"), &mut rng(12)).is_err());
    // The log replayed under another group's policy fails at entry 0.
    let (other, _) = simulate_setup("town-hall", 3, 2, &mut rng(99)).unwrap();
    assert_eq!(Roll::replay(other, &log, &mut rng(12)).unwrap_err().position, 0);
    assert_eq!(Roll::replay(policy, &log, &mut rng(13)).unwrap().root(), good_root);
}

#[test]
fn policy_rejections() {
    let (policy, regs) = setup();
    let mut r = rng(14);
    let json = policy.to_json();
    // Tampering with any field breaks the signatures or the consistency checks.
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let mut t = v.clone();
    t["threshold"] = 1.into();
    assert!(SignedPolicy::from_json(&t.to_string(), &mut r).is_err());
    let mut t = v.clone();
    t["group_id"] = "elsewhere".into();
    assert!(matches!(
        SignedPolicy::from_json(&t.to_string(), &mut r),
        Err(RegistryError::InvalidSignature { .. })
    ));
    let mut t = v.clone();
    t["policy_version"] = 2.into();
    assert!(SignedPolicy::from_json(&t.to_string(), &mut r).is_err());
    let mut t = v.clone();
    t["oprf_public_shares"][2] = v["oprf_public_shares"][1].clone();
    assert_eq!(
        SignedPolicy::from_json(&t.to_string(), &mut r).unwrap_err(),
        RegistryError::InvalidPolicy("OPRF public shares are not on one polynomial of degree t-1")
    );
    let mut t = v.clone();
    t["signatures"].as_array_mut().unwrap().truncate(1);
    assert_eq!(
        SignedPolicy::from_json(&t.to_string(), &mut r).unwrap_err(),
        RegistryError::TooFewAttestations { got: 1, need: 2 }
    );
    let mut t = v.clone();
    t["version"] = 2.into();
    assert!(matches!(
        SignedPolicy::from_json(&t.to_string(), &mut r),
        Err(RegistryError::UnknownVersion { .. })
    ));
    let mut t = v.clone();
    t["extra"] = 1.into();
    assert!(SignedPolicy::from_json(&t.to_string(), &mut r).unwrap_err().is_malformed());
    assert!(SignedPolicy::from_json(&format!("{json} x"), &mut r).unwrap_err().is_malformed());
    assert!(SignedPolicy::from_json(&json[..json.len() - 1], &mut r).unwrap_err().is_malformed());
    // Signing with a key that is not the policy's is misuse.
    let outsider = RegistrarSecretKey::generate(&mut r);
    assert!(SignedPolicy::sign(
        policy.policy().clone(),
        &[(1, &outsider), (2, regs[1].signing_key())],
        &mut r
    )
    .is_err());
}

/// n = 5, t = 3: every 3-subset of registrars (in any order) gives the same tag.
#[test]
fn every_threshold_subset_gives_the_same_tag() {
    let (policy, regs) = simulate_setup("five", 5, 3, &mut rng(20)).unwrap();
    let mut r = rng(21);
    let mut tags = Vec::new();
    for a in 0..5 {
        for b in 0..5 {
            for c in 0..5 {
                if a < b && b < c {
                    let order = [&regs[c], &regs[a], &regs[b]];
                    tags.push(dedup_tag(policy.policy(), &order, b"evidence", &mut r).unwrap());
                }
            }
        }
    }
    assert_eq!(tags.len(), 10);
    assert!(tags.iter().all(|t| *t == tags[0]));
    let err = dedup_tag(policy.policy(), &[&regs[0], &regs[1]], b"evidence", &mut r).unwrap_err();
    assert_eq!(err, RegistryError::TooFewPartials { got: 2, need: 3 });
}

/// Crafted entries with valid attestations that break the add/remove rules are
/// refused on append and on replay, at their position.
#[test]
fn removal_rules_hold_on_replay() {
    let (policy, regs) = setup();
    let mut r = rng(30);
    let mut roll = Roll::new(policy.clone());
    let alice = commitment("alice");
    roll.enroll(&[&regs[0], &regs[1]], alice, b"passport:A", &mut r).unwrap();
    let tag_a = roll.entries()[0].dedup_tag;
    roll.remove(&[&regs[1], &regs[2]], alice, &mut r).unwrap();
    let signed =
        |roll: &Roll, kind: EntryKind, c: Fr, tag: psephos_registry::DedupTag, r: &mut ChaCha20Rng| {
            let st = roll.next_statement(kind, c, tag);
            Entry {
                position: st.position,
                kind,
                commitment: c,
                dedup_tag: tag,
                attestations: vec![regs[0].attest(&st, r), regs[2].attest(&st, r)],
            }
        };
    let cases = [
        // removing a removed member
        (signed(&roll, EntryKind::Remove, alice, tag_a, &mut r), RegistryError::NotAMember),
        // re-adding a removed commitment with fresh evidence
        (
            signed(&roll, EntryKind::Add, alice, psephos_registry::DedupTag([5; 64]), &mut r),
            RegistryError::DuplicateCommitment { position: 0 },
        ),
        // a new commitment with the removed member's tag
        (
            signed(&roll, EntryKind::Add, commitment("alice-2"), tag_a, &mut r),
            RegistryError::DuplicateEnrollment { position: 0 },
        ),
        // removing someone never enrolled
        (signed(&roll, EntryKind::Remove, commitment("bob"), tag_a, &mut r), RegistryError::NotAMember),
        // the zero commitment
        (
            signed(&roll, EntryKind::Add, Fr::from(0u64), psephos_registry::DedupTag([6; 64]), &mut r),
            RegistryError::Group(psephos_identity::IdentityError::ZeroMember),
        ),
    ];
    for (entry, want) in cases {
        assert_eq!(roll.clone().append(entry.clone(), &mut r).unwrap_err(), want);
        let log = format!("{}{}\n", roll.to_jsonl(), entry.to_json_line());
        let err = Roll::replay(policy.clone(), &log, &mut r).unwrap_err();
        assert_eq!((err.position, err.error), (2, want));
    }
}

/// Registrars sign the policy separately; any k signatures assemble into a valid policy.
#[test]
fn policy_signed_separately() {
    let (policy, regs) = setup();
    let mut r = rng(40);
    let content = policy.policy().clone();
    let s3 = content.sign_as(3, regs[2].signing_key(), &mut r).unwrap();
    let s1 = content.sign_as(1, regs[0].signing_key(), &mut r).unwrap();
    let assembled = SignedPolicy::from_parts(content.clone(), vec![s3, s1], &mut r).unwrap();
    assert_eq!(assembled.signatures().iter().map(|a| a.registrar).collect::<Vec<_>>(), vec![1, 3]);
    assert_eq!(
        SignedPolicy::from_parts(content.clone(), vec![s3], &mut r).unwrap_err(),
        RegistryError::TooFewAttestations { got: 1, need: 2 }
    );
    assert_eq!(
        SignedPolicy::from_parts(content.clone(), vec![s3, s3], &mut r).unwrap_err(),
        RegistryError::DuplicateSigner(3)
    );
    assert!(content.sign_as(2, regs[0].signing_key(), &mut r).is_err());
}
