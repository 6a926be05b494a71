//! `workload-selector-overlap`.

use crate::context::{Ctx, Findings, Target, get, label_selector_matches, pod_labels};
use crate::objects::FieldPath;

crate::declare_rule! {
    /// ## What it does
    /// Reports two workloads of the release whose selectors select each
    /// other's pods.
    ///
    /// ## Why is this bad?
    /// Controllers fight over the pods (ReplicaSets adopt them, Services
    /// and PDBs count them twice); a StatefulSet and a Deployment with the
    /// same selector corrupt each other's rollouts.
    ///
    /// ## Example
    /// A metrics Deployment and the database StatefulSet both selecting
    /// `app.kubernetes.io/name: db`.
    ///
    /// ## Fix
    /// Add `app.kubernetes.io/component` to each selector.
    id: "workload-selector-overlap",
    severity: Error,
    scope: Rendered,
    group: Workload,
    summary: "workloads select disjoint pods",
}

/// Runs the rule.
pub fn check(ctx: &Ctx<'_>, out: &mut Findings) {
    let ws: Vec<_> = ctx
        .workloads()
        .filter(|(_, w)| w.kind() != "Pod" && w.kind() != "Job" && w.kind() != "CronJob")
        .collect();
    for (a, (ia, wa)) in ws.iter().enumerate() {
        for (ib, wb) in ws.iter().skip(a + 1) {
            if wa.effective_namespace(ctx.namespace) != wb.effective_namespace(ctx.namespace) {
                continue;
            }
            let (Some(sa), Some(sb)) = (
                get(&wa.json, "spec.selector"),
                get(&wb.json, "spec.selector"),
            ) else {
                continue;
            };
            if label_selector_matches(sa, &pod_labels(wb)) == Some(true)
                || label_selector_matches(sb, &pod_labels(wa)) == Some(true)
            {
                out.object(
                    &RULE,
                    *ib,
                    "spec.selector",
                    format!(
                        "{} {:?} and {} {:?} select the same pods",
                        wb.kind(),
                        wb.name(),
                        wa.kind(),
                        wa.name()
                    ),
                )
                .related(
                    Target::Object(*ia, FieldPath::parse("spec.selector")),
                    "overlapping selector",
                );
            }
        }
    }
}
