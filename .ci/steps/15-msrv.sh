#!/usr/bin/env bash
# MSRV: the library and example crates must build with the rust-version the workspace declares
# (`cargo check --lib` with that toolchain, installed with rustup when missing), so the
# declared version is a tested fact, not a wish. Its own target directory keeps the main
# build's artifacts.
set -euo pipefail
cd "$(dirname "$0")/../.."
t0=$(date +%s)

msrv=$(sed -n 's/^rust-version *= *"\([0-9.]*\)".*/\1/p' Cargo.toml | head -n1)
if [ -z "$msrv" ]; then
  echo "error: no rust-version in the workspace Cargo.toml" >&2
  exit 1
fi
echo "declared rust-version: $msrv"
if ! rustup run "$msrv" rustc --version >/dev/null 2>&1; then
  rustup toolchain install "$msrv" --profile minimal
fi
rustup run "$msrv" rustc --version
# Every member inherits it (`rust-version.workspace = true`): none may declare its own.
for manifest in cwmp-core cwmp-soap cwmp-datamodel cwmp-auth examples benches; do
  if ! grep -q '^rust-version.workspace *= *true' "$manifest/Cargo.toml"; then
    echo "error: $manifest/Cargo.toml does not inherit the workspace rust-version" >&2
    exit 1
  fi
done
CARGO_TARGET_DIR=target/msrv cargo +"$msrv" check --locked --workspace --lib --all-features
echo "MSRV $msrv check passed in $(( $(date +%s) - t0 )) s"
