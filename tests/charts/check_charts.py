#!/usr/bin/env python3
"""Checks charts/{elasticsearch,consul,mongodb} and the lint fixtures with the reference Helm.

For every chart and `replicas` in 1, 3, 5 (and a few value variants) it runs `helm lint
--strict` (0 failures, no warnings) and `helm template`, then checks the rendered objects:
a small, independent implementation of the LINT-RULES.md B/C rules these charts promise to
pass, plus the seed lists (ES discovery, Consul -retry-join, MongoDB members) against what
the engine plugins compute. With `kubernetes-validate` installed (pip), every object is also
validated strictly against the Kubernetes 1.31 OpenAPI schema.

The fixtures: tests/charts/clean/* must give no finding; each tests/charts/broken/<rule>[--case]
must give a finding of <rule> (its Chart.yaml annotation chartkit.dev/expect-rule).

The MongoDB rs-init hook's JavaScript is executed under node against a fake replica set
(tests/charts/rs_sim.mjs): initiate, scale up, scale down, past 7 voting members.

Usage: python3 tests/charts/check_charts.py [-v]      exit 0 when everything holds.
Environment: HELM (default /root/.cache/chartkit-ref/helm/helm).
"""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
HELM = os.environ.get("HELM", "/root/.cache/chartkit-ref/helm/helm")
VERBOSE = "-v" in sys.argv
NS = "db"
REL = "rel"

REMOVED_APIS = {
    ("apps/v1beta1", "StatefulSet"), ("apps/v1beta2", "StatefulSet"),
    ("apps/v1beta1", "Deployment"), ("apps/v1beta2", "Deployment"),
    ("extensions/v1beta1", "Deployment"), ("extensions/v1beta1", "Ingress"),
    ("networking.k8s.io/v1beta1", "Ingress"), ("policy/v1beta1", "PodDisruptionBudget"),
    ("batch/v1beta1", "CronJob"),
}
VOLATILE_LABEL_KEYS = {"helm.sh/chart", "app.kubernetes.io/version", "chart", "version"}
ENGINE_PEER_PORTS = {"elasticsearch": {9300}, "consul": {8300, 8301, 8302}, "mongodb": {27017}}
MAJORITY_ENGINES = {"elasticsearch", "consul", "mongodb"}

failures: list[str] = []


def fail(msg: str) -> None:
    failures.append(msg)
    print(f"FAIL {msg}")


def run(args: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, **kw)


def helm_template(chart: Path, *sets: str) -> tuple[str, str, int]:
    args = [HELM, "template", REL, str(chart), "-n", NS]
    for s in sets:
        args += ["-f", s] if s.endswith(".yaml") else ["--set", s]
    p = run(args)
    return p.stdout, p.stderr, p.returncode


def helm_lint_strict(chart: Path) -> tuple[bool, str]:
    p = run([HELM, "lint", "--strict", str(chart)])
    clean = p.returncode == 0 and "[WARNING]" not in p.stdout and "[ERROR]" not in p.stdout
    return clean, p.stdout + p.stderr


def docs(text: str) -> list[dict]:
    return [d for d in yaml.safe_load_all(text) if isinstance(d, dict)]


def pod_spec(o: dict) -> dict:
    return ((o.get("spec") or {}).get("template") or {}).get("spec") or {}


def pod_labels(o: dict) -> dict:
    return (((o.get("spec") or {}).get("template") or {}).get("metadata") or {}).get("labels") or {}


def subset(a: dict, b: dict) -> bool:
    return bool(a) and all(b.get(k) == v for k, v in a.items())


def containers(o: dict, init: bool = True) -> list[dict]:
    spec = pod_spec(o)
    out = list(spec.get("containers") or [])
    if init:
        out += list(spec.get("initContainers") or [])
    return out


def is_hook(o: dict) -> bool:
    return "helm.sh/hook" in ((o.get("metadata") or {}).get("annotations") or {})


