//! `helm package`: a chart directory becomes `<name>-<version>.tgz` with
//! the tar entries Helm v4.1.4 writes (`chartutil.Save`), but bit-for-bit
//! reproducible: every entry has the same mtime (`SOURCE_DATE_EPOCH`, or
//! the Unix epoch), subcharts come in a fixed order, and the gzip header
//! carries no time.

use std::path::{Path, PathBuf};

use chartkit_chart::{Chart, LoadError, LogRecord, loader};
use thiserror::Error;

use crate::chartfile::{self, ChartfileError};
use crate::fsutil::{atomic_write, go_errno_text, go_path_error};
use crate::tarball::{self, MAX_OCTAL_11, TarError, TarWriter};

/// Options of [`package`] (`helm package` flags).
#[derive(Debug, Clone, Default)]
pub struct PackageOptions {
    /// `-d/--destination`; `None` or `.` is the current directory (printed
    /// as an absolute path, like Helm).
    pub dest: Option<PathBuf>,
    /// `--version`: replaces Chart.yaml's version (must be semver).
    pub version: Option<String>,
    /// `--app-version`: replaces Chart.yaml's appVersion.
    pub app_version: Option<String>,
    /// The mtime of every entry; `None` reads `SOURCE_DATE_EPOCH`, else 0.
    pub mtime: Option<u64>,
}

/// Errors packaging a chart. `Display` is Helm's message (after `Error: `).
#[derive(Debug, Error)]
pub enum PackageError {
    /// The chart path does not exist (`stat x: no such file or directory`).
    #[error("{0}")]
    Stat(String),
    /// The chart could not be loaded.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// `--version` (or Chart.yaml's) is not a semantic version.
    #[error("{0}")]
    InvalidVersion(String),
    /// Declared dependencies are missing from `charts/`.
    #[error("found in Chart.yaml, but missing in charts/ directory: {0}")]
    MissingDependencies(String),
    /// Writing the archive failed (`failed to save: ...`).
    #[error("failed to save: {0}")]
    Save(String),
    /// `SOURCE_DATE_EPOCH` is not a non-negative integer that fits a tar header.
    #[error("invalid SOURCE_DATE_EPOCH {0:?}: want seconds since 1970 (0 to 8589934591)")]
    SourceDateEpoch(String),
}

/// What [`package_with_logs`] produced.
#[derive(Debug, Clone)]
pub struct Packaged {
    /// The archive path (`<dest>/<name>-<version>.tgz`).
    pub path: PathBuf,
    /// Log lines from loading the chart (symbolic links followed...), for stderr.
    pub logs: Vec<LogRecord>,
}

/// Packages the chart directory `chart_dir` like `helm package` and
/// returns the archive's path.
pub fn package(chart_dir: &Path, opts: &PackageOptions) -> Result<PathBuf, PackageError> {
    package_with_logs(chart_dir, opts).map(|p| p.path)
}

/// [`package`], also returning the loader's log lines.
pub fn package_with_logs(
    chart_dir: &Path,
    opts: &PackageOptions,
) -> Result<Packaged, PackageError> {
    let mut logs = Vec::new();
    let path = package_logged(chart_dir, opts, &mut logs)?;
    Ok(Packaged { path, logs })
}

/// [`package`], appending the loader's log lines to `logs` as they happen, so the lines
/// logged before a failure are kept too (Helm prints them before its error).
pub fn package_logged(
    chart_dir: &Path,
    opts: &PackageOptions,
    logs: &mut Vec<LogRecord>,
) -> Result<PathBuf, PackageError> {
    std::fs::metadata(chart_dir)
        .map_err(|e| PackageError::Stat(go_path_error("stat", chart_dir, &e)))?;
    let mtime = match opts.mtime {
        Some(t) if t > MAX_OCTAL_11 => return Err(PackageError::SourceDateEpoch(t.to_string())),
        Some(t) => t,
        None => source_date_epoch()?.unwrap_or(0),
    };
    let mut chart = loader::load_dir_logged(chart_dir, logs)?;
    if let Some(v) = opts.version.as_deref().filter(|v| !v.is_empty()) {
        chart.metadata.version = v.to_string();
    }
    check_semver(&chart.metadata.version).map_err(PackageError::InvalidVersion)?;
    if let Some(v) = opts.app_version.as_deref().filter(|v| !v.is_empty()) {
        chart.metadata.app_version = v.to_string();
    }
    check_dependencies(&chart)?;

    let dest = match opts.dest.as_deref() {
        None => current_dir()?,
        Some(d) if d == Path::new(".") => current_dir()?,
        Some(d) => d.to_path_buf(),
    };
    chart
        .metadata
        .validate()
        .map_err(|e| PackageError::Save(format!("chart validation: {e}")))?;
    let file = dest.join(format!("{}-{}.tgz", chart.name(), chart.metadata.version));
    match std::fs::metadata(&dest) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(&dest)
                .map_err(|e| PackageError::Save(go_path_error("mkdir", &dest, &e)))?;
        }
        Err(e) => {
            return Err(PackageError::Save(format!(
                "stat {}: {}",
                dest.display(),
                go_errno_text(&e)
            )));
        }
        Ok(m) if !m.is_dir() => {
            return Err(PackageError::Save(format!(
                "is not a directory: {}",
                dest.display()
            )));
        }
        Ok(_) => {}
    }
    let bytes = archive_bytes(&chart, mtime)?;
    atomic_write(&file, &bytes)
        .map_err(|e| PackageError::Save(go_path_error("open", &file, &e)))?;
    Ok(file)
}

