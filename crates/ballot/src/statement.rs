//! The ballot statement: casting (prove) and checking (verify) a ballot against a
//! manifest (docs/spec/ballot.md §4, docs/circuits.md §Ballot).
//!
//! The public inputs are built from the manifest and the ballot — never taken from
//! the prover — in the hashed mode: `[merkle_root, nullifier, poll_id, budget,
//! bound, keys_digest, ciphertext_digest]`.

use psephos_circuits::babyjubjub::montgomery::is_exceptional_randomness;
/// The election keys' digest, computed once for many ballots' public inputs.
pub use psephos_circuits::ballot::KeysDigest;
use psephos_circuits::ballot::{
    vote_to_field, BallotCiphertext, BallotCircuit, BallotPrivate, BallotPublic, PublicInputMode,
};
use psephos_circuits::membership::MembershipPrivate;
use psephos_identity::{Group, Identity, Nullifier};
use psephos_primitives::{Fr, Scalar};
use psephos_snark::{json, prove, verify, PreparedVerifyingKey, ProvingKey};
use rand_core::{CryptoRng, RngCore};
use thiserror::Error;
use zeroize::Zeroizing;

use crate::{elgamal::random_nonzero_scalar, Ballot, Ciphertext, Manifest};

/// The public-input mode psephos ballots use (7 public inputs; docs/circuits.md).
pub const BALLOT_MODE: PublicInputMode = PublicInputMode::Hashed;

/// Why a ballot could not be cast. Nothing is produced in any of these cases.
#[derive(Debug, Error)]
pub enum CastError {
    /// A vote outside `[−V, V]`.
    #[error("vote {vote} for option {option} is outside [-{bound}, {bound}]")]
    VoteOutOfRange {
        /// The option (0-based).
        option: usize,
        /// The vote.
        vote: i64,
        /// The bound `V`.
        bound: u64,
    },
    /// `Σ v_i² > B`.
    #[error("the ballot costs {cost} voice credits, over the budget of {budget}")]
    OverBudget {
        /// `Σ v_i²`.
        cost: u128,
        /// `B`.
        budget: u64,
    },
    /// Wrong number of votes.
    #[error("expected {expected} votes, got {got}")]
    OptionCountMismatch {
        /// Options in the poll.
        expected: usize,
        /// Votes given.
        got: usize,
    },
    /// The identity is not in the group.
    #[error("the identity is not a member of the group")]
    NotAMember,
    /// The group's root is not accepted by the poll.
    #[error("the group's current root is not one of the poll's accepted roots")]
    UnknownRoot,
    /// The group is deeper than the circuit supports.
    #[error("the group needs depth {needed} but the circuit supports {max}")]
    TooDeep {
        /// Siblings in the Merkle proof.
        needed: usize,
        /// The circuit's maximum depth.
        max: usize,
    },
    /// The witness or proof could not be built.
    #[error("cannot prove: {0}")]
    Prove(String),
}

/// The quadratic cost `Σ v_i²`, after checking every `|v_i| ≤ V` (docs/spec/ballot.md §1).
pub fn check_votes(manifest: &Manifest, votes: &[i64]) -> Result<u128, CastError> {
    if votes.len() != manifest.options {
        return Err(CastError::OptionCountMismatch { expected: manifest.options, got: votes.len() });
    }
    let mut cost = 0u128;
    for (option, &vote) in votes.iter().enumerate() {
        if vote.unsigned_abs() > manifest.bound {
            return Err(CastError::VoteOutOfRange { option, vote, bound: manifest.bound });
        }
        cost += u128::from(vote.unsigned_abs()).pow(2);
    }
    if cost > u128::from(manifest.budget) {
        return Err(CastError::OverBudget { cost, budget: manifest.budget });
    }
    Ok(cost)
}

fn to_circuit_ciphertext(c: &Ciphertext) -> BallotCiphertext {
    BallotCiphertext { c1: c.c1, c2: c.c2.clone() }
}

