//! `chartkit plugin build DIR`: run a plugin's build recipe, check the component, record its
//! digest.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::Error;
use crate::host::PluginHost;
use crate::manifest::{MANIFEST_FILE, Manifest};

/// Options of [`build_plugin`].
#[derive(Debug, Clone, Copy, Default)]
pub struct BuildOptions {
    /// Skip the recipe; only validate and record an already built component.
    pub skip_commands: bool,
}

/// `dist/<name>.json`: what was built, with digests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BuildRecord {
    /// Plugin name.
    pub name: String,
    /// Plugin version.
    pub version: String,
    /// Source language.
    pub language: String,
    /// Interface version.
    pub interface: String,
    /// Engines handled (from `describe`).
    pub engines: Vec<String>,
    /// Component file name, next to the record.
    pub component: String,
    /// `sha256:<hex>` of the component.
    pub digest: String,
    /// Component size in bytes.
    pub size: u64,
    /// `sha256:<hex>` of `chartkit-plugin.toml`.
    pub manifest_digest: String,
    /// The component's exports.
    pub exports: Vec<String>,
}

/// What [`build_plugin`] produced.
#[derive(Debug, Clone)]
pub struct BuildOutput {
    /// The record (also written to `record_path`).
    pub record: BuildRecord,
    /// `dist/<name>.wasm`.
    pub component: PathBuf,
    /// `dist/<name>.json`.
    pub record_path: PathBuf,
    /// Time spent in the recipe.
    pub build_time: Duration,
    /// Time to compile (or load from cache) and check the component.
    pub validate_time: Duration,
}

/// Builds the plugin in `dir`: runs `build.setup` if needed and `build.command` (inheriting
/// stdout/stderr), copies the output to `dist/<name>.wasm`, loads it with `host` (compiles,
/// type-checks the interface, calls `describe`) and checks the name, version and interface
/// against the manifest, then writes `dist/<name>.json`.
pub fn build_plugin(
    dir: &Path,
    host: &PluginHost,
    opts: BuildOptions,
) -> Result<BuildOutput, Error> {
    let manifest_path = dir.join(MANIFEST_FILE);
    let manifest_text = std::fs::read(&manifest_path).map_err(|source| Error::Io {
        what: "manifest",
        path: manifest_path.clone(),
        source,
    })?;
    let m = Manifest::read(&manifest_path)?;
    let fail = |message: String| Error::Build {
        name: m.name.clone(),
        message,
    };
    let output = dir.join(&m.build.output);
    let started = Instant::now();
    if !opts.skip_commands {
        if let Some(setup) = &m.build.setup
            && !dir.join(&setup.creates).exists()
        {
            run(dir, &setup.command).map_err(&fail)?;
        }
        if let Some(parent) = output.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| fail(format!("creating {}: {e}", parent.display())))?;
        }
        run(dir, &m.build.command).map_err(&fail)?;
    }
    let build_time = started.elapsed();
    let bytes = std::fs::read(&output).map_err(|e| {
        fail(format!(
            "the recipe did not produce {} ({e})",
            output.display()
        ))
    })?;
    let started = Instant::now();
    let plugin = host.load_bytes(&m.name, &bytes)?;
    let validate_time = started.elapsed();
    let info = plugin.info();
    if info.name != m.name {
        return Err(fail(format!(
            "describe() says its name is {:?}, the manifest {:?}",
            info.name, m.name
        )));
    }
    if info.version != m.version {
        return Err(fail(format!(
            "describe() says version {:?}, the manifest {:?}",
            info.version, m.version
        )));
    }
    if plugin.report().interface != m.interface_version() {
        return Err(fail(format!(
            "the component exports chartkit:engine {}, the manifest says {}",
            plugin.report().interface,
            m.interface
        )));
    }
    let component = m.dist_component(dir);
    if let Some(parent) = component.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| fail(format!("creating {}: {e}", parent.display())))?;
    }
    if !same_file(&output, &component) {
        std::fs::write(&component, &bytes)
            .map_err(|e| fail(format!("writing {}: {e}", component.display())))?;
    }
    let record = BuildRecord {
        name: m.name.clone(),
        version: m.version.clone(),
        language: serde_json::to_value(m.language)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default(),
        interface: plugin.report().interface.to_string(),
        engines: info.engines.clone(),
        component: format!("{}.wasm", m.name),
        digest: plugin.report().digest.clone(),
        size: plugin.report().size,
        manifest_digest: format!("sha256:{:x}", Sha256::digest(&manifest_text)),
        exports: plugin.report().exports.clone(),
    };
    let record_path = m.dist_record(dir);
    let text = serde_json::to_string_pretty(&record).map_err(|e| fail(e.to_string()))? + "\n";
    std::fs::write(&record_path, text)
        .map_err(|e| fail(format!("writing {}: {e}", record_path.display())))?;
    Ok(BuildOutput {
        record,
        component,
        record_path,
        build_time,
        validate_time,
    })
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn run(dir: &Path, argv: &[String]) -> Result<(), String> {
    let (program, args) = argv.split_first().ok_or("empty command")?;
    // A relative program path with a slash is relative to the plugin directory.
    let program = if program.contains('/') && !Path::new(program).is_absolute() {
        let dir = dir
            .canonicalize()
            .map_err(|e| format!("{}: {e}", dir.display()))?;
        dir.join(program).into_os_string()
    } else {
        program.into()
    };
    let shown = argv.join(" ");
    let status = Command::new(&program)
        .args(args)
        .current_dir(dir)
        .status()
        .map_err(|e| format!("cannot run `{shown}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}
