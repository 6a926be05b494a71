//! Helm charts as OCI artifacts, the way `helm push` and `helm pull`
//! (v4.1.4) store and read them: an image manifest (no `mediaType`
//! field) whose config is the chart's Chart.yaml as JSON
//! (`application/vnd.cncf.helm.config.v1+json`), whose layers are the
//! archive (`application/vnd.cncf.helm.chart.content.v1.tar+gzip`) and
//! an optional provenance file, sorted by digest, with OCI annotations
//! from the chart; tagged with the chart version, `+` written as `_`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chartkit_chart::semver::{Constraints, Version};
use chartkit_chart::{Metadata, loader};

use super::client::{Client, MEDIA_TYPE_IMAGE_INDEX, MEDIA_TYPE_IMAGE_MANIFEST};
use super::reference::{OCI_PREFIX, Reference};
use super::{Descriptor, Manifest, OciError, index_manifests};
use crate::chartfile;
use crate::fsutil::{atomic_write, go_path_error};
use crate::gotime::GoTime;

/// Helm's chart config media type.
pub const CONFIG_MEDIA_TYPE: &str = "application/vnd.cncf.helm.config.v1+json";
/// Helm's chart archive layer media type.
pub const CHART_LAYER_MEDIA_TYPE: &str = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
/// Helm's provenance layer media type.
pub const PROV_LAYER_MEDIA_TYPE: &str = "application/vnd.cncf.helm.chart.provenance.v1.prov";
/// The chart layer media type of Helm 3.0-era pushes.
pub const LEGACY_CHART_LAYER_MEDIA_TYPE: &str = "application/tar+gzip";

/// What Helm prints after a reference whose tag holds `_`.
pub const UNDERSCORE_MESSAGE: &str = "\nOCI artifact references (e.g. tags) do not support the plus sign (+). To support\nstoring semantic versions, Helm adopts the convention of changing plus (+) to\nan underscore (_) in chart version tags when pushing to a registry and back to\na plus (+) when pulling from a registry.";

const ANN_CREATED: &str = "org.opencontainers.image.created";
const ANN_AUTHORS: &str = "org.opencontainers.image.authors";
const ANN_URL: &str = "org.opencontainers.image.url";
const ANN_SOURCE: &str = "org.opencontainers.image.source";
const ANN_VERSION: &str = "org.opencontainers.image.version";
const ANN_TITLE: &str = "org.opencontainers.image.title";
const ANN_DESCRIPTION: &str = "org.opencontainers.image.description";

/// Options of [`push_chart`].
#[derive(Debug, Clone, Default)]
pub struct PushOptions {
    /// The `org.opencontainers.image.created` annotation. `None`: from
    /// `SOURCE_DATE_EPOCH` when set, else the archive's mtime (Helm uses
    /// the mtime), as RFC 3339 in UTC.
    pub created: Option<String>,
}

/// What [`push_chart`] uploaded.
#[derive(Debug, Clone)]
pub struct PushResult {
    /// `registry/repo/name:tag` (Helm's `Pushed:` line).
    pub reference: String,
    /// The manifest digest (Helm's `Digest:` line).
    pub manifest_digest: String,
    /// The config blob.
    pub config: Descriptor,
    /// The chart layer.
    pub chart: Descriptor,
    /// The provenance layer, if a `.prov` file was next to the archive.
    pub prov: Option<Descriptor>,
    /// The manifest bytes as uploaded.
    pub manifest: Vec<u8>,
}

impl PushResult {
    /// The lines `helm push` prints (with the underscore note when the tag
    /// holds `_`).
    pub fn helm_output(&self) -> String {
        let tag = self.reference.rsplit_once(':').map_or("", |(_, t)| t);
        summary(
            "Pushed",
            &self.reference,
            &self.manifest_digest,
            tag.contains('_') && !tag.contains('/'),
        )
    }
}

fn summary(verb: &str, reference: &str, digest: &str, underscore: bool) -> String {
    let mut s = format!("{verb}: {reference}\nDigest: {digest}\n");
    if underscore {
        s.push_str(&format!(
            "{reference} contains an underscore.\n{UNDERSCORE_MESSAGE}\n"
        ));
    }
    s
}

