//! What `helm template` prints: manifests in install order, hooks after
//! them, CRDs first with `--include-crds`, and `--show-only` filtering.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::manifest::{self, Hook, Manifest, ManifestError};

const NOTES_SUFFIX: &str = "NOTES.txt";

/// A rendered release, before printing.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Release {
    pub manifests: Vec<Manifest>,
    pub hooks: Vec<Hook>,
    /// The root chart's rendered NOTES.txt.
    pub notes: String,
    /// CRD files from `crds/` of the chart tree: (path with chart prefix, raw text).
    pub crds: Vec<(String, String)>,
}

/// Takes NOTES.txt out of the rendered files (keeping only the root
/// chart's text) and sorts the rest into hooks and manifests. Also returns
/// the `helm.sh/hook` values of documents dropped for an unknown hook type.
pub fn assemble(
    mut rendered: BTreeMap<String, String>,
    root_chart: &str,
    crds: Vec<(String, String)>,
) -> Result<(Release, Vec<String>), ManifestError> {
    let root_notes = format!("{root_chart}/templates/{NOTES_SUFFIX}");
    let notes_keys: Vec<String> =
        rendered.keys().filter(|k| k.ends_with(NOTES_SUFFIX)).cloned().collect();
    let mut notes = String::new();
    for k in notes_keys {
        if let Some(text) = rendered.remove(&k) {
            if k == root_notes {
                notes = text;
            }
        }
    }
    let sorted = manifest::sort_manifests(&rendered)?;
    let release = Release { manifests: sorted.manifests, hooks: sorted.hooks, notes, crds };
    Ok((release, sorted.skipped_hooks))
}

/// The `helm template` flags that shape the output.
#[derive(Clone, Debug, Default)]
pub struct OutputOptions {
    pub show_only: Vec<String>,
    pub include_crds: bool,
    pub skip_tests: bool,
    pub no_hooks: bool,
    pub output_dir: Option<PathBuf>,
    /// `--release-name`: put files under `<output-dir>/<release>`.
    pub release_name_dir: Option<String>,
}

/// Why printing failed.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("could not find template {0} in chart")]
    ShowOnlyMissing(String),
    #[error("{}", .source)]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// What `helm template` writes to stdout for a rendered release. With
/// `--output-dir`, files are written and stdout gets the `wrote` lines.
pub fn template_output(release: &Release, opts: &OutputOptions) -> Result<String, OutputError> {
    let mut stdout = String::new();
    let mut manifest_doc = String::new();
    let mut written: BTreeMap<PathBuf, ()> = BTreeMap::new();

    if opts.include_crds {
        for (name, data) in &release.crds {
            match &opts.output_dir {
                None => {
                    let _ = write!(manifest_doc, "---\n# Source: {name}\n{data}\n");
                }
                Some(dir) => write_file(dir, name, data, &mut written, &mut stdout)?,
            }
        }
    }
    for m in &release.manifests {
        match &opts.output_dir {
            None => {
                let _ = write!(manifest_doc, "---\n# Source: {}\n{}\n", m.name, m.content);
            }
            Some(dir) => {
                let dir = release_dir(dir, opts);
                write_file(&dir, &m.name, &m.content, &mut written, &mut stdout)?;
            }
        }
    }

    let mut manifests = format!("{}\n", manifest_doc.trim());
    if !opts.no_hooks {
        for h in &release.hooks {
            if opts.skip_tests && h.is_test() {
                continue;
            }
            match &opts.output_dir {
                None => {
                    let _ = write!(manifests, "---\n# Source: {}\n{}\n", h.path, h.manifest);
                }
                Some(dir) => {
                    let dir = release_dir(dir, opts);
                    write_file(&dir, &h.path, &h.manifest, &mut written, &mut stdout)?;
                }
            }
        }
    }

    if opts.show_only.is_empty() {
        stdout.push_str(&manifests);
        return Ok(stdout);
    }
    // --show-only: split the whole stream again and keep matching sources.
    let docs = manifest::split_manifests(&manifests);
    let mut selected = Vec::new();
    for pattern in &opts.show_only {
        let mut missing = true;
        for doc in &docs {
            let Some(path) = source_path(doc) else { continue };
            if !go_path_match(pattern, path) {
                continue;
            }
            selected.push(doc.as_str());
            missing = false;
        }
        if missing {
            return Err(OutputError::ShowOnlyMissing(pattern.clone()));
        }
    }
    for doc in selected {
        let _ = write!(stdout, "---\n{doc}\n");
    }
    Ok(stdout)
}

