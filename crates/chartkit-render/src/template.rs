//! The whole of `helm template`: load the chart, build values, render,
//! sort and print — every step in Helm's order, so the first error a chart
//! has is the one Helm reports.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::rc::Rc;

use chartkit_chart::{Chart, LogRecord, Mapping, ValueOptions};
use chartkit_gotemplate::{FuncMap, Map, Value};

use crate::capabilities::{Capabilities, KubeVersion};
use crate::engine::{self, ChartNode};
use crate::files::Files;
use crate::output::{self, OutputOptions, Release};

/// Everything `helm template` takes.
#[derive(Clone, Debug, Default)]
pub struct TemplateRequest {
    pub release_name: String,
    pub chart: PathBuf,
    pub namespace: String,
    pub values: ValueOptions,
    pub kube_version: Option<String>,
    pub api_versions: Vec<String>,
    pub is_upgrade: bool,
    pub skip_schema_validation: bool,
    /// `--render-subchart-notes`.
    pub subchart_notes: bool,
    pub output: OutputOptions,
    /// `--release-name`: with `--output-dir`, write under `<dir>/<release>`.
    pub release_name_dir: bool,
}

/// What a run printed: stdout, log lines for stderr, and the error Helm
/// would print after `Error: `, if any.
#[derive(Clone, Debug, Default)]
pub struct TemplateOutcome {
    pub stdout: String,
    pub warnings: Vec<String>,
    pub error: Option<String>,
}

/// A rendered release and what it was rendered from, for callers that go
/// on to lint or post-process it.
#[derive(Debug)]
pub struct Rendered {
    /// The chart after dependency processing.
    pub chart: Chart,
    /// The root chart's coalesced values.
    pub values: Mapping,
    /// Rendered text by template path (`chart/templates/x.yaml`), NOTES included.
    pub files: BTreeMap<String, String>,
    pub release: Release,
}

/// Why a render failed, with Helm's text in `message`. `after_release` is
/// true when Helm had created the release object already, which makes
/// `helm template` append its `--debug` hint.
#[derive(Clone, Debug, thiserror::Error)]
#[error("{message}")]
pub struct TemplateFailure {
    pub message: String,
    pub after_release: bool,
    /// The template error behind it, when there is one.
    pub template_error: Option<Box<chartkit_gotemplate::Error>>,
}

impl TemplateFailure {
    fn before(message: impl ToString) -> Self {
        TemplateFailure {
            message: message.to_string(),
            after_release: false,
            template_error: None,
        }
    }

    fn after(message: impl ToString) -> Self {
        TemplateFailure {
            message: message.to_string(),
            after_release: true,
            template_error: None,
        }
    }
}

/// Runs `helm template` and returns what it prints.
pub fn run(req: &TemplateRequest) -> TemplateOutcome {
    run_with(req, &mut |_| Ok(Vec::new()))
}

/// [`run`], with `post` applied to the rendered release before it is
/// printed (chartkit's engine-plugin pass). `post` returns warnings for
/// stderr, or the error to print after `Error: `.
pub fn run_with(
    req: &TemplateRequest,
    post: &mut dyn FnMut(&mut Rendered) -> Result<Vec<String>, String>,
) -> TemplateOutcome {
    let mut logs = Vec::new();
    let mut post_warnings = Vec::new();
    let result = render_release(req, &mut logs).and_then(|mut rendered| {
        post_warnings = post(&mut rendered).map_err(TemplateFailure::before)?;
        let mut opts = req.output.clone();
        if req.release_name_dir {
            opts.release_name_dir = Some(req.release_name.clone());
        }
        // `helm template` reports these itself, without the --debug hint.
        output::template_output(&rendered.release, &opts).map_err(TemplateFailure::before)
    });
    let mut warnings: Vec<String> = logs.iter().map(ToString::to_string).collect();
    warnings.extend(post_warnings);
    match result {
        Ok(stdout) => TemplateOutcome {
            stdout,
            warnings,
            error: None,
        },
        Err(f) => {
            let error = if f.after_release {
                format!(
                    "{}\n\nUse --debug flag to render out invalid YAML",
                    f.message
                )
            } else {
                f.message
            };
            TemplateOutcome {
                stdout: String::new(),
                warnings,
                error: Some(error),
            }
        }
    }
}

