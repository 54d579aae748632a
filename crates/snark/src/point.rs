//! Validated decoding of BN254 points, the one place where untrusted coordinates
//! become `G1Affine` / `G2Affine` values (docs/snark.md §"Validation rules").
//!
//! Every decoder here checks, in this order: the encoding itself (flags, each
//! coordinate `< q`), the curve equation, membership in the subgroup of prime order
//! `r`, non-identity, and (for bytes) that the point re-encodes to exactly the
//! input. The rest of the crate never re-checks.
//!
//! G1 is all of `E(F_q)` (cofactor 1), so its subgroup check is trivially true; G2
//! lives on the sextic twist `E'(F_q²)`, whose cofactor is a 254-bit number, so a
//! G2 point can be on the twist and still outside the `r`-subgroup. arkworks 0.6
//! checks G2 membership with `[p]P == [6x²]P` (eprint 2022/352 §4.3) in
//! `ark_bn254::g2::Config::is_in_correct_subgroup_assuming_on_curve`.
//!
//! Compressed bytes are decoded with `Validate::Yes`, which in ark-ec 0.6
//! (`short_weierstrass/mod.rs`, `deserialize_with_mode`) builds the point and calls
//! `Affine::check()`, i.e. `is_on_curve() && is_in_correct_subgroup_assuming_on_curve()`
//! (`short_weierstrass/affine.rs`, `impl Valid for Affine`). That validated
//! decoding alone decides acceptance; when it fails, the bytes are decoded again
//! *without* validation only to say which check failed.

use ark_bn254::{Fq, Fq2, G1Affine, G2Affine};
use ark_ec::{short_weierstrass::SWFlags, AffineRepr};
use ark_serialize::{
    CanonicalDeserialize, CanonicalDeserializeWithFlags, CanonicalSerialize, Compress, SerializationError,
    Validate,
};

use crate::VerifyError;

/// Length of a compressed G1 point: `x` little-endian, flags in the top two bits.
pub(crate) const G1_COMPRESSED_LEN: usize = 32;
/// Length of a compressed G2 point: `x.c0` then `x.c1` little-endian, flags in the
/// top two bits of the last byte.
pub(crate) const G2_COMPRESSED_LEN: usize = 64;

/// Checks an in-memory G1 point: not the identity, on the curve, in the subgroup.
///
/// The identity check must come first: ark-ec 0.6 represents BN254's identity as
/// the coordinates `(0, 0)`, for which `is_on_curve()` returns `true`.
pub(crate) fn check_g1(p: &G1Affine, what: &'static str) -> Result<(), VerifyError> {
    if p.is_zero() {
        return Err(VerifyError::IdentityPoint { what });
    }
    if !p.is_on_curve() {
        return Err(VerifyError::NotOnCurve { what });
    }
    if !p.is_in_correct_subgroup_assuming_on_curve() {
        return Err(VerifyError::NotInSubgroup { what });
    }
    Ok(())
}

/// Checks an in-memory G2 point: on the twist, in the `r`-subgroup, not the identity.
pub(crate) fn check_g2(p: &G2Affine, what: &'static str) -> Result<(), VerifyError> {
    if p.is_zero() {
        return Err(VerifyError::IdentityPoint { what });
    }
    if !p.is_on_curve() {
        return Err(VerifyError::NotOnCurve { what });
    }
    if !p.is_in_correct_subgroup_assuming_on_curve() {
        return Err(VerifyError::NotInSubgroup { what });
    }
    Ok(())
}

/// A G1 point from affine coordinates that are already field elements.
///
/// `new_unchecked` only stores the coordinates; [`check_g1`] runs right after it.
pub(crate) fn g1_from_xy(x: Fq, y: Fq, what: &'static str) -> Result<G1Affine, VerifyError> {
    let p = G1Affine::new_unchecked(x, y);
    check_g1(&p, what)?;
    Ok(p)
}