/// The manifest annotations Helm derives from a chart
/// (`generateOCIAnnotations`).
pub fn chart_annotations(meta: &Metadata, created: &str) -> BTreeMap<String, String> {
    let mut a = BTreeMap::new();
    let mut add = |k: &str, v: &str| {
        if !v.trim().is_empty() {
            a.insert(k.to_string(), v.to_string());
        }
    };
    add(ANN_DESCRIPTION, &meta.description);
    add(ANN_TITLE, &meta.name);
    add(ANN_VERSION, &meta.version);
    add(ANN_URL, &meta.home);
    add(ANN_CREATED, created);
    if let Some(src) = meta.sources.first() {
        add(ANN_SOURCE, src);
    }
    if !meta.maintainers.is_empty() {
        let mut s = String::new();
        for (i, m) in meta.maintainers.iter().enumerate() {
            if let Some(m) = m {
                s.push_str(&m.name);
                if !m.email.is_empty() {
                    s.push_str(&format!(" ({})", m.email));
                }
            }
            if i + 1 < meta.maintainers.len() {
                s.push_str(", ");
            }
        }
        add(ANN_AUTHORS, &s);
    }
    if let Some(chart_ann) = &meta.annotations {
        for (k, v) in chart_ann {
            if k != ANN_VERSION && k != ANN_TITLE {
                a.insert(k.clone(), v.clone());
            }
        }
    }
    a
}

/// Go's `path.Join(a, b)` for a reference path.
fn join_ref(a: &str, b: &str) -> String {
    chartkit_chart::archive::clean_path(&format!("{a}/{b}"))
}

/// `helm push ARCHIVE oci://REGISTRY/REPO`: uploads the chart (and
/// `ARCHIVE.prov` when present) as `REPO/<name>:<version>`.
pub fn push_chart(
    client: &Client,
    archive: &Path,
    remote: &str,
    opts: &PushOptions,
) -> Result<PushResult, OciError> {
    let Some(scheme_end) = remote.find("://") else {
        return Err(OciError::InvalidReference(
            "scheme prefix missing from remote (e.g. \"oci://\")".into(),
        ));
    };
    if &remote[..scheme_end] != "oci" {
        return Err(OciError::InvalidReference(format!(
            "scheme {:?} not supported",
            &remote[..scheme_end]
        )));
    }
    let stat = std::fs::metadata(archive).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            OciError::Io(format!("{}: no such file", archive.display()))
        } else {
            OciError::Io(go_path_error("stat", archive, &e))
        }
    })?;
    if stat.is_dir() {
        return Err(OciError::Io(
            "cannot push directory, must provide chart archive (.tgz)".into(),
        ));
    }
    let loaded = loader::load(archive).map_err(|e| OciError::Chart(e.to_string()))?;
    let data =
        std::fs::read(archive).map_err(|e| OciError::Io(go_path_error("open", archive, &e)))?;
    let prov_path = PathBuf::from(format!("{}.prov", archive.display()));
    let prov = if prov_path.is_file() {
        Some(
            std::fs::read(&prov_path)
                .map_err(|e| OciError::Io(go_path_error("open", &prov_path, &e)))?,
        )
    } else {
        None
    };
    let name = &loaded.chart.metadata.name;
    let version = &loaded.chart.metadata.version;
    let raw_ref = format!(
        "{}:{version}",
        join_ref(remote.strip_prefix(OCI_PREFIX).unwrap_or(remote), name)
    );
    let reference = Reference::parse(&raw_ref)?;
    // extractChartMeta: the metadata of the archive bytes themselves.
    let meta = loader::load_archive(&data)
        .map_err(|e| OciError::Chart(e.to_string()))?
        .chart
        .metadata;
    let created = match &opts.created {
        Some(c) => c.clone(),
        None => {
            match crate::package::source_date_epoch().map_err(|e| OciError::Io(e.to_string()))? {
                Some(t) => GoTime::utc(i64::try_from(t).unwrap_or(0), 0).rfc3339(),
                None => stat
                    .modified()
                    .map(|m| GoTime::from_system(m).rfc3339())
                    .unwrap_or_else(|_| GoTime::now().rfc3339()),
            }
        }
    };
    let config_json = chartfile::metadata_json(&meta, true)
        .to_json()
        .map_err(|e| OciError::Manifest(e.to_string()))?;
    let config = Descriptor::of(CONFIG_MEDIA_TYPE, config_json.as_bytes());
    let chart_desc = Descriptor::of(CHART_LAYER_MEDIA_TYPE, &data);
    let prov_desc = prov
        .as_ref()
        .map(|p| Descriptor::of(PROV_LAYER_MEDIA_TYPE, p));
    let mut layers: Vec<(Descriptor, &[u8])> = vec![(chart_desc.clone(), &data)];
    if let (Some(d), Some(p)) = (&prov_desc, &prov) {
        layers.push((d.clone(), p));
    }
    layers.sort_by(|a, b| a.0.digest.cmp(&b.0.digest));
    let manifest = Manifest {
        config: config.clone(),
        layers: layers.iter().map(|(d, _)| d.clone()).collect(),
        annotations: chart_annotations(&meta, &created),
        ..Default::default()
    };
    let manifest_json = manifest.to_json()?;
    client.push_blob(&reference, &config, config_json.as_bytes())?;
    for (d, bytes) in &layers {
        client.push_blob(&reference, d, bytes)?;
    }
    let manifest_digest = client.push_manifest(
        &reference,
        &reference.tag,
        MEDIA_TYPE_IMAGE_MANIFEST,
        manifest_json.as_bytes(),
    )?;
    Ok(PushResult {
        reference: reference.to_string(),
        manifest_digest,
        config,
        chart: chart_desc,
        prov: prov_desc,
        manifest: manifest_json.into_bytes(),
    })
}

