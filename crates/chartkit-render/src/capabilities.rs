//! `.Capabilities`: what `helm template` pretends the cluster supports.
//!
//! Offline, Helm v4.1.4 reports Kubernetes v1.35.0 (its client-go minor + 1)
//! and every group/version its client-go scheme knows, in the scheme's
//! priority order. `--kube-version` replaces the version, `--api-versions`
//! appends to the list.

use std::fmt;
use std::rc::Rc;

use chartkit_gotemplate::{FuncError, List, Object, Value};

/// The API versions the reference Helm reports, in its order.
pub const DEFAULT_API_VERSIONS: &[&str] = &[
    "v1",
    "admissionregistration.k8s.io/v1",
    "admissionregistration.k8s.io/v1alpha1",
    "admissionregistration.k8s.io/v1beta1",
    "internal.apiserver.k8s.io/v1alpha1",
    "apps/v1",
    "apps/v1beta1",
    "apps/v1beta2",
    "authentication.k8s.io/v1",
    "authentication.k8s.io/v1alpha1",
    "authentication.k8s.io/v1beta1",
    "authorization.k8s.io/v1",
    "authorization.k8s.io/v1beta1",
    "autoscaling/v1",
    "autoscaling/v2",
    "autoscaling/v2beta1",
    "autoscaling/v2beta2",
    "batch/v1",
    "batch/v1beta1",
    "certificates.k8s.io/v1",
    "certificates.k8s.io/v1beta1",
    "certificates.k8s.io/v1alpha1",
    "coordination.k8s.io/v1alpha2",
    "coordination.k8s.io/v1beta1",
    "coordination.k8s.io/v1",
    "discovery.k8s.io/v1",
    "discovery.k8s.io/v1beta1",
    "events.k8s.io/v1",
    "events.k8s.io/v1beta1",
    "extensions/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3",
    "networking.k8s.io/v1",
    "networking.k8s.io/v1beta1",
    "node.k8s.io/v1",
    "node.k8s.io/v1alpha1",
    "node.k8s.io/v1beta1",
    "policy/v1",
    "policy/v1beta1",
    "rbac.authorization.k8s.io/v1",
    "rbac.authorization.k8s.io/v1beta1",
    "rbac.authorization.k8s.io/v1alpha1",
    "resource.k8s.io/v1",
    "resource.k8s.io/v1beta2",
    "resource.k8s.io/v1beta1",
    "resource.k8s.io/v1alpha3",
    "scheduling.k8s.io/v1alpha1",
    "scheduling.k8s.io/v1beta1",
    "scheduling.k8s.io/v1",
    "storage.k8s.io/v1beta1",
    "storage.k8s.io/v1",
    "storage.k8s.io/v1alpha1",
    "storagemigration.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1",
];

/// The Helm build Helm reports in `.Capabilities.HelmVersion`.
pub const HELM_VERSION: &str = "v4.1.4";
const HELM_GIT_COMMIT: &str = "05fa37973dc9e42b76e1d2883494c87174b6074f";
const HELM_GO_VERSION: &str = "go1.25.9";
const HELM_KUBE_CLIENT_VERSION: &str = "v1.35";

/// A Kubernetes version as Helm's `common.KubeVersion` holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KubeVersion {
    /// As given, with a `v` prefix (`v1.33.4-gke.1245000`).
    pub version: String,
    /// `v<major>.<minor>.<patch>` without suffixes, used for constraints.
    pub normalized: String,
    pub major: String,
    pub minor: String,
}

/// Why a `--kube-version` could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct KubeVersionError(String);

impl KubeVersion {
    /// The default: v1.35.0.
    pub fn default_version() -> Self {
        KubeVersion {
            version: "v1.35.0".into(),
            normalized: "v1.35.0".into(),
            major: "1".into(),
            minor: "35".into(),
        }
    }

    /// Parses like k8s.io's `version.ParseGeneric` (as Helm's
    /// `ParseKubeVersion`): optional `v`, two or three numeric components,
    /// then an optional suffix starting with `-` or `+`.
    pub fn parse(input: &str) -> Result<Self, KubeVersionError> {
        let trimmed = input.trim_start_matches(|c: char| c.is_whitespace());
        let body = trimmed.strip_prefix('v').unwrap_or(trimmed);
        let end = body
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(body.len());
        let (numbers, suffix) = body.split_at(end);
        let bad = || KubeVersionError(format!("could not parse {input:?} as version"));
        if !(suffix.is_empty() || suffix.starts_with('-') || suffix.starts_with('+')) {
            return Err(bad());
        }
        let parts: Vec<&str> = numbers.split('.').collect();
        if parts.len() < 2 || parts.len() > 3 {
            return Err(KubeVersionError(format!(
                "illegal version string {input:?}"
            )));
        }
        let mut nums = Vec::with_capacity(3);
        for p in &parts {
            if p.is_empty() || (p.len() > 1 && p.starts_with('0')) {
                return Err(KubeVersionError(format!(
                    "illegal version string {input:?}"
                )));
            }
            nums.push(p.parse::<u64>().map_err(|_| bad())?);
        }
        let patch = nums.get(2).copied().unwrap_or(0);
        let version = if input.starts_with('v') {
            input.to_string()
        } else {
            format!("v{input}")
        };
        Ok(KubeVersion {
            version,
            normalized: format!("v{}.{}.{}", nums[0], nums[1], patch),
            major: nums[0].to_string(),
            minor: nums[1].to_string(),
        })
    }
}

