//! Engine rules over the rendered objects: `es-discovery`, `es-max-map-count`, `es-heap`.

use serde_json::Value;

use crate::discovery::quorum;
use crate::model::Topology;
use crate::wit::{self, Finding, ObjectRef, Severity};

/// A setting found on the pod, where it was found.
#[derive(Debug, Clone)]
struct Found {
    value: String,
    path: String,
}

/// The Elasticsearch container of the StatefulSet and where it is.
struct Pod<'a> {
    sts: &'a Value,
    container: &'a Value,
    container_path: String,
}

/// Runs every rule.
pub fn run(t: &Topology, objects_json: &str) -> Vec<Finding> {
    let objects: Vec<Value> = match serde_json::from_str::<Value>(objects_json) {
        Ok(Value::Array(a)) => a,
        Ok(_) => {
            return vec![plain(
                "es-discovery",
                Severity::Error,
                "objects-json is not an array",
            )];
        }
        Err(e) => {
            return vec![plain(
                "es-discovery",
                Severity::Error,
                &format!("objects-json: {e}"),
            )];
        }
    };
    let Some(pod) = find_pod(t, &objects) else {
        return vec![plain(
            "es-discovery",
            Severity::Warning,
            &format!(
                "no StatefulSet named {:?} among the rendered objects",
                t.stateful_set
            ),
        )];
    };
    let settings = collect_settings(&pod, &objects);
    let mut out = Vec::new();
    discovery(t, &pod, &settings, &objects, &mut out);
    max_map_count(t, &pod, &settings, &mut out);
    heap(t, &pod, &mut out);
    out
}

fn find_pod<'a>(t: &Topology, objects: &'a [Value]) -> Option<Pod<'a>> {
    let sts = objects.iter().find(|o| {
        o["kind"] == "StatefulSet" && o["metadata"]["name"].as_str() == Some(&t.stateful_set)
    })?;
    let containers = sts["spec"]["template"]["spec"]["containers"].as_array()?;
    let index = containers
        .iter()
        .position(|c| c["name"] == "elasticsearch")
        .unwrap_or(0);
    Some(Pod {
        sts,
        container: containers.get(index)?,
        container_path: format!("spec.template.spec.containers[{index}]"),
    })
}

/// Settings from the container's env (`discovery.seed_hosts=...`), its `-Ekey=value` args and
/// any ConfigMap carrying `elasticsearch.yml` (flat `key: value` lines).
fn collect_settings(pod: &Pod<'_>, objects: &[Value]) -> Vec<(String, Found)> {
    let mut out = Vec::new();
    for o in objects.iter().filter(|o| o["kind"] == "ConfigMap") {
        if let Some(yml) = o["data"]["elasticsearch.yml"].as_str() {
            for (key, value) in flat_yaml(yml) {
                let path = "data[elasticsearch.yml]".to_string();
                out.push((key, Found { value, path }));
            }
        }
    }
    if let Some(env) = pod.container["env"].as_array() {
        for (j, e) in env.iter().enumerate() {
            if let (Some(name), Some(value)) = (e["name"].as_str(), e["value"].as_str())
                && name.contains('.')
            {
                let path = format!("{}.env[{j}]", pod.container_path);
                out.push((
                    name.to_string(),
                    Found {
                        value: value.to_string(),
                        path,
                    },
                ));
            }
        }
    }
    for field in ["command", "args"] {
        if let Some(args) = pod.container[field].as_array() {
            for (j, a) in args.iter().enumerate() {
                if let Some((k, v)) = a
                    .as_str()
                    .and_then(|a| a.strip_prefix("-E")?.split_once('='))
                {
                    let path = format!("{}.{field}[{j}]", pod.container_path);
                    out.push((
                        k.to_string(),
                        Found {
                            value: v.to_string(),
                            path,
                        },
                    ));
                }
            }
        }
    }
    out
}

/// Top-level `key: value` pairs of a flat YAML file; block lists become `a,b`.
fn flat_yaml(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if let Some(item) = trimmed.strip_prefix("- ")
            && line.starts_with([' ', '-'])
            && let Some(last) = out.last_mut()
        {
            if !last.1.is_empty() {
                last.1.push(',');
            }
            last.1.push_str(unquote(item));
            continue;
        }
        if line.starts_with(' ') {
            continue;
        }
        if let Some((k, v)) = trimmed.split_once(':') {
            out.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    out
}

fn unquote(s: &str) -> &str {
    s.trim().trim_matches('"').trim_matches('\'')
}

/// `"a, b"`, `"[a, b]"`, `"[\"a\"]"` → `["a", "b"]`.
fn list(value: &str) -> Vec<String> {
    value
        .trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .split(',')
        .map(unquote)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

fn get<'s>(settings: &'s [(String, Found)], key: &str) -> Option<&'s Found> {
    settings
        .iter()
        .rev()
        .find(|(k, _)| k == key)
        .map(|(_, f)| f)
}

