#!/usr/bin/env bash
# Connection requests for CPEs behind a NAT, against real servers nobody here wrote, on
# loopback (issue 16):
#  1. coturn's `turnserver` answers STUN (stun-only, 127.0.0.1, free UDP port): the CPE learns
#     its mapped address from it, then the ACS's signed UDP connection request (3 copies, same
#     id) is accepted once; replayed, badly signed, foreign-user and malformed datagrams are
#     ignored (examples/tests/cr_stun.rs);
#  2. prosody (127.0.0.1, free port, temporary data dir, PLAIN auth without TLS on loopback)
#     with two accounts made by prosodyctl: the ACS's connectionRequest IQ succeeds, wrong
#     password -> not-authorized, sender not allowed / CPE busy -> service-unavailable, and a
#     wrong login is refused (examples/tests/cr_xmpp.rs).
# Those test targets have `test = false` (the workspace's `cargo test` does not run them); this
# step is their runner and passes the servers in CWMP_STUN_SERVER, CWMP_XMPP_SERVER,
# CWMP_XMPP_DOMAIN, CWMP_XMPP_ACS, CWMP_XMPP_CPE. Installs coturn and prosody when missing
# (root only). Every wait is bounded; the servers are stopped and the directory removed on
# exit. Budget: ~1-2 minutes after the build.
set -euo pipefail
cd "$(dirname "$0")/../.."
t0=$(date +%s)

need=()
command -v turnserver >/dev/null || need+=(coturn)
command -v prosody >/dev/null || need+=(prosody)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "error: need ${need[*]} and cannot install them (not root)" >&2
    exit 1
  fi
  apt-get update -qq
  # The packages' own services are not wanted: this step starts its own instances.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
turnserver --version 2>/dev/null | sed -n 1p | sed 's/^/coturn /'
dpkg-query -W -f='prosody ${Version}\n' prosody 2>/dev/null || true

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
# `test = false` targets are outside `clippy --all-targets`: lint them here.
cargo clippy -q -p cwmp-examples --test cr_stun --test cr_xmpp --all-features -- -D warnings
cargo test -q -p cwmp-examples --test cr_stun --test cr_xmpp --no-run

dir=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$dir"
}
trap cleanup EXIT
fail() {
  echo "error: $*" >&2
  echo "--- turnserver log (last 30 lines)" >&2; tail -n 30 "$dir/turn.log" >&2 || true
  echo "--- prosody log (last 30 lines)" >&2; tail -n 30 "$dir/prosody.log" >&2 || true
  exit 1
}
free_port() { # free_port tcp|udp
  python3 -c 'import socket,sys; t=socket.SOCK_DGRAM if sys.argv[1]=="udp" else socket.SOCK_STREAM; s=socket.socket(socket.AF_INET,t); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' "$1"
}

echo "--- coturn (STUN only) on loopback"
stun_port=$(free_port udp)
timeout 600 turnserver -n --listening-ip=127.0.0.1 --listening-port="$stun_port" --stun-only \
  --no-tls --no-dtls --no-cli --log-file=stdout --simple-log --pidfile="$dir/turn.pid" \
  > "$dir/turn.log" 2>&1 &
pids+=($!)
stun_up=0
for _ in $(seq 1 50); do
  # A real Binding Request (RFC 5389 header, no attributes); any STUN answer means "up".
  if python3 - "$stun_port" <<'PY' 2>/dev/null
import os, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(0.2)
s.sendto(b"\x00\x01\x00\x00\x21\x12\xa4\x42" + os.urandom(12), ("127.0.0.1", int(sys.argv[1])))
d, _ = s.recvfrom(2048)
sys.exit(0 if d[:2] == b"\x01\x01" else 1)
PY
  then stun_up=1; break; fi
  sleep 0.1
done
[ "$stun_up" = 1 ] || fail "turnserver did not answer STUN on 127.0.0.1:$stun_port"
echo "STUN server up on 127.0.0.1:$stun_port"

echo "--- prosody on loopback"
xmpp_port=$(free_port tcp)
domain=localhost
mkdir -p "$dir/data"
run_as_root=false
[ "$(id -u)" = 0 ] && run_as_root=true
cat > "$dir/prosody.cfg.lua" <<LUA
run_as_root = $run_as_root
pidfile = "$dir/prosody.pid"
data_path = "$dir/data"
certificates = "$dir/certs"
log = { { levels = { min = "info" }, to = "file", filename = "$dir/prosody.log" } }
modules_enabled = { "roster"; "saslauth"; "disco"; "ping"; }
modules_disabled = { "s2s"; "tls"; }
-- Loopback only: PLAIN login without TLS (the example client has no STARTTLS).
c2s_require_encryption = false
s2s_require_encryption = false
allow_unencrypted_plain_auth = true
authentication = "internal_hashed"
storage = "internal"
interfaces = { "127.0.0.1" }
c2s_ports = { $xmpp_port }
c2s_direct_tls_ports = { }
s2s_ports = { }
VirtualHost "$domain"
LUA
mkdir -p "$dir/certs"
acs_pw="acs-$$-$(date +%s)"
cpe_pw="cpe-$$-$(date +%s)"
timeout 60 prosodyctl --config "$dir/prosody.cfg.lua" register acs "$domain" "$acs_pw" >"$dir/prosodyctl.log" 2>&1 \
  || { cat "$dir/prosodyctl.log" >&2; fail "prosodyctl register acs failed"; }
timeout 60 prosodyctl --config "$dir/prosody.cfg.lua" register cpe "$domain" "$cpe_pw" >>"$dir/prosodyctl.log" 2>&1 \
  || { cat "$dir/prosodyctl.log" >&2; fail "prosodyctl register cpe failed"; }
timeout 600 prosody --config "$dir/prosody.cfg.lua" -F > "$dir/prosody.out" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close()' "$xmpp_port" 2>/dev/null && break
  sleep 0.1
done
python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.5).close()' "$xmpp_port" 2>/dev/null \
  || fail "prosody did not listen on 127.0.0.1:$xmpp_port"
echo "XMPP server up on 127.0.0.1:$xmpp_port (domain $domain, accounts acs and cpe)"

export CWMP_STUN_SERVER="127.0.0.1:$stun_port"
export CWMP_XMPP_SERVER="127.0.0.1:$xmpp_port" CWMP_XMPP_DOMAIN="$domain"
export CWMP_XMPP_ACS="acs:$acs_pw" CWMP_XMPP_CPE="cpe:$cpe_pw"

echo "--- UDP connection request behind STUN (coturn)"
timeout 300 cargo test -q -p cwmp-examples --test cr_stun 2>&1 | tee "$dir/stun-test.log" | grep -vE '^\s*$' || true
grep -qE "test result: ok\. 3 passed" "$dir/stun-test.log" || fail "cr_stun failed"

echo "--- XMPP connection request (prosody)"
timeout 300 cargo test -q -p cwmp-examples --test cr_xmpp 2>&1 | tee "$dir/xmpp-test.log" | grep -vE '^\s*$' || true
grep -qE "test result: ok\. 6 passed" "$dir/xmpp-test.log" || fail "cr_xmpp failed"

echo "connection-request transports passed in $(( $(date +%s) - t0 )) s"
