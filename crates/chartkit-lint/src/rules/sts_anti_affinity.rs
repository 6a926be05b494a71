//! `sts-anti-affinity`.

use crate::context::{Ctx, Findings, get, pod_spec_path, replicas};

crate::declare_rule! {
    /// ## What it does
    /// Checks that replicated StatefulSets spread their pods: pod
    /// anti-affinity or topology spread constraints on hostname or zone.
    /// Warns (info) when anti-affinity is hard
    /// (`requiredDuringScheduling...`) since replicas beyond the node count
    /// then never schedule.
    ///
    /// ## Why is this bad?
    /// Without spreading, the scheduler may put every replica on one node;
    /// losing it loses the whole cluster.
    ///
    /// ## Example
    /// A 3-replica StatefulSet with no `affinity` and no
    /// `topologySpreadConstraints`.
    ///
    /// ## Fix
    /// Add a preferred podAntiAffinity on `kubernetes.io/hostname`.
    id: "sts-anti-affinity",
    severity: Warning,
    scope: Rendered,
    group: Workload,
    summary: "replicas are spread over nodes",
}

/// Runs the rule.
pub fn check(ctx: &Ctx<'_>, out: &mut Findings) {
    for (i, sts) in ctx.of_kind("StatefulSet") {
        if replicas(sts) < 2 {
            continue;
        }
        let Some(spec) = pod_spec_path(sts) else {
            continue;
        };
        let anti = get(&sts.json, &format!("{spec}.affinity.podAntiAffinity"));
        let spread = get(&sts.json, &format!("{spec}.topologySpreadConstraints"))
            .and_then(|v| v.as_array())
            .is_some_and(|a| !a.is_empty());
        if anti.is_none() && !spread {
            out.object(&RULE, i, &spec, format!("StatefulSet {:?} has {} replicas but no pod anti-affinity or topology spread: all may land on one node", sts.name(), replicas(sts)))
                .help("add a preferred podAntiAffinity on kubernetes.io/hostname");
        } else if let Some(a) = anti
            && a.get("requiredDuringSchedulingIgnoredDuringExecution")
                .is_some()
        {
            out.object(&RULE, i, &format!("{spec}.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution"), format!("hard anti-affinity: with more replicas ({}) than schedulable nodes, pods stay Pending", replicas(sts)))
                .severity(chartkit_diagnostics::Severity::Info);
        }
    }
}