fn discovery(
    t: &Topology,
    pod: &Pod<'_>,
    s: &[(String, Found)],
    objects: &[Value],
    out: &mut Vec<Finding>,
) {
    let rule = "es-discovery";
    let n = t.replicas;
    let single = get(s, "discovery.type").is_some_and(|f| unquote(&f.value) == "single-node");
    if n == 1 {
        if !single && get(s, "cluster.initial_master_nodes").is_none() {
            out.push(at(
                rule,
                Severity::Warning,
                "one replica without discovery.type=single-node or cluster.initial_master_nodes: \
                 the node cannot bootstrap a cluster"
                    .into(),
                pod.sts,
                &pod.container_path,
            ));
        }
        return;
    }
    if let Some(f) = get(s, "discovery.type").filter(|_| single) {
        out.push(at(
            rule,
            Severity::Error,
            format!(
                "discovery.type=single-node with {n} replicas: the pods never form one cluster"
            ),
            pod.sts,
            &f.path,
        ));
    }
    headless_service(t, objects, out);
    let (seed_key, other_keys) = if t.major >= 7 {
        (
            "discovery.seed_hosts",
            [
                "discovery.zen.ping.unicast.hosts",
                "discovery.zen.minimum_master_nodes",
            ],
        )
    } else {
        (
            "discovery.zen.ping.unicast.hosts",
            ["discovery.seed_hosts", "cluster.initial_master_nodes"],
        )
    };
    match get(s, seed_key) {
        None => out.push(at(
            rule,
            Severity::Error,
            format!("{seed_key} is not set: the {n} pods cannot find each other"),
            pod.sts,
            &pod.container_path,
        )),
        Some(f) => {
            let hosts = list(&f.value);
            if !covers_masters(t, &hosts) {
                out.push(at(
                    rule,
                    Severity::Error,
                    format!(
                        "{seed_key} {hosts:?} does not cover the master pods: use the headless \
                         Service {}",
                        t.service_fqdn()
                    ),
                    pod.sts,
                    &f.path,
                ));
            }
        }
    }
    for key in other_keys {
        if let Some(f) = get(s, key) {
            out.push(at(
                rule,
                Severity::Warning,
                format!("{key} is not used by Elasticsearch {}", t.major),
                pod.sts,
                &f.path,
            ));
        }
    }
    if t.major >= 7 {
        let expected = t.pod_names();
        match get(s, "cluster.initial_master_nodes") {
            None => out.push(at(
                rule,
                Severity::Error,
                format!(
                    "cluster.initial_master_nodes is not set: a new cluster of {n} cannot \
                     bootstrap (expected {expected:?})"
                ),
                pod.sts,
                &pod.container_path,
            )),
            Some(f) => {
                let mut got = list(&f.value);
                got.sort();
                let mut want = expected.clone();
                want.sort();
                if got != want {
                    out.push(at(
                        rule,
                        Severity::Error,
                        format!(
                            "cluster.initial_master_nodes is {:?}, expected exactly the pod \
                             names {expected:?}",
                            list(&f.value)
                        ),
                        pod.sts,
                        &f.path,
                    ));
                } else {
                    out.push(at(
                        rule,
                        Severity::Info,
                        "cluster.initial_master_nodes is set on every start; it only matters \
                         when the cluster bootstraps (chartkit marks it bootstrap-only)"
                            .into(),
                        pod.sts,
                        &f.path,
                    ));
                }
            }
        }
    } else {
        let want = quorum(n);
        match get(s, "discovery.zen.minimum_master_nodes") {
            Some(f) if f.value.trim().trim_matches('"').parse::<i64>().ok() == Some(want) => {}
            Some(f) => out.push(at(
                rule,
                Severity::Error,
                format!(
                    "discovery.zen.minimum_master_nodes is {}, expected {want} (⌊{n}/2⌋+1): \
                     split brain or no quorum",
                    f.value
                ),
                pod.sts,
                &f.path,
            )),
            None => out.push(at(
                rule,
                Severity::Error,
                format!(
                    "discovery.zen.minimum_master_nodes is not set, expected {want} (⌊{n}/2⌋+1)"
                ),
                pod.sts,
                &pod.container_path,
            )),
        }
    }
}