def mem_bytes(q) -> int | None:
    m = re.fullmatch(r"([0-9.]+)(Ki|Mi|Gi|Ti|k|M|G|T)?", str(q))
    if not m:
        return None
    mult = {None: 1, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40,
            "k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12}[m.group(2)]
    return int(float(m.group(1)) * mult)


def java_bytes(s: str) -> int | None:
    m = re.fullmatch(r"([0-9]+)([kmg]?)", s.lower())
    if not m:
        return None
    return int(m.group(1)) * {"": 1, "k": 2**10, "m": 2**20, "g": 2**30}[m.group(2)]


def lint_objects(objs: list[dict], chart_meta: dict) -> list[tuple[str, str]]:
    """The rendered-manifest rules; returns (rule id, message) findings."""
    out: list[tuple[str, str]] = []

    def f(rule: str, msg: str) -> None:
        out.append((rule, msg))

    engine = (chart_meta.get("annotations") or {}).get("chartkit.dev/engine")
    app_version = str(chart_meta.get("appVersion", ""))
    seen = set()
    for o in objs:
        key = (o.get("kind"), (o.get("metadata") or {}).get("namespace"), (o.get("metadata") or {}).get("name"))
        if key in seen:
            f("duplicate-resource", f"{key} twice")
        seen.add(key)
        if (o.get("apiVersion"), o.get("kind")) in REMOVED_APIS:
            f("render-capabilities", f"{o['kind']} uses the removed {o['apiVersion']}")
    services = [o for o in objs if o.get("kind") == "Service"]
    pdbs = [o for o in objs if o.get("kind") == "PodDisruptionBudget"]
    workloads = [o for o in objs if o.get("kind") in ("StatefulSet", "Deployment", "DaemonSet", "Job")]
    for o in services:
        if "spec" in (o.get("metadata") or {}):
            f("schema-validate-rendered", f"Service {o['metadata'].get('name')}: spec under metadata")
    for o in workloads:
        if "volumeMounts" in pod_spec(o):
            f("schema-validate-rendered", f"{o['kind']} {o['metadata']['name']}: volumeMounts beside containers")

    for sts in (o for o in objs if o.get("kind") == "StatefulSet"):
        name = sts["metadata"]["name"]
        spec = sts.get("spec") or {}
        n = int(spec.get("replicas", 1))
        labels = pod_labels(sts)
        ps = pod_spec(sts)
        selector = (spec.get("selector") or {}).get("matchLabels") or {}
        # B1-B3, B14, B15
        svc = next((s for s in services if s["metadata"]["name"] == spec.get("serviceName")), None)
        if svc is None:
            f("sts-service-exists", f"serviceName {spec.get('serviceName')!r} names no Service")
        else:
            sspec = svc.get("spec") or {}
            if sspec.get("clusterIP") != "None":
                f("sts-service-headless", f"Service {svc['metadata']['name']} is not headless")
            if not subset(sspec.get("selector") or {}, labels):
                f("sts-service-selects-pods", f"Service {svc['metadata']['name']} selects no pod")
            if n > 1 and sspec.get("publishNotReadyAddresses") is not True:
                f("headless-publish-not-ready", f"Service {svc['metadata']['name']}")
            ports = {p.get("port") for p in sspec.get("ports") or []}
            missing = ENGINE_PEER_PORTS.get(engine, set()) - ports
            if missing:
                f("service-targetport-resolves", f"peer ports {sorted(missing)} not on the headless Service")
        # B4, B5, B6
        if not subset(selector, labels):
            f("sts-selector-matches-template", "selector does not match the template labels")
        if set(selector) & VOLATILE_LABEL_KEYS or set(selector) - {"app.kubernetes.io/name", "app.kubernetes.io/instance"}:
            f("selector-no-volatile-labels", f"selector keys {sorted(selector)}")
        vcts = spec.get("volumeClaimTemplates") or []
        for v in vcts:
            vl = (v.get("metadata") or {}).get("labels") or {}
            if set(vl) & VOLATILE_LABEL_KEYS:
                f("vct-no-volatile-labels", f"claim template {v['metadata']['name']} labels {sorted(vl)}")
        # B8-B11
        volumes = {v["name"] for v in ps.get("volumes") or []}
        claim_names = {v["metadata"]["name"] for v in vcts}
        if volumes & claim_names:
            f("volumemount-resolves", f"volume and claim template share {sorted(volumes & claim_names)}")
        mounted = set()
        for c in containers(sts):
            for m in c.get("volumeMounts") or []:
                mounted.add(m["name"])
                if m["name"] not in volumes | claim_names:
                    f("volumemount-resolves", f"{c['name']} mounts {m['name']!r}: no such volume")
        for v in vcts:
            vn = v["metadata"]["name"]
            if vn not in mounted:
                f("vct-mounted", f"claim template {vn} is not mounted")
            vs = v.get("spec") or {}
            if not ((vs.get("resources") or {}).get("requests") or {}).get("storage") or not vs.get("accessModes"):
                f("vct-storage-request", f"claim template {vn}")
            if "ReadWriteMany" in (vs.get("accessModes") or []):
                f("vct-storage-request", f"claim template {vn} is ReadWriteMany")
        # B17, B18
        if n > 1 and spec.get("podManagementPolicy") != "Parallel":
            f("ordered-ready-quorum-deadlock", "OrderedReady with replicas > 1")
        us = spec.get("updateStrategy") or {}
        if us.get("type") == "OnDelete" or (us.get("rollingUpdate") or {}).get("partition"):
            f("sts-rollout-trap", str(us))
        # B19-B21
        sel_pdbs = [p for p in pdbs if subset(((p.get("spec") or {}).get("selector") or {}).get("matchLabels") or {}, labels)]
        if n >= 2 and not sel_pdbs:
            f("sts-has-pdb", "no PodDisruptionBudget selects the pods")
        for p in sel_pdbs:
            pspec = p.get("spec") or {}
            mu, ma = pspec.get("maxUnavailable"), pspec.get("minAvailable")
            if mu == 0 or mu == "0%" or ma == "100%" or (isinstance(ma, int) and ma >= n):
                f("pdb-not-blocking", f"PodDisruptionBudget {p['metadata']['name']} blocks drains")
            if engine in MAJORITY_ENGINES and n >= 3 and isinstance(mu, int) and mu > (min(n, 7) - 1) // 2:
                f("pdb-quorum-safe", f"maxUnavailable {mu} with {n} members")
        # B23
        aff = (ps.get("affinity") or {}).get("podAntiAffinity") or {}
        if n > 1 and not aff and not ps.get("topologySpreadConstraints"):
            f("sts-anti-affinity", "no pod anti-affinity or topology spread")
        # B24-B27, pod security
        for c in containers(sts):
            r = c.get("resources") or {}
            req, lim = r.get("requests") or {}, r.get("limits") or {}
            if not (req.get("cpu") and req.get("memory") and lim.get("memory")):
                f("sts-resources", f"container {c['name']}: requests {req} limits {lim}")
        main = containers(sts, init=False)
        for c in main:
            ready, live = c.get("readinessProbe"), c.get("livenessProbe")
            if not ready:
                f("sts-probes", f"{c['name']} has no readiness probe")
            elif live == ready:
                f("sts-probes", f"{c['name']}: liveness equals readiness")
            if live and re.search(r"_cluster/health|status/leader|rs\.status|replSetGetStatus", json.dumps(live)):
                f("sts-probes", f"{c['name']}: liveness tied to cluster health")
            names = {p.get("name") for p in c.get("ports") or []}
            nums = {p.get("containerPort") for p in c.get("ports") or []}
            for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
                for kind in ("tcpSocket", "httpGet"):
                    port = ((c.get(probe) or {}).get(kind) or {}).get("port")
                    if port is not None and port not in names and port not in nums:
                        f("probe-port-exists", f"{c['name']} {probe} port {port}")
        if "terminationGracePeriodSeconds" not in ps:
            f("termination-grace", "terminationGracePeriodSeconds not set")
        psc = ps.get("securityContext") or {}
        if not psc.get("fsGroup") or psc.get("fsGroupChangePolicy") != "OnRootMismatch":
            f("fsgroup-vs-chown", "fsGroup with fsGroupChangePolicy OnRootMismatch expected")
        if not psc.get("runAsNonRoot") or (psc.get("seccompProfile") or {}).get("type") != "RuntimeDefault":
            f("pod-security", "pod: runAsNonRoot and seccompProfile RuntimeDefault expected")
        expected_priv = {
            x.strip() for x in str(((ps and (sts["spec"]["template"].get("metadata") or {}).get("annotations")) or {})
                                   .get("chartkit.dev/expected-privileged", "")).split(",") if x.strip()
        }
        for c in containers(sts):
            sc = c.get("securityContext") or {}
            if sc.get("privileged") or sc.get("runAsUser") == 0:
                if c["name"] not in expected_priv:
                    f("fsgroup-vs-chown", f"root/privileged container {c['name']} under runAsNonRoot")
                continue
            if "ALL" not in ((sc.get("capabilities") or {}).get("drop") or []):
                f("pod-security", f"{c['name']} does not drop ALL capabilities")
            if sc.get("allowPrivilegeEscalation") is not False:
                f("pod-security", f"{c['name']} allows privilege escalation")
        # B28: hook Jobs and other workloads must not be selected
        for w in workloads:
            if w is not sts and subset(selector, pod_labels(w)):
                f("workload-selector-overlap", f"{w['kind']} {w['metadata']['name']} pods match the selector")
        # B29
        for c in containers(sts):
            image = c.get("image", "")
            tag = image.rsplit("@", 1)[0].rsplit(":", 1)[1] if ":" in image.rsplit("/", 1)[-1] else ""
            if tag in ("", "latest"):
                f("latest-tag", f"{c['name']} image {image} is not pinned")
            elif engine and c is main[0] and tag != app_version:
                f("latest-tag", f"engine image tag {tag} differs from appVersion {app_version}")
        # B22
        if engine in MAJORITY_ENGINES and n > 1 and min(n, 7) % 2 == 0:
            f("quorum-odd-replicas", f"{n} members (warning)")
        if engine and (sts["metadata"].get("annotations") or {}).get("chartkit.dev/engine") != engine:
            f("chartkit-markers", "StatefulSet lacks chartkit.dev/engine")
        # C
        if engine == "consul":
            out.extend(consul_rules(sts, n))
        if engine == "mongodb":
            out.extend(mongo_rules(sts, n, objs, svc))
        if engine == "elasticsearch":
            out.extend(es_rules(sts, n, svc))
    return out


def pod_fqdns(sts: dict, svc: str, n: int, port: str = "") -> list[str]:
    return [f"{sts['metadata']['name']}-{i}.{svc}.{NS}.svc.cluster.local{port}" for i in range(n)]


def consul_rules(sts: dict, n: int) -> list[tuple[str, str]]:
    c = next(c for c in containers(sts, init=False) if c["name"] == "consul")
    args = c.get("args") or []
    out = []
    expects = [a.split("=", 1)[1] for a in args if a.startswith("-bootstrap-expect=")]
    if expects != [str(n)]:
        out.append(("consul-bootstrap-expect", f"-bootstrap-expect {expects} with {n} servers"))
    joins = [a.split("=", 1)[1] for a in args if a.startswith("-retry-join=")]
    if joins != pod_fqdns(sts, sts["spec"]["serviceName"], n):
        out.append(("consul-bootstrap-expect", f"-retry-join {joins}"))
    return out


def mongo_rules(sts: dict, n: int, objs: list[dict], svc: dict | None) -> list[tuple[str, str]]:
    c = next(c for c in containers(sts, init=False) if c["name"] in ("mongod", "mongodb"))
    args = c.get("args") or []
    out = []
    if "--replSet" not in args:
        out.append(("mongo-replset", "no --replSet"))
        return out
    name = args[args.index("--replSet") + 1]
    want = pod_fqdns(sts, sts["spec"]["serviceName"], n, ":27017")
    for job in (o for o in objs if o.get("kind") == "Job"):
        env = {e["name"]: e.get("value", "") for e in containers(job)[0].get("env") or []}
        js = env.get("RS_INITIATE_JS", "")
        m = re.search(r"rs\.initiate\(\s*(\{[\s\S]*?\})\s*\)\s*;", js)
        if not m:
            out.append(("mongo-replset", f"Job {job['metadata']['name']} has no rs.initiate"))
            continue
        hosts = re.findall(r'host:\s*"([^"]+)"', m.group(1))
        ids = re.findall(r'_id:\s*"([^"]+)"', m.group(1))
        if hosts != want:
            out.append(("mongo-replset", f"rs.initiate hosts {hosts} != {want}"))
        if ids != [name]:
            out.append(("mongo-replset", f"rs.initiate _id {ids} != {name}"))
        voting = len(re.findall(r"host:[^}]*\}", m.group(1))) - len(re.findall(r"votes: 0", m.group(1)))
        if voting > 7:
            out.append(("mongo-replset", f"{voting} voting members"))
        if want and want != [h for h in env.get("RS_RECONCILE_JS", "").split('const want = [', 1)[-1].split("]", 1)[0].replace('"', "").split(", ") if h]:
            out.append(("mongo-replset", "reconcile member list differs"))
    return out


def es_rules(sts: dict, n: int, svc: dict | None) -> list[tuple[str, str]]:
    c = next(c for c in containers(sts, init=False) if c["name"] == "elasticsearch")
    env = {e["name"]: e.get("value") for e in c.get("env") or []}
    out = []
    if n == 1:
        if env.get("discovery.type") != "single-node":
            out.append(("es-discovery", "one node without discovery.type=single-node"))
    else:
        if "discovery.type" in env:
            out.append(("es-discovery", "single-node with peers"))
        fqdn = f"{sts['spec']['serviceName']}.{NS}.svc.cluster.local"
        seeds = ",".join(f"{sts['metadata']['name']}-{i}.{fqdn}" for i in range(n))
        if env.get("discovery.seed_hosts") != seeds:
            out.append(("es-discovery", f"seed_hosts {env.get('discovery.seed_hosts')} != {seeds}"))
        masters = (env.get("cluster.initial_master_nodes") or "").split(",")
        if masters != [f"{sts['metadata']['name']}-{i}" for i in range(n)]:
            out.append(("es-discovery", f"initial_master_nodes {masters}"))
    opts = (env.get("ES_JAVA_OPTS") or "").split()
    xms = [java_bytes(o[4:]) for o in opts if o.startswith("-Xms")]
    xmx = [java_bytes(o[4:]) for o in opts if o.startswith("-Xmx")]
    limit = mem_bytes(((c.get("resources") or {}).get("limits") or {}).get("memory"))
    if not xms or xms != xmx or limit is None or xmx[-1] * 2 > limit:
        out.append(("es-heap", f"ES_JAVA_OPTS {opts} limit {limit}"))
    inits = pod_spec(sts).get("initContainers") or []
    sysctl = [i for i in inits if "vm.max_map_count" in json.dumps(i.get("command"))]
    if env.get("node.store.allow_mmap") != "false" and not any((i.get("securityContext") or {}).get("privileged") for i in sysctl):
        out.append(("es-max-map-count", "no privileged sysctl init container and mmap allowed"))
    return out


def kube_validate(text: str, what: str) -> None:
    if not shutil.which("kubernetes-validate"):
        return
    p = run(["kubernetes-validate", "--strict", "-k", "1.31.0", "--quiet", "-"], input=text)
    if p.returncode != 0:
        fail(f"{what}: kubernetes-validate\n{p.stdout}{p.stderr}")


def chart_meta(chart: Path) -> dict:
    return yaml.safe_load((chart / "Chart.yaml").read_text())


def check_chart(chart: Path, variants: list[list[str]]) -> dict:
    sys.path.insert(0, str(HERE))
    import values_table  # noqa: E402  (next to this file)

    if values_table.readme_table(chart) != values_table.table(chart):
        fail(f"{chart.name}: README values table is out of date "
             f"(python3 tests/charts/values_table.py charts/{chart.name} --write)")
    ok, text = helm_lint_strict(chart)
    if not ok:
        fail(f"{chart.name}: helm lint --strict\n{text}")
    elif VERBOSE:
        print(f"ok   {chart.name}: helm lint --strict")
    seeds = {}
    meta = chart_meta(chart)
    for sets in variants:
        what = f"{chart.name} {' '.join(sets) or '(defaults)'}"
        out, err, rc = helm_template(chart, *sets)
        if rc != 0:
            fail(f"{what}: helm template: {err}")
            continue
        objs = docs(out)
        kube_validate(out, what)
        findings = [x for x in lint_objects(objs, meta) if x[0] != "quorum-odd-replicas"]
        for rule, msg in findings:
            fail(f"{what}: {rule}: {msg}")
        if not findings and VERBOSE:
            print(f"ok   {what}: {len(objs)} objects, no finding")
        seeds[" ".join(sets)] = seed_summary(chart.name, objs)
    return seeds


def seed_summary(chart: str, objs: list[dict]) -> str:
    sts = next(o for o in objs if o.get("kind") == "StatefulSet")
    c = containers(sts, init=False)[0]
    if chart == "elasticsearch":
        env = {e["name"]: e.get("value") for e in c.get("env") or []}
        keys = ["discovery.type", "discovery.seed_hosts", "cluster.initial_master_nodes", "ES_JAVA_OPTS"]
        return "; ".join(f"{k}={env[k]}" for k in keys if k in env)
    if chart == "consul":
        return " ".join(a for a in c["args"] if a.startswith(("-bootstrap-expect", "-retry-join")))
    job = next((o for o in objs if o.get("kind") == "Job"), None)
    args = c["args"]
    env = {e["name"]: e.get("value", "") for e in containers(job)[0]["env"]} if job else {}
    hosts = re.findall(r'host: "([^"]+)"', env.get("RS_INITIATE_JS", ""))
    return f"--replSet {args[args.index('--replSet') + 1]}; rs.initiate members: {', '.join(hosts)}"


def check_fixtures() -> list[str]:
    report = []
    for chart in sorted((HERE / "clean").iterdir()):
        ok, text = helm_lint_strict(chart)
        out, err, rc = helm_template(chart)
        if rc != 0:
            fail(f"clean/{chart.name}: helm template: {err}")
            continue
        kube_validate(out, f"clean/{chart.name}")
        findings = lint_objects(docs(out), chart_meta(chart))
        for rule, msg in findings:
            fail(f"clean/{chart.name}: {rule}: {msg}")
        report.append(f"clean/{chart.name}: helm lint --strict {'pass' if ok else 'FAIL'}; findings: {len(findings)}")
    for chart in sorted((HERE / "broken").iterdir()):
        meta = chart_meta(chart)
        rule = meta["annotations"]["chartkit.dev/expect-rule"]
        if chart.name.split("--")[0] != rule or f"`{rule}`" not in meta["description"]:
            fail(f"broken/{chart.name}: directory, description and annotation disagree on {rule}")
        ok, _ = helm_lint_strict(chart)
        out, err, rc = helm_template(chart)
        if rc != 0:
            fail(f"broken/{chart.name}: helm template: {err}")
            continue
        findings = lint_objects(docs(out), meta)
        rules = sorted({r for r, _ in findings})
        if rule not in rules:
            fail(f"broken/{chart.name}: {rule} did not fire (got {rules})")
        report.append(f"broken/{chart.name}: helm lint --strict {'pass' if ok else 'fails'}; fires {', '.join(rules)}")
    return report


def check_rs_scripts() -> None:
    if not shutil.which("node"):
        print("skip rs-init simulation: node not found")
        return
    scripts = {}
    for n in (1, 3, 5, 7, 9):
        out, err, rc = helm_template(ROOT / "charts/mongodb", f"replicas={n}", "allowEvenReplicas=true")
        job = next(o for o in docs(out) if o.get("kind") == "Job")
        env = {e["name"]: e.get("value", "") for e in containers(job)[0]["env"]}
        scripts[n] = {"initiate": env["RS_INITIATE_JS"], "reconcile": env["RS_RECONCILE_JS"]}
    p = run(["node", str(HERE / "rs_sim.mjs")], input=json.dumps(scripts))
    if p.returncode != 0:
        fail(f"rs-init simulation\n{p.stdout}{p.stderr}")
    else:
        print(p.stdout.strip())


def check_plugins_accept_charts() -> list[str]:
    """The engine plugins' own lint (Consul in Python, MongoDB in JavaScript, run from source)
    must find nothing wrong with the charts' renders."""
    report = []
    consul_src = ROOT / "plugins/consul/consul_engine.py"
    mongo_src = ROOT / "plugins/mongodb/plugin.js"
    for n in (1, 3, 5):
        if consul_src.exists():
            import importlib.util

            spec = importlib.util.spec_from_file_location("consul_engine", consul_src)
            ce = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(ce)
            out, _, _ = helm_template(ROOT / "charts/consul", f"replicas={n}")
            t = ce.Topology(REL, NS, "cluster.local", f"{REL}-consul", f"{REL}-consul-headless", n,
                            [("serflan", 8301), ("http", 8500)], "1.20.2", "{}")
            found = [x for x in ce.lint(t, json.dumps(docs(out))) if x["severity"] != "info"]
            if found:
                fail(f"consul plugin lint, replicas={n}: {found}")
            report.append(f"consul plugin lint replicas={n}: {len(found)} finding(s)")
        if mongo_src.exists() and shutil.which("node"):
            out, _, _ = helm_template(ROOT / "charts/mongodb", f"replicas={n}")
            script = (
                f"import {{ parseTopology, lint }} from {json.dumps(str(mongo_src))};\n"
                "let s = ''; process.stdin.on('data', (d) => { s += d; });\n"
                "process.stdin.on('end', () => {\n"
                f"  const t = parseTopology({{ release: '{REL}', namespace: '{NS}', clusterDomain: 'cluster.local',"
                f" statefulSet: '{REL}-mongodb', service: '{REL}-mongodb-headless', replicas: {n},"
                " ports: [{ name: 'mongodb', port: 27017 }], engineVersion: '8.0.4',"
                " settings: JSON.stringify({ replSetName: 'rs0' }) });\n"
                "  t.replSetFromSettings = true;\n"
                "  console.log(JSON.stringify(lint(t, JSON.parse(s)).filter((f) => f.severity !== 'info')));\n"
                "});\n"
            )
            p = run(["node", "--input-type=module", "-e", script], input=json.dumps(docs(out)))
            found = json.loads(p.stdout or "null") if p.returncode == 0 else p.stderr
            if found:
                fail(f"mongodb plugin lint, replicas={n}: {found}")
            report.append(f"mongodb plugin lint replicas={n}: {len(found or [])} finding(s)")
    return report


def main() -> int:
    variants = [[], ["replicas=1"], ["replicas=3"], ["replicas=5"]]
    extra = {
        "elasticsearch": [["replicas=1", "sysctlInitContainer.enabled=false", "allowMmap=false"],
                          ["replicas=3", "persistence.storageClass=-", "heapSize=512m"],
                          ["security.enabled=true", "security.tls.secretName=es-certs", "security.tls.http=true"]],
        "consul": [["replicas=4", "server.allowEvenReplicas=true"],
                   ["gossipEncryption.secretName=gossip", "ui.enabled=false"]],
        "mongodb": [["replicas=9"], ["auth.enabled=false"], ["replicas=7", "persistence.storageClass=fast"]],
    }
    summary = {}
    for name in ("elasticsearch", "consul", "mongodb"):
        value_sets = [[str(p)] for p in sorted((ROOT / "charts" / name / "ci").glob("*-values.yaml"))]
        summary[name] = check_chart(ROOT / "charts" / name, variants + extra[name] + value_sets)
    fixtures = check_fixtures()
    check_rs_scripts()
    plugins = check_plugins_accept_charts()
    print()
    for name, seeds in summary.items():
        for sets in ("replicas=1", "replicas=3", "replicas=5"):
            print(f"{name} {sets}: {seeds.get(sets, '?')}")
    print()
    print("\n".join(fixtures))
    print()
    print("\n".join(plugins))
    print()
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
