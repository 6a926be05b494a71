"""Consul cluster logic, free of the WIT bindings so it can be tested with plain CPython.

Values returned here are plain tuples and dicts; app.py turns them into WIT records.
"""

import json
import re

SERF_LAN_PORT = 8301
HTTP_PORT = 8500
SUPPORTED_MAJOR = 1


class PluginError(Exception):
    """An error with one of the WIT error cases as `kind`."""

    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind
        self.message = message


class Topology:
    """A validated topology."""

    def __init__(self, release, namespace, cluster_domain, stateful_set, service, replicas,
                 ports, engine_version, settings):
        if replicas == 0:
            raise PluginError("invalid-topology", "replicas is 0")
        for what, value in (("namespace", namespace), ("cluster-domain", cluster_domain),
                            ("stateful-set", stateful_set), ("service", service)):
            if not value:
                raise PluginError("invalid-topology", f"{what} is empty")
        try:
            parsed = json.loads(settings) if settings.strip() else {}
        except ValueError as e:
            raise PluginError("invalid-settings", f"settings: {e}") from None
        if parsed is None:
            parsed = {}
        if not isinstance(parsed, dict):
            raise PluginError("invalid-settings", "settings must be a JSON object")
        if engine_version is not None:
            m = re.match(r"v?(\d+)", engine_version.strip())
            if not m:
                raise PluginError("unsupported-version", f"cannot read the version {engine_version!r}")
            if int(m.group(1)) != SUPPORTED_MAJOR:
                raise PluginError("unsupported-version", f"consul {engine_version} is outside >=1 <2")
        self.release = release
        self.namespace = namespace
        self.cluster_domain = cluster_domain.rstrip(".")
        self.stateful_set = stateful_set
        self.service = service
        self.replicas = replicas
        self.ports = dict(ports)
        self.engine_version = engine_version
        self.settings = parsed

    def port(self, *names, default):
        for name in names:
            if name in self.ports:
                return self.ports[name]
        return default

    def pod_fqdn(self, i):
        return f"{self.stateful_set}-{i}.{self.service}.{self.namespace}.svc.{self.cluster_domain}"

    def service_fqdn(self):
        return f"{self.service}.{self.namespace}.svc.{self.cluster_domain}"

    def setting_str(self, key):
        value = self.settings.get(key)
        if value is not None and not isinstance(value, str):
            raise PluginError("invalid-settings", f"settings.{key} must be a string")
        return value


def seed_list(t):
    """Every server pod's FQDN, with the Serf LAN port when it is not the default."""
    port = t.port("serflan", "serf-lan", "serf_lan", default=SERF_LAN_PORT)
    suffix = "" if port == SERF_LAN_PORT else f":{port}"
    return [t.pod_fqdn(i) + suffix for i in range(t.replicas)]


def configure(t):
    """Agent arguments: -bootstrap-expect and one -retry-join per peer."""
    args = [f"-bootstrap-expect={t.replicas}"]
    args += [f"-retry-join={peer}" for peer in seed_list(t)]
    datacenter = t.setting_str("datacenter")
    if datacenter:
        args.append(f"-datacenter={datacenter}")
    return {"env": [], "args": args, "config": []}


def post_install(t):
    """Wait until every server is a Raft voter (leader or follower)."""
    image = t.setting_str("image")
    if image is None:
        if t.engine_version is None:
            raise PluginError("invalid-settings",
                              "post-install needs settings.image or an engine version")
        image = f"hashicorp/consul:{t.engine_version}"
    addr = f"http://{t.service_fqdn()}:{t.port('http', default=HTTP_PORT)}"
    script = (
        f"addr='{addr}'\n"
        f"until [ \"$(consul operator raft list-peers -http-addr=\"$addr\" 2>/dev/null"
        f" | grep -c -E 'leader|follower')\" -ge {t.replicas} ]; do\n"
        f"  echo 'waiting for {t.replicas} consul server(s) to join raft'\n"
        f"  sleep 5\n"
        f"done\n"
        f"consul operator raft list-peers -http-addr=\"$addr\"\n"
    )
    return [{
        "name": "consul-raft-peers",
        "image": image,
        "script": script,
        "hooks": ["post-install", "post-upgrade"],
        "hook_weight": 5,
        "backoff_limit": 3,
        "timeout_seconds": 600,
    }]


