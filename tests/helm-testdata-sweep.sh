#!/usr/bin/env bash
# Renders every test chart in a Helm source checkout with both binaries and
# counts identical results (stdout, stderr, exit code) — a wider net than the
# corpus for loader and error-path behaviour. Not part of the test command:
# it needs a Helm checkout (e.g. `git clone https://github.com/helm/helm`).
#   tests/helm-testdata-sweep.sh HELM_CHECKOUT [CHARTKIT] [HELM]
# Last run (Helm v4.1.4, helm/helm e9b85e4): 328 charts, 318 identical, 6 differ
# only in random values, 4 make Helm panic (apiVersion v3 charts).
set -uo pipefail
src="${1:?usage: $0 HELM_CHECKOUT [CHARTKIT] [HELM]}"
ck="${2:-$(dirname "$0")/../target/debug/chartkit}"
helm="${3:-${CHARTKIT_REFERENCE_HELM:-$HOME/.cache/chartkit-ref/helm/helm}}"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
same=0; total=0
while IFS= read -r chart; do
  total=$((total + 1))
  timeout 60 "$helm" template rel "$chart" >"$tmp/h.out" 2>"$tmp/h.err"; hr=$?
  timeout 60 "$ck" render rel "$chart" --no-plugins >"$tmp/c.out" 2>"$tmp/c.err"; cr=$?
  if [ "$hr" = "$cr" ] && cmp -s "$tmp/h.out" "$tmp/c.out" && cmp -s "$tmp/h.err" "$tmp/c.err"; then
    same=$((same + 1))
  else
    echo "differs (exit $hr vs $cr): $chart"
  fi
done < <( (find "$src/pkg" "$src/internal" -name Chart.yaml -exec dirname {} \; ; find "$src/pkg" "$src/internal" -name '*.tgz') | sort)
echo "helm testdata: $total charts, $same identical"