/// Does the seed list reach every master pod: the headless Service by any of its DNS names, or
/// every pod's own name?
fn covers_masters(t: &Topology, hosts: &[String]) -> bool {
    let ns = &t.namespace;
    let svc = &t.service;
    let names = [
        svc.clone(),
        format!("{svc}.{ns}"),
        format!("{svc}.{ns}.svc"),
        t.service_fqdn(),
    ];
    let strip = |h: &str| -> String {
        let h = h.trim_end_matches('.');
        match h.rsplit_once(':') {
            Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => host.to_string(),
            _ => h.to_string(),
        }
    };
    let hosts: Vec<String> = hosts.iter().map(|h| strip(h)).collect();
    if hosts.iter().any(|h| names.contains(h)) {
        return true;
    }
    t.pod_names().iter().all(|p| {
        let short = format!("{p}.{svc}");
        hosts
            .iter()
            .any(|h| *h == short || h.starts_with(&format!("{short}.")))
    })
}

fn headless_service(t: &Topology, objects: &[Value], out: &mut Vec<Finding>) {
    let Some(svc) = objects
        .iter()
        .find(|o| o["kind"] == "Service" && o["metadata"]["name"].as_str() == Some(&t.service))
    else {
        out.push(plain(
            "es-discovery",
            Severity::Warning,
            &format!(
                "no Service named {:?} among the rendered objects",
                t.service
            ),
        ));
        return;
    };
    if svc["spec"]["clusterIP"] != "None" {
        out.push(at(
            "es-discovery",
            Severity::Error,
            format!("Service {} is not headless (clusterIP: None)", t.service),
            svc,
            "spec.clusterIP",
        ));
    }
    if svc["spec"]["publishNotReadyAddresses"] != true {
        out.push(at(
            "es-discovery",
            Severity::Warning,
            format!(
                "Service {} does not publish not-ready addresses: pods cannot find each other \
                 before the cluster forms",
                t.service
            ),
            svc,
            "spec.publishNotReadyAddresses",
        ));
    }
}

fn max_map_count(t: &Topology, pod: &Pod<'_>, s: &[(String, Found)], out: &mut Vec<Finding>) {
    let rule = "es-max-map-count";
    if get(s, "node.store.allow_mmap").is_some_and(|f| unquote(&f.value) == "false") {
        return;
    }
    if t.settings.get("nodeMaxMapCount").and_then(Value::as_bool) == Some(true) {
        return;
    }
    let inits = pod.sts["spec"]["template"]["spec"]["initContainers"].as_array();
    for (i, c) in inits.into_iter().flatten().enumerate() {
        let mut text = String::new();
        for field in ["command", "args"] {
            for a in c[field].as_array().into_iter().flatten() {
                text.push_str(a.as_str().unwrap_or(""));
                text.push(' ');
            }
        }
        if text.contains("vm.max_map_count") {
            let privileged = c["securityContext"]["privileged"] == true;
            let path = format!("spec.template.spec.initContainers[{i}]");
            out.push(if privileged {
                at(
                    rule,
                    Severity::Info,
                    "privileged init container sets vm.max_map_count: expected for \
                     Elasticsearch, not a finding to silence"
                        .into(),
                    pod.sts,
                    &path,
                )
            } else {
                at(
                    rule,
                    Severity::Error,
                    "the init container that sets vm.max_map_count is not privileged: sysctl \
                     will fail"
                        .into(),
                    pod.sts,
                    &format!("{path}.securityContext.privileged"),
                )
            });
            return;
        }
    }
    out.push(at(
        rule,
        Severity::Warning,
        "vm.max_map_count is not raised: add a privileged sysctl init container, set it on the \
         nodes (settings.nodeMaxMapCount: true), or set node.store.allow_mmap: false"
            .into(),
        pod.sts,
        "spec.template.spec.initContainers",
    ));
}