/// `.Capabilities` for one render.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Capabilities {
    pub kube_version: KubeVersion,
    pub api_versions: Vec<String>,
}

impl Default for Capabilities {
    fn default() -> Self {
        Capabilities {
            kube_version: KubeVersion::default_version(),
            api_versions: DEFAULT_API_VERSIONS.iter().map(|s| s.to_string()).collect(),
        }
    }
}

impl Capabilities {
    /// The template value (`*common.Capabilities`).
    pub fn to_value(&self) -> Value {
        Value::Object(Rc::new(CapabilitiesObject {
            kube: Rc::new(KubeVersionObject(self.kube_version.clone())),
            apis: Rc::new(VersionSetObject(self.api_versions.clone())),
        }))
    }
}

fn helm_version_fields() -> [(&'static str, &'static str); 5] {
    [
        ("Version", HELM_VERSION),
        ("GitCommit", HELM_GIT_COMMIT),
        ("GitTreeState", "clean"),
        ("GoVersion", HELM_GO_VERSION),
        ("KubeClientVersion", HELM_KUBE_CLIENT_VERSION),
    ]
}

#[derive(Debug)]
struct CapabilitiesObject {
    kube: Rc<KubeVersionObject>,
    apis: Rc<VersionSetObject>,
}

impl Object for CapabilitiesObject {
    fn type_name(&self) -> &str {
        "*common.Capabilities"
    }

    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "KubeVersion" => Some(Value::Object(self.kube.clone())),
            "APIVersions" => Some(Value::Object(self.apis.clone())),
            "HelmVersion" => Some(Value::Object(Rc::new(HelmVersionObject))),
            _ => None,
        }
    }

    fn fmt_go(&self, f: &mut dyn fmt::Write) -> fmt::Result {
        // A struct prints its fields; KubeVersion's String() has a pointer
        // receiver, so inside the struct it prints as its fields too.
        let k = &self.kube.0;
        write!(f, "{{{{{} {} {} {}}} ", k.version, k.normalized, k.major, k.minor)?;
        self.apis.fmt_go(f)?;
        f.write_char(' ')?;
        HelmVersionObject.fmt_go(f)?;
        f.write_char('}')
    }

    fn to_data(&self) -> Option<Value> {
        let m = chartkit_gotemplate::Map::new();
        m.insert("KubeVersion", self.kube.to_data().unwrap_or_default());
        m.insert("APIVersions", self.apis.to_data().unwrap_or_default());
        m.insert("HelmVersion", HelmVersionObject.to_data().unwrap_or_default());
        Some(Value::Map(m))
    }
}

#[derive(Debug)]
struct KubeVersionObject(KubeVersion);

impl Object for KubeVersionObject {
    fn type_name(&self) -> &str {
        "common.KubeVersion"
    }

    fn kind_name(&self) -> &str {
        "struct"
    }

    fn field(&self, name: &str) -> Option<Value> {
        let k = &self.0;
        match name {
            "Version" => Some(Value::string(k.version.as_str())),
            "Major" => Some(Value::string(k.major.as_str())),
            "Minor" => Some(Value::string(k.minor.as_str())),
            _ => None,
        }
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, FuncError>> {
        let result = match name {
            "String" => self.0.normalized.as_str(),
            "GitVersion" => self.0.version.as_str(),
            _ => return None,
        };
        Some(no_args(name, args).map(|()| Value::string(result)))
    }

    fn fmt_go(&self, f: &mut dyn fmt::Write) -> fmt::Result {
        // Addressable, so fmt finds the pointer-receiver String().
        f.write_str(&self.0.normalized)
    }

    fn to_data(&self) -> Option<Value> {
        let m = chartkit_gotemplate::Map::new();
        m.insert("Version", Value::string(self.0.version.as_str()));
        m.insert("Major", Value::string(self.0.major.as_str()));
        m.insert("Minor", Value::string(self.0.minor.as_str()));
        Some(Value::Map(m))
    }
}

#[derive(Debug)]
struct VersionSetObject(Vec<String>);

impl Object for VersionSetObject {
    fn type_name(&self) -> &str {
        "common.VersionSet"
    }