_EXPECT = re.compile(r"-{1,2}bootstrap-expect(?:=|\s+)(\S+)")
_RETRY_JOIN = re.compile(r"-{1,2}retry-join(?:=|\s+)(\S+)")


def _finding(rule, severity, message, obj=None, path=None):
    return {"rule": rule, "severity": severity, "message": message, "object": obj, "path": path}


def _object_ref(o):
    meta = o.get("metadata") or {}
    return {"api_version": str(o.get("apiVersion", "")), "kind": str(o.get("kind", "")),
            "name": str(meta.get("name", "")), "namespace": meta.get("namespace")}


def lint(t, objects_json):
    """consul-bootstrap-expect: -bootstrap-expect equals the server replicas."""
    rule = "consul-bootstrap-expect"
    try:
        objects = json.loads(objects_json)
    except ValueError as e:
        return [_finding(rule, "error", f"objects-json: {e}")]
    if not isinstance(objects, list):
        return [_finding(rule, "error", "objects-json is not an array")]
    sts = next((o for o in objects if isinstance(o, dict) and o.get("kind") == "StatefulSet"
                and (o.get("metadata") or {}).get("name") == t.stateful_set), None)
    if sts is None:
        return [_finding(rule, "warning", f"no StatefulSet named {t.stateful_set!r} among the rendered objects")]
    ref = _object_ref(sts)
    containers = (((sts.get("spec") or {}).get("template") or {}).get("spec") or {}).get("containers") or []
    index = next((i for i, c in enumerate(containers) if c.get("name") == "consul"), 0)
    if not containers:
        return [_finding(rule, "warning", "the StatefulSet has no containers", ref, "spec.template.spec.containers")]
    container = containers[index]
    base = f"spec.template.spec.containers[{index}]"
    expects, joins = [], []
    for field in ("command", "args"):
        for j, arg in enumerate(container.get(field) or []):
            if not isinstance(arg, str):
                continue
            joined = " " + arg
            expects += [(m.group(1), f"{base}.{field}[{j}]") for m in _EXPECT.finditer(joined)]
            joins += [m.group(1) for m in _RETRY_JOIN.finditer(joined)]
            if arg in ("-bootstrap-expect", "--bootstrap-expect"):
                nxt = (container.get(field) or [])[j + 1:j + 2]
                if nxt and isinstance(nxt[0], str):
                    expects.append((nxt[0], f"{base}.{field}[{j + 1}]"))
            if arg in ("-retry-join", "--retry-join"):
                joins.append("?")
    out = []
    n = t.replicas
    if not expects:
        if n > 1:
            out.append(_finding(rule, "error",
                                f"-bootstrap-expect is not set: {n} servers never elect a leader",
                                ref, base))
    for value, path in expects:
        value = value.strip("\"'")
        if not value.isdigit():
            out.append(_finding(rule, "warning", f"cannot read -bootstrap-expect={value}", ref, path))
        elif int(value) != n:
            why = ("no leader is ever elected" if int(value) > n
                   else "the first servers may bootstrap a cluster of their own")
            out.append(_finding(rule, "error",
                                f"-bootstrap-expect={value} but the StatefulSet runs {n} server(s): {why}",
                                ref, path))
    if n > 1 and not joins:
        out.append(_finding(rule, "warning",
                            f"no -retry-join: the {n} servers cannot find each other "
                            f"(join {t.pod_fqdn(0)} ...)", ref, base))
    if n > 1 and n % 2 == 0:
        out.append(_finding(rule, "info",
                            f"{n} servers tolerate no more failures than {n - 1}: prefer an odd count",
                            ref, "spec.replicas"))
    return out
