//! `helm lint`, rule for rule (Helm v4.1.4 `pkg/chart/v2/lint`): Chartfile,
//! Values, Templates, Dependencies and Crds, in that order, with Helm's
//! guard clauses (a rule that fails may stop the ones after it), paths and
//! messages. The rendering done here is reused by chartkit's own rules, so
//! a chart is rendered once per value set.

use std::path::{Path, PathBuf};

use chartkit_chart::{Chart, LogRecord, Mapping, Metadata, Value};
use chartkit_diagnostics::Severity;

use crate::registry::RuleMeta;
use crate::render::{LintRender, RenderFailure, RenderSettings};
use crate::rules::helm as r;

/// One `helm lint` message.
#[derive(Clone, Debug)]
pub struct HelmMessage {
    /// The rule.
    pub rule: &'static RuleMeta,
    /// Helm's severity.
    pub severity: Severity,
    /// The path Helm prints (`Chart.yaml`, `templates/x.yaml`, ...).
    pub path: String,
    /// Helm's message.
    pub message: String,
    /// For template rules: the template and byte offset in its rendered text.
    pub rendered: Option<(String, usize)>,
}

/// Everything Helm's lint produced for one chart and value set.
#[derive(Debug, Default)]
pub struct HelmLint {
    /// Messages in Helm's order.
    pub messages: Vec<HelmMessage>,
    /// The lint-mode render, when templates rendered.
    pub render: Option<LintRender>,
    /// Log lines Helm would print on stderr.
    pub logs: Vec<LogRecord>,
    /// The chart as loaded (before dependency processing), when it loaded.
    pub chart: Option<Chart>,
}

impl HelmLint {
    fn add(&mut self, rule: &'static RuleMeta, path: &str, message: impl Into<String>) {
        self.messages.push(HelmMessage {
            rule,
            severity: rule.severity,
            path: path.to_string(),
            message: message.into(),
            rendered: None,
        });
    }
}

/// Go's `%q` of a string.
fn go_quote(s: &str) -> String {
    chartkit_gotemplate::fmt::sprintf("%q", &[chartkit_gotemplate::Value::string(s)])
}

/// Runs every Helm rule on the chart directory `dir`.
pub fn lint(dir: &Path, user_values: &Mapping, settings: &RenderSettings) -> HelmLint {
    let abs = absolute(dir);
    let mut out = HelmLint::default();
    chartfile(&abs, &mut out);
    values(&abs, user_values, settings.skip_schema_validation, &mut out);
    templates(&abs, user_values, settings, &mut out);
    dependencies(&abs, &mut out);
    crds(&abs, &mut out);
    out
}

fn absolute(p: &Path) -> PathBuf {
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    // filepath.Abs cleans the path.
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Go's `os` error suffix for an io::Error.
fn os_reason(e: &std::io::Error) -> &'static str {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory",
        std::io::ErrorKind::PermissionDenied => "permission denied",
        std::io::ErrorKind::IsADirectory => "is a directory",
        _ => "input/output error",
    }
}

// ---------------------------------------------------------------- Chart.yaml

/// Go's `%T` of a decoded YAML value.
fn go_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "<nil>",
        Value::Bool(_) => "bool",
        Value::Int(_) | Value::Float(_) => "float64",
        Value::String(_) => "string",
        Value::Seq(_) => "[]interface {}",
        Value::Map(_) => "map[string]interface {}",
    }
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
const MAINTAINER_FIELDS: &[&str] = &["name", "email", "url"];
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

fn known(key: &str, fields: &[&str]) -> bool {
    fields.iter().any(|f| f.eq_ignore_ascii_case(key))
}

/// The first unknown field in `encoding/json` decode order (sorted keys,
/// depth first), as `DisallowUnknownFields` reports it.
fn first_unknown_field(v: &Value) -> Option<String> {
    let Value::Map(m) = v else { return None };
    for (k, val) in m {
        if !known(k, METADATA_FIELDS) {
            return Some(k.clone());
        }
        let nested = if k.eq_ignore_ascii_case("maintainers") {
            Some(MAINTAINER_FIELDS)
        } else if k.eq_ignore_ascii_case("dependencies") {
            Some(DEPENDENCY_FIELDS)
        } else {
            None
        };
        if let (Some(fields), Value::Seq(items)) = (nested, val) {
            for item in items {
                if let Value::Map(im) = item
                    && let Some(bad) = im.keys().find(|ik| !known(ik, fields))
                {
                    return Some(bad.clone());
                }
            }
        }
    }
    None
}

