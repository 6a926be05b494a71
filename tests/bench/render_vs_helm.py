#!/usr/bin/env python3
"""Render benchmark: chartkit vs the reference Helm, side by side, on the
corpus's default cases. For each case both binaries run alternately N times;
the per-case ratio is helm median / chartkit median. Prints a table, the
median ratio and peak memory (max RSS) of each.

usage: render_vs_helm.py [--runs N] [--chartkit PATH] [--helm PATH] [--all]
"""
import argparse, json, os, statistics, subprocess, sys, tempfile, time
from pathlib import Path

root = Path(__file__).resolve().parents[2]
corpus = root.parent / "shared" / "corpus"

def run(cmd, cwd, env):
    """Wall time (s) of one run, from spawn to exit. posix_spawn keeps the
    harness's own cost (a fork of this Python process costs about a
    millisecond) out of the measurement of a 5 ms render."""
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

def peak_rss(cmd, cwd, env):
    """Peak RSS (KiB) of one run, from GNU time."""
    out = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, cwd=cwd, env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        return int(out.stderr.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--chartkit", default=str(root / "target" / "release" / "chartkit"))
    ap.add_argument("--helm", default=os.environ.get("CHARTKIT_REFERENCE_HELM",
                    str(Path.home() / ".cache/chartkit-ref/helm/helm")))
    ap.add_argument("--all", action="store_true", help="every case, not only the default ones")
    a = ap.parse_args()
    for b in (a.chartkit, a.helm):
        if not os.access(b, os.X_OK):
            sys.exit(f"not executable: {b} (build with `cargo build --release`, install Helm with "
                     "../shared/tools/install-reference-helm.sh)")
    home = tempfile.mkdtemp()
    env = dict(os.environ, HELM_CONFIG_HOME=f"{home}/c", HELM_CACHE_HOME=f"{home}/k", HELM_DATA_HOME=f"{home}/d")
    cases = [c for c in json.load(open(corpus / "cases.json"))["cases"] if a.all or c["kind"] == "default"]
    ratios, rows, ck_rss, helm_rss = [], [], [], []
    for c in cases:
        ck_cmd = [a.chartkit, "render", *c["args"]]
        helm_cmd = [a.helm, "template", *c["args"]]
        ck, hm = [], []
        for _ in range(a.runs):
            ck.append(run(ck_cmd, corpus, env))
            hm.append(run(helm_cmd, corpus, env))
        cm, hmed = statistics.median(ck), statistics.median(hm)
        ratios.append(hmed / cm)
        r1, r2 = peak_rss(ck_cmd, corpus, env), peak_rss(helm_cmd, corpus, env)
        if r1: ck_rss.append(r1)
        if r2: helm_rss.append(r2)
        rows.append((c["case"], cm * 1000, hmed * 1000, hmed / cm))
    print(f"{'case':45} {'chartkit ms':>12} {'helm ms':>9} {'ratio':>7}")
    for name, cm, hmed, r in rows:
        print(f"{name:45} {cm:12.1f} {hmed:9.1f} {r:7.1f}x")
    print(f"\ncases: {len(rows)}, runs each: {a.runs}")
    print(f"median ratio (helm time / chartkit time): {statistics.median(ratios):.1f}x")
    print(f"min ratio: {min(ratios):.1f}x, max ratio: {max(ratios):.1f}x")
    if ck_rss and helm_rss:
        print(f"peak RSS: chartkit max {max(ck_rss)/1024:.1f} MiB (median {statistics.median(ck_rss)/1024:.1f}), "
              f"helm max {max(helm_rss)/1024:.1f} MiB (median {statistics.median(helm_rss)/1024:.1f})")

if __name__ == "__main__":
    main()
