//! `Chart.yaml` (`Metadata`), `Chart.lock`/`requirements.lock` (`Lock`) and
//! their validation, decoded the way Helm does: YAML through
//! sigs.k8s.io/yaml (scalars become strings where the Go field is a
//! string, keys match fields case-insensitively) into `encoding/json`
//! struct semantics (the first type error in key order is reported, with
//! Go's message).

use chartkit_yaml::Value;
use thiserror::Error;

use crate::gofmt::{format_g32, is_print, is_space, quote};
use crate::semver;

/// `apiVersion: v1` (Helm 2 charts; dependencies in requirements.yaml).
pub const API_VERSION_V1: &str = "v1";
/// `apiVersion: v2` (Helm 3+ charts).
pub const API_VERSION_V2: &str = "v2";
/// `apiVersion: v3` (Helm 4's new chart format, which `helm template` refuses).
pub const API_VERSION_V3: &str = "v3";

/// A chart maintainer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Maintainer {
    /// `name`
    pub name: String,
    /// `email`
    pub email: String,
    /// `url`
    pub url: String,
}

/// One entry of `dependencies` (Chart.yaml, requirements.yaml, locks).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dependency {
    /// `name`: the subchart's chart name. Helm overwrites it with `alias`
    /// while processing dependencies.
    pub name: String,
    /// `version`: a semver constraint.
    pub version: String,
    /// `repository`
    pub repository: String,
    /// `condition`: comma-separated values paths; the first bool found wins.
    pub condition: String,
    /// `tags`
    pub tags: Vec<String>,
    /// `enabled`: computed by dependency processing.
    pub enabled: bool,
    /// `import-values`: strings or `{child, parent}` maps, kept as decoded.
    pub import_values: Vec<Value>,
    /// `alias`
    pub alias: String,
}

/// Chart.yaml, with every field Helm v4's `chart/v2.Metadata` has.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Metadata {
    /// `name`
    pub name: String,
    /// `home`
    pub home: String,
    /// `sources`
    pub sources: Vec<String>,
    /// `version`
    pub version: String,
    /// `description`
    pub description: String,
    /// `keywords`
    pub keywords: Vec<String>,
    /// `maintainers`; `None` entries are YAML nulls (a validation error).
    pub maintainers: Vec<Option<Maintainer>>,
    /// `icon`
    pub icon: String,
    /// `apiVersion` (the loader sets `v1` when absent).
    pub api_version: String,
    /// `condition`
    pub condition: String,
    /// `tags`
    pub tags: String,
    /// `appVersion`
    pub app_version: String,
    /// `deprecated`
    pub deprecated: bool,
    /// `annotations`; `None` when absent (Go's nil map).
    pub annotations: Option<std::collections::BTreeMap<String, String>>,
    /// `kubeVersion`
    pub kube_version: String,
    /// `dependencies`; `None` entries are YAML nulls (a validation error).
    pub dependencies: Option<Vec<Option<Dependency>>>,
    /// `type`: `""`, `application` or `library`.
    pub chart_type: String,
}

/// A lock file (`Chart.lock`, `requirements.lock`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lock {
    /// `generated`, as written.
    pub generated: String,
    /// `digest`
    pub digest: String,
    /// `dependencies`: `None` when absent or null (Go's nil slice, written back as `null`),
    /// `Some(vec![])` for `[]`.
    pub dependencies: Option<Vec<Option<Dependency>>>,
}

/// A decoding error, with Go's `encoding/json` text
/// (`json: cannot unmarshal string into Go struct field Metadata.keywords of type []string`).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{0}")]
pub struct DecodeError(pub String);

/// A `validation: ...` error from `Metadata.Validate`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("validation: {0}")]
pub struct ValidationError(pub String);

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Int(_) | Value::Float(_) => "number",
        Value::String(_) => "string",
        Value::Seq(_) => "array",
        Value::Map(_) => "object",
    }
}

/// Tracks the first type error, as `encoding/json` does.
struct Ctx {
    first: Option<DecodeError>,
}

