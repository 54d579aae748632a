//! `registry-attestation.json`: registrar attestations, signed policies and
//! enrollment-log replay.

use std::path::Path;

use num_bigint::BigUint;
use psephos_identity::Identity;
use psephos_primitives::{field, Fr};
use psephos_registry::{
    setup::simulate_setup, Attestation, Entry, EntryKind, GroupId, RegistrarPublicKey, Roll, Signature,
    Statement,
};
use serde_json::{json, Value};

use crate::{case, group, rng, write};

const GROUP_ID: &str = "test-vectors-town-hall";

fn kind_text(k: EntryKind) -> &'static str {
    match k {
        EntryKind::Add => "add",
        EntryKind::Remove => "remove",
    }
}

fn attestation_json(pk: &RegistrarPublicKey, st: &Statement, sig: &str) -> Value {
    json!({
        "registrarPublicKey": pk.to_hex(),
        "groupId": st.group_id.as_str(),
        "position": st.position,
        "kind": kind_text(st.kind),
        "commitment": field::to_decimal(&st.commitment),
        "dedupTag": st.dedup_tag.to_hex(),
        "signature": sig,
    })
}

/// `s + ℓ` in the signature's scalar half: same residue, non-canonical.
fn s_plus_order(sig: &Signature) -> String {
    let b = sig.to_bytes();
    let l: BigUint = (BigUint::from(1u8) << 252u32)
        + "27742317777372353535851937790883648493".parse::<BigUint>().expect("l");
    let mut s = (BigUint::from_bytes_le(&b[32..]) + l).to_bytes_le();
    s.resize(32, 0);
    hex::encode([&b[..32], s.as_slice()].concat())
}

