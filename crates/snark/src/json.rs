//! snarkjs' JSON formats: `proof.json`, `verification_key.json` and
//! `public.json` (docs/snark.md §"snarkjs JSON").
//!
//! Writers produce exactly what snarkjs 0.7 writes (affine points with projective
//! `z = 1`, G2 coordinates as `[c0, c1]`, field elements as decimal strings, curve
//! name `"bn128"`). Readers are strict:
//!
//! - at most [`MAX_JSON_BYTES`] bytes, checked before parsing (`LimitExceeded`);
//!   arrays of public signals and `IC` are bounded while parsing;
//! - UTF-8 JSON with no BOM and nothing after the value, no unknown or duplicate
//!   field (`deny_unknown_fields`), nesting ≤ 128 (serde_json's limit) — else
//!   `Malformed`;
//! - every field element is a *string* of canonical decimal digits (a JSON number is
//!   `Malformed`), below its modulus (`NotInField`, never reduced);
//! - `protocol` must be `"groth16"` and `curve` must be `"bn128"`. `"bn254"` is
//!   **not** accepted as an alias: snarkjs writes only `"bn128"`, and a file
//!   spelling it differently comes from another tool whose conventions (such as the
//!   order of the Fq2 pair) psephos has not checked;
//! - projective `z` must be exactly `"1"` (G2: `["1", "0"]`); `"0"` (G2 `["0", "0"]`)
//!   is snarkjs' point at infinity and is `IdentityPoint`; anything else is
//!   `Malformed`;
//! - every point is checked on its curve and in the `r`-subgroup. A G2 pair written
//!   in the wrong order (`[c1, c0]`) is a different, almost surely invalid point and
//!   is refused as `NotOnCurve` or `NotInSubgroup`;
//! - in a verifying key, `IC.len()` must be `nPublic + 1` (`Malformed`), `nPublic`
//!   is a JSON *number* (snarkjs writes it so), and `vk_alphabeta_12`, which snarkjs
//!   writes but never reads, is optional and, when present, must equal `e(α₁, β₂)`
//!   (`Malformed` otherwise). The check is cheap and catches a hand-edited α or β.
//!
//! psephos adds one optional field to verifying keys, `psephos_setup`, written only
//! for keys from [`dev_setup`](crate::setup::dev_setup):
//! `{"kind": "insecure-development", "seed_label": "<16 hex digits>"}`. snarkjs
//! ignores it; psephos reads it back as [`SetupKind::InsecureDevelopment`]. A key
//! without it is read as [`SetupKind::Ceremony`].

use std::fmt;
use std::marker::PhantomData;

use ark_bn254::{Bn254, Fq, Fq12, Fq2, Fr, G1Affine, G2Affine};
use ark_ec::pairing::Pairing;
use psephos_primitives::field::{decimal_to_field, to_decimal};
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::point::{g1_from_xy, g2_from_xy};
use crate::verifier::public_inputs_from_decimal;
use crate::verifying_key::check_ic_len;
use crate::{Proof, SetupKind, VerifyError, VerifyingKey, MAX_JSON_BYTES, MAX_PUBLIC_INPUTS};

/// The only accepted `protocol`.
pub const PROTOCOL: &str = "groth16";
/// The only accepted `curve` (snarkjs' name for BN254).
pub const CURVE: &str = "bn128";
/// The `psephos_setup.kind` of a development key.
pub const SETUP_KIND_DEVELOPMENT: &str = "insecure-development";

/// snarkjs' `proof.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProofJson {
    /// `A` as `[x, y, z]`.
    pub pi_a: [String; 3],
    /// `B` as `[[x.c0, x.c1], [y.c0, y.c1], [z.c0, z.c1]]`.
    pub pi_b: [[String; 2]; 3],
    /// `C` as `[x, y, z]`.
    pub pi_c: [String; 3],
    /// `"groth16"`.
    pub protocol: String,
    /// `"bn128"`.
    pub curve: String,
}

