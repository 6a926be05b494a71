//! The engine-plugin pass of `chartkit render`.
//!
//! A chart declares its engine plugin in `Chart.yaml`
//! (`annotations: {chartkit.dev/plugin: <spec>}`) and marks the engine's
//! StatefulSet with the annotation `chartkit.dev/engine: <engine>`. After
//! the templates render, [`run_pass`]:
//!
//! 1. finds each marked StatefulSet and its governing Service
//!    (`spec.serviceName`, which must be headless) and builds the plugin's
//!    [`Topology`] from them ([`target`]);
//! 2. applies the plugin's `configure` result to the engine container
//!    ([`patch`]): environment variables and configuration entries replace
//!    variables of the same name, flags replace flags of the same name, so
//!    running the pass twice changes nothing more;
//! 3. adds the plugin's `post-install` steps as Helm hook Jobs ([`job`]),
//!    unless the chart renders its own Job for that step (a Job annotated
//!    `chartkit.dev/step: <step name>`).
//!
//! Documents the pass does not change keep their exact bytes; changed ones
//! are written with Helm's `toYaml` emitter. The render crate knows nothing
//! of plugins: this pass works on its [`Release`].

pub mod job;
pub mod patch;
pub mod target;

use std::collections::BTreeMap;

use chartkit_plugin_host::{Finding, MemberConfig, Step, Topology};
use chartkit_render::output::Release;

/// Chart.yaml annotation naming the engine plugin (a name, a path or `oci://…@sha256:…`).
pub const PLUGIN_ANNOTATION: &str = "chartkit.dev/plugin";
/// StatefulSet annotation marking the engine's StatefulSet (its value is the engine name).
pub const ENGINE_ANNOTATION: &str = "chartkit.dev/engine";
/// StatefulSet annotation with the engine settings passed to the plugin (a JSON object).
pub const SETTINGS_ANNOTATION: &str = "chartkit.dev/settings";
/// StatefulSet annotation naming the engine container when it is not the first one.
pub const CONTAINER_ANNOTATION: &str = "chartkit.dev/engine-container";
/// Job annotation: this rendered Job performs the named plugin step itself.
pub const STEP_ANNOTATION: &str = "chartkit.dev/step";

/// What the pass needs from an engine plugin. Implemented for the WebAssembly
/// plugins of `chartkit-plugin-host`; tests use plain Rust implementations.
pub trait EnginePlugin {
    /// The plugin's name, for messages.
    fn name(&self) -> String;
    fn configure(&self, topology: &Topology) -> Result<MemberConfig, String>;
    fn post_install(&self, topology: &Topology) -> Result<Vec<Step>, String>;
    fn lint(&self, topology: &Topology, objects_json: &str) -> Result<Vec<Finding>, String>;
}

impl EnginePlugin for chartkit_plugin_host::Plugin {
    fn name(&self) -> String {
        chartkit_plugin_host::Plugin::name(self).to_string()
    }
    fn configure(&self, topology: &Topology) -> Result<MemberConfig, String> {
        chartkit_plugin_host::Plugin::configure(self, topology).map_err(|e| e.to_string())
    }
    fn post_install(&self, topology: &Topology) -> Result<Vec<Step>, String> {
        chartkit_plugin_host::Plugin::post_install(self, topology).map_err(|e| e.to_string())
    }
    fn lint(&self, topology: &Topology, objects_json: &str) -> Result<Vec<Finding>, String> {
        chartkit_plugin_host::Plugin::lint(self, topology, objects_json).map_err(|e| e.to_string())
    }
}

/// The release-level facts the pass needs.
#[derive(Clone, Debug)]
pub struct PassOptions {
    /// Helm release name.
    pub release: String,
    /// Release namespace (`-n`), used when the StatefulSet sets none.
    pub namespace: String,
    /// Kubernetes cluster DNS domain.
    pub cluster_domain: String,
    /// The chart's name (for the `# Source:` path of added Jobs).
    pub chart_name: String,
    /// The chart's `appVersion`: the engine version when the image tag is not one.
    pub app_version: Option<String>,
    /// `--is-upgrade`: configuration entries marked bootstrap-only are left out.
    pub is_upgrade: bool,
}

