//! One conformance suite for the Sigma protocols, run for both groups.
#![allow(clippy::unwrap_used)]

use psephos_primitives::{group::ENCODED_LEN, Point, PrimeGroup, RistrettoPoint};
use psephos_sigma::{DleqProof, DleqStatement, SchnorrProof, SchnorrStatement, SigmaError};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

const DOMAIN: &[u8] = b"psephos/sigma-test/domain/v1";
const OTHER_DOMAIN: &[u8] = b"psephos/sigma-test/other/v1";
const CTX: &[u8] = b"context";

fn rng() -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(2026)
}

fn invalid(r: Result<(), SigmaError>) -> bool {
    matches!(r, Err(SigmaError::InvalidProof { .. }))
}

/// `q` (the group order) as 32 little-endian bytes: encode(q − 1) + 1.
fn order_bytes<G: PrimeGroup>() -> [u8; ENCODED_LEN] {
    let mut q = G::encode_scalar(&-G::scalar_one());
    for byte in q.iter_mut() {
        let (v, carry) = byte.overflowing_add(1);
        *byte = v;
        if !carry {
            break;
        }
    }
    q
}

/// `s + q` if it fits in 256 bits (it does for both groups: q < 2^253).
fn plus_order<G: PrimeGroup>(s: &[u8]) -> [u8; ENCODED_LEN] {
    let q = order_bytes::<G>();
    let mut out = [0u8; ENCODED_LEN];
    let mut carry = 0u16;
    for i in 0..ENCODED_LEN {
        let v = s[i] as u16 + q[i] as u16 + carry;
        out[i] = v as u8;
        carry = v >> 8;
    }
    assert_eq!(carry, 0);
    out
}

