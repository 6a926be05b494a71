//! `chartkit plugin new`: an engine plugin project (Rust, Python or JavaScript) implementing
//! the WIT world `chartkit:engine`, with the WIT vendored in so it builds outside chartkit.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use minijinja::context;

use crate::template::{Source, tpl};
use crate::{Error, GeneratedFile, names, write};

/// The WIT package every plugin implements (chartkit's `plugins/wit/engine.wit`), copied into
/// each generated project as `wit/engine.wit`.
pub const ENGINE_WIT: &str = include_str!("../../../plugins/wit/engine.wit");

/// A plugin's source language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Rust, `wasm32-wasip2` + wit-bindgen.
    Rust,
    /// Python, componentize-py.
    Python,
    /// JavaScript, componentize-qjs (QuickJS).
    Js,
}

impl Lang {
    /// Every language, in the order `--help` lists them.
    pub const ALL: [Lang; 3] = [Lang::Rust, Lang::Python, Lang::Js];

    /// The short name: `rust`, `python`, `js`.
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Rust => "rust",
            Lang::Python => "python",
            Lang::Js => "js",
        }
    }

    /// The manifest's `language` value.
    pub fn manifest_language(self) -> &'static str {
        match self {
            Lang::Rust => "rust",
            Lang::Python => "python",
            Lang::Js => "javascript",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing a [`Lang`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown plugin language {0:?} (rust, python, js)")]
pub struct UnknownLang(pub String);

impl FromStr for Lang {
    type Err = UnknownLang;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "rust" => Ok(Lang::Rust),
            "python" | "py" => Ok(Lang::Python),
            "js" | "javascript" => Ok(Lang::Js),
            _ => Err(UnknownLang(s.to_string())),
        }
    }
}

/// The `chartkit:engine` version of [`ENGINE_WIT`] (its `package chartkit:engine@X.Y.Z;` line).
pub fn interface_version() -> Result<&'static str, Error> {
    ENGINE_WIT
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("package chartkit:engine@")
                .and_then(|rest| rest.strip_suffix(';'))
        })
        .ok_or_else(|| Error::Template {
            template: "wit/engine.wit".into(),
            message: "no `package chartkit:engine@X.Y.Z;` line".into(),
        })
}

fn sources(lang: Lang) -> Vec<Source> {
    let mut s = vec![
        tpl!(
            "chartkit-plugin.toml",
            "plugin/common/chartkit-plugin.toml.j2"
        ),
        tpl!("README.md", "plugin/common/README.md.j2"),
        tpl!(".gitignore", "plugin/common/gitignore.j2"),
        tpl!("testdata/topology.json", "plugin/common/topology.json.j2"),
        Source {
            out: "wit/engine.wit",
            name: "plugins/wit/engine.wit",
            text: ENGINE_WIT,
            verbatim: true,
            executable: false,
        },
    ];
    match lang {
        Lang::Rust => s.extend([
            tpl!("Cargo.toml", "plugin/rust/Cargo.toml.j2"),
            tpl!("src/lib.rs", "plugin/rust/lib.rs.j2"),
            tpl!("src/engine.rs", "plugin/rust/engine.rs.j2"),
        ]),
        Lang::Python => s.extend([
            tpl!("app.py", "plugin/python/app.py.j2"),
            tpl!("engine.py", "plugin/python/engine.py.j2"),
            tpl!("tests/test_engine.py", "plugin/python/test_engine.py.j2"),
        ]),
        Lang::Js => s.extend([
            tpl!("package.json", "plugin/js/package.json.j2"),
            tpl!("plugin.js", "plugin/js/plugin.js.j2"),
            tpl!("test/plugin.test.js", "plugin/js/plugin.test.js.j2"),
        ]),
    }
    s
}

/// The files of a new plugin project named `name`, in memory.
pub fn plugin_files(name: &str, lang: Lang) -> Result<Vec<GeneratedFile>, Error> {
    names::validate_plugin_name(name)?;
    let interface = interface_version()?;
    let crate_name = format!("chartkit-plugin-{name}");
    let ctx = context! {
        name => name,
        lang => lang.as_str(),
        language => lang.manifest_language(),
        language_title => match lang {
            Lang::Rust => "Rust",
            Lang::Python => "Python",
            Lang::Js => "JavaScript",
        },
        logic_file => match lang {
            Lang::Rust => "src/engine.rs",
            Lang::Python => "engine.py",
            Lang::Js => "plugin.js",
        },
        interface => interface,
        lib_name => crate_name.replace('-', "_"),
        crate_name => crate_name,
        description => "Members addressed through the headless Service (SEED_HOSTS)",
    };
    crate::template::render(&sources(lang), &ctx)
}

