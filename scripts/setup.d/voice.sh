#!/usr/bin/env bash
# Peers and tools of the voice channel's tests (adapters/notify/voice):
#  - baresip (Debian, 1.0.0 on bookworm): the phone that is called. Its tests run it with
#    auto-answer, `net_interface 127.0.0.1`, ALSA's null device, a long file as its microphone
#    (baresip hangs up when its audio source ends), the sndfile module recording what it hears,
#    and its ctrl_tcp module, through which the test makes it press keys and hang up;
#  - SIPp (Debian `sip-tester`): scripted callees for rejections (486, 404...), no answer (180,
#    then CANCEL), digest authentication, and a key press whose first RFC 4733 packet has
#    duration 0 (its own dtmf_2833_1.pcap);
#  - espeak-ng (voice `fr`) and sox: text-to-speech, converted to 8 kHz mono 16-bit for G.711.
# Idempotent: quick when everything is there.
set -euo pipefail

missing=()
command -v baresip >/dev/null || missing+=(baresip)
command -v sipp >/dev/null || missing+=(sip-tester)
command -v espeak-ng >/dev/null || missing+=(espeak-ng)
command -v sox >/dev/null || missing+=(sox)
if [ ${#missing[@]} -gt 0 ]; then
  echo "voice: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The modules the tests load (adapters/notify/voice/peers_test.go names this folder).
moddir=/usr/lib/baresip/modules
for m in g711 aufile alsa sndfile account menu ctrl_tcp; do
  [ -e "$moddir/$m.so" ] || { echo "voice: baresip module $moddir/$m.so not found" >&2; exit 1; }
done
# SIPp's recording of a key 1 whose first RFC 4733 packet has duration 0 (the DTMF trap's test).
[ -e /usr/share/sip-tester/dtmf_2833_1.pcap ] || { echo "voice: /usr/share/sip-tester/dtmf_2833_1.pcap not found" >&2; exit 1; }
echo "voice: baresip $(dpkg-query -W -f='${Version}' baresip-core 2>/dev/null || echo '?'), modules in $moddir"
echo "voice: $({ sipp -v 2>/dev/null || true; } | grep -m1 -o 'SIPp v[^ ,-]*')"
echo "voice: espeak-ng $(espeak-ng --version | grep -o '[0-9][0-9.]*' | head -1), sox $(sox --version | grep -o 'v[0-9.]*')"
espeak-ng --voices=fr | grep -q ' fr ' || { echo "voice: espeak-ng has no French voice" >&2; exit 1; }