/// snarkjs' `verification_key.json` (Groth16), plus psephos' optional
/// `psephos_setup` marker.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerifyingKeyJson {
    /// `"groth16"`.
    pub protocol: String,
    /// `"bn128"`.
    pub curve: String,
    /// Number of public inputs (a JSON number).
    #[serde(rename = "nPublic")]
    pub n_public: u64,
    /// `α₁` as `[x, y, z]`.
    pub vk_alpha_1: [String; 3],
    /// `β₂`.
    pub vk_beta_2: [[String; 2]; 3],
    /// `γ₂`.
    pub vk_gamma_2: [[String; 2]; 3],
    /// `δ₂`.
    pub vk_delta_2: [[String; 2]; 3],
    /// `e(α₁, β₂)` in F_q¹²: `[[c0.c0, c0.c1, c0.c2], [c1.c0, c1.c1, c1.c2]]`,
    /// each an F_q² pair `[c0, c1]`. Optional; checked when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vk_alphabeta_12: Option<[[[String; 2]; 3]; 2]>,
    /// `IC[0..=nPublic]`, each `[x, y, z]`.
    #[serde(rename = "IC", deserialize_with = "deserialize_ic")]
    pub ic: Vec<[String; 3]>,
    /// psephos' development-key marker (absent for other keys).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub psephos_setup: Option<SetupJson>,
}

/// The `psephos_setup` field of a development verifying key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetupJson {
    /// Always [`SETUP_KIND_DEVELOPMENT`].
    pub kind: String,
    /// The seed label, 16 lowercase hex digits.
    pub seed_label: String,
}

// ---------------------------------------------------------------------------
// Proofs

impl From<&Proof> for ProofJson {
    fn from(p: &Proof) -> Self {
        Self {
            pi_a: g1_to_json(p.a()),
            pi_b: g2_to_json(p.b()),
            pi_c: g1_to_json(p.c()),
            protocol: PROTOCOL.to_owned(),
            curve: CURVE.to_owned(),
        }
    }
}

impl TryFrom<&ProofJson> for Proof {
    type Error = VerifyError;

    fn try_from(j: &ProofJson) -> Result<Self, VerifyError> {
        check_protocol_and_curve(&j.protocol, &j.curve)?;
        let a = g1_from_json(&j.pi_a, "pi_a")?;
        let b = g2_from_json(&j.pi_b, "pi_b")?;
        let c = g1_from_json(&j.pi_c, "pi_c")?;
        Proof::from_points(a, b, c)
    }
}

/// snarkjs' `proof.json` for `proof`.
pub fn write_proof(proof: &Proof) -> String {
    to_json(&ProofJson::from(proof))
}

/// Reads snarkjs' `proof.json` (see the module docs for the rules).
pub fn read_proof(json: impl AsRef<[u8]>) -> Result<Proof, VerifyError> {
    let j: ProofJson = parse(json.as_ref(), "proof JSON", 0)?;
    Proof::try_from(&j)
}

// ---------------------------------------------------------------------------
// Verifying keys

impl From<&VerifyingKey> for VerifyingKeyJson {
    fn from(vk: &VerifyingKey) -> Self {
        let psephos_setup = match vk.setup_kind() {
            SetupKind::Ceremony => None,
            SetupKind::InsecureDevelopment { seed_label } => Some(SetupJson {
                kind: SETUP_KIND_DEVELOPMENT.to_owned(),
                seed_label: hex::encode(seed_label),
            }),
        };
        Self {
            protocol: PROTOCOL.to_owned(),
            curve: CURVE.to_owned(),
            n_public: vk.num_public_inputs() as u64,
            vk_alpha_1: g1_to_json(vk.alpha_g1()),
            vk_beta_2: g2_to_json(vk.beta_g2()),
            vk_gamma_2: g2_to_json(vk.gamma_g2()),
            vk_delta_2: g2_to_json(vk.delta_g2()),
            vk_alphabeta_12: Some(fq12_to_json(&alpha_beta(vk.alpha_g1(), vk.beta_g2()))),
            ic: vk.ic().iter().map(g1_to_json).collect(),
            psephos_setup,
        }
    }
}

impl TryFrom<&VerifyingKeyJson> for VerifyingKey {
    type Error = VerifyError;