/// Writes a new plugin project named `name` into `dest` (absent or empty). Returns the files
/// written.
pub fn create_plugin(dest: &Path, name: &str, lang: Lang) -> Result<Vec<PathBuf>, Error> {
    let files = plugin_files(name, lang)?;
    write::write_tree(dest, &files, &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file<'a>(files: &'a [GeneratedFile], path: &str) -> &'a str {
        &files
            .iter()
            .find(|f| f.path == path)
            .unwrap_or_else(|| panic!("no {path}"))
            .contents
    }

    #[test]
    fn the_vendored_wit_is_chartkits() {
        assert_eq!(interface_version().unwrap(), "0.1.0");
        let files = plugin_files("etcd", Lang::Rust).unwrap();
        assert_eq!(file(&files, "wit/engine.wit"), ENGINE_WIT);
    }

    #[test]
    fn every_language_renders_without_leftover_delimiters() {
        for lang in Lang::ALL {
            let files = plugin_files("etcd-db", lang).unwrap();
            for f in &files {
                for d in ["<<", ">>", "<%", "%>", "<#", "#>"] {
                    assert!(
                        !f.contents.contains(d) || f.path == "wit/engine.wit",
                        "{lang} {}: {d}",
                        f.path
                    );
                }
            }
            let manifest = file(&files, "chartkit-plugin.toml");
            assert!(manifest.contains("name = \"etcd-db\""), "{manifest}");
            assert!(
                manifest.contains(&format!("language = \"{}\"", lang.manifest_language())),
                "{manifest}"
            );
            assert!(manifest.contains("interface = \"0.1.0\""), "{manifest}");
        }
    }

    #[test]
    fn rust_names_follow_cargo() {
        let files = plugin_files("etcd-db", Lang::Rust).unwrap();
        assert!(file(&files, "Cargo.toml").contains("name = \"chartkit-plugin-etcd-db\""));
        assert!(
            file(&files, "chartkit-plugin.toml")
                .contains("target/wasm32-wasip2/release/chartkit_plugin_etcd_db.wasm")
        );
        assert!(file(&files, "src/engine.rs").contains("pub const NAME: &str = \"etcd-db\";"));
    }

    #[test]
    fn generated_rust_is_rustfmt_clean() {
        let Ok(v) = std::process::Command::new("rustfmt")
            .arg("--version")
            .output()
        else {
            eprintln!("skipped: no rustfmt");
            return;
        };
        assert!(v.status.success());
        for name in ["a", &format!("x{}", "-y".repeat(31))] {
            let tmp = tempfile::tempdir().unwrap();
            let dest = tmp.path().join("p");
            create_plugin(&dest, name, Lang::Rust).unwrap();
            let out = std::process::Command::new("rustfmt")
                .args(["--edition", "2024", "--check"])
                .arg(dest.join("src/lib.rs"))
                .arg(dest.join("src/engine.rs"))
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{name}: {}",
                String::from_utf8_lossy(&out.stdout)
            );
        }
    }

    #[test]
    fn bad_names_and_languages_are_refused() {
        assert!(matches!(
            plugin_files("Etcd", Lang::Rust),
            Err(Error::InvalidPluginName { .. })
        ));
        assert_eq!("py".parse::<Lang>(), Ok(Lang::Python));
        assert_eq!("javascript".parse::<Lang>(), Ok(Lang::Js));
        assert!("go".parse::<Lang>().is_err());
    }

    #[test]
    fn create_writes_and_never_overwrites() {
        let tmp = tempfile::tempdir().unwrap();
        let dest = tmp.path().join("etcd");
        let written = create_plugin(&dest, "etcd", Lang::Python).unwrap();
        assert!(written.iter().any(|p| p.ends_with("app.py")));
        let e = create_plugin(&dest, "etcd", Lang::Python).unwrap_err();
        assert!(matches!(e, Error::DestinationNotEmpty { .. }), "{e}");
    }
}