/// Loads, prepares, renders and sorts a release. Log lines Helm would
/// print go to `logs`.
pub fn render_release(
    req: &TemplateRequest,
    logs: &mut Vec<LogRecord>,
) -> Result<Rendered, TemplateFailure> {
    let mut caps = Capabilities::default();
    if let Some(v) = &req.kube_version {
        caps.kube_version = KubeVersion::parse(v)
            .map_err(|e| TemplateFailure::before(format!("invalid kube version '{v}': {e}")))?;
    }
    caps.api_versions.extend(req.api_versions.iter().cloned());

    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let chart_path =
        chartkit_chart::locate(&req.chart).map_err(|e| TemplateFailure::before(e.to_string()))?;
    let user_values = req.values.merge(&cwd).map_err(TemplateFailure::before)?;
    let mut chart = match chartkit_chart::load_logged(&chart_path, logs) {
        Ok(chart) => chart,
        Err(chartkit_chart::LoadError::V3Chart(chart)) => {
            return Err(TemplateFailure::before(chartkit_chart::refuse_v3_chart(
                &chart, logs,
            )));
        }
        Err(e) => return Err(TemplateFailure::before(e)),
    };

    chartkit_chart::prepare_chart(&mut chart, &user_values, logs)
        .map_err(TemplateFailure::before)?;

    if let Err(e) = validate_release_name(&req.release_name) {
        logs.push(LogRecord {
            level: chartkit_chart::Level::Error,
            msg: "release name check failed".into(),
            attrs: vec![("error".into(), e.clone())],
        });
        return Err(TemplateFailure::before(format!(
            "release name check failed: {e}"
        )));
    }

    let values =
        chartkit_chart::to_render_values(&chart, &user_values, req.skip_schema_validation, logs)
            .map_err(TemplateFailure::before)?;

    if !chart.metadata.kube_version.is_empty()
        && !chartkit_chart::semver::is_compatible_range(
            &chart.metadata.kube_version,
            &caps.kube_version.normalized,
        )
    {
        return Err(TemplateFailure::after(format!(
            "chart requires kubeVersion: {} which is incompatible with Kubernetes {}",
            chart.metadata.kube_version, caps.kube_version.version
        )));
    }

    let files = render_templates(&chart, &values, req, &caps)?;

    let crds = chart
        .crd_objects()
        .into_iter()
        .map(|(name, f)| (name, String::from_utf8_lossy(&f.data).into_owned()))
        .collect();
    let (mut release, skipped_hooks) = output::assemble(files.clone(), chart.name(), crds)
        .map_err(|e| TemplateFailure {
            message: e.to_string(),
            after_release: true,
            template_error: None,
        })?;
    for hook_types in skipped_hooks {
        logs.push(LogRecord {
            level: chartkit_chart::Level::Info,
            msg: "skipping unknown hooks".into(),
            attrs: vec![("hookTypes".into(), hook_types)],
        });
    }
    if req.subchart_notes {
        release.notes = subchart_notes(&files);
    }
    Ok(Rendered {
        chart,
        values,
        files,
        release,
    })
}

/// All NOTES.txt texts, joined by newlines, as `--render-subchart-notes` does.
fn subchart_notes(files: &BTreeMap<String, String>) -> String {
    files
        .iter()
        .filter(|(k, _)| k.ends_with("NOTES.txt"))
        .map(|(_, v)| v.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Helm's `ValidateReleaseName` (as `availableName` words it).
fn validate_release_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err(format!("release name {name:?}: no name provided"));
    }
    if name.len() <= 53 && is_dns1123_label_like(name) {
        Ok(())
    } else {
        Err(format!(
            "release name {name:?}: invalid release name, must match regex ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ and the length must not be longer than 53"
        ))
    }
}

/// `^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`
fn is_dns1123_label_like(name: &str) -> bool {
    name.split('.').all(|label| {
        let b = label.as_bytes();
        !b.is_empty()
            && b.iter()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
            && b[0] != b'-'
            && b[b.len() - 1] != b'-'
    })
}

/// Renders the templates of the processed chart tree.
fn render_templates(
    chart: &Chart,
    values: &Mapping,
    req: &TemplateRequest,
    caps: &Capabilities,
) -> Result<BTreeMap<String, String>, TemplateFailure> {
    let release = release_value(req);
    let root = chart_node(chart, true);
    let values = chartkit_sprig::convert::from_data(chartkit_yaml::Value::Map(values.clone()));
    let mut funcs = FuncMap::new();
    funcs.extend(chartkit_sprig::sprig_funcs());
    funcs.extend(chartkit_sprig::helm_funcs());
    engine::render(&root, &values, &release, &caps.to_value(), &funcs).map_err(|e| {
        TemplateFailure {
            message: e.to_string(),
            after_release: true,
            template_error: Some(Box::new(e.template_error().clone())),
        }
    })
}

