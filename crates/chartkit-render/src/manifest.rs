//! Splitting rendered files into documents and sorting them the way Helm's
//! `releaseutil.SortManifests` does: files by path, documents in file order,
//! hooks separated out, then a stable sort by kind in install order.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chartkit_yaml::Value as Data;
use regex::Regex;

/// Helm's document separator: `(?:^|\s*\n)---\s*` with Go's ASCII `\s`.
fn separator() -> &'static Regex {
    static SEP: OnceLock<Regex> = OnceLock::new();
    SEP.get_or_init(|| {
        // Invariant: the pattern is a constant that compiles.
        Regex::new(r"(?:^|[\t\n\x0C\r ]*\n)---[\t\n\x0C\r ]*").expect("constant regex")
    })
}

/// `releaseutil.SplitManifests`, returned in document order.
pub fn split_manifests(big_file: &str) -> Vec<String> {
    let s = big_file.trim();
    let mut parts = Vec::new();
    let mut beg = 0;
    let mut end = 0;
    for m in separator().find_iter(s) {
        end = m.start();
        if m.end() != 0 {
            parts.push(&s[beg..end]);
        }
        beg = m.end();
    }
    if end != s.len() {
        parts.push(&s[beg..]);
    }
    parts.into_iter().filter(|d| !d.is_empty()).map(|d| d.trim().to_string()).collect()
}

/// The head of a manifest: what Helm reads before sorting (`SimpleHead`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SimpleHead {
    pub api_version: String,
    pub kind: String,
    /// `None` when the document has no `metadata`.
    pub metadata: Option<HeadMetadata>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct HeadMetadata {
    pub name: String,
    /// `None` when `annotations` is absent or null.
    pub annotations: Option<BTreeMap<String, String>>,
}

/// A non-hook document.
#[derive(Clone, Debug, PartialEq)]
pub struct Manifest {
    /// The template path, e.g. `mychart/templates/service.yaml`.
    pub name: String,
    pub content: String,
    pub head: SimpleHead,
}

/// A Helm hook event (`helm.sh/hook`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HookEvent {
    PreInstall,
    PostInstall,
    PreDelete,
    PostDelete,
    PreUpgrade,
    PostUpgrade,
    PreRollback,
    PostRollback,
    Test,
}

impl HookEvent {
    fn parse(s: &str) -> Option<HookEvent> {
        Some(match s {
            "pre-install" => HookEvent::PreInstall,
            "post-install" => HookEvent::PostInstall,
            "pre-delete" => HookEvent::PreDelete,
            "post-delete" => HookEvent::PostDelete,
            "pre-upgrade" => HookEvent::PreUpgrade,
            "post-upgrade" => HookEvent::PostUpgrade,
            "pre-rollback" => HookEvent::PreRollback,
            "post-rollback" => HookEvent::PostRollback,
            "test" | "test-success" => HookEvent::Test,
            _ => return None,
        })
    }
}

/// A hook document.
#[derive(Clone, Debug, PartialEq)]
pub struct Hook {
    pub name: String,
    pub kind: String,
    pub path: String,
    pub manifest: String,
    pub events: Vec<HookEvent>,
    pub weight: i64,
}

impl Hook {
    pub fn is_test(&self) -> bool {
        self.events.contains(&HookEvent::Test)
    }
}

/// A document that is not valid YAML, or whose head has the wrong shape.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("YAML parse error on {path}: {message}")]
pub struct ManifestError {
    pub path: String,
    /// Helm's words, e.g. `error converting YAML to JSON: yaml: line 4: ...`.
    pub message: String,
}

pub const HOOK_ANNOTATION: &str = "helm.sh/hook";
const HOOK_WEIGHT_ANNOTATION: &str = "helm.sh/hook-weight";