    fn try_from(j: &VerifyingKeyJson) -> Result<Self, VerifyError> {
        check_protocol_and_curve(&j.protocol, &j.curve)?;
        let n_public = usize::try_from(j.n_public)
            .ok()
            .filter(|&n| n <= MAX_PUBLIC_INPUTS)
            .ok_or(VerifyError::LimitExceeded { what: "nPublic", limit: MAX_PUBLIC_INPUTS })?;
        check_ic_len(j.ic.len())?;
        if j.ic.len() != n_public + 1 {
            return Err(VerifyError::malformed(
                "verifying key JSON",
                format!("IC has {} points but nPublic + 1 = {}", j.ic.len(), n_public + 1),
            ));
        }
        let setup = match &j.psephos_setup {
            None => SetupKind::Ceremony,
            Some(s) => {
                if s.kind != SETUP_KIND_DEVELOPMENT {
                    return Err(VerifyError::malformed("psephos_setup", "unknown kind"));
                }
                let mut seed_label = [0u8; 8];
                if s.seed_label.len() != 16
                    || !s.seed_label.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
                    || hex::decode_to_slice(&s.seed_label, &mut seed_label).is_err()
                {
                    return Err(VerifyError::malformed(
                        "psephos_setup",
                        "seed_label is not 16 lowercase hex digits",
                    ));
                }
                SetupKind::InsecureDevelopment { seed_label }
            }
        };
        let alpha_g1 = g1_from_json(&j.vk_alpha_1, "vk_alpha_1")?;
        let beta_g2 = g2_from_json(&j.vk_beta_2, "vk_beta_2")?;
        let gamma_g2 = g2_from_json(&j.vk_gamma_2, "vk_gamma_2")?;
        let delta_g2 = g2_from_json(&j.vk_delta_2, "vk_delta_2")?;
        let gamma_abc_g1 = j.ic.iter().map(|p| g1_from_json(p, "IC")).collect::<Result<Vec<_>, _>>()?;
        if let Some(ab) = &j.vk_alphabeta_12 {
            let claimed = fq12_from_json(ab)?;
            if claimed != alpha_beta(&alpha_g1, &beta_g2) {
                return Err(VerifyError::malformed(
                    "vk_alphabeta_12",
                    "does not equal e(vk_alpha_1, vk_beta_2)",
                ));
            }
        }
        let vk = ark_groth16::VerifyingKey { alpha_g1, beta_g2, gamma_g2, delta_g2, gamma_abc_g1 };
        VerifyingKey::from_ark(vk, setup)
    }
}

/// snarkjs' `verification_key.json` for `vk` (with `vk_alphabeta_12`, and
/// `psephos_setup` for a development key).
pub fn write_verifying_key(vk: &VerifyingKey) -> String {
    to_json(&VerifyingKeyJson::from(vk))
}

/// Reads snarkjs' `verification_key.json` (see the module docs for the rules).
/// The key is validated but not yet accepted: call
/// [`VerifyingKey::prepare`] with a [`VkPolicy`](crate::VkPolicy).
pub fn read_verifying_key(json: impl AsRef<[u8]>) -> Result<VerifyingKey, VerifyError> {
    let j: VerifyingKeyJson = parse(json.as_ref(), "verifying key JSON", MAX_PUBLIC_INPUTS + 1)?;
    VerifyingKey::try_from(&j)
}

// ---------------------------------------------------------------------------
// Public signals

/// snarkjs' `public.json`: an array of decimal strings.
pub fn write_public_signals(inputs: &[Fr]) -> String {
    to_json(&inputs.iter().map(to_decimal).collect::<Vec<_>>())
}

/// Reads snarkjs' `public.json`: an array of at most [`MAX_PUBLIC_INPUTS`]
/// canonical decimal strings, each `< r`.
pub fn read_public_signals(json: impl AsRef<[u8]>) -> Result<Vec<Fr>, VerifyError> {
    let Bounded::<String, MAX_PUBLIC_INPUTS>(signals) =
        parse(json.as_ref(), "public signals JSON", MAX_PUBLIC_INPUTS)?;
    public_inputs_from_decimal(&signals)
}

// ---------------------------------------------------------------------------
// Helpers

fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).expect("these JSON values contain only strings, numbers and arrays")
}

/// The marker of a bounded array that grew past its limit, recognised by [`parse`].
const LIMIT_MARKER: &str = "psephos-snark: array length limit exceeded";

/// Parses a JSON document of at most [`MAX_JSON_BYTES`]; `array_limit` is the
/// bound of the document's [`Bounded`] array, reported if it is exceeded.
fn parse<'a, T: Deserialize<'a>>(
    json: &'a [u8],
    what: &'static str,
    array_limit: usize,
) -> Result<T, VerifyError> {
    if json.len() > MAX_JSON_BYTES {
        return Err(VerifyError::LimitExceeded { what, limit: MAX_JSON_BYTES });
    }
    serde_json::from_slice(json).map_err(|e| {
        let message = e.to_string();
        if message.contains(LIMIT_MARKER) {
            VerifyError::LimitExceeded { what, limit: array_limit }
        } else {
            VerifyError::malformed(what, message)
        }
    })
}

