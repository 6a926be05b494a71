//! Finding the engine's StatefulSets and building their topology.

use chartkit_plugin_host::{Port, Topology};
use chartkit_render::output::Release;
use chartkit_yaml::Value;

use crate::{CONTAINER_ANNOTATION, ENGINE_ANNOTATION, EngineError, PassOptions, SETTINGS_ANNOTATION};

/// A marked StatefulSet and the topology built from it.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    /// Index into `release.manifests`.
    pub manifest: usize,
    /// Index of the engine container in `spec.template.spec.containers`.
    pub container: usize,
    pub topology: Topology,
    /// The engine pod's `securityContext`, for the Jobs of its steps.
    pub pod_security: Option<Value>,
}

/// Why a marked StatefulSet gives no topology.
#[derive(Debug)]
pub struct TargetError {
    pub statefulset: String,
    pub message: String,
}

impl TargetError {
    pub(crate) fn into_engine_error(self, plugin: &str) -> EngineError {
        EngineError::Topology {
            plugin: plugin.to_string(),
            statefulset: self.statefulset,
            message: self.message,
        }
    }
}

pub(crate) fn get<'v>(v: &'v Value, path: &[&str]) -> Option<&'v Value> {
    let mut cur = v;
    for key in path {
        match cur {
            Value::Map(m) => cur = m.get(*key)?,
            _ => return None,
        }
    }
    Some(cur)
}

fn get_str<'v>(v: &'v Value, path: &[&str]) -> Option<&'v str> {
    match get(v, path)? {
        Value::String(s) => Some(s),
        _ => None,
    }
}

fn number(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i),
        Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(*f as i64),
        _ => None,
    }
}

/// The marked StatefulSets of a release, in manifest order.
pub fn find(release: &Release, opts: &PassOptions) -> Result<Vec<Target>, TargetError> {
    let mut out = Vec::new();
    for (i, m) in release.manifests.iter().enumerate() {
        let marked = m.head.kind == "StatefulSet"
            && m.head
                .metadata
                .as_ref()
                .and_then(|md| md.annotations.as_ref())
                .is_some_and(|a| a.contains_key(ENGINE_ANNOTATION));
        if !marked {
            continue;
        }
        let name = m.head.metadata.as_ref().map(|md| md.name.clone()).unwrap_or_default();
        let fail = |message: String| TargetError { statefulset: name.clone(), message };
        let sts = chartkit_yaml::from_yaml_str(&m.content).map_err(|e| fail(e.to_string()))?;
        out.push(target(release, opts, i, &name, &sts).map_err(fail)?);
    }
    Ok(out)
}

