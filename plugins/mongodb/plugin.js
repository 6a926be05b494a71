// chartkit engine plugin for MongoDB replica sets (componentize-qjs entry point).
//
// The module exports `plugin`, the WIT interface chartkit:engine/plugin: records are objects
// with camelCase keys, variants `{ tag, val }`, enums strings; a function returning
// result<T, error> returns T or throws the error variant.

const VERSION = "0.1.0";
const DEFAULT_PORT = 27017;
const MAX_VOTING = 7;

class PluginError {
  constructor(tag, val) {
    this.tag = tag;
    this.val = val;
  }
}

/** Validates a WIT topology and parses its settings. */
export function parseTopology(t) {
  if (t.replicas === 0) throw new PluginError("invalid-topology", "replicas is 0");
  for (const [what, v] of [["namespace", t.namespace], ["cluster-domain", t.clusterDomain],
    ["stateful-set", t.statefulSet], ["service", t.service]]) {
    if (!v) throw new PluginError("invalid-topology", `${what} is empty`);
  }
  let settings;
  try {
    settings = t.settings.trim() === "" ? {} : JSON.parse(t.settings);
  } catch (e) {
    throw new PluginError("invalid-settings", `settings: ${e.message}`);
  }
  if (settings === null) settings = {};
  if (typeof settings !== "object" || Array.isArray(settings)) {
    throw new PluginError("invalid-settings", "settings must be a JSON object");
  }
  const version = t.engineVersion ?? null;
  if (version !== null) {
    const m = /^v?(\d+)(?:\.(\d+))?/.exec(version.trim());
    if (!m) throw new PluginError("unsupported-version", `cannot read the version "${version}"`);
    const major = Number(m[1]);
    const minor = Number(m[2] ?? 0);
    if (major < 4 || (major === 4 && minor < 4) || major >= 9) {
      throw new PluginError("unsupported-version", `mongodb ${version} is outside >=4.4 <9`);
    }
  }
  const replSet = settings.replSetName ?? "rs0";
  if (typeof replSet !== "string" || !/^[A-Za-z0-9_-]+$/.test(replSet)) {
    throw new PluginError("invalid-settings", "settings.replSetName must be a name ([A-Za-z0-9_-]+)");
  }
  if (settings.image !== undefined && typeof settings.image !== "string") {
    throw new PluginError("invalid-settings", "settings.image must be a string");
  }
  const portEntry = t.ports.find((p) => p.name === "mongodb" || p.name === "mongo");
  return {
    namespace: t.namespace,
    domain: t.clusterDomain.replace(/\.$/, ""),
    sts: t.statefulSet,
    service: t.service,
    replicas: t.replicas,
    port: portEntry ? portEntry.port : DEFAULT_PORT,
    version,
    replSet,
    image: settings.image ?? null,
  };
}

/** `<sts>-<i>.<svc>.<ns>.svc.<domain>:<port>` for every member. */
export function members(t) {
  const out = [];
  for (let i = 0; i < t.replicas; i++) {
    out.push(`${t.sts}-${i}.${t.service}.${t.namespace}.svc.${t.domain}:${t.port}`);
  }
  return out;
}

/** The replica set config passed to rs.initiate: at most 7 voting members. */
export function replSetConfig(t) {
  return {
    _id: t.replSet,
    members: members(t).map((host, i) =>
      i < MAX_VOTING ? { _id: i, host } : { _id: i, host, votes: 0, priority: 0 }),
  };
}

function initiateScript(t) {
  const hosts = members(t);
  const config = JSON.stringify(replSetConfig(t));
  const lines = [
    "set -e",
    `for h in ${hosts.join(" ")}; do`,
    "  until mongosh --quiet --host \"$h\" --eval 'db.adminCommand({ ping: 1 }).ok' >/dev/null 2>&1; do",
    "    echo \"waiting for $h\"",
    "    sleep 2",
    "  done",
    "done",
    `mongosh --quiet --host ${hosts[0]} --eval '`,
    "try {",
    "  rs.status();",
    "  print(\"replica set already initiated\");",
    "} catch (e) {",
    "  if (e.codeName !== \"NotYetInitialized\") { throw e; }",
    `  rs.initiate(${config});`,
    "  print(\"replica set initiated\");",
    "}'",
    "",
  ];
  return lines.join("\n");
}

