#!/usr/bin/env bash
# Load bench of the reference ACS: N simulated CPEs (examples/src/bin/acs-load.rs, driven by
# cwmp-core's CPE engine over loopback HTTP) against the release `acs` binary, with the SQLite
# store and, when CWMP_TEST_PG_URL is set (or --pg starts a throwaway cluster the way
# .ci/steps/33-postgres.sh does), with PostgreSQL. Reports sessions/s, the ACS's CPU-seconds
# per 1,000 sessions and its RSS at the start, half-way and the end of the run (from /proc).
# Empty sessions (Inform, empty POST, 204) and sessions carrying a 50-parameter GPV.
#
#   bash benches/acs-load.sh [--cpes N] [--sessions N] [--pg]
#
# Targets (issue 13, SQLite, empty sessions): >= 500 sessions/s, <= 1.0 CPU-s per 1,000
# sessions, RSS not growing with sessions served. Printed as PASS/MISS; never fails on a miss
# (shared, noisy machines), only when a run completes no session.
set -euo pipefail
cd "$(dirname "$0")/.."
cpes=200
sessions=6000
start_pg=false
while [ $# -gt 0 ]; do
  case "$1" in
    --cpes) cpes=$2; shift 2 ;;
    --sessions) sessions=$2; shift 2 ;;
    --pg) start_pg=true; shift ;;
    *) echo "usage: $0 [--cpes N] [--sessions N] [--pg]" >&2; exit 2 ;;
  esac
done
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build -q --release -p cwmp-examples --bin acs --bin acs-load
bin="$CARGO_TARGET_DIR/release"
dir=$(mktemp -d)
chmod 755 "$dir"
acs_pid=""
pg_bin=""
cleanup() {
  if [ -n "$acs_pid" ]; then kill "$acs_pid" 2>/dev/null || true; wait "$acs_pid" 2>/dev/null || true; fi
  if [ -n "$pg_bin" ] && [ -f "$dir/pg/postmaster.pid" ]; then
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$dir/pg" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT

if $start_pg && [ -z "${CWMP_TEST_PG_URL:-}" ]; then
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  chown postgres "$dir"
  echo bench > "$dir/pw"; chown postgres "$dir/pw"
  runuser -u postgres -- "$pg_bin/initdb" -D "$dir/pg" -U acs --pwfile="$dir/pw" -A scram-sha-256 --no-sync >/dev/null
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  mkdir -p "$dir/sock"; chown postgres "$dir/sock"
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$dir/pg" -l "$dir/pg.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/sock -c max_connections=100" start >/dev/null
  PGPASSWORD=bench "$pg_bin/psql" -q -h 127.0.0.1 -p "$port" -U acs -d postgres -c 'CREATE DATABASE bench' >/dev/null
  export CWMP_TEST_PG_URL="postgres://acs:bench@127.0.0.1:$port/bench"
fi

run() { # run LABEL STORE GPV SCHEMA
  local label=$1 store=$2 gpv=$3 schema=$4
  rm -f "$dir/port"
  local extra=()
  [ -n "$schema" ] && extra=(--store-schema "$schema")
  "$bin/acs" --listen 127.0.0.1:0 --port-file "$dir/port" --user cpe:s3cret --log quiet \
    --store "$store" "${extra[@]}" --queue-limit 100000 --max-runtime 600 2>"$dir/acs-$label.log" &
  acs_pid=$!
  for _ in $(seq 1 100); do [ -s "$dir/port" ] && break; sleep 0.05; done
  [ -s "$dir/port" ] || { echo "error: acs did not start" >&2; cat "$dir/acs-$label.log" >&2; exit 1; }
  "$bin/acs-load" --acs "http://127.0.0.1:$(cat "$dir/port")/acs" --cpes "$cpes" \
    --sessions "$sessions" --gpv "$gpv" --acs-pid "$acs_pid" --label "$label" --max-seconds 120 \
    | tee -a "$dir/results"
  kill "$acs_pid"; wait "$acs_pid" 2>/dev/null || true; acs_pid=""
}

run "sqlite-empty" "$dir/acs.sqlite" 0 ""
run "sqlite-gpv50" "$dir/acs-gpv.sqlite" 50 ""
if [ -n "${CWMP_TEST_PG_URL:-}" ]; then
  run "postgres-empty" "$CWMP_TEST_PG_URL" 0 "bench_empty_$$"
  run "postgres-gpv50" "$CWMP_TEST_PG_URL" 50 "bench_gpv_$$"
fi

line=$(grep '^sqlite-empty:' "$dir/results")
rate=$(sed -E 's/.* = ([0-9]+) sessions\/s.*/\1/' <<<"$line")
cpu=$(sed -E 's/.*ACS CPU ([0-9.]+) s per.*/\1/' <<<"$line")
awk -v r="$rate" 'BEGIN { print (r >= 500 ? "PASS" : "MISS") ": SQLite empty sessions/s " r " (target >= 500)" }'
awk -v c="$cpu" 'BEGIN { print (c <= 1.0 ? "PASS" : "MISS") ": SQLite CPU-s per 1,000 empty sessions " c " (target <= 1.0)" }'
