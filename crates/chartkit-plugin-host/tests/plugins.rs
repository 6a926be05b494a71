//! The three engine plugins, built as components and run through the sandboxed host, for 1, 3
//! and 5 replicas in several namespaces and cluster domains. Expected values are written from
//! the engines' documented rules, not copied from plugin output.

mod common;

use chartkit_plugin_host::{
    CallFailure, ConfigEntry, ConfigValue, Error, Finding, Hook, Plugin, Rejection, Run, Severity,
    Step, Topology,
};
use common::{PLACES, REPLICAS, plugin, topology};
use serde_json::{Value, json};

fn es_topology(n: u32, ns: &str, domain: &str, version: &str) -> Topology {
    topology(
        n,
        ns,
        domain,
        "rel-es",
        "rel-es-headless",
        &[("http", 9200), ("transport", 9300)],
        Some(version),
        json!({}),
    )
}

fn pods(sts: &str, n: u32) -> Vec<String> {
    (0..n).map(|i| format!("{sts}-{i}")).collect()
}

fn fqdns(sts: &str, svc: &str, ns: &str, domain: &str, n: u32, port: &str) -> Vec<String> {
    (0..n)
        .map(|i| format!("{sts}-{i}.{svc}.{ns}.svc.{domain}{port}"))
        .collect()
}

fn entry(key: &str, value: ConfigValue, bootstrap_only: bool) -> ConfigEntry {
    ConfigEntry {
        file: "elasticsearch.yml".into(),
        key: key.into(),
        value,
        bootstrap_only,
    }
}

fn script(step: &Step) -> &str {
    match &step.run {
        Run::Script(s) => s,
        Run::Exec(argv) => panic!("expected a script, got {argv:?}"),
    }
}

fn errors_and_warnings(findings: &[Finding]) -> Vec<String> {
    findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .map(|f| format!("{} {:?}: {}", f.rule, f.severity, f.message))
        .collect()
}

fn statefulset(name: &str, ns: &str, n: u32, container: Value, init: Value) -> Value {
    json!({"apiVersion": "apps/v1", "kind": "StatefulSet",
           "metadata": {"name": name, "namespace": ns},
           "spec": {"replicas": n, "serviceName": format!("{name}-headless"),
                    "template": {"spec": {"initContainers": init, "containers": [container]}}}})
}

fn headless(name: &str, ns: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": ns},
           "spec": {"clusterIP": "None", "publishNotReadyAddresses": true}})
}

fn job(step: &Step, ns: &str) -> Value {
    json!({"apiVersion": "batch/v1", "kind": "Job",
           "metadata": {"name": format!("rel-{}", step.name), "namespace": ns},
           "spec": {"template": {"spec": {"containers": [
               {"name": step.name, "image": step.image,
                "command": ["/bin/sh", "-ec", script(step)]}]}}}})
}

fn rejected(e: Error) -> Rejection {
    match e {
        Error::Call {
            failure: CallFailure::Rejected(r),
            ..
        } => r,
        other => panic!("expected a rejection, got {other}"),
    }
}

// ---------------------------------------------------------------- elasticsearch

fn es() -> Option<&'static Plugin> {
    plugin("elasticsearch")
}

#[test]
fn es_describe() {
    let Some(p) = es() else { return };
    let info = p.describe().unwrap();
    assert_eq!(info.name, "elasticsearch");
    assert_eq!(info.interface_version, "0.1.0");
    assert_eq!(info.engines, vec!["elasticsearch >=6 <10"]);
    assert_eq!(p.report().interface.to_string(), "0.1.0");
    assert!(p.report().digest.starts_with("sha256:"));
}

#[test]
fn es8_discovery_for_every_size_and_place() {
    let Some(p) = es() else { return };
    for n in REPLICAS {
        for (ns, domain) in PLACES {
            let t = es_topology(n, ns, domain, "8.15.0");
            let seeds = p.seed_list(&t).unwrap();
            let config = p.configure(&t).unwrap();
            assert!(config.env.is_empty() && config.args.is_empty());
            if n == 1 {
                assert_eq!(seeds, Vec::<String>::new());
                assert_eq!(
                    config.config,
                    vec![entry(
                        "discovery.type",
                        ConfigValue::Text("single-node".into()),
                        false
                    )]
                );
            } else {
                let svc = fqdns("rel-es", "rel-es-headless", ns, domain, n, "");
                assert_eq!(seeds, svc, "{n} {ns} {domain}");
                assert_eq!(
                    config.config,
                    vec![
                        entry(
                            "discovery.seed_hosts",
                            ConfigValue::TextList(svc),
                            false
                        ),
                        entry(
                            "cluster.initial_master_nodes",
                            ConfigValue::TextList(pods("rel-es", n)),
                            true
                        ),
                    ]
                );
            }
        }
    }
}

