//! Rendering a chart the way `helm lint` does: release `test-release`,
//! revision 0, neither install nor upgrade, default capabilities (with the
//! `--kube-version` override), and the engine's lint mode, where
//! `required` and `fail` log instead of failing.
//!
//! Lint mode is injected as different functions, not as a flag: every
//! call of `required`/`fail` in the chart's templates is renamed (same
//! length, so error positions do not move) to functions that log. The
//! renaming is token-aware: only function identifiers inside actions are
//! touched, never field names, variables, strings or comments.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use chartkit_chart::{Chart, LogRecord, Mapping};
use chartkit_gotemplate::{Func, FuncMap, GoType, Map, Signature, Value};
use chartkit_render::{Capabilities, KubeVersion};

/// Same-length stand-ins for `required` and `fail`.
const REQUIRED_LINT: &str = "_lintreq";
const FAIL_LINT: &str = "_lnf";

/// How to render.
#[derive(Clone, Debug)]
pub struct RenderSettings {
    /// `.Release.Name` (Helm's lint uses `test-release`).
    pub release_name: String,
    /// `.Release.Namespace`.
    pub namespace: String,
    /// `--kube-version`.
    pub kube_version: Option<String>,
    /// Extra `.Capabilities.APIVersions`.
    pub api_versions: Vec<String>,
    /// `--skip-schema-validation`.
    pub skip_schema_validation: bool,
}

impl Default for RenderSettings {
    fn default() -> Self {
        RenderSettings {
            release_name: "test-release".into(),
            namespace: "default".into(),
            kube_version: None,
            api_versions: Vec::new(),
            skip_schema_validation: false,
        }
    }
}

/// A rendered chart.
#[derive(Debug)]
pub struct LintRender {
    /// The chart after dependency processing.
    pub chart: Chart,
    /// The root chart's values.
    pub values: Mapping,
    /// Rendered text by template name (`chart/templates/x.yaml`).
    pub files: BTreeMap<String, String>,
    /// Template sources by template name, as rendered.
    pub sources: BTreeMap<String, String>,
}

/// Why rendering stopped, in Helm lint's terms.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RenderFailure {
    /// Dependency processing or coalescing failed: `helm lint` silently
    /// skips the template checks.
    #[error("{0}")]
    Silent(String),
    /// Values do not meet the schema (reported on `templates/`).
    #[error("{0}")]
    Schema(String),
    /// The template engine failed (reported on `templates/`).
    #[error("{message}")]
    Template {
        /// Helm's message.
        message: String,
        /// Template name and 1-based line/column, when known.
        location: Option<(String, usize, usize)>,
    },
    /// `--kube-version` does not parse.
    #[error("{0}")]
    KubeVersion(String),
}

/// Renames function identifiers `required`/`fail` in the actions of a
/// template text. Returns the text unchanged when neither occurs.
pub fn rename_lint_funcs(src: &str) -> String {
    if !src.contains("required") && !src.contains("fail") {
        return src.to_string();
    }
    let b = src.as_bytes();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    let mut last = 0;
    while i < b.len() {
        if !(b[i] == b'{' && b.get(i + 1) == Some(&b'{')) {
            i += 1;
            continue;
        }
        i += 2;
        // Inside an action until `}}`.
        while i < b.len() {
            let c = b[i];
            if c == b'}' && b.get(i + 1) == Some(&b'}') {
                i += 2;
                break;
            }
            match c {
                b'"' => {
                    i += 1;
                    while i < b.len() && b[i] != b'"' && b[i] != b'\n' {
                        if b[i] == b'\\' {
                            i += 1;
                        }
                        i += 1;
                    }
                    i += 1;
                }
                b'`' => {
                    i += 1;
                    while i < b.len() && b[i] != b'`' {
                        i += 1;
                    }
                    i += 1;
                }
                b'\'' => {
                    i += 1;
                    while i < b.len() && b[i] != b'\'' && b[i] != b'\n' {
                        if b[i] == b'\\' {
                            i += 1;
                        }
                        i += 1;
                    }
                    i += 1;
                }
                b'/' if b.get(i + 1) == Some(&b'*') => {
                    i += 2;
                    while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                        i += 1;
                    }
                    i += 2;
                }
                c if c.is_ascii_alphabetic() || c == b'_' => {
                    let start = i;
                    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                        i += 1;
                    }
                    let prev = if start > 0 { b[start - 1] } else { b' ' };
                    let is_func = prev != b'.' && prev != b'$';
                    let word = &src[start..i];
                    let repl = match word {
                        "required" if is_func => Some(REQUIRED_LINT),
                        "fail" if is_func => Some(FAIL_LINT),
                        _ => None,
                    };
                    if let Some(r) = repl {
                        out.push_str(&src[last..start]);
                        out.push_str(r);
                        last = i;
                    }
                }
                _ => i += 1,
            }
        }
    }
    out.push_str(&src[last.min(src.len())..]);
    out
}

/// Puts the original names back into an error message.
fn restore_names(msg: &str) -> String {
    msg.replace(REQUIRED_LINT, "required")
        .replace(FAIL_LINT, "fail")
}