fn chartfile(dir: &Path, out: &mut HelmLint) {
    const FILE: &str = "Chart.yaml";
    let path = dir.join(FILE);
    if path.is_dir() {
        out.add(
            &r::chart_yaml_not_dir::RULE,
            FILE,
            "should be a file, not a directory",
        );
    }
    let text = match std::fs::read(&path) {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(e) => {
            let op = if path.is_dir() { "read" } else { "open" };
            out.add(
                &r::chart_yaml_parse::RULE,
                FILE,
                format!(
                    "unable to parse YAML\n\t{op} {}: {}",
                    path.display(),
                    os_reason(&e)
                ),
            );
            return;
        }
    };
    let raw = match chartkit_yaml::from_yaml_str(&text) {
        Ok(v) => v,
        Err(e) => {
            out.add(
                &r::chart_yaml_parse::RULE,
                FILE,
                format!("unable to parse YAML\n\t{e}"),
            );
            return;
        }
    };
    // The metadata as Helm decodes it: numbers in string fields become Go's text of the
    // number (`version: 72445e2` is "7.2445e+06"); `raw` keeps the YAML types for the type rules.
    let typed =
        chartkit_yaml::from_yaml_str_typed(&text, &chartkit_chart::metadata::is_string_field)
            .unwrap_or_else(|_| raw.clone());
    let mut md = Metadata::default();
    if let Err(e) = md.merge_from_value(&typed) {
        out.add(
            &r::chart_yaml_parse::RULE,
            FILE,
            format!("unable to parse YAML\n\terror unmarshaling JSON: while decoding JSON: {e}"),
        );
        return;
    }
    let duplicates = duplicate_keys(&text);
    if !duplicates.is_empty() {
        out.add(
            &r::chart_yaml_strict::RULE,
            FILE,
            format!(
                "failed to strictly parse chart metadata file\n\terror converting YAML to JSON: yaml: unmarshal errors:\n  {}",
                duplicates.join("\n  ")
            ),
        );
    } else if let Some(field) = first_unknown_field(&raw) {
        out.add(
            &r::chart_yaml_strict::RULE,
            FILE,
            format!(
                "failed to strictly parse chart metadata file\n\terror unmarshaling JSON: while decoding JSON: json: unknown field {}",
                go_quote(&field)
            ),
        );
    }
    let map = raw.as_map().cloned().unwrap_or_default();

    if md.name.is_empty() {
        out.add(&r::chart_name::RULE, FILE, "name is required");
    } else if go_base(&md.name) != md.name {
        out.add(
            &r::chart_name::RULE,
            FILE,
            format!("chart name {} is invalid", go_quote(&md.name)),
        );
    }
    if md.api_version.is_empty() {
        out.add(
            &r::chart_api_version::RULE,
            FILE,
            "apiVersion is required. The value must be either \"v1\" or \"v2\"",
        );
    } else if md.api_version != "v1" && md.api_version != "v2" {
        out.add(
            &r::chart_api_version::RULE,
            FILE,
            format!(
                "apiVersion '{}' is not valid. The value must be either \"v1\" or \"v2\"",
                md.api_version
            ),
        );
    }
    for (key, rule) in [("version", &r::chart_version_type::RULE)] {
        if let Some(v) = map.get(key)
            && !matches!(v, Value::String(_))
        {
            out.add(
                rule,
                FILE,
                format!(
                    "{key} should be of type string but it's of type {}",
                    go_type(v)
                ),
            );
        }
    }
    if let Some(msg) = check_version(&md.version) {
        out.add(&r::chart_version::RULE, FILE, msg);
    }
    if let Some(v) = map.get("appVersion")
        && !matches!(v, Value::String(_))
    {
        out.add(
            &r::chart_app_version_type::RULE,
            FILE,
            format!(
                "appVersion should be of type string but it's of type {}",
                go_type(v)
            ),
        );
    }
    for m in &md.maintainers {
        let msg = match m {
            None => Some("a maintainer entry is empty".to_string()),
            Some(m) if m.name.is_empty() => Some("each maintainer requires a name".to_string()),
            Some(m) if !m.email.is_empty() && !crate::validators::is_email(&m.email) => Some(
                format!("invalid email '{}' for maintainer '{}'", m.email, m.name),
            ),
            Some(m) if !m.url.is_empty() && !crate::validators::is_url(&m.url) => Some(format!(
                "invalid url '{}' for maintainer '{}'",
                m.url, m.name
            )),
            Some(_) => None,
        };
        if let Some(msg) = msg {
            out.add(&r::chart_maintainers::RULE, FILE, msg);
            break;
        }
    }
    if let Some(s) = md
        .sources
        .iter()
        .find(|s| s.is_empty() || !crate::validators::is_request_url(s))
    {
        out.add(
            &r::chart_sources::RULE,
            FILE,
            format!("invalid source URL '{s}'"),
        );
    }
    if md.icon.is_empty() {
        out.add(&r::chart_icon_present::RULE, FILE, "icon is recommended");
    }
    if !md.icon.is_empty() && !crate::validators::is_request_url(&md.icon) {
        out.add(
            &r::chart_icon_url::RULE,
            FILE,
            format!("invalid icon URL '{}'", md.icon),
        );
    }
    if !md.chart_type.is_empty() && md.api_version != "v2" {
        out.add(
            &r::chart_type_v2::RULE,
            FILE,
            format!(
                "chart type is not valid in apiVersion '{}'. It is valid in apiVersion 'v2'",
                md.api_version
            ),
        );
    }
    if md.dependencies.as_ref().is_some_and(|d| !d.is_empty()) && md.api_version != "v2" {
        out.add(
            &r::chart_dependencies_v2::RULE,
            FILE,
            format!(
                "dependencies are not valid in the Chart file with apiVersion '{}'. They are valid in apiVersion 'v2'",
                md.api_version
            ),
        );
    }
    if !crate::validators::is_strict_semver(&md.version) {
        out.add(
            &r::chart_version_semver_v2::RULE,
            FILE,
            format!("version '{}' is not a valid SemVerV2", md.version),
        );
    }
}

