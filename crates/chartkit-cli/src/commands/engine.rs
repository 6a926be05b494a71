//! The engine-plugin pass as the CLI runs it: which plugin a chart declares,
//! where it is found, and what a missing plugin means.

use std::path::{Path, PathBuf};

use chartkit_engine::{EnginePlugin, PassOptions, PassReport};
use chartkit_package::oci::{Reference, find_pinned};
use chartkit_plugin_host::{HostConfig, Plugin, PluginHost, installed_dir};
use chartkit_render::output::Release;

/// Kubernetes' default cluster DNS domain.
pub const CLUSTER_DOMAIN: &str = "cluster.local";

/// Where bare plugin names are also looked up (colon-separated plugin
/// project directories, e.g. a checkout's `plugins/`), after the installed store.
pub const PLUGIN_PATH_ENV: &str = "CHARTKIT_PLUGIN_PATH";

/// How to treat a plugin the chart declares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Policy {
    /// `--no-plugins`: skip the pass.
    Skip,
    /// Default: run it; an unresolvable plugin is a warning.
    Run,
    /// `--require-plugins`: an unresolvable plugin is an error.
    Require,
}

/// Loads the plugin `spec` declared by the chart at `chart_dir`: a published
/// plugin pinned as `oci://HOST/REPO@sha256:<manifest digest>` (from the
/// plugin store, offline), a path (relative to the chart when it starts with
/// `./` or `../`), an installed name, or a plugin project found through
/// `CHARTKIT_PLUGIN_PATH`.
pub fn load(spec: &str, chart_dir: Option<&Path>) -> Result<Plugin, String> {
    let host = PluginHost::new(HostConfig::from_env()).map_err(|e| e.to_string())?;
    if spec.starts_with("oci://") {
        return load_pinned(&host, spec);
    }
    let relative = spec.starts_with("./") || spec.starts_with("../");
    let spec_path: PathBuf = match chart_dir {
        Some(dir) if relative => dir.join(spec),
        _ => PathBuf::from(spec),
    };
    let first = host.load(&spec_path.to_string_lossy());
    let err = match first {
        Ok(p) => return Ok(p),
        Err(e) => e.to_string(),
    };
    if let Some(paths) = std::env::var_os(PLUGIN_PATH_ENV) {
        for dir in std::env::split_paths(&paths) {
            let candidate = dir.join(spec);
            if !relative && candidate.is_dir() {
                return host
                    .load(&candidate.to_string_lossy())
                    .map_err(|e| e.to_string());
            }
        }
    }
    Err(err)
}

/// A published plugin, by the manifest digest it was installed from. Render
/// never fetches: `chartkit plugin install` does, once, verifying every blob.
fn load_pinned(host: &PluginHost, spec: &str) -> Result<Plugin, String> {
    let reference = Reference::parse(spec).map_err(|e| e.to_string())?;
    if reference.digest.is_empty() {
        return Err(format!(
            "pin a published plugin by digest ({spec}@sha256:…, printed by `chartkit plugin push`): a tag can move"
        ));
    }
    let store = installed_dir().ok_or("no plugin store: set CHARTKIT_PLUGINS_DIR or HOME")?;
    match find_pinned(&store, &reference.digest) {
        Ok(Some(installed)) => host
            .load_file(&installed.component)
            .map_err(|e| e.to_string()),
        Ok(None) => Err(format!(
            "not installed in {}: run `chartkit plugin install {spec}`",
            store.display()
        )),
        Err(e) => Err(e.to_string()),
    }
}

/// Runs the declared plugin of `chart` over `release`. Returns warnings for
/// stderr; `Err` is the message after `Error: `.
pub fn apply(
    release: &mut Release,
    annotations: Option<&std::collections::BTreeMap<String, String>>,
    chart_dir: Option<&Path>,
    opts: &PassOptions,
    policy: Policy,
) -> Result<Vec<String>, String> {
    if policy == Policy::Skip {
        return Ok(Vec::new());
    }
    let Some(spec) = annotations.and_then(chartkit_engine::declared_plugin) else {
        return Ok(Vec::new());
    };
    let plugin = match load(spec, chart_dir) {
        Ok(p) => p,
        Err(e) if policy == Policy::Require => {
            return Err(format!("engine plugin {spec:?} declared by the chart: {e}"));
        }
        Err(e) => {
            return Ok(vec![format!(
                "warning: engine plugin {spec:?} declared by the chart is not available, rendered without it \
                 (--require-plugins makes this an error, --no-plugins silences it): {e}"
            )]);
        }
    };
    run(release, opts, &plugin).map(|_| Vec::new())
}

/// The pass with a loaded plugin.
pub fn run(
    release: &mut Release,
    opts: &PassOptions,
    plugin: &dyn EnginePlugin,
) -> Result<PassReport, String> {
    chartkit_engine::run_pass(release, opts, plugin).map_err(|e| e.to_string())
}
