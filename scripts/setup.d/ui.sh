#!/usr/bin/env bash
# The web UI's tests: Debian's Chromium (never a browser downloaded by a test tool) and the UI's
# locked npm dependencies (ui/node_modules, not committed; playwright-core drives the system's
# Chromium). ui/e2e_test.go runs the end-to-end test in it against the real vigie binary and fails
# when any of this is missing. Idempotent, and quick when everything is there.
set -euo pipefail
cd "$(dirname "$0")/../../ui"

if [ ! -x /usr/bin/chromium ]; then
  echo "ui: installing Debian's chromium"
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
echo "ui: $(/usr/bin/chromium --version 2>/dev/null || echo 'chromium installed')"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "ui: node/npm not found: the UI's end-to-end test will fail (it needs Node.js 20.19+)" >&2
  exit 1
fi

# npm ci only when the lock file changed since the last install (a stamp in node_modules).
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f node_modules/.vigie-lock.sha256 ] && [ "$(cat node_modules/.vigie-lock.sha256)" = "$want" ]; then
  echo "ui: node_modules up to date"
else
  echo "ui: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > node_modules/.vigie-lock.sha256
fi
node -e 'console.log("ui: playwright-core " + require("playwright-core/package.json").version + ", axe-core " + require("axe-core/package.json").version)'

# CI checks that the committed build (ui/dist, embedded in the binary) is the build of the sources.
# Locally it is left to ui/check-build.sh (90 s of the two cores), unless VIGIE_CHECK_UI_BUILD=1.
if [ "${CI:-}" = true ] || [ "${VIGIE_CHECK_UI_BUILD:-}" = 1 ]; then
  bash check-build.sh
fi
