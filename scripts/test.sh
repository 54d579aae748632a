#!/usr/bin/env bash
# The whole psephos test suite (README's second command; CI runs it from .ci/run).
#
# 1. installs the pinned JavaScript reference tools (npm registry only),
# 2. regenerates the committed known-answer vectors from the reference packages
#    (CI then fails on any `git diff`),
# 3. runs every Rust test, doctest and interop check.
set -euo pipefail
cd "$(dirname "$0")/.."
# A clean build gains nothing from incremental caches, and they doubled the size of target/.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"

echo "==> installing the JavaScript reference tools (pinned by package-lock.json)"
bash interop/setup.sh
echo "==> regenerating test vectors from the reference packages"
bash test-vectors/generator/regenerate.sh
node interop/make-proof-vectors.mjs
echo "==> regenerating the demo election record in test-vectors/records/demo (byte-identical for its seed)"
rm -rf test-vectors/records/demo
cargo run --quiet --profile test -p psephos-cli -- demo --voters 3 --options 2 --budget 6 --depth 3 \
    --trustees 2/3 --registrars 2/3 --seed psephos-test-vectors --out test-vectors/records/demo > /dev/null
echo "==> regenerating psephos' own protocol vectors (fixed seeds; regression pins)"
# (the test profile: arkworks generics are instantiated in our crates, and
#  `cargo test` below reuses the same build)
cargo run --quiet --profile test -p psephos-vectors --example generate
echo "==> cargo test"
cargo test --workspace --lib --bins --tests
cargo test --workspace --doc
echo "==> psephos vectors check test-vectors (the published vectors, through the CLI)"
cargo run --quiet --profile test -p psephos-cli -- vectors check test-vectors
