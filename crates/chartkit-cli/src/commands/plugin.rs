//! `chartkit plugin`: build, list, inspect, install and run engine plugins (WebAssembly
//! components implementing `chartkit:engine`, see docs/plugins.md).
//!
//! Compiled only with the `plugins` feature (the wasmtime host).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use chartkit_plugin_host::{
    BuildOptions, Cache, Call, HostConfig, Limits, Plugin, PluginHost, PluginSource, Topology,
    build_plugin, install, list_plugins, locate,
};
use clap::{Args, Subcommand, ValueEnum};

#[path = "plugin_publish.rs"]
mod plugin_publish;

/// Build, inspect and run engine plugins.
#[derive(Debug, Args)]
pub struct PluginArgs {
    #[command(subcommand)]
    pub command: PluginCommand,
}

/// `chartkit plugin <command>`.
#[derive(Debug, Subcommand)]
pub enum PluginCommand {
    /// Build a plugin directory: run its recipe, check the component, record its digest.
    Build(BuildArgs),
    /// List plugins under ./plugins (or --dir) and installed plugins.
    List(ListArgs),
    /// Show what a plugin is: describe(), exports, digest, size.
    Inspect(InspectArgs),
    /// Call one function of a plugin and print its result as JSON.
    Run(RunArgs),
    /// Install a plugin: a built directory or .wasm (copied), or `oci://HOST/REPO@sha256:DIGEST`
    /// (pulled, verified against its digests, stored by digest).
    Install(InstallArgs),
    /// Push a built plugin to an OCI registry; prints the manifest digest to pin.
    Push(plugin_publish::PushArgs),
    /// Pull a plugin from an OCI registry (by tag or digest) into a directory.
    Pull(plugin_publish::PullArgs),
    /// Scaffold a new plugin project (Rust, Python or JavaScript).
    New(super::plugin_new::NewArgs),
}

/// Sandbox and cache options.
#[derive(Debug, Clone, Args)]
pub struct HostArgs {
    /// Deadline per call, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 2000)]
    pub deadline_ms: u64,
    /// Memory cap per instance, in MiB.
    #[arg(long, value_name = "MIB", default_value_t = 64)]
    pub memory_mib: u64,
    /// Cap on what a call returns, in KiB.
    #[arg(long, value_name = "KIB", default_value_t = 1024)]
    pub output_kib: u64,
    /// Do not read or write the compiled-component cache.
    #[arg(long)]
    pub no_cache: bool,
}

/// `chartkit plugin build DIR`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Plugin directory (with chartkit-plugin.toml).
    pub dir: PathBuf,
    /// Only check and record the already built component; do not run the recipe.
    #[arg(long)]
    pub skip_commands: bool,
    /// Install the plugin after building it.
    #[arg(long)]
    pub install: bool,
    #[command(flatten)]
    pub host: HostArgs,
}

/// `chartkit plugin list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Directory holding plugin source directories.
    #[arg(long, default_value = "plugins")]
    pub dir: PathBuf,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `chartkit plugin inspect PLUGIN`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// A plugin directory, a .wasm component, or an installed plugin's name.
    pub plugin: String,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub host: HostArgs,
}

/// The calls `plugin run` can make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CallArg {
    Describe,
    SeedList,
    Configure,
    PostInstall,
    Lint,
}

impl From<CallArg> for Call {
    fn from(c: CallArg) -> Self {
        match c {
            CallArg::Describe => Call::Describe,
            CallArg::SeedList => Call::SeedList,
            CallArg::Configure => Call::Configure,
            CallArg::PostInstall => Call::PostInstall,
            CallArg::Lint => Call::Lint,
        }
    }
}

/// `chartkit plugin run PLUGIN --call CALL --topology FILE`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// A plugin directory, a .wasm component, or an installed plugin's name.
    pub plugin: String,
    /// The function to call.
    #[arg(long, value_enum)]
    pub call: CallArg,
    /// Topology as JSON (`-` for stdin): {"release", "namespace", "clusterDomain",
    /// "statefulSet", "service", "replicas", "ports": [{"name", "port"}], "settings": {},
    /// "engineVersion"?}.
    #[arg(long, value_name = "FILE")]
    pub topology: Option<PathBuf>,
    /// Rendered objects as a JSON array, for --call lint (default: none).
    #[arg(long, value_name = "FILE")]
    pub objects: Option<PathBuf>,
    #[command(flatten)]
    pub host: HostArgs,
}

