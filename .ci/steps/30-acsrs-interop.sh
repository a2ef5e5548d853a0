#!/usr/bin/env bash
# Interop of our reference CPE (examples/src/bin/cpe.rs) with acsrs, a Rust ACS from crates.io
# that nobody here wrote (https://github.com/guillaumepellegrino/acsrs, v0.5.x):
#  1. boot session (0 BOOTSTRAP, 1 BOOT) with Basic auth (acsrs offers nothing else; our CPE
#     needs --allow-basic for it over plain HTTP); acsrs then sets the CPE's
#     ConnectionRequestUsername/Password with a SetParameterValues;
#  2. GetParameterValues queued through acsrs's management API: acsrs sends a digest
#     Connection Request (401 challenge first), our CPE opens a session (6 CONNECTION REQUEST)
#     and answers;
#  3. SetParameterValues queued the same way, then a GetParameterValues reads the new value.
# Everything on 127.0.0.1, acsrs configured in a temporary HOME, all processes killed on exit,
# every wait bounded. Installs acsrs with `cargo install acsrs --locked` when missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
t0=$(date +%s)
command -v curl >/dev/null || { echo "error: curl is needed" >&2; exit 1; }
if ! command -v openssl >/dev/null && [ "$(id -u)" = 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl >/dev/null
fi
command -v openssl >/dev/null || { echo "error: openssl is needed (acsrs's TLS identity)" >&2; exit 1; }
export NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}" no_proxy="127.0.0.1,localhost${no_proxy:+,$no_proxy}"

if ! command -v acsrs >/dev/null; then
  # acsrs links OpenSSL through native-tls.
  if [ "$(id -u)" = 0 ] && ! { dpkg -s libssl-dev && dpkg -s pkg-config; } >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libssl-dev pkg-config >/dev/null
  fi
  # acsrs's release profile (fat LTO, one codegen unit) took ~90 min on two shared cores; a
  # debug build is minutes and serves an interop test just as well.
  echo "--- installing acsrs (cargo install acsrs --locked --debug)"
  CARGO_PROFILE_DEV_DEBUG=0 timeout 1800 cargo install acsrs --locked --debug --version '^0.5'
fi
acsrs_bin=$(command -v acsrs)
echo "acsrs: $acsrs_bin ($(cargo install --list 2>/dev/null | grep -m1 '^acsrs ' || echo 'version unknown'))"
t_install=$(date +%s)

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build -q -p cwmp-examples --bin cpe
cpe_bin="$CARGO_TARGET_DIR/debug/cpe"

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
  echo "--- acsrs log (last 60 lines)" >&2; tail -n 60 "$dir/acsrs.log" >&2 || true
  echo "--- cpe log (last 60 lines)" >&2; tail -n 60 "$dir/cpe.log" >&2 || true
  exit 1
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# acsrs reads $HOME/.acsrs/config.toml; it needs a TLS identity even when only plain HTTP is
# used, so one is made here (autocert would shell out to openssl with 4096-bit keys).
home="$dir/home"; mkdir -p "$home/.acsrs"
cwmp_port=$(free_port); tls_port=$(free_port); mng_port=$(free_port)
acs_user="interop-cpe"; acs_pass="interop-$(date +%s)-pw"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=127.0.0.1" \
  -keyout "$home/.acsrs/key.pem" -out "$home/.acsrs/cert.pem" 2>/dev/null
openssl pkcs12 -export -inkey "$home/.acsrs/key.pem" -in "$home/.acsrs/cert.pem" \
  -out "$home/.acsrs/identity.p12" -passout pass:ACSRS
cat > "$home/.acsrs/config.toml" <<TOML
cpe = []

[config]
hostname = "127.0.0.1"
username = "$acs_user"
password = "$acs_pass"
autocert = false
identity_password = "ACSRS"
secure_address = "127.0.0.1:$tls_port"
unsecure_address = "127.0.0.1:$cwmp_port"
management_address = "127.0.0.1:$mng_port"
noauth = false
TOML

HOME="$home" timeout 300 "$acsrs_bin" --verbose > "$dir/acsrs.log" 2>&1 &
pids+=($!)
mng="http://127.0.0.1:$mng_port"
for _ in $(seq 1 100); do
  curl -sf --max-time 2 "$mng/" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -sf --max-time 2 "$mng/" >/dev/null || fail "acsrs management API did not come up"