fn schnorr_suite<G: PrimeGroup>() {
    let mut rng = rng();
    let x = G::random_scalar(&mut rng);
    let g2 = G::mul_generator(&G::random_scalar(&mut rng));
    for st in
        [SchnorrStatement::new(G::mul_generator(&x)), SchnorrStatement::with_generator(g2, g2.mul_scalar(&x))]
    {
        // Completeness.
        let proof = SchnorrProof::prove(DOMAIN, &st, &x, CTX, &mut rng).unwrap();
        proof.verify(DOMAIN, &st, CTX).unwrap();
        // Wrong witness: refused by the prover.
        let wrong = x + G::scalar_one();
        assert_eq!(SchnorrProof::prove(DOMAIN, &st, &wrong, CTX, &mut rng), Err(SigmaError::WitnessMismatch));
        // Wrong statement (public value, generator).
        let other_pub = SchnorrStatement::with_generator(st.generator, st.public + G::generator());
        assert!(invalid(proof.verify(DOMAIN, &other_pub, CTX)));
        let other_gen = SchnorrStatement::with_generator(st.generator + G::generator(), st.public);
        assert!(invalid(proof.verify(DOMAIN, &other_gen, CTX)));
        // A proof for another statement does not transfer.
        let y = G::random_scalar(&mut rng);
        let st_y = SchnorrStatement::with_generator(st.generator, st.generator.mul_scalar(&y));
        let proof_y = SchnorrProof::prove(DOMAIN, &st_y, &y, CTX, &mut rng).unwrap();
        assert!(invalid(proof_y.verify(DOMAIN, &st, CTX)));
        // Wrong context, wrong domain label.
        assert!(invalid(proof.verify(DOMAIN, &st, b"other context")));
        assert!(invalid(proof.verify(DOMAIN, &st, b"")));
        assert!(invalid(proof.verify(OTHER_DOMAIN, &st, CTX)));
        // Identity generator refused.
        let trivial = SchnorrStatement::with_generator(G::identity(), G::identity());
        assert_eq!(proof.verify(DOMAIN, &trivial, CTX), Err(SigmaError::IdentityGenerator));
        assert_eq!(
            SchnorrProof::prove(DOMAIN, &trivial, &x, CTX, &mut rng),
            Err(SigmaError::IdentityGenerator)
        );
        // Identity public value refused: s·g = R would hold for every challenge, so a
        // "proof" of it would bind neither domain nor context.
        let zero_pub = SchnorrStatement::with_generator(st.generator, G::identity());
        let unbound = SchnorrProof { commitment: st.generator, response: G::scalar_one() };
        assert_eq!(unbound.verify(DOMAIN, &zero_pub, CTX), Err(SigmaError::IdentityPublic));
        assert_eq!(unbound.verify(OTHER_DOMAIN, &zero_pub, b"any"), Err(SigmaError::IdentityPublic));
        assert_eq!(
            SchnorrProof::prove(DOMAIN, &zero_pub, &G::scalar_zero(), CTX, &mut rng),
            Err(SigmaError::IdentityPublic)
        );

        // Byte encoding: round trip, then every single-byte flip is refused (decode or verify).
        let bytes = proof.to_bytes();
        assert_eq!(SchnorrProof::<G>::from_bytes(&bytes).unwrap(), proof);
        for i in 0..bytes.len() {
            let mut t = bytes;
            t[i] ^= 0x01;
            match SchnorrProof::<G>::from_bytes(&t) {
                Err(_) => {}
                Ok(p) => assert!(p.verify(DOMAIN, &st, CTX).is_err(), "flip at {i} accepted"),
            }
        }
        // Lengths and trailing data.
        assert!(SchnorrProof::<G>::from_bytes(&bytes[..63]).is_err());
        let mut long = bytes.to_vec();
        long.push(0);
        assert!(SchnorrProof::<G>::from_bytes(&long).is_err());
        // Non-canonical response s + q (same value mod q) and all-ones.
        let mut nc = bytes;
        nc[ENCODED_LEN..].copy_from_slice(&plus_order::<G>(&bytes[ENCODED_LEN..]));
        assert!(matches!(SchnorrProof::<G>::from_bytes(&nc), Err(SigmaError::Encoding(_))));
        nc[ENCODED_LEN..].copy_from_slice(&[0xff; ENCODED_LEN]);
        assert!(matches!(SchnorrProof::<G>::from_bytes(&nc), Err(SigmaError::Encoding(_))));

        // serde: strict lowercase hex.
        let json = serde_json::to_string(&proof).unwrap();
        assert_eq!(serde_json::from_str::<SchnorrProof<G>>(&json).unwrap(), proof);
        assert!(serde_json::from_str::<SchnorrProof<G>>(&json.to_uppercase()).is_err());
        let trailing = format!("\"{}00\"", psephos_sigma::encoding::to_hex(&bytes));
        assert!(serde_json::from_str::<SchnorrProof<G>>(&trailing).is_err());
    }

    // Batch: all good; one bad (named); empty batch.
    let mut items = Vec::new();
    let contexts: Vec<Vec<u8>> = (0..6u8).map(|i| vec![i]).collect();
    for ctx in &contexts {
        let w = G::random_scalar(&mut rng);
        let st = SchnorrStatement::new(G::mul_generator(&w));
        let p = SchnorrProof::prove(DOMAIN, &st, &w, ctx, &mut rng).unwrap();
        items.push((st, ctx.as_slice(), p));
    }
    SchnorrProof::batch_verify(DOMAIN, &items, &mut rng).unwrap();
    SchnorrProof::<G>::batch_verify(DOMAIN, &[], &mut rng).unwrap();
    assert!(SchnorrProof::batch_verify(OTHER_DOMAIN, &items, &mut rng).is_err());
    let mut bad = items.clone();
    bad[3].2.response = bad[3].2.response + G::scalar_one();
    assert_eq!(
        SchnorrProof::batch_verify(DOMAIN, &bad, &mut rng),
        Err(SigmaError::InvalidProofInBatch { what: "Schnorr", index: 3 })
    );
    // Two compensating errors do not cancel (independent weights).
    let mut two = items.clone();
    two[1].2.response = two[1].2.response + G::scalar_one();
    two[2].2.response = two[2].2.response - G::scalar_one();
    assert!(SchnorrProof::batch_verify(DOMAIN, &two, &mut rng).is_err());
}

