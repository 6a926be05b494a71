//! `helm repo index DIR [--url URL] [--merge FILE] [--json]`: an
//! `index.yaml` for the chart archives in a directory, in Helm v4.1.4's
//! format (`repo/v1.IndexFile` through sigs.k8s.io/yaml: sorted keys,
//! `apiVersion: v1`, entries newest version first, sha256 digests, urls,
//! `created` and `generated` times).
//!
//! Times are deterministic when `SOURCE_DATE_EPOCH` is set (every
//! `created` and `generated` is that instant); otherwise they are the
//! current time in UTC.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chartkit_chart::semver::{Constraints, Version};
use chartkit_chart::{Metadata, loader};
use chartkit_yaml::Value;
use thiserror::Error;

use crate::chartfile::{self, GoJson};
use crate::fsutil::{atomic_write, go_path_error};
use crate::gotime::GoTime;
use crate::oci::digest::sha256_digest;

/// Errors building or merging an index. `Display` is Helm's text.
#[derive(Debug, Error)]
pub enum IndexError {
    /// A file-system error.
    #[error("{0}")]
    Io(String),
    /// The `--merge` index could not be read.
    #[error("merge failed: error loading {path}: {reason}")]
    Merge {
        /// The index file.
        path: String,
        /// Why.
        reason: String,
    },
    /// An archive's metadata failed validation.
    #[error("failed adding to {file} to index: validate failed for {file}: {reason}")]
    Add {
        /// Archive name.
        file: String,
        /// Why.
        reason: String,
    },
    /// Encoding failed.
    #[error("{0}")]
    Encode(String),
    /// `SOURCE_DATE_EPOCH` is malformed.
    #[error("{0}")]
    Epoch(String),
}

/// One version of a chart in the index.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartVersion {
    /// Chart.yaml fields.
    pub metadata: Metadata,
    /// `urls`.
    pub urls: Vec<String>,
    /// `created`.
    pub created: GoTime,
    /// `removed`.
    pub removed: bool,
    /// `digest` (hex sha256 of the archive).
    pub digest: String,
    /// Deprecated fields kept when merging old indexes: `checksum`,
    /// `engine`, `tillerVersion`, `url`.
    pub deprecated: [String; 4],
}

/// An `index.yaml`.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexFile {
    /// `serverInfo`.
    pub server_info: Option<Value>,
    /// `apiVersion` (`v1`).
    pub api_version: String,
    /// `generated`.
    pub generated: GoTime,
    /// `entries`, by chart name.
    pub entries: BTreeMap<String, Vec<ChartVersion>>,
    /// `publicKeys`.
    pub public_keys: Vec<String>,
    /// `annotations`.
    pub annotations: BTreeMap<String, String>,
}

/// Options of [`repo_index`].
#[derive(Debug, Clone, Default)]
pub struct IndexOptions {
    /// `--url`: base URL of the charts.
    pub url: String,
    /// `--merge`: an existing index to merge into (local charts win).
    pub merge: Option<PathBuf>,
    /// `--json`: write JSON (still to `index.yaml`).
    pub json: bool,
    /// The time for `created`/`generated`; `None`: `SOURCE_DATE_EPOCH`,
    /// else now.
    pub now: Option<GoTime>,
}

fn clock(opts: &IndexOptions) -> Result<Box<dyn Fn() -> GoTime>, IndexError> {
    if let Some(t) = opts.now {
        return Ok(Box::new(move || t));
    }
    match crate::package::source_date_epoch().map_err(|e| IndexError::Epoch(e.to_string()))? {
        Some(t) => {
            let t = GoTime::utc(i64::try_from(t).unwrap_or(0), 0);
            Ok(Box::new(move || t))
        }
        None => Ok(Box::new(GoTime::now)),
    }
}

impl IndexFile {
    /// `repo.NewIndexFile()`.
    pub fn new(now: GoTime) -> Self {
        IndexFile {
            server_info: None,
            api_version: "v1".into(),
            generated: now,
            entries: BTreeMap::new(),
            public_keys: Vec::new(),
            annotations: BTreeMap::new(),
        }
    }

    /// `IndexFile.Has`: an exact version, else the first version matching
    /// `version` as a constraint.
    pub fn has(&self, name: &str, version: &str) -> bool {
        let Some(vs) = self.entries.get(name) else {
            return false;
        };
        if vs.is_empty() {
            return false;
        }
        if !version.is_empty() && vs.iter().any(|v| v.metadata.version == version) {
            return true;
        }
        let constraint = if version.is_empty() { "*" } else { version };
        let Ok(c) = Constraints::parse(constraint) else {
            return false;
        };
        vs.iter()
            .any(|v| Version::parse(&v.metadata.version).is_ok_and(|t| c.check(&t)))
    }

