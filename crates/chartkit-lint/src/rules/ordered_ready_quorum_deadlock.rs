//! `ordered-ready-quorum-deadlock`.

use crate::context::{Ctx, Findings, engine_of, get_str, replicas};

crate::declare_rule! {
    /// ## What it does
    /// Reports quorum datastores (Elasticsearch, Consul, MongoDB, etcd,
    /// ZooKeeper) run with `podManagementPolicy: OrderedReady` (the
    /// default), more than one replica and a readiness probe.
    ///
    /// ## Why is this bad?
    /// After a full outage pod 0 waits to become ready, which needs a
    /// quorum, which needs pods 1..n, which OrderedReady does not start
    /// before pod 0 is ready: the cluster never comes back.
    ///
    /// ## Example
    /// ```yaml
    /// kind: StatefulSet
    /// spec: {replicas: 3}   # podManagementPolicy defaults to OrderedReady
    /// ```
    ///
    /// ## Fix
    /// `podManagementPolicy: Parallel`.
    id: "ordered-ready-quorum-deadlock",
    severity: Warning,
    scope: Rendered,
    group: Workload,
    summary: "quorum datastores start pods in parallel",
}

/// Runs the rule.
pub fn check(ctx: &Ctx<'_>, out: &mut Findings) {
    for (i, sts) in ctx.of_kind("StatefulSet") {
        let Some(engine) = engine_of(sts).filter(|e| e.is_quorum()) else {
            continue;
        };
        if replicas(sts) < 2 {
            continue;
        }
        let policy = get_str(&sts.json, "spec.podManagementPolicy").unwrap_or("OrderedReady");
        let has_readiness = crate::context::containers(sts)
            .iter()
            .any(|c| !c.init && c.json.get("readinessProbe").is_some());
        if policy == "OrderedReady" && has_readiness {
            let path = if sts.json.pointer("/spec/podManagementPolicy").is_some() {
                "spec.podManagementPolicy"
            } else {
                "spec.replicas"
            };
            out.object(&RULE, i, path, format!("{} StatefulSet {:?} uses OrderedReady with {} replicas and a readiness probe: after a full outage pod 0 waits for a quorum that cannot start", engine.name(), sts.name(), replicas(sts)))
                .help("set podManagementPolicy: Parallel");
        }
    }
}