fn current_dir() -> Result<PathBuf, PackageError> {
    std::env::current_dir().map_err(|e| PackageError::Save(format!("getwd: {}", go_errno_text(&e))))
}

/// `SOURCE_DATE_EPOCH` from the environment: `None` when unset or empty.
pub fn source_date_epoch() -> Result<Option<u64>, PackageError> {
    parse_epoch(std::env::var("SOURCE_DATE_EPOCH").ok().as_deref())
}

/// A `SOURCE_DATE_EPOCH` value: decimal seconds that fit a tar header.
pub fn parse_epoch(v: Option<&str>) -> Result<Option<u64>, PackageError> {
    match v {
        None | Some("") => Ok(None),
        Some(s) => match s.parse::<u64>() {
            Ok(t) if t <= MAX_OCTAL_11 => Ok(Some(t)),
            _ => Err(PackageError::SourceDateEpoch(s.to_string())),
        },
    }
}

/// The gzipped tar archive of a loaded chart, entries as `chartutil.Save`
/// writes them, every mtime `mtime`.
pub fn archive_bytes(chart: &Chart, mtime: u64) -> Result<Vec<u8>, PackageError> {
    let mut tw = TarWriter::new();
    write_chart(&mut tw, chart, "", mtime)?;
    tarball::gzip_helm(&tw.finish()).map_err(save_tar)
}

/// The uncompressed tar stream of [`archive_bytes`].
pub fn tar_bytes(chart: &Chart, mtime: u64) -> Result<Vec<u8>, PackageError> {
    let mut tw = TarWriter::new();
    write_chart(&mut tw, chart, "", mtime)?;
    Ok(tw.finish())
}

fn save_tar(e: TarError) -> PackageError {
    PackageError::Save(e.to_string())
}

fn save_cf(e: ChartfileError) -> PackageError {
    PackageError::Save(e.to_string())
}

/// Helm's `writeTarContents`.
fn write_chart(
    tw: &mut TarWriter,
    c: &Chart,
    prefix: &str,
    mtime: u64,
) -> Result<(), PackageError> {
    let name = c.name();
    if name.is_empty() || name.contains('/') || name == "." || name == ".." {
        return Err(PackageError::Save(format!(
            "{name:?} is not a valid chart name"
        )));
    }
    let base = if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}/{name}")
    };
    let mut put = |rel: &str, data: &[u8]| -> Result<(), PackageError> {
        let path = chartkit_chart::archive::clean_path(&format!("{base}/{rel}"));
        tw.append_file(&path, data, mtime).map_err(save_tar)
    };
    put(
        "Chart.yaml",
        chartfile::chart_yaml(&c.metadata)
            .map_err(save_cf)?
            .as_bytes(),
    )?;
    if c.metadata.api_version == chartkit_chart::metadata::API_VERSION_V2
        && let Some(lock) = &c.lock
    {
        let text = chartfile::lock_json(lock)
            .map_err(save_cf)?
            .to_yaml()
            .map_err(save_cf)?;
        put("Chart.lock", text.as_bytes())?;
    }
    for f in c.raw.iter().filter(|f| f.name == "values.yaml") {
        put("values.yaml", &f.data)?;
    }
    if let Some(schema) = &c.schema {
        if !json_valid(schema) {
            return Err(PackageError::Save(
                "invalid JSON in values.schema.json".into(),
            ));
        }
        put("values.schema.json", schema)?;
    }
    for f in c.templates.iter().chain(c.files.iter()) {
        put(&f.name, &f.data)?;
    }
    let sub_prefix = format!("{base}/charts");
    for dep in sorted_dependencies(c) {
        write_chart(tw, dep, &sub_prefix, mtime)?;
    }
    Ok(())
}

