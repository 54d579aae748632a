//! Criterion benches for psephos; see `benches/`.