#[test]
fn es6_zen_discovery_quorum() {
    let Some(p) = es() else { return };
    for n in [3u32, 5] {
        let t = es_topology(n, "logs", "cluster.local", "6.8.23");
        let config = p.configure(&t).unwrap();
        assert_eq!(
            config.config,
            vec![
                entry(
                    "discovery.zen.ping.unicast.hosts",
                    ConfigValue::TextList(fqdns(
                        "rel-es",
                        "rel-es-headless",
                        "logs",
                        "cluster.local",
                        n,
                        ""
                    )),
                    false
                ),
                entry(
                    "discovery.zen.minimum_master_nodes",
                    ConfigValue::Integer(i64::from(n / 2 + 1)),
                    false
                ),
            ]
        );
    }
}

#[test]
fn es_post_install_waits_for_health() {
    let Some(p) = es() else { return };
    for n in REPLICAS {
        let t = es_topology(n, "team-a", "corp.example", "8.15.0");
        let steps = p.post_install(&t).unwrap();
        assert_eq!(steps.len(), 1);
        let s = &steps[0];
        assert_eq!(s.name, "es-cluster-health");
        assert_eq!(
            s.image,
            "docker.elastic.co/elasticsearch/elasticsearch:8.15.0"
        );
        assert_eq!(s.hooks, vec![Hook::PostInstall, Hook::PostUpgrade]);
        let url = format!(
            "http://rel-es-headless.team-a.svc.corp.example:9200/_cluster/health?wait_for_status=yellow&wait_for_nodes={n}&"
        );
        assert!(script(s).contains(&url), "{}", script(s));
    }
}

fn es_objects(t: &Topology, env: Vec<Value>, init: Value) -> String {
    let container = json!({"name": "elasticsearch", "env": env,
                           "resources": {"limits": {"memory": "4Gi"}}});
    json!([
        headless(&t.service, &t.namespace),
        statefulset(&t.stateful_set, &t.namespace, t.replicas, container, init)
    ])
    .to_string()
}

fn as_env(entries: &[ConfigEntry]) -> Vec<Value> {
    entries
        .iter()
        .map(|e| {
            let value = match &e.value {
                ConfigValue::Text(s) => s.clone(),
                ConfigValue::Integer(i) => i.to_string(),
                ConfigValue::Boolean(b) => b.to_string(),
                ConfigValue::TextList(l) => l.join(","),
            };
            json!({"name": e.key, "value": value})
        })
        .collect()
}

#[test]
fn es_lint_accepts_its_own_configuration() {
    let Some(p) = es() else { return };
    let sysctl = json!([{"name": "sysctl", "command": ["sysctl", "-w", "vm.max_map_count=262144"],
                         "securityContext": {"privileged": true}}]);
    for n in REPLICAS {
        for (ns, domain) in PLACES {
            let t = es_topology(n, ns, domain, "8.15.0");
            let mut env = as_env(&p.configure(&t).unwrap().config);
            env.push(json!({"name": "ES_JAVA_OPTS", "value": "-Xms2g -Xmx2g"}));
            let findings = p.lint(&t, &es_objects(&t, env, sysctl.clone())).unwrap();
            assert_eq!(
                errors_and_warnings(&findings),
                Vec::<String>::new(),
                "{n} {ns}"
            );
            // The privileged sysctl init container is reported as expected (info), not noise.
            assert!(
                findings
                    .iter()
                    .any(|f| f.rule == "es-max-map-count" && f.severity == Severity::Info)
            );
        }
    }
}

#[test]
fn es_lint_rules_fire() {
    let Some(p) = es() else { return };
    let t = es_topology(3, "search", "cluster.local", "8.15.0");
    let env = vec![
        json!({"name": "discovery.seed_hosts", "value": "rel-es-headless"}),
        json!({"name": "cluster.initial_master_nodes", "value": "rel-es-0,rel-es-1,rel-es-2,rel-es-3"}),
        json!({"name": "ES_JAVA_OPTS", "value": "-Xms1g -Xmx3g"}),
    ];
    let findings = p.lint(&t, &es_objects(&t, env, json!([]))).unwrap();
    let got: Vec<(&str, Severity)> = findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .map(|f| (f.rule.as_str(), f.severity))
        .collect();
    assert_eq!(
        got,
        vec![
            ("es-discovery", Severity::Error),
            ("es-max-map-count", Severity::Warning),
            ("es-heap", Severity::Error),
            ("es-heap", Severity::Warning),
        ],
        "{findings:#?}"
    );
    let masters = &findings[0];
    assert_eq!(
        masters.path.as_deref(),
        Some("spec.template.spec.containers[0].env[1]")
    );
    assert_eq!(
        masters.object.as_ref().map(|o| o.kind.as_str()),
        Some("StatefulSet")
    );
}

