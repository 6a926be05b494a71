//! Helm's `LocateChart` for the references chartkit resolves: local directories and archives.
//! Remote references get a clear refusal (chartkit reads charts offline); names Helm would
//! look up in a repository get Helm's own error texts.

use std::path::{Path, PathBuf};

use thiserror::Error;

/// Why a chart reference does not resolve to a local chart.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LocateError {
    /// A path (absolute or starting with `.`) that does not exist.
    #[error("path {0:?} not found")]
    PathNotFound(String),
    /// `oci://`, `https://`...: chartkit does not download during render.
    #[error("chartkit renders local charts only; download {0} first (chartkit pull)")]
    Remote(String),
    /// `repo/chart` with no such local path: Helm would look for a configured repository.
    #[error("repo {0} not found")]
    RepoNotFound(String),
    /// A bare name with no such local path.
    #[error("non-absolute URLs should be in form of repo_name/path_to_chart, got: {0}")]
    BareName(String),
}

/// Resolves `path` to an absolute local chart path (directory or archive), or explains why not
/// with Helm's words.
pub fn locate(path: &Path) -> Result<PathBuf, LocateError> {
    if path.exists() {
        return Ok(std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()));
    }
    let name = path.to_string_lossy();
    let name = name.trim();
    if path.is_absolute() || name.starts_with('.') {
        return Err(LocateError::PathNotFound(name.to_string()));
    }
    if name.contains("://") {
        return Err(LocateError::Remote(name.to_string()));
    }
    match name.split_once('/') {
        Some((repo, _)) => Err(LocateError::RepoNotFound(repo.to_string())),
        None => Err(LocateError::BareName(name.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Texts from Helm v4.1.4 (`helm template x <ref>`, `helm show chart <ref>`).
    #[test]
    fn errors_read_like_helm() {
        let err = |p: &str| locate(Path::new(p)).unwrap_err().to_string();
        assert_eq!(err("/nonexist"), "path \"/nonexist\" not found");
        assert_eq!(err("./nope"), "path \"./nope\" not found");
        assert_eq!(err("stable/nope-xyz"), "repo stable not found");
        assert_eq!(
            err("nope-xyz"),
            "non-absolute URLs should be in form of repo_name/path_to_chart, got: nope-xyz"
        );
        assert!(err("oci://example.com/c").starts_with("chartkit renders local charts only"));
    }

    #[test]
    fn existing_paths_become_absolute() {
        let p = locate(Path::new(".")).unwrap();
        assert!(p.is_absolute());
    }
}
