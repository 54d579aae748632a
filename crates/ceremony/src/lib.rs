//! Verifiable multi-party Groth16 trusted setup for psephos, interoperable with snarkjs (ptau, r1cs, zkey).
