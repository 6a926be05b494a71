//! chartkit engine plugins as OCI artifacts, and the local plugin store.
//!
//! Artifact layout (an OCI 1.1 image manifest):
//! - `artifactType`: [`PLUGIN_ARTIFACT_TYPE`];
//! - config ([`PLUGIN_CONFIG_MEDIA_TYPE`]): the build record
//!   (`dist/<name>.json` as `chartkit plugin build` writes it: name,
//!   version, language, interface, engines, component, digest, size,
//!   manifestDigest, exports), generated from the manifest when absent;
//! - layers: the WebAssembly component ([`PLUGIN_COMPONENT_MEDIA_TYPE`])
//!   and the plugin manifest `chartkit-plugin.toml`
//!   ([`PLUGIN_MANIFEST_MEDIA_TYPE`]), each titled with its file name;
//! - tag: the plugin version (`+` as `_`) unless the reference names one.
//!
//! The store (`$CHARTKIT_PLUGINS_DIR`, else `$CHARTKIT_PLUGIN_DIR`, else
//! `$XDG_DATA_HOME/chartkit/plugins`, else
//! `~/.local/share/chartkit/plugins`) keeps each installed component by
//! content digest, `<name>/sha256-<hex>/{<name>.wasm, chartkit-plugin.toml,
//! <name>.json}`, and the active one as `<name>/<name>.wasm` +
//! `<name>/<name>.json`, where the plugin host looks for installed plugins.
//! Each manifest digest a component was installed from is recorded as
//! `<name>/sha256-<hex>/pins/sha256-<manifest hex>` (holding the reference),
//! so a chart pinning `oci://…@sha256:<manifest>` resolves offline, to
//! exactly that component, with [`find_pinned`].

use std::path::{Path, PathBuf};

use chartkit_yaml::Value;

use super::chart::fetch_image_manifest;
use super::client::{Client, MEDIA_TYPE_IMAGE_MANIFEST};
use super::digest::{self, sha256_digest};
use super::reference::Reference;
use super::{Descriptor, Manifest, OciError};
use crate::chartfile::GoJson;
use crate::fsutil::{atomic_write, go_path_error, temp_sibling};

/// The artifact type of chartkit plugins.
pub const PLUGIN_ARTIFACT_TYPE: &str = "application/vnd.chartkit.plugin.v1+wasm";
/// The config blob: the plugin's build record (JSON).
pub const PLUGIN_CONFIG_MEDIA_TYPE: &str = "application/vnd.chartkit.plugin.config.v1+json";
/// The WebAssembly component layer.
pub const PLUGIN_COMPONENT_MEDIA_TYPE: &str = "application/vnd.chartkit.plugin.component.v1+wasm";
/// The plugin manifest layer (`chartkit-plugin.toml`).
pub const PLUGIN_MANIFEST_MEDIA_TYPE: &str = "application/vnd.chartkit.plugin.manifest.v1+toml";
/// The plugin manifest's file name.
pub const PLUGIN_MANIFEST_FILE: &str = "chartkit-plugin.toml";

const ANN_TITLE: &str = "org.opencontainers.image.title";
const ANN_VERSION: &str = "org.opencontainers.image.version";
const ANN_DESCRIPTION: &str = "org.opencontainers.image.description";

/// A plugin ready to push.
#[derive(Debug, Clone)]
pub struct PluginArtifact {
    /// Plugin name (`[a-z][a-z0-9-]*`).
    pub name: String,
    /// Plugin version.
    pub version: String,
    /// The component bytes.
    pub component: Vec<u8>,
    /// `chartkit-plugin.toml` bytes.
    pub manifest: Vec<u8>,
    /// The build record (`dist/<name>.json`), if there is one.
    pub record: Option<Vec<u8>>,
}

fn is_plugin_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b[0].is_ascii_lowercase()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && !s.ends_with('-')
        && !s.contains("--")
}

fn manifest_fields(toml: &[u8]) -> Result<chartkit_yaml::Mapping, OciError> {
    let text = std::str::from_utf8(toml)
        .map_err(|_| OciError::Manifest(format!("{PLUGIN_MANIFEST_FILE} is not UTF-8")))?;
    match chartkit_yaml::toml::from_str(text) {
        Ok(Value::Map(m)) => Ok(m),
        Ok(_) => Err(OciError::Manifest(format!(
            "{PLUGIN_MANIFEST_FILE}: not a table"
        ))),
        Err(e) => Err(OciError::Manifest(format!("{PLUGIN_MANIFEST_FILE}: {e}"))),
    }
}

