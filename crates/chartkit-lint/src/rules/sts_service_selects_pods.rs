//! `sts-service-selects-pods`.

use crate::context::{
    Ctx, Findings, Target, get_labels, get_str, map_selector_matches, pod_labels,
};
use crate::objects::FieldPath;

crate::declare_rule! {
    /// ## What it does
    /// Checks that the governing Service's `spec.selector` is a non-empty
    /// subset of the StatefulSet's pod template labels.
    ///
    /// ## Why is this bad?
    /// A Service that selects no pods publishes no endpoints and no pod
    /// DNS records; one with no selector publishes nothing at all.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Service
    /// spec: {clusterIP: None, selector: {app: mongo}}
    /// # pods are labelled app.kubernetes.io/name: mongodb
    /// ```
    ///
    /// ## Fix
    /// Use the same selector labels helper in the Service and the pod template.
    id: "sts-service-selects-pods",
    severity: Error,
    scope: Rendered,
    group: Workload,
    summary: "the governing Service selects the pods",
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
        let selector = get_labels(&svc.json, "spec.selector");
        let labels = pod_labels(sts);
        if selector.is_empty() {
            let path = if svc.json.get("spec").is_some() {
                "spec"
            } else {
                ""
            };
            out.object(
                &RULE,
                si,
                path,
                format!(
                    "Service {name:?} has no selector: it selects none of StatefulSet {:?}'s pods",
                    sts.name()
                ),
            )
            .related(
                Target::Object(i, FieldPath::parse("spec.template.metadata.labels")),
                "pod labels",
            )
            .help("add spec.selector with the pod template's selector labels");
        } else if !map_selector_matches(&selector, &labels) {
            out.object(&RULE, si, "spec.selector", format!("Service {name:?} selector {selector:?} does not match the pod labels of StatefulSet {:?}", sts.name()))
                .related(Target::Object(i, FieldPath::parse("spec.template.metadata.labels")), "pod labels");
        }
    }
}
