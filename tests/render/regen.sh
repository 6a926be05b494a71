#!/usr/bin/env bash
# Regenerates golden/ from cases.txt with the reference Helm (v4.1.4):
#   HELM=$(../../../shared/tools/install-reference-helm.sh | tail -1) ./regen.sh
# Writes golden/<case>.yaml (stdout) and golden/<case>.err (exit code, stderr)
# and cases.json in the corpus's format, so one harness runs both suites.
set -euo pipefail
cd "$(dirname "$0")"
helm="${HELM:-$HOME/.cache/chartkit-ref/helm/helm}"
homes="$(mktemp -d)"; trap 'rm -rf "$homes"' EXIT
export HELM_CONFIG_HOME="$homes/c" HELM_CACHE_HOME="$homes/k" HELM_DATA_HOME="$homes/d"
unset HELM_NAMESPACE
rm -rf golden && mkdir golden
python3 - "$helm" <<'PY'
import json, shlex, subprocess, sys
helm = sys.argv[1]
cases = []
for line in open("cases.txt"):
    line = line.strip()
    if not line or line.startswith("#"):
        continue
    name, args = (p.strip() for p in line.split("|", 1))
    argv = shlex.split(args)
    runs = [subprocess.run([helm, "template", *argv], capture_output=True) for _ in range(2)]
    p = runs[0]
    open(f"golden/{name}.yaml", "wb").write(p.stdout)
    open(f"golden/{name}.err", "wb").write(f"exit_code: {p.returncode}\n".encode() + p.stderr)
    cases.append({"case": name, "args": argv, "expect_error": p.returncode != 0,
                  "deterministic": runs[0].stdout == runs[1].stdout, "nondeterministic_sources": []})
json.dump({"helm_version": "v4.1.4", "cases": cases}, open("cases.json", "w"), indent=1)
print(f"{len(cases)} goldens written")
PY
