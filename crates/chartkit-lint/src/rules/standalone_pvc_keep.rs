//! `standalone-pvc-keep`.

use crate::context::{Ctx, Findings};

crate::declare_rule! {
    /// ## What it does
    /// Reports PersistentVolumeClaims rendered by the chart (not claim
    /// templates) without the annotation `helm.sh/resource-policy: keep`.
    ///
    /// ## Why is this bad?
    /// Helm deletes every object it created on uninstall, including the
    /// claim and, with the usual Delete reclaim policy, the data.
    ///
    /// ## Example
    /// ```yaml
    /// kind: PersistentVolumeClaim
    /// metadata: {name: data}
    /// ```
    ///
    /// ## Fix
    /// Add `metadata.annotations: {helm.sh/resource-policy: keep}`.
    id: "standalone-pvc-keep",
    severity: Warning,
    scope: Rendered,
    group: Workload,
    summary: "standalone PVCs are kept on uninstall",
}

/// Runs the rule.
pub fn check(ctx: &Ctx<'_>, out: &mut Findings) {
    for (i, pvc) in ctx.of_kind("PersistentVolumeClaim") {
        if pvc.annotation("helm.sh/resource-policy") != Some("keep") {
            let path = if pvc.json.pointer("/metadata/annotations").is_some() {
                "metadata.annotations"
            } else {
                "metadata"
            };
            out.object(&RULE, i, path, format!("PersistentVolumeClaim {:?} is deleted by helm uninstall (no helm.sh/resource-policy: keep)", pvc.name()));
        }
    }
}
