#!/usr/bin/env bash
# Installs the JavaScript side of psephos' interoperability tests (snarkjs and the
# Semaphore v4 packages, exact versions from package-lock.json) into
# interop/node_modules. Idempotent: does nothing when node_modules already matches
# the lockfile. Needs node >= 18 and npm; reaches only the npm registry.
#
#     bash interop/setup.sh
set -euo pipefail
cd "$(dirname "$0")"

command -v node >/dev/null || { echo "interop/setup.sh: node is not installed (need node >= 18)" >&2; exit 1; }
command -v npm >/dev/null || { echo "interop/setup.sh: npm is not installed" >&2; exit 1; }

stamp=node_modules/.psephos-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -f node_modules/snarkjs/build/cli.cjs ]]; then
    echo "interop: node_modules up to date"
    exit 0
fi

npm ci --no-audit --no-fund
echo "$want" > "$stamp"
echo "interop: installed $(node -p 'require("./node_modules/snarkjs/package.json").version') snarkjs and the Semaphore v4 packages"
