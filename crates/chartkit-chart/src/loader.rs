//! Loading charts: a directory or an archive becomes a list of
//! [`BufferedFile`]s, and [`load_files`] turns any such list into a
//! [`Chart`] (Helm's `LoadFiles` design).

use std::path::{Path, PathBuf};

use chartkit_yaml::Value;
use thiserror::Error;

use crate::archive::{self, ArchiveError, BufferedFile, MAX_DECOMPRESSED_FILE_SIZE};
use crate::chart::{Chart, File};
use crate::ignore::{self, IgnoreError, Rules};
use crate::log::LogRecord;
use crate::metadata::{self, API_VERSION_V1, API_VERSION_V2, API_VERSION_V3, Lock};
use crate::values;

/// Errors loading a chart. `Display` is Helm's message (what follows
/// `Error: ` when `helm template` fails).
#[derive(Debug, Error)]
pub enum LoadError {
    /// No Chart.yaml among the files.
    #[error("Chart.yaml file is missing")]
    ChartYamlMissing,
    /// A directory without a readable Chart.yaml.
    #[error("unable to detect chart at {path}: {reason}")]
    UndetectableDir {
        /// Absolute path of the Chart.yaml Helm looked for.
        path: String,
        /// Go's os error text (`open ...: no such file or directory`).
        reason: String,
    },
    /// An archive without a Chart.yaml.
    #[error("unable to detect chart version, no Chart.yaml found")]
    UndetectableArchive,
    /// `apiVersion` other than v1, v2 or v3.
    #[error("unsupported chart version")]
    UnsupportedVersion,
    /// An `apiVersion: v3` chart. Helm 4 loads it with its v3 loader (validation included) and
    /// then most commands refuse it with this text; `helm show` prints it. The loaded chart
    /// rides along for the commands that go further.
    #[error("invalid chart apiVersion")]
    V3Chart(Box<Chart>),
    /// Chart.yaml, Chart.lock, values.yaml, requirements.* could not be decoded:
    /// `cannot load <file>: <reason>`.
    #[error("cannot load {file}: {reason}")]
    Decode {
        /// `Chart.yaml`, `values.yaml`, ...
        file: &'static str,
        /// The YAML or JSON error text.
        reason: String,
    },
    /// Metadata validation failed (`validation: ...`).
    #[error(transparent)]
    Validation(#[from] metadata::ValidationError),
    /// A subchart archive under `charts/` is not the single file it claims to be.
    #[error("error unpacking subchart tar in {parent}: expected {expected}, got {got}")]
    SubchartTar {
        /// Parent chart name.
        parent: String,
        /// Expected file name.
        expected: String,
        /// Found file name.
        got: String,
    },
    /// A subchart failed to load.
    #[error("error unpacking subchart {name} in {parent}: {source}")]
    Subchart {
        /// Directory or archive name under `charts/`.
        name: String,
        /// Parent chart name.
        parent: String,
        /// Why.
        #[source]
        source: Box<LoadError>,
    },
    /// `.helmignore` could not be parsed.
    #[error(transparent)]
    Ignore(#[from] IgnoreError),
    /// Archive problems, with Helm's texts.
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    /// A chart file given as archive is not gzip (`file '...' does not appear
    /// to be a valid chart file (details: gzip: invalid header)`, or
    /// Helm's content sniffing message).
    #[error("{0}")]
    NotAnArchive(String),
    /// The archive could not be read (Helm hides the details).
    #[error("unable to load chart archive")]
    UnreadableArchive,
    /// A special file (FIFO, socket, device) in a chart directory.
    #[error("cannot load irregular file {0} as it has file mode type bits set")]
    IrregularFile(String),
    /// A file in a chart directory is over the size limit.
    #[error("chart file {0:?} is larger than the maximum file size {1}")]
    FileTooLarge(String, u64),
    /// An operating-system error, with Go's wording where it matters
    /// (`stat x: no such file or directory`).
    #[error("{0}")]
    Io(String),
}

/// A loaded chart and the log lines Helm printed while loading it.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The chart.
    pub chart: Chart,
    /// INFO/WARN lines (symbolic links followed, requirements.yaml in v2 charts...).
    pub logs: Vec<LogRecord>,
}

fn parse_yaml(data: &[u8]) -> Result<Value, String> {
    let text = String::from_utf8_lossy(data);
    chartkit_yaml::from_yaml_str(&text).map_err(|e| e.to_string())
}

/// `Chart.yaml` and `requirements.yaml` decode into Helm's `chart.Metadata`, whose string
/// fields turn numbers into Go's text on the way (`appVersion: 1000000.0` is `1e+06`).
fn parse_metadata_yaml(data: &[u8]) -> Result<Value, String> {
    let text = String::from_utf8_lossy(data);
    chartkit_yaml::from_yaml_str_typed(&text, &metadata::is_string_field).map_err(|e| e.to_string())
}

fn unmarshal_err(e: metadata::DecodeError) -> String {
    format!("error unmarshaling JSON: while decoding JSON: {e}")
}

/// Helm's `LoadFiles`: classifies files into Chart.yaml, lock, values,
/// schema, templates, subcharts (`charts/<name>/...` or `charts/<name>.tgz`,
/// loaded recursively; names starting with `_` or `.` are skipped) and
/// other files, then validates the metadata.
pub fn load_files(files: Vec<BufferedFile>, logs: &mut Vec<LogRecord>) -> Result<Chart, LoadError> {
    load_files_as(files, logs, Format::V2)
}

/// Which of Helm 4's loaders reads the files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    /// `pkg/chart/v2/loader`: apiVersion v1/v2, requirements.yaml/lock understood.
    V2,
    /// `internal/chart/v3/loader`: apiVersion defaults to v3, requirements files are plain
    /// files, and subcharts load as v3 charts too.
    V3,
}