/// `chartkit plugin install PLUGIN`.
#[derive(Debug, Args)]
pub struct InstallArgs {
    /// A built plugin directory, a .wasm component, or `oci://HOST/REPO@sha256:DIGEST`.
    pub plugin: String,
    #[command(flatten)]
    pub host: HostArgs,
    #[command(flatten)]
    pub registry: super::pull::RegistryFlags,
}

/// Runs `chartkit plugin ...`.
pub fn run(args: PluginArgs) -> Result<ExitCode> {
    match args.command {
        PluginCommand::Build(a) => build(a),
        PluginCommand::List(a) => list(a),
        PluginCommand::Inspect(a) => inspect(a),
        PluginCommand::Run(a) => run_call(a),
        PluginCommand::Install(a) if a.plugin.starts_with("oci://") => {
            plugin_publish::install_oci(&a.plugin, &a.registry)
        }
        PluginCommand::Install(a) => install_cmd(a),
        PluginCommand::Push(a) => plugin_publish::push(a),
        PluginCommand::Pull(a) => plugin_publish::pull(a),
        PluginCommand::New(a) => super::plugin_new::run(a),
    }
}

fn host(args: &HostArgs) -> Result<PluginHost> {
    let limits = Limits {
        memory: args.memory_mib.saturating_mul(1 << 20),
        deadline: Duration::from_millis(args.deadline_ms),
        output: args.output_kib.saturating_mul(1 << 10),
    };
    let cache = if args.no_cache {
        None
    } else {
        Cache::default_dir().map(Cache::new)
    };
    Ok(PluginHost::new(HostConfig { limits, cache })?)
}

