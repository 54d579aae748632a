//! Criterion benches for psephos live in `benches/benches/`; this library only
//! carries the README, so that its linking example is compiled and run as a doctest.
#![doc = include_str!("../../README.md")]
