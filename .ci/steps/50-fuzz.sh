#!/usr/bin/env bash
# Fuzz smoke run (issue 6): builds every cargo-fuzz target in fuzz/, seeds the corpora
# (fuzz/seed.sh, from our test vectors and ../shared/corpus, into the git-ignored
# fuzz/corpus/), then runs each target for FUZZ_SECONDS (default 30) seconds. Any crash, leak,
# timeout or out-of-memory fails the step; the artifact is printed (hex and text) so the log
# alone is enough to reproduce it. Budget on 2 cores: cargo-fuzz install ~4 min (only when
# missing), build ~3-5 min from scratch, then 13 x 30 s two at a time (~3.5 min).
#
# Env: FUZZ_SECONDS (per target), FUZZ_TARGETS (space-separated subset), FUZZ_JOBS (targets run
# at once, default 2: the CI machine has 2 cores).
set -euo pipefail
cd "$(dirname "$0")/../.."
t0=$(date +%s)
secs="${FUZZ_SECONDS:-30}"
jobs="${FUZZ_JOBS:-2}"

if ! command -v cargo-fuzz >/dev/null 2>&1; then
  echo "--- installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

# cargo-fuzz builds into fuzz/target; never into the workspace's target dir.
unset CARGO_TARGET_DIR
export RUSTC_BOOTSTRAP=1

echo "--- cargo fuzz build"
(cd fuzz && cargo fuzz build -O --debug-assertions)
triple=$(rustc -vV | sed -n 's/^host: //p')
bin="fuzz/target/$triple/release"

echo "--- seeding"
bash fuzz/seed.sh

# target:max_len (bytes):dictionary
all_targets=(
  decode_lenient:65536:soap
  decode_strict:65536:soap
  roundtrip:65536:soap
  fast_general:65536:soap
  arena_decode:65536:soap
  structured_roundtrip:16384:
  auth_www_authenticate:8192:
  auth_authorization:8192:
  udp_connection_request:4096:
  stun_message:2048:
  xmpp_stanza:8192:
  path_parse:1024:
  datamodel_load:65536:datamodel
)
selected=()
for spec in "${all_targets[@]}"; do
  name=${spec%%:*}
  if [ -z "${FUZZ_TARGETS:-}" ] || [[ " $FUZZ_TARGETS " == *" $name "* ]]; then
    selected+=("$spec")
  fi
done

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

run_one() {
  local name max_len dict
  IFS=: read -r name max_len dict <<<"$1"
  local art="fuzz/artifacts/$name/"
  local extra=()
  [ -z "$dict" ] || extra+=(-dict="fuzz/dicts/$dict.dict")
  mkdir -p "$art" "fuzz/corpus/$name"
  set +e
  "$bin/$name" "fuzz/corpus/$name" \
    -max_total_time="$secs" -max_len="$max_len" -rss_limit_mb=2048 -timeout=10 \
    -artifact_prefix="$art" -print_final_stats=1 "${extra[@]}" >"$logs/$name.log" 2>&1
  local rc=$?
  set -e
  echo "$rc" >"$logs/$name.rc"
}

failed=()
i=0
for spec in "${selected[@]}"; do
  run_one "$spec" &
  i=$((i + 1))
  if [ $((i % jobs)) -eq 0 ]; then wait; fi
done
wait

for spec in "${selected[@]}"; do
  name=${spec%%:*}
  rc=$(cat "$logs/$name.rc")
  stats=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$logs/$name.log" | tail -1 || true)
  [ -n "$stats" ] || stats=$(grep -E '^#[0-9]+' "$logs/$name.log" | tail -1 || true)
  printf '%-24s rc=%s %s\n' "$name" "$rc" "$stats"
  if [ "$rc" != 0 ]; then
    failed+=("$name")
    echo "----- $name: log tail"
    tail -n 60 "$logs/$name.log"
    for a in "fuzz/artifacts/$name"/*; do
      [ -f "$a" ] || continue
      echo "----- artifact $a ($(wc -c <"$a") bytes)"
      od -A d -c "$a" | sed -n 1,40p
      echo "reproduce: (cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run $name ${a#fuzz/})"
    done
  fi
done

echo "fuzz: ${#selected[@]} targets x ${secs}s, $(( $(date +%s) - t0 ))s in total"
if [ ${#failed[@]} -gt 0 ]; then
  echo "error: fuzz targets failed: ${failed[*]}" >&2
  exit 1
fi
