//! Chart.yaml and Chart.lock as Helm writes them back out: Go's
//! `encoding/json` view of `chart/v2.Metadata`, `Dependency` and `Lock`
//! (json field names, `omitempty`), then either sigs.k8s.io/yaml (sorted
//! keys, go-yaml v2 style — what `helm package` stores) or compact JSON in
//! struct field order (the OCI config blob `helm push` uploads).

use chartkit_chart::{Dependency, Lock, Metadata};
use chartkit_yaml::json::JsonOptions;
use chartkit_yaml::{Mapping, Value};
use thiserror::Error;

use crate::gotime::GoTime;

/// Errors serialising chart metadata.
#[derive(Debug, Error)]
pub enum ChartfileError {
    /// The YAML or JSON encoder refused a value (NaN in import-values...).
    #[error("{0}")]
    Encode(String),
    /// Chart.lock's `generated` is not an RFC 3339 time (Go's JSON decoder
    /// would have refused the lock).
    #[error("parsing time {0:?} as \"2006-01-02T15:04:05Z07:00\": cannot parse")]
    BadTime(String),
}

/// A Go struct as `encoding/json` sees it: fields in declaration order.
#[derive(Debug, Clone, PartialEq)]
pub enum GoJson {
    /// A string.
    Str(String),
    /// A bool.
    Bool(bool),
    /// `null` (a nil slice without omitempty).
    Null,
    /// A slice.
    List(Vec<GoJson>),
    /// A struct (ordered fields) or a map (fields already sorted).
    Obj(Vec<(String, GoJson)>),
    /// An `interface{}` value.
    Any(Value),
}

impl GoJson {
    /// The same data as an untyped value (struct order is lost; YAML sorts
    /// keys anyway).
    pub fn to_value(&self) -> Value {
        match self {
            GoJson::Str(s) => Value::String(s.clone()),
            GoJson::Bool(b) => Value::Bool(*b),
            GoJson::Null => Value::Null,
            GoJson::List(l) => Value::Seq(l.iter().map(GoJson::to_value).collect()),
            GoJson::Obj(fields) => Value::Map(
                fields
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_value()))
                    .collect::<Mapping>(),
            ),
            GoJson::Any(v) => v.clone(),
        }
    }

    /// `json.Marshal`: compact, HTML characters escaped, fields in order.
    pub fn to_json(&self) -> Result<String, ChartfileError> {
        let mut out = String::new();
        self.write_json(&mut out, None, 0)?;
        Ok(out)
    }

    /// `json.MarshalIndent(v, "", indent)`.
    pub fn to_json_indent(&self, indent: &str) -> Result<String, ChartfileError> {
        let mut out = String::new();
        self.write_json(&mut out, Some(indent), 0)?;
        Ok(out)
    }

    fn write_json(
        &self,
        out: &mut String,
        indent: Option<&str>,
        depth: usize,
    ) -> Result<(), ChartfileError> {
        let newline = |out: &mut String, d: usize| {
            if let Some(ind) = indent {
                out.push('\n');
                for _ in 0..d {
                    out.push_str(ind);
                }
            }
        };
        match self {
            GoJson::Obj(fields) => {
                out.push('{');
                for (i, (k, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    newline(out, depth + 1);
                    out.push_str(&json_any(&Value::String(k.clone()))?);
                    out.push(':');
                    if indent.is_some() {
                        out.push(' ');
                    }
                    v.write_json(out, indent, depth + 1)?;
                }
                if !fields.is_empty() {
                    newline(out, depth);
                }
                out.push('}');
            }
            GoJson::List(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    newline(out, depth + 1);
                    v.write_json(out, indent, depth + 1)?;
                }
                if !items.is_empty() {
                    newline(out, depth);
                }
                out.push(']');
            }
            GoJson::Any(v) => {
                let opts = match indent {
                    None => JsonOptions::compact(),
                    Some(ind) => JsonOptions {
                        escape_html: true,
                        indent: Some(ind.to_string()),
                    },
                };
                let text = chartkit_yaml::json::to_string(v, opts)
                    .map_err(|e| ChartfileError::Encode(e.to_string()))?;
                // Re-indent nested lines to this depth.
                match indent {
                    Some(ind) if text.contains('\n') => {
                        let pad = ind.repeat(depth);
                        out.push_str(&text.replace('\n', &format!("\n{pad}")));
                    }
                    _ => out.push_str(&text),
                }
            }
            other => out.push_str(&json_any(&other.to_value())?),
        }
        Ok(())
    }

    /// sigs.k8s.io/yaml's `Marshal` of the struct.
    pub fn to_yaml(&self) -> Result<String, ChartfileError> {
        chartkit_yaml::to_yaml(&self.to_value()).map_err(|e| ChartfileError::Encode(e.to_string()))
    }
}

