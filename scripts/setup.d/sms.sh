#!/usr/bin/env bash
# Peers of the SMS channels' tests (adapters/notify/sms):
#  - socat (Debian), which makes the pseudo-terminal pair the modem tests put a scripted GSM modem
#    behind (adapters/notify/sms/modem);
#  - Prism (npm @stoplight/prism-cli 5.14.2, the last release that runs on Node 20) serving
#    Twilio's published OpenAPI spec of its 2010-04-01 API, which the npm package
#    @twilio-alpha/mcp 0.7.0 ships (twilio-oai/spec/json/twilio_api_v2010.json), installed with
#    `npm ci` from the committed package-lock.json into
#    adapters/notify/sms/twilio/testdata/peer/node_modules (ignored by git).
# Idempotent: quick when everything is there (the lock file's hash is stamped in node_modules).
set -euo pipefail
cd "$(dirname "$0")/../.."

apt_updated=
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "$apt_updated" ]; then apt-get update -qq; apt_updated=1; fi
  apt-get install -y -qq "$@" >/dev/null
}

if ! command -v socat >/dev/null; then
  echo "sms: installing socat"
  apt_install socat
fi
echo "sms: $(socat -V 2>/dev/null | grep -m1 'socat version' || echo socat)"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "sms: installing Debian's nodejs and npm"
  apt_install nodejs npm
fi

peer=adapters/notify/sms/twilio/testdata/peer
stamp=$peer/node_modules/.vigie-lock.sha256
want=$(sha256sum "$peer/package-lock.json" | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$peer/node_modules/.bin/prism" ]; then
  echo "sms: Twilio peer already installed in $peer"
  exit 0
fi
echo "sms: installing the Twilio peer (Prism + Twilio's OpenAPI spec) into $peer"
# --ignore-scripts: nothing needs building, and no install script phones home.
(cd "$peer" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
echo "$want" >"$stamp"
"$peer/node_modules/.bin/prism" --version | sed 's/^/sms: prism /'
