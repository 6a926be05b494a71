//! On-disk cache of compiled components.
//!
//! Entries are named `<sha256 of the component>-<engine compatibility hash>.cwasm` and hold
//! `Component::serialize()` output. They are written atomically (temporary file + rename) with
//! mode 0600 in a directory created with mode 0700, and only files that pass the same checks
//! are loaded: deserializing runs native code, so a file planted by someone else must never be
//! loaded (see [`trusted`]).

mod trusted;

use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};

use wasmtime::Engine;
use wasmtime::component::Component;

/// Bump when the layout of entries changes.
const FORMAT: &str = "chartkit-cwasm-1";

/// What happened to the cache when a plugin was loaded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case", tag = "status", content = "detail")]
pub enum CacheOutcome {
    /// Loaded a compiled entry.
    Hit,
    /// Compiled and stored.
    Stored,
    /// Compiled; storing failed (the reason).
    StoreFailed(String),
    /// An entry existed but was refused (the reason); compiled and stored again.
    Refused(String),
    /// No cache configured.
    Disabled,
}

/// A cache directory.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// A cache in `dir` (created on first store).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// `$CHARTKIT_CACHE_DIR/plugins`, else `$XDG_CACHE_HOME/chartkit/plugins`, else
    /// `$HOME/.cache/chartkit/plugins`.
    pub fn default_dir() -> Option<PathBuf> {
        let var = |k: &str| {
            std::env::var_os(k)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        if let Some(d) = var("CHARTKIT_CACHE_DIR") {
            return Some(d.join("plugins"));
        }
        if let Some(d) = var("XDG_CACHE_HOME") {
            return Some(d.join("chartkit").join("plugins"));
        }
        var("HOME").map(|h| h.join(".cache").join("chartkit").join("plugins"))
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The entry for a component digest under this engine's configuration.
    pub fn entry(&self, engine: &Engine, digest: &str) -> PathBuf {
        let mut h = DefaultHasher::new();
        FORMAT.hash(&mut h);
        engine.precompile_compatibility_hash().hash(&mut h);
        self.dir.join(format!("{digest}-{:016x}.cwasm", h.finish()))
    }

    /// Loads a compiled entry. `Ok(None)`: no entry; `Err(reason)`: an entry that was refused.
    pub fn load(&self, engine: &Engine, digest: &str) -> Result<Option<Component>, String> {
        let path = self.entry(engine, digest);
        if !path.exists() {
            return Ok(None);
        }
        trusted::check_owned(&self.dir, &path)?;
        trusted::deserialize(engine, &path)
            .map(Some)
            .map_err(|e| format!("{e}"))
    }

    /// Stores a compiled component.
    pub fn store(
        &self,
        engine: &Engine,
        digest: &str,
        component: &Component,
    ) -> Result<(), String> {
        let bytes = component
            .serialize()
            .map_err(|e| format!("serialize: {e}"))?;
        create_private_dir(&self.dir).map_err(|e| format!("{}: {e}", self.dir.display()))?;
        let path = self.entry(engine, digest);
        let tmp = self.dir.join(format!(
            ".{}.{}.tmp",
            path.file_name().and_then(|n| n.to_str()).unwrap_or("entry"),
            std::process::id()
        ));
        let write = || -> std::io::Result<()> {
            let mut f = private_file(&tmp)?;
            f.write_all(&bytes)?;
            f.sync_all()?;
            fs::rename(&tmp, &path)
        };
        write().map_err(|e| {
            let _ = fs::remove_file(&tmp);
            format!("{}: {e}", path.display())
        })
    }
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    fs::create_dir_all(dir)
}

#[cfg(unix)]
fn private_file(path: &Path) -> std::io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn private_file(path: &Path) -> std::io::Result<fs::File> {
    fs::File::create(path)
}
