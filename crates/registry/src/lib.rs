//! Pluralistic registrars for psephos: Ristretto255 attestations, group policy, enrollment log and threshold-OPRF dedup.