fn json_any(v: &Value) -> Result<String, ChartfileError> {
    chartkit_yaml::json::to_string(v, JsonOptions::compact())
        .map_err(|e| ChartfileError::Encode(e.to_string()))
}

struct Fields(Vec<(String, GoJson)>);

impl Fields {
    fn str(&mut self, k: &str, v: &str, omitempty: bool) {
        if !(omitempty && v.is_empty()) {
            self.0.push((k.to_string(), GoJson::Str(v.to_string())));
        }
    }
    fn strs(&mut self, k: &str, v: &[String]) {
        if !v.is_empty() {
            self.0.push((
                k.to_string(),
                GoJson::List(v.iter().map(|s| GoJson::Str(s.clone())).collect()),
            ));
        }
    }
    fn bool(&mut self, k: &str, v: bool) {
        if v {
            self.0.push((k.to_string(), GoJson::Bool(true)));
        }
    }
    fn push(&mut self, k: &str, v: GoJson) {
        self.0.push((k.to_string(), v));
    }
}

/// `chart/v2.Metadata` as `encoding/json` writes it. `with_dependencies`
/// is false for apiVersion v1 charts in `helm package`, which keeps
/// their dependencies in requirements.yaml.
pub fn metadata_json(md: &Metadata, with_dependencies: bool) -> GoJson {
    let mut f = Fields(Vec::new());
    f.str("name", &md.name, true);
    f.str("home", &md.home, true);
    f.strs("sources", &md.sources);
    f.str("version", &md.version, true);
    f.str("description", &md.description, true);
    f.strs("keywords", &md.keywords);
    if !md.maintainers.is_empty() {
        let list = md
            .maintainers
            .iter()
            .map(|m| match m {
                None => GoJson::Null,
                Some(m) => {
                    let mut mf = Fields(Vec::new());
                    mf.str("name", &m.name, true);
                    mf.str("email", &m.email, true);
                    mf.str("url", &m.url, true);
                    GoJson::Obj(mf.0)
                }
            })
            .collect();
        f.push("maintainers", GoJson::List(list));
    }
    f.str("icon", &md.icon, true);
    f.str("apiVersion", &md.api_version, true);
    f.str("condition", &md.condition, true);
    f.str("tags", &md.tags, true);
    f.str("appVersion", &md.app_version, true);
    f.bool("deprecated", md.deprecated);
    if let Some(a) = &md.annotations
        && !a.is_empty()
    {
        f.push(
            "annotations",
            GoJson::Obj(
                a.iter()
                    .map(|(k, v)| (k.clone(), GoJson::Str(v.clone())))
                    .collect(),
            ),
        );
    }
    f.str("kubeVersion", &md.kube_version, true);
    if with_dependencies
        && let Some(deps) = &md.dependencies
        && !deps.is_empty()
    {
        let list = deps
            .iter()
            .map(|d| d.as_ref().map_or(GoJson::Null, dependency_json))
            .collect();
        f.push("dependencies", GoJson::List(list));
    }
    f.str("type", &md.chart_type, true);
    GoJson::Obj(f.0)
}

/// `chart/v2.Dependency` as `encoding/json` writes it (`name` and
/// `repository` are always present).
pub fn dependency_json(d: &Dependency) -> GoJson {
    let mut f = Fields(Vec::new());
    f.str("name", &d.name, false);
    f.str("version", &d.version, true);
    f.str("repository", &d.repository, false);
    f.str("condition", &d.condition, true);
    f.strs("tags", &d.tags);
    f.bool("enabled", d.enabled);
    if !d.import_values.is_empty() {
        f.push(
            "import-values",
            GoJson::List(d.import_values.iter().cloned().map(GoJson::Any).collect()),
        );
    }
    f.str("alias", &d.alias, true);
    GoJson::Obj(f.0)
}

