// Unit tests of the MongoDB logic with Node's test runner: node --test test/
import { test } from "node:test";
import assert from "node:assert/strict";

import { plugin, parseTopology, replSetConfig } from "../plugin.js";

function topo(replicas, extra = {}) {
  return {
    release: "rel",
    namespace: "data",
    clusterDomain: "cluster.local",
    statefulSet: "rel-mongo",
    service: "rel-mongo-headless",
    replicas,
    ports: [{ name: "mongodb", port: 27017 }],
    engineVersion: "7.0.12",
    settings: "{}",
    ...extra,
  };
}

function objects(args, replicas, jobScript) {
  const out = [
    { apiVersion: "v1", kind: "Service", metadata: { name: "rel-mongo-headless", namespace: "data" }, spec: { clusterIP: "None" } },
    {
      apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "rel-mongo", namespace: "data" },
      spec: { replicas, template: { spec: { containers: [{ name: "mongod", args }] } } },
    },
  ];
  if (jobScript) {
    out.push({
      apiVersion: "batch/v1", kind: "Job", metadata: { name: "rel-mongo-rs-initiate" },
      spec: { template: { spec: { containers: [{ name: "init", command: ["/bin/sh", "-ec", jobScript] }] } } },
    });
  }
  return JSON.stringify(out);
}

test("members are headless FQDNs with the port", () => {
  assert.deepEqual(plugin.seedList(topo(3, { namespace: "x", clusterDomain: "corp.example." })), [
    "rel-mongo-0.rel-mongo-headless.x.svc.corp.example:27017",
    "rel-mongo-1.rel-mongo-headless.x.svc.corp.example:27017",
    "rel-mongo-2.rel-mongo-headless.x.svc.corp.example:27017",
  ]);
});

test("configure sets --replSet", () => {
  assert.deepEqual(plugin.configure(topo(3, { settings: '{"replSetName":"main"}' })).args,
    ["--replSet", "main", "--bind_ip_all"]);
});

test("only seven members vote", () => {
  const c = replSetConfig(parseTopology(topo(9)));
  assert.equal(c.members.filter((m) => m.votes === 0).length, 2);
  assert.equal(c.members[8].priority, 0);
});

test("errors are WIT variants", () => {
  assert.throws(() => plugin.seedList(topo(0)), { tag: "invalid-topology" });
  assert.throws(() => plugin.seedList(topo(3, { settings: "[" })), { tag: "invalid-settings" });
  assert.throws(() => plugin.seedList(topo(3, { engineVersion: "3.6" })), { tag: "unsupported-version" });
});

test("post-install initiates once, after every member answers", () => {
  const [step] = plugin.postInstall(topo(3));
  assert.equal(step.image, "mongo:7.0.12");
  assert.equal(step.run.tag, "script");
  assert.match(step.run.val, /for h in rel-mongo-0\.\S+ rel-mongo-1\.\S+ rel-mongo-2\.\S+; do/);
  assert.match(step.run.val, /NotYetInitialized/);
  assert.match(step.run.val, /rs\.initiate\(\{"_id":"rs0","members":\[\{"_id":0,"host":"rel-mongo-0\.rel-mongo-headless\.data\.svc\.cluster\.local:27017"\}/);
});

test("lint passes what the plugin produces", () => {
  const t = topo(3);
  const [step] = plugin.postInstall(t);
  const f = plugin.lint(t, objects(plugin.configure(t).args, 3, step.run.val));
  assert.deepEqual(f, []);
});

test("lint: even members, other name, short host names", () => {
  const script = 'rs.initiate({_id: "other", members: [{_id: 0, host: "rel-mongo-0:27017"}]});';
  const f = plugin.lint(topo(4), objects(["--replSet", "rs0"], 4, script));
  const messages = f.map((x) => `${x.severity}: ${x.message}`);
  assert.equal(f.filter((x) => x.severity === "error").length, 3, messages.join("\n"));
  assert.equal(f.filter((x) => x.severity === "warning").length, 1, messages.join("\n"));
  assert.ok(f.every((x) => x.rule === "mongo-replset"));
});

test("lint: missing --replSet", () => {
  const f = plugin.lint(topo(3), objects(["--bind_ip_all"], 3));
  assert.equal(f.length, 1);
  assert.match(f[0].message, /--replSet is not set/);
});
