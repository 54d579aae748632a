//! The on-disk proving key: `proving_key.bin` (docs/cli.md §Keys).
//!
//! Layout: the 16-byte magic `psephos/pk/v1\0\0\0`, one setup-kind byte (`0` =
//! ceremony, `1` = insecure development followed by its 8-byte seed label), then
//! arkworks' compressed serialization of the Groth16 proving key. Loading validates
//! every point (curve and subgroup) and refuses trailing bytes.

use ark_serialize::{CanonicalDeserialize, CanonicalSerialize, Compress, Validate};
use psephos_snark::{ProvingKey, SetupKind, VerifyError, VkPolicy};

/// The file magic, including the format version.
pub const MAGIC: &[u8; 16] = b"psephos/pk/v1\0\0\0";

/// Largest proving-key file accepted (refused before reading it whole).
pub const MAX_PROVING_KEY_BYTES: u64 = 512 << 20;

/// Encodes a proving key.
pub fn encode(pk: &ProvingKey) -> Result<Vec<u8>, String> {
    let mut out = MAGIC.to_vec();
    match pk.setup_kind() {
        SetupKind::Ceremony => out.push(0),
        SetupKind::InsecureDevelopment { seed_label } => {
            out.push(1);
            out.extend_from_slice(seed_label);
        }
    }
    pk.as_ark()
        .serialize_with_mode(&mut out, Compress::Yes)
        .map_err(|e| format!("cannot serialize the proving key: {e}"))?;
    Ok(out)
}

/// Decodes and validates a proving key.
pub fn decode(bytes: &[u8]) -> Result<ProvingKey, String> {
    let rest =
        bytes.strip_prefix(MAGIC.as_slice()).ok_or("not a psephos proving key (bad magic or version)")?;
    let (kind, mut body) = match rest.split_first() {
        Some((0, body)) => (SetupKind::Ceremony, body),
        Some((1, body)) if body.len() >= 8 => {
            let mut seed_label = [0u8; 8];
            seed_label.copy_from_slice(&body[..8]);
            (SetupKind::InsecureDevelopment { seed_label }, &body[8..])
        }
        _ => return Err("malformed proving key: unknown setup kind".into()),
    };
    let ark = ark_groth16::ProvingKey::<ark_bn254::Bn254>::deserialize_with_mode(
        &mut body,
        Compress::Yes,
        Validate::Yes,
    )
    .map_err(|e| format!("malformed proving key: {e}"))?;
    if !body.is_empty() {
        return Err("malformed proving key: trailing bytes".into());
    }
    ProvingKey::from_ark(ark, kind).map_err(|e| format!("invalid proving key: {e}"))
}

/// The flag that lets the CLI prove and verify with development (insecure) keys.
/// `--dev` is kept as a hidden alias.
pub const DEV_FLAG: &str = "--insecure-dev-setup";

/// Refuses a development proving key unless `allow` (exit 1, naming [`DEV_FLAG`]).
pub fn check_proving_key(pk: &ProvingKey, allow: bool, what: &str) -> Result<(), crate::Failure> {
    if pk.setup_kind().is_insecure_development() {
        if !allow {
            return Err(crate::Failure::Check(format!(
                "{what} was made by the insecure development setup (whoever knows its seed can forge \
                 proofs); pass {DEV_FLAG} to use it anyway"
            )));
        }
        eprintln!("psephos: warning: INSECURE development proving key ({what}), accepted by {DEV_FLAG}");
    }
    Ok(())
}

/// The verifying-key policy of a command: production unless `allow`.
pub fn vk_policy(allow: bool) -> VkPolicy {
    if allow {
        VkPolicy::development()
    } else {
        VkPolicy::production()
    }
}

/// The failure for a key refused by [`VkPolicy`]: exit 1; an insecure key's reason
/// names [`DEV_FLAG`].
pub fn vk_refused(e: VerifyError) -> crate::Failure {
    match e {
        VerifyError::InsecureVk { .. } => {
            crate::Failure::Check(format!("{e} (pass {DEV_FLAG} to accept development keys)"))
        }
        other => crate::Failure::Check(other.to_string()),
    }
}