impl Ctx {
    fn fail(&mut self, got: &Value, strukt: &str, field: &str, ty: &str) {
        if self.first.is_none() {
            self.first = Some(DecodeError(format!(
                "json: cannot unmarshal {} into Go struct field {strukt}.{field} of type {ty}",
                json_kind(got)
            )));
        }
    }

    /// A string field: scalars are turned into strings by sigs.k8s.io/yaml.
    fn string(&mut self, v: &Value, strukt: &str, field: &str) -> Option<String> {
        match scalar_string(v) {
            Ok(s) => s,
            Err(()) => {
                self.fail(v, strukt, field, "string");
                None
            }
        }
    }

    fn string_list(&mut self, v: &Value, strukt: &str, field: &str) -> Option<Vec<String>> {
        match v {
            Value::Null => None,
            Value::Seq(items) => Some(
                items
                    .iter()
                    .map(|i| self.string(i, strukt, field).unwrap_or_default())
                    .collect(),
            ),
            other => {
                self.fail(other, strukt, field, "[]string");
                None
            }
        }
    }

    fn boolean(&mut self, v: &Value, strukt: &str, field: &str) -> Option<bool> {
        match v {
            Value::Null => None,
            Value::Bool(b) => Some(*b),
            other => {
                self.fail(other, strukt, field, "bool");
                None
            }
        }
    }
}

/// Whether the `chart.Metadata` field at `path` is a Go `string` (or `[]string`,
/// `map[string]string` element): there sigs.k8s.io/yaml turns YAML numbers and bools into
/// their Go text before `encoding/json` sees them. Keys match like `encoding/json`'s,
/// case-insensitively.
pub fn is_string_field(path: &[chartkit_yaml::PathSegment]) -> bool {
    use chartkit_yaml::PathSegment::{Index, Key};
    let is = |k: &str, names: &[&str]| names.iter().any(|n| k.eq_ignore_ascii_case(n));
    match path {
        [Key(k)] => is(
            k,
            &[
                "name",
                "home",
                "version",
                "description",
                "icon",
                "apiVersion",
                "condition",
                "tags",
                "appVersion",
                "kubeVersion",
                "type",
            ],
        ),
        [Key(k), Index(_)] => is(k, &["sources", "keywords"]),
        [Key(a), Key(_)] => is(a, &["annotations"]),
        [Key(m), Index(_), Key(f)] if is(m, &["maintainers"]) => is(f, &["name", "email", "url"]),
        [Key(d), Index(_), Key(f)] if is(d, &["dependencies"]) => {
            is(f, &["name", "version", "repository", "condition", "alias"])
        }
        [Key(d), Index(_), Key(t), Index(_)] => is(d, &["dependencies"]) && is(t, &["tags"]),
        _ => false,
    }
}

/// sigs.k8s.io/yaml's scalar-to-string coercion for a string target.
/// `Ok(None)` for null (Go leaves the field unchanged).
fn scalar_string(v: &Value) -> Result<Option<String>, ()> {
    Ok(Some(match v {
        Value::Null => return Ok(None),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        // go-yaml hands integers over as Go ints, other numbers as float64
        // (formatted as float32 'g'). Values only carry floats: integral ones
        // are taken to have been integers.
        Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.007_199_254_740_992e15 => {
            format!("{}", *f as i64)
        }
        Value::Float(f) => format_g32(*f),
        Value::Seq(_) | Value::Map(_) => return Err(()),
    }))
}

/// Looks a JSON key up among `fields` like `encoding/json`: exact match
/// first, then case-insensitive.
fn field_for<'a>(key: &str, fields: &[&'a str]) -> Option<&'a str> {
    fields
        .iter()
        .find(|f| **f == key)
        .or_else(|| {
            fields
                .iter()
                .find(|f| f.to_lowercase() == key.to_lowercase())
        })
        .copied()
}

const METADATA_FIELDS: &[&str] = &[
    "name",
    "home",
    "sources",
    "version",
    "description",
    "keywords",
    "maintainers",
    "icon",
    "apiVersion",
    "condition",
    "tags",
    "appVersion",
    "deprecated",
    "annotations",
    "kubeVersion",
    "dependencies",
    "type",
];

const DEPENDENCY_FIELDS: &[&str] = &[
    "name",
    "version",
    "repository",
    "condition",
    "tags",
    "enabled",
    "import-values",
    "alias",
];

