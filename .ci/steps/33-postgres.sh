#!/usr/bin/env bash
# The ACS store on a real PostgreSQL: installs Debian's postgresql when missing, creates a
# throwaway cluster in a temporary directory (password auth, 127.0.0.1 on a free port, its own
# Unix socket directory), exports CWMP_TEST_PG_URL and runs the PostgreSQL tests (they are
# #[ignore]d in the plain `cargo test` and fail here without the URL); then stops the cluster
# and removes it.
set -euo pipefail
cd "$(dirname "$0")/../.."
t0=$(date +%s)

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
if [ -z "$(pg_bin)" ] || [ ! -x "$(pg_bin)/initdb" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "error: PostgreSQL is missing and cannot be installed (not root)" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
bin=$(pg_bin)
"$bin/postgres" --version

dir=$(mktemp -d)
chmod 755 "$dir"
as_pg=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir "$dir" postgres
  chown postgres "$dir"
  as_pg=(runuser -u postgres --)
fi
cleanup() {
  if [ -f "$dir/data/postmaster.pid" ]; then
    "${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 20 stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT

password="acs-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
printf '%s\n' "$password" > "$dir/pw"
[ "$(id -u)" = 0 ] && chown postgres "$dir/pw"
"${as_pg[@]}" "$bin/initdb" -D "$dir/data" -U acs --pwfile="$dir/pw" -A scram-sha-256 \
  -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
mkdir -p "$dir/sock" && [ "$(id -u)" = 0 ] && chown postgres "$dir/sock"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/pg.log" -w -t 30 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/sock -c fsync=off -c max_connections=200" \
  start >/dev/null || { cat "$dir/pg.log" >&2; exit 1; }
PGPASSWORD="$password" "$bin/psql" -q -h 127.0.0.1 -p "$port" -U acs -d postgres \
  -c 'CREATE DATABASE cwmp_test' >/dev/null

export CWMP_TEST_PG_URL="postgres://acs:$password@127.0.0.1:$port/cwmp_test"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
CI=true cargo test -q -p cwmp-examples --test acs_store_postgres --test acs_two_instances -- --ignored
echo "PostgreSQL tests passed in $(( $(date +%s) - t0 )) s"
