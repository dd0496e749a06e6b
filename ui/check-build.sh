#!/usr/bin/env bash
# Rebuilds the UI from its sources with the locked dependencies and fails if the result differs
# from the committed build in ui/dist, which the Go binary embeds.
#
#   ui/check-build.sh            # check (CI)
#   ui/check-build.sh --update   # rebuild ui/dist in place, then commit it
#
# Needs Node.js 20.19+ and the npm registry. The build is deterministic: content-hashed file
# names, no timestamps, no source maps.
set -euo pipefail

cd "$(dirname "$0")"

update=0
if [[ "${1:-}" == "--update" ]]; then
  update=1
fi

# npm ci unless node_modules was installed from this very lock file (scripts/setup.d/ui.sh
# leaves the same stamp).
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -f node_modules/.vigie-lock.sha256 || "$(cat node_modules/.vigie-lock.sha256)" != "$want" ]]; then
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" >node_modules/.vigie-lock.sha256
fi
export NG_CLI_ANALYTICS=false

if [[ $update == 1 ]]; then
  npx ng build --configuration production
  echo "ui/dist rebuilt; commit it."
  exit 0
fi

# Build in place (chunk hashes depend on the project's path), keeping the committed build aside
# to compare with and to put back: the work tree is left as it was.
saved="$(mktemp -d)"
cp -R dist "$saved/dist"
restore() {
  rm -rf dist
  cp -R "$saved/dist" dist
  rm -rf "$saved"
}
trap restore EXIT
npx ng build --configuration production

if diff -r dist "$saved/dist" >"$saved/diff.txt"; then
  echo "ui/dist matches the sources."
else
  echo "ui/dist differs from a build of the sources (< fresh build, > committed):" >&2
  head -n 40 "$saved/diff.txt" >&2
  echo "Run ui/check-build.sh --update and commit ui/dist." >&2
  exit 1
fi