function postInstall(t) {
  let image = t.image;
  if (image === null) {
    if (t.version === null) {
      throw new PluginError("invalid-settings", "post-install needs settings.image or an engine version");
    }
    image = `mongo:${t.version}`;
  }
  return [{
    name: "mongo-rs-initiate",
    image,
    run: { tag: "script", val: initiateScript(t) },
    env: [],
    hooks: ["post-install", "post-upgrade"],
    hookWeight: 5,
    backoffLimit: 6,
    timeoutSeconds: 900,
  }];
}

function finding(severity, message, object, path) {
  return { rule: "mongo-replset", severity, message, object: object ?? null, path: path ?? null };
}

function objectRef(o) {
  const meta = o.metadata ?? {};
  return {
    apiVersion: String(o.apiVersion ?? ""),
    kind: String(o.kind ?? ""),
    name: String(meta.name ?? ""),
    namespace: typeof meta.namespace === "string" ? meta.namespace : null,
  };
}

/** Every string inside a value, with its field path. */
function strings(value, path, out) {
  if (typeof value === "string") {
    out.push([value, path]);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => strings(v, `${path}[${i}]`, out));
  } else if (value && typeof value === "object") {
    for (const k of Object.keys(value)) {
      const key = /^[A-Za-z0-9_]+$/.test(k) ? k : `[${k}]`;
      strings(value[k], path === "" ? key : (key.startsWith("[") ? `${path}${key}` : `${path}.${key}`), out);
    }
  }
  return out;
}

