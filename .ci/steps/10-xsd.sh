#!/usr/bin/env bash
# Schema validation of the encoder's output, run from the repository root (or anywhere: it cds
# there): every message of cwmp_core::envelope::METHODS plus Fault, encoded for CWMP 1.0-1.4 in
# several option sets, checked by ../shared/tools/validate-xsd (xmllint against the BBF XSDs).
# Installs libxml2-utils when xmllint is missing (root only). With CI=true the test fails rather
# than skips when the corpus or xmllint is absent.
set -euo pipefail
cd "$(dirname "$0")/../.."
t0=$(date +%s)

if ! command -v xmllint >/dev/null; then
  if [ "$(id -u)" != 0 ]; then
    echo "error: need xmllint (libxml2-utils) and cannot install it (not root)" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libxml2-utils >/dev/null
fi
xmllint --version 2>&1 | sed -n 1p

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
CI=true cargo test -q -p cwmp-soap --test encode_xsd -- --nocapture >"$log" 2>&1 || status=$?
grep -E 'validate-xsd ok|test result|panicked|invalid|FAIL' "$log" || true
if [ "$status" != 0 ]; then
  cat "$log" >&2
  exit "$status"
fi
echo "encoder schema validation passed in $(( $(date +%s) - t0 )) s"
