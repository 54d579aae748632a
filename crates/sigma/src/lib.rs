//! Sigma protocols for psephos over merlin transcripts: Schnorr and DLEQ, generic over Baby Jubjub and Ristretto255.