echo "acsrs up: CWMP http://127.0.0.1:$cwmp_port/cwmpWeb/CPEMgt, management $mng"

serial="INTEROP$$"
# acsrs's connection-request client signs the digest with uri "/" whatever the URL's path is,
# so the CPE listens on path "/".
"$cpe_bin" --acs-url "http://127.0.0.1:$cwmp_port/cwmpWeb/CPEMgt" \
  --username "$acs_user" --password "$acs_pass" --allow-basic \
  --cr-path / --cr-user "initial:initial-pw" --serial "$serial" \
  --periodic-interval 0 --max-runtime 240 --log info > "$dir/cpe.log" 2>&1 &
pids+=($!)

wait_log() { # wait_log FILE PATTERN SECONDS
  local end=$(( $(date +%s) + $3 ))
  while [ "$(date +%s)" -lt "$end" ]; do
    grep -qF -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.2
  done
  return 1
}
wait_log "$dir/cpe.log" "session 1 ended" 60 || fail "boot session with acsrs did not end"
grep -qF "events [0 BOOTSTRAP, 1 BOOT]" "$dir/cpe.log" || fail "boot Inform without 0 BOOTSTRAP, 1 BOOT"
grep -qF "answering the basic challenge" "$dir/cpe.log" || fail "no Basic authentication seen"
grep -qF "SetParameterValues Device.ManagementServer.ConnectionRequestUsername" "$dir/cpe.log" \
  || fail "acsrs did not configure the connection request credentials"
echo "ok: boot session (Basic auth; acsrs set the connection request credentials)"

api() { # api JSON -> response on stdout
  curl -sS --max-time 90 -X POST -H 'Content-Type: application/json' --data "$1" "$mng/api"
}
gpv='{"serial_number":"'"$serial"'","command":{"GetParameterValues":[{"name":"Device.DeviceInfo.SoftwareVersion"}]}}'
r=$(api "$gpv") || fail "management API GetParameterValues failed"
echo "acsrs API GetParameterValues -> $r"
echo "$r" | grep -qF '"name":"Device.DeviceInfo.SoftwareVersion","value":"1.0.0"' \
  || echo "$r" | grep -qF '"value":"1.0.0"' || fail "unexpected GPV result: $r"
grep -qF '← connection request from' "$dir/cpe.log" || fail "no connection request reached the CPE"
grep -qF 'connection request from 127.0.0.1' "$dir/cpe.log" && \
grep -qE 'connection request \(digest user "acsrs"\) → 200' "$dir/cpe.log" \
  || fail "the digest connection request was not accepted"
grep -qF "events [6 CONNECTION REQUEST]" "$dir/cpe.log" || fail "no 6 CONNECTION REQUEST session"
echo "ok: GetParameterValues via acsrs's digest connection request"

spv='{"serial_number":"'"$serial"'","command":{"SetParameterValues":[{"type":"xsd:unsignedInt","name":"Device.ManagementServer.PeriodicInformInterval","value":"1234"}]}}'
r=$(api "$spv") || fail "management API SetParameterValues failed"
echo "acsrs API SetParameterValues -> $r"
[ "$r" = '{"SetParameterValues":true}' ] || fail "unexpected SPV result: $r"
gpv2='{"serial_number":"'"$serial"'","command":{"GetParameterValues":[{"name":"Device.ManagementServer.PeriodicInformInterval"}]}}'
r=$(api "$gpv2") || fail "management API GetParameterValues failed"
echo "acsrs API GetParameterValues -> $r"
echo "$r" | grep -qF '"value":"1234"' || fail "SPV not visible: $r"
echo "ok: SetParameterValues via acsrs, read back"

list=$(api '{"command":"List"}') || fail "management API List failed"
echo "$list" | grep -qF "\"sn\":\"$serial\"" || fail "acsrs does not list the CPE: $list"
# acsrs keeps a session open while management requests keep coming, and ends it with 204 three
# seconds after the last one: the connection-request session must end cleanly.
wait_log "$dir/cpe.log" "session 2 ended" 30 || fail "the connection-request session did not end"
grep -qF "session failed" "$dir/cpe.log" && fail "a session failed"
sessions=$(grep -cE "^\[cpe\] session [0-9]+ ended" "$dir/cpe.log" || true)
echo "acsrs interop passed: $sessions sessions, $(( $(date +%s) - t_install )) s (install/check $(( t_install - t0 )) s)"