/// Options of [`pull_chart`] (`helm pull` flags).
#[derive(Debug, Clone, Default)]
pub struct PullOptions {
    /// `--version`: an exact version or a semver constraint; empty takes
    /// the reference's tag, else the highest semver tag.
    pub version: Option<String>,
    /// `-d/--destination` (default `.`).
    pub dest: Option<PathBuf>,
    /// `--untar`: expand the chart instead of keeping the archive.
    pub untar: bool,
    /// `--untardir` (default `.`, relative to `dest`).
    pub untar_dir: Option<PathBuf>,
    /// `--prov`: also fetch the provenance file.
    pub prov: bool,
}

/// What [`pull_chart`] fetched.
#[derive(Debug, Clone)]
pub struct PullResult {
    /// `registry/repo/name:tag` (Helm's `Pulled:` line).
    pub reference: String,
    /// Manifest digest (Helm's `Digest:` line).
    pub manifest_digest: String,
    /// The archive written (or, with `untar`, the chart directory).
    pub path: PathBuf,
    /// The chart's metadata from the config blob.
    pub config: serde_json::Value,
    /// Whether the manifest used the deprecated `application/tar+gzip` layer.
    pub legacy_layer: bool,
}

impl PullResult {
    /// The lines `helm pull` prints.
    pub fn helm_output(&self) -> String {
        let mut s = String::new();
        if self.legacy_layer {
            s.push_str(&format!(
                "Warning: chart media type {LEGACY_CHART_LAYER_MEDIA_TYPE} is deprecated\n"
            ));
        }
        s.push_str(&summary(
            "Pulled",
            &self.reference,
            &self.manifest_digest,
            self.reference.contains('_'),
        ));
        s
    }
}

/// Masterminds `StrictNewVersion`: `X.Y.Z[-pre][+meta]`, no `v`, no
/// leading zeros.
fn strict_version(t: &str) -> Option<Version> {
    let core = t.split(['-', '+']).next().unwrap_or("");
    let parts: Vec<&str> = core.split('.').collect();
    if parts.len() != 3
        || parts.iter().any(|p| {
            p.is_empty()
                || !p.bytes().all(|b| b.is_ascii_digit())
                || (p.len() > 1 && p.starts_with('0'))
        })
    {
        return None;
    }
    Version::parse(t).ok()
}

/// Helm's tag choice (`ValidateReference` + `GetTagMatchingVersionOrConstraint`):
/// an exact semver version is used as is; otherwise the repository's
/// semver tags (`_` read as `+`), highest first, are matched against the
/// constraint (`*` when empty).
pub fn resolve_tag(client: &Client, r: &Reference, version: &str) -> Result<String, OciError> {
    if !version.is_empty() && Version::parse(version).is_ok() {
        return Ok(version.to_string());
    }
    let mut tags: Vec<(Version, String)> = client
        .tags(r)?
        .into_iter()
        .filter_map(|t| {
            let plus = t.replace('_', "+");
            strict_version(&plus).map(|v| (v, plus))
        })
        .collect();
    if tags.is_empty() {
        return Err(OciError::NotFound(format!(
            "unable to locate any tags in provided repository: {OCI_PREFIX}{}",
            r.name()
        )));
    }
    tags.sort_by(|a, b| b.0.compare(&a.0));
    if !version.is_empty()
        && let Some((_, t)) = tags.iter().find(|(_, t)| t == version)
    {
        return Ok(t.clone());
    }
    let constraint = if version.is_empty() { "*" } else { version };
    let c = Constraints::parse(constraint).map_err(|e| OciError::NotFound(e.to_string()))?;
    tags.into_iter()
        .find(|(v, _)| c.check(v))
        .map(|(_, t)| t)
        .ok_or_else(|| {
            OciError::NotFound(format!(
                "could not locate a version matching provided version string {version}"
            ))
        })
}

