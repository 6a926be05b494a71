//! What the plugin knows about etcd, in plain Rust (no WIT types), so that
//! `cargo test --lib` tests it natively.
//!
//! - `seed_list`: the static bootstrap list, one `<pod>=http://<pod>.<service>.<namespace>.svc.<domain>:<peer>`
//!   entry per member (the peer port is the container port named `peer`, else 2380);
//! - `configure`: `ETCD_INITIAL_CLUSTER` (the seed list joined with commas),
//!   `ETCD_INITIAL_CLUSTER_STATE=new`, `ETCD_INITIAL_CLUSTER_TOKEN` (`settings.clusterToken`, else
//!   the StatefulSet name) and advertise URLs built from `$(POD_NAME)`, which the chart sets from
//!   the downward API;
//! - `post_install`: one hook Job running `etcdctl endpoint health --cluster` (image
//!   `settings.etcdctlImage`, else `registry.k8s.io/etcd:<engine version or 3.5.17-0>`);
//! - `lint`: `etcd-quorum` findings (an even member count adds a member without adding fault
//!   tolerance; more than 7 members slows every write), and a warning when the StatefulSet is
//!   missing.

use serde_json::{Map, Value};

/// Plugin name (`chartkit-plugin.toml` says the same).
pub const NAME: &str = "etcd";
/// Engines handled, `<engine> <version range>`.
pub const ENGINES: &str = "etcd *";
/// One line for `chartkit plugin inspect`.
pub const DESCRIPTION: &str = "etcd static bootstrap: initial cluster from the headless Service";
/// The env var holding the initial cluster.
pub const SEED_ENV: &str = "ETCD_INITIAL_CLUSTER";
/// etcd's default peer and client ports.
pub const DEFAULT_PEER_PORT: u16 = 2380;
/// See [`DEFAULT_PEER_PORT`].
pub const DEFAULT_CLIENT_PORT: u16 = 2379;
/// The etcdctl image when neither `settings.etcdctlImage` nor an engine version is given.
pub const DEFAULT_IMAGE: &str = "registry.k8s.io/etcd:3.5.17-0";
/// Above this many members etcd's write latency grows and upstream advises against it.
pub const MAX_MEMBERS: u32 = 7;

/// Why a call cannot produce a result (the WIT `error` variant).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PluginError {
    InvalidTopology(String),
    InvalidSettings(String),
    UnsupportedVersion(String),
    Other(String),
}

/// The topology as chartkit sends it (the WIT `topology` record).
#[derive(Debug, Clone)]
pub struct Input {
    pub release: String,
    pub namespace: String,
    pub cluster_domain: String,
    pub stateful_set: String,
    pub service: String,
    pub replicas: u32,
    pub ports: Vec<(String, u16)>,
    pub engine_version: Option<String>,
    /// The engine's settings from values, a JSON object.
    pub settings: String,
}

/// A validated topology.
#[derive(Debug, Clone)]
pub struct Topology {
    pub release: String,
    pub namespace: String,
    pub cluster_domain: String,
    pub stateful_set: String,
    pub service: String,
    pub replicas: u32,
    /// The peer port (container port `peer`, else 2380).
    pub peer_port: u16,
    /// The client port (container port `client`, else 2379).
    pub client_port: u16,
    pub engine_version: Option<String>,
    pub settings: Map<String, Value>,
}