/// Helm's `validateChartVersion`.
/// go-yaml v2's strict-mode complaints about repeated mapping keys in the first document, in
/// document order: `line N: key "k" already set in map`.
fn duplicate_keys(text: &str) -> Vec<String> {
    fn walk(n: &chartkit_yaml::SpannedNode, out: &mut Vec<String>) {
        match &n.kind {
            chartkit_yaml::SpannedKind::Map(pairs) => {
                let mut seen: Vec<&str> = Vec::new();
                for (k, v) in pairs {
                    if let Some(key) = k.as_str() {
                        if seen.contains(&key) {
                            out.push(format!(
                                "line {}: key {} already set in map",
                                k.start.line,
                                go_quote(key)
                            ));
                        } else {
                            seen.push(key);
                        }
                    }
                    walk(v, out);
                }
            }
            chartkit_yaml::SpannedKind::Seq(items) => items.iter().for_each(|i| walk(i, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Ok(docs) = chartkit_yaml::parse_spanned(text)
        && let Some(first) = docs.first()
    {
        walk(first, &mut out);
    }
    out
}

/// Go's `filepath.Base` on Unix: the last element, trailing slashes dropped; `"/"` for a
/// path of slashes, `"."` for the empty path.
fn go_base(path: &str) -> &str {
    if path.is_empty() {
        return ".";
    }
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/";
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed)
}

fn check_version(v: &str) -> Option<String> {
    if v.is_empty() {
        return Some("version is required".into());
    }
    let Ok(parsed) = chartkit_chart::semver::Version::parse(v) else {
        return Some(format!("version '{v}' is not a valid SemVer"));
    };
    // `>0.0.0-0`: only 0.0.0-0 itself (and nothing lower exists) fails.
    let floor = chartkit_chart::semver::Version {
        major: 0,
        minor: 0,
        patch: 0,
        pre: "0".into(),
        metadata: String::new(),
        original: "0.0.0-0".into(),
    };
    if parsed.compare(&floor) != std::cmp::Ordering::Greater {
        let mut s = format!("{}.{}.{}", parsed.major, parsed.minor, parsed.patch);
        if !parsed.pre.is_empty() {
            s.push('-');
            s.push_str(&parsed.pre);
        }
        return Some(format!("version {s} is less than or equal to 0.0.0-0"));
    }
    None
}

// ---------------------------------------------------------------- values.yaml

/// Helm's `CoalesceTables(dst, src)` (no warnings): `src` fills `dst`.
pub(crate) fn coalesce_tables(dst: &mut Mapping, src: &Mapping) {
    let mut src = src.clone();
    for (k, v) in dst.iter() {
        if matches!(v, Value::Null) {
            src.insert(k.clone(), Value::Null);
        }
    }
    for (k, val) in src {
        match dst.get_mut(&k) {
            Some(Value::Null) => {
                dst.remove(&k);
            }
            None => {
                dst.insert(k, val);
            }
            Some(Value::Map(dm)) => {
                if let Value::Map(sm) = &val {
                    coalesce_tables(dm, sm);
                }
            }
            Some(_) => {}
        }
    }
}

fn values(dir: &Path, user: &Mapping, skip_schema: bool, out: &mut HelmLint) {
    const FILE: &str = "values.yaml";
    let path = dir.join(FILE);
    if !path.exists() {
        out.add(&r::values_file_exists::RULE, FILE, "file does not exist");
        return;
    }
    let data = match std::fs::read(&path) {
        Ok(d) => d,
        Err(e) => {
            out.add(
                &r::values_file_valid::RULE,
                FILE,
                format!(
                    "unable to parse YAML: read {}: {}",
                    path.display(),
                    os_reason(&e)
                ),
            );
            return;
        }
    };
    // Helm's lint reads values.yaml with `common.ReadValuesFile`: one sigs.k8s.io/yaml
    // Unmarshal into `common.Values` (not the loader's document-by-document merge).
    let vals = match chartkit_yaml::from_yaml_map(&String::from_utf8_lossy(&data)) {
        Ok(v) => v,
        Err(e) => {
            out.add(
                &r::values_file_valid::RULE,
                FILE,
                format!("unable to parse YAML: {e}").replace(
                    "Go value of type map[string]interface {}",
                    "Go value of type common.Values",
                ),
            );
            return;
        }
    };
    let mut merged = user.clone();
    coalesce_tables(&mut merged, &vals);
    let schema = std::fs::read(dir.join("values.schema.json")).unwrap_or_default();
    if schema.is_empty() || skip_schema {
        return;
    }
    if let Err(msg) = chartkit_chart::schema::validate_single(&merged, &schema) {
        out.add(&r::values_file_valid::RULE, FILE, msg);
    }
}

// ---------------------------------------------------------------- templates

fn templates(dir: &Path, user: &Mapping, settings: &RenderSettings, out: &mut HelmLint) {
    const DIR: &str = "templates/";
    let tdir = dir.join("templates");
    if !tdir.exists() {
        out.add(
            &r::templates_dir_exists::RULE,
            DIR,
            "directory does not exist",
        );
        return;
    }
    if !tdir.is_dir() {
        out.add(&r::templates_dir_valid::RULE, DIR, "not a directory");
        return;
    }
    let chart = match chartkit_chart::loader::load_dir_v2(dir, &mut out.logs) {
        Ok(c) => c,
        Err(e) => {
            out.add(&r::chart_load::RULE, DIR, e.to_string());
            return;
        }
    };
    out.chart = Some(chart.clone());
    let mut logs = Vec::new();
    let rendered = crate::render::render_for_lint(&chart, user, settings, &mut logs);
    out.logs.extend(logs);
    let rendered = match rendered {
        Ok(r) => r,
        Err(RenderFailure::Silent(_)) => return,
        Err(RenderFailure::Schema(m)) => {
            out.add(&r::values_render::RULE, DIR, m);
            return;
        }
        Err(RenderFailure::Template { message, .. }) => {
            out.add(&r::template_render::RULE, DIR, message);
            return;
        }
        Err(RenderFailure::KubeVersion(m)) => {
            out.add(&r::template_render::RULE, DIR, m);
            return;
        }
    };
    let kube = settings
        .kube_version
        .as_deref()
        .and_then(crate::kube::parse_kube_version)
        .unwrap_or(crate::kube::DEFAULT_KUBE_VERSION);
    let chart_name = chart.name().to_string();
    let mut stop = false;
    for t in &chart.templates {
        if stop {
            break;
        }
        let file = t.name.as_str();
        let ext = extension(file);
        if !matches!(ext, ".yaml" | ".yml" | ".tpl" | ".txt") {
            out.add(
                &r::template_extension::RULE,
                file,
                format!(
                    "file extension '{ext}' not valid. Valid extensions are .yaml, .yml, .tpl, or .txt"
                ),
            );
        }
        let lower = ext.to_ascii_lowercase();
        if lower != ".yaml" && lower != ".yml" {
            continue;
        }
        let key = format!("{chart_name}/{file}");
        let Some(content) = rendered.files.get(&key) else {
            continue;
        };
        if content.trim().is_empty() {
            continue;
        }
        if let Some(line) = content.lines().find(|l| !l.trim().is_empty())
            && (line.starts_with(' ') || line.starts_with('\t'))
        {
            out.add(
                &r::template_top_indent::RULE,
                file,
                format!(
                    "document starts with an illegal indent: {}, which may cause parsing problems",
                    go_quote(line)
                ),
            );
        }
        for doc in k8s_yaml_documents(content) {
            let head = match doc {
                Err((msg, offset)) => {
                    out.add(
                        &r::template_yaml_parse::RULE,
                        file,
                        format!("unable to parse YAML: {msg}"),
                    );
                    if let Some(m) = out.messages.last_mut() {
                        m.rendered = Some((key.clone(), offset));
                    }
                    stop = true;
                    break;
                }
                Ok(None) => continue,
                Ok(Some(h)) => h,
            };
            let before = out.messages.len();
            if let Some(msg) = crate::validators::metadata_name_error(&head.kind, &head.name) {
                out.add(
                    &r::metadata_name::RULE,
                    file,
                    format!(
                        "object name does not conform to Kubernetes naming requirements: {}: {msg}",
                        go_quote(&head.name)
                    ),
                );
            }
            if let Some(msg) =
                crate::kube::deprecations::deprecation_message(&head.api_version, &head.kind, kube)
            {
                out.add(&r::deprecated_api::RULE, file, msg);
            }
            if matches!(
                head.kind.as_str(),
                "Deployment" | "ReplicaSet" | "DaemonSet" | "StatefulSet"
            ) && !content.contains("matchLabels")
                && !content.contains("matchExpressions")
            {
                out.add(
                    &r::workload_selector_present::RULE,
                    file,
                    format!(
                        "a {} must contain matchLabels or matchExpressions, and {} does not",
                        head.kind,
                        go_quote(&head.name)
                    ),
                );
            }
            if head.kind == "List" && list_has_resource_policy(content) {
                out.add(
                    &r::list_resource_policy::RULE,
                    file,
                    "annotation 'helm.sh/resource-policy' within List objects are ignored",
                );
            }
            for m in &mut out.messages[before..] {
                m.rendered = Some((key.clone(), head.offset));
            }
        }
    }
    out.render = Some(rendered);
}

fn extension(name: &str) -> &str {
    let base = name.rsplit('/').next().unwrap_or(name);
    base.rfind('.').map_or("", |i| &base[i..])
}

/// What Helm reads of each document (`k8sYamlStruct`).
pub(crate) struct Head {
    pub api_version: String,
    pub kind: String,
    pub name: String,
    /// Byte offset of the document in the rendered text.
    pub offset: usize,
}

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

fn head_of(v: &Value, offset: usize) -> Result<Option<Head>, String> {
    let wrap = |m: String| format!("error unmarshaling JSON: while decoding JSON: {m}");
    let m = match v {
        Value::Null => return Ok(None),
        Value::Map(m) => m,
        other => {
            return Err(wrap(format!(
                "json: cannot unmarshal {} into Go value of type rules.k8sYamlStruct",
                json_kind(other)
            )));
        }
    };
    let field = |m: &Mapping, want: &str| -> Option<(String, Value)> {
        m.get(want)
            .map(|v| (want.to_string(), v.clone()))
            .or_else(|| {
                m.iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(want))
                    .map(|(k, v)| (k.clone(), v.clone()))
            })
    };
    let string = |v: Option<(String, Value)>, strukt: &str, path: &str| -> Result<String, String> {
        match v {
            None | Some((_, Value::Null)) => Ok(String::new()),
            Some((_, Value::String(s))) => Ok(s),
            Some((_, other)) => Err(wrap(format!(
                "json: cannot unmarshal {} into Go struct field {strukt}.{path} of type string",
                json_kind(&other)
            ))),
        }
    };
    let api_version = string(field(m, "apiVersion"), "k8sYamlStruct", "apiVersion")?;
    let kind = string(field(m, "Kind"), "k8sYamlStruct", "Kind")?;
    let name = match field(m, "Metadata") {
        None | Some((_, Value::Null)) => String::new(),
        Some((_, Value::Map(md))) => string(field(&md, "Name"), "k8sYamlMetadata", "Metadata.Name")
            .and_then(|n| {
                string(
                    field(&md, "Namespace"),
                    "k8sYamlMetadata",
                    "Metadata.Namespace",
                )
                .map(|_| n)
            })?,
        Some((_, other)) => {
            return Err(wrap(format!(
                "json: cannot unmarshal {} into Go struct field k8sYamlStruct.Metadata of type rules.k8sYamlMetadata",
                json_kind(&other)
            )));
        }
    };
    Ok(Some(Head {
        api_version,
        kind,
        name,
        offset,
    }))
}

/// Kubernetes' `YAMLReader` + `yaml.Unmarshal` into Helm's `k8sYamlStruct`:
/// documents split at lines starting with `---`, each decoded on its own
/// (error line numbers count from the document's first line).
pub(crate) fn k8s_yaml_documents(text: &str) -> Vec<Result<Option<Head>, (String, usize)>> {
    let mut out = Vec::new();
    let mut buf_start: Option<usize> = None;
    let mut offset = 0;
    let flush = |start: Option<usize>, end: usize, out: &mut Vec<_>| {
        if let Some(s) = start {
            let chunk = &text[s..end];
            let res = match chartkit_yaml::from_yaml_str(chunk) {
                Ok(v) => head_of(&v, s).map_err(|m| (m, s)),
                Err(e) => Err((e.to_string(), s)),
            };
            out.push(res);
        }
    };
    for line in text.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix("---") {
            let trimmed = rest.trim();
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                flush(buf_start.take(), offset, &mut out);
                out.push(Err((
                    format!("invalid Yaml document separator: {trimmed}"),
                    offset,
                )));
                return out;
            }
            flush(buf_start.take(), offset, &mut out);
            offset += line.len();
            continue;
        }
        if buf_start.is_none() {
            buf_start = Some(offset);
        }
        offset += line.len();
    }
    flush(buf_start.take(), text.len(), &mut out);
    // Stop after the first error, as Helm does.
    if let Some(i) = out.iter().position(Result::is_err) {
        out.truncate(i + 1);
    }
    out
}

