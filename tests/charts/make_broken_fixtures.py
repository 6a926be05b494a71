#!/usr/bin/env python3
"""Writes tests/charts/broken/<rule-id>[--<case>]/: copies of a clean fixture chart with exactly
one planted defect each.

The defects are the mistakes of the seed documents (LINT-RULES.md, "Evidence"): `helm lint
--strict` passes most of these charts, chartkit lint must not. Each fixture's Chart.yaml names
the rule that must fire in its description and in the `chartkit.dev/expect-rule` annotation;
the part of the directory name before `--` is that rule id.

Run from anywhere: python3 tests/charts/make_broken_fixtures.py  (rewrites broken/ completely).
check_charts.py verifies that every fixture differs from its base by the planted defect only.
"""

import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
CLEAN = HERE / "clean"
BROKEN = HERE / "broken"

MONGO = "mongodb-minimal"
CONSUL = "consul-minimal"

INGRESS_V1BETA1 = """\
apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: {{ .Release.Name }}-consul-ui
  labels:
    app.kubernetes.io/name: consul-minimal
    app.kubernetes.io/instance: {{ .Release.Name }}
spec:
  rules:
    - host: consul.example.com
      http:
        paths:
          - path: /
            backend:
              serviceName: {{ .Release.Name }}-consul-ui
              servicePort: 80
"""

# (directory, base, rule id, what is planted, [(file, old, new)], {new file: text})
FIXTURES = [
    (
        "sts-service-exists",
        MONGO,
        "sts-service-exists",
        "the StatefulSet's serviceName names a Service that does not exist (typo: mongo-headless)",
        [("templates/statefulset.yaml",
          "serviceName: {{ .Release.Name }}-mongodb-headless",
          "serviceName: {{ .Release.Name }}-mongo-headless")],
        {},
    ),
    (
        "sts-service-headless",
        MONGO,
        "sts-service-headless",
        "the governing Service is not headless (no clusterIP: None), so pods get no DNS names",
        [("templates/service-headless.yaml", "  clusterIP: None\n", "")],
        {},
    ),
    (
        "sts-service-selects-pods",
        MONGO,
        "sts-service-selects-pods",
        "the headless Service's selector (name: mongodb) matches no pod label (mongodb-minimal)",
        [("templates/service-headless.yaml",
          "  selector:\n    app.kubernetes.io/name: mongodb-minimal\n",
          "  selector:\n    app.kubernetes.io/name: mongodb\n")],
        {},
    ),
    (
        "volumemount-resolves",
        MONGO,
        "volumemount-resolves",
        "a volumeMount (keyfile) names neither a pod volume nor a claim template",
        [("templates/statefulset.yaml",
          "            - name: tmp\n              mountPath: /tmp\n",
          "            - name: tmp\n              mountPath: /tmp\n"
          "            - name: keyfile\n              mountPath: /etc/mongodb/keyfile\n")],
        {},
    ),
    (
        "vct-mounted",
        MONGO,
        "vct-mounted",
        "the claim template (mongo-data) is mounted by no container: /data/db is an emptyDir "
        "named data, so the data is lost with the pod",
        [("templates/statefulset.yaml",
          "    - metadata:\n        name: data\n",
          "    - metadata:\n        name: mongo-data\n"),
         ("templates/statefulset.yaml",
          "      volumes:\n        - name: tmp\n          emptyDir: {}\n",
          "      volumes:\n        - name: tmp\n          emptyDir: {}\n"
          "        - name: data\n          emptyDir: {}\n")],
        {},
    ),
    (
        "selector-no-volatile-labels",
        MONGO,
        "selector-no-volatile-labels",
        "the StatefulSet selector carries helm.sh/chart (chart name and version): the next "
        "chart release changes an immutable selector",
        [("templates/statefulset.yaml",
          "  selector:\n    matchLabels:\n      app.kubernetes.io/name: mongodb-minimal\n"
          "      app.kubernetes.io/instance: {{ .Release.Name }}\n"
          "  template:\n    metadata:\n      labels:\n"
          "        app.kubernetes.io/name: mongodb-minimal\n"
          "        app.kubernetes.io/instance: {{ .Release.Name }}\n",
          "  selector:\n    matchLabels:\n      app.kubernetes.io/name: mongodb-minimal\n"
          "      app.kubernetes.io/instance: {{ .Release.Name }}\n"
          "      helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}\n"
          "  template:\n    metadata:\n      labels:\n"
          "        app.kubernetes.io/name: mongodb-minimal\n"
          "        app.kubernetes.io/instance: {{ .Release.Name }}\n"
          "        helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}\n")],
        {},
    ),
    (
        "pdb-not-blocking",
        MONGO,
        "pdb-not-blocking",
        "the PodDisruptionBudget has maxUnavailable: 0, which blocks every node drain",
        [("templates/pdb.yaml", "  maxUnavailable: 1\n", "  maxUnavailable: 0\n")],
        {},
    ),
    (
        "latest-tag",
        MONGO,
        "latest-tag",
        "the image is mongo:latest (unpinned, not the chart's appVersion 8.0.4)",
        [("values.yaml", '  tag: "8.0.4"\n', "  tag: latest\n")],
        {},
    ),
    (
        "schema-validate-rendered--service-spec-under-metadata",
        MONGO,
        "schema-validate-rendered",
        "the headless Service's spec is indented under metadata (an unknown field there; the "
        "Service itself has no spec, so it is not headless and selects nothing)",
        [("templates/service-headless.yaml",
          "spec:\n  clusterIP: None\n  publishNotReadyAddresses: true\n  selector:\n"
          "    app.kubernetes.io/name: mongodb-minimal\n"
          "    app.kubernetes.io/instance: {{ .Release.Name }}\n"
          "  ports:\n    - name: mongodb\n      port: 27017\n      targetPort: mongodb\n",
          "  spec:\n    clusterIP: None\n    publishNotReadyAddresses: true\n    selector:\n"
          "      app.kubernetes.io/name: mongodb-minimal\n"
          "      app.kubernetes.io/instance: {{ .Release.Name }}\n"
          "    ports:\n      - name: mongodb\n        port: 27017\n        targetPort: mongodb\n")],
        {},
    ),
    (
        "schema-validate-rendered--volumemounts-beside-containers",
        MONGO,
        "schema-validate-rendered",
        "volumeMounts sits in the pod spec beside containers instead of inside the container "
        "(an unknown pod field: nothing is mounted, the claim template included)",
        [("templates/statefulset.yaml",
          "          volumeMounts:\n            - name: data\n              mountPath: /data/db\n"
          "            - name: tmp\n              mountPath: /tmp\n",
          ""),
         ("templates/statefulset.yaml",
          "      volumes:\n",
          "      volumeMounts:\n        - name: data\n          mountPath: /data/db\n"
          "        - name: tmp\n          mountPath: /tmp\n      volumes:\n")],
        {},
    ),
    (
        "render-capabilities--apps-v1beta2-statefulset",
        MONGO,
        "render-capabilities",
        "the StatefulSet uses apps/v1beta2, removed in Kubernetes 1.16",
        [("templates/statefulset.yaml", "apiVersion: apps/v1\n", "apiVersion: apps/v1beta2\n")],
        {},
    ),
    (
        "render-capabilities--extensions-v1beta1-ingress",
        CONSUL,
        "render-capabilities",
        "the UI Ingress uses extensions/v1beta1, removed in Kubernetes 1.22",
        [],
        {"templates/ingress.yaml": INGRESS_V1BETA1},
    ),
    (
        "consul-bootstrap-expect",
        CONSUL,
        "consul-bootstrap-expect",
        "4 Consul servers run with -bootstrap-expect=3: the first three may elect a leader "
        "before the fourth joins",
        [("values.yaml", "replicas: 3\n", "replicas: 4\n"),
         ("templates/statefulset.yaml",
          "            - -bootstrap-expect={{ $n }}\n",
          "            - -bootstrap-expect=3\n")],
        {},
    ),
]


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    count = text.count(old)
    if count != 1:
        raise SystemExit(f"{path}: expected exactly one {old!r}, found {count}")
    path.write_text(text.replace(old, new))