fn load_files_as(
    files: Vec<BufferedFile>,
    logs: &mut Vec<LogRecord>,
    format: Format,
) -> Result<Chart, LoadError> {
    let mut c = Chart::default();
    let mut have_metadata = false;
    for f in &files {
        c.raw.push(to_file(f));
        if f.name == "Chart.yaml" {
            let v = parse_metadata_yaml(&f.data).map_err(|reason| LoadError::Decode {
                file: "Chart.yaml",
                reason,
            })?;
            c.metadata
                .merge_from_value(&v)
                .map_err(|e| LoadError::Decode {
                    file: "Chart.yaml",
                    reason: unmarshal_err(e),
                })?;
            have_metadata = true;
            if c.metadata.api_version.is_empty() {
                c.metadata.api_version = match format {
                    Format::V2 => API_VERSION_V1,
                    Format::V3 => API_VERSION_V3,
                }
                .to_string();
            }
            c.mod_time = f.mod_time;
        }
    }
    // Subcharts grouped by their first path component, in name order
    // (Helm iterates a Go map here, so its order is random).
    let mut subcharts: std::collections::BTreeMap<String, Vec<BufferedFile>> = Default::default();
    for f in files {
        let name = f.name.as_str();
        if name == "Chart.yaml" {
            continue;
        } else if name == "Chart.lock" {
            let v = parse_yaml(&f.data).map_err(|reason| LoadError::Decode {
                file: "Chart.lock",
                reason,
            })?;
            c.lock = Some(Lock::from_value(&v).map_err(|e| LoadError::Decode {
                file: "Chart.lock",
                reason: unmarshal_err(e),
            })?);
        } else if name == "values.yaml" {
            c.values = values::load_values(&f.data).map_err(|e| LoadError::Decode {
                file: "values.yaml",
                reason: e.to_string(),
            })?;
        } else if name == "values.schema.json" {
            c.schema = Some(f.data);
        } else if format == Format::V3 && name.starts_with("requirements.") {
            c.files.push(to_file(&f));
        } else if name == "requirements.yaml" {
            have_metadata = true;
            if c.metadata.api_version != API_VERSION_V1 {
                logs.push(LogRecord::info(
                    "Warning: Dependencies are handled in Chart.yaml since apiVersion \"v2\". We recommend migrating dependencies to Chart.yaml.",
                ));
            }
            let v = parse_metadata_yaml(&f.data).map_err(|reason| LoadError::Decode {
                file: "requirements.yaml",
                reason,
            })?;
            c.metadata
                .merge_from_value(&v)
                .map_err(|e| LoadError::Decode {
                    file: "requirements.yaml",
                    reason: unmarshal_err(e),
                })?;
            if c.metadata.api_version == API_VERSION_V1 {
                c.files.push(to_file(&f));
            }
        } else if name == "requirements.lock" {
            let v = parse_yaml(&f.data).map_err(|reason| LoadError::Decode {
                file: "requirements.lock",
                reason,
            })?;
            c.lock = Some(Lock::from_value(&v).map_err(|e| LoadError::Decode {
                file: "requirements.lock",
                reason: unmarshal_err(e),
            })?);
            have_metadata = true;
            if c.metadata.api_version != API_VERSION_V1 {
                logs.push(LogRecord::info(
                    "Warning: Dependency locking is handled in Chart.lock since apiVersion \"v2\". We recommend migrating to Chart.lock.",
                ));
            }
            if c.metadata.api_version == API_VERSION_V1 {
                c.files.push(to_file(&f));
            }
        } else if name.starts_with("templates/") {
            c.templates.push(to_file(&f));
        } else if let Some(rest) = name.strip_prefix("charts/") {
            if extension(name) == ".prov" {
                c.files.push(to_file(&f));
                continue;
            }
            let cname = rest.split('/').next().unwrap_or("").to_string();
            let rest = rest.to_string();
            subcharts
                .entry(cname)
                .or_default()
                .push(BufferedFile { name: rest, ..f });
        } else {
            c.files.push(to_file(&f));
        }
    }
    if !have_metadata {
        return Err(LoadError::ChartYamlMissing);
    }
    c.metadata.validate()?;

    for (n, files) in subcharts {
        if n.starts_with('_') || n.starts_with('.') {
            continue;
        }
        let parent = c.name().to_string();
        let loaded = if extension(&n) == ".tgz" {
            let file = &files[0];
            if file.name != n {
                return Err(LoadError::SubchartTar {
                    parent,
                    expected: n,
                    got: file.name.clone(),
                });
            }
            archive::load_archive_files(&file.data)
                .map_err(LoadError::from)
                .and_then(|files| load_files_as(files, logs, format))
        } else {
            let buff: Vec<BufferedFile> = files
                .into_iter()
                .filter_map(|f| {
                    let (_, rest) = f.name.split_once('/')?;
                    Some(BufferedFile {
                        name: rest.to_string(),
                        ..f
                    })
                })
                .collect();
            load_files_as(buff, logs, format)
        };
        match loaded {
            Ok(sc) => c.dependencies.push(sc),
            Err(e) => {
                return Err(LoadError::Subchart {
                    name: n,
                    parent,
                    source: Box::new(e),
                });
            }
        }
    }
    Ok(c)
}

