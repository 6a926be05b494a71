#!/usr/bin/env bash
# Regenerates the expected outputs of the oracle charts with the reference
# Helm (v4.1.4). Run from anywhere:
#   bash crates/chartkit-sprig/tests/oracle/regen.sh
#
# - Every directory here with a Chart.yaml is rendered with
#   `helm template rel DIR`; stdout goes to DIR/expected.out.
# - Helm runs with TZ=UTC: the date cases that use time.Local expect UTC
#   (tests/oracle_engine.rs skips them when the local zone is not UTC).
# - errors/cases.txt lists one failing expression per line as
#   `name|template text`; each becomes the chart errors/NAME, whose
#   stderr (and exit status) goes to errors/NAME/expected.err.
set -euo pipefail
HELM=${HELM:-/root/.cache/chartkit-ref/helm/helm}
export TZ=UTC
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"

"$HELM" version --short | grep -q '^v4.1.4' || { echo "need Helm v4.1.4 at $HELM" >&2; exit 1; }

# Error charts, generated from errors/cases.txt.
if [[ -f errors/cases.txt ]]; then
  find errors -mindepth 1 -maxdepth 1 -type d -exec rm -rf {} +
  while IFS= read -r line; do
    [[ -z "$line" || "$line" == \#* ]] && continue
    name=${line%%|*}
    text=${line#*|}
    mkdir -p "errors/$name/templates"
    printf 'apiVersion: v2\nname: %s\nversion: 0.1.0\n' "$name" > "errors/$name/Chart.yaml"
    printf '%s\n' "$text" > "errors/$name/templates/t.yaml"
  done < errors/cases.txt
fi

status=0
for chart in */ errors/*/; do
  chart=${chart%/}
  [[ -f "$chart/Chart.yaml" ]] || continue
  if [[ "$chart" == errors/* ]]; then
    if "$HELM" template rel "$chart" > /dev/null 2> "$chart/expected.err"; then
      echo "expected $chart to fail but it rendered" >&2
      status=1
    fi
  else
    if ! "$HELM" template rel "$chart" > "$chart/expected.out" 2> "$chart/stderr.tmp"; then
      echo "$chart failed:" >&2
      cat "$chart/stderr.tmp" >&2
      status=1
    fi
    rm -f "$chart/stderr.tmp"
  fi
done
exit $status
