//! `probe-port-exists`.

use serde_json::Value as Json;

use crate::context::{Ctx, Findings, containers, get_str};

crate::declare_rule! {
    /// ## What it does
    /// Checks that HTTP, TCP and gRPC probes target a port the container
    /// declares (by name), or a number it declares. Init containers are
    /// exempt.
    ///
    /// ## Why is this bad?
    /// A probe on a missing named port fails validation; on a wrong number
    /// it fails forever and the pod is restarted or never ready.
    ///
    /// ## Example
    /// ```yaml
    /// ports: [{name: http, containerPort: 9200}]
    /// readinessProbe: {httpGet: {path: /, port: 9201}}
    /// ```
    ///
    /// ## Fix
    /// Point the probe at the declared port, preferably by name.
    id: "probe-port-exists",
    severity: Error,
    scope: Rendered,
    group: Workload,
    summary: "probes target declared ports",
}

/// Runs the rule.
pub fn check(ctx: &Ctx<'_>, out: &mut Findings) {
    for (i, o) in ctx.workloads() {
        for c in containers(o).into_iter().filter(|c| !c.init) {
            let ports: Vec<&Json> = c
                .json
                .get("ports")
                .and_then(Json::as_array)
                .into_iter()
                .flatten()
                .collect();
            let names: Vec<&str> = ports.iter().filter_map(|p| get_str(p, "name")).collect();
            let numbers: Vec<i64> = ports
                .iter()
                .filter_map(|p| p.get("containerPort").and_then(Json::as_i64))
                .collect();
            for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
                for kind in ["httpGet", "tcpSocket", "grpc"] {
                    let Some(port) = c
                        .json
                        .get(probe)
                        .and_then(|p| p.get(kind))
                        .and_then(|h| h.get("port"))
                    else {
                        continue;
                    };
                    let path = format!("{}.{probe}.{kind}.port", c.path);
                    match port {
                        Json::String(name) if name.parse::<i64>().is_err() => {
                            if !names.contains(&name.as_str()) {
                                out.object(&RULE, i, &path, format!("{probe} of container {:?} uses port {name:?}, which the container does not declare", c.name()));
                            }
                        }
                        other => {
                            let n = other
                                .as_i64()
                                .or_else(|| other.as_str().and_then(|s| s.parse().ok()));
                            if let Some(n) = n
                                && !numbers.is_empty()
                                && !numbers.contains(&n)
                            {
                                out.object(&RULE, i, &path, format!("{probe} of container {:?} targets port {n}, which is not among its container ports {numbers:?}", c.name()))
                                    .severity(chartkit_diagnostics::Severity::Warning);
                            }
                        }
                    }
                }
            }
        }
    }
}
