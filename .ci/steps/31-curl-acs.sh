#!/usr/bin/env bash
# `curl --digest` against our reference ACS (examples/src/bin/acs.rs), on 127.0.0.1 and a free
# port: an Inform with the right credentials gets 200 + InformResponse and a session cookie; the
# empty POST with that cookie ends the session with 204; a wrong password and no credentials
# get 401 with a Digest challenge; the admin API then lists exactly one device.
set -euo pipefail
cd "$(dirname "$0")/../.."
t0=$(date +%s)
command -v curl >/dev/null || { echo "error: curl is needed" >&2; exit 1; }
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build -q -p cwmp-examples --bin acs
acs_bin="$CARGO_TARGET_DIR/debug/acs"

dir=$(mktemp -d)
acs_pid=""
cleanup() {
  if [ -n "$acs_pid" ]; then kill "$acs_pid" 2>/dev/null || true; wait "$acs_pid" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT

"$acs_bin" --listen 127.0.0.1:0 --user 'cpe:s3cret pass' --port-file "$dir/port" \
  --store "$dir/acs.sqlite" --max-runtime 120 --log info 2> "$dir/acs.log" &
acs_pid=$!
for _ in $(seq 1 50); do [ -s "$dir/port" ] && break; sleep 0.1; done
[ -s "$dir/port" ] || { echo "error: acs did not start" >&2; cat "$dir/acs.log" >&2; exit 1; }
url="http://127.0.0.1:$(cat "$dir/port")/acs"

cat > "$dir/inform.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:soap-enc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:cwmp="urn:dslforum-org:cwmp-1-0">
<soap-env:Header><cwmp:ID soap-env:mustUnderstand="1">curl-1</cwmp:ID></soap-env:Header>
<soap-env:Body><cwmp:Inform>
<DeviceId><Manufacturer>Curl</Manufacturer><OUI>00CAFE</OUI><ProductClass>Shell</ProductClass><SerialNumber>CURL0001</SerialNumber></DeviceId>
<Event soap-enc:arrayType="cwmp:EventStruct[1]"><EventStruct><EventCode>1 BOOT</EventCode><CommandKey></CommandKey></EventStruct></Event>
<MaxEnvelopes>1</MaxEnvelopes><CurrentTime>2026-01-01T00:00:00Z</CurrentTime><RetryCount>0</RetryCount>
<ParameterList soap-enc:arrayType="cwmp:ParameterValueStruct[1]"><ParameterValueStruct><Name>Device.DeviceInfo.SoftwareVersion</Name><Value xsi:type="xsd:string">1.0</Value></ParameterValueStruct></ParameterList>
</cwmp:Inform></soap-env:Body></soap-env:Envelope>
XML

fail() { echo "error: $*" >&2; echo "--- acs log" >&2; cat "$dir/acs.log" >&2; exit 1; }
post() { # post NAME CURL-ARGS... -> status in $dir/NAME.status, body in $dir/NAME.body
  local name=$1; shift
  curl -sS --max-time 10 -o "$dir/$name.body" -D "$dir/$name.headers" -w '%{http_code}' \
    -H 'Content-Type: text/xml; charset="utf-8"' -H 'SOAPAction:' "$@" > "$dir/$name.status"
  echo "curl $name: HTTP $(cat "$dir/$name.status")" >&2
}

post wrong --digest -u 'cpe:wrong' --data-binary @"$dir/inform.xml" "$url"
[ "$(cat "$dir/wrong.status")" = 401 ] || fail "wrong password: expected 401"
grep -qi '^www-authenticate: Digest ' "$dir/wrong.headers" || fail "401 without a Digest challenge"

post anonymous --data-binary @"$dir/inform.xml" "$url"
[ "$(cat "$dir/anonymous.status")" = 401 ] || fail "no credentials: expected 401"

post right --digest -u 'cpe:s3cret pass' -c "$dir/cookies" --data-binary @"$dir/inform.xml" "$url"
[ "$(cat "$dir/right.status")" = 200 ] || fail "right password: expected 200"
grep -q 'InformResponse' "$dir/right.body" || fail "no InformResponse in: $(cat "$dir/right.body")"
grep -q '>curl-1<' "$dir/right.body" || fail "InformResponse does not echo the ID"
grep -qi '^set-cookie: session=.*Path=/' "$dir/right.headers" || fail "no session cookie"

post empty -b "$dir/cookies" --data-binary '' "$url"
[ "$(cat "$dir/empty.status")" = 204 ] || fail "empty POST in the session: expected 204"

devices=$(curl -sS --max-time 5 "http://127.0.0.1:$(cat "$dir/port")/admin/devices")
echo "$devices" | grep -q '"id":"00CAFE-Shell-CURL0001"' || fail "admin API: device missing: $devices"
echo "$devices" | grep -q '"sessions_completed":1' || fail "admin API: session not completed: $devices"
grep -q 'session 00CAFE-Shell-CURL0001#1 ended' "$dir/acs.log" || fail "acs log lacks the session end"
echo "curl against our ACS passed in $(( $(date +%s) - t0 )) s"
