//! `sts-rollout-trap`.

use crate::context::{Ctx, Findings, get_i64, get_str};

crate::declare_rule! {
    /// ## What it does
    /// Reports StatefulSets with `updateStrategy.type: OnDelete` or a
    /// `rollingUpdate.partition` greater than 0.
    ///
    /// ## Why is this bad?
    /// `helm upgrade` reports success while no pod (OnDelete) or only some
    /// pods (partition) run the new version: a leftover from a manual
    /// canary that silently freezes upgrades.
    ///
    /// ## Example
    /// ```yaml
    /// updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 2}}
    /// ```
    ///
    /// ## Fix
    /// Use RollingUpdate without a partition (or make the partition a
    /// value that defaults to 0).
    id: "sts-rollout-trap",
    severity: Warning,
    scope: Rendered,
    group: Workload,
    summary: "upgrades actually roll out",
}

/// Runs the rule.
pub fn check(ctx: &Ctx<'_>, out: &mut Findings) {
    for (i, sts) in ctx.of_kind("StatefulSet") {
        if get_str(&sts.json, "spec.updateStrategy.type") == Some("OnDelete") {
            out.object(&RULE, i, "spec.updateStrategy.type", format!("StatefulSet {:?} uses OnDelete: upgrades change nothing until pods are deleted by hand", sts.name()));
        }
        if let Some(p) =
            get_i64(&sts.json, "spec.updateStrategy.rollingUpdate.partition").filter(|p| *p > 0)
        {
            out.object(&RULE, i, "spec.updateStrategy.rollingUpdate.partition", format!("StatefulSet {:?} has rollingUpdate.partition {p}: pods below ordinal {p} are never updated", sts.name()));
        }
    }
}
