#!/usr/bin/env bash
# The CPE's connection-request checks (cwmp-auth crserver) against a real ACS-side client:
# `curl --digest` through a small std::net HTTP server on 127.0.0.1 (cwmp-auth/tests/
# crserver_curl.rs): right and wrong credentials, wrong path, 503 during a session, a stale
# nonce after a restart with a new secret (curl must retry and succeed), the rate limit.
# Needs only curl (installed when missing, root only); no server outside the test itself.
set -euo pipefail
cd "$(dirname "$0")/../.."
t0=$(date +%s)
if ! command -v curl >/dev/null; then
  if [ "$(id -u)" != 0 ]; then
    echo "error: need curl and cannot install it (not root)" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends curl >/dev/null
fi
curl --version | sed -n 1p
CI=true timeout 300 cargo test -q -p cwmp-auth --test crserver_curl -- --nocapture
echo "connection-request curl interop passed in $(( $(date +%s) - t0 )) s"
