//! The one place that deserializes compiled code, and the checks that make it sound.
#![allow(unsafe_code)]

use std::path::Path;

use wasmtime::Engine;
use wasmtime::component::Component;

/// Refuses an entry that chartkit cannot have written for this user: on Unix the file and the
/// directory must belong to the same user, the directory must not be writable by group or
/// others, and the file must be a regular file not writable by group or others.
pub(super) fn check_owned(dir: &Path, file: &Path) -> Result<(), String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let d = std::fs::metadata(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let f = std::fs::symlink_metadata(file).map_err(|e| format!("{}: {e}", file.display()))?;
        if !f.file_type().is_file() {
            return Err(format!("{} is not a regular file", file.display()));
        }
        if d.mode() & 0o022 != 0 {
            return Err(format!("{} is writable by other users", dir.display()));
        }
        if f.mode() & 0o022 != 0 {
            return Err(format!("{} is writable by other users", file.display()));
        }
        if f.uid() != d.uid() {
            return Err(format!("{} belongs to another user", file.display()));
        }
    }
    #[cfg(not(unix))]
    let _ = (dir, file);
    Ok(())
}

/// Deserializes a cache entry.
pub(super) fn deserialize(engine: &Engine, path: &Path) -> wasmtime::Result<Component> {
    // SAFETY: `Component::deserialize_file` is unsafe because the file is trusted to be
    // `Component::serialize` output: wasmtime checks its header (wasmtime version, target,
    // engine settings) but then maps and runs the native code it contains. This is sound here
    // because the only caller, `Cache::load`, passes a path inside the cache directory, named
    // after the component's sha256 and this engine's compatibility hash, which `check_owned`
    // has just verified: a regular file, owned like the 0700 directory and writable by nobody
    // else, i.e. written by `Cache::store` (chartkit) for this user. Entries are replaced by
    // atomic rename, never rewritten in place, so the mapped file does not change underneath.
    unsafe { Component::deserialize_file(engine, path) }
}