fn heap(t: &Topology, pod: &Pod<'_>, out: &mut Vec<Finding>) {
    let rule = "es-heap";
    let env = pod.container["env"].as_array();
    let opts = env.into_iter().flatten().enumerate().find_map(|(j, e)| {
        (e["name"] == "ES_JAVA_OPTS").then(|| (j, e["value"].as_str().unwrap_or("").to_string()))
    });
    let Some((j, opts)) = opts else {
        if t.major < 7 {
            out.push(at(
                rule,
                Severity::Warning,
                "ES_JAVA_OPTS sets no heap: Elasticsearch 6 defaults to 1 GiB whatever the \
                 memory limit"
                    .into(),
                pod.sts,
                &format!("{}.env", pod.container_path),
            ));
        }
        return;
    };
    let path = format!("{}.env[{j}]", pod.container_path);
    let flag = |name: &str| {
        opts.split_whitespace()
            .filter_map(|w| w.strip_prefix(name))
            .filter_map(java_size)
            .next_back()
    };
    let (xms, xmx) = (flag("-Xms"), flag("-Xmx"));
    match (xms, xmx) {
        (Some(a), Some(b)) if a != b => out.push(at(
            rule,
            Severity::Error,
            format!(
                "-Xms ({}) differs from -Xmx ({}): set both to the same size",
                mib(a),
                mib(b)
            ),
            pod.sts,
            &path,
        )),
        (Some(_), None) | (None, Some(_)) => out.push(at(
            rule,
            Severity::Warning,
            "set both -Xms and -Xmx to the same size".into(),
            pod.sts,
            &path,
        )),
        _ => {}
    }
    let Some(heap) = xmx.or(xms) else { return };
    let limit = pod.container["resources"]["limits"]["memory"]
        .as_str()
        .map(String::from)
        .or_else(|| {
            pod.container["resources"]["limits"]["memory"]
                .as_u64()
                .map(|n| n.to_string())
        });
    match limit.as_deref().map(k8s_quantity) {
        None => out.push(at(
            rule,
            Severity::Info,
            format!(
                "no memory limit: cannot check the {} heap against it",
                mib(heap)
            ),
            pod.sts,
            &format!("{}.resources.limits.memory", pod.container_path),
        )),
        Some(None) => out.push(at(
            rule,
            Severity::Warning,
            format!(
                "cannot read the memory limit {:?}",
                limit.unwrap_or_default()
            ),
            pod.sts,
            &format!("{}.resources.limits.memory", pod.container_path),
        )),
        Some(Some(limit)) if heap.saturating_mul(2) > limit => out.push(at(
            rule,
            Severity::Warning,
            format!(
                "heap {} is more than half the memory limit {}: leave the rest to the \
                 filesystem cache",
                mib(heap),
                mib(limit)
            ),
            pod.sts,
            &path,
        )),
        Some(Some(_)) => {}
    }
}

fn mib(bytes: u64) -> String {
    format!("{} MiB", bytes / (1024 * 1024))
}

/// `2g`, `512m`, `1024k`, `1073741824` → bytes (Java's units are binary).
fn java_size(s: &str) -> Option<u64> {
    let (num, mult) = match s.chars().last()? {
        'g' | 'G' => (&s[..s.len() - 1], 1u64 << 30),
        'm' | 'M' => (&s[..s.len() - 1], 1 << 20),
        'k' | 'K' => (&s[..s.len() - 1], 1 << 10),
        _ => (s, 1),
    };
    num.parse::<u64>().ok()?.checked_mul(mult)
}

/// Kubernetes memory quantities: `2Gi`, `1500Mi`, `2G`, `512M`, `1e9`-free plain bytes.
fn k8s_quantity(s: &str) -> Option<u64> {
    let s = s.trim();
    let units: [(&str, u64); 10] = [
        ("Ki", 1 << 10),
        ("Mi", 1 << 20),
        ("Gi", 1 << 30),
        ("Ti", 1 << 40),
        ("Pi", 1 << 50),
        ("k", 1_000),
        ("M", 1_000_000),
        ("G", 1_000_000_000),
        ("T", 1_000_000_000_000),
        ("P", 1_000_000_000_000_000),
    ];
    for (suffix, mult) in units {
        if let Some(num) = s.strip_suffix(suffix) {
            return num.parse::<u64>().ok()?.checked_mul(mult);
        }
    }
    s.parse().ok()
}

fn object_ref(o: &Value) -> ObjectRef {
    let s = |v: &Value| v.as_str().unwrap_or("").to_string();
    ObjectRef {
        api_version: s(&o["apiVersion"]),
        kind: s(&o["kind"]),
        name: s(&o["metadata"]["name"]),
        namespace: o["metadata"]["namespace"].as_str().map(String::from),
    }
}

fn at(rule: &str, severity: Severity, message: String, o: &Value, path: &str) -> Finding {
    Finding {
        rule: rule.into(),
        severity,
        message,
        object: Some(object_ref(o)),
        path: Some(path.into()),
    }
}

