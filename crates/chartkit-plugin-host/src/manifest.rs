//! `chartkit-plugin.toml`: what a plugin is and how to build it
//! (schema: `schemas/plugin-manifest.schema.json`).
//!
//! ```toml
//! name = "elasticsearch"
//! version = "0.1.0"
//! description = "Elasticsearch discovery, health wait, lint"
//! language = "rust"
//! interface = "0.1.0"
//! engines = ["elasticsearch >=6 <10"]
//!
//! [build]
//! command = ["cargo", "build", "--release", "--target", "wasm32-wasip2", "--target-dir", "target"]
//! output = "target/wasm32-wasip2/release/chartkit_plugin_elasticsearch.wasm"
//! ```

use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::versions::InterfaceVersion;

/// File name of the manifest inside a plugin directory.
pub const MANIFEST_FILE: &str = "chartkit-plugin.toml";

/// A plugin manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Plugin name, `[a-z][a-z0-9-]*`; must equal what `describe()` returns.
    pub name: String,
    /// Plugin version (semver); must equal what `describe()` returns.
    pub version: String,
    /// One line.
    #[serde(default)]
    pub description: String,
    /// Source language.
    pub language: Language,
    /// The `chartkit:engine` interface version the plugin implements.
    pub interface: String,
    /// Engines handled (`elasticsearch >=7 <10`).
    #[serde(default)]
    pub engines: Vec<String>,
    /// How to build it.
    pub build: BuildRecipe,
}

/// Source languages chartkit knows how to talk about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// Rust (`wasm32-wasip2`).
    Rust,
    /// Python (componentize-py).
    Python,
    /// JavaScript (componentize-qjs, jco).
    JavaScript,
    /// TypeScript.
    TypeScript,
    /// Go (wasip1 + adapter).
    Go,
    /// C (clang/zig + wit-bindgen).
    C,
    /// AssemblyScript.
    AssemblyScript,
    /// Anything else.
    Other,
}

/// The build recipe: commands run in the plugin directory, without a shell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BuildRecipe {
    /// Run first when `setup.creates` does not exist (e.g. `npm ci` creating `node_modules`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setup: Option<Setup>,
    /// The build command (argv).
    pub command: Vec<String>,
    /// The component it produces, relative to the plugin directory.
    pub output: String,
}

/// A one-time setup step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Setup {
    /// The command (argv).
    pub command: Vec<String>,
    /// A path (relative to the plugin directory) the command creates; its presence skips it.
    pub creates: String,
}

impl Manifest {
    /// Reads and validates `<dir>/chartkit-plugin.toml`.
    pub fn read_dir(dir: &Path) -> Result<Self, Error> {
        Self::read(&dir.join(MANIFEST_FILE))
    }

    /// Reads and validates a manifest file.
    pub fn read(path: &Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            what: "manifest",
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&text).map_err(|message| Error::Manifest {
            path: path.to_path_buf(),
            message,
        })
    }

    /// Parses and validates manifest text.
    pub fn parse(text: &str) -> Result<Self, String> {
        let m: Manifest = toml::from_str(text).map_err(|e| e.to_string().trim().to_string())?;
        m.validate()?;
        Ok(m)
    }

    fn validate(&self) -> Result<(), String> {
        if !is_plugin_name(&self.name) {
            return Err(format!(
                "name {:?} must match [a-z][a-z0-9-]* (at most 63 chars)",
                self.name
            ));
        }
        if !is_semver(&self.version) {
            return Err(format!(
                "version {:?} is not a semver version",
                self.version
            ));
        }
        self.interface
            .parse::<InterfaceVersion>()
            .map_err(|e| format!("interface: {e}"))?;
        if self.build.command.is_empty() || self.build.command[0].is_empty() {
            return Err("build.command is empty".into());
        }
        relative("build.output", &self.build.output)?;
        if let Some(setup) = &self.build.setup {
            if setup.command.is_empty() {
                return Err("build.setup.command is empty".into());
            }
            relative("build.setup.creates", &setup.creates)?;
        }
        Ok(())
    }

    /// The interface version.
    pub fn interface_version(&self) -> InterfaceVersion {
        // Invariant: validate() parsed it.
        self.interface
            .parse()
            .unwrap_or(InterfaceVersion::new(0, 0, 0))
    }

    /// Where `chartkit plugin build` puts the component: `<dir>/dist/<name>.wasm`.
    pub fn dist_component(&self, dir: &Path) -> PathBuf {
        dir.join("dist").join(format!("{}.wasm", self.name))
    }

    /// Where `chartkit plugin build` puts the build record: `<dir>/dist/<name>.json`.
    pub fn dist_record(&self, dir: &Path) -> PathBuf {
        dir.join("dist").join(format!("{}.json", self.name))
    }
}

fn relative(what: &str, p: &str) -> Result<(), String> {
    let path = Path::new(p);
    if p.is_empty()
        || path.is_absolute()
        || path
            .components()
            .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return Err(format!(
            "{what} {p:?} must be a relative path inside the plugin directory"
        ));
    }
    Ok(())
}

/// `[a-z][a-z0-9-]*`, at most 63 characters, no trailing or doubled `-`.
pub(crate) fn is_plugin_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b[0].is_ascii_lowercase()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && !s.ends_with('-')
        && !s.contains("--")
}

fn is_semver(s: &str) -> bool {
    let core = s.split(['-', '+']).next().unwrap_or("");
    core.parse::<InterfaceVersion>().is_ok()
        && s[core.len()..]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-+.".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
name = "consul"
version = "0.1.0-rc.1"
language = "python"
interface = "0.1.0"
[build]
command = ["componentize-py", "componentize", "app"]
output = "dist/consul.wasm"
"#;

    #[test]
    fn parses_a_manifest() {
        let m = Manifest::parse(GOOD).unwrap();
        assert_eq!(m.language, Language::Python);
        assert_eq!(m.interface_version(), InterfaceVersion::new(0, 1, 0));
        assert_eq!(
            m.dist_component(Path::new("p")),
            Path::new("p/dist/consul.wasm")
        );
    }

    #[test]
    fn rejects_bad_manifests() {
        let cases = [
            (GOOD.replace("consul\"", "Consul\""), "name"),
            (GOOD.replace("0.1.0-rc.1", "1.0"), "version"),
            (
                GOOD.replace("interface = \"0.1.0\"", "interface = \"x\""),
                "interface",
            ),
            (
                GOOD.replace("dist/consul.wasm", "../x.wasm"),
                "build.output",
            ),
            (
                GOOD.replace("dist/consul.wasm", "/tmp/x.wasm"),
                "build.output",
            ),
            (GOOD.replace("python", "cobol"), "unknown variant"),
            (
                GOOD.replace("[build]", "extra = 1\n[build]"),
                "unknown field",
            ),
            (
                GOOD.replace(
                    "command = [\"componentize-py\", \"componentize\", \"app\"]",
                    "command = []",
                ),
                "build.command",
            ),
        ];
        for (text, want) in cases {
            let e = Manifest::parse(&text).unwrap_err();
            assert!(e.contains(want), "{want}: {e}");
        }
    }

    #[test]
    fn plugin_names() {
        for ok in ["es", "mongo-db", "a1"] {
            assert!(is_plugin_name(ok), "{ok}");
        }
        for bad in ["", "1a", "A", "a_b", "a-", "a--b", "../x"] {
            assert!(!is_plugin_name(bad), "{bad}");
        }
    }
}