/// A G2 point from affine coordinates that are already field elements.
///
/// `new_unchecked` only stores the coordinates; [`check_g2`] runs right after it.
pub(crate) fn g2_from_xy(x: Fq2, y: Fq2, what: &'static str) -> Result<G2Affine, VerifyError> {
    let p = G2Affine::new_unchecked(x, y);
    check_g2(&p, what)?;
    Ok(p)
}

/// The 32-byte arkworks compressed encoding of a G1 point.
pub(crate) fn g1_to_compressed(p: &G1Affine) -> [u8; G1_COMPRESSED_LEN] {
    let mut out = [0u8; G1_COMPRESSED_LEN];
    p.serialize_compressed(&mut out[..]).expect("a G1 point compresses to exactly 32 bytes");
    out
}

/// The 64-byte arkworks compressed encoding of a G2 point.
pub(crate) fn g2_to_compressed(p: &G2Affine) -> [u8; G2_COMPRESSED_LEN] {
    let mut out = [0u8; G2_COMPRESSED_LEN];
    p.serialize_compressed(&mut out[..]).expect("a G2 point compresses to exactly 64 bytes");
    out
}

/// Decodes a compressed G1 point (exactly [`G1_COMPRESSED_LEN`] bytes); the
/// identity is refused.
pub(crate) fn g1_from_compressed(bytes: &[u8], what: &'static str) -> Result<G1Affine, VerifyError> {
    if bytes.len() != G1_COMPRESSED_LEN {
        return Err(VerifyError::malformed(what, "a compressed G1 point is 32 bytes"));
    }
    match G1Affine::deserialize_with_mode(bytes, Compress::Yes, Validate::Yes) {
        Ok(p) => {
            if p.is_zero() {
                return Err(VerifyError::IdentityPoint { what });
            }
            if g1_to_compressed(&p)[..] != *bytes {
                return Err(VerifyError::NonCanonical { what });
            }
            Ok(p)
        }
        Err(_) => Err(classify::<Fq, G1Affine>(bytes, what)),
    }
}

/// Decodes a compressed G2 point (exactly [`G2_COMPRESSED_LEN`] bytes); the
/// identity is refused.
pub(crate) fn g2_from_compressed(bytes: &[u8], what: &'static str) -> Result<G2Affine, VerifyError> {
    if bytes.len() != G2_COMPRESSED_LEN {
        return Err(VerifyError::malformed(what, "a compressed G2 point is 64 bytes"));
    }
    match G2Affine::deserialize_with_mode(bytes, Compress::Yes, Validate::Yes) {
        Ok(p) => {
            if p.is_zero() {
                return Err(VerifyError::IdentityPoint { what });
            }
            if g2_to_compressed(&p)[..] != *bytes {
                return Err(VerifyError::NonCanonical { what });
            }
            Ok(p)
        }
        Err(_) => Err(classify::<Fq2, G2Affine>(bytes, what)),
    }
}

