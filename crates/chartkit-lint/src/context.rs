//! What a rule sees ([`Ctx`]) and how it reports ([`Findings`]), plus the
//! small queries most workload rules share (pod templates, containers,
//! Services, selectors, datastore detection).

use std::collections::BTreeMap;
use std::path::Path;

use chartkit_chart::{Chart, Mapping};
use chartkit_diagnostics::Severity;
use serde_json::Value as Json;

use crate::objects::{FieldPath, RenderedObject};
use crate::registry::RuleMeta;

/// Everything a rule may look at. Chart-source rules get `chart`; rendered
/// rules get `objects`; the upgrade rule gets `previous`.
pub struct Ctx<'a> {
    /// Rendered objects (manifests and hooks), in template order.
    pub objects: &'a [RenderedObject],
    /// Objects of `--previous`, when given.
    pub previous: Option<&'a [RenderedObject]>,
    /// The loaded chart, when linting a chart (not bare manifests).
    pub chart: Option<&'a Chart>,
    /// The chart directory on disk.
    pub chart_dir: Option<&'a Path>,
    /// The coalesced values of this value set.
    pub values: Option<&'a Mapping>,
    /// The release namespace.
    pub namespace: &'a str,
    /// Target Kubernetes (major, minor).
    pub kube_version: (u32, u32),
    /// Relax rules for test hooks (default true).
    pub relax_test_hooks: bool,
}

/// What a finding points at.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    /// A field of a rendered object (index into `Ctx::objects`).
    Object(usize, FieldPath),
    /// A field of a previous-render object (index into `Ctx::previous`).
    Previous(usize, FieldPath),
    /// A chart file (path relative to the chart) and byte range.
    File(String, std::ops::Range<usize>),
    /// Nothing more specific than the chart.
    Chart,
}

/// One finding, before suppression and location mapping.
#[derive(Clone, Debug)]
pub struct Finding {
    /// The rule.
    pub rule: &'static RuleMeta,
    /// Overrides the rule's default severity for this finding.
    pub severity: Option<Severity>,
    /// The message.
    pub message: String,
    /// Where.
    pub target: Target,
    /// Extra places (label text).
    pub related: Vec<(Target, String)>,
    /// Help text.
    pub help: Option<String>,
}

impl Finding {
    /// Adds help text.
    pub fn help(&mut self, text: impl Into<String>) -> &mut Self {
        self.help = Some(text.into());
        self
    }

    /// Adds a related place.
    pub fn related(&mut self, target: Target, label: impl Into<String>) -> &mut Self {
        self.related.push((target, label.into()));
        self
    }

    /// Overrides the severity.
    pub fn severity(&mut self, s: Severity) -> &mut Self {
        self.severity = Some(s);
        self
    }
}

/// The findings of a run, in report order.
#[derive(Debug, Default)]
pub struct Findings {
    /// Collected findings.
    pub items: Vec<Finding>,
}

impl Findings {
    /// Reports a finding on a field of object `idx`.
    pub fn object(
        &mut self,
        rule: &'static RuleMeta,
        idx: usize,
        path: &str,
        message: impl Into<String>,
    ) -> &mut Finding {
        self.push(rule, Target::Object(idx, FieldPath::parse(path)), message)
    }

    /// Reports a finding anywhere.
    pub fn push(
        &mut self,
        rule: &'static RuleMeta,
        target: Target,
        message: impl Into<String>,
    ) -> &mut Finding {
        self.items.push(Finding {
            rule,
            severity: None,
            message: message.into(),
            target,
            related: Vec::new(),
            help: None,
        });
        let n = self.items.len() - 1;
        &mut self.items[n]
    }
}

/// Kinds that carry a pod template, and where it is.
pub fn pod_template_path(kind: &str) -> Option<&'static str> {
    match kind {
        "Deployment"
        | "StatefulSet"
        | "DaemonSet"
        | "ReplicaSet"
        | "Job"
        | "ReplicationController" => Some("spec.template"),
        "CronJob" => Some("spec.jobTemplate.spec.template"),
        _ => None,
    }
}

/// Looks a dotted path up in JSON.
pub fn get<'j>(v: &'j Json, path: &str) -> Option<&'j Json> {
    let mut cur = v;
    for seg in FieldPath::parse(path).0 {
        cur = match seg {
            crate::objects::Seg::Key(k) => cur.get(k.as_str())?,
            crate::objects::Seg::Index(i) => cur.get(i)?,
        };
    }
    Some(cur)
}

/// A string field.
pub fn get_str<'j>(v: &'j Json, path: &str) -> Option<&'j str> {
    get(v, path).and_then(Json::as_str)
}

/// An integer field (numbers only).
pub fn get_i64(v: &Json, path: &str) -> Option<i64> {
    get(v, path).and_then(|x| x.as_i64().or_else(|| x.as_f64().map(|f| f as i64)))
}

