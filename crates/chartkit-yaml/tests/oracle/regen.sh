#!/usr/bin/env bash
# Regenerates the expected outputs of the oracle tests with the reference Helm.
#
# cases/<name>/values.yaml   input values file
# cases/<name>/expected/<fn> what `{{ <fn> .Values }}` renders (Helm's template
#                            functions toYaml, toYamlPretty, toJson, toPrettyJson,
#                            toRawJson, toToml), byte for byte
# errors/<name>.yaml         a broken values file
# errors/<name>.err          Helm's stderr for `helm template rel CHART` with it
#                            as the chart's values.yaml
#
# Outputs are carried through Helm base64-encoded so no manifest
# post-processing can touch them.
set -euo pipefail
HELM=${HELM:-/root/.cache/chartkit-ref/helm/helm}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HELM_CONFIG_HOME=$tmp/cfg HELM_CACHE_HOME=$tmp/cache HELM_DATA_HOME=$tmp/data
fns="toYaml toYamlPretty toJson toPrettyJson toRawJson toToml"

make_chart() { # dir
  mkdir -p "$1/templates"
  printf 'apiVersion: v2\nname: t\nversion: 0.1.0\n' > "$1/Chart.yaml"
  for fn in $fns; do
    printf 'out: {{ %s .Values | b64enc }}\n' "$fn" > "$1/templates/$fn.yaml"
  done
}

for case in "$here"/cases/*/; do
  name=$(basename "$case")
  chart=$tmp/chart-$name
  make_chart "$chart"
  cp "$case/values.yaml" "$chart/values.yaml"
  "$HELM" template rel "$chart" > "$tmp/out.yaml"
  # Only deterministic outputs make goldens (go-yaml's key order is not
  # deterministic for some key sets).
  for _ in 1 2 3; do
    "$HELM" template rel "$chart" | cmp -s - "$tmp/out.yaml" || { echo "nondeterministic: $name" >&2; exit 1; }
  done
  mkdir -p "$case/expected"
  for fn in $fns; do
    awk -v want="# Source: t/templates/$fn.yaml" '
      $0 == want { grab = 1; next }
      grab && /^out: / { sub(/^out: /, ""); print; exit }' "$tmp/out.yaml" \
      | base64 -d > "$case/expected/$fn"
  done
done

for bad in "$here"/errors/*.yaml; do
  chart=$tmp/err-chart
  rm -rf "$chart"
  make_chart "$chart"
  cp "$bad" "$chart/values.yaml"
  if "$HELM" template rel "$chart" > /dev/null 2> "${bad%.yaml}.err"; then
    echo "expected an error for $bad" >&2
    exit 1
  fi
done
echo "regenerated $(ls -d "$here"/cases/*/ | wc -l) cases and $(ls "$here"/errors/*.yaml | wc -l) error cases"
