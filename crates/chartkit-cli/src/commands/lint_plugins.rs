//! Engine-plugin findings in `chartkit lint` (LINT-RULES.md section C): the
//! plugin a chart declares lints the objects of each render.

use std::path::Path;
use std::sync::Arc;

use chartkit_diagnostics::{ObjectRef, Severity};
use chartkit_lint::objects::RenderedObject;
use chartkit_lint::{ExternalFinding, FindingSource};
use chartkit_plugin_host::Plugin;
use chartkit_render::manifest::{Manifest, parse_head};
use chartkit_render::output::Release;

use super::engine::{self, CLUSTER_DOMAIN};

/// One chart's declared plugin, applied to the StatefulSets of its engine.
struct PluginFindings {
    plugin: Plugin,
    /// The `chartkit.dev/engine` value of the StatefulSets it lints.
    engine: String,
    namespace: String,
    release: String,
}

impl FindingSource for PluginFindings {
    fn rule_ids(&self) -> Vec<String> {
        Vec::new()
    }

    fn check(&self, objects: &[RenderedObject]) -> Vec<ExternalFinding> {
        let engine_of = |o: &RenderedObject| {
            o.json
                .pointer("/metadata/annotations")
                .and_then(|a| a.get(chartkit_engine::ENGINE_ANNOTATION))
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let manifests: Vec<Manifest> = objects
            .iter()
            .filter(|o| engine_of(o).is_none_or(|e| e == self.engine))
            .filter_map(|o| {
                let content = o.json.to_string();
                let head = parse_head(&content).ok()?;
                Some(Manifest { name: o.template.clone(), content, head })
            })
            .collect();
        let release = Release { manifests, ..Release::default() };
        let opts = chartkit_engine::PassOptions {
            release: self.release.clone(),
            namespace: self.namespace.clone(),
            cluster_domain: CLUSTER_DOMAIN.to_string(),
            chart_name: String::new(),
            app_version: None,
            is_upgrade: false,
        };
        match chartkit_engine::run_lint(&release, &opts, &self.plugin) {
            Ok(findings) => findings.into_iter().map(|(_, f)| external(f)).collect(),
            Err(e) => vec![ExternalFinding {
                rule: format!("{}-plugin", self.engine),
                severity: Severity::Error,
                message: e.to_string(),
                object: None,
                path: None,
                help: None,
            }],
        }
    }
}

fn external(f: chartkit_plugin_host::Finding) -> ExternalFinding {
    ExternalFinding {
        rule: f.rule,
        severity: match f.severity {
            chartkit_plugin_host::Severity::Error => Severity::Error,
            chartkit_plugin_host::Severity::Warning => Severity::Warning,
            chartkit_plugin_host::Severity::Info => Severity::Info,
        },
        message: f.message,
        object: f.object.map(|o| ObjectRef {
            api_version: o.api_version,
            kind: o.kind,
            namespace: o.namespace.unwrap_or_default(),
            name: o.name,
        }),
        path: f.path,
        help: None,
    }
}

/// Finding sources for the charts being linted that declare a plugin; a
/// plugin that cannot be loaded is reported on stderr and skipped.
pub fn sources(paths: &[String], namespace: &str, release: &str) -> Vec<Arc<dyn FindingSource>> {
    let mut out: Vec<Arc<dyn FindingSource>> = Vec::new();
    for path in paths {
        let path = Path::new(path);
        let Some(annotations) = chart_annotations(path) else { continue };
        let Some(spec) = chartkit_engine::declared_plugin(&annotations) else { continue };
        let engine_name = annotations.get(chartkit_engine::ENGINE_ANNOTATION).cloned().unwrap_or_else(|| spec.to_string());
        match engine::load(spec, Some(path)) {
            Ok(plugin) => out.push(Arc::new(PluginFindings {
                plugin,
                engine: engine_name,
                namespace: namespace.to_string(),
                release: release.to_string(),
            })),
            Err(e) => eprintln!(
                "warning: {}: engine plugin {spec:?} is not available, its rules are not checked: {e}",
                path.display()
            ),
        }
    }
    out
}

fn chart_annotations(dir: &Path) -> Option<std::collections::BTreeMap<String, String>> {
    let text = std::fs::read_to_string(dir.join("Chart.yaml")).ok()?;
    let chartkit_yaml::Value::Map(meta) = chartkit_yaml::from_yaml_str(&text).ok()? else { return None };
    let Some(chartkit_yaml::Value::Map(a)) = meta.get("annotations") else { return None };
    Some(
        a.iter()
            .filter_map(|(k, v)| match v {
                chartkit_yaml::Value::String(s) => Some((k.clone(), s.clone())),
                _ => None,
            })
            .collect(),
    )
}