fn str_field(m: &chartkit_yaml::Mapping, k: &str) -> String {
    m.get(k).and_then(Value::as_str).unwrap_or("").to_string()
}

impl PluginArtifact {
    /// Reads a component, its manifest and (when `record` exists) its
    /// build record; name and version come from the manifest.
    pub fn from_files(
        component: &Path,
        manifest: &Path,
        record: Option<&Path>,
    ) -> Result<Self, OciError> {
        let read =
            |p: &Path| std::fs::read(p).map_err(|e| OciError::Io(go_path_error("open", p, &e)));
        let component_bytes = read(component)?;
        let manifest_bytes = read(manifest)?;
        let record = match record {
            Some(p) if p.is_file() => Some(read(p)?),
            _ => None,
        };
        Self::new(component_bytes, manifest_bytes, record)
    }

    /// An artifact from bytes; checks the name and, when a record is
    /// given, that it describes this component.
    pub fn new(
        component: Vec<u8>,
        manifest: Vec<u8>,
        record: Option<Vec<u8>>,
    ) -> Result<Self, OciError> {
        let m = manifest_fields(&manifest)?;
        let name = str_field(&m, "name");
        let version = str_field(&m, "version");
        if !is_plugin_name(&name) {
            return Err(OciError::Manifest(format!(
                "{PLUGIN_MANIFEST_FILE}: invalid plugin name {name:?}"
            )));
        }
        if version.is_empty() {
            return Err(OciError::Manifest(format!(
                "{PLUGIN_MANIFEST_FILE}: no version"
            )));
        }
        if let Some(r) = &record {
            let v: serde_json::Value = serde_json::from_slice(r)
                .map_err(|e| OciError::Manifest(format!("build record: {e}")))?;
            let d = v.get("digest").and_then(|d| d.as_str()).unwrap_or("");
            if d != sha256_digest(&component) {
                return Err(OciError::DigestMismatch {
                    what: "build record vs component".into(),
                    expected: d.to_string(),
                    actual: sha256_digest(&component),
                });
            }
        }
        Ok(PluginArtifact {
            name,
            version,
            component,
            manifest,
            record,
        })
    }

    /// The config blob: the build record, or one made from the manifest.
    pub fn config_bytes(&self) -> Result<Vec<u8>, OciError> {
        if let Some(r) = &self.record {
            return Ok(r.clone());
        }
        let m = manifest_fields(&self.manifest)?;
        let engines = match m.get("engines") {
            Some(Value::Seq(items)) => items
                .iter()
                .filter_map(|e| e.as_str().map(|s| GoJson::Str(s.to_string())))
                .collect(),
            _ => Vec::new(),
        };
        let record = GoJson::Obj(vec![
            ("name".into(), GoJson::Str(self.name.clone())),
            ("version".into(), GoJson::Str(self.version.clone())),
            ("language".into(), GoJson::Str(str_field(&m, "language"))),
            ("interface".into(), GoJson::Str(str_field(&m, "interface"))),
            ("engines".into(), GoJson::List(engines)),
            (
                "component".into(),
                GoJson::Str(format!("{}.wasm", self.name)),
            ),
            ("digest".into(), GoJson::Str(sha256_digest(&self.component))),
            (
                "size".into(),
                GoJson::Any(Value::Int(
                    i64::try_from(self.component.len()).unwrap_or(i64::MAX),
                )),
            ),
            (
                "manifestDigest".into(),
                GoJson::Str(sha256_digest(&self.manifest)),
            ),
            ("exports".into(), GoJson::List(Vec::new())),
        ]);
        record
            .to_json()
            .map(String::into_bytes)
            .map_err(|e| OciError::Manifest(e.to_string()))
    }
}

/// What [`push_plugin`] uploaded.
#[derive(Debug, Clone)]
pub struct PluginPushResult {
    /// `registry/repo:tag`.
    pub reference: String,
    /// The manifest digest: pin this (`oci://registry/repo@<digest>`).
    pub manifest_digest: String,
    /// The component's digest (what the plugin host caches by).
    pub component_digest: String,
}

