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
///
/// Most documents take a fast path that reads YAML events without building
/// the document ([`chartkit_yaml::shallow_document`]); whatever it cannot
/// vouch for goes through the full conversion, which also produces Helm's
/// errors.
pub fn parse_head(doc: &str) -> Result<SimpleHead, String> {
    if let Some(head) = fast_head(doc) {
        return Ok(head);
    }
    parse_head_full(doc)
}

/// The head from the top three levels of a document's events, when every
/// field involved is spelled exactly, appears once and holds a string (or an
/// integer or bool where sigs.k8s.io/yaml would make it one). `None` sends
/// the document to [`parse_head_full`].
fn fast_head(doc: &str) -> Option<SimpleHead> {
    use chartkit_yaml::{Shallow, ShallowScalar};
    let root = match chartkit_yaml::shallow_document(doc, 3)? {
        None => return Some(SimpleHead::default()),
        Some(Shallow::Map(entries)) => entries,
        Some(_) => return None,
    };
    // The one entry whose key folds to `name`, which must be spelled `name`.
    fn field<'a>(entries: &'a [(String, Shallow)], name: &str) -> Option<Option<&'a Shallow>> {
        let mut found = None;
        for (k, v) in entries {
            if k.eq_ignore_ascii_case(name) {
                if k != name || found.is_some() {
                    return None;
                }
                found = Some(v);
            }
        }
        Some(found)
    }
    fn string(v: Option<&Shallow>) -> Option<String> {
        match v {
            None | Some(Shallow::Scalar(ShallowScalar::Null)) => Some(String::new()),
            Some(Shallow::Scalar(ShallowScalar::Str(s))) => Some(s.clone()),
            Some(Shallow::Scalar(ShallowScalar::Int(i))) => Some(i.to_string()),
            Some(Shallow::Scalar(ShallowScalar::Bool(b))) => Some(b.to_string()),
            _ => None,
        }
    }
    let api_version = string(field(&root, "apiVersion")?)?;
    let kind = string(field(&root, "kind")?)?;
    let metadata = match field(&root, "metadata")? {
        None | Some(Shallow::Scalar(ShallowScalar::Null)) => None,
        Some(Shallow::Map(meta)) => {
            let name = string(field(meta, "name")?)?;
            let annotations = match field(meta, "annotations")? {
                None | Some(Shallow::Scalar(ShallowScalar::Null)) => None,
                Some(Shallow::Map(a)) => {
                    let mut out = BTreeMap::new();
                    for (k, v) in a {
                        out.insert(k.clone(), string(Some(v))?);
                    }
                    Some(out)
                }
                Some(_) => return None,
            };
            Some(HeadMetadata { name, annotations })
        }
        Some(_) => return None,
    };
    Some(SimpleHead {
        api_version,
        kind,
        metadata,
    })
}

/// [`parse_head`] through the full YAML → JSON conversion.
pub fn parse_head_full(doc: &str) -> Result<SimpleHead, String> {
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

    /// The fast path must agree with the full conversion on every document
    /// it answers for.
    fn assert_fast_agrees(doc: &str) -> bool {
        match fast_head(doc) {
            Some(fast) => {
                assert_eq!(
                    Ok(fast),
                    parse_head_full(doc),
                    "fast path differs on:\n{doc}"
                );
                true
            }
            None => false,
        }
    }

    #[test]
    fn fast_head_agrees_with_the_full_path_on_tricky_heads() {
        let answered = [
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n",
            "kind: Job\nmetadata:\n  name: j\n  annotations:\n    helm.sh/hook: post-install\n    helm.sh/hook-weight: 5\n    b: true\n    c: ~\n",
            "{apiVersion: v1, kind: List, metadata: {name: x}}\n",
            "apiVersion: 1\nkind: 'Secret'\nmetadata: ~\n",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  annotations: {}\n",
            "apiVersion: v1\ndata:\n  big: [1, 2, {a: b}]\nkind: ConfigMap\n",
            "# just a comment\n",
            "metadata:\n  name: 0x1F\n",
        ];
        for doc in answered {
            assert!(assert_fast_agrees(doc), "fast path declined:\n{doc}");
        }
        // Declined (the full path decides, often with an error).
        for doc in [
            "Kind: Service\n",
            "kind: a\nkind: b\n",
            "kind: [a]\n",
            "metadata: [a]\n",
            "metadata:\n  name: 1.5\n",
            "metadata:\n  annotations:\n    a: {b: c}\n",
            "base: &b {name: x}\nmetadata: *b\n",
            "kind: !!str 5\n",
            "a: .inf\n",
            "a: b: c\n",
            "- a\n",
        ] {
            assert!(!assert_fast_agrees(doc), "fast path answered:\n{doc}");
        }
    }

    /// Every document of the corpus goldens (real rendered charts), where
    /// the reference corpus is present.
    #[test]
    fn fast_head_agrees_with_the_full_path_on_the_corpus() {
        let golden =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/golden");
        let Ok(entries) = std::fs::read_dir(&golden) else {
            eprintln!("skipped: {} not found", golden.display());
            return;
        };
        let (mut docs, mut fast) = (0, 0);
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "yaml") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for doc in split_manifests(&text) {
                docs += 1;
                if assert_fast_agrees(&doc) {
                    fast += 1;
                }
            }
        }
        assert!(docs > 500, "only {docs} documents in {}", golden.display());
        // Nearly every real manifest is plain enough for the fast path.
        eprintln!("fast path answered {fast} of {docs} corpus documents");
        assert!(
            fast * 100 >= docs * 95,
            "fast path answered {fast} of {docs}"
        );
    }

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