    /// `IndexFile.Merge`: adds the other index's versions this one lacks.
    pub fn merge(&mut self, other: &IndexFile) {
        for cvs in other.entries.values() {
            for cv in cvs {
                if !self.has(&cv.metadata.name, &cv.metadata.version) {
                    self.entries
                        .entry(cv.metadata.name.clone())
                        .or_default()
                        .push(cv.clone());
                }
            }
        }
    }

    /// `SortEntries`: newest semantic version first.
    pub fn sort_entries(&mut self) {
        for vs in self.entries.values_mut() {
            vs.sort_by(|a, b| {
                let less = |x: &ChartVersion, y: &ChartVersion| -> bool {
                    match (
                        Version::parse(&x.metadata.version),
                        Version::parse(&y.metadata.version),
                    ) {
                        (Err(_), _) => true,
                        (_, Err(_)) => false,
                        (Ok(i), Ok(j)) => i.compare(&j).is_lt(),
                    }
                };
                if less(b, a) {
                    std::cmp::Ordering::Less
                } else if less(a, b) {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Equal
                }
            });
        }
    }

    fn to_go(&self) -> GoJson {
        let mut f = Vec::new();
        if let Some(si) = &self.server_info
            && si.as_map().is_some_and(|m| !m.is_empty())
        {
            f.push(("serverInfo".to_string(), GoJson::Any(si.clone())));
        }
        f.push(("apiVersion".into(), GoJson::Str(self.api_version.clone())));
        f.push((
            "generated".into(),
            GoJson::Str(self.generated.rfc3339_nano()),
        ));
        f.push((
            "entries".into(),
            GoJson::Obj(
                self.entries
                    .iter()
                    .map(|(k, vs)| {
                        let list = if vs.is_empty() {
                            GoJson::Null
                        } else {
                            GoJson::List(vs.iter().map(ChartVersion::to_go).collect())
                        };
                        (k.clone(), list)
                    })
                    .collect(),
            ),
        ));
        if !self.public_keys.is_empty() {
            f.push((
                "publicKeys".into(),
                GoJson::List(
                    self.public_keys
                        .iter()
                        .map(|k| GoJson::Str(k.clone()))
                        .collect(),
                ),
            ));
        }
        if !self.annotations.is_empty() {
            f.push((
                "annotations".into(),
                GoJson::Obj(
                    self.annotations
                        .iter()
                        .map(|(k, v)| (k.clone(), GoJson::Str(v.clone())))
                        .collect(),
                ),
            ));
        }
        GoJson::Obj(f)
    }

    /// `index.yaml` text (`IndexFile.WriteFile`).
    pub fn to_yaml(&self) -> Result<String, IndexError> {
        self.to_go()
            .to_yaml()
            .map_err(|e| IndexError::Encode(e.to_string()))
    }

    /// `IndexFile.WriteJSONFile` text (two-space indent, no final newline).
    pub fn to_json(&self) -> Result<String, IndexError> {
        self.to_go()
            .to_json_indent("  ")
            .map_err(|e| IndexError::Encode(e.to_string()))
    }
}

impl ChartVersion {
    fn to_go(&self) -> GoJson {
        let GoJson::Obj(mut f) = chartfile::metadata_json(&self.metadata, true) else {
            return GoJson::Null;
        };
        f.push((
            "urls".into(),
            if self.urls.is_empty() {
                GoJson::Null
            } else {
                GoJson::List(self.urls.iter().map(|u| GoJson::Str(u.clone())).collect())
            },
        ));
        f.push(("created".into(), GoJson::Str(self.created.rfc3339_nano())));
        if self.removed {
            f.push(("removed".into(), GoJson::Bool(true)));
        }
        for (k, v) in [("digest", &self.digest)].into_iter().chain(
            ["checksum", "engine", "tillerVersion", "url"]
                .into_iter()
                .zip(self.deprecated.iter()),
        ) {
            if !v.is_empty() {
                f.push((k.into(), GoJson::Str(v.clone())));
            }
        }
        GoJson::Obj(f)
    }
}

/// Go's `filepath.Glob(dir/*.tgz)` and `dir/*/*.tgz` (`**` is `*` in Go),
/// each sorted.
fn archives(dir: &Path) -> Result<Vec<PathBuf>, IndexError> {
    let list = |d: &Path| -> Vec<(String, PathBuf, bool)> {
        let mut v: Vec<(String, PathBuf, bool)> = std::fs::read_dir(d)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .map(|e| {
                        let p = e.path();
                        let is_dir = p.is_dir();
                        (e.file_name().to_string_lossy().into_owned(), p, is_dir)
                    })
                    .collect()
            })
            .unwrap_or_default();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    };
    let top = list(dir);
    let mut out: Vec<PathBuf> = top
        .iter()
        .filter(|(n, _, _)| n.ends_with(".tgz"))
        .map(|(_, p, _)| p.clone())
        .collect();
    let mut nested = Vec::new();
    for (_, p, is_dir) in &top {
        if *is_dir {
            nested.extend(
                list(p)
                    .into_iter()
                    .filter(|(n, _, _)| n.ends_with(".tgz"))
                    .map(|(_, p, _)| p),
            );
        }
    }
    nested.sort();
    out.extend(nested);
    Ok(out)
}

