// Runs the MongoDB chart's rs-init hook JavaScript (RS_INITIATE_JS, RS_RECONCILE_JS as rendered
// by Helm, read as JSON from stdin: { "<replicas>": { initiate, reconcile } }) against a fake
// replica set that enforces what mongod enforces on reconfig: version + 1, unique _id and
// host, at most 7 voters, at most one voting member added or removed per reconfig.
// Scenarios: fresh initiate, re-run (idempotent), scale up/down across the 7-voter limit.
// Exits 1 with a message on the first violation.

import vm from "node:vm";

const input = JSON.parse(await new Promise((resolve) => {
  let s = "";
  process.stdin.on("data", (d) => { s += d; });
  process.stdin.on("end", () => resolve(s));
}));

class ServerError extends Error {
  constructor(codeName, message) {
    super(message);
    this.codeName = codeName;
  }
}

function voters(config) {
  return config.members.filter((m) => (m.votes ?? 1) > 0);
}

function fakeReplicaSet(initial) {
  const state = { config: initial ? structuredClone(initial) : null, reconfigs: 0, failOnce: true };
  const rs = {
    status() {
      if (!state.config) throw new ServerError("NotYetInitialized", "no replset config has been received");
      return { set: state.config._id, members: state.config.members.map((m) => ({ name: m.host })) };
    },
    initiate(config) {
      if (state.config) throw new ServerError("AlreadyInitialized", "already initialized");
      state.config = { ...structuredClone(config), version: 1 };
      state.config.members = state.config.members.map((m) => ({ votes: 1, priority: 1, ...m }));
      check(state.config);
      return { ok: 1 };
    },
    conf() {
      return structuredClone(state.config);
    },
  };
  const db = {
    adminCommand(cmd) {
      const next = cmd.replSetReconfig;
      if (!next) throw new Error(`unexpected command ${JSON.stringify(cmd)}`);
      if (state.failOnce) {
        // The first reconfig of a run fails as a not-yet-committed config would: the script
        // must re-read the config and retry.
        state.failOnce = false;
        throw new ServerError("CurrentConfigNotCommittedYet", "not committed yet");
      }
      if (next.version !== state.config.version + 1) {
        throw new Error(`reconfig version ${next.version} after ${state.config.version}`);
      }
      const members = next.members.map((m) => ({ votes: 1, priority: 1, ...m }));
      const before = new Set(voters(state.config).map((m) => m.host));
      const after = new Set(members.filter((m) => m.votes > 0).map((m) => m.host));
      const changed = [...before].filter((h) => !after.has(h)).length + [...after].filter((h) => !before.has(h)).length;
      if (changed > 1) throw new Error(`reconfig changes ${changed} voting members at once`);
      state.config = { ...next, members };
      check(state.config);
      state.reconfigs++;
      return { ok: 1 };
    },
  };
  return { state, rs, db };
}

function check(config) {
  const ids = new Set(config.members.map((m) => m._id));
  const hosts = new Set(config.members.map((m) => m.host));
  if (ids.size !== config.members.length) throw new Error("duplicate member _id");
  if (hosts.size !== config.members.length) throw new Error("duplicate member host");
  if (voters(config).length > 7) throw new Error(`${voters(config).length} voting members`);
  for (const m of config.members) {
    if (m.votes === 0 && m.priority !== 0) throw new Error(`non-voting ${m.host} has priority`);
  }
}

function run(script, fake) {
  const logs = [];
  const context = vm.createContext({
    rs: fake.rs,
    db: fake.db,
    print: (...a) => logs.push(a.join(" ")),
    sleep: () => {},
    JSON,
    Math,
  });
  vm.runInContext(script, context, { timeout: 5000 });
  return logs;
}

function hostsOf(n) {
  return JSON.parse(input[n].reconcile.match(/const want = (\[[^\]]*\]);/)[1]);
}

function expectMembers(fake, n, what) {
  const want = hostsOf(n);
  const got = fake.state.config.members.map((m) => m.host);
  if (JSON.stringify([...got].sort()) !== JSON.stringify([...want].sort())) {
    throw new Error(`${what}: members ${got} != ${want}`);
  }
  const v = voters(fake.state.config).length;
  if (v !== Math.min(n, 7)) throw new Error(`${what}: ${v} voters, want ${Math.min(n, 7)}`);
}

const results = [];
// Fresh install for every size, then a second run of both scripts (idempotent).
for (const n of Object.keys(input).map(Number)) {
  const fake = fakeReplicaSet(null);
  const out = run(input[n].initiate, fake);
  if (!out.includes("replica set initiated")) throw new Error(`n=${n}: not initiated: ${out}`);
  run(input[n].reconcile, fake);
  expectMembers(fake, n, `install n=${n}`);
  if (fake.state.reconfigs !== 0) throw new Error(`install n=${n}: ${fake.state.reconfigs} reconfigs`);
  const again = run(input[n].initiate, fake);
  if (!again.includes("replica set already initiated")) throw new Error(`n=${n}: re-initiated`);
  results.push(`install ${n}`);
}
// Upgrades: scale from a to b.
for (const [a, b] of [[3, 5], [5, 3], [1, 3], [3, 1], [5, 9], [9, 5], [7, 9], [9, 7], [9, 3]]) {
  const fake = fakeReplicaSet(null);
  run(input[a].initiate, fake);
  run(input[b].initiate, fake);
  run(input[b].reconcile, fake);
  expectMembers(fake, b, `scale ${a}->${b}`);
  results.push(`scale ${a}->${b} (${fake.state.reconfigs} reconfigs)`);
}
// A non-voting member gets its vote back when a voter is gone.
{
  const fake = fakeReplicaSet(null);
  run(input[9].initiate, fake);
  fake.state.config.members[2].votes = 0;
  fake.state.config.members[2].priority = 0;
  run(input[9].reconcile, fake);
  expectMembers(fake, 9, "revote");
  results.push("revote");
}
console.log(`rs-init simulation ok: ${results.join(", ")}`);
