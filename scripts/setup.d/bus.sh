#!/usr/bin/env bash
# RabbitMQ and NATS (with JetStream) for the tests of adapters/bus/amqp and adapters/bus/nats: the
# machine's brokers at 127.0.0.1:5672 (guest/guest, or $VIGIE_TEST_AMQP) and 127.0.0.1:4222 (or
# $VIGIE_TEST_NATS), and the nats-server binary, which a test also starts without JetStream on a
# port of its own. On this machine kind both are installed and started before the session, so the
# step only checks; elsewhere it installs Debian's packages and starts them. Idempotent, and quick
# when everything is there.
set -euo pipefail
PATH="$PATH:/usr/sbin:/usr/lib/rabbitmq/bin"

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_for() { # name, port
  for _ in $(seq 1 150); do
    answers "$2" && return 0
    sleep 0.2
  done
  echo "bus: $1 does not answer on 127.0.0.1:$2" >&2
  return 1
}
install() {
  echo "bus: installing Debian's $*"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "$@" >/dev/null
}

# RabbitMQ
if [ -n "${VIGIE_TEST_AMQP:-}" ]; then
  echo "bus: VIGIE_TEST_AMQP is set; using that broker as it is"
elif answers 5672; then
  echo "bus: RabbitMQ answers on 127.0.0.1:5672"
else
  command -v rabbitmq-server >/dev/null || install rabbitmq-server
  echo "bus: starting RabbitMQ"
  rabbitmq-server -detached
  wait_for RabbitMQ 5672
fi

# NATS with JetStream
command -v nats-server >/dev/null || install nats-server
echo "bus: $(nats-server --version)"
if [ -n "${VIGIE_TEST_NATS:-}" ]; then
  echo "bus: VIGIE_TEST_NATS is set; using that server as it is"
elif answers 4222; then
  echo "bus: NATS answers on 127.0.0.1:4222 (the tests fail plainly if JetStream is off)"
else
  echo "bus: starting NATS with JetStream"
  mkdir -p /var/lib/nats-server
  start-stop-daemon --start --oknodo --background --exec "$(command -v nats-server)" -- \
    -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
  wait_for NATS 4222
fi
echo "bus: ready"