/// A string→string map field (labels, selectors); non-string values are
/// rendered as JSON text.
pub fn get_labels(v: &Json, path: &str) -> BTreeMap<String, String> {
    get(v, path)
        .and_then(Json::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        v.as_str().map_or_else(|| v.to_string(), str::to_string),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A container of a pod template, with its path.
#[derive(Clone, Debug)]
pub struct ContainerRef<'j> {
    /// `spec.template.spec.containers[0]`.
    pub path: String,
    /// The container JSON.
    pub json: &'j Json,
    /// An init container.
    pub init: bool,
}

impl ContainerRef<'_> {
    /// The container's name.
    pub fn name(&self) -> &str {
        get_str(self.json, "name").unwrap_or("")
    }

    /// The image.
    pub fn image(&self) -> &str {
        get_str(self.json, "image").unwrap_or("")
    }
}

/// The containers (init first, then regular) of an object's pod template.
pub fn containers<'j>(obj: &'j RenderedObject) -> Vec<ContainerRef<'j>> {
    let Some(tp) = pod_template_path(obj.kind()).or((obj.kind() == "Pod").then_some("")) else {
        return Vec::new();
    };
    let spec_path = if tp.is_empty() {
        "spec".to_string()
    } else {
        format!("{tp}.spec")
    };
    let mut out = Vec::new();
    for (field, init) in [("initContainers", true), ("containers", false)] {
        if let Some(Json::Array(items)) = get(&obj.json, &format!("{spec_path}.{field}")) {
            for (i, c) in items.iter().enumerate() {
                out.push(ContainerRef {
                    path: format!("{spec_path}.{field}[{i}]"),
                    json: c,
                    init,
                });
            }
        }
    }
    out
}

/// The pod spec path of an object (`spec.template.spec`, or `spec` for a Pod).
pub fn pod_spec_path(obj: &RenderedObject) -> Option<String> {
    if obj.kind() == "Pod" {
        return Some("spec".into());
    }
    pod_template_path(obj.kind()).map(|t| format!("{t}.spec"))
}

/// The labels of an object's pod template.
pub fn pod_labels(obj: &RenderedObject) -> BTreeMap<String, String> {
    if obj.kind() == "Pod" {
        return get_labels(&obj.json, "metadata.labels");
    }
    pod_template_path(obj.kind())
        .map(|t| get_labels(&obj.json, &format!("{t}.metadata.labels")))
        .unwrap_or_default()
}

/// Whether `selector` (matchLabels / matchExpressions JSON) selects `labels`.
/// `None` when the selector is empty (selects nothing for workloads).
pub fn label_selector_matches(selector: &Json, labels: &BTreeMap<String, String>) -> Option<bool> {
    let ml = selector.get("matchLabels").and_then(Json::as_object);
    let me = selector.get("matchExpressions").and_then(Json::as_array);
    if ml.is_none_or(|m| m.is_empty()) && me.is_none_or(|e| e.is_empty()) {
        return None;
    }
    for (k, v) in ml.into_iter().flatten() {
        let want = v.as_str().map_or_else(|| v.to_string(), str::to_string);
        if labels.get(k) != Some(&want) {
            return Some(false);
        }
    }
    for e in me.into_iter().flatten() {
        let key = get_str(e, "key").unwrap_or("");
        let values: Vec<&str> = e
            .get("values")
            .and_then(Json::as_array)
            .map(|a| a.iter().filter_map(Json::as_str).collect())
            .unwrap_or_default();
        let ok = match get_str(e, "operator").unwrap_or("") {
            "In" => labels
                .get(key)
                .is_some_and(|v| values.contains(&v.as_str())),
            "NotIn" => labels
                .get(key)
                .is_none_or(|v| !values.contains(&v.as_str())),
            "Exists" => labels.contains_key(key),
            "DoesNotExist" => !labels.contains_key(key),
            _ => false,
        };
        if !ok {
            return Some(false);
        }
    }
    Some(true)
}

/// Whether a plain map selector (Service `spec.selector`) selects `labels`.
pub fn map_selector_matches(
    selector: &BTreeMap<String, String>,
    labels: &BTreeMap<String, String>,
) -> bool {
    !selector.is_empty() && selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}

/// Engines chartkit knows by image name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// Elasticsearch / OpenSearch.
    Elasticsearch,
    /// HashiCorp Consul.
    Consul,
    /// MongoDB.
    Mongo,
    /// etcd.
    Etcd,
    /// Apache ZooKeeper.
    Zookeeper,
    /// Other databases and brokers (no majority quorum of their own).
    OtherDatastore,
}

impl Engine {
    /// Majority-quorum systems.
    pub fn is_quorum(self) -> bool {
        !matches!(self, Engine::OtherDatastore)
    }

    /// Display name.
    pub fn name(self) -> &'static str {
        match self {
            Engine::Elasticsearch => "Elasticsearch",
            Engine::Consul => "Consul",
            Engine::Mongo => "MongoDB",
            Engine::Etcd => "etcd",
            Engine::Zookeeper => "ZooKeeper",
            Engine::OtherDatastore => "datastore",
        }
    }
}

