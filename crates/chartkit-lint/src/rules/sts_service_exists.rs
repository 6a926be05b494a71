//! `sts-service-exists`.

use crate::context::{Ctx, Findings, get_str};

crate::declare_rule! {
    /// ## What it does
    /// Checks that `spec.serviceName` of every StatefulSet names a Service
    /// rendered in the same namespace. Opt out for a non-clustered
    /// StatefulSet with the annotation `chartkit.dev/ignore: sts-service-exists`.
    ///
    /// ## Why is this bad?
    /// The governing Service gives each pod its stable DNS name
    /// (`db-0.db-headless.ns.svc`). Without it peers cannot find each
    /// other; Kubernetes accepts the StatefulSet anyway.
    ///
    /// ## Example
    /// ```yaml
    /// kind: StatefulSet
    /// spec:
    ///   serviceName: mongo-headless   # but the Service is called mongo-hl
    /// ```
    ///
    /// ## Fix
    /// Render the headless Service with exactly the name in `serviceName`.
    id: "sts-service-exists",
    severity: Error,
    scope: Rendered,
    group: Workload,
    summary: "serviceName names a Service in the render",
}

/// Runs the rule.
pub fn check(ctx: &Ctx<'_>, out: &mut Findings) {
    for (i, sts) in ctx.of_kind("StatefulSet") {
        let ns = sts.effective_namespace(ctx.namespace);
        match get_str(&sts.json, "spec.serviceName") {
            None | Some("") => {
                out.object(&RULE, i, "spec", format!("StatefulSet {:?} has no spec.serviceName: its pods get no stable network identity", sts.name()))
                    .help("set spec.serviceName to a headless Service that selects the pods");
            }
            Some(name) if ctx.service(ns, name).is_none() => {
                out.object(&RULE, i, "spec.serviceName", format!("StatefulSet {:?} names Service {name:?}, which is not in the render (namespace {ns:?})", sts.name()))
                    .help("render a headless Service with this name, or fix serviceName");
            }
            Some(_) => {}
        }
    }
}
