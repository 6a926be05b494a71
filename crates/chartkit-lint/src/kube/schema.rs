//! Strict validation of an object against its k8s-openapi type.
//!
//! k8s-openapi's `Deserialize` impls ignore unknown fields and default
//! missing required ones. So the check runs three passes over one
//! deserialization:
//! * unknown fields: the deserializer is wrapped in `serde_ignored`, which
//!   reports every ignored key with its path;
//! * wrong types: `serde_path_to_error` gives the path of the first type
//!   error;
//! * missing required fields: the typed value is serialized back; required
//!   (non-`Option`) fields are always written, so a key present in the
//!   round trip but absent (or null) in the input was required and missing.
//!
//! Dispatch is a table over (apiVersion, kind) of every listable resource
//! type of k8s-openapi's Kubernetes version.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value as Json;

use crate::objects::{FieldPath, Seg};

/// What is wrong at a path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IssueKind {
    /// A field the type does not have.
    Unknown,
    /// A value of the wrong type (serde's message).
    Type(String),
    /// A required field is missing.
    Missing,
}

/// One schema problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    /// Where (for `Missing`: the missing field's path).
    pub path: FieldPath,
    /// What.
    pub kind: IssueKind,
}

type CheckFn = fn(&Json) -> Vec<Issue>;

fn ignored_path(p: &serde_ignored::Path<'_>, out: &mut Vec<Seg>) {
    use serde_ignored::Path;
    match p {
        Path::Root => {}
        Path::Seq { parent, index } => {
            ignored_path(parent, out);
            out.push(Seg::Index(*index));
        }
        Path::Map { parent, key } => {
            ignored_path(parent, out);
            out.push(Seg::Key(key.clone()));
        }
        Path::Some { parent } | Path::NewtypeStruct { parent } => ignored_path(parent, out),
        Path::NewtypeVariant { parent } => ignored_path(parent, out),
    }
}

fn error_path(p: &serde_path_to_error::Path) -> FieldPath {
    FieldPath(
        p.iter()
            .filter_map(|s| match s {
                serde_path_to_error::Segment::Seq { index } => Some(Seg::Index(*index)),
                serde_path_to_error::Segment::Map { key } => Some(Seg::Key(key.clone())),
                serde_path_to_error::Segment::Enum { variant } => Some(Seg::Key(variant.clone())),
                serde_path_to_error::Segment::Unknown => None,
            })
            .collect(),
    )
}

/// True when `output` (a nested value written back by k8s-openapi) is an
/// embedded resource: its `apiVersion`/`kind` name a resource type chartkit
/// knows. k8s-openapi writes those two keys from the type's constants, not
/// from a field, so inside an embedded template (a StatefulSet's
/// `volumeClaimTemplates` entries are `PersistentVolumeClaim`s) they appear
/// in the round trip although the API server does not require them there.
/// A reference type with real `apiVersion`/`kind` fields (an
/// `ownerReferences` entry) writes back the input or `""`, which names no
/// resource type, so its missing fields are still reported.
fn embedded_resource(output: &serde_json::Map<String, Json>) -> bool {
    match (
        output.get("apiVersion").and_then(Json::as_str),
        output.get("kind").and_then(Json::as_str),
    ) {
        (Some(a), Some(k)) => is_known(a, k),
        _ => false,
    }
}

fn missing(input: &Json, output: &Json, path: &FieldPath, out: &mut Vec<Issue>) {
    match (input, output) {
        (Json::Object(i), Json::Object(o)) => {
            let embedded = !path.0.is_empty() && embedded_resource(o);
            for (k, ov) in o {
                if embedded && (k == "apiVersion" || k == "kind") {
                    continue;
                }
                match i.get(k) {
                    None | Some(Json::Null) => out.push(Issue {
                        path: path.key(k),
                        kind: IssueKind::Missing,
                    }),
                    Some(iv) => missing(iv, ov, &path.key(k), out),
                }
            }
        }
        (Json::Array(i), Json::Array(o)) => {
            for (n, (iv, ov)) in i.iter().zip(o).enumerate() {
                missing(iv, ov, &path.index(n), out);
            }
        }
        _ => {}
    }
}

fn check<T: DeserializeOwned + Serialize>(v: &Json) -> Vec<Issue> {
    let mut issues = Vec::new();
    let mut unknown: Vec<FieldPath> = Vec::new();
    let mut track = serde_path_to_error::Track::new();
    let result = {
        let mut on_ignored = |p: serde_ignored::Path<'_>| {
            let mut segs = Vec::new();
            ignored_path(&p, &mut segs);
            unknown.push(FieldPath(segs));
        };
        let ignoring = serde_ignored::Deserializer::new(v, &mut on_ignored);
        T::deserialize(serde_path_to_error::Deserializer::new(ignoring, &mut track))
    };
    issues.extend(unknown.into_iter().map(|path| Issue {
        path,
        kind: IssueKind::Unknown,
    }));
    match result {
        Ok(typed) => {
            if let Ok(back) = serde_json::to_value(&typed) {
                missing(v, &back, &FieldPath::root(), &mut issues);
            }
        }
        Err(e) => issues.push(Issue {
            path: error_path(&track.path()),
            kind: IssueKind::Type(e.to_string()),
        }),
    }
    issues
}