/// Subcharts in a fixed order: by chart name, then version, then the
/// loader's order (directory or archive name under `charts/`). Helm walks
/// a Go map here, so its order changes from run to run.
fn sorted_dependencies(c: &Chart) -> Vec<&Chart> {
    let mut deps: Vec<&Chart> = c.dependencies.iter().collect();
    deps.sort_by(|a, b| {
        a.name()
            .cmp(b.name())
            .then_with(|| a.metadata.version.cmp(&b.metadata.version))
    });
    deps
}

/// Go's `json.Valid` (which does not check UTF-8 inside strings: invalid
/// bytes are replaced before parsing, which keeps validity unchanged).
fn json_valid(data: &[u8]) -> bool {
    let text = String::from_utf8_lossy(data);
    chartkit_yaml::json::from_str(&text).is_ok()
}

/// `helm package`'s `CheckDependencies`: every dependency declared in
/// Chart.yaml (or requirements.yaml) must be a loaded subchart, by name.
fn check_dependencies(c: &Chart) -> Result<(), PackageError> {
    let missing: Vec<&str> = c
        .metadata
        .dependency_list()
        .filter(|r| !c.dependencies.iter().any(|d| d.name() == r.name))
        .map(|r| r.name.as_str())
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(PackageError::MissingDependencies(missing.join(", ")))
    }
}

/// Masterminds/semver v3 `NewVersion`'s verdict with its error texts.
pub fn check_semver(v: &str) -> Result<(), String> {
    const INVALID: &str = "invalid semantic version";
    let s = v.strip_prefix('v').unwrap_or(v);
    let (core, meta) = match s.split_once('+') {
        Some((c, m)) => (c, Some(m)),
        None => (s, None),
    };
    let (nums, pre) = match core.split_once('-') {
        Some((n, p)) => (n, Some(p)),
        None => (core, None),
    };
    let ident_ok = |p: &str| {
        p.split('.')
            .all(|x| !x.is_empty() && x.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
    };
    let parts: Vec<&str> = nums.split('.').collect();
    if parts.len() > 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
        || pre.is_some_and(|p| !ident_ok(p))
        || meta.is_some_and(|m| !ident_ok(m))
    {
        return Err(INVALID.to_string());
    }
    for p in &parts {
        if p.parse::<u64>().is_err() {
            return Err(format!(
                "error parsing version segment: strconv.ParseUint: parsing {}: value out of range",
                chartkit_yaml::json::to_string(
                    &chartkit_yaml::Value::String((*p).to_string()),
                    chartkit_yaml::json::JsonOptions::raw()
                )
                .unwrap_or_else(|_| format!("\"{p}\""))
            ));
        }
    }
    if let Some(pre) = pre {
        for part in pre.split('.') {
            if part.len() > 1 && part.starts_with('0') && part.bytes().all(|b| b.is_ascii_digit()) {
                return Err("version segment starts with 0".to_string());
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_date_epoch_values() {
        assert_eq!(parse_epoch(None).unwrap(), None);
        assert_eq!(parse_epoch(Some("")).unwrap(), None);
        assert_eq!(
            parse_epoch(Some("1700000000")).unwrap(),
            Some(1_700_000_000)
        );
        for bad in ["-1", "1.5", "abc", "99999999999999"] {
            assert!(parse_epoch(Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn semver_messages_match_helm() {
        // Texts printed by `helm package --version V` (v4.1.4).
        assert_eq!(
            check_semver("1.0.0-01").unwrap_err(),
            "version segment starts with 0"
        );
        assert_eq!(
            check_semver("99999999999999999999.0.0").unwrap_err(),
            "error parsing version segment: strconv.ParseUint: parsing \"99999999999999999999\": value out of range"
        );
        for bad in ["1.0.0-a_b", " 1.0.0", "foo", "1..0", "1.0.0.0", "", "v"] {
            assert_eq!(
                check_semver(bad).unwrap_err(),
                "invalid semantic version",
                "{bad}"
            );
        }
        for good in ["1.0", "v1", "01.2.3", "1.2.3+b.1", "1.0.0-rc.1+x"] {
            assert!(check_semver(good).is_ok(), "{good}");
        }
    }
}
