//! What the plugin knows about etcd, in plain Rust (no WIT types), so that
//! `cargo test --lib` tests it natively.
//!
//! The scaffold's behaviour is generic; make it your engine's:
//! - `seed_list`: every member's stable DNS name through the headless Service,
//!   `<stateful-set>-<i>.<service>.<namespace>.svc.<cluster-domain>:<port>`, with the first
//!   port (or the one named by `settings.seedPort`);
//! - `configure`: the env var `SEED_HOSTS`, the seed list joined with commas;
//! - `post_install`: nothing, unless `settings.waitImage` names an image with `nslookup`
//!   (busybox): then one hook Job waits until every member resolves;
//! - `lint`: a warning when the engine's StatefulSet is not among the rendered objects.

use serde_json::{Map, Value};

/// Plugin name (`chartkit-plugin.toml` says the same).
pub const NAME: &str = "etcd";
/// Engines handled, `<engine> <version range>`.
pub const ENGINES: &str = "etcd *";
/// One line for `chartkit plugin inspect`.
pub const DESCRIPTION: &str = "Members addressed through the headless Service (SEED_HOSTS)";
/// The env var `configure` sets.
pub const SEED_ENV: &str = "SEED_HOSTS";

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
    /// The port seeds are addressed with, if the engine container has one.
    pub seed_port: Option<u16>,
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
        let seed_port = match settings.get("seedPort") {
            None => t.ports.first().map(|(_, p)| *p),
            Some(Value::String(name)) => match t.ports.iter().find(|(n, _)| n == name) {
                Some((_, p)) => Some(*p),
                None => {
                    return Err(PluginError::InvalidSettings(format!(
                        "settings.seedPort: the engine container has no port named {name:?}"
                    )));
                }
            },
            Some(_) => {
                return Err(PluginError::InvalidSettings(
                    "settings.seedPort must be a port name (a string)".into(),
                ));
            }
        };
        if let Some(v) = settings.get("waitImage")
            && !v.is_string()
        {
            return Err(PluginError::InvalidSettings(
                "settings.waitImage must be an image reference (a string)".into(),
            ));
        }
        Ok(Self {
            release: t.release,
            namespace: t.namespace,
            cluster_domain: t.cluster_domain.trim_end_matches('.').to_string(),
            stateful_set: t.stateful_set,
            service: t.service,
            replicas: t.replicas,
            seed_port,
            engine_version: t.engine_version,
            settings,
        })
    }

    /// `<stateful-set>-<i>.<service>.<namespace>.svc.<cluster-domain>` for every member.
    pub fn member_hosts(&self) -> Vec<String> {
        (0..self.replicas)
            .map(|i| {
                format!(
                    "{}-{i}.{}.{}.svc.{}",
                    self.stateful_set, self.service, self.namespace, self.cluster_domain
                )
            })
            .collect()
    }
}

/// The addresses members use to find each other.
pub fn seed_list(t: &Topology) -> Vec<String> {
    let hosts = t.member_hosts();
    match t.seed_port {
        Some(port) => hosts.into_iter().map(|h| format!("{h}:{port}")).collect(),
        None => hosts,
    }
}

/// What the engine container needs: env vars and extra args.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberConfig {
    pub env: Vec<(String, String)>,
    pub args: Vec<String>,
}