macro_rules! kinds {
    ($($($m:ident)::+ ,)*) => {
        static KINDS: &[(&str, &str, CheckFn)] = &[
            $((
                <k8s_openapi::$($m)::+ as k8s_openapi::Resource>::API_VERSION,
                <k8s_openapi::$($m)::+ as k8s_openapi::Resource>::KIND,
                check::<k8s_openapi::$($m)::+>,
            ),)*
        ];
    };
}

include!("kinds_table.rs");

/// True when chartkit has a type for this apiVersion/kind.
pub fn is_known(api_version: &str, kind: &str) -> bool {
    KINDS
        .iter()
        .any(|(a, k, _)| *a == api_version && *k == kind)
}

/// Validates an object strictly. `None` when the kind has no type here
/// (custom resources, removed APIs).
pub fn validate(v: &Json) -> Option<Vec<Issue>> {
    let api_version = super::str_field(v, "apiVersion");
    let kind = super::str_field(v, "kind");
    let (_, _, f) = KINDS
        .iter()
        .find(|(a, k, _)| *a == api_version && *k == kind)?;
    Some(f(v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn paths(issues: &[Issue]) -> Vec<String> {
        issues
            .iter()
            .map(|i| {
                let k = match &i.kind {
                    IssueKind::Unknown => "unknown",
                    IssueKind::Type(_) => "type",
                    IssueKind::Missing => "missing",
                };
                format!("{k} {}", i.path)
            })
            .collect()
    }

    #[test]
    fn volume_mounts_beside_containers() {
        let v = json!({
            "apiVersion": "apps/v1", "kind": "StatefulSet",
            "metadata": {"name": "db"},
            "spec": {
                "serviceName": "db", "selector": {"matchLabels": {"app": "db"}},
                "template": {"metadata": {"labels": {"app": "db"}}, "spec": {
                    "containers": [{"name": "db", "image": "mongo:7"}],
                    "volumeMounts": [{"name": "data", "mountPath": "/data"}]
                }}
            }
        });
        assert_eq!(
            paths(&validate(&v).unwrap()),
            vec!["unknown spec.template.spec.volumeMounts"]
        );
    }

    #[test]
    fn service_spec_under_metadata() {
        let v = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "db", "spec": {"clusterIP": "None"}}});
        assert_eq!(paths(&validate(&v).unwrap()), vec!["unknown metadata.spec"]);
    }

    #[test]
    fn wrong_type_and_missing() {
        let v = json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db"},
            "spec": {"replicas": "three", "selector": {}, "template": {}}});
        let p = paths(&validate(&v).unwrap());
        assert_eq!(p, vec!["type spec.replicas"]);
        let v = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
            "spec": {"containers": [{"image": "x", "ports": [{"name": "http"}]}]}});
        assert_eq!(
            paths(&validate(&v).unwrap()),
            vec![
                "missing spec.containers[0].name",
                "missing spec.containers[0].ports[0].containerPort"
            ]
        );
    }

    #[test]
    fn embedded_resource_templates_need_no_type_meta() {
        let sts = |vct: Json| {
            json!({
                "apiVersion": "apps/v1", "kind": "StatefulSet",
                "metadata": {"name": "db"},
                "spec": {
                    "serviceName": "db", "selector": {"matchLabels": {"app": "db"}},
                    "template": {"metadata": {"labels": {"app": "db"}}, "spec": {
                        "containers": [{"name": "db", "image": "mongo:7"}]
                    }},
                    "volumeClaimTemplates": [vct]
                }
            })
        };
        let bare = json!({"metadata": {"name": "data"},
            "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}});
        assert_eq!(paths(&validate(&sts(bare)).unwrap()), Vec::<String>::new());
        let typed = json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim",
            "metadata": {"name": "data"}});
        assert_eq!(paths(&validate(&sts(typed)).unwrap()), Vec::<String>::new());
        // Still a resource template: unknown fields inside are reported.
        let bad = json!({"metadata": {"name": "data"}, "spce": {}});
        assert_eq!(
            paths(&validate(&sts(bad)).unwrap()),
            vec!["unknown spec.volumeClaimTemplates[0].spce"]
        );
        // A root object still needs its own apiVersion/kind to be dispatched,
        // and reference types keep their required apiVersion/kind.
        let v = json!({"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "c", "ownerReferences": [{"name": "o", "uid": "u"}]}});
        assert_eq!(
            paths(&validate(&v).unwrap()),
            vec![
                "missing metadata.ownerReferences[0].apiVersion",
                "missing metadata.ownerReferences[0].kind"
            ]
        );
    }

    #[test]
    fn unknown_kinds() {
        assert!(validate(&json!({"apiVersion": "example.com/v1", "kind": "Foo"})).is_none());
        assert!(is_known("apps/v1", "StatefulSet"));
        assert!(!is_known("apps/v1beta2", "StatefulSet"));
    }
}
