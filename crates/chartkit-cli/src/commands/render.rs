//! `chartkit render` (alias `template`): `helm template`, byte for byte.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

/// Locally render a chart, exactly as `helm template` would.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// `[NAME] [CHART]`: with one argument it is the chart and the release is
    /// named `release-name`; with none the chart is `.`.
    #[arg(value_name = "NAME] [CHART", num_args = 0..=2)]
    pub args: Vec<String>,

    /// Specify values in a YAML file (can specify multiple, or separate with commas).
    #[arg(short = 'f', long = "values", value_name = "FILE", value_delimiter = ',')]
    pub values: Vec<String>,

    /// Set values on the command line (key1=val1,key2=val2).
    #[arg(long = "set", value_name = "KEY=VAL")]
    pub set: Vec<String>,

    /// Set STRING values on the command line.
    #[arg(long = "set-string", value_name = "KEY=VAL")]
    pub set_string: Vec<String>,

    /// Set values from files (key1=path1,key2=path2).
    #[arg(long = "set-file", value_name = "KEY=PATH")]
    pub set_file: Vec<String>,

    /// Set JSON values (key1=jsonval1 or a JSON object).
    #[arg(long = "set-json", value_name = "KEY=JSON")]
    pub set_json: Vec<String>,

    /// Set a literal STRING value.
    #[arg(long = "set-literal", value_name = "KEY=VAL")]
    pub set_literal: Vec<String>,

    /// Namespace scope for this request.
    #[arg(short = 'n', long, env = "HELM_NAMESPACE", default_value = "default")]
    pub namespace: String,

    /// Only show manifests rendered from the given templates.
    #[arg(short = 's', long = "show-only", value_name = "TEMPLATE")]
    pub show_only: Vec<String>,

    /// Include CRDs in the templated output.
    #[arg(long)]
    pub include_crds: bool,

    /// Skip tests from templated output.
    #[arg(long)]
    pub skip_tests: bool,

    /// Prevent hooks from running during install (omit them from the output).
    #[arg(long)]
    pub no_hooks: bool,

    /// Kubernetes version used for Capabilities.KubeVersion.
    #[arg(long, value_name = "VERSION")]
    pub kube_version: Option<String>,

    /// Kubernetes api versions used for Capabilities.APIVersions.
    #[arg(short = 'a', long = "api-versions", value_name = "VERSION", value_delimiter = ',')]
    pub api_versions: Vec<String>,

    /// Set .Release.IsUpgrade instead of .Release.IsInstall.
    #[arg(long)]
    pub is_upgrade: bool,

    /// Writes the executed templates to files in output-dir instead of stdout.
    #[arg(long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,

    /// Use release name in the output-dir path.
    #[arg(long = "release-name")]
    pub release_name_dir: bool,

    /// Disables JSON schema validation.
    #[arg(long)]
    pub skip_schema_validation: bool,

    /// Render subchart notes along with the parent.
    #[arg(long = "render-subchart-notes")]
    pub render_subchart_notes: bool,

    /// Do not run the chart's engine plugins.
    #[arg(long, conflicts_with = "require_plugins")]
    pub no_plugins: bool,

    /// Fail when an engine plugin the chart declares cannot be loaded (default: warn and render without it).
    #[arg(long)]
    pub require_plugins: bool,
}

impl RenderArgs {
    /// Helm's `NameAndChart` for `helm template`.
    fn name_and_chart(&self) -> (String, String) {
        match self.args.as_slice() {
            [] => ("release-name".into(), ".".into()),
            [chart] => ("release-name".into(), chart.clone()),
            [name, chart, ..] => (name.clone(), chart.clone()),
        }
    }
}

pub fn run(args: RenderArgs) -> anyhow::Result<ExitCode> {
    let (release_name, chart) = args.name_and_chart();
    let chart_dir = Some(PathBuf::from(&chart)).filter(|p| p.is_dir());
    let is_upgrade = args.is_upgrade;
    let no_plugins = args.no_plugins;
    let require_plugins = args.require_plugins;
    let request = chartkit_render::template::TemplateRequest {
        release_name,
        chart: PathBuf::from(chart),
        namespace: args.namespace,
        values: chartkit_chart::ValueOptions {
            value_files: args.values,
            values: args.set,
            string_values: args.set_string,
            file_values: args.set_file,
            json_values: args.set_json,
            literal_values: args.set_literal,
        },
        kube_version: args.kube_version,
        api_versions: args.api_versions,
        is_upgrade: args.is_upgrade,
        skip_schema_validation: args.skip_schema_validation,
        subchart_notes: args.render_subchart_notes,
        output: chartkit_render::OutputOptions {
            show_only: args.show_only,
            include_crds: args.include_crds,
            skip_tests: args.skip_tests,
            no_hooks: args.no_hooks,
            output_dir: args.output_dir,
            release_name_dir: None,
        },
        release_name_dir: args.release_name_dir,
    };
    let outcome = plugin_pass(&request, chart_dir.as_deref(), is_upgrade, no_plugins, require_plugins);
    let mut stderr = std::io::stderr().lock();
    for warning in &outcome.warnings {
        let _ = writeln!(stderr, "{warning}");
    }
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_all(outcome.stdout.as_bytes()).and_then(|()| stdout.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return Ok(ExitCode::SUCCESS);
        }
        return Err(e.into());
    }
    match outcome.error {
        None => Ok(ExitCode::SUCCESS),
        Some(message) => {
            let _ = writeln!(stderr, "Error: {message}");
            Ok(ExitCode::FAILURE)
        }
    }
}

/// Renders with the chart's engine plugin applied (issue 8), or plainly
/// when chartkit is built without plugin support.
#[cfg(feature = "plugins")]
fn plugin_pass(
    request: &chartkit_render::template::TemplateRequest,
    chart_dir: Option<&std::path::Path>,
    is_upgrade: bool,
    no_plugins: bool,
    require_plugins: bool,
) -> chartkit_render::template::TemplateOutcome {
    use super::engine::{self, Policy};
    let policy = match (no_plugins, require_plugins) {
        (true, _) => Policy::Skip,
        (false, true) => Policy::Require,
        (false, false) => Policy::Run,
    };
    chartkit_render::template::run_with(request, &mut |rendered| {
        let meta = &rendered.chart.metadata;
        let opts = chartkit_engine::PassOptions {
            release: request.release_name.clone(),
            namespace: request.namespace.clone(),
            cluster_domain: engine::CLUSTER_DOMAIN.to_string(),
            chart_name: meta.name.clone(),
            app_version: Some(meta.app_version.clone()).filter(|v| !v.is_empty()),
            is_upgrade,
        };
        engine::apply(&mut rendered.release, meta.annotations.as_ref(), chart_dir, &opts, policy)
    })
}

#[cfg(not(feature = "plugins"))]
fn plugin_pass(
    request: &chartkit_render::template::TemplateRequest,
    _chart_dir: Option<&std::path::Path>,
    _is_upgrade: bool,
    _no_plugins: bool,
    _require_plugins: bool,
) -> chartkit_render::template::TemplateOutcome {
    chartkit_render::template::run(request)
}
