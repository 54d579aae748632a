//! The Groth16 verifying key `(α₁, β₂, γ₂, δ₂, IC)`, its id, the key policy and the
//! prepared form the verifier uses (docs/snark.md §"Verifying keys").
//!
//! A [`VerifyingKey`] is validated on construction: every point on its curve, in
//! the subgroup of order `r`, not the identity, and `1 ≤ IC.len() ≤
//! MAX_PUBLIC_INPUTS + 1`. Whether it is *acceptable* is a policy question,
//! answered once by [`VerifyingKey::prepare`]: only a [`PreparedVerifyingKey`] can
//! verify, and one exists only if the [`VkPolicy`] accepted the key.

use std::fmt;

use ark_bn254::{Bn254, G1Affine, G2Affine};
use ark_ec::{pairing::Pairing, AffineRepr, CurveGroup};
use ark_serialize::CanonicalSerialize;
use blake2::{digest::consts::U32, Blake2b, Digest};

use crate::point::{
    check_g1, check_g2, g1_from_compressed, g2_from_compressed, G1_COMPRESSED_LEN, G2_COMPRESSED_LEN,
};
use crate::{labels, SetupKind, VerifyError, MAX_PUBLIC_INPUTS};

/// The version byte of the compact verifying-key encoding.
pub const VK_VERSION: u8 = 0x01;

/// Setup tag in [`VerifyingKey::to_bytes`]: [`SetupKind::Ceremony`].
const TAG_CEREMONY: u8 = 0x00;
/// Setup tag in [`VerifyingKey::to_bytes`]: [`SetupKind::InsecureDevelopment`].
const TAG_DEVELOPMENT: u8 = 0x01;
/// `version || tag || seed_label`.
const HEADER_LEN: usize = 1 + 1 + 8;
/// `α₁ || β₂ || γ₂ || δ₂`.
const FIXED_POINTS_LEN: usize = G1_COMPRESSED_LEN + 3 * G2_COMPRESSED_LEN;

/// A verifying-key id: `BLAKE2b-256(labels::VK_ID || compressed VK)`, where the
/// compressed VK is arkworks' `serialize_compressed` of the key (the bytes of
/// [`VerifyingKey::to_bytes`] after its 10-byte header). It depends only on the
/// key's points, not on its [`SetupKind`], and is written as 64 lowercase hex digits.
///
/// Pin it ([`VkPolicy::pinned`]) for every (circuit, depth, version) a verifier
/// accepts: a proof checked against another circuit's key is then a
/// [`VkMismatch`](VerifyError::VkMismatch) rather than a silent acceptance.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VkId([u8; 32]);

impl VkId {
    /// The 32 digest bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// 64 lowercase hex digits.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// Parses exactly 64 lowercase hex digits (no prefix); anything else is
    /// `Malformed`.
    pub fn from_hex(s: &str) -> Result<Self, VerifyError> {
        if s.len() != 64 || !s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            return Err(VerifyError::malformed("verifying key id", "expected 64 lowercase hex digits"));
        }
        let mut out = [0u8; 32];
        hex::decode_to_slice(s, &mut out)
            .map_err(|_| VerifyError::malformed("verifying key id", "expected 64 lowercase hex digits"))?;
        Ok(Self(out))
    }
}

impl fmt::Display for VkId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for VkId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VkId({})", self.to_hex())
    }
}

/// Which verifying keys a verifier accepts. There is no `Default`: every caller
/// states its choice.
///
/// | policy | γ₂ = ±δ₂ or δ₂ = ±G₂ | [`SetupKind::InsecureDevelopment`] | pinned id differs |
/// | --- | --- | --- | --- |
/// | [`production`](Self::production) | `InsecureVk` | `InsecureVk` | — |
/// | [`pinned`](Self::pinned) | `InsecureVk` | `InsecureVk` | `VkMismatch` |
/// | [`development`](Self::development) | accepted | accepted | — |
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VkPolicy {
    allow_insecure: bool,
    pinned_id: Option<VkId>,
}

impl VkPolicy {
    /// Refuses forgeable keys ([`VerifyingKey::check_secure`]) and keys made by
    /// [`dev_setup`](crate::setup::dev_setup). Use this, with a pin, in production.
    pub const fn production() -> Self {
        Self { allow_insecure: false, pinned_id: None }
    }

    /// [`production`](Self::production), and the key's id must equal `id`.
    pub const fn pinned(id: VkId) -> Self {
        Self { allow_insecure: false, pinned_id: Some(id) }
    }

    /// **Development only**: accepts insecure and development keys. Whoever knows a
    /// development seed, or the trapdoor of a key without a phase-2 contribution,
    /// can forge proofs for it.
    pub const fn development() -> Self {
        Self { allow_insecure: true, pinned_id: None }
    }