fn list_has_resource_policy(content: &str) -> bool {
    let Ok(v) = chartkit_yaml::from_yaml_str(content) else {
        return false;
    };
    v.as_map()
        .and_then(|m| m.get("items"))
        .and_then(|i| match i {
            Value::Seq(items) => Some(items),
            _ => None,
        })
        .is_some_and(|items| {
            items.iter().any(|it| {
                it.as_map()
                    .and_then(|m| m.get("metadata"))
                    .and_then(Value::as_map)
                    .and_then(|m| m.get("annotations"))
                    .and_then(Value::as_map)
                    .is_some_and(|a| a.contains_key("helm.sh/resource-policy"))
            })
        })
}

// ---------------------------------------------------------------- dependencies

fn dependencies(dir: &Path, out: &mut HelmLint) {
    let chart = match chartkit_chart::loader::load_dir_v2(dir, &mut out.logs) {
        Ok(c) => c,
        Err(e) => {
            out.add(
                &r::dependencies_load::RULE,
                "",
                format!("unable to load chart\n\t{e}"),
            );
            return;
        }
    };
    let path = dir.display().to_string();
    let declared: Vec<&chartkit_chart::Dependency> = chart
        .metadata
        .dependencies
        .iter()
        .flatten()
        .flatten()
        .collect();
    let missing_meta: Vec<&str> = chart
        .dependencies
        .iter()
        .map(|d| d.metadata.name.as_str())
        .filter(|n| !declared.iter().any(|d| d.name == *n))
        .collect();
    if !missing_meta.is_empty() {
        out.add(
            &r::dependency_in_metadata::RULE,
            &path,
            format!(
                "chart metadata is missing these dependencies: {}",
                missing_meta.join(",")
            ),
        );
    }
    let mut seen: Vec<&str> = Vec::new();
    let mut shadowing = Vec::new();
    for d in &declared {
        let key = if d.alias.is_empty() {
            d.name.as_str()
        } else {
            d.alias.as_str()
        };
        if seen.contains(&key) {
            shadowing.push(key);
        }
        seen.push(key);
    }
    if !shadowing.is_empty() {
        out.add(
            &r::dependencies_unique::RULE,
            &path,
            format!(
                "multiple dependencies with name or alias: {}",
                shadowing.join(",")
            ),
        );
    }
    let missing_dir: Vec<&str> = declared
        .iter()
        .map(|d| d.name.as_str())
        .filter(|n| !chart.dependencies.iter().any(|c| c.metadata.name == *n))
        .collect();
    if !missing_dir.is_empty() {
        out.add(
            &r::dependency_in_charts_dir::RULE,
            &path,
            format!(
                "chart directory is missing these dependencies: {}",
                missing_dir.join(",")
            ),
        );
    }
}

