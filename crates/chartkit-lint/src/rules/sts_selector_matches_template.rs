//! `sts-selector-matches-template`.

use crate::context::{
    Ctx, Findings, Target, get, label_selector_matches, pod_labels, pod_template_path,
};
use crate::objects::FieldPath;

crate::declare_rule! {
    /// ## What it does
    /// Checks that a workload's `spec.selector` matches its pod template's
    /// labels (StatefulSets, Deployments, DaemonSets, ReplicaSets).
    ///
    /// ## Why is this bad?
    /// The API server rejects the object (`selector does not match
    /// template labels`): the install fails halfway.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   selector: {matchLabels: {app: db}}
    ///   template: {metadata: {labels: {app: database}}}
    /// ```
    ///
    /// ## Fix
    /// Render both from the same selector-labels helper.
    id: "sts-selector-matches-template",
    severity: Error,
    scope: Rendered,
    group: Workload,
    summary: "spec.selector matches the pod template labels",
}

/// Runs the rule.
pub fn check(ctx: &Ctx<'_>, out: &mut Findings) {
    for (i, o) in ctx.workloads() {
        if !matches!(
            o.kind(),
            "StatefulSet" | "Deployment" | "DaemonSet" | "ReplicaSet"
        ) {
            continue;
        }
        let Some(sel) = get(&o.json, "spec.selector") else {
            continue;
        };
        let labels = pod_labels(o);
        if label_selector_matches(sel, &labels) == Some(false) {
            let tp = pod_template_path(o.kind()).unwrap_or("spec.template");
            out.object(&RULE, i, "spec.selector", format!("{} {:?}: spec.selector does not match the pod template labels; the API server will reject it", o.kind(), o.name()))
                .related(Target::Object(i, FieldPath::parse(&format!("{tp}.metadata.labels"))), "pod template labels");
        }
    }
}
