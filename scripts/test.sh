#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs and starts what the tests need, then runs
# gofmt, go vet and every Go test with the race detector. CI runs exactly this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin:$(go env GOPATH)/bin"
# This is the whole suite, as CI runs it: a test whose real peer is missing fails instead of
# skipping (they check CI), and the UI's committed build is checked against its sources.
export CI="${CI:-true}"

log() { printf '\n== %s\n' "$*"; }

log "Go modules"
go mod download

log "services the tests use (started only if not running)"
start_if_down() { # name, port, command...
  local name=$1 port=$2; shift 2
  if ! (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null; then
    echo "starting $name"
    "$@" || echo "warning: could not start $name" >&2
  fi
}
if command -v pg_ctlcluster >/dev/null; then
  start_if_down postgresql 5432 pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
fi
command -v rabbitmq-server >/dev/null && start_if_down rabbitmq 5672 rabbitmq-server -detached
command -v mosquitto >/dev/null && start_if_down mosquitto 1883 mosquitto -d -c /etc/mosquitto/mosquitto.conf
command -v nats-server >/dev/null && start_if_down nats 4222 start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log

# Each scripts/setup.d/*.sh installs or starts what one area's tests need (a peer, a server, a
# tool). They must be idempotent and quick when everything is already there.
for step in scripts/setup.d/*.sh; do
  [ -e "$step" ] || continue
  log "setup: $step"
  bash "$step"
done

log "gofmt"
bad=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './ui/node_modules/*'))
if [ -n "$bad" ]; then echo "gofmt would change:"; echo "$bad"; exit 1; fi

log "go vet"
go vet ./...

log "go test -race"
go test -race -count=1 -timeout 20m ./...
