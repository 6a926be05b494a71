#!/bin/sh
# Runs `chartkit post-render` on the manifests Helm passes on stdin.
# $CHARTKIT names the chartkit binary when it is not on PATH. The namespace
# Helm renders for comes in as $HELM_NAMESPACE.
set -e
exec "${CHARTKIT:-chartkit}" post-render --namespace "${HELM_NAMESPACE:-default}" "$@"
