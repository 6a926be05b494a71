"""Unit tests of the Consul logic with plain CPython: python3 -m unittest discover -s tests"""

import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import consul_engine as engine  # noqa: E402


def topo(replicas=3, namespace="infra", domain="cluster.local", settings="{}", version="1.19.2",
         ports=(("serflan", 8301), ("http", 8500))):
    return engine.Topology("rel", namespace, domain, "rel-consul", "rel-consul-headless", replicas,
                           list(ports), version, settings)


def sts(args, replicas=3):
    return json.dumps([{
        "apiVersion": "apps/v1", "kind": "StatefulSet",
        "metadata": {"name": "rel-consul", "namespace": "infra"},
        "spec": {"replicas": replicas, "template": {"spec": {"containers": [
            {"name": "consul", "args": args}]}}},
    }])


class SeedsAndArgs(unittest.TestCase):
    def test_every_pod_fqdn(self):
        self.assertEqual(engine.seed_list(topo(3)), [
            "rel-consul-0.rel-consul-headless.infra.svc.cluster.local",
            "rel-consul-1.rel-consul-headless.infra.svc.cluster.local",
            "rel-consul-2.rel-consul-headless.infra.svc.cluster.local",
        ])

    def test_domain_and_port(self):
        t = topo(1, namespace="x", domain="corp.example.", ports=(("serflan", 9301),))
        self.assertEqual(engine.seed_list(t), ["rel-consul-0.rel-consul-headless.x.svc.corp.example:9301"])

    def test_args(self):
        args = engine.configure(topo(5, settings='{"datacenter": "eu1"}'))["args"]
        self.assertEqual(args[0], "-bootstrap-expect=5")
        self.assertEqual(len([a for a in args if a.startswith("-retry-join=")]), 5)
        self.assertEqual(args[-1], "-datacenter=eu1")

    def test_errors(self):
        for kwargs, kind in (({"replicas": 0}, "invalid-topology"),
                             ({"settings": "[]"}, "invalid-settings"),
                             ({"settings": "{"}, "invalid-settings"),
                             ({"version": "2.0.0"}, "unsupported-version")):
            with self.assertRaises(engine.PluginError) as cm:
                topo(**kwargs)
            self.assertEqual(cm.exception.kind, kind)

    def test_post_install_waits_for_all(self):
        (step,) = engine.post_install(topo(5))
        self.assertEqual(step["image"], "hashicorp/consul:1.19.2")
        self.assertIn("-ge 5 ]", step["script"])
        self.assertIn("http://rel-consul-headless.infra.svc.cluster.local:8500", step["script"])


class Lint(unittest.TestCase):
    def rules(self, findings, severity):
        return [f["message"] for f in findings if f["severity"] == severity]

    def test_good(self):
        args = engine.configure(topo(3))["args"]
        self.assertEqual(engine.lint(topo(3), sts(args)), [])

    def test_mismatch(self):
        f = engine.lint(topo(3), sts(["agent", "-bootstrap-expect=5", "-retry-join=x"]))
        self.assertEqual(len(self.rules(f, "error")), 1)
        self.assertEqual(f[0]["path"], "spec.template.spec.containers[0].args[1]")

    def test_shell_command_and_separate_value(self):
        f = engine.lint(topo(3), sts(["sh", "-c", "consul agent -server -bootstrap-expect 2 -retry-join a"]))
        self.assertIn("-bootstrap-expect=2", self.rules(f, "error")[0])
        f = engine.lint(topo(3), sts(["-bootstrap-expect", "3", "-retry-join", "a"]))
        self.assertEqual(f, [])

    def test_missing(self):
        f = engine.lint(topo(4), sts(["agent"], replicas=4))
        self.assertEqual(len(self.rules(f, "error")), 1)
        self.assertEqual(len(self.rules(f, "warning")), 1)
        self.assertEqual(len(self.rules(f, "info")), 1)


if __name__ == "__main__":
    unittest.main()