/// What a whole document decodes into, for the "Go value of type" message.
fn top_level_mismatch(v: &Value, go_type: &str) -> DecodeError {
    DecodeError(format!(
        "json: cannot unmarshal {} into Go value of type {go_type}",
        json_kind(v)
    ))
}

impl Metadata {
    /// Decodes Chart.yaml data (already parsed YAML) on top of `self`, as
    /// `yaml.Unmarshal(data, c.Metadata)` does (fields absent from the
    /// document keep their values; used for requirements.yaml too).
    pub fn merge_from_value(&mut self, v: &Value) -> Result<(), DecodeError> {
        let map = match v {
            Value::Null => return Ok(()),
            Value::Map(m) => m,
            other => return Err(top_level_mismatch(other, "v2.Metadata")),
        };
        let mut cx = Ctx { first: None };
        const S: &str = "Metadata";
        for (key, val) in map {
            let Some(field) = field_for(key, METADATA_FIELDS) else {
                continue;
            };
            match field {
                "name" => set_str(&mut self.name, cx.string(val, S, field)),
                "home" => set_str(&mut self.home, cx.string(val, S, field)),
                "version" => set_str(&mut self.version, cx.string(val, S, field)),
                "description" => set_str(&mut self.description, cx.string(val, S, field)),
                "icon" => set_str(&mut self.icon, cx.string(val, S, field)),
                "apiVersion" => set_str(&mut self.api_version, cx.string(val, S, field)),
                "condition" => set_str(&mut self.condition, cx.string(val, S, field)),
                "tags" => set_str(&mut self.tags, cx.string(val, S, field)),
                "appVersion" => set_str(&mut self.app_version, cx.string(val, S, field)),
                "kubeVersion" => set_str(&mut self.kube_version, cx.string(val, S, field)),
                "type" => set_str(&mut self.chart_type, cx.string(val, S, field)),
                "sources" => {
                    if let Some(l) = cx.string_list(val, S, field) {
                        self.sources = l;
                    } else if val.is_null() {
                        self.sources.clear();
                    }
                }
                "keywords" => {
                    if let Some(l) = cx.string_list(val, S, field) {
                        self.keywords = l;
                    } else if val.is_null() {
                        self.keywords.clear();
                    }
                }
                "deprecated" => {
                    if let Some(b) = cx.boolean(val, S, field) {
                        self.deprecated = b;
                    }
                }
                "annotations" => match val {
                    Value::Null => self.annotations = None,
                    Value::Map(m) => {
                        let ann = self.annotations.get_or_insert_with(Default::default);
                        for (k, item) in m {
                            match scalar_string(item) {
                                Ok(s) => {
                                    ann.insert(k.clone(), s.unwrap_or_default());
                                }
                                Err(()) => cx.fail(item, S, "annotations", "string"),
                            }
                        }
                    }
                    other => cx.fail(other, S, field, "map[string]string"),
                },
                "maintainers" => match val {
                    Value::Null => self.maintainers.clear(),
                    Value::Seq(items) => {
                        self.maintainers = items
                            .iter()
                            .map(|item| decode_maintainer(item, &mut cx))
                            .collect();
                    }
                    other => cx.fail(other, S, field, "[]*v2.Maintainer"),
                },
                "dependencies" => match val {
                    Value::Null => self.dependencies = None,
                    Value::Seq(items) => {
                        self.dependencies = Some(
                            items
                                .iter()
                                .map(|item| decode_dependency(item, &mut cx, "dependencies"))
                                .collect(),
                        );
                    }
                    other => cx.fail(other, S, field, "[]*v2.Dependency"),
                },
                _ => {}
            }
        }
        match cx.first {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Helm's `Metadata.Validate`: sanitises strings (white space to
    /// spaces, non-printable characters dropped) and checks required
    /// fields, the name, the version (semver), the type, maintainers and
    /// dependencies (no nulls, valid aliases, no duplicate names).
    pub fn validate(&mut self) -> Result<(), ValidationError> {
        for s in [
            &mut self.name,
            &mut self.description,
            &mut self.home,
            &mut self.icon,
            &mut self.condition,
            &mut self.tags,
            &mut self.app_version,
            &mut self.kube_version,
        ] {
            *s = sanitize(s);
        }
        for s in self.sources.iter_mut().chain(self.keywords.iter_mut()) {
            *s = sanitize(s);
        }
        if self.api_version.is_empty() {
            return Err(ValidationError(
                "chart.metadata.apiVersion is required".into(),
            ));
        }
        if self.name.is_empty() {
            return Err(ValidationError("chart.metadata.name is required".into()));
        }
        if self.name == "." || self.name == ".." {
            return Err(ValidationError(format!(
                "chart.metadata.name {} is not allowed",
                quote(&self.name)
            )));
        }
        if self.name.contains('/') {
            return Err(ValidationError(format!(
                "chart.metadata.name {} is invalid",
                quote(&self.name)
            )));
        }
        if self.version.is_empty() {
            return Err(ValidationError("chart.metadata.version is required".into()));
        }
        if semver::Version::parse(&self.version).is_err() {
            return Err(ValidationError(format!(
                "chart.metadata.version {} is invalid",
                quote(&self.version)
            )));
        }
        if !matches!(self.chart_type.as_str(), "" | "application" | "library") {
            return Err(ValidationError(
                "chart.metadata.type must be application or library".into(),
            ));
        }
        for m in &mut self.maintainers {
            match m {
                None => {
                    return Err(ValidationError(
                        "maintainers must not contain empty or null nodes".into(),
                    ));
                }
                Some(m) => {
                    m.name = sanitize(&m.name);
                    m.email = sanitize(&m.email);
                    m.url = sanitize(&m.url);
                }
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        for d in self.dependencies.iter_mut().flatten() {
            let Some(d) = d else {
                return Err(ValidationError(
                    "dependencies must not contain empty or null nodes".into(),
                ));
            };
            d.validate()?;
            let key = if d.alias.is_empty() {
                d.name.clone()
            } else {
                d.alias.clone()
            };
            if !seen.insert(key.clone()) {
                return Err(ValidationError(format!(
                    "more than one dependency with name or alias {}",
                    quote(&key)
                )));
            }
        }
        Ok(())
    }

    /// The declared dependencies that are not YAML nulls.
    pub fn dependency_list(&self) -> impl Iterator<Item = &Dependency> {
        self.dependencies.iter().flatten().flatten()
    }
}

impl Dependency {
    /// Helm's `Dependency.Validate`: sanitises and checks the alias.
    pub fn validate(&mut self) -> Result<(), ValidationError> {
        self.name = sanitize(&self.name);
        self.version = sanitize(&self.version);
        self.repository = sanitize(&self.repository);
        self.condition = sanitize(&self.condition);
        for t in &mut self.tags {
            *t = sanitize(t);
        }
        if !self.alias.is_empty()
            && !self
                .alias
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            return Err(ValidationError(format!(
                "dependency {} has disallowed characters in the alias",
                quote(&self.name)
            )));
        }
        Ok(())
    }
}

impl Lock {
    /// Decodes a lock file (already parsed YAML).
    pub fn from_value(v: &Value) -> Result<Lock, DecodeError> {
        let mut lock = Lock::default();
        let map = match v {
            Value::Null => return Ok(lock),
            Value::Map(m) => m,
            other => return Err(top_level_mismatch(other, "v2.Lock")),
        };
        let mut cx = Ctx { first: None };
        for (key, val) in map {
            match field_for(key, &["generated", "digest", "dependencies"]) {
                Some("generated") => match val {
                    Value::Null => {}
                    Value::String(s) => {
                        if !looks_rfc3339(s) {
                            cx.first.get_or_insert_with(|| {
                                DecodeError(format!(
                                    "parsing time {} as \"2006-01-02T15:04:05Z07:00\": cannot parse {} as \"2006\"",
                                    quote(&quote(s)),
                                    quote(&quote(s))
                                ))
                            });
                        }
                        lock.generated = s.clone();
                    }
                    other => {
                        cx.first.get_or_insert_with(|| {
                            DecodeError(format!(
                                "json: cannot unmarshal {} into Go struct field Lock.generated of type time.Time",
                                json_kind(other)
                            ))
                        });
                    }
                },
                Some("digest") => set_str(&mut lock.digest, cx.string(val, "Lock", "digest")),
                Some("dependencies") => match val {
                    Value::Null => {}
                    Value::Seq(items) => {
                        lock.dependencies = Some(
                            items
                                .iter()
                                .map(|i| decode_dependency(i, &mut cx, "dependencies"))
                                .collect(),
                        );
                    }
                    other => cx.fail(other, "Lock", "dependencies", "[]*v2.Dependency"),
                },
                _ => {}
            }
        }
        match cx.first {
            Some(e) => Err(e),
            None => Ok(lock),
        }
    }
}

fn looks_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 20
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[7] == b'-'
        && (b[10] == b'T' || b[10] == b't')
        && b[13] == b':'
        && b[16] == b':'
}

fn set_str(slot: &mut String, v: Option<String>) {
    if let Some(s) = v {
        *slot = s;
    }
}

fn decode_maintainer(v: &Value, cx: &mut Ctx) -> Option<Maintainer> {
    let map = match v {
        Value::Null => return None,
        Value::Map(m) => m,
        other => {
            cx.fail(other, "Metadata", "maintainers", "v2.Maintainer");
            return Some(Maintainer::default());
        }
    };
    let mut m = Maintainer::default();
    for (key, val) in map {
        match field_for(key, &["name", "email", "url"]) {
            Some("name") => set_str(
                &mut m.name,
                cx.string(val, "Maintainer", "maintainers.name"),
            ),
            Some("email") => set_str(
                &mut m.email,
                cx.string(val, "Maintainer", "maintainers.email"),
            ),
            Some("url") => set_str(&mut m.url, cx.string(val, "Maintainer", "maintainers.url")),
            _ => {}
        }
    }
    Some(m)
}

fn decode_dependency(v: &Value, cx: &mut Ctx, parent: &str) -> Option<Dependency> {
    let map = match v {
        Value::Null => return None,
        Value::Map(m) => m,
        other => {
            cx.fail(other, "Metadata", parent, "v2.Dependency");
            return Some(Dependency::default());
        }
    };
    let mut d = Dependency::default();
    const S: &str = "Dependency";
    for (key, val) in map {
        let Some(field) = field_for(key, DEPENDENCY_FIELDS) else {
            continue;
        };
        let path = format!("{parent}.{field}");
        match field {
            "name" => set_str(&mut d.name, cx.string(val, S, &path)),
            "version" => set_str(&mut d.version, cx.string(val, S, &path)),
            "repository" => set_str(&mut d.repository, cx.string(val, S, &path)),
            "condition" => set_str(&mut d.condition, cx.string(val, S, &path)),
            "alias" => set_str(&mut d.alias, cx.string(val, S, &path)),
            "tags" => {
                if let Some(l) = cx.string_list(val, S, &path) {
                    d.tags = l;
                }
            }
            "enabled" => {
                if let Some(b) = cx.boolean(val, S, &path) {
                    d.enabled = b;
                }
            }
            "import-values" => match val {
                Value::Null => {}
                Value::Seq(items) => d.import_values = items.clone(),
                other => cx.fail(other, S, &path, "[]interface {}"),
            },
            _ => {}
        }
    }
    Some(d)
}

/// Helm's `sanitizeString`: white space becomes a space, non-printable
/// characters are dropped.
pub fn sanitize(s: &str) -> String {
    s.chars()
        .filter_map(|c| {
            if is_space(c) {
                Some(' ')
            } else if is_print(c) {
                Some(c)
            } else {
                None
            }
        })
        .collect()
}

/// Reads just `apiVersion` from Chart.yaml data, as Helm's version-dispatching
/// loader does before choosing a chart format.
pub fn detect_api_version(v: &Value) -> Result<String, DecodeError> {
    match v {
        Value::Null => Ok(String::new()),
        Value::Map(m) => {
            let mut out = String::new();
            let mut cx = Ctx { first: None };
            for (k, val) in m {
                if field_for(k, &["apiVersion"]).is_some()
                    && let Some(s) = cx.string(val, "chartBase", "apiVersion")
                {
                    out = s;
                }
            }
            match cx.first {
                Some(e) => Err(e),
                None => Ok(out),
            }
        }
        other => Err(top_level_mismatch(other, "loader.chartBase")),
    }
}

trait IsNull {
    fn is_null(&self) -> bool;
}

impl IsNull for Value {
    fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, Value)]) -> Value {
        Value::Map(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }

    fn s(x: &str) -> Value {
        Value::String(x.into())
    }

    #[test]
    fn coercions_and_case_folding() {
        let mut m = Metadata::default();
        m.merge_from_value(&map(&[
            ("Name", s("c")),
            ("version", Value::Float(1.0)),
            ("appVersion", Value::Float(1.1)),
            (
                "annotations",
                map(&[("a", Value::Float(1.0)), ("b", Value::Null)]),
            ),
        ]))
        .unwrap();
        assert_eq!(m.name, "c");
        assert_eq!(m.version, "1");
        assert_eq!(m.app_version, "1.1");
        assert_eq!(m.annotations.unwrap()["b"], "");
    }

    #[test]
    fn type_errors_have_go_text() {
        let cases = [
            (
                map(&[("keywords", s("a"))]),
                "json: cannot unmarshal string into Go struct field Metadata.keywords of type []string",
            ),
            (
                map(&[("deprecated", Value::Float(1.0))]),
                "json: cannot unmarshal number into Go struct field Metadata.deprecated of type bool",
            ),
            (
                map(&[(
                    "maintainers",
                    Value::Seq(vec![map(&[("name", Value::Seq(vec![]))])]),
                )]),
                "json: cannot unmarshal array into Go struct field Maintainer.maintainers.name of type string",
            ),
            (
                map(&[("dependencies", Value::Seq(vec![map(&[("tags", s("a"))])]))]),
                "json: cannot unmarshal string into Go struct field Dependency.dependencies.tags of type []string",
            ),
            (
                map(&[("maintainers", Value::Float(1.0))]),
                "json: cannot unmarshal number into Go struct field Metadata.maintainers of type []*v2.Maintainer",
            ),
            (
                map(&[("annotations", map(&[("a", Value::Seq(vec![]))]))]),
                "json: cannot unmarshal array into Go struct field Metadata.annotations of type string",
            ),
        ];
        for (v, want) in cases {
            let mut m = Metadata::default();
            assert_eq!(m.merge_from_value(&v).unwrap_err().0, want);
        }
    }

    #[test]
    fn validation_messages() {
        let base = || Metadata {
            api_version: "v2".into(),
            name: "c".into(),
            version: "1.0.0".into(),
            ..Default::default()
        };
        let check = |m: &mut Metadata| m.validate().map_err(|e| e.to_string());
        assert!(check(&mut base()).is_ok());
        let mut m = base();
        m.version = "x".into();
        assert_eq!(
            check(&mut m).unwrap_err(),
            "validation: chart.metadata.version \"x\" is invalid"
        );
        let mut m = base();
        m.name = "../c".into();
        assert_eq!(
            check(&mut m).unwrap_err(),
            "validation: chart.metadata.name \"../c\" is invalid"
        );
        let mut m = base();
        m.chart_type = "foo".into();
        assert_eq!(
            check(&mut m).unwrap_err(),
            "validation: chart.metadata.type must be application or library"
        );
        let mut m = base();
        m.dependencies = Some(vec![
            Some(Dependency {
                name: "a".into(),
                ..Default::default()
            }),
            Some(Dependency {
                name: "b".into(),
                alias: "a".into(),
                ..Default::default()
            }),
        ]);
        assert_eq!(
            check(&mut m).unwrap_err(),
            "validation: more than one dependency with name or alias \"a\""
        );
        let mut m = base();
        m.dependencies = Some(vec![Some(Dependency {
            name: "x".into(),
            alias: "a.b".into(),
            ..Default::default()
        })]);
        assert_eq!(
            check(&mut m).unwrap_err(),
            "validation: dependency \"x\" has disallowed characters in the alias"
        );
        let mut m = base();
        m.description = "a\tb\u{7}".into();
        check(&mut m).unwrap();
        assert_eq!(m.description, "a b");
    }
}
