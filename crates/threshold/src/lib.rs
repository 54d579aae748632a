//! Shamir sharing, Lagrange interpolation and a Feldman/Pedersen DKG for psephos trustees and registrars.