/// The lint-mode functions, logging into `logs`.
fn lint_funcs(logs: &Arc<Mutex<Vec<LogRecord>>>) -> FuncMap {
    use GoType::{Any, String as Str};
    let mut funcs = FuncMap::new();
    let l = Arc::clone(logs);
    funcs.insert(
        REQUIRED_LINT,
        Func::pure(Signature::fixed(&[Str, Any]), move |args| {
            let warn = args
                .first()
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let val = args.get(1).cloned().unwrap_or_default();
            let missing = match &val {
                Value::Nil => Some("missing required value"),
                Value::String(s) if s.is_empty() => Some("missing required values"),
                _ => None,
            };
            match missing {
                Some(what) => {
                    // Invariant: the lock is never held across a call.
                    let mut g = l.lock().unwrap_or_else(|e| e.into_inner());
                    g.push(LogRecord::warn(what, &[("message", warn)]));
                    Ok(Value::string(""))
                }
                None => Ok(val),
            }
        }),
    );
    let l = Arc::clone(logs);
    funcs.insert(
        FAIL_LINT,
        Func::pure(Signature::fixed(&[Str]), move |args| {
            let msg = args
                .first()
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let mut g = l.lock().unwrap_or_else(|e| e.into_inner());
            let mut rec = LogRecord::info("funcMap fail");
            rec.attrs.push(("message".into(), msg));
            g.push(rec);
            Ok(Value::string(""))
        }),
    );
    funcs
}

/// `.Release` as Helm's lint builds it.
fn release_value(settings: &RenderSettings) -> Value {
    let m = Map::new();
    m.insert("Name", Value::string(settings.release_name.as_str()));
    m.insert("Namespace", Value::string(settings.namespace.as_str()));
    m.insert("IsUpgrade", Value::Bool(false));
    m.insert("IsInstall", Value::Bool(false));
    m.insert("Revision", Value::Int(0));
    m.insert("Service", Value::string("Helm"));
    Value::Map(m)
}

fn rename_tree(chart: &mut Chart) {
    for t in &mut chart.templates {
        if let Ok(text) = std::str::from_utf8(&t.data) {
            let renamed = rename_lint_funcs(text);
            if renamed.len() == t.data.len() && renamed.as_bytes() != t.data.as_slice() {
                t.data = renamed.into_bytes();
            }
        }
    }
    for d in &mut chart.dependencies {
        rename_tree(d);
    }
}

fn collect_sources(chart: &Chart, out: &mut BTreeMap<String, String>) {
    for (path, c) in chart.walk() {
        for t in &c.templates {
            out.insert(
                format!("{path}/{}", t.name),
                String::from_utf8_lossy(&t.data).into_owned(),
            );
        }
    }
}

/// Renders `chart` (as loaded, before dependency processing) with the
/// user's values, in lint mode. Log lines go to `logs`.
pub fn render_for_lint(
    chart: &Chart,
    user_values: &Mapping,
    settings: &RenderSettings,
    logs: &mut Vec<LogRecord>,
) -> Result<LintRender, RenderFailure> {
    let mut caps = Capabilities::default();
    if let Some(v) = &settings.kube_version {
        caps.kube_version = KubeVersion::parse(v)
            .map_err(|e| RenderFailure::KubeVersion(format!("invalid kube version '{v}': {e}")))?;
    }
    caps.api_versions
        .extend(settings.api_versions.iter().cloned());

    let mut chart = chart.clone();
    chartkit_chart::dependencies::process_dependencies(&mut chart, user_values, logs)
        .map_err(|e| RenderFailure::Silent(e.to_string()))?;
    // Helm's lint coalesces twice (`CoalesceValues`, then again inside
    // `ToRenderValuesWithSchemaValidation`): nulls among the chart's own
    // defaults thereby delete their keys before schema validation. Only the
    // second pass's warnings reach Helm's output.
    let cvals = chartkit_chart::values::coalesce_values_for(&chart, user_values, &mut Vec::new())
        .map_err(|e| RenderFailure::Silent(e.to_string()))?;
    let values = chartkit_chart::to_render_values(
        &chart,
        &cvals,
        settings.skip_schema_validation,
        logs,
    )
    .map_err(|e| match e {
        chartkit_chart::RenderValuesError::Schema(_) => RenderFailure::Schema(e.to_string()),
        other => RenderFailure::Silent(other.to_string()),
    })?;

    let mut sources = BTreeMap::new();
    collect_sources(&chart, &mut sources);
    let mut lint_chart = chart.clone();
    rename_tree(&mut lint_chart);
    let root = chartkit_render::template::chart_node(&lint_chart, true);
    let values_v = chartkit_sprig::convert::from_data(chartkit_yaml::Value::Map(values.clone()));
    let shared_logs = Arc::new(Mutex::new(Vec::new()));
    let mut funcs = FuncMap::new();
    funcs.extend(chartkit_sprig::sprig_funcs());
    funcs.extend(chartkit_sprig::helm_funcs());
    funcs.extend(lint_funcs(&shared_logs));
    let result = chartkit_render::engine::render(
        &root,
        &values_v,
        &release_value(settings),
        &caps.to_value(),
        &funcs,
    );
    logs.extend(
        shared_logs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .drain(..),
    );
    let files = result.map_err(|e| {
        let te = e.template_error();
        let location = (te.line > 0).then(|| (te.template.clone(), te.line, te.col));
        RenderFailure::Template {
            message: restore_names(&e.to_string()),
            location,
        }
    })?;
    Ok(LintRender {
        chart,
        values,
        files,
        sources,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renames_only_function_identifiers() {
        let src = "a {{ required \"required x\" .Values.required }} {{ $fail := 1 }}{{ fail `fail` }}\n{{/* required */}}{{- .fail | required \"m\" -}} required";
        let out = rename_lint_funcs(src);
        assert_eq!(out.len(), src.len());
        assert_eq!(
            out,
            "a {{ _lintreq \"required x\" .Values.required }} {{ $fail := 1 }}{{ _lnf `fail` }}\n{{/* required */}}{{- .fail | _lintreq \"m\" -}} required"
        );
    }

    #[test]
    fn untouched_without_calls() {
        assert_eq!(
            rename_lint_funcs("x: {{ .Values.x }}"),
            "x: {{ .Values.x }}"
        );
    }
}