/// Why the pass failed.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// A marked StatefulSet cannot give a topology (no serviceName, no such
    /// Service, a Service that is not headless, no containers, ...).
    #[error("engine plugin {plugin}: StatefulSet {statefulset:?}: {message}")]
    Topology { plugin: String, statefulset: String, message: String },
    /// The plugin's call failed (its own error, a trap or a sandbox limit).
    #[error("engine plugin {plugin}: {call} for StatefulSet {statefulset:?}: {message}")]
    Call { plugin: String, call: &'static str, statefulset: String, message: String },
    /// A rendered document the pass must change is not valid YAML.
    #[error("engine plugin {plugin}: {path}: {message}")]
    Document { plugin: String, path: String, message: String },
}

/// What the pass did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PassReport {
    /// StatefulSets the plugin was applied to.
    pub statefulsets: Vec<String>,
    /// StatefulSets whose manifest changed.
    pub changed: Vec<String>,
    /// Names of the hook Jobs added.
    pub jobs_added: Vec<String>,
    /// Steps skipped because the chart renders its own Job for them.
    pub steps_provided_by_chart: Vec<String>,
}

/// The plugin spec a chart declares, from its Chart.yaml annotations.
pub fn declared_plugin(annotations: &BTreeMap<String, String>) -> Option<&str> {
    annotations.get(PLUGIN_ANNOTATION).map(String::as_str).filter(|s| !s.trim().is_empty())
}

/// Applies `plugin` to every StatefulSet of `release` marked with
/// [`ENGINE_ANNOTATION`]. A release without one is left untouched.
pub fn run_pass(
    release: &mut Release,
    opts: &PassOptions,
    plugin: &dyn EnginePlugin,
) -> Result<PassReport, EngineError> {
    let mut report = PassReport::default();
    let targets = target::find(release, opts).map_err(|e| e.into_engine_error(&plugin.name()))?;
    for t in targets {
        let sts = t.topology.stateful_set.clone();
        report.statefulsets.push(sts.clone());
        let call_err = |call: &'static str, message: String| EngineError::Call {
            plugin: plugin.name(),
            call,
            statefulset: sts.clone(),
            message,
        };
        let config = plugin.configure(&t.topology).map_err(|m| call_err("configure", m))?;
        let changed = patch::apply(
            &mut release.manifests[t.manifest],
            t.container,
            &config,
            opts.is_upgrade,
        )
        .map_err(|message| EngineError::Document {
            plugin: plugin.name(),
            path: release.manifests[t.manifest].name.clone(),
            message,
        })?;
        if changed {
            report.changed.push(sts.clone());
        }
        let steps = plugin.post_install(&t.topology).map_err(|m| call_err("post-install", m))?;
        for step in &steps {
            if job::chart_provides(release, &step.name) {
                report.steps_provided_by_chart.push(step.name.clone());
                continue;
            }
            let hook = job::hook_job(step, &t.topology, t.pod_security.as_ref(), opts, &plugin.name())
                .map_err(|m| call_err("post-install", m))?;
            report.jobs_added.push(hook.name.clone());
            job::insert_hook(release, hook);
        }
    }
    Ok(report)
}

/// The plugin's lint findings for every marked StatefulSet: the objects of
/// the release are passed as a JSON array.
pub fn run_lint(
    release: &Release,
    opts: &PassOptions,
    plugin: &dyn EnginePlugin,
) -> Result<Vec<(String, Finding)>, EngineError> {
    let targets = target::find(release, opts).map_err(|e| e.into_engine_error(&plugin.name()))?;
    if targets.is_empty() {
        return Ok(Vec::new());
    }
    let objects: Vec<serde_json::Value> = release
        .manifests
        .iter()
        .map(|m| m.content.as_str())
        .chain(release.hooks.iter().map(|h| h.manifest.as_str()))
        .filter_map(|text| chartkit_yaml::from_yaml_str(text).ok())
        .map(|v| v.to_json_value())
        .filter(|v| v.is_object())
        .collect();
    let objects_json = serde_json::Value::Array(objects).to_string();
    let mut out = Vec::new();
    for t in targets {
        let findings = plugin.lint(&t.topology, &objects_json).map_err(|message| {
            EngineError::Call {
                plugin: plugin.name(),
                call: "lint",
                statefulset: t.topology.stateful_set.clone(),
                message,
            }
        })?;
        out.extend(findings.into_iter().map(|f| (t.topology.stateful_set.clone(), f)));
    }
    Ok(out)
}

#[cfg(test)]
pub(crate) mod tests;