/// Pushes a plugin to `oci://REGISTRY/REPO[:TAG]` (the tag defaults to
/// the plugin version).
pub fn push_plugin(
    client: &Client,
    artifact: &PluginArtifact,
    reference: &str,
) -> Result<PluginPushResult, OciError> {
    let parsed = Reference::parse(reference)?;
    if !parsed.digest.is_empty() {
        return Err(OciError::InvalidReference(
            "cannot push to a digest reference; give a tag or none".into(),
        ));
    }
    let target = if parsed.tag.is_empty() {
        parsed.with_tag(&artifact.version)
    } else {
        parsed
    };
    let config_bytes = artifact.config_bytes()?;
    let config = Descriptor::of(PLUGIN_CONFIG_MEDIA_TYPE, &config_bytes);
    let mut component = Descriptor::of(PLUGIN_COMPONENT_MEDIA_TYPE, &artifact.component);
    component
        .annotations
        .insert(ANN_TITLE.into(), format!("{}.wasm", artifact.name));
    let mut manifest_layer = Descriptor::of(PLUGIN_MANIFEST_MEDIA_TYPE, &artifact.manifest);
    manifest_layer
        .annotations
        .insert(ANN_TITLE.into(), PLUGIN_MANIFEST_FILE.into());
    let m = manifest_fields(&artifact.manifest)?;
    let mut annotations = std::collections::BTreeMap::new();
    annotations.insert(ANN_TITLE.to_string(), artifact.name.clone());
    annotations.insert(ANN_VERSION.to_string(), artifact.version.clone());
    let description = str_field(&m, "description");
    if !description.trim().is_empty() {
        annotations.insert(ANN_DESCRIPTION.to_string(), description);
    }
    let manifest = Manifest {
        media_type: MEDIA_TYPE_IMAGE_MANIFEST.into(),
        artifact_type: PLUGIN_ARTIFACT_TYPE.into(),
        config: config.clone(),
        layers: vec![component.clone(), manifest_layer.clone()],
        annotations,
    };
    let json = manifest.to_json()?;
    client.push_blob(&target, &config, &config_bytes)?;
    client.push_blob(&target, &component, &artifact.component)?;
    client.push_blob(&target, &manifest_layer, &artifact.manifest)?;
    let manifest_digest = client.push_manifest(
        &target,
        &target.tag,
        MEDIA_TYPE_IMAGE_MANIFEST,
        json.as_bytes(),
    )?;
    Ok(PluginPushResult {
        reference: target.to_string(),
        manifest_digest,
        component_digest: component.digest,
    })
}

/// A plugin fetched and verified, still in memory.
#[derive(Debug, Clone)]
pub struct PulledPlugin {
    /// The reference resolved (`registry/repo:tag` or `@digest`).
    pub reference: String,
    /// The manifest digest.
    pub manifest_digest: String,
    /// Plugin name (from the manifest layer).
    pub name: String,
    /// Plugin version.
    pub version: String,
    /// Component bytes (verified).
    pub component: Vec<u8>,
    /// The component digest.
    pub component_digest: String,
    /// `chartkit-plugin.toml` bytes (verified).
    pub manifest: Vec<u8>,
    /// The config blob (the build record).
    pub record: Vec<u8>,
}

impl PulledPlugin {
    /// Writes `<name>.wasm`, `chartkit-plugin.toml` and `<name>.json` into
    /// `dir` (atomically, each) and returns the component's path.
    pub fn write_to(&self, dir: &Path) -> Result<PathBuf, OciError> {
        std::fs::create_dir_all(dir).map_err(|e| OciError::Io(go_path_error("mkdir", dir, &e)))?;
        let component = dir.join(format!("{}.wasm", self.name));
        for (path, data) in [
            (dir.join(PLUGIN_MANIFEST_FILE), &self.manifest),
            (dir.join(format!("{}.json", self.name)), &self.record),
            (component.clone(), &self.component),
        ] {
            atomic_write(&path, data)
                .map_err(|e| OciError::Io(go_path_error("open", &path, &e)))?;
        }
        Ok(component)
    }
}

