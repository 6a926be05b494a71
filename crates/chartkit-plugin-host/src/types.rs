//! The host's view of the `chartkit:engine` interface: plain Rust structs, independent of any
//! interface version, serializable for the CLI's JSON output.
//!
//! Each versioned module (`versions::since_v*`) converts between these and its generated
//! bindings, so callers never see generated types.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A named container port.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Port {
    /// Port name (`http`, `transport`, `serflan`, `mongodb`).
    pub name: String,
    /// Port number.
    pub port: u16,
}

/// Where and how many members of an engine run: built by chartkit from the rendered StatefulSet
/// and its headless Service, or read from JSON by `chartkit plugin run --topology`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Topology {
    /// Helm release name.
    pub release: String,
    /// Namespace of the release.
    pub namespace: String,
    /// Cluster DNS domain (`cluster.local`).
    pub cluster_domain: String,
    /// Name of the engine's StatefulSet.
    pub stateful_set: String,
    /// Name of the headless Service governing it.
    pub service: String,
    /// StatefulSet replicas.
    pub replicas: u32,
    /// Ports of the engine container.
    #[serde(default)]
    pub ports: Vec<Port>,
    /// Engine version, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine_version: Option<String>,
    /// The engine's settings from values (a JSON object).
    #[serde(default = "empty_object")]
    pub settings: serde_json::Value,
}

fn empty_object() -> serde_json::Value {
    serde_json::Value::Object(serde_json::Map::new())
}

impl Topology {
    /// The settings as the JSON text passed to plugins (keys sorted: deterministic).
    pub fn settings_json(&self) -> String {
        match &self.settings {
            serde_json::Value::Null => "{}".to_string(),
            v => v.to_string(),
        }
    }
}

/// What a plugin says it is (`describe`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Info {
    /// Plugin name.
    pub name: String,
    /// Plugin version.
    pub version: String,
    /// Engines handled, one version range each (`elasticsearch >=7 <10`).
    pub engines: Vec<String>,
    /// Interface version the plugin was built against (`0.1.0`).
    pub interface_version: String,
    /// One line describing the plugin.
    pub description: String,
}

/// An environment variable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvVar {
    /// Variable name.
    pub name: String,
    /// Value.
    pub value: String,
}

/// A value in an engine configuration file; JSON shows it as the plain value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ConfigValue {
    /// A string.
    Text(String),
    /// An integer.
    Integer(i64),
    /// A boolean.
    Boolean(bool),
    /// A list of strings.
    TextList(Vec<String>),
}

/// One entry of an engine configuration file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigEntry {
    /// File name in the engine's config directory (`elasticsearch.yml`).
    pub file: String,
    /// Key as the engine spells it (`discovery.seed_hosts`).
    pub key: String,
    /// Value.
    pub value: ConfigValue,
    /// Only needed when a new cluster bootstraps (`cluster.initial_master_nodes`).
    pub bootstrap_only: bool,
}

/// How the engine container must be configured (`configure`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MemberConfig {
    /// Environment variables.
    pub env: Vec<EnvVar>,
    /// Extra container arguments, in order.
    pub args: Vec<String>,
    /// Configuration file entries.
    pub config: Vec<ConfigEntry>,
}

/// Helm hooks a step runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Hook {
    /// `post-install`.
    PostInstall,
    /// `post-upgrade`.
    PostUpgrade,
}

impl Hook {
    /// The `helm.sh/hook` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Hook::PostInstall => "post-install",
            Hook::PostUpgrade => "post-upgrade",
        }
    }
}

/// What a step's container runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Run {
    /// An argv.
    Exec(Vec<String>),
    /// A POSIX shell script run as `/bin/sh -ec <script>`.
    Script(String),
}