/// Helm's install order of kinds.
pub const INSTALL_ORDER: &[&str] = &[
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

/// Parses a document's head as `yaml.Unmarshal(doc, &SimpleHead)` would:
/// sigs.k8s.io/yaml turns numbers and bools bound for string fields into
/// strings, then encoding/json matches keys case-insensitively (the last
/// match in key order wins) and reports type errors in its own words.
pub fn parse_head(doc: &str) -> Result<SimpleHead, String> {
    use chartkit_yaml::PathSegment::Key;
    let fold = |k: &str, name: &str| k.eq_ignore_ascii_case(name);
    let is_string = |path: &[chartkit_yaml::PathSegment]| match path {
        [Key(k)] => fold(k, "apiVersion") || fold(k, "kind"),
        [Key(m), Key(n)] => fold(m, "metadata") && fold(n, "name"),
        [Key(m), Key(a), Key(_)] => fold(m, "metadata") && fold(a, "annotations"),
        _ => false,
    };
    let data = chartkit_yaml::from_yaml_str_typed(doc, &is_string).map_err(|e| e.to_string())?;
    let type_err = |what: &str, field: &str, go_type: &str| {
        format!(
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {what} into Go struct field SimpleHead.{field} of type {go_type}"
        )
    };
    let map = match data {
        Data::Null => return Ok(SimpleHead::default()),
        Data::Map(m) => m,
        other => {
            return Err(format!(
                "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type util.SimpleHead",
                json_kind(&other)
            ));
        }
    };
    // encoding/json: keys arrive sorted; each one that folds to the field
    // name overwrites the previous.
    let field = |m: &chartkit_yaml::Mapping, name: &str| -> Option<Data> {
        m.iter().filter(|(k, _)| fold(k, name)).map(|(_, v)| v.clone()).last()
    };
    let string_field = |v: Option<Data>, path: &str| -> Result<String, String> {
        match v {
            None | Some(Data::Null) => Ok(String::new()),
            Some(Data::String(s)) => Ok(s),
            Some(other) => Err(type_err(json_kind(&other), path, "string")),
        }
    };
    let api_version = string_field(field(&map, "apiVersion"), "apiVersion")?;
    let kind = string_field(field(&map, "kind"), "kind")?;
    let metadata = match field(&map, "metadata") {
        None | Some(Data::Null) => None,
        Some(Data::Map(meta)) => {
            let name = string_field(field(&meta, "name"), "metadata.name")?;
            let annotations = match field(&meta, "annotations") {
                None | Some(Data::Null) => None,
                Some(Data::Map(a)) => {
                    let mut out = BTreeMap::new();
                    for (k, v) in a {
                        let v = string_field(Some(v), "metadata.annotations")?;
                        out.insert(k, v);
                    }
                    Some(out)
                }
                Some(other) => {
                    return Err(type_err(
                        json_kind(&other),
                        "metadata.annotations",
                        "map[string]string",
                    ));
                }
            };
            Some(HeadMetadata { name, annotations })
        }
        Some(other) => {
            return Err(type_err(
                json_kind(&other),
                "metadata",
                "struct { Name string \"json:\\\"name\\\"\"; Annotations map[string]string \"json:\\\"annotations\\\"\" }",
            ));
        }
    };
    Ok(SimpleHead { api_version, kind, metadata })
}

/// encoding/json's name for a JSON value's kind in type errors.
fn json_kind(v: &Data) -> &'static str {
    match v {
        Data::Null => "null",
        Data::Bool(_) => "bool",
        Data::Int(_) | Data::Float(_) => "number",
        Data::String(_) => "string",
        Data::Seq(_) => "array",
        Data::Map(_) => "object",
    }
}

/// The result of sorting: hooks and plain manifests, each in install order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sorted {
    pub hooks: Vec<Hook>,
    pub manifests: Vec<Manifest>,
    /// `helm.sh/hook` values of documents dropped for an unknown hook type
    /// (Helm logs "skipping unknown hooks").
    pub skipped_hooks: Vec<String>,
}

