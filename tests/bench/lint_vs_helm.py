#!/usr/bin/env python3
"""Lint benchmark: chartkit vs the reference Helm, side by side, on every
public corpus chart. Per chart, alternately N times: `helm lint CHART`,
`chartkit lint --format helm CHART` (Helm's rules only, Helm's output) and
`chartkit lint CHART` (every rule: Helm's, the StatefulSet/storage/quorum
rules, strict schema validation of the rendered objects). The ratio is helm
median / chartkit median. Then all charts in one invocation of each, which
is what `chartkit lint charts/*` costs in CI.

usage: lint_vs_helm.py [--runs N] [--chartkit PATH] [--helm PATH]
"""
import argparse, os, statistics, sys, tempfile, time
from pathlib import Path

root = Path(__file__).resolve().parents[2]
corpus = root.parent / "shared" / "corpus"


def run(cmd, cwd, env):
    """Wall time (s) of one run, spawn to exit (posix_spawn: no fork of Python in the timing)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    actions = [(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)]
    prev = os.getcwd()
    os.chdir(cwd)
    try:
        t = time.perf_counter()
        pid = os.posix_spawn(cmd[0], cmd, env, file_actions=actions)
        os.waitpid(pid, 0)
        elapsed = time.perf_counter() - t
    finally:
        os.chdir(prev)
        os.close(devnull)
    return elapsed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--chartkit", default=str(root / "target" / "release" / "chartkit"))
    ap.add_argument("--helm", default=os.environ.get(
        "CHARTKIT_REFERENCE_HELM", str(Path.home() / ".cache/chartkit-ref/helm/helm")))
    a = ap.parse_args()
    for b in (a.chartkit, a.helm):
        if not os.access(b, os.X_OK):
            sys.exit(f"not executable: {b} (build with `cargo build --release`, install Helm with "
                     "../shared/tools/install-reference-helm.sh)")
    home = tempfile.mkdtemp()
    env = dict(os.environ, HELM_CONFIG_HOME=f"{home}/c", HELM_CACHE_HOME=f"{home}/k",
               HELM_DATA_HOME=f"{home}/d", CHARTKIT_PLUGINS_DIR=f"{home}/p")
    charts = sorted(f"charts/{p.name}" for p in (corpus / "charts").iterdir() if (p / "Chart.yaml").is_file())
    rows, helm_ratio, full_ratio = [], [], []
    for c in charts:
        hm, ckh, ckf = [], [], []
        for _ in range(a.runs):
            hm.append(run([a.helm, "lint", c], corpus, env))
            ckh.append(run([a.chartkit, "lint", "--format", "helm", c], corpus, env))
            ckf.append(run([a.chartkit, "lint", "--no-plugins", c], corpus, env))
        h, k1, k2 = statistics.median(hm), statistics.median(ckh), statistics.median(ckf)
        helm_ratio.append(h / k1)
        full_ratio.append(h / k2)
        rows.append((c, h * 1000, k1 * 1000, k2 * 1000))
    print(f"{'chart':40} {'helm ms':>9} {'ck --format helm':>17} {'ck all rules':>13}")
    for name, h, k1, k2 in rows:
        print(f"{name:40} {h:9.1f} {k1:17.1f} {k2:13.1f}")
    print(f"\ncharts: {len(rows)}, runs each: {a.runs}")
    print(f"median ratio helm lint / chartkit lint --format helm: {statistics.median(helm_ratio):.1f}x")
    print(f"median ratio helm lint / chartkit lint (all rules):  {statistics.median(full_ratio):.1f}x")
    together = {
        "helm lint (all charts)": [a.helm, "lint", *charts],
        "chartkit lint --format helm (all charts)": [a.chartkit, "lint", "--format", "helm", *charts],
        "chartkit lint (all charts, all rules)": [a.chartkit, "lint", "--no-plugins", *charts],
    }
    for label, cmd in together.items():
        t = statistics.median(run(cmd, corpus, env) for _ in range(a.runs))
        print(f"{label:45} {t:6.2f} s")


if __name__ == "__main__":
    main()
