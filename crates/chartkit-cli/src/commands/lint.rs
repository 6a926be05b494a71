//! `chartkit lint`: Helm's lint rules plus chartkit's, with diagnostics
//! pointing at template lines. Exit codes: 0 clean (warnings allowed
//! unless `--strict`), 1 findings, 2 usage or load errors. `--format helm`
//! prints exactly what `helm lint` prints (and exits as it does).

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use chartkit_chart::ValueOptions;
use chartkit_diagnostics::Format;
use chartkit_diagnostics::render::{self, RenderOptions};
use chartkit_lint::{LintConfig, LintOptions, ValueSets};
use clap::Args;

/// Examine charts for possible issues: Helm's rules and chartkit's.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// Chart directories to lint.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<String>,

    /// Output format: human, helm, json, sarif or github.
    #[arg(long, default_value = "human", value_parser = parse_format)]
    pub format: Format,

    /// Fail on lint warnings.
    #[arg(long)]
    pub strict: bool,

    /// Specify values in a YAML file (can specify multiple, or separate with commas).
    #[arg(
        short = 'f',
        long = "values",
        value_name = "FILE",
        value_delimiter = ','
    )]
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

    /// Release name used for rendering (Helm's lint uses test-release).
    #[arg(long = "release-name", value_name = "NAME")]
    pub release_name: Option<String>,

    /// Do not run the engine plugins' rules (the chart's `chartkit.dev/plugin`).
    #[arg(long)]
    pub no_plugins: bool,

    /// Kubernetes version used for capabilities and deprecation checks.
    #[arg(long, value_name = "VERSION")]
    pub kube_version: Option<String>,

    /// Kubernetes api versions used for Capabilities.APIVersions.
    #[arg(
        short = 'a',
        long = "api-versions",
        value_name = "VERSION",
        value_delimiter = ','
    )]
    pub api_versions: Vec<String>,

    /// If set, disables JSON schema validation.
    #[arg(long)]
    pub skip_schema_validation: bool,

    /// An earlier render (helm template output) to check the upgrade against.
    #[arg(long, value_name = "FILE")]
    pub previous: Option<PathBuf>,

    /// Config file (default: .chartkit.yaml in the chart or working directory).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Lint only the given values, not the chart's ci/*-values.yaml value sets.
    #[arg(long)]
    pub no_value_sets: bool,

    /// Colour the human output.
    #[arg(long)]
    pub color: bool,

    /// Print the rule list (with --format markdown-like `helm`/`human`: a table; `json`: ids) and exit.
    #[arg(long)]
    pub list_rules: bool,
}

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse()
}

fn find_config(args: &LintArgs) -> anyhow::Result<LintConfig> {
    let candidates: Vec<PathBuf> = match &args.config {
        Some(p) => vec![p.clone()],
        None => {
            let mut v: Vec<PathBuf> = args
                .paths
                .iter()
                .map(|p| PathBuf::from(p).join(".chartkit.yaml"))
                .collect();
            v.push(PathBuf::from(".chartkit.yaml"));
            v
        }
    };
    for c in candidates {
        if c.exists() || args.config.is_some() {
            return Ok(LintConfig::load(&c)?);
        }
    }
    Ok(LintConfig::default())
}

/// Runs `chartkit lint`.
pub fn run(args: LintArgs) -> anyhow::Result<ExitCode> {
    let mut stdout = std::io::stdout().lock();
    if args.list_rules {
        let text = match args.format {
            Format::Json => {
                let ids: Vec<_> = chartkit_lint::registry::all()
                    .map(|r| serde_json::json!({"id": r.meta.id, "severity": r.meta.severity, "scope": r.meta.scope.letter(), "summary": r.meta.summary}))
                    .collect();
                format!("{}\n", serde_json::to_string_pretty(&ids)?)
            }
            Format::Helm | Format::Sarif | Format::Github => chartkit_lint::docs::rules_markdown(),
            Format::Human => chartkit_lint::docs::rules_table(),
        };
        let _ = stdout.write_all(text.as_bytes());
        return Ok(ExitCode::SUCCESS);
    }
    let config = match find_config(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("Error: {e:#}");
            return Ok(ExitCode::from(2));
        }
    };
    let helm_only = args.format == Format::Helm;
    let opts = LintOptions {
        values: ValueOptions {
            value_files: args.values.clone(),
            values: args.set.clone(),
            string_values: args.set_string.clone(),
            file_values: args.set_file.clone(),
            json_values: args.set_json.clone(),
            literal_values: args.set_literal.clone(),
        },
        namespace: args.namespace.clone(),
        release_name: args.release_name.clone(),
        kube_version: args.kube_version.clone(),
        api_versions: args.api_versions.clone(),
        strict: args.strict,
        skip_schema_validation: args.skip_schema_validation,
        previous: args.previous.clone(),
        config,
        value_sets: if args.no_value_sets {
            ValueSets::None
        } else {
            ValueSets::Auto
        },
        helm_only,
        external: plugin_sources(&args, helm_only),
    };
    let out = match chartkit_lint::lint_charts(&args.paths, &opts) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("Error: {e}");
            return Ok(ExitCode::from(if helm_only { 1 } else { 2 }));
        }
    };
    let ropts = RenderOptions {
        color: args.color,
        rules: chartkit_lint::registry::rule_infos(),
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
    };
    let output = render::render(args.format, &out.run, &out.sources, &ropts);
    let _ = stdout.write_all(output.stdout.as_bytes());
    let _ = stdout.flush();
    if !output.stderr.is_empty() {
        let _ = std::io::stderr().write_all(output.stderr.as_bytes());
    }
    Ok(ExitCode::from(output.exit_code))
}

/// The declared engine plugins' rules (section C); none for `--format helm`.
#[cfg(feature = "plugins")]
fn plugin_sources(args: &LintArgs, helm_only: bool) -> Vec<std::sync::Arc<dyn chartkit_lint::FindingSource>> {
    if helm_only || args.no_plugins {
        return Vec::new();
    }
    let release = args.release_name.clone().unwrap_or_else(|| "test-release".into());
    super::lint_plugins::sources(&args.paths, &args.namespace, &release)
}

#[cfg(not(feature = "plugins"))]
fn plugin_sources(_: &LintArgs, _: bool) -> Vec<std::sync::Arc<dyn chartkit_lint::FindingSource>> {
    Vec::new()
}