impl Topology {
    /// Validates what chartkit sent.
    pub fn parse(t: Input) -> Result<Self, PluginError> {
        if t.replicas == 0 {
            return Err(PluginError::InvalidTopology("replicas is 0".into()));
        }
        for (what, v) in [
            ("namespace", &t.namespace),
            ("cluster-domain", &t.cluster_domain),
            ("stateful-set", &t.stateful_set),
            ("service", &t.service),
        ] {
            if v.is_empty() {
                return Err(PluginError::InvalidTopology(format!("{what} is empty")));
            }
        }
        let settings = match serde_json::from_str::<Value>(if t.settings.trim().is_empty() {
            "{}"
        } else {
            &t.settings
        }) {
            Ok(Value::Object(m)) => m,
            Ok(Value::Null) => Map::new(),
            Ok(_) => {
                return Err(PluginError::InvalidSettings(
                    "settings must be a JSON object".into(),
                ));
            }
            Err(e) => return Err(PluginError::InvalidSettings(format!("settings: {e}"))),
        };
        let port = |name: &str, default: u16| {
            t.ports
                .iter()
                .find(|(n, _)| n == name)
                .map_or(default, |(_, p)| *p)
        };
        let peer_port = port("peer", DEFAULT_PEER_PORT);
        let client_port = port("client", DEFAULT_CLIENT_PORT);
        for key in ["clusterToken", "etcdctlImage"] {
            if let Some(v) = settings.get(key)
                && v.as_str().is_none_or(|s| s.is_empty())
            {
                return Err(PluginError::InvalidSettings(format!(
                    "settings.{key} must be a non-empty string"
                )));
            }
        }
        if let Some(v) = &t.engine_version
            && !v.starts_with("3.")
        {
            return Err(PluginError::UnsupportedVersion(format!(
                "etcd {v}: this plugin knows etcd 3.x"
            )));
        }
        Ok(Self {
            release: t.release,
            namespace: t.namespace,
            cluster_domain: t.cluster_domain.trim_end_matches('.').to_string(),
            stateful_set: t.stateful_set,
            service: t.service,
            replicas: t.replicas,
            peer_port,
            client_port,
            engine_version: t.engine_version,
            settings,
        })
    }

    /// `<stateful-set>-<i>` for every member.
    pub fn pods(&self) -> Vec<String> {
        (0..self.replicas)
            .map(|i| format!("{}-{i}", self.stateful_set))
            .collect()
    }

    /// A pod's stable DNS name through the headless Service.
    pub fn host(&self, pod: &str) -> String {
        format!(
            "{pod}.{}.{}.svc.{}",
            self.service, self.namespace, self.cluster_domain
        )
    }
}

/// `<pod>=http://<pod-fqdn>:<peer>` for every member: etcd's `--initial-cluster` entries.
pub fn seed_list(t: &Topology) -> Vec<String> {
    t.pods()
        .iter()
        .map(|pod| format!("{pod}=http://{}:{}", t.host(pod), t.peer_port))
        .collect()
}

/// What the engine container needs: env vars and extra args.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberConfig {
    pub env: Vec<(String, String)>,
    pub args: Vec<String>,
}

/// The static-bootstrap environment; `$(POD_NAME)` is expanded by Kubernetes from the env var
/// the chart defines before these.
pub fn configure(t: &Topology) -> MemberConfig {
    let token = t
        .settings
        .get("clusterToken")
        .and_then(Value::as_str)
        .unwrap_or(&t.stateful_set)
        .to_string();
    let me = t.host("$(POD_NAME)");
    MemberConfig {
        env: vec![
            (SEED_ENV.to_string(), seed_list(t).join(",")),
            ("ETCD_INITIAL_CLUSTER_STATE".into(), "new".into()),
            ("ETCD_INITIAL_CLUSTER_TOKEN".into(), token),
            (
                "ETCD_INITIAL_ADVERTISE_PEER_URLS".into(),
                format!("http://{me}:{}", t.peer_port),
            ),
            (
                "ETCD_ADVERTISE_CLIENT_URLS".into(),
                format!("http://{me}:{}", t.client_port),
            ),
        ],
        args: Vec::new(),
    }
}

/// A hook Job (post-install and post-upgrade) running a POSIX shell script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub name: String,
    pub image: String,
    pub script: String,
    pub hook_weight: i32,
    pub backoff_limit: u32,
    pub timeout_seconds: u32,
}

/// One hook Job: `etcdctl endpoint health --cluster` against every member's client URL.
pub fn post_install(t: &Topology) -> Vec<Step> {
    let image = match (
        t.settings.get("etcdctlImage").and_then(Value::as_str),
        &t.engine_version,
    ) {
        (Some(i), _) => i.to_string(),
        (None, Some(v)) => format!("registry.k8s.io/etcd:{v}-0"),
        (None, None) => DEFAULT_IMAGE.to_string(),
    };
    let endpoints: Vec<String> = t
        .pods()
        .iter()
        .map(|p| format!("http://{}:{}", t.host(p), t.client_port))
        .collect();
    vec![Step {
        name: format!("{NAME}-endpoint-health"),
        image,
        script: format!(
            "etcdctl --endpoints={} endpoint health --cluster\n",
            endpoints.join(",")
        ),
        hook_weight: 0,
        backoff_limit: 6,
        timeout_seconds: 300,
    }]
}

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// One lint result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    pub path: Option<String>,
}

