#!/usr/bin/env bash
# For every chart of the shared corpus, records what the reference Helm prints
# for `toYaml .Values` and `toJson .Values` when the chart's own values.yaml
# is the values of a tiny chart (no templates of the original chart run).
#
# Output: <chart>/toYaml and <chart>/toJson, byte for byte (carried through
# Helm base64-encoded so manifest post-processing cannot touch them).
set -euo pipefail
HELM=${HELM:-/root/.cache/chartkit-ref/helm/helm}
here=$(cd "$(dirname "$0")" && pwd)
corpus=${CORPUS:-$here/../../../../../shared/corpus/charts}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HELM_CONFIG_HOME=$tmp/cfg HELM_CACHE_HOME=$tmp/cache HELM_DATA_HOME=$tmp/data
n=0
for dir in "$corpus"/*/; do
  name=$(basename "$dir")
  chart=$tmp/$name
  mkdir -p "$chart/templates"
  printf 'apiVersion: v2\nname: t\nversion: 0.1.0\n' > "$chart/Chart.yaml"
  cp "$dir/values.yaml" "$chart/values.yaml"
  printf 'y: {{ toYaml .Values | b64enc }}\n' > "$chart/templates/y.yaml"
  printf 'j: {{ toJson .Values | b64enc }}\n' > "$chart/templates/j.yaml"
  "$HELM" template rel "$chart" > "$tmp/out.yaml"
  mkdir -p "$here/$name"
  sed -n 's/^y: //p' "$tmp/out.yaml" | base64 -d > "$here/$name/toYaml"
  sed -n 's/^j: //p' "$tmp/out.yaml" | base64 -d > "$here/$name/toJson"
  n=$((n + 1))
done
echo "recorded $n charts"