    /// This policy with a pinned id added (or replaced).
    pub const fn with_pin(self, id: VkId) -> Self {
        Self { allow_insecure: self.allow_insecure, pinned_id: Some(id) }
    }

    /// Whether insecure and development keys are accepted.
    pub const fn allows_insecure(&self) -> bool {
        self.allow_insecure
    }

    /// The pinned id, if any.
    pub const fn pinned_id(&self) -> Option<VkId> {
        self.pinned_id
    }
}

/// A validated Groth16 verifying key over BN254, with its provenance.
///
/// Fields (arkworks names): `alpha_g1` = α·G₁, `beta_g2` = β·G₂, `gamma_g2` = γ·G₂,
/// `delta_g2` = δ·G₂, `gamma_abc_g1` = `IC`, where `IC[0]` belongs to the constant
/// 1 and `IC[i]` to public input `i`.
#[derive(Clone, Debug, PartialEq)]
pub struct VerifyingKey {
    inner: ark_groth16::VerifyingKey<Bn254>,
    setup: SetupKind,
}

impl VerifyingKey {
    /// Validates an arkworks verifying key and records its provenance.
    ///
    /// Refuses: any point off its curve, outside the `r`-subgroup or the identity
    /// (an identity `IC[i]` would leave input `i` unbound); an empty `IC`
    /// (`Malformed`); more than [`MAX_PUBLIC_INPUTS`] inputs (`LimitExceeded`).
    pub fn from_ark(vk: ark_groth16::VerifyingKey<Bn254>, setup: SetupKind) -> Result<Self, VerifyError> {
        check_g1(&vk.alpha_g1, "vk_alpha_1")?;
        check_g2(&vk.beta_g2, "vk_beta_2")?;
        check_g2(&vk.gamma_g2, "vk_gamma_2")?;
        check_g2(&vk.delta_g2, "vk_delta_2")?;
        check_ic_len(vk.gamma_abc_g1.len())?;
        for p in &vk.gamma_abc_g1 {
            check_g1(p, "IC")?;
        }
        Ok(Self { inner: vk, setup })
    }

    /// The arkworks key.
    pub fn as_ark(&self) -> &ark_groth16::VerifyingKey<Bn254> {
        &self.inner
    }

    /// How the key was made.
    pub fn setup_kind(&self) -> &SetupKind {
        &self.setup
    }

    /// The number of public inputs, `IC.len() - 1` (snarkjs' `nPublic`).
    pub fn num_public_inputs(&self) -> usize {
        self.inner.gamma_abc_g1.len() - 1
    }

    /// `α₁`.
    pub fn alpha_g1(&self) -> &G1Affine {
        &self.inner.alpha_g1
    }

    /// `β₂`.
    pub fn beta_g2(&self) -> &G2Affine {
        &self.inner.beta_g2
    }

    /// `γ₂`.
    pub fn gamma_g2(&self) -> &G2Affine {
        &self.inner.gamma_g2
    }

    /// `δ₂`.
    pub fn delta_g2(&self) -> &G2Affine {
        &self.inner.delta_g2
    }

    /// `IC` (arkworks' `gamma_abc_g1`), `num_public_inputs() + 1` points.
    pub fn ic(&self) -> &[G1Affine] {
        &self.inner.gamma_abc_g1
    }

