"""chartkit engine plugin for Consul (componentize-py entry point).

componentize-py instantiates the class named after the exported interface (`Plugin`).
"""

from componentize_py_types import Err

import consul_engine as engine
from wit_world import exports
from wit_world.exports import plugin as wit

VERSION = "0.1.0"


def _topology(t):
    return engine.Topology(t.release, t.namespace, t.cluster_domain, t.stateful_set, t.service,
                           t.replicas, [(p.name, p.port) for p in t.ports], t.engine_version,
                           t.settings)


_ERRORS = {
    "invalid-topology": wit.Error_InvalidTopology,
    "invalid-settings": wit.Error_InvalidSettings,
    "unsupported-version": wit.Error_UnsupportedVersion,
    "other": wit.Error_Other,
}


def _call(f, t):
    try:
        return f(_topology(t))
    except engine.PluginError as e:
        raise Err(_ERRORS[e.kind](e.message))


_HOOKS = {"post-install": wit.Hook.POST_INSTALL, "post-upgrade": wit.Hook.POST_UPGRADE}
_SEVERITIES = {"error": wit.Severity.ERROR, "warning": wit.Severity.WARNING,
               "info": wit.Severity.INFO}


def _step(s):
    return wit.Step(name=s["name"], image=s["image"], run=wit.Run_Script(s["script"]), env=[],
                    hooks=[_HOOKS[h] for h in s["hooks"]], hook_weight=s["hook_weight"],
                    backoff_limit=s["backoff_limit"], timeout_seconds=s["timeout_seconds"])


def _finding(f):
    obj = f["object"]
    return wit.Finding(
        rule=f["rule"], severity=_SEVERITIES[f["severity"]], message=f["message"],
        object=None if obj is None else wit.ObjectRef(obj["api_version"], obj["kind"], obj["name"],
                                                      obj["namespace"]),
        path=f["path"])


class Plugin(exports.Plugin):
    def describe(self) -> wit.Info:
        return wit.Info(name="consul", version=VERSION, engines=["consul >=1 <2"],
                        interface_version="0.1.0",
                        description="Consul servers: -bootstrap-expect, -retry-join per pod, "
                                    "raft peer wait, lint")

    def seed_list(self, topology: wit.Topology) -> list[str]:
        return _call(engine.seed_list, topology)

    def configure(self, topology: wit.Topology) -> wit.MemberConfig:
        c = _call(engine.configure, topology)
        return wit.MemberConfig(env=[], args=c["args"], config=[])

    def post_install(self, topology: wit.Topology) -> list[wit.Step]:
        return [_step(s) for s in _call(engine.post_install, topology)]

    def lint(self, topology: wit.Topology, objects_json: str) -> list[wit.Finding]:
        try:
            t = _topology(topology)
        except engine.PluginError as e:
            return [_finding({"rule": "consul-bootstrap-expect", "severity": "error",
                              "message": e.message, "object": None, "path": None})]
        return [_finding(f) for f in engine.lint(t, objects_json)]
