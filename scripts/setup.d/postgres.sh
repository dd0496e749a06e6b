#!/usr/bin/env bash
# PostgreSQL for the tests of adapters/eventstore/postgres and adapters/readstore/postgres.
#
# They connect with $VIGIE_TEST_POSTGRES, by default postgres://postgres@127.0.0.1:5432/test
# (trust authentication), and each test works in a schema of its own that it drops. This step makes
# that server answer: on this machine kind it is installed and started before the session, so the
# step only checks; on a machine without it, it installs Debian's PostgreSQL, lets local TCP
# connections in without a password (a test machine only), starts it and creates the database.
# Idempotent, and quick when the server already answers.
set -euo pipefail

dsn=${VIGIE_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}

answers() { psql "$dsn" -XtAc 'SELECT 1' >/dev/null 2>&1; }

if command -v psql >/dev/null && answers; then
  echo "postgres: $(psql "$dsn" -XtAc 'SHOW server_version') answers at ${dsn%%\?*}"
  exit 0
fi
if [ -n "${VIGIE_TEST_POSTGRES:-}" ]; then
  echo "postgres: VIGIE_TEST_POSTGRES is set but the server does not answer; not touching it" >&2
  exit 1
fi

if ! command -v pg_ctlcluster >/dev/null; then
  echo "postgres: installing Debian's postgresql"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi
version=$(ls /etc/postgresql | sort -V | tail -1)
hba=/etc/postgresql/$version/main/pg_hba.conf
if ! grep -Eq '^host[[:space:]]+all[[:space:]]+all[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$hba"; then
  echo "postgres: trusting local TCP connections in $hba (test machine)"
  sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
  pg_ctlcluster --skip-systemctl-redirect "$version" main reload 2>/dev/null || true
fi
pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true

# The server takes a moment to accept connections after starting.
for _ in $(seq 1 60); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 0.5
done
if ! psql -h 127.0.0.1 -U postgres -XtAc "SELECT 1 FROM pg_database WHERE datname = 'test'" | grep -q 1; then
  psql -h 127.0.0.1 -U postgres -Xqc 'CREATE DATABASE test'
fi
answers || { echo "postgres: the server does not answer at ${dsn%%\?*}" >&2; exit 1; }
echo "postgres: ready at ${dsn%%\?*}"