    /// arkworks' compressed serialization of the key (no psephos header).
    fn ark_compressed(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.inner.compressed_size());
        self.inner.serialize_compressed(&mut out).expect("serializing into a Vec cannot fail");
        out
    }

    /// The key's id (see [`VkId`]).
    pub fn id(&self) -> VkId {
        let mut h = Blake2b::<U32>::new();
        h.update(labels::VK_ID);
        h.update(self.ark_compressed());
        VkId(h.finalize().into())
    }

    /// Refuses keys whose trapdoor is public, the state of a snarkjs key straight
    /// out of `zkey new` before any phase-2 contribution:
    ///
    /// - `γ₂ = δ₂` or `γ₂ = −δ₂` (snarkjs#620): then `e(PI, γ)·e(C, δ) = e(PI ± C, γ)`
    ///   and `A = α, B = β, C = ∓PI` verifies for *any* public inputs;
    /// - `δ₂ = ±G₂` (the generator): δ = ±1 is known to everyone, and snarkjs keys
    ///   have `γ₂ = G₂`, so this is the same forgery.
    ///
    /// arkworks' generator samples γ and δ (and even the generators) at random, so
    /// keys from [`dev_setup`](crate::setup::dev_setup) pass this check: they are
    /// refused by their [`SetupKind`] instead. A key that passes is not thereby
    /// proven secure — only a ceremony transcript can show that.
    pub fn check_secure(&self) -> Result<(), VerifyError> {
        let gamma = self.inner.gamma_g2;
        let delta = self.inner.delta_g2;
        let g2 = G2Affine::generator();
        if gamma == delta || gamma == -delta {
            return Err(VerifyError::InsecureVk {
                reason: "gamma_2 = ±delta_2 (no phase-2 contribution): proofs can be forged",
            });
        }
        if delta == g2 || delta == -g2 {
            return Err(VerifyError::InsecureVk {
                reason: "delta_2 = ±G2 generator (no phase-2 contribution): proofs can be forged",
            });
        }
        Ok(())
    }

    /// Applies `policy` and prepares the key for verification.
    ///
    /// In order: a pinned id that differs → [`VkMismatch`](VerifyError::VkMismatch);
    /// unless the policy allows insecure keys, [`check_secure`](Self::check_secure)
    /// and then a [`SetupKind::InsecureDevelopment`] key →
    /// [`InsecureVk`](VerifyError::InsecureVk).
    pub fn prepare(&self, policy: &VkPolicy) -> Result<PreparedVerifyingKey, VerifyError> {
        let id = self.id();
        if let Some(pinned) = policy.pinned_id {
            if pinned != id {
                return Err(VerifyError::VkMismatch { expected: pinned.to_hex(), got: id.to_hex() });
            }
        }
        if !policy.allow_insecure {
            self.check_secure()?;
            if let SetupKind::InsecureDevelopment { .. } = self.setup {
                return Err(VerifyError::InsecureVk {
                    reason:
                        "made by the insecure development setup (whoever knows the seed can forge proofs)",
                });
            }
        }
        PreparedVerifyingKey::new(self.clone(), id)
    }

    /// The compact encoding:
    ///
    /// ```text
    /// 0x01                       version
    /// tag (1)                    0x00 = Ceremony, 0x01 = InsecureDevelopment
    /// seed_label (8)             all zero for Ceremony
    /// α₁ (32) β₂ (64) γ₂ (64) δ₂ (64)
    /// n + 1 (u64 little-endian)  IC length
    /// IC[0..=n] (32 each)
    /// ```
    ///
    /// Points are arkworks-compressed as in [`Proof::to_bytes`](crate::Proof::to_bytes).
    /// Everything after the 10-byte header is arkworks' `serialize_compressed` of
    /// the key, the input of [`id`](Self::id).
    pub fn to_bytes(&self) -> Vec<u8> {
        let body = self.ark_compressed();
        let mut out = Vec::with_capacity(HEADER_LEN + body.len());
        out.push(VK_VERSION);
        match &self.setup {
            SetupKind::Ceremony => {
                out.push(TAG_CEREMONY);
                out.extend_from_slice(&[0u8; 8]);
            }
            SetupKind::InsecureDevelopment { seed_label } => {
                out.push(TAG_DEVELOPMENT);
                out.extend_from_slice(seed_label);
            }
        }
        out.extend_from_slice(&body);
        out
    }

    /// Decodes [`to_bytes`](Self::to_bytes)' form.
    ///
    /// Refuses: an empty input or unknown version, an unknown setup tag, a
    /// truncated input, trailing bytes, `IC` length 0 or not matching the bytes
    /// (`Malformed`); a non-zero label with the Ceremony tag (`NonCanonical`); more
    /// than [`MAX_PUBLIC_INPUTS`] inputs (`LimitExceeded`, before allocating); and
    /// every point error of [`Proof::from_bytes`](crate::Proof::from_bytes).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, VerifyError> {
        const WHAT: &str = "verifying key";
        let Some(&version) = bytes.first() else {
            return Err(VerifyError::malformed(WHAT, "empty input"));
        };
        if version != VK_VERSION {
            return Err(VerifyError::malformed(WHAT, format!("unknown version byte 0x{version:02x}")));
        }
        let fixed_end = HEADER_LEN + FIXED_POINTS_LEN + 8;
        if bytes.len() < fixed_end {
            return Err(VerifyError::malformed(WHAT, "truncated"));
        }
        let mut seed_label = [0u8; 8];
        seed_label.copy_from_slice(&bytes[2..HEADER_LEN]);
        let setup = match bytes[1] {
            TAG_CEREMONY if seed_label == [0u8; 8] => SetupKind::Ceremony,
            TAG_CEREMONY => return Err(VerifyError::NonCanonical { what: "verifying key seed label" }),
            TAG_DEVELOPMENT => SetupKind::InsecureDevelopment { seed_label },
            tag => return Err(VerifyError::malformed(WHAT, format!("unknown setup tag 0x{tag:02x}"))),
        };
        let mut at = HEADER_LEN;
        let alpha_g1 = g1_from_compressed(&bytes[at..at + G1_COMPRESSED_LEN], "vk_alpha_1")?;
        at += G1_COMPRESSED_LEN;
        let beta_g2 = g2_from_compressed(&bytes[at..at + G2_COMPRESSED_LEN], "vk_beta_2")?;
        at += G2_COMPRESSED_LEN;
        let gamma_g2 = g2_from_compressed(&bytes[at..at + G2_COMPRESSED_LEN], "vk_gamma_2")?;
        at += G2_COMPRESSED_LEN;
        let delta_g2 = g2_from_compressed(&bytes[at..at + G2_COMPRESSED_LEN], "vk_delta_2")?;
        at += G2_COMPRESSED_LEN;
        let mut len_bytes = [0u8; 8];
        len_bytes.copy_from_slice(&bytes[at..at + 8]);
        at += 8;
        let ic_len = u64::from_le_bytes(len_bytes);
        let ic_len = usize::try_from(ic_len)
            .ok()
            .filter(|&n| n <= MAX_PUBLIC_INPUTS + 1)
            .ok_or(VerifyError::LimitExceeded { what: "IC", limit: MAX_PUBLIC_INPUTS + 1 })?;
        check_ic_len(ic_len)?;
        let rest = &bytes[at..];
        if rest.len() != ic_len * G1_COMPRESSED_LEN {
            return Err(VerifyError::malformed(
                WHAT,
                format!(
                    "IC has {ic_len} points, which take {} bytes, but {} remain",
                    ic_len * 32,
                    rest.len()
                ),
            ));
        }
        let gamma_abc_g1 = rest
            .chunks_exact(G1_COMPRESSED_LEN)
            .map(|chunk| g1_from_compressed(chunk, "IC"))
            .collect::<Result<Vec<_>, _>>()?;
        let vk = ark_groth16::VerifyingKey { alpha_g1, beta_g2, gamma_g2, delta_g2, gamma_abc_g1 };
        Ok(Self { inner: vk, setup })
    }
}

