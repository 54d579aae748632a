//! Semaphore groups: a LeanIMT of identity commitments with Semaphore's member
//! rules (docs/spec/identity.md §2).
//!
//! - a member is never 0 (0 marks a removed member) and is a canonical field
//!   element (guaranteed by the `Fr` type: decoders reject values `≥ r`);
//! - removing a member sets its leaf to 0 and keeps the size;
//! - a removed member cannot be updated or removed again;
//! - a commitment is a member at most once (as the Semaphore contract requires);
//! - the root of an empty group is 0.

use std::collections::HashMap;

use psephos_primitives::Fr;

use crate::{IdentityError, LeanImt, MerkleProof};

/// A Semaphore group.
#[derive(Clone, Debug, Default)]
pub struct Group {
    tree: LeanImt,
    /// Position of each live member (not serialized; rebuilt from the leaves).
    positions: HashMap<Fr, u64>,
}

impl Group {
    /// An empty group.
    pub fn new() -> Self {
        Group { tree: LeanImt::new(), positions: HashMap::new() }
    }

    /// A group with these members (bulk insert).
    pub fn from_members(members: &[Fr]) -> Result<Self, IdentityError> {
        let mut g = Self::new();
        g.add_members(members)?;
        Ok(g)
    }

    /// Adds one member.
    pub fn add_member(&mut self, member: Fr) -> Result<(), IdentityError> {
        if member == Fr::from(0u64) {
            return Err(IdentityError::ZeroMember);
        }
        if self.positions.contains_key(&member) {
            return Err(IdentityError::DuplicateMember);
        }
        self.tree.insert(member)?;
        self.positions.insert(member, self.size() - 1);
        Ok(())
    }

    /// Adds many members; nothing is added if any is 0.
    pub fn add_members(&mut self, members: &[Fr]) -> Result<(), IdentityError> {
        if members.iter().any(|m| *m == Fr::from(0u64)) {
            return Err(IdentityError::ZeroMember);
        }
        let start = self.size();
        let mut fresh = HashMap::with_capacity(members.len());
        for (i, m) in members.iter().enumerate() {
            if self.positions.contains_key(m) || fresh.insert(*m, start + i as u64).is_some() {
                return Err(IdentityError::DuplicateMember);
            }
        }
        self.tree.insert_many(members)?;
        self.positions.extend(fresh);
        Ok(())
    }

    fn live(&self, index: u64) -> Result<Fr, IdentityError> {
        match self.tree.leaf(index) {
            None => Err(IdentityError::IndexOutOfRange { index, size: self.size() }),
            Some(l) if l == Fr::from(0u64) => Err(IdentityError::RemovedMember(index)),
            Some(l) => Ok(l),
        }
    }

    /// Replaces the member at `index` by a new non-zero commitment.
    pub fn update_member(&mut self, index: u64, member: Fr) -> Result<(), IdentityError> {
        if member == Fr::from(0u64) {
            return Err(IdentityError::ZeroMember);
        }
        let old = self.live(index)?;
        if self.positions.contains_key(&member) {
            return Err(IdentityError::DuplicateMember);
        }
        self.tree.update(index, member)?;
        self.positions.remove(&old);
        self.positions.insert(member, index);
        Ok(())
    }

    /// Removes the member at `index` (its leaf becomes 0).
    pub fn remove_member(&mut self, index: u64) -> Result<(), IdentityError> {
        let old = self.live(index)?;
        self.tree.remove(index)?;
        self.positions.remove(&old);
        Ok(())
    }

    /// The root; 0 for an empty group.
    pub fn root(&self) -> Fr {
        self.tree.root().unwrap_or(Fr::from(0u64))
    }

    /// The tree depth.
    pub fn depth(&self) -> usize {
        self.tree.depth()
    }

    /// The number of leaves, removed members included.
    pub fn size(&self) -> u64 {
        self.tree.size()
    }

    /// The members (0 for removed ones).
    pub fn members(&self) -> &[Fr] {
        self.tree.leaves()
    }

    /// The index of a member.
    pub fn index_of(&self, member: &Fr) -> Option<u64> {
        self.positions.get(member).copied()
    }

    /// The Merkle proof of the member at `index`.
    pub fn generate_proof(&self, index: u64) -> Result<MerkleProof, IdentityError> {
        self.tree.generate_proof(index)
    }

    /// The underlying tree.
    pub fn tree(&self) -> &LeanImt {
        &self.tree
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_rules() {
        let mut g = Group::new();
        assert_eq!(g.root(), Fr::from(0u64));
        assert_eq!(g.add_member(Fr::from(0u64)), Err(IdentityError::ZeroMember));
        assert_eq!(g.add_members(&[Fr::from(1u64), Fr::from(0u64)]), Err(IdentityError::ZeroMember));
        assert_eq!(g.size(), 0);
        g.add_members(&[Fr::from(1u64), Fr::from(2u64), Fr::from(3u64)]).unwrap();
        g.remove_member(1).unwrap();
        assert_eq!(g.members()[1], Fr::from(0u64));
        assert_eq!(g.update_member(1, Fr::from(5u64)), Err(IdentityError::RemovedMember(1)));
        assert_eq!(g.remove_member(1), Err(IdentityError::RemovedMember(1)));
        assert!(matches!(g.remove_member(3), Err(IdentityError::IndexOutOfRange { .. })));
        assert_eq!(g.size(), 3);
    }
}
