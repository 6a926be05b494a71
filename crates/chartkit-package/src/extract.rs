//! Expanding a chart archive into a directory (`helm pull --untar`,
//! Helm's `chartutil.Expand`), safely.
//!
//! The archive is read fully in memory by the chart crate's reader, which
//! refuses absolute paths, `..`, drive letters and oversized or bombing
//! content, and never turns a tar symlink or hard link into a link (they
//! become empty files, as in Helm). The files are written into a fresh
//! temporary directory next to the target, which is renamed into place
//! only once everything is written: the target is either complete or
//! absent, and nothing is ever written outside it.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use chartkit_chart::Metadata;
use chartkit_chart::archive::{ArchiveError, load_archive_files};
use thiserror::Error;

use crate::fsutil::{go_path_error, temp_sibling};

/// Errors expanding an archive. Texts follow Helm's where it has one.
#[derive(Debug, Error)]
pub enum ExtractError {
    /// The archive is unreadable or hostile (Helm's archive texts).
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    /// Chart.yaml could not be decoded.
    #[error("cannot load Chart.yaml: {0}")]
    ChartYaml(String),
    /// No chart name in Chart.yaml.
    #[error("chart name not specified")]
    NoName,
    /// A chart name that would escape or hit the extraction root.
    #[error("chart name {0:?} is not allowed")]
    NameNotAllowed(String),
    /// A chart name with path separators.
    #[error("chart name {0:?} must not contain path separators")]
    NameWithSeparator(String),
    /// The target directory already exists.
    #[error("failed to untar: a file or directory with the name {0} already exists")]
    Exists(String),
    /// An entry name that is not a plain relative path.
    #[error("chart illegally contains content outside the base directory: {0:?}")]
    Outside(String),
    /// A file-system error.
    #[error("{0}")]
    Io(String),
}

/// Expands `archive` into `dir/<chart name>/` and returns that path.
pub fn expand(dir: &Path, archive: &[u8]) -> Result<PathBuf, ExtractError> {
    let files = load_archive_files(archive)?;
    let mut name = String::new();
    for f in files.iter().filter(|f| f.name == "Chart.yaml") {
        let v = chartkit_yaml::from_yaml_str(&String::from_utf8_lossy(&f.data))
            .map_err(|e| ExtractError::ChartYaml(e.to_string()))?;
        let mut md = Metadata::default();
        md.merge_from_value(&v)
            .map_err(|e| ExtractError::ChartYaml(e.to_string()))?;
        name = md.name;
    }
    if name.is_empty() {
        return Err(ExtractError::NoName);
    }
    if name == "." || name == ".." {
        return Err(ExtractError::NameNotAllowed(name));
    }
    if name.contains('/') || name.contains('\\') || name.contains('\0') {
        return Err(ExtractError::NameWithSeparator(name));
    }
    std::fs::create_dir_all(dir).map_err(|e| ExtractError::Io(go_path_error("mkdir", dir, &e)))?;
    let target = dir.join(&name);
    if std::fs::symlink_metadata(&target).is_ok() {
        return Err(ExtractError::Exists(target.display().to_string()));
    }
    let tmp = temp_sibling(&target);
    std::fs::create_dir(&tmp).map_err(|e| ExtractError::Io(go_path_error("mkdir", &tmp, &e)))?;
    let result = (|| {
        for f in &files {
            let rel = safe_relative(&f.name)?;
            let out = tmp.join(&rel);
            if let Some(parent) = out.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| ExtractError::Io(go_path_error("mkdir", parent, &e)))?;
            }
            write_file(&out, &f.data)?;
        }
        if std::fs::symlink_metadata(&target).is_ok() {
            return Err(ExtractError::Exists(target.display().to_string()));
        }
        std::fs::rename(&tmp, &target)
            .map_err(|e| ExtractError::Io(go_path_error("rename", &target, &e)))
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e);
    }
    Ok(target)
}

/// A cleaned archive name as a relative path of normal components only.
fn safe_relative(name: &str) -> Result<PathBuf, ExtractError> {
    let p = Path::new(name);
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::Normal(s) => out.push(s),
            Component::CurDir => {}
            _ => return Err(ExtractError::Outside(name.to_string())),
        }
    }
    if out.as_os_str().is_empty() {
        return Err(ExtractError::Outside(name.to_string()));
    }
    Ok(out)
}

fn write_file(path: &Path, data: &[u8]) -> Result<(), ExtractError> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o644);
    }
    let mut f = opts
        .open(path)
        .map_err(|e| ExtractError::Io(go_path_error("open", path, &e)))?;
    f.write_all(data)
        .map_err(|e| ExtractError::Io(go_path_error("write", path, &e)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tarball::{TarWriter, gzip_helm};

    fn tgz(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = TarWriter::new();
        for (n, d) in entries {
            w.append_file(n, d, 0).unwrap();
        }
        gzip_helm(&w.finish()).unwrap()
    }

    #[test]
    fn expands_a_chart() {
        let dir = tempfile::tempdir().unwrap();
        let a = tgz(&[
            ("c/Chart.yaml", b"apiVersion: v2\nname: c\nversion: 1.0.0\n"),
            ("c/templates/x.yaml", b"x"),
        ]);
        let out = expand(dir.path(), &a).unwrap();
        assert_eq!(out, dir.path().join("c"));
        assert_eq!(std::fs::read(out.join("templates/x.yaml")).unwrap(), b"x");
        // A second expansion refuses to overwrite.
        assert!(matches!(
            expand(dir.path(), &a),
            Err(ExtractError::Exists(_))
        ));
    }

    #[test]
    fn refuses_hostile_names() {
        let dir = tempfile::tempdir().unwrap();
        for (name, chart) in [
            ("c/Chart.yaml", &b"name: ..\nversion: 1.0.0\n"[..]),
            ("c/Chart.yaml", b"name: a/b\nversion: 1.0.0\n"),
            ("c/Chart.yaml", b"version: 1.0.0\n"),
        ] {
            let a = tgz(&[(name, chart)]);
            assert!(expand(dir.path(), &a).is_err());
        }
        let a = tgz(&[("c/Chart.yaml", b"name: c\n"), ("c/../../evil", b"x")]);
        assert_eq!(
            expand(dir.path(), &a).unwrap_err().to_string(),
            "chart illegally references parent directory"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn conflicting_entries_leave_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let a = tgz(&[
            ("c/Chart.yaml", b"name: c\n"),
            ("c/a", b"file"),
            ("c/a/b", b"under a file"),
        ]);
        assert!(expand(dir.path(), &a).is_err());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