/// Helm's `urlutil.URLJoin(base, parts...)`: joins onto the URL's path
/// with Go's `path.Join` and re-escapes it.
pub fn url_join(base: &str, parts: &[&str]) -> String {
    let (prefix, rest) = match base.find("://") {
        Some(i) => {
            let after = &base[i + 3..];
            let host_end = after.find('/').unwrap_or(after.len());
            (&base[..i + 3 + host_end], &after[host_end..])
        }
        None => ("", base),
    };
    let (path, suffix) = match rest.find(['?', '#']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let path = percent_decode(path);
    let mut all = vec![path.as_str()];
    all.extend_from_slice(parts);
    let joined = go_path_join(&all);
    let escaped = escape_path(&joined);
    let escaped = if !prefix.is_empty() && !escaped.is_empty() && !escaped.starts_with('/') {
        format!("/{escaped}")
    } else {
        escaped
    };
    format!("{prefix}{escaped}{suffix}")
}

fn go_path_join(parts: &[&str]) -> String {
    let nonempty: Vec<&str> = parts.iter().copied().filter(|p| !p.is_empty()).collect();
    if nonempty.is_empty() {
        return String::new();
    }
    chartkit_chart::archive::clean_path(&nonempty.join("/"))
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hexval = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hexval(b[i + 1]), hexval(b[i + 2]))
        {
            out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Go's `url.PathEscape`-like escaping of a path (`/` kept; the
/// unreserved set plus `$&+,/:;=@` left as is).
fn escape_path(p: &str) -> String {
    let mut out = String::new();
    for b in p.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~$&+,/:;=@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `repo.IndexDirectory`: every archive Helm can load becomes an entry;
/// archives that fail to load are skipped, as in Helm.
pub fn index_directory(
    dir: &Path,
    base_url: &str,
    opts: &IndexOptions,
) -> Result<IndexFile, IndexError> {
    let now = clock(opts)?;
    let mut index = IndexFile::new(now());
    for arch in archives(dir)? {
        let rel = arch.strip_prefix(dir).unwrap_or(&arch);
        let rel = rel.to_string_lossy().replace('\\', "/");
        let (parent_dir, fname) = match rel.rfind('/') {
            Some(i) => (&rel[..i], &rel[i + 1..]),
            None => ("", rel.as_str()),
        };
        let parent_url = url_join(base_url, &[parent_dir]);
        let Ok(loaded) = loader::load(&arch) else {
            continue;
        };
        let data =
            std::fs::read(&arch).map_err(|e| IndexError::Io(go_path_error("open", &arch, &e)))?;
        let digest = sha256_digest(&data)
            .trim_start_matches("sha256:")
            .to_string();
        let mut md = loaded.chart.metadata;
        if md.api_version.is_empty() {
            md.api_version = "v1".into();
        }
        md.validate().map_err(|e| IndexError::Add {
            file: fname.to_string(),
            reason: e.to_string(),
        })?;
        let url = if parent_url.is_empty() {
            fname.to_string()
        } else {
            url_join(&parent_url, &[fname])
        };
        index
            .entries
            .entry(md.name.clone())
            .or_default()
            .push(ChartVersion {
                metadata: md,
                urls: vec![url],
                created: now(),
                removed: false,
                digest,
                deprecated: Default::default(),
            });
    }
    Ok(index)
}

/// Reads an index file (YAML or JSON), dropping invalid entries like
/// Helm's `loadIndex` (their warnings go to `warnings`).
pub fn load_index(path: &Path, warnings: &mut Vec<String>) -> Result<IndexFile, IndexError> {
    let fail = |reason: String| IndexError::Merge {
        path: path.display().to_string(),
        reason,
    };
    let data = std::fs::read(path).map_err(|e| IndexError::Io(go_path_error("open", path, &e)))?;
    if data.is_empty() {
        return Err(fail("empty index.yaml file".into()));
    }
    let v = chartkit_yaml::from_yaml_str(&String::from_utf8_lossy(&data))
        .map_err(|e| fail(e.to_string()))?;
    let Value::Map(root) = v else {
        return Err(fail("no API version specified".into()));
    };
    let s = |k: &str| {
        root.get(k)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let generated = match s("generated") {
        g if g.is_empty() => GoTime::utc(-62_135_596_800, 0),
        g => GoTime::parse_rfc3339(&g)
            .ok_or_else(|| fail(format!("parsing time {g:?}: cannot parse")))?,
    };
    let mut index = IndexFile::new(generated);
    index.api_version = s("apiVersion");
    index.server_info = root.get("serverInfo").cloned();
    if let Some(Value::Seq(keys)) = root.get("publicKeys") {
        index.public_keys = keys
            .iter()
            .filter_map(|k| k.as_str().map(str::to_string))
            .collect();
    }
    if let Some(Value::Map(a)) = root.get("annotations") {
        index.annotations = a
            .iter()
            .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
            .collect();
    }
    if let Some(Value::Map(entries)) = root.get("entries") {
        for (name, list) in entries {
            let mut out = Vec::new();
            for item in list.as_seq().unwrap_or(&[]) {
                let Value::Map(m) = item else {
                    warnings.push(format!(
                        "skipping loading invalid entry for chart {name:?} from {}: empty entry",
                        path.display()
                    ));
                    continue;
                };
                let mut md = Metadata::default();
                md.merge_from_value(item).map_err(|e| fail(e.to_string()))?;
                if md.api_version.is_empty() {
                    md.api_version = "v1".into();
                }
                let get = |k: &str| m.get(k).and_then(Value::as_str).unwrap_or("").to_string();
                let created = match get("created") {
                    c if c.is_empty() => GoTime::utc(-62_135_596_800, 0),
                    c => GoTime::parse_rfc3339(&c)
                        .ok_or_else(|| fail(format!("parsing time {c:?}: cannot parse")))?,
                };
                let version = md.version.clone();
                if let Err(e) = md.validate()
                    && !e
                        .0
                        .starts_with("more than one dependency with name or alias")
                {
                    warnings.push(format!(
                        "skipping loading invalid entry for chart {name:?} {version:?} from {}: {e}",
                        path.display()
                    ));
                    continue;
                }
                out.push(ChartVersion {
                    metadata: md,
                    urls: match m.get("urls") {
                        Some(Value::Seq(u)) => u
                            .iter()
                            .filter_map(|x| x.as_str().map(str::to_string))
                            .collect(),
                        _ => Vec::new(),
                    },
                    created,
                    removed: matches!(m.get("removed"), Some(Value::Bool(true))),
                    digest: get("digest"),
                    deprecated: [
                        get("checksum"),
                        get("engine"),
                        get("tillerVersion"),
                        get("url"),
                    ],
                });
            }
            index.entries.insert(name.clone(), out);
        }
    }
    index.sort_entries();
    if index.api_version.is_empty() {
        return Err(fail("no API version specified".into()));
    }
    Ok(index)
}

/// `helm repo index DIR`: writes `DIR/index.yaml` and returns its path.
/// Warnings about skipped entries of a merged index go to `warnings`.
pub fn repo_index(
    dir: &Path,
    opts: &IndexOptions,
    warnings: &mut Vec<String>,
) -> Result<PathBuf, IndexError> {
    let dir = if dir.is_absolute() {
        dir.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|e| IndexError::Io(e.to_string()))?
            .join(dir)
    };
    let out = dir.join("index.yaml");
    let mut index = index_directory(&dir, &opts.url, opts)?;
    if let Some(merge) = &opts.merge {
        let other = if std::fs::metadata(merge).is_err() {
            // Helm writes an empty index where the merge file was missing.
            let empty = IndexFile::new(clock(opts)?());
            let _ = write_index(&empty, merge, opts.json);
            empty
        } else {
            load_index(merge, warnings)?
        };
        index.merge(&other);
    }
    index.sort_entries();
    write_index(&index, &out, opts.json)?;
    Ok(out)
}

fn write_index(index: &IndexFile, path: &Path, json: bool) -> Result<(), IndexError> {
    let text = if json {
        index.to_json()?
    } else {
        index.to_yaml()?
    };
    atomic_write(path, text.as_bytes()).map_err(|e| IndexError::Io(go_path_error("open", path, &e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_joins_like_go() {
        assert_eq!(url_join("", &[""]), "");
        assert_eq!(url_join("", &["sub"]), "sub");
        assert_eq!(url_join("sub", &["a-1.0.0.tgz"]), "sub/a-1.0.0.tgz");
        assert_eq!(
            url_join("https://e.org/charts", &[""]),
            "https://e.org/charts"
        );
        assert_eq!(
            url_join("https://e.org/charts/", &["x.tgz"]),
            "https://e.org/charts/x.tgz"
        );
        assert_eq!(url_join("https://e.org", &["x.tgz"]), "https://e.org/x.tgz");
        assert_eq!(
            url_join("https://e.org/a b", &["c+d.tgz"]),
            "https://e.org/a%20b/c+d.tgz"
        );
    }
}