impl Finding {
    /// An error of the rule `<name>-topology`.
    pub fn error(message: String) -> Self {
        Self {
            rule: format!("{NAME}-topology"),
            severity: Severity::Error,
            message,
            path: None,
        }
    }

    fn quorum(message: String, path: Option<String>) -> Self {
        Self {
            rule: "etcd-quorum".into(),
            severity: Severity::Warning,
            message,
            path,
        }
    }
}

/// `etcd-quorum` over the member count (the StatefulSet's `spec.replicas` when rendered, else
/// the topology's), and a warning when the StatefulSet is missing.
pub fn lint(t: &Topology, objects_json: &str) -> Vec<Finding> {
    let objects = match serde_json::from_str::<Value>(objects_json) {
        Ok(Value::Array(a)) => a,
        Ok(_) => return vec![Finding::error("objects-json is not a JSON array".into())],
        Err(e) => return vec![Finding::error(format!("objects-json: {e}"))],
    };
    let sts = objects.iter().find(|o| {
        o.get("kind").and_then(Value::as_str) == Some("StatefulSet")
            && o.pointer("/metadata/name").and_then(Value::as_str) == Some(t.stateful_set.as_str())
    });
    let mut out = Vec::new();
    let (members, path) = match sts {
        Some(o) => (
            o.pointer("/spec/replicas")
                .and_then(Value::as_u64)
                .map_or(t.replicas, |r| u32::try_from(r).unwrap_or(u32::MAX)),
            Some(format!("StatefulSet/{}/spec/replicas", t.stateful_set)),
        ),
        None => {
            out.push(Finding {
                rule: format!("{NAME}-topology"),
                severity: Severity::Warning,
                message: format!(
                    "no StatefulSet named {:?} among the rendered objects",
                    t.stateful_set
                ),
                path: None,
            });
            (t.replicas, None)
        }
    };
    if members % 2 == 0 {
        out.push(Finding::quorum(
            format!(
                "{members} etcd members tolerate no more failures than {} (quorum {}): use an odd count",
                members - 1,
                members / 2 + 1
            ),
            path.clone(),
        ));
    }
    if members > MAX_MEMBERS {
        out.push(Finding::quorum(
            format!("{members} etcd members: more than {MAX_MEMBERS} slows every write (each needs a majority)"),
            path,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(replicas: u32, settings: &str) -> Input {
        Input {
            release: "rel".into(),
            namespace: "data".into(),
            cluster_domain: "cluster.local.".into(),
            stateful_set: "rel-etcd".into(),
            service: "rel-etcd-headless".into(),
            replicas,
            ports: vec![("client".into(), 2379), ("peer".into(), 2380)],
            engine_version: None,
            settings: settings.into(),
        }
    }

    fn topo(replicas: u32, settings: &str) -> Topology {
        Topology::parse(input(replicas, settings)).unwrap()
    }

    #[test]
    fn seeds_are_initial_cluster_entries_on_the_peer_port() {
        assert_eq!(
            seed_list(&topo(3, "{}")),
            vec![
                "rel-etcd-0=http://rel-etcd-0.rel-etcd-headless.data.svc.cluster.local:2380",
                "rel-etcd-1=http://rel-etcd-1.rel-etcd-headless.data.svc.cluster.local:2380",
                "rel-etcd-2=http://rel-etcd-2.rel-etcd-headless.data.svc.cluster.local:2380",
            ]
        );
        let mut i = input(1, "");
        i.ports = vec![("peer".into(), 12380)];
        assert_eq!(
            seed_list(&Topology::parse(i).unwrap()),
            vec!["rel-etcd-0=http://rel-etcd-0.rel-etcd-headless.data.svc.cluster.local:12380"]
        );
        let mut i = input(1, "");
        i.ports.clear();
        assert!(seed_list(&Topology::parse(i).unwrap())[0].ends_with(":2380"));
    }

    #[test]
    fn configure_sets_the_static_bootstrap_env() {
        let c = configure(&topo(3, "{}"));
        let env: std::collections::BTreeMap<_, _> = c.env.iter().cloned().collect();
        assert_eq!(
            env["ETCD_INITIAL_CLUSTER"],
            seed_list(&topo(3, "{}")).join(",")
        );
        assert_eq!(env["ETCD_INITIAL_CLUSTER_STATE"], "new");
        assert_eq!(env["ETCD_INITIAL_CLUSTER_TOKEN"], "rel-etcd");
        assert_eq!(
            env["ETCD_INITIAL_ADVERTISE_PEER_URLS"],
            "http://$(POD_NAME).rel-etcd-headless.data.svc.cluster.local:2380"
        );
        assert_eq!(
            env["ETCD_ADVERTISE_CLIENT_URLS"],
            "http://$(POD_NAME).rel-etcd-headless.data.svc.cluster.local:2379"
        );
        assert_eq!(c.env.len(), 5);
        assert!(c.args.is_empty());
        let c = configure(&topo(1, r#"{"clusterToken": "prod-1"}"#));
        assert!(
            c.env
                .contains(&("ETCD_INITIAL_CLUSTER_TOKEN".into(), "prod-1".into()))
        );
    }

    #[test]
    fn post_install_checks_cluster_health() {
        let steps = post_install(&topo(3, "{}"));
        assert_eq!(steps.len(), 1);
        assert_eq!(steps[0].image, DEFAULT_IMAGE);
        assert!(
            steps[0].script.contains("endpoint health --cluster"),
            "{}",
            steps[0].script
        );
        assert!(steps[0].script.contains(
            "--endpoints=http://rel-etcd-0.rel-etcd-headless.data.svc.cluster.local:2379,"
        ));
        let steps = post_install(&topo(
            1,
            r#"{"etcdctlImage": "quay.io/coreos/etcd:v3.5.17"}"#,
        ));
        assert_eq!(steps[0].image, "quay.io/coreos/etcd:v3.5.17");
        let mut i = input(1, "");
        i.engine_version = Some("3.5.16".into());
        assert_eq!(
            post_install(&Topology::parse(i).unwrap())[0].image,
            "registry.k8s.io/etcd:3.5.16-0"
        );
    }

    #[test]
    fn rejects_bad_topologies_settings_and_versions() {
        assert!(matches!(
            Topology::parse(input(0, "{}")),
            Err(PluginError::InvalidTopology(_))
        ));
        let mut i = input(3, "{}");
        i.service.clear();
        assert!(matches!(
            Topology::parse(i),
            Err(PluginError::InvalidTopology(_))
        ));
        for bad in [
            "[1]",
            "{",
            r#"{"clusterToken": 1}"#,
            r#"{"etcdctlImage": ""}"#,
        ] {
            assert!(
                matches!(
                    Topology::parse(input(3, bad)),
                    Err(PluginError::InvalidSettings(_))
                ),
                "{bad}"
            );
        }
        let mut i = input(3, "{}");
        i.engine_version = Some("2.3.8".into());
        assert!(matches!(
            Topology::parse(i),
            Err(PluginError::UnsupportedVersion(_))
        ));
    }

    fn sts(replicas: u32) -> String {
        format!(
            r#"[{{"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {{"name": "rel-etcd"}}, "spec": {{"replicas": {replicas}}}}}]"#
        )
    }

    #[test]
    fn lint_checks_quorum() {
        let t = topo(3, "{}");
        assert!(lint(&t, &sts(3)).is_empty());
        assert!(lint(&t, &sts(7)).is_empty());
        let even = lint(&t, &sts(4));
        assert_eq!(even.len(), 1);
        assert_eq!(even[0].rule, "etcd-quorum");
        assert_eq!(even[0].severity, Severity::Warning);
        assert!(
            even[0].message.contains("4 etcd members"),
            "{}",
            even[0].message
        );
        assert_eq!(
            even[0].path.as_deref(),
            Some("StatefulSet/rel-etcd/spec/replicas")
        );
        let big = lint(&t, &sts(9));
        assert_eq!(big.len(), 1);
        assert!(big[0].message.contains("more than 7"), "{}", big[0].message);
        assert_eq!(lint(&t, &sts(10)).len(), 2);
        // Without the StatefulSet: the topology's count, plus a warning.
        let missing = lint(&topo(2, "{}"), "[]");
        assert_eq!(missing.len(), 2);
        assert_eq!(missing[0].rule, "etcd-topology");
        assert_eq!(missing[1].rule, "etcd-quorum");
        assert_eq!(lint(&t, "{}")[0].severity, Severity::Error);
    }
}
