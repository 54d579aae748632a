//! Known-answer tests against `test-vectors/{poseidon,babyjubjub}.json`, generated
//! by `test-vectors/generator/generate.mjs` from circomlibjs and @zk-kit/baby-jubjub.
//! Every case in every file is checked, valid and invalid.

#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use ark_ec::CurveGroup;
use psephos_primitives::{
    babyjubjub::{scalar_from_decimal, BabyJubjubAffine, Point, Scalar},
    field, poseidon, EncodingError, Fr,
};
use serde_json::Value;

fn load(name: &str) -> Value {
    let path = format!("{}/../../test-vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn cases(doc: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for g in doc["testGroups"].as_array().unwrap() {
        for t in g["tests"].as_array().unwrap() {
            out.push((g["type"].as_str().unwrap().to_string(), t.clone()));
        }
    }
    assert_eq!(out.len() as u64, doc["numberOfTests"].as_u64().unwrap());
    out
}

fn fr(v: &Value) -> Fr {
    field::from_decimal(v.as_str().unwrap()).unwrap()
}

fn point(v: &Value) -> Point {
    Point::from_decimal(v["x"].as_str().unwrap(), v["y"].as_str().unwrap(), "point").unwrap()
}

fn flags(t: &Value) -> Vec<String> {
    t["flags"].as_array().unwrap().iter().map(|f| f.as_str().unwrap().to_string()).collect()
}

