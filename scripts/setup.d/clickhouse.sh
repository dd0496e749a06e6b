#!/usr/bin/env bash
# ClickHouse for the tests of adapters/readstore/clickhouse.
#
# The tests connect to $VIGIE_TEST_CLICKHOUSE (default 127.0.0.1:9000, native protocol, user
# "default" without a password) and each works in a database of its own that it drops. This step
# makes that server answer: it installs Debian's clickhouse-server (18.16 on bookworm) if missing
# and starts it with a configuration of its own (/etc/clickhouse-server/vigie-test/), listening on
# 127.0.0.1 only, with its data under /var/lib/clickhouse-vigie-test. It does not touch a server
# the package may have set up, and it is idempotent and quick when the server already answers.
#
# When VIGIE_TEST_CLICKHOUSE names another server (say a ClickHouse >= 25.8 somewhere), this step
# only checks that it answers.
set -euo pipefail

addr=${VIGIE_TEST_CLICKHOUSE:-127.0.0.1:9000}
addr=${addr#*://}
addr=${addr%%/*}
addr=${addr##*@}
host=${addr%:*}
port=${addr##*:}

answers() { (exec 3<>/dev/tcp/"$host"/"$port") 2>/dev/null; }
version() { clickhouse-client --host "$host" --port "$port" -q 'SELECT version()' 2>/dev/null || echo unknown; }

if answers; then
  v=$(version)
  if [ "$v" = unknown ] && command -v clickhouse-client >/dev/null; then
    echo "clickhouse: something listens on $host:$port but does not answer as ClickHouse" >&2
    exit 1
  fi
  echo "clickhouse: $v answers at $host:$port"
  exit 0
fi
if [ -n "${VIGIE_TEST_CLICKHOUSE:-}" ] && [ "$host:$port" != 127.0.0.1:9000 ]; then
  echo "clickhouse: VIGIE_TEST_CLICKHOUSE=$VIGIE_TEST_CLICKHOUSE is set but nothing answers there; not starting one" >&2
  exit 1
fi

if ! command -v clickhouse-server >/dev/null || ! command -v clickhouse-client >/dev/null; then
  echo "clickhouse: installing Debian's clickhouse-server and clickhouse-client"
  export DEBIAN_FRONTEND=noninteractive
  # Another install may hold dpkg's lock: wait for it rather than fail.
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq clickhouse-server clickhouse-client >/dev/null
fi

# Something else on the port (a listener that came up since the check above) would make the
# server fail to start with a confusing log line: say it plainly.
if command -v ss >/dev/null && ss -ltn "sport = :$port" | grep -q LISTEN; then
  echo "clickhouse: port $port is taken by another program:" >&2
  ss -ltnp "sport = :$port" >&2 || true
  exit 1
fi

conf=/etc/clickhouse-server/vigie-test
data=/var/lib/clickhouse-vigie-test
logs=/var/log/clickhouse-vigie-test
mkdir -p "$conf" "$data/tmp" "$data/user_files" "$data/format_schemas" "$logs"
# Our own configuration, whole: loopback only, no HTTP or interserver port (the tests speak the
# native protocol; every clickhouse-go v2 fails over HTTP with this server), our own data folder.
cat >"$conf/config.xml" <<EOF
<?xml version="1.0"?>
<yandex>
    <logger>
        <level>warning</level>
        <log>$logs/clickhouse-server.log</log>
        <errorlog>$logs/clickhouse-server.err.log</errorlog>
        <size>100M</size>
        <count>3</count>
    </logger>
    <listen_host>127.0.0.1</listen_host>
    <tcp_port>$port</tcp_port>
    <max_connections>256</max_connections>
    <keep_alive_timeout>3</keep_alive_timeout>
    <max_concurrent_queries>100</max_concurrent_queries>
    <uncompressed_cache_size>268435456</uncompressed_cache_size>
    <mark_cache_size>268435456</mark_cache_size>
    <path>$data/</path>
    <tmp_path>$data/tmp/</tmp_path>
    <user_files_path>$data/user_files/</user_files_path>
    <format_schema_path>$data/format_schemas/</format_schema_path>
    <users_config>users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <timezone>UTC</timezone>
    <mlock_executable>false</mlock_executable>
    <builtin_dictionaries_reload_interval>3600</builtin_dictionaries_reload_interval>
    <max_session_timeout>3600</max_session_timeout>
    <default_session_timeout>60</default_session_timeout>
</yandex>
EOF
cat >"$conf/users.xml" <<'EOF'
<?xml version="1.0"?>
<yandex>
    <profiles>
        <default>
            <max_memory_usage>4000000000</max_memory_usage>
            <load_balancing>random</load_balancing>
        </default>
    </profiles>
    <users>
        <default>
            <password></password>
            <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
            <profile>default</profile>
            <quota>default</quota>
        </default>
    </users>
    <quotas>
        <default>
            <interval>
                <duration>3600</duration>
                <queries>0</queries>
                <errors>0</errors>
                <result_rows>0</result_rows>
                <read_rows>0</read_rows>
                <execution_time>0</execution_time>
            </interval>
        </default>
    </quotas>
</yandex>
EOF
if id clickhouse >/dev/null 2>&1; then
  chown -R clickhouse:clickhouse "$data" "$logs"
  run=(start-stop-daemon --start --chuid clickhouse --background --make-pidfile --pidfile "$data/server.pid")
else
  run=(start-stop-daemon --start --background --make-pidfile --pidfile "$data/server.pid")
fi
echo "clickhouse: starting clickhouse-server on $host:$port (config $conf/config.xml)"
(cd "$data" && "${run[@]}" --exec "$(command -v clickhouse-server)" -- --config-file="$conf/config.xml")

# The server takes a few seconds to load.
for _ in $(seq 1 120); do
  answers && break
  sleep 0.5
done
if ! answers; then
  echo "clickhouse: the server did not come up on $host:$port; its log says:" >&2
  tail -n 30 "$logs/clickhouse-server.err.log" >&2 2>/dev/null || true
  exit 1
fi
echo "clickhouse: $(version) ready at $host:$port"