pub fn generate(dir: &Path) {
    let mut r = rng("registry");
    let (signed, regs) = simulate_setup(GROUP_ID, 3, 2, &mut r).expect("setup");
    let policy_json: Value = serde_json::from_str(&signed.to_json()).expect("policy JSON");
    let mut roll = Roll::new(signed.clone());
    let people: Vec<Fr> =
        (0..3).map(|i| Identity::from_text(&format!("registry vector person {i}")).commitment()).collect();
    roll.enroll(&[&regs[0], &regs[1]], people[0], b"passport:A0001", &mut r).expect("enroll 0");
    roll.enroll(&[&regs[1], &regs[2]], people[1], b"passport:B0002", &mut r).expect("enroll 1");
    roll.enroll(&[&regs[2], &regs[0], &regs[1]], people[2], b"passport:C0003", &mut r).expect("enroll 2");
    roll.remove(&[&regs[0], &regs[2]], people[1], &mut r).expect("remove 1");
    let gid = GroupId::new(GROUP_ID).expect("group id");
    let entries = roll.entries().to_vec();

    // --- single attestations ---
    let mut valid = Vec::new();
    for (e, a) in [(&entries[0], 0usize), (&entries[2], 2), (&entries[3], 1)] {
        let att = e.attestations[a];
        let reg = &regs[att.registrar as usize - 1];
        let st = e.statement(&gid);
        let mut v = attestation_json(&reg.public_key(), &st, &att.signature.to_hex());
        v["registrarSecretKey"] = hex::encode(*reg.signing_key().to_bytes()).into();
        valid.push(case(
            &format!("registrar {} attests entry {} ({})", att.registrar, e.position, kind_text(e.kind)),
            v,
            "valid",
            &[],
        ));
    }
    let e = &entries[0];
    let att = e.attestations[0];
    let pk = regs[att.registrar as usize - 1].public_key();
    let st = e.statement(&gid);
    let sig = att.signature.to_hex();
    let base = attestation_json(&pk, &st, &sig);
    let with = |key: &str, value: Value| {
        let mut v = base.clone();
        v[key] = value;
        v
    };
    let sig_bytes = att.signature.to_bytes();
    let mut forged = sig_bytes;
    forged[40] ^= 1;
    let mut zero_r = sig_bytes;
    zero_r[..32].fill(0);
    let mut noncanon_r = sig_bytes;
    noncanon_r[..32].copy_from_slice(
        &hex::decode("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f").expect("hex"),
    );
    let other_tag = entries[1].dedup_tag.to_hex();
    let r_dec = field::FR_MODULUS_DECIMAL;
    let commitment_plus_r = (BigUint::from_bytes_le(&field::to_le_bytes(&st.commitment))
        + r_dec.parse::<BigUint>().expect("r"))
    .to_string();
    let mut inv = Vec::new();
    let mut push = |comment: &str, v: Value, flag: &str| inv.push(case(comment, v, "invalid", &[flag]));
    push(
        "signature scalar s changed (forged)",
        with("signature", hex::encode(forged).into()),
        "ForgedSignature",
    );
    push(
        "the same signature for another group id",
        with("groupId", "test-vectors-other-hall".into()),
        "WrongGroupId",
    );
    push("the same signature at position 1", with("position", 1.into()), "WrongPosition");
    push("the same signature as a removal", with("kind", "remove".into()), "WrongKind");
    push(
        "the same signature for another commitment",
        with("commitment", field::to_decimal(&people[1]).into()),
        "WrongCommitment",
    );
    push("the same signature with another dedup tag", with("dedupTag", other_tag.into()), "WrongDedupTag");
    push(
        "the same signature under another registrar's key",
        with("registrarPublicKey", regs[2].public_key().to_hex().into()),
        "WrongRegistrar",
    );
    push(
        "nonce R = identity (all zeros)",
        with("signature", hex::encode(zero_r).into()),
        "NonCanonicalNonce",
    );
    push(
        "nonce R non-canonical (RFC 9496 A.2: s = p)",
        with("signature", hex::encode(noncanon_r).into()),
        "NonCanonicalNonce",
    );
    push(
        "signature scalar s + ℓ (same residue, non-canonical)",
        with("signature", s_plus_order(&att.signature).into()),
        "NonCanonicalScalar",
    );
    push("signature one byte short", with("signature", sig[..126].into()), "WrongLength");
    push(
        "public key = identity (all zeros): anyone could sign",
        with("registrarPublicKey", "00".repeat(32).into()),
        "IdentityKey",
    );
    for bad in [
        "0100000000000000000000000000000000000000000000000000000000000000",
        "26948d35ca62e643e26a83177332e6b6afeb9d08e4268b650f1f5bbd8d81d371",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    ] {
        push(
            &format!("public key {bad}: an RFC 9496 A.2 bad encoding"),
            with("registrarPublicKey", bad.into()),
            "NonCanonicalKey",
        );
    }
    push(
        "commitment + r: the same residue, not a canonical field element",
        with("commitment", commitment_plus_r.into()),
        "NonCanonicalCommitment",
    );

    // --- policies ---
    let policy_valid = vec![case(
        "a 2-of-3 registrar group policy signed by all three registrars",
        json!({ "policy": policy_json, "groupId": GROUP_ID, "threshold": 2 }),
        "valid",
        &[],
    )];
    let mut pinv = Vec::new();
    let mut ppush = |comment: &str, f: &dyn Fn(&mut Value), flag: &str| {
        let mut p = policy_json.clone();
        f(&mut p);
        pinv.push(case(comment, json!({ "policy": p }), "invalid", &[flag]));
    };
    ppush("threshold changed to 1 after signing", &|p| p["threshold"] = 1.into(), "TamperedPolicy");
    ppush("group id changed after signing", &|p| p["group_id"] = "another-group".into(), "TamperedPolicy");
    ppush(
        "a signature changed",
        &|p| {
            let s = p["signatures"][0]["signature"].as_str().unwrap_or_default().to_string();
            let flipped = if s.ends_with('0') { "1" } else { "0" };
            p["signatures"][0]["signature"] = format!("{}{flipped}", &s[..s.len() - 1]).into();
        },
        "ForgedSignature",
    );
    ppush(
        "only one signature: fewer than the threshold",
        &|p| {
            if let Some(a) = p["signatures"].as_array_mut() {
                a.truncate(1);
            }
        },
        "TooFewSignatures",
    );
    ppush(
        "a registrar key replaced by an RFC 9496 A.2 bad encoding",
        &|p| p["registrars"][1] = "0100000000000000000000000000000000000000000000000000000000000000".into(),
        "NonCanonicalKey",
    );
    ppush("unknown format version 2", &|p| p["version"] = 2.into(), "UnknownVersion");
    ppush("threshold 4 of 3 registrars", &|p| p["threshold"] = 4.into(), "BadThreshold");

    // --- replay ---
    let lines: Vec<String> = entries.iter().map(Entry::to_json_line).collect();
    let replay_valid = vec![case(
        "three enrollments (2-of-3 attestations) and one removal; replays to the root",
        json!({ "policy": policy_json, "log": lines, "root": field::to_decimal(&roll.root()), "groupSize": roll.group().size() }),
        "valid",
        &[],
    )];
    let mut rinv = Vec::new();
    let mut rpush = |comment: &str, log: Vec<String>, bad: u64, flag: &str| {
        rinv.push(case(
            comment,
            json!({ "policy": policy_json, "log": log, "badPosition": bad }),
            "invalid",
            &[flag],
        ));
    };
    let edit = |i: usize, f: &dyn Fn(&mut Entry)| {
        let mut l = lines.clone();
        let mut e = entries[i].clone();
        f(&mut e);
        l[i] = e.to_json_line();
        l
    };
    rpush(
        "entry 1: a signature changed",
        edit(1, &|e| {
            let mut b = e.attestations[0].signature.to_bytes();
            b[33] ^= 1;
            e.attestations[0].signature = Signature::from_bytes(&b).expect("canonical");
        }),
        1,
        "ForgedSignature",
    );
    rpush(
        "entry 2: the commitment changed",
        edit(2, &|e| e.commitment += Fr::from(1u64)),
        2,
        "WrongCommitment",
    );
    rpush(
        "entry 1: only one attestation (threshold 2)",
        edit(1, &|e| e.attestations.truncate(1)),
        1,
        "TooFewAttestations",
    );
    rpush("entry 3: the removal turned into an addition (its dedup tag is already enrolled: refused before any signature check)", edit(3, &|e| e.kind = EntryKind::Add), 3, "WrongKind");
    let mut swapped = lines.clone();
    swapped.swap(1, 2);
    rpush("entries 1 and 2 swapped", swapped, 1, "WrongPosition");
    let mut dup = lines.clone();
    dup.push(lines[0].clone());
    rpush("entry 0 replayed at the end", dup, 4, "WrongPosition");
    let mut spaced = lines.clone();
    spaced[2] = spaced[2].replacen(",", ", ", 1);
    rpush("entry 2 not in canonical form (a space)", spaced, 2, "NonCanonicalLine");
    // A duplicate enrollment, validly attested: the rules must refuse it on replay.
    let dup_st = Statement {
        group_id: gid.clone(),
        position: 4,
        kind: EntryKind::Add,
        commitment: Identity::from_text("registry vector person 0, second identity").commitment(),
        dedup_tag: entries[0].dedup_tag,
    };
    let atts: Vec<Attestation> = [&regs[0], &regs[1]].iter().map(|g| g.attest(&dup_st, &mut r)).collect();
    let mut duplicate = lines.clone();
    duplicate.push(
        Entry {
            position: 4,
            kind: EntryKind::Add,
            commitment: dup_st.commitment,
            dedup_tag: dup_st.dedup_tag,
            attestations: atts,
        }
        .to_json_line(),
    );
    rpush(
        "entry 4: a second enrollment of person 0 (same dedup tag), validly attested",
        duplicate,
        4,
        "DuplicateEnrollment",
    );
    let other_gid = GroupId::new("test-vectors-other-hall").expect("id");
    let e0 = &entries[0];
    let st0 = e0.statement(&other_gid);
    let atts: Vec<Attestation> = [&regs[0], &regs[1]].iter().map(|g| g.attest(&st0, &mut r)).collect();
    let mut other = lines.clone();
    other[0] = Entry { attestations: atts, ..e0.clone() }.to_json_line();
    rpush("entry 0 attested for another group id", other, 0, "WrongGroupId");

    let groups = vec![
        group("Attestation", json!({}), valid),
        group("AttestationInvalid", json!({}), inv),
        group("Policy", json!({}), policy_valid),
        group("PolicyInvalid", json!({}), pinv),
        group("Replay", json!({}), replay_valid),
        group("ReplayInvalid", json!({}), rinv),
    ];
    let notes = json!({
        "ForgedSignature": "A signature byte changed.",
        "WrongGroupId": "A valid signature checked for another group id.",
        "WrongPosition": "A valid signature checked at another log position (or an entry out of place in the log).",
        "WrongKind": "A valid signature checked with the other entry kind.",
        "WrongCommitment": "A valid signature checked for another identity commitment.",
        "WrongDedupTag": "A valid signature checked with another dedup tag.",
        "WrongRegistrar": "A valid signature checked under another registrar's key.",
        "NonCanonicalNonce": "The signature's nonce R is not a canonical non-identity Ristretto255 encoding; verification refuses it.",
        "NonCanonicalScalar": "The signature's scalar s is >= the group order (s + l). Must be refused, never reduced.",
        "NonCanonicalKey": "A registrar public key that is an RFC 9496 Appendix A.2 bad encoding.",
        "IdentityKey": "A registrar public key equal to the identity (anyone could sign for it).",
        "NonCanonicalCommitment": "A commitment that is not a canonical decimal field element (>= r).",
        "WrongLength": "A signature that is not 64 bytes.",
        "TamperedPolicy": "A policy field changed after the registrars signed it.",
        "TooFewSignatures": "Fewer valid policy signatures than the threshold.",
        "UnknownVersion": "An unknown format version.",
        "BadThreshold": "A threshold that no registrar set can meet (k > n).",
        "TooFewAttestations": "A log entry with fewer attestations than the threshold.",
        "NonCanonicalLine": "A log line that is not byte-for-byte the canonical JSON of its entry.",
        "DuplicateEnrollment": "A validly attested entry that enrolls a dedup tag already enrolled: a rule violation on replay.",
    });
    let extra = json!({
        "transcripts": "Attestation: merlin transcript 'psephos/registry/attestation/v1'; appends registrar (public key, 32 bytes), group-id, position (u64), kind (1 byte: add 0, remove 1), commitment (32 bytes little-endian), dedup-tag (64 bytes), R; c = 64 challenge bytes reduced mod l; valid iff s·G = R + c·X. Policy: transcript 'psephos/registry/policy/v1'. Specification: docs/spec/registry.md.",
        "encodings": "registrarPublicKey and registrarSecretKey: 32 bytes hex (Ristretto255, RFC 9496; scalar little-endian). signature: R || s, 64 bytes hex. dedupTag: 64 bytes hex. commitment: decimal BN254 field element. policy: the signed group policy JSON (policy.json); log: the lines of enrollment.jsonl, each followed by a newline when replayed. Replay: badPosition is the 0-based entry the replay error must name.",
    });
    write(dir, "registry-attestation.json", "psephos-registry-attestation", notes, extra, groups);
}
