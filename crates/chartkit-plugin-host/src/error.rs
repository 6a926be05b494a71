//! Typed errors. Every error names the plugin (its name, or the file it came from) and, for a
//! call, the call: `plugin "consul" (seed-list): exceeded the 2s deadline`.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use crate::types::{Call, Rejection};
use crate::versions::InterfaceVersion;

/// Anything that can go wrong loading, building or calling a plugin.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A call into a loaded plugin failed.
    #[error("plugin {plugin:?} ({call}): {failure}")]
    Call {
        /// Plugin name.
        plugin: String,
        /// The call.
        call: Call,
        /// What happened.
        failure: CallFailure,
    },
    /// A file could not be read or written.
    #[error("{what} {}: {source}", path.display())]
    Io {
        /// What the file is (`plugin`, `manifest`, `cache entry`).
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The bytes are not a WebAssembly component wasmtime can compile.
    #[error("plugin {origin}: not a valid WebAssembly component: {message}")]
    Compile {
        /// File or plugin name.
        origin: String,
        /// wasmtime's message.
        message: String,
    },
    /// The component does not export a usable `chartkit:engine/plugin` interface.
    #[error("plugin {origin}: {problem}")]
    Interface {
        /// File or plugin name.
        origin: String,
        /// What is wrong.
        problem: InterfaceProblem,
    },
    /// The component imports something the sandbox does not provide.
    #[error("plugin {origin}: cannot link: {message}")]
    Link {
        /// File or plugin name.
        origin: String,
        /// wasmtime's message.
        message: String,
    },
    /// A plugin name, directory or file could not be found.
    #[error("plugin {spec:?} not found (looked in {})", display_paths(looked_in))]
    NotFound {
        /// What was asked for.
        spec: String,
        /// Where we looked.
        looked_in: Vec<PathBuf>,
    },
    /// A plugin manifest is invalid.
    #[error("manifest {}: {message}", path.display())]
    Manifest {
        /// The manifest file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// Building a plugin failed.
    #[error("building plugin {name:?}: {message}")]
    Build {
        /// Plugin name.
        name: String,
        /// What failed.
        message: String,
    },
    /// The wasmtime engine could not be configured.
    #[error("cannot start the plugin engine: {0}")]
    Engine(String),
}

fn display_paths(paths: &[PathBuf]) -> String {
    if paths.is_empty() {
        return "nowhere".into();
    }
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Why a call did not return a result.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CallFailure {
    /// The call ran past its epoch deadline and was interrupted.
    #[error("exceeded the {} deadline", DisplayDuration(*.0))]
    Deadline(Duration),
    /// The guest tried to grow its memory past the cap.
    #[error("exceeded the {} memory limit (asked for {})", Bytes(*limit), Bytes(*requested))]
    Memory {
        /// The cap.
        limit: u64,
        /// What the guest asked for.
        requested: u64,
    },
    /// The result was larger than the output cap.
    #[error("returned {} of output, over the {} limit", Bytes(*size), Bytes(*limit))]
    OutputTooLarge {
        /// Size of what was returned.
        size: u64,
        /// The cap.
        limit: u64,
    },
    /// The guest trapped (panic, abort, unreachable, a denied WASI call that trapped).
    #[error("trapped: {message}{}", stderr.as_deref().map(|s| format!(" (plugin stderr: {s})")).unwrap_or_default())]
    Trap {
        /// wasmtime's trap message.
        message: String,
        /// The end of what the guest wrote to stderr, if anything.
        stderr: Option<String>,
    },
    /// The plugin returned its `error` variant.
    #[error("{0}")]
    Rejected(Rejection),
    /// A fresh instance could not be created.
    #[error("cannot instantiate: {0}")]
    Instantiate(String),
}

/// What is wrong with a component's interface export.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InterfaceProblem {
    /// No `chartkit:engine/plugin@…` export at all.
    #[error("not a chartkit engine plugin: it exports no chartkit:engine/plugin interface (exports: {})", if .0.is_empty() { "none".to_string() } else { .0.join(", ") })]
    Missing(Vec<String>),
    /// The export has no version.
    #[error("its chartkit:engine/plugin export has no version")]
    Unversioned,
    /// A major version this host does not know.
    #[error(
        "it implements chartkit:engine {found}, an interface major version this chartkit does not know (supported: {})",
        supported_list(supported)
    )]
    UnknownMajor {
        /// The plugin's version.
        found: InterfaceVersion,
        /// Versions this host implements.
        supported: Vec<InterfaceVersion>,
    },
    /// A newer minor version than this host knows: the plugin needs a newer chartkit.
    #[error(
        "it implements chartkit:engine {found}, newer than this chartkit supports ({newest}): upgrade chartkit"
    )]
    TooNew {
        /// The plugin's version.
        found: InterfaceVersion,
        /// The newest version this host implements in that major.
        newest: InterfaceVersion,
    },
    /// The export has the right name but not the functions/types of that version.
    #[error("its chartkit:engine/plugin@{version} export does not match the interface: {message}")]
    Mismatch {
        /// The version it claims.
        version: InterfaceVersion,
        /// wasmtime's type-check message.
        message: String,
    },
    /// `describe()` reports an interface version other than the one exported.
    #[error("describe() reports interface {reported}, but the component exports {exported}")]
    DescribeDisagrees {
        /// What describe() said.
        reported: String,
        /// The exported interface's version.
        exported: InterfaceVersion,
    },
}

fn supported_list(v: &[InterfaceVersion]) -> String {
    v.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// `2s`, `1500ms`.
struct DisplayDuration(Duration);

impl fmt::Display for DisplayDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.0.as_millis();
        if ms.is_multiple_of(1000) {
            write!(f, "{}s", ms / 1000)
        } else {
            write!(f, "{ms}ms")
        }
    }
}

/// `64 MiB`, `1.5 KiB`, `12 bytes`.
pub(crate) struct Bytes(pub u64);

impl fmt::Display for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const UNITS: [(&str, u64); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
        for (unit, size) in UNITS {
            if self.0 >= size {
                let whole = self.0 / size;
                let tenths = (self.0 % size) * 10 / size;
                return if tenths == 0 {
                    write!(f, "{whole} {unit}")
                } else {
                    write!(f, "{whole}.{tenths} {unit}")
                };
            }
        }
        write!(f, "{} bytes", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_plugin_and_call() {
        let e = Error::Call {
            plugin: "consul".into(),
            call: Call::SeedList,
            failure: CallFailure::Deadline(Duration::from_secs(2)),
        };
        assert_eq!(
            e.to_string(),
            r#"plugin "consul" (seed-list): exceeded the 2s deadline"#
        );
        let e = Error::Call {
            plugin: "es".into(),
            call: Call::Configure,
            failure: CallFailure::Memory {
                limit: 64 << 20,
                requested: 1 << 30,
            },
        };
        assert_eq!(
            e.to_string(),
            r#"plugin "es" (configure): exceeded the 64 MiB memory limit (asked for 1 GiB)"#
        );
        let e = CallFailure::Deadline(Duration::from_millis(1500));
        assert_eq!(e.to_string(), "exceeded the 1500ms deadline");
    }

    #[test]
    fn byte_sizes() {
        assert_eq!(Bytes(12).to_string(), "12 bytes");
        assert_eq!(Bytes(1536).to_string(), "1.5 KiB");
        assert_eq!(Bytes(3 << 20).to_string(), "3 MiB");
    }
}
