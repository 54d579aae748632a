//! Nullifiers: one action per identity per scope (docs/spec/identity.md §5).
//!
//! `nullifier = Poseidon(scope, secret)` where `scope` is already a field element
//! (Semaphore's `hash(scope)` of the poll id) and `secret` is the identity's
//! secret scalar. The same identity gets the same nullifier within a scope and
//! unlinkable ones across scopes.

use psephos_primitives::{field, poseidon, Fr};

use crate::Identity;

/// A nullifier.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Nullifier(pub Fr);

impl Nullifier {
    /// `Poseidon(scope, secret)`.
    pub fn derive(identity: &Identity, scope: Fr) -> Self {
        Nullifier(poseidon::hash2(scope, identity.secret_scalar().to_field()))
    }

    /// The nullifier as a field element.
    pub fn to_field(&self) -> Fr {
        self.0
    }
}

impl std::fmt::Debug for Nullifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Nullifier({})", field::to_decimal(&self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_scope_same_nullifier_other_scope_other() {
        let id = Identity::from_text("voter");
        let a = Nullifier::derive(&id, Fr::from(1u64));
        assert_eq!(a, Nullifier::derive(&Identity::from_text("voter"), Fr::from(1u64)));
        assert_ne!(a, Nullifier::derive(&id, Fr::from(2u64)));
        assert_ne!(a, Nullifier::derive(&Identity::from_text("other"), Fr::from(1u64)));
    }
}
