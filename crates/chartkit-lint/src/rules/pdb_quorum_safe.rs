//! `pdb-quorum-safe`.

use serde_json::Value as Json;

use crate::context::{Ctx, Findings, engine_of, get, label_selector_matches, pod_labels, replicas};

crate::declare_rule! {
    /// ## What it does
    /// For PDBs selecting a majority-quorum datastore (Consul servers,
    /// etcd, ZooKeeper, Elasticsearch masters, MongoDB voters) with n
    /// replicas: the budget must keep a quorum, i.e. allow at most
    /// ⌊(n−1)/2⌋ unavailable pods.
    ///
    /// ## Why is this bad?
    /// A drain that evicts more than that loses the majority: writes stop
    /// (Consul, etcd) or the cluster turns red.
    ///
    /// ## Example
    /// 3 Consul servers with `maxUnavailable: 2`.
    ///
    /// ## Fix
    /// `maxUnavailable: 1` (or `minAvailable: ⌊n/2⌋+1`).
    id: "pdb-quorum-safe",
    severity: Error,
    scope: Rendered,
    group: Workload,
    summary: "PDBs keep a quorum",
}

fn allowed_unavailable(v: &Json, n: i64, max: bool) -> Option<i64> {
    let val = if let Some(s) = v.as_str() {
        if let Some(p) = s.strip_suffix('%') {
            let pct: f64 = p.parse().ok()?;
            // maxUnavailable rounds up, minAvailable rounds up too.
            (pct * n as f64 / 100.0).ceil() as i64
        } else {
            s.parse().ok()?
        }
    } else {
        v.as_i64()?
    };
    Some(if max { val } else { n - val })
}

/// Runs the rule.
pub fn check(ctx: &Ctx<'_>, out: &mut Findings) {
    for (i, pdb) in ctx.of_kind("PodDisruptionBudget") {
        let Some(sel) = get(&pdb.json, "spec.selector") else {
            continue;
        };
        for (_, w) in ctx.workloads() {
            if w.kind() != "StatefulSet"
                || label_selector_matches(sel, &pod_labels(w)) != Some(true)
            {
                continue;
            }
            let Some(engine) = engine_of(w).filter(|e| e.is_quorum()) else {
                continue;
            };
            let n = replicas(w);
            if n < 2 {
                continue;
            }
            let safe = (n - 1) / 2;
            let (path, allowed) = if let Some(mu) = get(&pdb.json, "spec.maxUnavailable") {
                ("spec.maxUnavailable", allowed_unavailable(mu, n, true))
            } else if let Some(ma) = get(&pdb.json, "spec.minAvailable") {
                ("spec.minAvailable", allowed_unavailable(ma, n, false))
            } else {
                continue;
            };
            if let Some(a) = allowed
                && a > safe
            {
                out.object(&RULE, i, path, format!("PodDisruptionBudget {:?} lets {a} of {n} {} pods go down; a quorum survives only {safe}", pdb.name(), engine.name()));
            }
        }
    }
}