/// The image name without registry, tag and digest (`bitnami/mongodb`).
pub fn image_repo(image: &str) -> &str {
    let no_digest = image.split('@').next().unwrap_or(image);
    let last = no_digest.rsplit('/').next().unwrap_or(no_digest);
    let name_end = last
        .find(':')
        .map_or(no_digest.len(), |i| no_digest.len() - last.len() + i);
    &no_digest[..name_end]
}

/// The engine an image runs, if chartkit knows it.
pub fn engine_of_image(image: &str) -> Option<Engine> {
    let repo = image_repo(image).to_ascii_lowercase();
    let base = repo.rsplit('/').next().unwrap_or(&repo);
    let has = |s: &str| base.contains(s);
    if has("exporter") || has("metrics") || has("operator") || has("proxy") {
        return None;
    }
    Some(if has("elasticsearch") || has("opensearch") {
        Engine::Elasticsearch
    } else if base == "consul" || base.starts_with("consul-enterprise") {
        Engine::Consul
    } else if has("mongo") {
        Engine::Mongo
    } else if base == "etcd" || base.starts_with("etcd-") {
        Engine::Etcd
    } else if has("zookeeper") {
        Engine::Zookeeper
    } else if [
        "postgres",
        "mysql",
        "mariadb",
        "redis",
        "valkey",
        "cassandra",
        "kafka",
        "rabbitmq",
        "nats",
        "clickhouse",
        "minio",
        "neo4j",
        "cockroach",
        "couchdb",
        "scylla",
    ]
    .iter()
    .any(|e| has(e))
    {
        Engine::OtherDatastore
    } else {
        return None;
    })
}

/// The engine a workload runs (its first known container image).
pub fn engine_of(obj: &RenderedObject) -> Option<Engine> {
    containers(obj)
        .iter()
        .filter(|c| !c.init)
        .find_map(|c| engine_of_image(c.image()))
}

/// A StatefulSet that holds data: it has claim templates or runs a known datastore.
pub fn is_datastore(obj: &RenderedObject) -> bool {
    obj.kind() == "StatefulSet"
        && (get(&obj.json, "spec.volumeClaimTemplates")
            .and_then(Json::as_array)
            .is_some_and(|a| !a.is_empty())
            || engine_of(obj).is_some())
}

/// `spec.replicas` (Kubernetes defaults to 1).
pub fn replicas(obj: &RenderedObject) -> i64 {
    get_i64(&obj.json, "spec.replicas").unwrap_or(1)
}

impl Ctx<'_> {
    /// Objects of `kind` with their indices (test hooks skipped when relaxed).
    pub fn of_kind<'s>(
        &'s self,
        kind: &'s str,
    ) -> impl Iterator<Item = (usize, &'s RenderedObject)> + 's {
        self.objects
            .iter()
            .enumerate()
            .filter(move |(_, o)| o.kind() == kind && !(self.relax_test_hooks && o.is_test_hook()))
    }

    /// The Service called `name` in namespace `ns`.
    pub fn service(&self, ns: &str, name: &str) -> Option<(usize, &RenderedObject)> {
        self.of_kind("Service")
            .find(|(_, s)| s.name() == name && s.effective_namespace(self.namespace) == ns)
    }

    /// Pod-bearing workloads (not test hooks when relaxed).
    pub fn workloads(&self) -> impl Iterator<Item = (usize, &RenderedObject)> + '_ {
        self.objects.iter().enumerate().filter(move |(_, o)| {
            (pod_template_path(o.kind()).is_some() || o.kind() == "Pod")
                && !(self.relax_test_hooks && o.is_test_hook())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn selectors() {
        let labels: BTreeMap<String, String> = [
            ("app".to_string(), "db".to_string()),
            ("tier".into(), "x".into()),
        ]
        .into();
        assert_eq!(
            label_selector_matches(&json!({"matchLabels": {"app": "db"}}), &labels),
            Some(true)
        );
        assert_eq!(
            label_selector_matches(&json!({"matchLabels": {"app": "web"}}), &labels),
            Some(false)
        );
        assert_eq!(label_selector_matches(&json!({}), &labels), None);
        assert_eq!(
            label_selector_matches(
                &json!({"matchExpressions": [{"key": "tier", "operator": "In", "values": ["x"]}]}),
                &labels
            ),
            Some(true)
        );
    }

    #[test]
    fn images() {
        assert_eq!(
            image_repo("docker.io/bitnami/mongodb:7.0@sha256:abc"),
            "docker.io/bitnami/mongodb"
        );
        assert_eq!(image_repo("localhost:5000/es:8"), "localhost:5000/es");
        assert_eq!(
            engine_of_image("docker.elastic.co/elasticsearch/elasticsearch:8.15.0"),
            Some(Engine::Elasticsearch)
        );
        assert_eq!(
            engine_of_image("hashicorp/consul:1.19"),
            Some(Engine::Consul)
        );
        assert_eq!(engine_of_image("bitnami/mongodb-exporter:1"), None);
        assert_eq!(engine_of_image("nginx"), None);
    }
}