fn plain(rule: &str, severity: Severity, message: &str) -> wit::Finding {
    Finding {
        rule: rule.into(),
        severity,
        message: message.into(),
        object: None,
        path: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tests::topo;
    use serde_json::json;

    fn objects(env: Value, init: Value, limit: &str) -> String {
        json!([
            {"apiVersion": "v1", "kind": "Service",
             "metadata": {"name": "rel-es-headless", "namespace": "search"},
             "spec": {"clusterIP": "None", "publishNotReadyAddresses": true}},
            {"apiVersion": "apps/v1", "kind": "StatefulSet",
             "metadata": {"name": "rel-es", "namespace": "search"},
             "spec": {"template": {"spec": {
                "initContainers": init,
                "containers": [{"name": "elasticsearch", "env": env,
                                "resources": {"limits": {"memory": limit}}}]}}}}
        ])
        .to_string()
    }

    fn good_env() -> Value {
        json!([
            {"name": "discovery.seed_hosts", "value": "rel-es-headless"},
            {"name": "cluster.initial_master_nodes", "value": "rel-es-0,rel-es-1,rel-es-2"},
            {"name": "ES_JAVA_OPTS", "value": "-Xms1g -Xmx1g"}
        ])
    }

    fn sysctl() -> Value {
        json!([{"name": "sysctl", "command": ["sysctl", "-w", "vm.max_map_count=262144"],
                "securityContext": {"privileged": true}}])
    }

    fn rules(f: &[Finding], severity: Severity) -> Vec<String> {
        f.iter()
            .filter(|f| f.severity == severity)
            .map(|f| f.rule.clone())
            .collect()
    }

    #[test]
    fn good_chart_has_only_infos() {
        let t = Topology::from_wit(topo(3, Some("8.15.0"))).unwrap();
        let f = run(&t, &objects(good_env(), sysctl(), "4Gi"));
        assert!(rules(&f, Severity::Error).is_empty(), "{f:?}");
        assert!(rules(&f, Severity::Warning).is_empty(), "{f:?}");
        assert_eq!(
            rules(&f, Severity::Info),
            vec!["es-discovery", "es-max-map-count"]
        );
    }

    #[test]
    fn wrong_masters_heap_and_no_sysctl() {
        let t = Topology::from_wit(topo(3, Some("8.15.0"))).unwrap();
        let env = json!([
            {"name": "discovery.seed_hosts", "value": "elsewhere"},
            {"name": "cluster.initial_master_nodes", "value": "rel-es-0,rel-es-1"},
            {"name": "ES_JAVA_OPTS", "value": "-Xms1g -Xmx3g"}
        ]);
        let f = run(&t, &objects(env, json!([]), "4Gi"));
        assert_eq!(
            rules(&f, Severity::Error),
            vec!["es-discovery", "es-discovery", "es-heap"]
        );
        assert_eq!(
            rules(&f, Severity::Warning),
            vec!["es-max-map-count", "es-heap"]
        );
    }

    #[test]
    fn es6_quorum_checked() {
        let t = Topology::from_wit(topo(5, Some("6.8.0"))).unwrap();
        let env = json!([
            {"name": "discovery.zen.ping.unicast.hosts", "value": "rel-es-headless.search"},
            {"name": "discovery.zen.minimum_master_nodes", "value": "2"},
            {"name": "node.store.allow_mmap", "value": "false"},
            {"name": "ES_JAVA_OPTS", "value": "-Xms1g -Xmx1g"}
        ]);
        let f = run(&t, &objects(env, json!([]), "2Gi"));
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].message.contains("expected 3"), "{f:?}");
    }

    #[test]
    fn quantities() {
        assert_eq!(k8s_quantity("2Gi"), Some(2 << 30));
        assert_eq!(k8s_quantity("1500M"), Some(1_500_000_000));
        assert_eq!(java_size("512m"), Some(512 << 20));
        assert_eq!(list("[\"a\", 'b']"), vec!["a", "b"]);
    }

    #[test]
    fn configmap_yaml() {
        let y = "cluster.name: x\ndiscovery.seed_hosts:\n  - a\n  - b\nnested:\n  k: v\n";
        assert_eq!(
            flat_yaml(y),
            vec![
                ("cluster.name".into(), "x".into()),
                ("discovery.seed_hosts".into(), "a,b".into()),
                ("nested".into(), "".into())
            ]
        );
    }
}
