//! Poseidon (circomlib) and Baby Jubjub (EIP-2494) vectors.

use ark_ec::CurveGroup;
use psephos_primitives::{
    babyjubjub::{self, scalar_from_decimal, BabyJubjubAffine, Point, Scalar},
    field, poseidon, EncodingError, Fr,
};
use serde_json::Value;

use crate::json::{
    array_of, as_str, biguint, ensure, expect_eq, fail, flags, fr_of, get, hex_of, point_of, result, str_of,
    CaseError,
};

pub(crate) fn poseidon(_cx: &crate::Ctx<'_>, ty: &str, _group: &Value, t: &Value) -> Result<(), CaseError> {
    let raw: Vec<&str> =
        array_of(t, "inputs")?.iter().map(|v| as_str(v, "input")).collect::<Result<_, _>>()?;
    let parsed: Result<Vec<Fr>, _> = raw.iter().map(|s| field::from_decimal(s)).collect();
    match (ty, result(t)?) {
        ("PoseidonHash", "valid") => {
            let inputs = parsed.map_err(|e| CaseError(format!("input: {e}")))?;
            let out = poseidon::hash(&inputs).map_err(|e| CaseError(e.to_string()))?;
            expect_eq("Poseidon output", out, fr_of(t, "output")?)
        }
        ("PoseidonHashInvalid", "invalid") => {
            expect_eq("flags", flags(t)?, vec!["NotInField"])?;
            ensure(
                matches!(parsed, Err(EncodingError::NotInField { .. })),
                "an input >= r must be refused, not reduced",
            )
        }
        (ty, r) => fail!("unexpected {r} case in group {ty}"),
    }
}

/// A raw on-curve affine point (torsion points allowed).
fn raw_point(v: &Value) -> Result<BabyJubjubAffine, CaseError> {
    let a = BabyJubjubAffine::new_unchecked(fr_of(v, "x")?, fr_of(v, "y")?);
    ensure(a.is_on_curve(), "a raw point of the vector is not on the curve")?;
    Ok(a)
}

pub(crate) fn babyjubjub(_cx: &crate::Ctx<'_>, ty: &str, _group: &Value, t: &Value) -> Result<(), CaseError> {
    let valid = result(t)? == "valid";
    let flags = flags(t)?;
    match ty {
        "Constants" => {
            expect_eq("Base8", point_of(t, "base8")?, Point::BASE8)?;
            let g = get(t, "generator")?;
            expect_eq("generator x", fr_of(g, "x")?, babyjubjub::GENERATOR_X)?;
            expect_eq("generator y", fr_of(g, "y")?, babyjubjub::GENERATOR_Y)?;
            expect_eq("subgroup order", str_of(t, "subOrder")?, babyjubjub::SUBGROUP_ORDER_DECIMAL)?;
            expect_eq(
                "curve order",
                str_of(t, "order")?.to_string(),
                (field::modulus::<Scalar>() * 8u32).to_str_radix(10),
            )?;
            expect_eq("a", fr_of(t, "a")?, babyjubjub::COEFF_A)?;
            expect_eq("d", fr_of(t, "d")?, babyjubjub::COEFF_D)
        }
        "ScalarMulBase8" => {
            let text = str_of(t, "scalar")?;
            // Scalars >= l are refused by the strict decoder; the reference reduces them.
            let k = match scalar_from_decimal(text, "scalar") {
                Ok(k) => {
                    ensure(
                        !flags.contains(&"ScalarNotReduced"),
                        "a reduced scalar is flagged ScalarNotReduced",
                    )?;
                    k
                }
                Err(EncodingError::NotInField { .. }) => {
                    ensure(
                        flags.contains(&"ScalarNotReduced"),
                        "an unreduced scalar lacks ScalarNotReduced",
                    )?;
                    Scalar::from(biguint(get(t, "scalar")?, "scalar")?)
                }
                Err(e) => fail!("scalar: {e}"),
            };
            expect_eq("k·Base8", Point::mul_base8(&k), point_of(t, "point")?)
        }
        "PointAdd" => {
            let (p, q) = (raw_point(get(t, "p")?)?, raw_point(get(t, "q")?)?);
            let sum = (p + q).into_affine();
            expect_eq("p + q", sum, raw_point(get(t, "sum")?)?)?;
            let sub = |v: &Value| -> Result<Point, CaseError> {
                Point::from_xy(fr_of(v, "x")?, fr_of(v, "y")?, "p").map_err(|e| CaseError(e.to_string()))
            };
            if let (Ok(p), Ok(q)) = (sub(get(t, "p")?), sub(get(t, "q")?)) {
                expect_eq("subgroup p + q", (p + q).to_affine(), sum)?;
            }
            Ok(())
        }
        "PackUnpack" => {
            let packed = hex_of(t, "packed")?;
            let got = Point::unpack(&packed, "packed point");
            if valid {
                let p = get(t, "point")?;
                let (x, y) = (fr_of(p, "x")?, fr_of(p, "y")?);
                let raw = raw_point(p)?;
                let mut expected = field::to_le_bytes(&y);
                if babyjubjub::is_negative(&x) {
                    expected[31] |= 0x80;
                }
                expect_eq("packing", expected.to_vec(), packed.clone())?;
                if raw.is_in_correct_subgroup_assuming_on_curve() {
                    let q = got.map_err(|e| CaseError(format!("unpack: {e}")))?;
                    expect_eq("unpacked point", (q.x(), q.y()), (x, y))?;
                    expect_eq("re-packed", q.pack().to_vec(), packed)
                } else {
                    // Torsion points pack, but strict unpacking refuses them.
                    expect_eq("unpack", got, Err(EncodingError::NotInSubgroup { what: "packed point" }))
                }
            } else {
                let expected = match flags.first().copied() {
                    Some("NonCanonical") => EncodingError::NonCanonical { what: "packed point" },
                    Some("NotOnCurve") => EncodingError::NotOnCurve { what: "packed point" },
                    f => fail!("unexpected flag {f:?}"),
                };
                expect_eq("unpack", got, Err(expected))
            }
        }
        "SubgroupCheck" => {
            let p = get(t, "point")?;
            let got = Point::from_decimal(str_of(p, "x")?, str_of(p, "y")?, "point")
                .and_then(|q| q.non_identity("point"));
            if valid {
                expect_eq("onCurve", get(t, "onCurve")?.as_bool(), Some(true))?;
                expect_eq("inSubgroup", get(t, "inSubgroup")?.as_bool(), Some(true))?;
                got.map(|_| ()).map_err(|e| CaseError(format!("a valid point is refused: {e}")))
            } else if flags.contains(&"NonCanonical") {
                expect_eq("decode", got, Err(EncodingError::NotInField { what: "point" }))
            } else if flags.contains(&"IdentityPoint") {
                expect_eq("decode", got, Err(EncodingError::IdentityPoint { what: "point" }))
            } else if flags.contains(&"NotInSubgroup") {
                expect_eq("onCurve", get(t, "onCurve")?.as_bool(), Some(true))?;
                expect_eq("inSubgroup", get(t, "inSubgroup")?.as_bool(), Some(false))?;
                expect_eq("decode", got, Err(EncodingError::NotInSubgroup { what: "point" }))
            } else {
                expect_eq("flags", flags, vec!["NotOnCurve"])?;
                expect_eq("onCurve", get(t, "onCurve")?.as_bool(), Some(false))?;
                expect_eq("decode", got, Err(EncodingError::NotOnCurve { what: "point" }))
            }
        }
        other => fail!("unknown group type {other}"),
    }
}