/// `1 ≤ IC.len() ≤ MAX_PUBLIC_INPUTS + 1`.
pub(crate) fn check_ic_len(len: usize) -> Result<(), VerifyError> {
    if len == 0 {
        return Err(VerifyError::malformed("IC", "IC must contain at least IC[0]"));
    }
    if len > MAX_PUBLIC_INPUTS + 1 {
        return Err(VerifyError::LimitExceeded { what: "IC", limit: MAX_PUBLIC_INPUTS + 1 });
    }
    Ok(())
}

/// A verifying key accepted by a [`VkPolicy`], with the pairing values the verifier
/// needs precomputed (`e(α₁, β₂)`, `−γ₂`, `−δ₂`). Made only by
/// [`VerifyingKey::prepare`].
#[derive(Clone)]
pub struct PreparedVerifyingKey {
    vk: VerifyingKey,
    id: VkId,
    pub(crate) inner: ark_groth16::PreparedVerifyingKey<Bn254>,
}

impl fmt::Debug for PreparedVerifyingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PreparedVerifyingKey")
            .field("id", &self.id)
            .field("setup", self.vk.setup_kind())
            .field("num_public_inputs", &self.num_public_inputs())
            .finish_non_exhaustive()
    }
}

impl PreparedVerifyingKey {
    /// Precomputes the pairing data. `vk` is already validated, so `e(α₁, β₂)` is
    /// a non-degenerate pairing of non-identity points; the `None` branch of the
    /// final exponentiation cannot happen and is still an error, not a panic.
    pub(crate) fn new(vk: VerifyingKey, id: VkId) -> Result<Self, VerifyError> {
        let a = &vk.inner;
        let alpha_beta = Bn254::final_exponentiation(Bn254::multi_miller_loop([a.alpha_g1], [a.beta_g2]))
            .ok_or(VerifyError::malformed("verifying key", "e(alpha, beta) is degenerate"))?;
        let inner = ark_groth16::PreparedVerifyingKey {
            vk: a.clone(),
            alpha_g1_beta_g2: alpha_beta.0,
            gamma_g2_neg_pc: (-a.gamma_g2.into_group()).into_affine().into(),
            delta_g2_neg_pc: (-a.delta_g2.into_group()).into_affine().into(),
        };
        Ok(Self { vk, id, inner })
    }

    /// The key itself.
    pub fn verifying_key(&self) -> &VerifyingKey {
        &self.vk
    }

    /// The key's id.
    pub fn id(&self) -> VkId {
        self.id
    }

    /// The number of public inputs a proof must come with.
    pub fn num_public_inputs(&self) -> usize {
        self.vk.num_public_inputs()
    }

    /// `e(α₁, β₂)`, computed once here.
    pub(crate) fn alpha_beta(&self) -> &ark_bn254::Fq12 {
        &self.inner.alpha_g1_beta_g2
    }
}
