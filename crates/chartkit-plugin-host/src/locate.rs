//! Finding plugins: a `.wasm` file, a plugin directory (with `chartkit-plugin.toml`), or the
//! name of an installed plugin.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::builder::BuildRecord;
use crate::error::Error;
use crate::host::{Plugin, PluginHost};
use crate::manifest::{MANIFEST_FILE, Manifest, is_plugin_name};

/// Where a plugin came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum PluginSource {
    /// A component file given directly.
    File,
    /// A plugin source directory.
    Dir {
        /// The directory.
        dir: PathBuf,
    },
    /// An installed plugin.
    Installed {
        /// Its directory under [`installed_dir`].
        dir: PathBuf,
    },
}

/// A plugin found on disk.
#[derive(Debug, Clone)]
pub struct Located {
    /// Where it came from.
    pub source: PluginSource,
    /// The component file.
    pub component: PathBuf,
    /// The manifest, for directories.
    pub manifest: Option<Manifest>,
    /// The build record written by `chartkit plugin build`, when there is one.
    pub record: Option<BuildRecord>,
}

/// Installed plugins live in `$CHARTKIT_PLUGINS_DIR`, else `$XDG_DATA_HOME/chartkit/plugins`,
/// else `$HOME/.local/share/chartkit/plugins`: one directory per plugin holding `<name>.wasm`
/// and its build record `<name>.json`.
pub fn installed_dir() -> Option<PathBuf> {
    let var = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(d) = var("CHARTKIT_PLUGINS_DIR") {
        return Some(d);
    }
    if let Some(d) = var("XDG_DATA_HOME") {
        return Some(d.join("chartkit").join("plugins"));
    }
    var("HOME").map(|h| {
        h.join(".local")
            .join("share")
            .join("chartkit")
            .join("plugins")
    })
}

/// Resolves `spec`: an existing file, an existing directory, or an installed plugin's name.
pub fn locate(spec: &str) -> Result<Located, Error> {
    let path = Path::new(spec);
    if path.is_file() {
        return Ok(Located {
            source: PluginSource::File,
            component: path.to_path_buf(),
            manifest: None,
            record: None,
        });
    }
    if path.is_dir() {
        return locate_dir(path);
    }
    let mut looked_in = vec![path.to_path_buf()];
    if is_plugin_name(spec)
        && let Some(root) = installed_dir()
    {
        let dir = root.join(spec);
        let component = dir.join(format!("{spec}.wasm"));
        if component.is_file() {
            let record = read_record(&dir.join(format!("{spec}.json")));
            return Ok(Located {
                source: PluginSource::Installed { dir },
                component,
                manifest: None,
                record,
            });
        }
        looked_in.push(component);
    }
    Err(Error::NotFound {
        spec: spec.to_string(),
        looked_in,
    })
}

fn locate_dir(dir: &Path) -> Result<Located, Error> {
    let manifest = Manifest::read_dir(dir)?;
    let dist = manifest.dist_component(dir);
    let built = dir.join(&manifest.build.output);
    let component = if dist.is_file() {
        dist.clone()
    } else if built.is_file() {
        built.clone()
    } else {
        return Err(Error::Build {
            name: manifest.name.clone(),
            message: format!(
                "not built yet ({} is missing): run `chartkit plugin build {}`",
                dist.display(),
                dir.display()
            ),
        });
    };
    let record = read_record(&manifest.dist_record(dir));
    Ok(Located {
        source: PluginSource::Dir {
            dir: dir.to_path_buf(),
        },
        component,
        manifest: Some(manifest),
        record,
    })
}

fn read_record(path: &Path) -> Option<BuildRecord> {
    let text = std::fs::read_to_string(path).ok()?;
    serde_json::from_str(&text).ok()
}

impl PluginHost {
    /// Loads a plugin from a `.wasm` file, a plugin directory, or an installed name.
    pub fn load(&self, spec: &str) -> Result<Plugin, Error> {
        let located = locate(spec)?;
        self.load_file(&located.component)
    }
}

/// One line of `chartkit plugin list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PluginListing {
    /// Plugin name.
    pub name: String,
    /// Version from the manifest or build record.
    pub version: String,
    /// Source language, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Where it is.
    pub source: PluginSource,
    /// The component, if built.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component: Option<PathBuf>,
    /// `sha256:<hex>` from the build record, if built by chartkit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
}

/// Plugin directories directly under `source_root` (those with a manifest), then installed
/// plugins; each group sorted by name. Unreadable entries are skipped.
pub fn list_plugins(source_root: &Path) -> Vec<PluginListing> {
    let mut out = Vec::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(source_root)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    dirs.sort();
    for dir in dirs.iter().filter(|d| d.join(MANIFEST_FILE).is_file()) {
        let Ok(m) = Manifest::read_dir(dir) else {
            continue;
        };
        let record = read_record(&m.dist_record(dir));
        let dist = m.dist_component(dir);
        out.push(PluginListing {
            version: m.version.clone(),
            language: Some(
                serde_json::to_value(m.language)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default(),
            ),
            source: PluginSource::Dir { dir: dir.clone() },
            component: dist.is_file().then_some(dist),
            digest: record.map(|r| r.digest),
            name: m.name,
        });
    }
    if let Some(root) = installed_dir() {
        let mut names: Vec<String> = std::fs::read_dir(&root)
            .map(|rd| {
                rd.filter_map(|e| e.ok()?.file_name().into_string().ok())
                    .filter(|n| is_plugin_name(n))
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        for name in names {
            let dir = root.join(&name);
            let component = dir.join(format!("{name}.wasm"));
            if !component.is_file() {
                continue;
            }
            let record = read_record(&dir.join(format!("{name}.json")));
            out.push(PluginListing {
                version: record
                    .as_ref()
                    .map(|r| r.version.clone())
                    .unwrap_or_default(),
                language: record.as_ref().map(|r| r.language.clone()),
                digest: record.map(|r| r.digest),
                source: PluginSource::Installed { dir },
                component: Some(component),
                name,
            });
        }
    }
    out
}

/// Copies a built plugin (component and build record) into [`installed_dir`]`/<name>/`.
pub fn install(located: &Located, name: &str) -> Result<PathBuf, Error> {
    let root = installed_dir().ok_or_else(|| Error::Build {
        name: name.to_string(),
        message: "no install directory: set CHARTKIT_PLUGINS_DIR or HOME".into(),
    })?;
    let dir = root.join(name);
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io {
            what: "installed plugin",
            path,
            source,
        }
    };
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    let dest = dir.join(format!("{name}.wasm"));
    std::fs::copy(&located.component, &dest).map_err(io(&dest))?;
    if let Some(record) = &located.record {
        let path = dir.join(format!("{name}.json"));
        let text = serde_json::to_string_pretty(record).unwrap_or_default() + "\n";
        std::fs::write(&path, text).map_err(io(&path))?;
    }
    Ok(dir)
}