fn to_file(f: &BufferedFile) -> File {
    File {
        name: f.name.clone(),
        mod_time: f.mod_time,
        data: f.data.clone(),
    }
}

/// Go's `filepath.Ext`.
fn extension(name: &str) -> &str {
    let base_start = name.rfind('/').map_or(0, |i| i + 1);
    match name[base_start..].rfind('.') {
        Some(i) => &name[base_start + i..],
        None => "",
    }
}

fn go_os_error(op: &str, path: &Path, e: &std::io::Error) -> String {
    let reason = match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::IsADirectory => "is a directory".to_string(),
        _ => {
            let s = e.to_string();
            // Rust appends " (os error N)"; Go prints the bare strerror.
            let s = s.split(" (os error").next().unwrap_or(&s).to_string();
            let mut chars = s.chars();
            match chars.next() {
                Some(f) => f.to_lowercase().collect::<String>() + chars.as_str(),
                None => s,
            }
        }
    };
    format!("{op} {}: {reason}", path.display())
}

/// Loads a chart from a directory or a `.tgz`/`.tar.gz` file, dispatching
/// on Chart.yaml's `apiVersion` like Helm's `loader.Load`. `path` is used in
/// messages as given (Helm passes an absolute path).
pub fn load(path: &Path) -> Result<Loaded, LoadError> {
    let mut logs = Vec::new();
    let chart = load_logged(path, &mut logs)?;
    Ok(Loaded { chart, logs })
}

