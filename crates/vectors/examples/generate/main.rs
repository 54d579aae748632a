//! Writes the vector files of psephos' own protocols into `test-vectors/`:
//! `sigma.json`, `registry-attestation.json`, `ballot-proof.json` and
//! `decryption-share.json`.
//!
//! No independent implementation of these transcripts exists, so the files are
//! regression and format pins made by psephos itself: every value comes from
//! psephos' code run on fixed seeds (ChaCha20), the output is byte-identical on
//! every run, and CI regenerates the files and fails on any difference. Before
//! writing, every generated file is checked with `psephos_vectors::check_document`.
//!
//! ```sh
//! cargo run --profile test -p psephos-vectors --example generate          # writes test-vectors/
//! cargo run --profile test -p psephos-vectors --example generate -- DIR   # writes DIR/
//! ```
//!
//! (`--profile test`: the Groth16 code is instantiated in psephos' own crates, which
//! the dev profile leaves unoptimized; there the ballot proofs take ~30 s instead of ~3 s.)

#![allow(missing_docs)]

use std::path::{Path, PathBuf};

use num_bigint::BigUint;
use psephos_primitives::{babyjubjub::SUBGROUP_ORDER_DECIMAL, field, Point, PrimeGroup, RistrettoPoint};
use psephos_sigma::{DleqProof, DleqStatement, SchnorrProof, SchnorrStatement};
use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};
use serde_json::{json, Map, Value};

mod ballot_proof;
mod registry;
mod tally;

/// The crate version recorded as the `reference`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The `generator` of every file written here.
pub const GENERATOR: &str =
    "crates/vectors/examples/generate (cargo run --profile test -p psephos-vectors --example generate)";
/// The note every file carries under `reference`.
pub const NO_REFERENCE: &str =
    "No independent implementation of this psephos-specific protocol exists: these \
     vectors are regression and format pins produced by psephos itself from fixed seeds, not known answers \
     from a second implementation.";

/// A seeded RNG for one purpose.
pub fn rng(label: &str) -> ChaCha20Rng {
    let mut seed = [0u8; 32];
    for (i, b) in label.bytes().enumerate() {
        seed[i % 32] = seed[i % 32].wrapping_mul(31).wrapping_add(b);
    }
    ChaCha20Rng::from_seed(seed)
}