/** mongo-replset: odd voting members ≤ 7, one replSet name, members by headless FQDN. */
export function lint(t, objects) {
  if (!Array.isArray(objects)) return [finding("error", "objects-json is not an array")];
  const sts = objects.find((o) => o && o.kind === "StatefulSet" && o.metadata?.name === t.sts);
  if (!sts) return [finding("warning", `no StatefulSet named "${t.sts}" among the rendered objects`)];
  const out = [];
  const ref = objectRef(sts);
  const containers = sts.spec?.template?.spec?.containers ?? [];
  let index = containers.findIndex((c) => c.name === "mongod" || c.name === "mongodb");
  if (index < 0) index = 0;
  const base = `spec.template.spec.containers[${index}]`;
  const c = containers[index] ?? {};

  // Replica set names: container args, mongod.conf in ConfigMaps, rs.initiate in hook Jobs.
  const names = [];
  for (const field of ["command", "args"]) {
    const args = c[field] ?? [];
    args.forEach((a, j) => {
      if (typeof a !== "string") return;
      for (const m of a.matchAll(/--replSet(?:=|\s+)([^\s'"]+)/g)) names.push([m[1], ref, `${base}.${field}[${j}]`]);
      if (a === "--replSet" && typeof args[j + 1] === "string") {
        names.push([args[j + 1], ref, `${base}.${field}[${j + 1}]`]);
      }
    });
  }
  const initiated = [];
  for (const o of objects) {
    if (!o || typeof o !== "object") continue;
    if (o.kind === "ConfigMap") {
      for (const [text, path] of strings(o.data ?? {}, "data", [])) {
        for (const m of text.matchAll(/replSetName:\s*["']?([A-Za-z0-9_-]+)/g)) names.push([m[1], objectRef(o), path]);
      }
    }
    if (o.kind === "Job" || o.kind === "ConfigMap" || o.kind === "Pod") {
      for (const [text, path] of strings(o, "", [])) {
        const m = /rs\.initiate\(\s*(\{[\s\S]*?\})\s*\)\s*;/.exec(text);
        if (!m) continue;
        const id = /_id["']?\s*:\s*["']([^"']+)["']/.exec(m[1]);
        if (id) names.push([id[1], objectRef(o), path]);
        const hosts = [...m[1].matchAll(/host["']?\s*:\s*["']([^"']+)["']/g)].map((h) => h[1]);
        initiated.push([hosts, objectRef(o), path]);
      }
    }
  }
  const distinct = [...new Set(names.map((n) => n[0]))];
  if (distinct.length > 1) {
    for (const [name, obj, path] of names.filter((n) => n[0] !== names[0][0])) {
      out.push(finding("error", `replica set name "${name}" differs from "${names[0][0]}" used elsewhere`, obj, path));
    }
  } else if (distinct.length === 1 && distinct[0] !== t.replSet && t.replSetFromSettings) {
    out.push(finding("error", `replica set name "${distinct[0]}" differs from settings.replSetName "${t.replSet}"`, ref, base));
  }
  if (names.length === 0 && t.replicas > 1) {
    out.push(finding("error", `--replSet is not set: the ${t.replicas} pods run as unrelated standalone servers`, ref, base));
  }

  // Voting members.
  const voting = Math.min(t.replicas, MAX_VOTING);
  if (t.replicas > MAX_VOTING) {
    out.push(finding("warning", `${t.replicas} members: only ${MAX_VOTING} may vote, the others need votes: 0 and priority: 0`, ref, "spec.replicas"));
  }
  if (t.replicas > 1 && voting % 2 === 0) {
    out.push(finding("warning", `${voting} voting members: use an odd number (or add an arbiter) so a majority survives a partition`, ref, "spec.replicas"));
  }

  // Members addressed by the headless Service's FQDN.
  const want = members(t);
  for (const [hosts, obj, path] of initiated) {
    for (const h of hosts) {
      if (!want.includes(h)) {
        out.push(finding("error", `member "${h}" is not addressed by the headless Service FQDN (expected one of ${want[0]} .. ${want[want.length - 1]})`, obj, path));
      }
    }
    if (hosts.length !== 0 && hosts.length !== t.replicas) {
      out.push(finding("error", `rs.initiate lists ${hosts.length} member(s) but the StatefulSet runs ${t.replicas}`, obj, path));
    }
  }
  const svc = objects.find((o) => o && o.kind === "Service" && o.metadata?.name === t.service);
  if (!svc) {
    out.push(finding("warning", `no Service named "${t.service}" among the rendered objects`));
  } else if (svc.spec?.clusterIP !== "None") {
    out.push(finding("error", `Service ${t.service} is not headless (clusterIP: None): members have no stable DNS names`, objectRef(svc), "spec.clusterIP"));
  }
  return out;
}

function call(f) {
  return (topology, ...rest) => f(parseTopology(topology), ...rest);
}

export const plugin = {
  describe() {
    return {
      name: "mongodb",
      version: VERSION,
      engines: ["mongodb >=4.4 <9"],
      interfaceVersion: "0.1.0",
      description: "MongoDB replica sets: --replSet, rs.initiate after every member is up, lint",
    };
  },
  seedList: call(members),
  configure: call((t) => {
    const args = ["--replSet", t.replSet, "--bind_ip_all"];
    if (t.port !== DEFAULT_PORT) args.push("--port", String(t.port));
    return { env: [], args, config: [] };
  }),
  postInstall: call(postInstall),
  lint(topology, objectsJson) {
    let t;
    try {
      t = parseTopology(topology);
      t.replSetFromSettings = /"replSetName"/.test(topology.settings);
    } catch (e) {
      return [finding("error", e instanceof PluginError ? e.val : String(e))];
    }
    let objects;
    try {
      objects = JSON.parse(objectsJson);
    } catch (e) {
      return [finding("error", `objects-json: ${e.message}`)];
    }
    return lint(t, objects);
  },
};
