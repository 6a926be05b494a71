#!/usr/bin/env bash
# Regenerates src/kube/kinds_table.rs: every ListableResource type of the
# k8s-openapi version module given (e.g. ~/.cargo/registry/src/*/k8s-openapi-0.29.0/src/v1_37).
set -euo pipefail
dir=$1
cd "$dir"
echo "// Generated from k8s-openapi 0.29 (v1_37): every ListableResource type. Regenerate with"
echo "// tools/gen_kinds.sh <k8s-openapi src/v1_37 dir> when the k8s-openapi feature changes."
echo "kinds! {"
grep -rl "impl crate::ListableResource for" . | sort | while read -r f; do
  t=$(grep -oP "impl crate::ListableResource for \K\w+" "$f")
  m=$(dirname "$f" | sed 's|^\./||; s|/|::|g')
  echo "    $m::$t,"
done
echo "}"