def chart_yaml(name: str, base: str, rule: str, defect: str) -> str:
    base_chart = (CLEAN / base / "Chart.yaml").read_text()
    app_version = next(
        line.split(":", 1)[1].strip() for line in base_chart.splitlines()
        if line.startswith("appVersion:")
    )
    engine = "mongodb" if base == MONGO else "consul"
    return (
        "apiVersion: v2\n"
        f"name: {name}\n"
        "description: >-\n"
        f"  Lint fixture (broken, one planted defect): {defect}. Rule `{rule}` must fire.\n"
        f"  Copy of tests/charts/clean/{base} (made by tests/charts/make_broken_fixtures.py).\n"
        "type: application\n"
        "version: 0.1.0\n"
        f"appVersion: {app_version}\n"
        "annotations:\n"
        f"  chartkit.dev/engine: {engine}\n"
        f"  chartkit.dev/plugin: {engine}\n"
        f"  chartkit.dev/expect-rule: {rule}\n"
    )


def main() -> None:
    if BROKEN.exists():
        shutil.rmtree(BROKEN)
    BROKEN.mkdir()
    for name, base, rule, defect, edits, new_files in FIXTURES:
        if name.split("--")[0] != rule:
            raise SystemExit(f"{name}: directory must start with the rule id {rule}")
        dest = BROKEN / name
        shutil.copytree(CLEAN / base, dest)
        for file, old, new in edits:
            replace_once(dest / file, old, new)
        for file, text in new_files.items():
            (dest / file).write_text(text)
        (dest / "Chart.yaml").write_text(chart_yaml(name, base, rule, defect))
    print(f"wrote {len(FIXTURES)} fixtures under {BROKEN}")


if __name__ == "__main__":
    main()