/// `chart/v2.Lock` as `encoding/json` writes it: `generated` re-formatted
/// by Go's `time.Time` (RFC 3339 with nanoseconds, trailing zeros cut,
/// `Z` for UTC), `dependencies` `null` when there are none.
pub fn lock_json(lock: &Lock) -> Result<GoJson, ChartfileError> {
    let generated = lock_time(lock)?;
    let deps = match &lock.dependencies {
        None => GoJson::Null,
        Some(list) => GoJson::List(
            list.iter()
                .map(|d| d.as_ref().map_or(GoJson::Null, dependency_json))
                .collect(),
        ),
    };
    Ok(GoJson::Obj(vec![
        ("generated".into(), GoJson::Str(generated.rfc3339_nano())),
        ("digest".into(), GoJson::Str(lock.digest.clone())),
        ("dependencies".into(), deps),
    ]))
}

/// The lock's `generated` time (Go's zero time when absent).
pub fn lock_time(lock: &Lock) -> Result<GoTime, ChartfileError> {
    if lock.generated.is_empty() {
        // Go's zero time.Time: 0001-01-01T00:00:00Z.
        return Ok(GoTime::utc(-62_135_596_800, 0));
    }
    GoTime::parse_rfc3339(&lock.generated)
        .ok_or_else(|| ChartfileError::BadTime(lock.generated.clone()))
}

/// Chart.yaml as `helm package` stores it.
pub fn chart_yaml(md: &Metadata) -> Result<String, ChartfileError> {
    metadata_json(
        md,
        md.api_version != chartkit_chart::metadata::API_VERSION_V1,
    )
    .to_yaml()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chartkit_chart::Maintainer;

    fn md() -> Metadata {
        Metadata {
            name: "c1".into(),
            version: "1.2".into(),
            api_version: "v2".into(),
            description: "a <b> & c".into(),
            app_version: "x y".into(),
            maintainers: vec![Some(Maintainer {
                name: "me".into(),
                ..Default::default()
            })],
            dependencies: Some(vec![Some(Dependency {
                name: "sub".into(),
                version: "1.x".into(),
                repository: "file://x".into(),
                ..Default::default()
            })]),
            ..Default::default()
        }
    }

    #[test]
    fn chart_yaml_sorted_like_helm() {
        // Expected text from `helm package` (v4.1.4) of the same Chart.yaml.
        assert_eq!(
            chart_yaml(&md()).unwrap(),
            "apiVersion: v2\nappVersion: x y\ndependencies:\n- name: sub\n  repository: file://x\n  version: 1.x\ndescription: a <b> & c\nmaintainers:\n- name: me\nname: c1\nversion: \"1.2\"\n"
        );
    }

    #[test]
    fn config_json_in_struct_order() {
        assert_eq!(
            metadata_json(&md(), true).to_json().unwrap(),
            r#"{"name":"c1","version":"1.2","description":"a \u003cb\u003e \u0026 c","maintainers":[{"name":"me"}],"apiVersion":"v2","appVersion":"x y","dependencies":[{"name":"sub","version":"1.x","repository":"file://x"}]}"#
        );
    }

    #[test]
    fn v1_charts_drop_dependencies() {
        let mut m = md();
        m.api_version = "v1".into();
        assert!(!chart_yaml(&m).unwrap().contains("dependencies"));
    }

    #[test]
    fn lock_reformats_time() {
        let lock = Lock {
            generated: "2025-08-14T11:39:26.120+00:00".into(),
            digest: "sha256:ab".into(),
            dependencies: None,
        };
        assert_eq!(
            lock_json(&lock).unwrap().to_yaml().unwrap(),
            "dependencies: null\ndigest: sha256:ab\ngenerated: \"2025-08-14T11:39:26.12Z\"\n"
        );
        // `dependencies: []` stays an empty list (helm package of Helm's chart-with-lock).
        let empty = Lock {
            dependencies: Some(vec![]),
            ..lock.clone()
        };
        assert!(
            lock_json(&empty)
                .unwrap()
                .to_yaml()
                .unwrap()
                .starts_with("dependencies: []\n")
        );
        let bad = Lock {
            generated: "yesterday".into(),
            ..lock
        };
        assert!(lock_json(&bad).is_err());
    }
}
