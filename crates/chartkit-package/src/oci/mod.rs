//! OCI distribution: a registry [`Client`], Helm's chart artifacts
//! ([`push_chart`], [`pull_chart`]) and chartkit's plugin artifacts
//! ([`push_plugin`], [`pull_plugin`], [`install_plugin`]).

use std::collections::BTreeMap;

use chartkit_yaml::Value;
use thiserror::Error;

use crate::chartfile::GoJson;

pub mod auth;
mod chart;
pub mod client;
pub mod digest;
mod plugin;
pub mod reference;

pub use auth::{Credential, CredentialStore};
pub use chart::{
    CHART_LAYER_MEDIA_TYPE, CONFIG_MEDIA_TYPE, LEGACY_CHART_LAYER_MEDIA_TYPE,
    PROV_LAYER_MEDIA_TYPE, PullOptions, PullResult, PushOptions, PushResult, UNDERSCORE_MESSAGE,
    pull_chart, push_chart, resolve_tag,
};
pub use client::{Client, ClientOptions};
pub use plugin::{
    InstalledPlugin, PLUGIN_ARTIFACT_TYPE, PLUGIN_COMPONENT_MEDIA_TYPE, PLUGIN_CONFIG_MEDIA_TYPE,
    PLUGIN_MANIFEST_FILE, PLUGIN_MANIFEST_MEDIA_TYPE, PluginArtifact, PluginPushResult,
    PulledPlugin, find_pinned, install_plugin, plugin_store_dir, pull_plugin, push_plugin,
    verify_installed,
};
pub use reference::Reference;

/// Errors talking to registries and handling artifacts. `Display` follows
/// Helm's (oras-go's) texts where Helm has one.
#[derive(Debug, Error)]
pub enum OciError {
    /// A malformed `oci://` reference.
    #[error("invalid reference: {0}")]
    InvalidReference(String),
    /// Connection-level failure (`GET "http://..": io: Connection refused`).
    #[error("{0}")]
    Transport(String),
    /// The registry answered with an error status.
    #[error("{method} {url:?}: response status code {status}: {message}")]
    Http {
        /// HTTP method.
        method: String,
        /// Request URL.
        url: String,
        /// Status code.
        status: u16,
        /// The registry's error codes and messages, or the status text.
        message: String,
    },
    /// Authentication failed or was impossible.
    #[error("{0}")]
    Auth(String),
    /// TLS setup failed (unreadable CA file...).
    #[error("{0}")]
    Tls(String),
    /// The registry broke the protocol (missing header, oversized answer...).
    #[error("{0}")]
    Protocol(String),
    /// Content does not hash to the digest it was fetched by.
    #[error("digest mismatch for {what}: expected {expected}, got {actual}")]
    DigestMismatch {
        /// What was checked.
        what: String,
        /// The digest asked for.
        expected: String,
        /// The digest of what arrived.
        actual: String,
    },
    /// A blob of another size than its descriptor says.
    #[error("size mismatch for blob {digest}: expected {expected} bytes, got {actual}")]
    SizeMismatch {
        /// The blob.
        digest: String,
        /// Descriptor size.
        expected: u64,
        /// Bytes received.
        actual: u64,
    },
    /// A manifest that is not what the artifact needs (Helm's texts, e.g.
    /// `manifest does not contain a layer with mediatype ...`).
    #[error("{0}")]
    Manifest(String),
    /// The chart archive could not be read.
    #[error("{0}")]
    Chart(String),
    /// Local file-system failure.
    #[error("{0}")]
    Io(String),
    /// No tag matches the requested version.
    #[error("{0}")]
    NotFound(String),
}

/// An OCI content descriptor.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Descriptor {
    /// `mediaType`.
    pub media_type: String,
    /// `digest` (`sha256:<hex>`).
    pub digest: String,
    /// `size` in bytes.
    pub size: u64,
    /// `annotations`.
    pub annotations: BTreeMap<String, String>,
    /// `artifactType`.
    pub artifact_type: String,
}

impl Descriptor {
    /// The descriptor of `data` (sha256).
    pub fn of(media_type: &str, data: &[u8]) -> Descriptor {
        Descriptor {
            media_type: media_type.to_string(),
            digest: digest::sha256_digest(data),
            size: data.len() as u64,
            ..Default::default()
        }
    }

    fn to_go(&self) -> GoJson {
        let mut f = vec![
            (
                "mediaType".to_string(),
                GoJson::Str(self.media_type.clone()),
            ),
            ("digest".to_string(), GoJson::Str(self.digest.clone())),
            (
                "size".to_string(),
                GoJson::Any(Value::Int(i64::try_from(self.size).unwrap_or(i64::MAX))),
            ),
        ];
        if !self.annotations.is_empty() {
            f.push(("annotations".to_string(), annotations_go(&self.annotations)));
        }
        if !self.artifact_type.is_empty() {
            f.push((
                "artifactType".to_string(),
                GoJson::Str(self.artifact_type.clone()),
            ));
        }
        GoJson::Obj(f)
    }

