//! `sts-has-pdb`.

use crate::context::{Ctx, Findings, get, label_selector_matches, pod_labels, replicas};

crate::declare_rule! {
    /// ## What it does
    /// Checks that a PodDisruptionBudget of the render selects the pods of
    /// every StatefulSet with two or more replicas.
    ///
    /// ## Why is this bad?
    /// Without a PDB a node drain may evict several members at once and
    /// take the datastore below quorum.
    ///
    /// ## Example
    /// A 3-replica StatefulSet and no `kind: PodDisruptionBudget`.
    ///
    /// ## Fix
    /// Render a PDB with the workload's selector and `maxUnavailable: 1`.
    id: "sts-has-pdb",
    severity: Warning,
    scope: Rendered,
    group: Workload,
    summary: "replicated StatefulSets have a PDB",
}

/// Runs the rule.
pub fn check(ctx: &Ctx<'_>, out: &mut Findings) {
    for (i, sts) in ctx.of_kind("StatefulSet") {
        if replicas(sts) < 2 {
            continue;
        }
        let labels = pod_labels(sts);
        let ns = sts.effective_namespace(ctx.namespace);
        let covered = ctx.of_kind("PodDisruptionBudget").any(|(_, p)| {
            p.effective_namespace(ctx.namespace) == ns
                && get(&p.json, "spec.selector").and_then(|s| label_selector_matches(s, &labels))
                    == Some(true)
        });
        if !covered {
            out.object(
                &RULE,
                i,
                "spec.replicas",
                format!(
                    "StatefulSet {:?} has {} replicas and no PodDisruptionBudget selects its pods",
                    sts.name(),
                    replicas(sts)
                ),
            )
            .help("add a PodDisruptionBudget with maxUnavailable: 1");
        }
    }
}
