#!/usr/bin/env bash
# Regenerates the JSON test vectors in test-vectors/ from the pinned JavaScript
# reference implementations. Works from a clean clone (needs node >= 20.6 and npm).
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --loglevel=error
node generate.mjs