fn dleq_suite<G: PrimeGroup>() {
    let mut rng = rng();
    let x = G::random_scalar(&mut rng);
    let g = G::generator();
    let h = G::mul_generator(&G::random_scalar(&mut rng));
    let st = DleqStatement::new(g, h, g.mul_scalar(&x), h.mul_scalar(&x));
    let proof = DleqProof::prove(DOMAIN, &st, &x, CTX, &mut rng).unwrap();
    proof.verify(DOMAIN, &st, CTX).unwrap();

    // Wrong witness, and a statement with unequal logs, are refused by the prover.
    assert_eq!(DleqProof::prove(DOMAIN, &st, &(x + x), CTX, &mut rng), Err(SigmaError::WitnessMismatch));
    let unequal = DleqStatement::new(g, h, st.x, st.y + h);
    assert_eq!(DleqProof::prove(DOMAIN, &unequal, &x, CTX, &mut rng), Err(SigmaError::WitnessMismatch));
    // Wrong statement: each component changed.
    for other in [
        DleqStatement::new(g + g, h, st.x, st.y),
        DleqStatement::new(g, h + g, st.x, st.y),
        DleqStatement::new(g, h, st.x + g, st.y),
        DleqStatement::new(g, h, st.x, st.y + g),
        DleqStatement::new(h, g, st.y, st.x),
    ] {
        assert!(invalid(proof.verify(DOMAIN, &other, CTX)));
    }
    // Wrong context, wrong label.
    assert!(invalid(proof.verify(DOMAIN, &st, b"other")));
    assert!(invalid(proof.verify(OTHER_DOMAIN, &st, CTX)));
    // Identity generators.
    let trivial = DleqStatement::new(g, G::identity(), st.x, G::identity());
    assert_eq!(proof.verify(DOMAIN, &trivial, CTX), Err(SigmaError::IdentityGenerator));
    // Identity public values (witness 0) are refused.
    let zero = DleqStatement::new(g, h, G::identity(), G::identity());
    assert_eq!(proof.verify(DOMAIN, &zero, CTX), Err(SigmaError::IdentityPublic));
    assert_eq!(
        DleqProof::prove(DOMAIN, &zero, &G::scalar_zero(), CTX, &mut rng),
        Err(SigmaError::IdentityPublic)
    );

    // Bytes: round trip, every single-bit flip refused, non-canonical scalar refused.
    let bytes = proof.to_bytes();
    assert_eq!(DleqProof::<G>::from_bytes(&bytes).unwrap(), proof);
    for i in 0..bytes.len() {
        let mut t = bytes;
        t[i] ^= 0x01;
        match DleqProof::<G>::from_bytes(&t) {
            Err(_) => {}
            Ok(p) => assert!(p.verify(DOMAIN, &st, CTX).is_err(), "flip at {i} accepted"),
        }
    }
    let mut nc = bytes;
    nc[2 * ENCODED_LEN..].copy_from_slice(&plus_order::<G>(&bytes[2 * ENCODED_LEN..]));
    assert!(matches!(DleqProof::<G>::from_bytes(&nc), Err(SigmaError::Encoding(_))));
    assert!(DleqProof::<G>::from_bytes(&bytes[1..]).is_err());
    let json = serde_json::to_string(&proof).unwrap();
    assert_eq!(serde_json::from_str::<DleqProof<G>>(&json).unwrap(), proof);
    assert!(serde_json::from_str::<DleqProof<G>>("\"00\"").is_err());

    // Batch with shared g and varying h (the tally's shape).
    let mut items = Vec::new();
    for i in 0..5u64 {
        let w = G::random_scalar(&mut rng);
        let hi = G::mul_generator(&G::scalar_from_u64(i + 2));
        let sti = DleqStatement::new(g, hi, g.mul_scalar(&w), hi.mul_scalar(&w));
        let p = DleqProof::prove(DOMAIN, &sti, &w, CTX, &mut rng).unwrap();
        items.push((sti, CTX, p));
    }
    DleqProof::batch_verify(DOMAIN, &items, &mut rng).unwrap();
    let mut bad = items.clone();
    bad[4].0.y = bad[4].0.y + g;
    assert_eq!(
        DleqProof::batch_verify(DOMAIN, &bad, &mut rng),
        Err(SigmaError::InvalidProofInBatch { what: "DLEQ", index: 4 })
    );
    let mut bad_b = items.clone();
    bad_b[0].2.b = bad_b[0].2.b + g;
    assert_eq!(
        DleqProof::batch_verify(DOMAIN, &bad_b, &mut rng),
        Err(SigmaError::InvalidProofInBatch { what: "DLEQ", index: 0 })
    );
}

macro_rules! conformance {
    ($name:ident, $group:ty) => {
        mod $name {
            use super::*;

            #[test]
            fn schnorr() {
                schnorr_suite::<$group>();
            }

            #[test]
            fn dleq() {
                dleq_suite::<$group>();
            }
        }
    };
}

conformance!(babyjubjub, Point);
conformance!(ristretto255, RistrettoPoint);
