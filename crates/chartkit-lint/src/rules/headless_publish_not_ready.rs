//! `headless-publish-not-ready`.

use serde_json::Value as Json;

use crate::context::{Ctx, Findings, Target, engine_of, get, get_str, replicas};
use crate::objects::FieldPath;

crate::declare_rule! {
    /// ## What it does
    /// Checks that the headless governing Service of a clustered datastore
    /// (a known engine with more than one replica) sets
    /// `publishNotReadyAddresses: true`.
    ///
    /// ## Why is this bad?
    /// Peers must resolve each other before they are ready; readiness
    /// usually waits for cluster membership. Without it, bootstrap
    /// deadlocks: nobody is ready because nobody can be found.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Service
    /// spec: {clusterIP: None, selector: {app: es}}
    /// ```
    ///
    /// ## Fix
    /// Add `publishNotReadyAddresses: true` to the headless Service.
    id: "headless-publish-not-ready",
    severity: Warning,
    scope: Rendered,
    group: Workload,
    summary: "peer discovery works before pods are ready",
}

/// Runs the rule.
pub fn check(ctx: &Ctx<'_>, out: &mut Findings) {
    for (i, sts) in ctx.of_kind("StatefulSet") {
        if engine_of(sts).is_none() || replicas(sts) < 2 {
            continue;
        }
        let ns = sts.effective_namespace(ctx.namespace);
        let Some(name) = get_str(&sts.json, "spec.serviceName") else {
            continue;
        };
        let Some((si, svc)) = ctx.service(ns, name) else {
            continue;
        };
        if get_str(&svc.json, "spec.clusterIP") != Some("None") {
            continue;
        }
        if get(&svc.json, "spec.publishNotReadyAddresses").and_then(Json::as_bool) != Some(true) {
            out.object(&RULE, si, "spec", format!("headless Service {name:?} of clustered StatefulSet {:?} does not publish not-ready addresses: peers cannot find each other during bootstrap", sts.name()))
                .related(Target::Object(i, FieldPath::parse("spec.serviceName")), "governing Service")
                .help("set spec.publishNotReadyAddresses: true");
        }
    }
}