    fn kind_name(&self) -> &str {
        "slice"
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, FuncError>> {
        if name != "Has" {
            return None;
        }
        Some(match args {
            [Value::String(s)] => Ok(Value::Bool(self.0.iter().any(|v| v == &**s))),
            [other] => Err(FuncError::arg(format!(
                "wrong type for value; expected string; got {}",
                other.type_name()
            ))),
            _ => Err(FuncError::arg(format!(
                "wrong number of args for Has: want 1 got {}",
                args.len()
            ))),
        })
    }

    fn fmt_go(&self, f: &mut dyn fmt::Write) -> fmt::Result {
        f.write_char('[')?;
        for (i, v) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_char(' ')?;
            }
            f.write_str(v)?;
        }
        f.write_char(']')
    }

    fn to_data(&self) -> Option<Value> {
        Some(Value::List(List::strings(self.0.iter().map(String::as_str))))
    }

    fn len(&self) -> Option<usize> {
        Some(self.0.len())
    }

    fn truthy(&self) -> bool {
        !self.0.is_empty()
    }
}

#[derive(Debug)]
struct HelmVersionObject;

impl Object for HelmVersionObject {
    fn type_name(&self) -> &str {
        "version.BuildInfo"
    }

    fn kind_name(&self) -> &str {
        "struct"
    }

    fn field(&self, name: &str) -> Option<Value> {
        helm_version_fields()
            .into_iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| Value::string(v))
    }

    fn fmt_go(&self, f: &mut dyn fmt::Write) -> fmt::Result {
        f.write_char('{')?;
        for (i, (_, v)) in helm_version_fields().into_iter().enumerate() {
            if i > 0 {
                f.write_char(' ')?;
            }
            f.write_str(v)?;
        }
        f.write_char('}')
    }

    fn to_data(&self) -> Option<Value> {
        // encoding/json uses BuildInfo's json tags.
        let m = chartkit_gotemplate::Map::new();
        for (k, v) in [
            ("version", HELM_VERSION),
            ("git_commit", HELM_GIT_COMMIT),
            ("git_tree_state", "clean"),
            ("go_version", HELM_GO_VERSION),
            ("kube_client_version", HELM_KUBE_CLIENT_VERSION),
        ] {
            m.insert(k, Value::string(v));
        }
        Some(Value::Map(m))
    }
}

/// Go's arity error for a niladic method called with arguments.
fn no_args(name: &str, args: &[Value]) -> Result<(), FuncError> {
    if args.is_empty() {
        Ok(())
    } else {
        Err(FuncError::arg(format!(
            "wrong number of args for {name}: want 0 got {}",
            args.len()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_has_the_reference_helms_57_api_versions() {
        let caps = Capabilities::default();
        assert_eq!(caps.api_versions.len(), 57);
        assert_eq!(caps.kube_version.version, "v1.35.0");
    }

    #[test]
    fn parses_kube_versions_like_helm() {
        let v = KubeVersion::parse("1.29.0").unwrap();
        assert_eq!((v.version.as_str(), v.major.as_str(), v.minor.as_str()), ("v1.29.0", "1", "29"));
        let v = KubeVersion::parse("v1.33.4-gke.1245000").unwrap();
        assert_eq!(v.version, "v1.33.4-gke.1245000");
        assert_eq!(v.normalized, "v1.33.4");
        let v = KubeVersion::parse("1.30").unwrap();
        assert_eq!(v.normalized, "v1.30.0");
        assert!(KubeVersion::parse("banana").is_err());
        assert!(KubeVersion::parse("1").is_err());
    }

    #[test]
    fn capabilities_print_like_go_structs() {
        let mut s = String::new();
        let caps = Capabilities { api_versions: vec!["v1".into()], ..Default::default() };
        let Value::Object(o) = caps.to_value() else { panic!("object expected") };
        o.fmt_go(&mut s).unwrap();
        assert_eq!(
            s,
            "{{v1.35.0 v1.35.0 1 35} [v1] {v4.1.4 05fa37973dc9e42b76e1d2883494c87174b6074f clean go1.25.9 v1.35}}"
        );
    }

    #[test]
    fn version_set_has() {
        let caps = Capabilities::default();
        let Some(Value::Object(apis)) = (match caps.to_value() {
            Value::Object(o) => o.field("APIVersions"),
            _ => None,
        }) else {
            panic!("APIVersions expected")
        };
        let has = |s: &str| apis.call_method("Has", &[Value::string(s)]).unwrap().unwrap();
        assert!(has("apps/v1").truthy());
        assert!(!has("apps/v1/Deployment").truthy());
    }
}