/// Fetches a plugin (`oci://REGISTRY/REPO:TAG` or `...@sha256:...`),
/// verifying the manifest, config and both layers against their digests
/// and the artifact type. Nothing is written.
pub fn pull_plugin(client: &Client, reference: &str) -> Result<PulledPlugin, OciError> {
    let parsed = Reference::parse(reference)?;
    if parsed.tag.is_empty() && parsed.digest.is_empty() {
        return Err(OciError::InvalidReference(format!(
            "{reference:?}: give a tag or a digest"
        )));
    }
    let (manifest, manifest_digest) = fetch_image_manifest(client, &parsed, parsed.reference())?;
    if manifest.artifact_type != PLUGIN_ARTIFACT_TYPE
        && manifest.config.media_type != PLUGIN_CONFIG_MEDIA_TYPE
    {
        return Err(OciError::Manifest(format!(
            "{parsed} is not a chartkit plugin (artifact type {:?}, config {:?})",
            manifest.artifact_type, manifest.config.media_type
        )));
    }
    let layer = |mt: &str| -> Result<&Descriptor, OciError> {
        manifest
            .layers
            .iter()
            .find(|d| d.media_type == mt)
            .ok_or_else(|| {
                OciError::Manifest(format!(
                    "manifest does not contain a layer with mediatype {mt}"
                ))
            })
    };
    let component_desc = layer(PLUGIN_COMPONENT_MEDIA_TYPE)?.clone();
    let manifest_desc = layer(PLUGIN_MANIFEST_MEDIA_TYPE)?.clone();
    let record = client.fetch_blob(&parsed, &manifest.config)?;
    let toml = client.fetch_blob(&parsed, &manifest_desc)?;
    let component = client.fetch_blob(&parsed, &component_desc)?;
    let artifact = PluginArtifact::new(component, toml, None)?;
    // The record, when it names a digest, must name this component.
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(&record)
        && let Some(d) = v.get("digest").and_then(|d| d.as_str())
        && d != component_desc.digest
    {
        return Err(OciError::DigestMismatch {
            what: "plugin config vs component".into(),
            expected: d.to_string(),
            actual: component_desc.digest.clone(),
        });
    }
    Ok(PulledPlugin {
        reference: parsed.to_string(),
        manifest_digest,
        name: artifact.name,
        version: artifact.version,
        component: artifact.component,
        component_digest: component_desc.digest,
        manifest: artifact.manifest,
        record,
    })
}

/// An installed plugin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstalledPlugin {
    /// Plugin name.
    pub name: String,
    /// The component digest.
    pub digest: String,
    /// `<store>/<name>/sha256-<hex>/`.
    pub dir: PathBuf,
    /// The component in the digest directory.
    pub component: PathBuf,
    /// The active copy the plugin host loads: `<store>/<name>/<name>.wasm`.
    pub active: PathBuf,
}

/// The plugin store directory (see the module docs); `None` without a
/// home directory.
pub fn plugin_store_dir() -> Option<PathBuf> {
    let var = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    var("CHARTKIT_PLUGINS_DIR")
        .or_else(|| var("CHARTKIT_PLUGIN_DIR"))
        .or_else(|| var("XDG_DATA_HOME").map(|d| d.join("chartkit").join("plugins")))
        .or_else(|| var("HOME").map(|h| h.join(".local/share/chartkit/plugins")))
}

fn digest_dir_name(digest: &str) -> String {
    digest.replace(':', "-")
}

/// Checks an installed digest directory: the component hashes to the
/// directory's digest and the manifest names the plugin.
pub fn verify_installed(dir: &Path) -> Result<InstalledPlugin, OciError> {
    let dir_name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let Some(hex) = dir_name.strip_prefix("sha256-") else {
        return Err(OciError::Io(format!(
            "{}: not a plugin digest directory",
            dir.display()
        )));
    };
    let digest = format!("sha256:{hex}");
    let toml_path = dir.join(PLUGIN_MANIFEST_FILE);
    let toml = std::fs::read(&toml_path)
        .map_err(|e| OciError::Io(go_path_error("open", &toml_path, &e)))?;
    let m = manifest_fields(&toml)?;
    let name = str_field(&m, "name");
    if !is_plugin_name(&name) {
        return Err(OciError::Manifest(format!(
            "{}: invalid plugin name {name:?}",
            toml_path.display()
        )));
    }
    let component = dir.join(format!("{name}.wasm"));
    let bytes = std::fs::read(&component)
        .map_err(|e| OciError::Io(go_path_error("open", &component, &e)))?;
    if !digest::matches(&digest, &bytes) {
        return Err(OciError::DigestMismatch {
            what: format!("installed plugin {}", component.display()),
            expected: digest,
            actual: sha256_digest(&bytes),
        });
    }
    let active = dir
        .parent()
        .map(|p| p.join(format!("{name}.wasm")))
        .unwrap_or_else(|| component.clone());
    Ok(InstalledPlugin {
        name,
        digest,
        dir: dir.to_path_buf(),
        component,
        active,
    })
}