/// [`load`], appending Helm's log lines to `logs` as they happen, so lines logged before a
/// failure (a symbolic link followed to a special file...) are kept, as Helm prints them.
pub fn load_logged(path: &Path, logs: &mut Vec<LogRecord>) -> Result<Chart, LoadError> {
    let meta = std::fs::metadata(path).map_err(|e| LoadError::Io(go_os_error("stat", path, &e)))?;
    if meta.is_dir() {
        load_dir_logged(path, logs)
    } else {
        load_file_logged(path, logs)
    }
}

fn check_api_version(v: &Value) -> Result<Format, LoadError> {
    let api = metadata::detect_api_version(v).map_err(|e| LoadError::Decode {
        file: "Chart.yaml",
        reason: unmarshal_err(e),
    })?;
    match api.as_str() {
        "" | API_VERSION_V1 | API_VERSION_V2 => Ok(Format::V2),
        API_VERSION_V3 => Ok(Format::V3),
        _ => Err(LoadError::UnsupportedVersion),
    }
}

/// Loads a chart directory, honouring its `.helmignore` (plus Helm's
/// default rule `templates/.?*`), following symbolic links (logged, as
/// Helm does) and refusing special files.
pub fn load_dir(dir: &Path) -> Result<Loaded, LoadError> {
    let mut logs = Vec::new();
    let chart = load_dir_logged(dir, &mut logs)?;
    Ok(Loaded { chart, logs })
}

/// [`load_dir`], appending log lines to `logs` as they happen (see [`load_logged`]).
pub fn load_dir_logged(dir: &Path, logs: &mut Vec<LogRecord>) -> Result<Chart, LoadError> {
    load_dir_as(dir, logs, None)
}

/// Loads a chart directory with Helm 4's v2 loader whatever its `apiVersion` says, as
/// `helm lint` does (its rules call `pkg/chart/v2/loader` directly): an `apiVersion: v3` chart
/// loads as a v2 chart instead of being refused, and the linter's Chart.yaml rule reports the
/// apiVersion.
/// Log lines are appended to `logs` as they happen (see [`load_logged`]).
pub fn load_dir_v2(dir: &Path, logs: &mut Vec<LogRecord>) -> Result<Chart, LoadError> {
    load_dir_as(dir, logs, Some(Format::V2))
}

fn load_dir_as(
    dir: &Path,
    logs: &mut Vec<LogRecord>,
    forced: Option<Format>,
) -> Result<Chart, LoadError> {
    let topdir = absolute(dir);
    let chart_yaml = topdir.join("Chart.yaml");
    let data = std::fs::read(&chart_yaml).map_err(|e| LoadError::UndetectableDir {
        path: chart_yaml.display().to_string(),
        reason: go_os_error("open", &chart_yaml, &e),
    })?;
    let v = parse_metadata_yaml(&data).map_err(|reason| LoadError::Decode {
        file: "Chart.yaml",
        reason,
    })?;
    let format = match forced {
        Some(f) => f,
        None => check_api_version(&v)?,
    };

    let mut rules = Rules::empty();
    let ifile = topdir.join(ignore::HELM_IGNORE);
    if std::fs::metadata(&ifile).is_ok() {
        let text =
            std::fs::read(&ifile).map_err(|e| LoadError::Io(go_os_error("open", &ifile, &e)))?;
        rules = Rules::parse(&text)?;
    }
    rules.add_defaults();
    let mut files = Vec::new();
    let root_info =
        std::fs::metadata(&topdir).map_err(|e| LoadError::Io(go_os_error("lstat", &topdir, &e)))?;
    walk(&topdir, &topdir, "", root_info, &rules, &mut files, logs, 0)?;
    finish(load_files_as(files, logs, format)?, format)
}

