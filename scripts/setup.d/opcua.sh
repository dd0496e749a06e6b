#!/usr/bin/env bash
# node-opcua for the tests of adapters/opcua: installs node-opcua 2.182.2 (the last release that
# runs on Node 20) from adapters/opcua/testdata/server/package-lock.json into that directory's
# node_modules (not committed). The tests start adapters/opcua/testdata/server/server.js themselves,
# on ports of their own. Without Node the tests skip, saying so; CI has Node. Idempotent, and quick
# when the pinned version is installed.
set -euo pipefail
cd "$(dirname "$0")/../../adapters/opcua/testdata/server"

want=2.182.2
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "opcua: node/npm not found; the OPC-UA tests against node-opcua will skip" >&2
  exit 0
fi
have=$(node -e 'try { console.log(require("node-opcua/package.json").version) } catch { console.log("none") }')
if [ "$have" = "$want" ]; then
  echo "opcua: node-opcua $have installed ($(node --version))"
  exit 0
fi
echo "opcua: installing node-opcua $want (found: $have)"
npm ci --no-audit --no-fund --loglevel=error
node -e 'console.log("opcua: node-opcua " + require("node-opcua/package.json").version + " installed")'