#[test]
fn poseidon_vectors() {
    let doc = load("poseidon.json");
    let mut checked = 0;
    for (ty, t) in cases(&doc) {
        let id = &t["tcId"];
        let raw: Vec<&str> = t["inputs"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        match (ty.as_str(), t["result"].as_str().unwrap()) {
            ("PoseidonHash", "valid") => {
                let inputs: Vec<Fr> = raw.iter().map(|s| field::from_decimal(s).unwrap()).collect();
                assert_eq!(poseidon::hash(&inputs).unwrap(), fr(&t["output"]), "tcId {id}");
            }
            ("PoseidonHashInvalid", "invalid") => {
                assert_eq!(flags(&t), ["NotInField"]);
                let parsed: Result<Vec<Fr>, _> = raw.iter().map(|s| field::from_decimal(s)).collect();
                assert!(
                    matches!(parsed, Err(EncodingError::NotInField { .. })),
                    "tcId {id}: an input >= r must be refused, not reduced"
                );
            }
            other => panic!("unexpected case {other:?} in tcId {id}"),
        }
        checked += 1;
    }
    assert_eq!(checked, 120);
}

#[test]
fn babyjubjub_vectors() {
    let doc = load("babyjubjub.json");
    for (ty, t) in cases(&doc) {
        let id = &t["tcId"];
        let valid = t["result"] == "valid";
        match ty.as_str() {
            "Constants" => {
                assert_eq!(point(&t["base8"]), Point::BASE8);
                let g = &t["generator"];
                assert_eq!(fr(&g["x"]), psephos_primitives::babyjubjub::GENERATOR_X);
                assert_eq!(fr(&g["y"]), psephos_primitives::babyjubjub::GENERATOR_Y);
                assert_eq!(t["subOrder"], psephos_primitives::babyjubjub::SUBGROUP_ORDER_DECIMAL);
                assert_eq!(
                    t["order"].as_str().unwrap(),
                    (field::modulus::<Scalar>() * 8u32).to_str_radix(10)
                );
                assert_eq!(fr(&t["a"]), psephos_primitives::babyjubjub::COEFF_A);
                assert_eq!(fr(&t["d"]), psephos_primitives::babyjubjub::COEFF_D);
            }
            "ScalarMulBase8" => {
                let text = t["scalar"].as_str().unwrap();
                // Scalars >= l are refused by the strict decoder; circomlibjs reduces them.
                let k = match scalar_from_decimal(text, "scalar") {
                    Ok(k) => {
                        assert!(!flags(&t).contains(&"ScalarNotReduced".to_string()), "tcId {id}");
                        k
                    }
                    Err(EncodingError::NotInField { .. }) => {
                        assert!(flags(&t).contains(&"ScalarNotReduced".to_string()), "tcId {id}");
                        let big = num_bigint::BigUint::parse_bytes(text.as_bytes(), 10).unwrap();
                        Scalar::from(big)
                    }
                    Err(e) => panic!("tcId {id}: {e}"),
                };
                assert_eq!(Point::mul_base8(&k), point(&t["point"]), "tcId {id}");
            }
            "PointAdd" => {
                // Some cases add torsion points, so work on raw (on-curve) affine points.
                let raw = |v: &Value| {
                    let a = BabyJubjubAffine::new_unchecked(fr(&v["x"]), fr(&v["y"]));
                    assert!(a.is_on_curve(), "tcId {id}");
                    a
                };
                let sum = (raw(&t["p"]) + raw(&t["q"])).into_affine();
                assert_eq!(sum, raw(&t["sum"]), "tcId {id}");
                if let (Ok(p), Ok(q)) = (
                    Point::from_xy(fr(&t["p"]["x"]), fr(&t["p"]["y"]), "p"),
                    Point::from_xy(fr(&t["q"]["x"]), fr(&t["q"]["y"]), "q"),
                ) {
                    assert_eq!((p + q).to_affine(), sum, "tcId {id}");
                }
            }
            "PackUnpack" => {
                let packed = hex::decode(t["packed"].as_str().unwrap()).unwrap();
                let got = Point::unpack(&packed, "packed point");
                if valid {
                    let p = &t["point"];
                    let (x, y) = (fr(&p["x"]), fr(&p["y"]));
                    // Packing is defined for every curve point; compute it on the raw affine point.
                    let raw = BabyJubjubAffine::new_unchecked(x, y);
                    assert!(raw.is_on_curve());
                    let mut expected = field::to_le_bytes(&y);
                    if psephos_primitives::babyjubjub::is_negative(&x) {
                        expected[31] |= 0x80;
                    }
                    assert_eq!(expected.to_vec(), packed, "tcId {id}");
                    if !raw.is_in_correct_subgroup_assuming_on_curve() {
                        // Torsion points and circomlib's full-order Generator pack fine,
                        // but psephos' strict unpacking refuses points outside the subgroup.
                        assert_eq!(
                            got,
                            Err(EncodingError::NotInSubgroup { what: "packed point" }),
                            "tcId {id}"
                        );
                    } else {
                        let q = got.unwrap_or_else(|e| panic!("tcId {id}: {e}"));
                        assert_eq!((q.x(), q.y()), (x, y), "tcId {id}");
                        assert_eq!(q.pack().to_vec(), packed, "tcId {id}");
                    }
                } else {
                    let expect = match flags(&t)[0].as_str() {
                        "NonCanonical" => EncodingError::NonCanonical { what: "packed point" },
                        "NotOnCurve" => EncodingError::NotOnCurve { what: "packed point" },
                        f => panic!("tcId {id}: unexpected flag {f}"),
                    };
                    assert_eq!(got, Err(expect), "tcId {id}");
                }
            }
            "SubgroupCheck" => {
                let p = &t["point"];
                let got = Point::from_decimal(p["x"].as_str().unwrap(), p["y"].as_str().unwrap(), "point")
                    .and_then(|q| q.non_identity("point"));
                let f = flags(&t);
                if valid {
                    assert!(got.is_ok(), "tcId {id}");
                } else if f.contains(&"NonCanonical".to_string()) {
                    assert_eq!(got, Err(EncodingError::NotInField { what: "point" }), "tcId {id}");
                } else if f.contains(&"IdentityPoint".to_string()) {
                    assert_eq!(got, Err(EncodingError::IdentityPoint { what: "point" }), "tcId {id}");
                } else if f.contains(&"NotInSubgroup".to_string()) {
                    assert_eq!(t["onCurve"], true);
                    assert_eq!(t["inSubgroup"], false);
                    assert_eq!(got, Err(EncodingError::NotInSubgroup { what: "point" }), "tcId {id}");
                } else {
                    assert_eq!(f, ["NotOnCurve"]);
                    assert_eq!(t["onCurve"], false);
                    assert_eq!(got, Err(EncodingError::NotOnCurve { what: "point" }), "tcId {id}");
                }
            }
            other => panic!("unexpected group {other}"),
        }
    }
}
