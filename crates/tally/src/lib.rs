//! Homomorphic tally for psephos: aggregate, threshold decryption shares with DLEQ proofs, combination and result.