fn target(
    release: &Release,
    opts: &PassOptions,
    index: usize,
    name: &str,
    sts: &Value,
) -> Result<Target, String> {
    let annotation = |key: &str| get_str(sts, &["metadata", "annotations", key]);
    let engine = annotation(ENGINE_ANNOTATION).unwrap_or_default().to_string();
    let namespace = get_str(sts, &["metadata", "namespace"]).unwrap_or(&opts.namespace).to_string();
    let service = get_str(sts, &["spec", "serviceName"])
        .filter(|s| !s.is_empty())
        .ok_or("spec.serviceName is empty: the pods have no stable DNS names to form a cluster")?
        .to_string();
    check_headless(release, &service, &namespace, &opts.namespace)?;
    let replicas = match get(sts, &["spec", "replicas"]) {
        None | Some(Value::Null) => 1,
        Some(v) => number(v)
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| format!("spec.replicas is not a replica count: {v:?}"))?,
    };
    let Some(Value::Seq(containers)) = get(sts, &["spec", "template", "spec", "containers"]) else {
        return Err("spec.template.spec.containers is missing".into());
    };
    let container_name = |c: &Value| get_str(c, &["name"]).unwrap_or_default().to_string();
    let wanted = annotation(CONTAINER_ANNOTATION);
    let container = match wanted {
        Some(w) => containers
            .iter()
            .position(|c| container_name(c) == w)
            .ok_or_else(|| format!("no container named {w:?} ({CONTAINER_ANNOTATION})"))?,
        None => containers.iter().position(|c| container_name(c) == engine).unwrap_or(0),
    };
    let Some(c) = containers.get(container) else {
        return Err("spec.template.spec.containers is empty".into());
    };
    let ports = match get(c, &["ports"]) {
        Some(Value::Seq(ports)) => ports
            .iter()
            .filter_map(|p| {
                let name = get_str(p, &["name"])?.to_string();
                let port = u16::try_from(number(get(p, &["containerPort"])?)?).ok()?;
                Some(Port { name, port })
            })
            .collect(),
        _ => Vec::new(),
    };
    let engine_version = get_str(c, &["image"])
        .and_then(image_version)
        .or_else(|| opts.app_version.clone().filter(|v| !v.is_empty()));
    let settings = match annotation(SETTINGS_ANNOTATION) {
        None => serde_json::Value::Object(serde_json::Map::new()),
        Some(text) => match serde_json::from_str::<serde_json::Value>(text) {
            Ok(v @ serde_json::Value::Object(_)) => v,
            Ok(_) => return Err(format!("{SETTINGS_ANNOTATION} must be a JSON object")),
            Err(e) => return Err(format!("{SETTINGS_ANNOTATION} is not JSON: {e}")),
        },
    };
    Ok(Target {
        manifest: index,
        container,
        pod_security: get(sts, &["spec", "template", "spec", "securityContext"]).cloned(),
        topology: Topology {
            release: opts.release.clone(),
            namespace,
            cluster_domain: opts.cluster_domain.clone(),
            stateful_set: name.to_string(),
            service,
            replicas,
            ports,
            engine_version,
            settings,
        },
    })
}

/// The governing Service must be rendered in the same release and be headless.
fn check_headless(
    release: &Release,
    service: &str,
    namespace: &str,
    default_namespace: &str,
) -> Result<(), String> {
    let mut found = false;
    for m in &release.manifests {
        let same_name = m.head.kind == "Service"
            && m.head.metadata.as_ref().is_some_and(|md| md.name == service);
        if !same_name {
            continue;
        }
        let Ok(svc) = chartkit_yaml::from_yaml_str(&m.content) else { continue };
        let ns = get_str(&svc, &["metadata", "namespace"]).unwrap_or(default_namespace);
        if ns != namespace {
            continue;
        }
        found = true;
        if get_str(&svc, &["spec", "clusterIP"]) == Some("None") {
            return Ok(());
        }
    }
    if found {
        Err(format!("Service {service:?} (spec.serviceName) is not headless (clusterIP: None)"))
    } else {
        Err(format!("spec.serviceName names Service {service:?}, which this release does not render"))
    }
}

/// The version in an image reference's tag: `repo/es:8.15.3` → `8.15.3`,
/// `mongo:8.0.4@sha256:…` → `8.0.4`, `v1.2` → `1.2`. `None` for tags that do
/// not start with a number (`latest`) and for untagged images.
pub fn image_version(image: &str) -> Option<String> {
    let without_digest = image.split('@').next().unwrap_or(image);
    let last = without_digest.rsplit('/').next().unwrap_or(without_digest);
    let tag = last.split_once(':')?.1;
    let tag = tag.strip_prefix('v').unwrap_or(tag);
    tag.chars().next().filter(char::is_ascii_digit).map(|_| tag.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_from_image_tags() {
        assert_eq!(image_version("docker.elastic.co/elasticsearch/elasticsearch:8.15.3").as_deref(), Some("8.15.3"));
        assert_eq!(image_version("localhost:5000/mongo:v8.0.4@sha256:abc").as_deref(), Some("8.0.4"));
        assert_eq!(image_version("localhost:5000/mongo"), None);
        assert_eq!(image_version("consul:latest"), None);
    }
}
