#!/usr/bin/env bash
# Mosquitto for the tests of adapters/mqtt: the machine's broker at 127.0.0.1:1883 (or
# $VIGIE_TEST_MQTT), and the mosquitto binary, which the tests also start on ports of their own to
# restart a broker mid-stream. Installs Debian's mosquitto if missing and starts the broker if it
# does not answer. Idempotent, and quick when everything is there.
set -euo pipefail

addr=${VIGIE_TEST_MQTT:-127.0.0.1:1883}
host=${addr%:*}
port=${addr##*:}
answers() { (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; }

if ! command -v mosquitto >/dev/null && [ ! -x /usr/sbin/mosquitto ]; then
  echo "mosquitto: installing Debian's mosquitto"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq mosquitto >/dev/null
fi
PATH="$PATH:/usr/sbin"
echo "mosquitto: $(mosquitto -h 2>/dev/null | head -1)"

if answers; then
  echo "mosquitto: a broker answers at $addr"
  exit 0
fi
if [ -n "${VIGIE_TEST_MQTT:-}" ]; then
  echo "mosquitto: VIGIE_TEST_MQTT=$addr does not answer; not starting anything" >&2
  exit 1
fi
echo "mosquitto: starting the broker on 127.0.0.1:1883"
mkdir -p /run/mosquitto /var/lib/mosquitto /var/log/mosquitto
if id mosquitto >/dev/null 2>&1; then
  chown mosquitto: /run/mosquitto /var/lib/mosquitto /var/log/mosquitto 2>/dev/null || true
fi
conf=/etc/mosquitto/mosquitto.conf
# A fresh install listens on loopback with anonymous access, which is what the tests need.
mosquitto -d -c "$conf"
for _ in $(seq 1 50); do
  answers && break
  sleep 0.2
done
answers || { echo "mosquitto: the broker does not answer at $addr" >&2; exit 1; }
echo "mosquitto: ready at $addr"