/// A v3 chart loaded fine is still an error for the v2-only commands; see [`LoadError::V3Chart`].
fn finish(chart: Chart, format: Format) -> Result<Chart, LoadError> {
    match format {
        Format::V2 => Ok(chart),
        Format::V3 => Err(LoadError::V3Chart(Box::new(chart))),
    }
}

/// Symbolic-link depth guard against link loops (Go would fail with
/// "too many links" from `EvalSymlinks`).
const MAX_WALK_DEPTH: usize = 256;

#[allow(clippy::too_many_arguments)]
fn walk(
    topdir: &Path,
    path: &Path,
    rel: &str,
    info: std::fs::Metadata,
    rules: &Rules,
    files: &mut Vec<BufferedFile>,
    logs: &mut Vec<LogRecord>,
    depth: usize,
) -> Result<(), LoadError> {
    if depth > MAX_WALK_DEPTH {
        return Err(LoadError::Io(format!(
            "error evaluating symlink {}: too many links",
            path.display()
        )));
    }
    let mut info = info;
    if info.file_type().is_symlink() {
        let resolved = std::fs::canonicalize(path).map_err(|e| {
            LoadError::Io(format!(
                "error evaluating symlink {}: {}",
                path.display(),
                go_os_error("lstat", path, &e)
            ))
        })?;
        logs.push(LogRecord {
            level: crate::log::Level::Info,
            msg: "found symbolic link in path. Contents of linked file included and used".into(),
            attrs: vec![
                ("path".into(), path.display().to_string()),
                ("resolved".into(), resolved.display().to_string()),
            ],
        });
        info = std::fs::symlink_metadata(&resolved)
            .map_err(|e| LoadError::Io(go_os_error("lstat", &resolved, &e)))?;
    }
    let is_dir = info.is_dir();
    if !rel.is_empty() {
        if is_dir {
            if rules.ignore(rel, true) {
                return Ok(());
            }
        } else {
            if rules.ignore(rel, false) {
                return Ok(());
            }
            if !info.is_file() {
                return Err(LoadError::IrregularFile(path.display().to_string()));
            }
            if info.len() > MAX_DECOMPRESSED_FILE_SIZE {
                let base = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                return Err(LoadError::FileTooLarge(base, MAX_DECOMPRESSED_FILE_SIZE));
            }
            let mut data = std::fs::read(path).map_err(|e| {
                LoadError::Io(format!(
                    "error reading {rel}: {}",
                    go_os_error("read", path, &e)
                ))
            })?;
            if data.starts_with(&[0xEF, 0xBB, 0xBF]) {
                data.drain(..3);
            }
            files.push(BufferedFile {
                name: rel.to_string(),
                mod_time: info.modified().ok(),
                data,
            });
            return Ok(());
        }
    }
    if !is_dir {
        return Ok(());
    }
    let mut names: Vec<String> = std::fs::read_dir(path)
        .map_err(|e| LoadError::Io(go_os_error("open", path, &e)))?
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    names.sort();
    for name in names {
        let child = path.join(&name);
        let child_rel = if rel.is_empty() {
            name.clone()
        } else {
            format!("{rel}/{name}")
        };
        let child_info = std::fs::symlink_metadata(&child)
            .map_err(|e| LoadError::Io(go_os_error("lstat", &child, &e)))?;
        walk(
            topdir,
            &child,
            &child_rel,
            child_info,
            rules,
            files,
            logs,
            depth + 1,
        )?;
    }
    Ok(())
}

fn absolute(p: &Path) -> PathBuf {
    if p.is_absolute() {
        return clean_os_path(p);
    }
    match std::env::current_dir() {
        Ok(cwd) => clean_os_path(&cwd.join(p)),
        Err(_) => p.to_path_buf(),
    }
}

/// Go's `filepath.Clean` on an absolute OS path (no symlink resolution).
fn clean_os_path(p: &Path) -> PathBuf {
    PathBuf::from(archive::clean_path(&p.to_string_lossy()))
}