/// The engine container's configuration: `SEED_HOSTS=<seed list, comma-separated>`.
pub fn configure(t: &Topology) -> MemberConfig {
    MemberConfig {
        env: vec![(SEED_ENV.to_string(), seed_list(t).join(","))],
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

/// Steps to run after install and upgrade: with `settings.waitImage`, one Job that waits until
/// every member's DNS name resolves; otherwise none.
pub fn post_install(t: &Topology) -> Vec<Step> {
    let Some(image) = t.settings.get("waitImage").and_then(Value::as_str) else {
        return Vec::new();
    };
    let script = format!(
        "for h in {}; do\n  until nslookup \"$h\" >/dev/null 2>&1; do echo \"waiting for $h\"; sleep 2; done\ndone\n",
        t.member_hosts().join(" ")
    );
    vec![Step {
        name: format!("{NAME}-wait-members"),
        image: image.to_string(),
        script,
        hook_weight: 0,
        backoff_limit: 3,
        timeout_seconds: 600,
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
}

/// Engine rules over the rendered objects (a JSON array). Add your engine's rules here.
pub fn lint(t: &Topology, objects_json: &str) -> Vec<Finding> {
    let objects = match serde_json::from_str::<Value>(objects_json) {
        Ok(Value::Array(a)) => a,
        Ok(_) => return vec![Finding::error("objects-json is not a JSON array".into())],
        Err(e) => return vec![Finding::error(format!("objects-json: {e}"))],
    };
    let found = objects.iter().any(|o| {
        o.get("kind").and_then(Value::as_str) == Some("StatefulSet")
            && o.pointer("/metadata/name").and_then(Value::as_str) == Some(t.stateful_set.as_str())
    });
    if found {
        Vec::new()
    } else {
        vec![Finding {
            rule: format!("{NAME}-topology"),
            severity: Severity::Warning,
            message: format!(
                "no StatefulSet named {:?} among the rendered objects",
                t.stateful_set
            ),
            path: None,
        }]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(replicas: u32, settings: &str) -> Input {
        Input {
            release: "rel".into(),
            namespace: "data".into(),
            cluster_domain: "cluster.local.".into(),
            stateful_set: "rel-db".into(),
            service: "rel-db-headless".into(),
            replicas,
            ports: vec![("peer".into(), 7000), ("client".into(), 7001)],
            engine_version: None,
            settings: settings.into(),
        }
    }

    fn topo(replicas: u32, settings: &str) -> Topology {
        Topology::parse(input(replicas, settings)).unwrap()
    }

    #[test]
    fn seeds_are_member_fqdns_with_the_first_port() {
        assert_eq!(
            seed_list(&topo(3, "{}")),
            vec![
                "rel-db-0.rel-db-headless.data.svc.cluster.local:7000",
                "rel-db-1.rel-db-headless.data.svc.cluster.local:7000",
                "rel-db-2.rel-db-headless.data.svc.cluster.local:7000",
            ]
        );
        assert_eq!(seed_list(&topo(5, "")).len(), 5);
    }

    #[test]
    fn seed_port_by_name_and_no_port() {
        let t = topo(1, r#"{"seedPort": "client"}"#);
        assert_eq!(
            seed_list(&t),
            vec!["rel-db-0.rel-db-headless.data.svc.cluster.local:7001"]
        );
        let mut i = input(2, "{}");
        i.ports.clear();
        let t = Topology::parse(i).unwrap();
        assert_eq!(
            seed_list(&t)[1],
            "rel-db-1.rel-db-headless.data.svc.cluster.local"
        );
    }

    #[test]
    fn configure_sets_seed_hosts() {
        let c = configure(&topo(2, "{}"));
        assert_eq!(
            c.env,
            vec![(
                "SEED_HOSTS".to_string(),
                "rel-db-0.rel-db-headless.data.svc.cluster.local:7000,rel-db-1.rel-db-headless.data.svc.cluster.local:7000".to_string()
            )]
        );
        assert!(c.args.is_empty());
    }

    #[test]
    fn post_install_waits_only_when_asked() {
        assert!(post_install(&topo(3, "{}")).is_empty());
        let steps = post_install(&topo(2, r#"{"waitImage": "busybox:1.36"}"#));
        assert_eq!(steps.len(), 1);
        assert_eq!(steps[0].image, "busybox:1.36");
        assert!(
            steps[0]
                .script
                .contains("rel-db-1.rel-db-headless.data.svc.cluster.local")
        );
    }

    #[test]
    fn rejects_bad_topologies_and_settings() {
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
            r#"{"seedPort": 1}"#,
            r#"{"seedPort": "nope"}"#,
            r#"{"waitImage": 2}"#,
        ] {
            assert!(
                matches!(
                    Topology::parse(input(3, bad)),
                    Err(PluginError::InvalidSettings(_))
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn lint_finds_the_stateful_set() {
        let t = topo(3, "{}");
        let ok =
            r#"[{"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "rel-db"}}]"#;
        assert!(lint(&t, ok).is_empty());
        let missing = lint(&t, "[]");
        assert_eq!(missing.len(), 1);
        assert_eq!(missing[0].severity, Severity::Warning);
        assert_eq!(lint(&t, "{}")[0].severity, Severity::Error);
    }
}