/// Pulls a plugin and installs it into `store` (default
/// [`plugin_store_dir`]) under its component digest, then makes it the
/// active version. The digest directory is written in full under a
/// temporary name, verified, then renamed into place; an existing digest
/// directory is reused only if it verifies, else replaced.
pub fn install_plugin(
    client: &Client,
    reference: &str,
    store: Option<&Path>,
) -> Result<InstalledPlugin, OciError> {
    let store = match store {
        Some(s) => s.to_path_buf(),
        None => plugin_store_dir().ok_or_else(|| {
            OciError::Io("no plugin directory: set CHARTKIT_PLUGINS_DIR or HOME".into())
        })?,
    };
    let pulled = pull_plugin(client, reference)?;
    let plugin_dir = store.join(&pulled.name);
    std::fs::create_dir_all(&plugin_dir)
        .map_err(|e| OciError::Io(go_path_error("mkdir", &plugin_dir, &e)))?;
    let final_dir = plugin_dir.join(digest_dir_name(&pulled.component_digest));
    let reuse =
        final_dir.is_dir() && verify_installed(&final_dir).is_ok_and(|i| i.name == pulled.name);
    if !reuse {
        let tmp = temp_sibling(&final_dir);
        let staged = (|| {
            pulled.write_to(&tmp)?;
            verify_installed_at(&tmp, &pulled)?;
            if final_dir.exists() {
                std::fs::remove_dir_all(&final_dir)
                    .map_err(|e| OciError::Io(go_path_error("remove", &final_dir, &e)))?;
            }
            std::fs::rename(&tmp, &final_dir)
                .map_err(|e| OciError::Io(go_path_error("rename", &final_dir, &e)))?;
            Ok::<_, OciError>(())
        })();
        if let Err(e) = staged {
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(e);
        }
    }
    let installed = verify_installed(&final_dir)?;
    // The manifest digest this component came from: what charts pin.
    let pins = final_dir.join(PINS_DIR);
    std::fs::create_dir_all(&pins).map_err(|e| OciError::Io(go_path_error("mkdir", &pins, &e)))?;
    let pin = pins.join(digest_dir_name(&pulled.manifest_digest));
    atomic_write(&pin, format!("{}\n", pulled.reference).as_bytes())
        .map_err(|e| OciError::Io(go_path_error("open", &pin, &e)))?;
    // The active copy, where the plugin host looks: component and record.
    let active = plugin_dir.join(format!("{}.wasm", pulled.name));
    atomic_write(&active, &pulled.component)
        .map_err(|e| OciError::Io(go_path_error("open", &active, &e)))?;
    let record = plugin_dir.join(format!("{}.json", pulled.name));
    atomic_write(&record, &pulled.record)
        .map_err(|e| OciError::Io(go_path_error("open", &record, &e)))?;
    let written =
        std::fs::read(&active).map_err(|e| OciError::Io(go_path_error("open", &active, &e)))?;
    if !digest::matches(&pulled.component_digest, &written) {
        return Err(OciError::DigestMismatch {
            what: format!("installed plugin {}", active.display()),
            expected: pulled.component_digest.clone(),
            actual: sha256_digest(&written),
        });
    }
    Ok(InstalledPlugin {
        active,
        ..installed
    })
}

/// The directory of an installed component holding one file per manifest
/// digest it was installed from.
const PINS_DIR: &str = "pins";

/// The installed plugin a chart pins as `oci://…@<manifest_digest>`: the
/// component installed from that manifest (verified against its digest), or
/// `None` when no installed component came from it. Looks only in `store`;
/// nothing is fetched.
pub fn find_pinned(
    store: &Path,
    manifest_digest: &str,
) -> Result<Option<InstalledPlugin>, OciError> {
    let Some(hex) = manifest_digest.strip_prefix("sha256:") else {
        return Err(OciError::InvalidReference(format!(
            "{manifest_digest:?}: only sha256 digests are supported"
        )));
    };
    if hex.len() != 64 || !hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return Err(OciError::InvalidReference(format!(
            "{manifest_digest:?}: a sha256 digest is 64 lowercase hex digits"
        )));
    }
    let pin_name = digest_dir_name(manifest_digest);
    let sorted = |dir: &Path| -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
            .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        v.sort();
        v
    };
    for plugin_dir in sorted(store).into_iter().filter(|d| d.is_dir()) {
        for digest_dir in sorted(&plugin_dir) {
            let is_digest_dir = digest_dir
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("sha256-"));
            if is_digest_dir && digest_dir.join(PINS_DIR).join(&pin_name).is_file() {
                return verify_installed(&digest_dir).map(Some);
            }
        }
    }
    Ok(None)
}