/// Loads a chart archive file (`.tgz`, `.tar.gz`), with Helm's checks that
/// it is one.
pub fn load_file(path: &Path) -> Result<Loaded, LoadError> {
    let mut logs = Vec::new();
    let chart = load_file_logged(path, &mut logs)?;
    Ok(Loaded { chart, logs })
}

fn load_file_logged(path: &Path, logs: &mut Vec<LogRecord>) -> Result<Chart, LoadError> {
    let name = path.display().to_string();
    let data = std::fs::read(path).map_err(|e| LoadError::Io(go_os_error("open", path, &e)))?;
    archive::ensure_archive(&name, &data).map_err(LoadError::NotAnArchive)?;
    let files = match archive::load_archive_files(&data) {
        Ok(f) => f,
        Err(ArchiveError::GzipHeader) => {
            return Err(LoadError::NotAnArchive(format!(
                "file '{name}' does not appear to be a valid chart file (details: gzip: invalid header)"
            )));
        }
        Err(_) => return Err(LoadError::UnreadableArchive),
    };
    let chart_yaml = files
        .iter()
        .find(|f| f.name == "Chart.yaml")
        .ok_or(LoadError::UndetectableArchive)?;
    let v = parse_metadata_yaml(&chart_yaml.data).map_err(|reason| LoadError::Decode {
        file: "Chart.yaml",
        reason,
    })?;
    let format = check_api_version(&v)?;
    finish(load_files_as(files, logs, format)?, format)
}

