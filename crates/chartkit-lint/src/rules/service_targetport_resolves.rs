//! `service-targetport-resolves`.

use serde_json::Value as Json;

use crate::context::{
    Ctx, Engine, Findings, containers, engine_of, get, get_labels, get_str, map_selector_matches,
    pod_labels,
};

crate::declare_rule! {
    /// ## What it does
    /// For every Service with a selector: named `targetPort`s must be
    /// declared by a container of the selected pods. For the governing
    /// headless Service of a known engine, the peer ports (Elasticsearch
    /// 9300, Consul 8301/8302 serf, MongoDB 27017) must be on the Service.
    ///
    /// ## Why is this bad?
    /// A name that no container declares gives a Service without endpoints.
    /// A peer port missing from the headless Service breaks SRV-based
    /// discovery and NetworkPolicies written against it.
    ///
    /// ## Example
    /// ```yaml
    /// ports: [{name: http, port: 80, targetPort: http}]   # container port is "web"
    /// ```
    ///
    /// ## Fix
    /// Use the container port's name, or a number.
    id: "service-targetport-resolves",
    severity: Error,
    scope: Rendered,
    group: Workload,
    summary: "Service target ports exist on the pods",
}

fn peer_ports(e: Engine) -> &'static [i64] {
    match e {
        Engine::Elasticsearch => &[9300],
        Engine::Consul => &[8301],
        Engine::Mongo => &[27017],
        Engine::Etcd => &[2380],
        Engine::Zookeeper => &[2888, 3888],
        Engine::OtherDatastore => &[],
    }
}

/// Runs the rule.
pub fn check(ctx: &Ctx<'_>, out: &mut Findings) {
    for (si, svc) in ctx.of_kind("Service") {
        let selector = get_labels(&svc.json, "spec.selector");
        if selector.is_empty() {
            continue;
        }
        let ns = svc.effective_namespace(ctx.namespace);
        let pods: Vec<_> = ctx
            .workloads()
            .filter(|(_, w)| {
                w.effective_namespace(ctx.namespace) == ns
                    && map_selector_matches(&selector, &pod_labels(w))
            })
            .collect();
        if pods.is_empty() {
            continue;
        }
        let names: Vec<&str> = pods
            .iter()
            .flat_map(|(_, w)| containers(w))
            .filter(|c| !c.init)
            .flat_map(|c| {
                c.json
                    .get("ports")
                    .and_then(Json::as_array)
                    .into_iter()
                    .flatten()
            })
            .filter_map(|p| get_str(p, "name"))
            .collect();
        let ports = get(&svc.json, "spec.ports")
            .and_then(Json::as_array)
            .cloned()
            .unwrap_or_default();
        for (p, port) in ports.iter().enumerate() {
            if let Some(tp) = port.get("targetPort").and_then(Json::as_str)
                && tp.parse::<i64>().is_err()
                && !names.contains(&tp)
            {
                out.object(&RULE, si, &format!("spec.ports[{p}].targetPort"), format!("Service {:?} targets port {tp:?}, which no container of the selected pods declares", svc.name()));
            }
        }
        if get_str(&svc.json, "spec.clusterIP") == Some("None") {
            for (wi, w) in &pods {
                if w.kind() != "StatefulSet"
                    || get_str(&w.json, "spec.serviceName") != Some(svc.name())
                {
                    continue;
                }
                let Some(engine) = engine_of(w) else { continue };
                let have: Vec<i64> = ports
                    .iter()
                    .filter_map(|p| p.get("port").and_then(Json::as_i64))
                    .collect();
                for peer in peer_ports(engine) {
                    if !have.contains(peer) {
                        out.object(&RULE, si, "spec.ports", format!("headless Service {:?} of {} StatefulSet {:?} does not expose peer port {peer}", svc.name(), engine.name(), w.name()))
                            .severity(chartkit_diagnostics::Severity::Warning)
                            .related(crate::context::Target::Object(*wi, crate::objects::FieldPath::parse("spec.serviceName")), "governing Service");
                    }
                }
            }
        }
    }
}