/// Fetches the image manifest for `reference` (following an image index
/// to its first manifest) and returns it with its digest.
pub(crate) fn fetch_image_manifest(
    client: &Client,
    r: &Reference,
    reference: &str,
) -> Result<(Manifest, String), OciError> {
    let fetched = client.fetch_manifest(
        r,
        reference,
        &[MEDIA_TYPE_IMAGE_MANIFEST, MEDIA_TYPE_IMAGE_INDEX],
    )?;
    if fetched.media_type == MEDIA_TYPE_IMAGE_INDEX {
        let first = index_manifests(&fetched.bytes)?
            .into_iter()
            .find(|d| d.media_type == MEDIA_TYPE_IMAGE_MANIFEST)
            .ok_or_else(|| OciError::Manifest("image index lists no image manifest".into()))?;
        let inner = client.fetch_manifest(r, &first.digest, &[MEDIA_TYPE_IMAGE_MANIFEST])?;
        return Ok((Manifest::parse(&inner.bytes)?, fetched.digest));
    }
    Ok((Manifest::parse(&fetched.bytes)?, fetched.digest))
}

/// `helm pull oci://REGISTRY/REPO/NAME [--version V] [-d DIR] [--untar]`.
/// Every blob is verified against its digest before anything is written;
/// files are written atomically.
pub fn pull_chart(
    client: &Client,
    chart_ref: &str,
    opts: &PullOptions,
) -> Result<PullResult, OciError> {
    if !chart_ref.starts_with(OCI_PREFIX) {
        return Err(OciError::InvalidReference(format!(
            "{chart_ref:?}: only oci:// references are supported"
        )));
    }
    let parsed = Reference::parse(chart_ref)?;
    let mut version = opts.version.clone().unwrap_or_default();
    if version.is_empty() {
        version = parsed.tag.replace('_', "+");
    } else if !parsed.tag.is_empty() && parsed.tag != version.replace('+', "_") {
        return Err(OciError::InvalidReference(format!(
            "chart reference and version mismatch: {version} is not {}",
            parsed.tag
        )));
    }
    let (target, tag) = if !parsed.digest.is_empty() && version.is_empty() {
        (parsed.clone(), String::new())
    } else {
        let tag = resolve_tag(client, &parsed, &version)?;
        (parsed.with_tag(&tag), tag)
    };
    let (manifest, manifest_digest) = fetch_image_manifest(client, &target, target.reference())?;
    if !parsed.digest.is_empty() && parsed.digest != manifest_digest {
        return Err(OciError::DigestMismatch {
            what: format!("chart reference {}", target),
            expected: parsed.digest.clone(),
            actual: manifest_digest,
        });
    }
    let mut descriptors = vec![manifest.config.clone()];
    descriptors.extend(manifest.layers.iter().cloned());
    let min = 2 + usize::from(opts.prov);
    let relevant: Vec<&Descriptor> = descriptors
        .iter()
        .filter(|d| {
            [
                CONFIG_MEDIA_TYPE,
                CHART_LAYER_MEDIA_TYPE,
                LEGACY_CHART_LAYER_MEDIA_TYPE,
                PROV_LAYER_MEDIA_TYPE,
            ]
            .contains(&d.media_type.as_str())
        })
        .collect();
    if relevant.len() < min {
        return Err(OciError::Manifest(format!(
            "manifest does not contain minimum number of descriptors ({min}), descriptors found: {}",
            relevant.len()
        )));
    }
    let find = |mt: &str| relevant.iter().rev().find(|d| d.media_type == mt).copied();
    let config_desc = find(CONFIG_MEDIA_TYPE).ok_or_else(|| {
        OciError::Manifest(format!(
            "could not load config with mediatype {CONFIG_MEDIA_TYPE}"
        ))
    })?;
    let legacy = find(LEGACY_CHART_LAYER_MEDIA_TYPE);
    let chart_desc = find(CHART_LAYER_MEDIA_TYPE).or(legacy).ok_or_else(|| {
        OciError::Manifest(format!(
            "manifest does not contain a layer with mediatype {CHART_LAYER_MEDIA_TYPE}"
        ))
    })?;
    let prov_desc = if opts.prov {
        Some(find(PROV_LAYER_MEDIA_TYPE).ok_or_else(|| {
            OciError::Manifest(format!(
                "manifest does not contain a layer with mediatype {PROV_LAYER_MEDIA_TYPE}"
            ))
        })?)
    } else {
        None
    };
    let config_bytes = client.fetch_blob(&target, config_desc)?;
    let config: serde_json::Value = serde_json::from_slice(&config_bytes)
        .map_err(|e| OciError::Manifest(format!("invalid chart config: {e}")))?;
    let chart_bytes = client.fetch_blob(&target, chart_desc)?;
    let prov_bytes = match prov_desc {
        Some(d) => Some(client.fetch_blob(&target, d)?),
        None => None,
    };

    // Helm names the file after the reference: <name>-<version>.tgz.
    let file_version = if tag.is_empty() {
        config
            .get("version")
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string()
    } else {
        tag.clone()
    };
    let file_name = format!("{}-{file_version}.tgz", parsed.basename());
    let dest = opts.dest.clone().unwrap_or_else(|| PathBuf::from("."));
    let path = if opts.untar {
        let ud = opts.untar_dir.clone().unwrap_or_else(|| PathBuf::from("."));
        let ud = if ud.is_absolute() {
            ud
        } else if ud == Path::new(".") {
            dest.clone()
        } else {
            dest.join(ud)
        };
        crate::extract::expand(&ud, &chart_bytes).map_err(|e| OciError::Chart(e.to_string()))?
    } else {
        std::fs::create_dir_all(&dest)
            .map_err(|e| OciError::Io(go_path_error("mkdir", &dest, &e)))?;
        let out = dest.join(&file_name);
        atomic_write(&out, &chart_bytes)
            .map_err(|e| OciError::Io(go_path_error("open", &out, &e)))?;
        if let Some(p) = &prov_bytes {
            let pp = dest.join(format!("{file_name}.prov"));
            atomic_write(&pp, p).map_err(|e| OciError::Io(go_path_error("open", &pp, &e)))?;
        }
        out
    };
    Ok(PullResult {
        reference: target.to_string(),
        manifest_digest,
        path,
        config,
        legacy_layer: legacy.is_some() && find(CHART_LAYER_MEDIA_TYPE).is_none(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chartkit_chart::Maintainer;

    #[test]
    fn annotations_like_helm() {
        let mut meta = Metadata {
            name: "c".into(),
            version: "1.0.0".into(),
            description: "  ".into(),
            home: "https://h".into(),
            sources: vec!["https://s1".into(), "https://s2".into()],
            maintainers: vec![
                Some(Maintainer {
                    name: "a".into(),
                    email: "a@x".into(),
                    url: String::new(),
                }),
                Some(Maintainer {
                    name: "b".into(),
                    ..Default::default()
                }),
            ],
            ..Default::default()
        };
        let mut ca = BTreeMap::new();
        ca.insert(ANN_TITLE.to_string(), "hijack".to_string());
        ca.insert("x".to_string(), "y".to_string());
        meta.annotations = Some(ca);
        let a = chart_annotations(&meta, "2025-01-01T00:00:00Z");
        assert_eq!(a.get(ANN_TITLE).map(String::as_str), Some("c"));
        assert_eq!(a.get(ANN_AUTHORS).map(String::as_str), Some("a (a@x), b"));
        assert_eq!(a.get(ANN_SOURCE).map(String::as_str), Some("https://s1"));
        assert_eq!(a.get("x").map(String::as_str), Some("y"));
        assert!(!a.contains_key(ANN_DESCRIPTION));
    }

    #[test]
    fn strict_versions() {
        assert!(strict_version("1.2.3").is_some());
        assert!(strict_version("1.2.3-rc.1+b").is_some());
        for bad in ["1.2", "v1.2.3", "01.2.3", "latest"] {
            assert!(strict_version(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn output_lines() {
        assert_eq!(
            summary("Pushed", "h/c:1.0.0", "sha256:x", false),
            "Pushed: h/c:1.0.0\nDigest: sha256:x\n"
        );
        assert!(
            summary("Pushed", "h/c:1.0.0_b", "sha256:x", true).contains("contains an underscore.")
        );
    }
}