/// `releaseutil.SortManifests(files, nil, InstallOrder)`.
pub fn sort_manifests(files: &BTreeMap<String, String>) -> Result<Sorted, ManifestError> {
    let mut sorted = Sorted::default();
    for (path, content) in files {
        if base_name(path).starts_with('_') || content.trim().is_empty() {
            continue;
        }
        for doc in split_manifests(content) {
            let head = parse_head(&doc)
                .map_err(|message| ManifestError { path: path.clone(), message })?;
            let hook_types = head
                .metadata
                .as_ref()
                .and_then(|m| m.annotations.as_ref())
                .and_then(|a| a.get(HOOK_ANNOTATION))
                .cloned();
            let Some(hook_types) = hook_types else {
                sorted.manifests.push(Manifest { name: path.clone(), content: doc, head });
                continue;
            };
            let mut events = Vec::new();
            let mut unknown = false;
            for t in hook_types.split(',') {
                match HookEvent::parse(&t.trim().to_lowercase()) {
                    Some(e) => events.push(e),
                    None => {
                        unknown = true;
                        break;
                    }
                }
            }
            if unknown {
                sorted.skipped_hooks.push(hook_types);
                continue;
            }
            let meta = head.metadata.clone().unwrap_or_default();
            let weight = meta
                .annotations
                .as_ref()
                .and_then(|a| a.get(HOOK_WEIGHT_ANNOTATION))
                .and_then(|w| go_atoi(w))
                .unwrap_or(0);
            sorted.hooks.push(Hook {
                name: meta.name,
                kind: head.kind,
                path: path.clone(),
                manifest: doc,
                events,
                weight,
            });
        }
    }
    sort_by_kind(&mut sorted.manifests, |m| &m.head.kind);
    sort_by_kind(&mut sorted.hooks, |h| &h.kind);
    Ok(sorted)
}

/// Go's `strconv.Atoi`: optional sign, decimal digits, within int64.
fn go_atoi(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn base_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Helm's `lessByKind`, applied with a stable sort: known kinds in install
/// order, unknown kinds after them alphabetically.
fn sort_by_kind<T>(items: &mut [T], kind: impl Fn(&T) -> &str) {
    let rank = |k: &str| INSTALL_ORDER.iter().position(|o| *o == k);
    items.sort_by(|a, b| {
        let (ka, kb) = (kind(a), kind(b));
        match (rank(ka), rank(kb)) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => ka.cmp(kb),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_helm() {
        assert_eq!(split_manifests("a: 1\n---\nb: 2\n"), vec!["a: 1", "b: 2"]);
        assert_eq!(split_manifests("---\na: 1"), vec!["a: 1"]);
        // `{{-` can eat the newline after the separator.
        assert_eq!(split_manifests("a: 1\n---b: 2"), vec!["a: 1", "b: 2"]);
        // The separator's trailing `\s*` eats the newline a second `---`
        // would need, so Go's regexp leaves it in the document (checked
        // with Go's regexp.Split).
        assert_eq!(split_manifests("a: 1  \n---   \n\n---\nb: 2"), vec!["a: 1", "---\nb: 2"]);
        assert!(split_manifests("  \n").is_empty());
        // A `---` inside a line is not a separator.
        assert_eq!(split_manifests("a: x---y"), vec!["a: x---y"]);
    }

    #[test]
    fn kinds_sort_stably_with_unknown_kinds_last_alphabetically() {
        let mut v = vec!["Zed", "Deployment", "Alpha", "Service", "Deployment", "Namespace"];
        sort_by_kind(&mut v, |k| k);
        assert_eq!(v, vec!["Namespace", "Service", "Deployment", "Deployment", "Alpha", "Zed"]);
    }

    #[test]
    fn atoi() {
        assert_eq!(go_atoi("-5"), Some(-5));
        assert_eq!(go_atoi("+5"), Some(5));
        assert_eq!(go_atoi("5x"), None);
        assert_eq!(go_atoi(""), None);
    }
}
