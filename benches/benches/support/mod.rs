//! Shared by the bench files that build an election record (`tally.rs`, `audit.rs`).

use std::path::Path;

use psephos_ballot::{ElectionPublicKey, Manifest, RevotePolicy};
use psephos_election::record::{self, files};
use psephos_identity::Group;
use psephos_primitives::Fr;
use psephos_snark::{json, VerifyingKey};
use psephos_tally::{local_dkg::LocalDkg, DecryptionShare};

/// The manifest of a bench election (poll id 5, budget 64, reject re-votes, one
/// option per DKG key) under the DKG's keys and `vk`, and the record's first files: manifest, verifying key,
/// roll (`members`, whose group is `group`) and DKG transcript.
pub fn start_record(
    dir: &Path,
    name: &str,
    bound: u64,
    group: &Group,
    members: &[Fr],
    dkg: &LocalDkg,
    vk: &VerifyingKey,
) -> Manifest {
    let manifest = Manifest {
        poll_name: name.into(),
        poll_id: Fr::from(5u64),
        options: dkg.public.public_keys.len(),
        budget: 64,
        bound,
        max_depth: group.depth().max(1),
        accepted_roots: vec![group.root()],
        election_key: ElectionPublicKey::new(dkg.public.public_keys.clone()).expect("keys"),
        verifying_key_id: vk.id().to_hex(),
        revote_policy: RevotePolicy::Reject,
    };
    let write = |name: &str, bytes: &[u8]| record::write_atomic(dir, name, bytes).expect("write");
    write(files::MANIFEST, manifest.to_json().as_bytes());
    write(files::BALLOT_VK, json::write_verifying_key(vk).as_bytes());
    write(files::ENROLLMENT, record::enrollment_text(members).as_bytes());
    write(files::DKG_TRANSCRIPT, dkg.transcript.to_json().as_bytes());
    manifest
}

/// The end of a bench record: the trustees `trustees` (1-based) each publish a
/// decryption share of the counted ballots, and the tally is combined and written.
pub fn finish_record(
    dir: &Path,
    dkg: &LocalDkg,
    trustees: &[usize],
    rng: &mut (impl rand_core::RngCore + rand_core::CryptoRng),
) {
    let shares = trustees
        .iter()
        .map(|&i| {
            let s = record::trustee_decrypt(dir, &dkg.shares[i - 1], rng).expect("share");
            DecryptionShare::from_json(s.to_json().as_bytes()).expect("json")
        })
        .collect();
    record::publish_tally(dir, shares, rng).map_err(|e| format!("{e:?}")).expect("publish");
}