/// One test case (its `tcId` is assigned when the file is assembled).
pub fn case(comment: &str, fields: Value, result: &str, flags: &[&str]) -> Value {
    let mut m = match fields {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    m.insert("comment".into(), comment.into());
    m.insert("result".into(), result.into());
    m.insert("flags".into(), flags.iter().map(|f| Value::from(*f)).collect());
    Value::Object(m)
}

/// A test group: `type`, extra parameters, tests.
pub fn group(ty: &str, params: Value, tests: Vec<Value>) -> Value {
    let mut m = match params {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    m.insert("type".into(), ty.into());
    m.insert("tests".into(), Value::Array(tests));
    Value::Object(m)
}

/// Numbers the tests, checks the file with psephos' own checker, and writes it.
pub fn write(dir: &Path, name: &str, algorithm: &str, notes: Value, extra: Value, mut groups: Vec<Value>) {
    let mut id = 0u64;
    for g in &mut groups {
        for t in g["tests"].as_array_mut().into_iter().flatten() {
            id += 1;
            t["tcId"] = id.into();
        }
    }
    let mut doc = json!({
        "algorithm": algorithm,
        "generator": GENERATOR,
        "reference": { "psephos": VERSION, "note": NO_REFERENCE },
        "notes": notes,
        "numberOfTests": id,
        "testGroups": groups,
    });
    if let (Value::Object(d), Value::Object(e)) = (&mut doc, extra) {
        d.extend(e);
    }
    let path = dir.join(name);
    let report = psephos_vectors::check_document(&path, &doc).expect("a well-formed vector file");
    assert!(report.passed(), "{name}: the generated file does not pass its own check: {:?}", report.failures);
    let text = serde_json::to_string_pretty(&doc).expect("JSON") + "\n";
    std::fs::write(&path, text).expect("write the vector file");
    println!("wrote {} ({id} cases)", path.display());
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test-vectors"), PathBuf::from);
    sigma(&dir);
    registry::generate(&dir);
    ballot_proof::generate(&dir);
    tally::generate(&dir);
}

// ---------------------------------------------------------------------------
// sigma.json
// ---------------------------------------------------------------------------

const SIGMA_DOMAIN: &str = "psephos/test-vectors/sigma/v1";
const OTHER_DOMAIN: &str = "psephos/test-vectors/sigma-other/v1";

/// The group-specific facts the sigma vectors need.
trait VectorGroup: PrimeGroup {
    const LABEL: &'static str;
    /// The group order `q`, decimal.
    fn order() -> BigUint;
    /// Encodings that strict decoding must refuse: (comment, bytes, flag).
    fn bad_encodings() -> Vec<(&'static str, Vec<u8>, &'static str)>;
}

fn le(n: &BigUint) -> Vec<u8> {
    let mut v = n.to_bytes_le();
    v.resize(32, 0);
    v
}

impl VectorGroup for Point {
    const LABEL: &'static str = "babyjubjub-eip2494-base8";
    fn order() -> BigUint {
        SUBGROUP_ORDER_DECIMAL.parse().expect("l")
    }
    fn bad_encodings() -> Vec<(&'static str, Vec<u8>, &'static str)> {
        let p: BigUint = field::FR_MODULUS_DECIMAL.parse().expect("p");
        let mut x0_sign = le(&BigUint::from(1u8));
        x0_sign[31] |= 0x80;
        // The smallest y ≥ 2 for which no curve point exists.
        let off_curve = (2u32..)
            .map(|y| le(&BigUint::from(y)))
            .find(|b| {
                matches!(Point::unpack(b, "probe"), Err(psephos_primitives::EncodingError::NotOnCurve { .. }))
            })
            .expect("an off-curve y");
        let out = vec![
            ("y = p (non-canonical: y must be < p)", le(&p), "NonCanonicalPoint"),
            ("x = 0 with the sign bit set (the identity's non-canonical twin)", x0_sign, "NonCanonicalPoint"),
            ("no curve point has this y", off_curve, "NotOnCurve"),
            ("(0, p - 1): the point of order 2", le(&(p.clone() - 1u8)), "SmallOrderPoint"),
            ("y = 0: a point of order 4", le(&BigUint::from(0u8)), "SmallOrderPoint"),
        ];
        for (what, bytes, flag) in &out {
            assert!(Point::unpack(bytes, "probe").is_err(), "{what} ({flag}) decodes");
        }
        out
    }
}

impl VectorGroup for RistrettoPoint {
    const LABEL: &'static str = "ristretto255";
    fn order() -> BigUint {
        (BigUint::from(1u8) << 252u32)
            + "27742317777372353535851937790883648493".parse::<BigUint>().expect("l")
    }
    fn bad_encodings() -> Vec<(&'static str, Vec<u8>, &'static str)> {
        // RFC 9496 Appendix A.2 (bad encodings), one or two of each class.
        let out: Vec<(&str, Vec<u8>, &str)> = [
            (
                "RFC 9496 A.2: non-canonical field encoding (s = p)",
                "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            ),
            (
                "RFC 9496 A.2: non-canonical field encoding (s ≥ 2^255)",
                "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
            ),
            (
                "RFC 9496 A.2: negative field element (s = 1)",
                "0100000000000000000000000000000000000000000000000000000000000000",
            ),
            (
                "RFC 9496 A.2: non-square x^2",
                "26948d35ca62e643e26a83177332e6b6afeb9d08e4268b650f1f5bbd8d81d371",
            ),
            (
                "RFC 9496 A.2: negative x·y",
                "3eb858e78f5a7254d8c9731174a94f76755fd3941c0ac93735c07ba14579630e",
            ),
            (
                "RFC 9496 A.2: s = -1 (y = 0)",
                "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            ),
        ]
        .into_iter()
        .map(|(c, h)| (c, hex::decode(h).expect("hex"), "NonCanonicalPoint"))
        .collect();
        for (what, bytes, _) in &out {
            assert!(RistrettoPoint::decode(bytes, "probe").is_err(), "{what} decodes");
        }
        out
    }
}

fn h<G: PrimeGroup>(p: &G) -> String {
    hex::encode(p.encode())
}

fn hs<G: PrimeGroup>(k: &G::Scalar) -> String {
    hex::encode(G::encode_scalar(k))
}

/// `s + q` as 32 little-endian bytes: the same residue, non-canonically encoded.
fn plus_order<G: VectorGroup>(k: &G::Scalar) -> Vec<u8> {
    le(&(BigUint::from_bytes_le(&G::encode_scalar(k)) + G::order()))
}

fn schnorr_json<G: PrimeGroup>(domain: &str, g: &G, x: &G, context: &[u8], proof: &[u8]) -> Value {
    json!({
        "domain": domain,
        "generator": h(g),
        "public": h(x),
        "context": hex::encode(context),
        "proof": hex::encode(proof),
    })
}

fn with(mut v: Value, key: &str, value: impl Into<Value>) -> Value {
    v[key] = value.into();
    v
}

fn sigma_groups<G: VectorGroup>(out: &mut Vec<Value>) {
    let mut r = rng(&format!("sigma/{}", G::LABEL));
    let domain: &'static [u8] = SIGMA_DOMAIN.as_bytes();
    let params = json!({ "group": G::LABEL });

    // --- Schnorr, valid ---
    let mut valid = Vec::new();
    let mut prove = |g: G, w: G::Scalar, ctx: &[u8], comment: &str, r: &mut ChaCha20Rng| {
        let st = SchnorrStatement::with_generator(g, g.mul_scalar(&w));
        let proof = SchnorrProof::prove(domain, &st, &w, ctx, r).expect("prove");
        valid.push(case(
            comment,
            with(schnorr_json(SIGMA_DOMAIN, &g, &st.public, ctx, &proof.to_bytes()), "witness", hs::<G>(&w)),
            "valid",
            &[],
        ));
        (st, proof)
    };
    let w = G::random_nonzero_scalar(&mut r);
    let (base_st, base) = prove(G::generator(), w, b"", "fixed generator, empty context", &mut r);
    let w2 = G::random_nonzero_scalar(&mut r);
    prove(G::generator(), w2, b"session 42 / vector context", "fixed generator, with context", &mut r);
    let other_g = G::generator().mul_scalar(&G::random_nonzero_scalar(&mut r));
    let w3 = G::random_nonzero_scalar(&mut r);
    prove(other_g, w3, b"ctx", "another generator", &mut r);
    // (X = identity, witness 0, is allowed by psephos but is not pinned here: for it
    // s·g = R holds whatever the challenge, so domain and context are not bound.)
    out.push(group("Schnorr", params.clone(), valid));

    // --- Schnorr, invalid (variations of the first valid proof) ---
    let (g, x) = (base_st.generator, base_st.public);
    let bytes = base.to_bytes().to_vec();
    let enc = |commitment: &[u8], response: &[u8]| [commitment, response].concat();
    let (rb, sb) = (base.commitment.encode().to_vec(), G::encode_scalar(&base.response).to_vec());
    let mut inv = Vec::new();
    let mut push = |comment: &str, v: Value, flag: &str| inv.push(case(comment, v, "invalid", &[flag]));
    let one = G::scalar_one();
    push(
        "response s + 1",
        schnorr_json(SIGMA_DOMAIN, &g, &x, b"", &enc(&rb, &G::encode_scalar(&(base.response + one)))),
        "TamperedResponse",
    );
    push(
        "commitment R + g",
        schnorr_json(SIGMA_DOMAIN, &g, &x, b"", &enc(&(base.commitment + g).encode(), &sb)),
        "TamperedCommitment",
    );
    push(
        "proof for the empty context, verified with context \"x\"",
        schnorr_json(SIGMA_DOMAIN, &g, &x, b"x", &bytes),
        "WrongContext",
    );
    push("proof under another domain label", schnorr_json(OTHER_DOMAIN, &g, &x, b"", &bytes), "WrongDomain");
    push("public value X + g", schnorr_json(SIGMA_DOMAIN, &g, &(x + g), b"", &bytes), "WrongStatement");
    push(
        "commitment is the identity",
        schnorr_json(SIGMA_DOMAIN, &g, &x, b"", &enc(&G::identity().encode(), &sb)),
        "IdentityCommitment",
    );
    push(
        "generator is the identity (every statement would be trivial)",
        schnorr_json(SIGMA_DOMAIN, &G::identity(), &G::identity(), b"", &bytes),
        "IdentityGenerator",
    );
    push(
        "response s + q: the same residue, non-canonically encoded",
        schnorr_json(SIGMA_DOMAIN, &g, &x, b"", &enc(&rb, &plus_order::<G>(&base.response))),
        "NonCanonicalScalar",
    );
    push(
        "response = q",
        schnorr_json(SIGMA_DOMAIN, &g, &x, b"", &enc(&rb, &le(&G::order()))),
        "NonCanonicalScalar",
    );
    for (comment, bad, flag) in G::bad_encodings() {
        push(
            &format!("commitment: {comment}"),
            schnorr_json(SIGMA_DOMAIN, &g, &x, b"", &enc(&bad, &sb)),
            flag,
        );
    }
    if let Some((comment, bad, flag)) = G::bad_encodings().into_iter().next() {
        let mut v = schnorr_json(SIGMA_DOMAIN, &g, &x, b"", &bytes);
        v["public"] = hex::encode(bad).into();
        push(&format!("public value: {comment}"), v, flag);
    }
    push(
        "proof one byte short",
        schnorr_json(SIGMA_DOMAIN, &g, &x, b"", &bytes[..bytes.len() - 1]),
        "WrongLength",
    );
    push(
        "proof with one trailing byte",
        schnorr_json(SIGMA_DOMAIN, &g, &x, b"", &[bytes.as_slice(), &[0]].concat()),
        "WrongLength",
    );
    out.push(group("SchnorrInvalid", params.clone(), inv));

    // --- DLEQ ---
    let dleq_json = |st: &DleqStatement<G>, domain: &str, ctx: &[u8], proof: &[u8]| {
        json!({
            "domain": domain, "g": h(&st.g), "h": h(&st.h), "x": h(&st.x), "y": h(&st.y),
            "context": hex::encode(ctx), "proof": hex::encode(proof),
        })
    };
    let mut valid = Vec::new();
    let mut first = None;
    for (comment, g, ctx) in [
        ("g = the fixed generator, h random", G::generator(), &b""[..]),
        ("g = the fixed generator, h random, with context", G::generator(), &b"trustee 2 / share"[..]),
        ("g and h random", G::generator().mul_scalar(&G::random_nonzero_scalar(&mut r)), &b"ctx"[..]),
    ] {
        let hh = G::generator().mul_scalar(&G::random_nonzero_scalar(&mut r));
        let w = G::random_nonzero_scalar(&mut r);
        let st = DleqStatement::new(g, hh, g.mul_scalar(&w), hh.mul_scalar(&w));
        let proof = DleqProof::prove(domain, &st, &w, ctx, &mut r).expect("prove");
        valid.push(case(
            comment,
            with(dleq_json(&st, SIGMA_DOMAIN, ctx, &proof.to_bytes()), "witness", hs::<G>(&w)),
            "valid",
            &[],
        ));
        first.get_or_insert((st, proof));
    }
    out.push(group("Dleq", params.clone(), valid));
    let Some((st, proof)) = first else { unreachable!() };
    let (ab, bb, sb) =
        (proof.a.encode().to_vec(), proof.b.encode().to_vec(), G::encode_scalar(&proof.response).to_vec());
    let bytes = proof.to_bytes().to_vec();
    let enc = |a: &[u8], b: &[u8], s: &[u8]| [a, b, s].concat();
    let mut inv = Vec::new();
    let mut push = |comment: &str, v: Value, flag: &str| inv.push(case(comment, v, "invalid", &[flag]));
    push(
        "response s + 1",
        dleq_json(&st, SIGMA_DOMAIN, b"", &enc(&ab, &bb, &G::encode_scalar(&(proof.response + one)))),
        "TamperedResponse",
    );
    push(
        "commitment A + g",
        dleq_json(&st, SIGMA_DOMAIN, b"", &enc(&(proof.a + st.g).encode(), &bb, &sb)),
        "TamperedCommitment",
    );
    push(
        "commitment B + h",
        dleq_json(&st, SIGMA_DOMAIN, b"", &enc(&ab, &(proof.b + st.h).encode(), &sb)),
        "TamperedCommitment",
    );
    push(
        "Y + h: the logarithms differ",
        dleq_json(&DleqStatement { y: st.y + st.h, ..st }, SIGMA_DOMAIN, b"", &bytes),
        "WrongStatement",
    );
    push(
        "g and h swapped",
        dleq_json(&DleqStatement { g: st.h, h: st.g, x: st.y, y: st.x }, SIGMA_DOMAIN, b"", &bytes),
        "WrongStatement",
    );
    push("wrong context", dleq_json(&st, SIGMA_DOMAIN, b"x", &bytes), "WrongContext");
    push("another domain label", dleq_json(&st, OTHER_DOMAIN, b"", &bytes), "WrongDomain");
    push(
        "h is the identity",
        dleq_json(&DleqStatement { h: G::identity(), y: G::identity(), ..st }, SIGMA_DOMAIN, b"", &bytes),
        "IdentityGenerator",
    );
    push(
        "response s + q",
        dleq_json(&st, SIGMA_DOMAIN, b"", &enc(&ab, &bb, &plus_order::<G>(&proof.response))),
        "NonCanonicalScalar",
    );
    for (comment, bad, flag) in G::bad_encodings().into_iter().take(3) {
        push(
            &format!("commitment B: {comment}"),
            dleq_json(&st, SIGMA_DOMAIN, b"", &enc(&ab, &bad, &sb)),
            flag,
        );
        let mut v = dleq_json(&st, SIGMA_DOMAIN, b"", &bytes);
        v["y"] = hex::encode(&bad).into();
        push(&format!("Y: {comment}"), v, flag);
    }
    push("proof one byte short", dleq_json(&st, SIGMA_DOMAIN, b"", &bytes[..bytes.len() - 1]), "WrongLength");
    out.push(group("DleqInvalid", params, inv));
}

fn sigma(dir: &Path) {
    let mut groups = Vec::new();
    sigma_groups::<Point>(&mut groups);
    sigma_groups::<RistrettoPoint>(&mut groups);
    let notes = json!({
        "NonCanonicalScalar": "A scalar encoding whose value is >= the group order q (for example s + q, the same residue). Must be refused, never reduced.",
        "NonCanonicalPoint": "A non-canonical element encoding (Baby Jubjub: y >= p, or x = 0 with the sign bit set; Ristretto255: the bad encodings of RFC 9496 Appendix A.2). Must be refused.",
        "NotOnCurve": "A Baby Jubjub encoding whose y has no curve point. Must be refused.",
        "SmallOrderPoint": "A Baby Jubjub point on the curve but outside the prime-order subgroup (a torsion point). Must be refused.",
        "WrongLength": "A proof of the wrong byte length (Schnorr R || s = 64 bytes, DLEQ A || B || s = 96 bytes).",
        "IdentityGenerator": "A statement whose generator (g or h) is the identity: every such statement is trivial. Must be refused.",
        "IdentityCommitment": "The commitment R is the identity: decodes (the identity is a group element) but cannot verify.",
        "TamperedResponse": "The response s of a valid proof changed.",
        "TamperedCommitment": "A commitment (R; A or B) of a valid proof changed.",
        "WrongContext": "A valid proof checked with other context bytes.",
        "WrongDomain": "A valid proof checked under another domain label.",
        "WrongStatement": "A valid proof checked against another statement.",
    });
    let extra = json!({
        "transcripts": "Schnorr: merlin transcript 'psephos/sigma/schnorr/v1'; appends domain, group (the group NAME), g, X, context, R; challenge c = 64 bytes reduced mod q; valid iff s·g = R + c·X. DLEQ: transcript 'psephos/sigma/dleq/v1'; appends domain, group, g, h, X, Y, context, A, B; valid iff s·g = A + c·X and s·h = B + c·Y. Specification: docs/spec/sigma.md.",
        "encodings": "All byte strings lowercase hex. Elements: 32 bytes (Baby Jubjub: circomlib packing of the EIP-2494 subgroup point; Ristretto255: RFC 9496). Scalars: 32 bytes little-endian, < q. Schnorr proof = R || s; DLEQ proof = A || B || s. witness (valid cases only) = the prover's secret x, so that X = x·g (and Y = x·h).",
    });
    write(dir, "sigma.json", "psephos-sigma-merlin", notes, extra, groups);
}