#[test]
fn es_rejects_bad_topologies_with_named_errors() {
    let Some(p) = es() else { return };
    let e = p
        .seed_list(&es_topology(0, "x", "cluster.local", "8.0.0"))
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        r#"plugin "elasticsearch" (seed-list): invalid topology: replicas is 0"#
    );
    let e = p
        .configure(&es_topology(3, "x", "cluster.local", "5.6.0"))
        .unwrap_err();
    assert!(matches!(rejected(e), Rejection::UnsupportedVersion(_)));
}

// ---------------------------------------------------------------- consul

fn consul_topology(n: u32, ns: &str, domain: &str) -> Topology {
    topology(
        n,
        ns,
        domain,
        "rel-consul",
        "rel-consul-headless",
        &[("http", 8500), ("serflan", 8301)],
        Some("1.19.2"),
        json!({}),
    )
}

#[test]
fn consul_describe() {
    let Some(p) = plugin("consul") else { return };
    assert_eq!(p.info().name, "consul");
    assert_eq!(p.info().interface_version, "0.1.0");
}

#[test]
fn consul_retry_join_every_peer() {
    let Some(p) = plugin("consul") else { return };
    for n in REPLICAS {
        for (ns, domain) in PLACES {
            let t = consul_topology(n, ns, domain);
            let peers = fqdns("rel-consul", "rel-consul-headless", ns, domain, n, "");
            assert_eq!(p.seed_list(&t).unwrap(), peers);
            let mut want = vec![format!("-bootstrap-expect={n}")];
            want.extend(peers.iter().map(|h| format!("-retry-join={h}")));
            assert_eq!(p.configure(&t).unwrap().args, want, "{n} {ns} {domain}");
            let steps = p.post_install(&t).unwrap();
            assert_eq!(steps.len(), 1);
            assert_eq!(steps[0].image, "hashicorp/consul:1.19.2");
            assert!(script(&steps[0]).contains(&format!("-ge {n} ]")));
            assert!(script(&steps[0]).contains(&format!(
                "http://rel-consul-headless.{ns}.svc.{domain}:8500"
            )));
        }
    }
}

#[test]
fn consul_settings_and_ports() {
    let Some(p) = plugin("consul") else { return };
    let mut t = consul_topology(3, "infra", "cluster.local");
    t.ports = vec![chartkit_plugin_host::Port {
        name: "serflan".into(),
        port: 9301,
    }];
    t.settings = json!({"datacenter": "eu-1"});
    let args = p.configure(&t).unwrap().args;
    assert_eq!(
        args[1],
        "-retry-join=rel-consul-0.rel-consul-headless.infra.svc.cluster.local:9301"
    );
    assert_eq!(args.last().map(String::as_str), Some("-datacenter=eu-1"));
    t.settings = json!({"datacenter": 3});
    assert!(matches!(
        rejected(p.configure(&t).unwrap_err()),
        Rejection::InvalidSettings(_)
    ));
}

#[test]
fn consul_lint_bootstrap_expect() {
    let Some(p) = plugin("consul") else { return };
    for n in REPLICAS {
        let t = consul_topology(n, "infra", "cluster.local");
        let args = p.configure(&t).unwrap().args;
        let objects = |args: &[String]| {
            json!([statefulset(
                "rel-consul",
                "infra",
                n,
                json!({"name": "consul", "args": args}),
                json!([])
            )])
            .to_string()
        };
        assert_eq!(p.lint(&t, &objects(&args)).unwrap(), vec![], "{n}");
        let mut wrong = args.clone();
        wrong[0] = format!("-bootstrap-expect={}", n + 1);
        let f = p.lint(&t, &objects(&wrong)).unwrap();
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(
            (f[0].rule.as_str(), f[0].severity),
            ("consul-bootstrap-expect", Severity::Error)
        );
        assert_eq!(
            f[0].path.as_deref(),
            Some("spec.template.spec.containers[0].args[0]")
        );
    }
}

// ---------------------------------------------------------------- mongodb

fn mongo_topology(n: u32, ns: &str, domain: &str, settings: Value) -> Topology {
    topology(
        n,
        ns,
        domain,
        "rel-mongo",
        "rel-mongo-headless",
        &[("mongodb", 27017)],
        Some("7.0.12"),
        settings,
    )
}

#[test]
fn mongo_describe() {
    let Some(p) = plugin("mongodb") else { return };
    assert_eq!(p.info().name, "mongodb");
    assert_eq!(p.info().engines, vec!["mongodb >=4.4 <9"]);
}

