#!/usr/bin/env bash
# Mailpit: the real SMTP server (with an HTTP API to list what it received, and failure injection)
# that adapters/notify/email's tests start on ports from the OS. Built from the Go module proxy into
# $(go env GOBIN) or $(go env GOPATH)/bin, never into the repository, and never added to go.mod.
# Idempotent: does nothing when that version is already installed. A cold build takes about 80 s.
set -euo pipefail
export PATH="$PATH:/usr/local/go/bin"

version=v1.33.1 # builds with the machine's Go 1.26 (v1.27.11 also does); pinned for repeatable tests
dir=$(go env GOBIN)
[ -n "$dir" ] || dir="$(go env GOPATH)/bin"
bin="$dir/mailpit"

if [ -x "$bin" ] && go version -m "$bin" 2>/dev/null | grep -Eq "^[[:space:]]+mod[[:space:]]+github.com/axllent/mailpit[[:space:]]+$version([[:space:]]|$)"; then
  echo "mailpit $version already installed: $bin"
  exit 0
fi

echo "installing mailpit $version into $dir"
# Outside any module, so the project's go.mod is neither read nor touched.
(cd / && GOFLAGS=-buildvcs=false go install "github.com/axllent/mailpit@$version")
go version -m "$bin" | head -2
