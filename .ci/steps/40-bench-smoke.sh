#!/usr/bin/env bash
# Bench smoke test, run from the repository root (or anywhere: it cds there):
#  1. builds every divan bench target of cwmp-benches without running them;
#  2. runs the side-by-side report once in --quick mode (20 ms rounds): proves that every
#     measurement runs and that the correctness checks hold (our decode of each generated
#     message equals its model; the quick-xml Writer document decodes to the same model).
# Performance targets are printed as PASS/MISS and never fail the step (shared, noisy CI
# machines); a failed correctness check does. Needs ../shared/corpus (or $CWMP_SHARED) for the
# corpus, data-model rows; with CI=true a missing corpus is an error. Budget: under 3 minutes.
set -euo pipefail
cd "$(dirname "$0")/../.."
t0=$(date +%s)

shared="${CWMP_SHARED:-../shared}"
if [ ! -d "$shared/corpus" ]; then
  if [ "${CI:-}" = true ]; then
    echo "error: corpus not found at $shared/corpus (set CWMP_SHARED)" >&2
    exit 1
  fi
  echo "warning: corpus not found at $shared/corpus: corpus and data-model rows are skipped" >&2
fi

cargo bench -q -p cwmp-benches --no-run
cargo run -q --release -p cwmp-benches --bin report -- --quick
echo "bench smoke passed in $(( $(date +%s) - t0 )) s"