/// `.Release` for `helm template`.
fn release_value(req: &TemplateRequest) -> Value {
    let m = Map::new();
    m.insert("Name", Value::string(req.release_name.as_str()));
    m.insert("Namespace", Value::string(req.namespace.as_str()));
    m.insert("IsUpgrade", Value::Bool(req.is_upgrade));
    m.insert("IsInstall", Value::Bool(!req.is_upgrade));
    m.insert("Revision", Value::Int(1));
    m.insert("Service", Value::string("Helm"));
    Value::Map(m)
}

/// The engine's view of a chart and its (processed) dependencies.
pub fn chart_node(chart: &Chart, is_root: bool) -> ChartNode {
    ChartNode {
        name: chart.name().to_string(),
        metadata: metadata_map(chart, is_root),
        is_library: chart.is_library(),
        files: Files::new(
            chart
                .files
                .iter()
                .map(|f| (f.name.clone(), Rc::from(f.data.as_slice()))),
        ),
        templates: chart
            .templates
            .iter()
            .map(|f| {
                (
                    f.name.clone(),
                    String::from_utf8_lossy(&f.data).into_owned(),
                )
            })
            .collect(),
        dependencies: chart
            .dependencies
            .iter()
            .map(|d| chart_node(d, false))
            .collect(),
    }
}

/// `.Chart`: Helm v4's `structToMap(metadata)` with Go field names.
fn metadata_map(chart: &Chart, is_root: bool) -> Map {
    let md = &chart.metadata;
    let s = |v: &str| Value::string(v);
    let strings = |v: &[String]| Value::list(v.iter().map(|x| s(x)).collect());
    let m = Map::new();
    m.insert("Name", s(&md.name));
    m.insert("Home", s(&md.home));
    m.insert("Sources", strings(&md.sources));
    m.insert("Version", s(&md.version));
    m.insert("Description", s(&md.description));
    m.insert("Keywords", strings(&md.keywords));
    m.insert(
        "Maintainers",
        Value::list(
            md.maintainers
                .iter()
                .map(|mt| match mt {
                    Some(mt) => Value::Map(
                        [("Name", &mt.name), ("Email", &mt.email), ("URL", &mt.url)]
                            .into_iter()
                            .map(|(k, v)| (k.to_string(), s(v)))
                            .collect(),
                    ),
                    None => Value::Nil,
                })
                .collect(),
        ),
    );
    m.insert("Icon", s(&md.icon));
    m.insert("APIVersion", s(&md.api_version));
    m.insert("Condition", s(&md.condition));
    m.insert("Tags", s(&md.tags));
    m.insert("AppVersion", s(&md.app_version));
    m.insert("Deprecated", Value::Bool(md.deprecated));
    m.insert(
        "Annotations",
        Value::Map(
            md.annotations
                .iter()
                .flatten()
                .map(|(k, v)| (k.clone(), s(v)))
                .collect(),
        ),
    );
    m.insert("KubeVersion", s(&md.kube_version));
    m.insert(
        "Dependencies",
        Value::list(
            md.dependencies
                .iter()
                .flatten()
                .map(|d| match d {
                    Some(d) => {
                        let dm = Map::new();
                        dm.insert("Name", s(&d.name));
                        dm.insert("Version", s(&d.version));
                        dm.insert("Repository", s(&d.repository));
                        dm.insert("Condition", s(&d.condition));
                        dm.insert("Tags", strings(&d.tags));
                        dm.insert("Enabled", Value::Bool(d.enabled));
                        dm.insert(
                            "ImportValues",
                            Value::list(
                                d.import_values
                                    .iter()
                                    .map(|v| chartkit_sprig::convert::from_data(v.clone()))
                                    .collect(),
                            ),
                        );
                        dm.insert("Alias", s(&d.alias));
                        Value::Map(dm)
                    }
                    None => Value::Nil,
                })
                .collect(),
        ),
    );
    m.insert("Type", s(&md.chart_type));
    m.insert("IsRoot", Value::Bool(is_root));
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_names() {
        assert!(validate_release_name("release-name").is_ok());
        assert!(validate_release_name("a.b-c").is_ok());
        assert!(validate_release_name("Bad").is_err());
        assert!(validate_release_name(&"a".repeat(54)).is_err());
        assert!(validate_release_name("-a").is_err());
    }
}
