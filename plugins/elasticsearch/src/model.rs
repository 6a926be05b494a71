//! The topology as this plugin sees it: validated, with the engine version parsed.

use serde_json::{Map, Value};

use crate::wit;

/// Elasticsearch major version assumed when the chart does not say.
pub const DEFAULT_MAJOR: u32 = 8;
/// Default transport port (`transport.port`).
pub const TRANSPORT_PORT: u16 = 9300;
/// Default HTTP port (`http.port`).
pub const HTTP_PORT: u16 = 9200;

/// A validated topology.
#[derive(Debug, Clone)]
pub struct Topology {
    pub namespace: String,
    pub cluster_domain: String,
    pub stateful_set: String,
    pub service: String,
    pub replicas: u32,
    pub ports: Vec<(String, u16)>,
    pub version: Option<String>,
    pub major: u32,
    pub settings: Map<String, Value>,
}

impl Topology {
    /// Validates a WIT topology.
    pub fn from_wit(t: wit::Topology) -> Result<Self, wit::Error> {
        if t.replicas == 0 {
            return Err(wit::Error::InvalidTopology("replicas is 0".into()));
        }
        for (what, v) in [
            ("namespace", &t.namespace),
            ("cluster-domain", &t.cluster_domain),
            ("stateful-set", &t.stateful_set),
            ("service", &t.service),
        ] {
            if v.is_empty() {
                return Err(wit::Error::InvalidTopology(format!("{what} is empty")));
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
                return Err(wit::Error::InvalidSettings(
                    "settings must be a JSON object".into(),
                ));
            }
            Err(e) => return Err(wit::Error::InvalidSettings(format!("settings: {e}"))),
        };
        let major = match &t.engine_version {
            None => DEFAULT_MAJOR,
            Some(v) => parse_major(v).ok_or_else(|| {
                wit::Error::UnsupportedVersion(format!("cannot read the version {v:?}"))
            })?,
        };
        if !(6..10).contains(&major) {
            return Err(wit::Error::UnsupportedVersion(format!(
                "elasticsearch {} is outside >=6 <10",
                t.engine_version.as_deref().unwrap_or("?")
            )));
        }
        Ok(Self {
            namespace: t.namespace,
            cluster_domain: t.cluster_domain.trim_end_matches('.').to_string(),
            stateful_set: t.stateful_set,
            service: t.service,
            replicas: t.replicas,
            ports: t.ports.into_iter().map(|p| (p.name, p.port)).collect(),
            version: t.engine_version,
            major,
            settings,
        })
    }

    /// The port named `name`, or `default`.
    pub fn port(&self, name: &str, default: u16) -> u16 {
        self.ports
            .iter()
            .find(|(n, _)| n == name)
            .map_or(default, |(_, p)| *p)
    }

    /// `<svc>.<ns>.svc.<domain>`: the headless Service's DNS name.
    pub fn service_fqdn(&self) -> String {
        format!(
            "{}.{}.svc.{}",
            self.service, self.namespace, self.cluster_domain
        )
    }

    /// Pod names `<sts>-0 .. <sts>-(n-1)`.
    pub fn pod_names(&self) -> Vec<String> {
        (0..self.replicas)
            .map(|i| format!("{}-{i}", self.stateful_set))
            .collect()
    }

    /// A string setting.
    pub fn setting_str(&self, key: &str) -> Option<&str> {
        self.settings.get(key).and_then(Value::as_str)
    }
}

/// `"7.17.3"` → 7, `"v8"` → 8.
pub fn parse_major(v: &str) -> Option<u32> {
    let v = v.trim().trim_start_matches('v');
    let digits: String = v.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// An entry of `elasticsearch.yml`.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: &'static str,
    pub value: Val,
    pub bootstrap_only: bool,
}

/// A value of an entry.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Text(String),
    Int(i64),
    List(Vec<String>),
}

impl Entry {
    pub fn into_wit(self) -> wit::ConfigEntry {
        wit::ConfigEntry {
            file: "elasticsearch.yml".into(),
            key: self.key.into(),
            value: match self.value {
                Val::Text(s) => wit::ConfigValue::Text(s),
                Val::Int(i) => wit::ConfigValue::Integer(i),
                Val::List(l) => wit::ConfigValue::TextList(l),
            },
            bootstrap_only: self.bootstrap_only,
        }
    }
}

/// A finding that reports an unusable topology (lint cannot return an error).
pub fn topology_finding(e: wit::Error) -> wit::Finding {
    let message = match e {
        wit::Error::InvalidTopology(m)
        | wit::Error::InvalidSettings(m)
        | wit::Error::UnsupportedVersion(m)
        | wit::Error::Other(m) => m,
    };
    wit::Finding {
        rule: "es-discovery".into(),
        severity: wit::Severity::Error,
        message,
        object: None,
        path: None,
    }
}

#[cfg(test)]
pub mod tests {
    use super::*;

    /// A topology for tests.
    pub fn topo(replicas: u32, version: Option<&str>) -> wit::Topology {
        wit::Topology {
            release: "rel".into(),
            namespace: "search".into(),
            cluster_domain: "cluster.local".into(),
            stateful_set: "rel-es".into(),
            service: "rel-es-headless".into(),
            replicas,
            ports: vec![
                wit::Port {
                    name: "http".into(),
                    port: 9200,
                },
                wit::Port {
                    name: "transport".into(),
                    port: 9300,
                },
            ],
            engine_version: version.map(Into::into),
            settings: "{}".into(),
        }
    }

    #[test]
    fn rejects_bad_topologies() {
        assert!(matches!(
            Topology::from_wit(topo(0, None)),
            Err(wit::Error::InvalidTopology(_))
        ));
        assert!(matches!(
            Topology::from_wit(topo(3, Some("5.6.0"))),
            Err(wit::Error::UnsupportedVersion(_))
        ));
        assert!(matches!(
            Topology::from_wit(topo(3, Some("x"))),
            Err(wit::Error::UnsupportedVersion(_))
        ));
        let mut t = topo(3, None);
        t.settings = "[1]".into();
        assert!(matches!(
            Topology::from_wit(t),
            Err(wit::Error::InvalidSettings(_))
        ));
    }

    #[test]
    fn parses_versions() {
        assert_eq!(parse_major("7.17.3"), Some(7));
        assert_eq!(parse_major("v8"), Some(8));
        assert_eq!(parse_major("latest"), None);
    }
}