/// The public statement of `ballot` under `manifest`.
pub fn ballot_public(manifest: &Manifest, ballot: &Ballot) -> BallotPublic {
    BallotPublic {
        merkle_root: ballot.merkle_root,
        nullifier: ballot.nullifier,
        poll_id: manifest.poll_id,
        budget: Fr::from(manifest.budget),
        bound: Fr::from(manifest.bound),
        keys: manifest.election_key.keys().to_vec(),
        ciphertext: to_circuit_ciphertext(&ballot.ciphertext),
    }
}

/// Casts a ballot: checks the votes natively, encrypts them with fresh randomness,
/// proves membership + encryption + range + budget, and returns the ballot.
pub fn cast(
    manifest: &Manifest,
    identity: &Identity,
    group: &Group,
    votes: &[i64],
    pk: &ProvingKey,
    rng: &mut (impl RngCore + CryptoRng),
) -> Result<Ballot, CastError> {
    check_votes(manifest, votes)?;
    let index = group.index_of(&identity.commitment()).ok_or(CastError::NotAMember)?;
    if !manifest.accepted_roots.contains(&group.root()) {
        return Err(CastError::UnknownRoot);
    }
    let merkle = group.generate_proof(index).map_err(|e| CastError::Prove(e.to_string()))?;
    if merkle.siblings.len() > manifest.max_depth {
        return Err(CastError::TooDeep { needed: merkle.siblings.len(), max: manifest.max_depth });
    }
    let rho = loop {
        let r = random_nonzero_scalar(rng);
        if !is_exceptional_randomness(&r) {
            break Zeroizing::new(r);
        }
    };
    let ciphertext = crate::elgamal::encrypt(&manifest.election_key, votes, &rho)
        .map_err(|e| CastError::Prove(e.to_string()))?;
    let ballot_without_proof = Ballot {
        poll_id: manifest.poll_id,
        merkle_root: merkle.root,
        nullifier: Nullifier::derive(identity, manifest.poll_id).to_field(),
        ciphertext,
        proof: serde_json::Value::Null,
    };
    let public = ballot_public(manifest, &ballot_without_proof);
    let mut siblings = merkle.siblings.clone();
    siblings.resize(manifest.max_depth, Fr::from(0u64));
    let private = BallotPrivate {
        membership: MembershipPrivate {
            secret: identity.secret_scalar().to_field(),
            proof_length: merkle.siblings.len(),
            index: Fr::from(merkle.index),
            siblings,
        },
        votes: votes.iter().map(|v| vote_to_field(*v)).collect(),
        randomness: scalar_to_fr(&rho),
    };
    let circuit = BallotCircuit::new(manifest.max_depth, manifest.options, BALLOT_MODE, &public, &private)
        .map_err(|e| CastError::Prove(e.to_string()))?;
    let inputs = public.to_vec(BALLOT_MODE).map_err(|e| CastError::Prove(e.to_string()))?;
    let proof = prove(pk, circuit, &inputs, rng).map_err(|e| CastError::Prove(e.to_string()))?;
    let proof_json: serde_json::Value =
        serde_json::from_str(&json::write_proof(&proof)).map_err(|e| CastError::Prove(e.to_string()))?;
    Ok(Ballot { proof: proof_json, ..ballot_without_proof })
}

fn scalar_to_fr(s: &Scalar) -> Fr {
    use ark_ff::PrimeField;
    let big: num_bigint::BigUint = s.into_bigint().into();
    Fr::from(big)
}

/// Verifies a ballot's proof under the manifest (public inputs recomputed here).
pub fn verify_ballot_proof(
    manifest: &Manifest,
    pvk: &PreparedVerifyingKey,
    ballot: &Ballot,
) -> Result<(), String> {
    if pvk.id().to_hex() != manifest.verifying_key_id {
        return Err("the verifying key is not the manifest's".into());
    }
    let inputs = ballot_public(manifest, ballot).to_vec(BALLOT_MODE).map_err(|e| e.to_string())?;
    let proof_text = serde_json::to_vec(&ballot.proof).map_err(|e| e.to_string())?;
    let proof = json::read_proof(proof_text).map_err(|e| e.to_string())?;
    verify(pvk, &inputs, &proof).map_err(|e| e.to_string())
}