    fn from_json(v: &serde_json::Value, what: &str) -> Result<Descriptor, OciError> {
        let bad =
            |field: &str| OciError::Manifest(format!("invalid {what}: missing or invalid {field}"));
        let media_type = v
            .get("mediaType")
            .and_then(|x| x.as_str())
            .ok_or_else(|| bad("mediaType"))?;
        let digest = v
            .get("digest")
            .and_then(|x| x.as_str())
            .ok_or_else(|| bad("digest"))?;
        let size = v
            .get("size")
            .and_then(|x| x.as_u64())
            .ok_or_else(|| bad("size"))?;
        digest::check_digest_syntax(digest)
            .map_err(|e| OciError::Manifest(format!("invalid {what}: digest {digest:?}: {e}")))?;
        let mut annotations = BTreeMap::new();
        if let Some(obj) = v.get("annotations").and_then(|x| x.as_object()) {
            for (k, val) in obj {
                if let Some(s) = val.as_str() {
                    annotations.insert(k.clone(), s.to_string());
                }
            }
        }
        Ok(Descriptor {
            media_type: media_type.to_string(),
            digest: digest.to_string(),
            size,
            annotations,
            artifact_type: v
                .get("artifactType")
                .and_then(|x| x.as_str())
                .unwrap_or("")
                .to_string(),
        })
    }
}

fn annotations_go(a: &BTreeMap<String, String>) -> GoJson {
    GoJson::Obj(
        a.iter()
            .map(|(k, v)| (k.clone(), GoJson::Str(v.clone())))
            .collect(),
    )
}

/// An OCI image manifest.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Manifest {
    /// `mediaType` (Helm leaves it out).
    pub media_type: String,
    /// `artifactType` (OCI 1.1 artifacts).
    pub artifact_type: String,
    /// `config`.
    pub config: Descriptor,
    /// `layers`.
    pub layers: Vec<Descriptor>,
    /// `annotations`.
    pub annotations: BTreeMap<String, String>,
}

impl Manifest {
    /// `json.Marshal(ocispec.Manifest)`: Go's field order and escaping.
    pub fn to_json(&self) -> Result<String, OciError> {
        let mut f = vec![("schemaVersion".to_string(), GoJson::Any(Value::Int(2)))];
        if !self.media_type.is_empty() {
            f.push(("mediaType".into(), GoJson::Str(self.media_type.clone())));
        }
        if !self.artifact_type.is_empty() {
            f.push((
                "artifactType".into(),
                GoJson::Str(self.artifact_type.clone()),
            ));
        }
        f.push(("config".into(), self.config.to_go()));
        f.push((
            "layers".into(),
            GoJson::List(self.layers.iter().map(Descriptor::to_go).collect()),
        ));
        if !self.annotations.is_empty() {
            f.push(("annotations".into(), annotations_go(&self.annotations)));
        }
        GoJson::Obj(f)
            .to_json()
            .map_err(|e| OciError::Manifest(e.to_string()))
    }

    /// Parses an image manifest.
    pub fn parse(bytes: &[u8]) -> Result<Manifest, OciError> {
        let v: serde_json::Value = serde_json::from_slice(bytes)
            .map_err(|e| OciError::Manifest(format!("invalid manifest: {e}")))?;
        if v.get("schemaVersion").and_then(|s| s.as_u64()) != Some(2) {
            return Err(OciError::Manifest(
                "invalid manifest: schemaVersion is not 2".into(),
            ));
        }
        let config = Descriptor::from_json(
            v.get("config")
                .ok_or_else(|| OciError::Manifest("invalid manifest: no config".into()))?,
            "config descriptor",
        )?;
        let mut layers = Vec::new();
        if let Some(ls) = v.get("layers").and_then(|l| l.as_array()) {
            for l in ls {
                layers.push(Descriptor::from_json(l, "layer descriptor")?);
            }
        }
        let mut annotations = BTreeMap::new();
        if let Some(obj) = v.get("annotations").and_then(|x| x.as_object()) {
            for (k, val) in obj {
                if let Some(s) = val.as_str() {
                    annotations.insert(k.clone(), s.to_string());
                }
            }
        }
        let s = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
        Ok(Manifest {
            media_type: s("mediaType"),
            artifact_type: s("artifactType"),
            config,
            layers,
            annotations,
        })
    }
}

/// The manifests an image index lists.
pub(crate) fn index_manifests(bytes: &[u8]) -> Result<Vec<Descriptor>, OciError> {
    let v: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| OciError::Manifest(format!("invalid image index: {e}")))?;
    let mut out = Vec::new();
    if let Some(ms) = v.get("manifests").and_then(|m| m.as_array()) {
        for m in ms {
            out.push(Descriptor::from_json(m, "index entry")?);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_json_round_trip() {
        let cfg = Descriptor::of("application/vnd.cncf.helm.config.v1+json", b"{}");
        let layer = Descriptor::of("application/vnd.cncf.helm.chart.content.v1.tar+gzip", b"x");
        let mut m = Manifest {
            config: cfg,
            layers: vec![layer],
            ..Default::default()
        };
        m.annotations
            .insert("org.opencontainers.image.title".into(), "a<b".into());
        let json = m.to_json().unwrap();
        assert!(json.starts_with(r#"{"schemaVersion":2,"config":{"mediaType":"application/vnd.cncf.helm.config.v1+json","digest":"sha256:44136fa"#));
        assert!(json.ends_with(r#""annotations":{"org.opencontainers.image.title":"a\u003cb"}}"#));
        assert_eq!(Manifest::parse(json.as_bytes()).unwrap(), m);
        assert!(Manifest::parse(b"{}").is_err());
        assert!(
            Manifest::parse(
                br#"{"schemaVersion":2,"config":{"mediaType":"x","digest":"md5:1","size":1}}"#
            )
            .is_err()
        );
    }
}
