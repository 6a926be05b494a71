#!/usr/bin/env bash
# Regenerates tests/lint/helm-oracle/*.txt: what the reference Helm (v4.1.4)
# prints for `helm lint` and `helm lint --strict` on chartkit's lint test
# charts (tests/lint/charts/*) and the broken/clean datastore fixtures
# (tests/charts/{broken,clean}/*). Run from anywhere; paths are printed
# relative to the repository root, and the absolute root is written as <ROOT>.
# Format: the one of ../shared/corpus/lint (### command, exit_code, stdout, stderr).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
helm="${HELM:-/root/.cache/chartkit-ref/helm/helm}"
[ -x "$helm" ] || helm="$(bash "$root/../shared/tools/install-reference-helm.sh" | tail -n 1)"
out="$root/tests/lint/helm-oracle"
mkdir -p "$out"
cd "$root"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export HELM_CONFIG_HOME="$tmp" HELM_CACHE_HOME="$tmp" HELM_DATA_HOME="$tmp"
for chart in tests/lint/charts/* tests/charts/broken/* tests/charts/clean/*; do
  [ -f "$chart/Chart.yaml" ] || continue
  name="$(echo "$chart" | tr '/' '_')"
  {
    for strict in "" "--strict"; do
      cmd="helm lint${strict:+ $strict} $chart"
      set +e
      "$helm" lint $strict "$chart" >"$tmp/stdout" 2>"$tmp/stderr"
      code=$?
      set -e
      echo "### $cmd"
      echo "exit_code: $code"
      echo "--- stdout"
      sed "s#$root/#<ROOT>/#g" "$tmp/stdout"
      echo "--- stderr"
      sed "s#$root/#<ROOT>/#g" "$tmp/stderr"
      echo
    done
  } >"$out/$name.txt"
done
echo "wrote $(ls "$out" | wc -l) files to $out"