// ---------------------------------------------------------------- crds

fn crds(dir: &Path, out: &mut HelmLint) {
    const DIR: &str = "crds/";
    let cdir = dir.join("crds");
    if !cdir.exists() {
        return;
    }
    if !cdir.is_dir() {
        out.add(&r::crds_dir::RULE, DIR, "not a directory");
        return;
    }
    let chart = match chartkit_chart::loader::load_dir_v2(dir, &mut out.logs) {
        Ok(c) => c,
        Err(e) => {
            out.add(&r::chart_load::RULE, DIR, e.to_string());
            return;
        }
    };
    for (_, f) in chart.crd_objects() {
        let text = String::from_utf8_lossy(&f.data);
        for doc in k8s_yaml_documents(&text) {
            match doc {
                Err((msg, _)) => {
                    out.add(
                        &r::crd_yaml_parse::RULE,
                        &f.name,
                        format!("unable to parse YAML: {msg}"),
                    );
                    return;
                }
                Ok(None) => {}
                Ok(Some(h)) => {
                    if !h.api_version.starts_with("apiextensions.k8s.io") {
                        out.add(
                            &r::crd_api_version::RULE,
                            &f.name,
                            "apiVersion is not in 'apiextensions.k8s.io'",
                        );
                    }
                    if h.kind != "CustomResourceDefinition" {
                        out.add(
                            &r::crd_kind::RULE,
                            &f.name,
                            "object kind is not 'CustomResourceDefinition'",
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn chart_names_are_checked_like_go_filepath_base() {
        for (name, base) in [
            ("db", "db"),
            (".", "."),
            ("..", ".."),
            ("a/b", "b"),
            ("db/", "db"),
            ("/", "/"),
            ("//", "/"),
        ] {
            assert_eq!(super::go_base(name), base, "{name}");
        }
    }

    use super::*;

    #[test]
    fn k8s_documents() {
        let docs = k8s_yaml_documents(
            "a: 1\n---\n# only a comment\n---\nkind: Service\nmetadata:\n  name: x\n",
        );
        assert_eq!(docs.len(), 3);
        assert!(matches!(docs[1], Ok(None)));
        let Ok(Some(h)) = &docs[2] else { panic!() };
        assert_eq!((h.kind.as_str(), h.name.as_str()), ("Service", "x"));
        let bad = k8s_yaml_documents("kind: A\n---\nfoo: [\n");
        assert!(
            bad[1]
                .as_ref()
                .is_err_and(|(m, _)| m.starts_with("error converting YAML to JSON: yaml: line 1"))
        );
        let sep = k8s_yaml_documents("---x\n");
        assert_eq!(
            sep[0].as_ref().err().map(|e| e.0.as_str()),
            Some("invalid Yaml document separator: x")
        );
    }

    #[test]
    fn coalesce_like_helm() {
        let mut user: Mapping = chartkit_yaml::from_yaml_map("a: null\nb: {c: 1}\n").unwrap();
        let vals: Mapping = chartkit_yaml::from_yaml_map("a: 1\nb: {c: 2, d: 3}\ne: 4\n").unwrap();
        coalesce_tables(&mut user, &vals);
        assert!(!user.contains_key("a"));
        assert_eq!(
            chartkit_yaml::to_yaml(&Value::Map(user)).unwrap(),
            "b:\n  c: 1\n  d: 3\ne: 4\n"
        );
    }

    #[test]
    fn versions() {
        assert_eq!(check_version(""), Some("version is required".into()));
        assert_eq!(
            check_version("latest"),
            Some("version 'latest' is not a valid SemVer".into())
        );
        assert_eq!(check_version("1.2"), None);
    }
}
