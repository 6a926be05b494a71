//! `pdb-not-blocking`.

use serde_json::Value as Json;

use crate::context::{Ctx, Findings, get, label_selector_matches, pod_labels, replicas};

crate::declare_rule! {
    /// ## What it does
    /// Reports PodDisruptionBudgets that allow no disruption at all:
    /// `maxUnavailable: 0`, `minAvailable: 100%`, or `minAvailable` at
    /// least the replicas of the workload it selects.
    ///
    /// ## Why is this bad?
    /// Every node drain blocks forever: cluster upgrades stall.
    ///
    /// ## Example
    /// ```yaml
    /// spec: {maxUnavailable: 0}
    /// ```
    ///
    /// ## Fix
    /// `maxUnavailable: 1`.
    id: "pdb-not-blocking",
    severity: Error,
    scope: Rendered,
    group: Workload,
    summary: "PDBs allow at least one disruption",
}

fn int(v: &Json) -> Option<i64> {
    v.as_i64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
}

/// Runs the rule.
pub fn check(ctx: &Ctx<'_>, out: &mut Findings) {
    for (i, pdb) in ctx.of_kind("PodDisruptionBudget") {
        if let Some(mu) = get(&pdb.json, "spec.maxUnavailable") {
            if int(mu) == Some(0) || mu.as_str() == Some("0%") {
                out.object(
                    &RULE,
                    i,
                    "spec.maxUnavailable",
                    format!(
                        "PodDisruptionBudget {:?} has maxUnavailable 0: every node drain blocks",
                        pdb.name()
                    ),
                );
            }
            continue;
        }
        let Some(ma) = get(&pdb.json, "spec.minAvailable") else {
            continue;
        };
        if ma.as_str() == Some("100%") {
            out.object(
                &RULE,
                i,
                "spec.minAvailable",
                format!(
                    "PodDisruptionBudget {:?} has minAvailable 100%: every node drain blocks",
                    pdb.name()
                ),
            );
            continue;
        }
        let Some(n) = int(ma) else { continue };
        let Some(sel) = get(&pdb.json, "spec.selector") else {
            continue;
        };
        for (_, w) in ctx.workloads() {
            if label_selector_matches(sel, &pod_labels(w)) == Some(true)
                && matches!(w.kind(), "StatefulSet" | "Deployment" | "ReplicaSet")
                && n >= replicas(w)
            {
                out.object(&RULE, i, "spec.minAvailable", format!("PodDisruptionBudget {:?} requires {n} available pods but {} {:?} has {} replicas: every node drain blocks", pdb.name(), w.kind(), w.name(), replicas(w)));
                break;
            }
        }
    }
}