/// Loads a chart from archive bytes already in memory (for SDK-style use
/// and tests).
pub fn load_archive(data: &[u8]) -> Result<Loaded, LoadError> {
    let files = archive::load_archive_files(data)?;
    let mut logs = Vec::new();
    let chart = load_files(files, &mut logs)?;
    Ok(Loaded { chart, logs })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bf(name: &str, data: &str) -> BufferedFile {
        BufferedFile {
            name: name.into(),
            mod_time: None,
            data: data.as_bytes().to_vec(),
        }
    }

    /// Expectations from Helm v4.1.4 (`.Chart.AppVersion`, `.Chart.Keywords`, ... printed by
    /// `helm template` for this Chart.yaml).
    #[test]
    fn metadata_strings_read_numbers_like_helm() {
        let chart_yaml = "apiVersion: v2\nname: p\nversion: 1.10\nappVersion: 1000000.0\n\
            description: 1.5e3\nkeywords: [1e6, 2.50, yes]\nannotations:\n  x: 1e7\n  y: 0o17\n\
            maintainers:\n  - name: 1e6\n    email: 3.0\n";
        let mut logs = Vec::new();
        let c = load_files(vec![bf("Chart.yaml", chart_yaml)], &mut logs).unwrap();
        let m = &c.metadata;
        assert_eq!(m.version, "1.1");
        assert_eq!(m.app_version, "1e+06");
        assert_eq!(m.description, "1500");
        assert_eq!(m.keywords, ["1e+06", "2.5", "true"]);
        let annotations = m.annotations.clone().unwrap_or_default();
        assert_eq!(annotations.get("x").map(String::as_str), Some("1e+07"));
        assert_eq!(annotations.get("true").map(String::as_str), Some("15"));
        let maintainer = m.maintainers[0].clone().unwrap_or_default();
        assert_eq!(maintainer.name, "1e+06");
        assert_eq!(maintainer.email, "3");
    }

    /// Helm v4.1.4 logs the followed link, then refuses the special file behind it:
    /// `level=INFO msg="found symbolic link in path. ..." path=.../null resolved=/dev/null`
    /// then `Error: cannot load irregular file .../null as it has file mode type bits set`.
    #[cfg(unix)]
    #[test]
    fn logs_before_a_load_failure_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("Chart.yaml"),
            "apiVersion: v2\nname: p\nversion: 1.0.0\n",
        )
        .unwrap();
        std::os::unix::fs::symlink("/dev/null", dir.path().join("null")).unwrap();
        let mut logs = Vec::new();
        let err = load_logged(dir.path(), &mut logs).unwrap_err();
        assert!(
            matches!(err, LoadError::IrregularFile(ref p) if p.ends_with("/null")),
            "{err}"
        );
        assert_eq!(logs.len(), 1);
        let line = logs[0].to_string();
        assert!(
            line.starts_with("level=INFO msg=\"found symbolic link in path."),
            "{line}"
        );
        assert!(line.ends_with("resolved=/dev/null"), "{line}");
    }

    fn v3(files: Vec<BufferedFile>) -> Result<Chart, LoadError> {
        load_files_as(files, &mut Vec::new(), Format::V3)
    }

    /// Helm v4.1.4 on apiVersion v3 charts (its own testdata, `helm template x <chart>`):
    /// validation first, then its dependency check, then `invalid chart apiVersion`.
    #[test]
    fn v3_charts_fail_where_helm_template_fails() {
        let refuse = |c: &Chart| crate::refuse_v3_chart(c, &mut Vec::new()).to_string();
        let err = v3(vec![bf(
            "Chart.yaml",
            "apiVersion: v3\nname: some-chart\nversion: 72445e2\n",
        )])
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "validation: chart.metadata.version \"7.2445e+06\" is invalid"
        );

        let parent = "apiVersion: v3\nname: p\nversion: 1.0.0\n";
        let sub = bf("charts/alpine/Chart.yaml", "name: alpine\nversion: 0.1.0\n");
        let c = v3(vec![bf("Chart.yaml", parent), sub.clone()]).unwrap();
        assert_eq!(c.dependencies[0].metadata.api_version, "v3");
        assert_eq!(
            refuse(&c),
            "an error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: unsupported chart dependency type"
        );

        let declared = format!("{parent}dependencies:\n- name: nope\n  version: 0.1.0\n");
        let c = v3(vec![bf("Chart.yaml", &declared), sub.clone()]).unwrap();
        assert!(
            refuse(&c).ends_with("found in Chart.yaml, but missing in charts/ directory: nope")
        );

        let declared = format!("{parent}dependencies:\n- name: alpine\n  version: 0.1.0\n");
        let reqs = bf("requirements.yaml", "dependencies: []\n");
        let c = v3(vec![bf("Chart.yaml", &declared), sub, reqs]).unwrap();
        assert!(c.files.iter().any(|f| f.name == "requirements.yaml"));
        assert_eq!(refuse(&c), "invalid chart apiVersion");
    }

    #[test]
    fn classifies_files() {
        let mut logs = Vec::new();
        let c = load_files(
            vec![
                bf("Chart.yaml", "apiVersion: v2\nname: p\nversion: 1.0.0\n"),
                bf("values.yaml", "a: 1\n"),
                bf("templates/x.yaml", "x"),
                bf("crds/c.yaml", "c"),
                bf("README.md", "r"),
                bf("charts/sub/Chart.yaml", "name: sub\nversion: 0.1.0\n"),
                bf("charts/sub/templates/y.yaml", "y"),
                bf("charts/_skip/Chart.yaml", "broken: ["),
                bf("charts/x.prov", "p"),
            ],
            &mut logs,
        )
        .unwrap();
        assert_eq!(c.templates.len(), 1);
        assert_eq!(
            c.files.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(),
            ["crds/c.yaml", "README.md", "charts/x.prov"]
        );
        assert_eq!(c.dependencies.len(), 1);
        assert_eq!(c.dependencies[0].metadata.api_version, "v1");
        assert_eq!(c.dependencies[0].templates[0].name, "templates/y.yaml");
        assert_eq!(c.crd_objects()[0].0, "p/crds/c.yaml");
    }

    #[test]
    fn missing_chart_yaml() {
        let mut logs = Vec::new();
        let err = load_files(vec![bf("values.yaml", "a: 1\n")], &mut logs).unwrap_err();
        assert_eq!(err.to_string(), "Chart.yaml file is missing");
        let err = load_files(
            vec![
                bf("Chart.yaml", "apiVersion: v2\nname: p\nversion: 1.0.0\n"),
                bf("charts/README.md", "x"),
            ],
            &mut logs,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "error unpacking subchart README.md in p: Chart.yaml file is missing"
        );
    }
}