/// Verifies a staged (temporary) directory holding `pulled`.
fn verify_installed_at(dir: &Path, pulled: &PulledPlugin) -> Result<(), OciError> {
    let component = dir.join(format!("{}.wasm", pulled.name));
    let bytes = std::fs::read(&component)
        .map_err(|e| OciError::Io(go_path_error("open", &component, &e)))?;
    if !digest::matches(&pulled.component_digest, &bytes) {
        return Err(OciError::DigestMismatch {
            what: format!("staged plugin {}", component.display()),
            expected: pulled.component_digest.clone(),
            actual: sha256_digest(&bytes),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOML: &[u8] = b"name = \"demo\"\nversion = \"0.1.0\"\nlanguage = \"rust\"\ninterface = \"0.1.0\"\nengines = [\"x >=1\"]\n";

    #[test]
    fn artifact_from_manifest() {
        let a = PluginArtifact::new(b"\0asm".to_vec(), TOML.to_vec(), None).unwrap();
        assert_eq!((a.name.as_str(), a.version.as_str()), ("demo", "0.1.0"));
        let cfg: serde_json::Value = serde_json::from_slice(&a.config_bytes().unwrap()).unwrap();
        assert_eq!(cfg["digest"], sha256_digest(b"\0asm"));
        assert_eq!(cfg["engines"][0], "x >=1");
        // A record for another component is refused.
        let bad = br#"{"digest":"sha256:0000000000000000000000000000000000000000000000000000000000000000"}"#;
        assert!(PluginArtifact::new(b"\0asm".to_vec(), TOML.to_vec(), Some(bad.to_vec())).is_err());
        assert!(
            PluginArtifact::new(
                b"".to_vec(),
                b"name = \"Bad\"\nversion=\"1\"".to_vec(),
                None
            )
            .is_err()
        );
    }

    #[test]
    fn verify_detects_tampering() {
        let store = tempfile::tempdir().unwrap();
        let d = sha256_digest(b"\0asm");
        let dir = store.path().join("demo").join(digest_dir_name(&d));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(PLUGIN_MANIFEST_FILE), TOML).unwrap();
        std::fs::write(dir.join("demo.wasm"), b"\0asm").unwrap();
        let i = verify_installed(&dir).unwrap();
        assert_eq!(i.digest, d);
        std::fs::write(dir.join("demo.wasm"), b"\0asX").unwrap();
        assert!(matches!(
            verify_installed(&dir),
            Err(OciError::DigestMismatch { .. })
        ));
    }

    #[test]
    fn pins_resolve_offline_to_the_verified_component() {
        let store = tempfile::tempdir().unwrap();
        let d = sha256_digest(b"\0asm");
        let dir = store.path().join("demo").join(digest_dir_name(&d));
        std::fs::create_dir_all(dir.join(PINS_DIR)).unwrap();
        std::fs::write(dir.join(PLUGIN_MANIFEST_FILE), TOML).unwrap();
        std::fs::write(dir.join("demo.wasm"), b"\0asm").unwrap();
        let manifest = format!("sha256:{}", "a".repeat(64));
        std::fs::write(
            dir.join(PINS_DIR).join(digest_dir_name(&manifest)),
            "r/demo\n",
        )
        .unwrap();
        let found = find_pinned(store.path(), &manifest).unwrap().unwrap();
        assert_eq!(
            (found.name.as_str(), found.digest.as_str()),
            ("demo", d.as_str())
        );
        assert_eq!(found.component, dir.join("demo.wasm"));
        // Another manifest digest is not installed.
        let other = format!("sha256:{}", "b".repeat(64));
        assert!(find_pinned(store.path(), &other).unwrap().is_none());
        // Malformed digests are refused, not searched for.
        assert!(find_pinned(store.path(), "sha256:abc").is_err());
        assert!(find_pinned(store.path(), &format!("md5:{}", "a".repeat(64))).is_err());
        // A tampered component fails verification instead of loading.
        std::fs::write(dir.join("demo.wasm"), b"\0asX").unwrap();
        assert!(matches!(
            find_pinned(store.path(), &manifest),
            Err(OciError::DigestMismatch { .. })
        ));
    }
}
