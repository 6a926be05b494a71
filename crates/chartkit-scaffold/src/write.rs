//! Writing a generated project to disk, never over anything that exists.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::{Error, GeneratedFile};

/// Checks that `dest` is absent or an empty directory.
pub fn check_destination(dest: &Path) -> Result<(), Error> {
    match std::fs::metadata(dest) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(Error::Io {
            what: "reading",
            path: dest.to_path_buf(),
            source,
        }),
        Ok(m) if !m.is_dir() => Err(Error::DestinationNotDirectory {
            path: dest.to_path_buf(),
        }),
        Ok(_) => {
            let mut entries = std::fs::read_dir(dest).map_err(|source| Error::Io {
                what: "reading",
                path: dest.to_path_buf(),
                source,
            })?;
            if entries.next().is_some() {
                Err(Error::DestinationNotEmpty {
                    path: dest.to_path_buf(),
                })
            } else {
                Ok(())
            }
        }
    }
}

/// Writes `files` (and the empty directories `dirs`) under `dest`, which must be absent or
/// an empty directory. Files are created with `create_new`, so nothing is ever overwritten,
/// even by a concurrent writer. Returns the written files' paths, in order.
pub fn write_tree(
    dest: &Path,
    files: &[GeneratedFile],
    dirs: &[&str],
) -> Result<Vec<PathBuf>, Error> {
    check_destination(dest)?;
    let mkdir = |p: &Path| {
        std::fs::create_dir_all(p).map_err(|source| Error::Io {
            what: "creating",
            path: p.to_path_buf(),
            source,
        })
    };
    mkdir(dest)?;
    let mut written = Vec::with_capacity(files.len());
    for f in files {
        let path = dest.join(&f.path);
        if let Some(parent) = path.parent() {
            mkdir(parent)?;
        }
        let io = |source| Error::Io {
            what: "writing",
            path: path.clone(),
            source,
        };
        let mut opts = OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(if f.executable { 0o755 } else { 0o644 });
        }
        let mut file = opts.open(&path).map_err(io)?;
        file.write_all(f.contents.as_bytes()).map_err(io)?;
        written.push(path);
    }
    for d in dirs {
        mkdir(&dest.join(d))?;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str) -> GeneratedFile {
        GeneratedFile {
            path: path.into(),
            contents: format!("{path}\n"),
            executable: false,
        }
    }

    #[test]
    fn writes_into_absent_or_empty_directories() {
        let tmp = tempfile::tempdir().unwrap();
        let dest = tmp.path().join("new");
        let out = write_tree(&dest, &[file("a.txt"), file("sub/b.txt")], &["charts"]).unwrap();
        assert_eq!(out.len(), 2);
        assert_eq!(
            std::fs::read_to_string(dest.join("sub/b.txt")).unwrap(),
            "sub/b.txt\n"
        );
        assert!(dest.join("charts").is_dir());
        let empty = tmp.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        write_tree(&empty, &[file("a.txt")], &[]).unwrap();
    }

    #[test]
    fn refuses_non_empty_directories_and_files() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("keep.txt"), "mine").unwrap();
        let e = write_tree(tmp.path(), &[file("keep.txt")], &[]).unwrap_err();
        assert!(matches!(e, Error::DestinationNotEmpty { .. }), "{e}");
        assert!(e.to_string().contains("not empty"), "{e}");
        assert_eq!(
            std::fs::read_to_string(tmp.path().join("keep.txt")).unwrap(),
            "mine"
        );
        let e = write_tree(&tmp.path().join("keep.txt"), &[file("x")], &[]).unwrap_err();
        assert!(matches!(e, Error::DestinationNotDirectory { .. }), "{e}");
    }
}