/// A JSON array of at most `MAX` elements; the limit is enforced while parsing.
struct Bounded<T, const MAX: usize>(Vec<T>);

impl<'de, T: Deserialize<'de>, const MAX: usize> Deserialize<'de> for Bounded<T, MAX> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T, const MAX: usize>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>, const MAX: usize> Visitor<'de> for V<T, MAX> {
            type Value = Bounded<T, MAX>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "an array of at most {MAX} elements")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(x) = seq.next_element()? {
                    if out.len() == MAX {
                        return Err(de::Error::custom(LIMIT_MARKER));
                    }
                    out.push(x);
                }
                Ok(Bounded(out))
            }
        }
        d.deserialize_seq(V::<T, MAX>(PhantomData))
    }
}

fn deserialize_ic<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<[String; 3]>, D::Error> {
    Bounded::<[String; 3], { MAX_PUBLIC_INPUTS + 1 }>::deserialize(d).map(|b| b.0)
}

fn check_protocol_and_curve(protocol: &str, curve: &str) -> Result<(), VerifyError> {
    if protocol != PROTOCOL {
        return Err(VerifyError::malformed("protocol", "must be \"groth16\""));
    }
    if curve != CURVE {
        return Err(VerifyError::malformed("curve", "must be \"bn128\" (\"bn254\" is not accepted)"));
    }
    Ok(())
}

fn fq(s: &str, what: &'static str) -> Result<Fq, VerifyError> {
    Ok(decimal_to_field::<Fq>(s, what)?)
}

fn fq2(pair: &[String; 2], what: &'static str) -> Result<Fq2, VerifyError> {
    Ok(Fq2::new(fq(&pair[0], what)?, fq(&pair[1], what)?))
}

fn g1_from_json(p: &[String; 3], what: &'static str) -> Result<G1Affine, VerifyError> {
    match p[2].as_str() {
        "1" => {}
        "0" => return Err(VerifyError::IdentityPoint { what }),
        _ => return Err(VerifyError::malformed(what, "projective z must be \"1\"")),
    }
    g1_from_xy(fq(&p[0], what)?, fq(&p[1], what)?, what)
}

fn g2_from_json(p: &[[String; 2]; 3], what: &'static str) -> Result<G2Affine, VerifyError> {
    match (p[2][0].as_str(), p[2][1].as_str()) {
        ("1", "0") => {}
        ("0", "0") => return Err(VerifyError::IdentityPoint { what }),
        _ => return Err(VerifyError::malformed(what, "projective z must be [\"1\", \"0\"]")),
    }
    g2_from_xy(fq2(&p[0], what)?, fq2(&p[1], what)?, what)
}

fn g1_to_json(p: &G1Affine) -> [String; 3] {
    [to_decimal(&p.x), to_decimal(&p.y), "1".to_owned()]
}

fn fq2_to_json(x: &Fq2) -> [String; 2] {
    [to_decimal(&x.c0), to_decimal(&x.c1)]
}

fn g2_to_json(p: &G2Affine) -> [[String; 2]; 3] {
    [fq2_to_json(&p.x), fq2_to_json(&p.y), ["1".to_owned(), "0".to_owned()]]
}

/// `e(α₁, β₂)`; both points are validated non-identity points, so the final
/// exponentiation is defined (`None` would be a bug; it maps to the identity,
/// which no check then matches).
fn alpha_beta(alpha: &G1Affine, beta: &G2Affine) -> Fq12 {
    Bn254::final_exponentiation(Bn254::multi_miller_loop([*alpha], [*beta]))
        .map(|out| out.0)
        .unwrap_or_default()
}

fn fq12_to_json(x: &Fq12) -> [[[String; 2]; 3]; 2] {
    [
        [fq2_to_json(&x.c0.c0), fq2_to_json(&x.c0.c1), fq2_to_json(&x.c0.c2)],
        [fq2_to_json(&x.c1.c0), fq2_to_json(&x.c1.c1), fq2_to_json(&x.c1.c2)],
    ]
}

fn fq12_from_json(j: &[[[String; 2]; 3]; 2]) -> Result<Fq12, VerifyError> {
    const W: &str = "vk_alphabeta_12";
    let fq6 = |k: &[[String; 2]; 3]| -> Result<ark_bn254::Fq6, VerifyError> {
        Ok(ark_bn254::Fq6::new(fq2(&k[0], W)?, fq2(&k[1], W)?, fq2(&k[2], W)?))
    };
    Ok(Fq12::new(fq6(&j[0])?, fq6(&j[1])?))
}
