#!/usr/bin/env bash
# Runs chartkit and the reference Helm on every test chart in a Helm source
# checkout and counts identical results (stdout, stderr, exit code; for
# package, the archives' contents too) — a wider net than the corpus for
# loader and error-path behaviour. Not part of the test command: it needs a
# Helm checkout (e.g. `git clone https://github.com/helm/helm`).
#   tests/helm-testdata-sweep.sh render|show|lint|package HELM_CHECKOUT [CHARTKIT] [HELM]
# Last run (Helm v4.1.4 on helm/helm e9b85e4):
#   render  328 charts, 318 identical (6 differ only in random values, 4 make Helm panic)
#   show    1170 runs (5 parts x 234 charts), 1170 identical
#   lint    656 runs (234 charts and 94 archives, with and without --strict), 650 identical
#           (2 malformed-template: Helm reports a JSON decoder error; 2 vary between Helm runs)
#   package 234 charts, 234 identical
set -uo pipefail
mode="${1:?usage: $0 render|show|lint|package HELM_CHECKOUT [CHARTKIT] [HELM]}"
src="${2:?usage: $0 render|show|lint|package HELM_CHECKOUT [CHARTKIT] [HELM]}"
ck="${3:-$(dirname "$0")/../target/debug/chartkit}"
helm="${4:-${CHARTKIT_REFERENCE_HELM:-$HOME/.cache/chartkit-ref/helm/helm}}"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
same=0; total=0

# compare NAME: both runs' stdout/stderr/exit code must agree.
compare() {
  total=$((total + 1))
  if [ "$hr" = "$cr" ] && cmp -s "$tmp/h.out" "$tmp/c.out" && cmp -s "$tmp/h.err" "$tmp/c.err"; then
    same=$((same + 1)); return 0
  fi
  echo "differs (exit $hr vs $cr): $1"; return 1
}

dirs() { find "$src/pkg" "$src/internal" -name Chart.yaml -exec dirname {} \; | sort; }

case "$mode" in
render)
  while IFS= read -r chart; do
    timeout 60 "$helm" template rel "$chart" >"$tmp/h.out" 2>"$tmp/h.err"; hr=$?
    timeout 60 "$ck" render rel "$chart" --no-plugins >"$tmp/c.out" 2>"$tmp/c.err"; cr=$?
    compare "$chart"
  done < <( (dirs; find "$src/pkg" "$src/internal" -name '*.tgz') | sort) ;;
show)
  while IFS= read -r chart; do
    for part in all chart values readme crds; do
      timeout 60 "$helm" show "$part" "$chart" >"$tmp/h.out" 2>"$tmp/h.err"; hr=$?
      timeout 60 "$ck" show "$part" "$chart" >"$tmp/c.out" 2>"$tmp/c.err"; cr=$?
      compare "show $part $chart"
    done
  done < <(dirs) ;;
lint)
  while IFS= read -r chart; do
    for strict in "" --strict; do
      timeout 60 "$helm" lint $strict "$chart" >"$tmp/h.out" 2>"$tmp/h.err"; hr=$?
      timeout 60 "$ck" lint --format helm $strict "$chart" >"$tmp/c.out" 2>"$tmp/c.err"; cr=$?
      compare "lint $strict $chart"
    done
  done < <( (dirs; find "$src/pkg" "$src/internal" -name '*.tgz') | sort) ;;
package)
  while IFS= read -r chart; do
    rm -rf "$tmp/h" "$tmp/c"; mkdir -p "$tmp/h/x" "$tmp/c/x"
    timeout 60 "$helm" package "$chart" -d "$tmp/h" >"$tmp/h.out" 2>"$tmp/h.err"; hr=$?
    timeout 60 "$ck" package "$chart" -d "$tmp/c" >"$tmp/c.out" 2>"$tmp/c.err"; cr=$?
    sed -i "s|$tmp/h|DEST|g" "$tmp/h.out"; sed -i "s|$tmp/c|DEST|g" "$tmp/c.out"
    compare "$chart" || continue
    if [ "$hr" = 0 ]; then
      tar xzf "$tmp"/h/*.tgz -C "$tmp/h/x"; tar xzf "$tmp"/c/*.tgz -C "$tmp/c/x"
      if ! diff -r "$tmp/h/x" "$tmp/c/x" >/dev/null; then
        same=$((same - 1)); echo "archive contents differ: $chart"
      fi
    fi
  done < <(dirs) ;;
*) echo "unknown mode $mode" >&2; exit 2 ;;
esac
echo "helm testdata $mode: $total runs, $same identical"
