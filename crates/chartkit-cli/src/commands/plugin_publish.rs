//! `chartkit plugin push|pull|install oci://...`: engine plugins as OCI artifacts (see
//! `chartkit_package::oci::plugin` for the artifact layout and the plugin store).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use chartkit_package::oci::{
    PLUGIN_MANIFEST_FILE, PluginArtifact, install_plugin, pull_plugin, push_plugin,
};
use chartkit_plugin_host::{installed_dir, locate};
use clap::Args;

use crate::commands::pull::RegistryFlags;

/// `chartkit plugin push DIR|FILE oci://HOST/REPO[:TAG]`.
#[derive(Debug, Args)]
pub struct PushArgs {
    /// A built plugin directory (with chartkit-plugin.toml), or its .wasm component with
    /// chartkit-plugin.toml next to it or one directory up.
    pub plugin: PathBuf,
    /// Where to push, `oci://HOST[:PORT]/REPO[:TAG]` (the tag defaults to the plugin version).
    pub remote: String,
    #[command(flatten)]
    pub registry: RegistryFlags,
}

/// `chartkit plugin pull oci://HOST/REPO(:TAG|@sha256:DIGEST) [-d DIR]`.
#[derive(Debug, Args)]
pub struct PullArgs {
    /// The plugin reference, with a tag or a digest.
    pub reference: String,
    /// Directory to write `<name>.wasm`, chartkit-plugin.toml and `<name>.json` into.
    #[arg(short = 'd', long = "destination", default_value = ".")]
    pub destination: PathBuf,
    #[command(flatten)]
    pub registry: RegistryFlags,
}

/// Finds the manifest of a plugin given as a directory or a component file.
fn manifest_for(plugin: &Path) -> Result<PathBuf> {
    let candidates: Vec<PathBuf> = if plugin.is_dir() {
        vec![plugin.join(PLUGIN_MANIFEST_FILE)]
    } else {
        let parent = plugin.parent().unwrap_or(Path::new("."));
        let mut c = vec![parent.join(PLUGIN_MANIFEST_FILE)];
        if let Some(up) = parent.parent() {
            c.push(up.join(PLUGIN_MANIFEST_FILE));
        }
        c
    };
    candidates
        .iter()
        .find(|p| p.is_file())
        .cloned()
        .with_context(|| {
            format!(
                "{}: no {PLUGIN_MANIFEST_FILE} found (looked at {})",
                plugin.display(),
                candidates
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
}

/// Runs `chartkit plugin push`: prints the manifest digest to pin on stdout.
pub fn push(a: PushArgs) -> Result<ExitCode> {
    if !a.remote.starts_with("oci://") {
        bail!("{}: the remote must be oci://HOST/REPO[:TAG]", a.remote);
    }
    let spec = a.plugin.display().to_string();
    let located = locate(&spec)?;
    let manifest = manifest_for(&a.plugin)?;
    // The build record is only trusted for directories (`plugin build` writes it there).
    let record = if a.plugin.is_dir() {
        located.manifest.as_ref().map(|m| m.dist_record(&a.plugin))
    } else {
        None
    };
    let artifact = PluginArtifact::from_files(&located.component, &manifest, record.as_deref())?;
    let client = a.registry.client()?;
    let pushed = push_plugin(&client, &artifact, &a.remote)?;
    eprintln!(
        "Pushed: {}\nComponent: {}\nPin: oci://{}@{}",
        pushed.reference,
        pushed.component_digest,
        pushed
            .reference
            .rsplit_once(':')
            .filter(|(_, tag)| !tag.contains('/'))
            .map_or(pushed.reference.as_str(), |(repo, _)| repo),
        pushed.manifest_digest
    );
    println!("{}", pushed.manifest_digest);
    Ok(ExitCode::SUCCESS)
}

/// Runs `chartkit plugin pull`: fetches and verifies, then writes the files.
pub fn pull(a: PullArgs) -> Result<ExitCode> {
    let client = a.registry.client()?;
    let pulled = pull_plugin(&client, &a.reference)?;
    let component = pulled.write_to(&a.destination)?;
    eprintln!(
        "Pulled: {} {} ({})\nDigest: {}",
        pulled.name, pulled.version, pulled.reference, pulled.manifest_digest
    );
    println!("{}", component.display());
    Ok(ExitCode::SUCCESS)
}

/// Runs `chartkit plugin install oci://...`: pulls, verifies every blob against its digest
/// (the manifest too when the reference pins one) and installs into the plugin store
/// (`$CHARTKIT_PLUGINS_DIR`, else the user's data directory).
pub fn install_oci(reference: &str, registry: &RegistryFlags) -> Result<ExitCode> {
    let store = installed_dir().context("no plugin directory: set CHARTKIT_PLUGINS_DIR or HOME")?;
    let client = registry.client()?;
    let installed = install_plugin(&client, reference, Some(&store))?;
    eprintln!(
        "installed {} ({}) from {reference} in {}",
        installed.name,
        installed.digest,
        installed.dir.display()
    );
    println!("{}", installed.active.display());
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_manifest_next_to_or_above_a_component() {
        let dir = std::env::temp_dir().join(format!("ck-publish-{}", std::process::id()));
        let dist = dir.join("dist");
        std::fs::create_dir_all(&dist).unwrap();
        std::fs::write(dir.join(PLUGIN_MANIFEST_FILE), "name = \"x\"\n").unwrap();
        std::fs::write(dist.join("x.wasm"), b"\0asm").unwrap();
        assert_eq!(
            manifest_for(&dist.join("x.wasm")).unwrap(),
            dir.join(PLUGIN_MANIFEST_FILE)
        );
        assert_eq!(manifest_for(&dir).unwrap(), dir.join(PLUGIN_MANIFEST_FILE));
        let e = manifest_for(&dir.join("other/deeper/x.wasm")).unwrap_err();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(e.to_string().contains("no chartkit-plugin.toml"), "{e}");
    }
}
