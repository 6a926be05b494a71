//! `sts-service-headless`.

use crate::context::{Ctx, Findings, Target, get_str};
use crate::objects::FieldPath;

crate::declare_rule! {
    /// ## What it does
    /// Checks that the Service named by a StatefulSet's `serviceName` is
    /// headless (`clusterIP: None`).
    ///
    /// ## Why is this bad?
    /// Only a headless governing Service publishes per-pod DNS records;
    /// with a cluster IP, `db-0.db` does not resolve and cluster formation
    /// (seed lists, replica-set members) fails.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Service
    /// metadata: {name: db-headless}
    /// spec: {ports: [{port: 27017}]}   # no clusterIP: None
    /// ```
    ///
    /// ## Fix
    /// Add `clusterIP: None` to the governing Service (keep a separate
    /// ClusterIP Service for clients).
    id: "sts-service-headless",
    severity: Error,
    scope: Rendered,
    group: Workload,
    summary: "the governing Service is headless",
}

/// Runs the rule.
pub fn check(ctx: &Ctx<'_>, out: &mut Findings) {
    for (i, sts) in ctx.of_kind("StatefulSet") {
        let ns = sts.effective_namespace(ctx.namespace);
        let Some(name) = get_str(&sts.json, "spec.serviceName").filter(|n| !n.is_empty()) else {
            continue;
        };
        let Some((si, svc)) = ctx.service(ns, name) else {
            continue;
        };
        if get_str(&svc.json, "spec.clusterIP") != Some("None") {
            let path = if svc.json.get("spec").is_some() {
                "spec"
            } else {
                ""
            };
            out.object(&RULE, si, path, format!("Service {name:?} governs StatefulSet {:?} but is not headless (spec.clusterIP is not None)", sts.name()))
                .related(Target::Object(i, FieldPath::parse("spec.serviceName")), "governing Service named here")
                .help("set spec.clusterIP: None so each pod gets a DNS record");
        }
    }
}