#[test]
fn mongo_replica_set_members() {
    let Some(p) = plugin("mongodb") else { return };
    for n in REPLICAS {
        for (ns, domain) in PLACES {
            let t = mongo_topology(n, ns, domain, json!({"replSetName": "main"}));
            let members = fqdns("rel-mongo", "rel-mongo-headless", ns, domain, n, ":27017");
            assert_eq!(p.seed_list(&t).unwrap(), members);
            assert_eq!(
                p.configure(&t).unwrap().args,
                vec!["--replSet", "main", "--bind_ip_all"]
            );
            let steps = p.post_install(&t).unwrap();
            assert_eq!(steps.len(), 1);
            let s = script(&steps[0]);
            assert_eq!(steps[0].image, "mongo:7.0.12");
            // Waits for every member, then initiates once with all of them.
            for m in &members {
                assert!(s.contains(m.as_str()), "{m} missing from {s}");
            }
            let config: Vec<String> = members
                .iter()
                .enumerate()
                .map(|(i, h)| format!(r#"{{"_id":{i},"host":"{h}"}}"#))
                .collect();
            let initiate = format!(
                r#"rs.initiate({{"_id":"main","members":[{}]}});"#,
                config.join(",")
            );
            assert!(s.contains(&initiate), "{s}");
            assert!(
                s.contains("NotYetInitialized"),
                "initiate must be idempotent: {s}"
            );
        }
    }
}

#[test]
fn mongo_lint_replset() {
    let Some(p) = plugin("mongodb") else { return };
    for n in REPLICAS {
        let t = mongo_topology(n, "data", "cluster.local", json!({}));
        let args = p.configure(&t).unwrap().args;
        let step = p.post_install(&t).unwrap().remove(0);
        let objects = json!([
            headless("rel-mongo-headless", "data"),
            statefulset(
                "rel-mongo",
                "data",
                n,
                json!({"name": "mongod", "args": args}),
                json!([])
            ),
            job(&step, "data"),
        ]);
        assert_eq!(p.lint(&t, &objects.to_string()).unwrap(), vec![], "{n}");
    }
    // Four voting members, a second replica set name, short host names.
    let t = mongo_topology(4, "data", "cluster.local", json!({}));
    let objects = json!([
        headless("rel-mongo-headless", "data"),
        statefulset("rel-mongo", "data", 4, json!({"name": "mongod", "args": ["--replSet", "rs0"]}), json!([])),
        {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "init"},
         "spec": {"template": {"spec": {"containers": [{"name": "i", "command": ["sh", "-c",
            "mongosh --eval 'rs.initiate({_id: \"rs1\", members: [{_id: 0, host: \"rel-mongo-0:27017\"}]});'"]}]}}}}
    ]);
    let f = p.lint(&t, &objects.to_string()).unwrap();
    let summary: Vec<(&str, Severity)> = f.iter().map(|f| (f.rule.as_str(), f.severity)).collect();
    assert_eq!(
        summary,
        vec![
            ("mongo-replset", Severity::Error),   // rs1 vs rs0
            ("mongo-replset", Severity::Warning), // 4 voters
            ("mongo-replset", Severity::Error),   // short host name
            ("mongo-replset", Severity::Error),   // 1 member listed, 4 pods
        ],
        "{f:#?}"
    );
}

#[test]
fn mongo_rejections_are_typed() {
    let Some(p) = plugin("mongodb") else { return };
    let t = mongo_topology(
        3,
        "data",
        "cluster.local",
        json!({"replSetName": "bad name"}),
    );
    let e = p.configure(&t).unwrap_err();
    assert!(
        e.to_string()
            .starts_with(r#"plugin "mongodb" (configure): invalid settings:"#),
        "{e}"
    );
    let t = mongo_topology(0, "data", "cluster.local", json!({}));
    assert!(matches!(
        rejected(p.seed_list(&t).unwrap_err()),
        Rejection::InvalidTopology(_)
    ));
}

// ---------------------------------------------------------------- all

#[test]
fn every_call_is_deterministic() {
    for (name, t) in [
        (
            "elasticsearch",
            es_topology(3, "a", "cluster.local", "8.15.0"),
        ),
        ("consul", consul_topology(3, "a", "cluster.local")),
        (
            "mongodb",
            mongo_topology(3, "a", "cluster.local", json!({})),
        ),
    ] {
        let Some(p) = plugin(name) else { continue };
        let run = || {
            (
                p.seed_list(&t).unwrap(),
                p.configure(&t).unwrap(),
                p.post_install(&t).unwrap(),
                p.lint(&t, "[]").unwrap(),
            )
        };
        assert_eq!(run(), run(), "{name}");
    }
}
