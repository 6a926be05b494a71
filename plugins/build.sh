#!/usr/bin/env bash
# Builds every chartkit engine plugin and the host's test fixtures, installing the guest
# toolchains a fresh machine lacks. CI runs it before `cargo test -p chartkit-plugin-host`.
#
#   plugins/build.sh [--no-install] [--test]
#
#   --no-install  do not install toolchains (rustup target, componentize-py, npm packages)
#   --test        also run each plugin's own unit tests (cargo, unittest, node --test)
#
# Toolchains (pinned): Rust target wasm32-wasip2 (rustup), componentize-py 0.25.1 (pip),
# componentize-qjs 0.4.5 (npm, into plugins/mongodb/node_modules). No apt packages needed.
# Components land in plugins/<name>/dist/<name>.wasm with a build record <name>.json; the
# hostile fixtures in plugins/testdata/hostile/target/wasm32-wasip2/release/.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
install=1
run_tests=0
for arg in "$@"; do
  case "$arg" in
    --no-install) install=0 ;;
    --test) run_tests=1 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "unknown option: $arg" >&2; exit 2 ;;
  esac
done

COMPONENTIZE_PY_VERSION=0.25.1
step() { printf '\n== %s\n' "$*" >&2; }

if [[ $install == 1 ]]; then
  step "toolchains"
  if ! rustup target list --installed | grep -qx wasm32-wasip2; then
    rustup target add wasm32-wasip2
  fi
  if ! componentize-py --version 2>/dev/null | grep -q "$COMPONENTIZE_PY_VERSION"; then
    python3 -m pip install --quiet "componentize-py==$COMPONENTIZE_PY_VERSION"
  fi
  if [[ ! -x "$here/mongodb/node_modules/.bin/componentize-qjs" ]]; then
    (cd "$here/mongodb" && npm install --no-audit --no-fund)  # npm ci trips over optional per-platform packages missing from the lock
  fi
fi

# The build runner validates each component with the real host (compile, type-check the
# interface, call describe) and shares its compiled-component cache with the host's tests.
target="${CARGO_TARGET_DIR:-$root/target}"
export CHARTKIT_CACHE_DIR="${CHARTKIT_CACHE_DIR:-$target/tmp/chartkit-cache}"

step "test fixtures (plugins/testdata/hostile)"
start=$(date +%s)
(cd "$here/testdata/hostile" && cargo build --quiet --release --target wasm32-wasip2 --target-dir target)
echo "fixtures built in $(( $(date +%s) - start ))s" >&2

step "build runner"
(cd "$root" && cargo build --quiet -p chartkit-plugin-host --example build-plugins)
runner="$target/debug/examples/build-plugins"

status=0
for manifest in "$here"/*/chartkit-plugin.toml; do
  dir="$(dirname "$manifest")"
  step "plugin $(basename "$dir")"
  "$runner" "$dir" || status=1
done

if [[ $run_tests == 1 ]]; then
  step "plugin unit tests"
  (cd "$here/elasticsearch" && cargo test --quiet --lib --target-dir target) || status=1
  (cd "$here/etcd" && cargo test --quiet --lib --target-dir target) || status=1
  (cd "$here/consul" && python3 -m unittest discover -s tests) || status=1
  (cd "$here/mongodb" && node --test test/) || status=1
fi
exit $status