/// A step chartkit emits as a Helm hook Job (`post-install`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    /// Step name; the Job is `<release>-<name>`.
    pub name: String,
    /// Container image.
    pub image: String,
    /// What the container runs.
    pub run: Run,
    /// Environment variables.
    pub env: Vec<EnvVar>,
    /// Hooks the Job runs on.
    pub hooks: Vec<Hook>,
    /// `helm.sh/hook-weight`.
    pub hook_weight: i32,
    /// Job `backoffLimit`.
    pub backoff_limit: u32,
    /// Job `activeDeadlineSeconds`.
    pub timeout_seconds: u32,
}

/// Severity of a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Broken.
    Error,
    /// Likely wrong.
    Warning,
    /// Worth knowing.
    Info,
}

/// A rendered Kubernetes object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectRef {
    /// `apiVersion`.
    pub api_version: String,
    /// `kind`.
    pub kind: String,
    /// `metadata.name`.
    pub name: String,
    /// `metadata.namespace`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}

/// One lint result (`lint`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Rule id (`es-heap`).
    pub rule: String,
    /// Severity.
    pub severity: Severity,
    /// Message.
    pub message: String,
    /// The object the finding is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<ObjectRef>,
    /// Field path inside the object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

/// Why a plugin refused a call: the interface's `error` variant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "message")]
pub enum Rejection {
    /// The topology cannot work for this engine.
    InvalidTopology(String),
    /// The settings are malformed.
    InvalidSettings(String),
    /// The engine version is not handled.
    UnsupportedVersion(String),
    /// Anything else.
    Other(String),
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rejection::InvalidTopology(m) => write!(f, "invalid topology: {m}"),
            Rejection::InvalidSettings(m) => write!(f, "invalid settings: {m}"),
            Rejection::UnsupportedVersion(m) => write!(f, "unsupported engine version: {m}"),
            Rejection::Other(m) => f.write_str(m),
        }
    }
}

/// The calls of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Call {
    /// `describe`.
    Describe,
    /// `seed-list`.
    SeedList,
    /// `configure`.
    Configure,
    /// `post-install`.
    PostInstall,
    /// `lint`.
    Lint,
}

impl Call {
    /// Every call, in interface order.
    pub const ALL: [Call; 5] = [
        Call::Describe,
        Call::SeedList,
        Call::Configure,
        Call::PostInstall,
        Call::Lint,
    ];

    /// The WIT name (`seed-list`).
    pub fn as_str(self) -> &'static str {
        match self {
            Call::Describe => "describe",
            Call::SeedList => "seed-list",
            Call::Configure => "configure",
            Call::PostInstall => "post-install",
            Call::Lint => "lint",
        }
    }
}

impl fmt::Display for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Call {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Call::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<_> = Call::ALL.iter().map(|c| c.as_str()).collect();
                format!("unknown call {s:?} (expected one of {})", names.join(", "))
            })
    }
}

/// Approximate size in bytes of what a plugin returned, for the output cap. Strings count
/// their bytes, every element a few bytes more, so a list of a million empty strings is not
/// free.
pub trait OutputSize {
    /// Bytes.
    fn output_size(&self) -> usize;
}

const ITEM: usize = 8;

impl OutputSize for String {
    fn output_size(&self) -> usize {
        self.len() + ITEM
    }
}

impl OutputSize for () {
    fn output_size(&self) -> usize {
        0
    }
}

impl<T: OutputSize> OutputSize for Vec<T> {
    fn output_size(&self) -> usize {
        self.iter().map(OutputSize::output_size).sum::<usize>() + ITEM
    }
}

impl<T: OutputSize> OutputSize for Option<T> {
    fn output_size(&self) -> usize {
        self.as_ref().map_or(ITEM, OutputSize::output_size)
    }
}

impl OutputSize for Info {
    fn output_size(&self) -> usize {
        self.name.output_size()
            + self.version.output_size()
            + self.engines.output_size()
            + self.interface_version.output_size()
            + self.description.output_size()
    }
}

impl OutputSize for EnvVar {
    fn output_size(&self) -> usize {
        self.name.output_size() + self.value.output_size()
    }
}