fn build(a: BuildArgs) -> Result<ExitCode> {
    let host = host(&a.host)?;
    let out = build_plugin(
        &a.dir,
        &host,
        BuildOptions {
            skip_commands: a.skip_commands,
        },
    )?;
    let r = &out.record;
    eprintln!(
        "built {} {} ({}, {} bytes, interface {}) in {:.1}s; checked in {:.2}s",
        r.name,
        r.version,
        r.digest,
        r.size,
        r.interface,
        out.build_time.as_secs_f64(),
        out.validate_time.as_secs_f64()
    );
    println!("{}", out.component.display());
    if a.install {
        let located = locate(&a.dir.display().to_string())?;
        let dir = install(&located, &r.name)?;
        eprintln!("installed {} in {}", r.name, dir.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn list(a: ListArgs) -> Result<ExitCode> {
    let plugins = list_plugins(&a.dir);
    let mut out = std::io::stdout().lock();
    if a.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&plugins)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    if plugins.is_empty() {
        writeln!(
            out,
            "no plugins (none under {} and none installed)",
            a.dir.display()
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let rows: Vec<[String; 5]> = plugins
        .iter()
        .map(|p| {
            let source = match &p.source {
                PluginSource::Dir { dir } => dir.display().to_string(),
                PluginSource::Installed { dir } => format!("installed ({})", dir.display()),
                PluginSource::File => "file".into(),
            };
            let digest = match (&p.digest, &p.component) {
                (Some(d), _) => short_digest(d),
                (None, Some(_)) => "built, no record".into(),
                (None, None) => "not built".into(),
            };
            [
                p.name.clone(),
                p.version.clone(),
                p.language.clone().unwrap_or_default(),
                digest,
                source,
            ]
        })
        .collect();
    let header = ["NAME", "VERSION", "LANGUAGE", "DIGEST", "SOURCE"].map(String::from);
    let mut widths = [0usize; 5];
    for row in std::iter::once(&header).chain(&rows) {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    for row in std::iter::once(&header).chain(&rows) {
        let line: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        writeln!(out, "{}", line.join("  ").trim_end())?;
    }
    Ok(ExitCode::SUCCESS)
}

fn short_digest(d: &str) -> String {
    let hex = d.strip_prefix("sha256:").unwrap_or(d);
    format!("sha256:{}", &hex[..hex.len().min(12)])
}

fn load(host: &PluginHost, spec: &str) -> Result<(Plugin, PathBuf, Duration)> {
    let located = locate(spec)?;
    let started = Instant::now();
    let plugin = host.load_file(&located.component)?;
    Ok((plugin, located.component, started.elapsed()))
}

fn inspect(a: InspectArgs) -> Result<ExitCode> {
    let host = host(&a.host)?;
    let (plugin, component, took) = load(&host, &a.plugin)?;
    let info = plugin.info();
    let report = plugin.report();
    let mut out = std::io::stdout().lock();
    if a.json {
        let v = serde_json::json!({
            "component": component,
            "info": info,
            "load": report,
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "name:        {}", info.name)?;
    writeln!(out, "version:     {}", info.version)?;
    writeln!(out, "description: {}", info.description)?;
    writeln!(out, "engines:     {}", info.engines.join(", "))?;
    writeln!(out, "interface:   chartkit:engine {}", report.interface)?;
    writeln!(out, "component:   {}", component.display())?;
    writeln!(out, "digest:      {}", report.digest)?;
    writeln!(out, "size:        {} bytes", report.size)?;
    writeln!(out, "exports:     {}", report.exports.join(", "))?;
    let cache = serde_json::to_value(&report.cache)?;
    let status = cache.get("status").and_then(|s| s.as_str()).unwrap_or("?");
    writeln!(
        out,
        "loaded in:   {:.1} ms (cache: {status}; compile or cache load {:.1} ms)",
        took.as_secs_f64() * 1e3,
        report.load_time.as_secs_f64() * 1e3
    )?;
    Ok(ExitCode::SUCCESS)
}

fn read_input(path: &Path) -> Result<String> {
    if path == Path::new("-") {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("reading stdin")?;
        return Ok(s);
    }
    std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

fn run_call(a: RunArgs) -> Result<ExitCode> {
    let call = Call::from(a.call);
    let topology: Option<Topology> = match &a.topology {
        Some(path) => Some(
            serde_json::from_str(&read_input(path)?)
                .with_context(|| format!("topology {}", path.display()))?,
        ),
        None => None,
    };
    let objects = match &a.objects {
        Some(path) => {
            let text = read_input(path)?;
            let v: serde_json::Value = serde_json::from_str(&text)
                .with_context(|| format!("objects {}", path.display()))?;
            if !v.is_array() {
                bail!(
                    "objects {}: expected a JSON array of Kubernetes objects",
                    path.display()
                );
            }
            text
        }
        None => "[]".to_string(),
    };
    let host = host(&a.host)?;
    let (plugin, _, _) = load(&host, &a.plugin)?;
    let need = || {
        topology
            .as_ref()
            .ok_or_else(|| anyhow::anyhow!("--call {call} needs --topology FILE"))
    };
    let json = match call {
        Call::Describe => serde_json::to_string_pretty(&plugin.describe()?)?,
        Call::SeedList => serde_json::to_string_pretty(&plugin.seed_list(need()?)?)?,
        Call::Configure => serde_json::to_string_pretty(&plugin.configure(need()?)?)?,
        Call::PostInstall => serde_json::to_string_pretty(&plugin.post_install(need()?)?)?,
        Call::Lint => serde_json::to_string_pretty(&plugin.lint(need()?, &objects)?)?,
    };
    writeln!(std::io::stdout().lock(), "{json}")?;
    Ok(ExitCode::SUCCESS)
}

fn install_cmd(a: InstallArgs) -> Result<ExitCode> {
    let located = locate(&a.plugin)?;
    // Load it first: only working plugins are installed, under the name they report.
    let host = host(&a.host)?;
    let plugin = host.load_file(&located.component)?;
    let dir = install(&located, plugin.name())?;
    eprintln!(
        "installed {} {} in {}",
        plugin.name(),
        plugin.info().version,
        dir.display()
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(subcommand)]
        command: PluginCommand,
    }

    #[test]
    fn parses_run() {
        let cli = Cli::try_parse_from([
            "plugin",
            "run",
            "plugins/consul",
            "--call",
            "seed-list",
            "--topology",
            "t.json",
            "--deadline-ms",
            "500",
        ])
        .unwrap();
        let PluginCommand::Run(r) = cli.command else {
            panic!()
        };
        assert_eq!(r.call, CallArg::SeedList);
        assert_eq!(r.host.deadline_ms, 500);
        assert_eq!(Call::from(r.call).as_str(), "seed-list");
    }

    #[test]
    fn run_needs_a_known_call() {
        let e = Cli::try_parse_from(["plugin", "run", "x", "--call", "seed_list"]).unwrap_err();
        assert!(e.to_string().contains("seed-list"), "{e}");
    }

    #[test]
    fn short_digests() {
        assert_eq!(
            short_digest("sha256:0123456789abcdef"),
            "sha256:0123456789ab"
        );
    }
}
