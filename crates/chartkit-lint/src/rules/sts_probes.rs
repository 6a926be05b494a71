//! `sts-probes`.

use crate::context::{Ctx, Findings, containers, is_datastore};

crate::declare_rule! {
    /// ## What it does
    /// For datastore StatefulSets: every (non-init) container has a
    /// readiness probe; the liveness probe is not identical to the
    /// readiness probe; the liveness probe does not check cluster health
    /// (`_cluster/health`, `rs.status`, `operator raft`, `/v1/status/leader`).
    ///
    /// ## Why is this bad?
    /// Without readiness clients hit members that are still recovering.
    /// A liveness probe tied to cluster health restarts every member when
    /// the cluster degrades, turning a yellow cluster into an outage.
    ///
    /// ## Example
    /// `livenessProbe: {exec: {command: [curl, localhost:9200/_cluster/health]}}`
    ///
    /// ## Fix
    /// Readiness may check membership; liveness should only check that the
    /// process answers locally.
    id: "sts-probes",
    severity: Warning,
    scope: Rendered,
    group: Workload,
    summary: "readiness present, liveness local",
}

const CLUSTER_CHECKS: &[&str] = &[
    "_cluster/health",
    "rs.status",
    "operator raft",
    "/v1/status/leader",
    "endpoint health",
    "cluster-health",
];

/// Runs the rule.
pub fn check(ctx: &Ctx<'_>, out: &mut Findings) {
    for (i, sts) in ctx.of_kind("StatefulSet") {
        if !is_datastore(sts) {
            continue;
        }
        for c in containers(sts).into_iter().filter(|c| !c.init) {
            let ready = c.json.get("readinessProbe");
            let live = c.json.get("livenessProbe");
            if ready.is_none() {
                out.object(
                    &RULE,
                    i,
                    &c.path,
                    format!(
                        "container {:?} of datastore {:?} has no readinessProbe",
                        c.name(),
                        sts.name()
                    ),
                );
            }
            if let (Some(r), Some(l)) = (ready, live)
                && r == l
            {
                out.object(&RULE, i, &format!("{}.livenessProbe", c.path), format!("container {:?}: livenessProbe is identical to readinessProbe; a not-ready member gets restarted", c.name()));
            }
            if let Some(l) = live {
                let text = l.to_string();
                if let Some(pat) = CLUSTER_CHECKS.iter().find(|p| text.contains(**p)) {
                    out.object(&RULE, i, &format!("{}.livenessProbe", c.path), format!("container {:?}: livenessProbe checks cluster health ({pat}); a degraded cluster restarts every member", c.name()));
                }
            }
        }
    }
}