impl OutputSize for ConfigEntry {
    fn output_size(&self) -> usize {
        let value = match &self.value {
            ConfigValue::Text(s) => s.output_size(),
            ConfigValue::TextList(l) => l.output_size(),
            ConfigValue::Integer(_) | ConfigValue::Boolean(_) => ITEM,
        };
        self.file.output_size() + self.key.output_size() + value + ITEM
    }
}

impl OutputSize for MemberConfig {
    fn output_size(&self) -> usize {
        self.env.output_size() + self.args.output_size() + self.config.output_size()
    }
}

impl OutputSize for Step {
    fn output_size(&self) -> usize {
        let run = match &self.run {
            Run::Exec(argv) => argv.output_size(),
            Run::Script(s) => s.output_size(),
        };
        self.name.output_size()
            + self.image.output_size()
            + run
            + self.env.output_size()
            + self.hooks.len() * ITEM
            + 3 * ITEM
    }
}

impl OutputSize for ObjectRef {
    fn output_size(&self) -> usize {
        self.api_version.output_size()
            + self.kind.output_size()
            + self.name.output_size()
            + self.namespace.output_size()
    }
}

impl OutputSize for Finding {
    fn output_size(&self) -> usize {
        self.rule.output_size()
            + self.message.output_size()
            + self.object.output_size()
            + self.path.output_size()
            + ITEM
    }
}

impl OutputSize for Rejection {
    fn output_size(&self) -> usize {
        match self {
            Rejection::InvalidTopology(m)
            | Rejection::InvalidSettings(m)
            | Rejection::UnsupportedVersion(m)
            | Rejection::Other(m) => m.output_size(),
        }
    }
}

impl<T: OutputSize, E: OutputSize> OutputSize for Result<T, E> {
    fn output_size(&self) -> usize {
        match self {
            Ok(t) => t.output_size(),
            Err(e) => e.output_size(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topology_json_shape() {
        let t: Topology = serde_json::from_str(
            r#"{"release":"r","namespace":"n","clusterDomain":"cluster.local",
                "statefulSet":"s","service":"h","replicas":3,
                "ports":[{"name":"http","port":9200}],"settings":{"b":1,"a":[true]}}"#,
        )
        .unwrap();
        assert_eq!(t.engine_version, None);
        assert_eq!(t.settings_json(), r#"{"a":[true],"b":1}"#);
        let err = serde_json::from_str::<Topology>(
            r#"{"release":"r","namespace":"n","clusterDomain":"c","statefulSet":"s",
                "service":"h","replicas":3,"replica":1}"#,
        )
        .unwrap_err();
        assert!(err.to_string().contains("unknown field `replica`"), "{err}");
    }

    #[test]
    fn outputs_serialize_plainly() {
        let c = MemberConfig {
            env: vec![],
            args: vec!["-x".into()],
            config: vec![ConfigEntry {
                file: "f.yml".into(),
                key: "k".into(),
                value: ConfigValue::TextList(vec!["a".into()]),
                bootstrap_only: true,
            }],
        };
        assert_eq!(
            serde_json::to_string(&c).unwrap(),
            r#"{"env":[],"args":["-x"],"config":[{"file":"f.yml","key":"k","value":["a"],"bootstrapOnly":true}]}"#
        );
        let r = Rejection::InvalidTopology("replicas is 0".into());
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"kind":"invalid-topology","message":"replicas is 0"}"#
        );
        assert_eq!(
            serde_json::to_string(&Run::Script("x".into())).unwrap(),
            r#"{"script":"x"}"#
        );
    }

    #[test]
    fn calls_round_trip() {
        for c in Call::ALL {
            assert_eq!(c.as_str().parse::<Call>(), Ok(c));
        }
        assert!(
            "seed_list"
                .parse::<Call>()
                .unwrap_err()
                .contains("seed-list")
        );
    }

    #[test]
    fn output_size_counts_items() {
        let many = vec![String::new(); 1000];
        assert!(many.output_size() >= 8000);
    }
}
