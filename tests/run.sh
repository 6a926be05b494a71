#!/usr/bin/env bash
# The test command (README): builds the engine plugins from source (installing
# their toolchains when missing), then runs every test of the workspace,
# including the differential test against ../shared/corpus.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -x plugins/build.sh ]; then
  bash plugins/build.sh
fi

status=0
cargo test --workspace --no-fail-fast -- --skip corpus_matches_helm || status=$?

# The differential test against Helm's golden output, with its per-case
# report and the closing "corpus: N passed, N failed" line.
cargo test -p chartkit-cli --test corpus -- --nocapture || status=$?
exit "$status"