fn release_dir(dir: &Path, opts: &OutputOptions) -> PathBuf {
    match &opts.release_name_dir {
        Some(rel) => dir.join(rel),
        None => dir.to_path_buf(),
    }
}

/// Helm's `writeToFile`: appends when the file was already written in this
/// run, prints `wrote <path>`.
fn write_file(
    dir: &Path,
    name: &str,
    data: &str,
    written: &mut BTreeMap<PathBuf, ()>,
    stdout: &mut String,
) -> Result<(), OutputError> {
    use std::io::Write as _;
    let path = PathBuf::from(format!("{}/{name}", dir.display()));
    let io = |source| OutputError::Write { path: path.clone(), source };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    let append = written.contains_key(&path);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .append(append)
        .truncate(!append)
        .open(&path)
        .map_err(io)?;
    write!(file, "---\n# Source: {name}\n{data}\n").map_err(io)?;
    written.insert(path.clone(), ());
    let _ = writeln!(stdout, "wrote {}", path.display());
    Ok(())
}

/// The template path of a document from its `# Source: <chart>/<path>` line.
fn source_path(doc: &str) -> Option<&str> {
    let idx = doc.find("# Source: ")?;
    let rest = &doc[idx + "# Source: ".len()..];
    let slash = rest.find('/')?;
    if slash == 0 || rest[..slash].contains('\n') {
        return None;
    }
    let path = &rest[slash + 1..];
    let end = path.find('\n').unwrap_or(path.len());
    let path = &path[..end];
    (!path.is_empty()).then_some(path)
}

/// Go's `filepath.Match` on `/`-separated paths. A malformed pattern
/// matches nothing (Helm ignores the error).
pub fn go_path_match(pattern: &str, name: &str) -> bool {
    fn class_match(p: &[char], c: char) -> Option<(bool, usize)> {
        // p starts after '['; returns (matched, chars consumed incl. ']').
        let mut i = 0;
        let negated = p.first() == Some(&'^');
        if negated {
            i += 1;
        }
        let mut matched = false;
        let mut first = true;
        loop {
            let ch = *p.get(i)?;
            if ch == ']' && !first {
                i += 1;
                break;
            }
            first = false;
            let lo = if ch == '\\' {
                i += 1;
                *p.get(i)?
            } else {
                ch
            };
            i += 1;
            let mut hi = lo;
            if p.get(i) == Some(&'-') && p.get(i + 1).is_some_and(|&n| n != ']') {
                i += 1;
                hi = if p[i] == '\\' {
                    i += 1;
                    *p.get(i)?
                } else {
                    p[i]
                };
                i += 1;
            }
            if lo <= c && c <= hi {
                matched = true;
            }
        }
        Some((matched != negated, i))
    }
    fn rec(p: &[char], s: &[char]) -> Option<bool> {
        let Some(&pc) = p.first() else { return Some(s.is_empty()) };
        match pc {
            '*' => {
                let rest = &p[1..];
                let mut i = 0;
                loop {
                    if rec(rest, &s[i..])? {
                        return Some(true);
                    }
                    if i >= s.len() || s[i] == '/' {
                        return Some(false);
                    }
                    i += 1;
                }
            }
            '?' => match s.first() {
                Some(&c) if c != '/' => rec(&p[1..], &s[1..]),
                _ => Some(false),
            },
            '[' => {
                let Some(&c) = s.first() else { return Some(false) };
                let (ok, used) = class_match(&p[1..], c)?;
                if ok && c != '/' { rec(&p[1 + used..], &s[1..]) } else { Some(false) }
            }
            '\\' => {
                let &lit = p.get(1)?;
                if s.first() == Some(&lit) { rec(&p[2..], &s[1..]) } else { Some(false) }
            }
            _ => {
                if s.first() == Some(&pc) { rec(&p[1..], &s[1..]) } else { Some(false) }
            }
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let s: Vec<char> = name.chars().collect();
    rec(&p, &s).unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filepath_match() {
        assert!(go_path_match("templates/service.yaml", "templates/service.yaml"));
        assert!(go_path_match("templates/*.yaml", "templates/service.yaml"));
        assert!(!go_path_match("templates/*", "templates/a/b.yaml"));
        assert!(go_path_match("templates/[a-s]*", "templates/service.yaml"));
        assert!(!go_path_match("templates/[", "templates/["));
    }

    #[test]
    fn source_paths() {
        assert_eq!(source_path("# Source: c/templates/x.yaml\na: 1"), Some("templates/x.yaml"));
        assert_eq!(source_path("a: 1"), None);
    }
}