/// Says why validated decoding of a compressed point failed. Only called after
/// `Validate::Yes` refused the bytes; the result of the unvalidated decoding below
/// is never returned as a point.
fn classify<F, P>(bytes: &[u8], what: &'static str) -> VerifyError
where
    F: CanonicalDeserializeWithFlags,
    P: AffineRepr + CanonicalDeserialize,
{
    match F::deserialize_with_flags::<_, SWFlags>(bytes) {
        Err(SerializationError::UnexpectedFlags) => {
            VerifyError::malformed(what, "both the infinity and the sign flag are set")
        }
        // The x-coordinate (or one of its F_q components) is not below q.
        Err(_) => VerifyError::NonCanonical { what },
        Ok(_) => match P::deserialize_with_mode(bytes, Compress::Yes, Validate::No) {
            // No y exists for this x: not on the curve.
            Err(_) => VerifyError::NotOnCurve { what },
            // On the curve by construction (y was computed from x), so the
            // validated decoding failed on the subgroup check.
            Ok(_) => VerifyError::NotInSubgroup { what },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ec::{AffineRepr, CurveGroup};
    use ark_ff::{Field, One, Zero};

    /// A point on the twist `y² = x³ + 3/(9+u)` outside the `r`-subgroup: hash
    /// small x values until the curve equation has a solution and the result fails
    /// the subgroup check (almost every twist point does: the cofactor is ~2²⁵⁴).
    fn twist_point_outside_subgroup() -> G2Affine {
        let b = <ark_bn254::g2::Config as ark_ec::short_weierstrass::SWCurveConfig>::COEFF_B;
        let mut i = 1u64;
        loop {
            let x = Fq2::new(Fq::from(i), Fq::one());
            let rhs = x.square() * x + b;
            if let Some(y) = rhs.sqrt() {
                let p = G2Affine::new_unchecked(x, y);
                assert!(p.is_on_curve());
                if !p.is_in_correct_subgroup_assuming_on_curve() {
                    return p;
                }
            }
            i += 1;
        }
    }

    #[test]
    fn g1_round_trip_and_rejections() {
        let g = G1Affine::generator();
        let p = (g * ark_bn254::Fr::from(7u64)).into_affine();
        let bytes = g1_to_compressed(&p);
        assert_eq!(g1_from_compressed(&bytes, "p"), Ok(p));

        let mut id = [0u8; 32];
        G1Affine::zero().serialize_compressed(&mut id[..]).unwrap();
        assert_eq!(g1_from_compressed(&id, "p"), Err(VerifyError::IdentityPoint { what: "p" }));

        // Both flag bits: malformed.
        let mut both = bytes;
        both[31] |= 0xc0;
        assert!(matches!(g1_from_compressed(&both, "p"), Err(VerifyError::Malformed { .. })));

        // x = q - 1 + 2^? ≥ q with no flags: all ones in the low 254 bits.
        let mut big = [0xffu8; 32];
        big[31] = 0x3f;
        assert_eq!(g1_from_compressed(&big, "p"), Err(VerifyError::NonCanonical { what: "p" }));
    }

    #[test]
    fn g2_twist_point_outside_subgroup_is_refused_everywhere() {
        let p = twist_point_outside_subgroup();
        assert_eq!(check_g2(&p, "b"), Err(VerifyError::NotInSubgroup { what: "b" }));
        assert_eq!(g2_from_xy(p.x, p.y, "b"), Err(VerifyError::NotInSubgroup { what: "b" }));
        let bytes = g2_to_compressed(&p);
        assert_eq!(g2_from_compressed(&bytes, "b"), Err(VerifyError::NotInSubgroup { what: "b" }));
        // arkworks' own validated decoding refuses it too (the claim in the module doc).
        assert!(G2Affine::deserialize_compressed(&bytes[..]).is_err());
        assert!(G2Affine::deserialize_uncompressed(
            {
                let mut v = Vec::new();
                p.serialize_uncompressed(&mut v).unwrap();
                v
            }
            .as_slice()
        )
        .is_err());
    }

    #[test]
    fn off_curve_coordinates_are_refused() {
        let g = G1Affine::generator();
        assert_eq!(g1_from_xy(g.x, g.y + Fq::one(), "a"), Err(VerifyError::NotOnCurve { what: "a" }));
        let h = G2Affine::generator();
        assert_eq!(g2_from_xy(h.x, h.y + Fq2::one(), "b"), Err(VerifyError::NotOnCurve { what: "b" }));
        // (0, 0) is not on either curve (b ≠ 0), but ark-ec 0.6 uses it as the
        // in-memory identity (BN254's `ZeroFlag` is `()`: `is_zero` means x = y = 0)
        // and `is_on_curve()` is true for it. The identity check comes first.
        assert!(G1Affine::new_unchecked(Fq::zero(), Fq::zero()).is_on_curve());
        assert_eq!(g1_from_xy(Fq::zero(), Fq::zero(), "a"), Err(VerifyError::IdentityPoint { what: "a" }));
        assert_eq!(g2_from_xy(Fq2::zero(), Fq2::zero(), "b"), Err(VerifyError::IdentityPoint { what: "b" }));
    }
}
