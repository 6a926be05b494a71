//! Kubernetes knowledge, offline: typed views of objects through
//! k8s-openapi (one Kubernetes version: the crate's `latest` feature),
//! strict validation against those types, and the API lifecycle table
//! (deprecated / removed apiVersions) Helm's deprecation check uses.

pub mod deprecations;
pub mod schema;

use serde::de::DeserializeOwned;
use serde_json::Value as Json;

use crate::objects::RenderedObject;

/// The Kubernetes version the k8s-openapi types describe.
pub const TYPES_VERSION: (u32, u32) = (1, 37);

/// A typed view of an object (lenient: unknown fields ignored, missing
/// required fields defaulted). `None` when the kind does not match `T` or
/// the object does not deserialize.
pub fn typed<T>(obj: &RenderedObject) -> Option<T>
where
    T: k8s_openapi::Resource + DeserializeOwned,
{
    if obj.api_version() != T::API_VERSION || obj.kind() != T::KIND {
        return None;
    }
    T::deserialize(&obj.json).ok()
}

/// Parses `major.minor` out of a Kubernetes version (`v1.35.0`, `1.20`,
/// `1.28+`), as Helm's `ParseKubeVersion` + `MajorMinor` do.
pub fn parse_kube_version(v: &str) -> Option<(u32, u32)> {
    let v = v.trim().trim_start_matches('v');
    let mut parts = v.split(['.', '-', '+']);
    let major = parts.next()?.parse().ok()?;
    let minor_raw = parts.next().unwrap_or("0");
    let digits: String = minor_raw.chars().take_while(char::is_ascii_digit).collect();
    let minor = if digits.is_empty() {
        0
    } else {
        digits.parse().ok()?
    };
    Some((major, minor))
}

/// Helm's default Kubernetes version for lint and template (v1.35.0).
pub const DEFAULT_KUBE_VERSION: (u32, u32) = (1, 35);

/// Reads a JSON object field as a string, for dispatch.
pub(crate) fn str_field<'a>(v: &'a Json, k: &str) -> &'a str {
    v.get(k).and_then(Json::as_str).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kube_versions() {
        assert_eq!(parse_kube_version("v1.35.0"), Some((1, 35)));
        assert_eq!(parse_kube_version("1.20"), Some((1, 20)));
        assert_eq!(parse_kube_version("1.28+"), Some((1, 28)));
        assert_eq!(parse_kube_version("x"), None);
    }

    #[test]
    fn typed_views() {
        let (objs, _) = crate::objects::parse_rendered(
            "t",
            "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db-hl\n  replicas: 3\n",
        );
        let sts: k8s_openapi::api::apps::v1::StatefulSet = typed(&objs[0]).unwrap();
        let spec = sts.spec;
        assert_eq!(spec.replicas, Some(3));
        assert_eq!(spec.service_name.as_deref(), Some("db-hl"));
        assert!(typed::<k8s_openapi::api::core::v1::Service>(&objs[0]).is_none());
    }
}
