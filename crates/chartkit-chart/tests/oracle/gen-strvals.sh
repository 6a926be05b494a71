#!/usr/bin/env bash
# Regenerates strvals.tsv with the reference Helm: each line of
# strvals-inputs.txt is "<flag>\t<arg>"; the output adds what Helm made of it
# (toJson .Values, or the error line).
set -euo pipefail
HELM=${HELM:-/root/.cache/chartkit-ref/helm/helm}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
mkdir -p "$tmp/c/templates"
printf 'apiVersion: v2\nname: c\nversion: 0.1.0\n' > "$tmp/c/Chart.yaml"
printf 'v: {{ toJson .Values | quote }}\n' > "$tmp/c/templates/v.yaml"
: > "$here/strvals.tsv"
while IFS=$'\t' read -r flag arg; do
  [ -z "$flag" ] && continue
  if out=$("$HELM" template r "$tmp/c" "$flag" "$arg" 2>&1); then
    res=$(printf '%s\n' "$out" | sed -n 's/^v: //p')
    printf '%s\t%s\tok\t%s\n' "$flag" "$arg" "$res" >> "$here/strvals.tsv"
  else
    printf '%s\t%s\terr\t%s\n' "$flag" "$arg" "$(printf '%s' "$out" | head -1)" >> "$here/strvals.tsv"
  fi
done < "$here/strvals-inputs.txt"
rm -rf "$tmp"
